//! RFC7591-META-03 / UKOB-META-13 / RFC7592-UPDATE-02/04 as an invariant on
//! whole registration and management answers: a requested value may be
//! refused or replaced, and every replacement is visible in the answer's
//! `changes`.
//!
//! - Registration (`evaluate_registration`): starting from the metadata the
//!   client sent (the JSON body, or the claims of an `application/jwt`
//!   request) and applying every change in order (`to` present → set the
//!   member, absent → remove it; paths are `/member` pointers) gives exactly
//!   the answer's `client`, apart from the members the server issues
//!   (`policy::SERVER_MANAGED`) that the request did not carry. The response
//!   carries every member of the client (RFC7591-OUT-06), and nothing else
//!   but the registration access token, the configuration URL and, under
//!   `response.flatten_ssa_claims` (UKOB-META-14), the statement's claims.
//! - Management update (`evaluate_management`, PUT): every change applied to
//!   the STORED client gives the new client (RFC 7592 §2.2: a PUT replaces the
//!   client, so omitted members are removed, and said so); the pipeline's own
//!   changes applied to the PUT body give it too; each change's `from` is the
//!   value it replaced.
//!
//! One documented exception: the JWT claims of a signed request that describe
//! the token (`registration::REQUEST_JWT_CLAIMS`: `iss`, `sub`, `aud`, `exp`,
//! `nbf`, `iat`, `jti`) are checked and removed without a change: they are not
//! client metadata (the answer's `request_jwt` summary names the token).
//! `request_jwt_envelope_claims_are_the_only_silent_drops` pins that list.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic, clippy::unreachable)]

mod common;

use common::ecosystems::{
    MOCK, OB_ISS, OB_SW, br_dn, br_md, br_policy, cdr_claims, cdr_policy, cdr_signed, fapi, fapi_md, fapi_req, ssa_request, ukob_policy,
    ukob_request_claims, ukob_signed_as,
};
use common::fixtures::{AS, CB, NOW, REG, ctx, merge, obj, policy, show, tls};

use dcr_policy::host::{BearerContext, Context, SeededRandom};
use dcr_policy::management::{ManagementAnswer, ManagementRequest, Operation, StoredClient, evaluate_management};
use dcr_policy::policy::{Policy, SERVER_MANAGED};
use dcr_policy::registration::{REQUEST_JWT_CLAIMS, RegistrationAnswer, RegistrationRequest, SuppliedJwks};
use dcr_policy::{Change, ChangeAction};
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------- the invariant

/// The member a `/member` change path names (RFC 6901 unescaped).
fn member(path: &str) -> Result<String, String> {
    let rest = path.strip_prefix('/').ok_or_else(|| format!("change path {path:?} is not a pointer"))?;
    if rest.contains('/') {
        return Err(format!("nested change path {path:?}"));
    }
    Ok(rest.replace("~1", "/").replace("~0", "~"))
}

/// Applies `changes` in order to `replay`; `rotated` changes carry no value
/// (RFC7592-RAT-05) and are skipped. With `check_from`, each change's `from`
/// must be the value it replaced (a redacted credential aside).
fn replay(replay: &mut Map<String, Value>, changes: &[&Change], check_from: bool, label: &str, failures: &mut Vec<String>) {
    for c in changes {
        let name = match member(&c.path) {
            Ok(n) => n,
            Err(e) => {
                failures.push(format!("{label}: {e}"));
                continue;
            }
        };
        if c.action == ChangeAction::Rotated {
            continue;
        }
        let redacted = c.from.as_ref() == Some(&json!("(redacted)"));
        if check_from && !redacted && c.from.as_ref() != replay.get(&name) {
            failures.push(format!(
                "{label}: {:?} change of `{name}` ({}) says from {:?}, the value was {:?}",
                c.action,
                c.rule,
                c.from,
                replay.get(&name)
            ));
        }
        match &c.to {
            Some(to) => replay.insert(name, to.clone()),
            None => replay.shift_remove(&name),
        };
    }
}

/// Compares the replayed client with the answer's. A server-managed member
/// may differ only when the replay does not have it (issued by the server),
/// when a `rotated` change names it (values never shown), or, for
/// `client_secret_expires_at`, when any change names `client_secret`
/// (RFC7591-OUT-04: the expiry travels with the secret).
fn compare(replayed: &Map<String, Value>, client: &Map<String, Value>, changes: &[&Change], label: &str, failures: &mut Vec<String>) {
    compare_with(replayed, client, changes, false, label, failures);
}

/// [`compare`]; with `envelope`, server-managed members are not compared at
/// all (in a PUT body they are the RFC 7592 envelope, checked by
/// RFC7592-UPDATE-03/05/06, and their RFC7591-OUT-07 removals are not listed).
fn compare_with(
    replayed: &Map<String, Value>,
    client: &Map<String, Value>,
    changes: &[&Change],
    envelope: bool,
    label: &str,
    failures: &mut Vec<String>,
) {
    let named = |m: &str, rotated_only: bool| {
        changes.iter().any(|c| c.path == format!("/{m}") && (!rotated_only || c.action == ChangeAction::Rotated))
    };
    let mut keys: Vec<&String> = replayed.keys().chain(client.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let (r, c) = (replayed.get(k), client.get(k));
        if r == c {
            continue;
        }
        if SERVER_MANAGED.contains(&k.as_str())
            && (envelope || r.is_none() || named(k, true) || (k == "client_secret_expires_at" && named("client_secret", false)))
        {
            continue;
        }
        let clip = |v: Option<&Value>| v.map_or("(absent)".to_owned(), |v| v.to_string().chars().take(120).collect());
        failures.push(format!("{label}: `{k}` replayed {} != client {}", clip(r), clip(c)));
    }
}

