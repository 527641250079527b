//! The registration decision (RFC 7591 §3): one call in, one answer out.
//!
//! Pipeline (spec README "Processing model"): endpoint authentication →
//! body parsing → software statement verification → signed request
//! verification → merge (SSA precedence) → enforce + defaults → profile and
//! metadata rules → credential issuance. Each stage appends to one report;
//! only the crypto stages are staged (claims of a token that failed its
//! signature are not trusted, so nothing is merged from it).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::change::Change;
use crate::credentials::{self, Credentials};
use crate::error::{ErrorCode, Report, Severity, Source, Violation, error_description, top_error};
pub use crate::host::FetchedDocument;
use crate::host::{Context, RandomSource};
use crate::jose::{self, KeyCache, TokenKind, VerifyOptions};
use crate::limits::parse_object;
use crate::metadata;
use crate::policy::{EndpointPolicy, Policy, RequestJwtMode};
use crate::profiles;

/// Claims of a signed registration request that describe the JWT itself, not
/// the client; they are checked, then removed from the metadata.
pub const REQUEST_JWT_CLAIMS: [&str; 7] = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];

/// Key sets the host fetched for this request (the module never fetches).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SuppliedJwks {
    /// The key set of the software statement's issuer (the directory).
    pub software_statement: Option<Value>,
    /// The software's own key set (from the SSA's `software_jwks_endpoint` /
    /// `jwks_uri`), used to verify a signed registration request.
    pub software: Option<Value>,
}

/// One registration call: the HTTP body and what the host knows about it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegistrationRequest {
    /// The raw HTTP body (JSON object, or a compact JWS for `application/jwt`).
    pub body: String,
    /// The request's `Content-Type` (parameters such as `charset` ignored);
    /// absent means `application/json`.
    pub content_type: Option<String>,
    /// Time, TLS and bearer-token facts.
    pub context: Context,
    /// Key sets the host fetched after [`inspect_registration`].
    pub jwks: SuppliedJwks,
    /// The document served at the client's `sector_identifier_uri`, fetched
    /// by the host after [`inspect_registration`] listed it under
    /// `documents` (OIDCDCR-SECTOR-02); `None` when not fetched.
    pub sector_identifier: Option<FetchedDocument>,
}

/// What a verified token contributed, surfaced for the host (replay tracking
/// by `jti` is the host's job: the module keeps no state).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSummary {
    /// `iss` claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// `jti` claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// `exp` claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exp: Option<i64>,
    /// `kid` of the key that verified it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// Algorithm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// `software_id` claim, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software_id: Option<String>,
}

/// The answer of [`evaluate_registration`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[expect(clippy::large_enum_variant, reason = "one answer per request, serialized at once; boxing buys nothing")]
pub enum RegistrationAnswer {
    /// Register the client: store `client` and the token hash, send `response`.
    Accepted {
        /// HTTP status: 201.
        status: u16,
        /// The client configuration to store (metadata after defaults, SSA
        /// precedence and overrides, plus `client_id`, `client_secret` when
        /// issued, `client_id_issued_at`, `client_secret_expires_at`).
        client: Map<String, Value>,
        /// The HTTP response body (RFC 7591 §3.2.1 + RFC 7592 §3).
        response: Map<String, Value>,
        /// Why `client` differs from the request.
        changes: Vec<Change>,
        /// Warnings and advice.
        violations: Vec<Violation>,
        /// SHA-256 (base64url) of the registration access token, for the host
        /// to store instead of the token (absent when none is issued).
        #[serde(skip_serializing_if = "Option::is_none")]
        registration_access_token_hash: Option<String>,
        /// Expiry of the registration access token (epoch seconds), if it expires.
        #[serde(skip_serializing_if = "Option::is_none")]
        registration_access_token_expires_at: Option<i64>,
        /// The verified software statement, for replay tracking and audit.
        #[serde(skip_serializing_if = "Option::is_none")]
        software_statement: Option<TokenSummary>,
        /// The verified signed request, for replay tracking (`jti`).
        #[serde(skip_serializing_if = "Option::is_none")]
        request_jwt: Option<TokenSummary>,
    },
    /// Refuse the request.
    Rejected {
        /// HTTP status: 400, or 401 / 403 for endpoint authorization.
        status: u16,
        /// RFC 7591 §3.2.2 (or RFC 6750) error code.
        error: ErrorCode,
        /// Human summary (ASCII).
        error_description: String,
        /// Every finding.
        violations: Vec<Violation>,
        /// `WWW-Authenticate` header value for 401 / 403 answers (RFC 6750 §3).
        #[serde(skip_serializing_if = "Option::is_none")]
        www_authenticate: Option<String>,
        /// The HTTP response body: `{error, error_description, violations}`.
        response: Map<String, Value>,
    },
    /// The host's call was wrong (missing key set, invalid policy, bad envelope).
    InvalidCall {
        /// What was wrong.
        message: String,
        /// Findings with paths.
        violations: Vec<Violation>,
    },
}

