//! The provider's capabilities (`policy.capabilities`, named like OpenID
//! Provider / RFC 8414 discovery metadata): a requested value the provider
//! does not support is rejected with `invalid_client_metadata`.

use super::{meta, show};
use crate::error::Report;
use crate::metadata::model::MetadataView;
use crate::metadata::uri::Uri;
use crate::pointer;
use crate::policy::{Capabilities, Policy};

/// Grant types defined by RFC 6749 / RFC 7591 §2 that are not URIs.
const KNOWN_GRANTS: [&str; 5] = ["authorization_code", "implicit", "password", "client_credentials", "refresh_token"];

/// Response type names in the IANA OAuth "Authorization Endpoint Response Types" registry.
const KNOWN_RESPONSE_TOKENS: [&str; 5] = ["code", "token", "id_token", "none", "vp_token"];

fn supported(list: &Option<Vec<String>>, v: &str) -> bool {
    list.as_ref().is_none_or(|l| l.iter().any(|s| s == v))
}

/// Response types are unordered token sets (`"id_token code"` = `"code id_token"`).
#[must_use]
pub fn same_response_type(a: &str, b: &str) -> bool {
    // Equal text is the same token set; only differing text needs the sort.
    if a == b {
        return true;
    }
    let mut x: Vec<&str> = a.split(' ').filter(|t| !t.is_empty()).collect();
    let mut y: Vec<&str> = b.split(' ').filter(|t| !t.is_empty()).collect();
    x.sort_unstable();
    y.sort_unstable();
    x == y
}

/// JWS `alg` values (RFC 7518 §3.1, RFC 8037 §3.1, RFC 8812 §3.2, RFC 9864).
const JWS_ALGS: [&str; 17] = [
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "ES256K", "PS256", "PS384", "PS512", "EdDSA",
    "Ed25519", "Ed448", "none",
];
/// JWE `alg` values (RFC 7518 §4.1, RFC 8037 §3.2).
const JWE_ALGS: [&str; 19] = [
    "RSA1_5",
    "RSA-OAEP",
    "RSA-OAEP-256",
    "RSA-OAEP-384",
    "RSA-OAEP-512",
    "A128KW",
    "A192KW",
    "A256KW",
    "dir",
    "ECDH-ES",
    "ECDH-ES+A128KW",
    "ECDH-ES+A192KW",
    "ECDH-ES+A256KW",
    "A128GCMKW",
    "A192GCMKW",
    "A256GCMKW",
    "PBES2-HS256+A128KW",
    "PBES2-HS384+A192KW",
    "PBES2-HS512+A256KW",
];
/// JWE `enc` values (RFC 7518 §5.1).
const JWE_ENCS: [&str; 6] = ["A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM"];

/// The JOSE registry a metadata field's value comes from, if it names an algorithm.
fn registry_for(field: &str) -> Option<&'static [&'static str]> {
    if field.ends_with("_enc") {
        Some(&JWE_ENCS)
    } else if field.ends_with("_encrypted_response_alg") || field.ends_with("_encryption_alg") {
        Some(&JWE_ALGS)
    } else if field.ends_with("_signed_response_alg") || field.ends_with("_signing_alg") {
        Some(&JWS_ALGS)
    } else {
        None
    }
}

/// (field, requested value, supported list, rule).
type SingleCheck<'a> = (&'a str, Option<&'a str>, &'a Option<Vec<String>>, &'a str);

