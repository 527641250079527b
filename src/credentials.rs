//! Credential issuance: `client_id`, `client_secret` (only when the client
//! needs one), registration access token and its hash, and the response body
//! (RFC 7591 §3.2.1, RFC 7592 §3, OIDC DCR §3.2).
//!
//! Every credential is ≥ 256 random bits from the host's [`RandomSource`],
//! base64url without padding. The registration access token is handed to the
//! host only as a SHA-256 hash for storage (RFC7592-RAT-03); it is compared in
//! constant time on management calls ([`token_matches`]).

use base64ct::{Base64UrlUnpadded, Encoding};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::{ErrorCode, Source, Violation};
use crate::host::{Context, RandomSource};
use crate::policy::Policy;

/// Token endpoint auth methods that authenticate with the shared secret.
const SECRET_METHODS: [&str; 3] = ["client_secret_basic", "client_secret_post", "client_secret_jwt"];

/// Metadata fields whose `HS*` value or symmetric JWE algorithm needs a
/// shared secret (OIDCDCR-SECRET-01; OIDCDCR-REQOBJ-02: a symmetric
/// `request_object_encryption_alg` is how a client tells the server it needs one).
const ALG_FIELDS: [&str; 9] = [
    "id_token_signed_response_alg",
    "userinfo_signed_response_alg",
    "request_object_signing_alg",
    "token_endpoint_auth_signing_alg",
    "introspection_signed_response_alg",
    "authorization_signed_response_alg",
    "id_token_encrypted_response_alg",
    "userinfo_encrypted_response_alg",
    "request_object_encryption_alg",
];

/// What [`issue`] produced besides updating the stored client.
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials {
    /// The HTTP response body.
    pub response: Map<String, Value>,
    /// SHA-256 (base64url) of the new registration access token, if one was issued.
    pub registration_access_token_hash: Option<String>,
    /// Expiry of that token (epoch seconds), if it expires.
    pub registration_access_token_expires_at: Option<i64>,
}

/// What an update or read carries over from the stored client.
#[derive(Debug, Clone, Default)]
pub struct Existing<'a> {
    /// The stored client (its `client_id`, `client_secret`, `client_id_issued_at`, ...).
    pub stored: Option<&'a Map<String, Value>>,
    /// Issue a new registration access token (create, or rotation).
    pub new_token: bool,
    /// Issue a new client secret even if one exists (rotation).
    pub rotate_secret: bool,
}

/// True when the client needs a shared secret (OIDCDCR-SECRET-01). A public
/// client (`none`, RFC7591-AUTH-03) and a `private_key_jwt` client without
/// symmetric algorithms (AUCDR-RESP-02) get none.
#[must_use]
pub fn needs_secret(client: &Map<String, Value>) -> bool {
    let method = client.get("token_endpoint_auth_method").and_then(Value::as_str).unwrap_or("client_secret_basic");
    if SECRET_METHODS.contains(&method) {
        return true;
    }
    ALG_FIELDS.iter().filter_map(|f| client.get(*f).and_then(Value::as_str)).any(|alg| {
        alg.starts_with("HS")
            || alg == "dir"
            || alg.starts_with("A128KW")
            || alg.starts_with("A192KW")
            || alg.starts_with("A256KW")
            || alg.ends_with("GCMKW")
            || alg.starts_with("PBES2")
    })
}

/// Secret size in octets: 32, or 48 / 64 when `HS384` / `HS512` is
/// registered, or when `dir` encryption uses `A192CBC-HS384` / `A256CBC-HS512`
/// (the secret is then the whole CEK, RFC 7518 §5.2).
fn secret_octets(client: &Map<String, Value>) -> usize {
    let get = |f: &str| client.get(f).and_then(Value::as_str);
    let mac = |alg: &str| match alg {
        "HS512" | "A256CBC-HS512" => 64,
        "HS384" | "A192CBC-HS384" => 48,
        _ => 32,
    };
    let signing = ALG_FIELDS.iter().filter_map(|f| get(f)).map(mac);
    let direct = [
        ("id_token_encrypted_response_alg", "id_token_encrypted_response_enc"),
        ("userinfo_encrypted_response_alg", "userinfo_encrypted_response_enc"),
        ("request_object_encryption_alg", "request_object_encryption_enc"),
    ]
    .into_iter()
    .filter(|(alg, _)| get(alg) == Some("dir"))
    .filter_map(|(_, enc)| get(enc))
    .map(mac);
    signing.chain(direct).max().unwrap_or(32)
}

/// `n` random bytes, base64url without padding.
///
/// # Errors
/// When the random source fails.
pub fn random_token(rng: &mut dyn RandomSource, n: usize) -> Result<String, Violation> {
    let mut bytes = vec![0u8; n];
    rng.fill(&mut bytes).map_err(|e| {
        Violation::new(ErrorCode::InvalidRequest, "RFC7592-RAT-03", "", format!("cannot issue credentials: {e}")).in_source(Source::Context)
    })?;
    Ok(Base64UrlUnpadded::encode_string(&bytes))
}

