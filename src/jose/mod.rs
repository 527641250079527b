//! JOSE: compact JWS parsing, header rules, JWKS key selection, signature
//! verification (RS*, PS*, ES256, ES384, EdDSA) and JWT claim checks for
//! software statements and signed registration requests (JWT-*).
//!
//! Verification is staged (STYLE §3, panva's order): parse → header rules →
//! allow-list → key selection → signature → claims. A stage that fails ends
//! the verification; within a stage every finding is collected. Claims of a
//! token whose signature did not verify are never evaluated (JWT-CLAIM-08).
//!
//! The engine never fetches: the host parses each JWKS it fetched into a
//! [`Jwks`] (once; it caches the decoded keys) and passes it with the clock.
//!
//! ```
//! use dcr_policy::jose::{verify, Jwks, TokenKind, VerifyOptions};
//! use dcr_policy::{policy::EmbeddedKeys, Limits};
//! let jwks = Jwks::from_value(&serde_json::json!({"keys": []}), "/jwks").unwrap();
//! let algorithms = ["PS256".to_owned()];
//! let opts = VerifyOptions {
//!     kind: TokenKind::SoftwareStatement, algorithms: &algorithms, issuers: &[], audience: &[],
//!     now: 1_700_000_000, leeway: 60, max_age: None, required_claims: &[], typ: None,
//!     embedded_keys: EmbeddedKeys::Reject, limits: &Limits::default(),
//! };
//! // `alg: none` is refused before any key is looked at.
//! let err = verify("eyJhbGciOiJub25lIn0.e30.", &jwks, &opts).unwrap_err();
//! assert_eq!(err[0].rule, "JWT-ALG-01");
//! assert_eq!(err[0].error.as_str(), "invalid_software_statement");
//! ```

mod cache;
pub use cache::KeyCache;
mod alg;
pub mod b64;
mod claims;
mod compact;
mod es256;
mod jwk;
pub(crate) use jwk::check_registered_key;
mod rsassa;
mod signature;

use serde_json::{Map, Value};

pub use alg::Alg;
pub use jwk::{Jwks, RSA_MAX_BITS, RSA_MIN_BITS};

use crate::error::{ErrorCode, Source, Violation};
use crate::limits::Limits;
use crate::policy::EmbeddedKeys;

/// Which kind of JWT is being checked: selects the error code and the
/// `source` of violation paths.
///
/// | kind | error | header source | claims source |
/// | --- | --- | --- | --- |
/// | `SoftwareStatement` | `invalid_software_statement` (untrusted `iss`: `unapproved_software_statement`) | `software_statement_header` | `software_statement` |
/// | `RequestJwt` | `invalid_client_metadata` (UKOB-REQ-*, AUCDR-REQ-*) | `request_jwt_header` | `request_jwt` |
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A software statement (RFC 7591 §2.3).
    SoftwareStatement,
    /// A signed registration request (`application/jwt` body; UK OB, AU CDR).
    RequestJwt,
}

impl TokenKind {
    /// The error code of a failed check of this kind (JWT error mapping summary).
    #[must_use]
    pub const fn error_code(self) -> ErrorCode {
        match self {
            Self::SoftwareStatement => ErrorCode::InvalidSoftwareStatement,
            Self::RequestJwt => ErrorCode::InvalidClientMetadata,
        }
    }

    /// The source header paths point into.
    #[must_use]
    pub const fn header_source(self) -> Source {
        match self {
            Self::SoftwareStatement => Source::SoftwareStatementHeader,
            Self::RequestJwt => Source::RequestJwtHeader,
        }
    }

    /// The source claim paths (and whole-token problems) point into.
    #[must_use]
    pub const fn claims_source(self) -> Source {
        match self {
            Self::SoftwareStatement => Source::SoftwareStatement,
            Self::RequestJwt => Source::RequestJwt,
        }
    }

    const fn noun(self) -> &'static str {
        match self {
            Self::SoftwareStatement => "the software statement",
            Self::RequestJwt => "the signed registration request",
        }
    }

    /// RFC7591-SS-02 for statements, JWT-CLAIM-01 otherwise.
    const fn iss_rule(self) -> &'static str {
        match self {
            Self::SoftwareStatement => "RFC7591-SS-02",
            Self::RequestJwt => "JWT-CLAIM-01",
        }
    }

    fn header_violation(self, rule: &str, path: &str, message: String) -> Violation {
        Violation::new(self.error_code(), rule, path, message).in_source(self.header_source())
    }

    fn claims_violation(self, rule: &str, path: &str, message: String) -> Violation {
        Violation::new(self.error_code(), rule, path, message).in_source(self.claims_source())
    }
}

