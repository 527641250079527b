//! Built-in profiles (recipes) as policy data, plus the coded rules each
//! profile adds beyond data.
//!
//! A recipe is a [`Policy`] value ([`recipe`]); every data item cites its
//! rule IDs in `policy.rule_ids`. What data cannot say lives in the hooks the
//! registration pipeline calls, in this order:
//!
//! 1. [`check_ssa_claims`] — after the SSA verified (profile SSA values).
//! 2. [`software_jwks_location`] — the key set the host fetches to verify a
//!    signed request; then [`check_request_claims`] on the verified request.
//! 3. [`check_certificate_binding`] — mTLS certificate vs SSA (Brazil).
//! 4. [`merge_software_statement`] — SSA precedence and subset rules.
//! 5. [`apply_profile_defaults`] — conditional defaults and normalisations,
//!    before the generic `metadata::apply_enforce` / `apply_defaults`.
//! 6. [`check_metadata`] — after generic validation, on the final client.
//!
//! [`explain()`] and [`discovery()`] describe a policy; [`dn`] implements RFC
//! 4517 `distinguishedNameMatch`.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::change::{Change, ChangeAction};
use crate::error::{ErrorCode, Report, Source, Violation};
use crate::host::Context;
use crate::policy::{ClaimMapping, MappingMode, Policy, ProfileId, SenderConstraint};

pub mod au_cdr;
pub mod br_openfinance;
pub mod discovery;
pub mod dn;
pub mod explain;
pub mod fapi1;
pub mod fapi2;
pub mod isva;
pub mod oidc;
pub mod rfc7591;
pub mod uk_openbanking;

pub use discovery::discovery;
pub use explain::{Explanation, explain};

/// The built-in policy of a profile.
#[must_use]
pub fn recipe(id: ProfileId) -> Policy {
    match id {
        ProfileId::Rfc7591 => rfc7591::policy(),
        ProfileId::Oidc => oidc::policy(),
        ProfileId::Fapi1Advanced => fapi1::policy(),
        ProfileId::Fapi2 => fapi2::policy(),
        ProfileId::Fapi2MessageSigning => fapi2::message_signing_policy(),
        ProfileId::UkOpenBanking => uk_openbanking::policy(),
        ProfileId::AuCdr => au_cdr::policy(),
        ProfileId::BrOpenFinance => br_openfinance::policy(),
    }
}

// ---------------------------------------------------------------------------
// Hooks

/// Profile-specific metadata rules that are not expressible as data, run on
/// the client after SSA merge, defaults, overrides and generic validation.
pub fn check_metadata(client: &Map<String, Value>, policy: &Policy, ctx: &Context, report: &mut Report) {
    check_subject_dn_binding(client, policy, ctx, report);
    match policy.profile {
        ProfileId::Rfc7591 | ProfileId::Oidc => {}
        ProfileId::Fapi1Advanced => fapi1::check_metadata(client, policy, report),
        ProfileId::UkOpenBanking => {
            fapi1::check_metadata(client, policy, report);
            uk_openbanking::check_metadata(client, policy, report);
        }
        ProfileId::AuCdr => {
            fapi1::check_metadata(client, policy, report);
            au_cdr::check_metadata(client, policy, ctx, report);
        }
        ProfileId::BrOpenFinance => {
            fapi1::check_metadata(client, policy, report);
            br_openfinance::check_metadata(client, policy, report);
        }
        ProfileId::Fapi2 | ProfileId::Fapi2MessageSigning => fapi2::check_metadata(client, policy, report),
    }
}

/// The URL of the software's own key set named by the SSA (UK OB
/// `software_jwks_endpoint` UKOB-REQ-04, AU CDR `jwks_uri` AUCDR-REQ-03,
/// Brazil `software_jwks_uri` BROF-JWKS-02): the first claim of
/// `policy.software_statement.software_jwks_claims` holding an `https` URL.
/// The host fetches it to verify the signed request; the engine never does.
#[must_use]
pub fn software_jwks_location(policy: &Policy, ssa_claims: &Map<String, Value>) -> Option<String> {
    policy.software_statement.software_jwks_claims.iter().find_map(|claim| match ssa_claims.get(claim) {
        Some(Value::String(url)) if uri_scheme(url).as_deref() == Some("https") && uri_host(url).is_some_and(|h| !h.is_empty()) => {
            Some(url.clone())
        }
        _ => None,
    })
}

