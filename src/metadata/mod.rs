//! Client metadata: the field table, per-field and cross-field validation
//! (RFC 7591 §2, OIDC DCR §2, RFC 8252, RFC 8705, PAR, DPoP, JAR, JARM,
//! logout, CIBA), defaults, policy `enforce` / `allowed` / `required`, and
//! the server capabilities check.
//!
//! Pipeline of [`validate_metadata`] (spec README "Processing model", steps 6–8):
//!
//! 1. hostile-input budgets ([`crate::Limits`]) on the whole object;
//! 2. `forbidden` fields, on the request as sent;
//! 3. [`normalize`]: `null` members removed (RFC7591-META-04, absent on
//!    create), unknown members dropped when `unknown_fields: drop` (RFC7591-META-02);
//! 4. [`apply_enforce`]: policy overrides;
//! 5. [`apply_defaults`]: policy defaults, then RFC 7591 / OIDC defaults;
//! 6. [`apply_repairs`]: duplicate redirect URIs, grant/response repair
//!    (when the policy asks for it), stray mTLS subject fields;
//! 7. [`apply_derived`]: flags the host enforces later (`require_pkce`);
//! 8. [`validate`]: JSON types, values, cross-field rules, capabilities,
//!    `allowed`, `required`.
//!
//! Every change is recorded; every finding is collected.

pub mod checks;
pub mod lang;
pub mod model;
pub mod uri;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::change::{Change, ChangeAction};
use crate::error::{ErrorCode, Report, Violation};
use crate::policy::{Policy, UnknownFields};
use crate::rules;

pub use checks::MetadataChecks;
pub use model::{ClientMetadata, FIELDS, FieldSpec, Kind, Localized, field_spec};

/// The result of [`validate_metadata`]: the client as it would be stored,
/// what changed and why, and every finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetadataOutcome {
    /// The metadata after defaults and overrides (unknown fields kept per policy).
    pub client: Map<String, Value>,
    /// Every default filled in and every value overridden or removed.
    pub changes: Vec<Change>,
    /// Every finding, errors first in check order.
    pub violations: Vec<Violation>,
}

impl MetadataOutcome {
    /// True when no finding has severity `error`.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        !self.violations.iter().any(Violation::is_error)
    }

    /// The typed view of the resulting client.
    #[must_use]
    pub fn metadata(&self) -> ClientMetadata {
        ClientMetadata::from_map(&self.client)
    }
}

/// Validates client metadata against RFC 7591, OIDC DCR (when the policy's
/// profile is OIDC-based) and the policy, filling defaults.
#[must_use]
pub fn validate_metadata(metadata: &Map<String, Value>, policy: &Policy) -> MetadataOutcome {
    validate_metadata_owned(metadata.clone(), policy)
}

/// [`validate_metadata`] taking the metadata by value (saves a deep copy
/// when the caller has just parsed it, as the JSON boundary has).
#[must_use]
pub fn validate_metadata_owned(metadata: Map<String, Value>, policy: &Policy) -> MetadataOutcome {
    let mut report = Report::new();
    if let Err(v) = check_limits(&metadata, &policy.limits) {
        report.push(v);
        return MetadataOutcome { client: Map::new(), changes: Vec::new(), violations: report.into_vec() };
    }
    validate_metadata_parsed(metadata, policy)
}

/// [`validate_metadata_owned`] for a map that [`crate::limits::parse_object`]
/// read under `policy.limits`: the budgets were enforced while parsing, so
/// the document is not walked a second time.
#[must_use]
pub fn validate_metadata_parsed(metadata: Map<String, Value>, policy: &Policy) -> MetadataOutcome {
    let mut report = Report::new();
    let mut client = metadata;
    let mut changes = Vec::new();
    rules::policy_data::check_forbidden(&client, policy, &mut report);
    rules::types::check_enforced(&client, policy, &mut report);
    normalize(&mut client, policy, &mut changes);
    apply_enforce(&mut client, policy, &mut changes);
    apply_defaults(&mut client, policy, &mut changes);
    apply_repairs(&mut client, policy, &mut changes);
    apply_derived(&mut client, policy, &mut changes);
    validate(&client, policy, &mut report);
    MetadataOutcome { client, changes, violations: report.into_vec() }
}

