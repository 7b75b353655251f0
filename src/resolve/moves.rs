//! Moves of the resolver.
//!
//! # Adding a move
//! A move must (1) say how the parent's coordinates are written in the child's (a
//! polynomial substitution with a Jacobian the checker can recompute), (2) keep the
//! chart identities exact — go through [`Chart::pullback`] and
//! [`Chart::subtract_multiple`], never edit generators by hand — and (3) keep the covering
//! argument simple enough for `rlct verify` (FORMAT.md): blow-ups come in complete
//! families, translations hang off leaves, coordinate changes keep C fixed. Each move
//! comes with a trap test of DESIGN §3.

use super::chart::{
    blowup_substitution, coordinate_substitution, enclosure, translate_substitution, vanishes_on_c,
    Chart, Range,
};
use crate::poly::{Exponent, Poly, Rational};
use num_traits::One;

/// A hyperplane {y_j = c} of a bounded coordinate.
pub type Hyperplane = (usize, Rational);

/// A generator y^β·(c·y_j + r) usable as a coordinate: (generator l, coordinate j,
/// coefficient c, the hyperplanes where c vanishes that the chart does not exclude yet).
pub type CoordinateGenerator = (usize, usize, Poly, Vec<Hyperplane>);

/// A generator that is linear in a small coordinate: g = c·y_j + r, r free of y_j and
/// zero on C, with y_j not a divisor (α_j = J_j = 0). Then v = g is a coordinate and
/// the substitution y_j = (v − r)/c is triangular (DESIGN §2.2: "a generator that is
/// linear in a variable is a coordinate").
#[derive(Clone, Debug)]
pub struct LinearMove {
    /// The generator index l.
    pub generator: usize,
    /// The coordinate j.
    pub coord: usize,
    /// c.
    pub coefficient: Rational,
    /// r.
    pub rest: Poly,
}

/// Find a linear move, preferring generators with few terms.
///
/// The generator may also carry a monomial factor, g = y^β·(c·y_j + r) with β_j = 0: the
/// same substitution makes it the monomial y^β·y_j (and [`reduce_by_monomials`] then clears
/// the terms it divides elsewhere). This is what a coordinate generator left in the ideal
/// needs: in ⟨a, Σ_h a_h·d_h^k⟩ the generator a keeps the blow-up's exceptional factor from
/// being a common factor, so after the blow-up of the d-block the first strict transform is
/// s·(a_2 + a_3·e_3 + …), not a_2 + a_3·e_3 + …, and without this it is only pseudo-divided.
/// `behind_factor` chooses between the two: generators without a monomial factor (false,
/// the first move the resolver tries) or only those with one (true, its fallback when the
/// pseudo-division by such a generator gets stuck).
pub fn find_linear(chart: &Chart, behind_factor: bool) -> Option<LinearMove> {
    let n = chart.nvars();
    let mut best: Option<(usize, LinearMove)> = None;
    for (l, whole) in chart.gens.iter().enumerate() {
        let beta = whole.monomial_gcd();
        let Some(g) = whole.div_monomial(&beta) else {
            continue;
        };
        let g = &g;
        let with_factor = beta.iter().any(|&b| b > 0);
        if g.num_terms() < 2 || with_factor != behind_factor {
            continue;
        }
        for j in 0..n {
            if !chart.ranges[j].is_small()
                || chart.alpha[j] > 0
                || chart.jac[j] > 0
                || beta[j] > 0
                || g.degree_in(j) != Some(1)
            {
                continue;
            }
            let with_j: Vec<(&Exponent, &Rational)> = g.terms().filter(|(e, _)| e[j] > 0).collect();
            let [(e, c)] = with_j.as_slice() else {
                continue;
            };
            if e.iter().enumerate().any(|(i, &k)| k != u32::from(i == j)) {
                continue;
            }
            let rest = g.filter_terms(|e| e[j] == 0);
            if !vanishes_on_c(&rest, &chart.ranges) {
                continue;
            }
            let score = g.num_terms();
            if best.as_ref().is_none_or(|(s, _)| score < *s) {
                best = Some((
                    score,
                    LinearMove {
                        generator: l,
                        coord: j,
                        coefficient: (*c).clone(),
                        rest,
                    },
                ));
            }
        }
    }
    best.map(|b| b.1)
}

/// A generator g_l = c·y_j + r with c a unit on C (not necessarily constant), y_j small
/// and not a divisor, r free of y_j and zero on C: g_l is a coordinate near C (implicit
/// function theorem). Returns (l, j, c) when y_j also occurs in another generator, which
/// can then be freed of y_j by pseudo-division ([`eliminate`]).
pub fn find_unit_linear(chart: &Chart) -> Option<CoordinateGenerator> {
    coordinate_generators(chart)
        .into_iter()
        .find(|(l, j, _, _)| {
            // Some other generator contains y_j with a leading coefficient that
            // [`eliminate`] can divide by the generator's monomial factor (else nothing
            // would change, and the move would repeat forever).
            let beta = chart.gens[*l].monomial_gcd();
            let n = chart.nvars();
            chart.gens.iter().enumerate().any(|(k, g)| {
                let Some(e) = g.degree_in(*j).filter(|&e| e > 0) else {
                    return false;
                };
                let mut ej = vec![0; n];
                ej[*j] = e;
                k != *l
                    && g.filter_terms(|x| x[*j] == e)
                        .div_monomial(&ej)
                        .and_then(|lead| lead.div_monomial(&beta))
                        .is_some()
            })
        })
}

