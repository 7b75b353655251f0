//! Regression models with data: the interface the data-based λ estimators work on
//! ([`DataModel`]), two implementations (a polynomial regression, layered networks), and
//! the built-in families of `rlct estimators` with their ideals for the exact engine.
//!
//! The statistical model is y = f(x, w) + N(0, σ²I) with inputs x drawn from an
//! [`InputSampler`] (standard normal unless a model file says otherwise); data are drawn at
//! the true parameter w0. [`from_model`] turns a `regression` or `network` model file
//! (models/README.md) into a [`DataModel`]. Its average negative log-likelihood, up to a constant,
//! is L_n(w) = (1/n) Σ_i |y_i − f(x_i, w)|²/(2σ²), and K(w) = E_x|f(x,w) − f(x,w0)|²/(2σ²)
//! (DESIGN §2.6).

use super::eval::{CompiledPoly, Potential};
use crate::error::{Error, Result};
use crate::models::network::{self, NetworkModel};
use crate::models::regression::{InputDistribution, RegressionModel};
use crate::models::{Model, ModelSpec};
use crate::poly::{Ideal, Poly, Rational, Ring};
use num_traits::ToPrimitive;
use rand::Rng;
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;

/// A regression model f(x, w) with outputs in R^{noutputs}.
pub trait DataModel: Sync {
    /// Number of parameters.
    fn nparams(&self) -> usize;
    /// Input dimension.
    fn ninputs(&self) -> usize;
    /// Output dimension.
    fn noutputs(&self) -> usize;
    /// f(x, w), written into `out`.
    fn predict(&self, x: &[f64], w: &[f64], out: &mut [f64]);
    /// f(x, w) and its Jacobian in w (row-major: `jac[o·nparams + k]` = ∂f_o/∂w_k).
    fn predict_with_jacobian(&self, x: &[f64], w: &[f64], out: &mut [f64], jac: &mut [f64]);
    /// The true parameter w0.
    fn true_parameter(&self) -> Vec<f64>;
    /// The noise standard deviation σ.
    fn noise_sd(&self) -> f64;
    /// Names of the parameters (those of the ideal given to the exact engine).
    fn parameter_names(&self) -> Vec<String>;
    /// Draw an input (standard normal by default).
    fn sample_input(&self, rng: &mut Xoshiro256PlusPlus, x: &mut [f64]) {
        InputSampler::StandardNormal.sample(rng, x);
    }
}

/// The input distribution of a data model, in f64 (a model file's
/// [`InputDistribution`], rounded).
#[derive(Clone, Debug, PartialEq)]
pub enum InputSampler {
    /// Independent standard normal inputs.
    StandardNormal,
    /// Uniform on the box [low_i, high_i].
    Uniform {
        /// Lower corner.
        low: Vec<f64>,
        /// Upper corner.
        high: Vec<f64>,
    },
    /// One of finitely many points, point p with probability q_p/Σq.
    Points {
        /// The points.
        points: Vec<Vec<f64>>,
        /// Cumulative weights q_1, q_1 + q_2, …, normalised to end at 1.
        cumulative: Vec<f64>,
    },
}

impl InputSampler {
    /// The sampler of a model file's input distribution.
    pub fn new(d: &InputDistribution) -> InputSampler {
        let f = |v: &[Rational]| -> Vec<f64> {
            v.iter().map(|x| x.to_f64().unwrap_or(f64::NAN)).collect()
        };
        match d {
            InputDistribution::StandardNormal => InputSampler::StandardNormal,
            InputDistribution::Uniform { low, high } => InputSampler::Uniform {
                low: f(low),
                high: f(high),
            },
            InputDistribution::Points { points, weights } => {
                let w = f(weights);
                let total: f64 = w.iter().sum();
                let mut acc = 0.0;
                let cumulative = w
                    .iter()
                    .map(|q| {
                        acc += q / total;
                        acc
                    })
                    .collect();
                InputSampler::Points {
                    points: points.iter().map(|p| f(p)).collect(),
                    cumulative,
                }
            }
        }
    }

