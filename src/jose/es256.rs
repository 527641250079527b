//! ECDSA P-256 verification (ES256, RFC 7518 §3.4; SEC 1 v2 §4.1.4), with
//! the point arithmetic done here, public-data only.
//!
//! Why: `p256` 0.14 verifies with complete (constant-time style) projective
//! formulas over a generic `crypto-bigint` multiply that is not inlined and,
//! on wasm32, emulates 64-bit limbs (issue 3, Performance). Verification
//! handles only public values, so variable time is fine. The `p256` crate
//! still does everything but the double-scalar multiplication: key decoding
//! with the on-curve check (`jwk.rs`), signature parsing (`r`, `s` in
//! `[1, n−1]`), `s⁻¹`, `u1 = z·s⁻¹`, `u2 = r·s⁻¹`.
//!
//! Here: field elements mod p in Montgomery form over machine-word limbs
//! (u64 with u128 products natively; on wasm32 u32 limbs worked on as i64
//! columns, with a Montgomery reduction that uses the shape of p instead
//! of multiplications), Jacobian coordinates with a = −3 (dbl-2001-b,
//! madd-2007-bl from the EFD), and the final `x(R) mod n = r` test done
//! without inversion (`X = r·Z²`, or `(r+n)·Z²` when `r + n < p`).
//!
//! `u1·G + u2·Q` cuts each scalar into four 64-bit pieces, `u = Σ u_i·2^(64i)`,
//! and sums `u1_i·(2^(64i)·G) + u2_i·(2^(64i)·Q)` with one interleaved
//! width-6 wNAF over eight affine tables: 64 doublings instead of 256 for
//! the same ~73 additions. The tables of `2^(64i)·Q` are built when the key
//! is parsed (192 doublings and two inversions, about two verifications'
//! worth of work: hosts should compile a key set once), those of G are
//! constants. Measured in Node (issue 3): 4.1× → 1.2–1.5× Node's own
//! `crypto.verify` per token with a compiled key set.

use p256::elliptic_curve::ops::Reduce;
use p256::{FieldBytes, Scalar};

#[cfg(all(target_pointer_width = "64", not(dcr_limb32)))]
type Limb = u64;
#[cfg(all(target_pointer_width = "64", not(dcr_limb32)))]
type Wide = u128;
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
type Limb = u32;

const LIMB_BITS: u32 = Limb::BITS;
const LIMB_BYTES: usize = (Limb::BITS / 8) as usize;
const N: usize = 32 / LIMB_BYTES;

type Fe = [Limb; N];

/// Big-endian 32 bytes to little-endian limbs.
fn fe_from_be(bytes: &[u8; 32]) -> Fe {
    let mut out = [0; N];
    for (limb, chunk) in out.iter_mut().zip(bytes.rchunks(LIMB_BYTES)) {
        *limb = chunk.iter().fold(0, |acc, &b| (acc << 8) | Limb::from(b));
    }
    out
}

// Only ever evaluated for `const` items: an index out of range there is a
// compile error, never a run-time panic (const fns cannot use iterators).
#[allow(clippy::indexing_slicing)]
const fn be_const(hex: &[u8; 64]) -> Fe {
    let mut out = [0 as Limb; N];
    let mut i = 0;
    while i < 64 {
        let c = hex[63 - i];
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => 0,
        };
        let bit = i * 4;
        out[bit / LIMB_BITS as usize] |= (v as Limb) << (bit % LIMB_BITS as usize);
        i += 1;
    }
    out
}

/// p = 2²⁵⁶ − 2²²⁴ + 2¹⁹² + 2⁹⁶ − 1.
const P: Fe = be_const(b"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
/// The group order n.
const ORDER: Fe = be_const(b"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
/// R² mod p with R = 2²⁵⁶ (checked against a computation in the tests).
const R2: Fe = be_const(b"00000004fffffffdfffffffffffffffefffffffbffffffff0000000000000003");
fn lt(a: &Fe, b: &Fe) -> bool {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        if x != y {
            return x < y;
        }
    }
    false
}

/// `a − b` with the borrow out.
#[cfg(all(target_pointer_width = "64", not(dcr_limb32)))]
fn sub_raw(a: &Fe, b: &Fe) -> (Fe, bool) {
    let mut out = [0; N];
    let mut borrow = false;
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        let (d1, b1) = x.overflowing_sub(y);
        let (d2, b2) = d1.overflowing_sub(Limb::from(borrow));
        *o = d2;
        borrow = b1 | b2;
    }
    (out, borrow)
}

/// `a + b` with the carry out.
fn add_raw(a: &Fe, b: &Fe) -> (Fe, bool) {
    let mut out = [0; N];
    let mut carry = false;
    for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
        let (s1, c1) = x.overflowing_add(y);
        let (s2, c2) = s1.overflowing_add(Limb::from(carry));
        *o = s2;
        carry = c1 | c2;
    }
    (out, carry)
}

#[cfg(all(target_pointer_width = "64", not(dcr_limb32)))]
fn add(a: &Fe, b: &Fe) -> Fe {
    let (s, carry) = add_raw(a, b);
    if carry || !lt(&s, &P) { sub_raw(&s, &P).0 } else { s }
}

#[cfg(all(target_pointer_width = "64", not(dcr_limb32)))]
fn sub(a: &Fe, b: &Fe) -> Fe {
    let (d, borrow) = sub_raw(a, b);
    if borrow { add_raw(&d, &P).0 } else { d }
}

/// Montgomery product `a·b·R⁻¹ mod p` (operands < p, result < p). `−p⁻¹ ≡ 1
/// (mod 2^w)` because the low 96 bits of p are ones, so `m` is limb `i`.
#[cfg(all(target_pointer_width = "64", not(dcr_limb32)))]
fn mul(a: &Fe, b: &Fe) -> Fe {
    let mut t = [0 as Limb; 2 * N + 1];
    for (i, &bi) in b.iter().enumerate() {
        let Some(window) = t.get_mut(i..) else { break };
        let (row, tail) = window.split_at_mut(N);
        let bi = Wide::from(bi);
        let a0 = Wide::from(a.first().copied().unwrap_or(0));
        let t0 = row.first().copied().unwrap_or(0);
        let m = Wide::from(t0.wrapping_add(a0.wrapping_mul(bi) as Limb));
        let mut c1: Wide = 0;
        let mut c2: Wide = 0;
        for ((tj, &aj), &pj) in row.iter_mut().zip(a).zip(&P) {
            // (2^w−1)² + 2·(2^w−1) < 2^2w: wrapping ops never wrap.
            let p1 = Wide::from(aj).wrapping_mul(bi).wrapping_add(Wide::from(*tj)).wrapping_add(c1);
            c1 = p1 >> LIMB_BITS;
            let p2 = Wide::from(pj).wrapping_mul(m).wrapping_add(Wide::from(p1 as Limb)).wrapping_add(c2);
            c2 = p2 >> LIMB_BITS;
            *tj = p2 as Limb;
        }
        let mut it = tail.iter_mut();
        if let Some(x) = it.next() {
            let s = Wide::from(*x).wrapping_add(c1).wrapping_add(c2);
            *x = s as Limb;
            if let Some(y) = it.next() {
                *y = y.wrapping_add((s >> LIMB_BITS) as Limb);
            }
        }
    }
    let mut out = [0; N];
    for (o, &x) in out.iter_mut().zip(t.iter().skip(N)) {
        *o = x;
    }
    let high = t.last().copied().unwrap_or(0);
    if high != 0 || !lt(&out, &P) { sub_raw(&out, &P).0 } else { out }
}

