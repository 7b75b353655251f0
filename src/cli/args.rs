//! Flags, as clap derives them (INTERFACE.md).

use clap::{Args, Parser, Subcommand};
use std::ops::RangeInclusive;
use std::path::PathBuf;

/// rlct: exact real log canonical thresholds (learning coefficients) λ and multiplicities m.
#[derive(Parser, Debug)]
#[command(name = "rlct", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Compute (λ, m) exactly, or proved bounds with a reason.
    Exact(ExactArgs),
    /// Show the Newton polyhedron: vertices, facets, t*, θ, compact faces and verdicts.
    Newton(InputArgs),
    /// Explain the answer step by step: routes, charts of the resolution, poles.
    Explain(ExactArgs),
    /// Re-check a certificate written by `rlct exact --certificate FILE`.
    Verify(VerifyArgs),
    /// Ground truth over a family grid: one JSON line per model, in parallel, resumable.
    Sweep(SweepArgs),
    /// Estimate λ and m by Monte Carlo (sequential Monte Carlo over β, fitted free energy).
    Mc(McArgs),
    /// Run the exact engine and the Monte Carlo estimate side by side; say if they agree.
    Check(CheckArgs),
    /// Data-based λ estimators (SGLD LLC, WBIC) on a model file or family, and their bias
    /// against the exact λ.
    Estimators(EstimatorsArgs),
}

/// `rlct sweep`.
#[derive(Args, Debug, Clone)]
pub struct SweepArgs {
    /// The family: reduced-rank, deep-linear or tanh.
    #[arg(value_parser = ["reduced-rank", "deep-linear", "tanh"])]
    pub family: String,
    /// Inputs M (reduced-rank, deep-linear): A..B or A.
    #[arg(long, default_value = "1..2", value_parser = crate::models::sweep::parse_range)]
    pub inputs: RangeInclusive<usize>,
    /// Outputs N (reduced-rank, deep-linear).
    #[arg(long, default_value = "1..2", value_parser = crate::models::sweep::parse_range)]
    pub outputs: RangeInclusive<usize>,
    /// Hidden width H (every hidden layer).
    #[arg(long, default_value = "1..2", value_parser = crate::models::sweep::parse_range)]
    pub hidden: RangeInclusive<usize>,
    /// Number of layers L (deep-linear).
    #[arg(long, default_value = "2..3", value_parser = crate::models::sweep::parse_range)]
    pub depth: RangeInclusive<usize>,
    /// True rank r (reduced-rank, deep-linear); values above a width are skipped.
    #[arg(long, default_value = "0..2", value_parser = crate::models::sweep::parse_range)]
    pub rank: RangeInclusive<usize>,
    /// True units H0 (tanh); values above H are skipped.
    #[arg(long, default_value = "0", value_parser = crate::models::sweep::parse_range)]
    pub true_units: RangeInclusive<usize>,
    /// The table (JSON lines); lines already there are kept and skipped.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Seconds per model before it ends in bounds.
    #[arg(long, value_name = "SECS", default_value = "60")]
    pub timeout: f64,
    /// Most charts per resolution.
    #[arg(long, value_name = "N")]
    pub max_charts: Option<usize>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
}

