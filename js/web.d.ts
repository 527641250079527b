/** RFC 7591 §3.2.2 error codes (plus RFC 6750 / RFC 6749 codes used by management and malformed requests). */
export type ErrorCode =
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_software_statement'
  | 'unapproved_software_statement'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_request';

/** Which document a violation's `path` points into. */
export type Source =
  | 'metadata'
  | 'request'
  | 'software_statement'
  | 'software_statement_header'
  | 'request_jwt'
  | 'request_jwt_header'
  | 'jwks'
  | 'policy'
  | 'context';

/** One finding. `path` is an RFC 6901 JSON Pointer into `source`. */
export interface Violation {
  error: ErrorCode;
  /** Stable rule ID from the spec digest, e.g. `RFC7591-REDIRECT-01`. */
  rule: string;
  path: string;
  source: Source;
  message: string;
  severity: 'error' | 'warning' | 'advice';
  reason?: string;
}

/** Why the stored client differs from what was sent. */
export interface Change {
  path: string;
  action: 'defaulted' | 'overridden' | 'removed' | 'from_software_statement';
  from?: unknown;
  to?: unknown;
  rule: string;
  reason: string;
}

export type ClientMetadata = Record<string, unknown>;

/** A policy document: a base profile plus overrides (see README "Policy reference"). */
export interface PolicyDocument {
  profile?: string;
  [key: string]: unknown;
}

export type ValidateMetadataAnswer =
  | { outcome: 'accepted'; client: ClientMetadata; changes: Change[]; violations: Violation[] }
  | {
      outcome: 'rejected';
      error: ErrorCode;
      error_description: string;
      client: ClientMetadata;
      changes: Change[];
      violations: Violation[];
    }
  | { outcome: 'invalid_call'; message: string; violations: Violation[] };

/** Thrown only for the host's own mistakes (e.g. an invalid policy). */
export class DcrPolicyError extends Error {
  readonly answer: { outcome: 'invalid_call'; message: string; violations: Violation[] };
  readonly violations: Violation[];
}

/** A policy parsed and checked once, reusable across requests. */
export class Policy {
  /** @throws {DcrPolicyError} when the policy is invalid (the error names the bad path). */
  constructor(policy?: PolicyDocument | string);
  validateMetadata(metadata: ClientMetadata | string): ValidateMetadataAnswer;
  /** Releases the Wasm memory held by this policy. */
  free(): void;
}

/**
 * Validates client metadata (RFC 7591 §2, OIDC DCR §2 and extensions) under a
 * policy, filling defaults. A string is parsed strictly (duplicate member
 * names, size and depth limits); an object is serialized first.
 */
export function validateMetadata(
  metadata: ClientMetadata | string,
  policy?: PolicyDocument | string | Policy,
): ValidateMetadataAnswer;

/** Instantiates the Wasm module; call once before any other function. */
export default function init(input?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module): Promise<void>;
/** A JWK Set (RFC 7517 §5). Private members (`d`, `k`, ...) make the whole set invalid. */
export interface JwkSet {
  keys: Array<Record<string, unknown>>;
}

/** The call of `verifySoftwareStatement`. Unset expectations come from `policy`'s `software_statement` / `request_jwt` section. */
export interface VerifyCall {
  /** The compact JWS. */
  token: string;
  /** The key set the host fetched (or pass `keySet`). */
  jwks?: JwkSet | string;
  /** A compiled key set, reused across calls (faster than `jwks`). */
  keySet?: KeySet;
  /** Seconds since the epoch. */
  now: number;
  kind?: 'software_statement' | 'request_jwt';
  policy?: PolicyDocument;
  algorithms?: string[];
  issuers?: string[];
  audience?: string[];
  leeway?: number;
  max_age?: number;
  required_claims?: string[];
  typ?: string;
  embedded_keys?: 'reject' | 'ignore';
}

export type VerifyAnswer =
  | {
      outcome: 'accepted';
      header: Record<string, unknown>;
      claims: Record<string, unknown>;
      alg: string;
      kid: string | null;
      /** For the host's replay cache: the engine keeps no state. */
      jti: string | null;
      iss: string | null;
    }
  | { outcome: 'rejected'; error: ErrorCode; error_description: string; violations: Violation[] }
  | { outcome: 'invalid_call'; message: string; violations: Violation[] };

/** A JWK Set parsed once in Wasm (keys decoded and precomputed). */
export class KeySet {
  /** @throws {DcrPolicyError} when the set is malformed or holds private keys. */
  constructor(jwks: JwkSet | string);
  verify(call: Omit<VerifyCall, 'jwks' | 'keySet'>): VerifyAnswer;
  /** Releases the Wasm memory held by this key set. */
  free(): void;
}

/**
 * Verifies a software statement (or, with `kind: 'request_jwt'`, a signed
 * registration request) against a host-supplied JWKS: format, header rules,
 * algorithm allow-list, key selection, signature, then claims.
 */
export function verifySoftwareStatement(call: VerifyCall): VerifyAnswer;
