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

// ---- the other answers (numbers that are s64 / u64 in WIT arrive as BigInt) ----

const num = (b) => (b === undefined ? undefined : Number(b));
const put = (o, k, v) => {
  if (v !== undefined) o[k] = v;
  return o;
};

function tokenSummary(t) {
  const o = {};
  put(o, 'iss', t.iss);
  put(o, 'jti', t.jti);
  put(o, 'exp', num(t.exp));
  put(o, 'kid', t.kid);
  put(o, 'alg', t.alg);
  put(o, 'software_id', t.softwareId);
  return o;
}

/** A `verify-outcome` as the ffi JSON answer (`kid`, `jti`, `iss` are `null` when absent, as natively). */
export function verifyAnswer(out) {
  switch (out.tag) {
    case 'accepted': {
      const a = out.val;
      return { outcome: 'accepted', header: JSON.parse(a.header), claims: JSON.parse(a.claims), alg: a.alg, kid: a.kid ?? null, jti: a.jti ?? null, iss: a.iss ?? null };
    }
    case 'rejected':
      return { outcome: 'rejected', error: snake(out.val.error), error_description: out.val.errorDescription, violations: out.val.violations.map(violation) };
    case 'invalid-call':
      return invalidCallAnswer(out.val);
    default:
      throw new Error(`unknown outcome tag ${out.tag}`);
  }
}

function registrationRejected(r, inspect) {
  if (inspect && r.wwwAuthenticate !== undefined) throw new Error('inspect never sets www-authenticate');
  const o = { outcome: 'rejected', status: r.status, error: snake(r.error), error_description: r.errorDescription, violations: r.violations.map(violation) };
  put(o, 'www_authenticate', r.wwwAuthenticate);
  o.response = JSON.parse(r.response);
  return o;
}

/** An `inspect-outcome` as the ffi JSON answer. */
export function inspectAnswer(out) {
  switch (out.tag) {
    case 'inspected': {
      const i = out.val;
      const o = {
        outcome: 'inspected',
        key_sets: i.keySets.map((k) => {
          const r = { for: snake(k.purpose) };
          put(r, 'issuer', k.issuer);
          put(r, 'jwks_uri', k.jwksUri);
          r.kids = k.kids;
          r.trusted = k.trusted;
          return r;
        }),
        documents: i.documents.map((d) => ({ for: snake(d.purpose), uri: d.uri })),
      };
      if (i.softwareStatement !== undefined) o.software_statement = tokenSummary(i.softwareStatement);
      if (i.requestJwt !== undefined) o.request_jwt = tokenSummary(i.requestJwt);
      o.violations = i.violations.map(violation);
      return o;
    }
    case 'rejected':
      return registrationRejected(out.val, true);
    case 'invalid-call':
      return invalidCallAnswer(out.val);
    default:
      throw new Error(`unknown outcome tag ${out.tag}`);
  }
}

/** A `registration-outcome` as the ffi JSON answer. */
export function registrationAnswer(out) {
  switch (out.tag) {
    case 'accepted': {
      const a = out.val;
      const o = {
        outcome: 'accepted',
        status: a.status,
        client: JSON.parse(a.client),
        response: JSON.parse(a.response),
        changes: a.changes.map(change),
        violations: a.violations.map(violation),
      };
      put(o, 'registration_access_token_hash', a.registrationAccessTokenHash);
      put(o, 'registration_access_token_expires_at', num(a.registrationAccessTokenExpiresAt));
      if (a.softwareStatement !== undefined) o.software_statement = tokenSummary(a.softwareStatement);
      if (a.requestJwt !== undefined) o.request_jwt = tokenSummary(a.requestJwt);
      return o;
    }
    case 'rejected':
      return registrationRejected(out.val, false);
    case 'invalid-call':
      return invalidCallAnswer(out.val);
    default:
      throw new Error(`unknown outcome tag ${out.tag}`);
  }
}

/** A `management-outcome` as the ffi JSON answer. */
export function managementAnswer(out) {
  switch (out.tag) {
    case 'accepted': {
      const a = out.val;
      const o = { outcome: 'accepted', status: a.status };
      if (a.client !== undefined) o.client = JSON.parse(a.client);
      if (a.response !== undefined) o.response = JSON.parse(a.response);
      o.changes = a.changes.map(change);
      o.violations = a.violations.map(violation);
      put(o, 'registration_access_token_hash', a.registrationAccessTokenHash);
      put(o, 'registration_access_token_expires_at', num(a.registrationAccessTokenExpiresAt));
      o.actions = a.actions.map(snake);
      return o;
    }
    case 'rejected': {
      const r = out.val;
      const o = { outcome: 'rejected', status: r.status, error: snake(r.error), error_description: r.errorDescription, violations: r.violations.map(violation) };
      put(o, 'www_authenticate', r.wwwAuthenticate);
      o.response = JSON.parse(r.response);
      o.actions = r.actions.map(snake);
      return o;
    }
    case 'invalid-call':
      return invalidCallAnswer(out.val);
    default:
      throw new Error(`unknown outcome tag ${out.tag}`);
  }
}

