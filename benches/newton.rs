//! Criterion benchmarks of the Newton route: polyhedron, face checks and the whole
//! `solve` on reference rows. Run: `cargo bench --bench newton`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rlct::engine::NewtonAnalysis;
use rlct::{Budget, InputSpec, Problem};

fn problem(kind: &str, input: &str, weight: Option<&str>) -> Problem {
    let mut s = InputSpec {
        weight: weight.map(str::to_string),
        ..Default::default()
    };
    if kind == "ideal" {
        s.ideal = Some(input.into());
    } else {
        s.poly = Some(input.into());
    }
    Problem::parse(&s).expect("valid benchmark input")
}

const CASES: &[(&str, &str, &str, Option<&str>)] = &[
    ("newton-triangle", "poly", "x^2*y^2 + y^2*z^2 + z^2*x^2", None),
    ("trap-real-vs-complex", "poly", "(x^2 + y^2 + z^2)^2 + x^6", None),
    ("prior-lin", "poly", "x^2*y2^2 + y2^4*(y3^2 + y4^2 + y5^2)", Some("y2^4")),
    ("newton-x2y2-pow4", "poly", "(x^2 + y^2)^4", None),
    (
        "rrr-M2-N5-H1-r0",
        "ideal",
        "b1_1*a1_1, b1_1*a1_2, b2_1*a1_1, b2_1*a1_2, b3_1*a1_1, b3_1*a1_2, b4_1*a1_1, b4_1*a1_2, b5_1*a1_1, b5_1*a1_2",
        None,
    ),
    (
        "rrr-M2-N3-H2-r0 (degenerate)",
        "ideal",
        "b1_1*a1_1 + b1_2*a2_1, b1_1*a1_2 + b1_2*a2_2, b2_1*a1_1 + b2_2*a2_1, b2_1*a1_2 + b2_2*a2_2, b3_1*a1_1 + b3_2*a2_1, b3_1*a1_2 + b3_2*a2_2",
        None,
    ),
];

fn bench_newton(c: &mut Criterion) {
    let mut g = c.benchmark_group("newton_analysis");
    for (id, kind, input, weight) in CASES {
        let p = problem(kind, input, *weight);
        g.bench_function(*id, |b| {
            b.iter(|| NewtonAnalysis::new(black_box(&p.target), black_box(&p.weight)))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("solve");
    for (id, kind, input, weight) in CASES {
        let p = problem(kind, input, *weight);
        g.bench_function(*id, |b| {
            b.iter(|| rlct::solve(black_box(&p), &Budget::default()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_newton);
criterion_main!(benches);
