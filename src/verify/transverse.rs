//! Addendum 1 of FORMAT.md: transverse leaves.
//!
//! A leaf may list chart generators G_k = c_k · y^{β_k} · U with one common factor U that
//! is *not* a unit on C: U|_C (small coordinates set to 0) has a zero on the box. The
//! checker accepts this when
//!
//! 1. each listed G_k divided by y^{β_k} (β_k the exponent gcd of G_k) is c_k·U^{e_k}, c_k
//!    a nonzero rational, e_k = 1 or the listed power (Addendum 9; the leaf's point is
//!    then α + β_k + e_k·e_{w'});
//! 2. U|_C involves at least one coordinate, only bounded ones, and none that is a
//!    *divisor* (α_j > 0, J_j > 0 or β_k[j] > 0 for a monomial-type or listed k);
//! 3. U|_C has a zero on the box (a rational zero, or a sign change between two points
//!    of the convex box, hence a zero on the segment between them);
//! 4. no zero of U|_C on the box has a vanishing gradient (a nonzero constant partial
//!    derivative; for univariate U|_C, gcd(U|_C, U|_C′) has no root in the closed range
//!    (the checker's own Sturm counter); for quadratic U|_C, the linear system ∇U|_C = 0
//!    is inconsistent or U|_C ≠ 0 on its solution set, on which a quadratic is
//!    constant; Addendum 6, `gradient`: an identity Σ_j q_j·∂U|_C/∂y_j + q₀·U|_C = r
//!    with r proved nonzero by a unit proof, see [`check_gradient`]).
//!
//! The checker adds one rule the Addendum leaves implicit: U|_C must not vanish on a
//! whole excepted hyperplane {y_j = c} (i.e. (y_j − c) ∤ U|_C). Otherwise every zero of U
//! on C could lie on excepted hyperplanes, where W, V and the monomial-type U_k need not be
//! units, and the leaf would claim a normal-crossing value that holds nowhere in its
//! responsibility.
//!
//! Why this suffices. Let p be a zero of U|_C in the box with ∂U|_C/∂y_j(p) ≠ 0. At p
//! every small coordinate is 0, so ∂U/∂y_j(p) = ∂U|_C/∂y_j(p) ≠ 0, and replacing y_j by
//! w' = U is a local analytic change of coordinates. y_j is not a divisor, so y^α, the
//! y^{β_k} and y^J do not involve it; near p the ideal is y^α·W·⟨y^{β_k} (monomial type),
//! y^{β_k}·w' (listed)⟩ — monomial in (…, w', …) — and the prior × Jacobian is |y^J| times
//! a unit. The zero set of U|_C near p is a smooth hypersurface; it is not contained in an
//! excepted hyperplane (rule above), hence has points off every excepted hyperplane
//! arbitrarily close to p, where W, V and the U_k are nonzero (their unit proofs hold on a
//! neighbourhood of the box minus the hyperplanes). U|_C does not involve the divisor
//! coordinates, so they may be set to 0 there: the leaf's (λ, m) is the Newton value of
//! the counted coordinates plus w' (τ_{w'} = 1), attained at such a point; at points of C
//! where U ≠ 0 the value is lexicographically larger (fewer factors vanish), and
//! coordinates with exponent 0 do not change t* or θ.

use super::format::{RationalJson, TransverseJson, WitnessJson};
use super::structure::Chart;
use super::sturm;
use super::units::univariate;
use super::{parse_rational, VerifyError};
use crate::poly::{format_rational, Poly, Rational};
use num_traits::{One, Signed, Zero};

/// A parsed transverse factor with its listed generators.
pub(super) struct Transverse {
    /// U.
    pub factor: Poly,
    /// The listed generators k with their exponent gcds β_k and powers e_k (Addendum 9).
    pub listed: Vec<(usize, Vec<u32>, u32)>,
}

impl Transverse {
    /// Whether chart generator `k` is listed.
    pub fn lists(&self, k: usize) -> bool {
        self.listed.iter().any(|(j, _, _)| *j == k)
    }
}

/// The largest power e_k of a transverse factor the checker expands (Addendum 9).
const MAX_POWER: u32 = 64;

