// JOSE / JWT attack audit through the Wasm package (RFC 8725, peer CVEs):
// the scenarios jose.test.mjs and jose-differential.test.mjs do not cover,
// through `verifySoftwareStatement`, `KeySet` and `evaluateRegistration`.
// Every refusal names its rule; every attack has a control that verifies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, createHmac, sign, constants } from 'node:crypto';
import { KeySet, Policy, verifySoftwareStatement, DcrPolicyError } from '../../js/index.js';
import { NOW, key, jwks, jws } from './profile-cases.mjs';

const b64 = (x) => Buffer.from(x).toString('base64url');
const P256_N = Buffer.from('FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551', 'hex');
const claims = { iss: 'directory', iat: NOW - 5, exp: NOW + 300, jti: 'audit-js-1' };

function signWith(kid, alg, header, body, opts = {}) {
  const input = `${b64(JSON.stringify({ alg, kid, ...header }))}.${b64(typeof body === 'string' ? body : JSON.stringify(body))}`;
  const pk = createPrivateKey({ key: key(kid, 'private'), format: 'jwk' });
  const hash = { ES256: 'sha256', ES384: 'sha384', PS256: 'sha256', RS256: 'sha256' }[alg];
  const extra = alg.startsWith('ES')
    ? { dsaEncoding: 'ieee-p1363' }
    : alg.startsWith('PS') ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : {};
  const sig = sign(hash, Buffer.from(input), { key: pk, ...extra, ...opts });
  return { input, sig, token: `${input}.${b64(sig)}` };
}
const es256 = (header = {}, body = claims) => signWith('software-p256', 'ES256', header, body);
const ps256 = (header = {}, body = claims) => signWith('directory-rsa2048', 'PS256', header, body);

function first(answer) {
  assert.equal(answer.outcome, 'rejected', JSON.stringify(answer));
  return answer.violations[0];
}
function rule(answer, id, path) {
  const v = first(answer);
  assert.equal(v.rule, id, JSON.stringify(answer.violations));
  if (path !== undefined) assert.equal(v.path, path, JSON.stringify(v));
  return v;
}

const ks = new KeySet(jwks('directory-rsa2048', 'software-p256', 'other-p384'));
const check = (token, extra = {}) => ks.verify({ token, now: NOW, ...extra });

// ---------------------------------------------------------------- ECDSA

test('JWT-KEY-06: psychic ECDSA signatures (CVE-2022-21449) and r, s >= n are refused', () => {
  const { input, sig, token } = es256();
  assert.equal(check(token).outcome, 'accepted');
  const r = sig.subarray(0, 32);
  const s = sig.subarray(32);
  const zero = Buffer.alloc(32);
  for (const [name, bad] of [
    ['r=s=0', Buffer.concat([zero, zero])],
    ['r=0', Buffer.concat([zero, s])],
    ['s=0', Buffer.concat([r, zero])],
    ['r=s=n', Buffer.concat([P256_N, P256_N])],
    ['s=n', Buffer.concat([r, P256_N])],
  ]) {
    const v = rule(check(`${input}.${b64(bad)}`), 'JWT-KEY-06', '');
    assert.equal(v.message, 'signature did not verify', name);
  }
  // through the one-shot API too
  const a = verifySoftwareStatement({ token: `${input}.${b64(Buffer.alloc(64))}`, jwks: jwks('software-p256'), now: NOW });
  rule(a, 'JWT-KEY-06');
  assert.equal(a.error, 'invalid_software_statement');
});

test('JWT-KEY-06: ES256 signatures must be raw r||s of 64 bytes (not DER, not 63 / 65)', () => {
  const { input, sig } = es256();
  const der = es256({}, claims);
  const derSig = sign('sha256', Buffer.from(der.input), { key: createPrivateKey({ key: key('software-p256', 'private'), format: 'jwk' }), dsaEncoding: 'der' });
  rule(check(`${der.input}.${b64(derSig)}`), 'JWT-KEY-06');
  for (const bad of [sig.subarray(0, 63), sig.subarray(1), Buffer.concat([Buffer.alloc(1), sig]), Buffer.concat([sig, Buffer.alloc(1)])]) {
    rule(check(`${input}.${b64(bad)}`), 'JWT-KEY-06');
  }
});

