import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, sign, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { KeySet, verifySoftwareStatement, DcrPolicyError } from '../../js/index.js';

const NOW = 1_750_000_000;
const key = (kid, kind) => JSON.parse(readFileSync(new URL(`../keys/${kid}.${kind}.jwk.json`, import.meta.url)));
const b64 = (x) => Buffer.from(x).toString('base64url');

function ssa(claims, header = { alg: 'PS256', kid: 'directory-rsa2048', typ: 'JWT' }) {
  const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
  const sig = sign('sha256', Buffer.from(input), {
    key: createPrivateKey({ key: key('directory-rsa2048', 'private'), format: 'jwk' }),
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  });
  return `${input}.${b64(sig)}`;
}

const jwks = { keys: [key('directory-rsa2048', 'public')] };
const good = { iss: 'OpenBanking Ltd', iat: NOW - 5, jti: 'abc-1', software_id: 's1' };

test('verifySoftwareStatement accepts a PS256 statement and surfaces jti', () => {
  const a = verifySoftwareStatement({ token: ssa(good), jwks, now: NOW, issuers: ['OpenBanking Ltd'], typ: 'JWT' });
  assert.equal(a.outcome, 'accepted', JSON.stringify(a));
  assert.equal(a.jti, 'abc-1');
  assert.equal(a.claims.software_id, 's1');
});

test('KeySet compiles once and verifies many tokens', () => {
  const ks = new KeySet(jwks);
  assert.equal(verifySoftwareStatement({ token: ssa(good), keySet: ks, now: NOW }).outcome, 'accepted');
  const a = ks.verify({ token: ssa({ ...good, exp: NOW - 3600 }), now: NOW });
  assert.equal(a.outcome, 'rejected');
  assert.equal(a.violations[0].rule, 'JWT-CLAIM-02');
  assert.equal(a.violations[0].path, '/exp');
  ks.free();
});

test('an untrusted issuer is unapproved_software_statement (RFC7591-SS-05)', () => {
  const a = verifySoftwareStatement({ token: ssa(good), jwks, now: NOW, issuers: ['cdr-register'] });
  assert.equal(a.error, 'unapproved_software_statement');
  assert.equal(a.violations[0].rule, 'RFC7591-SS-05');
});

test('alg none and a tampered payload are rejected with opaque signature failure', () => {
  const none = `${b64('{"alg":"none"}')}.${b64(JSON.stringify(good))}.`;
  assert.equal(verifySoftwareStatement({ token: none, jwks, now: NOW }).violations[0].rule, 'JWT-ALG-01');
  const [h, , s] = ssa(good).split('.');
  const tampered = `${h}.${b64(JSON.stringify({ ...good, iss: 'evil' }))}.${s}`;
  const a = verifySoftwareStatement({ token: tampered, jwks, now: NOW });
  assert.equal(a.violations.length, 1);
  assert.equal(a.violations[0].message, 'signature did not verify');
});

test('a key set with private members throws DcrPolicyError / answers invalid_call', () => {
  const bad = { keys: [key('directory-rsa2048', 'private')] };
  assert.throws(() => new KeySet(bad), DcrPolicyError);
  assert.equal(verifySoftwareStatement({ token: 'x', jwks: bad, now: NOW }).outcome, 'invalid_call');
});
