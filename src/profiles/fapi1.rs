//! `fapi1-advanced` (ISVA `FAPI_DEFAULT`): FAPI 1.0 Part 2 Advanced, as it
//! constrains registration (`shared/spec/fapi1-advanced.md`). Also the base
//! of `uk-openbanking`, `au-cdr` and `br-openfinance`.

use serde_json::{Map, Value, json};

use crate::error::{ErrorCode, Report, Severity};
use crate::metadata::checks::GrantResponseConsistency;
use crate::policy::{Policy, ProfileId, policy_violation};

use super::{Recipe, data_refuses, meta, owned, response_types, strings, uri_scheme};

/// Client authentication methods FAPI 1 Advanced allows (FAPI1-AUTH-01).
pub const AUTH_METHODS: [&str; 3] = ["private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"];
/// JWS algorithms FAPI 1 allows (FAPI1-ALG-01).
pub const ALGS: [&str; 2] = ["PS256", "ES256"];
/// Every metadata field naming a JWS algorithm (FAPI1-ALG-01).
pub const ALG_FIELDS: [&str; 7] = [
    "token_endpoint_auth_signing_alg",
    "id_token_signed_response_alg",
    "userinfo_signed_response_alg",
    "request_object_signing_alg",
    "authorization_signed_response_alg",
    "introspection_signed_response_alg",
    "backchannel_authentication_request_signing_alg",
];
/// Every metadata field naming a JWE key-management algorithm (FAPI1-ALG-02).
pub const ENC_ALG_FIELDS: [&str; 4] = [
    "id_token_encrypted_response_alg",
    "userinfo_encrypted_response_alg",
    "request_object_encryption_alg",
    "authorization_encrypted_response_alg",
];

/// The `fapi1-advanced` recipe.
#[must_use]
pub fn policy() -> Policy {
    let mut r = Recipe(super::oidc::policy());
    r.0.profile = ProfileId::Fapi1Advanced;
    // Defaults that replace the RFC / OIDC ones, so nothing is defaulted and then refused.
    r.default("token_endpoint_auth_method", json!("private_key_jwt"), &["FAPI1-AUTH-02"])
        .default("response_types", json!(["code id_token"]), &["FAPI1-RESP-01"])
        .default("grant_types", json!(["authorization_code"]), &["RFC7591-GRANT-01"])
        .default("id_token_signed_response_alg", json!("PS256"), &["FAPI1-ALG-03", "FAPI1-RESP-03"])
        .default("request_object_signing_alg", json!("PS256"), &["FAPI1-REQOBJ-01"])
        .default("authorization_signed_response_alg", json!("PS256"), &["FAPI1-ALG-03", "FAPI1-RESP-02"]);
    // Overrides whatever was sent.
    r.enforce("tls_client_certificate_bound_access_tokens", json!(true), &["FAPI1-SENDER-01"]).enforce(
        "require_signed_request_object",
        json!(true),
        &["FAPI1-REQOBJ-01"],
    );
    // Allowed values.
    r.allow("token_endpoint_auth_method", &AUTH_METHODS, &["FAPI1-AUTH-01", "FAPI1-CLIENT-01"])
        .allow("response_types", &["code id_token", "code"], &["FAPI1-RESP-01"])
        .allow(
            "grant_types",
            &["authorization_code", "refresh_token", "client_credentials", "urn:openid:params:grant-type:ciba", "implicit"],
            &["FAPI1-GRANT-01"],
        )
        .allow("application_type", &["web", "native"], &["OIDCDCR-APPTYPE-01", "FAPI1-NATIVE-01"])
        // CIBA-META-06: FAPI-CIBA servers do not support `push` (`poll` mandatory,
        // `ping` optional); its confidential-client and `PS256` / `ES256` parts
        // are FAPI1-CLIENT-01 and FAPI1-ALG-01 (`backchannel_authentication_request_signing_alg`).
        .allow("backchannel_token_delivery_mode", &["poll", "ping"], &["CIBA-META-06"]);
    for field in ALG_FIELDS {
        let rules: &[&str] =
            if field == "token_endpoint_auth_signing_alg" { &["FAPI1-AUTH-03", "FAPI1-ALG-01"] } else { &["FAPI1-ALG-01"] };
        r.allow(field, &ALGS, rules);
    }
    r.0.checks.grant_response_consistency = GrantResponseConsistency::LenientHybrid;
    r.cite("/checks/grant_response_consistency", &["FAPI1-GRANT-01", "OIDCDCR-GRANT-01"]);
    r.cite("/checks/require_pkce", &["FAPI1-PAR-01", "BCP-PKCE-01"]);
    // Signed artefacts.
    r.0.software_statement.signing_algs = owned(&ALGS);
    r.0.request_jwt.signing_algs = owned(&ALGS);
    r.cite("/software_statement/signing_algs", &["FAPI1-ALG-01", "JWT-ALG-02"])
        .cite("/request_jwt/signing_algs", &["FAPI1-ALG-01", "JWT-ALG-02"]);
    // RFC7591-ENDPOINT-04 (digest note): every profile but rfc7591/oidc turns
    // open registration off; plain FAPI has no SSA ecosystem, so it asks for
    // an initial access token the host validates (RFC7591-ENDPOINT-03).
    r.0.endpoint.require_bearer_token = true;
    r.cite("/endpoint/require_bearer_token", &["RFC7591-ENDPOINT-03", "RFC7591-ENDPOINT-04"]);
    // RFC 7592 management (RFC7592-AUTHZ-01): the registration access token
    // issued at registration is the credential, as in the OIDF FAPI DCR test
    // modules (read / update / delete with it); no client-credentials token
    // replaces it outside the UK OB / CDR ecosystems.
    r.0.management_endpoint.require_bearer_token = false;
    r.cite("/management_endpoint/require_bearer_token", &["RFC7592-AUTHZ-01"]);
    r.0
}

