//! Sequential Monte Carlo over a tempering ladder: the free energy F(β) = −log Z(β) and
//! β·E_β[K] at every rung, for Z(β) = ∫_B e^{−βK} φ dw.
//!
//! # Algorithm
//! Particles start as exact draws from the prior φ ∝ |w^h| on the box B = [−r, r]^d
//! (|w_i| = r·U^{1/(h_i+1)} with a random sign), which is the tempered posterior at β = 0.
//! Each rung then
//! 1. picks the next β adaptively: the largest β' (at most `max_ratio`·β) whose incremental
//!    weights e^{−(β'−β)K} keep the effective sample size at `ess_fraction`·N (the
//!    adaptive tempering of Jasra, Stephens, Doucet & Tsagaris 2011, Scand. J. Stat. 38);
//! 2. adds log mean e^{−(β'−β)K} to log Z (the SMC estimate of Z(β')/Z(β), Del Moral,
//!    Doucet & Jasra 2006, JRSS B 68);
//! 3. resamples (systematic) and moves every particle by Metropolis–Hastings kernels that
//!    leave p_β' ∝ e^{−β'K}|w^h|·1_B invariant — proposals leaving the box are rejected,
//!    which is how the moves respect the region;
//! 4. records β'·E_β'[K] (the particle mean after the moves) and β'²·Var_β'[K].
//!
//! The kernels, each adapted per rung to an acceptance rate near 0.3:
//! * additive Gaussian steps in one coordinate (cross zeros, change signs);
//! * multiplicative steps |w_i| ↦ |w_i|·e^{σξ} (scale-free: near a normal crossing the
//!   posterior spreads over many decades of |w_i|, which additive steps of one size cannot
//!   follow); the Hastings ratio carries the Jacobian |w_i'|/|w_i|;
//! * sign flips w_i ↦ −w_i;
//! * a joint Gaussian step with the particle population's covariance (adaptive
//!   Metropolis): it moves along zero sets that are not coordinate directions, such as the
//!   line x = y of (x − y)².
//!
//! The ladder stops at `beta_max`, or earlier when rounding in f64 makes β·K meaningless
//! for more than 1% of the particles (the evaluator's error bound times β exceeds 10⁻³).

use super::eval::Evaluator;
use rand::Rng;
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Settings of one SMC run.
#[derive(Clone, Debug)]
pub struct SmcConfig {
    /// Number of particles N.
    pub particles: usize,
    /// Half-width r of the box [−r, r]^d around the true point.
    pub radius: f64,
    /// Largest β of the ladder.
    pub beta_max: f64,
    /// MCMC sweeps per rung (each sweep tries every kernel on every particle).
    pub sweeps: usize,
    /// Target effective sample size fraction for the adaptive ladder.
    pub ess_fraction: f64,
    /// Largest ratio between consecutive β (so that the curve is sampled densely enough
    /// to be fitted).
    pub max_ratio: f64,
}

impl Default for SmcConfig {
    fn default() -> Self {
        SmcConfig {
            particles: 2048,
            radius: 1.0,
            beta_max: 1e40,
            sweeps: 6,
            ess_fraction: 0.5,
            max_ratio: 10f64.powf(0.5),
        }
    }
}

/// One rung of the ladder.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rung {
    /// β.
    pub beta: f64,
    /// log Z(β), with Z(0) = 1 (the prior normalised on the box).
    pub log_z: f64,
    /// β·E_β[K] = −d log Z / d log β.
    pub beta_mean_k: f64,
    /// β²·Var_β[K]; d(β E_β[K])/d log β = β E_β[K] − β² Var_β[K].
    pub beta2_var_k: f64,
}

/// The result of one SMC run.
#[derive(Clone, Debug)]
pub struct SmcRun {
    /// The rungs, β increasing (the prior, β = 0, is not listed).
    pub rungs: Vec<Rung>,
    /// Why the ladder stopped before `beta_max`, if it did.
    pub stopped_early: Option<String>,
    /// Evaluations of K spent.
    pub evaluations: u64,
}