/// A refusal in one line: its status and error findings (rule at path).
fn brief<T: serde::Serialize>(a: &T) -> String {
    let v = serde_json::to_value(a).unwrap();
    let found: Vec<String> = v["violations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["severity"] == "error")
        .map(|f| format!("{} at {}", f["rule"].as_str().unwrap_or(""), f["path"].as_str().unwrap_or("")))
        .collect();
    format!("{} {} {:?}", v["outcome"], v["status"], found)
}

/// The claims of the `software_statement` a request carried (unverified decode).
fn statement_claims(sent: &Map<String, Value>, p: &Policy) -> Map<String, Value> {
    dcr_policy::credentials::stored_ssa_claims(sent, p).unwrap_or_default()
}

/// The registration invariant on one answer; returns the failures.
fn check_registration(label: &str, sent: &Map<String, Value>, p: &Policy, a: &RegistrationAnswer) -> Vec<String> {
    let mut failures = Vec::new();
    let RegistrationAnswer::Accepted { client, response, changes, .. } = a else {
        // A refusal carries no client: nothing was replaced (RFC7591-META-03: "rejected with an error").
        return vec![format!("{label}: expected accepted, got {}", brief(a))];
    };
    let all: Vec<&Change> = changes.iter().collect();
    let mut replayed = sent.clone();
    replay(&mut replayed, &all, true, label, &mut failures);
    compare(&replayed, client, &all, label, &mut failures);
    // RFC7591-OUT-06 / RFC7591-META-03: the response shows every registered value.
    for (k, v) in client {
        if response.get(k) != Some(v) {
            failures.push(format!("{label}: response `{k}` is {:?}, the client's is {v}", response.get(k)));
        }
    }
    let ssa = statement_claims(sent, p);
    for (k, v) in response {
        let management = matches!(k.as_str(), "registration_access_token" | "registration_client_uri");
        // UKOB-META-14: the statement's claims, flattened (documented).
        let flattened = p.response.flatten_ssa_claims && ssa.get(k) == Some(v);
        if !client.contains_key(k) && !management && !flattened {
            failures.push(format!("{label}: response member `{k}` is not in the client"));
        }
    }
    failures
}

fn run(req: &RegistrationRequest, p: &Policy) -> RegistrationAnswer {
    common::answers::run_checked(req, p, 17)
}

/// The metadata of a request as the client sent it: the JSON body, or the
/// claims of a signed request without the token's own claims.
fn sent_metadata(req: &RegistrationRequest, claims: Option<&Value>) -> Map<String, Value> {
    match claims {
        Some(c) => {
            let mut m = obj(c.clone());
            for claim in REQUEST_JWT_CLAIMS {
                m.shift_remove(claim);
            }
            m
        }
        None => serde_json::from_str(&req.body).unwrap(),
    }
}

// ---------------------------------------------------------------- the scenarios

/// One registration: label, policy, request and (for `application/jwt`) the claims signed.
struct Case {
    label: String,
    policy: Policy,
    req: RegistrationRequest,
    claims: Option<Value>,
}

fn json_case(label: &str, p: &Policy, req: RegistrationRequest) -> Case {
    Case { label: label.to_owned(), policy: p.clone(), req, claims: None }
}

fn plain(metadata: Value) -> RegistrationRequest {
    RegistrationRequest { body: metadata.to_string(), context: ctx(), ..Default::default() }
}

// UK Open Banking (signed request + SSA), as tests/acceptance.rs builds it.

fn ukob_ssa(over: Value) -> String {
    let c = merge(
        json!({
            "iss": OB_ISS, "iat": NOW - 60, "jti": "ssa-ob-1", "software_id": OB_SW, "software_client_id": OB_SW,
            "software_client_name": "Budget Buddy", "software_redirect_uris": ["https://tpp.example.com/cb", "https://tpp.example.com/cb2"],
            "software_roles": ["AISP", "PISP"], "software_jwks_endpoint": "https://keystore.example/tpp.jwks",
            "org_status": "Active", "org_id": "0015800001041REAAY"
        }),
        over,
    );
    common::sign("PS256", &common::private_jwk("directory-rsa2048"), &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}), &c)
}

fn ukob_claims(over: Value) -> Value {
    ukob_request_claims(ukob_ssa(json!({})), over)
}

fn signed_case(label: &str, p: &Policy, req: RegistrationRequest, claims: Value) -> Case {
    Case { label: label.to_owned(), policy: p.clone(), req, claims: Some(claims) }
}

fn br_req(metadata: Value) -> RegistrationRequest {
    RegistrationRequest {
        body: metadata.to_string(),
        content_type: Some("application/json".into()),
        context: Context { tls: tls(&br_dn()), ..ctx() },
        jwks: SuppliedJwks { software_statement: Some(common::jwks_value(&["directory-rsa2048"])), software: None },
        sector_identifier: None,
    }
}

/// A statement of `https://directory.example`, signed by the directory key.
fn generic_ssa(over: Value) -> String {
    let c = merge(
        json!({"iss": "https://directory.example", "iat": NOW - 10, "exp": NOW + 3600, "jti": "ssa-1", "software_id": "sw-1",
            "redirect_uris": [CB, "https://app.example.com/cb2"], "client_name": "Directory Name"}),
        over,
    );
    common::sign("PS256", &common::private_jwk("directory-rsa2048"), &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}), &c)
}

fn ssa_policy(over: Value) -> Policy {
    policy(merge(
        json!({
            "profile": "oidc", "issuer": AS, "registration_endpoint": REG,
            "software_statement": {"required": true, "trusted_issuers": ["https://directory.example"], "signing_algs": ["PS256"], "max_age": 3600}
        }),
        over,
    ))
}

