//! `fapi2` (FAPI 2.0 Security Profile) and `fapi2-message-signing`
//! (+ FAPI 2.0 Message Signing), as they constrain registration
//! (`shared/spec/fapi2.md`). No ISVA recipe.

use serde_json::{Map, Value, json};

use crate::error::{ErrorCode, Report, Severity};
use crate::policy::{Policy, ProfileId, SenderConstraint};

use super::fapi1::{ALG_FIELDS, enforced_true, list_invariant, subset_invariant, warn_duplicate_kids};
use super::{Recipe, data_refuses, is_loopback, meta, owned, strings, uri_host, uri_scheme};

/// Client authentication methods FAPI 2 allows (FAPI2-AUTH-01).
pub const AUTH_METHODS: [&str; 3] = ["private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"];
/// JWS algorithms FAPI 2 allows (FAPI2-ALG-01).
pub const ALGS: [&str; 3] = ["PS256", "ES256", "EdDSA"];

/// The `fapi2` recipe.
#[must_use]
pub fn policy() -> Policy {
    // FAPI2-OIDC-01: built on the OIDC recipe, so OIDC DCR rules apply too.
    let mut r = Recipe(super::oidc::policy());
    r.0.profile = ProfileId::Fapi2;
    r.default("token_endpoint_auth_method", json!("private_key_jwt"), &["FAPI2-AUTH-02"])
        .default("response_types", json!(["code"]), &["FAPI2-RESP-01"])
        .default("grant_types", json!(["authorization_code"]), &["RFC7591-GRANT-01"])
        .default("id_token_signed_response_alg", json!("PS256"), &["FAPI2-ALG-02"])
        .default("authorization_signed_response_alg", json!("PS256"), &["FAPI2-ALG-02"]);
    // FAPI2-PAR-01 (RFC9126-META-02: a server may require PAR for every client).
    r.enforce("require_pushed_authorization_requests", json!(true), &["FAPI2-PAR-01"]);
    r.allow("token_endpoint_auth_method", &AUTH_METHODS, &["FAPI2-AUTH-01", "FAPI2-CLIENT-01"])
        .allow("response_types", &["code"], &["FAPI2-RESP-01"])
        .allow(
            "grant_types",
            &["authorization_code", "refresh_token", "client_credentials", "urn:openid:params:grant-type:ciba"],
            &["FAPI2-GRANT-01", "FAPI2-GRANT-02"],
        )
        // CIBA-META-06: no `push` delivery (FAPI-CIBA); the alg part is FAPI2-ALG-01.
        .allow("backchannel_token_delivery_mode", &["poll", "ping"], &["CIBA-META-06"]);
    for field in ALG_FIELDS {
        let rules: &[&str] =
            if field == "token_endpoint_auth_signing_alg" { &["FAPI2-AUTH-03", "FAPI2-ALG-01"] } else { &["FAPI2-ALG-01"] };
        r.allow(field, &ALGS, rules);
    }
    r.0.switches.preferred_sender_constraint = Some(SenderConstraint::Mtls);
    r.cite("/switches/preferred_sender_constraint", &["FAPI2-SENDER-01"]);
    r.cite("/switches/require_registered_redirect_uris", &["FAPI2-REDIRECT-02"]);
    r.cite("/checks/native_allow_claimed_https", &["FAPI2-REDIRECT-01", "RFC8252-REDIRECT-01"]);
    r.cite("/checks/require_pkce", &["FAPI2-PKCE-01"]);
    r.0.software_statement.signing_algs = owned(&ALGS);
    r.0.request_jwt.signing_algs = owned(&ALGS);
    r.cite("/software_statement/signing_algs", &["FAPI2-ALG-01", "JWT-ALG-02"])
        .cite("/request_jwt/signing_algs", &["FAPI2-ALG-01", "JWT-ALG-02"]);
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

/// The `fapi2-message-signing` recipe: `fapi2` plus signed request objects
/// (JAR) and signed authorization responses (JARM).
#[must_use]
pub fn message_signing_policy() -> Policy {
    let mut r = Recipe(policy());
    r.0.profile = ProfileId::Fapi2MessageSigning;
    r.enforce("require_signed_request_object", json!(true), &["FAPI2MS-JAR-01"])
        .default("request_object_signing_alg", json!("PS256"), &["FAPI2MS-JAR-01"])
        .default("authorization_signed_response_alg", json!("PS256"), &["FAPI2MS-JARM-01", "FAPI2-ALG-02"])
        .cite("/allowed/request_object_signing_alg", &["FAPI2MS-JAR-01", "FAPI2-ALG-01"])
        .cite("/allowed/authorization_signed_response_alg", &["FAPI2MS-JARM-01", "FAPI2-ALG-01"])
        .cite("/allowed/introspection_signed_response_alg", &["FAPI2MS-INTRO-01", "FAPI2-ALG-01"]);
    r.0
}

/// Coded FAPI 2 rules on the final client.
pub fn check_metadata(client: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    // FAPI2-CLIENT-01: confidential clients only.
    if let Some(m @ Value::String(method)) = client.get("token_endpoint_auth_method")
        && method == "none"
        && !data_refuses(policy, "token_endpoint_auth_method", m)
    {
        report.push(
            meta(
                ErrorCode::InvalidClientMetadata,
                "FAPI2-CLIENT-01",
                "/token_endpoint_auth_method",
                "public clients (`none`) are not supported",
            )
            .with_reason("public_client"),
        );
    }
    // FAPI2-REDIRECT-01: no `http` redirect uris except native loopback ones.
    let native = client.get("application_type").and_then(Value::as_str) == Some("native");
    for (i, uri) in strings(client, "redirect_uris") {
        if uri_scheme(uri).as_deref() == Some("http") && !(native && uri_host(uri).is_some_and(|h| is_loopback(&h))) {
            report.push(
                meta(
                    ErrorCode::InvalidRedirectUri,
                    "FAPI2-REDIRECT-01",
                    crate::pointer::item("redirect_uris", i),
                    "`http` redirect uris are only allowed as loopback uris of native clients",
                )
                .with_reason("scheme"),
            );
        }
    }
    // FAPI2-JWKS-01: a key set should not repeat a `kid`.
    warn_duplicate_kids(client, "FAPI2-JWKS-01", report);
    // FAPI2-SENDER-01: one of the two binding flags ends up `true`.
    let flags = ["tls_client_certificate_bound_access_tokens", "dpop_bound_access_tokens"];
    if !flags.iter().any(|f| client.get(*f) == Some(&Value::Bool(true))) {
        report.push(
            meta(
                ErrorCode::InvalidClientMetadata,
                "FAPI2-SENDER-01",
                "/tls_client_certificate_bound_access_tokens",
                "access tokens must be sender-constrained: set `tls_client_certificate_bound_access_tokens` or `dpop_bound_access_tokens`",
            )
            .with_reason("unbound"),
        );
    }
    // FAPI2MS-JARM-02: encrypting the authorization response is not recommended.
    if policy.profile == ProfileId::Fapi2MessageSigning && client.contains_key("authorization_encrypted_response_alg") {
        report.push(
            meta(
                ErrorCode::InvalidClientMetadata,
                "FAPI2MS-JARM-02",
                "/authorization_encrypted_response_alg",
                "encrypting authorization responses is not recommended",
            )
            .with_severity(Severity::Warning)
            .with_reason("not_recommended"),
        );
    }
}

/// Load-time invariants of the FAPI 2 profiles.
pub fn check_invariants(policy: &Policy, report: &mut Report) {
    subset_invariant(policy, "token_endpoint_auth_method", &AUTH_METHODS, "FAPI2-AUTH-01", report);
    subset_invariant(policy, "response_types", &["code"], "FAPI2-RESP-01", report);
    subset_invariant(
        policy,
        "grant_types",
        &["authorization_code", "refresh_token", "client_credentials", "urn:openid:params:grant-type:ciba"],
        "FAPI2-GRANT-01",
        report,
    );
    for field in ALG_FIELDS {
        subset_invariant(policy, field, &ALGS, "FAPI2-ALG-01", report);
    }
    list_invariant(&policy.software_statement.signing_algs, "/software_statement/signing_algs", &ALGS, "FAPI2-ALG-01", report);
    list_invariant(&policy.request_jwt.signing_algs, "/request_jwt/signing_algs", &ALGS, "FAPI2-ALG-01", report);
    enforced_true(policy, "require_pushed_authorization_requests", "FAPI2-PAR-01", report);
    if policy.profile == ProfileId::Fapi2MessageSigning {
        enforced_true(policy, "require_signed_request_object", "FAPI2MS-JAR-01", report);
    }
}
