//! `validate_metadata` per request on a realistic OIDC web-client document
//! (bench/metadata.json under bench/policy.json). Not a test: speed is
//! reported, never asserted. Run: `cargo bench --bench metadata`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use dcr_policy::ffi;
use dcr_policy::metadata::validate_metadata;

const METADATA: &str = include_str!("../bench/metadata.json");
const POLICY: &str = include_str!("../bench/policy.json");

fn bench(c: &mut Criterion) {
    let policy = ffi::load_policy(Some(POLICY)).unwrap_or_default();
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(METADATA).unwrap_or_default();
    assert!(validate_metadata(&map, &policy).is_valid(), "the benchmark document must be valid");

    let mut g = c.benchmark_group("validate_metadata");
    // The core on an already parsed object.
    g.bench_function("core (parsed map)", |b| b.iter(|| validate_metadata(black_box(&map), black_box(&policy))));
    // What a host pays per request: strict parse of the body, validate, serialize the answer.
    g.bench_function("json in, json out (compiled policy)", |b| {
        b.iter(|| ffi::validate_metadata_json_text(black_box(METADATA), black_box(&policy)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
