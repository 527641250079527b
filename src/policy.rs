//! The policy: what a provider allows, defaults, enforces and requires.
//!
//! A policy is data. The built-in recipes (`rfc7591`, `oidc`, `fapi1-advanced`,
//! `fapi2`, `fapi2-message-signing`, `uk-openbanking`, `au-cdr`,
//! `br-openfinance`) are constructors of this same struct (see
//! [`crate::profiles`]); a custom policy names a base profile and overrides
//! fields. Policies are validated when loaded ([`Policy::from_json`]), never
//! at request time.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{ErrorCode, Report, Source, Violation};
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

    /// True for FAPI 1.0 Advanced and the ecosystems built on it
    /// (`uk-openbanking`, `au-cdr`, `br-openfinance`).
    #[must_use]
    pub const fn is_fapi1(self) -> bool {
        matches!(self, Self::Fapi1Advanced | Self::UkOpenBanking | Self::AuCdr | Self::BrOpenFinance)
    }

    /// True for FAPI 2.0 (`fapi2`, `fapi2-message-signing`).
    #[must_use]
    pub const fn is_fapi2(self) -> bool {
        matches!(self, Self::Fapi2 | Self::Fapi2MessageSigning)
    }

    /// True for every FAPI-based profile.
    #[must_use]
    pub const fn is_fapi(self) -> bool {
        self.is_fapi1() || self.is_fapi2()
    }

    /// The IBM Security Verify Access recipe name of this profile, if it has one
    /// (ISVA-CONF-01).
    #[must_use]
    pub const fn isva_recipe(self) -> Option<&'static str> {
        match self {
            Self::Oidc => Some("Default"),
            Self::Fapi1Advanced => Some("FAPI_DEFAULT"),
            Self::UkOpenBanking => Some("FAPI_UK-OB"),
            Self::AuCdr => Some("FAPI_AU-CDR"),
            _ => None,
        }
    }
}

impl core::fmt::Display for ProfileId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
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
    /// The key set that signs SSAs, for the host to fetch (ISVA
    /// `software_statement_validation.jwks_uri`, ISVA-SSA-01). Informational:
    /// the engine never fetches.
    pub jwks_uri: Option<String>,
    /// Accepted JWS `alg` values (never `none` or `HS*`).
    pub signing_algs: Vec<String>,
    /// Oldest accepted `iat`, in seconds (`None`: no maximum age).
    pub max_age: Option<u64>,
    /// Clock skew tolerated on `exp`, `nbf`, `iat`, in seconds.
    pub leeway: u64,
    /// Claims that must be present (checked with the JWT, JWT-*).
    pub required_claims: Vec<String>,
    /// Claims that must have exactly this value (e.g. UK OB `org_status` =
    /// `Active`); checked by [`crate::profiles::check_ssa_claims`] as
    /// `unapproved_software_statement`.
    pub required_values: Map<String, Value>,
    /// Required JOSE `typ` header value, if any.
    pub typ: Option<String>,
    /// SSA claim → metadata field, applied by
    /// [`crate::profiles::merge_software_statement`]. A value is either a
    /// field name (SSA precedence, RFC7591-SS-07) or
    /// `{"to": field, "mode": "override"|"subset"|"equal"|"scope_subset"|"ignore", "rule": id}`.
    /// SSA claims stay apart from body members until this merge, which
    /// records each SSA-derived value as a change (ISVA-MAP-05).
    pub claim_map: BTreeMap<String, ClaimMapping>,
    /// Claims named like a standard metadata field and not listed in
    /// `claim_map` map onto that field (`redirect_uris` with `subset`
    /// semantics, OIDCDCR-REDIRECT-02; everything else with SSA precedence).
    pub map_metadata_claims: bool,
    /// SSA claims that name the software's own key set, in order of
    /// preference (UK OB `software_jwks_endpoint`, CDR `jwks_uri`, Brazil
    /// `software_jwks_uri`); see [`crate::profiles::software_jwks_location`].
    pub software_jwks_claims: Vec<String>,
    /// Scopes the SSA's roles allow (UKOB-META-08, BROF-SCOPE-01), if the
    /// profile derives scope from roles.
    pub role_scopes: Option<RoleScopesPolicy>,
    /// What to do with `jwk`/`x5c`/`jku`/`x5u` headers: `reject` (default) or `ignore`.
    pub embedded_keys: EmbeddedKeys,
}

impl Default for SoftwareStatementPolicy {
    fn default() -> Self {
        Self {
            required: false,
            trusted_issuers: Vec::new(),
            jwks_uri: None,
            signing_algs: default_asymmetric_algs(),
            max_age: None,
            leeway: 60,
            required_claims: Vec::new(),
            required_values: Map::new(),
            typ: None,
            claim_map: BTreeMap::new(),
            map_metadata_claims: true,
            software_jwks_claims: vec!["jwks_uri".to_owned()],
            role_scopes: None,
            embedded_keys: EmbeddedKeys::Reject,
        }
    }
}

/// How one SSA claim lands in the client metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "ClaimMappingRepr")]
pub struct ClaimMapping {
    /// The metadata field the claim maps onto.
    pub to: String,
    /// How the SSA value and a sent value combine.
    pub mode: MappingMode,
    /// The rule ID cited in changes and violations (default `RFC7591-SS-07`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The error code of a `subset` / `equal` / `scope_subset` violation
    /// (default `invalid_redirect_uri` for `redirect_uris`, else
    /// `invalid_client_metadata`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorCode>,
    /// `subset` / `equal` / `scope_subset`: when the request leaves the field
    /// out, take the SSA value (default `true`: UKOB-META-02, AUCDR-META-01,
    /// BROF-JWKS-02). `false` leaves it absent, so a `required` field is
    /// refused instead (BROF-META-01 / BROF-SSA-04: Brazil's `redirect_uris`
    /// must be sent).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub fill_when_absent: bool,
}

