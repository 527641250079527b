//! URL-valued fields other than redirect URIs: display URLs and their
//! language variants (RFC 7591 §2, §2.2, §5), `sector_identifier_uri`,
//! `initiate_login_uri`, `request_uris` (OIDC DCR §2, §5), logout URIs
//! (Back-/Front-Channel Logout) and the CIBA notification endpoint.

use super::{at_level, meta, show};
use crate::error::{ErrorCode, Report};
use crate::metadata::model::MetadataView;
use crate::metadata::uri::{Uri, UriError};
use crate::pointer;
use crate::policy::Policy;

/// Runs the URL rules.
/// `parsed`: `md.redirects()`, each read with [`Uri::parse`].
pub fn check(md: &MetadataView<'_>, parsed: &[Result<Uri<'_>, UriError>], policy: &Policy, report: &mut Report) {
    // The redirect URIs that parsed (iterated where needed, not collected).
    let redirects = || parsed.iter().filter_map(|r| r.as_ref().ok());
    // RFC7591-URI-01 (+ RFC7591-I18N-04 for tagged variants): absolute http(s) URLs
    let display = [("client_uri", md.client_uri), ("logo_uri", md.logo_uri), ("tos_uri", md.tos_uri), ("policy_uri", md.policy_uri)];
    for (name, value) in display {
        if let Some(value) = value {
            display_uri(name, None, value, parsed, policy, report);
        }
    }
    for l in md.localized.iter().filter(|l| l.field != "client_name") {
        display_uri(l.field, Some(l.tag), l.value, parsed, policy, report);
    }
    // OIDCDCR-SECTOR-01: https (the host fetches and compares the content, OIDCDCR-SECTOR-02)
    https_only(md.sector_identifier_uri, "sector_identifier_uri", "OIDCDCR-SECTOR-01", report);
    // OIDCDCR-SECTOR-03: pairwise clients with redirect URIs on several hosts need a sector identifier
    if policy.profile.is_oidc() && md.subject_type == Some("pairwise") && md.sector_identifier_uri.is_none() {
        let mut hosts: Vec<String> = redirects().map(Uri::host_lower).collect();
        hosts.sort();
        hosts.dedup();
        if hosts.len() > 1 {
            meta(
                report,
                "OIDCDCR-SECTOR-03",
                "/sector_identifier_uri",
                "a pairwise client whose redirect uris span several hosts must register `sector_identifier_uri`",
            );
        }
    }
    // OIDCDCR-INITLOGIN-01: https
    https_only(md.initiate_login_uri, "initiate_login_uri", "OIDCDCR-INITLOGIN-01", report);
    // CIBA-META-02: the notification endpoint is https
    https_only(md.backchannel_client_notification_endpoint, "backchannel_client_notification_endpoint", "CIBA-META-02", report);
    // OIDCDCR-REQURIS-01: https (a fragment may carry a content hash)
    if let Some(list) = &md.request_uris {
        for (i, u) in list.iter().enumerate() {
            match Uri::parse(u) {
                Err(e) => meta(report, "OIDCDCR-REQURIS-01", pointer::item("request_uris", i), format!("{} {}", show(u), e.describe())),
                Ok(p) if !p.scheme_is("https") => {
                    meta(report, "OIDCDCR-REQURIS-01", pointer::item("request_uris", i), format!("{} must use `https`", show(u)))
                }
                Ok(_) => {}
            }
        }
    }
    // LOGOUT-BCL-01/02
    if let Some(u) = &md.backchannel_logout_uri {
        logout_uri(u, "backchannel_logout_uri", ("LOGOUT-BCL-01", "LOGOUT-BCL-02"), md, policy, report);
    }
    // LOGOUT-FCL-01/02/03
    if let Some(u) = &md.frontchannel_logout_uri
        && let Some(parsed) = logout_uri(u, "frontchannel_logout_uri", ("LOGOUT-FCL-01", "LOGOUT-FCL-03"), md, policy, report)
    {
        // LOGOUT-FCL-02: same scheme, host and port as one redirect URI
        let origin = |x: &Uri<'_>| (x.scheme.to_ascii_lowercase(), x.host_lower(), x.port_or_default());
        let want = origin(&parsed);
        let matched = redirects().any(|r| origin(r) == want);
        if !matched {
            meta(
                report,
                "LOGOUT-FCL-02",
                "/frontchannel_logout_uri",
                "`frontchannel_logout_uri` must have the scheme, host and port of a registered redirect uri",
            );
        }
    }
}

fn display_uri(field: &str, tag: Option<&str>, value: &str, parsed: &[Result<Uri<'_>, UriError>], policy: &Policy, report: &mut Report) {
    let name = || match tag {
        Some(t) => format!("{field}#{t}"),
        None => field.to_owned(),
    };
    match Uri::parse(value) {
        Err(e) => meta(report, "RFC7591-URI-01", pointer::field(&name()), format!("`{}` {}", name(), e.describe())),
        Ok(u) if !u.is_web() => {
            meta(report, "RFC7591-URI-01", pointer::field(&name()), format!("`{}` must be an http(s) url, not {}", name(), show(value)))
        }
        Ok(u) => {
            // RFC7591-URI-02 / OIDCDCR-SEC-01: display URLs should share a host with the redirect URIs
            let host = u.authority.map_or("", |a| a.host);
            let mut redirects = parsed.iter().filter_map(|r| r.as_ref().ok()).peekable();
            if redirects.peek().is_some() && !redirects.any(|r| r.authority.is_some_and(|a| a.host.eq_ignore_ascii_case(host))) {
                let rule = if policy.profile.is_oidc() && (field == "logo_uri" || field == "policy_uri") {
                    "OIDCDCR-SEC-01"
                } else {
                    "RFC7591-URI-02"
                };
                at_level(
                    report,
                    policy.checks.display_uri_host_match,
                    ErrorCode::InvalidClientMetadata,
                    rule,
                    pointer::field(&name()),
                    format!("`{}` host {} matches no redirect uri host", name(), show(host)),
                );
            }
        }
    }
}

fn https_only(value: Option<&str>, field: &str, rule: &str, report: &mut Report) {
    let Some(v) = value else { return };
    match Uri::parse(v) {
        Err(e) => meta(report, rule, pointer::field(field), format!("`{field}` {}", e.describe())),
        Ok(u) if !u.scheme_is("https") => meta(report, rule, pointer::field(field), format!("`{field}` must use `https`, not {}", show(v))),
        Ok(_) => {}
    }
}

fn logout_uri<'a>(
    v: &'a str,
    field: &str,
    (syntax_rule, scheme_rule): (&str, &str),
    md: &MetadataView<'_>,
    policy: &Policy,
    report: &mut Report,
) -> Option<Uri<'a>> {
    let path = pointer::field(field);
    let u = match Uri::parse(v) {
        Err(e) => {
            meta(report, syntax_rule, path, format!("`{field}` {}", e.describe()));
            return None;
        }
        Ok(u) => u,
    };
    if u.fragment.is_some() {
        meta(report, syntax_rule, path.clone(), format!("`{field}` must not contain a fragment"));
    }
    if u.scheme_is("https") {
        return Some(u);
    }
    // http only for confidential clients, and only when the server permits http RP URIs
    if u.scheme_is("http") && policy.checks.allow_http_logout_uris && md.is_confidential() {
        return Some(u);
    }
    meta(report, scheme_rule, path, format!("`{field}` must use `https`, not {}", show(v)));
    Some(u)
}
