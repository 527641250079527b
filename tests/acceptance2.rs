//! Second acceptance audit: OIDF FAPI / Open Finance Brasil DCR conformance
//! modules (happy flow, bad / missing software statement, jwks + jwks_uri,
//! bad redirect URIs, tls_client_auth subject, update / read / delete with
//! good and bad registration access tokens), RFC 7592 envelope edge cases,
//! and AU CDR / Brazil / UK OB statement and request rules, replayed through
//! `evaluate_registration` and `evaluate_management`.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic, clippy::unreachable)]

mod common;

use common::answers::{accepted, refused_at, rejected};
use common::ecosystems::{
    MOCK, OB_ISS, OB_SW, br_dn, br_jwks_uri, br_md, br_mrun, br_policy, br_ssa, br_ssa_claims, br_ssa_with, cdr_claims, cdr_policy,
    cdr_signed, cdr_ssa_with, fapi, fapi_md, fapi_req, ukob_policy, ukob_request_claims,
};
use common::fixtures::{CB, NOW, ctx, merge, oidc, show, tls};

use dcr_policy::host::{Context, SeededRandom};
use dcr_policy::management::{HostAction, ManagementAnswer, ManagementRequest, Operation, StoredClient, evaluate_management};
use dcr_policy::policy::Policy;
use dcr_policy::registration::{RegistrationAnswer, RegistrationRequest, SuppliedJwks, evaluate_registration};
use dcr_policy::{ChangeAction, ErrorCode};
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------- helpers

fn run(req: &RegistrationRequest, p: &Policy) -> RegistrationAnswer {
    common::answers::run_checked(req, p, 11)
}

/// A 400 with `code` and a finding of `rule`.
#[track_caller]
fn refused_by(a: &RegistrationAnswer, code: ErrorCode, rule: &str) {
    let (status, error, found) = rejected(a);
    assert_eq!((status, error), (400, code), "{}", show(a));
    assert!(found.iter().any(|(r, _)| r == rule), "expected {rule} in {found:?}");
}

// ---------------------------------------------------------------- FAPI DCR modules (OIDF fapi1-advanced / fapi2)

const FAPI_PROFILES: [&str; 3] = ["fapi1-advanced", "fapi2", "fapi2-message-signing"];

#[test]
fn fapi1_redirect_01_missing_redirect_uris_is_refused() {
    let p = fapi("fapi1-advanced");
    let a = run(&fapi_req(fapi_md(json!({"redirect_uris": null}))), &p);
    refused_at(&a, ErrorCode::InvalidRedirectUri, "/redirect_uris");
    let a = run(&fapi_req(fapi_md(json!({"redirect_uris": []}))), &p);
    refused_at(&a, ErrorCode::InvalidRedirectUri, "/redirect_uris");
}

#[test]
fn fapi1_redirect_02_fapi2_redirect_01_http_redirect_uri_is_refused() {
    for profile in FAPI_PROFILES {
        let a = run(
            &fapi_req(fapi_md(json!({"redirect_uris": ["https://client.example.com/cb", "http://client.example.com/cb"]}))),
            &fapi(profile),
        );
        refused_at(&a, ErrorCode::InvalidRedirectUri, "/redirect_uris/1");
    }
}

#[test]
fn rfc7591_jwks_01_jwks_and_jwks_uri_together_are_refused_under_fapi() {
    for profile in FAPI_PROFILES {
        let a = run(&fapi_req(fapi_md(json!({"jwks": common::jwks_value(&["software-rsa2048"])}))), &fapi(profile));
        refused_by(&a, ErrorCode::InvalidClientMetadata, "RFC7591-JWKS-01");
    }
}

#[test]
fn fapi1_auth_01_fapi2_auth_01_unsupported_auth_methods_are_refused() {
    for profile in FAPI_PROFILES {
        for m in ["client_secret_jwt", "client_secret_post", "client_secret_basic", "none", "urn:example:custom"] {
            let a = run(&fapi_req(fapi_md(json!({"token_endpoint_auth_method": m}))), &fapi(profile));
            refused_at(&a, ErrorCode::InvalidClientMetadata, "/token_endpoint_auth_method");
        }
    }
}

#[test]
fn fapi1_auth_02_fapi2_auth_02_absent_method_defaults_to_private_key_jwt() {
    for profile in FAPI_PROFILES {
        let a = run(&fapi_req(fapi_md(json!({"token_endpoint_auth_method": null}))), &fapi(profile));
        let (client, response, changes) = accepted(&a);
        assert_eq!(client["token_endpoint_auth_method"], json!("private_key_jwt"), "{profile}");
        assert!(!response.contains_key("client_secret"), "{profile}");
        assert!(changes.iter().any(|c| c.path == "/token_endpoint_auth_method" && c.action == ChangeAction::Defaulted), "{changes:?}");
    }
}

