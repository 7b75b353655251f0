//! Addendum 12: forward coordinate changes z = ψ(y).
//!
//! A forward child's coordinates are polynomials in its parent's, z = ψ(y), where the
//! inverse is analytic near C but not polynomial. Checked here, exactly:
//! - ψ changes a nonempty set of coordinates, each small in the parent, with no avoided
//!   hyperplane; ψ_i is divisible by y_i and involves only y_i and unchanged coordinates
//!   (triangular), and ∂ψ_i/∂y_i is nonzero on C_parent off the avoided hyperplanes (a
//!   unit proof). So det Dψ = Π ∂ψ_i/∂y_i is a unit near C, ψ is the identity on C
//!   (every changed coordinate is 0 there), hence injective on the compact C, and a local
//!   diffeomorphism injective on a compact set is a diffeomorphism of a neighbourhood of
//!   it onto a neighbourhood of its image: near C, ψ is an analytic isomorphism fixing C.
//! - the child's ranges are the parent's (`structure`), the child inherits the parent's
//!   avoided hyperplanes (on unchanged coordinates, which ψ keeps);
//! - the ideals agree near C_parent: U'·F_i = Σ_j T'_ij·(B_j∘ψ) and B_j∘ψ = Σ_i S'_ji·F_i
//!   with F the parent's pulled-back base inputs and U' a unit;
//! - the parent's prior × Jacobian is ± y^J·V with V a unit (the parent's identity 3).
//!
//! Then near C_parent, K∘map ≍ Σ (B_j∘ψ)², and the prior × Jacobian is |y^J|·unit =
//! |z^J|·unit (y_i = z_i·(analytic unit), since ψ_i = y_i·(unit)). The change of variables
//! z = ψ(y) in the zeta integral ∫ K^z·prior·|det| dy turns the parent's integral into
//! ∫ (Σ B_j²)^z·|z^J|·unit dz over a neighbourhood of C: the child is a root-like chart
//! with inputs B and prior exponent J, and its leaves give the parent's poles.

use super::format::ForwardJson;
use super::leaf::{combination, prior_times_jacobian};
use super::structure::{avoided_hyperplanes, interval_of, Chart, Geometry};
use super::units::prove_nonzero;
use super::{max_degree, parse_poly, Header, VerifyError, MAX_DEGREE, MAX_EXPONENT};
use crate::poly::Poly;

/// The inputs and prior exponent a chart's identities start from.
pub(super) struct Base {
    /// The root's generators, or a forward child's B.
    pub inputs: Vec<Poly>,
    /// The root's weight h, or a forward child's J.
    pub weight: Vec<u32>,
    /// The coordinates the forward step's unit proofs involve on C (none at the root):
    /// they are no longer free below it (Addendum 13).
    pub unit_vars: Vec<usize>,
}

fn step_error(chart: usize, message: String) -> VerifyError {
    VerifyError::Step { chart, message }
}

