//! The numeric cross-check: Monte Carlo free energy and λ̂, m̂ from it (DESIGN §5).
//!
//! Independent of the exact engine: it shares only the input ([`Problem`]) and a fast f64
//! evaluator compiled from the exact polynomial ([`eval::Evaluator`], with exact
//! gradients). Nothing here is used to produce an exact answer.
//!
//! # What is integrated
//! Z(β) = ∫_B e^{−βK(w)} φ(w) dw with φ ∝ |w^h| the prior normalised on the box
//! B = w0 + [−r, r]^d (the problem has already moved w0 to the origin; r is
//! [`McConfig::radius`], 1 by default). λ is a *local* invariant: the largest pole of
//! ∫_U K^z φ over a small neighbourhood U of w0, which is the minimum over the zeros of K
//! in U. The box plays the part of U, so it must not contain zeros of K far from w0 that
//! are worse (smaller λ) than those near w0 — otherwise Z(β) measures those instead. The
//! reference cases all have their worst zero at the origin, where the box is centred;
//! [`localize`] shrinks the box where pilot runs see the posterior mass leave w0.
//!
//! # From Z(β) to λ̂
//! Z(β) ≍ β^{−λ}(log β)^{m−1}, so y(β) = β·E_β[K] = −d log Z/d log β → λ, from below as
//! λ − (m−1)/(log β + c) ([`fit`]). Independent SMC replicates ([`smc`], parallel with
//! rayon, each with its own xoshiro stream jumped from the seed) give the mean curve with
//! its scatter; λ̂ and m̂ come from fitting the mean curve over the upper decades of β,
//! and the standard error from the jackknife over replicates.

pub mod data;
pub mod estimators;
pub mod eval;
pub mod fit;
pub mod nested;
pub mod report;
pub mod smc;

use crate::error::{Error, Result};
use crate::problem::Problem;
use eval::Evaluator;
use fit::{Curve, ModelFit};
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use smc::{Rung, SmcConfig, SmcError, SmcRun};
use std::io::Write;
use std::time::Instant;

/// Settings of a Monte Carlo estimate.
#[derive(Clone, Debug)]
pub struct McConfig {
    /// Seed; the same seed and input give the same numbers.
    pub seed: u64,
    /// Independent SMC replicates (at least 2; they give the standard error).
    pub replicates: usize,
    /// The SMC settings of each replicate.
    pub smc: SmcConfig,
    /// The fit uses β from `fit_from` to the end of the ladder (at most `fit_to`).
    pub fit_from: f64,
    /// The largest β the fit uses (infinity: the end of the ladder).
    pub fit_to: f64,
    /// Largest multiplicity considered.
    pub max_multiplicity: u32,
    /// Threshold of the model comparison ([`fit::select`]).
    pub selection_threshold: f64,
    /// Smallest exponent δ of the fit's power-law correction on a short ladder
    /// ([`fit::DELTA_MIN`]); on a long one the floor is lower ([`fit::delta_floor`]).
    pub delta_min: f64,
    /// The fit stops where the replicates' standard error of β·E[K] exceeds this multiple
    /// of its value at moderate β ([`disagreement_cut`]; infinity: never).
    pub disagreement_factor: f64,
    /// Show progress on stderr.
    pub progress: bool,
}

impl Default for McConfig {
    fn default() -> Self {
        McConfig {
            seed: 0,
            replicates: 8,
            smc: SmcConfig::default(),
            fit_from: 1e3,
            fit_to: f64::INFINITY,
            max_multiplicity: 4,
            selection_threshold: 9.0,
            delta_min: fit::DELTA_MIN,
            disagreement_factor: DISAGREEMENT_FACTOR,
            progress: false,
        }
    }
}

/// Floating-point operations per second assumed for one core of a release build when a
/// time budget is turned into a particle count. A constant rather than a measurement, so
/// that `--budget` and `--seed` fix the result.
const ASSUMED_OPS_PER_SECOND: f64 = 4.0e8;

