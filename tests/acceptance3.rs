//! Third acceptance audit: the OIDF `oidcc-dynamic-certification-test-plan`
//! registration modules for plain OIDC (`oidcc-registration-*`,
//! `oidcc-idtoken-*`, `oidcc-redirect-uri-*`, `oidcc-request-uri-*`), the
//! FAPI2 Brazil DCR modules the first two audits did not replay (invalid
//! jwks_uri, happy-flow variants, update-client-config with the registration
//! response as the PUT body, bad jwks_uri on update, bad mTLS on management),
//! peer CVEs on client registration (SSRF via fetched URIs, script schemes in
//! browser-facing URIs, client-chosen secrets, registration access token
//! reuse after rotation) and RFC 7592 edge cases, through
//! `evaluate_registration` and `evaluate_management`.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic, clippy::unreachable)]

mod common;

use common::answers::{accepted, refused_at, rejected};
use common::ecosystems::{BR_ISS, BR_ORG, BR_SW, br_dn, br_jwks_uri, br_mrun, br_policy};
use common::fixtures::{AS, CB, NOW, REG, ctx, md, merge, oidc, policy, show};

use dcr_policy::host::{BearerContext, Context, FetchedDocument, SeededRandom, TlsContext};
use dcr_policy::management::{HostAction, ManagementAnswer, ManagementRequest, Operation, StoredClient, evaluate_management};
use dcr_policy::policy::Policy;
use dcr_policy::registration::{RegistrationAnswer, RegistrationRequest, SuppliedJwks, evaluate_registration};
use dcr_policy::{ChangeAction, ErrorCode};
use serde_json::{Map, Value, json};

/// The suite's callback (`CreateRedirectUri`: base URL + `/callback`).
const SUITE_CB: &str = "https://www.certification.openid.net/test/a/dcr-policy/callback";
const SUITE: &str = "https://www.certification.openid.net/test/a/dcr-policy";

// ---------------------------------------------------------------- helpers

fn run(req: &RegistrationRequest, p: &Policy) -> RegistrationAnswer {
    common::answers::run_checked(req, p, 13)
}

// ---------------------------------------------------------------- OIDF oidcc-dynamic-certification-test-plan

/// `OIDCCCreateDynamicClientRegistrationRequest` for the plan's fixed variant
/// (client_auth_type=private_key_jwt, dynamic_client): client_name, the grant
/// types the response type needs, jwks by value (RS256 key), private_key_jwt,
/// response_types, redirect_uris and contacts.
fn suite_md(response_type: &str, over: Value) -> Value {
    let mut grants = Vec::new();
    if response_type.split(' ').any(|t| t == "code") {
        grants.push("authorization_code");
    }
    if response_type.split(' ').any(|t| t == "id_token" || t == "token") {
        grants.push("implicit");
    }
    merge(
        json!({
            "client_name": "oidf-conformance-suite dcr-policy 8Xq2",
            "grant_types": grants,
            "jwks": common::jwks_value(&["software-rsa2048"]),
            "token_endpoint_auth_method": "private_key_jwt",
            "response_types": [response_type],
            "redirect_uris": [SUITE_CB],
            "contacts": ["certification@oidf.org"]
        }),
        over,
    )
}

fn suite(response_type: &str, over: Value) -> RegistrationAnswer {
    run(&md(suite_md(response_type, over)), &oidc())
}

/// oidcc-server (OP-Registration-Endpoint / OP-Registration-Dynamic /
/// OP-Registration-jwks) for every response type the dynamic plan offers.
#[test]
fn oidcc_server_dynamic_registration_for_every_response_type() {
    for rt in ["code", "id_token", "id_token token", "code id_token", "code token", "code id_token token"] {
        let a = suite(rt, json!({}));
        let (client, response, _) = accepted(&a);
        assert!(response["client_id"].as_str().is_some_and(|s| !s.is_empty()), "{rt}");
        assert_eq!(response["redirect_uris"], json!([SUITE_CB]), "{rt}");
        assert_eq!(response["response_types"], json!([rt]), "{rt}");
        assert_eq!(response["contacts"], json!(["certification@oidf.org"]), "{rt}");
        assert_eq!(response["jwks"], common::jwks_value(&["software-rsa2048"]), "{rt}");
        // OIDCDCR-SECRET-01: private_key_jwt with RS256 id tokens needs no secret.
        assert!(!client.contains_key("client_secret") && !response.contains_key("client_secret"), "{rt}");
        assert!(response.contains_key("registration_access_token") && response.contains_key("registration_client_uri"));
    }
}

/// oidcc-idtoken-rs256 and oidcc-userinfo-rs256: the requested algorithms are
/// registered as sent.
#[test]
fn oidcc_idtoken_rs256_and_userinfo_rs256_are_registered() {
    let a = suite("code", json!({"id_token_signed_response_alg": "RS256", "userinfo_signed_response_alg": "RS256"}));
    let (_, r, _) = accepted(&a);
    assert_eq!(r["id_token_signed_response_alg"], json!("RS256"));
    assert_eq!(r["userinfo_signed_response_alg"], json!("RS256"));
}

/// oidcc-idtoken-unsigned (code flow only): `none` is registrable when no ID
/// token comes through the front channel (OIDCDCR-IDTOK-02).
#[test]
fn oidcc_idtoken_unsigned_none_for_the_code_flow() {
    let a = suite("code", json!({"id_token_signed_response_alg": "none"}));
    assert_eq!(accepted(&a).1["id_token_signed_response_alg"], json!("none"));
    // and refused where the module does not apply (front-channel ID token)
    let a = suite("code id_token", json!({"id_token_signed_response_alg": "none"}));
    refused_at(&a, ErrorCode::InvalidClientMetadata, "/id_token_signed_response_alg");
}

/// oidcc-ensure-redirect-uri-in-authorization-request registers two redirect
/// URIs; oidcc-redirect-uri-query-OK one with a query (`?bar=foo`), which must
/// be kept byte for byte (OIDCDCR-STRING-01, RFC 6749 §3.1.2 allows a query).
#[test]
fn oidcc_redirect_uri_query_ok_and_two_redirect_uris() {
    let two = [SUITE_CB.to_owned(), format!("{SUITE}/callback2")];
    let a = suite("code", json!({ "redirect_uris": two }));
    assert_eq!(accepted(&a).1["redirect_uris"], json!(two));
    let q = format!("{SUITE_CB}?bar=foo");
    let a = suite("code", json!({ "redirect_uris": [q] }));
    assert_eq!(accepted(&a).1["redirect_uris"], json!([q]));
}

