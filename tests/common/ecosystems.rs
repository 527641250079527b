//! Shared ecosystem fixtures: FAPI metadata, AU CDR statements and requests,
//! UK Open Banking and Open Finance Brasil policies, and a request carrying
//! the directory's key set.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_policy::host::{BearerContext, Context, FetchedDocument, SeededRandom, TlsContext};
use dcr_policy::management::{ManagementAnswer, ManagementRequest, evaluate_management};
use dcr_policy::policy::Policy;
use dcr_policy::registration::{RegistrationRequest, SuppliedJwks};
use serde_json::{Value, json};

use super::fixtures::{AS, NOW, REG, ctx, merge, policy, tls};

/// AU CDR: the mock software product id.
pub const SW: &str = "c6327f87687a4d38b2f1a0a36e3f0c21";
/// AU CDR: the mock data recipient's base URI.
pub const MOCK: &str = "https://www.mockcompany.com.au";

/// UK Open Banking: the directory's statement issuer.
pub const OB_ISS: &str = "OpenBanking Ltd";
/// UK Open Banking: the software id.
pub const OB_SW: &str = "Hx3SoFtWaRe0000000001";

/// Open Finance Brasil: the directory's statement issuer.
pub const BR_ISS: &str = "Open Banking Open Banking Brasil production SSA issuer";
/// Open Finance Brasil: the organisation id.
pub const BR_ORG: &str = "74e929d9-33b6-4d85-8ba7-c146c867a817";
/// Open Finance Brasil: the software id.
pub const BR_SW: &str = "f3a2b5e1-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

pub fn fapi(profile: &str) -> Policy {
    policy(json!({"profile": profile, "issuer": AS, "registration_endpoint": REG}))
}

pub fn fapi_md(over: Value) -> Value {
    merge(
        json!({
            "redirect_uris": ["https://client.example.com/cb"],
            "token_endpoint_auth_method": "private_key_jwt",
            "jwks_uri": "https://client.example.com/jwks",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"]
        }),
        over,
    )
}

pub fn cdr_policy() -> Policy {
    policy(json!({"profile": "au-cdr", "issuer": AS, "registration_endpoint": REG}))
}

pub fn cdr_ssa_with(alg: &str, kid: &str, over: Value) -> String {
    let c = merge(
        json!({
            "iss": "cdr-register", "iat": NOW - 30, "exp": NOW + 570, "jti": "37747cd1c10545699f754adf28b73e31",
            "legal_entity_id": "3B0B0A7B-3E7B-4A2C-9497-E357A71D07C7", "legal_entity_name": "Mock Company Inc.",
            "org_id": "3B0B0A7B-3E7B-4A2C-9497-E357A71D07C8", "org_name": "Mock Company Brand",
            "client_name": "Mock Software", "client_description": "A mock software product", "client_uri": MOCK,
            "redirect_uris": [format!("{MOCK}/redirects/redirect1"), format!("{MOCK}/redirects/redirect2")],
            "sector_identifier_uri": format!("{MOCK}/sector_identifier.json"),
            "logo_uri": format!("{MOCK}/logos/logo1.png"), "tos_uri": format!("{MOCK}/tos.html"),
            "policy_uri": format!("{MOCK}/policy.html"), "jwks_uri": format!("{MOCK}/jwks"),
            "revocation_uri": format!("{MOCK}/revocation"), "recipient_base_uri": MOCK,
            "software_id": SW, "software_roles": "data-recipient-software-product",
            "scope": "openid profile bank:accounts.basic:read bank:transactions:read common:customer.basic:read cdr:registration"
        }),
        over,
    );
    super::sign(alg, &super::private_jwk(kid), &json!({"alg": alg, "kid": kid, "typ": "JWT"}), &c)
}

pub fn cdr_claims(over: Value) -> Value {
    merge(
        json!({
            "iss": SW, "aud": AS, "iat": NOW - 5, "exp": NOW + 300, "jti": "d3c1e2a0-7b1f-4c7e-9a5d-2f0b6e8c1a33",
            "redirect_uris": [format!("{MOCK}/redirects/redirect1")],
            "token_endpoint_auth_signing_alg": "PS256", "token_endpoint_auth_method": "private_key_jwt",
            "grant_types": ["client_credentials", "authorization_code", "refresh_token"],
            "response_types": ["code"], "application_type": "web",
            "id_token_signed_response_alg": "PS256", "request_object_signing_alg": "PS256",
            "authorization_signed_response_alg": "PS256",
            "software_statement": cdr_ssa_with("PS256", "directory-rsa2048", json!({}))
        }),
        over,
    )
}

pub fn br_policy() -> Policy {
    policy(json!({"profile": "br-openfinance", "issuer": AS, "registration_endpoint": REG,
        "software_statement": {"trusted_issuers": [BR_ISS]}}))
}

pub fn br_jwks_uri() -> String {
    format!("https://keystore.directory.openbankingbrasil.org.br/{BR_ORG}/{BR_SW}/application.jwks")
}

pub fn br_dn() -> String {
    format!("CN=app.exemplo.com.br,UID={BR_SW},2.5.4.97=OFBBR-{BR_ORG},O=Banco Exemplo,C=BR")
}

/// A plain-JSON FAPI registration over mTLS with a valid initial access token
/// (FAPI1-TLS / FAPI2-TLS, RFC7591-ENDPOINT-03).
pub fn fapi_req(metadata: Value) -> RegistrationRequest {
    RegistrationRequest {
        body: metadata.to_string(),
        context: Context {
            bearer: Some(BearerContext { valid: true, scopes: vec![], client_id: None }),
            tls: tls("CN=client.example.com,O=Example,C=GB"),
            ..ctx()
        },
        ..Default::default()
    }
}