fn yes() -> bool {
    true
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_true(b: &bool) -> bool {
    *b
}

impl ClaimMapping {
    /// A mapping onto `field` with `mode`, citing `rule`.
    #[must_use]
    pub fn to(field: &str, mode: MappingMode, rule: &str) -> Self {
        Self { to: field.to_owned(), mode, rule: Some(rule.to_owned()), error: None, fill_when_absent: true }
    }

    /// Leaves an absent field absent instead of taking the SSA value.
    #[must_use]
    pub fn without_fill(mut self) -> Self {
        self.fill_when_absent = false;
        self
    }

    /// Sets the error code of a failed comparison.
    #[must_use]
    pub fn with_error(mut self, error: ErrorCode) -> Self {
        self.error = Some(error);
        self
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ClaimMappingRepr {
    Field(String),
    Full(ClaimMappingFull),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimMappingFull {
    to: String,
    #[serde(default)]
    mode: MappingMode,
    #[serde(default)]
    rule: Option<String>,
    #[serde(default)]
    error: Option<ErrorCode>,
    #[serde(default = "yes")]
    fill_when_absent: bool,
}

impl From<ClaimMappingRepr> for ClaimMapping {
    fn from(r: ClaimMappingRepr) -> Self {
        match r {
            ClaimMappingRepr::Field(to) => Self { to, mode: MappingMode::Override, rule: None, error: None, fill_when_absent: true },
            ClaimMappingRepr::Full(f) => {
                Self { to: f.to, mode: f.mode, rule: f.rule, error: f.error, fill_when_absent: f.fill_when_absent }
            }
        }
    }
}

/// How an SSA value combines with the value sent in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingMode {
    /// The SSA value wins; a different sent value is replaced and the change
    /// recorded (RFC7591-SS-07).
    #[default]
    Override,
    /// Arrays: every sent value must be in the SSA's list (violation otherwise);
    /// absent → the SSA's list (UKOB-SSA-03, AUCDR-SSA-04, BROF-SSA-04).
    /// Never replaces a sent list (OIDCDCR-REDIRECT-02).
    Subset,
    /// A sent value must equal the SSA value (violation otherwise); absent →
    /// the SSA value (UKOB-META-10, BROF-JWKS-02).
    Equal,
    /// Space-separated scope strings: sent scopes ⊆ SSA scopes; absent → SSA scopes.
    ScopeSubset,
    /// The claim is not copied.
    Ignore,
}

/// Role → scope mapping for SSAs that carry roles instead of scopes
/// (UKOB-META-08 / UKOB-SSA-06, BROF-SCOPE-01 / BROF-SSA-05 / BROF-DEF-01).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RoleScopesPolicy {
    /// The SSA claim that lists the roles (`software_roles`, `software_statement_roles`).
    pub claim: String,
    /// When the roles are objects: the member holding the role name (`role`).
    pub role_key: Option<String>,
    /// When the roles are objects: the member holding their status (`status`).
    pub status_key: Option<String>,
    /// The status value that makes a role count (`Active`).
    pub active_status: Option<String>,
    /// Role → scopes it allows.
    pub scopes: BTreeMap<String, Vec<String>>,
    /// Scopes every software may ask for (`openid`).
    pub always: Vec<String>,
    /// When `scope` is absent, register every scope the roles allow.
    pub default_when_absent: bool,
}

impl Default for RoleScopesPolicy {
    fn default() -> Self {
        Self {
            claim: "software_roles".to_owned(),
            role_key: None,
            status_key: None,
            active_status: None,
            scopes: BTreeMap::new(),
            always: vec!["openid".to_owned()],
            default_when_absent: true,
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
    /// The request's `iss` must equal this SSA claim (`software_id`:
    /// UKOB-REQ-03, AUCDR-REQ-03).
    pub iss_equals_ssa_claim: Option<String>,
    /// Metadata fields the client itself must send in the signed request
    /// (checked before any default is filled: UKOB-META-07, AUCDR-META-02..06).
    pub required_metadata: Vec<String>,
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
            iss_equals_ssa_claim: None,
            required_metadata: Vec::new(),
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
    /// What a read (GET) response does with the stored secret.
    pub on_read: SecretOnRead,
}

/// What a read response does with the client secret (RFC7592-READ-02).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretOnRead {
    /// Return the stored secret (RFC 7592 §3 lists it in the response).
    #[default]
    Include,
    /// Leave it out of the response.
    Omit,
    /// Issue a new secret on every read.
    Rotate,
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
        Self {
            allow_delete: true,
            allow_update: true,
            require_software_statement_on_update: false,
            immutable_fields: vec!["software_id".to_owned()],
        }
    }
}

/// Behaviour switches named by the spec digest ("policy switch ...").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Switches {
    /// FAPI2-REDIRECT-02: clients must pre-register redirect URIs.
    pub require_registered_redirect_uris: bool,
    /// FAPI2-SENDER-01: the sender constraint set when the client asks for none.
    pub preferred_sender_constraint: Option<SenderConstraint>,
    /// Default `*_enc` when a `*_alg` encryption field is sent without it
    /// (BROF-ALG-02 `A256GCM`; `None` leaves the OIDC default `A128CBC-HS256`).
    pub default_encryption_enc: Option<String>,
    /// AUCDR-META-05: after this time (Unix seconds), `code id_token` is refused.
    pub hybrid_response_type_until: Option<i64>,
    /// AUCDR-META-06: `id_token_encrypted_response_alg` / `_enc` registered
    /// with the authorization code flow alone (`au-cdr` only). Default
    /// `reject`, as the digest reads the standard ("must not be used with the
    /// code flow alone"); `warn` accepts them unused, as the CDR participant
    /// tooling and the DSB's standards-maintenance #576 (decision 298) expect
    /// (one composite client for both flows).
    pub code_flow_id_token_encryption: crate::metadata::checks::Level,
}

impl Default for Switches {
    fn default() -> Self {
        Self {
            require_registered_redirect_uris: true,
            preferred_sender_constraint: None,
            default_encryption_enc: None,
            hybrid_response_type_until: None,
            code_flow_id_token_encryption: crate::metadata::checks::Level::Reject,
        }
    }
}

/// A sender-constraining mechanism (FAPI2-SENDER-01).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SenderConstraint {
    /// `tls_client_certificate_bound_access_tokens` (RFC 8705).
    Mtls,
    /// `dpop_bound_access_tokens` (RFC 9449).
    Dpop,
}

