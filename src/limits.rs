//! Budgets for hostile input, and the strict JSON reader that enforces them.
//!
//! Every document that crosses the boundary (metadata, JWS headers and
//! payloads, JWKS, stored clients) is read with [`parse_json`], which
//! rejects — with a path, never a panic — bodies over the size limit,
//! non-UTF-8, nesting deeper than the limit, arrays, objects and strings
//! over their limits, and duplicate object member names (RFC 8259 §4 says
//! names SHOULD be unique; RFC 7515 §5.2 and RFC 7519 §4 require JOSE
//! parsers to reject duplicates or use the last one — we reject).

use core::cell::RefCell;
use core::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Size, depth and count budgets. Part of the policy (`limits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Largest accepted body, in bytes (the whole HTTP body or JWT).
    pub max_body_bytes: usize,
    /// Deepest nesting of arrays and objects (the top-level object is depth 1).
    pub max_depth: usize,
    /// Most elements in one array.
    pub max_array_len: usize,
    /// Most members in one object.
    pub max_object_members: usize,
    /// Longest string, in bytes.
    pub max_string_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_body_bytes: 64 * 1024, max_depth: 16, max_array_len: 256, max_object_members: 256, max_string_bytes: 16 * 1024 }
    }
}

/// The budgets of a host's call envelope (the JSON form of a registration,
/// management or verification call) and of the documents a host passes in
/// as JSON text (key sets, a stored client). They only guard the module's
/// memory: arrays, objects and strings are bounded by the 4 MiB size alone
/// (at most ~16× that once parsed), so the JSON route never refuses a call
/// the typed routes (the WIT component's records, the Rust API) would
/// decide. The request body itself is judged by the policy's own
/// [`Limits`] (RFC7591-ENDPOINT-01, `too_large`), not by these; the
/// wasm-bindgen package passes a request object's `body` beside the
/// envelope, so only a call handed over as one JSON text is bounded here.
pub const CALL_LIMITS: Limits =
    Limits { max_body_bytes: 4 << 20, max_depth: 32, max_array_len: 4 << 20, max_object_members: 4 << 20, max_string_bytes: 4 << 20 };

/// Why a document was refused. `path` is an RFC 6901 pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// Short machine reason: `too_large`, `not_utf8`, `syntax`, `too_deep`,
    /// `array_too_long`, `too_many_members`, `string_too_long`,
    /// `duplicate_member`, `not_an_object`.
    pub reason: &'static str,
    /// Where in the document; `""` for the whole document.
    pub path: String,
    /// One lowercase line for humans.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() { f.write_str(&self.message) } else { write!(f, "{} (at {})", self.message, self.path) }
    }
}

/// Parses a JSON document under `limits`.
///
/// # Errors
/// A [`JsonError`] naming the first limit broken, with its path.
pub fn parse_json(bytes: &[u8], limits: &Limits) -> Result<Value, JsonError> {
    check_size(bytes.len(), limits)?;
    let text = core::str::from_utf8(bytes).map_err(|e| JsonError {
        reason: "not_utf8",
        path: String::new(),
        message: format!("document is not valid UTF-8 (at byte {})", e.valid_up_to()),
    })?;
    parse_sized_text(text, limits)
}

/// [`parse_json`] over text the caller already holds as `&str`: the same
/// checks and answers, without validating the UTF-8 a second time (a
/// `&str` is valid UTF-8 by construction; the scan costs about as much as
/// a tenth of the parse on the metadata path).
pub(crate) fn parse_json_str(text: &str, limits: &Limits) -> Result<Value, JsonError> {
    check_size(text.len(), limits)?;
    parse_sized_text(text, limits)
}

fn check_size(len: usize, limits: &Limits) -> Result<(), JsonError> {
    if len > limits.max_body_bytes {
        return Err(JsonError {
            reason: "too_large",
            path: String::new(),
            message: format!("document is {len} bytes, over the limit of {}", limits.max_body_bytes),
        });
    }
    Ok(())
}

fn parse_sized_text(text: &str, limits: &Limits) -> Result<Value, JsonError> {
    let failure = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    // Our own depth budget replaces serde_json's fixed one; it is checked
    // before recursing, so the stack stays bounded by `max_depth`.
    let seed = Seed { limits, failure: &failure, depth: 0, path: &Path::Root };
    let parsed = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match parsed {
        Ok(v) => Ok(v),
        Err(e) => Err(failure.into_inner().unwrap_or_else(|| JsonError {
            reason: "syntax",
            path: String::new(),
            message: format!("malformed JSON: {}", sanitize(&e.to_string())),
        })),
    }
}

/// Index of the first byte at or after `from` that is `"`, `\\` or a control
/// character below 0x20 (`bytes.len()` when there is none): the bytes a
/// JSON string must escape (the answer writer in `ffi` uses it). Eight bytes
/// per step (SWAR): a byte below 0x20 makes `b - 0x20` borrow into its high
/// bit, and `"` / `\\` become zero bytes after the XOR; the tests are exact
/// for the "any byte" question, then the flagged chunk is searched byte by byte.
#[must_use]
pub(crate) fn json_special_at(bytes: &[u8], from: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
        let x = u64::from_le_bytes(chunk);
        let q = x ^ (LO * u64::from(b'"'));
        let b = x ^ (LO * u64::from(b'\\'));
        let special = (x.wrapping_sub(LO * 0x20) & !x) | (q.wrapping_sub(LO) & !q) | (b.wrapping_sub(LO) & !b);
        if special & HI != 0 {
            break;
        }
        i += 8;
    }
    while let Some(&c) = bytes.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            return i;
        }
        i += 1;
    }
    i
}

