//! The command line: parse flags, call the library, print. No mathematics here.

mod args;

pub use args::{
    CheckArgs, Cli, Command, EstimatorsArgs, ExactArgs, InputArgs, McArgs, SweepArgs, VerifyArgs,
};

use crate::certificate::certificate;
use crate::engine::{self, Budget, NewtonAnalysis};
use crate::error::{Error, Result};
use crate::models::{self, Model};
use crate::numeric::report::{curve_csv, CheckReport, McReport};
use crate::numeric::{self, eval::Evaluator, McConfig, McEstimate};
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
        Command::Mc(a) => mc(a),
        Command::Check(a) => check(a),
        Command::Estimators(a) => estimators(a),
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

/// The engine budget of `--timeout`, `--max-charts`, `--max-depth`, counted from `start`.
fn budget_of(args: &ExactArgs, start: Instant) -> Result<Budget> {
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
    Ok(Budget {
        deadline,
        max_charts: args.max_charts,
        max_depth: args.max_depth.map(usize::from),
        progress: std::io::stderr().is_terminal(),
        keep_coordinates: false,
    })
}

type Solved = (Problem, engine::Solution, f64, Option<Model>);

fn solve(args: &ExactArgs) -> Result<Solved> {
    let start = Instant::now();
    let model = args.input.model()?;
    let problem = match &model {
        Some(m) => m.problem.clone(),
        None => args.input.problem()?,
    };
    let budget = budget_of(args, start)?;
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

/// [`solve`] for a problem built in code (no model file).
fn solve_problem(problem: &Problem, args: &ExactArgs) -> Result<(engine::Solution, f64)> {
    let start = Instant::now();
    let budget = budget_of(args, start)?;
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
    if let Some(r) = args.radius {
        if !(r.is_finite() && r > 0.0) {
            return Err(Error::Input(format!(
                "--radius must be a positive number, got {r}"
            )));
        }
    }
    // Checked before any sampling: a bad value should not cost a whole SMC run first.
    if let Some(decades) = args.nested {
        if !(decades.is_finite() && (1.0..=60.0).contains(&decades)) {
            return Err(Error::Input(format!(
                "--nested must be between 1 and 60 decades, got {decades}"
            )));
        }
    }
    if args.replicates < 2 {
        return Err(Error::Input(
            "--replicates must be at least 2 (the standard error comes from their scatter)".into(),
        ));
    }
    let mut cfg = McConfig::for_budget(args.budget, &Evaluator::new(problem));
    cfg.seed = args.seed;
    cfg.replicates = args.replicates;
    cfg.smc.radius = args.radius.unwrap_or(1.0);
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
    let mut cfg = mc_config(args, problem)?;
    // `--radius` fixes the box; otherwise pilot runs choose it (numeric::localize).
    let localization = match args.radius {
        Some(_) => None,
        None => {
            let l = numeric::localize(problem, &cfg)?;
            cfg.smc.radius = l.radius;
            Some(l)
        }
    };
    let mut est = numeric::estimate(problem, &cfg)?;
    if let Some(l) = &localization {
        est.seconds += l.seconds;
        if l.radius < 1.0 {
            est.notes.push(format!(
                "box radius {}: in the larger boxes the posterior mass left an inner box as β grew (zeros worse than those near the true point); pilot runs shrank the box until no inner box emptied",
                l.radius
            ));
        }
    }
    if let Some(path) = &args.curve {
        std::fs::write(path, curve_csv(&est))
            .map_err(|e| Error::Input(format!("cannot write {}: {e}", path.display())))?;
    }
    let mut report = McReport::new(problem, &est, args.seed, cfg.smc.radius);
    report.localization = localization;
    if let Some(decades) = args.nested {
        report.nested = Some(numeric::nested_estimate(problem, &cfg, decades));
    }
    Ok((est, report))
}

/// The problem of the input flags or of a model file.
fn input_problem(input: &InputArgs) -> Result<Problem> {
    match input.model()? {
        Some(m) => Ok(m.problem),
        None => input.problem(),
    }
}

fn mc(args: &McArgs) -> Result<String> {
    let problem = input_problem(&args.input)?;
    let (est, report) = run_mc(args, &problem)?;
    if args.input.json {
        to_json(&report)
    } else {
        Ok(report.to_text(&est))
    }
}

fn check(args: &CheckArgs) -> Result<String> {
    let exact_args = ExactArgs {
        input: args.mc.input.clone(),
        timeout: args.timeout,
        max_charts: None,
        max_depth: None,
        certificate: None,
    };
    let (problem, solution, seconds, _) = solve(&exact_args)?;
    let exact = ExactReport::new(&problem, &solution, seconds);
    let (_, mc) = run_mc(&args.mc, &problem)?;
    let report = CheckReport::new(exact, &solution, mc);
    if args.mc.input.json {
        to_json(&report)
    } else {
        Ok(report.to_text())
    }
}

/// What `rlct estimators` runs on: a data model, its name, and the engine's answer for it.
struct EstimatorTarget {
    name: String,
    data: Box<dyn crate::numeric::data::DataModel>,
    problem: Problem,
    solution: engine::Solution,
    seconds: f64,
}

/// The model of `rlct estimators`: a model file, or a built-in family.
fn estimator_target(args: &EstimatorsArgs) -> Result<EstimatorTarget> {
    use crate::numeric::data::{self, Family};
    let start = Instant::now();
    let exact_args = ExactArgs {
        input: InputArgs {
            poly: None,
            ideal: None,
            model: None,
            vars: None,
            weight: None,
            at: None,
            json: false,
        },
        timeout: Some(args.timeout),
        max_charts: None,
        max_depth: None,
        certificate: None,
    };
    if let Some(path) = &args.model {
        let flags = [
            ("--family", args.family.is_some()),
            ("--inputs", args.inputs.is_some()),
            ("--outputs", args.outputs.is_some()),
            ("--hidden", args.hidden.is_some()),
            ("--widths", args.widths.is_some()),
            ("--sigma", args.sigma.is_some()),
        ];
        if let Some((flag, _)) = flags.iter().find(|(_, given)| *given) {
            return Err(Error::Input(format!(
                "{flag} cannot be combined with a model file: {} describes the model",
                path.display()
            )));
        }
        let model = models::load(path)?;
        let data = data::from_model(&model)?;
        // The exact λ of the file's model, from the engine (its [reference], if any, is
        // not used).
        let solution = models::solve_model(&model, &budget_of(&exact_args, start)?, false)?;
        return Ok(EstimatorTarget {
            name: model.name.clone(),
            data,
            problem: model.problem,
            solution,
            seconds: start.elapsed().as_secs_f64(),
        });
    }
    let Some(family) = args.family.as_deref() else {
        return Err(Error::Input(
            "give a model file (MODEL.toml, kind = \"regression\" or \"network\") or --family rrr|tanh|dln".into(),
        ));
    };
    let size = |name: &str, v: Option<usize>| {
        let v = v.unwrap_or(2);
        if (1..=8).contains(&v) {
            Ok(v)
        } else {
            Err(Error::Input(format!(
                "--{name} must be between 1 and 8, got {v}"
            )))
        }
    };
    let sigma = args.sigma.unwrap_or(1.0);
    if !(sigma.is_finite() && sigma > 0.0) {
        return Err(Error::Input(format!(
            "--sigma must be a positive number, got {sigma}"
        )));
    }
    let family = match family {
        "rrr" => Family::reduced_rank(
            size("inputs", args.inputs)?,
            size("hidden", args.hidden)?,
            size("outputs", args.outputs)?,
            sigma,
        ),
        "tanh" => Family::tanh(size("hidden", args.hidden)?, sigma),
        "dln" => {
            let text = args.widths.as_deref().unwrap_or("2,2,2,2");
            let widths: Vec<usize> = text
                .split(',')
                .map(|w| w.trim().parse::<usize>().ok().filter(|v| (1..=8).contains(v)))
                .collect::<Option<Vec<usize>>>()
                .filter(|w| w.len() >= 2 && w.len() <= 6)
                .ok_or_else(|| {
                    Error::Input(format!(
                        "--widths must be 2 to 6 comma-separated widths between 1 and 8, got '{text}'"
                    ))
                })?;
            Family::deep_linear(&widths, sigma)
        }
        other => {
            return Err(Error::Input(format!(
                "--family must be rrr, tanh or dln, got '{other}'"
            )))
        }
    };
    // The exact λ, from the engine on the family's ideal.
    let problem = Problem {
        ring: family.ring.clone(),
        target: crate::problem::Target::Ideal(family.ideal.clone()),
        weight: vec![0; family.ring.nvars()],
    };
    let (solution, _) = solve_problem(&problem, &exact_args)?;
    Ok(EstimatorTarget {
        name: family.name,
        data: Box::new(family.model),
        problem,
        solution,
        seconds: start.elapsed().as_secs_f64(),
    })
}

fn estimators(args: &EstimatorsArgs) -> Result<String> {
    use crate::numeric::estimators::{bias_rows, BiasConfig, SgldConfig};
    let positive = |name: &str, v: f64| {
        if v.is_finite() && v > 0.0 {
            Ok(())
        } else {
            Err(Error::Input(format!(
                "--{name} must be a positive number, got {v}"
            )))
        }
    };
    positive("step", args.step)?;
    positive("localization", args.localization)?;
    positive("radius", args.radius)?;
    positive("timeout", args.timeout)?;
    let counts = [
        ("n", args.n, 10),
        ("chains", args.chains, 2),
        ("draws", args.draws, 1),
        ("batch", args.batch, 1),
        ("particles", args.particles, 16),
        ("replicates", args.replicates, 2),
    ];
    for (name, v, min) in counts {
        if v < min {
            return Err(Error::Input(format!(
                "--{name} must be at least {min}, got {v}"
            )));
        }
    }
    let target = estimator_target(args)?;
    let exact = ExactReport::new(&target.problem, &target.solution, target.seconds);
    let lambda = match &target.solution.answer {
        engine::Answer::Exact(r) => num_traits::ToPrimitive::to_f64(&r.lambda),
        engine::Answer::Bounds { .. } => None,
    };
    let cfg = BiasConfig {
        n: args.n,
        seed: args.seed,
        sgld: SgldConfig {
            step: args.step,
            localization: args.localization,
            n_beta: args.n as f64 / (args.n as f64).ln(),
            chains: args.chains,
            draws: args.draws,
            burn_in: args.burn_in,
            batch: args.batch,
        },
        particles: args.particles,
        replicates: args.replicates,
        radius: args.radius,
    };
    let model = target.data.as_ref();
    let start = Instant::now();
    let rows = bias_rows(model, lambda.unwrap_or(f64::NAN), &cfg);
    let mc_seconds = start.elapsed().as_secs_f64();
    if args.json {
        return to_json(&serde_json::json!({
            "model": target.name,
            "parameters": model.nparams(),
            "n": args.n,
            "sigma": model.noise_sd(),
            "exact": exact,
            "estimators": rows,
            "seconds": mc_seconds,
        }));
    }
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "model: {} ({} parameters), n = {}, σ = {}",
        target.name,
        model.nparams(),
        args.n,
        model.noise_sd()
    );
    let _ = writeln!(
        s,
        "exact (engine on the model's ideal): {}",
        exact.lambda.as_ref().map_or_else(
            || format!(
                "bounds [{}, {}] — no bias against an unproved λ",
                exact.lower, exact.upper
            ),
            |l| format!("λ = {l}, m = {}", exact.multiplicity.unwrap_or(0))
        )
    );
    let _ = writeln!(
        s,
        "{:<90} {:>8} {:>8} {:>8}",
        "estimator", "λ̂", "stderr", "bias"
    );
    for r in &rows {
        let f = |x: Option<f64>| x.map_or("—".to_string(), |v| format!("{v:.4}"));
        let b = r
            .relative_bias
            .filter(|b| b.is_finite())
            .map_or("—".to_string(), |b| format!("{:+.1}%", 100.0 * b));
        let _ = writeln!(
            s,
            "{:<90} {:>8} {:>8} {:>8}",
            r.estimator,
            f(r.lambda_hat),
            f(r.stderr),
            b
        );
    }
    let _ = writeln!(s, "({mc_seconds:.1} s for the estimators)");
    Ok(s)
}
