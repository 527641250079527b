// The call envelope never decides what the policy or the core decides
// (RFC7591-ENDPOINT-01: the policy's `max_body_bytes` judges the body; the
// WIT component and the Rust API take the same call as typed records): a
// request object's body crosses beside the call, and the envelope's own
// budget (4 MiB, CALL-01) only guards memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Policy, validateMetadata, evaluateRegistration, inspectRegistration, evaluateManagement, verifySoftwareStatement } from '../../js/index.js';
import { createRequire } from 'node:module';
import { NOW } from './profile-cases.mjs';

const POLICY = { profile: 'oidc', registration_endpoint: 'https://as.example/register' };
const metadata = (over = {}) => ({ redirect_uris: ['https://app.example/cb'], client_name: 'App', ...over });
const call = (body, context = {}) => ({ body, context: { now: NOW, ...context } });

function tooLarge(answer, what) {
  assert.equal(answer.outcome, 'rejected', what);
  assert.equal(answer.status, 400, what);
  const v = answer.violations.find((x) => x.reason === 'too_large');
  assert.ok(v, `${what}: ${JSON.stringify(answer.violations).slice(0, 300)}`);
  assert.equal(v.rule, 'RFC7591-ENDPOINT-01');
  assert.match(v.message, /over the limit of 65536/);
  // An RFC 7591 §3.2.2 code, the same one validateMetadata gives for the same body.
  assert.equal(v.error, 'invalid_client_metadata', what);
  assert.equal(answer.error, 'invalid_client_metadata', what);
}

test('RFC7591-ENDPOINT-01: an oversized body has the same code through validateMetadata and evaluateRegistration', () => {
  const body = JSON.stringify(metadata({ client_name: 'x'.repeat(70_000) }));
  const v = validateMetadata(body, POLICY).violations.find((x) => x.reason === 'too_large');
  const r = evaluateRegistration(call(body), POLICY).violations.find((x) => x.reason === 'too_large');
  assert.deepEqual([v.error, v.rule, v.path], [r.error, r.rule, r.path]);
});

test('RFC7591-ENDPOINT-01: a 3 MiB and a 5 MiB body are rejected by the policy limit, through every JS route', () => {
  const policy = new Policy(POLICY);
  for (const mib of [3, 5]) {
    const body = JSON.stringify(metadata({ client_name: 'x'.repeat(mib << 20) }));
    tooLarge(policy.evaluateRegistration(call(body)), `Policy.evaluateRegistration ${mib} MiB`);
    tooLarge(evaluateRegistration(call(body), POLICY), `evaluateRegistration ${mib} MiB`);
    const inspected = inspectRegistration(call(body), POLICY);
    assert.notEqual(inspected.outcome, 'invalid_call', `inspectRegistration ${mib} MiB`);
  }
  policy.free();
});

test('RFC7591-ENDPOINT-01: a policy allowing 8 MiB bodies accepts a 6 MiB registration through JS', () => {
  const limits = { max_body_bytes: 8 << 20, max_string_bytes: 7 << 20 };
  const body = JSON.stringify(metadata({ client_name: 'x'.repeat(6 << 20) }));
  const answer = evaluateRegistration(call(body), { ...POLICY, limits });
  assert.equal(answer.outcome, 'accepted', JSON.stringify(answer.violations ?? answer).slice(0, 300));
});

test('CALL-01: a call given as one JSON text is bounded by the 4 MiB envelope; within it the policy decides', () => {
  const policy = new Policy(POLICY);
  const three = JSON.stringify(call(JSON.stringify(metadata({ client_name: 'x'.repeat(3 << 20) }))));
  tooLarge(policy.evaluateRegistration(three), 'text call, 3 MiB body');
  const five = JSON.stringify(call(JSON.stringify(metadata({ client_name: 'x'.repeat(5 << 20) }))));
  const answer = policy.evaluateRegistration(five);
  assert.equal(answer.outcome, 'invalid_call');
  assert.equal(answer.violations[0].rule, 'CALL-01');
  assert.equal(answer.violations[0].reason, 'too_large');
  policy.free();
});

