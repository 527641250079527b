// One run, two validators, the same metadata (bench/metadata.json):
//   1. dcr-policy validateMetadata through Wasm (js/index.js; needs `make pkg`),
//   2. node-oidc-provider's client validation: `provider.Client.validate(metadata)`
//      (lib/models/client.js: builds a Client, which runs the client schema —
//      types, defaults, redirect/grant/alg checks — synchronously in its constructor).
// Reports per-request time and the ratio. Wasm gets >= 5 s of warm-up (TOOLCHAIN.md).
// Usage: (cd bench && npm install) && node bench/metadata.mjs [seconds-per-measurement]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';
import Provider from 'oidc-provider';
import { generateKeyPairSync } from 'node:crypto';
import { validateMetadata, Policy } from '../js/index.js';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const metadataText = readFileSync(join(here, 'metadata.json'), 'utf8');
const metadata = JSON.parse(metadataText);
const policyDoc = JSON.parse(readFileSync(join(here, 'policy.json'), 'utf8'));
const caps = policyDoc.capabilities;
const SECONDS = Number(process.argv[2] ?? 3);
const WARMUP = 5;

// The peer configured with the same capabilities.
// Its own signing keys decide which id_token algs it accepts: give it RSA and P-256 keys.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
const provider = new Provider('https://op.example.com', {
  jwks: { keys: [rsa, ec] },
  clientAuthMethods: caps.token_endpoint_auth_methods_supported,
  scopes: caps.scopes_supported,
  subjectTypes: caps.subject_types_supported,
  responseTypes: caps.response_types_supported,
  enabledJWA: {
    clientAuthSigningAlgValues: caps.token_endpoint_auth_signing_alg_values_supported,
    idTokenSigningAlgValues: caps.id_token_signing_alg_values_supported,
  },
  features: { rpInitiatedLogout: { enabled: true } },
  pairwiseIdentifier: async () => 'x',
});

// Both must accept the document, or the comparison means nothing.
await provider.Client.validate({ client_id: 'bench-client', ...metadata });
const policy = new Policy(policyDoc);
assert.equal(policy.validateMetadata(metadata).outcome, 'accepted');
assert.equal(validateMetadata(metadataText, policyDoc).outcome, 'accepted');

function timeSync(label, fn, seconds) {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now < end) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
    now = performance.now();
  }
  return { label, us: ((now - start) * 1000) / n, n };
}

async function timeAsync(label, fn, seconds) {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now < end) {
    for (let i = 0; i < 100; i++) await fn();
    n += 100;
    now = performance.now();
  }
  return { label, us: ((now - start) * 1000) / n, n };
}

const wasmObject = () => policy.validateMetadata(metadata);
const wasmText = () => policy.validateMetadata(metadataText);
const wasmUncompiled = () => validateMetadata(metadata, policyDoc);
// Where the time goes on the host side: the bare wasm-bindgen export (answer
// left as JSON text: UTF-8 copy in, Wasm work, TextDecoder out), and the
// JSON.parse of the answer that every JSON-returning design pays on top.
const raw = new (createRequire(import.meta.url)('../js/pkg/node/dcr_policy.js').CompiledPolicy)(JSON.stringify(policyDoc));
const answerText = raw.validateMetadata(metadataText);
assert.equal(JSON.parse(answerText).outcome, 'accepted');
const wasmBare = () => raw.validateMetadata(metadataText);
const parseAnswer = () => JSON.parse(answerText);
// The floor of the contract: what any design that takes the body as text and
// returns this answer as a plain JS object pays with no validation at all,
// i.e. the body's UTF-8 copy into linear memory, the answer's decode, and its
// JSON.parse (measured in pure JS on buffers of the same sizes).
const floorMem = new Uint8Array(1 << 16);
const floorAnswer = new TextEncoder().encode(answerText);
const floorEnc = new TextEncoder();
const floorDec = new TextDecoder();
const contractFloor = () => {
  floorEnc.encodeInto(metadataText, floorMem);
  return JSON.parse(floorDec.decode(floorAnswer));
};
// Optional: another build of the wasm-bindgen package (e.g. main's js/pkg/node,
// copied aside before rebuilding) measured in the same run, through the same
// path as `Policy.validateMetadata(text)`: export + JSON.parse of the answer.
// Usage: DCR_BASELINE_PKG=/path/to/pkg/node node bench/metadata.mjs [seconds]
const baselineDir = process.env.DCR_BASELINE_PKG;
const baseline = baselineDir
  ? new (createRequire(import.meta.url)(join(baselineDir, 'dcr_policy.js')).CompiledPolicy)(JSON.stringify(policyDoc))
  : null;
