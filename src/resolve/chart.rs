//! Charts of a resolution and the bookkeeping that keeps every chart identity exact.
//!
//! A chart has coordinates y (as many as the original variables), a substitution from
//! its parent, and per coordinate a [`Range`]: *small* (a neighbourhood of 0) or a closed
//! rational interval. Its set **C** = {small coordinates = 0} × (the intervals) is compact;
//! the chart answers for a neighbourhood of C (see `src/certificate/FORMAT.md`).
//!
//! With `map` the composite substitution (w = map(y)), `F_i = f_i ∘ map` the pulled-back
//! input generators and `G` the chart's generators, the chart maintains
//!
//! 1. `F = y^α · W · T·G`,
//! 2. `y^α · W · G = S·F`,
//! 3. `Π map_k^{h_k} · det D(map) = ± y^J · V`,
//!
//! with W and V units on C. Every move updates (α, W, T, S, J, V) so that these stay
//! exact polynomial identities; the certificate checker recomputes them from scratch.

use crate::poly::{Composer, Exponent, Poly, Rational};
use num_traits::One;

/// The extent of one chart coordinate on the chart's set C.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Range {
    /// A neighbourhood of 0: the coordinate is 0 on C.
    Small,
    /// A closed interval [lo, hi].
    Interval(Rational, Rational),
}

impl Range {
    /// Whether the coordinate is small.
    pub fn is_small(&self) -> bool {
        matches!(self, Range::Small)
    }
}

/// How a chart's coordinates arise from its parent's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The root chart: the original coordinates.
    Root,
    /// Blow-up of the coordinate subspace {y_S = 0}, chart `chart` ∈ S: y_j = y_chart·y_j
    /// for j ∈ S∖{chart}.
    Blowup {
        /// S.
        centre: Vec<usize>,
        /// The chart index i ∈ S.
        chart: usize,
    },
    /// y_coord = to + y_coord (recentring at a point of an interval).
    Translate {
        /// The coordinate.
        coord: usize,
        /// The new centre.
        to: Rational,
    },
    /// A triangular change y_coord = (y_coord − r)/c making a generator a coordinate.
    Coordinate {
        /// The coordinate.
        coord: usize,
    },
    /// The same change of a *bounded* coordinate, y_coord = (y_coord − r)/c with r any
    /// polynomial free of y_coord: the new coordinate's interval encloses the image of C
    /// (FORMAT.md Addendum 5). It turns a generator whose zero set on C is a hypersurface
    /// of the box into one whose zero set is the hyperplane {y_coord = 0}.
    Shift {
        /// The coordinate.
        coord: usize,
    },
    /// A forward change z = ψ(y) with an analytic but not polynomial inverse
    /// (FORMAT.md Addendum 12): the child is a new base of the chart identities.
    Forward(Box<super::forward::Forward>),
}

/// A chart with its generators and the data of the chart identities.
#[derive(Clone, Debug)]
pub struct Chart {
    /// Coordinate ranges (their number is the number of variables).
    pub ranges: Vec<Range>,
    /// The generators G (strict transforms, after factoring y^α).
    pub gens: Vec<Poly>,
    /// α.
    pub alpha: Exponent,
    /// W.
    pub unit: Poly,
    /// U_F: a unit multiplying the pulled-back inputs in identity 1 (from
    /// pseudo-divisions by unit coefficients).
    pub input_unit: Poly,
    /// T: one row per input generator, one column per chart generator.
    pub to_input: Vec<Vec<Poly>>,
    /// S: one row per chart generator, one column per input generator.
    pub to_chart: Vec<Vec<Poly>>,
    /// J.
    pub jac: Exponent,
    /// V.
    pub jac_unit: Poly,
    /// Hyperplanes {y_j = c} of bounded coordinates that this chart does not answer for:
    /// translate children (of this chart or an ancestor) cover their neighbourhoods.
    pub excluded: Vec<(usize, Rational)>,
    /// Bounded coordinates that are not *free* (FORMAT.md Addendum 13): a forward step's
    /// unit proofs involve them, so nothing is known outside their ranges and they may be
    /// neither shifted (Addendum 5) nor changed by an affine forward step.
    pub fixed: Vec<usize>,
}

