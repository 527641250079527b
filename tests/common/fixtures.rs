//! Shared fixtures of the registration / management integration tests: the
//! clock, the AS URLs, policy loading, the default context and small JSON
//! helpers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use dcr_policy::host::{Context, TlsContext};
use dcr_policy::policy::Policy;
use dcr_policy::registration::RegistrationRequest;
use serde_json::{Map, Value, json};

pub const NOW: i64 = 1_764_000_000;
pub const AS: &str = "https://as.example.com";
pub const REG: &str = "https://as.example.com/register";
pub const CB: &str = "https://app.example.com/cb";

/// Loads a policy document; panics with the violations when it is refused.
pub fn policy(doc: Value) -> Policy {
    Policy::from_json(&doc.to_string()).unwrap_or_else(|v| panic!("policy: {v:#?}"))
}

/// The plain `oidc` profile for [`AS`] / [`REG`].
pub fn oidc() -> Policy {
    policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG}))
}

/// The registration endpoint context at [`NOW`], without TLS or bearer.
pub fn ctx() -> Context {
    Context { now: NOW, endpoint_url: Some(REG.into()), ..Context::default() }
}

/// A TLS context with subject `dn` and a fixed thumbprint.
pub fn tls(dn: &str) -> Option<TlsContext> {
    Some(TlsContext { subject_dn: Some(dn.into()), thumbprint_s256: Some("x5t".into()), ..TlsContext::default() })
}

/// Pretty JSON of an answer, for assertion messages.
pub fn show<T: serde::Serialize>(a: &T) -> String {
    serde_json::to_string_pretty(a).unwrap()
}

/// `base` with the members of `over` set (a `null` member removes it).
pub fn merge(mut base: Value, over: Value) -> Value {
    for (k, v) in over.as_object().unwrap() {
        if v.is_null() {
            base.as_object_mut().unwrap().remove(k);
        } else {
            base[k] = v.clone();
        }
    }
    base
}

/// The object of a JSON value.
pub fn obj(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

/// A plain JSON registration request of `metadata` in the default context.
pub fn md(metadata: Value) -> RegistrationRequest {
    RegistrationRequest { body: metadata.to_string(), context: ctx(), ..Default::default() }
}
