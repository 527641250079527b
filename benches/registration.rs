//! Issue 4 benchmark (d): the full UK-OB-style registration decision natively
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic, clippy::unreachable)]
//! (PS256 SSA + PS256 signed request + metadata rules), beside the two
//! signature checks alone, same run.

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use dcr_policy::host::{Context, SeededRandom, TlsContext};
use dcr_policy::jose::{TokenKind, VerifyOptions, verify};
use dcr_policy::policy::{EmbeddedKeys, Policy};
use dcr_policy::registration::{RegistrationAnswer, RegistrationRequest, SuppliedJwks, evaluate_registration};
use serde_json::json;

const NOW: i64 = 1_764_000_000;
const AS: &str = "https://as.example.com";
const SW: &str = "Hx3SoFtWaRe0000000001";

fn bench(c: &mut Criterion) {
    let ssa = common::sign(
        "PS256",
        &common::private_jwk("directory-rsa2048"),
        &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}),
        &json!({
            "iss": "OpenBanking Ltd", "iat": NOW - 60, "jti": "ssa-ob-1", "software_id": SW, "software_client_id": SW,
            "software_client_name": "Budget Buddy", "software_client_uri": "https://tpp.example.com",
            "software_redirect_uris": ["https://tpp.example.com/cb", "https://tpp.example.com/cb2"], "software_roles": ["AISP", "PISP"],
            "software_jwks_endpoint": format!("https://keystore.example/tpp/{SW}.jwks"), "org_status": "Active", "org_id": "0015800001041REAAY", "software_version": "1.0"
        }),
    );
    let req = common::sign(
        "PS256",
        &common::private_jwk("software-rsa2048"),
        &json!({"alg": "PS256", "kid": "software-rsa2048"}),
        &json!({
            "iss": SW, "aud": AS, "iat": NOW - 5, "exp": NOW + 300, "jti": "b3f1c0a2-4d5e-4f60-8a7b-9c0d1e2f3a4b",
            "redirect_uris": ["https://tpp.example.com/cb"], "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "PS256",
            "grant_types": ["authorization_code", "refresh_token", "client_credentials"], "response_types": ["code id_token"], "application_type": "web",
            "id_token_signed_response_alg": "PS256", "request_object_signing_alg": "PS256", "scope": "openid accounts", "software_statement": ssa
        }),
    );
    let policy = Policy::from_json(
        &json!({"profile": "uk-openbanking", "issuer": AS, "registration_endpoint": format!("{AS}/register"), "software_statement": {"trusted_issuers": ["OpenBanking Ltd"]}}).to_string(),
    )
    .expect("policy");
    let request = RegistrationRequest {
        body: req.clone(),
        content_type: Some("application/jwt".into()),
        context: Context {
            now: NOW,
            tls: Some(TlsContext { subject_dn: Some(format!("CN={SW}")), ..TlsContext::default() }),
            ..Context::default()
        },
        jwks: SuppliedJwks {
            software_statement: Some(common::jwks_value(&["directory-rsa2048"])),
            software: Some(common::jwks_value(&["software-rsa2048"])),
        },
        sector_identifier: None,
    };
    assert!(matches!(evaluate_registration(&request, &policy, &mut SeededRandom::new(1)), RegistrationAnswer::Accepted { .. }));
    let mut g = c.benchmark_group("ukob_registration");
    g.bench_function("full_decision_native", |b| b.iter(|| evaluate_registration(&request, &policy, &mut SeededRandom::new(1))));
    let mut keys = dcr_policy::jose::KeyCache::default();
    g.bench_function("full_decision_native_key_cache", |b| {
        b.iter(|| dcr_policy::registration::evaluate_registration_cached(&request, &policy, &mut SeededRandom::new(1), &mut keys))
    });
    let dir = common::jwks(&["directory-rsa2048"]);
    let sw = common::jwks(&["software-rsa2048"]);
    let algs = vec!["PS256".to_owned()];
    let limits = dcr_policy::Limits::default();
    let opts = |kind| VerifyOptions {
        kind,
        algorithms: &algs,
        issuers: &[],
        audience: &[],
        now: NOW,
        leeway: 60,
        max_age: None,
        required_claims: &[],
        typ: None,
        embedded_keys: EmbeddedKeys::Reject,
        limits: &limits,
    };
    g.bench_function("two_signature_checks_native", |b| {
        b.iter(|| {
            verify(&ssa, &dir, &opts(TokenKind::SoftwareStatement)).expect("ssa");
            verify(&req, &sw, &opts(TokenKind::RequestJwt)).expect("req");
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