    /// Draw one input into `x`.
    pub fn sample(&self, rng: &mut Xoshiro256PlusPlus, x: &mut [f64]) {
        match self {
            InputSampler::StandardNormal => {
                for xi in x.iter_mut() {
                    *xi = rng.sample(StandardNormal);
                }
            }
            InputSampler::Uniform { low, high } => {
                for ((xi, a), b) in x.iter_mut().zip(low).zip(high) {
                    *xi = a + (b - a) * rng.random::<f64>();
                }
            }
            InputSampler::Points { points, cumulative } => {
                let u: f64 = rng.random();
                let p = cumulative.partition_point(|&c| c < u).min(points.len() - 1);
                x.copy_from_slice(&points[p]);
            }
        }
    }
}

/// A polynomial regression: each output f_o is a polynomial in the parameters and the
/// inputs (variables ordered parameters first, then inputs, as in a model file's
/// [`RegressionModel`]).
#[derive(Clone, Debug)]
pub struct PolyRegression {
    outputs: Vec<CompiledPoly>,
    ninputs: usize,
    names: Vec<String>,
    w0: Vec<f64>,
    sigma: f64,
    inputs: InputSampler,
}

impl PolyRegression {
    /// f_o ∈ `outputs` over a ring whose first `nparams` variables are the parameters and
    /// the rest the inputs; standard normal inputs.
    pub fn new(ring: &Ring, outputs: &[Poly], nparams: usize, w0: Vec<f64>, sigma: f64) -> Self {
        PolyRegression {
            outputs: outputs.iter().map(CompiledPoly::new).collect(),
            ninputs: ring.nvars() - nparams,
            names: ring.names()[..nparams].to_vec(),
            w0,
            sigma,
            inputs: InputSampler::StandardNormal,
        }
    }

    /// The regression of a model file (its f, w0, σ and input distribution).
    pub fn from_model(m: &RegressionModel) -> Self {
        let mut r = PolyRegression::new(
            &m.ring,
            &m.f,
            m.parameters,
            to_f64(&m.true_point),
            m.sigma.to_f64().unwrap_or(f64::NAN),
        );
        r.inputs = InputSampler::new(&m.input);
        r
    }
}

fn to_f64(v: &[Rational]) -> Vec<f64> {
    v.iter().map(|x| x.to_f64().unwrap_or(f64::NAN)).collect()
}

impl DataModel for PolyRegression {
    fn nparams(&self) -> usize {
        self.names.len()
    }
    fn ninputs(&self) -> usize {
        self.ninputs
    }
    fn noutputs(&self) -> usize {
        self.outputs.len()
    }
    fn predict(&self, x: &[f64], w: &[f64], out: &mut [f64]) {
        let v: Vec<f64> = w.iter().chain(x).copied().collect();
        for (o, p) in out.iter_mut().zip(&self.outputs) {
            *o = p.value(&v);
        }
    }
    fn predict_with_jacobian(&self, x: &[f64], w: &[f64], out: &mut [f64], jac: &mut [f64]) {
        let v: Vec<f64> = w.iter().chain(x).copied().collect();
        let np = self.nparams();
        let mut g = vec![0.0; v.len()];
        for (o, p) in self.outputs.iter().enumerate() {
            g.iter_mut().for_each(|x| *x = 0.0);
            out[o] = p.value_and_add_gradient(&v, |_| 1.0, &mut g);
            jac[o * np..(o + 1) * np].copy_from_slice(&g[..np]);
        }
    }
    fn true_parameter(&self) -> Vec<f64> {
        self.w0.clone()
    }
    fn noise_sd(&self) -> f64 {
        self.sigma
    }
    fn parameter_names(&self) -> Vec<String> {
        self.names.clone()
    }
    fn sample_input(&self, rng: &mut Xoshiro256PlusPlus, x: &mut [f64]) {
        self.inputs.sample(rng, x);
    }
}

