// Issue 4: the same registration decisions, for every built-in profile, out of
// the wasm-bindgen package and the Wasm component (jco). Native Rust gives the
// same outcomes in tests/registration.rs (same keys, same claims); the
// wasmtime host compares component and native answers on scenarios.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { engine } from '../../js/component/dcr-policy.js';
import { evaluateRegistration } from '../../js/index.js';
import { CALLS } from './answer.mjs';
import { cases, maskCredentials } from '../js/profile-cases.mjs';

for (const c of cases()) {
  test(`${c.name}: wasm-bindgen and component agree`, () => {
    const viaBindgen = evaluateRegistration(c.call, c.policy);
    for (const [k, v] of Object.entries(c.expect)) assert.equal(viaBindgen[k], v, `wasm-bindgen ${k}: ${JSON.stringify(viaBindgen.violations ?? viaBindgen)}`);
    const routes = CALLS['evaluate-registration'](engine, { policy: JSON.stringify(c.policy), request: JSON.stringify(c.call) });
    assert.ok(routes.length >= 2, 'free function and policy method');
    for (const [label, answer] of routes) {
      assert.deepEqual(maskCredentials(answer), maskCredentials(viaBindgen), `component (${label}) differs from wasm-bindgen`);
    }
  });
}
