//! A focused RFC 3986 URI reader: enough to decide what the registration
//! rules need (scheme, authority, host, port, userinfo, path, query,
//! fragment) and to refuse strings that are not URIs.
//!
//! Why hand-written and not the `url` crate: `url` implements the WHATWG URL
//! standard (it "fixes" inputs, IDNA-maps hosts and pulls in `idna` tables,
//! about 200 KiB of Wasm), while RFC 7591 / RFC 6749 want RFC 3986 absolute
//! URIs compared as strings (OIDCDCR-STRING-01). This reader never rewrites
//! its input; it only splits it, checks the character classes of each part
//! and validates percent-encoding. Non-ASCII characters are refused (IRIs are
//! not URIs).

/// An absolute URI split into its RFC 3986 §3 components. Borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Uri<'a> {
    /// Scheme as written (compare with [`Uri::scheme_is`], case-insensitive).
    pub scheme: &'a str,
    /// `//authority` part, when present.
    pub authority: Option<Authority<'a>>,
    /// Path (may be empty).
    pub path: &'a str,
    /// Query without `?`, when present.
    pub query: Option<&'a str>,
    /// Fragment without `#`, when present (even if empty: `https://a/#`).
    pub fragment: Option<&'a str>,
}

/// The authority component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authority<'a> {
    /// `userinfo@`, when present.
    pub userinfo: Option<&'a str>,
    /// Host as written; IP literals keep their brackets (`[::1]`).
    pub host: &'a str,
    /// Port digits, when present (may be empty: `http://a:/`).
    pub port: Option<&'a str>,
}

/// Why a string is not an absolute URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UriError {
    /// The string is empty.
    Empty,
    /// No `scheme:` prefix (a relative reference).
    NotAbsolute,
    /// A character outside the allowed set of its component (space, `<`, non-ASCII, ...).
    BadCharacter,
    /// `%` not followed by two hex digits.
    BadPercentEncoding,
    /// The port is not all digits.
    BadPort,
    /// An IP literal (`[...]`) is malformed.
    BadHost,
    /// An `http` / `https` URI without a host (`https:///cb`, `https:cb`).
    MissingHost,
}

impl UriError {
    /// One lowercase phrase for messages.
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Empty => "is empty",
            Self::NotAbsolute => "is not an absolute uri (no scheme)",
            Self::BadCharacter => "contains a character that is not allowed in a uri",
            Self::BadPercentEncoding => "has a malformed percent-encoding",
            Self::BadPort => "has a non-numeric port",
            Self::BadHost => "has a malformed ip literal host",
            Self::MissingHost => "has no host",
        }
    }
}

const fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}
const fn is_sub_delim(b: u8) -> bool {
    matches!(b, b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=')
}
const fn is_pchar(b: u8) -> bool {
    is_unreserved(b) || is_sub_delim(b) || matches!(b, b':' | b'@')
}

/// Checks that every byte is allowed by `ok` or is part of a valid `%XX`.
fn check_chars(s: &str, ok: impl Fn(u8) -> bool) -> Result<(), UriError> {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            match (b.get(i + 1), b.get(i + 2)) {
                (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => i += 3,
                _ => return Err(UriError::BadPercentEncoding),
            }
        } else if ok(c) {
            i += 1;
        } else {
            return Err(UriError::BadCharacter);
        }
    }
    Ok(())
}

