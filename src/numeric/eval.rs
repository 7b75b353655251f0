//! A fast f64 evaluator compiled from the exact polynomial (or ideal), with exact-gradient
//! evaluation — the only thing the numeric module shares with the exact engine.
//!
//! A polynomial becomes a list of terms `c · Π w_v^{p_v}` with the coefficient rounded to
//! f64 and only the variables that occur kept. For an ideal ⟨f_1, …, f_k⟩ the generators
//! are compiled one by one and K = Σ f_i² is formed at evaluation time: expanding the sum
//! of squares first would lose the cancellation-free form of each generator (DESIGN §3,
//! trap 4, has the exact-arithmetic version of the same lesson).
//!
//! Rounding: every evaluation can also return a bound on its rounding error (the sum of
//! the terms' absolute values times a small multiple of the unit roundoff), so that a
//! sampler tempered to very large β can tell when β·K stops being meaningful.

use crate::poly::{Poly, Rational};
use crate::problem::{Problem, Target};
use num_traits::ToPrimitive;

/// An orthonormal basis of {x ∈ ℝ^d : r·x = 0 for every row r} (reduced row echelon
/// form, then Gram–Schmidt on the free-variable basis).
fn null_space(mut rows: Vec<Vec<f64>>, d: usize) -> Vec<Vec<f64>> {
    let mut pivots = Vec::new();
    let mut r = 0;
    for c in 0..d {
        let Some(best) =
            (r..rows.len()).max_by(|&i, &j| rows[i][c].abs().total_cmp(&rows[j][c].abs()))
        else {
            break;
        };
        if rows[best][c].abs() < 1e-9 {
            continue;
        }
        rows.swap(r, best);
        let pivot = rows[r][c];
        rows[r].iter_mut().for_each(|x| *x /= pivot);
        for i in 0..rows.len() {
            if i != r && rows[i][c] != 0.0 {
                let f = rows[i][c];
                let (src, dst) = if i < r {
                    let (a, b) = rows.split_at_mut(r);
                    (&b[0], &mut a[i])
                } else {
                    let (a, b) = rows.split_at_mut(i);
                    (&a[r], &mut b[0])
                };
                dst.iter_mut()
                    .zip(src.iter())
                    .for_each(|(x, y)| *x -= f * y);
            }
        }
        pivots.push(c);
        r += 1;
    }
    let mut basis: Vec<Vec<f64>> = Vec::new();
    for free in (0..d).filter(|c| !pivots.contains(c)) {
        let mut v = vec![0.0; d];
        v[free] = 1.0;
        for (i, &c) in pivots.iter().enumerate() {
            v[c] = -rows[i][free];
        }
        for b in &basis {
            let dot: f64 = v.iter().zip(b).map(|(x, y)| x * y).sum();
            v.iter_mut().zip(b).for_each(|(x, y)| *x -= dot * y);
        }
        let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 1e-9 {
            v.iter_mut().for_each(|x| *x /= norm);
            basis.push(v);
        }
    }
    basis
}

/// One term `coefficient · Π w_var^power`.
#[derive(Clone, Debug)]
struct Term {
    coefficient: f64,
    /// The rounding error of `coefficient` (the exact rational minus it), for the
    /// double-double evaluation.
    coefficient_lo: f64,
    factors: Vec<(usize, i32)>,
}

/// Double-double arithmetic (Dekker 1971; Hida, Li & Bailey 2001, "Algorithms for
/// quad-double precision floating point arithmetic"): a value hi + lo with |lo| ≤ ulp(hi)/2,
/// about 106 bits. Used where the terms of a polynomial cancel to far below their size.
#[derive(Clone, Copy, Debug)]
struct DoubleDouble(f64, f64);

impl DoubleDouble {
    fn two_sum(a: f64, b: f64) -> DoubleDouble {
        let s = a + b;
        let bb = s - a;
        DoubleDouble(s, (a - (s - bb)) + (b - bb))
    }
    fn add(self, o: DoubleDouble) -> DoubleDouble {
        let DoubleDouble(s, e) = Self::two_sum(self.0, o.0);
        let e = e + self.1 + o.1;
        let hi = s + e;
        DoubleDouble(hi, e - (hi - s))
    }
    fn mul(self, o: DoubleDouble) -> DoubleDouble {
        let p = self.0 * o.0;
        // The exact error of the product by a fused multiply-add.
        let e = self.0.mul_add(o.0, -p) + (self.0 * o.1 + self.1 * o.0);
        let hi = p + e;
        DoubleDouble(hi, e - (hi - p))
    }
}

