//! The provider's capabilities (`policy.capabilities`, named like OpenID
//! Provider / RFC 8414 discovery metadata): a requested value the provider
//! does not support is rejected with `invalid_client_metadata`.

use super::{meta, show};
use crate::error::Report;
use crate::metadata::model::MetadataView;
use crate::pointer;
use crate::policy::{Capabilities, Policy};

fn supported(list: &Option<Vec<String>>, v: &str) -> bool {
    list.as_ref().is_none_or(|l| l.iter().any(|s| s == v))
}

/// Response types are unordered token sets (`"id_token code"` = `"code id_token"`).
#[must_use]
pub fn same_response_type(a: &str, b: &str) -> bool {
    let mut x: Vec<&str> = a.split(' ').filter(|t| !t.is_empty()).collect();
    let mut y: Vec<&str> = b.split(' ').filter(|t| !t.is_empty()).collect();
    x.sort_unstable();
    y.sort_unstable();
    x == y
}

/// (field, requested value, supported list, rule).
type SingleCheck<'a> = (&'a str, Option<&'a str>, &'a Option<Vec<String>>, &'a str);

/// Runs the capability checks.
pub fn check(md: &MetadataView<'_>, policy: &Policy, report: &mut Report) {
    let caps: &Capabilities = &policy.capabilities;
    // RFC7591-GRANT-02
    if let Some(grants) = &md.grant_types {
        for (i, g) in grants.iter().enumerate() {
            if !supported(&caps.grant_types_supported, g) {
                meta(report, "RFC7591-GRANT-02", pointer::item("grant_types", i), format!("grant type {} is not supported", show(g)));
            }
        }
    }
    // RFC7591-RESPTYPE-02 (compared as token sets)
    if let (Some(rts), Some(list)) = (&md.response_types, &caps.response_types_supported) {
        for (i, rt) in rts.iter().enumerate() {
            if !list.iter().any(|s| same_response_type(s, rt)) {
                meta(
                    report,
                    "RFC7591-RESPTYPE-02",
                    pointer::item("response_types", i),
                    format!("response type {} is not supported", show(rt)),
                );
            }
        }
    }
    // RFC7591-SCOPE-01
    if let (Some(scope), Some(_)) = (&md.scope, &caps.scopes_supported) {
        let bad: Vec<&str> = scope.split(' ').filter(|t| !t.is_empty() && !supported(&caps.scopes_supported, t)).collect();
        if !bad.is_empty() {
            meta(
                report,
                "RFC7591-SCOPE-01",
                "/scope",
                format!("scope values not supported: {}", bad.iter().map(|b| show(b)).collect::<Vec<_>>().join(", ")),
            );
        }
    }
    // OIDCDCR-ACR-01
    if let Some(acrs) = &md.default_acr_values {
        for (i, a) in acrs.iter().enumerate() {
            if !supported(&caps.acr_values_supported, a) {
                meta(report, "OIDCDCR-ACR-01", pointer::item("default_acr_values", i), format!("acr value {} is not supported", show(a)));
            }
        }
    }
    let single: [SingleCheck<'_>; 18] = [
        ("token_endpoint_auth_method", md.token_endpoint_auth_method, &caps.token_endpoint_auth_methods_supported, "RFC7591-AUTH-02"),
        (
            "token_endpoint_auth_signing_alg",
            md.token_endpoint_auth_signing_alg,
            &caps.token_endpoint_auth_signing_alg_values_supported,
            "OIDCDCR-AUTH-02",
        ),
        ("subject_type", md.subject_type, &caps.subject_types_supported, "OIDCDCR-SUBJ-01"),
        ("id_token_signed_response_alg", md.id_token_signed_response_alg, &caps.id_token_signing_alg_values_supported, "OIDCDCR-IDTOK-03"),
        (
            "id_token_encrypted_response_alg",
            md.id_token_encrypted_response_alg,
            &caps.id_token_encryption_alg_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "id_token_encrypted_response_enc",
            md.id_token_encrypted_response_enc,
            &caps.id_token_encryption_enc_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "userinfo_signed_response_alg",
            md.userinfo_signed_response_alg,
            &caps.userinfo_signing_alg_values_supported,
            "OIDCDCR-USERINFO-01",
        ),
        (
            "userinfo_encrypted_response_alg",
            md.userinfo_encrypted_response_alg,
            &caps.userinfo_encryption_alg_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "userinfo_encrypted_response_enc",
            md.userinfo_encrypted_response_enc,
            &caps.userinfo_encryption_enc_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "request_object_signing_alg",
            md.request_object_signing_alg,
            &caps.request_object_signing_alg_values_supported,
            "OIDCDCR-REQOBJ-01",
        ),
        (
            "request_object_encryption_alg",
            md.request_object_encryption_alg,
            &caps.request_object_encryption_alg_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "request_object_encryption_enc",
            md.request_object_encryption_enc,
            &caps.request_object_encryption_enc_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "authorization_signed_response_alg",
            md.authorization_signed_response_alg,
            &caps.authorization_signing_alg_values_supported,
            "JARM-META-01",
        ),
        (
            "authorization_encrypted_response_alg",
            md.authorization_encrypted_response_alg,
            &caps.authorization_encryption_alg_values_supported,
            "JARM-META-02",
        ),
        (
            "authorization_encrypted_response_enc",
            md.authorization_encrypted_response_enc,
            &caps.authorization_encryption_enc_values_supported,
            "JARM-META-02",
        ),
        (
            "introspection_signed_response_alg",
            md.introspection_signed_response_alg,
            &caps.introspection_signing_alg_values_supported,
            "OIDCDCR-IDTOK-03",
        ),
        (
            "backchannel_token_delivery_mode",
            md.backchannel_token_delivery_mode,
            &caps.backchannel_token_delivery_modes_supported,
            "CIBA-META-01",
        ),
        (
            "backchannel_authentication_request_signing_alg",
            md.backchannel_authentication_request_signing_alg,
            &caps.backchannel_authentication_request_signing_alg_values_supported,
            "CIBA-META-03",
        ),
    ];
    for (field, value, list, rule) in single {
        if let Some(v) = value
            && !supported(list, v)
        {
            meta(report, rule, pointer::field(field), format!("{} is not supported for `{field}`", show(v)));
        }
    }
    // Feature flags the provider declares it does not support.
    let flags: [(&str, bool, Option<bool>, &str); 4] = [
        (
            "require_pushed_authorization_requests",
            md.require_pushed_authorization_requests == Some(true),
            caps.pushed_authorization_request_endpoint,
            "RFC9126-META-01",
        ),
        (
            "tls_client_certificate_bound_access_tokens",
            md.tls_client_certificate_bound_access_tokens == Some(true),
            caps.tls_client_certificate_bound_access_tokens,
            "RFC8705-BOUND-01",
        ),
        ("frontchannel_logout_uri", md.frontchannel_logout_uri.is_some(), caps.frontchannel_logout_supported, "LOGOUT-FCL-01"),
        ("backchannel_logout_uri", md.backchannel_logout_uri.is_some(), caps.backchannel_logout_supported, "LOGOUT-BCL-01"),
    ];
    for (field, requested, support, rule) in flags {
        if requested && support == Some(false) {
            meta(report, rule, pointer::field(field), format!("this provider does not support `{field}`"));
        }
    }
}