#[test]
fn rfc8705_auth_02_tls_client_auth_with_an_unparsable_subject_dn_is_refused() {
    for profile in FAPI_PROFILES {
        for dn in ["not a dn", "CN", "=x", "CN=a,,O=b", ""] {
            let a = run(
                &fapi_req(fapi_md(json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": dn}))),
                &fapi(profile),
            );
            refused_at(&a, ErrorCode::InvalidClientMetadata, "/tls_client_auth_subject_dn");
        }
    }
}

#[test]
fn rfc8705_auth_03_04_tls_client_auth_san_values_of_the_wrong_form_are_refused() {
    let p = fapi("fapi2");
    for (field, value) in [
        ("tls_client_auth_san_ip", json!("999.1.1.1")),
        ("tls_client_auth_san_ip", json!("client.example.com")),
        ("tls_client_auth_san_uri", json!("not a uri")),
        ("tls_client_auth_san_dns", json!(5)),
    ] {
        let mut md = fapi_md(json!({"token_endpoint_auth_method": "tls_client_auth"}));
        md[field] = value.clone();
        let a = run(&fapi_req(md), &p);
        refused_at(&a, ErrorCode::InvalidClientMetadata, &format!("/{field}"));
    }
}

#[test]
fn fapi1_reqobj_01_fapi2ms_jar_01_request_object_alg_must_be_a_fapi_alg() {
    for (profile, bad) in
        [("fapi1-advanced", vec!["RS256", "none", "HS256", "EdDSA", "PS384"]), ("fapi2-message-signing", vec!["RS256", "none", "HS256"])]
    {
        for alg in bad {
            let a = run(&fapi_req(fapi_md(json!({"request_object_signing_alg": alg}))), &fapi(profile));
            refused_at(&a, ErrorCode::InvalidClientMetadata, "/request_object_signing_alg");
        }
        for alg in ["PS256", "ES256"] {
            accepted(&run(&fapi_req(fapi_md(json!({"request_object_signing_alg": alg}))), &fapi(profile)));
        }
    }
}

#[test]
fn fapi1_client_01_fapi2_client_01_public_client_is_refused() {
    for profile in FAPI_PROFILES {
        let a = run(&fapi_req(fapi_md(json!({"token_endpoint_auth_method": "none", "jwks_uri": null}))), &fapi(profile));
        refused_at(&a, ErrorCode::InvalidClientMetadata, "/token_endpoint_auth_method");
    }
}

// ---------------------------------------------------------------- Open Finance Brasil DCR modules (OIDF FAPIBrazilDCR*)

fn br_req(metadata: Value) -> RegistrationRequest {
    RegistrationRequest {
        body: metadata.to_string(),
        content_type: Some("application/json".into()),
        context: Context { tls: tls(&br_dn()), ..ctx() },
        jwks: SuppliedJwks { software_statement: Some(common::jwks_value(&["directory-rsa2048", "other-p384"])), software: None },
        sector_identifier: None,
    }
}

fn br(over: Value) -> RegistrationAnswer {
    run(&br_req(br_md(over)), &br_policy())
}

#[test]
fn brof_ssa_01_meta_01_missing_software_statement_is_refused() {
    let a = br(json!({"software_statement": null}));
    refused_at(&a, ErrorCode::InvalidSoftwareStatement, "/software_statement");
}

#[test]
fn brof_ssa_01_wrongly_signed_statement_is_refused() {
    // signed by a key outside the directory's set
    let forged = common::sign(
        "PS256",
        &common::private_jwk("software-rsa2048"),
        &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}),
        &br_ssa_claims(json!({})),
    );
    let (_, error, _) = rejected(&br(json!({"software_statement": forged})));
    assert_eq!(error, ErrorCode::InvalidSoftwareStatement);
    // a valid signature, but with the payload altered afterwards
    let good = br_ssa(json!({}));
    let parts: Vec<&str> = good.split('.').collect();
    let payload = dcr_policy::jose::b64::encode(br_ssa_claims(json!({"software_id": "someone-else"})).to_string().as_bytes());
    let spliced = format!("{}.{}.{}", parts[0], payload, parts[2]);
    let (_, error, _) = rejected(&br(json!({"software_statement": spliced})));
    assert_eq!(error, ErrorCode::InvalidSoftwareStatement);
}

