//! The independent certificate checker: re-proves an `exact` answer (λ, m) from a
//! resolution certificate in the format `rlct-certificate/1`
//! (`src/certificate/FORMAT.md`).
//!
//! The checker shares nothing with the resolver beyond the polynomial type
//! ([`crate::poly`]): it has its own JSON mirror (`format`), its own univariate Sturm
//! root counter (`sturm`), its own exact simplex for the Newton distance (`lp`). A
//! bug in the resolver therefore cannot hide itself by reappearing in the check.
//!
//! # What is checked, and why it suffices
//!
//! The certificate describes a finite tree of charts. Each chart has coordinates y, a set
//! C = {small y_j = 0, bounded y_j ∈ [lo_j, hi_j]} (compact) and is responsible for a
//! neighbourhood of C. The checks, in order:
//!
//! 1. **Structure** (`structure`). Ids are indices; chart 0 is the root (identity,
//!    everything small, so C = {0}); every other chart is listed exactly once, by its
//!    parent (a `split` child or a leaf's excepted hyperplane), and is reachable from the
//!    root, so the charts form a tree. A split chart is covered either by a *complete*
//!    blow-up family (one child per centre index, the same centre of ≥ 2 small
//!    coordinates) — near C_parent every point lies in the chart of its centre coordinate
//!    of largest |·|, where the other ratios are in [−1, 1], and [−1, 1] is compact — or
//!    by one triangular coordinate change y_j ↦ (y_j − r)/c with r = 0 on C, a polynomial
//!    automorphism fixing C, or by one *shift* of a bounded coordinate (the same change
//!    with any r free of y_j; the child's interval must contain the image of C, checked
//!    by interval arithmetic here; FORMAT.md Addendum 5). A translate child re-centres a leaf at {y_j = c} with c in
//!    the bounded range of y_j. Substitution strings are recomputed from the step and
//!    compared as polynomials; child ranges are recomputed from the step.
//!    Together: the leaves (minus their excepted hyperplanes, plus their translate
//!    children) cover a neighbourhood of the zero set over the origin by proper maps.
//! 2. **Chart identities** (`leaf`). With `map` the composite substitution and
//!    F_i = f_i∘map: F_i = y^α W Σ_j T_ij G_j and y^α W G_j = Σ_i S_ji F_i, so the ideal
//!    ⟨F⟩ equals y^α W ⟨G⟩; and Π map_k^{h_k} · det(D map) = ± y^J V, with det(D map)
//!    computed here by the chain rule. All identities are exact polynomial equalities.
//! 3. **Units** (`units`, `sturm`). W, V and each monomial-type U_j are proved
//!    nonzero on C outside the excepted hyperplanes (whose neighbourhoods the translate
//!    children cover; the rest of C is compact, so nonzero on it means a unit on a
//!    neighbourhood). Every other generator is redundant: it lies in the ideal of the
//!    monomials y^{β_k}. Hence near every point of C, K∘map ≍ Σ_k (y^{α+β_k})² (for a
//!    polynomial K: |y^{α+β_1}|) and the prior times the Jacobian is |y^J| · unit — the
//!    normal-crossing form of Watanabe 2009 (ch. 2 and 6; DESIGN §2.1) in monomial-ideal
//!    form.
//! 4. **Leaf (λ, m)** (`lp`). For a monomial ideal the local (λ, m) is read off the
//!    Newton polyhedron: λ = 1/(2t*) (ideal) or 1/t* (polynomial), m = θ (Howald 2001 for
//!    monomial ideals; Lin 2017 Thm 1.3 / Prop. 4.5; DESIGN §2.2). Only *counted*
//!    coordinates (those that can vanish on C outside the excepted hyperplanes) enter; the
//!    others are units. The deepest point of C (all counted coordinates 0) dominates every
//!    other point of C, so its value is the leaf's.
//!
//!    *Transverse leaves* (`transverse`, FORMAT.md Addendum 1). A leaf may list
//!    generators G_k = c_k·y^{β_k}·U with one common factor U whose restriction U|_C
//!    has zeros on the box, all nonsingular, in coordinates that are not divisors. Near
//!    such a zero w' = U is a coordinate transverse to the divisors, the ideal is monomial
//!    in (…, w', …), and the leaf's (λ, m) is the Newton value with the extra coordinate
//!    w' (τ = 1). The proofs (a zero or sign-change witness; a constant partial
//!    derivative, a Sturm count on gcd(U, U′), or an exact linear solve of ∇U = 0 for a
//!    quadratic) are checked exactly; see that module for the argument.
//! 5. **Answer.** λ = min over leaves, m = max of m over the leaves attaining λ
//!    (DESIGN §2.1: the zeta function is a positive sum over the charts, so poles do not
//!    cancel); it must equal the certificate's claim.
//!
//! A top-level `source` (Addendum 1, *Squared input*) is checked as the exact identity
//! K = scale·g² with scale > 0 and g the single generator of an `"ideal"` certificate; K
//! and ⟨g⟩ have the same (λ, m).
//!
//! A `forward` step (Addendum 12, `forward`) has child coordinates z = ψ(y) with ψ
//! triangular, fixing C, with unit diagonal derivatives: an analytic isomorphism near C.
//! The child starts a new base (inputs B, prior exponent J) whose ideal is checked equal to
//! the parent's pulled-back inputs by exact identities; the leaves below it use that base.
//! Addendum 13 also accepts one changed coordinate z_i = u·y_i + r with a unit slope u: a
//! small y_i with r = 0 on C, or a *free* bounded y_i (no forward unit involves it,
//! `free_coordinates`) whose new range encloses the image of C, with U' and V free of y_i
//! on C; shifts (Addendum 5) also need a free coordinate.
//!
//! Addendum 14 (`transverse::check_coprime`): a generator y^β·Q may count as monomial type
//! when Q is nonzero at the zeros of a transverse factor U (an identity a·U|_C + b·Q = R
//! with R proved nonzero) and a generator listed by U has a monomial dividing y^β on the
//! counted coordinates: at every point the leaf answers for, the ideal is then the one
//! with y^β in place of the generator.
//!
//! A top-level `root_of` (Addendum 8, *Powers*) is checked as the exact identity
//! g = scale·h^k, g the input's single generator, h the certificate's; the recomputed
//! λ is divided by k (ζ_g(z) = ζ_h(kz)) before it is compared with the claim.
//!
//! Malformed JSON, unparsable polynomials or absurd sizes give a [`VerifyError`]; the
//! checker never panics on data.
//!
//! # References
//! - S. Watanabe, *Algebraic Geometry and Statistical Learning Theory*, Cambridge 2009,
//!   ch. 2 (resolution of singularities, normal crossing) and ch. 6 (the poles of the zeta
//!   function read off a normal-crossing cover: λ = min over charts, m = max order).
//! - J. Howald, "Multiplier ideals of monomial ideals", Trans. AMS 353 (2001).
//! - S. Lin, "Ideal-theoretic strategies for asymptotic approximation of marginal
//!   likelihood integrals", J. Alg. Stat. 8 (2017), Thm 1.3, Prop. 4.5.