/// oidcc-redirect-uri-regfrag: `AddFragmentToRedirectUri` → 400 with
/// invalid_redirect_uri or invalid_client_metadata (RFC7591-REDIRECT-03).
#[test]
fn oidcc_redirect_uri_regfrag_is_refused() {
    let a = suite("code", json!({ "redirect_uris": [format!("{SUITE_CB}#foobar")] }));
    refused_at(&a, ErrorCode::InvalidRedirectUri, "/redirect_uris/0");
}

/// oidcc-registration-logo-uri / -policy-uri / -tos-uri: the URIs are
/// registered and returned (the module then screenshots the login page).
#[test]
fn oidcc_registration_logo_policy_and_tos_uri() {
    for (field, value) in
        [("logo_uri", format!("{SUITE}/logo.png")), ("policy_uri", format!("{SUITE}/policy")), ("tos_uri", format!("{SUITE}/tos"))]
    {
        let a = suite("code", json!({ field: value }));
        assert_eq!(accepted(&a).1[field], json!(value), "{field}");
    }
}

/// oidcc-registration-jwks-uri (and oidcc-refresh-token-rp-key-rotation):
/// keys by reference instead of by value.
#[test]
fn oidcc_registration_jwks_uri() {
    let uri = format!("{SUITE}/client1_jwks");
    let a = suite("code", json!({"jwks": null, "jwks_uri": uri, "grant_types": ["authorization_code", "refresh_token"]}));
    let (_, r, _) = accepted(&a);
    assert_eq!(r["jwks_uri"], json!(uri));
    assert!(!r.contains_key("jwks"));
}

fn sector_req(listing: &[&str]) -> RegistrationRequest {
    let sector = format!("{SUITE}/redirect_uris.json");
    RegistrationRequest {
        sector_identifier: Some(FetchedDocument { uri: sector.clone(), body: Some(serde_json::to_string(listing).unwrap()) }),
        ..md(suite_md("code", json!({"subject_type": "pairwise", "sector_identifier_uri": sector})))
    }
}

/// oidcc-registration-sector-uri (document lists the redirect URI → 201) and
/// oidcc-registration-sector-bad (`CreateInvalidSectorRedirectUris`:
/// `["https://example.com/op"]` → 400 invalid_client_metadata, OIDCDCR-SECTOR-02).
#[test]
fn oidcc_registration_sector_uri_good_and_bad() {
    let a = run(&sector_req(&[SUITE_CB]), &oidc());
    assert_eq!(accepted(&a).1["subject_type"], json!("pairwise"));
    let a = run(&sector_req(&["https://example.com/op"]), &oidc());
    let (status, error, found) = rejected(&a);
    assert_eq!(
        (status, error),
        (400, ErrorCode::InvalidClientMetadata),
        "CheckErrorFromDynamicRegistrationEndpointIsInvalidClientMetadata"
    );
    assert!(found.contains(&("OIDCDCR-SECTOR-02".to_owned(), "/redirect_uris/0".to_owned())), "{found:?}");
}

/// oidcc-request-uri-unsigned / -signed-rs256 (`CreateRandomRequestUri`):
/// `request_uris` holds the suite's https URL with a 96-character random path.
#[test]
fn oidcc_request_uri_registration() {
    let uri = format!("{SUITE}/requesturi/{}", "aB3".repeat(32));
    let a = suite("code", json!({ "request_uris": [uri] }));
    assert_eq!(accepted(&a).1["request_uris"], json!([uri]));
}

// ---------------------------------------------------------------- FAPI2 Brazil DCR modules

const BR_CB: &str = "https://app.exemplo.com.br/cb";
const BR_CB2: &str = "https://app.exemplo.com.br/cb?dummy1=lorem&dummy2=ipsum";

fn br_ssa(jti: &str) -> String {
    let claims = json!({
        "iss": BR_ISS, "iat": NOW - 20, "jti": jti,
        "software_id": BR_SW, "org_id": BR_ORG, "org_name": "Banco Exemplo", "software_client_name": "Exemplo App",
        "software_redirect_uris": [BR_CB, BR_CB2],
        "software_jwks_uri": br_jwks_uri(),
        "software_statement_roles": [{"role": "DADOS", "authorisation_domain": "Open Banking", "status": "Active"}]
    });
    common::sign(
        "PS256",
        &common::private_jwk("directory-rsa2048"),
        &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}),
        &claims,
    )
}

fn br_tls() -> Option<TlsContext> {
    Some(TlsContext { subject_dn: Some(br_dn()), thumbprint_s256: Some("x5t".into()), ..TlsContext::default() })
}