/// All generators of the form c·y_j + r described in [`find_unit_linear`] (at most one
/// per coordinate), as (l, j, c, the hyperplanes where c vanishes that the chart does
/// not exclude yet).
pub fn coordinate_generators(chart: &Chart) -> Vec<CoordinateGenerator> {
    let n = chart.nvars();
    let mut out: Vec<CoordinateGenerator> = Vec::new();
    for (l, g) in chart.gens.iter().enumerate() {
        // Work with the strict part U = g / y^β: g = y^β·(c·y_j + r).
        let beta = g.monomial_gcd();
        let Some(u) = g.div_monomial(&beta) else {
            continue;
        };
        for j in 0..n {
            if !chart.ranges[j].is_small()
                || chart.alpha[j] > 0
                || chart.jac[j] > 0
                || beta[j] > 0
                || u.degree_in(j) != Some(1)
                || out.iter().any(|(ol, oj, _, _)| *ol == l || *oj == j)
            {
                continue;
            }
            let mut e = vec![0; n];
            e[j] = 1;
            let with_j = u.filter_terms(|x| x[j] > 0);
            let Some(c) = with_j.div_monomial(&e) else {
                continue;
            };
            let rest = u.filter_terms(|x| x[j] == 0);
            let c_on = chart.on_c(&c);
            if c_on.is_zero() || !vanishes_on_c(&rest, &chart.ranges) {
                continue;
            }
            // c must be a unit outside finitely many hyperplanes of bounded coordinates;
            // those not yet excluded are returned.
            if let Some(h) = super::leaf::zero_hyperplanes(&c_on, &chart.ranges) {
                let new: Vec<(usize, Rational)> = h
                    .into_iter()
                    .filter(|x| !chart.excluded.contains(x))
                    .collect();
                out.push((l, j, c, new));
                break;
            }
        }
    }
    out
}

/// Free every other generator of y_j by pseudo-division by g_l = y^β·(c·y_j + r):
/// G_k ← c·G_k − (L/y^β)·y_j^{e−1}·g_l lowers the degree e of G_k in y_j (L its leading
/// coefficient in y_j, which must be divisible by y^β; otherwise G_k is left as it is).
///
/// The generators are reduced in rounds, all at once ([`Chart::pseudo_reduce_many`]): a
/// round multiplies the columns of T it does not reduce by c, so T still grows with the
/// number of rounds (the largest degree in y_j), but no longer with the number of
/// generators. `stop` is asked between rounds (a deadline), and the elimination gives up
/// when T passes [`MAX_TRANSFORM_TERMS`] terms. Returns whether it finished.
pub fn eliminate(chart: &mut Chart, l: usize, j: usize, c: &Poly, stop: &dyn Fn() -> bool) -> bool {
    let n = chart.nvars();
    let beta = chart.gens[l].monomial_gcd();
    // In rounds: every generator that still contains y_j (with a leading coefficient
    // divisible by y^β) loses one degree, all in one simultaneous pseudo-division, so that
    // T is multiplied by c once per round rather than once per generator.
    loop {
        let mut reductions = Vec::new();
        for (k, g) in chart.gens.iter().enumerate() {
            if k == l {
                continue;
            }
            let Some(e) = g.degree_in(j).filter(|&e| e > 0) else {
                continue;
            };
            let mut ej = vec![0; n];
            ej[j] = e;
            let Some(lead) = g.filter_terms(|x| x[j] == e).div_monomial(&ej) else {
                continue;
            };
            let Some(lead) = lead.div_monomial(&beta) else {
                continue;
            };
            let mut ejm = vec![0; n];
            ejm[j] = e - 1;
            reductions.push((k, lead.mul_monomial(&ejm)));
        }
        if reductions.is_empty() {
            break;
        }
        // A round costs about |T|·|c| term products: give up before a round that would
        // pass the cap by that measure (one round on a large T can take minutes).
        let before: usize = chart.to_input.iter().flatten().map(Poly::num_terms).sum();
        if before.saturating_mul(c.num_terms()) > MAX_TRANSFORM_TERMS.saturating_mul(8) {
            return false;
        }
        chart.pseudo_reduce_many(&reductions, l, c);
        let size: usize = chart.to_input.iter().flatten().map(Poly::num_terms).sum();
        let gens: usize = chart.gens.iter().map(Poly::num_terms).sum();
        if stop() || size > MAX_TRANSFORM_TERMS || gens > MAX_GENERATOR_TERMS {
            return false;
        }
    }
    chart.factor_common_monomial();
    true
}

/// The most terms the matrix T of a chart may reach through pseudo-division before the
/// resolver gives that branch up (see [`eliminate`]).
pub const MAX_TRANSFORM_TERMS: usize = 200_000;

/// The most terms the generators of a chart may reach through pseudo-division (see
/// [`eliminate`]): with T growing slowly, the generators themselves are what explodes on
/// dense inputs (the regular latent class model naive-bayes-3, whose unit coefficients
/// have dozens of terms).
pub const MAX_GENERATOR_TERMS: usize = 5_000;