/// The k × k identity matrix of polynomials in n variables (T and S of a chart that is its
/// own base: the root, or a forward child, FORMAT.md Addendum 12).
pub(crate) fn identity_matrix(k: usize, n: usize) -> Vec<Vec<Poly>> {
    (0..k)
        .map(|i| {
            (0..k)
                .map(|j| if i == j { Poly::one(n) } else { Poly::zero(n) })
                .collect()
        })
        .collect()
}

impl Chart {
    /// The root chart of inputs `f` with prior exponent `h`.
    pub fn root(inputs: &[Poly], weight: &[u32]) -> Chart {
        let n = weight.len();
        let k = inputs.len();
        Chart {
            ranges: vec![Range::Small; n],
            gens: inputs.to_vec(),
            alpha: vec![0; n],
            unit: Poly::one(n),
            input_unit: Poly::one(n),
            to_input: identity_matrix(k, n),
            to_chart: identity_matrix(k, n),
            jac: weight.to_vec(),
            jac_unit: Poly::one(n),
            excluded: Vec::new(),
            fixed: Vec::new(),
        }
    }

    /// Number of coordinates.
    pub fn nvars(&self) -> usize {
        self.ranges.len()
    }

    /// Restrict a polynomial to C's affine span: set the small coordinates to 0.
    pub fn on_c(&self, p: &Poly) -> Poly {
        p.filter_terms(|e| {
            e.iter()
                .zip(&self.ranges)
                .all(|(k, r)| *k == 0 || !r.is_small())
        })
    }

    /// Pull everything back along `subst` (parent coordinate k = subst[k]), with the
    /// Jacobian determinant `det` of the substitution, and factor out monomials.
    pub fn pullback(&self, subst: &[Poly], det: &Poly, ranges: Vec<Range>) -> Chart {
        let n = ranges.len();
        let composer = std::cell::RefCell::new(Composer::new(subst));
        let pull = |p: &Poly| composer.borrow_mut().apply(p);
        // y^α ∘ σ and y^J ∘ σ: each is a monomial times a unit after the moves used here
        // (blow-ups are monomial, translations turn y_j^a into (c + y_j)^a).
        let (alpha, alpha_unit) =
            split_monomial(&Poly::monomial(n, self.alpha.clone(), Rational::one()).compose(subst));
        let (jac, jac_unit_m) = split_monomial(
            &(&Poly::monomial(n, self.jac.clone(), Rational::one()).compose(subst) * det),
        );
        let mut chart = Chart {
            ranges,
            gens: self.gens.iter().map(pull).collect(),
            alpha,
            unit: &pull(&self.unit) * &alpha_unit,
            input_unit: pull(&self.input_unit),
            to_input: self
                .to_input
                .iter()
                .map(|row| row.iter().map(pull).collect())
                .collect(),
            to_chart: self
                .to_chart
                .iter()
                .map(|row| row.iter().map(pull).collect())
                .collect(),
            jac,
            jac_unit: &pull(&self.jac_unit) * &jac_unit_m,
            excluded: self.excluded.clone(),
            fixed: Vec::new(),
        };
        // A coordinate stays fixed while it stays bounded (a translate makes it small);
        // coordinates a blow-up makes bounded are free.
        chart.fixed = self
            .fixed
            .iter()
            .copied()
            .filter(|&j| !chart.ranges[j].is_small())
            .collect();
        chart.factor_common_monomial();
        chart
    }