/// The hostile-input budgets for a map handed over already parsed (the
/// JSON boundary applies the same limits while parsing).
fn check_limits(metadata: &Map<String, Value>, limits: &crate::Limits) -> Result<(), Violation> {
    let to_violation = |path: String, e: crate::limits::JsonError| {
        Violation::new(ErrorCode::InvalidClientMetadata, "RFC7591-ENDPOINT-01", path, e.message).with_reason(e.reason)
    };
    if metadata.len() > limits.max_object_members {
        let e = crate::limits::JsonError {
            reason: "too_many_members",
            path: String::new(),
            message: format!("object has more than {} members", limits.max_object_members),
        };
        return Err(to_violation(String::new(), e));
    }
    let inner = crate::Limits { max_depth: limits.max_depth.saturating_sub(1), ..*limits };
    // Fast path: no allocation unless a budget is broken (then the slow walk names the path).
    if metadata.iter().all(|(k, v)| k.len() <= limits.max_string_bytes && within(v, &inner, 0)) {
        return Ok(());
    }
    for (k, v) in metadata {
        let base = crate::pointer::field(k);
        if k.len() > limits.max_string_bytes {
            let e = crate::limits::JsonError {
                reason: "string_too_long",
                path: String::new(),
                message: format!("member name is over the limit of {} bytes", limits.max_string_bytes),
            };
            return Err(to_violation(base, e));
        }
        if let Err(e) = crate::limits::check_value(v, &inner) {
            let path = format!("{base}{}", e.path);
            return Err(to_violation(path, e));
        }
    }
    Ok(())
}

fn within(v: &Value, limits: &crate::Limits, depth: usize) -> bool {
    match v {
        Value::String(s) => s.len() <= limits.max_string_bytes,
        Value::Array(items) => {
            depth < limits.max_depth && items.len() <= limits.max_array_len && items.iter().all(|i| within(i, limits, depth + 1))
        }
        Value::Object(map) => {
            depth < limits.max_depth
                && map.len() <= limits.max_object_members
                && map.iter().all(|(k, i)| k.len() <= limits.max_string_bytes && within(i, limits, depth + 1))
        }
        _ => true,
    }
}

/// True for a member the engine understands: a known field, or a
/// language-tagged variant of an i18n field (RFC7591-I18N-01,
/// OIDCDCR-I18N-01: an untagged value is kept as sent, no language assumed).
/// Anything else (e.g. RFC8252-REG-03 platform data) is an extension field,
/// kept or dropped by `unknown_fields`.
#[must_use]
pub fn is_known_member(name: &str) -> bool {
    field_spec(name).is_some() || model::split_tag(name).is_some_and(|(b, _)| field_spec(b).is_some_and(|s| s.i18n))
}

/// Removes `null` members (RFC7591-META-04: absent on create) and, under
/// `unknown_fields: drop`, unknown members (RFC7591-META-02), recording
/// `removed` changes.
pub fn normalize(client: &mut Map<String, Value>, policy: &Policy, changes: &mut Vec<Change>) {
    let drop_unknown = policy.unknown_fields == UnknownFields::Drop;
    // The profile's citation (AUCDR-META-12 under `au-cdr`), else RFC7591-META-02.
    let drop_rule = policy.cites("/unknown_fields").first().map_or("RFC7591-META-02", String::as_str);
    let doomed: Vec<String> =
        client.iter().filter(|(k, v)| v.is_null() || (drop_unknown && !is_known_member(k))).map(|(k, _)| k.clone()).collect();
    for key in doomed {
        if let Some(v) = client.shift_remove(&key) {
            if v.is_null() {
                // RFC7591-META-04
                changes.push(Change::removed(&key, v, "RFC7591-META-04", "`null` is treated as absent"));
            } else {
                // RFC7591-META-02
                changes.push(Change::removed(&key, v, drop_rule, "unknown field dropped by policy (`unknown_fields: drop`)"));
            }
        }
    }
}