fn isva(stanza: Value, over: Value) -> Policy {
    policy(merge(json!({"issuer": AS, "registration_endpoint": REG, "dynamic_registration": stanza}), over))
}

#[expect(clippy::too_many_lines, reason = "one table of scenarios")]
fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let rfc7591 = policy(json!({"profile": "rfc7591", "issuer": AS, "registration_endpoint": REG}));
    let oidc = policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG}));
    // rfc7591 / oidc, plain JSON.
    for (name, p) in [("rfc7591", &rfc7591), ("oidc", &oidc)] {
        for (what, md) in [
            ("minimal", json!({"redirect_uris": [CB]})),
            (
                "named",
                json!({"redirect_uris": [CB], "client_name": "App", "client_name#fr": "Appli", "logo_uri": "https://app.example.com/l.png"}),
            ),
            ("nulls", json!({"redirect_uris": [CB], "client_name": null, "tos_uri": null, "grant_types": null})),
            ("duplicate redirects", json!({"redirect_uris": [CB, CB, "https://app.example.com/cb2", CB]})),
            ("extension member kept", json!({"redirect_uris": [CB], "x_vendor": {"a": 1}, "software_version": "1.0"})),
            (
                "server-managed sent",
                json!({"redirect_uris": [CB], "client_id": "mine", "client_secret": "s3cret", "client_id_issued_at": 5,
                "client_secret_expires_at": 0, "registration_access_token": "t", "registration_client_uri": "https://evil.example/x"}),
            ),
            ("public client", json!({"redirect_uris": [CB], "token_endpoint_auth_method": "none"})),
            (
                "native app",
                json!({"redirect_uris": ["com.example.app:/cb"], "application_type": "native", "token_endpoint_auth_method": "none"}),
            ),
            ("pkce false overridden", json!({"redirect_uris": [CB], "token_endpoint_auth_method": "none", "require_pkce": false})),
            (
                "client credentials",
                json!({"grant_types": ["client_credentials"], "token_endpoint_auth_method": "private_key_jwt",
                "jwks_uri": "https://app.example.com/jwks"}),
            ),
            (
                "encryption",
                json!({"redirect_uris": [CB], "id_token_encrypted_response_alg": "RSA-OAEP-256",
                "userinfo_encrypted_response_alg": "RSA-OAEP-256", "userinfo_signed_response_alg": "RS256", "jwks_uri": "https://app.example.com/jwks"}),
            ),
            (
                "stray tls subject",
                json!({"redirect_uris": [CB], "token_endpoint_auth_method": "client_secret_basic",
                "tls_client_auth_subject_dn": "CN=client"}),
            ),
            (
                "hs256 id token",
                json!({"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt",
                "jwks_uri": "https://app.example.com/jwks", "id_token_signed_response_alg": "HS256"}),
            ),
        ] {
            out.push(json_case(&format!("{name}: {what}"), p, plain(md)));
        }
    }
    // Custom policies: enforce, defaults, unknown_fields: drop, repairs, PKCE for all.
    let custom = policy(json!({
        "profile": "oidc", "issuer": AS, "registration_endpoint": REG,
        "unknown_fields": "drop",
        "enforce": {"token_endpoint_auth_method": "private_key_jwt", "require_pushed_authorization_requests": true},
        "defaults": {"client_name": "Unnamed", "default_max_age": 3600, "contacts": ["ops@example.com"]},
        "checks": {"grant_response_consistency": "repair", "require_pkce": "all"}
    }));
    for (what, md) in [
        ("enforce + defaults", json!({"redirect_uris": [CB], "jwks_uri": "https://app.example.com/jwks"})),
        (
            "enforce overrides",
            json!({"redirect_uris": [CB], "jwks_uri": "https://app.example.com/jwks",
            "token_endpoint_auth_method": "client_secret_basic", "require_pushed_authorization_requests": false, "client_name": "Mine"}),
        ),
        (
            "unknown dropped",
            json!({"redirect_uris": [CB], "jwks_uri": "https://app.example.com/jwks", "x_unknown": 1, "foo": "bar",
            "client_name#de": "Name", "x_null": null}),
        ),
        (
            "grants repaired",
            json!({"redirect_uris": [CB], "jwks_uri": "https://app.example.com/jwks", "grant_types": ["refresh_token"],
            "response_types": ["code"]}),
        ),
    ] {
        out.push(json_case(&format!("custom: {what}"), &custom, plain(md)));
    }
    let custom_creds =
        policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG, "endpoint": {"allow_custom_client_creds": true}}));
    for (what, md) in [
        (
            "custom id and secret",
            json!({"redirect_uris": [CB], "client_id": "my-client", "client_secret": "s3cret-s3cret-s3cret-s3cret-s3cret-0"}),
        ),
        (
            "custom secret not needed",
            json!({"redirect_uris": [CB], "client_id": "my-client", "client_secret": "s3cret-s3cret-s3cret-s3cret-s3cret-0",
            "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://app.example.com/jwks"}),
        ),
    ] {
        out.push(json_case(&format!("custom creds: {what}"), &custom_creds, plain(md)));
    }
    // FAPI profiles.
    for profile in ["fapi1-advanced", "fapi2", "fapi2-message-signing"] {
        let p = fapi(profile);
        for (what, over) in [
            ("happy", json!({})),
            ("method absent", json!({"token_endpoint_auth_method": null})),
            ("named, no alg", json!({"client_name": "FAPI client", "token_endpoint_auth_signing_alg": null})),
            (
                "tls_client_auth",
                json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "CN=client.example.com,O=Example,C=GB"}),
            ),
            ("bound false", json!({"tls_client_certificate_bound_access_tokens": false})),
        ] {
            out.push(json_case(&format!("{profile}: {what}"), &p, fapi_req(fapi_md(over))));
        }
    }
    // Software statements under oidc: precedence, claim_map, map_metadata_claims.
    let sp = ssa_policy(json!({}));
    for (what, md) in [
        ("statement wins", json!({"software_statement": generic_ssa(json!({})), "client_name": "Self Asserted", "redirect_uris": [CB]})),
        ("redirects from statement", json!({"software_statement": generic_ssa(json!({}))})),
        (
            "statement metadata",
            json!({"software_statement": generic_ssa(json!({"logo_uri": "https://app.example.com/logo.png",
            "tos_uri": "https://app.example.com/tos", "contacts": ["a@example.com"]})), "redirect_uris": [CB], "tos_uri": "https://app.example.com/t2"}),
        ),
    ] {
        out.push(json_case(&format!("ssa: {what}"), &sp, ssa_request(md)));
    }
    let mapped = ssa_policy(json!({"software_statement": {
        "required": true, "trusted_issuers": ["https://directory.example"], "signing_algs": ["PS256"], "max_age": 3600,
        "claim_map": {"my_name": "client_name", "my_uri": {"to": "client_uri", "mode": "equal", "fill_when_absent": true},
            "my_scope": {"to": "scope", "mode": "scope_subset", "fill_when_absent": true}}
    }, "unknown_fields": "drop", "defaults": {"logo_uri": "https://app.example.com/default.png"}}));
    for (what, md) in [
        (
            "claim map fills",
            json!({"software_statement": generic_ssa(json!({"my_name": "Mapped", "my_uri": "https://app.example.com",
            "my_scope": "openid accounts"})), "redirect_uris": [CB], "x_drop": true}),
        ),
        (
            "claim map agrees",
            json!({"software_statement": generic_ssa(json!({"my_name": "Mapped", "my_uri": "https://app.example.com",
            "my_scope": "openid accounts"})), "redirect_uris": [CB], "client_name": "Mine", "client_uri": "https://app.example.com", "scope": "openid"}),
        ),
    ] {
        out.push(json_case(&format!("ssa claim_map: {what}"), &mapped, ssa_request(md)));
    }
    // UK Open Banking: signed requests with an SSA (UKOB-META-14 flattening).
    let ob = ukob_policy();
    for (what, over) in [
        ("happy", json!({})),
        ("mobile alias", json!({"application_type": "mobile"})),
        ("response types absent", json!({"response_types": null})),
        ("redirects absent", json!({"redirect_uris": null})),
        ("extension claim", json!({"x_tpp_extra": "v"})),
        ("client id proposed", json!({"client_id": OB_SW})),
        ("name sent", json!({"client_name": "My Own Name", "software_id": OB_SW})),
        ("null and logo", json!({"tos_uri": null, "logo_uri": "https://tpp.example.com/logo.png"})),
        ("secret sent", json!({"client_secret": "s3cret", "client_secret_expires_at": 0})),
    ] {
        let claims = ukob_claims(over);
        out.push(signed_case(
            &format!("uk-openbanking: {what}"),
            &ob,
            ukob_signed_as("PS256", "software-rsa2048", "application/jwt", &claims),
            claims,
        ));
    }
    // AU CDR: signed requests with an SSA.
    let cdr = cdr_policy();
    for (what, over) in [
        ("happy", json!({})),
        ("unknown dropped", json!({"x_unsupported": "v"})),
        ("request object alg absent", json!({"request_object_signing_alg": null})),
        ("redirects absent", json!({"redirect_uris": null})),
        ("scope sent", json!({"scope": "openid bank:accounts.basic:read"})),
        ("both redirects", json!({"redirect_uris": [format!("{MOCK}/redirects/redirect1"), format!("{MOCK}/redirects/redirect2")]})),
    ] {
        let claims = cdr_claims(over);
        out.push(signed_case(&format!("au-cdr: {what}"), &cdr, cdr_signed("PS256", "software-rsa2048", &claims), claims));
    }
    // AUCDR-SSA-06: statement scopes the provider does not support are ignored (an `override` with a reason).
    let mut cdr_scopes = cdr_policy();
    cdr_scopes.capabilities.scopes_supported = Some(vec!["openid".into(), "profile".into(), "bank:accounts.basic:read".into()]);
    let claims = cdr_claims(json!({"scope": "openid"}));
    out.push(signed_case("au-cdr: unsupported statement scopes", &cdr_scopes, cdr_signed("PS256", "software-rsa2048", &claims), claims));
    // Open Finance Brasil: JSON with an SSA over mTLS.
    let br = br_policy();
    for (what, over) in [
        ("happy", json!({})),
        ("scope absent", json!({"scope": null})),
        ("jwks_uri absent", json!({"jwks_uri": null})),
        ("misspelt auth time", json!({"required_auth_time": true})),
        ("enc default", json!({"id_token_encrypted_response_alg": "RSA-OAEP"})),
    ] {
        out.push(json_case(&format!("br-openfinance: {what}"), &br, br_req(br_md(over))));
    }
    // ISVA stanzas, with policy members beside them.
    let isva_md = |over: Value| merge(json!({"redirect_uris": ["https://client.example.com/cb"], "client_name": "Example"}), over);
    let isva_plain = isva(json!({"registration_access_token": {"generate": true}}), json!({}));
    let isva_custom = isva(json!({"registration_endpoint_authentication": {"allow_custom_client_creds": true}}), json!({}));
    let isva_rich = isva(
        json!({"registration_access_token": {"generate": true}}),
        json!({"unknown_fields": "drop", "enforce": {"grant_types": ["authorization_code", "refresh_token"]},
            "defaults": {"client_uri": "https://client.example.com"}}),
    );
    for (name, p) in [("isva", &isva_plain), ("isva custom creds", &isva_custom), ("isva enforce/defaults/drop", &isva_rich)] {
        for (what, over) in [
            ("happy", json!({})),
            ("creds sent", json!({"client_id": "my-client", "client_secret": "s3cret-s3cret-s3cret-s3cret-s3cret-0"})),
            (
                "grants + extension",
                json!({"grant_types": ["authorization_code"], "x_ext": 1, "client_uri": "https://client.example.com/home"}),
            ),
        ] {
            out.push(json_case(&format!("{name}: {what}"), p, plain(isva_md(over))));
        }
    }
    out
}