    /// Move the common monomial factor of the generators into α (identities 1 and 2
    /// keep holding: G = y^δ·G').
    pub fn factor_common_monomial(&mut self) {
        let n = self.nvars();
        let mut delta: Option<Exponent> = None;
        for g in self.gens.iter().filter(|g| !g.is_zero()) {
            let m = g.monomial_gcd();
            delta = Some(match delta {
                None => m,
                Some(d) => d.iter().zip(&m).map(|(a, b)| *a.min(b)).collect(),
            });
        }
        let delta = delta.unwrap_or_else(|| vec![0; n]);
        if delta.iter().all(|&k| k == 0) {
            return;
        }
        for g in &mut self.gens {
            if let Some(q) = g.div_monomial(&delta) {
                *g = q;
            }
        }
        for (a, d) in self.alpha.iter_mut().zip(&delta) {
            *a += d;
        }
    }

    /// Elementary operation G_k ← G_k − q·G_l (k ≠ l); T and S follow
    /// (T ← T·E⁻¹, S ← E·S with E = I − q·e_k e_lᵀ).
    pub fn subtract_multiple(&mut self, k: usize, l: usize, q: &Poly) {
        debug_assert_ne!(k, l);
        if q.is_zero() {
            return;
        }
        self.gens[k] = &self.gens[k] - &(q * &self.gens[l]);
        // T·E⁻¹: column l gains q·(column k).
        for row in &mut self.to_input {
            let add = q * &row[k];
            row[l] = &row[l] + &add;
        }
        // E·S: row k loses q·(row l).
        let row_l = self.to_chart[l].clone();
        for (x, y) in self.to_chart[k].iter_mut().zip(&row_l) {
            *x = &*x - &(q * y);
        }
    }
}

impl Chart {
    /// Pseudo-division step G_k ← c·G_k − q·G_l (k ≠ l) by a unit c on C. The ideal is
    /// unchanged near C; identity 1 gains the unit factor: U_F ← c·U_F, T's column l
    /// becomes c·T_l + q·T_k, its column k stays, its other columns are multiplied by c;
    /// S's row k becomes c·S_k − q·S_l.
    pub fn pseudo_reduce(&mut self, k: usize, l: usize, c: &Poly, q: &Poly) {
        debug_assert_ne!(k, l);
        self.gens[k] = &(c * &self.gens[k]) - &(q * &self.gens[l]);
        for row in &mut self.to_input {
            let tk = row[k].clone();
            for (j, x) in row.iter_mut().enumerate() {
                if j == l {
                    *x = &(c * &*x) + &(q * &tk);
                } else if j != k {
                    *x = c * &*x;
                }
            }
        }
        let row_l = self.to_chart[l].clone();
        for (x, y) in self.to_chart[k].iter_mut().zip(&row_l) {
            *x = &(c * &*x) - &(q * y);
        }
        self.input_unit = c * &self.input_unit;
    }
}

impl Chart {
    /// Simultaneous pseudo-division G_k ← c·G_k − q_k·G_l for every (k, q_k) in
    /// `reductions` (k ≠ l, distinct) by one unit c: identity 1 gains the factor c once
    /// (U_F ← c·U_F) however many generators are reduced, where one
    /// [`Chart::pseudo_reduce`] per generator would multiply T by c that many times.
    /// T: a reduced column k stays, column l becomes c·T_l + Σ q_k·T_k, every other column
    /// is multiplied by c; S: row k becomes c·S_k − q_k·S_l.
    pub fn pseudo_reduce_many(&mut self, reductions: &[(usize, Poly)], l: usize, c: &Poly) {
        debug_assert!(reductions.iter().all(|(k, _)| *k != l));
        for (k, q) in reductions {
            self.gens[*k] = &(c * &self.gens[*k]) - &(q * &self.gens[l]);
        }
        let reduced = |j: usize| reductions.iter().any(|(k, _)| *k == j);
        for row in &mut self.to_input {
            let mut new_l = c * &row[l];
            for (k, q) in reductions {
                new_l = &new_l + &(q * &row[*k]);
            }
            for (j, x) in row.iter_mut().enumerate() {
                if j == l {
                    *x = new_l.clone();
                } else if !reduced(j) {
                    *x = c * &*x;
                }
            }
        }
        let row_l = self.to_chart[l].clone();
        for (k, q) in reductions {
            for (x, y) in self.to_chart[*k].iter_mut().zip(&row_l) {
                *x = &(c * &*x) - &(q * y);
            }
        }
        self.input_unit = c * &self.input_unit;
    }
}