mod format;
mod forward;
mod leaf;
mod lp;
mod structure;
mod sturm;
mod transverse;
mod units;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_addendum;

use crate::poly::{parse_expr, Expr, Poly, Rational, Ring};
use format::{CertificateJson, RationalJson, RootOfJson, SourceJson};
use num_traits::{Signed, Zero};

/// A successfully verified certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The recomputed (and claimed) real log canonical threshold λ.
    pub lambda: Rational,
    /// The recomputed (and claimed) multiplicity m.
    pub multiplicity: u32,
    /// Number of charts in the tree.
    pub charts: usize,
    /// Number of leaf charts.
    pub leaves: usize,
}

/// Why a certificate was rejected. Every variant is one line and, where the failure is
/// local, names the chart id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The file could not be read.
    #[error("cannot read certificate {path}: {message}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        message: String,
    },
    /// Not JSON, or not the shape of `rlct-certificate/1`.
    #[error("malformed certificate JSON: {0}")]
    Json(String),
    /// A top-level field is wrong (format string, kind, variables, generators, weight,
    /// claim).
    #[error("certificate header: {0}")]
    Header(String),
    /// A polynomial or rational string of a chart does not parse.
    #[error("chart {chart}: cannot parse {what}: {message}")]
    Parse {
        /// The chart id.
        chart: usize,
        /// Which field.
        what: String,
        /// The parser's message.
        message: String,
    },
    /// The tree is malformed (ids, parents, covers, blow-up families, exceptions).
    #[error("chart {chart}: structure: {message}")]
    Structure {
        /// The chart id.
        chart: usize,
        /// What is wrong.
        message: String,
    },
    /// A step, its substitution or the child's ranges break the step rules.
    #[error("chart {chart}: step: {message}")]
    Step {
        /// The chart id.
        chart: usize,
        /// What is wrong.
        message: String,
    },
    /// One of the leaf identities 1–3 of FORMAT.md does not hold.
    #[error("chart {chart}: identity {identity} fails: {message}")]
    Identity {
        /// The chart id.
        chart: usize,
        /// 1, 2 or 3.
        identity: u8,
        /// Which row.
        message: String,
    },
    /// A unit (W, V or some U_j) is not proved nonzero on C outside the exceptions.
    #[error("chart {chart}: unit proof fails for {what}: {message}")]
    Unit {
        /// The chart id.
        chart: usize,
        /// Which unit.
        what: String,
        /// Why no proof applies.
        message: String,
    },
    /// A chart generator is neither of monomial type nor redundant (or the `poly` rules
    /// are broken).
    #[error("chart {chart}: generator {index}: {message}")]
    Generator {
        /// The chart id.
        chart: usize,
        /// The generator index.
        index: usize,
        /// What is wrong.
        message: String,
    },
    /// A condition of a transverse factor (FORMAT.md Addendum 1) fails.
    #[error("chart {chart}: transverse condition {condition} fails: {message}")]
    Transverse {
        /// The chart id.
        chart: usize,
        /// 1–4 as numbered in the Addendum.
        condition: u8,
        /// What is wrong.
        message: String,
    },
    /// The leaf's claimed (λ, m) differs from the recomputed one.
    #[error("chart {chart}: leaf claims {claimed}, recomputed {computed}")]
    LeafClaim {
        /// The chart id.
        chart: usize,
        /// The claim.
        claimed: String,
        /// The recomputed value.
        computed: String,
    },
    /// The top-level claim differs from the recomputed (λ, m).
    #[error("certificate claims {claimed}, recomputed {computed}")]
    Answer {
        /// The claim.
        claimed: String,
        /// The recomputed value.
        computed: String,
    },
    /// No leaf has a pole (K∘map would be a unit everywhere).
    #[error("no leaf contributes a pole")]
    NoPole,
    /// A size limit of the checker was exceeded.
    #[error("chart {chart}: too large: {message}")]
    TooLarge {
        /// The chart id.
        chart: usize,
        /// What was too large.
        message: String,
    },
}

