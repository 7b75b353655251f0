//! A coefficient that is affine in one small coordinate with a unit slope becomes that
//! coordinate (an Addendum 13 change, small case), when this — followed by the rescaling
//! of Addendum 12 it makes possible — lowers the number of terms of the chart.
//!
//! Why: a generator can be a product of coordinate vectors through a matrix of units,
//! G_ij = Σ_{k,l} b_ik·M_kl(p)·a_lj with M(p) = I + (terms vanishing on C). The rank-0 moves
//! (blow-ups, constant pivots, shifts) see M only as clutter of higher degree that keeps
//! every pivot from being constant. Writing G = Σ_k K_ik·a_kj with K = B·M, the coefficient
//! ∂G_ij/∂a_2j = K_i2 = M_22·b_i2 + M_32·b_i3 (the same in every column j) is affine in b_i2
//! with the unit slope M_22 and a rest that vanishes on C: the change b_i2' = K_i2 makes it a
//! variable; the coefficients of b_i3 then share the unit det M / M_22 (a rescaling,
//! Addendum 12). Two steps per row of B turn ⟨B·M·A⟩ into ⟨B'·A⟩, the ideal of the same
//! shape with M = I: the Schur complement that is left after a reduced-rank regression's
//! coordinate generators are eliminated (Aoyagi & Watanabe 2005, the reduction of the true
//! rank r to rank 0) is such a product. Nothing here looks for that shape: every
//! coefficient of every generator with respect to every small coordinate is a candidate,
//! and the one that leaves the fewest terms wins.
//!
//! Both steps fix C pointwise (small case of Addendum 13: the rest r vanishes on C; the
//! rescaling's image is divisible by its coordinate), so the checker needs nothing new: it
//! re-checks each step as an ordinary `forward` step (src/verify/forward.rs).

use super::chart::{Chart, Range};
use super::forward::{coefficients_in, rescaling_move, ForwardMove};
use crate::poly::Poly;

/// p = u^e·q with e ≤ `cap` as large as possible: (e, q).
fn valuation(p: &Poly, u: &Poly, cap: u32) -> (u32, Poly) {
    let mut q = p.clone();
    let mut e = 0;
    while e < cap {
        match q.div_exact(u) {
            Some(next) => {
                q = next;
                e += 1;
            }
            None => break,
        }
    }
    (e, q)
}

/// G written in z = u·y_i + r, multiplied by the least power u^d that keeps it a
/// polynomial: H with H∘ψ = u^d·G. (Addendum 13's sketch uses d = deg_{y_i} G; a
/// coefficient of y_i^m divisible by u^m needs less. The checker re-checks the identities
/// H∘ψ = u^d·G whatever d is.)
fn rewrite(g: &Poly, i: usize, u: &Poly, r: &Poly) -> (Poly, u32) {
    let n = g.nvars();
    // c_m·y_i^m = q_m·u^{e_m}·y_i^m with e_m ≤ m; times u^d (d ≥ m − e_m for every m) it is
    // q_m·u^{d − m + e_m}·(u·y_i)^m = q_m·u^{d − m + e_m}·(z − r)^m.
    let parts: Vec<(u32, u32, Poly)> = coefficients_in(g, i)
        .into_iter()
        .enumerate()
        .filter(|(_, cm)| !cm.is_zero())
        .map(|(m, cm)| {
            let m = m as u32;
            let (e, q) = valuation(&cm, u, m);
            (m, e, q)
        })
        .collect();
    let d = parts.iter().map(|(m, e, _)| m - e).max().unwrap_or(0);
    let shifted = &Poly::var(n, i) - r;
    let h = parts.iter().fold(Poly::zero(n), |acc, (m, e, q)| {
        &acc + &(&(q * &u.pow(d + e - m)) * &shifted.pow(*m))
    });
    (h, d)
}

fn total_terms(gens: &[Poly]) -> usize {
    gens.iter().map(Poly::num_terms).sum()
}

