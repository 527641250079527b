//! The single JSON boundary shared by the wasm-bindgen and component skins.
//!
//! Each entry point takes JSON text and returns an answer value whose
//! `outcome` tag is `accepted`, `rejected` (the *client's* mistake, with
//! violations and a ready RFC 7591 error) or `invalid_call` (the *host's*
//! mistake: a bad policy, a malformed envelope). Only the skins turn these
//! into JS objects or WIT records; no logic lives there.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::change::Change;
use crate::error::{ErrorCode, Source, Violation, error_description, top_error};
use crate::limits::{JsonError, parse_object};
use crate::policy::Policy;

/// The answer of `validate_metadata`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ValidateMetadataAnswer {
    /// The metadata is valid under the policy (warnings may be present).
    Accepted {
        /// The client as it would be stored.
        client: Map<String, Value>,
        /// Defaults and overrides applied.
        changes: Vec<Change>,
        /// Warnings and advice only.
        violations: Vec<Violation>,
    },
    /// The metadata is not valid.
    Rejected {
        /// RFC 7591 top-level error code.
        error: ErrorCode,
        /// Human summary for the HTTP body.
        error_description: String,
        /// The client as it would have been stored (empty if the body did not parse).
        client: Map<String, Value>,
        /// Defaults and overrides that were applied before rejection.
        changes: Vec<Change>,
        /// Every finding.
        violations: Vec<Violation>,
    },
    /// The host's call was wrong (e.g. an invalid policy).
    InvalidCall {
        /// What was wrong.
        message: String,
        /// Findings in the policy or envelope, with paths.
        violations: Vec<Violation>,
    },
}

/// Converts a strict-parse failure into a violation on `source`.
#[must_use]
pub fn json_violation(err: &JsonError, source: Source, rule: &str, code: ErrorCode) -> Violation {
    Violation::new(code, rule, err.path.clone(), err.message.clone()).in_source(source).with_reason(err.reason)
}

/// Parses policy JSON (`None` or empty → the default `rfc7591` policy).
///
/// # Errors
/// The `invalid_call` answer's message and violations.
pub fn load_policy(policy_json: Option<&str>) -> Result<Policy, (String, Vec<Violation>)> {
    match policy_json.map(str::trim) {
        None | Some("") | Some("null") => Ok(Policy::default()),
        Some(text) => Policy::from_json(text).map_err(|v| ("invalid policy".to_owned(), v)),
    }
}

/// `validate_metadata` over JSON text: strict parse under the policy's
/// limits, then [`validate_metadata`].
#[must_use]
pub fn validate_metadata_json(metadata_json: &str, policy: &Policy) -> ValidateMetadataAnswer {
    let metadata = match parse_object(metadata_json.as_bytes(), &policy.limits) {
        Ok(m) => m,
        Err(e) => {
            let v = vec![json_violation(&e, Source::Request, "RFC7591-ENDPOINT-01", ErrorCode::InvalidClientMetadata)];
            return rejected(Map::new(), Vec::new(), v);
        }
    };
    // parse_object enforced policy.limits: no second walk over the document.
    let outcome = crate::metadata::validate_metadata_parsed(metadata, policy);
    if outcome.is_valid() {
        ValidateMetadataAnswer::Accepted { client: outcome.client, changes: outcome.changes, violations: outcome.violations }
    } else {
        rejected(outcome.client, outcome.changes, outcome.violations)
    }
}

/// `validate_metadata` with the policy given as JSON text too.
#[must_use]
pub fn validate_metadata_call(metadata_json: &str, policy_json: Option<&str>) -> ValidateMetadataAnswer {
    match load_policy(policy_json) {
        Ok(policy) => validate_metadata_json(metadata_json, &policy),
        Err((message, violations)) => ValidateMetadataAnswer::InvalidCall { message, violations },
    }
}

fn rejected(client: Map<String, Value>, changes: Vec<Change>, violations: Vec<Violation>) -> ValidateMetadataAnswer {
    let error = top_error(&violations).unwrap_or(ErrorCode::InvalidClientMetadata);
    let error_description = error_description(&violations).unwrap_or_else(|| "invalid client metadata".to_owned());
    ValidateMetadataAnswer::Rejected { error, error_description, client, changes, violations }
}

