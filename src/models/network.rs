//! Layered networks: linear and tanh layers, with or without biases.
//!
//! The parameters of layer l (1-based) are the weights `w{l}_{i}_{j}` (unit i, input j)
//! and, with biases, `b{l}_{i}`. The inputs are `x1, …, xM`.
//!
//! - **Linear layers only**: f is polynomial in x (reduced-rank regression, deep linear
//!   networks); the ideal comes from [`super::regression::coefficient_ideal`].
//! - **One tanh layer**, no biases up to and including it: f(x) = C·tanh(A x) + c with A,
//!   C, c polynomial in w. The Taylor series tanh(z) = Σ_k t_{2k+1} z^{2k+1} (exact
//!   rational coefficients, all nonzero) gives, for output n, the part of degree 2k+1 in x
//!   of f_n − f0_n as t_{2k+1}·S_{n,k} with the power sums
//!   S_{n,k} = Σ_i β_{n,i} λ_i^k over the nodes λ_h = (A_h·x)², β_{n,h} = C_{nh}(A_h·x) of
//!   the model and the merged nodes of the truth (with weights −β0). With P(t) =
//!   Π_i (t − λ_i) = t^D + c_1 t^{D−1} + … + c_D, P(λ_i) = 0 gives the recurrence
//!   S_{k+D} = −Σ_j c_j S_{k+D−j} (Newton's identities), so the x-coefficients of
//!   S_0, …, S_{D−1} generate those of every S_k: the coefficients of degree ≤ 2D − 1
//!   generate the whole ideal, D = H + (number of distinct true nodes). The proof is
//!   checked exactly in code ([`PowerSumRecurrence::check`]) before it is used.
//!   (Watanabe 2009 ch. 7; Aoyagi & Watanabe 2005 for H + H0 odd coefficients.)
//! - **Anything else with tanh** (several tanh layers): the coefficients up to the
//!   truncation degree generate a sub-ideal, which gives a lower bound only
//!   ([`super::Claim::SubIdeal`]).
//! - tanh with a bias before it is refused: its x-coefficients are not polynomial in the
//!   bias.
//!
//! The step from f(x, w) − f(x, w0) to the ideal of its x-coefficients is DESIGN §2.6
//! (Watanabe 2009, ch. 7): the coefficients vanish exactly where the function of x does
//! (identity theorem), and K ≍ Σ of their squares is the standard argument when the
//! expansion converges on the input support (compact support with |A0·x| < π/2; near a
//! zero truth any compact support). For normal inputs rlct follows DESIGN §2.6 and the
//! literature it cites.

use super::regression::{self, coefficient_ideal, InputDistribution};
use super::schema::ModelFile;
use super::{Claim, Cx, Derived, FileError, ModelSpec};
use crate::poly::{Ideal, Poly, Rational, Ring};
use crate::problem::Target;
use num_traits::{One, Zero};
use toml::Spanned;

/// Most paths through the hidden units (the terms of one entry of W_L⋯W_1) rlct expands.
pub const MAX_PATHS: usize = 4096;

/// Most inputs of a tanh network rlct expands exactly.
pub const MAX_TANH_INPUTS: usize = 4;

/// Most power-sum nodes D (so degree 2D − 1 in x) rlct expands exactly.
pub const MAX_TANH_NODES: usize = 12;

/// An activation function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// The identity.
    Linear,
    /// tanh.
    Tanh,
}

/// One layer: `units` outputs of activation(W·h + b).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layer {
    /// Width of the layer's output.
    pub units: usize,
    /// Its activation.
    pub activation: Activation,
    /// Whether it has biases.
    pub bias: bool,
    /// The true W (units × fan-in).
    pub true_weights: Vec<Vec<Rational>>,
    /// The true b (zeros without biases).
    pub true_bias: Vec<Rational>,
}

/// A layered network with Gaussian output noise: everything a numeric estimator needs.
#[derive(Clone, Debug)]
pub struct NetworkModel {
    /// Number of inputs M.
    pub inputs: usize,
    /// The layers, input to output.
    pub layers: Vec<Layer>,
    /// The parameters, in order: per layer the weights row by row, then the biases.
    pub parameters: Ring,
    /// σ of the output noise.
    pub sigma: Rational,
    /// The input distribution.
    pub input: InputDistribution,
    /// Degree in x of the expansion when generation cannot be proved.
    pub truncation: u32,
}