fn br_md(over: Value) -> Value {
    merge(
        json!({
            "software_statement": br_ssa("br-ssa-1"),
            "redirect_uris": [BR_CB],
            "grant_types": ["authorization_code", "client_credentials", "refresh_token"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "private_key_jwt",
            "jwks_uri": br_jwks_uri(),
            "scope": "openid accounts consents resources"
        }),
        over,
    )
}

fn br_jwks() -> SuppliedJwks {
    SuppliedJwks { software_statement: Some(common::jwks_value(&["directory-rsa2048"])), software: None }
}

fn br(over: Value) -> RegistrationAnswer {
    let req = RegistrationRequest {
        body: br_md(over).to_string(),
        content_type: Some("application/json".into()),
        context: Context { tls: br_tls(), ..ctx() },
        jwks: br_jwks(),
        sector_identifier: None,
    };
    run(&req, &br_policy())
}

/// fapi2-baseline-id2-brazil-dcr-invalid-jwks-uri (`CreateJwksUri`: a jwks_uri
/// hosted by the test suite, not the directory) → 400 invalid_client_metadata
/// (BROF-JWKS-02).
#[test]
fn brazildcr_invalid_jwks_uri_is_refused() {
    let a = br(json!({"jwks_uri": format!("{SUITE}/client1_jwks")}));
    let found = refused_at(&a, ErrorCode::InvalidClientMetadata, "/jwks_uri");
    assert!(found.iter().any(|(r, _)| r == "BROF-JWKS-02"), "{found:?}");
}

/// fapi2-baseline-id2-brazildcr-happy-flow-variant (grant types reordered,
/// `scope` sent) and -variant-2 (scope members reversed):
/// `CheckScopesFromDynamicRegistrationEndpointDoNotExceedRequestedScopes`.
#[test]
fn brazildcr_happy_flow_variants_scope_does_not_exceed_the_request() {
    for (grants, scope) in [
        (json!(["refresh_token", "client_credentials", "authorization_code"]), "openid accounts consents resources"),
        (json!(["authorization_code", "client_credentials", "refresh_token"]), "resources consents accounts openid"),
    ] {
        let a = br(json!({"grant_types": grants, "scope": scope}));
        let (_, r, _) = accepted(&a);
        let requested: Vec<&str> = scope.split(' ').collect();
        let granted = r["scope"].as_str().unwrap();
        assert!(granted.split(' ').all(|s| requested.contains(&s)), "{granted:?} exceeds {scope:?}");
        let mut g: Vec<&str> = r["grant_types"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        g.sort_unstable();
        assert_eq!(g, ["authorization_code", "client_credentials", "refresh_token"]);
    }
}

fn br_register() -> (StoredClient, String, Map<String, Value>) {
    match br(json!({})) {
        RegistrationAnswer::Accepted { client, response, registration_access_token_hash, registration_access_token_expires_at, .. } => (
            StoredClient { client, registration_access_token_hash, registration_access_token_expires_at },
            response["registration_access_token"].as_str().unwrap().to_owned(),
            response,
        ),
        other => panic!("{}", show(&other)),
    }
}

fn br_mcall(op: Operation, stored: &StoredClient, token: &str, body: Option<Value>, tls: Option<TlsContext>) -> ManagementRequest {
    ManagementRequest {
        operation: op,
        client_id: stored.client["client_id"].as_str().unwrap().to_owned(),
        stored: Some(stored.clone()),
        registration_access_token: Some(token.to_owned()),
        body: body.map(|b| b.to_string()),
        content_type: Some("application/json".into()),
        context: Context { now: NOW + 10, tls, ..ctx() },
        jwks: br_jwks(),
        sector_identifier: None,
    }
}

#[track_caller]
fn mrejected(a: &ManagementAnswer) -> (u16, ErrorCode, Vec<(String, String)>) {
    match a {
        ManagementAnswer::Rejected { status, error, violations, response, .. } => {
            assert!(!response.contains_key("client_id"), "CheckNoClientIdFromClientConfigurationEndpoint");
            (*status, *error, violations.iter().filter(|v| v.is_error()).map(|v| (v.rule.clone(), v.path.clone())).collect())
        }
        other => panic!("expected rejection, got {}", show(other)),
    }
}

/// `CreateClientConfigurationRequestFromDynamicClientRegistrationResponse`:
/// the registration response without the four RFC 7592 §2.2 members.
fn put_body_from(response: &Map<String, Value>) -> Map<String, Value> {
    let mut body = response.clone();
    for f in ["registration_access_token", "registration_client_uri", "client_secret_expires_at", "client_id_issued_at"] {
        body.remove(f);
    }
    body
}

/// fapi2-baseline-id2-brazildcr-update-client-config: the PUT body is the
/// registration response (minus the four §2.2 members) with a fresh SSA and a
/// second redirect URI from the statement → 200 echoing client_id, the new
/// redirect_uris, registration_client_uri and registration_access_token. Then
/// PUT with a bad access token → 401, without an SSA → 400, with an SSA whose
/// signature is broken → 400 (RFC7592-UPDATE-10, BROF-SSA-01).
#[test]
fn brazildcr_update_client_config_put_of_the_registration_response() {
    let (stored, token, response) = br_register();
    let mut body = put_body_from(&response);
    body.insert("software_statement".into(), json!(br_ssa("br-ssa-2")));
    body.insert("redirect_uris".into(), json!([BR_CB2]));
    let body = Value::Object(body);
    let updated = match br_mrun(&br_mcall(Operation::Update, &stored, &token, Some(body.clone()), br_tls())) {
        ManagementAnswer::Accepted { status: 200, response: Some(r), client: Some(c), registration_access_token_hash, .. } => {
            assert_eq!(r["client_id"], stored.client["client_id"], "CheckClientIdFromClientConfigurationEndpoint");
            assert_eq!(r["redirect_uris"], json!([BR_CB2]), "CheckRedirectUrisFromClientConfigurationEndpoint");
            assert!(r["registration_client_uri"].as_str().is_some_and(|u| u.starts_with("https://")));
            assert!(r["registration_access_token"].as_str().is_some_and(|t| !t.is_empty()));
            StoredClient {
                client: c,
                registration_access_token_hash: registration_access_token_hash.or(stored.registration_access_token_hash.clone()),
                registration_access_token_expires_at: None,
            }
        }
        other => panic!("{}", show(&other)),
    };
    // negative PUTs trying to change the redirect URI back
    let mut back = body.clone();
    back["redirect_uris"] = json!([BR_CB]);
    let (status, error, _) = mrejected(&br_mrun(&br_mcall(
        Operation::Update,
        &updated,
        "ivegotthisterriblepaininallthediodesdownmyleftside",
        Some(back.clone()),
        br_tls(),
    )));
    assert_eq!((status, error), (401, ErrorCode::InvalidToken));
    let no_ssa = merge(back.clone(), json!({"software_statement": null}));
    let (status, _, _) = mrejected(&br_mrun(&br_mcall(Operation::Update, &updated, &token, Some(no_ssa), br_tls())));
    assert_eq!(status, 400, "updateClientConfigWithNoSsa");
    // InvalidateSoftwareStatementSignature: a real SSA with signature bits flipped
    let bad_sig = {
        let ssa = br_ssa("br-ssa-3");
        let (head, sig) = ssa.rsplit_once('.').unwrap();
        let mut sig = sig.as_bytes().to_vec();
        sig[5] = if sig[5] == b'A' { b'B' } else { b'A' };
        merge(back, json!({"software_statement": format!("{head}.{}", String::from_utf8(sig).unwrap())}))
    };
    let (status, error, _) = mrejected(&br_mrun(&br_mcall(Operation::Update, &updated, &token, Some(bad_sig), br_tls())));
    assert_eq!((status, error), (400, ErrorCode::InvalidSoftwareStatement), "updateClientConfigWithInvalidSsa");
}

/// fapi2-baseline-id2-brazildcr-update-client-config-bad-jwks-uri: a PUT (with
/// a fresh SSA) moving jwks_uri off the directory → 400 invalid_client_metadata.
#[test]
fn brazildcr_update_client_config_bad_jwks_uri() {
    let (stored, token, response) = br_register();
    let mut body = put_body_from(&response);
    body.insert("software_statement".into(), json!(br_ssa("br-ssa-2")));
    body.insert("jwks_uri".into(), json!(format!("{SUITE}/client1_jwks")));
    let (status, error, found) = mrejected(&br_mrun(&br_mcall(Operation::Update, &stored, &token, Some(Value::Object(body)), br_tls())));
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "{found:?}");
    assert!(found.iter().any(|(r, p)| r == "BROF-JWKS-02" && p == "/jwks_uri"), "{found:?}");
}

/// fapi2-baseline-id2-brazil-dcr-bad-mtls / -no-mtls: the client configuration
/// endpoint GET, PUT and DELETE without a client certificate are refused
/// (BROF-MTLS-01 covers DCM as well as DCR; BROF-MGMT-01) with 400 or 401.
#[test]
fn brazildcr_no_mtls_on_the_client_configuration_endpoint() {
    let (stored, token, response) = br_register();
    let mut body = put_body_from(&response);
    body.insert("software_statement".into(), json!(br_ssa("br-ssa-2")));
    for (op, b) in [(Operation::Read, None), (Operation::Update, Some(Value::Object(body))), (Operation::Delete, None)] {
        let (status, _, _) = mrejected(&br_mrun(&br_mcall(op, &stored, &token, b, None)));
        assert!(status == 400 || status == 401, "{op:?}: EnsureHttpStatusCodeIs400or401, got {status}");
    }
}

// ---------------------------------------------------------------- peer CVEs on client registration

/// CVE-2026-1180 (Keycloak: blind SSRF via a registered jwks_uri fetched for
/// private_key_jwt), keycloak#51219 (jwks_uri accepted with any scheme),
/// CVE-2021-26715 (MITREid: logo_uri fetched by the server), jans#14540
/// (sector_identifier_uri fetched without host checks): every URI the server
/// or host dereferences must be https with a public host (DCR-SSRF-01,
/// OIDCDCR-SECTOR-01, OIDCDCR-REQURIS-01).
#[test]
fn cve_2026_1180_and_peers_fetched_uris_to_internal_hosts_or_other_schemes_are_refused() {
    let internal = [
        "https://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "https://metadata.google.internal/computeMetadata/v1/",
        "https://localhost:8443/admin",
        "https://[::1]/jwks",
        "https://10.0.0.7/jwks",
        "http://client.example.org/jwks",
        "file:///etc/passwd",
        "data:application/json,{\"keys\":[]}",
        "gopher://client.example.org:6379/_FLUSHALL",
    ];
    let mut wrong = Vec::new();
    for uri in internal {
        for (field, value) in
            [("jwks_uri", json!(uri)), ("sector_identifier_uri", json!(uri)), ("request_uris", json!([uri])), ("logo_uri", json!(uri))]
        {
            if field == "logo_uri" && uri.starts_with("http://") {
                continue; // RFC7591-URI-01: a logo may be served over http (not fetched by the provider then)
            }
            let mut over = json!({ field: value });
            if field == "jwks_uri" {
                over["jwks"] = Value::Null;
            }
            let a = suite("code", over);
            let path = if field == "request_uris" { "/request_uris/0".to_owned() } else { format!("/{field}") };
            match &a {
                RegistrationAnswer::Rejected { status: 400, error: ErrorCode::InvalidClientMetadata, violations, .. }
                    if violations.iter().any(|v| v.is_error() && v.path == path) => {}
                other => wrong.push(format!("{field} {uri}: {}", show(other).lines().take(3).collect::<String>())),
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// The server POSTs logout tokens to backchannel_logout_uri and (CIBA ping)
/// notifications to backchannel_client_notification_endpoint: the same SSRF
/// surface as a fetched URI (LOGOUT-*, CIBA-*, DCR-SSRF-01).
#[test]
fn dcr_ssrf_01_server_push_endpoints_to_internal_hosts_are_refused() {
    for uri in ["https://169.254.169.254/logout", "https://127.0.0.1/logout", "https://localhost/logout"] {
        let a = suite("code", json!({"backchannel_logout_uri": uri}));
        refused_at(&a, ErrorCode::InvalidClientMetadata, "/backchannel_logout_uri");
    }
    let ok = suite("code", json!({"backchannel_logout_uri": "https://app.example.com/logout"}));
    accepted(&ok);
}

/// Stored XSS through browser-facing client URIs (the Keycloak client URL
/// and redirect advisories; RFC 7591 §5 "javascript:" warning): script
/// schemes are refused in every URI a consent, login or logout page renders
/// or navigates to (RFC7591-REDIRECT-04, RFC7591-URI-*, LOGOUT-*).
#[test]
fn rfc7591_redirect_04_script_schemes_in_browser_facing_uris() {
    for uri in ["javascript:alert(document.domain)", "JaVaScRiPt://%0aalert(1)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)"]
    {
        for (field, value, path) in [
            ("client_uri", json!(uri), "/client_uri"),
            ("policy_uri", json!(uri), "/policy_uri"),
            ("tos_uri", json!(uri), "/tos_uri"),
            ("logo_uri", json!(uri), "/logo_uri"),
            ("initiate_login_uri", json!(uri), "/initiate_login_uri"),
            ("frontchannel_logout_uri", json!(uri), "/frontchannel_logout_uri"),
            ("post_logout_redirect_uris", json!([uri]), "/post_logout_redirect_uris/0"),
        ] {
            let a = suite("code", json!({ field: value }));
            let (status, _, found) = rejected(&a);
            assert_eq!(status, 400, "{field} {uri}");
            assert!(found.iter().any(|(_, p)| p == path), "{field} {uri}: {found:?}");
        }
    }
}

/// Case tricks (fosite / Hydra redirect advisories): the scheme is
/// case-insensitive, so `HTTP://` on a web client is still plain http
/// (RFC7591-REDIRECT-03 / OIDCDCR-APPTYPE-04), and a mixed-case https URI
/// is kept byte for byte, not normalised (OIDCDCR-STRING-01).
#[test]
fn oidcdcr_apptype_04_uppercase_http_scheme_is_still_http() {
    for uri in ["HTTP://app.example.com/cb", "Http://app.example.com/cb"] {
        let a = suite("code", json!({ "redirect_uris": [uri] }));
        refused_at(&a, ErrorCode::InvalidRedirectUri, "/redirect_uris/0");
    }
    let mixed = "HTTPS://App.Example.COM/Cb";
    let a = suite("code", json!({ "redirect_uris": [mixed] }));
    assert_eq!(accepted(&a).1["redirect_uris"], json!([mixed]));
}

/// Unicode tricks: RFC 7591 §2 redirect URIs are RFC 3986 URIs (ASCII); a
/// raw non-ASCII host (IDN homograph `аpp` with a Cyrillic `а`), a bidi
/// override or a zero-width space in the URI is refused rather than
/// registered for a consent page to display (RFC7591-REDIRECT-03).
#[test]
fn rfc7591_redirect_03_non_ascii_redirect_uris_are_refused() {
    for uri in ["https://\u{0430}pp.example.com/cb", "https://app.example.com/\u{202e}bc", "https://app.example.com\u{200b}/cb"] {
        let a = suite("code", json!({ "redirect_uris": [uri] }));
        refused_at(&a, ErrorCode::InvalidRedirectUri, "/redirect_uris/0");
    }
}

/// Client-chosen secrets (Hydra / Spring Authorization Server issues: a
/// registrant sets its own `client_secret`): the create ignores it and issues
/// its own (RFC7591-OUT-07, RFC7592-UPDATE-07).
#[test]
fn rfc7592_update_07_a_client_cannot_choose_its_secret_at_create() {
    let a = run(&md(json!({"redirect_uris": [SUITE_CB], "client_secret": "hunter2hunter2hunter2hunter2hunter2"})), &oidc());
    let (client, response, _) = accepted(&a);
    assert_ne!(response["client_secret"], json!("hunter2hunter2hunter2hunter2hunter2"));
    assert_eq!(client["client_secret"], response["client_secret"]);
}

// ---------------------------------------------------------------- RFC 7592 edge cases (oidc profile)

fn register_with(p: &Policy, metadata: Value) -> (StoredClient, String, Map<String, Value>) {
    match evaluate_registration(&md(metadata), p, &mut SeededRandom::new(21)) {
        RegistrationAnswer::Accepted { client, response, registration_access_token_hash, registration_access_token_expires_at, .. } => (
            StoredClient { client, registration_access_token_hash, registration_access_token_expires_at },
            response["registration_access_token"].as_str().unwrap().to_owned(),
            response,
        ),
        other => panic!("{}", show(&other)),
    }
}

fn mcall(op: Operation, stored: &StoredClient, token: &str, body: Option<Value>) -> ManagementRequest {
    ManagementRequest {
        operation: op,
        client_id: stored.client["client_id"].as_str().unwrap().to_owned(),
        stored: Some(stored.clone()),
        registration_access_token: Some(token.to_owned()),
        body: body.map(|b| b.to_string()),
        content_type: Some("application/json".into()),
        context: Context { now: NOW + 10, ..ctx() },
        ..Default::default()
    }
}

fn mrun_with(p: &Policy, req: &ManagementRequest, seed: u64) -> ManagementAnswer {
    evaluate_management(req, p, &mut SeededRandom::new(seed))
}

/// RFC7592-UPDATE-03: each of the four members alone is refused, even when
/// its value equals what the server returned (a PUT must not include them).
#[test]
fn rfc7592_update_03_each_forbidden_member_alone_is_refused() {
    let p = oidc();
    let (stored, token, response) = register_with(&p, json!({"redirect_uris": [CB]}));
    for f in ["registration_access_token", "registration_client_uri", "client_secret_expires_at", "client_id_issued_at"] {
        let mut body = put_body_from(&response);
        body.insert(f.to_owned(), response[f].clone());
        let (status, error, found) = mrejected(&mrun_with(&p, &mcall(Operation::Update, &stored, &token, Some(Value::Object(body))), 1));
        assert_eq!((status, error), (400, ErrorCode::InvalidRequest), "{f}");
        assert_eq!(found, vec![("RFC7592-UPDATE-03".to_owned(), format!("/{f}"))], "{f}");
    }
    // and the echo without them is accepted unchanged (RFC7592-UPDATE-02)
    match mrun_with(&p, &mcall(Operation::Update, &stored, &token, Some(Value::Object(put_body_from(&response)))), 1) {
        ManagementAnswer::Accepted { status: 200, response: Some(r), .. } => {
            assert_eq!(r["client_secret"], response["client_secret"]);
            assert_eq!(r["client_id_issued_at"], response["client_id_issued_at"], "server-managed, carried over");
        }
        other => panic!("{}", show(&other)),
    }
}

/// RFC7592-AUTHZ-04: the token is valid but for the client the host looked up
/// under another URL path (`client_id` of the URL ≠ the record's) → 401.
#[test]
fn rfc7592_authz_04_url_client_id_differs_from_the_record() {
    let p = oidc();
    let (stored, token, _) = register_with(&p, json!({"redirect_uris": [CB]}));
    let req = ManagementRequest { client_id: "someone-else".into(), ..mcall(Operation::Read, &stored, &token, None) };
    let (status, error, _) = mrejected(&mrun_with(&p, &req, 1));
    assert_eq!((status, error), (401, ErrorCode::InvalidToken));
}

/// RFC7592-UPDATE-04 + UPDATE-09: omitting `token_endpoint_auth_method`
/// deletes it, so the RFC 7591 default (client_secret_basic) applies again
/// and a secret is issued; it is not kept from the stored client.
#[test]
fn rfc7592_update_04_omitted_auth_method_reverts_to_the_default_and_issues_a_secret() {
    let p = oidc();
    let jwks = common::jwks_value(&["software-rsa2048"]);
    let (stored, token, response) =
        register_with(&p, json!({"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "jwks": jwks}));
    assert!(!response.contains_key("client_secret"));
    let id = stored.client["client_id"].clone();
    match mrun_with(&p, &mcall(Operation::Update, &stored, &token, Some(json!({"client_id": id, "redirect_uris": [CB]}))), 1) {
        ManagementAnswer::Accepted { status: 200, response: Some(r), client: Some(c), changes, .. } => {
            assert_eq!(r["token_endpoint_auth_method"], json!("client_secret_basic"), "{changes:?}");
            assert!(!r.contains_key("jwks"), "omitted jwks is deleted");
            assert!(r["client_secret"].as_str().is_some_and(|s| s.len() >= 43), "RFC7592-UPDATE-09: a secret becomes needed");
            assert_eq!(r["client_secret"], c["client_secret"]);
            assert!(r.contains_key("client_secret_expires_at"), "RFC7591-OUT-04");
        }
        other => panic!("{}", show(&other)),
    }
}

/// RFC7592-RAT-02: with rotation on update, the answer carries a new token
/// and its hash; once the host stores it, the old token is 401 and the new
/// one works. The same on read (rotate_on_read, keycloak#45738).
#[test]
fn rfc7592_rat_02_old_token_is_dead_after_rotation() {
    for (op, key) in [(Operation::Update, "rotate_on_update"), (Operation::Read, "rotate_on_read")] {
        let p = policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG,
            "registration_access_token": { key: true }}));
        let (stored, old, _) = register_with(&p, json!({"redirect_uris": [CB]}));
        let id = stored.client["client_id"].clone();
        let body = (op == Operation::Update).then(|| json!({"client_id": id, "redirect_uris": [CB]}));
        let (next, new) = match mrun_with(&p, &mcall(op, &stored, &old, body), 2) {
            ManagementAnswer::Accepted {
                status: 200,
                response: Some(r),
                client: Some(c),
                registration_access_token_hash: Some(h),
                registration_access_token_expires_at,
                changes,
                actions,
                ..
            } => {
                let new = r["registration_access_token"].as_str().unwrap().to_owned();
                assert_ne!(new, old, "{op:?}");
                assert!(changes.iter().any(|ch| ch.path == "/registration_access_token" && ch.action == ChangeAction::Rotated));
                assert!(actions.contains(&HostAction::StoreClient), "{op:?}");
                assert!(!show(&changes).contains(&new), "RFC7592-RAT-05");
                (StoredClient { client: c, registration_access_token_hash: Some(h), registration_access_token_expires_at }, new)
            }
            other => panic!("{op:?}: {}", show(&other)),
        };
        let (status, error, _) = mrejected(&mrun_with(&p, &mcall(Operation::Read, &next, &old, None), 3));
        assert_eq!((status, error), (401, ErrorCode::InvalidToken), "{op:?}: the old token");
        assert!(matches!(mrun_with(&p, &mcall(Operation::Read, &next, &new, None), 3), ManagementAnswer::Accepted { status: 200, .. }));
    }
}

/// RFC7592-READ-02 / client_secret exposure on GET: with `on_read: omit` the
/// read response carries neither the secret nor its expiry; by default it
/// carries the stored one (RFC 7592 §3) and never a different one.
#[test]
fn rfc7592_read_02_secret_on_read_policy() {
    let p = policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG, "client_secret": {"on_read": "omit"}}));
    let (stored, token, response) = register_with(&p, json!({"redirect_uris": [CB]}));
    assert!(response.contains_key("client_secret"), "issued once at registration");
    match mrun_with(&p, &mcall(Operation::Read, &stored, &token, None), 1) {
        ManagementAnswer::Accepted { status: 200, response: Some(r), client: Some(c), .. } => {
            assert!(!r.contains_key("client_secret") && !show(&r).contains(response["client_secret"].as_str().unwrap()));
            assert_eq!(c["client_secret"], response["client_secret"], "the stored client keeps it");
        }
        other => panic!("{}", show(&other)),
    }
    let p = oidc();
    let (stored, token, response) = register_with(&p, json!({"redirect_uris": [CB]}));
    match mrun_with(&p, &mcall(Operation::Read, &stored, &token, None), 1) {
        ManagementAnswer::Accepted { status: 200, response: Some(r), actions, .. } => {
            assert_eq!(r["client_secret"], response["client_secret"]);
            assert!(actions.is_empty(), "RFC7592-READ-03: a read changes nothing");
        }
        other => panic!("{}", show(&other)),
    }
}

/// RFC7592-DELETE-02 / RAT-04, then a GET with the same token on the deleted
/// client (host passes no record) → 401, and a PUT → 401, never 404.
#[test]
fn rfc7592_delete_then_get_and_put_are_401() {
    let p = oidc();
    let (stored, token, _) = register_with(&p, json!({"redirect_uris": [CB]}));
    match mrun_with(&p, &mcall(Operation::Delete, &stored, &token, None), 1) {
        ManagementAnswer::Accepted { status: 204, response: None, actions, .. } => {
            assert_eq!(actions, vec![HostAction::DeleteClient, HostAction::RevokeRegistrationAccessTokens, HostAction::RevokeClientTokens])
        }
        other => panic!("{}", show(&other)),
    }
    let id = stored.client["client_id"].clone();
    for (op, body) in [(Operation::Read, None), (Operation::Update, Some(json!({"client_id": id, "redirect_uris": [CB]})))] {
        let req = ManagementRequest { stored: None, ..mcall(op, &stored, &token, body) };
        let (status, error, _) = mrejected(&mrun_with(&p, &req, 1));
        assert_eq!((status, error), (401, ErrorCode::InvalidToken), "{op:?}");
    }
}

/// The FAPI DCR modules' bearer on the registration endpoint is irrelevant
/// for the configuration endpoint: a valid initial access token presented at
/// the management endpoint instead of the RAT is 401 (RFC7592-AUTHZ-01).
#[test]
fn rfc7592_authz_01_initial_access_token_is_not_a_registration_access_token() {
    let p = oidc();
    let (stored, _, _) = register_with(&p, json!({"redirect_uris": [CB]}));
    let req = ManagementRequest {
        registration_access_token: Some("initial-access-token".into()),
        context: Context {
            bearer: Some(BearerContext { valid: true, scopes: vec!["dcr".into()], client_id: None }),
            ..mcall(Operation::Read, &stored, "x", None).context
        },
        ..mcall(Operation::Read, &stored, "x", None)
    };
    let (status, error, _) = mrejected(&mrun_with(&p, &req, 1));
    assert_eq!((status, error), (401, ErrorCode::InvalidToken));
}

// ---------------------------------------------------------------- further probes

/// BCP-REDIRECT-01 / RFC8252-REG-02 (Keycloak wildcard redirect advisories):
/// patterns and wildcards are refused at registration, in host or path.
#[test]
fn bcp_redirect_01_wildcards_are_refused() {
    for uri in ["https://*.example.com/cb", "https://app.example.com/*", "https://app.example.com/cb/*", "https://app.example.com/cb*"] {
        let a = suite("code", json!({ "redirect_uris": [uri] }));
        let (status, error, found) = rejected(&a);
        assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri), "{uri}: {found:?}");
        assert!(found.iter().any(|(r, _)| r == "BCP-REDIRECT-01"), "{uri}: {found:?}");
    }
    // a `*` in a query value is data, not a pattern (the digest names host and path)
    accepted(&suite("code", json!({"redirect_uris": ["https://app.example.com/cb?scope=*"]})));
}

