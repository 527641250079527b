//! Policy loading: recipes, aliases, deep merge, exact error paths, semantic
//! checks, profile invariants, the builder and the ISVA stanza.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_policy::policy::{MappingMode, RequestJwtMode};
use dcr_policy::profiles::recipe;
use dcr_policy::{Policy, ProfileId, Source, Violation};
use serde_json::json;

fn load_err(text: &str) -> Vec<Violation> {
    match Policy::from_json(text) {
        Ok(_) => panic!("policy should not load: {text}"),
        Err(v) => {
            assert!(v.iter().all(|x| x.source == Source::Policy), "{v:#?}");
            v
        }
    }
}

fn has(v: &[Violation], rule: &str, path: &str) -> bool {
    v.iter().any(|x| x.rule == rule && x.path == path)
}

#[test]
fn every_recipe_is_valid_and_loads_by_name() {
    for id in ProfileId::ALL {
        let r = recipe(id);
        assert_eq!(r.profile, id);
        assert!(r.validate().is_empty(), "{id}: {:#?}", r.validate());
        let loaded = Policy::from_json(&format!(r#"{{"profile": "{}"}}"#, id.as_str())).unwrap();
        assert_eq!(loaded, r, "{id}");
        // A recipe serialized to JSON loads back to itself.
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(Policy::from_json(&text).unwrap(), r, "{id} round trip");
    }
}

#[test]
fn isva_conf_01_aliases_resolve() {
    for (alias, id) in [
        ("Default", ProfileId::Oidc),
        ("FAPI_DEFAULT", ProfileId::Fapi1Advanced),
        ("FAPI_UK-OB", ProfileId::UkOpenBanking),
        ("FAPI_AU-CDR", ProfileId::AuCdr),
    ] {
        assert_eq!(ProfileId::parse(alias), Some(id));
        assert_eq!(Policy::from_json(&format!(r#"{{"profile": "{alias}"}}"#)).unwrap(), recipe(id));
        assert_eq!(id.isva_recipe(), Some(alias));
    }
}

#[test]
fn absent_profile_is_rfc7591() {
    assert_eq!(Policy::from_json("{}").unwrap(), recipe(ProfileId::Rfc7591));
}

#[test]
fn unknown_profile_names_profile_path() {
    let v = load_err(r#"{"profile": "fapi3"}"#);
    assert!(has(&v, "POLICY-LOAD-02", "/profile"), "{v:#?}");
    let v = load_err(r#"{"profile": 7}"#);
    assert!(has(&v, "POLICY-LOAD-02", "/profile"));
}

#[test]
fn malformed_and_duplicate_json_rejected() {
    let v = load_err(r#"{"profile": "oidc""#);
    assert_eq!(v[0].rule, "POLICY-LOAD-01");
    let v = load_err(r#"{"profile": "oidc", "profile": "fapi2"}"#);
    assert_eq!(v[0].reason.as_deref(), Some("duplicate_member"));
    let v = load_err("[]");
    assert_eq!(v[0].reason.as_deref(), Some("not_an_object"));
}

#[test]
fn unknown_fields_name_their_exact_path() {
    let v = load_err(r#"{"profile": "oidc", "bogus": 1}"#);
    assert!(has(&v, "POLICY-LOAD-01", "/bogus"), "{v:#?}");
    let v = load_err(r#"{"profile": "oidc", "endpoint": {"require_mTLS": true}}"#);
    assert!(has(&v, "POLICY-LOAD-01", "/endpoint/require_mTLS"), "{v:#?}");
    assert!(v[0].message.contains("require_mTLS"));
    let v = load_err(r#"{"software_statement": {"claim_map": {"x": {"to": "client_name", "mod": "subset"}}}}"#);
    assert!(has(&v, "POLICY-LOAD-01", "/software_statement/claim_map/x/mod"), "{v:#?}");
}

#[test]
fn wrong_types_name_their_exact_path() {
    let v = load_err(r#"{"software_statement": {"signing_algs": ["PS256", 5]}}"#);
    assert!(has(&v, "POLICY-LOAD-01", "/software_statement/signing_algs/1"), "{v:#?}");
    let v = load_err(r#"{"request_jwt": {"mode": "sometimes"}}"#);
    assert!(has(&v, "POLICY-LOAD-01", "/request_jwt/mode"), "{v:#?}");
    let v = load_err(r#"{"registration_access_token": {"lifetime": -1}}"#);
    assert!(has(&v, "POLICY-LOAD-01", "/registration_access_token/lifetime"), "{v:#?}");
    // Two independent mistakes: both reported.
    let v = load_err(r#"{"endpoint": {"require_mtls": "yes"}, "limits": {"max_depth": "deep"}}"#);
    assert!(has(&v, "POLICY-LOAD-01", "/endpoint/require_mtls") && has(&v, "POLICY-LOAD-01", "/limits/max_depth"), "{v:#?}");
}

#[test]
fn jwt_alg_01_none_and_jwt_alg_05_hs_refused_at_load() {
    let v = load_err(r#"{"software_statement": {"signing_algs": ["none"]}}"#);
    assert!(has(&v, "JWT-ALG-01", "/software_statement/signing_algs/0"), "{v:#?}");
    let v = load_err(r#"{"request_jwt": {"signing_algs": ["RS256", "HS256"]}}"#);
    assert!(has(&v, "JWT-ALG-05", "/request_jwt/signing_algs/1"), "{v:#?}");
    let v = load_err(r#"{"request_jwt": {"signing_algs": []}}"#);
    assert!(has(&v, "JWT-ALG-02", "/request_jwt/signing_algs"));
    let v = load_err(r#"{"request_jwt": {"signing_algs": ["XS999"]}}"#);
    assert!(has(&v, "JWT-ALG-02", "/request_jwt/signing_algs/0"));
}

#[test]
fn limits_and_times_must_be_sane() {
    let v = load_err(r#"{"limits": {"max_depth": 0, "max_body_bytes": 10}}"#);
    assert!(has(&v, "POLICY-LIMITS-01", "/limits/max_depth") && has(&v, "POLICY-LIMITS-01", "/limits/max_body_bytes"), "{v:#?}");
    let v = load_err(r#"{"software_statement": {"max_age": 0}}"#);
    assert!(has(&v, "POLICY-TIME-01", "/software_statement/max_age"));
    let v = load_err(r#"{"request_jwt": {"leeway": 3600}}"#);
    assert!(has(&v, "POLICY-TIME-01", "/request_jwt/leeway"));
}

#[test]
fn conflicting_data_rejected() {
    // A default the policy itself would refuse (the RS256-under-FAPI mistake, FAPI1-ALG-03).
    let v = load_err(r#"{"profile": "fapi1-advanced", "defaults": {"id_token_signed_response_alg": "RS256"}}"#);
    assert!(has(&v, "POLICY-CONFLICT-02", "/defaults/id_token_signed_response_alg"), "{v:#?}");
    let v = load_err(r#"{"required": ["jwks"], "forbidden": ["jwks"]}"#);
    assert!(has(&v, "POLICY-CONFLICT-01", "/required/0"), "{v:#?}");
    let v = load_err(r#"{"enforce": {"client_id": "x"}}"#);
    assert!(has(&v, "POLICY-FIELD-01", "/enforce/client_id"));
    let v = load_err(r#"{"allowed": {"grant_types": []}}"#);
    assert!(has(&v, "POLICY-ALLOWED-01", "/allowed/grant_types"));
    let v = load_err(r#"{"allowed": {"grant_types": "authorization_code"}}"#);
    assert!(has(&v, "POLICY-ALLOWED-01", "/allowed/grant_types"));
    let v = load_err(r#"{"software_statement": {"claim_map": {"x": "client_secret"}}}"#);
    assert!(has(&v, "POLICY-CLAIMMAP-01", "/software_statement/claim_map/x/to"), "{v:#?}");
}

#[test]
fn oidcdcr_redirect_02_redirect_uris_never_policy_values() {
    let v = load_err(r#"{"enforce": {"redirect_uris": ["https://a.example/cb"]}}"#);
    assert!(has(&v, "OIDCDCR-REDIRECT-02", "/enforce/redirect_uris"), "{v:#?}");
}

#[test]
fn fapi1_invariants_cannot_be_loosened() {
    let v =
        load_err(r#"{"profile": "fapi1-advanced", "allowed": {"token_endpoint_auth_method": ["private_key_jwt", "client_secret_basic"]}}"#);
    assert!(has(&v, "FAPI1-AUTH-01", "/allowed/token_endpoint_auth_method/1"), "{v:#?}");
    let v = load_err(r#"{"profile": "fapi1-advanced", "allowed": {"id_token_signed_response_alg": null}}"#);
    assert!(has(&v, "FAPI1-ALG-01", "/allowed/id_token_signed_response_alg"), "{v:#?}");
    let v = load_err(r#"{"profile": "FAPI_UK-OB", "enforce": {"require_signed_request_object": null}}"#);
    assert!(has(&v, "FAPI1-REQOBJ-01", "/enforce/require_signed_request_object"), "{v:#?}");
    let v = load_err(r#"{"profile": "fapi1-advanced", "software_statement": {"signing_algs": ["RS256"]}}"#);
    assert!(has(&v, "FAPI1-ALG-01", "/software_statement/signing_algs/0"));
    // Narrowing is fine.
    let p = Policy::from_json(r#"{"profile": "fapi1-advanced", "allowed": {"token_endpoint_auth_method": ["private_key_jwt"]}}"#).unwrap();
    assert_eq!(p.allowed["token_endpoint_auth_method"], json!(["private_key_jwt"]));
}

#[test]
fn fapi2_and_brazil_invariants() {
    let v = load_err(r#"{"profile": "fapi2", "allowed": {"response_types": ["code", "code id_token"]}}"#);
    assert!(has(&v, "FAPI2-RESP-01", "/allowed/response_types/1"), "{v:#?}");
    let v = load_err(r#"{"profile": "fapi2", "enforce": {"require_pushed_authorization_requests": false}}"#);
    assert!(has(&v, "FAPI2-PAR-01", "/enforce/require_pushed_authorization_requests"));
    let v = load_err(r#"{"profile": "fapi2-message-signing", "enforce": {"require_signed_request_object": null}}"#);
    assert!(has(&v, "FAPI2MS-JAR-01", "/enforce/require_signed_request_object"));
    let v = load_err(r#"{"profile": "br-openfinance", "allowed": {"request_object_signing_alg": ["PS256", "ES256"]}}"#);
    assert!(has(&v, "BROF-ALG-01", "/allowed/request_object_signing_alg/1"), "{v:#?}");
}

#[test]
fn deep_merge_objects_merge_arrays_replace_null_removes() {
    let p = Policy::from_json(
        r#"{"profile": "fapi1-advanced", "issuer": "https://op.example", "endpoint": {"require_mtls": true},
            "defaults": {"grant_types": null, "client_name": "x"}, "allowed": {"grant_types": ["authorization_code"]},
            "software_statement": {"claim_map": {"my_name": "client_name"}, "max_age": 600}}"#,
    )
    .unwrap();
    let base = recipe(ProfileId::Fapi1Advanced);
    assert_eq!(p.issuer.as_deref(), Some("https://op.example"));
    assert!(p.endpoint.require_mtls);
    assert_eq!(p.endpoint.require_bearer_token, base.endpoint.require_bearer_token, "sibling kept");
    assert!(!p.defaults.contains_key("grant_types"), "null removes a map entry");
    assert_eq!(p.defaults["token_endpoint_auth_method"], json!("private_key_jwt"), "other defaults kept");
    assert_eq!(p.allowed["grant_types"], json!(["authorization_code"]), "arrays replace");
    assert_eq!(p.software_statement.signing_algs, base.software_statement.signing_algs);
    let m = &p.software_statement.claim_map["my_name"];
    assert_eq!((m.to.as_str(), m.mode), ("client_name", MappingMode::Override), "short claim_map form");
    assert_eq!(p.software_statement.max_age, Some(600));
}

#[test]
fn rule_for_cites_and_falls_back() {
    let p = recipe(ProfileId::Fapi1Advanced);
    assert_eq!(p.rule_for("/allowed/token_endpoint_auth_method"), "FAPI1-AUTH-01");
    assert_eq!(p.rule_for("/defaults/id_token_signed_response_alg"), "FAPI1-ALG-03");
    assert_eq!(p.rule_for("/allowed/made_up"), "POLICY-ALLOWED");
    assert_eq!(p.rule_for("/defaults/made_up"), "POLICY-DEFAULT");
    assert_eq!(p.rule_for("/nothing"), "POLICY");
}

#[test]
fn builder_sets_main_knobs_and_validates() {
    let p = Policy::builder(ProfileId::Fapi1Advanced)
        .issuer("https://op.example")
        .registration_endpoint("https://op.example/register")
        .require_mtls(true)
        .require_bearer_token(true, &["dcr"])
        .require_software_statement(true)
        .trusted_issuers(&["https://directory.example"])
        .ssa_max_age(Some(300))
        .allow("token_endpoint_auth_method", &["private_key_jwt"])
        .default_value("client_name", json!("app"))
        .registration_access_token(true, 0)
        .request_jwt_mode(RequestJwtMode::Required)
        .build()
        .unwrap();
    assert!(p.endpoint.require_mtls && p.requires_software_statement());
    assert_eq!(p.endpoint.bearer_token_scopes, vec!["dcr".to_owned()]);
    assert_eq!(p.request_jwt.mode, RequestJwtMode::Required);
    let err = Policy::builder(ProfileId::Oidc).ssa_signing_algs(&["none"]).build().unwrap_err();
    assert!(has(&err, "JWT-ALG-01", "/software_statement/signing_algs/0"));
    let err = Policy::builder(ProfileId::Fapi2).allow("token_endpoint_auth_method", &["none"]).build().unwrap_err();
    assert!(has(&err, "FAPI2-AUTH-01", "/allowed/token_endpoint_auth_method/0"), "{err:#?}");
}

// ---------------------------------------------------------------------------
// ISVA `dynamic_registration` stanza

const ISVA_UKOB: &str = r#"{"dynamic_registration": {
    "recipe": "FAPI_UK-OB",
    "mappingrule_id": "dcr",
    "software_statement_validation": {"jwks_uri": "https://directory.example/jwks", "signing_algs": ["PS256", "ES256"]},
    "registration_endpoint_authentication": {"require_mtls": true, "require_bearer_token": false, "require_software_statement": true, "allow_custom_client_creds": false},
    "management_endpoint_authentication": {"require_mtls": true, "require_bearer_token": true, "require_software_statement": true, "allow_client_secret_update": false},
    "registration_access_token": {"generate": true, "lifetime": 86400, "scopes": ["cdr:registration"]}
}}"#;

#[test]
fn isva_stanza_loads_documented_example() {
    for p in [Policy::from_isva_json(ISVA_UKOB).unwrap(), Policy::from_json(ISVA_UKOB).unwrap()] {
        assert_eq!(p.profile, ProfileId::UkOpenBanking);
        assert_eq!(p.mapping_rule.as_deref(), Some("dcr"));
        assert_eq!(p.software_statement.jwks_uri.as_deref(), Some("https://directory.example/jwks"));
        assert!(p.endpoint.require_mtls && p.endpoint.require_software_statement && p.software_statement.required);
        assert!(
            p.management_endpoint.require_mtls
                && p.management_endpoint.require_bearer_token
                && p.management.require_software_statement_on_update
        );
        assert!(p.registration_access_token.generate);
        assert_eq!(p.registration_access_token.lifetime, 86400);
        assert_eq!(p.management_endpoint.bearer_token_scopes, vec!["cdr:registration".to_owned()]);
        assert_eq!(p.request_jwt.mode, RequestJwtMode::Required, "recipe data stays");
        assert_eq!(p.allowed["subject_type"], json!(["public"]), "ISVA-SUBJ-01");
    }
}

#[test]
fn isva_def_01_missing_keys_take_documented_defaults() {
    let p = Policy::from_json(r#"{"dynamic_registration": {}}"#).unwrap();
    assert_eq!(p.profile, ProfileId::Oidc, "absent recipe → Default");
    assert!(!p.endpoint.require_mtls && !p.endpoint.require_bearer_token && !p.requires_software_statement());
    assert!(!p.registration_access_token.generate);
    let p = Policy::from_json(r#"{"dynamic_registration": {"recipe": "FAPI_AU-CDR"}}"#).unwrap();
    assert_eq!(p.profile, ProfileId::AuCdr);
    assert!(!p.endpoint.require_mtls, "ISVA's default, not the recipe's");
}

#[test]
fn isva_conf_03_unknown_keys_are_errors_with_paths() {
    let v = load_err(r#"{"dynamic_registration": {"registration_endpoint_authentication": {"require_mTLS": true}}}"#);
    assert!(has(&v, "ISVA-CONF-03", "/dynamic_registration/registration_endpoint_authentication/require_mTLS"), "{v:#?}");
    let v = load_err(r#"{"dynamic_registration": {"recipes": "Default"}}"#);
    assert!(has(&v, "ISVA-CONF-03", "/dynamic_registration/recipes"));
    let v = load_err(r#"{"dynamic_registration": {"registration_access_token": {"generate": "yes"}}}"#);
    assert!(has(&v, "ISVA-RAT-01", "/dynamic_registration/registration_access_token/generate"));
}

#[test]
fn isva_conf_01_recipe_names_are_case_sensitive() {
    let v = load_err(r#"{"dynamic_registration": {"recipe": "fapi_uk-ob"}}"#);
    assert!(has(&v, "ISVA-CONF-01", "/dynamic_registration/recipe"), "{v:#?}");
    let v = load_err(r#"{"dynamic_registration": {"recipe": "uk-openbanking"}}"#);
    assert!(has(&v, "ISVA-CONF-01", "/dynamic_registration/recipe"));
    let v = load_err(r#"{"profile": "oidc", "dynamic_registration": {}}"#);
    assert!(has(&v, "ISVA-CONF-01", "/profile"));
}

#[test]
fn isva_rat_02_negative_lifetime_is_a_load_error() {
    let v = load_err(r#"{"dynamic_registration": {"registration_access_token": {"generate": true, "lifetime": -5}}}"#);
    assert!(has(&v, "ISVA-RAT-02", "/dynamic_registration/registration_access_token/lifetime"), "{v:#?}");
    let ok = Policy::from_json(r#"{"dynamic_registration": {"registration_access_token": {"generate": true, "lifetime": 0}}}"#).unwrap();
    assert_eq!(ok.registration_access_token.lifetime, 0);
}

#[test]
fn isva_ssa_02_bad_alg_points_into_the_stanza() {
    let v = load_err(r#"{"dynamic_registration": {"software_statement_validation": {"signing_algs": ["none"]}}}"#);
    assert!(has(&v, "JWT-ALG-01", "/dynamic_registration/software_statement_validation/signing_algs/0"), "{v:#?}");
    let v =
        load_err(r#"{"dynamic_registration": {"recipe": "FAPI_DEFAULT", "software_statement_validation": {"signing_algs": ["RS256"]}}}"#);
    assert!(has(&v, "FAPI1-ALG-01", "/dynamic_registration/software_statement_validation/signing_algs/0"), "{v:#?}");
}

#[test]
fn isva_stanza_with_policy_members_beside_it() {
    let p = Policy::from_json(r#"{"dynamic_registration": {"recipe": "FAPI_DEFAULT"}, "issuer": "https://op.example"}"#).unwrap();
    assert_eq!(p.issuer.as_deref(), Some("https://op.example"));
    let v = load_err(r#"{"dynamic_registration": {}, "nonsense": 1}"#);
    assert!(has(&v, "POLICY-LOAD-01", "/nonsense"), "{v:#?}");
    assert!(Policy::from_isva_json(r#"{"profile": "oidc"}"#).is_err());
}
