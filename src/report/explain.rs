//! `rlct explain`: the answer as a worked example — the routes tried, and for a
//! resolution every chart with its substitution, its normal-crossing form and its pole,
//! in the manner of the worked examples of Watanabe (2009), ch. 3.

use crate::engine::{Answer, Solution};
use crate::poly::{format_rational, Poly, Ring};
use crate::problem::{Problem, Target};
use crate::resolve::{Body, ChartNode, Range, Step};
use std::fmt::Write as _;

/// The explanation of a solution, as text.
pub fn explain(problem: &Problem, solution: &Solution) -> String {
    let ring = &problem.ring;
    let mut s = String::new();
    let _ = match &problem.target {
        Target::Poly(k) => writeln!(s, "K = {}", ring.show(k)),
        Target::Ideal(i) => writeln!(
            s,
            "K = Σ f_i² for the ideal ⟨{}⟩",
            i.generators()
                .iter()
                .map(|g| ring.show(g))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let _ = writeln!(s, "variables: {}", ring.names().join(", "));
    if problem.weight.iter().any(|&h| h > 0) {
        let _ = writeln!(
            s,
            "prior: |{}| × (positive smooth)",
            ring.show_monomial(&problem.weight)
        );
    } else {
        let _ = writeln!(s, "prior: uniform (positive smooth) near the true point");
    }
    let _ = writeln!(s, "\nDerivation:");
    for step in &solution.steps {
        let _ = writeln!(s, "  {step}");
    }
    if let Some(record) = &solution.resolution {
        let r = &record.resolution;
        let cring = Ring::new(record.names.clone());
        let _ = writeln!(
            s,
            "\nResolution ({} chart(s)). Each chart y ↦ w is a composition of the steps shown; a leaf is in\nnormal crossing near its set C, where it gives the pole −λ_leaf of order m_leaf:",
            r.charts
        );
        if !record.root_change.is_empty() {
            let _ = writeln!(
                s,
                "  (the tree starts in the coordinates after the change of coordinates above)"
            );
        }
        chart_lines(&r.root, &cring, r.power, 0, &mut s);
        let _ = writeln!(
            s,
            "\nThe largest pole of ζ(z) = ∫ K^z φ dw is the smallest leaf value: λ = {}, of order m = {} (the largest\nmultiplicity among the leaves attaining it; Watanabe 2009, Thm 6.1 / DESIGN §2.1).",
            format_rational(&r.lambda),
            r.multiplicity
        );
    }
    let _ = match &solution.answer {
        Answer::Exact(rl) => writeln!(s, "\nAnswer: {rl} (exact, by {}).", solution.method),
        Answer::Bounds {
            lower,
            upper,
            reason,
        } => writeln!(
            s,
            "\nAnswer: {} ≤ λ ≤ {} (bounds only: {reason}).",
            format_rational(lower),
            format_rational(upper)
        ),
    };
    s
}

fn chart_lines(node: &ChartNode, ring: &Ring, power: u32, depth: usize, s: &mut String) {
    let pad = "  ".repeat(depth + 1);
    let names = ring.names();
    let step = match &node.step {
        Step::Root => "the original coordinates".to_string(),
        Step::Blowup { centre, chart } => {
            let centre_names: Vec<&str> = centre.iter().map(|&j| names[j].as_str()).collect();
            format!(
                "blow-up of {{{} = 0}}, chart {}",
                centre_names.join(" = "),
                names[*chart]
            )
        }
        Step::Translate { coord, to } => {
            format!("recentre {} at {}", names[*coord], format_rational(to))
        }
        Step::Coordinate { coord } => format!("make a generator the coordinate {}", names[*coord]),
        Step::Forward(f) => {
            let changed: Vec<String> = f
                .image
                .iter()
                .enumerate()
                .filter(|(k, p)| **p != Poly::var(p.nvars(), *k))
                .map(|(k, p)| format!("{} ↦ {}", names[k], ring.show(p)))
                .collect();
            format!("forward change of coordinates {}", changed.join(", "))
        }
        Step::Shift { coord } => format!(
            "shift the bounded coordinate {} so that a generator becomes it (its zero set on the box becomes a hyperplane)",
            names[*coord]
        ),
    };
    let subst = node.substitution.as_ref().map(|sub| {
        sub.iter()
            .enumerate()
            .filter(|(k, p)| **p != Poly::var(p.nvars(), *k))
            .map(|(k, p)| format!("{} = {}", names[k], ring.show(p)))
            .collect::<Vec<_>>()
            .join(", ")
    });
    let _ = write!(s, "{pad}• {step}");
    if let Some(sub) = subst.filter(|x| !x.is_empty()) {
        let _ = write!(s, ": {sub}");
    }
    let boxes: Vec<String> = node
        .chart
        .ranges
        .iter()
        .enumerate()
        .filter_map(|(j, r)| match r {
            Range::Small => None,
            Range::Interval(lo, hi) => Some(format!(
                "{} ∈ [{}, {}]",
                names[j],
                format_rational(lo),
                format_rational(hi)
            )),
        })
        .collect();
    if !boxes.is_empty() {
        let _ = write!(s, "   ({})", boxes.join(", "));
    }
    let _ = writeln!(s);
    match &node.body {
        Body::Split(kids) => {
            for k in kids {
                chart_lines(k, ring, power, depth + 1, s);
            }
        }
        Body::Leaf { analysis, pole } => {
            let c = &node.chart;
            let gens: Vec<String> = c.gens.iter().map(|g| ring.show(g)).collect();
            let k_form = if power == 1 {
                format!(
                    "K = {} · ({})",
                    ring.show_monomial(&c.alpha),
                    gens.join(", ")
                )
            } else {
                format!(
                    "ideal = {} · ⟨{}⟩",
                    ring.show_monomial(&c.alpha),
                    gens.join(", ")
                )
            };
            let _ = writeln!(
                s,
                "{pad}  {k_form};  prior × Jacobian = |{}| × unit",
                ring.show_monomial(&c.jac)
            );
            for t in &analysis.transverse {
                let _ = writeln!(
                    s,
                    "{pad}  the factor {} vanishes transversally on C: it is a new coordinate w' there",
                    ring.show(&t.factor)
                );
            }
            let _ = match pole {
                Some((l, m)) => writeln!(s, "{pad}  leaf: λ = {}, m = {m}", format_rational(l)),
                None => writeln!(s, "{pad}  leaf: K is a unit here (no pole)"),
            };
        }
    }
    for k in &node.except {
        chart_lines(k, ring, power, depth + 1, s);
    }
}