/// `str::split_once` for an ASCII byte, without the `memchr` set-up cost
/// that dominates on short strings (URIs here are tens of bytes).
fn split_at_byte(s: &str, b: u8) -> Option<(&str, &str)> {
    let i = s.bytes().position(|c| c == b)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// `str::rsplit_once` for an ASCII byte.
fn rsplit_at_byte(s: &str, b: u8) -> Option<(&str, &str)> {
    let i = s.bytes().rposition(|c| c == b)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

impl<'a> Uri<'a> {
    /// Parses an absolute URI (RFC 3986 §4.3 `absolute-URI`, plus an optional fragment).
    ///
    /// # Errors
    /// The first problem found.
    pub fn parse(s: &'a str) -> Result<Self, UriError> {
        if s.is_empty() {
            return Err(UriError::Empty);
        }
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
        let colon = s.bytes().position(|c| c == b':').ok_or(UriError::NotAbsolute)?;
        let scheme = s.get(..colon).ok_or(UriError::NotAbsolute)?;
        let mut sb = scheme.bytes();
        match sb.next() {
            Some(c) if c.is_ascii_alphabetic() => {}
            _ => return Err(UriError::NotAbsolute),
        }
        if !sb.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')) {
            return Err(UriError::NotAbsolute);
        }
        let rest = s.get(colon + 1..).unwrap_or("");
        let (rest, fragment) = match split_at_byte(rest, b'#') {
            Some((a, f)) => (a, Some(f)),
            None => (rest, None),
        };
        let (hier, query) = match split_at_byte(rest, b'?') {
            Some((a, q)) => (a, Some(q)),
            None => (rest, None),
        };
        let (authority, path) = match hier.strip_prefix("//") {
            Some(after) => {
                let end = after.bytes().position(|c| c == b'/').unwrap_or(after.len());
                let (auth, path) = after.split_at(end);
                (Some(parse_authority(auth)?), path)
            }
            None => (None, hier),
        };
        // RFC 9110 §4.2.1, §4.2.2: an http(s) URI with an empty host is
        // invalid and a recipient must reject it (`https:///cb`, `https:cb`).
        let web = scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http");
        if web && authority.is_none_or(|a| a.host.is_empty()) {
            return Err(UriError::MissingHost);
        }
        check_chars(path, |c| is_pchar(c) || c == b'/')?;
        if let Some(q) = query {
            check_chars(q, |c| is_pchar(c) || matches!(c, b'/' | b'?'))?;
        }
        if let Some(f) = fragment {
            check_chars(f, |c| is_pchar(c) || matches!(c, b'/' | b'?'))?;
        }
        Ok(Uri { scheme, authority, path, query, fragment })
    }

    /// Case-insensitive scheme comparison (RFC 3986 §3.1).
    #[must_use]
    pub fn scheme_is(&self, name: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(name)
    }

    /// `http` or `https`.
    #[must_use]
    pub fn is_web(&self) -> bool {
        self.scheme_is("https") || self.scheme_is("http")
    }

    /// The host, lowercased, brackets kept (`[::1]`); `""` without authority.
    #[must_use]
    pub fn host_lower(&self) -> String {
        self.authority.map(|a| a.host.to_ascii_lowercase()).unwrap_or_default()
    }

    /// True for the loopback hosts RFC 8252 §7.3 / OIDC DCR errata 2 name:
    /// `localhost`, `127.0.0.1`, `[::1]`.
    #[must_use]
    pub fn is_loopback(&self) -> bool {
        let h = self.host_lower();
        h == "localhost" || h == "127.0.0.1" || h == "[::1]"
    }

    /// The effective port for `http`/`https` (explicit, else 80/443).
    #[must_use]
    pub fn port_or_default(&self) -> Option<u32> {
        let explicit = self.authority.and_then(|a| a.port).filter(|p| !p.is_empty());
        match explicit {
            Some(p) => p.parse().ok(),
            None if self.scheme_is("https") => Some(443),
            None if self.scheme_is("http") => Some(80),
            None => None,
        }
    }
}

fn parse_authority(auth: &str) -> Result<Authority<'_>, UriError> {
    let (userinfo, hostport) = match rsplit_at_byte(auth, b'@') {
        Some((u, h)) => {
            check_chars(u, |c| is_unreserved(c) || is_sub_delim(c) || c == b':')?;
            (Some(u), h)
        }
        None => (None, auth),
    };
    let (host, port) = if hostport.starts_with('[') {
        let close = hostport.find(']').ok_or(UriError::BadHost)?;
        let host = hostport.get(..=close).ok_or(UriError::BadHost)?;
        let inner = host.get(1..close).unwrap_or("");
        let ok = if let Some(v) = inner.strip_prefix(['v', 'V']) {
            // IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
            v.split_once('.').is_some_and(|(h, r)| {
                !h.is_empty()
                    && h.bytes().all(|c| c.is_ascii_hexdigit())
                    && !r.is_empty()
                    && r.bytes().all(|c| is_unreserved(c) || is_sub_delim(c) || c == b':')
            })
        } else {
            inner.parse::<core::net::Ipv6Addr>().is_ok()
        };
        if !ok {
            return Err(UriError::BadHost);
        }
        let after = hostport.get(close + 1..).unwrap_or("");
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return Err(UriError::BadHost),
        };
        (host, port)
    } else {
        match rsplit_at_byte(hostport, b':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    if !host.starts_with('[') {
        check_chars(host, |c| is_unreserved(c) || is_sub_delim(c))?;
    }
    if let Some(p) = port
        && !p.bytes().all(|c| c.is_ascii_digit())
    {
        return Err(UriError::BadPort);
    }
    Ok(Authority { userinfo, host, port })
}

/// A DNS name: dot-separated labels of letters, digits and hyphens, 1–63
/// octets each, 253 in total, no leading/trailing hyphen (RFC 1123 §2.1).
/// A leading `*.` wildcard label is refused.
#[must_use]
pub fn is_dns_name(s: &str) -> bool {
    let s = s.strip_suffix('.').unwrap_or(s);
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
        })
}