// ---------------------------------------------------------------- registration

#[test]
fn rfc7591_meta_03_replaying_registration_changes_on_the_request_gives_the_client() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut seen = std::collections::BTreeSet::new();
    for case in cases() {
        let a = run(&case.req, &case.policy);
        let sent = sent_metadata(&case.req, case.claims.as_ref());
        if let RegistrationAnswer::Accepted { changes, .. } = &a {
            for c in changes {
                seen.insert(format!("{:?} {}", c.action, c.rule));
            }
        }
        let f = check_registration(&case.label, &sent, &case.policy, &a);
        checked += 1;
        failures.extend(f);
    }
    assert!(checked >= 80, "only {checked} registrations");
    // the scenarios exercise every kind of registration change
    for want in [
        "Removed RFC7591-META-04",
        "Removed RFC7591-OUT-07",
        "Removed AUCDR-META-12",
        "Removed RFC7591-META-02",
        "Removed RFC8705-AUTH-05",
        "Removed BROF-META-07",
        "Removed OIDCDCR-SECRET-01",
        "Overridden RFC7591-REDIRECT-05",
        "Overridden POLICY-ENFORCE",
        "Overridden UKOB-META-06",
        "Defaulted POLICY-DEFAULT",
        "Defaulted RFC7591-GRANT-01",
        "FromSoftwareStatement RFC7591-SS-07",
    ] {
        assert!(seen.contains(want), "no `{want}` change in {seen:#?}");
    }
    assert!(seen.iter().any(|s| s.starts_with("FromSoftwareStatement AUCDR")), "{seen:#?}");
    assert!(failures.is_empty(), "{} failures over {checked} registrations:\n{}", failures.len(), failures.join("\n"));
}

