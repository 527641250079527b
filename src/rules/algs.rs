//! Algorithm fields: where `none` is forbidden, `*_enc` without `*_alg`,
//! and UserInfo encryption without signing (OIDC DCR §2, JARM, CIBA Core §4).

use super::{meta, show};
use crate::error::Report;
use crate::metadata::model::MetadataView;
use crate::pointer;
use crate::policy::Policy;

/// Runs the algorithm rules.
pub fn check(md: &MetadataView<'_>, policy: &Policy, report: &mut Report) {
    // OIDCDCR-IDTOK-02: `none` only when no response type returns an ID Token from the authorization endpoint
    if md.id_token_signed_response_alg == Some("none")
        && let Some(i) = md.responses().iter().position(|rt| rt.split(' ').any(|t| t == "id_token"))
    {
        meta(
            report,
            "OIDCDCR-IDTOK-02",
            "/id_token_signed_response_alg",
            format!("`none` is not allowed with response type {}", show(md.responses().get(i).unwrap_or_default())),
        );
    }
    // JARM-META-01: never `none`
    if md.authorization_signed_response_alg == Some("none") {
        meta(report, "JARM-META-01", "/authorization_signed_response_alg", "`none` is not allowed as `authorization_signed_response_alg`");
    }
    // CIBA-META-03: never `none`
    if md.backchannel_authentication_request_signing_alg == Some("none") {
        meta(
            report,
            "CIBA-META-03",
            "/backchannel_authentication_request_signing_alg",
            "`none` is not allowed as `backchannel_authentication_request_signing_alg`",
        );
    }
    // OIDCDCR-ENC-02 / JARM-META-02: `*_enc` only together with its `*_alg`
    for (alg_field, alg, enc_field, enc, rule) in [
        (
            "id_token_encrypted_response_alg",
            &md.id_token_encrypted_response_alg,
            "id_token_encrypted_response_enc",
            &md.id_token_encrypted_response_enc,
            "OIDCDCR-ENC-02",
        ),
        (
            "userinfo_encrypted_response_alg",
            &md.userinfo_encrypted_response_alg,
            "userinfo_encrypted_response_enc",
            &md.userinfo_encrypted_response_enc,
            "OIDCDCR-ENC-02",
        ),
        (
            "request_object_encryption_alg",
            &md.request_object_encryption_alg,
            "request_object_encryption_enc",
            &md.request_object_encryption_enc,
            "OIDCDCR-ENC-02",
        ),
        (
            "introspection_encrypted_response_alg",
            &md.introspection_encrypted_response_alg,
            "introspection_encrypted_response_enc",
            &md.introspection_encrypted_response_enc,
            "OIDCDCR-ENC-02",
        ),
        (
            "authorization_encrypted_response_alg",
            &md.authorization_encrypted_response_alg,
            "authorization_encrypted_response_enc",
            &md.authorization_encrypted_response_enc,
            "JARM-META-02",
        ),
    ] {
        if enc.is_some() && alg.is_none() {
            meta(report, rule, pointer::field(enc_field), format!("`{enc_field}` needs `{alg_field}`"));
        }
    }
    // OIDCDCR-ENC-04: UserInfo is signed, then encrypted (policy switch)
    if policy.checks.userinfo_encryption_requires_signing
        && md.userinfo_encrypted_response_alg.is_some()
        && md.userinfo_signed_response_alg.is_none()
    {
        meta(
            report,
            "OIDCDCR-ENC-04",
            "/userinfo_encrypted_response_alg",
            "`userinfo_encrypted_response_alg` needs `userinfo_signed_response_alg` (responses are signed, then encrypted)",
        );
    }
}