/// Apply a linear move: the child chart and the substitution.
pub fn apply_linear(chart: &Chart, mv: &LinearMove) -> (Chart, Vec<Poly>) {
    let n = chart.nvars();
    let (subst, det) = coordinate_substitution(n, mv.coord, &mv.coefficient, &mv.rest);
    let mut child = chart.pullback(&subst, &det, chart.ranges.clone());
    let v = Poly::var(n, mv.coord);
    if child.gens[mv.generator] == v {
        // Reduce the other generators modulo v: g_k = v·q + g_k|_{v=0}.
        let mut e = vec![0; n];
        e[mv.coord] = 1;
        for k in 0..child.gens.len() {
            if k == mv.generator {
                continue;
            }
            let g = &child.gens[k];
            let r = g.filter_terms(|x| x[mv.coord] == 0);
            if let Some(q) = (g - &r).div_monomial(&e) {
                child.subtract_multiple(k, mv.generator, &q);
            }
        }
    } else if child.gens[mv.generator].num_terms() == 1 {
        // The generator had a monomial factor: it is now the monomial c·y^β·v. Remove the
        // terms it divides from the other generators at once (an elementary operation), or
        // v could be taken as a coordinate again from a generator y^γ·(v + …) and the
        // substitution undone.
        let m = child.gens[mv.generator].clone();
        let e = m.monomial_gcd();
        let c = m.coeff(&e);
        for k in 0..child.gens.len() {
            if k == mv.generator {
                continue;
            }
            let divisible = child.gens[k].filter_terms(|x| x.iter().zip(&e).all(|(a, b)| a >= b));
            // (A generator that the monomial divides entirely stays: no zero generators.)
            if divisible == child.gens[k] {
                continue;
            }
            if let Some(q) = divisible.div_monomial(&e) {
                child.subtract_multiple(k, mv.generator, &q.scale(&(Rational::one() / c.clone())));
            }
        }
    }
    (child, subst)
}

/// A triangular change y_j ↦ y_j − t of a small coordinate that completes a product:
/// a generator g = κ·M·y_j + M·t + (terms M does not divide), with M a monomial free of
/// y_j, κ a nonzero constant, and t free of y_j and zero on C, becomes κ·M·y_j + … with
/// fewer terms. In a deep linear network, after one block is blown up, the entries
/// w2 + w1·w3 of a product W3·(W2·W1) appear as coefficients of W3's entries; making
/// them coordinates turns the chart into a reduced-rank regression. Returned as a
/// [`LinearMove`] (substitution y_j = (y_j − r)/c with c = 1, r = t, the `coordinate`
/// step of FORMAT.md) only when it lowers the number of terms of the whole chart, so a
/// chain of these moves is finite.
pub fn find_coefficient_shift(chart: &Chart) -> Option<LinearMove> {
    const TRIED: usize = 4;
    let n = chart.nvars();
    let mut candidates: Vec<(usize, LinearMove)> = Vec::new();
    for (l, g) in chart.gens.iter().enumerate() {
        for j in 0..n {
            if !chart.ranges[j].is_small()
                || chart.alpha[j] > 0
                || chart.jac[j] > 0
                || g.degree_in(j) != Some(1)
                || chart.excluded.iter().any(|(k, _)| *k == j)
            {
                continue;
            }
            let with_j: Vec<(&Exponent, &Rational)> = g.terms().filter(|(e, _)| e[j] > 0).collect();
            let [(e, kappa)] = with_j.as_slice() else {
                continue;
            };
            let mut m = (*e).clone();
            m[j] = 0;
            if m.iter().all(|&k| k == 0) {
                continue; // a constant coefficient: `find_linear`'s business
            }
            let divisible = g.filter_terms(|x| x[j] == 0 && x.iter().zip(&m).all(|(a, b)| a >= b));
            let Some(t) = divisible.div_monomial(&m) else {
                continue;
            };
            if t.is_zero() || !vanishes_on_c(&t, &chart.ranges) {
                continue;
            }
            let t = t.scale(&(Rational::one() / *kappa));
            candidates.push((
                t.num_terms(),
                LinearMove {
                    generator: l,
                    coord: j,
                    coefficient: Rational::one(),
                    rest: t,
                },
            ));
        }
    }
    // Most cancelled terms first; keep the first candidate that shrinks the chart.
    candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
    let before: usize = chart.gens.iter().map(Poly::num_terms).sum();
    candidates.into_iter().take(TRIED).map(|c| c.1).find(|mv| {
        let (subst, _) = coordinate_substitution(n, mv.coord, &mv.coefficient, &mv.rest);
        let after: usize = chart
            .gens
            .iter()
            .map(|g| g.compose(&subst).num_terms())
            .sum();
        after < before
    })
}

/// Apply a [`find_coefficient_shift`] move: only the substitution, no generator becomes
/// a coordinate.
pub fn apply_coefficient_shift(chart: &Chart, mv: &LinearMove) -> (Chart, Vec<Poly>) {
    let (subst, det) = coordinate_substitution(chart.nvars(), mv.coord, &mv.coefficient, &mv.rest);
    (chart.pullback(&subst, &det, chart.ranges.clone()), subst)
}

/// A generator y^β·(c·y_j + r) with y_j *bounded*, c a nonzero constant and r free of
/// y_j but not constant on C: its zero set on C is a hypersurface of the box that no
/// hyperplane rule sees. The shift v = c·y_j + r ([`apply_shift`]) makes it the
/// hyperplane {v = 0}, which translate children then recentre (the elimination steps of
/// a reduced-rank regression: D_kj = a_kj − a_k1·a_1j after a blow-up of one block).
#[derive(Clone, Debug)]
pub struct ShiftMove {
    /// The generator index l.
    pub generator: usize,
    /// The bounded coordinate j.
    pub coord: usize,
    /// c.
    pub coefficient: Rational,
    /// r (the whole strict part minus c·y_j, small coordinates included).
    pub rest: Poly,
}

