//! JOSE verification through the public API: every algorithm, claims with
//! leeway, two-phase inspection, codes and sources per token kind.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::jose::algs;

use dcr_policy::jose::{Jwks, TokenKind, VerifyOptions, inspect, verify};
use dcr_policy::{ErrorCode, Limits, Source};
use serde_json::{Value, json};

pub const NOW: i64 = 1_750_000_000;

pub fn opts<'a>(algs: &'a [String], limits: &'a Limits) -> VerifyOptions<'a> {
    common::jose::verify_options(algs, limits, NOW, 60)
}

fn claims() -> Value {
    json!({"iss": "directory", "iat": NOW - 10, "exp": NOW + 600, "jti": "j-1", "software_id": "s-1"})
}

fn token(alg: &str, kid: &str, claims: &Value) -> String {
    common::sign(alg, &common::private_jwk(kid), &json!({"alg": alg, "kid": kid, "typ": "JWT"}), claims)
}

#[test]
fn jwt_key_06_every_supported_algorithm_verifies() {
    let all = ["directory-rsa2048", "software-rsa2048", "software-p256", "other-p384", "other-ed25519"];
    let jwks = common::jwks(&all);
    let (algs, limits) = (algs(), Limits::default());
    for (alg, kid) in [
        ("RS256", "software-rsa2048"),
        ("RS384", "software-rsa2048"),
        ("RS512", "software-rsa2048"),
        ("PS256", "directory-rsa2048"),
        ("PS384", "software-rsa2048"),
        ("PS512", "software-rsa2048"),
        ("ES256", "software-p256"),
        ("ES384", "other-p384"),
        ("EdDSA", "other-ed25519"),
    ] {
        let v = verify(&token(alg, kid, &claims()), &jwks, &opts(&algs, &limits)).unwrap_or_else(|e| panic!("{alg}: {e:?}"));
        assert_eq!(v.alg, alg);
        assert_eq!(v.kid.as_deref(), Some(kid));
        assert_eq!(v.jti.as_deref(), Some("j-1"));
        assert_eq!(v.iss.as_deref(), Some("directory"));
        assert_eq!(v.claims["software_id"], "s-1");
    }
}

#[test]
fn jwt_key_01_without_kid_the_single_fitting_key_is_used() {
    let jwks = common::jwks(&["software-p256", "directory-rsa2048"]);
    let t = common::sign("ES256", &common::private_jwk("software-p256"), &json!({"alg": "ES256"}), &claims());
    let (algs, limits) = (algs(), Limits::default());
    assert!(verify(&t, &jwks, &opts(&algs, &limits)).is_ok());
}

#[test]
fn jwt_key_01_without_kid_two_fitting_keys_are_ambiguous() {
    let jwks = common::jwks(&["software-rsa2048", "directory-rsa2048"]);
    let t = common::sign("PS256", &common::private_jwk("directory-rsa2048"), &json!({"alg": "PS256"}), &claims());
    let (algs, limits) = (algs(), Limits::default());
    let e = verify(&t, &jwks, &opts(&algs, &limits)).unwrap_err();
    assert_eq!(e[0].reason.as_deref(), Some("ambiguous_key"));
}

#[test]
fn jwt_claim_02_to_05_leeway_boundaries() {
    let jwks = common::jwks(&["software-p256"]);
    let (algs, limits) = (algs(), Limits::default());
    let o = opts(&algs, &limits);
    let ok = |c: Value| verify(&token("ES256", "software-p256", &c), &jwks, &o).is_ok();
    // exp: valid until exp + leeway (exclusive)
    assert!(ok(json!({"iss": "i", "exp": NOW - 59})));
    assert!(!ok(json!({"iss": "i", "exp": NOW - 60})));
    // nbf: valid from nbf - leeway
    assert!(ok(json!({"iss": "i", "nbf": NOW + 60})));
    assert!(!ok(json!({"iss": "i", "nbf": NOW + 61})));
    // iat: at most leeway in the future
    assert!(ok(json!({"iss": "i", "iat": NOW + 60})));
    assert!(!ok(json!({"iss": "i", "iat": NOW + 61})));
    // fractional NumericDate is a number too
    assert!(ok(json!({"iss": "i", "exp": NOW as f64 + 0.5})));
    // JWT-CLAIM-05 / BROF-SSA-02: max age via iat, strict (the leeway only covers a clock ahead)
    let o = VerifyOptions { max_age: Some(300), ..o };
    let ok = |c: Value| verify(&token("ES256", "software-p256", &c), &jwks, &o).is_ok();
    assert!(ok(json!({"iss": "i", "iat": NOW - 300})));
    assert!(!ok(json!({"iss": "i", "iat": NOW - 301})));
    assert!(!ok(json!({"iss": "i", "iat": NOW - 360})));
    let e = verify(&token("ES256", "software-p256", &json!({"iss": "i"})), &jwks, &o).unwrap_err();
    assert_eq!((e[0].rule.as_str(), e[0].path.as_str(), e[0].reason.as_deref()), ("JWT-CLAIM-05", "/iat", Some("missing")));
}

