// The full registration decision through the Wasm package, per profile: the
// same happy paths and failures as tests/registration.rs (Rust API).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Policy, inspectRegistration } from '../../js/index.js';
import { NOW, jwks, jws } from './profile-cases.mjs';

const AS = 'https://as.example.com';
const REG = 'https://as.example.com/register';

// ------------------------------------------------------------ uk-openbanking
const SW = 'Hx3SoFtWaRe0000000001';
const ukob = new Policy({ profile: 'uk-openbanking', issuer: AS, registration_endpoint: REG, software_statement: { trusted_issuers: ['OpenBanking Ltd'] } });
const obSsa = (over = {}) =>
  jws('directory-rsa2048', { typ: 'JWT' }, {
    iss: 'OpenBanking Ltd', iat: NOW - 60, jti: 'ssa-ob-1', software_id: SW, software_client_id: SW,
    software_client_name: 'Budget Buddy', software_client_uri: 'https://tpp.example.com',
    software_redirect_uris: ['https://tpp.example.com/cb', 'https://tpp.example.com/cb2'],
    software_roles: ['AISP', 'PISP'], software_jwks_endpoint: `https://keystore.example/tpp/${SW}.jwks`,
    org_status: 'Active', org_id: '0015800001041REAAY', software_version: '1.0', ...over,
  });
const obClaims = (ssa, over = {}) => ({
  iss: SW, aud: AS, iat: NOW - 5, exp: NOW + 300, jti: 'b3f1c0a2-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  redirect_uris: ['https://tpp.example.com/cb'], token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'PS256',
  grant_types: ['authorization_code', 'refresh_token', 'client_credentials'], response_types: ['code id_token'], application_type: 'web',
  id_token_signed_response_alg: 'PS256', request_object_signing_alg: 'PS256', scope: 'openid accounts', software_statement: ssa, ...over,
});
const obCall = (claims, extra = {}) => ({
  body: jws('software-rsa2048', {}, claims),
  content_type: 'application/jwt',
  context: { now: NOW, endpoint_url: REG, tls: { subject_dn: `CN=${SW},OU=0015800001041REAAY,O=OpenBanking,C=GB` } },
  jwks: { software_statement: jwks('directory-rsa2048'), software: jwks('software-rsa2048') },
  ...extra,
});

test('uk-openbanking: inspect, fetch, evaluate (two-phase)', () => {
  const call = obCall(obClaims(obSsa()));
  const { jwks: _omit, ...unsigned } = call;
  const i = inspectRegistration(unsigned, ukob);
  assert.equal(i.outcome, 'inspected');
  assert.deepEqual(i.key_sets.map((k) => [k.for, k.issuer ?? k.jwks_uri, k.kids]), [
    ['software_statement', 'OpenBanking Ltd', ['directory-rsa2048']],
    ['software', SW, ['software-rsa2048']],
  ]);
  assert.equal(i.key_sets[1].jwks_uri, `https://keystore.example/tpp/${SW}.jwks`);
  const a = ukob.evaluateRegistration(call);
  assert.equal(a.outcome, 'accepted', JSON.stringify(a.violations));
  assert.equal(a.status, 201);
  assert.equal(a.client.client_name, 'Budget Buddy');
  assert.equal(a.client.aud, undefined);
  assert.equal(a.response.client_secret, undefined);
  assert.equal(a.request_jwt.jti, 'b3f1c0a2-4d5e-4f60-8a7b-9c0d1e2f3a4b');
  assert.equal(a.software_statement.software_id, SW);
});

