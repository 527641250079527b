// µs per verification for RS256, PS256, ES256: Wasm (through the npm API,
// key set compiled once, and key set passed per call) beside Node's own
// crypto.verify on the same keys, in the same run. Needs `make pkg` first.
//
//   node bench/jose.mjs [seconds-per-measurement=2] [warmup-seconds=5]
import { createPrivateKey, createPublicKey, sign, verify, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { KeySet, verifySoftwareStatement } from '../js/index.js';

const MEASURE_S = Number(process.argv[2] ?? 2);
const WARMUP_S = Number(process.argv[3] ?? 5);
const NOW = 1_750_000_000;
const key = (kid, kind) => JSON.parse(readFileSync(new URL(`../tests/keys/${kid}.${kind}.jwk.json`, import.meta.url)));
const b64 = (x) => Buffer.from(x).toString('base64url');

const cases = [
  ['RS256', 'software-rsa2048', {}],
  ['PS256', 'directory-rsa2048', { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }],
  ['ES256', 'software-p256', { dsaEncoding: 'ieee-p1363' }],
];

function rate(fn, seconds) {
  // batches of calls until `seconds` elapsed; returns µs per call
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < end) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / 1e3 / n;
}

const rows = [];
for (const [alg, kid, opts] of cases) {
  const priv = createPrivateKey({ key: key(kid, 'private'), format: 'jwk' });
  const pubJwk = key(kid, 'public');
  const pub = createPublicKey({ key: pubJwk, format: 'jwk' });
  const input = `${b64(JSON.stringify({ alg, kid }))}.${b64(JSON.stringify({ iss: 'directory', iat: NOW, exp: NOW + 600, jti: 'j', software_id: 's' }))}`;
  const sig = sign('sha256', Buffer.from(input), { key: priv, ...opts });
  const token = `${input}.${b64(sig)}`;
  const jwks = { keys: [pubJwk] };
  const keySet = new KeySet(jwks);
  const call = { token, now: NOW };
  const check = keySet.verify(call);
  if (check.outcome !== 'accepted') throw new Error(`${alg}: ${JSON.stringify(check)}`);
  const native = () => {
    if (!verify('sha256', Buffer.from(input), { key: pub, ...opts }, sig)) throw new Error('native verify failed');
  };
  const wasmCached = () => keySet.verify(call);
  const perCall = { token, now: NOW, jwks };
  const wasmPerCall = () => verifySoftwareStatement(perCall);
  // Warm-up: Wasm tiers up over seconds (TOOLCHAIN.md); do not measure before.
  rate(wasmCached, WARMUP_S);
  rate(wasmPerCall, 1);
  rate(native, 1);
  const n = rate(native, MEASURE_S);
  const w = rate(wasmCached, MEASURE_S);
  const p = rate(wasmPerCall, MEASURE_S);
  rows.push({ alg, 'node crypto.verify µs': n.toFixed(1), 'wasm KeySet µs': w.toFixed(1), 'wasm jwks per call µs': p.toFixed(1), 'KeySet / node': (w / n).toFixed(2), 'per call / node': (p / n).toFixed(2) });
  keySet.free();
}
console.table(rows);