/// A polynomial compiled to f64 terms.
#[derive(Clone, Debug)]
pub struct CompiledPoly {
    nvars: usize,
    terms: Vec<Term>,
}

impl CompiledPoly {
    /// Compile an exact polynomial (coefficients rounded to the nearest f64).
    pub fn new(p: &Poly) -> CompiledPoly {
        let terms = p
            .terms()
            .map(|(e, c)| Term {
                coefficient: c.to_f64().unwrap_or(f64::NAN),
                coefficient_lo: c
                    .to_f64()
                    .and_then(|hi| Rational::from_float(hi).map(|h| c - h))
                    .and_then(|r| r.to_f64())
                    .unwrap_or(0.0),
                factors: e
                    .iter()
                    .enumerate()
                    .filter(|(_, &k)| k > 0)
                    .map(|(v, &k)| (v, k as i32))
                    .collect(),
            })
            .collect();
        CompiledPoly {
            nvars: p.nvars(),
            terms,
        }
    }

    /// Number of variables.
    pub fn nvars(&self) -> usize {
        self.nvars
    }

    /// The polynomial times `factor` (√c of K = c·g²; the product is rounded, which
    /// changes K by a relative 2ε, harmless, unlike rounding errors that do not scale
    /// with K).
    fn scaled(mut self, factor: f64) -> CompiledPoly {
        self.terms.iter_mut().for_each(|t| {
            t.coefficient *= factor;
            t.coefficient_lo *= factor;
        });
        self
    }

    /// The value at `w` in double-double arithmetic, rounded to f64, and the sum of the
    /// terms' absolute values.
    pub fn value_and_scale_accurate(&self, w: &[f64]) -> (f64, f64) {
        let mut sum = DoubleDouble(0.0, 0.0);
        let mut scale = 0.0;
        for t in &self.terms {
            let mut x = DoubleDouble(t.coefficient, t.coefficient_lo);
            for &(v, k) in &t.factors {
                let wv = DoubleDouble(w[v], 0.0);
                for _ in 0..k {
                    x = x.mul(wv);
                }
            }
            scale += x.0.abs();
            sum = sum.add(x);
        }
        (sum.0 + sum.1, scale)
    }

    /// The value at `w` and the sum of the absolute values of the terms (the scale of the
    /// rounding error).
    pub fn value_and_scale(&self, w: &[f64]) -> (f64, f64) {
        let mut sum = 0.0;
        let mut scale = 0.0;
        for t in &self.terms {
            let mut x = t.coefficient;
            for &(v, k) in &t.factors {
                x *= w[v].powi(k);
            }
            sum += x;
            scale += x.abs();
        }
        (sum, scale)
    }

    /// The value at `w`.
    pub fn value(&self, w: &[f64]) -> f64 {
        self.value_and_scale(w).0
    }

    /// The value at `w`; the gradient is *added* to `grad` scaled by `factor`
    /// (so that Σ f_i² can accumulate 2 f_i ∇f_i without a temporary).
    pub fn value_and_add_gradient(
        &self,
        w: &[f64],
        factor_of_value: impl Fn(f64) -> f64,
        grad: &mut [f64],
    ) -> f64 {
        let v = self.value(w);
        let factor = factor_of_value(v);
        if factor == 0.0 {
            return v;
        }
        for t in &self.terms {
            for (j, &(u, k)) in t.factors.iter().enumerate() {
                // ∂/∂w_u of c·Π w_v^{p_v} = c·p_u·w_u^{p_u−1}·Π_{v≠u} w_v^{p_v}.
                let mut x = t.coefficient * f64::from(k) * w[u].powi(k - 1);
                for (i, &(v, p)) in t.factors.iter().enumerate() {
                    if i != j {
                        x *= w[v].powi(p);
                    }
                }
                grad[u] += factor * x;
            }
        }
        v
    }

    /// Largest power of any variable (for cost estimates).
    fn cost(&self) -> usize {
        self.terms.iter().map(|t| 1 + t.factors.len()).sum()
    }
}

