// The Wasm component from Node through `jco transpile` (js/component/),
// against the native Rust answers (issue 6).
//
// Needs `make component` (dist/ and js/component/) and the native answers the
// wasmtime host test writes to tests/host-wasmtime/target/native-answers.json:
// `make test-component` runs both in that order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import { engine } from '../../js/component/dcr-policy.js';
import { toAnswer, CALLS } from './answer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const nativePath = process.env.DCR_NATIVE_ANSWERS ?? path.join(root, 'tests/host-wasmtime/target/native-answers.json');
const scenarios = JSON.parse(readFileSync(path.join(root, 'tests/component/scenarios.json'), 'utf8')).scenarios;

function nativeAnswers() {
  assert.ok(existsSync(nativePath), `${nativePath} is missing: run \`make test-component\` (the wasmtime host test writes the native answers)`);
  return JSON.parse(readFileSync(nativePath, 'utf8')).native_answers;
}

// The exact import list of the component, read by jco itself: a stray import fails.
test('the component imports only wasi:random/random@0.2.0 and exports the dcr:policy interfaces', () => {
  const jco = path.join(root, 'node_modules/.bin/jco');
  const wit = execFileSync(jco, ['wit', path.join(root, 'dist/dcr-policy.wasm')], { encoding: 'utf8' });
  const lines = (kind) => [...wit.matchAll(new RegExp(`^\\s*${kind} ([^;]+);`, 'gm'))].map((m) => m[1].trim());
  assert.deepEqual(lines('import'), ['wasi:random/random@0.2.0']);
  assert.deepEqual(lines('export'), ['dcr:policy/types@0.1.0', 'dcr:policy/engine@0.1.0']);
  // and the transpiled JS needs only the random shim
  const js = readFileSync(path.join(root, 'js/component/dcr-policy.js'), 'utf8');
  const modules = [...js.matchAll(/^import .* from '([^']+)';/gm)].map((m) => m[1]);
  assert.deepEqual(modules, ['@bytecodealliance/preview2-shim/random']);
});

test('native answers cover exactly the scenarios in scenarios.json', () => {
  assert.deepEqual(nativeAnswers().map((a) => a.name), scenarios.map((s) => s.name));
});

// Every scenario, every route (free function, policy resource): the native answer.
test('every scenario gives the native answer through jco', () => {
  for (const { name, call, args, answer, client_text } of nativeAnswers()) {
    const run = CALLS[call];
    assert.ok(run, `${name}: no route for call \`${call}\` in answer.mjs`);
    for (const [route, got, client] of run(engine, args)) {
      assert.deepStrictEqual(got, answer, `${name}: ${route}`);
      if (client !== undefined) assert.equal(client, client_text, `${name}: ${route}: client text, byte for byte`);
    }
  }
});

test('a loaded policy is reused across many calls', () => {
  const native = new Map(nativeAnswers().map((a) => [a.name, a]));
  const a = native.get('minimal web client, default rfc7591 policy');
  const p = engine.Policy.load(a.args.policy);
  for (let i = 0; i < 500; i++) assert.deepStrictEqual(toAnswer(p.validateMetadata(a.args.metadata)), a.answer);
  p[Symbol.dispose]();
});

// POLICY-LOAD-02: an unknown profile is the host's mistake; jco throws the WIT error with `.payload`.
test('POLICY-LOAD-02: Policy.load throws the invalid-call record', () => {
  assert.throws(() => engine.Policy.load('{"profile":"no-such-profile"}'), (e) => {
    assert.ok(e.payload.violations.length > 0);
    assert.ok(e.payload.violations.every((v) => v.rule === 'POLICY-LOAD-02' && v.source === 'policy'));
    return true;
  });
});

// RFC7591-ENDPOINT-01: hostile bodies never trap.
test('RFC7591-ENDPOINT-01: hostile bodies are rejected, never trap', () => {
  const bodies = ['['.repeat(100000) + ']'.repeat(100000), JSON.stringify({ client_name: 'a'.repeat(2 << 20) }), '\u0000', 'nul', '{}{}'];
  for (const b of bodies) assert.equal(engine.validateMetadata(b, '').tag, 'rejected');
  assert.notEqual(engine.validateMetadata('{}', '').tag, 'invalid-call');
});
