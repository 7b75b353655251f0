//! Dense univariate polynomials over ℚ and exact real-root algorithms: gcd, square-free
//! part and decomposition (Yun), Sturm sequences, counting and isolating real roots in
//! intervals with rational or infinite endpoints.
//!
//! Everything is exact ([`Rational`] arithmetic); there is no floating point.
//!
//! # References
//! - C. Sturm, "Mémoire sur la résolution des équations numériques" (1835); in modern form
//!   S. Basu, R. Pollack, M.-F. Roy, *Algorithms in Real Algebraic Geometry*, 2nd ed.,
//!   Springer 2006, Thm 2.50 (Sturm's theorem) and §10.2 (root isolation).
//! - D. Y. Y. Yun, "On square-free decomposition algorithms", SYMSAC 1976.
//! - A. Cauchy's root bound: every root `r` of `a_n x^n + … + a_0` satisfies
//!   `|r| < 1 + max_i |a_i / a_n|`.

use crate::poly::{format_rational, Rational};
use num_traits::{One, Signed, Zero};
use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Mul, Neg, Sub};

/// A dense univariate polynomial `Σ c_i x^i` with rational coefficients.
///
/// The coefficient vector never has trailing zeros, so `==` is polynomial equality and
/// the zero polynomial has no coefficients.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct UPoly {
    coeffs: Vec<Rational>,
}

/// An endpoint of a real interval: a rational number or ±∞.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Bound {
    /// −∞.
    NegInf,
    /// A rational point.
    Finite(Rational),
    /// +∞.
    PosInf,
}

impl Bound {
    /// The finite bound `r`.
    pub fn at(r: Rational) -> Bound {
        Bound::Finite(r)
    }

    /// Whether `self < other` as points of the extended real line.
    pub fn lt(&self, other: &Bound) -> bool {
        match (self, other) {
            (Bound::NegInf, Bound::NegInf) | (Bound::PosInf, _) => false,
            (Bound::NegInf, _) | (_, Bound::PosInf) => true,
            (Bound::Finite(_), Bound::NegInf) => false,
            (Bound::Finite(a), Bound::Finite(b)) => a < b,
        }
    }

    fn finite(&self) -> Option<&Rational> {
        match self {
            Bound::Finite(r) => Some(r),
            _ => None,
        }
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::NegInf => f.write_str("-inf"),
            Bound::PosInf => f.write_str("+inf"),
            Bound::Finite(r) => f.write_str(&format_rational(r)),
        }
    }
}

/// One real root of a polynomial `p`, isolated in an open interval.
///
/// Invariants (established by [`UPoly::isolate_roots_in`]):
/// - `lo < hi`, both rational, and `p(lo) ≠ 0 ≠ p(hi)`;
/// - the root is the only root of `p` in the open interval `(lo, hi)`;
/// - if `exact` is `Some(r)`, the root is the rational number `r`;
/// - `multiplicity` is the multiplicity of the root as a root of `p` (so `p` changes
///   sign at the root iff it is odd).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IsolatedRoot {
    /// Left endpoint (not a root).
    pub lo: Rational,
    /// Right endpoint (not a root).
    pub hi: Rational,
    /// The root itself when it is known to be rational.
    pub exact: Option<Rational>,
    /// Multiplicity of the root.
    pub multiplicity: u32,
}

impl IsolatedRoot {
    /// Whether the polynomial changes sign at this root (odd multiplicity).
    pub fn changes_sign(&self) -> bool {
        self.multiplicity % 2 == 1
    }

    /// A short description: `= r` for a rational root, `∈ (lo, hi)` otherwise.
    pub fn describe(&self) -> String {
        match &self.exact {
            Some(r) => format!("= {}", format_rational(r)),
            None => format!(
                "in ({}, {})",
                format_rational(&self.lo),
                format_rational(&self.hi)
            ),
        }
    }
}

/// The square-free decomposition `p = unit · Π f_i^{m_i}` with monic, square-free,
/// pairwise coprime, non-constant `f_i` and distinct multiplicities `m_i`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SquareFreeDecomposition {
    /// The leading coefficient of `p`.
    pub unit: Rational,
    /// The factors `(f_i, m_i)`, by increasing multiplicity.
    pub factors: Vec<(UPoly, u32)>,
}

