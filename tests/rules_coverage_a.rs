//! Rule-by-rule coverage (part A): every digest rule of the RFC 7591, RFC 7592,
//! OIDC DCR, RFC 8252, RFC 8705, JWT and BCP families that src/ enforces gets a
//! passing and a failing case here, each naming its rule ID, the RFC 7591
//! error code and the JSON Pointer path (or, for behaviour rules, asserting the
//! behaviour and a counter-case).
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic, clippy::unreachable)]

mod common;

use common::answers::accepted;
use common::ecosystems::{OB_ISS, ssa_request};
use common::fixtures::{AS, CB, NOW, REG, ctx, md, obj, oidc, policy, show};

use dcr_policy::host::{BearerContext, Context, SeededRandom, SystemRandom, TlsContext};
use dcr_policy::jose::{Jwks, VerifyOptions, verify};
use dcr_policy::management::{HostAction, ManagementAnswer, ManagementRequest, Operation, StoredClient, evaluate_management};
use dcr_policy::policy::Policy;
use dcr_policy::registration::{RegistrationAnswer, RegistrationRequest, SuppliedJwks, evaluate_registration};
use dcr_policy::{ChangeAction, ErrorCode, Limits, Severity, validate_metadata};
use serde_json::{Map, Value, json};

const DIR: &str = "https://directory.example";

// ---------------------------------------------------------------- helpers

fn rfc7591() -> Policy {
    policy(json!({"profile": "rfc7591", "issuer": AS, "registration_endpoint": REG}))
}

fn run(req: &RegistrationRequest, p: &Policy) -> RegistrationAnswer {
    evaluate_registration(req, p, &mut SeededRandom::new(7))
}

/// (status, top-level error, error findings as (rule, path, code)).
#[track_caller]
fn rejected(a: &RegistrationAnswer) -> (u16, ErrorCode, Vec<(String, String, ErrorCode)>) {
    match a {
        RegistrationAnswer::Rejected { status, error, violations, response, .. } => {
            assert_eq!(response["error"], json!(error.as_str()), "RFC7591-ERR-01: body carries the code");
            (*status, *error, violations.iter().filter(|v| v.is_error()).map(|v| (v.rule.clone(), v.path.clone(), v.error)).collect())
        }
        other => panic!("expected rejected, got {}", show(other)),
    }
}

#[track_caller]
fn finding(a: &RegistrationAnswer, rule: &str, path: &str, code: ErrorCode) {
    let (_, _, found) = rejected(a);
    assert!(found.iter().any(|(r, p, c)| r == rule && p == path && *c == code), "expected {rule} at {path} ({code:?}) in {found:?}");
}

fn warnings(a: &RegistrationAnswer) -> Vec<(String, String)> {
    match a {
        RegistrationAnswer::Accepted { violations, .. } => {
            violations.iter().filter(|v| v.severity == Severity::Warning).map(|v| (v.rule.clone(), v.path.clone())).collect()
        }
        other => panic!("expected accepted, got {}", show(other)),
    }
}

fn www(a: &RegistrationAnswer) -> Option<String> {
    match a {
        RegistrationAnswer::Rejected { www_authenticate, .. } => www_authenticate.clone(),
        other => panic!("expected rejected, got {}", show(other)),
    }
}

fn sign(alg: &str, kid: &str, claims: Value) -> String {
    common::sign(alg, &common::private_jwk(kid), &json!({"alg": alg, "kid": kid, "typ": "JWT"}), &claims)
}

fn ssa_policy(extra: Value) -> Policy {
    let mut doc = json!({
        "profile": "oidc", "issuer": AS, "registration_endpoint": REG,
        "software_statement": {"trusted_issuers": [DIR], "max_age": 3600}
    });
    for (k, v) in extra.as_object().unwrap() {
        doc[k] = v.clone();
    }
    policy(doc)
}