impl VerifyError {
    /// The chart the error is about, if it is local to one.
    pub fn chart(&self) -> Option<usize> {
        match self {
            VerifyError::Parse { chart, .. }
            | VerifyError::Structure { chart, .. }
            | VerifyError::Step { chart, .. }
            | VerifyError::Identity { chart, .. }
            | VerifyError::Unit { chart, .. }
            | VerifyError::Generator { chart, .. }
            | VerifyError::Transverse { chart, .. }
            | VerifyError::LeafClaim { chart, .. }
            | VerifyError::TooLarge { chart, .. } => Some(*chart),
            _ => None,
        }
    }
}

/// Largest exponent accepted in an exponent vector of the certificate (α, J, h).
const MAX_EXPONENT: u32 = 10_000;
/// Largest degree bound of one polynomial string.
const MAX_STRING_DEGREE: u64 = 10_000;
/// Largest total degree of a composite (map, F_i, prior × Jacobian).
const MAX_DEGREE: u64 = 1_000_000;

/// What K is built from the generators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// K = Σ f_i².
    Ideal,
    /// K = f_1.
    Poly,
}

/// The checked top level.
struct Header {
    n: usize,
    kind: Kind,
    inputs: Vec<Poly>,
    weight: Vec<u32>,
    lambda: Rational,
    multiplicity: u32,
    /// k of Addendum 8 (1 without `root_of`).
    root_exponent: u32,
}

