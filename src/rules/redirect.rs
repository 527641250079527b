//! Redirect URIs (RFC 7591 §2, §5; RFC 6749 §3.1.2; OIDC DCR §2
//! `application_type`; RFC 8252 §7, §8.3, §8.4; RFC 9700 §2.1) and
//! `post_logout_redirect_uris` (RP-Initiated Logout §3.1, LOGOUT-RPI-*),
//! which reuse the same per-URI checks.

use super::{at_level, show};
use crate::error::{ErrorCode, Report, Violation};
use crate::metadata::model::MetadataView;
use crate::metadata::uri::{Uri, UriError};
use crate::pointer;
use crate::policy::Policy;

/// Schemes that run script or read local content (RFC7591-REDIRECT-04).
pub const DANGEROUS_SCHEMES: [&str; 6] = ["javascript", "vbscript", "data", "blob", "file", "about"];

/// Which list is being checked.
#[derive(Clone, Copy)]
struct List {
    field: &'static str,
    code: ErrorCode,
    /// `post_logout_redirect_uris`: every finding is reported under LOGOUT-RPI-02
    /// (the underlying redirect rule is named in the message).
    logout: bool,
}

/// Runs the redirect URI rules.
/// `parsed`: `md.redirects()`, each read with [`Uri::parse`].
pub fn check(
    md: &MetadataView<'_>,
    parsed: &[Result<Uri<'_>, UriError>],
    client: &serde_json::Map<String, serde_json::Value>,
    policy: &Policy,
    report: &mut Report,
) {
    let oidc = policy.profile.is_oidc();
    let uris = md.redirects();
    // A mistyped `redirect_uris` is already reported by RFC7591-META-04.
    let mistyped = md.redirect_uris.is_none() && client.get("redirect_uris").is_some_and(|v| !v.is_null());
    // FAPI2-REDIRECT-02: with `switches.require_registered_redirect_uris` off,
    // a confidential client that must use PAR (its `redirect_uri` travels in
    // every PAR request) and names no `sector_identifier_uri` may register
    // none, as node-oidc-provider's `allowUnregisteredRedirectUris` allows.
    let unregistered_ok = !policy.switches.require_registered_redirect_uris
        && md.require_pushed_authorization_requests == Some(true)
        && md.auth_method() != "none"
        && md.sector_identifier_uri.is_none();
    if uris.is_empty() && !mistyped && !unregistered_ok {
        // An empty array counts as missing (RFC7591-REDIRECT-01 notes).
        if oidc && !md.responses().is_empty() {
            // OIDCDCR-REDIRECT-01: REQUIRED, applied (as node-oidc-provider does) when response types are registered;
            // FAPI profiles always default response types, so this is also FAPI1-REDIRECT-01
            report.push(
                Violation::new(
                    ErrorCode::InvalidRedirectUri,
                    "OIDCDCR-REDIRECT-01",
                    "/redirect_uris",
                    "`redirect_uris` is required for a client with response types",
                )
                .with_reason("missing"),
            );
        } else if md.has_grant("authorization_code") || md.has_grant("implicit") {
            // RFC7591-REDIRECT-01: redirect-based grants need registered redirect URIs
            report.push(
                Violation::new(
                    ErrorCode::InvalidRedirectUri,
                    "RFC7591-REDIRECT-01",
                    "/redirect_uris",
                    "`redirect_uris` is required for the `authorization_code` and `implicit` grants",
                )
                .with_reason("missing"),
            );
        }
    }
    let list = List { field: "redirect_uris", code: ErrorCode::InvalidRedirectUri, logout: false };
    for (i, (s, uri)) in uris.iter().zip(parsed).enumerate() {
        check_one(s, *uri, i, md, policy, list, report);
    }
    if let Some(post) = &md.post_logout_redirect_uris {
        let list = List { field: "post_logout_redirect_uris", code: ErrorCode::InvalidClientMetadata, logout: true };
        for (i, s) in post.iter().enumerate() {
            check_one(s, Uri::parse(s), i, md, policy, list, report);
        }
    }
}

fn check_one(
    s: &str,
    parsed: Result<Uri<'_>, UriError>,
    index: usize,
    md: &MetadataView<'_>,
    policy: &Policy,
    list: List,
    report: &mut Report,
) {
    let checks = &policy.checks;
    let path = || pointer::item(list.field, index);
    let oidc = policy.profile.is_oidc();
    let mut fail = |rule: &str, reason: &str, message: String| {
        let (rule, message) =
            if list.logout { ("LOGOUT-RPI-02", format!("{message} (as for redirect uris: {rule})")) } else { (rule, message) };
        report.push(Violation::new(list.code, rule, path(), message).with_reason(reason));
    };
    if s.is_empty() {
        return; // reported by RFC7591-META-04
    }
    let uri = match parsed {
        Ok(u) => u,
        Err(e) => {
            // RFC7591-REDIRECT-03: absolute URI
            fail("RFC7591-REDIRECT-03", "syntax", format!("{} {}", show(s), e.describe()));
            return;
        }
    };
    // RFC7591-REDIRECT-04: no script-capable or local-content schemes (case-insensitive)
    if DANGEROUS_SCHEMES.iter().any(|d| uri.scheme_is(d)) {
        fail("RFC7591-REDIRECT-04", "scheme", format!("{} uses the forbidden `{}` scheme", show(s), uri.scheme.to_ascii_lowercase()));
        return;
    }
    // RFC7591-REDIRECT-03: no fragment component
    if uri.fragment.is_some() {
        fail("RFC7591-REDIRECT-03", "fragment", format!("{} must not contain a fragment", show(s)));
    }
    // BCP-REDIRECT-01 / RFC8252-REG-02: exact URIs, no wildcards or patterns
    if uri.authority.is_some_and(|a| a.host.contains('*')) || uri.path.contains('*') {
        fail("BCP-REDIRECT-01", "wildcard", format!("{} contains a wildcard `*`; redirect uris are matched exactly", show(s)));
    }
    let http = uri.scheme_is("http");
    let https = uri.scheme_is("https");
    let private_use = !http && !https;
    if private_use {
        if oidc && !md.is_native() {
            // OIDCDCR-APPTYPE-05: a web client registers only web URIs (keeps client kinds apart)
            fail(
                "OIDCDCR-APPTYPE-05",
                "app_type",
                format!("{} uses a private-use scheme; `web` clients may only register http(s) uris", show(s)),
            );
            return;
        }
        // RFC8252-REDIRECT-02: reversed domain name scheme (at least a `.`)
        if checks.private_use_scheme_needs_dot && !uri.scheme.contains('.') {
            fail(
                "RFC8252-REDIRECT-02",
                "scheme",
                format!("private-use scheme `{}` must be a reversed domain name (e.g. `com.example.app`)", uri.scheme),
            );
        }
        // RFC8252-REDIRECT-03: `scheme://` is valid but unusual (warn only)
        if uri.authority.is_some() && !list.logout {
            report.push(
                Violation::new(
                    list.code,
                    "RFC8252-REDIRECT-03",
                    path(),
                    format!("private-use uri {} has an authority; `{}:/path` is the usual form", show(s), uri.scheme),
                )
                .with_severity(crate::error::Severity::Warning),
            );
        }
        return;
    }
    let loopback = uri.is_loopback();
    let localhost = uri.host_is("localhost");
    if oidc && md.is_native() {
        if http {
            if !loopback {
                // OIDCDCR-APPTYPE-03: native http only on loopback hosts
                fail(
                    "OIDCDCR-APPTYPE-03",
                    "app_type",
                    format!("{}: `native` clients may use `http` only with `localhost`, `127.0.0.1` or `[::1]`", show(s)),
                );
            } else if localhost && !list.logout {
                // RFC8252-REDIRECT-05: `localhost` is not recommended
                at_level(
                    report,
                    checks.native_localhost,
                    list.code,
                    "RFC8252-REDIRECT-05",
                    path(),
                    format!("{}: `localhost` is not recommended for loopback redirects; use `127.0.0.1` or `[::1]`", show(s)),
                );
            }
        } else if loopback {
            // RFC8252-REDIRECT-04: loopback redirects use `http`
            fail("RFC8252-REDIRECT-04", "scheme", format!("{}: loopback redirect uris use `http`, not `https`", show(s)));
        } else if !checks.native_allow_claimed_https {
            // OIDCDCR-APPTYPE-03 (policy switch native_allow_claimed_https off)
            fail(
                "OIDCDCR-APPTYPE-03",
                "app_type",
                format!("{}: claimed `https` redirect uris are not allowed for `native` clients by this policy", show(s)),
            );
        }
        return;
    }
    if oidc && md.has_grant("implicit") {
        // OIDCDCR-APPTYPE-02: web + implicit → https only, never localhost
        if !https {
            fail("OIDCDCR-APPTYPE-02", "scheme", format!("{}: `web` clients using the implicit grant must use `https`", show(s)));
        } else if localhost {
            fail("OIDCDCR-APPTYPE-02", "host", format!("{}: `web` clients using the implicit grant must not use `localhost`", show(s)));
        }
        return;
    }
    if http {
        if list.logout && !loopback {
            // LOGOUT-RPI-01: http only for confidential clients, and only when the server allows it
            if !(checks.allow_http_logout_uris && md.is_confidential()) {
                report.push(
                    Violation::new(
                        list.code,
                        "LOGOUT-RPI-01",
                        path(),
                        format!("{} should use `https`; `http` is not allowed for this client", show(s)),
                    )
                    .with_reason("scheme"),
                );
            }
            return;
        }
        let refuse_http = checks.refuse_http_redirects.unwrap_or(oidc);
        if refuse_http {
            // OIDCDCR-APPTYPE-04: no http redirect URIs except the native loopback case
            fail(
                "OIDCDCR-APPTYPE-04",
                "scheme",
                format!("{}: `http` redirect uris are only allowed for `native` clients on loopback", show(s)),
            );
        } else if !loopback {
            // RFC7591-REDIRECT-02: http only on the local machine
            fail("RFC7591-REDIRECT-02", "scheme", format!("{}: `http` is only allowed for the local machine; use `https`", show(s)));
        }
    }
}

/// The OIDCDCR-REDIRECT-02 check for an `enforce`d `redirect_uris`: the
/// client's value must already equal it (it is never replaced).
pub fn check_enforced(client: &serde_json::Map<String, serde_json::Value>, policy: &Policy, report: &mut Report) {
    if let (Some(want), Some(have)) = (policy.enforce.get("redirect_uris"), client.get("redirect_uris"))
        && want != have
    {
        report.push(
            Violation::new(
                ErrorCode::InvalidRedirectUri,
                "OIDCDCR-REDIRECT-02",
                "/redirect_uris",
                "`redirect_uris` differ from the values this provider requires, and are never replaced",
            )
            .with_reason("mismatch"),
        );
    }
}