impl NetworkModel {
    /// A network from its widths [M, h_1, …, N] and per-layer activations and biases,
    /// with true weights and biases zero.
    pub fn new(widths: &[usize], activations: &[Activation], biases: &[bool]) -> NetworkModel {
        let layers: Vec<Layer> = widths
            .windows(2)
            .zip(activations.iter().zip(biases))
            .map(|(w, (&activation, &bias))| Layer {
                units: w[1],
                activation,
                bias,
                true_weights: vec![vec![Rational::zero(); w[0]]; w[1]],
                true_bias: vec![Rational::zero(); w[1]],
            })
            .collect();
        let mut names = Vec::new();
        let mut fan_in = widths[0];
        for (l, layer) in layers.iter().enumerate() {
            for i in 1..=layer.units {
                for j in 1..=fan_in {
                    names.push(format!("w{}_{i}_{j}", l + 1));
                }
            }
            if layer.bias {
                for i in 1..=layer.units {
                    names.push(format!("b{}_{i}", l + 1));
                }
            }
            fan_in = layer.units;
        }
        NetworkModel {
            inputs: widths[0],
            layers,
            parameters: Ring::new(names),
            sigma: Rational::one(),
            input: InputDistribution::StandardNormal,
            truncation: 7,
        }
    }

    /// The true point w0, in the order of [`NetworkModel::parameters`].
    pub fn true_point(&self) -> Vec<Rational> {
        let mut w0 = Vec::new();
        for layer in &self.layers {
            for row in &layer.true_weights {
                w0.extend(row.iter().cloned());
            }
            if layer.bias {
                w0.extend(layer.true_bias.iter().cloned());
            }
        }
        w0
    }

    /// Number of outputs N.
    pub fn outputs(&self) -> usize {
        self.layers.last().map_or(self.inputs, |l| l.units)
    }

    /// The ring of parameters followed by the inputs x1, …, xM.
    pub fn full_ring(&self) -> Ring {
        let mut names = self.parameters.names().to_vec();
        names.extend((1..=self.inputs).map(|j| format!("x{j}")));
        Ring::new(names)
    }

    /// The network's weight and bias polynomials in the full ring: symbolic (`truth` =
    /// false) or the true constants.
    fn layer_maps(&self, truth: bool) -> Vec<(Vec<Vec<Poly>>, Vec<Poly>)> {
        let n = self.parameters.nvars() + self.inputs;
        let mut k = 0;
        let mut out = Vec::new();
        for layer in &self.layers {
            let mut w = Vec::new();
            for row in &layer.true_weights {
                let mut r = Vec::new();
                for v in row {
                    r.push(if truth {
                        Poly::constant(n, v.clone())
                    } else {
                        Poly::var(n, k)
                    });
                    k += 1;
                }
                w.push(r);
            }
            let mut b = Vec::new();
            for v in &layer.true_bias {
                b.push(if !layer.bias {
                    Poly::zero(n)
                } else if truth {
                    Poly::constant(n, v.clone())
                } else {
                    k += 1;
                    Poly::var(n, k - 1)
                });
            }
            out.push((w, b));
        }
        out
    }

    /// f(x, w) (or f(x, w0)) as polynomials in the full ring; tanh is expanded to degree
    /// `degree` in x, which is exact for the terms of degree ≤ `degree` when no bias
    /// precedes a tanh.
    pub fn forward(&self, truth: bool, degree: u32) -> Vec<Poly> {
        let np = self.parameters.nvars();
        let n = np + self.inputs;
        let trunc = |p: &Poly| p.filter_terms(|e| e[np..].iter().sum::<u32>() <= degree);
        let mut h: Vec<Poly> = (0..self.inputs).map(|j| Poly::var(n, np + j)).collect();
        for (layer, (w, b)) in self.layers.iter().zip(self.layer_maps(truth)) {
            let z: Vec<Poly> = w
                .iter()
                .zip(&b)
                .map(|(row, bi)| {
                    row.iter()
                        .zip(&h)
                        .fold(bi.clone(), |acc, (wij, hj)| &acc + &(wij * hj))
                })
                .collect();
            h = match layer.activation {
                Activation::Linear => z,
                Activation::Tanh => z.iter().map(|zi| tanh_series(zi, degree, &trunc)).collect(),
            };
        }
        h
    }
}

