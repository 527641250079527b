//! The component in wasmtime against the native Rust API (issue 6).
//!
//! Needs `dist/dcr-policy.wasm` (`make component`). `make test-component`
//! runs this before the Node tests, which read the native answers this test
//! writes to `target/native-answers.json`.

use std::collections::BTreeSet;

use dcr_policy_host_wasmtime::{
    ALLOWED_IMPORTS, EXPECTED_EXPORTS, HostState, MetadataOutcome, RegistrationOutcome, Route, apply_mask, check_credentials,
    component_answers, instance, linker, load_policy, native_answer, outcome_json, policy_validate_metadata, registration_json, scenarios,
    shared, validate_metadata, wit_registration_request,
};
use serde_json::{Value, json};
use wasmtime::Store;
use wasmtime::component::types::ComponentItem;
use wasmtime::component::{Component, Linker};

/// The exact import list: a stray import (a WASI clock, filesystem, a second
/// random function...) fails here.
#[test]
fn imports_are_exactly_wasi_random_get_random_bytes() {
    let (engine, component) = shared();
    let ty = component.component_type();
    let mut seen = Vec::new();
    for (name, item) in ty.imports(engine) {
        let ComponentItem::ComponentInstance(inst) = item.ty else { panic!("import `{name}` is not an instance") };
        let funcs: Vec<String> = inst.exports(engine).map(|(f, _)| f.to_owned()).collect();
        seen.push((name.to_owned(), funcs));
    }
    let allowed: Vec<(String, Vec<String>)> =
        ALLOWED_IMPORTS.iter().map(|(n, fs)| ((*n).to_owned(), fs.iter().map(|f| (*f).to_owned()).collect())).collect();
    assert_eq!(seen, allowed, "the component's imports changed: review docs/component.md (what a host must supply)");
}

#[test]
fn exports_are_the_dcr_policy_interfaces() {
    let (engine, component) = shared();
    let ty = component.component_type();
    let names: Vec<&str> = ty.exports(engine).map(|(n, _)| n).collect();
    assert_eq!(names, EXPECTED_EXPORTS);
}

/// An empty linker must not be enough: proves the import test above sees the
/// real list (and that wasi:random really is imported, for credentials).
#[test]
fn instantiation_needs_the_random_import() {
    let (engine, component) = shared();
    let mut store = Store::new(engine, HostState::default());
    let empty: Linker<HostState> = Linker::new(engine);
    let err = empty.instantiate(&mut store, component).err().map(|e| format!("{e:#}"));
    assert!(err.as_deref().is_some_and(|e| e.contains("wasi:random/random@0.2.0")), "{err:?}");
    assert!(linker(engine).instantiate(&mut store, component).is_ok());
}

