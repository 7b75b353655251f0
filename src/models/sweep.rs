//! Ground-truth tables over family grids (`rlct sweep`): one JSON line per model, computed
//! in parallel, resumable.
//!
//! # Wire format
//! Each line of the output is one JSON object:
//!
//! ```json
//! {"family": "reduced-rank", "key": "M=2,N=2,H=1,r=0",
//!  "params": {"M": 2, "N": 2, "H": 1, "r": 0}, "model": "reduced-rank-M2-N2-H1-r0",
//!  "lambda": "1", "multiplicity": 2, "status": "exact", "lower": "1", "upper": "1",
//!  "reason": null, "method": "resolution", "charts": 7, "seconds": 0.01,
//!  "certificate_digest": "sha256:…", "certificate_verified": true,
//!  "reference": {"lambda": "1", "multiplicity": 2, "source": "Aoyagi & Watanabe 2005, …"},
//!  "agrees": true}
//! ```
//!
//! `certificate_digest` is the SHA-256 of the certificate JSON (src/certificate/FORMAT.md)
//! when a resolution finished, else `null`; `certificate_verified` says whether the
//! independent checker re-derived the same (λ, m) from it.
//!
//! `reference` is the closed form from the literature where one is known
//! ([`super::literature`]: reduced-rank regression, tanh networks with true function 0),
//! else `null`; it is attached after the engine has answered and never informs the
//! answer. `agrees` is whether an exact (λ, m) equals it, or for a `bounds` line whether
//! its λ lies in [lower, upper]; `null` without a reference. A rerun recomputes both for
//! every line of the grid, so an older table gains them.
//!
//! **Resuming.** Lines already in the output (same `family` and `key`) are skipped; a
//! partial last line left by an interrupted run is dropped. Lines are appended one at a
//! time, so an interrupted run leaves a valid file; a finished run rewrites the file in
//! grid order (through a temporary file and a rename).

use super::literature::{self, Reference};
use super::{families, solve_model, Model};
use crate::engine::{Answer, Budget};
use crate::error::{Error, Result};
use crate::poly::format_rational;
use rayon::prelude::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::ops::RangeInclusive;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The families a sweep can walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Reduced-rank regression: M inputs, N outputs, H hidden, true rank r.
    ReducedRank,
    /// Deep linear networks [M, H, …, H, N] with L layers, true rank r.
    DeepLinear,
    /// One-hidden-layer tanh networks: H units, H0 true units.
    Tanh,
}

impl Family {
    /// The name used on the command line and in the table.
    pub fn name(self) -> &'static str {
        match self {
            Family::ReducedRank => "reduced-rank",
            Family::DeepLinear => "deep-linear",
            Family::Tanh => "tanh",
        }
    }
}

/// The ranges of a grid (inclusive); unused ones are ignored by a family.
#[derive(Clone, Debug)]
pub struct Grid {
    /// M.
    pub inputs: RangeInclusive<usize>,
    /// N.
    pub outputs: RangeInclusive<usize>,
    /// H (every hidden layer's width).
    pub hidden: RangeInclusive<usize>,
    /// Number of layers L (deep linear).
    pub depth: RangeInclusive<usize>,
    /// True rank r (linear families).
    pub rank: RangeInclusive<usize>,
    /// True units H0 (tanh).
    pub true_units: RangeInclusive<usize>,
}

/// One model of a grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GridPoint {
    /// Its family.
    pub family: Family,
    /// Named parameters, in order.
    pub params: Vec<(&'static str, usize)>,
}

