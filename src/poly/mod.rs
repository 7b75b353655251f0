//! Sparse multivariate polynomials with exact rational coefficients.
//!
//! This is the bottom layer of the pipeline (DESIGN §4, *Polynomials*). A [`Poly`] is a
//! map from exponent vectors to nonzero [`Rational`] coefficients and knows nothing
//! about variable names; names live in a [`Ring`], which parses and prints. Every
//! operation is exact: there is no floating point in this module.
//!
//! Conventions:
//! - all polynomials combined in one operation must have the same number of variables
//!   ([`Poly::nvars`]); mixing them is a programming error and panics in debug builds;
//! - the zero polynomial has no terms; its [`Poly::total_degree`] and [`Poly::order`]
//!   are `None`.

mod ideal;
pub mod linalg;
mod parse;
mod ring;

pub use ideal::Ideal;
pub use parse::{parse_expr, parse_list, Expr, ParseError};
pub use ring::Ring;

use num_bigint::BigInt;
use num_traits::{One, Signed, Zero};
use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Add, Mul, Neg, Sub};

/// The most terms [`Poly::root`] lets a root grow to before it gives up.
pub const MAX_ROOT_TERMS: usize = 4096;

/// The one exact rational type of the engine.
///
/// `num_rational::BigRational` was chosen over `malachite::Rational`: coefficients in
/// rlct stay small (exponents of a few dozen, coefficients of Taylor series), so the
/// asymptotically faster multiplication of malachite does not pay for its much larger
/// build; and the `num` family gives us `BigInt` for the exact lattice and LP code with
/// the same traits. Everything refers to this alias, so switching is one line.
pub type Rational = num_rational::BigRational;

/// An exponent vector: one entry per variable of the ring.
pub type Exponent = Vec<u32>;

/// Build a rational from an integer.
pub fn rat(n: i64) -> Rational {
    Rational::from_integer(BigInt::from(n))
}

/// Build the rational `n/d`; `d` must be nonzero.
pub fn ratio(n: i64, d: i64) -> Rational {
    Rational::new(BigInt::from(n), BigInt::from(d))
}

/// A sparse polynomial in `nvars` variables with exact rational coefficients.
///
/// Terms are kept in a `BTreeMap`, so two equal polynomials have equal representations
/// and `==` is polynomial equality.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Poly {
    nvars: usize,
    terms: BTreeMap<Exponent, Rational>,
}

impl Poly {
    /// The zero polynomial.
    pub fn zero(nvars: usize) -> Self {
        Poly {
            nvars,
            terms: BTreeMap::new(),
        }
    }

    /// The constant `c`.
    pub fn constant(nvars: usize, c: Rational) -> Self {
        Self::monomial(nvars, vec![0; nvars], c)
    }

    /// The constant 1.
    pub fn one(nvars: usize) -> Self {
        Self::constant(nvars, Rational::one())
    }

    /// The variable with index `i`.
    pub fn var(nvars: usize, i: usize) -> Self {
        let mut e = vec![0; nvars];
        e[i] = 1;
        Self::monomial(nvars, e, Rational::one())
    }

    /// The term `c·w^exp` (zero if `c` is zero).
    pub fn monomial(nvars: usize, exp: Exponent, c: Rational) -> Self {
        debug_assert_eq!(exp.len(), nvars);
        let mut terms = BTreeMap::new();
        if !c.is_zero() {
            terms.insert(exp, c);
        }
        Poly { nvars, terms }
    }

    /// Build from `(exponent, coefficient)` pairs; repeated exponents are added.
    pub fn from_terms(nvars: usize, terms: impl IntoIterator<Item = (Exponent, Rational)>) -> Self {
        let mut p = Poly::zero(nvars);
        for (e, c) in terms {
            p.add_term(e, c);
        }
        p
    }

    /// Number of variables of the ring this polynomial lives in.
    pub fn nvars(&self) -> usize {
        self.nvars
    }

    /// The terms, ordered by exponent.
    pub fn terms(&self) -> impl Iterator<Item = (&Exponent, &Rational)> {
        self.terms.iter()
    }

