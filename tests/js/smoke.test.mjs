import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateMetadata, Policy, DcrPolicyError } from '../../js/index.js';

test('validateMetadata returns a plain answer object', () => {
  const a = validateMetadata({ redirect_uris: ['https://a.example/cb'] }, {});
  assert.ok(['accepted', 'rejected'].includes(a.outcome));
  assert.ok(Array.isArray(a.violations));
});

test('a malformed body is rejected with RFC7591-ENDPOINT-01', () => {
  const a = validateMetadata('{"redirect_uris": [', {});
  assert.equal(a.outcome, 'rejected');
  assert.equal(a.error, 'invalid_client_metadata');
  assert.equal(a.violations[0].rule, 'RFC7591-ENDPOINT-01');
});

test('duplicate member names in a raw body are rejected with a path', () => {
  const a = validateMetadata('{"client_name":"a","client_name":"b"}', {});
  assert.equal(a.outcome, 'rejected');
  assert.equal(a.violations[0].path, '/client_name');
  assert.equal(a.violations[0].reason, 'duplicate_member');
});

test('an invalid policy throws DcrPolicyError naming the problem', () => {
  assert.throws(() => new Policy({ profile: 'no-such-profile' }), DcrPolicyError);
  const a = validateMetadata({}, { profil: 'oidc' });
  assert.equal(a.outcome, 'invalid_call');
});
