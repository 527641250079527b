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

/// Fields whose URIs the provider fetches or calls server-side.
pub const FETCHED: [&str; 5] =
    ["jwks_uri", "sector_identifier_uri", "request_uris", "backchannel_logout_uri", "backchannel_client_notification_endpoint"];

/// Runs the rule.
pub fn check(client: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    let level = policy.checks.internal_fetch_targets;
    for field in FETCHED {
        match client.get(field) {
            Some(Value::String(s)) => check_one(field, None, s, level, report),
            Some(Value::Array(a)) => {
                for (i, v) in a.iter().enumerate() {
                    if let Some(s) = v.as_str() {
                        check_one(field, Some(i), s, level, report);
                    }
                }
            }
            _ => {}
        }
    }
}

fn check_one(field: &str, index: Option<usize>, uri: &str, level: crate::metadata::checks::Level, report: &mut Report) {
    let Ok(parsed) = Uri::parse(uri) else { return };
    let Some(authority) = parsed.authority else { return };
    // Lowercased only when it could matter: an internal host is a name
    // ending in a letter (`localhost`, `.internal`, `.local`) or an IP literal.
    let host = authority.host;
    if !host.bytes().any(|b| b.is_ascii_uppercase()) && !is_internal_host(host) {
        return;
    }
    let host = host.to_ascii_lowercase();
    if is_internal_host(&host) {
        let path = match index {
            Some(i) => crate::pointer::item(field, i),
            None => crate::pointer::field(field),
        };
        at_level(
            report,
            level,
            ErrorCode::InvalidClientMetadata,
            "DCR-SSRF-01",
            path,
            format!("`{field}` names an internal host (`{}`) the provider would fetch from", super::show(&host).trim_matches('`')),
        );
    }
}

/// True for hosts inside the provider's own network (see module docs).
#[must_use]
pub fn is_internal_host(host: &str) -> bool {
    let h = host.trim_end_matches('.');
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
    h.parse::<Ipv4Addr>().is_ok_and(internal_v4)
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
    let first = ip.segments().first().copied().unwrap_or(0);
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
        ] {
            assert!(is_internal_host(h), "{h}");
        }
        for h in ["example.com", "8.8.8.8", "[2606:4700::1111]", "172.32.0.1", "100.128.0.1", "localhost.example.com"] {
            assert!(!is_internal_host(h), "{h}");
        }
    }
}
