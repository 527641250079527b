//! The full registration decision (`evaluate_registration`) for every
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic, clippy::unreachable)]
//! built-in profile: a realistic happy path built from the committed test
//! keys, and failures for the rules each profile adds.

mod common;

use common::answers::{accepted, rejected};
use common::ecosystems::{BR_ORG, BR_SW, OB_ISS, SW, br_dn, cdr_policy, fapi_req, ssa_request};
use common::fixtures::{AS, NOW, REG, ctx, policy, tls};

use dcr_policy::host::{BearerContext, Context, FetchedDocument, SeededRandom};
use dcr_policy::policy::Policy;
use dcr_policy::registration::{InspectAnswer, RegistrationAnswer, RegistrationRequest, SuppliedJwks, inspect_registration};
use dcr_policy::{ChangeAction, ErrorCode};
use serde_json::{Value, json};

fn ssa(alg: &str, kid: &str, claims: Value) -> String {
    common::sign(alg, &common::private_jwk(kid), &json!({"alg": alg, "kid": kid, "typ": "JWT"}), &claims)
}

fn request_jwt(alg: &str, kid: &str, claims: Value) -> String {
    common::sign(alg, &common::private_jwk(kid), &json!({"alg": alg, "kid": kid}), &claims)
}

fn run(req: &RegistrationRequest, p: &Policy) -> RegistrationAnswer {
    common::answers::run_checked(req, p, 42)
}

#[track_caller]
fn has_rule(a: &RegistrationAnswer, rule: &str) {
    let (_, _, rules) = rejected(a);
    assert!(rules.iter().any(|(r, _)| r == rule), "expected {rule} in {rules:?}");
}

// ---------------------------------------------------------------- rfc7591 / oidc

fn json_request(metadata: Value) -> RegistrationRequest {
    RegistrationRequest { body: metadata.to_string(), context: ctx(), ..Default::default() }
}

#[test]
fn rfc7591_happy_path_defaults_are_reported() {
    let p = policy(json!({"profile": "rfc7591", "registration_endpoint": REG}));
    let a = run(&json_request(json!({"redirect_uris": ["https://app.example.com/cb"], "client_name": "App"})), &p);
    let (client, response, changes) = accepted(&a);
    assert_eq!(client["grant_types"], json!(["authorization_code"]));
    assert!(changes.iter().any(|c| c.path == "/grant_types" && c.action == ChangeAction::Defaulted));
    assert!(response.contains_key("client_secret"), "client_secret_basic default needs a secret");
    assert_eq!(response["registration_client_uri"], json!(format!("{REG}/{}", client["client_id"].as_str().unwrap())));
}

#[test]
fn rfc7591_out_07_client_chosen_id_is_dropped_and_reported() {
    let p = policy(json!({"profile": "rfc7591"}));
    let a =
        run(&json_request(json!({"redirect_uris": ["https://app.example.com/cb"], "client_id": "mine", "client_secret": "s3cret"})), &p);
    let (client, _, changes) = accepted(&a);
    assert_ne!(client["client_id"], json!("mine"));
    let removed: Vec<_> = changes.iter().filter(|c| c.rule == "RFC7591-OUT-07").map(|c| c.path.as_str()).collect();
    assert_eq!(removed, vec!["/client_id", "/client_secret"]);
    assert!(!serde_json::to_string(changes).unwrap().contains("s3cret"), "secrets never echoed in changes");
}

#[test]
fn oidc_rejects_with_every_violation() {
    let p = policy(json!({"profile": "oidc"}));
    let a = run(
        &json_request(
            json!({"redirect_uris": ["javascript:alert(1)", "https://app.example.com/cb#frag"], "jwks": {"keys": []}, "jwks_uri": "https://app.example.com/jwks"}),
        ),
        &p,
    );
    let (status, error, rules) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri));
    assert!(rules.len() >= 3, "{rules:?}");
    match &a {
        RegistrationAnswer::Rejected { response, .. } => {
            assert_eq!(response["error"], json!("invalid_redirect_uri"));
            assert!(response["error_description"].as_str().unwrap().is_ascii());
            assert_eq!(response["violations"].as_array().unwrap().len(), rules.len());
        }
        _ => unreachable!(),
    }
}

#[test]
fn rfc7591_endpoint_03_bearer_token_required_by_policy() {
    let p = policy(json!({"profile": "oidc", "endpoint": {"require_bearer_token": true, "bearer_token_scopes": ["dcr"]}}));
    let body = json!({"redirect_uris": ["https://app.example.com/cb"]});
    let a = run(&json_request(body.clone()), &p);
    assert_eq!(rejected(&a).0, 401);
    match &a {
        RegistrationAnswer::Rejected { www_authenticate, .. } => assert_eq!(www_authenticate.as_deref(), Some("Bearer")),
        _ => unreachable!(),
    }
    let mut req = json_request(body.clone());
    req.context.bearer = Some(BearerContext { valid: true, scopes: vec![], client_id: None });
    assert_eq!(rejected(&run(&req, &p)).0, 403);
    req.context.bearer = Some(BearerContext { valid: true, scopes: vec!["dcr".into()], client_id: None });
    accepted(&run(&req, &p));
}

// ---------------------------------------------------------------- software statements (generic)

fn generic_ssa_policy() -> Policy {
    policy(json!({
        "profile": "oidc",
        "software_statement": {"required": true, "trusted_issuers": ["https://directory.example"], "signing_algs": ["PS256"], "max_age": 3600}
    }))
}

fn generic_ssa(iat: i64) -> String {
    ssa(
        "PS256",
        "directory-rsa2048",
        json!({
            "iss": "https://directory.example", "iat": iat, "exp": iat + 3600, "jti": "ssa-1",
            "software_id": "sw-1", "client_name": "Directory Name", "redirect_uris": ["https://app.example.com/cb", "https://app.example.com/cb2"]
        }),
    )
}

