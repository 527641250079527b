//! Key material: `jwks` / `jwks_uri` (RFC 7591 §2; OIDC DCR §2; RFC 7517,
//! RFC 7518, RFC 8037), and which client features need a key set
//! (OIDCDCR-JWKS-07, OIDCDCR-ENC-03, JARM-META-03, RFC8705-AUTH-06).

use serde_json::{Map, Value};

use super::{at_level, is_asymmetric_jwe_alg, is_hmac_alg, meta, show};
use crate::error::{ErrorCode, Report};
use crate::metadata::model::MetadataView;
use crate::metadata::uri::Uri;
use crate::pointer;
use crate::policy::Policy;

/// Private key members (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2).
pub const PRIVATE_MEMBERS: [&str; 7] = ["d", "p", "q", "dp", "dq", "qi", "oth"];

/// Runs the key rules.
pub fn check(md: &MetadataView<'_>, policy: &Policy, report: &mut Report) {
    // RFC7591-JWKS-01 / OIDCDCR-JWKS-05: never both
    if md.jwks.is_some() && md.jwks_uri.is_some() {
        meta(report, "RFC7591-JWKS-01", "/jwks", "`jwks` and `jwks_uri` must not both be present");
    }
    if let Some(u) = &md.jwks_uri {
        match Uri::parse(u) {
            // RFC7591-URI-01: an absolute http(s) URL
            Err(e) => meta(report, "RFC7591-URI-01", "/jwks_uri", format!("`jwks_uri` {}", e.describe())),
            Ok(uri) if !uri.is_web() => {
                meta(report, "RFC7591-URI-01", "/jwks_uri", format!("`jwks_uri` must be an http(s) url, not {}", show(u)))
            }
            // OIDCDCR-JWKS-01: https under OIDC (so under every FAPI profile: FAPI1-KEY-03, FAPI2-JWKS-01)
            Ok(uri) if policy.profile.is_oidc() && !uri.scheme_is("https") => {
                meta(report, "OIDCDCR-JWKS-01", "/jwks_uri", "`jwks_uri` must use `https`")
            }
            Ok(_) => {}
        }
    }
    if let Some(jwks) = &md.jwks {
        check_jwks(jwks, policy, report);
    }
    check_key_needs(md, report);
}

fn check_jwks(jwks: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    // RFC7591-JWKS-02: an object with a `keys` array of JWK objects
    let Some(keys) = jwks.get("keys").and_then(Value::as_array) else {
        meta(report, "RFC7591-JWKS-02", "/jwks/keys", "`jwks` must have a `keys` array");
        return;
    };
    let mut with_use = 0usize;
    for (i, key) in keys.iter().enumerate() {
        let path = format!("/jwks/keys/{i}");
        let Some(key) = key.as_object() else {
            meta(report, "RFC7591-JWKS-02", path, "each key must be a json object");
            continue;
        };
        let member = |name: &str| key.get(name).and_then(Value::as_str).filter(|s| !s.is_empty());
        let kty = member("kty");
        // OIDCDCR-JWKS-04: no symmetric keys, no private members
        if kty == Some("oct") {
            meta(report, "OIDCDCR-JWKS-04", pointer::join(&path, "kty"), "symmetric (`oct`) keys must not be registered");
        }
        for m in PRIVATE_MEMBERS {
            if key.contains_key(m) {
                meta(report, "OIDCDCR-JWKS-04", pointer::join(&path, m), format!("private key member `{m}` must not be registered"));
            }
        }
        // RFC7591-JWKS-02: the members each key type requires
        let required: &[&str] = match kty {
            None => {
                meta(report, "RFC7591-JWKS-02", pointer::join(&path, "kty"), "each key needs a `kty` string");
                &[]
            }
            Some("RSA") => &["n", "e"],
            Some("EC") => &["crv", "x", "y"],
            Some("OKP") => &["crv", "x"],
            Some(_) => &[],
        };
        for m in required {
            if member(m).is_none() {
                meta(
                    report,
                    "RFC7591-JWKS-02",
                    pointer::join(&path, m),
                    format!("a `{}` key needs a `{m}` string", kty.unwrap_or_default()),
                );
            }
        }
        check_material(key, &path, policy, report);
        // OIDCDCR-JWKS-03: `x5c` is an array of base64 certificates, with the bare key members present
        if let Some(x5c) = key.get("x5c") {
            let ok = x5c.as_array().is_some_and(|a| {
                !a.is_empty()
                    && a.iter().all(|c| {
                        c.as_str().is_some_and(|s| {
                            !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=')
                        })
                    })
            });
            if !ok {
                meta(report, "OIDCDCR-JWKS-03", pointer::join(&path, "x5c"), "`x5c` must be a non-empty array of base64 certificates");
            }
        }
        if key.contains_key("use") {
            with_use += 1;
        }
        // OIDCDCR-JWKS-06: one key for both signing and encryption
        if let Some(ops) = key.get("key_ops").and_then(Value::as_array) {
            let has = |op: &str| ops.iter().any(|o| o.as_str() == Some(op));
            if (has("sign") || has("verify")) && (has("encrypt") || has("wrapKey")) {
                at_level(
                    report,
                    policy.checks.dual_use_keys,
                    ErrorCode::InvalidClientMetadata,
                    "OIDCDCR-JWKS-06",
                    pointer::join(&path, "key_ops"),
                    "one key should not be used for both signing and encryption",
                );
            }
        }
    }
    // OIDCDCR-JWKS-02: when some keys carry `use`, all must (a mixed set is otherwise ambiguous)
    if policy.profile.is_oidc() && with_use > 0 && with_use < keys.len() {
        for (i, key) in keys.iter().enumerate() {
            if key.as_object().is_some_and(|k| !k.contains_key("use")) {
                meta(
                    report,
                    "OIDCDCR-JWKS-02",
                    format!("/jwks/keys/{i}"),
                    "every key needs `use` when the set mixes signing and encryption keys",
                );
            }
        }
    }
}

