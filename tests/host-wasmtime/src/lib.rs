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

pub use exports::dcr::policy::engine::{
    DocumentSlot, EmbeddedKeys, FetchedDocument, HostAction, InspectOutcome, JwksSlot, ManagementOperation, ManagementOutcome, ManagementRequest, MetadataAccepted,
    MetadataOutcome, MetadataRejected, RegistrationOutcome, RegistrationRequest, StoredClient, SuppliedJwks, TokenKind, TokenSummary,
    VerifyOutcome, VerifyRequest,
};
pub use exports::dcr::policy::types::{BearerContext, ChangeAction, Context, ErrorCode, InvalidCall, Severity, Source, TlsContext};
use exports::dcr::policy::types::{Change, Violation};

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
    /// A broken host for tests: answer every `get-random-bytes` with one
    /// byte fewer than asked (the guest must refuse to issue credentials,
    /// never trap).
    pub short_random: bool,
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
        let mut out = vec![0u8; if self.short_random { n.saturating_sub(1) } else { n }];
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
        ErrorCode::InvalidClient => "invalid_client",
        ErrorCode::InvalidWebhookUris => "invalid_webhook_uris",
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
    /// JSON Pointers into the answer whose values are random credentials
    /// (the file's `mask`): each must be present and a string in every
    /// answer, and is replaced by [`MASKED`] before answers are compared.
    pub mask: Vec<String>,
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
                if matches!(k.as_str(), "name" | "call" | "expect" | "mask") {
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
                mask: obj
                    .get("mask")
                    .and_then(Value::as_array)
                    .map(|m| m.iter().map(|p| p.as_str().unwrap_or_else(|| panic!("mask entries are strings: {p}")).to_owned()).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

// ---- scenario arguments -> native call envelopes and WIT call records -------
// The scenario file writes a call as JSON (see its `about`); the native route
// gets the `dcr_policy::ffi` JSON envelope, the component the typed WIT
// record. Both are built from the same JSON here, so a field the skin drops
// or mistranslates shows up as a difference.

/// The JSON object of argument `name` (a call or request).
fn arg_object(s: &Scenario, name: &str) -> Map<String, Value> {
    match serde_json::from_str(s.arg(name)) {
        Ok(Value::Object(m)) => m,
        other => panic!("{}: argument `{name}` must be a JSON object, got {other:?}", s.name),
    }
}

/// A request body: a string is sent verbatim, anything else as compact JSON text.
fn body_text(v: &Value) -> String {
    match v {
        Value::String(t) => t.clone(),
        other => other.to_string(),
    }
}

fn opt_str(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect()).unwrap_or_default()
}

fn opt_strings(v: Option<&Value>) -> Option<Vec<String>> {
    v.filter(|v| !v.is_null()).map(|v| strings(Some(v)))
}

/// The ffi envelope (JSON text) of a scenario's `request` argument: `body`
/// as text, the rest as written. The native baseline parses this; the bench
/// deserializes it once into the core's request struct.
#[must_use]
pub fn native_request_json(s: &Scenario) -> String {
    native_envelope(arg_object(s, "request"))
}

/// The ffi envelope of a request: `body` as text, the rest as written.
fn native_envelope(mut m: Map<String, Value>) -> String {
    if let Some(b) = m.get("body").cloned() {
        m.insert("body".into(), Value::String(body_text(&b)));
    }
    Value::Object(m).to_string()
}

/// The WIT `context` record of the scenario's `context` object.
#[must_use]
pub fn wit_context(v: Option<&Value>) -> Context {
    let v = v.cloned().unwrap_or(Value::Null);
    Context {
        now: v.get("now").and_then(Value::as_i64).unwrap_or(0),
        tls: v.get("tls").filter(|t| !t.is_null()).map(|t| TlsContext {
            subject_dn: opt_str(t.get("subject_dn")),
            san_dns: strings(t.get("san_dns")),
            san_uri: strings(t.get("san_uri")),
            san_ip: strings(t.get("san_ip")),
            san_email: strings(t.get("san_email")),
            thumbprint_s256: opt_str(t.get("thumbprint_s256")),
        }),
        bearer: v.get("bearer").filter(|b| !b.is_null()).map(|b| BearerContext {
            valid: b.get("valid").and_then(Value::as_bool).unwrap_or(false),
            scopes: strings(b.get("scopes")),
            client_id: opt_str(b.get("client_id")),
        }),
        endpoint_url: opt_str(v.get("endpoint_url")),
    }
}

fn wit_jwks(v: Option<&Value>) -> SuppliedJwks {
    let text = |k: &str| v.and_then(|j| j.get(k)).filter(|x| !x.is_null()).map(Value::to_string);
    SuppliedJwks { software_statement: text("software_statement"), software: text("software") }
}

/// The WIT `fetched-document` of a scenario's `sector_identifier` member.
fn wit_document(v: Option<&Value>) -> Option<FetchedDocument> {
    v.filter(|d| !d.is_null()).map(|d| FetchedDocument { uri: opt_str(d.get("uri")).unwrap_or_default(), body: opt_str(d.get("body")) })
}

/// The WIT `registration-request` of a scenario's `request` object.
#[must_use]
pub fn wit_registration_request(m: &Map<String, Value>) -> RegistrationRequest {
    RegistrationRequest {
        body: m.get("body").map(body_text).unwrap_or_default(),
        content_type: opt_str(m.get("content_type")),
        context: wit_context(m.get("context")),
        jwks: wit_jwks(m.get("jwks")),
        sector_identifier: wit_document(m.get("sector_identifier")),
    }
}

/// The WIT `management-request` of a scenario's `request` object.
#[must_use]
pub fn wit_management_request(m: &Map<String, Value>) -> ManagementRequest {
    let operation = match m.get("operation").and_then(Value::as_str) {
        None | Some("read") => ManagementOperation::Read,
        Some("update") => ManagementOperation::Update,
        Some("delete") => ManagementOperation::Delete,
        Some(other) => panic!("unknown operation {other}"),
    };
    ManagementRequest {
        operation,
        client_id: opt_str(m.get("client_id")).unwrap_or_default(),
        stored: m.get("stored").filter(|s| !s.is_null()).map(|s| StoredClient {
            client: s.get("client").map_or_else(|| "{}".to_owned(), Value::to_string),
            registration_access_token_hash: opt_str(s.get("registration_access_token_hash")),
            registration_access_token_expires_at: s.get("registration_access_token_expires_at").and_then(Value::as_i64),
        }),
        registration_access_token: opt_str(m.get("registration_access_token")),
        body: m.get("body").filter(|b| !b.is_null()).map(body_text),
        content_type: opt_str(m.get("content_type")),
        context: wit_context(m.get("context")),
        jwks: wit_jwks(m.get("jwks")),
        sector_identifier: wit_document(m.get("sector_identifier")),
    }
}

/// The WIT `verify-request` of a scenario's `request` object.
#[must_use]
pub fn wit_verify_request(m: &Map<String, Value>) -> VerifyRequest {
    VerifyRequest {
        token: opt_str(m.get("token")).unwrap_or_default(),
        jwks: m.get("jwks").map_or_else(String::new, Value::to_string),
        now: m.get("now").and_then(Value::as_i64).unwrap_or(0),
        kind: match m.get("kind").and_then(Value::as_str) {
            None | Some("software_statement") => TokenKind::SoftwareStatement,
            Some("request_jwt") => TokenKind::RequestJwt,
            Some(other) => panic!("unknown kind {other}"),
        },
        algorithms: opt_strings(m.get("algorithms")),
        issuers: opt_strings(m.get("issuers")),
        audience: opt_strings(m.get("audience")),
        leeway: m.get("leeway").and_then(Value::as_u64),
        max_age: m.get("max_age").and_then(Value::as_u64),
        required_claims: opt_strings(m.get("required_claims")),
        typ: opt_str(m.get("typ")),
        embedded_keys: match m.get("embedded_keys").and_then(Value::as_str) {
            None => None,
            Some("reject") => Some(EmbeddedKeys::Reject),
            Some("ignore") => Some(EmbeddedKeys::Ignore),
            Some(other) => panic!("unknown embedded_keys {other}"),
        },
    }
}

// ---- more WIT answers -> the JSON shape of `dcr_policy::ffi` -----------------

fn violations_json(v: &[Violation]) -> Vec<Value> {
    v.iter().map(violation_json).collect()
}

fn changes_json(c: &[Change]) -> Vec<Value> {
    c.iter().map(change_json).collect()
}

fn token_summary_json(t: &TokenSummary) -> Value {
    let mut m = Map::new();
    for (k, v) in [("iss", &t.iss), ("jti", &t.jti)] {
        if let Some(v) = v {
            m.insert(k.into(), v.clone().into());
        }
    }
    if let Some(exp) = t.exp {
        m.insert("exp".into(), exp.into());
    }
    for (k, v) in [("kid", &t.kid), ("alg", &t.alg), ("software_id", &t.software_id)] {
        if let Some(v) = v {
            m.insert(k.into(), v.clone().into());
        }
    }
    Value::Object(m)
}

fn host_action(a: HostAction) -> &'static str {
    match a {
        HostAction::StoreClient => "store_client",
        HostAction::DeleteClient => "delete_client",
        HostAction::RevokeRegistrationAccessTokens => "revoke_registration_access_tokens",
        HostAction::RevokeClientTokens => "revoke_client_tokens",
        HostAction::RevokePresentedToken => "revoke_presented_token",
    }
}

