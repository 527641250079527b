//! OIDCDCR-SECTOR-02: the JSON array served at `sector_identifier_uri`, as
//! the host fetched it, must list every registered redirect URI (code point
//! for code point, OIDCDCR-STRING-01). Two-phase: `inspect_registration`
//! names the document, `evaluate_registration` / an RFC 7592 PUT check it.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used, clippy::panic, clippy::unreachable)]

mod common;

use common::fixtures::policy;

use dcr_policy::host::{Context, FetchedDocument, SeededRandom};
use dcr_policy::management::{ManagementAnswer, ManagementRequest, Operation, StoredClient, evaluate_management};
use dcr_policy::policy::Policy;
use dcr_policy::registration::{
    DocumentRequirement, InspectAnswer, RegistrationAnswer, RegistrationRequest, SuppliedJwks, evaluate_registration, inspect_registration,
};
use dcr_policy::{ErrorCode, Severity, Source, Violation, validate_metadata};
use serde_json::{Value, json};

const NOW: i64 = 1_764_000_000;
const SECTOR: &str = "https://app.example.com/sector.json";
const CB1: &str = "https://app.example.com/cb";
const CB2: &str = "https://other.example.com/cb";

fn oidc() -> Policy {
    policy(json!({"profile": "oidc"}))
}

fn metadata() -> Value {
    json!({"redirect_uris": [CB1, CB2], "subject_type": "pairwise", "sector_identifier_uri": SECTOR})
}

fn doc(uri: &str, body: Option<&str>) -> Option<FetchedDocument> {
    Some(FetchedDocument { uri: uri.to_owned(), body: body.map(str::to_owned) })
}

fn listing(uris: &[&str]) -> String {
    serde_json::to_string(uris).unwrap()
}

fn request(metadata: &Value, sector: Option<FetchedDocument>) -> RegistrationRequest {
    RegistrationRequest {
        body: metadata.to_string(),
        // OIDCDCR-OUT-03: the registration access token needs a configuration URL.
        context: Context { now: NOW, endpoint_url: Some("https://as.example/register".into()), ..Context::default() },
        sector_identifier: sector,
        ..Default::default()
    }
}

fn run(req: &RegistrationRequest, p: &Policy) -> RegistrationAnswer {
    evaluate_registration(req, p, &mut SeededRandom::new(7))
}

fn sector_findings(violations: &[Violation]) -> Vec<&Violation> {
    violations.iter().filter(|v| v.rule == "OIDCDCR-SECTOR-02").collect()
}

/// The OIDCDCR-SECTOR-02 findings of a rejection (400 invalid_client_metadata).
#[track_caller]
fn rejected(a: &RegistrationAnswer) -> Vec<Violation> {
    match a {
        RegistrationAnswer::Rejected { status, error, violations, .. } => {
            assert_eq!((*status, *error), (400, ErrorCode::InvalidClientMetadata), "{violations:#?}");
            sector_findings(violations).into_iter().cloned().collect()
        }
        other => panic!("expected rejected, got {}", serde_json::to_string_pretty(other).unwrap()),
    }
}

/// The OIDCDCR-SECTOR-02 findings of an acceptance (warnings only).
#[track_caller]
fn accepted(a: &RegistrationAnswer) -> Vec<Violation> {
    match a {
        RegistrationAnswer::Accepted { violations, .. } => sector_findings(violations).into_iter().cloned().collect(),
        other => panic!("expected accepted, got {}", serde_json::to_string_pretty(other).unwrap()),
    }
}

/// One finding: (path, reason, severity), with the fixed code, rule and source checked.
#[track_caller]
fn shape(v: &Violation) -> (&str, &str, Severity) {
    assert_eq!((v.error, v.rule.as_str(), v.source), (ErrorCode::InvalidClientMetadata, "OIDCDCR-SECTOR-02", Source::Metadata));
    assert!(v.message.chars().next().is_some_and(|c| !c.is_uppercase()), "lowercase message: {}", v.message);
    (v.path.as_str(), v.reason.as_deref().unwrap_or(""), v.severity)
}

#[track_caller]
fn only(findings: &[Violation]) -> (&str, &str, Severity) {
    assert_eq!(findings.len(), 1, "{findings:#?}");
    shape(&findings[0])
}

// ------------------------------------------------------------ evaluate

#[test]
fn oidcdcr_sector_02_pass_every_redirect_uri_listed() {
    let body = listing(&[CB1, "https://third.example.com/cb", CB2]);
    let findings = accepted(&run(&request(&metadata(), doc(SECTOR, Some(&body))), &oidc()));
    assert!(findings.is_empty(), "{findings:#?}");
}

