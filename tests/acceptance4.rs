//! Acceptance scenarios replayed from the regulators' own DCR conformance
//! suites, through the native Rust API:
//!
//! - UK Open Banking: the OBIE `conformance-dcr` tool (manifest `DCR33`,
//!   scenarios DCR-001 ... DCR-011). The requests reproduce what its Go
//!   signer sends (`pkg/compliant/auth/signer.go`: `grant_types`
//!   `[authorization_code, client_credentials]`, `subject_type: public`,
//!   `scope: "accounts openid"`, no `response_types` unless the AS advertises
//!   them, `Content-Type: application/jose` for POST and `application/jwt`
//!   for PUT, no `client_id` in the PUT claims) and the response checks of
//!   its v3.3 schema validator (`pkg/compliant/schema/version33.go`).
//! - Australia CDR: the ACCC / DSB participant tooling
//!   (`ConsumerDataRight/authorisation-server` integration tests
//!   `US15221_..._Registration_POST/PUT/GET/DELETE`, `US44264_..._JARM_DCR`,
//!   built on `mock-solution-test-automation`'s `CreateRegistrationRequest`,
//!   which always sends `client_id` = the software id and, by default,
//!   `id_token_encrypted_response_alg/enc` `RSA-OAEP` / `A256GCM`).
//!
//! Each test is named after the suite's test id and the rule it proves.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic, clippy::unreachable)]

mod common;

use common::answers::{refused_at, rejected};
use common::ecosystems::{OB_ISS, OB_SW};
use common::fixtures::{AS, NOW, REG, merge, policy, show};

use dcr_policy::ErrorCode;
use dcr_policy::host::{BearerContext, Context, FetchedDocument, SeededRandom, TlsContext};
use dcr_policy::management::{HostAction, ManagementAnswer, ManagementRequest, Operation, StoredClient, evaluate_management};
use dcr_policy::policy::Policy;
use dcr_policy::registration::{RegistrationAnswer, RegistrationRequest, SuppliedJwks};
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------- helpers

fn run(req: &RegistrationRequest, p: &Policy) -> RegistrationAnswer {
    common::answers::run_checked(req, p, 41)
}

#[track_caller]
fn accepted(a: &RegistrationAnswer) -> (&Map<String, Value>, &Map<String, Value>) {
    match a {
        RegistrationAnswer::Accepted { client, response, status, .. } => {
            assert_eq!(*status, 201, "RFC7591-OUT-01");
            (client, response)
        }
        other => panic!("expected accepted, got {}", show(other)),
    }
}

#[track_caller]
fn stored_from(a: &RegistrationAnswer) -> StoredClient {
    match a {
        RegistrationAnswer::Accepted { client, registration_access_token_hash, registration_access_token_expires_at, .. } => StoredClient {
            client: client.clone(),
            registration_access_token_hash: registration_access_token_hash.clone(),
            registration_access_token_expires_at: *registration_access_token_expires_at,
        },
        other => panic!("expected accepted, got {}", show(other)),
    }
}

#[track_caller]
fn mrejected(a: &ManagementAnswer) -> (u16, ErrorCode, Vec<(String, String)>) {
    match a {
        ManagementAnswer::Rejected { status, error, violations, .. } => {
            (*status, *error, violations.iter().filter(|v| v.is_error()).map(|v| (v.rule.clone(), v.path.clone())).collect())
        }
        other => panic!("expected rejected, got {}", show(other)),
    }
}

#[track_caller]
fn maccepted(a: &ManagementAnswer, want: u16) -> Option<&Map<String, Value>> {
    match a {
        ManagementAnswer::Accepted { status, response, .. } if *status == want => response.as_ref(),
        other => panic!("expected {want}, got {}", show(other)),
    }
}

fn bearer(client_id: &str, scopes: &[&str]) -> Option<BearerContext> {
    Some(BearerContext { valid: true, scopes: scopes.iter().map(|s| (*s).to_owned()).collect(), client_id: Some(client_id.to_owned()) })
}

// ---------------------------------------------------------------- UK Open Banking: conformance-dcr DCR33

const OB_ORG: &str = "0015800001041REAAY";
/// The transport certificate subject as Go's `pkix.Name.ToRDNSequence().String()`
/// prints it (what the tool puts in `tls_client_auth_subject_dn`).
const OB_DN: &str = "CN=Hx3SoFtWaRe0000000001,OU=0015800001041REAAY,O=OpenBanking,C=GB";

fn ob_policy() -> Policy {
    policy(json!({"profile": "uk-openbanking", "issuer": AS, "registration_endpoint": REG,
        "software_statement": {"trusted_issuers": [OB_ISS]}}))
}

fn ob_ssa() -> String {
    let c = json!({
        "iss": OB_ISS, "iat": NOW - 60, "jti": "8a1bd4f0-2b4c-4c8e-9d0e-1f2a3b4c5d6e", "software_id": OB_SW,
        "software_client_id": OB_SW, "software_client_name": "Conformance DCR", "software_version": "1.0",
        "software_redirect_uris": ["https://tpp.example.com/cb", "https://tpp.example.com/cb2"],
        "software_roles": ["AISP", "PISP"], "software_jwks_endpoint": "https://keystore.example/tpp.jwks",
        "org_status": "Active", "org_id": OB_ORG, "org_name": "Conformance Org"
    });
    common::sign("PS256", &common::private_jwk("directory-rsa2048"), &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}), &c)
}

/// The claims of `jwtSigner.Claims()` for the `private_key_jwt` authoriser.
fn ob_claims(alg: &str, over: Value) -> Value {
    merge(
        json!({
            "aud": AS, "iat": NOW, "exp": NOW + 3600, "jti": "0b9f7c1e-5a3d-4e2f-8c6b-7d8e9fa0b1c2", "iss": OB_SW,
            "token_endpoint_auth_signing_alg": alg,
            "grant_types": ["authorization_code", "client_credentials"],
            "subject_type": "public", "application_type": "web",
            "redirect_uris": ["https://tpp.example.com/cb"],
            "token_endpoint_auth_method": "private_key_jwt",
            "software_statement": ob_ssa(),
            "scope": "accounts openid",
            "request_object_signing_alg": "PS256",
            "id_token_signed_response_alg": alg
        }),
        over,
    )
}

