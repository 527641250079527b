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
    /// The port is not all digits, or is over 65535 (RFC 3986 §3.2.3 allows
    /// any digits, but a TCP port is 16 bits: the WHATWG URL parser, and so
    /// every browser a redirect goes through, refuses a larger one).
    BadPort,
    /// An IP literal (`[...]`) is malformed.
    BadHost,
    /// An `http` / `https` URI without a host (`https:///cb`, `https:cb`).
    MissingHost,
    /// An `http` / `https` URI with a userinfo component
    /// (`https://app.example.com@evil.example/cb`).
    UserInfo,
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
            Self::BadPort => "has a port that is not a number from 0 to 65535",
            Self::BadHost => "has a malformed ip literal host",
            Self::MissingHost => "has no host",
            Self::UserInfo => "carries a userinfo component (`user@`), which http(s) uris must not",
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

// Character classes of RFC 3986 §2–3, one bit each, looked up in a table
// built at compile time (the per-byte `matches!` chains cost ~40
// instructions per URI byte on the metadata hot path).
const SCHEME: u8 = 1; // ALPHA / DIGIT / "+" / "-" / "."
const HOST: u8 = 2; // unreserved / sub-delims (reg-name)
const USERINFO: u8 = 4; // unreserved / sub-delims / ":"
const PATH: u8 = 8; // pchar / "/"
const QUERY: u8 = 16; // pchar / "/" / "?" (query and fragment)

const fn class_of(b: u8) -> u8 {
    let mut c = 0;
    if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.') {
        c |= SCHEME;
    }
    if is_unreserved(b) || is_sub_delim(b) {
        c |= HOST | USERINFO;
    }
    if b == b':' {
        c |= USERINFO;
    }
    if is_pchar(b) || b == b'/' {
        c |= PATH | QUERY;
    }
    if b == b'?' {
        c |= QUERY;
    }
    c
}

// Evaluated by the compiler: an index out of range fails the build, never a request.
#[allow(clippy::indexing_slicing)]
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = class_of(i as u8);
        i += 1;
    }
    t
};

fn class(b: u8) -> u8 {
    CLASS.get(usize::from(b)).copied().unwrap_or(0)
}

/// Checks that every byte is in class `mask` or is part of a valid `%XX`.
fn check_chars(s: &str, mask: u8) -> Result<(), UriError> {
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if class(c) & mask != 0 {
            i += 1;
        } else if c == b'%' {
            match (b.get(i + 1), b.get(i + 2)) {
                (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => i += 3,
                _ => return Err(UriError::BadPercentEncoding),
            }
        } else {
            return Err(UriError::BadCharacter);
        }
    }
    Ok(())
}

