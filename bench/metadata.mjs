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
import { validateMetadata, Policy } from '../js/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const metadataText = readFileSync(join(here, 'metadata.json'), 'utf8');
const metadata = JSON.parse(metadataText);
const policyDoc = JSON.parse(readFileSync(join(here, 'policy.json'), 'utf8'));
const caps = policyDoc.capabilities;
const SECONDS = Number(process.argv[2] ?? 3);
const WARMUP = 5;

// The peer configured with the same capabilities.
const provider = new Provider('https://op.example.com', {
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
await provider.Client.validate(structuredClone(metadata));
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
// oidc-provider mutates nothing we reuse, but copy per call to be safe and fair
// (the Wasm path serializes the object per call too).
const peer = () => provider.Client.validate({ ...metadata });

console.log(`warming up Wasm for ${WARMUP} s and oidc-provider for 2 s ...`);
timeSync('warm', () => { wasmObject(); wasmText(); wasmUncompiled(); }, WARMUP);
await timeAsync('warm', peer, 2);

const results = [
  timeSync('dcr-policy Wasm, compiled Policy, raw JSON body', wasmText, SECONDS),
  timeSync('dcr-policy Wasm, compiled Policy, JS object', wasmObject, SECONDS),
  timeSync('dcr-policy Wasm, validateMetadata(object, policy doc)', wasmUncompiled, SECONDS),
  await timeAsync(`oidc-provider ${JSON.parse(readFileSync(join(here, 'node_modules/oidc-provider/package.json'), 'utf8')).version} Client.validate`, peer, SECONDS),
];
const base = results.at(-1).us;
console.log(`\nnode ${process.version}, ${SECONDS} s per measurement\n`);
for (const r of results) {
  console.log(`${r.label.padEnd(60)} ${r.us.toFixed(2).padStart(9)} µs/request  (${r.n} runs)  ${(base / r.us).toFixed(1)}× vs oidc-provider`);
}
policy.free();
