//! Forward coordinate changes (FORMAT.md Addendum 12): child coordinates z = ψ(y) given
//! as polynomials in the parent's, where the inverse is analytic but not polynomial.
//!
//! Two general moves, both tried before blow-ups:
//! - **rescaling** z_i = y_i·u: a small coordinate y_i whose coefficients in every
//!   generator share a factor u (free of y_i, a unit on C) that is not part of the
//!   structure that varies from generator to generator. After the constant row
//!   operations of a merged-unit chart the generators are Σ_h a_h·(1 + d_h)·d_h^{k−1}; the
//!   rescaling a_h' = a_h·(1 + d_h) makes them Vandermonde.
//! - **reparametrisation** z_j = y_j·(y_j + b), b ≠ 0 a constant: a small coordinate that
//!   enters every generator only through the polynomial y_j² + b·y_j (for tanh units,
//!   x² − 1 = d·(d − 2) at x = −1 + d).
//!
//! - **unit-affine change** z_i = u·y_i + r (FORMAT.md Addendum 13): a generator affine in
//!   one coordinate with a unit slope u that is not constant becomes that coordinate; for a
//!   bounded y_i the map does not fix C (the new range encloses the image), which is sound
//!   only for a *free* y_i ([`Chart::fixed`]). Tried where a chart has no centre left.
//!
//! The first two maps fix C pointwise (the changed coordinates are small, and ψ_i vanishes on C),
//! are triangular (ψ_i depends on y_i and unchanged coordinates only) and have
//! ∂ψ_i/∂y_i = u_i on C, a unit; so ψ is an analytic isomorphism near C. The child is a
//! new *base*: its inputs are the parent's y^α·W·G_j written in z, and its prior exponent
//! is the parent's J (y_i = z_i·unit, the Jacobian of ψ⁻¹ is a unit).

use super::chart::{identity_matrix, Chart, Range};
use super::leaf::zero_hyperplanes;
use crate::poly::{Exponent, Poly, Rational};
use crate::realroots::UPoly;
use num_traits::Zero;

/// A forward change: child coordinate k = `image[k]` (parent coordinates), and the
/// child's generators H with G_j(y) = H_j(ψ(y)).
#[derive(Clone, Debug)]
pub struct ForwardMove {
    /// ψ, one polynomial per coordinate (the identity on unchanged ones).
    pub image: Vec<Poly>,
    /// The changed coordinates.
    pub changed: Vec<usize>,
    /// H_j in the child's coordinates.
    pub gens: Vec<Poly>,
    /// Addendum 13: the slope u of the one changed coordinate and, per generator, the
    /// power d_j with H_j∘ψ = u^{d_j}·G_j (`None`: H_j∘ψ = G_j, Addendum 12).
    pub slope: Option<(Poly, Vec<u32>)>,
    /// Addendum 13: the new range of a changed bounded coordinate (an enclosure of its
    /// image on C).
    pub range: Option<Range>,
}

/// What the certificate needs of a forward step (the parent's data of the chart
/// identities, which the checker re-checks against the new base).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forward {
    /// ψ (parent coordinates).
    pub image: Vec<Poly>,
    /// The child's base inputs B_j = y^α·W·H_j (child coordinates).
    pub inputs: Vec<Poly>,
    /// The child's base prior exponent (the parent's J).
    pub weight: Exponent,
    /// The parent's T, S, U_F and V (parent coordinates).
    pub to_input: Vec<Vec<Poly>>,
    /// S.
    pub to_chart: Vec<Vec<Poly>>,
    /// U_F.
    pub input_unit: Poly,
    /// V.
    pub jac_unit: Poly,
}

/// Coefficients of `p` as a polynomial in y_j: `out[e]` is free of y_j.
pub(super) fn coefficients_in(p: &Poly, j: usize) -> Vec<Poly> {
    let n = p.nvars();
    let deg = p.degree_in(j).unwrap_or(0) as usize;
    let mut out = vec![Poly::zero(n); deg + 1];
    for (e, c) in p.terms() {
        let mut f = e.clone();
        let k = f[j] as usize;
        f[j] = 0;
        out[k].add_term(f, c.clone());
    }
    out
}

