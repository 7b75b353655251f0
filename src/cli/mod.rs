//! The command line: parse flags, call the library, print. No mathematics here.

mod args;

pub use args::{CheckArgs, Cli, Command, ExactArgs, InputArgs, McArgs, VerifyArgs};

use crate::certificate::certificate;
use crate::engine::{self, Budget, NewtonAnalysis};
use crate::error::{Error, Result};
use crate::numeric::report::{curve_csv, CheckReport, McReport};
use crate::numeric::{self, eval::Evaluator, McConfig, McEstimate};
use crate::poly::format_rational;
use crate::problem::{InputSpec, Problem};
use crate::report::{ExactReport, NewtonReport};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

impl InputArgs {
    fn problem(&self) -> Result<Problem> {
        if let Some(path) = &self.model {
            return Err(Error::Input(format!(
                "{}: model files are not supported yet; give --poly or --ideal",
                path.display()
            )));
        }
        Problem::parse(&InputSpec {
            poly: self.poly.clone(),
            ideal: self.ideal.clone(),
            vars: self.vars.clone(),
            weight: self.weight.clone(),
            at: self.at.clone(),
        })
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Internal(format!("JSON: {e}")))
}

/// Run a parsed command line; returns what goes to stdout.
///
/// # Errors
/// Bad input ([`Error::exit_code`] 2) or an internal failure (1).
pub fn run(cli: &Cli) -> Result<String> {
    match &cli.command {
        Command::Exact(a) => exact(a),
        Command::Newton(a) => newton(a),
        Command::Explain(a) => explain(a),
        Command::Verify(a) => verify(a),
        Command::Mc(a) => mc(a),
        Command::Check(a) => check(a),
    }
}

fn solve(args: &ExactArgs) -> Result<(Problem, engine::Solution, f64)> {
    let problem = args.input.problem()?;
    let (solution, seconds) = solve_problem(&problem, args)?;
    Ok((problem, solution, seconds))
}

fn solve_problem(problem: &Problem, args: &ExactArgs) -> Result<(engine::Solution, f64)> {
    let start = Instant::now();
    let deadline = match args.timeout {
        None => None,
        Some(t) if t.is_finite() && t > 0.0 => {
            // Durations beyond what the clock can represent mean "no deadline".
            Duration::try_from_secs_f64(t)
                .ok()
                .and_then(|d| start.checked_add(d))
        }
        Some(t) => {
            return Err(Error::Input(format!(
                "--timeout must be a positive number of seconds, got {t}"
            )))
        }
    };
    let budget = Budget {
        deadline,
        max_charts: args.max_charts,
        max_depth: args.max_depth.map(usize::from),
        progress: std::io::stderr().is_terminal(),
    };
    let solution = if args.certificate.is_some() {
        engine::solve_with_certificate(problem, &budget)?
    } else {
        engine::solve(problem, &budget)?
    };
    Ok((solution, start.elapsed().as_secs_f64()))
}

/// The Monte Carlo settings of `rlct mc` / `rlct check`.
fn mc_config(args: &McArgs, problem: &Problem) -> Result<McConfig> {
    if !(args.budget.is_finite() && args.budget > 0.0) {
        return Err(Error::Input(format!(
            "--budget must be a positive number of seconds, got {}",
            args.budget
        )));
    }
    if !(args.radius.is_finite() && args.radius > 0.0) {
        return Err(Error::Input(format!(
            "--radius must be a positive number, got {}",
            args.radius
        )));
    }
    if args.replicates < 2 {
        return Err(Error::Input(
            "--replicates must be at least 2 (the standard error comes from their scatter)".into(),
        ));
    }
    let mut cfg = McConfig::for_budget(args.budget, &Evaluator::new(problem));
    cfg.seed = args.seed;
    cfg.replicates = args.replicates;
    cfg.smc.radius = args.radius;
    if let Some(n) = args.particles {
        if n < 16 {
            return Err(Error::Input(format!(
                "--particles must be at least 16, got {n}"
            )));
        }
        cfg.smc.particles = n;
    }
    if let Some(s) = args.sweeps {
        if s == 0 {
            return Err(Error::Input("--sweeps must be at least 1".into()));
        }
        cfg.smc.sweeps = s;
    }
    if let Some(b) = args.beta_max {
        if !(b.is_finite() && b > cfg.fit_from * 10.0) {
            return Err(Error::Input(format!(
                "--beta-max must be a number above {:e}, got {b}",
                cfg.fit_from * 10.0
            )));
        }
        cfg.smc.beta_max = b;
    }
    cfg.progress = std::io::stderr().is_terminal();
    Ok(cfg)
}

