//! `br-openfinance`: Open Finance Brasil DCR (ID3) on top of
//! `fapi1-advanced` (`shared/spec/br-openfinance.md`): plain JSON body, SSA
//! from the Directory of Participants at most 5 minutes old, PS256 only,
//! keys by reference from the SSA's `software_jwks_uri`, the client bound to
//! the SSA through its mTLS certificate (BROF-DN-*). No ISVA recipe.

use serde_json::{Map, Value, json};

use crate::change::Change;
use crate::error::{ErrorCode, Report};
use crate::policy::{ClaimMapping, MappingMode, OrganizationIdentifierBinding, Policy, ProfileId, RequestJwtMode, RoleScopesPolicy};

use super::fapi1::{ALG_FIELDS, ENC_ALG_FIELDS, list_invariant, subset_invariant};
use super::{Recipe, dn, meta, owned, strings};

/// Regulatory role → scopes (DCR-ID3 "Regulatory Roles for OpenID and OAuth 2.0 Mappings").
const ROLE_SCOPES: [(&str, &[&str]); 4] = [
    (
        "DADOS",
        &[
            "openid",
            "accounts",
            "credit-cards-accounts",
            "consents",
            "customers",
            "invoice-financings",
            "financings",
            "loans",
            "unarranged-accounts-overdraft",
            "resources",
        ],
    ),
    ("PAGTO", &["openid", "payments"]),
    ("CONTA", &["openid"]),
    ("CCORR", &["openid"]),
];

