//! Acceptance scenarios written from the spec digest (/work/shared/spec), the
//! OIDF DCR / FAPI conformance cases and known peer CVE classes, replayed
//! through the native Rust API (`evaluate_registration`, `evaluate_management`).
//! Each test names the rule it proves; each asserts the outcome, the RFC 7591
//! error code, the JSON Pointer path and the rule ID.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic, clippy::unreachable)]

mod common;

use common::answers::accepted;
use common::ecosystems::{OB_ISS, OB_SW, fapi, ssa_request, ukob_policy, ukob_request_claims, ukob_signed_as};
use common::fixtures::{AS, CB, NOW, REG, ctx, oidc, policy, show};

use dcr_policy::host::{BearerContext, Context, SeededRandom, SystemRandom, TlsContext};
use dcr_policy::jose::b64;
use dcr_policy::management::{HostAction, ManagementAnswer, ManagementRequest, Operation, StoredClient, evaluate_management};
use dcr_policy::policy::Policy;
use dcr_policy::registration::{RegistrationAnswer, RegistrationRequest, SuppliedJwks, evaluate_registration};
use dcr_policy::{ChangeAction, ErrorCode};
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------- helpers

fn body(raw: &str) -> RegistrationRequest {
    RegistrationRequest { body: raw.to_owned(), context: ctx(), ..Default::default() }
}

fn md(metadata: Value) -> RegistrationRequest {
    body(&metadata.to_string())
}

fn run(req: &RegistrationRequest, p: &Policy) -> RegistrationAnswer {
    common::answers::run_checked(req, p, 7)
}

/// (status, top-level error, error findings as (rule, path, code)).
#[track_caller]
fn rejected(a: &RegistrationAnswer) -> (u16, ErrorCode, Vec<(String, String, ErrorCode)>) {
    match a {
        RegistrationAnswer::Rejected { status, error, violations, response, .. } => {
            assert_eq!(response["error"], json!(error.as_str()), "RFC7591-ERR-01: body carries the code");
            let d = response["error_description"].as_str().unwrap();
            assert!(d.is_ascii(), "RFC7591-ERR-01: ascii description: {d}");
            (*status, *error, violations.iter().filter(|v| v.is_error()).map(|v| (v.rule.clone(), v.path.clone(), v.error)).collect())
        }
        other => panic!("expected rejected, got {}", show(other)),
    }
}

/// Asserts a 400 with `code` on top and a finding (rule, path, code).
#[track_caller]
fn refused(a: &RegistrationAnswer, code: ErrorCode, rule: &str, path: &str) {
    let (status, error, found) = rejected(a);
    assert_eq!(status, 400, "{}", show(a));
    assert_eq!(error, code, "{}", show(a));
    assert!(found.iter().any(|(r, p, _)| r == rule && p == path), "expected {rule} at {path:?} in {found:?}");
}

// ---------------------------------------------------------------- redirect URIs

#[test]
fn rfc7591_redirect_03_http_uris_without_a_host_are_refused() {
    // RFC 9110 §4.2.1/§4.2.2: an http(s) URI with an empty host is invalid.
    let p = oidc();
    for u in ["https:///cb", "https:/cb", "https:cb", "https://:443/cb", "https://user@/cb"] {
        refused(&run(&md(json!({"redirect_uris": [u]})), &p), ErrorCode::InvalidRedirectUri, "RFC7591-REDIRECT-03", "/redirect_uris/0");
    }
    let p = policy(json!({"profile": "rfc7591"}));
    refused(
        &run(&md(json!({"redirect_uris": ["http:///cb"]})), &p),
        ErrorCode::InvalidRedirectUri,
        "RFC7591-REDIRECT-03",
        "/redirect_uris/0",
    );
}

#[test]
fn rfc7591_redirect_03_whitespace_controls_and_backslashes_are_refused() {
    let p = oidc();
    let bad = [
        " https://app.example.com/cb",
        "https://app.example.com/cb ",
        "https://app.example.com/cb\n",
        "https://app.example.com/cb\r\nSet-Cookie: x=1",
        "https://app.example.com/c\tb",
        "https://app.example.com/cb\u{0000}",
        "https://app.example.com\\@evil.example/cb",
        "https:\\\\evil.example/cb",
        "https://аpp.example.com/cb", // Cyrillic a: IRIs are not URIs
        "/cb",
        "//evil.example/cb",
        "",
    ];
    let a = run(&md(json!({ "redirect_uris": bad })), &p);
    let (status, error, found) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri));
    for (i, uri) in bad.iter().enumerate() {
        let path = format!("/redirect_uris/{i}");
        assert!(found.iter().any(|(_, p, c)| *p == path && *c == ErrorCode::InvalidRedirectUri), "{path} ({uri:?}) in {found:?}");
    }
}

#[test]
fn rfc7591_redirect_04_script_schemes_in_any_case() {
    let p = policy(json!({"profile": "rfc7591"}));
    let bad = [
        "JAVASCRIPT:alert(1)",
        "vbscript:msgbox(1)",
        "Data:text/html,x",
        "blob:https://app.example.com/x",
        "about:blank",
        "FiLe:///etc/passwd",
    ];
    let a = run(&md(json!({ "redirect_uris": bad })), &p);
    for i in 0..bad.len() {
        refused(&a, ErrorCode::InvalidRedirectUri, "RFC7591-REDIRECT-04", &format!("/redirect_uris/{i}"));
    }
    // native apps too: a private-use scheme named like a script scheme is still refused
    let a = run(&md(json!({"application_type": "native", "redirect_uris": ["javascript:/cb"]})), &oidc());
    refused(&a, ErrorCode::InvalidRedirectUri, "RFC7591-REDIRECT-04", "/redirect_uris/0");
}

#[test]
fn rfc7591_redirect_03_fragment_is_refused_even_when_empty() {
    let a = run(&md(json!({"redirect_uris": [CB, "https://app.example.com/cb#", "https://app.example.com/cb#x"]})), &oidc());
    refused(&a, ErrorCode::InvalidRedirectUri, "RFC7591-REDIRECT-03", "/redirect_uris/1");
    refused(&a, ErrorCode::InvalidRedirectUri, "RFC7591-REDIRECT-03", "/redirect_uris/2");
}

#[test]
fn rfc7591_meta_04_redirect_uris_of_the_wrong_type_use_the_redirect_code() {
    for v in [json!(CB), json!([CB, 5]), json!({"0": CB})] {
        let (status, error, _) = rejected(&run(&md(json!({ "redirect_uris": v })), &oidc()));
        assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri), "{v}");
    }
}

#[test]
fn oidcdcr_apptype_03_native_loopback_is_exactly_the_three_hosts() {
    let p = oidc();
    let ok = ["http://127.0.0.1:51004/cb", "http://[::1]/cb", "http://127.0.0.1/cb", "com.example.app:/oauth2redirect"];
    accepted(&run(&md(json!({"application_type": "native", "redirect_uris": ok})), &p));
    for u in ["http://127.0.0.2/cb", "http://localhost.evil.example/cb", "http://127.0.0.1.nip.io/cb", "http://app.example.com/cb"] {
        let a = run(&md(json!({"application_type": "native", "redirect_uris": [u]})), &p);
        refused(&a, ErrorCode::InvalidRedirectUri, "OIDCDCR-APPTYPE-03", "/redirect_uris/0");
    }
}

#[test]
fn oidcdcr_apptype_05_web_client_with_private_use_scheme_is_refused() {
    let a = run(&md(json!({"redirect_uris": ["com.example.app:/cb"]})), &oidc());
    refused(&a, ErrorCode::InvalidRedirectUri, "OIDCDCR-APPTYPE-05", "/redirect_uris/0");
}

#[test]
fn oidcdcr_redirect_02_duplicates_are_the_only_rewrite() {
    let a = run(&md(json!({"redirect_uris": [CB, "https://app.example.com/cb2", CB]})), &oidc());
    let (client, response, changes) = accepted(&a);
    assert_eq!(client["redirect_uris"], json!([CB, "https://app.example.com/cb2"]));
    assert_eq!(response["redirect_uris"], client["redirect_uris"], "RFC7591-OUT-06");
    assert!(changes.iter().any(|c| c.rule == "RFC7591-REDIRECT-05"), "{changes:?}");
}

#[test]
fn oidcdcr_string_01_redirect_uris_are_kept_byte_exact() {
    // no normalisation: scheme/host case, percent-encoding and trailing slash stay as sent
    let sent = ["HTTPS://App.Example.com/cb/", "https://app.example.com/%7Euser/cb", "https://app.example.com/cb?x=1&y=%2F"];
    let a = run(&md(json!({ "redirect_uris": sent })), &oidc());
    let (_, response, _) = accepted(&a);
    assert_eq!(response["redirect_uris"], json!(sent));
}

