//! Scalar fields with a closed value set or a syntax: `scope`, `contacts`,
//! `application_type`, `subject_type` (RFC 7591 §2; OIDC DCR §2; RFC 6749 §3.3).

use super::{meta, show};
use crate::error::Report;
use crate::metadata::model::MetadataView;
use crate::metadata::uri::is_email;
use crate::pointer;
use crate::policy::Policy;

/// RFC 6749 §3.3 `scope-token = 1*( %x21 / %x23-5B / %x5D-7E )`.
#[must_use]
pub fn is_scope_token(t: &str) -> bool {
    is_scope_token_bytes(t.as_bytes())
}

fn is_scope_token_bytes(t: &[u8]) -> bool {
    !t.is_empty() && t.iter().all(|&b| b == 0x21 || (0x23..=0x5B).contains(&b) || (0x5D..=0x7E).contains(&b))
}

/// Runs the value rules.
pub fn check(md: &MetadataView<'_>, policy: &Policy, report: &mut Report) {
    // RFC7591-SCOPE-01: a space-separated list of scope tokens
    if let Some(scope) = &md.scope
        // split on the byte: the tokens are only tested, never shown
        && !scope.as_bytes().split(|&b| b == b' ').all(is_scope_token_bytes)
    {
        meta(report, "RFC7591-SCOPE-01", "/scope", "`scope` must be scope tokens separated by single spaces");
    }
    // RFC7591-CONTACTS-01: e-mail addresses (policy switch)
    if policy.checks.contacts_must_be_email
        && let Some(contacts) = &md.contacts
    {
        for (i, c) in contacts.iter().enumerate() {
            if !is_email(c) {
                meta(report, "RFC7591-CONTACTS-01", pointer::item("contacts", i), format!("{} is not an e-mail address", show(c)));
            }
        }
    }
    // OIDCDCR-APPTYPE-01: `web` or `native`
    if let Some(t) = md.application_type
        && t != "web"
        && t != "native"
    {
        meta(report, "OIDCDCR-APPTYPE-01", "/application_type", format!("`application_type` must be `web` or `native`, not {}", show(t)));
    }
    // OIDCDCR-SUBJ-01: `public` or `pairwise` (support is checked with the capabilities)
    if let Some(t) = md.subject_type
        && t != "public"
        && t != "pairwise"
    {
        meta(report, "OIDCDCR-SUBJ-01", "/subject_type", format!("`subject_type` must be `public` or `pairwise`, not {}", show(t)));
    }
}