fn half() -> Rational {
    Rational::new(1.into(), 2.into())
}

fn sign_of(r: &Rational) -> Ordering {
    r.cmp(&Rational::zero())
}

impl UPoly {
    /// Build from coefficients `c_0, c_1, …` (constant term first); trailing zeros are
    /// dropped.
    pub fn new(mut coeffs: Vec<Rational>) -> Self {
        while coeffs.last().is_some_and(Zero::is_zero) {
            coeffs.pop();
        }
        UPoly { coeffs }
    }

    /// Build from integer coefficients (constant term first).
    pub fn from_ints(coeffs: &[i64]) -> Self {
        Self::new(
            coeffs
                .iter()
                .map(|&c| Rational::from_integer(c.into()))
                .collect(),
        )
    }

    /// The zero polynomial.
    pub fn zero() -> Self {
        UPoly { coeffs: Vec::new() }
    }

    /// The constant `c`.
    pub fn constant(c: Rational) -> Self {
        Self::new(vec![c])
    }

    /// The constant 1.
    pub fn one() -> Self {
        Self::constant(Rational::one())
    }

    /// The variable `x`.
    pub fn x() -> Self {
        Self::new(vec![Rational::zero(), Rational::one()])
    }

    /// The term `c·x^k`.
    pub fn monomial(c: Rational, k: usize) -> Self {
        let mut v = vec![Rational::zero(); k];
        v.push(c);
        Self::new(v)
    }

    /// The linear polynomial `x − r`.
    pub fn linear_root(r: &Rational) -> Self {
        Self::new(vec![-r.clone(), Rational::one()])
    }

    /// `Π (x − r)` over the given roots (repeated roots give multiplicities).
    pub fn from_roots(roots: &[Rational]) -> Self {
        roots
            .iter()
            .fold(Self::one(), |acc, r| &acc * &Self::linear_root(r))
    }

    /// The coefficients, constant term first.
    pub fn coeffs(&self) -> &[Rational] {
        &self.coeffs
    }

    /// The coefficient of `x^i`.
    pub fn coeff(&self, i: usize) -> Rational {
        self.coeffs.get(i).cloned().unwrap_or_else(Rational::zero)
    }

    /// The degree; `None` for the zero polynomial.
    pub fn degree(&self) -> Option<usize> {
        self.coeffs.len().checked_sub(1)
    }

    /// Whether this is the zero polynomial.
    pub fn is_zero(&self) -> bool {
        self.coeffs.is_empty()
    }

    /// Whether this is a constant (zero included).
    pub fn is_constant(&self) -> bool {
        self.coeffs.len() <= 1
    }

    /// The leading coefficient; `None` for zero.
    pub fn leading_coeff(&self) -> Option<&Rational> {
        self.coeffs.last()
    }

    /// Evaluate at a rational point (Horner).
    pub fn eval(&self, x: &Rational) -> Rational {
        let mut acc = Rational::zero();
        for c in self.coeffs.iter().rev() {
            acc = acc * x + c;
        }
        acc
    }

    /// The sign of `p(x)`.
    pub fn sign_at(&self, x: &Rational) -> Ordering {
        sign_of(&self.eval(x))
    }

    /// The sign of `p` at a bound: at ±∞ the sign of `p(x)` for `|x|` large.
    pub fn sign_at_bound(&self, b: &Bound) -> Ordering {
        match b {
            Bound::Finite(r) => self.sign_at(r),
            Bound::PosInf => self.leading_coeff().map_or(Ordering::Equal, sign_of),
            Bound::NegInf => {
                let s = self.leading_coeff().map_or(Ordering::Equal, sign_of);
                if self.coeffs.len() % 2 == 0 {
                    s.reverse()
                } else {
                    s
                }
            }
        }
    }

    /// Multiply every coefficient by `c`.
    pub fn scale(&self, c: &Rational) -> UPoly {
        Self::new(self.coeffs.iter().map(|k| k * c).collect())
    }