test('JWT-KEY-06: high-S ECDSA (r, n - s) verifies: RFC 7518 has no low-S rule; jti is unchanged', () => {
  const { input, sig } = es256();
  const s = BigInt(`0x${sig.subarray(32).toString('hex')}`);
  const n = BigInt(`0x${P256_N.toString('hex')}`);
  const high = Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex');
  const a = check(`${input}.${b64(Buffer.concat([sig.subarray(0, 32), high]))}`);
  assert.equal(a.outcome, 'accepted', JSON.stringify(a));
  assert.equal(a.jti, 'audit-js-1');
});

// ---------------------------------------------------------------- alg confusion

test('JWT-ALG-05: HS256 MACed with the RSA public key as PEM / DER / JWK (CVE-2016-10555, CVE-2022-29217)', () => {
  const pub = createPublicKey({ key: key('directory-rsa2048', 'public'), format: 'jwk' });
  const secrets = [
    pub.export({ type: 'spki', format: 'pem' }),
    pub.export({ type: 'pkcs1', format: 'pem' }),
    pub.export({ type: 'spki', format: 'der' }),
    JSON.stringify(key('directory-rsa2048', 'public')),
  ];
  for (const alg of ['HS256', 'hs256', 'Hs384', 'HS512']) {
    const input = `${b64(JSON.stringify({ alg, kid: 'directory-rsa2048' }))}.${b64(JSON.stringify(claims))}`;
    for (const secret of secrets) {
      const mac = createHmac('sha256', secret).update(input).digest();
      rule(check(`${input}.${b64(mac)}`), 'JWT-ALG-05', '/alg');
      // listing HS256 in the call's allow-list does not help
      rule(check(`${input}.${b64(mac)}`, { algorithms: ['HS256', 'PS256'] }), 'JWT-ALG-05', '/alg');
    }
  }
});

test('JWT-ALG-01 / JWT-ALG-02: alg case variants, missing and non-string alg', () => {
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    const t = `${b64(JSON.stringify({ alg }))}.${b64(JSON.stringify(claims))}.`;
    rule(check(t), 'JWT-ALG-01', '/alg');
    rule(check(t, { algorithms: ['none'] }), 'JWT-ALG-01', '/alg');
  }
  for (const alg of ['ps256', 'Ps256', 'PS256 ', '']) {
    rule(check(ps256({ alg }).token), 'JWT-ALG-02', '/alg');
  }
  const noAlg = `${b64(JSON.stringify({ kid: 'directory-rsa2048' }))}.${b64(JSON.stringify(claims))}.${ps256().token.split('.')[2]}`;
  assert.equal(rule(check(noAlg), 'JWT-ALG-02', '/alg').reason, 'missing');
  for (const alg of [null, 256, ['PS256'], { PS256: 1 }, true]) {
    assert.equal(rule(check(ps256({ alg }).token), 'JWT-ALG-02', '/alg').reason, 'type');
  }
  assert.equal(check(ps256().token).outcome, 'accepted');
});

test('JWT-KEY-06: padding confusion, PKCS#1 v1.5 under a PS256 header is refused', () => {
  const { input } = ps256();
  const pkcs1 = sign('sha256', Buffer.from(input), { key: createPrivateKey({ key: key('directory-rsa2048', 'private'), format: 'jwk' }) });
  rule(check(`${input}.${b64(pkcs1)}`), 'JWT-KEY-06', '');
  // RFC 7518 §3.5: PS256 salt is exactly 32 octets; Node's default (maximum) salt and 0 / 64 are refused
  for (const saltLength of [0, 20, 64, constants.RSA_PSS_SALTLEN_MAX_SIGN]) {
    const bad = signWith('directory-rsa2048', 'PS256', {}, claims, { saltLength }).token;
    rule(check(bad), 'JWT-KEY-06', '');
  }
  assert.equal(check(signWith('directory-rsa2048', 'PS256', {}, claims, { saltLength: 32 }).token).outcome, 'accepted');
});