// ---------------------------------------------------------------- SSRF (DCR-SSRF-01, peer CVE class)

fn ssrf(field: &str, value: Value) -> RegistrationAnswer {
    let mut m = json!({ "redirect_uris": [CB] });
    m[field] = value;
    run(&md(m), &oidc())
}

#[test]
fn dcr_ssrf_01_numeric_ipv4_spellings_of_internal_hosts() {
    // WHATWG URL parsers (the host's fetch) read these as 127.0.0.1 / 0.0.0.0 / 169.254.169.254.
    for host in [
        "2130706433",
        "0177.0.0.1",
        "0x7f.0.0.1",
        "0x7F000001",
        "127.1",
        "127.0.1",
        "0",
        "0x0",
        "017700000001",
        "2852039166",
        "0xa9.0xfe.0xa9.0xfe",
    ] {
        let a = ssrf("jwks_uri", json!(format!("https://{host}/jwks")));
        refused(&a, ErrorCode::InvalidClientMetadata, "DCR-SSRF-01", "/jwks_uri");
    }
}

#[test]
fn dcr_ssrf_01_ipv6_forms_embedding_internal_ipv4() {
    for host in
        ["[::]", "[::1]", "[::ffff:169.254.169.254]", "[::ffff:a9fe:a9fe]", "[::127.0.0.1]", "[64:ff9b::7f00:1]", "[0:0:0:0:0:ffff:7f00:1]"]
    {
        let a = ssrf("sector_identifier_uri", json!(format!("https://{host}/s.json")));
        refused(&a, ErrorCode::InvalidClientMetadata, "DCR-SSRF-01", "/sector_identifier_uri");
    }
}

#[test]
fn dcr_ssrf_01_percent_encoded_and_dotted_names() {
    for host in ["%6c%6f%63%61%6c%68%6f%73%74", "LOCALHOST", "localhost.", "127.0.0.1.", "%31%32%37.0.0.1", "metadata.google.internal"] {
        let a = ssrf("request_uris", json!([format!("https://{host}/r")]));
        refused(&a, ErrorCode::InvalidClientMetadata, "DCR-SSRF-01", "/request_uris/0");
    }
}

#[test]
fn dcr_ssrf_01_userinfo_does_not_hide_the_real_host() {
    // RFC 9110 §4.2.4: an http(s) URI with userinfo is refused outright, whichever side of
    // the `@` the internal host is on (the URI rule, before any host is judged).
    for uri in ["https://app.example.com@127.0.0.1/jwks", "https://127.0.0.1@app.example.com/jwks"] {
        refused(&ssrf("jwks_uri", json!(uri)), ErrorCode::InvalidClientMetadata, "RFC7591-URI-01", "/jwks_uri");
    }
}

#[test]
fn rfc7591_redirect_03_and_uri_01_a_port_over_65535_is_malformed() {
    // RFC 3986 §3.2.3 allows any digits, but a port is 16 bits: the WHATWG URL
    // parser (every browser a redirect passes through) refuses `:65536`, and a
    // fetcher would wrap or fail. 65535 and leading zeros stay valid.
    for port in ["65536", "99999", "4294967739"] {
        let a = run(&md(json!({ "redirect_uris": [format!("https://app.example.com:{port}/cb")] })), &oidc());
        refused(&a, ErrorCode::InvalidRedirectUri, "RFC7591-REDIRECT-03", "/redirect_uris/0");
        let a = ssrf("jwks_uri", json!(format!("https://app.example.com:{port}/jwks")));
        refused(&a, ErrorCode::InvalidClientMetadata, "RFC7591-URI-01", "/jwks_uri");
    }
    for port in ["65535", "0443", "8443"] {
        accepted(&run(&md(json!({ "redirect_uris": [format!("https://app.example.com:{port}/cb")] })), &oidc()));
    }
}

#[test]
fn dcr_ssrf_01_logo_uri_is_fetched_by_some_providers() {
    // MITREid Connect CVE-2021-26715: the provider fetched `logo_uri` server-side.
    refused(
        &ssrf("logo_uri", json!("https://169.254.169.254/latest/meta-data/")),
        ErrorCode::InvalidClientMetadata,
        "DCR-SSRF-01",
        "/logo_uri",
    );
    let mut m = json!({ "redirect_uris": [CB], "logo_uri": "https://app.example.com/l.png" });
    m["logo_uri#fr"] = json!("https://10.0.0.1/l.png");
    refused(&run(&md(m), &oidc()), ErrorCode::InvalidClientMetadata, "DCR-SSRF-01", "/logo_uri#fr");
}

#[test]
fn dcr_ssrf_01_public_hosts_pass() {
    for host in ["8.8.8.8", "app.example.com", "0x7f.example.com", "1.2.3.4.example.com", "[2606:4700::1111]", "127.0.0.1.example.com"] {
        let a = ssrf("jwks_uri", json!(format!("https://{host}/jwks")));
        accepted(&a);
    }
}

// ---------------------------------------------------------------- other URL fields

#[test]
fn oidcdcr_initlogin_01_and_sector_01_need_https_with_a_host() {
    refused(
        &ssrf("initiate_login_uri", json!("http://app.example.com/login")),
        ErrorCode::InvalidClientMetadata,
        "OIDCDCR-INITLOGIN-01",
        "/initiate_login_uri",
    );
    refused(
        &ssrf("initiate_login_uri", json!("https:///login")),
        ErrorCode::InvalidClientMetadata,
        "OIDCDCR-INITLOGIN-01",
        "/initiate_login_uri",
    );
    refused(
        &ssrf("sector_identifier_uri", json!("http://app.example.com/s.json")),
        ErrorCode::InvalidClientMetadata,
        "OIDCDCR-SECTOR-01",
        "/sector_identifier_uri",
    );
    refused(&ssrf("jwks_uri", json!("https:///jwks")), ErrorCode::InvalidClientMetadata, "RFC7591-URI-01", "/jwks_uri");
    refused(&ssrf("logo_uri", json!("https:logo.png")), ErrorCode::InvalidClientMetadata, "RFC7591-URI-01", "/logo_uri");
}

#[test]
fn oidcdcr_requris_01_fragment_allowed_http_refused() {
    accepted(&ssrf("request_uris", json!(["https://app.example.com/r#Q2hhbmdlZA"])));
    refused(
        &ssrf("request_uris", json!(["http://app.example.com/r"])),
        ErrorCode::InvalidClientMetadata,
        "OIDCDCR-REQURIS-01",
        "/request_uris/0",
    );
}

// ---------------------------------------------------------------- grant and response types

#[test]
fn rfc7591_grant_02_unknown_grant_type_is_refused() {
    // RFC 6749 §4.5: extension grants are absolute URIs; a bare unknown word is not a grant type.
    let a = run(&md(json!({"redirect_uris": [CB], "grant_types": ["authorization_code", "bogus"]})), &oidc());
    refused(&a, ErrorCode::InvalidClientMetadata, "RFC7591-GRANT-02", "/grant_types/1");
    accepted(&run(
        &md(
            json!({"redirect_uris": [CB], "grant_types": ["authorization_code", "urn:ietf:params:oauth:grant-type:device_code", "refresh_token"]}),
        ),
        &oidc(),
    ));
}

#[test]
fn rfc7591_resptype_02_unknown_response_type_token_is_refused() {
    let a = run(&md(json!({"redirect_uris": [CB], "response_types": ["code bogus"]})), &oidc());
    refused(&a, ErrorCode::InvalidClientMetadata, "RFC7591-RESPTYPE-02", "/response_types/0");
    let a = run(&md(json!({"redirect_uris": [CB], "response_types": ["Code"]})), &oidc());
    refused(&a, ErrorCode::InvalidClientMetadata, "RFC7591-RESPTYPE-02", "/response_types/0");
}

#[test]
fn rfc7591_resptype_02_response_types_compare_as_sets() {
    let a = run(
        &md(json!({"redirect_uris": [CB], "response_types": ["id_token code"], "grant_types": ["authorization_code", "implicit"]})),
        &oidc(),
    );
    accepted(&a);
}

#[test]
fn oidcdcr_grant_01_hybrid_without_implicit_is_refused_under_oidc() {
    let a = run(&md(json!({"redirect_uris": [CB], "response_types": ["code id_token"], "grant_types": ["authorization_code"]})), &oidc());
    refused(&a, ErrorCode::InvalidClientMetadata, "OIDCDCR-GRANT-01", "/response_types/0");
}

#[test]
fn oidcdcr_redirect_01_client_credentials_only_needs_no_redirect_uris() {
    let a = run(&md(json!({"grant_types": ["client_credentials"], "response_types": []})), &oidc());
    let (client, _, _) = accepted(&a);
    assert!(!client.contains_key("redirect_uris"));
}

// ---------------------------------------------------------------- OIDC algorithms and numbers

