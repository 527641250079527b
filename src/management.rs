//! RFC 7592 client management: read, update, delete, credential rotation.
//!
//! The host owns storage: it looks the client up by the `client_id` in the
//! configuration URL and passes the stored record (or nothing) with the
//! presented token; the module decides. Registration access tokens are
//! compared with the stored SHA-256 hash in constant time.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::change::{Change, ChangeAction};
use crate::credentials::{self, Existing};
use crate::error::{ErrorCode, Report, Source, Violation};
use crate::host::{Context, FetchedDocument, RandomSource};
use crate::jose::{self, KeyCache, TokenKind};
use crate::limits::parse_object;
use crate::policy::{Policy, SecretOnRead};
use crate::registration::{self, Merged, RegistrationRequest, SuppliedJwks};

/// The RFC 7592 operation (selected by HTTP method, RFC7592-ENDPOINT-03).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Operation {
    /// GET.
    #[default]
    Read,
    /// PUT.
    Update,
    /// DELETE.
    Delete,
}

/// What the host stored at registration (or after the last update).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StoredClient {
    /// The stored client configuration (the `client` of the last accepted answer).
    pub client: Map<String, Value>,
    /// The stored hash of the current registration access token.
    pub registration_access_token_hash: Option<String>,
    /// When that token expires (epoch seconds), if it does.
    pub registration_access_token_expires_at: Option<i64>,
}

/// One management call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ManagementRequest {
    /// The operation.
    pub operation: Operation,
    /// The `client_id` from the configuration URL.
    pub client_id: String,
    /// The stored record; `None` when no such client exists.
    pub stored: Option<StoredClient>,
    /// The bearer token presented in `Authorization` (the registration access token).
    pub registration_access_token: Option<String>,
    /// The PUT body.
    pub body: Option<String>,
    /// The PUT `Content-Type`.
    pub content_type: Option<String>,
    /// Time, TLS and bearer-token facts.
    pub context: Context,
    /// Key sets for a software statement / signed request in a PUT.
    pub jwks: SuppliedJwks,
    /// The document served at the new metadata's `sector_identifier_uri`,
    /// for a PUT (OIDCDCR-SECTOR-02: an update registers the new metadata,
    /// so the array is checked again; `inspect_registration` on the PUT body
    /// says what to fetch).
    pub sector_identifier: Option<FetchedDocument>,
}

/// What the host must do besides answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HostAction {
    /// Replace the stored record with the answer's `client` and token hash.
    StoreClient,
    /// Delete the client (RFC7592-DELETE-02).
    DeleteClient,
    /// Invalidate the client's registration access tokens.
    RevokeRegistrationAccessTokens,
    /// Invalidate the client's grants, access and refresh tokens.
    RevokeClientTokens,
    /// Revoke the token that was presented (RFC7592-AUTHZ-02: unknown client).
    RevokePresentedToken,
}

/// The answer of [`evaluate_management`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ManagementAnswer {
    /// The operation is allowed.
    Accepted {
        /// 200 (read, update) or 204 (delete).
        status: u16,
        /// The client to store (read: unchanged unless rotated; delete: absent).
        #[serde(skip_serializing_if = "Option::is_none")]
        client: Option<Map<String, Value>>,
        /// The response body (absent for 204).
        #[serde(skip_serializing_if = "Option::is_none")]
        response: Option<Map<String, Value>>,
        /// Changes relative to the stored client.
        changes: Vec<Change>,
        /// Warnings and advice.
        violations: Vec<Violation>,
        /// Hash of a newly issued registration access token (store it, drop the old one).
        #[serde(skip_serializing_if = "Option::is_none")]
        registration_access_token_hash: Option<String>,
        /// Expiry of the new token, if it expires.
        #[serde(skip_serializing_if = "Option::is_none")]
        registration_access_token_expires_at: Option<i64>,
        /// What the host must do.
        actions: Vec<HostAction>,
    },
    /// The operation is refused.
    Rejected {
        /// 400, 401, 403.
        status: u16,
        /// Error code.
        error: ErrorCode,
        /// Summary.
        error_description: String,
        /// Findings.
        violations: Vec<Violation>,
        /// `WWW-Authenticate` value for 401 / 403.
        #[serde(skip_serializing_if = "Option::is_none")]
        www_authenticate: Option<String>,
        /// The response body.
        response: Map<String, Value>,
        /// What the host must do.
        actions: Vec<HostAction>,
    },
    /// The host's call was wrong.
    InvalidCall {
        /// What was wrong.
        message: String,
        /// Findings.
        violations: Vec<Violation>,
    },
}

