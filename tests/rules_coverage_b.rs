//! Rule-by-rule coverage (part B): every FAPI 1 / FAPI 2 / FAPI 2 Message
//! Signing / UK Open Banking / AU CDR / Open Finance Brasil / ISVA digest rule
//! the engine enforces gets a compliant input that passes and a violating
//! input that fails with the rule ID, the RFC 7591 error code and the JSON
//! Pointer path (or, for recipe / output rules, the recipe's behaviour end to
//! end and a counter-case). Test names start with the rule ID in snake case;
//! each test names its rule ID in full so `untested.py` can find it.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic, clippy::unreachable)]

mod common;

use common::answers::accepted;
use common::ecosystems::{
    BR_ORG, BR_SW, OB_ISS, OB_SW, br_dn, br_jwks_uri, br_md, br_policy, br_ssa, cdr_claims, cdr_policy, cdr_signed, cdr_ssa_with, fapi,
    fapi_md, fapi_req, ukob_request_claims,
};
use common::fixtures::{AS, NOW, REG, ctx, merge, obj, policy, show, tls};

use dcr_policy::host::{BearerContext, Context, SeededRandom};
use dcr_policy::management::{ManagementAnswer, ManagementRequest, Operation, StoredClient, evaluate_management};
use dcr_policy::policy::Policy;
use dcr_policy::registration::{RegistrationAnswer, RegistrationRequest, SuppliedJwks, evaluate_registration};
use dcr_policy::{Change, ChangeAction, ErrorCode, MetadataOutcome, Violation, validate_metadata};
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------- helpers

fn bearer(valid: bool, scopes: &[&str]) -> Option<BearerContext> {
    Some(BearerContext { valid, scopes: scopes.iter().map(|s| (*s).to_owned()).collect(), client_id: None })
}

fn run(req: &RegistrationRequest, p: &Policy) -> RegistrationAnswer {
    evaluate_registration(req, p, &mut SeededRandom::new(11))
}

#[track_caller]
fn has(violations: &[Violation], code: ErrorCode, rule: &str, path: &str, shown: &str) {
    assert!(
        violations.iter().any(|v| v.is_error() && v.error == code && v.rule == rule && v.path == path),
        "expected {rule} ({code:?}) at {path:?} in {shown}"
    );
}

/// Rejected with `status` and top-level `code`, and an error finding of `rule` at `path` with `code`.
#[track_caller]
fn refused(a: &RegistrationAnswer, status: u16, code: ErrorCode, rule: &str, path: &str) {
    match a {
        RegistrationAnswer::Rejected { status: s, error, violations, .. } => {
            assert_eq!((*s, *error), (status, code), "{}", show(a));
            has(violations, code, rule, path, &show(a));
        }
        other => panic!("expected rejected, got {}", show(other)),
    }
}

/// Rejected with `status` / `code` and an error finding at `path`; returns its rule ID.
#[track_caller]
fn refused_at(a: &RegistrationAnswer, status: u16, code: ErrorCode, path: &str) -> String {
    match a {
        RegistrationAnswer::Rejected { status: s, error, violations, .. } => {
            assert_eq!((*s, *error), (status, code), "{}", show(a));
            let v = violations.iter().find(|v| v.is_error() && v.error == code && v.path == path);
            v.unwrap_or_else(|| panic!("expected a finding at {path:?} in {}", show(a))).rule.clone()
        }
        other => panic!("expected rejected, got {}", show(other)),
    }
}

#[track_caller]
fn mrefused(a: &ManagementAnswer, status: u16, code: ErrorCode, rule: &str, path: &str) {
    match a {
        ManagementAnswer::Rejected { status: s, error, violations, .. } => {
            assert_eq!((*s, *error), (status, code), "{}", show(a));
            has(violations, code, rule, path, &show(a));
        }
        other => panic!("expected rejected, got {}", show(other)),
    }
}

#[track_caller]
fn maccepted(a: &ManagementAnswer, want: u16) -> (Option<&Map<String, Value>>, &Vec<Change>) {
    match a {
        ManagementAnswer::Accepted { status, response, changes, .. } => {
            assert_eq!(*status, want, "{}", show(a));
            (response.as_ref(), changes)
        }
        other => panic!("expected accepted, got {}", show(other)),
    }
}

#[track_caller]
fn md_ok(o: &MetadataOutcome) {
    assert!(!o.violations.iter().any(Violation::is_error), "{}", show(&o.violations));
}

#[track_caller]
fn md_refused(o: &MetadataOutcome, code: ErrorCode, rule: &str, path: &str) {
    has(&o.violations, code, rule, path, &show(&o.violations));
}

#[track_caller]
fn change<'a>(changes: &'a [Change], path: &str) -> &'a Change {
    changes.iter().find(|c| c.path == path).unwrap_or_else(|| panic!("no change at {path}: {changes:?}"))
}

fn stored_from(a: &RegistrationAnswer) -> (StoredClient, Option<String>) {
    match a {
        RegistrationAnswer::Accepted { client, response, registration_access_token_hash, registration_access_token_expires_at, .. } => (
            StoredClient {
                client: client.clone(),
                registration_access_token_hash: registration_access_token_hash.clone(),
                registration_access_token_expires_at: *registration_access_token_expires_at,
            },
            response.get("registration_access_token").and_then(Value::as_str).map(str::to_owned),
        ),
        other => panic!("{}", show(other)),
    }
}

fn mcall(op: Operation, stored: &StoredClient, token: Option<&str>, body: Option<Value>, context: Context) -> ManagementRequest {
    ManagementRequest {
        operation: op,
        client_id: stored.client["client_id"].as_str().unwrap().to_owned(),
        stored: Some(stored.clone()),
        registration_access_token: token.map(str::to_owned),
        content_type: body.as_ref().map(|_| "application/json".to_owned()),
        body: body.map(|b| b.to_string()),
        context: Context { now: NOW + 10, ..context },
        jwks: SuppliedJwks::default(),
        sector_identifier: None,
    }
}

fn mrun(req: &ManagementRequest, p: &Policy) -> ManagementAnswer {
    evaluate_management(req, p, &mut SeededRandom::new(5))
}

// ---------------------------------------------------------------- FAPI 1 Advanced / FAPI 2 / FAPI 2 Message Signing

fn fapi_run(profile: &str, over: Value) -> RegistrationAnswer {
    run(&fapi_req(fapi_md(over)), &fapi(profile))
}

#[test]
fn fapi1_auth_02_absent_auth_method_takes_the_profile_default_not_client_secret_basic() {
    // FAPI1-AUTH-02: the profile default, recorded as a change citing the rule.
    let a = fapi_run("fapi1-advanced", json!({"token_endpoint_auth_method": null}));
    let (client, response, changes) = accepted(&a);
    assert_eq!(client["token_endpoint_auth_method"], json!("private_key_jwt"));
    assert!(!response.contains_key("client_secret"));
    let c = change(changes, "/token_endpoint_auth_method");
    assert_eq!((c.action, c.rule.as_str()), (ChangeAction::Defaulted, "FAPI1-AUTH-02"));
    // Counter-case: the RFC 7591 default, which FAPI 1 then refuses when asked for.
    let o = validate_metadata(&obj(json!({"redirect_uris": ["https://client.example.com/cb"]})), &fapi("oidc"));
    assert_eq!(o.client["token_endpoint_auth_method"], json!("client_secret_basic"));
    refused(
        &fapi_run("fapi1-advanced", json!({"token_endpoint_auth_method": "client_secret_basic"})),
        400,
        ErrorCode::InvalidClientMetadata,
        "FAPI1-AUTH-01",
        "/token_endpoint_auth_method",
    );
}

#[test]
fn fapi2_auth_02_absent_auth_method_takes_the_profile_default() {
    // FAPI2-AUTH-02
    for profile in ["fapi2", "fapi2-message-signing"] {
        let a = fapi_run(profile, json!({"token_endpoint_auth_method": null}));
        let (client, _, changes) = accepted(&a);
        assert_eq!(client["token_endpoint_auth_method"], json!("private_key_jwt"));
        assert_eq!(change(changes, "/token_endpoint_auth_method").rule, "FAPI2-AUTH-02");
        refused(
            &fapi_run(profile, json!({"token_endpoint_auth_method": "client_secret_basic"})),
            400,
            ErrorCode::InvalidClientMetadata,
            "FAPI2-AUTH-01",
            "/token_endpoint_auth_method",
        );
    }
}