#[test]
fn brof_ssa_01_statement_not_signed_with_ps256_is_refused() {
    // RS256 with the directory's own key, and ES384 with a key the directory set holds
    for token in [br_ssa_with("RS256", "directory-rsa2048", json!({})), br_ssa_with("ES384", "other-p384", json!({}))] {
        let (_, error, _) = rejected(&br(json!({"software_statement": token})));
        assert_eq!(error, ErrorCode::InvalidSoftwareStatement);
    }
    // unsigned
    let header = dcr_policy::jose::b64::encode(br#"{"alg":"none","typ":"JWT"}"#);
    let body = dcr_policy::jose::b64::encode(br_ssa_claims(json!({})).to_string().as_bytes());
    let (_, error, _) = rejected(&br(json!({"software_statement": format!("{header}.{body}.")})));
    assert_eq!(error, ErrorCode::InvalidSoftwareStatement);
}

#[test]
fn brof_ssa_01_statement_from_another_issuer_is_unapproved() {
    let (_, error, _) = rejected(&br(json!({"software_statement": br_ssa(json!({"iss": "Some Other Directory"}))})));
    assert_eq!(error, ErrorCode::UnapprovedSoftwareStatement);
}

#[test]
fn brof_ssa_04_redirect_uri_outside_the_statement_is_refused() {
    let a = br(json!({"redirect_uris": ["https://app.exemplo.com.br/cb", "https://evil.example/cb"]}));
    refused_at(&a, ErrorCode::InvalidRedirectUri, "/redirect_uris/1");
}

#[test]
fn brof_ssa_04_brof_meta_01_registration_without_redirect_uris_is_refused() {
    // OIDF `fapi1-advanced-final-brazil-dcr-no-redirect-uri` / `fapi2-security-profile-id2-brazil-dcr-no-redirect-uri`:
    // RemoveRedirectUrisFromDynamicClientRegistrationEndpointRequest, then 400 with
    // invalid_redirect_uri or invalid_client_metadata. The SSA's list is not used as a default.
    let a = br(json!({"redirect_uris": null}));
    refused_at(&a, ErrorCode::InvalidRedirectUri, "/redirect_uris");
    let mut md = br_md(json!({}));
    md.as_object_mut().map(|o| o.remove("redirect_uris"));
    let a = run(&br_req(md), &br_policy());
    refused_at(&a, ErrorCode::InvalidRedirectUri, "/redirect_uris");
}

#[test]
fn ukob_meta_02_aucdr_meta_01_absent_redirect_uris_still_come_from_the_statement() {
    // The Brazil change above is per mapping: other profiles keep the SSA default.
    let p = dcr_policy::profiles::recipe(dcr_policy::ProfileId::UkOpenBanking);
    let m = &p.software_statement.claim_map["software_redirect_uris"];
    assert!(m.fill_when_absent, "UK OB fills absent redirect_uris (UKOB-META-02)");
    let p = dcr_policy::profiles::recipe(dcr_policy::ProfileId::AuCdr);
    assert!(p.software_statement.claim_map["redirect_uris"].fill_when_absent, "AU CDR fills them (AUCDR-META-01)");
    let p = br_policy();
    assert!(!p.software_statement.claim_map["software_redirect_uris"].fill_when_absent);
}

#[test]
fn brof_jwks_01_jwks_by_value_with_jwks_uri_is_refused() {
    let a = br(json!({"jwks": common::jwks_value(&["software-rsa2048"])}));
    let (status, error, _) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata));
}

#[test]
fn brof_jwks_02_absent_jwks_uri_is_taken_from_the_statement() {
    let a = br(json!({"jwks_uri": null}));
    let (client, _, _) = accepted(&a);
    assert_eq!(client["jwks_uri"], json!(br_jwks_uri()));
}

#[test]
fn brof_mtls_01_registration_without_client_certificate_is_refused() {
    let mut req = br_req(br_md(json!({})));
    req.context.tls = None;
    let (status, ..) = rejected(&run(&req, &br_policy()));
    assert_eq!(status, 401);
}

#[test]
fn brof_dn_02_san_subject_parameters_are_refused() {
    let a = br(json!({"tls_client_auth_subject_dn": null, "tls_client_auth_san_dns": "app.exemplo.com.br"}));
    let (status, error, _) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata));
}

#[test]
fn brof_ssa_05_no_active_role_is_unapproved() {
    let ssa =
        br_ssa(json!({"software_statement_roles": [{"role": "DADOS", "authorisation_domain": "Open Banking", "status": "Inactive"}]}));
    let (_, error, _) = rejected(&br(json!({"software_statement": ssa})));
    assert_eq!(error, ErrorCode::UnapprovedSoftwareStatement);
}

#[test]
fn brof_alg_01_only_ps256_signing_algs() {
    for (field, alg) in [
        ("id_token_signed_response_alg", "ES256"),
        ("request_object_signing_alg", "ES256"),
        ("userinfo_signed_response_alg", "RS256"),
        ("id_token_signed_response_alg", "none"),
    ] {
        let a = br(json!({ field: alg }));
        refused_at(&a, ErrorCode::InvalidClientMetadata, &format!("/{field}"));
    }
}