    /// Whether `self = a·b` is possible judging by the extreme terms alone: exponents are
    /// ordered lexicographically, a monomial order, so the largest (and the smallest) term
    /// of a product is the product of the largest (smallest) terms of the factors. A
    /// cheap necessary test before multiplying out; `false` proves `self ≠ a·b`.
    pub fn may_equal_product(&self, a: &Poly, b: &Poly) -> bool {
        fn matches<'p>(
            t: Option<(&'p Exponent, &'p Rational)>,
            x: Option<(&'p Exponent, &'p Rational)>,
            y: Option<(&'p Exponent, &'p Rational)>,
        ) -> bool {
            match (t, x, y) {
                (Some((et, ct)), Some((ex, cx)), Some((ey, cy))) => {
                    et.len() == ex.len()
                        && et
                            .iter()
                            .zip(ex.iter().zip(ey))
                            .all(|(t, (x, y))| *t == x + y)
                        && *ct == cx * cy
                }
                (None, x, y) => x.is_none() || y.is_none(),
                _ => false,
            }
        }
        matches(
            self.terms.iter().next_back(),
            a.terms.iter().next_back(),
            b.terms.iter().next_back(),
        ) && matches(
            self.terms.iter().next(),
            a.terms.iter().next(),
            b.terms.iter().next(),
        )
    }

    /// Number of nonzero terms.
    pub fn num_terms(&self) -> usize {
        self.terms.len()
    }

    /// Whether this is the zero polynomial.
    pub fn is_zero(&self) -> bool {
        self.terms.is_empty()
    }

    /// The exponents of the nonzero terms (the support).
    pub fn support(&self) -> impl Iterator<Item = &Exponent> {
        self.terms.keys()
    }

    /// The coefficient of `w^exp` (zero if absent).
    pub fn coeff(&self, exp: &[u32]) -> Rational {
        self.terms.get(exp).cloned().unwrap_or_else(Rational::zero)
    }

    /// The constant term.
    pub fn constant_term(&self) -> Rational {
        self.coeff(&vec![0; self.nvars])
    }

    /// Whether the polynomial is a constant (zero included).
    pub fn is_constant(&self) -> bool {
        self.terms.keys().all(|e| e.iter().all(|&k| k == 0))
    }

    /// Whether the polynomial is a single term `c·w^α` with `c ≠ 0`.
    pub fn is_monomial(&self) -> bool {
        self.terms.len() == 1
    }

    /// Add `c·w^exp` in place.
    pub fn add_term(&mut self, exp: Exponent, c: Rational) {
        debug_assert_eq!(exp.len(), self.nvars);
        if c.is_zero() {
            return;
        }
        match self.terms.entry(exp) {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(c);
            }
            std::collections::btree_map::Entry::Occupied(mut o) => {
                let s = o.get().clone() + c;
                if s.is_zero() {
                    o.remove();
                } else {
                    *o.get_mut() = s;
                }
            }
        }
    }

    /// Largest total degree of a term; `None` for zero.
    pub fn total_degree(&self) -> Option<u32> {
        self.terms.keys().map(|e| e.iter().sum()).max()
    }

    /// The order at the origin: smallest total degree of a term; `None` for zero.
    pub fn order(&self) -> Option<u32> {
        self.terms.keys().map(|e| e.iter().sum()).min()
    }

    /// Degree in variable `i`; `None` for zero.
    pub fn degree_in(&self, i: usize) -> Option<u32> {
        self.terms.keys().map(|e| e[i]).max()
    }

    /// The variables that occur in some term.
    pub fn used_vars(&self) -> Vec<usize> {
        (0..self.nvars)
            .filter(|&i| self.terms.keys().any(|e| e[i] > 0))
            .collect()
    }

    /// Multiply every coefficient by `c`.
    pub fn scale(&self, c: &Rational) -> Poly {
        if c.is_zero() {
            return Poly::zero(self.nvars);
        }
        Poly {
            nvars: self.nvars,
            terms: self.terms.iter().map(|(e, k)| (e.clone(), k * c)).collect(),
        }
    }

    /// `self^k`, by repeated squaring.
    pub fn pow(&self, mut k: u32) -> Poly {
        let mut base = self.clone();
        let mut acc = Poly::one(self.nvars);
        while k > 0 {
            if k & 1 == 1 {
                acc = &acc * &base;
            }
            k >>= 1;
            if k > 0 {
                base = &base * &base;
            }
        }
        acc
    }

    /// Partial derivative with respect to variable `i`.
    pub fn derivative(&self, i: usize) -> Poly {
        let mut p = Poly::zero(self.nvars);
        for (e, c) in &self.terms {
            if e[i] > 0 {
                let mut f = e.clone();
                f[i] -= 1;
                p.add_term(f, c * rat(i64::from(e[i])));
            }
        }
        p
    }

    /// The componentwise minimum of the exponents (the largest monomial dividing the
    /// polynomial); all zeros for the zero polynomial.
    pub fn monomial_gcd(&self) -> Exponent {
        let mut g: Option<Exponent> = None;
        for e in self.terms.keys() {
            g = Some(match g {
                None => e.clone(),
                Some(g) => g.iter().zip(e).map(|(a, b)| *a.min(b)).collect(),
            });
        }
        g.unwrap_or_else(|| vec![0; self.nvars])
    }

    /// Divide by `w^exp`; `None` if some term is not divisible.
    pub fn div_monomial(&self, exp: &[u32]) -> Option<Poly> {
        let mut terms = BTreeMap::new();
        for (e, c) in &self.terms {
            let mut f = Vec::with_capacity(e.len());
            for (a, b) in e.iter().zip(exp) {
                f.push(a.checked_sub(*b)?);
            }
            terms.insert(f, c.clone());
        }
        Some(Poly {
            nvars: self.nvars,
            terms,
        })
    }

    /// The exact quotient self / d, if d divides self (multivariate division in the
    /// lexicographic order of the exponent vectors: if d | p then lt(d) | lt(p) and
    /// d | p − (lt(p)/lt(d))·d, so a leading term that lt(d) does not divide proves that
    /// d does not divide). `None` also for d = 0.
    pub fn div_exact(&self, d: &Poly) -> Option<Poly> {
        let (de, dc) = d.terms.iter().next_back()?;
        let mut rem = self.clone();
        let mut q = Poly::zero(self.nvars);
        while let Some((e, c)) = rem.terms.iter().next_back() {
            let mut f = Vec::with_capacity(e.len());
            for (a, b) in e.iter().zip(de) {
                f.push(a.checked_sub(*b)?);
            }
            let t = Poly::monomial(self.nvars, f, c / dc);
            rem = &rem - &(&t * d);
            q = &q + &t;
        }
        Some(q)
    }

    /// Multiply by `w^exp`.
    pub fn mul_monomial(&self, exp: &[u32]) -> Poly {
        Poly {
            nvars: self.nvars,
            terms: self
                .terms
                .iter()
                .map(|(e, c)| (e.iter().zip(exp).map(|(a, b)| a + b).collect(), c.clone()))
                .collect(),
        }
    }

    /// Substitute polynomials (in a ring with `images[0].nvars()` variables) for every
    /// variable: `p(w) ↦ p(images[0], …, images[d-1])`.
    pub fn compose(&self, images: &[Poly]) -> Poly {
        Composer::new(images).apply(self)
    }

    /// Substitute the polynomial `q` for variable `i`, keeping the others.
    pub fn substitute(&self, i: usize, q: &Poly) -> Poly {
        let images: Vec<Poly> = (0..self.nvars)
            .map(|j| {
                if j == i {
                    q.clone()
                } else {
                    Poly::var(self.nvars, j)
                }
            })
            .collect();
        self.compose(&images)
    }

    /// Move the point `w0` to the origin: `p(w) ↦ p(w0 + w)`.
    pub fn translate(&self, w0: &[Rational]) -> Poly {
        if w0.iter().all(Zero::is_zero) {
            return self.clone();
        }
        let images: Vec<Poly> = w0
            .iter()
            .enumerate()
            .map(|(i, c)| &Poly::var(self.nvars, i) + &Poly::constant(self.nvars, c.clone()))
            .collect();
        self.compose(&images)
    }

    /// Evaluate at a rational point.
    pub fn eval(&self, w: &[Rational]) -> Rational {
        let mut s = Rational::zero();
        for (e, c) in &self.terms {
            let mut t = c.clone();
            for (x, &k) in w.iter().zip(e) {
                if k > 0 {
                    t *= num_traits::pow(x.clone(), k as usize);
                }
            }
            s += t;
        }
        s
    }

    /// Re-embed into a ring with `nvars` variables, variable `i` going to `map[i]`.
    pub fn remap(&self, nvars: usize, map: &[usize]) -> Poly {
        debug_assert_eq!(map.len(), self.nvars);
        let mut p = Poly::zero(nvars);
        for (e, c) in &self.terms {
            let mut f = vec![0; nvars];
            for (i, &k) in e.iter().enumerate() {
                f[map[i]] += k;
            }
            p.add_term(f, c.clone());
        }
        p
    }

    /// Keep only the variables in `keep` (in that order), which must contain every
    /// variable that occurs.
    pub fn restrict(&self, keep: &[usize]) -> Poly {
        let mut p = Poly::zero(keep.len());
        for (e, c) in &self.terms {
            debug_assert!((0..self.nvars).all(|i| e[i] == 0 || keep.contains(&i)));
            p.add_term(keep.iter().map(|&i| e[i]).collect(), c.clone());
        }
        p
    }

    /// Keep only the terms whose exponent satisfies `pred`.
    pub fn filter_terms(&self, mut pred: impl FnMut(&Exponent) -> bool) -> Poly {
        Poly {
            nvars: self.nvars,
            terms: self
                .terms
                .iter()
                .filter(|(e, _)| pred(e))
                .map(|(e, c)| (e.clone(), c.clone()))
                .collect(),
        }
    }

    /// `(D, [(e, n_e)])` with `self = Σ (n_e/D)·x^e`, D the lcm of the denominators.
    fn integer_numerators(&self) -> (BigInt, Vec<(&Exponent, BigInt)>) {
        let mut den = BigInt::one();
        for c in self.terms.values() {
            if !c.denom().is_one() {
                den = num_integer::lcm(den, c.denom().clone());
            }
        }
        let nums = self
            .terms
            .iter()
            .map(|(e, c)| {
                let n = if den.is_one() {
                    c.numer().clone()
                } else {
                    c.numer() * (&den / c.denom())
                };
                (e, n)
            })
            .collect();
        (den, nums)
    }

    /// Clear denominators and the content: returns `(c, q)` with `self = c·q`, `c > 0`
    /// rational and `q` an integer polynomial whose coefficients have gcd 1.
    pub fn primitive(&self) -> (Rational, Poly) {
        if self.is_zero() {
            return (Rational::one(), self.clone());
        }
        let mut den = BigInt::one();
        let mut num = BigInt::zero();
        for c in self.terms.values() {
            den = num_integer::lcm(den, c.denom().clone());
        }
        for c in self.terms.values() {
            let n = (c * Rational::from_integer(den.clone())).to_integer();
            num = num_integer::gcd(num, n);
        }
        let mult = Rational::new(num, den);
        let q = self.scale(&(Rational::one() / &mult));
        (mult, q)
    }

    /// The exact square root: `Some((c, g))` with `self = c·g²`, `c > 0` rational and
    /// `g`'s leading coefficient 1, when `self` is a positive multiple of a square.
    ///
    /// Term by term in the graded order (largest total degree first): the leading term
    /// of `g` is √LT, and each next term is LT(remainder)/(2·LT(g)); no monomial of `g`
    /// can have degree below ord/2, which bounds the loop.
    pub fn sqrt(&self) -> Option<(Rational, Poly)> {
        let graded = |e: &Exponent| (e.iter().sum::<u32>(), e.clone());
        let (lead_e, lead_c) = self.terms.iter().max_by_key(|(e, _)| graded(e))?;
        if !lead_c.is_positive() || lead_e.iter().any(|k| k % 2 == 1) {
            return None;
        }
        let c = lead_c.clone();
        let r = self.scale(&(Rational::one() / &c));
        let min_deg = self.order()?;
        let g_lead: Exponent = lead_e.iter().map(|k| k / 2).collect();
        let mut g = Poly::monomial(self.nvars, g_lead.clone(), Rational::one());
        let two = rat(2);
        // rem = r − g², updated by (g + t)² − g² = (2g + t)·t as each term t is added.
        let mut rem = &r - &(&g * &g);
        loop {
            let Some((e, k)) = rem.terms.iter().max_by_key(|(e, _)| graded(e)) else {
                return Some((c, g));
            };
            // t = LT(rem) / (2·LT(g)) must be a monomial of degree ≥ ord/2.
            let mut t_e = Vec::with_capacity(e.len());
            for (a, b) in e.iter().zip(&g_lead) {
                t_e.push(a.checked_sub(*b)?);
            }
            if 2 * t_e.iter().sum::<u32>() < min_deg || graded(&t_e) >= graded(&g_lead) {
                return None;
            }
            let t = Poly::monomial(self.nvars, t_e, k / &two);
            rem = &rem - &(&(&g.scale(&two) + &t) * &t);
            g = &g + &t;
        }
    }

    /// The exact k-th root: `Some((c, h))` with `self = c·h^k` (c a nonzero rational of
    /// any sign, h's graded-leading coefficient 1), `None` when `self` is no such power
    /// or the root would exceed [`MAX_ROOT_TERMS`] terms.
    ///
    /// As [`Poly::sqrt`]: the leading term of h is LT^{1/k}, each next term is
    /// LT(remainder)/(k·LT(h)^{k−1}) (the leading term of the remainder strictly falls in
    /// the graded order), and no monomial of h has degree below ord/k. The loop ends only
    /// on a zero remainder, so a returned root is an exact identity.
    pub fn root(&self, k: u32) -> Option<(Rational, Poly)> {
        if k == 0 {
            return None;
        }
        let graded = |e: &Exponent| (e.iter().sum::<u32>(), e.clone());
        let (lead_e, lead_c) = self.terms.iter().max_by_key(|(e, _)| graded(e))?;
        let min_deg = self.order()?;
        if lead_e.iter().any(|a| a % k != 0) || min_deg % k != 0 {
            return None;
        }
        let c = lead_c.clone();
        let r = self.scale(&(Rational::one() / &c));
        let h_lead: Exponent = lead_e.iter().map(|a| a / k).collect();
        let lower: Exponent = h_lead.iter().map(|a| a * (k - 1)).collect();
        let mut h = Poly::monomial(self.nvars, h_lead.clone(), Rational::one());
        let kk = rat(i64::from(k));
        loop {
            if h.terms.len() > MAX_ROOT_TERMS {
                return None;
            }
            let rem = &r - &h.pow(k);
            let Some((e, coef)) = rem.terms.iter().max_by_key(|(e, _)| graded(e)) else {
                return Some((c, h));
            };
            let mut t_e = Vec::with_capacity(e.len());
            for (a, b) in e.iter().zip(&lower) {
                t_e.push(a.checked_sub(*b)?);
            }
            if k * t_e.iter().sum::<u32>() < min_deg || graded(&t_e) >= graded(&h_lead) {
                return None;
            }
            h.add_term(t_e, coef / &kk);
        }
    }

    /// The largest k ≥ 2 with `self = c·h^k` exactly, as `(c, h, k)`; `None` if there is
    /// none. The candidates are the divisors of the gcd of numbers that are all multiples
    /// of k when `self = c·h^k`, largest first: the exponents of the graded-leading term
    /// and of the lex-first and lex-last terms (LT(h^k) = LT(h)^k in any monomial order),
    /// the order, and every variable's largest and smallest degree (deg_j(h^k) =
    /// k·deg_j(h) over a domain). The degrees cost one pass over the terms, where a
    /// candidate k that they rule out would cost a [`Poly::root`] attempt: on the
    /// generators of degree 40 and more of deep tanh / Vandermonde charts those attempts
    /// took seconds, past the resolver's deadline.
    pub fn perfect_power(&self) -> Option<(Rational, Poly, u32)> {
        use num_integer::Integer;
        let graded = |e: &Exponent| (e.iter().sum::<u32>(), e.clone());
        let (lead_e, _) = self.terms.iter().max_by_key(|(e, _)| graded(e))?;
        if self.terms.len() > MAX_ROOT_TERMS.saturating_mul(8) {
            return None;
        }
        let mut g = lead_e.iter().fold(self.order()?, |acc, &a| acc.gcd(&a));
        for e in [self.terms.keys().next(), self.terms.keys().next_back()]
            .into_iter()
            .flatten()
        {
            g = e.iter().fold(g, |acc, &a| acc.gcd(&a));
        }
        for j in 0..self.nvars {
            if g == 1 {
                return None;
            }
            let (lo, hi) = self
                .terms
                .keys()
                .fold((u32::MAX, 0), |(lo, hi), e| (lo.min(e[j]), hi.max(e[j])));
            g = g.gcd(&lo).gcd(&hi);
        }
        // A second necessary condition before each root attempt: at an integer point x,
        // self(x)/c = h(x)^k is the k-th power of a rational (c the graded-leading
        // coefficient; h has rational coefficients). Exact arithmetic, no false rejection.
        let lead_c = self.coeff(lead_e);
        let values: Vec<Rational> = [[2i64, 3, 5, 7, 11, 13], [3, 1, 4, 1, 5, 9]]
            .iter()
            .map(|pt| {
                let x: Vec<Rational> = (0..self.nvars)
                    .map(|j| rat(pt[j % pt.len()] + j as i64 / pt.len() as i64))
                    .collect();
                self.eval(&x) / &lead_c
            })
            .collect();
        (2..=g)
            .rev()
            .filter(|k| g % k == 0)
            .filter(|&k| values.iter().all(|v| is_rational_power(v, k)))
            .find_map(|k| self.root(k).map(|(c, h)| (c, h, k)))
    }

    /// The matrix of second derivatives at the origin (the Hessian), as rationals.
    pub fn hessian_at_origin(&self) -> Vec<Vec<Rational>> {
        let n = self.nvars;
        let mut h = vec![vec![Rational::zero(); n]; n];
        for (e, c) in &self.terms {
            if e.iter().sum::<u32>() != 2 {
                continue;
            }
            let idx: Vec<usize> = (0..n).filter(|&i| e[i] > 0).collect();
            match idx.as_slice() {
                [i] => h[*i][*i] = c * rat(2),
                [i, j] => {
                    h[*i][*j] = c.clone();
                    h[*j][*i] = c.clone();
                }
                _ => {}
            }
        }
        h
    }

    /// The linear part at the origin: the coefficients of w_1, …, w_d.
    pub fn linear_part(&self) -> Vec<Rational> {
        (0..self.nvars)
            .map(|i| {
                let mut e = vec![0; self.nvars];
                e[i] = 1;
                self.coeff(&e)
            })
            .collect()
    }

    /// The homogeneous part of total degree `k`.
    pub fn homogeneous_part(&self, k: u32) -> Poly {
        self.filter_terms(|e| e.iter().sum::<u32>() == k)
    }

    /// Whether all coefficients are positive and all exponents even: then the polynomial
    /// is strictly positive on the real torus `(ℝ∖0)^d` (a positive sum of squares of
    /// monomials).
    pub fn is_even_positive(&self) -> bool {
        !self.is_zero()
            && self
                .terms
                .iter()
                .all(|(e, c)| c.is_positive() && e.iter().all(|k| k % 2 == 0))
    }
}