/// Errors the sampler finds in its input.
#[derive(Clone, Debug, PartialEq)]
pub enum SmcError {
    /// K was negative (beyond rounding) at a sampled point: it is not ≥ 0 near the point.
    Negative {
        /// The point.
        point: Vec<f64>,
        /// K there.
        value: f64,
    },
}

/// Per-coordinate step sizes, adapted between sweeps.
struct Scales {
    additive: Vec<f64>,
    multiplicative: Vec<f64>,
    joint: f64,
}

/// Move the acceptance rate of a kernel towards 0.3 by rescaling its step (a
/// Robbins–Monro-style rule; between sweeps, so the kernel within a sweep is fixed and
/// p_β-invariant).
fn adapt(scale: &mut f64, accepted: u64, tried: u64, lo: f64, hi: f64) {
    if tried == 0 {
        return;
    }
    let rate = accepted as f64 / tried as f64;
    *scale = (*scale * (2.0 * (rate - 0.3)).exp()).clamp(lo, hi);
}

struct Sampler<'a> {
    eval: &'a Evaluator,
    weight: &'a [u32],
    radius: f64,
    d: usize,
    evaluations: u64,
}

impl Sampler<'_> {
    fn log_prior(&self, w: &[f64]) -> f64 {
        self.weight
            .iter()
            .zip(w)
            .filter(|(&h, _)| h > 0)
            .map(|(&h, x)| f64::from(h) * x.abs().ln())
            .sum()
    }

    fn k(&mut self, w: &[f64]) -> Result<f64, SmcError> {
        self.evaluations += 1;
        let (k, err) = self.eval.value_with_error(w);
        if k < -err || !k.is_finite() {
            return Err(SmcError::Negative {
                point: w.to_vec(),
                value: k,
            });
        }
        Ok(k.max(0.0))
    }

    fn inside(&self, w: &[f64]) -> bool {
        w.iter().all(|x| x.abs() <= self.radius)
    }
}

/// Run SMC from the prior to `beta_max`.
///
/// # Errors
/// [`SmcError::Negative`] when K < 0 at a sampled point.
pub fn run(
    eval: &Evaluator,
    weight: &[u32],
    cfg: &SmcConfig,
    rng: &mut Xoshiro256PlusPlus,
    mut progress: impl FnMut(&Rung),
) -> Result<SmcRun, SmcError> {
    let d = eval.nvars();
    let n = cfg.particles.max(2);
    let mut s = Sampler {
        eval,
        weight,
        radius: cfg.radius,
        d,
        evaluations: 0,
    };
    // Exact draws from the prior |w^h| on the box.
    let mut pos = vec![0.0; n * d];
    for p in 0..n {
        for i in 0..d {
            let u: f64 = rng.random();
            let mag = cfg.radius * u.powf(1.0 / (f64::from(weight[i]) + 1.0));
            pos[p * d + i] = if rng.random::<bool>() { mag } else { -mag };
        }
    }
    let mut kv = Vec::with_capacity(n);
    for p in 0..n {
        let k = s.k(&pos[p * d..(p + 1) * d])?;
        kv.push(k);
    }
    let mut scales = Scales {
        additive: vec![cfg.radius / 2.0; d],
        multiplicative: vec![1.0; d],
        joint: 2.38 / (d as f64).sqrt(),
    };
    let mut beta = 0.0;
    let mut log_z = 0.0;
    let mut rungs = Vec::new();
    let mut stopped_early = None;
    while beta < cfg.beta_max {
        let next = next_beta(&kv, beta, cfg);
        // log mean e^{−Δβ K}, stably.
        let dl = next - beta;
        let kmin = kv.iter().copied().fold(f64::INFINITY, f64::min);
        let weights: Vec<f64> = kv.iter().map(|k| (-(dl) * (k - kmin)).exp()).collect();
        let total: f64 = weights.iter().sum();
        log_z += (total / n as f64).ln() - dl * kmin;
        beta = next;
        let idx = systematic_resample(&weights, total, rng);
        let old_pos = pos.clone();
        let old_k = kv.clone();
        for (p, &j) in idx.iter().enumerate() {
            pos[p * d..(p + 1) * d].copy_from_slice(&old_pos[j * d..(j + 1) * d]);
            kv[p] = old_k[j];
        }
        let chol = population_cholesky(&pos, n, d);
        for _ in 0..cfg.sweeps {
            sweep(&mut s, &mut pos, &mut kv, beta, &mut scales, &chol, rng)?;
        }
        let mean = kv.iter().sum::<f64>() / n as f64;
        let var = kv.iter().map(|k| (k - mean) * (k - mean)).sum::<f64>() / (n as f64 - 1.0);
        let rung = Rung {
            beta,
            log_z,
            beta_mean_k: beta * mean,
            beta2_var_k: beta * beta * var,
        };
        progress(&rung);
        rungs.push(rung);
        // Stop when rounding makes β·K meaningless (see the module doc).
        let bad = (0..n)
            .filter(|&p| beta * s.eval.value_with_error(&pos[p * d..(p + 1) * d]).1 > 1e-3)
            .count();
        if bad * 100 > n {
            stopped_early = Some(format!(
                "stopped at β = {beta:.3e}: f64 rounding of K is no longer negligible against 1/β"
            ));
            break;
        }
    }
    Ok(SmcRun {
        rungs,
        stopped_early,
        evaluations: s.evaluations,
    })
}

