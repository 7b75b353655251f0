//! Reports: what the commands print, as text for people and as JSON for programs.
//!
//! # Wire format
//! [`ExactReport`] is the JSON object of `rlct exact --json` (INTERFACE.md):
//!
//! ```json
//! {"lambda": "3/2", "multiplicity": 1, "status": "exact", "lower": "3/2", "upper": "3/2",
//!  "reason": null, "method": "newton", "variables": ["x", "y", "z"], "charts": 0,
//!  "seconds": 0.004, "weight": [0, 0, 0], "derivation": ["…"],
//!  "poles": [{"lambda": "3/2", "order": 1}]}
//! ```
//!
//! `lambda` and `multiplicity` are `null` unless `status` is `"exact"`; `lower` and
//! `upper` are always proved bounds; fractions are strings `"p/q"` or `"p"`.
//! `weight` (the prior exponent h), `derivation` (the steps, as text) and `poles` (the
//! candidate poles with their orders, from the resolution's leaves) extend the contract.

mod explain;
mod newton;

pub use explain::explain;
pub use newton::NewtonReport;

use crate::engine::{Answer, Solution};
use crate::poly::format_rational;
use crate::problem::Problem;
use serde::Serialize;
use std::fmt::Write as _;

/// The result of `rlct exact`, ready to print.
#[derive(Clone, Debug, Serialize)]
pub struct ExactReport {
    /// λ as `"p/q"`; `None` unless exact.
    pub lambda: Option<String>,
    /// m; `None` unless exact.
    pub multiplicity: Option<u32>,
    /// `"exact"` or `"bounds"`.
    pub status: &'static str,
    /// Proved lower bound.
    pub lower: String,
    /// Proved upper bound.
    pub upper: String,
    /// Why only bounds.
    pub reason: Option<String>,
    /// The route.
    pub method: String,
    /// Variable names, in order.
    pub variables: Vec<String>,
    /// Charts of the resolution tree.
    pub charts: usize,
    /// Wall time.
    pub seconds: f64,
    /// The prior exponent h.
    pub weight: Vec<u32>,
    /// The derivation, one step a line.
    pub derivation: Vec<String>,
    /// Candidate poles: for a resolution, every distinct leaf value λ_j with the largest
    /// order seen for it, ascending (the first is (λ, m)); for another exact route, just
    /// (λ, m); empty for bounds.
    pub poles: Vec<PoleReport>,
    /// The model's name, for `rlct exact MODEL.toml`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The model's `[reference]`, compared with the answer (never used to compute it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<ReferenceReport>,
    /// Whether the answer agrees with the reference: an exact answer equals it, bounds
    /// contain it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agrees: Option<bool>,
}

/// A model's literature value, as reported.
#[derive(Clone, Debug, Serialize)]
pub struct ReferenceReport {
    /// λ as `"p/q"`.
    pub lambda: String,
    /// m, when the source gives it.
    pub multiplicity: Option<u32>,
    /// The source.
    pub source: String,
}

/// One candidate pole −λ_j of the zeta function, with its order.
#[derive(Clone, Debug, Serialize)]
pub struct PoleReport {
    /// λ_j as `"p/q"`.
    pub lambda: String,
    /// Its order.
    pub order: u32,
}

/// The answer's `lambda`, `multiplicity`, `status` and `reason` fields as INTERFACE.md
/// writes them (λ and m only for an exact answer, the reason only for bounds).
pub fn answer_fields(
    answer: &Answer,
) -> (Option<String>, Option<u32>, &'static str, Option<String>) {
    match answer {
        Answer::Exact(r) => (
            Some(format_rational(&r.lambda)),
            Some(r.multiplicity),
            "exact",
            None,
        ),
        Answer::Bounds { reason, .. } => (None, None, "bounds", Some(reason.clone())),
    }
}

impl ExactReport {
    /// Assemble from a problem and the engine's solution.
    pub fn new(problem: &Problem, solution: &Solution, seconds: f64) -> Self {
        let (lambda, multiplicity, status, reason) = answer_fields(&solution.answer);
        ExactReport {
            lambda,
            multiplicity,
            status,
            lower: format_rational(solution.answer.lower()),
            upper: format_rational(solution.answer.upper()),
            reason,
            method: solution.method.to_string(),
            variables: problem.ring.names().to_vec(),
            charts: solution.charts,
            seconds,
            weight: problem.weight.clone(),
            derivation: solution.steps.clone(),
            poles: match (&solution.resolution, &solution.answer) {
                (Some(r), Answer::Exact(_)) => r
                    .resolution
                    .poles
                    .iter()
                    .map(|(l, m)| PoleReport {
                        lambda: format_rational(l),
                        order: *m,
                    })
                    .collect(),
                (None, Answer::Exact(r)) => vec![PoleReport {
                    lambda: format_rational(&r.lambda),
                    order: r.multiplicity,
                }],
                _ => Vec::new(),
            },
            model: None,
            reference: None,
            agrees: None,
        }
    }

    /// Add a model's name and its reference, compared with `answer`.
    pub fn attach_model(&mut self, model: &crate::models::Model, answer: &Answer) {
        self.model = Some(model.name.clone());
        if let Some(r) = &model.reference {
            self.agrees = Some(r.agrees(answer));
            self.reference = Some(ReferenceReport {
                lambda: format_rational(&r.lambda),
                multiplicity: r.multiplicity,
                source: r.source.clone(),
            });
        }
    }

    /// The human-readable form.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        match (&self.lambda, self.multiplicity) {
            (Some(l), Some(m)) => {
                let _ = writeln!(s, "λ = {l}    m = {m}    (exact, by {})", self.method);
            }
            _ => {
                let _ = writeln!(s, "{} ≤ λ ≤ {}    (bounds only)", self.lower, self.upper);
                if let Some(r) = &self.reason {
                    let _ = writeln!(s, "reason: {r}");
                }
            }
        }
        if let Some(m) = &self.model {
            let _ = writeln!(s, "model: {m}");
        }
        if let (Some(r), Some(a)) = (&self.reference, self.agrees) {
            let m = r
                .multiplicity
                .map_or(String::new(), |m| format!(", m = {m}"));
            let verdict = if a { "agrees" } else { "DISAGREES" };
            let _ = writeln!(
                s,
                "reference: λ = {}{m} ({}) — {verdict}",
                r.lambda, r.source
            );
        }
        let _ = writeln!(s, "variables: {}", self.variables.join(", "));
        if self.weight.iter().any(|&h| h > 0) {
            let _ = writeln!(s, "prior weight h: {:?}", self.weight);
        }
        if !self.derivation.is_empty() {
            let _ = writeln!(s, "derivation:");
            for step in &self.derivation {
                let _ = writeln!(s, "  {step}");
            }
        }
        s
    }
}
