//! JWS Compact Serialization parsing (JWT-FMT-01, -02, -04) and the header
//! rules that need no key (JWT-ALG-01/02/05, JWT-FMT-03, JWT-KEY-03,
//! JWT-TYP-01).

use serde_json::{Map, Value};

use super::alg::{self, Alg};
use super::jwk::short;
use super::{TokenKind, b64};
use crate::error::Violation;
use crate::limits::{Limits, parse_object};
use crate::policy::EmbeddedKeys;

/// A compact JWS split and decoded, nothing verified yet.
#[derive(Debug)]
pub(crate) struct Compact<'t> {
    pub(crate) header: Map<String, Value>,
    /// `BASE64URL(header) '.' BASE64URL(payload)`, the bytes that were signed.
    pub(crate) signing_input: &'t str,
    pub(crate) payload: Vec<u8>,
    pub(crate) signature: Vec<u8>,
}

/// Splits and decodes a compact JWS; the header must be a JSON object
/// without duplicate members.
pub(crate) fn parse<'t>(token: &'t str, limits: &Limits, kind: TokenKind) -> Result<Compact<'t>, Vec<Violation>> {
    let token_err = |rule: &str, reason: &str, message: String| vec![kind.claims_violation(rule, "", message).with_reason(reason)];
    // JWT-FMT-04: bound the work before decoding anything.
    if token.len() > limits.max_body_bytes {
        return Err(token_err(
            "JWT-FMT-04",
            "too_large",
            format!("{} is {} bytes, over the limit of {}", kind.noun(), token.len(), limits.max_body_bytes),
        ));
    }
    // JWT-FMT-01: exactly three segments; five is a JWE, one a bare string.
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        let n = token.split('.').count();
        let message = if n == 5 {
            format!("{} is an encrypted JWT (JWE): only signed compact JWS is accepted", kind.noun())
        } else {
            format!("{} must be a compact JWS: three base64url segments separated by dots, not {n}", kind.noun())
        };
        return Err(token_err("JWT-FMT-01", "segments", message));
    };
    let mut errors = Vec::new();
    let header_bytes = b64::decode(h).map_err(|e| {
        errors.push(kind.header_violation("JWT-FMT-01", "", format!("the header segment {}", e.message())).with_reason(e.reason()));
    });
    let payload = b64::decode(p).map_err(|e| {
        errors.push(kind.claims_violation("JWT-FMT-01", "", format!("the payload segment {}", e.message())).with_reason(e.reason()));
    });
    let signature = b64::decode(s).map_err(|e| {
        errors.push(kind.claims_violation("JWT-FMT-01", "", format!("the signature segment {}", e.message())).with_reason(e.reason()));
    });
    let (Ok(header_bytes), Ok(payload), Ok(signature)) = (header_bytes, payload, signature) else {
        return Err(errors);
    };
    // JWT-FMT-02: a JSON object, duplicate member names refused.
    let header = parse_object(&header_bytes, limits)
        .map_err(|e| vec![kind.header_violation("JWT-FMT-02", &e.path, format!("the JOSE header: {}", e.message)).with_reason(e.reason)])?;
    let signing_input = token.get(..h.len() + 1 + p.len()).unwrap_or_default();
    Ok(Compact { header, signing_input, payload, signature })
}

/// Parses the payload as the JWT claims set (JWT-FMT-02).
pub(crate) fn claims(payload: &[u8], limits: &Limits, kind: TokenKind) -> Result<Map<String, Value>, Vec<Violation>> {
    parse_object(payload, limits)
        .map_err(|e| vec![kind.claims_violation("JWT-FMT-02", &e.path, format!("the claims: {}", e.message)).with_reason(e.reason)])
}

/// The header's `alg`, `kid`, `typ` as strings; type errors are violations.
pub(crate) fn strings(header: &Map<String, Value>, kind: TokenKind, errors: &mut Vec<Violation>) -> [Option<String>; 3] {
    let mut get = |name: &str, rule: &str, required: bool| match header.get(name) {
        Some(Value::String(s)) => Some(s.clone()),
        None if !required => None,
        None => {
            errors
                .push(kind.header_violation(rule, &format!("/{name}"), format!("the JOSE header has no `{name}`")).with_reason("missing"));
            None
        }
        Some(_) => {
            errors.push(kind.header_violation(rule, &format!("/{name}"), format!("`{name}` must be a string")).with_reason("type"));
            None
        }
    };
    // RFC 7515 §4.1.1: `alg` is required.
    [get("alg", "JWT-ALG-02", true), get("kid", "JWT-KEY-01", false), get("typ", "JWT-TYP-01", false)]
}

/// What the verifying header checks need from the options.
pub(crate) struct HeaderRules<'a> {
    pub(crate) kind: TokenKind,
    pub(crate) algorithms: &'a [String],
    pub(crate) typ: Option<&'a str>,
    pub(crate) embedded_keys: EmbeddedKeys,
}

