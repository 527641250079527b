//! The `dynamic_registration` stanza of IBM Security Verify Access / Verify
//! Identity Access OIDC Provider configuration, in its JSON form
//! (`shared/spec/isva-recipes.md`).
//!
//! The stanza is translated into policy overrides over the recipe it names
//! (ISVA-CONF-01). Every key ISVA documents takes its documented default
//! when absent (ISVA-DEF-01: all `require_*` false, no registration access
//! token), so an ISVA configuration means here what it means in ISVA; the
//! recipe's other data (allowed values, SSA and request rules) stays.
//! Unknown keys are load errors (ISVA-CONF-03). Policy members beside the
//! stanza are applied on top; `profile` may not appear beside it.

use serde_json::{Map, Value, json};

use crate::error::Violation;
use crate::policy::{ProfileId, policy_violation};

const STANZA: &str = "/dynamic_registration";

/// Turns `{"dynamic_registration": {...}, ...policy members}` into policy overrides.
///
/// # Errors
/// Every problem in the stanza, with its path (source `policy`).
pub fn translate(doc: &Map<String, Value>) -> Result<Map<String, Value>, Vec<Violation>> {
    let mut errors = Vec::new();
    let mut out = Map::new();
    if doc.contains_key("profile") {
        errors.push(policy_violation(
            "ISVA-CONF-01",
            "/profile",
            "`profile` cannot be combined with `dynamic_registration`: the stanza's `recipe` names the profile",
            "conflict",
        ));
    }
    let Some(Value::Object(stanza)) = doc.get("dynamic_registration") else {
        errors.push(policy_violation("ISVA-CONF-03", STANZA, "`dynamic_registration` must be an object", "type"));
        return Err(errors);
    };
    // ISVA-CONF-01: recipe names, case-sensitive; absent → `Default`.
    let profile = match stanza.get("recipe") {
        None => ProfileId::Oidc,
        Some(Value::String(s)) => match ProfileId::ALL.iter().find(|p| p.isva_recipe() == Some(s.as_str())) {
            Some(p) => *p,
            None => {
                errors.push(policy_violation(
                    "ISVA-CONF-01",
                    "/dynamic_registration/recipe",
                    format!(
                        "unknown recipe `{}`, expected `Default`, `FAPI_DEFAULT`, `FAPI_UK-OB` or `FAPI_AU-CDR`",
                        crate::policy::sanitize(s)
                    ),
                    "unknown_recipe",
                ));
                ProfileId::Oidc
            }
        },
        Some(_) => {
            errors.push(policy_violation("ISVA-CONF-01", "/dynamic_registration/recipe", "`recipe` must be a string", "type"));
            ProfileId::Oidc
        }
    };
    out.insert("profile".to_owned(), json!(profile.as_str()));
    let mut endpoint = Map::new();
    let mut mgmt_endpoint = Map::new();
    let mut software_statement = Map::new();
    let mut rat = Map::new();
    let mut client_secret = Map::new();
    let mut management = Map::new();
    for (key, value) in stanza {
        let path = format!("{STANZA}/{}", crate::pointer::escape(key));
        match key.as_str() {
            "recipe" => {}
            // ISVA-CONF-02: kept, never executed.
            "mappingrule_id" => match value {
                Value::String(s) if s.is_empty() => {}
                Value::String(s) => {
                    out.insert("mapping_rule".to_owned(), json!(s));
                }
                _ => errors.push(policy_violation("ISVA-CONF-02", path, "`mappingrule_id` must be a string", "type")),
            },
            "software_statement_validation" => {
                for (k, v, p) in members(value, &path, &mut errors) {
                    match k.as_str() {
                        // ISVA-SSA-01
                        "jwks_uri" => match v {
                            Value::String(_) => {
                                software_statement.insert("jwks_uri".to_owned(), v.clone());
                            }
                            _ => errors.push(policy_violation("ISVA-SSA-01", p, "`jwks_uri` must be a string", "type")),
                        },
                        // ISVA-SSA-02
                        "signing_algs" => {
                            software_statement.insert("signing_algs".to_owned(), v.clone());
                        }
                        _ => errors.push(unknown(&p, &k, &["jwks_uri", "signing_algs"])),
                    }
                }
            }
            "registration_endpoint_authentication" => {
                // ISVA-AUTH-01..04; documented defaults all `false` (ISVA-DEF-01).
                for name in ["require_mtls", "require_bearer_token", "require_software_statement", "allow_custom_client_creds"] {
                    endpoint.insert(name.to_owned(), json!(false));
                }
                for (k, v, p) in members(value, &path, &mut errors) {
                    match k.as_str() {
                        "require_mtls" | "require_bearer_token" | "require_software_statement" | "allow_custom_client_creds" => {
                            if bool_member(&v, &p, "ISVA-AUTH-01", &mut errors) {
                                endpoint.insert(k.clone(), v.clone());
                            }
                        }
                        _ => errors.push(unknown(
                            &p,
                            &k,
                            &["require_mtls", "require_bearer_token", "require_software_statement", "allow_custom_client_creds"],
                        )),
                    }
                }
            }
            "management_endpoint_authentication" => {
                // ISVA-AUTH-05..08.
                for name in ["require_mtls", "require_bearer_token"] {
                    mgmt_endpoint.insert(name.to_owned(), json!(false));
                }
                management.insert("require_software_statement_on_update".to_owned(), json!(false));
                client_secret.insert("allow_update".to_owned(), json!(false));
                for (k, v, p) in members(value, &path, &mut errors) {
                    match k.as_str() {
                        "require_mtls" | "require_bearer_token" => {
                            if bool_member(&v, &p, "ISVA-AUTH-05", &mut errors) {
                                mgmt_endpoint.insert(k.clone(), v.clone());
                            }
                        }
                        "require_software_statement" => {
                            if bool_member(&v, &p, "ISVA-AUTH-07", &mut errors) {
                                management.insert("require_software_statement_on_update".to_owned(), v.clone());
                                mgmt_endpoint.insert("require_software_statement".to_owned(), v.clone());
                            }
                        }
                        "allow_client_secret_update" => {
                            if bool_member(&v, &p, "ISVA-AUTH-08", &mut errors) {
                                client_secret.insert("allow_update".to_owned(), v.clone());
                            }
                        }
                        _ => errors.push(unknown(
                            &p,
                            &k,
                            &["require_mtls", "require_bearer_token", "require_software_statement", "allow_client_secret_update"],
                        )),
                    }
                }
            }
            "registration_access_token" => {
                // ISVA-RAT-01..03; documented defaults `generate: false`, `lifetime: 0`.
                rat.insert("generate".to_owned(), json!(false));
                rat.insert("lifetime".to_owned(), json!(0));
                for (k, v, p) in members(value, &path, &mut errors) {
                    match k.as_str() {
                        "generate" => {
                            if bool_member(&v, &p, "ISVA-RAT-01", &mut errors) {
                                rat.insert(k.clone(), v.clone());
                            }
                        }
                        "lifetime" => match v.as_i64() {
                            Some(n) if n >= 0 => {
                                rat.insert(k.clone(), json!(n));
                            }
                            Some(_) => errors.push(policy_violation("ISVA-RAT-02", p, "`lifetime` cannot be negative", "negative")),
                            None => {
                                errors.push(policy_violation("ISVA-RAT-02", p, "`lifetime` must be an integer number of seconds", "type"))
                            }
                        },
                        "scopes" => match &v {
                            Value::Array(items) if items.iter().all(Value::is_string) => {
                                endpoint.insert("bearer_token_scopes".to_owned(), v.clone());
                                mgmt_endpoint.insert("bearer_token_scopes".to_owned(), v.clone());
                            }
                            _ => errors.push(policy_violation("ISVA-RAT-03", p, "`scopes` must be an array of strings", "type")),
                        },
                        _ => errors.push(unknown(&p, &k, &["generate", "lifetime", "scopes"])),
                    }
                }
            }
            "client_secret" => {
                for (k, v, p) in members(value, &path, &mut errors) {
                    match k.as_str() {
                        "lifetime" => match v.as_i64() {
                            Some(n) if n >= 0 => {
                                client_secret.insert(k.clone(), json!(n));
                            }
                            _ => errors.push(policy_violation(
                                "ISVA-CONF-03",
                                p,
                                "`lifetime` must be a non-negative integer number of seconds",
                                "type",
                            )),
                        },
                        _ => errors.push(unknown(&p, &k, &["lifetime"])),
                    }
                }
            }
            _ => errors.push(unknown(
                &path,
                key,
                &[
                    "recipe",
                    "mappingrule_id",
                    "software_statement_validation",
                    "registration_endpoint_authentication",
                    "management_endpoint_authentication",
                    "registration_access_token",
                    "client_secret",
                ],
            )),
        }
    }
    // Absent sections take the documented defaults too (ISVA-DEF-01).
    if !stanza.contains_key("registration_endpoint_authentication") {
        for name in ["require_mtls", "require_bearer_token", "require_software_statement", "allow_custom_client_creds"] {
            endpoint.insert(name.to_owned(), json!(false));
        }
    }
    if !stanza.contains_key("management_endpoint_authentication") {
        for name in ["require_mtls", "require_bearer_token"] {
            mgmt_endpoint.insert(name.to_owned(), json!(false));
        }
        management.insert("require_software_statement_on_update".to_owned(), json!(false));
    }
    if !stanza.contains_key("registration_access_token") {
        rat.insert("generate".to_owned(), json!(false));
        rat.insert("lifetime".to_owned(), json!(0));
    }
    // ISVA-AUTH-03: the endpoint switch is the SSA requirement.
    if let Some(v) = endpoint.get("require_software_statement") {
        software_statement.insert("required".to_owned(), v.clone());
    }
    // ISVA-SUBJ-01: ISVAOP supports only the `public` subject type.
    out.insert("allowed".to_owned(), json!({"subject_type": ["public"]}));
    out.insert("rule_ids".to_owned(), json!({"/allowed/subject_type": ["ISVA-SUBJ-01"]}));
    for (name, section) in [
        ("endpoint", endpoint),
        ("management_endpoint", mgmt_endpoint),
        ("software_statement", software_statement),
        ("registration_access_token", rat),
        ("client_secret", client_secret),
        ("management", management),
    ] {
        if !section.is_empty() {
            out.insert(name.to_owned(), Value::Object(section));
        }
    }
    // Policy members beside the stanza apply on top.
    let mut rest = doc.clone();
    rest.remove("dynamic_registration");
    rest.remove("profile");
    crate::policy::deep_merge(&mut out, &rest, "");
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

fn members(value: &Value, path: &str, errors: &mut Vec<Violation>) -> Vec<(String, Value, String)> {
    match value {
        Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v.clone(), format!("{path}/{}", crate::pointer::escape(k)))).collect(),
        _ => {
            errors.push(policy_violation("ISVA-CONF-03", path, "this section must be an object", "type"));
            Vec::new()
        }
    }
}

