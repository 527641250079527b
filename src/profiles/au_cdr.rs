//! `au-cdr` (ISVA `FAPI_AU-CDR`): Australia Consumer Data Right DCR on top
//! of `fapi1-advanced` (`shared/spec/au-cdr.md`): `application/jwt` signed
//! request verified with the SSA's `jwks_uri`, SSA from `cdr-register`,
//! `private_key_jwt` only, `redirect_uris` ⊆ the SSA's, unsupported fields
//! dropped, management with a `cdr:registration` token.

use serde_json::{Map, Value, json};

use crate::error::{ErrorCode, Report, Severity, Source, Violation};
use crate::host::Context;
use crate::metadata::checks::Level;
use crate::policy::{ClaimMapping, MappingMode, Policy, ProfileId, RequestJwtMode, UnknownFields};

use super::{Recipe, meta, owned, response_types};

/// 12 May 2025 00:00 AEST: from then on ADRs use only `code` (AUCDR-META-05).
pub const HYBRID_CUTOFF: i64 = 1_746_972_000;

/// The `au-cdr` recipe.
#[must_use]
pub fn policy() -> Policy {
    let mut r = Recipe(super::fapi1::policy());
    r.0.profile = ProfileId::AuCdr;
    r.default("response_types", json!(["code"]), &["AUCDR-META-05"]).default(
        "request_object_signing_alg",
        json!("PS256"),
        &["AUCDR-META-10", "FAPI1-ALG-03"],
    );
    r.allow("token_endpoint_auth_method", &["private_key_jwt"], &["AUCDR-META-02", "AUCDR-CLIENT-01"])
        .allow("grant_types", &["client_credentials", "authorization_code", "refresh_token"], &["AUCDR-META-04"])
        .allow("response_types", &["code", "code id_token"], &["AUCDR-META-05"])
        .allow("application_type", &["web"], &["AUCDR-META-09"])
        .allow("token_endpoint_auth_signing_alg", &["PS256", "ES256"], &["AUCDR-META-03", "FAPI1-AUTH-03"])
        .allow("id_token_encrypted_response_alg", &["RSA-OAEP", "RSA-OAEP-256"], &["AUCDR-META-06"])
        .allow("id_token_encrypted_response_enc", &["A256GCM", "A128CBC-HS256"], &["AUCDR-META-06"])
        .allow("authorization_encrypted_response_alg", &["RSA-OAEP", "RSA-OAEP-256"], &["AUCDR-META-08"])
        .allow("authorization_encrypted_response_enc", &["A256GCM", "A128CBC-HS256"], &["AUCDR-META-08"])
        .allow("authorization_signed_response_alg", &["PS256", "ES256"], &["AUCDR-META-07", "FAPI1-ALG-01"]);
    r.forbid("jwks", &["AUCDR-KEYS-01"]);
    r.0.unknown_fields = UnknownFields::Drop;
    r.cite("/unknown_fields", &["AUCDR-META-12", "RFC7591-META-02"]);
    // AUCDR-SECTOR-01: the CDR mock server only checks that the SSA's
    // `sector_identifier_uri` answers with a success status, so a fetched
    // array that does not list every redirect URI (or is not an array) is a
    // warning here, not the OIDC rejection (OIDCDCR-SECTOR-02). A failed
    // fetch is still refused, and so is a registration whose array the host
    // did not fetch (`sector_identifier_content` stays `reject`: the success
    // status cannot be known without the fetch; hosts that do not fetch set
    // it to `off`).
    r.0.checks.sector_identifier_redirect_uris = Level::Warn;
    r.cite("/checks/sector_identifier_content", &["AUCDR-SECTOR-01", "OIDCDCR-SECTOR-02"])
        .cite("/checks/sector_identifier_redirect_uris", &["AUCDR-SECTOR-01", "OIDCDCR-SECTOR-02"]);
    r.0.switches.hybrid_response_type_until = Some(HYBRID_CUTOFF);
    r.cite("/switches/hybrid_response_type_until", &["AUCDR-META-05"]);
    r.cite("/switches/code_flow_id_token_encryption", &["AUCDR-META-06"]);
    // Signed request (AUCDR-REQ-*).
    r.0.request_jwt.mode = RequestJwtMode::Required;
    r.0.request_jwt.required_claims = owned(&["iss", "iat", "exp", "jti", "aud"]);
    r.0.request_jwt.iss_equals_ssa_claim = Some("software_id".to_owned());
    r.cite("/request_jwt/mode", &["AUCDR-REQ-01"])
        .cite("/request_jwt/signing_algs", &["AUCDR-REQ-02", "FAPI1-ALG-01"])
        .cite("/request_jwt/required_claims", &["AUCDR-REQ-04", "AUCDR-REQ-05"])
        .cite("/request_jwt/iss_equals_ssa_claim", &["AUCDR-REQ-03"])
        .cite("/request_jwt/audience", &["AUCDR-REQ-04"]);
    r.require_in_request("token_endpoint_auth_method", &["AUCDR-META-02"])
        .require_in_request("token_endpoint_auth_signing_alg", &["AUCDR-META-03"])
        .require_in_request("grant_types", &["AUCDR-META-04"])
        .require_in_request("response_types", &["AUCDR-META-05"])
        .require_in_request("id_token_signed_response_alg", &["AUCDR-META-06"])
        .require_in_request("software_statement", &["AUCDR-META-11"]);
    // CDR Register SSA (AUCDR-SSA-*).
    let ss = &mut r.0.software_statement;
    ss.required = true;
    ss.trusted_issuers = owned(&["cdr-register"]);
    ss.signing_algs = owned(&["PS256"]);
    ss.required_claims = owned(&[
        "iss",
        "iat",
        "exp",
        "jti",
        "org_id",
        "org_name",
        "client_name",
        "client_description",
        "client_uri",
        "redirect_uris",
        "logo_uri",
        "jwks_uri",
        "revocation_uri",
        "recipient_base_uri",
        "software_id",
        "software_roles",
        "scope",
    ]);
    ss.required_values.insert("software_roles".to_owned(), json!("data-recipient-software-product"));
    ss.software_jwks_claims = owned(&["jwks_uri"]);
    r.cite("/software_statement/required", &["AUCDR-META-11"])
        .cite("/software_statement/trusted_issuers", &["AUCDR-SSA-01"])
        .cite("/software_statement/signing_algs", &["AUCDR-SSA-01"])
        .cite("/software_statement/required_claims", &["AUCDR-SSA-02", "AUCDR-SSA-03"])
        .cite("/software_statement/required_values/software_roles", &["AUCDR-SSA-03"])
        .cite("/software_statement/software_jwks_claims", &["AUCDR-REQ-03", "AUCDR-KEYS-01"]);
    // AUCDR-META-01 / AUCDR-SSA-04: sent `redirect_uris` ⊆ the SSA's; absent → the SSA's list.
    r.map_claim("redirect_uris", ClaimMapping::to("redirect_uris", MappingMode::Subset, "AUCDR-SSA-04"))
        .map_claim("jwks_uri", ClaimMapping::to("jwks_uri", MappingMode::Override, "AUCDR-KEYS-01"))
        .map_claim("scope", ClaimMapping::to("scope", MappingMode::Override, "AUCDR-SSA-06"));
    // AUCDR-SSA-05: the remaining SSA metadata is registered as is (1:1).
    for claim in [
        "client_name",
        "client_description",
        "client_uri",
        "logo_uri",
        "tos_uri",
        "policy_uri",
        "sector_identifier_uri",
        "software_id",
        "software_roles",
        "org_id",
        "org_name",
        "legal_entity_id",
        "legal_entity_name",
        "revocation_uri",
        "recipient_base_uri",
    ] {
        r.map_claim(claim, ClaimMapping::to(claim, MappingMode::Override, "AUCDR-SSA-05"));
    }
    // Endpoints.
    r.0.endpoint.require_mtls = true;
    r.0.endpoint.require_bearer_token = false;
    r.0.endpoint.require_software_statement = true;
    r.0.management_endpoint.require_mtls = true;
    r.0.management_endpoint.require_bearer_token = true;
    r.0.management_endpoint.bearer_token_scopes = owned(&["cdr:registration"]);
    r.0.registration_access_token.generate = false;
    r.0.management.require_software_statement_on_update = true;
    r.cite("/endpoint/require_mtls", &["AUCDR-AUTH-01"])
        .cite("/endpoint/require_bearer_token", &["AUCDR-AUTH-01"])
        .cite("/endpoint/require_software_statement", &["AUCDR-META-11"])
        .cite("/management_endpoint/require_mtls", &["AUCDR-MGMT-01"])
        .cite("/management_endpoint/require_bearer_token", &["AUCDR-MGMT-01", "AUCDR-MGMT-05"])
        .cite("/management_endpoint/bearer_token_scopes", &["AUCDR-MGMT-01", "AUCDR-MGMT-04"])
        .cite("/registration_access_token/generate", &["AUCDR-MGMT-01"])
        .cite("/management/require_software_statement_on_update", &["AUCDR-MGMT-03"])
        .cite("/management/allow_delete", &["AUCDR-MGMT-02"])
        .cite("/management/immutable_fields", &["AUCDR-DUP-01"]);
    r.0
}

