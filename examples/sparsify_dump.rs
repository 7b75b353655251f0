//! Diagnostic: print what `engine::sparsify` does with an input.
//! Usage: sparsify_dump (--poly|--ideal) "f1, f2, ..."
use rlct::engine::sparsify::sparsify;
use rlct::poly::{parse_list, Ideal, Poly, Ring};
use rlct::Target;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let exprs = parse_list(&args[2]).expect("parse");
    let mut names = Vec::new();
    for e in &exprs {
        e.variables(&mut names);
    }
    let ring = Ring::new(names);
    let gens: Vec<Poly> = exprs.iter().map(|e| ring.eval(e).expect("eval")).collect();
    let target = if args[1] == "--poly" {
        Target::Poly(gens[0].clone())
    } else {
        Target::Ideal(Ideal::new(ring.nvars(), gens))
    };
    let t = std::time::Instant::now();
    match sparsify(&target, None) {
        None => println!("no move"),
        Some(s) => {
            for sh in &s.shifts {
                println!("{}", sh.show(&ring));
            }
            let gens = match &s.target {
                Target::Poly(p) => vec![p.clone()],
                Target::Ideal(i) => i.generators().to_vec(),
            };
            for g in gens {
                println!("  {}", ring.show(&g));
            }
        }
    }
    eprintln!("{:?}", t.elapsed());
}