/// The univariate parts of `p` in y_v: p = Σ_m m(other)·p_m(y_v).
fn univariate_parts(p: &Poly, v: usize) -> Vec<UPoly> {
    let mut parts: std::collections::BTreeMap<Exponent, Vec<Rational>> = Default::default();
    for (e, c) in p.terms() {
        let mut rest = e.clone();
        let k = rest[v] as usize;
        rest[v] = 0;
        let row = parts.entry(rest).or_default();
        if row.len() <= k {
            row.resize(k + 1, Rational::zero());
        }
        row[k] += c;
    }
    parts.into_values().map(UPoly::new).collect()
}

/// The largest polynomial in y_v alone that divides `p` (up to a constant).
fn univariate_content(p: &Poly, v: usize) -> UPoly {
    let mut g = UPoly::zero();
    for part in univariate_parts(p, v) {
        g = if g.is_zero() { part } else { g.gcd(&part) };
        if g.is_constant() {
            break;
        }
    }
    g
}

fn to_poly(u: &UPoly, n: usize, v: usize) -> Poly {
    let mut p = Poly::zero(n);
    for (k, c) in u.coeffs().iter().enumerate() {
        let mut e = vec![0; n];
        e[v] = k as u32;
        p.add_term(e, c.clone());
    }
    p
}

/// Whether y_i may be changed: small, not in α, and W free of it.
fn changeable(chart: &Chart, i: usize) -> bool {
    chart.ranges[i].is_small() && chart.alpha[i] == 0 && chart.unit.degree_in(i).unwrap_or(0) == 0
}

/// The common unit factor of y_i's coefficients: per variable v, the univariate content
/// of every coefficient, minus y_v itself and minus every factor whose multiplicity varies
/// from coefficient to coefficient (those carry the structure: in Σ a_h x_h (x_h² − 1)^{k−1}
/// only x_h has the same multiplicity in every generator). `None` unless the product is a
/// non-constant unit on C.
fn rescaling_factor(chart: &Chart, i: usize, coeffs: &[Poly]) -> Option<Poly> {
    let n = chart.nvars();
    let mut vars: Vec<usize> = coeffs.iter().flat_map(Poly::used_vars).collect();
    vars.sort_unstable();
    vars.dedup();
    let mut u = Poly::one(n);
    for v in vars {
        if v == i {
            continue;
        }
        let contents: Vec<UPoly> = coeffs.iter().map(|c| univariate_content(c, v)).collect();
        let mut g = contents[0].clone();
        for c in &contents[1..] {
            g = g.gcd(c);
        }
        // Strip the power of y_v (zero at y_v = 0).
        let lead_zeros = g.coeffs().iter().take_while(|c| c.is_zero()).count();
        if lead_zeros > 0 {
            g = UPoly::new(g.coeffs()[lead_zeros..].to_vec());
        }
        if g.is_constant() {
            continue;
        }
        // Remove the factors that divide some quotient content/g: their multiplicity varies.
        for c in &contents {
            let Some(mut q) = c.exact_div(&g) else {
                continue;
            };
            loop {
                let common = g.gcd(&q);
                if common.is_constant() {
                    break;
                }
                let (Some(g2), Some(q2)) = (g.exact_div(&common), q.exact_div(&common)) else {
                    break;
                };
                g = g2;
                q = q2;
            }
        }
        if g.is_constant() {
            continue;
        }
        // Prefer leaving one linear factor out when the quotients are then polynomials in
        // one quadratic y_v² + b·y_v (so that a reparametrisation follows): for tanh units
        // x = −1 + d, x^{2k−1} − x = x·(x − 1)·(x + 1)·q_k(x²) shares x·(x − 1) in every
        // generator, but only x may go: (x − 1)·(x + 1) = d·(d − 2) is the coordinate e.
        let mut best = g.monic();
        for r in rational_roots(&g) {
            let Some(smaller) = g.exact_div(&UPoly::linear_root(&r)) else {
                continue;
            };
            let cand = to_poly(&smaller.monic(), n, v);
            let quotients: Option<Vec<Poly>> = coeffs.iter().map(|c| c.div_exact(&cand)).collect();
            if quotients.is_some_and(|qs| {
                qs.iter().any(|q| q.degree_in(v).unwrap_or(0) >= 2)
                    && quadratic_parameter(&qs, v).is_some()
            }) {
                best = smaller.monic();
                break;
            }
        }
        let gv = to_poly(&best, n, v);
        if gv.is_constant() {
            continue;
        }
        let on_c = chart.on_c(&gv);
        let unit = !on_c.is_zero()
            && zero_hyperplanes(&on_c, &chart.ranges)
                .is_some_and(|h| h.iter().all(|x| chart.excluded.contains(x)));
        if unit {
            u = &u * &gv;
        }
    }
    (!u.is_constant()).then_some(u)
}

