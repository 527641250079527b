//! `oidc` (ISVA `Default`): OpenID Connect Dynamic Client Registration 1.0
//! on top of `rfc7591`. The OIDC defaults (`application_type` `web`,
//! `id_token_signed_response_alg` `RS256`, OIDCDCR-APPTYPE-01 and the
//! OIDC DCR §2 defaults) and field rules are applied by the generic metadata
//! validation because the profile is OIDC-based; this recipe only sets the
//! switches the OIDC rules read.

use crate::policy::{Policy, ProfileId};

use super::Recipe;

/// The `oidc` recipe.
#[must_use]
pub fn policy() -> Policy {
    let mut r = Recipe(super::rfc7591::policy());
    r.0.profile = ProfileId::Oidc;
    r.cite("/checks/grant_response_consistency", &["OIDCDCR-GRANT-01"])
        .cite("/checks/native_allow_claimed_https", &["OIDCDCR-APPTYPE-03", "RFC8252-REDIRECT-01"])
        .cite("/switches/require_registered_redirect_uris", &["OIDCDCR-REDIRECT-01"])
        .cite("/checks/sector_identifier_content", &["OIDCDCR-SECTOR-02"])
        .cite("/checks/sector_identifier_redirect_uris", &["OIDCDCR-SECTOR-02"]);
    r.0
}