/// Every scenario: the free function, and the `policy` resource, give the
/// same answer as `dcr_policy::ffi` natively, after masking exactly the
/// members the scenario's `mask` names (random credentials), whose values
/// must still hang together (`check_credentials`). The JSON-text members
/// (`client`, `response`) must equal the native serialization byte for byte
/// (member order included), masked the same way. Writes the masked native
/// answers (with the exact argument texts) for the Node test.
#[test]
fn scenarios_match_native_answers() {
    let list = scenarios();
    assert!(list.len() >= 20, "too few scenarios");
    let names: BTreeSet<&str> = list.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), list.len(), "scenario names must be unique");

    let (mut store, inst) = instance();
    let mut native_answers = Vec::new();
    for s in &list {
        let mut native = native_answer(s);
        let random = !s.mask.is_empty();
        if random {
            check_credentials(&native, &format!("{}: native", s.name));
        }
        apply_mask(&mut native, &s.mask, "", &format!("{}: native", s.name));
        let routes = component_answers(&mut store, &inst, s).unwrap_or_else(|e| panic!("{}: trap: {e:#}", s.name));
        assert!(routes.len() >= 2, "{}: the free function and the policy resource", s.name);
        for Route { label, mut answer, texts } in routes {
            let what = format!("{}: {label}", s.name);
            if random {
                check_credentials(&answer, &what);
            }
            apply_mask(&mut answer, &s.mask, "", &what);
            assert_eq!(answer, native, "{what} differs from native");
            for (at, text) in texts {
                let mut got: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {at}: {e}"));
                apply_mask(&mut got, &s.mask, at, &what);
                let want = native.pointer(at).map(Value::to_string);
                // byte for byte, member order included (serde_json keeps it)
                assert_eq!(Some(got.to_string()), want, "{what}: {at} text");
            }
        }
        check_expectations(&s.name, &s.expect, &native);
        let texts: serde_json::Map<String, Value> = ["/client", "/response"]
            .iter()
            .filter_map(|p| native.pointer(p).map(|v| ((*p).to_owned(), Value::String(v.to_string()))))
            .collect();
        native_answers.push(json!({ "name": s.name, "call": s.call, "args": s.args, "mask": s.mask, "answer": native, "texts": texts }));
    }
    let calls: BTreeSet<&str> = list.iter().map(|s| s.call.as_str()).collect();
    assert_eq!(
        calls,
        BTreeSet::from([
            "discovery-metadata",
            "evaluate-management",
            "evaluate-registration",
            "explain-policy",
            "inspect-registration",
            "validate-metadata",
            "verify-software-statement"
        ]),
        "every engine call has scenarios"
    );

    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/native-answers.json");
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    }
    let text = serde_json::to_string_pretty(&json!({ "native_answers": native_answers })).unwrap_or_default();
    std::fs::write(&out, text).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}

/// The scenario file's `expect` facts (outcome, error, rules, paths,
/// reasons, sources), checked against the native answer (which the
/// component matches, see above).
fn check_expectations(name: &str, expect: &Value, answer: &Value) {
    let Some(expect) = expect.as_object() else { return };
    if let Some(o) = expect.get("outcome") {
        assert_eq!(answer.get("outcome"), Some(o), "{name}: outcome");
    }
    if let Some(e) = expect.get("error") {
        assert_eq!(answer.get("error"), Some(e), "{name}: error");
    }
    let violations = answer.get("violations").and_then(Value::as_array).cloned().unwrap_or_default();
    for (key, field) in [("rules", "rule"), ("paths", "path"), ("reasons", "reason"), ("sources", "source")] {
        if let Some(want) = expect.get(key) {
            let got: Vec<Value> = violations.iter().map(|v| v.get(field).cloned().unwrap_or(Value::Null)).collect();
            assert_eq!(&Value::Array(got), want, "{name}: violation {key}");
        }
    }
}