/// Check the forward step of chart `id` (parent `p`) and return the child's base.
///
/// # Errors
/// The first violated condition of Addendum 12, naming chart `id`.
#[allow(clippy::too_many_arguments)]
pub(super) fn check(
    id: usize,
    p: usize,
    json: &ForwardJson,
    charts: &[Chart],
    parent_geometry: &Geometry,
    parent_base: &Base,
    free: &[usize],
    header: &Header,
) -> Result<Base, VerifyError> {
    let n = header.n;
    let child = &charts[id];
    let parent = &charts[p];
    let parse = |ring: &crate::poly::Ring, what: String, s: &str| {
        parse_poly(ring, s).map_err(|message| VerifyError::Parse {
            chart: id,
            what,
            message,
        })
    };
    let in_parent = |what: String, s: &str| parse(&parent.ring, what, s);
    if json.image.len() != n {
        return Err(step_error(
            id,
            format!("image has {} entries, expected {n}", json.image.len()),
        ));
    }
    let image: Vec<Poly> = json
        .image
        .iter()
        .enumerate()
        .map(|(k, s)| in_parent(format!("image {k}"), s))
        .collect::<Result<_, _>>()?;
    let changed: Vec<usize> = (0..n).filter(|&k| image[k] != Poly::var(n, k)).collect();
    if changed.is_empty() {
        return Err(step_error(
            id,
            "a forward step must change a coordinate".into(),
        ));
    }
    let avoided = avoided_hyperplanes(p, charts);
    // Coordinates whose values the step's unit proofs depend on (on C): outside their
    // boxes nothing is known, so they stop being free (Addendum 13, *free coordinates*).
    let mut unit_vars: Vec<usize> = Vec::new();
    let on_c_vars = |q: &Poly| -> Vec<usize> {
        q.filter_terms(|e| (0..n).all(|j| e[j] == 0 || !parent.is_small(j)))
            .used_vars()
    };
    // Addendum 13: one changed coordinate, affine in itself with a unit slope, where
    // Addendum 12's form (small, image divisible by the coordinate) does not hold.
    let affine = changed
        .iter()
        .any(|&i| !parent.is_small(i) || image[i].is_zero() || image[i].monomial_gcd()[i] == 0);
    for &i in &changed {
        // Addendum 13 lets a free bounded coordinate carry avoided hyperplanes: the child
        // does not inherit them and answers for their neighbourhoods as well.
        let rebased_free = affine && !parent.is_small(i) && free.contains(&i);
        if !rebased_free && avoided.iter().any(|(k, _)| *k == i) {
            return Err(step_error(
                id,
                format!("the parent avoids a hyperplane of the changed coordinate {i}"),
            ));
        }
        if let Some(k) = image[i]
            .used_vars()
            .into_iter()
            .find(|&k| k != i && changed.contains(&k))
        {
            return Err(step_error(
                id,
                format!("image {i} involves the changed coordinate {k}: not triangular"),
            ));
        }
        if !affine {
            let slope = image[i].derivative(i);
            prove_nonzero(&slope, &parent.ranges, &avoided).map_err(|message| {
                VerifyError::Unit {
                    chart: id,
                    what: format!("∂ψ_{i}/∂y_{i} (forward step)"),
                    message,
                }
            })?;
            unit_vars.extend(on_c_vars(&slope));
        }
    }
    if affine {
        let slope = check_affine(id, &changed, &image, json, child, parent, free)?;
        prove_nonzero(&slope, &parent.ranges, &avoided).map_err(|message| VerifyError::Unit {
            chart: id,
            what: format!("the slope u of ψ_{} (Addendum 13)", changed[0]),
            message,
        })?;
        unit_vars.extend(on_c_vars(&slope));
    } else {
        // Addendum 12: ψ fixes C, so the ranges are the parent's.
        if child.ranges != parent.ranges {
            return Err(step_error(
                id,
                "a forward step of Addendum 12 keeps the parent's ranges".into(),
            ));
        }
    }

    // The new base.
    let inputs: Vec<Poly> = json
        .inputs
        .iter()
        .enumerate()
        .map(|(j, s)| parse(&child.ring, format!("forward input {j}"), s))
        .collect::<Result<_, _>>()?;
    if inputs.is_empty() {
        return Err(step_error(
            id,
            "a forward step needs at least one input".into(),
        ));
    }
    if json.weight.len() != n || json.weight.iter().any(|&e| e > MAX_EXPONENT) {
        return Err(step_error(
            id,
            format!("weight must have {n} entries of at most {MAX_EXPONENT}"),
        ));
    }
    let k = parent_base.inputs.len();
    let r = inputs.len();
    let matrix = |name: &str, m: &[Vec<String>], rows: usize, cols: usize| {
        if m.len() != rows || m.iter().any(|row| row.len() != cols) {
            return Err(VerifyError::Structure {
                chart: id,
                message: format!("forward {name} must be {rows} × {cols}"),
            });
        }
        m.iter()
            .enumerate()
            .map(|(a, row)| {
                row.iter()
                    .enumerate()
                    .map(|(b, s)| in_parent(format!("forward {name}[{a}][{b}]"), s))
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()
    };
    let t = matrix("to_input", &json.to_input, k, r)?;
    let s = matrix("to_chart", &json.to_chart, r, k)?;
    let uf = in_parent("forward input_unit".into(), &json.input_unit)?;
    let v = in_parent("forward jacobian_unit".into(), &json.jacobian_unit)?;

    let map_degree = max_degree(&parent_geometry.map).max(1);
    let image_degree = max_degree(&image).max(1);
    if max_degree(&parent_base.inputs).saturating_mul(map_degree) > MAX_DEGREE
        || max_degree(&inputs).saturating_mul(image_degree) > MAX_DEGREE
    {
        return Err(VerifyError::TooLarge {
            chart: id,
            message: format!("a composite of the forward step may exceed degree {MAX_DEGREE}"),
        });
    }
    let f: Vec<Poly> = parent_base
        .inputs
        .iter()
        .map(|fi| fi.compose(&parent_geometry.map))
        .collect();
    let b: Vec<Poly> = inputs.iter().map(|bj| bj.compose(&image)).collect();
    for (i, fi) in f.iter().enumerate() {
        if &uf * fi != combination(&t[i], &b, n) {
            return Err(VerifyError::Identity {
                chart: id,
                identity: 1,
                message: format!("forward step: U' · F_{i} ≠ Σ_j T'_{i}j · B_j∘ψ"),
            });
        }
    }
    for (j, bj) in b.iter().enumerate() {
        if *bj != combination(&s[j], &f, n) {
            return Err(VerifyError::Identity {
                chart: id,
                identity: 2,
                message: format!("forward step: B_{j}∘ψ ≠ Σ_i S'_{j}i · F_i"),
            });
        }
    }
    // The parent's identity 3, with its base's weight.
    let prior = prior_times_jacobian(id, &parent_base.weight, parent_geometry)?;
    let rhs = v.mul_monomial(&json.weight);
    if prior != rhs && prior != -&rhs {
        return Err(VerifyError::Identity {
            chart: id,
            identity: 3,
            message: "forward step: the parent's prior × det(D map) is not ± y^weight · V".into(),
        });
    }
    for (what, u) in [
        ("U' (forward input_unit)", &uf),
        ("V (forward jacobian_unit)", &v),
    ] {
        prove_nonzero(u, &parent.ranges, &avoided).map_err(|message| VerifyError::Unit {
            chart: id,
            what: what.into(),
            message,
        })?;
        let vars = on_c_vars(u);
        // Addendum 13, bounded case: the child's C holds parent points with y_i outside
        // its old range; U' and V must be units there too.
        if affine && !parent.is_small(changed[0]) && vars.contains(&changed[0]) {
            return Err(step_error(
                id,
                format!(
                    "{what} involves the changed bounded coordinate {} on C (Addendum 13)",
                    changed[0]
                ),
            ));
        }
        unit_vars.extend(vars);
    }
    unit_vars.sort_unstable();
    unit_vars.dedup();
    Ok(Base {
        inputs,
        weight: json.weight.clone(),
        unit_vars,
    })
}

/// Addendum 13: the one changed coordinate i has ψ_i = u·y_i + r with u, r free of y_i
/// (u a unit, checked by the caller), J_i = 0; a small y_i needs r = 0 on C and stays
/// small; a bounded y_i must be free in the parent, and its new range must contain the
/// enclosure of ψ_i over C_parent. Every other range is the parent's. Returns u.
fn check_affine(
    id: usize,
    changed: &[usize],
    image: &[Poly],
    json: &ForwardJson,
    child: &Chart,
    parent: &Chart,
    free: &[usize],
) -> Result<Poly, VerifyError> {
    let n = image.len();
    let [i] = changed[..] else {
        return Err(step_error(
            id,
            "an affine forward step (Addendum 13) changes exactly one coordinate".into(),
        ));
    };
    if image[i].degree_in(i) != Some(1) {
        return Err(step_error(
            id,
            format!("image {i} is not affine in its own coordinate (Addendum 13)"),
        ));
    }
    let u = image[i].derivative(i);
    let r = &image[i] - &(&u * &Poly::var(n, i));
    if u.degree_in(i).unwrap_or(0) > 0 || r.degree_in(i).unwrap_or(0) > 0 {
        return Err(step_error(
            id,
            format!("the slope or the rest of image {i} involves y_{i} (Addendum 13)"),
        ));
    }
    if json.weight.get(i).copied().unwrap_or(0) != 0 {
        return Err(step_error(
            id,
            format!(
                "weight {i} must be 0: y_{i} is no divisor of the prior × Jacobian (Addendum 13)"
            ),
        ));
    }
    for (k, (cr, pr)) in child.ranges.iter().zip(&parent.ranges).enumerate() {
        if k != i && cr != pr {
            return Err(step_error(
                id,
                format!("range {k} changed, but only coordinate {i} is (Addendum 13)"),
            ));
        }
    }
    match &parent.ranges[i] {
        None => {
            // Small: ψ is the identity on {small = 0} only if r vanishes there.
            let on_c = r.filter_terms(|e| (0..n).all(|j| e[j] == 0 || !parent.is_small(j)));
            if !on_c.is_zero() {
                return Err(step_error(
                    id,
                    format!("image {i} of a small coordinate does not vanish on C (Addendum 13)"),
                ));
            }
            if child.ranges[i].is_some() {
                return Err(step_error(
                    id,
                    format!("coordinate {i} is small in the parent but not in the child"),
                ));
            }
        }
        Some(_) => {
            if !free.contains(&i) {
                return Err(step_error(
                    id,
                    format!(
                        "coordinate {i} is not free in the parent: points with y_{i} outside its range are not known to be harmless (Addendum 13)"
                    ),
                ));
            }
            let (lo, hi) = interval_of(&image[i], &parent.ranges);
            match &child.ranges[i] {
                Some((clo, chi)) if *clo <= lo && hi <= *chi => {}
                _ => {
                    return Err(step_error(
                        id,
                        format!(
                            "the range of coordinate {i} must contain [{}, {}], the enclosure of its image (Addendum 13)",
                            crate::poly::format_rational(&lo),
                            crate::poly::format_rational(&hi)
                        ),
                    ))
                }
            }
        }
    }
    Ok(u)
}
