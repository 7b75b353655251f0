//! λ estimators on data, and what a perfect sampler would give for each.
//!
//! * **SGLD local learning coefficient** (Lau, Furman, Wang, Murfet & Wei 2023, "The local
//!   learning coefficient: a singularity-aware complexity measure"; devinterp's
//!   `estimate_learning_coeff`): λ̂ = nβ·(E[L_n(w)] − L_n(w*)) under the localised,
//!   tempered posterior p(w) ∝ exp(−nβ L_n(w) − γ/2·|w − w*|²), the expectation taken
//!   over stochastic-gradient Langevin draws
//!   w ← w − ε/2·(nβ ∇L_B(w) + γ(w − w*)) + N(0, ε) (minibatch B), with nβ = n/log n.
//!   Here w* = w0, the true parameter, and L_n is evaluated on the whole data set at every
//!   draw.
//! * **the same estimator with a perfect sampler**: E[L_n] under exactly that posterior,
//!   by sequential Monte Carlo (no step-size bias, no minibatch noise, no burn-in).
//! * **WBIC** (Watanabe 2013, JMLR 14): WBIC = E_w^{β=1/log n}[n L_n(w)] under the posterior
//!   with a uniform prior on w0 + [−r, r]^d, and λ̂ = (WBIC − n L_n(w0))/log n — the same
//!   formula without localisation (nβ = n/log n is WBIC's temperature), also by SMC.
//!
//! The difference between the first two is the sampler's bias; between the second and the
//! exact λ, the estimator's own bias at this n (finite n, localisation).

use super::data::{loss, DataModel, Dataset, LossPotential};
use super::smc::{self, SmcConfig};
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

/// devinterp-style SGLD settings.
#[derive(Clone, Debug)]
pub struct SgldConfig {
    /// Step size ε (devinterp `lr`).
    pub step: f64,
    /// Localisation γ.
    pub localization: f64,
    /// nβ (default n/log n).
    pub n_beta: f64,
    /// Independent chains.
    pub chains: usize,
    /// Draws per chain (after burn-in), one per step.
    pub draws: usize,
    /// Burn-in steps.
    pub burn_in: usize,
    /// Minibatch size.
    pub batch: usize,
}

impl SgldConfig {
    /// The settings a devinterp user would start from, for n samples: ε = 10⁻³, γ = 100,
    /// nβ = n/log n, 4 chains of 1000 draws after 200 burn-in steps, batch 64.
    pub fn devinterp_defaults(n: usize) -> SgldConfig {
        SgldConfig {
            step: 1e-3,
            localization: 100.0,
            n_beta: n as f64 / (n as f64).ln(),
            chains: 4,
            draws: 1000,
            burn_in: 200,
            batch: 64,
        }
    }
}

/// An estimate with its standard error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The value.
    pub value: f64,
    /// Standard error (over chains or replicates).
    pub stderr: f64,
}

fn mean_se(v: &[f64]) -> Estimate {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0)
    } else {
        f64::NAN
    };
    Estimate {
        value: m,
        stderr: (var / n).sqrt(),
    }
}

/// The SGLD local learning coefficient; `None` if a chain diverged (non-finite weights).
pub fn sgld_llc(
    model: &dyn DataModel,
    data: &Dataset,
    cfg: &SgldConfig,
    seed: u64,
) -> Option<Estimate> {
    let w_star = model.true_parameter();
    let base = loss(model, data, &w_star, None, None);
    let np = model.nparams();
    let n = data.len();
    let per_chain: Vec<Option<f64>> = (0..cfg.chains)
        .into_par_iter()
        .map(|c| {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
            for _ in 0..=c {
                rng.jump();
            }
            let mut w = w_star.clone();
            let mut grad = vec![0.0; np];
            let mut rows = vec![0usize; cfg.batch.min(n).max(1)];
            let mut sum = 0.0;
            for step in 0..cfg.burn_in + cfg.draws {
                for r in rows.iter_mut() {
                    *r = rng.random_range(0..n);
                }
                loss(model, data, &w, Some(&rows), Some(&mut grad));
                for k in 0..np {
                    let drift = cfg.n_beta * grad[k] + cfg.localization * (w[k] - w_star[k]);
                    let z: f64 = rng.sample(StandardNormal);
                    w[k] += -0.5 * cfg.step * drift + cfg.step.sqrt() * z;
                }
                if !w.iter().all(|x| x.is_finite()) {
                    return None;
                }
                if step >= cfg.burn_in {
                    sum += loss(model, data, &w, None, None);
                }
            }
            Some(cfg.n_beta * (sum / cfg.draws as f64 - base))
        })
        .collect();
    let values: Option<Vec<f64>> = per_chain.into_iter().collect();
    values.map(|v| mean_se(&v))
}