#[test]
fn fapi1_auth_04_tls_client_auth_needs_exactly_one_subject_parameter() {
    // FAPI1-AUTH-04 (RFC8705-AUTH-01 under FAPI 1)
    let ok = fapi_run(
        "fapi1-advanced",
        json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "CN=client.example.com,O=Example,C=GB"}),
    );
    accepted(&ok);
    let two = fapi_run(
        "fapi1-advanced",
        json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "CN=client.example.com,O=Example,C=GB",
            "tls_client_auth_san_dns": "client.example.com"}),
    );
    refused(&two, 400, ErrorCode::InvalidClientMetadata, "RFC8705-AUTH-01", "/tls_client_auth_san_dns");
    let none = fapi_run("fapi1-advanced", json!({"token_endpoint_auth_method": "tls_client_auth"}));
    refused(&none, 400, ErrorCode::InvalidClientMetadata, "RFC8705-AUTH-01", "/token_endpoint_auth_method");
}

#[test]
fn fapi1_key_02_ec_keys_must_show_enough_bits() {
    // FAPI1-KEY-02: P-256 (256 bits) passes; a curve that cannot show its size is refused under FAPI 1.
    let p = fapi("fapi1-advanced");
    let p256 = common::public_jwk("software-p256");
    md_ok(&validate_metadata(&obj(fapi_md(json!({"jwks_uri": null, "jwks": {"keys": [p256.clone()]}}))), &p));
    let mut odd = p256;
    odd["crv"] = json!("secp160r1");
    let o = validate_metadata(&obj(fapi_md(json!({"jwks_uri": null, "jwks": {"keys": [odd.clone()]}}))), &p);
    md_refused(&o, ErrorCode::InvalidClientMetadata, "FAPI1-KEY-02", "/jwks/keys/0/crv");
    // Counter-case: outside FAPI an unregistered curve is not refused for its size.
    let o = validate_metadata(&obj(fapi_md(json!({"jwks_uri": null, "jwks": {"keys": [odd]}}))), &fapi("oidc"));
    assert!(!o.violations.iter().any(|v| v.rule == "FAPI1-KEY-02"), "{}", show(&o.violations));
}

#[test]
fn fapi1_redirect_01_a_client_of_the_authorization_endpoint_registers_redirect_uris() {
    // FAPI1-REDIRECT-01 (enforced through OIDCDCR-REDIRECT-01: FAPI always has response types)
    accepted(&fapi_run("fapi1-advanced", json!({})));
    for missing in [json!(null), json!([])] {
        refused(
            &fapi_run("fapi1-advanced", json!({"redirect_uris": missing})),
            400,
            ErrorCode::InvalidRedirectUri,
            "OIDCDCR-REDIRECT-01",
            "/redirect_uris",
        );
    }
}

#[test]
fn fapi1_resp_03_code_id_token_gets_signed_and_optionally_encrypted_id_tokens() {
    // FAPI1-RESP-03
    let hybrid = json!({"response_types": ["code id_token"], "grant_types": ["authorization_code", "implicit"]});
    let a = fapi_run(
        "fapi1-advanced",
        merge(hybrid.clone(), json!({"id_token_encrypted_response_alg": "RSA-OAEP", "id_token_encrypted_response_enc": "A256GCM"})),
    );
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["id_token_signed_response_alg"], json!("PS256"));
    assert!(changes.iter().any(|c| c.path == "/id_token_signed_response_alg" && c.action == ChangeAction::Defaulted));
    assert_eq!(client["id_token_encrypted_response_alg"], json!("RSA-OAEP"));
    accepted(&fapi_run("fapi1-advanced", merge(hybrid.clone(), json!({"id_token_signed_response_alg": "ES256"}))));
    for alg in ["RS256", "none", "HS256"] {
        let a = fapi_run("fapi1-advanced", merge(hybrid.clone(), json!({"id_token_signed_response_alg": alg})));
        let p = fapi("fapi1-advanced");
        let rule = p.rule_for("/allowed/id_token_signed_response_alg").to_owned();
        refused(&a, 400, ErrorCode::InvalidClientMetadata, &rule, "/id_token_signed_response_alg");
    }
}

#[test]
fn fapi1_secret_01_a_symmetric_key_gets_a_secret_of_at_least_128_bits() {
    // FAPI1-SECRET-01: private_key_jwt alone issues no secret; a symmetric
    // JWE key-wrap alg makes the engine issue one of >= 128 bits.
    let a = fapi_run("fapi1-advanced", json!({}));
    let (_, response, _) = accepted(&a);
    assert!(!response.contains_key("client_secret"));
    let a = fapi_run("fapi1-advanced", json!({"id_token_encrypted_response_alg": "A256KW", "id_token_encrypted_response_enc": "A256GCM"}));
    let (client, response, _) = accepted(&a);
    let secret = response["client_secret"].as_str().unwrap();
    assert!(dcr_policy::jose::b64::decode(secret).unwrap().len() >= 16, "{secret}");
    assert_eq!(client["client_secret_expires_at"], json!(0));
    assert!(dcr_policy::credentials::needs_secret(&obj(
        json!({"token_endpoint_auth_method": "private_key_jwt", "id_token_encrypted_response_alg": "A256KW"})
    )));
}

const FAPI2_ALG_FIELDS: [&str; 5] = [
    "id_token_signed_response_alg",
    "request_object_signing_alg",
    "token_endpoint_auth_signing_alg",
    "userinfo_signed_response_alg",
    "authorization_signed_response_alg",
];

#[test]
fn fapi2_alg_01_only_ps256_es256_eddsa_and_never_none() {
    // FAPI2-ALG-01
    let p = fapi("fapi2");
    for field in FAPI2_ALG_FIELDS {
        for alg in ["PS256", "ES256", "EdDSA"] {
            accepted(&fapi_run("fapi2", json!({ field: alg })));
        }
        let rule = p.rule_for(&format!("/allowed/{field}")).to_owned();
        assert!(p.cites(&format!("/allowed/{field}")).iter().any(|r| r == "FAPI2-ALG-01"), "{field}");
        for alg in ["RS256", "none", "HS256"] {
            refused(&fapi_run("fapi2", json!({ field: alg })), 400, ErrorCode::InvalidClientMetadata, &rule, &format!("/{field}"));
        }
    }
    assert_eq!(p.rule_for("/allowed/id_token_signed_response_alg"), "FAPI2-ALG-01");
}

#[test]
fn fapi2_alg_02_signing_alg_defaults_are_the_profiles() {
    // FAPI2-ALG-02: PS256, not OIDC's RS256.
    let a = fapi_run("fapi2", json!({}));
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["id_token_signed_response_alg"], json!("PS256"));
    assert_eq!(change(changes, "/id_token_signed_response_alg").rule, "FAPI2-ALG-02");
    // a value sent is kept
    let a = fapi_run("fapi2", json!({"id_token_signed_response_alg": "ES256"}));
    let (client, ..) = accepted(&a);
    assert_eq!(client["id_token_signed_response_alg"], json!("ES256"));
    // Counter-case: plain OIDC defaults to RS256.
    let o = validate_metadata(&obj(json!({"redirect_uris": ["https://client.example.com/cb"]})), &fapi("oidc"));
    assert_ne!(o.client.get("id_token_signed_response_alg"), Some(&json!("PS256")));
}

#[test]
fn fapi2_auth_03_token_endpoint_auth_signing_alg_is_a_fapi2_alg() {
    // FAPI2-AUTH-03
    let a = fapi_run("fapi2", json!({}));
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["token_endpoint_auth_signing_alg"], json!("PS256"));
    assert_eq!(change(changes, "/token_endpoint_auth_signing_alg").rule, "FAPI2-AUTH-03");
    for alg in ["RS256", "HS256", "none"] {
        refused(
            &fapi_run("fapi2", json!({"token_endpoint_auth_signing_alg": alg})),
            400,
            ErrorCode::InvalidClientMetadata,
            "FAPI2-AUTH-03",
            "/token_endpoint_auth_signing_alg",
        );
    }
}

#[test]
fn fapi2_entropy_01_issued_credentials_carry_at_least_128_bits() {
    // FAPI2-ENTROPY-01: the registration access token and client_id are 256 random bits.
    let mut seen = Vec::new();
    for seed in [1, 2] {
        let a = evaluate_registration(&fapi_req(fapi_md(json!({}))), &fapi("fapi2"), &mut SeededRandom::new(seed));
        let (client, response, _) = accepted(&a);
        let rat = response["registration_access_token"].as_str().unwrap();
        assert!(dcr_policy::jose::b64::decode(rat).unwrap().len() >= 16, "{rat}");
        let id = client["client_id"].as_str().unwrap();
        assert!(dcr_policy::jose::b64::decode(id).unwrap().len() >= 16, "{id}");
        seen.push(rat.to_owned());
    }
    // Counter-case: different randomness, different tokens (nothing fixed or derived).
    assert_ne!(seen[0], seen[1]);
}

