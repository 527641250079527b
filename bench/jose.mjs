// µs per verification for RS256, PS256, ES256: Wasm (through the npm API,
// key set compiled once, and key set passed per call) beside Node's own
// crypto.verify on the same keys, in the same run. Needs `make pkg` first.
//
//   node bench/jose.mjs [seconds-per-measurement=1] [warmup-seconds=5] [rounds=3]
//
// The machine is shared and noisy: every round measures Node and each
// package back to back, and the table shows medians over the rounds, with
// ratios taken within each round. To compare builds in one run, list extra
// wasm-bindgen `nodejs` package directories (each with dcr_policy.js) in
// JOSE_BENCH_PKGS, comma-separated, e.g. JOSE_BENCH_PKGS=/tmp/alt/node.
import { createPrivateKey, createPublicKey, sign, verify, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { makeApi } from '../js/api.js';

const MEASURE_S = Number(process.argv[2] ?? 1);
const WARMUP_S = Number(process.argv[3] ?? 5);
const ROUNDS = Number(process.argv[4] ?? 3);
const NOW = 1_750_000_000;
const key = (kid, kind) => JSON.parse(readFileSync(new URL(`../tests/keys/${kid}.${kind}.jwk.json`, import.meta.url)));
const b64 = (x) => Buffer.from(x).toString('base64url');
const require = createRequire(import.meta.url);

const pkgDirs = [new URL('../js/pkg/node', import.meta.url).pathname, ...(process.env.JOSE_BENCH_PKGS ?? '').split(',').filter(Boolean).map((d) => resolve(d))];
const apis = pkgDirs.map((d, i) => ({ label: i === 0 ? 'wasm' : `alt${i}`, dir: d, api: makeApi(require(`${d}/dcr_policy.js`)) }));

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
    for (let i = 0; i < 20; i++) fn();
    n += 20;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / 1e3 / n;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const setups = cases.map(([alg, kid, opts]) => {
  const priv = createPrivateKey({ key: key(kid, 'private'), format: 'jwk' });
  const pubJwk = key(kid, 'public');
  const pub = createPublicKey({ key: pubJwk, format: 'jwk' });
  const input = `${b64(JSON.stringify({ alg, kid }))}.${b64(JSON.stringify({ iss: 'directory', iat: NOW, exp: NOW + 600, jti: 'j', software_id: 's' }))}`;
  const sig = sign('sha256', Buffer.from(input), { key: priv, ...opts });
  const token = `${input}.${b64(sig)}`;
  const jwks = { keys: [pubJwk] };
  const native = () => {
    if (!verify('sha256', Buffer.from(input), { key: pub, ...opts }, sig)) throw new Error('native verify failed');
  };
  const variants = apis.map(({ label, api }) => {
    const keySet = new api.KeySet(jwks);
    const call = { token, now: NOW };
    const check = keySet.verify(call);
    if (check.outcome !== 'accepted') throw new Error(`${label} ${alg}: ${JSON.stringify(check)}`);
    const perCall = { token, now: NOW, jwks };
    return { label, cached: () => keySet.verify(call), perCall: () => api.verifySoftwareStatement(perCall) };
  });
  return { alg, native, variants };
});

// Warm-up: Wasm tiers up over seconds (TOOLCHAIN.md); do not measure before.
for (const s of setups) {
  for (const v of s.variants) rate(v.cached, WARMUP_S / (setups.length * s.variants.length));
  rate(s.native, 0.3);
}

const samples = new Map();
const add = (k, x) => samples.set(k, [...(samples.get(k) ?? []), x]);
for (let r = 0; r < ROUNDS; r++) {
  for (const s of setups) {
    const n = rate(s.native, MEASURE_S);
    add(`${s.alg} node`, n);
    for (const v of s.variants) {
      const w = rate(v.cached, MEASURE_S);
      const p = rate(v.perCall, MEASURE_S / 2);
      add(`${s.alg} ${v.label} cached`, w);
      add(`${s.alg} ${v.label} percall`, p);
      add(`${s.alg} ${v.label} cached/node`, w / n);
      add(`${s.alg} ${v.label} percall/node`, p / n);
    }
  }
}

const rows = [];
for (const s of setups) {
  for (const v of s.variants) {
    const m = (k) => median(samples.get(`${s.alg} ${k}`));
    rows.push({
      alg: s.alg,
      build: v.label,
      'node crypto.verify µs': m('node').toFixed(1),
      'wasm KeySet µs': m(`${v.label} cached`).toFixed(1),
      'wasm jwks per call µs': m(`${v.label} percall`).toFixed(1),
      'KeySet / node': m(`${v.label} cached/node`).toFixed(2),
      'per call / node': m(`${v.label} percall/node`).toFixed(2),
    });
  }
}
console.table(rows);
if (apis.length > 1) for (const a of apis) console.log(`${a.label}: ${a.dir}`);
