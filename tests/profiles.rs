//! Profile hooks: every coded rule with a passing and a failing case, SSA
//! merge precedence and subset rules, DN matching, explain, discovery, and
//! the generated profile reference.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_policy::host::TlsContext;
use dcr_policy::profiles::{self, dn, recipe};
use dcr_policy::{Change, ChangeAction, Context, ErrorCode, Policy, ProfileId, Report, Severity, Source};
use serde_json::{Map, Value, json};

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("not an object"),
    }
}

fn ctx() -> Context {
    Context { now: 1_700_000_000, ..Context::default() }
}

fn ctx_with_cert(subject: &str) -> Context {
    Context { tls: Some(TlsContext { subject_dn: Some(subject.to_owned()), ..TlsContext::default() }), ..ctx() }
}

fn check(policy: &Policy, client: Value) -> Report {
    let mut r = Report::new();
    profiles::check_metadata(&obj(client), policy, &ctx(), &mut r);
    r
}

fn rules(r: &Report) -> Vec<&str> {
    r.violations().iter().map(|v| v.rule.as_str()).collect()
}

fn fires(r: &Report, rule: &str, path: &str) -> bool {
    r.violations().iter().any(|v| v.rule == rule && v.path == path)
}

fn without_allowed(id: ProfileId, field: &str) -> Policy {
    let mut p = recipe(id);
    p.allowed.remove(field);
    p
}

const FAPI1_OK: &str = r#"{"redirect_uris": ["https://client.example/cb"], "token_endpoint_auth_method": "private_key_jwt",
  "response_types": ["code id_token"], "grant_types": ["authorization_code"], "tls_client_certificate_bound_access_tokens": true,
  "authorization_signed_response_alg": "PS256"}"#;

fn fapi1_ok() -> Value {
    serde_json::from_str(FAPI1_OK).unwrap()
}

fn with(mut base: Value, patch: Value) -> Value {
    for (k, v) in obj(patch) {
        if v.is_null() {
            base.as_object_mut().unwrap().remove(&k);
        } else {
            base[k] = v;
        }
    }
    base
}

// ---------------------------------------------------------------------------
// Recipes

#[test]
fn fapi1_alg_03_no_fapi_profile_defaults_rs256() {
    for id in ProfileId::ALL.into_iter().filter(|p| p.is_fapi()) {
        let p = recipe(id);
        for (field, value) in &p.defaults {
            assert_ne!(value, &json!("RS256"), "{id} defaults {field} to RS256");
            if let Some(allowed) = p.allowed.get(field) {
                let vals = value.as_array().cloned().unwrap_or_else(|| vec![value.clone()]);
                assert!(vals.iter().all(|v| allowed.as_array().unwrap().contains(v)), "{id}: default {field} not allowed");
            }
        }
        assert_eq!(p.defaults.get("id_token_signed_response_alg"), Some(&json!("PS256")), "{id}");
    }
}

#[test]
fn every_recipe_data_item_cites_a_rule() {
    for id in ProfileId::ALL {
        let p = recipe(id);
        for section in ["defaults", "enforce", "allowed"] {
            let map = match section {
                "defaults" => &p.defaults,
                "enforce" => &p.enforce,
                _ => &p.allowed,
            };
            for field in map.keys() {
                assert!(!p.cites(&format!("/{section}/{field}")).is_empty(), "{id}: /{section}/{field} cites nothing");
            }
        }
        for field in p.required.iter().chain(&p.forbidden).chain(&p.request_jwt.required_metadata) {
            let cited =
                ["required", "forbidden", "request_jwt/required_metadata"].iter().any(|s| !p.cites(&format!("/{s}/{field}")).is_empty());
            assert!(cited, "{id}: {field} cites nothing");
        }
        for claim in p.software_statement.claim_map.keys() {
            assert!(!p.cites(&format!("/software_statement/claim_map/{claim}")).is_empty(), "{id}: claim_map/{claim}");
        }
        for ids in p.rule_ids.values() {
            for rule in ids {
                assert!(
                    rule.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-') && rule.contains('-'),
                    "{id}: bad rule id {rule}"
                );
            }
        }
    }
}

#[test]
fn ecosystem_recipes_set_their_ssa_and_request_settings() {
    let uk = recipe(ProfileId::UkOpenBanking);
    assert_eq!(uk.request_jwt.mode, dcr_policy::policy::RequestJwtMode::Required);
    assert_eq!(uk.request_jwt.required_claims, ["iss", "iat", "exp", "aud", "jti"]);
    assert!(uk.software_statement.required && uk.endpoint.require_mtls && !uk.registration_access_token.generate);
    let cdr = recipe(ProfileId::AuCdr);
    assert_eq!(cdr.software_statement.trusted_issuers, ["cdr-register"]);
    assert_eq!(cdr.software_statement.signing_algs, ["PS256"]);
    assert_eq!(cdr.unknown_fields, dcr_policy::policy::UnknownFields::Drop);
    assert!(cdr.forbidden.contains(&"jwks".to_owned()));
    assert_eq!(cdr.management_endpoint.bearer_token_scopes, ["cdr:registration"]);
    let br = recipe(ProfileId::BrOpenFinance);
    assert_eq!(br.software_statement.max_age, Some(300));
    assert_eq!(br.request_jwt.mode, dcr_policy::policy::RequestJwtMode::Forbidden);
    assert!(br.certificate_binding.subject_dn_must_match);
    let f2 = recipe(ProfileId::Fapi2);
    assert_eq!(f2.enforce["require_pushed_authorization_requests"], json!(true));
    assert_eq!(recipe(ProfileId::Rfc7591).allowed.len(), 0);
}

// ---------------------------------------------------------------------------
// FAPI 1 coded rules

#[test]
fn fapi1_happy_path_has_no_findings() {
    for id in [ProfileId::Fapi1Advanced, ProfileId::BrOpenFinance] {
        let r = check(&recipe(id), fapi1_ok());
        assert!(r.is_empty(), "{id}: {:#?}", r.violations());
    }
}

