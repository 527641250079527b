//! The single JSON boundary shared by the wasm-bindgen and component skins.
//!
//! Each entry point takes JSON text and returns an answer value whose
//! `outcome` tag is `accepted`, `rejected` (the *client's* mistake, with
//! violations and a ready RFC 7591 error) or `invalid_call` (the *host's*
//! mistake: a bad policy, a malformed envelope). Only the skins turn these
//! into JS objects or WIT records; no logic lives there.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::change::Change;
use crate::error::{ErrorCode, Source, Violation, error_description, top_error};
use crate::limits::{JsonError, parse_object};
use crate::policy::Policy;

/// The answer of `validate_metadata`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ValidateMetadataAnswer {
    /// The metadata is valid under the policy (warnings may be present).
    Accepted {
        /// The client as it would be stored.
        client: Map<String, Value>,
        /// Defaults and overrides applied.
        changes: Vec<Change>,
        /// Warnings and advice only.
        violations: Vec<Violation>,
    },
    /// The metadata is not valid.
    Rejected {
        /// RFC 7591 top-level error code.
        error: ErrorCode,
        /// Human summary for the HTTP body.
        error_description: String,
        /// The client as it would have been stored (empty if the body did not parse).
        client: Map<String, Value>,
        /// Defaults and overrides that were applied before rejection.
        changes: Vec<Change>,
        /// Every finding.
        violations: Vec<Violation>,
    },
    /// The host's call was wrong (e.g. an invalid policy).
    InvalidCall {
        /// What was wrong.
        message: String,
        /// Findings in the policy or envelope, with paths.
        violations: Vec<Violation>,
    },
}

/// Converts a strict-parse failure into a violation on `source`.
#[must_use]
pub fn json_violation(err: &JsonError, source: Source, rule: &str, code: ErrorCode) -> Violation {
    Violation::new(code, rule, err.path.clone(), err.message.clone()).in_source(source).with_reason(err.reason)
}

/// Parses policy JSON (`None` or empty → the default `rfc7591` policy).
///
/// # Errors
/// The `invalid_call` answer's message and violations.
pub fn load_policy(policy_json: Option<&str>) -> Result<Policy, (String, Vec<Violation>)> {
    match policy_json.map(str::trim) {
        None | Some("") | Some("null") => Ok(Policy::default()),
        Some(text) => Policy::from_json(text).map_err(|v| ("invalid policy".to_owned(), v)),
    }
}

/// `validate_metadata` over JSON text: strict parse under the policy's
/// limits, then [`crate::metadata::validate_metadata`].
#[must_use]
pub fn validate_metadata_json(metadata_json: &str, policy: &Policy) -> ValidateMetadataAnswer {
    validate_parsed(crate::limits::parse_object_str(metadata_json, &policy.limits), policy)
}

/// [`validate_metadata_json`] over the body's bytes (a body that is not
/// UTF-8 is rejected like any other malformed body, `not_utf8`).
#[must_use]
pub fn validate_metadata_bytes(metadata_json: &[u8], policy: &Policy) -> ValidateMetadataAnswer {
    validate_parsed(parse_object(metadata_json, &policy.limits), policy)
}

fn validate_parsed(parsed: Result<Map<String, Value>, JsonError>, policy: &Policy) -> ValidateMetadataAnswer {
    let metadata = match parsed {
        Ok(m) => m,
        Err(e) => {
            let v = vec![json_violation(&e, Source::Request, "RFC7591-ENDPOINT-01", ErrorCode::InvalidClientMetadata)];
            return rejected(Map::new(), Vec::new(), v);
        }
    };
    // parse_object enforced policy.limits: no second walk over the document.
    let outcome = crate::metadata::validate_metadata_parsed(metadata, policy);
    if outcome.is_valid() {
        ValidateMetadataAnswer::Accepted { client: outcome.client, changes: outcome.changes, violations: outcome.violations }
    } else {
        rejected(outcome.client, outcome.changes, outcome.violations)
    }
}

/// `validate_metadata` with the policy given as JSON text too.
#[must_use]
pub fn validate_metadata_call(metadata_json: &str, policy_json: Option<&str>) -> ValidateMetadataAnswer {
    match load_policy(policy_json) {
        Ok(policy) => validate_metadata_json(metadata_json, &policy),
        Err((message, violations)) => ValidateMetadataAnswer::InvalidCall { message, violations },
    }
}

fn rejected(client: Map<String, Value>, changes: Vec<Change>, violations: Vec<Violation>) -> ValidateMetadataAnswer {
    let error = top_error(&violations).unwrap_or(ErrorCode::InvalidClientMetadata);
    let error_description = error_description(&violations).unwrap_or_else(|| "invalid client metadata".to_owned());
    ValidateMetadataAnswer::Rejected { error, error_description, client, changes, violations }
}

impl ValidateMetadataAnswer {
    /// The answer as JSON text: the same bytes as [`to_json`] gives (serde's
    /// compact form, members in declaration order), written directly into one
    /// buffer. This is the per-request path of the skins.
    #[must_use]
    pub fn to_json_text(&self) -> String {
        self.write_json(false)
    }