/// Taylor coefficients t_0, …, t_n of tanh, exactly: from tanh' = 1 − tanh²,
/// (k+1)·t_{k+1} = [k = 0] − Σ_{i+j=k} t_i t_j. They equal
/// 2^{2m}(2^{2m} − 1)B_{2m}/(2m)! at k = 2m − 1 (Bernoulli numbers): 1, −1/3, 2/15,
/// −17/315, …; every odd one is nonzero, every even one zero.
pub fn tanh_coefficients(n: usize) -> Vec<Rational> {
    let mut t = vec![Rational::zero(); n + 1];
    for k in 0..n {
        let mut s = if k == 0 {
            Rational::one()
        } else {
            Rational::zero()
        };
        for i in 0..=k {
            s -= &t[i] * &t[k - i];
        }
        t[k + 1] = s / Rational::from_integer((k as i64 + 1).into());
    }
    t
}

fn tanh_series(z: &Poly, degree: u32, trunc: &impl Fn(&Poly) -> Poly) -> Poly {
    let t = tanh_coefficients(degree as usize);
    let z2 = trunc(&(z * z));
    let mut power = trunc(z);
    let mut sum = Poly::zero(z.nvars());
    let mut k = 1;
    while k <= degree as usize {
        sum = &sum + &power.scale(&t[k]);
        power = trunc(&(&power * &z2));
        k += 2;
    }
    sum
}

/// Power sums S_{n,k} = Σ_i β_{n,i}·λ_i^k (one sequence per output n) and the claim that
/// the monic polynomial with roots λ_0, …, λ_{D−1} annihilates every node, so that
/// S_{k+D} = −Σ_{j=1}^{D} c_j S_{k+D−j} for all k (Newton's identities): the first D terms
/// of each sequence generate the ideal of all of them.
#[derive(Clone, Debug)]
pub struct PowerSumRecurrence {
    /// The nodes λ_i.
    pub nodes: Vec<Poly>,
    /// β_{n,i}: one row per sequence.
    pub weights: Vec<Vec<Poly>>,
    /// D: the claimed number of generating terms.
    pub order: usize,
    /// c_1, …, c_D of P(t) = Π_{i<D}(t − λ_i) = t^D + c_1 t^{D−1} + … + c_D: the
    /// multipliers of the recurrence.
    pub multipliers: Vec<Poly>,
}

impl PowerSumRecurrence {
    /// Build the claim that the first `order` terms generate: P is the product over the
    /// first `order` nodes.
    pub fn new(nodes: Vec<Poly>, weights: Vec<Vec<Poly>>, order: usize) -> Self {
        let n = nodes.first().map_or(0, Poly::nvars);
        // coefficients of P, highest degree first: p[0] = 1.
        let mut p = vec![Poly::one(n)];
        for node in nodes.iter().take(order) {
            let mut next = p.clone();
            next.push(Poly::zero(n));
            for (j, c) in p.iter().enumerate() {
                next[j + 1] = &next[j + 1] - &(c * node);
            }
            p = next;
        }
        PowerSumRecurrence {
            nodes,
            weights,
            order,
            multipliers: p[1..].to_vec(),
        }
    }

    /// S_{n,k}.
    pub fn term(&self, n: usize, k: u32) -> Poly {
        let nv = self.nodes.first().map_or(0, Poly::nvars);
        self.nodes
            .iter()
            .zip(&self.weights[n])
            .fold(Poly::zero(nv), |acc, (l, b)| &acc + &(b * &l.pow(k)))
    }

    /// Verify the claim exactly: P(λ_i) = 0 for every node (which proves the recurrence
    /// for every k, since each S_{n,k+D} + Σ_j c_j S_{n,k+D−j} = Σ_i β_{n,i} λ_i^k P(λ_i)),
    /// and, as a check of the multipliers, the identity at k = 0 for every sequence.
    ///
    /// # Errors
    /// Which node is not a root of P, or which identity fails.
    pub fn check(&self) -> Result<(), String> {
        let d = self.order;
        for (i, node) in self.nodes.iter().enumerate() {
            let mut value = node.pow(d as u32);
            for (j, c) in self.multipliers.iter().enumerate() {
                value = &value + &(c * &node.pow((d - 1 - j) as u32));
            }
            if !value.is_zero() {
                return Err(format!(
                    "node {} is not a root of the degree-{d} recurrence polynomial",
                    i + 1
                ));
            }
        }
        for n in 0..self.weights.len() {
            let mut s = self.term(n, d as u32);
            for (j, c) in self.multipliers.iter().enumerate() {
                s = &s + &(c * &self.term(n, (d - 1 - j) as u32));
            }
            if !s.is_zero() {
                return Err(format!(
                    "the recurrence fails for output {} at k = 0",
                    n + 1
                ));
            }
        }
        Ok(())
    }
}

