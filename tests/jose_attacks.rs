//! Attacks on software statements and signed requests. Each test names the
//! rule it proves and checks the rule, path and reason of the refusal, and
//! (where meaningful) that the same token without the attack verifies.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::jose::algs;

use dcr_policy::jose::{TokenKind, VerifyOptions, b64, verify};
use dcr_policy::policy::EmbeddedKeys;
use dcr_policy::{ErrorCode, Limits, Source, Violation};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const NOW: i64 = 1_750_000_000;

fn opts<'a>(algs: &'a [String], limits: &'a Limits) -> VerifyOptions<'a> {
    common::jose::verify_options(algs, limits, NOW, 30)
}

fn claims() -> Value {
    json!({"iss": "directory", "iat": NOW - 5, "exp": NOW + 300, "jti": "3f1c"})
}

/// Verifies `token` against `kids` with default options; returns the first violation.
fn refuse(token: &str, kids: &[&str]) -> Violation {
    let (algs, limits) = (algs(), Limits::default());
    let e = verify(token, &common::jwks(kids), &opts(&algs, &limits)).expect_err("must be refused");
    e.into_iter().next().unwrap()
}

fn accept(token: &str, kids: &[&str]) {
    let (algs, limits) = (algs(), Limits::default());
    verify(token, &common::jwks(kids), &opts(&algs, &limits)).expect("control token must verify");
}

fn is(v: &Violation, rule: &str, path: &str, reason: &str) {
    assert_eq!((v.rule.as_str(), v.path.as_str(), v.reason.as_deref()), (rule, path, Some(reason)), "{v:?}");
    assert_eq!(v.error, ErrorCode::InvalidSoftwareStatement);
}

fn ps256(header: Value, claims: &Value) -> String {
    common::sign("PS256", &common::private_jwk("directory-rsa2048"), &header, claims)
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let pad = |b: u8| k.iter().map(|x| x ^ b).collect::<Vec<u8>>();
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(msg).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().to_vec()
}