#[test]
fn rfc7591_ss_07_statement_claims_take_precedence_and_are_reported() {
    let p = generic_ssa_policy();
    let a = run(
        &ssa_request(
            json!({"software_statement": generic_ssa(NOW - 10), "client_name": "Self Asserted", "redirect_uris": ["https://app.example.com/cb"]}),
        ),
        &p,
    );
    let (client, response, changes) = accepted(&a);
    assert_eq!(client["client_name"], json!("Directory Name"));
    let c = changes.iter().find(|c| c.path == "/client_name").unwrap();
    assert_eq!(
        (c.action, c.from.clone(), c.to.clone()),
        (ChangeAction::FromSoftwareStatement, Some(json!("Self Asserted")), Some(json!("Directory Name")))
    );
    assert_eq!(
        client["redirect_uris"],
        json!(["https://app.example.com/cb"]),
        "a subset of the statement's redirect URIs is kept, never replaced"
    );
    assert_eq!(client["software_id"], json!("sw-1"));
    assert!(response["software_statement"].is_string(), "RFC7591-SS-10: echoed");
    match &a {
        RegistrationAnswer::Accepted { software_statement, .. } => {
            assert_eq!(software_statement.as_ref().unwrap().jti.as_deref(), Some("ssa-1"))
        }
        _ => unreachable!(),
    }
}

#[test]
fn ssa_failures_statement_rules() {
    let p = generic_ssa_policy();
    // missing statement
    has_rule(&run(&ssa_request(json!({"redirect_uris": ["https://app.example.com/cb"]})), &p), "ISVA-AUTH-03");
    // untrusted issuer → unapproved
    let other = ssa("PS256", "directory-rsa2048", json!({"iss": "https://evil.example", "iat": NOW, "software_id": "x"}));
    let (_, error, _) = rejected(&run(&ssa_request(json!({"software_statement": other})), &p));
    assert_eq!(error, ErrorCode::UnapprovedSoftwareStatement);
    // expired / too old
    let (_, error, _) = rejected(&run(&ssa_request(json!({"software_statement": generic_ssa(NOW - 7200)})), &p));
    assert_eq!(error, ErrorCode::InvalidSoftwareStatement);
    // signed by a key that is not the directory's
    let forged = ssa("PS256", "software-rsa2048", json!({"iss": "https://directory.example", "iat": NOW, "software_id": "x"}));
    let (_, error, _) = rejected(&run(&ssa_request(json!({"software_statement": forged})), &p));
    assert_eq!(error, ErrorCode::InvalidSoftwareStatement);
    // a redirect URI outside the statement's list is refused, not replaced
    let a = run(&ssa_request(json!({"software_statement": generic_ssa(NOW), "redirect_uris": ["https://attacker.example/cb"]})), &p);
    let (_, error, _) = rejected(&a);
    assert_eq!(error, ErrorCode::InvalidRedirectUri);
}

#[test]
fn missing_key_set_is_the_hosts_mistake() {
    let p = generic_ssa_policy();
    let mut req = ssa_request(json!({"software_statement": generic_ssa(NOW)}));
    req.jwks.software_statement = None;
    assert!(matches!(run(&req, &p), RegistrationAnswer::InvalidCall { .. }));
}

// ---------------------------------------------------------------- uk-openbanking

fn ukob_policy() -> Policy {
    policy(json!({
        "profile": "uk-openbanking", "issuer": AS, "registration_endpoint": REG,
        "software_statement": {"trusted_issuers": [OB_ISS]}
    }))
}

fn ukob_ssa(over: Value) -> String {
    let mut c = json!({
        "iss": OB_ISS, "iat": NOW - 60, "jti": "ssa-ob-1", "software_id": "Hx3SoFtWaRe0000000001", "software_client_id": "Hx3SoFtWaRe0000000001",
        "software_client_name": "Budget Buddy", "software_client_uri": "https://tpp.example.com",
        "software_redirect_uris": ["https://tpp.example.com/cb", "https://tpp.example.com/cb2"],
        "software_roles": ["AISP", "PISP"], "software_jwks_endpoint": "https://keystore.example/tpp/Hx3SoFtWaRe0000000001.jwks",
        "org_status": "Active", "org_id": "0015800001041REAAY", "software_version": "1.0"
    });
    for (k, v) in over.as_object().unwrap() {
        c[k] = v.clone();
    }
    ssa("PS256", "directory-rsa2048", c)
}

