// RFC 7591 registration + RFC 7592 management through the Wasm package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Policy, evaluateRegistration, evaluateManagement, inspectRegistration } from '../../js/index.js';

const NOW = 1764000000;
const policy = new Policy({ profile: 'rfc7591', registration_endpoint: 'https://as.example/register' });
const metadata = { redirect_uris: ['https://app.example/cb'], client_name: 'App' };

function register() {
  const a = policy.evaluateRegistration({ body: JSON.stringify(metadata), context: { now: NOW } });
  assert.equal(a.outcome, 'accepted', JSON.stringify(a));
  return a;
}

test('RFC7591-OUT-01: registration answers 201 with credentials and a token hash', () => {
  const a = register();
  assert.equal(a.status, 201);
  assert.match(a.response.client_id, /^[A-Za-z0-9_-]{43}$/);
  assert.match(a.response.client_secret, /^[A-Za-z0-9_-]{43}$/);
  assert.match(a.response.registration_access_token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(a.response.registration_client_uri, `https://as.example/register/${a.response.client_id}`);
  assert.notEqual(a.registration_access_token_hash, a.response.registration_access_token);
  assert.equal(a.client.registration_access_token, undefined);
  // two registrations never share credentials (randomness from crypto.getRandomValues)
  assert.notEqual(register().response.client_id, a.response.client_id);
});

test('RFC7592-READ-01 / AUTHZ-01 / AUTHZ-02 through Wasm', () => {
  const a = register();
  const stored = { client: a.client, registration_access_token_hash: a.registration_access_token_hash };
  const base = { operation: 'read', client_id: a.client.client_id, stored, context: { now: NOW + 1 } };
  const ok = policy.evaluateManagement({ ...base, registration_access_token: a.response.registration_access_token });
  assert.equal(ok.outcome, 'accepted');
  assert.equal(ok.status, 200);
  const bad = policy.evaluateManagement({ ...base, registration_access_token: 'wrong' });
  assert.equal(bad.status, 401);
  assert.equal(bad.error, 'invalid_token');
  const gone = policy.evaluateManagement({ ...base, stored: null, registration_access_token: 'x' });
  assert.equal(gone.status, 401);
  assert.deepEqual(gone.violations.map((v) => v.rule), ['RFC7592-AUTHZ-02']);
});

test('RFC7592-UPDATE-05 and DELETE-01 through Wasm', () => {
  const a = register();
  const stored = { client: a.client, registration_access_token_hash: a.registration_access_token_hash };
  const base = { client_id: a.client.client_id, stored, registration_access_token: a.response.registration_access_token, context: { now: NOW + 1 } };
  const upd = policy.evaluateManagement({ ...base, operation: 'update', body: JSON.stringify({ ...metadata, client_id: 'other' }) });
  assert.equal(upd.status, 400);
  assert.deepEqual(upd.violations.map((v) => v.rule), ['RFC7592-UPDATE-05']);
  const del = evaluateManagement({ ...base, operation: 'delete' }, { registration_endpoint: 'https://as.example/register' });
  assert.equal(del.status, 204);
  assert.ok(del.actions.includes('delete_client'));
});

test('malformed call envelopes are invalid_call, not exceptions', () => {
  assert.equal(evaluateRegistration('{"bodyy": ""}', {}).outcome, 'invalid_call');
  assert.equal(inspectRegistration('not json', {}).outcome, 'invalid_call');
  assert.equal(evaluateRegistration({ body: '' }, { profile: 'nope' }).outcome, 'invalid_call');
});
