//! Regression models y = f(x, w) + N(0, σ²) with f polynomial in the inputs x.
//!
//! K(w) = E_x[|f(x, w) − f(x, w0)|²]/(2σ²) (DESIGN §2.6). Write f(x, w) − f(x, w0) =
//! Σ_α g_α(w)·x^α. When the monomials x^α are linearly independent as functions on the
//! support of the input distribution, their Gram matrix G = (E[x^α x^β]) is positive
//! definite, so K = gᵀGg/(2σ²) ≍ Σ g_α²: the ideal ⟨g_α⟩ gives (λ, m).
//! - For the standard normal and for a uniform box with nonempty interior, every finite
//!   set of monomials is linearly independent (a polynomial vanishing on an open set is
//!   zero).
//! - For a finite set of points x_p with weights q_p > 0, K = Σ_p q_p·|f(x_p, w) −
//!   f(x_p, w0)|²/(2σ²) exactly, so the values at the points generate the ideal.
//!
//! σ is a positive constant factor: it never changes (λ, m).

use super::schema::{InputToml, ModelFile};
use super::{Claim, Cx, Derived, FileError, ModelSpec};
use crate::poly::{format_rational, Exponent, Ideal, Poly, Rational, Ring};
use crate::problem::Target;
use num_traits::{One, Signed, Zero};
use std::collections::BTreeMap;
use toml::Spanned;

/// The distribution of the inputs x.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputDistribution {
    /// Independent standard normal inputs.
    StandardNormal,
    /// Uniform on the box [low_i, high_i] (low_i < high_i).
    Uniform {
        /// Lower corner.
        low: Vec<Rational>,
        /// Upper corner.
        high: Vec<Rational>,
    },
    /// Finitely many points with positive weights (normalised by the caller if needed).
    Points {
        /// The points, one vector of inputs each.
        points: Vec<Vec<Rational>>,
        /// Their weights q_p > 0.
        weights: Vec<Rational>,
    },
}

impl InputDistribution {
    /// Whether every finite set of monomials is linearly independent on the support.
    pub fn monomials_independent(&self) -> bool {
        !matches!(self, InputDistribution::Points { .. })
    }
}

/// y = f(x, w) + N(0, σ²): everything a numeric estimator needs.
#[derive(Clone, Debug)]
pub struct RegressionModel {
    /// Parameters first, then inputs.
    pub ring: Ring,
    /// How many of the ring's variables are parameters (the rest are inputs).
    pub parameters: usize,
    /// f, one polynomial per output, in `ring`.
    pub f: Vec<Poly>,
    /// w0.
    pub true_point: Vec<Rational>,
    /// σ > 0.
    pub sigma: Rational,
    /// The input distribution.
    pub input: InputDistribution,
}

/// The generators of K's ideal for the differences f(x, w) − f(x, w0) (polynomials in
/// `nparams` parameters followed by the inputs): coefficients over the input monomials,
/// or values at the points. Returned in the parameter ring.
pub fn coefficient_ideal(
    nparams: usize,
    differences: &[Poly],
    input: &InputDistribution,
) -> Vec<Poly> {
    let mut gens = Vec::new();
    for diff in differences {
        match input {
            InputDistribution::Points { points, weights } => {
                for (x, q) in points.iter().zip(weights) {
                    if q.is_zero() {
                        continue;
                    }
                    let images: Vec<Poly> = (0..diff.nvars())
                        .map(|i| {
                            if i < nparams {
                                Poly::var(nparams, i)
                            } else {
                                Poly::constant(nparams, x[i - nparams].clone())
                            }
                        })
                        .collect();
                    gens.push(diff.compose(&images));
                }
            }
            _ => gens.extend(coefficients_in_inputs(nparams, diff).into_values()),
        }
    }
    gens.retain(|g| !g.is_zero());
    gens
}

/// Group the terms of p(w, x) by the input monomial: p = Σ_α g_α(w)·x^α.
pub fn coefficients_in_inputs(nparams: usize, p: &Poly) -> BTreeMap<Exponent, Poly> {
    let mut out: BTreeMap<Exponent, Poly> = BTreeMap::new();
    for (e, c) in p.terms() {
        let (w, x) = e.split_at(nparams);
        out.entry(x.to_vec())
            .or_insert_with(|| Poly::zero(nparams))
            .add_term(w.to_vec(), c.clone());
    }
    out
}