/// `str::rsplit_once` for an ASCII byte, without the `memchr` set-up cost
/// that dominates on short strings (URIs here are tens of bytes).
fn rsplit_at_byte(s: &str, b: u8) -> Option<(&str, &str)> {
    let i = s.bytes().rposition(|c| c == b)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// From `from`, skips bytes of class `mask` and valid `%XX` escapes; stops
/// at the first `?` or `#` (component delimiters: neither is in the `PATH`
/// class, and only `#` ends a query) and returns its index (`s.len()` at
/// the end). Any other byte is an error, as in [`check_chars`].
fn scan(s: &str, from: usize, mask: u8) -> Result<usize, UriError> {
    let b = s.as_bytes();
    let mut i = from;
    while let Some(&c) = b.get(i) {
        if class(c) & mask != 0 {
            i += 1;
        } else if c == b'%' {
            match (b.get(i + 1), b.get(i + 2)) {
                (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => i += 3,
                _ => return Err(UriError::BadPercentEncoding),
            }
        } else if c == b'?' || c == b'#' {
            return Ok(i);
        } else {
            return Err(UriError::BadCharacter);
        }
    }
    Ok(i)
}

/// Splits `//`-stripped text into the parsed authority (up to the first
/// `/`, `?` or `#`) and the rest. The usual authority is a bare host of
/// reg-name characters: that is decided in the same pass that finds its
/// end, and only an authority with a userinfo, port, IP literal or
/// percent-escape goes through [`parse_authority`].
fn split_authority(after: &str) -> (Result<Authority<'_>, UriError>, &str) {
    let b = after.as_bytes();
    let mut bare = true;
    let mut end = b.len();
    for (i, &c) in b.iter().enumerate() {
        if class(c) & HOST == 0 {
            if c == b'/' || c == b'?' || c == b'#' {
                end = i;
                break;
            }
            bare = false;
        }
    }
    let (auth, tail) = (after.get(..end).unwrap_or(""), after.get(end..).unwrap_or(""));
    if bare { (Ok(Authority { userinfo: None, host: auth, port: None }), tail) } else { (parse_authority(auth), tail) }
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
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), up to the first `:`.
        // `:` is not a scheme character, so the scheme is well-formed exactly
        // when the scheme characters run from a leading letter up to a `:`.
        let bytes = s.as_bytes();
        if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
            return Err(UriError::NotAbsolute);
        }
        let colon = bytes.iter().position(|&c| class(c) & SCHEME == 0).unwrap_or(bytes.len());
        if bytes.get(colon) != Some(&b':') {
            return Err(UriError::NotAbsolute);
        }
        let scheme = s.get(..colon).ok_or(UriError::NotAbsolute)?;
        let rest = s.get(colon + 1..).unwrap_or("");
        // One pass per component (this runs for every URI-valued member).
        // The authority ends at the first `/`, `?` or `#`; the path at the
        // first `?` or `#`; the query at the first `#` (a `?` after the `#`
        // is fragment text). Errors come in the order of the components:
        // authority, then a missing http(s) host, then path, query, fragment.
        let (authority, tail) = match rest.strip_prefix("//") {
            Some(after) => {
                let (auth, tail) = split_authority(after);
                (Some(auth?), tail)
            }
            None => (None, rest),
        };
        // RFC 9110 §4.2.1, §4.2.2: an http(s) URI with an empty host is
        // invalid and a recipient must reject it (`https:///cb`, `https:cb`).
        let web = scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("http");
        if web && authority.is_none_or(|a| a.host.is_empty()) {
            return Err(UriError::MissingHost);
        }
        // RFC 9110 §4.2.4: senders must not generate userinfo in http(s) URIs, and a
        // recipient should treat it as an error: it is used to disguise the authority
        // for phishing (`https://app.example.com@evil.example/cb` goes to evil.example).
        if web && authority.is_some_and(|a| a.userinfo.is_some()) {
            return Err(UriError::UserInfo);
        }
        let path_end = scan(tail, 0, PATH)?;
        let path = tail.get(..path_end).unwrap_or("");
        let (query, fragment_at) = match tail.as_bytes().get(path_end) {
            Some(b'?') => {
                let end = scan(tail, path_end + 1, QUERY)?;
                (tail.get(path_end + 1..end), end)
            }
            _ => (None, path_end),
        };
        let fragment = match tail.as_bytes().get(fragment_at) {
            Some(b'#') => {
                let from = fragment_at + 1;
                let end = scan(tail, from, QUERY)?;
                // `#` is not a fragment character: the fragment runs to the end or is refused.
                if end < tail.len() {
                    return Err(UriError::BadCharacter);
                }
                tail.get(from..)
            }
            _ => None,
        };
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

    /// Case-insensitive host comparison; `""` without authority.
    #[must_use]
    pub fn host_is(&self, name: &str) -> bool {
        self.authority.map_or("", |a| a.host).eq_ignore_ascii_case(name)
    }

    /// True for the loopback hosts RFC 8252 §7.3 / OIDC DCR errata 2 name:
    /// `localhost`, `127.0.0.1`, `[::1]`.
    #[must_use]
    pub fn is_loopback(&self) -> bool {
        self.host_is("localhost") || self.host_is("127.0.0.1") || self.host_is("[::1]")
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
            check_chars(u, USERINFO)?;
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
        check_chars(host, HOST)?;
    }
    if let Some(p) = port
        && (!p.bytes().all(|c| c.is_ascii_digit()) || p.trim_start_matches('0').len() > 5 || p.parse::<u32>().is_ok_and(|n| n > 65535))
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
    // Labels split on the byte `.` (a closure split: no searcher set-up per label).
    !s.is_empty()
        && s.len() <= 253
        && s.as_bytes().split(|&c| c == b'.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.first() != Some(&b'-')
                && l.last() != Some(&b'-')
                && l.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        })
}

