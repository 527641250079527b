//! Violations, the report that collects them, and the RFC 7591 error codes.
//!
//! Every finding the engine makes is a [`Violation`]: the RFC 7591 §3.2.2
//! `error` code, the stable rule ID from `shared/spec`, an RFC 6901 JSON
//! Pointer into the document named by `source`, and a one-line message.
//! Checks never return early: they push into a [`Report`] and the pipeline
//! goes on, so a caller sees every problem at once.

use serde::{Deserialize, Serialize};

/// The error codes of RFC 7591 §3.2.2 (plus RFC 6750's `invalid_token`,
/// used by the RFC 7592 management endpoints). RFC7591-ERR-02: the four
/// RFC 7591 codes keep their meanings (OIDCDCR-ERR-01, AUCDR-ERR-01 and
/// UKOB-ERR-01 use the same error format and codes); OAuth-layer failures use
/// RFC 6750's codes (RFC7591-ERR-03).
///
/// The wire spelling is snake_case (`invalid_redirect_uri`); WIT spells the
/// same cases in kebab-case (`invalid-redirect-uri`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// RFC 7591 §3.2.2: a redirection URI is invalid.
    InvalidRedirectUri,
    /// RFC 7591 §3.2.2: a metadata field is invalid or violates policy.
    InvalidClientMetadata,
    /// RFC 7591 §3.2.2: the software statement is invalid.
    InvalidSoftwareStatement,
    /// RFC 7591 §3.2.2: the software statement is not approved.
    UnapprovedSoftwareStatement,
    /// RFC 6750 §3.1: the access token is missing, expired or wrong (RFC 7592).
    InvalidToken,
    /// RFC 6750 §3.1: the token lacks the privileges the request needs.
    InsufficientScope,
    /// RFC 6749 §5.2: the request itself is malformed (bad body, content type).
    InvalidRequest,
    /// RFC 6749 §5.2: client authentication failed — here, a required
    /// mutual-TLS client certificate is missing (ISVA-AUTH-01; HTTP 401).
    InvalidClient,
    /// Brazil Open Finance DCR (BROF-META-08, BROF-ERR-01): a `webhook_uris`
    /// entry is not an `https` base URL. The one ecosystem-specific code.
    InvalidWebhookUris,
}

impl ErrorCode {
    /// The RFC spelling, e.g. `invalid_redirect_uri`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRedirectUri => "invalid_redirect_uri",
            Self::InvalidClientMetadata => "invalid_client_metadata",
            Self::InvalidSoftwareStatement => "invalid_software_statement",
            Self::UnapprovedSoftwareStatement => "unapproved_software_statement",
            Self::InvalidToken => "invalid_token",
            Self::InsufficientScope => "insufficient_scope",
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidWebhookUris => "invalid_webhook_uris",
        }
    }

    /// Precedence used to choose the single top-level `error` of an HTTP
    /// error response when violations carry different codes (spec README:
    /// `unapproved_software_statement` > `invalid_software_statement` >
    /// `invalid_redirect_uri` > `invalid_client_metadata`). Authorization
    /// failures outrank everything, then malformed requests; Brazil's
    /// `invalid_webhook_uris` (a metadata error of its own) sits just above
    /// `invalid_client_metadata`.
    #[must_use]
    pub const fn precedence(self) -> u8 {
        match self {
            Self::InvalidClient => 9,
            Self::InvalidToken => 8,
            Self::InsufficientScope => 7,
            Self::InvalidRequest => 6,
            Self::UnapprovedSoftwareStatement => 5,
            Self::InvalidSoftwareStatement => 4,
            Self::InvalidRedirectUri => 3,
            Self::InvalidWebhookUris => 2,
            Self::InvalidClientMetadata => 1,
        }
    }
}

impl core::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a finding is. Only `error` findings reject a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The request is rejected.
    #[default]
    Error,
    /// Accepted, but the host should tell the user (e.g. a SHOULD was broken).
    Warning,
    /// Informational, e.g. an unknown field that was kept but not understood.
    Advice,
}

