//! Profile driver for the UK-OB registration decision (for callgrind):
//! `cargo build --release --example profile_registration`, then
//! `valgrind --tool=callgrind target/release/examples/profile_registration CALL.json POLICY.json 200`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, missing_docs)]
use dcr_policy::ffi;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let call = std::fs::read_to_string(&args[1]).unwrap();
    let policy = ffi::load_policy(Some(&std::fs::read_to_string(&args[2]).unwrap())).unwrap();
    let n: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(200);
    let mut keys = dcr_policy::jose::KeyCache::default();
    let mut total = 0;
    for _ in 0..n {
        total += ffi::to_json(&ffi::evaluate_registration_json_cached(std::hint::black_box(&call), &policy, &mut keys)).len();
    }
    println!("{total}");
}