// ---------------------------------------------------------------- key selection

test('JWT-KEY-01: duplicate kids, non-string kid, kid absent with several keys', () => {
  const ec = { ...key('software-p256', 'public'), kid: 'shared' };
  const rsa = { ...key('directory-rsa2048', 'public'), kid: 'shared' };
  const mixed = new KeySet({ keys: [rsa, ec] });
  assert.equal(mixed.verify({ token: es256({ kid: 'shared' }).token, now: NOW }).alg, 'ES256');
  assert.equal(mixed.verify({ token: ps256({ kid: 'shared' }).token, now: NOW }).alg, 'PS256');
  const twoRsa = new KeySet({ keys: [rsa, { ...key('software-rsa2048', 'public'), kid: 'shared', alg: 'PS256' }] });
  assert.equal(rule(twoRsa.verify({ token: ps256({ kid: 'shared' }).token, now: NOW }), 'JWT-KEY-01', '/kid').reason, 'ambiguous_key');
  for (const kid of [1, ['directory-rsa2048'], null, { a: 1 }]) {
    assert.equal(rule(check(ps256({ kid }).token), 'JWT-KEY-01', '/kid').reason, 'type');
  }
  const two = new KeySet(jwks('directory-rsa2048', 'software-rsa2048'));
  const noKid = signWith('directory-rsa2048', 'PS256', { kid: undefined }, claims).token;
  assert.equal(rule(two.verify({ token: noKid, now: NOW }), 'JWT-KEY-01').reason, 'ambiguous_key');
  for (const k of [mixed, twoRsa, two]) k.free();
});

test('JWT-KEY-02 / JWT-ALG-03 / JWT-ALG-04 / JWT-KEY-04: unusable trusted keys', () => {
  const t = ps256().token;
  const one = (jwk) => verifySoftwareStatement({ token: t, jwks: { keys: [jwk] }, now: NOW });
  const pub = key('directory-rsa2048', 'public');
  const { use: _use, ...noUse } = pub;
  assert.equal(rule(one({ ...pub, use: 'enc' }), 'JWT-KEY-02', '/kid').reason, 'key_use');
  assert.equal(rule(one({ ...noUse, key_ops: ['encrypt'] }), 'JWT-KEY-02', '/kid').reason, 'key_ops');
  assert.equal(rule(one({ ...pub, alg: 'HS256' }), 'JWT-ALG-04', '/kid').reason, 'key_alg');
  assert.equal(rule(one({ ...pub, e: 'AQ' }), 'JWT-KEY-04', '/kid').reason, 'key_invalid');
  assert.equal(rule(one({ ...pub, e: 'AQAC' }), 'JWT-KEY-04', '/kid').reason, 'key_invalid');
  // an ES256 header naming a P-384 key without `alg`
  const { alg: _alg, ...p384 } = key('other-p384', 'public');
  const es = signWith('other-p384', 'ES384', { alg: 'ES256' }, claims).token;
  assert.equal(rule(verifySoftwareStatement({ token: es, jwks: { keys: [p384] }, now: NOW }), 'JWT-ALG-03', '/kid').reason, 'key_type');
  // x5c in the trusted set is not a key source: n / e verify
  assert.equal(one({ ...pub, x5c: ['MIIBkTCB+wIJAKHBfpegPjMC'] }).outcome, 'accepted');
});

// ---------------------------------------------------------------- header tricks

test('JWT-KEY-03: embedded jwk reusing a trusted kid (CVE-2018-0114) and jku / x5u / x5c', () => {
  const attacker = { ...key('software-rsa2048', 'public'), kid: 'directory-rsa2048' };
  const forged = signWith('software-rsa2048', 'PS256', { kid: 'directory-rsa2048', jwk: attacker }, claims).token;
  assert.equal(rule(check(forged), 'JWT-KEY-03', '/jwk').reason, 'embedded_key');
  rule(check(forged, { embedded_keys: 'ignore' }), 'JWT-KEY-06', '');
  for (const [name, value] of [['jku', 'https://attacker.example/jwks'], ['x5u', 'https://attacker.example/c.pem'], ['x5c', ['MIIB']]]) {
    rule(check(ps256({ [name]: value }).token), 'JWT-KEY-03', `/${name}`);
  }
});