fn ssa_claims(over: Value) -> Value {
    let mut c = json!({
        "iss": DIR, "iat": NOW - 10, "exp": NOW + 600, "jti": "ssa-1", "software_id": "sw-1",
        "client_name": "Directory Name", "redirect_uris": [CB]
    });
    for (k, v) in over.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

// management helpers

fn register(p: &Policy, metadata: Value) -> (StoredClient, String, Map<String, Value>) {
    match evaluate_registration(&md(metadata), p, &mut SeededRandom::new(1)) {
        RegistrationAnswer::Accepted { client, response, registration_access_token_hash, registration_access_token_expires_at, .. } => {
            let token = response["registration_access_token"].as_str().unwrap().to_owned();
            (StoredClient { client, registration_access_token_hash, registration_access_token_expires_at }, token, response)
        }
        other => panic!("registration failed: {}", show(&other)),
    }
}

fn call(op: Operation, stored: &StoredClient, token: Option<&str>, body: Option<Value>) -> ManagementRequest {
    ManagementRequest {
        operation: op,
        client_id: stored.client["client_id"].as_str().unwrap().to_owned(),
        stored: Some(stored.clone()),
        registration_access_token: token.map(str::to_owned),
        // RFC7592-UPDATE-05: an update names the current client_id.
        body: body.map(|mut b| {
            if op == Operation::Update && b.get("client_id").is_none() {
                b["client_id"] = stored.client["client_id"].clone();
            }
            b.to_string()
        }),
        content_type: Some("application/json".into()),
        context: Context { now: NOW + 10, ..ctx() },
        ..Default::default()
    }
}

fn manage(req: &ManagementRequest, p: &Policy) -> ManagementAnswer {
    evaluate_management(req, p, &mut SeededRandom::new(2))
}

/// (status, error, findings as (rule, path)).
#[track_caller]
fn m_rejected(a: &ManagementAnswer) -> (u16, ErrorCode, Vec<(String, String)>, Option<String>) {
    match a {
        ManagementAnswer::Rejected { status, error, violations, www_authenticate, .. } => (
            *status,
            *error,
            violations.iter().filter(|v| v.is_error()).map(|v| (v.rule.clone(), v.path.clone())).collect(),
            www_authenticate.clone(),
        ),
        other => panic!("expected rejection, got {}", show(other)),
    }
}

/// (status, client, response, changes, actions) of an accepted management answer.
type MAccepted = (u16, Option<Map<String, Value>>, Option<Map<String, Value>>, Vec<dcr_policy::Change>, Vec<HostAction>);

#[track_caller]
fn m_accepted(a: &ManagementAnswer) -> MAccepted {
    match a {
        ManagementAnswer::Accepted { status, client, response, changes, actions, .. } => {
            (*status, client.clone(), response.clone(), changes.clone(), actions.clone())
        }
        other => panic!("expected accepted, got {}", show(other)),
    }
}

fn web_md() -> Value {
    json!({"redirect_uris": [CB], "client_name": "App"})
}

// ---------------------------------------------------------------- BCP / JWT

/// BCP-AUTH-01 (a policy switch): public clients pass by default; a policy that
/// wants every client authenticated refuses `none` (RFC7591-SEC-01), and the
/// FAPI profiles allow asymmetric methods only.
#[test]
fn bcp_auth_01_client_authentication_is_a_policy_switch() {
    let public = json!({"redirect_uris": [CB], "token_endpoint_auth_method": "none"});
    accepted(&run(&md(public.clone()), &oidc()));
    let strict = policy(json!({"profile": "oidc", "registration_endpoint": REG, "checks": {"allow_public_clients": false}}));
    let a = run(&md(public), &strict);
    assert_eq!(rejected(&a).1, ErrorCode::InvalidClientMetadata, "BCP-AUTH-01");
    finding(&a, "RFC7591-SEC-01", "/token_endpoint_auth_method", ErrorCode::InvalidClientMetadata);
    // asymmetric only: the fapi2 recipe refuses a shared secret
    let fapi = dcr_policy::profiles::recipe(dcr_policy::ProfileId::Fapi2);
    let allowed = fapi.allowed["token_endpoint_auth_method"].as_array().unwrap();
    assert!(allowed.iter().all(|m| m == "private_key_jwt" || m == "tls_client_auth" || m == "self_signed_tls_client_auth"), "{allowed:?}");
    let out = validate_metadata(&obj(json!({"redirect_uris": [CB], "token_endpoint_auth_method": "client_secret_basic"})), &fapi);
    assert!(
        out.violations
            .iter()
            .any(|v| v.is_error() && v.path == "/token_endpoint_auth_method" && v.error == ErrorCode::InvalidClientMetadata),
        "BCP-AUTH-01: {:?}",
        out.violations
    );
}

fn jwt_opts<'a>(algs: &'a [String], limits: &'a Limits) -> VerifyOptions<'a> {
    common::jose::verify_options(algs, limits, NOW, 60)
}

/// JWT-KEY-05: EC keys must be on a supported named curve (P-256, P-384) and
/// their point on the curve.
#[test]
fn jwt_key_05_ec_point_must_be_on_a_supported_curve() {
    let algs = dcr_policy::policy::default_asymmetric_algs();
    let limits = Limits::default();
    let token = sign("ES256", "software-p256", json!({"iss": DIR, "iat": NOW, "exp": NOW + 60}));
    let good = common::jwks(&["software-p256"]);
    assert!(verify(&token, &good, &jwt_opts(&algs, &limits)).is_ok());
    // the same key with `y` flipped is not on P-256
    let mut off = common::public_jwk("software-p256");
    let mut y = dcr_policy::jose::b64::decode(off["y"].as_str().unwrap()).unwrap();
    y[31] ^= 1;
    off["y"] = json!(dcr_policy::jose::b64::encode(&y));
    // and a curve the engine does not accept
    let mut k1 = common::public_jwk("software-p256");
    k1["crv"] = json!("secp256k1");
    for (bad, reason) in [(off, "key_invalid"), (k1, "unsupported_crv")] {
        let jwks = Jwks::from_value(&json!({"keys": [bad]}), "/jwks").unwrap();
        assert_eq!(jwks.usable(), 0);
        let e = verify(&token, &jwks, &jwt_opts(&algs, &limits)).unwrap_err();
        assert_eq!(
            (e[0].rule.as_str(), e[0].path.as_str(), e[0].error, e[0].reason.as_deref()),
            ("JWT-KEY-05", "/kid", ErrorCode::InvalidSoftwareStatement, Some(reason))
        );
    }
}

// ---------------------------------------------------------------- OIDC DCR

/// OIDCDCR-AUTH-01: `token_endpoint_auth_method` defaults to `client_secret_basic`.
#[test]
fn oidcdcr_auth_01_auth_method_defaults_to_client_secret_basic() {
    let out = validate_metadata(&obj(web_md()), &oidc());
    assert!(out.is_valid());
    assert_eq!(out.client["token_endpoint_auth_method"], json!("client_secret_basic"), "OIDCDCR-AUTH-01");
    let c = out.changes.iter().find(|c| c.path == "/token_endpoint_auth_method").unwrap();
    assert_eq!((c.action, c.rule.as_str()), (ChangeAction::Defaulted, "RFC7591-AUTH-01"));
    // an explicit method is kept, with no default recorded
    let out = validate_metadata(&obj(json!({"redirect_uris": [CB], "token_endpoint_auth_method": "client_secret_post"})), &oidc());
    assert_eq!(out.client["token_endpoint_auth_method"], json!("client_secret_post"));
    assert!(out.changes.iter().all(|c| c.path != "/token_endpoint_auth_method"));
    // an unregistered method that is not an extension URI is refused
    let out = validate_metadata(&obj(json!({"redirect_uris": [CB], "token_endpoint_auth_method": "magic"})), &oidc());
    assert!(
        out.violations
            .iter()
            .any(|v| v.rule == "RFC7591-AUTH-02" && v.path == "/token_endpoint_auth_method" && v.error == ErrorCode::InvalidClientMetadata)
    );
}

/// OIDCDCR-CONFIG-01: the server builds `registration_client_uri`
/// (registration endpoint + `client_id` path segment); a client-sent one is dropped.
#[test]
fn oidcdcr_config_01_server_builds_registration_client_uri() {
    let a = run(&md(json!({"redirect_uris": [CB], "registration_client_uri": "https://evil.example/steal"})), &oidc());
    let (client, response, changes) = accepted(&a);
    let id = client["client_id"].as_str().unwrap();
    assert_eq!(response["registration_client_uri"], json!(format!("{REG}/{id}")), "OIDCDCR-CONFIG-01");
    assert!(
        changes.iter().any(|c| c.path == "/registration_client_uri" && c.action == ChangeAction::Removed && c.rule == "RFC7591-OUT-07")
    );
    // a custom client_id is percent-encoded into one path segment
    let custom = policy(json!({"profile": "oidc", "registration_endpoint": REG, "endpoint": {"allow_custom_client_creds": true}}));
    let a = run(&md(json!({"redirect_uris": [CB], "client_id": "a/b c"})), &custom);
    assert_eq!(accepted(&a).1["registration_client_uri"], json!(format!("{REG}/a%2Fb%20c")));
}

/// OIDCDCR-CONFIG-02 (= RFC7592-AUTHZ-04): the URL's client must be the RAT's client.
#[test]
fn oidcdcr_config_02_url_client_must_be_the_tokens_client() {
    let p = oidc();
    let (stored, token, _) = register(&p, web_md());
    assert_eq!(m_accepted(&manage(&call(Operation::Read, &stored, Some(&token), None), &p)).0, 200);
    let mut req = call(Operation::Read, &stored, Some(&token), None);
    req.client_id = "someone-else".into();
    let (status, error, rules, _) = m_rejected(&manage(&req, &p));
    assert_eq!((status, error), (401, ErrorCode::InvalidToken), "OIDCDCR-CONFIG-02");
    assert_eq!(rules, vec![("RFC7592-AUTHZ-04".to_owned(), "/client_id".to_owned())]);
}

/// OIDCDCR-ENDPOINT-01: open registration needs no token; when one is required
/// it is an RFC 6750 bearer token the host validated.
#[test]
fn oidcdcr_endpoint_01_open_registration_or_bearer_token() {
    accepted(&run(&md(web_md()), &oidc()));
    let closed = policy(json!({"profile": "oidc", "registration_endpoint": REG, "endpoint": {"require_bearer_token": true}}));
    let a = run(&md(web_md()), &closed);
    assert_eq!(rejected(&a).0, 401, "OIDCDCR-ENDPOINT-01");
    finding(&a, "RFC7591-ENDPOINT-03", "/bearer", ErrorCode::InvalidToken);
    let mut req = md(web_md());
    req.context.bearer = Some(BearerContext { valid: true, scopes: vec![], client_id: None });
    accepted(&run(&req, &closed));
}

/// OIDCDCR-ERR-01: registration errors are 400 with `error` and
/// `error_description`, `invalid_redirect_uri` / `invalid_client_metadata`;
/// OAuth-layer errors follow RFC 6750.
#[test]
fn oidcdcr_err_01_error_body_codes_and_oauth_layer() {
    let p = oidc();
    for (body, code, path, rule) in [
        (
            json!({"redirect_uris": ["https://app.example.com/cb#frag"]}),
            ErrorCode::InvalidRedirectUri,
            "/redirect_uris/0",
            "RFC7591-REDIRECT-03",
        ),
        (json!({"redirect_uris": [CB], "client_uri": "ftp://x"}), ErrorCode::InvalidClientMetadata, "/client_uri", "RFC7591-URI-01"),
    ] {
        let a = run(&md(body), &p);
        let (status, error, _) = rejected(&a);
        assert_eq!((status, error), (400, code), "OIDCDCR-ERR-01");
        finding(&a, rule, path, code);
        match &a {
            RegistrationAnswer::Rejected { response, .. } => {
                assert_eq!(response["error"], json!(code.as_str()));
                assert!(!response["error_description"].as_str().unwrap().is_empty());
            }
            _ => unreachable!(),
        }
    }
    // the OAuth layer (a bad initial access token): 401 per RFC 6750
    let closed = policy(json!({"profile": "oidc", "registration_endpoint": REG, "endpoint": {"require_bearer_token": true}}));
    let mut req = md(web_md());
    req.context.bearer = Some(BearerContext { valid: false, scopes: vec![], client_id: None });
    let a = run(&req, &closed);
    assert_eq!(rejected(&a).0, 401);
    assert!(www(&a).unwrap().starts_with("Bearer error=\"invalid_token\""));
}

/// OIDCDCR-OUT-01: a fresh random `client_id` per registration; a client-chosen one is dropped.
#[test]
fn oidcdcr_out_01_client_id_is_fresh_and_server_chosen() {
    let p = oidc();
    let first = evaluate_registration(&md(web_md()), &p, &mut SystemRandom);
    let first_id = accepted(&first).0["client_id"].as_str().unwrap().to_owned();
    assert_eq!(first_id.len(), 43, "OIDCDCR-OUT-01: 256 random bits");
    let second = evaluate_registration(&md(json!({"redirect_uris": [CB], "client_id": first_id})), &p, &mut SystemRandom);
    let (client, _, changes) = accepted(&second);
    assert_ne!(client["client_id"], json!(first_id), "a client cannot claim another client's id");
    assert!(changes.iter().any(|c| c.path == "/client_id" && c.rule == "RFC7591-OUT-07"));
}

/// OIDCDCR-OUT-02: replaced and server-provisioned values are in the response;
/// unknown client fields never cause an error.
#[test]
fn oidcdcr_out_02_response_carries_provisioned_values_and_ignores_unknown() {
    let a = run(&md(json!({"redirect_uris": [CB], "x_unknown_field": 1})), &oidc());
    let (client, response, changes) = accepted(&a);
    for c in changes.iter().filter(|c| c.action == ChangeAction::Defaulted) {
        let name = &c.path[1..];
        assert_eq!(response.get(name), client.get(name), "OIDCDCR-OUT-02: defaulted {name} is returned");
        assert!(response.contains_key(name));
    }
    for k in ["client_id", "client_secret", "client_id_issued_at", "client_secret_expires_at", "grant_types", "response_types"] {
        assert!(response.contains_key(k), "{k}");
    }
    // under `unknown_fields: drop` the unknown member is removed (and said so), still no error
    let drop = policy(json!({"profile": "oidc", "registration_endpoint": REG, "unknown_fields": "drop"}));
    let a = run(&md(json!({"redirect_uris": [CB], "x_unknown_field": 1})), &drop);
    let (_, response, changes) = accepted(&a);
    assert!(!response.contains_key("x_unknown_field"));
    assert!(changes.iter().any(|c| c.path == "/x_unknown_field" && c.action == ChangeAction::Removed));
}

/// OIDCDCR-OUT-03: `registration_access_token` and `registration_client_uri`
/// together or not at all; the URI is `https`.
#[test]
fn oidcdcr_out_03_token_and_uri_together_or_neither() {
    let a = run(&md(web_md()), &oidc());
    let (_, response, _) = accepted(&a);
    assert!(response.contains_key("registration_access_token"));
    assert!(response["registration_client_uri"].as_str().unwrap().starts_with("https://"), "OIDCDCR-OUT-03");
    let none = policy(json!({"profile": "oidc", "registration_endpoint": REG, "registration_access_token": {"generate": false}}));
    let ans = run(&md(web_md()), &none);
    let (_, response, _) = accepted(&ans);
    assert!(!response.contains_key("registration_access_token") && !response.contains_key("registration_client_uri"));
    // the configuration URL is https: a plain-http registration endpoint is refused
    let e =
        Policy::from_json(&json!({"profile": "oidc", "registration_endpoint": "http://as.example.com/register"}).to_string()).unwrap_err();
    assert!(e.iter().any(|v| v.rule == "OIDCDCR-OUT-03" && v.path == "/registration_endpoint"), "{e:?}");
    // No registration endpoint known at all (neither the policy's nor
    // `context.endpoint_url`): the engine cannot build the URL. Reading: the
    // token is still issued (hosts that manage clients need it), and a warning
    // tells the host to supply the endpoint so the pair is complete.
    let unknown = policy(json!({"profile": "oidc"}));
    let mut req = md(web_md());
    req.context.endpoint_url = None;
    let a = run(&req, &unknown);
    let (_, response, _) = accepted(&a);
    assert!(response.contains_key("registration_access_token") && !response.contains_key("registration_client_uri"));
    match &a {
        RegistrationAnswer::Accepted { registration_access_token_hash, violations, .. } => {
            assert!(registration_access_token_hash.is_some());
            assert!(
                violations.iter().any(|v| v.rule == "OIDCDCR-OUT-03" && !v.is_error() && v.path == "/context/endpoint_url"),
                "{violations:?}"
            );
        }
        _ => unreachable!(),
    }
    // with the endpoint known there is no such warning
    match &run(&md(web_md()), &oidc()) {
        RegistrationAnswer::Accepted { violations, .. } => assert!(!violations.iter().any(|v| v.rule == "OIDCDCR-OUT-03")),
        other => panic!("{}", show(other)),
    }
}

/// OIDCDCR-OUT-04: success is 201 with one JSON object; a refusal is not.
#[test]
fn oidcdcr_out_04_success_is_201_json() {
    let a = run(&md(web_md()), &oidc());
    accepted(&a);
    let text = dcr_policy::ffi::registration_answer_json(&a);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!((v["outcome"].as_str(), v["status"].as_u64()), (Some("accepted"), Some(201)), "OIDCDCR-OUT-04");
    assert!(v["response"].is_object());
    let a = run(&md(json!({"redirect_uris": "not-an-array"})), &oidc());
    assert_eq!(rejected(&a).0, 400);
}

/// OIDCDCR-READ-01: a read returns every registered value with 200 and
/// changes nothing (no store action); rotation on read is the counter-case.
#[test]
fn oidcdcr_read_01_read_returns_everything_and_changes_nothing() {
    let p = oidc();
    let (stored, token, created) = register(&p, web_md());
    let (status, client, response, changes, actions) = m_accepted(&manage(&call(Operation::Read, &stored, Some(&token), None), &p));
    assert_eq!(status, 200, "OIDCDCR-READ-01");
    assert_eq!(client.as_ref(), Some(&stored.client));
    assert!(changes.is_empty() && actions.is_empty(), "a read changes nothing");
    let response = response.unwrap();
    for (k, v) in &stored.client {
        assert_eq!(response.get(k), Some(v), "registered `{k}` returned");
    }
    assert_eq!(response["client_secret"], created["client_secret"]);
    // counter-case: a policy that rotates the token on read does change the record
    let rotating = policy(json!({"profile": "oidc", "registration_endpoint": REG, "registration_access_token": {"rotate_on_read": true}}));
    let (stored, token, _) = register(&rotating, web_md());
    let (_, _, response, changes, actions) = m_accepted(&manage(&call(Operation::Read, &stored, Some(&token), None), &rotating));
    assert_ne!(response.unwrap()["registration_access_token"], json!(token));
    assert!(changes.iter().any(|c| c.rule == "RFC7592-RAT-02"));
    assert_eq!(actions, vec![HostAction::StoreClient]);
}

/// OIDCDCR-READ-02: OIDC would allow leaving out the RAT and URI on a read;
/// RFC 7592 §3 wins (RFC7592-READ-04): both are always included, unless
/// the policy issues no management credentials at all.
#[test]
fn oidcdcr_read_02_read_repeats_token_and_uri() {
    let p = oidc();
    let (stored, token, created) = register(&p, web_md());
    let (_, _, response, _, _) = m_accepted(&manage(&call(Operation::Read, &stored, Some(&token), None), &p));
    let response = response.unwrap();
    assert_eq!(response["registration_access_token"], json!(token), "OIDCDCR-READ-02");
    assert_eq!(response["registration_client_uri"], created["registration_client_uri"]);
    // counter-case: a bearer-token managed policy issues neither
    let bearer = policy(json!({
        "profile": "oidc", "registration_endpoint": REG,
        "registration_access_token": {"generate": false}, "management_endpoint": {"require_bearer_token": true}
    }));
    let stored = match evaluate_registration(&md(web_md()), &bearer, &mut SeededRandom::new(1)) {
        RegistrationAnswer::Accepted { client, response, .. } => {
            assert!(!response.contains_key("registration_access_token") && !response.contains_key("registration_client_uri"));
            StoredClient { client, ..StoredClient::default() }
        }
        other => panic!("{}", show(&other)),
    };
    let mut req = call(Operation::Read, &stored, None, None);
    req.context.bearer = Some(BearerContext { valid: true, scopes: vec![], client_id: None });
    let response = m_accepted(&manage(&req, &bearer)).2.unwrap();
    assert!(!response.contains_key("registration_access_token") && !response.contains_key("registration_client_uri"));
}

/// OIDCDCR-READ-03: invalid RAT → 401 with an RFC 6750 challenge; unknown
/// client → 401 (never 404); no permission → 403.
#[test]
fn oidcdcr_read_03_status_codes_never_404() {
    let p = oidc();
    let (stored, token, _) = register(&p, web_md());
    let (status, error, rules, challenge) = m_rejected(&manage(&call(Operation::Read, &stored, Some("forged"), None), &p));
    assert_eq!((status, error), (401, ErrorCode::InvalidToken), "OIDCDCR-READ-03");
    assert_eq!(rules, vec![("RFC7592-AUTHZ-01".to_owned(), "/registration_access_token".to_owned())]);
    assert!(challenge.unwrap().contains("error=\"invalid_token\""));
    let mut unknown = call(Operation::Read, &stored, Some(&token), None);
    unknown.stored = None;
    let (status, _, rules, _) = m_rejected(&manage(&unknown, &p));
    assert_eq!((status, rules[0].0.as_str()), (401, "RFC7592-AUTHZ-02"));
    let no_update = policy(json!({"profile": "oidc", "registration_endpoint": REG, "management": {"allow_update": false}}));
    let (status, _, rules, _) = m_rejected(&manage(&call(Operation::Update, &stored, Some(&token), Some(web_md())), &no_update));
    assert_eq!((status, rules[0].0.as_str()), (403, "RFC7592-AUTHZ-03"));
    // the valid token reads
    assert_eq!(m_accepted(&manage(&call(Operation::Read, &stored, Some(&token), None), &p)).0, 200);
}

/// OIDCDCR-REQ-01: a JSON object with metadata as top-level members; the
/// server provisions defaults for omitted items.
#[test]
fn oidcdcr_req_01_body_is_a_json_object() {
    let p = oidc();
    let mut req = md(web_md());
    req.content_type = Some("application/json; charset=utf-8".into());
    let ans = run(&req, &p);
    let (client, _, _) = accepted(&ans);
    assert_eq!(client["application_type"], json!("web"), "OIDCDCR-REQ-01: defaults provisioned");
    for (body, ct) in [("[1,2]", "application/json"), ("redirect_uris=x", "application/x-www-form-urlencoded")] {
        let req = RegistrationRequest { body: body.into(), content_type: Some(ct.into()), context: ctx(), ..Default::default() };
        let a = run(&req, &p);
        assert_eq!(rejected(&a).0, 400, "OIDCDCR-REQ-01: {ct}");
        finding(&a, "RFC7591-ENDPOINT-01", "", ErrorCode::InvalidClientMetadata);
    }
}

/// OIDCDCR-REQOBJ-02: a symmetric `request_object_encryption_alg` tells the
/// server to issue a `client_secret`; an asymmetric one does not.
#[test]
fn oidcdcr_reqobj_02_symmetric_request_object_encryption_gets_a_secret() {
    let p = oidc();
    let base = json!({"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://app.example.com/jwks"});
    let ans = run(&md(base.clone()), &p);
    let (_, response, _) = accepted(&ans);
    assert!(!response.contains_key("client_secret"));
    let mut sym = base.clone();
    sym["request_object_encryption_alg"] = json!("A128KW");
    let ans = run(&md(sym), &p);
    let (_, response, _) = accepted(&ans);
    assert!(response.contains_key("client_secret"), "OIDCDCR-REQOBJ-02");
    let mut asym = base;
    asym["request_object_encryption_alg"] = json!("RSA-OAEP-256");
    let ans = run(&md(asym), &p);
    let (_, response, _) = accepted(&ans);
    assert!(!response.contains_key("client_secret"));
}

/// OIDCDCR-SECRET-02: the secret holds at least as many octets as the
/// strongest registered MAC needs (32 for HS256, 64 for HS512).
#[test]
fn oidcdcr_secret_02_secret_is_long_enough_for_the_mac() {
    let p = oidc();
    let octets = |body: Value| {
        let a = run(&md(body), &p);
        let s = accepted(&a).1["client_secret"].as_str().unwrap().to_owned();
        dcr_policy::jose::b64::decode(&s).unwrap().len()
    };
    assert_eq!(octets(json!({"redirect_uris": [CB], "id_token_signed_response_alg": "HS256"})), 32, "OIDCDCR-SECRET-02");
    assert_eq!(octets(json!({"redirect_uris": [CB], "id_token_signed_response_alg": "HS384"})), 48);
    assert_eq!(
        octets(
            json!({"redirect_uris": [CB], "token_endpoint_auth_method": "client_secret_jwt", "token_endpoint_auth_signing_alg": "HS512"})
        ),
        64,
        "a 32-octet secret would be too short for HS512"
    );
}

/// OIDCDCR-VALID-01: nothing from a statement whose verification failed is
/// used; a verified statement's claims are merged.
#[test]
fn oidcdcr_valid_01_unverified_statement_data_is_never_used() {
    let p = ssa_policy(json!({}));
    let good = sign("PS256", "directory-rsa2048", ssa_claims(json!({})));
    let a = run(&ssa_request(json!({"software_statement": good, "redirect_uris": [CB]})), &p);
    assert_eq!(accepted(&a).0["client_name"], json!("Directory Name"));
    // same claims, signed by a key the directory does not hold
    let forged = sign("PS256", "software-rsa2048", ssa_claims(json!({})));
    let a = run(&ssa_request(json!({"software_statement": forged, "redirect_uris": [CB]})), &p);
    let (_, error, found) = rejected(&a);
    assert_eq!(error, ErrorCode::InvalidSoftwareStatement, "OIDCDCR-VALID-01");
    assert!(found.iter().any(|(r, _, _)| r.starts_with("JWT-KEY")), "{found:?}");
    match &a {
        RegistrationAnswer::Rejected { response, .. } => assert!(!show(response).contains("Directory Name")),
        _ => unreachable!(),
    }
}

// ---------------------------------------------------------------- RFC 7591

/// RFC7591-ENDPOINT-03: the policy may demand an initial access token; the
/// host validates it and passes the result.
#[test]
fn rfc7591_endpoint_03_initial_access_token() {
    let closed = policy(json!({"profile": "rfc7591", "registration_endpoint": REG, "endpoint": {"require_bearer_token": true}}));
    let mut req = md(web_md());
    req.context.bearer = Some(BearerContext { valid: true, scopes: vec![], client_id: None });
    accepted(&run(&req, &closed));
    req.context.bearer = Some(BearerContext { valid: false, scopes: vec![], client_id: None });
    let a = run(&req, &closed);
    assert_eq!(rejected(&a).0, 401);
    finding(&a, "RFC7591-ENDPOINT-03", "/bearer", ErrorCode::InvalidToken);
    // an open endpoint ignores a missing token
    accepted(&run(&md(web_md()), &rfc7591()));
}

/// RFC7591-ERR-02: the four codes keep their meanings, and the top-level
/// code follows the digest's precedence.
#[test]
fn rfc7591_err_02_four_codes_with_their_meanings() {
    let p = ssa_policy(json!({}));
    let good = sign("PS256", "directory-rsa2048", ssa_claims(json!({})));
    accepted(&run(&ssa_request(json!({"software_statement": good, "redirect_uris": [CB]})), &p));
    let cases = [
        (json!({"redirect_uris": ["http://app.example.com/cb"]}), ErrorCode::InvalidRedirectUri),
        (json!({"redirect_uris": [CB], "grant_types": "authorization_code"}), ErrorCode::InvalidClientMetadata),
        (
            json!({"redirect_uris": [CB], "software_statement": sign("PS256", "software-rsa2048", ssa_claims(json!({})))}),
            ErrorCode::InvalidSoftwareStatement,
        ),
        (
            json!({"redirect_uris": [CB], "software_statement": sign("PS256", "directory-rsa2048", ssa_claims(json!({"iss": "https://evil.example"})))}),
            ErrorCode::UnapprovedSoftwareStatement,
        ),
    ];
    for (body, code) in cases {
        let a = run(&ssa_request(body.clone()), &p);
        let (status, error, found) = rejected(&a);
        assert_eq!((status, error), (400, code), "RFC7591-ERR-02: {body}");
        assert!(found.iter().any(|(_, _, c)| *c == code));
    }
    // precedence: an unapproved statement outranks a bad redirect URI
    let both = json!({
        "redirect_uris": ["http://app.example.com/cb"],
        "software_statement": sign("PS256", "directory-rsa2048", ssa_claims(json!({"iss": "https://evil.example"})))
    });
    let (_, error, found) = rejected(&run(&ssa_request(both), &p));
    assert_eq!(error, ErrorCode::UnapprovedSoftwareStatement);
    assert!(found.iter().any(|(_, p, c)| p == "/redirect_uris/0" && *c == ErrorCode::InvalidRedirectUri), "{found:?}");
}

/// RFC7591-ERR-03: OAuth-layer errors use RFC 6750: a missing token gets a
/// bare `Bearer` challenge, an invalid one `error="invalid_token"`.
#[test]
fn rfc7591_err_03_bearer_errors_follow_rfc6750() {
    let closed = policy(json!({"profile": "rfc7591", "registration_endpoint": REG, "endpoint": {"require_bearer_token": true}}));
    let a = run(&md(web_md()), &closed);
    assert_eq!((rejected(&a).0, www(&a).as_deref()), (401, Some("Bearer")), "RFC7591-ERR-03");
    let mut req = md(web_md());
    req.context.bearer = Some(BearerContext { valid: false, scopes: vec![], client_id: None });
    let a = run(&req, &closed);
    assert_eq!(rejected(&a).1, ErrorCode::InvalidToken);
    assert!(www(&a).unwrap().starts_with("Bearer error=\"invalid_token\""));
    // a metadata error is not an OAuth-layer error: no challenge
    let a = run(&md(json!({"redirect_uris": [CB], "grant_types": 1})), &rfc7591());
    assert_eq!((rejected(&a).0, www(&a)), (400, None));
}

/// RFC7591-META-01: names and values are case-sensitive.
#[test]
fn rfc7591_meta_01_names_and_values_are_case_sensitive() {
    let p = oidc();
    let ok = validate_metadata(&obj(json!({"redirect_uris": [CB], "grant_types": ["authorization_code"], "response_types": ["code"]})), &p);
    assert!(ok.is_valid(), "{:?}", ok.violations);
    for (body, path) in [
        (json!({"redirect_uris": [CB], "grant_types": ["Authorization_Code"]}), "/grant_types/0"),
        (json!({"redirect_uris": [CB], "response_types": ["Code"]}), "/response_types/0"),
        (json!({"redirect_uris": [CB], "token_endpoint_auth_method": "Client_Secret_Basic"}), "/token_endpoint_auth_method"),
        (json!({"redirect_uris": [CB], "application_type": "Web"}), "/application_type"),
    ] {
        let out = validate_metadata(&obj(body.clone()), &p);
        assert!(
            out.violations.iter().any(|v| v.is_error() && v.path == path && v.error == ErrorCode::InvalidClientMetadata),
            "RFC7591-META-01: {body}: {:?}",
            out.violations
        );
    }
    // a member name in another case is another (unknown) member: `Redirect_Uris` does not register redirect URIs
    let out = validate_metadata(&obj(json!({"Redirect_Uris": [CB]})), &p);
    assert!(!out.client.contains_key("redirect_uris"));
    assert!(out.violations.iter().any(|v| v.is_error() && v.path == "/redirect_uris"), "{:?}", out.violations);
}

/// RFC7591-META-03: a requested value may be replaced (visibly, as a change)
/// or rejected.
#[test]
fn rfc7591_meta_03_replacements_are_visible() {
    let p = policy(json!({"profile": "oidc", "registration_endpoint": REG, "enforce": {"id_token_signed_response_alg": "PS256"}}));
    let a = run(&md(json!({"redirect_uris": [CB], "id_token_signed_response_alg": "RS256"})), &p);
    let (client, response, changes) = accepted(&a);
    assert_eq!(client["id_token_signed_response_alg"], json!("PS256"));
    assert_eq!(response["id_token_signed_response_alg"], json!("PS256"), "RFC7591-META-03: the replacement is in the response");
    let c = changes.iter().find(|c| c.path == "/id_token_signed_response_alg").unwrap();
    assert_eq!((c.action, c.from.clone(), c.to.clone()), (ChangeAction::Overridden, Some(json!("RS256")), Some(json!("PS256"))));
    // or refused: an `allowed` list rejects instead of replacing
    let p = policy(json!({"profile": "oidc", "registration_endpoint": REG, "allowed": {"id_token_signed_response_alg": ["PS256"]}}));
    let a = run(&md(json!({"redirect_uris": [CB], "id_token_signed_response_alg": "RS256"})), &p);
    let (status, error, found) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata));
    assert!(found.iter().any(|(_, p, _)| p == "/id_token_signed_response_alg"), "{found:?}");
}

