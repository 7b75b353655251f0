//! The command line: parse flags, call the library, print. No mathematics here.

mod args;

pub use args::{Cli, Command, ExactArgs, InputArgs};

use crate::engine::{self, Budget, NewtonAnalysis};
use crate::error::{Error, Result};
use crate::problem::{InputSpec, Problem};
use crate::report::{ExactReport, NewtonReport};
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
    }
}

fn exact(args: &ExactArgs) -> Result<String> {
    let start = Instant::now();
    let problem = args.input.problem()?;
    let deadline = match args.timeout {
        None => None,
        Some(t) if t.is_finite() && t > 0.0 => Some(start + Duration::from_secs_f64(t)),
        Some(t) => {
            return Err(Error::Input(format!(
                "--timeout must be a positive number of seconds, got {t}"
            )))
        }
    };
    let budget = Budget {
        deadline,
        max_charts: args.max_charts,
        max_depth: args.max_depth,
    };
    let solution = engine::solve(&problem, &budget)?;
    let report = ExactReport::new(&problem, &solution, start.elapsed().as_secs_f64());
    if args.input.json {
        to_json(&report)
    } else {
        Ok(report.to_text())
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