/// Binding between the mTLS certificate of the registration request and the
/// registered metadata / SSA (RFC8705-AUTH-07, BROF-DN-*).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CertificateBindingPolicy {
    /// A `tls_client_auth_subject_dn` must match the presented certificate's
    /// subject under RFC 4517 `distinguishedNameMatch` (BROF-DN-05).
    pub subject_dn_must_match: bool,
    /// The certificate's `UID` must equal this SSA claim (BROF-DN-03: `software_id`).
    pub uid_equals_ssa_claim: Option<String>,
    /// The certificate's `organizationIdentifier` must be `prefix` + this SSA
    /// claim (BROF-DN-04: `OFBBR-` + `org_id`).
    pub organization_identifier: Option<OrganizationIdentifierBinding>,
}

/// BROF-DN-04 settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationIdentifierBinding {
    /// Literal prefix (`OFBBR-`).
    pub prefix: String,
    /// SSA claim appended to the prefix (`org_id`).
    pub claim: String,
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
    /// these win over the RFC / OIDC defaults (an ISVA mapping rule's
    /// defaults, ISVA-MAP-02).
    pub defaults: Map<String, Value>,
    /// Values that replace whatever was sent (recorded as `overridden`
    /// changes; an ISVA mapping rule's overwrites, ISVA-MAP-03).
    pub enforce: Map<String, Value>,
    /// Field → allowed values (for array fields, each element must be allowed).
    pub allowed: Map<String, Value>,
    /// Fields that must be present after defaults and overrides.
    pub required: Vec<String>,
    /// Fields that must not be sent.
    pub forbidden: Vec<String>,
    /// Rule IDs behind each data item, keyed `/section/key` (e.g.
    /// `/allowed/token_endpoint_auth_method` → `["FAPI1-AUTH-01"]`). The
    /// first ID is the one a violation or change carries; see [`Policy::rule_for`].
    pub rule_ids: BTreeMap<String, Vec<String>>,
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
    /// mTLS certificate ↔ metadata / SSA binding.
    pub certificate_binding: CertificateBindingPolicy,
    /// Behaviour switches.
    pub switches: Switches,
    /// Hostile-input budgets.
    pub limits: Limits,
    /// What to do with metadata fields the engine does not understand
    /// (RFC7591-META-02: never an error; `keep` stores them, `drop` removes
    /// them and records a `removed` change).
    pub unknown_fields: UnknownFields,
    /// ISVA `mappingrule_id` (ISVA-CONF-02): kept for "explain", never executed.
    pub mapping_rule: Option<String>,
    /// Switches for metadata rules the specs leave to the server
    /// (grant/response consistency, native redirect options, ...).
    pub checks: crate::metadata::checks::MetadataChecks,
    /// What a success response carries beyond the registered client.
    pub response: ResponsePolicy,
}

/// The shape of registration and RFC 7592 success responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ResponsePolicy {
    /// UKOB-META-14: every claim of the client's software statement is also a
    /// top-level response member (the stored client is unchanged). A
    /// registered value wins over a claim of the same name, and the
    /// server-issued `registration_access_token` / `registration_client_uri`
    /// never come from the statement. Off by default (RFC 7591 returns only
    /// the claims that were used); on for `uk-openbanking`.
    pub flatten_ssa_claims: bool,
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
            rule_ids: BTreeMap::new(),
            software_statement: SoftwareStatementPolicy::default(),
            request_jwt: RequestJwtPolicy::default(),
            endpoint: EndpointPolicy::default(),
            management_endpoint: EndpointPolicy::default(),
            registration_access_token: RegistrationAccessTokenPolicy::default(),
            client_secret: ClientSecretPolicy::default(),
            management: ManagementPolicy::default(),
            certificate_binding: CertificateBindingPolicy::default(),
            switches: Switches::default(),
            limits: Limits::default(),
            unknown_fields: UnknownFields::Keep,
            mapping_rule: None,
            checks: crate::metadata::checks::MetadataChecks::default(),
            response: ResponsePolicy::default(),
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

/// Every asymmetric JWS algorithm the engine verifies: the default allow-list,
/// `RS256` included (RFC7591-SS-03); FAPI profiles narrow it.
#[must_use]
pub fn default_asymmetric_algs() -> Vec<String> {
    ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"].iter().map(|s| (*s).to_owned()).collect()
}