/// What a host must fetch before the verifying call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeySetRequirement {
    /// Which member of [`SuppliedJwks`] to fill: `software_statement` or `software`.
    #[serde(rename = "for")]
    pub purpose: String,
    /// The issuer whose key set is needed (the SSA's `iss`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The URL named by the SSA (software key set), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jwks_uri: Option<String>,
    /// `kid`s the tokens reference (the fetched set must contain them).
    pub kids: Vec<String>,
    /// Whether the issuer is in the policy's trusted list (an untrusted
    /// issuer's keys need not be fetched: the call will be refused).
    pub trusted: bool,
}

/// A document a host must fetch before the evaluating call (the module never
/// fetches), passed back as a [`FetchedDocument`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRequirement {
    /// Which request member to fill: `sector_identifier`
    /// ([`RegistrationRequest::sector_identifier`]).
    #[serde(rename = "for")]
    pub purpose: String,
    /// The URL to fetch (the effective `sector_identifier_uri`, after
    /// software-statement precedence); pass it back as the document's `uri`.
    pub uri: String,
}

/// The answer of [`inspect_registration`]: nothing here is verified.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[allow(
    clippy::large_enum_variant,
    reason = "one answer per request, serialized at once; boxing buys nothing (large only on 64-bit targets)"
)]
pub enum InspectAnswer {
    /// The request parsed; fetch `key_sets` and `documents`, then call `evaluate_registration`.
    Inspected {
        /// Key sets to fetch (empty when no signature is involved).
        key_sets: Vec<KeySetRequirement>,
        /// Other documents to fetch: the `sector_identifier_uri` array
        /// (OIDCDCR-SECTOR-02). Empty when none is needed.
        documents: Vec<DocumentRequirement>,
        /// Unverified summary of the software statement.
        #[serde(skip_serializing_if = "Option::is_none")]
        software_statement: Option<TokenSummary>,
        /// Unverified summary of the signed request.
        #[serde(skip_serializing_if = "Option::is_none")]
        request_jwt: Option<TokenSummary>,
        /// Findings so far (the host may answer early on errors).
        violations: Vec<Violation>,
    },
    /// The request cannot be processed at all (same shape as a registration rejection).
    Rejected {
        /// HTTP status.
        status: u16,
        /// Error code.
        error: ErrorCode,
        /// Summary.
        error_description: String,
        /// Findings.
        violations: Vec<Violation>,
        /// Response body.
        response: Map<String, Value>,
    },
}

/// The parsed body: metadata plus the tokens it carried.
struct ParsedBody {
    metadata: Map<String, Value>,
    /// The raw request JWT (when the body was `application/jwt`) and its unverified view.
    request_jwt: Option<(String, jose::Inspected)>,
    /// The raw software statement and its unverified view.
    software_statement: Option<(String, jose::Inspected)>,
}

fn media_type(content_type: Option<&str>) -> String {
    content_type.and_then(|c| c.split(';').next()).map(|c| c.trim().to_ascii_lowercase()).unwrap_or_else(|| "application/json".to_owned())
}

fn is_jwt_media(media: &str) -> bool {
    matches!(media, "application/jwt" | "application/jose")
}

/// RFC7591-ENDPOINT-02 / RFC7592-ENDPOINT-02: the endpoints are TLS-only. The
/// engine cannot see the connection; when the host's context says the request
/// arrived at a plain `http:` URL (`context.endpoint_url`), it is refused with
/// 400 `invalid_request` (the digest's reading; no loopback exception: RFC 7591
/// §3 and RFC 7592 §2 make TLS a MUST). Returns true when refused.
pub(crate) fn check_transport(ctx: &Context, rule: &str, report: &mut Report) -> bool {
    let plain = ctx.endpoint_url.as_deref().is_some_and(|u| u.trim_start().get(..5).is_some_and(|s| s.eq_ignore_ascii_case("http:")));
    if plain {
        report.push(
            Violation::new(
                ErrorCode::InvalidRequest,
                rule,
                "/endpoint_url",
                "the endpoint is served over tls only (`https`), not plain `http`",
            )
            .in_source(Source::Context)
            .with_reason("plain_http"),
        );
    }
    plain
}