#[test]
fn brof_alg_02_only_rsa_oaep_with_a256gcm() {
    let a = br(json!({"id_token_encrypted_response_alg": "RSA-OAEP-256", "id_token_encrypted_response_enc": "A256GCM"}));
    refused_at(&a, ErrorCode::InvalidClientMetadata, "/id_token_encrypted_response_alg");
    let a = br(json!({"id_token_encrypted_response_alg": "RSA-OAEP", "id_token_encrypted_response_enc": "A128CBC-HS256"}));
    refused_at(&a, ErrorCode::InvalidClientMetadata, "/id_token_encrypted_response_enc");
    let a = br(json!({"id_token_encrypted_response_alg": "RSA-OAEP"}));
    let (client, ..) = accepted(&a);
    assert_eq!(client["id_token_encrypted_response_enc"], json!("A256GCM"), "BROF-ALG-02 default");
}

#[test]
fn brof_meta_05_subject_type_must_be_public() {
    let a = br(json!({"subject_type": "pairwise"}));
    refused_at(&a, ErrorCode::InvalidClientMetadata, "/subject_type");
}

#[test]
fn brof_def_01_absent_scope_gets_the_roles_scopes() {
    let a = br(json!({"scope": null}));
    let (client, ..) = accepted(&a);
    let scope = client["scope"].as_str().unwrap();
    assert!(scope.split(' ').any(|s| s == "openid"), "{scope}");
    assert!(scope.split(' ').any(|s| s == "accounts"), "DADOS scopes: {scope}");
}

// ---------------------------------------------------------------- RFC 7592 through a Brasil-style client

fn br_register() -> (StoredClient, String) {
    match br(json!({})) {
        RegistrationAnswer::Accepted { client, response, registration_access_token_hash, registration_access_token_expires_at, .. } => (
            StoredClient { client, registration_access_token_hash, registration_access_token_expires_at },
            response["registration_access_token"].as_str().unwrap().to_owned(),
        ),
        other => panic!("{}", show(&other)),
    }
}

fn br_mcall(op: Operation, stored: Option<&StoredClient>, token: Option<&str>, body: Option<Value>) -> ManagementRequest {
    let id = stored.map_or("gone".to_owned(), |s| s.client["client_id"].as_str().unwrap().to_owned());
    ManagementRequest {
        operation: op,
        client_id: id,
        stored: stored.cloned(),
        registration_access_token: token.map(str::to_owned),
        body: body.map(|b| b.to_string()),
        content_type: Some("application/json".into()),
        context: Context { now: NOW + 10, tls: tls(&br_dn()), ..ctx() },
        jwks: SuppliedJwks { software_statement: Some(common::jwks_value(&["directory-rsa2048"])), software: None },
        sector_identifier: None,
    }
}

#[track_caller]
fn mrejected(a: &ManagementAnswer) -> (u16, ErrorCode, Vec<(String, String)>) {
    match a {
        ManagementAnswer::Rejected { status, error, violations, .. } => {
            (*status, *error, violations.iter().filter(|v| v.is_error()).map(|v| (v.rule.clone(), v.path.clone())).collect())
        }
        other => panic!("expected rejection, got {}", show(other)),
    }
}

#[test]
fn brof_mgmt_01_rfc7592_resp_01_read_returns_uri_and_token() {
    let (stored, token) = br_register();
    match br_mrun(&br_mcall(Operation::Read, Some(&stored), Some(&token), None)) {
        ManagementAnswer::Accepted { status: 200, response: Some(r), .. } => {
            assert_eq!(r["client_id"], stored.client["client_id"]);
            assert!(r["registration_client_uri"].as_str().unwrap().starts_with("https://"), "RFC7592-RESP-03");
            assert_eq!(r["registration_access_token"], json!(token), "RFC7592-READ-04");
        }
        other => panic!("{}", show(&other)),
    }
}