#[test]
fn oidcdcr_sector_02_pass_a_sector_listing_more_uris_than_a_metadata_array_may_hold() {
    // A sector document lists every client of the sector: 600 entries (over the
    // default `max_array_len` of 256) within the body limit are read.
    let mut uris: Vec<String> = (0..600).map(|i| format!("https://client{i}.example.com/cb")).collect();
    uris.push(CB1.to_owned());
    uris.push(CB2.to_owned());
    let body = serde_json::to_string(&uris).unwrap();
    assert!(body.len() < 64 * 1024);
    let findings = accepted(&run(&request(&metadata(), doc(SECTOR, Some(&body))), &oidc()));
    assert!(findings.is_empty(), "{findings:#?}");
    // the body limit still holds
    let p = policy(json!({"profile": "oidc", "limits": {"max_body_bytes": 4096, "max_string_bytes": 1024}}));
    let findings = rejected(&run(&request(&metadata(), doc(SECTOR, Some(&body))), &p));
    assert!(findings.iter().any(|v| v.reason.as_deref() == Some("not_an_array")), "{findings:#?}");
}

#[test]
fn oidcdcr_sector_02_fail_not_supplied_rejects_by_default() {
    let f = rejected(&run(&request(&metadata(), None), &oidc()));
    assert_eq!(only(&f), ("/sector_identifier_uri", "not_supplied", Severity::Error));
}

#[test]
fn oidcdcr_sector_02_not_supplied_follows_the_switch() {
    let warn = policy(json!({"profile": "oidc", "checks": {"sector_identifier_content": "warn"}}));
    assert_eq!(only(&accepted(&run(&request(&metadata(), None), &warn))), ("/sector_identifier_uri", "not_supplied", Severity::Warning));
    let off = policy(json!({"profile": "oidc", "checks": {"sector_identifier_content": "off"}}));
    assert!(accepted(&run(&request(&metadata(), None), &off)).is_empty());
    // Off only means "not fetched is fine": a supplied document is still checked.
    let f = rejected(&run(&request(&metadata(), doc(SECTOR, Some(&listing(&[CB1])))), &off));
    assert_eq!(only(&f), ("/redirect_uris/1", "missing_redirect_uri", Severity::Error));
}

#[test]
fn oidcdcr_sector_02_fail_uri_mismatch() {
    for other in ["https://app.example.com/sector.json/", "https://APP.example.com/sector.json", "https://app.example.com/other.json"] {
        let body = listing(&[CB1, CB2]);
        let f = rejected(&run(&request(&metadata(), doc(other, Some(&body))), &oidc()));
        assert_eq!(only(&f), ("/sector_identifier_uri", "uri_mismatch", Severity::Error), "{other}");
    }
}

#[test]
fn oidcdcr_sector_02_fail_fetch_failed_whatever_the_switches() {
    let f = rejected(&run(&request(&metadata(), doc(SECTOR, None)), &oidc()));
    assert_eq!(only(&f), ("/sector_identifier_uri", "fetch_failed", Severity::Error));
    let lenient =
        policy(json!({"profile": "oidc", "checks": {"sector_identifier_content": "off", "sector_identifier_redirect_uris": "warn"}}));
    let f = rejected(&run(&request(&metadata(), doc(SECTOR, None)), &lenient));
    assert_eq!(only(&f), ("/sector_identifier_uri", "fetch_failed", Severity::Error));
}

#[test]
fn oidcdcr_sector_02_fail_not_an_array() {
    let big: Vec<String> = (0..3000).map(|i| format!("https://app.example.com/cb{i}")).collect();
    let too_long = serde_json::to_string(&big).unwrap();
    assert!(too_long.len() > 64 * 1024);
    for body in [
        r#"{"redirect_uris": ["https://app.example.com/cb", "https://other.example.com/cb"]}"#,
        "\"https://app.example.com/cb\"",
        "<html>not json</html>",
        "",
        r#"["https://app.example.com/cb", 42, "https://other.example.com/cb"]"#,
        r#"["https://app.example.com/cb", "https://app.example.com/cb", "https://other.example.com/cb"] trailing"#,
        too_long.as_str(), // over the policy's max_body_bytes (64 KiB): the strict reader's limits apply
    ] {
        let f = rejected(&run(&request(&metadata(), doc(SECTOR, Some(body))), &oidc()));
        assert_eq!(only(&f), ("/sector_identifier_uri", "not_an_array", Severity::Error), "{body}");
    }
}

