//! The policy: what a provider allows, defaults, enforces and requires.
//!
//! A policy is data. The built-in recipes (`rfc7591`, `oidc`, `fapi1-advanced`,
//! `fapi2`, `fapi2-message-signing`, `uk-openbanking`, `au-cdr`,
//! `br-openfinance`) are constructors of this same struct (see
//! [`crate::profiles`]); a custom policy names a base profile and overrides
//! fields. Policies are validated when loaded ([`Policy::from_json`]), never
//! at request time.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::limits::Limits;

/// A built-in profile (recipe). Stable, lowercase, hyphenated ids; the IBM
/// Security Verify Access recipe names are accepted as aliases (ISVA-CONF-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ProfileId {
    /// Plain RFC 7591, permissive.
    #[default]
    #[serde(rename = "rfc7591")]
    Rfc7591,
    /// OpenID Connect Dynamic Client Registration 1.0. ISVA alias `Default`.
    #[serde(rename = "oidc", alias = "Default")]
    Oidc,
    /// FAPI 1.0 Advanced. ISVA alias `FAPI_DEFAULT`.
    #[serde(rename = "fapi1-advanced", alias = "FAPI_DEFAULT")]
    Fapi1Advanced,
    /// FAPI 2.0 Security Profile.
    #[serde(rename = "fapi2")]
    Fapi2,
    /// FAPI 2.0 Security Profile + Message Signing.
    #[serde(rename = "fapi2-message-signing")]
    Fapi2MessageSigning,
    /// UK Open Banking DCR 3.x. ISVA alias `FAPI_UK-OB`.
    #[serde(rename = "uk-openbanking", alias = "FAPI_UK-OB")]
    UkOpenBanking,
    /// Australia Consumer Data Right DCR. ISVA alias `FAPI_AU-CDR`.
    #[serde(rename = "au-cdr", alias = "FAPI_AU-CDR")]
    AuCdr,
    /// Open Finance Brasil DCR.
    #[serde(rename = "br-openfinance")]
    BrOpenFinance,
}

impl ProfileId {
    /// Every built-in profile, in documentation order.
    pub const ALL: [ProfileId; 8] = [
        Self::Rfc7591,
        Self::Oidc,
        Self::Fapi1Advanced,
        Self::Fapi2,
        Self::Fapi2MessageSigning,
        Self::UkOpenBanking,
        Self::AuCdr,
        Self::BrOpenFinance,
    ];

    /// The stable id, e.g. `fapi1-advanced`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Rfc7591 => "rfc7591",
            Self::Oidc => "oidc",
            Self::Fapi1Advanced => "fapi1-advanced",
            Self::Fapi2 => "fapi2",
            Self::Fapi2MessageSigning => "fapi2-message-signing",
            Self::UkOpenBanking => "uk-openbanking",
            Self::AuCdr => "au-cdr",
            Self::BrOpenFinance => "br-openfinance",
        }
    }

    /// Parses an id or an ISVA alias.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(Value::String(s.to_owned())).ok()
    }

    /// True for profiles that follow OpenID Connect DCR (all but `rfc7591`).
    #[must_use]
    pub const fn is_oidc(self) -> bool {
        !matches!(self, Self::Rfc7591)
    }
}