/// The `br-openfinance` recipe.
#[must_use]
pub fn policy() -> Policy {
    let mut r = Recipe(super::fapi1::policy());
    r.0.profile = ProfileId::BrOpenFinance;
    r.default("token_endpoint_auth_method", json!("private_key_jwt"), &["BROF-META-02", "BROF-DEF-01"])
        .default("response_types", json!(["code id_token"]), &["BROF-META-03", "BROF-DEF-01"])
        .default("subject_type", json!("public"), &["BROF-META-05", "BROF-DEF-01"])
        .default("id_token_encrypted_response_alg", json!("RSA-OAEP"), &["BROF-META-06", "BROF-ALG-02"])
        .default("id_token_encrypted_response_enc", json!("A256GCM"), &["BROF-META-06", "BROF-ALG-02"]);
    r.allow("token_endpoint_auth_method", &["private_key_jwt", "tls_client_auth"], &["BROF-META-02"])
        .allow("response_types", &["code id_token", "code"], &["BROF-META-03"])
        .allow("grant_types", &["client_credentials", "authorization_code", "refresh_token"], &["BROF-META-04"])
        .allow("subject_type", &["public"], &["BROF-META-05"]);
    for field in ALG_FIELDS {
        r.allow(field, &["PS256"], &["BROF-ALG-01"]);
    }
    for field in ENC_ALG_FIELDS {
        r.allow(field, &["RSA-OAEP"], &["BROF-ALG-02"]);
        let enc = field.replace("_alg", "_enc");
        r.allow(&enc, &["A256GCM"], &["BROF-ALG-02"]);
    }
    r.require("redirect_uris", &["BROF-META-01", "BROF-SSA-04"]);
    r.forbid("jwks", &["BROF-JWKS-01"]);
    r.0.switches.default_encryption_enc = Some("A256GCM".to_owned());
    r.cite("/switches/default_encryption_enc", &["BROF-ALG-02"]);
    // Plain JSON body: the client is bound to the SSA by its certificate instead.
    r.0.request_jwt.mode = RequestJwtMode::Forbidden;
    r.0.request_jwt.signing_algs = owned(&["PS256"]);
    r.cite("/request_jwt/mode", &["BROF-META-01"]).cite("/request_jwt/signing_algs", &["BROF-ALG-01"]);
    // Directory SSA.
    let ss = &mut r.0.software_statement;
    ss.required = true;
    ss.signing_algs = owned(&["PS256"]);
    ss.max_age = Some(300);
    ss.required_claims = owned(&["iss", "iat", "software_id", "org_id", "software_redirect_uris", "software_statement_roles"]);
    ss.software_jwks_claims = owned(&["software_jwks_uri", "software_jwks_endpoint"]);
    ss.role_scopes = Some(RoleScopesPolicy {
        claim: "software_statement_roles".to_owned(),
        role_key: Some("role".to_owned()),
        status_key: Some("status".to_owned()),
        active_status: Some("Active".to_owned()),
        scopes: ROLE_SCOPES.iter().map(|(role, scopes)| ((*role).to_owned(), owned(scopes))).collect(),
        always: owned(&["openid"]),
        default_when_absent: true,
    });
    r.cite("/software_statement/required", &["BROF-SSA-01"])
        .cite("/software_statement/signing_algs", &["BROF-SSA-01", "BROF-ALG-01"])
        .cite("/software_statement/trusted_issuers", &["BROF-SSA-01"])
        .cite("/software_statement/max_age", &["BROF-SSA-02"])
        .cite("/software_statement/required_claims", &["BROF-SSA-01", "BROF-SSA-03", "BROF-SSA-05"])
        .cite("/software_statement/software_jwks_claims", &["BROF-JWKS-02"])
        .cite("/software_statement/role_scopes", &["BROF-SCOPE-01"])
        .cite("/software_statement/role_scopes/active_status", &["BROF-SSA-05"])
        .cite("/software_statement/role_scopes/default_when_absent", &["BROF-DEF-01"]);
    for (claim, field) in [
        ("software_client_name", "client_name"),
        ("software_client_uri", "client_uri"),
        ("software_logo_uri", "logo_uri"),
        ("software_policy_uri", "policy_uri"),
        ("software_tos_uri", "tos_uri"),
        ("software_id", "software_id"),
        ("software_version", "software_version"),
    ] {
        r.map_claim(claim, ClaimMapping::to(field, MappingMode::Override, "BROF-SSA-03"));
    }
    r.map_claim("software_jwks_uri", ClaimMapping::to("jwks_uri", MappingMode::Equal, "BROF-JWKS-02"))
        .map_claim("software_jwks_endpoint", ClaimMapping::to("jwks_uri", MappingMode::Equal, "BROF-JWKS-02"))
        // BROF-SSA-04 / BROF-META-01: `redirect_uris` is required in the request, so it is
        // not filled from the SSA (the OIDF Brazil DCR "no redirect uri" modules expect a 400;
        // BROF-DEF-01's "fill values from the SSA" covers the optional fields).
        .map_claim("software_redirect_uris", ClaimMapping::to("redirect_uris", MappingMode::Subset, "BROF-SSA-04").without_fill());
    // Certificate binding.
    r.0.certificate_binding.subject_dn_must_match = true;
    r.0.certificate_binding.uid_equals_ssa_claim = Some("software_id".to_owned());
    r.0.certificate_binding.organization_identifier =
        Some(OrganizationIdentifierBinding { prefix: "OFBBR-".to_owned(), claim: "org_id".to_owned() });
    r.cite("/certificate_binding/subject_dn_must_match", &["BROF-DN-05", "RFC8705-AUTH-07", "RFC8705-AUTH-02"])
        .cite("/certificate_binding/uid_equals_ssa_claim", &["BROF-DN-03"])
        .cite("/certificate_binding/organization_identifier", &["BROF-DN-04"]);
    // Endpoints: mTLS everywhere; RFC 7592 registration access token for management.
    r.0.endpoint.require_mtls = true;
    r.0.endpoint.require_bearer_token = false;
    r.0.endpoint.require_software_statement = true;
    r.0.management_endpoint.require_mtls = true;
    // BROF-MGMT-01: management calls present the registration access token
    // (RFC 7592), not a client-credentials access token validated by the host.
    r.0.management_endpoint.require_bearer_token = false;
    r.0.registration_access_token.generate = true;
    r.0.management.require_software_statement_on_update = true;
    r.cite("/endpoint/require_mtls", &["BROF-MTLS-01"])
        .cite("/endpoint/require_bearer_token", &["BROF-MTLS-01"])
        .cite("/endpoint/require_software_statement", &["BROF-SSA-01"])
        .cite("/management_endpoint/require_mtls", &["BROF-MTLS-01", "BROF-MGMT-01"])
        .cite("/management_endpoint/require_bearer_token", &["BROF-MGMT-01"])
        .cite("/registration_access_token/generate", &["BROF-MGMT-01"])
        .cite("/management/require_software_statement_on_update", &["BROF-MTLS-01", "BROF-SSA-01"]);
    r.0
}

