//! Shared JOSE verification options for the integration tests.
#![allow(dead_code)]

use dcr_policy::Limits;
use dcr_policy::jose::{TokenKind, VerifyOptions};
use dcr_policy::policy::EmbeddedKeys;

/// The default asymmetric algorithm allow-list.
pub fn algs() -> Vec<String> {
    dcr_policy::policy::default_asymmetric_algs()
}

/// Software statement options: no issuer, audience, max age, required
/// claims or `typ`; embedded keys rejected; clock `now` with `leeway`.
pub fn verify_options<'a>(algs: &'a [String], limits: &'a Limits, now: i64, leeway: u64) -> VerifyOptions<'a> {
    VerifyOptions {
        kind: TokenKind::SoftwareStatement,
        algorithms: algs,
        issuers: &[],
        audience: &[],
        now,
        leeway,
        max_age: None,
        required_claims: &[],
        typ: None,
        embedded_keys: EmbeddedKeys::Reject,
        limits,
    }
}