/// Endpoint authentication: mTLS and bearer token (RFC7591-ENDPOINT-03,
/// OIDCDCR-ENDPOINT-01, ISVA-AUTH-01, ISVA-AUTH-02, ISVA-RAT-03). Returns the
/// HTTP status to use (401/403). `mtls_rule`: ISVA-AUTH-01 for registration,
/// ISVA-AUTH-05 for management calls.
pub(crate) fn check_endpoint(endpoint: &EndpointPolicy, ctx: &Context, mtls_rule: &str, report: &mut Report) -> Option<u16> {
    let mut status = None;
    if endpoint.require_mtls && ctx.tls.is_none() {
        // ISVA-AUTH-01 / ISVA-AUTH-05: the request must arrive over mutual TLS.
        report.push(
            Violation::new(ErrorCode::InvalidClient, mtls_rule, "/tls", "the endpoint requires a mutual-TLS client certificate")
                .in_source(Source::Context)
                .with_reason("mtls_required"),
        );
        status = Some(401);
    }
    if endpoint.require_bearer_token {
        match &ctx.bearer {
            // RFC 6750 §3.1: no token at all → 401 without an error code in the header.
            None => {
                report.push(
                    Violation::new(ErrorCode::InvalidToken, "RFC7591-ENDPOINT-03", "/bearer", "a bearer token is required")
                        .in_source(Source::Context)
                        .with_reason("missing"),
                );
                status = Some(401);
            }
            Some(b) if !b.valid => {
                report.push(
                    Violation::new(ErrorCode::InvalidToken, "RFC7591-ENDPOINT-03", "/bearer", "the bearer token is not valid")
                        .in_source(Source::Context)
                        .with_reason("invalid"),
                );
                status = Some(401);
            }
            Some(b) => {
                // ISVA-RAT-03: every configured scope must be on the token.
                let missing: Vec<&str> =
                    endpoint.bearer_token_scopes.iter().filter(|s| !b.scopes.contains(s)).map(String::as_str).collect();
                if !missing.is_empty() {
                    report.push(
                        Violation::new(
                            ErrorCode::InsufficientScope,
                            "ISVA-RAT-03",
                            "/bearer/scopes",
                            format!("the bearer token lacks scope `{}`", missing.join(" ")),
                        )
                        .in_source(Source::Context)
                        .with_reason("insufficient_scope"),
                    );
                    status = status.or(Some(403));
                }
            }
        }
    }
    status
}

/// RFC7591-ENDPOINT-01 / OIDCDCR-REQ-01: a JSON object (or the profile's signed request).
fn parse_body(req: &RegistrationRequest, policy: &Policy, report: &mut Report) -> Option<ParsedBody> {
    let media = media_type(req.content_type.as_deref());
    let limits = &policy.limits;
    if req.body.len() > limits.max_body_bytes {
        // RFC7591-ENDPOINT-01: the body cannot be read as client metadata.
        // `invalid_client_metadata`, as `validate_metadata` answers for the
        // same body and as the digest gives for a body that is not a JSON
        // object (RFC 7591 §3.2.2 defines no code for it; `invalid_request`
        // is not one of its codes).
        report.push(
            Violation::new(
                ErrorCode::InvalidClientMetadata,
                "RFC7591-ENDPOINT-01",
                "",
                format!("body is {} bytes, over the limit of {}", req.body.len(), limits.max_body_bytes),
            )
            .in_source(Source::Request)
            .with_reason("too_large"),
        );
        return None;
    }
    let jwt_body = is_jwt_media(&media);
    match (policy.request_jwt.mode, jwt_body) {
        (RequestJwtMode::Required, false) => {
            // UKOB-REQ-01 / AUCDR-REQ-01: the body must be a signed JWT (the
            // profile's citation, e.g. AUCDR-REQ-01 under `au-cdr`).
            report.push(
                Violation::new(
                    ErrorCode::InvalidClientMetadata,
                    policy.cites("/request_jwt/mode").first().map_or("UKOB-REQ-01", String::as_str),
                    "",
                    format!("this profile requires a signed request (`application/jwt`), not `{media}`"),
                )
                .in_source(Source::Request)
                .with_reason("content_type"),
            );
            return None;
        }
        (RequestJwtMode::Forbidden, true) => {
            report.push(
                Violation::new(
                    ErrorCode::InvalidClientMetadata,
                    "RFC7591-ENDPOINT-01",
                    "",
                    "this policy accepts only `application/json` bodies",
                )
                .in_source(Source::Request)
                .with_reason("content_type"),
            );
            return None;
        }
        _ => {}
    }
    let (mut metadata, request_jwt) = if jwt_body {
        let token = req.body.trim().to_owned();
        match jose::inspect(&token, limits, TokenKind::RequestJwt) {
            Ok(inspected) => (inspected.claims.clone(), Some((token, inspected))),
            Err(v) => {
                report.extend(v);
                return None;
            }
        }
    } else if media == "application/json" || media.ends_with("+json") {
        match parse_object(req.body.as_bytes(), limits) {
            Ok(m) => (m, None),
            Err(e) => {
                report.push(crate::ffi::json_violation(&e, Source::Request, "RFC7591-ENDPOINT-01", ErrorCode::InvalidClientMetadata));
                return None;
            }
        }
    } else {
        report.push(
            Violation::new(ErrorCode::InvalidClientMetadata, "RFC7591-ENDPOINT-01", "", format!("unsupported content type `{media}`"))
                .in_source(Source::Request)
                .with_reason("content_type"),
        );
        return None;
    };
    let software_statement = match metadata.get("software_statement") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => match jose::inspect(s, limits, TokenKind::SoftwareStatement) {
            Ok(inspected) => Some((s.clone(), inspected)),
            Err(v) => {
                report.extend(v);
                None
            }
        },
        Some(other) => {
            report.push(
                Violation::new(
                    ErrorCode::InvalidSoftwareStatement,
                    "RFC7591-SS-01",
                    "/software_statement",
                    format!("`software_statement` must be a compact JWS string, not {}", crate::limits::json_type(other)),
                )
                .with_reason("type"),
            );
            None
        }
    };
    if request_jwt.is_some() {
        for claim in REQUEST_JWT_CLAIMS {
            metadata.remove(claim);
        }
    }
    Some(ParsedBody { metadata, request_jwt, software_statement })
}