/// Applies the SSA to the client (RFC7591-SS-07: SSA values win over the same
/// plain metadata; conflicts are recorded as `from_software_statement`
/// changes with `from` / `to`), following `software_statement.claim_map`
/// and, when `map_metadata_claims` is on, mapping every SSA claim named like
/// a standard metadata field onto itself. `redirect_uris` are never silently
/// replaced (OIDCDCR-REDIRECT-02): a sent list must be a subset of the SSA's
/// (violation otherwise), an absent one is taken from the SSA (as a change).
/// Role-derived scopes (`role_scopes`) are defaulted or checked last.
///
/// Call only with the claims of a verified, trusted SSA (RFC7591-SS-08).
pub fn merge_software_statement(
    client: &mut Map<String, Value>,
    ssa_claims: &Map<String, Value>,
    policy: &Policy,
    changes: &mut Vec<Change>,
    report: &mut Report,
) {
    let ss = &policy.software_statement;
    let mut plan: Vec<(String, ClaimMapping)> = ss.claim_map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    if ss.map_metadata_claims {
        for claim in ssa_claims.keys() {
            if ss.claim_map.contains_key(claim) || !is_mappable_metadata_field(claim) {
                continue;
            }
            let mapping = if claim == "redirect_uris" {
                ClaimMapping::to(claim, MappingMode::Subset, "OIDCDCR-REDIRECT-02")
            } else {
                ClaimMapping::to(claim, MappingMode::Override, "RFC7591-SS-07")
            };
            plan.push((claim.clone(), mapping));
        }
    }
    let mut done: BTreeSet<String> = BTreeSet::new();
    for (claim, m) in plan {
        let Some(ssa_value) = ssa_claims.get(&claim) else {
            continue;
        };
        if m.mode == MappingMode::Ignore || done.contains(&m.to) {
            continue;
        }
        done.insert(m.to.clone());
        apply_mapping(client, &claim, ssa_value, &m, policy, changes, report);
    }
    if let Some(rs) = &ss.role_scopes {
        apply_role_scopes(client, ssa_claims, rs, policy, changes, report);
    }
}

/// Signed-request rules beyond the generic JWT checks, on the claims of a
/// verified signed registration request: `iss` equals the SSA claim named by
/// `request_jwt.iss_equals_ssa_claim` (UKOB-REQ-03, AUCDR-REQ-03), metadata
/// the client must send itself (`request_jwt.required_metadata`), and each
/// profile's coded request rules.
pub fn check_request_claims(request_claims: &Map<String, Value>, ssa_claims: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    let rj = &policy.request_jwt;
    if let Some(claim) = &rj.iss_equals_ssa_claim {
        let rule = policy.rule_for("/request_jwt/iss_equals_ssa_claim");
        match (request_claims.get("iss"), ssa_claims.get(claim)) {
            (Some(Value::String(iss)), Some(Value::String(expected))) if iss == expected => {}
            (Some(Value::String(iss)), Some(Value::String(_))) => report.push(
                Violation::new(
                    ErrorCode::InvalidClientMetadata,
                    rule,
                    "/iss",
                    format!("`iss` `{}` is not the software statement's `{claim}`", clip(iss)),
                )
                .in_source(Source::RequestJwt)
                .with_reason("mismatch"),
            ),
            (None, _) => report.push(
                Violation::new(ErrorCode::InvalidClientMetadata, rule, "/iss", "the signed request has no `iss`")
                    .in_source(Source::RequestJwt)
                    .with_reason("missing"),
            ),
            (Some(_), Some(Value::String(_))) => report.push(
                Violation::new(ErrorCode::InvalidClientMetadata, rule, "/iss", "`iss` must be a string")
                    .in_source(Source::RequestJwt)
                    .with_reason("type"),
            ),
            (Some(_), _) => report.push(
                Violation::new(
                    ErrorCode::InvalidSoftwareStatement,
                    rule,
                    crate::pointer::field(claim),
                    format!("the software statement has no string `{claim}` to compare `iss` with"),
                )
                .in_source(Source::SoftwareStatement)
                .with_reason("missing"),
            ),
        }
    }
    for field in &rj.required_metadata {
        if request_claims.get(field).is_none_or(Value::is_null) {
            let key = format!("/request_jwt/required_metadata/{}", crate::pointer::escape(field));
            let code = if field == "software_statement" { ErrorCode::InvalidSoftwareStatement } else { ErrorCode::InvalidClientMetadata };
            report.push(
                Violation::new(
                    code,
                    policy.rule_for(&key),
                    crate::pointer::field(field),
                    format!("the signed request must carry `{field}`"),
                )
                .in_source(Source::RequestJwt)
                .with_reason("missing"),
            );
        }
    }
    match policy.profile {
        ProfileId::UkOpenBanking => uk_openbanking::check_request_claims(request_claims, policy, report),
        ProfileId::AuCdr => au_cdr::check_request_claims(request_claims, policy, report),
        _ => {}
    }
}