/// The next β: bisection (in log β) for ESS = `ess_fraction`·N, capped by `max_ratio`.
fn next_beta(kv: &[f64], beta: f64, cfg: &SmcConfig) -> f64 {
    let n = kv.len() as f64;
    let kmin = kv.iter().copied().fold(f64::INFINITY, f64::min);
    let ess = |b: f64| {
        let (mut s1, mut s2) = (0.0, 0.0);
        for k in kv {
            let w = (-(b - beta) * (k - kmin)).exp();
            s1 += w;
            s2 += w * w;
        }
        s1 * s1 / s2 / n
    };
    let hi_cap = if beta > 0.0 {
        (beta * cfg.max_ratio).min(cfg.beta_max)
    } else {
        cfg.beta_max.min(1.0)
    };
    if ess(hi_cap) >= cfg.ess_fraction {
        return hi_cap;
    }
    let mut lo = if beta > 0.0 { beta } else { 1e-9 };
    let mut hi = hi_cap;
    for _ in 0..50 {
        let mid = (lo * hi).sqrt();
        if ess(mid) >= cfg.ess_fraction {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo.max(if beta > 0.0 {
        beta * (1.0 + 1e-6)
    } else {
        1e-9
    })
}

/// Systematic resampling: N indices, index j drawn about N·w_j/Σw times.
fn systematic_resample(weights: &[f64], total: f64, rng: &mut Xoshiro256PlusPlus) -> Vec<usize> {
    let n = weights.len();
    let u: f64 = rng.random();
    let step = total / n as f64;
    let mut out = Vec::with_capacity(n);
    let mut cum = weights[0];
    let mut j = 0;
    for i in 0..n {
        let t = (u + i as f64) * step;
        while cum < t && j + 1 < n {
            j += 1;
            cum += weights[j];
        }
        out.push(j);
    }
    out
}

/// Lower Cholesky factor of the particles' covariance (with a relative jitter so that it
/// exists when the particles lie on a subspace).
fn population_cholesky(pos: &[f64], n: usize, d: usize) -> Vec<f64> {
    let mut mean = vec![0.0; d];
    for p in 0..n {
        for i in 0..d {
            mean[i] += pos[p * d + i];
        }
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);
    let mut cov = vec![0.0; d * d];
    for p in 0..n {
        for i in 0..d {
            let a = pos[p * d + i] - mean[i];
            for j in 0..=i {
                cov[i * d + j] += a * (pos[p * d + j] - mean[j]);
            }
        }
    }
    for i in 0..d {
        for j in 0..=i {
            cov[i * d + j] /= n as f64 - 1.0;
        }
    }
    for i in 0..d {
        cov[i * d + i] = cov[i * d + i] * (1.0 + 1e-9) + 1e-300;
    }
    // Cholesky, in place (lower triangle).
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let mut sum = cov[i * d + j];
            for k in 0..j {
                sum -= l[i * d + k] * l[j * d + k];
            }
            if i == j {
                l[i * d + i] = sum.max(cov[i * d + i] * 1e-12).sqrt();
            } else {
                l[i * d + j] = sum / l[j * d + j];
            }
        }
    }
    l
}

