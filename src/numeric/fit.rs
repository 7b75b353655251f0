//! Fitting λ and m to the curve y(L) = β·E_β[K], L = log β.
//!
//! # The model
//! Near a zero of K the partition function has the asymptotic expansion
//! Z(β) = β^{−λ}·(a_0 L^{m−1} + a_1 L^{m−2} + … + a_{m−1}) + O(β^{−λ'}), λ' > λ
//! (Watanabe 2009, Thm 6.2 / DESIGN §5). With P(L) = L^{m−1} + p_{m−2}L^{m−2} + … + p_0
//! (the bracket divided by a_0), y = −d log Z/d log β is
//!
//! y(L) = λ − P'(L)/P(L) + O(β^{−(λ'−λ)}),
//!
//! so for m = 1 the curve is flat, and for m = 2 it is exactly λ − 1/(L + p_0): the
//! familiar λ − (m−1)/log β approach from below, with the constant that a bare
//! (m−1)/log β misses. The next pole λ' contributes a power law, so the fitted model is
//!
//! y(L) = λ − P'(L)/P(L) − a·β^{−δ},  δ ∈ [δ_min, 3], a ≥ 0.
//!
//! Without the power law a slow approach (x²y⁴, where λ' − λ = 1/4) is mistaken for a
//! logarithmic one and m̂ = 2. The floor δ_min is a compromise: over the fitted decades
//! a power law with a small δ is hard to tell from a log factor. What matters is how far
//! the power law decays over the fitted range ΔL of log β, so the floor is
//! δ_min = min(0.15, 7/ΔL) ([`delta_floor`]): on a ladder to 10²⁴ (ΔL ≈ 48) it is 0.146,
//! practically the former fixed floor 0.15, where lowering it to 0.08 or 0.05 made m̂ too small on 9–13 of the 14 reference cases
//! with m > 1 (4 × 2048 particles, seeds 1 and 2), against 1–2 with 0.15; on the default
//! ladder to 10⁴⁰ (ΔL ≈ 85) it is 0.082, and the m > 1 cases keep their m̂ (BENCHMARKS.md).
//! The case that needs the lower floor is the cusp (x² − y³)²: its next pole is only 1/12
//! above λ = 5/12 (z = −1/2, from the smooth points of the curve); with the floor at 0.15
//! its m = 1 fit was poor enough that m̂ = 2 at most seeds and λ̂ was 2–4% high. Where the
//! ladder stops early (the f64 rounding guard, smc.rs) the floor rises again with 7/ΔL.
//! a ≥ 0 (the correction approaches from below, as every reference curve
//! does) keeps a log term and a power law of opposite signs from cancelling into a flat
//! curve with a shifted λ, which is how an unconstrained m = 2 fit beats the true m = 1
//! on the cone (x² + y² − z²)². For each candidate m the fit profiles λ and a out (they
//! enter linearly) and minimises the residuals over p and δ by Nelder–Mead, started from
//! the best of a grid of P = (L + c)^{m−1} and δ.
//!
//! # Choosing m
//! Model m+1 contains model m in a limit (a root of P running off to infinity), so the
//! residuals alone always prefer the larger m. The smallest m is chosen whose residual is
//! not significantly worse than the next model's ([`select`]). The residuals are
//! generalised least squares ones: the errors of neighbouring points are correlated
//! (consecutive rungs share particles), modelled as AR(1) with the lag-one correlation of
//! the replicates' deviations, and ordinary weighted residuals would make smooth
//! correlated wiggles look significant and choose m too large. Telling m apart needs the
//! log factor to show over many decades: the ladder runs to β = 10⁴⁰ by default, and at
//! small budgets m̂ is the least reliable output (see BENCHMARKS.md).

/// Points (L_j, y_j) with standard errors s_j (from independent replicates).
#[derive(Clone, Debug, Default)]
pub struct Curve {
    /// L = log β.
    pub l: Vec<f64>,
    /// β·E_β[K] (mean over replicates).
    pub y: Vec<f64>,
    /// Standard error of y_j.
    pub se: Vec<f64>,
    /// Correlation between the errors of neighbouring points (an AR(1) model of the
    /// correlation along the ladder: consecutive rungs share particles).
    pub rho: f64,
}