/// The tempered posterior of [`perfect_sampler`].
#[derive(Clone, Copy, Debug)]
pub struct Tempering {
    /// nβ.
    pub n_beta: f64,
    /// γ (0: none).
    pub localization: f64,
    /// Half-width of the uniform prior box around w*.
    pub radius: f64,
}

/// nβ·E[L_n(w) − L_n(w*)] under exp(−nβ L_n − γ/2|w − w*|²) (γ = `localization`; 0 for
/// WBIC, with the uniform prior on w* + [−radius, radius]^d), by SMC replicates.
pub fn perfect_sampler(
    model: &dyn DataModel,
    data: &Dataset,
    target: Tempering,
    particles: usize,
    replicates: usize,
    seed: u64,
) -> Estimate {
    let Tempering {
        n_beta,
        localization,
        radius,
    } = target;
    let w_star = model.true_parameter();
    let base = loss(model, data, &w_star, None, None);
    let pot = LossPotential {
        model,
        data,
        center: w_star.clone(),
        base,
        localization: localization / n_beta,
    };
    let cfg = SmcConfig {
        particles,
        radius,
        beta_max: n_beta,
        sweeps: 4,
        light: true,
        ..SmcConfig::default()
    };
    let weight = vec![0u32; model.nparams()];
    let base_rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let values: Vec<f64> = (0..replicates)
        .into_par_iter()
        .filter_map(|r| {
            let mut rng = base_rng.clone();
            for _ in 0..r {
                rng.jump();
            }
            let run = smc::run(&pot, &weight, &cfg, &mut rng, |_| {}).ok()?;
            let d = model.nparams();
            // The data part only: the localisation term is not in the estimator.
            let mut total = 0.0;
            let count = run.particles.len() / d.max(1);
            for p in 0..count {
                let u = &run.particles[p * d..(p + 1) * d];
                let w: Vec<f64> = w_star.iter().zip(u).map(|(c, x)| c + x).collect();
                total += loss(model, data, &w, None, None) - base;
            }
            Some(n_beta * total / count as f64)
        })
        .collect();
    mean_se(&values)
}

/// Settings of `rlct estimators`.
#[derive(Clone, Debug)]
pub struct BiasConfig {
    /// Sample size n.
    pub n: usize,
    /// Seed (data, chains, replicates).
    pub seed: u64,
    /// SGLD settings.
    pub sgld: SgldConfig,
    /// SMC particles per replicate for the perfect-sampler columns.
    pub particles: usize,
    /// SMC replicates.
    pub replicates: usize,
    /// Half-width of the uniform prior box of WBIC.
    pub radius: f64,
}

/// One row of the bias table.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BiasRow {
    /// Which estimator.
    pub estimator: String,
    /// λ̂ (null if the chains diverged).
    pub lambda_hat: Option<f64>,
    /// Standard error.
    pub stderr: Option<f64>,
    /// (λ̂ − λ)/λ.
    pub relative_bias: Option<f64>,
}