/// Coded CDR metadata rules on the final client.
pub fn check_metadata(client: &Map<String, Value>, policy: &Policy, ctx: &Context, report: &mut Report) {
    let rts = response_types(client);
    let hybrid = rts.iter().any(|t| t == "code id_token");
    // AUCDR-META-05: after the cut-over, ADRs use only `code`.
    if hybrid && policy.switches.hybrid_response_type_until.is_some_and(|until| ctx.now >= until) {
        report.push(
            meta(
                ErrorCode::InvalidClientMetadata,
                policy.rule_for("/switches/hybrid_response_type_until"),
                "/response_types",
                "response type `code id_token` is no longer accepted: use `code`",
            )
            .with_reason("hybrid_retired"),
        );
    }
    // AUCDR-META-06: ID Token encryption with the hybrid flow, and only then.
    let has_enc = client.get("id_token_encrypted_response_alg").is_some_and(Value::is_string);
    if hybrid && !has_enc {
        report.push(
            meta(
                ErrorCode::InvalidClientMetadata,
                "AUCDR-META-06",
                "/id_token_encrypted_response_alg",
                "response type `code id_token` needs `id_token_encrypted_response_alg`",
            )
            .with_reason("missing"),
        );
    }
    // AUCDR-META-06 with `code` alone: refused by default (the digest: "must not
    // be used with the code flow alone"). `switches.code_flow_id_token_encryption:
    // warn` accepts them unused: ADRs register one composite client for both
    // flows, the DSB's urgent change (standards-maintenance #576, decision 298)
    // has DHs that do not encrypt ACF ID Tokens ignore them, and the CDR
    // participant tooling registers ACF clients with `RSA-OAEP` / `A256GCM` and
    // expects 201 (`US44264_..._JARM_DCR` AC26).
    let severity = match policy.switches.code_flow_id_token_encryption {
        Level::Off => None,
        Level::Warn => Some(Severity::Warning),
        Level::Reject => Some(Severity::Error),
    };
    if let Some(severity) = severity
        && !hybrid
        && !rts.is_empty()
    {
        for field in ["id_token_encrypted_response_alg", "id_token_encrypted_response_enc"] {
            if client.contains_key(field) {
                report.push(
                    meta(
                        ErrorCode::InvalidClientMetadata,
                        "AUCDR-META-06",
                        crate::pointer::field(field),
                        format!("`{field}` must not be registered with the authorization code flow alone"),
                    )
                    .with_reason("code_flow")
                    .with_severity(severity),
                );
            }
        }
    }
}

