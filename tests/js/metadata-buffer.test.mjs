// Policy.validateMetadata encodes the body straight into the compiled
// policy's Wasm buffer and decodes the answer from another (js/api.js). Its
// answers must equal the plain export's (string in, JSON text out) for every
// input: every metadata vector under its policy, bodies with non-ASCII text
// and lone surrogates, bodies over the buffered size, and a long body
// followed by a short one through the same reused buffers. Needs `make pkg`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Policy } from '../../js/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const raw = createRequire(import.meta.url)('../../js/pkg/node/dcr_policy.js');
const dir = join(here, '..', 'vectors', 'metadata');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

const plain = (policyDoc, body) => {
  const p = new raw.CompiledPolicy(JSON.stringify(policyDoc));
  try {
    return JSON.parse(p.validateMetadata(body));
  } finally {
    p.free();
  }
};

test('buffered answers equal the plain export for every vector', () => {
  let n = 0;
  for (const file of files) {
    const vector = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    let policy;
    try {
      policy = new Policy(vector.policy);
    } catch {
      continue; // an invalid policy has no compiled form
    }
    const body = typeof vector.metadata === 'string' ? vector.metadata : JSON.stringify(vector.metadata);
    assert.deepEqual(policy.validateMetadata(body), plain(vector.policy, body), file);
    policy.free();
    n++;
  }
  assert.ok(n >= 150, `only ${n} vectors ran`);
});

test('non-ASCII, surrogates, large bodies and buffer reuse', () => {
  const policyDoc = JSON.parse(readFileSync(join(here, '..', '..', 'bench', 'policy.json'), 'utf8'));
  const bench = readFileSync(join(here, '..', '..', 'bench', 'metadata.json'), 'utf8');
  const policy = new Policy(policyDoc);
  const bodies = [
    bench,
    '{"client_name":"\ud800 lone","redirect_uris":["https://a.example/cb"]}',
    '{"client_name":"😀 \u2028 é \u0000","redirect_uris":["https://a.example/cb"]}',
    JSON.stringify({ client_name: 'é'.repeat(40000), redirect_uris: ['https://a.example/cb'] }),
    JSON.stringify({ client_name: 'x'.repeat(70000) }), // over the buffered size: plain path
    '{"a":1}',
    '{"a":1} trailing',
    '',
    bench,
  ];
  for (const body of bodies) {
    assert.deepEqual(policy.validateMetadata(body), plain(policyDoc, body), body.slice(0, 40));
  }
  // objects are sent as JSON text, as before
  const md = JSON.parse(bench);
  assert.deepEqual(policy.validateMetadata(md), plain(policyDoc, JSON.stringify(md)));
  assert.equal(policy.validateMetadata(bench).client['client_name#ja-Jpan-JP'], '予算アプリ');
  policy.free();
});
