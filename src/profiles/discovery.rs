//! Provider discovery values derived from a policy (OpenID Connect
//! Discovery §3 / RFC 8414 §2 names), for hosts that publish
//! `/.well-known/openid-configuration` from the same policy they enforce.
//!
//! A list is the policy's `capabilities` entry intersected with its
//! `allowed` list for the matching client field (either alone when only one
//! is set); lists the policy does not restrict are left out, so the host's
//! own values stand. `registration_endpoint` and `issuer` are copied;
//! `require_pushed_authorization_requests` and
//! `tls_client_certificate_bound_access_tokens` are `true` when the policy
//! enforces them.

use serde_json::{Map, Value};

use crate::policy::{Capabilities, Policy};

/// Discovery member ← client metadata field whose `allowed` list feeds it.
const LISTS: [(&str, &str); 20] = [
    ("token_endpoint_auth_methods_supported", "token_endpoint_auth_method"),
    ("token_endpoint_auth_signing_alg_values_supported", "token_endpoint_auth_signing_alg"),
    ("grant_types_supported", "grant_types"),
    ("response_types_supported", "response_types"),
    ("subject_types_supported", "subject_type"),
    ("id_token_signing_alg_values_supported", "id_token_signed_response_alg"),
    ("id_token_encryption_alg_values_supported", "id_token_encrypted_response_alg"),
    ("id_token_encryption_enc_values_supported", "id_token_encrypted_response_enc"),
    ("userinfo_signing_alg_values_supported", "userinfo_signed_response_alg"),
    ("userinfo_encryption_alg_values_supported", "userinfo_encrypted_response_alg"),
    ("userinfo_encryption_enc_values_supported", "userinfo_encrypted_response_enc"),
    ("request_object_signing_alg_values_supported", "request_object_signing_alg"),
    ("request_object_encryption_alg_values_supported", "request_object_encryption_alg"),
    ("request_object_encryption_enc_values_supported", "request_object_encryption_enc"),
    ("authorization_signing_alg_values_supported", "authorization_signed_response_alg"),
    ("authorization_encryption_alg_values_supported", "authorization_encrypted_response_alg"),
    ("authorization_encryption_enc_values_supported", "authorization_encrypted_response_enc"),
    ("introspection_signing_alg_values_supported", "introspection_signed_response_alg"),
    ("backchannel_token_delivery_modes_supported", "backchannel_token_delivery_mode"),
    ("backchannel_authentication_request_signing_alg_values_supported", "backchannel_authentication_request_signing_alg"),
];

/// Discovery values derived from `policy`.
#[must_use]
pub fn discovery(policy: &Policy) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(issuer) = &policy.issuer {
        out.insert("issuer".to_owned(), Value::String(issuer.clone()));
    }
    if let Some(endpoint) = &policy.registration_endpoint {
        out.insert("registration_endpoint".to_owned(), Value::String(endpoint.clone()));
    }
    let caps = capabilities_map(&policy.capabilities);
    for (member, field) in LISTS {
        let cap: Option<Vec<String>> =
            caps.get(member).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect());
        let allowed: Option<Vec<String>> =
            policy.allowed.get(field).and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect());
        let list = match (cap, allowed) {
            (Some(c), Some(a)) => Some(c.into_iter().filter(|v| a.contains(v)).collect()),
            (Some(c), None) => Some(c),
            (None, Some(a)) => Some(a),
            (None, None) => None,
        };
        if let Some(list) = list {
            out.insert(member.to_owned(), Value::Array(list.into_iter().map(Value::String).collect()));
        }
    }
    // Members the policy's capabilities set directly (no client field behind them).
    for member in ["response_modes_supported", "scopes_supported", "acr_values_supported", "dpop_signing_alg_values_supported"] {
        if let Some(v) = caps.get(member).filter(|v| !v.is_null()) {
            out.insert(member.to_owned(), v.clone());
        }
    }
    if policy.profile.is_fapi2()
        && !out.contains_key("dpop_signing_alg_values_supported")
        && let Some(v) = policy.allowed.get("token_endpoint_auth_signing_alg")
    {
        out.insert("dpop_signing_alg_values_supported".to_owned(), v.clone());
    }
    if policy.enforce.get("require_pushed_authorization_requests") == Some(&Value::Bool(true)) {
        out.insert("require_pushed_authorization_requests".to_owned(), Value::Bool(true));
    }
    if policy.enforce.get("tls_client_certificate_bound_access_tokens") == Some(&Value::Bool(true))
        || policy.capabilities.tls_client_certificate_bound_access_tokens == Some(true)
    {
        out.insert("tls_client_certificate_bound_access_tokens".to_owned(), Value::Bool(true));
    }
    if policy.enforce.get("require_signed_request_object") == Some(&Value::Bool(true)) {
        out.insert("require_signed_request_object".to_owned(), Value::Bool(true));
    }
    for (member, flag) in [
        ("frontchannel_logout_supported", policy.capabilities.frontchannel_logout_supported),
        ("backchannel_logout_supported", policy.capabilities.backchannel_logout_supported),
    ] {
        if let Some(b) = flag {
            out.insert(member.to_owned(), Value::Bool(b));
        }
    }
    out
}

fn capabilities_map(c: &Capabilities) -> Map<String, Value> {
    match serde_json::to_value(c) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}
