//! The metadata rules, one file per concern. Each `check` reads the typed
//! [`crate::metadata::ClientMetadata`] (and, where member names matter, the raw map), and
//! pushes every finding into the [`Report`]; none returns early.
//!
//! Rule IDs are cited next to each check and come from `shared/spec`.

pub mod algs;
pub mod auth;
pub mod capabilities;
pub mod fetch;
pub mod grants;
pub mod keys;
pub mod misc;
pub mod policy_data;
pub mod redirect;
pub mod sector;
pub mod types;
pub mod uris;

use serde_json::{Map, Value};

use crate::error::{ErrorCode, Report, Severity, Violation};
use crate::metadata::checks::Level;
use crate::metadata::model::MetadataView;
use crate::metadata::uri::{Uri, UriError};
use crate::policy::Policy;

/// Runs every value and cross-field rule on an already type-checked client.
pub fn run(md: &MetadataView<'_>, client: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    // Each redirect URI is read once, for the redirect rules and the URL rules.
    let redirects: Vec<Result<Uri<'_>, UriError>> = md.redirects().iter().map(Uri::parse).collect();
    redirect::check(md, &redirects, client, policy, report);
    grants::check(md, policy, report);
    auth::check(md, policy, report);
    keys::check(md, policy, report);
    algs::check(md, policy, report);
    uris::check(md, &redirects, policy, report);
    misc::check(md, policy, report);
    capabilities::check(md, policy, report);
    fetch::check(client, policy, report);
    policy_data::check(client, policy, report);
}

/// A value for a message: backticked, control characters dropped, cut at 64 characters.
#[must_use]
pub fn show(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control() && *c != '`').take(64).collect();
    if s.chars().count() > 64 {
        out.push('…');
    }
    format!("`{out}`")
}

/// `invalid_client_metadata` error on a metadata path.
pub fn meta(report: &mut Report, rule: &str, path: impl Into<String>, message: impl Into<String>) {
    report.push(Violation::new(ErrorCode::InvalidClientMetadata, rule, path, message));
}

/// A finding whose severity a [`Level`] switch decides (nothing for `off`).
pub fn at_level(report: &mut Report, level: Level, code: ErrorCode, rule: &str, path: impl Into<String>, message: impl Into<String>) {
    let severity = match level {
        Level::Off => return,
        Level::Warn => Severity::Warning,
        Level::Reject => Severity::Error,
    };
    report.push(Violation::new(code, rule, path, message).with_severity(severity));
}

/// A `warning` finding (`invalid_client_metadata`).
pub fn warn(report: &mut Report, rule: &str, path: impl Into<String>, message: impl Into<String>) {
    at_level(report, Level::Warn, ErrorCode::InvalidClientMetadata, rule, path, message);
}

/// JWS algorithms that use a shared secret.
#[must_use]
pub fn is_hmac_alg(alg: &str) -> bool {
    alg.starts_with("HS")
}

/// JWE key-management algorithms that use the client secret (OIDC Core §10.2).
#[must_use]
pub fn is_symmetric_jwe_alg(alg: &str) -> bool {
    alg == "dir" || alg.starts_with("PBES2") || (alg.starts_with('A') && (alg.ends_with("KW")))
}

/// JWE key-management algorithms that use the client's public key.
#[must_use]
pub fn is_asymmetric_jwe_alg(alg: &str) -> bool {
    alg.starts_with("RSA") || alg.starts_with("ECDH")
}