if (baseline) {
  assert.deepEqual(JSON.parse(baseline.validateMetadata(metadataText)), JSON.parse(answerText), 'both builds give the same answer');
}
const baselineText = () => JSON.parse(baseline.validateMetadata(metadataText));
const baselineBare = () => baseline.validateMetadata(metadataText);
// oidc-provider mutates nothing we reuse, but copy per call to be safe and fair
// (the Wasm path serializes the object per call too).
// Client.validate expects the stored-client shape, so it needs a client_id.
const peer = () => provider.Client.validate({ client_id: 'bench-client', ...metadata });

console.log(`warming up Wasm for ${WARMUP} s and oidc-provider for 2 s ...`);
timeSync('warm', () => { wasmObject(); wasmText(); wasmUncompiled(); wasmBare(); parseAnswer(); contractFloor(); if (baseline) { baselineText(); baselineBare(); } }, WARMUP);
await timeAsync('warm', peer, 2);

// The machine is shared: measure in alternating rounds so load drift hits every variant alike.
const variants = [
  ['dcr-policy Wasm, compiled Policy, raw JSON body', wasmText, false],
  ['dcr-policy Wasm, compiled Policy, JS object', wasmObject, false],
  ['dcr-policy Wasm, validateMetadata(object, policy doc)', wasmUncompiled, false],
  ['  of which: bare Wasm export (answer as JSON text)', wasmBare, false],
  [`  of which: JSON.parse of the ${answerText.length}-byte answer`, parseAnswer, false],
  ['floor: body copy in + answer decode + JSON.parse, no Wasm', contractFloor, false],
  ...(baseline
    ? [
        ['baseline build, compiled Policy, raw JSON body', baselineText, false],
        ['  of which: baseline bare Wasm export', baselineBare, false],
      ]
    : []),
  [`oidc-provider ${JSON.parse(readFileSync(join(here, 'node_modules/oidc-provider/package.json'), 'utf8')).version} Client.validate`, peer, true],
];
const ROUNDS = 6;
const totals = variants.map(([label]) => ({ label, us: 0, n: 0, best: Infinity }));
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, [label, fn, isAsync]] of variants.entries()) {
    const r = isAsync ? await timeAsync(label, fn, SECONDS / ROUNDS) : timeSync(label, fn, SECONDS / ROUNDS);
    const t = totals[i];
    t.us += r.us * r.n;
    t.n += r.n;
    t.best = Math.min(t.best, r.us);
  }
}
const results = totals.map((t) => ({ label: t.label, us: t.us / t.n, n: t.n, best: t.best }));
const base = results.at(-1);
console.log(`\nnode ${process.version}, ${SECONDS} s per variant in ${ROUNDS} alternating rounds; ratios vs oidc-provider in this run\n`);
for (const r of results) {
  console.log(
    `${r.label.padEnd(56)} mean ${r.us.toFixed(2).padStart(7)} µs (best round ${r.best.toFixed(2).padStart(7)} µs)  ${(base.us / r.us).toFixed(1).padStart(5)}× (best ${(base.best / r.best).toFixed(1)}×) vs oidc-provider`,
  );
}
policy.free();
raw.free();
baseline?.free();