/// RFC7591-OUT-05: `client_id_issued_at` comes from the host clock and is kept on later calls.
#[test]
fn rfc7591_out_05_client_id_issued_at_from_host_clock() {
    let p = oidc();
    let (stored, token, response) = register(&p, web_md());
    assert_eq!(response["client_id_issued_at"], json!(NOW), "RFC7591-OUT-05");
    let mut later = md(web_md());
    later.context.now = NOW + 1000;
    assert_eq!(accepted(&run(&later, &p)).1["client_id_issued_at"], json!(NOW + 1000));
    // a read or update much later keeps the original issue time
    let mut req = call(Operation::Update, &stored, Some(&token), Some(web_md()));
    req.context.now = NOW + 5000;
    let (_, _, response, _, _) = m_accepted(&manage(&req, &p));
    assert_eq!(response.unwrap()["client_id_issued_at"], json!(NOW));
    // a client cannot choose it
    let a = run(&md(json!({"redirect_uris": [CB], "client_id_issued_at": 1})), &p);
    let (_, response, changes) = accepted(&a);
    assert_eq!(response["client_id_issued_at"], json!(NOW));
    assert!(changes.iter().any(|c| c.path == "/client_id_issued_at" && c.rule == "RFC7591-OUT-07"));
}

/// RFC7591-SEC-02: the impersonation hook: display URLs on another host than
/// the redirect URIs are reported (warn by default, reject by policy).
#[test]
fn rfc7591_sec_02_impersonation_hook() {
    let same = json!({"redirect_uris": [CB], "client_uri": "https://app.example.com/"});
    let a = run(&md(same.clone()), &rfc7591());
    assert!(warnings(&a).is_empty(), "{:?}", warnings(&a));
    let other = json!({"redirect_uris": [CB], "client_uri": "https://bank.example/"});
    let a = run(&md(other.clone()), &rfc7591());
    assert!(warnings(&a).contains(&("RFC7591-URI-02".to_owned(), "/client_uri".to_owned())), "RFC7591-SEC-02: {:?}", warnings(&a));
    let strict = policy(json!({"profile": "rfc7591", "registration_endpoint": REG, "checks": {"display_uri_host_match": "reject"}}));
    let a = run(&md(other), &strict);
    assert_eq!(rejected(&a).0, 400);
    finding(&a, "RFC7591-URI-02", "/client_uri", ErrorCode::InvalidClientMetadata);
    accepted(&run(&md(same), &strict));
}

