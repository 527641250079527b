//! "Explain": what a policy defaults, enforces, allows, requires and
//! forbids, its SSA / signed-request / endpoint settings and the coded rules
//! its profile runs, each with rule IDs — for admin consoles and audits.
//! [`to_markdown`] renders it; `docs/profiles.md` is [`reference_markdown`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::policy::{Policy, ProfileId};

/// The explanation of one policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Profile id (`fapi1-advanced`).
    pub profile: String,
    /// Human title.
    pub title: String,
    /// The ISVA recipe name of the profile, if any (ISVA-CONF-01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isva_recipe: Option<String>,
    /// The profile this one builds on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on: Option<String>,
    /// One paragraph.
    pub summary: String,
    /// The policy's data, section by section.
    pub sections: Vec<Section>,
    /// Rules the profile implements in code (hooks) and load-time invariants.
    pub coded_rules: Vec<CodedRule>,
    /// Remarks (e.g. an ISVA mapping rule that is not executed).
    pub notes: Vec<String>,
}

/// One section of the policy (`defaults`, `software_statement`, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// The policy member name.
    pub name: String,
    /// What the section does.
    pub description: String,
    /// Its entries.
    pub items: Vec<Item>,
}

/// One data item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Field or setting name (nested settings as `claim_map/software_id`).
    pub key: String,
    /// The value (`null` for list sections such as `required`).
    pub value: Value,
    /// Rule IDs behind it.
    pub rules: Vec<String>,
}

/// A rule implemented in code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodedRule {
    /// Rule ID.
    pub rule: String,
    /// The hook that runs it (`check_metadata`, `policy load`, ...).
    pub hook: String,
    /// What it checks.
    pub description: String,
}

const SECTIONS: [(&str, &str); 19] = [
    ("defaults", "values filled into absent fields (recorded as `defaulted` changes); they replace the RFC / OIDC defaults"),
    ("enforce", "values that replace whatever was sent (recorded as `overridden` changes)"),
    ("allowed", "the only values a field may take (each element, for arrays)"),
    ("required", "fields that must be present after defaults and overrides"),
    ("forbidden", "fields that must not be sent"),
    ("software_statement", "software statement (SSA) verification and mapping"),
    ("request_jwt", "signed registration request (`application/jwt`)"),
    ("endpoint", "registration endpoint (POST) protection"),
    ("management_endpoint", "management endpoint (GET / PUT / DELETE) protection"),
    ("registration_access_token", "registration access token issuance (RFC 7592)"),
    ("client_secret", "client secret issuance"),
    ("management", "RFC 7592 management"),
    ("certificate_binding", "mTLS certificate ↔ metadata / SSA binding"),
    ("switches", "behaviour switches named by the specs"),
    ("checks", "metadata rule switches the specs leave to the server"),
    ("response", "what a success response carries beyond the registered client"),
    ("capabilities", "what the provider supports (discovery names)"),
    ("limits", "hostile-input budgets"),
    ("general", "other settings"),
];

