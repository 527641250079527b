#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! Client metadata validation: every vector in `tests/vectors/metadata/`
//! (one named test per file, named after the rule it proves), plus focused
//! tests of the public API and hostile input that JSON vectors cannot carry.
//! The same vector files run through the Wasm build in `tests/js/metadata.test.mjs`.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use dcr_policy::ffi::{self, ValidateMetadataAnswer};
use dcr_policy::metadata::{ClientMetadata, apply_defaults, apply_enforce, validate, validate_metadata};
use dcr_policy::{Policy, ProfileId, Report};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Vector {
    description: String,
    rules: Vec<String>,
    policy: Value,
    metadata: Value,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    outcome: String,
    violations: Vec<ExpectedViolation>,
    #[serde(default)]
    changes: Option<Vec<ExpectedChange>>,
    #[serde(default)]
    client: Option<Map<String, Value>>,
    #[serde(default)]
    client_absent: Option<Vec<String>>,
}

#[derive(Deserialize, Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
#[serde(deny_unknown_fields)]
struct ExpectedViolation {
    rule: String,
    error: String,
    path: String,
    #[serde(default = "error_severity")]
    severity: String,
}

fn error_severity() -> String {
    "error".to_owned()
}

#[derive(Deserialize, Debug, PartialEq, Eq, Clone)]
#[serde(deny_unknown_fields)]
struct ExpectedChange {
    path: String,
    action: String,
}

fn run(name: &str, text: &str) {
    let v: Vector = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: bad vector file: {e}"));
    assert!(!v.description.is_empty() && !v.rules.is_empty(), "{name}: needs a description and rules");
    let metadata_text = match &v.metadata {
        Value::String(raw) => raw.clone(),
        other => other.to_string(),
    };
    let answer = ffi::validate_metadata_call(&metadata_text, Some(&v.policy.to_string()));
    let answer = serde_json::to_value(&answer).unwrap();
    assert_eq!(answer["outcome"], v.expect.outcome, "{name}: outcome\n{answer:#}");
    let mut got: Vec<ExpectedViolation> = answer["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| ExpectedViolation {
            rule: x["rule"].as_str().unwrap().to_owned(),
            error: x["error"].as_str().unwrap().to_owned(),
            path: x["path"].as_str().unwrap().to_owned(),
            severity: x["severity"].as_str().unwrap_or("error").to_owned(),
        })
        .collect();
    if v.expect.outcome == "invalid_call" {
        return;
    }
    let mut want = v.expect.violations.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want, "{name}: violations differ\n{:#}", answer["violations"]);
    if let Some(want) = &v.expect.changes {
        let got: Vec<ExpectedChange> = answer["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| ExpectedChange { path: c["path"].as_str().unwrap().to_owned(), action: c["action"].as_str().unwrap().to_owned() })
            .collect();
        assert_eq!(&got, want, "{name}: changes differ\n{:#}", answer["changes"]);
    }
    if let Some(partial) = &v.expect.client {
        for (k, want) in partial {
            assert_eq!(answer["client"].get(k), Some(want), "{name}: client.{k}\n{:#}", answer["client"]);
        }
    }
    for k in v.expect.client_absent.iter().flatten() {
        assert!(answer["client"].get(k).is_none(), "{name}: client.{k} should be absent\n{:#}", answer["client"]);
    }
}

macro_rules! vector {
    ($name:ident) => {
        #[test]
        fn $name() {
            run(stringify!($name), include_str!(concat!("vectors/metadata/", stringify!($name), ".json")));
        }
    };
}

mod vectors {
    use super::run;
    include!("metadata_vectors.in");
}

#[test]
fn every_vector_file_has_a_test() {
    let list = include_str!("metadata_vectors.in");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/metadata");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("json") {
            let stem = path.file_stem().unwrap().to_str().unwrap().to_owned();
            assert!(list.contains(&format!("vector!({stem});")), "{stem}.json has no test: rerun generate.py");
            n += 1;
        }
    }
    assert!(n >= 150, "only {n} vectors");
}