#[test]
fn oidcdcr_enc_01_every_enc_defaults_to_a128cbc_hs256() {
    let a = run(
        &md(json!({
            "redirect_uris": [CB], "jwks_uri": "https://app.example.com/jwks",
            "id_token_encrypted_response_alg": "RSA-OAEP",
            "userinfo_signed_response_alg": "RS256", "userinfo_encrypted_response_alg": "RSA-OAEP-256",
            "request_object_encryption_alg": "RSA-OAEP"
        })),
        &oidc(),
    );
    let (client, _, changes) = accepted(&a);
    for f in ["id_token_encrypted_response_enc", "userinfo_encrypted_response_enc", "request_object_encryption_enc"] {
        assert_eq!(client[f], json!("A128CBC-HS256"), "{f}");
        assert!(changes.iter().any(|c| c.path == format!("/{f}") && c.action == ChangeAction::Defaulted), "{f}: {changes:?}");
    }
}

#[test]
fn oidcdcr_enc_02_enc_without_alg_is_refused() {
    for (enc, rule) in [
        ("id_token_encrypted_response_enc", "OIDCDCR-ENC-02"),
        ("userinfo_encrypted_response_enc", "OIDCDCR-ENC-02"),
        ("request_object_encryption_enc", "OIDCDCR-ENC-02"),
        ("authorization_encrypted_response_enc", "JARM-META-02"),
    ] {
        let mut m = json!({"redirect_uris": [CB]});
        m[enc] = json!("A256GCM");
        refused(&run(&md(m), &oidc()), ErrorCode::InvalidClientMetadata, rule, &format!("/{enc}"));
    }
}

#[test]
fn oidcdcr_reqobj_01_none_may_be_registered_unless_signed_objects_are_required() {
    accepted(&run(&md(json!({"redirect_uris": [CB], "request_object_signing_alg": "none"})), &oidc()));
    let a = run(&md(json!({"redirect_uris": [CB], "request_object_signing_alg": "none", "require_signed_request_object": true})), &oidc());
    refused(&a, ErrorCode::InvalidClientMetadata, "RFC9101-META-02", "/request_object_signing_alg");
}

#[test]
fn oidcdcr_idtok_02_none_only_without_front_channel_id_tokens() {
    accepted(&run(&md(json!({"redirect_uris": [CB], "id_token_signed_response_alg": "none"})), &oidc()));
    let a = run(
        &md(
            json!({"redirect_uris": [CB], "id_token_signed_response_alg": "none", "response_types": ["id_token"], "grant_types": ["implicit"]}),
        ),
        &oidc(),
    );
    refused(&a, ErrorCode::InvalidClientMetadata, "OIDCDCR-IDTOK-02", "/id_token_signed_response_alg");
}

