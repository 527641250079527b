//! Wasm component skin (WIT world `dcr:policy/dcr-policy@0.1.0`, in `wit/`):
//! delegations to the core (through [`crate::ffi`] where it has the entry
//! point, else straight to `registration` / `management`), conversions from
//! the WIT call records to the core's request structs (no JSON text is built
//! to be re-parsed), and from the core's answers to the generated WIT types.
//! No decision logic lives here.
//!
//! Build for `wasm32-unknown-unknown` with the `component` feature and
//! `--cfg getrandom_backend="custom"` (see the Makefile's `component` target),
//! then wrap the core module with `jco new`: the module imports nothing but
//! `wasi:random/random@0.2.0`, so no WASI adapter is needed.

// The generated bindings and the `export!` glue are `unsafe` extern "C" shims
// over the canonical ABI, written by wit-bindgen; the crate denies
// `unsafe_code`, so it is allowed for this generated module only. Clippy's
// crate lints and `missing_docs` do not apply to generated code either.
#[allow(
    unsafe_code,
    missing_docs,
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod wit {
    wit_bindgen::generate!({
        world: "dcr-policy",
        path: "wit",
        // required once the world imports another package's interface (wasi:random)
        generate_all,
    });

    use super::Component;
    export!(Component);
}

use serde_json::Value;
use wit::exports::dcr::policy::engine::{self as engine, Guest, GuestPolicy};
use wit::exports::dcr::policy::types as wt;

use crate::change::{Change, ChangeAction};
use crate::error::{ErrorCode, Severity, Source, Violation};
use crate::ffi;
use crate::host::{BearerContext, Context, FetchedDocument, TlsContext};
use crate::jose::Jwks;
use crate::jose::KeyCache;
use crate::limits::{JsonError, Limits, parse_json};
use crate::management::{self, HostAction, ManagementAnswer, ManagementRequest, Operation, StoredClient};
use crate::policy::EmbeddedKeys;
use crate::registration::{self, InspectAnswer, RegistrationAnswer, RegistrationRequest, SuppliedJwks, TokenSummary};

/// The component's export implementation.
struct Component;

impl Guest for Component {
    type Policy = LoadedPolicy;

    fn validate_metadata(metadata: String, policy: String) -> engine::MetadataOutcome {
        match loaded(&policy) {
            Ok(p) => metadata_outcome(ffi::validate_metadata_json(&metadata, &p)),
            Err((message, violations)) => metadata_outcome(ffi::ValidateMetadataAnswer::InvalidCall { message, violations }),
        }
    }

    fn verify_software_statement(request: engine::VerifyRequest, policy: String) -> engine::VerifyOutcome {
        // Same order as `ffi::verify_software_statement_call`: key set first, then policy.
        let (call, jwks) = match verify_call(request) {
            Ok(parts) => parts,
            Err(answer) => return verify_outcome(answer),
        };
        match loaded(&policy) {
            Ok(policy) => verify_outcome(ffi::verify_with_policy(&call, &jwks, &policy)),
            Err((message, violations)) => engine::VerifyOutcome::InvalidCall(invalid_call(message, violations)),
        }
    }

    fn inspect_registration(request: engine::RegistrationRequest, policy: String) -> engine::InspectOutcome {
        with_policy(&policy, |p| inspect(request, p), engine::InspectOutcome::InvalidCall)
    }

    fn evaluate_registration(request: engine::RegistrationRequest, policy: String) -> engine::RegistrationOutcome {
        with_policy(&policy, |p| register(request, p, &mut KeyCache::new(0)), engine::RegistrationOutcome::InvalidCall)
    }

    fn evaluate_management(request: engine::ManagementRequest, policy: String) -> engine::ManagementOutcome {
        with_policy(&policy, |p| manage(request, p, &mut KeyCache::new(0)), engine::ManagementOutcome::InvalidCall)
    }

    fn explain_policy(policy: String) -> Result<String, wt::InvalidCall> {
        with_policy(&policy, |p| Ok(explain(p)), Err)
    }

    fn discovery_metadata(policy: String) -> Result<String, wt::InvalidCall> {
        with_policy(&policy, |p| Ok(discovery(p)), Err)
    }
}