/// A change z_i = u·y_i + r (Addendum 13, small case) taken from a coefficient of a
/// generator's strict part with respect to a small coordinate. The resolver follows it by
/// the rescaling (Addendum 12) the child admits, if any; the change is returned only when
/// the pair leaves fewer generator terms than the chart has (so a chain of these pairs is
/// finite), the one that leaves the fewest. The slope u must be
/// a nonzero constant on C (no new exclusions) and not constant (constant slopes are
/// `coordinate` steps, [`super::moves::find_coefficient_shift`]); r ≠ 0 vanishes on C.
/// The rewrites are exact expansions that can be large: `expired` (the resolver's
/// deadline) is polled between them, and an expired search returns no move.
pub fn find_coefficient_change(chart: &Chart, expired: &dyn Fn() -> bool) -> Option<ForwardMove> {
    let n = chart.nvars();
    let before = total_terms(&chart.gens);
    let changeable = |i: usize| {
        chart.ranges[i].is_small()
            && chart.alpha[i] == 0
            && chart.jac[i] == 0
            && chart.unit.degree_in(i).unwrap_or(0) == 0
            && !chart.excluded.iter().any(|(k, _)| *k == i)
    };
    let mut seen: Vec<(usize, Poly)> = Vec::new();
    let mut best: Option<(usize, ForwardMove)> = None;
    for g in &chart.gens {
        let beta = g.monomial_gcd();
        let Some(strict) = g.div_monomial(&beta) else {
            continue;
        };
        for v in 0..n {
            if !chart.ranges[v].is_small() || strict.degree_in(v).unwrap_or(0) == 0 {
                continue;
            }
            for c in coefficients_in(&strict, v).into_iter().skip(1) {
                for i in 0..n {
                    if i == v || c.degree_in(i) != Some(1) || !changeable(i) {
                        continue;
                    }
                    let parts = coefficients_in(&c, i);
                    let (r, u) = (&parts[0], &parts[1]);
                    let u_c = chart.on_c(u);
                    if u.is_constant() || !u_c.is_constant() || u_c.is_zero() {
                        continue;
                    }
                    if r.is_zero() || !chart.on_c(r).is_zero() {
                        continue;
                    }
                    if seen.iter().any(|(k, p)| *k == i && *p == c) {
                        continue;
                    }
                    seen.push((i, c.clone()));
                    if expired() {
                        return None;
                    }
                    let Some((mv, after)) = candidate(chart, i, &c, u, r, expired) else {
                        continue;
                    };
                    if after < before && best.as_ref().is_none_or(|(b, _)| after < *b) {
                        best = Some((after, mv));
                    }
                }
            }
        }
    }
    best.map(|(_, mv)| mv)
}

/// The change z_i = c (= u·y_i + r) of `chart` and the number of generator terms after it
/// and the rescaling that follows it (if any).
fn candidate(
    chart: &Chart,
    i: usize,
    c: &Poly,
    u: &Poly,
    r: &Poly,
    expired: &dyn Fn() -> bool,
) -> Option<(ForwardMove, usize)> {
    let n = chart.nvars();
    let mut gens = Vec::with_capacity(chart.gens.len());
    let mut powers = Vec::with_capacity(chart.gens.len());
    for g in &chart.gens {
        if expired() {
            return None;
        }
        let (h, d) = rewrite(g, i, u, r);
        if h.is_zero() {
            return None;
        }
        gens.push(h);
        powers.push(d);
    }
    let mut image: Vec<Poly> = (0..n).map(|k| Poly::var(n, k)).collect();
    image[i] = c.clone();
    let mv = ForwardMove {
        image,
        changed: vec![i],
        gens,
        slope: Some((u.clone(), powers)),
        range: None::<Range>,
    };
    // The rescaling the change makes possible, judged on the child's generators (the
    // ranges, α, W and exclusions are the parent's: a small-case change keeps them).
    let mut child = chart.clone();
    child.gens = mv.gens.clone();
    let after =
        find_unit_rescaling(&child).map_or_else(|| total_terms(&mv.gens), |m| total_terms(&m.gens));
    Some((mv, after))
}