#[test]
fn oidcdcr_auth_02_signing_alg_must_fit_the_method() {
    let a = run(
        &md(json!({"redirect_uris": [CB], "token_endpoint_auth_method": "client_secret_jwt", "token_endpoint_auth_signing_alg": "RS256"})),
        &oidc(),
    );
    refused(&a, ErrorCode::InvalidClientMetadata, "OIDCDCR-AUTH-02", "/token_endpoint_auth_signing_alg");
    let a = run(
        &md(
            json!({"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "HS256", "jwks_uri": "https://app.example.com/j"}),
        ),
        &oidc(),
    );
    refused(&a, ErrorCode::InvalidClientMetadata, "OIDCDCR-AUTH-02", "/token_endpoint_auth_signing_alg");
    let a = run(
        &md(
            json!({"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "token_endpoint_auth_signing_alg": "none", "jwks_uri": "https://app.example.com/j"}),
        ),
        &oidc(),
    );
    refused(&a, ErrorCode::InvalidClientMetadata, "OIDCDCR-AUTH-02", "/token_endpoint_auth_signing_alg");
}

#[test]
fn oidcdcr_maxage_01_only_non_negative_integers() {
    for v in ["-1", "1.5", "\"3600\"", "true", "null", "[]"] {
        let raw = format!("{{\"redirect_uris\":[\"{CB}\"],\"default_max_age\":{v}}}");
        let a = run(&body(&raw), &oidc());
        if v == "null" {
            accepted(&a); // RFC7591-META-04: null is absent on create
        } else {
            refused(&a, ErrorCode::InvalidClientMetadata, "OIDCDCR-MAXAGE-01", "/default_max_age");
        }
    }
    accepted(&run(&md(json!({"redirect_uris": [CB], "default_max_age": 0})), &oidc()));
    accepted(&run(&md(json!({"redirect_uris": [CB], "default_max_age": 86400})), &oidc()));
}

#[test]
fn rfc7591_endpoint_01_out_of_range_numbers_are_a_clean_400() {
    for v in ["1e400", "-1e400", "123456789012345678901234567890e999"] {
        let raw = format!("{{\"redirect_uris\":[\"{CB}\"],\"default_max_age\":{v}}}");
        refused(&run(&body(&raw), &oidc()), ErrorCode::InvalidClientMetadata, "RFC7591-ENDPOINT-01", "");
    }
}

#[test]
fn rfc7591_endpoint_01_non_object_bodies() {
    for raw in ["[]", "\"x\"", "null", "", "{", "\u{feff}{}", "{\"a\":\"\\ud800\"}"] {
        let (status, error, _) = rejected(&run(&body(raw), &oidc()));
        assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "{raw:?}");
    }
}

#[test]
fn rfc7591_i18n_03_language_tags_are_well_formed_bcp47() {
    let good = [
        "client_name#ja-Jpan-JP",
        "client_name#de-CH-1901",
        "client_name#sr-Latn-RS",
        "client_name#x-private",
        "client_name#i-klingon",
        "client_name#EN-gb",
    ];
    let mut m = json!({"redirect_uris": [CB], "client_name": "App"});
    for k in good {
        m[k] = json!("v");
    }
    accepted(&run(&md(m), &oidc()));
    for tag in ["en_US", "", "abcdefghi", "en#fr", "e", "en-", "-en", "en--US", "ja-Jpan-Jpan-JP-x"] {
        let key = format!("client_name#{tag}");
        let mut m = json!({"redirect_uris": [CB], "client_name": "App"});
        m[&key] = json!("v");
        refused(
            &run(&md(m), &oidc()),
            ErrorCode::InvalidClientMetadata,
            "RFC7591-I18N-03",
            &format!("/{}", key.replace('~', "~0").replace('/', "~1")),
        );
    }
}

#[test]
fn rfc7591_i18n_04_tagged_urls_follow_the_url_rules() {
    let mut m = json!({"redirect_uris": [CB]});
    m["policy_uri#de"] = json!("javascript:alert(1)");
    refused(&run(&md(m), &oidc()), ErrorCode::InvalidClientMetadata, "RFC7591-URI-01", "/policy_uri#de");
}

// ---------------------------------------------------------------- keys

#[test]
fn rfc7591_jwks_01_statement_jwks_uri_plus_body_jwks_conflict() {
    let p = generic_ssa_policy();
    let ssa = generic_ssa(json!({"jwks_uri": "https://app.example.com/jwks"}));
    let a =
        run(&ssa_request(json!({"software_statement": ssa, "redirect_uris": [CB], "jwks": common::jwks_value(&["software-p256"])})), &p);
    let (_, error, found) = rejected(&a);
    assert_eq!(error, ErrorCode::InvalidClientMetadata);
    assert!(found.iter().any(|(r, _, _)| r == "RFC7591-JWKS-01"), "{found:?}");
}

#[test]
fn oidcdcr_jwks_04_private_keys_are_refused_with_the_member_path() {
    let mut key = common::private_jwk("software-rsa2048");
    key["kid"] = json!("k1");
    let a = run(&md(json!({"redirect_uris": [CB], "jwks": {"keys": [key]}})), &oidc());
    for m in ["d", "p", "q", "dp", "dq", "qi"] {
        refused(&a, ErrorCode::InvalidClientMetadata, "OIDCDCR-JWKS-04", &format!("/jwks/keys/0/{m}"));
    }
}

// ---------------------------------------------------------------- credentials

#[test]
fn rfc7591_auth_03_public_client_gets_no_secret_and_no_expiry() {
    let a = run(&md(json!({"redirect_uris": [CB], "token_endpoint_auth_method": "none"})), &oidc());
    let (client, response, _) = accepted(&a);
    for k in ["client_secret", "client_secret_expires_at"] {
        assert!(!response.contains_key(k) && !client.contains_key(k), "RFC7591-OUT-04: {k}");
    }
    assert!(response["client_id"].is_string());
}

#[test]
fn rfc7591_out_03_credentials_have_256_bits_and_are_unique() {
    let p = oidc();
    let mut seen = std::collections::HashSet::new();
    for _ in 0..3 {
        let a = evaluate_registration(&md(json!({"redirect_uris": [CB]})), &p, &mut SystemRandom);
        let (_, response, _) = accepted(&a);
        let secret = response["client_secret"].as_str().unwrap();
        let rat = response["registration_access_token"].as_str().unwrap();
        for s in [secret, rat] {
            let raw = b64::decode(s).expect("base64url");
            assert!(raw.len() >= 32, "RFC7591-OUT-03 / RFC7592-RAT-03: {} bytes", raw.len());
        }
        assert!(response["client_secret_expires_at"].is_i64() || response["client_secret_expires_at"].is_u64(), "RFC7591-OUT-04");
        for v in [secret, rat, response["client_id"].as_str().unwrap()] {
            assert!(seen.insert(v.to_owned()), "credential repeated: {v}");
        }
    }
}

#[test]
fn oidcdcr_secret_02_hs512_needs_a_64_octet_secret() {
    let a = run(
        &md(json!({"redirect_uris": [CB], "token_endpoint_auth_method": "client_secret_jwt", "token_endpoint_auth_signing_alg": "HS512"})),
        &oidc(),
    );
    let (_, response, _) = accepted(&a);
    let raw = response["client_secret"].as_str().unwrap().len() * 3 / 4;
    assert!(raw >= 64, "OIDC Core §16.19: {raw} octets");
    let a = run(&md(json!({"redirect_uris": [CB], "id_token_signed_response_alg": "HS384"})), &oidc());
    let (_, response, _) = accepted(&a);
    assert!(response["client_secret"].as_str().unwrap().len() * 3 / 4 >= 48);
}

#[test]
fn oidcdcr_secret_01_secret_only_when_something_needs_it() {
    let jwks_uri = "https://app.example.com/jwks";
    let a = run(&md(json!({"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": jwks_uri})), &oidc());
    assert!(!accepted(&a).1.contains_key("client_secret"));
    // symmetric ID Token encryption derives its key from the secret (OIDCDCR-ENC-03)
    let a = run(
        &md(
            json!({"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": jwks_uri, "id_token_encrypted_response_alg": "A128KW"}),
        ),
        &oidc(),
    );
    assert!(accepted(&a).1.contains_key("client_secret"));
    let a = run(
        &md(
            json!({"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt", "jwks_uri": jwks_uri, "id_token_signed_response_alg": "HS256"}),
        ),
        &oidc(),
    );
    assert!(accepted(&a).1.contains_key("client_secret"));
}

#[test]
fn rfc7591_out_07_server_managed_fields_in_a_create_are_ignored() {
    let a = run(
        &md(json!({
            "redirect_uris": [CB], "client_id": "mine", "client_secret": "secret-of-my-choosing",
            "client_id_issued_at": 1, "client_secret_expires_at": 2,
            "registration_access_token": "tok", "registration_client_uri": "https://evil.example/c"
        })),
        &oidc(),
    );
    let (_, response, _) = accepted(&a);
    assert_ne!(response["client_id"], json!("mine"));
    assert_ne!(response["client_secret"], json!("secret-of-my-choosing"));
    assert_ne!(response["registration_access_token"], json!("tok"));
    assert_eq!(response["client_id_issued_at"], json!(NOW));
    let uri = response["registration_client_uri"].as_str().unwrap();
    assert!(uri.starts_with("https://as.example.com/"), "RFC7592-RESP-03: {uri}");
    assert!(uri.contains(response["client_id"].as_str().unwrap()));
    assert!(!serde_json::to_string(&a).unwrap().contains("secret-of-my-choosing"), "never echo a client-chosen secret");
}

#[test]
fn rfc7591_err_01_top_error_precedence_and_ascii() {
    let a = run(&md(json!({"redirect_uris": ["http://app.example.com/cb"], "client_name": 5, "logo_uri": "ftp://ünïcode"})), &oidc());
    let (status, error, found) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri), "README precedence: invalid_redirect_uri > invalid_client_metadata");
    assert!(found.iter().any(|(_, _, c)| *c == ErrorCode::InvalidClientMetadata), "all violations are collected");
}

// ---------------------------------------------------------------- FAPI profiles

fn fapi_req(metadata: Value) -> RegistrationRequest {
    RegistrationRequest {
        body: metadata.to_string(),
        context: Context {
            bearer: Some(BearerContext { valid: true, scopes: vec![], client_id: None }),
            tls: Some(TlsContext { subject_dn: Some("CN=client.example.com,O=Example,C=GB".into()), ..TlsContext::default() }),
            ..ctx()
        },
        ..Default::default()
    }
}

fn fapi_md(over: Value) -> Value {
    let mut c = json!({
        "redirect_uris": ["https://client.example.com/cb"],
        "token_endpoint_auth_method": "private_key_jwt",
        "jwks_uri": "https://client.example.com/jwks",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"]
    });
    for (k, v) in over.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

#[test]
fn fapi1_alg_02_rsa1_5_is_refused_in_every_encryption_field() {
    for f in [
        "id_token_encrypted_response_alg",
        "userinfo_encrypted_response_alg",
        "request_object_encryption_alg",
        "authorization_encrypted_response_alg",
    ] {
        let mut over = json!({"userinfo_signed_response_alg": "PS256"});
        over[f] = json!("RSA1_5");
        let a = run(&fapi_req(fapi_md(over)), &fapi("fapi1-advanced"));
        refused(&a, ErrorCode::InvalidClientMetadata, "FAPI1-ALG-02", &format!("/{f}"));
    }
}

#[test]
fn fapi1_resp_01_front_channel_token_response_types_are_refused() {
    // UK OB conformance DCR-011 sends ["id_token","token"].
    for rts in [json!(["id_token", "token"]), json!(["code token"]), json!(["code id_token token"]), json!(["id_token"])] {
        let a = run(
            &fapi_req(fapi_md(json!({"response_types": rts, "grant_types": ["authorization_code", "implicit"]}))),
            &fapi("fapi1-advanced"),
        );
        let (status, error, found) = rejected(&a);
        assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "{rts}");
        assert!(found.iter().any(|(r, _, _)| r == "FAPI1-RESP-01"), "{rts}: {found:?}");
    }
}

#[test]
fn fapi1_native_01_only_claimed_https_for_native_apps() {
    let p = fapi("fapi1-advanced");
    accepted(&run(&fapi_req(fapi_md(json!({"application_type": "native", "redirect_uris": ["https://client.example.com/app"]}))), &p));
    for u in ["com.example.app:/cb", "http://127.0.0.1:8080/cb", "http://[::1]/cb"] {
        let a = run(&fapi_req(fapi_md(json!({"application_type": "native", "redirect_uris": [u]}))), &p);
        let (status, error, found) = rejected(&a);
        assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri), "{u}");
        assert!(found.iter().any(|(_, p, _)| p == "/redirect_uris/0"), "{u}: {found:?}");
    }
}

#[test]
fn fapi1_reqobj_01_signed_request_objects_forced_and_alg_restricted() {
    let p = fapi("fapi1-advanced");
    let a = run(&fapi_req(fapi_md(json!({"require_signed_request_object": false}))), &p);
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["require_signed_request_object"], json!(true));
    assert!(changes.iter().any(|c| c.path == "/require_signed_request_object"), "{changes:?}");
    assert_eq!(client["request_object_signing_alg"], json!("PS256"));
    for alg in ["none", "RS256", "HS256"] {
        let a = run(&fapi_req(fapi_md(json!({"request_object_signing_alg": alg}))), &p);
        let (status, error, found) = rejected(&a);
        assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "{alg}");
        assert!(found.iter().any(|(_, p, _)| p == "/request_object_signing_alg"), "{alg}: {found:?}");
    }
}

#[test]
fn fapi1_sender_01_certificate_bound_tokens_are_forced() {
    let a = run(&fapi_req(fapi_md(json!({"tls_client_certificate_bound_access_tokens": false}))), &fapi("fapi1-advanced"));
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["tls_client_certificate_bound_access_tokens"], json!(true));
    assert!(
        changes.iter().any(|c| c.path == "/tls_client_certificate_bound_access_tokens" && c.action == ChangeAction::Overridden),
        "{changes:?}"
    );
}

#[test]
fn rfc8705_auth_01_tls_client_auth_needs_exactly_one_subject_field() {
    let p = fapi("fapi1-advanced");
    let none = fapi_md(json!({"token_endpoint_auth_method": "tls_client_auth", "jwks_uri": null}));
    let (_, error, found) = rejected(&run(&fapi_req(none), &p));
    assert_eq!(error, ErrorCode::InvalidClientMetadata);
    assert!(found.iter().any(|(r, _, _)| r == "RFC8705-AUTH-01"), "{found:?}");
    let two = fapi_md(
        json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "CN=client.example.com", "tls_client_auth_san_dns": "client.example.com"}),
    );
    let (_, _, found) = rejected(&run(&fapi_req(two), &p));
    assert!(found.iter().any(|(r, _, _)| r == "RFC8705-AUTH-01"), "{found:?}");
    let one = fapi_md(
        json!({"token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": "CN=client.example.com,O=Example,C=GB"}),
    );
    accepted(&run(&fapi_req(one), &p));
}