/// Explains a policy.
#[must_use]
pub fn explain(policy: &Policy) -> Explanation {
    let json = match serde_json::to_value(policy) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut sections = Vec::new();
    for (name, description) in SECTIONS {
        let items = match name {
            "defaults" | "enforce" | "allowed" => map_items(policy, name, json.get(name)),
            "required" | "forbidden" => list_items(policy, name, json.get(name)),
            "general" => ["issuer", "registration_endpoint", "unknown_fields", "mapping_rule"]
                .iter()
                .filter_map(|k| {
                    json.get(*k).filter(|v| !is_empty(v)).map(|v| Item {
                        key: (*k).to_owned(),
                        value: v.clone(),
                        rules: policy.cites(&format!("/{k}")).to_vec(),
                    })
                })
                .collect(),
            _ => struct_items(policy, name, json.get(name)),
        };
        if !items.is_empty() {
            sections.push(Section { name: name.to_owned(), description: description.to_owned(), items });
        }
    }
    let mut notes = Vec::new();
    if let Some(rule) = &policy.mapping_rule {
        notes.push(format!("ISVA mapping rule `{rule}` is recorded but not executed (ISVA-CONF-02); express its defaults and overrides as policy data (ISVA-MAP-*)."));
    }
    if policy.registration_access_token.generate && policy.registration_access_token.lifetime > 0 {
        notes.push(format!("registration access tokens expire after {} s; RFC7592-RAT-01 recommends they do not expire while the client is registered (ISVA-RAT-02).", policy.registration_access_token.lifetime));
    }
    if !policy.endpoint.require_mtls && !policy.endpoint.require_bearer_token && !policy.requires_software_statement() {
        notes.push(
            "open registration: no mTLS, bearer token or software statement is required (RFC7591-ENDPOINT-04, ISVA-DEF-01).".to_owned(),
        );
    }
    let (title, summary) = describe(policy.profile);
    Explanation {
        profile: policy.profile.as_str().to_owned(),
        title: title.to_owned(),
        isva_recipe: policy.profile.isva_recipe().map(str::to_owned),
        based_on: based_on(policy.profile).map(|p| p.as_str().to_owned()),
        summary: summary.to_owned(),
        sections,
        coded_rules: coded_rules(policy),
        notes,
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

fn map_items(policy: &Policy, section: &str, v: Option<&Value>) -> Vec<Item> {
    let Some(Value::Object(m)) = v else {
        return Vec::new();
    };
    m.iter()
        .map(|(k, v)| Item {
            key: k.clone(),
            value: v.clone(),
            rules: policy.cites(&format!("/{section}/{}", crate::pointer::escape(k))).to_vec(),
        })
        .collect()
}

fn list_items(policy: &Policy, section: &str, v: Option<&Value>) -> Vec<Item> {
    let Some(Value::Array(a)) = v else {
        return Vec::new();
    };
    a.iter()
        .filter_map(Value::as_str)
        .map(|k| Item {
            key: k.to_owned(),
            value: Value::Null,
            rules: policy.cites(&format!("/{section}/{}", crate::pointer::escape(k))).to_vec(),
        })
        .collect()
}

/// Members of a struct section, skipping unset / empty ones; map-valued and
/// list-of-field members with per-entry citations are split per entry.
fn struct_items(policy: &Policy, section: &str, v: Option<&Value>) -> Vec<Item> {
    let Some(Value::Object(m)) = v else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (k, v) in m {
        if is_empty(v) {
            continue;
        }
        let base = format!("/{section}/{}", crate::pointer::escape(k));
        let split = matches!(k.as_str(), "claim_map" | "required_values" | "required_metadata");
        match v {
            Value::Object(entries) if split => {
                for (ek, ev) in entries {
                    let mut rules = policy.cites(&format!("{base}/{}", crate::pointer::escape(ek))).to_vec();
                    if rules.is_empty() {
                        rules = policy.cites(&base).to_vec();
                    }
                    out.push(Item { key: format!("{k}/{ek}"), value: ev.clone(), rules });
                }
            }
            Value::Array(entries) if split => {
                for ev in entries {
                    let name = ev.as_str().unwrap_or_default();
                    let mut rules = policy.cites(&format!("{base}/{}", crate::pointer::escape(name))).to_vec();
                    if rules.is_empty() {
                        rules = policy.cites(&base).to_vec();
                    }
                    out.push(Item { key: format!("{k}/{name}"), value: Value::Bool(true), rules });
                }
            }
            _ => {
                let mut rules = policy.cites(&base).to_vec();
                // Citations of nested settings (e.g. `/software_statement/role_scopes/active_status`).
                let prefix = format!("{base}/");
                for (key, ids) in policy.rule_ids.range(prefix.clone()..) {
                    if !key.starts_with(&prefix) {
                        break;
                    }
                    for id in ids {
                        if !rules.contains(id) {
                            rules.push(id.clone());
                        }
                    }
                }
                out.push(Item { key: k.clone(), value: v.clone(), rules });
            }
        }
    }
    out
}

fn based_on(p: ProfileId) -> Option<ProfileId> {
    match p {
        ProfileId::Rfc7591 => None,
        ProfileId::Oidc => Some(ProfileId::Rfc7591),
        ProfileId::Fapi1Advanced | ProfileId::Fapi2 => Some(ProfileId::Oidc),
        ProfileId::Fapi2MessageSigning => Some(ProfileId::Fapi2),
        ProfileId::UkOpenBanking | ProfileId::AuCdr | ProfileId::BrOpenFinance => Some(ProfileId::Fapi1Advanced),
    }
}

fn describe(p: ProfileId) -> (&'static str, &'static str) {
    match p {
        ProfileId::Rfc7591 => (
            "Plain RFC 7591",
            "Permissive OAuth 2.0 Dynamic Client Registration: open registration, optional software statements, every asymmetric JWS algorithm the engine verifies, unknown metadata kept. The RFC 7591 defaults are applied by the generic metadata rules.",
        ),
        ProfileId::Oidc => (
            "OpenID Connect Dynamic Client Registration 1.0",
            "RFC 7591 plus OIDC DCR 1.0 metadata rules and defaults (`application_type` `web`, `id_token_signed_response_alg` `RS256`), applied by the generic metadata rules because the profile is OIDC-based.",
        ),
        ProfileId::Fapi1Advanced => (
            "FAPI 1.0 Advanced",
            "Confidential clients only, `private_key_jwt` or mTLS client authentication, PS256/ES256 everywhere (with FAPI defaults instead of RS256), `code id_token` or `code` + JARM, signed request objects and mTLS-bound access tokens enforced, `https` redirect URIs.",
        ),
        ProfileId::Fapi2 => (
            "FAPI 2.0 Security Profile",
            "Confidential clients only, `private_key_jwt` or mTLS client authentication, PS256/ES256/EdDSA, response type `code` only, PAR enforced, sender-constrained tokens (mTLS or DPoP), no `http` redirects except native loopback.",
        ),
        ProfileId::Fapi2MessageSigning => (
            "FAPI 2.0 Message Signing",
            "FAPI 2.0 Security Profile plus signed request objects (JAR) enforced and signed authorization responses (JARM).",
        ),
        ProfileId::UkOpenBanking => (
            "UK Open Banking DCR v3.3",
            "FAPI 1.0 Advanced plus the OB DCR v3.3 rules: signed request JWT with `iss` = SSA `software_id`, verified with the SSA's `software_jwks_endpoint`; OB Directory SSA; `redirect_uris` ⊆ `software_redirect_uris`; scopes from `software_roles`; mTLS; management with client-credentials tokens.",
        ),
        ProfileId::AuCdr => (
            "Australia Consumer Data Right DCR",
            "FAPI 1.0 Advanced plus the CDR rules: `application/jwt` request signed by the ADR and verified with the SSA's `jwks_uri`; SSA from `cdr-register` (PS256); `private_key_jwt` only; `redirect_uris` ⊆ the SSA's; unsupported fields dropped; management with a `cdr:registration` token.",
        ),
        ProfileId::BrOpenFinance => (
            "Open Finance Brasil DCR (ID3)",
            "FAPI 1.0 Advanced plus the Brazil rules: plain JSON body, Directory SSA at most 5 minutes old (PS256), PS256 / RSA-OAEP + A256GCM only, keys by reference from the SSA's `software_jwks_uri`, scopes from active regulatory roles, the mTLS certificate bound to the SSA (`UID`, `organizationIdentifier`) and `tls_client_auth_subject_dn` compared with RFC 4517 `distinguishedNameMatch`.",
        ),
    }
}

fn coded(rule: &str, hook: &str, description: &str) -> CodedRule {
    CodedRule { rule: rule.to_owned(), hook: hook.to_owned(), description: description.to_owned() }
}

/// The coded rules that run for this policy.
#[must_use]
pub fn coded_rules(policy: &Policy) -> Vec<CodedRule> {
    let p = policy.profile;
    let mut out = vec![
        coded(
            "RFC7591-SS-07",
            "merge_software_statement",
            "SSA values win over the same plain metadata; each conflict is a `from_software_statement` change with `from` / `to`",
        ),
        coded(
            "OIDCDCR-REDIRECT-02",
            "merge_software_statement",
            "`redirect_uris` are never replaced: a sent list must be a subset of the SSA's, an absent one is taken from it",
        ),
        coded(
            "OIDCDCR-SECTOR-02",
            "sector::check",
            "the JSON array the host fetched from `sector_identifier_uri` (inspect lists it under `documents`; the call passes it as `sector_identifier`) lists every redirect URI, code point for code point; a failed fetch is refused; `checks.sector_identifier_content` decides when it was not fetched, `checks.sector_identifier_redirect_uris` when it does not list them",
        ),
    ];
    if policy.software_statement.role_scopes.is_some() {
        out.push(coded(
            policy.rule_for("/software_statement/role_scopes"),
            "merge_software_statement",
            "requested scopes must be allowed by the SSA's roles; an absent scope is refused (UKOB-META-08) unless `role_scopes.default_when_absent` fills every allowed scope",
        ));
    }
    if !policy.software_statement.required_values.is_empty() {
        out.push(coded(
            "RFC7591-SS-05",
            "check_ssa_claims",
            "SSA claims listed in `required_values` have exactly that value (else `unapproved_software_statement`)",
        ));
    }
    if policy.request_jwt.iss_equals_ssa_claim.is_some() {
        out.push(coded(
            policy.rule_for("/request_jwt/iss_equals_ssa_claim"),
            "check_request_claims",
            "the signed request's `iss` equals the SSA claim named by `iss_equals_ssa_claim`",
        ));
    }
    if !policy.request_jwt.required_metadata.is_empty() {
        out.push(coded(
            "POLICY-REQUIRED",
            "check_request_claims",
            "every `required_metadata` field is sent in the signed request itself (before defaults)",
        ));
    }
    if policy.certificate_binding.subject_dn_must_match {
        out.push(coded(
            policy.rule_for("/certificate_binding/subject_dn_must_match"),
            "check_metadata",
            "`tls_client_auth_subject_dn` matches the presented certificate under RFC 4517 `distinguishedNameMatch`",
        ));
    }
    if policy.certificate_binding.uid_equals_ssa_claim.is_some() {
        out.push(coded(
            policy.rule_for("/certificate_binding/uid_equals_ssa_claim"),
            "check_certificate_binding",
            "the certificate's `UID` equals the SSA's `software_id`",
        ));
    }
    if policy.certificate_binding.organization_identifier.is_some() {
        out.push(coded(
            policy.rule_for("/certificate_binding/organization_identifier"),
            "check_certificate_binding",
            "the certificate's `organizationIdentifier` is the prefix plus the SSA's `org_id`",
        ));
    }
    if policy.switches.preferred_sender_constraint.is_some() {
        out.push(coded(
            policy.rule_for("/switches/preferred_sender_constraint"),
            "apply_profile_defaults",
            "when neither binding flag is `true`, the preferred sender constraint is set",
        ));
    }
    if policy.switches.default_encryption_enc.is_some() {
        out.push(coded(
            policy.rule_for("/switches/default_encryption_enc"),
            "apply_profile_defaults",
            "a sent `*_alg` encryption field without `*_enc` gets the profile's content encryption",
        ));
    }
    if p.is_fapi1() {
        out.extend([
            coded(
                "FAPI1-AUTH-03",
                "apply_profile_defaults",
                "`token_endpoint_auth_signing_alg` defaults to the first allowed alg for `private_key_jwt` / `client_secret_jwt`",
            ),
            coded("FAPI1-CLIENT-01", "check_metadata", "`token_endpoint_auth_method: none` is refused"),
            coded("FAPI1-ALG-02", "check_metadata", "no `RSA1_5` key transport in any encryption field"),
            coded("FAPI1-SENDER-01", "check_metadata", "`dpop_bound_access_tokens: true` is refused (FAPI 1 binds with mTLS)"),
            coded("FAPI1-RESP-02", "check_metadata", "response type `code` needs `authorization_signed_response_alg` (JARM)"),
            coded("FAPI1-GRANT-01", "check_metadata", "`implicit` only together with `code id_token`"),
            coded("FAPI1-KEY-03", "check_metadata", "warning when two keys of a registered `jwks` share a `kid`"),
        ]);
        if p != ProfileId::UkOpenBanking {
            out.push(coded("FAPI1-REDIRECT-02", "check_metadata", "redirect URIs use `https` (FAPI1-NATIVE-01 for native clients)"));
        }
        out.push(coded("FAPI1-AUTH-01", "policy load", "allowed auth methods, response types and algorithms stay within FAPI 1; mTLS binding and signed request objects stay enforced (FAPI1-RESP-01, FAPI1-ALG-01, FAPI1-SENDER-01, FAPI1-REQOBJ-01)"));
    }
    if p.is_fapi2() {
        out.extend([
            coded("FAPI2-AUTH-03", "apply_profile_defaults", "`token_endpoint_auth_signing_alg` defaults to the first allowed alg for `private_key_jwt`"),
            coded("FAPI2-CLIENT-01", "check_metadata", "`token_endpoint_auth_method: none` is refused"),
            coded("FAPI2-REDIRECT-01", "check_metadata", "no `http` redirect URIs except loopback URIs of native clients"),
            coded("FAPI2-SENDER-01", "check_metadata", "one of `tls_client_certificate_bound_access_tokens` / `dpop_bound_access_tokens` is `true`"),
            coded("FAPI2-JWKS-01", "check_metadata", "warning when two keys of a registered `jwks` share a `kid`"),
            coded("FAPI2-AUTH-01", "policy load", "allowed auth methods, response types, grants and algorithms stay within FAPI 2; PAR stays enforced (FAPI2-RESP-01, FAPI2-GRANT-01, FAPI2-ALG-01, FAPI2-PAR-01)"),
        ]);
    }
    match p {
        ProfileId::Fapi2MessageSigning => {
            out.push(coded("FAPI2MS-JARM-02", "check_metadata", "warning when `authorization_encrypted_response_alg` is registered"));
            out.push(coded("FAPI2MS-JAR-01", "policy load", "`require_signed_request_object: true` stays enforced"));
        }
        ProfileId::UkOpenBanking => out.extend([
            coded("UKOB-META-06", "apply_profile_defaults", "`application_type: mobile` (v3.3) becomes `native`, recorded as a change"),
            coded("UKOB-META-01", "check_metadata", "redirect URIs use `https`, not host `localhost`, at most 256 characters"),
            coded("UKOB-META-12", "check_metadata", "`tls_client_auth` needs `tls_client_auth_subject_dn`"),
            coded("UKOB-CIBA-04", "check_metadata", "`backchannel_user_code_parameter(_supported)` only with the CIBA grant, and only `false`"),
            coded("UKOB-CIBA-02", "check_metadata", "`backchannel_client_notification_endpoint` only for CIBA in `ping` mode, at most 256 characters"),
            coded("UKOB-REQ-03", "check_request_claims", "`iss` is 1..22 letters or digits"),
            coded("UKOB-REQ-07", "check_request_claims", "`jti` is a UUID v4"),
            coded("UKOB-META-07", "check_request_claims", "`token_endpoint_auth_signing_alg` is sent with `private_key_jwt` / `client_secret_jwt`"),
        ]),
        ProfileId::AuCdr => out.extend([
            coded("AUCDR-META-05", "check_metadata", "`code id_token` is refused once `switches.hybrid_response_type_until` has passed"),
            coded("AUCDR-META-06", "check_metadata", "ID Token encryption is required with `code id_token`; with `code` alone it is kept with a warning, not refused (DSB standards-maintenance #576) (`_enc` must also be sent: check_request_claims)"),
            coded("AUCDR-META-07", "check_request_claims", "response type `code` needs `authorization_signed_response_alg` sent by the ADR"),
            coded("AUCDR-SECTOR-01", "sector::check", "a fetched `sector_identifier_uri` array that does not list every redirect URI is a warning: the CDR mock server checks only that the fetch succeeds (which is still required)"),
        ]),
        ProfileId::BrOpenFinance => out.extend([
            coded("BROF-META-07", "apply_profile_defaults", "`required_auth_time` (swagger spelling) becomes `require_auth_time`"),
            coded("BROF-SSA-04", "check_metadata", "redirect URIs are at most 255 characters"),
            coded("BROF-DN-02", "check_metadata", "`tls_client_auth` clients use `tls_client_auth_subject_dn`, no SAN parameters"),
            coded("BROF-DN-06", "check_metadata", "`tls_client_auth_subject_dn` parses (RFC 4514 names or OID + `#` hex forms, BROF-DN-01)"),
            coded("BROF-META-08", "check_metadata", "`webhook_uris` are `https` base URLs without trailing `/`, query or fragment (error `invalid_webhook_uris`, BROF-ERR-01)"),
            coded("BROF-SSA-05", "check_ssa_claims", "at least one role in `software_statement_roles` is active"),
            coded("BROF-ALG-01", "policy load", "algorithm allow-lists stay PS256 only"),
        ]),
        _ => {}
    }
    out
}

/// Markdown for one explanation.
#[must_use]
pub fn to_markdown(ex: &Explanation) -> String {
    let mut s = String::new();
    s.push_str(&format!("## `{}` — {}\n\n", ex.profile, ex.title));
    let mut facts = Vec::new();
    if let Some(r) = &ex.isva_recipe {
        facts.push(format!("ISVA recipe alias: `{r}`"));
    }
    if let Some(b) = &ex.based_on {
        facts.push(format!("builds on: `{b}`"));
    }
    if !facts.is_empty() {
        s.push_str(&format!("{}.\n\n", facts.join("; ")));
    }
    s.push_str(&format!("{}\n\n", ex.summary));
    for section in &ex.sections {
        s.push_str(&format!("### `{}`\n\n{}.\n\n| key | value | rules |\n| --- | --- | --- |\n", section.name, section.description));
        for item in &section.items {
            let value = if item.value.is_null() { "—".to_owned() } else { format!("`{}`", cell(&item.value.to_string())) };
            s.push_str(&format!("| `{}` | {} | {} |\n", cell(&item.key), value, rules_cell(&item.rules)));
        }
        s.push('\n');
    }
    if !ex.coded_rules.is_empty() {
        s.push_str("### coded rules\n\n| rule | hook | check |\n| --- | --- | --- |\n");
        for c in &ex.coded_rules {
            s.push_str(&format!("| {} | `{}` | {} |\n", c.rule, c.hook, cell(&c.description)));
        }
        s.push('\n');
    }
    for n in &ex.notes {
        s.push_str(&format!("> {n}\n\n"));
    }
    s
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn rules_cell(rules: &[String]) -> String {
    if rules.is_empty() { "—".to_owned() } else { rules.join(", ") }
}

/// The profile reference (`docs/profiles.md`): every built-in recipe, explained.
#[must_use]
pub fn reference_markdown() -> String {
    let mut s = String::from(
        "<!-- Generated from the recipes by `UPDATE_DOCS=1 cargo test --test profiles docs_profiles_md_is_current`; do not edit by hand. -->\n\n\
         # Profile reference\n\n\
         Every built-in profile (recipe) of the engine, field by field, with the rule IDs of `shared/spec/` behind each item. \
         A custom policy (`{\"profile\": \"...\", ...overrides}`) starts from one of these and deep-merges its overrides over it; \
         a FAPI-based policy cannot loosen the profile's invariants (listed under *coded rules* as `policy load`).\n\n\
         How to read the tables:\n\n\
         - `defaults` fill absent fields before the generic RFC 7591 / OIDC defaults, so a profile never defaults a value it then refuses (FAPI1-ALG-03).\n\
         - `enforce` replaces what was sent and records an `overridden` change; `allowed` refuses anything else (`invalid_client_metadata`).\n\
         - `required` is checked after defaults; `request_jwt.required_metadata` lists fields the client must send itself.\n\
         - `software_statement.claim_map` modes: `override` (SSA wins, RFC7591-SS-07), `subset` (sent ⊆ SSA, absent → SSA unless `fill_when_absent: false`; never replaced, OIDCDCR-REDIRECT-02), `equal` (sent = SSA), `scope_subset`, `ignore`. \
         With `map_metadata_claims`, SSA claims named like metadata fields map onto themselves.\n\
         - *coded rules* are the checks data cannot express, with the hook that runs them.\n\n",
    );
    s.push_str("| profile | ISVA alias | title |\n| --- | --- | --- |\n");
    for id in ProfileId::ALL {
        let ex = explain(&crate::profiles::recipe(id));
        s.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            ex.profile,
            anchor(&ex),
            ex.isva_recipe.as_deref().map_or_else(|| "—".to_owned(), |r| format!("`{r}`")),
            ex.title
        ));
    }
    s.push('\n');
    for id in ProfileId::ALL {
        s.push_str(&to_markdown(&explain(&crate::profiles::recipe(id))));
    }
    s
}

fn anchor(ex: &Explanation) -> String {
    // GitHub heading anchors: lowercase, punctuation dropped, spaces → `-`.
    format!("{} — {}", ex.profile, ex.title)
        .to_lowercase()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else if c == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}