impl GridPoint {
    /// `M=2,N=2,H=1,r=0`.
    pub fn key(&self) -> String {
        self.params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    fn get(&self, name: &str) -> usize {
        self.params
            .iter()
            .find(|(k, _)| *k == name)
            .map_or(0, |(_, v)| *v)
    }

    /// Build the model.
    ///
    /// # Errors
    /// Invalid parameters (the grid never produces them).
    pub fn build(&self) -> std::result::Result<Model, String> {
        match self.family {
            Family::ReducedRank => {
                families::reduced_rank(self.get("M"), self.get("N"), self.get("H"), self.get("r"))
            }
            Family::DeepLinear => {
                let l = self.get("L");
                let mut widths = vec![self.get("M")];
                widths.extend(std::iter::repeat_n(self.get("H"), l.saturating_sub(1)));
                widths.push(self.get("N"));
                families::deep_linear(&widths, self.get("r"))
            }
            Family::Tanh => families::tanh_one_hidden(self.get("H"), self.get("H0")),
        }
    }
}

/// The points of a family's grid, in order; combinations that make no model (a true rank
/// above a width, more true units than units) are left out.
pub fn grid_points(family: Family, g: &Grid) -> Vec<GridPoint> {
    let mut out = Vec::new();
    match family {
        Family::ReducedRank | Family::DeepLinear => {
            let depths: Vec<usize> = if family == Family::DeepLinear {
                g.depth.clone().filter(|&l| l >= 1).collect()
            } else {
                vec![2]
            };
            for m in g.inputs.clone().filter(|&x| x > 0) {
                for n in g.outputs.clone().filter(|&x| x > 0) {
                    for h in g.hidden.clone().filter(|&x| x > 0) {
                        for &l in &depths {
                            let widest = if l >= 2 { m.min(n).min(h) } else { m.min(n) };
                            for r in g.rank.clone().filter(|&r| r <= widest) {
                                let mut params = vec![("M", m), ("N", n), ("H", h)];
                                if family == Family::DeepLinear {
                                    params.push(("L", l));
                                }
                                params.push(("r", r));
                                out.push(GridPoint { family, params });
                            }
                        }
                    }
                }
            }
        }
        Family::Tanh => {
            for h in g.hidden.clone().filter(|&x| x > 0) {
                for h0 in g.true_units.clone().filter(|&x| x <= h) {
                    out.push(GridPoint {
                        family,
                        params: vec![("H", h), ("H0", h0)],
                    });
                }
            }
        }
    }
    out
}

/// Limits and display for a sweep.
#[derive(Clone, Debug, Default)]
pub struct SweepOptions {
    /// Seconds per model.
    pub timeout: Option<f64>,
    /// Charts per resolution.
    pub max_charts: Option<usize>,
    /// Worker threads (default: rayon's choice).
    pub jobs: Option<usize>,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

/// What a sweep did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepSummary {
    /// Grid points.
    pub total: usize,
    /// Already in the file.
    pub skipped: usize,
    /// Computed now.
    pub computed: usize,
    /// Of those, exact.
    pub exact: usize,
}

/// Solve one grid point and make its line.
///
/// # Errors
/// An engine failure.
pub fn sweep_line(point: &GridPoint, options: &SweepOptions) -> Result<Value> {
    let model = point.build().map_err(Error::Input)?;
    let start = Instant::now();
    let budget = Budget {
        deadline: options
            .timeout
            .and_then(|t| Duration::try_from_secs_f64(t).ok())
            .and_then(|d| start.checked_add(d)),
        max_charts: options.max_charts,
        max_depth: None,
        progress: false,
        keep_coordinates: false,
    };
    let sol = solve_model(&model, &budget, true)?;
    let seconds = start.elapsed().as_secs_f64();
    let (digest, verified) = match &sol.resolution {
        Some(record) => {
            let text = crate::certificate::certificate(record).to_string();
            let digest: String = Sha256::digest(text.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let verified = match (crate::verify::verify_str(&text), &sol.answer) {
                (Ok(v), Answer::Exact(r)) => {
                    v.lambda == r.lambda && v.multiplicity == r.multiplicity
                }
                _ => false,
            };
            (Some(format!("sha256:{digest}")), Some(verified))
        }
        None => (None, None),
    };
    let params: serde_json::Map<String, Value> = point
        .params
        .iter()
        .map(|(k, v)| ((*k).to_string(), json!(v)))
        .collect();
    let (lambda, multiplicity, status, reason) = crate::report::answer_fields(&sol.answer);
    let mut line = json!({
        "family": point.family.name(),
        "key": point.key(),
        "params": params,
        "model": model.name,
        "lambda": lambda,
        "multiplicity": multiplicity,
        "status": status,
        "lower": format_rational(sol.answer.lower()),
        "upper": format_rational(sol.answer.upper()),
        "reason": reason,
        "method": sol.method.to_string(),
        "charts": sol.charts,
        "seconds": seconds,
        "certificate_digest": digest,
        "certificate_verified": verified,
    });
    annotate(&mut line, point);
    Ok(line)
}

/// The literature value for a grid point, where one is known.
pub fn reference(point: &GridPoint) -> Option<Reference> {
    match point.family {
        Family::ReducedRank => Some(literature::reduced_rank(
            point.get("M"),
            point.get("N"),
            point.get("H"),
            point.get("r"),
        )),
        Family::Tanh if point.get("H0") == 0 => Some(literature::tanh_true_zero(point.get("H"))),
        Family::Tanh | Family::DeepLinear => None,
    }
}

/// Set a line's `reference` and `agrees` (see the module doc).
fn annotate(line: &mut Value, point: &GridPoint) {
    let Some(r) = reference(point) else {
        line["reference"] = Value::Null;
        line["agrees"] = Value::Null;
        return;
    };
    let lambda = format_rational(&r.lambda);
    let agrees = if line["status"] == "exact" {
        line["lambda"] == json!(lambda) && line["multiplicity"] == json!(r.multiplicity)
    } else {
        let parse = |k: &str| {
            line[k]
                .as_str()
                .and_then(|s| super::schema::parse_rational(s).ok())
        };
        match (parse("lower"), parse("upper")) {
            (Some(lo), Some(hi)) => lo <= r.lambda && r.lambda <= hi,
            _ => false,
        }
    };
    line["reference"] = json!({
        "lambda": lambda,
        "multiplicity": r.multiplicity,
        "source": r.source,
    });
    line["agrees"] = json!(agrees);
}

fn io_err(path: &Path, e: std::io::Error) -> Error {
    Error::Input(format!("{}: {e}", path.display()))
}

/// The (family, key) of a table line.
fn line_id(v: &Value) -> Option<(String, String)> {
    Some((
        v.get("family")?.as_str()?.to_string(),
        v.get("key")?.as_str()?.to_string(),
    ))
}

/// Run a sweep into `out` (JSON lines), skipping points already there.
///
/// # Errors
/// The output cannot be read or written, or the engine fails on a model.
pub fn run(points: &[GridPoint], out: &Path, options: &SweepOptions) -> Result<SweepSummary> {
    // Keep the valid lines of an earlier run; drop a partial last line.
    let mut kept: Vec<Value> = Vec::new();
    if out.exists() {
        let text = std::fs::read_to_string(out).map_err(|e| io_err(out, e))?;
        kept = text
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|v| line_id(v).is_some())
            .collect();
        let mut clean = String::new();
        for v in &kept {
            clean.push_str(&v.to_string());
            clean.push('\n');
        }
        if clean != text {
            std::fs::write(out, clean).map_err(|e| io_err(out, e))?;
        }
    }
    let done: HashSet<(String, String)> = kept.iter().filter_map(line_id).collect();
    let todo: Vec<&GridPoint> = points
        .iter()
        .filter(|p| !done.contains(&(p.family.name().to_string(), p.key())))
        .collect();
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(out)
        .map_err(|e| io_err(out, e))?;
    let file = Mutex::new(file);
    let bar = if options.progress {
        indicatif::ProgressBar::new(todo.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let exact = std::sync::atomic::AtomicUsize::new(0);
    let work = || -> Result<()> {
        todo.par_iter().try_for_each(|p| {
            bar.set_message(p.key());
            let line = sweep_line(p, options)?;
            if line["status"] == "exact" {
                exact.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            // One write per line, under the lock: lines never interleave.
            let mut f = file
                .lock()
                .map_err(|_| Error::Internal("sweep output lock poisoned".into()))?;
            f.write_all(format!("{line}\n").as_bytes())
                .and_then(|()| f.flush())
                .map_err(|e| io_err(out, e))?;
            bar.inc(1);
            Ok(())
        })
    };
    match options.jobs {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .map_err(|e| Error::Internal(format!("thread pool: {e}")))?
            .install(work)?,
        None => work()?,
    }
    bar.finish_and_clear();
    drop(file);
    sort_in_grid_order(points, out)?;
    Ok(SweepSummary {
        total: points.len(),
        skipped: points.len() - todo.len(),
        computed: todo.len(),
        exact: exact.into_inner(),
    })
}

/// Rewrite the table with the grid's lines first, in grid order, then any others.
fn sort_in_grid_order(points: &[GridPoint], out: &Path) -> Result<()> {
    let text = std::fs::read_to_string(out).map_err(|e| io_err(out, e))?;
    let order: BTreeMap<(String, String), usize> = points
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.family.name().to_string(), p.key()), i))
        .collect();
    let mut lines: Vec<(usize, usize, String)> = text
        .lines()
        .enumerate()
        .filter_map(|(j, l)| {
            let mut v: Value = serde_json::from_str(l).ok()?;
            let id = line_id(&v)?;
            let i = order.get(&id).copied().unwrap_or(usize::MAX);
            // Lines of this grid get their reference (anew: older tables lack it).
            match points.get(i) {
                Some(p) => {
                    annotate(&mut v, p);
                    Some((i, j, v.to_string()))
                }
                None => Some((i, j, l.to_string())),
            }
        })
        .collect();
    lines.sort();
    let tmp = out.with_extension("jsonl.tmp");
    let body: String = lines.iter().map(|(_, _, l)| format!("{l}\n")).collect();
    std::fs::write(&tmp, body).map_err(|e| io_err(&tmp, e))?;
    std::fs::rename(&tmp, out).map_err(|e| io_err(out, e))
}

/// Parse `A..B` (inclusive) or `A`.
///
/// # Errors
/// Not of that form, or A > B.
pub fn parse_range(s: &str) -> std::result::Result<RangeInclusive<usize>, String> {
    let bad = || format!("'{s}' is not a range such as 1..4 or 3");
    let (a, b) = match s.split_once("..") {
        Some((a, b)) => (a.trim(), b.trim().trim_start_matches('=')),
        None => (s.trim(), s.trim()),
    };
    let a: usize = a.parse().map_err(|_| bad())?;
    let b: usize = b.parse().map_err(|_| bad())?;
    if a > b || b > 64 {
        return Err(format!("'{s}': need A ≤ B ≤ 64"));
    }
    Ok(a..=b)
}