fn map(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

#[test]
fn public_api_pipeline_steps_are_usable_alone() {
    let policy = Policy { profile: ProfileId::Oidc, enforce: map(json!({"require_auth_time": true})), ..Policy::default() };
    let mut client = map(json!({"redirect_uris": ["https://a.example.com/cb"], "require_auth_time": false}));
    let mut changes = Vec::new();
    apply_enforce(&mut client, &policy, &mut changes);
    assert_eq!(client["require_auth_time"], json!(true));
    apply_defaults(&mut client, &policy, &mut changes);
    assert_eq!(client["grant_types"], json!(["authorization_code"]));
    assert_eq!(changes.len(), 7, "{changes:#?}");
    assert!(changes.iter().all(|c| !c.reason.is_empty() && !c.rule.is_empty()));
    let mut report = Report::new();
    validate(&client, &policy, &mut report);
    assert!(report.is_empty(), "{report:?}");
}

#[test]
fn typed_model_from_outcome() {
    let out = validate_metadata(
        &map(json!({"redirect_uris": ["https://a.example.com/cb"], "client_name#fr": "Appli", "client_name": "App", "x_ext": 1})),
        &Policy { profile: ProfileId::Oidc, ..Policy::default() },
    );
    assert!(out.is_valid(), "{:?}", out.violations);
    let md: ClientMetadata = out.metadata();
    assert_eq!(md.application_type.as_deref(), Some("web"));
    assert_eq!(md.localized.len(), 1);
    assert_eq!(md.extra.get("x_ext"), Some(&json!(1)));
    assert_eq!(md.auth_method(), "client_secret_basic");
}

#[test]
fn rfc7591_endpoint_01_non_utf8_body_is_a_violation() {
    // Raw bytes cannot travel in a JSON vector: parse them through the strict reader.
    let err = dcr_policy::limits::parse_object(b"{\"client_name\":\"\xff\"}", &dcr_policy::Limits::default()).unwrap_err();
    assert_eq!(err.reason, "not_utf8");
}

#[test]
fn rfc7591_endpoint_01_limits_apply_to_maps_handed_in_directly() {
    let policy = Policy { limits: dcr_policy::Limits { max_string_bytes: 10, ..dcr_policy::Limits::default() }, ..Policy::default() };
    let out = validate_metadata(&map(json!({"client_name": "x".repeat(11)})), &policy);
    assert_eq!(out.violations.len(), 1);
    assert_eq!((out.violations[0].rule.as_str(), out.violations[0].path.as_str()), ("RFC7591-ENDPOINT-01", "/client_name"));
}

#[test]
fn hostile_values_never_panic() {
    let huge = "a".repeat(10_000);
    let nasty = [
        json!({"redirect_uris": [huge.clone(), format!("https://{huge}"), "https://[", "https://a:99999999999999999999/", "%", "a:", "http://"]}),
        json!({"jwks": {"keys": [{"kty": 5}, {"kty": "RSA", "n": [], "e": {}}, {"x5c": [1]}, null]}}),
        json!({"response_types": ["", " ", "code  id_token"], "grant_types": [""], "scope": " "}),
        json!({"client_name#": 1, "#": 2, "client_name##": "x", "logo_uri#en": "x", "tls_client_auth_subject_dn": "\\", "tls_client_auth_san_ip": ""}),
        json!({"default_max_age": 1e308, "client_id_issued_at": -1, "frontchannel_logout_uri": "https://a/#", "backchannel_logout_uri": ":"}),
    ];
    for profile in [ProfileId::Rfc7591, ProfileId::Oidc] {
        for doc in &nasty {
            let out = validate_metadata(doc.as_object().unwrap(), &Policy { profile, ..Policy::default() });
            for v in &out.violations {
                assert!(v.message.len() < 400, "message too long: {}", v.message);
                assert!(!v.rule.is_empty() && (v.path.is_empty() || v.path.starts_with('/')));
            }
        }
    }
}

#[test]
fn messages_never_echo_the_client_secret() {
    let out = validate_metadata(&map(json!({"client_secret": 12345, "redirect_uris": ["https://a.example.com/cb"]})), &Policy::default());
    let text = serde_json::to_string(&out.violations).unwrap();
    assert!(!text.contains("12345"), "{text}");
}

#[test]
fn answer_is_tagged_for_the_ffi() {
    let a = ffi::validate_metadata_call(r#"{"redirect_uris":["https://a.example.com/cb#x"]}"#, Some(r#"{"profile":"oidc"}"#));
    match a {
        ValidateMetadataAnswer::Rejected { error, violations, .. } => {
            assert_eq!(error.as_str(), "invalid_redirect_uri");
            assert_eq!(violations[0].rule, "RFC7591-REDIRECT-03");
        }
        other => panic!("{other:?}"),
    }
}
