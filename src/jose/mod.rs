//! JOSE: compact JWS parsing, header rules, JWKS key selection, signature
//! verification (RS*, PS*, ES256, ES384, EdDSA) and JWT claim checks for
//! software statements and signed registration requests (JWT-*).
//!
//! TEMPORARY STUB (lead): replaced by the jose branch.

use serde_json::{Map, Value};

use crate::error::{ErrorCode, Violation};
use crate::limits::Limits;
use crate::policy::EmbeddedKeys;

/// A parsed, checked JWK Set.
#[derive(Debug, Clone)]
pub struct Jwks;

impl Jwks {
    /// Parses a JWKS.
    ///
    /// # Errors
    /// Violations.
    pub fn from_value(v: &Value, source_path: &str) -> Result<Jwks, Vec<Violation>> {
        let _ = (v, source_path);
        Ok(Jwks)
    }
}

/// Which token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// SSA.
    SoftwareStatement,
    /// Signed request.
    RequestJwt,
}

/// Unverified view.
#[derive(Debug, Clone)]
pub struct Inspected {
    /// header
    pub header: Map<String, Value>,
    /// claims
    pub claims: Map<String, Value>,
    /// alg
    pub alg: Option<String>,
    /// kid
    pub kid: Option<String>,
    /// typ
    pub typ: Option<String>,
}

/// Parse without verifying.
///
/// # Errors
/// Violations.
pub fn inspect(token: &str, limits: &Limits, kind: TokenKind) -> Result<Inspected, Vec<Violation>> {
    let _ = (token, limits, kind);
    Err(vec![Violation::new(ErrorCode::InvalidSoftwareStatement, "JWT-STUB", "", "not implemented")])
}

/// Options.
#[allow(missing_docs)]
pub struct VerifyOptions<'a> {
    pub kind: TokenKind,
    pub algorithms: &'a [String],
    pub issuers: &'a [String],
    pub audience: &'a [String],
    pub now: i64,
    pub leeway: u64,
    pub max_age: Option<u64>,
    pub required_claims: &'a [String],
    pub typ: Option<&'a str>,
    pub embedded_keys: EmbeddedKeys,
    pub limits: &'a Limits,
}

/// Verified token.
#[allow(missing_docs)]
#[derive(Debug, Clone)]
pub struct Verified {
    pub header: Map<String, Value>,
    pub claims: Map<String, Value>,
    pub alg: String,
    pub kid: Option<String>,
    pub jti: Option<String>,
    pub iss: Option<String>,
}

/// Verify.
///
/// # Errors
/// Violations.
pub fn verify(token: &str, jwks: &Jwks, opts: &VerifyOptions<'_>) -> Result<Verified, Vec<Violation>> {
    let _ = (token, jwks, opts);
    Err(vec![Violation::new(ErrorCode::InvalidSoftwareStatement, "JWT-STUB", "", "not implemented")])
}