/// Random bytes in a generated `client_id`: 32 (256 bits, 43 base64url
/// characters), except under UK Open Banking, whose Data Dictionary limits
/// `client_id` to 36 characters (UKOB-META-09; the OBIE conformance tool's
/// v3.3 response schema checks 1..36): 27 bytes, 216 bits, 36 characters.
fn client_id_bytes(policy: &Policy) -> usize {
    if policy.profile == crate::policy::ProfileId::UkOpenBanking { 27 } else { 32 }
}

/// SHA-256 of a token, base64url: what the host stores instead of the token.
#[must_use]
pub fn token_hash(token: &str) -> String {
    Base64UrlUnpadded::encode_string(&Sha256::digest(token.as_bytes()))
}

/// Constant-time check of a presented token against a stored hash.
#[must_use]
pub fn token_matches(presented: &str, stored_hash: &str) -> bool {
    let computed = token_hash(presented);
    // Both are 43-byte base64url strings; ct_eq also handles unequal lengths
    // without an early exit on content.
    bool::from(computed.as_bytes().ct_eq(stored_hash.as_bytes()))
}

/// Constant-time equality of two secrets.
#[must_use]
pub fn secrets_equal(a: &str, b: &str) -> bool {
    // Hash first so the comparison time does not depend on the lengths.
    bool::from(Sha256::digest(a.as_bytes()).ct_eq(&Sha256::digest(b.as_bytes())))
}

/// Completes `client` with credentials and builds the response body.
///
/// # Errors
/// When randomness is unavailable (the request is refused rather than issue
/// weak credentials).
pub fn issue(
    client: &mut Map<String, Value>,
    policy: &Policy,
    ctx: &Context,
    rng: &mut dyn RandomSource,
    existing: Option<Existing<'_>>,
) -> Result<Credentials, Violation> {
    let existing = existing.unwrap_or(Existing { stored: None, new_token: true, rotate_secret: false });
    let stored = existing.stored;
    let carried = |k: &str| stored.and_then(|s| s.get(k)).cloned();

    // client_id: never changes once issued (RFC7592-READ-02); generated on create
    // (RFC7591-OUT-02, OIDCDCR-OUT-01) unless the policy allows a custom one:
    // a fresh id (and secret) per registration, never shared between
    // instances (RFC7591-SOFTWARE-03); 256 random bits (FAPI2-ENTROPY-01).
    let client_id = match carried("client_id") {
        Some(id) => id,
        None => match client.get("client_id").filter(|v| v.is_string() && policy.endpoint.allow_custom_client_creds) {
            Some(id) => id.clone(),
            None => Value::String(random_token(rng, client_id_bytes(policy))?),
        },
    };
    client.insert("client_id".to_owned(), client_id.clone());
    // RFC7591-OUT-05: `client_id_issued_at` from the host clock.
    let issued_at = carried("client_id_issued_at").unwrap_or(Value::from(ctx.now));
    client.insert("client_id_issued_at".to_owned(), issued_at);

    // client_secret: only when needed (OIDCDCR-SECRET-01), ≥ 256 bits
    // (RFC7591-OUT-03, OIDCDCR-SECRET-02: at least the MAC key size of the
    // strongest HMAC in use, OIDC Core §16.19 / RFC 7518 §3.2; FAPI1-SECRET-01:
    // ≥ 128 bits whenever a symmetric key is used; FAPI2-ENTROPY-01).
    if needs_secret(client) {
        let octets = secret_octets(client);
        let keep = carried("client_secret").filter(|_| !existing.rotate_secret);
        let custom =
            client.get("client_secret").filter(|v| v.is_string() && policy.endpoint.allow_custom_client_creds && stored.is_none()).cloned();
        let (secret, fresh) = match (keep, custom) {
            (Some(s), _) => (s, false),
            (None, Some(s)) => (s, true),
            (None, None) => (Value::String(random_token(rng, octets)?), true),
        };
        client.insert("client_secret".to_owned(), secret);
        // RFC7591-OUT-04 / UKOB-META-15: expiry travels with the secret; 0 = never.
        let expires = match (fresh, carried("client_secret_expires_at")) {
            (false, Some(e)) => e,
            _ if policy.client_secret.lifetime == 0 => Value::from(0),
            _ => Value::from(ctx.now.saturating_add(i64::try_from(policy.client_secret.lifetime).unwrap_or(i64::MAX))),
        };
        client.insert("client_secret_expires_at".to_owned(), expires);
    } else {
        client.remove("client_secret");
        client.remove("client_secret_expires_at");
    }

    // RFC7591-OUT-06 / RFC7592-RESP-02 / OIDCDCR-OUT-02 / AUCDR-RESP-01: the
    // response carries every registered value, defaulted and replaced ones
    // included, and the `software_statement` exactly as sent (RFC7591-SS-10:
    // the request member is kept in the client, and the SSA-derived values
    // are top-level members after the merge).
    let mut response = client.clone();
    let mut registration_access_token_hash = None;
    let mut registration_access_token_expires_at = None;
    // RFC7592-RESP-01 / OIDCDCR-OUT-03: both or neither.
    if policy.registration_access_token.generate {
        if existing.new_token {
            // FAPI2-ENTROPY-01: 256 random bits.
            let token = random_token(rng, 32)?;
            registration_access_token_hash = Some(token_hash(&token));
            if policy.registration_access_token.lifetime > 0 {
                registration_access_token_expires_at =
                    Some(ctx.now.saturating_add(i64::try_from(policy.registration_access_token.lifetime).unwrap_or(i64::MAX)));
            }
            response.insert("registration_access_token".to_owned(), Value::String(token));
        }
        if let Some(uri) = registration_client_uri(policy, ctx, client_id.as_str().unwrap_or_default()) {
            response.insert("registration_client_uri".to_owned(), Value::String(uri));
        }
    }
    Ok(Credentials { response, registration_access_token_hash, registration_access_token_expires_at })
}