test('CALL-01: a body both inside the call and beside it is refused (raw export; the wrapper never sends both)', () => {
  const raw = new (createRequire(import.meta.url)('../../js/pkg/node/dcr_policy.js').CompiledPolicy)(JSON.stringify(POLICY));
  const body = JSON.stringify(metadata());
  const twice = JSON.parse(raw.evaluateRegistrationParts(JSON.stringify(call(body)), body));
  assert.equal(twice.outcome, 'invalid_call');
  assert.deepEqual(twice.violations.map((v) => [v.rule, v.path]), [['CALL-01', '/body']]);
  const { body: _, ...rest } = call(body);
  assert.equal(JSON.parse(raw.evaluateRegistrationParts(JSON.stringify(rest), body)).outcome, 'accepted');
  // No body beside it: the call's own (the one-text route).
  assert.equal(JSON.parse(raw.evaluateRegistrationParts(JSON.stringify(call(body)), undefined)).outcome, 'accepted');
  raw.free();
});

test('RFC8705 context: 10,000 SANs and 100,000 bearer scopes are decided, not refused by the envelope', () => {
  const many = (f) => Array.from({ length: 10_000 }, (_, n) => f(n));
  const tls = {
    subject_dn: 'CN=client',
    san_dns: many((n) => `h${n}.example`),
    san_uri: many((n) => `https://h${n}.example/`),
    san_ip: many((n) => `10.0.${n >> 8}.${n & 255}`),
    san_email: many((n) => `u${n}@example.com`),
  };
  const body = JSON.stringify(metadata());
  const answer = evaluateRegistration(call(body, { tls }), POLICY);
  assert.equal(answer.outcome, 'accepted', JSON.stringify(answer.violations ?? answer).slice(0, 300));
  // ISVA-RAT-03: the scope is looked for among 100,000.
  const scopes = Array.from({ length: 100_000 }, (_, n) => `scope-${n}`);
  const bearerPolicy = { ...POLICY, endpoint: { require_bearer_token: true, bearer_token_scopes: ['dcr'] } };
  const missing = evaluateRegistration(call(body, { bearer: { valid: true, scopes } }), bearerPolicy);
  assert.equal(missing.outcome, 'rejected');
  assert.ok(missing.violations.every((v) => v.rule !== 'CALL-01'));
  const found = evaluateRegistration(call(body, { bearer: { valid: true, scopes: [...scopes, 'dcr'] } }), bearerPolicy);
  assert.equal(found.outcome, 'accepted', JSON.stringify(found.violations ?? found).slice(0, 300));
});

test('RFC7592-UPDATE-01: a management PUT body crosses beside the call too (5 MiB: the policy limit, not the envelope)', () => {
  const policy = new Policy(POLICY);
  const a = policy.evaluateRegistration(call(JSON.stringify(metadata())));
  assert.equal(a.outcome, 'accepted');
  const base = {
    operation: 'update',
    client_id: a.client.client_id,
    stored: { client: a.client, registration_access_token_hash: a.registration_access_token_hash },
    registration_access_token: a.response.registration_access_token,
    context: { now: NOW + 1 },
  };
  const big = JSON.stringify({ client_id: a.client.client_id, ...metadata({ client_name: 'x'.repeat(5 << 20) }) });
  const answer = evaluateManagement({ ...base, body: big }, policy);
  assert.equal(answer.status, 400, JSON.stringify(answer).slice(0, 300));
  assert.ok(answer.violations.some((v) => v.reason === 'too_large' && v.rule !== 'CALL-01'), JSON.stringify(answer.violations).slice(0, 300));
  const small = JSON.stringify({ client_id: a.client.client_id, ...metadata({ client_name: 'Renamed' }) });
  assert.equal(policy.evaluateManagement({ ...base, body: small }).outcome, 'accepted');
  policy.free();
});

test('JWT-VERIFY: a 20 KB software statement is judged by the verifier, not refused by the envelope', () => {
  const payload = Buffer.from(JSON.stringify({ iss: 'x', pad: 'p'.repeat(20_000) })).toString('base64url');
  const token = `eyJhbGciOiJQUzI1NiJ9.${payload}.c2ln`;
  const answer = verifySoftwareStatement({ token, jwks: { keys: [] }, now: NOW });
  assert.notEqual(answer.outcome, 'invalid_call', JSON.stringify(answer).slice(0, 300));
});