#[test]
fn fapi1_client_01_public_client() {
    let p = without_allowed(ProfileId::Fapi1Advanced, "token_endpoint_auth_method");
    assert!(fires(
        &check(&p, with(fapi1_ok(), json!({"token_endpoint_auth_method": "none"}))),
        "FAPI1-CLIENT-01",
        "/token_endpoint_auth_method"
    ));
    assert!(check(&p, fapi1_ok()).is_empty());
    // With the recipe's allowed list the generic check reports it; the coded rule stays quiet.
    assert!(check(&recipe(ProfileId::Fapi1Advanced), with(fapi1_ok(), json!({"token_endpoint_auth_method": "none"}))).is_empty());
}

#[test]
fn fapi1_redirect_02_https_only_and_native_01() {
    let p = recipe(ProfileId::Fapi1Advanced);
    let r = check(&p, with(fapi1_ok(), json!({"redirect_uris": ["https://ok.example/cb", "http://client.example/cb"]})));
    assert_eq!(rules(&r), ["FAPI1-REDIRECT-02"]);
    assert!(fires(&r, "FAPI1-REDIRECT-02", "/redirect_uris/1"));
    assert_eq!(r.violations()[0].error, ErrorCode::InvalidRedirectUri);
    let r =
        check(&p, with(fapi1_ok(), json!({"application_type": "native", "redirect_uris": ["com.example.app:/cb", "http://127.0.0.1/cb"]})));
    assert!(fires(&r, "FAPI1-NATIVE-01", "/redirect_uris/0") && fires(&r, "FAPI1-NATIVE-01", "/redirect_uris/1"));
    assert!(check(&p, with(fapi1_ok(), json!({"application_type": "native", "redirect_uris": ["https://app.example/cb"]}))).is_empty());
}

#[test]
fn fapi1_alg_02_rsa1_5() {
    let p = without_allowed(ProfileId::Fapi1Advanced, "id_token_encrypted_response_alg");
    assert!(fires(
        &check(&p, with(fapi1_ok(), json!({"id_token_encrypted_response_alg": "RSA1_5"}))),
        "FAPI1-ALG-02",
        "/id_token_encrypted_response_alg"
    ));
    assert!(check(&p, with(fapi1_ok(), json!({"id_token_encrypted_response_alg": "RSA-OAEP"}))).is_empty());
}

#[test]
fn fapi1_sender_01_no_dpop() {
    let p = recipe(ProfileId::Fapi1Advanced);
    assert!(fires(&check(&p, with(fapi1_ok(), json!({"dpop_bound_access_tokens": true}))), "FAPI1-SENDER-01", "/dpop_bound_access_tokens"));
    assert!(check(&p, with(fapi1_ok(), json!({"dpop_bound_access_tokens": false}))).is_empty());
}

#[test]
fn fapi1_resp_02_code_needs_jarm() {
    let p = recipe(ProfileId::Fapi1Advanced);
    let r = check(&p, with(fapi1_ok(), json!({"response_types": ["code"], "authorization_signed_response_alg": null})));
    assert!(fires(&r, "FAPI1-RESP-02", "/authorization_signed_response_alg"));
    assert!(check(&p, with(fapi1_ok(), json!({"response_types": ["code"]}))).is_empty());
    // Hybrid does not need it.
    assert!(check(&p, with(fapi1_ok(), json!({"authorization_signed_response_alg": null}))).is_empty());
}

#[test]
fn fapi1_grant_01_implicit_only_with_hybrid() {
    let p = recipe(ProfileId::Fapi1Advanced);
    let r = check(&p, with(fapi1_ok(), json!({"response_types": ["code"], "grant_types": ["authorization_code", "implicit"]})));
    assert!(fires(&r, "FAPI1-GRANT-01", "/grant_types/1"));
    assert!(check(&p, with(fapi1_ok(), json!({"grant_types": ["authorization_code", "implicit"]}))).is_empty());
}

#[test]
fn fapi1_auth_03_conditional_signing_alg_default() {
    let p = recipe(ProfileId::Fapi1Advanced);
    let mut client = obj(json!({"redirect_uris": ["https://c.example/cb"]}));
    let mut changes = Vec::new();
    profiles::apply_profile_defaults(&mut client, &p, &mut changes);
    assert_eq!(client["token_endpoint_auth_signing_alg"], json!("PS256"), "method defaults to private_key_jwt");
    assert_eq!(changes[0].rule, "FAPI1-AUTH-03");
    assert_eq!(changes[0].action, ChangeAction::Defaulted);
    let mut client = obj(json!({"token_endpoint_auth_method": "tls_client_auth"}));
    let mut changes = Vec::new();
    profiles::apply_profile_defaults(&mut client, &p, &mut changes);
    assert!(!client.contains_key("token_endpoint_auth_signing_alg") && changes.is_empty());
}

// ---------------------------------------------------------------------------
// FAPI 2

fn fapi2_ok() -> Value {
    json!({"redirect_uris": ["https://c.example/cb"], "token_endpoint_auth_method": "private_key_jwt", "response_types": ["code"],
           "tls_client_certificate_bound_access_tokens": true, "require_pushed_authorization_requests": true})
}

#[test]
fn fapi2_happy_path() {
    assert!(check(&recipe(ProfileId::Fapi2), fapi2_ok()).is_empty());
    assert!(check(&recipe(ProfileId::Fapi2MessageSigning), fapi2_ok()).is_empty());
}

#[test]
fn fapi2_client_01_public_client() {
    let p = without_allowed(ProfileId::Fapi2, "token_endpoint_auth_method");
    assert!(fires(
        &check(&p, with(fapi2_ok(), json!({"token_endpoint_auth_method": "none"}))),
        "FAPI2-CLIENT-01",
        "/token_endpoint_auth_method"
    ));
}