/// Coded FAPI 1 rules on the final client (also run for the ecosystems built on it).
pub fn check_metadata(client: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    // FAPI1-CLIENT-01: no public clients (quiet when `allowed` already refuses it).
    if let Some(m @ Value::String(method)) = client.get("token_endpoint_auth_method")
        && method == "none"
        && !data_refuses(policy, "token_endpoint_auth_method", m)
    {
        report.push(
            meta(
                ErrorCode::InvalidClientMetadata,
                "FAPI1-CLIENT-01",
                "/token_endpoint_auth_method",
                "public clients (`none`) are not supported",
            )
            .with_reason("public_client"),
        );
    }
    // FAPI1-REDIRECT-02 / FAPI1-NATIVE-01: https only (UK OB has its own, stricter rule).
    if policy.profile != ProfileId::UkOpenBanking {
        let native = client.get("application_type").and_then(Value::as_str) == Some("native");
        for (i, uri) in strings(client, "redirect_uris") {
            if uri_scheme(uri).as_deref() != Some("https") {
                let (rule, msg) = if native {
                    ("FAPI1-NATIVE-01", "native clients may only use claimed `https` redirect uris")
                } else {
                    ("FAPI1-REDIRECT-02", "redirect uris must use `https`")
                };
                report.push(meta(ErrorCode::InvalidRedirectUri, rule, crate::pointer::item("redirect_uris", i), msg).with_reason("scheme"));
            }
        }
    }
    // FAPI1-ALG-02: no RSA1_5 key transport.
    for field in ENC_ALG_FIELDS {
        if let Some(v @ Value::String(alg)) = client.get(field)
            && alg == "RSA1_5"
            && !data_refuses(policy, field, v)
        {
            report.push(
                meta(
                    ErrorCode::InvalidClientMetadata,
                    "FAPI1-ALG-02",
                    crate::pointer::field(field),
                    format!("`{field}` must not be `RSA1_5`"),
                )
                .with_reason("rsa1_5"),
            );
        }
    }
    // FAPI1-KEY-03: a key set should not hold two keys with the same `kid`.
    warn_duplicate_kids(client, "FAPI1-KEY-03", report);
    // FAPI1-SENDER-01: tokens are bound with mTLS; DPoP is not a FAPI 1 mechanism.
    if client.get("dpop_bound_access_tokens") == Some(&Value::Bool(true)) {
        report.push(
            meta(
                ErrorCode::InvalidClientMetadata,
                "FAPI1-SENDER-01",
                "/dpop_bound_access_tokens",
                "fapi 1 binds access tokens with mtls, not dpop",
            )
            .with_reason("dpop"),
        );
    }
    let rts = response_types(client);
    // FAPI1-RESP-02 (AUCDR-META-07): `code` alone is only usable with JARM.
    if rts.iter().any(|t| t == "code") && !client.get("authorization_signed_response_alg").is_some_and(Value::is_string) {
        let rule = if policy.profile == ProfileId::AuCdr { "AUCDR-META-07" } else { "FAPI1-RESP-02" };
        report.push(
            meta(
                ErrorCode::InvalidClientMetadata,
                rule,
                "/authorization_signed_response_alg",
                "response type `code` needs jarm: `authorization_signed_response_alg` is required",
            )
            .with_reason("missing"),
        );
    }
    // FAPI1-GRANT-01: `implicit` only as the companion of `code id_token`.
    for (i, g) in strings(client, "grant_types") {
        if g == "implicit" && !rts.iter().any(|t| t == "code id_token") && !data_refuses(policy, "grant_types", &json!("implicit")) {
            report.push(
                meta(
                    ErrorCode::InvalidClientMetadata,
                    "FAPI1-GRANT-01",
                    crate::pointer::item("grant_types", i),
                    "`implicit` is only tolerated together with response type `code id_token`",
                )
                .with_reason("implicit"),
            );
        }
    }
}