/// The rescaling z_i = y_i·u_i of every chosen (i, u_i) (Addendum 12), every generator at
/// most linear in each y_i and each u_i dividing y_i's coefficients; `None` if one does
/// not divide. Shared by [`find_rescaling`] and
/// [`super::coefficient::find_unit_rescaling`], which differ only in how they find u_i.
pub(super) fn rescaling_move(chart: &Chart, chosen: Vec<(usize, Poly)>) -> Option<ForwardMove> {
    if chosen.is_empty() {
        return None;
    }
    let n = chart.nvars();
    let mut image: Vec<Poly> = (0..n).map(|k| Poly::var(n, k)).collect();
    let mut gens = chart.gens.clone();
    for (i, u) in &chosen {
        image[*i] = &Poly::var(n, *i) * u;
        // G = c_0 + c_1·y_i = c_0 + (c_1/u)·z_i.
        gens = gens
            .iter()
            .map(|g| {
                let c = coefficients_in(g, *i);
                if c.len() < 2 {
                    return Some(g.clone());
                }
                let q = c[1].div_exact(u)?;
                Some(&c[0] + &(&q * &Poly::var(n, *i)))
            })
            .collect::<Option<Vec<_>>>()?;
    }
    Some(ForwardMove {
        image,
        changed: chosen.into_iter().map(|(i, _)| i).collect(),
        gens,
        slope: None,
        range: None,
    })
}

/// Rescalings z_i = y_i·u_i for every small coordinate whose coefficients share a
/// non-constant unit factor u_i (see [`rescaling_factor`]); coordinates whose factor
/// involves another changed coordinate are left for a later step (triangularity).
pub fn find_rescaling(chart: &Chart) -> Option<ForwardMove> {
    let n = chart.nvars();
    let mut chosen: Vec<(usize, Poly)> = Vec::new();
    for i in 0..n {
        if !changeable(chart, i) {
            continue;
        }
        // Every generator linear in y_i.
        if chart.gens.iter().any(|g| g.degree_in(i).unwrap_or(0) > 1) {
            continue;
        }
        let coeffs: Vec<Poly> = chart
            .gens
            .iter()
            .filter(|g| g.degree_in(i) == Some(1))
            .map(|g| coefficients_in(g, i).swap_remove(1))
            .collect();
        if coeffs.is_empty() {
            continue;
        }
        let Some(u) = rescaling_factor(chart, i, &coeffs) else {
            continue;
        };
        let used = u.used_vars();
        if chosen
            .iter()
            .any(|(k, uk)| used.contains(k) || uk.degree_in(i).unwrap_or(0) > 0)
        {
            continue;
        }
        chosen.push((i, u));
    }
    rescaling_move(chart, chosen)
}

/// p = Σ_m c_m·g^m with g = y_j² + b·y_j and c_m free of y_j, if it is.
fn expand_in_quadratic(p: &Poly, j: usize, b: &Rational) -> Option<Vec<Poly>> {
    let mut coef = coefficients_in(p, j);
    let mut out = Vec::new();
    while coef.iter().any(|c| !c.is_zero()) {
        let deg = coef.len() - 1;
        // Divide by the monic y² + b·y: quotient q, remainder r_1·y + r_0.
        let mut q = vec![Poly::zero(p.nvars()); deg.saturating_sub(1)];
        for d in (2..=deg).rev() {
            let lead = std::mem::replace(&mut coef[d], Poly::zero(p.nvars()));
            if lead.is_zero() {
                continue;
            }
            coef[d - 1] = &coef[d - 1] - &lead.scale(b);
            q[d - 2] = lead;
        }
        if coef.len() > 1 && !coef[1].is_zero() {
            return None;
        }
        out.push(coef[0].clone());
        coef = q;
        while coef.len() > 1 && coef.last().is_some_and(Poly::is_zero) {
            coef.pop();
        }
    }
    Some(out)
}

