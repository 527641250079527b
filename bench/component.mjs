// Decisions per second through the Wasm component in Node (jco transpile),
// and through the wasm-bindgen build (js/pkg/node) for comparison; start-up
// and size. Ratios are against the native Rust baseline measured by the
// wasmtime host bench in the same `make bench-component` run
// (tests/host-wasmtime/target/bench-component.json).
//
//   make bench-component        (or: node bench/component.mjs after `make component pkg`)
//
// Node tiers Wasm up over seconds (TOOLCHAIN.md): each case warms up for
// WARMUP_MS before it is measured.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 5000);
const MEASURE_MS = Number(process.env.MEASURE_MS ?? 2000);

const metadata = readFileSync(path.join(root, 'examples/metadata.json'), 'utf8');
const policyText = readFileSync(path.join(root, 'examples/policy.json'), 'utf8');

// evaluate-registration decisions: the same two scenarios as the wasmtime bench
const scenarios = JSON.parse(readFileSync(path.join(root, 'tests/component/scenarios.json'), 'utf8')).scenarios;
const find = (prefix) => {
  const s = scenarios.find((x) => x.name.startsWith(prefix));
  if (!s) throw new Error(`no scenario ${prefix}...`);
  const request = s.request;
  // the ffi envelope the wasm-bindgen package takes (body as text), and the policy text
  const envelope = JSON.stringify({ ...request, body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body) });
  return { request, envelope, policy: JSON.stringify(s.policy) };
};
const registrations = {
  plain: find('RFC7591-OUT-02 plain rfc7591 registration accepted'),
  ukob: find('UKOB full registration'),
};

function rate(f) {
  let end = performance.now() + WARMUP_MS;
  while (performance.now() < end) for (let i = 0; i < 64; i++) f();
  let n = 0;
  const start = performance.now();
  end = start + MEASURE_MS;
  while (performance.now() < end) {
    for (let i = 0; i < 64; i++) f();
    n += 64;
  }
  return (n * 1000) / (performance.now() - start);
}

let sink = 0;
const t0 = performance.now();
const { engine } = await import('../js/component/dcr-policy.js');
const importMs = performance.now() - t0;

const { registrationRequest } = await import('../tests/component/answer.mjs');

const policy = engine.Policy.load(policyText);
const results = {};
results.jco = rate(() => { sink += policy.validateMetadata(metadata).tag.length; });
results.jcoFree = rate(() => { sink += engine.validateMetadata(metadata, policyText).tag.length; });
for (const [name, r] of Object.entries(registrations)) {
  const p = engine.Policy.load(r.policy);
  const req = registrationRequest(r.request);
  const first = p.evaluateRegistration(req);
  if (first.tag !== 'accepted') throw new Error(`${name}: ${first.tag}`);
  // the jco answer's client/response are JSON text; parse them as a host would
  results[`jcoReg_${name}`] = rate(() => {
    const out = p.evaluateRegistration(req);
    sink += JSON.parse(out.val.response).client_id.length;
  });
  p[Symbol.dispose]();
}

const bindgenPath = path.join(root, 'js/pkg/node/dcr_policy.js');
if (existsSync(bindgenPath)) {
  const wb = createRequire(import.meta.url)(bindgenPath);
  const p = new wb.CompiledPolicy(policyText);
  // the raw wasm-bindgen export returns JSON text; the JS API parses it, so do the same
  results.bindgen = rate(() => { sink += JSON.parse(p.validateMetadata(metadata)).outcome.length; });
  results.bindgenFree = rate(() => { sink += JSON.parse(wb.validateMetadata(metadata, policyText)).outcome.length; });
  for (const [name, r] of Object.entries(registrations)) {
    const rp = new wb.CompiledPolicy(r.policy);
    const first = JSON.parse(rp.evaluateRegistration(r.envelope));
    if (first.outcome !== 'accepted') throw new Error(`${name} (wasm-bindgen): ${JSON.stringify(first).slice(0, 300)}`);
    results[`bindgenReg_${name}`] = rate(() => { sink += JSON.parse(rp.evaluateRegistration(r.envelope)).response.client_id.length; });
  }
}

const wasm = readFileSync(path.join(root, 'dist/dcr-policy.wasm'));
const core = readFileSync(path.join(root, 'js/component/dcr-policy.core.wasm'));
const glue = readFileSync(path.join(root, 'js/component/dcr-policy.js'));

const rustPath = path.join(root, 'tests/host-wasmtime/target/bench-component.json');
const rust = existsSync(rustPath) ? JSON.parse(readFileSync(rustPath, 'utf8')) : null;

const fmt = (x) => (x === undefined ? '-' : Math.round(x).toLocaleString('en-US').padStart(12));
const ratio = (x, base) => (x === undefined || !base ? '' : `${(x / base).toFixed(2)}x native`);

