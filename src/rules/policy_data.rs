//! Generic policy data: `allowed` values, `required` fields and `forbidden`
//! fields (ISVA-MAP-04 style host rules). Rule IDs: `POLICY-ALLOWED`,
//! `POLICY-REQUIRED`, `POLICY-FORBIDDEN` (the spec has no ID for a host's own
//! policy data; these mirror `POLICY-DEFAULT` / `POLICY-ENFORCE` of changes).

use serde_json::{Map, Value};

use super::capabilities::same_response_type;
use super::types::code_for;
use crate::error::{Report, Violation};
use crate::pointer;
use crate::policy::Policy;

fn short(v: &Value) -> String {
    match v {
        Value::String(s) => super::show(s),
        other => super::show(&other.to_string()),
    }
}

fn is_allowed(field: &str, allowed: &Value, v: &Value) -> bool {
    let one = |a: &Value| match (field, a, v) {
        ("response_types", Value::String(a), Value::String(v)) => same_response_type(a, v),
        _ => a == v,
    };
    match allowed {
        Value::Array(list) => list.iter().any(one),
        single => one(single),
    }
}

/// `allowed` and `required` on the client after defaults and overrides, and
/// the never-replaced `redirect_uris` of OIDCDCR-REDIRECT-02.
pub fn check(client: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    for (field, allowed) in &policy.allowed {
        let Some(value) = client.get(field).filter(|v| !v.is_null()) else {
            continue;
        };
        let code = code_for(field);
        // The profile's citation for this data item (e.g. FAPI1-RESP-01), else POLICY-ALLOWED.
        let rule = policy.rule_for(&format!("/allowed/{field}"));
        let mut deny = |path: String, v: &Value| {
            report.push(
                Violation::new(code, rule, path, format!("{} is not allowed for `{field}` by this policy", short(v)))
                    .with_reason("not_allowed"),
            );
        };
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if !is_allowed(field, allowed, item) {
                        deny(pointer::item(field, i), item);
                    }
                }
            }
            Value::String(s) if field == "scope" => {
                for t in s.split(' ').filter(|t| !t.is_empty()) {
                    let tv = Value::String(t.to_owned());
                    if !is_allowed(field, allowed, &tv) {
                        deny(pointer::field(field), &tv);
                    }
                }
            }
            other => {
                if !is_allowed(field, allowed, other) {
                    deny(pointer::field(field), other);
                }
            }
        }
    }
    for field in &policy.required {
        let present = client.get(field).is_some_and(|v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()));
        let tagged = client.keys().any(|k| k.split_once('#').is_some_and(|(b, _)| b == field));
        if !present && !tagged {
            report.push(
                Violation::new(
                    code_for(field),
                    policy.rule_for(&format!("/required/{field}")),
                    pointer::field(field),
                    format!("`{field}` is required by this policy"),
                )
                .with_reason("missing"),
            );
        }
    }
    super::redirect::check_enforced(client, policy, report);
}

/// `forbidden`: fields (and their language-tagged variants) that must not be
/// *sent*. Runs on the request as received, before defaults and overrides.
pub fn check_forbidden(metadata: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    if policy.forbidden.is_empty() {
        return;
    }
    for (key, value) in metadata {
        if value.is_null() {
            continue;
        }
        let base = key.split_once('#').map_or(key.as_str(), |(b, _)| b);
        if policy.forbidden.iter().any(|f| f == base) {
            report.push(
                Violation::new(
                    code_for(base),
                    policy.rule_for(&format!("/forbidden/{base}")),
                    pointer::field(key),
                    format!("`{key}` must not be sent to this provider"),
                )
                .with_reason("forbidden"),
            );
        }
    }
}