#[test]
fn jwt_alg_05_hs256_keyed_with_the_rsa_public_key_is_refused() {
    // The classic confusion: MAC the token with the verifier's public key material.
    let public = common::public_jwk("directory-rsa2048");
    let input =
        format!("{}.{}", b64::encode(br#"{"alg":"HS256","kid":"directory-rsa2048"}"#), b64::encode(claims().to_string().as_bytes()));
    for secret in [public.to_string().into_bytes(), b64::decode(public["n"].as_str().unwrap()).unwrap()] {
        let token = format!("{input}.{}", b64::encode(&hmac_sha256(&secret, input.as_bytes())));
        is(&refuse(&token, &["directory-rsa2048"]), "JWT-ALG-05", "/alg", "alg_hmac");
    }
    // Even a policy that lists HS256 does not make it acceptable.
    let listed = vec!["HS256".to_owned(), "PS256".to_owned()];
    let limits = Limits::default();
    let token = format!("{input}.{}", b64::encode(&hmac_sha256(b"k", input.as_bytes())));
    let e = verify(&token, &common::jwks(&["directory-rsa2048"]), &opts(&listed, &limits)).unwrap_err();
    is(&e[0], "JWT-ALG-05", "/alg", "alg_hmac");
}

#[test]
fn jwt_alg_01_none_in_any_case_is_refused() {
    for alg in ["none", "NONE", "None"] {
        let token =
            format!("{}.{}.", b64::encode(format!(r#"{{"alg":"{alg}"}}"#).as_bytes()), b64::encode(claims().to_string().as_bytes()));
        is(&refuse(&token, &["directory-rsa2048"]), "JWT-ALG-01", "/alg", "alg_none");
    }
}

#[test]
fn jwt_alg_02_alg_outside_the_policy_list_is_refused_before_keys() {
    let (limits, only_es256) = (Limits::default(), vec!["ES256".to_owned()]);
    let token = ps256(json!({"alg": "PS256", "kid": "directory-rsa2048"}), &claims());
    let e = verify(&token, &common::jwks(&["directory-rsa2048"]), &opts(&only_es256, &limits)).unwrap_err();
    is(&e[0], "JWT-ALG-02", "/alg", "alg_not_allowed");
    accept(&token, &["directory-rsa2048"]);
}

#[test]
fn jwt_key_01_unknown_kid_is_refused() {
    let token = ps256(json!({"alg": "PS256", "kid": "rotated-away"}), &claims());
    let v = refuse(&token, &["directory-rsa2048"]);
    is(&v, "JWT-KEY-01", "/kid", "unknown_kid");
    assert_eq!(v.source, Source::SoftwareStatementHeader);
    assert!(v.message.contains("unknown kid"));
}

#[test]
fn jwt_key_02_kid_pointing_at_an_encryption_key_is_refused() {
    let mut enc = common::public_jwk("directory-rsa2048");
    enc["use"] = json!("enc");
    let jwks = dcr_policy::jose::Jwks::from_value(&json!({"keys": [enc]}), "/jwks").unwrap();
    let (algs, limits) = (algs(), Limits::default());
    let token = ps256(json!({"alg": "PS256", "kid": "directory-rsa2048"}), &claims());
    let e = verify(&token, &jwks, &opts(&algs, &limits)).unwrap_err();
    is(&e[0], "JWT-KEY-02", "/kid", "key_use");
    // key_ops without verify
    let mut ops = common::public_jwk("directory-rsa2048");
    ops.as_object_mut().unwrap().remove("use");
    ops["key_ops"] = json!(["encrypt"]);
    let jwks = dcr_policy::jose::Jwks::from_value(&json!({"keys": [ops]}), "/jwks").unwrap();
    let e = verify(&token, &jwks, &opts(&algs, &limits)).unwrap_err();
    is(&e[0], "JWT-KEY-02", "/kid", "key_ops");
}

#[test]
fn jwt_key_06_tampered_payload_is_refused_and_claims_are_not_evaluated() {
    let token = ps256(json!({"alg": "PS256", "kid": "directory-rsa2048"}), &claims());
    let parts: Vec<&str> = token.split('.').collect();
    // expired and from an untrusted issuer, but the signature fails first (JWT-CLAIM-08)
    let forged = json!({"iss": "attacker", "exp": NOW - 1000});
    let tampered = format!("{}.{}.{}", parts[0], b64::encode(forged.to_string().as_bytes()), parts[2]);
    let (algs, limits) = (algs(), Limits::default());
    let issuers = ["directory".to_owned()];
    let o = VerifyOptions { issuers: &issuers, ..opts(&algs, &limits) };
    let e = verify(&tampered, &common::jwks(&["directory-rsa2048"]), &o).unwrap_err();
    assert_eq!(e.len(), 1, "{e:?}");
    is(&e[0], "JWT-KEY-06", "", "signature");
    assert_eq!(e[0].message, "signature did not verify");
    accept(&token, &["directory-rsa2048"]);
}

#[test]
fn jwt_key_06_truncated_signature_is_refused() {
    let token = ps256(json!({"alg": "PS256", "kid": "directory-rsa2048"}), &claims());
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = b64::decode(sig).unwrap();
    let truncated = format!("{input}.{}", b64::encode(&sig[..sig.len() - 1]));
    is(&refuse(&truncated, &["directory-rsa2048"]), "JWT-KEY-06", "", "signature");
    let empty = format!("{input}.");
    is(&refuse(&empty, &["directory-rsa2048"]), "JWT-KEY-06", "", "signature");
}

fn der_int(x: &[u8]) -> Vec<u8> {
    let mut x: Vec<u8> = x.iter().copied().skip_while(|b| *b == 0).collect();
    if x.first().is_some_and(|b| b & 0x80 != 0) {
        x.insert(0, 0);
    }
    let mut out = vec![0x02, x.len() as u8];
    out.extend(x);
    out
}

#[test]
fn jwt_key_06_der_encoded_es256_signature_is_refused() {
    let jwk = common::private_jwk("software-p256");
    let token = common::sign("ES256", &jwk, &json!({"alg": "ES256", "kid": "software-p256"}), &claims());
    accept(&token, &["software-p256"]);
    let (input, sig) = token.rsplit_once('.').unwrap();
    let raw = b64::decode(sig).unwrap();
    let body = [der_int(&raw[..32]), der_int(&raw[32..])].concat();
    let der = [vec![0x30, body.len() as u8], body].concat();
    let token = format!("{input}.{}", b64::encode(&der));
    is(&refuse(&token, &["software-p256"]), "JWT-KEY-06", "", "signature");
}

#[test]
fn jwt_claim_02_03_04_time_attacks() {
    let kid = ["directory-rsa2048"];
    let h = json!({"alg": "PS256", "kid": "directory-rsa2048"});
    is(&refuse(&ps256(h.clone(), &json!({"iss": "d", "exp": NOW - 31})), &kid), "JWT-CLAIM-02", "/exp", "expired");
    is(&refuse(&ps256(h.clone(), &json!({"iss": "d", "nbf": NOW + 31})), &kid), "JWT-CLAIM-03", "/nbf", "not_yet_valid");
    is(&refuse(&ps256(h.clone(), &json!({"iss": "d", "iat": NOW + 3600})), &kid), "JWT-CLAIM-04", "/iat", "issued_in_future");
    is(&refuse(&ps256(h.clone(), &json!({"iss": "d", "exp": "soon"})), &kid), "JWT-CLAIM-02", "/exp", "type");
    // every time problem at once
    let (algs, limits) = (algs(), Limits::default());
    let token = ps256(h, &json!({"iss": "d", "exp": NOW - 100, "nbf": NOW + 100, "iat": NOW + 100}));
    let e = verify(&token, &common::jwks(&kid), &opts(&algs, &limits)).unwrap_err();
    assert_eq!(e.len(), 3, "{e:?}");
}

#[test]
fn jwt_claim_06_wrong_audience_is_refused() {
    let (algs, limits) = (algs(), Limits::default());
    let audience = ["https://bank.example".to_owned()];
    let o = VerifyOptions { audience: &audience, ..opts(&algs, &limits) };
    let token = ps256(json!({"alg": "PS256", "kid": "directory-rsa2048"}), &json!({"iss": "d", "aud": "https://evil.example"}));
    let e = verify(&token, &common::jwks(&["directory-rsa2048"]), &o).unwrap_err();
    is(&e[0], "JWT-CLAIM-06", "/aud", "mismatch");
}

#[test]
fn jwt_fmt_04_oversized_token_is_refused_before_decoding() {
    let big = json!({"iss": "d", "pad": "x".repeat(70_000)});
    let token = ps256(json!({"alg": "PS256", "kid": "directory-rsa2048"}), &big);
    let v = refuse(&token, &["directory-rsa2048"]);
    is(&v, "JWT-FMT-04", "", "too_large");
    assert_eq!(v.source, Source::SoftwareStatement);
}

#[test]
fn jwt_fmt_02_duplicate_members_in_header_and_claims() {
    let jwk = common::private_jwk("directory-rsa2048");
    let t = common::sign_parts("PS256", &jwk, r#"{"alg":"PS256","kid":"directory-rsa2048","alg":"none"}"#, r#"{"iss":"d"}"#);
    let v = refuse(&t, &["directory-rsa2048"]);
    is(&v, "JWT-FMT-02", "/alg", "duplicate_member");
    assert_eq!(v.source, Source::SoftwareStatementHeader);
    let t = common::sign_parts("PS256", &jwk, r#"{"alg":"PS256","kid":"directory-rsa2048"}"#, r#"{"iss":"d","iss":"e"}"#);
    let v = refuse(&t, &["directory-rsa2048"]);
    is(&v, "JWT-FMT-02", "/iss", "duplicate_member");
    assert_eq!(v.source, Source::SoftwareStatement);
}

#[test]
fn jwt_fmt_03_unknown_crit_and_b64_false_are_refused() {
    let h = json!({"alg": "PS256", "kid": "directory-rsa2048", "crit": ["exp"], "exp": 1});
    is(&refuse(&ps256(h, &claims()), &["directory-rsa2048"]), "JWT-FMT-03", "/crit", "crit");
    let h = json!({"alg": "PS256", "kid": "directory-rsa2048", "b64": false, "crit": ["b64"]});
    let (algs, limits) = (algs(), Limits::default());
    let e = verify(&ps256(h, &claims()), &common::jwks(&["directory-rsa2048"]), &opts(&algs, &limits)).unwrap_err();
    let rules: Vec<(&str, &str)> = e.iter().map(|v| (v.rule.as_str(), v.path.as_str())).collect();
    assert_eq!(rules, [("JWT-FMT-03", "/crit"), ("JWT-FMT-03", "/b64")]);
}

#[test]
fn jwt_key_03_embedded_key_headers_are_refused_by_default_and_never_used() {
    // The attacker embeds their own key and signs with it.
    let attacker = common::private_jwk("software-p256");
    let claims = claims();
    for (name, value) in [
        ("jwk", common::public_jwk("software-p256")),
        ("x5c", json!(["MIIB"])),
        ("jku", json!("https://attacker.example/jwks")),
        ("x5u", json!("https://attacker.example/cert.pem")),
    ] {
        let mut h = json!({"alg": "ES256", "kid": "directory-rsa2048"});
        h[name] = value;
        let token = common::sign("ES256", &attacker, &h, &claims);
        is(&refuse(&token, &["directory-rsa2048"]), "JWT-KEY-03", &format!("/{name}"), "embedded_key");
        // `ignore` accepts the header but still takes keys from the trusted set only.
        let (algs, limits) = (algs(), Limits::default());
        let o = VerifyOptions { embedded_keys: EmbeddedKeys::Ignore, ..opts(&algs, &limits) };
        let e = verify(&token, &common::jwks(&["directory-rsa2048"]), &o).unwrap_err();
        is(&e[0], "JWT-ALG-04", "/kid", "key_alg"); // the trusted key is PS256-only
    }
}

#[test]
fn jwt_key_04_rsa_1024_key_is_refused() {
    let token = common::sign("RS256", &common::private_jwk("weak-rsa1024"), &json!({"alg": "RS256", "kid": "weak-rsa1024"}), &claims());
    let v = refuse(&token, &["weak-rsa1024"]);
    is(&v, "JWT-KEY-04", "/kid", "key_too_small");
    assert!(v.message.contains("1024"), "{}", v.message);
}

#[test]
fn jwt_alg_03_wrong_curve_is_refused() {
    // ES256 header naming a P-384 key (signed with the P-384 key's ES384 math).
    let p384 = common::private_jwk("other-p384");
    let token = common::sign("ES384", &p384, &json!({"alg": "ES256", "kid": "other-p384"}), &claims());
    // the P-384 JWK declares alg ES384, which JWT-ALG-04 catches first
    is(&refuse(&token, &["other-p384"]), "JWT-ALG-04", "/kid", "key_alg");
    let mut no_alg = common::public_jwk("other-p384");
    no_alg.as_object_mut().unwrap().remove("alg");
    let jwks = dcr_policy::jose::Jwks::from_value(&json!({"keys": [no_alg]}), "/jwks").unwrap();
    let (algs, limits) = (algs(), Limits::default());
    let e = verify(&token, &jwks, &opts(&algs, &limits)).unwrap_err();
    is(&e[0], "JWT-ALG-03", "/kid", "key_type");
    // an EC key's coordinates on the wrong curve never load
    let mut wrong = common::public_jwk("software-p256");
    wrong["crv"] = json!("P-384");
    wrong["alg"] = json!("ES384");
    let jwks = dcr_policy::jose::Jwks::from_value(&json!({"keys": [wrong]}), "/jwks").unwrap();
    assert_eq!(jwks.usable(), 0);
}

#[test]
fn jwt_fmt_01_padded_and_non_canonical_base64url_is_refused() {
    let token = ps256(json!({"alg": "PS256", "kid": "directory-rsa2048"}), &claims());
    accept(&token, &["directory-rsa2048"]);
    let parts: Vec<&str> = token.split('.').collect();
    // padding on the payload
    let padded = format!("{}.{}==.{}", parts[0], parts[1], parts[2]);
    is(&refuse(&padded, &["directory-rsa2048"]), "JWT-FMT-01", "", "base64url_alphabet");
    // standard alphabet in the signature
    let std_alpha = format!("{}.{}.{}", parts[0], parts[1], parts[2].replace('-', "+").replace('_', "/"));
    if std_alpha != token {
        is(&refuse(&std_alpha, &["directory-rsa2048"]), "JWT-FMT-01", "", "base64url_alphabet");
    }
    // non-canonical last character: a 256-byte RSA signature leaves 2 spare bits
    let sig = parts[2];
    let last = sig.chars().last().unwrap();
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let idx = alphabet.find(last).unwrap();
    let bumped = alphabet.chars().nth(idx | 1).unwrap();
    assert_ne!(bumped, last, "canonical last char has zero low bits");
    let non_canonical = format!("{}.{}.{}{}", parts[0], parts[1], &sig[..sig.len() - 1], bumped);
    is(&refuse(&non_canonical, &["directory-rsa2048"]), "JWT-FMT-01", "", "base64url_non_canonical");
    // a padded header
    let h = format!("{}=", parts[0]);
    let v = refuse(&format!("{h}.{}.{}", parts[1], parts[2]), &["directory-rsa2048"]);
    assert_eq!((v.source, v.reason.as_deref()), (Source::SoftwareStatementHeader, Some("base64url_alphabet")));
}

#[test]
fn jwt_fmt_01_jwe_and_json_serialization_are_refused() {
    let v = refuse("a.b.c.d.e", &["directory-rsa2048"]);
    is(&v, "JWT-FMT-01", "", "segments");
    assert!(v.message.contains("JWE"));
    is(&refuse(r#"{"payload":"e30","signatures":[]}"#, &["directory-rsa2048"]), "JWT-FMT-01", "", "segments");
}

#[test]
fn request_jwt_failures_use_invalid_client_metadata_and_request_sources() {
    let (algs, limits) = (algs(), Limits::default());
    let o = VerifyOptions { kind: TokenKind::RequestJwt, ..opts(&algs, &limits) };
    let token = format!("{}.{}.", b64::encode(br#"{"alg":"none"}"#), b64::encode(b"{}"));
    let e = verify(&token, &common::jwks(&["software-rsa2048"]), &o).unwrap_err();
    assert_eq!((e[0].error, e[0].source), (ErrorCode::InvalidClientMetadata, Source::RequestJwtHeader));
}
