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
    if bytes.len() > limits.max_body_bytes {
        return Err(JsonError {
            reason: "too_large",
            path: String::new(),
            message: format!("document is {} bytes, over the limit of {}", bytes.len(), limits.max_body_bytes),
        });
    }
    let text = core::str::from_utf8(bytes).map_err(|e| JsonError {
        reason: "not_utf8",
        path: String::new(),
        message: format!("document is not valid UTF-8 (at byte {})", e.valid_up_to()),
    })?;
    // The common case, a well-formed document within budget, takes the
    // direct reader; anything it does not accept (a syntax error, a broken
    // budget, a duplicate member, a surrogate escape, ...) is read again by
    // the serde-based reader below, which names the error exactly as before.
    if let Some(v) = fast::parse(text, limits) {
        return Ok(v);
    }
    parse_json_checked(text, limits)
}

/// The serde-based strict reader: the reference for every error (reason, path, message).
fn parse_json_checked(text: &str, limits: &Limits) -> Result<Value, JsonError> {
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
/// character below 0x20 (`bytes.len()` when there is none): the bytes that
/// end a plain run inside a JSON string, for the reader and for the answer
/// writer. Eight bytes per step (SWAR): a byte below 0x20 makes
/// `b - 0x20` borrow into its high bit, and `"` / `\\` become zero bytes
/// after the XOR; the tests are exact for the "any byte" question, then the
/// flagged chunk is searched byte by byte.
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

/// A direct reader for well-formed documents within budget. It builds the
/// same [`Value`] the serde-based reader builds (member order, numbers,
/// string escapes) and gives up (`None`) on anything else, so that errors
/// always come from the reference reader. It accepts a subset of what the
/// reference reader accepts: limits and depth are checked as there (a
/// container at nesting level `n`, the top level being 1, needs
/// `n <= max_depth`; serde_json's own recursion limit of 128 is kept).
mod fast {
    use serde_json::{Map, Value};

    use super::Limits;

    /// serde_json refuses nesting at level 128; give up well before.
    const MAX_NESTING: usize = 120;

    struct Reader<'a> {
        text: &'a str,
        bytes: &'a [u8],
        at: usize,
        limits: &'a Limits,
    }

    pub(super) fn parse(text: &str, limits: &Limits) -> Option<Value> {
        let mut r = Reader { text, bytes: text.as_bytes(), at: 0, limits };
        r.ws();
        let v = r.value(0)?;
        r.ws();
        (r.at == r.bytes.len()).then_some(v)
    }

    impl Reader<'_> {
        fn peek(&self) -> Option<u8> {
            self.bytes.get(self.at).copied()
        }

        fn ws(&mut self) {
            while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
                self.at += 1;
            }
        }

        fn eat(&mut self, b: u8) -> Option<()> {
            (self.peek()? == b).then(|| self.at += 1)
        }

        fn literal(&mut self, word: &[u8], v: Value) -> Option<Value> {
            let end = self.at + word.len();
            (self.bytes.get(self.at..end)? == word).then(|| {
                self.at = end;
                v
            })
        }

        /// `depth`: the number of containers around this value.
        fn value(&mut self, depth: usize) -> Option<Value> {
            match self.peek()? {
                b'{' => self.object(depth + 1),
                b'[' => self.array(depth + 1),
                b'"' => self.string().map(Value::String),
                b't' => self.literal(b"true", Value::Bool(true)),
                b'f' => self.literal(b"false", Value::Bool(false)),
                b'n' => self.literal(b"null", Value::Null),
                b'-' | b'0'..=b'9' => self.number(),
                _ => None,
            }
        }

        fn number(&mut self) -> Option<Value> {
            let start = self.at;
            while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.peek() {
                self.at += 1;
            }
            let token = self.bytes.get(start..self.at)?;
            // Plain non-negative integers of up to 19 digits (no overflow) here;
            // the rest (signs, fractions, exponents) exactly as serde_json reads them.
            if token.len() <= 19 && token.iter().all(u8::is_ascii_digit) && (token.len() == 1 || token.first() != Some(&b'0')) {
                let n = token.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
                return Some(Value::from(n));
            }
            serde_json::from_str::<Value>(self.text.get(start..self.at)?).ok().filter(Value::is_number)
        }

        /// A string, its escapes decoded; `None` on a surrogate escape (left to the reference reader).
        fn string(&mut self) -> Option<String> {
            self.eat(b'"')?;
            let start = self.at;
            self.at = super::json_special_at(self.bytes, start);
            match self.peek()? {
                b'"' => {}
                b'\\' => return self.escaped(start),
                _ => return None,
            }
            let s = self.text.get(start..self.at)?;
            self.at += 1;
            (s.len() <= self.limits.max_string_bytes).then(|| s.to_owned())
        }

        fn escaped(&mut self, start: usize) -> Option<String> {
            let mut out = String::from(self.text.get(start..self.at)?);
            loop {
                let run = self.at;
                self.at = super::json_special_at(self.bytes, run);
                out.push_str(self.text.get(run..self.at)?);
                match self.peek()? {
                    b'"' => {
                        self.at += 1;
                        return (out.len() <= self.limits.max_string_bytes).then_some(out);
                    }
                    b'\\' => {
                        let e = self.bytes.get(self.at + 1).copied()?;
                        self.at += 2;
                        let c = match e {
                            b'"' => '"',
                            b'\\' => '\\',
                            b'/' => '/',
                            b'b' => '\u{8}',
                            b'f' => '\u{c}',
                            b'n' => '\n',
                            b'r' => '\r',
                            b't' => '\t',
                            b'u' => {
                                let hex = self.text.get(self.at..self.at + 4)?;
                                if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                                    return None;
                                }
                                self.at += 4;
                                // Surrogates (pairs or lone) go to the reference reader.
                                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                            }
                            _ => return None,
                        };
                        out.push(c);
                    }
                    _ => return None,
                }
            }
        }

        fn array(&mut self, level: usize) -> Option<Value> {
            if level > self.limits.max_depth || level > MAX_NESTING {
                return None;
            }
            self.eat(b'[')?;
            self.ws();
            let mut out = Vec::new();
            if self.eat(b']').is_some() {
                return Some(Value::Array(out));
            }
            loop {
                self.ws();
                out.push(self.value(level)?);
                if out.len() > self.limits.max_array_len {
                    return None;
                }
                self.ws();
                match self.peek()? {
                    b',' => self.at += 1,
                    b']' => {
                        self.at += 1;
                        return Some(Value::Array(out));
                    }
                    _ => return None,
                }
            }
        }

        fn object(&mut self, level: usize) -> Option<Value> {
            if level > self.limits.max_depth || level > MAX_NESTING {
                return None;
            }
            self.eat(b'{')?;
            self.ws();
            let mut out = if level == 1 { Map::with_capacity(32) } else { Map::new() };
            if self.eat(b'}').is_some() {
                return Some(Value::Object(out));
            }
            loop {
                self.ws();
                let key = self.string()?;
                self.ws();
                self.eat(b':')?;
                self.ws();
                if out.len() >= self.limits.max_object_members {
                    return None;
                }
                match out.entry(key) {
                    serde_json::map::Entry::Occupied(_) => return None,
                    serde_json::map::Entry::Vacant(e) => {
                        e.insert(self.value(level)?);
                    }
                }
                self.ws();
                match self.peek()? {
                    b',' => self.at += 1,
                    b'}' => {
                        self.at += 1;
                        return Some(Value::Object(out));
                    }
                    _ => return None,
                }
            }
        }
    }
}

