//! Checks 2–4 of the module doc on one leaf: the identities, the unit proofs, the
//! generator classification and the leaf's (λ, m).

use super::format::LeafJson;
use super::forward::Base;
use super::lp::newton_distance;
use super::structure::{avoided_hyperplanes, Chart, Geometry};
use super::transverse;
use super::units::prove_nonzero;
use super::{degree, max_degree, parse_poly, parse_rational, show_pair, Header, Kind, VerifyError};
use super::{MAX_DEGREE, MAX_EXPONENT};
use crate::poly::{Poly, Rational};
use num_traits::{One, Signed, Zero};

/// Check a leaf and return its pole (λ_leaf, m_leaf), or `None` if it has none.
///
/// # Errors
/// The first failed check, naming chart `id`.
pub(super) fn check(
    id: usize,
    chart: &Chart,
    leaf: &LeafJson,
    geometry: &Geometry,
    base: &Base,
    charts: &[Chart],
    header: &Header,
) -> Result<Option<(Rational, u32)>, VerifyError> {
    let n = header.n;
    let structure = |message: String| VerifyError::Structure { chart: id, message };
    let parse = |what: String, s: &str| {
        parse_poly(&chart.ring, s).map_err(|message| VerifyError::Parse {
            chart: id,
            what,
            message,
        })
    };
    let generators: Vec<Poly> = leaf
        .generators
        .iter()
        .enumerate()
        .map(|(j, g)| parse(format!("leaf generator {j}"), g))
        .collect::<Result<_, _>>()?;
    let r = generators.len();
    let k = base.inputs.len();
    if r == 0 {
        return Err(structure("a leaf needs at least one generator".into()));
    }
    for (name, v) in [("monomial", &leaf.monomial), ("jacobian", &leaf.jacobian)] {
        if v.len() != n {
            return Err(structure(format!(
                "{name} has {} entries, expected {n}",
                v.len()
            )));
        }
        if v.iter().any(|&e| e > MAX_EXPONENT) {
            return Err(VerifyError::TooLarge {
                chart: id,
                message: format!("{name} exponent above {MAX_EXPONENT}"),
            });
        }
    }
    let alpha = &leaf.monomial;
    let w = parse("unit".into(), &leaf.unit)?;
    let uf = match &leaf.input_unit {
        Some(u) => parse("input_unit".into(), u)?,
        None => Poly::one(n),
    };
    let v = parse("jacobian_unit".into(), &leaf.jacobian_unit)?;
    let t = matrix(id, "to_input", &leaf.to_input, k, r, &parse)?;
    let s = matrix(id, "to_chart", &leaf.to_chart, r, k, &parse)?;

    // F_i = f_i ∘ map.
    let map_degree = max_degree(&geometry.map).max(1);
    if max_degree(&base.inputs).saturating_mul(map_degree) > MAX_DEGREE {
        return Err(VerifyError::TooLarge {
            chart: id,
            message: format!("f ∘ map may exceed degree {MAX_DEGREE}"),
        });
    }
    // F_i = b_i ∘ map with b the base's inputs: the root's f, or a forward child's B
    // (Addendum 12).
    let f: Vec<Poly> = base
        .inputs
        .iter()
        .map(|fi| fi.compose(&geometry.map))
        .collect();

    // Identity 1: U_F · F_i = y^α · W · Σ_j T_ij G_j (U_F = 1 unless Addendum 3).
    for (i, fi) in f.iter().enumerate() {
        let sum = combination(&t[i], &generators, n);
        if &uf * fi != (&w * &sum).mul_monomial(alpha) {
            return Err(VerifyError::Identity {
                chart: id,
                identity: 1,
                message: format!("U_F · F_{i} ≠ y^α · W · Σ_j T_{i}j G_j"),
            });
        }
    }
    // Identity 2: y^α · W · G_j = Σ_i S_ji F_i.
    for (j, gj) in generators.iter().enumerate() {
        if (&w * gj).mul_monomial(alpha) != combination(&s[j], &f, n) {
            return Err(VerifyError::Identity {
                chart: id,
                identity: 2,
                message: format!("y^α · W · G_{j} ≠ Σ_i S_{j}i F_i"),
            });
        }
    }
    // Identity 3: Π map_k^{h_k} · det(D map) = ± y^J · V.
    let prior = prior_times_jacobian(id, &base.weight, geometry)?;
    let rhs = v.mul_monomial(&leaf.jacobian);
    if prior != rhs && prior != -&rhs {
        return Err(VerifyError::Identity {
            chart: id,
            identity: 3,
            message: format!(
                "prior × det(D map) = '{}' is not ± y^J · V",
                chart.ring.show(&prior)
            ),
        });
    }

    // Units.
    let except = avoided_hyperplanes(id, charts);
    let unit = |what: &str, p: &Poly| {
        prove_nonzero(p, &chart.ranges, &except).map_err(|message| VerifyError::Unit {
            chart: id,
            what: what.to_string(),
            message,
        })
    };
    unit("W (unit)", &w)?;
    unit("U_F (input_unit)", &uf)?;
    unit("V (jacobian_unit)", &v)?;

    // Addendum 1: listed generators G_k = c_k · y^{β_k} · U of a transverse factor U.
    let factor_json = leaf
        .transverse
        .as_ref()
        .map(|t| t.list())
        .unwrap_or_default();
    let mut transverse = Vec::with_capacity(factor_json.len());
    for json in &factor_json {
        let t = transverse::parse(id, json, &generators, &parse)?;
        if let Some(k) = t.listed.iter().find(|(k, _, _)| {
            transverse
                .iter()
                .any(|o: &transverse::Transverse| o.lists(*k))
        }) {
            return Err(VerifyError::Transverse {
                chart: id,
                condition: 1,
                message: format!("generator {} is listed by two factors", k.0),
            });
        }
        transverse.push(t);
    }
    let is_listed = |j: usize| transverse.iter().any(|t| t.lists(j));
    // Addendum 14: generators coprime to a factor (checked below, with the factors).
    let mut coprime: Vec<(usize, usize)> = Vec::new();
    for (i, json) in factor_json.iter().enumerate() {
        for c in &json.coprime {
            let k = c.generator;
            if k >= r || is_listed(k) || coprime.iter().any(|(_, j)| *j == k) {
                return Err(VerifyError::Transverse {
                    chart: id,
                    condition: 1,
                    message: format!(
                        "coprime generator {k}: out of range, listed by a factor, or coprime twice (Addendum 14)"
                    ),
                });
            }
            coprime.push((i, k));
        }
    }
    let is_coprime = |j: usize| coprime.iter().any(|(_, k)| *k == j);

    // Generators: monomial type (G = y^β U, U a unit), listed (transverse), or redundant
    // with respect to the monomial-type ones only.
    let mut betas: Vec<Option<Vec<u32>>> = Vec::with_capacity(r);
    for (j, g) in generators.iter().enumerate() {
        if is_listed(j) {
            betas.push(None);
            continue;
        }
        let beta = g.monomial_gcd();
        // A coprime generator (Addendum 14) counts as monomial type; its proof follows.
        let is_monomial_type = !g.is_zero()
            && (is_coprime(j)
                || g.div_monomial(&beta)
                    .is_some_and(|u| prove_nonzero(&u, &chart.ranges, &except).is_ok()));
        betas.push(is_monomial_type.then_some(beta));
    }
    let counted: Vec<usize> = (0..n)
        .filter(|&j| match &chart.ranges[j] {
            None => true,
            Some((lo, hi)) => {
                !lo.is_positive()
                    && !hi.is_negative()
                    && !except.iter().any(|(k, c)| *k == j && c.is_zero())
            }
        })
        .collect();
    let monomial_betas: Vec<&Vec<u32>> = betas.iter().flatten().collect();
    for (j, g) in generators.iter().enumerate() {
        if betas[j].is_some() || is_listed(j) {
            continue;
        }
        // Divisibility on the counted coordinates only (Addendum 13): a bounded coordinate
        // that is not counted is nonzero on C off the avoided hyperplanes, a unit near
        // every point the leaf answers for.
        let redundant = g.support().all(|e| {
            monomial_betas
                .iter()
                .any(|b| counted.iter().all(|&k| b[k] <= e[k]))
        });
        if !redundant {
            return Err(VerifyError::Generator {
                chart: id,
                index: j,
                message: match prove_nonzero(
                    &g.div_monomial(&g.monomial_gcd())
                        .unwrap_or_else(|| g.clone()),
                    &chart.ranges,
                    &except,
                ) {
                    Err(why) => format!("not monomial type ({why}) and not redundant"),
                    Ok(()) => "neither monomial type nor redundant".into(),
                },
            });
        }
    }
    if header.kind == Kind::Poly && (r != 1 || (betas[0].is_none() && !is_listed(0))) {
        return Err(VerifyError::Generator {
            chart: id,
            index: 0,
            message: "kind 'poly' needs exactly one chart generator, of monomial type (or \
                      transverse)"
                .into(),
        });
    }

    // Addendum 1, conditions 2–4: U|_C avoids the divisors, has a zero, and every zero
    // on the box is nonsingular.
    if !transverse.is_empty() {
        // A coordinate whose hyperplane {y_j = 0} is avoided is a unit on this leaf
        // (Addendum 4).
        let divisor: Vec<bool> = (0..n)
            .map(|j| {
                !except.iter().any(|(k, c)| *k == j && c.is_zero())
                    && (alpha[j] > 0
                        || leaf.jacobian[j] > 0
                        || monomial_betas.iter().any(|b| b[j] > 0)
                        || transverse
                            .iter()
                            .any(|t| t.listed.iter().any(|(_, b, _)| b[j] > 0)))
            })
            .collect();
        let joint = factor_json
            .iter()
            .filter(|j| matches!(j.witness, super::format::WitnessJson::Joint(_)))
            .count();
        if joint > 0 {
            // Addendum 15: the factors are jointly coordinates.
            transverse::check_joint(
                id,
                chart,
                &transverse,
                &factor_json,
                &divisor,
                &counted,
                &except,
            )?;
        } else {
            for (t, json) in transverse.iter().zip(&factor_json) {
                transverse::check_factor(id, chart, json, t, &divisor, &except)?;
            }
            transverse::check_independent(id, chart, &transverse, &factor_json, &except)?;
        }
        for &(i, k) in &coprime {
            let entry = factor_json[i]
                .coprime
                .iter()
                .find(|c| c.generator == k)
                .ok_or_else(|| structure("coprime entry lost".into()))?;
            let beta = betas[k].as_ref().ok_or_else(|| VerifyError::Generator {
                chart: id,
                index: k,
                message: "a coprime generator must not be zero (Addendum 14)".into(),
            })?;
            transverse::check_coprime(
                id,
                chart,
                factor_json[i],
                &transverse[i],
                (k, &generators[k], beta),
                &entry.multipliers,
                &counted,
                &except,
            )?;
        }
    }

    // The leaf's (λ, m) from the monomial ideal on the counted coordinates (plus w' = U,
    // τ = 1, for a transverse leaf).
    // One extra coordinate w'_i (τ = 1) per transverse factor.
    let extra = transverse.len();
    // A listed generator c·y^β·U_i^e gives the point α + β + e·e_{w'_i} (Addendum 9).
    let point = |b: &Vec<u32>, w: Option<(usize, u32)>| -> Vec<u32> {
        let mut p: Vec<u32> = counted.iter().map(|&j| alpha[j] + b[j]).collect();
        p.resize(counted.len() + extra, 0);
        if let Some((i, e)) = w {
            p[counted.len() + i] = e;
        }
        p
    };
    let mut points: Vec<Vec<u32>> = monomial_betas.iter().map(|b| point(b, None)).collect();
    for (i, t) in transverse.iter().enumerate() {
        points.extend(t.listed.iter().map(|(_, b, e)| point(b, Some((i, *e)))));
    }
    let mut tau: Vec<u32> = counted.iter().map(|&j| leaf.jacobian[j] + 1).collect();
    tau.resize(counted.len() + extra, 1);
    let pole = newton_distance(&points, &tau)
        .map_err(|message| structure(format!("Newton LP: {message}")))?
        .map(|nv| {
            let lambda = match header.kind {
                Kind::Ideal => Rational::one() / (nv.t_star * Rational::from_integer(2.into())),
                Kind::Poly => Rational::one() / nv.t_star,
            };
            (lambda, u32::try_from(nv.theta).unwrap_or(u32::MAX))
        });
    compare_claim(id, leaf, pole.as_ref())?;
    Ok(pole)
}

