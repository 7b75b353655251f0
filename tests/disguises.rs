//! Disguised inputs must give the same answer (DESIGN §2.4): an invertible change of
//! coordinates fixing the origin (unimodular linear maps composed with triangular
//! polynomial shifts) and, for ideals, another generating set. An `exact` answer on a
//! disguised reference case must equal the reference. Since the engine looks for a
//! sparser coordinate system first (`engine::sparsify`), a disguised row must come out
//! `exact`, except the rows in [`MAY_END_IN_BOUNDS`], whose `bounds` must contain it.

mod common;
use common::*;
use proptest::prelude::*;
use rlct::poly::{parse_list, rat, Poly, Ring};
use rlct::{Answer, Ideal, Problem, Target};

/// Rows some of whose disguises still end in bounds: in `bench/disguise_audit.py`
/// (seeds 1–3, 3 disguises per row, BENCHMARKS "Sparsification") each of them had at
/// least one disguise that ended in bounds: the sparsifier did not undo it (several
/// shears at once, where no single elementary move lowers the number of terms; a dense
/// 10-variable ideal), or, for rrr-M2-N2-H2-r0, the time ran out on the loaded machine.
/// degen-cone and trap-real-vs-complex are exact under all 9 audit disguises since the
/// sparsifier diagonalises the base of a `--poly` initial form (BENCHMARKS "Linear
/// normalisation"), but they stay: this test's disguises differ, and one of degen-cone
/// (a shear by 2 and the shift z ↦ z + x·y) still ends in bounds.
const MAY_END_IN_BOUNDS: &[&str] = &[
    "sum-x2y2z2",
    "sum-x4y2z2",
    "newton-triangle",
    "newton-trap-facets",
    "degen-cone",
    "trap-real-vs-complex",
    "rrr-M2-N2-H2-r0",
    "rrr-M2-N3-H2-r0",
    "tanh-H2",
    "tanh-H3",
    "vandermonde-M1-N1-H2-Q1",
    "vandermonde-M1-N1-H3-Q1",
];

/// A coordinate change w ↦ L·w + q(w): `swap`, a shear w_i += c·w_j, and a triangular
/// shift w_i += c·w_j·w_k (j, k ≠ i), all invertible with polynomial inverse near 0.
#[derive(Clone, Debug)]
struct Disguise {
    perm_seed: u64,
    shear: (usize, usize, i64),
    shift: (usize, usize, usize, i64),
    mix: (usize, usize, i64),
}

fn disguise() -> impl Strategy<Value = Disguise> {
    (
        any::<u64>(),
        (0usize..8, 0usize..8, -2i64..3),
        (0usize..8, 0usize..8, 0usize..8, -2i64..3),
        (0usize..8, 0usize..8, -2i64..3),
    )
        .prop_map(|(perm_seed, shear, shift, mix)| Disguise {
            perm_seed,
            shear,
            shift,
            mix,
        })
}

fn images(n: usize, d: &Disguise) -> Vec<Poly> {
    let mut perm: Vec<usize> = (0..n).collect();
    let mut s = d.perm_seed;
    for i in (1..n).rev() {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        perm.swap(i, (s >> 33) as usize % (i + 1));
    }
    let mut img: Vec<Poly> = (0..n).map(|i| Poly::var(n, perm[i])).collect();
    let (i, j, c) = (d.shear.0 % n, d.shear.1 % n, d.shear.2);
    if i != j {
        img[i] = &img[i] + &Poly::var(n, perm[j]).scale(&rat(c));
    }
    let (i, j, k, c) = (d.shift.0 % n, d.shift.1 % n, d.shift.2 % n, d.shift.3);
    if i != j && i != k {
        // Composition of the shear with a shift in the *original* coordinates stays
        // triangular: w_i ↦ w_i + c·w_j·w_k with j, k ≠ i is inverted by subtraction.
        let q = &Poly::var(n, perm[j]) * &Poly::var(n, perm[k]);
        img[i] = &img[i] + &q.scale(&rat(c));
    }
    img
}