/// `verify-outcome` as the ffi JSON answer.
#[must_use]
pub fn verify_json(out: &VerifyOutcome) -> Value {
    match out {
        VerifyOutcome::Accepted(a) => json!({
            "outcome": "accepted", "header": parse(&a.header), "claims": parse(&a.claims), "alg": a.alg,
            "kid": a.kid, "jti": a.jti, "iss": a.iss,
        }),
        VerifyOutcome::Rejected(r) => json!({
            "outcome": "rejected", "error": error_code(r.error), "error_description": r.error_description,
            "violations": violations_json(&r.violations),
        }),
        VerifyOutcome::InvalidCall(i) => invalid_call_json(i),
    }
}

/// `inspect-outcome` as the ffi JSON answer.
#[must_use]
pub fn inspect_json(out: &InspectOutcome) -> Value {
    match out {
        InspectOutcome::Inspected(i) => {
            let mut m = Map::new();
            m.insert("outcome".into(), "inspected".into());
            let key_sets: Vec<Value> = i
                .key_sets
                .iter()
                .map(|k| {
                    let mut o = Map::new();
                    o.insert(
                        "for".into(),
                        match k.purpose {
                            JwksSlot::SoftwareStatement => "software_statement",
                            JwksSlot::Software => "software",
                        }
                        .into(),
                    );
                    if let Some(x) = &k.issuer {
                        o.insert("issuer".into(), x.clone().into());
                    }
                    if let Some(x) = &k.jwks_uri {
                        o.insert("jwks_uri".into(), x.clone().into());
                    }
                    o.insert("kids".into(), k.kids.clone().into());
                    o.insert("trusted".into(), k.trusted.into());
                    Value::Object(o)
                })
                .collect();
            m.insert("key_sets".into(), key_sets.into());
            let documents: Vec<Value> = i
                .documents
                .iter()
                .map(|d| {
                    let purpose = match d.purpose {
                        DocumentSlot::SectorIdentifier => "sector_identifier",
                    };
                    json!({ "for": purpose, "uri": d.uri })
                })
                .collect();
            m.insert("documents".into(), documents.into());
            if let Some(t) = &i.software_statement {
                m.insert("software_statement".into(), token_summary_json(t));
            }
            if let Some(t) = &i.request_jwt {
                m.insert("request_jwt".into(), token_summary_json(t));
            }
            m.insert("violations".into(), violations_json(&i.violations).into());
            Value::Object(m)
        }
        InspectOutcome::Rejected(r) => {
            assert!(r.www_authenticate.is_none(), "inspect never sets www-authenticate");
            json!({
                "outcome": "rejected", "status": r.status, "error": error_code(r.error), "error_description": r.error_description,
                "violations": violations_json(&r.violations), "response": parse(&r.response),
            })
        }
        InspectOutcome::InvalidCall(i) => invalid_call_json(i),
    }
}

