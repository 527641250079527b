// Type-level tests of js/index.d.ts: compiled with `tsc --noEmit` (make test-js).
// Each @ts-expect-error line must be a type error, or tsc fails.
import {
  Policy,
  validateMetadata,
  evaluateRegistration,
  evaluateManagement,
  inspectRegistration,
  verifySoftwareStatement,
  KeySet,
  type RegistrationAnswer,
  type Violation,
} from '../../js/index.js';

const policy = new Policy({ profile: 'fapi2', issuer: 'https://as.example' });
const v = validateMetadata({ redirect_uris: ['https://a.example/cb'] }, policy);
if (v.outcome === 'rejected') {
  const code: string = v.error;
  const first: Violation | undefined = v.violations[0];
  void code, first;
}
if (v.outcome === 'accepted') {
  // @ts-expect-error an accepted answer has no error code
  void v.error;
}

const r: RegistrationAnswer = evaluateRegistration({ body: '{}', context: { now: 1 } }, policy);
if (r.outcome === 'accepted') {
  const status: 201 = r.status;
  const hash: string | undefined = r.registration_access_token_hash;
  void status, hash;
}
if (r.outcome === 'rejected') {
  const s: number = r.status;
  void s;
}

// @ts-expect-error body is required
evaluateRegistration({ content_type: 'application/json' });

const m = evaluateManagement({ operation: 'read', client_id: 'c', stored: null, registration_access_token: 't' });
if (m.outcome === 'accepted') void m.actions;
// @ts-expect-error operation is one of read | update | delete
evaluateManagement({ operation: 'patch', client_id: 'c', stored: null });

const i = inspectRegistration({ body: 'a.b.c', content_type: 'application/jwt' });
if (i.outcome === 'inspected') for (const k of i.key_sets) void k.for;
// OIDCDCR-SECTOR-02: inspect lists documents; the fetched one goes back as `sector_identifier`.
if (i.outcome === 'inspected') {
  for (const d of i.documents) {
    const slot: 'sector_identifier' = d.for;
    evaluateRegistration({ body: '{}', sector_identifier: { uri: d.uri, body: '["https://a.example/cb"]' } }, policy);
    void slot;
  }
}
evaluateRegistration({ body: '{}', sector_identifier: { uri: 'https://a.example/s.json', body: null } }, policy);
// @ts-expect-error the fetched document's uri is required
evaluateRegistration({ body: '{}', sector_identifier: { body: '[]' } }, policy);

const ks = new KeySet({ keys: [] });
const a = verifySoftwareStatement({ token: 'x', keySet: ks, now: 0 });
if (a.outcome === 'accepted') void a.claims;
// @ts-expect-error now is required
verifySoftwareStatement({ token: 'x' });
