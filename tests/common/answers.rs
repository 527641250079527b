//! Shared helpers that run a registration and destructure its answer.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_policy::policy::Policy;
use dcr_policy::registration::{RegistrationAnswer, RegistrationRequest, evaluate_registration};
use serde_json::{Map, Value};

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