#[cfg(all(target_pointer_width = "64", not(dcr_limb32)))]
fn sqr(a: &Fe) -> Fe {
    mul(a, a)
}

// 32-bit limbs (wasm32, or `--cfg dcr_limb32`). Wasm has 64-bit integer
// operations but no 64×64→128 multiply, so limbs are u32 and every limb
// operation is done on i64 "columns": a column holds a limb's value plus
// carries not yet propagated (signed, far below 2^62 in magnitude), and
// carries move with one arithmetic shift each. No branch on carries.
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
const LOW: i64 = 0xffff_ffff;

/// Columns (each a limb plus pending carries) to limbs: carries
/// propagated; returns the limbs and what is left above the top limb.
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
fn normalize(c: &[i64; N]) -> (Fe, i64) {
    let mut out = [0; N];
    let mut carry = 0i64;
    for (o, &x) in out.iter_mut().zip(c) {
        let v = x.wrapping_add(carry);
        *o = (v & LOW) as Limb;
        carry = v >> LIMB_BITS;
    }
    (out, carry)
}

/// `x − p` when `x ≥ p`, else `x`, for `x = limbs + top·2^256 < 2p`.
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
fn reduce_once(x: &Fe, top: i64) -> Fe {
    let mut c = [0i64; N];
    for ((ci, &xi), &pi) in c.iter_mut().zip(x).zip(&P) {
        *ci = i64::from(xi).wrapping_sub(i64::from(pi));
    }
    let (d, borrow) = normalize(&c);
    // x − p ≥ 0 exactly when the borrow out of the limbs is paid by `top`.
    if top.wrapping_add(borrow) >= 0 { d } else { *x }
}

/// `a + b mod p` (operands < p, result < p).
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
fn add(a: &Fe, b: &Fe) -> Fe {
    let mut c = [0i64; N];
    for ((ci, &x), &y) in c.iter_mut().zip(a).zip(b) {
        *ci = i64::from(x).wrapping_add(i64::from(y));
    }
    let (s, top) = normalize(&c);
    reduce_once(&s, top)
}

/// `a − b mod p` (operands < p, result < p).
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
fn sub(a: &Fe, b: &Fe) -> Fe {
    let mut c = [0i64; N];
    for ((ci, &x), &y) in c.iter_mut().zip(a).zip(b) {
        *ci = i64::from(x).wrapping_sub(i64::from(y));
    }
    let (d, borrow) = normalize(&c);
    if borrow == 0 {
        return d;
    }
    // a − b + p: the borrow (−1) and the carry out of adding p cancel.
    let mut c = [0i64; N];
    for ((ci, &x), &pi) in c.iter_mut().zip(&d).zip(&P) {
        *ci = i64::from(x).wrapping_add(i64::from(pi));
    }
    normalize(&c).0
}

/// Montgomery reduction of a 512-bit product held in 16 columns (each
/// `0 ≤ c < 2^37`): `t·2^−256 mod p` for `t < p·2^256`, result < p.
///
/// With `−p⁻¹ ≡ 1 (mod 2^32)`, round `i` adds `m·p·2^(32i)` for `m` = limb
/// `i`, which clears that limb. `p = 2^256 − 2^224 + 2^192 + 2^96 − 1`, so
/// adding `m·p` is adding `m` to limbs `i+3`, `i+6`, `i+8` and subtracting
/// it from limb `i+7` (the `−m` at limb `i` is the clearing): no multiply.
/// The sum `t + Σ m·p·2^(32i)` is below `p·2^256 + 2^256·p`, so the result
/// is below `2p` before the final subtraction.
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
#[inline(always)]
fn mont_reduce(mut c: [i64; 2 * N]) -> Fe {
    macro_rules! round {
        ($i:literal) => {{
            let m = c[$i] & LOW;
            c[$i + 1] = c[$i + 1].wrapping_add(c[$i] >> LIMB_BITS);
            c[$i + 3] = c[$i + 3].wrapping_add(m);
            c[$i + 6] = c[$i + 6].wrapping_add(m);
            c[$i + 7] = c[$i + 7].wrapping_sub(m);
            c[$i + 8] = c[$i + 8].wrapping_add(m);
        }};
    }
    round!(0);
    round!(1);
    round!(2);
    round!(3);
    round!(4);
    round!(5);
    round!(6);
    round!(7);
    let mut hi = [0i64; N];
    for (h, &x) in hi.iter_mut().zip(c.iter().skip(N)) {
        *h = x;
    }
    let (r, top) = normalize(&hi);
    reduce_once(&r, top)
}

/// Adds `x·y` (32×32 bits) to two columns: the low half to `lo`, the high
/// half to `hi`.
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
#[inline(always)]
fn mac(c: &mut [i64; 2 * N], k: usize, x: Limb, y: Limb) {
    let p = u64::from(x).wrapping_mul(u64::from(y));
    if let Some([lo, hi]) = c.get_mut(k..k.wrapping_add(2)).and_then(|s| <&mut [i64; 2]>::try_from(s).ok()) {
        *lo = lo.wrapping_add((p & LOW as u64) as i64);
        *hi = hi.wrapping_add((p >> LIMB_BITS) as i64);
    }
}

/// Montgomery product `a·b·2^−256 mod p` (operands < p, result < p).
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
fn mul(a: &Fe, b: &Fe) -> Fe {
    // Product columns: each 32×32-bit product adds its low half to column
    // i+j and its high half to column i+j+1 (16 halves < 2^32 per column).
    // Written out with constant indices so that, once inlined,
    // the columns are locals rather than memory.
    let mut c = [0i64; 2 * N];
    let [a0, a1, a2, a3, a4, a5, a6, a7] = *a;
    let [b0, b1, b2, b3, b4, b5, b6, b7] = *b;
    macro_rules! row {
        ($i:literal, $ai:ident) => {
            mac(&mut c, $i, $ai, b0);
            mac(&mut c, $i + 1, $ai, b1);
            mac(&mut c, $i + 2, $ai, b2);
            mac(&mut c, $i + 3, $ai, b3);
            mac(&mut c, $i + 4, $ai, b4);
            mac(&mut c, $i + 5, $ai, b5);
            mac(&mut c, $i + 6, $ai, b6);
            mac(&mut c, $i + 7, $ai, b7);
        };
    }
    row!(0, a0);
    row!(1, a1);
    row!(2, a2);
    row!(3, a3);
    row!(4, a4);
    row!(5, a5);
    row!(6, a6);
    row!(7, a7);
    mont_reduce(c)
}

