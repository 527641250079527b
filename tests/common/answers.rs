//! Shared helpers that run a registration and destructure its answer.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_policy::ErrorCode;
use dcr_policy::policy::Policy;
use dcr_policy::registration::{RegistrationAnswer, RegistrationRequest, evaluate_registration};
use serde_json::{Map, Value, json};

use super::fixtures::show;

/// Evaluates `req` under `p` with a seeded random source and checks that the
/// skins' direct writer gives serde's bytes for the answer.
pub fn run_checked(req: &RegistrationRequest, p: &Policy, seed: u64) -> RegistrationAnswer {
    let a = evaluate_registration(req, p, &mut dcr_policy::host::SeededRandom::new(seed));
    assert_eq!(dcr_policy::ffi::registration_answer_json(&a), dcr_policy::ffi::to_json(&a));
    a
}

/// (client, response, changes) of a 201 answer; panics on anything else.
#[track_caller]
pub fn accepted(a: &RegistrationAnswer) -> (&Map<String, Value>, &Map<String, Value>, &Vec<dcr_policy::Change>) {
    match a {
        RegistrationAnswer::Accepted { client, response, changes, status, .. } => {
            assert_eq!(*status, 201, "RFC7591-OUT-01");
            (client, response, changes)
        }
        other => panic!("expected accepted, got {}", show(other)),
    }
}

/// (status, top-level error, error findings as (rule, path)) of a rejected
/// answer. Also checks its RFC 7591 §3.2.2 error body (RFC7591-ERR-01, the
/// OIDF `CheckErrorFromDynamicRegistrationEndpoint*` conditions): a JSON
/// object whose `error` is the top-level code, with an ASCII `error_description`.
#[track_caller]
pub fn rejected(a: &RegistrationAnswer) -> (u16, ErrorCode, Vec<(String, String)>) {
    match a {
        RegistrationAnswer::Rejected { status, error, violations, response, .. } => {
            assert_eq!(response["error"], json!(error.as_str()), "{}", show(a));
            assert!(response["error_description"].as_str().is_some_and(str::is_ascii), "{}", show(a));
            (*status, *error, violations.iter().filter(|v| v.is_error()).map(|v| (v.rule.clone(), v.path.clone())).collect())
        }
        other => panic!("expected rejected, got {}", show(other)),
    }
}

/// A 400 with `code` on top and an error finding at `path` (any rule); returns the findings.
#[track_caller]
pub fn refused_at(a: &RegistrationAnswer, code: ErrorCode, path: &str) -> Vec<(String, String)> {
    let (status, error, found) = rejected(a);
    assert_eq!((status, error), (400, code), "{}", show(a));
    assert!(found.iter().any(|(_, p)| p == path), "expected a finding at {path:?} in {found:?}");
    found
}