/// What the provider supports, named as in OpenID Provider / RFC 8414
/// discovery metadata. `None` means "not restricted by this policy".
/// A requested value outside a list is rejected (`invalid_client_metadata`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Capabilities {
    pub grant_types_supported: Option<Vec<String>>,
    pub response_types_supported: Option<Vec<String>>,
    pub response_modes_supported: Option<Vec<String>>,
    pub scopes_supported: Option<Vec<String>>,
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    pub token_endpoint_auth_signing_alg_values_supported: Option<Vec<String>>,
    pub subject_types_supported: Option<Vec<String>>,
    pub id_token_signing_alg_values_supported: Option<Vec<String>>,
    pub id_token_encryption_alg_values_supported: Option<Vec<String>>,
    pub id_token_encryption_enc_values_supported: Option<Vec<String>>,
    pub userinfo_signing_alg_values_supported: Option<Vec<String>>,
    pub userinfo_encryption_alg_values_supported: Option<Vec<String>>,
    pub userinfo_encryption_enc_values_supported: Option<Vec<String>>,
    pub request_object_signing_alg_values_supported: Option<Vec<String>>,
    pub request_object_encryption_alg_values_supported: Option<Vec<String>>,
    pub request_object_encryption_enc_values_supported: Option<Vec<String>>,
    pub authorization_signing_alg_values_supported: Option<Vec<String>>,
    pub authorization_encryption_alg_values_supported: Option<Vec<String>>,
    pub authorization_encryption_enc_values_supported: Option<Vec<String>>,
    pub introspection_signing_alg_values_supported: Option<Vec<String>>,
    pub dpop_signing_alg_values_supported: Option<Vec<String>>,
    pub backchannel_token_delivery_modes_supported: Option<Vec<String>>,
    pub backchannel_authentication_request_signing_alg_values_supported: Option<Vec<String>>,
    pub acr_values_supported: Option<Vec<String>>,
    /// `true` when the provider supports `require_pushed_authorization_requests`.
    pub pushed_authorization_request_endpoint: Option<bool>,
    /// RFC 8705 §3: `tls_client_certificate_bound_access_tokens` supported.
    pub tls_client_certificate_bound_access_tokens: Option<bool>,
    /// OIDC Front-Channel Logout support.
    pub frontchannel_logout_supported: Option<bool>,
    /// OIDC Back-Channel Logout support.
    pub backchannel_logout_supported: Option<bool>,
}

/// Software statement (SSA) settings (RFC 7591 §2.3, JWT-*, profile SSA rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SoftwareStatementPolicy {
    /// A registration without a `software_statement` is rejected.
    pub required: bool,
    /// Accepted `iss` values; empty accepts any issuer whose key set the host supplied.
    pub trusted_issuers: Vec<String>,
    /// Accepted JWS `alg` values (never `none` or `HS*`).
    pub signing_algs: Vec<String>,
    /// Oldest accepted `iat`, in seconds (`None`: no maximum age).
    pub max_age: Option<u64>,
    /// Clock skew tolerated on `exp`, `nbf`, `iat`, in seconds.
    pub leeway: u64,
    /// Claims that must be present.
    pub required_claims: Vec<String>,
    /// Required JOSE `typ` header value, if any.
    pub typ: Option<String>,
    /// SSA claim → metadata field, applied with SSA precedence (RFC7591-SS-07).
    /// Claims whose names are metadata fields map onto themselves unless listed here.
    pub claim_map: Map<String, Value>,
    /// What to do with `jwk`/`x5c`/`jku`/`x5u` headers: `reject` (default) or `ignore`.
    pub embedded_keys: EmbeddedKeys,
}

impl Default for SoftwareStatementPolicy {
    fn default() -> Self {
        Self {
            required: false,
            trusted_issuers: Vec::new(),
            signing_algs: default_asymmetric_algs(),
            max_age: None,
            leeway: 60,
            required_claims: Vec::new(),
            typ: None,
            claim_map: Map::new(),
            embedded_keys: EmbeddedKeys::Reject,
        }
    }
}

/// How to treat key-carrying JOSE headers (`jwk`, `x5c`, `jku`, `x5u`).
/// Keys are never taken from the token either way (JWT-KEY-03).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmbeddedKeys {
    /// Reject a token that carries one.
    #[default]
    Reject,
    /// Accept the token but never use the header.
    Ignore,
}

