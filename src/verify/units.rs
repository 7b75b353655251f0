//! Unit proofs (FORMAT.md *Unit proofs*): "P is nonzero at every point of C outside the
//! excepted hyperplanes".
//!
//! On C every small coordinate is 0, so only P₀ = P(small = 0), a polynomial in the
//! bounded coordinates on their box, matters. Each excepted hyperplane {y_j = c} is divided
//! out as often as it divides: P₀ = Π (y_j − c)^{k} · R, and off the hyperplanes P₀ ≠ 0 iff
//! R ≠ 0 there; it suffices that R has no zero on the whole box. Accepted proofs for R:
//! (a) a nonzero constant; (b) univariate in one bounded coordinate with no real root in its
//! closed range (Sturm, [`super::sturm`]); (c) dominance: |R(0)| > Σ_{a≠0} |c_a| Π M_j^{a_j}
//! with M_j = max(|lo_j|, |hi_j|), so |R(y)| ≥ |R(0)| − Σ |c_a y^a| > 0 on the box.

use super::structure::Range;
use super::sturm;
use crate::poly::{format_rational, Poly, Rational};
use num_traits::{Signed, Zero};

/// Prove `p` nonzero on C outside the excepted hyperplanes `except` (pairs (j, c)).
///
/// # Errors
/// A one-line reason when none of the accepted proofs applies.
pub(super) fn prove_nonzero(
    p: &Poly,
    ranges: &[Range],
    except: &[(usize, Rational)],
) -> Result<(), String> {
    let n = p.nvars();
    let is_small = |j: usize| matches!(ranges.get(j), Some(None));
    // Restrict to C: small coordinates are 0.
    let mut r = p.filter_terms(|e| (0..n).all(|j| e[j] == 0 || !is_small(j)));
    if r.is_zero() {
        return Err("it vanishes identically on C".into());
    }
    for (j, c) in except {
        r = divide_out(&r, *j, c);
    }
    if r.is_constant() {
        return Ok(());
    }
    // (e) An isolated zero: for some choice of excepted values p_j (one excepted
    // hyperplane {y_j = p_j} for every variable of r), r translated to p has positive
    // terms with even exponents, no constant and a pure power of each variable, so p is
    // its only zero, and p lies on the excepted hyperplanes.
    if isolated_zero_on_excepted(&r, except) {
        return Ok(());
    }
    // (f) A quadratic with positive semidefinite Hessian and a positive value at a
    // critical point: positive everywhere.
    if positive_quadratic(&r) {
        return Ok(());
    }
    // (d) A positive constant plus positive terms with even exponents.
    if r.constant_term().is_positive()
        && r.terms()
            .all(|(e, c)| c.is_positive() && e.iter().all(|k| k % 2 == 0))
    {
        return Ok(());
    }
    let used = r.used_vars();
    if let [j] = used[..] {
        let Some(Some((lo, hi))) = ranges.get(j) else {
            return Err(format!("coordinate {j} has no bounded range"));
        };
        let coeffs = univariate(&r, j);
        return match sturm::count_roots_closed(&coeffs, lo, hi) {
            Some(0) => Ok(()),
            Some(k) => Err(format!(
                "after removing the excepted factors it has {k} real root(s) in coordinate {j} ∈ [{}, {}]",
                format_rational(lo),
                format_rational(hi)
            )),
            None => Err("it vanishes identically".into()),
        };
    }
    if dominated(&r, ranges) || dominated_off_extremes(&r, ranges, except) {
        Ok(())
    } else {
        Err(format!(
            "the remaining factor in coordinates {used:?} is neither constant, univariate nor dominated by its constant term"
        ))
    }
}

/// Divide `p` by (y_j − c) as often as possible: translate y_j ↦ y_j + c, divide by the
/// largest power of y_j, translate back.
fn divide_out(p: &Poly, j: usize, c: &Rational) -> Poly {
    let n = p.nvars();
    if j >= n {
        return p.clone();
    }
    let shift = |q: &Poly, by: &Rational| {
        q.substitute(j, &(&Poly::var(n, j) + &Poly::constant(n, by.clone())))
    };
    let moved = shift(p, c);
    let k = moved.monomial_gcd()[j];
    if k == 0 {
        return p.clone();
    }
    let mut e = vec![0; n];
    e[j] = k;
    match moved.div_monomial(&e) {
        Some(q) => shift(&q, &-c.clone()),
        None => p.clone(),
    }
}

