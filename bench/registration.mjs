// Issue 4 benchmark, one run, a UK-OB-style request (PS256 SSA + PS256 signed
// request + metadata rules):
//   (a) the full decision through Wasm in Node (compiled Policy),
//   (b) the two signature checks alone through Wasm (compiled KeySets),
//   (c) the same two checks with Node's native crypto.verify,
// and (d) the full decision natively comes from `cargo bench --bench registration`.
// Needs `make pkg` first.   node bench/registration.mjs [seconds=3] [warmup=6]
import { createPrivateKey, createPublicKey, sign, verify, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Policy, KeySet } from '../js/index.js';

const MEASURE_S = Number(process.argv[2] ?? 3);
const WARMUP_S = Number(process.argv[3] ?? 6);
const NOW = 1764000000;
const AS = 'https://as.example.com';
const SW = 'Hx3SoFtWaRe0000000001';
const key = (kid, kind) => JSON.parse(readFileSync(new URL(`../tests/keys/${kid}.${kind}.jwk.json`, import.meta.url)));
const b64 = (x) => Buffer.from(x).toString('base64url');
const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };

function jws(kid, header, claims) {
  const input = `${b64(JSON.stringify({ alg: 'PS256', kid, ...header }))}.${b64(JSON.stringify(claims))}`;
  const sig = sign('sha256', Buffer.from(input), { key: createPrivateKey({ key: key(kid, 'private'), format: 'jwk' }), ...PSS });
  return { token: `${input}.${b64(sig)}`, input: Buffer.from(input), sig };
}

const ssa = jws('directory-rsa2048', { typ: 'JWT' }, {
  iss: 'OpenBanking Ltd', iat: NOW - 60, jti: 'ssa-ob-1', software_id: SW, software_client_id: SW,
  software_client_name: 'Budget Buddy', software_client_uri: 'https://tpp.example.com',
  software_redirect_uris: ['https://tpp.example.com/cb', 'https://tpp.example.com/cb2'], software_roles: ['AISP', 'PISP'],
  software_jwks_endpoint: `https://keystore.example/tpp/${SW}.jwks`, org_status: 'Active', org_id: '0015800001041REAAY', software_version: '1.0',
});
const req = jws('software-rsa2048', {}, {
  iss: SW, aud: AS, iat: NOW - 5, exp: NOW + 300, jti: 'b3f1c0a2-4d5e-4f60-8a7b-9c0d1e2f3a4b',
  redirect_uris: ['https://tpp.example.com/cb'], token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'PS256',
  grant_types: ['authorization_code', 'refresh_token', 'client_credentials'], response_types: ['code id_token'], application_type: 'web',
  id_token_signed_response_alg: 'PS256', request_object_signing_alg: 'PS256', scope: 'openid accounts', software_statement: ssa.token,
});
const dirJwks = { keys: [key('directory-rsa2048', 'public')] };
const swJwks = { keys: [key('software-rsa2048', 'public')] };
const policyDoc = { profile: 'uk-openbanking', issuer: AS, registration_endpoint: `${AS}/register`, software_statement: { trusted_issuers: ['OpenBanking Ltd'] } };
const policy = new Policy(policyDoc);
const call = JSON.stringify({
  body: req.token, content_type: 'application/jwt',
  context: { now: NOW, endpoint_url: `${AS}/register`, tls: { subject_dn: `CN=${SW}` } },
  jwks: { software_statement: dirJwks, software: swJwks },
});
// DCR_DUMP=dir writes the call and the policy for examples/profile_registration.rs (callgrind).
if (process.env.DCR_DUMP) {
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync(process.env.DCR_DUMP, { recursive: true });
  writeFileSync(`${process.env.DCR_DUMP}/call.json`, call);
  writeFileSync(`${process.env.DCR_DUMP}/policy.json`, JSON.stringify(policyDoc));
}
const dirKeys = new KeySet(dirJwks);
const swKeys = new KeySet(swJwks);
const ssaCall = JSON.stringify({ token: ssa.token, now: NOW, kind: 'software_statement', issuers: ['OpenBanking Ltd'], algorithms: ['PS256'] });
const reqCall = JSON.stringify({ token: req.token, now: NOW, kind: 'request_jwt', audience: [AS], algorithms: ['PS256'] });
const dirPub = createPublicKey({ key: key('directory-rsa2048', 'public'), format: 'jwk' });
const swPub = createPublicKey({ key: key('software-rsa2048', 'public'), format: 'jwk' });

const full = () => policy.evaluateRegistration(call);
const wasmSigs = () => { dirKeys.verify(ssaCall); swKeys.verify(reqCall); };
const nodeSigs = () => {
  if (!verify('sha256', ssa.input, { key: dirPub, ...PSS }, ssa.sig) || !verify('sha256', req.input, { key: swPub, ...PSS }, req.sig)) throw new Error('native');
};
for (const [name, a] of [['full', full()], ['ssa', dirKeys.verify(ssaCall)], ['req', swKeys.verify(reqCall)]]) {
  if (a.outcome !== 'accepted') throw new Error(`${name}: ${JSON.stringify(a)}`);
}

function rate(fn, seconds) {
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < end) { for (let i = 0; i < 10; i++) fn(); n += 10; now = process.hrtime.bigint(); }
  return Number(now - start) / 1e3 / n;
}

rate(full, WARMUP_S / 2); rate(wasmSigs, WARMUP_S / 2); rate(nodeSigs, 1);
const runs = { a: [], b: [], c: [] };
for (let r = 0; r < 3; r++) {           // alternate rounds so machine load hits all alike
  runs.a.push(rate(full, MEASURE_S / 3));
  runs.b.push(rate(wasmSigs, MEASURE_S / 3));
  runs.c.push(rate(nodeSigs, MEASURE_S / 3));
}
const median = (xs) => xs.slice().sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const a = median(runs.a), b = median(runs.b), c = median(runs.c);
console.log(`UK-OB registration (PS256 SSA + PS256 request JWT), µs per request, median of 3 rounds:`);
console.log(`  (a) full decision, Wasm in Node      ${a.toFixed(1)}`);
console.log(`  (b) two signature checks, Wasm       ${b.toFixed(1)}`);
console.log(`  (c) two signature checks, Node native ${c.toFixed(1)}`);
console.log(`  (a)/(b) = ${(a / b).toFixed(2)}   (target ≤ 1.2)`);
console.log(`  (a)/(c) = ${(a / c).toFixed(2)}`);
console.log(`  (d) native full decision: cargo bench --bench registration`);