/// Fields a PUT must not carry (RFC7592-UPDATE-03).
const UPDATE_FORBIDDEN: [&str; 4] =
    ["registration_access_token", "registration_client_uri", "client_secret_expires_at", "client_id_issued_at"];

/// Server-managed fields, not compared in the update diff.
const SERVER_FIELDS: [&str; 4] = ["client_id", "client_secret", "client_id_issued_at", "client_secret_expires_at"];

fn reject(report: Report, status: Option<u16>, actions: Vec<HostAction>) -> ManagementAnswer {
    match registration::rejected(report, status) {
        registration::RegistrationAnswer::Rejected { status, error, error_description, violations, www_authenticate, response } => {
            ManagementAnswer::Rejected { status, error, error_description, violations, www_authenticate, response, actions }
        }
        _ => ManagementAnswer::InvalidCall { message: "internal: unexpected answer".to_owned(), violations: Vec::new() },
    }
}

fn invalid_token(rule: &str, path: &str, message: &str, reason: &str) -> Violation {
    Violation::new(ErrorCode::InvalidToken, rule, path, message).in_source(Source::Context).with_reason(reason)
}

/// RFC7592-AUTHZ-*: who may manage this client. `Err` carries the rejection.
#[expect(clippy::result_large_err, reason = "the rejection is the answer itself, built once per call")]
fn authorize(req: &ManagementRequest, policy: &Policy) -> Result<(), ManagementAnswer> {
    let mut report = Report::new();
    let endpoint = &policy.management_endpoint;
    let Some(stored) = &req.stored else {
        // RFC7592-AUTHZ-02 / OIDCDCR-READ-03: unknown client → 401, never 404 (no
        // existence oracle); UKOB-MGMT-02: the presented token is revoked.
        report.push(invalid_token("RFC7592-AUTHZ-02", "", "the access token is not valid for this client", "unknown_client"));
        return Err(reject(report, Some(401), vec![HostAction::RevokePresentedToken]));
    };
    if let Some(status) = registration::check_endpoint(
        &crate::policy::EndpointPolicy { require_bearer_token: false, ..endpoint.clone() },
        &req.context,
        "ISVA-AUTH-05",
        &mut report,
    ) {
        return Err(reject(report, Some(status), Vec::new()));
    }
    let stored_id = stored.client.get("client_id").and_then(Value::as_str);
    if stored_id != Some(req.client_id.as_str()) {
        // RFC7592-AUTHZ-04 / OIDCDCR-CONFIG-02: the record must belong to the client addressed by the URL.
        report.push(invalid_token("RFC7592-AUTHZ-04", "/client_id", "the access token is not valid for this client", "client_mismatch"));
        return Err(reject(report, Some(401), Vec::new()));
    }
    if endpoint.require_bearer_token {
        // UKOB-MGMT-01 / AUCDR-MGMT-01 / ISVA-AUTH-06: a client-credentials
        // access token validated by the host replaces the RAT.
        match &req.context.bearer {
            None => report.push(invalid_token("ISVA-AUTH-06", "/bearer", "a bearer token is required", "missing")),
            Some(b) if !b.valid => report.push(invalid_token("ISVA-AUTH-06", "/bearer", "the bearer token is not valid", "invalid")),
            Some(b) if b.client_id.as_deref().is_some_and(|c| c != req.client_id) => {
                report.push(invalid_token(
                    "RFC7592-AUTHZ-04",
                    "/bearer/client_id",
                    "the access token is not valid for this client",
                    "client_mismatch",
                ));
            }
            Some(b) => {
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
                        .in_source(Source::Context),
                    );
                    return Err(reject(report, Some(403), Vec::new()));
                }
            }
        }
        return if report.has_errors() { Err(reject(report, Some(401), Vec::new())) } else { Ok(()) };
    }
    // RFC7592-ENDPOINT-01 / AUTHZ-01: the registration access token, compared
    // with the stored hash in constant time.
    match (&req.registration_access_token, &stored.registration_access_token_hash) {
        (None, _) => report.push(invalid_token(
            "RFC7592-ENDPOINT-01",
            "/registration_access_token",
            "a registration access token is required",
            "missing",
        )),
        (Some(_), None) => report.push(invalid_token(
            "RFC7592-AUTHZ-01",
            "/registration_access_token",
            "the access token is not valid for this client",
            "invalid",
        )),
        (Some(token), Some(hash)) => {
            if !credentials::token_matches(token, hash) {
                report.push(invalid_token(
                    "RFC7592-AUTHZ-01",
                    "/registration_access_token",
                    "the access token is not valid for this client",
                    "invalid",
                ));
            } else if stored.registration_access_token_expires_at.is_some_and(|exp| req.context.now >= exp) {
                report.push(invalid_token(
                    "RFC7592-AUTHZ-01",
                    "/registration_access_token",
                    "the registration access token has expired",
                    "expired",
                ));
            }
        }
    }
    if report.has_errors() { Err(reject(report, Some(401), Vec::new())) } else { Ok(()) }
}