test('uk-openbanking: failures', () => {
  const ssa = obSsa();
  const rules = (a) => a.violations.filter((v) => v.severity === 'error').map((v) => v.rule);
  let a = ukob.evaluateRegistration({ ...obCall(obClaims(ssa)), body: JSON.stringify(obClaims(ssa)), content_type: 'application/json' });
  assert.ok(rules(a).includes('UKOB-REQ-01'));
  a = ukob.evaluateRegistration(obCall(obClaims(ssa), { context: { now: NOW } }));
  assert.equal(a.status, 401);
  a = ukob.evaluateRegistration(obCall(obClaims(ssa, { redirect_uris: ['https://evil.example/cb'] })));
  assert.equal(a.error, 'invalid_redirect_uri');
  a = ukob.evaluateRegistration(obCall(obClaims(obSsa({ org_status: 'Revoked' }))));
  assert.ok(rules(a).includes('UKOB-SSA-05'), JSON.stringify(rules(a)));
  a = ukob.evaluateRegistration(obCall(obClaims(ssa, { id_token_signed_response_alg: 'RS256' })));
  assert.equal(a.error, 'invalid_client_metadata');
  a = ukob.evaluateRegistration(obCall(obClaims(obSsa({ iss: 'Someone Else' }))));
  assert.equal(a.error, 'unapproved_software_statement');
});

// ------------------------------------------------------------ au-cdr
const CDR_SW = 'c6327f87687a4d38b2f1a0a36e3f0c21';
const cdr = new Policy({ profile: 'au-cdr', issuer: AS, registration_endpoint: REG });
const cdrSsa = (over = {}) =>
  jws('directory-rsa2048', { typ: 'JWT' }, {
    iss: 'cdr-register', iat: NOW - 30, exp: NOW + 570, jti: '37747cd1c10545699f754adf28b73e31',
    legal_entity_id: '3B0B0A7B-3E7B-4A2C-9497-E357A71D07C7', legal_entity_name: 'Mock Company Inc.',
    org_id: '3B0B0A7B-3E7B-4A2C-9497-E357A71D07C8', org_name: 'Mock Company Brand', client_name: 'Mock Software',
    client_description: 'A mock software product', client_uri: 'https://www.mockcompany.com.au',
    redirect_uris: ['https://www.mockcompany.com.au/redirects/redirect1', 'https://www.mockcompany.com.au/redirects/redirect2'],
    sector_identifier_uri: 'https://www.mockcompany.com.au/sector_identifier.json', logo_uri: 'https://www.mockcompany.com.au/logos/logo1.png',
    tos_uri: 'https://www.mockcompany.com.au/tos.html', policy_uri: 'https://www.mockcompany.com.au/policy.html',
    jwks_uri: 'https://www.mockcompany.com.au/jwks', revocation_uri: 'https://www.mockcompany.com.au/revocation',
    recipient_base_uri: 'https://www.mockcompany.com.au', software_id: CDR_SW, software_roles: 'data-recipient-software-product',
    scope: 'openid profile bank:accounts.basic:read bank:transactions:read cdr:registration', ...over,
  });
const cdrCall = (over = {}, ssa = cdrSsa()) => ({
  body: jws('software-rsa2048', {}, {
    iss: CDR_SW, aud: AS, iat: NOW - 5, exp: NOW + 300, jti: 'd3c1e2a0-7b1f-4c7e-9a5d-2f0b6e8c1a33',
    redirect_uris: ['https://www.mockcompany.com.au/redirects/redirect1'], token_endpoint_auth_signing_alg: 'PS256',
    token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
    response_types: ['code'], application_type: 'web', id_token_signed_response_alg: 'PS256', request_object_signing_alg: 'PS256',
    authorization_signed_response_alg: 'PS256', software_statement: ssa, ...over,
  }),
  content_type: 'application/jwt',
  context: { now: NOW, endpoint_url: REG, tls: { subject_dn: 'CN=mockcompany.com.au' } },
  jwks: { software_statement: jwks('directory-rsa2048'), software: jwks('software-rsa2048') },
  // OIDCDCR-SECTOR-02: the SSA's sector_identifier_uri, as the host fetched it.
  sector_identifier: {
    uri: 'https://www.mockcompany.com.au/sector_identifier.json',
    body: JSON.stringify(['https://www.mockcompany.com.au/redirects/redirect1', 'https://www.mockcompany.com.au/redirects/redirect2']),
  },
});

