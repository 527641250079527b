//! DCR-SSRF-01 (project rule, not in the spec digest): URIs that the
//! provider itself dereferences or calls must not point inside its own
//! network. A registration is an unauthenticated way to make the provider
//! send requests (peer advisories: SSRF through `request_uris`,
//! `jwks_uri`, `sector_identifier_uri` and logout / CIBA callbacks in OIDC
//! providers). The module never fetches; the host does, later — so the
//! check happens here, at registration, where the client can be told.
//!
//! Only literal hosts are judged (IP literals in loopback, private,
//! link-local, unique-local, CGNAT, unspecified, multicast or documentation
//! ranges; `localhost`, `*.localhost`, `*.internal`, `*.local`). A DNS name
//! that *resolves* inside the network is the host's to refuse at fetch time
//! (resolve, then check the address) — say so in the host guide.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde_json::{Map, Value};

use super::at_level;
use crate::error::{ErrorCode, Report};
use crate::metadata::uri::Uri;
use crate::policy::Policy;

/// Fields whose URIs the provider fetches or calls server-side. `logo_uri`
/// (and its language-tagged variants) is here because some providers fetch
/// it to proxy or cache the image (MITREid Connect CVE-2021-26715: SSRF
/// through `logo_uri`); a logo on an internal host is never displayable anyway.
pub const FETCHED: [&str; 6] =
    ["jwks_uri", "sector_identifier_uri", "request_uris", "backchannel_logout_uri", "backchannel_client_notification_endpoint", "logo_uri"];

/// Runs the rule.
pub fn check(client: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    let level = policy.checks.internal_fetch_targets;
    // One pass over the members finds all six (a hashed lookup each costs more).
    let values = crate::metadata::get_many(client, FETCHED);
    for (field, value) in FETCHED.into_iter().zip(values) {
        match value {
            Some(Value::String(s)) => check_one(field, || crate::pointer::field(field), s, level, report),
            Some(Value::Array(a)) => {
                for (i, v) in a.iter().enumerate() {
                    if let Some(s) = v.as_str() {
                        check_one(field, || crate::pointer::item(field, i), s, level, report);
                    }
                }
            }
            _ => {}
        }
        if field == "logo_uri" {
            // RFC7591-I18N-04: tagged variants obey the base field's rules.
            // (`logo_uri#…`: the name before its first `#` is `logo_uri`.)
            for (k, v) in client.iter().filter(|(k, _)| k.starts_with("logo_uri#")) {
                if let Some(s) = v.as_str() {
                    check_one(field, || crate::pointer::field(k), s, level, report);
                }
            }
        }
    }
}

/// One URI: a finding (its path built only then) when the host is internal.
fn check_one(field: &str, path: impl FnOnce() -> String, uri: &str, level: crate::metadata::checks::Level, report: &mut Report) {
    let Ok(parsed) = Uri::parse(uri) else { return };
    let Some(authority) = parsed.authority else { return };
    if !is_internal_host(authority.host) {
        return;
    }
    let host = authority.host.to_ascii_lowercase();
    at_level(
        report,
        level,
        ErrorCode::InvalidClientMetadata,
        "DCR-SSRF-01",
        path(),
        format!("`{field}` names an internal host (`{}`) the provider would fetch from", super::show(&host).trim_matches('`')),
    );
}

/// True for hosts inside the provider's own network (see module docs).
///
/// The host is judged the way the host's HTTP client will read it (WHATWG
/// URL, as in Node's `fetch`): percent-encoding is decoded, case is folded,
/// and IPv4 may be written in decimal, octal or hex with 1–4 parts
/// (`2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1` are all 127.0.0.1).
#[must_use]
pub fn is_internal_host(host: &str) -> bool {
    let decoded = percent_decode_lower(host);
    let h = decoded.trim_end_matches('.');
    if h.is_empty() {
        return false;
    }
    if h == "localhost" || h.ends_with(".localhost") || h.ends_with(".internal") || h.ends_with(".local") {
        return true;
    }
    if let Some(v6) = h.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        let v6 = v6.split('%').next().unwrap_or(v6);
        return v6.parse::<Ipv6Addr>().is_ok_and(internal_v6);
    }
    whatwg_ipv4(h).is_some_and(internal_v4)
}