fn fail(chart: usize, condition: u8, message: String) -> VerifyError {
    VerifyError::Transverse {
        chart,
        condition,
        message,
    }
}

/// Parse `leaf.transverse` and check condition 1 for the listed generators.
///
/// # Errors
/// A parse error of U, a bad index, or a listed generator that is not c·y^β·U.
pub(super) fn parse(
    id: usize,
    json: &TransverseJson,
    generators: &[Poly],
    parse_poly: &dyn Fn(String, &str) -> Result<Poly, VerifyError>,
) -> Result<Transverse, VerifyError> {
    let factor = parse_poly("transverse factor".into(), &json.factor)?;
    if factor.is_zero() {
        return Err(fail(id, 1, "the factor U is zero".into()));
    }
    if json.generators.is_empty() {
        return Err(fail(id, 1, "no generator is listed".into()));
    }
    // Addendum 9: G_k / y^{β_k} = c_k · U^{e_k}; e_k = 1 without `powers`.
    let powers = match &json.powers {
        None => vec![1; json.generators.len()],
        Some(p)
            if p.len() == json.generators.len()
                && p.iter().all(|&e| (1..=MAX_POWER).contains(&e)) =>
        {
            p.clone()
        }
        Some(p) => {
            return Err(fail(
                id,
                1,
                format!(
                    "powers {p:?}: need one power in 1..={MAX_POWER} per listed generator ({})",
                    json.generators.len()
                ),
            ))
        }
    };
    let mut listed = Vec::with_capacity(json.generators.len());
    for (a, &k) in json.generators.iter().enumerate() {
        let Some(g) = generators.get(k) else {
            return Err(fail(
                id,
                1,
                format!("lists generator {k}, but the leaf has {}", generators.len()),
            ));
        };
        if json.generators[..a].contains(&k) {
            return Err(fail(id, 1, format!("lists generator {k} twice")));
        }
        let beta = g.monomial_gcd();
        let quotient = g.div_monomial(&beta).unwrap_or_else(|| g.clone());
        let e = powers[a];
        let degree = |p: &Poly| u64::from(p.total_degree().unwrap_or(0));
        let matches = degree(&quotient) == degree(&factor) * u64::from(e) && {
            let power = factor.pow(e);
            let c = power.terms().next().map(|(e0, u0)| quotient.coeff(e0) / u0);
            c.is_some_and(|c| !c.is_zero() && quotient == power.scale(&c))
        };
        if !matches {
            return Err(fail(
                id,
                1,
                format!(
                    "generator {k} divided by y^β (β = {beta:?}, its exponent gcd) is not a \
                     nonzero constant multiple of U^{e}"
                ),
            ));
        }
        listed.push((k, beta, e));
    }
    Ok(Transverse { factor, listed })
}