/// Replaces values the policy enforces, recording `overridden` changes
/// (the profile's citation, e.g. FAPI1-SENDER-01, else `POLICY-ENFORCE`). `redirect_uris` are never replaced
/// (OIDCDCR-REDIRECT-02): a differing value is reported by [`validate`].
pub fn apply_enforce(client: &mut Map<String, Value>, policy: &Policy, changes: &mut Vec<Change>) {
    for (key, want) in &policy.enforce {
        let rule = || policy.rule_for(&format!("/enforce/{key}")).to_owned();
        match client.get(key) {
            Some(have) if have == want => {}
            Some(_) if key == "redirect_uris" => {}
            Some(have) => {
                changes.push(Change::overridden(key, have.clone(), want.clone(), &rule(), "value enforced by policy"));
                client.insert(key.clone(), want.clone());
            }
            None => {
                changes.push(Change {
                    path: crate::pointer::field(key),
                    action: ChangeAction::Overridden,
                    from: None,
                    to: Some(want.clone()),
                    rule: rule(),
                    reason: "value enforced by policy".to_owned(),
                });
                client.insert(key.clone(), want.clone());
            }
        }
    }
}

fn absent(client: &Map<String, Value>, key: &str) -> bool {
    client.get(key).is_none_or(Value::is_null)
}

/// The values of a few fixed member names, found in one pass over the
/// client. serde_json's map hashes the key of every lookup with SipHash
/// (~300 instructions each); the steps below read a dozen fixed names per
/// request, and one pass that compares names is several times cheaper.
/// A bit per name length lets most members be skipped with one test.
pub(crate) fn get_many<'a, const N: usize>(client: &'a Map<String, Value>, names: [&str; N]) -> [Option<&'a Value>; N] {
    let bit = |len: usize| 1u64 << (len % 64);
    let lengths = names.iter().fold(0u64, |m, n| m | bit(n.len()));
    let mut found = [None; N];
    for (key, value) in client {
        if lengths & bit(key.len()) != 0
            && let Some(slot) = names.iter().position(|n| *n == key).and_then(|i| found.get_mut(i))
        {
            *slot = Some(value);
        }
    }
    found
}

/// Present and not `null` (the opposite of [`absent`]).
fn given(v: Option<&Value>) -> bool {
    v.is_some_and(|v| !v.is_null())
}

/// `preferred` when the provider supports it (or lists nothing), else the
/// provider's first supported value. Keeps a generic default from being
/// filled in and then rejected (spec README, FAPI1-ALG-03).
fn pick(preferred: &str, supported: Option<&Vec<String>>) -> (String, bool) {
    match supported {
        Some(list) if !list.iter().any(|s| s == preferred) => match list.first() {
            Some(first) => (first.clone(), true),
            None => (preferred.to_owned(), false),
        },
        _ => (preferred.to_owned(), false),
    }
}

fn default_to(client: &mut Map<String, Value>, changes: &mut Vec<Change>, key: &str, value: Value, rule: &str, reason: String) {
    changes.push(Change::defaulted(key, value.clone(), rule, reason));
    client.insert(key.to_owned(), value);
}