console.log(`dcr-policy component bench, Node ${process.version} (warm-up ${WARMUP_MS} ms, measure ${MEASURE_MS} ms)`);
console.log('  decisions/s, example metadata, policy loaded once:');
if (rust) console.log(`    native (Rust)          ${fmt(rust.native_per_s)}   1.00x`);
if (rust) console.log(`    wasmtime component     ${fmt(rust.wasmtime_per_s)}   ${ratio(rust.wasmtime_per_s, rust.native_per_s)}`);
console.log(`    Node, jco component    ${fmt(results.jco)}   ${ratio(results.jco, rust?.native_per_s)}`);
console.log(`    Node, wasm-bindgen     ${fmt(results.bindgen)}   ${ratio(results.bindgen, rust?.native_per_s)}`);
console.log('  decisions/s, policy JSON parsed per call:');
if (rust) console.log(`    native (Rust)          ${fmt(rust.native_free_per_s)}   1.00x`);
if (rust) console.log(`    wasmtime component     ${fmt(rust.wasmtime_free_per_s)}   ${ratio(rust.wasmtime_free_per_s, rust.native_free_per_s)}`);
console.log(`    Node, jco component    ${fmt(results.jcoFree)}   ${ratio(results.jcoFree, rust?.native_free_per_s)}`);
console.log(`    Node, wasm-bindgen     ${fmt(results.bindgenFree)}   ${ratio(results.bindgenFree, rust?.native_free_per_s)}`);
const regCases = [
  ['plain', 'plain RFC 7591 (3 credentials from the random source)', 'native_registration_per_s', 'wasmtime_registration_per_s'],
  ['ukob', 'UK Open Banking (mTLS, PS256 SSA + PS256 signed request)', 'native_ukob_registration_per_s', 'wasmtime_ukob_registration_per_s'],
];
for (const [name, label, nat, wt] of regCases) {
  console.log(`  evaluate-registration decisions/s, policy loaded once, ${label}:`);
  if (rust?.[nat]) console.log(`    native (Rust)          ${fmt(rust[nat])}   1.00x`);
  if (rust?.[wt]) console.log(`    wasmtime component     ${fmt(rust[wt])}   ${ratio(rust[wt], rust[nat])}`);
  console.log(`    Node, jco component    ${fmt(results[`jcoReg_${name}`])}   ${ratio(results[`jcoReg_${name}`], rust?.[nat])}`);
  console.log(`    Node, wasm-bindgen     ${fmt(results[`bindgenReg_${name}`])}   ${ratio(results[`bindgenReg_${name}`], rust?.[nat])}`);
  if (rust?.[wt] && results[`bindgenReg_${name}`]) {
    console.log(`    wasmtime vs wasm-bindgen in Node: ${(rust[wt] / results[`bindgenReg_${name}`]).toFixed(2)}x`);
  }
}
if (rust && results.bindgen) {
  // Every decision kind must meet it, not only metadata validation.
  const kinds = [['metadata', rust.wasmtime_per_s, results.bindgen]];
  for (const [name, , , wt] of regCases) kinds.push([name, rust[wt], results[`bindgenReg_${name}`]]);
  const measured = kinds.filter(([, w, b]) => w && b).map(([name, w, b]) => [name, w / b]);
  const missed = measured.filter(([, r]) => r < 1).map(([name]) => name);
  const list = measured.map(([name, r]) => `${name} ${r.toFixed(2)}x`).join(', ');
  console.log(`  target "wasmtime per decision no slower than wasm-bindgen in Node": ${list} → ${missed.length ? `NOT met (${missed.join(', ')})` : 'met'}`);
}
console.log('  start-up:');
console.log(`    Node: import of the jco module (compile + instantiate)  ${importMs.toFixed(1)} ms`);
if (rust) {
  console.log(`    wasmtime: compile with cranelift                      ${rust.compile_ms.toFixed(1)} ms (once, or ahead of time)`);
  console.log(`    wasmtime: deserialize pre-compiled (bytes / mmap)     ${rust.deserialize_us.toFixed(1)} / ${rust.deserialize_file_us.toFixed(1)} us (once per process)`);
  console.log(`    wasmtime: instantiate a pre-compiled component        ${rust.instantiate_us.toFixed(1)} us (target <= 1000 us)`);
  console.log(`    wasmtime: fresh instance + first decision             ${rust.first_request_us.toFixed(1)} us`);
}
console.log('  size:');
console.log(`    dist/dcr-policy.wasm     ${wasm.length} bytes raw, ${gzipSync(wasm, { level: 9 }).length} gzip (target <= 409600)`);
console.log(`    js/component core+glue   ${core.length + glue.length} bytes raw, ${gzipSync(core, { level: 9 }).length + gzipSync(glue, { level: 9 }).length} gzip`);
if (!rust) console.log('  (no native baseline: run `make bench-component` so the wasmtime bench runs first)');
if (sink === 0) console.log('');