/// Parses a JSON document that must be an object (metadata, claims, JWKS).
///
/// # Errors
/// As [`parse_json`], plus `not_an_object`.
pub fn parse_object(bytes: &[u8], limits: &Limits) -> Result<Map<String, Value>, JsonError> {
    into_object(parse_json(bytes, limits)?)
}

/// [`parse_object`] over `&str` text (see [`parse_json_str`]).
pub(crate) fn parse_object_str(text: &str, limits: &Limits) -> Result<Map<String, Value>, JsonError> {
    into_object(parse_json_str(text, limits)?)
}

fn into_object(value: Value) -> Result<Map<String, Value>, JsonError> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(JsonError {
            reason: "not_an_object",
            path: String::new(),
            message: format!("document must be a JSON object, not {}", json_type(&other)),
        }),
    }
}

/// Checks an already-parsed value (e.g. one a JS host handed over as an
/// object) against the depth, count and string budgets.
///
/// # Errors
/// A [`JsonError`] naming the first limit broken.
pub fn check_value(value: &Value, limits: &Limits) -> Result<(), JsonError> {
    fn walk(v: &Value, limits: &Limits, depth: usize, path: &mut String) -> Result<(), JsonError> {
        match v {
            Value::String(s) if s.len() > limits.max_string_bytes => Err(string_too_long(path.clone(), s.len(), limits)),
            Value::Array(_) | Value::Object(_) if depth + 1 > limits.max_depth => Err(too_deep(path.clone(), limits)),
            Value::Array(items) => {
                if items.len() > limits.max_array_len {
                    return Err(array_too_long(path.clone(), limits));
                }
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("/{i}"));
                    walk(item, limits, depth + 1, path)?;
                    path.truncate(len);
                }
                Ok(())
            }
            Value::Object(map) => {
                if map.len() > limits.max_object_members {
                    return Err(too_many_members(path.clone(), limits));
                }
                for (k, item) in map {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&crate::pointer::escape(k));
                    if k.len() > limits.max_string_bytes {
                        return Err(string_too_long(path.clone(), k.len(), limits));
                    }
                    walk(item, limits, depth + 1, path)?;
                    path.truncate(len);
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
    walk(value, limits, 0, &mut String::new())
}

/// The JSON type name of a value, for messages (`string`, `array`, ...).
#[must_use]
pub fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

// serde_json's messages quote input fragments; keep only the position info.
fn sanitize(msg: &str) -> String {
    msg.chars().filter(|c| !c.is_control()).take(200).collect()
}

fn too_deep(path: String, limits: &Limits) -> JsonError {
    JsonError { reason: "too_deep", path, message: format!("nesting is deeper than the limit of {}", limits.max_depth) }
}
fn array_too_long(path: String, limits: &Limits) -> JsonError {
    JsonError { reason: "array_too_long", path, message: format!("array has more than {} elements", limits.max_array_len) }
}
fn too_many_members(path: String, limits: &Limits) -> JsonError {
    JsonError { reason: "too_many_members", path, message: format!("object has more than {} members", limits.max_object_members) }
}
fn string_too_long(path: String, len: usize, limits: &Limits) -> JsonError {
    JsonError { reason: "string_too_long", path, message: format!("string is {len} bytes, over the limit of {}", limits.max_string_bytes) }
}

/// A lazily rendered path: built only when a failure needs it.
enum Path<'a> {
    Root,
    Index(&'a Path<'a>, usize),
    Key(&'a Path<'a>, &'a str),
}

impl Path<'_> {
    fn render(&self) -> String {
        match self {
            Path::Root => String::new(),
            Path::Index(p, i) => format!("{}/{i}", p.render()),
            Path::Key(p, k) => format!("{}/{}", p.render(), crate::pointer::escape(k)),
        }
    }
}

