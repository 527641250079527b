//! RSA signature verification (RFC 8017 RSASSA-PKCS1-v1_5 §8.2.2 and
//! RSASSA-PSS §8.1.2), public-key only.
//!
//! Why our own arithmetic: verification computes `s^e mod n` with public
//! `s`, `e` and `n`, so variable time is fine, and with `e` = 65537 it is 17
//! modular multiplications. The `rsa` crate's constant-time windowed
//! exponentiation spends about twice as many multiplications, and on wasm32
//! `crypto-bigint` emulates 64-bit limbs with 32-bit multiplies (issue 3,
//! Performance). Here limbs are machine words: `u64` with `u128` products on
//! 64-bit targets, `u32` with `u64` products elsewhere (wasm32 has a native
//! `i64.mul`). Montgomery multiplication (word-by-word, operands < n,
//! output fully reduced) with `n' = -n⁻¹ mod 2^w` and `R² mod n`
//! precomputed once per key when the JWKS is parsed.
//!
//! Padding checks follow RFC 8017 exactly: PKCS#1 v1.5 builds the one
//! expected encoding (with the DigestInfo and its NULL) and compares it, as
//! §8.2.2 step 3 recommends; PSS runs EMSA-PSS-VERIFY (§9.1.2) with MGF1 of
//! the same hash and a salt exactly as long as the hash (RFC 7518 §3.5).

use sha2::digest::{Digest, FixedOutputReset};
use sha2::{Sha256, Sha384, Sha512};

// Two representations:
// - 64-bit targets: full u64 limbs, u128 products, carries at every step;
// - elsewhere (wasm32): 28-bit digits held in u32, "lazy" carries in a u64
//   accumulator. A product of two digits is < 2^56, so a u64 accumulates
//   many of them without overflow; the Montgomery inner loop is then just
//   `t += a·b + n·m` (no carry handling), where 32-bit limbs with carries
//   cost about twice as many Wasm instructions per product. Rows go two per
//   pass over the accumulator (half the loads and stores) and squares have
//   their own routine (a quarter fewer products); together 0.75× the time
//   of one row per pass in V8.
//   Measured and not taken: Wasm SIMD (`+simd128`). LLVM turns
//   `u64x2_extmul_*_u32x4` into `i64x2.mul` of widened lanes, which V8
//   emulates with three multiplies; forcing real `extmul` (masking both
//   operands) ran at 0.92× the one-row scalar loop, behind the two-row
//   scalar loop; product scanning (Comba) with SIMD dot products at 1.1×.
// `--cfg dcr_limb32` selects the wasm32 representation on a 64-bit host, so
// the native test suites cover it too (es256.rs follows the same cfg):
//   CARGO_TARGET_DIR=target/limb32 RUSTFLAGS='--cfg dcr_limb32' \
//     cargo test --lib --test wycheproof --test jose --test jose_attacks
#[cfg(all(target_pointer_width = "64", not(dcr_limb32)))]
type Limb = u64;
#[cfg(all(target_pointer_width = "64", not(dcr_limb32)))]
type Wide = u128;
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
type Limb = u32;
#[cfg(all(target_pointer_width = "64", not(dcr_limb32)))]
const DIGIT_BITS: u32 = 64;
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
const DIGIT_BITS: u32 = 28;
const MASK: Limb = Limb::MAX >> (Limb::BITS - DIGIT_BITS);

/// Digits for a modulus of `bytes` octets; on wasm32 an even count (a zero
/// top digit when needed), since the Montgomery passes take rows in pairs.
fn digits_for(bytes: usize) -> usize {
    let d = (8 * bytes).div_ceil(DIGIT_BITS as usize);
    if cfg!(any(not(target_pointer_width = "64"), dcr_limb32)) { d.next_multiple_of(2) } else { d }
}

/// Smallest and largest public exponent accepted (as the `rsa` crate did:
/// `e` odd, 3 ≤ e < 2³³).
const MAX_E: u64 = (1 << 33) - 1;

/// An RSA public key with its Montgomery parameters.
#[derive(Clone)]
pub(crate) struct RsaKey {
    /// The modulus, little-endian limbs, no spare top limb.
    n: Vec<Limb>,
    /// `-n⁻¹ mod 2^w`.
    n0: Limb,
    /// `R² mod n` with `R = 2^(w·limbs)`.
    r2: Vec<Limb>,
    e: u64,
    /// Modulus length in bits and in bytes (`k` of RFC 8017).
    bits: usize,
    k: usize,
}

/// Why a key was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyError {
    /// Even modulus, exponent even, under 3, over 2³³−1, or not under `n`.
    Invalid,
}