/// Coded CDR rules on the signed request's claims (what the ADR itself sent,
/// before any default).
pub fn check_request_claims(claims: &Map<String, Value>, _policy: &Policy, report: &mut Report) {
    let rts = response_types(claims);
    // AUCDR-META-07: `code` needs `authorization_signed_response_alg`, sent by the
    // ADR; a JSON `null` is no value (the CDR tooling's "claim is missing" case).
    if rts.iter().any(|t| t == "code") && claims.get("authorization_signed_response_alg").is_none_or(Value::is_null) {
        report.push(
            Violation::new(
                ErrorCode::InvalidClientMetadata,
                "AUCDR-META-07",
                "/authorization_signed_response_alg",
                "response type `code` needs `authorization_signed_response_alg`",
            )
            .in_source(Source::RequestJwt)
            .with_reason("missing"),
        );
    }
    // AUCDR-META-06: the hybrid flow needs `id_token_encrypted_response_enc`
    // sent too (the `_alg` is checked on the final client; the OIDC default
    // would otherwise fill the `_enc` silently).
    if rts.iter().any(|t| t == "code id_token") && claims.get("id_token_encrypted_response_enc").is_none_or(Value::is_null) {
        report.push(
            Violation::new(
                ErrorCode::InvalidClientMetadata,
                "AUCDR-META-06",
                "/id_token_encrypted_response_enc",
                "response type `code id_token` needs `id_token_encrypted_response_enc`",
            )
            .in_source(Source::RequestJwt)
            .with_reason("missing"),
        );
    }
}