/// What the sampler needs of K: values with a rounding bound (plain and accurate), and
/// exact gradients. [`Evaluator`] is K compiled from the exact polynomial; a data model's
/// empirical loss is another ([`super::data`]).
pub trait Potential: Sync {
    /// Number of variables.
    fn nvars(&self) -> usize;
    /// K(w) and a bound on its rounding error.
    fn value_with_error(&self, w: &[f64]) -> (f64, f64);
    /// The same, computed more accurately where the plain error is too large.
    fn value_with_error_accurate(&self, w: &[f64]) -> (f64, f64) {
        self.value_with_error(w)
    }
    /// K(w), its gradient written into `grad`.
    fn value_and_gradient(&self, w: &[f64], grad: &mut [f64]) -> f64;
    /// Weight vectors of diagonal scalings that map the zero set of K onto itself
    /// ([`Evaluator::scaling_directions`]); none by default.
    fn scaling_directions(&self) -> Vec<Vec<f64>> {
        Vec::new()
    }
    /// Whether K ≥ 0 is required (a negative value beyond rounding is then an input
    /// error); an empirical loss minus its value at w* may dip below zero.
    fn nonnegative(&self) -> bool {
        true
    }
}

impl Potential for Evaluator {
    fn nvars(&self) -> usize {
        Evaluator::nvars(self)
    }
    fn value_with_error(&self, w: &[f64]) -> (f64, f64) {
        Evaluator::value_with_error(self, w)
    }
    fn value_with_error_accurate(&self, w: &[f64]) -> (f64, f64) {
        Evaluator::value_with_error_accurate(self, w)
    }
    fn value_and_gradient(&self, w: &[f64], grad: &mut [f64]) -> f64 {
        Evaluator::value_and_gradient(self, w, grad)
    }
    fn scaling_directions(&self) -> Vec<Vec<f64>> {
        Evaluator::scaling_directions(self)
    }
}

/// K compiled to f64: one polynomial, or a sum of squares of generators.
#[derive(Clone, Debug)]
pub struct Evaluator {
    nvars: usize,
    polys: Vec<CompiledPoly>,
    squared: bool,
}

/// Unit roundoff of f64, times a small factor for the few operations per term.
const ROUNDING: f64 = 8.0 * f64::EPSILON;
/// The same for double-double evaluation (plus the final rounding to f64, which is
/// relative to the value and added separately).
const ROUNDING_DD: f64 = 32.0 * f64::EPSILON * f64::EPSILON;

impl Evaluator {
    /// Compile the target of a problem (K around the true point, which [`Problem`] has
    /// already moved to the origin).
    pub fn new(problem: &Problem) -> Evaluator {
        Self::from_target(&problem.target)
    }

    /// Compile K or an ideal.
    pub fn from_target(target: &Target) -> Evaluator {
        match target {
            // K = c·g² is evaluated as c·g(w)²: near the zero set of g the expanded terms of
            // K cancel to ~1/β, and their rounding (ε times the terms' size) would swamp
            // β·K long before the ladder ends; g itself has no such cancellation.
            Target::Poly(p) => match p.sqrt() {
                Some((c, g)) => Evaluator {
                    nvars: p.nvars(),
                    polys: vec![CompiledPoly::new(&g).scaled(c.to_f64().unwrap_or(f64::NAN).sqrt())],
                    squared: true,
                },
                None => Evaluator {
                    nvars: p.nvars(),
                    polys: vec![CompiledPoly::new(p)],
                    squared: false,
                },
            },
            Target::Ideal(i) => Evaluator {
                nvars: i.nvars(),
                polys: i.generators().iter().map(CompiledPoly::new).collect(),
                squared: true,
            },
        }
    }

    /// Number of variables.
    pub fn nvars(&self) -> usize {
        self.nvars
    }

    /// K(w).
    pub fn value(&self, w: &[f64]) -> f64 {
        if self.squared {
            self.polys
                .iter()
                .map(|p| {
                    let v = p.value(w);
                    v * v
                })
                .sum()
        } else {
            self.polys[0].value(w)
        }
    }

    /// K(w) and a bound on its rounding error.
    pub fn value_with_error(&self, w: &[f64]) -> (f64, f64) {
        if self.squared {
            let mut k = 0.0;
            let mut err = 0.0;
            for p in &self.polys {
                let (v, s) = p.value_and_scale(w);
                let e = ROUNDING * s;
                k += v * v;
                err += 2.0 * v.abs() * e + e * e;
            }
            (k, err + ROUNDING * k)
        } else {
            let (v, s) = self.polys[0].value_and_scale(w);
            (v, ROUNDING * s)
        }
    }

    /// K(w) and a bound on its rounding error, the generators (or K) evaluated in
    /// double-double arithmetic: slower, but the error no longer scales with the size of
    /// the terms that cancel, so the ladder can go on to β ≈ 10⁴⁰.
    pub fn value_with_error_accurate(&self, w: &[f64]) -> (f64, f64) {
        if self.squared {
            let mut k = 0.0;
            let mut err = 0.0;
            for p in &self.polys {
                let (v, s) = p.value_and_scale_accurate(w);
                let e = ROUNDING_DD * s + f64::EPSILON * v.abs();
                k += v * v;
                err += 2.0 * v.abs() * e + e * e;
            }
            (k, err + ROUNDING * k)
        } else {
            let (v, s) = self.polys[0].value_and_scale_accurate(w);
            (v, ROUNDING_DD * s + f64::EPSILON * v.abs())
        }
    }

