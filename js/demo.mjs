// The main job: validate a metadata file through the Wasm module and print
// the report, including the defaults applied.
//   node js/demo.mjs examples/metadata.json [examples/policy.json]
import { readFileSync } from 'node:fs';
import { validateMetadata } from './index.js';

const [metadataPath = 'examples/metadata.json', policyPath] = process.argv.slice(2);
const metadata = readFileSync(metadataPath, 'utf8');
const policy = policyPath ? readFileSync(policyPath, 'utf8') : '{}';
const answer = validateMetadata(metadata, policy);

const show = (v) => (v === undefined ? '(absent)' : JSON.stringify(v));
console.log(`dcr-policy: ${metadataPath} under ${policyPath ?? 'the default rfc7591 policy'}`);
console.log(`outcome: ${answer.outcome}`);
if (answer.error) console.log(`error: ${answer.error} (${answer.error_description})`);
if (answer.changes?.length) {
  console.log('\nchanges (why the stored client differs from the request):');
  for (const c of answer.changes) console.log(`  ${c.action.padEnd(10)} ${c.path}: ${show(c.from)} -> ${show(c.to)}  [${c.rule}] ${c.reason}`);
}
if (answer.violations?.length) {
  console.log('\nviolations:');
  for (const v of answer.violations) console.log(`  ${v.severity.padEnd(7)} ${v.error} ${v.source}${v.path}  [${v.rule}] ${v.message}`);
}
if (answer.client) console.log(`\nstored client:\n${JSON.stringify(answer.client, null, 2)}`);
if (answer.outcome === 'invalid_call') process.exitCode = 2;