/// A fitted model.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelFit {
    /// Multiplicity assumed by the model.
    pub multiplicity: u32,
    /// λ̂.
    pub lambda: f64,
    /// Coefficients p_0 … p_{m−2} of the monic P.
    pub p: Vec<f64>,
    /// The power-law correction (a, δ): the model subtracts a·β^{−δ}.
    pub correction: (f64, f64),
    /// Weighted sum of squared residuals Σ ((y_j − model_j)/s_j)².
    pub chi2: f64,
    /// Number of points.
    pub points: usize,
}

/// −P'(L)/P(L) for monic P with lower coefficients `p` (None if P ≤ 0 at L).
fn log_derivative(p: &[f64], l: f64) -> Option<f64> {
    // Horner for P and P' together.
    let deg = p.len();
    let mut v = 1.0;
    let mut dv = 0.0;
    for k in (0..deg).rev() {
        dv = dv * l + v;
        v = v * l + p[k];
    }
    (v > 0.0).then(|| -dv / v)
}

/// The default smallest exponent δ of the power-law correction a·β^{−δ} (see the module
/// doc for why 0.15).
pub const DELTA_MIN: f64 = 0.15;

/// How many e-folds the power-law correction must decay by over the fitted range of
/// log β to be told apart from a log factor ([`delta_floor`]).
pub const CORRECTION_DECAY: f64 = 7.0;

/// The floor of δ for a curve fitted over the log β values `l`: `cap` (at most), lowered
/// to [`CORRECTION_DECAY`]/(L_max − L_min) on a long ladder. What tells a power law
/// β^{−δ} from the log factor 1/(log β + p₀) is how far the power law decays over the
/// fitted range, e^{−δ·ΔL}, against the log factor's slow 1/L: the floor 0.15 over the
/// 48 e-folds of a ladder to 10²⁴ (e^{−7.2}) kept m̂ on the m > 1 reference cases while
/// 0.08 or 0.05 did not; over the 85 e-folds of a ladder to 10⁴⁰ the same decay allows
/// δ ≥ 0.082, which admits the cusp's gap 1/12 (measured in BENCHMARKS.md).
pub fn delta_floor(l: &[f64], cap: f64) -> f64 {
    let lmin = l.iter().copied().fold(f64::INFINITY, f64::min);
    let lmax = l.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = lmax - lmin;
    if span > 0.0 {
        cap.min(CORRECTION_DECAY / span)
    } else {
        cap
    }
}

/// The largest exponent δ of the power-law correction.
const DELTA_MAX: f64 = 3.0;