/// FAPI1-KEY-03 / FAPI2-JWKS-01: a warning for each key of a registered
/// `jwks` whose `kid` an earlier key already uses (verifiers must still cope,
/// JWT-KEY-01, so this is advice, not a rejection).
pub(crate) fn warn_duplicate_kids(client: &Map<String, Value>, rule: &str, report: &mut Report) {
    let Some(keys) = client.get("jwks").and_then(|j| j.get("keys")).and_then(Value::as_array) else {
        return;
    };
    let mut seen: Vec<&str> = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let Some(kid) = key.get("kid").and_then(Value::as_str) else {
            continue;
        };
        if seen.contains(&kid) {
            report.push(
                meta(
                    ErrorCode::InvalidClientMetadata,
                    rule,
                    format!("/jwks/keys/{i}/kid"),
                    format!("`kid` {} is used by an earlier key of this key set", crate::rules::show(kid)),
                )
                .with_severity(Severity::Warning)
                .with_reason("duplicate_kid"),
            );
        } else {
            seen.push(kid);
        }
    }
}

/// Load-time invariants: a policy based on a FAPI 1 profile cannot allow
/// public clients, shared-secret authentication, non-FAPI algorithms, or
/// drop the enforced mTLS binding / signed request objects.
pub fn check_invariants(policy: &Policy, report: &mut Report) {
    subset_invariant(policy, "token_endpoint_auth_method", &AUTH_METHODS, "FAPI1-AUTH-01", report);
    subset_invariant(policy, "response_types", &["code id_token", "code"], "FAPI1-RESP-01", report);
    for field in ALG_FIELDS {
        subset_invariant(policy, field, &ALGS, "FAPI1-ALG-01", report);
    }
    list_invariant(&policy.software_statement.signing_algs, "/software_statement/signing_algs", &ALGS, "FAPI1-ALG-01", report);
    list_invariant(&policy.request_jwt.signing_algs, "/request_jwt/signing_algs", &ALGS, "FAPI1-ALG-01", report);
    enforced_true(policy, "tls_client_certificate_bound_access_tokens", "FAPI1-SENDER-01", report);
    enforced_true(policy, "require_signed_request_object", "FAPI1-REQOBJ-01", report);
}

/// `allowed[field]` must exist and hold only values from `ok`.
pub(crate) fn subset_invariant(policy: &Policy, field: &str, ok: &[&str], rule: &str, report: &mut Report) {
    let path = format!("/allowed/{field}");
    match policy.allowed.get(field) {
        Some(Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                let fine = v.as_str().is_some_and(|s| {
                    let norm = |x: &str| {
                        let mut t: Vec<&str> = x.split(' ').filter(|p| !p.is_empty()).collect();
                        t.sort_unstable();
                        t.join(" ")
                    };
                    ok.iter().any(|o| norm(o) == norm(s))
                });
                if !fine {
                    report.push(policy_violation(
                        rule,
                        format!("{path}/{i}"),
                        format!("a `{}` policy cannot allow `{}` for `{field}`", policy.profile, v.as_str().unwrap_or("?")),
                        "profile_invariant",
                    ));
                }
            }
        }
        _ => report.push(policy_violation(
            rule,
            path,
            format!("a `{}` policy must keep an allowed list for `{field}`", policy.profile),
            "profile_invariant",
        )),
    }
}

pub(crate) fn list_invariant(list: &[String], path: &str, ok: &[&str], rule: &str, report: &mut Report) {
    for (i, alg) in list.iter().enumerate() {
        if !ok.contains(&alg.as_str()) {
            report.push(policy_violation(
                rule,
                format!("{path}/{i}"),
                format!("`{alg}` is not allowed by the profile (allowed: {})", ok.join(", ")),
                "profile_invariant",
            ));
        }
    }
}

pub(crate) fn enforced_true(policy: &Policy, field: &str, rule: &str, report: &mut Report) {
    if policy.enforce.get(field) != Some(&Value::Bool(true)) {
        report.push(policy_violation(
            rule,
            format!("/enforce/{field}"),
            format!("a `{}` policy must enforce `{field}: true`", policy.profile),
            "profile_invariant",
        ));
    }
}
