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
    blowup_substitution, coordinate_substitution, translate_substitution, vanishes_on_c, Chart,
    Range,
};
use crate::poly::{Exponent, Poly, Rational};

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
pub fn find_linear(chart: &Chart) -> Option<LinearMove> {
    let n = chart.nvars();
    let mut best: Option<(usize, LinearMove)> = None;
    for (l, g) in chart.gens.iter().enumerate() {
        if g.num_terms() < 2 {
            continue;
        }
        for j in 0..n {
            if !chart.ranges[j].is_small()
                || chart.alpha[j] > 0
                || chart.jac[j] > 0
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
            chart
                .gens
                .iter()
                .enumerate()
                .any(|(k, g)| k != *l && g.degree_in(*j).unwrap_or(0) > 0)
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
pub fn eliminate(chart: &mut Chart, l: usize, j: usize, c: &Poly) {
    let n = chart.nvars();
    let beta = chart.gens[l].monomial_gcd();
    for k in 0..chart.gens.len() {
        if k == l {
            continue;
        }
        while let Some(e) = chart.gens[k].degree_in(j).filter(|&e| e > 0) {
            let mut ej = vec![0; n];
            ej[j] = e;
            let Some(lead) = chart.gens[k].filter_terms(|x| x[j] == e).div_monomial(&ej) else {
                break;
            };
            let Some(lead) = lead.div_monomial(&beta) else {
                break;
            };
            let mut ejm = vec![0; n];
            ejm[j] = e - 1;
            let q = lead.mul_monomial(&ejm);
            chart.pseudo_reduce(k, l, c, &q);
        }
    }
    chart.factor_common_monomial();
}

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
    }
    (child, subst)
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
    let mut found: Vec<Vec<usize>> = Vec::new();
    let max_size = small.len().min(6);
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
    for size in 2..=max_size {
        let mut candidates = subsets(&small, size);
        candidates.sort_by_key(|c| std::cmp::Reverse(degree(c)));
        for subset in candidates {
            if found.iter().any(|f| f.iter().all(|j| subset.contains(j))) {
                continue;
            }
            if hits(&subset) {
                found.push(subset);
                if found.len() >= limit {
                    break;
                }
            }
        }
        if !found.is_empty() {
            break;
        }
    }
    // Last resort: the blow-up of every small coordinate that occurs (the point blow-up
    // of C's small directions), which makes homogeneous leading forms visible.
    if hits(&small) && !found.contains(&small) {
        found.push(small);
    }
    found
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
