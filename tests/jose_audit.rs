//! JOSE / JWT attack audit (RFC 8725 and peer-library CVEs) of software
//! statement and signed-request verification: the scenarios tests/jose.rs,
//! tests/jose_attacks.rs and tests/wycheproof.rs do not already replay.
//! Each test names the rule it proves; each refusal is paired with a control
//! token that verifies, so the test can fail both ways.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod common;

use common::jose::algs;

use dcr_policy::jose::{Jwks, TokenKind, VerifyOptions, b64, verify};
use dcr_policy::policy::EmbeddedKeys;
use dcr_policy::{ErrorCode, Limits, Source, Violation};
use serde_json::{Value, json};

const NOW: i64 = 1_750_000_000;

fn opts<'a>(algs: &'a [String], limits: &'a Limits) -> VerifyOptions<'a> {
    common::jose::verify_options(algs, limits, NOW, 30)
}

fn claims() -> Value {
    json!({"iss": "directory", "iat": NOW - 5, "exp": NOW + 300, "jti": "audit-1"})
}

fn run(token: &str, jwks: &Jwks) -> Result<dcr_policy::jose::Verified, Vec<Violation>> {
    let (algs, limits) = (algs(), Limits::default());
    verify(token, jwks, &opts(&algs, &limits))
}

fn refuse_with(token: &str, jwks: &Jwks) -> Violation {
    run(token, jwks).expect_err("must be refused").into_iter().next().unwrap()
}

fn refuse(token: &str, kids: &[&str]) -> Violation {
    refuse_with(token, &common::jwks(kids))
}

fn accept(token: &str, kids: &[&str]) {
    run(token, &common::jwks(kids)).expect("control token must verify");
}

fn is(v: &Violation, rule: &str, path: &str, reason: &str) {
    assert_eq!((v.rule.as_str(), v.path.as_str(), v.reason.as_deref()), (rule, path, Some(reason)), "{v:?}");
    assert_eq!(v.error, ErrorCode::InvalidSoftwareStatement, "{v:?}");
}

fn set(keys: Vec<Value>) -> Jwks {
    Jwks::from_value(&json!({ "keys": keys }), "/jwks").unwrap()
}

fn es256_token() -> String {
    common::sign("ES256", &common::private_jwk("software-p256"), &json!({"alg": "ES256", "kid": "software-p256"}), &claims())
}

fn ps256_token(header: &Value, claims: &Value) -> String {
    common::sign("PS256", &common::private_jwk("directory-rsa2048"), header, claims)
}

fn ps256_header() -> Value {
    json!({"alg": "PS256", "kid": "directory-rsa2048"})
}

/// Replaces the signature segment.
fn with_sig(token: &str, sig: &[u8]) -> String {
    let (input, _) = token.rsplit_once('.').unwrap();
    format!("{input}.{}", b64::encode(sig))
}

fn sig_of(token: &str) -> Vec<u8> {
    b64::decode(token.rsplit_once('.').unwrap().1).unwrap()
}

/// Unsigned token with raw header text and an arbitrary signature segment.
fn raw(header: &str, claims: &Value, sig: &str) -> String {
    format!("{}.{}.{sig}", b64::encode(header.as_bytes()), b64::encode(claims.to_string().as_bytes()))
}

/// Big-endian a − b (a ≥ b, same length).
fn sub_be(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; a.len()];
    let mut borrow = 0i16;
    for i in (0..a.len()).rev() {
        let mut d = i16::from(a[i]) - i16::from(b[i]) - borrow;
        borrow = i16::from(d < 0);
        if d < 0 {
            d += 256;
        }
        out[i] = d as u8;
    }
    assert_eq!(borrow, 0);
    out
}

/// Big-endian a + b, `None` on carry out of the width.
fn add_be(a: &[u8], b: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0u8; a.len()];
    let mut carry = 0u16;
    for i in (0..a.len()).rev() {
        let s = u16::from(a[i]) + u16::from(b[i]) + carry;
        out[i] = (s & 0xff) as u8;
        carry = s >> 8;
    }
    (carry == 0).then_some(out)
}

/// The order of P-256.
const P256_N: [u8; 32] = [
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
    0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
];

// ------------------------------------------------------------------ ECDSA

