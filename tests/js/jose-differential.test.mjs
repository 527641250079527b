// Differential test of the Wasm build's signature arithmetic (RSA with 28-bit
// digits and lazy carries, P-256 / P-384 / Ed25519) against Node's OpenSSL:
// fresh keys of several sizes, random claims, every JWS algorithm the key
// fits. Every token Node signs must verify; the same token with one bit of
// its signature flipped, or with a random signature value, must not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, randomBytes, constants } from 'node:crypto';
import { KeySet } from '../../js/index.js';

const NOW = 1_750_000_000;
const b64 = (x) => Buffer.from(x).toString('base64url');
const TOKENS_PER_ALG = 12;

const pss = (len) => ({ padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: len });
const RSA_ALGS = [
  ['RS256', 'sha256', {}],
  ['RS384', 'sha384', {}],
  ['RS512', 'sha512', {}],
  ['PS256', 'sha256', pss(32)],
  ['PS384', 'sha384', pss(48)],
  ['PS512', 'sha512', pss(64)],
];

// Sizes chosen for the digit layout: 2048 and 2072 bits are 74 digits of 28
// bits, 3072 is 110, 4096 is 147 (odd: padded with a zero digit).
const keys = [
  ...[2048, 2072, 3072, 4096].map((bits) => ({
    name: `rsa${bits}`,
    pair: generateKeyPairSync('rsa', { modulusLength: bits }),
    algs: RSA_ALGS,
  })),
  { name: 'p256', pair: generateKeyPairSync('ec', { namedCurve: 'P-256' }), algs: [['ES256', 'sha256', { dsaEncoding: 'ieee-p1363' }]] },
  { name: 'p384', pair: generateKeyPairSync('ec', { namedCurve: 'P-384' }), algs: [['ES384', 'sha384', { dsaEncoding: 'ieee-p1363' }]] },
  { name: 'ed25519', pair: generateKeyPairSync('ed25519'), algs: [['EdDSA', null, {}]] },
];

function token(alg, hash, opts, privateKey, kid, claims) {
  const input = `${b64(JSON.stringify({ alg, kid }))}.${b64(JSON.stringify(claims))}`;
  const sig = sign(hash, Buffer.from(input), { key: privateKey, ...opts });
  return { input, sig };
}

function flipBit(buf) {
  const out = Buffer.from(buf);
  const bit = randomBytes(2).readUInt16BE(0) % (out.length * 8);
  out[bit >> 3] ^= 1 << (bit & 7);
  return out;
}

for (const { name, pair, algs } of keys) {
  test(`${name}: Node-signed tokens verify in Wasm, altered signatures do not`, () => {
    const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid: name };
    const ks = new KeySet({ keys: [jwk] });
    try {
      for (const [alg, hash, opts] of algs) {
        for (let i = 0; i < TOKENS_PER_ALG; i++) {
          const claims = { iss: 'directory', iat: NOW, jti: randomBytes(9).toString('hex'), n: i, pad: 'x'.repeat(i * 7) };
          const { input, sig } = token(alg, hash, opts, pair.privateKey, name, claims);
          const ok = ks.verify({ token: `${input}.${b64(sig)}`, now: NOW, algorithms: [alg] });
          assert.equal(ok.outcome, 'accepted', `${name} ${alg} #${i}: ${JSON.stringify(ok)}`);
          assert.equal(ok.jti, claims.jti);
          const flipped = ks.verify({ token: `${input}.${b64(flipBit(sig))}`, now: NOW, algorithms: [alg] });
          assert.equal(flipped.outcome, 'rejected', `${name} ${alg} #${i} flipped bit`);
          const random = ks.verify({ token: `${input}.${b64(randomBytes(sig.length))}`, now: NOW, algorithms: [alg] });
          assert.equal(random.outcome, 'rejected', `${name} ${alg} #${i} random signature`);
        }
      }
    } finally {
      ks.free();
    }
  });
}