impl Add for &Poly {
    type Output = Poly;
    fn add(self, other: &Poly) -> Poly {
        debug_assert_eq!(self.nvars, other.nvars);
        let mut p = self.clone();
        for (e, c) in &other.terms {
            p.add_term(e.clone(), c.clone());
        }
        p
    }
}

impl Sub for &Poly {
    type Output = Poly;
    fn sub(self, other: &Poly) -> Poly {
        debug_assert_eq!(self.nvars, other.nvars);
        let mut p = self.clone();
        for (e, c) in &other.terms {
            p.add_term(e.clone(), -c.clone());
        }
        p
    }
}

impl Neg for &Poly {
    type Output = Poly;
    fn neg(self) -> Poly {
        Poly {
            nvars: self.nvars,
            terms: self
                .terms
                .iter()
                .map(|(e, c)| (e.clone(), -c.clone()))
                .collect(),
        }
    }
}

/// One substitution applied to many polynomials, sharing the cached powers of the images
/// (a chart's pull-back composes its generators, units and both matrices with the same
/// substitution).
pub struct Composer<'a> {
    images: &'a [Poly],
    target: usize,
    /// Variables mapped to themselves (most of them, for the substitutions of a
    /// resolution): their exponents carry over directly.
    identity: Vec<bool>,
    powers: Vec<Vec<Poly>>,
}