fn summary(header_kid: Option<String>, alg: Option<String>, claims: &Map<String, Value>) -> TokenSummary {
    let s = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_owned);
    TokenSummary {
        iss: s("iss"),
        jti: s("jti"),
        exp: claims.get("exp").and_then(Value::as_i64),
        kid: header_kid,
        alg,
        software_id: s("software_id"),
    }
}

/// Parses a registration request without verifying anything and says which
/// key sets and documents (the `sector_identifier_uri` array) the host must
/// fetch (two-phase use: inspect, fetch, evaluate).
#[must_use]
pub fn inspect_registration(req: &RegistrationRequest, policy: &Policy) -> InspectAnswer {
    let mut report = Report::new();
    let Some(body) = parse_body(req, policy, &mut report) else {
        return inspect_rejected(report);
    };
    let mut key_sets = Vec::new();
    let ssa = body.software_statement.as_ref().map(|(_, i)| summary(i.kid.clone(), i.alg.clone(), &i.claims));
    if let Some((_, i)) = &body.software_statement {
        let iss = i.claims.get("iss").and_then(Value::as_str).map(str::to_owned);
        let trusted = policy.software_statement.trusted_issuers.is_empty()
            || iss.as_ref().is_some_and(|iss| policy.software_statement.trusted_issuers.contains(iss));
        key_sets.push(KeySetRequirement {
            purpose: "software_statement".to_owned(),
            issuer: iss,
            jwks_uri: None,
            kids: i.kid.iter().cloned().collect(),
            trusted,
        });
    }
    let request = body.request_jwt.as_ref().map(|(_, i)| summary(i.kid.clone(), i.alg.clone(), &i.claims));
    if let Some((_, i)) = &body.request_jwt {
        let ssa_claims = body.software_statement.as_ref().map(|(_, s)| s.claims.clone()).unwrap_or_default();
        let jwks_uri = profiles::software_jwks_location(policy, &ssa_claims)
            .or_else(|| body.metadata.get("jwks_uri").and_then(Value::as_str).map(str::to_owned));
        // DCR-SSRF-01: nothing here is verified yet; never send the host to an internal address.
        if let Some(uri) = &jwks_uri
            && let Ok(parsed) = crate::metadata::uri::Uri::parse(uri)
            && crate::rules::fetch::is_internal_host(&parsed.host_lower())
            && policy.checks.internal_fetch_targets != crate::metadata::checks::Level::Off
        {
            let claim = policy
                .software_statement
                .software_jwks_claims
                .iter()
                .find(|c| ssa_claims.get(c.as_str()).and_then(Value::as_str) == Some(uri));
            let (path, source) = match claim {
                Some(c) => (crate::pointer::field(c), Source::SoftwareStatement),
                None => ("/jwks_uri".to_owned(), Source::Metadata),
            };
            report.push(
                Violation::new(
                    ErrorCode::InvalidSoftwareStatement,
                    "DCR-SSRF-01",
                    path,
                    "the software key set url names an internal host; do not fetch it",
                )
                .in_source(source)
                .with_reason("internal_host"),
            );
        }
        key_sets.push(KeySetRequirement {
            purpose: "software".to_owned(),
            issuer: i.claims.get("iss").and_then(Value::as_str).map(str::to_owned),
            jwks_uri,
            kids: i.kid.iter().cloned().collect(),
            trusted: true,
        });
    }
    let documents = sector_document(&body, policy, &mut report);
    InspectAnswer::Inspected { key_sets, documents, software_statement: ssa, request_jwt: request, violations: report.into_vec() }
}

/// The metadata the pipeline would register, as far as it can be known
/// before verification: the body's metadata, normalized, with the
/// (unverified) software statement's precedence from a trusted issuer, the
/// profile's enforced values and defaults. Findings are discarded: the
/// evaluating call reports them.
fn effective_metadata(body: &ParsedBody, policy: &Policy) -> Map<String, Value> {
    let mut client = body.metadata.clone();
    let mut changes = Vec::new();
    let mut scratch = Report::new();
    metadata::normalize(&mut client, policy, &mut changes);
    if let Some((_, i)) = &body.software_statement {
        let trusted = &policy.software_statement.trusted_issuers;
        let iss = i.claims.get("iss").and_then(Value::as_str);
        if trusted.is_empty() || iss.is_some_and(|iss| trusted.iter().any(|t| t == iss)) {
            profiles::merge_software_statement(&mut client, &i.claims, policy, &mut changes, &mut scratch);
        }
    }
    profiles::apply_profile_defaults(&mut client, policy, &mut changes);
    metadata::apply_enforce(&mut client, policy, &mut changes);
    metadata::apply_defaults(&mut client, policy, &mut changes);
    client
}

