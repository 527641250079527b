//! RFC 7592 management decisions through the Rust API (rules RFC7592-*).
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic, clippy::unreachable)]

use dcr_policy::host::{BearerContext, Context, SeededRandom};
use dcr_policy::management::{HostAction, ManagementAnswer, ManagementRequest, Operation, StoredClient, evaluate_management};
use dcr_policy::policy::{Policy, SecretOnRead};
use dcr_policy::registration::{RegistrationAnswer, RegistrationRequest, evaluate_registration};
use dcr_policy::{ChangeAction, ErrorCode};
use serde_json::{Map, Value, json};

const NOW: i64 = 1_764_000_000;

fn policy() -> Policy {
    Policy { registration_endpoint: Some("https://as.example/register".into()), ..Policy::default() }
}

/// Registers a client and returns (stored record, plain registration access token).
fn register(policy: &Policy, metadata: Value) -> (StoredClient, String, Map<String, Value>) {
    let req = RegistrationRequest { body: metadata.to_string(), context: Context { now: NOW, ..Context::default() }, ..Default::default() };
    match evaluate_registration(&req, policy, &mut SeededRandom::new(1)) {
        RegistrationAnswer::Accepted { client, response, registration_access_token_hash, registration_access_token_expires_at, .. } => {
            let token = response["registration_access_token"].as_str().unwrap().to_owned();
            (StoredClient { client, registration_access_token_hash, registration_access_token_expires_at }, token, response)
        }
        other => panic!("registration failed: {other:?}"),
    }
}

fn call(op: Operation, stored: &StoredClient, token: Option<&str>, body: Option<Value>) -> ManagementRequest {
    ManagementRequest {
        operation: op,
        client_id: stored.client["client_id"].as_str().unwrap().to_owned(),
        stored: Some(stored.clone()),
        registration_access_token: token.map(str::to_owned),
        body: body.map(|b| b.to_string()),
        content_type: Some("application/json".into()),
        context: Context { now: NOW + 10, ..Context::default() },
        ..Default::default()
    }
}

fn rejected(a: &ManagementAnswer) -> (u16, ErrorCode, Vec<String>) {
    match a {
        ManagementAnswer::Rejected { status, error, violations, .. } => {
            (*status, *error, violations.iter().map(|v| v.rule.clone()).collect())
        }
        other => panic!("expected rejection, got {other:?}"),
    }
}

fn metadata() -> Value {
    json!({"redirect_uris": ["https://app.example/cb"], "client_name": "App", "token_endpoint_auth_method": "client_secret_basic"})
}

#[test]
fn rfc7591_out_registration_issues_credentials_and_stores_only_the_token_hash() {
    let p = policy();
    let (stored, token, response) = register(&p, metadata());
    assert_eq!(token.len(), 43, "256-bit base64url token");
    assert_ne!(stored.registration_access_token_hash.as_deref(), Some(token.as_str()));
    assert!(!stored.client.contains_key("registration_access_token"), "the stored client never holds the token");
    assert_eq!(response["client_secret"].as_str().unwrap().len(), 43);
    assert_eq!(response["client_secret_expires_at"], json!(0));
    assert_eq!(response["client_id_issued_at"], json!(NOW));
    let id = stored.client["client_id"].as_str().unwrap();
    assert_eq!(response["registration_client_uri"], json!(format!("https://as.example/register/{id}")));
}