/// Dense coefficients of `p` in variable `j` (the only variable it uses).
pub(super) fn univariate(p: &Poly, j: usize) -> Vec<Rational> {
    let deg = p.degree_in(j).unwrap_or(0) as usize;
    let mut out = vec![Rational::zero(); deg + 1];
    for (e, c) in p.terms() {
        out[e[j] as usize] += c;
    }
    out
}

/// |constant term| > Σ |c_a| Π M_j^{a_j} over the other terms.
fn dominated(p: &Poly, ranges: &[Range]) -> bool {
    let n = p.nvars();
    let bound: Vec<Option<Rational>> = (0..n)
        .map(|j| match ranges.get(j) {
            Some(Some((lo, hi))) => Some(lo.abs().max(hi.abs())),
            _ => None,
        })
        .collect();
    let mut rest = Rational::zero();
    for (e, c) in p.terms() {
        if e.iter().all(|&k| k == 0) {
            continue;
        }
        let mut t = c.abs();
        for (j, &k) in e.iter().enumerate() {
            if k == 0 {
                continue;
            }
            match &bound[j] {
                Some(m) => t *= num_traits::pow(m.clone(), k as usize),
                None => return false,
            }
        }
        rest += t;
    }
    p.constant_term().abs() > rest
}

/// Rule (g) of [`prove_nonzero`] (FORMAT.md Addendum 11): |c₀| ≥ Σ_{a≠0} |c_a| Π M_j^{a_j}
/// with c₀ ≠ 0, and every term with a positive bound has a variable y_j whose extreme
/// values (the ends e of its range with |e| = M_j) are all excepted hyperplanes. Off
/// those hyperplanes |y_j| < M_j, so that term is strictly below its bound, and
/// |p(y)| ≥ |c₀| − Σ |c_a y^a| > |c₀| − Σ bounds ≥ 0.
fn dominated_off_extremes(p: &Poly, ranges: &[Range], except: &[(usize, Rational)]) -> bool {
    let c0 = p.constant_term().abs();
    if c0.is_zero() {
        return false;
    }
    let mut rest = Rational::zero();
    for (e, c) in p.terms() {
        if e.iter().all(|&k| k == 0) {
            continue;
        }
        let mut t = c.abs();
        let mut strict = false;
        for (j, &k) in e.iter().enumerate() {
            if k == 0 {
                continue;
            }
            let Some(Some((lo, hi))) = ranges.get(j) else {
                return false;
            };
            let m = lo.abs().max(hi.abs());
            strict |= m.is_positive()
                && [lo, hi]
                    .into_iter()
                    .filter(|end| end.abs() == m)
                    .all(|end| except.iter().any(|(i, c)| *i == j && c == end));
            t *= num_traits::pow(m, k as usize);
        }
        if t.is_positive() && !strict {
            return false;
        }
        rest += t;
    }
    c0 >= rest
}

/// Rule (e) of [`prove_nonzero`].
fn isolated_zero_on_excepted(r: &Poly, except: &[(usize, Rational)]) -> bool {
    let n = r.nvars();
    let vars = r.used_vars();
    if vars.is_empty() || vars.len() > 8 {
        return false;
    }
    let choices: Vec<Vec<&Rational>> = vars
        .iter()
        .map(|j| {
            except
                .iter()
                .filter(|(i, _)| i == j)
                .map(|(_, c)| c)
                .collect()
        })
        .collect();
    if choices.iter().any(Vec::is_empty) {
        return false;
    }
    let total: usize = choices.iter().map(Vec::len).product();
    if total > 4096 {
        return false;
    }
    for mut idx in 0..total {
        let mut point = vec![Rational::zero(); n];
        for (b, &j) in vars.iter().enumerate() {
            point[j] = choices[b][idx % choices[b].len()].clone();
            idx /= choices[b].len();
        }
        let t = r.translate(&point);
        let even_positive = t
            .terms()
            .all(|(e, c)| c.is_positive() && e.iter().all(|k| k % 2 == 0));
        let pure = |j: usize| {
            t.terms()
                .any(|(e, _)| e[j] > 0 && e.iter().enumerate().all(|(i, &k)| i == j || k == 0))
        };
        if even_positive && t.constant_term().is_zero() && vars.iter().all(|&j| pure(j)) {
            return true;
        }
    }
    false
}