/// OIDCDCR-SECTOR-02: the `sector_identifier_uri` document the host must
/// fetch, if any. An internal host is reported (DCR-SSRF-01, at the policy's
/// level) and, when the policy refuses it, not listed: the host must not
/// fetch it. A URI OIDCDCR-SECTOR-01 refuses (not `https`) is not listed
/// either; the evaluating call reports it. Under
/// `checks.sector_identifier_content: off` the host is not asked to fetch.
fn sector_document(body: &ParsedBody, policy: &Policy, report: &mut Report) -> Vec<DocumentRequirement> {
    // Fast path: nothing can supply the field (an SSA may, under its own
    // name or any claim its `claim_map` maps onto it).
    let field = "sector_identifier_uri";
    let from_ssa = body.software_statement.as_ref().is_some_and(|(_, i)| {
        i.claims.contains_key(field) || policy.software_statement.claim_map.iter().any(|(c, m)| m.to == field && i.claims.contains_key(c))
    });
    let possible =
        body.metadata.contains_key(field) || from_ssa || policy.enforce.contains_key(field) || policy.defaults.contains_key(field);
    if !possible {
        return Vec::new();
    }
    let client = effective_metadata(body, policy);
    let Some(Value::String(uri)) = client.get("sector_identifier_uri") else {
        return Vec::new();
    };
    let Ok(parsed) = crate::metadata::uri::Uri::parse(uri) else {
        return Vec::new();
    };
    if !parsed.scheme_is("https") {
        return Vec::new();
    }
    let level = policy.checks.internal_fetch_targets;
    if level != crate::metadata::checks::Level::Off && crate::rules::fetch::is_internal_host(&parsed.host_lower()) {
        // DCR-SSRF-01: never send the host to an internal address.
        let from_ssa = body
            .software_statement
            .as_ref()
            .is_some_and(|(_, i)| i.claims.get("sector_identifier_uri").and_then(Value::as_str) == Some(uri.as_str()));
        let source = if from_ssa { Source::SoftwareStatement } else { Source::Metadata };
        let (severity, message) = if level == crate::metadata::checks::Level::Warn {
            (Severity::Warning, "`sector_identifier_uri` names an internal host")
        } else {
            (Severity::Error, "`sector_identifier_uri` names an internal host; do not fetch it")
        };
        report.push(
            Violation::new(ErrorCode::InvalidClientMetadata, "DCR-SSRF-01", "/sector_identifier_uri", message)
                .in_source(source)
                .with_reason("internal_host")
                .with_severity(severity),
        );
    }
    if !crate::rules::sector::fetchable(uri, policy) || policy.checks.sector_identifier_content == crate::metadata::checks::Level::Off {
        return Vec::new();
    }
    vec![DocumentRequirement { purpose: "sector_identifier".to_owned(), uri: uri.clone() }]
}

fn inspect_rejected(report: Report) -> InspectAnswer {
    match rejected(report, None) {
        RegistrationAnswer::Rejected { status, error, error_description, violations, response, .. } => {
            InspectAnswer::Rejected { status, error, error_description, violations, response }
        }
        _ => InspectAnswer::Rejected {
            status: 400,
            error: ErrorCode::InvalidRequest,
            error_description: "invalid request".to_owned(),
            violations: Vec::new(),
            response: Map::new(),
        },
    }
}

/// The outcome of the verify + merge stages, shared with RFC 7592 update.
pub(crate) struct Merged {
    pub client: Map<String, Value>,
    pub changes: Vec<Change>,
    pub ssa: Option<TokenSummary>,
    /// The verified, trusted statement's claims (for UKOB-META-14).
    pub ssa_claims: Option<Map<String, Value>>,
    pub request_jwt: Option<TokenSummary>,
}

