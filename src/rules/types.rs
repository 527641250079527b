//! JSON types of known fields (RFC7591-META-04 and the per-field type rules)
//! and language-tagged member names (RFC7591-I18N-01..05).

use serde_json::{Map, Value};

use super::{meta, show, warn};
use crate::error::{ErrorCode, Report, Violation};
use crate::limits::json_type;
use crate::metadata::lang;
use crate::metadata::model::{FieldSpec, Kind, field_spec};
use crate::pointer;

/// The rule that owns a field's type, when a spec names one; else RFC7591-META-04.
#[must_use]
pub fn type_rule(field: &str) -> &'static str {
    match field {
        "default_max_age" => "OIDCDCR-MAXAGE-01",
        "require_auth_time" => "OIDCDCR-AUTHTIME-01",
        "default_acr_values" => "OIDCDCR-ACR-01",
        "tls_client_certificate_bound_access_tokens" => "RFC8705-BOUND-01",
        "require_pushed_authorization_requests" => "RFC9126-META-01",
        "dpop_bound_access_tokens" => "RFC9449-META-01",
        "require_signed_request_object" => "RFC9101-META-01",
        "backchannel_logout_session_required" => "LOGOUT-BCL-03",
        "frontchannel_logout_session_required" => "LOGOUT-FCL-03",
        "backchannel_user_code_parameter" => "CIBA-META-05",
        "backchannel_endpoint_login_hint_token_types" => "CIBA-META-08",
        "jwks" => "RFC7591-JWKS-02",
        _ => "RFC7591-META-04",
    }
}

/// The error code for a field (`invalid_redirect_uri` for `redirect_uris`).
#[must_use]
pub fn code_for(field: &str) -> ErrorCode {
    if field == "redirect_uris" { ErrorCode::InvalidRedirectUri } else { ErrorCode::InvalidClientMetadata }
}

/// The JSON type of members the policy `enforce`s, on the request as sent:
/// enforcing replaces the value, which would otherwise hide a malformed one
/// (BROF-META-09: the ecosystem's flags "validate as booleans"; a client
/// that sends `"true"` for a boolean is refused, not silently corrected).
/// A member of the right type that differs is still overridden and recorded.
pub fn check_enforced(sent: &Map<String, Value>, policy: &crate::Policy, report: &mut Report) {
    if policy.enforce.is_empty() {
        return;
    }
    for key in policy.enforce.keys() {
        let (Some(value), Some(spec)) = (sent.get(key), field_spec(key)) else { continue };
        if value.is_null() {
            continue; // RFC7591-META-04: absent
        }
        check_type(spec, key, value, type_rule(key), report);
    }
}

/// Checks the JSON type of every known member and every language-tagged member name.
pub fn check(client: &Map<String, Value>, report: &mut Report) {
    // (base field, tag) pairs already seen, for RFC7591-I18N-02; tags are
    // compared ignoring ASCII case (equal to comparing lowercased copies).
    let mut tags: Vec<(&str, &str)> = Vec::new();
    for (key, value) in client {
        if value.is_null() {
            continue; // RFC7591-META-04: `null` is absent on create
        }
        if let Some(spec) = field_spec(key) {
            check_type(spec, key, value, type_rule(key), report);
            continue;
        }
        let Some((base, tag)) = crate::metadata::model::split_tag(key) else {
            continue;
        };
        let Some(spec) = field_spec(base).filter(|s| s.i18n) else {
            continue; // RFC7591-I18N-01: `redirect_uris#en` is just an unknown member
        };
        let path = pointer::field(key);
        // RFC7591-I18N-03: the tag is a well-formed BCP 47 language tag
        if !lang::is_well_formed(tag) {
            meta(report, "RFC7591-I18N-03", path.clone(), format!("{} is not a well-formed bcp 47 language tag", show(tag)));
        }
        // RFC7591-I18N-04: a tagged variant obeys the rules of its base field
        check_type(spec, key, value, "RFC7591-I18N-04", report);
        // RFC7591-I18N-02: tags compare case-insensitively; two variants with the same tag conflict
        if tags.iter().any(|(b, t)| *b == spec.name && t.eq_ignore_ascii_case(tag)) {
            meta(
                report,
                "RFC7591-I18N-02",
                path,
                format!("{} repeats a language tag already used for `{}` (tags are case-insensitive)", show(tag), spec.name),
            );
        } else {
            tags.push((spec.name, tag));
        }
    }
    // RFC7591-I18N-05: an untagged value should accompany tagged ones
    let mut warned: Vec<&str> = Vec::new();
    for (base, _) in &tags {
        if client.get(*base).is_none_or(Value::is_null) && !warned.contains(base) {
            warned.push(base);
            warn(report, "RFC7591-I18N-05", pointer::field(base), format!("`{base}` has language-tagged variants but no untagged value"));
        }
    }
}

fn check_type(spec: &FieldSpec, key: &str, value: &Value, rule: &str, report: &mut Report) {
    // Paths are built only when something is wrong (this runs for every member).
    let path = || pointer::field(key);
    let code = code_for(spec.name);
    let wrong = |report: &mut Report| {
        report.push(
            Violation::new(code, rule, path(), format!("`{key}` must be {}, not {}", spec.kind.describe(), json_type(value)))
                .with_reason("type"),
        );
    };
    match spec.kind {
        Kind::Str => match value.as_str() {
            None => wrong(report),
            Some("") => {
                report.push(Violation::new(code, rule, path(), format!("`{key}` must not be an empty string")).with_reason("empty"))
            }
            Some(_) => {}
        },
        Kind::Bool => {
            if !value.is_boolean() {
                wrong(report);
            }
        }
        Kind::UInt => {
            if value.as_u64().is_none() {
                wrong(report);
            }
        }
        Kind::Object => {
            if !value.is_object() {
                wrong(report);
            }
        }
        Kind::StrArray => match value.as_array() {
            None => wrong(report),
            Some(items) => {
                if items.is_empty() && spec.name == "grant_types" {
                    report.push(
                        Violation::new(code, rule, path(), "`grant_types` must not be empty (omit it for the default)")
                            .with_reason("empty"),
                    );
                }
                for (i, item) in items.iter().enumerate() {
                    match item.as_str() {
                        Some("") => report.push(
                            Violation::new(code, rule, pointer::item(key, i), format!("`{key}` entries must not be empty strings"))
                                .with_reason("empty"),
                        ),
                        Some(_) => {}
                        None => report.push(
                            Violation::new(
                                code,
                                rule,
                                pointer::item(key, i),
                                format!("`{key}` entries must be strings, not {}", json_type(item)),
                            )
                            .with_reason("type"),
                        ),
                    }
                }
            }
        },
    }
}
