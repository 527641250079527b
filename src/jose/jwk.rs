//! Host-supplied JWK Sets (RFC 7517 §5): parsed and checked once, with the
//! public keys decoded and their arithmetic parameters precomputed, so a
//! verification only does the signature math.
//!
//! A set is refused as a whole when it is not a JWK Set or when any key
//! carries private members (a host that hands out private keys has a bug we
//! should not paper over). A single key the engine cannot use (unknown `kty`
//! or `crv`, RSA under 2048 bits, a point off the curve, malformed members)
//! stays in the set as *unusable*, with its reason: RFC 7517 §5 says to
//! ignore keys that are not understood, and a token that names such a key
//! by `kid` then gets a precise message.

use serde_json::{Map, Value};

use super::alg::{Alg, KeyKind};
use super::b64;
use crate::error::{ErrorCode, Source, Violation};

/// Smallest accepted RSA modulus, in bits (JWT-KEY-04; RFC 7518 §3.3).
pub const RSA_MIN_BITS: usize = 2048;
/// Largest accepted RSA modulus, in bits: bigger keys only cost verification
/// time (RSADoS) and no ecosystem uses them.
pub const RSA_MAX_BITS: usize = 8192;

/// JWK members that only private (or symmetric) keys carry
/// (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2).
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// A parsed, checked key set. Build it once per fetched JWKS and reuse it:
/// parsing an RSA key costs more than verifying with it.
#[derive(Debug, Clone)]
pub struct Jwks {
    keys: Vec<Jwk>,
}

/// One key of a set, usable or not.
#[derive(Debug, Clone)]
pub(crate) struct Jwk {
    pub(crate) kid: Option<String>,
    pub(crate) kty: Option<String>,
    pub(crate) alg: Option<String>,
    pub(crate) use_: Option<String>,
    pub(crate) key_ops: Option<Vec<String>>,
    /// The decoded key, or why it cannot be used (with the message for users).
    pub(crate) material: Result<Material, Unusable>,
}

/// Why a key of the set cannot be used.
#[derive(Debug, Clone)]
pub(crate) struct Unusable {
    pub(crate) rule: &'static str,
    pub(crate) reason: &'static str,
    pub(crate) message: String,
}

/// Decoded public keys, ready to verify with.
#[derive(Clone)]
pub(crate) enum Material {
    Rsa(Box<super::rsassa::RsaKey>),
    P256(Box<super::es256::P256Key>),
    P384(p384::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

impl core::fmt::Debug for Material {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Rsa(_) => "Rsa",
            Self::P256(_) => "P256",
            Self::P384(_) => "P384",
            Self::Ed25519(_) => "Ed25519",
        })
    }
}

impl Material {
    pub(crate) const fn kind(&self) -> KeyKind {
        match self {
            Self::Rsa(_) => KeyKind::Rsa,
            Self::P256(_) => KeyKind::P256,
            Self::P384(_) => KeyKind::P384,
            Self::Ed25519(_) => KeyKind::Ed25519,
        }
    }
}

fn set_error(path: String, rule: &str, reason: &str, message: String) -> Violation {
    Violation::new(ErrorCode::InvalidRequest, rule, path, message).in_source(Source::Jwks).with_reason(reason)
}