/// Find a shift ([`ShiftMove`]), preferring generators with few terms. Coordinates with
/// excluded hyperplanes, divisors and coordinates in the Jacobian are left alone (their
/// meaning would change under the shift).
pub fn find_shift(chart: &Chart) -> Option<ShiftMove> {
    let n = chart.nvars();
    // A bounded coordinate that divides a generator is that generator's coordinate
    // already; shifting it would undo that (and two generators linear in the same
    // coordinate would take turns forever).
    let mut dividing = vec![false; n];
    for g in &chart.gens {
        for (j, &k) in g.monomial_gcd().iter().enumerate() {
            dividing[j] |= k > 0;
        }
    }
    let mut best: Option<(usize, ShiftMove)> = None;
    for (l, g) in chart.gens.iter().enumerate() {
        let beta = g.monomial_gcd();
        let Some(u) = g.div_monomial(&beta) else {
            continue;
        };
        // (A strict part that vanishes on C may still have a factor y_j + B/A in the
        // bounded coordinates — a determinant left by [`reduce_over_bounded`] — whose
        // zero set on C is a hypersurface of the box: the quotient case below.)
        let u_c = chart.on_c(&u);
        if !u_c.is_zero()
            && (u_c.is_constant() || super::leaf::zero_hyperplanes(&u_c, &chart.ranges).is_some())
        {
            continue;
        }
        for j in 0..n {
            if chart.ranges[j].is_small()
                || chart.alpha[j] > 0
                || chart.jac[j] > 0
                || dividing[j]
                || chart.excluded.iter().any(|(k, _)| *k == j)
                || chart.fixed.contains(&j)
                || u.degree_in(j) != Some(1)
            {
                continue;
            }
            // u = A·y_j + B: shift when A is a constant, or when A divides B
            // (u = A·(y_j + B/A), a factor linear in y_j with coefficient 1).
            let mut ej = vec![0; n];
            ej[j] = 1;
            let Some(a) = u.filter_terms(|e| e[j] > 0).div_monomial(&ej) else {
                continue;
            };
            let b = u.filter_terms(|e| e[j] == 0);
            let (c, rest) = if a.is_constant() {
                (a.constant_term(), b)
            } else {
                match b.div_exact(&a) {
                    Some(q) => (Rational::one(), q),
                    None => continue,
                }
            };
            if chart.on_c(&rest).is_constant() {
                continue;
            }
            let score = u.num_terms();
            if best.as_ref().is_none_or(|(s, _)| score < *s) {
                best = Some((
                    score,
                    ShiftMove {
                        generator: l,
                        coord: j,
                        coefficient: c,
                        rest,
                    },
                ));
            }
        }
    }
    best.map(|b| b.1)
}

/// Apply a shift: y_j = (v − r)/c, v's interval an enclosure of c·y_j + r on C.
pub fn apply_shift(chart: &Chart, mv: &ShiftMove) -> (Chart, Vec<Poly>) {
    let n = chart.nvars();
    let (subst, det) = coordinate_substitution(n, mv.coord, &mv.coefficient, &mv.rest);
    let u = &Poly::var(n, mv.coord).scale(&mv.coefficient) + &mv.rest;
    let (lo, hi) = enclosure(&u, &chart.ranges);
    let mut ranges = chart.ranges.clone();
    ranges[mv.coord] = Range::Interval(lo, hi);
    (chart.pullback(&subst, &det, ranges), subst)
}

/// Generators that are a constant times a monomial, c·y^β·y_b^γ with y_b bounded
/// coordinates that are units on C (0 outside their interval, or {y_b = 0} excluded),
/// make every term divisible by y^β redundant in the others:
/// G_k ← G_k − (A/c)·G_l when γ = 0, and the pseudo-division
/// G_k ← c·y_b^γ·G_k − A·G_l by the unit c·y_b^γ otherwise, with y^β·A those terms.
/// Returns whether anything changed.
pub fn reduce_by_monomials(chart: &mut Chart) -> bool {
    let n = chart.nvars();
    let zero = Rational::from_integer(0.into());
    let mut changed = false;
    for l in 0..chart.gens.len() {
        let g = &chart.gens[l];
        if g.num_terms() != 1 {
            continue;
        }
        let full = g.monomial_gcd();
        let c = g.coeff(&full);
        let mut beta = vec![0; n];
        let mut gamma = vec![0; n];
        let mut unit = true;
        for j in 0..n {
            match &chart.ranges[j] {
                Range::Small => beta[j] = full[j],
                Range::Interval(lo, hi) => {
                    gamma[j] = full[j];
                    if full[j] > 0
                        && *lo <= zero
                        && zero <= *hi
                        && !chart.excluded.contains(&(j, zero.clone()))
                    {
                        unit = false;
                    }
                }
            }
        }
        if !unit || beta.iter().all(|&k| k == 0) {
            continue;
        }
        let gamma_unit = Poly::monomial(n, gamma.clone(), c.clone());
        for k in 0..chart.gens.len() {
            if k == l {
                continue;
            }
            let divisible =
                chart.gens[k].filter_terms(|e| e.iter().zip(&beta).all(|(a, b)| a >= b));
            if divisible.is_zero() {
                continue;
            }
            let Some(a) = divisible.div_monomial(&beta) else {
                continue;
            };
            if gamma.iter().all(|&k| k == 0) {
                chart.subtract_multiple(k, l, &a.scale(&(Rational::one() / &c)));
            } else {
                chart.pseudo_reduce(k, l, &gamma_unit, &a);
            }
            changed = true;
        }
    }
    changed
}