/// A token parsed strictly but **not verified**: for the two-phase host flow
/// (learn the issuer and `kid`, fetch the right JWKS, then [`verify`]).
/// Nothing in it may be trusted.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspected {
    /// The JOSE header.
    pub header: Map<String, Value>,
    /// The (unverified) claims.
    pub claims: Map<String, Value>,
    /// Header `alg`, when a string.
    pub alg: Option<String>,
    /// Header `kid`, when a string.
    pub kid: Option<String>,
    /// Header `typ`, when a string.
    pub typ: Option<String>,
    /// The decoded signature and the length of the signing input, so
    /// [`verify_inspected`] need not decode the token again.
    signature: Vec<u8>,
    signing_input_len: usize,
}

/// Parses a compact JWS strictly without verifying it: three strict
/// base64url segments (JWT-FMT-01), header and claims JSON objects without
/// duplicate members under `limits` (JWT-FMT-02, JWT-FMT-04), `alg` present.
///
/// # Errors
/// Every format problem found, with paths into the header or the claims.
pub fn inspect(token: &str, limits: &Limits, source: TokenKind) -> Result<Inspected, Vec<Violation>> {
    let parsed = compact::parse(token, limits, source)?;
    let mut errors = Vec::new();
    let [alg, kid, typ] = compact::strings(&parsed.header, source, &mut errors);
    let claims = compact::claims(&parsed.payload, limits, source).map_err(|e| errors.extend(e));
    match claims {
        Ok(claims) if errors.is_empty() => Ok(Inspected {
            signing_input_len: parsed.signing_input.len(),
            header: parsed.header,
            claims,
            alg,
            kid,
            typ,
            signature: parsed.signature,
        }),
        _ => Err(errors),
    }
}

/// What a verification expects. Flat and declarative (panva's `jwtVerify`
/// options): setting an expectation makes its claim required.
#[derive(Debug, Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// Software statement or signed request: picks codes and sources.
    pub kind: TokenKind,
    /// Accepted `alg` values (JWT-ALG-02). `none` and `HS*` are refused even if listed.
    pub algorithms: &'a [String],
    /// Trusted `iss` values; empty accepts any issuer (the JWKS choice is the trust).
    pub issuers: &'a [String],
    /// Accepted `aud` values; empty: `aud` is not checked (only its type).
    pub audience: &'a [String],
    /// Current time, seconds since the epoch (from the host).
    pub now: i64,
    /// Clock skew tolerated on `exp`, `nbf`, `iat`, in seconds.
    pub leeway: u64,
    /// Oldest accepted `iat`, in seconds before `now` (makes `iat` required).
    pub max_age: Option<u64>,
    /// Claims that must be present (and not `null`).
    pub required_claims: &'a [String],
    /// Required `typ` header, compared as a media type (JWT-TYP-01).
    pub typ: Option<&'a str>,
    /// `reject` (default) or `ignore` tokens carrying `jwk`/`x5c`/`jku`/`x5u`.
    pub embedded_keys: EmbeddedKeys,
    /// Size and depth budgets for the token and its JSON.
    pub limits: &'a Limits,
}

/// A token whose signature verified, claims not (yet) checked.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedJws {
    /// The JOSE header.
    pub header: Map<String, Value>,
    /// The payload bytes.
    pub payload: Vec<u8>,
    /// The algorithm that verified.
    pub alg: Alg,
    /// Header `kid`, if any.
    pub kid: Option<String>,
}

/// A verified JWT: signature, header rules and claims all passed. Only
/// [`verify`] makes one.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Verified {
    /// The JOSE header.
    pub header: Map<String, Value>,
    /// The verified claims.
    pub claims: Map<String, Value>,
    /// The algorithm that verified (`PS256`, ...).
    pub alg: String,
    /// Header `kid`, if any.
    pub kid: Option<String>,
    /// `jti`, for the host's replay cache (the engine keeps no state).
    pub jti: Option<String>,
    /// `iss`.
    pub iss: Option<String>,
}

/// Verifies a compact JWS up to and including the signature: format,
/// header rules, allow-list, key selection, signature. The payload need
/// not be JSON (this is the layer the Wycheproof JWS vectors exercise).
///
/// # Errors
/// The findings of the first stage that failed. A signature failure is one
/// opaque violation: "signature did not verify".
pub fn verify_jws(token: &str, jwks: &Jwks, opts: &VerifyOptions<'_>) -> Result<VerifiedJws, Vec<Violation>> {
    let kind = opts.kind;
    let parsed = compact::parse(token, opts.limits, kind)?;
    let mut errors = Vec::new();
    let [alg, kid, typ] = compact::strings(&parsed.header, kind, &mut errors);
    let rules = compact::HeaderRules { kind, algorithms: opts.algorithms, typ: opts.typ, embedded_keys: opts.embedded_keys };
    let accepted = compact::check_header(&parsed.header, alg.as_deref(), typ.as_deref(), &rules, &mut errors);
    let Some(alg) = accepted.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };
    // JWT-KEY-01/02, JWT-ALG-03/04: exactly one trusted key.
    let key = jwks.select(alg, kid.as_deref()).map_err(|s| vec![selection_violation(s, kind, alg, kid.as_deref())])?;
    // JWT-KEY-06: opaque on failure.
    if !signature::verify(alg, key, parsed.signing_input.as_bytes(), &parsed.signature) {
        return Err(vec![kind.claims_violation("JWT-KEY-06", "", "signature did not verify".to_owned()).with_reason("signature")]);
    }
    Ok(VerifiedJws { header: parsed.header, payload: parsed.payload, alg, kid })
}