/// Montgomery square (as `mul(a, a)`, with each cross product once).
#[cfg(any(not(target_pointer_width = "64"), dcr_limb32))]
fn sqr(a: &Fe) -> Fe {
    let mut c = [0i64; 2 * N];
    let [a0, a1, a2, a3, a4, a5, a6, a7] = *a;
    // Cross products a_i·a_j, i < j, then doubled (columns stay < 2^37).
    mac(&mut c, 1, a0, a1);
    mac(&mut c, 2, a0, a2);
    mac(&mut c, 3, a0, a3);
    mac(&mut c, 4, a0, a4);
    mac(&mut c, 5, a0, a5);
    mac(&mut c, 6, a0, a6);
    mac(&mut c, 7, a0, a7);
    mac(&mut c, 3, a1, a2);
    mac(&mut c, 4, a1, a3);
    mac(&mut c, 5, a1, a4);
    mac(&mut c, 6, a1, a5);
    mac(&mut c, 7, a1, a6);
    mac(&mut c, 8, a1, a7);
    mac(&mut c, 5, a2, a3);
    mac(&mut c, 6, a2, a4);
    mac(&mut c, 7, a2, a5);
    mac(&mut c, 8, a2, a6);
    mac(&mut c, 9, a2, a7);
    mac(&mut c, 7, a3, a4);
    mac(&mut c, 8, a3, a5);
    mac(&mut c, 9, a3, a6);
    mac(&mut c, 10, a3, a7);
    mac(&mut c, 9, a4, a5);
    mac(&mut c, 10, a4, a6);
    mac(&mut c, 11, a4, a7);
    mac(&mut c, 11, a5, a6);
    mac(&mut c, 12, a5, a7);
    mac(&mut c, 13, a6, a7);
    for x in &mut c {
        *x <<= 1;
    }
    mac(&mut c, 0, a0, a0);
    mac(&mut c, 2, a1, a1);
    mac(&mut c, 4, a2, a2);
    mac(&mut c, 6, a3, a3);
    mac(&mut c, 8, a4, a4);
    mac(&mut c, 10, a5, a5);
    mac(&mut c, 12, a6, a6);
    mac(&mut c, 14, a7, a7);
    mont_reduce(c)
}

fn to_mont(a: &Fe) -> Fe {
    mul(a, &R2)
}

fn is_zero(a: &Fe) -> bool {
    a.iter().all(|&l| l == 0)
}

/// `a^(2^n)`.
fn sqr_n(a: &Fe, n: u32) -> Fe {
    (0..n).fold(*a, |x, _| sqr(&x))
}

/// `a⁻¹` by Fermat (`a^(p−2)`), `a ≠ 0`, Montgomery form in and out, with
/// the usual P-256 addition chain (255 squarings, 12 multiplications).
/// `p − 2` in bits, high to low: 32 ones, 31 zeros, a one, 96 zeros, 94
/// ones, 0, 1.
fn invert(a: &Fe) -> Fe {
    // x_k = a^(2^k − 1), k ones.
    let x2 = mul(&sqr(a), a);
    let x3 = mul(&sqr(&x2), a);
    let x6 = mul(&sqr_n(&x3, 3), &x3);
    let x12 = mul(&sqr_n(&x6, 6), &x6);
    let x15 = mul(&sqr_n(&x12, 3), &x3);
    let x30 = mul(&sqr_n(&x15, 15), &x15);
    let x32 = mul(&sqr_n(&x30, 2), &x2);
    let t = mul(&sqr_n(&x32, 32), a);
    let t = mul(&sqr_n(&t, 128), &x32);
    let t = mul(&sqr_n(&t, 32), &x32);
    let t = mul(&sqr_n(&t, 30), &x30);
    mul(&sqr_n(&t, 2), a)
}

/// A point in Jacobian coordinates (`x = X/Z²`, `y = Y/Z³`); `Z = 0` is the
/// point at infinity.
#[derive(Clone, Copy)]
struct Jacobian {
    x: Fe,
    y: Fe,
    z: Fe,
}

/// An affine point (never infinity), Montgomery form.
#[derive(Clone, Copy)]
pub(crate) struct Affine {
    x: Fe,
    y: Fe,
}

const INFINITY: Jacobian = Jacobian { x: [0; N], y: [0; N], z: [0; N] };

impl Jacobian {
    fn from_affine(p: &Affine) -> Jacobian {
        Jacobian { x: p.x, y: p.y, z: ONE }
    }

    /// dbl-2001-b (a = −3): 3M + 5S.
    fn double(&self) -> Jacobian {
        if is_zero(&self.z) {
            return *self;
        }
        let delta = sqr(&self.z);
        let gamma = sqr(&self.y);
        let beta = mul(&self.x, &gamma);
        let t = mul(&sub(&self.x, &delta), &add(&self.x, &delta));
        let alpha = add(&add(&t, &t), &t);
        let beta2 = add(&beta, &beta);
        let beta4 = add(&beta2, &beta2);
        let beta8 = add(&beta4, &beta4);
        let x3 = sub(&sqr(&alpha), &beta8);
        let yz = add(&self.y, &self.z);
        let z3 = sub(&sub(&sqr(&yz), &gamma), &delta);
        let g2 = sqr(&gamma);
        let g4 = add(&g2, &g2);
        let g8 = add(&add(&g4, &g4), &add(&g4, &g4));
        let y3 = sub(&mul(&alpha, &sub(&beta4, &x3)), &g8);
        Jacobian { x: x3, y: y3, z: z3 }
    }