fn ukob_claims(ssa: &str, over: Value) -> Value {
    let mut c = json!({
        "iss": "Hx3SoFtWaRe0000000001", "aud": AS, "iat": NOW - 5, "exp": NOW + 300, "jti": "b3f1c0a2-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        "redirect_uris": ["https://tpp.example.com/cb"],
        "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "PS256",
        "grant_types": ["authorization_code", "refresh_token", "client_credentials"],
        "response_types": ["code id_token"], "application_type": "web",
        "id_token_signed_response_alg": "PS256", "request_object_signing_alg": "PS256",
        "scope": "openid accounts", "software_statement": ssa
    });
    for (k, v) in over.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

fn ukob_request(claims: &Value) -> RegistrationRequest {
    RegistrationRequest {
        body: request_jwt("PS256", "software-rsa2048", claims.clone()),
        content_type: Some("application/jwt".into()),
        context: Context { tls: tls("CN=Hx3SoFtWaRe0000000001,OU=0015800001041REAAY,O=OpenBanking,C=GB"), ..ctx() },
        jwks: SuppliedJwks {
            software_statement: Some(common::jwks_value(&["directory-rsa2048"])),
            software: Some(common::jwks_value(&["software-rsa2048"])),
        },
        sector_identifier: None,
    }
}

#[test]
fn ukob_happy_path_signed_request_and_ssa() {
    let p = ukob_policy();
    let claims = ukob_claims(&ukob_ssa(json!({})), json!({}));
    let a = run(&ukob_request(&claims), &p);
    let (client, response, _) = accepted(&a);
    assert_eq!(client["client_name"], json!("Budget Buddy"), "UKOB: software_client_name maps onto client_name");
    assert_eq!(client["jwks_uri"], json!("https://keystore.example/tpp/Hx3SoFtWaRe0000000001.jwks"));
    assert!(!client.contains_key("aud") && !client.contains_key("jti"), "JWT claims are not metadata");
    assert!(!response.contains_key("client_secret"), "private_key_jwt needs no secret");
    match &a {
        RegistrationAnswer::Accepted { request_jwt, .. } => {
            assert_eq!(request_jwt.as_ref().unwrap().jti.as_deref(), Some("b3f1c0a2-4d5e-4f60-8a7b-9c0d1e2f3a4b"))
        }
        _ => unreachable!(),
    }
}

#[test]
fn ukob_meta_14_response_flattens_every_ssa_claim() {
    let p = ukob_policy();
    assert!(p.response.flatten_ssa_claims);
    let a = run(&ukob_request(&ukob_claims(&ukob_ssa(json!({"software_mode": "Live"})), json!({}))), &p);
    let (client, response, _) = accepted(&a);
    for (claim, want) in [
        ("org_id", json!("0015800001041REAAY")),
        ("org_status", json!("Active")),
        ("software_roles", json!(["AISP", "PISP"])),
        ("software_client_name", json!("Budget Buddy")),
        ("software_redirect_uris", json!(["https://tpp.example.com/cb", "https://tpp.example.com/cb2"])),
        ("software_jwks_endpoint", json!("https://keystore.example/tpp/Hx3SoFtWaRe0000000001.jwks")),
        ("software_mode", json!("Live")),
        ("jti", json!("ssa-ob-1")),
    ] {
        assert_eq!(response.get(claim), Some(&want), "response member {claim}");
        assert!(!client.contains_key(claim), "the stored client does not get {claim}");
    }
    // registered values win over a claim of the same name
    assert_eq!(response["client_name"], client["client_name"]);
    assert_eq!(response["client_id"], client["client_id"]);
    // off: RFC 7591 returns only the claims that were used (they are in the client)
    let mut off = ukob_policy();
    off.response.flatten_ssa_claims = false;
    let a = run(&ukob_request(&ukob_claims(&ukob_ssa(json!({})), json!({}))), &off);
    let (_, response, _) = accepted(&a);
    assert!(!response.contains_key("org_id") && !response.contains_key("software_roles"));
}

#[test]
fn ukob_meta_14_statement_cannot_inject_management_members() {
    // A claim named like a server-issued member never reaches the response from the statement.
    let p = ukob_policy();
    let ssa = ukob_ssa(json!({"registration_client_uri": "https://evil.example/r", "registration_access_token": "x",
        "client_secret": "chosen-by-the-statement", "client_secret_expires_at": 0}));
    let a = run(&ukob_request(&ukob_claims(&ssa, json!({}))), &p);
    let (_, response, _) = accepted(&a);
    assert!(!response.contains_key("registration_access_token"), "UK OB issues no RAT (UKOB-AUTH-02)");
    assert_ne!(response.get("registration_client_uri"), Some(&json!("https://evil.example/r")));
    assert!(!response.contains_key("client_secret") && !response.contains_key("client_secret_expires_at"), "private_key_jwt: no secret");
}

#[test]
fn ukob_inspect_names_the_key_sets_to_fetch() {
    let p = ukob_policy();
    let req = RegistrationRequest { jwks: SuppliedJwks::default(), ..ukob_request(&ukob_claims(&ukob_ssa(json!({})), json!({}))) };
    match inspect_registration(&req, &p) {
        InspectAnswer::Inspected { key_sets, .. } => {
            assert_eq!(key_sets.len(), 2);
            assert_eq!(key_sets[0].purpose, "software_statement");
            assert_eq!(key_sets[0].issuer.as_deref(), Some(OB_ISS));
            assert_eq!(key_sets[0].kids, vec!["directory-rsa2048".to_owned()]);
            assert!(key_sets[0].trusted);
            assert_eq!(key_sets[1].purpose, "software");
            assert_eq!(key_sets[1].jwks_uri.as_deref(), Some("https://keystore.example/tpp/Hx3SoFtWaRe0000000001.jwks"));
            assert_eq!(key_sets[1].kids, vec!["software-rsa2048".to_owned()]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn dcr_ssrf_01_inspect_never_sends_the_host_inside_its_network() {
    let p = ukob_policy();
    let ssa = ukob_ssa(json!({"software_jwks_endpoint": "https://169.254.169.254/latest/meta-data"}));
    let req = RegistrationRequest { jwks: SuppliedJwks::default(), ..ukob_request(&ukob_claims(&ssa, json!({}))) };
    match inspect_registration(&req, &p) {
        InspectAnswer::Inspected { violations, .. } => {
            let v: Vec<_> = violations.iter().map(|v| (v.rule.as_str(), v.path.as_str(), v.is_error())).collect();
            assert_eq!(v, vec![("DCR-SSRF-01", "/software_jwks_endpoint", true)]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn ukob_failures() {
    let p = ukob_policy();
    let ssa = ukob_ssa(json!({}));
    // UKOB-REQ-01: a plain JSON body is refused
    let mut req = ukob_request(&ukob_claims(&ssa, json!({})));
    req.body = ukob_claims(&ssa, json!({})).to_string();
    req.content_type = Some("application/json".into());
    has_rule(&run(&req, &p), "UKOB-REQ-01");
    // mTLS required
    let mut req = ukob_request(&ukob_claims(&ssa, json!({})));
    req.context.tls = None;
    assert_eq!(rejected(&run(&req, &p)).0, 401);
    // request iss must be the SSA's software_id (UKOB-REQ-03/04)
    let a = run(&ukob_request(&ukob_claims(&ssa, json!({"iss": "someone-else"}))), &p);
    let (_, _, rules) = rejected(&a);
    assert!(rules.iter().any(|(r, _)| r.starts_with("UKOB-REQ")), "{rules:?}");
    // wrong audience
    let (_, _, rules) = rejected(&run(&ukob_request(&ukob_claims(&ssa, json!({"aud": "https://other-as.example"}))), &p));
    assert!(rules.iter().any(|(r, _)| r.starts_with("JWT-CLAIM")), "{rules:?}");
    // redirect URI outside software_redirect_uris
    let a = run(&ukob_request(&ukob_claims(&ssa, json!({"redirect_uris": ["https://evil.example/cb"]}))), &p);
    assert_eq!(rejected(&a).1, ErrorCode::InvalidRedirectUri);
    // FAPI: client_secret_basic is not allowed
    let a = run(&ukob_request(&ukob_claims(&ssa, json!({"token_endpoint_auth_method": "client_secret_basic"}))), &p);
    assert_eq!(rejected(&a).1, ErrorCode::InvalidClientMetadata);
    // FAPI: RS256 is not allowed for ID tokens
    let a = run(&ukob_request(&ukob_claims(&ssa, json!({"id_token_signed_response_alg": "RS256"}))), &p);
    assert_eq!(rejected(&a).1, ErrorCode::InvalidClientMetadata);
    // scope beyond the SSA's roles
    let a = run(&ukob_request(&ukob_claims(&ukob_ssa(json!({"software_roles": ["AISP"]})), json!({"scope": "openid payments"}))), &p);
    assert!(rejected(&a).2.iter().any(|(r, _)| r.starts_with("UKOB")), "{:?}", rejected(&a).2);
    // inactive organisation
    let a = run(&ukob_request(&ukob_claims(&ukob_ssa(json!({"org_status": "Revoked"})), json!({}))), &p);
    assert!(rejected(&a).2.iter().any(|(r, _)| r == "UKOB-SSA-05"), "{:?}", rejected(&a).2);
    // request signed by a key outside the software's key set
    let mut req = ukob_request(&ukob_claims(&ssa, json!({})));
    req.body = request_jwt("PS256", "directory-rsa2048", ukob_claims(&ssa, json!({})));
    assert_eq!(rejected(&run(&req, &p)).1, ErrorCode::InvalidClientMetadata);
}

// ---------------------------------------------------------------- au-cdr

fn cdr_ssa(over: Value) -> String {
    let mut c = json!({
        "iss": "cdr-register", "iat": NOW - 30, "exp": NOW + 570, "jti": "37747cd1c10545699f754adf28b73e31",
        "legal_entity_id": "3B0B0A7B-3E7B-4A2C-9497-E357A71D07C7", "legal_entity_name": "Mock Company Inc.",
        "org_id": "3B0B0A7B-3E7B-4A2C-9497-E357A71D07C8", "org_name": "Mock Company Brand",
        "client_name": "Mock Software", "client_description": "A mock software product", "client_uri": "https://www.mockcompany.com.au",
        "redirect_uris": ["https://www.mockcompany.com.au/redirects/redirect1", "https://www.mockcompany.com.au/redirects/redirect2"],
        "sector_identifier_uri": "https://www.mockcompany.com.au/sector_identifier.json",
        "logo_uri": "https://www.mockcompany.com.au/logos/logo1.png", "tos_uri": "https://www.mockcompany.com.au/tos.html",
        "policy_uri": "https://www.mockcompany.com.au/policy.html", "jwks_uri": "https://www.mockcompany.com.au/jwks",
        "revocation_uri": "https://www.mockcompany.com.au/revocation", "recipient_base_uri": "https://www.mockcompany.com.au",
        "software_id": SW, "software_roles": "data-recipient-software-product",
        "scope": "openid profile bank:accounts.basic:read bank:accounts.detail:read bank:transactions:read common:customer.basic:read cdr:registration"
    });
    for (k, v) in over.as_object().unwrap() {
        c[k] = v.clone();
    }
    ssa("PS256", "directory-rsa2048", c)
}

fn cdr_claims(ssa: &str, over: Value) -> Value {
    let mut c = json!({
        "iss": SW, "aud": AS, "iat": NOW - 5, "exp": NOW + 300, "jti": "d3c1e2a0-7b1f-4c7e-9a5d-2f0b6e8c1a33",
        "redirect_uris": ["https://www.mockcompany.com.au/redirects/redirect1"],
        "token_endpoint_auth_signing_alg": "PS256", "token_endpoint_auth_method": "private_key_jwt",
        "grant_types": ["client_credentials", "authorization_code", "refresh_token"],
        "response_types": ["code"], "application_type": "web",
        "id_token_signed_response_alg": "PS256", "request_object_signing_alg": "PS256",
        "authorization_signed_response_alg": "PS256",
        "software_statement": ssa
    });
    for (k, v) in over.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

fn cdr_request(claims: &Value) -> RegistrationRequest {
    RegistrationRequest {
        body: request_jwt("PS256", "software-rsa2048", claims.clone()),
        content_type: Some("application/jwt".into()),
        context: Context { tls: tls("CN=mockcompany.com.au"), ..ctx() },
        jwks: SuppliedJwks {
            software_statement: Some(common::jwks_value(&["directory-rsa2048"])),
            software: Some(common::jwks_value(&["software-rsa2048"])),
        },
        // OIDCDCR-SECTOR-02 / AUCDR-SECTOR-01: the SSA's `sector_identifier_uri`, as the host fetched it.
        sector_identifier: Some(FetchedDocument {
            uri: "https://www.mockcompany.com.au/sector_identifier.json".into(),
            body: Some(
                r#"["https://www.mockcompany.com.au/redirects/redirect1","https://www.mockcompany.com.au/redirects/redirect2"]"#.into(),
            ),
        }),
    }
}

#[test]
fn aucdr_happy_path() {
    let p = cdr_policy();
    let a = run(&cdr_request(&cdr_claims(&cdr_ssa(json!({})), json!({}))), &p);
    let (client, response, _) = accepted(&a);
    assert_eq!(client["org_name"], json!("Mock Company Brand"), "SSA claims kept even with unknown_fields: drop");
    assert_eq!(client["redirect_uris"], json!(["https://www.mockcompany.com.au/redirects/redirect1"]));
    assert_eq!(client["jwks_uri"], json!("https://www.mockcompany.com.au/jwks"));
    assert!(!response.contains_key("client_secret"));
}

#[test]
fn aucdr_sector_01_listing_is_a_warning_fetch_failure_is_not() {
    let p = cdr_policy();
    let base = cdr_request(&cdr_claims(&cdr_ssa(json!({})), json!({})));
    let sector_uri = base.sector_identifier.as_ref().unwrap().uri.clone();
    // inspect names the SSA's sector_identifier_uri (AUCDR-SSA-05: SSA values are registered)
    match inspect_registration(&base, &p) {
        InspectAnswer::Inspected { documents, .. } => assert_eq!(documents[0].uri, sector_uri),
        other => panic!("{other:?}"),
    }
    // a 200 whose array does not list the redirect URI: accepted with a warning (AUCDR-SECTOR-01)
    let doc = |body: Option<&str>| Some(FetchedDocument { uri: sector_uri.clone(), body: body.map(str::to_owned) });
    for body in [r#"["https://www.mockcompany.com.au/elsewhere"]"#, "{}"] {
        let a = run(&RegistrationRequest { sector_identifier: doc(Some(body)), ..base.clone() }, &p);
        let RegistrationAnswer::Accepted { violations, .. } = &a else { panic!("{a:?}") };
        let v = violations.iter().find(|v| v.rule == "OIDCDCR-SECTOR-02").unwrap_or_else(|| panic!("{violations:#?}"));
        assert_eq!(v.severity, dcr_policy::Severity::Warning);
    }
    // no success status, or not fetched at all: refused
    has_rule(&run(&RegistrationRequest { sector_identifier: doc(None), ..base.clone() }, &p), "OIDCDCR-SECTOR-02");
    has_rule(&run(&RegistrationRequest { sector_identifier: None, ..base }, &p), "OIDCDCR-SECTOR-02");
}

#[test]
fn aucdr_failures() {
    let p = cdr_policy();
    let ssa = cdr_ssa(json!({}));
    // SSA from an issuer other than the CDR Register → unapproved
    let a = run(&cdr_request(&cdr_claims(&cdr_ssa(json!({"iss": "not-the-register"})), json!({}))), &p);
    assert_eq!(rejected(&a).1, ErrorCode::UnapprovedSoftwareStatement);
    // redirect URI outside the SSA's list (AUCDR-SSA-04)
    let a = run(&cdr_request(&cdr_claims(&ssa, json!({"redirect_uris": ["https://evil.example/cb"]}))), &p);
    assert_eq!(rejected(&a).1, ErrorCode::InvalidRedirectUri);
    // only private_key_jwt
    let a = run(
        &cdr_request(&cdr_claims(&ssa, json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "CN=x"}))),
        &p,
    );
    assert_eq!(rejected(&a).1, ErrorCode::InvalidClientMetadata);
    // request iss must equal the SSA software_id (AUCDR-REQ-03)
    let a = run(&cdr_request(&cdr_claims(&ssa, json!({"iss": "someone-else"}))), &p);
    assert!(rejected(&a).2.iter().any(|(r, _)| r.starts_with("AUCDR-REQ")), "{:?}", rejected(&a).2);
    // an expired SSA
    let a = run(&cdr_request(&cdr_claims(&cdr_ssa(json!({"iat": NOW - 1200, "exp": NOW - 600})), json!({}))), &p);
    assert_eq!(rejected(&a).1, ErrorCode::InvalidSoftwareStatement);
    // a missing required SSA claim
    let a = run(&cdr_request(&cdr_claims(&cdr_ssa(json!({"revocation_uri": null})), json!({}))), &p);
    assert_eq!(rejected(&a).1, ErrorCode::InvalidSoftwareStatement);
}

// ---------------------------------------------------------------- br-openfinance

fn br_policy() -> Policy {
    policy(json!({"profile": "br-openfinance", "issuer": AS, "registration_endpoint": REG,
        "software_statement": {"trusted_issuers": ["Open Banking Open Banking Brasil production SSA issuer"]}}))
}

fn br_ssa(over: Value) -> String {
    let mut c = json!({
        "iss": "Open Banking Open Banking Brasil production SSA issuer", "iat": NOW - 20, "jti": "br-ssa-1",
        "software_id": BR_SW, "org_id": BR_ORG, "org_name": "Banco Exemplo", "software_client_name": "Exemplo App",
        "software_redirect_uris": ["https://app.exemplo.com.br/cb", "https://app.exemplo.com.br/cb2"],
        "software_jwks_uri": format!("https://keystore.directory.openbankingbrasil.org.br/{BR_ORG}/{BR_SW}/application.jwks"),
        "software_statement_roles": [{"role": "DADOS", "authorisation_domain": "Open Banking", "status": "Active"}]
    });
    for (k, v) in over.as_object().unwrap() {
        c[k] = v.clone();
    }
    ssa("PS256", "directory-rsa2048", c)
}

fn br_request(metadata: Value, dn: &str) -> RegistrationRequest {
    RegistrationRequest {
        body: metadata.to_string(),
        content_type: Some("application/json".into()),
        context: Context { tls: tls(dn), ..ctx() },
        jwks: SuppliedJwks { software_statement: Some(common::jwks_value(&["directory-rsa2048"])), software: None },
        sector_identifier: None,
    }
}

fn br_metadata(ssa: &str, over: Value) -> Value {
    let mut c = json!({
        "software_statement": ssa,
        "redirect_uris": ["https://app.exemplo.com.br/cb"],
        "grant_types": ["authorization_code", "client_credentials", "refresh_token"],
        "response_types": ["code id_token"],
        "token_endpoint_auth_method": "tls_client_auth",
        "tls_client_auth_subject_dn": br_dn(),
        "jwks_uri": format!("https://keystore.directory.openbankingbrasil.org.br/{BR_ORG}/{BR_SW}/application.jwks"),
        "scope": "openid accounts consents resources"
    });
    for (k, v) in over.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

#[test]
fn brof_happy_path_tls_client_auth() {
    let p = br_policy();
    let a = run(&br_request(br_metadata(&br_ssa(json!({})), json!({})), &br_dn()), &p);
    let (client, response, _) = accepted(&a);
    assert_eq!(client["software_id"], json!(BR_SW));
    assert_eq!(client["client_name"], json!("Exemplo App"));
    assert!(!response.contains_key("client_secret"));
}

#[test]
fn brof_failures() {
    let p = br_policy();
    let ssa = br_ssa(json!({}));
    // BROF-SSA-02: statements older than 5 minutes are refused
    let a = run(&br_request(br_metadata(&br_ssa(json!({"iat": NOW - 600})), json!({})), &br_dn()), &p);
    assert_eq!(rejected(&a).1, ErrorCode::InvalidSoftwareStatement);
    // ... strictly: 301 s is too old (no leeway into the past), 300 s is fine
    let a = run(&br_request(br_metadata(&br_ssa(json!({"iat": NOW - 301})), json!({})), &br_dn()), &p);
    assert_eq!(rejected(&a).2, vec![("BROF-SSA-02".to_owned(), "/iat".to_owned())]);
    accepted(&run(&br_request(br_metadata(&br_ssa(json!({"iat": NOW - 300})), json!({})), &br_dn()), &p));
    // BROF-DN-03: the certificate's UID must be the SSA's software_id
    let other_dn = format!("CN=app.exemplo.com.br,UID=someone-else,2.5.4.97=OFBBR-{BR_ORG},O=Banco Exemplo,C=BR");
    let a = run(&br_request(br_metadata(&ssa, json!({"tls_client_auth_subject_dn": other_dn})), &other_dn), &p);
    assert!(rejected(&a).2.iter().any(|(r, _)| r == "BROF-DN-03"), "{:?}", rejected(&a).2);
    // BROF-DN-05: registered DN must match the certificate (distinguishedNameMatch, so case and spacing may differ)
    let a =
        run(&br_request(br_metadata(&ssa, json!({"tls_client_auth_subject_dn": br_dn().to_lowercase().replace(',', ", ")})), &br_dn()), &p);
    accepted(&a);
    let a = run(&br_request(br_metadata(&ssa, json!({"tls_client_auth_subject_dn": "CN=other,O=Other,C=BR"})), &br_dn()), &p);
    assert!(rejected(&a).2.iter().any(|(r, _)| r.starts_with("BROF-DN") || r.starts_with("RFC8705")), "{:?}", rejected(&a).2);
    // BROF-JWKS-01: inline jwks are forbidden
    let a = run(&br_request(br_metadata(&ssa, json!({"jwks": common::jwks_value(&["software-rsa2048"])})), &br_dn()), &p);
    assert_eq!(rejected(&a).1, ErrorCode::InvalidClientMetadata);
    // BROF-JWKS-02: jwks_uri must equal the SSA's software_jwks_uri
    let a = run(&br_request(br_metadata(&ssa, json!({"jwks_uri": "https://elsewhere.example/jwks"})), &br_dn()), &p);
    assert!(rejected(&a).2.iter().any(|(r, _)| r == "BROF-JWKS-02"), "{:?}", rejected(&a).2);
    // scope beyond the active roles
    let a = run(&br_request(br_metadata(&ssa, json!({"scope": "openid payments"})), &br_dn()), &p);
    assert!(rejected(&a).2.iter().any(|(r, _)| r.starts_with("BROF-SCOPE")), "{:?}", rejected(&a).2);
}

// ---------------------------------------------------------------- fapi1-advanced, fapi2, fapi2-message-signing

fn fapi_metadata(over: Value) -> Value {
    let mut c = json!({
        "redirect_uris": ["https://client.example.com/cb"],
        "token_endpoint_auth_method": "private_key_jwt",
        "jwks_uri": "https://client.example.com/jwks",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "client_name": "FAPI client"
    });
    for (k, v) in over.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

#[test]
fn fapi_happy_paths_never_default_to_rs256_or_secrets() {
    for profile in ["fapi1-advanced", "fapi2", "fapi2-message-signing"] {
        let p = policy(json!({"profile": profile, "issuer": AS, "registration_endpoint": REG}));
        let a = run(&fapi_req(fapi_metadata(json!({}))), &p);
        let (client, response, changes) = accepted(&a);
        // FAPI1-ALG-03 / FAPI2: defaults come from the profile, never RS256
        let id_alg = client.get("id_token_signed_response_alg").and_then(Value::as_str).unwrap_or("PS256");
        assert!(["PS256", "ES256", "EdDSA"].contains(&id_alg), "{profile}: {id_alg}");
        assert!(!serde_json::to_string(changes).unwrap().contains("RS256"), "{profile}");
        assert!(!response.contains_key("client_secret"), "{profile}");
    }
}

#[test]
fn fapi_failures() {
    for profile in ["fapi1-advanced", "fapi2", "fapi2-message-signing"] {
        let p = policy(json!({"profile": profile, "issuer": AS}));
        for (over, what) in [
            (json!({"token_endpoint_auth_method": "client_secret_basic"}), "shared secrets"),
            (json!({"token_endpoint_auth_method": "none"}), "public clients"),
            (json!({"id_token_signed_response_alg": "RS256"}), "RS256"),
            (json!({"token_endpoint_auth_signing_alg": "RS256"}), "RS256 client auth"),
            (json!({"redirect_uris": ["http://client.example.com/cb"]}), "http redirect"),
        ] {
            let a = run(&fapi_req(fapi_metadata(over)), &p);
            match a {
                RegistrationAnswer::Rejected { status: 400, .. } => {}
                other => panic!("{profile}: {what} must be refused, got {}", serde_json::to_string_pretty(&other).unwrap()),
            }
        }
        // open registration is off under FAPI (RFC7591-ENDPOINT-04 note)
        let mut req = fapi_req(fapi_metadata(json!({})));
        req.context.bearer = None;
        assert_eq!(rejected(&run(&req, &p)).0, 401, "{profile}");
    }
}

// ---------------------------------------------------------------- RFC 7592 management under the ecosystem profiles

use dcr_policy::management::{ManagementAnswer, ManagementRequest, Operation, StoredClient, evaluate_management};

/// Registers under UK OB and returns the stored record.
fn ukob_registered() -> (Policy, StoredClient) {
    let p = ukob_policy();
    match run(&ukob_request(&ukob_claims(&ukob_ssa(json!({})), json!({}))), &p) {
        RegistrationAnswer::Accepted { client, registration_access_token_hash, registration_access_token_expires_at, .. } => {
            (p, StoredClient { client, registration_access_token_hash, registration_access_token_expires_at })
        }
        other => panic!("{other:?}"),
    }
}

/// A UK OB PUT: a signed request carrying the client_id and a fresh SSA, over
/// mTLS, with a client-credentials token the host validated (UKOB-MGMT-*).
fn ukob_update(stored: &StoredClient, claims: Value) -> ManagementRequest {
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    let reg = ukob_request(&claims);
    ManagementRequest {
        operation: Operation::Update,
        client_id: id.clone(),
        stored: Some(stored.clone()),
        registration_access_token: None,
        body: Some(reg.body),
        content_type: reg.content_type,
        context: Context { now: NOW + 60, bearer: Some(BearerContext { valid: true, scopes: vec![], client_id: Some(id) }), ..reg.context },
        jwks: reg.jwks,
        sector_identifier: None,
    }
}

#[track_caller]
fn mgmt_rejected(a: &ManagementAnswer) -> (u16, ErrorCode, Vec<String>) {
    match a {
        ManagementAnswer::Rejected { status, error, violations, .. } => {
            (*status, *error, violations.iter().filter(|v| v.is_error()).map(|v| v.rule.clone()).collect())
        }
        other => panic!("expected rejection, got {}", serde_json::to_string_pretty(other).unwrap()),
    }
}

#[test]
fn ukob_management_update_within_the_ssa_redirect_set() {
    let (p, stored) = ukob_registered();
    let id = stored.client["client_id"].clone();
    let claims = ukob_claims(
        &ukob_ssa(json!({"iat": NOW})),
        json!({"client_id": id, "redirect_uris": ["https://tpp.example.com/cb2"], "iat": NOW + 55, "exp": NOW + 300}),
    );
    match evaluate_management(&ukob_update(&stored, claims), &p, &mut SeededRandom::new(5)) {
        ManagementAnswer::Accepted { status, client, changes, response, .. } => {
            assert_eq!(status, 200);
            assert_eq!(client.unwrap()["redirect_uris"], json!(["https://tpp.example.com/cb2"]));
            // UKOB-META-14 on update too
            assert_eq!(response.unwrap()["org_id"], json!("0015800001041REAAY"));
            assert!(changes.iter().any(|c| c.path == "/redirect_uris" && c.action == ChangeAction::Updated));
        }
        other => panic!("{}", serde_json::to_string_pretty(&other).unwrap()),
    }
}

#[test]
fn ukob_meta_14_management_read_flattens_too() {
    let (p, stored) = ukob_registered();
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    let mut req = ukob_update(&stored, json!({}));
    req.operation = Operation::Read;
    req.body = None;
    req.content_type = None;
    req.client_id = id;
    match evaluate_management(&req, &p, &mut SeededRandom::new(5)) {
        ManagementAnswer::Accepted { response, .. } => {
            let response = response.unwrap();
            assert_eq!(response["org_id"], json!("0015800001041REAAY"), "{response:?}");
            assert_eq!(response["software_roles"], json!(["AISP", "PISP"]));
        }
        other => panic!("{}", serde_json::to_string_pretty(&other).unwrap()),
    }
}

#[test]
fn ukob_management_update_failures() {
    let (p, stored) = ukob_registered();
    let id = stored.client["client_id"].clone();
    let fresh = |over: Value| {
        let mut base = json!({"client_id": id, "iat": NOW + 55, "exp": NOW + 300});
        for (k, v) in over.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    };
    // redirect URI outside the SSA's set
    let claims = ukob_claims(&ukob_ssa(json!({"iat": NOW})), fresh(json!({"redirect_uris": ["https://evil.example/cb"]})));
    assert_eq!(
        mgmt_rejected(&evaluate_management(&ukob_update(&stored, claims), &p, &mut SeededRandom::new(5))).1,
        ErrorCode::InvalidRedirectUri
    );
    // a different software_id (new SSA for other software) cannot take over the client
    let other_sw = "Zz9OtHeRsOfTwArE00001";
    let claims = ukob_claims(
        &ukob_ssa(json!({"iat": NOW, "software_id": other_sw, "software_client_id": other_sw})),
        fresh(json!({"iss": other_sw})),
    );
    assert!(
        mgmt_rejected(&evaluate_management(&ukob_update(&stored, claims), &p, &mut SeededRandom::new(5)))
            .2
            .contains(&"RFC7592-UPDATE-11".to_owned())
    );
    // a mismatched `client_id` claim is the TPP's proposal, ignored as on create
    // (UKOB-META-09, UKOB-MGMT-03: the signed PUT is exempt from RFC7592-UPDATE-05;
    // the URL and the client-credentials token name the client)
    let claims = ukob_claims(&ukob_ssa(json!({"iat": NOW})), fresh(json!({"client_id": "not-this-client"})));
    match evaluate_management(&ukob_update(&stored, claims), &p, &mut SeededRandom::new(5)) {
        ManagementAnswer::Accepted { client, .. } => assert_eq!(client.unwrap()["client_id"], id),
        other => panic!("{}", serde_json::to_string_pretty(&other).unwrap()),
    }
    // a forbidden server-managed field
    let claims = ukob_claims(&ukob_ssa(json!({"iat": NOW})), fresh(json!({"registration_client_uri": "https://x"})));
    assert!(
        mgmt_rejected(&evaluate_management(&ukob_update(&stored, claims), &p, &mut SeededRandom::new(5)))
            .2
            .contains(&"RFC7592-UPDATE-03".to_owned())
    );
    // the software statement is required on update, and an old one is refused (replay of a stale SSA)
    let mut claims = ukob_claims(&ukob_ssa(json!({})), fresh(json!({})));
    claims.as_object_mut().unwrap().remove("software_statement");
    assert_eq!(
        mgmt_rejected(&evaluate_management(&ukob_update(&stored, claims), &p, &mut SeededRandom::new(5))).1,
        ErrorCode::InvalidSoftwareStatement
    );
    let stale = ukob_ssa(json!({"iat": NOW - 30 * 86_400}));
    let mut req = ukob_update(&stored, ukob_claims(&stale, fresh(json!({}))));
    req.context.now = NOW + 30 * 86_400;
    let ex = json!({"iat": req.context.now - 5, "exp": req.context.now + 300});
    req.body = Some(request_jwt("PS256", "software-rsa2048", ukob_claims(&stale, fresh(ex))));
    // UKOB-SSA-09: the OB SSA has no `exp`; freshness is local policy, unset by default
    assert!(matches!(evaluate_management(&req, &p, &mut SeededRandom::new(5)), ManagementAnswer::Accepted { .. }));
    let strict = policy(json!({
        "profile": "uk-openbanking", "issuer": AS, "registration_endpoint": REG,
        "software_statement": {"trusted_issuers": [OB_ISS], "max_age": 86_400}
    }));
    let (_, error, _) = mgmt_rejected(&evaluate_management(&req, &strict, &mut SeededRandom::new(5)));
    assert_eq!(error, ErrorCode::InvalidSoftwareStatement, "a statement past the configured max age is refused on update");
    // a token for another client, and no token at all (client-credentials mode)
    let mut req = ukob_update(&stored, ukob_claims(&ukob_ssa(json!({"iat": NOW})), fresh(json!({}))));
    req.context.bearer = Some(BearerContext { valid: true, scopes: vec![], client_id: Some("another".into()) });
    assert_eq!(mgmt_rejected(&evaluate_management(&req, &p, &mut SeededRandom::new(5))).0, 401);
    req.context.bearer = None;
    assert_eq!(mgmt_rejected(&evaluate_management(&req, &p, &mut SeededRandom::new(5))).0, 401);
}

#[test]
fn ukob_management_read_and_delete() {
    let (p, stored) = ukob_registered();
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    let base = ManagementRequest {
        operation: Operation::Read,
        client_id: id.clone(),
        stored: Some(stored.clone()),
        context: Context {
            now: NOW + 60,
            tls: tls("CN=x"),
            bearer: Some(BearerContext { valid: true, scopes: vec![], client_id: Some(id) }),
            ..Context::default()
        },
        ..Default::default()
    };
    assert!(matches!(evaluate_management(&base, &p, &mut SeededRandom::new(5)), ManagementAnswer::Accepted { status: 200, .. }));
    let del = ManagementRequest { operation: Operation::Delete, ..base.clone() };
    assert!(matches!(evaluate_management(&del, &p, &mut SeededRandom::new(5)), ManagementAnswer::Accepted { status: 204, .. }));
    let no_mtls = ManagementRequest { context: Context { tls: None, ..base.context.clone() }, ..base };
    assert_eq!(mgmt_rejected(&evaluate_management(&no_mtls, &p, &mut SeededRandom::new(5))).0, 401);
}

#[test]
fn aucdr_management_needs_cdr_registration_scope() {
    let p = cdr_policy();
    let stored = match run(&cdr_request(&cdr_claims(&cdr_ssa(json!({})), json!({}))), &p) {
        RegistrationAnswer::Accepted { client, registration_access_token_hash, .. } => {
            StoredClient { client, registration_access_token_hash, registration_access_token_expires_at: None }
        }
        other => panic!("{other:?}"),
    };
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    let mut req = ManagementRequest {
        operation: Operation::Read,
        client_id: id.clone(),
        stored: Some(stored),
        context: Context {
            now: NOW + 60,
            tls: tls("CN=x"),
            bearer: Some(BearerContext { valid: true, scopes: vec!["cdr:registration".into()], client_id: Some(id.clone()) }),
            ..Context::default()
        },
        ..Default::default()
    };
    assert!(matches!(evaluate_management(&req, &p, &mut SeededRandom::new(5)), ManagementAnswer::Accepted { status: 200, .. }));
    req.context.bearer = Some(BearerContext { valid: true, scopes: vec![], client_id: Some(id) });
    assert_eq!(mgmt_rejected(&evaluate_management(&req, &p, &mut SeededRandom::new(5))).0, 403);
}

#[test]
fn key_cache_gives_the_same_decisions_and_follows_key_rotation() {
    use dcr_policy::jose::KeyCache;
    use dcr_policy::registration::evaluate_registration_cached;
    let p = ukob_policy();
    let mut keys = KeyCache::default();
    let req = ukob_request(&ukob_claims(&ukob_ssa(json!({})), json!({})));
    for _ in 0..3 {
        accepted(&evaluate_registration_cached(&req, &p, &mut SeededRandom::new(1), &mut keys));
    }
    assert_eq!(keys.len(), 2, "the directory and the software key sets, parsed once");
    // the software rotates its key: the new set no longer holds the signing key
    let mut rotated = req.clone();
    rotated.jwks.software = Some(common::jwks_value(&["software-p256"]));
    let a = evaluate_registration_cached(&rotated, &p, &mut SeededRandom::new(1), &mut keys);
    assert_eq!(rejected(&a).1, ErrorCode::InvalidClientMetadata);
    assert_eq!(keys.len(), 3);
}

#[test]
fn ukob_meta_08_scope_is_required_in_the_request() {
    let p = ukob_policy();
    let mut claims = ukob_claims(&ukob_ssa(json!({})), json!({}));
    assert!(claims.get("scope").is_some(), "the happy path sends a scope");
    claims.as_object_mut().unwrap().remove("scope");
    let (status, error, found) = rejected(&run(&ukob_request(&claims), &p));
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata));
    assert!(found.iter().any(|(r, path)| r == "UKOB-META-08" && path == "/scope"), "{found:?}");
}