/// The terms of least total degree in the small coordinates (coefficients may involve
/// bounded ones): the initial form of p along C.
fn initial_form(p: &Poly, ranges: &[Range]) -> Poly {
    let degree = |e: &[u32]| -> u32 {
        e.iter()
            .zip(ranges)
            .filter(|(_, r)| r.is_small())
            .map(|(k, _)| *k)
            .sum()
    };
    let Some(low) = p.support().map(|e| degree(e)).min() else {
        return p.clone();
    };
    p.filter_terms(|e| degree(e) == low)
}

/// Initial-form reduction (one step of a standard-basis computation along C): when the
/// initial forms of the strict parts of two generators agree up to a constant and a
/// monomial, G_j = y^{β_j}·U_j, G_i = y^{β_i}·U_i, in(U_j) = κ·y^γ·in(U_i) with
/// β_j + γ − β_i ≥ 0, then G_j ← G_j − κ·y^{β_j + γ − β_i}·G_i cancels in(U_j): the ideal
/// is the same and G_j's order along C goes up. Tanh networks need this: after the
/// first blow-up of the b's the generators are u^{2k−1}·Σ_h a_h·b_h·(b_h^{2k−2} − 1), all
/// with the initial form −Σ_h a_h·b_h, and the differences u^{2k−1}·Σ_h a_h·(b_h^{2k−1} −
/// b_h^{2k−3}) show the next singularity. G_j is reduced only by an earlier G_i when the
/// multiplier is 1 (else the two could undo each other); at most one reduction per
/// generator per call. Returns whether anything changed.
pub fn reduce_initial_forms(chart: &mut Chart) -> bool {
    let n = chart.nvars();
    let r = chart.gens.len();
    let mut changed = false;
    for j in 0..r {
        let gj = &chart.gens[j];
        if gj.num_terms() < 2 {
            continue;
        }
        let beta_j = gj.monomial_gcd();
        let Some(uj) = gj.div_monomial(&beta_j) else {
            continue;
        };
        let in_j = initial_form(&uj, &chart.ranges);
        let mut found = None;
        for i in 0..r {
            let gi = &chart.gens[i];
            if i == j || gi.num_terms() < 2 {
                continue;
            }
            let beta_i = gi.monomial_gcd();
            let Some(ui) = gi.div_monomial(&beta_i) else {
                continue;
            };
            let in_i = initial_form(&ui, &chart.ranges);
            if in_i.num_terms() < 2 || in_i.num_terms() != in_j.num_terms() {
                continue;
            }
            let Some(q) = in_j.div_exact(&in_i) else {
                continue;
            };
            let [(gamma, kappa)] = q.terms().collect::<Vec<_>>()[..] else {
                continue;
            };
            let mult: Option<Vec<u32>> = (0..n)
                .map(|k| (beta_j[k] + gamma[k]).checked_sub(beta_i[k]))
                .collect();
            let Some(mult) = mult else {
                continue;
            };
            if mult.iter().all(|&k| k == 0) && i > j {
                continue;
            }
            found = Some((i, Poly::monomial(n, mult, kappa.clone())));
            break;
        }
        if let Some((i, m)) = found {
            chart.subtract_multiple(j, i, &m);
            changed = true;
        }
    }
    changed
}

/// A polynomial as Σ_m y_small^m · c_m(y_bounded): its coefficients over the ring of the
/// bounded coordinates, keyed by the exponent of the small ones.
fn coefficients_along_c(p: &Poly, ranges: &[Range]) -> std::collections::BTreeMap<Exponent, Poly> {
    let n = p.nvars();
    let mut out: std::collections::BTreeMap<Exponent, Poly> = std::collections::BTreeMap::new();
    for (e, c) in p.terms() {
        let (mut small, mut bounded) = (vec![0; n], vec![0; n]);
        for (j, r) in ranges.iter().enumerate() {
            if r.is_small() {
                small[j] = e[j];
            } else {
                bounded[j] = e[j];
            }
        }
        out.entry(small)
            .or_insert_with(|| Poly::zero(n))
            .add_term(bounded, c.clone());
    }
    out
}

/// Row reduction over the bounded coordinates: write every generator as
/// Σ_m y_small^m · c_m with coefficients c_m polynomials in the bounded coordinates
/// (see [`coefficients_along_c`]). When G_l has a constant coefficient κ at a small
/// monomial m that G_k also contains with a coefficient c_{k,m} that is not constant,
/// G_k ← G_k − (c_{k,m}/κ)·G_l removes m from G_k
/// (an elementary operation on the generators: the ideal is the same, and the chart
/// identities follow through [`Chart::subtract_multiple`]). It is done when it lowers the
/// number of small monomials of G_k — so repeating it is finite — and leaves G_k not
/// zero. After a blow-up of a block of coordinates
/// of generators that are multilinear in blocks (entries of W_3·W_2·W_1), the generators
/// are the entries of W_3·W_2·W_1' with W_1' = (1 a; b c): column 2 minus a·column 1 is
/// (c − a·b)·(W_3·W_2)_{·2}, a determinant factor that a shift then makes a coordinate
/// (Gaussian elimination of the blown-up block, one pivot at a time). Returns whether
/// anything changed (at most one reduction per generator per call); `expired` is asked
/// between pairs of generators (a deadline), and a `true` ends the pass early.
pub fn reduce_over_bounded(chart: &mut Chart, expired: &dyn Fn() -> bool) -> bool {
    let r = chart.gens.len();
    let mut changed = false;
    // The coefficient maps of every generator, computed once (and again for a generator
    // that changes): the candidate reductions are judged on them, without forming
    // G_k − q·G_l (on dense charts that product dominated the whole resolution).
    let mut coeffs: Vec<_> = chart
        .gens
        .iter()
        .map(|g| coefficients_along_c(g, &chart.ranges))
        .collect();
    for k in 0..r {
        let ck = &coeffs[k];
        if ck.len() < 2 {
            continue;
        }
        let mut found: Option<(usize, Poly)> = None;
        'pairs: for (l, cl) in coeffs.iter().enumerate() {
            if l == k {
                continue;
            }
            if expired() {
                return changed;
            }
            if cl.len() < 2 {
                continue;
            }
            for (m, c) in cl {
                if !c.is_constant() {
                    continue;
                }
                let Some(a) = ck.get(m) else {
                    continue;
                };
                // (A constant multiplier is linear algebra over ℚ that the other moves
                // do not need; on dense charts it only makes the generators and T grow.)
                if a.is_constant() {
                    continue;
                }
                let q = a.scale(&(Rational::one() / c.constant_term()));
                let after = small_monomials_after(ck, cl, &q);
                if after > 0 && after < ck.len() {
                    found = Some((l, q));
                    break 'pairs;
                }
            }
        }
        if let Some((l, q)) = found {
            chart.subtract_multiple(k, l, &q);
            coeffs[k] = coefficients_along_c(&chart.gens[k], &chart.ranges);
            changed = true;
        }
    }
    changed
}