struct Seed<'a> {
    limits: &'a Limits,
    failure: &'a RefCell<Option<JsonError>>,
    depth: usize,
    path: &'a Path<'a>,
}

impl Seed<'_> {
    fn fail<E: de::Error>(&self, err: JsonError) -> E {
        let msg = err.message.clone();
        *self.failure.borrow_mut() = Some(err);
        E::custom(msg)
    }
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.visit_string(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        if v.len() > self.limits.max_string_bytes {
            return Err(self.fail(string_too_long(self.path.render(), v.len(), self.limits)));
        }
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        if self.depth + 1 > self.limits.max_depth {
            return Err(self.fail(too_deep(self.path.render(), self.limits)));
        }
        let mut out = Vec::new();
        loop {
            let path = Path::Index(self.path, out.len());
            if out.len() >= self.limits.max_array_len {
                // One more element would break the limit: peek by parsing it.
                let extra = seq.next_element_seed(Seed { depth: self.depth + 1, path: &path, ..self.reborrow() })?;
                if extra.is_some() {
                    return Err(self.fail(array_too_long(self.path.render(), self.limits)));
                }
                break;
            }
            match seq.next_element_seed(Seed { depth: self.depth + 1, path: &path, ..self.reborrow() })? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        if self.depth + 1 > self.limits.max_depth {
            return Err(self.fail(too_deep(self.path.render(), self.limits)));
        }
        // The top-level object (metadata, claims) usually has a few dozen
        // members: reserve once instead of growing (and rehashing) 0→4→8→16→32.
        let mut out = if self.depth == 0 { Map::with_capacity(32) } else { Map::new() };
        while let Some(key) = map.next_key::<String>()? {
            if key.len() > self.limits.max_string_bytes {
                let path = Path::Key(self.path, &key);
                return Err(self.fail(string_too_long(path.render(), key.len(), self.limits)));
            }
            let len = out.len();
            // One hash per member: the entry both detects a duplicate and inserts.
            match out.entry(key) {
                serde_json::map::Entry::Occupied(e) => {
                    let key = e.key();
                    let path = Path::Key(self.path, key);
                    return Err(self.fail(JsonError {
                        reason: "duplicate_member",
                        path: path.render(),
                        message: format!("duplicate member name `{}`", key.chars().take(64).collect::<String>()),
                    }));
                }
                serde_json::map::Entry::Vacant(e) => {
                    if len >= self.limits.max_object_members {
                        return Err(self.fail(too_many_members(self.path.render(), self.limits)));
                    }
                    let path = Path::Key(self.path, e.key());
                    let v = map.next_value_seed(Seed { depth: self.depth + 1, path: &path, ..self.reborrow() })?;
                    e.insert(v);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

impl<'a> Seed<'a> {
    fn reborrow(&self) -> Seed<'a> {
        Seed { limits: self.limits, failure: self.failure, depth: self.depth, path: &Path::Root }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lim() -> Limits {
        Limits { max_body_bytes: 1000, max_depth: 4, max_array_len: 3, max_object_members: 4, max_string_bytes: 10 }
    }

    #[test]
    fn accepts_ordinary_json() {
        let v = parse_json(br#"{"a":[1,"x",{"b":null}],"c":true}"#, &lim());
        assert!(v.is_ok(), "{v:?}");
    }

    #[test]
    fn duplicate_member_reports_path() {
        let e = parse_json(br#"{"a":{"b":1,"b":2}}"#, &lim()).unwrap_err();
        assert_eq!((e.reason, e.path.as_str()), ("duplicate_member", "/a/b"));
    }

    #[test]
    fn depth_limit() {
        assert!(parse_json(br#"{"a":{"b":{"c":{"d":1}}}}"#, &lim()).is_ok());
        let e = parse_json(br#"{"a":{"b":{"c":{"d":{"e":1}}}}}"#, &lim()).unwrap_err();
        assert_eq!((e.reason, e.path.as_str()), ("too_deep", "/a/b/c/d"));
        // far past serde_json's own recursion limit: still an error, no overflow
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let big = Limits { max_body_bytes: 1 << 20, ..lim() };
        assert_eq!(parse_json(deep.as_bytes(), &big).unwrap_err().reason, "too_deep");
    }

    #[test]
    fn array_and_string_and_member_limits() {
        assert_eq!(parse_json(br#"{"a":[1,2,3,4]}"#, &lim()).unwrap_err().reason, "array_too_long");
        assert!(parse_json(br#"{"a":[1,2,3]}"#, &lim()).is_ok());
        let e = parse_json(br#"{"a":["0123456789x"]}"#, &lim()).unwrap_err();
        assert_eq!((e.reason, e.path.as_str()), ("string_too_long", "/a/0"));
        assert_eq!(parse_json(br#"{"a":1,"b":2,"c":3,"d":4,"e":5}"#, &lim()).unwrap_err().reason, "too_many_members");
    }

    #[test]
    fn size_utf8_syntax_and_type() {
        assert_eq!(parse_json(&vec![b' '; 1001], &lim()).unwrap_err().reason, "too_large");
        assert_eq!(parse_json(b"{\"a\":\"\xff\"}", &lim()).unwrap_err().reason, "not_utf8");
        assert_eq!(parse_json(b"{\"a\":", &lim()).unwrap_err().reason, "syntax");
        assert_eq!(parse_json(b"{} {}", &lim()).unwrap_err().reason, "syntax");
        assert_eq!(parse_object(b"[]", &lim()).unwrap_err().reason, "not_an_object");
    }

    #[test]
    fn check_value_applies_the_same_budgets() {
        let v: Value = serde_json::json!({"a": {"b": {"c": {"d": {"e": 1}}}}});
        assert_eq!(check_value(&v, &lim()).unwrap_err().reason, "too_deep");
        let v: Value = serde_json::json!({"a": ["0123456789x"]});
        assert_eq!(check_value(&v, &lim()).unwrap_err().path, "/a/0");
    }

    #[test]
    fn json_special_at_finds_the_first_byte_to_escape() {
        let naive = |b: &[u8]| b.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20).unwrap_or(b.len());
        // Each interesting byte at every position of strings around the chunk size.
        for len in 0..20 {
            for at in 0..len {
                for special in [b'"', b'\\', 0x00, 0x1f, 0x7f, 0x80, 0xe3, 0xff, b' ', b'!', b'#', b'[', b']'] {
                    let mut b = vec![b'a'; len];
                    b[at] = special;
                    assert_eq!(json_special_at(&b, 0), naive(&b), "{b:?}");
                }
            }
        }
        let s = "予算 \"x\"".as_bytes();
        assert_eq!(json_special_at(s, 0), naive(s));
    }
}