/// Edits an accepted answer's client, changes and response.
type Tamper = dyn Fn(&mut Map<String, Value>, &mut Vec<Change>, &mut Map<String, Value>);

/// The checker itself can fail: a silent change (a member edited, added or
/// dropped behind the change list's back) and a lying `from` are caught.
#[test]
fn rfc7591_meta_03_the_replay_check_catches_silent_changes() {
    let p = policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG}));
    let sent = obj(json!({"redirect_uris": [CB], "client_name": "App", "tos_uri": null}));
    let a = run(&plain(Value::Object(sent.clone())), &p);
    assert!(check_registration("clean", &sent, &p, &a).is_empty(), "{:?}", check_registration("clean", &sent, &p, &a));
    let tamper = |f: &Tamper| {
        let mut a = a.clone();
        let RegistrationAnswer::Accepted { client, changes, response, .. } = &mut a else { unreachable!() };
        f(client, changes, response);
        check_registration("tampered", &sent, &p, &a)
    };
    assert!(
        !tamper(&|c, _, _| {
            c.insert("client_name".into(), json!("Other"));
        })
        .is_empty()
    );
    assert!(
        !tamper(&|c, _, _| {
            c.insert("policy_uri".into(), json!("https://app.example.com/p"));
        })
        .is_empty()
    );
    assert!(
        !tamper(&|c, _, r| {
            c.shift_remove("client_name");
            r.shift_remove("client_name");
        })
        .is_empty()
    );
    assert!(
        !tamper(&|_, ch, _| {
            ch.retain(|c| c.path != "/grant_types");
        })
        .is_empty()
    );
    assert!(
        !tamper(&|_, ch, _| {
            ch.iter_mut().find(|c| c.path == "/tos_uri").unwrap().from = Some(json!("x"));
        })
        .is_empty()
    );
    assert!(
        !tamper(&|_, _, r| {
            r.insert("x_extra".into(), json!(1));
        })
        .is_empty()
    );
    // a credential the client sent and the server silently changed is caught too
    assert!(
        !tamper(&|c, _, _| {
            c.insert("client_id".into(), json!("issued"));
        })
        .is_empty()
    );
    let sent_with_id = {
        let mut s = sent.clone();
        s.insert("client_id".into(), json!("mine"));
        s
    };
    assert!(!check_registration("silent id", &sent_with_id, &p, &a).is_empty());
}