    /// `self + q` for affine `q` (madd-2007-bl: 7M + 4S), with the
    /// exceptional cases (infinity, equal points, opposite points) handled.
    fn add_affine(&self, q: &Affine) -> Jacobian {
        if is_zero(&self.z) {
            return Jacobian::from_affine(q);
        }
        let z1z1 = sqr(&self.z);
        let u2 = mul(&q.x, &z1z1);
        let s2 = mul(&mul(&q.y, &self.z), &z1z1);
        let h = sub(&u2, &self.x);
        let r_half = sub(&s2, &self.y);
        if is_zero(&h) {
            return if is_zero(&r_half) { self.double() } else { INFINITY };
        }
        let hh = sqr(&h);
        let i = add(&add(&hh, &hh), &add(&hh, &hh));
        let j = mul(&h, &i);
        let r = add(&r_half, &r_half);
        let v = mul(&self.x, &i);
        let x3 = sub(&sub(&sqr(&r), &j), &add(&v, &v));
        let y1j = mul(&self.y, &j);
        let y3 = sub(&mul(&r, &sub(&v, &x3)), &add(&y1j, &y1j));
        let zh = add(&self.z, &h);
        let z3 = sub(&sub(&sqr(&zh), &z1z1), &hh);
        Jacobian { x: x3, y: y3, z: z3 }
    }
}

/// wNAF window: tables hold the odd multiples P, 3P, …, 31P (w = 6: one
/// addition per 7 bits on average; 16 table points).
const WINDOW: u32 = 6;
const TABLE: usize = 1 << (WINDOW - 2);
/// Scalars are cut into `PIECES` pieces of `PIECE_BITS` bits, `u·P =
/// Σ u_i·(2^(64i)·P)`, with a table per piece: 64 doublings per
/// verification instead of 256, for the same number of additions. The
/// tables of `2^(64i)·Q` are built once per key, those of `2^(64i)·G` are
/// constants ([`G_TABLES`]).
const PIECES: usize = 4;
const PIECE_BITS: usize = 64;
/// wNAF digits of a piece (one more than its bits, for the final carry).
const DIGITS: usize = PIECE_BITS + 1;

/// `R mod p` (the Montgomery form of 1).
const ONE: Fe = be_const(b"00000000fffffffeffffffffffffffffffffffff000000000000000000000001");

/// Jacobian points to affine with one field inversion (Montgomery's trick);
/// `None` if any is the point at infinity.
fn batch_to_affine(points: &[Jacobian]) -> Option<Vec<Affine>> {
    // before[i] = z_0 ⋯ z_(i−1).
    let mut before = Vec::with_capacity(points.len());
    let mut acc = ONE;
    for p in points {
        if is_zero(&p.z) {
            return None;
        }
        before.push(acc);
        acc = mul(&acc, &p.z);
    }
    let mut inv = invert(&acc);
    let mut out: Vec<Affine> = Vec::with_capacity(points.len());
    for (p, b) in points.iter().zip(&before).rev() {
        let zinv = mul(&inv, b);
        inv = mul(&inv, &p.z);
        let zinv2 = sqr(&zinv);
        out.push(Affine { x: mul(&p.x, &zinv2), y: mul(&p.y, &mul(&zinv2, &zinv)) });
    }
    out.reverse();
    Some(out)
}

/// The tables of a point `P` of order n: for each piece `i`, the odd
/// multiples `k·2^(64i)·P`, k = 1, 3, …, 31, affine (two inversions in
/// all). `None` only if a multiple were infinity, which order n excludes.
fn piece_tables(p: &Affine) -> Option<[[Affine; TABLE]; PIECES]> {
    // Bases B_i = 2^(64i)·P and their doubles, then all eight to affine.
    let mut jac = vec![Jacobian::from_affine(p)];
    let mut acc = Jacobian::from_affine(p);
    for _ in 1..PIECES {
        for _ in 0..PIECE_BITS {
            acc = acc.double();
        }
        jac.push(acc);
    }
    let doubles: Vec<Jacobian> = jac.iter().map(Jacobian::double).collect();
    jac.extend(doubles);
    let affine = batch_to_affine(&jac)?;
    let (bases, twos) = affine.split_at(PIECES);
    // B_i, B_i + 2·B_i, B_i + 2·2·B_i, …
    let mut jac = Vec::with_capacity(PIECES * TABLE);
    for (b, two) in bases.iter().zip(twos) {
        let mut acc = Jacobian::from_affine(b);
        jac.push(acc);
        for _ in 1..TABLE {
            acc = acc.add_affine(two);
            jac.push(acc);
        }
    }
    let aff = batch_to_affine(&jac)?;
    let mut tables = [[*p; TABLE]; PIECES];
    for (slot, q) in tables.iter_mut().flat_map(|t| t.iter_mut()).zip(aff) {
        *slot = q;
    }
    Some(tables)
}

