//! Hostile and edge-case values in the WIT records, through every export of
//! the component (the free functions and the `policy` resource's methods).
//!
//! The rule is "never panic, never trap; every bad input is an answer": each
//! call must return (a trap is a test failure), a refusal must be the right
//! variant (`rejected` / `invalid-call`) with a rule ID and a JSON Pointer
//! path, and where the native Rust API answers the same input, the
//! component's answer (after masking random credentials) equals it.
//!
//! The native baseline here is the core API on the core's request structs
//! (`dcr_policy::registration`, `dcr_policy::management`), not the JSON
//! envelope of `dcr_policy::ffi`: the envelope applies its own size limits
//! to the whole call (2 MiB strings, 256-entry arrays), which the typed WIT
//! records do not go through. Verification is compared through the ffi call,
//! as `tests/component.rs` does.
//!
//! Needs `dist/dcr-policy.wasm` (`make component`).

use dcr_policy::{ffi, management, registration};
use dcr_policy_host_wasmtime::{
    DcrPolicy, HostState, InvalidCall, ManagementOutcome, MetadataOutcome, RegistrationOutcome, Scenario, document_json, inspect_json,
    instance, invalid_call_json, management_json, outcome_json, registration_json, scenarios, verify_json, wit_management_request,
    wit_registration_request, wit_verify_request,
};
use serde_json::{Map, Value, json};
use wasmtime::Store;
use wasmtime::component::ResourceAny;

// ---- inputs ------------------------------------------------------------------

/// A scenario of `tests/component/scenarios.json` whose name starts with `prefix`.
fn base(prefix: &str) -> Scenario {
    scenarios().into_iter().find(|s| s.name.starts_with(prefix)).unwrap_or_else(|| panic!("no scenario `{prefix}`"))
}

/// The scenario's `request` object, with `body` as text (what both the WIT
/// record and the core struct carry).
fn request(s: &Scenario) -> Map<String, Value> {
    let mut m = match serde_json::from_str(s.arg("request")) {
        Ok(Value::Object(m)) => m,
        other => panic!("{}: request is not an object: {other:?}", s.name),
    };
    if let Some(b) = m.get("body").cloned()
        && !b.is_string()
        && !b.is_null()
    {
        m.insert("body".into(), Value::String(b.to_string()));
    }
    m
}

fn ctx(m: &mut Map<String, Value>) -> &mut Map<String, Value> {
    let c = m.entry("context").or_insert_with(|| json!({}));
    if !c.is_object() {
        *c = json!({});
    }
    c.as_object_mut().unwrap_or_else(|| panic!("context"))
}

/// Instants at and around the ends of `s64`, and the epoch.
const NOWS: [i64; 8] = [i64::MIN, i64::MIN + 1, -1_764_000_000, -1, 0, 1, i64::MAX - 1, i64::MAX];

/// Host documents that are not JSON at all, or JSON the strict parser must
/// refuse: each must be an `invalid-call` (CALL-01) when the host hands it in.
fn malformed_documents() -> Vec<(&'static str, String)> {
    vec![
        ("not json", "keys: none".to_owned()),
        ("empty", String::new()),
        ("nul byte", "\u{0}".to_owned()),
        ("truncated", "{\"keys\": [".to_owned()),
        ("two documents", "{}{}".to_owned()),
        ("duplicate keys", "{\"keys\": [], \"keys\": []}".to_owned()),
        ("lone surrogate", "{\"keys\": [], \"x\": \"\\ud800\"}".to_owned()),
        ("lone low surrogate", "\"\\udc00\"".to_owned()),
        ("deeply nested", format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000))),
        ("nested objects", format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000))),
        ("10 MB string", format!("{{\"keys\": [], \"x\": \"{}\"}}", "a".repeat(10 << 20))),
    ]
}

/// Host documents that are JSON but not the shape the call wants.
fn wrong_shape_documents() -> Vec<(&'static str, String)> {
    vec![
        ("json array", "[1, 2, 3]".to_owned()),
        ("json string", "\"keys\"".to_owned()),
        ("json null", "null".to_owned()),
        ("json number", "1e999999".to_owned()),
        ("keys not an array", "{\"keys\": {}}".to_owned()),
        ("keys of garbage", "{\"keys\": [1, \"a\", null, [], {}]}".to_owned()),
    ]
}

// ---- answers -------------------------------------------------------------------

/// Members whose values are random credentials.
const RANDOM: [&str; 5] =
    ["client_id", "client_secret", "registration_access_token", "registration_client_uri", "registration_access_token_hash"];