impl<'a> Composer<'a> {
    /// Prepare the substitution w_i ↦ images[i].
    pub fn new(images: &'a [Poly]) -> Self {
        let target = images.first().map_or(0, Poly::nvars);
        let identity = images
            .iter()
            .enumerate()
            .map(|(i, p)| {
                target == images.len()
                    && p.terms.len() == 1
                    && p.terms.iter().next().is_some_and(|(e, c)| {
                        c.is_one() && e.iter().enumerate().all(|(k, &x)| x == u32::from(k == i))
                    })
            })
            .collect();
        Composer {
            images,
            target,
            identity,
            powers: vec![Vec::new(); images.len()],
        }
    }

    fn power(&mut self, i: usize, k: usize) -> &Poly {
        let cache = &mut self.powers[i];
        if cache.is_empty() {
            cache.push(Poly::one(self.target));
        }
        while cache.len() <= k {
            let next = &cache[cache.len() - 1] * &self.images[i];
            cache.push(next);
        }
        &cache[k]
    }

    /// p(images).
    pub fn apply(&mut self, p: &Poly) -> Poly {
        debug_assert_eq!(self.images.len(), p.nvars);
        let mut out = Poly::zero(self.target);
        for (e, c) in &p.terms {
            let mut shift = vec![0u32; self.target];
            let mut t: Option<Poly> = None;
            for (i, &k) in e.iter().enumerate() {
                if k == 0 {
                    continue;
                }
                if self.identity[i] {
                    shift[i] += k;
                    continue;
                }
                let pk = self.power(i, k as usize);
                t = Some(match t {
                    None => pk.clone(),
                    Some(t) => &t * pk,
                });
            }
            match t {
                None => out.add_term(shift, c.clone()),
                Some(t) => {
                    for (f, d) in &t.terms {
                        let g: Exponent = f.iter().zip(&shift).map(|(a, b)| a + b).collect();
                        out.add_term(g, d * c);
                    }
                }
            }
        }
        out
    }
}

