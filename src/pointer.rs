//! RFC 6901 JSON Pointer building for violation and change paths.
//!
//! Built by appending into one exactly-sized `String` rather than with
//! `format!`: paths are made on the accepted-request path too (every change
//! has one), where the formatting machinery and the extra copy of `escape`
//! cost more than the rest of building the change.

use core::fmt::Write as _;

/// Appends `token` escaped (`~` → `~0`, `/` → `~1`).
fn push_escaped(out: &mut String, token: &str) {
    // A byte test: `~` and `/` are ASCII, and the char-set searcher costs
    // more than the rest of building a short path.
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        for c in token.chars() {
            match c {
                '~' => out.push_str("~0"),
                '/' => out.push_str("~1"),
                c => out.push(c),
            }
        }
    } else {
        out.push_str(token);
    }
}

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
#[must_use]
pub fn escape(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_escaped(&mut out, token);
    out
}

/// The pointer of a top-level member: `field("redirect_uris")` → `/redirect_uris`.
#[must_use]
pub fn field(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 1);
    out.push('/');
    push_escaped(&mut out, name);
    out
}

/// The pointer of an array element of a top-level member: `/redirect_uris/1`.
#[must_use]
pub fn item(name: &str, index: usize) -> String {
    let mut out = String::with_capacity(name.len() + 6);
    out.push('/');
    push_escaped(&mut out, name);
    // Writing to a String cannot fail.
    let _ = write!(out, "/{index}");
    out
}

/// Appends one token to a pointer.
#[must_use]
pub fn join(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    push_escaped(&mut out, token);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn rfc6901_escaping() {
        assert_eq!(field("a/b~c"), "/a~1b~0c");
        assert_eq!(field("~/~1"), "/~0~1~01");
        assert_eq!(field("日本/x"), "/日本~1x");
        assert_eq!(escape("a~b"), "a~0b");
        assert_eq!(item("redirect_uris", 2), "/redirect_uris/2");
        assert_eq!(item("a/b", 1234567), "/a~1b/1234567");
        assert_eq!(join("/jwks", "keys"), "/jwks/keys");
        assert_eq!(join("/jwks", "k~/"), "/jwks/k~0~1");
    }
}