/// Split a polynomial that is a monomial times a polynomial into (exponent, rest).
fn split_monomial(p: &Poly) -> (Exponent, Poly) {
    let e = p.monomial_gcd();
    match p.div_monomial(&e) {
        Some(q) => (e, q),
        None => (vec![0; p.nvars()], p.clone()),
    }
}

/// The substitution and Jacobian determinant of a blow-up chart.
pub fn blowup_substitution(n: usize, centre: &[usize], chart: usize) -> (Vec<Poly>, Poly) {
    let s = Poly::var(n, chart);
    let subst = (0..n)
        .map(|j| {
            if j != chart && centre.contains(&j) {
                &s * &Poly::var(n, j)
            } else {
                Poly::var(n, j)
            }
        })
        .collect();
    // Lower triangular after ordering the chart coordinate last: det = s^{|S|−1}.
    let mut e = vec![0; n];
    e[chart] = (centre.len() - 1) as u32;
    (subst, Poly::monomial(n, e, Rational::one()))
}

/// The substitution of a translation y_j = c + y_j (Jacobian 1).
pub fn translate_substitution(n: usize, coord: usize, to: &Rational) -> Vec<Poly> {
    (0..n)
        .map(|j| {
            if j == coord {
                &Poly::var(n, j) + &Poly::constant(n, to.clone())
            } else {
                Poly::var(n, j)
            }
        })
        .collect()
}

/// The substitution y_j = (y_j − r)/c (Jacobian 1/c).
pub fn coordinate_substitution(
    n: usize,
    coord: usize,
    c: &Rational,
    r: &Poly,
) -> (Vec<Poly>, Poly) {
    let inv = Rational::one() / c;
    let subst = (0..n)
        .map(|j| {
            if j == coord {
                (&Poly::var(n, j) - r).scale(&inv)
            } else {
                Poly::var(n, j)
            }
        })
        .collect();
    (subst, Poly::constant(n, inv))
}

/// Whether every term of `p` contains a small coordinate (so p = 0 on C).
pub fn vanishes_on_c(p: &Poly, ranges: &[Range]) -> bool {
    p.terms()
        .all(|(e, _)| e.iter().zip(ranges).any(|(k, r)| *k > 0 && r.is_small()))
}

/// An interval enclosure of p on C (small coordinates 0, bounded ones in their
/// intervals) by interval arithmetic term by term: [lo, hi] ⊇ p(C).
pub fn enclosure(p: &Poly, ranges: &[Range]) -> (Rational, Rational) {
    let zero = Rational::from_integer(0.into());
    let mut lo = zero.clone();
    let mut hi = zero.clone();
    for (e, c) in p.terms() {
        let mut t = (c.clone(), c.clone());
        for (k, r) in e.iter().zip(ranges) {
            if *k == 0 {
                continue;
            }
            let (a, b) = match r {
                Range::Small => (zero.clone(), zero.clone()),
                Range::Interval(a, b) => power_interval(a, b, *k),
            };
            let products = [&t.0 * &a, &t.0 * &b, &t.1 * &a, &t.1 * &b];
            let min = products
                .iter()
                .min()
                .cloned()
                .unwrap_or_else(|| zero.clone());
            let max = products
                .iter()
                .max()
                .cloned()
                .unwrap_or_else(|| zero.clone());
            t = (min, max);
        }
        lo += t.0;
        hi += t.1;
    }
    (lo, hi)
}

/// [a, b]^k.
fn power_interval(a: &Rational, b: &Rational, k: u32) -> (Rational, Rational) {
    let pa = num_traits::pow(a.clone(), k as usize);
    let pb = num_traits::pow(b.clone(), k as usize);
    let zero = Rational::from_integer(0.into());
    let (mut lo, hi) = if pa <= pb { (pa, pb) } else { (pb, pa) };
    if k % 2 == 0 && *a <= zero && zero <= *b {
        lo = zero;
    }
    (lo, hi)
}
