// Node entry point: loads the wasm-bindgen `nodejs` build synchronously.
import { createRequire } from 'node:module';
import { makeApi } from './api.js';

const require = createRequire(import.meta.url);
const wasm = require('./pkg/node/dcr_policy.js');

export const {
  Policy,
  validateMetadata,
  evaluateRegistration,
  inspectRegistration,
  evaluateManagement,
  explainPolicy,
  discoveryMetadata,
  KeySet,
  verifySoftwareStatement,
  DcrPolicyError,
} = makeApi(wasm);