/// [`piece_tables`] of the generator G: `k·2^(64i)·G` for k = 1, 3, …, 31,
/// i = 0..3, Montgomery form (`x·R mod p`, `y·R mod p`) as big-endian hex.
/// Printed by the ignored test `print_g_tables`; the test `g_tables_are_computed`
/// rebuilds them and `g_tables_match_p256` checks them against the `p256` crate.
#[rustfmt::skip]
static G_TABLES: [[Affine; TABLE]; PIECES] = [
    [
        point(b"18905f76a53755c679fb732b7762251075ba95fc5fedb60179e730d418a9143c", b"8571ff1825885d85d2e88688dd21f3258b4ab8e4ba19e45cddf25357ce95560a"),
        point(b"26936a3fb6ff747e66ad77dd87cbbc98b027f84a087d81fbffac3f904eebc127", b"d5f06a29e587cc07788208311a2ee98e583e47ad0861fe1ab04c5c1fc983a7eb"),
        point(b"c9079605890523c8941cb5aad076c20c90ec649a94b9537dbe1b8aaec45c61f5", b"73a076bb2dd1e9163540a9877e7a1f6873c568efe5eb882beb309b4ae7ba4f10"),
        point(b"13ba5119c3123e03f43eaab50c23bb082bd20213d23c00f70746354ea0173b4f", b"eaedd9156e240867ef933bdc77c941956742f2f25da67bdd2847d0303f5b9d4d"),
        point(b"e05b3080f0c4e16b2cc09c0444c8eb00abe6bfed59a7a84175c96e8f264e20e8", b"086659cdfd835f9b2b6e019a88b12f1a56af7bedce5d45e31eb7777aa45f3314"),
        point(b"3e7090f1649c90731ff3a4158dac1ab59de407956e7fdfe0ea7d260a6245e404", b"68930023e125b88e0c0daa891ead643d250f939ee57f61c81a7685612b944e88"),
        point(b"738477ac5395b759bcbcd43f559e98110e356769856fd30dccc425634b2ed709", b"fbc08769c9e7b7977cd06422bd1f5bc168748390742ed2e335752b90c00ee17f"),
        point(b"e2aa0e430ad3da09ee337424e481937003cc23ee56e27e4b72bcd8b7bc60055b", b"2042170a7079adf464efa6de778a4797d766355442a41b2540b8524f6383c45d"),
        point(b"c1a35c0a6c7a574eb0f139752cfe2dfff17624b6ac0a177b97091dcbd53c5c9d", b"ebd512263274c3d02f4e247f0d1883bb0575bf30e89cb80e227d314693e79987"),
        point(b"fe545c282897c3fcb8842277752c41ac68363aba25e1a16efea912baa5659ae8", b"f720ee256d12597b85665e9be39508c15806244afba977c52d36e9e7dc4c696b"),
        point(b"ecead9f4c16762fc6d2a506c5a3f3b3074e1b2654783f47d562e4cecc135b208", b"c086d5f1c9477fa37a75023e7fac29a41b0fadc083bb3c61f29dd4b2e286e5b9"),
        point(b"af2cea7c1727bf42d0825fa2a358406937c7a7e89e2e1f6ef4f876532de45068", b"83d0687b9077666f48068e1371ac2f71e5fda49c27299f4a0360a4fb9e4785a9"),
        point(b"966742eb65432a2ee395993332f1f3af6fc1b49eed6b67b0a4a319acd837879f", b"7b948dc356f7996812068859c9b731ee96cc631243f439504b8dc9feb4966228"),
        point(b"9f8aa54b2ef7c76a49d2c9eb084ffdd7d36a42d7aebf7313042c2af497e2feb4", b"2d431068d84bde312d97d10878eb4cbb3bd0c66fddb7fb589200b7ba09895e70"),
        point(b"e266f95948603d48944a70270317b9e2f1be963a0d9258805e5db46acb66e132", b"3798142a2a3be21b8a966939777c619f90472447a2fb18a398db66735c208899"),
        point(b"948dc4f8b1fc87b48ef5689d3cf7600ddd3cf7e7473017e6e2f73c696755ff89", b"f38ae8914d7b4745faecedfd0c9803fc2d921ca298eb6028d9e9fe814ea53299"),
    ],
    [
        point(b"2f5e6961fd1b667f9241cf3a57c62c8b0d5cc16c1a6234994f922fc516a0d2bb", b"f648f9168d6f0f7b04911b37071fdb523d20b44d609561925c15c70bf5a01797"),
        point(b"1f3338edfccf6012c1e9c1d39b3d5e761cb69c83233dd1e74090914bb5def996", b"d66c038d248088ae6e984240eb5fe290acf4c2c72f00cd21b1e95d0d2f5378a8"),
        point(b"4a5ff67437dc34bc7f534dc87ec4bfa1da98d121bd00c24bd4992b30614c0900", b"ec72e27e4205a5b6fd56cd09e3cbbd6e38cf289380a6d20868c196b81d7ea1d7"),
        point(b"c0aaee17597f8c0ec2dd14993ee1c4a4ed4e8652f17e3e61e8b97932b88756dd", b"ad55e8c99a042ac0adfadb6f20adb4366563c7bfb39ae87515c4edb96c168af3"),
        point(b"bce9141b0e4f347a88598d4f60c9e55aa62f648fa3a1c74165c29219909523c8", b"7520dbd944fc78343c076e229191476c0210da62320475b69af97d8435f9b988"),
        point(b"e77057e45072cbb99233188de34ab39dac5a38b97d3a10cf664300b07850ec06", b"5620a4c1fb8507bc4661a26c3ee0ca4a4cfc91e81d97de52bcf0c042b59e78df"),
        point(b"8bf546d9d19228fe3ec2d2bcbd986c0035216f3918f0e3a384b9ca1504b6c5a0", b"e01d5ceecf443e8e2cfc84b4eea0bfe7366ce718502b8e5ad1c655a44cd623c3"),
        point(b"4b0c591b8d26cd0fd42415091ad07aca9b392f43bce47a09a75feacabe063f64", b"ebe79af7d98021da1de9e8770691a2af63aeb1ac4cbf23922d42ddfd92f1169a"),
        point(b"120770861e6af74fbb087b722905f24437ae52eace872e6266917ce63b5f1cc4", b"ffc8b47afe6350638cf2b7046038591c827510e3b638ca1d4b644e491058edea"),
        point(b"090cfd936c9b56da3c9c15ec0b726fa033a01653396615887677408d6dfafed3", b"1e293b24c83b1ef9cc51674a1e207ce83469eadbd21129f1e34f4baea3c40af5"),
        point(b"36cd7685a2ad7d32643c768a916219d151dc3cb73fd6e902796d3a85825808bd", b"4deb57a045107f8df0ac91dfbcd2ebc76494c87edba29660e3db9d05b22922a4"),
        point(b"b6acbb468562d1fd1dea026c4859590d9976fb88403b770cb6c69ac82094cec3", b"7d919966d749abc8c6f5319548d5a17dc3190a3697f0891d7cd6c46144569d85"),
        point(b"660318b3dcf4e8428cbb47b2a59e5c36858dbadeeb999595b53b7de561906373", b"a465311ada38dd7d1587633aeeb2130df399daabf8c8282abd161ccd12ba4b7a"),
        point(b"404ca6d96ee988b3f28a2ce8aea0a8a9cc86ba92bc9672742dae9082be7cf3a6", b"30b23616a1f2be87a163b4600d75ddc2f56297f144e79bf9fd7e9c5d005921b8"),
        point(b"5fc047a6cbabae1d1d3eb9772d08eec57b67bad977a8aeb70064d8585499fb32", b"8b687b7d0b167aacad6b4e282ce0608d8862201bc43497e40577d159e54a64bb"),
        point(b"c78e66a99dde6027fa32107417d426a44b6af58d66b8d418e9f9669cda94951e", b"985099b2838bc5df0ab55e5c58c5c897fc659d38ff6023300516c0834a53b964"),
    ],
    [
        point(b"61d587d421d324f65a96a5d5dd38706391c19ac38fdce86762a8c244bfe20925", b"fa11fe124621efbe10f8441e05bab43e2384800853778b65e87673a2a37173ea"),
        point(b"2418871e02f383facb8be71704e2bb0d9526205a90ef6860c0f734a3b2335834", b"6fdb3c2261bcd5fdf186c1ebe587e728cc914ad029c20073d71776814082c157"),
        point(b"c8a5b250dbc0d662bb7b9056beae170c1320886aee95e5abcc7c4c1c2cf9d7c1", b"14dada943bccdd023ac7a5fd845398287da669121f03769f4ed81432c11d2303"),
        point(b"1aee99a822f367a58ecd8689dd1df499efc4bc0593aaa8eb51b90651cbae2f70", b"7c5f317aa459a2edbafea90bbcc1ef816c14d4457d30b39c95d485b9ae8274c5"),
        point(b"37640487864a6a771384978c5bc504c4b003fb024c641c15410dc6a90deeaf52", b"22f3acc9ab4953e9c7af6613f21b432c62260a575e47eb1105991bc6222a77da"),
        point(b"29c135ff30da95216d1c9dd2514cdd280349fd04bef737a40d0942770c24efc8", b"27f7525ce7df38c4081484184be21e65176f5dd2678c143cea6e4508f78b0b6f"),
        point(b"244e55ad476bcd52a4f4fb1f6261ec50bd6fdd2ad56157b29faaccf5e4652f1d", b"ad2dbc0f396e4964354e9a44278fb8ee1ca983d56181263f881c9305047d320b"),
        point(b"1ed2436103fa0e080ea108617af9c93adc506a3528e169a5fce0176788a2ffe4", b"8218e8ea7c000fd4ce6aa58c64114db4c0f43b4def50bc7496eaaa92a3d694e7"),
        point(b"746cd0dfe48c659e47c908048ef0607378492428c007273cd1ffd160deb58b9b", b"6c67ccc834ac85fc3d8869c99c9444f6e070967e39711c04bd7e8e109d47055b"),
        point(b"0288ae4c4878804f148cc8e8fbfc8cd2ef00df8d3e4e14568a42d8b087b05be1", b"128e2d2571c05dd2843fa963c9660052a4a8dbd4aab53c5b44e669a73b4f6872"),
        point(b"6381b546d386a60c733710b5ab242123c747ea076a9a88453ea86174a9f1b59b", b"b5f1bef040147ee839e567f828fb198d770f618de9db556cba0e286366a44904"),
        point(b"4575eaf2cd9a187791c229750c805d59962d9184a3315fd91adee1d516391617", b"d7a049bd95fbee4a9379272dcc6b4e6a829d6bdd6f09e30f83fef163451831b9"),
        point(b"e37ea97f8104c825de269352f696b42979793892bb99de1d695f70da44ae09c6", b"c2994f3dffb788b61106e3843e505667a82e633ca03ba6703166cac6b0e72e63"),
        point(b"9fe9879fd5a0eb147dd86c8bf3ded136c44a9940ebdc7e35d36a5ab37c53073b", b"2c63f630911551bc1661f1c9615d091a3faf4456861036afa210726c9b99bf9c"),
        point(b"fbf3eaf9c15eb07cb9fb40bee4abefd64f445a380f3a7618232974230554f94f", b"9406e10a3d5c6e2933d51d13d75da468c5209f68846e3f8fed469c23aca0c8b3"),
        point(b"ef1e450b8dd51056c89af3858c390401aa9947751ee60a83b9a44b1f5c6cad21", b"ff9577e57d9fc8f631f1d90f5084955568d82982ef57b1af5f5f069879ac84d1"),
    ],
    [
        point(b"803f3e02cd42ab1b0a406b8e6d9c87c197241afec47b266a56f8410ef4f8b16a", b"c097440e5067adc1c6097273ad8e197fa83b85f73bbad05f7f0309a804dbec69"),
        point(b"b320c5ca81d9bdf32d6b6bbf3f9d10a0dcca923a483c5c36266344a43794f8dc", b"183be9a0c3a8c8d6f081bf8599100153933e3b01cef03371620e28ff47b50a95"),
        point(b"36166b447d9ebc744e39187ee2bfd52f04a433758728531025470fabe085116b", b"faf71e910476be63f96eacd8c1db15eb726aa817ba79ab5192ad433cfd4b322c"),
        point(b"6cca31c738abf413009e75be1d94066a1ae052233e2af23972cfd2e949dee168", b"27da93fcebffab28eb6cc5f7946f83ac4a9b4a8cf5e2bc1eb50bd61d9bc49908"),
        point(b"f0403a898bd1f5f3ab022e037963edc06f5818d318d477e73ce519ef76257c51", b"0329c9ecb6bcfad1b1ec6d20ba73c0e20994e10ea1cfdd72e43b8da0496033ca"),
        point(b"a821ad1935efcbde61bcc3baa2c47ebd733dd7bbbe8de963bdec338e3318d2d4", b"7ba869f9f685bde8491d4ce0908fb4da7ba558e4c1cdfa4991ac668c024cdd5c"),
        point(b"4106673834747e448198e5749e67f9262d65e42c47d72e26ed1b5ec279f464ba", b"73facd6e5595e80058a8e98e805aa83c02cbc9ecf3e158224637acc1e37e5447"),
        point(b"f85a159743e5c02270cd1a408d6993a406f34ddf4037a53e468ff80338330507", b"1b02614b4487cd547c444592a9806dcb03b7bebf1064bfcb396fc9c2c125a67d"),
        point(b"b764265fb047955b3375ea6dc744ce6364acae4fdcd836cab47b60f70de21bb6", b"09c8885eaab21c79c701fbe2756aea0c60e98fd7cf454f60c68a5d4c9841c2c3"),
        point(b"1590768f5b67547af3b87663267551bde47c8b3968c8365a45bb810869d2d46c", b"40c93fceed862ac103c0d178df242c14e316691917a59440371c1db2fb2ed3ff"),
        point(b"fdc8e6a1d74c15403d9c5647a6f064fb5f6d80f27bdae7e31286da692bc982d6", b"a333730d4ab2c8f00296adb9ea20531dc2097979d66dbfff97da48c6d68b135a"),
        point(b"105a293e711a5771721b36278b62dd0bfdc142860a673dd00eb3565429847fed", b"580c120b0fc4ae3016dff792a3ac1996f7b681b011d04c7ddf001cce7f761927"),
        point(b"0978c9f64b45576bc661061a1a87a2f43832f22a0f42c3dc31ea3d4f7ee8d0bc", b"953a4681dcbfe8cb68f733cde9429e3627f36a00b7e01b90b7abac3c6dfb5fd2"),
        point(b"859ad26d809bca696f2536f4a75fdb79a2073c6a6929a785bfb7c41067fe1eaf", b"bec29443b938602be7c7901f9a4d0262656ad9f48ec0a57306f2c0693b197e7b"),
        point(b"bd2939df19b0dc7490e189cd0622619528f82d5a7990579e6e2d1cb3dd9c90c1", b"4533ef8244a4194039ef92eb6c893ca0eed5470d3117d9c418b18505c0917177"),
        point(b"71c4c827a9e1c19424358ea591ea3a1f8e50e98e8b4b6782caee9dec34943dda", b"b9cf805107b877bf4a01065e24e0ee19fb4ab4c057b58f9ca38baa5d09bb7a94"),
    ],
];