/// Verify a certificate given as a JSON string.
///
/// Succeeds only if every check of the module documentation passes and the recomputed
/// (λ, m) equals the certificate's claim.
///
/// # Errors
/// The first failed check, as a [`VerifyError`] naming the chart.
///
/// # Example
/// ```
/// let cert = r#"{"format": "rlct-certificate/1", "variables": ["x", "y"], "kind": "ideal",
///   "generators": ["x*y"], "weight": [0, 0], "lambda": "1/2", "multiplicity": 2,
///   "charts": [{"id": 0, "parent": null, "coordinates": ["x", "y"], "step": "root",
///     "substitution": null, "ranges": [null, null], "cover": {"kind": "leaf"},
///     "leaf": {"generators": ["x*y"], "monomial": [0, 0], "unit": "1",
///       "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0, 0],
///       "jacobian_unit": "1", "except": [], "lambda": "1/2", "multiplicity": 2}}]}"#;
/// let v = rlct::verify::verify_str(cert).unwrap();
/// assert_eq!(v.multiplicity, 2);
/// ```
pub fn verify_str(json: &str) -> Result<Verified, VerifyError> {
    let cert: CertificateJson =
        serde_json::from_str(json).map_err(|e| VerifyError::Json(e.to_string()))?;
    let header = check_header(&cert)?;
    let charts = structure::check(&cert, header.n)?;
    let geometry = structure::geometry(&charts)?;
    let bases = forward_bases(&cert, &charts, &geometry, &header)?;

    let mut best: Option<(Rational, u32)> = None;
    let mut leaves = 0usize;
    for (id, chart) in charts.iter().enumerate() {
        let Some(leaf_json) = cert.charts[id].leaf.as_ref() else {
            continue;
        };
        leaves += 1;
        let base = bases[geometry[id].base]
            .as_ref()
            .ok_or_else(|| VerifyError::Structure {
                chart: id,
                message: "no base for this chart".into(),
            })?;
        let pole = leaf::check(id, chart, leaf_json, &geometry[id], base, &charts, &header)?;
        if let Some((l, m)) = pole {
            best = Some(match best {
                None => (l, m),
                Some((bl, bm)) => {
                    if l < bl {
                        (l, m)
                    } else if l == bl {
                        (bl, bm.max(m))
                    } else {
                        (bl, bm)
                    }
                }
            });
        }
    }
    let Some((lambda, multiplicity)) = best else {
        return Err(VerifyError::NoPole);
    };
    // Addendum 8: the input is g = c·h^k, so ζ_g(z) = ζ_h(kz): poles divided by k.
    let lambda = lambda / Rational::from_integer(header.root_exponent.into());
    if lambda != header.lambda || multiplicity != header.multiplicity {
        return Err(VerifyError::Answer {
            claimed: show_pair(&header.lambda, header.multiplicity),
            computed: show_pair(&lambda, multiplicity),
        });
    }
    Ok(Verified {
        lambda,
        multiplicity,
        charts: charts.len(),
        leaves,
    })
}