/// For a network with exactly one tanh layer and no bias up to it: the nodes and weights
/// of its power sums (model nodes first, then the merged true nodes), in the full ring.
pub fn one_tanh_layer_sums(net: &NetworkModel) -> Option<PowerSumRecurrence> {
    let tanh: Vec<usize> = (0..net.layers.len())
        .filter(|&l| net.layers[l].activation == Activation::Tanh)
        .collect();
    let [t] = tanh[..] else { return None };
    if net.layers[..=t].iter().any(|l| l.bias) {
        return None;
    }
    let n = net.parameters.nvars() + net.inputs;
    let mut nodes = Vec::new();
    let mut weights: Vec<Vec<Poly>> = vec![Vec::new(); net.outputs()];
    let mut true_nodes: Vec<Poly> = Vec::new();
    let mut true_weights: Vec<Vec<Poly>> = vec![Vec::new(); net.outputs()];
    for truth in [false, true] {
        let maps = net.layer_maps(truth);
        // Pre-activations z = A·x of the tanh layer.
        let mut h: Vec<Poly> = (0..net.inputs)
            .map(|j| Poly::var(n, net.parameters.nvars() + j))
            .collect();
        for (w, _) in &maps[..=t] {
            h = w
                .iter()
                .map(|row| {
                    row.iter()
                        .zip(&h)
                        .fold(Poly::zero(n), |acc, (a, b)| &acc + &(a * b))
                })
                .collect();
        }
        let z = h;
        // The affine map after the tanh layer: u ↦ C·u + c; column h of C is post(e_h) − c.
        let post = |u: Vec<Poly>| -> Vec<Poly> {
            let mut v = u;
            for (w, b) in &maps[t + 1..] {
                v = w
                    .iter()
                    .zip(b)
                    .map(|(row, bi)| {
                        row.iter()
                            .zip(&v)
                            .fold(bi.clone(), |acc, (a, x)| &acc + &(a * x))
                    })
                    .collect();
            }
            v
        };
        let c0 = post(vec![Poly::zero(n); z.len()]);
        for (hh, zh) in z.iter().enumerate() {
            let mut e = vec![Poly::zero(n); z.len()];
            e[hh] = Poly::one(n);
            let col: Vec<Poly> = post(e).iter().zip(&c0).map(|(a, b)| a - b).collect();
            let lambda = zh * zh;
            if !truth {
                nodes.push(lambda);
                for (out, c) in col.iter().enumerate() {
                    weights[out].push(c * zh);
                }
                continue;
            }
            // True nodes: merge equal ones, weights −β0.
            let k = match true_nodes.iter().position(|l| *l == lambda) {
                Some(k) => k,
                None => {
                    true_nodes.push(lambda);
                    for tw in &mut true_weights {
                        tw.push(Poly::zero(n));
                    }
                    true_nodes.len() - 1
                }
            };
            for (out, c) in col.iter().enumerate() {
                true_weights[out][k] = &true_weights[out][k] - &(c * zh);
            }
        }
    }
    // Drop true nodes whose weights all vanish: they contribute nothing.
    for k in 0..true_nodes.len() {
        if true_weights.iter().any(|tw| !tw[k].is_zero()) {
            nodes.push(true_nodes[k].clone());
            for (w, tw) in weights.iter_mut().zip(&true_weights) {
                w.push(tw[k].clone());
            }
        }
    }
    let order = nodes.len();
    Some(PowerSumRecurrence::new(nodes, weights, order))
}

