//! Helpers shared by the integration tests.
#![allow(dead_code)]

use rlct::poly::{format_rational, Rational};
use rlct::{Answer, Budget, InputSpec, Problem, Solution};

/// One row of tests/data/cases.tsv.
#[derive(Clone, Debug)]
pub struct Case {
    pub id: String,
    pub kind: String,
    pub input: String,
    pub weight: Option<String>,
    pub lambda: Rational,
    pub m: u32,
    pub source: String,
}

pub fn parse_rational(s: &str) -> Rational {
    let (n, d) = s.split_once('/').unwrap_or((s, "1"));
    Rational::new(
        n.trim().parse().expect("numerator"),
        d.trim().parse().expect("denominator"),
    )
}

pub fn cases() -> Vec<Case> {
    let text = include_str!("../data/cases.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 7, "malformed row: {l}");
            Case {
                id: f[0].into(),
                kind: f[1].into(),
                input: f[2].into(),
                weight: (f[3] != "-").then(|| f[3].to_string()),
                lambda: parse_rational(f[4]),
                m: f[5].parse().expect("m"),
                source: f[6].into(),
            }
        })
        .collect()
}

pub fn spec(kind: &str, input: &str, weight: Option<&str>) -> InputSpec {
    let mut s = InputSpec {
        weight: weight.map(str::to_string),
        ..Default::default()
    };
    if kind == "ideal" {
        s.ideal = Some(input.into());
    } else {
        s.poly = Some(input.into());
    }
    s
}

pub fn solve_spec(s: &InputSpec) -> Solution {
    let p = Problem::parse(s).unwrap_or_else(|e| panic!("parse {s:?}: {e}"));
    rlct::solve(&p, &Budget::default()).unwrap_or_else(|e| panic!("solve {s:?}: {e}"))
}

pub fn solve_case(c: &Case) -> Solution {
    solve_spec(&spec(&c.kind, &c.input, c.weight.as_deref()))
}

/// A comparable summary of an answer.
pub fn summary(a: &Answer) -> String {
    match a {
        Answer::Exact(r) => format!("exact {} m={}", format_rational(&r.lambda), r.multiplicity),
        Answer::Bounds { lower, upper, .. } => {
            format!(
                "bounds [{}, {}]",
                format_rational(lower),
                format_rational(upper)
            )
        }
    }
}

/// Solve with a certificate and re-check it with the independent checker: for an exact
/// answer the certificate must exist (when the resolver finishes) and verify to the same
/// (λ, m). Returns the solution.
pub fn solve_certified(p: &Problem) -> Solution {
    solve_certified_within(p, &Budget::default())
}

/// [`solve_certified`] under a budget.
pub fn solve_certified_within(p: &Problem, budget: &Budget) -> Solution {
    let sol =
        rlct::engine::solve_with_certificate(p, budget).unwrap_or_else(|e| panic!("solve: {e}"));
    if let (Answer::Exact(r), Some(record)) = (&sol.answer, &sol.resolution) {
        let cert = rlct::certificate::certificate(record).to_string();
        match rlct::verify::verify_str(&cert) {
            Ok(v) => assert_eq!(
                (&v.lambda, v.multiplicity),
                (&r.lambda, r.multiplicity),
                "certificate disagrees"
            ),
            Err(e) => panic!("certificate rejected: {e}"),
        }
    }
    sol
}

/// Run the `rlct` binary from the package root.
pub fn rlct(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_rlct"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run rlct")
}

/// Run `rlct`, require success and parse its one JSON object.
pub fn json(args: &[&str]) -> serde_json::Value {
    let out = rlct(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// Aoyagi & Watanabe (2005): (λ, m) of reduced-rank regression with M inputs, N outputs,
/// H hidden units and true rank r (an oracle for tests: the library's reporting module,
/// which the engine never sees).
pub fn rrr_formula(m: i64, n: i64, h: i64, r: i64) -> (Rational, u32) {
    let u = |x: i64| usize::try_from(x).expect("a nonnegative size");
    let r = rlct::models::literature::reduced_rank(u(m), u(n), u(h), u(r));
    (r.lambda, r.multiplicity)
}