#[test]
fn fapi2_grant_01_password_grant_is_refused() {
    // FAPI2-GRANT-01
    accepted(&fapi_run("fapi2", json!({"grant_types": ["authorization_code", "client_credentials", "refresh_token"]})));
    refused(
        &fapi_run("fapi2", json!({"grant_types": ["authorization_code", "password"]})),
        400,
        ErrorCode::InvalidClientMetadata,
        "FAPI2-GRANT-01",
        "/grant_types/1",
    );
    // A policy cannot allow it either.
    let err = Policy::from_json(&json!({"profile": "fapi2", "allowed": {"grant_types": ["authorization_code", "password"]}}).to_string())
        .unwrap_err();
    assert!(err.iter().any(|v| v.rule == "FAPI2-GRANT-01"), "{err:?}");
}

#[test]
fn fapi2_grant_02_implicit_grant_is_refused() {
    // FAPI2-GRANT-02 (same allow-list as FAPI2-GRANT-01, which it cites first)
    let p = fapi("fapi2");
    assert!(p.cites("/allowed/grant_types").iter().any(|r| r == "FAPI2-GRANT-02"));
    refused(
        &fapi_run("fapi2", json!({"grant_types": ["authorization_code", "implicit"]})),
        400,
        ErrorCode::InvalidClientMetadata,
        "FAPI2-GRANT-01",
        "/grant_types/1",
    );
    accepted(&fapi_run("fapi2", json!({"grant_types": ["authorization_code"]})));
}

#[test]
fn fapi2_mtls_02_use_mtls_endpoint_aliases_is_a_boolean() {
    // FAPI2-MTLS-02
    for v in [true, false] {
        let a = fapi_run("fapi2", json!({"use_mtls_endpoint_aliases": v}));
        let (client, ..) = accepted(&a);
        assert_eq!(client["use_mtls_endpoint_aliases"], json!(v));
    }
    for bad in [json!("true"), json!(1), json!(["x"])] {
        let a = fapi_run("fapi2", json!({"use_mtls_endpoint_aliases": bad}));
        refused(&a, 400, ErrorCode::InvalidClientMetadata, "RFC7591-META-04", "/use_mtls_endpoint_aliases");
    }
}

#[test]
fn fapi2_oidc_01_fapi2_registration_also_follows_oidc_dcr() {
    // FAPI2-OIDC-01: OIDC DCR defaults and rules apply under fapi2, not under plain RFC 7591.
    let a = fapi_run("fapi2", json!({}));
    let (client, ..) = accepted(&a);
    assert_eq!(client["application_type"], json!("web"), "OIDCDCR-APPTYPE-01 default");
    refused(
        &fapi_run("fapi2", json!({"redirect_uris": null})),
        400,
        ErrorCode::InvalidRedirectUri,
        "OIDCDCR-REDIRECT-01",
        "/redirect_uris",
    );
    let plain = validate_metadata(&obj(json!({"grant_types": ["authorization_code"]})), &fapi("rfc7591"));
    assert!(!plain.client.contains_key("application_type"));
    md_refused(&plain, ErrorCode::InvalidRedirectUri, "RFC7591-REDIRECT-01", "/redirect_uris");
    assert!(!plain.violations.iter().any(|v| v.rule.starts_with("OIDCDCR-")), "{}", show(&plain.violations));
}

#[test]
fn fapi2_redirect_02_unregistered_redirect_uris_only_when_the_switch_is_off() {
    // FAPI2-REDIRECT-02: default `require_registered_redirect_uris: true` refuses a client without redirect URIs.
    refused(
        &fapi_run("fapi2", json!({"redirect_uris": null})),
        400,
        ErrorCode::InvalidRedirectUri,
        "OIDCDCR-REDIRECT-01",
        "/redirect_uris",
    );
    let off = policy(json!({"profile": "fapi2", "issuer": AS, "registration_endpoint": REG,
        "switches": {"require_registered_redirect_uris": false}}));
    assert_eq!(off.cites("/switches/require_registered_redirect_uris"), ["FAPI2-REDIRECT-02".to_owned()]);
    // switch off: a confidential PAR client (PAR is enforced by fapi2) may register none
    let a = run(&fapi_req(fapi_md(json!({"redirect_uris": null}))), &off);
    let (client, ..) = accepted(&a);
    assert!(!client.contains_key("redirect_uris"));
    assert_eq!(client["require_pushed_authorization_requests"], json!(true));
    // ... but not with a sector_identifier_uri (its content lists the redirect URIs)
    let a =
        run(&fapi_req(fapi_md(json!({"redirect_uris": null, "sector_identifier_uri": "https://client.example.com/sector.json"}))), &off);
    refused(&a, 400, ErrorCode::InvalidRedirectUri, "OIDCDCR-REDIRECT-01", "/redirect_uris");
}

#[test]
fn fapi2ms_intro_01_introspection_signed_response_alg_is_a_fapi2_alg() {
    // FAPI2MS-INTRO-01
    let p = fapi("fapi2-message-signing");
    assert_eq!(p.rule_for("/allowed/introspection_signed_response_alg"), "FAPI2MS-INTRO-01");
    for alg in ["PS256", "ES256", "EdDSA"] {
        let a = fapi_run("fapi2-message-signing", json!({"introspection_signed_response_alg": alg}));
        let (client, ..) = accepted(&a);
        assert_eq!(client["introspection_signed_response_alg"], json!(alg));
    }
    for alg in ["RS256", "none"] {
        refused(
            &fapi_run("fapi2-message-signing", json!({"introspection_signed_response_alg": alg})),
            400,
            ErrorCode::InvalidClientMetadata,
            "FAPI2MS-INTRO-01",
            "/introspection_signed_response_alg",
        );
    }
}

#[test]
fn fapi2ms_jarm_01_authorization_signed_response_alg_defaults_to_ps256_and_is_a_fapi2_alg() {
    // FAPI2MS-JARM-01
    let a = fapi_run("fapi2-message-signing", json!({}));
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["authorization_signed_response_alg"], json!("PS256"));
    assert_eq!(change(changes, "/authorization_signed_response_alg").rule, "FAPI2MS-JARM-01");
    let a = fapi_run("fapi2-message-signing", json!({"authorization_signed_response_alg": "ES256"}));
    assert_eq!(accepted(&a).0["authorization_signed_response_alg"], json!("ES256"));
    for alg in ["RS256", "none"] {
        refused(
            &fapi_run("fapi2-message-signing", json!({"authorization_signed_response_alg": alg})),
            400,
            ErrorCode::InvalidClientMetadata,
            "FAPI2MS-JARM-01",
            "/authorization_signed_response_alg",
        );
    }
}

// ---------------------------------------------------------------- UK Open Banking

const OB_ORG: &str = "0015800001041REAAY";
const CIBA: &str = "urn:openid:params:grant-type:ciba";

fn ob_dn() -> String {
    format!("CN={OB_SW},OU={OB_ORG},O=OpenBanking,C=GB")
}

fn ukob_policy_with(over: Value) -> Policy {
    policy(merge(
        json!({"profile": "uk-openbanking", "issuer": AS, "registration_endpoint": REG, "software_statement": {"trusted_issuers": [OB_ISS]}}),
        over,
    ))
}

fn ukob_ssa_claims(over: Value) -> Value {
    merge(
        json!({
            "iss": OB_ISS, "iat": NOW - 60, "jti": "ssa-ob-1", "software_id": OB_SW, "software_client_id": OB_SW,
            "software_client_name": "Budget Buddy", "software_redirect_uris": ["https://tpp.example.com/cb"],
            "software_roles": ["AISP", "PISP"], "software_jwks_endpoint": "https://keystore.example/tpp.jwks",
            "org_status": "Active", "org_id": OB_ORG
        }),
        over,
    )
}

fn ukob_ssa_with(header: Value, over: Value) -> String {
    let alg = header["alg"].as_str().unwrap().to_owned();
    common::sign(&alg, &common::private_jwk("directory-rsa2048"), &header, &ukob_ssa_claims(over))
}

fn ukob_ssa(over: Value) -> String {
    ukob_ssa_with(json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}), over)
}

fn ukob_claims(over: Value) -> Value {
    ukob_request_claims(ukob_ssa(json!({})), over)
}

fn ukob_req(claims: &Value) -> RegistrationRequest {
    RegistrationRequest {
        body: common::sign("PS256", &common::private_jwk("software-rsa2048"), &json!({"alg": "PS256", "kid": "software-rsa2048"}), claims),
        content_type: Some("application/jwt".into()),
        context: Context { tls: tls(&ob_dn()), ..ctx() },
        jwks: SuppliedJwks {
            software_statement: Some(common::jwks_value(&["directory-rsa2048"])),
            software: Some(common::jwks_value(&["software-rsa2048"])),
        },
        sector_identifier: None,
    }
}

fn ukob_with(p: &Policy, over: Value) -> RegistrationAnswer {
    run(&ukob_req(&ukob_claims(over)), p)
}

fn ukob(over: Value) -> RegistrationAnswer {
    ukob_with(&ukob_policy_with(json!({})), over)
}

