// RFC7591-ENDPOINT-01 ("never panic, never trap") through the JS package:
// seeded random mutations of valid calls go through every entry point, and
// each must come back as an answer (`accepted` / `rejected` / `invalid_call`,
// `inspected` for inspectRegistration),
// never an exception from the Wasm (a Rust panic would surface as a
// RuntimeError: unreachable, and would poison later calls).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Policy,
  validateMetadata,
  evaluateRegistration,
  inspectRegistration,
  evaluateManagement,
  verifySoftwareStatement,
} from '../../js/index.js';
import { rng, pick } from './seeded.mjs';


const NOW = 1764000000;
const METADATA = {
  redirect_uris: ['https://app.example.com/cb', 'com.example.app:/cb'],
  client_name: 'App',
  'client_name#ja-Jpan-JP': '予算アプリ',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'private_key_jwt',
  jwks_uri: 'https://app.example.com/jwks',
  scope: 'openid profile',
  default_max_age: 3600,
  require_auth_time: true,
  contacts: ['ops@example.com'],
};
// A compact JWS shape (not a valid signature): exercises the JOSE parsers.
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const TOKEN = `${b64({ alg: 'PS256', kid: 'k1', typ: 'JWT' })}.${b64({ iss: 'dir', iat: NOW, software_id: 's' })}.${'A'.repeat(342)}`;

const WEIRD = [
  null, true, false, 0, -1, 1e308, -0, 1.5, '', ' ', '\u0000', '\ud800', '\udfff\ud800', '💥'.repeat(40), 'a'.repeat(70000),
  [], [null], [[[[[]]]]], {}, { a: { b: { c: {} } } }, 'https://[::1]/', 'javascript:alert(1)', '%', '%zz', '..', '#',
  'https://a@b/', 'http://0x7f.1/', `${'['.repeat(300)}`, TOKEN, `${TOKEN}.x`, 'e30.e30.', '.', '..', 'eyJ',
];


// One random edit of a JSON-like value: replace, delete, insert, nest or duplicate.
function mutate(r, v, depth = 0) {
  if (depth > 6 || r() < 0.25) return pick(r, WEIRD);
  if (Array.isArray(v)) {
    const out = v.slice();
    if (out.length && r() < 0.5) out[Math.floor(r() * out.length)] = mutate(r, out[Math.floor(r() * out.length)], depth + 1);
    else out.push(pick(r, WEIRD));
    return out;
  }
  if (v && typeof v === 'object') {
    const out = { ...v };
    const keys = Object.keys(out);
    const roll = r();
    if (keys.length && roll < 0.5) {
      const k = pick(r, keys);
      out[k] = mutate(r, out[k], depth + 1);
    } else if (keys.length && roll < 0.7) {
      delete out[pick(r, keys)];
    } else {
      out[pick(r, ['x', 'redirect_uris', 'jwks', 'software_statement', 'client_id', 'a#b', '', '__proto__'])] = pick(r, WEIRD);
    }
    return out;
  }
  return pick(r, WEIRD);
}

// Text-level damage: truncation, byte flips, duplicated members.
function damage(r, text) {
  const roll = r();
  if (roll < 0.3) return text.slice(0, Math.floor(r() * text.length));
  if (roll < 0.6) {
    const i = Math.floor(r() * text.length);
    return text.slice(0, i) + String.fromCharCode(Math.floor(r() * 0x80)) + text.slice(i + 1);
  }
  if (roll < 0.8) return text.replace('{', '{"redirect_uris":[],');
  return text;
}

function isAnswer(a) {
  return a && typeof a === 'object' && ['accepted', 'rejected', 'invalid_call', 'inspected'].includes(a.outcome);
}

test('RFC7591-ENDPOINT-01: random metadata through validateMetadata always answers', () => {
  const r = rng(7591);
  const policies = [new Policy({ profile: 'oidc' }), new Policy({ profile: 'fapi2' }), new Policy({ profile: 'au-cdr' })];
  for (let i = 0; i < 1500; i++) {
    const md = mutate(r, METADATA);
    const p = policies[i % policies.length];
    const a = p.validateMetadata(r() < 0.5 ? md : damage(r, JSON.stringify(md) ?? 'null'));
    assert.ok(isAnswer(a), `case ${i}: ${JSON.stringify(a)?.slice(0, 200)}`);
  }
  // the module still works afterwards
  assert.equal(validateMetadata({ redirect_uris: ['https://app.example.com/cb'] }, { profile: 'oidc' }).outcome, 'accepted');
  for (const p of policies) p.free();
});

test('RFC7591-ENDPOINT-01: random calls through the registration, management and JOSE entry points always answer', () => {
  const r = rng(7592);
  const policy = { profile: 'oidc', registration_endpoint: 'https://as.example/register' };
  const call = {
    body: JSON.stringify({ ...METADATA, software_statement: TOKEN }),
    content_type: 'application/json',
    context: { now: NOW, tls: null, bearer: null },
    jwks: { software_statement: { keys: [] } },
  };
  const mgmt = {
    operation: 'read',
    client_id: 'c1',
    registration_access_token: 'x',
    stored: { client: { client_id: 'c1', redirect_uris: ['https://app.example.com/cb'] }, registration_access_token_hash: 'h' },
    context: { now: NOW },
  };
  for (let i = 0; i < 600; i++) {
    const c = mutate(r, call);
    if (c && typeof c === 'object' && !Array.isArray(c) && r() < 0.3) {
      c.body = damage(r, typeof c.body === 'string' ? c.body : JSON.stringify(c.body) ?? '');
    }
    for (const a of [evaluateRegistration(c, policy), inspectRegistration(c, policy), evaluateManagement(mutate(r, mgmt), policy)]) {
      assert.ok(isAnswer(a), `case ${i}: ${JSON.stringify(a)?.slice(0, 200)}`);
    }
    const v = verifySoftwareStatement(mutate(r, { token: TOKEN, jwks: { keys: [] }, now: NOW, algorithms: ['PS256'] }));
    assert.ok(isAnswer(v), `case ${i}: ${JSON.stringify(v)?.slice(0, 200)}`);
  }
  assert.equal(evaluateRegistration({ body: '{"redirect_uris":["https://app.example.com/cb"]}', context: { now: NOW } }, policy).outcome, 'accepted');
});
