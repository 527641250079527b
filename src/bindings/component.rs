//! Wasm component skin (WIT world `dcr:policy/dcr-policy@0.1.0`, in `wit/`):
//! one-line delegations to [`crate::ffi`] plus conversions from the core's
//! types to the generated WIT types. No logic lives here.
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

/// The component's export implementation.
struct Component;

impl Guest for Component {
    type Policy = LoadedPolicy;

    fn validate_metadata(metadata: String, policy: String) -> engine::MetadataOutcome {
        metadata_outcome(ffi::validate_metadata_call(&metadata, Some(&policy)))
    }
}

/// The `policy` resource: a policy parsed once, reused across calls.
struct LoadedPolicy {
    inner: crate::Policy,
}

impl GuestPolicy for LoadedPolicy {
    fn load(json: String) -> Result<engine::Policy, wt::InvalidCall> {
        match ffi::load_policy(Some(&json)) {
            Ok(inner) => Ok(engine::Policy::new(LoadedPolicy { inner })),
            Err((message, violations)) => Err(invalid_call(message, violations)),
        }
    }

    fn validate_metadata(&self, metadata: String) -> engine::MetadataOutcome {
        metadata_outcome(ffi::validate_metadata_json(&metadata, &self.inner))
    }
}

// ---- conversions: core types -> WIT types -------------------------------
// Every match is exhaustive on purpose: a new case in the core (error code,
// source, change action) fails to compile here until the WIT gains it too.

fn metadata_outcome(answer: ffi::ValidateMetadataAnswer) -> engine::MetadataOutcome {
    match answer {
        ffi::ValidateMetadataAnswer::Accepted { client, changes, violations } => {
            engine::MetadataOutcome::Accepted(engine::MetadataAccepted {
                client: Value::Object(client).to_string(),
                changes: changes.into_iter().map(change).collect(),
                violations: violations.into_iter().map(violation).collect(),
            })
        }
        ffi::ValidateMetadataAnswer::Rejected { error, error_description, client, changes, violations } => {
            engine::MetadataOutcome::Rejected(engine::MetadataRejected {
                error: error_code(error),
                error_description,
                client: Value::Object(client).to_string(),
                changes: changes.into_iter().map(change).collect(),
                violations: violations.into_iter().map(violation).collect(),
            })
        }
        ffi::ValidateMetadataAnswer::InvalidCall { message, violations } => {
            engine::MetadataOutcome::InvalidCall(invalid_call(message, violations))
        }
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
        from: c.from.map(|v| v.to_string()),
        to: c.to.map(|v| v.to_string()),
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