fn ob_context() -> Context {
    Context {
        now: NOW,
        endpoint_url: Some(REG.into()),
        tls: Some(TlsContext { subject_dn: Some(OB_DN.into()), thumbprint_s256: Some("x5t".into()), ..TlsContext::default() }),
        bearer: None,
    }
}

fn ob_jwks() -> SuppliedJwks {
    SuppliedJwks {
        software_statement: Some(common::jwks_value(&["directory-rsa2048"])),
        software: Some(common::jwks_value(&["software-rsa2048", "software-p256"])),
    }
}

fn ob_sign(alg: &str, claims: &Value) -> String {
    let kid = if alg == "ES256" { "software-p256" } else { "software-rsa2048" };
    common::sign(alg, &common::private_jwk(kid), &json!({"alg": alg, "kid": kid}), claims)
}

fn ob_post(alg: &str, claims: &Value) -> RegistrationAnswer {
    let req = RegistrationRequest {
        body: ob_sign(alg, claims),
        content_type: Some("application/jose".into()),
        context: ob_context(),
        jwks: ob_jwks(),
        sector_identifier: None,
    };
    run(&req, &ob_policy())
}

fn ob_register() -> (StoredClient, Map<String, Value>) {
    let a = ob_post("PS256", &ob_claims("PS256", json!({})));
    let (_, response) = accepted(&a);
    (stored_from(&a), response.clone())
}

fn ob_mcall(op: Operation, stored: Option<&StoredClient>, client_id: &str, body: Option<String>, token_ok: bool) -> ManagementRequest {
    let mut context = Context { now: NOW + 30, ..ob_context() };
    // The host validates the client-credentials access token (UKOB-AUTH-02)
    // and tells the engine whom it was issued to.
    context.bearer = Some(BearerContext { valid: token_ok, scopes: Vec::new(), client_id: Some(client_id.to_owned()) });
    ManagementRequest {
        operation: op,
        client_id: client_id.to_owned(),
        stored: stored.cloned(),
        registration_access_token: None,
        content_type: body.as_ref().map(|_| "application/jwt".to_owned()),
        body,
        context,
        jwks: ob_jwks(),
        sector_identifier: None,
    }
}

fn ob_mrun(req: &ManagementRequest) -> ManagementAnswer {
    evaluate_management(req, &ob_policy(), &mut SeededRandom::new(43))
}

/// What `responseValidator33` checks on a registration / retrieve response.
#[track_caller]
fn ob_schema_33(r: &Map<String, Value>) {
    let s = |k: &str| r.get(k).and_then(Value::as_str);
    let id = s("client_id").expect("client_id");
    assert!((1..=36).contains(&id.chars().count()), "client_id: 1..36 characters, got {id:?}");
    if let Some(secret) = s("client_secret") {
        assert!((1..=36).contains(&secret.chars().count()), "client_secret: 1..36 characters");
    }
    let uris = r["redirect_uris"].as_array().expect("redirect_uris");
    assert!(!uris.is_empty() && uris.iter().all(|u| u.as_str().is_some_and(|u| u.len() <= 256 && u.starts_with("https://"))));
    let method = s("token_endpoint_auth_method").expect("token_endpoint_auth_method");
    assert!(["private_key_jwt", "client_secret_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth"].contains(&method));
    let grants = r["grant_types"].as_array().expect("grant_types");
    assert!(grants.iter().all(|g| {
        ["client_credentials", "authorization_code", "refresh_token", "urn:openid:params:grant-type:ciba"].contains(&g.as_str().unwrap())
    }));
    if let Some(rts) = r.get("response_types") {
        assert!(rts.as_array().unwrap().iter().all(|t| ["code", "code id_token"].contains(&t.as_str().unwrap())), "{rts}");
    }
    if let Some(sw) = s("software_id") {
        assert!((1..=22).contains(&sw.len()) && sw.chars().all(|c| c.is_ascii_alphanumeric()), "software_id {sw:?}");
    }
    let scope = s("scope").expect("scope");
    assert!((1..=256).contains(&scope.len()));
    assert!(s("software_statement").is_some(), "software_statement");
    assert!(["web", "mobile"].contains(&s("application_type").expect("application_type")));
    for k in ["id_token_signed_response_alg", "request_object_signing_alg"] {
        assert!((1..=5).contains(&s(k).unwrap_or_else(|| panic!("{k}")).len()), "{k}");
    }
    if method == "private_key_jwt" || method == "client_secret_jwt" {
        assert!(s("token_endpoint_auth_signing_alg").is_some_and(|a| !a.is_empty() && a.len() <= 5), "token_endpoint_auth_signing_alg");
    }
    if method == "tls_client_auth" {
        assert!(s("tls_client_auth_subject_dn").is_some_and(|d| !d.is_empty() && d.chars().count() <= 128), "tls_client_auth_subject_dn");
    }
}

/// DCR-002 "Dynamically create a new software client": the tool's exact
/// claims → 201, and the response passes the tool's v3.3 schema.
#[test]
fn dcr_002_ukob_req_01_create_with_the_tools_claims() {
    let (stored, response) = ob_register();
    ob_schema_33(&response);
    // UKOB-META-05: absent response_types default to `code id_token`.
    assert_eq!(stored.client["response_types"], json!(["code id_token"]));
    assert_eq!(response["scope"], json!("accounts openid"));
    // UKOB-AUTH-02: no RFC 7592 registration access token in this ecosystem.
    assert!(!response.contains_key("registration_access_token"), "{response:?}");
    // The ES256 variant of the same request.
    let a = ob_post("ES256", &ob_claims("ES256", json!({})));
    ob_schema_33(accepted(&a).1);
}