/// Fills absent fields with policy defaults, then RFC / OIDC defaults,
/// recording `defaulted` changes.
///
/// Readings where the digest leaves a choice:
/// - `response_types` defaults to `["code"]` only when `grant_types`
///   contains `authorization_code` (RFC7591-RESPTYPE-01 notes), so a
///   `client_credentials` client gets no response type;
/// - boolean fields whose default is `false` are not filled (absent means `false`);
/// - `authorization_signed_response_alg` (JARM-META-01) is filled only when
///   the provider lists JARM signing algs or the client asks for JARM encryption;
/// - an algorithm default the provider does not support is replaced by its
///   first supported value (the change's reason says so).
pub fn apply_defaults(client: &mut Map<String, Value>, policy: &Policy, changes: &mut Vec<Change>) {
    let caps = &policy.capabilities;
    for (key, value) in &policy.defaults {
        if absent(client, key) && !value.is_null() {
            // The profile's citation (e.g. FAPI1-AUTH-02, BROF-META-06), else POLICY-DEFAULT.
            let rule = policy.rule_for(&format!("/defaults/{key}"));
            default_to(client, changes, key, value.clone(), rule, "default from policy".to_owned());
        }
    }
    // The members read below, in one pass (see `get_many`); only the
    // defaults filled in here change them afterwards, and each is filled once.
    let [grants, responses, method, app_type, id_alg, subject, authz_alg, authz_enc_alg, enc @ ..] = get_many(
        client,
        [
            "grant_types",
            "response_types",
            "token_endpoint_auth_method",
            "application_type",
            "id_token_signed_response_alg",
            "subject_type",
            "authorization_signed_response_alg",
            "authorization_encrypted_response_alg",
            "id_token_encrypted_response_alg",
            "id_token_encrypted_response_enc",
            "userinfo_encrypted_response_alg",
            "userinfo_encrypted_response_enc",
            "request_object_encryption_alg",
            "request_object_encryption_enc",
            "introspection_encrypted_response_alg",
            "introspection_encrypted_response_enc",
            "authorization_encrypted_response_enc",
        ],
    );
    let has_grants = given(grants);
    // With `grant_types` absent, the default below is `["authorization_code"]`.
    let uses_code =
        !has_grants || grants.and_then(Value::as_array).is_some_and(|g| g.iter().any(|x| x.as_str() == Some("authorization_code")));
    let (has_responses, has_method, has_app_type, has_id_alg, has_subject) =
        (given(responses), given(method), given(app_type), given(id_alg), given(subject));
    let (has_authz_alg, has_authz_enc_alg) = (given(authz_alg), given(authz_enc_alg));
    // (`*_alg` is a string, `*_enc` is given), in the order of the loop below.
    let [ida, ide, uia, uie, roa, roe, ina, ine, aze] = enc;
    let enc_state = [
        (ida.is_some_and(Value::is_string), given(ide)),
        (uia.is_some_and(Value::is_string), given(uie)),
        (roa.is_some_and(Value::is_string), given(roe)),
        (ina.is_some_and(Value::is_string), given(ine)),
        (authz_enc_alg.is_some_and(Value::is_string), given(aze)),
    ];
    // RFC7591-GRANT-01
    if !has_grants {
        default_to(
            client,
            changes,
            "grant_types",
            Value::from(vec!["authorization_code"]),
            "RFC7591-GRANT-01",
            "`grant_types` defaults to `[\"authorization_code\"]`".to_owned(),
        );
    }
    // RFC7591-RESPTYPE-01 (only for clients of the authorization code grant)
    if !has_responses && uses_code {
        default_to(
            client,
            changes,
            "response_types",
            Value::from(vec!["code"]),
            "RFC7591-RESPTYPE-01",
            "`response_types` defaults to `[\"code\"]`".to_owned(),
        );
    }
    // RFC7591-AUTH-01 / OIDCDCR-AUTH-01
    if !has_method {
        let (m, fallback) = pick("client_secret_basic", caps.token_endpoint_auth_methods_supported.as_ref());
        let reason = default_reason("token_endpoint_auth_method", &m, fallback, "client_secret_basic");
        default_to(client, changes, "token_endpoint_auth_method", Value::from(m), "RFC7591-AUTH-01", reason);
    }
    if policy.profile.is_oidc() {
        // OIDCDCR-APPTYPE-01; RFC8252-REG-01 / RFC8252-REDIRECT-06: the client type is
        // always recorded, since a claimed `https` redirect looks like a web one
        if !has_app_type {
            default_to(
                client,
                changes,
                "application_type",
                Value::from("web"),
                "OIDCDCR-APPTYPE-01",
                "`application_type` defaults to `web`".to_owned(),
            );
        }
        // OIDCDCR-IDTOK-01
        if !has_id_alg {
            let (alg, fallback) = pick("RS256", caps.id_token_signing_alg_values_supported.as_ref());
            let reason = default_reason("id_token_signed_response_alg", &alg, fallback, "RS256");
            default_to(client, changes, "id_token_signed_response_alg", Value::from(alg), "OIDCDCR-IDTOK-01", reason);
        }
        // OIDCDCR-SUBJ-01: server default: `public`, or the provider's only/first subject type
        if !has_subject {
            let (t, fallback) = pick("public", caps.subject_types_supported.as_ref());
            let reason = default_reason("subject_type", &t, fallback, "public");
            default_to(client, changes, "subject_type", Value::from(t), "OIDCDCR-SUBJ-01", reason);
        }
    }
    // JARM-META-01
    if !has_authz_alg && (caps.authorization_signing_alg_values_supported.is_some() || has_authz_enc_alg) {
        let (alg, fallback) = pick("RS256", caps.authorization_signing_alg_values_supported.as_ref());
        let reason = default_reason("authorization_signed_response_alg", &alg, fallback, "RS256");
        default_to(client, changes, "authorization_signed_response_alg", Value::from(alg), "JARM-META-01", reason);
    }
    // OIDCDCR-ENC-01 / JARM-META-02: `*_enc` defaults to A128CBC-HS256 when `*_alg` is set
    for ((enc_field, supported, rule), (alg_is_string, has_enc)) in [
        ("id_token_encrypted_response_enc", &caps.id_token_encryption_enc_values_supported, "OIDCDCR-ENC-01"),
        ("userinfo_encrypted_response_enc", &caps.userinfo_encryption_enc_values_supported, "OIDCDCR-ENC-01"),
        ("request_object_encryption_enc", &caps.request_object_encryption_enc_values_supported, "OIDCDCR-ENC-01"),
        ("introspection_encrypted_response_enc", &None, "OIDCDCR-ENC-01"),
        ("authorization_encrypted_response_enc", &caps.authorization_encryption_enc_values_supported, "JARM-META-02"),
    ]
    .into_iter()
    .zip(enc_state)
    {
        if alg_is_string && !has_enc {
            let (enc, fallback) = pick("A128CBC-HS256", supported.as_ref());
            let reason = default_reason(enc_field, &enc, fallback, "A128CBC-HS256");
            default_to(client, changes, enc_field, Value::from(enc), rule, reason);
        }
    }
}