/// A reparametrisation z_j = y_j² + b·y_j (b ≠ 0) of a small coordinate that enters every
/// generator only through that polynomial, with degree ≥ 2 in some generator. b is read
/// off one generator of even degree 2m: its coefficient of y_j^{2m−1} is m·b times that
/// of y_j^{2m}; every generator is then expanded in powers of g by repeated division.
pub fn find_reparametrisation(chart: &Chart) -> Option<ForwardMove> {
    let n = chart.nvars();
    let mut gens = chart.gens.clone();
    let mut image: Vec<Poly> = Vec::with_capacity(n);
    let mut changed = Vec::new();
    // Each coordinate is reparametrised on its own (the maps act on distinct coordinates,
    // so one step may hold several: the merged units of tanh H = 4 give three).
    for j in 0..n {
        image.push(Poly::var(n, j));
        if !changeable(chart, j) || gens.iter().all(|g| g.degree_in(j).unwrap_or(0) < 2) {
            continue;
        }
        let Some((b, expansions)) = quadratic_parameter(&gens, j) else {
            continue;
        };
        let z = Poly::var(n, j);
        gens = expansions
            .iter()
            .map(|c| {
                c.iter().enumerate().fold(Poly::zero(n), |acc, (m, cm)| {
                    &acc + &(cm * &z.pow(m as u32))
                })
            })
            .collect();
        image[j] = &z * &(&z + &Poly::constant(n, b));
        changed.push(j);
    }
    (!changed.is_empty()).then_some(ForwardMove {
        image,
        changed,
        gens,
        slope: None,
        range: None,
    })
}

/// b ≠ 0 such that every polynomial of `ps` is a polynomial in g = y_j² + b·y_j, with
/// the expansions. b is read off one polynomial of even degree 2m in y_j: its coefficient
/// of y_j^{2m−1} is m·b times that of y_j^{2m}.
fn quadratic_parameter(ps: &[Poly], j: usize) -> Option<(Rational, Vec<Vec<Poly>>)> {
    let b = ps.iter().find_map(|g| {
        let c = coefficients_in(g, j);
        let deg = c.len() - 1;
        if deg < 2 || deg % 2 == 1 {
            return None;
        }
        let (e, lc) = c[deg].terms().next()?;
        let ratio = c[deg - 1].coeff(e) / lc;
        (c[deg - 1] == c[deg].scale(&ratio))
            .then(|| ratio / Rational::from_integer(((deg / 2) as i64).into()))
    })?;
    if b.is_zero() {
        return None;
    }
    let expansions = ps
        .iter()
        .map(|g| expand_in_quadratic(g, j, &b))
        .collect::<Option<Vec<Vec<Poly>>>>()?;
    Some((b, expansions))
}

/// The rational roots of a univariate polynomial (rational root theorem, for small
/// integer coefficients; gives up on large ones).
fn rational_roots(u: &UPoly) -> Vec<Rational> {
    use num_traits::ToPrimitive;
    let coeffs = u.coeffs();
    let lcm = coeffs.iter().fold(num_bigint::BigInt::from(1), |acc, c| {
        num_integer::Integer::lcm(&acc, c.denom())
    });
    let ints: Vec<i64> = match coeffs
        .iter()
        .map(|c| {
            (c * Rational::from_integer(lcm.clone()))
                .to_integer()
                .to_i64()
        })
        .collect::<Option<Vec<_>>>()
    {
        Some(v) => v,
        None => return Vec::new(),
    };
    let mut out = Vec::new();
    let Some(first) = ints.iter().position(|&c| c != 0) else {
        return out;
    };
    if first > 0 {
        out.push(Rational::zero());
    }
    let (a0, an) = (ints[first].abs(), ints[ints.len() - 1].abs());
    if a0 > 10_000 || an > 10_000 {
        return out;
    }
    let divisors = |m: i64| (1..=m).filter(move |d| m % d == 0);
    for p in divisors(a0) {
        for q in divisors(an) {
            for sign in [1i64, -1] {
                let r = Rational::new((sign * p).into(), q.into());
                if u.is_root(&r) && !out.contains(&r) {
                    out.push(r);
                }
            }
        }
    }
    out
}

