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

// The call envelope decides nothing the core decides (limits::CALL_LIMITS):
// huge bodies, 10,000 SANs and 100,000 bearer scopes get the same answer
// from the wasm-bindgen package (JSON call, body beside it) and from the
// component (typed records).
{
  const NOW = 1764000000;
  const plain = { profile: 'oidc', registration_endpoint: 'https://as.example/register' };
  const bearer = { ...plain, endpoint: { require_bearer_token: true, bearer_token_scopes: ['dcr'] } };
  const md = (over = {}) => JSON.stringify({ redirect_uris: ['https://app.example/cb'], client_name: 'App', ...over });
  const many = (n, f) => Array.from({ length: n }, (_, i) => f(i));
  const tls = { subject_dn: 'CN=client', san_dns: many(10_000, (i) => `h${i}.example`), san_uri: many(10_000, (i) => `https://h${i}.example/`), san_ip: many(10_000, (i) => `10.0.${i >> 8}.${i & 255}`), san_email: many(10_000, (i) => `u${i}@example.com`) };
  const scopes = many(100_000, (i) => `scope-${i}`);
  const calls = [
    ['3 MiB body (RFC7591-ENDPOINT-01)', plain, { body: md({ client_name: 'x'.repeat(3 << 20) }), context: { now: NOW } }, 'rejected'],
    ['5 MiB body (RFC7591-ENDPOINT-01)', plain, { body: md({ client_name: 'x'.repeat(5 << 20) }), context: { now: NOW } }, 'rejected'],
    ['10,000 SANs of each kind', plain, { body: md(), context: { now: NOW, tls } }, 'accepted'],
    ['100,000 bearer scopes without dcr (ISVA-RAT-03)', bearer, { body: md(), context: { now: NOW, bearer: { valid: true, scopes } } }, 'rejected'],
    ['100,000 bearer scopes with dcr last', bearer, { body: md(), context: { now: NOW, bearer: { valid: true, scopes: [...scopes, 'dcr'] } } }, 'accepted'],
  ];
  for (const [name, policy, call, outcome] of calls) {
    test(`call envelope limits: ${name}: wasm-bindgen and component agree`, () => {
      const viaBindgen = evaluateRegistration(call, policy);
      assert.equal(viaBindgen.outcome, outcome, JSON.stringify(viaBindgen.violations ?? viaBindgen).slice(0, 300));
      for (const [label, answer] of CALLS['evaluate-registration'](engine, { policy: JSON.stringify(policy), request: JSON.stringify(call) })) {
        assert.deepEqual(maskCredentials(answer), maskCredentials(viaBindgen), `component (${label}) differs from wasm-bindgen`);
      }
    });
  }
}
