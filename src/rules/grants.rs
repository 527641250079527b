//! Grant types and response types (RFC 7591 §2, §2.1, §5; OIDC DCR §2;
//! RFC 9700 §2.1.2, §2.4; RFC 8252 §8.2) and CIBA client metadata (CIBA Core §4).

use super::{at_level, meta, show};
use crate::error::{ErrorCode, Report};
use crate::metadata::checks::GrantResponseConsistency;
use crate::metadata::model::MetadataView;
use crate::pointer;
use crate::policy::Policy;

/// The CIBA grant type.
pub const CIBA_GRANT: &str = "urn:openid:params:grant-type:ciba";

/// Which grants one response type value needs: (`authorization_code`, `implicit`).
#[must_use]
pub fn needs(response_type: &str, lenient_hybrid: bool) -> (bool, bool) {
    let mut code = false;
    let mut front = false;
    for t in response_type.split(' ').filter(|t| !t.is_empty()) {
        match t {
            "code" => code = true,
            "token" | "id_token" => front = true,
            _ => {}
        }
    }
    (code, front && !(code && lenient_hybrid))
}

/// Runs the grant / response type rules and the CIBA rules.
pub fn check(md: &MetadataView<'_>, policy: &Policy, report: &mut Report) {
    let checks = &policy.checks;
    let mode = checks.grant_response_consistency;
    let lenient = mode == GrantResponseConsistency::LenientHybrid;
    let consistency_rule = if policy.profile.is_oidc() { "OIDCDCR-GRANT-01" } else { "RFC7591-GRANTRESP-01" };

    if let (Some(grants), Some(responses)) = (&md.grant_types, &md.response_types) {
        let mut any_code = false;
        let mut any_front = false;
        for (i, rt) in responses.iter().enumerate() {
            let (code, implicit) = needs(rt, lenient);
            any_code |= code;
            any_front |= rt.split(' ').any(|t| t == "token" || t == "id_token");
            // RFC7591-GRANTRESP-01 / OIDCDCR-GRANT-01: each response type needs its grant types
            for (need, grant) in [(code, "authorization_code"), (implicit, "implicit")] {
                if need && !grants.iter().any(|g| g == grant) {
                    meta(
                        report,
                        consistency_rule,
                        pointer::item("response_types", i),
                        format!("response type {} needs `{grant}` in `grant_types`", show(rt)),
                    );
                }
            }
        }
        // RFC7591-GRANTRESP-01: the reverse direction: a redirect grant needs a matching response type
        for (j, g) in grants.iter().enumerate() {
            let orphan = match g {
                "authorization_code" => !any_code,
                "implicit" => !any_front,
                // OIDCDCR-GRANT-02: `refresh_token` and the other token-endpoint grants have no response type
                _ => false,
            };
            if orphan {
                meta(
                    report,
                    "RFC7591-GRANTRESP-01",
                    pointer::item("grant_types", j),
                    format!("grant type `{g}` has no matching value in `response_types`"),
                );
            }
        }
    }

    let grants = md.grants();
    let find = |name: &str| grants.iter().position(|g| g == name);
    // RFC7591-GRANT-03: optional refusals of risky combinations
    if let (Some(_), Some(j)) = (find("authorization_code"), find("implicit"))
        && checks.refuse_code_with_implicit
    {
        meta(
            report,
            "RFC7591-GRANT-03",
            pointer::item("grant_types", j),
            "`authorization_code` and `implicit` may not be registered together",
        );
    }
    if let (Some(_), Some(j)) = (find("authorization_code"), find("client_credentials"))
        && checks.refuse_code_with_client_credentials
    {
        meta(
            report,
            "RFC7591-GRANT-03",
            pointer::item("grant_types", j),
            "`authorization_code` and `client_credentials` may not be registered together",
        );
    }
    // BCP-ROPC-01: no resource owner password credentials grant
    if let Some(j) = find("password") {
        at_level(
            report,
            checks.password_grant,
            ErrorCode::InvalidClientMetadata,
            "BCP-ROPC-01",
            pointer::item("grant_types", j),
            "the `password` grant must not be used (rfc 9700 §2.4)",
        );
    }
    // BCP-IMPLICIT-01 / RFC8252-IMPLICIT-01: no implicit grant (or front-channel access tokens)
    let token_rt = md.responses().iter().position(|rt| rt.split(' ').any(|t| t == "token"));
    let implicit_path =
        find("implicit").map(|j| pointer::item("grant_types", j)).or_else(|| token_rt.map(|i| pointer::item("response_types", i)));
    if let Some(path) = implicit_path {
        if md.is_native() {
            at_level(
                report,
                checks.native_implicit,
                ErrorCode::InvalidClientMetadata,
                "RFC8252-IMPLICIT-01",
                path.clone(),
                "native apps should not use the implicit flow",
            );
        }
        at_level(
            report,
            checks.implicit_grant,
            ErrorCode::InvalidClientMetadata,
            "BCP-IMPLICIT-01",
            path,
            "the implicit grant and front-channel access tokens should not be used (rfc 9700 §2.1.2)",
        );
    }

    check_ciba(md, policy, report);
}