impl RsaKey {
    /// Builds a key from big-endian `n` and `e` without leading zero octets
    /// (the caller strips them and checks the size bounds).
    pub(crate) fn new(n_be: &[u8], e_be: &[u8]) -> Result<RsaKey, KeyError> {
        let n = from_be(n_be, digits_for(n_be.len()));
        let bits = bit_len(&n);
        let n_low = n.first().copied().unwrap_or(0);
        if bits < 64 || n_low & 1 == 0 || e_be.len() > 8 {
            return Err(KeyError::Invalid);
        }
        let e = e_be.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        // `e < n` holds since n has at least 64 bits and e < 2^33.
        if !(3..=MAX_E).contains(&e) || e & 1 == 0 {
            return Err(KeyError::Invalid);
        }
        let n0 = neg_inverse(n_low);
        let r2 = r_squared(&n, n0, bits);
        Ok(RsaKey { n, n0, r2, e, bits, k: bits.div_ceil(8) })
    }

    /// RSAVP1 + I2OSP (RFC 8017 §5.2.2, §8.x.2 steps 1–2): `s^e mod n` as
    /// `k` big-endian octets, or `None` when the signature is not exactly `k`
    /// octets or its value is not below `n`.
    fn public_op(&self, sig: &[u8]) -> Option<Vec<u8>> {
        if sig.len() != self.k {
            return None;
        }
        let s = from_be(sig, self.n.len());
        if !less_than(&s, &self.n) {
            return None;
        }
        let len = self.n.len();
        let mut scratch = vec![0; 2 * len + 2];
        let mut base = vec![0; len];
        mont_mul(&mut base, &s, &self.r2, &self.n, self.n0, &mut scratch);
        // Left-to-right square-and-multiply over the bits of e below its top
        // bit. e is odd, so the last step multiplies by the base: with the
        // plain `s` instead of `s·R`, that product (acc·R)·s·R⁻¹ leaves the
        // Montgomery domain by itself, saving the usual multiply by 1.
        let mut acc = base.clone();
        let mut tmp = vec![0; len];
        let top = 63 - self.e.leading_zeros();
        for i in (1..top).rev() {
            mont_sqr(&mut tmp, &acc, &self.n, self.n0, &mut scratch);
            if (self.e >> i) & 1 == 1 {
                mont_mul(&mut acc, &tmp, &base, &self.n, self.n0, &mut scratch);
            } else {
                core::mem::swap(&mut acc, &mut tmp);
            }
        }
        mont_sqr(&mut tmp, &acc, &self.n, self.n0, &mut scratch);
        mont_mul(&mut acc, &tmp, &s, &self.n, self.n0, &mut scratch);
        Some(to_be(&acc, self.k))
    }

    /// RSASSA-PKCS1-v1_5 verification with the DigestInfo `prefix` of the
    /// hash (RFC 8017 §8.2.2, §9.2 EMSA-PKCS1-v1_5).
    fn verify_pkcs1v15(&self, prefix: &[u8], hashed: &[u8], sig: &[u8]) -> bool {
        let Some(em) = self.public_op(sig) else {
            return false;
        };
        // §9.2 step 3: emLen ≥ tLen + 11; then EM = 00 01 FF…FF 00 ‖ T.
        let t_len = prefix.len() + hashed.len();
        if self.k < t_len + 11 {
            return false;
        }
        let mut expected = Vec::with_capacity(self.k);
        expected.extend_from_slice(&[0x00, 0x01]);
        expected.resize(self.k - t_len - 1, 0xff);
        expected.push(0x00);
        expected.extend_from_slice(prefix);
        expected.extend_from_slice(hashed);
        em == expected
    }

    /// RSASSA-PSS verification (RFC 8017 §8.1.2, EMSA-PSS-VERIFY §9.1.2)
    /// with MGF1 of the same hash and `sLen` = `hLen`.
    fn verify_pss<D: Digest + FixedOutputReset>(&self, m_hash: &[u8], sig: &[u8]) -> bool {
        let Some(m) = self.public_op(sig) else {
            return false;
        };
        // §8.1.2 step 2c: EM = I2OSP(m, emLen), emLen = ⌈(modBits − 1)/8⌉.
        let em_bits = self.bits - 1;
        let em_len = em_bits.div_ceil(8);
        let Some((high, em)) = m.split_at_checked(m.len() - em_len) else {
            return false;
        };
        if high.iter().any(|&b| b != 0) {
            return false;
        }
        emsa_pss_verify::<D>(m_hash, em, em_bits)
    }
}

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with `sLen` = `hLen`.
fn emsa_pss_verify<D: Digest + FixedOutputReset>(m_hash: &[u8], em: &[u8], em_bits: usize) -> bool {
    let h_len = <D as Digest>::output_size();
    let s_len = h_len;
    let em_len = em.len();
    // Steps 2–3.
    if m_hash.len() != h_len || em_len < h_len + s_len + 2 {
        return false;
    }
    // Step 4: rightmost octet 0xbc.
    let Some((&0xbc, rest)) = em.split_last() else {
        return false;
    };
    // Step 5: maskedDB ‖ H.
    let Some((masked_db, h)) = rest.split_at_checked(em_len - h_len - 1) else {
        return false;
    };
    // Step 6: the leftmost 8·emLen − emBits bits of maskedDB are zero.
    let unused = 8 * em_len - em_bits;
    let top_mask: u8 = 0xff >> unused;
    if masked_db.first().is_none_or(|&b| b & !top_mask != 0) {
        return false;
    }
    // Steps 7–9: DB = maskedDB ⊕ MGF1(H, emLen − hLen − 1), top bits cleared.
    let mut db = masked_db.to_vec();
    mgf1_xor::<D>(h, &mut db);
    if let Some(first) = db.first_mut() {
        *first &= top_mask;
    }
    // Step 10: PS (zeros) ‖ 0x01 ‖ salt.
    let ps_len = em_len - h_len - s_len - 2;
    let Some((ps, rest)) = db.split_at_checked(ps_len) else {
        return false;
    };
    let Some((&0x01, salt)) = rest.split_first() else {
        return false;
    };
    if ps.iter().any(|&b| b != 0) || salt.len() != s_len {
        return false;
    }
    // Steps 12–14: H' = Hash(0x00·8 ‖ mHash ‖ salt) must equal H.
    let mut d = D::new();
    Digest::update(&mut d, [0u8; 8]);
    Digest::update(&mut d, m_hash);
    Digest::update(&mut d, salt);
    d.finalize().as_slice() == h
}

