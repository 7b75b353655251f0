use rlct::poly::{parse_list, Ring};
use rlct::resolve::{resolve, ResolveBudget};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let src = &args[1];
    let power: u32 = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(2);
    let exprs = parse_list(src).unwrap();
    let mut names = Vec::new();
    for e in &exprs {
        e.variables(&mut names);
    }
    let ring = Ring::new(names);
    let gens: Vec<_> = exprs.iter().map(|e| ring.eval(e).unwrap()).collect();
    let t = std::time::Instant::now();
    match resolve(
        &gens,
        power,
        &vec![0; ring.nvars()],
        &ResolveBudget {
            max_charts: std::env::var("MAX_CHARTS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(5000),
            ..ResolveBudget::default()
        },
    ) {
        Ok(r) => println!(
            "{} m={} charts={} poles={:?} {:?}",
            r.lambda,
            r.multiplicity,
            r.charts,
            r.poles
                .iter()
                .map(|(l, m)| format!("{l}:{m}"))
                .collect::<Vec<_>>(),
            t.elapsed()
        ),
        Err(e) => println!("ERR {e} {:?}", t.elapsed()),
    }
}
