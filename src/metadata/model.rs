//! The typed client metadata model and the field table it is generated from.
//!
//! One macro invocation lists every known field once (RFC 7591 §2, RFC 7592
//! §3, OIDC DCR §2, RFC 8705, RFC 9126, RFC 9449, RFC 9101, JARM, OIDC
//! logout, CIBA, FAPI 2, RFC 9396, RFC 9701); it generates the
//! [`ClientMetadata`] struct, [`FIELDS`] and [`ClientMetadata::from_map`],
//! so the three cannot drift apart.

use serde::Serialize;
use serde_json::{Map, Value};

/// The JSON type a field must have (RFC7591-META-04).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A JSON string.
    Str,
    /// A JSON boolean.
    Bool,
    /// A JSON number holding a non-negative integer.
    UInt,
    /// A JSON array of strings.
    StrArray,
    /// A JSON object.
    Object,
}

impl Kind {
    /// For messages: `a string`, `an array of strings`, ...
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Str => "a string",
            Self::Bool => "a boolean",
            Self::UInt => "a non-negative integer",
            Self::StrArray => "an array of strings",
            Self::Object => "a json object",
        }
    }
}

/// One row of the field table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldSpec {
    /// Member name.
    pub name: &'static str,
    /// Required JSON type.
    pub kind: Kind,
    /// May carry `#<BCP 47 tag>` variants (RFC7591-I18N-01).
    pub i18n: bool,
}

/// A language-tagged variant of a human-readable field (RFC 7591 §2.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Localized {
    /// Base field, e.g. `client_name`.
    pub field: &'static str,
    /// The BCP 47 tag as sent, e.g. `ja-Jpan-JP`.
    pub tag: String,
    /// The value.
    pub value: String,
}

macro_rules! rust_type {
    (Str) => { String };
    (Bool) => { bool };
    (UInt) => { u64 };
    (StrArray) => { Vec<String> };
    (Object) => { Map<String, Value> };
}

macro_rules! i18n_flag {
    () => {
        false
    };
    (i18n) => {
        true
    };
}

fn take_str(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}
fn take_bool(v: &Value) -> Option<bool> {
    v.as_bool()
}
fn take_uint(v: &Value) -> Option<u64> {
    v.as_u64()
}
fn take_str_array(v: &Value) -> Option<Vec<String>> {
    v.as_array()?.iter().map(|e| e.as_str().map(str::to_owned)).collect()
}
fn take_object(v: &Value) -> Option<Map<String, Value>> {
    v.as_object().cloned()
}

macro_rules! take {
    (Str, $v:expr) => {
        take_str($v)
    };
    (Bool, $v:expr) => {
        take_bool($v)
    };
    (UInt, $v:expr) => {
        take_uint($v)
    };
    (StrArray, $v:expr) => {
        take_str_array($v)
    };
    (Object, $v:expr) => {
        take_object($v)
    };
}

macro_rules! view_type {
    (Str) => { &'a str };
    (Bool) => { bool };
    (UInt) => { u64 };
    (StrArray) => { StrList<'a> };
    (Object) => { &'a Map<String, Value> };
}

macro_rules! view_take {
    (Str, $v:expr) => {
        $v.as_str()
    };
    (Bool, $v:expr) => {
        $v.as_bool()
    };
    (UInt, $v:expr) => {
        $v.as_u64()
    };
    (StrArray, $v:expr) => {
        StrList::new($v)
    };
    (Object, $v:expr) => {
        $v.as_object()
    };
}

/// A JSON array whose elements are all strings, borrowed from the document
/// (the typed view's `StrArray` fields; no copies).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StrList<'a>(&'a [Value]);

impl<'a> StrList<'a> {
    /// `Some` when `v` is an array of strings only.
    #[must_use]
    pub fn new(v: &'a Value) -> Option<Self> {
        let items = v.as_array()?;
        items.iter().all(Value::is_string).then_some(Self(items))
    }

    /// The strings, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &'a str> + Clone + 'a {
        self.0.iter().filter_map(Value::as_str)
    }

    /// Number of entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no entries.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entry `i`.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<&'a str> {
        self.0.get(i).and_then(Value::as_str)
    }

    /// True when `s` is an entry.
    #[must_use]
    pub fn contains(&self, s: &str) -> bool {
        self.iter().any(|x| x == s)
    }

    /// Index of the first entry equal to `s`.
    #[must_use]
    pub fn position(&self, s: &str) -> Option<usize> {
        self.iter().position(|x| x == s)
    }
}

/// A language-tagged variant, borrowed from the document (see [`Localized`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalizedRef<'a> {
    /// Base field, e.g. `client_name`.
    pub field: &'static str,
    /// The BCP 47 tag as sent.
    pub tag: &'a str,
    /// The value.
    pub value: &'a str,
}