/// Profile λ and a out for fixed p and δ (weighted linear least squares in the two
/// regressors 1 and −e^{−δL}): returns (λ, a, χ²), or None where P is not positive.
fn profile(curve: &Curve, p: &[f64], delta: Option<f64>) -> Option<(f64, f64, f64)> {
    let mut r = Vec::with_capacity(curve.l.len());
    for &l in &curve.l {
        r.push(log_derivative(p, l)?);
    }
    // Normal equations for y − r = λ·1 − a·e^{−δL}.
    // Normalise by the standard errors and whiten the AR(1) correlation between
    // neighbouring points (e'_1 = e_1, e'_j = (e_j − ρ e_{j−1})/√(1−ρ²)), then solve
    // y − r = λ·1 − a·e^{−δL} by least squares in the whitened coordinates.
    let rho = curve.rho.clamp(0.0, 0.95);
    let norm = (1.0 - rho * rho).sqrt();
    let n = r.len();
    let mut t = Vec::with_capacity(n);
    let mut x1 = Vec::with_capacity(n);
    let mut x2 = Vec::with_capacity(n);
    for (j, rj) in r.iter().enumerate() {
        let se = curve.se[j];
        let x = delta.map_or(0.0, |d| -(-d * curve.l[j]).exp());
        t.push((curve.y[j] - rj) / se);
        x1.push(1.0 / se);
        x2.push(x / se);
    }
    let whiten = |v: &mut Vec<f64>| {
        for j in (1..v.len()).rev() {
            v[j] = (v[j] - rho * v[j - 1]) / norm;
        }
    };
    whiten(&mut t);
    whiten(&mut x1);
    whiten(&mut x2);
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
    let (s11, s12, s22, t1, t2) = (
        dot(&x1, &x1),
        dot(&x1, &x2),
        dot(&x2, &x2),
        dot(&x1, &t),
        dot(&x2, &t),
    );
    let (mut lambda, mut a) = (t1 / s11, 0.0);
    if delta.is_some() {
        let det = s11 * s22 - s12 * s12;
        if det.abs() > 1e-14 * s11 * s22 {
            let a_free = (s11 * t2 - s12 * t1) / det;
            // a ≥ 0: the correction approaches from below (else a = 0, λ alone).
            if a_free > 0.0 {
                a = a_free;
                lambda = (t1 * s22 - t2 * s12) / det;
            }
        }
    }
    let chi2 = (0..n)
        .map(|j| {
            let e = t[j] - lambda * x1[j] - a * x2[j];
            e * e
        })
        .sum();
    Some((lambda, a, chi2))
}

/// Coefficients of (L + c)^k without the leading 1.
fn binomial_poly(c: f64, k: usize) -> Vec<f64> {
    let mut coef = vec![1.0];
    for _ in 0..k {
        let mut next = vec![0.0; coef.len() + 1];
        for (i, a) in coef.iter().enumerate() {
            next[i] += a * c;
            next[i + 1] += a;
        }
        coef = next;
    }
    coef.pop();
    coef
}

/// Fit the model with multiplicity `m` and the power-law correction −a·β^{−δ}
/// (δ in [`delta_min`, 3]: the gap to the next pole); None if the curve is empty or nothing fits.
pub fn fit_model(curve: &Curve, m: u32, delta_min: f64) -> Option<ModelFit> {
    if curve.l.is_empty() {
        return None;
    }
    let k = m.saturating_sub(1) as usize;
    let objective = |x: &[f64]| -> f64 {
        let delta = x[k];
        if !(delta_min..=DELTA_MAX).contains(&delta) {
            return f64::INFINITY;
        }
        profile(curve, &x[..k], Some(delta)).map_or(f64::INFINITY, |r| r.2)
    };
    let lmin = curve.l.iter().copied().fold(f64::INFINITY, f64::min);
    let lmax = curve.l.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Grid: a common root −c of P (c from just above −L_min to far beyond L_max) times δ.
    let mut best: Option<(f64, Vec<f64>)> = None;
    let cs: Vec<f64> = if k == 0 {
        vec![0.0]
    } else {
        (0..=120)
            .map(|i| {
                let t = f64::from(i) / 120.0;
                -0.99 * lmin + (20.0 * lmax + lmin) * t * t
            })
            .collect()
    };
    for &c in &cs {
        let mut x = binomial_poly(c, k);
        x.push(0.0);
        for i in 0..=24 {
            x[k] = delta_min * (DELTA_MAX / delta_min).powf(f64::from(i) / 24.0);
            let v = objective(&x);
            if v.is_finite() && best.as_ref().is_none_or(|(b, _)| v < *b) {
                best = Some((v, x.clone()));
            }
        }
    }
    let (_, start) = best?;
    let x = nelder_mead(objective, start);
    let (lambda, a, chi2) = profile(curve, &x[..k], Some(x[k]))?;
    Some(ModelFit {
        multiplicity: m,
        lambda,
        p: x[..k].to_vec(),
        correction: (a, x[k]),
        chi2,
        points: curve.l.len(),
    })
}