/// `%XX` decoded and ASCII-lowercased; undecodable input is kept as written.
/// Borrowed when there is nothing to change (the usual host on the hot path).
fn percent_decode_lower(host: &str) -> std::borrow::Cow<'_, str> {
    if !host.contains('%') {
        return if host.bytes().any(|b| b.is_ascii_uppercase()) {
            std::borrow::Cow::Owned(host.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(host)
        };
    }
    let b = host.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let hex = |j: usize| b.get(j).and_then(|d| char::from(*d).to_digit(16));
        match (c, hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push(u8::try_from(h * 16 + l).unwrap_or(0));
                i += 3;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    std::borrow::Cow::Owned(String::from_utf8(out).map_or_else(|_| host.to_ascii_lowercase(), |s| s.to_ascii_lowercase()))
}

/// The WHATWG URL "IPv4 parser": 1–4 dot-separated numbers, each decimal,
/// `0x` hex or leading-`0` octal; the last part fills the remaining bytes.
/// `None` when the host is not written as numbers (a DNS name).
fn whatwg_ipv4(h: &str) -> Option<Ipv4Addr> {
    // Every part below must parse as a decimal, octal or hex number (with an
    // optional leading `+`, which `from_str_radix` takes): a host with any
    // other byte is a name, decided without splitting it (the usual case).
    if !h.bytes().all(|c| c.is_ascii_hexdigit() || matches!(c, b'.' | b'x' | b'X' | b'+')) {
        return None;
    }
    let parts: Vec<&str> = h.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(parts.len());
    for p in &parts {
        let (digits, radix) = if let Some(x) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            (x, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (p.get(1..).unwrap_or(""), 8)
        } else {
            (*p, 10)
        };
        if p.is_empty() {
            return None;
        }
        let n = if digits.is_empty() { 0 } else { u64::from_str_radix(digits, radix).ok()? };
        nums.push(n);
    }
    let (last, init) = nums.split_last()?;
    if init.iter().any(|n| *n > 255) {
        return None;
    }
    let rest_bits = 8 * (4 - u32::try_from(init.len()).ok()?);
    if *last >= 1u64 << rest_bits {
        return None;
    }
    let mut v: u64 = 0;
    for (i, n) in init.iter().enumerate() {
        v |= n << (24 - 8 * u32::try_from(i).ok()?);
    }
    Some(Ipv4Addr::from(u32::try_from(v | last).ok()?))
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..=127).contains(&b)) // RFC 6598 CGNAT
        || (a == 198 && (b == 18 || b == 19)) // RFC 2544 benchmarking
        || a >= 240
}

fn internal_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return internal_v4(v4);
    }
    let s = ip.segments();
    let embedded = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    // ::a.b.c.d (IPv4-compatible, deprecated) and 64:ff9b::a.b.c.d (NAT64, RFC 6052)
    // reach the embedded IPv4 address on stacks that translate them.
    if let [a, b, c, d, e, f, hi, lo] = s
        && ((a | b | c | d | e | f) == 0 || (a == 0x64 && b == 0xff9b && (c | d | e | f) == 0))
        && !ip.is_loopback()
        && !ip.is_unspecified()
    {
        return internal_v4(embedded(hi, lo));
    }
    // 2002:a.b.c.d::/48 (6to4, RFC 3056)
    if let [0x2002, hi, lo, ..] = s
        && internal_v4(embedded(hi, lo))
    {
        return true;
    }
    let first = s.first().copied().unwrap_or(0);
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // fc00::/7 unique local
        || (first & 0xffc0) == 0xfe80 // fe80::/10 link local
        || (first & 0xffc0) == 0xfec0 // fec0::/10 site local (deprecated)
        || first == 0x2001 && ip.segments().get(1) == Some(&0x0db8) // documentation
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dcr_ssrf_01_internal_hosts() {
        for h in [
            "localhost",
            "a.localhost",
            "metadata.google.internal",
            "printer.local",
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "[::1]",
            "[fd00::1]",
            "[fe80::1%eth0]",
            "[::ffff:127.0.0.1]",
            "255.255.255.255",
            "2130706433",
            "0177.0.0.1",
            "0x7f.0.0.1",
            "0x7F000001",
            "127.1",
            "0",
            "0x",
            "%6c%6f%63%61%6c%68%6f%73%74",
            "%31%32%37.0.0.1",
            "[::127.0.0.1]",
            "[64:ff9b::a9fe:a9fe]",
            "[2002:7f00:1::]",
        ] {
            assert!(is_internal_host(h), "{h}");
        }
        for h in [
            "example.com",
            "8.8.8.8",
            "[2606:4700::1111]",
            "172.32.0.1",
            "100.128.0.1",
            "localhost.example.com",
            "134744072",
            "0x7f.example.com",
            "1.2.3.4.5",
            "127.0.0.1.example.com",
            "[::8.8.8.8]",
            "256.1.1.1",
        ] {
            assert!(!is_internal_host(h), "{h}");
        }
    }

    #[test]
    fn dcr_ssrf_01_name_prefilter_changes_no_answer() {
        // Hosts that pass the byte prefilter of `whatwg_ipv4` are parsed as
        // before; `+` is a byte `from_str_radix` accepts, so it must pass.
        assert_eq!(whatwg_ipv4("+127.0.0.1"), Some(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(whatwg_ipv4("0x7f.+1"), Some(Ipv4Addr::new(127, 0, 0, 1)));
        assert!(is_internal_host("+127.1"));
        assert_eq!(whatwg_ipv4("ab.cd"), None);
        assert_eq!(whatwg_ipv4("app.example.com"), None);
        assert_eq!(whatwg_ipv4("1.2.3.g"), None);
    }
}