/// Serializes any answer to JSON text. Serializing these types cannot fail
/// (string keys, finite numbers); should it ever, a fixed `invalid_call`
/// answer is returned instead of a panic.
#[must_use]
pub fn to_json<T: Serialize>(answer: &T) -> String {
    // Answers are around a kilobyte: one allocation instead of growing from 128 bytes.
    let mut out = Vec::with_capacity(2048);
    serde_json::to_writer(&mut out, answer)
        .ok()
        .and_then(|()| String::from_utf8(out).ok())
        .unwrap_or_else(|| r#"{"outcome":"invalid_call","message":"answer could not be serialized","violations":[]}"#.to_owned())
}

/// Reads a host envelope (call object) strictly: duplicate members, size
/// and depth are checked as for any document; unknown members are refused.
fn envelope<T: serde::de::DeserializeOwned>(call_json: &str, what: &str) -> Result<T, (String, Vec<Violation>)> {
    let limits = crate::limits::Limits { max_body_bytes: 4 << 20, max_depth: 32, max_string_bytes: 2 << 20, ..Default::default() };
    let bad = |path: String, message: String, reason: &str| {
        (
            format!("invalid {what} call"),
            vec![Violation::new(ErrorCode::InvalidRequest, "CALL-01", path, message).in_source(Source::Request).with_reason(reason)],
        )
    };
    let value = crate::limits::parse_json(call_json.as_bytes(), &limits).map_err(|e| bad(e.path.clone(), e.message.clone(), e.reason))?;
    serde_json::from_value(value).map_err(|e| bad(String::new(), e.to_string(), "schema"))
}

/// `evaluate_registration` over JSON text (the call is a
/// [`crate::registration::RegistrationRequest`]); randomness from the system.
#[must_use]
pub fn evaluate_registration_json(call_json: &str, policy: &Policy) -> crate::registration::RegistrationAnswer {
    match envelope::<crate::registration::RegistrationRequest>(call_json, "evaluate_registration") {
        Ok(req) => crate::registration::evaluate_registration(&req, policy, &mut crate::host::SystemRandom),
        Err((message, violations)) => crate::registration::RegistrationAnswer::InvalidCall { message, violations },
    }
}

/// `inspect_registration` over JSON text.
#[must_use]
pub fn inspect_registration_json(call_json: &str, policy: &Policy) -> Value {
    match envelope::<crate::registration::RegistrationRequest>(call_json, "inspect_registration") {
        Ok(req) => serde_json::to_value(crate::registration::inspect_registration(&req, policy)).unwrap_or(Value::Null),
        Err((message, violations)) => invalid_call_value(message, violations),
    }
}

/// `evaluate_management` over JSON text (the call is a
/// [`crate::management::ManagementRequest`]); randomness from the system.
#[must_use]
pub fn evaluate_management_json(call_json: &str, policy: &Policy) -> crate::management::ManagementAnswer {
    match envelope::<crate::management::ManagementRequest>(call_json, "evaluate_management") {
        Ok(req) => crate::management::evaluate_management(&req, policy, &mut crate::host::SystemRandom),
        Err((message, violations)) => crate::management::ManagementAnswer::InvalidCall { message, violations },
    }
}

/// An `invalid_call` answer as a JSON value.
#[must_use]
pub fn invalid_call_value(message: String, violations: Vec<Violation>) -> Value {
    serde_json::json!({ "outcome": "invalid_call", "message": message, "violations": violations })
}

/// Runs `f` with the policy loaded from JSON text, or answers `invalid_call`.
#[must_use]
pub fn with_policy(policy_json: Option<&str>, f: impl FnOnce(&Policy) -> String) -> String {
    match load_policy(policy_json) {
        Ok(policy) => f(&policy),
        Err((message, violations)) => to_json(&invalid_call_value(message, violations)),
    }
}

/// `explain_policy`: what the policy defaults, enforces, allows, requires and
/// forbids, with rule IDs (for admin consoles and audits).
#[must_use]
pub fn explain_policy_json(policy: &Policy) -> String {
    to_json(&serde_json::json!({ "outcome": "explained", "explanation": crate::profiles::explain::explain(policy) }))
}

/// `discovery_metadata`: provider discovery values derived from the policy.
#[must_use]
pub fn discovery_metadata_json(policy: &Policy) -> String {
    to_json(&serde_json::json!({ "outcome": "discovered", "metadata": crate::profiles::discovery::discovery(policy) }))
}