#[test]
fn oidcdcr_sector_02_fail_missing_redirect_uri_one_finding_each() {
    let f = rejected(&run(&request(&metadata(), doc(SECTOR, Some("[]"))), &oidc()));
    let paths: Vec<_> = f.iter().map(shape).collect();
    assert_eq!(
        paths,
        [("/redirect_uris/0", "missing_redirect_uri", Severity::Error), ("/redirect_uris/1", "missing_redirect_uri", Severity::Error)]
    );
    let f = rejected(&run(&request(&metadata(), doc(SECTOR, Some(&listing(&[CB2])))), &oidc()));
    assert_eq!(only(&f), ("/redirect_uris/0", "missing_redirect_uri", Severity::Error));
    assert!(f[0].message.contains(CB1), "{}", f[0].message);
}

#[test]
fn oidcdcr_string_01_sector_listing_is_compared_code_point_for_code_point() {
    for near in [
        "https://app.example.com/cb/",    // trailing slash
        "https://APP.example.com/cb",     // host case
        "HTTPS://app.example.com/cb",     // scheme case
        "https://app.example.com/c%62",   // percent-encoding of `b`
        "https://app.example.com:443/cb", // default port spelled out
        "https://app.example.com/cb ",    // trailing space
        "https://app.example.com/cb#",    // empty fragment
    ] {
        let f = rejected(&run(&request(&metadata(), doc(SECTOR, Some(&listing(&[near, CB2])))), &oidc()));
        assert_eq!(only(&f), ("/redirect_uris/0", "missing_redirect_uri", Severity::Error), "{near}");
    }
    // JSON escapes are JSON, not URI, spelling: `\/` is `/`.
    let escaped = r#"["https:\/\/app.example.com\/cb", "https://other.example.com/cb"]"#;
    assert!(accepted(&run(&request(&metadata(), doc(SECTOR, Some(escaped))), &oidc())).is_empty());
}

