//! JWT claim checks (JWT-CLAIM-01..07), run only on a verified token
//! (JWT-CLAIM-08). Every finding is collected.

use serde_json::{Map, Value};

use super::jwk::short;
use super::{TokenKind, VerifyOptions};
use crate::error::{ErrorCode, Violation};

/// Checks `claims` against the options; pushes every finding.
pub(crate) fn check(claims: &Map<String, Value>, opts: &VerifyOptions<'_>, errors: &mut Vec<Violation>) {
    let kind = opts.kind;
    let now = opts.now as f64;
    let leeway = opts.leeway as f64;
    let v = |rule: &str, name: &str, reason: &str, message: String| {
        kind.claims_violation(rule, &format!("/{name}"), message).with_reason(reason)
    };

    // RFC 7519 §4.1.4-6: NumericDate is a JSON number (seconds, may be fractional).
    let date = |name: &str, rule: &str, errors: &mut Vec<Violation>| match claims.get(name) {
        None => None,
        Some(Value::Number(n)) => n.as_f64(),
        Some(_) => {
            errors.push(v(rule, name, "type", format!("`{name}` must be a number of seconds (NumericDate)")));
            None
        }
    };
    let exp = date("exp", "JWT-CLAIM-02", errors);
    let nbf = date("nbf", "JWT-CLAIM-03", errors);
    let iat = date("iat", "JWT-CLAIM-04", errors);

    // JWT-CLAIM-01 / RFC7591-SS-02: `iss` names who vouches for the token.
    match claims.get("iss") {
        Some(Value::String(iss)) => {
            if !opts.issuers.is_empty() && !opts.issuers.iter().any(|i| i == iss) {
                // RFC7591-SS-05: a well-formed statement from an untrusted issuer is unapproved.
                let (code, rule) = match kind {
                    TokenKind::SoftwareStatement => (ErrorCode::UnapprovedSoftwareStatement, "RFC7591-SS-05"),
                    TokenKind::RequestJwt => (ErrorCode::InvalidClientMetadata, "JWT-CLAIM-01"),
                };
                let mut x = v(rule, "iss", "untrusted_issuer", format!("issuer `{}` is not trusted", short(iss)));
                x.error = code;
                errors.push(x);
            }
        }
        None => errors.push(v(kind.iss_rule(), "iss", "missing", format!("{} must have an `iss` claim", kind.noun()))),
        Some(_) => errors.push(v(kind.iss_rule(), "iss", "type", "`iss` must be a string".to_owned())),
    }

    // JWT-CLAIM-02: not at or after `exp` (with leeway).
    if let Some(exp) = exp
        && now >= exp + leeway
    {
        errors.push(v("JWT-CLAIM-02", "exp", "expired", format!("{} expired at {exp}; it is now {}", kind.noun(), opts.now)));
    }
    // JWT-CLAIM-03: not before `nbf` (with leeway).
    if let Some(nbf) = nbf
        && now + leeway < nbf
    {
        errors.push(v(
            "JWT-CLAIM-03",
            "nbf",
            "not_yet_valid",
            format!("{} is not valid before {nbf}; it is now {}", kind.noun(), opts.now),
        ));
    }
    if let Some(iat) = iat {
        // JWT-CLAIM-04: issued in the future beyond the leeway.
        if iat > now + leeway {
            errors.push(v("JWT-CLAIM-04", "iat", "issued_in_future", format!("`iat` {iat} is in the future; it is now {}", opts.now)));
        } else if let Some(max) = opts.max_age {
            // JWT-CLAIM-05 / BROF-SSA-02: older than the maximum age. The age is
            // strict: the leeway covers clocks that run ahead (JWT-CLAIM-04), and
            // the digest allows skew only into the future ("at most 5 minutes
            // before the time the request is received").
            if now - iat > max as f64 {
                errors.push(v("JWT-CLAIM-05", "iat", "too_old", format!("{} was issued at {iat}, more than {max} s ago", kind.noun())));
            }
        }
    } else if opts.max_age.is_some() && !claims.contains_key("iat") {
        errors.push(v("JWT-CLAIM-05", "iat", "missing", format!("{} must have `iat`: a maximum age is configured", kind.noun())));
    }

    // JWT-CLAIM-06: `aud` is a string or an array of strings (RFC 7519 §4.1.3).
    let mut aud_type_error = false;
    let aud: Option<Vec<&str>> = match claims.get("aud") {
        None => None,
        Some(Value::String(s)) => Some(vec![s.as_str()]),
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => Some(a.iter().filter_map(Value::as_str).collect()),
        Some(_) => {
            errors.push(v("JWT-CLAIM-06", "aud", "type", "`aud` must be a string or an array of strings".to_owned()));
            aud_type_error = true;
            None
        }
    };
    if !opts.audience.is_empty() && !aud_type_error {
        match aud {
            None => errors.push(v("JWT-CLAIM-06", "aud", "missing", format!("{} must have an `aud` claim", kind.noun()))),
            Some(list) if !list.iter().any(|a| opts.audience.iter().any(|w| w == a)) => {
                errors.push(v(
                    "JWT-CLAIM-06",
                    "aud",
                    "mismatch",
                    format!("`aud` does not name this server (expected {})", quoted(opts.audience)),
                ));
            }
            Some(_) => {}
        }
    }

    // JWT-CLAIM-07: `jti` is a string when present (the host tracks replay).
    if claims.get("jti").is_some_and(|j| !j.is_string()) {
        errors.push(v("JWT-CLAIM-07", "jti", "type", "`jti` must be a string".to_owned()));
    }

    // Required claims (profile lists, e.g. UKOB-REQ-02, AUCDR-SSA-03).
    for name in opts.required_claims {
        if claims.get(name).is_none_or(Value::is_null) {
            let rule = match name.as_str() {
                "iss" => kind.iss_rule(),
                "exp" => "JWT-CLAIM-02",
                "nbf" => "JWT-CLAIM-03",
                "iat" => "JWT-CLAIM-04",
                "aud" => "JWT-CLAIM-06",
                _ => "JWT-CLAIM-07",
            };
            if name == "iss" && !claims.contains_key("iss") {
                continue; // already reported above
            }
            if name == "iat" && opts.max_age.is_some() && !claims.contains_key("iat") {
                continue;
            }
            if name == "aud" && !opts.audience.is_empty() && !claims.contains_key("aud") {
                continue;
            }
            errors.push(
                kind.claims_violation(rule, &crate::pointer::field(name), format!("{} must have the `{}` claim", kind.noun(), short(name)))
                    .with_reason("missing"),
            );
        }
    }
}

fn quoted(list: &[String]) -> String {
    list.iter().map(|a| format!("`{}`", short(a))).collect::<Vec<_>>().join(" or ")
}