macro_rules! client_metadata {
    ( $( $(#[doc = $doc:literal])+ $name:ident : $kind:ident $( [$flag:ident] )? ; )* ) => {
        /// Client metadata, typed. Every field is optional; a field whose
        /// JSON type was wrong is `None` here (the type violation is reported
        /// by validation). Unknown members are kept in `extra`, and
        /// language-tagged variants in `localized`.
        #[derive(Debug, Clone, Default, PartialEq, Serialize)]
        pub struct ClientMetadata {
            $( $(#[doc = $doc])+ #[serde(skip_serializing_if = "Option::is_none")] pub $name: Option<rust_type!($kind)>, )*
            /// `<field>#<tag>` variants of the i18n fields, in document order.
            #[serde(skip)]
            pub localized: Vec<Localized>,
            /// Members the engine does not know (RFC7591-META-02), as sent.
            #[serde(flatten)]
            pub extra: Map<String, Value>,
        }

        /// The typed view of a metadata object that the rules read: the same
        /// fields as [`ClientMetadata`], borrowed from the map instead of
        /// copied (`None` when absent, `null` or of the wrong JSON type).
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct MetadataView<'a> {
            $( $(#[doc = $doc])+ pub $name: Option<view_type!($kind)>, )*
            /// `<field>#<tag>` variants of the i18n fields, in document order.
            pub localized: Vec<LocalizedRef<'a>>,
        }

        impl<'a> MetadataView<'a> {
            /// Builds the view (one pass over the members, no copies).
            #[must_use]
            pub fn new(map: &'a Map<String, Value>) -> Self {
                let mut m = Self::default();
                for (key, value) in map {
                    match key.as_str() {
                        $( stringify!($name) => m.$name = view_take!($kind, value), )*
                        other => {
                            if let Some((base, tag)) = split_tag(other)
                                && let Some(spec) = field_spec(base).filter(|s| s.i18n)
                                && let Some(s) = value.as_str()
                            {
                                m.localized.push(LocalizedRef { field: spec.name, tag, value: s });
                            }
                        }
                    }
                }
                m
            }
        }

        /// Every known field, in table order.
        pub const FIELDS: &[FieldSpec] = &[ $( FieldSpec { name: stringify!($name), kind: Kind::$kind, i18n: i18n_flag!($($flag)?) }, )* ];

        /// The table row of a (base) field name.
        #[must_use]
        pub fn field_spec(name: &str) -> Option<&'static FieldSpec> {
            match name {
                $( stringify!($name) => Some(&FieldSpec { name: stringify!($name), kind: Kind::$kind, i18n: i18n_flag!($($flag)?) }), )*
                _ => None,
            }
        }

        impl ClientMetadata {
            /// Builds the typed view of a metadata object. Values of the wrong
            /// JSON type are left out (`None`); `null` is absent.
            #[must_use]
            pub fn from_map(map: &Map<String, Value>) -> Self {
                Self::build(map, true)
            }

            fn build(map: &Map<String, Value>, keep_extra: bool) -> Self {
                let mut m = Self::default();
                for (key, value) in map {
                    match key.as_str() {
                        $( stringify!($name) => m.$name = take!($kind, value), )*
                        other => {
                            if let Some((base, tag)) = split_tag(other)
                                && let Some(spec) = field_spec(base).filter(|s| s.i18n)
                            {
                                if let Some(s) = value.as_str() {
                                    m.localized.push(Localized { field: spec.name, tag: tag.to_owned(), value: s.to_owned() });
                                }
                                continue;
                            }
                            if keep_extra {
                                m.extra.insert(key.clone(), value.clone());
                            }
                        }
                    }
                }
                m
            }
        }
    };
}

/// A member name split at its first `#` (`client_name#ja` → `client_name`,
/// `ja`): `str::split_once('#')` without the general character searcher,
/// which costs a few hundred instructions per call on member-name lengths
/// (it runs for every unknown member of every request).
#[must_use]
pub(crate) fn split_tag(name: &str) -> Option<(&str, &str)> {
    let i = name.bytes().position(|b| b == b'#')?;
    Some((name.get(..i)?, name.get(i + 1..)?))
}

client_metadata! {
    // RFC 7591 §2
    /// Redirection URIs (RFC 7591 §2).
    redirect_uris: StrArray;
    /// Token endpoint authentication method (RFC 7591 §2; OIDC Core §9; RFC 8705).
    token_endpoint_auth_method: Str;
    /// Grant types (RFC 7591 §2).
    grant_types: StrArray;
    /// Response types (RFC 7591 §2); each entry is a space-separated set.
    response_types: StrArray;
    /// Human-readable client name (RFC 7591 §2), language-taggable.
    client_name: Str [i18n];
    /// Client home page (RFC 7591 §2), language-taggable.
    client_uri: Str [i18n];
    /// Logo image URL (RFC 7591 §2), language-taggable.
    logo_uri: Str [i18n];
    /// Space-separated scope values (RFC 7591 §2).
    scope: Str;
    /// Contact addresses (RFC 7591 §2).
    contacts: StrArray;
    /// Terms of service URL (RFC 7591 §2), language-taggable.
    tos_uri: Str [i18n];
    /// Privacy policy URL (RFC 7591 §2), language-taggable.
    policy_uri: Str [i18n];
    /// URL of the client's JWK Set (RFC 7591 §2).
    jwks_uri: Str;
    /// The client's JWK Set by value (RFC 7591 §2).
    jwks: Object;
    /// Software identifier (RFC 7591 §2).
    software_id: Str;
    /// Software version (RFC 7591 §2).
    software_version: Str;
    /// Software statement JWT (RFC 7591 §3.1.1).
    software_statement: Str;
    // RFC 7591 §3.2.1 / RFC 7592 §3 (server-managed)
    /// Client identifier (RFC 7591 §3.2.1; server-assigned).
    client_id: Str;
    /// Client secret (RFC 7591 §3.2.1; server-assigned).
    client_secret: Str;
    /// Issue time of `client_id` (RFC 7591 §3.2.1).
    client_id_issued_at: UInt;
    /// Expiry of `client_secret`, 0 = never (RFC 7591 §3.2.1).
    client_secret_expires_at: UInt;
    /// Registration access token (RFC 7592 §3).
    registration_access_token: Str;
    /// Client configuration endpoint (RFC 7592 §3).
    registration_client_uri: Str;
    // OIDC DCR §2
    /// `web` or `native` (OIDC DCR §2).
    application_type: Str;
    /// Sector identifier URL for pairwise subjects (OIDC DCR §2).
    sector_identifier_uri: Str;
    /// `public` or `pairwise` (OIDC DCR §2).
    subject_type: Str;
    /// ID Token JWS alg (OIDC DCR §2).
    id_token_signed_response_alg: Str;
    /// ID Token JWE alg (OIDC DCR §2).
    id_token_encrypted_response_alg: Str;
    /// ID Token JWE enc (OIDC DCR §2).
    id_token_encrypted_response_enc: Str;
    /// UserInfo JWS alg (OIDC DCR §2).
    userinfo_signed_response_alg: Str;
    /// UserInfo JWE alg (OIDC DCR §2).
    userinfo_encrypted_response_alg: Str;
    /// UserInfo JWE enc (OIDC DCR §2).
    userinfo_encrypted_response_enc: Str;
    /// Request object JWS alg (OIDC DCR §2).
    request_object_signing_alg: Str;
    /// Request object JWE alg (OIDC DCR §2).
    request_object_encryption_alg: Str;
    /// Request object JWE enc (OIDC DCR §2).
    request_object_encryption_enc: Str;
    /// JWS alg for `private_key_jwt` / `client_secret_jwt` (OIDC DCR §2).
    token_endpoint_auth_signing_alg: Str;
    /// Default maximum authentication age in seconds (OIDC DCR §2).
    default_max_age: UInt;
    /// `auth_time` claim required (OIDC DCR §2).
    require_auth_time: Bool;
    /// Default ACR values, in preference order (OIDC DCR §2).
    default_acr_values: StrArray;
    /// Third-party initiated login URL (OIDC DCR §2).
    initiate_login_uri: Str;
    /// Pre-registered `request_uri` values (OIDC DCR §2).
    request_uris: StrArray;
    // OIDC logout
    /// RP-Initiated Logout §3.1.
    post_logout_redirect_uris: StrArray;
    /// Front-Channel Logout §2.
    frontchannel_logout_uri: Str;
    /// Front-Channel Logout §2.
    frontchannel_logout_session_required: Bool;
    /// Back-Channel Logout §2.2.
    backchannel_logout_uri: Str;
    /// Back-Channel Logout §2.2.
    backchannel_logout_session_required: Bool;
    // RFC 8705
    /// Expected certificate subject DN (RFC 8705 §2.1.2).
    tls_client_auth_subject_dn: Str;
    /// Expected dNSName SAN (RFC 8705 §2.1.2).
    tls_client_auth_san_dns: Str;
    /// Expected URI SAN (RFC 8705 §2.1.2).
    tls_client_auth_san_uri: Str;
    /// Expected iPAddress SAN (RFC 8705 §2.1.2).
    tls_client_auth_san_ip: Str;
    /// Expected rfc822Name SAN (RFC 8705 §2.1.2).
    tls_client_auth_san_email: Str;
    /// Certificate-bound access tokens (RFC 8705 §3.4); a boolean (BROF-META-09).
    tls_client_certificate_bound_access_tokens: Bool;
    /// Use the mTLS endpoint aliases (FAPI 2.0 SP 5.2.2.1.1): a boolean,
    /// FAPI2-MTLS-02. RFC8705-ALIAS-01: `mtls_endpoint_aliases` is server
    /// metadata and deliberately not a field here, so a client sending it
    /// gets the unknown-field treatment (RFC7591-META-02).
    use_mtls_endpoint_aliases: Bool;
    // RFC 9126, RFC 9449, RFC 9101
    /// PAR required (RFC 9126 §6); a boolean (BROF-META-09).
    require_pushed_authorization_requests: Bool;
    /// DPoP-bound access tokens (RFC 9449 §5.2).
    dpop_bound_access_tokens: Bool;
    /// JAR required (RFC 9101 §10.5); a boolean (BROF-META-09).
    require_signed_request_object: Bool;
    /// Engine output (not an IANA-registered member): the authorization
    /// endpoint must demand PKCE with `S256` from this client (BCP-PKCE-01,
    /// RFC8252-PKCE-01, FAPI2-PKCE-01, FAPI1-PAR-01). A client may ask for it;
    /// it cannot turn it off where a rule requires it.
    require_pkce: Bool;
    // JARM
    /// JARM JWS alg.
    authorization_signed_response_alg: Str;
    /// JARM JWE alg.
    authorization_encrypted_response_alg: Str;
    /// JARM JWE enc.
    authorization_encrypted_response_enc: Str;
    // CIBA
    /// `poll`, `ping` or `push` (CIBA Core §4).
    backchannel_token_delivery_mode: Str;
    /// Notification endpoint for ping/push (CIBA Core §4).
    backchannel_client_notification_endpoint: Str;
    /// JWS alg of signed authentication requests (CIBA Core §4).
    backchannel_authentication_request_signing_alg: Str;
    /// `user_code` parameter supported (CIBA Core §4).
    backchannel_user_code_parameter: Bool;
    /// `login_hint_token` types (FAPI-CIBA draft).
    backchannel_endpoint_login_hint_token_types: StrArray;
    // RFC 9396, RFC 9701
    /// Authorization details types (RFC 9396).
    authorization_details_types: StrArray;
    /// JWT introspection response JWS alg (RFC 9701).
    introspection_signed_response_alg: Str;
    /// JWT introspection response JWE alg (RFC 9701).
    introspection_encrypted_response_alg: Str;
    /// JWT introspection response JWE enc (RFC 9701).
    introspection_encrypted_response_enc: Str;
}

impl ClientMetadata {
    /// The effective token endpoint auth method (`client_secret_basic` when absent, RFC7591-AUTH-01).
    #[must_use]
    pub fn auth_method(&self) -> &str {
        self.token_endpoint_auth_method.as_deref().unwrap_or("client_secret_basic")
    }

    /// Grant types, or `[]` when absent or mistyped.
    #[must_use]
    pub fn grants(&self) -> &[String] {
        self.grant_types.as_deref().unwrap_or(&[])
    }

    /// True when `grant` is registered.
    #[must_use]
    pub fn has_grant(&self, grant: &str) -> bool {
        self.grants().iter().any(|g| g == grant)
    }

    /// Response types, or `[]` when absent or mistyped.
    #[must_use]
    pub fn responses(&self) -> &[String] {
        self.response_types.as_deref().unwrap_or(&[])
    }

    /// Redirect URIs, or `[]`.
    #[must_use]
    pub fn redirects(&self) -> &[String] {
        self.redirect_uris.as_deref().unwrap_or(&[])
    }

    /// `native` when `application_type` says so, else web.
    #[must_use]
    pub fn is_native(&self) -> bool {
        self.application_type.as_deref() == Some("native")
    }

    /// A client that authenticates at the token endpoint (any method but `none`).
    #[must_use]
    pub fn is_confidential(&self) -> bool {
        self.auth_method() != "none"
    }

    /// True when the client has a key set (`jwks` or `jwks_uri`).
    #[must_use]
    pub fn has_key_set(&self) -> bool {
        self.jwks.is_some() || self.jwks_uri.is_some()
    }

    /// Language-tagged variants of one field.
    pub fn variants<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Localized> + 'a {
        self.localized.iter().filter(move |l| l.field == field)
    }
}

impl<'a> MetadataView<'a> {
    /// The effective token endpoint auth method (`client_secret_basic` when absent, RFC7591-AUTH-01).
    #[must_use]
    pub fn auth_method(&self) -> &'a str {
        self.token_endpoint_auth_method.unwrap_or("client_secret_basic")
    }

    /// Grant types, or `[]` when absent or mistyped.
    #[must_use]
    pub fn grants(&self) -> StrList<'a> {
        self.grant_types.unwrap_or_default()
    }

    /// True when `grant` is registered.
    #[must_use]
    pub fn has_grant(&self, grant: &str) -> bool {
        self.grants().contains(grant)
    }

    /// Response types, or `[]` when absent or mistyped.
    #[must_use]
    pub fn responses(&self) -> StrList<'a> {
        self.response_types.unwrap_or_default()
    }

    /// Redirect URIs, or `[]`.
    #[must_use]
    pub fn redirects(&self) -> StrList<'a> {
        self.redirect_uris.unwrap_or_default()
    }

    /// `native` when `application_type` says so, else web.
    #[must_use]
    pub fn is_native(&self) -> bool {
        self.application_type == Some("native")
    }

    /// A client that authenticates at the token endpoint (any method but `none`).
    #[must_use]
    pub fn is_confidential(&self) -> bool {
        self.auth_method() != "none"
    }

    /// True when the client has a key set (`jwks` or `jwks_uri`).
    #[must_use]
    pub fn has_key_set(&self) -> bool {
        self.jwks.is_some() || self.jwks_uri.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn from_map_types_localizes_and_keeps_extra() {
        let map = json!({
            "client_name": "App", "client_name#ja-Jpan-JP": "アプリ", "redirect_uris": ["https://a/cb"],
            "default_max_age": 60, "require_auth_time": true, "jwks": {"keys": []},
            "grant_types": ["authorization_code", 3], "x_custom": {"a": 1}, "redirect_uris#en": ["x"]
        });
        let m = ClientMetadata::from_map(map.as_object().unwrap());
        assert_eq!(m.client_name.as_deref(), Some("App"));
        assert_eq!(m.localized, vec![Localized { field: "client_name", tag: "ja-Jpan-JP".into(), value: "アプリ".into() }]);
        assert_eq!(m.default_max_age, Some(60));
        assert_eq!(m.require_auth_time, Some(true));
        assert!(m.jwks.is_some());
        assert_eq!(m.grant_types, None, "mistyped arrays are dropped from the typed view");
        assert!(m.extra.contains_key("x_custom") && m.extra.contains_key("redirect_uris#en"));
    }

    #[test]
    fn field_table_is_complete() {
        assert_eq!(FIELDS.len(), 68);
        assert_eq!(field_spec("logo_uri").map(|f| f.i18n), Some(true));
        assert_eq!(field_spec("jwks_uri").map(|f| f.i18n), Some(false));
        assert!(field_spec("nope").is_none());
    }

    #[test]
    fn split_tag_is_split_once_at_the_first_hash() {
        for name in ["client_name#ja", "a#b#c", "#x", "x#", "none", "", "名前#ja-Jpan", "logo_uri##"] {
            assert_eq!(split_tag(name), name.split_once('#'), "{name}");
        }
    }
}