/// RFC7591-SOFTWARE-03: instances never share a `client_id` or `client_secret`.
#[test]
fn rfc7591_software_03_instances_get_their_own_credentials() {
    let p = oidc();
    let body = json!({"redirect_uris": [CB], "software_id": "same-software", "software_version": "1"});
    let one = evaluate_registration(&md(body.clone()), &p, &mut SystemRandom);
    let two = evaluate_registration(&md(body), &p, &mut SystemRandom);
    let (a, b) = (accepted(&one).1, accepted(&two).1);
    assert_ne!(a["client_id"], b["client_id"], "RFC7591-SOFTWARE-03");
    assert_ne!(a["client_secret"], b["client_secret"], "RFC7591-SOFTWARE-03");
    assert_eq!(a["software_id"], b["software_id"]);
}

/// RFC7591-SS-01: a statement is one compact JWS string, signed.
#[test]
fn rfc7591_ss_01_statement_is_a_signed_compact_jws() {
    let p = ssa_policy(json!({}));
    let good = sign("PS256", "directory-rsa2048", ssa_claims(json!({})));
    accepted(&run(&ssa_request(json!({"software_statement": good, "redirect_uris": [CB]})), &p));
    let a = run(&ssa_request(json!({"software_statement": {"iss": DIR}, "redirect_uris": [CB]})), &p);
    assert_eq!(rejected(&a).0, 400);
    finding(&a, "RFC7591-SS-01", "/software_statement", ErrorCode::InvalidSoftwareStatement);
    // unsigned (`alg: none`)
    let b64 = |v: Value| dcr_policy::jose::b64::encode(v.to_string().as_bytes());
    let unsigned = format!("{}.{}.", b64(json!({"alg": "none"})), b64(ssa_claims(json!({}))));
    let a = run(&ssa_request(json!({"software_statement": unsigned, "redirect_uris": [CB]})), &p);
    assert_eq!(rejected(&a).1, ErrorCode::InvalidSoftwareStatement, "RFC7591-SS-01");
    // not a compact JWS at all
    let a = run(&ssa_request(json!({"software_statement": "not-a-jwt", "redirect_uris": [CB]})), &p);
    assert_eq!(rejected(&a).1, ErrorCode::InvalidSoftwareStatement);
}