/// Fallback rule IDs for data items without a citation.
const FALLBACK_RULES: [(&str, &str); 6] = [
    // RFC8705-AUTH-07: the generic rule when a profile sets the switch without citing its own.
    ("/certificate_binding/subject_dn_must_match", "RFC8705-AUTH-07"),
    ("/defaults/", "POLICY-DEFAULT"),
    ("/enforce/", "POLICY-ENFORCE"),
    ("/allowed/", "POLICY-ALLOWED"),
    ("/required/", "POLICY-REQUIRED"),
    ("/forbidden/", "POLICY-FORBIDDEN"),
];

impl Policy {
    /// Loads a policy from JSON: `{"profile": "...", ...overrides}`.
    ///
    /// The overrides are deep-merged over the named recipe
    /// ([`crate::profiles::recipe`]) serialized to JSON: objects merge member
    /// by member, arrays and scalars replace, and `null` removes an entry from
    /// the map-valued sections (`defaults`, `enforce`, `allowed`, `rule_ids`,
    /// `software_statement.claim_map`, `software_statement.required_values`)
    /// or unsets an optional setting. An object with a top-level
    /// `dynamic_registration` member is read as an ISVA stanza
    /// ([`Policy::from_isva_json`]).
    ///
    /// # Errors
    /// Every problem in the document, each a [`Violation`] with source
    /// `policy`, the JSON Pointer of the bad item, and a `POLICY-*` (or the
    /// profile's own) rule ID.
    pub fn from_json(text: &str) -> Result<Self, Vec<Violation>> {
        let doc = parse_policy_text(text)?;
        if doc.contains_key("dynamic_registration") {
            return Self::from_isva_doc(&doc);
        }
        Self::from_overrides(doc)
    }

    /// Loads the `dynamic_registration` stanza of an IBM Security Verify
    /// Access OIDC Provider configuration in its JSON form:
    /// `{"dynamic_registration": {"recipe": "FAPI_UK-OB", ...}}`, optionally
    /// with policy members beside it (applied on top). See
    /// `shared/spec/isva-recipes.md` (ISVA-CONF-*, ISVA-AUTH-*, ISVA-RAT-*).
    ///
    /// # Errors
    /// As [`Policy::from_json`]; unknown keys in the stanza are errors (ISVA-CONF-03).
    pub fn from_isva_json(text: &str) -> Result<Self, Vec<Violation>> {
        let doc = parse_policy_text(text)?;
        if !doc.contains_key("dynamic_registration") {
            return Err(vec![policy_violation(
                "ISVA-CONF-03",
                "/dynamic_registration",
                "the document has no `dynamic_registration` member",
                "missing",
            )]);
        }
        Self::from_isva_doc(&doc)
    }

    fn from_isva_doc(doc: &Map<String, Value>) -> Result<Self, Vec<Violation>> {
        let overrides = crate::profiles::isva::translate(doc)?;
        Self::from_overrides(overrides).map_err(|v| crate::profiles::isva::remap_paths(doc, v))
    }

    /// Builds a policy from an already-parsed override object.
    ///
    /// # Errors
    /// As [`Policy::from_json`].
    pub fn from_overrides(overrides: Map<String, Value>) -> Result<Self, Vec<Violation>> {
        let profile = match overrides.get("profile") {
            None => ProfileId::Rfc7591,
            Some(Value::String(s)) => match ProfileId::parse(s) {
                Some(p) => p,
                None => {
                    let known: Vec<&str> = ProfileId::ALL.iter().map(|p| p.as_str()).collect();
                    return Err(vec![policy_violation(
                        "POLICY-LOAD-02",
                        "/profile",
                        format!("unknown profile `{}`, expected one of {} (or an ISVA recipe name)", sanitize(s), backticked(&known)),
                        "unknown_profile",
                    )]);
                }
            },
            Some(_) => {
                return Err(vec![policy_violation("POLICY-LOAD-02", "/profile", "`profile` must be a string", "type")]);
            }
        };
        let base = match serde_json::to_value(crate::profiles::recipe(profile)) {
            Ok(Value::Object(m)) => m,
            _ => {
                return Err(vec![policy_violation("POLICY-LOAD-01", "", "internal error: the recipe did not serialize", "internal")]);
            }
        };
        let mut merged = base.clone();
        deep_merge(&mut merged, &overrides, "");
        let policy = match serde_json::from_value::<Policy>(Value::Object(merged)) {
            Ok(p) => p,
            Err(_) => return Err(locate_schema_errors(&base, &overrides)),
        };
        let problems = policy.validate();
        if problems.is_empty() { Ok(policy) } else { Err(problems) }
    }

    /// Starts a [`PolicyBuilder`] from a recipe.
    pub fn builder(profile: ProfileId) -> PolicyBuilder {
        PolicyBuilder { policy: crate::profiles::recipe(profile) }
    }

    /// Semantic checks: everything a policy must satisfy beyond its JSON
    /// shape. [`Policy::from_json`] and [`PolicyBuilder::build`] run it; call
    /// it yourself after editing a policy's fields directly.
    #[must_use]
    pub fn validate(&self) -> Vec<Violation> {
        let mut report = Report::new();
        validate_policy(self, &mut report);
        crate::profiles::check_invariants(self, &mut report);
        report.into_vec()
    }

    /// Every rule ID cited for a data item, e.g. `cites("/allowed/token_endpoint_auth_method")`.
    #[must_use]
    pub fn cites(&self, key: &str) -> &[String] {
        self.rule_ids.get(key).map_or(&[], Vec::as_slice)
    }