impl McConfig {
    /// Settings that spend about `seconds` of wall time on two cores (release build):
    /// the particle count is set from a fixed cost model of the evaluator (never from the
    /// clock, so the result stays a function of the seed).
    pub fn for_budget(seconds: f64, eval: &Evaluator) -> McConfig {
        let mut cfg = McConfig::default();
        let d = eval.nvars().max(1) as f64;
        let decades = cfg.smc.beta_max.log10() + 1.0;
        let rungs = decades / cfg.smc.max_ratio.log10() * 1.3;
        // Each MCMC step costs the evaluation plus about 25 operations of bookkeeping
        // (random numbers, the prior, the acceptance test), measured on this machine.
        let per_eval = eval.cost() as f64 + 25.0;
        // Evaluations per particle and sweep: d additive, d multiplicative, d sign flips,
        // d + 1 scaling steps, two gradients (about twice an evaluation each), one joint,
        // and d scalings along the zero set's torus when it is not trivial.
        let torus = if eval.scaling_directions().is_empty() {
            0.0
        } else {
            d
        };
        let per_particle = rungs * cfg.smc.sweeps as f64 * (4.0 * d + 6.0 + torus) * per_eval;
        let total = seconds * 2.0 * ASSUMED_OPS_PER_SECOND;
        let n = total / per_particle / cfg.replicates as f64;
        cfg.smc.particles = (n as usize).clamp(64, 1 << 16);
        cfg
    }
}

/// One point of the free-energy curve (means over replicates).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvePoint {
    /// β.
    pub beta: f64,
    /// log Z(β) (Z(0) = 1).
    pub log_z: f64,
    /// β·E_β[K].
    pub beta_mean_k: f64,
    /// Standard error of β·E_β[K] over replicates.
    pub stderr: f64,
    /// Posterior mass of the inner box w0 + [−r/2, r/2]^d (mean over replicates).
    pub inner_mass: f64,
}

/// The result of [`estimate`].
#[derive(Clone, Debug)]
pub struct McEstimate {
    /// λ̂.
    pub lambda_hat: f64,
    /// Standard error of λ̂ (jackknife over replicates).
    pub stderr: f64,
    /// m̂.
    pub multiplicity_hat: u32,
    /// The fits for every m considered (the chosen one is `multiplicity_hat`).
    pub fits: Vec<ModelFit>,
    /// The mean curve on a grid in log β.
    pub curve: Vec<CurvePoint>,
    /// Replicates, particles per replicate.
    pub replicates: usize,
    /// Particles per replicate.
    pub particles: usize,
    /// Largest β reached by every replicate.
    pub beta_max: f64,
    /// Evaluations of K over all replicates.
    pub evaluations: u64,
    /// Notes (a ladder stopped by rounding, …).
    pub notes: Vec<String>,
    /// Wall seconds.
    pub seconds: f64,
}

/// The SMC replicates of an estimate, before the fit ([`sample`], then [`fit_samples`]).
#[derive(Clone, Debug)]
pub struct Samples {
    runs: Vec<SmcRun>,
    notes: Vec<String>,
    evaluations: u64,
    particles: usize,
    seconds: f64,
}

impl Samples {
    /// The replicates' runs (diagnostics: every rung of every replicate).
    pub fn runs(&self) -> &[SmcRun] {
        &self.runs
    }
}

/// Estimate λ and m by SMC replicates: [`sample`] then [`fit_samples`].
///
/// # Errors
/// [`Error::Input`] when K is negative at a sampled point (K must be ≥ 0 near the point),
/// the box radius is not positive, or the ladder did not reach the fitting range.
pub fn estimate(problem: &Problem, cfg: &McConfig) -> Result<McEstimate> {
    let samples = sample(problem, cfg)?;
    fit_samples(&samples, cfg)
}

