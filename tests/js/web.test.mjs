// The browser / edge flavour (`dcr-policy/web`: js/web.js over the
// wasm-bindgen `web` target), loaded in Node the way an edge worker or a
// bundler loads it: `await init(bytes)` once, then the same API. Its answers
// must equal the Node flavour's for the same inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import init, * as web from '../../js/web.js';
import * as node from '../../js/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
await init(readFileSync(path.join(root, 'js/pkg/web/dcr_policy_bg.wasm')));

const NOW = 1764000000;
const CASES = [
  [{ redirect_uris: ['https://app.example.com/cb'], client_name: 'App', 'client_name#ja-Jpan-JP': '予算アプリ' }, { profile: 'oidc' }],
  [{ redirect_uris: ['javascript:alert(1)'], token_endpoint_auth_method: 'none' }, { profile: 'oidc' }],
  [{ redirect_uris: ['com.example.app:/cb'], application_type: 'native', token_endpoint_auth_method: 'none' }, { profile: 'oidc' }],
  [{ redirect_uris: ['https://app.example.com/cb'], token_endpoint_auth_method: 'client_secret_basic' }, { profile: 'fapi2' }],
  ['{"redirect_uris":["https://a.example/cb"],"redirect_uris":[]}', {}],
  ['[', {}],
];

test('web flavour: validateMetadata answers as the Node flavour does (free function and compiled Policy)', () => {
  for (const [md, policy] of CASES) {
    const want = node.validateMetadata(md, policy);
    assert.deepEqual(web.validateMetadata(md, policy), want, JSON.stringify(md));
    const p = new web.Policy(policy);
    assert.deepEqual(p.validateMetadata(md), want, JSON.stringify(md));
    p.free();
  }
});

test('web flavour: BCP-PKCE-01 output and RFC 9110 userinfo refusal come through', () => {
  const a = web.validateMetadata({ redirect_uris: ['https://app.example.com/cb'], token_endpoint_auth_method: 'none' }, { profile: 'oidc' });
  assert.equal(a.outcome, 'accepted');
  assert.equal(a.client.require_pkce, true);
  const r = web.validateMetadata({ redirect_uris: ['https://app.example.com@evil.example/cb'] }, { profile: 'oidc' });
  assert.equal(r.outcome, 'rejected');
  assert.equal(r.error, 'invalid_redirect_uri');
});

test('web flavour: registration and RFC 7592 read with fresh credentials', () => {
  const policy = new web.Policy({ profile: 'rfc7591', registration_endpoint: 'https://as.example/register' });
  const a = policy.evaluateRegistration({ body: JSON.stringify({ redirect_uris: ['https://app.example/cb'] }), context: { now: NOW } });
  assert.equal(a.outcome, 'accepted', JSON.stringify(a));
  assert.match(a.response.client_id, /^[A-Za-z0-9_-]{43}$/);
  const b = policy.evaluateRegistration({ body: JSON.stringify({ redirect_uris: ['https://app.example/cb'] }), context: { now: NOW } });
  assert.notEqual(a.response.client_id, b.response.client_id, 'RFC7591-OUT-02: fresh ids from crypto.getRandomValues');
  const read = policy.evaluateManagement({
    operation: 'read',
    client_id: a.client.client_id,
    registration_access_token: a.response.registration_access_token,
    stored: { client: a.client, registration_access_token_hash: a.registration_access_token_hash },
    context: { now: NOW + 1 },
  });
  assert.equal(read.outcome, 'accepted', JSON.stringify(read));
  assert.equal(read.status, 200);
  policy.free();
});

test('web flavour: an invalid policy throws DcrPolicyError from the web build too', () => {
  assert.throws(() => new web.Policy({ profile: 'no-such-profile' }), (e) => e instanceof web.DcrPolicyError && e.violations.length > 0);
});