/// Signed registration request (`application/jwt` body) settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RequestJwtPolicy {
    /// `required`: only signed requests; `optional`: either; `forbidden`: only JSON.
    pub mode: RequestJwtMode,
    /// Accepted JWS `alg` values.
    pub signing_algs: Vec<String>,
    /// Accepted `aud` values; empty means the policy `issuer` and the registration endpoint.
    pub audience: Vec<String>,
    /// Oldest accepted `iat`, in seconds.
    pub max_age: Option<u64>,
    /// Clock skew tolerated, in seconds.
    pub leeway: u64,
    /// Claims that must be present (e.g. `iss`, `iat`, `exp`, `aud`, `jti`).
    pub required_claims: Vec<String>,
    /// Required JOSE `typ`, if any.
    pub typ: Option<String>,
    /// How to treat `jwk`/`x5c`/`jku`/`x5u` headers.
    pub embedded_keys: EmbeddedKeys,
}

impl Default for RequestJwtPolicy {
    fn default() -> Self {
        Self {
            mode: RequestJwtMode::Optional,
            signing_algs: default_asymmetric_algs(),
            audience: Vec::new(),
            max_age: None,
            leeway: 60,
            required_claims: Vec::new(),
            typ: None,
            embedded_keys: EmbeddedKeys::Reject,
        }
    }
}

/// Whether the registration body may or must be a signed JWT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestJwtMode {
    /// Only `application/jwt` bodies are accepted.
    Required,
    /// JSON or JWT.
    #[default]
    Optional,
    /// Only JSON bodies.
    Forbidden,
}

/// How the registration (or management) endpoint itself is protected
/// (RFC7591-ENDPOINT-*, ISVA-AUTH-*).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EndpointPolicy {
    /// The request must arrive over mutual TLS.
    pub require_mtls: bool,
    /// The request must carry a bearer token that the host validated.
    pub require_bearer_token: bool,
    /// Scopes the bearer token must carry (ISVA-RAT-03).
    pub bearer_token_scopes: Vec<String>,
    /// A `software_statement` must be present.
    pub require_software_statement: bool,
    /// Accept a client-chosen `client_id` / `client_secret` (ISVA-AUTH-04).
    pub allow_custom_client_creds: bool,
}

/// Registration access token settings (RFC 7592 §3, ISVA-RAT-*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegistrationAccessTokenPolicy {
    /// Issue a registration access token and `registration_client_uri`.
    pub generate: bool,
    /// Lifetime in seconds; 0 = does not expire.
    pub lifetime: u64,
    /// Re-issue the token on every successful read.
    pub rotate_on_read: bool,
    /// Re-issue the token on every successful update.
    pub rotate_on_update: bool,
}

impl Default for RegistrationAccessTokenPolicy {
    fn default() -> Self {
        Self { generate: true, lifetime: 0, rotate_on_read: false, rotate_on_update: false }
    }
}

/// Client secret settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClientSecretPolicy {
    /// Lifetime in seconds; 0 = does not expire (`client_secret_expires_at` = 0).
    pub lifetime: u64,
    /// Re-issue the secret on every successful update.
    pub rotate_on_update: bool,
    /// Accept a new `client_secret` in a PUT body (ISVA-AUTH-08).
    pub allow_update: bool,
}

/// RFC 7592 management settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ManagementPolicy {
    /// Allow DELETE (ISVA-MAP-06); `false` answers 403.
    pub allow_delete: bool,
    /// Allow PUT.
    pub allow_update: bool,
    /// A PUT must carry a fresh software statement (UK OB, CDR, Brazil).
    pub require_software_statement_on_update: bool,
    /// Metadata fields that can never change after registration (e.g. `software_id`).
    pub immutable_fields: Vec<String>,
}

impl Default for ManagementPolicy {
    fn default() -> Self {
        Self { allow_delete: true, allow_update: true, require_software_statement_on_update: false, immutable_fields: vec!["software_id".to_owned()] }
    }
}