/// Header rules that need no key. Collects every finding; returns the
/// algorithm when it is acceptable.
pub(crate) fn check_header(
    header: &Map<String, Value>,
    alg: Option<&str>,
    typ: Option<&str>,
    rules: &HeaderRules<'_>,
    errors: &mut Vec<Violation>,
) -> Option<Alg> {
    let kind = rules.kind;
    let mut accepted = None;
    if let Some(a) = alg {
        if alg::is_none(a) {
            // JWT-ALG-01 (RFC7591-SS-01 for statements): unsigned tokens are never accepted.
            errors.push(
                kind.header_violation(
                    "JWT-ALG-01",
                    "/alg",
                    format!("{} must be signed: `alg` `{}` is not accepted", kind.noun(), short(a)),
                )
                .with_reason("alg_none"),
            );
        } else if alg::is_hmac(a) {
            // JWT-ALG-05: MAC algorithms never, keys come from a public JWKS.
            errors.push(
                kind.header_violation(
                    "JWT-ALG-05",
                    "/alg",
                    format!("`alg` `{}` is a MAC algorithm; {} must use an asymmetric signature", short(a), kind.noun()),
                )
                .with_reason("alg_hmac"),
            );
        } else if !rules.algorithms.iter().any(|x| x == a) {
            // JWT-ALG-02: the policy's allow-list decides, before any key is touched.
            errors.push(
                kind.header_violation(
                    "JWT-ALG-02",
                    "/alg",
                    format!("`alg` `{}` is not allowed (allowed: {})", short(a), list(rules.algorithms)),
                )
                .with_reason("alg_not_allowed"),
            );
        } else if let Some(parsed) = Alg::parse(a) {
            accepted = Some(parsed);
        } else {
            errors.push(
                kind.header_violation("JWT-ALG-02", "/alg", format!("`alg` `{}` is not supported", short(a)))
                    .with_reason("alg_unsupported"),
            );
        }
    }
    // JWT-FMT-03: the engine implements no extension, so any `crit` fails
    // (RFC 7515 §4.1.11: unknown or malformed `crit` → invalid).
    if header.contains_key("crit") {
        errors.push(
            kind.header_violation("JWT-FMT-03", "/crit", "`crit` names extensions this verifier does not implement".to_owned())
                .with_reason("crit"),
        );
    }
    // RFC 7797 unencoded payloads are refused (JWT-FMT-03: `b64` is a `crit` extension).
    if header.get("b64").is_some_and(|v| v != &Value::Bool(true)) {
        errors
            .push(kind.header_violation("JWT-FMT-03", "/b64", "unencoded payloads (`b64`) are not accepted".to_owned()).with_reason("b64"));
    }
    // JWT-KEY-03: keys never come from the token; by default carrying one is refused.
    if rules.embedded_keys == EmbeddedKeys::Reject {
        for name in ["jwk", "x5c", "jku", "x5u"] {
            if header.contains_key(name) {
                errors.push(
                    kind.header_violation(
                        "JWT-KEY-03",
                        &format!("/{name}"),
                        format!("header `{name}` is not accepted: keys are taken from the trusted key set only"),
                    )
                    .with_reason("embedded_key"),
                );
            }
        }
    }
    check_typ(typ, header.contains_key("typ"), rules, errors);
    accepted
}

/// JWT-TYP-01: a fixed `typ` is enforced; otherwise `typ`s of other JWT
/// kinds are refused (cross-JWT confusion). Media types compare without
/// case and with `application/` optional (RFC 7515 §4.1.9).
fn check_typ(typ: Option<&str>, present: bool, rules: &HeaderRules<'_>, errors: &mut Vec<Violation>) {
    let kind = rules.kind;
    let norm = |t: &str| {
        let t = t.to_ascii_lowercase();
        t.strip_prefix("application/").map(str::to_owned).unwrap_or(t)
    };
    match (rules.typ, typ) {
        (Some(want), Some(got)) if norm(want) != norm(got) => errors.push(
            kind.header_violation("JWT-TYP-01", "/typ", format!("`typ` must be `{}`, not `{}`", short(want), short(got)))
                .with_reason("mismatch"),
        ),
        (Some(want), None) if !present => errors.push(
            kind.header_violation("JWT-TYP-01", "/typ", format!("the JOSE header must have `typ` `{}`", short(want)))
                .with_reason("missing"),
        ),
        (None, Some(got)) => {
            const OTHER_KINDS: [&str; 7] =
                ["dpop+jwt", "oauth-authz-req+jwt", "at+jwt", "logout+jwt", "secevent+jwt", "token-introspection+jwt", "jwk-set+jwt"];
            if OTHER_KINDS.contains(&norm(got).as_str()) {
                errors.push(
                    kind.header_violation("JWT-TYP-01", "/typ", format!("`typ` `{}` marks a different kind of JWT", short(got)))
                        .with_reason("wrong_kind"),
                );
            }
        }
        _ => {}
    }
}

/// How many allowed algorithms a JWT-ALG-02 message names; a longer host
/// list is cut (`… and N more`) so the message stays one short line.
const LISTED_ALGS: usize = 16;

fn list(algs: &[String]) -> String {
    if algs.is_empty() {
        return "none".to_owned();
    }
    let mut out = algs.iter().take(LISTED_ALGS).map(|a| format!("`{}`", short(a))).collect::<Vec<_>>().join(", ");
    if algs.len() > LISTED_ALGS {
        out.push_str(&format!(" and {} more", algs.len() - LISTED_ALGS));
    }
    out
}
