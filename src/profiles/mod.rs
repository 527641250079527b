//! Built-in profiles (recipes) as policy data, plus the coded rules each
//! profile adds beyond data.
//!
//! TEMPORARY STUB (lead): replaced by the profiles branch.

use serde_json::{Map, Value};

use crate::change::Change;
use crate::error::Report;
use crate::host::Context;
use crate::policy::{Policy, ProfileId};

/// The recipe.
#[must_use]
pub fn recipe(id: ProfileId) -> Policy {
    Policy { profile: id, ..Policy::default() }
}

/// Profile metadata rules.
pub fn check_metadata(client: &Map<String, Value>, policy: &Policy, ctx: &Context, report: &mut Report) {
    let _ = (client, policy, ctx, report);
}

/// Software JWKS URL.
#[must_use]
pub fn software_jwks_location(policy: &Policy, ssa_claims: &Map<String, Value>) -> Option<String> {
    let _ = policy;
    ["software_jwks_endpoint", "jwks_uri", "software_jwks_uri"].iter().find_map(|k| ssa_claims.get(*k).and_then(Value::as_str).map(str::to_owned))
}

/// SSA merge.
pub fn merge_software_statement(client: &mut Map<String, Value>, ssa_claims: &Map<String, Value>, policy: &Policy, changes: &mut Vec<Change>, report: &mut Report) {
    let _ = (client, ssa_claims, policy, changes, report);
}

/// Request JWT claims.
pub fn check_request_claims(request_claims: &Map<String, Value>, ssa_claims: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    let _ = (request_claims, ssa_claims, policy, report);
}

/// SSA claims.
pub fn check_ssa_claims(ssa_claims: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    let _ = (ssa_claims, policy, report);
}
