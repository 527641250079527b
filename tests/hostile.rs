//! Hostile input at the JSON boundary: every entry point answers (never
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used)]
//! panics) on malformed, huge, deep, mistyped or random input.

use dcr_policy::ffi;
use dcr_policy::policy::Policy;
use serde_json::Value;

fn entry_points(input: &str) -> Vec<String> {
    let p = Policy::default();
    vec![
        ffi::to_json(&ffi::validate_metadata_json(input, &p)),
        ffi::to_json(&ffi::evaluate_registration_json(input, &p)),
        ffi::to_json(&ffi::inspect_registration_json(input, &p)),
        ffi::to_json(&ffi::evaluate_management_json(input, &p)),
        ffi::to_json(&ffi::validate_metadata_call("{}", Some(input))),
    ]
}

fn outcome(answer: &str) -> String {
    let v: Value = serde_json::from_str(answer).expect("answers are JSON");
    v["outcome"].as_str().expect("answers carry an outcome").to_owned()
}

/// xorshift: deterministic pseudo-random bytes without a dependency.
fn bytes(seed: &mut u64, n: usize) -> Vec<u8> {
    (0..n)
        .map(|_| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            (*seed & 0xff) as u8
        })
        .collect()
}

#[test]
fn random_bytes_never_panic() {
    let mut seed = 0x9e37_79b9_7f4a_7c15;
    let alphabet = br#"{}[]":,0123456789.eE+-truefalsnl \\u"#;
    for i in 0..3000 {
        let raw = bytes(&mut seed, (i % 97) + 1);
        // half structured-looking (JSON alphabet), half arbitrary UTF-8
        let s: String = if i % 2 == 0 {
            raw.iter().map(|b| char::from(alphabet[usize::from(*b) % alphabet.len()])).collect()
        } else {
            String::from_utf8_lossy(&raw).into_owned()
        };
        for a in entry_points(&s) {
            assert!(!outcome(&a).is_empty());
        }
    }
}

#[test]
fn deep_nesting_and_huge_documents_are_answered() {
    let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
    for a in entry_points(&deep) {
        assert!(!outcome(&a).is_empty());
    }
    let deep_obj = format!("{}1{}", r#"{"a":"#.repeat(10_000), "}".repeat(10_000));
    let a = ffi::to_json(&ffi::validate_metadata_json(&deep_obj, &Policy::default()));
    assert!(a.contains("too_deep"), "{a}");
    let huge = format!(r#"{{"client_name":"{}"}}"#, "x".repeat(10 << 20));
    let a = ffi::to_json(&ffi::validate_metadata_json(&huge, &Policy::default()));
    assert!(a.contains("too_large"), "{}", &a[..200.min(a.len())]);
}

#[test]
fn wrong_types_in_every_known_field_are_violations_not_panics() {
    let fields = [
        "redirect_uris",
        "grant_types",
        "response_types",
        "token_endpoint_auth_method",
        "client_name",
        "scope",
        "contacts",
        "jwks",
        "jwks_uri",
        "software_statement",
        "application_type",
        "default_max_age",
        "require_auth_time",
        "post_logout_redirect_uris",
        "tls_client_auth_subject_dn",
        "request_uris",
        "sector_identifier_uri",
        "backchannel_token_delivery_mode",
    ];
    let values = [
        r#"null"#,
        r#"1"#,
        r#"-1"#,
        r#"1e400"#,
        r#"true"#,
        r#""""#,
        r#"[]"#,
        r#"[null]"#,
        r#"[1,2]"#,
        r#"{}"#,
        r#"{"keys":1}"#,
        r#""\u0000""#,
    ];
    for f in fields {
        for v in values {
            let doc = format!(r#"{{"{f}":{v}}}"#);
            for a in entry_points(&doc) {
                assert!(!outcome(&a).is_empty());
            }
            let call = format!(r#"{{"body":{}}}"#, serde_json::to_string(&doc).unwrap());
            let a = ffi::to_json(&ffi::evaluate_registration_json(&call, &Policy::default()));
            assert!(!outcome(&a).is_empty());
        }
    }
}

#[test]
fn malformed_jwt_bodies_are_answered() {
    let bodies = ["", ".", "..", "a.b.c", "a.b.c.d.e", "eyJhbGciOiJub25lIn0.e30.", "eyJ.eyJ.AAA", "====.====.====", &"A".repeat(100_000)];
    for b in bodies {
        for ct in ["application/jwt", "application/json", "text/plain"] {
            let call = serde_json::json!({"body": b, "content_type": ct}).to_string();
            let a = ffi::to_json(&ffi::evaluate_registration_json(&call, &Policy::default()));
            assert!(!outcome(&a).is_empty());
            let a = ffi::to_json(&ffi::inspect_registration_json(&call, &Policy::default()));
            assert!(!outcome(&a).is_empty());
        }
        let call = serde_json::json!({"body": serde_json::json!({"software_statement": b}).to_string()}).to_string();
        let a = ffi::to_json(&ffi::evaluate_registration_json(&call, &Policy::default()));
        assert!(!outcome(&a).is_empty());
    }
}
