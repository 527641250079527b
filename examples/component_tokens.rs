//! Generates the signed tokens of tests/component/scenarios.json (issue 6):
//! a UK Open Banking software statement signed by the directory key and a
//! signed registration request (`application/jwt`) signed by the software
//! key the statement names, with the key sets, from the committed test keys
//! (tests/keys/) and the test signer (tests/common/mod.rs). The scenarios
//! are static: run this once, paste the output, keep `now` with it.
//!
//! ```sh
//! cargo run --example component_tokens > /tmp/tokens.json
//! ```
//!
//! It also evaluates the registration natively and prints the outcome on
//! stderr, so a change in the profile that breaks the scenario shows here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing, missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;

use serde_json::json;

/// The scenarios' clock (as tests/management.rs).
const NOW: i64 = 1_764_000_000;

fn main() {
    let directory = common::private_jwk("directory-rsa2048");
    let software = common::private_jwk("software-rsa2048");
    let ssa_claims = json!({
        "iss": "OpenBanking Ltd",
        "iat": NOW - 3600,
        "jti": "ssa-7c1d2b0e",
        "software_id": "SoftwareId123",
        "software_client_name": "Acme TPP",
        "software_client_uri": "https://acme.example",
        "software_jwks_endpoint": "https://keystore.example/org/SoftwareId123.jwks",
        "software_redirect_uris": ["https://acme.example/cb", "https://acme.example/cb2"],
        "software_roles": ["AISP", "PISP"],
        "org_status": "Active",
        "org_id": "0015800001041REAAY"
    });
    let ssa = common::sign("PS256", &directory, &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}), &ssa_claims);
    let request_claims = json!({
        "iss": "SoftwareId123",
        "iat": NOW - 10,
        "exp": NOW + 290,
        "aud": "0015800001041RHAAY",
        "jti": "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
        "redirect_uris": ["https://acme.example/cb"],
        "token_endpoint_auth_method": "private_key_jwt",
        "token_endpoint_auth_signing_alg": "PS256",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code id_token"],
        "application_type": "web",
        "id_token_signed_response_alg": "PS256",
        "request_object_signing_alg": "PS256",
        "scope": "openid accounts",
        "software_id": "SoftwareId123",
        "software_statement": ssa
    });
    let request_jwt = common::sign("PS256", &software, &json!({"alg": "PS256", "kid": "software-rsa2048", "typ": "JWT"}), &request_claims);
    let out = json!({
        "now": NOW,
        "software_statement": ssa,
        "request_jwt": request_jwt,
        "directory_jwks": common::jwks_value(&["directory-rsa2048"]),
        "software_jwks": common::jwks_value(&["software-rsa2048"]),
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap());

    // the UK OB registration of the scenarios, natively
    let policy = dcr_policy::ffi::load_policy(Some(UKOB_POLICY)).unwrap_or_else(|e| panic!("{e:?}"));
    let call = json!({
        "body": request_jwt,
        "content_type": "application/jwt",
        "context": {"now": NOW, "tls": {"subject_dn": "CN=SoftwareId123,OU=0015800001041REAAY,O=OpenBanking,C=GB"}},
        "jwks": {"software_statement": out["directory_jwks"], "software": out["software_jwks"]}
    });
    let answer = dcr_policy::ffi::evaluate_registration_json(&call.to_string(), &policy);
    eprintln!("{}", serde_json::to_string_pretty(&answer).unwrap());
}

/// The scenarios' UK Open Banking policy.
const UKOB_POLICY: &str = r#"{"profile": "uk-openbanking", "registration_endpoint": "https://as.example/register",
  "software_statement": {"trusted_issuers": ["OpenBanking Ltd"]}, "request_jwt": {"audience": ["0015800001041RHAAY"]}}"#;
