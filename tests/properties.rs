//! Invariants of (λ, m), checked on random inputs (proptest): renaming and permuting
//! variables, scaling by positive constants, the sum and product rules against the
//! Newton route on the whole polynomial, and the Newton bound never below a proved λ.

mod common;
use common::*;
use proptest::prelude::*;
use rlct::engine::NewtonAnalysis;
use rlct::poly::{rat, Exponent, Poly};
use rlct::{Answer, Budget, InputSpec, Problem, Ring, Target};

fn reference_cases() -> Vec<Case> {
    cases()
}

/// A random "even positive" polynomial: a positive combination of even monomials,
/// vanishing at 0. Its faces are all positive on the torus, so the Newton route is exact.
fn even_positive(nvars: usize) -> impl Strategy<Value = Vec<(Exponent, u32)>> {
    prop::collection::vec((prop::collection::vec(0u32..3, nvars), 1u32..4), 1..4).prop_map(
        |terms| {
            terms
                .into_iter()
                .map(|(e, c)| {
                    let mut e: Exponent = e.into_iter().map(|k| 2 * k).collect();
                    if e.iter().all(|&k| k == 0) {
                        e[0] = 2;
                    }
                    (e, c)
                })
                .collect()
        },
    )
}

fn to_poly(nvars: usize, terms: &[(Exponent, u32)]) -> Poly {
    Poly::from_terms(
        nvars,
        terms.iter().map(|(e, c)| (e.clone(), rat(i64::from(*c)))),
    )
}

/// Embed a polynomial in `n` variables into `total` variables at `offset`.
fn shift(p: &Poly, total: usize, offset: usize) -> Poly {
    let map: Vec<usize> = (0..p.nvars()).map(|i| i + offset).collect();
    p.remap(total, &map)
}