/// Activation of a layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// Identity.
    Linear,
    /// tanh.
    Tanh,
}

/// A feed-forward network: layer l maps R^{widths[l]} to R^{widths[l+1]} by
/// h ↦ act_l(W_l h + b_l). Parameters are stored layer by layer, W_l row-major, then b_l
/// (for the layers that have biases) — the order of a model file's network.
#[derive(Clone, Debug)]
pub struct LayeredNetwork {
    widths: Vec<usize>,
    activations: Vec<Activation>,
    /// Whether each layer has biases.
    biases: Vec<bool>,
    names: Vec<String>,
    w0: Vec<f64>,
    sigma: f64,
    inputs: InputSampler,
}

impl LayeredNetwork {
    /// A network with the given widths and per-layer activations; parameter names are
    /// `w{l}_{i}_{j}` and `c{l}_{i}` unless `names` is given. The true parameter is `w0`
    /// (zeros if `None`). Widths are clamped to 1…[`MAX_WIDTH`] and layers to
    /// [`MAX_LAYERS`] (callers validate user input against these first).
    pub fn new(
        widths: Vec<usize>,
        activations: Vec<Activation>,
        biases: bool,
        names: Option<Vec<String>>,
        w0: Option<Vec<f64>>,
        sigma: f64,
    ) -> Self {
        let mut widths: Vec<usize> = widths.iter().map(|w| (*w).clamp(1, MAX_WIDTH)).collect();
        widths.truncate(MAX_LAYERS + 1);
        while widths.len() < 2 {
            widths.push(1);
        }
        let mut default_names = Vec::new();
        for l in 0..widths.len() - 1 {
            for i in 0..widths[l + 1] {
                for j in 0..widths[l] {
                    default_names.push(format!("w{}_{}_{}", l + 1, i + 1, j + 1));
                }
            }
            if biases {
                for i in 0..widths[l + 1] {
                    default_names.push(format!("c{}_{}", l + 1, i + 1));
                }
            }
        }
        let n = default_names.len();
        let layers = widths.len() - 1;
        LayeredNetwork {
            widths,
            activations,
            biases: vec![biases; layers],
            names: names.unwrap_or(default_names),
            w0: w0.unwrap_or_else(|| vec![0.0; n]),
            sigma,
            inputs: InputSampler::StandardNormal,
        }
    }

    /// The network of a model file (its layers, true weights and biases, σ and input
    /// distribution; parameter names as in the file).
    ///
    /// # Errors
    /// [`Error::Input`] when it is wider than [`MAX_WIDTH`] or deeper than [`MAX_LAYERS`].
    pub fn from_model(m: &NetworkModel) -> Result<Self> {
        let mut widths = vec![m.inputs];
        widths.extend(m.layers.iter().map(|l| l.units));
        if widths.iter().any(|&w| w > MAX_WIDTH) || m.layers.len() > MAX_LAYERS {
            return Err(Error::Input(format!(
                "the data-based estimators run networks of at most {MAX_LAYERS} layers of width at most {MAX_WIDTH}; this one has widths {widths:?}"
            )));
        }
        Ok(LayeredNetwork {
            widths,
            activations: m
                .layers
                .iter()
                .map(|l| match l.activation {
                    network::Activation::Linear => Activation::Linear,
                    network::Activation::Tanh => Activation::Tanh,
                })
                .collect(),
            biases: m.layers.iter().map(|l| l.bias).collect(),
            names: m.parameters.names().to_vec(),
            w0: to_f64(&m.true_point()),
            sigma: m.sigma.to_f64().unwrap_or(f64::NAN),
            inputs: InputSampler::new(&m.input),
        })
    }

