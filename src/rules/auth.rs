//! Client authentication (RFC 7591 §2, §5; OIDC DCR §2; RFC 8705 §2, §3.4),
//! sender-constrained tokens (RFC 9449 §5.2) and JAR (RFC 9101 §10.5).

use super::{is_hmac_alg, meta, show};
use crate::error::Report;
use crate::metadata::checks::StrayFields;
use crate::metadata::model::MetadataView;
use crate::metadata::uri::{Uri, is_dns_name, is_email};
use crate::policy::Policy;

/// Token endpoint auth methods in the IANA registry (RFC 7591 §4.2, OIDC Core §9, RFC 8705).
pub const KNOWN_AUTH_METHODS: [&str; 7] = [
    "none",
    "client_secret_post",
    "client_secret_basic",
    "client_secret_jwt",
    "private_key_jwt",
    "tls_client_auth",
    "self_signed_tls_client_auth",
];

/// The five RFC 8705 §2.1.2 subject fields.
pub const TLS_SUBJECT_FIELDS: [&str; 5] = [
    "tls_client_auth_subject_dn",
    "tls_client_auth_san_dns",
    "tls_client_auth_san_uri",
    "tls_client_auth_san_ip",
    "tls_client_auth_san_email",
];

/// Runs the authentication rules.
pub fn check(md: &MetadataView<'_>, policy: &Policy, report: &mut Report) {
    let method = md.auth_method();
    if let Some(m) = md.token_endpoint_auth_method {
        // RFC7591-AUTH-02: a registered method or an absolute URI
        if !KNOWN_AUTH_METHODS.contains(&m) && Uri::parse(m).is_err() {
            meta(
                report,
                "RFC7591-AUTH-02",
                "/token_endpoint_auth_method",
                format!("{} is not a registered token endpoint auth method or an absolute uri", show(m)),
            );
        }
        // RFC7591-SEC-01: public clients only when the policy allows them
        if m == "none" && !policy.checks.allow_public_clients {
            meta(report, "RFC7591-SEC-01", "/token_endpoint_auth_method", "public clients (`none`) are not allowed by this policy");
        }
        // RFC7591-AUTH-03 (DERIVED with RFC 6749 §4.4): `none` marks a public
        // client, and the client credentials grant "MUST only be used by
        // confidential clients" — a public client has no credentials to present.
        if m == "none"
            && let Some(i) = md.grant_types.as_ref().and_then(|g| g.iter().position(|g| g == "client_credentials"))
        {
            meta(
                report,
                "RFC7591-AUTH-03",
                crate::pointer::item("grant_types", i),
                "a public client (`none`) cannot use the `client_credentials` grant",
            );
        }
    }

    if let Some(alg) = md.token_endpoint_auth_signing_alg {
        let path = "/token_endpoint_auth_signing_alg";
        // OIDCDCR-AUTH-02: never `none`; asymmetric for private_key_jwt, HS* for client_secret_jwt; only for those methods
        if alg == "none" {
            meta(report, "OIDCDCR-AUTH-02", path, "`none` is not allowed as `token_endpoint_auth_signing_alg`");
        } else {
            match method {
                "private_key_jwt" if is_hmac_alg(alg) => {
                    meta(report, "OIDCDCR-AUTH-02", path, format!("`private_key_jwt` needs an asymmetric algorithm, not {}", show(alg)));
                }
                "client_secret_jwt" if !is_hmac_alg(alg) => {
                    meta(report, "OIDCDCR-AUTH-02", path, format!("`client_secret_jwt` needs an `HS*` algorithm, not {}", show(alg)));
                }
                "private_key_jwt" | "client_secret_jwt" => {}
                other => super::warn(
                    report,
                    "OIDCDCR-AUTH-02",
                    path,
                    format!(
                        "`token_endpoint_auth_signing_alg` only applies to `private_key_jwt` and `client_secret_jwt`, not {}",
                        show(other)
                    ),
                ),
            }
        }
    }

    check_mtls(md, policy, method, report);

    // RFC9449-META-02 / RFC8705-BOUND-02: one sender-constraining mechanism; bound tokens never via the front channel
    let mtls_bound = md.tls_client_certificate_bound_access_tokens == Some(true);
    let dpop_bound = md.dpop_bound_access_tokens == Some(true);
    if mtls_bound && dpop_bound {
        meta(
            report,
            "RFC9449-META-02",
            "/dpop_bound_access_tokens",
            "`dpop_bound_access_tokens` and `tls_client_certificate_bound_access_tokens` cannot both be required",
        );
    }
    if (mtls_bound || dpop_bound)
        && let Some(i) = md.responses().iter().position(|rt| rt.split(' ').any(|t| t == "token"))
    {
        meta(
            report,
            "RFC8705-BOUND-02",
            crate::pointer::item("response_types", i),
            "a client that requires bound access tokens cannot use the front-channel `token` response type",
        );
    }

    // RFC9101-META-02: signed request objects required but `none` registered
    if md.require_signed_request_object == Some(true) && md.request_object_signing_alg == Some("none") {
        meta(
            report,
            "RFC9101-META-02",
            "/request_object_signing_alg",
            "`require_signed_request_object` is true, so `request_object_signing_alg` cannot be `none`",
        );
    }
}

