//! µs per verification, natively: RS256, PS256, ES256 over the committed
//! test keys, with the key set parsed once (as hosts should) and, for
//! comparison, with the key set parsed on every call.
//!
//! `cargo bench --bench jose` (compare with `node bench/jose.mjs`, which runs
//! the same tokens through Wasm and Node's own `crypto.verify`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use criterion::{Criterion, criterion_group, criterion_main};
use dcr_policy::Limits;
use dcr_policy::jose::{Jwks, TokenKind, VerifyOptions, verify};
use dcr_policy::policy::EmbeddedKeys;
use serde_json::{Value, json};

#[path = "../tests/common/mod.rs"]
mod common;

const NOW: i64 = 1_750_000_000;

fn bench(c: &mut Criterion) {
    let algs = dcr_policy::policy::default_asymmetric_algs();
    let limits = Limits::default();
    let opts = VerifyOptions {
        kind: TokenKind::SoftwareStatement,
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
    let claims = json!({"iss": "directory", "iat": NOW, "exp": NOW + 600, "jti": "j", "software_id": "s"});
    for (alg, kid) in [("RS256", "software-rsa2048"), ("PS256", "directory-rsa2048"), ("ES256", "software-p256")] {
        let token = common::sign(alg, &common::private_jwk(kid), &json!({"alg": alg, "kid": kid}), &claims);
        let jwks_value: Value = common::jwks_value(&[kid]);
        let jwks = Jwks::from_value(&jwks_value, "").unwrap();
        assert!(verify(&token, &jwks, &opts).is_ok());
        c.bench_function(&format!("verify {alg} (cached key set)"), |b| b.iter(|| verify(&token, &jwks, &opts).is_ok()));
        c.bench_function(&format!("verify {alg} (key set parsed per call)"), |b| {
            b.iter(|| verify(&token, &Jwks::from_value(&jwks_value, "").unwrap(), &opts).is_ok())
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(std::time::Duration::from_secs(2)).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