    /// Forward pass into `hs` (hs[l] = the output of layer l, hs[0] = x), without
    /// allocating: this runs once per data point per evaluation of the loss.
    fn forward(&self, x: &[f64], w: &[f64], hs: &mut [[f64; MAX_WIDTH]; MAX_LAYERS + 1]) {
        hs[0][..x.len()].copy_from_slice(x);
        let mut off = 0;
        for l in 0..self.widths.len() - 1 {
            let (nin, nout) = (self.widths[l], self.widths[l + 1]);
            for i in 0..nout {
                let mut z = 0.0;
                for j in 0..nin {
                    z += w[off + i * nin + j] * hs[l][j];
                }
                if self.biases[l] {
                    z += w[off + nin * nout + i];
                }
                hs[l + 1][i] = match self.activations[l] {
                    Activation::Linear => z,
                    Activation::Tanh => z.tanh(),
                };
            }
            off += nin * nout + if self.biases[l] { nout } else { 0 };
        }
    }
}

/// Widest layer and deepest network [`LayeredNetwork`] accepts.
pub const MAX_WIDTH: usize = 16;
/// See [`MAX_WIDTH`].
pub const MAX_LAYERS: usize = 8;

impl DataModel for LayeredNetwork {
    fn nparams(&self) -> usize {
        self.names.len()
    }
    fn ninputs(&self) -> usize {
        self.widths[0]
    }
    fn noutputs(&self) -> usize {
        self.widths[self.widths.len() - 1]
    }
    fn predict(&self, x: &[f64], w: &[f64], out: &mut [f64]) {
        let mut hs = [[0.0; MAX_WIDTH]; MAX_LAYERS + 1];
        self.forward(x, w, &mut hs);
        let layers = self.widths.len() - 1;
        out.copy_from_slice(&hs[layers][..out.len()]);
    }
    fn predict_with_jacobian(&self, x: &[f64], w: &[f64], out: &mut [f64], jac: &mut [f64]) {
        let mut hs = [[0.0; MAX_WIDTH]; MAX_LAYERS + 1];
        self.forward(x, w, &mut hs);
        let layers = self.widths.len() - 1;
        out.copy_from_slice(&hs[layers][..out.len()]);
        let np = self.nparams();
        // Offsets of each layer's parameters.
        let mut offs = Vec::with_capacity(layers);
        let mut off = 0;
        for l in 0..layers {
            offs.push(off);
            off += self.widths[l] * self.widths[l + 1]
                + if self.biases[l] {
                    self.widths[l + 1]
                } else {
                    0
                };
        }
        // Reverse mode, one output at a time (outputs are few).
        for o in 0..self.noutputs() {
            let row = &mut jac[o * np..(o + 1) * np];
            let mut g = vec![0.0; self.widths[layers]];
            g[o] = 1.0;
            for l in (0..layers).rev() {
                let (nin, nout) = (self.widths[l], self.widths[l + 1]);
                let gz: Vec<f64> = (0..nout)
                    .map(|i| match self.activations[l] {
                        Activation::Linear => g[i],
                        Activation::Tanh => g[i] * (1.0 - hs[l + 1][i] * hs[l + 1][i]),
                    })
                    .collect();
                for i in 0..nout {
                    for j in 0..nin {
                        row[offs[l] + i * nin + j] = gz[i] * hs[l][j];
                    }
                    if self.biases[l] {
                        row[offs[l] + nin * nout + i] = gz[i];
                    }
                }
                g = (0..nin)
                    .map(|j| (0..nout).map(|i| w[offs[l] + i * nin + j] * gz[i]).sum())
                    .collect();
            }
        }
    }
    fn true_parameter(&self) -> Vec<f64> {
        self.w0.clone()
    }
    fn noise_sd(&self) -> f64 {
        self.sigma
    }
    fn parameter_names(&self) -> Vec<String> {
        self.names.clone()
    }
    fn sample_input(&self, rng: &mut Xoshiro256PlusPlus, x: &mut [f64]) {
        self.inputs.sample(rng, x);
    }
}