/// The reason of an algorithm / method default: "`field` defaults to
/// `value`", or, when the provider does not support `preferred`, which of
/// its values is used instead. Concatenated rather than `format!`ted: one
/// of these is built on nearly every accepted request.
fn default_reason(field: &str, value: &str, fallback: bool, preferred: &str) -> String {
    let mut out = String::with_capacity(64 + field.len() + value.len() + preferred.len());
    let ticked = |out: &mut String, s: &str| {
        out.push('`');
        out.push_str(s);
        out.push('`');
    };
    ticked(&mut out, field);
    out.push_str(" defaults to ");
    if fallback {
        ticked(&mut out, preferred);
        out.push_str(", which this provider does not support; its first supported value ");
        ticked(&mut out, value);
        out.push_str(" is used");
    } else {
        ticked(&mut out, value);
    }
    out
}

/// Rewrites the specs allow instead of rejecting, each recorded as a change:
/// RFC7591-REDIRECT-05 (duplicate redirect URIs), RFC7591-GRANTRESP-01 /
/// OIDCDCR-GRANT-01 repair (only with `checks.grant_response_consistency:
/// repair`), RFC8705-AUTH-05 (stray mTLS subject fields, `drop` mode).
pub fn apply_repairs(client: &mut Map<String, Value>, policy: &Policy, changes: &mut Vec<Change>) {
    // The members read below, in one pass (see `get_many`); the grant repair
    // in between touches none of them.
    let [s0, s1, s2, s3, s4] = rules::auth::TLS_SUBJECT_FIELDS;
    let [redirects, method, tls @ ..] = get_many(client, ["redirect_uris", "token_endpoint_auth_method", s0, s1, s2, s3, s4]);
    // RFC8705-AUTH-05 applies when a method other than tls_client_auth is given.
    let other_method = method.and_then(Value::as_str).is_some_and(|m| m != "tls_client_auth");
    let tls_present = tls.map(|v| v.is_some());
    // RFC7591-REDIRECT-05: de-duplicate, keeping first occurrences in order
    let mut deduplicated = None;
    if let Some(Value::Array(uris)) = redirects {
        let mut seen: Vec<&Value> = Vec::with_capacity(uris.len());
        for u in uris {
            if !seen.contains(&u) {
                seen.push(u);
            }
        }
        if seen.len() != uris.len() {
            deduplicated = Some((Value::Array(uris.clone()), Value::Array(seen.into_iter().cloned().collect())));
        }
    }
    if let Some((from, to)) = deduplicated {
        changes.push(Change::overridden("redirect_uris", from, to.clone(), "RFC7591-REDIRECT-05", "duplicate redirect uris removed"));
        client.insert("redirect_uris".to_owned(), to);
    }
    // RFC7591-GRANTRESP-01 / OIDCDCR-GRANT-01 repair mode (node-oidc-provider behaviour)
    if policy.checks.grant_response_consistency == checks::GrantResponseConsistency::Repair
        && let (Some(Value::Array(grants)), Some(Value::Array(rts))) = (client.get("grant_types"), client.get("response_types"))
        && grants.iter().all(Value::is_string)
        && rts.iter().all(Value::is_string)
    {
        let (mut code, mut implicit) = (false, false);
        for rt in rts.iter().filter_map(Value::as_str) {
            let (c, i) = rules::grants::needs(rt, false);
            code |= c;
            implicit |= i;
        }
        let mut repaired: Vec<Value> =
            grants.iter().filter(|g| !matches!(g.as_str(), Some("authorization_code" | "implicit"))).cloned().collect();
        if implicit {
            repaired.insert(0, Value::from("implicit"));
        }
        if code {
            repaired.insert(0, Value::from("authorization_code"));
        }
        let same = repaired.len() == grants.len() && repaired.iter().all(|g| grants.contains(g));
        if !same {
            let rule = if policy.profile.is_oidc() { "OIDCDCR-GRANT-01" } else { "RFC7591-GRANTRESP-01" };
            let from = Value::Array(grants.clone());
            let to = Value::Array(repaired);
            changes.push(Change::overridden("grant_types", from, to.clone(), rule, "`grant_types` repaired to match `response_types`"));
            client.insert("grant_types".to_owned(), to);
        }
    }
    // RFC8705-AUTH-05: subject fields only mean something for tls_client_auth
    if policy.checks.stray_tls_subject_fields == checks::StrayFields::Drop && other_method {
        for (name, present) in rules::auth::TLS_SUBJECT_FIELDS.into_iter().zip(tls_present) {
            if present && let Some(v) = client.shift_remove(name) {
                changes.push(Change::removed(name, v, "RFC8705-AUTH-05", "only meaningful with `tls_client_auth`"));
            }
        }
    }
}