/// Evaluates an RFC 7592 management call: authorization, then the read,
/// update or delete decision, with optional credential rotation.
pub fn evaluate_management(req: &ManagementRequest, policy: &Policy, rng: &mut dyn RandomSource) -> ManagementAnswer {
    evaluate_management_cached(req, policy, rng, &mut KeyCache::new(0))
}

/// [`evaluate_management`] with a [`KeyCache`] that outlives the call.
pub fn evaluate_management_cached(
    req: &ManagementRequest,
    policy: &Policy,
    rng: &mut dyn RandomSource,
    keys: &mut KeyCache,
) -> ManagementAnswer {
    let mut report = Report::new();
    if registration::check_transport(&req.context, "RFC7592-ENDPOINT-02", &mut report) {
        return reject(report, Some(400), Vec::new());
    }
    if let Err(answer) = authorize(req, policy) {
        return answer;
    }
    let Some(stored) = &req.stored else {
        return ManagementAnswer::InvalidCall { message: "internal: stored client missing".to_owned(), violations: Vec::new() };
    };
    match req.operation {
        Operation::Read => read(req, stored, policy, rng),
        Operation::Delete => {
            if !policy.management.allow_delete {
                return forbidden(policy, "ISVA-MAP-06", "this provider does not allow clients to delete their registration");
            }
            // RFC7592-DELETE-01/02: 204, and everything issued to the client goes;
            // RFC7592-RAT-04: all its registration access tokens at once.
            ManagementAnswer::Accepted {
                status: 204,
                client: None,
                response: None,
                changes: Vec::new(),
                violations: Vec::new(),
                registration_access_token_hash: None,
                registration_access_token_expires_at: None,
                actions: vec![HostAction::DeleteClient, HostAction::RevokeRegistrationAccessTokens, HostAction::RevokeClientTokens],
            }
        }
        Operation::Update => {
            if !policy.management.allow_update {
                return forbidden(policy, "RFC7592-AUTHZ-03", "this provider does not allow clients to update their registration");
            }
            update(req, stored, policy, rng, keys)
        }
    }
}

/// A management operation the policy disables: 403 (ISVA-MAP-06,
/// RFC7592-AUTHZ-03), or 405 under UK Open Banking, where GET / PUT / DELETE
/// are optional for the ASPSP (UKOB-MGMT-06).
fn forbidden(policy: &Policy, rule: &str, message: &str) -> ManagementAnswer {
    let (rule, status) = if policy.profile == crate::policy::ProfileId::UkOpenBanking { ("UKOB-MGMT-06", 405) } else { (rule, 403) };
    let mut report = Report::new();
    report.push(Violation::new(ErrorCode::InvalidRequest, rule, "", message).in_source(Source::Request).with_reason("forbidden"));
    reject(report, Some(status), Vec::new())
}