    /// `p(−x)`.
    pub fn reflect(&self) -> UPoly {
        Self::new(
            self.coeffs
                .iter()
                .enumerate()
                .map(|(i, c)| if i % 2 == 1 { -c.clone() } else { c.clone() })
                .collect(),
        )
    }

    /// `x^k · p`.
    pub fn shift(&self, k: usize) -> UPoly {
        if self.is_zero() {
            return self.clone();
        }
        let mut v = vec![Rational::zero(); k];
        v.extend(self.coeffs.iter().cloned());
        Self::new(v)
    }

    /// The derivative.
    pub fn derivative(&self) -> UPoly {
        Self::new(
            self.coeffs
                .iter()
                .enumerate()
                .skip(1)
                .map(|(i, c)| c * Rational::from_integer(i.into()))
                .collect(),
        )
    }

    /// Divide by the leading coefficient; zero stays zero.
    pub fn monic(&self) -> UPoly {
        match self.leading_coeff() {
            Some(lc) => {
                let inv = Rational::one() / lc;
                self.scale(&inv)
            }
            None => self.clone(),
        }
    }

    /// Euclidean division: `(q, r)` with `self = q·d + r`, `deg r < deg d`; `None` if `d`
    /// is zero.
    pub fn div_rem(&self, d: &UPoly) -> Option<(UPoly, UPoly)> {
        let dl = d.leading_coeff()?.clone();
        let dn = d.coeffs.len() - 1;
        let mut r = self.coeffs.clone();
        if r.len() <= dn {
            return Some((UPoly::zero(), self.clone()));
        }
        let mut q = vec![Rational::zero(); r.len() - dn];
        for i in (0..q.len()).rev() {
            let c = &r[i + dn] / &dl;
            if !c.is_zero() {
                for (j, dc) in d.coeffs.iter().enumerate() {
                    r[i + j] -= &c * dc;
                }
            }
            q[i] = c;
        }
        r.truncate(dn);
        Some((UPoly::new(q), UPoly::new(r)))
    }

    /// The remainder of division by `d`; `None` if `d` is zero.
    pub fn rem(&self, d: &UPoly) -> Option<UPoly> {
        self.div_rem(d).map(|(_, r)| r)
    }

    /// The exact quotient `self / d`; `None` if `d` is zero or does not divide `self`.
    pub fn exact_div(&self, d: &UPoly) -> Option<UPoly> {
        let (q, r) = self.div_rem(d)?;
        r.is_zero().then_some(q)
    }

    /// The monic greatest common divisor (`gcd(0, 0) = 0`).
    pub fn gcd(&self, other: &UPoly) -> UPoly {
        let mut a = self.monic();
        let mut b = other.monic();
        while !b.is_zero() {
            let r = match a.rem(&b) {
                Some(r) => r,
                None => break,
            };
            a = b;
            b = r.monic();
        }
        a.monic()
    }

    /// The monic square-free part `p / gcd(p, p')` (zero for zero, 1 for constants).
    pub fn square_free_part(&self) -> UPoly {
        if self.is_zero() {
            return UPoly::zero();
        }
        let g = self.gcd(&self.derivative());
        self.exact_div(&g).unwrap_or_else(|| self.clone()).monic()
    }

    /// The square-free decomposition (Yun's algorithm); `None` for the zero polynomial.
    ///
    /// # References
    /// D. Y. Y. Yun, "On square-free decomposition algorithms", SYMSAC 1976.
    pub fn square_free_decomposition(&self) -> Option<SquareFreeDecomposition> {
        let unit = self.leading_coeff()?.clone();
        let f = self.monic();
        let mut factors = Vec::new();
        if f.is_constant() {
            return Some(SquareFreeDecomposition { unit, factors });
        }
        let fd = f.derivative();
        let a0 = f.gcd(&fd);
        let mut b = f.exact_div(&a0)?;
        let c = fd.exact_div(&a0)?;
        let mut d = &c - &b.derivative();
        let mut i = 1u32;
        while !b.is_constant() {
            let a = b.gcd(&d);
            if !a.is_constant() {
                factors.push((a.clone(), i));
            }
            let bn = b.exact_div(&a)?;
            let cn = d.exact_div(&a)?;
            d = &cn - &bn.derivative();
            b = bn;
            i += 1;
        }
        Some(SquareFreeDecomposition { unit, factors })
    }