/// Check conditions 2–4 (and the excepted-hyperplane rule of the module doc).
///
/// `divisor[j]` says whether coordinate j is a divisor (α_j > 0, J_j > 0, or β_k[j] > 0
/// for a monomial-type or listed generator k); `except` are the leaf's excepted
/// hyperplanes {y_j = c}.
///
/// # Errors
/// The first failed condition.
pub(super) fn check_factor(
    id: usize,
    chart: &Chart,
    json: &TransverseJson,
    t: &Transverse,
    divisor: &[bool],
    except: &[(usize, Rational)],
) -> Result<(), VerifyError> {
    let n = chart.ranges.len();
    let name = |j: usize| {
        chart
            .ring
            .names()
            .get(j)
            .cloned()
            .unwrap_or_else(|| format!("#{j}"))
    };
    // U|_C.
    let u_full = t
        .factor
        .filter_terms(|e| (0..n).all(|j| e[j] == 0 || !chart.is_small(j)));
    // Addendum 4: the linear factors y_j − c of avoided hyperplanes are units on the
    // leaf; conditions 2 and 4 concern the rest.
    let u = super::units::strip_avoided(&u_full, except);
    let vars = u.used_vars();
    let u_vars = u_full.used_vars();
    let off_avoided = |p: &[Rational]| {
        !except
            .iter()
            .any(|(j, c)| u_vars.contains(j) && p[*j] == *c)
    };
    let side = |p: &[Rational]| -> Vec<std::cmp::Ordering> {
        except
            .iter()
            .filter(|(j, _)| u_vars.contains(j))
            .map(|(j, c)| p[*j].cmp(c))
            .collect()
    };

    // Addendum 2: U vanishes on C and is a coordinate along a small non-divisor y_j.
    if let WitnessJson::Coordinate(j) = &json.witness {
        let j = *j;
        if json.nonsingular != "coordinate" {
            return Err(fail(
                id,
                4,
                "a 'coordinate' witness needs nonsingular = 'coordinate'".into(),
            ));
        }
        if !u.is_zero() {
            return Err(fail(id, 3, "'coordinate': U does not vanish on C".into()));
        }
        if j >= n || !chart.is_small(j) || divisor.get(j).copied().unwrap_or(true) {
            return Err(fail(
                id,
                2,
                format!(
                    "'coordinate': {} is not a small, non-divisor coordinate",
                    name(j)
                ),
            ));
        }
        // ∂U/∂y_j must be nonzero on C (outside the excepted hyperplanes): a nonzero
        // constant there, or any of the unit proofs (Addendum 3).
        let d = t.factor.derivative(j);
        if let Err(why) = super::units::prove_nonzero(&d, &chart.ranges, except) {
            return Err(fail(
                id,
                4,
                format!(
                    "'coordinate': ∂U/∂{} is not shown nonzero on C ({why})",
                    name(j)
                ),
            ));
        }
        return Ok(());
    }

    // Condition 2.
    if vars.is_empty() {
        return Err(fail(
            id,
            2,
            "U|_C (U with the small coordinates set to 0) involves no coordinate".into(),
        ));
    }
    if let Some(&j) = vars.iter().find(|&&j| chart.is_small(j)) {
        return Err(fail(
            id,
            2,
            format!("U|_C involves the small coordinate {}", name(j)),
        ));
    }
    if let Some(&j) = vars
        .iter()
        .find(|&&j| divisor.get(j).copied().unwrap_or(true))
    {
        return Err(fail(
            id,
            2,
            format!(
                "U|_C involves the divisor coordinate {} (a positive exponent in α, J or some β)",
                name(j)
            ),
        ));
    }
    // The zeros of U|_C must not fill an excepted hyperplane.
    for (j, c) in except {
        if vars.contains(j) && u.substitute(*j, &Poly::constant(n, c.clone())).is_zero() {
            return Err(fail(
                id,
                3,
                format!(
                    "U|_C vanishes on the whole excepted hyperplane {} = {} (that part belongs \
                     to the translate child, where the leaf's units need not be units)",
                    name(*j),
                    format_rational(c)
                ),
            ));
        }
    }

    // Condition 3.
    let point = |p: &[RationalJson], what: &str| -> Result<Vec<Rational>, VerifyError> {
        if p.len() != n {
            return Err(fail(
                id,
                3,
                format!("{what} has {} entries, expected {n}", p.len()),
            ));
        }
        let mut out = Vec::with_capacity(n);
        for (j, v) in p.iter().enumerate() {
            let x = parse_rational(v).map_err(|message| VerifyError::Parse {
                chart: id,
                what: format!("{what} entry {j}"),
                message,
            })?;
            match &chart.ranges[j] {
                None if !x.is_zero() => {
                    return Err(fail(
                        id,
                        3,
                        format!(
                            "{what}: the small coordinate {} must be 0 on C, not {}",
                            name(j),
                            format_rational(&x)
                        ),
                    ))
                }
                Some((lo, hi)) if x < *lo || x > *hi => {
                    return Err(fail(
                        id,
                        3,
                        format!(
                            "{what}: {} = {} is outside its range [{}, {}]",
                            name(j),
                            format_rational(&x),
                            format_rational(lo),
                            format_rational(hi)
                        ),
                    ))
                }
                _ => {}
            }
            out.push(x);
        }
        Ok(out)
    };
    match &json.witness {
        WitnessJson::Coordinate(_) => {}
        WitnessJson::Joint(_) => {
            return Err(fail(
                id,
                3,
                "a joint factor beside factors that are not joint (Addendum 15)".into(),
            ))
        }
        WitnessJson::Zero(p) => {
            let p = point(p, "zero witness")?;
            if !off_avoided(&p) {
                return Err(fail(
                    id,
                    3,
                    "the zero witness lies on an avoided hyperplane".into(),
                ));
            }
            let value = u_full.eval(&p);
            if !value.is_zero() {
                return Err(fail(
                    id,
                    3,
                    format!(
                        "U|_C is {} at the zero witness, not 0",
                        format_rational(&value)
                    ),
                ));
            }
        }
        WitnessJson::Signs(ps) => {
            let [p, q] = &ps[..] else {
                return Err(fail(
                    id,
                    3,
                    format!("a sign witness needs 2 points, found {}", ps.len()),
                ));
            };
            let (p, q) = (point(p, "sign witness 0")?, point(q, "sign witness 1")?);
            // Both points in one cell of the box cut by the avoided hyperplanes: the
            // segment between them avoids those hyperplanes.
            if !off_avoided(&p) || !off_avoided(&q) || side(&p) != side(&q) {
                return Err(fail(
                    id,
                    3,
                    "the sign witnesses are not in one cell of the box cut by the avoided hyperplanes"
                        .into(),
                ));
            }
            let a = u_full.eval(&p);
            let b = u_full.eval(&q);
            // The box is convex: U|_C has a zero on the segment between the two points.
            let differ =
                (a.is_negative() && b.is_positive()) || (a.is_positive() && b.is_negative());
            if !differ {
                return Err(fail(
                    id,
                    3,
                    format!(
                        "U|_C takes the values {} and {} at the sign witnesses: no strict sign change",
                        format_rational(&a),
                        format_rational(&b)
                    ),
                ));
            }
        }
    }

    // Condition 4.
    match json.nonsingular.as_str() {
        "constant_derivative" => {
            let ok = vars.iter().any(|&j| {
                let d = u.derivative(j);
                d.is_constant() && !d.is_zero()
            });
            if !ok {
                return Err(fail(
                    id,
                    4,
                    "'constant_derivative': no partial derivative of U|_C is a nonzero constant"
                        .into(),
                ));
            }
        }
        "univariate" => {
            let [j] = vars[..] else {
                return Err(fail(
                    id,
                    4,
                    format!("'univariate': U|_C involves {} coordinates", vars.len()),
                ));
            };
            let Some((lo, hi)) = &chart.ranges[j] else {
                return Err(fail(id, 4, "'univariate': the coordinate is small".into()));
            };
            let p = univariate(&u, j);
            let g = sturm::gcd(&p, &sturm::derivative(&p));
            match sturm::count_roots_closed(&g, lo, hi) {
                Some(0) => {}
                Some(k) => {
                    return Err(fail(
                        id,
                        4,
                        format!(
                            "'univariate': gcd(U|_C, U|_C') has {k} root(s) in {} ∈ [{}, {}] \
                             (a multiple zero)",
                            name(j),
                            format_rational(lo),
                            format_rational(hi)
                        ),
                    ))
                }
                None => return Err(fail(id, 4, "'univariate': U|_C is zero".into())),
            }
        }
        "quadratic" => {
            if u.total_degree() != Some(2) {
                return Err(fail(
                    id,
                    4,
                    format!(
                        "'quadratic': U|_C has total degree {}, not 2",
                        u.total_degree().unwrap_or(0)
                    ),
                ));
            }
            // ∇U|_C = A·y + b in the variables of U|_C: row i is ∂U|_C/∂y_{vars[i]}.
            let mut a = Vec::with_capacity(vars.len());
            let mut b = Vec::with_capacity(vars.len());
            for &i in &vars {
                let d = u.derivative(i);
                let mut row = Vec::with_capacity(vars.len());
                for &j in &vars {
                    let mut e = vec![0; n];
                    e[j] = 1;
                    row.push(d.coeff(&e));
                }
                a.push(row);
                b.push(-d.constant_term());
            }
            let unique = super::lp::rank(a.clone()) == vars.len();
            if let Some(x) = solve(a, b) {
                let mut p = vec![Rational::zero(); n];
                for (&j, v) in vars.iter().zip(x) {
                    p[j] = v;
                }
                let value = u.eval(&p);
                // Addendum 4: a single singular zero on an avoided hyperplane belongs to a
                // translate child.
                let on_avoided = unique && except.iter().any(|(j, c)| p[*j] == *c);
                if value.is_zero() && !on_avoided {
                    let shown: Vec<String> = vars
                        .iter()
                        .map(|&j| format!("{} = {}", name(j), format_rational(&p[j])))
                        .collect();
                    return Err(fail(
                        id,
                        4,
                        format!(
                            "'quadratic': U|_C and its gradient vanish at ({})",
                            shown.join(", ")
                        ),
                    ));
                }
            }
        }
        "gradient" => check_gradient(id, chart, json, &u, except)?,
        other => {
            return Err(fail(
                id,
                4,
                format!(
                    "unknown proof '{other}' (expected 'constant_derivative', 'univariate', \
                     'quadratic' or 'gradient')"
                ),
            ))
        }
    }
    Ok(())
}