/// The data model of a model file: `regression` and `network` kinds, whose data are
/// y = f(x, w0) + N(0, σ²I) with x from the file's input distribution.
///
/// # Errors
/// [`Error::Input`] (one line, exit status 2) for other kinds, for a prior that vanishes at
/// w0 or a constrained region (the data-based estimators assume a prior positive near w0,
/// as their localisation does), and for networks beyond [`MAX_WIDTH`] / [`MAX_LAYERS`].
pub fn from_model(model: &Model) -> Result<Box<dyn DataModel>> {
    let data: Box<dyn DataModel> = match &model.spec {
        ModelSpec::Regression(r) => Box::new(PolyRegression::from_model(r)),
        ModelSpec::Network(n) => Box::new(LayeredNetwork::from_model(n)?),
        _ => {
            return Err(Error::Input(format!(
                "rlct estimators needs a model with data y = f(x, w) + noise (kind = \"regression\" or \"network\"); {} has kind = \"{}\"",
                model.name, model.kind
            )))
        }
    };
    if model.problem.weight.iter().any(|&h| h > 0) {
        return Err(Error::Input(format!(
            "{}: the data-based estimators assume a prior that is positive at the true point, but [prior] weight vanishes there",
            model.name
        )));
    }
    if !model.constraints.active.is_empty() {
        return Err(Error::Input(format!(
            "{}: the data-based estimators do not handle constrained parameters ([prior] nonnegative active at the true point)",
            model.name
        )));
    }
    Ok(data)
}

/// A built-in family: the model, and the ideal whose (λ, m) is the model's learning
/// coefficient at w0 (DESIGN §2.6), for the exact engine.
pub struct Family {
    /// Short description, e.g. "reduced-rank regression M=2, N=2, H=2".
    pub name: String,
    /// The model.
    pub model: LayeredNetwork,
    /// Variables of the ideal (the parameters, in the model's order).
    pub ring: Ring,
    /// The ideal ⟨g_j⟩ with f(x,w) − f(x,w0) = Σ_j g_j(w) e_j(x).
    pub ideal: Ideal,
}

/// Entries of the matrix product W_L ⋯ W_1 of symbolic matrices (each entry a variable).
fn product_ideal(widths: &[usize], ring: &Ring) -> Ideal {
    let n = ring.nvars();
    let mut idx = 0;
    let mut acc: Option<Vec<Vec<Poly>>> = None; // rows = current width, cols = widths[0]
    for l in 0..widths.len() - 1 {
        let (nin, nout) = (widths[l], widths[l + 1]);
        let mut m = vec![vec![Poly::zero(n); nin]; nout];
        for row in m.iter_mut() {
            for e in row.iter_mut() {
                *e = Poly::var(n, idx);
                idx += 1;
            }
        }
        acc = Some(match acc {
            None => m,
            Some(prev) => (0..nout)
                .map(|i| {
                    (0..widths[0])
                        .map(|j| {
                            let mut s = Poly::zero(n);
                            for (k, mk) in m[i].iter().enumerate() {
                                s = &s + &(mk * &prev[k][j]);
                            }
                            s
                        })
                        .collect()
                })
                .collect(),
        });
    }
    let gens = acc
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .filter(|p| !p.is_zero())
        .collect();
    Ideal::new(n, gens)
}

impl Family {
    /// Reduced-rank regression y = B A x: N inputs, H hidden, M outputs, true rank 0
    /// (Aoyagi & Watanabe 2005). Parameters a{h}_{n} (A), then b{m}_{h} (B).
    pub fn reduced_rank(inputs: usize, hidden: usize, outputs: usize, sigma: f64) -> Family {
        let mut names = Vec::new();
        for h in 0..hidden {
            for i in 0..inputs {
                names.push(format!("a{}_{}", h + 1, i + 1));
            }
        }
        for m in 0..outputs {
            for h in 0..hidden {
                names.push(format!("b{}_{}", m + 1, h + 1));
            }
        }
        let widths = vec![inputs, hidden, outputs];
        let ring = Ring::new(names.clone());
        let ideal = product_ideal(&widths, &ring);
        Family {
            name: format!("reduced-rank regression N={inputs}, H={hidden}, M={outputs}, rank 0"),
            model: LayeredNetwork::new(
                widths,
                vec![Activation::Linear; 2],
                false,
                Some(names),
                None,
                sigma,
            ),
            ring,
            ideal,
        }
    }

