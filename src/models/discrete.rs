//! Finite sample spaces and Gaussian location mixtures.
//!
//! **Discrete.** Outcomes x = 1…X with probabilities p(x|w) polynomial in w. When the
//! truth has full support (p(x|w0) > 0 for every x), p stays bounded away from 0 near w0
//! and K(w) = Σ_x p0 log(p0/p) ≍ Σ_x (p(x|w) − p(x|w0))² (second-order Taylor of log),
//! so the ideal ⟨p(x|w) − p(x|w0)⟩ gives (λ, m). Mixtures of binomials, naive Bayes /
//! latent class models and Markov chains are written out as such polynomials.
//!
//! **Gaussian location mixtures** p(y|w) = Σ_j a_j(w)·N(μ_j(w), 1) with Σ_j a_j ≡ 1 and a
//! standard normal truth. With the Hermite expansion N(μ,1)(y) = φ(y)·Σ_k μ^k He_k(y)/k!
//! and ∫ He_j He_k φ = k!·δ_jk, χ²(p, φ) = Σ_{k≥1} s_k²/k! with the moments
//! s_k(w) = Σ_j a_j μ_j^k; K ≍ χ² near the truth (Watanabe 2009, ch. 7, normal
//! mixtures). The s_k are power sums over the D nodes μ_j that are not identically 0, so
//! P(t) = Π_j (t − μ_j) gives s_{k+D} = −Σ_i c_i s_{k+D−i} (checked exactly,
//! [`super::network::PowerSumRecurrence`]); the multipliers of s_k in terms of s_1…s_D
//! grow at most geometrically, so the factorials make K ≍ Σ_{k≤D} s_k².

use super::network::PowerSumRecurrence;
use super::schema::ModelFile;
use super::{Claim, Cx, Derived, FileError, ModelSpec};
use crate::poly::{format_rational, parse_expr, Ideal, Poly, Rational, Ring};
use crate::problem::Target;
use num_traits::{Signed, Zero};

/// A finite sample space with probabilities polynomial in w.
#[derive(Clone, Debug)]
pub struct DiscreteModel {
    /// The parameters.
    pub ring: Ring,
    /// p(x|w), one per outcome; they sum to 1 identically.
    pub probabilities: Vec<Poly>,
    /// w0.
    pub true_point: Vec<Rational>,
}

/// Σ_j a_j(w)·N(μ_j(w), 1).
#[derive(Clone, Debug)]
pub struct GaussianMixture {
    /// The parameters.
    pub ring: Ring,
    /// a_j(w); they sum to 1 identically.
    pub weights: Vec<Poly>,
    /// μ_j(w).
    pub means: Vec<Poly>,
    /// w0 (the truth is N(0, 1)).
    pub true_point: Vec<Rational>,
}

/// Parameters: the listed ones, or those of `texts` in order of first appearance.
fn parameter_ring<'t>(
    cx: &Cx<'_>,
    file: &ModelFile,
    texts: impl Iterator<Item = (&'t str, std::ops::Range<usize>, &'static str)>,
) -> Result<Ring, FileError> {
    let mut seen = Vec::new();
    for (t, span, field) in texts {
        let e = parse_expr(t).map_err(|e| cx.err(span, field, e.to_string()))?;
        e.variables(&mut seen);
    }
    match &file.parameters {
        None => Ok(Ring::new(seen)),
        Some(p) => {
            let ring = cx.names(p, "parameters")?;
            if let Some(m) = seen.iter().find(|v| ring.index(v).is_none()) {
                return Err(cx.err(
                    p.span(),
                    "parameters",
                    format!("'{m}' occurs but is not listed"),
                ));
            }
            Ok(ring)
        }
    }
}

/// `kind = "discrete"`.
pub(crate) fn discrete_from_file(cx: &Cx<'_>, file: &ModelFile) -> Result<Derived, FileError> {
    let probs = cx.need(&file.probabilities, "probabilities", "kind = \"discrete\"")?;
    if probs.get_ref().len() < 2 {
        return Err(cx.err(probs.span(), "probabilities", "give at least two outcomes"));
    }
    let ring = parameter_ring(
        cx,
        file,
        probs
            .get_ref()
            .iter()
            .map(|p| (p.get_ref().as_str(), p.span(), "probabilities")),
    )?;
    let n = ring.nvars();
    let ps: Vec<Poly> = probs
        .get_ref()
        .iter()
        .map(|p| cx.poly(&ring, p, "probabilities"))
        .collect::<Result<_, _>>()?;
    let total = ps.iter().fold(Poly::zero(n), |a, p| &a + p);
    if total != Poly::one(n) {
        return Err(cx.err(
            probs.span(),
            "probabilities",
            format!(
                "the probabilities must sum to 1 identically; they sum to {}",
                ring.show(&total)
            ),
        ));
    }
    let w0 = cx.true_point(&ring, &file.true_parameters)?;
    for (i, p) in ps.iter().enumerate() {
        let v = p.eval(&w0);
        if !v.is_positive() {
            return Err(cx.err(
                probs.get_ref()[i].span(),
                "probabilities",
                format!(
                    "outcome {} has probability {} at the true point: the truth must have full support (then K ≍ Σ (p − p0)²)",
                    i + 1,
                    format_rational(&v)
                ),
            ));
        }
    }
    // Σ_x (p(x|w) − p(x|w0)) ≡ 0, so the last difference is minus the sum of the others:
    // dropping it keeps the ideal and spares the engine a dependent generator.
    let gens: Vec<Poly> = ps[..ps.len() - 1]
        .iter()
        .map(|p| p - &Poly::constant(n, p.eval(&w0)))
        .collect();
    Ok(Derived {
        target: Target::Ideal(Ideal::new(n, gens)),
        true_point: w0.clone(),
        claim: Claim::Whole,
        derivation: vec![format!(
            "Discrete model with {} outcomes and a truth of full support: K ≍ Σ_x (p(x|w) − p(x|w0))², the ideal of the differences (the last one is minus the sum of the others).",
            ps.len()
        )],
        spec: ModelSpec::Discrete(DiscreteModel {
            ring: ring.clone(),
            probabilities: ps,
            true_point: w0,
        }),
        ring,
    })
}