/// Stages 2–7: parse, verify the tokens, merge, enforce, default and validate.
/// `invalid_call` findings (a key set the host failed to supply) come back as `Err`.
/// `require_ssa`: the rule ID when the caller's endpoint requires a software
/// statement (ISVA-AUTH-03 on POST, ISVA-AUTH-07 on PUT, or the profile's citation).
pub(crate) fn build_client(
    req: &RegistrationRequest,
    policy: &Policy,
    require_ssa: Option<&str>,
    keys: &mut KeyCache,
    report: &mut Report,
) -> Result<Option<Merged>, (String, Vec<Violation>)> {
    let Some(body) = parse_body(req, policy, report) else {
        return Ok(None);
    };
    let ctx = &req.context;
    let mut changes = Vec::new();
    let mut client = body.metadata;

    // RFC7591-SS-* / ISVA-AUTH-03 / ISVA-AUTH-07: is a software statement required?
    let ssa_policy = &policy.software_statement;
    if body.software_statement.is_none() && !client.contains_key("software_statement") && (ssa_policy.required || require_ssa.is_some()) {
        report.push(
            Violation::new(
                ErrorCode::InvalidSoftwareStatement,
                require_ssa.unwrap_or("ISVA-AUTH-03"),
                "/software_statement",
                "a `software_statement` is required",
            )
            .with_reason("missing"),
        );
    }

    // Stage 3: software statement.
    let mut ssa_claims: Option<Map<String, Value>> = None;
    let mut ssa_summary = None;
    if let Some((token, inspected)) = &body.software_statement {
        let iss = inspected.claims.get("iss").and_then(Value::as_str);
        let trusted = ssa_policy.trusted_issuers.is_empty() || iss.is_some_and(|i| ssa_policy.trusted_issuers.iter().any(|t| t == i));
        if !trusted {
            // RFC7591-SS-05: well-formed but from an issuer this server does not trust.
            report.push(
                Violation::new(
                    ErrorCode::UnapprovedSoftwareStatement,
                    "RFC7591-SS-05",
                    "/iss",
                    format!("software statement issuer `{}` is not trusted", iss.unwrap_or("")),
                )
                .in_source(Source::SoftwareStatement)
                .with_reason("untrusted_issuer"),
            );
        } else {
            let Some(jwks_value) = &req.jwks.software_statement else {
                return Err((
                    "the key set of the software statement issuer was not supplied (`jwks.software_statement`)".to_owned(),
                    vec![
                        Violation::new(ErrorCode::InvalidRequest, "JWT-KEY-01", "/jwks/software_statement", "missing key set")
                            .in_source(Source::Request),
                    ],
                ));
            };
            let jwks = keys
                .get_or_parse(jwks_value, "/jwks/software_statement")
                .map_err(|v| ("invalid software statement key set".to_owned(), v))?;
            let opts = VerifyOptions {
                kind: TokenKind::SoftwareStatement,
                algorithms: &ssa_policy.signing_algs,
                issuers: &ssa_policy.trusted_issuers,
                audience: &[],
                now: ctx.now,
                leeway: ssa_policy.leeway,
                max_age: ssa_policy.max_age,
                required_claims: &ssa_policy.required_claims,
                typ: ssa_policy.typ.as_deref(),
                embedded_keys: ssa_policy.embedded_keys,
                limits: &policy.limits,
            };
            match jose::verify_inspected(token, inspected, &jwks, &opts) {
                Ok(verified) => {
                    // RFC7591-SS-04: software_id SHOULD be present.
                    if !verified.claims.contains_key("software_id") {
                        report.push(
                            Violation::new(
                                ErrorCode::InvalidSoftwareStatement,
                                "RFC7591-SS-04",
                                "/software_id",
                                "software statement has no `software_id`",
                            )
                            .in_source(Source::SoftwareStatement)
                            .with_severity(Severity::Warning),
                        );
                    }
                    profiles::check_ssa_claims(&verified.claims, policy, report);
                    // BROF-DN-03/04: the mTLS certificate belongs to the SSA's organisation.
                    profiles::check_certificate_binding(&verified.claims, policy, ctx, report);
                    ssa_summary = Some(summary(verified.kid.clone(), Some(verified.alg.clone()), &verified.claims));
                    ssa_claims = Some(verified.claims);
                }
                Err(mut v) => {
                    // JWT-CLAIM-05 is the generic maximum age; a profile that sets it cites its
                    // own rule (BROF-SSA-02, UKOB-SSA-09).
                    if let Some(rule) = policy.cites("/software_statement/max_age").first() {
                        for x in v.iter_mut().filter(|x| x.rule == "JWT-CLAIM-05" && x.reason.as_deref() == Some("too_old")) {
                            x.rule.clone_from(rule);
                        }
                    }
                    report.extend(v);
                }
            }
        }
    }

    // Stage 4: signed registration request, verified with the software's key
    // set named by the SSA (UKOB-REQ-04, AUCDR-REQ-03): RFC7591-SS-09, the
    // statement alone does not identify the software.
    let mut request_summary = None;
    if let Some((token, inspected)) = &body.request_jwt {
        let Some(jwks_value) = &req.jwks.software else {
            return Err((
                "the software key set for the signed request was not supplied (`jwks.software`)".to_owned(),
                vec![
                    Violation::new(ErrorCode::InvalidRequest, "JWT-KEY-01", "/jwks/software", "missing key set").in_source(Source::Request),
                ],
            ));
        };
        let jwks = keys.get_or_parse(jwks_value, "/jwks/software").map_err(|v| ("invalid software key set".to_owned(), v))?;
        let rj = &policy.request_jwt;
        let mut audience = rj.audience.clone();
        if audience.is_empty() {
            audience.extend(policy.issuer.iter().cloned());
            audience.extend(policy.registration_endpoint.iter().cloned());
            audience.extend(ctx.endpoint_url.iter().cloned());
        }
        let opts = VerifyOptions {
            kind: TokenKind::RequestJwt,
            algorithms: &rj.signing_algs,
            issuers: &[],
            audience: &audience,
            now: ctx.now,
            leeway: rj.leeway,
            max_age: rj.max_age,
            required_claims: &rj.required_claims,
            typ: rj.typ.as_deref(),
            embedded_keys: rj.embedded_keys,
            limits: &policy.limits,
        };
        match jose::verify_inspected(token, inspected, &jwks, &opts) {
            Ok(verified) => {
                profiles::check_request_claims(&verified.claims, ssa_claims.as_ref().unwrap_or(&Map::new()), policy, report);
                request_summary = Some(summary(verified.kid.clone(), Some(verified.alg.clone()), &verified.claims));
            }
            Err(v) => report.extend(v),
        }
    }

    // What the client sent: policy `forbidden` fields (POLICY-FORBIDDEN), then
    // nulls and (with `unknown_fields: drop`) unknown members go, before the
    // SSA adds its own claims (which are kept, e.g. CDR `org_name`).
    crate::rules::policy_data::check_forbidden(&client, policy, report);
    crate::rules::types::check_enforced(&client, policy, report);
    metadata::normalize(&mut client, policy, &mut changes);

    // Server-managed fields in a create request (RFC7591-OUT-07, ISVA-AUTH-04).
    // RFC7591-OUT-07: dropped unless the policy allows custom credentials.
    for field in crate::policy::SERVER_MANAGED {
        let custom = policy.endpoint.allow_custom_client_creds && matches!(field, "client_id" | "client_secret");
        if custom {
            continue;
        }
        if let Some(v) = client.remove(field) {
            // RFC7592-RAT-05: never echo a credential in the change list.
            let shown =
                if field == "client_secret" || field == "registration_access_token" { Value::String("(redacted)".to_owned()) } else { v };
            changes.push(Change::removed(field, shown, "RFC7591-OUT-07", format!("`{field}` is assigned by the server, not the client")));
        }
    }

    // Stage 5: merge with SSA precedence (RFC7591-SS-07) and profile subset rules;
    // OIDCDCR-VALID-01: `ssa_claims` is only set for a verified, trusted statement.
    if let Some(claims) = &ssa_claims {
        profiles::merge_software_statement(&mut client, claims, policy, &mut changes, report);
    }

    // Stages 6–8: profile defaults that depend on other fields (FAPI1-ALG-03:
    // before the generic OIDC defaults), enforce, defaults, repairs, then the
    // metadata rules and the profile's own rules on the final client.
    profiles::apply_profile_defaults(&mut client, policy, &mut changes);
    metadata::apply_enforce(&mut client, policy, &mut changes);
    metadata::apply_defaults(&mut client, policy, &mut changes);
    metadata::apply_repairs(&mut client, policy, &mut changes);
    metadata::apply_derived(&mut client, policy, &mut changes);
    metadata::validate(&client, policy, report);
    profiles::check_metadata(&client, policy, ctx, report);
    // OIDCDCR-SECTOR-02: the fetched sector identifier array lists every redirect URI.
    crate::rules::sector::check(&client, req.sector_identifier.as_ref(), policy, report);

    Ok(Some(Merged { client, changes, ssa: ssa_summary, ssa_claims, request_jwt: request_summary }))
}