/// DCR-002 with the `tls_client_auth` authoriser (the tool prefers it when the
/// AS advertises it): the DN in Go's RDN-sequence form, the same
/// `token_endpoint_auth_signing_alg` the tool always sends (UKOB-META-12).
#[test]
fn dcr_002_ukob_meta_12_create_with_tls_client_auth() {
    let claims = ob_claims("PS256", json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": OB_DN}));
    let a = ob_post("PS256", &claims);
    let (client, response) = accepted(&a);
    ob_schema_33(response);
    assert_eq!(client["tls_client_auth_subject_dn"], json!(OB_DN));
    assert!(!response.contains_key("client_secret"), "UKOB-META-15: no secret for tls_client_auth");
}

/// DCR-002 when the AS advertises both response types: the tool's resolver
/// sends `["code", "code id_token"]` (UKOB-META-05).
#[test]
fn dcr_002_ukob_meta_05_both_response_types() {
    let a = ob_post("PS256", &ob_claims("PS256", json!({"response_types": ["code", "code id_token"]})));
    let (client, response) = accepted(&a);
    ob_schema_33(response);
    assert_eq!(client["response_types"], json!(["code", "code id_token"]));
}

/// DCR-003 / DCR-010: after DELETE (204, tokens revoked: UKOB-MGMT-05) a
/// retrieve of the deleted client is 401 and the token revoked (UKOB-MGMT-02).
#[test]
fn dcr_003_dcr_010_ukob_mgmt_02_05_delete_then_retrieve_is_401() {
    let (stored, _) = ob_register();
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    let a = ob_mrun(&ob_mcall(Operation::Delete, Some(&stored), &id, None, true));
    maccepted(&a, 204);
    let ManagementAnswer::Accepted { actions, .. } = &a else { unreachable!() };
    assert!(actions.contains(&HostAction::DeleteClient) && actions.contains(&HostAction::RevokeClientTokens), "{actions:?}");
    let a = ob_mrun(&ob_mcall(Operation::Read, None, &id, None, true));
    assert_eq!(mrejected(&a).0, 401, "{}", show(&a));
    let ManagementAnswer::Rejected { actions, .. } = &a else { unreachable!() };
    assert!(actions.contains(&HostAction::RevokePresentedToken), "UKOB-MGMT-02: {actions:?}");
}

/// DCR-004 "fails on invalid registration request": each of the tool's five
/// bad requests is a 400 (UKOB-REQ-05, UKOB-REQ-03, UKOB-REQ-08, UKOB-ALG-01).
#[test]
fn dcr_004_ukob_req_03_05_08_alg_01_invalid_registration_requests() {
    // Expired claims: `WithJwtExpiration(-time.Hour)` → iat = now, exp = now - 1h.
    let a = ob_post("PS256", &ob_claims("PS256", json!({"exp": NOW - 3600})));
    assert_eq!(rejected(&a).0, 400, "UKOB-REQ-05: {}", show(&a));
    for iss in ["foo.is/invalid", "", "123456789012345678901234567890"] {
        let a = ob_post("PS256", &ob_claims("PS256", json!({ "iss": iss })));
        assert_eq!(rejected(&a).0, 400, "UKOB-REQ-03 {iss:?}");
    }
    // `WithTokenEndpointAuthMethod(RS256)`: the request is signed with RS256 and
    // RS256 is also the token endpoint / ID token alg.
    let a = ob_post("RS256", &ob_claims("RS256", json!({})));
    let (status, error, _) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "UKOB-REQ-08 / UKOB-ALG-01");
    // RS256 only in the metadata (request signed PS256): still refused.
    let a = ob_post("PS256", &ob_claims("PS256", json!({"token_endpoint_auth_signing_alg": "RS256"})));
    refused_at(&a, ErrorCode::InvalidClientMetadata, "/token_endpoint_auth_signing_alg");
}

/// UKOB-META-07: a JSON `null` `token_endpoint_auth_signing_alg` with
/// `private_key_jwt` is no value: refused like an absent one.
#[test]
fn ukob_meta_07_null_token_endpoint_auth_signing_alg_is_missing() {
    let mut claims = ob_claims("PS256", json!({}));
    claims["token_endpoint_auth_signing_alg"] = Value::Null;
    refused_at(&ob_post("PS256", &claims), ErrorCode::InvalidClientMetadata, "/token_endpoint_auth_signing_alg");
}

/// DCR-005 "Dynamically retrieve a new software client": GET with the
/// client-credentials token → 200 and a v3.3-valid body (UKOB-MGMT-01).
#[test]
fn dcr_005_ukob_mgmt_01_retrieve_with_the_client_credentials_token() {
    let (stored, registered) = ob_register();
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    let a = ob_mrun(&ob_mcall(Operation::Read, Some(&stored), &id, None, true));
    let body = maccepted(&a, 200).expect("a body");
    ob_schema_33(body);
    assert_eq!(body["client_id"], registered["client_id"]);
    assert_eq!(body["software_statement"], registered["software_statement"]);
}

/// DCR-007 "retrieve with invalid credentials": `Authorization: Bearer foobar`
/// (the host's validation fails) → 401 `invalid_token` (UKOB-AUTH-02); a token
/// of another client → 401 (UKOB-MGMT-01); no token → 401.
#[test]
fn dcr_007_ukob_auth_02_retrieve_with_an_invalid_token_is_401() {
    let (stored, _) = ob_register();
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    let (status, error, _) = mrejected(&ob_mrun(&ob_mcall(Operation::Read, Some(&stored), &id, None, false)));
    assert_eq!((status, error), (401, ErrorCode::InvalidToken));
    let mut req = ob_mcall(Operation::Read, Some(&stored), &id, None, true);
    req.context.bearer = bearer("someone-else", &[]);
    assert_eq!(mrejected(&ob_mrun(&req)).0, 401, "UKOB-MGMT-01");
    req.context.bearer = None;
    assert_eq!(mrejected(&ob_mrun(&req)).0, 401);
}