#[test]
fn fapi2_redirect_01_http_only_native_loopback() {
    let p = recipe(ProfileId::Fapi2);
    assert!(fires(
        &check(&p, with(fapi2_ok(), json!({"redirect_uris": ["http://localhost:8080/cb"]}))),
        "FAPI2-REDIRECT-01",
        "/redirect_uris/0"
    ));
    assert!(fires(
        &check(&p, with(fapi2_ok(), json!({"application_type": "native", "redirect_uris": ["http://evil.example/cb"]}))),
        "FAPI2-REDIRECT-01",
        "/redirect_uris/0"
    ));
    assert!(
        check(
            &p,
            with(fapi2_ok(), json!({"application_type": "native", "redirect_uris": ["http://127.0.0.1:5000/cb", "http://[::1]/cb"]}))
        )
        .is_empty()
    );
}

#[test]
fn fapi2_sender_01_binding_required_and_defaulted() {
    let p = recipe(ProfileId::Fapi2);
    assert!(fires(
        &check(&p, with(fapi2_ok(), json!({"tls_client_certificate_bound_access_tokens": null}))),
        "FAPI2-SENDER-01",
        "/tls_client_certificate_bound_access_tokens"
    ));
    assert!(
        check(&p, with(fapi2_ok(), json!({"tls_client_certificate_bound_access_tokens": null, "dpop_bound_access_tokens": true})))
            .is_empty()
    );
    // apply_profile_defaults sets the preferred flag when none is true.
    let mut client = obj(json!({"dpop_bound_access_tokens": false}));
    let mut changes = Vec::new();
    profiles::apply_profile_defaults(&mut client, &p, &mut changes);
    assert_eq!(client["tls_client_certificate_bound_access_tokens"], json!(true));
    assert!(changes.iter().any(|c| c.rule == "FAPI2-SENDER-01" && c.path == "/tls_client_certificate_bound_access_tokens"));
    let mut client = obj(json!({"dpop_bound_access_tokens": true}));
    let mut changes = Vec::new();
    profiles::apply_profile_defaults(&mut client, &p, &mut changes);
    assert!(!client.contains_key("tls_client_certificate_bound_access_tokens"));
    let mut client = obj(json!({"tls_client_certificate_bound_access_tokens": false}));
    let mut changes = Vec::new();
    profiles::apply_profile_defaults(&mut client, &p, &mut changes);
    assert!(changes.iter().any(|c| c.action == ChangeAction::Overridden && c.from == Some(json!(false))));
}

#[test]
fn fapi2ms_jarm_02_encryption_is_a_warning() {
    let r = check(&recipe(ProfileId::Fapi2MessageSigning), with(fapi2_ok(), json!({"authorization_encrypted_response_alg": "RSA-OAEP"})));
    assert!(fires(&r, "FAPI2MS-JARM-02", "/authorization_encrypted_response_alg"));
    assert_eq!(r.violations()[0].severity, Severity::Warning);
    assert!(!r.has_errors());
    assert!(check(&recipe(ProfileId::Fapi2), with(fapi2_ok(), json!({"authorization_encrypted_response_alg": "RSA-OAEP"}))).is_empty());
}

// ---------------------------------------------------------------------------
// UK Open Banking

fn ukob() -> Policy {
    recipe(ProfileId::UkOpenBanking)
}

#[test]
fn ukob_meta_01_redirect_rules() {
    let long = format!("https://c.example/{}", "a".repeat(250));
    let r = check(
        &ukob(),
        with(fapi1_ok(), json!({"redirect_uris": ["http://c.example/cb", "https://localhost/cb", long, "https://c.example/cb"]})),
    );
    assert_eq!(rules(&r), ["UKOB-META-01", "UKOB-META-01", "UKOB-META-01"]);
    assert!(fires(&r, "UKOB-META-01", "/redirect_uris/2"));
    assert!(check(&ukob(), fapi1_ok()).is_empty());
}

#[test]
fn ukob_meta_12_tls_client_auth_needs_subject_dn() {
    let r =
        check(&ukob(), with(fapi1_ok(), json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_san_dns": "c.example"})));
    assert!(fires(&r, "UKOB-META-12", "/tls_client_auth_subject_dn"));
    assert!(
        check(&ukob(), with(fapi1_ok(), json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "CN=tpp"})))
            .is_empty()
    );
}

#[test]
fn ukob_ciba_04_user_code_flag() {
    let ciba = json!(["urn:openid:params:grant-type:ciba"]);
    let r = check(&ukob(), with(fapi1_ok(), json!({"backchannel_user_code_parameter_supported": false})));
    assert!(fires(&r, "UKOB-CIBA-04", "/backchannel_user_code_parameter_supported"), "only with ciba");
    let r = check(&ukob(), with(fapi1_ok(), json!({"grant_types": ciba, "backchannel_user_code_parameter_supported": true})));
    assert!(fires(&r, "UKOB-CIBA-04", "/backchannel_user_code_parameter_supported"), "must be false");
    assert!(check(&ukob(), with(fapi1_ok(), json!({"grant_types": ciba, "backchannel_user_code_parameter_supported": false}))).is_empty());
}

#[test]
fn ukob_meta_06_mobile_is_native() {
    let mut client = obj(json!({"application_type": "mobile", "token_endpoint_auth_method": "tls_client_auth"}));
    let mut changes = Vec::new();
    profiles::apply_profile_defaults(&mut client, &ukob(), &mut changes);
    assert_eq!(client["application_type"], json!("native"));
    assert!(changes.iter().any(|c| c.rule == "UKOB-META-06" && c.from == Some(json!("mobile"))));
    let mut client = obj(json!({"application_type": "web", "token_endpoint_auth_method": "tls_client_auth"}));
    let mut changes = Vec::new();
    profiles::apply_profile_defaults(&mut client, &ukob(), &mut changes);
    assert!(changes.is_empty());
}

fn ukob_ssa() -> Map<String, Value> {
    obj(json!({
        "iss": "OpenBanking Ltd", "iat": 1_700_000_000, "jti": "j1", "software_id": "SoftwareId123",
        "software_client_name": "Acme TPP", "software_jwks_endpoint": "https://keystore.example/org/SoftwareId123.jwks",
        "software_redirect_uris": ["https://acme.example/cb", "https://acme.example/cb2"], "software_roles": ["AISP", "PISP"],
        "org_status": "Active", "org_id": "0015800001041REAAY"
    }))
}