fn bool_member(v: &Value, path: &str, rule: &str, errors: &mut Vec<Violation>) -> bool {
    if v.is_boolean() {
        true
    } else {
        errors.push(policy_violation(rule, path, "must be `true` or `false`", "type"));
        false
    }
}

fn unknown(path: &str, key: &str, expected: &[&str]) -> Violation {
    let list = expected.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
    policy_violation("ISVA-CONF-03", path, format!("unknown key `{}`, expected one of {list}", crate::policy::sanitize(key)), "unknown_key")
}

/// Points load errors found in the translated policy back at the stanza key
/// they came from (e.g. `/software_statement/signing_algs/0` →
/// `/dynamic_registration/software_statement_validation/signing_algs/0`),
/// when the stanza holds that key.
#[must_use]
pub fn remap_paths(doc: &Map<String, Value>, mut violations: Vec<Violation>) -> Vec<Violation> {
    const MAP: [(&str, &str); 12] = [
        ("/software_statement/signing_algs", "/software_statement_validation/signing_algs"),
        ("/software_statement/jwks_uri", "/software_statement_validation/jwks_uri"),
        ("/endpoint/bearer_token_scopes", "/registration_access_token/scopes"),
        ("/endpoint/require_mtls", "/registration_endpoint_authentication/require_mtls"),
        ("/endpoint/require_bearer_token", "/registration_endpoint_authentication/require_bearer_token"),
        ("/endpoint/require_software_statement", "/registration_endpoint_authentication/require_software_statement"),
        ("/endpoint/allow_custom_client_creds", "/registration_endpoint_authentication/allow_custom_client_creds"),
        ("/management_endpoint/require_mtls", "/management_endpoint_authentication/require_mtls"),
        ("/management_endpoint/require_bearer_token", "/management_endpoint_authentication/require_bearer_token"),
        ("/registration_access_token/generate", "/registration_access_token/generate"),
        ("/registration_access_token/lifetime", "/registration_access_token/lifetime"),
        ("/client_secret/lifetime", "/client_secret/lifetime"),
    ];
    let Some(stanza) = doc.get("dynamic_registration") else {
        return violations;
    };
    for v in &mut violations {
        for (from, to) in MAP {
            let Some(rest) = v.path.strip_prefix(from) else {
                continue;
            };
            if !(rest.is_empty() || rest.starts_with('/')) {
                continue;
            }
            if stanza.pointer(to).is_some() {
                v.path = format!("{STANZA}{to}{rest}");
                break;
            }
        }
    }
    violations
}