/// Rescalings z_k = y_k·u_k (Addendum 12) of the small coordinates y_k in which every
/// generator is at most linear and whose coefficients share a unit factor u_k (a nonzero
/// constant on C, not constant, free of y_k): u_k is the coefficient of fewest terms
/// without its monomial factor, and it must divide every other coefficient. (Unlike
/// [`super::forward::find_rescaling`], which builds u from univariate contents, this finds
/// factors such as det M = 1 − a·b − c·d that are no product of univariate ones.) A
/// coordinate whose factor involves an already chosen one, or that an already chosen factor
/// involves, waits for a later step (triangularity).
pub fn find_unit_rescaling(chart: &Chart) -> Option<ForwardMove> {
    let n = chart.nvars();
    let mut chosen: Vec<(usize, Poly)> = Vec::new();
    for k in 0..n {
        if !chart.ranges[k].is_small()
            || chart.alpha[k] > 0
            || chart.unit.degree_in(k).unwrap_or(0) > 0
            || chart.excluded.iter().any(|(j, _)| *j == k)
            || chart.gens.iter().any(|g| g.degree_in(k).unwrap_or(0) > 1)
        {
            continue;
        }
        let coeffs: Vec<Poly> = chart
            .gens
            .iter()
            .filter(|g| g.degree_in(k) == Some(1))
            .map(|g| coefficients_in(g, k).swap_remove(1))
            .collect();
        let Some(fewest) = coeffs.iter().min_by_key(|c| c.num_terms()) else {
            continue;
        };
        let Some(u) = fewest.div_monomial(&fewest.monomial_gcd()) else {
            continue;
        };
        let u_c = chart.on_c(&u);
        if u.is_constant() || !u_c.is_constant() || u_c.is_zero() {
            continue;
        }
        let used = u.used_vars();
        if chosen
            .iter()
            .any(|(j, uj)| used.contains(j) || uj.degree_in(k).unwrap_or(0) > 0)
        {
            continue;
        }
        if coeffs.iter().all(|c| c.div_exact(&u).is_some()) {
            chosen.push((k, u));
        }
    }
    rescaling_move(chart, chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::Ring;

    fn ring() -> Ring {
        Ring::new(
            [
                "p", "q", "b11", "b12", "b21", "b22", "a11", "a12", "a21", "a22",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        )
    }

    /// The entries of B·M·A for 2×2 blocks B, A and M = [[1 + p, q], [q, 1]] (a matrix of
    /// units near 0, det M = 1 + p − q²).
    fn product(with_m: bool) -> Chart {
        let r = ring();
        let m = if with_m {
            [["(1 + p)", "q"], ["q", "1"]]
        } else {
            [["1", "0"], ["0", "1"]]
        };
        let mut gens = Vec::new();
        for i in 1..=2 {
            for j in 1..=2 {
                let mut terms = Vec::new();
                for k in 1..=2 {
                    for l in 1..=2 {
                        terms.push(format!("b{i}{k}*{}*a{l}{j}", m[k - 1][l - 1]));
                    }
                }
                gens.push(r.parse(&terms.join(" + ")).expect("poly"));
            }
        }
        Chart::root(&gens, &[0; 10])
    }

    #[test]
    fn a_matrix_of_units_between_two_blocks_is_absorbed() {
        let chart = product(true);
        let before = total_terms(&chart.gens);
        let mv = find_coefficient_change(&chart, &|| false).expect("a coefficient change");
        let [i] = mv.changed[..] else {
            panic!("one changed coordinate: {:?}", mv.changed)
        };
        let (u, powers) = mv.slope.clone().expect("a slope");
        // The image is a coefficient u·y_i + r with a unit slope that is not constant and a
        // rest that vanishes at the origin, and H_k∘ψ = u^{d_k}·G_k.
        assert!(!u.is_constant() && chart.on_c(&u).is_constant());
        assert_eq!(mv.image[i].degree_in(i), Some(1));
        assert!(chart.on_c(&mv.image[i]).is_zero());
        for ((g, h), d) in chart.gens.iter().zip(&mv.gens).zip(&powers) {
            assert_eq!(h.compose(&mv.image), g * &u.pow(*d));
        }
        // The child admits a rescaling by a unit that is no product of univariate factors
        // here (det M / M_11 or similar), and the pair leaves fewer terms.
        let (child, _) = super::super::forward::apply(&chart, &mv);
        let rs = find_unit_rescaling(&child).expect("a rescaling");
        for (g, h) in child.gens.iter().zip(&rs.gens) {
            assert_eq!(&h.compose(&rs.image), g);
        }
        assert!(total_terms(&rs.gens) < before);
        // Without M there is nothing to absorb.
        assert!(find_coefficient_change(&product(false), &|| false).is_none());
        assert!(find_unit_rescaling(&product(false)).is_none());
    }
}