    /// The rule ID a violation or change caused by this data item carries:
    /// the first cited ID, else `POLICY-DEFAULT` / `POLICY-ENFORCE` /
    /// `POLICY-ALLOWED` / `POLICY-REQUIRED` / `POLICY-FORBIDDEN` by section,
    /// else `POLICY`.
    #[must_use]
    pub fn rule_for(&self, key: &str) -> &str {
        if let Some(first) = self.cites(key).first() {
            return first;
        }
        FALLBACK_RULES.iter().find(|(prefix, _)| key.starts_with(prefix)).map_or("POLICY", |(_, r)| r)
    }

    /// True when a registration must carry a software statement
    /// (`software_statement.required` or `endpoint.require_software_statement`).
    #[must_use]
    pub fn requires_software_statement(&self) -> bool {
        self.software_statement.required || self.endpoint.require_software_statement
    }
}

/// A fluent builder over a recipe. Every setter replaces; [`build`](Self::build)
/// validates.
#[derive(Debug, Clone)]
#[must_use]
pub struct PolicyBuilder {
    policy: Policy,
}

impl PolicyBuilder {
    /// The provider's issuer identifier.
    pub fn issuer(mut self, issuer: &str) -> Self {
        self.policy.issuer = Some(issuer.to_owned());
        self
    }
    /// The registration endpoint URL.
    pub fn registration_endpoint(mut self, url: &str) -> Self {
        self.policy.registration_endpoint = Some(url.to_owned());
        self
    }
    /// Fills `field` with `value` when absent.
    pub fn default_value(mut self, field: &str, value: Value) -> Self {
        self.policy.defaults.insert(field.to_owned(), value);
        self
    }
    /// Replaces `field` with `value` whatever was sent.
    pub fn enforce(mut self, field: &str, value: Value) -> Self {
        self.policy.enforce.insert(field.to_owned(), value);
        self
    }
    /// Restricts `field` to `values`.
    pub fn allow(mut self, field: &str, values: &[&str]) -> Self {
        self.policy.allowed.insert(field.to_owned(), Value::Array(values.iter().map(|v| Value::String((*v).to_owned())).collect()));
        self
    }
    /// Makes `field` required.
    pub fn require(mut self, field: &str) -> Self {
        if !self.policy.required.iter().any(|f| f == field) {
            self.policy.required.push(field.to_owned());
        }
        self
    }
    /// Forbids `field`.
    pub fn forbid(mut self, field: &str) -> Self {
        if !self.policy.forbidden.iter().any(|f| f == field) {
            self.policy.forbidden.push(field.to_owned());
        }
        self
    }
    /// Cites rule IDs for a data item (`/section/key`).
    pub fn cite(mut self, key: &str, rules: &[&str]) -> Self {
        self.policy.rule_ids.insert(key.to_owned(), rules.iter().map(|r| (*r).to_owned()).collect());
        self
    }
    /// Requires a software statement.
    pub fn require_software_statement(mut self, required: bool) -> Self {
        self.policy.software_statement.required = required;
        self.policy.endpoint.require_software_statement = required;
        self
    }
    /// Trusted SSA issuers.
    pub fn trusted_issuers(mut self, issuers: &[&str]) -> Self {
        self.policy.software_statement.trusted_issuers = issuers.iter().map(|s| (*s).to_owned()).collect();
        self
    }
    /// Accepted SSA signing algorithms.
    pub fn ssa_signing_algs(mut self, algs: &[&str]) -> Self {
        self.policy.software_statement.signing_algs = algs.iter().map(|s| (*s).to_owned()).collect();
        self
    }
    /// Maximum SSA age in seconds.
    pub fn ssa_max_age(mut self, seconds: Option<u64>) -> Self {
        self.policy.software_statement.max_age = seconds;
        self
    }
    /// Maps an SSA claim onto a metadata field.
    pub fn map_claim(mut self, claim: &str, mapping: ClaimMapping) -> Self {
        self.policy.software_statement.claim_map.insert(claim.to_owned(), mapping);
        self
    }
    /// Signed-request mode.
    pub fn request_jwt_mode(mut self, mode: RequestJwtMode) -> Self {
        self.policy.request_jwt.mode = mode;
        self
    }
    /// Accepted `aud` values of signed requests.
    pub fn request_jwt_audience(mut self, audience: &[&str]) -> Self {
        self.policy.request_jwt.audience = audience.iter().map(|s| (*s).to_owned()).collect();
        self
    }
    /// Registration endpoint: require mutual TLS.
    pub fn require_mtls(mut self, on: bool) -> Self {
        self.policy.endpoint.require_mtls = on;
        self
    }
    /// Registration endpoint: require a validated bearer token with these scopes.
    pub fn require_bearer_token(mut self, on: bool, scopes: &[&str]) -> Self {
        self.policy.endpoint.require_bearer_token = on;
        self.policy.endpoint.bearer_token_scopes = scopes.iter().map(|s| (*s).to_owned()).collect();
        self
    }
    /// Accept client-chosen credentials (ISVA-AUTH-04).
    pub fn allow_custom_client_creds(mut self, on: bool) -> Self {
        self.policy.endpoint.allow_custom_client_creds = on;
        self
    }
    /// Registration access token issuance and lifetime (seconds, 0 = never expires).
    pub fn registration_access_token(mut self, generate: bool, lifetime: u64) -> Self {
        self.policy.registration_access_token.generate = generate;
        self.policy.registration_access_token.lifetime = lifetime;
        self
    }
    /// Client secret lifetime (seconds, 0 = never expires).
    pub fn client_secret_lifetime(mut self, lifetime: u64) -> Self {
        self.policy.client_secret.lifetime = lifetime;
        self
    }
    /// Unknown metadata fields: keep or drop.
    pub fn unknown_fields(mut self, mode: UnknownFields) -> Self {
        self.policy.unknown_fields = mode;
        self
    }
    /// Hostile-input budgets.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.policy.limits = limits;
        self
    }
    /// Direct access for anything without a setter.
    pub fn edit(mut self, f: impl FnOnce(&mut Policy)) -> Self {
        f(&mut self.policy);
        self
    }
    /// Validates and returns the policy.
    ///
    /// # Errors
    /// The same violations [`Policy::from_json`] would report.
    pub fn build(self) -> Result<Policy, Vec<Violation>> {
        let problems = self.policy.validate();
        if problems.is_empty() { Ok(self.policy) } else { Err(problems) }
    }
}

