// Type-level tests of js/web.d.ts (the browser / edge entry point), compiled
// with `tsc --noEmit` (make test-js): the default export is `init`, and the
// API is the Node entry point's.
import init, { validateMetadata, Policy, type ValidateMetadataAnswer } from '../../js/web.js';

async function main(bytes: Uint8Array): Promise<void> {
  await init(bytes);
  await init(new URL('https://cdn.example/dcr_policy_bg.wasm'));
  await init();
  const a: ValidateMetadataAnswer = validateMetadata({ redirect_uris: ['https://app.example/cb'] }, { profile: 'oidc' });
  if (a.outcome === 'accepted') a.client satisfies Record<string, unknown>;
  new Policy({ profile: 'fapi2' }).free();
  // @ts-expect-error init takes one argument
  await init(bytes, bytes);
  // @ts-expect-error the answer is tagged by `outcome`
  a.status satisfies number;
}
void main;