    /// A deep linear network with the given widths, true parameter 0.
    pub fn deep_linear(widths: &[usize], sigma: f64) -> Family {
        let model = LayeredNetwork::new(
            widths.to_vec(),
            vec![Activation::Linear; widths.len() - 1],
            false,
            None,
            None,
            sigma,
        );
        let ring = Ring::new(model.parameter_names());
        let ideal = product_ideal(widths, &ring);
        let w: Vec<String> = widths.iter().map(ToString::to_string).collect();
        Family {
            name: format!("deep linear network widths {}", w.join(",")),
            model,
            ring,
            ideal,
        }
    }

    /// One input, H tanh hidden units, one linear output, no biases, true function 0:
    /// f = Σ_h a_h tanh(b_h x). Since tanh(t) = Σ_k c_k t^{2k+1} with every c_k ≠ 0 and
    /// the odd powers of x are independent, K ≍ Σ_k (Σ_h a_h b_h^{2k+1})²; the ideal of
    /// all those moments is generated by the first H (Watanabe 2009 §7; Aoyagi &
    /// Watanabe 2005), which are the generators used.
    pub fn tanh(hidden: usize, sigma: f64) -> Family {
        let mut names: Vec<String> = (0..hidden).map(|h| format!("b{}", h + 1)).collect();
        names.extend((0..hidden).map(|h| format!("a1_{}", h + 1)));
        let ring = Ring::new(names.clone());
        let n = ring.nvars();
        let gens = (0..hidden as u32)
            .map(|k| {
                let mut g = Poly::zero(n);
                for h in 0..hidden {
                    let mut e = vec![0; n];
                    e[h] = 2 * k + 1;
                    e[hidden + h] = 1;
                    g.add_term(e, Rational::from_integer(1.into()));
                }
                g
            })
            .collect();
        Family {
            name: format!("tanh network, 1 input, H={hidden}, true function 0"),
            model: LayeredNetwork::new(
                vec![1, hidden, 1],
                vec![Activation::Tanh, Activation::Linear],
                false,
                Some(names),
                None,
                sigma,
            ),
            ring,
            ideal: Ideal::new(n, gens),
        }
    }
}

/// A data set drawn from a model at its true parameter.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// Inputs, row by row.
    pub x: Vec<Vec<f64>>,
    /// Outputs, row by row.
    pub y: Vec<Vec<f64>>,
}

impl Dataset {
    /// n samples (x from the model's input distribution, y = f(x, w0) + σ·N(0, I)).
    pub fn sample(model: &dyn DataModel, n: usize, rng: &mut Xoshiro256PlusPlus) -> Dataset {
        let w0 = model.true_parameter();
        let (mut xs, mut ys) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for _ in 0..n {
            let mut x = vec![0.0; model.ninputs()];
            model.sample_input(rng, &mut x);
            let mut y = vec![0.0; model.noutputs()];
            model.predict(&x, &w0, &mut y);
            for yi in y.iter_mut() {
                *yi += model.noise_sd() * rng.sample::<f64, _>(StandardNormal);
            }
            xs.push(x);
            ys.push(y);
        }
        Dataset { x: xs, y: ys }
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }
}