/// Which document a violation's `path` points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Source {
    /// The client metadata (the JSON body, or the claims of a signed request).
    #[default]
    Metadata,
    /// The HTTP request envelope (body bytes, content type).
    Request,
    /// The claims of the software statement.
    SoftwareStatement,
    /// The JOSE header of the software statement.
    SoftwareStatementHeader,
    /// The claims of a signed registration request (`application/jwt`).
    RequestJwt,
    /// The JOSE header of a signed registration request.
    RequestJwtHeader,
    /// A JWKS supplied by the host.
    Jwks,
    /// The policy document (only at load time).
    Policy,
    /// The host context (TLS, bearer token).
    Context,
}

/// One finding. A plain serializable record: this is the shape that crosses
/// every boundary (Rust, JS, WIT).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// RFC 7591 §3.2.2 error code.
    pub error: ErrorCode,
    /// Stable rule ID from `shared/spec`, e.g. `RFC7591-REDIRECT-01`.
    pub rule: String,
    /// RFC 6901 JSON Pointer into `source`; `""` is the whole document.
    pub path: String,
    /// The document `path` points into.
    pub source: Source,
    /// One lowercase line for humans; never echoes secrets.
    pub message: String,
    /// `error` rejects; `warning` and `advice` do not.
    #[serde(default)]
    pub severity: Severity,
    /// Short machine reason when one rule can fail several ways
    /// (`missing`, `type`, `mismatch`, `expired`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Violation {
    /// A new `error`-severity violation on the metadata document.
    #[must_use]
    pub fn new(error: ErrorCode, rule: &str, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error,
            rule: rule.to_owned(),
            path: path.into(),
            source: Source::Metadata,
            message: message.into(),
            severity: Severity::Error,
            reason: None,
        }
    }

    /// Sets the document the path points into.
    #[must_use]
    pub fn in_source(mut self, source: Source) -> Self {
        self.source = source;
        self
    }

    /// Sets the machine reason.
    #[must_use]
    pub fn with_reason(mut self, reason: &str) -> Self {
        self.reason = Some(reason.to_owned());
        self
    }

    /// Sets the severity.
    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// True when this finding rejects the request.
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// An ordered, flat list of findings. Checks push; nothing returns early.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Report {
    violations: Vec<Violation>,
}

impl Report {
    /// An empty report.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a finding.
    pub fn push(&mut self, violation: Violation) {
        self.violations.push(violation);
    }

    /// Shorthand for `push(Violation::new(..))` on the metadata document.
    pub fn error(&mut self, error: ErrorCode, rule: &str, path: impl Into<String>, message: impl Into<String>) {
        self.push(Violation::new(error, rule, path, message));
    }

    /// Adds every finding of `other`.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Violation>) {
        self.violations.extend(other);
    }

    /// All findings, in the order they were made.
    #[must_use]
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// Consumes the report.
    #[must_use]
    pub fn into_vec(self) -> Vec<Violation> {
        self.violations
    }

    /// True when at least one finding has severity `error`.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.violations.iter().any(Violation::is_error)
    }

    /// Number of findings of any severity.
    #[must_use]
    pub fn len(&self) -> usize {
        self.violations.len()
    }

    /// True when there are no findings at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.violations.is_empty()
    }

    /// The `error` for the HTTP response, chosen by [`ErrorCode::precedence`]
    /// among error-severity findings; `None` when nothing rejects.
    #[must_use]
    pub fn top_error(&self) -> Option<ErrorCode> {
        top_error(&self.violations)
    }
}

/// The top-level error code of a list of violations (see [`ErrorCode::precedence`]).
#[must_use]
pub fn top_error(violations: &[Violation]) -> Option<ErrorCode> {
    violations.iter().filter(|v| v.is_error()).map(|v| v.error).max_by_key(|c| c.precedence())
}

/// Longest `error_description` the engine produces, in characters
/// (UKOB-ERR-01: at most 500; applied to every profile).
pub const MAX_ERROR_DESCRIPTION_CHARS: usize = 500;