const fn point(x: &[u8; 64], y: &[u8; 64]) -> Affine {
    Affine { x: be_const(x), y: be_const(y) }
}

/// A P-256 public key with its tables.
#[derive(Clone)]
pub(crate) struct P256Key {
    q: [[Affine; TABLE]; PIECES],
}

impl P256Key {
    /// From the affine coordinates of a point the `p256` crate has already
    /// checked to be on the curve (and so not the identity).
    pub(crate) fn new(x: &[u8; 32], y: &[u8; 32]) -> Option<P256Key> {
        let (x, y) = (fe_from_be(x), fe_from_be(y));
        if !(lt(&x, &P) && lt(&y, &P)) {
            return None;
        }
        let q = piece_tables(&Affine { x: to_mont(&x), y: to_mont(&y) })?;
        Some(P256Key { q })
    }
}

/// Width-`WINDOW` NAF of a 64-bit piece, least significant digit first.
fn wnaf(piece: u64) -> [i8; DIGITS] {
    let mut v = u128::from(piece);
    let mut out = [0i8; DIGITS];
    for digit in out.iter_mut() {
        if v & 1 == 1 {
            let modw = (v & ((1 << WINDOW) - 1)) as i32;
            let d = if modw >= 1 << (WINDOW - 1) { modw - (1 << WINDOW) } else { modw };
            *digit = d as i8;
            // v −= d (odd, |d| < 32): v stays ≥ 0 since d ≤ v mod 2^w.
            v = v.wrapping_add_signed(-i128::from(d));
        }
        v >>= 1;
    }
    out
}