/// The `policy` resource: a policy parsed once, reused across calls.
struct LoadedPolicy {
    inner: crate::Policy,
    /// Parsed key sets seen by this policy (same decisions, no re-parsing).
    keys: core::cell::RefCell<KeyCache>,
}

impl GuestPolicy for LoadedPolicy {
    fn load(json: String) -> Result<engine::Policy, wt::InvalidCall> {
        match ffi::load_policy(Some(&json)) {
            Ok(inner) => Ok(engine::Policy::new(LoadedPolicy { inner, keys: core::cell::RefCell::default() })),
            Err((message, violations)) => Err(invalid_call(message, violations)),
        }
    }

    fn validate_metadata(&self, metadata: String) -> engine::MetadataOutcome {
        metadata_outcome(ffi::validate_metadata_json(&metadata, &self.inner))
    }

    fn verify_software_statement(&self, request: engine::VerifyRequest) -> engine::VerifyOutcome {
        match verify_call(request) {
            Ok((call, jwks)) => verify_outcome(ffi::verify_with_policy(&call, &jwks, &self.inner)),
            Err(answer) => verify_outcome(answer),
        }
    }

    fn inspect_registration(&self, request: engine::RegistrationRequest) -> engine::InspectOutcome {
        inspect(request, &self.inner)
    }

    fn evaluate_registration(&self, request: engine::RegistrationRequest) -> engine::RegistrationOutcome {
        register(request, &self.inner, &mut self.keys.borrow_mut())
    }

    fn evaluate_management(&self, request: engine::ManagementRequest) -> engine::ManagementOutcome {
        manage(request, &self.inner, &mut self.keys.borrow_mut())
    }

    fn explain(&self) -> String {
        explain(&self.inner)
    }

    fn discovery_metadata(&self) -> String {
        discovery(&self.inner)
    }
}

/// Loads the policy text of a free function, or answers `invalid-call`.
fn with_policy<T>(policy: &str, f: impl FnOnce(&crate::Policy) -> T, invalid: impl FnOnce(wt::InvalidCall) -> T) -> T {
    match loaded(policy) {
        Ok(p) => f(&p),
        Err((message, violations)) => invalid(invalid_call(message, violations)),
    }
}

/// How many loaded policies the free functions keep.
const LOADED_MAX: usize = 8;