/// Verifies a software statement or signed registration request against a
/// host-supplied key set, then checks its claims.
///
/// # Errors
/// The findings of the first stage that failed; the claims stage reports
/// every claim problem at once. Claims are only looked at after the
/// signature verified (JWT-CLAIM-08).
pub fn verify(token: &str, jwks: &Jwks, opts: &VerifyOptions<'_>) -> Result<Verified, Vec<Violation>> {
    let jws = verify_jws(token, jwks, opts)?;
    let claims = compact::claims(&jws.payload, opts.limits, opts.kind)?;
    let mut errors = Vec::new();
    claims::check(&claims, opts, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_owned);
    let (jti, iss) = (text("jti"), text("iss"));
    Ok(Verified { header: jws.header, alg: jws.alg.as_str().to_owned(), kid: jws.kid, jti, iss, claims })
}

/// [`verify`] for a token that [`inspect`] already read (with the same
/// limits): the same header rules, key selection, signature and claim checks,
/// without decoding and parsing the token a second time.
///
/// # Errors
/// As [`verify`].
pub fn verify_inspected(token: &str, inspected: &Inspected, jwks: &Jwks, opts: &VerifyOptions<'_>) -> Result<Verified, Vec<Violation>> {
    let kind = opts.kind;
    let Some(signing_input) = token.get(..inspected.signing_input_len) else {
        return verify(token, jwks, opts);
    };
    let mut errors = Vec::new();
    let rules = compact::HeaderRules { kind, algorithms: opts.algorithms, typ: opts.typ, embedded_keys: opts.embedded_keys };
    let accepted = compact::check_header(&inspected.header, inspected.alg.as_deref(), inspected.typ.as_deref(), &rules, &mut errors);
    let Some(alg) = accepted.filter(|_| errors.is_empty()) else {
        return Err(errors);
    };
    // JWT-KEY-01/02, JWT-ALG-03/04: exactly one trusted key.
    let kid = inspected.kid.as_deref();
    let key = jwks.select(alg, kid).map_err(|s| vec![selection_violation(s, kind, alg, kid)])?;
    // JWT-KEY-06: opaque on failure.
    if !signature::verify(alg, key, signing_input.as_bytes(), &inspected.signature) {
        return Err(vec![kind.claims_violation("JWT-KEY-06", "", "signature did not verify".to_owned()).with_reason("signature")]);
    }
    // JWT-CLAIM-08: claims only after the signature verified.
    claims::check(&inspected.claims, opts, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let text = |name: &str| inspected.claims.get(name).and_then(Value::as_str).map(str::to_owned);
    Ok(Verified {
        header: inspected.header.clone(),
        alg: alg.as_str().to_owned(),
        kid: inspected.kid.clone(),
        jti: text("jti"),
        iss: text("iss"),
        claims: inspected.claims.clone(),
    })
}

fn selection_violation(s: jwk::Selection, kind: TokenKind, alg: Alg, kid: Option<&str>) -> Violation {
    use jwk::Selection;
    let (rule, path, reason, message) = match s {
        Selection::UnknownKid => (
            "JWT-KEY-01",
            "/kid",
            "unknown_kid",
            format!("unknown kid: no key in the trusted key set has `kid` `{}`", jwk::short(kid.unwrap_or_default())),
        ),
        Selection::NoKey => ("JWT-KEY-01", "/alg", "no_key", format!("no key in the trusted key set can verify `{}`", alg.as_str())),
        Selection::Ambiguous => (
            "JWT-KEY-01",
            if kid.is_some() { "/kid" } else { "" },
            "ambiguous_key",
            format!("several keys in the trusted key set could verify `{}`; the token must name one with `kid`", alg.as_str()),
        ),
        Selection::Misfit { rule, reason, message } => (rule, if kid.is_some() { "/kid" } else { "/alg" }, reason, message),
    };
    kind.header_violation(rule, path, message).with_reason(reason)
}

/// Verifies a detached signature over `message` with the key that
/// [`verify_jws`] would select for `alg` and `kid` (same key rules, same
/// opaque failure). For raw-signature test vectors and for hosts that
/// assemble the signing input themselves.
///
/// # Errors
/// One violation: key selection failed, or "signature did not verify".
pub fn verify_signature(
    jwks: &Jwks,
    alg: Alg,
    kid: Option<&str>,
    message: &[u8],
    signature: &[u8],
    kind: TokenKind,
) -> Result<(), Violation> {
    let key = jwks.select(alg, kid).map_err(|s| selection_violation(s, kind, alg, kid))?;
    if signature::verify(alg, key, message, signature) {
        Ok(())
    } else {
        Err(kind.claims_violation("JWT-KEY-06", "", "signature did not verify".to_owned()).with_reason("signature"))
    }
}