/// Run the SMC replicates of `cfg` (in parallel; deterministic for the seed).
///
/// # Errors
/// [`Error::Input`] when K is negative at a sampled point (K must be ≥ 0 near the point),
/// or the box radius is not positive.
pub fn sample(problem: &Problem, cfg: &McConfig) -> Result<Samples> {
    let start = Instant::now();
    if !(cfg.smc.radius.is_finite() && cfg.smc.radius > 0.0) {
        return Err(Error::Input(format!(
            "the box radius must be a positive number, got {}",
            cfg.smc.radius
        )));
    }
    let eval = Evaluator::new(problem);
    let replicates = cfg.replicates.max(2);
    let base = Xoshiro256PlusPlus::seed_from_u64(cfg.seed);
    let runs: Vec<std::result::Result<SmcRun, SmcError>> = (0..replicates)
        .into_par_iter()
        .map(|r| {
            let mut rng = base.clone();
            for _ in 0..r {
                rng.jump();
            }
            let show = cfg.progress && r == 0;
            smc::run(&eval, &problem.weight, &cfg.smc, &mut rng, |rung: &Rung| {
                if show {
                    eprint!(
                        "\rSMC replicate 1/{replicates}: β = {:.2e}, β·E[K] = {:.4}   ",
                        rung.beta, rung.beta_mean_k
                    );
                    let _ = std::io::stderr().flush();
                }
            })
        })
        .collect();
    if cfg.progress {
        eprintln!();
    }
    let mut ok = Vec::with_capacity(runs.len());
    for r in runs {
        match r {
            Ok(run) => ok.push(run),
            Err(SmcError::Negative { point, value }) => {
                let at: Vec<String> = problem
                    .ring
                    .names()
                    .iter()
                    .zip(&point)
                    .map(|(n, x)| format!("{n}={x:.3e}"))
                    .collect();
                return Err(Error::Input(format!(
                    "K is negative near the point (K = {value:.3e} at {} relative to the true point); K must be ≥ 0 (use --ideal f1,f2,… for K = Σ f_i²)",
                    at.join(", ")
                )));
            }
        }
    }
    let mut notes: Vec<String> = ok.iter().filter_map(|r| r.stopped_early.clone()).collect();
    notes.dedup();
    let evaluations = ok.iter().map(|r| r.evaluations).sum();
    Ok(Samples {
        runs: ok,
        notes,
        evaluations,
        particles: cfg.smc.particles,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// Fit λ and m to the replicates' curves (the fitting settings of `cfg`: `fit_from`,
/// `max_multiplicity`, `selection_threshold`, `delta_min`).
///
/// # Errors
/// [`Error::Input`] when the ladder did not reach the fitting range.
pub fn fit_samples(samples: &Samples, cfg: &McConfig) -> Result<McEstimate> {
    let start = Instant::now();
    let ok = &samples.runs;
    let replicates = ok.len();
    let mut notes = samples.notes.clone();
    let evaluations = samples.evaluations;
    let (grid, ys, lzs) = common_grid(ok, cfg.fit_from, cfg.fit_to);
    let inner = interpolate(ok, &grid, |g| g.inner_mass[0]);
    let beta_max = grid.last().map_or(0.0, |l| l.exp());
    let (mut grid, mut ys, mut lzs) = (grid, ys, lzs);
    // Where the replicates start to disagree far more than at moderate β, the MCMC moves
    // no longer equilibrate the posterior (the tanh networks past β ≈ 10²⁴: particles lag
    // behind along directions that only coordinated moves can follow) and the curve
    // drifts; those rungs are left out of the fit.
    let pre = mean_curve(&grid, &ys, None);
    if let Some(cut) = disagreement_cut(&pre.se, cfg.disagreement_factor) {
        notes.push(format!(
            "replicates disagree beyond β = {:.1e} (standard error over 2.5× its value at moderate β): the fit stops there",
            grid[cut].exp()
        ));
        grid.truncate(cut);
        ys.iter_mut().for_each(|y| y.truncate(cut));
        lzs.iter_mut().for_each(|y| y.truncate(cut));
    }
    let mean_curve = |skip: Option<usize>| mean_curve(&grid, &ys, skip);
    let mut full = mean_curve(None);
    full.rho = lag_one_correlation(&ys);
    let delta_min = fit::delta_floor(&full.l, cfg.delta_min);
    let Some((chosen, fits)) = fit::select(
        &full,
        cfg.max_multiplicity,
        cfg.selection_threshold,
        delta_min,
    ) else {
        return Err(Error::Input(
            "the SMC ladder did not reach the fitting range (β ≥ fit_from): raise β_max".into(),
        ));
    };
    // Jackknife over replicates, with m fixed at the chosen value.
    let loo: Vec<f64> = (0..ys.len())
        .filter_map(|r| {
            let mut c = mean_curve(Some(r));
            c.rho = full.rho;
            fit::fit_model(&c, chosen.multiplicity, delta_min).map(|f| f.lambda)
        })
        .collect();
    let stderr = jackknife(&loo);
    let curve = grid
        .iter()
        .enumerate()
        .map(|(j, &l)| {
            let lz: Vec<f64> = lzs.iter().map(|r| r[j]).collect();
            let inner_mass: Vec<f64> = inner.iter().map(|r| r[j]).collect();
            CurvePoint {
                beta: l.exp(),
                log_z: mean_se(&lz).0,
                beta_mean_k: full.y[j],
                stderr: full.se[j],
                inner_mass: mean_se(&inner_mass).0,
            }
        })
        .collect();
    Ok(McEstimate {
        lambda_hat: chosen.lambda,
        stderr,
        multiplicity_hat: chosen.multiplicity,
        fits,
        curve,
        replicates,
        particles: samples.particles,
        beta_max,
        evaluations,
        notes,
        seconds: samples.seconds + start.elapsed().as_secs_f64(),
    })
}

/// How the posterior mass of an inner box w0 + [−ρ, ρ]^d evolves along the ladder of one
/// set of replicates (the mean over replicates on a grid in log β from β = 1, averaged
/// over three neighbouring grid points).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct InnerMass {
    /// ρ.
    pub inner_radius: f64,
    /// The largest mass along the ladder.
    pub peak: f64,
    /// β where it was largest.
    pub peak_beta: f64,
    /// The smallest mass after the peak.
    pub trough: f64,
    /// β where it was smallest.
    pub trough_beta: f64,
}

/// An inner box's mass has fallen to less than this fraction of its peak: the zeros of K
/// outside it are worse than those inside ([`localize`]).
pub const INNER_MASS_FALL: f64 = 0.1;

/// An inner box is judged only if its mass peaked at least this high. At large β each
/// replicate's population often collapses onto one place, so the mean mass over 8
/// replicates moves in steps of 1/8: a box that held less than about two replicates'
/// worth can be emptied by one replicate moving. With a floor of 0.05, pilots at the
/// default budget shrank the box of three model files whose exact λ the full box
/// measures within 4% (gaussian-mixture-2-free to radius 1/128, naive-bayes-2 and
/// rrr-M2-N2-H2-r1 to 1/4, each on boxes that peaked at 0.05–0.2; BENCHMARKS.md).
pub const INNER_MASS_MIN_PEAK: f64 = 0.2;

impl InnerMass {
    /// Whether it is judged and fell to less than [`INNER_MASS_FALL`] of its peak.
    pub fn falls(&self) -> bool {
        self.peak >= INNER_MASS_MIN_PEAK && self.trough < INNER_MASS_FALL * self.peak
    }
}

/// One pilot run of [`localize`]: the box radius and its inner boxes' masses.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Pilot {
    /// The box radius r.
    pub radius: f64,
    /// Largest β reached by every replicate.
    pub beta_max: f64,
    /// The inner boxes, radii r/2, r/4, r/8, r/16.
    pub inner: Vec<InnerMass>,
}

impl Pilot {
    /// The inner masses of the replicates in `samples` (None if they did not pass β = 1).
    pub fn of(samples: &Samples, radius: f64) -> Option<Pilot> {
        let top = samples
            .runs
            .iter()
            .map(|r| r.rungs.last().map_or(f64::NEG_INFINITY, |g| g.beta.ln()))
            .fold(f64::INFINITY, f64::min);
        let mut grid = Vec::new();
        let mut l = 0.0;
        while l <= top + 1e-9 {
            grid.push(l);
            l += 0.5;
        }
        if grid.len() < 4 {
            return None;
        }
        let box_of: [fn(&Rung) -> f64; smc::INNER_BOXES] = [
            |g: &Rung| g.inner_mass[0],
            |g: &Rung| g.inner_mass[1],
            |g: &Rung| g.inner_mass[2],
            |g: &Rung| g.inner_mass[3],
        ];
        let mut inner = Vec::with_capacity(smc::INNER_BOXES);
        let mut rho = radius;
        for f in box_of {
            rho *= 0.5;
            let per_run = interpolate(&samples.runs, &grid, f);
            let mean: Vec<f64> = (0..grid.len())
                .map(|j| per_run.iter().map(|r| r[j]).sum::<f64>() / per_run.len() as f64)
                .collect();
            let smooth: Vec<f64> = (0..grid.len())
                .map(|j| {
                    let (a, b) = (j.saturating_sub(1), (j + 2).min(grid.len()));
                    mean[a..b].iter().sum::<f64>() / (b - a) as f64
                })
                .collect();
            let (jpeak, &peak) = smooth
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))?;
            let (jtrough, &trough) = smooth[jpeak..]
                .iter()
                .enumerate()
                .min_by(|a, b| a.1.total_cmp(b.1))?;
            inner.push(InnerMass {
                inner_radius: rho,
                peak,
                peak_beta: grid[jpeak].exp(),
                trough,
                trough_beta: grid[jpeak + jtrough].exp(),
            });
        }
        Some(Pilot {
            radius,
            beta_max: top.exp(),
            inner,
        })
    }

    /// The radius to try next: the largest inner box whose mass falls, if any.
    pub fn shrink_to(&self) -> Option<f64> {
        self.inner
            .iter()
            .find(|m| m.falls())
            .map(|m| m.inner_radius)
    }
}