/// The documented exception: a signed request's token claims
/// (`REQUEST_JWT_CLAIMS`) are removed without a change, and nothing else is.
#[test]
fn request_jwt_envelope_claims_are_the_only_silent_drops() {
    let mut seen = 0;
    for case in cases().into_iter().filter(|c| c.claims.is_some()) {
        let claims = obj(case.claims.clone().unwrap());
        let a = run(&case.req, &case.policy);
        let failures = check_registration(&case.label, &claims, &case.policy, &a);
        let mut dropped: Vec<String> =
            failures.iter().map(|f| f.split('`').nth(1).unwrap_or("").to_owned()).filter(|m| !m.is_empty()).collect();
        dropped.sort();
        let mut expected: Vec<String> = REQUEST_JWT_CLAIMS.iter().filter(|c| claims.contains_key(**c)).map(|c| (*c).to_owned()).collect();
        expected.sort();
        assert_eq!(dropped, expected, "{}: {failures:#?}", case.label);
        let RegistrationAnswer::Accepted { request_jwt, client, .. } = &a else { unreachable!() };
        // the token is named in the answer instead (replay tracking by `jti`)
        let summary = request_jwt.as_ref().unwrap();
        assert_eq!(summary.jti.as_deref(), claims.get("jti").and_then(Value::as_str), "{}", case.label);
        assert!(REQUEST_JWT_CLAIMS.iter().all(|c| !client.contains_key(*c)), "{}", case.label);
        seen += 1;
    }
    assert!(seen >= 14, "{seen}");
}

// ---------------------------------------------------------------- management (RFC 7592 PUT)

/// Registers `req` under `p`; the stored record and the registration access token.
fn register(req: &RegistrationRequest, p: &Policy) -> (StoredClient, Option<String>) {
    match run(req, p) {
        RegistrationAnswer::Accepted { client, response, registration_access_token_hash, registration_access_token_expires_at, .. } => (
            StoredClient { client, registration_access_token_hash, registration_access_token_expires_at },
            response.get("registration_access_token").and_then(Value::as_str).map(str::to_owned),
        ),
        other => panic!("{}", show(&other)),
    }
}

/// A PUT of `reg`'s body, content type, context and key sets (JSON, or the
/// profile's signed request), `bearer`: authorized by a client-credentials token.
fn put(stored: &StoredClient, token: Option<&str>, reg: &RegistrationRequest, bearer: bool) -> ManagementRequest {
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    ManagementRequest {
        operation: Operation::Update,
        client_id: id.clone(),
        stored: Some(stored.clone()),
        registration_access_token: token.map(str::to_owned),
        body: Some(reg.body.clone()),
        content_type: reg.content_type.clone().or(Some("application/json".into())),
        context: Context {
            now: NOW + 60,
            bearer: bearer.then(|| BearerContext { valid: true, scopes: vec!["cdr:registration".into()], client_id: Some(id) }),
            ..reg.context.clone()
        },
        jwks: reg.jwks.clone(),
        sector_identifier: reg.sector_identifier.clone(),
    }
}

/// The management invariant on one update answer.
fn check_update(label: &str, stored: &StoredClient, sent: &Map<String, Value>, a: &ManagementAnswer) -> Vec<String> {
    let mut failures = Vec::new();
    let ManagementAnswer::Accepted { client: Some(client), response: Some(response), changes, .. } = a else {
        return vec![format!("{label}: expected an accepted update, got {}", brief(a))];
    };
    let all: Vec<&Change> = changes.iter().collect();
    // RFC7592-UPDATE-02/04: the stored client, replayed through every change, is the new one.
    let mut from_stored = stored.client.clone();
    replay(&mut from_stored, &all, false, &format!("{label} [stored]"), &mut failures);
    compare(&from_stored, client, &all, &format!("{label} [stored]"), &mut failures);
    // The update's own diff (`added` / `updated` / RFC7592-UPDATE-04 `removed`) starts from the stored values.
    let diff: Vec<&Change> = changes
        .iter()
        .filter(|c| matches!(c.action, ChangeAction::Added | ChangeAction::Updated) || c.rule == "RFC7592-UPDATE-04")
        .collect();
    let mut scratch = stored.client.clone();
    replay(&mut scratch, &diff, true, &format!("{label} [diff from]"), &mut failures);
    // The pipeline's changes (as on create) turn the PUT body into the new client.
    let pipeline: Vec<&Change> = changes.iter().filter(|c| !diff.iter().any(|d| std::ptr::eq(*d, *c))).collect();
    let mut from_body = sent.clone();
    replay(&mut from_body, &pipeline, true, &format!("{label} [body]"), &mut failures);
    compare_with(&from_body, client, &all, true, &format!("{label} [body]"), &mut failures);
    for (k, v) in client {
        if response.get(k) != Some(v) {
            failures.push(format!("{label}: response `{k}` is {:?}, the client's is {v}", response.get(k)));
        }
    }
    failures
}

fn mrun(req: &ManagementRequest, p: &Policy) -> ManagementAnswer {
    evaluate_management(req, p, &mut SeededRandom::new(23))
}

/// (label, policy, registration, PUT built from the stored client, claims when signed, bearer-authorized).
type Update = (String, Policy, RegistrationRequest, Box<dyn Fn(&StoredClient) -> (RegistrationRequest, Option<Value>)>, bool);