/// L_n(w) = (1/|S|) Σ_{i∈S} |y_i − f(x_i, w)|²/(2σ²) over `rows` (all if `None`), and
/// its gradient added into `grad` when given.
pub fn loss(
    model: &dyn DataModel,
    data: &Dataset,
    w: &[f64],
    rows: Option<&[usize]>,
    mut grad: Option<&mut [f64]>,
) -> f64 {
    let no = model.noutputs();
    let np = model.nparams();
    let mut out = vec![0.0; no];
    let mut jac = vec![0.0; no * np];
    let inv = 1.0 / (2.0 * model.noise_sd() * model.noise_sd());
    let count = rows.map_or(data.len(), <[usize]>::len);
    let scale = 1.0 / count as f64;
    if let Some(g) = grad.as_deref_mut() {
        g.iter_mut().for_each(|x| *x = 0.0);
    }
    let mut total = 0.0;
    for t in 0..count {
        let i = rows.map_or(t, |r| r[t]);
        if let Some(g) = grad.as_deref_mut() {
            model.predict_with_jacobian(&data.x[i], w, &mut out, &mut jac);
            for o in 0..no {
                let r = out[o] - data.y[i][o];
                total += r * r;
                for k in 0..np {
                    g[k] += scale * 2.0 * inv * r * jac[o * np + k];
                }
            }
        } else {
            model.predict(&data.x[i], w, &mut out);
            for (f, y) in out.iter().zip(&data.y[i]) {
                total += (f - y) * (f - y);
            }
        }
    }
    total * inv * scale
}

/// The tempered, localised empirical loss as a potential for the sampler, in the shifted
/// coordinates u = w − w*: K(u) = L_n(w* + u) − L_n(w*) + γ/(2nβ)·|u|² (γ = 0: no
/// localisation).
pub struct LossPotential<'a> {
    /// The model.
    pub model: &'a dyn DataModel,
    /// The data.
    pub data: &'a Dataset,
    /// w*.
    pub center: Vec<f64>,
    /// L_n(w*).
    pub base: f64,
    /// γ/(nβ).
    pub localization: f64,
}

impl LossPotential<'_> {
    fn shifted(&self, u: &[f64]) -> Vec<f64> {
        self.center.iter().zip(u).map(|(c, x)| c + x).collect()
    }
}