/// The base (inputs, weight) of the root and of every forward child (Addendum 12), each
/// checked against its parent's base; parents' bases first (by depth in the tree).
fn forward_bases(
    cert: &CertificateJson,
    charts: &[structure::Chart],
    geometry: &[structure::Geometry],
    header: &Header,
) -> Result<Vec<Option<forward::Base>>, VerifyError> {
    let mut bases: Vec<Option<forward::Base>> = (0..charts.len()).map(|_| None).collect();
    bases[0] = Some(forward::Base {
        inputs: header.inputs.clone(),
        weight: header.weight.clone(),
        unit_vars: Vec::new(),
    });
    let depth = |mut id: usize| {
        let mut d = 0usize;
        while let Some(p) = charts[id].parent {
            id = p;
            d += 1;
            if d > charts.len() {
                break;
            }
        }
        d
    };
    let mut forwards: Vec<(usize, usize)> = charts
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.step, structure::Step::Forward { .. }))
        .map(|(id, _)| (depth(id), id))
        .collect();
    forwards.sort_unstable();
    for (_, id) in forwards {
        let format::StepJson::Forward(json) = &cert.charts[id].step else {
            continue;
        };
        let Some(p) = charts[id].parent else {
            continue;
        };
        let parent_base =
            bases[geometry[p].base]
                .as_ref()
                .ok_or_else(|| VerifyError::Structure {
                    chart: id,
                    message: "the parent has no base".into(),
                })?;
        let free = free_coordinates(p, charts, &bases);
        let base = forward::check(
            id,
            p,
            json,
            charts,
            &geometry[p],
            parent_base,
            &free,
            header,
        )?;
        bases[id] = Some(base);
    }
    // Addendum 13 (*free coordinates*): a shift's child C holds parent points with the
    // shifted coordinate outside its range, so that coordinate must be free.
    for (id, chart) in charts.iter().enumerate() {
        if let (structure::Step::Shift { coordinate }, Some(p)) = (&chart.step, chart.parent) {
            if !free_coordinates(p, charts, &bases).contains(coordinate) {
                return Err(VerifyError::Step {
                    chart: id,
                    message: format!(
                        "shift of coordinate {coordinate}, which is not free in the parent (a forward step's unit involves it; Addendum 13)"
                    ),
                });
            }
        }
    }
    Ok(bases)
}

/// The *free* bounded coordinates of chart `id` (FORMAT.md Addendum 13): those whose
/// value may leave their range on {small coordinates = 0} without leaving the set where
/// the chart's integrand is the pulled-back K × prior. A blow-up frees its new bounded
/// coordinates (they are multiplied by a small one, so any value maps to the parent's
/// point); a translate makes its coordinate small; a forward step binds every coordinate
/// its unit proofs involve (outside the box those units may vanish). Forward ancestors
/// must have their bases already (parents are checked first).
fn free_coordinates(
    id: usize,
    charts: &[structure::Chart],
    bases: &[Option<forward::Base>],
) -> Vec<usize> {
    let mut path = vec![id];
    let mut at = id;
    while let Some(p) = charts[at].parent {
        path.push(p);
        at = p;
        if path.len() > charts.len() {
            break;
        }
    }
    let mut free: Vec<usize> = Vec::new();
    for &c in path.iter().rev() {
        match &charts[c].step {
            structure::Step::Blowup { centre, chart } => {
                free.extend(centre.iter().filter(|&&j| j != *chart));
            }
            structure::Step::Translate { coordinate, .. } => free.retain(|j| j != coordinate),
            structure::Step::Forward { .. } => match &bases[c] {
                Some(b) => free.retain(|j| !b.unit_vars.contains(j)),
                // Not checked yet: claim nothing.
                None => free.clear(),
            },
            structure::Step::Root
            | structure::Step::Coordinate { .. }
            | structure::Step::Shift { .. } => {}
        }
        // Only bounded coordinates can be free.
        free.retain(|&j| !charts[c].is_small(j));
    }
    free.sort_unstable();
    free.dedup();
    free
}