#[test]
fn oidcdcr_sector_02_skipped_when_the_uri_is_already_refused() {
    // OIDCDCR-SECTOR-01 (http) and DCR-SSRF-01 (internal host) report the URI;
    // the content is not asked for on top.
    for (uri, rule) in [("http://app.example.com/sector.json", "OIDCDCR-SECTOR-01"), ("https://10.0.0.8/sector.json", "DCR-SSRF-01")] {
        let md = json!({"redirect_uris": [CB1], "sector_identifier_uri": uri});
        match run(&request(&md, None), &oidc()) {
            RegistrationAnswer::Rejected { violations, .. } => {
                assert!(violations.iter().any(|v| v.rule == rule && v.path == "/sector_identifier_uri"), "{violations:#?}");
                assert!(sector_findings(&violations).is_empty(), "{violations:#?}");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn oidcdcr_sector_02_document_without_sector_identifier_uri_is_ignored() {
    let md = json!({"redirect_uris": [CB1]});
    assert!(accepted(&run(&request(&md, doc(SECTOR, None)), &oidc())).is_empty());
}

#[test]
fn oidcdcr_sector_02_validate_metadata_does_not_run_it() {
    let out = validate_metadata(metadata().as_object().unwrap(), &oidc());
    assert!(out.is_valid(), "{:#?}", out.violations);
    assert!(sector_findings(&out.violations).is_empty());
}

#[test]
fn oidcdcr_sector_02_listing_switch_warn() {
    let warn = policy(json!({"profile": "oidc", "checks": {"sector_identifier_redirect_uris": "warn"}}));
    let f = accepted(&run(&request(&metadata(), doc(SECTOR, Some(&listing(&[CB1])))), &warn));
    assert_eq!(only(&f), ("/redirect_uris/1", "missing_redirect_uri", Severity::Warning));
    let f = accepted(&run(&request(&metadata(), doc(SECTOR, Some("{}"))), &warn));
    assert_eq!(only(&f), ("/sector_identifier_uri", "not_an_array", Severity::Warning));
}

// ------------------------------------------------------------ software statement precedence

fn ssa_policy() -> Policy {
    policy(json!({
        "profile": "oidc",
        "software_statement": {"required": true, "trusted_issuers": ["https://directory.example"], "signing_algs": ["PS256"], "max_age": 3600}
    }))
}

fn ssa(sector: &str) -> String {
    let claims = json!({
        "iss": "https://directory.example", "iat": NOW - 10, "exp": NOW + 600, "jti": "ssa-1", "software_id": "sw-1",
        "redirect_uris": [CB1, CB2], "sector_identifier_uri": sector
    });
    common::sign(
        "PS256",
        &common::private_jwk("directory-rsa2048"),
        &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}),
        &claims,
    )
}

fn ssa_request(sent_sector: Option<&str>, sector: Option<FetchedDocument>) -> RegistrationRequest {
    let mut md = json!({"software_statement": ssa("https://directory.example/sw-1/sector.json"), "redirect_uris": [CB1, CB2]});
    if let Some(s) = sent_sector {
        md["sector_identifier_uri"] = json!(s);
    }
    RegistrationRequest {
        jwks: SuppliedJwks { software_statement: Some(common::jwks_value(&["directory-rsa2048"])), software: None },
        ..request(&md, sector)
    }
}

#[test]
fn oidcdcr_sector_02_uri_from_the_software_statement() {
    let p = ssa_policy();
    let from_ssa = "https://directory.example/sw-1/sector.json";
    // inspect names the SSA's URI (RFC7591-SS-07: it wins over the body's)
    for sent in [None, Some(SECTOR)] {
        match inspect_registration(&ssa_request(sent, None), &p) {
            InspectAnswer::Inspected { documents, violations, .. } => {
                assert_eq!(documents, [DocumentRequirement { purpose: "sector_identifier".into(), uri: from_ssa.into() }]);
                assert!(violations.iter().all(|v| !v.is_error()), "{violations:#?}");
            }
            other => panic!("{other:?}"),
        }
    }
    let listed = listing(&[CB1, CB2]);
    assert!(accepted(&run(&ssa_request(None, doc(from_ssa, Some(&listed))), &p)).is_empty());
    assert!(accepted(&run(&ssa_request(Some(SECTOR), doc(from_ssa, Some(&listed))), &p)).is_empty());
    // the document of the body's (overridden) URI is not the registered one's
    let f = rejected(&run(&ssa_request(Some(SECTOR), doc(SECTOR, Some(&listed))), &p));
    assert_eq!(only(&f), ("/sector_identifier_uri", "uri_mismatch", Severity::Error));
    let f = rejected(&run(&ssa_request(None, doc(from_ssa, Some(&listing(&[CB2])))), &p));
    assert_eq!(only(&f), ("/redirect_uris/0", "missing_redirect_uri", Severity::Error));
}

#[test]
fn oidcdcr_sector_02_uri_from_a_mapped_software_statement_claim() {
    // a directory that names the claim differently, mapped by `claim_map`
    let p = policy(json!({
        "profile": "oidc",
        "software_statement": {
            "required": true, "trusted_issuers": ["https://directory.example"], "signing_algs": ["PS256"], "max_age": 3600,
            "claim_map": {"software_sector_uri": {"to": "sector_identifier_uri", "mode": "override"}}
        }
    }));
    let mapped = "https://directory.example/mapped/sector.json";
    let claims = json!({
        "iss": "https://directory.example", "iat": NOW - 10, "exp": NOW + 600, "jti": "ssa-2", "software_id": "sw-2",
        "redirect_uris": [CB1], "software_sector_uri": mapped
    });
    let token = common::sign(
        "PS256",
        &common::private_jwk("directory-rsa2048"),
        &json!({"alg": "PS256", "kid": "directory-rsa2048", "typ": "JWT"}),
        &claims,
    );
    let req = RegistrationRequest {
        jwks: SuppliedJwks { software_statement: Some(common::jwks_value(&["directory-rsa2048"])), software: None },
        ..request(&json!({"software_statement": token, "redirect_uris": [CB1]}), None)
    };
    let (docs, _) = inspected(&req, &p);
    assert_eq!(docs, [DocumentRequirement { purpose: "sector_identifier".into(), uri: mapped.into() }]);
    let f = rejected(&run(&req, &p));
    assert_eq!(only(&f), ("/sector_identifier_uri", "not_supplied", Severity::Error));
    assert!(accepted(&run(&RegistrationRequest { sector_identifier: doc(mapped, Some(&listing(&[CB1]))), ..req }, &p)).is_empty());
}

// ------------------------------------------------------------ inspect

fn inspected(req: &RegistrationRequest, p: &Policy) -> (Vec<DocumentRequirement>, Vec<Violation>) {
    match inspect_registration(req, p) {
        InspectAnswer::Inspected { documents, violations, .. } => (documents, violations),
        other => panic!("{other:?}"),
    }
}

#[test]
fn oidcdcr_sector_02_inspect_lists_the_document() {
    let (docs, violations) = inspected(&request(&metadata(), None), &oidc());
    assert_eq!(docs, [DocumentRequirement { purpose: "sector_identifier".into(), uri: SECTOR.into() }]);
    assert!(violations.is_empty());
    let wire = serde_json::to_value(inspect_registration(&request(&metadata(), None), &oidc())).unwrap();
    assert_eq!(wire["documents"], json!([{"for": "sector_identifier", "uri": SECTOR}]));
    // nothing to fetch: no sector identifier, an `http` one (OIDCDCR-SECTOR-01 refuses it), or a host that never fetches
    assert!(inspected(&request(&json!({"redirect_uris": [CB1]}), None), &oidc()).0.is_empty());
    let http = json!({"redirect_uris": [CB1], "sector_identifier_uri": "http://app.example.com/s.json"});
    assert!(inspected(&request(&http, None), &oidc()).0.is_empty());
    let off = policy(json!({"profile": "oidc", "checks": {"sector_identifier_content": "off"}}));
    assert!(inspected(&request(&metadata(), None), &off).0.is_empty());
    // a value enforced by the policy is what gets registered, so it is what to fetch
    let enforced = policy(json!({"profile": "oidc", "enforce": {"sector_identifier_uri": "https://as.example/sector.json"}}));
    assert_eq!(inspected(&request(&metadata(), None), &enforced).0[0].uri, "https://as.example/sector.json");
}

#[test]
fn dcr_ssrf_01_inspect_flags_an_internal_sector_identifier_uri() {
    for host in ["127.0.0.1", "10.1.2.3", "[::1]", "localhost", "metadata.internal", "0x7f.1"] {
        let md = json!({"redirect_uris": [CB1], "sector_identifier_uri": format!("https://{host}/sector.json")});
        let (docs, violations) = inspected(&request(&md, None), &oidc());
        assert!(docs.is_empty(), "{host}: must not be fetched");
        let v = violations.iter().find(|v| v.rule == "DCR-SSRF-01").unwrap_or_else(|| panic!("{host}: {violations:#?}"));
        assert_eq!((v.path.as_str(), v.severity, v.source), ("/sector_identifier_uri", Severity::Error, Source::Metadata));
    }
    // from the software statement: reported against the statement
    let req = ssa_request(None, None);
    let mut md: Value = serde_json::from_str(&req.body).unwrap();
    md["software_statement"] = json!(ssa("https://192.168.1.1/sector.json"));
    let (docs, violations) = inspected(&RegistrationRequest { body: md.to_string(), ..req }, &ssa_policy());
    assert!(docs.is_empty());
    let v = violations.iter().find(|v| v.rule == "DCR-SSRF-01").unwrap();
    assert_eq!(v.source, Source::SoftwareStatement);
    // `warn`: reported, and listed (the operator accepts internal targets)
    let warn = policy(json!({"profile": "oidc", "checks": {"internal_fetch_targets": "warn"}}));
    let md = json!({"redirect_uris": [CB1], "sector_identifier_uri": "https://10.1.2.3/sector.json"});
    let (docs, violations) = inspected(&request(&md, None), &warn);
    assert_eq!(docs.len(), 1);
    assert_eq!(violations.iter().find(|v| v.rule == "DCR-SSRF-01").unwrap().severity, Severity::Warning);
    // `off`: silent, listed
    let off = policy(json!({"profile": "oidc", "checks": {"internal_fetch_targets": "off"}}));
    let (docs, violations) = inspected(&request(&md, None), &off);
    assert_eq!((docs.len(), violations.len()), (1, 0));
}

// ------------------------------------------------------------ RFC 7592 update

fn registered(p: &Policy) -> (StoredClient, String) {
    match run(&request(&metadata(), doc(SECTOR, Some(&listing(&[CB1, CB2])))), p) {
        RegistrationAnswer::Accepted { client, response, registration_access_token_hash, .. } => (
            StoredClient { client, registration_access_token_hash, registration_access_token_expires_at: None },
            response["registration_access_token"].as_str().unwrap().to_owned(),
        ),
        other => panic!("{other:?}"),
    }
}

fn put(stored: &StoredClient, token: &str, md: &Value, sector: Option<FetchedDocument>) -> ManagementRequest {
    let mut body = md.clone();
    body["client_id"] = stored.client["client_id"].clone();
    ManagementRequest {
        operation: Operation::Update,
        client_id: stored.client["client_id"].as_str().unwrap().to_owned(),
        stored: Some(stored.clone()),
        registration_access_token: Some(token.to_owned()),
        body: Some(body.to_string()),
        context: Context { now: NOW + 60, ..Context::default() },
        sector_identifier: sector,
        ..Default::default()
    }
}

#[test]
fn oidcdcr_sector_02_update_checks_the_new_metadata() {
    let p = oidc();
    let (stored, token) = registered(&p);
    let mut md = metadata();
    md["redirect_uris"] = json!([CB1, CB2, "https://third.example.com/cb"]);
    let update = |sector| evaluate_management(&put(&stored, &token, &md, sector), &p, &mut SeededRandom::new(9));
    let findings = |a: ManagementAnswer| match a {
        ManagementAnswer::Rejected { status: 400, error: ErrorCode::InvalidClientMetadata, violations, .. } => violations,
        other => panic!("expected 400, got {other:?}"),
    };
    // the array still lists only the first two
    let v = findings(update(doc(SECTOR, Some(&listing(&[CB1, CB2])))));
    assert_eq!(
        only(&sector_findings(&v).into_iter().cloned().collect::<Vec<_>>()),
        ("/redirect_uris/2", "missing_redirect_uri", Severity::Error)
    );
    // not fetched for the PUT
    let v = findings(update(None));
    assert_eq!(only(&sector_findings(&v).into_iter().cloned().collect::<Vec<_>>()).1, "not_supplied");
    // the array lists the new one
    let a = update(doc(SECTOR, Some(&listing(&[CB1, CB2, "https://third.example.com/cb"]))));
    assert!(matches!(a, ManagementAnswer::Accepted { status: 200, .. }), "{a:?}");
}

// ------------------------------------------------------------ JSON boundary

#[test]
fn oidcdcr_sector_02_through_the_json_boundary() {
    let p = oidc();
    let call = json!({"body": metadata().to_string(), "context": {"now": NOW}, "sector_identifier": {"uri": SECTOR, "body": listing(&[CB1, CB2])}});
    let a = dcr_policy::ffi::evaluate_registration_json(&call.to_string(), &p);
    assert_eq!(serde_json::to_value(&a).unwrap()["outcome"], "accepted");
    let call = json!({"body": metadata().to_string(), "context": {"now": NOW}, "sector_identifier": {"uri": SECTOR, "body": null}});
    let a = serde_json::to_value(dcr_policy::ffi::evaluate_registration_json(&call.to_string(), &p)).unwrap();
    assert_eq!((a["outcome"].as_str(), a["violations"][0]["reason"].as_str()), (Some("rejected"), Some("fetch_failed")));
    // envelope typos are the host's mistake (deny_unknown_fields)
    let call = json!({"body": "{}", "sector_identifier": {"url": SECTOR}});
    let a = serde_json::to_value(dcr_policy::ffi::evaluate_registration_json(&call.to_string(), &p)).unwrap();
    assert_eq!(a["outcome"], "invalid_call");
    let a = dcr_policy::ffi::inspect_registration_json(&json!({"body": metadata().to_string()}).to_string(), &p);
    assert_eq!(a["documents"], json!([{"for": "sector_identifier", "uri": SECTOR}]));
}

// ------------------------------------------------------------ hostile documents

#[test]
fn oidcdcr_sector_02_hostile_documents_are_answered() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let huge = format!(r#"["{}"]"#, "x".repeat(1 << 20));
    let dupes = r#"[{"a":1,"a":2}]"#.to_owned();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut bodies = vec![deep, huge, dupes, "\u{0}".into(), "[\"\u{fffd}\"]".into()];
    for i in 0..300 {
        let raw: Vec<u8> = (0..(i % 61) + 1)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                b"[]\",:{}0aeh/\\ "[usize::try_from(seed % 14).unwrap()]
            })
            .collect();
        bodies.push(String::from_utf8_lossy(&raw).into_owned());
    }
    for body in &bodies {
        match run(&request(&metadata(), doc(SECTOR, Some(body))), &oidc()) {
            RegistrationAnswer::Rejected { violations, .. } => {
                let f = sector_findings(&violations);
                assert!(!f.is_empty(), "{body:.40}: {violations:#?}");
                assert!(f.iter().all(|v| matches!(v.reason.as_deref(), Some("not_an_array" | "missing_redirect_uri"))), "{f:#?}");
            }
            other => panic!("{body:.40}: {other:?}"),
        }
    }
}