#[test]
fn rfc7592_update_02_put_with_changed_redirect_uris_within_the_statement() {
    let (stored, token) = br_register();
    let id = stored.client["client_id"].clone();
    let body = br_md(json!({"client_id": id, "redirect_uris": ["https://app.exemplo.com.br/cb2"]}));
    match br_mrun(&br_mcall(Operation::Update, Some(&stored), Some(&token), Some(body))) {
        ManagementAnswer::Accepted { status: 200, response: Some(r), client: Some(c), changes, actions, .. } => {
            assert_eq!(r["redirect_uris"], json!(["https://app.exemplo.com.br/cb2"]));
            assert_eq!(c["client_id"], id, "RFC7592-UPDATE-09");
            assert!(r.contains_key("registration_client_uri") && r.contains_key("registration_access_token"), "RFC7592-RESP-01");
            assert!(changes.iter().any(|ch| ch.path == "/redirect_uris" && ch.action == ChangeAction::Updated), "{changes:?}");
            assert_eq!(actions, vec![HostAction::StoreClient]);
        }
        other => panic!("{}", show(&other)),
    }
    // a redirect URI outside the statement is refused on update too
    let body = br_md(json!({"client_id": id, "redirect_uris": ["https://evil.example/cb"]}));
    let (status, error, _) = mrejected(&br_mrun(&br_mcall(Operation::Update, Some(&stored), Some(&token), Some(body))));
    assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri));
    // and so is jwks by value (FAPIBrazilDCRUpdateClientConfigInvalidJwksByValue)
    let body = br_md(json!({"client_id": id, "jwks": common::jwks_value(&["software-rsa2048"])}));
    let (status, error, _) = mrejected(&br_mrun(&br_mcall(Operation::Update, Some(&stored), Some(&token), Some(body))));
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata));
}

#[test]
fn rfc7592_authz_01_wrong_token_and_delete_then_read_is_401() {
    let (stored, token) = br_register();
    let (status, error, _) = mrejected(&br_mrun(&br_mcall(Operation::Read, Some(&stored), Some("not-the-token"), None)));
    assert_eq!((status, error), (401, ErrorCode::InvalidToken));
    match br_mrun(&br_mcall(Operation::Delete, Some(&stored), Some(&token), None)) {
        ManagementAnswer::Accepted { status: 204, response: None, actions, .. } => {
            assert!(actions.contains(&HostAction::DeleteClient) && actions.contains(&HostAction::RevokeRegistrationAccessTokens));
        }
        other => panic!("{}", show(&other)),
    }
    // the host deleted the record: every later call is 401 (RFC7592-AUTHZ-02, RAT-04)
    for op in [Operation::Read, Operation::Update, Operation::Delete] {
        let (status, error, _) = mrejected(&br_mrun(&br_mcall(op, None, Some(&token), None)));
        assert_eq!((status, error), (401, ErrorCode::InvalidToken), "{op:?}");
    }
}

// ---------------------------------------------------------------- RFC 7592 envelope edge cases (oidc profile)

fn oidc_register(metadata: Value) -> (StoredClient, String, Map<String, Value>) {
    let req = RegistrationRequest { body: metadata.to_string(), context: ctx(), ..Default::default() };
    match evaluate_registration(&req, &oidc(), &mut SeededRandom::new(9)) {
        RegistrationAnswer::Accepted { client, response, registration_access_token_hash, registration_access_token_expires_at, .. } => (
            StoredClient { client, registration_access_token_hash, registration_access_token_expires_at },
            response["registration_access_token"].as_str().unwrap().to_owned(),
            response,
        ),
        other => panic!("{}", show(&other)),
    }
}

fn put(stored: &StoredClient, token: &str, body: &str) -> ManagementAnswer {
    let req = ManagementRequest {
        operation: Operation::Update,
        client_id: stored.client["client_id"].as_str().unwrap().to_owned(),
        stored: Some(stored.clone()),
        registration_access_token: Some(token.to_owned()),
        body: Some(body.to_owned()),
        content_type: Some("application/json".into()),
        context: Context { now: NOW + 10, ..ctx() },
        ..Default::default()
    };
    evaluate_management(&req, &oidc(), &mut SeededRandom::new(4))
}

#[test]
fn rfc7592_update_03_echoing_the_read_response_is_refused_with_invalid_request() {
    // A client that PUTs back the full GET response (the classic mistake)
    // sends all four forbidden members; each is reported.
    let (stored, token, response) = oidc_register(json!({"redirect_uris": [CB], "client_name": "App"}));
    let a = put(&stored, &token, &Value::Object(response).to_string());
    let (status, error, found) = mrejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidRequest), "RFC7592-UPDATE-03 default code");
    for f in ["registration_access_token", "registration_client_uri", "client_id_issued_at", "client_secret_expires_at"] {
        assert!(found.iter().any(|(r, p)| r == "RFC7592-UPDATE-03" && *p == format!("/{f}")), "{f}: {found:?}");
    }
    // and the token value is never echoed in the error (RFC7592-RAT-05)
    assert!(!show(&a).contains(&token));
}