/// OIDCDCR-ENC-04: UserInfo encryption without a UserInfo signing alg.
#[test]
fn oidcdcr_enc_04_userinfo_encryption_needs_signing() {
    // the client's only key is a signing key (`use: sig`), so the encryption key rule fires too
    let a = suite("code", json!({"userinfo_encrypted_response_alg": "RSA-OAEP-256"}));
    let found = refused_at(&a, ErrorCode::InvalidClientMetadata, "/userinfo_encrypted_response_alg");
    assert!(found.iter().any(|(r, _)| r == "OIDCDCR-ENC-04"), "{found:?}");
    // with keys by reference (not inspectable here) and a signing alg it registers
    let a = suite(
        "code",
        json!({"jwks": null, "jwks_uri": format!("{SUITE}/client1_jwks"),
            "userinfo_encrypted_response_alg": "RSA-OAEP-256", "userinfo_signed_response_alg": "RS256"}),
    );
    assert_eq!(accepted(&a).1["userinfo_encrypted_response_enc"], json!("A128CBC-HS256"), "OIDCDCR-ENC-01");
}

/// RFC7591-JWKS-01 under plain OIDC: jwks and jwks_uri together.
#[test]
fn rfc7591_jwks_01_jwks_and_jwks_uri_together_under_oidc() {
    let a = suite("code", json!({"jwks_uri": format!("{SUITE}/client1_jwks")}));
    let (status, error, _) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata));
}