/// Addendum 6: the gradient identity r = Σ_j q_j·∂u/∂y_j + q₀·u (u = U|_C with the
/// linear factors of avoided hyperplanes divided out) with r nonzero on C outside the
/// avoided hyperplanes (any unit proof). At a zero p of u there, Σ_j q_j(p)·∂u/∂y_j(p) =
/// r(p) ≠ 0, so ∇u(p) ≠ 0, and ∇U|_C(p) = L(p)·∇u(p) ≠ 0 with L the product of the
/// divided-out factors (nonzero off the avoided hyperplanes).
fn check_gradient(
    id: usize,
    chart: &Chart,
    json: &TransverseJson,
    u: &Poly,
    except: &[(usize, Rational)],
) -> Result<(), VerifyError> {
    let n = chart.ranges.len();
    let Some(g) = &json.gradient else {
        return Err(fail(
            id,
            4,
            "'gradient': the factor has no 'gradient' multipliers".into(),
        ));
    };
    if g.multipliers.len() != n {
        return Err(fail(
            id,
            4,
            format!(
                "'gradient': {} multipliers, expected one per coordinate ({n})",
                g.multipliers.len()
            ),
        ));
    }
    let parse = |what: String, s: &str| {
        super::parse_poly(&chart.ring, s).map_err(|message| VerifyError::Parse {
            chart: id,
            what,
            message,
        })
    };
    let mut r = &parse("gradient cofactor".into(), &g.cofactor)? * u;
    for (j, q) in g.multipliers.iter().enumerate() {
        let q = parse(format!("gradient multiplier {j}"), q)?;
        r = &r + &(&q * &u.derivative(j));
    }
    if let Err(why) = super::units::prove_nonzero(&r, &chart.ranges, except) {
        return Err(fail(
            id,
            4,
            format!(
                "'gradient': r = Σ q_j·∂U|_C/∂y_j + q₀·U|_C = {} is not shown nonzero on C ({why})",
                chart.ring.show(&r)
            ),
        ));
    }
    Ok(())
}

