//! Decisions per second natively and through the component in wasmtime, the
//! start-up time of a pre-compiled component, and the component's size.
//! `make bench-component` (or `cargo bench` in this crate, after `make component`).
//!
//! Figures are printed as ratios against the native baseline of the same run,
//! and written to `target/bench-component.json` for bench/component.mjs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use dcr_policy_host_wasmtime::{
    DcrPolicy, DcrPolicyPre, HostState, RegistrationOutcome, component_path, engine, linker, load_policy, native_request_json,
    policy_validate_metadata, registration_json, scenarios, validate_metadata, wit_registration_request,
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
    // evaluate-registration decisions: two scenarios of tests/component/scenarios.json
    let list = scenarios();
    let find =
        |prefix: &str| list.iter().find(|s| s.name.starts_with(prefix)).cloned().unwrap_or_else(|| panic!("no scenario `{prefix}...`"));
    // a plain RFC 7591 registration: metadata rules + three credentials from the random source
    let plain = find("RFC7591-OUT-02 plain rfc7591 registration accepted");
    // UK Open Banking: mTLS context, PS256 software statement + PS256 signed request, SSA merge, profile rules
    let ukob = find("UKOB full registration");

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

    // native registration: the typed core call (request struct built once), and the ffi JSON route
    // (what the wasm-bindgen package does per call: parse the envelope, serialize the answer)
    let native_registration = |sc: &dcr_policy_host_wasmtime::Scenario| {
        let policy = dcr_policy::ffi::load_policy(Some(sc.arg("policy"))).unwrap_or_else(|e| panic!("{e:?}"));
        let env = native_request_json(sc);
        let req: dcr_policy::registration::RegistrationRequest = serde_json::from_str(&env).unwrap_or_else(|e| panic!("{e}"));
        let answer = dcr_policy::registration::evaluate_registration(&req, &policy, &mut dcr_policy::SystemRandom);
        assert!(matches!(answer, dcr_policy::registration::RegistrationAnswer::Accepted { .. }), "{}: {answer:?}", sc.name);
        let typed = rate(|| {
            black_box(dcr_policy::registration::evaluate_registration(black_box(&req), &policy, &mut dcr_policy::SystemRandom));
        });
        let json = rate(|| {
            black_box(dcr_policy::ffi::to_json(&dcr_policy::ffi::evaluate_registration_json(black_box(&env), &policy)));
        });
        (typed, json)
    };
    let (native_reg, native_reg_json) = native_registration(&plain);
    let (native_ukob, native_ukob_json) = native_registration(&ukob);

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

    let mut component_registration = |sc: &dcr_policy_host_wasmtime::Scenario| {
        let api = inst.dcr_policy_engine();
        let p = load_policy(&mut store, &inst, sc.arg("policy")).unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|e| panic!("{e:?}"));
        let req = wit_registration_request(&serde_json::from_str(&native_request_json(sc)).unwrap_or_else(|e| panic!("{e}")));
        let first = api.policy().call_evaluate_registration(&mut store, p, &req).unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(first, RegistrationOutcome::Accepted(_)), "{}: {}", sc.name, registration_json(&first));
        let r = rate(|| {
            black_box(api.policy().call_evaluate_registration(&mut store, p, black_box(&req)).unwrap_or_else(|e| panic!("{e}")));
        });
        p.resource_drop(&mut store).unwrap_or_else(|e| panic!("{e}"));
        r
    };
    let wasm_reg = component_registration(&plain);
    let wasm_ukob = component_registration(&ukob);
    let random_calls = store.data().random_calls;

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
    println!("  evaluate-registration decisions/s, policy loaded once (plain RFC 7591: 3 credentials from the random source):");
    println!("    native (typed call)    {native_reg:>12.0}   1.00x");
    println!("    native (ffi JSON)      {native_reg_json:>12.0}   {:.2}x native", native_reg_json / native_reg);
    println!("    wasmtime component     {wasm_reg:>12.0}   {:.2}x native", wasm_reg / native_reg);
    println!("  evaluate-registration decisions/s, UK Open Banking (mTLS, PS256 SSA + PS256 signed request):");
    println!("    native (typed call)    {native_ukob:>12.0}   1.00x");
    println!("    native (ffi JSON)      {native_ukob_json:>12.0}   {:.2}x native", native_ukob_json / native_ukob);
    println!("    wasmtime component     {wasm_ukob:>12.0}   {:.2}x native", wasm_ukob / native_ukob);
    println!("    (wasi:random calls served: {random_calls})");
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
        "native_registration_per_s": native_reg, "native_registration_json_per_s": native_reg_json, "wasmtime_registration_per_s": wasm_reg,
        "native_ukob_registration_per_s": native_ukob, "native_ukob_registration_json_per_s": native_ukob_json,
        "wasmtime_ukob_registration_per_s": wasm_ukob,
        "compile_ms": compile.as_secs_f64() * 1e3, "deserialize_us": us(deserialize), "deserialize_file_us": us(deserialize_file),
        "instantiate_us": us(instantiate), "first_request_us": us(first_request),
        "size_raw": bytes.len(), "size_gzip": gzip,
    });
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-component.json");
    if let Err(e) = std::fs::write(&out, report.to_string()) {
        eprintln!("{}: {e}", out.display());
    }
}
