//! The JSON boundary of `verify_software_statement`, natively, with the
//! exact JSON the JS and WIT skins carry.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use dcr_policy::ffi::{VerifyAnswer, to_json, verify_software_statement_call};
use serde_json::{Value, json};

const NOW: i64 = 1_750_000_000;

fn ssa() -> String {
    let jwk = common::private_jwk("directory-rsa2048");
    common::sign(
        "PS256",
        &jwk,
        &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}),
        &json!({"iss": "OpenBanking Ltd", "iat": NOW - 10, "jti": "9b2c", "software_id": "abc"}),
    )
}

fn call(extra: Value) -> Value {
    let mut c = json!({"token": ssa(), "jwks": common::jwks_value(&["directory-rsa2048"]), "now": NOW});
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

fn answer(c: &Value) -> Value {
    serde_json::from_str(&to_json(&verify_software_statement_call(&c.to_string()))).unwrap()
}

#[test]
fn accepted_answer_surfaces_claims_and_jti() {
    let a = answer(&call(json!({"issuers": ["OpenBanking Ltd"], "typ": "JWT"})));
    assert_eq!(a["outcome"], "accepted", "{a}");
    assert_eq!((a["alg"].as_str(), a["jti"].as_str(), a["iss"].as_str()), (Some("PS256"), Some("9b2c"), Some("OpenBanking Ltd")));
    assert_eq!(a["claims"]["software_id"], "abc");
}

#[test]
fn policy_section_supplies_defaults() {
    // uk-openbanking-like: only ES256 for statements → PS256 refused (JWT-ALG-02)
    let a = answer(&call(json!({"policy": {"software_statement": {"signing_algs": ["ES256"]}}})));
    assert_eq!((a["outcome"].as_str(), a["error"].as_str()), (Some("rejected"), Some("invalid_software_statement")));
    assert_eq!(a["violations"][0]["rule"], "JWT-ALG-02");
    assert_eq!(a["violations"][0]["source"], "software_statement_header");
    // explicit field overrides the policy
    let a = answer(&call(json!({"policy": {"software_statement": {"signing_algs": ["ES256"]}}, "algorithms": ["PS256"]})));
    assert_eq!(a["outcome"], "accepted", "{a}");
}

#[test]
fn untrusted_issuer_is_unapproved() {
    let a = answer(&call(json!({"issuers": ["cdr-register"]})));
    assert_eq!((a["error"].as_str(), a["violations"][0]["rule"].as_str()), (Some("unapproved_software_statement"), Some("RFC7591-SS-05")));
    assert!(a["error_description"].as_str().unwrap().contains("not trusted"));
}

#[test]
fn host_mistakes_are_invalid_call() {
    let a = answer(&json!({"token": "x", "now": 1, "jwks": {"keys": [common::private_jwk("software-p256")]}}));
    assert_eq!((a["outcome"].as_str(), a["violations"][0]["path"].as_str()), (Some("invalid_call"), Some("/jwks/keys/0/d")));
    let a = answer(&json!({"token": "x", "now": 1, "jwk": {}}));
    assert_eq!(a["outcome"], "invalid_call");
    let a = answer(&json!({"token": "x", "now": 1}));
    assert_eq!((a["outcome"].as_str(), a["violations"][0]["path"].as_str()), (Some("invalid_call"), Some("/jwks")));
    let r = verify_software_statement_call("{\"token\":1");
    assert!(matches!(r, VerifyAnswer::InvalidCall { .. }));
}

#[test]
fn request_jwt_kind_uses_request_section_and_codes() {
    let jwk = common::private_jwk("software-p256");
    let t = common::sign("ES256", &jwk, &json!({"alg": "ES256", "kid": "software-p256"}), &json!({"iss": "abc", "aud": "other"}));
    let c = json!({"token": t, "jwks": common::jwks_value(&["software-p256"]), "now": NOW, "kind": "request_jwt",
        "policy": {"request_jwt": {"audience": ["https://as.example"]}}});
    let a = answer(&c);
    assert_eq!((a["error"].as_str(), a["violations"][0]["path"].as_str()), (Some("invalid_client_metadata"), Some("/aud")));
    assert_eq!(a["violations"][0]["source"], "request_jwt");
}