fn disguised_answer(c: &Case, d: &Disguise, deadline: bool) -> Answer {
    let exprs = parse_list(&c.input).unwrap_or_default();
    let mut names = Vec::new();
    for e in &exprs {
        e.variables(&mut names);
    }
    let ring = Ring::new(names);
    let n = ring.nvars();
    let gens: Vec<Poly> = exprs.iter().filter_map(|e| ring.eval(e).ok()).collect();
    let img = images(n, d);
    let mut new: Vec<Poly> = gens.iter().map(|g| g.compose(&img)).collect();
    let target = if c.kind == "ideal" {
        let k = new.len();
        let (a, b, m) = (d.mix.0 % k, d.mix.1 % k, d.mix.2);
        if a != b {
            // Another generating set of the same ideal: f_a += m·w_0·f_b.
            let add = &(&Poly::var(n, 0) * &new[b]).scale(&rat(m));
            new[a] = &new[a] + add;
        }
        Target::Ideal(Ideal::new(n, new))
    } else {
        Target::Poly(new.remove(0))
    };
    let problem = Problem {
        ring,
        target,
        weight: vec![0; n],
    };
    // A few seconds per case: a disguise the resolver cannot finish must end in honest
    // bounds, quickly. Rows that must be exact get more time, so that a loaded machine
    // does not turn a proof into bounds (they take well under a second when idle).
    let secs = if MAY_END_IN_BOUNDS.contains(&c.id.as_str()) {
        2
    } else {
        20
    };
    let budget = if deadline {
        rlct::Budget {
            deadline: Some(std::time::Instant::now() + std::time::Duration::from_secs(secs)),
            max_charts: Some(1000),
            ..Default::default()
        }
    } else {
        rlct::Budget::default()
    };
    solve_certified_within(&problem, &budget).answer
}

fn check(c: &Case, d: &Disguise) -> Result<(), TestCaseError> {
    let answer = disguised_answer(c, d, true);
    match &answer {
        Answer::Exact(r) => {
            prop_assert_eq!(&r.lambda, &c.lambda, "{} disguised by {:?}", c.id, d);
            prop_assert_eq!(r.multiplicity, c.m, "{} disguised by {:?}", c.id, d);
        }
        Answer::Bounds { lower, upper, .. } => {
            prop_assert!(
                MAY_END_IN_BOUNDS.contains(&c.id.as_str()),
                "{} disguised by {:?} must be exact: {}",
                c.id,
                d,
                summary(&answer)
            );
            prop_assert!(
                *lower <= c.lambda && c.lambda <= *upper,
                "{} disguised by {:?}: {}",
                c.id,
                d,
                summary(&answer)
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn disguised_reference_cases(idx in 0usize..1000, d in disguise()) {
        // Prior weights are not invariant under coordinate changes: unweighted rows only.
        let cases: Vec<Case> = cases().into_iter().filter(|c| c.weight.is_none()).collect();
        let c = &cases[idx % cases.len()];
        check(c, &d)?;
    }
}

/// A fixed disguise under which these rows must still come out exact (not merely
/// not wrong): a shear x ↦ x + y and a triangular shift y ↦ y + x².
#[test]
fn fixed_disguises_stay_exact() {
    let d = Disguise {
        perm_seed: 7,
        shear: (0, 1, 1),
        shift: (1, 0, 0, 1),
        mix: (0, 1, 1),
    };
    for id in [
        "nc-x2y2",
        "degen-x-y",
        "cusp-squared",
        "degen-x2-y2",
        "ideal-ab+cd",
        "degen-cone",
    ] {
        let c = cases()
            .into_iter()
            .find(|c| c.id == id)
            .unwrap_or_else(|| panic!("{id}"));
        let t = std::time::Instant::now();
        let answer = disguised_answer(&c, &d, false);
        eprintln!("{id}: {} in {:?}", summary(&answer), t.elapsed());
        assert!(
            matches!(answer, Answer::Exact(_)),
            "{id}: {}",
            summary(&answer)
        );
        check(&c, &d).unwrap_or_else(|e| panic!("{e}"));
    }
}