/// Addendum 14: generator k, G_k = y^{β_k}·Q_k, is *coprime* to the factor U on C. The
/// checker computes R = a·U|_C + b·Q_k from the given multipliers (a, b) and requires
/// (1) R nonzero on C off the avoided hyperplanes (any unit proof; restricted to C, so at
/// a zero p of U|_C there b(p)·Q_k(p) = R(p) ≠ 0 and Q_k is a unit near p); (2) U has a
/// zero witness (not a coordinate factor); (3) some generator l listed by U has
/// β_l ≤ β_k on the counted coordinates, so that where U ≠ 0 (G_l = y^{β_l}·unit) G_k
/// lies in ⟨G_l⟩ and the local ideal is the one with G_k replaced by y^{β_k}. Then G_k
/// counts as monomial type (its point α + β_k, its β among the divisors).
///
/// # Errors
/// The first failed condition.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_coprime(
    id: usize,
    chart: &Chart,
    json: &TransverseJson,
    t: &Transverse,
    (k, g, beta): (usize, &Poly, &[u32]),
    multipliers: &[String],
    counted: &[usize],
    except: &[(usize, Rational)],
) -> Result<(), VerifyError> {
    let n = chart.ranges.len();
    if matches!(
        json.witness,
        WitnessJson::Coordinate(_) | WitnessJson::Joint(_)
    ) {
        return Err(fail(
            id,
            3,
            format!(
                "coprime generator {k}: the factor is a coordinate or joint factor (Addendum 14)"
            ),
        ));
    }
    let [a, b] = multipliers else {
        return Err(fail(
            id,
            4,
            format!("coprime generator {k}: need two multipliers [a, b] (Addendum 14)"),
        ));
    };
    let parse = |what: String, s: &str| {
        super::parse_poly(&chart.ring, s).map_err(|message| VerifyError::Parse {
            chart: id,
            what,
            message,
        })
    };
    let a = parse(format!("coprime multiplier a of generator {k}"), a)?;
    let b = parse(format!("coprime multiplier b of generator {k}"), b)?;
    let q = g.div_monomial(beta).ok_or_else(|| {
        fail(
            id,
            1,
            format!("coprime generator {k} is not divisible by its exponent gcd"),
        )
    })?;
    let u_c = t
        .factor
        .filter_terms(|e| (0..n).all(|j| e[j] == 0 || !chart.is_small(j)));
    let r = &(&a * &u_c) + &(&b * &q);
    if let Err(why) = super::units::prove_nonzero(&r, &chart.ranges, except) {
        return Err(fail(
            id,
            4,
            format!(
                "coprime generator {k}: R = a·U|_C + b·Q = {} is not shown nonzero on C ({why}; Addendum 14)",
                chart.ring.show(&r)
            ),
        ));
    }
    let dominated = t
        .listed
        .iter()
        .any(|(_, bl, _)| counted.iter().all(|&j| bl[j] <= beta[j]));
    if !dominated {
        return Err(fail(
            id,
            1,
            format!(
                "coprime generator {k}: no generator listed by the factor has a monomial dividing y^β (β = {beta:?}) on the counted coordinates (Addendum 14)"
            ),
        ));
    }
    Ok(())
}