/// Pilot runs get this fraction of the work (particles × sweeps) of the main run
/// ([`localize`]), with at least [`PILOT_MIN_PARTICLES`] particles.
pub const PILOT_SHARE: usize = 8;

/// MCMC sweeps per rung of a pilot run (at most the main run's). A pilot only has to see
/// whether an inner box empties as β grows, not to resolve λ; at six sweeps and 1/8 of
/// the work, the pilots are the ones the box radius was tuned with before the main run's
/// default went to [`smc::DEFAULT_SWEEPS`] (BENCHMARKS.md), and their share of the time
/// stays 1/8.
pub const PILOT_SWEEPS: usize = 6;

/// Fewest particles per replicate of a pilot run. With fewer, each replicate's population
/// collapses onto one place early and the inner mass of the replicates is nearly 0 or 1:
/// on tanh-H2-true1 at 128 particles the mass fell only 5.8-fold (seed 1), at 256 it fell
/// 17-fold or more at seeds 1–4 (BENCHMARKS.md).
pub const PILOT_MIN_PARTICLES: usize = 256;

/// Most pilot runs of [`localize`] (each may shrink the radius up to sixteenfold).
pub const MAX_PILOTS: usize = 4;

/// The box radius chosen by [`localize`] and the pilot runs that chose it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Localization {
    /// The radius for the main run.
    pub radius: f64,
    /// The pilot runs, one per radius tried.
    pub pilots: Vec<Pilot>,
    /// Wall seconds of the pilots.
    pub seconds: f64,
}