    /// The Sturm sequence `p_0 = p, p_1 = p', p_{i+1} = −rem(p_{i−1}, p_i)` up to the last
    /// nonzero term. Each term is rescaled by a positive rational (to a primitive
    /// integer polynomial), which changes no sign. Empty for the zero polynomial.
    ///
    /// # References
    /// Sturm's theorem: for `a < b` not roots of a square-free `p`, the number of roots of
    /// `p` in `(a, b)` is `V(a) − V(b)`, `V` the number of sign changes of the sequence
    /// (Basu–Pollack–Roy 2006, Thm 2.50).
    pub fn sturm_sequence(&self) -> Vec<UPoly> {
        let mut seq = Vec::new();
        if self.is_zero() {
            return seq;
        }
        seq.push(self.clone());
        let d = self.derivative();
        if d.is_zero() {
            return seq;
        }
        seq.push(positive_primitive(&d));
        loop {
            let n = seq.len();
            let r = match seq[n - 2].rem(&seq[n - 1]) {
                Some(r) => r,
                None => break,
            };
            if r.is_zero() {
                break;
            }
            seq.push(positive_primitive(&-&r));
        }
        seq
    }

    /// A Cauchy bound `B`: every complex root `r` satisfies `|r| < B`; `B ≥ 1`.
    pub fn cauchy_bound(&self) -> Rational {
        let mut m = Rational::zero();
        if let Some(lc) = self.leading_coeff() {
            for c in &self.coeffs[..self.coeffs.len() - 1] {
                let q = (c / lc).abs();
                if q > m {
                    m = q;
                }
            }
        }
        m + Rational::one()
    }

    /// Whether `r` is a root.
    pub fn is_root(&self, r: &Rational) -> bool {
        self.eval(r).is_zero()
    }

    /// The number of distinct real roots in the open interval `(a, b)` (roots at the
    /// endpoints are not counted; an empty interval gives 0); `None` for the zero
    /// polynomial.
    pub fn count_roots(&self, a: &Bound, b: &Bound) -> Option<usize> {
        if self.is_zero() {
            return None;
        }
        if !a.lt(b) {
            return Some(0);
        }
        let s = strip_endpoint_roots(&self.square_free_part(), a, b);
        let st = Sturm::new(&s);
        Some(st.variations(a).saturating_sub(st.variations(b)))
    }

    /// The number of distinct roots in the closed interval `[a, b]`; `None` for zero.
    pub fn count_roots_closed(&self, a: &Rational, b: &Rational) -> Option<usize> {
        if self.is_zero() {
            return None;
        }
        if a > b {
            return Some(0);
        }
        if a == b {
            return Some(usize::from(self.is_root(a)));
        }
        let open = self.count_roots(&Bound::at(a.clone()), &Bound::at(b.clone()))?;
        Some(open + usize::from(self.is_root(a)) + usize::from(self.is_root(b)))
    }

    /// The number of distinct real roots; `None` for zero.
    pub fn count_real_roots(&self) -> Option<usize> {
        self.count_roots(&Bound::NegInf, &Bound::PosInf)
    }

    /// All distinct real roots, isolated (see [`IsolatedRoot`]) and sorted; `None` for
    /// the zero polynomial.
    pub fn isolate_roots(&self) -> Option<Vec<IsolatedRoot>> {
        self.isolate_roots_in(&Bound::NegInf, &Bound::PosInf)
    }