#[test]
fn rfc7592_update_04_null_and_omitted_members_are_deleted() {
    let (stored, token, _) = oidc_register(
        json!({"redirect_uris": [CB], "client_name": "App", "logo_uri": "https://app.example.com/l.png", "tos_uri": "https://app.example.com/tos"}),
    );
    let id = stored.client["client_id"].clone();
    let body = json!({"client_id": id, "redirect_uris": [CB], "client_name": "App", "logo_uri": null});
    match put(&stored, &token, &body.to_string()) {
        ManagementAnswer::Accepted { status: 200, client: Some(c), response: Some(r), changes, .. } => {
            for f in ["logo_uri", "tos_uri"] {
                assert!(!c.contains_key(f) && !r.contains_key(f), "{f}");
                assert!(changes.iter().any(|ch| ch.path == format!("/{f}") && ch.action == ChangeAction::Removed), "{f}: {changes:?}");
            }
            assert_eq!(r["client_secret"], stored.client["client_secret"], "RFC7592-UPDATE-09: secret kept");
        }
        other => panic!("{}", show(&other)),
    }
}

#[test]
fn rfc7592_update_05_put_without_client_id_or_with_wrong_secret() {
    let (stored, token, _) = oidc_register(json!({"redirect_uris": [CB]}));
    let id = stored.client["client_id"].clone();
    let (status, error, found) = mrejected(&put(&stored, &token, &json!({"redirect_uris": [CB]}).to_string()));
    assert_eq!((status, error), (400, ErrorCode::InvalidRequest));
    assert!(found.contains(&("RFC7592-UPDATE-05".to_owned(), "/client_id".to_owned())), "{found:?}");
    let (status, error, found) =
        mrejected(&put(&stored, &token, &json!({"client_id": id, "redirect_uris": [CB], "client_secret": "guess"}).to_string()));
    assert_eq!((status, error), (400, ErrorCode::InvalidRequest));
    assert!(found.contains(&("RFC7592-UPDATE-06".to_owned(), "/client_secret".to_owned())), "{found:?}");
}

#[test]
fn rfc7592_update_01_non_object_bodies_are_400() {
    let (stored, token, _) = oidc_register(json!({"redirect_uris": [CB]}));
    for b in ["null", "\"x\"", "5", "", "{", "[{}]"] {
        let (status, ..) = mrejected(&put(&stored, &token, b));
        assert_eq!(status, 400, "{b:?}");
    }
}

#[test]
fn rfc7592_update_08_put_dropping_redirect_uris_of_a_code_client_is_refused() {
    let (stored, token, _) = oidc_register(json!({"redirect_uris": [CB]}));
    let id = stored.client["client_id"].clone();
    let (status, error, _) = mrejected(&put(&stored, &token, &json!({"client_id": id}).to_string()));
    assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri));
}

// ---------------------------------------------------------------- AU CDR

fn cdr(over: Value) -> RegistrationAnswer {
    run(&cdr_signed("PS256", "software-rsa2048", &cdr_claims(over)), &cdr_policy())
}

#[test]
fn aucdr_meta_01_absent_redirect_uris_default_to_the_statement_list() {
    let a = cdr(json!({"redirect_uris": null}));
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["redirect_uris"], json!([format!("{MOCK}/redirects/redirect1"), format!("{MOCK}/redirects/redirect2")]));
    assert!(changes.iter().any(|c| c.path == "/redirect_uris"), "{changes:?}");
}

#[test]
fn aucdr_meta_02_03_auth_method_and_signing_alg_are_required() {
    refused_at(&cdr(json!({"token_endpoint_auth_method": null})), ErrorCode::InvalidClientMetadata, "/token_endpoint_auth_method");
    refused_at(
        &cdr(json!({"token_endpoint_auth_method": "client_secret_basic"})),
        ErrorCode::InvalidClientMetadata,
        "/token_endpoint_auth_method",
    );
    refused_at(
        &cdr(json!({"token_endpoint_auth_signing_alg": null})),
        ErrorCode::InvalidClientMetadata,
        "/token_endpoint_auth_signing_alg",
    );
    refused_at(
        &cdr(json!({"token_endpoint_auth_signing_alg": "RS256"})),
        ErrorCode::InvalidClientMetadata,
        "/token_endpoint_auth_signing_alg",
    );
}

#[test]
fn aucdr_meta_04_05_grant_and_response_types_are_required_and_limited() {
    refused_at(&cdr(json!({"grant_types": null})), ErrorCode::InvalidClientMetadata, "/grant_types");
    refused_at(&cdr(json!({"response_types": null})), ErrorCode::InvalidClientMetadata, "/response_types");
    let (status, error, _) = rejected(&cdr(json!({"grant_types": ["authorization_code", "password"]})));
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata));
    let (status, error, _) = rejected(&cdr(json!({"response_types": ["token"]})));
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata));
}

#[test]
fn aucdr_meta_06_id_token_alg_is_required() {
    refused_at(&cdr(json!({"id_token_signed_response_alg": null})), ErrorCode::InvalidClientMetadata, "/id_token_signed_response_alg");
}