/// One loaded policy serves many calls, and resources are independent.
#[test]
fn a_loaded_policy_is_reused_across_calls() {
    let (mut store, inst) = instance();
    let oidc =
        load_policy(&mut store, &inst, r#"{"profile":"oidc"}"#).unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|e| panic!("{e:?}"));
    let default = load_policy(&mut store, &inst, "").unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|e| panic!("{e:?}"));
    for i in 0..200 {
        let body = format!(r#"{{"redirect_uris":["https://c{i}.example/cb"],"client_name":"client {i}"}}"#);
        for (p, text) in [(oidc, r#"{"profile":"oidc"}"#), (default, "")] {
            let out = policy_validate_metadata(&mut store, &inst, p, &body).unwrap_or_else(|e| panic!("{e}"));
            let native = serde_json::to_value(dcr_policy::ffi::validate_metadata_call(&body, Some(text))).unwrap_or_default();
            assert_eq!(outcome_json(&out), native);
        }
    }
    oidc.resource_drop(&mut store).unwrap_or_else(|e| panic!("{e}"));
    default.resource_drop(&mut store).unwrap_or_else(|e| panic!("{e}"));
}

/// POLICY-LOAD-02: an unknown profile is the host's mistake, reported by `policy.load` as `invalid-call` with paths.
#[test]
fn policy_load_02_unknown_profile_is_an_error_result() {
    let (mut store, inst) = instance();
    let err = load_policy(&mut store, &inst, r#"{"profile":"no-such-profile"}"#).unwrap_or_else(|e| panic!("{e}")).err();
    let err = err.unwrap_or_else(|| panic!("an unknown profile loaded"));
    assert!(!err.violations.is_empty());
    assert!(err.violations.iter().all(|v| v.rule == "POLICY-LOAD-02"));
}

/// RFC7591-ENDPOINT-01: hostile bodies never trap; the instance stays usable afterwards.
#[test]
fn rfc7591_endpoint_01_hostile_bodies_do_not_trap() {
    let (mut store, inst) = instance();
    let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let huge = format!(r#"{{"client_name":"{}"}}"#, "a".repeat(2 << 20));
    for body in [deep.as_str(), huge.as_str(), "\u{0}", "{\"a\":\"\\ud800\"}", "nul", "{}{}"] {
        let out = validate_metadata(&mut store, &inst, body, "").unwrap_or_else(|e| panic!("trap on hostile body: {e:#}"));
        assert!(matches!(out, MetadataOutcome::Rejected(_)), "{:?}", outcome_json(&out));
    }
    let ok = validate_metadata(&mut store, &inst, "{}", "").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome_json(&ok), serde_json::to_value(dcr_policy::ffi::validate_metadata_call("{}", Some(""))).unwrap_or_default());
}

/// A pre-compiled (serialized) component loads and answers like the original.
#[test]
fn serialized_component_round_trips() {
    let (engine, component) = shared();
    let bytes = component.serialize().unwrap_or_else(|e| panic!("{e}"));
    // SAFETY: the bytes were produced just above by the same engine.
    let again = unsafe { Component::deserialize(engine, &bytes) }.unwrap_or_else(|e| panic!("{e}"));
    let mut store = Store::new(engine, HostState::default());
    let inst = dcr_policy_host_wasmtime::DcrPolicy::instantiate(&mut store, &again, &linker(engine)).unwrap_or_else(|e| panic!("{e}"));
    let out = validate_metadata(&mut store, &inst, r#"{"redirect_uris":["https://a.example/cb"]}"#, "").unwrap_or_else(|e| panic!("{e}"));
    let native = serde_json::to_value(dcr_policy::ffi::validate_metadata_call(r#"{"redirect_uris":["https://a.example/cb"]}"#, Some("")))
        .unwrap_or_default();
    assert_eq!(outcome_json(&out), native);
}

/// A plain RFC 7591 registration under the default policy (the bench's and
/// the random tests' request).
fn plain_registration() -> dcr_policy_host_wasmtime::RegistrationRequest {
    let req = json!({
        "body": {"redirect_uris": ["https://app.example/cb"], "client_name": "App"},
        "context": {"now": 1_764_000_000, "endpoint_url": "https://as.example/register"}
    });
    wit_registration_request(req.as_object().unwrap_or_else(|| panic!("object")))
}

/// RFC7591-OUT-02/03, RFC7592-RAT-03: credentials come from the host's
/// `wasi:random` (getrandom's custom backend in the component), one batch per
/// registration, fresh for every registration.
#[test]
fn rfc7591_out_02_credentials_are_drawn_from_wasi_random() {
    let (mut store, inst) = instance();
    assert_eq!(store.data().random_calls, 0, "loading and validating need no randomness");
    let api = inst.dcr_policy_engine();
    let mut tokens = BTreeSet::new();
    for i in 1..=3u64 {
        let out = api.call_evaluate_registration(&mut store, &plain_registration(), "").unwrap_or_else(|e| panic!("{e:#}"));
        let RegistrationOutcome::Accepted(a) = &out else { panic!("{:?}", registration_json(&out)) };
        check_credentials(&registration_json(&out), "plain registration");
        // client id, secret and token come from one batch: one host call per registration
        assert_eq!(store.data().random_calls, i, "one wasi:random call per registration");
        let response: Value = serde_json::from_str(&a.response).unwrap_or_default();
        for k in ["client_id", "client_secret", "registration_access_token"] {
            assert!(tokens.insert(response[k].to_string()), "{k} repeated: the component must not reuse randomness");
        }
    }
}

/// RFC7592-RAT-03: a host whose `get-random-bytes` returns too few bytes
/// gets a 500 rejection (no weak credentials), never a trap, and the
/// instance stays usable.
#[test]
fn rfc7592_rat_03_short_random_host_gives_a_rejection_not_a_trap() {
    let (engine, component) = shared();
    let mut store = Store::new(engine, HostState { short_random: true, ..HostState::default() });
    let inst = dcr_policy_host_wasmtime::DcrPolicy::instantiate(&mut store, component, &linker(engine)).unwrap_or_else(|e| panic!("{e}"));
    let api = inst.dcr_policy_engine();
    let out = api.call_evaluate_registration(&mut store, &plain_registration(), "").unwrap_or_else(|e| panic!("trap: {e:#}"));
    let answer = registration_json(&out);
    assert_eq!(answer["outcome"], "rejected", "{answer}");
    assert_eq!(answer["status"], 500);
    assert_eq!(answer["error"], "invalid_request");
    let rules: Vec<&str> =
        answer["violations"].as_array().map(|v| v.iter().filter_map(|x| x["rule"].as_str()).collect()).unwrap_or_default();
    assert_eq!(rules, ["RFC7592-RAT-03"]);
    assert!(store.data().random_calls > 0);
    // the instance still answers
    let ok = validate_metadata(&mut store, &inst, "{}", "").unwrap_or_else(|e| panic!("{e}"));
    assert!(!matches!(ok, MetadataOutcome::InvalidCall(_)));
    // and a host that serves randomness again gets credentials from the same instance
    store.data_mut().short_random = false;
    let out = api.call_evaluate_registration(&mut store, &plain_registration(), "").unwrap_or_else(|e| panic!("trap: {e:#}"));
    assert!(matches!(out, RegistrationOutcome::Accepted(_)), "{}", registration_json(&out));
}

/// CALL-01: a key set or stored client the host passes as malformed JSON
/// text is the host's mistake (`invalid-call`, with a path into the call),
/// never the client's, and every malformed document is reported.
#[test]
fn call_01_malformed_host_documents_are_invalid_calls() {
    let (mut store, inst) = instance();
    let api = inst.dcr_policy_engine();
    let mut req = plain_registration();
    req.jwks.software_statement = Some("{\"keys\": [".to_owned());
    req.jwks.software = Some("{\"keys\": [], \"keys\": []}".to_owned());
    let out = registration_json(&api.call_evaluate_registration(&mut store, &req, "").unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(out["outcome"], "invalid_call", "{out}");
    let v = out["violations"].as_array().cloned().unwrap_or_default();
    assert_eq!(v.len(), 2, "{out}");
    assert!(v.iter().all(|x| x["rule"] == "CALL-01" && x["source"] == "request"));
    assert!(v[0]["path"].as_str().is_some_and(|p| p.starts_with("/jwks/software_statement")));
    assert_eq!(v[1]["reason"], "duplicate_member");

    let m = json!({"operation": "read", "client_id": "c1", "stored": {"client": [1, 2]}, "registration_access_token": "t"});
    let mreq = dcr_policy_host_wasmtime::wit_management_request(m.as_object().unwrap_or_else(|| panic!("object")));
    let out =
        dcr_policy_host_wasmtime::management_json(&api.call_evaluate_management(&mut store, &mreq, "").unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(out["outcome"], "invalid_call", "{out}");
    assert_eq!(out["violations"][0]["path"], "/stored/client");
    assert_eq!(out["violations"][0]["reason"], "type");
}