#[expect(clippy::too_many_lines, reason = "one table of scenarios")]
fn updates() -> Vec<Update> {
    let mut out: Vec<Update> = Vec::new();
    let id_of = |s: &StoredClient| s.client["client_id"].clone();
    let oidc = policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG}));
    let rich = json!({"redirect_uris": [CB], "client_name": "App", "logo_uri": "https://app.example.com/l.png",
        "tos_uri": "https://app.example.com/tos", "x_vendor": "v"});
    for (what, body) in [
        (
            "same again",
            json!({"redirect_uris": [CB], "client_name": "App", "logo_uri": "https://app.example.com/l.png",
            "tos_uri": "https://app.example.com/tos", "x_vendor": "v"}),
        ),
        ("members omitted", json!({"redirect_uris": [CB]})),
        (
            "null and changed",
            json!({"redirect_uris": [CB, "https://app.example.com/cb2"], "client_name": "App 2", "logo_uri": null,
            "policy_uri": "https://app.example.com/p"}),
        ),
        (
            "method to private_key_jwt",
            json!({"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt",
            "jwks_uri": "https://app.example.com/jwks"}),
        ),
        ("secret echoed", json!({"redirect_uris": [CB], "client_secret": "__SECRET__"})),
        ("grants changed", json!({"redirect_uris": [CB], "grant_types": ["authorization_code", "refresh_token"]})),
    ] {
        out.push((
            format!("oidc PUT: {what}"),
            oidc.clone(),
            plain(rich.clone()),
            Box::new(move |s: &StoredClient| {
                let mut b = merge(body.clone(), json!({"client_id": id_of(s)}));
                if b.get("client_secret") == Some(&json!("__SECRET__")) {
                    b["client_secret"] = s.client["client_secret"].clone();
                }
                (plain(b), None)
            }),
            false,
        ));
    }
    // From a public/private_key_jwt client to one that needs a secret (RFC7592-UPDATE-09).
    let pkj = json!({"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://app.example.com/jwks"});
    out.push((
        "oidc PUT: secret now needed".into(),
        oidc.clone(),
        plain(pkj),
        Box::new(move |s: &StoredClient| (plain(json!({"client_id": id_of(s), "redirect_uris": [CB]})), None)),
        false,
    ));
    // Policies that rotate, enforce, default and drop.
    let custom = policy(json!({
        "profile": "oidc", "issuer": AS, "registration_endpoint": REG, "unknown_fields": "drop",
        "enforce": {"require_pushed_authorization_requests": true}, "defaults": {"client_name": "Unnamed"},
        "client_secret": {"rotate_on_update": true}, "registration_access_token": {"rotate_on_update": true}
    }));
    out.push((
        "custom PUT: rotate, enforce, default, drop".into(),
        custom,
        plain(json!({"redirect_uris": [CB], "client_name": "Mine"})),
        Box::new(move |s: &StoredClient| {
            (
                plain(
                    json!({"client_id": id_of(s), "redirect_uris": [CB], "x_dropped": 1, "require_pushed_authorization_requests": false}),
                ),
                None,
            )
        }),
        false,
    ));
    let allow = policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG, "client_secret": {"allow_update": true}}));
    out.push((
        "oidc PUT: client sets a new secret".into(),
        allow,
        plain(json!({"redirect_uris": [CB]})),
        Box::new(move |s: &StoredClient| {
            (
                plain(json!({"client_id": id_of(s), "redirect_uris": [CB], "client_secret": "a-new-secret-a-new-secret-a-new-secret-00"})),
                None,
            )
        }),
        false,
    ));
    // FAPI.
    for profile in ["fapi1-advanced", "fapi2"] {
        out.push((
            format!("{profile} PUT: name added, alg dropped"),
            fapi(profile),
            fapi_req(fapi_md(json!({}))),
            Box::new(move |s: &StoredClient| {
                (fapi_req(fapi_md(json!({"client_id": id_of(s), "client_name": "Renamed", "token_endpoint_auth_signing_alg": null}))), None)
            }),
            false,
        ));
    }
    // Open Finance Brasil: JSON + SSA.
    out.push((
        "br-openfinance PUT: redirects and scope".into(),
        br_policy(),
        br_req(br_md(json!({}))),
        Box::new(move |s: &StoredClient| {
            (br_req(br_md(json!({"client_id": id_of(s), "redirect_uris": ["https://app.exemplo.com.br/cb2"], "scope": null}))), None)
        }),
        false,
    ));
    // UK Open Banking: signed PUT with a fresh SSA, bearer-authorized (UKOB-MGMT-*).
    out.push((
        "uk-openbanking PUT: signed, redirects changed".into(),
        ukob_policy(),
        ukob_signed_as("PS256", "software-rsa2048", "application/jwt", &ukob_claims(json!({}))),
        Box::new(move |s: &StoredClient| {
            let claims = ukob_claims(json!({"client_id": id_of(s), "redirect_uris": ["https://tpp.example.com/cb2"], "iat": NOW + 55,
                "exp": NOW + 300, "software_statement": ukob_ssa(json!({"iat": NOW})), "application_type": "mobile"}));
            (ukob_signed_as("PS256", "software-rsa2048", "application/jwt", &claims), Some(claims))
        }),
        true,
    ));
    // AU CDR: signed PUT.
    out.push((
        "au-cdr PUT: signed, unknown dropped".into(),
        cdr_policy(),
        cdr_signed("PS256", "software-rsa2048", &cdr_claims(json!({}))),
        Box::new(move |_s: &StoredClient| {
            let claims = cdr_claims(json!({"iat": NOW + 55, "exp": NOW + 300, "x_unsupported": 1, "request_object_signing_alg": null}));
            (cdr_signed("PS256", "software-rsa2048", &claims), Some(claims))
        }),
        true,
    ));
    // AU CDR: the CDR tooling's PUT names the software id as `client_id` (a proposal, ignored).
    out.push((
        "au-cdr PUT: client_id claim is the software id".into(),
        cdr_policy(),
        cdr_signed("PS256", "software-rsa2048", &cdr_claims(json!({}))),
        Box::new(move |_s: &StoredClient| {
            let claims = cdr_claims(json!({"iat": NOW + 55, "exp": NOW + 300, "client_id": common::ecosystems::SW}));
            (cdr_signed("PS256", "software-rsa2048", &claims), Some(claims))
        }),
        true,
    ));
    // ISVA with a registration access token.
    let isva_p =
        isva(json!({"registration_access_token": {"generate": true}}), json!({"defaults": {"client_uri": "https://client.example.com"}}));
    out.push((
        "isva PUT: omitted and defaulted".into(),
        isva_p,
        plain(json!({"redirect_uris": ["https://client.example.com/cb"], "client_name": "Example", "client_uri": "https://client.example.com/x"})),
        Box::new(move |s: &StoredClient| (plain(json!({"client_id": id_of(s), "redirect_uris": ["https://client.example.com/cb"]})), None)),
        false,
    ));
    out
}