test('JWT-FMT-03: crit empty / absent-name / malformed, b64 false (RFC 7797)', () => {
  for (const crit of [[], ['x-absent'], 'b64', ['alg']]) rule(check(ps256({ crit }).token), 'JWT-FMT-03', '/crit');
  rule(check(ps256({ b64: false }).token), 'JWT-FMT-03', '/b64');
  assert.equal(check(ps256({ b64: true }).token).outcome, 'accepted');
});

test('JWT-FMT-01 / JWT-FMT-02: JWE, trailing dots, whitespace, padding, nested JWT, zip', () => {
  const good = ps256().token;
  const [h, p, s] = good.split('.');
  const jwe = `${b64('{"alg":"RSA-OAEP-256","enc":"A256GCM"}')}.a2V5.aXY.Y2lwaGVy.dGFn`;
  assert.match(rule(check(jwe), 'JWT-FMT-01', '').message, /JWE/);
  for (const bad of [`${good}.`, ` ${good}`, `${good}\n`, `${good}\r\n`, `${h}.${p}.${s}=`, `${h}=.${p}.${s}`, `${h}.${p} .${s}`]) {
    rule(check(bad), 'JWT-FMT-01');
  }
  const inner = `${b64('{"alg":"none"}')}.${b64(JSON.stringify({ iss: 'attacker' }))}.`;
  const nested = signWith('directory-rsa2048', 'PS256', { cty: 'JWT' }, inner).token;
  const v = rule(check(nested), 'JWT-FMT-02');
  assert.equal(v.source, 'software_statement');
  const zipped = signWith('directory-rsa2048', 'PS256', { zip: 'DEF' }, '\x01\x02\x00\xfd\xff{}').token;
  rule(check(zipped), 'JWT-FMT-02');
});

// ---------------------------------------------------------------- claims

test('JWT-CLAIM-02..04: NumericDates as strings are refused; extreme numbers compare as numbers', () => {
  for (const [name, id] of [['exp', 'JWT-CLAIM-02'], ['nbf', 'JWT-CLAIM-03'], ['iat', 'JWT-CLAIM-04']]) {
    for (const bad of [String(NOW + 300), 'NaN', 'Infinity', true, null]) {
      assert.equal(rule(check(ps256({}, { iss: 'd', [name]: bad }).token), id, `/${name}`).reason, 'type');
    }
  }
  assert.equal(check(signWith('directory-rsa2048', 'PS256', {}, '{"iss":"d","exp":1e308}').token).outcome, 'accepted');
  rule(check(signWith('directory-rsa2048', 'PS256', {}, '{"iss":"d","nbf":1e308}').token), 'JWT-CLAIM-03', '/nbf');
  rule(check(signWith('directory-rsa2048', 'PS256', {}, '{"iss":"d","exp":-1e308}').token), 'JWT-CLAIM-02', '/exp');
  rule(check(signWith('directory-rsa2048', 'PS256', {}, '{"iss":"d","exp":1e400}').token), 'JWT-FMT-02');
});

test('JWT-CLAIM-01 / JWT-CLAIM-06: iss and aud near-misses; aud array with extra values', () => {
  const issuers = ['OpenBanking Ltd'];
  assert.equal(check(ps256({}, { iss: 'OpenBanking Ltd' }).token, { issuers }).outcome, 'accepted');
  for (const iss of ['openbanking ltd', 'OpenBanking Ltd ', 'OpenBanking Ltd/']) {
    const a = check(ps256({}, { iss }).token, { issuers });
    assert.equal(a.error, 'unapproved_software_statement');
    rule(a, 'RFC7591-SS-05', '/iss');
  }
  const audience = ['https://as.example.com'];
  const rq = (aud) => check(ps256({}, { iss: 'i', aud }).token, { kind: 'request_jwt', audience });
  assert.equal(rq(['https://x.example', 'https://as.example.com']).outcome, 'accepted');
  assert.equal(rule(rq(['https://as.example.com', 5]), 'JWT-CLAIM-06', '/aud').reason, 'type');
  assert.equal(rule(rq('https://as.example.com/'), 'JWT-CLAIM-06', '/aud').reason, 'mismatch');
  assert.equal(rq('https://as.example.com/').error, 'invalid_client_metadata');
});