/// RFC7591-SS-03: `RS256` is on the default allow-list; a profile narrows it.
#[test]
fn rfc7591_ss_03_rs256_default_profiles_narrow() {
    assert!(Policy::default().software_statement.signing_algs.iter().any(|a| a == "RS256"), "RFC7591-SS-03");
    // a key without `alg` (RS256 is not pinned away by the JWK itself)
    let rs = sign("RS256", "software-rsa2048", ssa_claims(json!({})));
    let rs_request = |p: &Policy| {
        let mut req = ssa_request(json!({"software_statement": rs.clone(), "redirect_uris": [CB]}));
        req.jwks.software_statement = Some(common::jwks_value(&["software-rsa2048"]));
        run(&req, p)
    };
    accepted(&rs_request(&ssa_policy(json!({}))));
    let narrow = policy(json!({
        "profile": "oidc", "registration_endpoint": REG,
        "software_statement": {"trusted_issuers": [DIR], "signing_algs": ["PS256"]}
    }));
    let a = rs_request(&narrow);
    let (status, error, found) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidSoftwareStatement));
    assert!(found.iter().any(|(r, p, _)| r.starts_with("JWT-ALG") && p == "/alg"), "{found:?}");
}

/// RFC7591-SS-04: a statement should carry `software_id` (a warning).
#[test]
fn rfc7591_ss_04_statement_without_software_id_is_warned() {
    let p = ssa_policy(json!({}));
    let with = sign("PS256", "directory-rsa2048", ssa_claims(json!({})));
    let a = run(&ssa_request(json!({"software_statement": with, "redirect_uris": [CB]})), &p);
    assert!(!warnings(&a).iter().any(|(r, _)| r == "RFC7591-SS-04"));
    let without = sign("PS256", "directory-rsa2048", ssa_claims(json!({"software_id": null})));
    let a = run(&ssa_request(json!({"software_statement": without, "redirect_uris": [CB]})), &p);
    assert!(warnings(&a).contains(&("RFC7591-SS-04".to_owned(), "/software_id".to_owned())), "{:?}", warnings(&a));
    match &a {
        RegistrationAnswer::Accepted { violations, .. } => {
            let v = violations.iter().find(|v| v.rule == "RFC7591-SS-04").unwrap();
            assert_eq!(v.error, ErrorCode::InvalidSoftwareStatement);
        }
        _ => unreachable!(),
    }
}