    /// K(w) and its gradient, written into `grad` (length [`Self::nvars`]).
    pub fn value_and_gradient(&self, w: &[f64], grad: &mut [f64]) -> f64 {
        grad.iter_mut().for_each(|g| *g = 0.0);
        if self.squared {
            self.polys
                .iter()
                .map(|p| {
                    let v = p.value_and_add_gradient(w, |v| 2.0 * v, grad);
                    v * v
                })
                .sum()
        } else {
            self.polys[0].value_and_add_gradient(w, |_| 1.0, grad)
        }
    }

    /// An orthonormal basis of the weight vectors e ∈ ℝ^d for which every compiled
    /// polynomial (every generator of an ideal, or K) is quasi-homogeneous: all its
    /// monomials w^α have the same weighted degree ⟨e, α⟩. The diagonal scalings
    /// w_i ↦ s^{e_i}·w_i then multiply each generator by a power of s, so they map the zero
    /// set of K onto itself and, along it, only rescale how far K is from 0: the torus of
    /// such scalings acts on the zero set (the weight lattice of a quasi-homogeneous
    /// ideal). Empty when the only such e is 0. Computed from the monomials' exponents
    /// alone (the null space of the differences α − α' within each polynomial), by
    /// Gaussian elimination with partial pivoting; the exponents are small integers, so
    /// f64 is exact enough, and the sampler only uses the result as a proposal
    /// direction (any direction is a valid Metropolis–Hastings proposal).
    pub fn scaling_directions(&self) -> Vec<Vec<f64>> {
        let d = self.nvars;
        let mut rows: Vec<Vec<f64>> = Vec::new();
        for p in &self.polys {
            let exps: Vec<Vec<f64>> = p
                .terms
                .iter()
                .map(|t| {
                    let mut e = vec![0.0; d];
                    for &(v, k) in &t.factors {
                        e[v] = f64::from(k);
                    }
                    e
                })
                .collect();
            if let Some(first) = exps.first() {
                for e in &exps[1..] {
                    rows.push(e.iter().zip(first).map(|(a, b)| a - b).collect());
                }
            }
        }
        null_space(rows, d)
    }

    /// A rough count of floating-point operations per evaluation of K (for budgets that
    /// must not depend on the clock, so that a seed fixes the result).
    pub fn cost(&self) -> usize {
        self.polys.iter().map(CompiledPoly::cost).sum::<usize>() + self.polys.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::InputSpec;

    fn problem(poly: Option<&str>, ideal: Option<&str>) -> Problem {
        Problem::parse(&InputSpec {
            poly: poly.map(Into::into),
            ideal: ideal.map(Into::into),
            ..Default::default()
        })
        .unwrap()
    }

    /// The span of the directions, as the rank of the basis and the projection of `e`
    /// onto it (the basis is orthonormal).
    fn projection(basis: &[Vec<f64>], e: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; e.len()];
        for b in basis {
            let dot: f64 = b.iter().zip(e).map(|(x, y)| x * y).sum();
            out.iter_mut().zip(b).for_each(|(o, x)| *o += dot * x);
        }
        out
    }