/// `registration-outcome` as the ffi JSON answer.
#[must_use]
pub fn registration_json(out: &RegistrationOutcome) -> Value {
    match out {
        RegistrationOutcome::Accepted(a) => {
            let mut m = Map::new();
            m.insert("outcome".into(), "accepted".into());
            m.insert("status".into(), a.status.into());
            m.insert("client".into(), parse(&a.client));
            m.insert("response".into(), parse(&a.response));
            m.insert("changes".into(), changes_json(&a.changes).into());
            m.insert("violations".into(), violations_json(&a.violations).into());
            if let Some(h) = &a.registration_access_token_hash {
                m.insert("registration_access_token_hash".into(), h.clone().into());
            }
            if let Some(e) = a.registration_access_token_expires_at {
                m.insert("registration_access_token_expires_at".into(), e.into());
            }
            if let Some(t) = &a.software_statement {
                m.insert("software_statement".into(), token_summary_json(t));
            }
            if let Some(t) = &a.request_jwt {
                m.insert("request_jwt".into(), token_summary_json(t));
            }
            Value::Object(m)
        }
        RegistrationOutcome::Rejected(r) => {
            let mut m = Map::new();
            m.insert("outcome".into(), "rejected".into());
            m.insert("status".into(), r.status.into());
            m.insert("error".into(), error_code(r.error).into());
            m.insert("error_description".into(), r.error_description.clone().into());
            m.insert("violations".into(), violations_json(&r.violations).into());
            if let Some(w) = &r.www_authenticate {
                m.insert("www_authenticate".into(), w.clone().into());
            }
            m.insert("response".into(), parse(&r.response));
            Value::Object(m)
        }
        RegistrationOutcome::InvalidCall(i) => invalid_call_json(i),
    }
}