/// Sets the flags the host enforces after registration, recording each as a
/// change: `require_pkce: true` (an engine output, `checks.require_pkce`) for
/// a client of the authorization code grant that must use PKCE with `S256`:
/// - FAPI2-PKCE-01: every such client under FAPI 2;
/// - BCP-PKCE-01: public clients (`none`; RFC 9700 §2.1.1 MUST);
/// - RFC8252-PKCE-01: native apps (RFC 8252 §8.1);
/// - FAPI1-PAR-01: FAPI 1 clients that require PAR;
/// - every client with `checks.require_pkce: all` (BCP-PKCE-01's SHOULD).
///
/// A client may send `require_pkce: true` itself; a `false` where a rule
/// requires PKCE is overridden. A non-boolean is left for the type check.
pub fn apply_derived(client: &mut Map<String, Value>, policy: &Policy, changes: &mut Vec<Change>) {
    use checks::PkceRequirement;
    let mode = policy.checks.require_pkce;
    if mode == PkceRequirement::Off {
        return;
    }
    // One pass over the client for the members read here (see `get_many`).
    let [grants, method, app_type, par, sent] = get_many(
        client,
        ["grant_types", "token_endpoint_auth_method", "application_type", "require_pushed_authorization_requests", "require_pkce"],
    );
    let code = grants.and_then(Value::as_array).is_some_and(|g| g.iter().any(|x| x.as_str() == Some("authorization_code")));
    if !code {
        return;
    }
    let why = if policy.profile.is_fapi2() {
        Some(("FAPI2-PKCE-01", "FAPI 2.0 requires PKCE with `S256` of every authorization code client"))
    } else if method.and_then(Value::as_str) == Some("none") {
        Some(("BCP-PKCE-01", "public clients must use PKCE (RFC 9700 §2.1.1)"))
    } else if app_type.and_then(Value::as_str) == Some("native") {
        Some(("RFC8252-PKCE-01", "native apps must use PKCE (RFC 8252 §8.1)"))
    } else if policy.profile.is_fapi1() && par == Some(&Value::Bool(true)) {
        Some(("FAPI1-PAR-01", "FAPI 1 clients that use PAR must use PKCE with `S256`"))
    } else if mode == PkceRequirement::All {
        Some(("BCP-PKCE-01", "this provider requires PKCE of every authorization code client (RFC 9700 §2.1.1)"))
    } else {
        None
    };
    let Some((rule, reason)) = why else { return };
    match sent {
        Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) => {
            changes.push(Change::overridden("require_pkce", Value::Bool(false), Value::Bool(true), rule, reason));
            client.insert("require_pkce".to_owned(), Value::Bool(true));
        }
        None | Some(Value::Null) => default_to(client, changes, "require_pkce", Value::Bool(true), rule, reason.to_owned()),
        Some(_) => {}
    }
}

/// Runs every field and cross-field rule, pushing findings into `report`.
pub fn validate(client: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    rules::types::check(client, report);
    let md = model::MetadataView::new(client);
    rules::run(&md, client, policy, report);
}