    /// [`ValidateMetadataAnswer::to_json_text`] with every character outside
    /// ASCII written as a `\uXXXX` escape: the same JSON value (equal after
    /// parsing), in pure ASCII text. The wasm-bindgen skin answers this way:
    /// JS decodes ASCII bytes and parses one-byte strings much faster.
    #[must_use]
    pub fn to_ascii_json_text(&self) -> String {
        self.write_json(true)
    }

    fn write_json(&self, ascii: bool) -> String {
        let mut buf = Vec::with_capacity(2048);
        self.write_json_into(&mut buf, ascii);
        String::from_utf8(buf).unwrap_or_else(|_| to_json(self))
    }

    /// Appends the answer's JSON text to `buf` (UTF-8; with `ascii`, as
    /// [`ValidateMetadataAnswer::to_ascii_json_text`]): for skins that reuse one buffer.
    pub fn write_json_into(&self, buf: &mut Vec<u8>, ascii: bool) {
        let mut out = write::Out { buf: core::mem::take(buf), ascii };
        write::metadata_answer(&mut out, self);
        *buf = out.buf;
    }
}

/// `validate_metadata` over JSON text, answered as JSON text
/// ([`validate_metadata_json`] then [`ValidateMetadataAnswer::to_json_text`]).
#[must_use]
pub fn validate_metadata_json_text(metadata_json: &str, policy: &Policy) -> String {
    validate_metadata_json(metadata_json, policy).to_json_text()
}

/// A registration answer as JSON text: the same bytes as [`to_json`], with
/// an accepted answer written directly (see `write`), the others by serde.
#[must_use]
pub fn registration_answer_json(answer: &crate::registration::RegistrationAnswer) -> String {
    let mut out = write::Out { buf: Vec::with_capacity(8192), ascii: false };
    if write::registration_accepted(&mut out, answer) {
        String::from_utf8(out.buf).unwrap_or_else(|_| to_json(answer))
    } else {
        to_json(answer)
    }
}

/// A JSON object as compact text: the same bytes as `serde_json::to_string`,
/// written directly (the component's answers carry documents as text).
#[must_use]
pub fn object_json_text(map: &Map<String, Value>) -> String {
    let mut out = write::Out { buf: Vec::with_capacity(1024), ascii: false };
    write::object(&mut out, map);
    String::from_utf8(out.buf).unwrap_or_else(|_| to_json(map))
}

/// Any JSON value as compact text (as [`object_json_text`]).
#[must_use]
pub fn value_json_text(value: &Value) -> String {
    let mut out = write::Out { buf: Vec::new(), ascii: false };
    write::value(&mut out, value);
    String::from_utf8(out.buf).unwrap_or_else(|_| to_json(value))
}

/// A JSON writer for the metadata answer's types. It produces exactly what
/// `serde_json::to_writer` (compact) produces for them — same member order,
/// same escapes (`\"`, `\\`, `\b \f \n \r \t`, other controls as
/// lowercase `\u00xx`, nothing else escaped), same numbers — which the unit
/// tests below and `tests/metadata_golden.rs` check. It exists because the
/// generic serializer costs about a tenth of a request (per-value dispatch and
/// a byte-at-a-time escape scan).
mod write {
    use serde_json::{Map, Number, Value};

    use super::ValidateMetadataAnswer;
    use crate::change::{Change, ChangeAction};
    use crate::error::{Severity, Source, Violation};

    /// The output buffer. With `ascii`, characters outside ASCII are written
    /// as `\\uXXXX` escapes (UTF-16, surrogate pairs above U+FFFF): the same
    /// JSON value in text that is pure ASCII, which JS decodes and parses
    /// several times faster than UTF-8 text with non-ASCII characters.
    pub(super) struct Out {
        pub(super) buf: Vec<u8>,
        pub(super) ascii: bool,
    }

    impl Out {
        fn push(&mut self, b: u8) {
            self.buf.push(b);
        }
        fn extend_from_slice(&mut self, s: &[u8]) {
            self.buf.extend_from_slice(s);
        }
        fn reserve(&mut self, n: usize) {
            self.buf.reserve(n);
        }
    }

    const HEX: &[u8; 16] = b"0123456789abcdef";

    fn hex4(out: &mut Out, u: u16) {
        let d = |shift: u16| HEX.get(usize::from((u >> shift) & 0xf)).copied().unwrap_or(b'0');
        out.extend_from_slice(&[b'\\', b'u', d(12), d(8), d(4), d(0)]);
    }

    /// A string with characters outside ASCII escaped (`ascii` mode).
    fn str_ascii(out: &mut Out, s: &str) {
        out.push(b'"');
        let mut units = [0u16; 2];
        for c in s.chars() {
            if c.is_ascii() {
                let b = c as u8;
                if b < 0x20 || b == b'"' || b == b'\\' {
                    escape(out, b);
                } else {
                    out.push(b);
                }
            } else {
                for u in c.encode_utf16(&mut units).iter() {
                    hex4(out, *u);
                }
            }
        }
        out.push(b'"');
    }