/// Divide p by (y_j − c) as often as possible for every avoided hyperplane {y_j = c}.
pub(super) fn strip_avoided(p: &Poly, avoided: &[(usize, Rational)]) -> Poly {
    let mut r = p.clone();
    for (j, c) in avoided {
        r = divide_out(&r, *j, c);
    }
    r
}

/// Rule (f) of [`prove_nonzero`]: total degree ≤ 2, Hessian positive semidefinite (by
/// symmetric elimination), and the value at a solution of ∇r = 0 positive.
fn positive_quadratic(r: &Poly) -> bool {
    if r.total_degree().is_none_or(|d| d > 2) {
        return false;
    }
    let n = r.nvars();
    let vars = r.used_vars();
    if vars.is_empty() {
        return false;
    }
    let k = vars.len();
    // Gradient rows: ∂r/∂y_i = Σ_j H_ij y_j + g_i.
    let mut hess = vec![vec![Rational::zero(); k]; k];
    let mut grad0 = vec![Rational::zero(); k];
    for (a, &i) in vars.iter().enumerate() {
        let d = r.derivative(i);
        grad0[a] = d.constant_term();
        for (b, &j) in vars.iter().enumerate() {
            let mut e = vec![0; n];
            e[j] = 1;
            hess[a][b] = d.coeff(&e);
        }
    }
    let mut m = hess.clone();
    for d in 0..k {
        let p = m[d][d].clone();
        if p.is_negative() {
            return false;
        }
        if p.is_zero() {
            if m[d].iter().skip(d + 1).any(|x| !x.is_zero()) {
                return false;
            }
            continue;
        }
        let row = m[d].clone();
        for rw in m.iter_mut().skip(d + 1) {
            let f = &rw[d] / &p;
            for (x, y) in rw.iter_mut().zip(&row).skip(d) {
                *x -= &f * y;
            }
        }
    }
    // A critical point: H·y = −g.
    let b: Vec<Rational> = grad0.iter().map(|g| -g.clone()).collect();
    let Some(y) = super::transverse::solve(hess, b) else {
        return false;
    };
    let mut point = vec![Rational::zero(); n];
    for (a, &i) in vars.iter().enumerate() {
        point[i] = y[a].clone();
    }
    r.eval(&point).is_positive()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{rat, Ring};

    fn poly(src: &str) -> Poly {
        let ring = Ring::new(vec!["x".into(), "y".into(), "z".into()]);
        ring.parse(src).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    fn unit_box() -> Vec<Range> {
        vec![Some((rat(-1), rat(1))); 3]
    }

    /// Rule (g), Addendum 11: 1 + x·y vanishes on [−1, 1]² only at the corners (1, −1),
    /// (−1, 1); with both ends of x excepted it is a unit, with one end only it is not
    /// (the corner (−1, 1) stays), and 1 + 2·x·y (zero at x·y = −1/2, inside the box) is
    /// never one.
    #[test]
    fn weak_dominance_needs_the_extreme_hyperplanes() {
        let both = [(0, rat(-1)), (0, rat(1))];
        assert!(prove_nonzero(&poly("1 + x*y"), &unit_box(), &both).is_ok());
        // Either coordinate of the term will do.
        let on_y = [(1, rat(-1)), (1, rat(1))];
        assert!(prove_nonzero(&poly("1 + x*y"), &unit_box(), &on_y).is_ok());
        assert!(prove_nonzero(&poly("1 + x*y"), &unit_box(), &both[..1]).is_err());
        assert!(prove_nonzero(&poly("1 + x*y"), &unit_box(), &[]).is_err());
        assert!(prove_nonzero(&poly("1 + 2*x*y"), &unit_box(), &both).is_err());
        // Every term needs its own excepted extreme: z is not covered.
        assert!(prove_nonzero(&poly("2 + x*y - z"), &unit_box(), &both).is_err());
        let mut all = both.to_vec();
        all.extend([(2, rat(-1)), (2, rat(1))]);
        assert!(prove_nonzero(&poly("2 + x*y - z"), &unit_box(), &all).is_ok());
        // An asymmetric range: only the end with the largest |·| must be excepted.
        let ranges = vec![Some((rat(-1), rat(2))), Some((rat(-1), rat(1))), None];
        assert!(prove_nonzero(&poly("2 + x*y"), &ranges, &[(0, rat(2))]).is_ok());
        assert!(prove_nonzero(&poly("2 + x*y"), &ranges, &[(0, rat(-1))]).is_err());
    }
}