/// The claims of a UK OB signed registration request (UKOB-REQ-01) carrying
/// `ssa`, with `over` merged in (a `null` removes a claim).
pub fn ukob_request_claims(ssa: String, over: Value) -> Value {
    merge(
        json!({
            "iss": OB_SW, "aud": AS, "iat": NOW - 5, "exp": NOW + 300, "jti": "b3f1c0a2-4d5e-4f60-8a7b-9c0d1e2f3a4b",
            "redirect_uris": ["https://tpp.example.com/cb"],
            "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "PS256",
            "grant_types": ["authorization_code", "refresh_token", "client_credentials"],
            "response_types": ["code id_token"], "application_type": "web",
            "id_token_signed_response_alg": "PS256", "request_object_signing_alg": "PS256",
            "scope": "openid accounts", "software_statement": ssa
        }),
        over,
    )
}

/// A UK OB signed registration request (UKOB-REQ-01) over mTLS with the
/// software's certificate, signed by `kid`; the directory's and the
/// software's key sets supplied.
pub fn ukob_signed_as(alg: &str, kid: &str, content_type: &str, claims: &Value) -> RegistrationRequest {
    RegistrationRequest {
        body: super::sign(alg, &super::private_jwk(kid), &json!({"alg": alg, "kid": kid}), claims),
        content_type: Some(content_type.into()),
        context: Context {
            tls: Some(TlsContext {
                subject_dn: Some(format!("CN={OB_SW},OU=0015800001041REAAY,O=OpenBanking,C=GB")),
                ..TlsContext::default()
            }),
            ..ctx()
        },
        jwks: SuppliedJwks {
            software_statement: Some(super::jwks_value(&["directory-rsa2048"])),
            software: Some(super::jwks_value(&["software-rsa2048", "software-p256"])),
        },
        sector_identifier: None,
    }
}

pub fn ukob_policy() -> Policy {
    policy(
        json!({"profile": "uk-openbanking", "issuer": AS, "registration_endpoint": REG, "software_statement": {"trusted_issuers": [OB_ISS]}}),
    )
}

pub fn ssa_request(metadata: Value) -> RegistrationRequest {
    RegistrationRequest {
        body: metadata.to_string(),
        context: ctx(),
        jwks: SuppliedJwks { software_statement: Some(super::jwks_value(&["directory-rsa2048"])), software: None },
        ..Default::default()
    }
}

/// An AU CDR request JWT signed with `alg` / `kid`, over mTLS, with the sector document served.
pub fn cdr_signed(alg: &str, kid: &str, claims: &Value) -> RegistrationRequest {
    RegistrationRequest {
        body: super::sign(alg, &super::private_jwk(kid), &json!({"alg": alg, "kid": kid}), claims),
        content_type: Some("application/jwt".into()),
        context: Context { tls: tls("CN=mockcompany.com.au"), ..ctx() },
        jwks: SuppliedJwks {
            software_statement: Some(super::jwks_value(&["directory-rsa2048", "software-p256"])),
            software: Some(super::jwks_value(&["software-rsa2048", "software-p256"])),
        },
        sector_identifier: Some(FetchedDocument {
            uri: format!("{MOCK}/sector_identifier.json"),
            body: Some(json!([format!("{MOCK}/redirects/redirect1"), format!("{MOCK}/redirects/redirect2")]).to_string()),
        }),
    }
}

/// Runs an RFC 7592 call under [`br_policy`].
pub fn br_mrun(req: &ManagementRequest) -> ManagementAnswer {
    evaluate_management(req, &br_policy(), &mut SeededRandom::new(5))
}

/// Open Finance Brasil: directory statement claims with `over` merged.
pub fn br_ssa_claims(over: Value) -> Value {
    merge(
        json!({
            "iss": BR_ISS, "iat": NOW - 20, "jti": "br-ssa-1",
            "software_id": BR_SW, "org_id": BR_ORG, "org_name": "Banco Exemplo", "software_client_name": "Exemplo App",
            "software_redirect_uris": ["https://app.exemplo.com.br/cb", "https://app.exemplo.com.br/cb2"],
            "software_jwks_uri": br_jwks_uri(),
            "software_statement_roles": [{"role": "DADOS", "authorisation_domain": "Open Banking", "status": "Active"}]
        }),
        over,
    )
}

/// Open Finance Brasil: the statement signed with `alg` / `kid`.
pub fn br_ssa_with(alg: &str, kid: &str, over: Value) -> String {
    super::sign(alg, &super::private_jwk(kid), &json!({"alg": alg, "kid": kid, "typ": "JWT"}), &br_ssa_claims(over))
}

/// Open Finance Brasil: the statement signed by the directory key (PS256).
pub fn br_ssa(over: Value) -> String {
    br_ssa_with("PS256", "directory-rsa2048", over)
}

/// Open Finance Brasil: registration metadata (tls_client_auth) with `over` merged.
pub fn br_md(over: Value) -> Value {
    merge(
        json!({
            "software_statement": br_ssa(json!({})),
            "redirect_uris": ["https://app.exemplo.com.br/cb"],
            "grant_types": ["authorization_code", "client_credentials", "refresh_token"],
            "response_types": ["code id_token"],
            "token_endpoint_auth_method": "tls_client_auth",
            "tls_client_auth_subject_dn": br_dn(),
            "jwks_uri": br_jwks_uri(),
            "scope": "openid accounts consents resources"
        }),
        over,
    )
}