/// Cuts a description to [`MAX_ERROR_DESCRIPTION_CHARS`] characters, ending
/// a cut one with `...` (UKOB-ERR-01).
#[must_use]
pub fn cap_description(s: String) -> String {
    if s.chars().count() <= MAX_ERROR_DESCRIPTION_CHARS {
        return s;
    }
    let mut out: String = s.chars().take(MAX_ERROR_DESCRIPTION_CHARS.saturating_sub(3)).collect();
    out.push_str("...");
    out
}

/// The `error_description` for an HTTP error response: the message of the
/// first error-severity finding that carries the top-level code, plus a count
/// of the others, at most 500 characters (UKOB-ERR-01).
#[must_use]
pub fn error_description(violations: &[Violation]) -> Option<String> {
    let top = top_error(violations)?;
    let first = violations.iter().find(|v| v.is_error() && v.error == top)?;
    let others = violations.iter().filter(|v| v.is_error()).count().saturating_sub(1);
    let at = if first.path.is_empty() { String::new() } else { format!(" (at {})", first.path) };
    Some(cap_description(match others {
        0 => format!("{}{at}", first.message),
        1 => format!("{}{at}; and 1 other violation", first.message),
        n => format!("{}{at}; and {n} other violations", first.message),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ukob_err_01_description_is_capped_at_500_chars() {
        let long = Violation::new(ErrorCode::InvalidClientMetadata, "RFC7591-META-04", format!("/{}", "x".repeat(900)), "bad");
        let d = error_description(&[long]).unwrap_or_default();
        assert_eq!(d.chars().count(), 500);
        assert!(d.ends_with("..."));
        let short = Violation::new(ErrorCode::InvalidClientMetadata, "RFC7591-META-04", "/client_name", "bad");
        assert_eq!(error_description(&[short]).as_deref(), Some("bad (at /client_name)"));
        assert_eq!(cap_description("é".repeat(600)).chars().count(), 500);
    }

    #[test]
    fn top_error_follows_spec_readme_precedence() {
        let mut r = Report::new();
        assert_eq!(r.top_error(), None);
        r.error(ErrorCode::InvalidClientMetadata, "RFC7591-GRANT-01", "/grant_types", "x");
        assert_eq!(r.top_error(), Some(ErrorCode::InvalidClientMetadata));
        r.error(ErrorCode::InvalidWebhookUris, "BROF-META-08", "/webhook_uris/0", "v");
        assert_eq!(r.top_error(), Some(ErrorCode::InvalidWebhookUris));
        r.error(ErrorCode::InvalidRedirectUri, "RFC7591-REDIRECT-01", "/redirect_uris/0", "y");
        assert_eq!(r.top_error(), Some(ErrorCode::InvalidRedirectUri));
        r.push(Violation::new(ErrorCode::InvalidSoftwareStatement, "JWT-ALG-01", "", "z").in_source(Source::SoftwareStatementHeader));
        assert_eq!(r.top_error(), Some(ErrorCode::InvalidSoftwareStatement));
        r.push(Violation::new(ErrorCode::UnapprovedSoftwareStatement, "RFC7591-SS-05", "/iss", "w"));
        assert_eq!(r.top_error(), Some(ErrorCode::UnapprovedSoftwareStatement));
    }

    #[test]
    fn warnings_do_not_reject() {
        let mut r = Report::new();
        r.push(Violation::new(ErrorCode::InvalidClientMetadata, "RFC7591-X", "/a", "m").with_severity(Severity::Warning));
        assert!(!r.has_errors());
        assert_eq!(r.top_error(), None);
    }

    #[test]
    fn description_counts_other_violations() {
        let v = vec![
            Violation::new(ErrorCode::InvalidClientMetadata, "A", "/a", "first"),
            Violation::new(ErrorCode::InvalidRedirectUri, "B", "/redirect_uris/0", "second"),
            Violation::new(ErrorCode::InvalidClientMetadata, "C", "", "third"),
        ];
        assert_eq!(error_description(&v).as_deref(), Some("second (at /redirect_uris/0); and 2 other violations"));
    }
}