impl Jwks {
    /// Parses and checks a JWK Set (`{"keys": [...]}`) the host supplied.
    ///
    /// `source_path` is the JSON Pointer of the set inside the host's call
    /// (e.g. `/software_statement_jwks`); violation paths are built under it.
    ///
    /// # Errors
    /// Every structural problem (not an object, no `keys` array, a key that
    /// is not an object) and every private key member (`d`, `p`, `k`, ...),
    /// each with its path. Violations carry `invalid_request` and source
    /// `jwks`: a bad key set is the host's problem. A caller whose set comes
    /// from the client (e.g. a software's `jwks_uri`) may remap the code.
    pub fn from_value(v: &Value, source_path: &str) -> Result<Jwks, Vec<Violation>> {
        let mut errors = Vec::new();
        let Some(obj) = v.as_object() else {
            return Err(vec![set_error(
                source_path.to_owned(),
                "JWT-KEY-01",
                "type",
                format!("a JWK Set must be a JSON object, not {}", crate::limits::json_type(v)),
            )]);
        };
        let Some(items) = obj.get("keys").and_then(Value::as_array) else {
            return Err(vec![set_error(
                format!("{source_path}/keys"),
                "JWT-KEY-01",
                "missing",
                "a JWK Set must have a `keys` array".to_owned(),
            )]);
        };
        let mut keys = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let path = format!("{source_path}/keys/{i}");
            let Some(member) = item.as_object() else {
                errors.push(set_error(path, "JWT-KEY-01", "type", "a JWK must be a JSON object".to_owned()));
                continue;
            };
            let mut private = false;
            for name in PRIVATE_MEMBERS {
                if member.contains_key(name) {
                    private = true;
                    // Never echo the value: it is a secret.
                    errors.push(set_error(
                        format!("{path}/{name}"),
                        "JWT-KEY-01",
                        "private_key",
                        format!("the key set must hold public keys only: member `{name}` belongs to a private or symmetric key"),
                    ));
                }
            }
            if !private {
                keys.push(Jwk::parse(member));
            }
        }
        if errors.is_empty() { Ok(Jwks { keys }) } else { Err(errors) }
    }

    /// Number of keys in the set, usable or not.
    #[must_use]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when the set has no keys.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Number of keys the engine can verify with.
    #[must_use]
    pub fn usable(&self) -> usize {
        self.keys.iter().filter(|k| k.material.is_ok()).count()
    }

    /// The `kid`s of the set, in order (keys without one are skipped).
    #[must_use]
    pub fn kids(&self) -> Vec<&str> {
        self.keys.iter().filter_map(|k| k.kid.as_deref()).collect()
    }

    /// Selects the one key that may verify a token with `alg` and `kid`
    /// (JWT-KEY-01, JWT-KEY-02, JWT-ALG-03, JWT-ALG-04).
    pub(crate) fn select(&self, alg: Alg, kid: Option<&str>) -> Result<&Material, Selection> {
        let named: Vec<&Jwk> = match kid {
            Some(kid) => self.keys.iter().filter(|k| k.kid.as_deref() == Some(kid)).collect(),
            None => self.keys.iter().collect(),
        };
        if named.is_empty() {
            return Err(if kid.is_some() { Selection::UnknownKid } else { Selection::NoKey });
        }
        let mut fits = Vec::new();
        let mut misfits = Vec::new();
        for k in named {
            match k.fits(alg) {
                Ok(m) => fits.push(m),
                Err(e) => misfits.push(e),
            }
        }
        match (fits.as_slice(), misfits.as_slice()) {
            ([one], _) => Ok(*one),
            ([], [only]) => Err(only.clone()),
            ([], _) => Err(Selection::NoKey),
            _ => Err(Selection::Ambiguous),
        }
    }
}

/// Why no single key was selected.
#[derive(Debug, Clone)]
pub(crate) enum Selection {
    /// The header's `kid` names no key of the set.
    UnknownKid,
    /// No key fits the algorithm (and use / key_ops / alg).
    NoKey,
    /// Several keys fit and the token names none of them by `kid` (or they share it).
    Ambiguous,
    /// The one key the `kid` names does not fit, for this reason.
    Misfit { rule: &'static str, reason: &'static str, message: String },
}