/// UKOB-META-14 (`response.flatten_ssa_claims`): the claims of the
/// client's software statement as top-level response members. Registered
/// values (and anything already in the response) win on a name clash; the
/// server-issued credentials and management members never come from the
/// statement, even when the response leaves them out.
pub fn flatten_ssa_claims(response: &mut Map<String, Value>, claims: &Map<String, Value>) {
    for (name, value) in claims {
        if crate::policy::SERVER_MANAGED.contains(&name.as_str()) || response.contains_key(name) {
            continue;
        }
        response.insert(name.clone(), value.clone());
    }
}

/// The claims of a stored client's `software_statement`, decoded without
/// verification: it was verified when the client was registered or last
/// updated (for RFC 7592 reads under `response.flatten_ssa_claims`). One
/// that no longer decodes yields nothing.
#[must_use]
pub fn stored_ssa_claims(client: &Map<String, Value>, policy: &Policy) -> Option<Map<String, Value>> {
    let token = client.get("software_statement").and_then(Value::as_str)?;
    crate::jose::inspect(token, &policy.limits, crate::jose::TokenKind::SoftwareStatement).ok().map(|i| i.claims)
}

/// RFC7592-RESP-03: `{registration_endpoint}/{client_id}`, built by the
/// server, never by the client (OIDCDCR-CONFIG-01: the recommended form).
#[must_use]
pub fn registration_client_uri(policy: &Policy, ctx: &Context, client_id: &str) -> Option<String> {
    let base = policy.registration_endpoint.as_deref().or(ctx.endpoint_url.as_deref())?;
    let encoded: String = client_id
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect();
    Some(format!("{}/{encoded}", base.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::SeededRandom;

    #[test]
    fn oidcdcr_secret_01_secret_only_when_needed() {
        let m = |v: Value| v.as_object().cloned().unwrap_or_default();
        assert!(needs_secret(&m(serde_json::json!({}))));
        assert!(!needs_secret(&m(serde_json::json!({"token_endpoint_auth_method": "private_key_jwt"}))));
        assert!(needs_secret(&m(
            serde_json::json!({"token_endpoint_auth_method": "private_key_jwt", "id_token_signed_response_alg": "HS256"})
        )));
        assert!(!needs_secret(&m(serde_json::json!({"token_endpoint_auth_method": "none"}))));
    }

    #[test]
    fn rfc7592_rat_03_tokens_have_256_bits_and_only_hash_is_kept() {
        let mut rng = SeededRandom::new(7);
        let t = random_token(&mut rng, 32).unwrap();
        assert_eq!(t.len(), 43);
        let h = token_hash(&t);
        assert!(token_matches(&t, &h));
        assert!(!token_matches("x", &h));
        assert!(!token_matches(&t, ""));
    }

    #[test]
    fn secrets_compare_equal_only_when_equal() {
        assert!(secrets_equal("abc", "abc"));
        assert!(!secrets_equal("abc", "abd"));
        assert!(!secrets_equal("abc", "abcd"));
    }

    #[test]
    fn rfc7592_resp_03_client_uri_is_built_and_escaped() {
        let p = Policy { registration_endpoint: Some("https://as.example/register/".into()), ..Policy::default() };
        assert_eq!(registration_client_uri(&p, &Context::default(), "a b/c").as_deref(), Some("https://as.example/register/a%20b%2Fc"));
    }
}