#[test]
fn jwt_claim_06_aud_string_or_array() {
    let jwks = common::jwks(&["software-p256"]);
    let (algs, limits) = (algs(), Limits::default());
    let audience = ["https://as.example".to_owned()];
    let o = VerifyOptions { kind: TokenKind::RequestJwt, audience: &audience, ..opts(&algs, &limits) };
    let run = |c: Value| verify(&token("ES256", "software-p256", &c), &jwks, &o);
    assert!(run(json!({"iss": "i", "aud": "https://as.example"})).is_ok());
    assert!(run(json!({"iss": "i", "aud": ["x", "https://as.example"]})).is_ok());
    let e = run(json!({"iss": "i", "aud": []})).unwrap_err();
    assert_eq!(e[0].reason.as_deref(), Some("mismatch"));
    let e = run(json!({"iss": "i", "aud": 7})).unwrap_err();
    assert_eq!(e[0].reason.as_deref(), Some("type"));
    let e = run(json!({"iss": "i"})).unwrap_err();
    assert_eq!((e[0].error, e[0].source, e[0].path.as_str()), (ErrorCode::InvalidClientMetadata, Source::RequestJwt, "/aud"));
}

#[test]
fn jwt_claim_01_issuer_trust_and_codes_per_kind() {
    let jwks = common::jwks(&["directory-rsa2048"]);
    let (algs, limits) = (algs(), Limits::default());
    let issuers = ["OpenBanking Ltd".to_owned()];
    let o = VerifyOptions { issuers: &issuers, ..opts(&algs, &limits) };
    let t = token("PS256", "directory-rsa2048", &claims());
    let e = verify(&t, &jwks, &o).unwrap_err();
    assert_eq!((e[0].error, e[0].rule.as_str(), e[0].path.as_str()), (ErrorCode::UnapprovedSoftwareStatement, "RFC7591-SS-05", "/iss"));
    let e = verify(&t, &jwks, &VerifyOptions { kind: TokenKind::RequestJwt, ..o }).unwrap_err();
    assert_eq!((e[0].error, e[0].rule.as_str()), (ErrorCode::InvalidClientMetadata, "JWT-CLAIM-01"));
    // missing iss on an SSA: RFC7591-SS-02
    let t = token("PS256", "directory-rsa2048", &json!({"iat": NOW}));
    let e = verify(&t, &jwks, &opts(&algs, &limits)).unwrap_err();
    assert_eq!((e[0].rule.as_str(), e[0].error), ("RFC7591-SS-02", ErrorCode::InvalidSoftwareStatement));
}

#[test]
fn jwt_claim_07_required_claims_and_jti_type() {
    let jwks = common::jwks(&["software-p256"]);
    let (algs, limits) = (algs(), Limits::default());
    let required = ["jti".to_owned(), "software_id".to_owned(), "exp".to_owned()];
    let o = VerifyOptions { required_claims: &required, ..opts(&algs, &limits) };
    let e = verify(&token("ES256", "software-p256", &json!({"iss": "i", "jti": 5})), &jwks, &o).unwrap_err();
    let got: Vec<(&str, &str)> = e.iter().map(|v| (v.rule.as_str(), v.path.as_str())).collect();
    assert_eq!(got, [("JWT-CLAIM-07", "/jti"), ("JWT-CLAIM-07", "/software_id"), ("JWT-CLAIM-02", "/exp")]);
    assert!(verify(&token("ES256", "software-p256", &claims()), &jwks, &o).is_ok());
}

#[test]
fn jwt_typ_01_fixed_typ_and_other_kinds() {
    let jwks = common::jwks(&["software-p256"]);
    let (algs, limits) = (algs(), Limits::default());
    let o = VerifyOptions { typ: Some("JWT"), ..opts(&algs, &limits) };
    let jwk = common::private_jwk("software-p256");
    let with_typ = |typ: Value| common::sign("ES256", &jwk, &json!({"alg": "ES256", "typ": typ}), &claims());
    assert!(verify(&with_typ(json!("jwt")), &jwks, &o).is_ok());
    assert!(verify(&with_typ(json!("application/JWT")), &jwks, &o).is_ok());
    let e = verify(&with_typ(json!("JOSE")), &jwks, &o).unwrap_err();
    assert_eq!((e[0].rule.as_str(), e[0].path.as_str()), ("JWT-TYP-01", "/typ"));
    let e = verify(&common::sign("ES256", &jwk, &json!({"alg": "ES256"}), &claims()), &jwks, &o).unwrap_err();
    assert_eq!(e[0].reason.as_deref(), Some("missing"));
    // no fixed typ: other JWT kinds are still refused
    let e = verify(&with_typ(json!("dpop+jwt")), &jwks, &opts(&algs, &limits)).unwrap_err();
    assert_eq!(e[0].reason.as_deref(), Some("wrong_kind"));
}