#[test]
fn ukob_ciba_01_delivery_mode_poll_or_ping_iff_the_ciba_grant() {
    // UKOB-CIBA-01
    let ciba = json!({"grant_types": ["client_credentials", CIBA], "response_types": [], "redirect_uris": null,
        "backchannel_authentication_request_signing_alg": "PS256", "backchannel_user_code_parameter": false});
    let a = ukob(merge(ciba.clone(), json!({"backchannel_token_delivery_mode": "poll"})));
    let (client, ..) = accepted(&a);
    assert_eq!(client["backchannel_token_delivery_mode"], json!("poll"));
    refused(
        &ukob(merge(ciba.clone(), json!({"backchannel_token_delivery_mode": "push"}))),
        400,
        ErrorCode::InvalidClientMetadata,
        "UKOB-CIBA-01",
        "/backchannel_token_delivery_mode",
    );
    // present without the CIBA grant
    refused(
        &ukob(json!({"backchannel_token_delivery_mode": "poll"})),
        400,
        ErrorCode::InvalidClientMetadata,
        "UKOB-CIBA-01",
        "/backchannel_token_delivery_mode",
    );
}

#[test]
fn ukob_ciba_03_backchannel_request_signing_alg_es256_or_ps256() {
    // UKOB-CIBA-03
    let ciba = json!({"grant_types": ["client_credentials", CIBA], "response_types": [], "redirect_uris": null,
        "backchannel_token_delivery_mode": "poll", "backchannel_user_code_parameter": false});
    for alg in ["PS256", "ES256"] {
        accepted(&ukob(merge(ciba.clone(), json!({"backchannel_authentication_request_signing_alg": alg}))));
    }
    refused(
        &ukob(merge(ciba, json!({"backchannel_authentication_request_signing_alg": "RS256"}))),
        400,
        ErrorCode::InvalidClientMetadata,
        "UKOB-CIBA-03",
        "/backchannel_authentication_request_signing_alg",
    );
    // present without the CIBA grant
    refused(
        &ukob(json!({"backchannel_authentication_request_signing_alg": "PS256"})),
        400,
        ErrorCode::InvalidClientMetadata,
        "UKOB-CIBA-03",
        "/backchannel_authentication_request_signing_alg",
    );
}

#[test]
fn ukob_err_01_refusals_use_an_rfc7591_code_and_a_short_description() {
    // UKOB-ERR-01
    const RFC7591: [ErrorCode; 4] = [
        ErrorCode::InvalidRedirectUri,
        ErrorCode::InvalidClientMetadata,
        ErrorCode::InvalidSoftwareStatement,
        ErrorCode::UnapprovedSoftwareStatement,
    ];
    let many: Vec<String> = (0..200).map(|i| format!("http://tpp{i}.example.com/cb")).collect();
    for over in [
        json!({"redirect_uris": many}),
        json!({"token_endpoint_auth_method": "client_secret_basic", "grant_types": ["password"], "response_types": ["token"]}),
        json!({"software_statement": "not.a.jwt"}),
        json!({"software_statement": ukob_ssa(json!({"iss": "Somebody Else"}))}),
    ] {
        let a = ukob(over);
        let RegistrationAnswer::Rejected { status: 400, error, error_description, .. } = &a else { panic!("{}", show(&a)) };
        assert!(RFC7591.contains(error), "{error:?}");
        assert!(!error_description.is_empty() && error_description.chars().count() <= 500, "{}", error_description.len());
    }
    let RegistrationAnswer::Rejected { error_description, .. } = ukob(json!({"redirect_uris": ["https://other.example/cb"]})) else {
        panic!()
    };
    assert!(!error_description.ends_with("..."), "a short description is not cut: {error_description}");
}

#[test]
fn ukob_meta_03_auth_method_is_required_and_private_key_jwt_or_tls_client_auth() {
    // UKOB-META-03
    accepted(&ukob(json!({})));
    accepted(&ukob(json!({"token_endpoint_auth_method": "tls_client_auth", "token_endpoint_auth_signing_alg": null,
        "tls_client_auth_subject_dn": ob_dn()})));
    for m in ["client_secret_basic", "client_secret_post", "client_secret_jwt"] {
        refused(
            &ukob(json!({"token_endpoint_auth_method": m})),
            400,
            ErrorCode::InvalidClientMetadata,
            "UKOB-META-03",
            "/token_endpoint_auth_method",
        );
    }
    refused(
        &ukob(json!({"token_endpoint_auth_method": null})),
        400,
        ErrorCode::InvalidClientMetadata,
        "UKOB-META-03",
        "/token_endpoint_auth_method",
    );
}

#[test]
fn ukob_meta_04_grant_types_from_the_enumeration_without_implicit() {
    // UKOB-META-04: `code id_token` needs no `implicit` grant (lenient hybrid).
    let a = ukob(json!({"grant_types": ["authorization_code"]}));
    let (client, ..) = accepted(&a);
    assert_eq!(client["grant_types"], json!(["authorization_code"]));
    refused(
        &ukob(json!({"grant_types": ["authorization_code", "implicit"]})),
        400,
        ErrorCode::InvalidClientMetadata,
        "UKOB-META-04",
        "/grant_types/1",
    );
    refused(&ukob(json!({"grant_types": ["password"]})), 400, ErrorCode::InvalidClientMetadata, "UKOB-META-04", "/grant_types/0");
    refused(&ukob(json!({"grant_types": null})), 400, ErrorCode::InvalidClientMetadata, "UKOB-META-04", "/grant_types");
}

#[test]
fn ukob_meta_13_unsupported_values_are_refused_and_unprocessable_claims_ignored() {
    // UKOB-META-13: an unsupported value is refused (never silently kept) ...
    refused(&ukob(json!({"response_types": ["token"]})), 400, ErrorCode::InvalidClientMetadata, "UKOB-META-05", "/response_types/0");
    // ... a replaced value is returned with the replacement (the SSA's client name wins) ...
    let a = ukob(json!({"client_name": "Other Name"}));
    let (_, response, changes) = accepted(&a);
    assert_eq!(response["client_name"], json!("Budget Buddy"));
    assert!(changes.iter().any(|c| c.path == "/client_name"), "{changes:?}");
    // ... and a claim the server cannot process may be ignored without error.
    accepted(&ukob(json!({"x_tpp_internal": "v"})));
}

fn ob_register(p: &Policy) -> StoredClient {
    stored_from(&ukob_with(p, json!({}))).0
}

fn ob_mcall(op: Operation, stored: &StoredClient) -> ManagementRequest {
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    let context = Context { tls: tls(&ob_dn()), bearer: Some(BearerContext { valid: true, scopes: vec![], client_id: Some(id) }), ..ctx() };
    mcall(op, stored, None, None, context)
}

#[test]
fn ukob_mgmt_06_get_put_delete_are_optional_for_the_aspsp() {
    // UKOB-MGMT-06: enabled, DELETE answers 204; disabled by policy, 405 citing the rule.
    let on = ukob_policy_with(json!({}));
    let stored = ob_register(&on);
    maccepted(&mrun(&ob_mcall(Operation::Delete, &stored), &on), 204);
    let off = ukob_policy_with(json!({"management": {"allow_delete": false, "allow_update": false}}));
    let stored = ob_register(&off);
    mrefused(&mrun(&ob_mcall(Operation::Delete, &stored), &off), 405, ErrorCode::InvalidRequest, "UKOB-MGMT-06", "");
    maccepted(&mrun(&ob_mcall(Operation::Read, &stored), &off), 200);
}

#[test]
fn ukob_req_02_request_claims_iss_iat_exp_aud_jti_are_required() {
    // UKOB-REQ-02
    accepted(&ukob(json!({})));
    // the JWT layer reports a missing claim (JWT-CLAIM-*) from the list the profile cites as UKOB-REQ-02
    let p = ukob_policy_with(json!({}));
    assert_eq!(p.rule_for("/request_jwt/required_claims"), "UKOB-REQ-02");
    for claim in ["iss", "iat", "exp", "aud", "jti"] {
        assert!(p.request_jwt.required_claims.iter().any(|c| c == claim), "{claim}");
        let rule = refused_at(&ukob(json!({ claim: null })), 400, ErrorCode::InvalidClientMetadata, &format!("/{claim}"));
        assert!(rule.starts_with("JWT-CLAIM-"), "{claim}: {rule}");
    }
}

#[test]
fn ukob_req_06_aud_is_one_of_the_accepted_audiences() {
    // UKOB-REQ-06
    let p = ukob_policy_with(json!({"request_jwt": {"audience": [OB_ORG]}}));
    accepted(&ukob_with(&p, json!({"aud": OB_ORG})));
    assert_eq!(p.rule_for("/request_jwt/audience"), "UKOB-REQ-06");
    refused(&ukob_with(&p, json!({"aud": "0015800001041RHAAY"})), 400, ErrorCode::InvalidClientMetadata, "JWT-CLAIM-06", "/aud");
}