/// Addendum 13: a generator y^β·(u·y_i + r) affine in one coordinate y_i with a slope u
/// (free of y_i) that is a unit on C but need not be constant becomes the coordinate
/// z_i = u·y_i + r. Every other generator G_k of degree d_k in y_i is replaced by
/// H_k = u^{d_k}·G_k written in z_i (u·y_i = z_i − r), so H_k∘ψ = u^{d_k}·G_k.
/// Conditions (those the checker re-checks): α_i = 0, W free of y_i, J_i = 0, no
/// excluded hyperplane on i; a small y_i needs r = 0 on C; a bounded y_i must be free
/// (not fixed by an earlier forward step), with U_F and V free of y_i on C, and ranges
/// over the enclosure of u·y_i + r on C; its excluded hyperplanes are not inherited by
/// the child (another set in z). Returned with the slope's zero hyperplanes that the chart
/// must exclude first. Among the candidates: the fewest new exclusions, then the
/// coordinate that enters the other generators least (Σ d_k), then the fewest terms.
pub fn find_unit_affine(chart: &Chart) -> Option<(ForwardMove, Vec<(usize, Rational)>)> {
    let n = chart.nvars();
    type Candidate = ((usize, u32, usize), ForwardMove, Vec<(usize, Rational)>);
    let mut best: Option<Candidate> = None;
    for (l, g) in chart.gens.iter().enumerate() {
        let beta = g.monomial_gcd();
        let Some(strict) = g.div_monomial(&beta) else {
            continue;
        };
        if strict.is_constant() {
            continue;
        }
        for i in 0..n {
            if beta[i] > 0
                || strict.degree_in(i) != Some(1)
                || chart.alpha[i] > 0
                || chart.jac[i] > 0
                || chart.unit.degree_in(i).unwrap_or(0) > 0
                || (chart.ranges[i].is_small() && chart.excluded.iter().any(|(k, _)| *k == i))
            {
                continue;
            }
            let coeffs = coefficients_in(&strict, i);
            let (r, u) = (&coeffs[0], &coeffs[1]);
            // The slope must be a unit on C off hyperplanes: those not excluded yet become
            // translate children of this chart (as for a pseudo-division's coefficient).
            let u_c = chart.on_c(u);
            let Some(zeros) = (!u_c.is_zero())
                .then(|| zero_hyperplanes(&u_c, &chart.ranges))
                .flatten()
            else {
                continue;
            };
            let new_excluded: Vec<(usize, Rational)> = zeros
                .into_iter()
                .filter(|x| !chart.excluded.contains(x))
                .collect();
            let range = match &chart.ranges[i] {
                Range::Small => {
                    if !chart.on_c(r).is_zero() {
                        continue;
                    }
                    None
                }
                Range::Interval(..) => {
                    if chart.fixed.contains(&i)
                        || chart.on_c(&chart.input_unit).degree_in(i).unwrap_or(0) > 0
                        || chart.on_c(&chart.jac_unit).degree_in(i).unwrap_or(0) > 0
                    {
                        continue;
                    }
                    let (lo, hi) = super::chart::enclosure(&strict, &chart.ranges);
                    Some(Range::Interval(lo, hi))
                }
            };
            let z = Poly::var(n, i);
            let shifted = &z - r;
            let mut powers = Vec::with_capacity(chart.gens.len());
            let mut gens = Vec::with_capacity(chart.gens.len());
            let mut cost = 0u32;
            for (k, gk) in chart.gens.iter().enumerate() {
                if k == l {
                    powers.push(0);
                    gens.push(z.mul_monomial(&beta));
                    continue;
                }
                let c = coefficients_in(gk, i);
                let d = (c.len() - 1) as u32;
                cost += d;
                // u^d·G_k = Σ_m c_m·u^{d−m}·(u·y_i)^m, and u·y_i = z_i − r.
                let h = c.iter().enumerate().fold(Poly::zero(n), |acc, (m, cm)| {
                    if cm.is_zero() {
                        return acc;
                    }
                    &acc + &(&(cm * &u.pow(d - m as u32)) * &shifted.pow(m as u32))
                });
                powers.push(d);
                gens.push(h);
            }
            let terms = gens.iter().map(Poly::num_terms).sum::<usize>();
            let key = (new_excluded.len(), cost, terms);
            if best.as_ref().is_some_and(|(b, _, _)| *b <= key) {
                continue;
            }
            let mut image: Vec<Poly> = (0..n).map(|k| Poly::var(n, k)).collect();
            image[i] = strict.clone();
            best = Some((
                key,
                ForwardMove {
                    image,
                    changed: vec![i],
                    gens,
                    slope: Some((u.clone(), powers)),
                    range,
                },
                new_excluded,
            ));
        }
    }
    best.map(|(_, mv, x)| (mv, x))
}

