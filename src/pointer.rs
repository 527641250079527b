//! RFC 6901 JSON Pointer building for violation and change paths.

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
#[must_use]
pub fn escape(token: &str) -> String {
    if token.contains(['~', '/']) { token.replace('~', "~0").replace('/', "~1") } else { token.to_owned() }
}

/// The pointer of a top-level member: `field("redirect_uris")` → `/redirect_uris`.
#[must_use]
pub fn field(name: &str) -> String {
    format!("/{}", escape(name))
}

/// The pointer of an array element of a top-level member: `/redirect_uris/1`.
#[must_use]
pub fn item(name: &str, index: usize) -> String {
    format!("/{}/{index}", escape(name))
}

/// Appends one token to a pointer.
#[must_use]
pub fn join(base: &str, token: &str) -> String {
    format!("{base}/{}", escape(token))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn rfc6901_escaping() {
        assert_eq!(field("a/b~c"), "/a~1b~0c");
        assert_eq!(item("redirect_uris", 2), "/redirect_uris/2");
        assert_eq!(join("/jwks", "keys"), "/jwks/keys");
    }
}