/// One sweep of every kernel over every particle; adapts the scales afterwards.
fn sweep(
    s: &mut Sampler<'_>,
    pos: &mut [f64],
    kv: &mut [f64],
    beta: f64,
    scales: &mut Scales,
    chol: &[f64],
    rng: &mut Xoshiro256PlusPlus,
) -> Result<(), SmcError> {
    let d = s.d;
    let n = kv.len();
    let mut acc_add = vec![(0u64, 0u64); d];
    let mut acc_mul = vec![(0u64, 0u64); d];
    let mut acc_joint = (0u64, 0u64);
    let mut prop = vec![0.0; d];
    for p in 0..n {
        let w = &mut pos[p * d..(p + 1) * d];
        let mut k = kv[p];
        let mut lp = s.log_prior(w);
        for i in 0..d {
            // Additive step in coordinate i.
            let old = w[i];
            let z: f64 = rng.sample(StandardNormal);
            w[i] = old + scales.additive[i] * z;
            acc_add[i].1 += 1;
            if w[i].abs() <= s.radius {
                let k2 = s.k(w)?;
                let lp2 = s.log_prior(w);
                if rng.random::<f64>().ln() < -beta * (k2 - k) + lp2 - lp {
                    k = k2;
                    lp = lp2;
                    acc_add[i].0 += 1;
                } else {
                    w[i] = old;
                }
            } else {
                w[i] = old;
            }
            // Multiplicative step |w_i| ↦ |w_i|·e^{σξ}; Hastings ratio |w_i'|/|w_i|.
            let old = w[i];
            if old != 0.0 {
                let z: f64 = rng.sample(StandardNormal);
                let f = (scales.multiplicative[i] * z).exp();
                w[i] = old * f;
                acc_mul[i].1 += 1;
                if w[i].abs() <= s.radius {
                    let k2 = s.k(w)?;
                    let lp2 = s.log_prior(w);
                    if rng.random::<f64>().ln() < -beta * (k2 - k) + lp2 - lp + f.ln() {
                        k = k2;
                        lp = lp2;
                        acc_mul[i].0 += 1;
                    } else {
                        w[i] = old;
                    }
                } else {
                    w[i] = old;
                }
            }
            // Sign flip (the prior |w^h| is even, so only K decides).
            w[i] = -w[i];
            let k2 = s.k(w)?;
            if rng.random::<f64>().ln() < -beta * (k2 - k) {
                k = k2;
            } else {
                w[i] = -w[i];
            }
        }
        // Joint step with the population covariance.
        for z in prop.iter_mut() {
            *z = rng.sample(StandardNormal);
        }
        let mut cand = w.to_vec();
        for i in 0..d {
            let mut x = 0.0;
            for j in 0..=i {
                x += chol[i * d + j] * prop[j];
            }
            cand[i] += scales.joint * x;
        }
        acc_joint.1 += 1;
        if s.inside(&cand) {
            let k2 = s.k(&cand)?;
            let lp2 = s.log_prior(&cand);
            if rng.random::<f64>().ln() < -beta * (k2 - k) + lp2 - lp {
                w.copy_from_slice(&cand);
                k = k2;
                acc_joint.0 += 1;
            }
        }
        kv[p] = k;
    }
    for i in 0..d {
        adapt(
            &mut scales.additive[i],
            acc_add[i].0,
            acc_add[i].1,
            1e-300,
            2.0 * s.radius,
        );
        adapt(
            &mut scales.multiplicative[i],
            acc_mul[i].0,
            acc_mul[i].1,
            1e-3,
            5.0,
        );
    }
    adapt(&mut scales.joint, acc_joint.0, acc_joint.1, 1e-6, 3.0);
    Ok(())
}
