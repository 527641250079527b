//! `uk-openbanking` (ISVA `FAPI_UK-OB`): UK Open Banking DCR v3.3 on top of
//! `fapi1-advanced` (`shared/spec/uk-openbanking.md`): signed request JWT,
//! OB Directory SSA, `software_redirect_uris` as the upper bound of
//! `redirect_uris`, scopes from `software_roles`, mTLS, client-credentials
//! tokens instead of RFC 7592 registration access tokens.

use serde_json::{Map, Value, json};

use crate::change::Change;
use crate::error::{ErrorCode, Report, Source, Violation};
use crate::policy::{ClaimMapping, MappingMode, Policy, ProfileId, RequestJwtMode, RoleScopesPolicy};

use super::{Recipe, clip, meta, owned, strings, uri_host, uri_scheme};

const CIBA: &str = "urn:openid:params:grant-type:ciba";

/// The `uk-openbanking` recipe.
#[must_use]
pub fn policy() -> Policy {
    let mut r = Recipe(super::fapi1::policy());
    r.0.profile = ProfileId::UkOpenBanking;
    r.default("response_types", json!(["code id_token"]), &["UKOB-META-05"]);
    r.allow("token_endpoint_auth_method", &["private_key_jwt", "tls_client_auth"], &["UKOB-META-03", "FAPI1-AUTH-01"])
        .allow("grant_types", &["client_credentials", "authorization_code", "refresh_token", CIBA], &["UKOB-META-04"])
        .allow("response_types", &["code", "code id_token"], &["UKOB-META-05"])
        .allow("application_type", &["web", "native"], &["UKOB-META-06"])
        .allow("backchannel_token_delivery_mode", &["poll", "ping"], &["UKOB-CIBA-01"])
        .allow("backchannel_authentication_request_signing_alg", &["PS256", "ES256"], &["UKOB-CIBA-03", "FAPI1-ALG-01"])
        .allow("token_endpoint_auth_signing_alg", &["PS256", "ES256"], &["UKOB-ALG-01", "FAPI1-AUTH-03"])
        .allow("id_token_signed_response_alg", &["PS256", "ES256"], &["UKOB-META-07", "FAPI1-ALG-01"])
        .allow("request_object_signing_alg", &["PS256", "ES256"], &["UKOB-META-07", "FAPI1-ALG-01"]);
    r.require("redirect_uris", &["UKOB-META-01"]).require("scope", &["UKOB-META-08"]);
    // Signed registration request (UKOB-REQ-*).
    r.0.request_jwt.mode = RequestJwtMode::Required;
    r.0.request_jwt.required_claims = owned(&["iss", "iat", "exp", "aud", "jti"]);
    r.0.request_jwt.iss_equals_ssa_claim = Some("software_id".to_owned());
    r.cite("/request_jwt/mode", &["UKOB-REQ-01"])
        .cite("/request_jwt/signing_algs", &["UKOB-REQ-08", "FAPI1-ALG-01"])
        .cite("/request_jwt/required_claims", &["UKOB-REQ-02", "UKOB-REQ-05"])
        .cite("/request_jwt/iss_equals_ssa_claim", &["UKOB-REQ-03", "UKOB-REQ-04"])
        .cite("/request_jwt/audience", &["UKOB-REQ-06"]);
    r.require_in_request("token_endpoint_auth_method", &["UKOB-META-03"])
        .require_in_request("grant_types", &["UKOB-META-04"])
        .require_in_request("application_type", &["UKOB-META-06"])
        .require_in_request("id_token_signed_response_alg", &["UKOB-META-07"])
        .require_in_request("request_object_signing_alg", &["UKOB-META-07"])
        .require_in_request("software_statement", &["UKOB-META-11"]);
    // OB Directory SSA (UKOB-SSA-*).
    let ss = &mut r.0.software_statement;
    ss.required = true;
    ss.typ = Some("JWT".to_owned());
    ss.required_claims = owned(&["software_id", "iss", "iat", "jti"]);
    ss.required_values.insert("org_status".to_owned(), json!("Active"));
    ss.software_jwks_claims = owned(&["software_jwks_endpoint"]);
    ss.role_scopes = Some(RoleScopesPolicy {
        claim: "software_roles".to_owned(),
        scopes: [("AISP", "accounts"), ("PISP", "payments"), ("CBPII", "fundsconfirmations")]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), vec![(*v).to_owned()]))
            .collect(),
        always: owned(&["openid"]),
        // UKOB-META-08: `scope` is required in the request (MUST); it is not
        // filled from the roles (a policy may turn that back on).
        default_when_absent: false,
        ..RoleScopesPolicy::default()
    });
    r.cite("/software_statement/required", &["UKOB-META-11"])
        .cite("/software_statement/typ", &["UKOB-SSA-02"])
        .cite("/software_statement/signing_algs", &["UKOB-SSA-02", "FAPI1-ALG-01"])
        .cite("/software_statement/required_claims", &["UKOB-SSA-04"])
        .cite("/software_statement/required_values/org_status", &["UKOB-SSA-05"])
        .cite("/software_statement/trusted_issuers", &["UKOB-SSA-01", "UKOB-SSA-07"])
        .cite("/software_statement/max_age", &["UKOB-SSA-09"])
        .cite("/software_statement/software_jwks_claims", &["UKOB-REQ-04"])
        .cite("/software_statement/role_scopes", &["UKOB-SSA-06", "UKOB-META-08"])
        .cite("/software_statement/role_scopes/default_when_absent", &["UKOB-META-08"]);
    // UKOB-SSA-08 claim → metadata mapping; UKOB-SSA-03 / UKOB-META-02 redirect subset.
    for (claim, field) in [
        ("software_client_name", "client_name"),
        ("software_client_uri", "client_uri"),
        ("software_logo_uri", "logo_uri"),
        ("software_policy_uri", "policy_uri"),
        ("software_tos_uri", "tos_uri"),
        ("software_jwks_endpoint", "jwks_uri"),
        ("software_version", "software_version"),
    ] {
        r.map_claim(claim, ClaimMapping::to(field, MappingMode::Override, "UKOB-SSA-08"));
    }
    r.map_claim(
        "software_id",
        ClaimMapping::to("software_id", MappingMode::Equal, "UKOB-META-10").with_error(ErrorCode::InvalidSoftwareStatement),
    );
    r.map_claim("software_redirect_uris", ClaimMapping::to("redirect_uris", MappingMode::Subset, "UKOB-SSA-03"));
    // Endpoints: mTLS for POST; client-credentials token (not a RAT) for GET/PUT/DELETE.
    r.0.endpoint.require_mtls = true;
    r.0.endpoint.require_bearer_token = false;
    r.0.endpoint.require_software_statement = true;
    r.0.management_endpoint.require_mtls = true;
    r.0.management_endpoint.require_bearer_token = true;
    r.0.registration_access_token.generate = false;
    r.0.management.require_software_statement_on_update = true;
    // UKOB-META-14: every SSA claim is also a top-level response member.
    r.0.response.flatten_ssa_claims = true;
    r.cite("/response/flatten_ssa_claims", &["UKOB-META-14"]);
    r.cite("/endpoint/require_mtls", &["UKOB-AUTH-01"])
        .cite("/endpoint/require_bearer_token", &["UKOB-AUTH-01"])
        .cite("/endpoint/require_software_statement", &["UKOB-META-11"])
        .cite("/management_endpoint/require_mtls", &["UKOB-AUTH-02"])
        .cite("/management_endpoint/require_bearer_token", &["UKOB-AUTH-02"])
        .cite("/registration_access_token/generate", &["UKOB-AUTH-02"])
        .cite("/management/require_software_statement_on_update", &["UKOB-MGMT-03"])
        .cite("/management/allow_delete", &["UKOB-MGMT-06", "UKOB-MGMT-05"])
        .cite("/management/immutable_fields", &["UKOB-META-10"])
        .cite("/endpoint/allow_custom_client_creds", &["UKOB-META-09"]);
    r.0
}

