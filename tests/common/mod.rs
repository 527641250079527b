//! Test helpers shared by integration tests: committed test keys
//! (tests/keys/) and a signer for compact JWS.
//!
//! ```ignore
//! mod common;
//! let jwk = common::private_jwk("directory-rsa2048");
//! let ssa = common::sign("PS256", &jwk, &json!({"alg":"PS256","kid":"directory-rsa2048"}), &json!({"iss":"x"}));
//! let jwks = common::jwks(&["directory-rsa2048"]);
//! ```
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

pub mod answers;
pub mod ecosystems;
pub mod fixtures;
pub mod jose;

use std::path::PathBuf;

use dcr_policy::jose::b64;
use serde_json::{Value, json};
use sha2::{Digest, Sha256, Sha384, Sha512};

fn keys_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/keys")
}

/// The private JWK of a committed test key (`directory-rsa2048`, `software-rsa2048`,
/// `software-p256`, `other-p384`, `other-ed25519`, `weak-rsa1024`).
pub fn private_jwk(kid: &str) -> Value {
    let text = std::fs::read_to_string(keys_dir().join(format!("{kid}.private.jwk.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The public JWK of a committed test key.
pub fn public_jwk(kid: &str) -> Value {
    let text = std::fs::read_to_string(keys_dir().join(format!("{kid}.public.jwk.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A JWK Set (`{"keys": [...]}`) of the public keys named.
pub fn jwks_value(kids: &[&str]) -> Value {
    json!({ "keys": kids.iter().map(|k| public_jwk(k)).collect::<Vec<_>>() })
}

/// A parsed [`dcr_policy::jose::Jwks`] of the public keys named.
pub fn jwks(kids: &[&str]) -> dcr_policy::jose::Jwks {
    dcr_policy::jose::Jwks::from_value(&jwks_value(kids), "/jwks").unwrap()
}

/// Signs `claims` under `header` with `alg` and a private JWK; returns the
/// compact JWS. `header` and `claims` are serialized as given.
pub fn sign(alg: &str, private_jwk: &Value, header: &Value, claims: &Value) -> String {
    sign_parts(alg, private_jwk, &header.to_string(), &claims.to_string())
}

/// Signs raw header and payload text (to build tokens a serializer would not
/// produce, e.g. with duplicate member names).
pub fn sign_parts(alg: &str, private_jwk: &Value, header: &str, payload: &str) -> String {
    let input = format!("{}.{}", b64::encode(header.as_bytes()), b64::encode(payload.as_bytes()));
    let sig = sign_bytes(alg, private_jwk, input.as_bytes());
    format!("{input}.{}", b64::encode(&sig))
}

fn member(jwk: &Value, name: &str) -> Vec<u8> {
    b64::decode(jwk[name].as_str().unwrap_or_else(|| panic!("JWK has no `{name}`"))).unwrap()
}

/// Raw signature bytes over `input` (JWS form: ECDSA as r‖s).
pub fn sign_bytes(alg: &str, jwk: &Value, input: &[u8]) -> Vec<u8> {
    match alg {
        "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" => {
            let big = |m| rsa::BoxedUint::from_be_slice_vartime(&member(jwk, m));
            let key = rsa::PrivateKey::from_components(big("n"), big("e"), big("d"), vec![big("p"), big("q")]).unwrap();
            let mut rng = CounterRng(0);
            let (hashed, bits): (Vec<u8>, u32) = match &alg[2..] {
                "256" => (Sha256::digest(input).to_vec(), 256),
                "384" => (Sha384::digest(input).to_vec(), 384),
                _ => (Sha512::digest(input).to_vec(), 512),
            };
            let pss = alg.starts_with("PS");
            match (pss, bits) {
                (false, 256) => key.sign_with_rng(&mut rng, rsa::Pkcs1v15Sign::new::<Sha256>(), &hashed),
                (false, 384) => key.sign_with_rng(&mut rng, rsa::Pkcs1v15Sign::new::<Sha384>(), &hashed),
                (false, _) => key.sign_with_rng(&mut rng, rsa::Pkcs1v15Sign::new::<Sha512>(), &hashed),
                (true, 256) => key.sign_with_rng(&mut rng, rsa::Pss::<Sha256>::new(), &hashed),
                (true, 384) => key.sign_with_rng(&mut rng, rsa::Pss::<Sha384>::new(), &hashed),
                (true, _) => key.sign_with_rng(&mut rng, rsa::Pss::<Sha512>::new(), &hashed),
            }
            .unwrap()
        }
        "ES256" => {
            use p256::ecdsa::signature::Signer;
            let key = p256::ecdsa::SigningKey::from_slice(&member(jwk, "d")).unwrap();
            let sig: p256::ecdsa::Signature = key.sign(input);
            sig.to_bytes().to_vec()
        }
        "ES384" => {
            use p384::ecdsa::signature::Signer;
            let key = p384::ecdsa::SigningKey::from_slice(&member(jwk, "d")).unwrap();
            let sig: p384::ecdsa::Signature = key.sign(input);
            sig.to_bytes().to_vec()
        }
        "EdDSA" => {
            use ed25519_dalek::Signer;
            let d: [u8; 32] = member(jwk, "d").try_into().unwrap();
            ed25519_dalek::SigningKey::from_bytes(&d).sign(input).to_bytes().to_vec()
        }
        other => panic!("sign: unsupported alg {other}"),
    }
}

/// A deterministic "RNG" for PSS salts and RSA blinding in tests only
/// (SHA-256 of a counter). Never a source of real randomness.
struct CounterRng(u64);

impl rand_core::TryRng for CounterRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(32) {
            self.0 += 1;
            let block = Sha256::digest(self.0.to_le_bytes());
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
        Ok(())
    }
}

impl rand_core::TryCryptoRng for CounterRng {}