/// A pragmatic e-mail address check: one `@`, a non-empty local part
/// without spaces or control characters, and a DNS-name domain.
#[must_use]
pub fn is_email(s: &str) -> bool {
    // Split at the last `@` (an ASCII byte, so both sides are whole characters).
    let Some(at) = s.bytes().rposition(|c| c == b'@') else { return false };
    let (Some(local), Some(domain)) = (s.get(..at), s.get(at + 1..)) else { return false };
    // Without whitespace or control characters; for ASCII that is every
    // byte above the space except DEL, decided without decoding characters.
    let printable = if local.is_ascii() {
        local.bytes().all(|c| c > b' ' && c != 0x7f)
    } else {
        local.chars().all(|c| !c.is_whitespace() && !c.is_control())
    };
    !local.is_empty()
        && local.len() <= 64
        && !local.bytes().any(|c| c == b'@')
        && printable
        && is_dns_name(domain)
        && domain.bytes().any(|c| c == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_components() {
        let u = Uri::parse("wss://user:pw@Example.com:8443/a/b?x=1&y#frag").unwrap();
        assert_eq!(u.scheme, "wss");
        let a = u.authority.unwrap();
        assert_eq!((a.userinfo, a.host, a.port), (Some("user:pw"), "Example.com", Some("8443")));
        assert_eq!((u.path, u.query, u.fragment), ("/a/b", Some("x=1&y"), Some("frag")));
        assert_eq!(u.host_lower(), "example.com");
        assert_eq!(u.port_or_default(), Some(8443));
    }

    #[test]
    fn web_uris_carry_no_userinfo() {
        // RFC 9110 §4.2.4
        for s in
            ["https://app.example.com@evil.example/cb", "http://user:pw@example.com/", "HTTPS://@example.com/", "https://a%40b@example.com"]
        {
            assert_eq!(Uri::parse(s), Err(UriError::UserInfo), "{s}");
        }
        // `@` after the authority is not userinfo
        assert!(Uri::parse("https://example.com/cb?next=a@b").is_ok());
        assert!(Uri::parse("https://example.com/@user").is_ok());
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
        assert_eq!(Uri::parse("https://a:65536/"), Err(UriError::BadPort));
        assert_eq!(Uri::parse("https://a:99999999999999999999999/"), Err(UriError::BadPort));
        assert_eq!(Uri::parse("https://a:65535/").map(|u| u.port_or_default()), Ok(Some(65535)));
        assert_eq!(Uri::parse("https://a:000443/").map(|u| u.port_or_default()), Ok(Some(443)));
        assert_eq!(Uri::parse("https://a:/").map(|u| u.port_or_default()), Ok(Some(443)));
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
    fn character_classes_are_rfc3986_sets() {
        let alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let unreserved = format!("{alnum}-._~");
        let host = format!("{unreserved}!$&'()*+,;=");
        let path = format!("{host}:@/");
        for b in 0..=255u8 {
            let c = char::from(b);
            let has = |set: &str| b < 0x80 && set.contains(c);
            assert_eq!(class(b) & SCHEME != 0, has(&format!("{alnum}+-.")), "scheme {b:#x}");
            assert_eq!(class(b) & HOST != 0, has(&host), "host {b:#x}");
            assert_eq!(class(b) & USERINFO != 0, has(&format!("{host}:")), "userinfo {b:#x}");
            assert_eq!(class(b) & PATH != 0, has(&path), "path {b:#x}");
            assert_eq!(class(b) & QUERY != 0, has(&format!("{path}?")), "query {b:#x}");
        }
        assert_eq!(Uri::parse("a+b.c-d:x").map(|u| u.scheme), Ok("a+b.c-d"));
        assert_eq!(Uri::parse("ab/c:d"), Err(UriError::NotAbsolute));
        let u = Uri::parse("https://h/p#f?x").unwrap();
        assert_eq!((u.query, u.fragment), (None, Some("f?x")));
        let u = Uri::parse("https://h/p?q?r#f#g");
        assert_eq!(u, Err(UriError::BadCharacter), "a second `#` is not fragment text");
        let u = Uri::parse("https://h/p?q?r#f").unwrap();
        assert_eq!((u.path, u.query, u.fragment), ("/p", Some("q?r"), Some("f")));
        assert!(Uri::parse("http://LOCALHOST:1/").unwrap().host_is("localhost"));
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

    /// The component-at-a-time reader this module had before the one-pass
    /// scan: the new reader must agree with it on every input (the same
    /// split and the same first error).
    fn reference_parse(s: &str) -> Result<Uri<'_>, UriError> {
        if s.is_empty() {
            return Err(UriError::Empty);
        }
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), up to the first `:`.
        // `:` is not a scheme character, so the scheme is well-formed exactly
        // when the scheme characters run from a leading letter up to a `:`.
        let bytes = s.as_bytes();
        if !bytes.first().is_some_and(u8::is_ascii_alphabetic) {
            return Err(UriError::NotAbsolute);
        }
        let colon = bytes.iter().position(|&c| class(c) & SCHEME == 0).unwrap_or(bytes.len());
        if bytes.get(colon) != Some(&b':') {
            return Err(UriError::NotAbsolute);
        }
        let scheme = s.get(..colon).ok_or(UriError::NotAbsolute)?;
        let rest = s.get(colon + 1..).unwrap_or("");
        // One scan for the first `?` and the first `#` (a `?` after the `#` is fragment text).
        let (mut q, mut f) = (None, None);
        for (i, &c) in rest.as_bytes().iter().enumerate() {
            if c == b'#' {
                f = Some(i);
                break;
            }
            if c == b'?' && q.is_none() {
                q = Some(i);
            }
        }
        let (rest, fragment) = match f {
            Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i + 1..)),
            None => (rest, None),
        };
        let (hier, query) = match q {
            Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i + 1..)),
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
        // RFC 9110 §4.2.4 (as in `Uri::parse`).
        if web && authority.is_some_and(|a| a.userinfo.is_some()) {
            return Err(UriError::UserInfo);
        }
        check_chars(path, PATH)?;
        if let Some(q) = query {
            check_chars(q, QUERY)?;
        }
        if let Some(f) = fragment {
            check_chars(f, QUERY)?;
        }
        Ok(Uri { scheme, authority, path, query, fragment })
    }

    #[test]
    fn one_pass_reader_agrees_with_the_reference() {
        // Every string up to 4 bytes over an alphabet of delimiters and
        // class edges, after a few prefixes; plus a deterministic random walk
        // over longer strings.
        let alphabet: &[&str] = &["a", "/", "?", "#", "%", "1", "f", ":", "@", "[", "]", " ", "é", "v", "."];
        let prefixes = ["", "https:", "https://", "http://h", "x:", "https://u@h:1", "https://[::1]", "mailto:"];
        let mut n = 0;
        let mut check = |s: &str| {
            assert_eq!(Uri::parse(s), reference_parse(s), "{s:?}");
            n += 1;
        };
        for p in prefixes {
            let mut frontier = vec![p.to_owned()];
            for _ in 0..4 {
                let mut next = Vec::new();
                for base in &frontier {
                    for a in alphabet {
                        let s = format!("{base}{a}");
                        check(&s);
                        next.push(s);
                    }
                }
                frontier = next;
            }
        }
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            let mut s = String::from(prefixes[(state % prefixes.len() as u64) as usize]);
            for _ in 0..(state >> 8) % 24 {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                s.push_str(alphabet[((state >> 33) % alphabet.len() as u64) as usize]);
            }
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            check(&s);
        }
        assert!(n > 400_000);
    }

    #[test]
    fn email_and_dns_name_agree_with_their_definitions() {
        // The definitions, written with the general string searchers.
        fn dns(s: &str) -> bool {
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
        fn email(s: &str) -> bool {
            s.rsplit_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && local.len() <= 64
                    && !local.contains('@')
                    && local.chars().all(|c| !c.is_whitespace() && !c.is_control())
                    && dns(domain)
                    && domain.contains('.')
            })
        }
        let alphabet: &[&str] = &["a", "-", ".", "@", " ", "\t", "\u{7f}", "\u{a0}", "\u{85}", "é", "1", "!"];
        let mut frontier = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for base in &frontier {
                for a in alphabet {
                    let s = format!("{base}{a}");
                    assert_eq!(is_email(&s), email(&s), "{s:?}");
                    assert_eq!(is_dns_name(&s), dns(&s), "{s:?}");
                    next.push(s);
                }
            }
            frontier = next;
        }
        for s in ["ops@example.com", "a@b.c", &format!("{}@x.com", "l".repeat(65)), &format!("a@{}.com", "d".repeat(64))] {
            assert_eq!(is_email(s), email(s), "{s}");
            assert_eq!(is_dns_name(s), dns(s), "{s}");
        }
    }
}
