//! Client metadata: the field table, per-field and cross-field validation
//! (RFC 7591 §2, OIDC DCR §2, RFC 8252, RFC 8705, PAR, DPoP, JAR, JARM,
//! logout, CIBA), defaults, policy `enforce` / `allowed` / `required`, and
//! the server capabilities check.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::change::Change;
use crate::error::{Report, Violation};
use crate::policy::Policy;

/// The result of [`validate_metadata`]: the client as it would be stored,
/// what changed and why, and every finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetadataOutcome {
    /// The metadata after defaults and overrides (unknown fields kept per policy).
    pub client: Map<String, Value>,
    /// Every default filled in and every value overridden or removed.
    pub changes: Vec<Change>,
    /// Every finding, errors first in check order.
    pub violations: Vec<Violation>,
}

impl MetadataOutcome {
    /// True when no finding has severity `error`.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        !self.violations.iter().any(Violation::is_error)
    }
}

/// Validates client metadata against RFC 7591, OIDC DCR (when the policy's
/// profile is OIDC-based) and the policy, filling defaults.
#[must_use]
pub fn validate_metadata(metadata: &Map<String, Value>, policy: &Policy) -> MetadataOutcome {
    let mut client = metadata.clone();
    let mut changes = Vec::new();
    let mut report = Report::new();
    apply_enforce(&mut client, policy, &mut changes);
    apply_defaults(&mut client, policy, &mut changes);
    validate(&client, policy, &mut report);
    MetadataOutcome { client, changes, violations: report.into_vec() }
}

/// Replaces values the policy enforces, recording `overridden` changes.
pub fn apply_enforce(client: &mut Map<String, Value>, policy: &Policy, changes: &mut Vec<Change>) {
    let _ = (client, policy, changes);
}

/// Fills absent fields with policy defaults, then RFC / OIDC defaults,
/// recording `defaulted` changes.
pub fn apply_defaults(client: &mut Map<String, Value>, policy: &Policy, changes: &mut Vec<Change>) {
    let _ = (client, policy, changes);
}

/// Runs every field and cross-field rule, pushing findings into `report`.
pub fn validate(client: &Map<String, Value>, policy: &Policy, report: &mut Report) {
    let _ = (client, policy, report);
}