/// Parse a `rows × cols` matrix of polynomial strings.
fn matrix(
    id: usize,
    name: &str,
    m: &[Vec<String>],
    rows: usize,
    cols: usize,
    parse: &dyn Fn(String, &str) -> Result<Poly, VerifyError>,
) -> Result<Vec<Vec<Poly>>, VerifyError> {
    if m.len() != rows || m.iter().any(|row| row.len() != cols) {
        return Err(VerifyError::Structure {
            chart: id,
            message: format!("{name} must be {rows} × {cols}"),
        });
    }
    m.iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter()
                .enumerate()
                .map(|(j, s)| parse(format!("{name}[{i}][{j}]"), s))
                .collect()
        })
        .collect()
}

/// Σ_j c_j p_j.
/// Π map_k^{h_k} · det(D map), the left side of identity 3 (also checked for the parent of
/// a forward step, Addendum 12), after a bound on its degree.
pub(super) fn prior_times_jacobian(
    id: usize,
    weight: &[u32],
    geometry: &Geometry,
) -> Result<Poly, VerifyError> {
    let prior_degree = weight
        .iter()
        .zip(&geometry.map)
        .map(|(&h, m)| u64::from(h).saturating_mul(degree(m)))
        .fold(degree(&geometry.det), u64::saturating_add);
    if prior_degree > MAX_DEGREE {
        return Err(VerifyError::TooLarge {
            chart: id,
            message: format!("prior × Jacobian may exceed degree {MAX_DEGREE}"),
        });
    }
    let mut prior = geometry.det.clone();
    for (&h, m) in weight.iter().zip(&geometry.map) {
        if h > 0 {
            prior = &prior * &m.pow(h);
        }
    }
    Ok(prior)
}