test('au-cdr: happy path and failures', () => {
  const a = cdr.evaluateRegistration(cdrCall());
  assert.equal(a.outcome, 'accepted', JSON.stringify(a.violations));
  assert.equal(a.client.org_name, 'Mock Company Brand');
  assert.equal(cdr.evaluateRegistration(cdrCall({ redirect_uris: ['https://evil.example/cb'] })).error, 'invalid_redirect_uri');
  assert.equal(cdr.evaluateRegistration(cdrCall({}, cdrSsa({ iss: 'not-the-register' }))).error, 'unapproved_software_statement');
  assert.equal(cdr.evaluateRegistration(cdrCall({}, cdrSsa({ iat: NOW - 1200, exp: NOW - 600 }))).error, 'invalid_software_statement');
});

// ------------------------------------------------------------ oidc: sector_identifier_uri (OIDCDCR-SECTOR-02)
test('oidc: inspect names the sector identifier document, evaluate checks the fetched array', () => {
  const oidc = new Policy({ profile: 'oidc' });
  const sector = 'https://app.example.com/sector.json';
  const md = { redirect_uris: ['https://app.example.com/cb', 'https://other.example.com/cb'], subject_type: 'pairwise', sector_identifier_uri: sector };
  const call = { body: JSON.stringify(md), context: { now: NOW } };
  const i = oidc.inspectRegistration(call);
  assert.equal(i.outcome, 'inspected');
  assert.deepEqual(i.documents, [{ for: 'sector_identifier', uri: sector }]);
  // the host fetches documents[0].uri and passes the body of its 200 answer
  const ok = oidc.evaluateRegistration({ ...call, sector_identifier: { uri: sector, body: JSON.stringify(md.redirect_uris) } });
  assert.equal(ok.outcome, 'accepted', JSON.stringify(ok.violations));
  // one redirect uri missing (a trailing slash is another uri: code-point-exact)
  const bad = oidc.evaluateRegistration({ ...call, sector_identifier: { uri: sector, body: JSON.stringify(['https://app.example.com/cb', 'https://other.example.com/cb/']) } });
  assert.equal(bad.outcome, 'rejected');
  assert.equal(bad.status, 400);
  assert.equal(bad.error, 'invalid_client_metadata');
  assert.deepEqual(
    bad.violations.map((v) => [v.rule, v.path, v.reason]),
    [['OIDCDCR-SECTOR-02', '/redirect_uris/1', 'missing_redirect_uri']],
  );
  // the fetch failed, or was not made
  assert.equal(oidc.evaluateRegistration({ ...call, sector_identifier: { uri: sector, body: null } }).violations[0].reason, 'fetch_failed');
  assert.equal(oidc.evaluateRegistration(call).violations[0].reason, 'not_supplied');
});

// ------------------------------------------------------------ fapi
test('fapi profiles: no RS256 default, no secrets, no public clients, open registration off', () => {
  const md = { redirect_uris: ['https://client.example.com/cb'], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://client.example.com/jwks', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] };
  const context = { now: NOW, bearer: { valid: true, scopes: [] }, tls: { subject_dn: 'CN=client.example.com' } };
  for (const profile of ['fapi1-advanced', 'fapi2', 'fapi2-message-signing']) {
    const p = new Policy({ profile, issuer: AS });
    const a = p.evaluateRegistration({ body: JSON.stringify(md), context });
    assert.equal(a.outcome, 'accepted', `${profile}: ${JSON.stringify(a.violations)}`);
    assert.ok(!JSON.stringify(a.changes).includes('RS256'), profile);
    assert.equal(a.response.client_secret, undefined);
    for (const over of [{ token_endpoint_auth_method: 'client_secret_basic' }, { token_endpoint_auth_method: 'none' }, { id_token_signed_response_alg: 'RS256' }]) {
      assert.equal(p.evaluateRegistration({ body: JSON.stringify({ ...md, ...over }), context }).status, 400, `${profile} ${JSON.stringify(over)}`);
    }
    assert.equal(p.evaluateRegistration({ body: JSON.stringify(md), context: { now: NOW } }).status, 401, profile);
  }
});