/// RFC7591-SS-06: statements are optional unless the policy requires one
/// (`software_statement.required`).
#[test]
fn rfc7591_ss_06_statement_optional_unless_required() {
    accepted(&run(&md(web_md()), &rfc7591()));
    let p = dcr_policy::profiles::recipe(dcr_policy::ProfileId::Rfc7591);
    assert!(!p.software_statement.required, "RFC7591-SS-06");
    let required = ssa_policy(json!({"software_statement": {"required": true, "trusted_issuers": [DIR]}}));
    let a = run(&ssa_request(web_md()), &required);
    assert_eq!(rejected(&a).0, 400);
    finding(&a, "ISVA-AUTH-03", "/software_statement", ErrorCode::InvalidSoftwareStatement);
    let good = sign("PS256", "directory-rsa2048", ssa_claims(json!({})));
    accepted(&run(&ssa_request(json!({"software_statement": good, "redirect_uris": [CB]})), &required));
}

/// RFC7591-SS-08: plain JSON values are self-asserted: a `software_id` sent
/// as plain metadata never becomes a verified statement summary, and
/// statement values win over plain ones.
#[test]
fn rfc7591_ss_08_plain_metadata_is_self_asserted() {
    let p = ssa_policy(json!({}));
    let a = run(&ssa_request(json!({"redirect_uris": [CB], "software_id": "sw-1", "client_name": "Directory Name"})), &p);
    match &a {
        RegistrationAnswer::Accepted { software_statement, .. } => assert!(software_statement.is_none(), "RFC7591-SS-08"),
        other => panic!("{}", show(other)),
    }
    let good = sign("PS256", "directory-rsa2048", ssa_claims(json!({})));
    let a = run(&ssa_request(json!({"software_statement": good, "redirect_uris": [CB], "software_id": "forged"})), &p);
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["software_id"], json!("sw-1"));
    assert!(changes.iter().any(|c| c.path == "/software_id" && c.action == ChangeAction::FromSoftwareStatement));
    match &a {
        RegistrationAnswer::Accepted { software_statement, .. } => {
            assert_eq!(software_statement.as_ref().unwrap().software_id.as_deref(), Some("sw-1"))
        }
        _ => unreachable!(),
    }
    // on update, the statement-backed `software_id` cannot be changed by plain JSON
    let rfc = dcr_policy::profiles::recipe(dcr_policy::ProfileId::Rfc7591);
    assert!(rfc.management.immutable_fields.iter().any(|f| f == "software_id"), "{:?}", rfc.management.immutable_fields);
}

fn ob_policy() -> Policy {
    policy(
        json!({"profile": "uk-openbanking", "issuer": AS, "registration_endpoint": REG, "software_statement": {"trusted_issuers": [OB_ISS]}}),
    )
}

fn ob_ssa() -> String {
    sign(
        "PS256",
        "directory-rsa2048",
        json!({
            "iss": OB_ISS, "iat": NOW - 60, "jti": "ssa-ob-1", "software_id": "Hx3SoFtWaRe0000000001", "software_client_id": "Hx3SoFtWaRe0000000001",
            "software_client_name": "Budget Buddy", "software_client_uri": "https://tpp.example.com",
            "software_redirect_uris": ["https://tpp.example.com/cb"],
            "software_roles": ["AISP"], "software_jwks_endpoint": "https://keystore.example/tpp/Hx3SoFtWaRe0000000001.jwks",
            "org_status": "Active", "org_id": "0015800001041REAAY", "software_version": "1.0"
        }),
    )
}

