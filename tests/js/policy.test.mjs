// Policies, profiles, explain and discovery through the Wasm package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Policy, DcrPolicyError, explainPolicy, discoveryMetadata } from '../../js/index.js';

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