/// The determinant of a square matrix of polynomials, by Laplace expansion along the
/// first row (for the few coordinate factors of a leaf; FORMAT.md Addendum 9). The empty
/// matrix has determinant 1.
pub fn determinant(a: &[Vec<Poly>]) -> Poly {
    let nvars = a.first().and_then(|r| r.first()).map_or(0, Poly::nvars);
    let Some(first) = a.first() else {
        return Poly::one(nvars);
    };
    if a.len() == 1 {
        return first[0].clone();
    }
    let mut det = Poly::zero(nvars);
    for (c, entry) in first.iter().enumerate() {
        if entry.is_zero() {
            continue;
        }
        let minor: Vec<Vec<Poly>> = a[1..]
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .filter(|(k, _)| *k != c)
                    .map(|(_, p)| p.clone())
                    .collect()
            })
            .collect();
        let term = entry * &determinant(&minor);
        det = if c % 2 == 0 {
            &det + &term
        } else {
            &det - &term
        };
    }
    det
}

impl Mul for &Poly {
    type Output = Poly;
    /// Over the integers: with common denominators D₁, D₂ the numerators are multiplied
    /// and summed as integers, and each product coefficient is reduced once, Σ/(D₁·D₂).
    /// (Rational products and sums in the inner loop would take a gcd per term pair.)
    fn mul(self, other: &Poly) -> Poly {
        debug_assert_eq!(self.nvars, other.nvars);
        let (d1, a) = self.integer_numerators();
        let (d2, b) = other.integer_numerators();
        let mut acc: BTreeMap<Exponent, BigInt> = BTreeMap::new();
        for (e, x) in &a {
            for (f, y) in &b {
                let g: Exponent = e.iter().zip(f.iter()).map(|(p, q)| p + q).collect();
                let prod = x * y;
                match acc.entry(g) {
                    std::collections::btree_map::Entry::Vacant(v) => {
                        v.insert(prod);
                    }
                    std::collections::btree_map::Entry::Occupied(mut o) => {
                        *o.get_mut() += prod;
                    }
                }
            }
        }
        let den = d1 * d2;
        let terms = acc
            .into_iter()
            .filter(|(_, v)| !v.is_zero())
            .map(|(e, v)| (e, Rational::new(v, den.clone())))
            .collect();
        Poly {
            nvars: self.nvars,
            terms,
        }
    }
}