impl Potential for LossPotential<'_> {
    fn nvars(&self) -> usize {
        self.center.len()
    }
    fn value_with_error(&self, u: &[f64]) -> (f64, f64) {
        let l = loss(self.model, self.data, &self.shifted(u), None, None);
        let loc = 0.5 * self.localization * u.iter().map(|x| x * x).sum::<f64>();
        // The empirical loss can dip below L_n(w*) (w* is not its minimiser): K may be
        // negative, see `nonnegative`.
        (l - self.base + loc, self.base.abs().max(l.abs()) * 1e-12)
    }
    fn nonnegative(&self) -> bool {
        false
    }
    fn value_and_gradient(&self, u: &[f64], grad: &mut [f64]) -> f64 {
        let l = loss(self.model, self.data, &self.shifted(u), None, Some(grad));
        for (g, x) in grad.iter_mut().zip(u) {
            *g += self.localization * x;
        }
        l - self.base + 0.5 * self.localization * u.iter().map(|x| x * x).sum::<f64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// The network's Jacobian against central finite differences, and the families'
    /// ideals against their known generators.
    #[test]
    fn network_jacobian_and_family_ideals() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        for net in [
            LayeredNetwork::new(
                vec![2, 3, 2],
                vec![Activation::Tanh, Activation::Linear],
                true,
                None,
                None,
                1.0,
            ),
            LayeredNetwork::new(
                vec![2, 2, 2, 1],
                vec![Activation::Linear; 3],
                false,
                None,
                None,
                1.0,
            ),
        ] {
            let w: Vec<f64> = (0..net.nparams())
                .map(|_| rng.sample(StandardNormal))
                .collect();
            let x = [0.3, -0.7];
            let no = net.noutputs();
            let mut out = vec![0.0; no];
            let mut jac = vec![0.0; no * net.nparams()];
            net.predict_with_jacobian(&x, &w, &mut out, &mut jac);
            for k in 0..net.nparams() {
                let h = 1e-6;
                let (mut wp, mut wm) = (w.clone(), w.clone());
                wp[k] += h;
                wm[k] -= h;
                let (mut fp, mut fm) = (vec![0.0; no], vec![0.0; no]);
                net.predict(&x, &wp, &mut fp);
                net.predict(&x, &wm, &mut fm);
                for o in 0..no {
                    let fd = (fp[o] - fm[o]) / (2.0 * h);
                    assert!(
                        (fd - jac[o * net.nparams() + k]).abs() < 1e-6,
                        "∂f{o}/∂w{k}"
                    );
                }
            }
        }
        let f = Family::reduced_rank(2, 1, 2, 1.0);
        assert_eq!(f.ring.show(&f.ideal.generators()[0]), "a1_1*b1_1");
        assert_eq!(f.ideal.generators().len(), 4);
        let f = Family::tanh(2, 1.0);
        let gens: Vec<String> = f
            .ideal
            .generators()
            .iter()
            .map(|g| f.ring.show(g))
            .collect();
        assert_eq!(gens.len(), 2);
        assert!(
            gens[1].contains("b1^3") && gens[1].contains("a1_1"),
            "{gens:?}"
        );
        let f = Family::deep_linear(&[1, 1, 1, 1], 1.0);
        assert_eq!(f.ideal.generators().len(), 1);
        assert_eq!(f.ideal.generators()[0].num_terms(), 1);
    }

    /// Model files become data models: a polynomial regression on design points (values,
    /// Jacobian, σ, the points drawn with their weights) and a network with biases and a
    /// nonzero truth (parameter order and names as in the file).
    #[test]
    fn model_files_become_data_models() {
        let reg = crate::models::from_str(
            r#"
kind = "regression"
parameters = ["a", "b"]
inputs = ["x"]
f = "a*b*x + b^2"
sigma = "1/2"
true_parameters = { a = 1 }
input = { distribution = "points", points = [[1], [2]], weights = ["1/3", "2/3"] }
"#,
            "reg",
        )
        .expect("model");
        let m = from_model(&reg).expect("data model");
        assert_eq!(m.parameter_names(), ["a", "b"]);
        assert_eq!((m.nparams(), m.ninputs(), m.noutputs()), (2, 1, 1));
        assert_eq!(m.true_parameter(), [1.0, 0.0]);
        assert_eq!(m.noise_sd(), 0.5);
        let (mut out, mut jac) = ([0.0], [0.0; 2]);
        m.predict_with_jacobian(&[2.0], &[3.0, 5.0], &mut out, &mut jac);
        // f = 3·5·2 + 25; ∂f/∂a = b·x = 10, ∂f/∂b = a·x + 2b = 16.
        assert_eq!((out[0], jac), (55.0, [10.0, 16.0]));
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut x = [0.0];
        let mut twos = 0;
        for _ in 0..3000 {
            m.sample_input(&mut rng, &mut x);
            assert!(x[0] == 1.0 || x[0] == 2.0);
            twos += usize::from(x[0] == 2.0);
        }
        // Binomial(3000, 2/3): mean 2000, standard deviation 26.
        assert!((twos as f64 - 2000.0).abs() < 100.0, "{twos}");

        let net = crate::models::from_str(
            r#"
kind = "network"
widths = [1, 2, 1]
activations = ["tanh", "linear"]
biases = [false, true]
true_weights = [[[1], [0]], [[2, 0]]]
true_biases = [[], ["1/2"]]
input = { distribution = "uniform", low = [-1], high = [1] }
"#,
            "net",
        )
        .expect("model");
        let m = from_model(&net).expect("data model");
        assert_eq!(
            m.parameter_names(),
            ["w1_1_1", "w1_2_1", "w2_1_1", "w2_1_2", "b2_1"]
        );
        assert_eq!(m.true_parameter(), [1.0, 0.0, 2.0, 0.0, 0.5]);
        let mut out = [0.0];
        m.predict(&[0.3], &m.true_parameter(), &mut out);
        assert!((out[0] - (2.0 * 0.3f64.tanh() + 0.5)).abs() < 1e-15);
        for _ in 0..100 {
            m.sample_input(&mut rng, &mut x);
            assert!(x[0].abs() <= 1.0);
        }

        let discrete = crate::models::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/models/naive-bayes-2.toml"
        )))
        .expect("model");
        assert!(from_model(&discrete).is_err());
    }
}
