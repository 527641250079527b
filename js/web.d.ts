// Browser / edge entry point (`dcr-policy/web`): the same API as the Node
// entry point, after a one-time `await init()`.
export * from './index.js';

/** Instantiates the Wasm module; call once before any other function. */
export default function init(input?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module): Promise<void>;