/// Addendum 15: every factor of the leaf is a *joint* factor F_i replacing a coordinate
/// y_{j_i}. Checked: every factor object has a `joint` witness and `nonsingular` =
/// "joint", with the same point p; the j_i are distinct and no divisor; det(∂F_i/∂y_{j_k})
/// restricted to C is nonzero on C off the avoided hyperplanes (any unit proof); p lies in
/// the box (small coordinates 0), off every avoided hyperplane, with every counted divisor
/// 0, and every F_i|_C vanishes at p. No factor may carry coprime generators.
///
/// Why. At every point q of C off the avoided hyperplanes the determinant is nonzero, so
/// (by the inverse function theorem) the F_i may replace the y_{j_i} as coordinates near
/// q; y^α, y^J and every β do not involve the y_{j_i} (no divisors; a coordinate whose
/// hyperplane {y_j = 0} is avoided is a unit there), so in the new coordinates the ideal
/// is generated by monomials y^β·F^e times units, and the prior × Jacobian is |y^J| times a
/// unit. The local (λ, m) at q is the Newton value of the coordinates vanishing at q; at p
/// every counted divisor and every F_i vanishes, so p is the deepest point, with the
/// leaf's value (counted coordinates plus one coordinate per factor, τ = 1); elsewhere
/// fewer coordinates vanish and the value is lexicographically larger (Addendum 1).
pub(super) fn check_joint(
    id: usize,
    chart: &Chart,
    ts: &[Transverse],
    jsons: &[&TransverseJson],
    divisor: &[bool],
    counted: &[usize],
    except: &[(usize, Rational)],
) -> Result<(), VerifyError> {
    let n = chart.ranges.len();
    let mut js: Vec<usize> = Vec::with_capacity(ts.len());
    let mut point: Option<Vec<Rational>> = None;
    for json in jsons {
        let WitnessJson::Joint(joint) = &json.witness else {
            return Err(fail(
                id,
                2,
                "a leaf with joint factors has only joint factors (Addendum 15)".into(),
            ));
        };
        if json.nonsingular != "joint" || !json.coprime.is_empty() {
            return Err(fail(
                id,
                4,
                "a joint factor needs nonsingular = 'joint' and no coprime generators (Addendum 15)".into(),
            ));
        }
        let j = joint.coordinate;
        if j >= n || js.contains(&j) || divisor.get(j).copied().unwrap_or(true) {
            return Err(fail(
                id,
                2,
                format!("joint factor: coordinate {j} is out of range, used twice or a divisor (Addendum 15)"),
            ));
        }
        js.push(j);
        if joint.zero.len() != n {
            return Err(fail(
                id,
                3,
                format!("joint zero has {} entries, expected {n}", joint.zero.len()),
            ));
        }
        let p = joint
            .zero
            .iter()
            .enumerate()
            .map(|(k, v)| {
                parse_rational(v).map_err(|message| VerifyError::Parse {
                    chart: id,
                    what: format!("joint zero entry {k}"),
                    message,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        match &point {
            None => point = Some(p),
            Some(q) if *q == p => {}
            Some(_) => {
                return Err(fail(
                    id,
                    3,
                    "the joint factors name different zeros (Addendum 15)".into(),
                ))
            }
        }
    }
    let Some(p) = point else {
        return Ok(());
    };
    for (j, x) in p.iter().enumerate() {
        let in_box = match &chart.ranges[j] {
            None => x.is_zero(),
            Some((lo, hi)) => lo <= x && x <= hi,
        };
        let divisor_zero = !(counted.contains(&j) && divisor[j]) || x.is_zero();
        if !in_box || !divisor_zero || except.iter().any(|(k, c)| *k == j && c == x) {
            return Err(fail(
                id,
                3,
                format!(
                    "joint zero: entry {j} = {} is outside the box, on an avoided hyperplane, or a counted divisor that is not 0 (Addendum 15)",
                    format_rational(x)
                ),
            ));
        }
    }
    let on_c = |q: &Poly| q.filter_terms(|e| (0..n).all(|j| e[j] == 0 || !chart.is_small(j)));
    for (i, t) in ts.iter().enumerate() {
        let value = on_c(&t.factor).eval(&p);
        if !value.is_zero() {
            return Err(fail(
                id,
                3,
                format!(
                    "joint factor {i} is {} at the joint zero, not 0 (Addendum 15)",
                    format_rational(&value)
                ),
            ));
        }
    }
    let a: Vec<Vec<Poly>> = ts
        .iter()
        .map(|t| js.iter().map(|&j| on_c(&t.factor.derivative(j))).collect())
        .collect();
    let det = crate::poly::determinant(&a);
    if let Err(why) = super::units::prove_nonzero(&det, &chart.ranges, except) {
        return Err(fail(
            id,
            4,
            format!(
                "the joint factors' Jacobian determinant {} is not shown nonzero on C ({why}; Addendum 15)",
                chart.ring.show(&det)
            ),
        ));
    }
    Ok(())
}

/// Addendum 2: several factors must be independent coordinates at common zeros. Factors
/// with a zero on the box ("bounded" factors) must involve pairwise disjoint coordinates
/// on C; coordinate factors must use distinct coordinates y_j with ∂U_i/∂y_{j_k} = 0 on C
/// for every bounded factor U_i, and (Addendum 9) the coordinate factors' matrix
/// A_ik = ∂U_i/∂y_{j_k} on C must have a determinant proved nonzero on C. Then the Jacobian
/// of the factors along their coordinates is block triangular with invertible blocks at
/// every common zero on C.
///
/// # Errors
/// The first pair that overlaps.
pub(super) fn check_independent(
    id: usize,
    chart: &Chart,
    factors: &[Transverse],
    json: &[&TransverseJson],
    except: &[(usize, Rational)],
) -> Result<(), VerifyError> {
    let n = chart.ranges.len();
    let on_c = |p: &Poly| p.filter_terms(|e| (0..n).all(|j| e[j] == 0 || !chart.is_small(j)));
    let is_coordinate = |js: &TransverseJson| matches!(js.witness, WitnessJson::Coordinate(_));
    // Addendum 9: the coordinate factors' matrix A_ik = ∂U_i/∂y_{j_k} on C must have a
    // determinant that is a unit on C (the off-diagonal entries need not vanish).
    let coordinates: Vec<(usize, usize)> = json
        .iter()
        .enumerate()
        .filter_map(|(i, js)| match js.witness {
            WitnessJson::Coordinate(j) => Some((i, j)),
            _ => None,
        })
        .collect();
    if coordinates.len() > 1 {
        let a: Vec<Vec<Poly>> = coordinates
            .iter()
            .map(|(i, _)| {
                coordinates
                    .iter()
                    .map(|(_, j)| on_c(&factors[*i].factor.derivative(*j)))
                    .collect()
            })
            .collect();
        // A diagonal A (Addendum 2's rule) is invertible: each diagonal entry is proved a
        // unit by the factor's own condition 4. Otherwise the determinant needs a proof.
        let diagonal = a
            .iter()
            .enumerate()
            .all(|(r, row)| row.iter().enumerate().all(|(c, p)| r == c || p.is_zero()));
        let det = crate::poly::determinant(&a);
        let proof = if diagonal {
            Ok(())
        } else {
            super::units::prove_nonzero(&det, &chart.ranges, except)
        };
        if let Err(why) = proof {
            return Err(fail(
                id,
                4,
                format!(
                    "the coordinate factors' Jacobian determinant {} is not shown nonzero on C ({why})",
                    chart.ring.show(&det)
                ),
            ));
        }
    }
    let mut seen: Vec<usize> = Vec::new();
    for (t, js) in factors.iter().zip(json) {
        match &js.witness {
            WitnessJson::Coordinate(j) => {
                for (i, other) in factors.iter().enumerate() {
                    let same = std::ptr::eq(other, t);
                    // Coordinate factors are covered by the determinant above.
                    if !same
                        && !is_coordinate(json[i])
                        && !on_c(&other.factor.derivative(*j)).is_zero()
                    {
                        return Err(fail(
                            id,
                            4,
                            format!(
                                "factor {i} depends on the coordinate {j} of another factor on C"
                            ),
                        ));
                    }
                }
                if seen.contains(j) {
                    return Err(fail(id, 4, format!("coordinate {j} serves two factors")));
                }
                seen.push(*j);
            }
            _ => {
                for v in on_c(&t.factor).used_vars() {
                    if seen.contains(&v) {
                        return Err(fail(
                            id,
                            4,
                            format!("two factors share the coordinate {v} on C"),
                        ));
                    }
                    seen.push(v);
                }
            }
        }
    }
    Ok(())
}

/// One solution of the square or rectangular system A·x = b over ℚ (free unknowns set to
/// 0), or `None` if it is inconsistent. Gauss–Jordan elimination, exact.
pub(super) fn solve(mut a: Vec<Vec<Rational>>, mut b: Vec<Rational>) -> Option<Vec<Rational>> {
    let rows = a.len();
    let cols = a.first().map_or(0, Vec::len);
    let mut pivots: Vec<usize> = Vec::new();
    for col in 0..cols {
        let r = pivots.len();
        let Some(p) = (r..rows).find(|&i| !a[i][col].is_zero()) else {
            continue;
        };
        a.swap(r, p);
        b.swap(r, p);
        let inv = Rational::one() / &a[r][col];
        for v in a[r].iter_mut() {
            *v *= &inv;
        }
        b[r] *= &inv;
        let pivot_row = a[r].clone();
        let pivot_rhs = b[r].clone();
        for i in 0..rows {
            if i == r || a[i][col].is_zero() {
                continue;
            }
            let f = a[i][col].clone();
            for (v, w) in a[i].iter_mut().zip(&pivot_row) {
                *v -= &f * w;
            }
            b[i] -= &f * &pivot_rhs;
        }
        pivots.push(col);
    }
    // Rows below the pivots are 0 = b_i.
    if b[pivots.len()..].iter().any(|v| !v.is_zero()) {
        return None;
    }
    let mut x = vec![Rational::zero(); cols];
    for (r, &col) in pivots.iter().enumerate() {
        x[col] = b[r].clone();
    }
    Some(x)
}
