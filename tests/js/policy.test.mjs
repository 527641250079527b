// Policies, profiles, explain and discovery through the Wasm package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Policy, DcrPolicyError, explainPolicy, discoveryMetadata, validateMetadata } from '../../js/index.js';

const PROFILES = ['rfc7591', 'oidc', 'fapi1-advanced', 'fapi2', 'fapi2-message-signing', 'uk-openbanking', 'au-cdr', 'br-openfinance'];

test('every built-in profile and ISVA alias loads', () => {
  for (const profile of [...PROFILES, 'Default', 'FAPI_DEFAULT', 'FAPI_UK-OB', 'FAPI_AU-CDR']) {
    const p = new Policy({ profile });
    p.free();
  }
});

test('an invalid policy names the bad path at load time', () => {
  try {
    new Policy({ profile: 'fapi2', software_statement: { signing_algs: ['PS256', 'HS256'] } });
    assert.fail('expected DcrPolicyError');
  } catch (e) {
    assert.ok(e instanceof DcrPolicyError);
    assert.ok(e.violations.some((v) => v.path === '/software_statement/signing_algs/1'), JSON.stringify(e.violations));
    assert.ok(e.violations.every((v) => v.source === 'policy'));
  }
});

test('explain lists what a FAPI profile forbids, with rule IDs', () => {
  const a = explainPolicy({ profile: 'fapi2' });
  assert.equal(a.outcome, 'explained');
  const text = JSON.stringify(a.explanation);
  assert.match(text, /FAPI2-/);
  assert.match(text, /private_key_jwt/);
});

test('discovery values come from the policy', () => {
  const a = discoveryMetadata(new Policy({ profile: 'fapi2' }));
  assert.equal(a.outcome, 'discovered');
  const methods = a.metadata.token_endpoint_auth_methods_supported;
  assert.ok(Array.isArray(methods) && methods.length > 0);
  assert.ok(!methods.includes('client_secret_basic'), 'FAPI 2 forbids shared secrets');
});

// The free functions keep the last few compiled policies, keyed by the
// policy's exact JSON text (js/api.js). These tests would fail if a cached
// policy answered for a document that has since changed.
test('free validateMetadata: a policy document mutated between calls is compiled afresh', () => {
  const doc = { profile: 'oidc', capabilities: { grant_types_supported: ['authorization_code', 'client_credentials'] } };
  const md = { redirect_uris: ['https://rp.example/cb'], grant_types: ['client_credentials'] };
  assert.equal(validateMetadata(md, doc).outcome, 'accepted');
  doc.capabilities.grant_types_supported = ['authorization_code'];
  const after = validateMetadata(md, doc);
  assert.equal(after.outcome, 'rejected');
  assert.ok(after.violations.some((v) => v.path === '/grant_types/0'), JSON.stringify(after.violations));
  doc.capabilities.grant_types_supported = ['authorization_code', 'client_credentials'];
  assert.equal(validateMetadata(md, doc).outcome, 'accepted');
});

test('free validateMetadata: an invalid policy still answers invalid_call on every call', () => {
  for (let i = 0; i < 3; i++) {
    const a = validateMetadata({ redirect_uris: ['https://rp.example/cb'] }, { profile: 'no-such-profile' });
    assert.equal(a.outcome, 'invalid_call');
  }
});

test('free functions: more policies than the cache holds all answer correctly', () => {
  // 12 distinct documents (the cache keeps 8): each requires a different
  // `default_max_age` through `enforce`, so a wrong cached policy shows.
  for (let round = 0; round < 2; round++) {
    for (let i = 1; i <= 12; i++) {
      const a = validateMetadata({ redirect_uris: ['https://rp.example/cb'] }, { profile: 'oidc', enforce: { default_max_age: i } });
      assert.equal(a.outcome, 'accepted');
      assert.equal(a.client.default_max_age, i);
    }
  }
});