fn ob_request(signer: &str) -> RegistrationRequest {
    let claims = json!({
        "iss": "Hx3SoFtWaRe0000000001", "aud": AS, "iat": NOW - 5, "exp": NOW + 300, "jti": "b3f1c0a2-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        "redirect_uris": ["https://tpp.example.com/cb"],
        "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "PS256",
        "grant_types": ["authorization_code", "refresh_token", "client_credentials"],
        "response_types": ["code id_token"], "application_type": "web",
        "id_token_signed_response_alg": "PS256", "request_object_signing_alg": "PS256",
        "scope": "openid accounts", "software_statement": ob_ssa()
    });
    RegistrationRequest {
        body: common::sign("PS256", &common::private_jwk(signer), &json!({"alg": "PS256", "kid": signer}), &claims),
        content_type: Some("application/jwt".into()),
        context: Context {
            tls: Some(TlsContext {
                subject_dn: Some("CN=Hx3SoFtWaRe0000000001,OU=0015800001041REAAY,O=OpenBanking,C=GB".into()),
                thumbprint_s256: Some("x5t".into()),
                ..TlsContext::default()
            }),
            ..ctx()
        },
        jwks: SuppliedJwks {
            software_statement: Some(common::jwks_value(&["directory-rsa2048"])),
            software: Some(common::jwks_value(&["software-rsa2048"])),
        },
        sector_identifier: None,
    }
}

/// RFC7591-SS-09: a statement alone does not identify the software: under a
/// signed-request profile a valid SSA replayed in a request signed by another
/// key is refused.
#[test]
fn rfc7591_ss_09_statement_alone_does_not_identify_the_software() {
    let p = ob_policy();
    accepted(&run(&ob_request("software-rsa2048"), &p));
    // the directory's valid SSA, in a request the software's key did not sign
    let a = run(&ob_request("directory-rsa2048"), &p);
    let (status, _, found) = rejected(&a);
    assert_eq!(status, 400, "RFC7591-SS-09");
    assert!(found.iter().any(|(r, _, _)| r.starts_with("JWT-KEY")), "{found:?}");
    // the same SSA as plain JSON: refused (the profile wants the signed request)
    let mut plain = ob_request("software-rsa2048");
    plain.body = json!({"software_statement": ob_ssa(), "redirect_uris": ["https://tpp.example.com/cb"]}).to_string();
    plain.content_type = Some("application/json".into());
    let (status, _, found) = rejected(&run(&plain, &p));
    assert_eq!(status, 400);
    assert!(found.iter().any(|(r, p, _)| r == "UKOB-REQ-01" && p.is_empty()), "{found:?}");
}

// ---------------------------------------------------------------- RFC 7592

/// RFC7592-AUTHZ-03: an operation disabled for the client gets 403.
#[test]
fn rfc7592_authz_03_disabled_operation_is_403() {
    let p = oidc();
    let (stored, token, _) = register(&p, web_md());
    assert_eq!(m_accepted(&manage(&call(Operation::Update, &stored, Some(&token), Some(web_md())), &p)).0, 200);
    let frozen = policy(json!({"profile": "oidc", "registration_endpoint": REG, "management": {"allow_update": false}}));
    let (status, error, rules, _) = m_rejected(&manage(&call(Operation::Update, &stored, Some(&token), Some(web_md())), &frozen));
    assert_eq!((status, error), (403, ErrorCode::InvalidRequest));
    assert_eq!(rules, vec![("RFC7592-AUTHZ-03".to_owned(), String::new())]);
    // a read is still allowed
    assert_eq!(m_accepted(&manage(&call(Operation::Read, &stored, Some(&token), None), &frozen)).0, 200);
}

/// RFC7592-ENDPOINT-03: the operation is chosen by HTTP method (`read`,
/// `update`, `delete`); any other method is refused before a decision (the
/// host answers 405).
#[test]
fn rfc7592_endpoint_03_operation_by_method() {
    let p = oidc();
    let (stored, token, _) = register(&p, web_md());
    for (op, status) in [("read", 200), ("update", 200), ("delete", 204)] {
        let mut c = serde_json::to_value(call(Operation::Update, &stored, Some(&token), Some(web_md()))).unwrap();
        c["operation"] = json!(op);
        match dcr_policy::ffi::evaluate_management_json(&c.to_string(), &p) {
            ManagementAnswer::Accepted { status: s, .. } => assert_eq!(s, status, "RFC7592-ENDPOINT-03: {op}"),
            other => panic!("{op}: {}", show(&other)),
        }
    }
    let mut c = serde_json::to_value(call(Operation::Read, &stored, Some(&token), None)).unwrap();
    c["operation"] = json!("patch");
    match dcr_policy::ffi::evaluate_management_json(&c.to_string(), &p) {
        ManagementAnswer::InvalidCall { violations, .. } => {
            assert!(
                violations.iter().any(|v| v.rule == "CALL-01" && v.error == ErrorCode::InvalidRequest && v.message.contains("`patch`")),
                "RFC7592-ENDPOINT-03: {}",
                show(&violations)
            )
        }
        other => panic!("RFC7592-ENDPOINT-03: {}", show(&other)),
    }
}

/// RFC7592-RAT-04: deprovisioning revokes every RAT at once; a later call
/// is 401 as if the token were invalid.
#[test]
fn rfc7592_rat_04_delete_invalidates_all_tokens() {
    let p = oidc();
    let (stored, token, _) = register(&p, web_md());
    let (status, _, _, _, actions) = m_accepted(&manage(&call(Operation::Delete, &stored, Some(&token), None), &p));
    assert_eq!(status, 204);
    assert!(actions.contains(&HostAction::RevokeRegistrationAccessTokens), "RFC7592-RAT-04: {actions:?}");
    assert!(actions.contains(&HostAction::DeleteClient));
    // the host deleted the record: the old token now gets 401
    let mut again = call(Operation::Read, &stored, Some(&token), None);
    again.stored = None;
    let (status, error, rules, _) = m_rejected(&manage(&again, &p));
    assert_eq!((status, error, rules[0].0.as_str()), (401, ErrorCode::InvalidToken, "RFC7592-AUTHZ-02"));
}

/// RFC7592-RESP-02: an update response carries every registered value,
/// server-provisioned ones included.
#[test]
fn rfc7592_resp_02_update_response_has_every_registered_value() {
    let p = oidc();
    let (stored, token, _) = register(&p, web_md());
    let mut body = web_md();
    body["client_id"] = stored.client["client_id"].clone();
    body["client_name"] = json!("Renamed");
    let (status, client, response, changes, _) = m_accepted(&manage(&call(Operation::Update, &stored, Some(&token), Some(body)), &p));
    assert_eq!(status, 200);
    let (client, response) = (client.unwrap(), response.unwrap());
    assert_eq!(response["client_name"], json!("Renamed"));
    for (k, v) in &client {
        assert_eq!(response.get(k), Some(v), "RFC7592-RESP-02: `{k}`");
    }
    for k in ["client_id", "client_secret", "client_id_issued_at", "grant_types", "token_endpoint_auth_method", "application_type"] {
        assert!(response.contains_key(k), "RFC7592-RESP-02: server-provisioned `{k}`");
    }
    assert!(changes.iter().any(|c| c.action == ChangeAction::Defaulted), "replaced/defaulted values are reported: {changes:?}");
}

