// Converts the component's WIT answers (as jco maps them: variants are
// `{ tag, val }`, enums kebab-case strings, records camelCase, `option` is
// `undefined` or the value) to the JSON answer shape of `dcr_policy::ffi`
// (`outcome`-tagged, snake_case), so they compare with the native answers.

const snake = (s) => s.replaceAll('-', '_');

export function violation(v) {
  const o = { error: snake(v.error), rule: v.rule, path: v.path, source: snake(v.source), message: v.message, severity: v.severity };
  if (v.reason !== undefined) o.reason = v.reason;
  return o;
}

export function change(c) {
  const o = { path: c.path, action: snake(c.action) };
  if (c.from !== undefined) o.from = JSON.parse(c.from);
  if (c.to !== undefined) o.to = JSON.parse(c.to);
  o.rule = c.rule;
  o.reason = c.reason;
  return o;
}

export function invalidCallAnswer(i) {
  return { outcome: 'invalid_call', message: i.message, violations: i.violations.map(violation) };
}

/** A `metadata-outcome` as the ffi JSON answer. */
export function toAnswer(out) {
  switch (out.tag) {
    case 'accepted':
      return {
        outcome: 'accepted',
        client: JSON.parse(out.val.client),
        changes: out.val.changes.map(change),
        violations: out.val.violations.map(violation),
      };
    case 'rejected':
      return {
        outcome: 'rejected',
        error: snake(out.val.error),
        error_description: out.val.errorDescription,
        client: JSON.parse(out.val.client),
        changes: out.val.changes.map(change),
        violations: out.val.violations.map(violation),
      };
    case 'invalid-call':
      return invalidCallAnswer(out.val);
    default:
      throw new Error(`unknown outcome tag ${out.tag}`);
  }
}

/**
 * The calls the scenarios may name, by WIT function name. Each route returns
 * `[label, answer JSON, client JSON text or undefined]`; `args` are the exact
 * argument texts. To add a call: one entry here, one arm in
 * tests/host-wasmtime/src/lib.rs (`native_answer`, `component_answers`).
 */
export const CALLS = {
  'validate-metadata': (engine, args) => {
    const policy = args.policy ?? '';
    const out = [];
    const free = engine.validateMetadata(args.metadata ?? '', policy);
    out.push(['free function', toAnswer(free), free.tag === 'invalid-call' ? undefined : free.val.client]);
    let loaded;
    try {
      loaded = engine.Policy.load(policy);
    } catch (e) {
      if (e.payload === undefined) throw e; // a trap, not the WIT error
      out.push(['policy.load', invalidCallAnswer(e.payload), undefined]);
      return out;
    }
    const m = loaded.validateMetadata(args.metadata ?? '');
    out.push(['policy.validateMetadata', toAnswer(m), m.tag === 'invalid-call' ? undefined : m.val.client]);
    loaded[Symbol.dispose]();
    return out;
  },
};
