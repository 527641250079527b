// Shared, runtime-agnostic wrapper over the wasm-bindgen exports. Documents
// cross into Wasm as JSON text (strings are passed through untouched, so the
// engine still sees duplicate member names in a raw body); answers come back
// as JSON text and are parsed here. No policy logic lives in JS.

const text = (doc) => (typeof doc === 'string' ? doc : JSON.stringify(doc ?? null));

// A call object with a string `body`: [the call without it as JSON text, the
// body]; anything else: [its JSON text, undefined].
const split = (call) => {
  if (call === null || typeof call !== 'object' || Array.isArray(call) || typeof call.body !== 'string') return [text(call), undefined];
  const { body, ...rest } = call;
  return [JSON.stringify(rest), body];
};

export class DcrPolicyError extends Error {
  constructor(answer) {
    super(answer.message ?? 'invalid call');
    this.name = 'DcrPolicyError';
    this.answer = answer;
    this.violations = answer.violations ?? [];
  }
}

// Bodies up to this many UTF-16 units go through the policy's reusable
// buffers (3 bytes per unit is the UTF-8 worst case); larger ones (over any
// sane `max_body_bytes`, answered `too_large`) through the plain export.
const BUFFERED_UNITS = 1 << 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function makeApi(wasm) {
  // A byte view of the Wasm memory, taken on first use (the web build is
  // initialised after makeApi runs) and renewed when the memory grows
  // (growth detaches the old ArrayBuffer).
  const buffered = typeof wasm.wasmMemory === 'function';
  let memory = null;
  let bytes = null;
  const view = () => {
    memory ??= wasm.wasmMemory();
    if (bytes === null || bytes.buffer !== memory.buffer) bytes = new Uint8Array(memory.buffer);
    return bytes;
  };

  class Policy {
    #inner;
    constructor(policy = {}) {
      try {
        this.#inner = new wasm.CompiledPolicy(text(policy));
      } catch (e) {
        throw new DcrPolicyError(typeof e === 'string' ? JSON.parse(e) : { message: String(e) });
      }
    }
    validateMetadata(metadata) {
      const body = text(metadata);
      if (!buffered || body.length > BUFFERED_UNITS) return JSON.parse(this.#inner.validateMetadata(body));
      // The body is encoded straight into Wasm memory and the answer decoded
      // from it: the same bytes and answer as the plain export, without the
      // glue's per-call allocations and copies.
      const room = body.length * 3;
      const at = this.#inner.inputBuffer(room);
      const { written } = encoder.encodeInto(body, view().subarray(at, at + room));
      const n = this.#inner.validateMetadataInput(written);
      const out = this.#inner.outputBuffer();
      return JSON.parse(decoder.decode(view().subarray(out, out + n)));
    }
    // A request object's string `body` crosses beside the call, not escaped
    // inside its JSON: the policy's `max_body_bytes` alone judges it, as in
    // the component and the Rust API (a call given as one JSON text is
    // bounded by the 4 MiB call envelope).
    evaluateRegistration(request) {
      const [call, body] = split(request);
      return JSON.parse(this.#inner.evaluateRegistrationParts(call, body));
    }
    inspectRegistration(request) {
      const [call, body] = split(request);
      return JSON.parse(this.#inner.inspectRegistrationParts(call, body));
    }
    evaluateManagement(request) {
      const [call, body] = split(request);
      return JSON.parse(this.#inner.evaluateManagementParts(call, body));
    }
    explain() {
      return JSON.parse(this.#inner.explain());
    }
    discoveryMetadata() {
      return JSON.parse(this.#inner.discoveryMetadata());
    }
    free() {
      this.#inner.free();
    }
  }

  const policyText = (policy) => (policy instanceof Policy ? null : text(policy ?? {}));

  // The free functions take a policy document and compile it on every call
  // (~50 µs, several times a metadata decision). Compiling is pure, so the
  // last few compiled policies are kept, keyed by the policy's exact JSON
  // text: a document mutated between calls has a new text and compiles
  // afresh. A policy that does not compile is not kept; it goes through the
  // plain export, which answers `invalid_call` as before.
  const COMPILED_MAX = 8;
  const compiled = new Map(); // policy text → Policy, least recently used first
  function compiledFor(policy) {
    const key = policyText(policy);
    let hit = compiled.get(key);
    if (hit !== undefined) {
      if (compiled.size > 1) {
        compiled.delete(key);
        compiled.set(key, hit);
      }
      return hit;
    }
    try {
      hit = new Policy(key);
    } catch {
      return null;
    }
    compiled.set(key, hit);
    if (compiled.size > COMPILED_MAX) {
      const [oldest, evicted] = compiled.entries().next().value;
      compiled.delete(oldest);
      evicted.free();
    }
    return hit;
  }

  function validateMetadata(metadata, policy) {
    if (policy instanceof Policy) return policy.validateMetadata(metadata);
    const p = compiledFor(policy);
    if (p !== null) return p.validateMetadata(metadata);
    return JSON.parse(wasm.validateMetadata(text(metadata), policyText(policy)));
  }

  // Each call-style entry point takes (call, policy) where policy is a
  // document, JSON text or a compiled Policy.
  const entry = (method, free) => (call, policy) => {
    if (policy instanceof Policy) return policy[method](call);
    const p = compiledFor(policy);
    if (p !== null) return p[method](call);
    return JSON.parse(wasm[free](text(call), policyText(policy)));
  };

  const evaluateRegistration = entry('evaluateRegistration', 'evaluateRegistration');
  const inspectRegistration = entry('inspectRegistration', 'inspectRegistration');
  const evaluateManagement = entry('evaluateManagement', 'evaluateManagement');

  const explainPolicy = (policy) => (policy instanceof Policy ? policy.explain() : JSON.parse(wasm.explainPolicy(policyText(policy))));
  const discoveryMetadata = (policy) =>
    policy instanceof Policy ? policy.discoveryMetadata() : JSON.parse(wasm.discoveryMetadata(policyText(policy)));

  // A JWK Set parsed once in Wasm (keys decoded, RSA Montgomery parameters
  // precomputed); reuse it for every token of that issuer.
  class KeySet {
    #inner;
    constructor(jwks) {
      try {
        this.#inner = new wasm.CompiledKeySet(text(jwks));
      } catch (e) {
        throw new DcrPolicyError(typeof e === 'string' ? JSON.parse(e) : { message: String(e) });
      }
    }
    verify(call) {
      return JSON.parse(this.#inner.verify(text(call)));
    }
    free() {
      this.#inner.free();
    }
  }

  // call: { token, jwks | KeySet via `keySet`, now, kind?, policy?, algorithms?, issuers?, ... }
  function verifySoftwareStatement(call) {
    if (call && call.keySet instanceof KeySet) {
      const { keySet, ...rest } = call;
      return keySet.verify(rest);
    }
    return JSON.parse(wasm.verifySoftwareStatement(text(call)));
  }

  return {
    Policy,
    validateMetadata,
    evaluateRegistration,
    inspectRegistration,
    evaluateManagement,
    explainPolicy,
    discoveryMetadata,
    KeySet,
    verifySoftwareStatement,
    DcrPolicyError,
  };
}