/** The JSON-text members of an answer as the component wrote them, by JSON Pointer. */
function texts(out) {
  const t = {};
  if (out.tag === 'invalid-call' || out.tag === 'inspected') return t;
  if (out.val.client !== undefined) t['/client'] = out.val.client;
  if (out.val.response !== undefined) t['/response'] = out.val.response;
  return t;
}

// ---- scenario arguments (the ffi JSON call shapes) -> WIT records ----------

const body = (b) => (typeof b === 'string' ? b : JSON.stringify(b));
const text = (v) => (v === undefined || v === null ? undefined : JSON.stringify(v));

export function context(c = {}) {
  const o = { now: BigInt(c.now ?? 0) };
  if (c.tls) {
    const t = c.tls;
    o.tls = { subjectDn: t.subject_dn, sanDns: t.san_dns ?? [], sanUri: t.san_uri ?? [], sanIp: t.san_ip ?? [], sanEmail: t.san_email ?? [], thumbprintS256: t.thumbprint_s256 };
  }
  if (c.bearer) o.bearer = { valid: c.bearer.valid ?? false, scopes: c.bearer.scopes ?? [], clientId: c.bearer.client_id };
  if (c.endpoint_url !== undefined) o.endpointUrl = c.endpoint_url;
  return o;
}

const jwks = (j = {}) => ({ softwareStatement: text(j.software_statement), software: text(j.software) });
/** A `fetched-document` record (`sector_identifier`), or `undefined` for `none`. */
const document = (d) => (d === undefined || d === null ? undefined : { uri: d.uri ?? '', body: d.body ?? undefined });

/** A `registration-request` record from the scenario's `request` JSON. */
export function registrationRequest(r) {
  return { body: body(r.body ?? ''), contentType: r.content_type, context: context(r.context), jwks: jwks(r.jwks), sectorIdentifier: document(r.sector_identifier) };
}

/** A `management-request` record from the scenario's `request` JSON. */
export function managementRequest(r) {
  const s = r.stored;
  return {
    operation: r.operation ?? 'read',
    clientId: r.client_id ?? '',
    stored:
      s === undefined || s === null
        ? undefined
        : {
            client: JSON.stringify(s.client ?? {}),
            registrationAccessTokenHash: s.registration_access_token_hash,
            registrationAccessTokenExpiresAt: s.registration_access_token_expires_at === undefined ? undefined : BigInt(s.registration_access_token_expires_at),
          },
    registrationAccessToken: r.registration_access_token,
    body: r.body === undefined || r.body === null ? undefined : body(r.body),
    contentType: r.content_type,
    context: context(r.context),
    jwks: jwks(r.jwks),
    sectorIdentifier: document(r.sector_identifier),
  };
}

/** A `verify-request` record from the scenario's `request` JSON. */
export function verifyRequest(c) {
  const big = (v) => (v === undefined || v === null ? undefined : BigInt(v));
  return {
    token: c.token ?? '',
    jwks: JSON.stringify(c.jwks),
    now: BigInt(c.now ?? 0),
    kind: (c.kind ?? 'software_statement').replaceAll('_', '-'),
    algorithms: c.algorithms ?? undefined,
    issuers: c.issuers ?? undefined,
    audience: c.audience ?? undefined,
    leeway: big(c.leeway),
    maxAge: big(c.max_age),
    requiredClaims: c.required_claims ?? undefined,
    typ: c.typ ?? undefined,
    embeddedKeys: c.embedded_keys ?? undefined,
  };
}

/** Calls `f`, turning a thrown WIT `result` error (`e.payload`) into an `invalid_call` answer. */
function documentAnswer(f, tag, member) {
  try {
    return { outcome: tag, [member]: JSON.parse(f()) };
  } catch (e) {
    if (e.payload === undefined) throw e; // a trap, not the WIT error
    return invalidCallAnswer(e.payload);
  }
}

/** Runs the free function with the policy text, then the same call on a loaded `policy` resource. */
function withPolicy(engine, args, free, method) {
  const policy = args.policy ?? '';
  const out = [free(policy)];
  let loaded;
  try {
    loaded = engine.Policy.load(policy);
  } catch (e) {
    if (e.payload === undefined) throw e; // a trap, not the WIT error
    out.push(['policy.load', invalidCallAnswer(e.payload), {}]);
    return out;
  }
  out.push(method(loaded));
  loaded[Symbol.dispose]();
  return out;
}

const request = (args) => JSON.parse(args.request);

/**
 * The calls the scenarios may name, by WIT function name. Each returns the
 * routes taken: `[label, answer JSON, texts]` where `texts` maps a JSON
 * Pointer into the answer (`/client`, `/response`) to the JSON text the
 * component wrote there. `args` are the exact argument texts. To add a call:
 * one entry here, one arm in tests/host-wasmtime/src/lib.rs
 * (`native_answer`, `component_answers`).
 */
