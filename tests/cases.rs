//! Every row of tests/data/cases.tsv (a copy of the shared reference file) is a test:
//! an `exact` answer must equal the literature value, `bounds` must contain it, and the
//! rows the current routes can prove must be exact.

mod common;
use common::*;
use rlct::poly::format_rational;
use rlct::Answer;

/// Rows that the exact routes (monomial, sum, product, Newton) must prove.
const MUST_BE_EXACT: &[&str] = &[
    "mono-w2",
    "mono-w4",
    "nc-x2y2",
    "nc-x2y4",
    "nc-x4y4",
    "nc-x2y2z2",
    "reg-2",
    "reg-3",
    "sum-x2y4",
    "sum-x4y6",
    "sum-x2y2z2",
    "sum-x4y2z2",
    "newton-x2y2-pow4",
    "newton-x2y2+x4",
    "newton-triangle",
    "trap-real-vs-complex",
    "prior-w",
    "prior-x",
    "prior-xy",
    "prior-y2",
    "prior-polar",
    "prior-lin",
    "prior-jeffreys-tanh1",
    "rrr-M1-N1-H1-r0",
    "rrr-M2-N2-H1-r0",
    "rrr-M2-N5-H1-r0",
    "tanh-H1",
    "dln-1-1-1-1",
];

#[test]
fn every_reference_row() {
    let cases = cases();
    assert!(
        cases.len() >= 40,
        "the reference file has {} rows",
        cases.len()
    );
    let mut failures = Vec::new();
    let mut exact = 0;
    for c in &cases {
        let sol = solve_case(c);
        match &sol.answer {
            Answer::Exact(r) => {
                exact += 1;
                if r.lambda != c.lambda || r.multiplicity != c.m {
                    failures.push(format!(
                        "{}: WRONG EXACT {} m={} (reference {} m={})",
                        c.id,
                        format_rational(&r.lambda),
                        r.multiplicity,
                        format_rational(&c.lambda),
                        c.m
                    ));
                }
            }
            Answer::Bounds {
                lower,
                upper,
                reason,
            } => {
                if !(*lower <= c.lambda && c.lambda <= *upper) {
                    failures.push(format!(
                        "{}: bounds [{}, {}] exclude the reference {} ({reason})",
                        c.id,
                        format_rational(lower),
                        format_rational(upper),
                        format_rational(&c.lambda)
                    ));
                }
                if MUST_BE_EXACT.contains(&c.id.as_str()) {
                    failures.push(format!("{}: expected exact, got bounds ({reason})", c.id));
                }
            }
        }
    }
    eprintln!("{exact} of {} reference rows exact", cases.len());
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
}

#[test]
fn issue_2_done_when() {
    let sol = solve_spec(&spec("poly", "x^2*y^2", None));
    assert_eq!(summary(&sol.answer), "exact 1/2 m=2");
    let sol = solve_spec(&spec("poly", "x^2+y^2+z^2", None));
    assert_eq!(summary(&sol.answer), "exact 3/2 m=1");
}

/// DESIGN §1 anchors and §3 traps that the current routes must not get wrong.
#[test]
fn traps_are_not_exact_when_wrong() {
    // Degenerate: Newton would say 3/4, the truth is 1/2.
    for (kind, input, truth) in [
        ("poly", "(y - x^2)^2", "1/2"),
        ("poly", "(x^2 + y^2 - z^2)^2", "1/2"),
        ("poly", "(x - y)^2", "1/2"),
        ("poly", "(9*x + 38*y^2*z)^2", "1/2"),
        ("ideal", "a1*b1 + a2*b2, a1*b1^3 + a2*b2^3", "2/3"),
        ("poly", "(x^2 - y^2)^2", "1/2"),
    ] {
        let sol = solve_spec(&spec(kind, input, None));
        let truth = parse_rational(truth);
        match &sol.answer {
            Answer::Exact(r) => assert_eq!(r.lambda, truth, "{input}"),
            Answer::Bounds { lower, upper, .. } => {
                assert!(
                    *lower <= truth && truth <= *upper,
                    "{input}: {}",
                    summary(&sol.answer)
                )
            }
        }
    }
}