/// Evaluates a registration request under a policy: the whole decision.
pub fn evaluate_registration(req: &RegistrationRequest, policy: &Policy, rng: &mut dyn RandomSource) -> RegistrationAnswer {
    evaluate_registration_cached(req, policy, rng, &mut KeyCache::new(0))
}

/// [`evaluate_registration`] with a [`KeyCache`] that outlives the call (a
/// compiled policy keeps one), so a key set seen before is not parsed again.
pub fn evaluate_registration_cached(
    req: &RegistrationRequest,
    policy: &Policy,
    rng: &mut dyn RandomSource,
    keys: &mut KeyCache,
) -> RegistrationAnswer {
    let mut report = Report::new();
    if check_transport(&req.context, "RFC7591-ENDPOINT-02", &mut report) {
        return rejected(report, Some(400));
    }
    if let Some(status) = check_endpoint(&policy.endpoint, &req.context, "ISVA-AUTH-01", &mut report) {
        return rejected(report, Some(status));
    }
    // ISVA-AUTH-03 (or the profile's citation, e.g. AUCDR-META-11 / UKOB-META-11).
    let require_ssa = policy
        .endpoint
        .require_software_statement
        .then(|| policy.cites("/endpoint/require_software_statement").first().map_or("ISVA-AUTH-03", String::as_str));
    let merged = match build_client(req, policy, require_ssa, keys, &mut report) {
        Ok(Some(m)) => m,
        Ok(None) => return rejected(report, None),
        Err((message, violations)) => return RegistrationAnswer::InvalidCall { message, violations },
    };
    if report.has_errors() {
        return rejected(report, None);
    }
    let Merged { mut client, mut changes, ssa, ssa_claims, request_jwt } = merged;
    // OIDCDCR-SECRET-01 / RFC7591-META-03: a client-chosen secret (ISVA-AUTH-04,
    // `allow_custom_client_creds`) that the registered configuration does not
    // need is not kept; the removal is shown, the value never (RFC7592-RAT-05).
    if client.contains_key("client_secret") && !credentials::needs_secret(&client) {
        client.shift_remove("client_secret");
        changes.push(Change::removed(
            "client_secret",
            Value::String("(redacted)".to_owned()),
            "OIDCDCR-SECRET-01",
            "this configuration needs no `client_secret`; the one sent is not kept",
        ));
    }
    let issued = match credentials::issue(&mut client, policy, &req.context, rng, None) {
        Ok(c) => c,
        Err(v) => {
            report.push(v);
            return rejected(report, Some(500));
        }
    };
    let Credentials { mut response, registration_access_token_hash, registration_access_token_expires_at } = issued;
    // OIDCDCR-OUT-03 / RFC7592-RESP-01 want the token and the configuration URL
    // together. With neither `registration_endpoint` nor `context.endpoint_url`
    // the engine cannot build the URL: the token is still issued (a host that
    // manages clients needs it) and the host is told to supply the endpoint.
    if registration_access_token_hash.is_some() && !response.contains_key("registration_client_uri") {
        report.push(
            Violation::new(
                ErrorCode::InvalidRequest,
                "OIDCDCR-OUT-03",
                "/context/endpoint_url",
                "no `registration_client_uri` could be built: set the policy's `registration_endpoint` or `context.endpoint_url`",
            )
            .in_source(Source::Context)
            .with_severity(Severity::Warning)
            .with_reason("no_configuration_url"),
        );
    }
    // UKOB-META-14: the verified statement's claims, repeated at the top level.
    if policy.response.flatten_ssa_claims
        && let Some(claims) = &ssa_claims
    {
        credentials::flatten_ssa_claims(&mut response, claims);
    }
    // RFC7591-OUT-01 / OIDCDCR-OUT-04: 201 with one JSON object.
    RegistrationAnswer::Accepted {
        status: 201,
        client,
        response,
        changes,
        violations: report.into_vec(),
        registration_access_token_hash,
        registration_access_token_expires_at,
        software_statement: ssa,
        request_jwt,
    }
}

