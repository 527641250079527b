//! Project Wycheproof vectors (shared/vectors/wycheproof, Apache-2.0) through
//! the public JOSE API.
//!
//! Every `valid` case verifies and every `invalid` case is rejected, with
//! these deliberate, counted exceptions:
//!
//! - **HMAC** (`HS256`/`HS384`/`HS512`): software statements and signed
//!   requests never accept MAC algorithms (JWT-ALG-05), so Wycheproof's
//!   `valid` HMAC cases must be *rejected* here. Symmetric keys (`k`) are
//!   refused by `Jwks::from_value`; with `k` stripped the `oct` key is
//!   unusable, and the `alg` is refused before any key is looked at anyway.
//! - **ES512** (P-521, RFC 7520 figure 27): outside the supported set
//!   (RS*, PS*, ES256, ES384, EdDSA); its `valid` cases must be rejected.
//! - **JWK `alg` ≠ header `alg`** (RFC 7520 figure 20: a PS384 token under a
//!   JWK that declares `alg` `PS256`, twice): Wycheproof calls it `valid`
//!   because RFC 7517 §4.4 makes `alg` advisory; our spec's JWT-ALG-04
//!   (RFC 8725 §3.1) requires them to match, so both are rejected.
//! - **`acceptable`** (only `MissingNull` in the three PKCS#1 v1.5 files:
//!   a DigestInfo without the NULL parameter): *rejected*. RFC 7518 §3.3
//!   uses RSASSA-PKCS1-v1_5 of RFC 3447, whose DigestInfo has the NULL;
//!   one accepted encoding per signature leaves no room for malleability.
//!
//! Keys: `public` JWKs are used as given; a group with only a `private` JWK
//! gets its private members (`d`, `p`, `q`, `dp`, `dq`, `qi`, `oth`, `k`)
//! stripped, because the engine refuses key sets with private members.
//! Raw-signature files run through `verify_signature` with the group's
//! JWK (or one built from its hex key when the group has no JWK).
//!
//! Each file asserts how many cases it ran, so an empty or half-read file fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::PathBuf;

use dcr_policy::Limits;
use dcr_policy::jose::{Alg, Jwks, TokenKind, VerifyOptions, b64, verify_jws, verify_signature};
use dcr_policy::policy::EmbeddedKeys;
use serde_json::{Value, json};

