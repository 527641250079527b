// Browser / edge entry point: call `await init()` (optionally with the Wasm
// module, bytes or URL) once before using the API.
import initWasm, * as wasm from './pkg/web/dcr_policy.js';
import { makeApi } from './api.js';

const api = makeApi(wasm);
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
} = api;

export default async function init(input) {
  await initWasm(input === undefined ? undefined : { module_or_path: input });
}