#[test]
fn aucdr_meta_07_authorization_signed_response_alg_required_for_code_and_never_none() {
    refused_at(
        &cdr(json!({"authorization_signed_response_alg": "none"})),
        ErrorCode::InvalidClientMetadata,
        "/authorization_signed_response_alg",
    );
    refused_at(
        &cdr(json!({"authorization_signed_response_alg": null})),
        ErrorCode::InvalidClientMetadata,
        "/authorization_signed_response_alg",
    );
}

#[test]
fn aucdr_meta_09_application_type_must_be_web() {
    refused_at(&cdr(json!({"application_type": "native"})), ErrorCode::InvalidClientMetadata, "/application_type");
}

#[test]
fn aucdr_meta_10_request_object_alg_defaults_to_ps256() {
    let a = cdr(json!({"request_object_signing_alg": null}));
    let (client, ..) = accepted(&a);
    assert_eq!(client["request_object_signing_alg"], json!("PS256"));
}

#[test]
fn aucdr_meta_11_software_statement_is_required() {
    let (status, error, _) = rejected(&cdr(json!({"software_statement": null})));
    assert_eq!((status, error), (400, ErrorCode::InvalidSoftwareStatement));
}

#[test]
fn aucdr_meta_12_unknown_fields_are_dropped_not_returned() {
    let a = cdr(json!({"x_unsupported": "v"}));
    let (client, response, _) = accepted(&a);
    assert!(!client.contains_key("x_unsupported") && !response.contains_key("x_unsupported"));
}

#[test]
fn aucdr_req_02_request_signed_with_rs256_is_refused_es256_accepted() {
    let a = run(&cdr_signed("RS256", "software-rsa2048", &cdr_claims(json!({}))), &cdr_policy());
    let (status, error, _) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata));
    accepted(&run(&cdr_signed("ES256", "software-p256", &cdr_claims(json!({}))), &cdr_policy()));
}

#[test]
fn aucdr_req_04_every_request_claim_is_mandatory() {
    for claim in ["iss", "iat", "exp", "jti", "aud"] {
        let a = cdr(json!({ claim: null }));
        let (status, error, _) = rejected(&a);
        assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "{claim}");
    }
    let (_, error, _) = rejected(&cdr(json!({"aud": "https://other-dh.example"})));
    assert_eq!(error, ErrorCode::InvalidClientMetadata);
}

#[test]
fn aucdr_ssa_01_statement_not_signed_with_ps256_is_refused() {
    let token = cdr_ssa_with("ES256", "software-p256", json!({}));
    let (_, error, _) = rejected(&cdr(json!({"software_statement": token})));
    assert_eq!(error, ErrorCode::InvalidSoftwareStatement);
}

#[test]
fn aucdr_ssa_02_statement_without_exp_is_refused() {
    let token = cdr_ssa_with("PS256", "directory-rsa2048", json!({"exp": null}));
    let (_, error, _) = rejected(&cdr(json!({"software_statement": token})));
    assert_eq!(error, ErrorCode::InvalidSoftwareStatement);
}

#[test]
fn aucdr_keys_01_request_keys_never_replace_the_statement_jwks_uri() {
    // a different jwks_uri in the request: refused or replaced by the SSA value, never registered
    match cdr(json!({"jwks_uri": "https://attacker.example/jwks"})) {
        RegistrationAnswer::Accepted { client, .. } => assert_eq!(client["jwks_uri"], json!(format!("{MOCK}/jwks"))),
        RegistrationAnswer::Rejected { status: 400, .. } => {}
        other => panic!("{}", show(&other)),
    }
    // jwks by value
    match cdr(json!({"jwks": common::jwks_value(&["other-p384"])})) {
        RegistrationAnswer::Accepted { client, .. } => {
            assert!(!client.contains_key("jwks"));
            assert_eq!(client["jwks_uri"], json!(format!("{MOCK}/jwks")));
        }
        RegistrationAnswer::Rejected { status: 400, .. } => {}
        other => panic!("{}", show(&other)),
    }
}

// ---------------------------------------------------------------- UK Open Banking

fn ukob_ssa_with(header: Value, over: Value) -> String {
    let c = merge(
        json!({
            "iss": OB_ISS, "iat": NOW - 60, "jti": "ssa-ob-1", "software_id": OB_SW, "software_client_id": OB_SW,
            "software_client_name": "Budget Buddy", "software_redirect_uris": ["https://tpp.example.com/cb"],
            "software_roles": ["AISP", "PISP"], "software_jwks_endpoint": "https://keystore.example/tpp.jwks",
            "org_status": "Active", "org_id": "0015800001041REAAY"
        }),
        over,
    );
    let alg = header["alg"].as_str().unwrap().to_owned();
    common::sign(&alg, &common::private_jwk("directory-rsa2048"), &header, &c)
}

fn ukob_claims(over: Value) -> Value {
    ukob_request_claims(ukob_ssa_with(json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}), json!({})), over)
}