/// CVE-2022-21449 ("psychic signatures", Java 15–18): r = s = 0 verified
/// for any message and key. SEC 1 §4.1.4 step 1 requires r, s ∈ [1, n−1].
#[test]
fn jwt_key_06_psychic_ecdsa_signature_r_s_zero_is_refused() {
    let token = es256_token();
    accept(&token, &["software-p256"]);
    let good = sig_of(&token);
    let zero = [0u8; 32];
    for (name, r, s) in [
        ("r=s=0", zero.to_vec(), zero.to_vec()),
        ("r=0", zero.to_vec(), good[32..].to_vec()),
        ("s=0", good[..32].to_vec(), zero.to_vec()),
        ("r=s=n", P256_N.to_vec(), P256_N.to_vec()),
        ("r=n", P256_N.to_vec(), good[32..].to_vec()),
        ("s=n", good[..32].to_vec(), P256_N.to_vec()),
        ("r=s=ff..", vec![0xff; 32], vec![0xff; 32]),
    ] {
        let v = refuse(&with_sig(&token, &[r, s].concat()), &["software-p256"]);
        assert_eq!((v.rule.as_str(), v.reason.as_deref()), ("JWT-KEY-06", Some("signature")), "{name}: {v:?}");
        assert_eq!(v.message, "signature did not verify", "{name}");
    }
    // Also through an unsigned-looking token whose signature segment is 64 zero bytes.
    let psychic = raw(r#"{"alg":"ES256","kid":"software-p256"}"#, &json!({"iss": "attacker"}), &b64::encode(&[0u8; 64]));
    is(&refuse(&psychic, &["software-p256"]), "JWT-KEY-06", "", "signature");
}

/// r or s ≥ n must not be reduced mod n (a verifier that reduces accepts
/// r + n / s + n as the same signature).
#[test]
fn jwt_key_06_ecdsa_scalars_not_reduced_mod_n() {
    let token = es256_token();
    let good = sig_of(&token);
    let mut tried = 0;
    for (which, part) in [(0, &good[..32]), (1, &good[32..])] {
        if let Some(bumped) = add_be(part, &P256_N) {
            tried += 1;
            let sig = if which == 0 { [bumped, good[32..].to_vec()].concat() } else { [good[..32].to_vec(), bumped].concat() };
            is(&refuse(&with_sig(&token, &sig), &["software-p256"]), "JWT-KEY-06", "", "signature");
        }
    }
    // 2^256 − n is about 2^224: a random scalar rarely fits; say so rather than pass vacuously.
    if tried == 0 {
        eprintln!("r + n and s + n both overflow 32 bytes for this signature; covered by r=n / s=n above");
    }
}

/// ECDSA is malleable: (r, n − s) verifies whenever (r, s) does. RFC 7518
/// §3.4 defines no low-S rule (unlike Bitcoin), and OpenSSL, WebCrypto and
/// panva/jose all accept high-S; refusing it would break interop with
/// signers that do not normalize. Replay defence is `jti` (JWT-CLAIM-07),
/// which lives in the signed payload and is unchanged by the flip.
#[test]
fn jwt_key_06_high_s_ecdsa_signature_verifies_like_low_s() {
    let token = es256_token();
    let good = sig_of(&token);
    let flipped = [good[..32].to_vec(), sub_be(&P256_N, &good[32..])].concat();
    let v = run(&with_sig(&token, &flipped), &common::jwks(&["software-p256"])).expect("(r, n-s) is a valid ECDSA signature");
    assert_eq!(v.jti.as_deref(), Some("audit-1"));
}

/// RFC 7518 §3.4: the ES256 signature is exactly 64 octets (r‖s, 32 each).
/// 63 and 65 bytes (dropped / added zero octets, as a sloppy DER→raw
/// converter produces) are refused.
#[test]
fn jwt_key_06_es256_signature_must_be_exactly_64_bytes() {
    let token = es256_token();
    let good = sig_of(&token);
    for (name, sig) in [
        ("63 (last byte dropped)", good[..63].to_vec()),
        ("63 (first byte dropped)", good[1..].to_vec()),
        ("65 (zero prefix)", [vec![0], good.clone()].concat()),
        ("65 (zero suffix)", [good.clone(), vec![0]].concat()),
        ("65 (zero before s)", [good[..32].to_vec(), vec![0], good[32..].to_vec()].concat()),
        ("96 (ES384 length)", [good.clone(), vec![0; 32]].concat()),
        ("32 (r only)", good[..32].to_vec()),
    ] {
        let v = refuse(&with_sig(&token, &sig), &["software-p256"]);
        assert_eq!((v.rule.as_str(), v.reason.as_deref()), ("JWT-KEY-06", Some("signature")), "{name}");
    }
}

// ------------------------------------------------------------------ RSA

/// RFC 8017 §8.1.2 / §8.2.2 step 1: the signature is exactly k octets and
/// its integer is < n. s = 0, 1, n−1, n and a zero-prefixed (k+1-octet)
/// valid signature are refused; s + n is not reduced.
#[test]
fn jwt_key_06_rsa_signature_representative_out_of_range_is_refused() {
    let token = ps256_token(&ps256_header(), &claims());
    accept(&token, &["directory-rsa2048"]);
    let good = sig_of(&token);
    let n = b64::decode(common::public_jwk("directory-rsa2048")["n"].as_str().unwrap()).unwrap();
    let n: Vec<u8> = n.into_iter().skip_while(|b| *b == 0).collect();
    assert_eq!(n.len(), 256);
    let mut one = vec![0u8; 256];
    one[255] = 1;
    let mut cases = vec![
        ("s=0", vec![0u8; 256]),
        ("s=1", one.clone()),
        ("s=n-1", sub_be(&n, &one)),
        ("s=n", n.clone()),
        ("zero-prefixed valid signature (257 octets)", [vec![0], good.clone()].concat()),
        ("valid signature minus its last octet", good[..255].to_vec()),
    ];
    if let Some(s_plus_n) = add_be(&good, &n) {
        cases.push(("s+n", s_plus_n));
    }
    for (name, sig) in cases {
        let v = refuse(&with_sig(&token, &sig), &["directory-rsa2048"]);
        assert_eq!((v.rule.as_str(), v.reason.as_deref()), ("JWT-KEY-06", Some("signature")), "{name}");
    }
}

/// Padding confusion: an RSASSA-PKCS1-v1_5 signature under a `PS256`
/// header (and a PSS signature under `RS256`) never verifies (RFC 7518 §3.3
/// vs §3.5).
#[test]
fn jwt_key_06_pkcs1_signature_under_ps256_header_and_vice_versa() {
    let jwk = common::private_jwk("software-rsa2048");
    let mut public = common::public_jwk("software-rsa2048");
    public.as_object_mut().unwrap().remove("alg");
    let jwks = set(vec![public]);
    for (header_alg, math) in [("PS256", "RS256"), ("RS256", "PS256"), ("PS384", "PS256"), ("RS512", "RS256")] {
        let h = json!({"alg": header_alg, "kid": "software-rsa2048"});
        let input = format!("{}.{}", b64::encode(h.to_string().as_bytes()), b64::encode(claims().to_string().as_bytes()));
        let wrong = format!("{input}.{}", b64::encode(&common::sign_bytes(math, &jwk, input.as_bytes())));
        let v = refuse_with(&wrong, &jwks);
        assert_eq!((v.rule.as_str(), v.reason.as_deref()), ("JWT-KEY-06", Some("signature")), "{header_alg} signed as {math}");
        let right = format!("{input}.{}", b64::encode(&common::sign_bytes(header_alg, &jwk, input.as_bytes())));
        run(&right, &jwks).unwrap_or_else(|e| panic!("{header_alg} control: {e:?}"));
    }
}

// ------------------------------------------------------------------ alg

/// RFC 7515 §4.1.1: `alg` is case-sensitive. Every case variant of `none`
/// is refused as `none` (JWT-ALG-01); every case variant of `HS*` as a MAC
/// (JWT-ALG-05, CVE-2016-10555 / CVE-2022-29217 family); other case
/// variants of an allowed alg are simply not on the allow-list (JWT-ALG-02),
/// even with a signature that is valid for the upper-case alg's math.
#[test]
fn jwt_alg_01_02_05_alg_case_variants() {
    for alg in ["nOnE", "NoNe", "nonE"] {
        is(&refuse(&raw(&format!(r#"{{"alg":"{alg}"}}"#), &claims(), ""), &["directory-rsa2048"]), "JWT-ALG-01", "/alg", "alg_none");
    }
    for alg in ["hs256", "Hs256", "hS384", "HS512", "HS1"] {
        let t = raw(&format!(r#"{{"alg":"{alg}","kid":"directory-rsa2048"}}"#), &claims(), "c2ln");
        is(&refuse(&t, &["directory-rsa2048"]), "JWT-ALG-05", "/alg", "alg_hmac");
    }
    for alg in ["ps256", "Ps256", "pS256", "PS256 ", " PS256", "PS256\u{0}", "", "ES256K", "Ed25519", "RSA-OAEP"] {
        let h = json!({"alg": alg, "kid": "directory-rsa2048"});
        let t = ps256_token(&h, &claims());
        let v = refuse(&t, &["directory-rsa2048"]);
        is(&v, "JWT-ALG-02", "/alg", "alg_not_allowed");
        assert!(!v.message.contains('\u{0}'), "control characters are never echoed");
    }
    accept(&ps256_token(&ps256_header(), &claims()), &["directory-rsa2048"]);
}

/// `none` and `HS256` listed in the policy's allow-list are still refused.
#[test]
fn jwt_alg_01_none_listed_in_the_allow_list_is_still_refused() {
    let limits = Limits::default();
    let listed = vec!["none".to_owned(), "PS256".to_owned()];
    let o = VerifyOptions { algorithms: &listed, ..opts(&listed, &limits) };
    let e = verify(&raw(r#"{"alg":"none"}"#, &claims(), ""), &common::jwks(&["directory-rsa2048"]), &o).unwrap_err();
    is(&e[0], "JWT-ALG-01", "/alg", "alg_none");
}

/// RFC 7515 §4.1.1: `alg` is required and a string. Missing, `null`,
/// number, array, object, boolean: all refused before keys (JWT-ALG-02).
#[test]
fn jwt_alg_02_missing_or_non_string_alg_is_refused() {
    let jwk = common::private_jwk("directory-rsa2048");
    let sign = |h: Value| common::sign("PS256", &jwk, &h, &claims());
    is(&refuse(&sign(json!({"kid": "directory-rsa2048"})), &["directory-rsa2048"]), "JWT-ALG-02", "/alg", "missing");
    for alg in [Value::Null, json!(256), json!(["PS256"]), json!({"PS256": true}), json!(true)] {
        let v = refuse(&sign(json!({"alg": alg, "kid": "directory-rsa2048"})), &["directory-rsa2048"]);
        is(&v, "JWT-ALG-02", "/alg", "type");
        assert_eq!(v.source, Source::SoftwareStatementHeader);
    }
}

/// JWT-ALG-04 with a JWK `alg` that names a MAC or `none`: an RSA key
/// declared for `HS256` or `none` is not used for `PS256`.
#[test]
fn jwt_alg_04_jwk_alg_naming_mac_or_none_is_not_used() {
    let token = ps256_token(&ps256_header(), &claims());
    for jwk_alg in ["HS256", "none", "ps256", "RS256"] {
        let mut k = common::public_jwk("directory-rsa2048");
        k["alg"] = json!(jwk_alg);
        is(&refuse_with(&token, &set(vec![k])), "JWT-ALG-04", "/kid", "key_alg");
    }
}

/// JWT-ALG-03: an EdDSA header naming a P-256 key, and an ES256 header
/// naming an Ed25519 or RSA key, are refused by key type.
#[test]
fn jwt_alg_03_cross_family_key_confusion() {
    let strip = |kid: &str| {
        let mut k = common::public_jwk(kid);
        k.as_object_mut().unwrap().remove("alg");
        k
    };
    let jwks = set(vec![strip("software-p256"), strip("other-ed25519"), strip("directory-rsa2048")]);
    for (alg, signer, kid) in [
        ("EdDSA", "other-ed25519", "software-p256"),
        ("ES256", "software-p256", "other-ed25519"),
        ("ES256", "software-p256", "directory-rsa2048"),
    ] {
        let t = common::sign(alg, &common::private_jwk(signer), &json!({"alg": alg, "kid": kid}), &claims());
        is(&refuse_with(&t, &jwks), "JWT-ALG-03", "/kid", "key_type");
    }
}

// ------------------------------------------------------------------ keys

/// RFC 7517 §4.5 allows one `kid` on keys of different `kty`; JWT-KEY-01
/// narrows by the algorithm and picks the one that fits.
#[test]
fn jwt_key_01_duplicate_kid_across_key_types_is_narrowed_by_alg() {
    let mut ec = common::public_jwk("software-p256");
    ec["kid"] = json!("shared");
    let mut rsa = common::public_jwk("directory-rsa2048");
    rsa["kid"] = json!("shared");
    let jwks = set(vec![rsa, ec]);
    let es = common::sign("ES256", &common::private_jwk("software-p256"), &json!({"alg": "ES256", "kid": "shared"}), &claims());
    assert_eq!(run(&es, &jwks).unwrap().alg, "ES256");
    let ps = ps256_token(&json!({"alg": "PS256", "kid": "shared"}), &claims());
    assert_eq!(run(&ps, &jwks).unwrap().alg, "PS256");
}

/// Two different keys that both fit under one `kid`: the engine does not
/// guess (JWT-KEY-01 "exactly one key"), it refuses as ambiguous. The same
/// key listed twice is also ambiguous (RFC 7517 §4.5: kids SHOULD be distinct).
#[test]
fn jwt_key_01_duplicate_kid_same_type_is_ambiguous() {
    let mut a = common::public_jwk("directory-rsa2048");
    let mut b = common::public_jwk("software-rsa2048");
    a["kid"] = json!("dup");
    b["kid"] = json!("dup");
    b["alg"] = json!("PS256");
    let token = ps256_token(&json!({"alg": "PS256", "kid": "dup"}), &claims());
    is(&refuse_with(&token, &set(vec![a.clone(), b])), "JWT-KEY-01", "/kid", "ambiguous_key");
    is(&refuse_with(&token, &set(vec![a.clone(), a.clone()])), "JWT-KEY-01", "/kid", "ambiguous_key");
    // the same `kid` on an encryption key does not make it ambiguous: that key never fits
    let mut enc = a.clone();
    enc["use"] = json!("enc");
    run(&token, &set(vec![enc, a])).expect("the sig key is the only candidate");
}

/// RFC 7515 §4.1.4: `kid` is a string. A number, array, object, `null` or
/// boolean `kid` is refused, never coerced to match a key.
#[test]
fn jwt_key_01_non_string_kid_is_refused() {
    let mut k = common::public_jwk("directory-rsa2048");
    k["kid"] = json!("1");
    let jwks = set(vec![k]);
    for kid in [json!(1), json!(["1"]), json!({"1": 1}), Value::Null, json!(true)] {
        let v = refuse_with(&ps256_token(&json!({"alg": "PS256", "kid": kid}), &claims()), &jwks);
        is(&v, "JWT-KEY-01", "/kid", "type");
    }
    run(&ps256_token(&json!({"alg": "PS256", "kid": "1"}), &claims()), &jwks).unwrap();
}

/// A hostile `kid` (path traversal / SQL, CVE-2018-1000531-style injection
/// into a key lookup) is only compared as a string; the message shortens it
/// and drops control characters.
#[test]
fn jwt_key_01_hostile_kid_is_compared_not_interpreted() {
    for kid in ["../../../../dev/null", "' OR 1=1 --", "directory-rsa2048\u{0}", "directory-rsa2048 ", "DIRECTORY-RSA2048"] {
        let v = refuse(&ps256_token(&json!({"alg": "PS256", "kid": kid}), &claims()), &["directory-rsa2048"]);
        is(&v, "JWT-KEY-01", "/kid", "unknown_kid");
        assert!(!v.message.contains('\u{0}'));
    }
    let long = "k".repeat(5000);
    let v = refuse(&ps256_token(&json!({"alg": "PS256", "kid": long}), &claims()), &["directory-rsa2048"]);
    assert!(v.message.len() < 300, "{}", v.message.len());
}

/// JWT-KEY-02: `use` is compared exactly (RFC 7517 §4.2 values are
/// case-sensitive); `key_ops` with `verify` among others is fine.
#[test]
fn jwt_key_02_use_case_and_key_ops_lists() {
    let token = ps256_token(&ps256_header(), &claims());
    let mut upper = common::public_jwk("directory-rsa2048");
    upper["use"] = json!("SIG");
    is(&refuse_with(&token, &set(vec![upper])), "JWT-KEY-02", "/kid", "key_use");
    let mut sign_only = common::public_jwk("directory-rsa2048");
    sign_only.as_object_mut().unwrap().remove("use");
    sign_only["key_ops"] = json!(["sign"]);
    is(&refuse_with(&token, &set(vec![sign_only])), "JWT-KEY-02", "/kid", "key_ops");
    let mut both = common::public_jwk("directory-rsa2048");
    both["key_ops"] = json!(["verify", "sign"]);
    run(&token, &set(vec![both])).unwrap();
    // without a kid, an enc key and a sig key: the sig key is the only candidate
    let mut enc = common::public_jwk("software-rsa2048");
    enc["use"] = json!("enc");
    let no_kid = ps256_token(&json!({"alg": "PS256"}), &claims());
    run(&no_kid, &set(vec![enc, common::public_jwk("directory-rsa2048")])).unwrap();
}

/// JWT-KEY-04: RSA public exponent 1 (signature = message), an even
/// exponent, a huge exponent and an even modulus make the key unusable.
#[test]
fn jwt_key_04_degenerate_rsa_parameters_are_refused() {
    let token = ps256_token(&ps256_header(), &claims());
    let n = b64::decode(common::public_jwk("directory-rsa2048")["n"].as_str().unwrap()).unwrap();
    let mut even_n = n.clone();
    *even_n.last_mut().unwrap() &= 0xfe;
    for (name, member, value) in [
        ("e=1", "e", b64::encode(&[1])),
        ("e=65538 (even)", "e", b64::encode(&[1, 0, 2])),
        ("e=2^64+1", "e", b64::encode(&[1, 0, 0, 0, 0, 0, 0, 0, 1])),
        ("e=0", "e", b64::encode(&[0])),
        ("even n", "n", b64::encode(&even_n)),
        ("n=1", "n", b64::encode(&[1])),
    ] {
        let mut k = common::public_jwk("directory-rsa2048");
        k[member] = json!(value);
        let v = refuse_with(&token, &set(vec![k]));
        assert_eq!(v.rule, "JWT-KEY-04", "{name}: {v:?}");
        assert_eq!(v.path, "/kid", "{name}");
    }
    // e=1 with the e=1 "signature": the signing input's own encoding as s is not a bypass
    let mut k = common::public_jwk("directory-rsa2048");
    k["e"] = json!("AQ");
    assert_eq!(set(vec![k]).usable(), 0);
}

/// RFC 7517 §4.7: `x5c` in a *trusted* JWK (the OB Directory publishes
/// them) does not change which key verifies: the engine uses `n`/`e` and
/// never parses the chain. (Contrast JWT-KEY-03: `x5c` in the token header.)
#[test]
fn jwt_key_03_x5c_in_the_trusted_jwks_is_not_a_key_source() {
    let token = ps256_token(&ps256_header(), &claims());
    let mut k = common::public_jwk("directory-rsa2048");
    k["x5c"] = json!(["MIIBkTCB+wIJAKHBfpegPjMCMA0GCSqGSIb3DQEBCwUA"]);
    k["x5t#S256"] = json!("bm90LWEtdGh1bWJwcmludA");
    k["x5u"] = json!("https://keystore.example/cert.pem");
    run(&token, &set(vec![k.clone()])).unwrap();
    // and a token signed by another key does not verify because of it
    let other = common::sign("PS256", &common::private_jwk("software-rsa2048"), &ps256_header(), &claims());
    is(&refuse_with(&other, &set(vec![k])), "JWT-KEY-06", "", "signature");
}

/// CVE-2018-0114 (node-jose): a token carrying its own `jwk` whose `kid`
/// equals a trusted key's, signed by the embedded key. Refused by default,
/// and with `embedded_keys: ignore` the trusted key is still the one used.
#[test]
fn jwt_key_03_embedded_jwk_reusing_a_trusted_kid() {
    let mut embedded = common::public_jwk("software-rsa2048");
    embedded["kid"] = json!("directory-rsa2048");
    let h = json!({"alg": "PS256", "kid": "directory-rsa2048", "jwk": embedded});
    let forged = common::sign("PS256", &common::private_jwk("software-rsa2048"), &h, &claims());
    is(&refuse(&forged, &["directory-rsa2048"]), "JWT-KEY-03", "/jwk", "embedded_key");
    let (algs, limits) = (algs(), Limits::default());
    let o = VerifyOptions { embedded_keys: EmbeddedKeys::Ignore, ..opts(&algs, &limits) };
    let e = verify(&forged, &common::jwks(&["directory-rsa2048"]), &o).unwrap_err();
    is(&e[0], "JWT-KEY-06", "", "signature");
    // the same header signed by the trusted key passes under `ignore`
    let honest = ps256_token(&h, &claims());
    verify(&honest, &common::jwks(&["directory-rsa2048"]), &o).unwrap();
}

// ------------------------------------------------------------------ header tricks

/// JWT-FMT-03: `crit` in every shape is refused: empty (RFC 7515 §4.1.11
/// "MUST NOT use the empty list"), naming an absent header, naming a
/// registered header, not an array, listing duplicates.
#[test]
fn jwt_fmt_03_crit_shapes_are_all_refused() {
    for crit in [json!([]), json!(["x-absent"]), json!(["alg"]), json!("b64"), json!(["exp", "exp"]), Value::Null, json!([1])] {
        let h = json!({"alg": "PS256", "kid": "directory-rsa2048", "crit": crit});
        let v = refuse(&ps256_token(&h, &claims()), &["directory-rsa2048"]);
        is(&v, "JWT-FMT-03", "/crit", "crit");
        assert_eq!(v.source, Source::SoftwareStatementHeader);
    }
}

/// RFC 7797: `b64` other than `true` is refused, with or without `crit`;
/// `b64: true` (the default meaning) is harmless.
#[test]
fn jwt_fmt_03_b64_variants() {
    for b64v in [json!(false), json!("false"), json!(0), Value::Null] {
        let h = json!({"alg": "PS256", "kid": "directory-rsa2048", "b64": b64v});
        is(&refuse(&ps256_token(&h, &claims()), &["directory-rsa2048"]), "JWT-FMT-03", "/b64", "b64");
    }
    accept(&ps256_token(&json!({"alg": "PS256", "kid": "directory-rsa2048", "b64": true}), &claims()), &["directory-rsa2048"]);
    // a real unencoded-payload token (payload segment is raw JSON) fails format first
    let t = format!("{}.{}.AAAA", b64::encode(br#"{"alg":"PS256","b64":false,"crit":["b64"]}"#), claims());
    let v = refuse(&t, &["directory-rsa2048"]);
    assert_eq!((v.rule.as_str(), v.source), ("JWT-FMT-01", Source::SoftwareStatement), "{v:?}");
}

/// `zip` is a JWE parameter (RFC 7516 §4.1.3); a JWS payload is never
/// inflated, so a deflated claims set is refused as not JSON (no
/// decompression bomb, CVE-2024-28180 family).
#[test]
fn jwt_fmt_02_zip_on_a_jws_is_never_inflated() {
    // raw DEFLATE of `{}` (stored block) — any non-JSON bytes will do
    let deflated = [0x01, 0x02, 0x00, 0xfd, 0xff, b'{', b'}'];
    let jwk = common::private_jwk("directory-rsa2048");
    let input = format!("{}.{}", b64::encode(br#"{"alg":"PS256","kid":"directory-rsa2048","zip":"DEF"}"#), b64::encode(&deflated));
    let t = format!("{input}.{}", b64::encode(&common::sign_bytes("PS256", &jwk, input.as_bytes())));
    let v = refuse(&t, &["directory-rsa2048"]);
    assert_eq!((v.rule.as_str(), v.error), ("JWT-FMT-02", ErrorCode::InvalidSoftwareStatement), "{v:?}");
}

/// A JWE header on a three-part token, JWE with five real-looking parts,
/// and other segment counts (trailing dots) are refused (JWT-FMT-01).
#[test]
fn jwt_fmt_01_jwe_headers_trailing_dots_and_empty_segments() {
    let good = ps256_token(&ps256_header(), &claims());
    accept(&good, &["directory-rsa2048"]);
    let jwe_header = b64::encode(br#"{"alg":"RSA-OAEP-256","enc":"A256GCM","kid":"directory-rsa2048"}"#);
    let jwe = format!("{jwe_header}.ZW5jcnlwdGVka2V5.aXYxMjM0NTY3ODkw.Y2lwaGVydGV4dA.dGFndGFndGFndGFn");
    let v = refuse(&jwe, &["directory-rsa2048"]);
    is(&v, "JWT-FMT-01", "", "segments");
    assert!(v.message.contains("JWE"));
    // a JWE header on three segments: `alg` is not a signature algorithm
    let parts: Vec<&str> = good.split('.').collect();
    is(&refuse(&format!("{jwe_header}.{}.{}", parts[1], parts[2]), &["directory-rsa2048"]), "JWT-ALG-02", "/alg", "alg_not_allowed");
    for bad in [format!("{good}."), format!("{good}.."), format!(".{good}"), format!("{}.{}", parts[0], parts[1]), String::new()] {
        let v = refuse(&bad, &["directory-rsa2048"]);
        assert_eq!(v.rule, "JWT-FMT-01", "{bad:?}: {v:?}");
    }
    // empty header segment on three parts (and `..`): the header is not a JSON object
    for bad in [format!(".{}.{}", parts[1], parts[2]), "..".to_owned()] {
        let v = refuse(&bad, &["directory-rsa2048"]);
        assert_eq!((v.rule.as_str(), v.source), ("JWT-FMT-02", Source::SoftwareStatementHeader), "{v:?}");
    }
}

/// JWT-FMT-01: whitespace anywhere (leading, trailing newline as curl
/// adds, CRLF, inside a segment) and padding `=` in any segment are refused.
#[test]
fn jwt_fmt_01_whitespace_and_padding_anywhere() {
    let good = ps256_token(&ps256_header(), &claims());
    let parts: Vec<&str> = good.split('.').collect();
    let mut bad = vec![
        format!(" {good}"),
        format!("{good}\n"),
        format!("{good}\r\n"),
        format!("{}\t.{}.{}", parts[0], parts[1], parts[2]),
        format!("{}.{} .{}", parts[0], parts[1], parts[2]),
        format!("{}.{}.{}=", parts[0], parts[1], parts[2]),
        format!("{}.{}.{}==", parts[0], parts[1], parts[2]),
    ];
    let mid = parts[1].len() / 2;
    bad.push(format!("{}.{}\n{}.{}", parts[0], &parts[1][..mid], &parts[1][mid..], parts[2]));
    for t in bad {
        let v = refuse(&t, &["directory-rsa2048"]);
        assert_eq!(v.rule, "JWT-FMT-01", "{t:?}: {v:?}");
    }
}

/// A nested JWT (`cty: JWT`, RFC 7519 §5.2) is not unwrapped: the payload
/// must itself be the claims object, so a signed envelope around another
/// (unsigned) JWT yields no claims.
#[test]
fn jwt_fmt_02_nested_jwt_is_not_unwrapped() {
    let inner = raw(r#"{"alg":"none"}"#, &json!({"iss": "attacker", "software_id": "evil"}), "");
    let h = json!({"alg": "PS256", "kid": "directory-rsa2048", "cty": "JWT"});
    let t = common::sign_parts("PS256", &common::private_jwk("directory-rsa2048"), &h.to_string(), &inner);
    let v = refuse(&t, &["directory-rsa2048"]);
    assert_eq!((v.rule.as_str(), v.source, v.reason.as_deref()), ("JWT-FMT-02", Source::SoftwareStatement, Some("syntax")), "{v:?}");
    // a JSON string payload holding a JWT is not an object either
    let t = common::sign_parts("PS256", &common::private_jwk("directory-rsa2048"), &h.to_string(), &Value::String(inner).to_string());
    let v = refuse(&t, &["directory-rsa2048"]);
    assert_eq!((v.rule.as_str(), v.reason.as_deref()), ("JWT-FMT-02", Some("not_an_object")), "{v:?}");
}

/// The header and payload must be JSON objects: arrays, strings, `null`,
/// invalid UTF-8 and a UTF-8 BOM are refused (JWT-FMT-02).
#[test]
fn jwt_fmt_02_non_object_header_or_payload() {
    let jwk = common::private_jwk("directory-rsa2048");
    for header in [r#"["PS256"]"#, r#""PS256""#, "null", "\u{feff}{\"alg\":\"PS256\"}"] {
        let v = refuse(&common::sign_parts("PS256", &jwk, header, &claims().to_string()), &["directory-rsa2048"]);
        assert_eq!((v.rule.as_str(), v.source), ("JWT-FMT-02", Source::SoftwareStatementHeader), "{header}: {v:?}");
    }
    for payload in ["[]", "null", "1750000000", r#""claims""#] {
        let v = refuse(&common::sign_parts("PS256", &jwk, &ps256_header().to_string(), payload), &["directory-rsa2048"]);
        assert_eq!((v.rule.as_str(), v.source), ("JWT-FMT-02", Source::SoftwareStatement), "{payload}: {v:?}");
    }
    // invalid UTF-8 in the signed payload
    let input = format!("{}.{}", b64::encode(ps256_header().to_string().as_bytes()), b64::encode(b"{\"iss\":\"\xff\"}"));
    let t = format!("{input}.{}", b64::encode(&common::sign_bytes("PS256", &jwk, input.as_bytes())));
    assert_eq!(refuse(&t, &["directory-rsa2048"]).rule, "JWT-FMT-02");
}

/// RFC 7519 §5.3 replicated claims: an `iss` in the header is not what
/// trust is decided on; the payload's `iss` is.
#[test]
fn jwt_claim_01_header_iss_is_not_trusted() {
    let (algs, limits) = (algs(), Limits::default());
    let issuers = ["directory".to_owned()];
    let o = VerifyOptions { issuers: &issuers, ..opts(&algs, &limits) };
    let h = json!({"alg": "PS256", "kid": "directory-rsa2048", "iss": "directory"});
    let t = ps256_token(&h, &json!({"iss": "attacker"}));
    let e = verify(&t, &common::jwks(&["directory-rsa2048"]), &o).unwrap_err();
    assert_eq!((e[0].rule.as_str(), e[0].path.as_str(), e[0].error), ("RFC7591-SS-05", "/iss", ErrorCode::UnapprovedSoftwareStatement));
}

// ------------------------------------------------------------------ claims

/// RFC 7519 §2 NumericDate is a JSON number. Numeric strings, booleans,
/// `null`, arrays, objects for `exp`/`nbf`/`iat` are refused as types.
#[test]
fn jwt_claim_02_03_04_non_number_dates_are_refused() {
    let sign = |c: Value| ps256_token(&ps256_header(), &c);
    for bad in
        [json!("1750000300"), json!(true), Value::Null, json!([NOW + 300]), json!({"$date": NOW + 300}), json!("NaN"), json!("Infinity")]
    {
        for (name, rule) in [("exp", "JWT-CLAIM-02"), ("nbf", "JWT-CLAIM-03"), ("iat", "JWT-CLAIM-04")] {
            let mut c = json!({"iss": "directory"});
            c[name] = bad.clone();
            is(&refuse(&sign(c), &["directory-rsa2048"]), rule, &format!("/{name}"), "type");
        }
    }
}

/// Huge and extreme NumericDates are compared as numbers without overflow:
/// a far-future `exp` is valid, a far-future `nbf`/`iat` is refused, a
/// far-past `exp` is expired, and a number beyond f64 is malformed JSON.
#[test]
fn jwt_claim_02_03_04_huge_and_extreme_numbers() {
    let kid = ["directory-rsa2048"];
    let sign = |c: &str| common::sign_parts("PS256", &common::private_jwk("directory-rsa2048"), &ps256_header().to_string(), c);
    accept(&sign(r#"{"iss":"d","exp":1e308}"#), &kid);
    accept(&sign(r#"{"iss":"d","exp":18446744073709551616}"#), &kid);
    accept(&sign(r#"{"iss":"d","exp":99999999999999999999999999999999999}"#), &kid);
    is(&refuse(&sign(r#"{"iss":"d","exp":-1e308}"#), &kid), "JWT-CLAIM-02", "/exp", "expired");
    is(&refuse(&sign(r#"{"iss":"d","exp":-9223372036854775809}"#), &kid), "JWT-CLAIM-02", "/exp", "expired");
    is(&refuse(&sign(r#"{"iss":"d","exp":0}"#), &kid), "JWT-CLAIM-02", "/exp", "expired");
    is(&refuse(&sign(r#"{"iss":"d","nbf":1e308}"#), &kid), "JWT-CLAIM-03", "/nbf", "not_yet_valid");
    is(&refuse(&sign(r#"{"iss":"d","iat":1e308}"#), &kid), "JWT-CLAIM-04", "/iat", "issued_in_future");
    is(&refuse(&sign(r#"{"iss":"d","iat":18446744073709551615}"#), &kid), "JWT-CLAIM-04", "/iat", "issued_in_future");
    // beyond f64: not representable, refused as malformed (never as +inf "never expires")
    let v = refuse(&sign(r#"{"iss":"d","exp":1e400}"#), &kid);
    assert_eq!((v.rule.as_str(), v.source), ("JWT-FMT-02", Source::SoftwareStatement), "{v:?}");
    // a far-past iat with a maximum age is too old, not an overflow
    let (algs, limits) = (algs(), Limits::default());
    let o = VerifyOptions { max_age: Some(300), ..opts(&algs, &limits) };
    let e = verify(&sign(r#"{"iss":"d","iat":-1e308}"#), &common::jwks(&kid), &o).unwrap_err();
    is(&e[0], "JWT-CLAIM-05", "/iat", "too_old");
}

/// JWT-CLAIM-06: an `aud` array naming this server plus others is accepted
/// (RFC 7519 §4.1.3 "contains"); but one non-string member makes the claim
/// malformed, and near-misses (case, trailing slash) do not match.
#[test]
fn jwt_claim_06_audience_near_misses_and_mixed_arrays() {
    let (algs, limits) = (algs(), Limits::default());
    let audience = ["https://as.example.com".to_owned()];
    let o = VerifyOptions { kind: TokenKind::RequestJwt, audience: &audience, ..opts(&algs, &limits) };
    let jwks = common::jwks(&["directory-rsa2048"]);
    let run = |aud: Value| verify(&ps256_token(&ps256_header(), &json!({"iss": "i", "aud": aud})), &jwks, &o);
    run(json!(["https://other.example", "https://as.example.com", "https://third.example"])).unwrap();
    for (aud, reason) in [
        (json!(["https://as.example.com", 5]), "type"),
        (json!(["https://as.example.com", null]), "type"),
        (json!([["https://as.example.com"]]), "type"),
        (json!("https://as.example.com/"), "mismatch"),
        (json!("HTTPS://AS.EXAMPLE.COM"), "mismatch"),
        (json!("https://as.example.com.evil.example"), "mismatch"),
        (json!(["https://as.example"]), "mismatch"),
        (json!(""), "mismatch"),
    ] {
        let e = run(aud.clone()).unwrap_err();
        assert_eq!((e[0].rule.as_str(), e[0].path.as_str(), e[0].reason.as_deref()), ("JWT-CLAIM-06", "/aud", Some(reason)), "{aud}");
        assert_eq!(e[0].error, ErrorCode::InvalidClientMetadata);
    }
}

/// JWT-CLAIM-01 / RFC7591-SS-05: trusted issuers compare exactly (RFC 7519
/// §4.1.1 StringOrURI, case-sensitive, no normalization); an issuer that
/// differs by case, a trailing slash or whitespace is unapproved, and a
/// non-string `iss` is malformed.
#[test]
fn jwt_claim_01_issuer_near_misses_are_unapproved() {
    let (algs, limits) = (algs(), Limits::default());
    let issuers = ["OpenBanking Ltd".to_owned(), "https://directory.example".to_owned()];
    let o = VerifyOptions { issuers: &issuers, ..opts(&algs, &limits) };
    let jwks = common::jwks(&["directory-rsa2048"]);
    let run = |iss: Value| verify(&ps256_token(&ps256_header(), &json!({"iss": iss})), &jwks, &o);
    run(json!("OpenBanking Ltd")).unwrap();
    run(json!("https://directory.example")).unwrap();
    for iss in [
        "openbanking ltd",
        "OPENBANKING LTD",
        "OpenBanking Ltd ",
        " OpenBanking Ltd",
        "https://directory.example/",
        "HTTPS://directory.example",
    ] {
        let e = run(json!(iss)).unwrap_err();
        assert_eq!(
            (e[0].rule.as_str(), e[0].error, e[0].reason.as_deref()),
            ("RFC7591-SS-05", ErrorCode::UnapprovedSoftwareStatement, Some("untrusted_issuer")),
            "{iss:?}"
        );
    }
    for iss in [json!(["OpenBanking Ltd"]), json!({"name": "OpenBanking Ltd"}), Value::Null, json!(1)] {
        let e = run(iss.clone()).unwrap_err();
        assert_eq!(
            (e[0].rule.as_str(), e[0].reason.as_deref(), e[0].error),
            ("RFC7591-SS-02", Some("type"), ErrorCode::InvalidSoftwareStatement),
            "{iss}"
        );
    }
}

/// JWT-CLAIM-07: `jti` is surfaced verbatim for the host's replay cache;
/// two tokens with the same `jti` both verify (the engine is stateless) and
/// report the same value, so the host can detect the replay.
#[test]
fn jwt_claim_07_jti_is_surfaced_for_replay_detection() {
    let jwks = common::jwks(&["directory-rsa2048"]);
    let a = run(&ps256_token(&ps256_header(), &json!({"iss": "d", "jti": "r-1", "iat": NOW})), &jwks).unwrap();
    let b = run(&ps256_token(&ps256_header(), &json!({"iss": "d", "jti": "r-1", "iat": NOW - 1})), &jwks).unwrap();
    assert_eq!((a.jti.as_deref(), b.jti.as_deref()), (Some("r-1"), Some("r-1")));
    let none = run(&ps256_token(&ps256_header(), &json!({"iss": "d"})), &jwks).unwrap();
    assert_eq!(none.jti, None);
    // a required `jti` that is `null` is refused
    let (algs, limits) = (algs(), Limits::default());
    let required = ["jti".to_owned()];
    let o = VerifyOptions { required_claims: &required, ..opts(&algs, &limits) };
    let e = verify(&ps256_token(&ps256_header(), &json!({"iss": "d", "jti": null})), &jwks, &o).unwrap_err();
    assert_eq!((e[0].rule.as_str(), e[0].path.as_str()), ("JWT-CLAIM-07", "/jti"));
}

// ------------------------------------------------------------------ policy

/// JWT-KEY-03: "a policy may relax that to `ignore` (never under UK OB)".
/// A `uk-openbanking` policy that sets `embedded_keys: ignore` for either
/// token kind does not load; other profiles may relax it.
#[test]
fn jwt_key_03_uk_openbanking_policy_cannot_ignore_embedded_keys() {
    use dcr_policy::policy::Policy;
    let base = r#""issuer":"https://as.example.com","registration_endpoint":"https://as.example.com/register""#;
    Policy::from_json(&format!(r#"{{"profile":"uk-openbanking",{base}}}"#)).expect("the recipe itself loads");
    for section in ["software_statement", "request_jwt"] {
        let text = format!(r#"{{"profile":"uk-openbanking",{base},"{section}":{{"embedded_keys":"ignore"}}}}"#);
        let e = Policy::from_json(&text).expect_err("uk-openbanking must keep embedded_keys: reject");
        let hit = e.iter().find(|v| v.rule == "JWT-KEY-03").unwrap_or_else(|| panic!("{e:?}"));
        assert_eq!(
            (hit.path.as_str(), hit.source, hit.reason.as_deref()),
            (format!("/{section}/embedded_keys").as_str(), Source::Policy, Some("profile_invariant"))
        );
        let ok = format!(r#"{{"profile":"uk-openbanking",{base},"{section}":{{"embedded_keys":"reject"}}}}"#);
        Policy::from_json(&ok).unwrap();
    }
    Policy::from_json(r#"{"profile":"rfc7591","software_statement":{"embedded_keys":"ignore"}}"#).expect("other profiles may relax");
}