fn ukob_request() -> Map<String, Value> {
    obj(json!({
        "iss": "SoftwareId123", "iat": 1_700_000_000, "exp": 1_700_000_300, "aud": "0015800001041RHAAY",
        "jti": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "token_endpoint_auth_method": "private_key_jwt",
        "token_endpoint_auth_signing_alg": "PS256", "grant_types": ["authorization_code"], "application_type": "web",
        "id_token_signed_response_alg": "PS256", "request_object_signing_alg": "PS256", "software_statement": "x.y.z"
    }))
}

fn request_report(policy: &Policy, req: &Map<String, Value>, ssa: &Map<String, Value>) -> Report {
    let mut r = Report::new();
    profiles::check_request_claims(req, ssa, policy, &mut r);
    r
}

#[test]
fn ukob_request_happy_path() {
    let r = request_report(&ukob(), &ukob_request(), &ukob_ssa());
    assert!(r.is_empty(), "{:#?}", r.violations());
}

#[test]
fn ukob_req_03_iss_format_and_software_id() {
    let mut req = ukob_request();
    req.insert("iss".into(), json!("foo.is/invalid"));
    let r = request_report(&ukob(), &req, &ukob_ssa());
    assert!(fires(&r, "UKOB-REQ-03", "/iss"));
    assert!(r.violations().iter().all(|v| v.source == Source::RequestJwt));
    assert_eq!(r.len(), 2, "format and mismatch: {:#?}", r.violations());
    req.insert("iss".into(), json!("OtherSoftware"));
    let r = request_report(&ukob(), &req, &ukob_ssa());
    assert_eq!(r.violations()[0].reason.as_deref(), Some("mismatch"));
    req.insert("iss".into(), json!("a".repeat(30)));
    assert!(fires(&request_report(&ukob(), &req, &ukob_ssa()), "UKOB-REQ-03", "/iss"));
}

#[test]
fn ukob_req_07_jti_uuid_v4() {
    let mut req = ukob_request();
    req.insert("jti".into(), json!("not-a-uuid"));
    assert!(fires(&request_report(&ukob(), &req, &ukob_ssa()), "UKOB-REQ-07", "/jti"));
    req.insert("jti".into(), json!("3F2504E0-4F89-41D3-9A0C-0305E82C3301"));
    assert!(request_report(&ukob(), &req, &ukob_ssa()).is_empty(), "upper case accepted");
    req.insert("jti".into(), json!("3f2504e0-4f89-11d3-9a0c-0305e82c3301"));
    assert!(fires(&request_report(&ukob(), &req, &ukob_ssa()), "UKOB-REQ-07", "/jti"), "version 1");
}

#[test]
fn ukob_meta_07_and_required_metadata_sent_in_request() {
    let mut req = ukob_request();
    req.remove("id_token_signed_response_alg");
    req.remove("token_endpoint_auth_signing_alg");
    req.remove("software_statement");
    let r = request_report(&ukob(), &req, &ukob_ssa());
    assert!(fires(&r, "UKOB-META-07", "/id_token_signed_response_alg"));
    assert!(fires(&r, "UKOB-META-07", "/token_endpoint_auth_signing_alg"));
    assert!(fires(&r, "UKOB-META-11", "/software_statement"));
    assert!(r.violations().iter().any(|v| v.rule == "UKOB-META-11" && v.error == ErrorCode::InvalidSoftwareStatement));
}

#[test]
fn ukob_ssa_05_org_status_and_jwks_endpoint() {
    let mut r = Report::new();
    profiles::check_ssa_claims(&ukob_ssa(), &ukob(), &mut r);
    assert!(r.is_empty(), "{:#?}", r.violations());
    let mut ssa = ukob_ssa();
    ssa.insert("org_status".into(), json!("Revoked"));
    ssa.insert("software_jwks_endpoint".into(), json!("http://keystore.example/x.jwks"));
    let mut r = Report::new();
    profiles::check_ssa_claims(&ssa, &ukob(), &mut r);
    assert!(r.violations().iter().any(|v| v.rule == "UKOB-SSA-05"
        && v.error == ErrorCode::UnapprovedSoftwareStatement
        && v.path == "/org_status"
        && v.source == Source::SoftwareStatement));
    assert!(fires(&r, "UKOB-REQ-04", "/software_jwks_endpoint"));
}

#[test]
fn software_jwks_location_per_profile() {
    assert_eq!(profiles::software_jwks_location(&ukob(), &ukob_ssa()).as_deref(), Some("https://keystore.example/org/SoftwareId123.jwks"));
    assert_eq!(
        profiles::software_jwks_location(&recipe(ProfileId::AuCdr), &obj(json!({"jwks_uri": "https://adr.example/jwks"}))).as_deref(),
        Some("https://adr.example/jwks")
    );
    let br = recipe(ProfileId::BrOpenFinance);
    assert_eq!(
        profiles::software_jwks_location(&br, &obj(json!({"software_jwks_endpoint": "https://k.example/old"}))).as_deref(),
        Some("https://k.example/old"),
        "older spelling"
    );
    assert_eq!(
        profiles::software_jwks_location(
            &br,
            &obj(json!({"software_jwks_uri": "https://k.example/new", "software_jwks_endpoint": "https://k.example/old"}))
        )
        .as_deref(),
        Some("https://k.example/new")
    );
    assert_eq!(
        profiles::software_jwks_location(&ukob(), &obj(json!({"software_jwks_endpoint": "http://k.example/x"}))),
        None,
        "never http"
    );
    assert_eq!(profiles::software_jwks_location(&ukob(), &obj(json!({}))), None);
}

fn merge(policy: &Policy, client: Value, ssa: &Map<String, Value>) -> (Map<String, Value>, Vec<Change>, Report) {
    let mut client = obj(client);
    let mut changes = Vec::new();
    let mut report = Report::new();
    profiles::merge_software_statement(&mut client, ssa, policy, &mut changes, &mut report);
    (client, changes, report)
}

