//! Nested sampling for the volume function V(t) = ∫_{K<t} φ (Skilling 2006, Bayesian
//! Analysis 1:833): V(t) ~ c·t^λ (log 1/t)^{m−1} as t → 0 (DESIGN §5), so the slope of
//! log V against log t tends to λ.
//!
//! N live points start as exact prior draws on the box [−r, r]^d. Each iteration removes
//! the live point with the largest K — its value t_k is a level, and log V(t_k) ≈ −k/N
//! (the shrinkage of the prior mass is a product of Beta(N, 1) factors, mean log −1/N) —
//! and replaces it by a prior draw constrained to K < t_k: a copy of a random surviving
//! point moved by Metropolis steps (additive and multiplicative per coordinate, the prior
//! weight |w^h| in the ratio) that reject any proposal with K ≥ t_k or outside the box.
//! One run covers as many decades of V as iterations/N allow: k iterations reach
//! V ≈ e^{−k/N}.

use super::eval::Potential;
use rand::Rng;
use rand_distr::StandardNormal;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Settings of a nested-sampling run.
#[derive(Clone, Debug)]
pub struct NestedConfig {
    /// Live points N.
    pub live: usize,
    /// Decades of V to cover (iterations = N·decades·ln 10).
    pub decades: f64,
    /// Metropolis steps per replacement.
    pub steps: usize,
    /// Half-width r of the box.
    pub radius: f64,
}

impl Default for NestedConfig {
    fn default() -> Self {
        NestedConfig {
            live: 200,
            decades: 10.0,
            steps: 30,
            radius: 1.0,
        }
    }
}

/// The curve: levels t_k (decreasing) with log V(t_k) ≈ −k/N.
#[derive(Clone, Debug, Default)]
pub struct NestedRun {
    /// (t_k, log V(t_k)).
    pub levels: Vec<(f64, f64)>,
}

impl NestedRun {
    /// λ̂ as the least-squares slope of log V against log t over the last `decades` of V
    /// (ignores the (log 1/t)^{m−1} factor: for m > 1 it is biased low by about
    /// (m−1)/log(1/t)).
    pub fn slope(&self, decades: f64) -> Option<f64> {
        let last = self.levels.last()?.1;
        let pts: Vec<(f64, f64)> = self
            .levels
            .iter()
            .filter(|(t, lv)| *t > 0.0 && *lv <= last + decades * std::f64::consts::LN_10)
            .map(|(t, lv)| (t.ln(), *lv))
            .collect();
        if pts.len() < 3 {
            return None;
        }
        let n = pts.len() as f64;
        let mx = pts.iter().map(|p| p.0).sum::<f64>() / n;
        let my = pts.iter().map(|p| p.1).sum::<f64>() / n;
        let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
        let sxx: f64 = pts.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
        (sxx > 0.0).then(|| sxy / sxx)
    }
}

fn log_prior(weight: &[u32], w: &[f64]) -> f64 {
    weight
        .iter()
        .zip(w)
        .filter(|(&h, _)| h > 0)
        .map(|(&h, x)| f64::from(h) * x.abs().ln())
        .sum()
}

/// Run nested sampling.
pub fn run(
    pot: &dyn Potential,
    weight: &[u32],
    cfg: &NestedConfig,
    rng: &mut Xoshiro256PlusPlus,
) -> NestedRun {
    let d = pot.nvars();
    let n = cfg.live.max(2);
    let r = cfg.radius;
    let mut pos = vec![0.0; n * d];
    for p in 0..n {
        for i in 0..d {
            let u: f64 = rng.random();
            let mag = r * u.powf(1.0 / (f64::from(weight[i]) + 1.0));
            pos[p * d + i] = if rng.random::<bool>() { mag } else { -mag };
        }
    }
    let mut kv: Vec<f64> = (0..n)
        .map(|p| pot.value_with_error(&pos[p * d..(p + 1) * d]).0)
        .collect();
    let iterations = (cfg.decades * std::f64::consts::LN_10 * n as f64).ceil() as usize;
    let mut levels = Vec::with_capacity(iterations);
    // Step sizes, adapted to an acceptance near 0.4 as the constrained region shrinks.
    let mut add = vec![r / 2.0; d];
    let mut mul = vec![1.0; d];
    let mut cand = vec![0.0; d];
    for k in 0..iterations {
        let (worst, &t) = kv
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .expect("at least two live points");
        levels.push((t, -((k + 1) as f64) / n as f64));
        // Copy a random other live point and move it inside {K < t}.
        let mut src = rng.random_range(0..n - 1);
        if src >= worst {
            src += 1;
        }
        let (a, b) = (src * d, worst * d);
        let copy: Vec<f64> = pos[a..a + d].to_vec();
        pos[b..b + d].copy_from_slice(&copy);
        kv[worst] = kv[src];
        let w = &mut pos[b..b + d];
        let mut lp = log_prior(weight, w);
        for _ in 0..cfg.steps {
            for i in 0..d {
                for kind in 0..2 {
                    cand.copy_from_slice(w);
                    let z: f64 = rng.sample(StandardNormal);
                    let mut log_jac = 0.0;
                    if kind == 0 {
                        cand[i] += add[i] * z;
                    } else {
                        if cand[i] == 0.0 {
                            continue;
                        }
                        cand[i] *= (mul[i] * z).exp();
                        log_jac = mul[i] * z;
                    }
                    let scale = if kind == 0 { &mut add[i] } else { &mut mul[i] };
                    if cand[i].abs() > r {
                        *scale *= 0.97;
                        continue;
                    }
                    let kc = pot.value_with_error(&cand).0;
                    let lpc = log_prior(weight, &cand);
                    if kc < t && rng.random::<f64>().ln() < lpc - lp + log_jac {
                        w.copy_from_slice(&cand);
                        kv[worst] = kc;
                        lp = lpc;
                        *scale *= 1.02;
                    } else {
                        *scale *= 0.985;
                    }
                    *scale = scale.clamp(1e-300, 2.0 * r);
                }
            }
        }
    }
    NestedRun { levels }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numeric::eval::Evaluator;
    use crate::problem::{InputSpec, Problem};
    use rand::SeedableRng;

    fn slope_of(poly: &str, weight: Option<&str>) -> f64 {
        let p = Problem::parse(&InputSpec {
            poly: Some(poly.into()),
            weight: weight.map(Into::into),
            ..Default::default()
        })
        .unwrap();
        let e = Evaluator::new(&p);
        let cfg = NestedConfig {
            live: 100,
            decades: 6.0,
            steps: 10,
            radius: 1.0,
        };
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        run(&e, &p.weight, &cfg, &mut rng).slope(4.0).unwrap()
    }

    /// V(t) = πt/4 for x² + y² on [−1, 1]² (slope 1); x²y⁴ has λ = 1/4 (m = 1); with the
    /// prior |y|² it is 1/2 (DESIGN §3 trap 7).
    #[test]
    fn slopes_of_the_volume_function() {
        assert!((slope_of("x^2 + y^2", None) - 1.0).abs() < 0.1);
        assert!((slope_of("x^2*y^4", None) - 0.25).abs() < 0.05);
        assert!((slope_of("x^2*y^4", Some("y^2")) - 0.5).abs() < 0.08);
    }
}
