//! Deterministic profile driver for the metadata hot path (json in -> json out,
//! compiled policy), for callgrind: `cargo bench --bench profile_metadata --no-run`,
//! then `valgrind --tool=callgrind <bench binary> 2000`; divide Ir by the count.
use dcr_policy::ffi;
const METADATA: &str = include_str!("../bench/metadata.json");
const POLICY: &str = include_str!("../bench/policy.json");
fn main() {
    let policy = ffi::load_policy(Some(POLICY)).unwrap_or_default();
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(2000);
    let mut total = 0;
    for _ in 0..n {
        total += ffi::validate_metadata_json_text(std::hint::black_box(METADATA), &policy).len();
    }
    println!("{total}");
}
