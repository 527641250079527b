//! `rfc7591`: plain RFC 7591, permissive. Open registration, SSAs optional,
//! every asymmetric algorithm the engine verifies, unknown metadata kept.
//! The RFC defaults themselves (`token_endpoint_auth_method`
//! `client_secret_basic`, `grant_types` `["authorization_code"]`,
//! `response_types` `["code"]`: RFC7591-AUTH-01, RFC7591-GRANT-01,
//! RFC7591-RESPTYPE-01) are applied by the generic metadata validation.

use crate::policy::{Policy, ProfileId};

use super::{Recipe, owned};

/// The `rfc7591` recipe.
#[must_use]
pub fn policy() -> Policy {
    let mut r = Recipe(Policy { profile: ProfileId::Rfc7591, ..Policy::default() });
    r.0.software_statement.required_claims = owned(&["iss"]);
    r.cite("/software_statement/required", &["RFC7591-SS-06"])
        .cite("/software_statement/required_claims", &["RFC7591-SS-02", "JWT-CLAIM-01"])
        .cite("/software_statement/signing_algs", &["JWT-ALG-02", "JWT-ALG-01", "JWT-ALG-05"])
        .cite("/software_statement/trusted_issuers", &["RFC7591-SS-05", "JWT-CLAIM-01"])
        .cite("/software_statement/leeway", &["JWT-CLAIM-02"])
        .cite("/software_statement/map_metadata_claims", &["RFC7591-SS-07"])
        .cite("/software_statement/embedded_keys", &["JWT-KEY-03"])
        .cite("/request_jwt/signing_algs", &["JWT-ALG-02", "JWT-ALG-01", "JWT-ALG-05"])
        .cite("/endpoint/require_bearer_token", &["RFC7591-ENDPOINT-03", "RFC7591-ENDPOINT-04"])
        .cite("/endpoint/allow_custom_client_creds", &["RFC7591-OUT-07"])
        .cite("/registration_access_token/lifetime", &["RFC7592-RAT-01"])
        .cite("/management/immutable_fields", &["RFC7591-SS-08"])
        .cite("/unknown_fields", &["RFC7591-META-02"])
        .cite("/checks/grant_response_consistency", &["RFC7591-GRANTRESP-01"])
        .cite("/checks/require_pkce", &["BCP-PKCE-01", "RFC8252-PKCE-01"]);
    r.0
}
