//! A minimal wasmtime host for `dist/dcr-policy.wasm`, shared by the tests
//! (`tests/component.rs`) and the bench (`benches/component.rs`).
//!
//! It is also the reference for what a Rust host needs (docs/component.md):
//! one `wasi:random/random@0.2.0` function, nothing else.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Map, Value, json};
use wasmtime::component::{Component, HasSelf, Linker, ResourceAny};
use wasmtime::{Config, Engine, Store};

wasmtime::component::bindgen!({
    world: "dcr-policy",
    path: "../../wit",
});

pub use exports::dcr::policy::engine::{MetadataAccepted, MetadataOutcome, MetadataRejected};
use exports::dcr::policy::types::{Change, Violation};
pub use exports::dcr::policy::types::{ChangeAction, ErrorCode, InvalidCall, Severity, Source};

/// The imports the component may have, exactly: a stray import (filesystem,
/// clock, network, a second WASI interface) must fail the tests.
pub const ALLOWED_IMPORTS: &[(&str, &[&str])] = &[("wasi:random/random@0.2.0", &["get-random-bytes"])];

/// The component's exports, exactly.
pub const EXPECTED_EXPORTS: &[&str] = &["dcr:policy/types@0.1.0", "dcr:policy/engine@0.1.0"];

/// The repository root (two levels above this crate).
#[must_use]
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `dist/dcr-policy.wasm`, or `$DCR_COMPONENT` when set.
#[must_use]
pub fn component_path() -> PathBuf {
    std::env::var_os("DCR_COMPONENT").map_or_else(|| repo_root().join("dist/dcr-policy.wasm"), PathBuf::from)
}

/// Per-store host state: what the component's single import needs.
#[derive(Default)]
pub struct HostState {
    /// How many times the guest asked for randomness (tests look at it).
    pub random_calls: u64,
}

/// Largest `get-random-bytes` request served; larger requests get an empty
/// list, which the guest treats as "no randomness" (it never asks for more
/// than a few dozen bytes).
pub const MAX_RANDOM_BYTES: u64 = 64 * 1024;

impl wasi::random::random::Host for HostState {
    fn get_random_bytes(&mut self, len: u64) -> Vec<u8> {
        use dcr_policy::RandomSource;
        self.random_calls += 1;
        let Ok(n) = usize::try_from(len) else { return Vec::new() };
        if len > MAX_RANDOM_BYTES {
            return Vec::new();
        }
        let mut out = vec![0u8; n];
        match dcr_policy::SystemRandom.fill(&mut out) {
            Ok(()) => out,
            Err(_) => Vec::new(),
        }
    }
}

/// An engine with default settings, and a linker holding the one import.
#[must_use]
pub fn engine() -> Engine {
    let mut config = Config::new();
    config.wasm_component_model(true);
    // Default: cranelift, no fuel, no epoch interruption. A real host may add
    // fuel or epochs to bound CPU per call.
    Engine::new(&config).unwrap_or_else(|e| panic!("engine: {e}"))
}

/// A linker with `wasi:random/random@0.2.0` served by [`HostState`].
#[must_use]
pub fn linker(engine: &Engine) -> Linker<HostState> {
    let mut linker = Linker::new(engine);
    DcrPolicy::add_to_linker::<HostState, HasSelf<HostState>>(&mut linker, |s| s).unwrap_or_else(|e| panic!("linker: {e}"));
    linker
}

/// The engine and the compiled component, built once per process.
pub fn shared() -> &'static (Engine, Component) {
    static SHARED: OnceLock<(Engine, Component)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let engine = engine();
        let path = component_path();
        let component = Component::from_file(&engine, &path)
            .unwrap_or_else(|e| panic!("cannot load {}: {e} (run `make component` first)", path.display()));
        (engine, component)
    })
}

/// A fresh instance of the shared component.
#[must_use]
pub fn instance() -> (Store<HostState>, DcrPolicy) {
    let (engine, component) = shared();
    let mut store = Store::new(engine, HostState::default());
    let inst = DcrPolicy::instantiate(&mut store, component, &linker(engine)).unwrap_or_else(|e| panic!("instantiate: {e}"));
    (store, inst)
}

/// `validate-metadata` (free function) through the component.
pub fn validate_metadata(
    store: &mut Store<HostState>,
    inst: &DcrPolicy,
    metadata: &str,
    policy: &str,
) -> wasmtime::Result<MetadataOutcome> {
    inst.dcr_policy_engine().call_validate_metadata(store, metadata, policy)
}

