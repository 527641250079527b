// Regenerates the committed test keys (run once: `node tests/keys/generate.mjs`).
// Node's generator is not seeded, so rerunning produces different keys and
// every pre-built token in the tests must then be re-signed: the keys are
// committed so that tests are deterministic. Test-only keys: never use them.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const out = new URL('.', import.meta.url);
const keys = [
  ['directory-rsa2048', 'rsa', { modulusLength: 2048 }, { alg: 'PS256' }],
  ['software-rsa2048', 'rsa', { modulusLength: 2048 }, {}],
  ['software-p256', 'ec', { namedCurve: 'P-256' }, { alg: 'ES256' }],
  ['other-p384', 'ec', { namedCurve: 'P-384' }, { alg: 'ES384' }],
  ['other-ed25519', 'ed25519', {}, { alg: 'EdDSA' }],
  ['weak-rsa1024', 'rsa', { modulusLength: 1024 }, { alg: 'RS256' }],
];
for (const [kid, type, opts, extra] of keys) {
  const { privateKey, publicKey } = generateKeyPairSync(type, opts);
  const priv = { kid, use: 'sig', ...extra, ...privateKey.export({ format: 'jwk' }) };
  const pub = { kid, use: 'sig', ...extra, ...publicKey.export({ format: 'jwk' }) };
  writeFileSync(new URL(`${kid}.private.jwk.json`, out), JSON.stringify(priv, null, 2) + '\n');
  writeFileSync(new URL(`${kid}.public.jwk.json`, out), JSON.stringify(pub, null, 2) + '\n');
}