#[test]
fn rfc7592_update_04_replaying_update_changes_on_the_stored_client_gives_the_new_client() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (label, p, reg, make_put, bearer) in updates() {
        let (stored, token) = register(&reg, &p);
        let (body, claims) = make_put(&stored);
        let sent = sent_metadata(&body, claims.as_ref());
        let a = mrun(&put(&stored, token.as_deref(), &body, bearer), &p);
        failures.extend(check_update(&label, &stored, &sent, &a));
        checked += 1;
    }
    assert!(checked >= 14, "{checked}");
    assert!(failures.is_empty(), "{} failures over {checked} updates:\n{}", failures.len(), failures.join("\n"));
}

/// RFC 7592 §2.2: every member of the stored client a PUT omits is removed
/// and said so (`removed`, RFC7592-UPDATE-04), server-managed members aside.
#[test]
fn rfc7592_update_04_every_omitted_member_has_a_removed_change() {
    let p = policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG}));
    let (stored, token) = register(
        &plain(
            json!({"redirect_uris": [CB], "client_name": "App", "logo_uri": "https://app.example.com/l.png", "contacts": ["a@example.com"],
            "x_vendor": [1, 2]}),
        ),
        &p,
    );
    let id = stored.client["client_id"].clone();
    let a = mrun(&put(&stored, token.as_deref(), &plain(json!({"client_id": id, "redirect_uris": [CB]})), false), &p);
    let ManagementAnswer::Accepted { client: Some(client), changes, .. } = &a else { panic!("{}", show(&a)) };
    for k in stored.client.keys().filter(|k| !client.contains_key(*k) && !SERVER_MANAGED.contains(&k.as_str())) {
        assert!(changes.iter().any(|c| c.path == format!("/{k}") && c.action == ChangeAction::Removed), "{k}: {changes:#?}");
    }
    for k in ["client_name", "logo_uri", "contacts", "x_vendor"] {
        assert!(!client.contains_key(k), "{k}");
    }
}

/// RFC7592-UPDATE-09: a secret the new configuration no longer needs is
/// withdrawn, and the answer says so (the value is never shown, RFC7592-RAT-05).
#[test]
fn rfc7592_update_09_a_withdrawn_secret_is_a_recorded_removal() {
    let p = policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG}));
    let (stored, token) = register(&plain(json!({"redirect_uris": [CB]})), &p);
    let secret = stored.client["client_secret"].as_str().unwrap().to_owned();
    let id = stored.client["client_id"].clone();
    let body = json!({"client_id": id, "redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://app.example.com/jwks"});
    let a = mrun(&put(&stored, token.as_deref(), &plain(body), false), &p);
    let ManagementAnswer::Accepted { client: Some(client), response: Some(response), changes, .. } = &a else { panic!("{}", show(&a)) };
    assert!(!client.contains_key("client_secret") && !response.contains_key("client_secret"));
    assert!(!client.contains_key("client_secret_expires_at"));
    let c = changes.iter().find(|c| c.path == "/client_secret").unwrap_or_else(|| panic!("{changes:#?}"));
    assert_eq!((c.action, c.rule.as_str(), c.to.as_ref()), (ChangeAction::Removed, "RFC7592-UPDATE-09", None));
    assert!(!show(&a).contains(&secret), "the withdrawn secret is never shown");
    // and a PUT that keeps a secret-based method records nothing about it
    let body = json!({"client_id": stored.client["client_id"], "redirect_uris": [CB]});
    let a = mrun(&put(&stored, token.as_deref(), &plain(body), false), &p);
    let ManagementAnswer::Accepted { changes, .. } = &a else { panic!("{}", show(&a)) };
    assert!(changes.iter().all(|c| c.path != "/client_secret"), "{changes:#?}");
}

/// RFC7591-OUT-07 / ISVA-AUTH-04: under `allow_custom_client_creds`, a
/// client-chosen secret the configuration does not need is dropped, and said so.
#[test]
fn isva_auth_04_an_unneeded_custom_secret_is_a_recorded_removal() {
    let p = policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG, "endpoint": {"allow_custom_client_creds": true}}));
    let secret = "s3cret-s3cret-s3cret-s3cret-s3cret-0";
    let md = json!({"redirect_uris": [CB], "client_id": "my-client", "client_secret": secret,
        "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://app.example.com/jwks"});
    let a = run(&plain(md), &p);
    let RegistrationAnswer::Accepted { client, changes, .. } = &a else { panic!("{}", show(&a)) };
    assert_eq!(client["client_id"], json!("my-client"));
    assert!(!client.contains_key("client_secret"));
    let c = changes.iter().find(|c| c.path == "/client_secret").unwrap_or_else(|| panic!("{changes:#?}"));
    assert_eq!(c.action, ChangeAction::Removed);
    assert!(!show(&a).contains(secret), "RFC7592-RAT-05: never echoed");
    // needed, it is kept without a change
    let md = json!({"redirect_uris": [CB], "client_id": "my-client", "client_secret": secret});
    let a = run(&plain(md), &p);
    let RegistrationAnswer::Accepted { client, changes, .. } = &a else { panic!("{}", show(&a)) };
    assert_eq!(client["client_secret"], json!(secret));
    assert!(changes.iter().all(|c| c.path != "/client_secret"));
}