/// `rlct estimators`.
#[derive(Args, Debug, Clone)]
pub struct EstimatorsArgs {
    /// A model file with data (kind = "regression" or "network", models/README.md): its
    /// f, true parameter, σ and input distribution. Instead of --family.
    #[arg(value_name = "MODEL.toml")]
    pub model: Option<PathBuf>,
    /// A built-in model family instead of a file: rrr (reduced-rank regression), tanh (one
    /// hidden tanh layer), dln (deep linear network).
    #[arg(long, value_name = "rrr|tanh|dln")]
    pub family: Option<String>,
    /// Inputs (rrr) [default: 2].
    #[arg(long)]
    pub inputs: Option<usize>,
    /// Outputs (rrr) [default: 2].
    #[arg(long)]
    pub outputs: Option<usize>,
    /// Hidden units (rrr, tanh) [default: 2].
    #[arg(long)]
    pub hidden: Option<usize>,
    /// Layer widths, input first (dln), e.g. 2,2,2,2 [default: 2,2,2,2].
    #[arg(long, value_name = "W,W,…")]
    pub widths: Option<String>,
    /// Sample size n.
    #[arg(long, default_value_t = 1000)]
    pub n: usize,
    /// Noise standard deviation σ of a family [default: 1] (a model file has its own).
    #[arg(long)]
    pub sigma: Option<f64>,
    /// Seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// SGLD step size ε.
    #[arg(long, default_value_t = 1e-3)]
    pub step: f64,
    /// SGLD localisation γ.
    #[arg(long, default_value_t = 100.0)]
    pub localization: f64,
    /// SGLD chains.
    #[arg(long, default_value_t = 4)]
    pub chains: usize,
    /// SGLD draws per chain.
    #[arg(long, default_value_t = 1000)]
    pub draws: usize,
    /// SGLD burn-in steps.
    #[arg(long, default_value_t = 200)]
    pub burn_in: usize,
    /// SGLD minibatch size.
    #[arg(long, default_value_t = 64)]
    pub batch: usize,
    /// SMC particles per replicate (perfect-sampler columns).
    #[arg(long, default_value_t = 512)]
    pub particles: usize,
    /// SMC replicates.
    #[arg(long, default_value_t = 4)]
    pub replicates: usize,
    /// Half-width of WBIC's uniform prior box around w0.
    #[arg(long, default_value_t = 1.0)]
    pub radius: f64,
    /// Give the exact engine up after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    pub timeout: f64,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `rlct mc`.
#[derive(Args, Debug, Clone)]
pub struct McArgs {
    /// The input.
    #[command(flatten)]
    pub input: InputArgs,
    /// Random seed: the same seed and input give the same numbers.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Work to spend, in seconds of a release build on two cores (sets the particle
    /// count from a fixed cost model, not from the clock, so results stay deterministic).
    #[arg(long, value_name = "SECS", default_value_t = 20.0)]
    pub budget: f64,
    /// Particles per replicate (overrides --budget).
    #[arg(long, value_name = "N")]
    pub particles: Option<usize>,
    /// Independent replicates (at least 2; they give the standard error).
    #[arg(long, value_name = "R", default_value_t = 8)]
    pub replicates: usize,
    /// MCMC sweeps per rung of the ladder.
    #[arg(long, value_name = "N")]
    pub sweeps: Option<usize>,
    /// Half-width r of the box w0 + [−r, r]^d that is integrated over. Without it the box
    /// starts at r = 1 and is halved while pilot runs see the posterior mass leave the
    /// inner half of the box (zeros worse than those near w0; README).
    #[arg(long, value_name = "R")]
    pub radius: Option<f64>,
    /// Largest β of the tempering ladder.
    #[arg(long, value_name = "BETA")]
    pub beta_max: Option<f64>,
    /// Write the free-energy curve as CSV (beta,log_z,beta_mean_k,stderr,inner_mass).
    #[arg(long, value_name = "FILE")]
    pub curve: Option<PathBuf>,
    /// Also run nested sampling for V(t) = ∫_{K<t} φ (this many decades of V) and report
    /// the slope of log V against log t.
    #[arg(long, value_name = "DECADES")]
    pub nested: Option<f64>,
}

/// `rlct check`.
#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// The Monte Carlo side (and the input).
    #[command(flatten)]
    pub mc: McArgs,
    /// Give the exact engine up after this many seconds (it then reports bounds).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
}

/// `rlct verify`.
#[derive(Args, Debug, Clone)]
pub struct VerifyArgs {
    /// The certificate (JSON).
    #[arg(value_name = "CERTIFICATE.json")]
    pub file: PathBuf,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// The input flags every subcommand shares.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// K as a polynomial, e.g. "x^2*y^2 + z^2".
    #[arg(long, allow_hyphen_values = true, value_name = "EXPR")]
    pub poly: Option<String>,
    /// Generators f1,f2,… of an ideal; K = Σ f_i².
    #[arg(long, allow_hyphen_values = true, value_name = "EXPR[,EXPR…]")]
    pub ideal: Option<String>,
    /// A model file (TOML).
    #[arg(value_name = "MODEL.toml")]
    pub model: Option<PathBuf>,
    /// Fix the variable order (and add variables that do not occur): a,b,c.
    #[arg(long, value_name = "VARS")]
    pub vars: Option<String>,
    /// Prior weight monomial: x^2*y means the prior |x|^2|y| × (positive smooth).
    #[arg(long, value_name = "MONOMIAL")]
    pub weight: Option<String>,
    /// The true point: a=1,b=0 (other variables 0).
    #[arg(long, allow_hyphen_values = true, value_name = "VAR=VALUE,…")]
    pub at: Option<String>,
    /// Print one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

/// `rlct exact`.
#[derive(Args, Debug, Clone)]
pub struct ExactArgs {
    /// The input.
    #[command(flatten)]
    pub input: InputArgs,
    /// Give up after this many seconds with proved bounds.
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Most charts a resolution may examine before giving up with bounds.
    #[arg(long, value_name = "N")]
    pub max_charts: Option<usize>,
    /// Deepest chain of moves (blow-ups, coordinate changes) in a resolution (at most 200).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=200))]
    pub max_depth: Option<u16>,
    /// Write the certificate of a resolution answer to FILE (JSON, see
    /// src/certificate/FORMAT.md); re-check it with `rlct verify FILE`.
    #[arg(long, value_name = "FILE")]
    pub certificate: Option<PathBuf>,
}