fn check_mtls(md: &MetadataView<'_>, policy: &Policy, method: &str, report: &mut Report) {
    let values = [
        &md.tls_client_auth_subject_dn,
        &md.tls_client_auth_san_dns,
        &md.tls_client_auth_san_uri,
        &md.tls_client_auth_san_ip,
        &md.tls_client_auth_san_email,
    ];
    let present: Vec<&str> = TLS_SUBJECT_FIELDS.iter().zip(values.iter()).filter(|(_, v)| v.is_some()).map(|(n, _)| *n).collect();
    if method == "tls_client_auth" {
        // RFC8705-AUTH-01 (FAPI1-AUTH-04 for FAPI 1): exactly one subject parameter
        match present.len() {
            0 => meta(
                report,
                "RFC8705-AUTH-01",
                "/token_endpoint_auth_method",
                "`tls_client_auth` needs exactly one of `tls_client_auth_subject_dn`, `_san_dns`, `_san_uri`, `_san_ip`, `_san_email`",
            ),
            1 => {}
            _ => {
                for name in present.iter().skip(1) {
                    meta(
                        report,
                        "RFC8705-AUTH-01",
                        crate::pointer::field(name),
                        format!(
                            "`tls_client_auth` takes exactly one subject parameter; `{}` is already set",
                            present.first().copied().unwrap_or_default()
                        ),
                    );
                }
            }
        }
    } else if !present.is_empty() && policy.checks.stray_tls_subject_fields == StrayFields::Reject {
        // RFC8705-AUTH-05 (reject mode; `drop` removes them before validation)
        for name in &present {
            meta(report, "RFC8705-AUTH-05", crate::pointer::field(name), format!("`{name}` is only meaningful with `tls_client_auth`"));
        }
    }
    // RFC8705-AUTH-02: the subject DN must parse as an RFC 4514 string
    if let Some(dn) = &md.tls_client_auth_subject_dn
        && !is_rfc4514_dn(dn)
    {
        meta(report, "RFC8705-AUTH-02", "/tls_client_auth_subject_dn", format!("{} is not an rfc 4514 distinguished name", show(dn)));
    }
    // RFC8705-AUTH-03: dotted IPv4 or IPv6 text
    if let Some(ip) = &md.tls_client_auth_san_ip
        && ip.parse::<core::net::IpAddr>().is_err()
    {
        meta(report, "RFC8705-AUTH-03", "/tls_client_auth_san_ip", format!("{} is not an ipv4 or ipv6 address", show(ip)));
    }
    // RFC8705-AUTH-04: DNS name, absolute URI, e-mail address
    if let Some(dns) = &md.tls_client_auth_san_dns
        && !is_dns_name(dns)
    {
        meta(report, "RFC8705-AUTH-04", "/tls_client_auth_san_dns", format!("{} is not a dns name", show(dns)));
    }
    if let Some(u) = &md.tls_client_auth_san_uri
        && Uri::parse(u).is_err()
    {
        meta(report, "RFC8705-AUTH-04", "/tls_client_auth_san_uri", format!("{} is not an absolute uri", show(u)));
    }
    if let Some(e) = &md.tls_client_auth_san_email
        && !is_email(e)
    {
        meta(report, "RFC8705-AUTH-04", "/tls_client_auth_san_email", format!("{} is not an e-mail address", show(e)));
    }
}

/// RFC 4514 §3 string syntax: RDNs separated by `,`, attribute-value pairs
/// joined by `+`, `type=value` with a descriptor or numeric OID type, a
/// value that is `#hex` or an escaped string. No semantic checks.
#[must_use]
pub fn is_rfc4514_dn(dn: &str) -> bool {
    let mut parts: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut chars = dn.chars().peekable();
    // Split on unescaped `,` and `+`, keeping escapes for the value check.
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(n) => {
                    cur.push('\\');
                    cur.push(n);
                }
                None => return false,
            },
            ',' | '+' => parts.push(core::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    parts.push(cur);
    parts.iter().all(|atv| {
        let Some((ty, value)) = atv.split_once('=') else {
            return false;
        };
        let ty = ty.trim();
        let descr =
            ty.bytes().next().is_some_and(|b| b.is_ascii_alphabetic()) && ty.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let oid = !ty.is_empty() && ty.split('.').all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if !(descr || oid) {
            return false;
        }
        if let Some(hex) = value.strip_prefix('#') {
            return !hex.is_empty() && hex.len() % 2 == 0 && hex.bytes().all(|b| b.is_ascii_hexdigit());
        }
        // escapes: `\` + special character or two hex digits
        let b = value.as_bytes();
        let mut i = 0;
        while let Some(&c) = b.get(i) {
            if c == b'\\' {
                match (b.get(i + 1), b.get(i + 2)) {
                    (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => i += 3,
                    (Some(s), _) if b" \"#+,;<=>\\".contains(s) => i += 2,
                    _ => return false,
                }
            } else if c == b'"' || c == b';' || c == b'<' || c == b'>' || c == 0 {
                return false;
            } else {
                i += 1;
            }
        }
        true
    })
}

#[cfg(test)]
mod tests {
    use super::is_rfc4514_dn;

    #[test]
    fn rfc4514_examples() {
        for ok in [
            "CN=Steve Kille,O=Isode Limited,C=GB",
            "OU=Sales+CN=J. Smith,DC=example,DC=net",
            "CN=James \\\"Jim\\\" Smith\\, III,DC=example,DC=net",
            "CN=Before\\0dAfter,DC=example,DC=net",
            "1.3.6.1.4.1.1466.0=#04024869",
            "CN=Lu\\C4\\8Di\\C4\\87",
            "cn=client,ou=tpp,o=Bank,c=GB",
        ] {
            assert!(is_rfc4514_dn(ok), "{ok}");
        }
        for bad in ["not a dn", "=value", "CN", "CN=a,,", "CN=a\\", "CN=a;O=b", "1..2=x", "C N=x", "1.2=#abc"] {
            assert!(!is_rfc4514_dn(bad), "{bad}");
        }
    }
}