#[test]
fn ukob_ssa_01_statements_only_from_trusted_issuers() {
    // UKOB-SSA-01
    accepted(&ukob(json!({})));
    let a = ukob(json!({"software_statement": ukob_ssa(json!({"iss": "Another Directory"}))}));
    refused(&a, 400, ErrorCode::UnapprovedSoftwareStatement, "RFC7591-SS-05", "/iss");
    assert_eq!(ukob_policy_with(json!({})).rule_for("/software_statement/trusted_issuers"), "UKOB-SSA-01");
}

#[test]
fn ukob_ssa_02_statement_header_typ_jwt_and_es256_or_ps256() {
    // UKOB-SSA-02
    accepted(&ukob(json!({})));
    let p = ukob_policy_with(json!({}));
    assert_eq!(p.rule_for("/software_statement/typ"), "UKOB-SSA-02");
    assert_eq!(p.rule_for("/software_statement/signing_algs"), "UKOB-SSA-02");
    for (header, rule, path) in [
        (json!({"alg": "RS256", "kid": "directory-rsa2048", "typ": "JWT"}), "JWT-ALG-02", "/alg"),
        (json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "at+jwt"}), "JWT-TYP-01", "/typ"),
        (json!({"alg": "PS256", "kid": "directory-rsa2048"}), "JWT-TYP-01", "/typ"),
    ] {
        let a = ukob(json!({"software_statement": ukob_ssa_with(header, json!({}))}));
        refused(&a, 400, ErrorCode::InvalidSoftwareStatement, rule, path);
    }
}

#[test]
fn ukob_ssa_04_statement_carries_software_id_iss_iat_jti() {
    // UKOB-SSA-04
    for claim in ["software_id", "iss", "iat", "jti"] {
        let a = ukob(json!({"software_statement": ukob_ssa(json!({ claim: null }))}));
        let RegistrationAnswer::Rejected { status: 400, error, .. } = &a else { panic!("{claim}: {}", show(&a)) };
        // without `iss` the statement cannot be from a trusted issuer
        let want = if claim == "iss" { ErrorCode::UnapprovedSoftwareStatement } else { ErrorCode::InvalidSoftwareStatement };
        assert_eq!(*error, want, "{claim}: {}", show(&a));
    }
    let p = ukob_policy_with(json!({}));
    assert!(p.software_statement.required_claims.iter().any(|c| c == "software_id"));
    assert_eq!(p.rule_for("/software_statement/required_claims"), "UKOB-SSA-04");
}

#[test]
fn ukob_ssa_07_statement_keys_come_from_the_agreed_key_set_never_the_header() {
    // UKOB-SSA-07: a statement signed by a key it carries itself is refused.
    let attacker = common::private_jwk("software-p256");
    let header = json!({"alg": "ES256", "kid": "directory-rsa2048", "typ": "JWT", "jwk": common::public_jwk("software-p256")});
    let forged = common::sign("ES256", &attacker, &header, &ukob_ssa_claims(json!({})));
    let a = ukob(json!({"software_statement": forged}));
    let RegistrationAnswer::Rejected { status: 400, error: ErrorCode::InvalidSoftwareStatement, .. } = &a else { panic!("{}", show(&a)) };
    let header = json!({"alg": "PS256", "kid": "software-rsa2048", "typ": "JWT", "jku": "https://attacker.example/jwks"});
    let forged = common::sign("PS256", &common::private_jwk("software-rsa2048"), &header, &ukob_ssa_claims(json!({})));
    let RegistrationAnswer::Rejected { status: 400, error: ErrorCode::InvalidSoftwareStatement, .. } =
        ukob(json!({"software_statement": forged}))
    else {
        panic!("jku statement accepted")
    };
    // the agreed key set verifies the genuine statement
    accepted(&ukob(json!({})));
}

// ---------------------------------------------------------------- AU CDR

fn cdr_req(claims: &Value) -> RegistrationRequest {
    cdr_signed("PS256", "software-rsa2048", claims)
}

fn cdr(over: Value) -> RegistrationAnswer {
    run(&cdr_req(&cdr_claims(over)), &cdr_policy())
}

#[test]
fn aucdr_auth_01_register_over_mtls_without_client_authentication() {
    // AUCDR-AUTH-01: mTLS, no bearer token needed.
    let p = cdr_policy();
    assert!(p.endpoint.require_mtls && !p.endpoint.require_bearer_token);
    let mut req = cdr_req(&cdr_claims(json!({})));
    assert!(req.context.bearer.is_none());
    accepted(&run(&req, &p));
    req.context.tls = None;
    refused(&run(&req, &p), 401, ErrorCode::InvalidClient, "ISVA-AUTH-01", "/tls");
}

#[test]
fn aucdr_client_01_only_confidential_clients() {
    // AUCDR-CLIENT-01 (with AUCDR-META-02)
    let p = cdr_policy();
    assert!(p.cites("/allowed/token_endpoint_auth_method").iter().any(|r| r == "AUCDR-CLIENT-01"));
    accepted(&cdr(json!({})));
    for m in ["none", "client_secret_basic"] {
        refused(
            &cdr(json!({"token_endpoint_auth_method": m})),
            400,
            ErrorCode::InvalidClientMetadata,
            "AUCDR-META-02",
            "/token_endpoint_auth_method",
        );
    }
}

#[test]
fn aucdr_err_01_registration_errors_use_the_rfc7591_codes() {
    // AUCDR-ERR-01: 400s carry one of the four RFC 7591 codes; what does not fit uses HTTP status codes (401 without mTLS).
    const RFC7591: [ErrorCode; 4] = [
        ErrorCode::InvalidRedirectUri,
        ErrorCode::InvalidClientMetadata,
        ErrorCode::InvalidSoftwareStatement,
        ErrorCode::UnapprovedSoftwareStatement,
    ];
    for over in [
        json!({"redirect_uris": ["https://elsewhere.example/cb"]}),
        json!({"grant_types": ["password"]}),
        json!({"software_statement": null}),
        json!({"aud": "https://other.example"}),
    ] {
        let a = cdr(over.clone());
        let RegistrationAnswer::Rejected { status: 400, error, .. } = &a else { panic!("{over}: {}", show(&a)) };
        assert!(RFC7591.contains(error), "{over}: {error:?}");
    }
    let mut req = cdr_req(&cdr_claims(json!({})));
    req.context.tls = None;
    let RegistrationAnswer::Rejected { status, .. } = run(&req, &cdr_policy()) else { panic!() };
    assert_eq!(status, 401);
}

#[test]
fn aucdr_meta_11_software_statement_is_required() {
    // AUCDR-META-11
    accepted(&cdr(json!({})));
    refused(&cdr(json!({"software_statement": null})), 400, ErrorCode::InvalidSoftwareStatement, "AUCDR-META-11", "/software_statement");
}

#[test]
fn aucdr_meta_12_unsupported_fields_are_dropped_and_not_returned() {
    // AUCDR-META-12: `unknown_fields = drop`, recorded as a change.
    let p = cdr_policy();
    assert_eq!(p.rule_for("/unknown_fields"), "AUCDR-META-12");
    let a = cdr(json!({"x_unsupported": "v"}));
    let (client, response, changes) = accepted(&a);
    assert!(!client.contains_key("x_unsupported") && !response.contains_key("x_unsupported"));
    let c = change(changes, "/x_unsupported");
    assert_eq!(c.rule, "AUCDR-META-12");
    // Counter-case: the OIDC recipe keeps an unknown member.
    let o = validate_metadata(&obj(json!({"redirect_uris": ["https://c.example/cb"], "x_unsupported": "v"})), &fapi("oidc"));
    assert_eq!(o.client["x_unsupported"], json!("v"));
}

#[test]
fn aucdr_req_01_the_request_is_a_jwt_posted_as_application_jwt() {
    // AUCDR-REQ-01
    accepted(&cdr(json!({})));
    let mut req = cdr_req(&cdr_claims(json!({})));
    req.body = cdr_claims(json!({})).to_string();
    req.content_type = Some("application/json".into());
    refused(&run(&req, &cdr_policy()), 400, ErrorCode::InvalidClientMetadata, "AUCDR-REQ-01", "");
}

#[test]
fn aucdr_req_04_iss_iat_exp_jti_aud_are_present_and_aud_is_the_issuer() {
    // AUCDR-REQ-04
    // the JWT layer (JWT-CLAIM-*) checks the lists the profile cites as AUCDR-REQ-04
    let p = cdr_policy();
    assert_eq!(p.rule_for("/request_jwt/required_claims"), "AUCDR-REQ-04");
    assert_eq!(p.rule_for("/request_jwt/audience"), "AUCDR-REQ-04");
    for claim in ["iss", "iat", "exp", "jti", "aud"] {
        let rule = refused_at(&cdr(json!({ claim: null })), 400, ErrorCode::InvalidClientMetadata, &format!("/{claim}"));
        assert!(rule.starts_with("JWT-CLAIM-"), "{claim}: {rule}");
    }
    // exact comparison, no case folding (OIDCDCR-STRING-01)
    refused(&cdr(json!({"aud": "https://AS.example.com"})), 400, ErrorCode::InvalidClientMetadata, "JWT-CLAIM-06", "/aud");
    accepted(&cdr(json!({"aud": AS})));
}