/// A complete policy. Build one from a profile with
/// [`crate::profiles::recipe`], or load JSON with [`Policy::from_json`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// The base profile whose coded rules also run.
    pub profile: ProfileId,
    /// The provider's issuer identifier (expected `aud` of signed requests).
    pub issuer: Option<String>,
    /// The registration endpoint URL; `registration_client_uri` is built as
    /// `{registration_endpoint}/{client_id}` unless the host overrides it.
    pub registration_endpoint: Option<String>,
    /// What the provider supports.
    pub capabilities: Capabilities,
    /// Values filled into absent fields (recorded as `defaulted` changes);
    /// these win over the RFC / OIDC defaults.
    pub defaults: Map<String, Value>,
    /// Values that replace whatever was sent (recorded as `overridden` changes).
    pub enforce: Map<String, Value>,
    /// Field → allowed values (for array fields, each element must be allowed).
    pub allowed: Map<String, Value>,
    /// Fields that must be present after defaults and overrides.
    pub required: Vec<String>,
    /// Fields that must not be sent.
    pub forbidden: Vec<String>,
    /// Software statement settings.
    pub software_statement: SoftwareStatementPolicy,
    /// Signed registration request settings.
    pub request_jwt: RequestJwtPolicy,
    /// Registration endpoint protection.
    pub endpoint: EndpointPolicy,
    /// Management endpoint protection (RFC 7592).
    pub management_endpoint: EndpointPolicy,
    /// Registration access token issuance.
    pub registration_access_token: RegistrationAccessTokenPolicy,
    /// Client secret issuance.
    pub client_secret: ClientSecretPolicy,
    /// RFC 7592 management.
    pub management: ManagementPolicy,
    /// Hostile-input budgets.
    pub limits: Limits,
    /// What to do with metadata fields the engine does not understand
    /// (RFC7591-META-02: never an error; `keep` stores them, `drop` removes
    /// them and records a `removed` change).
    pub unknown_fields: UnknownFields,
    /// Switches for metadata rules the specs leave to the server
    /// (grant/response consistency, native redirect options, ...).
    pub checks: crate::metadata::checks::MetadataChecks,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            profile: ProfileId::Rfc7591,
            issuer: None,
            registration_endpoint: None,
            capabilities: Capabilities::default(),
            defaults: Map::new(),
            enforce: Map::new(),
            allowed: Map::new(),
            required: Vec::new(),
            forbidden: Vec::new(),
            software_statement: SoftwareStatementPolicy::default(),
            request_jwt: RequestJwtPolicy::default(),
            endpoint: EndpointPolicy::default(),
            management_endpoint: EndpointPolicy::default(),
            registration_access_token: RegistrationAccessTokenPolicy::default(),
            client_secret: ClientSecretPolicy::default(),
            management: ManagementPolicy::default(),
            limits: Limits::default(),
            unknown_fields: UnknownFields::Keep,
            checks: crate::metadata::checks::MetadataChecks::default(),
        }
    }
}

/// Policy switch of RFC7591-META-02.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownFields {
    /// Store unknown fields as sent (RFC 7591 §3.2.1 example echoes them).
    #[default]
    Keep,
    /// Drop them (AU CDR: unsupported fields are not persisted or returned).
    Drop,
}

/// Every asymmetric JWS algorithm the engine verifies.
#[must_use]
pub fn default_asymmetric_algs() -> Vec<String> {
    ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"].iter().map(|s| (*s).to_owned()).collect()
}

impl Policy {
    /// Loads a policy from JSON: `{"profile": "...", ...overrides}`.
    ///
    /// # Errors
    /// Every problem in the document, each with its path (source `policy`).
    pub fn from_json(text: &str) -> Result<Self, Vec<crate::error::Violation>> {
        use crate::error::{ErrorCode, Source, Violation};
        let invalid = |path: String, message: String, reason: &str| {
            Violation::new(ErrorCode::InvalidRequest, "POLICY-LOAD-01", path, message).in_source(Source::Policy).with_reason(reason)
        };
        let value = crate::limits::parse_json(text.as_bytes(), &Limits { max_body_bytes: 1 << 20, max_depth: 32, ..Limits::default() })
            .map_err(|e| vec![invalid(e.path.clone(), e.message.clone(), e.reason)])?;
        serde_json::from_value::<Policy>(value).map_err(|e| vec![invalid(String::new(), e.to_string(), "schema")])
    }
}
