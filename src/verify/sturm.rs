//! A small univariate Sturm-sequence root counter over ℚ, the checker's own (it does not
//! use `crate::realroots`).
//!
//! Sturm's theorem (Basu–Pollack–Roy, *Algorithms in Real Algebraic Geometry*, Thm 2.50):
//! for p ≠ 0 and the sequence p_0 = p, p_1 = p', p_{k+1} = −rem(p_{k−1}, p_k), the number
//! of distinct real roots of p in (a, b] is V(a) − V(b), V counting sign changes; this
//! holds for non-square-free p too, and at points where p ≠ 0 the count is exact for the
//! open interval. Polynomials are dense coefficient vectors, lowest degree first.

use crate::poly::Rational;
use num_traits::{Signed, Zero};

/// Drop trailing zero coefficients.
fn trim(mut p: Vec<Rational>) -> Vec<Rational> {
    while p.last().is_some_and(Zero::is_zero) {
        p.pop();
    }
    p
}

/// p(x) by Horner's rule.
pub(super) fn eval(p: &[Rational], x: &Rational) -> Rational {
    p.iter().rev().fold(Rational::zero(), |acc, c| acc * x + c)
}

/// The derivative of a dense polynomial (trimmed).
pub(super) fn derivative(p: &[Rational]) -> Vec<Rational> {
    trim(
        p.iter()
            .enumerate()
            .skip(1)
            .map(|(k, c)| c * Rational::from_integer(k.into()))
            .collect(),
    )
}

/// Quotient and remainder of `a` divided by `b` (`b` nonzero and trimmed).
fn divide(a: &[Rational], b: &[Rational]) -> (Vec<Rational>, Vec<Rational>) {
    let mut r = trim(a.to_vec());
    let Some(lead) = b.last() else {
        return (Vec::new(), r);
    };
    let db = b.len() - 1;
    let mut q = vec![Rational::zero(); r.len().saturating_sub(db)];
    while r.len() > db {
        let shift = r.len() - 1 - db;
        let Some(top) = r.last() else { break };
        let c = top / lead;
        for (k, bk) in b.iter().enumerate() {
            r[shift + k] -= &c * bk;
        }
        q[shift] = c;
        // The leading coefficient is now exactly zero.
        r.pop();
        r = trim(r);
    }
    (trim(q), r)
}

/// A greatest common divisor of `a` and `b` (Euclid; defined up to a nonzero constant;
/// empty only when both are zero).
pub(super) fn gcd(a: &[Rational], b: &[Rational]) -> Vec<Rational> {
    let mut a = trim(a.to_vec());
    let mut b = trim(b.to_vec());
    while !b.is_empty() {
        let (_, r) = divide(&a, &b);
        a = b;
        b = r;
    }
    a
}

/// The Sturm sequence of a nonzero polynomial.
fn sequence(p: &[Rational]) -> Vec<Vec<Rational>> {
    let mut seq = vec![trim(p.to_vec())];
    let d = derivative(p);
    if d.is_empty() {
        return seq;
    }
    seq.push(d);
    loop {
        let k = seq.len();
        let (_, r) = divide(&seq[k - 2], &seq[k - 1]);
        if r.is_empty() {
            return seq;
        }
        seq.push(r.into_iter().map(|c| -c).collect());
    }
}

/// Sign changes of the sequence at `x`, zeros skipped.
fn variations(seq: &[Vec<Rational>], x: &Rational) -> usize {
    let mut last: Option<bool> = None;
    let mut count = 0;
    for p in seq {
        let v = eval(p, x);
        if v.is_zero() {
            continue;
        }
        let pos = v.is_positive();
        if last.is_some_and(|l| l != pos) {
            count += 1;
        }
        last = Some(pos);
    }
    count
}

/// The number of distinct real roots of `p` in the closed interval [lo, hi]; `None` for
/// the zero polynomial (every point is a root).
///
/// The count runs on the square-free part p / gcd(p, p'), for which V(lo) − V(hi) is the
/// number of roots in (lo, hi] even when lo or hi is a root.
pub(super) fn count_roots_closed(p: &[Rational], lo: &Rational, hi: &Rational) -> Option<usize> {
    let p = trim(p.to_vec());
    if p.is_empty() {
        return None;
    }
    if lo > hi {
        return Some(0);
    }
    let at_lo = usize::from(eval(&p, lo).is_zero());
    if lo == hi {
        return Some(at_lo);
    }
    let full = sequence(&p);
    // The last nonzero remainder is gcd(p, p') up to a constant factor.
    let square_free = match full.last() {
        Some(g) if full.len() > 1 => divide(&p, g).0,
        _ => p,
    };
    let seq = sequence(&square_free);
    let open_closed = variations(&seq, lo).saturating_sub(variations(&seq, hi));
    Some(open_closed + at_lo)
}
