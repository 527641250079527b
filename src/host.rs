//! What the host hands in: the clock, the TLS / bearer-token context, and a
//! source of randomness. The core never reads a clock or an OS RNG itself.

use serde::{Deserialize, Serialize};

/// Facts about the HTTP request that only the host knows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Context {
    /// Current time, seconds since the Unix epoch.
    pub now: i64,
    /// The mutual-TLS client certificate, when the request came over mTLS.
    pub tls: Option<TlsContext>,
    /// The bearer token the host validated for this request, if any.
    pub bearer: Option<BearerContext>,
    /// The URL the request was sent to (the registration endpoint).
    pub endpoint_url: Option<String>,
}

/// The client certificate presented over mutual TLS (RFC 8705).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TlsContext {
    /// Subject distinguished name, RFC 4514 string form.
    pub subject_dn: Option<String>,
    /// DNS subjectAltName entries.
    pub san_dns: Vec<String>,
    /// URI subjectAltName entries.
    pub san_uri: Vec<String>,
    /// IP subjectAltName entries.
    pub san_ip: Vec<String>,
    /// rfc822Name (email) subjectAltName entries.
    pub san_email: Vec<String>,
    /// `x5t#S256` thumbprint of the certificate (base64url SHA-256 of the DER).
    pub thumbprint_s256: Option<String>,
}

/// A bearer token the host has already validated (initial access token, or
/// a client-credentials token in UK OB / CDR management).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BearerContext {
    /// `true` when the host validated the token; `false` when one was sent but failed.
    pub valid: bool,
    /// Scopes the token carries.
    pub scopes: Vec<String>,
    /// The client the token was issued to, if the host knows it.
    pub client_id: Option<String>,
}

/// A document the host fetched for a request (the module never fetches):
/// what `inspect_registration` listed under `documents`, e.g. the JSON array
/// served at `sector_identifier_uri` (OIDCDCR-SECTOR-02).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FetchedDocument {
    /// The URL the host fetched (compared code point for code point with
    /// the URL the metadata names).
    pub uri: String,
    /// The response body as text when the fetch answered HTTP 200; `None`
    /// when it failed (unreachable, another status, too large, ...).
    pub body: Option<String>,
}

/// Where credentials (client ids, secrets, registration access tokens) come
/// from. The default implementation uses `getrandom`; tests pass a fixed one.
pub trait RandomSource {
    /// Fills `dest` with random bytes.
    ///
    /// # Errors
    /// When no randomness is available; the caller rejects the request
    /// rather than issue weak credentials.
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), RandomError>;
}

/// No randomness was available.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RandomError;

impl core::fmt::Display for RandomError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("no source of randomness is available")
    }
}

/// The operating system's (or Wasm host's) random source, via `getrandom`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemRandom;

impl RandomSource for SystemRandom {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        getrandom::fill(dest).map_err(|_| RandomError)
    }
}

/// How many bytes one batch fetches by default: enough for every credential
/// of one decision (client id 32 + secret up to 64 + registration access
/// token 32).
const RANDOM_BATCH: usize = 128;

/// Randomness fetched through `getrandom` (the OS; `crypto.getRandomValues`
/// in the wasm-bindgen build; `wasi:random` in the component) in batches:
/// credentials take disjoint slices of one batch, so a registration costs
/// one host call instead of three (a host call costs ~2-7 µs in Node and
/// jco). Every byte is served once and zeroed as it is served; the rest is
/// zeroed on drop. A fetch that fails leaves nothing to serve
/// (`RandomError`, which the core turns into a 500 rejection, RFC7592-RAT-03).
///
/// `BatchedRandom::default()` lives for one decision (128 bytes, unused
/// bytes discarded): the component and `ffi` do that. The wasm-bindgen
/// `CompiledPolicy` keeps one of 1 KB across its decisions, as Node's own
/// `crypto.randomUUID()` keeps a pool of random bytes, so at most 1 KB of
/// not-yet-served randomness sits in its memory.
pub struct BatchedRandom {
    buf: Vec<u8>,
    used: usize,
    batch: usize,
}

impl Default for BatchedRandom {
    fn default() -> Self {
        Self::new(RANDOM_BATCH)
    }
}

impl BatchedRandom {
    /// A source that fetches `batch` bytes at a time (at least as many as
    /// one request asks for).
    #[must_use]
    pub const fn new(batch: usize) -> Self {
        Self { buf: Vec::new(), used: 0, batch }
    }
}

impl RandomSource for BatchedRandom {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        let left = self.buf.len().saturating_sub(self.used);
        if left < dest.len() {
            // Drop what is left first, so a failed fetch leaves nothing to serve.
            self.buf.fill(0);
            self.buf.clear();
            self.used = 0;
            let mut fresh = vec![0; self.batch.max(dest.len())];
            getrandom::fill(&mut fresh).map_err(|_| RandomError)?;
            self.buf = fresh;
        }
        let end = self.used.saturating_add(dest.len());
        let src = self.buf.get(self.used..end).ok_or(RandomError)?;
        dest.copy_from_slice(src);
        // Served bytes are not kept.
        if let Some(served) = self.buf.get_mut(self.used..end) {
            served.fill(0);
        }
        self.used = end;
        Ok(())
    }
}

impl Drop for BatchedRandom {
    fn drop(&mut self) {
        self.buf.fill(0);
    }
}

/// A deterministic source for tests: a counter run through SHA-256.
#[derive(Debug, Clone, Default)]
pub struct SeededRandom {
    seed: u64,
    counter: u64,
}

impl SeededRandom {
    /// A source that yields the same bytes for the same seed.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self { seed, counter: 0 }
    }
}

impl RandomSource for SeededRandom {
    fn fill(&mut self, dest: &mut [u8]) -> Result<(), RandomError> {
        use sha2::Digest;
        for chunk in dest.chunks_mut(32) {
            let mut h = sha2::Sha256::new();
            h.update(self.seed.to_be_bytes());
            h.update(self.counter.to_be_bytes());
            self.counter = self.counter.wrapping_add(1);
            let out = h.finalize();
            for (d, s) in chunk.iter_mut().zip(out.iter()) {
                *d = *s;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_random_serves_disjoint_slices_of_one_batch_and_forgets_them() {
        let mut r = BatchedRandom::default();
        let (mut a, mut b, mut c) = ([0u8; 32], [0u8; 64], [0u8; 32]);
        r.fill(&mut a).unwrap();
        r.fill(&mut b).unwrap();
        r.fill(&mut c).unwrap();
        assert_eq!(r.buf.len(), RANDOM_BATCH, "one batch served all three");
        assert!(a != [0; 32] && c != [0; 32] && a != c);
        assert!(r.buf.get(..128).unwrap().iter().all(|&x| x == 0), "served bytes are zeroed");
        // More than a batch: a fresh fetch of that size.
        let mut big = [0u8; 200];
        r.fill(&mut big).unwrap();
        assert!(big.iter().any(|&x| x != 0));
    }
}