/// DCR-008 "I should be able update a registered software": PUT of a freshly
/// signed request — the tool's claims carry no `client_id` (UKOB-MGMT-03:
/// every claim again, `client_id` is 0..1 in `OBClientRegistrationRequest1`),
/// `Content-Type: application/jwt`, the client-credentials token → 200.
#[test]
fn dcr_008_ukob_mgmt_03_update_without_client_id_in_the_claims() {
    let (stored, _) = ob_register();
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    let claims = ob_claims(
        "PS256",
        json!({"jti": "3c2d1e0f-9a8b-4c7d-8e6f-5a4b3c2d1e0f", "iat": NOW + 20, "exp": NOW + 3620,
        "redirect_uris": ["https://tpp.example.com/cb", "https://tpp.example.com/cb2"]}),
    );
    let a = ob_mrun(&ob_mcall(Operation::Update, Some(&stored), &id, Some(ob_sign("PS256", &claims)), true));
    let body = maccepted(&a, 200).expect("a body");
    ob_schema_33(body);
    assert_eq!(body["client_id"], json!(id));
    assert_eq!(body["redirect_uris"], json!(["https://tpp.example.com/cb", "https://tpp.example.com/cb2"]));
    // UKOB-MGMT-04: a successful PUT keeps the client's tokens.
    let ManagementAnswer::Accepted { actions, .. } = &a else { unreachable!() };
    assert!(!actions.contains(&HostAction::RevokeClientTokens), "{actions:?}");
    // A `client_id` claim is the TPP's proposal (UKOB-META-09), ignored as on
    // create: the URL and the token name the client, whose id never changes.
    let claims = merge(claims, json!({"client_id": "another-client"}));
    let a = ob_mrun(&ob_mcall(Operation::Update, Some(&stored), &id, Some(ob_sign("PS256", &claims)), true));
    assert_eq!(maccepted(&a, 200).unwrap()["client_id"], json!(id));
}

/// RFC7592-UPDATE-05 still holds where the PUT is a plain RFC 7592 JSON
/// document (the control for the signed-request exemption above).
#[test]
fn rfc7592_update_05_plain_json_put_still_needs_client_id() {
    let p = policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG}));
    let a = run(
        &RegistrationRequest {
            body: json!({"redirect_uris": ["https://app.example.com/cb"]}).to_string(),
            context: Context { now: NOW, endpoint_url: Some(REG.into()), ..Context::default() },
            ..Default::default()
        },
        &p,
    );
    let (_, response) = accepted(&a);
    let token = response["registration_access_token"].as_str().unwrap().to_owned();
    let stored = stored_from(&a);
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    let req = ManagementRequest {
        operation: Operation::Update,
        client_id: id,
        stored: Some(stored),
        registration_access_token: Some(token),
        body: Some(json!({"redirect_uris": ["https://app.example.com/cb"]}).to_string()),
        content_type: Some("application/json".into()),
        context: Context { now: NOW + 5, endpoint_url: Some(REG.into()), ..Context::default() },
        ..Default::default()
    };
    let a = evaluate_management(&req, &p, &mut SeededRandom::new(3));
    let (status, error, found) = mrejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidRequest));
    assert!(found.iter().any(|(r, _)| r == "RFC7592-UPDATE-05"), "{found:?}");
}

/// DCR-008 negative: the PUT is verified like the POST (UKOB-MGMT-03): an
/// expired request or an RS256 signature is a 400.
#[test]
fn dcr_008_ukob_mgmt_03_update_is_verified_like_a_create() {
    let (stored, _) = ob_register();
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    let expired = ob_claims("PS256", json!({"exp": NOW - 60}));
    assert_eq!(mrejected(&ob_mrun(&ob_mcall(Operation::Update, Some(&stored), &id, Some(ob_sign("PS256", &expired)), true))).0, 400);
    let rs = ob_claims("RS256", json!({}));
    assert_eq!(mrejected(&ob_mrun(&ob_mcall(Operation::Update, Some(&stored), &id, Some(ob_sign("RS256", &rs)), true))).0, 400);
}

/// DCR-009 "update a non existing software client → unauthorized".
#[test]
fn dcr_009_ukob_mgmt_02_update_of_a_deleted_client_is_401() {
    let (stored, _) = ob_register();
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    maccepted(&ob_mrun(&ob_mcall(Operation::Delete, Some(&stored), &id, None, true)), 204);
    let body = ob_sign("PS256", &ob_claims("PS256", json!({})));
    let (status, error, _) = mrejected(&ob_mrun(&ob_mcall(Operation::Update, None, &id, Some(body), true)));
    assert_eq!((status, error), (401, ErrorCode::InvalidToken));
}

/// DCR-011 "register with invalid response_types": `["id_token", "token"]` → 400
/// `invalid_client_metadata` (UKOB-META-05).
#[test]
fn dcr_011_ukob_meta_05_id_token_token_response_types_are_refused() {
    let a = ob_post("PS256", &ob_claims("PS256", json!({"response_types": ["id_token", "token"]})));
    refused_at(&a, ErrorCode::InvalidClientMetadata, "/response_types/0");
}

/// UKOB-AUTH-01: the tool's `secureClient` is mTLS; without a client
/// certificate the POST is 401.
#[test]
fn ukob_auth_01_create_without_a_client_certificate_is_401() {
    let req = RegistrationRequest {
        body: ob_sign("PS256", &ob_claims("PS256", json!({}))),
        content_type: Some("application/jose".into()),
        context: Context { tls: None, ..ob_context() },
        jwks: ob_jwks(),
        sector_identifier: None,
    };
    assert_eq!(rejected(&run(&req, &ob_policy())).0, 401);
}

// ---------------------------------------------------------------- AU CDR: authorisation-server / mock-data-holder

const SW: &str = "c6327f87687a4d38b2f1a0a36e3f0c21";
const MOCK: &str = "https://www.mockcompany.com.au";
const CDR_SCOPE: &str = "openid profile common:customer.basic:read bank:accounts.basic:read bank:transactions:read cdr:registration";

/// The CDR participant tooling registers code-flow clients with ID Token
/// encryption and expects 201: these scenarios run with
/// `switches.code_flow_id_token_encryption: warn` (the default, `reject`, is
/// the digest's reading of AUCDR-META-06 and is tested below).
fn cdr_policy() -> Policy {
    policy(json!({"profile": "au-cdr", "issuer": AS, "registration_endpoint": REG,
        "switches": {"code_flow_id_token_encryption": "warn"}}))
}

