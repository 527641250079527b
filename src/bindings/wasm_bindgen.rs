//! wasm-bindgen skin: one-line delegations to [`crate::ffi`]. Documents cross
//! as JSON text; `js/api.js` parses and stringifies.

use wasm_bindgen::prelude::*;

use crate::ffi;

/// talc instead of the default dlmalloc: the metadata hot path is allocation-bound
/// (serde_json values), and talc is measurably faster there (see bench/metadata.mjs).
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// A policy compiled once and reused across requests.
#[wasm_bindgen(js_name = CompiledPolicy)]
pub struct CompiledPolicy {
    inner: crate::Policy,
    /// Parsed key sets seen by this policy (same decisions, no re-parsing).
    keys: core::cell::RefCell<crate::jose::KeyCache>,
    /// Request bytes, written by JS straight into Wasm memory (`inputBuffer`).
    input: core::cell::RefCell<Vec<u8>>,
    /// The last answer's JSON text (`outputBuffer`), reused across calls.
    output: core::cell::RefCell<Vec<u8>>,
    /// Credentials' randomness, fetched 1 KB at a time (`crypto.getRandomValues`
    /// costs ~7 µs per call in Node); served bytes are zeroed (host::BatchedRandom).
    random: core::cell::RefCell<crate::host::BatchedRandom>,
}

/// Random bytes a compiled policy fetches at once.
const RANDOM_POOL: usize = 1024;

/// The Wasm memory, for JS that reads and writes [`CompiledPolicy`]'s buffers.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

#[wasm_bindgen(js_class = CompiledPolicy)]
impl CompiledPolicy {
    /// Loads a policy from JSON text; throws the `invalid_call` answer (JSON text) on error.
    #[wasm_bindgen(constructor)]
    pub fn new(policy_json: &str) -> Result<CompiledPolicy, JsValue> {
        ffi::load_policy(Some(policy_json))
            .map(|inner| CompiledPolicy {
                inner,
                keys: core::cell::RefCell::default(),
                input: Default::default(),
                output: Default::default(),
                random: core::cell::RefCell::new(crate::host::BatchedRandom::new(RANDOM_POOL)),
            })
            .map_err(|(message, violations)| JsValue::from_str(&ffi::to_json(&ffi::invalid_call_value(message, violations))))
    }

    /// `validate_metadata` against this policy; returns the answer as JSON
    /// text, ASCII only (characters outside ASCII as `\uXXXX` escapes: the
    /// same value once parsed, and JS decodes and parses ASCII text faster).
    #[wasm_bindgen(js_name = validateMetadata)]
    pub fn validate_metadata(&self, metadata_json: &str) -> String {
        ffi::validate_metadata_json(metadata_json, &self.inner).to_ascii_json_text()
    }

    /// Makes room for `len` request bytes and returns their address in Wasm
    /// memory. JS encodes the body there (`TextEncoder.encodeInto`), then calls
    /// `validateMetadataInput`: no per-call allocation or string copy by the glue.
    #[wasm_bindgen(js_name = inputBuffer)]
    pub fn input_buffer(&self, len: usize) -> usize {
        let mut input = self.input.borrow_mut();
        if input.len() < len {
            input.resize(len, 0);
        }
        input.as_ptr() as usize
    }

    /// `validate_metadata` of the first `len` bytes of the input buffer. The
    /// answer (as `validateMetadata` gives it: ASCII-only JSON) is left in the
    /// output buffer (`outputBuffer`); returns its length in bytes.
    #[wasm_bindgen(js_name = validateMetadataInput)]
    pub fn validate_metadata_input(&self, len: usize) -> usize {
        let input = self.input.borrow();
        let answer = ffi::validate_metadata_bytes(input.get(..len).unwrap_or_default(), &self.inner);
        let mut output = self.output.borrow_mut();
        output.clear();
        answer.write_json_into(&mut output, true);
        output.len()
    }

    /// Address of the last answer written by `validateMetadataInput`.
    #[wasm_bindgen(js_name = outputBuffer)]
    pub fn output_buffer(&self) -> usize {
        self.output.borrow().as_ptr() as usize
    }

    /// `evaluate_registration` against this policy.
    #[wasm_bindgen(js_name = evaluateRegistration)]
    pub fn evaluate_registration(&self, call_json: &str) -> String {
        self.evaluate_registration_parts(call_json, None)
    }

    /// `evaluate_registration` with the HTTP body beside the call (the call
    /// then has no `body`): the body is judged by the policy's limits only.
    #[wasm_bindgen(js_name = evaluateRegistrationParts)]
    pub fn evaluate_registration_parts(&self, call_json: &str, body: Option<String>) -> String {
        ffi::registration_answer_json(&ffi::evaluate_registration_json_parts(
            call_json,
            body.as_deref(),
            &self.inner,
            &mut self.keys.borrow_mut(),
            &mut *self.random.borrow_mut(),
        ))
    }

    /// `inspect_registration` against this policy.
    #[wasm_bindgen(js_name = inspectRegistration)]
    pub fn inspect_registration(&self, call_json: &str) -> String {
        self.inspect_registration_parts(call_json, None)
    }

