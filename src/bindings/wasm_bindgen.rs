//! wasm-bindgen skin: one-line delegations to [`crate::ffi`]. Documents cross
//! as JSON text; `js/` parses and stringifies.

use wasm_bindgen::prelude::*;

use crate::ffi;

/// A policy compiled once and reused across requests.
#[wasm_bindgen(js_name = CompiledPolicy)]
pub struct CompiledPolicy {
    inner: crate::Policy,
}

#[wasm_bindgen(js_class = CompiledPolicy)]
impl CompiledPolicy {
    /// Loads a policy from JSON text; throws the `invalid_call` answer (JSON text) on error.
    #[wasm_bindgen(constructor)]
    pub fn new(policy_json: &str) -> Result<CompiledPolicy, JsValue> {
        ffi::load_policy(Some(policy_json)).map(|inner| CompiledPolicy { inner }).map_err(|(message, violations)| {
            JsValue::from_str(&ffi::to_json(&ffi::ValidateMetadataAnswer::InvalidCall { message, violations }))
        })
    }

    /// `validate_metadata` against this policy; returns the answer as JSON text.
    #[wasm_bindgen(js_name = validateMetadata)]
    pub fn validate_metadata(&self, metadata_json: &str) -> String {
        ffi::to_json(&ffi::validate_metadata_json(metadata_json, &self.inner))
    }
}

/// `validate_metadata` with the policy as JSON text (empty → `rfc7591`).
#[wasm_bindgen(js_name = validateMetadata)]
pub fn validate_metadata(metadata_json: &str, policy_json: &str) -> String {
    ffi::to_json(&ffi::validate_metadata_call(metadata_json, Some(policy_json)))
}