#[test]
fn aucdr_req_05_request_claims_are_validated_per_rfc7519() {
    // AUCDR-REQ-05: timing with the allowed skew, and claim types.
    accepted(&cdr(json!({"iat": NOW + 5, "exp": NOW + 1})));
    let expired = cdr(json!({"iat": NOW - 900, "exp": NOW - 600}));
    let RegistrationAnswer::Rejected { status: 400, error: ErrorCode::InvalidClientMetadata, violations, .. } = &expired else {
        panic!("{}", show(&expired))
    };
    assert!(violations.iter().any(|v| v.path == "/exp"), "{}", show(&expired));
    for over in [json!({"exp": "later"}), json!({"iat": NOW + 3600})] {
        let a = cdr(over.clone());
        let RegistrationAnswer::Rejected { status: 400, error: ErrorCode::InvalidClientMetadata, .. } = &a else {
            panic!("{over}: {}", show(&a))
        };
    }
}

#[test]
fn aucdr_ssa_02_statement_exp_is_required_and_enforced() {
    // AUCDR-SSA-02
    accepted(&cdr(json!({})));
    let p = cdr_policy();
    assert!(p.software_statement.required_claims.iter().any(|c| c == "exp"));
    for over in [json!({"exp": null}), json!({"iat": NOW - 1200, "exp": NOW - 600})] {
        let token = cdr_ssa_with("PS256", "directory-rsa2048", over.clone());
        let a = cdr(json!({"software_statement": token}));
        let RegistrationAnswer::Rejected { status: 400, error: ErrorCode::InvalidSoftwareStatement, violations, .. } = &a else {
            panic!("{over}: {}", show(&a))
        };
        assert!(violations.iter().any(|v| v.path == "/exp" && v.source == dcr_policy::Source::SoftwareStatement), "{}", show(&a));
    }
}

// ---------------------------------------------------------------- Open Finance Brasil

fn br_req_dn(metadata: Value, dn: &str) -> RegistrationRequest {
    RegistrationRequest {
        body: metadata.to_string(),
        content_type: Some("application/json".into()),
        context: Context { tls: tls(dn), ..ctx() },
        jwks: SuppliedJwks { software_statement: Some(common::jwks_value(&["directory-rsa2048"])), software: None },
        sector_identifier: None,
    }
}

fn br(over: Value) -> RegistrationAnswer {
    run(&br_req_dn(br_md(over), &br_dn()), &br_policy())
}

#[test]
fn brof_def_01_absent_fields_take_server_defaults_and_the_roles_scopes() {
    // BROF-DEF-01
    let a = br(json!({"token_endpoint_auth_method": null, "tls_client_auth_subject_dn": null, "response_types": null, "scope": null,
        "subject_type": null}));
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["token_endpoint_auth_method"], json!("private_key_jwt"));
    assert_eq!(client["response_types"], json!(["code id_token"]));
    assert_eq!(client["subject_type"], json!("public"));
    for path in ["/token_endpoint_auth_method", "/response_types", "/subject_type"] {
        let c = change(changes, path);
        assert_eq!(c.action, ChangeAction::Defaulted, "{path}");
        assert!(br_policy().cites(&format!("/defaults{path}")).iter().any(|r| r == "BROF-DEF-01"), "{path}");
    }
    let scope = client["scope"].as_str().unwrap();
    assert!(scope.split(' ').any(|s| s == "accounts") && scope.split(' ').any(|s| s == "openid"), "{scope}");
    assert!(changes.iter().any(|c| c.path == "/scope"), "{changes:?}");
    // Counter-case: values sent are kept.
    let a = br(json!({"scope": "openid consents"}));
    let (client, ..) = accepted(&a);
    assert_eq!(client["scope"], json!("openid consents"));
}

#[test]
fn brof_dn_01_every_attribute_type_of_the_certificate_profiles_parses() {
    // BROF-DN-01: names and OID forms (UID, 2.5.4.97 organizationIdentifier, jurisdiction OIDs, businessCategory, serialNumber).
    for dn in [
        br_dn(),
        format!("UID={BR_SW},2.5.4.97=OFBBR-{BR_ORG},CN=app.exemplo.com.br,OU={BR_ORG},O=Banco Exemplo,L=Sao Paulo,ST=SP,C=BR"),
        format!(
            "CN=app.exemplo.com.br,UID={BR_SW},2.5.4.97=OFBBR-{BR_ORG},businessCategory=Private Organization,1.3.6.1.4.1.311.60.2.1.3=BR,serialNumber=12345678000199,O=Banco Exemplo,C=BR"
        ),
    ] {
        let a = run(&br_req_dn(br_md(json!({"tls_client_auth_subject_dn": dn})), &dn), &br_policy());
        accepted(&a);
    }
    let bad = "CN=app.exemplo.com.br,,O=x";
    let a = run(&br_req_dn(br_md(json!({"tls_client_auth_subject_dn": bad})), &br_dn()), &br_policy());
    let RegistrationAnswer::Rejected { status: 400, error: ErrorCode::InvalidClientMetadata, violations, .. } = &a else {
        panic!("{}", show(&a))
    };
    assert!(violations.iter().any(|v| v.path == "/tls_client_auth_subject_dn" && v.is_error()), "{}", show(&a));
}

#[test]
fn brof_meta_01_software_statement_and_redirect_uris_are_the_only_required_members() {
    // BROF-META-01
    let minimal = json!({"software_statement": br_ssa(json!({})), "redirect_uris": ["https://app.exemplo.com.br/cb"]});
    let a = run(&br_req_dn(minimal, &br_dn()), &br_policy());
    let (client, ..) = accepted(&a);
    assert_eq!(client["jwks_uri"], json!(br_jwks_uri()));
    refused(&br(json!({"redirect_uris": null})), 400, ErrorCode::InvalidRedirectUri, "BROF-META-01", "/redirect_uris");
    let a = br(json!({"software_statement": null}));
    let RegistrationAnswer::Rejected { status: 400, error: ErrorCode::InvalidSoftwareStatement, .. } = &a else { panic!("{}", show(&a)) };
}

#[test]
fn brof_meta_02_private_key_jwt_or_tls_client_auth() {
    // BROF-META-02
    accepted(&br(json!({})));
    accepted(&br(json!({"token_endpoint_auth_method": "private_key_jwt", "tls_client_auth_subject_dn": null})));
    for m in ["client_secret_basic", "self_signed_tls_client_auth"] {
        refused(
            &br(json!({"token_endpoint_auth_method": m, "tls_client_auth_subject_dn": null})),
            400,
            ErrorCode::InvalidClientMetadata,
            "BROF-META-02",
            "/token_endpoint_auth_method",
        );
    }
}

#[test]
fn brof_meta_03_response_types_code_id_token_or_code() {
    // BROF-META-03
    accepted(&br(json!({"response_types": ["code id_token"]})));
    accepted(&br(json!({"response_types": ["code"]})));
    refused(&br(json!({"response_types": ["id_token"]})), 400, ErrorCode::InvalidClientMetadata, "BROF-META-03", "/response_types/0");
}

#[test]
fn brof_meta_04_grant_types_within_the_swagger_enum() {
    // BROF-META-04
    accepted(&br(json!({"grant_types": ["authorization_code", "refresh_token"]})));
    for (g, i) in [("implicit", 1), ("password", 1)] {
        refused(
            &br(json!({"grant_types": ["authorization_code", g]})),
            400,
            ErrorCode::InvalidClientMetadata,
            "BROF-META-04",
            &format!("/grant_types/{i}"),
        );
    }
}

#[test]
fn brof_meta_05_subject_type_is_public() {
    // BROF-META-05
    accepted(&br(json!({"subject_type": "public"})));
    refused(&br(json!({"subject_type": "pairwise"})), 400, ErrorCode::InvalidClientMetadata, "BROF-META-05", "/subject_type");
}

#[test]
fn brof_meta_06_id_token_encryption_defaults_to_rsa_oaep_a256gcm() {
    // BROF-META-06
    let a = br(json!({}));
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["id_token_encrypted_response_alg"], json!("RSA-OAEP"));
    assert_eq!(client["id_token_encrypted_response_enc"], json!("A256GCM"));
    assert_eq!(change(changes, "/id_token_encrypted_response_alg").rule, "BROF-META-06");
    assert_eq!(change(changes, "/id_token_encrypted_response_enc").rule, "BROF-META-06");
    let a = br(json!({"id_token_encrypted_response_alg": "RSA1_5"}));
    let RegistrationAnswer::Rejected { status: 400, error: ErrorCode::InvalidClientMetadata, violations, .. } = &a else {
        panic!("{}", show(&a))
    };
    assert!(violations.iter().any(|v| v.path == "/id_token_encrypted_response_alg"), "{}", show(&a));
}