/// UKOB-META-06: v3.3 `application_type: mobile` is v3.4's `native`.
pub fn apply_defaults(client: &mut Map<String, Value>, changes: &mut Vec<Change>) {
    if client.get("application_type").and_then(Value::as_str) == Some("mobile") {
        client.insert("application_type".to_owned(), json!("native"));
        changes.push(Change::overridden(
            "application_type",
            json!("mobile"),
            json!("native"),
            "UKOB-META-06",
            "uk open banking v3.3 `mobile` is `native`",
        ));
    }
}

/// Coded UK OB metadata rules on the final client.
pub fn check_metadata(client: &Map<String, Value>, _policy: &Policy, report: &mut Report) {
    // UKOB-META-01: https, no `localhost`, at most 256 characters.
    for (i, uri) in strings(client, "redirect_uris") {
        let path = crate::pointer::item("redirect_uris", i);
        if uri_scheme(uri).as_deref() != Some("https") {
            report.push(meta(ErrorCode::InvalidRedirectUri, "UKOB-META-01", path, "redirect uris must use `https`").with_reason("scheme"));
        } else if uri_host(uri).as_deref() == Some("localhost") {
            report.push(
                meta(ErrorCode::InvalidRedirectUri, "UKOB-META-01", path, "redirect uris must not use host `localhost`")
                    .with_reason("localhost"),
            );
        } else if uri.chars().count() > 256 {
            report.push(
                meta(ErrorCode::InvalidRedirectUri, "UKOB-META-01", path, "redirect uris are at most 256 characters")
                    .with_reason("too_long"),
            );
        }
    }
    // UKOB-META-12: `tls_client_auth` identifies the certificate by subject DN.
    if client.get("token_endpoint_auth_method").and_then(Value::as_str) == Some("tls_client_auth")
        && !client.get("tls_client_auth_subject_dn").is_some_and(Value::is_string)
    {
        report.push(
            meta(
                ErrorCode::InvalidClientMetadata,
                "UKOB-META-12",
                "/tls_client_auth_subject_dn",
                "`tls_client_auth` needs `tls_client_auth_subject_dn`",
            )
            .with_reason("missing"),
        );
    }
    // UKOB-CIBA-04: the user-code flag appears only with CIBA, and only as `false`.
    let ciba = strings(client, "grant_types").iter().any(|(_, g)| *g == CIBA);
    // UKOB-CIBA-01 / UKOB-CIBA-03: the delivery mode and the request signing alg
    // are present only if the ciba grant is (their absence with it is CIBA-META-*).
    for (field, rule) in
        [("backchannel_token_delivery_mode", "UKOB-CIBA-01"), ("backchannel_authentication_request_signing_alg", "UKOB-CIBA-03")]
    {
        if !ciba && client.contains_key(field) {
            report.push(
                meta(
                    ErrorCode::InvalidClientMetadata,
                    rule,
                    crate::pointer::field(field),
                    format!("`{field}` is only allowed with the ciba grant"),
                )
                .with_reason("without_ciba"),
            );
        }
    }
    // UKOB-CIBA-02: the notification endpoint is present only for CIBA in a mode
    // other than `poll` (its absence there is CIBA-META-02), at most 256 characters.
    if let Some(endpoint) = client.get("backchannel_client_notification_endpoint") {
        let path = "/backchannel_client_notification_endpoint";
        let mode = client.get("backchannel_token_delivery_mode").and_then(Value::as_str);
        if !ciba || !matches!(mode, Some("ping" | "push")) {
            report.push(
                meta(
                    ErrorCode::InvalidClientMetadata,
                    "UKOB-CIBA-02",
                    path,
                    "`backchannel_client_notification_endpoint` is only registered for ciba in `ping` mode",
                )
                .with_reason("not_allowed"),
            );
        } else if endpoint.as_str().is_some_and(|u| u.chars().count() > 256) {
            report.push(
                meta(ErrorCode::InvalidClientMetadata, "UKOB-CIBA-02", path, "the notification endpoint is at most 256 characters")
                    .with_reason("too_long"),
            );
        }
    }
    for field in ["backchannel_user_code_parameter_supported", "backchannel_user_code_parameter"] {
        match client.get(field) {
            None => {}
            Some(_) if !ciba => report.push(
                meta(
                    ErrorCode::InvalidClientMetadata,
                    "UKOB-CIBA-04",
                    crate::pointer::field(field),
                    format!("`{field}` is only allowed with the ciba grant"),
                )
                .with_reason("without_ciba"),
            ),
            Some(Value::Bool(false)) => {}
            Some(_) => report.push(
                meta(ErrorCode::InvalidClientMetadata, "UKOB-CIBA-04", crate::pointer::field(field), format!("`{field}` must be `false`"))
                    .with_reason("value"),
            ),
        }
    }
}