/// Choose the box radius so that the box is a neighbourhood of w0 in the sense of the
/// local λ: start from `cfg.smc.radius`; a pilot run (the SMC of `cfg` with
/// [`PILOT_SWEEPS`] sweeps and 1/[`PILOT_SHARE`] of the work, at least
/// [`PILOT_MIN_PARTICLES`] particles, its own seed)
/// records the posterior mass of the nested inner boxes w0 + [−ρ, ρ]^d, ρ = r/2 … r/16;
/// if the mass of one falls as β grows, the radius becomes the largest such ρ and a new
/// pilot runs there.
///
/// Why this is the rule: for any part A of the box, Z_A(β) = ∫_A e^{−βK}φ ≍
/// β^{−λ_A}(log β)^{m_A−1} (Watanabe 2009, Thm 6.1–6.2, applied to A), so the posterior
/// mass of an inner box B' is Z_{B'}/Z_B. If it tends to 0, the zeros of K in B \ B' have
/// a larger pole (λ smaller, or equal with m larger) than those in B', and Z_B measures
/// them, not the neighbourhood of w0 whose pole is the local (λ, m) (DESIGN §1: the
/// largest pole over a *small* neighbourhood U of w0). If it stays bounded away from 0,
/// B' carries the largest pole of B. Several nested boxes, because worse zeros at a
/// distance ρ* from w0 empty exactly the inner boxes with ρ < ρ* (one box of radius r/2
/// misses those at ρ* ≤ r/2). A tenfold fall from the peak ([`INNER_MASS_FALL`]) is the
/// test: a smaller λ outside makes the mass fall as β^{−Δλ}, by e^{−Δλ·ΔL} over the ΔL ≈
/// 90 e-folds of the ladder; for a K homogeneous of degree 2k around w0 the mass of the
/// box of radius ρ tends to the constant (ρ/r)^{d−2kλ} instead. The reference cases keep
/// the full box (BENCHMARKS.md).
///
/// # Errors
/// As [`sample`].
pub fn localize(problem: &Problem, cfg: &McConfig) -> Result<Localization> {
    let start = Instant::now();
    let mut pilot = cfg.clone();
    pilot.smc.sweeps = PILOT_SWEEPS.min(cfg.smc.sweeps).max(1);
    pilot.smc.particles = (cfg.smc.particles * cfg.smc.sweeps.max(1)
        / (PILOT_SHARE * pilot.smc.sweeps))
        .max(PILOT_MIN_PARTICLES);
    pilot.seed = cfg.seed ^ 0x6c6f_6361_6c69_7a65;
    pilot.progress = false;
    let mut radius = cfg.smc.radius;
    let mut pilots = Vec::new();
    for _ in 0..MAX_PILOTS {
        pilot.smc.radius = radius;
        let samples = sample(problem, &pilot)?;
        let Some(p) = Pilot::of(&samples, radius) else {
            break;
        };
        let next = p.shrink_to();
        if cfg.progress {
            let masses: Vec<String> = p
                .inner
                .iter()
                .map(|m| format!("{:.3} → {:.3}", m.peak, m.trough))
                .collect();
            eprintln!(
                "box radius {radius}: inner-box masses (ρ = r/2 … r/16, peak → later low) {}{}",
                masses.join(", "),
                next.map_or(String::new(), |r| format!(": radius {r}"))
            );
        }
        pilots.push(p);
        match next {
            Some(r) => radius = r,
            None => break,
        }
    }
    Ok(Localization {
        radius,
        pilots,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// The default of [`McConfig::disagreement_factor`].
pub const DISAGREEMENT_FACTOR: f64 = 2.5;

/// The first grid point (past the first third) whose standard error exceeds `factor` times
/// the median over the first third, if any.
fn disagreement_cut(se: &[f64], factor: f64) -> Option<usize> {
    let third = se.len() / 3;
    if third < 3 {
        return None;
    }
    let mut first: Vec<f64> = se[..third].to_vec();
    first.sort_by(f64::total_cmp);
    let reference = first[third / 2];
    (third..se.len()).find(|&j| se[j] > factor * reference)
}

/// The correlation between the deviations from the mean curve at neighbouring grid points,
/// pooled over replicates (each deviation scaled by its point's standard deviation).
fn lag_one_correlation(ys: &[Vec<f64>]) -> f64 {
    let r = ys.len();
    let Some(n) = ys.first().map(Vec::len) else {
        return 0.0;
    };
    if r < 2 || n < 2 {
        return 0.0;
    }
    let mut z = vec![vec![0.0; n]; r];
    for j in 0..n {
        let col: Vec<f64> = ys.iter().map(|y| y[j]).collect();
        let (m, se) = mean_se(&col);
        let sd = se * (r as f64).sqrt();
        for (i, row) in z.iter_mut().enumerate() {
            row[j] = if sd > 0.0 { (col[i] - m) / sd } else { 0.0 };
        }
    }
    let (mut num, mut den) = (0.0, 0.0);
    for row in &z {
        for j in 0..n {
            den += row[j] * row[j];
            if j + 1 < n {
                num += row[j] * row[j + 1];
            }
        }
    }
    if den > 0.0 {
        num / den
    } else {
        0.0
    }
}

/// The mean curve over replicates (all, or all but `skip`) with smoothed standard errors.
fn mean_curve(grid: &[f64], ys: &[Vec<f64>], skip: Option<usize>) -> Curve {
    let mut c = Curve::default();
    let mut var = Vec::with_capacity(grid.len());
    for (j, &l) in grid.iter().enumerate() {
        let vals: Vec<f64> = (0..ys.len())
            .filter(|&r| Some(r) != skip)
            .map(|r| ys[r][j])
            .collect();
        let (m, se) = mean_se(&vals);
        c.l.push(l);
        c.y.push(m);
        var.push(se * se);
    }
    // The variance of one point from a handful of replicates is itself noisy (±50%
    // for four); it changes slowly along the ladder, so average it over ±3 points.
    for j in 0..var.len() {
        let (a, b) = (j.saturating_sub(3), (j + 4).min(var.len()));
        let v = var[a..b].iter().sum::<f64>() / (b - a) as f64;
        c.se.push(v.sqrt().max(1e-4 * c.y[j].abs()).max(1e-12));
    }
    c
}

fn mean_se(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    if v.len() < 2 {
        return (m, 0.0);
    }
    let var = v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

/// Jackknife standard error from leave-one-out estimates.
fn jackknife(loo: &[f64]) -> f64 {
    let n = loo.len() as f64;
    if loo.len() < 2 {
        return f64::NAN;
    }
    let m = loo.iter().sum::<f64>() / n;
    ((n - 1.0) / n * loo.iter().map(|x| (x - m) * (x - m)).sum::<f64>()).sqrt()
}

/// The common grid of log β and, per replicate, β·E[K] and log Z on it.
type Grid = (Vec<f64>, Vec<Vec<f64>>, Vec<Vec<f64>>);

/// Interpolate every replicate's β·E[K] and log Z (linear in log β) onto a common grid of
/// log β, from log `from` to the largest β every replicate reached (at most `to`), two points per e-fold (denser points would only add correlated copies).
fn common_grid(runs: &[SmcRun], from: f64, to: f64) -> Grid {
    let top = runs
        .iter()
        .map(|r| r.rungs.last().map_or(0.0, |g| g.beta.ln()))
        .fold(to.ln(), f64::min);
    let lo = from.ln();
    let mut grid = Vec::new();
    let mut l = lo;
    while l <= top + 1e-9 {
        grid.push(l);
        l += 0.5;
    }
    let ys = interpolate(runs, &grid, |g| g.beta_mean_k);
    let lzs = interpolate(runs, &grid, |g| g.log_z);
    (grid, ys, lzs)
}

/// Every run's `f` (linear in log β) on the grid of log β (constant beyond its ends).
fn interpolate(runs: &[SmcRun], grid: &[f64], f: fn(&Rung) -> f64) -> Vec<Vec<f64>> {
    let interp = |run: &SmcRun| -> Vec<f64> {
        grid.iter()
            .map(|&l| {
                let rs = &run.rungs;
                let k = rs.partition_point(|g| g.beta.ln() < l);
                if k == 0 {
                    f(&rs[0])
                } else if k >= rs.len() {
                    f(&rs[rs.len() - 1])
                } else {
                    let (a, b) = (&rs[k - 1], &rs[k]);
                    let (la, lb) = (a.beta.ln(), b.beta.ln());
                    let t = if lb > la { (l - la) / (lb - la) } else { 0.0 };
                    f(a) + t * (f(b) - f(a))
                }
            })
            .collect()
    };
    runs.iter().map(interp).collect()
}

/// Nested sampling's estimate: the slope of log V(t) against log t.
#[derive(Clone, Debug, serde::Serialize)]
pub struct NestedEstimate {
    /// Mean slope over runs.
    pub slope: f64,
    /// Its standard error over runs.
    pub stderr: f64,
    /// Decades of V covered.
    pub decades: f64,
    /// Decades of V (the smallest) the slope is fitted over.
    pub fit_decades: f64,
    /// Independent runs.
    pub runs: usize,
    /// Live points per run.
    pub live: usize,
}

/// Nested sampling for V(t) over `decades` decades, one run per replicate of `cfg`
/// (parallel, seeded like the SMC replicates); the slope over the last half of the decades.
pub fn nested_estimate(problem: &Problem, cfg: &McConfig, decades: f64) -> NestedEstimate {
    let eval = Evaluator::new(problem);
    let ncfg = nested::NestedConfig {
        live: 400,
        decades,
        steps: 10,
        radius: cfg.smc.radius,
    };
    let base = Xoshiro256PlusPlus::seed_from_u64(cfg.seed ^ 0x6e65_7374);
    let runs = cfg.replicates.max(2);
    let fit_decades = decades / 2.0;
    let slopes: Vec<f64> = (0..runs)
        .into_par_iter()
        .filter_map(|r| {
            let mut rng = base.clone();
            for _ in 0..r {
                rng.jump();
            }
            nested::run(&eval, &problem.weight, &ncfg, &mut rng).slope(fit_decades)
        })
        .collect();
    let (slope, stderr) = mean_se(&slopes);
    NestedEstimate {
        slope,
        stderr,
        decades,
        fit_decades,
        runs: slopes.len(),
        live: ncfg.live,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replicates whose inner-box masses follow `mass(j, log β)` (box j of radius r/2^{j+1})
    /// on rungs two per e-fold from β = 1 to e^40, replicate r shifted by a small offset
    /// (the scatter of replicates).
    fn samples(mass: impl Fn(usize, f64) -> f64) -> Samples {
        let runs = (0..8)
            .map(|r| SmcRun {
                rungs: (0..=80)
                    .map(|j| {
                        let l = 0.5 * f64::from(j);
                        Rung {
                            beta: l.exp(),
                            log_z: 0.0,
                            beta_mean_k: 0.0,
                            beta2_var_k: 0.0,
                            inner_mass: std::array::from_fn(|b| {
                                (mass(b, l) + 0.002 * f64::from(r)).min(1.0)
                            }),
                        }
                    })
                    .collect(),
                stopped_early: None,
                evaluations: 0,
                particles: Vec::new(),
            })
            .collect();
        Samples {
            runs,
            notes: Vec::new(),
            evaluations: 0,
            particles: 0,
            seconds: 0.0,
        }
    }

    /// Concentrates on the box first, then leaves it as β^{−1/4} past β = e^10 (zeros
    /// outside with λ smaller by 1/4), as tanh-H2-true1 does at radius 1.
    fn leaves(l: f64) -> f64 {
        if l < 10.0 {
            0.1 + 0.025 * l
        } else {
            0.35 * (-0.25 * (l - 10.0)).exp()
        }
    }

    #[test]
    fn inner_mass_that_leaves_for_worse_zeros_shrinks_the_box() {
        let p = Pilot::of(&samples(|_, l| leaves(l)), 1.0).expect("pilot");
        let m = &p.inner[0];
        assert!(m.falls(), "{m:?}");
        assert!(m.peak > 0.3 && m.peak < 0.36, "{m:?}");
        assert!(m.trough < 0.01 && m.trough_beta > 1e12, "{m:?}");
        assert_eq!(p.shrink_to(), Some(0.5));
        // Worse zeros between r/8 and r/4 from w0: only the two smallest boxes empty, and
        // the box shrinks to the larger of them.
        let p =
            Pilot::of(&samples(|j, l| if j >= 2 { leaves(l) } else { 0.5 }), 1.0).expect("pilot");
        assert_eq!(p.shrink_to(), Some(0.125), "{p:?}");
    }

    #[test]
    fn inner_mass_that_rises_to_a_constant_keeps_the_box() {
        // A homogeneous K of degree 2k at w0: the mass of the box of radius ρ tends to
        // (ρ/r)^{d−2kλ} from below (here d − 2kλ = 2).
        let p = Pilot::of(
            &samples(|j, l| 0.25f64.powi(j as i32 + 1) * (1.0 - (-0.3 * l).exp()) + 0.004),
            1.0,
        )
        .expect("pilot");
        assert_eq!(p.shrink_to(), None, "{p:?}");
        // A fall by less than tenfold (a larger multiplicity outside over a short ladder,
        // or the scatter of collapsed replicates) keeps it too.
        let p = Pilot::of(
            &samples(|_, l| {
                if l < 20.0 {
                    0.5
                } else {
                    0.5 - 0.02 * (l - 20.0)
                }
            }),
            1.0,
        )
        .expect("pilot");
        assert_eq!(p.shrink_to(), None, "{p:?}");
        assert!(p.inner[0].trough > 0.1 && p.inner[0].trough < 0.15, "{p:?}");
        // A box that never held 20% of the mass is not judged.
        let p = Pilot::of(&samples(|_, l| 0.5 * leaves(l)), 1.0).expect("pilot");
        assert_eq!(p.shrink_to(), None, "{p:?}");
    }

    #[test]
    fn no_pilot_below_beta_one() {
        let mut s = samples(|_, _| 0.5);
        for r in &mut s.runs {
            r.rungs.truncate(2);
        }
        assert_eq!(Pilot::of(&s, 1.0), None);
    }
}