macro_rules! forward_owned {
    ($tr:ident, $m:ident) => {
        impl $tr for Poly {
            type Output = Poly;
            fn $m(self, other: Poly) -> Poly {
                (&self).$m(&other)
            }
        }
    };
}
forward_owned!(Add, add);
forward_owned!(Sub, sub);
forward_owned!(Mul, mul);

impl Neg for Poly {
    type Output = Poly;
    fn neg(self) -> Poly {
        -&self
    }
}

/// Prints with variables named `w0, w1, …`; use [`Ring::show`] for real names.
impl fmt::Display for Poly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = (0..self.nvars).map(|i| format!("w{i}")).collect();
        f.write_str(&ring::format_poly(self, &names))
    }
}

/// Whether q is the k-th power of a rational (k ≥ 1): numerator and denominator are exact
/// integer k-th powers, and q ≥ 0 for even k.
fn is_rational_power(q: &Rational, k: u32) -> bool {
    if q.is_zero() {
        return true;
    }
    if k % 2 == 0 && q.is_negative() {
        return false;
    }
    let exact = |n: &BigInt| n.nth_root(k).pow(k) == *n;
    exact(q.numer()) && exact(q.denom())
}

/// Parse `src` in a ring with these variable names; for tests.
#[cfg(test)]
pub(crate) fn parse_in(names: &[&str], src: &str) -> Poly {
    let ring = Ring::new(names.iter().map(|s| s.to_string()).collect());
    ring.parse(src).unwrap_or_else(|e| panic!("{src}: {e}"))
}