/// `policy.load` through the component.
pub fn load_policy(store: &mut Store<HostState>, inst: &DcrPolicy, policy: &str) -> wasmtime::Result<Result<ResourceAny, InvalidCall>> {
    inst.dcr_policy_engine().policy().call_load(store, policy)
}

/// `policy.validate-metadata` through the component.
pub fn policy_validate_metadata(
    store: &mut Store<HostState>,
    inst: &DcrPolicy,
    policy: ResourceAny,
    metadata: &str,
) -> wasmtime::Result<MetadataOutcome> {
    inst.dcr_policy_engine().policy().call_validate_metadata(store, policy, metadata)
}

// ---- WIT answer -> the JSON shape of `dcr_policy::ffi` ----------------------
// Exhaustive matches: a new WIT case fails to compile here until it is mapped.

/// Converts a component answer to the JSON the native `ffi` answer serializes to.
#[must_use]
pub fn outcome_json(outcome: &MetadataOutcome) -> Value {
    match outcome {
        MetadataOutcome::Accepted(a) => json!({
            "outcome": "accepted",
            "client": parse(&a.client),
            "changes": a.changes.iter().map(change_json).collect::<Vec<_>>(),
            "violations": a.violations.iter().map(violation_json).collect::<Vec<_>>(),
        }),
        MetadataOutcome::Rejected(r) => json!({
            "outcome": "rejected",
            "error": error_code(r.error),
            "error_description": r.error_description,
            "client": parse(&r.client),
            "changes": r.changes.iter().map(change_json).collect::<Vec<_>>(),
            "violations": r.violations.iter().map(violation_json).collect::<Vec<_>>(),
        }),
        MetadataOutcome::InvalidCall(i) => invalid_call_json(i),
    }
}

/// The `invalid_call` answer for a `policy.load` error.
#[must_use]
pub fn invalid_call_json(i: &InvalidCall) -> Value {
    json!({
        "outcome": "invalid_call",
        "message": i.message,
        "violations": i.violations.iter().map(violation_json).collect::<Vec<_>>(),
    })
}

/// The `client` JSON text of an answer, exactly as the component produced it.
#[must_use]
pub fn client_text(outcome: &MetadataOutcome) -> Option<&str> {
    match outcome {
        MetadataOutcome::Accepted(a) => Some(&a.client),
        MetadataOutcome::Rejected(r) => Some(&r.client),
        MetadataOutcome::InvalidCall(_) => None,
    }
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("component returned invalid JSON text {text:?}: {e}"))
}

fn violation_json(v: &Violation) -> Value {
    let mut m = Map::new();
    m.insert("error".into(), error_code(v.error).into());
    m.insert("rule".into(), v.rule.clone().into());
    m.insert("path".into(), v.path.clone().into());
    m.insert("source".into(), source(v.source).into());
    m.insert("message".into(), v.message.clone().into());
    m.insert("severity".into(), severity(v.severity).into());
    if let Some(r) = &v.reason {
        m.insert("reason".into(), r.clone().into());
    }
    Value::Object(m)
}

fn change_json(c: &Change) -> Value {
    let mut m = Map::new();
    m.insert("path".into(), c.path.clone().into());
    m.insert("action".into(), change_action(c.action).into());
    if let Some(f) = &c.from {
        m.insert("from".into(), parse(f));
    }
    if let Some(t) = &c.to {
        m.insert("to".into(), parse(t));
    }
    m.insert("rule".into(), c.rule.clone().into());
    m.insert("reason".into(), c.reason.clone().into());
    Value::Object(m)
}

fn error_code(e: ErrorCode) -> &'static str {
    match e {
        ErrorCode::InvalidRedirectUri => "invalid_redirect_uri",
        ErrorCode::InvalidClientMetadata => "invalid_client_metadata",
        ErrorCode::InvalidSoftwareStatement => "invalid_software_statement",
        ErrorCode::UnapprovedSoftwareStatement => "unapproved_software_statement",
        ErrorCode::InvalidToken => "invalid_token",
        ErrorCode::InsufficientScope => "insufficient_scope",
        ErrorCode::InvalidRequest => "invalid_request",
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "advice",
    }
}

fn source(s: Source) -> &'static str {
    match s {
        Source::Metadata => "metadata",
        Source::Request => "request",
        Source::SoftwareStatement => "software_statement",
        Source::SoftwareStatementHeader => "software_statement_header",
        Source::RequestJwt => "request_jwt",
        Source::RequestJwtHeader => "request_jwt_header",
        Source::Jwks => "jwks",
        Source::Policy => "policy",
        Source::Context => "context",
    }
}