/// The pieces of a 256-bit big-endian scalar, least significant first.
fn pieces(k: &[u8; 32]) -> [u64; PIECES] {
    let mut out = [0u64; PIECES];
    for (piece, chunk) in out.iter_mut().zip(k.rchunks(8)) {
        *piece = chunk.iter().fold(0, |acc, &b| (acc << 8) | u64::from(b));
    }
    out
}

fn lookup(table: &[Affine; TABLE], digit: i8) -> Option<Affine> {
    let idx = usize::from(digit.unsigned_abs() / 2);
    let p = table.get(idx)?;
    Some(if digit < 0 { Affine { x: p.x, y: sub(&[0; N], &p.y) } } else { *p })
}

/// ES256 over `message`: `signature` is raw `r‖s` (64 bytes).
pub(crate) fn verify(key: &P256Key, message: &[u8], signature: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    // r, s ∈ [1, n−1] (SEC 1 §4.1.4 step 1): `from_slice` refuses zero and ≥ n.
    if signature.len() != 64 {
        return false;
    }
    let Ok(sig) = p256::ecdsa::Signature::from_slice(signature) else {
        return false;
    };
    let (r, s) = sig.split_scalars();
    // Steps 2–5: e = H(M) as an integer mod n (256-bit hash, no truncation).
    let z = <Scalar as Reduce<FieldBytes>>::reduce(&Sha256::digest(message));
    let Some(s_inv) = Option::<Scalar>::from(s.invert_vartime()) else {
        return false;
    };
    let u1: [u8; 32] = (z * s_inv).to_bytes().into();
    let u2: [u8; 32] = (*r * s_inv).to_bytes().into();
    // R = u1·G + u2·Q = Σ_i u1_i·(2^(64i)·G) + u2_i·(2^(64i)·Q), interleaved wNAF.
    let digits = pieces(&u1).into_iter().chain(pieces(&u2)).map(wnaf);
    let tables = G_TABLES.iter().chain(&key.q);
    let streams: Vec<([i8; DIGITS], &[Affine; TABLE])> = digits.zip(tables).collect();
    let mut acc = INFINITY;
    for k in (0..DIGITS).rev() {
        acc = acc.double();
        for (d, table) in &streams {
            if let Some(&digit) = d.get(k)
                && digit != 0
                && let Some(p) = lookup(table, digit)
            {
                acc = acc.add_affine(&p);
            }
        }
    }
    // Step 6: R = O fails. Step 7: x(R) mod n = r, i.e. X = r'·Z² for
    // r' = r or r' = r + n (when r + n < p, since x(R) < p).
    if is_zero(&acc.z) {
        return false;
    }
    let r_bytes: [u8; 32] = r.to_bytes().into();
    let r_int = fe_from_be(&r_bytes);
    let zz = sqr(&acc.z);
    if mul(&to_mont(&r_int), &zz) == acc.x {
        return true;
    }
    let (r_plus_n, carry) = add_raw(&r_int, &ORDER);
    !carry && lt(&r_plus_n, &P) && mul(&to_mont(&r_plus_n), &zz) == acc.x
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::U256;
    use p256::elliptic_curve::bigint::{NonZero, Odd};
    use p256::elliptic_curve::sec1::ToSec1Point;

    const GX: [u8; 32] = hex32(b"6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
    const GY: [u8; 32] = hex32(b"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");

    const fn hex32(hex: &[u8; 64]) -> [u8; 32] {
        let mut out = [0u8; 32];
        let mut i = 0;
        while i < 64 {
            let c = hex[i];
            let v = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                _ => 0,
            };
            out[i / 2] |= v << (4 * (1 - i % 2));
            i += 1;
        }
        out
    }

    fn fe_to_be(a: &Fe) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (chunk, limb) in out.rchunks_mut(LIMB_BYTES).zip(a) {
            chunk.copy_from_slice(&limb.to_be_bytes()[..]);
        }
        out
    }

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// Out of Montgomery form.
    fn from_mont(a: &Fe) -> Fe {
        let mut one = [0 as Limb; N];
        one[0] = 1;
        mul(a, &one)
    }

    fn big(a: &Fe) -> U256 {
        U256::from_be_slice(&fe_to_be(a))
    }

    fn modulus() -> NonZero<U256> {
        NonZero::new(big(&P)).unwrap()
    }

    /// A fixed xorshift stream of field elements below p, with the edge
    /// values first: 0, 1, 2, p−1, p−2, 2^255, 2^224, 2^256 − 2^224 − 1 (all
    /// limbs ones but one), every limb 0xff…, and p with one bit cleared.
    fn samples() -> Vec<Fe> {
        let be = |h: &[u8; 64]| be_const(h);
        let mut v = vec![
            [0; N],
            be(b"0000000000000000000000000000000000000000000000000000000000000001"),
            be(b"0000000000000000000000000000000000000000000000000000000000000002"),
            be(b"ffffffff00000001000000000000000000000000fffffffffffffffffffffffe"),
            be(b"ffffffff00000001000000000000000000000000fffffffffffffffffffffffd"),
            be(b"8000000000000000000000000000000000000000000000000000000000000000"),
            be(b"0000000100000000000000000000000000000000000000000000000000000000"),
            be(b"fffffffeffffffffffffffffffffffffffffffffffffffffffffffffffffffff"),
            be(b"ffffffff00000000ffffffffffffffffffffffffffffffffffffffffffffffff"),
            be(b"ffffffff00000001000000000000000000000000fffffffffffffffeffffffff"),
        ];
        let mut s = 0x9e37_79b9_7f4a_7c15u64;
        while v.len() < 200 {
            let mut b = [0u8; 32];
            for chunk in b.chunks_mut(8) {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                chunk.copy_from_slice(&s.to_be_bytes());
            }
            let x = fe_from_be(&b);
            if lt(&x, &P) {
                v.push(x);
            }
        }
        v
    }

    #[test]
    fn montgomery_constants() {
        // R mod p by 256 doublings of 1, R² mod p by 256 more.
        let mut r = [0 as Limb; N];
        r[0] = 1;
        for _ in 0..256 {
            r = add(&r, &r);
        }
        assert_eq!(r, ONE);
        let mut r2 = r;
        for _ in 0..256 {
            r2 = add(&r2, &r2);
        }
        assert_eq!(r2, R2);
        assert_eq!(to_mont(&be_const(b"0000000000000000000000000000000000000000000000000000000000000001")), ONE);
    }

    #[test]
    fn field_arithmetic_matches_crypto_bigint() {
        let p = modulus();
        let xs = samples();
        for (i, a) in xs.iter().enumerate() {
            for b in xs.iter().skip(i).take(40) {
                let (am, bm) = (to_mont(a), to_mont(b));
                assert_eq!(big(&from_mont(&am)), big(a));
                let prod = big(a).mul_mod(&big(b), &p);
                assert_eq!(big(&from_mont(&mul(&am, &bm))), prod, "mul {} {}", hex(&fe_to_be(a)), hex(&fe_to_be(b)));
                assert_eq!(big(&mul(&am, &bm)), big(&mul(&bm, &am)));
                assert_eq!(big(&add(a, b)), big(a).add_mod(&big(b), &p), "add");
                assert_eq!(big(&sub(a, b)), big(a).sub_mod(&big(b), &p), "sub");
                assert_eq!(big(&sub(b, a)), big(b).sub_mod(&big(a), &p), "sub");
            }
            assert_eq!(big(&from_mont(&sqr(&to_mont(a)))), big(a).mul_mod(&big(a), &p), "sqr {}", hex(&fe_to_be(a)));
            // Montgomery-form operands themselves as raw inputs (other bit patterns).
            assert_eq!(sqr(a), mul(a, a));
        }
    }

    #[test]
    fn inversion_matches_crypto_bigint() {
        let p = Odd::new(big(&P)).unwrap();
        for a in samples().iter().filter(|a| !is_zero(a)) {
            let inv = big(&from_mont(&invert(&to_mont(a))));
            assert_eq!(inv, big(a).invert_odd_mod(&p).unwrap(), "{}", hex(&fe_to_be(a)));
        }
    }

    fn generator() -> Affine {
        Affine { x: to_mont(&fe_from_be(&GX)), y: to_mont(&fe_from_be(&GY)) }
    }

    /// `k·P` by the `p256` crate, as big-endian affine coordinates.
    fn p256_mul(p: p256::ProjectivePoint, k: p256::Scalar) -> ([u8; 32], [u8; 32]) {
        let e = (p * k).to_affine().to_sec1_point(false);
        (e.x().unwrap().as_slice().try_into().unwrap(), e.y().unwrap().as_slice().try_into().unwrap())
    }

    fn check_tables(tables: &[[Affine; TABLE]; PIECES], base: p256::ProjectivePoint) {
        let two64 = p256::Scalar::from(1u64 << 32) * p256::Scalar::from(1u64 << 32);
        let mut shift = p256::Scalar::ONE;
        for table in tables {
            for (j, pt) in table.iter().enumerate() {
                let k = p256::Scalar::from(2 * j as u64 + 1) * shift;
                let (x, y) = p256_mul(base, k);
                assert_eq!(from_mont(&pt.x), fe_from_be(&x));
                assert_eq!(from_mont(&pt.y), fe_from_be(&y));
            }
            shift *= two64;
        }
    }

    #[test]
    fn g_tables_are_computed() {
        let t = piece_tables(&generator()).unwrap();
        for (a, b) in t.iter().flatten().zip(G_TABLES.iter().flatten()) {
            assert_eq!((a.x, a.y), (b.x, b.y));
        }
    }

    #[test]
    fn g_tables_match_p256() {
        check_tables(&G_TABLES, p256::ProjectivePoint::GENERATOR);
    }

    #[test]
    fn key_tables_match_p256() {
        let k = p256::Scalar::from(0x1234_5678_9abc_def1u64) * p256::Scalar::from(0x0fed_cba9_8765_4321u64);
        let (x, y) = p256_mul(p256::ProjectivePoint::GENERATOR, k);
        let key = P256Key::new(&x, &y).unwrap();
        check_tables(&key.q, p256::ProjectivePoint::GENERATOR * k);
        // Coordinates ≥ p are refused.
        assert!(P256Key::new(&fe_to_be(&P), &y).is_none());
    }

    #[test]
    #[ignore = "prints the source of G_TABLES"]
    fn print_g_tables() {
        let t = piece_tables(&generator()).unwrap();
        let mut s = String::new();
        for table in &t {
            s.push_str("    [\n");
            for p in table {
                s.push_str(&format!("        point(b\"{}\", b\"{}\"),\n", hex(&fe_to_be(&p.x)), hex(&fe_to_be(&p.y))));
            }
            s.push_str("    ],\n");
        }
        println!("{s}");
    }

    #[test]
    fn wnaf_reconstructs() {
        let mut s = 0x0123_4567_89ab_cdefu64;
        let mut cases = vec![0, 1, 2, 31, 32, 33, 63, u64::MAX, u64::MAX - 1, 1 << 63, (1 << 63) - 1, 0x5555_5555_5555_5555];
        for _ in 0..500 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            cases.push(s);
        }
        for k in cases {
            let d = wnaf(k);
            let sum: i128 = d.iter().enumerate().map(|(i, &di)| i128::from(di) << i).sum();
            assert_eq!(sum, i128::from(k), "{k:#x}");
            // Non-zero digits are odd, |d| < 2^(w−1), and at least w apart.
            let nz: Vec<usize> = (0..DIGITS).filter(|&i| d[i] != 0).collect();
            assert!(nz.windows(2).all(|w| w[1] - w[0] >= WINDOW as usize), "{k:#x}");
            assert!(d.iter().all(|&x| x == 0 || (x % 2 != 0 && i32::from(x.abs()) < 1 << (WINDOW - 1))));
        }
    }

    #[test]
    fn pieces_are_little_endian_u64s() {
        let k = hex32(b"0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
        assert_eq!(pieces(&k), [0x191a_1b1c_1d1e_1f20, 0x1112_1314_1516_1718, 0x090a_0b0c_0d0e_0f10, 0x0102_0304_0506_0708]);
    }
}