/// The child chart of a forward move and the step data for the certificate.
pub fn apply(chart: &Chart, mv: &ForwardMove) -> (Chart, Forward) {
    let n = chart.nvars();
    let r = mv.gens.len();
    // B_j = y^α·W·H_j: W and α are free of the changed coordinates, so they read the same
    // in z.
    let inputs = mv
        .gens
        .iter()
        .map(|h| (&chart.unit * h).mul_monomial(&chart.alpha))
        .collect();
    // Addendum 13: H_j∘ψ = u^{d_j}·G_j, so (B) B∘ψ = diag(u^{d_j})·S·F and, with
    // D = max d_j, (A) u^D·U_F·F = T·diag(u^{D−d_j})·(B∘ψ).
    let (to_input, to_chart, input_unit) = match &mv.slope {
        None => (
            chart.to_input.clone(),
            chart.to_chart.clone(),
            chart.input_unit.clone(),
        ),
        Some((u, powers)) => {
            let top = powers.iter().copied().max().unwrap_or(0);
            let t = chart
                .to_input
                .iter()
                .map(|row| {
                    row.iter()
                        .zip(powers)
                        .map(|(t, &d)| t * &u.pow(top - d))
                        .collect()
                })
                .collect();
            let s = chart
                .to_chart
                .iter()
                .zip(powers)
                .map(|(row, &d)| row.iter().map(|x| x * &u.pow(d)).collect())
                .collect();
            (t, s, &chart.input_unit * &u.pow(top))
        }
    };
    // The coordinates the step's unit proofs involve on C are fixed below it.
    let mut fixed = chart.fixed.clone();
    let mut units = vec![input_unit.clone(), chart.jac_unit.clone()];
    for &i in &mv.changed {
        units.push(mv.image[i].derivative(i));
    }
    for p in &units {
        fixed.extend(chart.on_c(p).used_vars());
    }
    let data = Forward {
        image: mv.image.clone(),
        inputs,
        weight: chart.jac.clone(),
        to_input,
        to_chart,
        input_unit,
        jac_unit: chart.jac_unit.clone(),
    };
    let mut ranges = chart.ranges.clone();
    let mut excluded = chart.excluded.clone();
    if let (Some(range), [i]) = (&mv.range, &mv.changed[..]) {
        ranges[*i] = range.clone();
        // {y_i = c} is another set in z: the child answers for it too (Addendum 13).
        excluded.retain(|(k, _)| k != i);
    }
    fixed.retain(|&j| !ranges[j].is_small());
    fixed.sort_unstable();
    fixed.dedup();
    let mut child = Chart {
        ranges,
        gens: mv.gens.clone(),
        alpha: chart.alpha.clone(),
        unit: chart.unit.clone(),
        input_unit: Poly::one(n),
        to_input: identity_matrix(r, n),
        to_chart: identity_matrix(r, n),
        jac: chart.jac.clone(),
        jac_unit: Poly::one(n),
        excluded,
        fixed,
    };
    child.factor_common_monomial();
    debug_assert!(
        mv.slope.is_some()
            || mv
                .changed
                .iter()
                .all(|&i| matches!(chart.ranges[i], Range::Small))
    );
    (child, data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::Ring;

    fn ring() -> Ring {
        Ring::new(
            ["a1", "a2", "d2", "a3", "d3"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        )
    }

    fn chart_of(gens: &[&str]) -> Chart {
        let r = ring();
        let g: Vec<Poly> = gens.iter().map(|s| r.parse(s).expect("poly")).collect();
        Chart::root(&g, &[0; 5])
    }

    #[test]
    fn rescaling_by_the_unit_of_a_merged_unit() {
        // Σ a_h (1 + d_h) d_h^k: a_h' = a_h (1 + d_h) gives Vandermonde.
        let c = chart_of(&[
            "a1",
            "a2*(1 + d2)*d2 + a3*(1 + d3)*d3",
            "a2*(1 + d2)*d2^2 + a3*(1 + d3)*d3^2",
        ]);
        let mv = find_rescaling(&c).expect("rescaling");
        let r = ring();
        assert_eq!(mv.changed, vec![1, 3]);
        assert_eq!(mv.image[1], r.parse("a2*(1 + d2)").unwrap());
        assert_eq!(mv.gens[1], r.parse("a2*d2 + a3*d3").unwrap());
        assert_eq!(mv.gens[2], r.parse("a2*d2^2 + a3*d3^2").unwrap());
        // G_j(y) = H_j(ψ(y)).
        for (g, h) in c.gens.iter().zip(&mv.gens) {
            assert_eq!(&h.compose(&mv.image), g);
        }
    }

    #[test]
    fn only_the_factor_of_constant_multiplicity_rescales() {
        // tanh: a_h x (x² − 1)^{k−1} at x = −1 + d: x² − 1 = d (d − 2) grows with k.
        let c = chart_of(&[
            "a2*(d2 - 1)*(d2^2 - 2*d2) + a3*(d3 - 1)*(d3^2 - 2*d3)",
            "a2*(d2 - 1)*(d2^2 - 2*d2)^2 + a3*(d3 - 1)*(d3^2 - 2*d3)^2",
        ]);
        let mv = find_rescaling(&c).expect("rescaling");
        let r = ring();
        assert_eq!(mv.image[1], r.parse("a2*(d2 - 1)").unwrap());
        let child = apply(&c, &mv).0;
        let rep = find_reparametrisation(&child).expect("reparametrisation");
        assert_eq!(rep.image[2], r.parse("d2^2 - 2*d2").unwrap());
        for (g, h) in child.gens.iter().zip(&rep.gens) {
            assert_eq!(&h.compose(&rep.image), g);
        }
    }

    #[test]
    fn unit_affine_change_of_a_small_coordinate() {
        // a2·(1 + d2) + a3·d3 is affine in a2 with the unit slope 1 + d2 and a rest that
        // vanishes on C: z = a2·(1 + d2) + a3·d3 (Addendum 13, small case); the other
        // generator, of degree 2 in a2, becomes H = u²·G in z, so H∘ψ = u²·G.
        let c = chart_of(&["a2*(1 + d2) + a3*d3", "a2^2 + a1*d3"]);
        let (mv, new_excluded) = find_unit_affine(&c).expect("unit-affine change");
        let r = ring();
        assert!(new_excluded.is_empty());
        assert_eq!(mv.changed, vec![1]);
        assert_eq!(mv.image[1], r.parse("a2*(1 + d2) + a3*d3").unwrap());
        assert_eq!(mv.gens[0], r.parse("a2").unwrap());
        let (u, powers) = mv.slope.clone().expect("slope");
        assert_eq!(u, r.parse("1 + d2").unwrap());
        assert_eq!(powers, vec![0, 2]);
        for ((g, h), d) in c.gens.iter().zip(&mv.gens).zip(&powers) {
            assert_eq!(h.compose(&mv.image), g * &u.pow(*d));
        }
        // A rest that does not vanish on C is no small-case change.
        let c = chart_of(&["a2*(1 + d2) + 1", "a2^2"]);
        assert!(find_unit_affine(&c).is_none());
    }

    #[test]
    fn no_rescaling_without_a_unit_factor() {
        // The coefficient d2 vanishes on C; d2 + d3 is not univariate.
        assert!(find_rescaling(&chart_of(&["a2*d2 + a3*d3", "a2*d2^2"])).is_none());
        // y² alone (b = 0) is no reparametrisation: g'(0) = 0.
        assert!(find_reparametrisation(&chart_of(&["a2*d2^2 + a3", "d2^4"])).is_none());
        // An odd part: d² − 2d and d.
        assert!(find_reparametrisation(&chart_of(&["a2*(d2^2 - 2*d2) + a3*d2"])).is_none());
    }
}