fn ukob(over: Value) -> RegistrationAnswer {
    let claims = ukob_claims(over);
    let req = RegistrationRequest {
        body: common::sign("PS256", &common::private_jwk("software-rsa2048"), &json!({"alg": "PS256", "kid": "software-rsa2048"}), &claims),
        content_type: Some("application/jwt".into()),
        context: Context { tls: tls(&format!("CN={OB_SW},OU=0015800001041REAAY,O=OpenBanking,C=GB")), ..ctx() },
        jwks: SuppliedJwks {
            software_statement: Some(common::jwks_value(&["directory-rsa2048"])),
            software: Some(common::jwks_value(&["software-rsa2048"])),
        },
        sector_identifier: None,
    };
    run(&req, &ukob_policy())
}

#[test]
fn ukob_ssa_02_statement_header_typ_and_alg() {
    for header in [
        json!({"alg": "RS256", "kid": "directory-rsa2048", "typ": "JWT"}),
        json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "at+jwt"}),
    ] {
        let token = ukob_ssa_with(header.clone(), json!({}));
        let (_, error, _) = rejected(&ukob(json!({"software_statement": token})));
        assert_eq!(error, ErrorCode::InvalidSoftwareStatement, "{header}");
    }
}

#[test]
fn ukob_meta_07_id_token_and_request_object_algs_are_required() {
    for f in ["id_token_signed_response_alg", "request_object_signing_alg", "token_endpoint_auth_signing_alg"] {
        let (status, error, found) = rejected(&ukob(json!({ f: null })));
        assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "{f}");
        assert!(found.iter().any(|(_, p)| *p == format!("/{f}")), "{f}: {found:?}");
    }
}

#[test]
fn ukob_meta_11_software_statement_is_required() {
    let (status, error, _) = rejected(&ukob(json!({"software_statement": null})));
    assert_eq!((status, error), (400, ErrorCode::InvalidSoftwareStatement));
}

#[test]
fn ukob_meta_12_subject_dn_iff_tls_client_auth() {
    let a = ukob(json!({"token_endpoint_auth_method": "tls_client_auth", "token_endpoint_auth_signing_alg": null}));
    refused_at(&a, ErrorCode::InvalidClientMetadata, "/tls_client_auth_subject_dn");
    let ok = ukob(json!({
        "token_endpoint_auth_method": "tls_client_auth", "token_endpoint_auth_signing_alg": null,
        "tls_client_auth_subject_dn": format!("CN={OB_SW},OU=0015800001041REAAY,O=OpenBanking,C=GB")
    }));
    accepted(&ok);
}

/// OIDF FAPI DCR modules manage the client with the registration access token
/// issued at registration (RFC 7592; RFC7592-AUTHZ-01): read with it → 200,
/// a wrong one → 401, delete → 204, then read → 401.
#[test]
fn rfc7592_authz_01_fapi_profiles_manage_with_the_registration_access_token() {
    for profile in ["fapi1-advanced", "fapi2", "fapi2-message-signing"] {
        let p = fapi(profile);
        let (stored, token) = match run(&fapi_req(fapi_md(json!({}))), &p) {
            RegistrationAnswer::Accepted {
                client, response, registration_access_token_hash, registration_access_token_expires_at, ..
            } => (
                StoredClient { client, registration_access_token_hash, registration_access_token_expires_at },
                response["registration_access_token"].as_str().expect("a registration access token is issued").to_owned(),
            ),
            other => panic!("{profile}: {}", show(&other)),
        };
        let call = |op: Operation, stored: Option<&StoredClient>, token: &str| ManagementRequest {
            operation: op,
            client_id: stored.map_or("gone".to_owned(), |s| s.client["client_id"].as_str().unwrap().to_owned()),
            stored: stored.cloned(),
            registration_access_token: Some(token.to_owned()),
            body: None,
            content_type: None,
            context: Context { now: NOW + 10, ..ctx() },
            jwks: SuppliedJwks::default(),
            sector_identifier: None,
        };
        let m = |req: &ManagementRequest| evaluate_management(req, &p, &mut SeededRandom::new(9));
        match m(&call(Operation::Read, Some(&stored), &token)) {
            ManagementAnswer::Accepted { status: 200, .. } => {}
            other => panic!("{profile} read: {}", show(&other)),
        }
        assert_eq!(mrejected(&m(&call(Operation::Read, Some(&stored), "not-the-token"))).0, 401, "{profile}");
        match m(&call(Operation::Delete, Some(&stored), &token)) {
            ManagementAnswer::Accepted { status: 204, .. } => {}
            other => panic!("{profile} delete: {}", show(&other)),
        }
        assert_eq!(mrejected(&m(&call(Operation::Read, None, &token))).0, 401, "{profile}: deleted client");
    }
}