    /// The distinct real roots in the open interval `(a, b)`, isolated in pairwise
    /// disjoint open intervals with rational endpoints, sorted increasingly; every
    /// isolating interval lies strictly inside `(a, b)`. `None` for the zero polynomial.
    ///
    /// Algorithm: bisection driven by Sturm counts of the square-free part (with roots
    /// at finite endpoints divided out), starting from a Cauchy bound.
    pub fn isolate_roots_in(&self, a: &Bound, b: &Bound) -> Option<Vec<IsolatedRoot>> {
        let dec = self.square_free_decomposition()?;
        if !a.lt(b) {
            return Some(Vec::new());
        }
        let s = strip_endpoint_roots(&self.square_free_part(), a, b);
        if s.is_constant() {
            return Some(Vec::new());
        }
        let st = Sturm::new(&s);
        let bound = s.cauchy_bound();
        let lo = match a {
            Bound::Finite(r) if *r > -bound.clone() => r.clone(),
            _ => -bound.clone(),
        };
        let hi = match b {
            Bound::Finite(r) if *r < bound => r.clone(),
            _ => bound,
        };
        if lo >= hi {
            return Some(Vec::new());
        }
        // Bisection. Every interval on the stack has endpoints that are not roots of s.
        let mut found: Vec<(Rational, Rational, Option<Rational>)> = Vec::new();
        let mut stack = vec![(lo, hi)];
        while let Some((l, h)) = stack.pop() {
            let n = st.count(&l, &h);
            if n == 0 {
                continue;
            }
            if n == 1 {
                found.push((l, h, None));
                continue;
            }
            let m = (&l + &h) * half();
            if s.is_root(&m) {
                let (ml, mh) = st.neighbourhood(&s, &m, &l, &h);
                found.push((ml.clone(), mh.clone(), Some(m)));
                stack.push((l, ml));
                stack.push((mh, h));
            } else {
                stack.push((l, m.clone()));
                stack.push((m, h));
            }
        }
        // Tighten so that every interval lies strictly inside (a, b): an endpoint may equal
        // a finite bound, which can be a root of p.
        let (fa, fb) = (a.finite().cloned(), b.finite().cloned());
        let mut roots = Vec::with_capacity(found.len());
        for (mut l, mut h, mut exact) in found {
            while exact.is_none() && (fa.as_ref() == Some(&l) || fb.as_ref() == Some(&h)) {
                let m = (&l + &h) * half();
                if s.is_root(&m) {
                    let (ml, mh) = st.neighbourhood(&s, &m, &l, &h);
                    l = ml;
                    h = mh;
                    exact = Some(m);
                } else if st.count(&l, &m) == 1 {
                    h = m;
                } else {
                    l = m;
                }
            }
            if exact.is_none() {
                // Recognise rational roots with small denominators exactly.
                let q = simplest_between(&l, &h);
                if s.is_root(&q) {
                    exact = Some(q);
                }
            }
            let multiplicity = multiplicity_of(&dec, &l, &h, exact.as_ref());
            roots.push(IsolatedRoot {
                lo: l,
                hi: h,
                exact,
                multiplicity,
            });
        }
        roots.sort_by(|x, y| x.lo.cmp(&y.lo));
        Some(roots)
    }

    /// Shrink an isolating interval of a root of `self` until `hi − lo ≤ width`
    /// (unchanged if already exact or narrow enough). The invariants of
    /// [`IsolatedRoot`] are kept.
    pub fn refine_root(&self, root: &IsolatedRoot, width: &Rational) -> IsolatedRoot {
        let mut r = root.clone();
        if r.exact.is_some() || self.is_zero() || !width.is_positive() {
            return r;
        }
        let s = self.square_free_part();
        let st = Sturm::new(&s);
        while &(&r.hi - &r.lo) > width {
            let m = (&r.lo + &r.hi) * half();
            if s.is_root(&m) {
                let (ml, mh) = st.neighbourhood(&s, &m, &r.lo, &r.hi);
                r.lo = ml;
                r.hi = mh;
                r.exact = Some(m);
                return r;
            } else if st.count(&r.lo, &m) == 1 {
                r.hi = m;
            } else {
                r.lo = m;
            }
        }
        let q = simplest_between(&r.lo, &r.hi);
        if s.is_root(&q) {
            r.exact = Some(q);
        }
        r
    }

