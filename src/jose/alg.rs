//! The JWS algorithms the engine verifies (RFC 7518 §3.1, RFC 8037 §3.1).

/// An asymmetric JWS algorithm. `none` and the `HS*` family are not
/// representable: they are refused before any key is looked at
/// (JWT-ALG-01, JWT-ALG-05).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Alg {
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    Rs384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    Rs512,
    /// RSASSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt.
    Ps256,
    /// RSASSA-PSS, SHA-384, MGF1-SHA-384, 48-byte salt.
    Ps384,
    /// RSASSA-PSS, SHA-512, MGF1-SHA-512, 64-byte salt.
    Ps512,
    /// ECDSA on P-256 with SHA-256, raw `r‖s` (64 bytes).
    Es256,
    /// ECDSA on P-384 with SHA-384, raw `r‖s` (96 bytes).
    Es384,
    /// EdDSA on Ed25519 (RFC 8037).
    EdDsa,
}

/// Key family an algorithm needs (JWT-ALG-03).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Rsa,
    P256,
    P384,
    Ed25519,
}

impl Alg {
    /// Every supported algorithm.
    pub const ALL: [Alg; 9] =
        [Self::Rs256, Self::Rs384, Self::Rs512, Self::Ps256, Self::Ps384, Self::Ps512, Self::Es256, Self::Es384, Self::EdDsa];

    /// Parses a JOSE `alg` value (case-sensitive, RFC 7515 §4.1.1).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The JOSE spelling.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Rs384 => "RS384",
            Self::Rs512 => "RS512",
            Self::Ps256 => "PS256",
            Self::Ps384 => "PS384",
            Self::Ps512 => "PS512",
            Self::Es256 => "ES256",
            Self::Es384 => "ES384",
            Self::EdDsa => "EdDSA",
        }
    }

    pub(crate) const fn key_kind(self) -> KeyKind {
        match self {
            Self::Rs256 | Self::Rs384 | Self::Rs512 | Self::Ps256 | Self::Ps384 | Self::Ps512 => KeyKind::Rsa,
            Self::Es256 => KeyKind::P256,
            Self::Es384 => KeyKind::P384,
            Self::EdDsa => KeyKind::Ed25519,
        }
    }
}

impl KeyKind {
    /// `kty` and `crv` as a JWK spells them, for messages.
    pub(crate) const fn describe(self) -> &'static str {
        match self {
            Self::Rsa => "`kty` `RSA`",
            Self::P256 => "`kty` `EC` with `crv` `P-256`",
            Self::P384 => "`kty` `EC` with `crv` `P-384`",
            Self::Ed25519 => "`kty` `OKP` with `crv` `Ed25519`",
        }
    }
}

/// True for `none` in any letter case (JWT-ALG-01). `NONE` is not a
/// registered name, but a verifier that lower-cases would accept it.
#[must_use]
pub(crate) fn is_none(s: &str) -> bool {
    s.eq_ignore_ascii_case("none")
}

/// True for the MAC family `HS256`/`HS384`/`HS512` and any other `HS*`
/// spelling (JWT-ALG-05: never accepted when keys come from a JWKS).
#[must_use]
pub(crate) fn is_hmac(s: &str) -> bool {
    s.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("HS"))
}