#[test]
fn rfc7591_ss_07_ssa_wins_and_records_from_to() {
    let (client, changes, r) = merge(
        &ukob(),
        json!({"client_name": "Self-asserted", "redirect_uris": ["https://acme.example/cb"], "scope": "openid accounts"}),
        &ukob_ssa(),
    );
    assert!(r.is_empty(), "{:#?}", r.violations());
    assert_eq!(client["client_name"], json!("Acme TPP"));
    let c = changes.iter().find(|c| c.path == "/client_name").unwrap();
    assert_eq!(
        (c.action, c.from.clone(), c.to.clone(), c.rule.as_str()),
        (ChangeAction::FromSoftwareStatement, Some(json!("Self-asserted")), Some(json!("Acme TPP")), "UKOB-SSA-08")
    );
    assert_eq!(client["jwks_uri"], json!("https://keystore.example/org/SoftwareId123.jwks"));
    assert_eq!(client["software_id"], json!("SoftwareId123"));
    assert_eq!(client["redirect_uris"], json!(["https://acme.example/cb"]), "subset kept as sent");
    assert!(!changes.iter().any(|c| c.path == "/redirect_uris"));
    assert!(!client.contains_key("org_status"), "non-metadata claims are not copied");
}

#[test]
fn ukob_ssa_03_redirect_uris_subset_never_replaced() {
    let (client, _, r) = merge(&ukob(), json!({"redirect_uris": ["https://acme.example/cb", "https://evil.example/cb"]}), &ukob_ssa());
    assert_eq!(rules(&r), ["UKOB-SSA-03"]);
    assert!(fires(&r, "UKOB-SSA-03", "/redirect_uris/1"));
    assert_eq!(r.violations()[0].error, ErrorCode::InvalidRedirectUri);
    assert_eq!(client["redirect_uris"], json!(["https://acme.example/cb", "https://evil.example/cb"]), "not silently replaced");
    // UKOB-META-02: absent → the SSA's list, as a change.
    let (client, changes, r) = merge(&ukob(), json!({}), &ukob_ssa());
    assert!(r.is_empty());
    assert_eq!(client["redirect_uris"], json!(["https://acme.example/cb", "https://acme.example/cb2"]));
    assert!(changes.iter().any(|c| c.path == "/redirect_uris" && c.from.is_none() && c.action == ChangeAction::FromSoftwareStatement));
}

#[test]
fn ukob_meta_10_software_id_must_equal_ssa() {
    let (_, _, r) = merge(&ukob(), json!({"software_id": "Other"}), &ukob_ssa());
    assert!(
        r.violations()
            .iter()
            .any(|v| v.rule == "UKOB-META-10" && v.error == ErrorCode::InvalidSoftwareStatement && v.path == "/software_id")
    );
    let (_, _, r) = merge(&ukob(), json!({"software_id": "SoftwareId123"}), &ukob_ssa());
    assert!(r.is_empty());
}

#[test]
fn ukob_ssa_06_scope_from_roles() {
    // UKOB-META-08: `scope` is required, not filled from the roles by default...
    let (client, _, _) = merge(&ukob(), json!({}), &ukob_ssa());
    assert!(client.get("scope").is_none());
    // ...unless a policy asks for that.
    let mut p = ukob();
    if let Some(rs) = p.software_statement.role_scopes.as_mut() {
        rs.default_when_absent = true;
    }
    let (client, changes, r) = merge(&p, json!({}), &ukob_ssa());
    assert!(r.is_empty());
    assert_eq!(client["scope"], json!("openid accounts payments"));
    assert!(changes.iter().any(|c| c.path == "/scope" && c.rule == "UKOB-META-08"));
    let (_, _, r) = merge(&ukob(), json!({"scope": "openid fundsconfirmations"}), &ukob_ssa());
    assert!(fires(&r, "UKOB-SSA-06", "/scope"), "{:#?}", r.violations());
    assert!(r.violations()[0].message.contains("fundsconfirmations"));
}

#[test]
fn oidcdcr_redirect_02_implicit_mapping_in_oidc() {
    let p = recipe(ProfileId::Oidc);
    let ssa =
        obj(json!({"iss": "https://issuer.example", "client_name": "Signed", "redirect_uris": ["https://a.example/cb"], "org_name": "x"}));
    let (client, changes, r) = merge(&p, json!({"client_name": "Plain", "redirect_uris": ["https://b.example/cb"]}), &ssa);
    assert!(fires(&r, "OIDCDCR-REDIRECT-02", "/redirect_uris/0"));
    assert_eq!(client["client_name"], json!("Signed"));
    assert!(changes.iter().any(|c| c.path == "/client_name" && c.rule == "RFC7591-SS-07"));
    assert!(!client.contains_key("org_name") && !client.contains_key("iss"));
    // Mapping off: nothing copied.
    let mut off = recipe(ProfileId::Oidc);
    off.software_statement.map_metadata_claims = false;
    let (client, changes, r) = merge(&off, json!({"client_name": "Plain"}), &ssa);
    assert!(r.is_empty() && changes.is_empty());
    assert_eq!(client["client_name"], json!("Plain"));
}

// ---------------------------------------------------------------------------
// AU CDR

fn cdr() -> Policy {
    recipe(ProfileId::AuCdr)
}

fn cdr_ssa() -> Map<String, Value> {
    obj(json!({
        "iss": "cdr-register", "iat": 1_700_000_000, "exp": 1_700_000_600, "jti": "j", "org_id": "org-1", "org_name": "ADR Brand",
        "client_name": "ADR App", "client_description": "d", "client_uri": "https://adr.example", "redirect_uris": ["https://adr.example/cb"],
        "logo_uri": "https://adr.example/logo.png", "jwks_uri": "https://adr.example/jwks", "revocation_uri": "https://adr.example/revoke",
        "recipient_base_uri": "https://adr.example", "software_id": "sw-1", "software_roles": "data-recipient-software-product",
        "scope": "openid profile bank:accounts.basic:read cdr:registration energy:unsupported"
    }))
}

