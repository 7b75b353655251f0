//! The Monte Carlo accuracy table (BENCHMARKS.md): `rlct mc`'s estimator on every reference
//! case with at most 12 variables, against the exact λ of tests/data/cases.tsv.
//!
//! `cargo run --release --example mc_table -- [--budget SECS] [--seed N] [--only SUBSTRING] [--beta-max B]
//! [--particles N] [--replicates R] [--sweeps S] [--dump] [--fits FIT;FIT;…]`
//!
//! `--fits` refits the same samples under several fit settings, each
//! `DELTA_MIN@FIT_TO[@CUT]` (any part may be empty for the default; CUT is the
//! disagreement factor of the fit, `McConfig::disagreement_factor`; e.g.
//! `--fits "@;0.08@;@1e24;@@4"`), and prints a row and a summary per setting — the sampling
//! is the expensive part, so fit rules can be compared on identical curves.

use rlct::numeric::{eval::Evaluator, fit_samples, sample, McConfig};
use rlct::problem::{InputSpec, Problem};
use std::time::Instant;

fn fraction(s: &str) -> f64 {
    match s.split_once('/') {
        Some((a, b)) => a.parse::<f64>().unwrap_or(f64::NAN) / b.parse::<f64>().unwrap_or(f64::NAN),
        None => s.parse().unwrap_or(f64::NAN),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let budget: f64 = flag("--budget")
        .and_then(|s| s.parse().ok())
        .unwrap_or(20.0);
    let seed: u64 = flag("--seed").and_then(|s| s.parse().ok()).unwrap_or(1);
    let only = flag("--only");
    // Fit settings: (delta_min, fit_to, disagreement factor) overrides.
    type Setting = (Option<f64>, Option<f64>, Option<f64>);
    let fits: Vec<Setting> = flag("--fits")
        .map(|f| {
            f.split(';')
                .map(|one| {
                    let mut parts = one.split('@');
                    let mut next = || parts.next().unwrap_or("");
                    let (a, b, c) = (next(), next(), next());
                    (a.parse().ok(), b.parse().ok(), c.parse().ok())
                })
                .collect()
        })
        .unwrap_or_else(|| vec![(None, None, None)]);
    let nf = fits.len();
    let table =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cases.tsv"))
            .expect("tests/data/cases.tsv");
    println!(
        "{:<28} {:>4} {:>6} {:>8} {:>8} {:>7} {:>8} {:>3} {:>3} {:>7} {:>7} {:>5}",
        "id", "d", "N", "λ", "λ̂", "stderr", "rel.err", "m", "m̂", "β_max", "seconds", "check"
    );
    let mut rels = vec![Vec::new(); nf];
    let (mut m_wrong, mut fails) = (vec![Vec::new(); nf], vec![Vec::new(); nf]);
    for line in table.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 6 || only.as_ref().is_some_and(|o| !f[0].contains(o.as_str())) {
            continue;
        }
        let mut spec = InputSpec::default();
        if f[1] == "poly" {
            spec.poly = Some(f[2].into());
        } else {
            spec.ideal = Some(f[2].into());
        }
        if f[3] != "-" {
            spec.weight = Some(f[3].into());
        }
        let problem = Problem::parse(&spec).expect("reference case parses");
        let d = problem.ring.nvars();
        if d > 12 {
            continue;
        }
        let eval = Evaluator::new(&problem);
        let mut cfg = McConfig::for_budget(budget, &eval);
        cfg.seed = seed;
        if let Some(b) = flag("--beta-max").and_then(|s| s.parse().ok()) {
            cfg.smc.beta_max = b;
        }
        if let Some(n) = flag("--particles").and_then(|s| s.parse().ok()) {
            cfg.smc.particles = n;
        }
        if let Some(s) = flag("--sweeps").and_then(|s| s.parse().ok()) {
            cfg.smc.sweeps = s;
        }
        if let Some(r) = flag("--replicates").and_then(|s| s.parse().ok()) {
            cfg.replicates = r;
        }
        let t = Instant::now();
        let samples = sample(&problem, &cfg).expect("sample");
        let lambda = fraction(f[4]);
        for (fi, &(dmin, fit_to, cut)) in fits.iter().enumerate() {
            let mut fcfg = cfg.clone();
            if let Some(x) = cut {
                fcfg.disagreement_factor = x;
            }
            if let Some(x) = dmin {
                fcfg.delta_min = x;
            }
            if let Some(x) = fit_to {
                fcfg.fit_to = x;
            }
            let est = fit_samples(&samples, &fcfg).expect("estimate");
            let secs = if fi == 0 {
                t.elapsed().as_secs_f64()
            } else {
                est.seconds
            };
            if args.iter().any(|a| a == "--dump") && fi == 0 {
                for p in &est.curve {
                    eprintln!(
                        "{} {:.3} {:.5} {:.5}",
                        f[0],
                        p.beta.ln(),
                        p.beta_mean_k,
                        p.stderr
                    );
                }
            }
            if args.iter().any(|a| a == "--dump") {
                for fit in &est.fits {
                    eprintln!("{} fit#{fi} {:?}", f[0], fit);
                }
                for n in &est.notes {
                    eprintln!("{} note#{fi} {n}", f[0]);
                }
            }
            let rel = (est.lambda_hat - lambda) / lambda;
            rels[fi].push(rel.abs());
            // `rlct check`'s rule: |λ̂ − λ| ≤ 3·stderr + 2%·λ̂.
            let agrees = (est.lambda_hat - lambda).abs()
                <= 3.0 * est.stderr + rlct::numeric::report::MODEL_TOLERANCE * est.lambda_hat.abs();
            if !agrees {
                fails[fi].push(f[0].to_string());
            }
            if f[5].parse::<u32>().ok() != Some(est.multiplicity_hat) {
                m_wrong[fi].push(f[0].to_string());
            }
            let tag = if nf > 1 {
                format!("#{fi} ")
            } else {
                String::new()
            };
            println!(
                "{tag}{:<28} {:>4} {:>6} {:>8.4} {:>8.4} {:>7.4} {:>+7.2}% {:>3} {:>3} {:>7.0e} {:>7.1} {:>5}",
                f[0],
                d,
                est.particles,
                lambda,
                est.lambda_hat,
                est.stderr,
                100.0 * rel,
                f[5],
                est.multiplicity_hat,
                est.beta_max,
                secs,
                if agrees { "ok" } else { "FAIL" }
            );
        }
    }
    for fi in 0..nf {
        let rels = &mut rels[fi];
        if nf > 1 {
            println!("fit setting #{fi}: {:?}", fits[fi]);
        }
        rels.sort_by(f64::total_cmp);
        if !rels.is_empty() {
            println!(
                "cases {}, median |rel.err| {:.2}%, max {:.2}%",
                rels.len(),
                100.0 * rels[rels.len() / 2],
                100.0 * rels[rels.len() - 1]
            );
            println!(
                "outside rlct check's tolerance: {} {:?}; m̂ ≠ m: {} {:?}",
                fails[fi].len(),
                fails[fi],
                m_wrong[fi].len(),
                m_wrong[fi]
            );
        }
    }
}