/// Format a rational as `p` or `p/q` (the JSON convention of INTERFACE.md).
pub fn format_rational(q: &Rational) -> String {
    if q.is_integer() {
        q.numer().to_string()
    } else {
        format!("{}/{}", q.numer(), q.denom())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x() -> Poly {
        Poly::var(2, 0)
    }
    fn y() -> Poly {
        Poly::var(2, 1)
    }

    #[test]
    fn arithmetic_and_cancellation() {
        let p = &x() + &y();
        let q = &x() - &y();
        let prod = &p * &q;
        let expect = &x().pow(2) - &y().pow(2);
        assert_eq!(prod, expect);
        assert!((&prod - &expect).is_zero());
        assert_eq!(p.pow(3).num_terms(), 4);
        assert_eq!(p.pow(0), Poly::one(2));
    }

    #[test]
    fn extreme_terms_of_a_product() {
        let a = &(&x() + &y()) + &Poly::one(2);
        let b = &x().pow(2) - &y().scale(&rat(3));
        let prod = &a * &b;
        assert!(prod.may_equal_product(&a, &b));
        assert!(prod.may_equal_product(&b, &a));
        // A wrong middle term passes this necessary test; a wrong extreme term fails it.
        let middle = &prod + &(&x() * &y());
        assert!(middle.may_equal_product(&a, &b) && middle != &a * &b);
        assert!(!(&prod + &x().pow(4)).may_equal_product(&a, &b));
        assert!(!(&prod - &Poly::one(2)).may_equal_product(&a, &b));
        assert!(!prod.scale(&rat(2)).may_equal_product(&a, &b));
        assert!(Poly::zero(2).may_equal_product(&a, &Poly::zero(2)));
        assert!(!Poly::zero(2).may_equal_product(&a, &b));
        assert!(!prod.may_equal_product(&a, &Poly::zero(2)));
    }

    #[test]
    fn derivative_and_orders() {
        let p = &(&x().pow(3) * &y()) + &y().pow(2);
        assert_eq!(p.derivative(0), (&x().pow(2) * &y()).scale(&rat(3)));
        assert_eq!(p.order(), Some(2));
        assert_eq!(p.total_degree(), Some(4));
        assert_eq!(p.degree_in(0), Some(3));
    }

    #[test]
    fn translate_moves_the_point() {
        // (x - 1)^2 at x = 1 becomes x^2.
        let p = (&x() - &Poly::one(2)).pow(2);
        let t = p.translate(&[rat(1), rat(0)]);
        assert_eq!(t, x().pow(2));
    }

    #[test]
    fn monomial_gcd_and_division() {
        let p = &(&x().pow(2) * &y()) + &(&x() * &y().pow(3));
        assert_eq!(p.monomial_gcd(), vec![1, 1]);
        let q = p.div_monomial(&[1, 1]).unwrap_or_else(|| Poly::zero(2));
        assert_eq!(q, &x() + &y().pow(2));
        assert!(p.div_monomial(&[2, 0]).is_none());
    }

    #[test]
    fn primitive_part() {
        let p = (&x().scale(&ratio(3, 2)) + &y().scale(&ratio(9, 4))).scale(&rat(-1));
        let (c, q) = p.primitive();
        assert_eq!(q.scale(&c), p);
        assert!(q.terms().all(|(_, k)| k.is_integer()));
    }

    #[test]
    fn exact_square_roots() {
        let g = &(&x() - &y().pow(2)) + &(&x() * &y()).scale(&ratio(3, 2));
        let k = (&g * &g).scale(&ratio(5, 3));
        let Some((c, r)) = k.sqrt() else {
            panic!("no square root of {k}")
        };
        assert_eq!(&(&r * &r).scale(&c), &k);
        assert!((&x().pow(2) + &y().pow(2)).sqrt().is_none());
        assert!((&x().pow(2) - &y().pow(2)).sqrt().is_none());
        assert!(x().pow(3).sqrt().is_none());
        assert!(x().pow(2).scale(&rat(-1)).sqrt().is_none());
        let k = (&x() - &y()).pow(2).pow(3);
        assert!(k.sqrt().is_some_and(|(_, r)| r.total_degree() == Some(3)));
    }

    /// The integer-numerator product against the term-by-term rational definition, on
    /// mixed denominators, integer and zero factors.
    #[test]
    fn product_matches_the_rational_definition() {
        let naive = |a: &Poly, b: &Poly| {
            let mut p = Poly::zero(a.nvars);
            for (e, c) in &a.terms {
                for (f, d) in &b.terms {
                    p.add_term(e.iter().zip(f).map(|(s, t)| s + t).collect(), c * d);
                }
            }
            p
        };
        let ps = [
            &(&x().scale(&ratio(1, 3)) - &y().pow(2).scale(&ratio(2, 5)))
                + &Poly::constant(2, rat(7)),
            &(&x() * &y()).scale(&rat(-1)) + &Poly::constant(2, ratio(-3, 7)),
            &x().scale(&rat(2)) + &y().scale(&ratio(2, 3)),
            &x() - &y(),
            Poly::zero(2),
            Poly::constant(2, ratio(5, 2)),
        ];
        for a in &ps {
            for b in &ps {
                assert_eq!(a * b, naive(a, b), "({a}) · ({b})");
            }
        }
    }

    #[test]
    fn exact_roots_and_perfect_powers() {
        let h = &(&x() + &y().pow(2)).scale(&rat(2)) - &Poly::one(2);
        for k in 1..=5 {
            let g = h.pow(k).scale(&ratio(-3, 7));
            let (c, r) = g.root(k).unwrap_or_else(|| panic!("no {k}-th root of {g}"));
            assert_eq!(r.pow(k).scale(&c), g);
            // The largest exponent is found (k = 4 is not read as a square of a square).
            let want = (k >= 2).then_some(k);
            assert_eq!(g.perfect_power().map(|(_, _, e)| e), want, "{g}");
        }
        // Not powers: a sum of powers, a product of distinct factors, x^2·y^3.
        assert!((&x().pow(3) + &y().pow(3)).perfect_power().is_none());
        assert!((&(&x() - &y()) * &(&x() + &y())).perfect_power().is_none());
        assert!((&x().pow(2) * &y().pow(3)).perfect_power().is_none());
        assert_eq!(
            (&x().pow(4) * &y().pow(6))
                .perfect_power()
                .map(|(_, _, e)| e),
            Some(2)
        );
        assert!(x().pow(6).root(4).is_none());
        assert!(h.pow(6).root(4).is_none());
        assert!(Poly::one(2).perfect_power().is_none());
        // Every exponent test passes (degrees 4, orders 0, lead terms x^4, y^4), the values
        // do not: 2^4 + 2^2·3^2 + 3^4 = 133 is no square.
        let q = &(&x().pow(4) + &(&x().pow(2) * &y().pow(2))) + &y().pow(4);
        assert!(q.perfect_power().is_none());
        assert!(is_rational_power(&ratio(-8, 27), 3) && !is_rational_power(&ratio(-4, 9), 2));
        assert!(is_rational_power(&ratio(16, 81), 4) && !is_rational_power(&ratio(16, 80), 4));
    }

    #[test]
    fn compose_and_eval() {
        let p = &x().pow(2) + &y();
        let s = p.substitute(0, &(&x() * &y()));
        assert_eq!(s, &(&x().pow(2) * &y().pow(2)) + &y());
        assert_eq!(p.eval(&[rat(2), rat(3)]), rat(7));
    }
}