/// Replaces random credentials anywhere in an answer (and the `from` / `to`
/// of changes to them) with `<random>`.
fn mask(v: &mut Value) {
    match v {
        Value::Object(m) => {
            let change_of_random = m.get("path").and_then(Value::as_str).is_some_and(|p| RANDOM.iter().any(|k| p == format!("/{k}")));
            for (k, x) in m.iter_mut() {
                if (RANDOM.contains(&k.as_str()) || (change_of_random && (k == "from" || k == "to"))) && x.is_string() {
                    *x = Value::String("<random>".into());
                } else {
                    mask(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(mask),
        _ => {}
    }
}

fn masked(mut v: Value) -> Value {
    mask(&mut v);
    v
}

/// Every answer: a known outcome; a refusal names at least one violation,
/// each with a rule ID and a JSON Pointer path (`""` or starting with `/`).
fn check_shape(what: &str, answer: &Value) {
    let outcome = answer.get("outcome").and_then(Value::as_str).unwrap_or_else(|| panic!("{what}: no outcome: {answer}"));
    assert!(
        ["accepted", "rejected", "invalid_call", "inspected", "explained", "discovered"].contains(&outcome),
        "{what}: outcome {outcome}"
    );
    let violations = answer.get("violations").and_then(Value::as_array).cloned().unwrap_or_default();
    if matches!(outcome, "rejected" | "invalid_call") {
        assert!(!violations.is_empty(), "{what}: a refusal without a violation: {answer}");
    }
    for v in &violations {
        let rule = v.get("rule").and_then(Value::as_str).unwrap_or_default();
        assert!(!rule.is_empty() && rule.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'), "{what}: rule {v}");
        let path = v.get("path").and_then(Value::as_str).unwrap_or_else(|| panic!("{what}: violation without path: {v}"));
        assert!(path.is_empty() || path.starts_with('/'), "{what}: path {path:?} is not a JSON Pointer");
        let message = v.get("message").and_then(Value::as_str).unwrap_or_default();
        assert!(!message.is_empty() && !message.contains('\n'), "{what}: message {message:?}");
        // messages are short: a hostile value is never echoed whole
        assert!(message.len() < 2048, "{what}: a {}-byte message echoes the input", message.len());
    }
}

/// The answer is `outcome` with a violation of `rule` whose path starts with `path`.
fn expect(what: &str, answer: &Value, outcome: &str, rule: &str, path: &str) {
    check_shape(what, answer);
    assert_eq!(answer["outcome"], outcome, "{what}: {}", short(answer));
    let violations = answer["violations"].as_array().cloned().unwrap_or_default();
    assert!(
        violations
            .iter()
            .any(|v| v["rule"].as_str().is_some_and(|r| r.starts_with(rule)) && v["path"].as_str().is_some_and(|p| p.starts_with(path))),
        "{what}: no {rule} violation at {path}: {}",
        short(answer)
    );
}

fn short(v: &Value) -> String {
    let t = v.to_string();
    if t.len() > 3000 { format!("{}...", t.chars().take(3000).collect::<String>()) } else { t }
}

fn native_policy(policy: &str) -> Result<dcr_policy::Policy, Value> {
    ffi::load_policy(Some(policy)).map_err(|(message, violations)| ffi::invalid_call_value(message, violations))
}

/// A native answer as JSON (the shape the WIT answers are converted to).
macro_rules! to_value {
    ($e:expr) => {
        serde_json::to_value($e).unwrap_or_else(|e| panic!("native answer does not serialize: {e}"))
    };
}

fn native_registration(m: &Map<String, Value>, policy: &str, inspect: bool) -> Value {
    let req: registration::RegistrationRequest =
        serde_json::from_value(Value::Object(m.clone())).unwrap_or_else(|e| panic!("not a core registration request: {e}"));
    match native_policy(policy) {
        Ok(p) if inspect => to_value!(&registration::inspect_registration(&req, &p)),
        Ok(p) => to_value!(&registration::evaluate_registration(&req, &p, &mut dcr_policy::SystemRandom)),
        Err(v) => v,
    }
}

fn native_management(m: &Map<String, Value>, policy: &str) -> Value {
    let req: management::ManagementRequest =
        serde_json::from_value(Value::Object(m.clone())).unwrap_or_else(|e| panic!("not a core management request: {e}"));
    match native_policy(policy) {
        Ok(p) => to_value!(&management::evaluate_management(&req, &p, &mut dcr_policy::SystemRandom)),
        Err(v) => v,
    }
}

fn native_verify(m: &Map<String, Value>, policy: &str) -> Value {
    let mut call = m.clone();
    let t = policy.trim();
    if !(t.is_empty() || t == "null") {
        call.insert("policy".into(), serde_json::from_str(t).unwrap_or_else(|e| panic!("policy text is not JSON: {e}")));
    }
    to_value!(&ffi::verify_software_statement_call(&Value::Object(call).to_string()))
}

type Inst = (Store<HostState>, DcrPolicy);

fn load(i: &mut Inst, policy: &str) -> Result<ResourceAny, InvalidCall> {
    let (store, inst) = i;
    inst.dcr_policy_engine().policy().call_load(&mut *store, policy).unwrap_or_else(|e| panic!("trap in policy.load: {e:#}"))
}

fn drop_policy(i: &mut Inst, p: ResourceAny) {
    p.resource_drop(&mut i.0).unwrap_or_else(|e| panic!("resource drop: {e:#}"));
}

/// The component's answers to one call: the free function, then the
/// resource method (or the `policy.load` error). A trap fails the test.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Call {
    Inspect,
    Register,
    Manage,
    Verify,
}

fn component(i: &mut Inst, call: Call, req: &Map<String, Value>, policy: &str, patch: &dyn Fn(&mut Rec)) -> Vec<(String, Value)> {
    let mut rec = match call {
        Call::Inspect | Call::Register => Rec::Reg(wit_registration_request(req)),
        Call::Manage => Rec::Mgmt(wit_management_request(req)),
        Call::Verify => Rec::Verify(wit_verify_request(req)),
    };
    patch(&mut rec);
    let mut out = Vec::new();
    let api = i.1.dcr_policy_engine();
    let trap = |e: wasmtime::Error| -> ! { panic!("trap in {call:?}: {e:#}") };
    let store = &mut i.0;
    let free = match (&rec, call) {
        (Rec::Reg(r), Call::Inspect) => inspect_json(&api.call_inspect_registration(&mut *store, r, policy).unwrap_or_else(|e| trap(e))),
        (Rec::Reg(r), _) => registration_json(&api.call_evaluate_registration(&mut *store, r, policy).unwrap_or_else(|e| trap(e))),
        (Rec::Mgmt(r), _) => management_json(&api.call_evaluate_management(&mut *store, r, policy).unwrap_or_else(|e| trap(e))),
        (Rec::Verify(r), _) => verify_json(&api.call_verify_software_statement(&mut *store, r, policy).unwrap_or_else(|e| trap(e))),
    };
    out.push(("free function".to_owned(), free));
    match load(i, policy) {
        Err(invalid) => out.push(("policy.load".to_owned(), invalid_call_json(&invalid))),
        Ok(p) => {
            let res = i.1.dcr_policy_engine().policy();
            let store = &mut i.0;
            let method = match (&rec, call) {
                (Rec::Reg(r), Call::Inspect) => inspect_json(&res.call_inspect_registration(&mut *store, p, r).unwrap_or_else(|e| trap(e))),
                (Rec::Reg(r), _) => registration_json(&res.call_evaluate_registration(&mut *store, p, r).unwrap_or_else(|e| trap(e))),
                (Rec::Mgmt(r), _) => management_json(&res.call_evaluate_management(&mut *store, p, r).unwrap_or_else(|e| trap(e))),
                (Rec::Verify(r), _) => verify_json(&res.call_verify_software_statement(&mut *store, p, r).unwrap_or_else(|e| trap(e))),
            };
            out.push(("policy method".to_owned(), method));
            drop_policy(i, p);
        }
    }
    out
}

/// A WIT call record, for tests that set fields the JSON helpers cannot
/// express (documents that are not JSON text).
enum Rec {
    Reg(dcr_policy_host_wasmtime::RegistrationRequest),
    Mgmt(dcr_policy_host_wasmtime::ManagementRequest),
    Verify(dcr_policy_host_wasmtime::VerifyRequest),
}

fn no_patch(_: &mut Rec) {}

/// The component (both routes) against the native API on the same request;
/// returns the (masked) native answer.
fn same_as_native(i: &mut Inst, what: &str, call: Call, req: &Map<String, Value>, policy: &str) -> Value {
    let native = masked(match call {
        Call::Inspect => native_registration(req, policy, true),
        Call::Register => native_registration(req, policy, false),
        Call::Manage => native_management(req, policy),
        Call::Verify => native_verify(req, policy),
    });
    check_shape(&format!("{what}: native"), &native);
    for (label, answer) in component(i, call, req, policy, &no_patch) {
        let answer = masked(answer);
        check_shape(&format!("{what}: {label}"), &answer);
        assert!(answer == native, "{what}: {label} differs from native:\n component {}\n native    {}", short(&answer), short(&native));
    }
    native
}

/// The instance still answers a plain call like the native API.
fn still_usable(i: &mut Inst, what: &str) {
    let body = r#"{"redirect_uris":["https://app.example/cb"]}"#;
    let out = i.1.dcr_policy_engine().call_validate_metadata(&mut i.0, body, "").unwrap_or_else(|e| panic!("{what}: trap: {e:#}"));
    assert_eq!(outcome_json(&out), to_value!(&ffi::validate_metadata_call(body, Some(""))), "{what}: instance no longer usable");
}

// ---- context.now -----------------------------------------------------------------

/// JWT-CLAIM-02..05, RFC7592-AUTHZ-01 (token expiry), RFC7591-OUT-03
/// (credential expiry = now + lifetime): `context.now` at the ends of s64,
/// zero and negative never traps (no overflow in the component's
/// overflow-checked arithmetic) and matches the native answer, for
/// inspect, register, manage and verify.
#[test]
fn jwt_claim_02_context_now_extremes_match_native_for_every_call() {
    let mut i = instance();
    let regs = [base("RFC7591-OUT-02 plain"), base("UKOB full registration"), base("inspect a UKOB signed request")];
    let mgmts = [base("RFC7592-READ-01"), base("RFC7592-UPDATE-01 "), base("RFC7592-DELETE-01"), base("RFC7592-AUTHZ-02")];
    let verifies = [base("JWT-SIG verify"), base("JWT-CLAIM verify a signed request")];
    for now in NOWS {
        for s in &regs {
            let mut m = request(s);
            ctx(&mut m).insert("now".into(), now.into());
            for call in [Call::Inspect, Call::Register] {
                same_as_native(&mut i, &format!("{} at now={now} ({call:?})", s.name), call, &m, s.arg("policy"));
            }
        }
        for s in &mgmts {
            let mut m = request(s);
            ctx(&mut m).insert("now".into(), now.into());
            same_as_native(&mut i, &format!("{} at now={now}", s.name), Call::Manage, &m, s.arg("policy"));
            // RFC7592-AUTHZ-01: a stored token expiry at the other ends of s64
            let has_token = m.contains_key("registration_access_token");
            if m.get("stored").is_some_and(Value::is_object) {
                for exp in [i64::MIN, -1, 0, now, now.saturating_add(1), i64::MAX] {
                    let mut m2 = m.clone();
                    if let Some(stored) = m2.get_mut("stored").and_then(Value::as_object_mut) {
                        stored.insert("registration_access_token_expires_at".into(), exp.into());
                    }
                    let what = format!("{} at now={now}, token expiring at {exp}", s.name);
                    let native = same_as_native(&mut i, &what, Call::Manage, &m2, s.arg("policy"));
                    if now >= exp && has_token {
                        expect(&what, &native, "rejected", "RFC7592-AUTHZ", "");
                    }
                }
            }
        }
        for s in &verifies {
            let mut m = request(s);
            m.insert("now".into(), now.into());
            for (leeway, max_age) in [(None, None), (Some(u64::MAX), Some(u64::MAX)), (Some(0), Some(0))] {
                if let Some(l) = leeway {
                    m.insert("leeway".into(), json!(l));
                    m.insert("max_age".into(), json!(max_age));
                }
                let what = format!("{} at now={now}, leeway {leeway:?}", s.name);
                let native = same_as_native(&mut i, &what, Call::Verify, &m, s.arg("policy"));
                if now == i64::MIN && leeway != Some(u64::MAX) {
                    // long before `iat`: issued in the future
                    expect(&what, &native, "rejected", "JWT-CLAIM-04", "/iat");
                }
            }
        }
    }
    still_usable(&mut i, "after the now sweep");
}

// ---- TLS and bearer context ------------------------------------------------------

fn tls_variants() -> Vec<(&'static str, Value)> {
    let mb = "a".repeat(1 << 20);
    let many = |f: &dyn Fn(usize) -> String| Value::from((0..10_000).map(f).collect::<Vec<_>>());
    vec![
        ("1 MB subject dn", json!({"subject_dn": format!("CN={mb}")})),
        (
            "1 MB san entries and thumbprint",
            json!({"san_dns": [mb], "san_uri": [mb], "san_ip": [mb], "san_email": [mb], "thumbprint_s256": mb}),
        ),
        (
            "nul bytes",
            json!({"subject_dn": "CN=a\u{0}b,O=\u{0}", "san_dns": ["a\u{0}.example"], "san_uri": ["https://\u{0}/"], "san_ip": ["\u{0}"], "san_email": ["\u{0}@x"], "thumbprint_s256": "\u{0}"}),
        ),
        ("invalid dn syntax", json!({"subject_dn": "=,,+=\\"})),
        ("dn without value", json!({"subject_dn": "CN"})),
        ("dn with escapes", json!({"subject_dn": "CN=\\,\\+\\#\\00\\zz,O=#04"})),
        ("dn of 10000 rdns", json!({"subject_dn": (0..10_000).map(|n| format!("OU={n}")).collect::<Vec<_>>().join(",")})),
        (
            "empty everything",
            json!({"subject_dn": "", "san_dns": [""], "san_uri": [""], "san_ip": [""], "san_email": [""], "thumbprint_s256": ""}),
        ),
        (
            "10000 sans of each kind",
            json!({
                "subject_dn": "CN=client",
                "san_dns": many(&|n| format!("h{n}.example")),
                "san_uri": many(&|n| format!("https://h{n}.example/")),
                "san_ip": many(&|n| format!("10.0.{}.{}", n / 256, n % 256)),
                "san_email": many(&|n| format!("u{n}@example.com")),
            }),
        ),
        ("garbage thumbprint", json!({"subject_dn": "CN=client", "thumbprint_s256": "!!!not-base64url==="})),
    ]
}

/// UKOB-AUTH-01 (mTLS), RFC8705 context: hostile TLS records (1 MB strings,
/// NUL bytes, invalid DN syntax, 10 000 SANs) never trap and give the native
/// answer, under a profile that reads the certificate and one that does not.
#[test]
fn ukob_auth_01_hostile_tls_records_match_native() {
    let mut i = instance();
    let bases = [base("UKOB full registration"), base("RFC7591-OUT-02 plain"), base("RFC7592-READ-01")];
    for s in &bases {
        for (name, tls) in tls_variants() {
            let mut m = request(s);
            ctx(&mut m).insert("tls".into(), tls);
            let calls: &[Call] = if s.call == "evaluate-management" { &[Call::Manage] } else { &[Call::Inspect, Call::Register] };
            for &call in calls {
                same_as_native(&mut i, &format!("{}: tls {name} ({call:?})", s.name), call, &m, s.arg("policy"));
            }
        }
    }
    still_usable(&mut i, "after the tls sweep");
}

/// ISVA-RAT-03 (bearer scopes), RFC7591-ENDPOINT (initial access token):
/// bearer records with 100 000 scopes, 1 MB scopes, NUL bytes, an invalid
/// token: never a trap; the native answer; a missing scope is a rejection
/// with a rule and path.
#[test]
fn isva_rat_03_hostile_bearer_records_match_native() {
    let mut i = instance();
    let policy =
        r#"{"registration_endpoint":"https://as.example/register","endpoint":{"require_bearer_token":true,"bearer_token_scopes":["dcr"]}}"#;
    let loaded = load(&mut i, policy).unwrap_or_else(|e| panic!("the bearer policy must load: {e:?}"));
    drop_policy(&mut i, loaded);
    let huge: Vec<String> = (0..100_000).map(|n| format!("scope-{n}")).collect();
    let bearers = [
        ("100000 scopes without dcr", json!({"valid": true, "scopes": huge})),
        (
            "100000 scopes with dcr last",
            json!({"valid": true, "scopes": huge.iter().cloned().chain(["dcr".to_owned()]).collect::<Vec<_>>()}),
        ),
        ("1 MB scope", json!({"valid": true, "scopes": ["a".repeat(1 << 20)], "client_id": "a".repeat(1 << 20)})),
        ("nul scope", json!({"valid": true, "scopes": ["dcr\u{0}", "\u{0}"], "client_id": "\u{0}"})),
        ("empty scopes", json!({"valid": true, "scopes": [""]})),
        ("invalid token with the scope", json!({"valid": false, "scopes": ["dcr"]})),
    ];
    let plain = base("RFC7591-OUT-02 plain");
    let read = base("RFC7592-READ-01");
    for (name, bearer) in bearers {
        let mut m = request(&plain);
        ctx(&mut m).insert("bearer".into(), bearer.clone());
        for call in [Call::Inspect, Call::Register] {
            let what = format!("bearer {name} ({call:?})");
            let native = same_as_native(&mut i, &what, call, &m, policy);
            if call == Call::Register && name != "100000 scopes with dcr last" {
                expect(&what, &native, "rejected", "", "");
            }
            // the same record under a policy that does not ask for a token
            same_as_native(&mut i, &format!("{what}, default policy"), call, &m, plain.arg("policy"));
        }
        let mut m = request(&read);
        ctx(&mut m).insert("bearer".into(), bearer);
        same_as_native(&mut i, &format!("read with bearer {name}"), Call::Manage, &m, read.arg("policy"));
    }
    still_usable(&mut i, "after the bearer sweep");
}

// ---- host documents as JSON text -----------------------------------------------

fn set_jwks(rec: &mut Rec, slot: &str, text: &str) {
    let t = Some(text.to_owned());
    match rec {
        Rec::Reg(r) if slot == "software_statement" => r.jwks.software_statement = t,
        Rec::Reg(r) => r.jwks.software = t,
        Rec::Mgmt(r) if slot == "software_statement" => r.jwks.software_statement = t,
        Rec::Mgmt(r) => r.jwks.software = t,
        Rec::Verify(r) => r.jwks = text.to_owned(),
    }
}

/// CALL-01: a supplied key set (either slot) that is not JSON, not strict
/// JSON (duplicate keys, lone surrogates), too deep or 10 MB is the host's
/// mistake: `invalid-call` with CALL-01 and a path under `/jwks/<slot>`,
/// from every call that takes a `supplied-jwks` (inspect, register, manage),
/// and the same `policy` resource keeps answering afterwards.
#[test]
fn call_01_malformed_supplied_jwks_are_invalid_calls() {
    let mut i = instance();
    let reg = base("UKOB full registration");
    let upd = base("RFC7592-UPDATE-01 ");
    for (name, text) in malformed_documents() {
        for slot in ["software_statement", "software"] {
            for (s, calls) in [(&reg, &[Call::Inspect, Call::Register][..]), (&upd, &[Call::Manage][..])] {
                for &call in calls {
                    let what = format!("{}: jwks/{slot} {name} ({call:?})", s.name);
                    for (label, answer) in component(&mut i, call, &request(s), s.arg("policy"), &|r| set_jwks(r, slot, &text)) {
                        expect(&format!("{what}: {label}"), &answer, "invalid_call", "CALL-01", &format!("/jwks/{slot}"));
                    }
                }
            }
        }
    }
    still_usable(&mut i, "after malformed key sets");
}

/// JWT-KEY-01 / POLICY-LOAD-01: the key set of `verify-software-statement`
/// that is malformed is `invalid-call` (POLICY-LOAD-01 at `/jwks...`, as the
/// ffi call answers); JSON of the wrong shape is `invalid-call` with the
/// native answer.
#[test]
fn jwt_key_01_hostile_verify_key_sets() {
    let mut i = instance();
    let s = base("JWT-SIG verify");
    for (name, text) in malformed_documents() {
        for (label, answer) in component(&mut i, Call::Verify, &request(&s), s.arg("policy"), &|r| set_jwks(r, "", &text)) {
            expect(&format!("verify: jwks {name}: {label}"), &answer, "invalid_call", verify_jwks_rule(name), "/jwks");
        }
    }
    // JWT-KEY-01: no key set (`""` text, or `null`) is the native answer to an absent `jwks`
    for text in ["", "  \n", "null", " null "] {
        let native = native_verify(
            &{
                let mut m = request(&s);
                m.remove("jwks");
                m
            },
            s.arg("policy"),
        );
        expect("verify: no jwks: native", &native, "invalid_call", "JWT-KEY-01", "/jwks");
        assert_eq!(native["violations"][0]["reason"], "missing");
        for (label, answer) in component(&mut i, Call::Verify, &request(&s), s.arg("policy"), &|r| set_jwks(r, "", text)) {
            assert_eq!(answer, native, "verify: jwks text {text:?}: {label}");
        }
    }
    for (name, text) in wrong_shape_documents() {
        let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
        let mut m = request(&s);
        m.insert("jwks".into(), value);
        let native = same_as_native(&mut i, &format!("verify: jwks {name}"), Call::Verify, &m, s.arg("policy"));
        expect(&format!("verify: jwks {name}"), &native, "invalid_call", "", "/jwks");
    }
    still_usable(&mut i, "after hostile verify key sets");
}

/// The rule a malformed verify key set is reported under: POLICY-LOAD-01
/// (the call is malformed), or JWT-KEY-01 for an empty text (no key set).
fn verify_jwks_rule(name: &str) -> &'static str {
    if name == "empty" { "JWT-KEY-01" } else { "POLICY-LOAD-01" }
}

/// Key sets that are JSON of the wrong shape reach the core, which answers
/// as natively (an `invalid-call` when the set is needed).
#[test]
fn jwt_key_01_wrong_shape_supplied_jwks_match_native() {
    let mut i = instance();
    let reg = base("UKOB full registration");
    let plain = base("RFC7591-OUT-02 plain");
    let upd = base("RFC7592-UPDATE-01 ");
    for (name, text) in wrong_shape_documents() {
        let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
        for slot in ["software_statement", "software"] {
            for s in [&reg, &plain, &upd] {
                let mut m = request(s);
                let jwks = m.entry("jwks").or_insert_with(|| json!({}));
                jwks.as_object_mut().unwrap_or_else(|| panic!("jwks")).insert(slot.into(), value.clone());
                let calls: &[Call] = if s.call == "evaluate-management" { &[Call::Manage] } else { &[Call::Inspect, Call::Register] };
                for &call in calls {
                    let what = format!("{}: jwks/{slot} {name} ({call:?})", s.name);
                    let native = same_as_native(&mut i, &what, call, &m, s.arg("policy"));
                    if std::ptr::eq(s, &reg) && call == Call::Register {
                        expect(&what, &native, "invalid_call", "", "/jwks");
                    }
                }
            }
        }
    }
}

fn set_stored_client(rec: &mut Rec, text: &str) {
    if let Rec::Mgmt(r) = rec
        && let Some(s) = r.stored.as_mut()
    {
        s.client = text.to_owned();
    }
}

/// CALL-01: a stored client that is not JSON, not strict JSON, deeply
/// nested, 10 MB, or JSON that is not an object is the host's mistake:
/// `invalid-call`, CALL-01, a path under `/stored/client`, for read, update
/// and delete; the resource answers afterwards.
#[test]
fn call_01_hostile_stored_clients_are_invalid_calls() {
    let mut i = instance();
    let docs: Vec<(&str, String)> = malformed_documents()
        .into_iter()
        .chain(wrong_shape_documents().into_iter().filter(|(n, _)| n.starts_with("json")))
        .chain([("1e999999", "1e999999".to_owned()), ("array of objects", "[{}]".to_owned())])
        .collect();
    for s in [base("RFC7592-READ-01"), base("RFC7592-UPDATE-01 "), base("RFC7592-DELETE-01")] {
        for (name, text) in &docs {
            for (label, answer) in component(&mut i, Call::Manage, &request(&s), s.arg("policy"), &|r| set_stored_client(r, text)) {
                expect(&format!("{}: stored client {name}: {label}", s.name), &answer, "invalid_call", "CALL-01", "/stored/client");
            }
        }
    }
    still_usable(&mut i, "after hostile stored clients");
}

/// OIDCDCR-SECTOR-02: the fetched sector identifier document is client
/// content (a string the core parses), so hostile bodies are rejections or
/// acceptances exactly as natively, never traps.
#[test]
fn oidcdcr_sector_02_hostile_sector_documents_match_native() {
    let mut i = instance();
    let s = base("OIDCDCR-SECTOR-02 registration with the fetched sector identifier array");
    let mut bodies: Vec<(&str, Option<String>)> = malformed_documents().into_iter().map(|(n, t)| (n, Some(t))).collect();
    bodies.extend(wrong_shape_documents().into_iter().map(|(n, t)| (n, Some(t))));
    bodies.push(("no body (fetch failed)", None));
    bodies
        .push(("100000 uris", Some(Value::from((0..100_000).map(|n| format!("https://h{n}.example/cb")).collect::<Vec<_>>()).to_string())));
    for (name, body) in bodies {
        for uri in [None, Some(String::new()), Some("\u{0}".to_owned()), Some("a".repeat(1 << 20))] {
            let mut m = request(&s);
            let doc = m.entry("sector_identifier").or_insert_with(|| json!({}));
            let doc = doc.as_object_mut().unwrap_or_else(|| panic!("sector_identifier"));
            doc.insert("body".into(), body.clone().map_or(Value::Null, Value::String));
            if let Some(u) = &uri {
                doc.insert("uri".into(), u.clone().into());
            }
            for call in [Call::Inspect, Call::Register] {
                let what = format!("sector document {name}, uri {:?} ({call:?})", uri.as_ref().map(String::len));
                let native = same_as_native(&mut i, &what, call, &m, s.arg("policy"));
                if call == Call::Register && name != "100000 uris" {
                    expect(&what, &native, "rejected", "OIDCDCR-SECTOR", "");
                }
            }
        }
    }
    still_usable(&mut i, "after hostile sector documents");
}

// ---- management requests -----------------------------------------------------------

/// RFC7592-READ / UPDATE / DELETE, RFC7592-AUTHZ-01/02: management requests
/// whose operation and body disagree (read or delete with a body, update
/// without one), empty, NUL or 1 MB client ids, a stored client whose token
/// hash is garbage, hostile tokens and content types: never a trap, the
/// native answer, and refusals with a rule and a path.
#[test]
fn rfc7592_authz_01_inconsistent_management_requests_match_native() {
    let mut i = instance();
    let read = base("RFC7592-READ-01");
    let upd = base("RFC7592-UPDATE-01 ");
    let body = request(&upd).get("body").cloned().unwrap_or(Value::Null);
    let mb = "a".repeat(1 << 20);
    type Edit = Box<dyn Fn(&mut Map<String, Value>)>;
    let set = |k: &'static str, v: Value| -> Edit { Box::new(move |m: &mut Map<String, Value>| drop(m.insert(k.into(), v.clone()))) };
    let stored = |k: &'static str, v: Value| -> Edit {
        Box::new(move |m: &mut Map<String, Value>| {
            if let Some(s) = m.get_mut("stored").and_then(Value::as_object_mut) {
                s.insert(k.into(), v.clone());
            }
        })
    };
    let edits: Vec<(&str, Edit, bool)> = vec![
        // (name, edit, must be refused)
        (
            "read with a body",
            Box::new({
                let body = body.clone();
                move |m: &mut Map<String, Value>| {
                    m.insert("body".into(), body.clone());
                    m.insert("content_type".into(), "application/json".into());
                }
            }),
            false,
        ),
        ("read with a malformed body", Box::new(|m: &mut Map<String, Value>| drop(m.insert("body".into(), "{".into()))), false),
        (
            "delete with a body",
            Box::new({
                let body = body.clone();
                move |m: &mut Map<String, Value>| {
                    m.insert("operation".into(), "delete".into());
                    m.insert("body".into(), body.clone());
                }
            }),
            false,
        ),
        (
            "update without a body",
            Box::new(|m: &mut Map<String, Value>| {
                m.insert("operation".into(), "update".into());
                m.remove("body");
            }),
            true,
        ),
        (
            "update with an empty body",
            Box::new(|m: &mut Map<String, Value>| {
                m.insert("operation".into(), "update".into());
                m.insert("body".into(), "".into());
            }),
            true,
        ),
        (
            "update with a 10 MB body",
            Box::new(|m: &mut Map<String, Value>| {
                m.insert("operation".into(), "update".into());
                m.insert("body".into(), format!("{{\"client_name\":\"{}\"}}", "a".repeat(10 << 20)).into());
            }),
            true,
        ),
        (
            "update with a lone surrogate",
            Box::new(|m: &mut Map<String, Value>| {
                m.insert("operation".into(), "update".into());
                m.insert("body".into(), "{\"client_name\":\"\\ud800\"}".into());
            }),
            true,
        ),
        (
            "update with a deep body",
            Box::new(|m: &mut Map<String, Value>| {
                m.insert("operation".into(), "update".into());
                m.insert("body".into(), format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)).into());
            }),
            true,
        ),
        (
            "update with a body of another content type",
            Box::new({
                let body = body.clone();
                move |m: &mut Map<String, Value>| {
                    m.insert("operation".into(), "update".into());
                    m.insert("body".into(), body.clone());
                    m.insert("content_type".into(), "text/plain\u{0}".into());
                }
            }),
            true,
        ),
        ("empty client id", set("client_id", "".into()), true),
        ("nul client id", set("client_id", "s6BhdRkqt3\u{0}".into()), true),
        ("1 MB client id", set("client_id", mb.clone().into()), true),
        ("garbage stored hash", stored("registration_access_token_hash", "!!not a hash!!".into()), true),
        ("empty stored hash", stored("registration_access_token_hash", "".into()), true),
        ("1 MB stored hash", stored("registration_access_token_hash", mb.clone().into()), true),
        ("nul stored hash", stored("registration_access_token_hash", "\u{0}".into()), true),
        ("no stored hash", stored("registration_access_token_hash", Value::Null), true),
        ("empty token", set("registration_access_token", "".into()), true),
        ("1 MB token", set("registration_access_token", mb.clone().into()), true),
        ("nul token", set("registration_access_token", "\u{0}".into()), true),
        (
            "stored client without client_id",
            Box::new(|m: &mut Map<String, Value>| {
                if let Some(c) = m.get_mut("stored").and_then(|s| s.get_mut("client")).and_then(Value::as_object_mut) {
                    c.remove("client_id");
                }
            }),
            false,
        ),
        ("stored client of the wrong types", stored("client", json!({"client_id": 7, "redirect_uris": "x", "client_secret": null})), false),
    ];
    for s in [&read, &upd] {
        for (name, edit, refused) in &edits {
            let mut m = request(s);
            edit(&mut m);
            let what = format!("{}: {name}", s.name);
            let native = same_as_native(&mut i, &what, Call::Manage, &m, s.arg("policy"));
            if *refused {
                check_shape(&what, &native);
                assert_eq!(native["outcome"], "rejected", "{what}: {}", short(&native));
            }
        }
    }
    still_usable(&mut i, "after inconsistent management requests");
}