/// RFC7592-UPDATE-11: a PUT carrying a statement for another software_id.
#[test]
fn rfc7592_update_11_statement_of_another_software_is_refused() {
    let (stored, token, response) = br_register();
    let other = common::sign(
        "PS256",
        &common::private_jwk("directory-rsa2048"),
        &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}),
        &json!({
            "iss": BR_ISS, "iat": NOW - 5, "jti": "br-ssa-x",
            "software_id": "0b4bd5c1-0000-4000-8000-000000000001", "org_id": BR_ORG, "org_name": "Banco Exemplo",
            "software_client_name": "Outro App", "software_redirect_uris": [BR_CB], "software_jwks_uri": br_jwks_uri(),
            "software_statement_roles": [{"role": "DADOS", "authorisation_domain": "Open Banking", "status": "Active"}]
        }),
    );
    let mut body = put_body_from(&response);
    body.insert("software_statement".into(), json!(other));
    let (status, error, found) = mrejected(&br_mrun(&br_mcall(Operation::Update, &stored, &token, Some(Value::Object(body)), br_tls())));
    assert_eq!(status, 400, "{found:?}");
    assert!(
        matches!(error, ErrorCode::InvalidSoftwareStatement | ErrorCode::UnapprovedSoftwareStatement | ErrorCode::InvalidClientMetadata),
        "{error:?} {found:?}"
    );
}