/// `$DCR_VECTORS`, else `$CARGO_MANIFEST_DIR/../shared/vectors` (CI puts
/// shared/ beside the clone), else `/work/shared/vectors`.
fn vectors_dir() -> PathBuf {
    let candidates = [
        std::env::var_os("DCR_VECTORS").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/vectors")),
        Some(PathBuf::from("/work/shared/vectors")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("wycheproof").is_dir())
        .expect("Wycheproof vectors not found: set DCR_VECTORS or put shared/ beside the repository")
}

fn load(name: &str) -> Value {
    let path = vectors_dir().join("wycheproof").join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

const PRIVATE: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

fn public_only(key: &Value) -> Value {
    let mut k = key.as_object().unwrap().clone();
    for m in PRIVATE {
        k.remove(m);
    }
    Value::Object(k)
}

#[derive(Default, Debug, PartialEq)]
struct Tally {
    valid_ok: usize,
    invalid_rejected: usize,
    hmac_rejected: usize,
    unsupported_rejected: usize,
    acceptable_rejected: usize,
    key_alg_rejected: usize,
}

impl Tally {
    fn total(&self) -> usize {
        self.valid_ok
            + self.invalid_rejected
            + self.hmac_rejected
            + self.unsupported_rejected
            + self.acceptable_rejected
            + self.key_alg_rejected
    }
}

fn all_algs() -> Vec<String> {
    ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA", "HS256", "HS384", "HS512", "ES512", "none"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

fn opts<'a>(algs: &'a [String], limits: &'a Limits) -> VerifyOptions<'a> {
    VerifyOptions {
        kind: TokenKind::SoftwareStatement,
        algorithms: algs,
        issuers: &[],
        audience: &[],
        now: 0,
        leeway: 0,
        max_age: None,
        required_claims: &[],
        typ: None,
        embedded_keys: EmbeddedKeys::Reject,
        limits,
    }
}

fn header_alg(jws: &str) -> String {
    let h = jws.split('.').next().unwrap_or_default();
    let decoded = b64::decode(h).ok().and_then(|b| serde_json::from_slice::<Value>(&b).ok());
    decoded.and_then(|v| v.get("alg").and_then(Value::as_str).map(str::to_owned)).unwrap_or_default()
}

/// Runs a JsonWebSignature / JsonWebKey file: each case is a whole JWS.
fn run_jws_file(name: &str) -> (Tally, std::collections::BTreeMap<u64, String>) {
    let mut reasons = std::collections::BTreeMap::new();
    let file = load(name);
    let algs = all_algs();
    let limits = Limits::default();
    let mut t = Tally::default();
    for group in file["testGroups"].as_array().unwrap() {
        // `public` may be a JWK or a JWK Set; same for `private`.
        let key = group.get("public").cloned().unwrap_or_else(|| group["private"].clone());
        let set = match key.get("keys") {
            Some(keys) => json!({"keys": keys.as_array().unwrap().iter().map(public_only).collect::<Vec<_>>()}),
            None => json!({"keys": [public_only(&key)]}),
        };
        let jwks = Jwks::from_value(&set, "/jwks");
        for case in group["tests"].as_array().unwrap() {
            let id = case["tcId"].as_u64().unwrap();
            // JSON-serialized JWS (an object) is refused outright (JWT-FMT-01).
            let jws = case["jws"].as_str().map(str::to_owned).unwrap_or_else(|| case["jws"].to_string());
            let result = jwks.as_ref().map_err(Clone::clone).and_then(|k| verify_jws(&jws, k, &opts(&algs, &limits)));
            if let Err(e) = &result {
                reasons.insert(id, e[0].reason.clone().unwrap_or_default());
            }
            let alg = header_alg(&jws);
            let expected = case["result"].as_str().unwrap();
            let symmetric = set["keys"].as_array().unwrap().iter().any(|k| k["kty"] == "oct");
            if alg.starts_with("HS") || symmetric {
                assert!(result.is_err(), "{name} tcId {id}: HMAC / symmetric keys must be rejected");
                t.hmac_rejected += 1;
            } else if alg == "ES512" {
                assert!(result.is_err(), "{name} tcId {id}: ES512 is unsupported");
                t.unsupported_rejected += 1;
            } else if expected == "valid" && result.as_ref().is_err_and(|e| e[0].rule == "JWT-ALG-04") {
                // RFC 7520 figure 20 is PS384 under a JWK declaring `alg` `PS256`.
                t.key_alg_rejected += 1;
            } else if expected == "valid" {
                assert!(result.is_ok(), "{name} tcId {id} ({}): {:?}", case["comment"], result.err());
                t.valid_ok += 1;
            } else {
                assert_eq!(expected, "invalid", "{name} tcId {id}");
                assert!(result.is_err(), "{name} tcId {id} ({}) verified but is invalid", case["comment"]);
                t.invalid_rejected += 1;
            }
        }
    }
    assert_eq!(t.total() as u64, file["numberOfTests"].as_u64().unwrap(), "{name}: every case must run");
    (t, reasons)
}

/// Runs a raw-signature file (msg + sig in hex) for one algorithm.
fn run_raw_file(name: &str, alg: Alg) -> Tally {
    let file = load(name);
    let mut t = Tally::default();
    for group in file["testGroups"].as_array().unwrap() {
        let jwk = group.get("publicKeyJwk").or_else(|| group.get("keyJwk")).map(public_only).unwrap_or_else(|| jwk_from_hex(group, alg));
        let jwks = Jwks::from_value(&json!({"keys": [jwk]}), "/jwks").unwrap();
        assert_eq!(jwks.usable(), 1, "{name}: group key must be usable: {jwk}");
        for case in group["tests"].as_array().unwrap() {
            let id = case["tcId"].as_u64().unwrap();
            let ok = verify_signature(
                &jwks,
                alg,
                None,
                &hex(case["msg"].as_str().unwrap()),
                &hex(case["sig"].as_str().unwrap()),
                TokenKind::SoftwareStatement,
            )
            .is_ok();
            match case["result"].as_str().unwrap() {
                "valid" => {
                    assert!(ok, "{name} tcId {id} ({}) must verify", case["comment"]);
                    t.valid_ok += 1;
                }
                "invalid" => {
                    assert!(!ok, "{name} tcId {id} ({}) {:?} must be rejected", case["comment"], case["flags"]);
                    t.invalid_rejected += 1;
                }
                "acceptable" => {
                    // Decision (file header): acceptable encodings are rejected.
                    assert!(!ok, "{name} tcId {id} ({}) acceptable case is rejected by decision", case["comment"]);
                    t.acceptable_rejected += 1;
                }
                other => panic!("{name} tcId {id}: unknown result {other}"),
            }
        }
    }
    assert_eq!(t.total() as u64, file["numberOfTests"].as_u64().unwrap(), "{name}: every case must run");
    t
}

fn jwk_from_hex(group: &Value, alg: Alg) -> Value {
    let pk = &group["publicKey"];
    match alg {
        Alg::Es256 | Alg::Es384 => json!({"kty": "EC", "crv": if alg == Alg::Es256 {"P-256"} else {"P-384"},
            "x": b64::encode(&hex(pk["wx"].as_str().unwrap())), "y": b64::encode(&hex(pk["wy"].as_str().unwrap()))}),
        Alg::EdDsa => json!({"kty": "OKP", "crv": "Ed25519", "x": b64::encode(&hex(pk["pk"].as_str().unwrap()))}),
        _ => json!({"kty": "RSA", "n": b64::encode(&hex(pk["modulus"].as_str().unwrap())),
            "e": b64::encode(&hex(pk["publicExponent"].as_str().unwrap()))}),
    }
}

#[test]
fn json_web_signature() {
    let (t, why) = run_jws_file("json_web_signature_test.json");
    // A few rejections for the reason the vector names.
    assert_eq!(why[&31], "alg_hmac"); // HS256 keyed with the EC key's bytes
    assert_eq!(why[&32], "embedded_key"); // attacker-provided `jwk` header
    assert_eq!(why[&341], "alg_none");
    assert_eq!(why[&353], "key_use"); // `use` `enc`
    assert_eq!(why[&355], "key_ops");
    assert_eq!(why[&379], "signature"); // ES256 signature too long
    assert_eq!(
        t,
        Tally { valid_ok: 32, invalid_rejected: 324, hmac_rejected: 41, unsupported_rejected: 2, key_alg_rejected: 2, ..Tally::default() }
    );
}

#[test]
fn json_web_key() {
    let (t, why) = run_jws_file("json_web_key_test.json");
    assert_eq!(why[&7], "key_weak"); // ROCA
    assert_eq!(why[&8], "key_too_small"); // RSA-1024
    assert_eq!(why[&9], "key_invalid"); // e = 1
    assert_eq!(why[&22], "key_invalid"); // point off the curve
    assert_eq!(t, Tally { valid_ok: 1, invalid_rejected: 10, hmac_rejected: 15, ..Tally::default() });
}

#[test]
fn ecdsa_p256_p1363() {
    let t = run_raw_file("ecdsa_secp256r1_sha256_p1363_test.json", Alg::Es256);
    assert_eq!((t.valid_ok, t.invalid_rejected), (169, 83));
}

#[test]
fn ecdsa_p384_p1363() {
    let t = run_raw_file("ecdsa_secp384r1_sha384_p1363_test.json", Alg::Es384);
    assert_eq!((t.valid_ok, t.invalid_rejected), (189, 81));
}

#[test]
fn ed25519() {
    let t = run_raw_file("ed25519_test.json", Alg::EdDsa);
    assert_eq!((t.valid_ok, t.invalid_rejected), (88, 62));
}

#[test]
fn rsa_pss_2048_sha256_mgf1_32() {
    let t = run_raw_file("rsa_pss_2048_sha256_mgf1_32_test.json", Alg::Ps256);
    assert_eq!((t.valid_ok, t.invalid_rejected), (63, 45));
}

#[test]
fn rsa_pss_2048_sha384_mgf1_48() {
    let t = run_raw_file("rsa_pss_2048_sha384_mgf1_48_test.json", Alg::Ps384);
    assert_eq!((t.valid_ok, t.invalid_rejected), (95, 46));
}

#[test]
fn rsa_pkcs1_2048_sha256() {
    let t = run_raw_file("rsa_signature_2048_sha256_test.json", Alg::Rs256);
    assert_eq!((t.valid_ok, t.invalid_rejected, t.acceptable_rejected), (9, 249, 1));
}

#[test]
fn rsa_pkcs1_3072_sha384() {
    let t = run_raw_file("rsa_signature_3072_sha384_test.json", Alg::Rs384);
    assert_eq!((t.valid_ok, t.invalid_rejected, t.acceptable_rejected), (7, 251, 1));
}

#[test]
fn rsa_pkcs1_4096_sha512() {
    let t = run_raw_file("rsa_signature_4096_sha512_test.json", Alg::Rs512);
    assert_eq!((t.valid_ok, t.invalid_rejected, t.acceptable_rejected), (7, 251, 1));
}