/// Verify a certificate file.
///
/// # Errors
/// [`VerifyError::Io`] if the file cannot be read; otherwise as [`verify_str`].
pub fn verify_file(path: &std::path::Path) -> Result<Verified, VerifyError> {
    let text = std::fs::read_to_string(path).map_err(|e| VerifyError::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    verify_str(&text)
}

fn check_header(cert: &CertificateJson) -> Result<Header, VerifyError> {
    let bad = |m: String| Err(VerifyError::Header(m));
    if cert.format != "rlct-certificate/1" {
        return bad(format!(
            "format is '{}', expected 'rlct-certificate/1'",
            cert.format
        ));
    }
    let kind = match cert.kind.as_str() {
        "ideal" => Kind::Ideal,
        "poly" => Kind::Poly,
        other => return bad(format!("kind is '{other}', expected 'ideal' or 'poly'")),
    };
    let n = cert.variables.len();
    if n == 0 {
        return bad("no variables".into());
    }
    if let Some(dup) = duplicate(&cert.variables) {
        return bad(format!("variable '{dup}' is repeated"));
    }
    let ring = Ring::new(cert.variables.clone());
    let mut inputs = Vec::with_capacity(cert.generators.len());
    for (i, g) in cert.generators.iter().enumerate() {
        let p =
            parse_poly(&ring, g).map_err(|m| VerifyError::Header(format!("generator {i}: {m}")))?;
        inputs.push(p);
    }
    if inputs.is_empty() {
        return bad("no generators".into());
    }
    if inputs.iter().all(Poly::is_zero) {
        return bad("all generators are zero (K = 0)".into());
    }
    if kind == Kind::Poly && inputs.len() != 1 {
        return bad(format!(
            "kind 'poly' needs exactly one generator, found {}",
            inputs.len()
        ));
    }
    let weight = cert.weight.clone().unwrap_or_else(|| vec![0; n]);
    if weight.len() != n {
        return bad(format!(
            "weight has {} entries for {n} variables",
            weight.len()
        ));
    }
    if weight.iter().any(|&h| h > MAX_EXPONENT) {
        return bad(format!("a weight exceeds {MAX_EXPONENT}"));
    }
    let (root_exponent, input) = match &cert.root_of {
        Some(root) => {
            let g = check_root_of(root, &ring, kind, &inputs)?;
            (root.exponent, vec![g])
        }
        None => (1, inputs.clone()),
    };
    if let Some(source) = &cert.source {
        check_source(source, &ring, kind, &input)?;
    }
    let lambda =
        parse_rational(&cert.lambda).map_err(|m| VerifyError::Header(format!("lambda: {m}")))?;
    Ok(Header {
        n,
        kind,
        inputs,
        weight,
        lambda,
        multiplicity: cert.multiplicity,
        root_exponent,
    })
}

/// Addendum 8, *Powers*: the input's single generator g = scale · h^k with h the single
/// certificate generator, k ≥ 2, scale ≠ 0; for kind `"poly"` (K = g itself) k odd and
/// scale > 0, so h ≥ 0 wherever K is. Then ζ_g(z) = c'·ζ_h(kz) (for an ideal,
/// g² = scale²·(h²)^k): the poles of h divided by k, with the same orders. Returns g.
fn check_root_of(
    root: &RootOfJson,
    ring: &Ring,
    kind: Kind,
    inputs: &[Poly],
) -> Result<Poly, VerifyError> {
    let bad = |m: String| Err(VerifyError::Header(format!("root_of: {m}")));
    let [h] = inputs else {
        return bad(format!(
            "a power needs exactly one generator h, found {}",
            inputs.len()
        ));
    };
    if root.exponent < 2 || root.exponent > MAX_EXPONENT {
        return bad(format!(
            "exponent {} is not in 2..={MAX_EXPONENT}",
            root.exponent
        ));
    }
    let scale = parse_rational(&root.scale)
        .map_err(|m| VerifyError::Header(format!("root_of scale: {m}")))?;
    if scale.is_zero() || (kind == Kind::Poly && !scale.is_positive()) {
        return bad(format!(
            "scale {} must be nonzero (positive for kind 'poly')",
            crate::poly::format_rational(&scale)
        ));
    }
    if kind == Kind::Poly && root.exponent % 2 == 0 {
        return bad("kind 'poly' needs an odd exponent (K = scale · h^k ≥ 0)".into());
    }
    let g = parse_poly(ring, &root.generator)
        .map_err(|m| VerifyError::Header(format!("root_of generator: {m}")))?;
    if degree(h).saturating_mul(u64::from(root.exponent)) != degree(&g)
        || g != h.pow(root.exponent).scale(&scale)
    {
        return bad(format!(
            "'{}' is not {} · ({})^{}",
            root.generator,
            crate::poly::format_rational(&scale),
            ring.show(h),
            root.exponent
        ));
    }
    Ok(g)
}

/// Addendum 1, *Squared input*: the user's K = scale · g², scale > 0, with g the single
/// generator of an `"ideal"` certificate. Then K and ⟨g⟩ (K' = g²) have the same (λ, m):
/// a positive constant factor does not change the poles of ∫ K^{−z}·prior.
fn check_source(
    source: &SourceJson,
    ring: &Ring,
    kind: Kind,
    inputs: &[Poly],
) -> Result<(), VerifyError> {
    let bad = |m: String| Err(VerifyError::Header(format!("source: {m}")));
    let [g] = inputs else {
        return bad(format!(
            "a squared input needs exactly one generator g, found {}",
            inputs.len()
        ));
    };
    if kind != Kind::Ideal {
        return bad("a squared input needs kind 'ideal' (K = scale · g²)".into());
    }
    let k = parse_poly(ring, &source.poly)
        .map_err(|m| VerifyError::Header(format!("source poly: {m}")))?;
    let scale = parse_rational(&source.scale)
        .map_err(|m| VerifyError::Header(format!("source scale: {m}")))?;
    if !scale.is_positive() {
        return bad(format!(
            "scale {} is not positive",
            crate::poly::format_rational(&scale)
        ));
    }
    if k != g.pow(2).scale(&scale) {
        return bad(format!(
            "'{}' is not {} · ({})²",
            source.poly,
            crate::poly::format_rational(&scale),
            ring.show(g)
        ));
    }
    Ok(())
}

/// The first repeated name, if any.
fn duplicate(names: &[String]) -> Option<&String> {
    names
        .iter()
        .enumerate()
        .find(|(i, a)| names[..*i].contains(a))
        .map(|(_, a)| a)
}

/// Parse a polynomial string in `ring`, refusing expressions whose degree could exceed
/// [`MAX_STRING_DEGREE`] (they would only exhaust memory or overflow exponents).
fn parse_poly(ring: &Ring, s: &str) -> Result<Poly, String> {
    let e = parse_expr(s).map_err(|e| format!("'{s}': {e}"))?;
    if degree_bound(&e) > MAX_STRING_DEGREE {
        return Err(format!("'{s}': degree above {MAX_STRING_DEGREE}"));
    }
    ring.eval(&e).map_err(|e| format!("'{s}': {e}"))
}

/// An upper bound on the degree of every intermediate of evaluating `e`.
fn degree_bound(e: &Expr) -> u64 {
    match e {
        Expr::Num(_) => 0,
        Expr::Var(..) => 1,
        Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Div(a, b, _) => {
            degree_bound(a).max(degree_bound(b))
        }
        Expr::Mul(a, b) => degree_bound(a).saturating_add(degree_bound(b)),
        Expr::Neg(a) => degree_bound(a),
        Expr::Pow(a, k) => degree_bound(a).saturating_mul(u64::from(*k)),
    }
}

/// Parse a rational (`"p"`, `"p/q"`, also `"-p/q"` or a decimal) exactly.
fn parse_rational(r: &RationalJson) -> Result<Rational, String> {
    match r {
        RationalJson::Integer(k) => Ok(Rational::from_integer((*k).into())),
        RationalJson::Text(s) => {
            let p = parse_poly(&Ring::new(Vec::new()), s)?;
            Ok(p.constant_term())
        }
    }
}

/// `(λ, m)` for messages.
fn show_pair(l: &Rational, m: u32) -> String {
    format!("(λ, m) = ({}, {m})", crate::poly::format_rational(l))
}

/// The total degree of a polynomial, 0 for zero, as u64.
fn degree(p: &Poly) -> u64 {
    u64::from(p.total_degree().unwrap_or(0))
}

/// The largest total degree in a list.
fn max_degree(ps: &[Poly]) -> u64 {
    ps.iter().map(degree).max().unwrap_or(0)
}