/// Nelder–Mead minimisation (Nelder & Mead 1965), enough for 1–3 parameters.
fn nelder_mead(f: impl Fn(&[f64]) -> f64, start: Vec<f64>) -> Vec<f64> {
    let n = start.len();
    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n + 1);
    let f0 = f(&start);
    simplex.push((start.clone(), f0));
    for i in 0..n {
        let mut v = start.clone();
        v[i] += 0.1 * v[i].abs().max(1.0);
        let fv = f(&v);
        simplex.push((v, fv));
    }
    for _ in 0..400 * n {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let worst = simplex[n].clone();
        let centroid: Vec<f64> = (0..n)
            .map(|j| simplex[..n].iter().map(|s| s.0[j]).sum::<f64>() / n as f64)
            .collect();
        let along = |t: f64| -> Vec<f64> {
            (0..n)
                .map(|j| centroid[j] + t * (worst.0[j] - centroid[j]))
                .collect()
        };
        let r = along(-1.0);
        let fr = f(&r);
        if fr < simplex[0].1 {
            let e = along(-2.0);
            let fe = f(&e);
            simplex[n] = if fe < fr { (e, fe) } else { (r, fr) };
        } else if fr < simplex[n - 1].1 {
            simplex[n] = (r, fr);
        } else {
            let c = along(0.5);
            let fc = f(&c);
            if fc < worst.1 {
                simplex[n] = (c, fc);
            } else {
                let best = simplex[0].0.clone();
                for s in simplex.iter_mut().skip(1) {
                    let v: Vec<f64> = (0..n).map(|j| best[j] + 0.5 * (s.0[j] - best[j])).collect();
                    let fv = f(&v);
                    *s = (v, fv);
                }
            }
        }
    }
    simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
    simplex.swap_remove(0).0
}