    /// One rational sample point in every maximal root-free open subinterval of `(a, b)`,
    /// increasing. The sign of `p` is constant on each such subinterval, so the signs at
    /// these points are all the signs `p` takes on `(a, b)` away from its roots. `None`
    /// for the zero polynomial; empty if `(a, b)` is empty.
    pub fn gap_points(&self, a: &Bound, b: &Bound) -> Option<Vec<Rational>> {
        let roots = self.isolate_roots_in(a, b)?;
        if !a.lt(b) {
            return Some(Vec::new());
        }
        let mut pts = Vec::with_capacity(roots.len() + 1);
        match roots.first() {
            None => pts.push(match (a, b) {
                (Bound::Finite(x), Bound::Finite(y)) => (x + y) * half(),
                (Bound::Finite(x), _) => x + Rational::one(),
                (_, Bound::Finite(y)) => y - Rational::one(),
                _ => Rational::zero(),
            }),
            Some(r0) => {
                pts.push(r0.lo.clone());
                pts.extend(roots.iter().map(|r| r.hi.clone()));
            }
        }
        Some(pts)
    }
}

/// The simplest rational (smallest denominator, then smallest numerator in absolute
/// value) in the open interval `(a, b)`, `a < b`, by continued-fraction (Stern–Brocot)
/// descent.
pub fn simplest_between(a: &Rational, b: &Rational) -> Rational {
    if a.is_negative() && b.is_positive() {
        return Rational::zero();
    }
    if !b.is_positive() {
        return -simplest_between(&-b, &-a);
    }
    simplest_nonneg(a, Some(b))
}

/// Simplest rational in `(a, b)` for `0 ≤ a < b ≤ ∞` (`None` = ∞).
fn simplest_nonneg(a: &Rational, b: Option<&Rational>) -> Rational {
    let fl = a.floor();
    let next = &fl + Rational::one();
    if b.is_none_or(|b| &next < b) {
        return next;
    }
    // No integer in (a, b): fl ≤ a < b ≤ fl + 1; recurse on the reciprocals of the
    // fractional parts, (1/(b − fl), 1/(a − fl)).
    let bb = b.map_or_else(Rational::one, |b| b - &fl);
    let aa = a - &fl;
    let lo = Rational::one() / bb;
    let hi = (!aa.is_zero()).then(|| Rational::one() / aa);
    fl + Rational::one() / simplest_nonneg(&lo, hi.as_ref())
}

/// Scale by a positive rational so that the coefficients are coprime integers.
fn positive_primitive(p: &UPoly) -> UPoly {
    use num_bigint::BigInt;
    if p.is_zero() {
        return p.clone();
    }
    let mut den = BigInt::one();
    for c in &p.coeffs {
        den = num_integer::lcm(den, c.denom().clone());
    }
    let mut num = BigInt::zero();
    for c in &p.coeffs {
        num = num_integer::gcd(num, (c * Rational::from_integer(den.clone())).to_integer());
    }
    if num.is_zero() {
        return p.clone();
    }
    p.scale(&Rational::new(den, num.abs()))
}

/// Divide a square-free `s` by `x − a` / `x − b` when the finite endpoints are roots.
fn strip_endpoint_roots(s: &UPoly, a: &Bound, b: &Bound) -> UPoly {
    let mut s = s.clone();
    for e in [a, b] {
        if let Bound::Finite(r) = e {
            if s.is_root(r) {
                if let Some(q) = s.exact_div(&UPoly::linear_root(r)) {
                    s = q;
                }
            }
        }
    }
    s
}

/// The multiplicity of the unique root in `(l, h)` (or the exact root) from a
/// square-free decomposition.
fn multiplicity_of(
    dec: &SquareFreeDecomposition,
    l: &Rational,
    h: &Rational,
    exact: Option<&Rational>,
) -> u32 {
    for (f, m) in &dec.factors {
        let hit = match exact {
            Some(r) => f.is_root(r),
            None => Sturm::new(f).count(l, h) > 0,
        };
        if hit {
            return *m;
        }
    }
    // Unreachable for a genuine root; 1 is the conservative (sign-changing) answer.
    1
}

/// A Sturm sequence with evaluation of sign variations.
struct Sturm {
    seq: Vec<UPoly>,
}

impl Sturm {
    fn new(s: &UPoly) -> Self {
        Sturm {
            seq: s.sturm_sequence(),
        }
    }