    /// serde_json's escape of one byte that needs it.
    fn escape(out: &mut Out, b: u8) {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x09 => b't',
            0x0a => b'n',
            0x0c => b'f',
            0x0d => b'r',
            _ => 0,
        };
        if short == 0 {
            let hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
            let lo = HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0');
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hi, lo]);
        } else {
            out.extend_from_slice(&[b'\\', short]);
        }
    }

    /// A JSON string.
    pub(super) fn str(out: &mut Out, s: &str) {
        let bytes = s.as_bytes();
        if out.ascii && !bytes.is_ascii() {
            return str_ascii(out, s);
        }
        out.reserve(bytes.len() + 2);
        out.push(b'"');
        if crate::limits::json_special_at(bytes, 0) < bytes.len() {
            let mut run = 0;
            for (i, &b) in bytes.iter().enumerate() {
                if b < 0x20 || b == b'"' || b == b'\\' {
                    out.extend_from_slice(bytes.get(run..i).unwrap_or_default());
                    escape(out, b);
                    run = i + 1;
                }
            }
            out.extend_from_slice(bytes.get(run..).unwrap_or_default());
        } else {
            out.extend_from_slice(bytes);
        }
        out.push(b'"');
    }

    fn uint(out: &mut Out, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            if let Some(d) = digits.get_mut(at) {
                *d = b'0' + (n % 10) as u8;
            }
            n /= 10;
            if n == 0 || at == 0 {
                break;
            }
        }
        out.extend_from_slice(digits.get(at..).unwrap_or_default());
    }

    fn number(out: &mut Out, n: &Number) {
        if let Some(u) = n.as_u64() {
            uint(out, u);
        } else if let Some(i) = n.as_i64() {
            out.push(b'-');
            uint(out, i.unsigned_abs());
        } else {
            // Finite floats (a Value holds no others): serde_json's Display and
            // its serializer both print them with ryu.
            out.extend_from_slice(n.to_string().as_bytes());
        }
    }

    /// Any JSON value.
    pub(super) fn value(out: &mut Out, v: &Value) {
        match v {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Bool(true) => out.extend_from_slice(b"true"),
            Value::Bool(false) => out.extend_from_slice(b"false"),
            Value::Number(n) => number(out, n),
            Value::String(s) => str(out, s),
            Value::Array(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    value(out, item);
                }
                out.push(b']');
            }
            Value::Object(map) => object(out, map),
        }
    }

    pub(super) fn object(out: &mut Out, map: &Map<String, Value>) {
        out.push(b'{');
        for (i, (k, v)) in map.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            str(out, k);
            out.push(b':');
            value(out, v);
        }
        out.push(b'}');
    }

    /// `"name":` after the first member (`first` false) or as the first.
    fn key(out: &mut Out, name: &str, first: bool) {
        if !first {
            out.push(b',');
        }
        out.push(b'"');
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\":");
    }

    /// A string whose text needs no escape (enum names, fixed words).
    fn plain(out: &mut Out, s: &str) {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    }

    pub(super) const fn source(s: Source) -> &'static str {
        match s {
            Source::Metadata => "metadata",
            Source::Request => "request",
            Source::SoftwareStatement => "software_statement",
            Source::SoftwareStatementHeader => "software_statement_header",
            Source::RequestJwt => "request_jwt",
            Source::RequestJwtHeader => "request_jwt_header",
            Source::Jwks => "jwks",
            Source::Policy => "policy",
            Source::Context => "context",
        }
    }

    pub(super) const fn severity(s: Severity) -> &'static str {
        match s {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Advice => "advice",
        }
    }

    pub(super) const fn action(a: ChangeAction) -> &'static str {
        match a {
            ChangeAction::Defaulted => "defaulted",
            ChangeAction::Overridden => "overridden",
            ChangeAction::Removed => "removed",
            ChangeAction::FromSoftwareStatement => "from_software_statement",
            ChangeAction::Added => "added",
            ChangeAction::Updated => "updated",
            ChangeAction::Rotated => "rotated",
        }
    }

    fn violation(out: &mut Out, v: &Violation) {
        out.push(b'{');
        key(out, "error", true);
        plain(out, v.error.as_str());
        key(out, "rule", false);
        str(out, &v.rule);
        key(out, "path", false);
        str(out, &v.path);
        key(out, "source", false);
        plain(out, source(v.source));
        key(out, "message", false);
        str(out, &v.message);
        key(out, "severity", false);
        plain(out, severity(v.severity));
        if let Some(reason) = &v.reason {
            key(out, "reason", false);
            str(out, reason);
        }
        out.push(b'}');
    }

    fn change(out: &mut Out, c: &Change) {
        out.push(b'{');
        key(out, "path", true);
        str(out, &c.path);
        key(out, "action", false);
        plain(out, action(c.action));
        if let Some(from) = &c.from {
            key(out, "from", false);
            value(out, from);
        }
        if let Some(to) = &c.to {
            key(out, "to", false);
            value(out, to);
        }
        key(out, "rule", false);
        str(out, &c.rule);
        key(out, "reason", false);
        str(out, &c.reason);
        out.push(b'}');
    }

    fn list<T>(out: &mut Out, items: &[T], one: fn(&mut Out, &T)) {
        out.push(b'[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            one(out, item);
        }
        out.push(b']');
    }

    fn int(out: &mut Out, n: i64) {
        if n < 0 {
            out.push(b'-');
        }
        uint(out, n.unsigned_abs());
    }

    fn opt_str(out: &mut Out, name: &str, v: Option<&String>) {
        if let Some(v) = v {
            key(out, name, false);
            str(out, v);
        }
    }

    fn token_summary(out: &mut Out, t: &crate::registration::TokenSummary) {
        // Members in declaration order, each skipped when absent (as serde does);
        // the first one written opens without a comma.
        out.push(b'{');
        let start = out.buf.len();
        let member = |out: &mut Out, name: &str| key(out, name, out.buf.len() == start);
        if let Some(v) = &t.iss {
            member(out, "iss");
            str(out, v);
        }
        if let Some(v) = &t.jti {
            member(out, "jti");
            str(out, v);
        }
        if let Some(v) = t.exp {
            member(out, "exp");
            int(out, v);
        }
        if let Some(v) = &t.kid {
            member(out, "kid");
            str(out, v);
        }
        if let Some(v) = &t.alg {
            member(out, "alg");
            str(out, v);
        }
        if let Some(v) = &t.software_id {
            member(out, "software_id");
            str(out, v);
        }
        out.push(b'}');
    }

    /// The accepted registration answer (the per-request path of a UK OB /
    /// CDR registration: ~6 KB of JSON); `false` for other outcomes, which
    /// the caller serializes with serde.
    pub(super) fn registration_accepted(out: &mut Out, a: &crate::registration::RegistrationAnswer) -> bool {
        let crate::registration::RegistrationAnswer::Accepted {
            status,
            client,
            response,
            changes,
            violations,
            registration_access_token_hash,
            registration_access_token_expires_at,
            software_statement,
            request_jwt,
        } = a
        else {
            return false;
        };
        out.extend_from_slice(br#"{"outcome":"accepted""#);
        key(out, "status", false);
        uint(out, u64::from(*status));
        key(out, "client", false);
        object(out, client);
        key(out, "response", false);
        object(out, response);
        key(out, "changes", false);
        list(out, changes, change);
        key(out, "violations", false);
        list(out, violations, violation);
        opt_str(out, "registration_access_token_hash", registration_access_token_hash.as_ref());
        if let Some(at) = registration_access_token_expires_at {
            key(out, "registration_access_token_expires_at", false);
            int(out, *at);
        }
        if let Some(t) = software_statement {
            key(out, "software_statement", false);
            token_summary(out, t);
        }
        if let Some(t) = request_jwt {
            key(out, "request_jwt", false);
            token_summary(out, t);
        }
        out.push(b'}');
        true
    }

    pub(super) fn metadata_answer(out: &mut Out, a: &ValidateMetadataAnswer) {
        out.push(b'{');
        match a {
            ValidateMetadataAnswer::Accepted { client, changes, violations } => {
                out.extend_from_slice(br#""outcome":"accepted""#);
                key(out, "client", false);
                object(out, client);
                key(out, "changes", false);
                list(out, changes, change);
                key(out, "violations", false);
                list(out, violations, violation);
            }
            ValidateMetadataAnswer::Rejected { error, error_description, client, changes, violations } => {
                out.extend_from_slice(br#""outcome":"rejected""#);
                key(out, "error", false);
                plain(out, error.as_str());
                key(out, "error_description", false);
                str(out, error_description);
                key(out, "client", false);
                object(out, client);
                key(out, "changes", false);
                list(out, changes, change);
                key(out, "violations", false);
                list(out, violations, violation);
            }
            ValidateMetadataAnswer::InvalidCall { message, violations } => {
                out.extend_from_slice(br#""outcome":"invalid_call""#);
                key(out, "message", false);
                str(out, message);
                key(out, "violations", false);
                list(out, violations, violation);
            }
        }
        out.push(b'}');
    }
}

/// Serializes any answer to JSON text. Serializing these types cannot fail
/// (string keys, finite numbers); should it ever, a fixed `invalid_call`
/// answer is returned instead of a panic.
#[must_use]
pub fn to_json<T: Serialize>(answer: &T) -> String {
    // Answers are around a kilobyte: one allocation instead of growing from 128 bytes.
    let mut out = Vec::with_capacity(2048);
    serde_json::to_writer(&mut out, answer)
        .ok()
        .and_then(|()| String::from_utf8(out).ok())
        .unwrap_or_else(|| r#"{"outcome":"invalid_call","message":"answer could not be serialized","violations":[]}"#.to_owned())
}

/// Reads a host envelope (call object) strictly: duplicate members, size
/// and depth are checked as for any document; unknown members are refused.
fn envelope<T: serde::de::DeserializeOwned>(call_json: &str, what: &str) -> Result<T, (String, Vec<Violation>)> {
    let limits = crate::limits::CALL_LIMITS;
    let bad = |path: String, message: String, reason: &str| {
        (
            format!("invalid {what} call"),
            vec![Violation::new(ErrorCode::InvalidRequest, "CALL-01", path, message).in_source(Source::Request).with_reason(reason)],
        )
    };
    let value = crate::limits::parse_json(call_json.as_bytes(), &limits).map_err(|e| bad(e.path.clone(), e.message.clone(), e.reason))?;
    serde_json::from_value(value).map_err(|e| bad(String::new(), e.to_string(), "schema"))
}

/// A registration envelope, with the body given beside it when `body` is set.
fn registration_envelope(
    call_json: &str,
    body: Option<&str>,
    what: &str,
) -> Result<crate::registration::RegistrationRequest, (String, Vec<Violation>)> {
    // With a body beside it, the envelope must not carry one of its own.
    let mut req = envelope::<crate::registration::RegistrationRequest>(call_json, what)?;
    if let Some(b) = body {
        if !req.body.is_empty() {
            return Err(body_twice(what));
        }
        b.clone_into(&mut req.body);
    }
    Ok(req)
}

fn body_twice(what: &str) -> (String, Vec<Violation>) {
    (
        format!("invalid {what} call"),
        vec![
            Violation::new(ErrorCode::InvalidRequest, "CALL-01", "/body", "`body` is given both in the call and beside it")
                .in_source(Source::Request)
                .with_reason("schema"),
        ],
    )
}

/// `evaluate_registration` over JSON text (the call is a
/// [`crate::registration::RegistrationRequest`]); randomness from the system, one batch per call.
#[must_use]
pub fn evaluate_registration_json(call_json: &str, policy: &Policy) -> crate::registration::RegistrationAnswer {
    evaluate_registration_json_cached(call_json, policy, &mut crate::jose::KeyCache::new(0))
}

/// [`evaluate_registration_json`] with a key-set cache that outlives the call.
#[must_use]
pub fn evaluate_registration_json_cached(
    call_json: &str,
    policy: &Policy,
    keys: &mut crate::jose::KeyCache,
) -> crate::registration::RegistrationAnswer {
    evaluate_registration_json_with(call_json, policy, keys, &mut crate::host::BatchedRandom::default())
}

/// [`evaluate_registration_json_cached`] with the caller's random source
/// (e.g. a [`crate::host::BatchedRandom`] kept across calls).
#[must_use]
pub fn evaluate_registration_json_with(
    call_json: &str,
    policy: &Policy,
    keys: &mut crate::jose::KeyCache,
    rng: &mut dyn crate::host::RandomSource,
) -> crate::registration::RegistrationAnswer {
    evaluate_registration_json_parts(call_json, None, policy, keys, rng)
}

/// [`evaluate_registration_json_with`] with the HTTP body passed beside the
/// envelope (`call_json` then has no `body` member): the body is not
/// escaped into, and bounded by, the envelope; the policy's limits judge it
/// (RFC7591-ENDPOINT-01). The wasm-bindgen package calls this.
#[must_use]
pub fn evaluate_registration_json_parts(
    call_json: &str,
    body: Option<&str>,
    policy: &Policy,
    keys: &mut crate::jose::KeyCache,
    rng: &mut dyn crate::host::RandomSource,
) -> crate::registration::RegistrationAnswer {
    match registration_envelope(call_json, body, "evaluate_registration") {
        Ok(req) => crate::registration::evaluate_registration_cached(&req, policy, rng, keys),
        Err((message, violations)) => crate::registration::RegistrationAnswer::InvalidCall { message, violations },
    }
}

/// `inspect_registration` over JSON text.
#[must_use]
pub fn inspect_registration_json(call_json: &str, policy: &Policy) -> Value {
    inspect_registration_json_parts(call_json, None, policy)
}

/// [`inspect_registration_json`] with the body beside the envelope (see
/// [`evaluate_registration_json_parts`]).
#[must_use]
pub fn inspect_registration_json_parts(call_json: &str, body: Option<&str>, policy: &Policy) -> Value {
    match registration_envelope(call_json, body, "inspect_registration") {
        Ok(req) => serde_json::to_value(crate::registration::inspect_registration(&req, policy)).unwrap_or(Value::Null),
        Err((message, violations)) => invalid_call_value(message, violations),
    }
}

/// `evaluate_management` over JSON text (the call is a
/// [`crate::management::ManagementRequest`]); randomness from the system, one batch per call.
#[must_use]
pub fn evaluate_management_json(call_json: &str, policy: &Policy) -> crate::management::ManagementAnswer {
    evaluate_management_json_cached(call_json, policy, &mut crate::jose::KeyCache::new(0))
}

/// [`evaluate_management_json`] with a key-set cache that outlives the call.
#[must_use]
pub fn evaluate_management_json_cached(
    call_json: &str,
    policy: &Policy,
    keys: &mut crate::jose::KeyCache,
) -> crate::management::ManagementAnswer {
    evaluate_management_json_with(call_json, policy, keys, &mut crate::host::BatchedRandom::default())
}

/// [`evaluate_management_json_cached`] with the caller's random source.
#[must_use]
pub fn evaluate_management_json_with(
    call_json: &str,
    policy: &Policy,
    keys: &mut crate::jose::KeyCache,
    rng: &mut dyn crate::host::RandomSource,
) -> crate::management::ManagementAnswer {
    evaluate_management_json_parts(call_json, None, policy, keys, rng)
}

/// [`evaluate_management_json_with`] with the PUT body beside the envelope
/// (see [`evaluate_registration_json_parts`]).
#[must_use]
pub fn evaluate_management_json_parts(
    call_json: &str,
    body: Option<&str>,
    policy: &Policy,
    keys: &mut crate::jose::KeyCache,
    rng: &mut dyn crate::host::RandomSource,
) -> crate::management::ManagementAnswer {
    let call = envelope::<crate::management::ManagementRequest>(call_json, "evaluate_management").and_then(|mut req| {
        if let Some(b) = body {
            if req.body.is_some() {
                return Err(body_twice("evaluate_management"));
            }
            req.body = Some(b.to_owned());
        }
        Ok(req)
    });
    match call {
        Ok(req) => crate::management::evaluate_management_cached(&req, policy, rng, keys),
        Err((message, violations)) => crate::management::ManagementAnswer::InvalidCall { message, violations },
    }
}

/// An `invalid_call` answer as a JSON value.
#[must_use]
pub fn invalid_call_value(message: String, violations: Vec<Violation>) -> Value {
    serde_json::json!({ "outcome": "invalid_call", "message": message, "violations": violations })
}

/// Runs `f` with the policy loaded from JSON text, or answers `invalid_call`.
#[must_use]
pub fn with_policy(policy_json: Option<&str>, f: impl FnOnce(&Policy) -> String) -> String {
    match load_policy(policy_json) {
        Ok(policy) => f(&policy),
        Err((message, violations)) => to_json(&invalid_call_value(message, violations)),
    }
}

/// `explain_policy`: what the policy defaults, enforces, allows, requires and
/// forbids, with rule IDs (for admin consoles and audits).
#[must_use]
pub fn explain_policy_json(policy: &Policy) -> String {
    to_json(&serde_json::json!({ "outcome": "explained", "explanation": crate::profiles::explain::explain(policy) }))
}

/// `discovery_metadata`: provider discovery values derived from the policy.
#[must_use]
pub fn discovery_metadata_json(policy: &Policy) -> String {
    to_json(&serde_json::json!({ "outcome": "discovered", "metadata": crate::profiles::discovery::discovery(policy) }))
}
// ---------------------------------------------------------------------------
// verify_software_statement (JOSE only; issue 3)
// ---------------------------------------------------------------------------

/// The call of `verify_software_statement`: a token, the key set the host
/// fetched, the clock, and expectations. Expectations default to the
/// policy's `software_statement` (or `request_jwt`) section; fields given
/// here override it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyCall {
    /// The compact JWS.
    pub token: String,
    /// The JWK Set (`{"keys": [...]}`); omitted when the skin holds a compiled key set.
    #[serde(default)]
    pub jwks: Option<Value>,
    /// Seconds since the epoch.
    pub now: i64,
    /// `software_statement` (default) or `request_jwt`.
    #[serde(default)]
    pub kind: VerifyKind,
    /// A policy document whose section supplies the defaults.
    #[serde(default)]
    pub policy: Option<Value>,
    /// Accepted `alg` values.
    #[serde(default)]
    pub algorithms: Option<Vec<String>>,
    /// Trusted issuers (empty: any).
    #[serde(default)]
    pub issuers: Option<Vec<String>>,
    /// Accepted audiences (empty: not checked).
    #[serde(default)]
    pub audience: Option<Vec<String>>,
    /// Clock skew in seconds.
    #[serde(default)]
    pub leeway: Option<u64>,
    /// Maximum age via `iat`, seconds.
    #[serde(default)]
    pub max_age: Option<u64>,
    /// Claims that must be present.
    #[serde(default)]
    pub required_claims: Option<Vec<String>>,
    /// Required `typ`.
    #[serde(default)]
    pub typ: Option<String>,
    /// `reject` or `ignore`.
    #[serde(default)]
    pub embedded_keys: Option<crate::policy::EmbeddedKeys>,
}

/// Which JWT a [`VerifyCall`] carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerifyKind {
    /// A software statement.
    #[default]
    SoftwareStatement,
    /// A signed registration request.
    RequestJwt,
}

/// The answer of `verify_software_statement`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum VerifyAnswer {
    /// Signature, header and claims all passed.
    Accepted {
        /// The JOSE header.
        header: Map<String, Value>,
        /// The verified claims.
        claims: Map<String, Value>,
        /// The algorithm that verified.
        alg: String,
        /// Header `kid`.
        kid: Option<String>,
        /// `jti`, for the host's replay cache.
        jti: Option<String>,
        /// `iss`.
        iss: Option<String>,
    },
    /// The token was refused.
    Rejected {
        /// RFC 7591 top-level error code.
        error: ErrorCode,
        /// Human summary for the HTTP body.
        error_description: String,
        /// Every finding of the stage that failed.
        violations: Vec<Violation>,
    },
    /// The host's call was wrong (bad envelope, bad policy, bad key set).
    InvalidCall {
        /// What was wrong.
        message: String,
        /// Findings with paths into the call.
        violations: Vec<Violation>,
    },
}

fn invalid_call(message: &str, violations: Vec<Violation>) -> VerifyAnswer {
    VerifyAnswer::InvalidCall { message: message.to_owned(), violations }
}

/// Parses the call envelope strictly.
///
/// # Errors
/// The `invalid_call` answer.
#[expect(clippy::result_large_err, reason = "the error is the answer itself, returned once per call")]
pub fn parse_verify_call(call_json: &str) -> Result<VerifyCall, VerifyAnswer> {
    let value = crate::limits::parse_json(call_json.as_bytes(), &crate::limits::CALL_LIMITS).map_err(|e| {
        invalid_call("malformed call", vec![json_violation(&e, Source::Request, "POLICY-LOAD-01", ErrorCode::InvalidRequest)])
    })?;
    serde_json::from_value(value).map_err(|e| {
        let v =
            Violation::new(ErrorCode::InvalidRequest, "POLICY-LOAD-01", "", e.to_string()).in_source(Source::Request).with_reason("schema");
        invalid_call("malformed call", vec![v])
    })
}

/// `verify_software_statement` over JSON text: envelope, optional policy,
/// key set, then [`crate::jose::verify`].
#[must_use]
pub fn verify_software_statement_call(call_json: &str) -> VerifyAnswer {
    let call = match parse_verify_call(call_json) {
        Ok(c) => c,
        Err(answer) => return answer,
    };
    let Some(jwks) = call.jwks.as_ref() else {
        return no_key_set();
    };
    match crate::jose::Jwks::from_value(jwks, "/jwks") {
        Ok(jwks) => verify_with_jwks(&call, &jwks),
        Err(violations) => invalid_call("invalid key set", violations),
    }
}

/// JWT-KEY-01: the answer to a verify call without a key set (`jwks` absent
/// or `null` in the envelope; `""` or `null` text in the component's
/// `verify-request`).
#[must_use]
pub fn no_key_set() -> VerifyAnswer {
    let v = Violation::new(ErrorCode::InvalidRequest, "JWT-KEY-01", "/jwks", "the call needs a `jwks` key set".to_owned())
        .in_source(Source::Request)
        .with_reason("missing");
    invalid_call("no key set", vec![v])
}

/// Verifies a parsed call against an already compiled key set (skins that
/// cache a [`crate::jose::Jwks`] use this; `call.jwks` is ignored).
#[must_use]
pub fn verify_with_jwks(call: &VerifyCall, jwks: &crate::jose::Jwks) -> VerifyAnswer {
    let policy = match &call.policy {
        None => Policy::default(),
        Some(v) => match Policy::from_json(&v.to_string()) {
            Ok(p) => p,
            Err(violations) => return invalid_call("invalid policy", violations),
        },
    };
    verify_with_policy(call, jwks, &policy)
}

/// Verifies a parsed call against a compiled key set under an already
/// loaded policy (`call.jwks` and `call.policy` are ignored): the component's
/// `policy` resource uses this so it does not re-read its policy.
#[must_use]
pub fn verify_with_policy(call: &VerifyCall, jwks: &crate::jose::Jwks, policy: &Policy) -> VerifyAnswer {
    use crate::jose::{TokenKind, VerifyOptions, verify};
    let (kind, section) = match call.kind {
        VerifyKind::SoftwareStatement => {
            let s = &policy.software_statement;
            (
                TokenKind::SoftwareStatement,
                (&s.signing_algs, &s.trusted_issuers, &Vec::new(), s.leeway, s.max_age, &s.required_claims, &s.typ, s.embedded_keys),
            )
        }
        VerifyKind::RequestJwt => {
            let s = &policy.request_jwt;
            (
                TokenKind::RequestJwt,
                (&s.signing_algs, &Vec::new(), &s.audience, s.leeway, s.max_age, &s.required_claims, &s.typ, s.embedded_keys),
            )
        }
    };
    let (algs, issuers, audience, leeway, max_age, required, typ, embedded) = section;
    let opts = VerifyOptions {
        kind,
        algorithms: call.algorithms.as_ref().unwrap_or(algs),
        issuers: call.issuers.as_ref().unwrap_or(issuers),
        audience: call.audience.as_ref().unwrap_or(audience),
        now: call.now,
        leeway: call.leeway.unwrap_or(leeway),
        max_age: call.max_age.or(max_age),
        required_claims: call.required_claims.as_ref().unwrap_or(required),
        typ: call.typ.as_deref().or(typ.as_deref()),
        embedded_keys: call.embedded_keys.unwrap_or(embedded),
        limits: &policy.limits,
    };
    match verify(&call.token, jwks, &opts) {
        Ok(v) => VerifyAnswer::Accepted { header: v.header, claims: v.claims, alg: v.alg, kid: v.kid, jti: v.jti, iss: v.iss },
        Err(violations) => {
            let error = top_error(&violations).unwrap_or(kind.error_code());
            let error_description = error_description(&violations).unwrap_or_else(|| "invalid software statement".to_owned());
            VerifyAnswer::Rejected { error, error_description, violations }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::ChangeAction;
    use crate::error::Severity;

    fn serde_text<T: Serialize + ?Sized>(v: &T) -> String {
        serde_json::to_string(v).unwrap_or_default()
    }

    #[test]
    fn writer_escapes_strings_like_serde_json() {
        let mut cases: Vec<String> = (0u8..=0x7f).map(|b| format!("ab{}cdefghij", char::from(b))).collect();
        cases.extend((0u8..=0x7f).map(|b| char::from(b).to_string().repeat(9)));
        cases.extend(
            ["", "é", "日本語\u{2028}\u{7f}", "\"quoted\\\"", "12345678\n12345678\"1234567\\", "😀 tail", "\u{10ffff}\u{ffff}\u{80}\"\n"]
                .map(str::to_owned),
        );
        // every offset of an escape inside and across 8-byte chunks
        for at in 0..20 {
            for esc in ['"', '\\', '\u{1}', '\u{1f}', '\t', 'é'] {
                let mut s = "x".repeat(20);
                s.insert(at, esc);
                cases.push(s);
            }
        }
        for s in &cases {
            let mut out = write::Out { buf: Vec::new(), ascii: false };
            write::str(&mut out, s);
            assert_eq!(String::from_utf8(out.buf).ok().as_deref(), Some(serde_text(s).as_str()), "{s:?}");
            // ASCII mode: pure ASCII text, the same string once parsed
            let mut out = write::Out { buf: Vec::new(), ascii: true };
            write::str(&mut out, s);
            assert!(out.buf.is_ascii(), "{s:?}");
            let text = String::from_utf8(out.buf).unwrap_or_default();
            assert_eq!(serde_json::from_str::<String>(&text).ok().as_deref(), Some(s.as_str()), "{text}");
        }
    }

    #[test]
    fn writer_prints_values_like_serde_json() {
        let text = r#"{"a":[null,true,false,0,1,18446744073709551615,-1,-9223372036854775808,1.5,-0.0,1e300,1e-7,100.0,0.1],
            "b":{"c":"d","e":{}},"f":[],"g":"\u0000\u00e9"}"#;
        let v: Value = serde_json::from_str(text).unwrap_or_default();
        assert!(v.is_object());
        let mut out = write::Out { buf: Vec::new(), ascii: false };
        write::value(&mut out, &v);
        assert_eq!(String::from_utf8(out.buf).ok(), Some(serde_text(&v)));
        assert_eq!(value_json_text(&v), serde_text(&v));
        assert_eq!(v.as_object().map(object_json_text), Some(serde_text(&v)));
    }

    #[test]
    fn writer_enum_names_match_serde() {
        let sources = [
            Source::Metadata,
            Source::Request,
            Source::SoftwareStatement,
            Source::SoftwareStatementHeader,
            Source::RequestJwt,
            Source::RequestJwtHeader,
            Source::Jwks,
            Source::Policy,
            Source::Context,
        ];
        for s in sources {
            assert_eq!(format!("\"{}\"", write::source(s)), serde_text(&s));
        }
        for s in [Severity::Error, Severity::Warning, Severity::Advice] {
            assert_eq!(format!("\"{}\"", write::severity(s)), serde_text(&s));
        }
        for a in [
            ChangeAction::Defaulted,
            ChangeAction::Overridden,
            ChangeAction::Removed,
            ChangeAction::FromSoftwareStatement,
            ChangeAction::Added,
            ChangeAction::Updated,
            ChangeAction::Rotated,
        ] {
            assert_eq!(format!("\"{}\"", write::action(a)), serde_text(&a));
        }
    }

    #[test]
    fn writer_answers_match_serde_for_each_outcome() {
        let mut v = Violation::new(ErrorCode::InvalidRedirectUri, "RULE-1", "/a~1b", "bad `x`\n").with_reason("why");
        v.severity = Severity::Warning;
        let c1 = Change::defaulted("grant_types", serde_json::json!(["authorization_code"]), "R", "because");
        let c2 = Change::removed("x", Value::Null, "R", "gone");
        let mut client = Map::new();
        client.insert("k\"".to_owned(), serde_json::json!({"n": [1, "two"]}));
        let answers = [
            ValidateMetadataAnswer::Accepted { client: client.clone(), changes: vec![c1.clone(), c2.clone()], violations: vec![v.clone()] },
            rejected(client, vec![c1], vec![v.clone(), Violation::new(ErrorCode::InvalidRequest, "R2", "", "m")]),
            ValidateMetadataAnswer::InvalidCall { message: "invalid policy".to_owned(), violations: vec![v] },
            ValidateMetadataAnswer::Accepted { client: Map::new(), changes: Vec::new(), violations: Vec::new() },
        ];
        for a in &answers {
            assert_eq!(a.to_json_text(), to_json(a));
            let ascii = a.to_ascii_json_text();
            assert!(ascii.is_ascii());
            assert_eq!(serde_json::from_str::<Value>(&ascii).ok(), serde_json::to_value(a).ok());
        }
    }
}