fn cdr_request() -> Map<String, Value> {
    obj(json!({
        "iss": "sw-1", "iat": 1_700_000_000, "exp": 1_700_000_300, "jti": "r1", "aud": "https://dh.example",
        "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "PS256",
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
        "id_token_signed_response_alg": "PS256", "authorization_signed_response_alg": "PS256", "software_statement": "a.b.c"
    }))
}

#[test]
fn aucdr_request_happy_path_and_req_03() {
    assert!(request_report(&cdr(), &cdr_request(), &cdr_ssa()).is_empty());
    let mut req = cdr_request();
    req.insert("iss".into(), json!("sw-2"));
    let r = request_report(&cdr(), &req, &cdr_ssa());
    assert_eq!(rules(&r), ["AUCDR-REQ-03"]);
}

#[test]
fn aucdr_meta_07_jarm_alg_sent_with_code() {
    let mut req = cdr_request();
    req.remove("authorization_signed_response_alg");
    assert!(fires(&request_report(&cdr(), &req, &cdr_ssa()), "AUCDR-META-07", "/authorization_signed_response_alg"));
}

#[test]
fn aucdr_meta_02_to_06_required_in_request() {
    let mut req = cdr_request();
    for f in
        ["token_endpoint_auth_method", "token_endpoint_auth_signing_alg", "grant_types", "response_types", "id_token_signed_response_alg"]
    {
        req.remove(f);
    }
    let r = request_report(&cdr(), &req, &cdr_ssa());
    for rule in ["AUCDR-META-02", "AUCDR-META-03", "AUCDR-META-04", "AUCDR-META-05", "AUCDR-META-06"] {
        assert!(rules(&r).contains(&rule), "{rule}: {:#?}", r.violations());
    }
}

#[test]
fn aucdr_meta_06_id_token_encryption_with_hybrid_only() {
    let ok = json!({"redirect_uris": ["https://adr.example/cb"], "token_endpoint_auth_method": "private_key_jwt", "response_types": ["code"], "authorization_signed_response_alg": "PS256"});
    let before = Policy { switches: dcr_policy::policy::Switches { hybrid_response_type_until: None, ..cdr().switches }, ..cdr() };
    assert!(check(&before, ok.clone()).is_empty());
    let r = check(&before, with(ok.clone(), json!({"response_types": ["code id_token"]})));
    assert!(fires(&r, "AUCDR-META-06", "/id_token_encrypted_response_alg"));
    assert!(
        check(&before, with(ok.clone(), json!({"response_types": ["code id_token"], "id_token_encrypted_response_alg": "RSA-OAEP"})))
            .is_empty()
    );
    let r = check(&before, with(ok.clone(), json!({"id_token_encrypted_response_alg": "RSA-OAEP"})));
    assert!(fires(&r, "AUCDR-META-06", "/id_token_encrypted_response_alg"), "not with code alone");
    // The request must carry the `_enc` too.
    let mut req = cdr_request();
    req.insert("response_types".into(), json!(["code id_token"]));
    req.insert("id_token_encrypted_response_alg".into(), json!("RSA-OAEP"));
    assert!(fires(&request_report(&cdr(), &req, &cdr_ssa()), "AUCDR-META-06", "/id_token_encrypted_response_enc"));
}

#[test]
fn aucdr_meta_05_hybrid_retired_after_cutoff() {
    let hybrid = json!({"redirect_uris": ["https://adr.example/cb"], "response_types": ["code id_token"], "id_token_encrypted_response_alg": "RSA-OAEP", "authorization_signed_response_alg": "PS256"});
    let mut r = Report::new();
    profiles::check_metadata(&obj(hybrid.clone()), &cdr(), &Context { now: profiles::au_cdr::HYBRID_CUTOFF - 1, ..ctx() }, &mut r);
    assert!(r.is_empty(), "{:#?}", r.violations());
    let mut r = Report::new();
    profiles::check_metadata(&obj(hybrid), &cdr(), &Context { now: profiles::au_cdr::HYBRID_CUTOFF, ..ctx() }, &mut r);
    assert!(fires(&r, "AUCDR-META-05", "/response_types"));
}

#[test]
fn aucdr_ssa_checks_and_merge() {
    let mut r = Report::new();
    profiles::check_ssa_claims(&cdr_ssa(), &cdr(), &mut r);
    assert!(r.is_empty(), "{:#?}", r.violations());
    let mut ssa = cdr_ssa();
    ssa.insert("software_roles".into(), json!("data-holder"));
    let mut r = Report::new();
    profiles::check_ssa_claims(&ssa, &cdr(), &mut r);
    assert!(r.violations().iter().any(|v| v.rule == "AUCDR-SSA-03" && v.error == ErrorCode::InvalidSoftwareStatement));
    // AUCDR-SSA-04 subset, AUCDR-KEYS-01 jwks_uri from the SSA, AUCDR-SSA-06 unsupported scopes dropped.
    let mut p = cdr();
    p.capabilities.scopes_supported =
        Some(["openid", "profile", "bank:accounts.basic:read", "cdr:registration"].map(String::from).to_vec());
    let (client, changes, r) =
        merge(&p, json!({"redirect_uris": ["https://other.example/cb"], "jwks_uri": "https://elsewhere.example/jwks"}), &cdr_ssa());
    assert!(fires(&r, "AUCDR-SSA-04", "/redirect_uris/0"));
    assert_eq!(client["jwks_uri"], json!("https://adr.example/jwks"));
    assert!(
        changes
            .iter()
            .any(|c| c.path == "/jwks_uri" && c.rule == "AUCDR-KEYS-01" && c.from == Some(json!("https://elsewhere.example/jwks")))
    );
    assert_eq!(client["scope"], json!("openid profile bank:accounts.basic:read cdr:registration"));
    assert_eq!(client["org_name"], json!("ADR Brand"), "AUCDR-SSA-05 maps 1:1");
}

// ---------------------------------------------------------------------------
// Open Finance Brasil

fn br() -> Policy {
    recipe(ProfileId::BrOpenFinance)
}