fn rotated(field: &str, rule: &str, reason: &str) -> Change {
    Change {
        path: crate::pointer::field(field),
        action: ChangeAction::Rotated,
        from: None,
        to: None,
        rule: rule.to_owned(),
        reason: reason.to_owned(),
    }
}

/// RFC7592-READ-01 / OIDCDCR-READ-01: 200 with every registered value;
/// RFC7592-READ-03: nothing changes unless the policy rotates credentials.
fn read(req: &ManagementRequest, stored: &StoredClient, policy: &Policy, rng: &mut dyn RandomSource) -> ManagementAnswer {
    let mut client = stored.client.clone();
    let rotate_token = policy.registration_access_token.rotate_on_read;
    let rotate_secret = policy.client_secret.on_read == SecretOnRead::Rotate;
    let existing = Existing { stored: Some(&stored.client), new_token: rotate_token, rotate_secret };
    let issued = match credentials::issue(&mut client, policy, &req.context, rng, Some(existing)) {
        Ok(c) => c,
        Err(v) => {
            let mut r = Report::new();
            r.push(v);
            return reject(r, Some(500), Vec::new());
        }
    };
    let mut response = issued.response;
    // UKOB-META-14: the stored statement's claims, repeated at the top level.
    if policy.response.flatten_ssa_claims
        && let Some(claims) = credentials::stored_ssa_claims(&client, policy)
    {
        credentials::flatten_ssa_claims(&mut response, &claims);
    }
    let mut changes = Vec::new();
    if rotate_token {
        changes.push(rotated("registration_access_token", "RFC7592-RAT-02", "the registration access token was re-issued on read"));
    } else if policy.registration_access_token.generate {
        // RFC7592-READ-04: always include both members; the presented token is the current one
        // (OIDCDCR-READ-02 would allow leaving them out: RFC 7592 §3 wins).
        if let Some(t) = &req.registration_access_token {
            response.insert("registration_access_token".to_owned(), Value::String(t.clone()));
        }
    }
    if rotate_secret && client.contains_key("client_secret") {
        changes.push(rotated("client_secret", "RFC7592-READ-02", "the client secret was re-issued on read"));
    }
    if policy.client_secret.on_read == SecretOnRead::Omit {
        response.remove("client_secret");
        response.remove("client_secret_expires_at");
    }
    let mut actions = Vec::new();
    if rotate_token || rotate_secret {
        actions.push(HostAction::StoreClient);
    }
    ManagementAnswer::Accepted {
        status: 200,
        client: Some(client),
        response: Some(response),
        changes,
        violations: Vec::new(),
        registration_access_token_hash: issued.registration_access_token_hash,
        registration_access_token_expires_at: issued.registration_access_token_expires_at,
        actions,
    }
}

/// Parses the PUT body just far enough for the RFC 7592 envelope checks; the
/// full pipeline parses (and verifies) it again.
fn update_members(req: &ManagementRequest, policy: &Policy) -> Option<Map<String, Value>> {
    let body = req.body.as_deref().unwrap_or("");
    let media = req.content_type.as_deref().and_then(|c| c.split(';').next()).map(|c| c.trim().to_ascii_lowercase());
    if matches!(media.as_deref(), Some("application/jwt" | "application/jose")) {
        jose::inspect(body.trim(), &policy.limits, TokenKind::RequestJwt).ok().map(|i| i.claims)
    } else {
        parse_object(body.as_bytes(), &policy.limits).ok()
    }
}

