// Runs every tests/vectors/metadata/*.json case through the Wasm build
// (js/index.js → wasm-bindgen → the Rust core), with the same assertions as
// tests/metadata.rs. Needs `make pkg` first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateMetadata, Policy } from '../../js/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors', 'metadata');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

const key = (v) => `${v.rule} ${v.error} ${v.path} ${v.severity ?? 'error'}`;

test('the vector corpus is present', () => {
  assert.ok(files.length >= 150, `only ${files.length} vectors`);
});

for (const file of files) {
  const vector = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  test(`${file.replace(/\.json$/, '')}: ${vector.description}`, () => {
    // A string is the raw request body (kept as-is, e.g. duplicate members); an object is sent as JSON.
    const answer = validateMetadata(vector.metadata, vector.policy);
    const { expect } = vector;
    assert.equal(answer.outcome, expect.outcome, JSON.stringify(answer, null, 2));
    if (expect.outcome === 'invalid_call') return;
    assert.deepEqual(answer.violations.map(key).sort(), expect.violations.map(key).sort(), JSON.stringify(answer.violations, null, 2));
    if (expect.changes) {
      assert.deepEqual(answer.changes.map((c) => ({ path: c.path, action: c.action })), expect.changes);
    }
    for (const [k, want] of Object.entries(expect.client ?? {})) {
      assert.deepEqual(answer.client[k], want, `client.${k}`);
    }
    for (const k of expect.client_absent ?? []) {
      assert.equal(k in answer.client, false, `client.${k} should be absent`);
    }
  });
}

test('a compiled Policy gives the same answers as a policy document', () => {
  const doc = { profile: 'oidc', capabilities: { grant_types_supported: ['authorization_code'] } };
  const policy = new Policy(doc);
  const md = { redirect_uris: ['https://app.example.com/cb'], grant_types: ['authorization_code', 'client_credentials'] };
  assert.deepEqual(policy.validateMetadata(md), validateMetadata(md, doc));
  assert.equal(policy.validateMetadata(md).violations[0].rule, 'RFC7591-GRANT-02');
  policy.free();
});

test('every change carries path, action, rule and reason', () => {
  const a = validateMetadata({ redirect_uris: ['https://app.example.com/cb'] }, { profile: 'oidc' });
  assert.equal(a.outcome, 'accepted');
  for (const c of a.changes) {
    assert.ok(c.path.startsWith('/') && c.action === 'defaulted' && c.rule && c.reason, JSON.stringify(c));
  }
  assert.deepEqual(a.client.grant_types, ['authorization_code']);
  assert.equal(a.client.id_token_signed_response_alg, 'RS256');
});
