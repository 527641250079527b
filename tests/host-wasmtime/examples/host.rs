//! The smallest useful wasmtime host for dist/dcr-policy.wasm: the example in
//! docs/component.md (`cargo test` compiles it; run it with
//! `cargo run --release --example host` after `make component`).

use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Engine, Store};

wasmtime::component::bindgen!({ world: "dcr-policy", path: "../../wit" });

use exports::dcr::policy::engine::MetadataOutcome;

struct Host;

impl wasi::random::random::Host for Host {
    fn get_random_bytes(&mut self, len: u64) -> Vec<u8> {
        // An empty answer means "no randomness": the engine then refuses to issue credentials.
        let Ok(n) = usize::try_from(len.min(64 * 1024)) else { return Vec::new() };
        let mut out = vec![0; n];
        getrandom::fill(&mut out).map(|()| out).unwrap_or_default()
    }
}

fn main() -> wasmtime::Result<()> {
    let engine = Engine::default();
    // Compiling takes ~0.5 s: do it once (or at build time) and keep the bytes.
    let bytes = Component::from_file(&engine, "../../dist/dcr-policy.wasm")?.serialize()?;
    // SAFETY: bytes produced by `serialize` with this engine.
    let component = unsafe { Component::deserialize(&engine, &bytes)? };

    let mut linker = Linker::new(&engine);
    DcrPolicy::add_to_linker::<Host, HasSelf<Host>>(&mut linker, |h| h)?;
    let pre = DcrPolicyPre::new(linker.instantiate_pre(&component)?)?; // once per process

    let mut store = Store::new(&engine, Host); // per instance: cheap
    let dcr = pre.instantiate(&mut store)?;
    let api = dcr.dcr_policy_engine();

    let policy = match api.policy().call_load(&mut store, r#"{"profile":"oidc"}"#)? {
        Ok(p) => p,
        Err(invalid) => return Err(wasmtime::format_err!("bad policy: {}", invalid.message)),
    };
    let body = r#"{"redirect_uris":["https://app.example.com/cb"]}"#;
    match api.policy().call_validate_metadata(&mut store, policy, body)? {
        MetadataOutcome::Accepted(a) => println!("201: store {}", a.client),
        MetadataOutcome::Rejected(r) => println!("400 {:?}: {}", r.error, r.error_description),
        MetadataOutcome::InvalidCall(i) => println!("500 (our bug): {}", i.message),
    }
    policy.resource_drop(&mut store)?;
    Ok(())
}