/// The ideal of a network model.
///
/// # Errors
/// A tanh layer preceded by (or carrying) biases; tanh with finitely many input points.
pub(crate) fn derive(net: NetworkModel) -> Result<Derived, String> {
    let np = net.parameters.nvars();
    // Each entry of W_L⋯W_1 has one term per path through the hidden units.
    let paths = net.layers[..net.layers.len() - 1]
        .iter()
        .try_fold(1usize, |acc, l| {
            acc.checked_mul(l.units + usize::from(l.bias))
        });
    if paths.is_none_or(|p| p > MAX_PATHS) {
        return Err(format!(
            "more than {MAX_PATHS} paths through the hidden units: too large to expand exactly"
        ));
    }
    let has_tanh = net.layers.iter().any(|l| l.activation == Activation::Tanh);
    let true_point = net.true_point();
    let params = net.parameters.clone();
    if !has_tanh {
        let f = net.forward(false, u32::MAX);
        let model = regression::RegressionModel {
            ring: net.full_ring(),
            parameters: np,
            f,
            true_point: true_point.clone(),
            sigma: net.sigma.clone(),
            input: net.input.clone(),
        };
        let mut d = regression::derive(model);
        d.derivation.insert(
            0,
            "A linear network is a polynomial regression: f(x, w) = W_L⋯W_1·x (+ biases).".into(),
        );
        d.spec = ModelSpec::Network(net);
        return Ok(d);
    }
    let last_tanh = net
        .layers
        .iter()
        .rposition(|l| l.activation == Activation::Tanh)
        .unwrap_or(0);
    if net.layers[..=last_tanh].iter().any(|l| l.bias) {
        return Err("a tanh layer with a bias at or before it: its x-coefficients are not polynomial in the bias; not supported".into());
    }
    if !net.input.monomials_independent() {
        return Err("tanh networks need normal or uniform inputs (their values at finitely many points are not polynomial)".into());
    }
    // The exact expansion has O(degree^M) terms per unit: keep it within reach.
    let tanh_units: usize = net
        .layers
        .iter()
        .filter(|l| l.activation == Activation::Tanh)
        .map(|l| l.units)
        .sum();
    if tanh_units > MAX_TANH_NODES {
        return Err(format!(
            "{tanh_units} tanh units: more than {MAX_TANH_NODES} are too large to expand exactly"
        ));
    }
    if net.inputs > MAX_TANH_INPUTS {
        return Err(format!(
            "tanh networks with more than {MAX_TANH_INPUTS} inputs are too large to expand exactly"
        ));
    }
    let (degree, claim, mut derivation) = match one_tanh_layer_sums(&net) {
        Some(rec) if rec.order > MAX_TANH_NODES => {
            return Err(format!(
                "{} power-sum nodes (hidden units plus distinct true units): more than {MAX_TANH_NODES} are too large to expand exactly",
                rec.order
            ))
        }
        Some(rec) => {
            rec.check()
                .map_err(|e| format!("internal: generation proof failed: {e}"))?;
            let d = rec.order;
            let degree = 2 * d as u32 - 1;
            verify_expansion(&net, &rec, degree)?;
            (
                degree,
                Claim::Whole,
                vec![format!(
                    "One tanh layer: the x-coefficients of f(x, w) − f(x, w0) of degree 2k+1 are t_{{2k+1}}·S_k, power sums over D = {d} nodes (model and distinct true units); the monic polynomial with those roots gives S_(k+D) = −Σ c_j S_(k+D−j) (Newton's identities, checked exactly), so the coefficients of degree ≤ {degree} generate the whole ideal."
                )],
            )
        }
        None => (
            net.truncation,
            Claim::SubIdeal {
                reason: format!(
                    "several tanh layers: the x-coefficients up to degree {} are a truncation",
                    net.truncation
                ),
            },
            Vec::new(),
        ),
    };
    let f = net.forward(false, degree);
    let f0 = net.forward(true, degree);
    let diffs: Vec<Poly> = f.iter().zip(&f0).map(|(a, b)| a - b).collect();
    let gens = coefficient_ideal(np, &diffs, &net.input);
    derivation.push(format!(
        "tanh expanded in x with exact Taylor coefficients to degree {degree}: {} generator(s).",
        gens.len()
    ));
    Ok(Derived {
        ring: params,
        target: Target::Ideal(Ideal::new(np, gens)),
        true_point,
        claim,
        derivation,
        spec: ModelSpec::Network(net),
    })
}

/// Cross-check the power-sum representation against the series: the part of degree 2k+1
/// of f_n − f0_n is t_{2k+1}·S_{n,k}, even parts above degree 0 vanish.
fn verify_expansion(
    net: &NetworkModel,
    rec: &PowerSumRecurrence,
    degree: u32,
) -> Result<(), String> {
    let np = net.parameters.nvars();
    let f = net.forward(false, degree);
    let f0 = net.forward(true, degree);
    let t = tanh_coefficients(degree as usize);
    for (n, (a, b)) in f.iter().zip(&f0).enumerate() {
        let diff = a - b;
        for k in 1..=degree {
            let part = diff.filter_terms(|e| e[np..].iter().sum::<u32>() == k);
            let expect = if k % 2 == 1 {
                rec.term(n, (k - 1) / 2).scale(&t[k as usize])
            } else {
                Poly::zero(diff.nvars())
            };
            if part != expect {
                return Err(format!(
                    "internal: the series of output {} at degree {k} disagrees with the power sums",
                    n + 1
                ));
            }
        }
    }
    Ok(())
}