fn cdr_redirects() -> Value {
    json!([format!("{MOCK}/redirects/redirect1"), format!("{MOCK}/redirects/redirect2")])
}

fn cdr_ssa_signed_by(kid: &str) -> String {
    let c = json!({
        "iss": "cdr-register", "iat": NOW - 30, "exp": NOW + 570, "jti": "6c6a3f0d2b9e4b1d8f0e7a6c5b4d3e2f",
        "legal_entity_id": "18b75a76-5821-4c9e-b465-4709291cf0f4", "legal_entity_name": "Mock Software Company",
        "org_id": "ffb1c8ba-279e-44d8-96f0-1bc34a6b436f", "org_name": "Mock Finance Tools",
        "client_name": "Mock Finance Tools", "client_description": "A product to help you manage your budget",
        "client_uri": MOCK, "redirect_uris": cdr_redirects(),
        "sector_identifier_uri": format!("{MOCK}/sector_identifier.json"),
        "logo_uri": format!("{MOCK}/logos/logo1.png"), "tos_uri": format!("{MOCK}/tos.html"),
        "policy_uri": format!("{MOCK}/policy.html"), "jwks_uri": format!("{MOCK}/jwks"),
        "revocation_uri": format!("{MOCK}/revocation"), "recipient_base_uri": MOCK,
        "software_id": SW, "software_roles": "data-recipient-software-product", "scope": CDR_SCOPE
    });
    common::sign("PS256", &common::private_jwk(kid), &json!({"alg": "PS256", "kid": kid, "typ": "JWT"}), &c)
}

fn cdr_ssa() -> String {
    cdr_ssa_signed_by("directory-rsa2048")
}

/// `CreateRegistrationRequest(ssa, responseType: "code", authorizationSignedResponseAlg: "PS256")`:
/// the tooling always sends `client_id` = the software id and, by default,
/// ID Token encryption `RSA-OAEP` / `A256GCM`.
fn cdr_claims(over: Value) -> Value {
    merge(
        json!({
            "iss": SW, "iat": NOW, "exp": NOW + 300, "jti": "0f6c2a4e-8b1d-4e3f-9a7c-5d6e7f8a9b0c", "aud": AS,
            "redirect_uris": cdr_redirects(),
            "token_endpoint_auth_signing_alg": "PS256", "token_endpoint_auth_method": "private_key_jwt",
            "grant_types": ["client_credentials", "authorization_code", "refresh_token"],
            "response_types": ["code"],
            "software_statement": cdr_ssa(),
            "client_id": SW,
            "application_type": "web", "request_object_signing_alg": "PS256",
            "authorization_signed_response_alg": "PS256",
            "id_token_signed_response_alg": "PS256",
            "id_token_encrypted_response_alg": "RSA-OAEP", "id_token_encrypted_response_enc": "A256GCM"
        }),
        over,
    )
}

fn cdr_context() -> Context {
    Context {
        now: NOW,
        endpoint_url: Some(REG.into()),
        tls: Some(TlsContext {
            subject_dn: Some("CN=MockDataRecipient,O=ACCC,C=AU".into()),
            thumbprint_s256: Some("x5t".into()),
            ..TlsContext::default()
        }),
        bearer: None,
    }
}

fn cdr_jwks() -> SuppliedJwks {
    SuppliedJwks {
        software_statement: Some(common::jwks_value(&["directory-rsa2048"])),
        software: Some(common::jwks_value(&["software-rsa2048", "software-p256"])),
    }
}

fn cdr_sector() -> Option<FetchedDocument> {
    Some(FetchedDocument { uri: format!("{MOCK}/sector_identifier.json"), body: Some(cdr_redirects().to_string()) })
}

fn cdr_sign(claims: &Value) -> String {
    common::sign(
        "PS256",
        &common::private_jwk("software-rsa2048"),
        &json!({"alg": "PS256", "kid": "software-rsa2048", "typ": "JWT"}),
        claims,
    )
}

fn cdr_post_with(p: &Policy, claims: &Value) -> RegistrationAnswer {
    let req = RegistrationRequest {
        body: cdr_sign(claims),
        content_type: Some("application/jwt".into()),
        context: cdr_context(),
        jwks: cdr_jwks(),
        sector_identifier: cdr_sector(),
    };
    run(&req, p)
}

fn cdr_post(over: Value) -> RegistrationAnswer {
    cdr_post_with(&cdr_policy(), &cdr_claims(over))
}