/// Builds the rejection answer: status (400 unless given), top-level error
/// by precedence, and an RFC 7591 §3.2.2 body with the violations attached.
#[must_use]
pub(crate) fn rejected(report: Report, status: Option<u16>) -> RegistrationAnswer {
    let violations = report.into_vec();
    let error = top_error(&violations).unwrap_or(ErrorCode::InvalidClientMetadata);
    let status = status.unwrap_or(match error {
        ErrorCode::InvalidToken | ErrorCode::InvalidClient => 401,
        ErrorCode::InsufficientScope => 403,
        _ => 400,
    });
    // UKOB-ERR-01: capped again after escaping (escapes lengthen it).
    let error_description =
        crate::error::cap_description(ascii(&error_description(&violations).unwrap_or_else(|| error.as_str().replace('_', " "))));
    let www_authenticate = match (status, error) {
        (401, ErrorCode::InvalidToken) => {
            // RFC7591-ERR-03, RFC 6750 §3.1: no error code when the request carried no token at all.
            if violations.iter().any(|v| v.reason.as_deref() == Some("missing")) {
                Some("Bearer".to_owned())
            } else {
                Some(format!("Bearer error=\"invalid_token\", error_description=\"{}\"", error_description.replace('"', "'")))
            }
        }
        // RFC 6749 §5.2: mTLS has no HTTP authentication scheme to challenge with.
        (401, ErrorCode::InvalidClient) => None,
        (401, _) => Some("Bearer".to_owned()),
        (403, ErrorCode::InsufficientScope) => Some("Bearer error=\"insufficient_scope\"".to_owned()),
        _ => None,
    };
    let mut response = Map::new();
    response.insert("error".to_owned(), Value::String(error.as_str().to_owned()));
    response.insert("error_description".to_owned(), Value::String(error_description.clone()));
    response.insert("violations".to_owned(), serde_json::to_value(&violations).unwrap_or(Value::Array(Vec::new())));
    RegistrationAnswer::Rejected { status, error, error_description, violations, www_authenticate, response }
}

/// RFC7591-ERR-01: `error_description` must be ASCII; escape anything else.
fn ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() && !c.is_ascii_control() {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7591_err_01_description_is_ascii() {
        assert_eq!(ascii("名 ok"), "\\u{540d} ok");
    }

    #[test]
    fn media_type_ignores_parameters_and_case() {
        assert_eq!(media_type(Some("Application/JSON; charset=utf-8")), "application/json");
        assert_eq!(media_type(None), "application/json");
        assert!(is_jwt_media(&media_type(Some("application/jwt"))));
    }
}