fn run_mc(args: &McArgs, problem: &Problem) -> Result<(McEstimate, McReport)> {
    let cfg = mc_config(args, problem)?;
    let est = numeric::estimate(problem, &cfg)?;
    if let Some(path) = &args.curve {
        std::fs::write(path, curve_csv(&est))
            .map_err(|e| Error::Input(format!("cannot write {}: {e}", path.display())))?;
    }
    let report = McReport::new(problem, &est, args.seed, args.radius);
    Ok((est, report))
}

fn mc(args: &McArgs) -> Result<String> {
    let problem = args.input.problem()?;
    let (est, report) = run_mc(args, &problem)?;
    if args.input.json {
        to_json(&report)
    } else {
        Ok(report.to_text(&est))
    }
}

fn check(args: &CheckArgs) -> Result<String> {
    let problem = args.mc.input.problem()?;
    let exact_args = ExactArgs {
        input: args.mc.input.clone(),
        timeout: args.timeout,
        max_charts: None,
        max_depth: None,
        certificate: None,
    };
    let (solution, seconds) = solve_problem(&problem, &exact_args)?;
    let exact = ExactReport::new(&problem, &solution, seconds);
    let (_, mc) = run_mc(&args.mc, &problem)?;
    let report = CheckReport::new(exact, &solution, mc);
    if args.mc.input.json {
        to_json(&report)
    } else {
        Ok(report.to_text())
    }
}

fn exact(args: &ExactArgs) -> Result<String> {
    let (problem, solution, seconds) = solve(args)?;
    if let Some(path) = &args.certificate {
        match &solution.resolution {
            Some(record) => {
                let text = to_json(&certificate(record))?;
                std::fs::write(path, text + "\n")
                    .map_err(|e| Error::Input(format!("cannot write {}: {e}", path.display())))?;
            }
            // An answer without a finished resolution has no certificate: say so, but the
            // answer (exact by another route, or bounds) is still printed.
            None => eprintln!(
                "note: no certificate written to {}: the answer ({}) has no finished resolution",
                path.display(),
                solution.method
            ),
        }
    }
    let report = ExactReport::new(&problem, &solution, seconds);
    if args.input.json {
        to_json(&report)
    } else {
        Ok(report.to_text())
    }
}

fn explain(args: &ExactArgs) -> Result<String> {
    // Explain with the chart tree whenever a resolution can be had: it is the worked
    // example, even when a shorter route proved the answer.
    let mut args = args.clone();
    args.certificate = args.certificate.or_else(|| Some(std::path::PathBuf::new()));
    let (problem, solution, _) = solve(&args)?;
    Ok(crate::report::explain(&problem, &solution))
}

fn verify(args: &VerifyArgs) -> Result<String> {
    match crate::verify::verify_file(&args.file) {
        Ok(v) => {
            let out = serde_json::json!({
                "valid": true,
                "lambda": format_rational(&v.lambda),
                "multiplicity": v.multiplicity,
                "charts": v.charts,
                "leaves": v.leaves,
            });
            if args.json {
                to_json(&out)
            } else {
                Ok(format!(
                    "certificate valid: λ = {}, m = {} ({} charts, {} leaves re-checked)\n",
                    format_rational(&v.lambda),
                    v.multiplicity,
                    v.charts,
                    v.leaves
                ))
            }
        }
        Err(e) => Err(Error::Input(format!(
            "certificate {} rejected: {e}",
            args.file.display()
        ))),
    }
}

fn newton(args: &InputArgs) -> Result<String> {
    let problem = args.problem()?;
    engine::check_nonnegative(&problem)?;
    let analysis = NewtonAnalysis::new(&problem.target, &problem.weight)
        .map_err(|e| Error::Input(format!("cannot compute the Newton polyhedron: {e}")))?;
    let report = NewtonReport::new(&problem.ring, &analysis);
    if args.json {
        to_json(&report)
    } else {
        Ok(report.to_text())
    }
}