impl Jwk {
    fn parse(m: &Map<String, Value>) -> Jwk {
        let string = |name: &str| m.get(name).and_then(Value::as_str).map(str::to_owned);
        let mut jwk = Jwk {
            kid: string("kid"),
            kty: string("kty"),
            alg: string("alg"),
            use_: string("use"),
            key_ops: m.get("key_ops").and_then(Value::as_array).map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect()),
            material: Err(unusable("JWT-KEY-01", "missing", "the key has no `kty`".to_owned())),
        };
        // RFC 7517 §4: these members have fixed types; a key that breaks that is not used.
        for name in ["kid", "kty", "alg", "use"] {
            if m.get(name).is_some_and(|v| !v.is_string()) {
                jwk.material = Err(unusable("JWT-KEY-01", "type", format!("the key's `{name}` must be a string")));
                return jwk;
            }
        }
        if m.get("key_ops").is_some_and(|v| !v.as_array().is_some_and(|a| a.iter().all(Value::is_string))) {
            jwk.material = Err(unusable("JWT-KEY-02", "type", "the key's `key_ops` must be an array of strings".to_owned()));
            return jwk;
        }
        jwk.material = match jwk.kty.as_deref() {
            Some("RSA") => rsa_key(m),
            Some("EC") => ec_key(m),
            Some("OKP") => okp_key(m),
            Some(other) => Err(unusable("JWT-ALG-03", "unsupported_kty", format!("key type `{}` is not supported", short(other)))),
            None => jwk.material,
        };
        jwk
    }

    /// Whether this key may verify `alg`, in the order a user would fix things.
    fn fits(&self, alg: Alg) -> Result<&Material, Selection> {
        let misfit = |rule, reason, message| Selection::Misfit { rule, reason, message };
        // JWT-KEY-02: a key for encryption never verifies.
        if let Some(u) = self.use_.as_deref().filter(|u| *u != "sig") {
            return Err(misfit("JWT-KEY-02", "key_use", format!("the matching key has `use` `{}`, not `sig`", short(u))));
        }
        if let Some(ops) = &self.key_ops
            && !ops.iter().any(|o| o == "verify")
        {
            return Err(misfit("JWT-KEY-02", "key_ops", "the matching key has `key_ops` without `verify`".to_owned()));
        }
        // JWT-ALG-04: a key that declares its algorithm is used with that one only.
        if let Some(a) = self.alg.as_deref().filter(|a| *a != alg.as_str()) {
            return Err(misfit(
                "JWT-ALG-04",
                "key_alg",
                format!("the matching key is for `{}`, but the token uses `{}`", short(a), alg.as_str()),
            ));
        }
        let material = self.material.as_ref().map_err(|u| misfit(u.rule, u.reason, u.message.clone()))?;
        // JWT-ALG-03: the algorithm decides kty / crv (prevents key confusion).
        if material.kind() != alg.key_kind() {
            return Err(misfit(
                "JWT-ALG-03",
                "key_type",
                format!("`{}` needs a key with {}, but the matching key is not one", alg.as_str(), alg.key_kind().describe()),
            ));
        }
        Ok(material)
    }
}

fn unusable(rule: &'static str, reason: &'static str, message: String) -> Unusable {
    Unusable { rule, reason, message }
}

/// A user-controlled string, cut for messages.
pub(crate) fn short(s: &str) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(64).collect();
    if s.chars().count() > 64 {
        out.push('…');
    }
    out
}

fn member_bytes(m: &Map<String, Value>, name: &str) -> Result<Vec<u8>, Unusable> {
    let Some(v) = m.get(name) else {
        return Err(unusable("JWT-KEY-01", "missing", format!("the key has no `{name}`")));
    };
    let Some(s) = v.as_str() else {
        return Err(unusable("JWT-KEY-01", "type", format!("the key's `{name}` must be a base64url string")));
    };
    b64::decode(s).map_err(|e| unusable("JWT-KEY-01", e.reason(), format!("the key's `{name}` {}", e.message())))
}