/// `management-outcome` as the ffi JSON answer.
#[must_use]
pub fn management_json(out: &ManagementOutcome) -> Value {
    match out {
        ManagementOutcome::Accepted(a) => {
            let mut m = Map::new();
            m.insert("outcome".into(), "accepted".into());
            m.insert("status".into(), a.status.into());
            if let Some(c) = &a.client {
                m.insert("client".into(), parse(c));
            }
            if let Some(r) = &a.response {
                m.insert("response".into(), parse(r));
            }
            m.insert("changes".into(), changes_json(&a.changes).into());
            m.insert("violations".into(), violations_json(&a.violations).into());
            if let Some(h) = &a.registration_access_token_hash {
                m.insert("registration_access_token_hash".into(), h.clone().into());
            }
            if let Some(e) = a.registration_access_token_expires_at {
                m.insert("registration_access_token_expires_at".into(), e.into());
            }
            m.insert("actions".into(), a.actions.iter().map(|x| host_action(*x)).collect::<Vec<_>>().into());
            Value::Object(m)
        }
        ManagementOutcome::Rejected(r) => {
            let mut m = Map::new();
            m.insert("outcome".into(), "rejected".into());
            m.insert("status".into(), r.status.into());
            m.insert("error".into(), error_code(r.error).into());
            m.insert("error_description".into(), r.error_description.clone().into());
            m.insert("violations".into(), violations_json(&r.violations).into());
            if let Some(w) = &r.www_authenticate {
                m.insert("www_authenticate".into(), w.clone().into());
            }
            m.insert("response".into(), parse(&r.response));
            m.insert("actions".into(), r.actions.iter().map(|x| host_action(*x)).collect::<Vec<_>>().into());
            Value::Object(m)
        }
        ManagementOutcome::InvalidCall(i) => invalid_call_json(i),
    }
}

