//! The signature math (JWT-KEY-06). Returns a bare `bool`: callers report
//! one opaque "signature did not verify", never why.

use super::rsassa::{self, Hash};

use super::alg::Alg;
use super::jwk::Material;

/// Verifies `signature` over `signing_input` (the ASCII `header.payload`
/// exactly as received, RFC 7515 §5.2 step 8) with an already selected key.
#[must_use]
pub(crate) fn verify(alg: Alg, key: &Material, signing_input: &[u8], signature: &[u8]) -> bool {
    match (alg, key) {
        (Alg::Rs256, Material::Rsa(k)) => rsassa::verify_pkcs1v15(k, Hash::Sha256, signing_input, signature),
        (Alg::Rs384, Material::Rsa(k)) => rsassa::verify_pkcs1v15(k, Hash::Sha384, signing_input, signature),
        (Alg::Rs512, Material::Rsa(k)) => rsassa::verify_pkcs1v15(k, Hash::Sha512, signing_input, signature),
        // RFC 7518 §3.5: MGF1 with the same hash, salt exactly as long as the
        // hash; other salt lengths fail.
        (Alg::Ps256, Material::Rsa(k)) => rsassa::verify_pss(k, Hash::Sha256, signing_input, signature),
        (Alg::Ps384, Material::Rsa(k)) => rsassa::verify_pss(k, Hash::Sha384, signing_input, signature),
        (Alg::Ps512, Material::Rsa(k)) => rsassa::verify_pss(k, Hash::Sha512, signing_input, signature),
        // RFC 7518 §3.4: raw r‖s of exactly twice the field size; DER is refused
        // because `from_slice` takes only the fixed-size form.
        (Alg::Es256, Material::P256(k)) => super::es256::verify(k, signing_input, signature),
        (Alg::Es384, Material::P384(k)) => {
            use p384::ecdsa::signature::Verifier;
            signature.len() == 96 && p384::ecdsa::Signature::from_slice(signature).is_ok_and(|s| k.verify(signing_input, &s).is_ok())
        }
        // RFC 8032 §5.1.7 with the strict checks (canonical S, no small-order R).
        (Alg::EdDsa, Material::Ed25519(k)) => {
            ed25519_dalek::Signature::from_slice(signature).is_ok_and(|s| k.verify_strict(signing_input, &s).is_ok())
        }
        // Key selection guarantees the pairing; anything else never verifies.
        _ => false,
    }
}