const BR_CERT: &str = "UID=sw-br-1,2.5.4.97=#0C0F4F464242522D6F72672D62722D3031,1.3.6.1.4.1.311.60.2.1.3=#13024252,CN=tpp.example.com.br,OU=org-br-01,O=TPP SA,L=Sao Paulo,ST=SP,C=BR";

fn br_ssa() -> Map<String, Value> {
    obj(json!({
        "iss": "Open Banking Brasil sandbox SSA issuer", "iat": 1_700_000_000, "software_id": "sw-br-1", "org_id": "org-br-01",
        "software_client_name": "TPP App", "software_jwks_uri": "https://keystore.example/org-br-01/sw-br-1/application.jwks",
        "software_redirect_uris": ["https://tpp.example.com.br/cb"],
        "software_statement_roles": [{"role": "DADOS", "status": "Active"}, {"role": "PAGTO", "status": "Inactive"}]
    }))
}

#[test]
fn brof_dn_03_04_certificate_bound_to_ssa() {
    let mut r = Report::new();
    profiles::check_certificate_binding(&br_ssa(), &br(), &ctx_with_cert(BR_CERT), &mut r);
    assert!(r.is_empty(), "{:#?}", r.violations());
    let mut ssa = br_ssa();
    ssa.insert("software_id".into(), json!("sw-other"));
    ssa.insert("org_id".into(), json!("org-other"));
    let mut r = Report::new();
    profiles::check_certificate_binding(&ssa, &br(), &ctx_with_cert(BR_CERT), &mut r);
    assert_eq!(rules(&r), ["BROF-DN-03", "BROF-DN-04"]);
    assert!(r.violations().iter().all(|v| v.source == Source::Context));
    let mut r = Report::new();
    profiles::check_certificate_binding(&br_ssa(), &br(), &ctx(), &mut r);
    assert_eq!(r.violations()[0].reason.as_deref(), Some("missing"));
    // Other profiles bind nothing.
    let mut r = Report::new();
    profiles::check_certificate_binding(&br_ssa(), &ukob(), &ctx(), &mut r);
    assert!(r.is_empty());
}