/// The JARM suite's `AssertDCR` on a registration / retrieve / update body.
#[track_caller]
fn cdr_assert_dcr(r: &Map<String, Value>, grant_types: &Value, response_types: &Value) {
    assert_eq!(&r["response_types"], response_types);
    assert_eq!(&r["grant_types"], grant_types);
    assert!(r["client_id"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(r.contains_key("client_id_issued_at"), "client_id_issued_at");
    for (k, v) in [
        ("client_name", json!("Mock Finance Tools")),
        ("client_description", json!("A product to help you manage your budget")),
        ("client_uri", json!(MOCK)),
        ("org_id", json!("ffb1c8ba-279e-44d8-96f0-1bc34a6b436f")),
        ("org_name", json!("Mock Finance Tools")),
        ("redirect_uris", cdr_redirects()),
        ("logo_uri", json!(format!("{MOCK}/logos/logo1.png"))),
        ("tos_uri", json!(format!("{MOCK}/tos.html"))),
        ("policy_uri", json!(format!("{MOCK}/policy.html"))),
        ("jwks_uri", json!(format!("{MOCK}/jwks"))),
        ("revocation_uri", json!(format!("{MOCK}/revocation"))),
        ("sector_identifier_uri", json!(format!("{MOCK}/sector_identifier.json"))),
        ("recipient_base_uri", json!(MOCK)),
        ("token_endpoint_auth_method", json!("private_key_jwt")),
        ("token_endpoint_auth_signing_alg", json!("PS256")),
        ("application_type", json!("web")),
        ("request_object_signing_alg", json!("PS256")),
        ("software_id", json!(SW)),
        ("software_roles", json!("data-recipient-software-product")),
    ] {
        assert_eq!(r.get(k), Some(&v), "AUCDR-RESP-01 / AUCDR-SSA-05: `{k}`");
    }
    let scope = r["scope"].as_str().unwrap();
    for s in ["openid", "bank:accounts.basic:read", "cdr:registration"] {
        assert!(scope.split(' ').any(|x| x == s), "scope {scope:?} lacks {s}");
    }
    assert!(!r.contains_key("client_secret"), "AUCDR-RESP-02");
}

/// POST AC01 / AC03 "valid SSA → 201": the tooling's request for the
/// authorization code flow; the response is what `AssertDCR` checks, the SSA
/// is returned unmodified, and the DH issues its own `client_id` (the
/// `client_id` = software id the tooling sends is not taken: UKOB-META-09's
/// RFC 7591 latitude, AUCDR-RESP-01).
#[test]
fn cdr_post_ac01_ac03_aucdr_resp_01_valid_ssa_is_created() {
    let a = cdr_post(json!({}));
    let (_, response) = accepted(&a);
    cdr_assert_dcr(response, &json!(["client_credentials", "authorization_code", "refresh_token"]), &json!(["code"]));
    assert_eq!(response["software_statement"], json!(cdr_ssa()), "AUCDR-SSA-05: the SSA is returned unmodified");
    assert_eq!(response["scope"], json!(CDR_SCOPE), "AUCDR-SSA-06: scope comes from the SSA");
    // AUCDR-DUP-01 is the host's registry: the accepted answer names the software id.
    let RegistrationAnswer::Accepted { software_statement, .. } = &a else { unreachable!() };
    assert_eq!(software_statement.as_ref().and_then(|s| s.software_id.as_deref()), Some(SW));
}

/// POST AC01 "MandatoryOnlyFields": no `application_type`, no
/// `request_object_signing_alg`, `redirect_uris` from the SSA → 201 with
/// `web` and `PS256` filled in (AUCDR-META-09, AUCDR-META-10, AUCDR-META-01).
#[test]
fn cdr_post_ac01_aucdr_meta_01_09_10_mandatory_only_fields() {
    let a = cdr_post(json!({"application_type": null, "request_object_signing_alg": null, "redirect_uris": null}));
    let (_, response) = accepted(&a);
    cdr_assert_dcr(response, &json!(["client_credentials", "authorization_code", "refresh_token"]), &json!(["code"]));
}

/// The tooling's default request is the hybrid flow (`code id_token`) with
/// ID Token encryption: accepted while the DH still offers hybrid
/// (`switches.hybrid_response_type_until` lifted), refused after the
/// 12 May 2025 cut-over by default (AUCDR-META-05).
#[test]
fn cdr_post_ac01_aucdr_meta_05_06_hybrid_default_request() {
    let hybrid = cdr_claims(json!({"response_types": ["code id_token"], "authorization_signed_response_alg": null}));
    refused_at(&cdr_post_with(&cdr_policy(), &hybrid), ErrorCode::InvalidClientMetadata, "/response_types");
    let p = policy(json!({"profile": "au-cdr", "issuer": AS, "registration_endpoint": REG,
        "switches": {"hybrid_response_type_until": NOW + 86_400}}));
    let a = cdr_post_with(&p, &hybrid);
    let (client, _) = accepted(&a);
    assert_eq!(client["id_token_encrypted_response_alg"], json!("RSA-OAEP"));
    assert_eq!(client["id_token_encrypted_response_enc"], json!("A256GCM"));
    // AUCDR-META-06: hybrid without ID Token encryption is refused.
    let bare = merge(hybrid, json!({"id_token_encrypted_response_alg": null, "id_token_encrypted_response_enc": null}));
    refused_at(&cdr_post_with(&p, &bare), ErrorCode::InvalidClientMetadata, "/id_token_encrypted_response_alg");
}

/// POST AC03 "valid but unapproved SSA": the SSA re-signed with a data
/// recipient certificate → 400 `invalid_software_statement` (AUCDR-SSA-01).
#[test]
fn cdr_post_ac03_aucdr_ssa_01_ssa_signed_by_someone_else() {
    let fake = cdr_ssa_signed_by("software-rsa2048");
    let (status, error, _) = rejected(&cdr_post(json!({ "software_statement": fake })));
    assert_eq!((status, error), (400, ErrorCode::InvalidSoftwareStatement));
}

/// POST AC06 "redirect_uris: [foo]" → 400 `invalid_redirect_uri` (AUCDR-META-01).
#[test]
fn cdr_post_ac06_aucdr_meta_01_redirect_uri_foo() {
    let (status, error, _) = rejected(&cdr_post(json!({"redirect_uris": ["foo"]})));
    assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri));
    let (status, error, _) = rejected(&cdr_post(json!({"redirect_uris": [format!("{MOCK}/redirects/other")]})));
    assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri), "AUCDR-SSA-04");
}

/// POST AC07 "token_endpoint_auth_signing_alg: HS256" → 400 `invalid_client_metadata` (AUCDR-META-03).
#[test]
fn cdr_post_ac07_aucdr_meta_03_hs256_token_endpoint_alg() {
    refused_at(
        &cdr_post(json!({"token_endpoint_auth_signing_alg": "HS256"})),
        ErrorCode::InvalidClientMetadata,
        "/token_endpoint_auth_signing_alg",
    );
}

/// JARM AC02 / AC03: ACF with `grant_types: [authorization_code]` only and
/// `authorization_signed_response_alg` ES256 / PS256 → 201 (AUCDR-META-04, -07).
#[test]
fn cdr_jarm_ac02_ac03_aucdr_meta_04_07_acf_with_es256_or_ps256() {
    for alg in ["ES256", "PS256"] {
        let a = cdr_post(json!({"grant_types": ["authorization_code"], "authorization_signed_response_alg": alg}));
        let (client, response) = accepted(&a);
        cdr_assert_dcr(response, &json!(["authorization_code"]), &json!(["code"]));
        assert_eq!(client["authorization_signed_response_alg"], json!(alg));
    }
}