fn solve_target(names: usize, target: Target, weight: Vec<u32>) -> Answer {
    let ring = Ring::new((0..names).map(|i| format!("v{i}")).collect());
    let problem = Problem {
        ring,
        target,
        weight,
    };
    rlct::solve(&problem, &Budget::default())
        .map(|s| s.answer)
        .unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Permuting the variables (through --vars) and renaming them leaves the answer.
    #[test]
    fn permuting_and_renaming_variables(idx in 0usize..1000, seed in any::<u64>()) {
        let cases = reference_cases();
        let c = &cases[idx % cases.len()];
        let base = summary(&solve_case(c).answer);
        let mut names = Vec::new();
        for e in rlct::poly::parse_list(&c.input).unwrap_or_default() {
            e.variables(&mut names);
        }
        // A permutation from the seed.
        let mut perm: Vec<usize> = (0..names.len()).collect();
        let mut s = seed;
        for i in (1..perm.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            perm.swap(i, (s >> 33) as usize % (i + 1));
        }
        let order: Vec<String> = perm.iter().map(|&i| names[i].clone()).collect();
        let mut sp = spec(&c.kind, &c.input, c.weight.as_deref());
        sp.vars = Some(order.join(","));
        prop_assert_eq!(&summary(&solve_spec(&sp).answer), &base, "{} permuted", c.id);
        // Rename every variable v to zz_v (applied to input and weight alike).
        let rename = |text: &str| -> String {
            let mut out = String::new();
            let mut word = String::new();
            for ch in text.chars().chain(std::iter::once(' ')) {
                if ch.is_ascii_alphanumeric() || ch == '_' {
                    word.push(ch);
                } else {
                    if !word.is_empty() {
                        if word.chars().next().is_some_and(|f| f.is_ascii_alphabetic() || f == '_') {
                            out.push_str("zz_");
                        }
                        out.push_str(&word);
                        word.clear();
                    }
                    out.push(ch);
                }
            }
            out.trim_end().to_string()
        };
        let renamed = spec(&c.kind, &rename(&c.input), c.weight.as_deref().map(rename).as_deref());
        prop_assert_eq!(&summary(&solve_spec(&renamed).answer), &base, "{} renamed", c.id);
    }

    /// Scaling K (or each generator) by positive constants does not change (λ, m).
    #[test]
    fn scaling_by_positive_constants(idx in 0usize..1000, num in 1i64..20, den in 1i64..20) {
        let cases = reference_cases();
        let c = &cases[idx % cases.len()];
        let base = summary(&solve_case(c).answer);
        let scaled = if c.kind == "ideal" {
            c.input.split(',').map(|g| format!("{num}/{den}*({g})")).collect::<Vec<_>>().join(",")
        } else {
            format!("{num}/{den}*({})", c.input)
        };
        let sp = spec(&c.kind, &scaled, c.weight.as_deref());
        prop_assert_eq!(summary(&solve_spec(&sp).answer), base, "{}", c.id);
    }

    /// Power rule: K^k (a `--poly` reference row) or ⟨f^k⟩ (a one-generator ideal row)
    /// has λ/k and the same m, exactly, compared with the reference value
    /// (ζ_{K^k}(z) = ζ_K(kz)).
    #[test]
    fn powers_divide_lambda(idx in 0usize..1000, k in 2u32..5) {
        let cases: Vec<Case> = reference_cases()
            .into_iter()
            .filter(|c| c.kind == "poly" || !c.input.contains(','))
            .collect();
        let c = &cases[idx % cases.len()];
        let sp = spec(&c.kind, &format!("({})^{k}", c.input), c.weight.as_deref());
        let want = (c.lambda.clone() / rat(i64::from(k)), c.m);
        let answer = solve_spec(&sp).answer;
        let Answer::Exact(r) = answer else {
            return Err(TestCaseError::fail(format!("{}^{k}: {}", c.id, summary(&answer))));
        };
        prop_assert_eq!((r.lambda, r.multiplicity), want, "{}^{}", c.id, k);
    }

    /// Sum rule: λ(K1 + K2) = λ1 + λ2, m = m1 + m2 − 1 — checked against the Newton
    /// route applied to the whole sum (which never splits).
    #[test]
    fn sum_rule_agrees_with_newton(a in even_positive(2), b in even_positive(2), h in prop::collection::vec(0u32..3, 4)) {
        let k1 = shift(&to_poly(2, &a), 4, 0);
        let k2 = shift(&to_poly(2, &b), 4, 2);
        let whole = &k1 + &k2;
        let Answer::Exact(r) = solve_target(4, Target::Poly(whole.clone()), h.clone()) else {
            return Err(TestCaseError::fail("sum of even positive pieces must be exact"));
        };
        let analysis = NewtonAnalysis::new(&Target::Poly(whole), &h).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(analysis.nondegenerate());
        prop_assert_eq!(&r.lambda, &analysis.bound());
        prop_assert_eq!(r.multiplicity as usize, analysis.theta());
    }

    /// Product rule: λ(K1·K2) = min, multiplicities adding on ties — checked against
    /// the Newton route on the product.
    #[test]
    fn product_rule_agrees_with_newton(a in even_positive(2), b in even_positive(2), h in prop::collection::vec(0u32..3, 4)) {
        let k1 = shift(&to_poly(2, &a), 4, 0);
        let k2 = shift(&to_poly(2, &b), 4, 2);
        let whole = &k1 * &k2;
        let Answer::Exact(r) = solve_target(4, Target::Poly(whole.clone()), h.clone()) else {
            return Err(TestCaseError::fail("product of even positive pieces must be exact"));
        };
        let analysis = NewtonAnalysis::new(&Target::Poly(whole), &h).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(analysis.nondegenerate());
        prop_assert_eq!(&r.lambda, &analysis.bound());
        prop_assert_eq!(r.multiplicity as usize, analysis.theta());
    }

    /// Monomial ideals in disjoint blocks (random reduced-rank-like supports): the
    /// answer is exact, lies within the elementary bounds, and equals the Newton bound.
    #[test]
    fn newton_bound_never_below_exact(gens in prop::collection::vec(prop::collection::vec(0u32..3, 3), 1..4), sq in prop::collection::vec(prop::collection::vec(0u32..3, 3), 1..3)) {
        // Ideals: K = Σ g², g random products; polynomial: squares of random binomials.
        let gens: Vec<Poly> = gens.into_iter().filter(|e| e.iter().any(|&k| k > 0))
            .map(|e| Poly::monomial(3, e, rat(1))).collect();
        prop_assume!(!gens.is_empty());
        let ideal = rlct::Ideal::new(3, gens);
        let a = solve_target(3, Target::Ideal(ideal.clone()), vec![0; 3]);
        let analysis = NewtonAnalysis::new(&Target::Ideal(ideal), &[0, 0, 0]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(a.exact().is_some(), "monomial ideals are always exact");
        prop_assert!(*a.upper() <= analysis.bound());
        // A square of a random binomial: a bounds or exact answer, never above Newton.
        let terms: Vec<Poly> = sq.into_iter().filter(|e| e.iter().any(|&k| k > 0))
            .map(|e| Poly::monomial(3, e, rat(1))).collect();
        prop_assume!(!terms.is_empty());
        let g = terms.iter().fold(Poly::zero(3), |acc, t| &acc - t);
        let k = &g * &g;
        let a = solve_target(3, Target::Poly(k.clone()), vec![0; 3]);
        let analysis = NewtonAnalysis::new(&Target::Poly(k), &[0, 0, 0]).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(*a.lower() <= *a.upper());
        prop_assert!(*a.upper() <= analysis.bound());
    }
}

#[test]
fn input_spec_is_usable_from_rust() {
    let s = InputSpec {
        ideal: Some("b1*a1".into()),
        ..Default::default()
    };
    assert_eq!(summary(&solve_spec(&s).answer), "exact 1/2 m=2");
}