fn matrix(
    cx: &Cx<'_>,
    span: std::ops::Range<usize>,
    field: &str,
    m: &[Vec<super::Num>],
    rows: usize,
    cols: usize,
    l: usize,
) -> Result<Vec<Vec<Rational>>, FileError> {
    if m.len() != rows || m.iter().any(|r| r.len() != cols) {
        return Err(cx.err(
            span,
            field,
            format!("layer {l} needs a {rows}×{cols} matrix (units × fan-in)"),
        ));
    }
    Ok(m.iter()
        .map(|r| r.iter().map(|x| x.0.clone()).collect())
        .collect())
}

/// `kind = "network"`.
pub(crate) fn from_file(cx: &Cx<'_>, file: &ModelFile) -> Result<Derived, FileError> {
    let kind = "kind = \"network\"";
    let widths = cx.need(&file.widths, "widths", kind)?;
    let ws = widths.get_ref();
    if ws.len() < 2 || ws.contains(&0) || ws.iter().any(|&w| w > 64) {
        return Err(cx.err(
            widths.span(),
            "widths",
            "give [inputs, hidden…, outputs]: at least two widths, each between 1 and 64",
        ));
    }
    let nl = ws.len() - 1;
    let acts = cx.need(&file.activations, "activations", kind)?;
    if acts.get_ref().len() != nl {
        return Err(cx.err(
            acts.span(),
            "activations",
            format!("need one activation per layer ({nl})"),
        ));
    }
    let mut activations = Vec::new();
    for a in acts.get_ref() {
        activations.push(match a.get_ref().as_str() {
            "linear" => Activation::Linear,
            "tanh" => Activation::Tanh,
            other => {
                return Err(cx.err(
                    a.span(),
                    "activations",
                    format!("unknown activation '{other}' (linear, tanh)"),
                ))
            }
        });
    }
    let biases = match &file.biases {
        None => vec![false; nl],
        Some(b) if b.get_ref().len() == nl => b.get_ref().clone(),
        Some(b) => {
            return Err(cx.err(
                b.span(),
                "biases",
                format!("need one entry per layer ({nl})"),
            ))
        }
    };
    let mut net = NetworkModel::new(ws, &activations, &biases);
    if let Some(tw) = &file.true_weights {
        if tw.get_ref().len() != nl {
            return Err(cx.err(
                tw.span(),
                "true_weights",
                format!("need one matrix per layer ({nl})"),
            ));
        }
        for (l, m) in tw.get_ref().iter().enumerate() {
            net.layers[l].true_weights =
                matrix(cx, tw.span(), "true_weights", m, ws[l + 1], ws[l], l + 1)?;
        }
    }
    if let Some(tb) = &file.true_biases {
        if tb.get_ref().len() != nl {
            return Err(cx.err(
                tb.span(),
                "true_biases",
                format!("need one list per layer ({nl}); [] for a layer without biases"),
            ));
        }
        for (l, b) in tb.get_ref().iter().enumerate() {
            let layer = &mut net.layers[l];
            if !layer.bias {
                if !b.is_empty() {
                    return Err(cx.err(
                        tb.span(),
                        "true_biases",
                        format!("layer {} has no biases: give []", l + 1),
                    ));
                }
                continue;
            }
            if b.len() != layer.units {
                return Err(cx.err(
                    tb.span(),
                    "true_biases",
                    format!("layer {} needs {} biases", l + 1, layer.units),
                ));
            }
            layer.true_bias = b.iter().map(|x| x.0.clone()).collect();
        }
    }
    net.sigma = regression::sigma(cx, &file.sigma)?;
    net.input = regression::input_distribution(cx, &file.input, ws[0])?;
    if let Some(t) = &file.truncation {
        if *t.get_ref() == 0 || *t.get_ref() > 25 {
            return Err(cx.err(t.span(), "truncation", "give a degree between 1 and 25"));
        }
        net.truncation = *t.get_ref();
    }
    let span = file.activations.as_ref().map_or(0..0, Spanned::span);
    derive(net).map_err(|e| cx.err(span, "activations", e))
}