#[test]
fn fapi1_key_03_jwks_uri_must_be_https() {
    let a = run(&fapi_req(fapi_md(json!({"jwks_uri": "http://client.example.com/jwks"}))), &fapi("fapi1-advanced"));
    let (_, error, found) = rejected(&a);
    assert_eq!(error, ErrorCode::InvalidClientMetadata);
    assert!(found.iter().any(|(_, p, _)| p == "/jwks_uri"), "{found:?}");
}

#[test]
fn fapi2_resp_01_and_grant_01_02_code_only_no_password_no_implicit() {
    let p = fapi("fapi2");
    for over in [
        json!({"response_types": ["code id_token"], "grant_types": ["authorization_code", "implicit"]}),
        json!({"grant_types": ["authorization_code", "password"]}),
        json!({"response_types": ["token"], "grant_types": ["implicit"]}),
    ] {
        let (status, error, _) = rejected(&run(&fapi_req(fapi_md(over.clone())), &p));
        assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "{over}");
    }
}

#[test]
fn fapi2_par_01_and_sender_01_are_forced() {
    let a = run(&fapi_req(fapi_md(json!({"require_pushed_authorization_requests": false}))), &fapi("fapi2"));
    let (client, _, _) = accepted(&a);
    assert_eq!(client["require_pushed_authorization_requests"], json!(true), "FAPI2-PAR-01");
    let bound = client.get("dpop_bound_access_tokens") == Some(&json!(true))
        || client.get("tls_client_certificate_bound_access_tokens") == Some(&json!(true));
    assert!(bound, "FAPI2-SENDER-01: one binding flag ends up true: {client:?}");
    let a = run(
        &fapi_req(fapi_md(json!({"dpop_bound_access_tokens": true, "tls_client_certificate_bound_access_tokens": true}))),
        &fapi("fapi2"),
    );
    assert_eq!(rejected(&a).1, ErrorCode::InvalidClientMetadata, "RFC9449-META-02");
}

#[test]
fn fapi2_alg_01_eddsa_allowed_in_fapi2_not_in_fapi1() {
    accepted(&run(&fapi_req(fapi_md(json!({"id_token_signed_response_alg": "EdDSA"}))), &fapi("fapi2")));
    accepted(&run(&fapi_req(fapi_md(json!({"id_token_signed_response_alg": "ES256"}))), &fapi("fapi2")));
    let a = run(&fapi_req(fapi_md(json!({"id_token_signed_response_alg": "EdDSA"}))), &fapi("fapi1-advanced"));
    refused(&a, ErrorCode::InvalidClientMetadata, "FAPI1-ALG-01", "/id_token_signed_response_alg");
    for f in ["userinfo_signed_response_alg", "token_endpoint_auth_signing_alg", "authorization_signed_response_alg"] {
        let mut over = json!({});
        over[f] = json!("RS256");
        let (_, _, found) = rejected(&run(&fapi_req(fapi_md(over)), &fapi("fapi2")));
        assert!(found.iter().any(|(_, p, _)| *p == format!("/{f}")), "{f}: {found:?}");
    }
}

#[test]
fn fapi2_auth_01_client_secret_jwt_is_refused() {
    let a = run(&fapi_req(fapi_md(json!({"token_endpoint_auth_method": "client_secret_jwt", "jwks_uri": null}))), &fapi("fapi2"));
    let (_, error, found) = rejected(&a);
    assert_eq!(error, ErrorCode::InvalidClientMetadata);
    assert!(found.iter().any(|(_, p, _)| p == "/token_endpoint_auth_method"), "{found:?}");
}

#[test]
fn fapi2_redirect_01_native_loopback_allowed_web_http_refused() {
    let p = fapi("fapi2");
    accepted(&run(&fapi_req(fapi_md(json!({"application_type": "native", "redirect_uris": ["http://127.0.0.1:7000/cb"]}))), &p));
    let a = run(&fapi_req(fapi_md(json!({"redirect_uris": ["http://client.example.com/cb"]}))), &p);
    let (_, error, found) = rejected(&a);
    assert_eq!(error, ErrorCode::InvalidRedirectUri);
    assert!(found.iter().any(|(_, p, _)| p == "/redirect_uris/0"), "{found:?}");
}

// ---------------------------------------------------------------- software statements (JWT-*)

fn generic_ssa_policy() -> Policy {
    policy(json!({
        "profile": "oidc", "issuer": AS, "registration_endpoint": REG,
        "software_statement": {"required": true, "trusted_issuers": ["https://directory.example"], "signing_algs": ["PS256"], "max_age": 3600}
    }))
}

fn ssa_claims(over: Value) -> Value {
    let mut c = json!({"iss": "https://directory.example", "iat": NOW - 10, "exp": NOW + 3600, "jti": "ssa-1", "software_id": "sw-1", "redirect_uris": [CB]});
    for (k, v) in over.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

fn generic_ssa(over: Value) -> String {
    common::sign(
        "PS256",
        &common::private_jwk("directory-rsa2048"),
        &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}),
        &ssa_claims(over),
    )
}

#[track_caller]
fn bad_ssa(token: String) -> Vec<(String, String, ErrorCode)> {
    let a = run(&ssa_request(json!({"software_statement": token, "redirect_uris": [CB]})), &generic_ssa_policy());
    let (status, error, found) = rejected(&a);
    assert_eq!((status, error), (400, ErrorCode::InvalidSoftwareStatement), "{}", show(&a));
    assert!(!matches!(&a, RegistrationAnswer::Accepted { .. }));
    found
}

fn raw_ssa(header: &str, payload: &str) -> String {
    common::sign_parts("PS256", &common::private_jwk("directory-rsa2048"), header, payload)
}

#[test]
fn jwt_happy_path_statement_is_echoed_byte_for_byte() {
    let token = generic_ssa(json!({}));
    let a = run(&ssa_request(json!({"software_statement": token.clone(), "redirect_uris": [CB]})), &generic_ssa_policy());
    let (_, response, _) = accepted(&a);
    assert_eq!(response["software_statement"], json!(token), "RFC7591-SS-10");
}