    /// `inspect_registration` with the body beside the call.
    #[wasm_bindgen(js_name = inspectRegistrationParts)]
    pub fn inspect_registration_parts(&self, call_json: &str, body: Option<String>) -> String {
        ffi::to_json(&ffi::inspect_registration_json_parts(call_json, body.as_deref(), &self.inner))
    }

    /// `explain_policy` for this policy.
    #[wasm_bindgen(js_name = explain)]
    pub fn explain(&self) -> String {
        ffi::explain_policy_json(&self.inner)
    }

    /// `discovery_metadata` for this policy.
    #[wasm_bindgen(js_name = discoveryMetadata)]
    pub fn discovery_metadata(&self) -> String {
        ffi::discovery_metadata_json(&self.inner)
    }

    /// `evaluate_management` against this policy.
    #[wasm_bindgen(js_name = evaluateManagement)]
    pub fn evaluate_management(&self, call_json: &str) -> String {
        self.evaluate_management_parts(call_json, None)
    }

    /// `evaluate_management` with the PUT body beside the call.
    #[wasm_bindgen(js_name = evaluateManagementParts)]
    pub fn evaluate_management_parts(&self, call_json: &str, body: Option<String>) -> String {
        ffi::to_json(&ffi::evaluate_management_json_parts(
            call_json,
            body.as_deref(),
            &self.inner,
            &mut self.keys.borrow_mut(),
            &mut *self.random.borrow_mut(),
        ))
    }
}

/// `validate_metadata` with the policy as JSON text (empty → `rfc7591`).
#[wasm_bindgen(js_name = validateMetadata)]
pub fn validate_metadata(metadata_json: &str, policy_json: &str) -> String {
    ffi::validate_metadata_call(metadata_json, Some(policy_json)).to_ascii_json_text()
}

/// `evaluate_registration` with the policy as JSON text.
#[wasm_bindgen(js_name = evaluateRegistration)]
pub fn evaluate_registration(call_json: &str, policy_json: &str) -> String {
    ffi::with_policy(Some(policy_json), |p| ffi::registration_answer_json(&ffi::evaluate_registration_json(call_json, p)))
}

/// `inspect_registration` with the policy as JSON text.
#[wasm_bindgen(js_name = inspectRegistration)]
pub fn inspect_registration(call_json: &str, policy_json: &str) -> String {
    ffi::with_policy(Some(policy_json), |p| ffi::to_json(&ffi::inspect_registration_json(call_json, p)))
}

/// `evaluate_management` with the policy as JSON text.
#[wasm_bindgen(js_name = evaluateManagement)]
pub fn evaluate_management(call_json: &str, policy_json: &str) -> String {
    ffi::with_policy(Some(policy_json), |p| ffi::to_json(&ffi::evaluate_management_json(call_json, p)))
}

/// `explain_policy` with the policy as JSON text.
#[wasm_bindgen(js_name = explainPolicy)]
pub fn explain_policy(policy_json: &str) -> String {
    ffi::with_policy(Some(policy_json), ffi::explain_policy_json)
}

/// `discovery_metadata` with the policy as JSON text.
#[wasm_bindgen(js_name = discoveryMetadata)]
pub fn discovery_metadata(policy_json: &str) -> String {
    ffi::with_policy(Some(policy_json), ffi::discovery_metadata_json)
}

/// `verify_software_statement`: the call (token, jwks, now, options) as JSON
/// text; returns the answer as JSON text.
#[wasm_bindgen(js_name = verifySoftwareStatement)]
pub fn verify_software_statement(call_json: &str) -> String {
    ffi::to_json(&ffi::verify_software_statement_call(call_json))
}

/// A JWK Set parsed once, with its keys decoded and their arithmetic
/// precomputed; reuse it for every token signed by that issuer.
#[wasm_bindgen(js_name = CompiledKeySet)]
pub struct CompiledKeySet {
    inner: crate::jose::Jwks,
}

#[wasm_bindgen(js_class = CompiledKeySet)]
impl CompiledKeySet {
    /// Parses a JWK Set; throws the `invalid_call` answer (JSON text) on error.
    #[wasm_bindgen(constructor)]
    pub fn new(jwks_json: &str) -> Result<CompiledKeySet, JsValue> {
        let fail = |message: &str, violations| {
            JsValue::from_str(&ffi::to_json(&ffi::VerifyAnswer::InvalidCall { message: message.to_owned(), violations }))
        };
        let value = crate::limits::parse_json(jwks_json.as_bytes(), &crate::limits::CALL_LIMITS).map_err(|e| {
            fail("malformed key set", vec![ffi::json_violation(&e, crate::Source::Jwks, "JWT-KEY-01", crate::ErrorCode::InvalidRequest)])
        })?;
        crate::jose::Jwks::from_value(&value, "").map(|inner| CompiledKeySet { inner }).map_err(|v| fail("invalid key set", v))
    }

    /// `verify_software_statement` with this key set (`jwks` in the call is ignored).
    pub fn verify(&self, call_json: &str) -> String {
        let answer = match ffi::parse_verify_call(call_json) {
            Ok(call) => ffi::verify_with_jwks(&call, &self.inner),
            Err(answer) => answer,
        };
        ffi::to_json(&answer)
    }
}