fn rsa_key(m: &Map<String, Value>) -> Result<Material, Unusable> {
    let n = member_bytes(m, "n")?;
    let e = member_bytes(m, "e")?;
    // RFC 7518 §6.3.1.1 asks for the minimal encoding; tolerate stray leading
    // zero octets (some libraries emit them) but size the key by its value.
    let n = strip_zeros(&n);
    let e = strip_zeros(&e);
    let bits = n.first().map_or(0, |top| n.len() * 8 - top.leading_zeros() as usize);
    // JWT-KEY-04: at least 2048 bits; the cap bounds verification cost.
    if bits < RSA_MIN_BITS {
        return Err(unusable("JWT-KEY-04", "key_too_small", format!("the RSA key has {bits} bits, under the minimum of {RSA_MIN_BITS}")));
    }
    if bits > RSA_MAX_BITS {
        return Err(unusable("JWT-KEY-04", "key_too_large", format!("the RSA key has {bits} bits, over the maximum of {RSA_MAX_BITS}")));
    }
    if roca_fingerprint(n) {
        return Err(unusable(
            "JWT-KEY-04",
            "key_weak",
            "the RSA key has the ROCA fingerprint (CVE-2017-15361): its factors can be recovered".to_owned(),
        ));
    }
    // Odd modulus; e odd, 3 ≤ e < 2^33 (and so e < n).
    let key = super::rsassa::RsaKey::new(n, e)
        .map_err(|_| unusable("JWT-KEY-04", "key_invalid", "the RSA key is invalid (even modulus, or exponent out of range)".to_owned()))?;
    Ok(Material::Rsa(Box::new(key)))
}

fn strip_zeros(b: &[u8]) -> &[u8] {
    let first = b.iter().position(|&x| x != 0).unwrap_or(b.len());
    b.get(first..).unwrap_or_default()
}

/// The ROCA test (Nemec et al., CCS 2017): Infineon's generator made every
/// prime `p ≡ 65537^a (mod M)` for a primorial `M`, so `n mod r` lies in the
/// subgroup generated by 65537 for each small prime `r | M`. A random modulus
/// passes all 38 residue tests with negligible probability.
fn roca_fingerprint(n: &[u8]) -> bool {
    const PRIMES: [u32; 38] = [
        3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131,
        137, 139, 149, 151, 157, 163, 167,
    ];
    PRIMES.iter().all(|&p| {
        let r = n.iter().fold(0u32, |acc, &b| (acc * 256 + u32::from(b)) % p);
        let g = 65537 % p;
        // Walk the cyclic subgroup <g> mod p (at most p-1 steps).
        let mut x = 1u32;
        for _ in 0..p {
            if x == r {
                return true;
            }
            x = x * g % p;
            if x == 1 {
                break;
            }
        }
        false
    })
}

fn ec_key(m: &Map<String, Value>) -> Result<Material, Unusable> {
    let crv = m.get("crv").and_then(Value::as_str).unwrap_or_default();
    let size = match crv {
        "P-256" => 32,
        "P-384" => 48,
        "" => return Err(unusable("JWT-KEY-05", "missing", "the EC key has no `crv`".to_owned())),
        other => {
            return Err(unusable("JWT-KEY-05", "unsupported_crv", format!("curve `{}` is not supported", short(other))));
        }
    };
    let x = member_bytes(m, "x")?;
    let y = member_bytes(m, "y")?;
    // RFC 7518 §6.2.1.2/§6.2.1.3: coordinates are full-length octet strings.
    if x.len() != size || y.len() != size {
        return Err(unusable("JWT-KEY-05", "key_invalid", format!("the {crv} key's `x` and `y` must be {size} bytes each")));
    }
    let mut sec1 = Vec::with_capacity(1 + 2 * size);
    sec1.push(0x04);
    sec1.extend_from_slice(&x);
    sec1.extend_from_slice(&y);
    // JWT-KEY-05: the decoders check that the point is on the curve.
    let off_curve = || unusable("JWT-KEY-05", "key_invalid", format!("the {crv} key is not a point on the curve"));
    if size == 32 {
        // The on-curve check stays with the `p256` crate; the verifier's
        // tables (es256.rs) are built from the checked coordinates.
        p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).map_err(|_| off_curve())?;
        let (Ok(x), Ok(y)) = (<&[u8; 32]>::try_from(x.as_slice()), <&[u8; 32]>::try_from(y.as_slice())) else {
            return Err(off_curve());
        };
        super::es256::P256Key::new(x, y).map(|k| Material::P256(Box::new(k))).ok_or_else(off_curve)
    } else {
        p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).map(Material::P384).map_err(|_| off_curve())
    }
}

