//! Strict base64url (RFC 4648 §5) without padding, as JWS requires
//! (RFC 7515 §2 "Base64url Encoding", JWT-FMT-01).
//!
//! Refused: `=` padding, the standard alphabet's `+` and `/`, whitespace,
//! a length that leaves a single dangling character, and non-canonical
//! final characters whose unused low bits are not zero (RFC 4648 §3.5
//! lets decoders reject those; two encodings of one value would let a token
//! be altered without touching the signature input's meaning).

/// Why a segment is not strict base64url. Messages are fixed strings: the
/// offending input is never echoed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum B64Error {
    /// A character outside `A–Z a–z 0–9 - _` (includes `=`, `+`, `/`, spaces).
    Alphabet,
    /// `len % 4 == 1`: no byte sequence encodes to this length.
    Length,
    /// The last character carries non-zero unused bits.
    NonCanonical,
}

impl B64Error {
    /// The short machine reason used in violations.
    #[must_use]
    pub const fn reason(self) -> &'static str {
        match self {
            Self::Alphabet => "base64url_alphabet",
            Self::Length => "base64url_length",
            Self::NonCanonical => "base64url_non_canonical",
        }
    }

    /// One lowercase line for humans.
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::Alphabet => "is not base64url: only `A-Z a-z 0-9 - _` are allowed, without padding",
            Self::Length => "is not base64url: its length is impossible",
            Self::NonCanonical => "is not canonical base64url: the last character has non-zero unused bits",
        }
    }
}

const fn value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// Decodes strict unpadded base64url.
///
/// # Errors
/// [`B64Error`] for any character outside the url-safe alphabet (padding
/// included), an impossible length, or non-zero trailing bits.
pub fn decode(input: &str) -> Result<Vec<u8>, B64Error> {
    let bytes = input.as_bytes();
    if bytes.len() % 4 == 1 {
        return Err(B64Error::Length);
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    for &c in bytes {
        let v = value(c).ok_or(B64Error::Alphabet)?;
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    // 2 or 4 bits are left over after a 2- or 3-character tail: they must be zero.
    if bits > 0 && acc & ((1 << bits) - 1) != 0 {
        return Err(B64Error::NonCanonical);
    }
    Ok(out)
}

/// Encodes bytes as unpadded base64url.
#[must_use]
pub fn encode(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    let mut acc: u32 = 0;
    let mut bits: u32 = 0;
    let push = |out: &mut String, idx: u32| {
        if let Some(&c) = ALPHABET.get((idx & 63) as usize) {
            out.push(char::from(c));
        }
    };
    for &b in data {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 6 {
            bits -= 6;
            push(&mut out, acc >> bits);
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        push(&mut out, acc << (6 - bits));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_fmt_01_round_trips() {
        for len in 0..40 {
            let data: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(decode(&encode(&data)).unwrap(), data, "len {len}");
        }
        assert_eq!(encode(b"foo"), "Zm9v");
        assert_eq!(decode("Zm8").unwrap(), b"fo");
    }

    #[test]
    fn jwt_fmt_01_rejects_padding_and_standard_alphabet() {
        assert_eq!(decode("Zm8="), Err(B64Error::Alphabet));
        assert_eq!(decode("a+b/"), Err(B64Error::Alphabet));
        assert_eq!(decode("Zm 9"), Err(B64Error::Alphabet));
        assert_eq!(decode("Zm9vY"), Err(B64Error::Length));
    }

    #[test]
    fn jwt_fmt_01_rejects_non_canonical_last_char() {
        // "Zm8" is canonical for "fo"; "Zm9" encodes the same bytes with a stray low bit.
        assert_eq!(decode("Zm9"), Err(B64Error::NonCanonical));
        assert_eq!(decode("Zh"), Err(B64Error::NonCanonical));
        assert_eq!(decode("Zg").unwrap(), b"f");
    }
}