    #[test]
    fn scaling_directions_are_the_quasi_homogeneous_weights() {
        // x² − y³: weights (3, 2), one direction.
        let e = Evaluator::new(&problem(Some("(x^2 - y^3)^2"), None));
        let dirs = e.scaling_directions();
        assert_eq!(dirs.len(), 1);
        let r = dirs[0][0] / dirs[0][1];
        assert!((r - 1.5).abs() < 1e-12, "{dirs:?}");
        // The moments of a two-unit network, ⟨b1 a1 + b2 a2, b1 a1³ + b2 a2³⟩ (variables
        // a1, a2, b1, b2 in order of appearance: b1, a1, b2, a2): every a_h scales
        // together and every b_h together, a two-dimensional torus.
        let e = Evaluator::new(&problem(None, Some("b1*a1 + b2*a2, b1*a1^3 + b2*a2^3")));
        let dirs = e.scaling_directions();
        assert_eq!(dirs.len(), 2, "{dirs:?}");
        for d in &dirs {
            let n: f64 = d.iter().map(|x| x * x).sum();
            assert!((n - 1.0).abs() < 1e-12);
        }
        let names = e.nvars();
        assert_eq!(names, 4);
        let pb = problem(None, Some("b1*a1 + b2*a2, b1*a1^3 + b2*a2^3"));
        let idx = |v: &str| pb.ring.names().iter().position(|n| n == v).unwrap();
        let mut a_only = vec![0.0; 4];
        a_only[idx("a1")] = 1.0;
        a_only[idx("a2")] = 1.0;
        let p = projection(&dirs, &a_only);
        assert!(
            p.iter().zip(&a_only).all(|(x, y)| (x - y).abs() < 1e-12),
            "{p:?}"
        );
        // a1 alone is not a weight of the torus: its projection is a1 and a2 halved.
        let mut a1 = vec![0.0; 4];
        a1[idx("a1")] = 1.0;
        let p = projection(&dirs, &a1);
        assert!((p[idx("a1")] - 0.5).abs() < 1e-12 && (p[idx("a2")] - 0.5).abs() < 1e-12);
        // x + y + x y: no nonzero weight makes it quasi-homogeneous.
        let e = Evaluator::new(&problem(Some("(x + y + x*y)^2"), None));
        assert!(e.scaling_directions().is_empty());
    }

    /// Near the zero set of a generator whose terms cancel, the double-double value keeps
    /// its relative accuracy where the plain one has lost it.
    #[test]
    fn double_double_survives_cancellation() {
        let p = problem(None, Some("x^2 - y^2 + 1/3*x^3"));
        let e = Evaluator::new(&p);
        // A point of f64 close to the zero set; the exact K at that f64 point is the oracle.
        let w = [0.7, 0.7 * (1.0 + 0.7f64 / 3.0).sqrt()];
        let q = [
            Rational::from_float(w[0]).unwrap(),
            Rational::from_float(w[1]).unwrap(),
        ];
        let exact = match &p.target {
            Target::Ideal(i) => i.sum_of_squares().eval(&q).to_f64().unwrap(),
            Target::Poly(_) => unreachable!(),
        };
        let (v, err) = e.value_with_error_accurate(&w);
        assert!(exact < 1e-25, "{exact}");
        assert!(
            (v - exact).abs() <= err && err < 1e-40,
            "{v} vs {exact} ± {err}"
        );
        let (_, err_plain) = e.value_with_error(&w);
        assert!(err_plain > 1e6 * err);
    }

    /// Values against exact rational evaluation, gradients against the exact derivative.
    #[test]
    fn values_and_gradients_match_exact_evaluation() {
        let cases = [
            problem(Some("(x^2 + y^2 - z^2)^2 + 3/7*x^6"), None),
            problem(Some("5/3*(9*x + 38*y^2*z)^2"), None),
            problem(None, Some("a1*b1 + a2*b2, a1*b1^3 + a2*b2^3")),
            problem(None, Some("9*x + 38*y^2*z, x*y - 1/3*z^3")),
        ];
        let points: [[i64; 4]; 3] = [[1, -2, 3, 5], [-7, 4, 2, -1], [3, 3, -5, 2]];
        for p in &cases {
            let e = Evaluator::new(p);
            let k_exact = match &p.target {
                Target::Poly(k) => k.clone(),
                Target::Ideal(i) => i.sum_of_squares(),
            };
            let n = p.ring.nvars();
            for pt in &points {
                let q: Vec<Rational> = pt[..n]
                    .iter()
                    .map(|&a| Rational::new(a.into(), 4.into()))
                    .collect();
                let w: Vec<f64> = q.iter().map(|r| r.to_f64().unwrap()).collect();
                let exact = k_exact.eval(&q).to_f64().unwrap();
                let (v, err) = e.value_with_error(&w);
                assert!(
                    (v - exact).abs() <= 1e-12 * exact.abs().max(1.0),
                    "{v} vs {exact}"
                );
                assert!(err >= 0.0 && err < 1e-10 * exact.abs().max(1.0));
                let mut g = vec![0.0; n];
                let v2 = e.value_and_gradient(&w, &mut g);
                assert!((v2 - exact).abs() <= 1e-12 * exact.abs().max(1.0));
                for (i, gi) in g.iter().enumerate() {
                    let d = k_exact.derivative(i).eval(&q).to_f64().unwrap();
                    assert!(
                        (gi - d).abs() <= 1e-10 * d.abs().max(1.0),
                        "∂{i}: {gi} vs {d}"
                    );
                }
            }
        }
    }
}