/// RFC7592-AUTHZ-01: an expired registration access token (policy lifetime,
/// RFC7592-RAT-01 deviation) is 401 like any invalid token.
#[test]
fn rfc7592_authz_01_expired_registration_access_token() {
    let p = policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG, "registration_access_token": {"lifetime": 60}}));
    let (stored, token, _) = register_with(&p, json!({"redirect_uris": [CB]}));
    assert_eq!(stored.registration_access_token_expires_at, Some(NOW + 60));
    let mut req = mcall(Operation::Read, &stored, &token, None);
    req.context.now = NOW + 60;
    let (status, error, _) = mrejected(&mrun_with(&p, &req, 1));
    assert_eq!((status, error), (401, ErrorCode::InvalidToken));
    req.context.now = NOW + 59;
    assert!(matches!(mrun_with(&p, &req, 1), ManagementAnswer::Accepted { status: 200, .. }));
}

/// RFC7592-UPDATE-01: a PUT that is not application/json (a form post) is 400.
#[test]
fn rfc7592_update_01_form_encoded_put_is_refused() {
    let p = oidc();
    let (stored, token, _) = register_with(&p, json!({"redirect_uris": [CB]}));
    let id = stored.client["client_id"].as_str().unwrap().to_owned();
    let req = ManagementRequest {
        body: Some(format!("client_id={id}&redirect_uris={CB}")),
        content_type: Some("application/x-www-form-urlencoded".into()),
        ..mcall(Operation::Update, &stored, &token, None)
    };
    let (status, _, _) = mrejected(&mrun_with(&p, &req, 1));
    assert_eq!(status, 400);
}