fn change_action(a: ChangeAction) -> &'static str {
    match a {
        ChangeAction::Defaulted => "defaulted",
        ChangeAction::Overridden => "overridden",
        ChangeAction::Removed => "removed",
        ChangeAction::FromSoftwareStatement => "from_software_statement",
        ChangeAction::Added => "added",
        ChangeAction::Updated => "updated",
        ChangeAction::Rotated => "rotated",
    }
}

// ---- scenarios (tests/component/scenarios.json) ----------------------------

/// One scenario: a call name and its arguments as the exact texts sent to
/// both the component and the native API.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Unique name (cites rule IDs where it tests one).
    pub name: String,
    /// The WIT function, e.g. `validate-metadata` (the default).
    pub call: String,
    /// Arguments by WIT parameter name. In the file, `<arg>` holds a JSON
    /// value (sent as compact JSON text) and `<arg>_text` a string sent
    /// verbatim (for malformed documents). A missing `policy` is `""`.
    pub args: BTreeMap<String, String>,
    /// Facts that must hold (see the file's `about`), or `Value::Null`.
    pub expect: Value,
}

impl Scenario {
    /// The argument `name`, or `""` when absent.
    #[must_use]
    pub fn arg(&self, name: &str) -> &str {
        self.args.get(name).map_or("", String::as_str)
    }
}

/// Reads `tests/component/scenarios.json` (or `$DCR_SCENARIOS`).
#[must_use]
pub fn scenarios() -> Vec<Scenario> {
    let path = std::env::var_os("DCR_SCENARIOS").map_or_else(|| repo_root().join("tests/component/scenarios.json"), PathBuf::from);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let list = doc.get("scenarios").and_then(Value::as_array).unwrap_or_else(|| panic!("{}: no `scenarios` array", path.display()));
    list.iter()
        .map(|s| {
            let obj = s.as_object().unwrap_or_else(|| panic!("scenario is not an object: {s}"));
            let mut args = BTreeMap::new();
            for (k, v) in obj {
                if matches!(k.as_str(), "name" | "call" | "expect") {
                    continue;
                }
                match (k.strip_suffix("_text"), v) {
                    (Some(arg), Value::String(t)) => args.insert(arg.to_owned(), t.clone()),
                    (Some(_), other) => panic!("{k} must be a string, got {other}"),
                    (None, v) => args.insert(k.clone(), v.to_string()),
                };
            }
            Scenario {
                name: obj.get("name").and_then(Value::as_str).unwrap_or_else(|| panic!("scenario without name: {s}")).to_owned(),
                call: obj.get("call").and_then(Value::as_str).unwrap_or("validate-metadata").to_owned(),
                args,
                expect: obj.get("expect").cloned().unwrap_or(Value::Null),
            }
        })
        .collect()
}

/// The native answer, serialized to JSON: the baseline every host must match.
///
/// To add a call: one arm here, one in [`component_answers`], one in
/// `tests/component/answer.mjs`'s `CALLS`.
#[must_use]
pub fn native_answer(s: &Scenario) -> Value {
    let answer = match s.call.as_str() {
        "validate-metadata" => serde_json::to_value(dcr_policy::ffi::validate_metadata_call(s.arg("metadata"), Some(s.arg("policy")))),
        other => panic!("{}: unknown call `{other}`", s.name),
    };
    answer.unwrap_or_else(|e| panic!("native answer does not serialize: {e}"))
}

/// The component's answers for a scenario, each labelled by the route taken
/// (free function, and the `policy` resource when the call has one), as
/// `(label, answer JSON, client JSON text if any)`.
///
/// # Errors
/// A trap or a host error.
pub fn component_answers(
    store: &mut Store<HostState>,
    inst: &DcrPolicy,
    s: &Scenario,
) -> wasmtime::Result<Vec<(&'static str, Value, Option<String>)>> {
    let mut out = Vec::new();
    match s.call.as_str() {
        "validate-metadata" => {
            let free = validate_metadata(store, inst, s.arg("metadata"), s.arg("policy"))?;
            out.push(("free function", outcome_json(&free), client_text(&free).map(str::to_owned)));
            match load_policy(store, inst, s.arg("policy"))? {
                Ok(policy) => {
                    let m = policy_validate_metadata(store, inst, policy, s.arg("metadata"))?;
                    out.push(("policy.validate-metadata", outcome_json(&m), client_text(&m).map(str::to_owned)));
                    policy.resource_drop(&mut *store)?;
                }
                Err(invalid) => out.push(("policy.load", invalid_call_json(&invalid), None)),
            }
        }
        other => panic!("{}: unknown call `{other}`", s.name),
    }
    Ok(out)
}