fn okp_key(m: &Map<String, Value>) -> Result<Material, Unusable> {
    match m.get("crv").and_then(Value::as_str) {
        Some("Ed25519") => {}
        None => return Err(unusable("JWT-ALG-03", "missing", "the OKP key has no `crv`".to_owned())),
        Some(other) => {
            return Err(unusable("JWT-ALG-03", "unsupported_crv", format!("curve `{}` is not supported", short(other))));
        }
    }
    let x = member_bytes(m, "x")?;
    let x: [u8; 32] =
        x.try_into().map_err(|_| unusable("JWT-KEY-05", "key_invalid", "the Ed25519 key's `x` must be 32 bytes".to_owned()))?;
    let key = ed25519_dalek::VerifyingKey::from_bytes(&x)
        .map_err(|_| unusable("JWT-KEY-05", "key_invalid", "the Ed25519 key is not a valid point".to_owned()))?;
    // A small-order public key lets one signature verify for many messages.
    if key.is_weak() {
        return Err(unusable("JWT-KEY-05", "key_weak", "the Ed25519 key has small order".to_owned()));
    }
    Ok(Material::Ed25519(key))
}

/// A finding about a client's registered key (`jwks` in client metadata).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyFinding {
    /// The member at fault (`n`, `x`, `crv`, ...).
    pub member: &'static str,
    /// What is wrong: `key_invalid`, `key_weak` or `key_too_small`.
    pub reason: &'static str,
    /// Lowercase message.
    pub message: String,
    /// RSA modulus size in bits when `reason` is `key_too_small`.
    pub rsa_bits: Option<usize>,
}

