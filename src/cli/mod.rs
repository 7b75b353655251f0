//! The command line: parse flags, call the library, print. No mathematics here.

mod args;

pub use args::{Cli, Command, ExactArgs, InputArgs, SweepArgs, VerifyArgs};

use crate::certificate::certificate;
use crate::engine::{self, Budget, NewtonAnalysis};
use crate::error::{Error, Result};
use crate::models::{self, Model};
use crate::poly::format_rational;
use crate::problem::{InputSpec, Problem};
use crate::report::{ExactReport, NewtonReport};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

impl InputArgs {
    /// The model file, if one is given; it carries its own K, prior and true point.
    fn model(&self) -> Result<Option<Model>> {
        let Some(path) = &self.model else {
            return Ok(None);
        };
        let flags = [
            ("--poly", self.poly.is_some()),
            ("--ideal", self.ideal.is_some()),
            ("--vars", self.vars.is_some()),
            ("--weight", self.weight.is_some()),
            ("--at", self.at.is_some()),
        ];
        if let Some((flag, _)) = flags.iter().find(|(_, given)| *given) {
            return Err(Error::Input(format!(
                "{flag} cannot be combined with a model file: {} carries its own K, prior and true point",
                path.display()
            )));
        }
        models::load(path).map(Some)
    }

    fn problem(&self) -> Result<Problem> {
        if let Some(model) = self.model()? {
            return Ok(model.problem);
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
        Command::Sweep(a) => sweep(a),
    }
}

fn sweep(args: &SweepArgs) -> Result<String> {
    use crate::models::sweep::{grid_points, run, Family, Grid, SweepOptions};
    let family = match args.family.as_str() {
        "reduced-rank" => Family::ReducedRank,
        "deep-linear" => Family::DeepLinear,
        _ => Family::Tanh,
    };
    if !(args.timeout.is_finite() && args.timeout > 0.0) {
        return Err(Error::Input(format!(
            "--timeout must be a positive number of seconds, got {}",
            args.timeout
        )));
    }
    let grid = Grid {
        inputs: args.inputs.clone(),
        outputs: args.outputs.clone(),
        hidden: args.hidden.clone(),
        depth: args.depth.clone(),
        rank: args.rank.clone(),
        true_units: args.true_units.clone(),
    };
    let points = grid_points(family, &grid);
    if points.is_empty() {
        return Err(Error::Input("the grid is empty".into()));
    }
    let options = SweepOptions {
        timeout: Some(args.timeout),
        max_charts: args.max_charts,
        jobs: args.jobs.map(usize::from),
        progress: std::io::stderr().is_terminal(),
    };
    let s = run(&points, &args.out, &options)?;
    Ok(format!(
        "sweep {}: {} model(s), {} already in {}, {} computed ({} exact)",
        args.family,
        s.total,
        s.skipped,
        args.out.display(),
        s.computed,
        s.exact
    ))
}

type Solved = (Problem, engine::Solution, f64, Option<Model>);

fn solve(args: &ExactArgs) -> Result<Solved> {
    let start = Instant::now();
    let model = args.input.model()?;
    let problem = match &model {
        Some(m) => m.problem.clone(),
        None => args.input.problem()?,
    };
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
    let solution = match &model {
        Some(m) => models::solve_model(m, &budget, args.certificate.is_some())?,
        None if args.certificate.is_some() => engine::solve_with_certificate(&problem, &budget)?,
        None => engine::solve(&problem, &budget)?,
    };
    Ok((problem, solution, start.elapsed().as_secs_f64(), model))
}

fn exact(args: &ExactArgs) -> Result<String> {
    let (problem, solution, seconds, model) = solve(args)?;
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
    let mut report = ExactReport::new(&problem, &solution, seconds);
    if let Some(m) = &model {
        report.attach_model(m, &solution.answer);
    }
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
    let (problem, solution, _, _) = solve(&args)?;
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