fn update(
    req: &ManagementRequest,
    stored: &StoredClient,
    policy: &Policy,
    rng: &mut dyn RandomSource,
    keys: &mut KeyCache,
) -> ManagementAnswer {
    let mut report = Report::new();
    let mut new_secret = None;
    if let Some(members) = update_members(req, policy) {
        // RFC7592-UPDATE-05: client_id present and equal to the current one.
        // Not where the PUT is the profile's signed registration request
        // (UKOB-MGMT-03, AUCDR-MGMT-03): there the client is named by the URL
        // and the client-credentials token, and a `client_id` claim is only
        // the TPP's proposal, ignored as on create (UKOB-META-09; OB's
        // conformance tool sends none, the CDR tooling sends the software id).
        let signed_put = policy.request_jwt.mode == crate::policy::RequestJwtMode::Required;
        match members.get("client_id").filter(|_| !signed_put) {
            None if signed_put => {}
            None => report.push(
                Violation::new(
                    ErrorCode::InvalidRequest,
                    "RFC7592-UPDATE-05",
                    "/client_id",
                    "an update must include the current `client_id`",
                )
                .with_reason("missing"),
            ),
            Some(v) if v.as_str() != Some(req.client_id.as_str()) => report.push(
                Violation::new(ErrorCode::InvalidRequest, "RFC7592-UPDATE-05", "/client_id", "`client_id` does not match this client")
                    .with_reason("mismatch"),
            ),
            Some(_) => {}
        }
        // RFC7592-UPDATE-03: server-managed members must not be sent.
        for field in UPDATE_FORBIDDEN {
            if members.contains_key(field) {
                report.push(
                    Violation::new(
                        ErrorCode::InvalidRequest,
                        "RFC7592-UPDATE-03",
                        crate::pointer::field(field),
                        format!("an update must not include `{field}`"),
                    )
                    .with_reason("forbidden"),
                );
            }
        }
        // RFC7592-UPDATE-06 / RFC7592-UPDATE-07: a secret sent must equal the current
        // one (constant time), unless the policy lets clients set a new one (ISVA-AUTH-08).
        if let Some(sent) = members.get("client_secret") {
            let current = stored.client.get("client_secret").and_then(Value::as_str);
            match (sent.as_str(), current) {
                (Some(s), Some(c)) if credentials::secrets_equal(s, c) => {}
                (Some(s), _) if policy.client_secret.allow_update => new_secret = Some(s.to_owned()),
                _ => report.push(
                    Violation::new(
                        ErrorCode::InvalidRequest,
                        "RFC7592-UPDATE-06",
                        "/client_secret",
                        "`client_secret` does not match the current secret",
                    )
                    .with_reason("mismatch"),
                ),
            }
        }
    }
    // The full create pipeline runs on the request alone (RFC7592-UPDATE-02/04:
    // a replacement, not a patch): the same body rules (RFC7592-UPDATE-01: a
    // JSON object, or the profile's signed request), the same reject-or-replace
    // answers (RFC7592-UPDATE-08), and any software statement verified and
    // merged again as on create (RFC7592-UPDATE-10).
    let as_registration = RegistrationRequest {
        body: req.body.clone().unwrap_or_default(),
        content_type: req.content_type.clone(),
        context: req.context.clone(),
        jwks: req.jwks.clone(),
        sector_identifier: req.sector_identifier.clone(),
    };
    // ISVA-AUTH-07 (or the profile's citation, e.g. UKOB-MGMT-03 / AUCDR-MGMT-03).
    let require_ssa = (policy.management.require_software_statement_on_update || policy.management_endpoint.require_software_statement)
        .then(|| policy.cites("/management/require_software_statement_on_update").first().map_or("ISVA-AUTH-07", String::as_str));
    let merged = match registration::build_client(&as_registration, policy, require_ssa, keys, &mut report) {
        Ok(Some(m)) => m,
        Ok(None) => return reject(report, None, Vec::new()),
        Err((message, violations)) => return ManagementAnswer::InvalidCall { message, violations },
    };
    let Merged { mut client, changes: pipeline_changes, ssa_claims, .. } = merged;
    // RFC7592-UPDATE-11 (and policy immutable fields): values bound at registration cannot change.
    for field in &policy.management.immutable_fields {
        let before = stored.client.get(field);
        if before.is_some() && client.get(field) != before {
            let code = if field == "software_id" { ErrorCode::InvalidSoftwareStatement } else { ErrorCode::InvalidClientMetadata };
            report.push(
                Violation::new(
                    code,
                    "RFC7592-UPDATE-11",
                    crate::pointer::field(field),
                    format!("`{field}` cannot change after registration"),
                )
                .with_reason("immutable"),
            );
        }
    }
    if report.has_errors() {
        return reject(report, None, Vec::new());
    }
    // The RFC7591-OUT-07 removals are the expected PUT envelope, not news.
    let mut changes: Vec<Change> = pipeline_changes.into_iter().filter(|c| c.rule != "RFC7591-OUT-07").collect();
    changes.extend(diff(&stored.client, &client));

    let mut base = stored.client.clone();
    let rotate_secret = policy.client_secret.rotate_on_update;
    if let Some(s) = new_secret {
        base.insert("client_secret".to_owned(), Value::String(s));
        base.remove("client_secret_expires_at");
        changes.push(rotated("client_secret", "ISVA-AUTH-08", "the client set a new secret (policy `client_secret.allow_update`)"));
    }
    let rotate_token = policy.registration_access_token.rotate_on_update;
    let had_secret = stored.client.contains_key("client_secret");
    let existing = Existing { stored: Some(&base), new_token: rotate_token, rotate_secret };
    let issued = match credentials::issue(&mut client, policy, &req.context, rng, Some(existing)) {
        Ok(c) => c,
        Err(v) => {
            report.push(v);
            return reject(report, Some(500), Vec::new());
        }
    };
    if rotate_token {
        changes.push(rotated("registration_access_token", "RFC7592-RAT-02", "the registration access token was re-issued on update"));
    }
    if had_secret && !client.contains_key("client_secret") {
        // RFC7592-UPDATE-09 / RFC7591-META-03: the new configuration needs no
        // secret, so it is withdrawn (with its expiry); shown, never its value.
        changes.push(Change::removed(
            "client_secret",
            Value::String("(redacted)".to_owned()),
            "RFC7592-UPDATE-09",
            "the new configuration needs no client secret; it was withdrawn",
        ));
    }
    if client.contains_key("client_secret") && (rotate_secret || !had_secret) {
        // RFC7592-UPDATE-09: a secret is issued when the new method needs one.
        changes.push(rotated(
            "client_secret",
            "RFC7592-UPDATE-09",
            if had_secret {
                "the client secret was re-issued on update"
            } else {
                "a client secret was issued: the new configuration needs one"
            },
        ));
    }
    let mut response = issued.response;
    // UKOB-META-14: the statement verified with this update, repeated at the top level.
    if policy.response.flatten_ssa_claims
        && let Some(claims) = &ssa_claims
    {
        credentials::flatten_ssa_claims(&mut response, claims);
    }
    if !rotate_token
        && policy.registration_access_token.generate
        && let Some(t) = &req.registration_access_token
    {
        response.insert("registration_access_token".to_owned(), Value::String(t.clone()));
    }
    ManagementAnswer::Accepted {
        status: 200,
        client: Some(client),
        response: Some(response),
        changes,
        violations: report.into_vec(),
        registration_access_token_hash: issued.registration_access_token_hash,
        registration_access_token_expires_at: issued.registration_access_token_expires_at,
        // UKOB-MGMT-04: an update never revokes the tokens already issued.
        actions: vec![HostAction::StoreClient],
    }
}

/// Field-level differences between the stored client and the updated one
/// (server-managed fields aside), shown as added / updated / removed.
fn diff(before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<Change> {
    let mut out = Vec::new();
    for (k, old) in before {
        if SERVER_FIELDS.contains(&k.as_str()) {
            continue;
        }
        match after.get(k) {
            None => out.push(Change::removed(
                k,
                old.clone(),
                "RFC7592-UPDATE-04",
                format!("`{k}` was omitted from the update, so it is removed"),
            )),
            Some(new) if new != old => out.push(Change {
                path: crate::pointer::field(k),
                action: ChangeAction::Updated,
                from: Some(old.clone()),
                to: Some(new.clone()),
                rule: "RFC7592-UPDATE-02".to_owned(),
                reason: format!("`{k}` was replaced by the update"),
            }),
            Some(_) => {}
        }
    }
    for (k, new) in after {
        if !SERVER_FIELDS.contains(&k.as_str()) && !before.contains_key(k) {
            out.push(Change {
                path: crate::pointer::field(k),
                action: ChangeAction::Added,
                from: None,
                to: Some(new.clone()),
                rule: "RFC7592-UPDATE-02".to_owned(),
                reason: format!("`{k}` was added by the update"),
            });
        }
    }
    out
}