std::thread_local! {
    /// The free functions' recently loaded policies, keyed by their exact
    /// JSON text, least recently used first. Loading is pure, so a text seen
    /// before gives the same policy; a different text (even one space) loads
    /// afresh. Policies that fail to load are not kept. Bounded by
    /// `LOADED_MAX` entries; one component instance is one thread.
    static LOADED: core::cell::RefCell<Vec<(String, std::rc::Rc<crate::Policy>)>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// The free functions' policy: from the cache, or loaded and cached (the
/// same policy `ffi::load_policy` gives; ~50 µs saved per call).
fn loaded(json: &str) -> Result<std::rc::Rc<crate::Policy>, (String, Vec<Violation>)> {
    let hit = LOADED.with_borrow_mut(|cache| {
        let at = cache.iter().position(|(k, _)| k == json)?;
        let entry = cache.remove(at);
        let p = std::rc::Rc::clone(&entry.1);
        cache.push(entry);
        Some(p)
    });
    if let Some(p) = hit {
        return Ok(p);
    }
    let p = std::rc::Rc::new(ffi::load_policy(Some(json))?);
    LOADED.with_borrow_mut(|cache| {
        if cache.len() >= LOADED_MAX {
            cache.remove(0);
        }
        cache.push((json.to_owned(), std::rc::Rc::clone(&p)));
    });
    Ok(p)
}

// ---- the decisions: WIT call records -> core structs -> core functions --

fn inspect(request: engine::RegistrationRequest, policy: &crate::Policy) -> engine::InspectOutcome {
    match registration_request(request) {
        Ok(req) => inspect_outcome(registration::inspect_registration(&req, policy)),
        Err(v) => engine::InspectOutcome::InvalidCall(invalid_call(call_message("inspect_registration"), v)),
    }
}

fn register(request: engine::RegistrationRequest, policy: &crate::Policy, keys: &mut KeyCache) -> engine::RegistrationOutcome {
    match registration_request(request) {
        Ok(req) => {
            registration_outcome(registration::evaluate_registration_cached(&req, policy, &mut crate::host::BatchedRandom::default(), keys))
        }
        Err(v) => engine::RegistrationOutcome::InvalidCall(invalid_call(call_message("evaluate_registration"), v)),
    }
}

fn manage(request: engine::ManagementRequest, policy: &crate::Policy, keys: &mut KeyCache) -> engine::ManagementOutcome {
    match management_request(request) {
        Ok(req) => {
            management_outcome(management::evaluate_management_cached(&req, policy, &mut crate::host::BatchedRandom::default(), keys))
        }
        Err(v) => engine::ManagementOutcome::InvalidCall(invalid_call(call_message("evaluate_management"), v)),
    }
}

fn explain(policy: &crate::Policy) -> String {
    ffi::to_json(&crate::profiles::explain::explain(policy))
}

fn discovery(policy: &crate::Policy) -> String {
    ffi::to_json(&crate::profiles::discovery::discovery(policy))
}

/// The `invalid-call` message of a malformed call record: the words
/// `ffi`'s envelopes use (`invalid evaluate_registration call`), so the
/// component and the JS package answer the same mistake with the same text.
fn call_message(call: &str) -> String {
    format!("invalid {call} call")
}

// ---- conversions: WIT call records -> core types ------------------------
// Documents the host supplies as JSON text (key sets, the stored client) are
// parsed strictly here, with the limits the JSON boundary (`ffi`) applies to
// a whole call envelope; a malformed one is the host's mistake (CALL-01,
// `invalid-call`), with a path into the core's call shape.

/// The limits of `ffi`'s call envelopes, for a document the host passes in
/// at `at` in the core's call shape. In the envelope that document sits
/// `at`'s number of levels below the root, and the envelope's nesting
/// budget (`CALL_LIMITS.max_depth`) counts from the root: the document gets
/// what is left, so a key set or stored client nested too deeply for the
/// JS package's envelope is too deep here too, at the same path.
fn host_limits(at: &str) -> Limits {
    let nesting = at.matches('/').count();
    Limits { max_depth: crate::limits::CALL_LIMITS.max_depth.saturating_sub(nesting), ..crate::limits::CALL_LIMITS }
}

/// A host-supplied JSON document; `at` is its path in the core's call shape.
fn host_json(text: &str, at: &str) -> Result<Value, Violation> {
    parse_json(text.as_bytes(), &host_limits(at)).map_err(|e| call_violation(at, &envelope_error(e)))
}

/// A document's parse error as the envelope would word it: `too_deep` names
/// the envelope's limit, not the budget left for the document.
fn envelope_error(mut e: JsonError) -> JsonError {
    if e.reason == "too_deep" {
        e.message = format!("nesting is deeper than the limit of {}", crate::limits::CALL_LIMITS.max_depth);
    }
    e
}

fn call_violation(at: &str, e: &JsonError) -> Violation {
    Violation::new(ErrorCode::InvalidRequest, "CALL-01", format!("{at}{}", e.path), e.message.clone())
        .in_source(Source::Request)
        .with_reason(e.reason)
}

/// Both key sets are read before answering, so every malformed one is reported.
/// JWT-KEY-01: the text `null` is no key set, as a `null` member is in
/// `ffi`'s envelope (serde reads it as `None`) and as `verify_call` reads it.
fn supplied_jwks(j: engine::SuppliedJwks, violations: &mut Vec<Violation>) -> SuppliedJwks {
    let mut read =
        |text: Option<String>, at: &str| text.and_then(|t| host_json(&t, at).map_err(|v| violations.push(v)).ok()).filter(|v| !v.is_null());
    SuppliedJwks {
        software_statement: read(j.software_statement, "/jwks/software_statement"),
        software: read(j.software, "/jwks/software"),
    }
}

fn registration_request(r: engine::RegistrationRequest) -> Result<RegistrationRequest, Vec<Violation>> {
    let mut violations = Vec::new();
    let jwks = supplied_jwks(r.jwks, &mut violations);
    if !violations.is_empty() {
        return Err(violations);
    }
    Ok(RegistrationRequest {
        body: r.body,
        content_type: r.content_type,
        context: context(r.context),
        jwks,
        sector_identifier: r.sector_identifier.map(fetched_document),
    })
}

fn fetched_document(d: engine::FetchedDocument) -> FetchedDocument {
    FetchedDocument { uri: d.uri, body: d.body }
}

fn management_request(r: engine::ManagementRequest) -> Result<ManagementRequest, Vec<Violation>> {
    let mut violations = Vec::new();
    let jwks = supplied_jwks(r.jwks, &mut violations);
    let stored = r.stored.and_then(|s| {
        let client = match host_json(&s.client, "/stored/client") {
            Ok(Value::Object(m)) => m,
            Ok(_) => {
                let v = Violation::new(
                    ErrorCode::InvalidRequest,
                    "CALL-01",
                    "/stored/client",
                    "the stored client is not a json object".to_owned(),
                )
                .in_source(Source::Request)
                .with_reason("type");
                violations.push(v);
                return None;
            }
            Err(v) => {
                violations.push(v);
                return None;
            }
        };
        Some(StoredClient {
            client,
            registration_access_token_hash: s.registration_access_token_hash,
            registration_access_token_expires_at: s.registration_access_token_expires_at,
        })
    });
    if !violations.is_empty() {
        return Err(violations);
    }
    let operation = match r.operation {
        engine::ManagementOperation::Read => Operation::Read,
        engine::ManagementOperation::Update => Operation::Update,
        engine::ManagementOperation::Delete => Operation::Delete,
    };
    Ok(ManagementRequest {
        operation,
        client_id: r.client_id,
        stored,
        registration_access_token: r.registration_access_token,
        body: r.body,
        content_type: r.content_type,
        context: context(r.context),
        jwks,
        sector_identifier: r.sector_identifier.map(fetched_document),
    })
}

fn context(c: wt::Context) -> Context {
    Context {
        now: c.now,
        tls: c.tls.map(|t| TlsContext {
            subject_dn: t.subject_dn,
            san_dns: t.san_dns,
            san_uri: t.san_uri,
            san_ip: t.san_ip,
            san_email: t.san_email,
            thumbprint_s256: t.thumbprint_s256,
        }),
        bearer: c.bearer.map(|b| BearerContext { valid: b.valid, scopes: b.scopes, client_id: b.client_id }),
        endpoint_url: c.endpoint_url,
    }
}

/// A `verify-request` as the core's [`ffi::VerifyCall`] plus its compiled key
/// set; errors are the answers `ffi::verify_software_statement_call` gives
/// for the same mistakes (a malformed key set: `POLICY-LOAD-01`; an invalid one:
/// the key-set violations under `/jwks`).
#[expect(clippy::result_large_err, reason = "the error is the answer itself, returned once per call")]
fn verify_call(c: engine::VerifyRequest) -> Result<(ffi::VerifyCall, Jwks), ffi::VerifyAnswer> {
    // JWT-KEY-01: `""` (and JSON `null`, below) is no key set, as an absent
    // or `null` `jwks` in `ffi::verify_software_statement_call`'s envelope.
    if c.jwks.trim().is_empty() {
        return Err(ffi::no_key_set());
    }
    let value = parse_json(c.jwks.as_bytes(), &host_limits("/jwks")).map_err(|e| {
        let e = envelope_error(e);
        let v = Violation::new(ErrorCode::InvalidRequest, "POLICY-LOAD-01", format!("/jwks{}", e.path), e.message.clone())
            .in_source(Source::Request)
            .with_reason(e.reason);
        ffi::VerifyAnswer::InvalidCall { message: "malformed call".to_owned(), violations: vec![v] }
    })?;
    if value.is_null() {
        return Err(ffi::no_key_set());
    }
    let jwks = Jwks::from_value(&value, "/jwks")
        .map_err(|violations| ffi::VerifyAnswer::InvalidCall { message: "invalid key set".to_owned(), violations })?;
    let call = ffi::VerifyCall {
        token: c.token,
        jwks: None,
        now: c.now,
        kind: match c.kind {
            engine::TokenKind::SoftwareStatement => ffi::VerifyKind::SoftwareStatement,
            engine::TokenKind::RequestJwt => ffi::VerifyKind::RequestJwt,
        },
        policy: None,
        algorithms: c.algorithms,
        issuers: c.issuers,
        audience: c.audience,
        leeway: c.leeway,
        max_age: c.max_age,
        required_claims: c.required_claims,
        typ: c.typ,
        embedded_keys: c.embedded_keys.map(|e| match e {
            engine::EmbeddedKeys::Reject => EmbeddedKeys::Reject,
            engine::EmbeddedKeys::Ignore => EmbeddedKeys::Ignore,
        }),
    };
    Ok((call, jwks))
}

// ---- conversions: core types -> WIT types -------------------------------
// Every match is exhaustive on purpose: a new case in the core (error code,
// source, change action) fails to compile here until the WIT gains it too.

fn metadata_outcome(answer: ffi::ValidateMetadataAnswer) -> engine::MetadataOutcome {
    match answer {
        ffi::ValidateMetadataAnswer::Accepted { client, changes, violations } => {
            engine::MetadataOutcome::Accepted(engine::MetadataAccepted {
                client: ffi::object_json_text(&client),
                changes: changes.into_iter().map(change).collect(),
                violations: violations.into_iter().map(violation).collect(),
            })
        }
        ffi::ValidateMetadataAnswer::Rejected { error, error_description, client, changes, violations } => {
            engine::MetadataOutcome::Rejected(engine::MetadataRejected {
                error: error_code(error),
                error_description,
                client: ffi::object_json_text(&client),
                changes: changes.into_iter().map(change).collect(),
                violations: violations.into_iter().map(violation).collect(),
            })
        }
        ffi::ValidateMetadataAnswer::InvalidCall { message, violations } => {
            engine::MetadataOutcome::InvalidCall(invalid_call(message, violations))
        }
    }
}

fn verify_outcome(answer: ffi::VerifyAnswer) -> engine::VerifyOutcome {
    match answer {
        ffi::VerifyAnswer::Accepted { header, claims, alg, kid, jti, iss } => engine::VerifyOutcome::Accepted(engine::VerifyAccepted {
            header: ffi::object_json_text(&header),
            claims: ffi::object_json_text(&claims),
            alg,
            kid,
            jti,
            iss,
        }),
        ffi::VerifyAnswer::Rejected { error, error_description, violations } => engine::VerifyOutcome::Rejected(engine::VerifyRejected {
            error: error_code(error),
            error_description,
            violations: violations.into_iter().map(violation).collect(),
        }),
        ffi::VerifyAnswer::InvalidCall { message, violations } => engine::VerifyOutcome::InvalidCall(invalid_call(message, violations)),
    }
}

fn inspect_outcome(answer: InspectAnswer) -> engine::InspectOutcome {
    match answer {
        InspectAnswer::Inspected { key_sets, documents, software_statement, request_jwt, violations } => {
            let mut requirements = Vec::with_capacity(key_sets.len());
            for k in key_sets {
                let purpose = match k.purpose.as_str() {
                    "software_statement" => engine::JwksSlot::SoftwareStatement,
                    "software" => engine::JwksSlot::Software,
                    // The core names only these two members of `SuppliedJwks`;
                    // anything else is a bug to report, not to guess at.
                    other => {
                        return engine::InspectOutcome::InvalidCall(wt::InvalidCall {
                            message: format!("internal: unknown key set purpose `{other}`"),
                            violations: Vec::new(),
                        });
                    }
                };
                requirements.push(engine::KeySetRequirement {
                    purpose,
                    issuer: k.issuer,
                    jwks_uri: k.jwks_uri,
                    kids: k.kids,
                    trusted: k.trusted,
                });
            }
            let mut fetches = Vec::with_capacity(documents.len());
            for d in documents {
                let purpose = match d.purpose.as_str() {
                    "sector_identifier" => engine::DocumentSlot::SectorIdentifier,
                    // As for key sets: the core names only this member.
                    other => {
                        return engine::InspectOutcome::InvalidCall(wt::InvalidCall {
                            message: format!("internal: unknown document purpose `{other}`"),
                            violations: Vec::new(),
                        });
                    }
                };
                fetches.push(engine::DocumentRequirement { purpose, uri: d.uri });
            }
            engine::InspectOutcome::Inspected(engine::Inspection {
                key_sets: requirements,
                documents: fetches,
                software_statement: software_statement.map(token_summary),
                request_jwt: request_jwt.map(token_summary),
                violations: violations.into_iter().map(violation).collect(),
            })
        }
        InspectAnswer::Rejected { status, error, error_description, violations, response } => {
            engine::InspectOutcome::Rejected(engine::RegistrationRejected {
                status,
                error: error_code(error),
                error_description,
                violations: violations.into_iter().map(violation).collect(),
                www_authenticate: None,
                response: ffi::object_json_text(&response),
            })
        }
    }
}

fn registration_outcome(answer: RegistrationAnswer) -> engine::RegistrationOutcome {
    match answer {
        RegistrationAnswer::Accepted {
            status,
            client,
            response,
            changes,
            violations,
            registration_access_token_hash,
            registration_access_token_expires_at,
            software_statement,
            request_jwt,
        } => engine::RegistrationOutcome::Accepted(engine::RegistrationAccepted {
            status,
            client: ffi::object_json_text(&client),
            response: ffi::object_json_text(&response),
            changes: changes.into_iter().map(change).collect(),
            violations: violations.into_iter().map(violation).collect(),
            registration_access_token_hash,
            registration_access_token_expires_at,
            software_statement: software_statement.map(token_summary),
            request_jwt: request_jwt.map(token_summary),
        }),
        RegistrationAnswer::Rejected { status, error, error_description, violations, www_authenticate, response } => {
            engine::RegistrationOutcome::Rejected(engine::RegistrationRejected {
                status,
                error: error_code(error),
                error_description,
                violations: violations.into_iter().map(violation).collect(),
                www_authenticate,
                response: ffi::object_json_text(&response),
            })
        }
        RegistrationAnswer::InvalidCall { message, violations } => {
            engine::RegistrationOutcome::InvalidCall(invalid_call(message, violations))
        }
    }
}

fn management_outcome(answer: ManagementAnswer) -> engine::ManagementOutcome {
    match answer {
        ManagementAnswer::Accepted {
            status,
            client,
            response,
            changes,
            violations,
            registration_access_token_hash,
            registration_access_token_expires_at,
            actions,
        } => engine::ManagementOutcome::Accepted(engine::ManagementAccepted {
            status,
            client: client.map(|c| ffi::object_json_text(&c)),
            response: response.map(|r| ffi::object_json_text(&r)),
            changes: changes.into_iter().map(change).collect(),
            violations: violations.into_iter().map(violation).collect(),
            registration_access_token_hash,
            registration_access_token_expires_at,
            actions: actions.into_iter().map(host_action).collect(),
        }),
        ManagementAnswer::Rejected { status, error, error_description, violations, www_authenticate, response, actions } => {
            engine::ManagementOutcome::Rejected(engine::ManagementRejected {
                status,
                error: error_code(error),
                error_description,
                violations: violations.into_iter().map(violation).collect(),
                www_authenticate,
                response: ffi::object_json_text(&response),
                actions: actions.into_iter().map(host_action).collect(),
            })
        }
        ManagementAnswer::InvalidCall { message, violations } => engine::ManagementOutcome::InvalidCall(invalid_call(message, violations)),
    }
}

fn token_summary(t: TokenSummary) -> engine::TokenSummary {
    engine::TokenSummary { iss: t.iss, jti: t.jti, exp: t.exp, kid: t.kid, alg: t.alg, software_id: t.software_id }
}

const fn host_action(a: HostAction) -> engine::HostAction {
    match a {
        HostAction::StoreClient => engine::HostAction::StoreClient,
        HostAction::DeleteClient => engine::HostAction::DeleteClient,
        HostAction::RevokeRegistrationAccessTokens => engine::HostAction::RevokeRegistrationAccessTokens,
        HostAction::RevokeClientTokens => engine::HostAction::RevokeClientTokens,
        HostAction::RevokePresentedToken => engine::HostAction::RevokePresentedToken,
    }
}

fn invalid_call(message: String, violations: Vec<Violation>) -> wt::InvalidCall {
    wt::InvalidCall { message, violations: violations.into_iter().map(violation).collect() }
}

fn violation(v: Violation) -> wt::Violation {
    wt::Violation {
        error: error_code(v.error),
        rule: v.rule,
        path: v.path,
        source: source(v.source),
        message: v.message,
        severity: severity(v.severity),
        reason: v.reason,
    }
}

fn change(c: Change) -> wt::Change {
    wt::Change {
        path: c.path,
        action: change_action(c.action),
        from: c.from.as_ref().map(ffi::value_json_text),
        to: c.to.as_ref().map(ffi::value_json_text),
        rule: c.rule,
        reason: c.reason,
    }
}

const fn error_code(e: ErrorCode) -> wt::ErrorCode {
    match e {
        ErrorCode::InvalidRedirectUri => wt::ErrorCode::InvalidRedirectUri,
        ErrorCode::InvalidClientMetadata => wt::ErrorCode::InvalidClientMetadata,
        ErrorCode::InvalidSoftwareStatement => wt::ErrorCode::InvalidSoftwareStatement,
        ErrorCode::UnapprovedSoftwareStatement => wt::ErrorCode::UnapprovedSoftwareStatement,
        ErrorCode::InvalidToken => wt::ErrorCode::InvalidToken,
        ErrorCode::InsufficientScope => wt::ErrorCode::InsufficientScope,
        ErrorCode::InvalidRequest => wt::ErrorCode::InvalidRequest,
        ErrorCode::InvalidClient => wt::ErrorCode::InvalidClient,
        ErrorCode::InvalidWebhookUris => wt::ErrorCode::InvalidWebhookUris,
    }
}

const fn severity(s: Severity) -> wt::Severity {
    match s {
        Severity::Error => wt::Severity::Error,
        Severity::Warning => wt::Severity::Warning,
        Severity::Advice => wt::Severity::Advice,
    }
}

const fn source(s: Source) -> wt::Source {
    match s {
        Source::Metadata => wt::Source::Metadata,
        Source::Request => wt::Source::Request,
        Source::SoftwareStatement => wt::Source::SoftwareStatement,
        Source::SoftwareStatementHeader => wt::Source::SoftwareStatementHeader,
        Source::RequestJwt => wt::Source::RequestJwt,
        Source::RequestJwtHeader => wt::Source::RequestJwtHeader,
        Source::Jwks => wt::Source::Jwks,
        Source::Policy => wt::Source::Policy,
        Source::Context => wt::Source::Context,
    }
}

const fn change_action(a: ChangeAction) -> wt::ChangeAction {
    match a {
        ChangeAction::Defaulted => wt::ChangeAction::Defaulted,
        ChangeAction::Overridden => wt::ChangeAction::Overridden,
        ChangeAction::Removed => wt::ChangeAction::Removed,
        ChangeAction::FromSoftwareStatement => wt::ChangeAction::FromSoftwareStatement,
        ChangeAction::Added => wt::ChangeAction::Added,
        ChangeAction::Updated => wt::ChangeAction::Updated,
        ChangeAction::Rotated => wt::ChangeAction::Rotated,
    }
}

// ---- randomness: getrandom's custom backend over wasi:random ------------

/// getrandom 0.4's custom backend (enabled by `--cfg getrandom_backend="custom"`,
/// set only for this build in the Makefile): fills `dest` from the host's
/// `wasi:random/random.get-random-bytes`. This is the component's only import.
///
/// # Safety
/// getrandom calls this with `dest` valid for writes of `len` bytes.
// getrandom's custom backend is an `extern "Rust"` symbol by contract, which
// needs `no_mangle` and a raw-pointer write: the only hand-written unsafe code
// in the crate, allowed for this function alone.
#[cfg(getrandom_backend = "custom")]
#[allow(unsafe_code)]
#[unsafe(no_mangle)]
unsafe extern "Rust" fn __getrandom_v03_custom(dest: *mut u8, len: usize) -> Result<(), getrandom::Error> {
    let Ok(wanted) = u64::try_from(len) else { return Err(getrandom::Error::UNEXPECTED) };
    let bytes = wit::wasi::random::random::get_random_bytes(wanted);
    if bytes.len() != len {
        // A host that returns fewer bytes than asked must not give us weak credentials.
        return Err(getrandom::Error::UNEXPECTED);
    }
    // SAFETY: getrandom guarantees `dest` is valid for `len` bytes; `bytes` has exactly `len`.
    unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), dest, len) };
    Ok(())
}