test('JWT-CLAIM-07: jti is surfaced for the host replay cache (the engine is stateless)', () => {
  const t = ps256().token;
  assert.equal(check(t).jti, 'audit-js-1');
  assert.equal(check(t).jti, 'audit-js-1'); // a replay verifies again: the host must track it
  assert.equal(check(ps256({}, { iss: 'd' }).token).jti, null);
});

// ---------------------------------------------------------------- host boundary

test('host mistakes: now that is not an integer is an invalid_call, never "no clock"', () => {
  for (const now of [Number.NaN, 1.5, '1750000000', null, Infinity]) {
    assert.equal(verifySoftwareStatement({ token: ps256().token, jwks: jwks('directory-rsa2048'), now }).outcome, 'invalid_call', String(now));
  }
});

test('JWT-KEY-03: a uk-openbanking policy cannot relax embedded_keys to ignore', () => {
  const base = { profile: 'uk-openbanking', issuer: 'https://as.example.com', registration_endpoint: 'https://as.example.com/register' };
  for (const section of ['software_statement', 'request_jwt']) {
    assert.throws(() => new Policy({ ...base, [section]: { embedded_keys: 'ignore' } }), (e) => {
      assert.ok(e instanceof DcrPolicyError);
      assert.ok(e.violations.some((v) => v.rule === 'JWT-KEY-03' && v.path === `/${section}/embedded_keys`), JSON.stringify(e.violations));
      return true;
    });
  }
  new Policy(base).free();
  new Policy({ profile: 'rfc7591', software_statement: { embedded_keys: 'ignore' } }).free();
});

// ---------------------------------------------------------------- evaluateRegistration (UK OB)

const AS = 'https://as.example.com';
const REG = 'https://as.example.com/register';
const SW = 'Hx3SoFtWaRe0000000001';
const ukob = new Policy({ profile: 'uk-openbanking', issuer: AS, registration_endpoint: REG, software_statement: { trusted_issuers: ['OpenBanking Ltd'] } });
const ssaClaims = {
  iss: 'OpenBanking Ltd', iat: NOW - 60, jti: 'ssa-ob-1', software_id: SW, software_client_id: SW, software_client_name: 'Budget Buddy',
  software_client_uri: 'https://tpp.example.com', software_redirect_uris: ['https://tpp.example.com/cb'], software_roles: ['AISP'],
  software_jwks_endpoint: `https://keystore.example/tpp/${SW}.jwks`, org_status: 'Active', org_id: '0015800001041REAAY',
};
const reqClaims = (ssa, over = {}) => ({
  iss: SW, aud: AS, iat: NOW - 5, exp: NOW + 300, jti: 'b3f1c0a2-4d5e-4f60-8a7b-9c0d1e2f3a4b', redirect_uris: ['https://tpp.example.com/cb'],
  token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'PS256', grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code id_token'], application_type: 'web', id_token_signed_response_alg: 'PS256', request_object_signing_alg: 'PS256',
  scope: 'openid accounts', software_statement: ssa, ...over,
});
const obCall = (ssa, body) => ({
  body: body ?? jws('software-rsa2048', {}, reqClaims(ssa)),
  content_type: 'application/jwt',
  context: { now: NOW, endpoint_url: REG, tls: { subject_dn: `CN=${SW},OU=0015800001041REAAY,O=OpenBanking,C=GB` } },
  jwks: { software_statement: jwks('directory-rsa2048'), software: jwks('software-rsa2048') },
});
const ssaRules = (a) => a.violations.filter((v) => v.severity === 'error').map((v) => `${v.rule}${v.path}`);