/// Checks the public material of a key a client registers (its `jwks`):
/// strict base64url, lengths per curve, points on the curve (P-256, P-384,
/// Ed25519, not of small order), RSA moduli of at least 2048 bits (JWT-KEY-04,
/// FAPI1-KEY-01, FAPI2-KEY-01), odd, without the ROCA fingerprint. Unlike the
/// verifier's key set, encryption keys and curves this module does not verify
/// with (P-521, secp256k1, X25519, X448, Ed448) are fine: their lengths are
/// checked, and a `crv` nobody registered is reported (`unknown_crv`) for the
/// caller to judge. Missing members are the caller's (RFC7591-JWKS-02) concern.
pub(crate) fn check_registered_key(m: &Map<String, Value>) -> Vec<KeyFinding> {
    let finding = |member, reason, message: String| KeyFinding { member, reason, message, rsa_bits: None };
    let mut out = Vec::new();
    let bytes = |name: &'static str, out: &mut Vec<KeyFinding>| -> Option<Vec<u8>> {
        let s = m.get(name)?.as_str()?;
        match b64::decode(s) {
            Ok(b) => Some(b),
            Err(e) => {
                out.push(finding(name, "key_invalid", format!("the key's `{name}` {}", e.message())));
                None
            }
        }
    };
    match m.get("kty").and_then(Value::as_str) {
        Some("RSA") => {
            let (n, e) = (bytes("n", &mut out), bytes("e", &mut out));
            if let (Some(n), Some(e)) = (n, e) {
                let n = strip_zeros(&n);
                let bits = n.first().map_or(0, |top| n.len() * 8 - top.leading_zeros() as usize);
                if bits < RSA_MIN_BITS {
                    out.push(KeyFinding {
                        member: "n",
                        reason: "key_too_small",
                        message: format!("the RSA key has {bits} bits, under the minimum of {RSA_MIN_BITS}"),
                        rsa_bits: Some(bits),
                    });
                } else if roca_fingerprint(n) {
                    out.push(finding("n", "key_weak", "the RSA key has the ROCA fingerprint (CVE-2017-15361)".to_owned()));
                } else if n.last().is_some_and(|b| b & 1 == 0) {
                    out.push(finding("n", "key_invalid", "the RSA modulus is even".to_owned()));
                }
                let e = strip_zeros(&e);
                if e.len() > 8 || e.last().is_none_or(|b| b & 1 == 0) || e == [1] {
                    out.push(finding("e", "key_invalid", "the RSA exponent must be odd and greater than 1".to_owned()));
                }
            }
        }
        Some("EC") => {
            let crv = m.get("crv").and_then(Value::as_str).unwrap_or_default();
            let size = match crv {
                "P-256" | "secp256k1" => Some(32),
                "P-384" => Some(48),
                "P-521" => Some(66),
                "" => None,
                _ => {
                    out.push(finding("crv", "unknown_crv", format!("curve `{}` is not a registered JOSE curve", short(crv))));
                    None
                }
            };
            let (x, y) = (bytes("x", &mut out), bytes("y", &mut out));
            if let (Some(size), Some(x), Some(y)) = (size, x, y) {
                if x.len() != size || y.len() != size {
                    out.push(finding("x", "key_invalid", format!("the {crv} key's `x` and `y` must be {size} bytes each")));
                } else if crv == "P-256" || crv == "P-384" {
                    let mut sec1 = Vec::with_capacity(1 + 2 * size);
                    sec1.push(0x04);
                    sec1.extend_from_slice(&x);
                    sec1.extend_from_slice(&y);
                    let on_curve = if crv == "P-256" {
                        p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).is_ok()
                    } else {
                        p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).is_ok()
                    };
                    if !on_curve {
                        out.push(finding("x", "key_invalid", format!("the {crv} key is not a point on the curve")));
                    }
                }
            }
        }
        Some("OKP") => {
            let crv = m.get("crv").and_then(Value::as_str).unwrap_or_default();
            let size = match crv {
                "Ed25519" | "X25519" => Some(32),
                "Ed448" => Some(57),
                "X448" => Some(56),
                "" => None,
                _ => {
                    out.push(finding("crv", "unknown_crv", format!("curve `{}` is not a registered JOSE curve", short(crv))));
                    None
                }
            };
            if let (Some(size), Some(x)) = (size, bytes("x", &mut out)) {
                if x.len() != size {
                    out.push(finding("x", "key_invalid", format!("the {crv} key's `x` must be {size} bytes")));
                } else if crv == "Ed25519" {
                    let point = <[u8; 32]>::try_from(x.as_slice()).ok().and_then(|x| ed25519_dalek::VerifyingKey::from_bytes(&x).ok());
                    match point {
                        None => out.push(finding("x", "key_invalid", "the Ed25519 key is not a valid point".to_owned())),
                        Some(k) if k.is_weak() => out.push(finding("x", "key_weak", "the Ed25519 key has small order".to_owned())),
                        Some(_) => {}
                    }
                }
            }
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn jwt_key_01_private_members_refuse_the_set() {
        let v = json!({"keys": [{"kty": "oct", "k": "c2VjcmV0"}]});
        let e = Jwks::from_value(&v, "/jwks").unwrap_err();
        assert_eq!(e[0].path, "/jwks/keys/0/k");
        assert_eq!(e[0].reason.as_deref(), Some("private_key"));
        assert!(!e[0].message.contains("c2VjcmV0"));
    }

    #[test]
    fn jwt_key_01_structure() {
        assert!(Jwks::from_value(&json!([]), "").is_err());
        assert_eq!(Jwks::from_value(&json!({}), "").unwrap_err()[0].path, "/keys");
        assert_eq!(Jwks::from_value(&json!({"keys": [1]}), "").unwrap_err()[0].path, "/keys/0");
        let ok = Jwks::from_value(&json!({"keys": [{"kty": "foo"}]}), "").unwrap();
        assert_eq!((ok.len(), ok.usable()), (1, 0));
    }

    #[test]
    fn roca_detects_only_the_fingerprint() {
        // 65537^k mod primorial-ish values pass; a small random odd number does not.
        assert!(!roca_fingerprint(&[0xc3, 0x5a, 0x11, 0x07, 0x99, 0x21, 0x4f, 0x0b]));
        assert!(roca_fingerprint(&[0x01, 0x00, 0x01])); // 65537 itself is in <65537>
    }
}