export const CALLS = {
  'validate-metadata': (engine, args) =>
    withPolicy(
      engine,
      args,
      (p) => {
        const o = engine.validateMetadata(args.metadata ?? '', p);
        return ['free function', toAnswer(o), texts(o)];
      },
      (l) => {
        const o = l.validateMetadata(args.metadata ?? '');
        return ['policy.validateMetadata', toAnswer(o), texts(o)];
      },
    ),
  'verify-software-statement': (engine, args) =>
    withPolicy(
      engine,
      args,
      (p) => ['free function', verifyAnswer(engine.verifySoftwareStatement(verifyRequest(request(args)), p)), {}],
      (l) => ['policy.verifySoftwareStatement', verifyAnswer(l.verifySoftwareStatement(verifyRequest(request(args)))), {}],
    ),
  'inspect-registration': (engine, args) =>
    withPolicy(
      engine,
      args,
      (p) => ['free function', inspectAnswer(engine.inspectRegistration(registrationRequest(request(args)), p)), {}],
      (l) => ['policy.inspectRegistration', inspectAnswer(l.inspectRegistration(registrationRequest(request(args)))), {}],
    ),
  'evaluate-registration': (engine, args) =>
    withPolicy(
      engine,
      args,
      (p) => {
        const o = engine.evaluateRegistration(registrationRequest(request(args)), p);
        return ['free function', registrationAnswer(o), texts(o)];
      },
      (l) => {
        const o = l.evaluateRegistration(registrationRequest(request(args)));
        return ['policy.evaluateRegistration', registrationAnswer(o), texts(o)];
      },
    ),
  'evaluate-management': (engine, args) =>
    withPolicy(
      engine,
      args,
      (p) => {
        const o = engine.evaluateManagement(managementRequest(request(args)), p);
        return ['free function', managementAnswer(o), texts(o)];
      },
      (l) => {
        const o = l.evaluateManagement(managementRequest(request(args)));
        return ['policy.evaluateManagement', managementAnswer(o), texts(o)];
      },
    ),
  'explain-policy': (engine, args) =>
    withPolicy(
      engine,
      args,
      (p) => ['free function', documentAnswer(() => engine.explainPolicy(p), 'explained', 'explanation'), {}],
      (l) => ['policy.explain', documentAnswer(() => l.explain(), 'explained', 'explanation'), {}],
    ),
  'discovery-metadata': (engine, args) =>
    withPolicy(
      engine,
      args,
      (p) => ['free function', documentAnswer(() => engine.discoveryMetadata(p), 'discovered', 'metadata'), {}],
      (l) => ['policy.discoveryMetadata', documentAnswer(() => l.discoveryMetadata(), 'discovered', 'metadata'), {}],
    ),
};

// ---- random credentials: masking and consistency (as tests/host-wasmtime/src/lib.rs) ----

export const MASKED = '<random>';

const unescape = (seg) => seg.replaceAll('~1', '/').replaceAll('~0', '~');

/** Replaces the string at each pointer of `mask` under `base` (`''` = the whole answer) with MASKED; throws when one is missing. */
export function applyMask(value, mask, base, what) {
  for (const p of mask) {
    if (!p.startsWith(base)) continue;
    const rel = p.slice(base.length);
    if (rel !== '' && !rel.startsWith('/')) continue;
    const segs = rel.split('/').slice(1).map(unescape);
    const last = segs.pop();
    let o = value;
    for (const s of segs) o = o?.[s];
    if (o === undefined || o === null || typeof o[last] !== 'string') throw new Error(`${what}: masked member ${p} is not a string`);
    o[last] = MASKED;
  }
  return value;
}

/** The random credentials of an accepted registration hang together (same checks as the wasmtime host). */
export function checkCredentials(answer, what, sha256b64url) {
  if (answer.outcome !== 'accepted' || !answer.client || !answer.response) return;
  const { client, response } = answer;
  const b64url = (t) => /^[A-Za-z0-9_-]+$/.test(t);
  const fail = (m) => {
    throw new Error(`${what}: ${m}`);
  };
  if (typeof client.client_id === 'string') {
    if (response.client_id !== client.client_id) fail('client_id in response');
    // 32 random bytes (43 characters), or 27 (36 characters) under UK OB (UKOB-META-09)
    if (![43, 36].includes(client.client_id.length) || !b64url(client.client_id)) fail('client_id is not 32 (or UK OB 27) random bytes');
    if (response.registration_client_uri !== undefined && !response.registration_client_uri.endsWith(`/${client.client_id}`)) fail('registration_client_uri');
  }
  if (typeof client.client_secret === 'string') {
    if (response.client_secret !== client.client_secret) fail('client_secret in response');
    if (client.client_secret.length < 43 || !b64url(client.client_secret)) fail('client_secret is not 32+ random bytes');
  }
  const token = response.registration_access_token;
  const hash = answer.registration_access_token_hash;
  if ((token === undefined) !== (hash === undefined)) fail('token and hash must come together');
  if (token !== undefined) {
    if (token.length !== 43 || !b64url(token)) fail('registration_access_token is not 32 random bytes');
    if (sha256b64url(token) !== hash) fail('the stored hash is not SHA-256 of the token');
  }
}