// ---------------------------------------------------------------------------
// Loading

/// A load-time violation on the policy document.
pub(crate) fn policy_violation(rule: &str, path: impl Into<String>, message: impl Into<String>, reason: &str) -> Violation {
    Violation::new(ErrorCode::InvalidRequest, rule, path, message).in_source(Source::Policy).with_reason(reason)
}

fn parse_policy_text(text: &str) -> Result<Map<String, Value>, Vec<Violation>> {
    let limits = Limits { max_body_bytes: 1 << 20, max_depth: 32, max_array_len: 4096, max_object_members: 4096, ..Limits::default() };
    match crate::limits::parse_json(text.as_bytes(), &limits) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(vec![policy_violation("POLICY-LOAD-01", "", "a policy must be a JSON object", "not_an_object")]),
        Err(e) => Err(vec![policy_violation("POLICY-LOAD-01", e.path.clone(), e.message.clone(), e.reason)]),
    }
}

/// Sections whose members are entries of a map: `null` removes the entry.
const MAP_SECTIONS: [&str; 6] =
    ["/defaults", "/enforce", "/allowed", "/rule_ids", "/software_statement/claim_map", "/software_statement/required_values"];

/// Deep merge: objects merge, everything else replaces; `null` inside a map
/// section removes the entry.
pub(crate) fn deep_merge(base: &mut Map<String, Value>, over: &Map<String, Value>, at: &str) {
    for (k, v) in over {
        let here = crate::pointer::join(at, k);
        if v.is_null() && MAP_SECTIONS.contains(&at) {
            base.remove(k);
            continue;
        }
        match (base.get_mut(k), v) {
            (Some(Value::Object(b)), Value::Object(o)) => deep_merge(b, o, &here),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Finds the exact path(s) of the members that make the merged document fail
/// to deserialize, by trying each override alone over the recipe (and
/// descending into objects and arrays).
fn locate_schema_errors(base: &Map<String, Value>, overrides: &Map<String, Value>) -> Vec<Violation> {
    let mut out = Vec::new();
    locate(base, overrides, &mut Vec::new(), &mut out);
    if out.is_empty() {
        let mut merged = base.clone();
        deep_merge(&mut merged, overrides, "");
        let msg =
            serde_json::from_value::<Policy>(Value::Object(merged)).err().map_or_else(|| "invalid policy".to_owned(), |e| e.to_string());
        out.push(policy_violation("POLICY-LOAD-01", "", sanitize(&msg), "schema"));
    }
    out
}

fn try_single(base: &Map<String, Value>, path: &[String], value: &Value) -> Option<String> {
    let mut nested = value.clone();
    for key in path.iter().rev() {
        let mut m = Map::new();
        m.insert(key.clone(), nested);
        nested = Value::Object(m);
    }
    let Value::Object(over) = nested else {
        return None;
    };
    let mut merged = base.clone();
    deep_merge(&mut merged, &over, "");
    serde_json::from_value::<Policy>(Value::Object(merged)).err().map(|e| e.to_string())
}

fn pointer_of(path: &[String]) -> String {
    path.iter().fold(String::new(), |acc, k| crate::pointer::join(&acc, k))
}

fn locate(base: &Map<String, Value>, over: &Map<String, Value>, path: &mut Vec<String>, out: &mut Vec<Violation>) {
    for (k, v) in over {
        path.push(k.clone());
        if let Some(msg) = try_single(base, path, v) {
            let before = out.len();
            match v {
                Value::Object(inner) if !inner.is_empty() => locate(base, inner, path, out),
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        if let Some(m) = try_single(base, path, &Value::Array(vec![item.clone()])) {
                            let mut p = pointer_of(path);
                            p = crate::pointer::join(&p, &i.to_string());
                            out.push(policy_violation("POLICY-LOAD-01", p, sanitize(&m), "schema"));
                        }
                    }
                }
                _ => {}
            }
            if out.len() == before {
                out.push(policy_violation("POLICY-LOAD-01", pointer_of(path), sanitize(&msg), "schema"));
            }
        }
        path.pop();
    }
}

/// Keeps messages on one line and bounded.
pub(crate) fn sanitize(s: &str) -> String {
    let one_line: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if one_line.chars().count() > 300 { one_line.chars().take(300).collect::<String>() + "…" } else { one_line }
}

fn backticked(items: &[&str]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

// ---------------------------------------------------------------------------
// Semantic validation (generic part; profile invariants live in `profiles`)

/// Fields the server alone sets (RFC7591-OUT-*, RFC7592-UPDATE-03).
pub const SERVER_MANAGED: [&str; 6] = [
    "client_id",
    "client_secret",
    "client_id_issued_at",
    "client_secret_expires_at",
    "registration_access_token",
    "registration_client_uri",
];

fn validate_policy(p: &Policy, r: &mut Report) {
    // JWT-ALG-01 / JWT-ALG-05: `none` and HS* never verify an SSA or signed request.
    check_signing_algs(&p.software_statement.signing_algs, "/software_statement/signing_algs", r);
    check_signing_algs(&p.request_jwt.signing_algs, "/request_jwt/signing_algs", r);
    check_times(p.software_statement.max_age, p.software_statement.leeway, "/software_statement", r);
    check_times(p.request_jwt.max_age, p.request_jwt.leeway, "/request_jwt", r);
    check_limits(&p.limits, r);
    // OIDCDCR-OUT-03 / RFC7592-RESP-03: `registration_client_uri` is built from
    // the registration endpoint and must use `https`.
    if let Some(url) = &p.registration_endpoint
        && !(url.len() > 8 && url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")))
    {
        r.push(policy_violation(
            "OIDCDCR-OUT-03",
            "/registration_endpoint",
            format!("`registration_endpoint` must be an `https` url, not `{}`", sanitize(url)),
            "https",
        ));
    }
    // Data sections.
    for (section, map) in [("defaults", &p.defaults), ("enforce", &p.enforce)] {
        for (field, value) in map {
            let path = format!("/{section}/{}", crate::pointer::escape(field));
            check_field_name(field, &path, r);
            if SERVER_MANAGED.contains(&field.as_str()) {
                r.push(policy_violation(
                    "POLICY-FIELD-01",
                    path.clone(),
                    format!("`{field}` is set by the server and cannot be a policy {section} value"),
                    "server_managed",
                ));
            }
            if field == "redirect_uris" {
                // OIDCDCR-REDIRECT-02: redirect URIs are accepted as sent or refused, never supplied.
                r.push(policy_violation(
                    "OIDCDCR-REDIRECT-02",
                    path.clone(),
                    format!("`redirect_uris` cannot be a policy {section} value: redirect uris are never replaced"),
                    "redirect_uris",
                ));
            }
            if p.forbidden.iter().any(|f| f == field) {
                r.push(policy_violation(
                    "POLICY-CONFLICT-01",
                    path.clone(),
                    format!("`{field}` is both forbidden and given a {section} value"),
                    "conflict",
                ));
            }
            if let Some(allowed) = p.allowed.get(field) {
                for bad in disallowed_values(field, value, allowed) {
                    r.push(policy_violation(
                        "POLICY-CONFLICT-02",
                        path.clone(),
                        format!("{section} value `{bad}` of `{field}` is not in the policy's allowed values, so every registration would be refused"),
                        "not_allowed",
                    ));
                }
            }
        }
    }
    for (field, values) in &p.allowed {
        let path = format!("/allowed/{}", crate::pointer::escape(field));
        check_field_name(field, &path, r);
        match values {
            Value::Array(items) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    if item.is_array() || item.is_object() || item.is_null() {
                        r.push(policy_violation(
                            "POLICY-ALLOWED-01",
                            format!("{path}/{i}"),
                            "allowed values must be strings, numbers or booleans",
                            "type",
                        ));
                    }
                }
            }
            Value::Array(_) => r.push(policy_violation(
                "POLICY-ALLOWED-01",
                path,
                format!("the allowed list of `{field}` is empty: no value could ever be registered"),
                "empty",
            )),
            _ => r.push(policy_violation("POLICY-ALLOWED-01", path, format!("allowed values of `{field}` must be an array"), "type")),
        }
    }
    for (i, field) in p.required.iter().enumerate() {
        let path = format!("/required/{i}");
        check_field_name(field, &path, r);
        if p.forbidden.iter().any(|f| f == field) {
            r.push(policy_violation("POLICY-CONFLICT-01", path, format!("`{field}` is both required and forbidden"), "conflict"));
        }
    }
    for (i, field) in p.forbidden.iter().enumerate() {
        check_field_name(field, &format!("/forbidden/{i}"), r);
    }
    for (key, ids) in &p.rule_ids {
        let path = format!("/rule_ids/{}", crate::pointer::escape(key));
        if !key.starts_with('/') {
            r.push(policy_violation(
                "POLICY-RULEIDS-01",
                path.clone(),
                format!("rule_ids key `{}` must start with `/` (e.g. `/allowed/scope`)", sanitize(key)),
                "format",
            ));
        }
        if ids.is_empty() || ids.iter().any(|id| id.trim().is_empty()) {
            r.push(policy_violation("POLICY-RULEIDS-01", path, "rule_ids values must be non-empty lists of non-empty rule ids", "empty"));
        }
    }
    // Software statement.
    let ss = &p.software_statement;
    for (i, iss) in ss.trusted_issuers.iter().enumerate() {
        if iss.is_empty() {
            r.push(policy_violation(
                "POLICY-SSA-01",
                format!("/software_statement/trusted_issuers/{i}"),
                "a trusted issuer cannot be empty",
                "empty",
            ));
        }
    }
    for (claim, m) in &ss.claim_map {
        let path = format!("/software_statement/claim_map/{}", crate::pointer::escape(claim));
        if m.mode != MappingMode::Ignore && m.to.is_empty() {
            r.push(policy_violation("POLICY-CLAIMMAP-01", format!("{path}/to"), "a claim mapping needs a target field", "empty"));
        }
        if SERVER_MANAGED.contains(&m.to.as_str()) || m.to == "software_statement" {
            r.push(policy_violation(
                "POLICY-CLAIMMAP-01",
                format!("{path}/to"),
                format!("an ssa claim cannot set `{}`", m.to),
                "server_managed",
            ));
        }
        if m.mode == MappingMode::ScopeSubset && m.to != "scope" {
            r.push(policy_violation("POLICY-CLAIMMAP-01", format!("{path}/mode"), "mode `scope_subset` only applies to `scope`", "mode"));
        }
    }
    for (i, c) in ss.software_jwks_claims.iter().enumerate() {
        if c.is_empty() {
            r.push(policy_violation(
                "POLICY-SSA-01",
                format!("/software_statement/software_jwks_claims/{i}"),
                "a claim name cannot be empty",
                "empty",
            ));
        }
    }
    if let Some(rs) = &ss.role_scopes {
        if rs.claim.is_empty() {
            r.push(policy_violation(
                "POLICY-SSA-02",
                "/software_statement/role_scopes/claim",
                "the roles claim name cannot be empty",
                "empty",
            ));
        }
        if rs.status_key.is_some() != rs.active_status.is_some() {
            r.push(policy_violation(
                "POLICY-SSA-02",
                "/software_statement/role_scopes/active_status",
                "`status_key` and `active_status` go together",
                "incomplete",
            ));
        }
    }
    if p.request_jwt.mode == RequestJwtMode::Forbidden && !p.request_jwt.required_metadata.is_empty() {
        r.push(policy_violation(
            "POLICY-REQJWT-01",
            "/request_jwt/required_metadata",
            "`required_metadata` has no effect when signed requests are forbidden",
            "conflict",
        ));
    }
    if let Some(enc) = &p.switches.default_encryption_enc
        && !KNOWN_ENCS.contains(&enc.as_str())
    {
        r.push(policy_violation(
            "POLICY-SWITCH-01",
            "/switches/default_encryption_enc",
            format!("unknown content encryption `{}`", sanitize(enc)),
            "unknown",
        ));
    }
}

const KNOWN_ENCS: [&str; 6] = ["A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM"];

fn check_field_name(field: &str, path: &str, r: &mut Report) {
    if field.is_empty() || field.chars().any(|c| c.is_control() || c.is_whitespace()) {
        r.push(policy_violation("POLICY-FIELD-01", path, format!("`{}` is not a metadata field name", sanitize(field)), "name"));
    }
}

/// Values of `value` not in `allowed` (each array element; `response_types`
/// compared as unordered token sets, RFC7591-RESPTYPE-02).
pub(crate) fn disallowed_values(field: &str, value: &Value, allowed: &Value) -> Vec<String> {
    let Value::Array(list) = allowed else {
        return Vec::new();
    };
    let norm = |v: &Value| -> Value {
        match (field, v) {
            ("response_types", Value::String(s)) => {
                let mut t: Vec<&str> = s.split(' ').filter(|x| !x.is_empty()).collect();
                t.sort_unstable();
                Value::String(t.join(" "))
            }
            _ => v.clone(),
        }
    };
    let ok: Vec<Value> = list.iter().map(norm).collect();
    let items: Vec<&Value> = match value {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    items
        .into_iter()
        .filter(|v| !ok.contains(&norm(v)))
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

fn check_signing_algs(algs: &[String], path: &str, r: &mut Report) {
    if algs.is_empty() {
        r.push(policy_violation("JWT-ALG-02", path, "the allow-list is empty: no token could ever verify", "empty"));
    }
    let known = default_asymmetric_algs();
    for (i, alg) in algs.iter().enumerate() {
        let at = format!("{path}/{i}");
        if alg.eq_ignore_ascii_case("none") {
            r.push(policy_violation("JWT-ALG-01", at, "`none` is never an accepted signing algorithm", "none"));
        } else if alg.starts_with("HS") {
            r.push(policy_violation(
                "JWT-ALG-05",
                at,
                format!("`{}` is symmetric: keys from a jwks cannot verify it", sanitize(alg)),
                "symmetric",
            ));
        } else if !known.contains(alg) {
            r.push(policy_violation("JWT-ALG-02", at, format!("`{}` is not an algorithm the engine verifies", sanitize(alg)), "unknown"));
        }
    }
}

fn check_times(max_age: Option<u64>, leeway: u64, base: &str, r: &mut Report) {
    if max_age == Some(0) {
        r.push(policy_violation(
            "POLICY-TIME-01",
            format!("{base}/max_age"),
            "`max_age` of 0 refuses every token; use null for no maximum",
            "zero",
        ));
    }
    if leeway > 600 {
        r.push(policy_violation(
            "POLICY-TIME-01",
            format!("{base}/leeway"),
            format!("a clock leeway of {leeway} s is over the 600 s ceiling"),
            "too_large",
        ));
    }
}

fn check_limits(l: &Limits, r: &mut Report) {
    let mut bad = |field: &str, message: String| r.push(policy_violation("POLICY-LIMITS-01", format!("/limits/{field}"), message, "range"));
    if !(1024..=16 << 20).contains(&l.max_body_bytes) {
        bad("max_body_bytes", format!("`max_body_bytes` {} is outside 1024..=16777216", l.max_body_bytes));
    }
    if !(4..=64).contains(&l.max_depth) {
        bad("max_depth", format!("`max_depth` {} is outside 4..=64", l.max_depth));
    }
    if !(1..=65536).contains(&l.max_array_len) {
        bad("max_array_len", format!("`max_array_len` {} is outside 1..=65536", l.max_array_len));
    }
    if !(16..=65536).contains(&l.max_object_members) {
        bad("max_object_members", format!("`max_object_members` {} is outside 16..=65536", l.max_object_members));
    }
    if l.max_string_bytes < 256 || l.max_string_bytes > l.max_body_bytes {
        bad("max_string_bytes", format!("`max_string_bytes` {} must be at least 256 and at most `max_body_bytes`", l.max_string_bytes));
    }
}