/// The number of small monomials of G_k − q·G_l, from the coefficient maps `ck`, `cl` of
/// G_k and G_l (see [`coefficients_along_c`]): q is a polynomial in the bounded
/// coordinates, so the coefficient of q·G_l at a small monomial is q times that of G_l.
/// Monomials of G_l that G_k lacks are new; a shared one disappears exactly when its
/// coefficients cancel. (Zero means G_k − q·G_l = 0.) When the count cannot drop below
/// |ck| whatever cancels, a lower bound that is at least |ck| is returned instead.
fn small_monomials_after(
    ck: &std::collections::BTreeMap<Exponent, Poly>,
    cl: &std::collections::BTreeMap<Exponent, Poly>,
    q: &Poly,
) -> usize {
    let new = cl.keys().filter(|m| !ck.contains_key(*m)).count();
    let shared = cl.len() - new;
    // Even if every shared monomial cancelled, the count would not drop: no products.
    if new >= shared && new > 0 {
        return ck.len() + new - shared;
    }
    let cancelled = cl
        .iter()
        .filter(|(m, c)| {
            ck.get(*m)
                .is_some_and(|a| a.may_equal_product(q, c) && *a == q * *c)
        })
        .count();
    ck.len() + new - cancelled
}

/// Hyperplanes of bounded coordinates on which a generator's strict part vanishes
/// because of a factor y_j − t: generators y^β·(c·y_j − c·t) (a shift leaves these
/// behind) and y^β·c·y_b^a with y_b a product of bounded non-divisor coordinates
/// (hyperplanes {y_j = 0}). Only hyperplanes not yet excluded are returned. Recentring
/// there at once, before blow-ups multiply the charts, makes y_j small so that later
/// centres can use it.
pub fn coordinate_hyperplanes(chart: &Chart) -> Vec<Hyperplane> {
    let n = chart.nvars();
    let mut out: Vec<Hyperplane> = Vec::new();
    let push = |h: Hyperplane, out: &mut Vec<Hyperplane>| {
        let inside = match &chart.ranges[h.0] {
            Range::Interval(lo, hi) => &h.1 >= lo && &h.1 <= hi,
            Range::Small => false,
        };
        if inside
            && chart.alpha[h.0] == 0
            && chart.jac[h.0] == 0
            && !chart.excluded.contains(&h)
            && !out.contains(&h)
        {
            out.push(h);
        }
    };
    for g in &chart.gens {
        // Divide by the small part of the monomial factor only.
        let small_beta: Exponent = g
            .monomial_gcd()
            .iter()
            .zip(&chart.ranges)
            .map(|(&k, r)| if r.is_small() { k } else { 0 })
            .collect();
        let Some(u) = g.div_monomial(&small_beta) else {
            continue;
        };
        // Bounded coordinates dividing the generator: their hyperplanes {y_j = 0}.
        let bounded_factors: Vec<usize> = u
            .monomial_gcd()
            .iter()
            .enumerate()
            .filter(|(_, &k)| k > 0)
            .map(|(j, _)| j)
            .collect();
        for &j in &bounded_factors {
            push((j, Rational::from_integer(0.into())), &mut out);
        }
        if u.num_terms() == 1 || !bounded_factors.is_empty() {
            continue;
        }
        let vars = u.used_vars();
        let [j] = vars.as_slice() else {
            continue;
        };
        if u.degree_in(*j) != Some(1) {
            continue;
        }
        let mut e = vec![0; n];
        e[*j] = 1;
        let c = u.coeff(&e);
        push((*j, -(u.constant_term() / c)), &mut out);
    }
    out
}

/// The charts of the blow-up of {y_S = 0}: (chart index, child chart, substitution).
pub fn blowup(chart: &Chart, centre: &[usize]) -> Vec<(usize, Chart, Vec<Poly>)> {
    let n = chart.nvars();
    centre
        .iter()
        .map(|&i| {
            let (subst, det) = blowup_substitution(n, centre, i);
            let mut ranges = chart.ranges.clone();
            for &j in centre {
                if j != i {
                    ranges[j] = Range::Interval(
                        Rational::from_integer((-1).into()),
                        Rational::from_integer(1.into()),
                    );
                }
            }
            (i, chart.pullback(&subst, &det, ranges), subst)
        })
        .collect()
}

