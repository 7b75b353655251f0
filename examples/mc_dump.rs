//! Dump every SMC replicate's rungs of a model file (diagnostics for the fit):
//! `cargo run --release --example mc_dump -- MODEL.toml [--particles N] [--replicates R]
//! [--seed S] [--radius R] [--sweeps S] [--budget SECS] [--share K] [--cuts F,F,…]` prints
//! `replicate,beta,beta_mean_k,beta2_var_k,log_z` per rung, and the fit on stderr.

use rlct::numeric::{eval::Evaluator, fit_samples, sample, McConfig};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let Some(path) = args.get(1) else {
        eprintln!("error: give a model file");
        std::process::exit(2);
    };
    let model = match rlct::models::load(std::path::Path::new(path)) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let problem = model.problem;
    let budget: f64 = flag("--budget")
        .and_then(|s| s.parse().ok())
        .unwrap_or(20.0);
    let mut cfg = McConfig::for_budget(budget, &Evaluator::new(&problem));
    cfg.seed = flag("--seed").and_then(|s| s.parse().ok()).unwrap_or(1);
    if let Some(n) = flag("--particles").and_then(|s| s.parse().ok()) {
        cfg.smc.particles = n;
    }
    // `--share K`: 1/K of the budget's particles (e.g. with K times the sweeps, same cost).
    if let Some(k) = flag("--share").and_then(|s| s.parse::<usize>().ok()) {
        cfg.smc.particles = (cfg.smc.particles / k.max(1)).max(16);
    }
    if let Some(n) = flag("--replicates").and_then(|s| s.parse().ok()) {
        cfg.replicates = n;
    }
    if let Some(n) = flag("--sweeps").and_then(|s| s.parse().ok()) {
        cfg.smc.sweeps = n;
    }
    if let Some(r) = flag("--radius").and_then(|s| s.parse().ok()) {
        cfg.smc.radius = r;
    }
    let samples = match sample(&problem, &cfg) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    println!("replicate,beta,beta_mean_k,beta2_var_k,log_z");
    for (r, run) in samples.runs().iter().enumerate() {
        for g in &run.rungs {
            println!(
                "{r},{:e},{},{},{}",
                g.beta, g.beta_mean_k, g.beta2_var_k, g.log_z
            );
        }
    }
    let factors: Vec<f64> = flag("--cuts")
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![cfg.disagreement_factor]);
    for f in factors {
        cfg.disagreement_factor = f;
        match fit_samples(&samples, &cfg) {
            Ok(est) => eprintln!(
                "cut {f}: particles {} λ̂ {:.4} ± {:.4} m̂ {} top {:.1e} chi2 {:?} notes {:?}",
                cfg.smc.particles,
                est.lambda_hat,
                est.stderr,
                est.multiplicity_hat,
                est.beta_max,
                est.fits
                    .iter()
                    .map(|f| (f.lambda, f.chi2))
                    .collect::<Vec<_>>(),
                est.notes.last()
            ),
            Err(e) => eprintln!("fit: {e}"),
        }
    }
}