/// Fit m = 1 … `max_m` and choose the smallest m whose fit is not significantly worse than
/// the next one's: m is kept when χ²_m − χ²_{m+1} ≤ `threshold` · max(1, χ²_{m+1}/dof),
/// χ² being the generalised (AR(1)-whitened) residual, so that a difference of 9 is about
/// three standard deviations for the one extra parameter.
pub fn select(
    curve: &Curve,
    max_m: u32,
    threshold: f64,
    delta_min: f64,
) -> Option<(ModelFit, Vec<ModelFit>)> {
    let fits: Vec<ModelFit> = (1..=max_m)
        .filter_map(|m| fit_model(curve, m, delta_min))
        .collect();
    if fits.is_empty() {
        return None;
    }
    let mut chosen = fits.len() - 1;
    for i in 0..fits.len() - 1 {
        let next = &fits[i + 1];
        let dof = (next.points as f64 - f64::from(next.multiplicity) - 2.0).max(1.0);
        let scale = (next.chi2 / dof).max(1.0);
        if fits[i].chi2 - next.chi2 <= threshold * scale {
            chosen = i;
            break;
        }
    }
    Some((fits[chosen].clone(), fits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn synthetic(lambda: f64, roots: &[f64], noise: f64) -> Curve {
        let mut c = Curve::default();
        let mut state = 12345u64;
        for j in 0..60 {
            let l = 7.0 + j as f64 * 1.4;
            let y = lambda - roots.iter().map(|r| 1.0 / (l + r)).sum::<f64>();
            // A deterministic pseudo-random perturbation.
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            c.l.push(l);
            c.y.push(y + noise * u);
            c.se.push(noise.max(1e-6));
        }
        c.rho = 0.0;
        c
    }

    #[test]
    fn recovers_lambda_and_multiplicity_of_clean_curves() {
        for (lambda, roots, m) in [
            (0.5, vec![], 1),
            (0.5, vec![1.3], 2),
            (0.25, vec![-2.0], 2),
            (0.5, vec![0.7, 3.0], 3),
        ] {
            let c = synthetic(lambda, &roots, 0.0);
            let (fit, _) = select(&c, 4, 9.0, DELTA_MIN).unwrap();
            assert_eq!(fit.multiplicity, m, "{lambda} {roots:?}: {fit:?}");
            assert!((fit.lambda - lambda).abs() < 1e-3, "{fit:?}");
        }
    }

    #[test]
    fn noisy_curves_keep_lambda_within_noise() {
        let c = synthetic(2.0 / 3.0, &[], 0.01);
        let (fit, _) = select(&c, 4, 9.0, DELTA_MIN).unwrap();
        assert_eq!(fit.multiplicity, 1);
        assert!((fit.lambda - 2.0 / 3.0).abs() < 0.01);
        let c = synthetic(0.5, &[2.0], 0.005);
        let (fit, _) = select(&c, 4, 9.0, DELTA_MIN).unwrap();
        assert_eq!(fit.multiplicity, 2, "{fit:?}");
        assert!((fit.lambda - 0.5).abs() < 0.02, "{fit:?}");
    }

    /// A curve over log β from ln 10³ to ln 10⁴⁰ (two points per e-fold) with a power-law
    /// approach λ − a·β^{−δ} and a log factor λ − 1/(L + p₀) as alternatives.
    fn long_curve(f: impl Fn(f64) -> f64, noise: f64) -> Curve {
        let mut c = Curve::default();
        let mut state = 987654321u64;
        let (lo, hi) = (1e3f64.ln(), 1e40f64.ln());
        let mut l = lo;
        while l <= hi {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let u = (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
            c.l.push(l);
            c.y.push(f(l) + noise * u);
            c.se.push(noise / 12f64.sqrt());
            l += 0.5;
        }
        c
    }

    #[test]
    fn delta_floor_follows_the_fitted_range() {
        // A ladder stopped at β ≈ 10²¹ by the rounding guard: the cap.
        let short: Vec<f64> = (0..81).map(|j| 6.9 + 0.5 * f64::from(j)).collect();
        assert_eq!(delta_floor(&short, DELTA_MIN), DELTA_MIN);
        // To 10²⁴: 7/48, just under the cap.
        let mid: Vec<f64> = (0..97).map(|j| 6.9 + 0.5 * f64::from(j)).collect();
        assert!((delta_floor(&mid, DELTA_MIN) - 7.0 / 48.0).abs() < 1e-12);
        let long: Vec<f64> = (0..171).map(|j| 6.9 + 0.5 * f64::from(j)).collect();
        let floor = delta_floor(&long, DELTA_MIN);
        assert!((floor - 7.0 / 85.0).abs() < 1e-12, "{floor}");
        assert!(floor < 1.0 / 12.0);
        assert_eq!(delta_floor(&[5.0], DELTA_MIN), DELTA_MIN);
    }

    #[test]
    fn a_slow_power_law_is_not_a_log_factor_on_a_long_ladder() {
        // The cusp's shape: λ = 5/12, the next pole 1/12 above it.
        let cusp = long_curve(|l| 5.0 / 12.0 - 0.09 * (-l / 12.0).exp(), 0.002);
        let floor = delta_floor(&cusp.l, DELTA_MIN);
        let (fit, _) = select(&cusp, 4, 9.0, floor).unwrap();
        assert_eq!(fit.multiplicity, 1, "{fit:?}");
        assert!((fit.lambda - 5.0 / 12.0).abs() < 0.005, "{fit:?}");
        // With the floor of a short ladder the same curve is read as m = 2, λ̂ high.
        let (fit, _) = select(&cusp, 4, 9.0, DELTA_MIN).unwrap();
        assert_eq!(fit.multiplicity, 2, "{fit:?}");
        assert!(fit.lambda > 5.0 / 12.0 + 0.005, "{fit:?}");
        // A log factor on the same range keeps m = 2 with the lower floor.
        let log = long_curve(|l| 0.5 - 1.0 / (l + 3.0), 0.002);
        let (fit, _) = select(&log, 4, 9.0, floor).unwrap();
        assert_eq!(fit.multiplicity, 2, "{fit:?}");
        assert!((fit.lambda - 0.5).abs() < 0.005, "{fit:?}");
    }
}