/// The translate child recentring coordinate j at c: (child, substitution).
pub fn translate(chart: &Chart, coord: usize, to: &Rational) -> (Chart, Vec<Poly>) {
    let n = chart.nvars();
    let subst = translate_substitution(n, coord, to);
    let mut ranges = chart.ranges.clone();
    ranges[coord] = Range::Small;
    let mut child = chart.pullback(&subst, &Poly::one(n), ranges);
    // Near y_coord = to, the other hyperplanes of that coordinate are far away.
    child.excluded.retain(|(j, _)| *j != coord);
    (child, subst)
}

/// Candidate blow-up centres: minimal sets S of small coordinates (|S| ≥ 2) such that
/// every term of the generators that are not yet monomial contains a variable of S (so
/// the ideal of those generators vanishes on {y_S = 0}); smallest first, at most `limit`.
pub fn centres(chart: &Chart, bad: &[usize], exclude: &[usize], limit: usize) -> Vec<Vec<usize>> {
    let gens: Vec<&Poly> = if bad.is_empty() {
        chart.gens.iter().collect()
    } else {
        bad.iter().map(|&k| &chart.gens[k]).collect()
    };
    // First the centres on which the strict parts g / y^β (β the monomial gcd of g)
    // vanish: a coordinate that divides a generator already is normal crossing there,
    // and blowing it up with another one only moves the exponents around (the tanh
    // charts y^2·G_2, y^4·G_3, … with the G_k free of y loop on such centres).
    // (Dividing by a polynomial's own monomial gcd always succeeds.)
    let strict: Vec<Poly> = gens
        .iter()
        .map(|g| {
            g.div_monomial(&g.monomial_gcd())
                .unwrap_or_else(|| (*g).clone())
        })
        .collect();
    let found = centres_of(chart, &strict.iter().collect::<Vec<_>>(), exclude, limit);
    if found.is_empty() {
        centres_of(chart, &gens, exclude, limit)
    } else {
        found
    }
}

/// The centres of [`centres`] for the terms of `gens`.
fn centres_of(chart: &Chart, gens: &[&Poly], exclude: &[usize], limit: usize) -> Vec<Vec<usize>> {
    let small: Vec<usize> = (0..chart.nvars())
        .filter(|&j| {
            chart.ranges[j].is_small()
                && !exclude.contains(&j)
                && gens.iter().any(|g| g.degree_in(j).unwrap_or(0) > 0)
        })
        .collect();
    let term_sets: Vec<Vec<usize>> = gens
        .iter()
        .flat_map(|g| g.support())
        .map(|e| small.iter().copied().filter(|&j| e[j] > 0).collect())
        .collect();
    if term_sets.iter().any(Vec::is_empty) || small.len() < 2 {
        return Vec::new();
    }
    let hits = |s: &[usize]| term_sets.iter().all(|t| t.iter().any(|j| s.contains(j)));
    // Within a size, prefer centres of high degree: blowing up the variables that occur
    // to high powers extracts the most (e.g. the b-block of a tanh network).
    let degree = |s: &[usize]| -> u32 {
        s.iter()
            .map(|&j| {
                gens.iter()
                    .filter_map(|g| g.degree_in(j))
                    .max()
                    .unwrap_or(0)
            })
            .sum()
    };
    // Size 2 by brute force (this also keeps the pairs through a coordinate that alone
    // hits every term), larger sizes by a bounded search.
    let mut found: Vec<Vec<usize>> = subsets(&small, 2).into_iter().filter(|s| hits(s)).collect();
    if found.is_empty() {
        found = minimum_hitting_sets(&term_sets, 3, small.len());
    }
    found.sort_by_key(|c| std::cmp::Reverse(degree(c)));
    found.truncate(limit);
    // Last resort: the blow-up of every small coordinate that occurs (the point blow-up
    // of C's small directions), which makes homogeneous leading forms visible.
    if hits(&small) && !found.contains(&small) {
        found.push(small);
    }
    found
}

/// Every hitting set of the smallest size in `min_size..=max_size` of the sets `terms`
/// (each a list of coordinates), sorted lexicographically; empty when a search budget
/// runs out first.
///
/// Iterative deepening on the size with branching on an unhit set of fewest elements
/// (the classical bounded search tree for hitting set): the blocks of a reduced-rank
/// regression (B-columns or A-rows, 2^H minimal centres of size H·min(M, N)) are found
/// in a few thousand steps, where enumerating all subsets of that size is hopeless.
/// (No set smaller than `min_size` hits every term: the caller has checked.)
fn minimum_hitting_sets(terms: &[Vec<usize>], min_size: usize, max_size: usize) -> Vec<Vec<usize>> {
    const STEPS: usize = 200_000;
    fn grow(
        terms: &[Vec<usize>],
        chosen: &mut Vec<usize>,
        size: usize,
        steps: &mut usize,
        out: &mut Vec<Vec<usize>>,
    ) {
        *steps += 1;
        if *steps > STEPS {
            return;
        }
        let unhit = terms
            .iter()
            .filter(|t| !t.iter().any(|j| chosen.contains(j)))
            .min_by_key(|t| t.len());
        let Some(t) = unhit else {
            let mut s = chosen.clone();
            s.sort_unstable();
            if s.len() == size && !out.contains(&s) {
                out.push(s);
            }
            return;
        };
        if chosen.len() == size {
            return;
        }
        for &j in t {
            chosen.push(j);
            grow(terms, chosen, size, steps, out);
            chosen.pop();
        }
    }
    let mut steps = 0;
    for size in min_size..=max_size {
        let mut out = Vec::new();
        grow(terms, &mut Vec::new(), size, &mut steps, &mut out);
        if steps > STEPS {
            return Vec::new();
        }
        if !out.is_empty() {
            out.sort();
            return out;
        }
    }
    Vec::new()
}

