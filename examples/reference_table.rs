//! Run the exact engine on every row of a reference table (default
//! tests/data/cases.tsv) and print the answer next to the literature value.
//!
//! `cargo run --release --example reference_table [-- FILE]`

use rlct::poly::format_rational;
use rlct::{Answer, Budget, InputSpec, Problem};

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/data/cases.tsv".into());
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            std::process::exit(2);
        }
    };
    println!(
        "{:<28} {:<10} {:<16} {:<8}",
        "id", "reference", "rlct", "route"
    );
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 6 {
            continue;
        }
        let mut spec = InputSpec {
            weight: (f[3] != "-").then(|| f[3].to_string()),
            ..Default::default()
        };
        if f[1] == "ideal" {
            spec.ideal = Some(f[2].into());
        } else {
            spec.poly = Some(f[2].into());
        }
        let answer = Problem::parse(&spec)
            .and_then(|p| rlct::solve(&p, &Budget::default()))
            .map(|s| {
                let a = match &s.answer {
                    Answer::Exact(r) => {
                        format!("{}, m={}", format_rational(&r.lambda), r.multiplicity)
                    }
                    Answer::Bounds { lower, upper, .. } => {
                        format!("[{}, {}]", format_rational(lower), format_rational(upper))
                    }
                };
                (a, s.method.to_string())
            });
        match answer {
            Ok((a, m)) => println!(
                "{:<28} {:<10} {:<16} {}",
                f[0],
                format!("{}, m={}", f[4], f[5]),
                a,
                m
            ),
            Err(e) => println!("{:<28} error: {e}", f[0]),
        }
    }
}
