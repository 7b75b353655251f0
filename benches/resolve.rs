//! Criterion benchmarks of resolution of singularities on degenerate inputs.
//! Run: `cargo bench --bench resolve`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rlct::{Budget, InputSpec, Problem};

fn rrr(m: usize, n: usize, h: usize) -> String {
    let mut gens = Vec::new();
    for i in 1..=n {
        for j in 1..=m {
            let g: Vec<String> = (1..=h).map(|k| format!("b{i}_{k}*a{k}_{j}")).collect();
            gens.push(g.join(" + "));
        }
    }
    gens.join(", ")
}

fn bench_resolve(c: &mut Criterion) {
    let cases: Vec<(&str, String)> = vec![
        ("cusp (x^2 - y^3)", "x^2 - y^3".into()),
        ("cone x^2 + y^2 - z^2", "x^2 + y^2 - z^2".into()),
        ("tanh H=2", "a1*b1 + a2*b2, a1*b1^3 + a2*b2^3".into()),
        ("vandermonde H=2", "a1*b1 + a2*b2, a1*b1^2 + a2*b2^2".into()),
        (
            "tanh H=3",
            "a1*b1 + a2*b2 + a3*b3, a1*b1^3 + a2*b2^3 + a3*b3^3, a1*b1^5 + a2*b2^5 + a3*b3^5"
                .into(),
        ),
        (
            "vandermonde H=3",
            "a1*b1 + a2*b2 + a3*b3, a1*b1^2 + a2*b2^2 + a3*b3^2, a1*b1^3 + a2*b2^3 + a3*b3^3"
                .into(),
        ),
        ("rrr M=N=H=2 (8 vars)", rrr(2, 2, 2)),
        ("rrr M=2 N=3 H=2 (10 vars)", rrr(2, 3, 2)),
        ("rrr M=N=3 H=2 (12 vars)", rrr(3, 3, 2)),
    ];
    let mut g = c.benchmark_group("solve_by_resolution");
    for (id, ideal) in cases {
        let spec = InputSpec {
            ideal: Some(ideal),
            ..Default::default()
        };
        let p = Problem::parse(&spec).expect("valid benchmark input");
        g.bench_function(id, |b| {
            b.iter(|| rlct::solve(black_box(&p), &Budget::default()))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_resolve);
criterion_main!(benches);