#[test]
fn rfc7592_read_01_returns_200_with_current_token() {
    let p = policy();
    let (stored, token, _) = register(&p, metadata());
    match evaluate_management(&call(Operation::Read, &stored, Some(&token), None), &p, &mut SeededRandom::new(2)) {
        ManagementAnswer::Accepted { status, response, registration_access_token_hash, .. } => {
            assert_eq!(status, 200);
            let r = response.unwrap();
            assert_eq!(r["client_id"], stored.client["client_id"]);
            assert_eq!(r["registration_access_token"], json!(token), "RFC7592-READ-04: both members present");
            assert!(r.contains_key("registration_client_uri"));
            assert!(registration_access_token_hash.is_none(), "no rotation by default");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn rfc7592_authz_01_wrong_or_missing_token_is_401() {
    let p = policy();
    let (stored, _, _) = register(&p, metadata());
    let a = evaluate_management(&call(Operation::Read, &stored, Some("not-the-token"), None), &p, &mut SeededRandom::new(2));
    assert_eq!(rejected(&a), (401, ErrorCode::InvalidToken, vec!["RFC7592-AUTHZ-01".into()]));
    match &a {
        ManagementAnswer::Rejected { www_authenticate, .. } => assert!(www_authenticate.as_deref().unwrap().contains("invalid_token")),
        _ => unreachable!(),
    }
    let a = evaluate_management(&call(Operation::Read, &stored, None, None), &p, &mut SeededRandom::new(2));
    assert_eq!(rejected(&a).0, 401);
    match &a {
        ManagementAnswer::Rejected { www_authenticate, .. } => {
            assert_eq!(www_authenticate.as_deref(), Some("Bearer"), "RFC 6750 §3.1: no error code without a token")
        }
        _ => unreachable!(),
    }
}

#[test]
fn rfc7592_authz_02_unknown_client_is_401_not_404() {
    let p = policy();
    let (stored, token, _) = register(&p, metadata());
    let mut req = call(Operation::Read, &stored, Some(&token), None);
    req.stored = None;
    let a = evaluate_management(&req, &p, &mut SeededRandom::new(2));
    assert_eq!(rejected(&a), (401, ErrorCode::InvalidToken, vec!["RFC7592-AUTHZ-02".into()]));
    match a {
        ManagementAnswer::Rejected { actions, .. } => assert_eq!(actions, vec![HostAction::RevokePresentedToken]),
        _ => unreachable!(),
    }
}

#[test]
fn rfc7592_authz_04_record_of_another_client_is_401() {
    let p = policy();
    let (stored, token, _) = register(&p, metadata());
    let mut req = call(Operation::Read, &stored, Some(&token), None);
    req.client_id = "someone-else".into();
    assert_eq!(rejected(&evaluate_management(&req, &p, &mut SeededRandom::new(2))).2, vec!["RFC7592-AUTHZ-04".to_owned()]);
}

#[test]
fn rfc7592_rat_expired_token_is_401() {
    let mut p = policy();
    p.registration_access_token.lifetime = 5;
    let (stored, token, _) = register(&p, metadata());
    assert_eq!(stored.registration_access_token_expires_at, Some(NOW + 5));
    let a = evaluate_management(&call(Operation::Read, &stored, Some(&token), None), &p, &mut SeededRandom::new(2));
    assert_eq!(rejected(&a).0, 401);
}

#[test]
fn rfc7592_delete_01_204_with_revocation_actions_and_policy_can_forbid() {
    let mut p = policy();
    let (stored, token, _) = register(&p, metadata());
    match evaluate_management(&call(Operation::Delete, &stored, Some(&token), None), &p, &mut SeededRandom::new(2)) {
        ManagementAnswer::Accepted { status, response, actions, .. } => {
            assert_eq!(status, 204);
            assert!(response.is_none());
            assert!(actions.contains(&HostAction::DeleteClient) && actions.contains(&HostAction::RevokeClientTokens));
        }
        other => panic!("{other:?}"),
    }
    p.management.allow_delete = false;
    assert_eq!(rejected(&evaluate_management(&call(Operation::Delete, &stored, Some(&token), None), &p, &mut SeededRandom::new(2))).0, 403);
    // authorization still comes first: a wrong token is 401 even when delete is forbidden
    assert_eq!(rejected(&evaluate_management(&call(Operation::Delete, &stored, Some("x"), None), &p, &mut SeededRandom::new(2))).0, 401);
}

fn update_body(stored: &StoredClient, extra: Value) -> Value {
    let mut body = json!({"client_id": stored.client["client_id"], "redirect_uris": ["https://app.example/cb2"], "client_name": "App 2"});
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

#[test]
fn rfc7592_update_02_full_replacement_with_changes_relative_to_stored() {
    let p = policy();
    let (stored, token, _) = register(
        &p,
        json!({"redirect_uris": ["https://app.example/cb"], "client_name": "App", "logo_uri": "https://app.example/logo.png"}),
    );
    let body = update_body(&stored, json!({}));
    match evaluate_management(&call(Operation::Update, &stored, Some(&token), Some(body)), &p, &mut SeededRandom::new(3)) {
        ManagementAnswer::Accepted { status, client, changes, response, .. } => {
            assert_eq!(status, 200);
            let client = client.unwrap();
            assert_eq!(client["client_id"], stored.client["client_id"], "client_id never changes");
            assert_eq!(client["client_secret"], stored.client["client_secret"], "secret kept without rotation");
            assert!(!client.contains_key("logo_uri"), "RFC7592-UPDATE-04: omitted field removed");
            let find = |path: &str| changes.iter().find(|c| c.path == path).map(|c| (c.action, c.rule.clone()));
            assert_eq!(find("/logo_uri"), Some((ChangeAction::Removed, "RFC7592-UPDATE-04".into())));
            assert_eq!(find("/redirect_uris"), Some((ChangeAction::Updated, "RFC7592-UPDATE-02".into())));
            assert!(response.unwrap().contains_key("registration_client_uri"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn rfc7592_update_05_client_id_missing_or_mismatched() {
    let p = policy();
    let (stored, token, _) = register(&p, metadata());
    let body = json!({"redirect_uris": ["https://app.example/cb"]});
    assert_eq!(
        rejected(&evaluate_management(&call(Operation::Update, &stored, Some(&token), Some(body)), &p, &mut SeededRandom::new(3))).2,
        vec!["RFC7592-UPDATE-05".to_owned()]
    );
    let body = update_body(&stored, json!({"client_id": "other"}));
    let (status, error, rules) =
        rejected(&evaluate_management(&call(Operation::Update, &stored, Some(&token), Some(body)), &p, &mut SeededRandom::new(3)));
    assert_eq!((status, error, rules), (400, ErrorCode::InvalidRequest, vec!["RFC7592-UPDATE-05".to_owned()]));
}

#[test]
fn rfc7592_update_03_server_managed_fields_are_refused() {
    let p = policy();
    let (stored, token, _) = register(&p, metadata());
    for field in ["registration_access_token", "registration_client_uri", "client_secret_expires_at", "client_id_issued_at"] {
        let body = update_body(&stored, json!({ field: "x" }));
        let a = evaluate_management(&call(Operation::Update, &stored, Some(&token), Some(body)), &p, &mut SeededRandom::new(3));
        assert_eq!(rejected(&a).2, vec!["RFC7592-UPDATE-03".to_owned()], "{field}");
    }
}

#[test]
fn rfc7592_update_06_secret_must_match_current() {
    let p = policy();
    let (stored, token, _) = register(&p, metadata());
    let ok = update_body(&stored, json!({"client_secret": stored.client["client_secret"]}));
    assert!(matches!(
        evaluate_management(&call(Operation::Update, &stored, Some(&token), Some(ok)), &p, &mut SeededRandom::new(3)),
        ManagementAnswer::Accepted { .. }
    ));
    let bad = update_body(&stored, json!({"client_secret": "chosen-by-client"}));
    assert_eq!(
        rejected(&evaluate_management(&call(Operation::Update, &stored, Some(&token), Some(bad)), &p, &mut SeededRandom::new(3))).2,
        vec!["RFC7592-UPDATE-06".to_owned()]
    );
}

#[test]
fn rfc7592_update_11_software_id_cannot_change() {
    let p = policy();
    let (stored, token, _) = register(&p, json!({"redirect_uris": ["https://app.example/cb"], "software_id": "sw-1"}));
    let body = update_body(&stored, json!({"software_id": "sw-2"}));
    let (status, error, rules) =
        rejected(&evaluate_management(&call(Operation::Update, &stored, Some(&token), Some(body)), &p, &mut SeededRandom::new(3)));
    assert_eq!((status, error, rules), (400, ErrorCode::InvalidSoftwareStatement, vec!["RFC7592-UPDATE-11".to_owned()]));
}

#[test]
fn rfc7592_rat_02_rotation_on_read_and_update() {
    let mut p = policy();
    p.registration_access_token.rotate_on_read = true;
    p.registration_access_token.rotate_on_update = true;
    p.client_secret.rotate_on_update = true;
    let (stored, token, _) = register(&p, metadata());
    match evaluate_management(&call(Operation::Read, &stored, Some(&token), None), &p, &mut SeededRandom::new(9)) {
        ManagementAnswer::Accepted { response, registration_access_token_hash, changes, actions, .. } => {
            let new_token = response.unwrap()["registration_access_token"].as_str().unwrap().to_owned();
            assert_ne!(new_token, token);
            assert_eq!(registration_access_token_hash.unwrap(), dcr_policy::credentials::token_hash(&new_token));
            assert!(changes.iter().any(|c| c.action == ChangeAction::Rotated && c.path == "/registration_access_token"));
            assert!(actions.contains(&HostAction::StoreClient));
        }
        other => panic!("{other:?}"),
    }
    let body = update_body(&stored, json!({}));
    match evaluate_management(&call(Operation::Update, &stored, Some(&token), Some(body)), &p, &mut SeededRandom::new(10)) {
        ManagementAnswer::Accepted { client, registration_access_token_hash, .. } => {
            assert_ne!(client.unwrap()["client_secret"], stored.client["client_secret"], "secret rotated on update");
            assert!(registration_access_token_hash.is_some());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn secret_on_read_omit_removes_it_from_the_response() {
    let mut p = policy();
    p.client_secret.on_read = SecretOnRead::Omit;
    let (stored, token, _) = register(&p, metadata());
    match evaluate_management(&call(Operation::Read, &stored, Some(&token), None), &p, &mut SeededRandom::new(2)) {
        ManagementAnswer::Accepted { response, .. } => {
            let r = response.unwrap();
            assert!(!r.contains_key("client_secret") && !r.contains_key("client_secret_expires_at"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn bearer_token_mode_checks_client_and_scope() {
    let mut p = policy();
    p.management_endpoint.require_bearer_token = true;
    p.management_endpoint.bearer_token_scopes = vec!["cdr:registration".into()];
    let (stored, _, _) = register(&p, metadata());
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    let mut req = call(Operation::Read, &stored, None, None);
    req.context.bearer = Some(BearerContext { valid: true, scopes: vec!["cdr:registration".into()], client_id: Some(id.clone()) });
    assert!(matches!(evaluate_management(&req, &p, &mut SeededRandom::new(2)), ManagementAnswer::Accepted { .. }));
    req.context.bearer = Some(BearerContext { valid: true, scopes: vec![], client_id: Some(id) });
    assert_eq!(rejected(&evaluate_management(&req, &p, &mut SeededRandom::new(2))).0, 403);
    req.context.bearer = Some(BearerContext { valid: true, scopes: vec!["cdr:registration".into()], client_id: Some("other".into()) });
    assert_eq!(rejected(&evaluate_management(&req, &p, &mut SeededRandom::new(2))).0, 401);
    req.context.bearer = None;
    assert_eq!(rejected(&evaluate_management(&req, &p, &mut SeededRandom::new(2))).0, 401);
}

#[test]
fn rfc7592_update_09_secret_issued_when_new_method_needs_one() {
    let p = policy();
    let (stored, token, _) = register(
        &p,
        json!({"redirect_uris": ["https://app.example/cb"], "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://app.example/jwks"}),
    );
    assert!(!stored.client.contains_key("client_secret"));
    let body = update_body(&stored, json!({"token_endpoint_auth_method": "client_secret_post"}));
    match evaluate_management(&call(Operation::Update, &stored, Some(&token), Some(body)), &p, &mut SeededRandom::new(3)) {
        ManagementAnswer::Accepted { client, response, .. } => {
            assert!(client.unwrap().contains_key("client_secret"));
            assert_eq!(response.unwrap()["client_secret_expires_at"], json!(0));
        }
        other => panic!("{other:?}"),
    }
}