/// MGF1 (RFC 8017 §B.2.1) with hash `D`, XORed into `out`.
fn mgf1_xor<D: Digest + FixedOutputReset>(seed: &[u8], out: &mut [u8]) {
    let mut d = D::new();
    let h_len = <D as Digest>::output_size();
    for (counter, chunk) in (0u32..).zip(out.chunks_mut(h_len)) {
        Digest::update(&mut d, seed);
        Digest::update(&mut d, counter.to_be_bytes());
        let block = d.finalize_reset();
        for (o, m) in chunk.iter_mut().zip(block.iter()) {
            *o ^= m;
        }
    }
}

/// DigestInfo prefixes (RFC 8017 §9.2 note 1), with the NULL parameters.
const SHA256_PREFIX: [u8; 19] =
    [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
const SHA384_PREFIX: [u8; 19] =
    [0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30];
const SHA512_PREFIX: [u8; 19] =
    [0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40];

/// The hash of RSASSA-PKCS1-v1_5 or RSASSA-PSS.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

/// RSASSA-PKCS1-v1_5 over `message` (hashed here).
pub(crate) fn verify_pkcs1v15(key: &RsaKey, hash: Hash, message: &[u8], sig: &[u8]) -> bool {
    match hash {
        Hash::Sha256 => key.verify_pkcs1v15(&SHA256_PREFIX, &Sha256::digest(message), sig),
        Hash::Sha384 => key.verify_pkcs1v15(&SHA384_PREFIX, &Sha384::digest(message), sig),
        Hash::Sha512 => key.verify_pkcs1v15(&SHA512_PREFIX, &Sha512::digest(message), sig),
    }
}

/// RSASSA-PSS over `message` (hashed here), MGF1 with the same hash, salt
/// length = hash length.
pub(crate) fn verify_pss(key: &RsaKey, hash: Hash, message: &[u8], sig: &[u8]) -> bool {
    match hash {
        Hash::Sha256 => key.verify_pss::<Sha256>(&Sha256::digest(message), sig),
        Hash::Sha384 => key.verify_pss::<Sha384>(&Sha384::digest(message), sig),
        Hash::Sha512 => key.verify_pss::<Sha512>(&Sha512::digest(message), sig),
    }
}

// ---- multi-precision arithmetic (little-endian limbs) ----

/// Big-endian octets to `len` little-endian digits (the value must fit;
/// extra high octets are dropped).
fn from_be(bytes: &[u8], len: usize) -> Vec<Limb> {
    let mut out = Vec::with_capacity(len);
    let mut acc: u128 = 0;
    let mut have = 0;
    for &b in bytes.iter().rev() {
        acc |= u128::from(b) << have;
        have += 8;
        if have >= DIGIT_BITS {
            out.push((acc as Limb) & MASK);
            acc >>= DIGIT_BITS;
            have -= DIGIT_BITS;
        }
    }
    if have > 0 {
        out.push(acc as Limb);
    }
    out.resize(len, 0);
    out
}

/// Little-endian digits to exactly `k` big-endian octets (high bytes beyond
/// `k` are zero for values below `n`).
fn to_be(digits: &[Limb], k: usize) -> Vec<u8> {
    let mut le = Vec::with_capacity(k + 16);
    let mut acc: u128 = 0;
    let mut have = 0;
    for &d in digits {
        acc |= u128::from(d) << have;
        have += DIGIT_BITS;
        while have >= 8 {
            le.push(acc as u8);
            acc >>= 8;
            have -= 8;
        }
    }
    le.push(acc as u8);
    le.resize(k, 0);
    le.reverse();
    le
}

fn bit_len(x: &[Limb]) -> usize {
    x.iter()
        .rposition(|&l| l != 0)
        .zip(x.iter().rev().find(|&&l| l != 0))
        .map_or(0, |(i, top)| i * DIGIT_BITS as usize + (Limb::BITS - top.leading_zeros()) as usize)
}

/// `a < b` for equal-length operands.
fn less_than(a: &[Limb], b: &[Limb]) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// `a -= b` (equal lengths, normalised digits), returning the borrow.
fn sub_in_place(a: &mut [Limb], b: &[Limb]) -> bool {
    let mut borrow = false;
    for (x, &y) in a.iter_mut().zip(b) {
        let (d1, b1) = x.overflowing_sub(y);
        let (d2, b2) = d1.overflowing_sub(Limb::from(borrow));
        *x = d2 & MASK;
        borrow = b1 | b2;
    }
    borrow
}

/// `x = 2x mod n` for `x < n`.
fn double_mod(x: &mut [Limb], n: &[Limb]) {
    let mut carry = 0;
    for l in x.iter_mut() {
        let next = *l >> (DIGIT_BITS - 1);
        *l = ((*l << 1) | carry) & MASK;
        carry = next;
    }
    if carry != 0 || !less_than(x, n) {
        sub_in_place(x, n);
    }
}

/// `-n0⁻¹ mod 2^w` for odd `n0` (Newton iteration, each step doubles the
/// correct low bits).
fn neg_inverse(n0: Limb) -> Limb {
    let mut inv: Limb = 1;
    for _ in 0..Limb::BITS.trailing_zeros() {
        inv = inv.wrapping_mul((2 as Limb).wrapping_sub(n0.wrapping_mul(inv)));
    }
    inv.wrapping_neg() & MASK
}

/// `R² mod n`: `R mod n` by doubling `2^(bits−1)`, then a square-and-double
/// ladder on the exponent of 2 (Montgomery squaring of `R·2^a` gives `R·2^(2a)`).
fn r_squared(n: &[Limb], n0: Limb, bits: usize) -> Vec<Limb> {
    let len = n.len();
    let total_bits = len * DIGIT_BITS as usize;
    // x = 2^(bits-1) < n (n is odd with its top bit at bits-1).
    let mut x = vec![0; len];
    if let Some(l) = x.get_mut((bits - 1) / DIGIT_BITS as usize) {
        *l = 1 << ((bits - 1) % DIGIT_BITS as usize);
    }
    // x = 2^total_bits mod n = R mod n, then R·2 mod n.
    for _ in 0..=(total_bits - bits + 1) {
        double_mod(&mut x, n);
    }
    // x = R·2^a with a = 1 = the top bit of total_bits; walk the rest.
    let mut scratch = vec![0; 2 * len + 2];
    let mut tmp = vec![0; len];
    let top = usize::BITS - 1 - total_bits.leading_zeros();
    for i in (0..top).rev() {
        mont_sqr(&mut tmp, &x, n, n0, &mut scratch);
        core::mem::swap(&mut x, &mut tmp);
        if (total_bits >> i) & 1 == 1 {
            double_mod(&mut x, n);
        }
    }
    x
}

#[cfg(all(target_pointer_width = "64", not(dcr_limb32)))]
const LIMB_BITS: u32 = Limb::BITS;

/// Montgomery multiplication `out = a·b·R⁻¹ mod n` for `a, b < n`, fully
/// reduced. `scratch` has at least `2·len + 2` limbs. Word-by-word
/// (interleaved) reduction: at step `i`, add `a·b[i]` and `m·n` at limb
/// offset `i`, with `m` chosen so limb `i` becomes zero; two carry chains
/// keep every partial sum within a double limb.
#[cfg(all(target_pointer_width = "64", not(dcr_limb32)))]
fn mont_mul(out: &mut [Limb], a: &[Limb], b: &[Limb], n: &[Limb], n0: Limb, scratch: &mut [Limb]) {
    let len = n.len();
    let t = scratch;
    t.fill(0);
    let a0 = Wide::from(a.first().copied().unwrap_or(0));
    for (i, &bi) in b.iter().enumerate() {
        let Some(window) = t.get_mut(i..) else { return };
        let bi = Wide::from(bi);
        let t0 = window.first().copied().unwrap_or(0);
        let m = Wide::from((t0.wrapping_add(a0.wrapping_mul(bi) as Limb)).wrapping_mul(n0));
        let (row, tail) = window.split_at_mut(len);
        let mut c1: Wide = 0;
        let mut c2: Wide = 0;
        for ((tj, &aj), &nj) in row.iter_mut().zip(a).zip(n) {
            // (2^w−1)² + 2·(2^w−1) < 2^2w: wrapping ops never wrap.
            let p1 = Wide::from(aj).wrapping_mul(bi).wrapping_add(Wide::from(*tj)).wrapping_add(c1);
            c1 = p1 >> LIMB_BITS;
            let p2 = Wide::from(nj).wrapping_mul(m).wrapping_add(Wide::from(p1 as Limb)).wrapping_add(c2);
            c2 = p2 >> LIMB_BITS;
            *tj = p2 as Limb;
        }
        // Carries into limbs i+len and i+len+1.
        let mut it = tail.iter_mut();
        if let Some(x) = it.next() {
            let s = Wide::from(*x) + c1 + c2;
            *x = s as Limb;
            if let Some(y) = it.next() {
                *y = y.wrapping_add((s >> LIMB_BITS) as Limb);
            }
        }
    }
    // Result = t[len..2len] (+ t[2len] · R), < 2n.
    let Some(result) = t.get(len..2 * len) else { return };
    let high = t.get(2 * len).copied().unwrap_or(0);
    out.copy_from_slice(result);
    if high != 0 || !less_than(out, n) {
        sub_in_place(out, n);
    }
}

/// Montgomery square `out = a²·R⁻¹ mod n` for `a < n`, fully reduced:
/// the square first (each cross product once, doubled, plus the diagonal),
/// then `len` reduction rounds. About 25 % fewer multiplies than
/// `mont_mul(a, a)`. `scratch` has at least `2·len + 1` limbs.
#[cfg(all(target_pointer_width = "64", not(dcr_limb32)))]
fn mont_sqr(out: &mut [Limb], a: &[Limb], n: &[Limb], n0: Limb, scratch: &mut [Limb]) {
    let len = n.len();
    let t = scratch;
    t.fill(0);
    // Cross products a_i·a_j, i < j, at limb i + j.
    for (i, &ai) in a.iter().enumerate() {
        let (Some(rest), Some(row)) = (a.get(i + 1..), t.get_mut(2 * i + 1..)) else { break };
        let ai = Wide::from(ai);
        let mut c: Wide = 0;
        let mut cells = row.iter_mut();
        // `rest` first: `zip` stops on it without taking the carry's cell.
        for (&aj, tj) in rest.iter().zip(cells.by_ref()) {
            let p = ai.wrapping_mul(Wide::from(aj)).wrapping_add(Wide::from(*tj)).wrapping_add(c);
            *tj = p as Limb;
            c = p >> LIMB_BITS;
        }
        // Limb i + len is still zero here: earlier rows end below it.
        if let Some(x) = cells.next() {
            *x = c as Limb;
        }
    }
    // Double, then add the squares a_i² at limb 2i.
    let Some(body) = t.get_mut(..2 * len) else { return };
    let mut top = 0;
    for x in body.iter_mut() {
        let next = *x >> (LIMB_BITS - 1);
        *x = (*x << 1) | top;
        top = next;
    }
    let mut c: Wide = 0;
    for (pair, &ai) in body.chunks_exact_mut(2).zip(a) {
        if let [lo, hi] = pair {
            let sq = Wide::from(ai).wrapping_mul(Wide::from(ai));
            let s0 = Wide::from(*lo).wrapping_add(Wide::from(sq as Limb)).wrapping_add(c);
            *lo = s0 as Limb;
            let s1 = Wide::from(*hi).wrapping_add(sq >> LIMB_BITS).wrapping_add(s0 >> LIMB_BITS);
            *hi = s1 as Limb;
            c = s1 >> LIMB_BITS;
        }
    }
    // Montgomery reduction: zero limb i by adding m·n at offset i.
    for i in 0..len {
        let Some(window) = t.get_mut(i..) else { break };
        let (row, tail) = window.split_at_mut(len);
        let m = Wide::from(row.first().copied().unwrap_or(0).wrapping_mul(n0));
        let mut c: Wide = 0;
        for (tj, &nj) in row.iter_mut().zip(n) {
            let p = Wide::from(nj).wrapping_mul(m).wrapping_add(Wide::from(*tj)).wrapping_add(c);
            *tj = p as Limb;
            c = p >> LIMB_BITS;
        }
        for x in tail.iter_mut() {
            if c == 0 {
                break;
            }
            let s = Wide::from(*x) + c;
            *x = s as Limb;
            c = s >> LIMB_BITS;
        }
    }
    let Some(result) = t.get(len..2 * len) else { return };
    let high = t.get(2 * len).copied().unwrap_or(0);
    out.copy_from_slice(result);
    if high != 0 || !less_than(out, n) {
        sub_in_place(out, n);
    }
}

/// Row pairs of lazy accumulation between normalisations (wasm32). A pass
/// adds at most four products of digits (each < 2^56) to a digit, so < 2^58,
/// plus carries < 2^37; 32 passes on top of a normalised digit (< 2^28) stay
/// below 2^63 + 2^38 < 2^64. Every `wrapping_*` below therefore never wraps;
/// wrapping only keeps a broken bound from trapping.
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
const LAZY_PAIRS: usize = 32;

/// Digit `i` of `x` widened, zero past the end.
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
fn digit(x: &[Limb], i: usize) -> u64 {
    u64::from(x.get(i).copied().unwrap_or(0))
}

/// After a pass made digits 0 and 1 of `window` ≡ 0 mod 2^28 (the carry out
/// of digit 0 included), moves their high parts up into digit 2.
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
fn carry_two(window: &mut [u64]) {
    if let [d0, d1, d2, ..] = window {
        let v1 = d1.wrapping_add(*d0 >> DIGIT_BITS);
        *d1 = v1;
        *d2 = d2.wrapping_add(v1 >> DIGIT_BITS);
    }
}

/// Lazy-carry Montgomery multiplication over 28-bit digits (wasm32):
/// `out = a·b·R⁻¹ mod n`, `R = 2^(28·len)`, `len` even, for normalised
/// `a, b < n`; `out` normalised and fully reduced. `scratch` has at least
/// `2·len + 2` digits.
///
/// Two rows per pass over the accumulator (half the loads and stores of one
/// row at a time): rows `i` and `i + 1` add `a·b[i] + n·m[i]` at digit `i`
/// and `a·b[i+1] + n·m[i+1]` at digit `i + 1`, with no carry handling. `m[i]`
/// makes digit `i` ≡ 0 mod 2^28; `m[i+1]` is computed beforehand from what
/// digit `i + 1` will hold (its own value, row `i`'s two products there, the
/// carry out of digit `i`, and `a[0]·b[i+1]`), modulo 2^28, so it makes digit
/// `i + 1` ≡ 0 too. The high parts of both then move up (`carry_two`).
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
fn mont_mul(out: &mut [Limb], a: &[Limb], b: &[Limb], n: &[Limb], n0: Limb, scratch: &mut [u64]) {
    const M: u64 = MASK as u64;
    let len = n.len();
    let t = scratch;
    t.fill(0);
    let (a0, a1, nn0, nn1) = (digit(a, 0), digit(a, 1), digit(n, 0), digit(n, 1));
    let n0 = u64::from(n0);
    for (pass, pair) in b.chunks(2).enumerate() {
        let i = 2 * pass;
        let Some(window) = t.get_mut(i..=i + len) else { break };
        let (bi, bj) = (digit(pair, 0), digit(pair, 1));
        let t0 = window.first().copied().unwrap_or(0);
        let t1 = window.get(1).copied().unwrap_or(0);
        let u0 = t0.wrapping_add(a0 * bi);
        let mi = (u0 & M).wrapping_mul(n0) & M;
        let c0 = u0.wrapping_add(nn0 * mi) >> DIGIT_BITS;
        let u1 = t1.wrapping_add(a1 * bi).wrapping_add(nn1 * mi).wrapping_add(c0).wrapping_add(a0 * bj);
        let mj = (u1 & M).wrapping_mul(n0) & M;
        let (row, last) = window.split_at_mut(len);
        // pa, pn: a[j−1], n[j−1] (row i + 1 is one digit to the left).
        let (mut pa, mut pn) = (0, 0);
        for ((tj, &aj), &nj) in row.iter_mut().zip(a).zip(n) {
            let (aj, nj) = (u64::from(aj), u64::from(nj));
            *tj = tj.wrapping_add(aj * bi).wrapping_add(nj * mi).wrapping_add(pa * bj).wrapping_add(pn * mj);
            (pa, pn) = (aj, nj);
        }
        if let Some(x) = last.first_mut() {
            *x = x.wrapping_add(pa * bj).wrapping_add(pn * mj);
        }
        carry_two(window);
        if (pass + 1) % LAZY_PAIRS == 0 {
            normalise(t.iter_mut().skip(i + 2));
        }
    }
    finish(out, t, n);
}

/// Result = digits `len..2len` (+ the top digit), < 2n once normalised.
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
fn finish(out: &mut [Limb], t: &mut [u64], n: &[Limb]) {
    let len = n.len();
    let Some(upper) = t.get_mut(len..) else { return };
    normalise(upper.iter_mut());
    let high = upper.get(len).copied().unwrap_or(0);
    for (o, &x) in out.iter_mut().zip(upper.iter()) {
        *o = x as Limb;
    }
    if high != 0 || !less_than(out, n) {
        sub_in_place(out, n);
    }
}

/// Propagates carries so every digit but the last is below 2^28.
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
fn normalise<'a>(digits: impl Iterator<Item = &'a mut u64>) {
    let mut carry: u64 = 0;
    for d in digits {
        let v = d.wrapping_add(carry);
        *d = v & u64::from(MASK);
        carry = v >> DIGIT_BITS;
    }
}