/// `explain-policy` / `discovery-metadata` as the ffi JSON answer (`tag` is
/// `explained` / `discovered`, `member` the member holding the document).
#[must_use]
pub fn document_json(out: &Result<String, InvalidCall>, tag: &str, member: &str) -> Value {
    match out {
        Ok(text) => json!({ "outcome": tag, member: parse(text) }),
        Err(i) => invalid_call_json(i),
    }
}

// ---- the native answer and the component's answers --------------------------

/// The native answer, serialized to JSON: the baseline every host must match.
/// It goes through `dcr_policy::ffi` (the JSON boundary of the wasm-bindgen
/// package), so the component's typed route is compared with a second,
/// independent route into the same core.
///
/// To add a call: one arm here, one in [`component_answers`], one in
/// `tests/component/answer.mjs`'s `CALLS`.
#[must_use]
pub fn native_answer(s: &Scenario) -> Value {
    use dcr_policy::ffi;
    let policy_text = s.arg("policy");
    let with_loaded = |f: &dyn Fn(&dcr_policy::Policy) -> Value| match ffi::load_policy(Some(policy_text)) {
        Ok(p) => f(&p),
        Err((message, violations)) => ffi::invalid_call_value(message, violations),
    };
    let to_value = |a: Result<Value, serde_json::Error>| a.unwrap_or_else(|e| panic!("native answer does not serialize: {e}"));
    match s.call.as_str() {
        "validate-metadata" => to_value(serde_json::to_value(ffi::validate_metadata_call(s.arg("metadata"), Some(policy_text)))),
        "verify-software-statement" => {
            let mut call = arg_object(s, "request");
            // the envelope's `policy` member: absent for `""` / `null` (the default policy)
            let t = policy_text.trim();
            if !(t.is_empty() || t == "null") {
                let p = serde_json::from_str(t).unwrap_or_else(|e| panic!("{}: policy text is not JSON: {e}", s.name));
                call.insert("policy".into(), p);
            }
            to_value(serde_json::to_value(ffi::verify_software_statement_call(&Value::Object(call).to_string())))
        }
        "inspect-registration" => {
            let env = native_envelope(arg_object(s, "request"));
            with_loaded(&|p| ffi::inspect_registration_json(&env, p))
        }
        "evaluate-registration" => {
            let env = native_envelope(arg_object(s, "request"));
            with_loaded(&|p| to_value(serde_json::to_value(ffi::evaluate_registration_json(&env, p))))
        }
        "evaluate-management" => {
            let env = native_envelope(arg_object(s, "request"));
            with_loaded(&|p| to_value(serde_json::to_value(ffi::evaluate_management_json(&env, p))))
        }
        "explain-policy" => parse(&ffi::with_policy(Some(policy_text), ffi::explain_policy_json)),
        "discovery-metadata" => parse(&ffi::with_policy(Some(policy_text), ffi::discovery_metadata_json)),
        other => panic!("{}: unknown call `{other}`", s.name),
    }
}

/// One answer of the component for a scenario.
#[derive(Debug)]
pub struct Route {
    /// The route taken: `free function`, `policy.<method>`, `policy.load`.
    pub label: &'static str,
    /// The answer, in the JSON shape of the native answer.
    pub answer: Value,
    /// The JSON-text members of the answer exactly as the component wrote
    /// them, by JSON Pointer into `answer` (e.g. `/client`, `/response`):
    /// tests compare them byte for byte (member order included).
    pub texts: Vec<(&'static str, String)>,
}

fn route(label: &'static str, answer: Value, texts: Vec<(&'static str, String)>) -> Route {
    Route { label, answer, texts }
}

fn metadata_texts(o: &MetadataOutcome) -> Vec<(&'static str, String)> {
    client_text(o).map(|c| vec![("/client", c.to_owned())]).unwrap_or_default()
}