/// `kind = "gaussian_mixture"`.
pub(crate) fn mixture_from_file(cx: &Cx<'_>, file: &ModelFile) -> Result<Derived, FileError> {
    let comps = cx.need(
        &file.components,
        "components",
        "kind = \"gaussian_mixture\"",
    )?;
    let span = comps.span();
    let list = comps.get_ref();
    if list.is_empty() {
        return Err(cx.err(span, "components", "give at least one component"));
    }
    let ring = parameter_ring(
        cx,
        file,
        list.iter().flat_map(|c| {
            [
                (c.weight.as_str(), span.clone(), "components"),
                (c.mean.as_str(), span.clone(), "components"),
            ]
        }),
    )?;
    let n = ring.nvars();
    let mut weights = Vec::new();
    let mut means = Vec::new();
    for c in list {
        weights.push(cx.poly_at(&ring, &c.weight, span.clone(), "components")?);
        means.push(cx.poly_at(&ring, &c.mean, span.clone(), "components")?);
    }
    let total = weights.iter().fold(Poly::zero(n), |a, p| &a + p);
    if total != Poly::one(n) {
        return Err(cx.err(span, "components", "the weights must sum to 1 identically"));
    }
    let w0 = cx.true_point(&ring, &file.true_parameters)?;
    let model = GaussianMixture {
        ring,
        weights,
        means,
        true_point: w0,
    };
    mixture_derive(model).map_err(|e| cx.err(span, "components", e))
}

/// The ideal of a Gaussian location mixture with a standard normal truth.
///
/// # Errors
/// The truth is not N(0, 1).
pub(crate) fn mixture_derive(model: GaussianMixture) -> Result<Derived, String> {
    let n = model.ring.nvars();
    let nonzero: Vec<usize> = (0..model.means.len())
        .filter(|&j| !model.means[j].is_zero())
        .collect();
    // The truth's moments: a recurrence of order J means k = 1..J decide all of them.
    let j_all = model.means.len() as u32;
    for k in 1..=j_all {
        let m: Rational = model
            .weights
            .iter()
            .zip(&model.means)
            .map(|(a, mu)| {
                a.eval(&model.true_point) * num_traits::pow(mu.eval(&model.true_point), k as usize)
            })
            .fold(Rational::zero(), |s, x| s + x);
        if !m.is_zero() {
            return Err(format!(
                "the true distribution must be N(0, 1) (its moment {k} is {}); other truths are not supported",
                format_rational(&m)
            ));
        }
    }
    if nonzero.is_empty() {
        return Err("every mean is 0: the model is N(0, 1) for all parameters".into());
    }
    let nodes: Vec<Poly> = nonzero.iter().map(|&j| model.means[j].clone()).collect();
    let betas: Vec<Poly> = nonzero
        .iter()
        .map(|&j| &model.weights[j] * &model.means[j])
        .collect();
    let d = nodes.len();
    let rec = PowerSumRecurrence::new(nodes, vec![betas], d);
    rec.check()
        .map_err(|e| format!("internal: generation proof failed: {e}"))?;
    // s_k = S_{k−1} in the recurrence's indexing.
    let gens: Vec<Poly> = (0..d as u32).map(|k| rec.term(0, k)).collect();
    Ok(Derived {
        ring: model.ring.clone(),
        target: Target::Ideal(Ideal::new(n, gens)),
        true_point: model.true_point.clone(),
        claim: Claim::Whole,
        derivation: vec![format!(
            "Gaussian location mixture with a N(0, 1) truth: K ≍ Σ_k s_k²/k! over the moments s_k = Σ_j a_j μ_j^k; {d} node(s), so s_1, …, s_{d} generate (power-sum recurrence checked exactly)."
        )],
        spec: ModelSpec::GaussianMixture(model),
    })
}