/// Σ_i coeffs_i · ps_i in n variables.
pub(super) fn combination(coeffs: &[Poly], ps: &[Poly], n: usize) -> Poly {
    coeffs
        .iter()
        .zip(ps)
        .filter(|(c, _)| !c.is_zero())
        .fold(Poly::zero(n), |acc, (c, p)| &acc + &(c * p))
}

/// The leaf's own claim must match: a pole (λ, m), or no pole (λ null, m null or 0).
fn compare_claim(
    id: usize,
    leaf: &LeafJson,
    pole: Option<&(Rational, u32)>,
) -> Result<(), VerifyError> {
    let claimed_lambda = match &leaf.lambda {
        None => None,
        Some(l) => Some(parse_rational(l).map_err(|message| VerifyError::Parse {
            chart: id,
            what: "leaf lambda".into(),
            message,
        })?),
    };
    let claimed = match (&claimed_lambda, leaf.multiplicity) {
        (Some(l), Some(m)) => show_pair(l, m),
        (Some(l), None) => format!("λ = {}", crate::poly::format_rational(l)),
        (None, _) => "no pole".into(),
    };
    let ok = match pole {
        Some((l, m)) => claimed_lambda.as_ref() == Some(l) && leaf.multiplicity == Some(*m),
        None => claimed_lambda.is_none() && matches!(leaf.multiplicity, None | Some(0)),
    };
    if ok {
        return Ok(());
    }
    Err(VerifyError::LeafClaim {
        chart: id,
        claimed,
        computed: match pole {
            Some((l, m)) => show_pair(l, *m),
            None => "no pole".into(),
        },
    })
}