/// Parses a JSON document that must be an object (metadata, claims, JWKS).
///
/// # Errors
/// As [`parse_json`], plus `not_an_object`.
pub fn parse_object(bytes: &[u8], limits: &Limits) -> Result<Map<String, Value>, JsonError> {
    match parse_json(bytes, limits)? {
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

    /// The direct reader accepts only what the reference reader accepts, and
    /// builds the same value (compared as text: member order matters).
    fn same_as_reference(doc: &str, limits: &Limits) -> bool {
        let reference = parse_json_checked(doc, limits);
        match fast::parse(doc, limits) {
            Some(v) => {
                let want = reference.map(|r| serde_json::to_string(&r).unwrap());
                assert_eq!(Ok(serde_json::to_string(&v).unwrap()), want, "{doc:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn direct_reader_agrees_with_the_reference() {
        let docs = [
            r#"{"a":[1,"x",{"b":null}],"c":true,"d":false}"#,
            " \t\r\n{ \"a\" : [ ] , \"b\" : { } } \n",
            r#"{"n":[0,7,-0,-1,1.5,-2.5e3,1E+2,1e-2,12345678901234567890,9999999999999999999,18446744073709551616,-9223372036854775809,00,01,1.,.5,-,1e,2e+]}"#,
            r#"{"s":"caf\u00e9 \/ \\ \" \b\f\n\r\t \u0000 \u001F \uFFFF"}"#,
            r#"{"s":"\ud83d\ude00"}"#,
            r#"{"s":"\ud83d"}"#,
            r#"{"s":"\u12"}"#,
            r#"{"s":"\u12g4"}"#,
            r#"{"s":"\x"}"#,
            "{\"s\":\"a\u{1}b\"}",
            "{\"s\":\"\u{7f}\u{80}\u{2028}é\"}",
            r#"{"client\u005fname":1,"client_name":2}"#,
            r#"{"a":1,"a":2}"#,
            r#"{"a":{"b":1,"b":2}}"#,
            r#"{"a":1,}"#,
            r#"[1,]"#,
            r#"{"a" 1}"#,
            r#"{"a":tru}"#,
            r#"{"a":nulll}"#,
            r#"{"a":1}x"#,
            r#"{} {}"#,
            "\u{feff}{}",
            r#""0123456789""#,
            r#""01234567890""#,
            r#"{"0123456789x":1}"#,
            r#"[1,2,3]"#,
            r#"[1,2,3,4]"#,
            r#"{"a":1,"b":2,"c":3,"d":4}"#,
            r#"{"a":1,"b":2,"c":3,"d":4,"e":5}"#,
            r#"{"a":{"b":{"c":{"d":1}}}}"#,
            r#"{"a":{"b":{"c":{"d":{"e":1}}}}}"#,
            r#"[[[[1]]]]"#,
            r#"[[[[[1]]]]]"#,
            "",
            "  ",
            "nul",
            "-",
            "1 2",
        ];
        let big = Limits { max_body_bytes: 1 << 20, max_depth: 200, ..Limits::default() };
        let mut accepted = 0;
        for doc in docs {
            for limits in [lim(), Limits::default(), big] {
                accepted += usize::from(same_as_reference(doc, &limits));
            }
        }
        // serde_json's own nesting limit (128) is kept
        for n in [100, 119, 120, 121, 127, 128, 129, 200] {
            let deep = format!("{}{}", "[".repeat(n), "]".repeat(n));
            accepted += usize::from(same_as_reference(&deep, &big));
        }
        // random documents over the JSON alphabet
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let alphabet = br#"{}[]":,0123456789.eE+-truefalsnl \u"ab"#;
        for i in 0..20_000 {
            let doc: String = (0..(i % 40) + 1)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    char::from(alphabet[(seed % alphabet.len() as u64) as usize])
                })
                .collect();
            for limits in [lim(), Limits::default()] {
                accepted += usize::from(same_as_reference(&doc, &limits));
            }
        }
        assert!(accepted > 300, "only {accepted} documents took the direct path");
    }

    #[test]
    fn check_value_applies_the_same_budgets() {
        let v: Value = serde_json::json!({"a": {"b": {"c": {"d": {"e": 1}}}}});
        assert_eq!(check_value(&v, &lim()).unwrap_err().reason, "too_deep");
        let v: Value = serde_json::json!({"a": ["0123456789x"]});
        assert_eq!(check_value(&v, &lim()).unwrap_err().path, "/a/0");
    }
}
