/** RFC 7591 §3.2.2 error codes (plus RFC 6750 / RFC 6749 codes used by management and malformed requests). */
export type ErrorCode =
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_software_statement'
  | 'unapproved_software_statement'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'invalid_request'
  | 'invalid_client'
  /** Brazil Open Finance only (BROF-META-08). */
  | 'invalid_webhook_uris';

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
  | InvalidCall;

/** What the host knows about the HTTP request. */
export interface HostContext {
  /** Current time, seconds since the Unix epoch. */
  now?: number;
  /** The mutual-TLS client certificate, when the request came over mTLS. */
  tls?: {
    subject_dn?: string;
    san_dns?: string[];
    san_uri?: string[];
    san_ip?: string[];
    san_email?: string[];
    thumbprint_s256?: string;
  } | null;
  /** A bearer token the host validated (initial access token, or a client-credentials token). */
  bearer?: { valid: boolean; scopes?: string[]; client_id?: string } | null;
  /** The registration endpoint URL the request was sent to. */
  endpoint_url?: string;
}

/** A JWK Set as fetched by the host. */
export interface Jwks {
  keys: Record<string, unknown>[];
}

/**
 * A document the host fetched after `inspectRegistration` listed it under
 * `documents` (the module never fetches).
 */
export interface FetchedDocument {
  /** The URL fetched, exactly as the `DocumentRequirement` named it (compared code point for code point). */
  uri: string;
  /** The response body text when the fetch answered HTTP 200; `null` or absent when it failed (unreachable, other status, too large). */
  body?: string | null;
}

/** One registration request (RFC 7591 §3.1). */
export interface RegistrationCall {
  /** The raw HTTP body: a JSON object, or a compact JWS for `application/jwt`. */
  body: string;
  /** `Content-Type` of the request; default `application/json`. */
  content_type?: string;
  context?: HostContext;
  /** Key sets the host fetched after `inspectRegistration`. */
  jwks?: { software_statement?: Jwks; software?: Jwks };
  /** The JSON array served at the client's `sector_identifier_uri`, as fetched (OIDCDCR-SECTOR-02). */
  sector_identifier?: FetchedDocument | null;
}

/** Facts of a verified (or, from inspect, unverified) token, for replay tracking. */
export interface TokenSummary {
  iss?: string;
  jti?: string;
  exp?: number;
  kid?: string;
  alg?: string;
  software_id?: string;
}

export interface InvalidCall {
  outcome: 'invalid_call';
  message: string;
  violations: Violation[];
}

export interface Rejected {
  outcome: 'rejected';
  /** 400, or 401 / 403 for endpoint authorization failures. */
  status: number;
  error: ErrorCode;
  error_description: string;
  violations: Violation[];
  /** `WWW-Authenticate` header value for 401 / 403. */
  www_authenticate?: string;
  /** The RFC 7591 §3.2.2 error body to send. */
  response: Record<string, unknown>;
}

export type RegistrationAnswer =
  | {
      outcome: 'accepted';
      status: 201;
      /** The client configuration to store. */
      client: ClientMetadata;
      /** The response body to send (contains the registration access token once). */
      response: ClientMetadata;
      changes: Change[];
      violations: Violation[];
      /** SHA-256 (base64url) of the registration access token: store this, not the token. */
      registration_access_token_hash?: string;
      registration_access_token_expires_at?: number;
      software_statement?: TokenSummary;
      request_jwt?: TokenSummary;
    }
  | Rejected
  | InvalidCall;

/** A key set the host must fetch before `evaluateRegistration`. */
export interface KeySetRequirement {
  for: 'software_statement' | 'software';
  issuer?: string;
  jwks_uri?: string;
  kids: string[];
  /** False when the policy does not trust this issuer: no need to fetch, the call will be refused. */
  trusted: boolean;
}

/** A document the host must fetch before `evaluateRegistration`, passed back as a `FetchedDocument`. */
export interface DocumentRequirement {
  /** The call member to fill: `sector_identifier`. */
  for: 'sector_identifier';
  /** The URL to fetch (the effective `sector_identifier_uri`, after software-statement precedence). */
  uri: string;
}

export type InspectAnswer =
  | {
      outcome: 'inspected';
      key_sets: KeySetRequirement[];
      /** Other documents to fetch (the `sector_identifier_uri` array); empty when none is needed. */
      documents: DocumentRequirement[];
      software_statement?: TokenSummary;
      request_jwt?: TokenSummary;
      violations: Violation[];
    }
  | Omit<Rejected, 'www_authenticate'>
  | InvalidCall;

/** What the host stored for a client. */
export interface StoredClient {
  client: ClientMetadata;
  registration_access_token_hash?: string | null;
  registration_access_token_expires_at?: number | null;
}

/** One RFC 7592 management call. */
export interface ManagementCall {
  operation: 'read' | 'update' | 'delete';
  /** The `client_id` from the configuration URL. */
  client_id: string;
  /** The stored record, or `null` when no such client exists. */
  stored: StoredClient | null;
  /** The bearer token presented (the registration access token). */
  registration_access_token?: string | null;
  body?: string;
  content_type?: string;
  context?: HostContext;
  jwks?: { software_statement?: Jwks; software?: Jwks };
  /** PUT only: the JSON array served at the new metadata's `sector_identifier_uri` (OIDCDCR-SECTOR-02). */
  sector_identifier?: FetchedDocument | null;
}

export type HostAction =
  | 'store_client'
  | 'delete_client'
  | 'revoke_registration_access_tokens'
  | 'revoke_client_tokens'
  | 'revoke_presented_token';

export type ManagementAnswer =
  | {
      outcome: 'accepted';
      /** 200 (read, update) or 204 (delete). */
      status: 200 | 204;
      client?: ClientMetadata;
      response?: ClientMetadata;
      changes: Change[];
      violations: Violation[];
      registration_access_token_hash?: string;
      registration_access_token_expires_at?: number;
      actions: HostAction[];
    }
  | (Rejected & { actions: HostAction[] })
  | InvalidCall;

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
  inspectRegistration(call: RegistrationCall | string): InspectAnswer;
  evaluateRegistration(call: RegistrationCall | string): RegistrationAnswer;
  evaluateManagement(call: ManagementCall | string): ManagementAnswer;
  /** What this policy defaults, enforces, allows and forbids, with rule IDs. */
  explain(): { outcome: 'explained'; explanation: Record<string, unknown> };
  /** Provider discovery metadata derived from this policy. */
  discoveryMetadata(): { outcome: 'discovered'; metadata: Record<string, unknown> };
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

/** Parses a registration request without verifying and lists the key sets the host must fetch. */
export function inspectRegistration(call: RegistrationCall | string, policy?: PolicyDocument | string | Policy): InspectAnswer;

/** The whole registration decision (RFC 7591 §3). */
export function evaluateRegistration(call: RegistrationCall | string, policy?: PolicyDocument | string | Policy): RegistrationAnswer;

/** The RFC 7592 read / update / delete decision. */
export function evaluateManagement(call: ManagementCall | string, policy?: PolicyDocument | string | Policy): ManagementAnswer;

/** What a policy defaults, enforces, allows and forbids, with rule IDs. */
export function explainPolicy(
  policy?: PolicyDocument | string | Policy,
): { outcome: 'explained'; explanation: Record<string, unknown> } | InvalidCall;

/** Provider discovery metadata derived from a policy. */
export function discoveryMetadata(
  policy?: PolicyDocument | string | Policy,
): { outcome: 'discovered'; metadata: Record<string, unknown> } | InvalidCall;
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