test('evaluateRegistration (uk-openbanking): the control registers and surfaces both jtis', () => {
  const a = ukob.evaluateRegistration(obCall(jws('directory-rsa2048', { typ: 'JWT' }, ssaClaims)));
  assert.equal(a.outcome, 'accepted', JSON.stringify(a.violations));
  assert.equal(a.software_statement.jti, 'ssa-ob-1');
  assert.equal(a.request_jwt.jti, 'b3f1c0a2-4d5e-4f60-8a7b-9c0d1e2f3a4b');
});

test('evaluateRegistration (uk-openbanking): SSA attacks are invalid_software_statement', () => {
  const good = jws('directory-rsa2048', { typ: 'JWT' }, ssaClaims);
  const [h, p] = good.split('.');
  // HS256 MACed with the directory's public key PEM
  const pem = createPublicKey({ key: key('directory-rsa2048', 'public'), format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  const hsInput = `${b64(JSON.stringify({ alg: 'HS256', kid: 'directory-rsa2048', typ: 'JWT' }))}.${p}`;
  const cases = [
    ['alg none', `${b64('{"alg":"none","typ":"JWT"}')}.${p}.`, 'JWT-ALG-01/alg'],
    ['HS256 with the RSA PEM', `${hsInput}.${b64(createHmac('sha256', pem).update(hsInput).digest())}`, 'JWT-ALG-05/alg'],
    ['embedded jwk', jws('software-rsa2048', { kid: 'directory-rsa2048', typ: 'JWT', jwk: { ...key('software-rsa2048', 'public'), kid: 'directory-rsa2048' } }, ssaClaims), 'JWT-KEY-03/jwk'],
    ['x5u header', jws('directory-rsa2048', { typ: 'JWT', x5u: 'https://attacker.example/c.pem' }, ssaClaims), 'JWT-KEY-03/x5u'],
    ['crit []', jws('directory-rsa2048', { typ: 'JWT', crit: [] }, ssaClaims), 'JWT-FMT-03/crit'],
    ['empty signature', `${h}.${p}.`, 'JWT-KEY-06'],
    ['typ of another JWT kind', jws('directory-rsa2048', { typ: 'dpop+jwt' }, ssaClaims), 'JWT-TYP-01/typ'],
    ['exp as a string', jws('directory-rsa2048', { typ: 'JWT' }, { ...ssaClaims, exp: String(NOW + 300) }), 'JWT-CLAIM-02/exp'],
  ];
  for (const [name, ssa, want] of cases) {
    const a = ukob.evaluateRegistration(obCall(ssa));
    assert.equal(a.outcome, 'rejected', name);
    assert.equal(a.error, 'invalid_software_statement', `${name}: ${JSON.stringify(a.violations)}`);
    assert.ok(ssaRules(a).includes(want), `${name}: ${JSON.stringify(ssaRules(a))}`);
  }
  // a trusted issuer differing only by case / trailing space is unapproved
  for (const iss of ['openbanking ltd', 'OpenBanking Ltd ']) {
    const a = ukob.evaluateRegistration(obCall(jws('directory-rsa2048', { typ: 'JWT' }, { ...ssaClaims, iss })));
    assert.equal(a.error, 'unapproved_software_statement', iss);
  }
});

test('evaluateRegistration (uk-openbanking): signed-request attacks are invalid_client_metadata', () => {
  const ssa = jws('directory-rsa2048', { typ: 'JWT' }, ssaClaims);
  const body = JSON.stringify(reqClaims(ssa));
  const none = `${b64('{"alg":"none"}')}.${b64(body)}.`;
  const wrongAud = jws('software-rsa2048', {}, reqClaims(ssa, { aud: `${AS}/` }));
  for (const [name, token, want] of [['alg none', none, 'JWT-ALG-01'], ['aud with trailing slash', wrongAud, 'JWT-CLAIM-06']]) {
    const a = ukob.evaluateRegistration(obCall(ssa, token));
    assert.equal(a.outcome, 'rejected', name);
    assert.equal(a.error, 'invalid_client_metadata', `${name}: ${JSON.stringify(a.violations)}`);
    assert.ok(a.violations.some((v) => v.rule === want && v.source.startsWith('request_jwt')), `${name}: ${JSON.stringify(a.violations)}`);
  }
});