/// A pragmatic e-mail address check: one `@`, a non-empty local part
/// without spaces or control characters, and a DNS-name domain.
#[must_use]
pub fn is_email(s: &str) -> bool {
    match s.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && local.len() <= 64
                && !local.contains('@')
                && local.chars().all(|c| !c.is_whitespace() && !c.is_control())
                && is_dns_name(domain)
                && domain.contains('.')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_components() {
        let u = Uri::parse("https://user:pw@Example.com:8443/a/b?x=1&y#frag").unwrap();
        assert_eq!(u.scheme, "https");
        let a = u.authority.unwrap();
        assert_eq!((a.userinfo, a.host, a.port), (Some("user:pw"), "Example.com", Some("8443")));
        assert_eq!((u.path, u.query, u.fragment), ("/a/b", Some("x=1&y"), Some("frag")));
        assert_eq!(u.host_lower(), "example.com");
        assert_eq!(u.port_or_default(), Some(8443));
    }

    #[test]
    fn private_use_and_ip_literals() {
        let u = Uri::parse("com.example.app:/oauth2redirect").unwrap();
        assert!(u.authority.is_none());
        assert_eq!(u.path, "/oauth2redirect");
        let u = Uri::parse("http://[::1]:5000/cb").unwrap();
        assert!(u.is_loopback());
        assert_eq!(u.port_or_default(), Some(5000));
        assert!(Uri::parse("http://127.0.0.1/cb").unwrap().is_loopback());
        assert!(Uri::parse("http://LocalHost/cb").unwrap().is_loopback());
        assert!(!Uri::parse("http://localhost.evil.com/cb").unwrap().is_loopback());
        assert_eq!(Uri::parse("urn:ietf:params:oauth:grant-type:jwt-bearer").unwrap().path, "ietf:params:oauth:grant-type:jwt-bearer");
    }

    #[test]
    fn refuses_non_uris() {
        assert_eq!(Uri::parse(""), Err(UriError::Empty));
        assert_eq!(Uri::parse("/cb"), Err(UriError::NotAbsolute));
        assert_eq!(Uri::parse("1http://a"), Err(UriError::NotAbsolute));
        assert_eq!(Uri::parse("://a"), Err(UriError::NotAbsolute));
        assert_eq!(Uri::parse("https://a b/"), Err(UriError::BadCharacter));
        assert_eq!(Uri::parse("https://a/é"), Err(UriError::BadCharacter));
        assert_eq!(Uri::parse("https://a/%zz"), Err(UriError::BadPercentEncoding));
        assert_eq!(Uri::parse("https://a:8x/"), Err(UriError::BadPort));
        assert_eq!(Uri::parse("https://[::1/"), Err(UriError::BadHost));
        assert_eq!(Uri::parse("https://[nope]/"), Err(UriError::BadHost));
        assert_eq!(Uri::parse("https://a/<script>"), Err(UriError::BadCharacter));
        assert!(Uri::parse("https://a/#").unwrap().fragment == Some(""));
        for s in ["https:///cb", "https:/cb", "https:cb", "HTTP://:80/", "https://u@/cb", "http:"] {
            assert_eq!(Uri::parse(s), Err(UriError::MissingHost), "{s}");
        }
        assert!(Uri::parse("com.example.app:/cb").is_ok(), "only http(s) need a host");
    }

    #[test]
    fn dns_and_email() {
        assert!(is_dns_name("client.example.com"));
        assert!(!is_dns_name("-bad.example"));
        assert!(!is_dns_name("*.example.com"));
        assert!(!is_dns_name(""));
        assert!(is_email("ops@example.com"));
        assert!(!is_email("ops@"));
        assert!(!is_email("ops example.com"));
        assert!(!is_email("a b@example.com"));
    }
}