#[test]
fn brof_meta_09_ecosystem_flags_are_booleans() {
    // BROF-META-09
    let flags = ["require_signed_request_object", "require_pushed_authorization_requests", "tls_client_certificate_bound_access_tokens"];
    let p = br_policy();
    assert!(flags.iter().any(|f| p.enforce.contains_key(*f)), "some flags are enforced by the recipe");
    for f in flags {
        let a = br(json!({ f: true }));
        let (client, ..) = accepted(&a);
        assert_eq!(client[f], json!(true), "{f}");
        // "validate as booleans": a string is refused, also for a flag the profile
        // enforces (enforcing would otherwise hide the malformed value)
        let a = br(json!({ f: "true" }));
        let RegistrationAnswer::Rejected { status: 400, error: ErrorCode::InvalidClientMetadata, violations, .. } = &a else {
            panic!("{f}: {}", show(&a))
        };
        assert!(violations.iter().any(|v| v.path == format!("/{f}") && v.is_error()), "{f}: {}", show(&a));
    }
}

#[test]
fn brof_ssa_03_statement_values_win_over_conflicting_metadata() {
    // BROF-SSA-03
    let a = br(json!({"client_name": "Another Name"}));
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["client_name"], json!("Exemplo App"));
    let c = change(changes, "/client_name");
    assert_eq!(c.rule, "BROF-SSA-03");
    // Counter-case: agreeing metadata is not a change.
    let a = br(json!({"client_name": "Exemplo App"}));
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["client_name"], json!("Exemplo App"));
    assert!(!changes.iter().any(|c| c.path == "/client_name" && c.action == ChangeAction::Overridden), "{changes:?}");
}

// ---------------------------------------------------------------- IBM Security Verify Access stanza

fn isva(stanza: Value, over: Value) -> Policy {
    policy(merge(json!({"issuer": AS, "registration_endpoint": REG, "dynamic_registration": stanza}), over))
}

fn isva_md(over: Value) -> Value {
    merge(json!({"redirect_uris": ["https://client.example.com/cb"], "client_name": "Example"}), over)
}

fn isva_req(metadata: Value, context: Context) -> RegistrationRequest {
    RegistrationRequest { body: metadata.to_string(), context, ..Default::default() }
}

fn isva_register(p: &Policy) -> (StoredClient, Option<String>) {
    stored_from(&run(&isva_req(isva_md(json!({})), ctx()), p))
}

#[test]
fn isva_auth_02_require_bearer_token_on_registration() {
    // ISVA-AUTH-02
    let p = isva(json!({"registration_endpoint_authentication": {"require_bearer_token": true}}), json!({}));
    accepted(&run(&isva_req(isva_md(json!({})), Context { bearer: bearer(true, &[]), ..ctx() }), &p));
    refused(&run(&isva_req(isva_md(json!({})), ctx()), &p), 401, ErrorCode::InvalidToken, "RFC7591-ENDPOINT-03", "/bearer");
    refused(
        &run(&isva_req(isva_md(json!({})), Context { bearer: bearer(false, &[]), ..ctx() }), &p),
        401,
        ErrorCode::InvalidToken,
        "RFC7591-ENDPOINT-03",
        "/bearer",
    );
}

#[test]
fn isva_auth_04_allow_custom_client_creds() {
    // ISVA-AUTH-04: on, the client's id and secret are kept; off, dropped with a change.
    let md = isva_md(json!({"client_id": "my-client", "client_secret": "s3cret-s3cret-s3cret-s3cret-s3cret-0"}));
    let on = isva(json!({"registration_endpoint_authentication": {"allow_custom_client_creds": true}}), json!({}));
    let a = run(&isva_req(md.clone(), ctx()), &on);
    let (client, ..) = accepted(&a);
    assert_eq!(client["client_id"], json!("my-client"));
    assert_eq!(client["client_secret"], json!("s3cret-s3cret-s3cret-s3cret-s3cret-0"));
    let off = isva(json!({}), json!({}));
    let a = run(&isva_req(md, ctx()), &off);
    let (client, _, changes) = accepted(&a);
    assert_ne!(client["client_id"], json!("my-client"));
    assert_eq!(change(changes, "/client_id").action, ChangeAction::Removed);
}

#[test]
fn isva_auth_05_management_require_mtls() {
    // ISVA-AUTH-05
    let p = isva(
        json!({"management_endpoint_authentication": {"require_mtls": true}, "registration_access_token": {"generate": true}}),
        json!({}),
    );
    let (stored, token) = isva_register(&p);
    let with_tls = Context { tls: tls("CN=client.example.com"), ..ctx() };
    maccepted(&mrun(&mcall(Operation::Read, &stored, token.as_deref(), None, with_tls), &p), 200);
    mrefused(
        &mrun(&mcall(Operation::Read, &stored, token.as_deref(), None, ctx()), &p),
        401,
        ErrorCode::InvalidClient,
        "ISVA-AUTH-05",
        "/tls",
    );
}

#[test]
fn isva_auth_06_management_require_bearer_token() {
    // ISVA-AUTH-06
    let p = isva(json!({"management_endpoint_authentication": {"require_bearer_token": true}}), json!({}));
    let (stored, _) = isva_register(&p);
    maccepted(&mrun(&mcall(Operation::Read, &stored, None, None, Context { bearer: bearer(true, &[]), ..ctx() }), &p), 200);
    mrefused(&mrun(&mcall(Operation::Read, &stored, None, None, ctx()), &p), 401, ErrorCode::InvalidToken, "ISVA-AUTH-06", "/bearer");
    mrefused(
        &mrun(&mcall(Operation::Read, &stored, None, None, Context { bearer: bearer(false, &[]), ..ctx() }), &p),
        401,
        ErrorCode::InvalidToken,
        "ISVA-AUTH-06",
        "/bearer",
    );
}

#[test]
fn isva_auth_07_put_must_carry_a_software_statement() {
    // ISVA-AUTH-07: PUT only; POST without a statement still registers.
    let p = isva(
        json!({"management_endpoint_authentication": {"require_software_statement": true}, "registration_access_token": {"generate": true}}),
        json!({}),
    );
    let (stored, token) = isva_register(&p);
    let mut body = isva_md(json!({"client_name": "Renamed"}));
    body["client_id"] = stored.client["client_id"].clone();
    mrefused(
        &mrun(&mcall(Operation::Update, &stored, token.as_deref(), Some(body.clone()), ctx()), &p),
        400,
        ErrorCode::InvalidSoftwareStatement,
        "ISVA-AUTH-07",
        "/software_statement",
    );
    // Counter-case: without the switch the same PUT is accepted.
    let plain = isva(json!({"registration_access_token": {"generate": true}}), json!({}));
    let (stored, token) = isva_register(&plain);
    body["client_id"] = stored.client["client_id"].clone();
    maccepted(&mrun(&mcall(Operation::Update, &stored, token.as_deref(), Some(body), ctx()), &plain), 200);
}

#[test]
fn isva_auth_08_allow_client_secret_update() {
    // ISVA-AUTH-08
    let md = isva_md(json!({"token_endpoint_auth_method": "client_secret_basic"}));
    let put = |p: &Policy| {
        let a = run(&isva_req(md.clone(), ctx()), p);
        let (stored, token) = stored_from(&a);
        let mut body = md.clone();
        body["client_id"] = stored.client["client_id"].clone();
        body["client_secret"] = json!("a-brand-new-secret-of-enough-length-000000");
        mrun(&mcall(Operation::Update, &stored, token.as_deref(), Some(body), ctx()), p)
    };
    let on = isva(
        json!({"management_endpoint_authentication": {"allow_client_secret_update": true}, "registration_access_token": {"generate": true}}),
        json!({}),
    );
    let a = put(&on);
    let (response, changes) = maccepted(&a, 200);
    assert_eq!(response.unwrap()["client_secret"], json!("a-brand-new-secret-of-enough-length-000000"));
    assert_eq!(change(changes, "/client_secret").rule, "ISVA-AUTH-08");
    let off = isva(json!({"registration_access_token": {"generate": true}}), json!({}));
    mrefused(&put(&off), 400, ErrorCode::InvalidRequest, "RFC7592-UPDATE-06", "/client_secret");
}

#[test]
fn isva_def_01_all_defaults_mean_open_registration() {
    // ISVA-DEF-01
    let p = isva(json!({}), json!({}));
    assert!(!p.endpoint.require_mtls && !p.endpoint.require_bearer_token && !p.endpoint.require_software_statement);
    accepted(&run(&isva_req(isva_md(json!({})), ctx()), &p));
    // Counter-case: any switch closes it.
    let closed = isva(json!({"registration_endpoint_authentication": {"require_mtls": true}}), json!({}));
    refused(&run(&isva_req(isva_md(json!({})), ctx()), &closed), 401, ErrorCode::InvalidClient, "ISVA-AUTH-01", "/tls");
}