fn registration_texts(o: &RegistrationOutcome) -> Vec<(&'static str, String)> {
    match o {
        RegistrationOutcome::Accepted(a) => vec![("/client", a.client.clone()), ("/response", a.response.clone())],
        RegistrationOutcome::Rejected(r) => vec![("/response", r.response.clone())],
        RegistrationOutcome::InvalidCall(_) => Vec::new(),
    }
}

fn management_texts(o: &ManagementOutcome) -> Vec<(&'static str, String)> {
    match o {
        ManagementOutcome::Accepted(a) => {
            let mut t = Vec::new();
            if let Some(c) = &a.client {
                t.push(("/client", c.clone()));
            }
            if let Some(r) = &a.response {
                t.push(("/response", r.clone()));
            }
            t
        }
        ManagementOutcome::Rejected(r) => vec![("/response", r.response.clone())],
        ManagementOutcome::InvalidCall(_) => Vec::new(),
    }
}

/// The component's answers for a scenario: the free function, and the
/// `policy` resource's method (or the `policy.load` error).
///
/// # Errors
/// A trap or a host error.
pub fn component_answers(store: &mut Store<HostState>, inst: &DcrPolicy, s: &Scenario) -> wasmtime::Result<Vec<Route>> {
    let api = inst.dcr_policy_engine();
    let policy_text = s.arg("policy");
    let mut out = Vec::new();
    match s.call.as_str() {
        "validate-metadata" => {
            let free = api.call_validate_metadata(&mut *store, s.arg("metadata"), policy_text)?;
            out.push(route("free function", outcome_json(&free), metadata_texts(&free)));
        }
        "verify-software-statement" => {
            let call = wit_verify_request(&arg_object(s, "request"));
            let free = api.call_verify_software_statement(&mut *store, &call, policy_text)?;
            out.push(route("free function", verify_json(&free), Vec::new()));
        }
        "inspect-registration" => {
            let req = wit_registration_request(&arg_object(s, "request"));
            let free = api.call_inspect_registration(&mut *store, &req, policy_text)?;
            out.push(route("free function", inspect_json(&free), Vec::new()));
        }
        "evaluate-registration" => {
            let req = wit_registration_request(&arg_object(s, "request"));
            let free = api.call_evaluate_registration(&mut *store, &req, policy_text)?;
            out.push(route("free function", registration_json(&free), registration_texts(&free)));
        }
        "evaluate-management" => {
            let req = wit_management_request(&arg_object(s, "request"));
            let free = api.call_evaluate_management(&mut *store, &req, policy_text)?;
            out.push(route("free function", management_json(&free), management_texts(&free)));
        }
        "explain-policy" => {
            let free = api.call_explain_policy(&mut *store, policy_text)?;
            out.push(route("free function", document_json(&free, "explained", "explanation"), Vec::new()));
        }
        "discovery-metadata" => {
            let free = api.call_discovery_metadata(&mut *store, policy_text)?;
            out.push(route("free function", document_json(&free, "discovered", "metadata"), Vec::new()));
        }
        other => panic!("{}: unknown call `{other}`", s.name),
    }

    let res = api.policy();
    let policy = match res.call_load(&mut *store, policy_text)? {
        Ok(p) => p,
        Err(invalid) => {
            out.push(route("policy.load", invalid_call_json(&invalid), Vec::new()));
            return Ok(out);
        }
    };
    match s.call.as_str() {
        "validate-metadata" => {
            let m = res.call_validate_metadata(&mut *store, policy, s.arg("metadata"))?;
            out.push(route("policy.validate-metadata", outcome_json(&m), metadata_texts(&m)));
        }
        "verify-software-statement" => {
            let m = res.call_verify_software_statement(&mut *store, policy, &wit_verify_request(&arg_object(s, "request")))?;
            out.push(route("policy.verify-software-statement", verify_json(&m), Vec::new()));
        }
        "inspect-registration" => {
            let m = res.call_inspect_registration(&mut *store, policy, &wit_registration_request(&arg_object(s, "request")))?;
            out.push(route("policy.inspect-registration", inspect_json(&m), Vec::new()));
        }
        "evaluate-registration" => {
            let m = res.call_evaluate_registration(&mut *store, policy, &wit_registration_request(&arg_object(s, "request")))?;
            out.push(route("policy.evaluate-registration", registration_json(&m), registration_texts(&m)));
        }
        "evaluate-management" => {
            let m = res.call_evaluate_management(&mut *store, policy, &wit_management_request(&arg_object(s, "request")))?;
            out.push(route("policy.evaluate-management", management_json(&m), management_texts(&m)));
        }
        "explain-policy" => {
            let m = res.call_explain(&mut *store, policy)?;
            out.push(route("policy.explain", document_json(&Ok(m), "explained", "explanation"), Vec::new()));
        }
        "discovery-metadata" => {
            let m = res.call_discovery_metadata(&mut *store, policy)?;
            out.push(route("policy.discovery-metadata", document_json(&Ok(m), "discovered", "metadata"), Vec::new()));
        }
        _ => {}
    }
    policy.resource_drop(&mut *store)?;
    Ok(out)
}

