// Registration cases for every built-in profile, built at run time from the
// committed test keys (tests/keys/): a happy path and failures per profile.
// Shared by tests/component/profiles.test.mjs, which runs each case through
// the wasm-bindgen package and the Wasm component and compares the answers.
import { createPrivateKey, sign, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const NOW = 1764000000;
const AS = 'https://as.example.com';
const REG = 'https://as.example.com/register';
export const key = (kid, kind) => JSON.parse(readFileSync(new URL(`../keys/${kid}.${kind}.jwk.json`, import.meta.url)));
export const jwks = (...kids) => ({ keys: kids.map((k) => key(k, 'public')) });
const b64 = (x) => Buffer.from(x).toString('base64url');

export function jws(kid, header, claims) {
  const input = `${b64(JSON.stringify({ alg: 'PS256', kid, ...header }))}.${b64(JSON.stringify(claims))}`;
  const sig = sign('sha256', Buffer.from(input), {
    key: createPrivateKey({ key: key(kid, 'private'), format: 'jwk' }),
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  });
  return `${input}.${b64(sig)}`;
}

const signedCall = (claims, tlsDn, extra = {}) => ({
  body: jws('software-rsa2048', {}, claims),
  content_type: 'application/jwt',
  context: { now: NOW, endpoint_url: REG, tls: { subject_dn: tlsDn } },
  jwks: { software_statement: jwks('directory-rsa2048'), software: jwks('software-rsa2048') },
  ...extra,
});

function ukob() {
  const SW = 'Hx3SoFtWaRe0000000001';
  const policy = { profile: 'uk-openbanking', issuer: AS, registration_endpoint: REG, software_statement: { trusted_issuers: ['OpenBanking Ltd'] } };
  const ssa = (over = {}) =>
    jws('directory-rsa2048', { typ: 'JWT' }, {
      iss: 'OpenBanking Ltd', iat: NOW - 60, jti: 'ssa-ob-1', software_id: SW, software_client_id: SW, software_client_name: 'Budget Buddy',
      software_client_uri: 'https://tpp.example.com', software_redirect_uris: ['https://tpp.example.com/cb', 'https://tpp.example.com/cb2'],
      software_roles: ['AISP', 'PISP'], software_jwks_endpoint: `https://keystore.example/tpp/${SW}.jwks`, org_status: 'Active',
      org_id: '0015800001041REAAY', software_version: '1.0', ...over,
    });
  const claims = (over = {}, s = ssa()) => ({
    iss: SW, aud: AS, iat: NOW - 5, exp: NOW + 300, jti: 'b3f1c0a2-4d5e-4f60-8a7b-9c0d1e2f3a4b', redirect_uris: ['https://tpp.example.com/cb'],
    token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'PS256', grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code id_token'], application_type: 'web', id_token_signed_response_alg: 'PS256', request_object_signing_alg: 'PS256',
    scope: 'openid accounts', software_statement: s, ...over,
  });
  const dn = `CN=${SW},OU=0015800001041REAAY,O=OpenBanking,C=GB`;
  return [
    { name: 'uk-openbanking happy path', policy, call: signedCall(claims(), dn), expect: { outcome: 'accepted', status: 201 } },
    { name: 'uk-openbanking redirect outside the SSA', policy, call: signedCall(claims({ redirect_uris: ['https://evil.example/cb'] }), dn), expect: { outcome: 'rejected', error: 'invalid_redirect_uri' } },
    { name: 'uk-openbanking inactive organisation', policy, call: signedCall(claims({}, ssa({ org_status: 'Revoked' })), dn), expect: { outcome: 'rejected', error: 'unapproved_software_statement' } },
    { name: 'uk-openbanking no mTLS', policy, call: { ...signedCall(claims(), dn), context: { now: NOW } }, expect: { outcome: 'rejected', status: 401, error: 'invalid_client' } },
  ];
}

function aucdr() {
  const SW = 'c6327f87687a4d38b2f1a0a36e3f0c21';
  const policy = { profile: 'au-cdr', issuer: AS, registration_endpoint: REG };
  const u = 'https://www.mockcompany.com.au';
  const ssa = (over = {}) =>
    jws('directory-rsa2048', { typ: 'JWT' }, {
      iss: 'cdr-register', iat: NOW - 30, exp: NOW + 570, jti: '37747cd1c10545699f754adf28b73e31', legal_entity_id: 'L1', legal_entity_name: 'Mock Company Inc.',
      org_id: 'O1', org_name: 'Mock Company Brand', client_name: 'Mock Software', client_description: 'A mock software product', client_uri: u,
      redirect_uris: [`${u}/redirects/redirect1`, `${u}/redirects/redirect2`], sector_identifier_uri: `${u}/sector_identifier.json`, logo_uri: `${u}/logo.png`,
      tos_uri: `${u}/tos.html`, policy_uri: `${u}/policy.html`, jwks_uri: `${u}/jwks`, revocation_uri: `${u}/revocation`, recipient_base_uri: u,
      software_id: SW, software_roles: 'data-recipient-software-product', scope: 'openid profile bank:accounts.basic:read cdr:registration', ...over,
    });
  const claims = (over = {}, s = ssa()) => ({
    iss: SW, aud: AS, iat: NOW - 5, exp: NOW + 300, jti: 'd3c1e2a0-7b1f-4c7e-9a5d-2f0b6e8c1a33', redirect_uris: [`${u}/redirects/redirect1`],
    token_endpoint_auth_signing_alg: 'PS256', token_endpoint_auth_method: 'private_key_jwt', grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
    response_types: ['code'], application_type: 'web', id_token_signed_response_alg: 'PS256', request_object_signing_alg: 'PS256',
    authorization_signed_response_alg: 'PS256', software_statement: s, ...over,
  });
  // OIDCDCR-SECTOR-02 / AUCDR-SECTOR-01: the SSA's sector_identifier_uri as the host fetched it.
  const sector = (body = JSON.stringify([`${u}/redirects/redirect1`, `${u}/redirects/redirect2`])) => ({ sector_identifier: { uri: `${u}/sector_identifier.json`, body } });
  return [
    { name: 'au-cdr happy path', policy, call: signedCall(claims(), 'CN=mockcompany.com.au', sector()), expect: { outcome: 'accepted', status: 201 } },
    { name: 'au-cdr SSA not from the register', policy, call: signedCall(claims({}, ssa({ iss: 'elsewhere' })), 'CN=x', sector()), expect: { outcome: 'rejected', error: 'unapproved_software_statement' } },
    { name: 'au-cdr expired SSA', policy, call: signedCall(claims({}, ssa({ iat: NOW - 1200, exp: NOW - 600 })), 'CN=x', sector()), expect: { outcome: 'rejected', error: 'invalid_software_statement' } },
    { name: 'au-cdr sector array without the redirect uri is a warning (AUCDR-SECTOR-01)', policy, call: signedCall(claims(), 'CN=mockcompany.com.au', sector('[]')), expect: { outcome: 'accepted', status: 201 } },
    { name: 'au-cdr sector identifier fetch failed (OIDCDCR-SECTOR-02)', policy, call: signedCall(claims(), 'CN=mockcompany.com.au', sector(null)), expect: { outcome: 'rejected', error: 'invalid_client_metadata' } },
  ];
}

function brof() {
  const ORG = '74e929d9-33b6-4d85-8ba7-c146c867a817';
  const SW = 'f3a2b5e1-1c2d-4e5f-8a9b-0c1d2e3f4a5b';
  const ISS = 'Open Banking Open Banking Brasil production SSA issuer';
  const policy = { profile: 'br-openfinance', issuer: AS, registration_endpoint: REG, software_statement: { trusted_issuers: [ISS] } };
  const jwksUri = `https://keystore.directory.openbankingbrasil.org.br/${ORG}/${SW}/application.jwks`;
  const ssa = (over = {}) =>
    jws('directory-rsa2048', { typ: 'JWT' }, {
      iss: ISS, iat: NOW - 20, jti: 'br-ssa-1', software_id: SW, org_id: ORG, org_name: 'Banco Exemplo', software_client_name: 'Exemplo App',
      software_redirect_uris: ['https://app.exemplo.com.br/cb'], software_jwks_uri: jwksUri,
      software_statement_roles: [{ role: 'DADOS', authorisation_domain: 'Open Banking', status: 'Active' }], ...over,
    });
  const dn = `CN=app.exemplo.com.br,UID=${SW},2.5.4.97=OFBBR-${ORG},O=Banco Exemplo,C=BR`;
  const md = (over = {}, s = ssa()) => ({
    software_statement: s, redirect_uris: ['https://app.exemplo.com.br/cb'], grant_types: ['authorization_code', 'client_credentials', 'refresh_token'],
    response_types: ['code id_token'], token_endpoint_auth_method: 'tls_client_auth', tls_client_auth_subject_dn: dn, jwks_uri: jwksUri,
    scope: 'openid accounts consents resources', ...over,
  });
  const call = (m, tlsDn = dn) => ({
    body: JSON.stringify(m), context: { now: NOW, endpoint_url: REG, tls: { subject_dn: tlsDn } }, jwks: { software_statement: jwks('directory-rsa2048') },
  });
  return [
    { name: 'br-openfinance happy path', policy, call: call(md()), expect: { outcome: 'accepted', status: 201 } },
    { name: 'br-openfinance stale SSA', policy, call: call(md({}, ssa({ iat: NOW - 600 }))), expect: { outcome: 'rejected', error: 'invalid_software_statement' } },
    { name: 'br-openfinance DN of another certificate', policy, call: call(md({ tls_client_auth_subject_dn: 'CN=other,O=Other,C=BR' })), expect: { outcome: 'rejected' } },
  ];
}

function fapi() {
  const md = { redirect_uris: ['https://client.example.com/cb'], token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://client.example.com/jwks', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] };
  const context = { now: NOW, endpoint_url: REG, bearer: { valid: true, scopes: [] }, tls: { subject_dn: 'CN=client.example.com' } };
  const out = [];
  for (const profile of ['fapi1-advanced', 'fapi2', 'fapi2-message-signing']) {
    const policy = { profile, issuer: AS, registration_endpoint: REG };
    out.push({ name: `${profile} happy path`, policy, call: { body: JSON.stringify(md), context }, expect: { outcome: 'accepted', status: 201 } });
    out.push({ name: `${profile} client_secret_basic`, policy, call: { body: JSON.stringify({ ...md, token_endpoint_auth_method: 'client_secret_basic' }), context }, expect: { outcome: 'rejected', error: 'invalid_client_metadata' } });
    out.push({ name: `${profile} open registration off`, policy, call: { body: JSON.stringify(md), context: { now: NOW } }, expect: { outcome: 'rejected', status: 401 } });
  }
  return out;
}

function plain() {
  const out = [];
  for (const profile of ['rfc7591', 'oidc']) {
    const policy = { profile, registration_endpoint: REG };
    out.push({ name: `${profile} happy path`, policy, call: { body: JSON.stringify({ redirect_uris: ['https://app.example.com/cb'], client_name: 'App' }), context: { now: NOW } }, expect: { outcome: 'accepted', status: 201 } });
    out.push({ name: `${profile} javascript: redirect`, policy, call: { body: JSON.stringify({ redirect_uris: ['javascript:alert(1)'] }), context: { now: NOW } }, expect: { outcome: 'rejected', error: 'invalid_redirect_uri' } });
  }
  return out;
}

/** Every case: `{name, policy, call, expect}`. */
export function cases() {
  return [...plain(), ...fapi(), ...ukob(), ...aucdr(), ...brof()];
}

/** Random credentials replaced so two runs of the same decision compare equal. */
export function maskCredentials(answer) {
  const a = structuredClone(answer);
  if (a.outcome !== 'accepted') return a;
  for (const o of [a.client, a.response]) {
    if (!o) continue;
    for (const k of ['client_id', 'client_secret', 'registration_access_token', 'registration_client_uri']) if (typeof o[k] === 'string') o[k] = '<random>';
  }
  if (a.registration_access_token_hash) a.registration_access_token_hash = '<random>';
  return a;
}