/// Profile-required SSA values beyond the generic JWT checks (which own
/// signature, `iss` trust, timing and `required_claims` presence):
/// `software_statement.required_values` (UKOB-SSA-05 `org_status`,
/// AUCDR-SSA-03 `software_roles`), the software key-set claims being `https`
/// URLs, and active roles (BROF-SSA-05).
pub fn check_ssa_claims(ssa_claims: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    let ss = &policy.software_statement;
    for (claim, expected) in &ss.required_values {
        let key = format!("/software_statement/required_values/{}", crate::pointer::escape(claim));
        let ok = match ssa_claims.get(claim) {
            Some(Value::Array(items)) if !expected.is_array() => items.contains(expected),
            Some(v) => v == expected,
            None => false,
        };
        if !ok {
            let shown = match expected {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let reason = if ssa_claims.contains_key(claim) { "mismatch" } else { "missing" };
            let rule = policy.rule_for(&key);
            // Each rule's code comes from the digest: an organisation that is
            // not active is not approved (UKOB-SSA-05), a CDR statement
            // without the data-recipient role is invalid (AUCDR-SSA-03).
            let code = if rule == "AUCDR-SSA-03" { ErrorCode::InvalidSoftwareStatement } else { ErrorCode::UnapprovedSoftwareStatement };
            report.push(
                Violation::new(
                    code,
                    rule,
                    crate::pointer::field(claim),
                    format!("the software statement's `{claim}` must be `{}`", clip(&shown)),
                )
                .in_source(Source::SoftwareStatement)
                .with_reason(reason),
            );
        }
    }
    for claim in &ss.software_jwks_claims {
        match ssa_claims.get(claim) {
            None => {}
            Some(Value::String(url)) if uri_scheme(url).as_deref() == Some("https") && uri_host(url).is_some_and(|h| !h.is_empty()) => {}
            Some(_) => report.push(
                Violation::new(
                    ErrorCode::InvalidSoftwareStatement,
                    policy.rule_for("/software_statement/software_jwks_claims"),
                    crate::pointer::field(claim),
                    format!("the software statement's `{claim}` must be an `https` url"),
                )
                .in_source(Source::SoftwareStatement)
                .with_reason("format"),
            ),
        }
    }
    if let Some(rs) = &ss.role_scopes {
        match ssa_claims.get(&rs.claim) {
            None => report.push(
                Violation::new(
                    ErrorCode::InvalidSoftwareStatement,
                    policy.rule_for("/software_statement/role_scopes"),
                    crate::pointer::field(&rs.claim),
                    format!("the software statement has no `{}`", rs.claim),
                )
                .in_source(Source::SoftwareStatement)
                .with_reason("missing"),
            ),
            Some(Value::Array(_)) => {
                if rs.status_key.is_some() && active_roles(ssa_claims, rs).is_empty() {
                    // BROF-SSA-05: only active roles count; none left → unapproved.
                    report.push(
                        Violation::new(
                            ErrorCode::UnapprovedSoftwareStatement,
                            policy.rule_for("/software_statement/role_scopes/active_status"),
                            crate::pointer::field(&rs.claim),
                            "the software statement lists no active role",
                        )
                        .in_source(Source::SoftwareStatement)
                        .with_reason("no_active_role"),
                    );
                }
            }
            Some(_) => report.push(
                Violation::new(
                    ErrorCode::InvalidSoftwareStatement,
                    policy.rule_for("/software_statement/role_scopes"),
                    crate::pointer::field(&rs.claim),
                    format!("`{}` must be an array", rs.claim),
                )
                .in_source(Source::SoftwareStatement)
                .with_reason("type"),
            ),
        }
    }
}

/// mTLS certificate ↔ SSA binding (`certificate_binding`): the certificate's
/// `UID` equals an SSA claim (BROF-DN-03) and its `organizationIdentifier`
/// is a prefix plus an SSA claim (BROF-DN-04). Source `context`.
pub fn check_certificate_binding(ssa_claims: &Map<String, Value>, policy: &Policy, ctx: &Context, report: &mut Report) {
    let cb = &policy.certificate_binding;
    if cb.uid_equals_ssa_claim.is_none() && cb.organization_identifier.is_none() {
        return;
    }
    let subject = ctx.tls.as_ref().and_then(|t| t.subject_dn.as_deref());
    let dn = match subject.map(dn::parse) {
        None => {
            let rule = if cb.uid_equals_ssa_claim.is_some() {
                policy.rule_for("/certificate_binding/uid_equals_ssa_claim")
            } else {
                policy.rule_for("/certificate_binding/organization_identifier")
            };
            report.push(
                Violation::new(
                    ErrorCode::InvalidClientMetadata,
                    rule,
                    "/tls/subject_dn",
                    "no client certificate subject to bind the software statement to",
                )
                .in_source(Source::Context)
                .with_reason("missing"),
            );
            return;
        }
        Some(Err(e)) => {
            report.push(
                Violation::new(
                    ErrorCode::InvalidClientMetadata,
                    policy.rule_for("/certificate_binding/subject_dn_must_match"),
                    "/tls/subject_dn",
                    format!("the certificate subject does not parse: {e}"),
                )
                .in_source(Source::Context)
                .with_reason("format"),
            );
            return;
        }
        Some(Ok(dn)) => dn,
    };
    if let Some(claim) = &cb.uid_equals_ssa_claim {
        let rule = policy.rule_for("/certificate_binding/uid_equals_ssa_claim");
        let uid = dn.attribute("UID");
        match (uid, ssa_claims.get(claim)) {
            (Some(u), Some(Value::String(want))) if u == *want => {}
            (None, _) => report.push(
                Violation::new(ErrorCode::InvalidClientMetadata, rule, "/tls/subject_dn", "the certificate subject has no `UID`")
                    .in_source(Source::Context)
                    .with_reason("missing"),
            ),
            (Some(u), _) => report.push(
                Violation::new(
                    ErrorCode::InvalidClientMetadata,
                    rule,
                    "/tls/subject_dn",
                    format!("certificate `UID` `{}` is not the software statement's `{claim}`", clip(&u)),
                )
                .in_source(Source::Context)
                .with_reason("mismatch"),
            ),
        }
    }
    if let Some(binding) = &cb.organization_identifier {
        let rule = policy.rule_for("/certificate_binding/organization_identifier");
        let have = dn.attribute("organizationIdentifier");
        let want = match ssa_claims.get(&binding.claim) {
            Some(Value::String(s)) => Some(format!("{}{s}", binding.prefix)),
            Some(Value::Number(n)) => Some(format!("{}{n}", binding.prefix)),
            _ => None,
        };
        match (have, want) {
            (Some(h), Some(w)) if h == w => {}
            (None, _) => report.push(
                Violation::new(
                    ErrorCode::InvalidClientMetadata,
                    rule,
                    "/tls/subject_dn",
                    "the certificate subject has no `organizationIdentifier`",
                )
                .in_source(Source::Context)
                .with_reason("missing"),
            ),
            (Some(h), _) => report.push(
                Violation::new(
                    ErrorCode::InvalidClientMetadata,
                    rule,
                    "/tls/subject_dn",
                    format!(
                        "certificate `organizationIdentifier` `{}` is not `{}` + the software statement's `{}`",
                        clip(&h),
                        binding.prefix,
                        binding.claim
                    ),
                )
                .in_source(Source::Context)
                .with_reason("mismatch"),
            ),
        }
    }
}

/// Conditional defaults and profile normalisations that data cannot
/// express. Call after [`merge_software_statement`] and before the generic
/// `metadata::apply_enforce` / `apply_defaults`, so profile values win over
/// the RFC / OIDC defaults (FAPI1-ALG-03).
///
/// - FAPI1-AUTH-03 / FAPI2-AUTH-03: `token_endpoint_auth_signing_alg` gets
///   the profile's first allowed alg when the (effective) auth method is
///   `private_key_jwt` or `client_secret_jwt`.
/// - FAPI2-SENDER-01: when neither binding flag is `true`, set
///   `switches.preferred_sender_constraint`.
/// - `switches.default_encryption_enc` (BROF-ALG-02): `*_enc` for a sent `*_alg`.
/// - UKOB-META-06 (`mobile` → `native`), BROF-META-07 (`required_auth_time`).
pub fn apply_profile_defaults(client: &mut Map<String, Value>, policy: &Policy, changes: &mut Vec<Change>) {
    if policy.profile.is_fapi() {
        let method = effective(client, policy, "token_endpoint_auth_method");
        let jwt_method = matches!(method.as_ref().and_then(Value::as_str), Some("private_key_jwt" | "client_secret_jwt"));
        if jwt_method
            && !client.contains_key("token_endpoint_auth_signing_alg")
            && !policy.enforce.contains_key("token_endpoint_auth_signing_alg")
        {
            let alg = policy
                .allowed
                .get("token_endpoint_auth_signing_alg")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .cloned()
                .unwrap_or_else(|| Value::String("PS256".to_owned()));
            let rule = if policy.profile.is_fapi2() { "FAPI2-AUTH-03" } else { "FAPI1-AUTH-03" };
            client.insert("token_endpoint_auth_signing_alg".to_owned(), alg.clone());
            changes.push(Change::defaulted(
                "token_endpoint_auth_signing_alg",
                alg,
                rule,
                "the profile's signing algorithm for jwt client authentication",
            ));
        }
    }
    if let Some(pref) = policy.switches.preferred_sender_constraint {
        let flags = ["tls_client_certificate_bound_access_tokens", "dpop_bound_access_tokens"];
        let any_true = flags.iter().any(|f| effective(client, policy, f) == Some(Value::Bool(true)));
        if !any_true {
            let field = match pref {
                SenderConstraint::Mtls => "tls_client_certificate_bound_access_tokens",
                SenderConstraint::Dpop => "dpop_bound_access_tokens",
            };
            let rule = policy.rule_for("/switches/preferred_sender_constraint").to_owned();
            let reason = "access tokens must be sender-constrained";
            match client.insert(field.to_owned(), Value::Bool(true)) {
                None => changes.push(Change::defaulted(field, Value::Bool(true), &rule, reason)),
                Some(old) => changes.push(Change::overridden(field, old, Value::Bool(true), &rule, reason)),
            }
        }
    }
    if let Some(enc) = &policy.switches.default_encryption_enc {
        let rule = policy.rule_for("/switches/default_encryption_enc").to_owned();
        for prefix in
            ["id_token_encrypted_response", "userinfo_encrypted_response", "authorization_encrypted_response", "request_object_encryption"]
        {
            let alg = format!("{prefix}_alg");
            let enc_field = format!("{prefix}_enc");
            if client.get(&alg).is_some_and(Value::is_string) && !client.contains_key(&enc_field) {
                client.insert(enc_field.clone(), Value::String(enc.clone()));
                changes.push(Change::defaulted(&enc_field, Value::String(enc.clone()), &rule, "the profile's content encryption"));
            }
        }
    }
    match policy.profile {
        ProfileId::UkOpenBanking => uk_openbanking::apply_defaults(client, changes),
        ProfileId::BrOpenFinance => br_openfinance::apply_defaults(client, changes),
        _ => {}
    }
}

/// Profile invariants a custom policy cannot loosen (checked at load time,
/// source `policy`; the rule ID is the profile rule the loosening would break).
pub fn check_invariants(policy: &Policy, report: &mut Report) {
    if policy.profile.is_fapi1() {
        fapi1::check_invariants(policy, report);
    }
    if policy.profile.is_fapi2() {
        fapi2::check_invariants(policy, report);
    }
    if policy.profile == ProfileId::BrOpenFinance {
        br_openfinance::check_invariants(policy, report);
    }
    // JWT-KEY-03: UK OB forbids `x5c` / `x5u` (and any key or key URL) in the
    // JOSE header ("Of JWS & JWKS"), so tokens carrying one stay refused:
    // the digest allows relaxing to `ignore` "never under UK OB".
    if policy.profile == ProfileId::UkOpenBanking {
        for (section, keys) in
            [("software_statement", policy.software_statement.embedded_keys), ("request_jwt", policy.request_jwt.embedded_keys)]
        {
            if keys != crate::policy::EmbeddedKeys::Reject {
                report.push(crate::policy::policy_violation(
                    "JWT-KEY-03",
                    format!("/{section}/embedded_keys"),
                    "a `uk-openbanking` policy must reject tokens that carry `jwk`, `x5c`, `jku` or `x5u` headers",
                    "profile_invariant",
                ));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Shared helpers

/// The value a field will have: enforced, else sent, else the policy default.
pub(crate) fn effective(client: &Map<String, Value>, policy: &Policy, field: &str) -> Option<Value> {
    policy.enforce.get(field).or_else(|| client.get(field)).or_else(|| policy.defaults.get(field)).cloned()
}

/// True when the policy's `allowed` list for `field` already refuses `value`
/// (the generic check reports it, so a coded rule stays quiet).
pub(crate) fn data_refuses(policy: &Policy, field: &str, value: &Value) -> bool {
    policy.allowed.get(field).is_some_and(|a| !crate::policy::disallowed_values(field, value, a).is_empty())
}

/// Response types of a client as sorted token strings (`"code id_token"`).
pub(crate) fn response_types(client: &Map<String, Value>) -> Vec<String> {
    client
        .get("response_types")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|s| {
                    let mut t: Vec<&str> = s.split(' ').filter(|x| !x.is_empty()).collect();
                    t.sort_unstable();
                    t.join(" ")
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The strings of an array field (non-strings skipped: types are checked generically).
pub(crate) fn strings<'a>(client: &'a Map<String, Value>, field: &str) -> Vec<(usize, &'a str)> {
    client
        .get(field)
        .and_then(Value::as_array)
        .map(|a| a.iter().enumerate().filter_map(|(i, v)| v.as_str().map(|s| (i, s))).collect())
        .unwrap_or_default()
}

/// Lowercased URI scheme, if the string has one (RFC 3986 §3.1).
pub(crate) fn uri_scheme(uri: &str) -> Option<String> {
    let (scheme, _) = uri.split_once(':')?;
    let mut chars = scheme.chars();
    (chars.next()?.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then(|| scheme.to_ascii_lowercase())
}

/// Lowercased host of a hierarchical URI (`scheme://[userinfo@]host[:port]/...`).
pub(crate) fn uri_host(uri: &str) -> Option<String> {
    let (_, rest) = uri.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(stripped) = host_port.strip_prefix('[') {
        stripped.split(']').next().map(|h| format!("[{h}]")).unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or("").to_owned()
    };
    Some(host.to_ascii_lowercase())
}

/// Loopback hosts of RFC 8252 §7.3 / OIDCDCR-APPTYPE-03.
pub(crate) fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

/// Bounds a user value for a message.
pub(crate) fn clip(s: &str) -> String {
    let cleaned: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if cleaned.chars().count() > 80 { cleaned.chars().take(80).collect::<String>() + "…" } else { cleaned }
}

/// A metadata violation.
pub(crate) fn meta(code: ErrorCode, rule: &str, path: impl Into<String>, message: impl Into<String>) -> Violation {
    Violation::new(code, rule, path, message)
}

/// Standard client metadata names an SSA claim may set by name (RFC 7591
/// §2, OIDC DCR §2 and the extensions in `metadata-fields.md`); server-managed
/// fields and `software_statement` itself are excluded.
const MAPPABLE_FIELDS: [&str; 60] = [
    "application_type",
    "authorization_details_types",
    "authorization_encrypted_response_alg",
    "authorization_encrypted_response_enc",
    "authorization_signed_response_alg",
    "backchannel_authentication_request_signing_alg",
    "backchannel_client_notification_endpoint",
    "backchannel_logout_session_required",
    "backchannel_logout_uri",
    "backchannel_token_delivery_mode",
    "backchannel_user_code_parameter",
    "client_description",
    "client_name",
    "client_uri",
    "contacts",
    "default_acr_values",
    "default_max_age",
    "dpop_bound_access_tokens",
    "frontchannel_logout_session_required",
    "frontchannel_logout_uri",
    "grant_types",
    "id_token_encrypted_response_alg",
    "id_token_encrypted_response_enc",
    "id_token_signed_response_alg",
    "initiate_login_uri",
    "introspection_encrypted_response_alg",
    "introspection_encrypted_response_enc",
    "introspection_signed_response_alg",
    "jwks",
    "jwks_uri",
    "logo_uri",
    "policy_uri",
    "post_logout_redirect_uris",
    "redirect_uris",
    "request_object_encryption_alg",
    "request_object_encryption_enc",
    "request_object_signing_alg",
    "request_uris",
    "require_auth_time",
    "require_pushed_authorization_requests",
    "require_signed_request_object",
    "response_types",
    "scope",
    "sector_identifier_uri",
    "software_id",
    "software_version",
    "subject_type",
    "tls_client_auth_san_dns",
    "tls_client_auth_san_email",
    "tls_client_auth_san_ip",
    "tls_client_auth_san_uri",
    "tls_client_auth_subject_dn",
    "tls_client_certificate_bound_access_tokens",
    "token_endpoint_auth_method",
    "token_endpoint_auth_signing_alg",
    "tos_uri",
    "use_mtls_endpoint_aliases",
    "userinfo_encrypted_response_alg",
    "userinfo_encrypted_response_enc",
    "userinfo_signed_response_alg",
];

fn is_mappable_metadata_field(name: &str) -> bool {
    MAPPABLE_FIELDS.contains(&name)
        || name
            .split_once('#')
            .is_some_and(|(base, _)| matches!(base, "client_name" | "client_uri" | "logo_uri" | "policy_uri" | "tos_uri"))
}

fn apply_mapping(
    client: &mut Map<String, Value>,
    claim: &str,
    ssa_value: &Value,
    m: &ClaimMapping,
    policy: &Policy,
    changes: &mut Vec<Change>,
    report: &mut Report,
) {
    let rule = m.rule.clone().unwrap_or_else(|| "RFC7591-SS-07".to_owned());
    let to = m.to.as_str();
    let code = m.error.unwrap_or(if to == "redirect_uris" { ErrorCode::InvalidRedirectUri } else { ErrorCode::InvalidClientMetadata });
    let take = |client: &mut Map<String, Value>, changes: &mut Vec<Change>, value: Value, why: &str| {
        let from = client.insert(to.to_owned(), value.clone());
        changes.push(Change {
            path: crate::pointer::field(to),
            action: ChangeAction::FromSoftwareStatement,
            from,
            to: Some(value),
            rule: rule.clone(),
            reason: why.to_owned(),
        });
    };
    match m.mode {
        MappingMode::Ignore => {}
        MappingMode::Override => {
            let mut value = ssa_value.clone();
            let mut why = format!("software statement claim `{claim}` takes precedence");
            if to == "scope"
                && let (Some(supported), Value::String(s)) = (&policy.capabilities.scopes_supported, &value)
            {
                // AUCDR-SSA-06: scopes the provider does not support are ignored, not an error.
                let kept: Vec<&str> = s.split(' ').filter(|t| !t.is_empty() && supported.iter().any(|x| x == t)).collect();
                if kept.len() != s.split(' ').filter(|t| !t.is_empty()).count() {
                    why.push_str("; unsupported scopes ignored");
                }
                value = Value::String(kept.join(" "));
            }
            if client.get(to) != Some(&value) {
                take(client, changes, value, &why);
            }
        }
        MappingMode::Subset => {
            let Some(allowed) = ssa_value.as_array().filter(|a| a.iter().all(Value::is_string)) else {
                report.push(
                    Violation::new(
                        ErrorCode::InvalidSoftwareStatement,
                        &rule,
                        crate::pointer::field(claim),
                        format!("`{claim}` must be an array of strings"),
                    )
                    .in_source(Source::SoftwareStatement)
                    .with_reason("type"),
                );
                return;
            };
            match client.get(to) {
                None | Some(Value::Null) if !m.fill_when_absent => {}
                None | Some(Value::Null) => {
                    take(client, changes, ssa_value.clone(), &format!("absent, taken from software statement claim `{claim}`"))
                }
                Some(Value::Array(sent)) => {
                    for (i, v) in sent.iter().enumerate() {
                        // OIDCDCR-STRING-01: exact string comparison.
                        if !allowed.contains(v) {
                            let shown = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                            report.push(
                                meta(
                                    code,
                                    &rule,
                                    crate::pointer::item(to, i),
                                    format!("`{}` is not in the software statement's `{claim}`", clip(&shown)),
                                )
                                .with_reason("not_in_software_statement"),
                            );
                        }
                    }
                }
                Some(_) => {}
            }
        }
        MappingMode::Equal => match client.get(to) {
            None | Some(Value::Null) if !m.fill_when_absent => {}
            None | Some(Value::Null) => {
                take(client, changes, ssa_value.clone(), &format!("absent, taken from software statement claim `{claim}`"))
            }
            Some(v) if v == ssa_value => {}
            Some(_) => report.push(
                meta(code, &rule, crate::pointer::field(to), format!("`{to}` differs from the software statement's `{claim}`"))
                    .with_reason("mismatch"),
            ),
        },
        MappingMode::ScopeSubset => {
            let Some(ssa_scope) = ssa_value.as_str() else {
                report.push(
                    Violation::new(
                        ErrorCode::InvalidSoftwareStatement,
                        &rule,
                        crate::pointer::field(claim),
                        format!("`{claim}` must be a string"),
                    )
                    .in_source(Source::SoftwareStatement)
                    .with_reason("type"),
                );
                return;
            };
            let allowed: Vec<&str> = ssa_scope.split(' ').filter(|t| !t.is_empty()).collect();
            match client.get(to) {
                None | Some(Value::Null) if !m.fill_when_absent => {}
                None | Some(Value::Null) => {
                    take(client, changes, ssa_value.clone(), &format!("absent, taken from software statement claim `{claim}`"))
                }
                Some(Value::String(sent)) => {
                    let extra: Vec<&str> = sent.split(' ').filter(|t| !t.is_empty() && !allowed.contains(t)).collect();
                    if !extra.is_empty() {
                        report.push(
                            meta(
                                code,
                                &rule,
                                crate::pointer::field(to),
                                format!("scopes `{}` are not in the software statement's `{claim}`", clip(&extra.join(" "))),
                            )
                            .with_reason("not_in_software_statement"),
                        );
                    }
                }
                Some(_) => {}
            }
        }
    }
}

/// Role names that count (BROF-SSA-05: only active roles).
fn active_roles(ssa_claims: &Map<String, Value>, rs: &crate::policy::RoleScopesPolicy) -> Vec<String> {
    let Some(Value::Array(items)) = ssa_claims.get(&rs.claim) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match (item, &rs.role_key) {
            (Value::String(s), None) => Some(s.clone()),
            (Value::Object(o), Some(key)) => {
                let active = match (&rs.status_key, &rs.active_status) {
                    (Some(sk), Some(want)) => o.get(sk).and_then(Value::as_str) == Some(want.as_str()),
                    _ => true,
                };
                if active { o.get(key).and_then(Value::as_str).map(str::to_owned) } else { None }
            }
            _ => None,
        })
        .collect()
}

fn apply_role_scopes(
    client: &mut Map<String, Value>,
    ssa_claims: &Map<String, Value>,
    rs: &crate::policy::RoleScopesPolicy,
    policy: &Policy,
    changes: &mut Vec<Change>,
    report: &mut Report,
) {
    if !matches!(ssa_claims.get(&rs.claim), Some(Value::Array(_))) {
        return; // reported by check_ssa_claims
    }
    let mut allowed: Vec<String> = rs.always.clone();
    for role in active_roles(ssa_claims, rs) {
        for scope in rs.scopes.get(&role).into_iter().flatten() {
            if !allowed.contains(scope) {
                allowed.push(scope.clone());
            }
        }
    }
    match client.get("scope") {
        None | Some(Value::Null) if rs.default_when_absent => {
            let value = Value::String(allowed.join(" "));
            let from = client.insert("scope".to_owned(), value.clone());
            changes.push(Change {
                path: "/scope".to_owned(),
                action: ChangeAction::FromSoftwareStatement,
                from,
                to: Some(value),
                rule: policy.rule_for("/software_statement/role_scopes/default_when_absent").to_owned(),
                reason: format!("absent, every scope the software statement's active `{}` allow", rs.claim),
            });
        }
        Some(Value::String(sent)) => {
            let extra: Vec<&str> = sent.split(' ').filter(|t| !t.is_empty() && !allowed.iter().any(|a| a == t)).collect();
            if !extra.is_empty() {
                report.push(
                    meta(
                        ErrorCode::InvalidClientMetadata,
                        policy.rule_for("/software_statement/role_scopes"),
                        "/scope",
                        format!("scopes `{}` are not allowed by the software statement's `{}`", clip(&extra.join(" ")), rs.claim),
                    )
                    .with_reason("not_allowed_by_roles"),
                );
            }
        }
        _ => {}
    }
}

/// RFC8705-AUTH-07 / BROF-DN-05: the registered subject DN matches the
/// presented certificate under `distinguishedNameMatch`.
fn check_subject_dn_binding(client: &Map<String, Value>, policy: &Policy, ctx: &Context, report: &mut Report) {
    if !policy.certificate_binding.subject_dn_must_match {
        return;
    }
    if client.get("token_endpoint_auth_method").and_then(Value::as_str) != Some("tls_client_auth") {
        return;
    }
    let Some(Value::String(registered)) = client.get("tls_client_auth_subject_dn") else {
        return;
    };
    let rule = policy.rule_for("/certificate_binding/subject_dn_must_match");
    let Some(presented) = ctx.tls.as_ref().and_then(|t| t.subject_dn.as_deref()) else {
        report.push(
            meta(
                ErrorCode::InvalidClientMetadata,
                rule,
                "/tls_client_auth_subject_dn",
                "no client certificate was presented to match `tls_client_auth_subject_dn` against",
            )
            .with_reason("no_certificate"),
        );
        return;
    };
    match (dn::parse(registered), dn::parse(presented)) {
        (Ok(a), Ok(b)) if a.matches(&b) => {}
        (Ok(_), Ok(_)) => report.push(
            meta(
                ErrorCode::InvalidClientMetadata,
                rule,
                "/tls_client_auth_subject_dn",
                "`tls_client_auth_subject_dn` does not match the presented certificate's subject",
            )
            .with_reason("mismatch"),
        ),
        (Err(_), _) => {} // syntax is reported by the DN format rule
        (Ok(_), Err(e)) => report.push(
            Violation::new(
                ErrorCode::InvalidClientMetadata,
                rule,
                "/tls/subject_dn",
                format!("the certificate subject does not parse: {e}"),
            )
            .in_source(Source::Context)
            .with_reason("format"),
        ),
    }
}

// ---------------------------------------------------------------------------
// Recipe construction: every data item is written next to its rule IDs.

/// A policy under construction; each setter records its citations in `rule_ids`.
pub(crate) struct Recipe(pub(crate) Policy);

pub(crate) fn strs(items: &[&str]) -> Value {
    Value::Array(items.iter().map(|s| Value::String((*s).to_owned())).collect())
}

pub(crate) fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl Recipe {
    pub(crate) fn cite(&mut self, key: &str, rules: &[&str]) -> &mut Self {
        self.0.rule_ids.insert(key.to_owned(), owned(rules));
        self
    }
    pub(crate) fn default(&mut self, field: &str, value: Value, rules: &[&str]) -> &mut Self {
        self.0.defaults.insert(field.to_owned(), value);
        self.cite(&format!("/defaults/{field}"), rules)
    }
    pub(crate) fn enforce(&mut self, field: &str, value: Value, rules: &[&str]) -> &mut Self {
        self.0.enforce.insert(field.to_owned(), value);
        self.cite(&format!("/enforce/{field}"), rules)
    }
    pub(crate) fn allow(&mut self, field: &str, values: &[&str], rules: &[&str]) -> &mut Self {
        self.0.allowed.insert(field.to_owned(), strs(values));
        self.cite(&format!("/allowed/{field}"), rules)
    }
    pub(crate) fn require(&mut self, field: &str, rules: &[&str]) -> &mut Self {
        if !self.0.required.iter().any(|f| f == field) {
            self.0.required.push(field.to_owned());
        }
        self.cite(&format!("/required/{field}"), rules)
    }
    pub(crate) fn forbid(&mut self, field: &str, rules: &[&str]) -> &mut Self {
        if !self.0.forbidden.iter().any(|f| f == field) {
            self.0.forbidden.push(field.to_owned());
        }
        self.cite(&format!("/forbidden/{field}"), rules)
    }
    pub(crate) fn map_claim(&mut self, claim: &str, mapping: ClaimMapping) -> &mut Self {
        let rule = mapping.rule.clone().unwrap_or_default();
        self.0.software_statement.claim_map.insert(claim.to_owned(), mapping);
        self.cite(&format!("/software_statement/claim_map/{claim}"), &[rule.as_str()])
    }
    pub(crate) fn require_in_request(&mut self, field: &str, rules: &[&str]) -> &mut Self {
        if !self.0.request_jwt.required_metadata.iter().any(|f| f == field) {
            self.0.request_jwt.required_metadata.push(field.to_owned());
        }
        self.cite(&format!("/request_jwt/required_metadata/{field}"), rules)
    }
}