#[test]
fn jwt_alg_01_unsigned_statement_is_refused() {
    let h = b64::encode(br#"{"alg":"none","typ":"JWT"}"#);
    let p = b64::encode(ssa_claims(json!({})).to_string().as_bytes());
    for token in [format!("{h}.{p}."), format!("{h}.{p}")] {
        bad_ssa(token);
    }
    let h = b64::encode(br#"{"alg":"nOnE"}"#);
    bad_ssa(format!("{h}.{p}."));
}

#[test]
fn jwt_alg_03_hs256_keyed_with_the_directory_public_key_is_refused() {
    use hmac_free::mac;
    let jwk = common::public_jwk("directory-rsa2048");
    let input = format!(
        "{}.{}",
        b64::encode(br#"{"alg":"HS256","kid":"directory-rsa2048"}"#),
        b64::encode(ssa_claims(json!({})).to_string().as_bytes())
    );
    for key in [jwk.to_string(), jwk["n"].as_str().unwrap().to_owned()] {
        let sig = mac(key.as_bytes(), input.as_bytes());
        bad_ssa(format!("{input}.{}", b64::encode(&sig)));
    }
}

#[test]
fn jwt_key_01_kid_injection_strings_are_just_unknown_kids() {
    for kid in ["../../../../dev/null", "' OR '1'='1", "directory-rsa2048\u{0000}", "/etc/passwd", "http://169.254.169.254/"] {
        let header = json!({"alg": "PS256", "kid": kid}).to_string();
        let token = raw_ssa(&header, &ssa_claims(json!({})).to_string());
        bad_ssa(token);
    }
}

#[test]
fn jwt_fmt_03_any_crit_is_refused() {
    for header in [
        r#"{"alg":"PS256","kid":"directory-rsa2048","crit":["exp"],"exp":1}"#,
        r#"{"alg":"PS256","kid":"directory-rsa2048","crit":[]}"#,
        r#"{"alg":"PS256","kid":"directory-rsa2048","crit":"x"}"#,
    ] {
        bad_ssa(raw_ssa(header, &ssa_claims(json!({})).to_string()));
    }
}

#[test]
fn jwt_claim_02_numeric_dates_must_be_numbers() {
    // RFC 7519 §2 NumericDate: a JSON number; a string or boolean is invalid.
    for over in
        [json!({"exp": (NOW + 3600).to_string()}), json!({"iat": (NOW - 10).to_string()}), json!({"exp": true}), json!({"nbf": "0"})]
    {
        bad_ssa(generic_ssa(over));
    }
}

#[test]
fn jwt_claim_02_04_time_edges() {
    // expired, not yet valid, issued in the future beyond the skew
    for over in [json!({"exp": NOW - 120}), json!({"nbf": NOW + 3600}), json!({"iat": NOW + 3600}), json!({"exp": -1})] {
        bad_ssa(generic_ssa(over));
    }
    // fractional NumericDates are allowed (RFC 7519 §2), huge ones do not wrap
    let p = generic_ssa_policy();
    accepted(&run(&ssa_request(json!({"software_statement": generic_ssa(json!({"iat": NOW as f64 - 10.5})), "redirect_uris": [CB]})), &p));
    for exp in ["1e300", "18446744073709551616", "9223372036854775807"] {
        let payload = ssa_claims(json!({})).to_string().replace(&format!("\"exp\":{}", NOW + 3600), &format!("\"exp\":{exp}"));
        let a = run(
            &ssa_request(
                json!({"software_statement": raw_ssa(r#"{"alg":"PS256","kid":"directory-rsa2048"}"#, &payload), "redirect_uris": [CB]}),
            ),
            &p,
        );
        // either accepted (far future) or refused as a statement problem; never a panic or a wrap into the past
        if let RegistrationAnswer::Rejected { error, .. } = &a {
            assert_eq!(*error, ErrorCode::InvalidSoftwareStatement, "{exp}: {}", show(&a));
        }
    }
}

#[test]
fn jwt_typ_01_other_jwt_kinds_are_refused() {
    for typ in ["dpop+jwt", "at+jwt", "oauth-authz-req+jwt"] {
        let header = json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": typ}).to_string();
        bad_ssa(raw_ssa(&header, &ssa_claims(json!({})).to_string()));
    }
}

#[test]
fn jwt_fmt_02_duplicate_claims_and_depth_bombs() {
    let dup = ssa_claims(json!({})).to_string().replacen('{', r#"{"iss":"https://evil.example","#, 1);
    bad_ssa(raw_ssa(r#"{"alg":"PS256","kid":"directory-rsa2048"}"#, &dup));
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let bomb = ssa_claims(json!({})).to_string().replacen('{', &format!("{{\"x\":{deep},"), 1);
    bad_ssa(raw_ssa(r#"{"alg":"PS256","kid":"directory-rsa2048"}"#, &bomb));
}

#[test]
fn rfc7591_ss_01_statement_of_the_wrong_type_is_invalid() {
    for v in [json!(5), json!({"alg": "none"}), json!(["a.b.c"]), json!(""), json!("not-a-jwt"), json!("a.b.c.d.e")] {
        let a = run(&ssa_request(json!({"software_statement": v, "redirect_uris": [CB]})), &generic_ssa_policy());
        let (status, error, _) = rejected(&a);
        assert_eq!((status, error), (400, ErrorCode::InvalidSoftwareStatement), "{v}");
    }
}

#[test]
fn jwt_claim_08_claims_of_a_refused_statement_never_reach_the_client() {
    // a statement signed by another key, claiming a different redirect URI
    let forged = common::sign(
        "PS256",
        &common::private_jwk("software-rsa2048"),
        &json!({"alg": "PS256", "kid": "directory-rsa2048"}),
        &ssa_claims(json!({"redirect_uris": ["https://attacker.example/cb"]})),
    );
    let a = run(&ssa_request(json!({"software_statement": forged, "redirect_uris": [CB]})), &generic_ssa_policy());
    let (_, error, _) = rejected(&a);
    assert_eq!(error, ErrorCode::InvalidSoftwareStatement);
    assert!(!serde_json::to_string(&a).unwrap().contains("\"client\""));
}

// ---------------------------------------------------------------- RFC 7592 management

fn mgmt_policy() -> Policy {
    policy(json!({"profile": "oidc", "issuer": AS, "registration_endpoint": REG}))
}

fn register(p: &Policy, seed: u64) -> (StoredClient, String) {
    match evaluate_registration(&md(json!({"redirect_uris": [CB], "client_name": "App"})), p, &mut SeededRandom::new(seed)) {
        RegistrationAnswer::Accepted { client, response, registration_access_token_hash, registration_access_token_expires_at, .. } => (
            StoredClient { client, registration_access_token_hash, registration_access_token_expires_at },
            response["registration_access_token"].as_str().unwrap().to_owned(),
        ),
        other => panic!("{other:?}"),
    }
}

fn mcall(op: Operation, stored: Option<&StoredClient>, client_id: &str, token: Option<&str>, body: Option<Value>) -> ManagementRequest {
    ManagementRequest {
        operation: op,
        client_id: client_id.to_owned(),
        stored: stored.cloned(),
        registration_access_token: token.map(str::to_owned),
        body: body.map(|b| b.to_string()),
        content_type: Some("application/json".into()),
        context: Context { now: NOW + 10, ..Context::default() },
        ..Default::default()
    }
}

fn mrun(req: &ManagementRequest) -> ManagementAnswer {
    evaluate_management(req, &mgmt_policy(), &mut SeededRandom::new(3))
}

#[track_caller]
fn mrejected(a: &ManagementAnswer) -> (u16, ErrorCode, Option<String>, Vec<String>) {
    match a {
        ManagementAnswer::Rejected { status, error, www_authenticate, violations, .. } => {
            (*status, *error, www_authenticate.clone(), violations.iter().map(|v| v.rule.clone()).collect())
        }
        other => panic!("expected rejection, got {other:?}"),
    }
}

#[test]
fn rfc7592_authz_01_another_clients_token_is_401_for_every_method() {
    let p = mgmt_policy();
    let (a, _) = register(&p, 1);
    let (_, token_b) = register(&p, 2);
    let id = a.client["client_id"].as_str().unwrap().to_owned();
    for op in [Operation::Read, Operation::Update, Operation::Delete] {
        let body = (op == Operation::Update).then(|| json!({"client_id": id, "redirect_uris": [CB]}));
        for bad in [Some(token_b.as_str()), Some(""), Some(" "), None] {
            let (status, error, www, _) = mrejected(&mrun(&mcall(op, Some(&a), &id, bad, body.clone())));
            assert_eq!((status, error), (401, ErrorCode::InvalidToken), "{op:?} {bad:?}");
            assert!(www.unwrap().starts_with("Bearer"), "RFC 6750 §3");
        }
    }
}

#[test]
fn rfc7592_authz_01_token_one_character_off_or_padded_is_401() {
    let p = mgmt_policy();
    let (a, token) = register(&p, 1);
    let id = a.client["client_id"].as_str().unwrap().to_owned();
    let mut off = token.clone().into_bytes();
    let last = off.len() - 1;
    off[last] = if off[last] == b'A' { b'B' } else { b'A' };
    for t in [
        String::from_utf8(off).unwrap(),
        format!("{token} "),
        format!(" {token}"),
        token[..token.len() - 1].to_owned(),
        token.to_uppercase(),
    ] {
        if t == token {
            continue;
        }
        let (status, ..) = mrejected(&mrun(&mcall(Operation::Read, Some(&a), &id, Some(&t), None)));
        assert_eq!(status, 401, "{t:?}");
    }
    assert!(matches!(mrun(&mcall(Operation::Read, Some(&a), &id, Some(&token), None)), ManagementAnswer::Accepted { status: 200, .. }));
}

#[test]
fn rfc7592_authz_02_unknown_client_is_401_never_404_and_revokes_the_token() {
    for op in [Operation::Read, Operation::Update, Operation::Delete] {
        let a = mrun(&mcall(op, None, "nope", Some("tok"), None));
        match &a {
            ManagementAnswer::Rejected { status, actions, .. } => {
                assert_eq!(*status, 401, "{op:?}");
                assert!(actions.contains(&HostAction::RevokePresentedToken));
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn rfc7592_update_08_invalid_metadata_in_a_put_uses_rfc7591_codes() {
    let p = mgmt_policy();
    let (a, token) = register(&p, 1);
    let id = a.client["client_id"].as_str().unwrap().to_owned();
    let put = |b: Value| mrun(&mcall(Operation::Update, Some(&a), &id, Some(&token), Some(b)));
    let (status, error, _, _) = mrejected(&put(json!({"client_id": id, "redirect_uris": ["https://app.example.com/cb#frag"]})));
    assert_eq!((status, error), (400, ErrorCode::InvalidRedirectUri));
    let (status, error, _, _) = mrejected(&put(json!({"client_id": id, "redirect_uris": [CB], "jwks_uri": "https://127.0.0.1/jwks"})));
    assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "DCR-SSRF-01 applies to updates too");
    // a non-object body
    let req = ManagementRequest { body: Some("[]".into()), ..mcall(Operation::Update, Some(&a), &id, Some(&token), None) };
    assert_eq!(mrejected(&mrun(&req)).0, 400);
}

#[test]
fn rfc7592_update_05_06_client_id_and_secret_checks() {
    let p = mgmt_policy();
    let (a, token) = register(&p, 1);
    let id = a.client["client_id"].as_str().unwrap().to_owned();
    let secret = a.client["client_secret"].as_str().unwrap().to_owned();
    let put = |b: Value| mrun(&mcall(Operation::Update, Some(&a), &id, Some(&token), Some(b)));
    for b in [
        json!({"client_id": format!("{id}x"), "redirect_uris": [CB]}),
        json!({"client_id": 5, "redirect_uris": [CB]}),
        json!({"client_id": id, "redirect_uris": [CB], "client_secret": format!("{secret}x")}),
        json!({"client_id": id, "redirect_uris": [CB], "client_secret": 0}),
    ] {
        let (status, error, _, _) = mrejected(&put(b.clone()));
        assert_eq!((status, error), (400, ErrorCode::InvalidRequest), "{b}");
    }
    match put(json!({"client_id": id, "redirect_uris": [CB], "client_secret": secret})) {
        ManagementAnswer::Accepted { status: 200, response: Some(r), .. } => {
            assert_eq!(r["client_id"], json!(id), "RFC7592-UPDATE-09: client_id never changes");
            assert_eq!(r["client_secret"], json!(secret));
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------- UK Open Banking (DCR v3.3 conformance)

fn ukob_ssa(over: Value) -> String {
    let mut c = json!({
        "iss": OB_ISS, "iat": NOW - 60, "jti": "ssa-ob-1", "software_id": OB_SW, "software_client_id": OB_SW,
        "software_client_name": "Budget Buddy", "software_redirect_uris": ["https://tpp.example.com/cb", "https://localhost/cb"],
        "software_roles": ["AISP", "PISP"], "software_jwks_endpoint": "https://keystore.example/tpp.jwks",
        "org_status": "Active", "org_id": "0015800001041REAAY"
    });
    for (k, v) in over.as_object().unwrap() {
        c[k] = v.clone();
    }
    common::sign("PS256", &common::private_jwk("directory-rsa2048"), &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}), &c)
}

fn ukob_claims(over: Value) -> Value {
    ukob_request_claims(ukob_ssa(json!({})), over)
}

fn ukob(over: Value) -> RegistrationAnswer {
    run(&ukob_signed_as("PS256", "software-rsa2048", "application/jose", &ukob_claims(over)), &ukob_policy())
}

#[test]
fn ukob_happy_path_with_es256_request_and_aud_array() {
    accepted(&run(&ukob_signed_as("ES256", "software-p256", "application/jose", &ukob_claims(json!({}))), &ukob_policy()));
    accepted(&ukob(json!({"aud": ["https://someone-else.example", AS]})));
}

#[test]
fn ukob_req_03_iss_pattern_dcr_004_values() {
    for iss in ["foo.is/invalid", "", "a23456789012345678901234567890"] {
        let (status, error, _) = rejected(&ukob(json!({ "iss": iss })));
        assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "{iss:?}");
    }
}

#[test]
fn ukob_req_02_every_request_claim_is_mandatory() {
    for claim in ["iss", "iat", "exp", "aud", "jti"] {
        let mut over = json!({});
        over[claim] = Value::Null;
        let (status, error, found) = rejected(&ukob(over));
        assert_eq!((status, error), (400, ErrorCode::InvalidClientMetadata), "{claim}: {found:?}");
    }
}

#[test]
fn ukob_req_05_07_expired_request_and_non_uuid_jti() {
    let (_, error, _) = rejected(&ukob(json!({"exp": NOW - 600, "iat": NOW - 900})));
    assert_eq!(error, ErrorCode::InvalidClientMetadata, "UKOB-REQ-05");
    for jti in ["not-a-uuid", "b3f1c0a2-4d5e-1f60-8a7b-9c0d1e2f3a4b", "b3f1c0a24d5e4f608a7b9c0d1e2f3a4b"] {
        let (_, error, _) = rejected(&ukob(json!({ "jti": jti })));
        assert_eq!(error, ErrorCode::InvalidClientMetadata, "UKOB-REQ-07: {jti}");
    }
    accepted(&ukob(json!({"jti": "B3F1C0A2-4D5E-4F60-8A7B-9C0D1E2F3A4B"})));
}

#[test]
fn ukob_req_08_request_signed_with_rs256_is_refused() {
    let a = run(&ukob_signed_as("RS256", "software-rsa2048", "application/jose", &ukob_claims(json!({}))), &ukob_policy());
    assert_eq!(rejected(&a).1, ErrorCode::InvalidClientMetadata);
}

#[test]
fn ukob_meta_01_localhost_redirect_is_refused_even_if_in_the_ssa() {
    let a = ukob(json!({"redirect_uris": ["https://localhost/cb"]}));
    let (_, error, found) = rejected(&a);
    assert_eq!(error, ErrorCode::InvalidRedirectUri);
    assert!(found.iter().any(|(r, p, _)| r.starts_with("UKOB-META-01") && p == "/redirect_uris/0"), "{found:?}");
}

#[test]
fn ukob_meta_05_06_defaults_and_mobile_alias() {
    let a = ukob(json!({"response_types": null}));
    let (client, _, _) = accepted(&a);
    assert_eq!(client["response_types"], json!(["code id_token"]), "UKOB-META-05");
    let a = ukob(json!({"application_type": "mobile"}));
    let (client, _, changes) = accepted(&a);
    assert_eq!(client["application_type"], json!("native"), "UKOB-META-06");
    assert!(changes.iter().any(|c| c.path == "/application_type"), "{changes:?}");
}

#[test]
fn ukob_meta_10_and_alg_01() {
    let (_, error, _) = rejected(&ukob(json!({"software_id": "SomeOtherSoftware01"})));
    assert_eq!(error, ErrorCode::InvalidSoftwareStatement, "UKOB-META-10");
    let (_, error, found) = rejected(&ukob(json!({"token_endpoint_auth_signing_alg": "RS256"})));
    assert_eq!(error, ErrorCode::InvalidClientMetadata);
    assert!(found.iter().any(|(_, p, _)| p == "/token_endpoint_auth_signing_alg"), "UKOB-ALG-01: {found:?}");
}

#[test]
fn ukob_ciba_01_push_mode_is_refused() {
    let a = ukob(json!({
        "grant_types": ["urn:openid:params:grant-type:ciba"], "response_types": null, "redirect_uris": null,
        "backchannel_token_delivery_mode": "push", "backchannel_client_notification_endpoint": "https://tpp.example.com/n",
        "backchannel_authentication_request_signing_alg": "PS256"
    }));
    let (_, _, found) = rejected(&a);
    assert!(found.iter().any(|(_, p, c)| p == "/backchannel_token_delivery_mode" && *c == ErrorCode::InvalidClientMetadata), "{found:?}");
}

// ---------------------------------------------------------------- Open Finance Brasil

#[test]
fn brof_meta_08_webhook_uris_pattern() {
    let org = "74e929d9-33b6-4d85-8ba7-c146c867a817";
    let sw = "f3a2b5e1-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
    let iss = "Open Banking Open Banking Brasil production SSA issuer";
    let jwks_uri = format!("https://keystore.directory.openbankingbrasil.org.br/{org}/{sw}/application.jwks");
    let p = policy(
        json!({"profile": "br-openfinance", "issuer": AS, "registration_endpoint": REG, "software_statement": {"trusted_issuers": [iss]}}),
    );
    let ssa = common::sign(
        "PS256",
        &common::private_jwk("directory-rsa2048"),
        &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}),
        &json!({
            "iss": iss, "iat": NOW - 20, "jti": "br-ssa-1", "software_id": sw, "org_id": org, "software_client_name": "Exemplo",
            "software_redirect_uris": ["https://app.exemplo.com.br/cb"], "software_jwks_uri": jwks_uri,
            "software_statement_roles": [{"role": "DADOS", "authorisation_domain": "Open Banking", "status": "Active"}]
        }),
    );
    let dn = format!("CN=app.exemplo.com.br,UID={sw},2.5.4.97=OFBBR-{org},O=Banco Exemplo,C=BR");
    let req = |webhooks: Value| RegistrationRequest {
        body: json!({
            "software_statement": ssa, "redirect_uris": ["https://app.exemplo.com.br/cb"],
            "grant_types": ["authorization_code", "client_credentials", "refresh_token"], "response_types": ["code id_token"],
            "token_endpoint_auth_method": "tls_client_auth", "tls_client_auth_subject_dn": dn, "jwks_uri": jwks_uri,
            "scope": "openid accounts", "webhook_uris": webhooks
        })
        .to_string(),
        content_type: Some("application/json".into()),
        context: Context { tls: Some(TlsContext { subject_dn: Some(dn.clone()), ..TlsContext::default() }), ..ctx() },
        jwks: SuppliedJwks { software_statement: Some(common::jwks_value(&["directory-rsa2048"])), software: None },
        sector_identifier: None,
    };
    accepted(&run(&req(json!(["https://api.exemplo.com.br/webhook"])), &p));
    for bad in ["https://api.exemplo.com.br/webhook/", "https://api.exemplo.com.br/webhook?x=1", "http://api.exemplo.com.br/webhook"] {
        // BROF-ERR-01: the ecosystem's own code `invalid_webhook_uris`, in the body too.
        refused(&run(&req(json!([bad])), &p), ErrorCode::InvalidWebhookUris, "BROF-META-08", "/webhook_uris/0");
    }
}

// ---------------------------------------------------------------- tiny HMAC for the alg-confusion test

mod hmac_free {
    use sha2::{Digest, Sha256};

    pub fn mac(key: &[u8], msg: &[u8]) -> Vec<u8> {
        let mut k = if key.len() > 64 { Sha256::digest(key).to_vec() } else { key.to_vec() };
        k.resize(64, 0);
        let inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
        let outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
        let ih = Sha256::new().chain_update(&inner).chain_update(msg).finalize();
        Sha256::new().chain_update(&outer).chain_update(ih).finalize().to_vec()
    }
}

// ---------------------------------------------------------------- registered key strength

#[test]
fn fapi1_key_01_and_fapi2_key_01_registered_rsa_keys_of_2048_bits() {
    let weak = common::jwks_value(&["weak-rsa1024"]);
    let strong = common::jwks_value(&["software-rsa2048"]);
    for (profile, rule) in [("fapi1-advanced", "FAPI1-KEY-01"), ("fapi2", "FAPI2-KEY-01")] {
        let inline = |jwks: &Value| {
            let mut m = fapi_md(json!({}));
            m.as_object_mut().unwrap().remove("jwks_uri");
            m["jwks"] = jwks.clone();
            m
        };
        refused(&run(&fapi_req(inline(&weak)), &fapi(profile)), ErrorCode::InvalidClientMetadata, rule, "/jwks/keys/0/n");
        accepted(&run(&fapi_req(inline(&strong)), &fapi(profile)));
    }
    // Plain RFC 7591: the same minimum (JWT-KEY-04), since the server verifies client assertions with it.
    let a = run(&md(json!({"redirect_uris": ["https://client.example.com/cb"], "jwks": weak})), &policy(json!({})));
    refused(&a, ErrorCode::InvalidClientMetadata, "JWT-KEY-04", "/jwks/keys/0/n");
}

#[test]
fn fapi2_key_01_unregistered_curves_are_refused_under_fapi_only() {
    let odd = json!({"keys": [{"kty": "EC", "crv": "P-192", "x": "AAAA", "y": "AAAA"}]});
    let mut m = fapi_md(json!({}));
    m.as_object_mut().unwrap().remove("jwks_uri");
    m["jwks"] = odd.clone();
    refused(&run(&fapi_req(m), &fapi("fapi2")), ErrorCode::InvalidClientMetadata, "FAPI2-KEY-01", "/jwks/keys/0/crv");
    accepted(&run(&md(json!({"redirect_uris": ["https://client.example.com/cb"], "jwks": odd})), &policy(json!({}))));
}

// ---------------------------------------------------------------- rule coverage (docs/rules.md)

fn warnings(a: &RegistrationAnswer) -> Vec<(String, String)> {
    match a {
        RegistrationAnswer::Accepted { violations, .. } => violations.iter().map(|v| (v.rule.clone(), v.path.clone())).collect(),
        other => panic!("expected accepted, got {}", show(other)),
    }
}

#[test]
fn fapi1_key_03_fapi2_jwks_01_duplicate_kid_is_a_warning() {
    let one = common::public_jwk("software-rsa2048");
    let mut twin = common::public_jwk("software-p256");
    twin["kid"] = one["kid"].clone();
    for (profile, rule) in [("fapi1-advanced", "FAPI1-KEY-03"), ("fapi2", "FAPI2-JWKS-01")] {
        let with = |keys: Value| {
            let mut m = fapi_md(json!({"jwks_uri": null}));
            m["jwks"] = json!({"keys": keys});
            run(&fapi_req(m), &fapi(profile))
        };
        let a = with(json!([one, twin]));
        assert_eq!(warnings(&a), vec![(rule.to_owned(), "/jwks/keys/1/kid".to_owned())], "{profile}");
        assert!(warnings(&with(json!([one, common::public_jwk("software-p256")]))).is_empty(), "{profile}: distinct kids");
    }
    // not a FAPI rule: plain OIDC stays quiet
    let mut m = json!({"redirect_uris": [CB], "token_endpoint_auth_method": "private_key_jwt"});
    m["jwks"] = json!({"keys": [one, twin]});
    assert!(warnings(&run(&md(m), &oidc())).iter().all(|(r, _)| r != "FAPI1-KEY-03" && r != "FAPI2-JWKS-01"));
}

#[test]
fn ukob_ciba_02_notification_endpoint_only_for_ping_and_at_most_256() {
    let ciba = |mode: &str, endpoint: Option<String>| {
        let mut over = json!({
            "grant_types": ["authorization_code", "refresh_token", "urn:openid:params:grant-type:ciba"],
            "backchannel_token_delivery_mode": mode,
            "backchannel_authentication_request_signing_alg": "PS256",
        });
        if let Some(e) = endpoint {
            over["backchannel_client_notification_endpoint"] = json!(e);
        }
        ukob(over)
    };
    accepted(&ciba("ping", Some("https://tpp.example.com/ciba".into())));
    accepted(&ciba("poll", None));
    refused(
        &ciba("poll", Some("https://tpp.example.com/ciba".into())),
        ErrorCode::InvalidClientMetadata,
        "UKOB-CIBA-02",
        "/backchannel_client_notification_endpoint",
    );
    let long = format!("https://tpp.example.com/{}", "c".repeat(240));
    refused(&ciba("ping", Some(long)), ErrorCode::InvalidClientMetadata, "UKOB-CIBA-02", "/backchannel_client_notification_endpoint");
    // without the ciba grant the endpoint is not registered either
    refused(
        &ukob(json!({"backchannel_client_notification_endpoint": "https://tpp.example.com/ciba"})),
        ErrorCode::InvalidClientMetadata,
        "UKOB-CIBA-02",
        "/backchannel_client_notification_endpoint",
    );
}

#[test]
fn rfc7591_endpoint_02_plain_http_endpoint_is_refused() {
    let mut req = md(json!({"redirect_uris": [CB]}));
    accepted(&run(&req, &oidc()));
    for url in ["http://as.example.com/register", "HTTP://as.example.com/register", "http://localhost:8080/register"] {
        req.context.endpoint_url = Some(url.into());
        let (status, error, found) = rejected(&run(&req, &oidc()));
        assert_eq!((status, error), (400, ErrorCode::InvalidRequest), "{url}");
        assert_eq!(found, vec![("RFC7591-ENDPOINT-02".to_owned(), "/endpoint_url".to_owned(), ErrorCode::InvalidRequest)]);
    }
}

#[test]
fn rfc7592_endpoint_02_plain_http_management_call_is_refused() {
    let p = mgmt_policy();
    let (a, token) = register(&p, 1);
    let id = a.client["client_id"].as_str().unwrap().to_owned();
    let mut req = mcall(Operation::Read, Some(&a), &id, Some(&token), None);
    assert!(matches!(mrun(&req), ManagementAnswer::Accepted { status: 200, .. }));
    req.context.endpoint_url = Some(format!("http://as.example.com/register/{id}"));
    let (status, error, _, rules) = mrejected(&mrun(&req));
    assert_eq!((status, error, rules), (400, ErrorCode::InvalidRequest, vec!["RFC7592-ENDPOINT-02".to_owned()]));
}

#[test]
fn ukob_err_01_error_description_is_at_most_500_characters() {
    let long = format!("https://app.example.com/{}", "p".repeat(3000));
    let m = json!({"redirect_uris": [CB], "client_name": "x", "jwks_uri": long, "jwks": {"keys": []}});
    let a = run(&md(m), &oidc());
    match &a {
        RegistrationAnswer::Rejected { error_description, response, .. } => {
            assert!(error_description.chars().count() <= 500, "{}", error_description.len());
            assert_eq!(response["error_description"], json!(error_description));
        }
        other => panic!("{}", show(other)),
    }
    let mut key = Map::new();
    key.insert(format!("client_name#{}", "a".repeat(900)), json!(5));
    key.insert("redirect_uris".into(), json!([CB]));
    match run(&md(Value::Object(key)), &oidc()) {
        RegistrationAnswer::Rejected { error_description, .. } => {
            assert_eq!(error_description.chars().count(), 500, "a long path is cut: {error_description}");
            assert!(error_description.ends_with("..."));
        }
        other => panic!("{}", show(&other)),
    }
}