fn subsets(items: &[usize], k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut idx: Vec<usize> = (0..k).collect();
    if k > items.len() {
        return out;
    }
    loop {
        out.push(idx.iter().map(|&i| items[i]).collect());
        let mut i = k;
        while i > 0 && idx[i - 1] == items.len() - k + i - 1 {
            i -= 1;
        }
        if i == 0 {
            return out;
        }
        idx[i - 1] += 1;
        for t in i..k {
            idx[t] = idx[t - 1] + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Input generator i = Σ_j T_ij·G_j and chart generator G_j = Σ_i S_ji·F_i.
    fn assert_chart_identities(chart: &Chart, inputs: &[Poly]) {
        let n = chart.nvars();
        for (i, f) in inputs.iter().enumerate() {
            let sum = chart.to_input[i]
                .iter()
                .zip(&chart.gens)
                .fold(Poly::zero(n), |acc, (t, g)| &acc + &(t * g));
            assert_eq!(&sum, f);
        }
        for (j, g) in chart.gens.iter().enumerate() {
            let sum = chart.to_chart[j]
                .iter()
                .zip(inputs)
                .fold(Poly::zero(n), |acc, (s, f)| &acc + &(s * f));
            assert_eq!(&sum, g);
        }
    }

    #[test]
    fn rows_are_reduced_over_the_bounded_coordinates() {
        // x, y small; a, b, c bounded: ⟨x + b·y, a·x + c·y⟩ (the entries of (x y)·W' with
        // W' = (1 a; b c)). The first generator has the constant coefficient 1 at x, so
        // the second loses its x-term: a·x + c·y − a·(x + b·y) = (c − a·b)·y.
        let v = |j| Poly::var(5, j);
        let g1 = &v(0) + &(&v(3) * &v(1));
        let g2 = &(&v(2) * &v(0)) + &(&v(4) * &v(1));
        let mut chart = Chart::root(&[g1.clone(), g2.clone()], &[0; 5]);
        for j in 2..5 {
            chart.ranges[j] = Range::Interval(Rational::from_integer((-1).into()), Rational::one());
        }
        assert!(reduce_over_bounded(&mut chart, &|| false));
        let det = &v(4) - &(&v(2) * &v(3));
        assert_eq!(chart.gens, vec![g1.clone(), &det * &v(1)]);
        assert_chart_identities(&chart, &[g1, g2]);
        // One small monomial each: nothing left to reduce. The determinant factor is
        // linear in c with coefficient 1: a shift makes it a coordinate.
        assert!(!reduce_over_bounded(&mut chart, &|| false));
        let mv = find_shift(&chart).expect("a shift");
        assert_eq!((mv.generator, mv.coord), (1, 4));
        assert_eq!(mv.rest, -&(&v(2) * &v(3)));
    }

    #[test]
    fn a_linear_strict_part_behind_a_monomial_factor_is_a_coordinate() {
        // x, s, a, b small; e bounded. ⟨x, s·(a + b·e), s²·(a + b·e²)⟩: x keeps s from being
        // a common factor (the situation of ⟨a_1, Σ a_h·d_h^k⟩ after the blow-up of the
        // d-block). The substitution a ↦ a − b·e makes the second generator the monomial
        // s·a, which then clears s²·a from the third: s²·b·(e² − e) is left.
        let v = |j| Poly::var(5, j);
        let (x, s, a, b, e) = (v(0), v(1), v(2), v(3), v(4));
        let g1 = &s * &(&a + &(&b * &e));
        let g2 = &(&s * &s) * &(&a + &(&b * &(&e * &e)));
        let inputs = [x.clone(), g1, g2];
        let mut chart = Chart::root(&inputs, &[0; 5]);
        chart.ranges[4] = Range::Interval(Rational::from_integer((-1).into()), Rational::one());
        let mv = find_linear(&chart, true).expect("a coordinate move");
        assert_eq!((mv.generator, mv.coord), (1, 2));
        assert_eq!(mv.rest, &b * &e);
        let (child, subst) = apply_linear(&chart, &mv);
        let expected = &(&(&s * &s) * &b) * &(&(&e * &e) - &e);
        assert_eq!(child.gens, vec![x, &s * &a, expected]);
        let pulled: Vec<Poly> = inputs.iter().map(|f| f.compose(&subst)).collect();
        assert_chart_identities(&child, &pulled);
        // The monomial s·a is not taken again: no generator is linear in a any more.
        assert!(find_linear(&child, true).is_none() && find_linear(&child, false).is_none());
    }

    #[test]
    fn initial_forms_that_agree_are_cancelled() {
        // ⟨ab + cd, ab + cd + a³⟩ = ⟨ab + cd, a³⟩: the second generator's initial form
        // is the first's, so it is reduced to a³, and the chart identities follow.
        let v = |j| Poly::var(4, j);
        let g1 = &(&v(0) * &v(1)) + &(&v(2) * &v(3));
        let cube = &(&v(0) * &v(0)) * &v(0);
        let g2 = &g1 + &cube;
        let mut chart = Chart::root(&[g1.clone(), g2.clone()], &[0; 4]);
        assert!(reduce_initial_forms(&mut chart));
        assert_eq!(chart.gens, vec![g1.clone(), cube.clone()]);
        // The chart identities still hold.
        assert_chart_identities(&chart, &[g1, g2]);
        // Nothing left to cancel: ab + cd and a³ have different initial forms.
        assert!(!reduce_initial_forms(&mut chart));
    }
}