/// JARM AC05: `authorization_signed_response_alg` null, "", none, RS256, Foo
/// with `code` → 400 `invalid_client_metadata` (AUCDR-META-07).
#[test]
fn cdr_jarm_ac05_aucdr_meta_07_invalid_authorization_signed_response_alg() {
    // JSON `null` sent as a claim value (the tooling's `Constants.Null`).
    let mut claims = cdr_claims(json!({"grant_types": ["authorization_code"]}));
    claims["authorization_signed_response_alg"] = Value::Null;
    let (status, error, _) = rejected(&cdr_post_with(&cdr_policy(), &claims));
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "null");
    let (status, error, _) = rejected(&cdr_post(json!({"grant_types": ["authorization_code"], "authorization_signed_response_alg": null})));
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "absent");
    for alg in ["", "none", "RS256", "Foo"] {
        let a = cdr_post(json!({"grant_types": ["authorization_code"], "authorization_signed_response_alg": alg}));
        refused_at(&a, ErrorCode::InvalidClientMetadata, "/authorization_signed_response_alg");
    }
}

/// JARM AC20 / AC23: JARM encryption combinations → 201 with the values
/// registered; `_alg` without `_enc` → `_enc` defaults to `A128CBC-HS256` (AUCDR-META-08).
#[test]
fn cdr_jarm_ac20_ac23_aucdr_meta_08_jarm_encryption() {
    for sig in ["ES256", "PS256"] {
        for alg in ["RSA-OAEP", "RSA-OAEP-256"] {
            for enc in [Some("A256GCM"), Some("A128CBC-HS256"), None] {
                let mut over = json!({"grant_types": ["authorization_code"], "authorization_signed_response_alg": sig,
                    "authorization_encrypted_response_alg": alg});
                if let Some(enc) = enc {
                    over["authorization_encrypted_response_enc"] = json!(enc);
                }
                let a = cdr_post(over);
                let (client, _) = accepted(&a);
                assert_eq!(client["authorization_encrypted_response_alg"], json!(alg));
                assert_eq!(client["authorization_encrypted_response_enc"], json!(enc.unwrap_or("A128CBC-HS256")), "{sig} {alg} {enc:?}");
            }
        }
    }
    // AUCDR-META-08 / JARM-META-02: `_enc` without `_alg` is refused.
    let a = cdr_post(json!({"authorization_encrypted_response_enc": "A256GCM"}));
    let (status, error, found) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata));
    assert!(found.iter().any(|(_, p)| p.starts_with("/authorization_encrypted_response_")), "{found:?}");
}

/// JARM AC25 / AC26: ACF-only registration without, and with, ID Token
/// encryption → 201. The DSB's urgent change (standards-maintenance #576,
/// decision 298) lets ADRs keep ID Token encryption in a code-flow
/// registration; a DH that does not encrypt ID Tokens on the ACF ignores it
/// (AUCDR-META-06).
#[test]
fn cdr_jarm_ac25_ac26_aucdr_meta_06_acf_with_and_without_id_token_encryption() {
    let a = cdr_post(json!({"id_token_encrypted_response_alg": null, "id_token_encrypted_response_enc": null}));
    cdr_assert_dcr(accepted(&a).1, &json!(["client_credentials", "authorization_code", "refresh_token"]), &json!(["code"]));
    let a = cdr_post(json!({}));
    cdr_assert_dcr(accepted(&a).1, &json!(["client_credentials", "authorization_code", "refresh_token"]), &json!(["code"]));
    // The host is told the values go unused with `code` alone.
    let RegistrationAnswer::Accepted { violations, .. } = &a else { unreachable!() };
    let warned: Vec<&str> = violations.iter().filter(|v| v.rule == "AUCDR-META-06" && !v.is_error()).map(|v| v.path.as_str()).collect();
    assert_eq!(warned, ["/id_token_encrypted_response_alg", "/id_token_encrypted_response_enc"]);
}

/// JARM AC43: `grant_types: [foo]` → 400 `invalid_client_metadata` (AUCDR-META-04).
#[test]
fn cdr_jarm_ac43_aucdr_meta_04_unknown_grant_type() {
    let a = cdr_post(json!({"grant_types": ["foo"], "authorization_signed_response_alg": null}));
    let (status, error, found) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "{found:?}");
    assert!(found.iter().any(|(_, p)| p.starts_with("/grant_types")), "{found:?}");
}

/// AUCDR-REQ-02 / AUCDR-REQ-03: the request signed with a key that is not in
/// the SSA's `jwks_uri` set → 400.
#[test]
fn cdr_aucdr_req_03_request_signed_with_an_unknown_key() {
    let claims = cdr_claims(json!({}));
    let body =
        common::sign("PS256", &common::private_jwk("directory-rsa2048"), &json!({"alg": "PS256", "kid": "directory-rsa2048"}), &claims);
    let req = RegistrationRequest {
        body,
        content_type: Some("application/jwt".into()),
        context: cdr_context(),
        jwks: cdr_jwks(),
        sector_identifier: cdr_sector(),
    };
    assert_eq!(rejected(&run(&req, &cdr_policy())).0, 400);
}

fn cdr_register() -> (StoredClient, String) {
    let a = cdr_post(json!({}));
    let stored = stored_from(&a);
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    (stored, id)
}

fn cdr_mcall(
    op: Operation,
    stored: Option<&StoredClient>,
    url_client_id: &str,
    body: Option<Value>,
    token: Option<BearerContext>,
) -> ManagementRequest {
    ManagementRequest {
        operation: op,
        client_id: url_client_id.to_owned(),
        stored: stored.cloned(),
        registration_access_token: None,
        content_type: body.as_ref().map(|_| "application/jwt".to_owned()),
        body: body.map(|c| cdr_sign(&c)),
        context: Context { now: NOW + 30, bearer: token, ..cdr_context() },
        jwks: cdr_jwks(),
        sector_identifier: cdr_sector(),
    }
}