/// Runs the capability checks.
pub fn check(md: &MetadataView<'_>, policy: &Policy, report: &mut Report) {
    let caps: &Capabilities = &policy.capabilities;
    // RFC7591-GRANT-02
    if let Some(grants) = &md.grant_types {
        for (i, g) in grants.iter().enumerate() {
            if !supported(&caps.grant_types_supported, g) {
                meta(report, "RFC7591-GRANT-02", pointer::item("grant_types", i), format!("grant type {} is not supported", show(g)));
            } else if caps.grant_types_supported.is_none() && !g.is_empty() && !KNOWN_GRANTS.contains(&g) && Uri::parse(g).is_err() {
                // No list configured: like RFC7591-AUTH-02, a value must be a defined
                // grant type or an absolute URI (extension grants, RFC 6749 §4.5).
                meta(
                    report,
                    "RFC7591-GRANT-02",
                    pointer::item("grant_types", i),
                    format!("{} is not a registered grant type or an absolute uri", show(g)),
                );
            }
        }
    }
    // RFC7591-RESPTYPE-02 with no list configured: every token must be a
    // registered response type name (RFC 6749 §3.1.1, OAuth 2.0 Multiple
    // Response Types; case-sensitive per RFC7591-META-01), `none` alone.
    if let (Some(rts), None) = (&md.response_types, &caps.response_types_supported) {
        for (i, rt) in rts.iter().enumerate() {
            let tokens: Vec<&str> = rt.split(' ').filter(|t| !t.is_empty()).collect();
            let known = tokens.iter().all(|t| KNOWN_RESPONSE_TOKENS.contains(t)) && (tokens.len() == 1 || !tokens.contains(&"none"));
            if !tokens.is_empty() && !known {
                meta(
                    report,
                    "RFC7591-RESPTYPE-02",
                    pointer::item("response_types", i),
                    format!("response type {} is not a registered response type", show(rt)),
                );
            }
        }
    }
    // RFC7591-RESPTYPE-02 (compared as token sets)
    if let (Some(rts), Some(list)) = (&md.response_types, &caps.response_types_supported) {
        for (i, rt) in rts.iter().enumerate() {
            if !list.iter().any(|s| same_response_type(s, rt)) {
                meta(
                    report,
                    "RFC7591-RESPTYPE-02",
                    pointer::item("response_types", i),
                    format!("response type {} is not supported", show(rt)),
                );
            }
        }
    }
    // RFC7591-SCOPE-01
    if let (Some(scope), Some(_)) = (&md.scope, &caps.scopes_supported) {
        let bad: Vec<&str> = scope.split(' ').filter(|t| !t.is_empty() && !supported(&caps.scopes_supported, t)).collect();
        if !bad.is_empty() {
            meta(
                report,
                "RFC7591-SCOPE-01",
                "/scope",
                format!("scope values not supported: {}", bad.iter().map(|b| show(b)).collect::<Vec<_>>().join(", ")),
            );
        }
    }
    // OIDCDCR-ACR-01
    if let Some(acrs) = &md.default_acr_values {
        for (i, a) in acrs.iter().enumerate() {
            if !supported(&caps.acr_values_supported, a) {
                meta(report, "OIDCDCR-ACR-01", pointer::item("default_acr_values", i), format!("acr value {} is not supported", show(a)));
            }
        }
    }
    let single: [SingleCheck<'_>; 18] = [
        ("token_endpoint_auth_method", md.token_endpoint_auth_method, &caps.token_endpoint_auth_methods_supported, "RFC7591-AUTH-02"),
        (
            "token_endpoint_auth_signing_alg",
            md.token_endpoint_auth_signing_alg,
            &caps.token_endpoint_auth_signing_alg_values_supported,
            "OIDCDCR-AUTH-02",
        ),
        ("subject_type", md.subject_type, &caps.subject_types_supported, "OIDCDCR-SUBJ-01"),
        ("id_token_signed_response_alg", md.id_token_signed_response_alg, &caps.id_token_signing_alg_values_supported, "OIDCDCR-IDTOK-03"),
        (
            "id_token_encrypted_response_alg",
            md.id_token_encrypted_response_alg,
            &caps.id_token_encryption_alg_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "id_token_encrypted_response_enc",
            md.id_token_encrypted_response_enc,
            &caps.id_token_encryption_enc_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "userinfo_signed_response_alg",
            md.userinfo_signed_response_alg,
            &caps.userinfo_signing_alg_values_supported,
            "OIDCDCR-USERINFO-01",
        ),
        (
            "userinfo_encrypted_response_alg",
            md.userinfo_encrypted_response_alg,
            &caps.userinfo_encryption_alg_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "userinfo_encrypted_response_enc",
            md.userinfo_encrypted_response_enc,
            &caps.userinfo_encryption_enc_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "request_object_signing_alg",
            md.request_object_signing_alg,
            &caps.request_object_signing_alg_values_supported,
            "OIDCDCR-REQOBJ-01",
        ),
        (
            "request_object_encryption_alg",
            md.request_object_encryption_alg,
            &caps.request_object_encryption_alg_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "request_object_encryption_enc",
            md.request_object_encryption_enc,
            &caps.request_object_encryption_enc_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "authorization_signed_response_alg",
            md.authorization_signed_response_alg,
            &caps.authorization_signing_alg_values_supported,
            "JARM-META-01",
        ),
        (
            "authorization_encrypted_response_alg",
            md.authorization_encrypted_response_alg,
            &caps.authorization_encryption_alg_values_supported,
            "JARM-META-02",
        ),
        (
            "authorization_encrypted_response_enc",
            md.authorization_encrypted_response_enc,
            &caps.authorization_encryption_enc_values_supported,
            "JARM-META-02",
        ),
        (
            "introspection_signed_response_alg",
            md.introspection_signed_response_alg,
            &caps.introspection_signing_alg_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "backchannel_token_delivery_mode",
            md.backchannel_token_delivery_mode,
            &caps.backchannel_token_delivery_modes_supported,
            "CIBA-META-01",
        ),
        (
            "backchannel_authentication_request_signing_alg",
            md.backchannel_authentication_request_signing_alg,
            &caps.backchannel_authentication_request_signing_alg_values_supported,
            "CIBA-META-03",
        ),
    ];
    for (field, value, list, rule) in single {
        if let Some(v) = value
            && !supported(list, v)
        {
            meta(report, rule, pointer::field(field), format!("{} is not supported for `{field}`", show(v)));
        } else if let (Some(v), None, Some(registry)) = (value, list, registry_for(field))
            && !registry.contains(&v)
        {
            // No list configured: the value must at least be a registered
            // JOSE name (IANA "JSON Web Signature and Encryption Algorithms",
            // RFC 7518 §3.1, §4.1, §5.1; RFC 8037; RFC 8812), case-sensitive
            // (RFC 7515 §4.1.1), or the provider could never honour it.
            meta(report, rule, pointer::field(field), format!("{} is not a registered algorithm for `{field}`", show(v)));
        }
    }
    // Feature flags the provider declares it does not support.
    let flags: [(&str, bool, Option<bool>, &str); 4] = [
        (
            "require_pushed_authorization_requests",
            md.require_pushed_authorization_requests == Some(true),
            caps.pushed_authorization_request_endpoint,
            "RFC9126-META-01",
        ),
        (
            "tls_client_certificate_bound_access_tokens",
            md.tls_client_certificate_bound_access_tokens == Some(true),
            caps.tls_client_certificate_bound_access_tokens,
            "RFC8705-BOUND-01",
        ),
        ("frontchannel_logout_uri", md.frontchannel_logout_uri.is_some(), caps.frontchannel_logout_supported, "LOGOUT-FCL-01"),
        ("backchannel_logout_uri", md.backchannel_logout_uri.is_some(), caps.backchannel_logout_supported, "LOGOUT-BCL-01"),
    ];
    for (field, requested, support, rule) in flags {
        if requested && support == Some(false) {
            meta(report, rule, pointer::field(field), format!("this provider does not support `{field}`"));
        }
    }
}