/// RFC7592-UPDATE-08: an invalid value that is not replaced gets an RFC 7591 error.
#[test]
fn rfc7592_update_08_invalid_update_gets_rfc7591_error() {
    let p = oidc();
    let (stored, token, _) = register(&p, web_md());
    let mut bad = web_md();
    bad["client_id"] = stored.client["client_id"].clone();
    bad["redirect_uris"] = json!(["https://app.example.com/cb#frag"]);
    let (status, error, rules, _) = m_rejected(&manage(&call(Operation::Update, &stored, Some(&token), Some(bad)), &p));
    assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri), "RFC7592-UPDATE-08");
    assert!(rules.contains(&("RFC7591-REDIRECT-03".to_owned(), "/redirect_uris/0".to_owned())), "{rules:?}");
    let mut bad = web_md();
    bad["client_id"] = stored.client["client_id"].clone();
    bad["grant_types"] = json!("authorization_code");
    let (status, error, rules, _) = m_rejected(&manage(&call(Operation::Update, &stored, Some(&token), Some(bad)), &p));
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata));
    assert!(rules.iter().any(|(_, p)| p == "/grant_types"), "{rules:?}");
    // a valid update with omitted values: defaults filled in and reported
    let mut ok = json!({"redirect_uris": [CB]});
    ok["client_id"] = stored.client["client_id"].clone();
    let (status, client, _, changes, _) = m_accepted(&manage(&call(Operation::Update, &stored, Some(&token), Some(ok)), &p));
    assert_eq!(status, 200);
    assert_eq!(client.unwrap()["grant_types"], json!(["authorization_code"]));
    assert!(changes.iter().any(|c| c.path == "/grant_types"), "{changes:?}");
}

// ---------------------------------------------------------------- RFC 8252 / RFC 8705

/// RFC8252-REDIRECT-06: a claimed `https` redirect looks like a web one; only
/// the recorded `application_type` tells them apart, so it is always recorded.
#[test]
fn rfc8252_redirect_06_client_type_is_recorded() {
    let claimed = json!({"redirect_uris": ["https://app.example.com/oauth2redirect"], "token_endpoint_auth_method": "none"});
    let mut native = claimed.clone();
    native["application_type"] = json!("native");
    let a = run(&md(native), &oidc());
    assert_eq!(accepted(&a).0["application_type"], json!("native"), "RFC8252-REDIRECT-06");
    let a = run(&md(claimed), &oidc());
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["application_type"], json!("web"));
    assert!(changes.iter().any(|c| c.path == "/application_type" && c.action == ChangeAction::Defaulted));
    // counter-case: a policy that refuses claimed https redirects for native apps
    let no_claimed = policy(json!({"profile": "oidc", "registration_endpoint": REG, "checks": {"native_allow_claimed_https": false}}));
    let a = run(&md(json!({"redirect_uris": ["https://app.example.com/oauth2redirect"], "application_type": "native"})), &no_claimed);
    let (status, error, found) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri));
    assert!(found.iter().any(|(_, p, _)| p == "/redirect_uris/0"), "{found:?}");
}

/// RFC8252-REG-01: a native app is registered as such (type recorded) and as
/// a public client or with its own per-instance secret; a profile may forbid
/// the public combination.
#[test]
fn rfc8252_reg_01_native_public_client_is_recorded() {
    let body = json!({"redirect_uris": ["com.example.app:/cb"], "application_type": "native", "token_endpoint_auth_method": "none"});
    let a = run(&md(body.clone()), &oidc());
    let (client, response, _) = accepted(&a);
    assert_eq!((client["application_type"].as_str(), client["token_endpoint_auth_method"].as_str()), (Some("native"), Some("none")));
    assert!(!response.contains_key("client_secret"), "RFC8252-REG-01: public");
    // with DCR each instance may get its own secret
    let mut conf = body.clone();
    conf["token_endpoint_auth_method"] = json!("client_secret_basic");
    let one = evaluate_registration(&md(conf.clone()), &oidc(), &mut SystemRandom);
    let two = evaluate_registration(&md(conf), &oidc(), &mut SystemRandom);
    assert_ne!(accepted(&one).1["client_secret"], accepted(&two).1["client_secret"]);
    // a profile that forbids public clients
    let strict = policy(json!({"profile": "oidc", "registration_endpoint": REG, "checks": {"allow_public_clients": false}}));
    let a = run(&md(body), &strict);
    assert_eq!(rejected(&a).0, 400, "RFC8252-REG-01");
    finding(&a, "RFC7591-SEC-01", "/token_endpoint_auth_method", ErrorCode::InvalidClientMetadata);
}

/// RFC8252-REG-03: platform data (package / bundle names) are extension
/// fields: kept by default, dropped (and reported) under `unknown_fields: drop`.
#[test]
fn rfc8252_reg_03_platform_data_passes_through() {
    let body = json!({"redirect_uris": ["com.example.app:/cb"], "application_type": "native", "token_endpoint_auth_method": "none",
        "android_package_name": "com.example.app", "ios_bundle_id": "com.example.app"});
    let a = run(&md(body.clone()), &oidc());
    let (client, response, _) = accepted(&a);
    assert_eq!(client["android_package_name"], json!("com.example.app"), "RFC8252-REG-03");
    assert_eq!(response["ios_bundle_id"], json!("com.example.app"));
    let drop = policy(json!({"profile": "oidc", "registration_endpoint": REG, "unknown_fields": "drop"}));
    let a = run(&md(body), &drop);
    let (client, _, changes) = accepted(&a);
    assert!(!client.contains_key("android_package_name"));
    let c = changes.iter().find(|c| c.path == "/android_package_name").unwrap();
    assert_eq!((c.action, c.rule.as_str()), (ChangeAction::Removed, "RFC7591-META-02"));
}

/// RFC8705-ALIAS-01: `mtls_endpoint_aliases` is server metadata: a client
/// sending it gets the unknown-field treatment; `use_mtls_endpoint_aliases`
/// is the client field (a boolean).
#[test]
fn rfc8705_alias_01_mtls_endpoint_aliases_is_not_client_metadata() {
    assert!(!dcr_policy::metadata::is_known_member("mtls_endpoint_aliases"), "RFC8705-ALIAS-01");
    assert!(dcr_policy::metadata::is_known_member("use_mtls_endpoint_aliases"));
    let drop = policy(json!({"profile": "oidc", "registration_endpoint": REG, "unknown_fields": "drop"}));
    let a = run(&md(json!({"redirect_uris": [CB], "mtls_endpoint_aliases": {"token_endpoint": "https://evil.example/token"}})), &drop);
    let (client, _, changes) = accepted(&a);
    assert!(!client.contains_key("mtls_endpoint_aliases"));
    assert!(changes.iter().any(|c| c.path == "/mtls_endpoint_aliases" && c.rule == "RFC7591-META-02"));
    accepted(&run(&md(json!({"redirect_uris": [CB], "use_mtls_endpoint_aliases": true})), &oidc()));
    let out = validate_metadata(&obj(json!({"redirect_uris": [CB], "use_mtls_endpoint_aliases": "yes"})), &oidc());
    assert!(
        out.violations
            .iter()
            .any(|v| v.is_error() && v.path == "/use_mtls_endpoint_aliases" && v.error == ErrorCode::InvalidClientMetadata),
        "{:?}",
        out.violations
    );
}

/// RFC8705-AUTH-07: a profile may require the registered subject DN to match
/// the certificate the registration request arrived with.
#[test]
fn rfc8705_auth_07_registered_subject_dn_matches_presented_certificate() {
    let p = policy(json!({"profile": "oidc", "registration_endpoint": REG, "certificate_binding": {"subject_dn_must_match": true}}));
    let body = json!({"redirect_uris": [CB], "token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "CN=client,O=Example,C=GB"});
    let with_cert = |dn: Option<&str>| {
        let mut req = md(body.clone());
        req.context.tls = dn.map(|d| TlsContext { subject_dn: Some(d.into()), ..TlsContext::default() });
        run(&req, &p)
    };
    accepted(&with_cert(Some("cn=client, o=Example, c=GB")));
    for (dn, reason) in [(Some("CN=other,O=Example,C=GB"), "mismatch"), (None, "no_certificate")] {
        let a = with_cert(dn);
        let (status, error, found) = rejected(&a);
        assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "{reason}");
        assert!(
            found.contains(&("RFC8705-AUTH-07".to_owned(), "/tls_client_auth_subject_dn".to_owned(), ErrorCode::InvalidClientMetadata)),
            "{reason}: {found:?}"
        );
    }
    // off by default
    let mut req = md(body.clone());
    req.context.tls = Some(TlsContext { subject_dn: Some("CN=other".into()), ..TlsContext::default() });
    accepted(&run(&req, &oidc()));
}