    fn variations(&self, x: &Bound) -> usize {
        let mut last = Ordering::Equal;
        let mut v = 0;
        for p in &self.seq {
            let s = p.sign_at_bound(x);
            if s == Ordering::Equal {
                continue;
            }
            if last != Ordering::Equal && s != last {
                v += 1;
            }
            last = s;
        }
        v
    }

    /// Roots in `(l, h)`, for `l < h` not roots of the square-free polynomial.
    fn count(&self, l: &Rational, h: &Rational) -> usize {
        self.variations(&Bound::at(l.clone()))
            .saturating_sub(self.variations(&Bound::at(h.clone())))
    }

    /// For a root `m` of `s` in `(l, h)`, an interval `(m − δ, m + δ) ⊂ (l, h)` whose
    /// endpoints are not roots and which contains no other root.
    fn neighbourhood(
        &self,
        s: &UPoly,
        m: &Rational,
        l: &Rational,
        h: &Rational,
    ) -> (Rational, Rational) {
        let mut delta = std::cmp::min(m - l, h - m) * half();
        loop {
            let ml = m - &delta;
            let mh = m + &delta;
            if !s.is_root(&ml) && !s.is_root(&mh) && self.count(&ml, &mh) == 1 {
                return (ml, mh);
            }
            delta *= half();
        }
    }
}

impl Add for &UPoly {
    type Output = UPoly;
    fn add(self, o: &UPoly) -> UPoly {
        let n = self.coeffs.len().max(o.coeffs.len());
        UPoly::new((0..n).map(|i| self.coeff(i) + o.coeff(i)).collect())
    }
}

impl Sub for &UPoly {
    type Output = UPoly;
    fn sub(self, o: &UPoly) -> UPoly {
        let n = self.coeffs.len().max(o.coeffs.len());
        UPoly::new((0..n).map(|i| self.coeff(i) - o.coeff(i)).collect())
    }
}

impl Mul for &UPoly {
    type Output = UPoly;
    fn mul(self, o: &UPoly) -> UPoly {
        if self.is_zero() || o.is_zero() {
            return UPoly::zero();
        }
        let mut v = vec![Rational::zero(); self.coeffs.len() + o.coeffs.len() - 1];
        for (i, a) in self.coeffs.iter().enumerate() {
            if a.is_zero() {
                continue;
            }
            for (j, b) in o.coeffs.iter().enumerate() {
                v[i + j] += a * b;
            }
        }
        UPoly::new(v)
    }
}

impl Neg for &UPoly {
    type Output = UPoly;
    fn neg(self) -> UPoly {
        UPoly {
            coeffs: self.coeffs.iter().map(|c| -c.clone()).collect(),
        }
    }
}

macro_rules! forward_owned_u {
    ($tr:ident, $m:ident) => {
        impl $tr for UPoly {
            type Output = UPoly;
            fn $m(self, other: UPoly) -> UPoly {
                (&self).$m(&other)
            }
        }
    };
}
forward_owned_u!(Add, add);
forward_owned_u!(Sub, sub);
forward_owned_u!(Mul, mul);

impl Neg for UPoly {
    type Output = UPoly;
    fn neg(self) -> UPoly {
        -&self
    }
}

/// Prints in the variable `x`, highest degree first, e.g. `x^2 - 2`.
impl fmt::Display for UPoly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_zero() {
            return f.write_str("0");
        }
        let mut first = true;
        for (i, c) in self.coeffs.iter().enumerate().rev() {
            if c.is_zero() {
                continue;
            }
            let neg = c.is_negative();
            let a = c.abs();
            if first {
                if neg {
                    f.write_str("-")?;
                }
            } else {
                f.write_str(if neg { " - " } else { " + " })?;
            }
            first = false;
            let mon = match i {
                0 => String::new(),
                1 => "x".to_string(),
                _ => format!("x^{i}"),
            };
            if mon.is_empty() {
                f.write_str(&format_rational(&a))?;
            } else if a.is_one() {
                f.write_str(&mon)?;
            } else {
                write!(f, "{}*{}", format_rational(&a), mon)?;
            }
        }
        Ok(())
    }
}