// ---- random credentials: masking and consistency ----------------------------

/// What a masked value is replaced with.
pub const MASKED: &str = "<random>";

/// Replaces the string at each pointer of `mask` (relative to `base`, a
/// pointer into the answer such as `/client`; `""` for the whole answer)
/// with [`MASKED`]. Panics when a masked value is missing or not a string:
/// the mask must name exactly what is random.
pub fn apply_mask(value: &mut Value, mask: &[String], base: &str, what: &str) {
    for p in mask {
        let Some(rel) = p.strip_prefix(base) else { continue };
        if !(rel.is_empty() || rel.starts_with('/')) {
            continue;
        }
        match value.pointer_mut(rel) {
            Some(v @ Value::String(_)) => *v = Value::String(MASKED.to_owned()),
            other => panic!("{what}: masked member {p} is {other:?}, not a string"),
        }
    }
}

/// The random credentials of an accepted registration answer must hang
/// together: the same `client_id` / `client_secret` in `client` and
/// `response`, the stored hash is the SHA-256 of the token sent, the
/// configuration URI ends with the (escaped) client id, and every credential
/// has the size RFC7591-OUT-02/03 and RFC7592-RAT want (a 256-bit id, or
/// 216-bit under UK OB's 36-character cap; 256-bit secret and token, base64url). Returns silently for other answers.
pub fn check_credentials(answer: &Value, what: &str) {
    if answer.get("outcome") != Some(&json!("accepted")) {
        return;
    }
    let (Some(client), Some(response)) = (answer.get("client"), answer.get("response")) else { return };
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let b64url = |t: &str| t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if let Some(id) = s(client, "client_id") {
        assert_eq!(s(response, "client_id").as_deref(), Some(id.as_str()), "{what}: client_id in response");
        // 32 random bytes (43 characters), or 27 (36 characters) under UK OB (UKOB-META-09)
        assert!((id.len() == 43 || id.len() == 36) && b64url(&id), "{what}: client_id {id:?} is not 32 (or UK OB 27) random bytes");
        if let Some(uri) = s(response, "registration_client_uri") {
            assert!(uri.ends_with(&format!("/{id}")), "{what}: registration_client_uri {uri} does not end with the client id");
        }
    }
    if let Some(secret) = s(client, "client_secret") {
        assert_eq!(s(response, "client_secret").as_deref(), Some(secret.as_str()), "{what}: client_secret in response");
        assert!(secret.len() >= 43 && b64url(&secret), "{what}: client_secret is not 32+ random bytes");
    }
    match (s(response, "registration_access_token"), answer.get("registration_access_token_hash").and_then(Value::as_str)) {
        (Some(token), Some(hash)) => {
            assert!(token.len() == 43 && b64url(&token), "{what}: registration_access_token is not 32 random bytes");
            assert_eq!(dcr_policy::credentials::token_hash(&token), hash, "{what}: the stored hash is not SHA-256 of the token");
        }
        (None, None) => {}
        other => panic!("{what}: token and hash must come together, got {other:?}"),
    }
}