/// Every estimator on one data set, against the exact λ.
pub fn bias_rows(model: &dyn DataModel, lambda: f64, cfg: &BiasConfig) -> Vec<BiasRow> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(cfg.seed);
    let data = Dataset::sample(model, cfg.n, &mut rng);
    let row = |estimator: String, e: Option<Estimate>| BiasRow {
        estimator,
        lambda_hat: e.map(|e| e.value),
        stderr: e.map(|e| e.stderr),
        relative_bias: e.map(|e| (e.value - lambda) / lambda),
    };
    let s = &cfg.sgld;
    let sgld = sgld_llc(model, &data, s, cfg.seed.wrapping_add(1));
    let perfect = perfect_sampler(
        model,
        &data,
        Tempering {
            n_beta: s.n_beta,
            localization: s.localization,
            radius: (8.0 / s.localization.sqrt()).max(1.0),
        },
        cfg.particles,
        cfg.replicates,
        cfg.seed.wrapping_add(2),
    );
    let wbic = perfect_sampler(
        model,
        &data,
        Tempering {
            n_beta: s.n_beta,
            localization: 0.0,
            radius: cfg.radius,
        },
        cfg.particles,
        cfg.replicates,
        cfg.seed.wrapping_add(3),
    );
    vec![
        row(
            format!(
                "SGLD LLC (ε = {:e}, γ = {}, nβ = {:.1}, {} chains × {} draws, batch {})",
                s.step, s.localization, s.n_beta, s.chains, s.draws, s.batch
            ),
            sgld,
        ),
        row(
            format!(
                "LLC with a perfect sampler (same γ, nβ; SMC {} × {})",
                cfg.replicates, cfg.particles
            ),
            Some(perfect),
        ),
        row(
            format!(
                "WBIC λ̂ with a perfect sampler (uniform prior on w0 ± {}; SMC)",
                cfg.radius
            ),
            Some(wbic),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::data::{Activation, LayeredNetwork};

    /// A regular model (linear regression y = w·x + N(0, 1), three parameters, w0 = 0):
    /// the tempered posterior is Gaussian around the least-squares ŵ, so the estimator's
    /// exact value is d/2 − nβ·(L_n(w0) − L_n(ŵ)) — not d/2: at finite n the estimator
    /// itself is off by a χ²_d/(2 log n) fluctuation. The perfect sampler must hit that
    /// value; SGLD with a small step and weak localisation must land near the perfect
    /// sampler's value of the same (localised) estimator.
    #[test]
    fn regular_model_matches_the_gaussian_posterior() {
        let model =
            LayeredNetwork::new(vec![3, 1], vec![Activation::Linear], false, None, None, 1.0);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let n = 400;
        let data = Dataset::sample(&model, n, &mut rng);
        let n_beta = n as f64 / (n as f64).ln();
        // Least squares by the normal equations (Gauss–Jordan on the 3×4 system).
        let mut m = [[0.0f64; 4]; 3];
        for (x, y) in data.x.iter().zip(&data.y) {
            for i in 0..3 {
                for j in 0..3 {
                    m[i][j] += x[i] * x[j];
                }
                m[i][3] += x[i] * y[0];
            }
        }
        for c in 0..3 {
            let p = m[c][c];
            for v in m[c].iter_mut() {
                *v /= p;
            }
            for r in 0..3 {
                if r != c {
                    let f = m[r][c];
                    let row = m[c];
                    for (v, rv) in m[r].iter_mut().zip(row) {
                        *v -= f * rv;
                    }
                }
            }
        }
        let w_hat: Vec<f64> = (0..3).map(|i| m[i][3]).collect();
        let exact = 1.5
            - n_beta
                * (loss(&model, &data, &[0.0; 3], None, None)
                    - loss(&model, &data, &w_hat, None, None));
        let t = |localization| Tempering {
            n_beta,
            localization,
            radius: 1.0,
        };
        let wbic = perfect_sampler(&model, &data, t(0.0), 256, 3, 1);
        assert!((wbic.value - exact).abs() < 0.1, "{wbic:?} vs {exact}");
        let cfg = SgldConfig {
            step: 1e-4,
            localization: 1.0,
            n_beta,
            chains: 2,
            draws: 400,
            burn_in: 100,
            batch: 32,
        };
        let sgld = sgld_llc(&model, &data, &cfg, 2).expect("chains stay finite");
        let perfect = perfect_sampler(&model, &data, t(1.0), 256, 3, 3);
        assert!(
            (sgld.value - perfect.value).abs() < 0.3,
            "{sgld:?} vs {perfect:?}"
        );
    }

    /// A step size far beyond stability makes the chains diverge: reported, not hidden.
    #[test]
    fn divergent_sgld_is_reported() {
        let model =
            LayeredNetwork::new(vec![2, 1], vec![Activation::Linear], false, None, None, 1.0);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let data = Dataset::sample(&model, 100, &mut rng);
        let mut cfg = SgldConfig::devinterp_defaults(100);
        cfg.step = 10.0;
        cfg.draws = 200;
        assert!(sgld_llc(&model, &data, &cfg, 0).is_none());
    }
}
