//! Policy switches for metadata rules the specs leave to the server
//! (`policy.checks`). Each switch names the rule ID it controls.

use serde::{Deserialize, Serialize};

/// How strongly a switchable rule is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// The rule does not run.
    Off,
    /// A `warning` finding (accepted).
    Warn,
    /// An `error` finding (rejected).
    Reject,
}

/// RFC7591-GRANTRESP-01 / OIDCDCR-GRANT-01 policy switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantResponseConsistency {
    /// Inconsistent combinations are rejected (the RFC's SHOULD).
    #[default]
    Reject,
    /// `authorization_code` / `implicit` are added or removed in
    /// `grant_types` to match `response_types` (node-oidc-provider), recorded as changes.
    Repair,
    /// Like `reject`, but hybrid response types (`code id_token`, ...) need
    /// only `authorization_code` (UK OB, AU CDR: UKOB-META-04).
    LenientHybrid,
}

/// RFC8705-AUTH-05: what to do with `tls_client_auth_*` subject fields when
/// the method is not `tls_client_auth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StrayFields {
    /// Remove them and record a `removed` change.
    #[default]
    Drop,
    /// Reject.
    Reject,
    /// Keep them as sent.
    Keep,
}

/// Which authorization-code clients the engine marks `require_pkce: true`
/// (an output the host enforces at the authorization endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PkceRequirement {
    /// Never set by the engine (the host decides on its own).
    Off,
    /// Public clients (BCP-PKCE-01 MUST), native apps (RFC8252-PKCE-01), every
    /// client under FAPI 2 (FAPI2-PKCE-01) and FAPI 1 clients that use PAR
    /// (FAPI1-PAR-01).
    #[default]
    Public,
    /// Every client of the authorization code grant (BCP-PKCE-01's SHOULD for
    /// confidential clients; OAuth 2.1).
    All,
}

/// Switches for the metadata rules. Absent switches take the defaults below.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetadataChecks {
    /// RFC7591-GRANTRESP-01 / OIDCDCR-GRANT-01 (default `reject`).
    pub grant_response_consistency: GrantResponseConsistency,
    /// RFC7591-GRANT-03: refuse `authorization_code` + `implicit` together (default off).
    pub refuse_code_with_implicit: bool,
    /// RFC7591-GRANT-03: refuse `authorization_code` + `client_credentials` together (default off).
    pub refuse_code_with_client_credentials: bool,
    /// OIDCDCR-APPTYPE-03: `native` clients may use claimed `https` redirect URIs (RFC 8252 §7.2; default on).
    pub native_allow_claimed_https: bool,
    /// RFC8252-REDIRECT-02: private-use schemes must look like reversed domain names (contain a `.`; default on).
    pub private_use_scheme_needs_dot: bool,
    /// OIDCDCR-APPTYPE-04: refuse `http` redirect URIs other than native loopback.
    /// `None`: on for OIDC profiles, off for `rfc7591` (where RFC7591-REDIRECT-02 still allows `http` on local hosts).
    pub refuse_http_redirects: Option<bool>,
    /// LOGOUT-BCL-02 / LOGOUT-FCL-03 / LOGOUT-RPI-01: allow `http` logout URIs for confidential clients (default off).
    pub allow_http_logout_uris: bool,
    /// RFC7591-CONTACTS-01: `contacts` entries must be e-mail addresses (default on).
    pub contacts_must_be_email: bool,
    /// RFC7591-URI-02 / OIDCDCR-SEC-01: `logo_uri`, `tos_uri`, `client_uri`, `policy_uri` host should match a redirect URI host (default `warn`;
    /// the RFC7591-SEC-02 impersonation hook).
    pub display_uri_host_match: Level,
    /// OIDCDCR-ENC-04: UserInfo encryption needs `userinfo_signed_response_alg` (default on).
    pub userinfo_encryption_requires_signing: bool,
    /// RFC8705-AUTH-05 (default `drop`).
    pub stray_tls_subject_fields: StrayFields,
    /// RFC7591-SEC-01: allow public clients (`token_endpoint_auth_method: none`; default on).
    /// BCP-AUTH-01 (authenticate clients whenever possible) is this switch plus `allowed.token_endpoint_auth_method`.
    pub allow_public_clients: bool,
    /// BCP-ROPC-01: the `password` grant (default `warn`).
    pub password_grant: Level,
    /// BCP-IMPLICIT-01: implicit grant / front-channel access tokens (default `warn`).
    pub implicit_grant: Level,
    /// RFC8252-IMPLICIT-01: native apps using implicit (default `warn`).
    pub native_implicit: Level,
    /// RFC8252-REDIRECT-05: `localhost` in native loopback redirects (default `warn`).
    pub native_localhost: Level,
    /// CIBA-META-04: CIBA fields without the CIBA grant (default `warn`).
    pub ciba_fields_without_grant: Level,
    /// OIDCDCR-JWKS-06: one key for both signing and encryption (default `warn`).
    pub dual_use_keys: Level,
    /// DCR-SSRF-01 (project rule): URIs the provider itself fetches or calls
    /// (`jwks_uri`, `sector_identifier_uri`, `request_uris`, `backchannel_logout_uri`,
    /// `backchannel_client_notification_endpoint`) must not name loopback, private,
    /// link-local or other internal hosts (default `reject`).
    pub internal_fetch_targets: Level,
    /// OIDCDCR-SECTOR-02: what happens when a client registers a
    /// `sector_identifier_uri` and the host supplied no fetched document for
    /// it (or one for another URL), so the content cannot be checked
    /// (default `reject`: fail closed). `off` for hosts that never fetch it;
    /// a document that is supplied is checked whatever this says.
    pub sector_identifier_content: Level,
    /// OIDCDCR-SECTOR-02: the fetched document must be a JSON array of
    /// strings listing every redirect URI (default `reject`; `au-cdr`:
    /// `warn`, AUCDR-SECTOR-01 asks only for a successful fetch). A failed
    /// fetch is always an error.
    pub sector_identifier_redirect_uris: Level,
    /// BCP-PKCE-01 / RFC8252-PKCE-01 / FAPI2-PKCE-01 / FAPI1-PAR-01: which
    /// clients get `require_pkce: true` (default `public`).
    pub require_pkce: PkceRequirement,
}

impl Default for MetadataChecks {
    fn default() -> Self {
        Self {
            grant_response_consistency: GrantResponseConsistency::Reject,
            refuse_code_with_implicit: false,
            refuse_code_with_client_credentials: false,
            native_allow_claimed_https: true,
            private_use_scheme_needs_dot: true,
            refuse_http_redirects: None,
            allow_http_logout_uris: false,
            contacts_must_be_email: true,
            display_uri_host_match: Level::Warn,
            userinfo_encryption_requires_signing: true,
            stray_tls_subject_fields: StrayFields::Drop,
            allow_public_clients: true,
            password_grant: Level::Warn,
            implicit_grant: Level::Warn,
            native_implicit: Level::Warn,
            native_localhost: Level::Warn,
            ciba_fields_without_grant: Level::Warn,
            dual_use_keys: Level::Warn,
            internal_fetch_targets: Level::Reject,
            sector_identifier_content: Level::Reject,
            sector_identifier_redirect_uris: Level::Reject,
            require_pkce: PkceRequirement::Public,
        }
    }
}