/// BROF-META-07: the swagger's `required_auth_time` is `require_auth_time`.
pub fn apply_defaults(client: &mut Map<String, Value>, changes: &mut Vec<Change>) {
    if let Some(v) = client.remove("required_auth_time") {
        changes.push(Change::removed("required_auth_time", v.clone(), "BROF-META-07", "misspelling of `require_auth_time`"));
        if !client.contains_key("require_auth_time") {
            client.insert("require_auth_time".to_owned(), v.clone());
            changes.push(Change::defaulted("require_auth_time", v, "BROF-META-07", "taken from `required_auth_time`"));
        }
    }
}

/// Coded Brazil metadata rules on the final client.
pub fn check_metadata(client: &Map<String, Value>, _policy: &Policy, report: &mut Report) {
    // BROF-SSA-04 (swagger): each redirect uri is at most 255 characters.
    for (i, uri) in strings(client, "redirect_uris") {
        if uri.chars().count() > 255 {
            report.push(
                meta(
                    ErrorCode::InvalidRedirectUri,
                    "BROF-SSA-04",
                    crate::pointer::item("redirect_uris", i),
                    "redirect uris are at most 255 characters",
                )
                .with_reason("too_long"),
            );
        }
    }
    if client.get("token_endpoint_auth_method").and_then(Value::as_str) == Some("tls_client_auth") {
        // BROF-DN-02: the certificate is identified by subject DN only.
        for field in ["tls_client_auth_san_dns", "tls_client_auth_san_uri", "tls_client_auth_san_ip", "tls_client_auth_san_email"] {
            if client.contains_key(field) {
                report.push(
                    meta(
                        ErrorCode::InvalidClientMetadata,
                        "BROF-DN-02",
                        crate::pointer::field(field),
                        format!("`tls_client_auth` clients identify their certificate with `tls_client_auth_subject_dn`, not `{field}`"),
                    )
                    .with_reason("san"),
                );
            }
        }
        // BROF-DN-01 / BROF-DN-06: the subject DN must parse (names or OID + hex forms).
        if let Some(Value::String(subject)) = client.get("tls_client_auth_subject_dn")
            && let Err(e) = dn::parse(subject)
        {
            report.push(
                meta(
                    ErrorCode::InvalidClientMetadata,
                    "BROF-DN-06",
                    "/tls_client_auth_subject_dn",
                    format!("`tls_client_auth_subject_dn` is not a distinguished name: {e}"),
                )
                .with_reason("format"),
            );
        }
    }
    // BROF-META-08: `webhook_uris` are https base urls without trailing `/`,
    // query or fragment, at most 255 characters, refused with the swagger's
    // own error code `invalid_webhook_uris` (BROF-ERR-01).
    match client.get("webhook_uris") {
        None => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                if !item.as_str().is_some_and(is_webhook_uri) {
                    report.push(
                        meta(
                            ErrorCode::InvalidWebhookUris,
                            "BROF-META-08",
                            crate::pointer::item("webhook_uris", i),
                            "webhook uris are `https` base urls without a trailing `/`, query or fragment",
                        )
                        .with_reason("invalid_webhook_uris"),
                    );
                }
            }
        }
        Some(_) => report.push(
            meta(ErrorCode::InvalidWebhookUris, "BROF-META-08", "/webhook_uris", "`webhook_uris` must be an array")
                .with_reason("invalid_webhook_uris"),
        ),
    }
}

/// `^(https:\/\/[^\s\/?#]+(?:\/[^\s\/?#]+)*)$`, at most 255 characters.
#[must_use]
pub fn is_webhook_uri(uri: &str) -> bool {
    let Some(rest) = uri.strip_prefix("https://") else {
        return false;
    };
    uri.chars().count() <= 255
        && rest.split('/').all(|seg| !seg.is_empty() && !seg.chars().any(|c| c.is_whitespace() || c == '?' || c == '#'))
}

/// Brazil narrows FAPI 1 to PS256 (BROF-ALG-01).
pub fn check_invariants(policy: &Policy, report: &mut Report) {
    for field in ALG_FIELDS {
        subset_invariant(policy, field, &["PS256"], "BROF-ALG-01", report);
    }
    list_invariant(&policy.software_statement.signing_algs, "/software_statement/signing_algs", &["PS256"], "BROF-SSA-01", report);
}