fn check_ciba(md: &MetadataView<'_>, policy: &Policy, report: &mut Report) {
    let ciba = md.has_grant(CIBA_GRANT);
    let mode = md.backchannel_token_delivery_mode;
    if ciba {
        match mode {
            // CIBA-META-01: delivery mode required for CIBA clients
            None => meta(
                report,
                "CIBA-META-01",
                "/backchannel_token_delivery_mode",
                "`backchannel_token_delivery_mode` is required for the ciba grant",
            ),
            Some("poll" | "ping" | "push") => {}
            Some(other) => {
                meta(report, "CIBA-META-01", "/backchannel_token_delivery_mode", format!("{} is not `poll`, `ping` or `push`", show(other)))
            }
        }
        // CIBA-META-02: ping / push need an https notification endpoint
        if matches!(mode, Some("ping" | "push")) && md.backchannel_client_notification_endpoint.is_none() {
            meta(
                report,
                "CIBA-META-02",
                "/backchannel_client_notification_endpoint",
                "`backchannel_client_notification_endpoint` is required for `ping` and `push` delivery",
            );
        }
        // CIBA-META-07: pairwise CIBA clients need `jwks_uri` (sector host), plus `sector_identifier_uri` with response types
        if md.subject_type == Some("pairwise") {
            if md.jwks_uri.is_none() {
                meta(report, "CIBA-META-07", "/jwks_uri", "a pairwise ciba client must register `jwks_uri`");
            }
            if !md.responses().is_empty() && md.sector_identifier_uri.is_none() {
                meta(
                    report,
                    "CIBA-META-07",
                    "/sector_identifier_uri",
                    "a pairwise ciba client with response types must register `sector_identifier_uri`",
                );
            }
        }
    } else {
        // CIBA-META-04: CIBA fields mean nothing without the CIBA grant
        for (name, present) in [
            ("backchannel_token_delivery_mode", md.backchannel_token_delivery_mode.is_some()),
            ("backchannel_client_notification_endpoint", md.backchannel_client_notification_endpoint.is_some()),
            ("backchannel_authentication_request_signing_alg", md.backchannel_authentication_request_signing_alg.is_some()),
            ("backchannel_user_code_parameter", md.backchannel_user_code_parameter.is_some()),
        ] {
            if present {
                at_level(
                    report,
                    policy.checks.ciba_fields_without_grant,
                    ErrorCode::InvalidClientMetadata,
                    "CIBA-META-04",
                    pointer::field(name),
                    format!("`{name}` is only meaningful with the `{CIBA_GRANT}` grant"),
                );
            }
        }
    }
}