/// Credentials in a redirect URI (`https://user:pass@host/`): the userinfo
/// component misleads users about the host and leaks secrets into logs
/// (RFC 3986 §3.2.1 deprecates `user:password`; RFC 9700 §4.1.1 / the
/// Matrix and MCP DCR advisories refuse it).
#[test]
fn rfc7591_redirect_03_userinfo_in_redirect_uri() {
    // RFC 9110 §4.2.4: userinfo in an http(s) URI is treated as an error (it disguises the
    // authority: this one goes to evil.example). RFC7591-REDIRECT-03 is the redirect syntax rule.
    let a = suite("code", json!({"redirect_uris": ["https://app.example.com@evil.example/cb"]}));
    let found = refused_at(&a, ErrorCode::InvalidRedirectUri, "/redirect_uris/0");
    assert!(found.iter().any(|(r, _)| r == "RFC7591-REDIRECT-03"), "{found:?}");
    // and in the other URIs the provider shows or fetches
    for field in ["jwks_uri", "logo_uri", "client_uri", "policy_uri", "tos_uri"] {
        let mut m = json!({"redirect_uris": [SUITE_CB]});
        m[field] = json!("https://app.example.com@evil.example/x");
        if field == "jwks_uri" {
            m["jwks"] = Value::Null;
        }
        let a = suite("code", m);
        refused_at(&a, ErrorCode::InvalidClientMetadata, &format!("/{field}"));
    }
}

