//! OIDCDCR-SECTOR-02 (OIDC DCR §2, §5; OIDC Core §8.1): at registration the
//! JSON array served at `sector_identifier_uri` must list every registered
//! redirect URI, or the registration fails. The server need not store the
//! array or check it again later.
//!
//! The module never fetches: `inspect_registration` names the URL under
//! `documents`, the host fetches it and passes the result as the request's
//! `sector_identifier` ([`FetchedDocument`]). This rule runs in the
//! registration pipeline (and on an RFC 7592 update), on the final client
//! metadata — after software-statement precedence, which may supply the URI —
//! and never in `validate_metadata`, which has no host context.
//!
//! Reading of the spec: "unreachable URL / non-200 / non-array body" all get
//! `invalid_client_metadata` (the digest, after node-oidc-provider). Strings
//! are compared code point for code point (OIDCDCR-STRING-01): no case
//! folding, no trailing-slash or percent-encoding normalisation. A document
//! whose `uri` is not the registered URL is not a document for it.

use serde_json::{Map, Value};

use super::show;
use crate::error::{ErrorCode, Report, Severity, Violation};
use crate::host::FetchedDocument;
use crate::limits::{json_type, parse_json};
use crate::metadata::checks::Level;
use crate::metadata::uri::Uri;
use crate::policy::Policy;

/// The rule ID.
pub const RULE: &str = "OIDCDCR-SECTOR-02";

/// The `sector_identifier_uri` the host should fetch for this client, if
/// any: a string that parses as an `https` URI (OIDCDCR-SECTOR-01 refuses
/// anything else) and does not name an internal host the policy refuses
/// (DCR-SSRF-01 at `reject`). Those cases are reported by their own rules,
/// and the content is not asked for.
#[must_use]
pub fn fetchable(uri: &str, policy: &Policy) -> bool {
    match Uri::parse(uri) {
        Ok(parsed) if parsed.scheme_is("https") => {
            !(policy.checks.internal_fetch_targets == Level::Reject && super::fetch::is_internal_host(&parsed.host_lower()))
        }
        _ => false,
    }
}

/// Runs the rule on the final client metadata with the document the host
/// supplied (if any). A document is ignored when the client names no
/// `sector_identifier_uri`.
pub fn check(client: &Map<String, Value>, document: Option<&FetchedDocument>, policy: &Policy, report: &mut Report) {
    let Some(Value::String(uri)) = client.get("sector_identifier_uri") else {
        return;
    };
    if !fetchable(uri, policy) {
        return;
    }
    let checks = &policy.checks;
    let field = "/sector_identifier_uri";
    let Some(doc) = document else {
        finding(
            report,
            checks.sector_identifier_content,
            field,
            "not_supplied",
            format!("the array at `sector_identifier_uri` {} was not supplied, so the redirect uris cannot be checked", show(uri)),
        );
        return;
    };
    if doc.uri != *uri {
        finding(
            report,
            checks.sector_identifier_content,
            field,
            "uri_mismatch",
            format!("the document supplied was fetched from {}, not from `sector_identifier_uri` {}", show(&doc.uri), show(uri)),
        );
        return;
    }
    let Some(body) = &doc.body else {
        // Unreachable, non-200, too large...: always an error (the digest's "same code").
        finding(
            report,
            Level::Reject,
            field,
            "fetch_failed",
            format!("`sector_identifier_uri` {} could not be fetched (no http 200 answer)", show(uri)),
        );
        return;
    };
    let level = checks.sector_identifier_redirect_uris;
    // The document lists the redirect URIs of every client of the sector, so its
    // one array is bounded by the body size, not by `max_array_len` (a budget
    // for metadata arrays); depth, string and body limits apply as configured.
    let limits = crate::Limits { max_array_len: policy.limits.max_array_len.max(policy.limits.max_body_bytes), ..policy.limits };
    let parsed = parse_json(body.as_bytes(), &limits);
    let listed: Vec<&str> = match &parsed {
        Ok(Value::Array(items)) if items.iter().all(Value::is_string) => items.iter().filter_map(Value::as_str).collect(),
        Ok(Value::Array(_)) => {
            let message = "the array at `sector_identifier_uri` must hold only strings (redirect uris)";
            finding(report, level, field, "not_an_array", message);
            return;
        }
        Ok(other) => {
            let message = format!("the document at `sector_identifier_uri` must be a json array, not {}", json_type(other));
            finding(report, level, field, "not_an_array", message);
            return;
        }
        Err(e) => {
            let message = format!("the document at `sector_identifier_uri` is not a json array: {}", e.message);
            finding(report, level, field, "not_an_array", message);
            return;
        }
    };
    let Some(Value::Array(redirects)) = client.get("redirect_uris") else {
        return;
    };
    for (i, r) in redirects.iter().enumerate() {
        let Some(r) = r.as_str() else { continue };
        // OIDCDCR-STRING-01: code-point-exact comparison.
        if !listed.contains(&r) {
            finding(
                report,
                level,
                crate::pointer::item("redirect_uris", i),
                "missing_redirect_uri",
                format!("redirect uri {} is not listed in the array at `sector_identifier_uri`", show(r)),
            );
        }
    }
}

/// One OIDCDCR-SECTOR-02 finding at a switch's level (nothing for `off`).
fn finding(report: &mut Report, level: Level, path: impl Into<String>, reason: &str, message: impl Into<String>) {
    let severity = match level {
        Level::Off => return,
        Level::Warn => Severity::Warning,
        Level::Reject => Severity::Error,
    };
    report.push(Violation::new(ErrorCode::InvalidClientMetadata, RULE, path, message).with_reason(reason).with_severity(severity));
}
