//! What the engine changed between the request and the stored client.
//!
//! RFC7591-META-03 / UKOB-META-13: a requested value may be refused or
//! replaced; every replacement is recorded here and visible in the response.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How a field was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    /// The field was absent and a default was filled in.
    Defaulted,
    /// The field was present and the policy replaced its value.
    Overridden,
    /// The field was present and was dropped.
    Removed,
    /// A value was taken from the software statement (RFC 7591 §2.3).
    FromSoftwareStatement,
    /// An update (RFC 7592 PUT) added a field the stored client did not have.
    Added,
    /// An update changed the stored value.
    Updated,
    /// A credential was re-issued (values are never shown).
    Rotated,
}

/// One change, shaped like a [`crate::Violation`]: `path` is an RFC 6901
/// pointer into the stored client, `rule` the rule ID that caused it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// JSON Pointer of the field, e.g. `/grant_types`.
    pub path: String,
    /// What happened to it.
    pub action: ChangeAction,
    /// The value sent (absent when the field was absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Value>,
    /// The value stored (absent when the field was removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Value>,
    /// Stable rule ID from `shared/spec` (or `POLICY-DEFAULT` / `POLICY-ENFORCE`
    /// for values that come from the host's own policy).
    pub rule: String,
    /// One lowercase line for humans: why.
    pub reason: String,
}

impl Change {
    /// A default filled into an absent field.
    #[must_use]
    pub fn defaulted(field: &str, to: Value, rule: &str, reason: impl Into<String>) -> Self {
        Self {
            path: crate::pointer::field(field),
            action: ChangeAction::Defaulted,
            from: None,
            to: Some(to),
            rule: rule.to_owned(),
            reason: reason.into(),
        }
    }

    /// A present value replaced by the policy.
    #[must_use]
    pub fn overridden(field: &str, from: Value, to: Value, rule: &str, reason: impl Into<String>) -> Self {
        Self {
            path: crate::pointer::field(field),
            action: ChangeAction::Overridden,
            from: Some(from),
            to: Some(to),
            rule: rule.to_owned(),
            reason: reason.into(),
        }
    }

    /// A present value dropped.
    #[must_use]
    pub fn removed(field: &str, from: Value, rule: &str, reason: impl Into<String>) -> Self {
        Self {
            path: crate::pointer::field(field),
            action: ChangeAction::Removed,
            from: Some(from),
            to: None,
            rule: rule.to_owned(),
            reason: reason.into(),
        }
    }
}