/// Lazy-carry Montgomery square (wasm32) `out = a²·R⁻¹ mod n`, same
/// contract as `mont_mul`: the cross products `a[i]·a[j]` (`i < j`) once,
/// two rows per pass; normalise; double and add the squares `a[i]²`; then
/// the reduction rows `n·m[i]`, two per pass as in `mont_mul`. About 25 %
/// fewer products than `mont_mul(a, a)`; 16 of the 18 operations of
/// `s^65537` are squares.
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
fn mont_sqr(out: &mut [Limb], a: &[Limb], n: &[Limb], n0: Limb, scratch: &mut [u64]) {
    const M: u64 = MASK as u64;
    let len = n.len();
    let t = scratch;
    t.fill(0);
    // Rows i and i + 1: digit 2i+1 gets a[i]·a[i+1]; digit i+m (m ≥ i+2)
    // gets a[i]·a[m] + a[i+1]·a[m−1] (the latter from m ≥ i+3: m − 1 = i+1
    // would be the square a[i+1]², added later). Two products per digit and
    // pass, so the LAZY_PAIRS bound holds with room to spare.
    for (pass, pair) in a.chunks(2).enumerate() {
        let i = 2 * pass;
        let (ai, aj) = (digit(pair, 0), digit(pair, 1));
        let rest = a.get(i + 2..).unwrap_or_default();
        let Some((first, tail)) = t.get_mut(2 * i + 1..=i + len).and_then(|w| w.split_first_mut()) else { break };
        *first = first.wrapping_add(ai * aj);
        let (row, last) = tail.split_at_mut(rest.len().min(tail.len()));
        let mut prev = 0;
        for (tj, &am) in row.iter_mut().zip(rest) {
            let am = u64::from(am);
            *tj = tj.wrapping_add(ai * am).wrapping_add(aj * prev);
            prev = am;
        }
        if let Some(x) = last.first_mut() {
            *x = x.wrapping_add(aj * prev);
        }
        if (pass + 1) % LAZY_PAIRS == 0 {
            normalise(t.iter_mut().skip(2 * i + 1));
        }
    }
    normalise(t.iter_mut());
    for (pair, &ai) in t.chunks_exact_mut(2).zip(a) {
        if let [lo, hi] = pair {
            let ai = u64::from(ai);
            *lo = (*lo << 1).wrapping_add(ai * ai);
            *hi <<= 1;
        }
    }
    let (nn0, nn1) = (digit(n, 0), digit(n, 1));
    let n0 = u64::from(n0);
    for pass in 0..len / 2 {
        let i = 2 * pass;
        let Some(window) = t.get_mut(i..=i + len) else { break };
        let t0 = window.first().copied().unwrap_or(0);
        let t1 = window.get(1).copied().unwrap_or(0);
        let mi = (t0 & M).wrapping_mul(n0) & M;
        let c0 = t0.wrapping_add(nn0 * mi) >> DIGIT_BITS;
        let mj = (t1.wrapping_add(nn1 * mi).wrapping_add(c0) & M).wrapping_mul(n0) & M;
        let (row, last) = window.split_at_mut(len);
        let mut pn = 0;
        for (tj, &nj) in row.iter_mut().zip(n) {
            let nj = u64::from(nj);
            *tj = tj.wrapping_add(nj * mi).wrapping_add(pn * mj);
            pn = nj;
        }
        if let Some(x) = last.first_mut() {
            *x = x.wrapping_add(pn * mj);
        }
        carry_two(window);
        if (pass + 1) % LAZY_PAIRS == 0 {
            normalise(t.iter_mut().skip(i + 2));
        }
    }
    finish(out, t, n);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_u128(x: &[Limb]) -> u128 {
        x.iter().rev().fold(0u128, |acc, &l| (acc << DIGIT_BITS) | u128::from(l))
    }

    #[test]
    fn neg_inverse_is_inverse() {
        for n0 in [1 as Limb, 3, 0xfff_fff1, 12345677, MASK] {
            assert_eq!(n0.wrapping_mul(neg_inverse(n0)) & MASK, MASK);
        }
    }

    #[test]
    fn r_squared_and_mont_mul_match_u128() {
        // n of 100..127 bits fits u128 arithmetic for a reference; reduce by repeated subtraction.
        let n_val: u128 = (1u128 << 126) + 0x1234_5678_9abc_def1;
        let n = from_be(&n_val.to_be_bytes(), digits_for(16));
        let n0 = neg_inverse(n[0]);
        let r2 = r_squared(&n, n0, 127);
        // R = 2^(digit bits · len): R² mod n by doubling 1 mod n, 2·log2(R) times.
        let dbl = |x: u128| if x >= n_val - x { x - (n_val - x) } else { x * 2 };
        let log_r = n.len() * DIGIT_BITS as usize;
        let r2_ref = (0..2 * log_r).fold(1u128, |x, _| dbl(x));
        assert_eq!(to_u128(&r2), r2_ref);
        // mont_mul(x, R²) = x·R mod n; then mont_mul(·, 1) = x.
        let x = from_be(&(n_val - 12345).to_be_bytes(), n.len());
        let mut scratch = vec![0; 2 * n.len() + 2];
        let mut xr = vec![0; n.len()];
        mont_mul(&mut xr, &x, &r2, &n, n0, &mut scratch);
        let mut one = vec![0; n.len()];
        one[0] = 1;
        let mut back = vec![0; n.len()];
        mont_mul(&mut back, &xr, &one, &n, n0, &mut scratch);
        assert_eq!(to_u128(&back), n_val - 12345);
    }

    #[test]
    fn mont_sqr_matches_mont_mul() {
        // A 2048-bit odd modulus and operands from a simple generator.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        };
        let mut n_be: Vec<u8> = (0..256).map(|_| next()).collect();
        n_be[0] |= 0x80;
        n_be[255] |= 1;
        let key = RsaKey::new(&n_be, &[1, 0, 1]).unwrap();
        let len = key.n.len();
        let mut scratch = vec![0; 2 * len + 2];
        for round in 0..50 {
            let mut a_be: Vec<u8> = (0..256).map(|_| next()).collect();
            a_be[0] &= 0x7f;
            if round == 0 {
                a_be.iter_mut().for_each(|b| *b = 0);
            }
            if round == 1 {
                // n − 1: every limb near its maximum.
                a_be.clone_from(&n_be);
                a_be[255] -= 1;
            }
            let a = from_be(&a_be, len);
            let (mut x, mut y) = (vec![0; len], vec![0; len]);
            mont_mul(&mut x, &a, &a, &key.n, key.n0, &mut scratch);
            mont_sqr(&mut y, &a, &key.n, key.n0, &mut scratch);
            assert_eq!(x, y, "round {round}");
        }
    }

    /// `s^e mod n` against the `rsa` crate's raw public operation (an
    /// independent implementation over crypto-bigint), for moduli from 64 to
    /// 8192 bits with odd and even digit counts, random and all-ones moduli
    /// (every digit at its maximum: the worst case for the lazy-carry bounds
    /// on wasm32), and extreme bases.
    #[test]
    fn public_op_matches_rsa_crate() {
        use rsa::BoxedUint;
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for bits in [64usize, 100, 1000, 1024, 2047, 2048, 2049, 2072, 3072, 4096, 6000, 8192] {
            for all_ones in [false, true] {
                let k = bits.div_ceil(8);
                let mut n_be: Vec<u8> = (0..k).map(|_| if all_ones { 0xff } else { next() as u8 }).collect();
                let spare = 8 * k - bits;
                n_be[0] &= 0xff >> spare;
                n_be[0] |= 0x80 >> spare;
                n_be[k - 1] |= 1;
                for e in [3u64, 65537, (next() % (1 << 33)) | 1 | 2] {
                    let e_be: Vec<u8> = e.to_be_bytes().into_iter().skip_while(|&b| b == 0).collect();
                    let key = RsaKey::new(&n_be, &e_be).unwrap();
                    let n_big = BoxedUint::from_be_slice_vartime(&n_be);
                    let precision = n_big.bits_precision();
                    let reference = rsa::PublicKey::new_unchecked(n_big.clone(), BoxedUint::from_be_slice_vartime(&e_be));
                    let mut bases: Vec<Vec<u8>> = vec![vec![0; k], n_be.clone()];
                    bases[1][k - 1] -= 1; // n − 1
                    let mut n_minus_2 = n_be.clone();
                    n_minus_2[k - 1] -= 2;
                    bases.push(n_minus_2);
                    for _ in 0..3 {
                        let mut r: Vec<u8> = (0..k).map(|_| next() as u8).collect();
                        r[0] &= (0xff >> spare) >> 1; // below n
                        bases.push(r);
                    }
                    for s in bases {
                        let got = key.public_op(&s).unwrap();
                        let m = BoxedUint::from_be_slice(&s, precision).unwrap();
                        let want = rsa::hazmat::rsa_encrypt(&reference, &m).unwrap().to_be_bytes();
                        let want = &want[want.len() - k..];
                        assert_eq!(got, want, "bits {bits}, all ones {all_ones}, e {e}");
                    }
                }
            }
        }
    }

    #[test]
    fn key_checks() {
        let mut n = vec![0xc5u8; 256];
        n[255] = 0xc4; // even
        assert_eq!(RsaKey::new(&n, &[1, 0, 1]).err(), Some(KeyError::Invalid));
        n[255] = 0xc5;
        assert!(RsaKey::new(&n, &[1, 0, 1]).is_ok());
        assert!(RsaKey::new(&n, &[1]).is_err()); // e = 1
        assert!(RsaKey::new(&n, &[2]).is_err()); // even
        assert!(RsaKey::new(&n, &[3]).is_ok());
        assert!(RsaKey::new(&n, &[2, 0, 0, 0, 1]).is_err()); // 2^33 + 1
    }

    #[test]
    fn signature_length_and_range() {
        let n = vec![0xc5u8; 256];
        let key = RsaKey::new(&n, &[1, 0, 1]).unwrap();
        assert!(key.public_op(&[0u8; 255]).is_none());
        assert!(key.public_op(&[0xc5u8; 256]).is_none()); // s = n
        assert!(key.public_op(&[0xffu8; 256]).is_none()); // s > n
        assert!(key.public_op(&[0u8; 256]).is_some());
        // 1^e = 1.
        let mut one = [0u8; 256];
        one[255] = 1;
        assert_eq!(key.public_op(&one).unwrap(), one.to_vec());
    }
}