/// RFC7592-UPDATE-06: a PUT carrying `client_secret` for a client that has
/// none (private_key_jwt) cannot "equal the current secret" → 400.
#[test]
fn rfc7592_update_06_secret_sent_for_a_client_without_one() {
    let p = oidc();
    let jwks = common::jwks_value(&["software-rsa2048"]);
    let (stored, token, _) =
        register_with(&p, json!({"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "jwks": jwks}));
    let id = stored.client["client_id"].clone();
    let body = json!({"client_id": id, "redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "jwks": jwks,
        "client_secret": "my-own-secret-value-0123456789abcdef0123456789"});
    let (status, error, found) = mrejected(&mrun_with(&p, &mcall(Operation::Update, &stored, &token, Some(body)), 1));
    assert_eq!((status, error), (400, ErrorCode::InvalidRequest), "{found:?}");
}

/// RFC7591-OUT-04 across an update: moving from client_secret_basic to
/// private_key_jwt leaves a response where `client_secret` and
/// `client_secret_expires_at` appear together or not at all.
#[test]
fn rfc7591_out_04_secret_and_expiry_stay_paired_across_an_update() {
    let p = oidc();
    let (stored, token, response) = register_with(&p, json!({"redirect_uris": [CB]}));
    assert!(response.contains_key("client_secret") && response.contains_key("client_secret_expires_at"));
    let id = stored.client["client_id"].clone();
    let body = json!({"client_id": id, "redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt",
        "jwks": common::jwks_value(&["software-rsa2048"])});
    match mrun_with(&p, &mcall(Operation::Update, &stored, &token, Some(body)), 1) {
        ManagementAnswer::Accepted { status: 200, response: Some(r), client: Some(c), .. } => {
            assert_eq!(r.contains_key("client_secret"), r.contains_key("client_secret_expires_at"), "{}", show(&r));
            assert_eq!(c.contains_key("client_secret"), r.contains_key("client_secret"));
        }
        other => panic!("{}", show(&other)),
    }
}

/// RFC7591-AUTH-03 with RFC 6749 §4.4 (the client credentials grant "MUST
/// only be used by confidential clients"; node-oidc-provider-style servers
/// answer invalid_client_metadata): a public client registering it is refused,
/// a confidential one is not.
#[test]
fn rfc7591_auth_03_client_credentials_needs_a_confidential_client() {
    let a = run(
        &md(json!({"grant_types": ["authorization_code", "client_credentials"], "redirect_uris": [CB],
        "token_endpoint_auth_method": "none"})),
        &oidc(),
    );
    let (status, error, found) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "{found:?}");
    assert_eq!(found, vec![("RFC7591-AUTH-03".to_owned(), "/grant_types/1".to_owned())]);
    accepted(&run(&md(json!({"grant_types": ["client_credentials"], "token_endpoint_auth_method": "client_secret_basic"})), &oidc()));
    accepted(&run(&md(json!({"redirect_uris": [CB], "token_endpoint_auth_method": "none"})), &oidc()));
}

// ---------------------------------------------------------------- require_pkce (engine output)
//
// The digest asks for a derived flag the host enforces at the authorization
// endpoint: BCP-PKCE-01, RFC8252-PKCE-01, FAPI2-PKCE-01, FAPI1-PAR-01.

fn pkce_of(p: &Policy, metadata: Value) -> (Option<Value>, Vec<(String, ChangeAction)>) {
    let out = dcr_policy::validate_metadata(metadata.as_object().unwrap(), p);
    let changes = out.changes.iter().filter(|c| c.path == "/require_pkce").map(|c| (c.rule.clone(), c.action)).collect();
    (out.client.get("require_pkce").cloned(), changes)
}

#[test]
fn bcp_pkce_01_public_clients_must_use_pkce() {
    let (flag, changes) = pkce_of(&oidc(), json!({"redirect_uris": [CB], "token_endpoint_auth_method": "none"}));
    assert_eq!(flag, Some(json!(true)));
    assert_eq!(changes, vec![("BCP-PKCE-01".to_owned(), ChangeAction::Defaulted)]);
    // a public client cannot switch it off
    let (flag, changes) = pkce_of(&oidc(), json!({"redirect_uris": [CB], "token_endpoint_auth_method": "none", "require_pkce": false}));
    assert_eq!(flag, Some(json!(true)));
    assert_eq!(changes, vec![("BCP-PKCE-01".to_owned(), ChangeAction::Overridden)]);
    // and through a full registration the stored client and the response carry it
    let a = run(&md(json!({"redirect_uris": [CB], "token_endpoint_auth_method": "none"})), &oidc());
    let (client, response, _) = accepted(&a);
    assert_eq!((client.get("require_pkce"), response.get("require_pkce")), (Some(&json!(true)), Some(&json!(true))));
}

#[test]
fn bcp_pkce_01_confidential_clients_only_when_the_provider_says_so() {
    let confidential = json!({"redirect_uris": [CB], "token_endpoint_auth_method": "client_secret_basic"});
    assert_eq!(pkce_of(&oidc(), confidential.clone()), (None, vec![]));
    // a confidential client may ask for it itself
    let (flag, changes) = pkce_of(&oidc(), merge(confidential.clone(), json!({"require_pkce": true})));
    assert_eq!((flag, changes), (Some(json!(true)), vec![]));
    // `checks.require_pkce: all` (RFC 9700's SHOULD, OAuth 2.1)
    let all = policy(json!({"profile": "oidc", "checks": {"require_pkce": "all"}}));
    assert_eq!(pkce_of(&all, confidential.clone()), (Some(json!(true)), vec![("BCP-PKCE-01".to_owned(), ChangeAction::Defaulted)]));
    // `off`: the engine never sets it
    let off = policy(json!({"profile": "oidc", "checks": {"require_pkce": "off"}}));
    assert_eq!(pkce_of(&off, json!({"redirect_uris": [CB], "token_endpoint_auth_method": "none"})), (None, vec![]));
}

#[test]
fn bcp_pkce_01_only_for_the_authorization_code_grant() {
    let m = json!({"grant_types": ["client_credentials"], "token_endpoint_auth_method": "private_key_jwt",
        "jwks_uri": "https://rp.example.com/jwks"});
    assert_eq!(pkce_of(&oidc(), m), (None, vec![]));
}

#[test]
fn rfc8252_pkce_01_native_apps_must_use_pkce() {
    let m = json!({"redirect_uris": ["com.example.app:/cb"], "application_type": "native", "token_endpoint_auth_method": "client_secret_basic"});
    assert_eq!(pkce_of(&oidc(), m), (Some(json!(true)), vec![("RFC8252-PKCE-01".to_owned(), ChangeAction::Defaulted)]));
}

#[test]
fn fapi2_pkce_01_and_fapi1_par_01() {
    let fapi2 = policy(json!({"profile": "fapi2", "issuer": AS, "registration_endpoint": REG}));
    let m = json!({"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": "https://rp.example.com/jwks"});
    assert_eq!(pkce_of(&fapi2, m.clone()), (Some(json!(true)), vec![("FAPI2-PKCE-01".to_owned(), ChangeAction::Defaulted)]));
    let fapi1 = policy(json!({"profile": "fapi1-advanced", "issuer": AS, "registration_endpoint": REG}));
    assert_eq!(pkce_of(&fapi1, m.clone()).0, None, "FAPI 1 without PAR: no PKCE requirement (Adv 5.2.2)");
    let par = merge(m, json!({"require_pushed_authorization_requests": true}));
    assert_eq!(pkce_of(&fapi1, par), (Some(json!(true)), vec![("FAPI1-PAR-01".to_owned(), ChangeAction::Defaulted)]));
}

#[test]
fn require_pkce_must_be_a_boolean() {
    let out = dcr_policy::validate_metadata(json!({"redirect_uris": [CB], "require_pkce": "yes"}).as_object().unwrap(), &oidc());
    assert!(out.violations.iter().any(|v| v.path == "/require_pkce" && v.is_error()), "{:?}", out.violations);
}