#[test]
fn inspect_parses_without_verifying() {
    // signed by a key the host has not supplied: inspect does not care
    let t = token("PS256", "directory-rsa2048", &claims());
    let i = inspect(&t, &Limits::default(), TokenKind::SoftwareStatement).unwrap();
    assert_eq!((i.alg.as_deref(), i.kid.as_deref(), i.typ.as_deref()), (Some("PS256"), Some("directory-rsa2048"), Some("JWT")));
    assert_eq!(i.claims["iss"], "directory");
    // but it is strict about format
    let e = inspect("a.b", &Limits::default(), TokenKind::RequestJwt).unwrap_err();
    assert_eq!((e[0].rule.as_str(), e[0].source, e[0].error), ("JWT-FMT-01", Source::RequestJwt, ErrorCode::InvalidClientMetadata));
    let jwk = common::private_jwk("software-p256");
    let dup = common::sign_parts("ES256", &jwk, r#"{"alg":"ES256"}"#, r#"{"iss":"a","iss":"b"}"#);
    let e = inspect(&dup, &Limits::default(), TokenKind::SoftwareStatement).unwrap_err();
    assert_eq!((e[0].path.as_str(), e[0].source, e[0].reason.as_deref()), ("/iss", Source::SoftwareStatement, Some("duplicate_member")));
}

#[test]
fn jwks_reports_private_members_with_paths_and_keeps_unusable_keys() {
    let v = json!({"keys": [common::public_jwk("software-p256"), common::private_jwk("software-rsa2048")]});
    let e = Jwks::from_value(&v, "/software_jwks").unwrap_err();
    let paths: Vec<&str> = e.iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/software_jwks/keys/1/d",
            "/software_jwks/keys/1/p",
            "/software_jwks/keys/1/q",
            "/software_jwks/keys/1/dp",
            "/software_jwks/keys/1/dq",
            "/software_jwks/keys/1/qi"
        ]
    );
    assert!(e.iter().all(|v| v.source == Source::Jwks && v.rule == "JWT-KEY-01"));
    let ok = common::jwks(&["software-p256", "weak-rsa1024"]);
    assert_eq!((ok.len(), ok.usable()), (2, 1));
    assert_eq!(ok.kids(), ["software-p256", "weak-rsa1024"]);
}

/// `verify_inspected` (used by the registration pipeline to avoid decoding a
/// token twice) reaches exactly the decisions `verify` reaches.
#[test]
fn verify_inspected_matches_verify() {
    use dcr_policy::jose::verify_inspected;
    let algs = algs();
    let limits = Limits::default();
    let good = token("PS256", "directory-rsa2048", &claims());
    let mut tampered = good.clone();
    tampered.insert(good.find('.').unwrap() + 3, 'A');
    let expired = token("PS256", "directory-rsa2048", &json!({"iss": "https://directory.example", "iat": NOW - 7200, "exp": NOW - 3600}));
    let other_key = token("PS256", "software-rsa2048", &claims());
    let es = token("ES256", "software-p256", &claims());
    let jwks = common::jwks(&["directory-rsa2048", "software-p256"]);
    let narrow = vec!["ES256".to_owned()];
    for o in [
        opts(&algs, &limits),
        VerifyOptions { algorithms: &narrow, ..opts(&algs, &limits) },
        VerifyOptions { max_age: Some(60), ..opts(&algs, &limits) },
    ] {
        for t in [&good, &tampered, &expired, &other_key, &es] {
            let Ok(i) = inspect(t, &limits, o.kind) else { continue };
            let a = verify(t, &jwks, &o)
                .map(|v| (v.claims, v.alg, v.kid, v.jti))
                .map_err(|e| e.into_iter().map(|v| (v.rule, v.path)).collect::<Vec<_>>());
            let b = verify_inspected(t, &i, &jwks, &o)
                .map(|v| (v.claims, v.alg, v.kid, v.jti))
                .map_err(|e| e.into_iter().map(|v| (v.rule, v.path)).collect::<Vec<_>>());
            assert_eq!(a, b);
        }
    }
}