fn cdr_mrun(req: &ManagementRequest) -> ManagementAnswer {
    evaluate_management(req, &cdr_policy(), &mut SeededRandom::new(47))
}

/// GET AC10 (JARM AC10): 200 with the registration; expired token (AC11) → 401
/// `invalid_token`; a data-access token without `cdr:registration` → 403
/// (AUCDR-MGMT-01, AUCDR-MGMT-04, AUCDR-MGMT-05).
#[test]
fn cdr_get_ac10_ac11_aucdr_mgmt_01_04_05_retrieve() {
    let (stored, id) = cdr_register();
    let a = cdr_mrun(&cdr_mcall(Operation::Read, Some(&stored), &id, None, bearer(&id, &["cdr:registration"])));
    cdr_assert_dcr(maccepted(&a, 200).unwrap(), &json!(["client_credentials", "authorization_code", "refresh_token"]), &json!(["code"]));
    let expired = Some(BearerContext { valid: false, scopes: vec!["cdr:registration".into()], client_id: Some(id.clone()) });
    let a = cdr_mrun(&cdr_mcall(Operation::Read, Some(&stored), &id, None, expired));
    assert_eq!(mrejected(&a).0, 401);
    let ManagementAnswer::Rejected { www_authenticate, error, .. } = &a else { unreachable!() };
    assert_eq!(*error, ErrorCode::InvalidToken);
    assert!(www_authenticate.as_deref().is_some_and(|w| w.starts_with("Bearer") && w.contains("invalid_token")), "{www_authenticate:?}");
    let a = cdr_mrun(&cdr_mcall(Operation::Read, Some(&stored), &id, None, bearer(&id, &["bank:accounts.basic:read"])));
    assert_eq!(mrejected(&a).0, 403, "AUCDR-MGMT-04");
}

/// PUT AC11 (and JARM AC14): the tooling's fresh request — with `client_id`
/// = the software id, not the DH's client id, and JARM encryption added — with
/// a `cdr:registration` token → 200 (AUCDR-MGMT-03: the PUT is the POST's
/// signed request; RFC 7592's `client_id` echo does not apply to it).
#[test]
fn cdr_put_ac11_aucdr_mgmt_03_update_with_the_tooling_request() {
    let (stored, id) = cdr_register();
    let claims = cdr_claims(json!({"jti": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "iat": NOW + 20, "exp": NOW + 320,
        "authorization_encrypted_response_alg": "RSA-OAEP", "authorization_encrypted_response_enc": "A128CBC-HS256"}));
    let a = cdr_mrun(&cdr_mcall(Operation::Update, Some(&stored), &id, Some(claims), bearer(&id, &["cdr:registration"])));
    let body = maccepted(&a, 200).expect("a body");
    cdr_assert_dcr(body, &json!(["client_credentials", "authorization_code", "refresh_token"]), &json!(["code"]));
    assert_eq!(body["client_id"], json!(id), "the DH's client id stays");
    assert_eq!(body["authorization_encrypted_response_alg"], json!("RSA-OAEP"));
}

/// PUT AC12 (JARM AC15): `redirect_uris: [foo]` → 400 `invalid_redirect_uri`;
/// AC13 expired token → 401; AC14 unknown client id in the URL → 401.
#[test]
fn cdr_put_ac12_ac13_ac14_aucdr_meta_01_mgmt_05_update_failures() {
    let (stored, id) = cdr_register();
    let token = || bearer(&id, &["cdr:registration"]);
    let a = cdr_mrun(&cdr_mcall(Operation::Update, Some(&stored), &id, Some(cdr_claims(json!({"redirect_uris": ["foo"]}))), token()));
    let (status, error, _) = mrejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri), "{}", show(&a));
    let expired = Some(BearerContext { valid: false, scopes: vec!["cdr:registration".into()], client_id: Some(id.clone()) });
    assert_eq!(mrejected(&cdr_mrun(&cdr_mcall(Operation::Update, Some(&stored), &id, Some(cdr_claims(json!({}))), expired))).0, 401);
    let foo = "ebd7e2ef-3b4c-4b41-9c5f-8c2f0a5c2e4a";
    let a = cdr_mrun(&cdr_mcall(Operation::Update, None, foo, Some(cdr_claims(json!({}))), token()));
    assert_eq!(mrejected(&a).0, 401, "AUCDR-MGMT-05");
}

/// DELETE AC18 (JARM): 204 and no body; AC19 expired token → 401 (AUCDR-MGMT-02, -05).
#[test]
fn cdr_delete_ac18_ac19_aucdr_mgmt_02_05_delete() {
    let (stored, id) = cdr_register();
    let expired = Some(BearerContext { valid: false, scopes: vec!["cdr:registration".into()], client_id: Some(id.clone()) });
    assert_eq!(mrejected(&cdr_mrun(&cdr_mcall(Operation::Delete, Some(&stored), &id, None, expired))).0, 401);
    let a = cdr_mrun(&cdr_mcall(Operation::Delete, Some(&stored), &id, None, bearer(&id, &["cdr:registration"])));
    assert!(maccepted(&a, 204).is_none(), "no body");
}

/// AUCDR-META-06 as the digest reads it: with `code` alone, ID Token
/// encryption is refused under the recipe's default switch.
#[test]
fn aucdr_meta_06_code_flow_id_token_encryption_refused_by_default() {
    let strict = policy(json!({"profile": "au-cdr", "issuer": AS, "registration_endpoint": REG}));
    let a = cdr_post_with(&strict, &cdr_claims(json!({})));
    let (status, error, found) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "{found:?}");
    assert!(found.iter().any(|(r, p)| r == "AUCDR-META-06" && p == "/id_token_encrypted_response_alg"), "{found:?}");
    // without the two fields the same request registers
    let a = cdr_post_with(&strict, &cdr_claims(json!({"id_token_encrypted_response_alg": null, "id_token_encrypted_response_enc": null})));
    accepted(&a);
}