#[test]
fn isva_map_02_policy_defaults_fill_absent_metadata() {
    // ISVA-MAP-02
    let p = isva(json!({}), json!({"defaults": {"grant_types": ["authorization_code"]}}));
    let a = run(&isva_req(isva_md(json!({})), ctx()), &p);
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["grant_types"], json!(["authorization_code"]));
    let c = change(changes, "/grant_types");
    assert_eq!((c.action, c.rule.as_str()), (ChangeAction::Defaulted, "POLICY-DEFAULT"));
    let a = run(&isva_req(isva_md(json!({"grant_types": ["authorization_code", "refresh_token"]})), ctx()), &p);
    assert_eq!(accepted(&a).0["grant_types"], json!(["authorization_code", "refresh_token"]));
}

#[test]
fn isva_map_03_policy_enforce_overwrites_and_reports() {
    // ISVA-MAP-03
    let p = isva(json!({}), json!({"enforce": {"token_endpoint_auth_method": "private_key_jwt"}}));
    let md = isva_md(json!({"token_endpoint_auth_method": "client_secret_basic", "jwks_uri": "https://client.example.com/jwks"}));
    let a = run(&isva_req(md, ctx()), &p);
    let (client, response, changes) = accepted(&a);
    assert_eq!(client["token_endpoint_auth_method"], json!("private_key_jwt"));
    assert_eq!(response["token_endpoint_auth_method"], json!("private_key_jwt"));
    let c = change(changes, "/token_endpoint_auth_method");
    assert_eq!((c.action, c.rule.as_str()), (ChangeAction::Overridden, "POLICY-ENFORCE"));
    // Counter-case: a value equal to the enforced one is no change.
    let md = isva_md(json!({"token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://client.example.com/jwks"}));
    let a = run(&isva_req(md, ctx()), &p);
    assert!(!accepted(&a).2.iter().any(|c| c.path == "/token_endpoint_auth_method"));
}

#[test]
fn isva_map_04_policy_allowed_lists_refuse_unsupported_values() {
    // ISVA-MAP-04
    let p = isva(json!({}), json!({"allowed": {"grant_types": ["authorization_code", "refresh_token"]}}));
    accepted(&run(&isva_req(isva_md(json!({"grant_types": ["authorization_code"]})), ctx()), &p));
    let a = run(&isva_req(isva_md(json!({"grant_types": ["authorization_code", "client_credentials"]})), ctx()), &p);
    refused(&a, 400, ErrorCode::InvalidClientMetadata, "POLICY-ALLOWED", "/grant_types/1");
}

fn generic_ssa(claims: Value, alg: &str, kid: &str) -> String {
    common::sign(alg, &common::private_jwk(kid), &json!({"alg": alg, "kid": kid, "typ": "JWT"}), &claims)
}

fn ssa_req(metadata: Value, keys: &[&str]) -> RegistrationRequest {
    RegistrationRequest {
        body: metadata.to_string(),
        context: ctx(),
        jwks: SuppliedJwks { software_statement: Some(common::jwks_value(keys)), software: None },
        ..Default::default()
    }
}

#[test]
fn isva_map_05_statement_claims_keep_their_provenance() {
    // ISVA-MAP-05: SSA-derived values are changes of their own; issuers are checked.
    let p = isva(json!({}), json!({"software_statement": {"trusted_issuers": ["https://directory.example"]}}));
    let ssa = generic_ssa(
        json!({"iss": "https://directory.example", "iat": NOW - 10, "software_id": "sw-1", "client_name": "From SSA"}),
        "PS256",
        "directory-rsa2048",
    );
    let a = run(&ssa_req(isva_md(json!({"software_statement": ssa, "client_name": "From Body"})), &["directory-rsa2048"]), &p);
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["client_name"], json!("From SSA"));
    assert_eq!(change(changes, "/client_name").action, ChangeAction::FromSoftwareStatement);
    assert!(!changes.iter().any(|c| c.path == "/redirect_uris"), "body values are not statement changes: {changes:?}");
    let other = generic_ssa(json!({"iss": "https://other.example", "iat": NOW - 10, "software_id": "sw-1"}), "PS256", "directory-rsa2048");
    let a = run(&ssa_req(isva_md(json!({"software_statement": other})), &["directory-rsa2048"]), &p);
    refused(&a, 400, ErrorCode::UnapprovedSoftwareStatement, "RFC7591-SS-05", "/iss");
}

#[test]
fn isva_map_06_policy_can_forbid_deletion() {
    // ISVA-MAP-06
    let rat = json!({"registration_access_token": {"generate": true}});
    let on = isva(rat.clone(), json!({}));
    let (stored, token) = isva_register(&on);
    maccepted(&mrun(&mcall(Operation::Delete, &stored, token.as_deref(), None, ctx()), &on), 204);
    let off = isva(rat, json!({"management": {"allow_delete": false}}));
    let (stored, token) = isva_register(&off);
    mrefused(
        &mrun(&mcall(Operation::Delete, &stored, token.as_deref(), None, ctx()), &off),
        403,
        ErrorCode::InvalidRequest,
        "ISVA-MAP-06",
        "",
    );
}

#[test]
fn isva_rat_03_bearer_token_must_carry_every_scope() {
    // ISVA-RAT-03: registration and management.
    let p = isva(
        json!({"registration_endpoint_authentication": {"require_bearer_token": true},
            "management_endpoint_authentication": {"require_bearer_token": true},
            "registration_access_token": {"scopes": ["cdr:registration"]}}),
        json!({}),
    );
    let good = Context { bearer: bearer(true, &["openid", "cdr:registration"]), ..ctx() };
    let a = run(&isva_req(isva_md(json!({})), good.clone()), &p);
    let (stored, _) = stored_from(&a);
    let poor = Context { bearer: bearer(true, &["openid"]), ..ctx() };
    refused(&run(&isva_req(isva_md(json!({})), poor.clone()), &p), 403, ErrorCode::InsufficientScope, "ISVA-RAT-03", "/bearer/scopes");
    maccepted(&mrun(&mcall(Operation::Read, &stored, None, None, good), &p), 200);
    mrefused(
        &mrun(&mcall(Operation::Read, &stored, None, None, poor), &p),
        403,
        ErrorCode::InsufficientScope,
        "ISVA-RAT-03",
        "/bearer/scopes",
    );
}

#[test]
fn isva_ssa_01_the_configured_key_set_verifies_statements() {
    // ISVA-SSA-01
    let p = isva(
        json!({"registration_endpoint_authentication": {"require_software_statement": true},
            "software_statement_validation": {"jwks_uri": "https://directory.example/jwks"}}),
        json!({}),
    );
    assert_eq!(p.software_statement.jwks_uri.as_deref(), Some("https://directory.example/jwks"));
    let ssa =
        generic_ssa(json!({"iss": "https://directory.example", "iat": NOW - 10, "software_id": "sw-1"}), "PS256", "directory-rsa2048");
    accepted(&run(&ssa_req(isva_md(json!({"software_statement": ssa.clone()})), &["directory-rsa2048"]), &p));
    // a key set without the signer: the signature does not verify
    let a = run(&ssa_req(isva_md(json!({"software_statement": ssa})), &["software-rsa2048"]), &p);
    let RegistrationAnswer::Rejected { status: 400, error: ErrorCode::InvalidSoftwareStatement, .. } = &a else { panic!("{}", show(&a)) };
    // the stanza member must be a string
    let err =
        Policy::from_json(&json!({"dynamic_registration": {"software_statement_validation": {"jwks_uri": 5}}}).to_string()).unwrap_err();
    assert!(err.iter().any(|v| v.rule == "ISVA-SSA-01"), "{err:?}");
}

#[test]
fn isva_ssa_02_signing_algs_restrict_statement_algorithms() {
    // ISVA-SSA-02
    let p = isva(json!({"software_statement_validation": {"signing_algs": ["PS256"]}}), json!({}));
    assert_eq!(p.software_statement.signing_algs, vec!["PS256".to_owned()]);
    let claims = json!({"iss": "https://directory.example", "iat": NOW - 10, "software_id": "sw-1"});
    let ps = generic_ssa(claims.clone(), "PS256", "directory-rsa2048");
    accepted(&run(&ssa_req(isva_md(json!({"software_statement": ps})), &["directory-rsa2048", "software-p256"]), &p));
    let es = generic_ssa(claims, "ES256", "software-p256");
    let a = run(&ssa_req(isva_md(json!({"software_statement": es})), &["directory-rsa2048", "software-p256"]), &p);
    refused(&a, 400, ErrorCode::InvalidSoftwareStatement, "JWT-ALG-02", "/alg");
}