/// RFC7591-JWKS-02 (a valid JWK: strict base64url, sizes, points on the
/// curve) and key strength: RSA under 2048 bits is refused everywhere
/// (JWT-KEY-04; cited as FAPI1-KEY-01 / FAPI2-KEY-01 under those profiles),
/// as are ROCA moduli and small-order Ed25519 keys. EC keys: every
/// registered curve has at least 256 bits, above FAPI 1's 160 (FAPI1-KEY-02)
/// and FAPI 2's 224 (FAPI2-KEY-01); a curve nobody registered cannot show
/// its size, so FAPI profiles refuse it and others accept it.
fn check_material(key: &Map<String, Value>, path: &str, policy: &Policy, report: &mut Report) {
    for f in crate::jose::check_registered_key(key) {
        let at = pointer::join(path, f.member);
        let rule = match f.reason {
            "key_too_small" if policy.profile.is_fapi2() => "FAPI2-KEY-01",
            "key_too_small" if policy.profile.is_fapi1() => "FAPI1-KEY-01",
            "key_too_small" => "JWT-KEY-04",
            "unknown_crv" if policy.profile.is_fapi2() => "FAPI2-KEY-01",
            "unknown_crv" if policy.profile.is_fapi1() => "FAPI1-KEY-02",
            "unknown_crv" => continue,
            _ => "RFC7591-JWKS-02",
        };
        report.push(crate::error::Violation::new(ErrorCode::InvalidClientMetadata, rule, at, f.message).with_reason(f.reason));
    }
}

/// True when an inline `jwks` holds a key usable for encryption (`use` absent or `enc`, not `oct`).
fn has_encryption_key(jwks: &Map<String, Value>) -> bool {
    jwks.get("keys").and_then(Value::as_array).is_some_and(|keys| {
        keys.iter().filter_map(Value::as_object).any(|k| {
            k.get("use").and_then(Value::as_str).is_none_or(|u| u == "enc")
                && k.get("kty").and_then(Value::as_str).is_some_and(|t| t != "oct")
        })
    })
}

fn check_key_needs(md: &MetadataView<'_>, report: &mut Report) {
    let has_keys = md.has_key_set();
    let method = md.auth_method();
    // OIDCDCR-JWKS-07: asymmetric signing by the client needs a key set
    let mut signing: Vec<(&str, String)> = Vec::new();
    if method == "private_key_jwt" {
        signing.push(("/token_endpoint_auth_method", "`private_key_jwt`".to_owned()));
    }
    if let Some(a) = md.request_object_signing_alg.filter(|a| *a != "none" && !is_hmac_alg(a)) {
        signing.push(("/request_object_signing_alg", format!("request object signing with {}", show(a))));
    }
    if let Some(a) = md.backchannel_authentication_request_signing_alg.filter(|a| *a != "none" && !is_hmac_alg(a)) {
        signing.push(("/backchannel_authentication_request_signing_alg", format!("ciba request signing with {}", show(a))));
    }
    if !has_keys {
        for (path, what) in signing {
            meta(report, "OIDCDCR-JWKS-07", path, format!("{what} needs `jwks` or `jwks_uri`"));
        }
    }
    // RFC8705-AUTH-06: self-signed certificates are registered in the key set, as `x5c`
    if method == "self_signed_tls_client_auth" {
        if !has_keys {
            meta(
                report,
                "RFC8705-AUTH-06",
                "/token_endpoint_auth_method",
                "`self_signed_tls_client_auth` needs the certificate in `jwks` or `jwks_uri`",
            );
        } else if let Some(jwks) = &md.jwks
            && !jwks.get("keys").and_then(Value::as_array).is_some_and(|k| k.iter().any(|k| k.get("x5c").is_some()))
        {
            meta(report, "RFC8705-AUTH-06", "/jwks", "`self_signed_tls_client_auth` needs a key with an `x5c` certificate");
        }
    }
    // OIDCDCR-ENC-03 / JARM-META-03: asymmetric response encryption needs a client encryption key
    for (field, alg, rule) in [
        ("id_token_encrypted_response_alg", &md.id_token_encrypted_response_alg, "OIDCDCR-ENC-03"),
        ("userinfo_encrypted_response_alg", &md.userinfo_encrypted_response_alg, "OIDCDCR-ENC-03"),
        ("introspection_encrypted_response_alg", &md.introspection_encrypted_response_alg, "OIDCDCR-ENC-03"),
        ("authorization_encrypted_response_alg", &md.authorization_encrypted_response_alg, "JARM-META-03"),
    ] {
        let Some(alg) = alg.as_deref().filter(|a| is_asymmetric_jwe_alg(a)) else {
            continue;
        };
        let missing = match &md.jwks {
            Some(jwks) => !has_encryption_key(jwks),
            None => md.jwks_uri.is_none(),
        };
        if missing {
            meta(
                report,
                rule,
                pointer::field(field),
                format!("{} encrypts to the client's public key, but the client registers no encryption key", show(alg)),
            );
        }
    }
}