/// Read `input = {…}` for `ninputs` inputs; the default is the standard normal.
pub(crate) fn input_distribution(
    cx: &Cx<'_>,
    v: &Option<Spanned<InputToml>>,
    ninputs: usize,
) -> Result<InputDistribution, FileError> {
    let Some(v) = v else {
        return Ok(InputDistribution::StandardNormal);
    };
    let span = v.span();
    let t = v.get_ref();
    let nums = |xs: &[super::Num]| xs.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    let extra = |names: &[(&str, bool)]| -> Result<(), FileError> {
        for (n, present) in names {
            if *present {
                return Err(cx.err(
                    span.clone(),
                    "input",
                    format!("'{n}' is not used by distribution = \"{}\"", t.distribution),
                ));
            }
        }
        Ok(())
    };
    match t.distribution.as_str() {
        "normal" => {
            extra(&[
                ("low", t.low.is_some()),
                ("high", t.high.is_some()),
                ("points", t.points.is_some()),
                ("weights", t.weights.is_some()),
            ])?;
            Ok(InputDistribution::StandardNormal)
        }
        "uniform" => {
            extra(&[
                ("points", t.points.is_some()),
                ("weights", t.weights.is_some()),
            ])?;
            let (Some(low), Some(high)) = (&t.low, &t.high) else {
                return Err(cx.err(
                    span,
                    "input",
                    "uniform inputs need low = [...] and high = [...]",
                ));
            };
            let (low, high) = (nums(low), nums(high));
            if low.len() != ninputs || high.len() != ninputs {
                return Err(cx.err(
                    span,
                    "input",
                    format!("low and high need {ninputs} entries (one per input)"),
                ));
            }
            if low.iter().zip(&high).any(|(l, h)| l >= h) {
                return Err(cx.err(
                    span,
                    "input",
                    "every low must be below its high (the box must have an interior)",
                ));
            }
            Ok(InputDistribution::Uniform { low, high })
        }
        "points" => {
            extra(&[("low", t.low.is_some()), ("high", t.high.is_some())])?;
            let Some(points) = &t.points else {
                return Err(cx.err(
                    span,
                    "input",
                    "distribution = \"points\" needs points = [[...], ...]",
                ));
            };
            let points: Vec<Vec<Rational>> = points.iter().map(|p| nums(p)).collect();
            if points.is_empty() || points.iter().any(|p| p.len() != ninputs) {
                return Err(cx.err(
                    span,
                    "input",
                    format!("give at least one point, each with {ninputs} coordinate(s)"),
                ));
            }
            let weights = match &t.weights {
                None => vec![Rational::one(); points.len()],
                Some(w) => nums(w),
            };
            if weights.len() != points.len() {
                return Err(cx.err(span, "input", "weights need one entry per point"));
            }
            if weights.iter().any(|q| !q.is_positive()) {
                return Err(cx.err(span, "input", "weights must be positive"));
            }
            Ok(InputDistribution::Points { points, weights })
        }
        other => Err(cx.err(
            span,
            "input",
            format!("unknown distribution '{other}' (normal, uniform, points)"),
        )),
    }
}

/// σ: positive, default 1.
pub(crate) fn sigma(cx: &Cx<'_>, v: &Option<Spanned<super::Num>>) -> Result<Rational, FileError> {
    match v {
        None => Ok(Rational::one()),
        Some(s) if s.get_ref().0.is_positive() => Ok(s.get_ref().0.clone()),
        Some(s) => Err(cx.err(s.span(), "sigma", "σ must be positive")),
    }
}

/// `kind = "regression"`.
pub(crate) fn from_file(cx: &Cx<'_>, file: &ModelFile) -> Result<Derived, FileError> {
    let kind = "kind = \"regression\"";
    let params = cx.names(cx.need(&file.parameters, "parameters", kind)?, "parameters")?;
    let inputs_field = cx.need(&file.inputs, "inputs", kind)?;
    let inputs = cx.names(inputs_field, "inputs")?;
    if let Some(dup) = inputs.names().iter().find(|n| params.index(n).is_some()) {
        return Err(cx.err(
            inputs_field.span(),
            "inputs",
            format!("'{dup}' is both a parameter and an input"),
        ));
    }
    let ring = Ring::new(
        params
            .names()
            .iter()
            .chain(inputs.names())
            .cloned()
            .collect(),
    );
    let np = params.nvars();
    let f: Vec<Poly> = match (&file.f, &file.outputs) {
        (Some(f), None) => vec![cx.poly(&ring, f, "f")?],
        (None, Some(outs)) if !outs.get_ref().is_empty() => outs
            .get_ref()
            .iter()
            .map(|o| cx.poly(&ring, o, "outputs"))
            .collect::<Result<_, _>>()?,
        (Some(f), Some(_)) => {
            return Err(cx.err(
                f.span(),
                "f",
                "give f (one output) or outputs = [...], not both",
            ))
        }
        _ => {
            return Err(cx.err(
                0..0,
                "f",
                format!("missing (required for {kind}: f = \"…\" or outputs = [\"…\", …])"),
            ))
        }
    };
    let sigma = sigma(cx, &file.sigma)?;
    let input = input_distribution(cx, &file.input, inputs.nvars())?;
    let true_point = cx.true_point(&params, &file.true_parameters)?;
    let model = RegressionModel {
        ring,
        parameters: np,
        f,
        true_point,
        sigma,
        input,
    };
    Ok(derive(model))
}

/// The ideal of a regression model.
pub(crate) fn derive(model: RegressionModel) -> Derived {
    let np = model.parameters;
    let n = model.ring.nvars();
    let mut at_truth: Vec<Poly> = (0..n).map(|i| Poly::var(n, i)).collect();
    for (i, v) in model.true_point.iter().enumerate() {
        at_truth[i] = Poly::constant(n, v.clone());
    }
    let diffs: Vec<Poly> = model.f.iter().map(|f| f - &f.compose(&at_truth)).collect();
    let gens = coefficient_ideal(np, &diffs, &model.input);
    let params = Ring::new(model.ring.names()[..np].to_vec());
    let how = match &model.input {
        InputDistribution::Points { points, .. } => format!(
            "K = Σ_p q_p·|f(x_p, w) − f(x_p, w0)|²/(2σ²) over {} input point(s): the values at the points generate the ideal ({} generator(s)).",
            points.len(),
            gens.len()
        ),
        _ => format!(
            "K = E|f(x, w) − f(x, w0)|²/(2σ²) with σ = {}; the input monomials are linearly independent on the support, so their coefficients generate the ideal ({} generator(s)).",
            format_rational(&model.sigma),
            gens.len()
        ),
    };
    Derived {
        target: Target::Ideal(Ideal::new(np, gens)),
        true_point: model.true_point.clone(),
        ring: params,
        claim: Claim::Whole,
        derivation: vec![how],
        spec: ModelSpec::Regression(model),
    }
}