// ---- policies ------------------------------------------------------------------------

fn hostile_policies() -> Vec<(&'static str, String)> {
    vec![
        ("not json", "profile: oidc".to_owned()),
        ("json array", "[]".to_owned()),
        ("json string", "\"oidc\"".to_owned()),
        ("json number", "1".to_owned()),
        ("nul", "\u{0}".to_owned()),
        ("duplicate keys", r#"{"profile":"oidc","profile":"rfc7591"}"#.to_owned()),
        ("nested duplicate keys", r#"{"software_statement":{"required":true,"required":false}}"#.to_owned()),
        ("lone surrogate", r#"{"profile":"\ud800"}"#.to_owned()),
        ("lone surrogate key", r#"{"\udfff":1}"#.to_owned()),
        ("deeply nested", format!("{{\"x\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000))),
        ("nested objects", format!("{}1{}", "{\"software_statement\":".repeat(50_000), "}".repeat(50_000))),
        ("10 MB string", format!("{{\"registration_endpoint\":\"https://as.example/{}\"}}", "a".repeat(10 << 20))),
        ("10 MB of members", format!("{{{}\"profile\":\"oidc\"}}", (0..400_000).map(|n| format!("\"k{n}\":0,")).collect::<String>())),
        (
            "100000 trusted issuers",
            json!({"software_statement": {"trusted_issuers": (0..100_000).map(|n| format!("iss{n}")).collect::<Vec<_>>()}}).to_string(),
        ),
        ("wrong types", r#"{"profile":7,"software_statement":[],"registration_endpoint":{}}"#.to_owned()),
    ]
}

/// POLICY-LOAD-01 / POLICY-LOAD-02: hostile policy texts (not JSON, arrays,
/// duplicate keys, lone surrogates, 100 000-deep, 10 MB) are `invalid-call`
/// from `policy.load` and from every free function (with a POLICY-LOAD rule
/// and a path), exactly the native `ffi::load_policy` error; the instance's
/// policy cache is not poisoned (a valid policy still loads and answers).
#[test]
fn policy_load_01_hostile_policies_are_invalid_calls_from_every_export() {
    let mut i = instance();
    let reg = request(&base("RFC7591-OUT-02 plain"));
    let mgmt = request(&base("RFC7592-READ-01"));
    let ver = request(&base("JWT-SIG verify"));
    for (name, policy) in hostile_policies() {
        let native = match native_policy(&policy) {
            Ok(_) => panic!("policy {name} loads natively"),
            Err(v) => v,
        };
        expect(&format!("policy {name}: native"), &native, "invalid_call", "POLICY-LOAD", "");
        let mut answers = Vec::new();
        {
            let (store, inst) = &mut i;
            let api = inst.dcr_policy_engine();
            let trap = |e: wasmtime::Error| -> ! { panic!("policy {name}: trap: {e:#}") };
            answers.push((
                "validate-metadata",
                outcome_json(&api.call_validate_metadata(&mut *store, "{}", &policy).unwrap_or_else(|e| trap(e))),
            ));
            answers.push((
                "explain-policy",
                document_json(&api.call_explain_policy(&mut *store, &policy).unwrap_or_else(|e| trap(e)), "explained", "explanation"),
            ));
            answers.push((
                "discovery-metadata",
                document_json(&api.call_discovery_metadata(&mut *store, &policy).unwrap_or_else(|e| trap(e)), "discovered", "metadata"),
            ));
        }
        for (label, call, req) in [("inspect", Call::Inspect, &reg), ("register", Call::Register, &reg), ("manage", Call::Manage, &mgmt)] {
            for (route, answer) in component(&mut i, call, req, &policy, &no_patch) {
                let what = format!("policy {name}: {label}: {route}");
                assert_eq!(answer, native, "{what}");
            }
        }
        // verify reads the key set first, then the policy; the key set is fine here
        for (route, answer) in component(&mut i, Call::Verify, &ver, &policy, &no_patch) {
            assert_eq!(answer, native, "policy {name}: verify: {route}");
        }
        for (label, answer) in answers {
            assert_eq!(answer, native, "policy {name}: {label}");
        }
    }
    // the free functions' cache of loaded policies still serves good ones
    let good = r#"{"profile":"oidc"}"#;
    for _ in 0..2 {
        let (store, inst) = &mut i;
        let out = inst.dcr_policy_engine().call_validate_metadata(&mut *store, "{}", good).unwrap_or_else(|e| panic!("{e:#}"));
        assert_eq!(outcome_json(&out), to_value!(&ffi::validate_metadata_call("{}", Some(good))));
    }
    still_usable(&mut i, "after hostile policies");
}

/// A valid but large policy (many issuers, long endpoint) loads, or fails,
/// as natively, and its explanation and discovery metadata match.
#[test]
fn policy_load_01_large_valid_policies_match_native() {
    let mut i = instance();
    let issuers: Vec<String> = (0..200).map(|n| format!("https://iss{n}.example")).collect();
    let policies = [
        json!({"profile": "oidc", "software_statement": {"trusted_issuers": issuers}}).to_string(),
        json!({"registration_endpoint": format!("https://as.example/{}", "a".repeat(8000))}).to_string(),
        " \n null \n ".to_owned(),
    ];
    for policy in policies {
        let native_explain: Value = serde_json::from_str(&ffi::with_policy(Some(&policy), ffi::explain_policy_json)).unwrap_or_default();
        let native_disc: Value = serde_json::from_str(&ffi::with_policy(Some(&policy), ffi::discovery_metadata_json)).unwrap_or_default();
        let (store, inst) = &mut i;
        let api = inst.dcr_policy_engine();
        let e = api.call_explain_policy(&mut *store, &policy).unwrap_or_else(|e| panic!("{e:#}"));
        assert_eq!(document_json(&e, "explained", "explanation"), native_explain);
        let d = api.call_discovery_metadata(&mut *store, &policy).unwrap_or_else(|e| panic!("{e:#}"));
        assert_eq!(document_json(&d, "discovered", "metadata"), native_disc);
        if let Ok(p) = load(&mut i, &policy) {
            let res = i.1.dcr_policy_engine().policy();
            let e = res.call_explain(&mut i.0, p).unwrap_or_else(|e| panic!("{e:#}"));
            assert_eq!(document_json(&Ok(e), "explained", "explanation"), native_explain);
            let d = res.call_discovery_metadata(&mut i.0, p).unwrap_or_else(|e| panic!("{e:#}"));
            assert_eq!(document_json(&Ok(d), "discovered", "metadata"), native_disc);
            drop_policy(&mut i, p);
        }
    }
}

// ---- one resource, many bad calls ---------------------------------------------------

/// CALL-01, RFC7591-ENDPOINT-01: one `policy` resource receives an invalid
/// call of every kind (malformed key sets, a stored client that is not an
/// object, a malformed verify key set, hostile metadata), then good calls:
/// each good call still gets the native answer, and the key-set cache the
/// resource keeps is not poisoned.
#[test]
fn call_01_a_policy_resource_survives_invalid_calls() {
    let mut i = instance();
    let ukob = base("UKOB full registration");
    let read = base("RFC7592-READ-01");
    let ver = base("JWT-SIG verify");
    let p = load(&mut i, ukob.arg("policy")).unwrap_or_else(|e| panic!("{e:?}"));
    let good_reg = wit_registration_request(&request(&ukob));
    let native_good = masked(native_registration(&request(&ukob), ukob.arg("policy"), false));
    assert_eq!(native_good["outcome"], "accepted", "{}", short(&native_good));
    for round in 0..3 {
        let res = i.1.dcr_policy_engine().policy();
        let store = &mut i.0;
        // bad: the key sets
        for (name, text) in malformed_documents() {
            let mut r = good_reg.clone();
            r.jwks.software_statement = Some(text.clone());
            let out =
                registration_json(&res.call_evaluate_registration(&mut *store, p, &r).unwrap_or_else(|e| panic!("{name}: trap: {e:#}")));
            expect(&format!("round {round}: jwks {name}"), &out, "invalid_call", "CALL-01", "/jwks/software_statement");
            let out = inspect_json(&res.call_inspect_registration(&mut *store, p, &r).unwrap_or_else(|e| panic!("{name}: trap: {e:#}")));
            expect(&format!("round {round}: inspect jwks {name}"), &out, "invalid_call", "CALL-01", "/jwks/software_statement");
            let mut v = wit_verify_request(&request(&ver));
            v.jwks = text.clone();
            let out =
                verify_json(&res.call_verify_software_statement(&mut *store, p, &v).unwrap_or_else(|e| panic!("{name}: trap: {e:#}")));
            expect(&format!("round {round}: verify jwks {name}"), &out, "invalid_call", verify_jwks_rule(name), "/jwks");
            let mut mr = wit_management_request(&request(&read));
            if let Some(s) = mr.stored.as_mut() {
                s.client = text.clone();
            }
            let out = management_json(&res.call_evaluate_management(&mut *store, p, &mr).unwrap_or_else(|e| panic!("{name}: trap: {e:#}")));
            expect(&format!("round {round}: stored client {name}"), &out, "invalid_call", "CALL-01", "/stored/client");
            // the metadata body is the client's content: a rejection, not an invalid call
            let out = res.call_validate_metadata(&mut *store, p, &text).unwrap_or_else(|e| panic!("{name}: trap: {e:#}"));
            let out = outcome_json(&out);
            check_shape(&format!("round {round}: metadata {name}"), &out);
            assert_eq!(out["outcome"], "rejected", "round {round}: metadata {name}: {}", short(&out));
            assert!(matches!(res.call_validate_metadata(&mut *store, p, &text), Ok(MetadataOutcome::Rejected(_))));
        }
        // good: the same resource still decides like the native API
        let out = res.call_evaluate_registration(&mut *store, p, &good_reg).unwrap_or_else(|e| panic!("trap: {e:#}"));
        assert!(matches!(out, RegistrationOutcome::Accepted(_)), "round {round}");
        assert_eq!(masked(registration_json(&out)), native_good, "round {round}: the good registration after invalid calls");
        let mr = wit_management_request(&request(&read));
        let out = res.call_evaluate_management(&mut *store, p, &mr).unwrap_or_else(|e| panic!("trap: {e:#}"));
        assert!(!matches!(out, ManagementOutcome::InvalidCall(_)), "round {round}: {}", management_json(&out));
        assert_eq!(masked(management_json(&out)), masked(native_management(&request(&read), ukob.arg("policy"))), "round {round}: read");
    }
    drop_policy(&mut i, p);
    still_usable(&mut i, "after the resource's invalid calls");
}

// ---- the rest of the registration record ---------------------------------------------

/// RFC7591-ENDPOINT-01 / 02: hostile bodies, content types and endpoint URLs
/// in a `registration-request` (10 MB, lone surrogates, 100 000-deep, NUL,
/// JSON that is not an object, a JWS of garbage) are rejections with a rule
/// and a path, exactly as natively, from inspect and register.
#[test]
fn rfc7591_endpoint_01_hostile_registration_records_match_native() {
    let mut i = instance();
    let plain = base("RFC7591-OUT-02 plain");
    let ukob = base("UKOB full registration");
    let mut bodies: Vec<(&str, String)> = malformed_documents();
    bodies.extend(wrong_shape_documents());
    bodies.push(("jws of garbage", "a.b.c".to_owned()));
    bodies.push(("jws of nul", "\u{0}.\u{0}.\u{0}".to_owned()));
    bodies.push(("jws of 10 MB", format!("eyJhbGciOiJub25lIn0.{}.", "A".repeat(10 << 20))));
    let content_types = [None, Some("application/jwt"), Some("application/json\u{0}"), Some(""), Some("text/plain; charset=\u{0}")];
    for s in [&plain, &ukob] {
        for (name, body) in &bodies {
            for ct in content_types {
                let mut m = request(s);
                m.insert("body".into(), body.clone().into());
                m.insert("content_type".into(), ct.map_or(Value::Null, Value::from));
                for call in [Call::Inspect, Call::Register] {
                    let what = format!("{}: body {name}, content type {ct:?} ({call:?})", s.name);
                    let native = same_as_native(&mut i, &what, call, &m, s.arg("policy"));
                    if call == Call::Register {
                        assert_eq!(native["outcome"], "rejected", "{what}: {}", short(&native));
                    }
                }
            }
        }
    }
    for url in ["", "\u{0}", "not a url", "https://as.example/register\u{0}", &format!("https://as.example/{}", "a".repeat(1 << 20))] {
        for s in [&plain, &ukob] {
            let mut m = request(s);
            ctx(&mut m).insert("endpoint_url".into(), url.into());
            for call in [Call::Inspect, Call::Register] {
                same_as_native(&mut i, &format!("{}: endpoint url of {} bytes ({call:?})", s.name, url.len()), call, &m, s.arg("policy"));
            }
        }
    }
    still_usable(&mut i, "after hostile registration records");
}

/// JWT-SIG / JWT-CLAIM / JWT-KEY-03: hostile `verify-request` fields (garbage
/// and NUL tokens, 4 000-entry option lists, NUL `typ`, `leeway` and
/// `max-age` at u64::MAX, both token kinds and embedded-key modes) never
/// trap and give the ffi call's answer; a 10 MB token is a rejection.
#[test]
fn jwt_sig_hostile_verify_requests_match_native() {
    let mut i = instance();
    let s = base("JWT-SIG verify");
    let many: Vec<String> = (0..4000).map(|n| format!("v{n}")).collect();
    let edits: Vec<(&str, Value)> = vec![
        ("token", json!("")),
        ("token", json!("\u{0}")),
        ("token", json!("a.b.c")),
        ("token", json!("..")),
        ("token", json!(format!("{}.{}.{}", "A".repeat(5000), "B".repeat(5000), "C".repeat(5000)))),
        ("algorithms", json!([])),
        ("algorithms", json!(many)),
        ("algorithms", json!(["none", "\u{0}", "PS256\u{0}"])),
        ("issuers", json!(many)),
        ("issuers", json!([""])),
        ("audience", json!(many)),
        ("required_claims", json!(many)),
        ("required_claims", json!(["", "\u{0}", "iss"])),
        ("typ", json!("\u{0}")),
        ("typ", json!("")),
        ("leeway", json!(u64::MAX)),
        ("max_age", json!(u64::MAX)),
        ("max_age", json!(0)),
        ("kind", json!("request_jwt")),
        ("embedded_keys", json!("ignore")),
        ("embedded_keys", json!("reject")),
    ];
    for (key, value) in edits {
        let mut m = request(&s);
        m.insert(key.into(), value.clone());
        let what = format!("verify with {key} = {}", short(&value).chars().take(60).collect::<String>());
        let native = same_as_native(&mut i, &what, Call::Verify, &m, s.arg("policy"));
        if key == "token" {
            expect(&what, &native, "rejected", "", "");
        }
    }
    let mut m = request(&s);
    m.insert("token".into(), format!("eyJhbGciOiJQUzI1NiJ9.{}.sig", "A".repeat(10 << 20)).into());
    for (label, answer) in component(&mut i, Call::Verify, &m, s.arg("policy"), &no_patch) {
        expect(&format!("verify a 10 MB token: {label}"), &answer, "rejected", "", "");
    }
    still_usable(&mut i, "after hostile verify requests");
}