#[test]
fn brof_dn_05_subject_dn_matches_certificate_not_bytes() {
    let named = "uid=SW-BR-1, organizationIdentifier=OFBBR-org-br-01, jurisdictionCountryName=BR, cn=TPP.example.com.br, ou=org-br-01, o=TPP  SA, l=Sao Paulo, st=SP, c=br";
    let client = with(fapi1_ok(), json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": named}));
    let mut r = Report::new();
    profiles::check_metadata(&obj(client.clone()), &br(), &ctx_with_cert(BR_CERT), &mut r);
    assert!(r.is_empty(), "{:#?}", r.violations());
    let other = with(client, json!({"tls_client_auth_subject_dn": "CN=someone else,C=BR"}));
    let mut r = Report::new();
    profiles::check_metadata(&obj(other), &br(), &ctx_with_cert(BR_CERT), &mut r);
    assert!(fires(&r, "BROF-DN-05", "/tls_client_auth_subject_dn"));
}

#[test]
fn brof_dn_02_and_06_subject_dn_only_and_parseable() {
    let r = check(
        &br(),
        with(
            fapi1_ok(),
            json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "CN=x", "tls_client_auth_san_dns": "x.example"}),
        ),
    );
    assert!(fires(&r, "BROF-DN-02", "/tls_client_auth_san_dns"));
    let r = check(
        &br(),
        with(fapi1_ok(), json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "2.5.4.97=#XYZ,CN=x"})),
    );
    assert!(fires(&r, "BROF-DN-06", "/tls_client_auth_subject_dn"));
    let good = obj(with(fapi1_ok(), json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": BR_CERT})));
    let mut r = Report::new();
    profiles::check_metadata(&good, &br(), &ctx_with_cert(BR_CERT), &mut r);
    assert!(r.is_empty(), "{:#?}", r.violations());
    // Without a presented certificate the binding cannot be checked (BROF-DN-05).
    let mut r = Report::new();
    profiles::check_metadata(&good, &br(), &ctx(), &mut r);
    assert_eq!(r.violations()[0].reason.as_deref(), Some("no_certificate"));
}

#[test]
fn brof_meta_08_webhook_uris() {
    let r = check(
        &br(),
        with(
            fapi1_ok(),
            json!({"webhook_uris": ["https://tpp.example/hooks", "https://tpp.example/hooks/", "http://tpp.example", "https://tpp.example/x?y=1"]}),
        ),
    );
    assert_eq!(rules(&r), ["BROF-META-08", "BROF-META-08", "BROF-META-08"]);
    assert!(r.violations().iter().all(|v| v.error == ErrorCode::InvalidWebhookUris));
    assert!(check(&br(), with(fapi1_ok(), json!({"webhook_uris": ["https://tpp.example/a/b"]}))).is_empty());
}

#[test]
fn brof_ssa_04_redirect_length() {
    let long = format!("https://tpp.example/{}", "a".repeat(240));
    assert!(fires(&check(&br(), with(fapi1_ok(), json!({"redirect_uris": [long]}))), "BROF-SSA-04", "/redirect_uris/0"));
}

#[test]
fn brof_meta_07_and_alg_02_defaults() {
    let mut client = obj(
        json!({"required_auth_time": true, "userinfo_encrypted_response_alg": "RSA-OAEP", "token_endpoint_auth_method": "tls_client_auth"}),
    );
    let mut changes = Vec::new();
    profiles::apply_profile_defaults(&mut client, &br(), &mut changes);
    assert_eq!(client.get("require_auth_time"), Some(&json!(true)));
    assert!(!client.contains_key("required_auth_time"));
    assert_eq!(client["userinfo_encrypted_response_enc"], json!("A256GCM"));
    assert!(changes.iter().any(|c| c.rule == "BROF-ALG-02" && c.path == "/userinfo_encrypted_response_enc"));
    assert!(changes.iter().any(|c| c.rule == "BROF-META-07" && c.action == ChangeAction::Removed));
    assert!(!client.contains_key("request_object_encryption_enc"), "only for a sent alg");
}

#[test]
fn brof_ssa_03_jwks_02_scope_01_ssa_05_merge() {
    let (client, _, r) = merge(&br(), json!({"redirect_uris": ["https://tpp.example.com.br/cb"]}), &br_ssa());
    assert!(r.is_empty(), "{:#?}", r.violations());
    assert_eq!(client["jwks_uri"], json!("https://keystore.example/org-br-01/sw-br-1/application.jwks"));
    assert_eq!(client["client_name"], json!("TPP App"));
    let scope = client["scope"].as_str().unwrap();
    assert!(scope.contains("accounts") && !scope.contains("payments"), "only active roles: {scope}");
    let (_, _, r) = merge(
        &br(),
        json!({"redirect_uris": ["https://tpp.example.com.br/cb"], "jwks_uri": "https://elsewhere/jwks", "scope": "openid payments"}),
        &br_ssa(),
    );
    assert!(fires(&r, "BROF-JWKS-02", "/jwks_uri"));
    assert!(fires(&r, "BROF-SCOPE-01", "/scope"));
    let mut ssa = br_ssa();
    ssa.insert("software_statement_roles".into(), json!([{"role": "DADOS", "status": "Inactive"}]));
    let mut r = Report::new();
    profiles::check_ssa_claims(&ssa, &br(), &mut r);
    assert!(r.violations().iter().any(|v| v.rule == "BROF-SSA-05" && v.error == ErrorCode::UnapprovedSoftwareStatement));
    let mut r = Report::new();
    profiles::check_ssa_claims(&br_ssa(), &br(), &mut r);
    assert!(r.is_empty());
}

// ---------------------------------------------------------------------------
// DN matching (RFC 4517 distinguishedNameMatch)

#[test]
fn rfc8705_auth_02_dn_matching_cases() {
    let m = |a: &str, b: &str| dn::dn_match(a, b).unwrap();
    assert!(m("CN=Client,O=Bank,C=GB", "cn=client,o=bank,c=gb"), "case");
    assert!(m("CN=Client  One,O=Bank", "CN= Client One ,O=Bank"), "insignificant spaces");
    assert!(m("CN=a+OU=b,O=c", "OU=b+CN=a,O=c"), "multi-valued rdn order");
    assert!(!m("CN=a,O=c", "O=c,CN=a"), "rdn order matters");
    assert!(!m("CN=a,O=c", "CN=a"), "rdn count matters");
    assert!(!m("CN=a,O=c", "CN=a,O=d"), "values matter");
    assert!(m("2.5.4.3=x", "CN=x"), "oid vs name");
    assert!(m("CN=#0C0178", "CN=x"), "utf8string hex vs text");
    assert!(m("CN=#130178", "CN=X"), "printablestring hex vs text");
    assert!(m(r"O=A\, B", r"O=a\2C b"), "escapes");
    assert!(dn::parse("CN=a,=b").is_err());
    assert!(dn::parse("C N=a").is_err());
}

// ---------------------------------------------------------------------------
// explain, discovery, docs

#[test]
fn explain_lists_defaults_with_rule_ids() {
    let ex = profiles::explain(&recipe(ProfileId::Fapi1Advanced));
    assert_eq!(ex.profile, "fapi1-advanced");
    assert_eq!(ex.isva_recipe.as_deref(), Some("FAPI_DEFAULT"));
    let defaults = ex.sections.iter().find(|s| s.name == "defaults").unwrap();
    let item = defaults.items.iter().find(|i| i.key == "id_token_signed_response_alg").unwrap();
    assert_eq!(item.value, json!("PS256"));
    assert!(item.rules.contains(&"FAPI1-ALG-03".to_owned()));
    assert!(ex.coded_rules.iter().any(|c| c.rule == "FAPI1-CLIENT-01" && c.hook == "check_metadata"));
    let json = serde_json::to_value(&ex).unwrap();
    assert!(json["sections"].is_array());
    let ex = profiles::explain(&Policy::from_json(r#"{"dynamic_registration": {"mappingrule_id": "dcr"}}"#).unwrap());
    assert!(ex.notes.iter().any(|n| n.contains("ISVA-CONF-02")));
    assert!(ex.notes.iter().any(|n| n.contains("open registration")));
    let uk = profiles::explain(&ukob());
    let ss = uk.sections.iter().find(|s| s.name == "software_statement").unwrap();
    assert!(ss.items.iter().any(|i| i.key == "claim_map/software_redirect_uris" && i.rules == ["UKOB-SSA-03"]));
}

#[test]
fn discovery_from_policy() {
    let d = profiles::discovery(&recipe(ProfileId::Fapi1Advanced));
    assert_eq!(d["token_endpoint_auth_methods_supported"], json!(["private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"]));
    assert_eq!(d["id_token_signing_alg_values_supported"], json!(["PS256", "ES256"]));
    assert_eq!(d["tls_client_certificate_bound_access_tokens"], json!(true));
    assert!(!d.contains_key("require_pushed_authorization_requests"));
    let mut p = recipe(ProfileId::Fapi2);
    p.issuer = Some("https://op.example".into());
    p.capabilities.token_endpoint_auth_methods_supported = Some(vec!["private_key_jwt".into(), "client_secret_basic".into()]);
    let d = profiles::discovery(&p);
    assert_eq!(d["token_endpoint_auth_methods_supported"], json!(["private_key_jwt"]), "capabilities ∩ allowed");
    assert_eq!(d["require_pushed_authorization_requests"], json!(true));
    assert_eq!(d["issuer"], json!("https://op.example"));
    assert_eq!(d["dpop_signing_alg_values_supported"], json!(["PS256", "ES256", "EdDSA"]));
    assert!(profiles::discovery(&recipe(ProfileId::Rfc7591)).is_empty());
}

#[test]
fn docs_profiles_md_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/profiles.md");
    let rendered = profiles::explain::reference_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(concat!(env!("CARGO_MANIFEST_DIR"), "/docs")).unwrap();
        std::fs::write(path, &rendered).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(committed == rendered, "docs/profiles.md is stale: run `UPDATE_DOCS=1 cargo test --test profiles docs_profiles_md_is_current`");
}
