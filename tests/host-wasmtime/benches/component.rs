//! Decisions per second natively and through the component in wasmtime, the
//! start-up time of a pre-compiled component, and the component's size.
//! `make bench-component` (or `cargo bench` in this crate, after `make component`).
//!
//! Figures are printed as ratios against the native baseline of the same run,
//! and written to `target/bench-component.json` for bench/component.mjs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use dcr_policy_host_wasmtime::{
    DcrPolicy, DcrPolicyPre, HostState, component_path, engine, linker, load_policy, policy_validate_metadata, validate_metadata,
};
use serde_json::json;
use wasmtime::Store;
use wasmtime::component::Component;

const WARMUP: Duration = Duration::from_millis(500);
const MEASURE: Duration = Duration::from_millis(1500);

/// Runs `f` for `WARMUP`, then counts calls during `MEASURE`; calls per second.
fn rate(mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    while start.elapsed() < WARMUP {
        f();
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < MEASURE {
        for _ in 0..16 {
            f();
        }
        n += 16;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// Mean time of `f` over `n` runs, after `n / 10` warm-up runs.
fn mean(n: u32, mut f: impl FnMut()) -> Duration {
    for _ in 0..n / 10 {
        f();
    }
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed() / n
}

fn main() {
    let root = dcr_policy_host_wasmtime::repo_root();
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    let metadata = read("examples/metadata.json");
    let policy_text = read("examples/policy.json");
    let malformed = r#"{"redirect_uris": ["#;

    // ---- native baseline
    let policy = dcr_policy::ffi::load_policy(Some(&policy_text)).unwrap_or_else(|e| panic!("{e:?}"));
    let native = rate(|| {
        black_box(dcr_policy::ffi::validate_metadata_json(black_box(&metadata), &policy));
    });
    let native_free = rate(|| {
        black_box(dcr_policy::ffi::validate_metadata_call(black_box(&metadata), Some(&policy_text)));
    });
    let native_bad = rate(|| {
        black_box(dcr_policy::ffi::validate_metadata_json(black_box(malformed), &policy));
    });

    // ---- component: compile, serialize, deserialize, instantiate
    let path = component_path();
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e} (run `make component`)", path.display()));
    let engine = engine();
    let t = Instant::now();
    let component = Component::new(&engine, &bytes).unwrap_or_else(|e| panic!("{e}"));
    let compile = t.elapsed();
    let serialized = component.serialize().unwrap_or_else(|e| panic!("{e}"));
    let deserialize = mean(20, || {
        // SAFETY: bytes produced by `serialize` above with this engine.
        black_box(unsafe { Component::deserialize(&engine, &serialized) }.unwrap_or_else(|e| panic!("{e}")));
    });
    let cwasm = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/dcr-policy.cwasm");
    std::fs::write(&cwasm, &serialized).unwrap_or_else(|e| panic!("{}: {e}", cwasm.display()));
    let deserialize_file = mean(20, || {
        // SAFETY: the file was written just above from `serialize` with this engine.
        black_box(unsafe { Component::deserialize_file(&engine, &cwasm) }.unwrap_or_else(|e| panic!("{e}")));
    });
    // SAFETY: as above.
    let precompiled = unsafe { Component::deserialize(&engine, &serialized) }.unwrap_or_else(|e| panic!("{e}"));
    let linker = linker(&engine);
    let pre = linker.instantiate_pre(&precompiled).unwrap_or_else(|e| panic!("{e}"));
    let typed_pre = DcrPolicyPre::new(pre.clone()).unwrap_or_else(|e| panic!("{e}"));
    let instantiate = mean(500, || {
        let mut store = Store::new(&engine, HostState::default());
        black_box(pre.instantiate(&mut store).unwrap_or_else(|e| panic!("{e}")));
    });
    // a first call in a fresh instance (start-up as a request sees it: instance + policy load + one decision)
    let first_request = mean(200, || {
        let mut store = Store::new(&engine, HostState::default());
        let inst = typed_pre.instantiate(&mut store).unwrap_or_else(|e| panic!("{e}"));
        black_box(validate_metadata(&mut store, &inst, &metadata, &policy_text).unwrap_or_else(|e| panic!("{e}")));
    });

    // ---- component: decisions
    let mut store = Store::new(&engine, HostState::default());
    let inst = DcrPolicy::instantiate(&mut store, &precompiled, &linker).unwrap_or_else(|e| panic!("{e}"));
    let res = load_policy(&mut store, &inst, &policy_text).unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|e| panic!("{e:?}"));
    let wasm = rate(|| {
        black_box(policy_validate_metadata(&mut store, &inst, res, black_box(&metadata)).unwrap_or_else(|e| panic!("{e}")));
    });
    let wasm_free = rate(|| {
        black_box(validate_metadata(&mut store, &inst, black_box(&metadata), &policy_text).unwrap_or_else(|e| panic!("{e}")));
    });
    let wasm_bad = rate(|| {
        black_box(policy_validate_metadata(&mut store, &inst, res, black_box(malformed)).unwrap_or_else(|e| panic!("{e}")));
    });

    // ---- size
    let gzip =
        std::process::Command::new("gzip").args(["-9c"]).arg(&path).output().ok().filter(|o| o.status.success()).map(|o| o.stdout.len());

    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!("dcr-policy component bench (wasmtime 48, {})", path.display());
    println!("  decisions/s, example metadata, policy loaded once:");
    println!("    native                 {native:>12.0}   1.00x");
    println!("    wasmtime component     {wasm:>12.0}   {:.2}x native", wasm / native);
    println!("  decisions/s, policy JSON parsed per call (free function):");
    println!("    native                 {native_free:>12.0}   1.00x");
    println!("    wasmtime component     {wasm_free:>12.0}   {:.2}x native", wasm_free / native_free);
    println!("  decisions/s, malformed body:");
    println!("    native                 {native_bad:>12.0}   1.00x");
    println!("    wasmtime component     {wasm_bad:>12.0}   {:.2}x native", wasm_bad / native_bad);
    println!("  start-up:");
    println!("    compile (cranelift)    {:>10.1} ms", compile.as_secs_f64() * 1e3);
    println!("    deserialize            {:>10.1} us   ({} bytes serialized)", us(deserialize), serialized.len());
    println!("    deserialize_file (mmap){:>10.1} us", us(deserialize_file));
    println!("    instantiate (pre)      {:>10.1} us   target <= 1000 us", us(instantiate));
    println!(
        "    instance + 1st request {:>10.1} us   ({:.0} native decisions)",
        us(first_request),
        first_request.as_secs_f64() * native_free
    );
    println!("  size: {} bytes raw, {} bytes gzip -9   target <= 409600 gzip", bytes.len(), gzip.map_or("?".to_owned(), |g| g.to_string()));

    let report = json!({
        "native_per_s": native, "wasmtime_per_s": wasm,
        "native_free_per_s": native_free, "wasmtime_free_per_s": wasm_free,
        "native_malformed_per_s": native_bad, "wasmtime_malformed_per_s": wasm_bad,
        "compile_ms": compile.as_secs_f64() * 1e3, "deserialize_us": us(deserialize), "deserialize_file_us": us(deserialize_file),
        "instantiate_us": us(instantiate), "first_request_us": us(first_request),
        "size_raw": bytes.len(), "size_gzip": gzip,
    });
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-component.json");
    if let Err(e) = std::fs::write(&out, report.to_string()) {
        eprintln!("{}: {e}", out.display());
    }
}