/// Coded UK OB rules on the signed request's claims.
pub fn check_request_claims(claims: &Map<String, Value>, _policy: &Policy, report: &mut Report) {
    // UKOB-REQ-03: `iss` is a Base62 id of 1..22 characters.
    if let Some(Value::String(iss)) = claims.get("iss")
        && (iss.is_empty() || iss.len() > 22 || !iss.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        report.push(
            Violation::new(
                ErrorCode::InvalidClientMetadata,
                "UKOB-REQ-03",
                "/iss",
                format!("`iss` `{}` must be 1 to 22 letters or digits", clip(iss)),
            )
            .in_source(Source::RequestJwt)
            .with_reason("format"),
        );
    }
    // UKOB-REQ-07: `jti` is a UUID v4 (either case).
    if let Some(jti) = claims.get("jti")
        && !jti.as_str().is_some_and(is_uuid_v4)
    {
        report.push(
            Violation::new(ErrorCode::InvalidClientMetadata, "UKOB-REQ-07", "/jti", "`jti` must be a uuid v4")
                .in_source(Source::RequestJwt)
                .with_reason("format"),
        );
    }
    // UKOB-META-07: `token_endpoint_auth_signing_alg` is sent for jwt client authentication.
    let jwt_method =
        matches!(claims.get("token_endpoint_auth_method").and_then(Value::as_str), Some("private_key_jwt" | "client_secret_jwt"));
    if jwt_method && claims.get("token_endpoint_auth_signing_alg").is_none_or(Value::is_null) {
        report.push(
            Violation::new(
                ErrorCode::InvalidClientMetadata,
                "UKOB-META-07",
                "/token_endpoint_auth_signing_alg",
                "jwt client authentication needs `token_endpoint_auth_signing_alg`",
            )
            .in_source(Source::RequestJwt)
            .with_reason("missing"),
        );
    }
}

/// RFC 4122 version 4, variant 1 (`xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`).
#[must_use]
pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { c.is_ascii_hexdigit() })
        && b.get(14) == Some(&b'4')
        && b.get(19).is_some_and(|c| matches!(c.to_ascii_lowercase(), b'8' | b'9' | b'a' | b'b'))
}
