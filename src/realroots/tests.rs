//! Tests of the real-algebra module: univariate root counting and isolation, and the
//! torus decisions on the anchor cases of DESIGN §1–§3.

use super::*;
use crate::poly::{parse_expr, rat, ratio, Rational, Ring};
use proptest::prelude::*;

fn ring() -> Ring {
    Ring::new(vec!["x".into(), "y".into(), "z".into()])
}

/// Parse a polynomial in x, y, z (panics on a malformed test input only).
fn p(s: &str) -> Poly {
    let e = parse_expr(s).unwrap_or_else(|e| panic!("bad test polynomial {s}: {e:?}"));
    ring()
        .eval(&e)
        .unwrap_or_else(|e| panic!("bad test polynomial {s}: {e:?}"))
}

fn fin(n: i64, d: i64) -> Bound {
    Bound::at(ratio(n, d))
}

fn count(q: &UPoly, a: &Bound, b: &Bound) -> usize {
    q.count_roots(a, b).unwrap_or(usize::MAX)
}

// ---------------------------------------------------------------- univariate

#[test]
fn sturm_counts_with_endpoints_and_multiple_roots() {
    // (x+2)(x-1)^2 (x-3)^3 (x-5)
    let roots = [rat(-2), rat(1), rat(1), rat(3), rat(3), rat(3), rat(5)];
    let q = UPoly::from_roots(&roots);
    assert_eq!(q.degree(), Some(7));
    assert_eq!(q.count_real_roots(), Some(4));
    // Open intervals: endpoints are not counted, even when they are roots.
    assert_eq!(count(&q, &fin(1, 1), &fin(3, 1)), 0);
    assert_eq!(count(&q, &fin(1, 1), &fin(5, 1)), 1);
    assert_eq!(count(&q, &fin(-2, 1), &fin(5, 1)), 2);
    assert_eq!(count(&q, &fin(-3, 1), &fin(6, 1)), 4);
    assert_eq!(count(&q, &Bound::NegInf, &fin(1, 1)), 1);
    assert_eq!(count(&q, &fin(1, 1), &Bound::PosInf), 2);
    assert_eq!(count(&q, &fin(1, 2), &fin(3, 2)), 1);
    assert_eq!(count(&q, &fin(3, 1), &fin(1, 1)), 0, "empty interval");
    assert_eq!(count(&q, &fin(3, 1), &fin(3, 1)), 0, "empty interval");
    // Closed intervals count the endpoints.
    assert_eq!(q.count_roots_closed(&rat(1), &rat(3)), Some(2));
    assert_eq!(q.count_roots_closed(&rat(3), &rat(3)), Some(1));
    assert_eq!(q.count_roots_closed(&rat(-2), &rat(5)), Some(4));
    // No real roots.
    let r = UPoly::from_ints(&[1, 0, 1]);
    assert_eq!(r.count_real_roots(), Some(0));
    // Zero polynomial: no count.
    assert_eq!(UPoly::zero().count_real_roots(), None);
    // Constants have no roots.
    assert_eq!(UPoly::one().count_real_roots(), Some(0));
}

#[test]
fn sturm_sequence_shape() {
    let q = UPoly::from_ints(&[-2, 0, 1]);
    let s = q.sturm_sequence();
    assert_eq!(s.len(), 3);
    assert_eq!(s[0], q);
    assert_eq!(s[2].degree(), Some(0));
    assert!(s[2]
        .leading_coeff()
        .is_some_and(|c| *c > Rational::from_integer(0.into())));
}

#[test]
fn isolate_sqrt2() {
    let q = UPoly::from_ints(&[-2, 0, 1]);
    let roots = q.isolate_roots().unwrap_or_default();
    assert_eq!(roots.len(), 2);
    let two = rat(2);
    for r in &roots {
        assert!(r.lo < r.hi);
        assert!(r.exact.is_none());
        assert_eq!(r.multiplicity, 1);
        // ±√2 in (lo, hi): q changes sign across the interval.
        assert_ne!(q.sign_at(&r.lo), q.sign_at(&r.hi));
        assert_eq!(
            count(&q, &Bound::at(r.lo.clone()), &Bound::at(r.hi.clone())),
            1
        );
    }
    assert!(roots[0].hi <= roots[1].lo, "disjoint and sorted");
    assert!(roots[0].hi < rat(0) && roots[1].lo > rat(0) || roots[0].hi <= roots[1].lo);
    // Refinement keeps the invariants and contains √2: lo² < 2 < hi².
    let w = ratio(1, 1000);
    let r = q.refine_root(&roots[1], &w);
    assert!(&r.hi - &r.lo <= w);
    assert!(&r.lo * &r.lo < two && &r.hi * &r.hi > two);
    assert!(r.lo > rat(0));
}

#[test]
fn isolate_rational_and_multiple_roots() {
    // x^2 (x - 1/2)^3 (x + 1): exact roots may be hit by bisection.
    let q = UPoly::from_roots(&[
        rat(0),
        rat(0),
        ratio(1, 2),
        ratio(1, 2),
        ratio(1, 2),
        rat(-1),
    ]);
    let roots = q.isolate_roots().unwrap_or_default();
    assert_eq!(roots.len(), 3);
    let mults: Vec<u32> = roots.iter().map(|r| r.multiplicity).collect();
    assert_eq!(mults, vec![1, 2, 3]);
    assert!(!roots[1].changes_sign() && roots[2].changes_sign());
    for w in roots.windows(2) {
        assert!(w[0].hi <= w[1].lo);
    }
    for r in &roots {
        assert!(!q.is_root(&r.lo) && !q.is_root(&r.hi));
        if let Some(x) = &r.exact {
            assert!(q.is_root(x) && &r.lo < x && x < &r.hi);
        }
    }
    // Restricted to (0, 1): only 1/2, and the interval lies strictly inside.
    let inside = q
        .isolate_roots_in(&fin(0, 1), &fin(1, 1))
        .unwrap_or_default();
    assert_eq!(inside.len(), 1);
    assert!(inside[0].lo > rat(0) && inside[0].hi < rat(1));
    assert_eq!(inside[0].multiplicity, 3);
    // Gap points: one per root-free piece of (−∞, ∞), all non-roots, signs alternate
    // only across odd roots.
    let gaps = q
        .gap_points(&Bound::NegInf, &Bound::PosInf)
        .unwrap_or_default();
    assert_eq!(gaps.len(), 4);
    let signs: Vec<_> = gaps.iter().map(|t| q.sign_at(t)).collect();
    use std::cmp::Ordering::*;
    // leading coefficient +1, degree 6: positive at −∞.
    assert_eq!(signs, vec![Greater, Less, Less, Greater]);
}

#[test]
fn square_free_decomposition_of_known_product() {
    // 3 (x-1)(x+1)^2 (x^2+1)^3
    let a = UPoly::from_roots(&[rat(1)]);
    let b = UPoly::from_roots(&[rat(-1)]);
    let c = UPoly::from_ints(&[1, 0, 1]);
    let q = (&(&a * &(&b * &b)) * &(&(&c * &c) * &c)).scale(&rat(3));
    let d = q
        .square_free_decomposition()
        .unwrap_or_else(|| panic!("nonzero"));
    assert_eq!(d.unit, rat(3));
    assert_eq!(
        d.factors,
        vec![(a.clone(), 1), (b.clone(), 2), (c.clone(), 3)]
    );
    let back = d
        .factors
        .iter()
        .fold(UPoly::constant(d.unit.clone()), |acc, (f, m)| {
            (0..*m).fold(acc, |acc, _| &acc * f)
        });
    assert_eq!(back, q);
    assert_eq!(q.square_free_part(), &(&a * &b) * &c);
    assert_eq!(q.gcd(&q.derivative()), &b * &(&c * &c));
    assert!(UPoly::zero().square_free_decomposition().is_none());
}

#[test]
fn arithmetic_and_display() {
    let q = UPoly::from_ints(&[1, -3, 0, 2]);
    let (quo, rem) = q
        .div_rem(&UPoly::from_ints(&[-1, 1]))
        .unwrap_or_else(|| panic!());
    assert_eq!(&(&quo * &UPoly::from_ints(&[-1, 1])) + &rem, q);
    assert_eq!(rem, UPoly::zero(), "x = 1 is a root");
    assert_eq!(q.to_string(), "2*x^3 - 3*x + 1");
    assert_eq!(q.reflect().eval(&rat(2)), q.eval(&rat(-2)));
    assert_eq!(q.derivative(), UPoly::from_ints(&[-3, 0, 6]));
    assert!(q.div_rem(&UPoly::zero()).is_none());
    assert_eq!(q.sign_at_bound(&Bound::NegInf), std::cmp::Ordering::Less);
}

fn small_rational() -> impl Strategy<Value = Rational> {
    (-12i64..=12, 1i64..=4).prop_map(|(n, d)| ratio(n, d))
}

proptest! {
    #[test]
    fn sturm_count_matches_product_of_linear_factors(
        roots in proptest::collection::vec((small_rational(), 1u32..=3), 0..6),
        a in small_rational(),
        b in small_rational(),
        a_inf in any::<bool>(),
        b_inf in any::<bool>(),
        lc in prop_oneof![Just(1i64), Just(-2), Just(3)],
    ) {
        let mut all = Vec::new();
        for (r, m) in &roots {
            for _ in 0..*m {
                all.push(r.clone());
            }
        }
        let q = UPoly::from_roots(&all).scale(&rat(lc));
        let lo = if a_inf { Bound::NegInf } else { Bound::at(a.clone()) };
        let hi = if b_inf { Bound::PosInf } else { Bound::at(b.clone()) };
        let mut distinct: Vec<Rational> = roots.iter().map(|(r, _)| r.clone()).collect();
        distinct.sort();
        distinct.dedup();
        let inside = |r: &Rational| (a_inf || *r > a) && (b_inf || *r < b);
        let expect = distinct.iter().filter(|r| inside(r)).count();
        prop_assert_eq!(q.count_roots(&lo, &hi), Some(expect));
        // Isolation agrees, with correct multiplicities and exact containment.
        let iso = q.isolate_roots_in(&lo, &hi).unwrap_or_default();
        prop_assert_eq!(iso.len(), expect);
        let want: Vec<&Rational> = distinct.iter().filter(|r| inside(r)).collect();
        for (r, x) in iso.iter().zip(want) {
            prop_assert!(r.lo < *x && *x < r.hi);
            prop_assert!(a_inf || r.lo > a);
            prop_assert!(b_inf || r.hi < b);
            let m: u32 = roots.iter().filter(|(y, _)| y == x).map(|(_, m)| *m).sum();
            prop_assert_eq!(r.multiplicity, m);
        }
    }
}

// ---------------------------------------------------------------- lattice / torus_sign

fn is_neg(v: &SignVerdict) -> bool {
    matches!(v, SignVerdict::TakesNegative(_))
}

fn is_nonneg_zero(v: &SignVerdict) -> bool {
    matches!(v, SignVerdict::NonNegativeWithZero(_))
}

#[test]
fn sign_rank_le_1_exact() {
    assert_eq!(torus_sign(&p("(x^2+y^2)^4")), SignVerdict::Positive);
    let v = torus_sign(&p("(x-y)^2"));
    assert!(is_nonneg_zero(&v), "{v:?}");
    assert!(is_neg(&torus_sign(&p("x^2-y^2"))));
    assert!(is_neg(&torus_sign(&p("x^2+3*x*y+y^2"))));
    assert_eq!(torus_sign(&p("x^2-x*y+y^2")), SignVerdict::Positive);
    assert!(is_nonneg_zero(&torus_sign(&p("(x^2-y^3)^2"))));
    assert!(is_nonneg_zero(&torus_sign(&p("(x+y^2)^2"))));
    assert!(is_nonneg_zero(&torus_sign(&p("x^4-2*x^2*z^2+z^4"))));
    // x^2 + y^2 + 2xy = (x+y)^2, zero at x = −y on the torus.
    assert!(is_nonneg_zero(&torus_sign(&p("x^2+2*x*y+y^2"))));
    // x^2 + y^2 - 2xy + ... negative in between? x^4 + y^4 - 3x^2y^2 has zeros at u = (3±√5)/2.
    assert!(is_neg(&torus_sign(&p("x^4+y^4-3*x^2*y^2"))));
    // x^4 + y^4 − 2x^2 y^2 + x y^3... (x^2 - y^2)^2 is a zero at u = x^2/y^2 = 1 only.
    assert!(is_nonneg_zero(&torus_sign(&p("(x^2-y^2)^2"))));
    // Even lattice direction: x^2 - 2 x y^... u = x^2 y^-2 > 0 only; x^4 + x^2y^2 + y^4 > 0.
    assert_eq!(torus_sign(&p("x^4+x^2*y^2+y^4")), SignVerdict::Positive);
    // y^2 - x^2 y ... (y - x^2)^2 has zeros y = x^2.
    assert!(is_nonneg_zero(&torus_sign(&p("(y-x^2)^2"))));
    // (y + x^2)^2: zero at y = −x^2 < 0, on the torus.
    assert!(is_nonneg_zero(&torus_sign(&p("(y+x^2)^2"))));
    // x^2 + y^4 + x y^2 = (x + y^2/2)^2 + 3y^4/4 > 0.
    assert_eq!(torus_sign(&p("x^2+x*y^2+y^4")), SignVerdict::Positive);
}

#[test]
fn sign_monomials() {
    assert!(is_neg(&torus_sign(&p("x*y^2"))));
    assert!(is_neg(&torus_sign(&p("-x^2"))));
    assert_eq!(torus_sign(&p("3*x^2*y^4")), SignVerdict::Positive);
    assert_eq!(torus_sign(&p("5")), SignVerdict::Positive);
    assert!(is_neg(&torus_sign(&p("-1/2"))));
}

#[test]
fn sign_with_odd_prefactor() {
    // x y (x^2 + y^2): odd monomial factor.
    assert!(is_neg(&torus_sign(&p("x^3*y+x*y^3"))));
    // x y (x − y)^2: sign(xy) = sign(x/y); negative at x = −y.
    assert!(is_neg(&torus_sign(&p("x^3*y-2*x^2*y^2+x*y^3"))));
    // x^2 y^4 (x^2 + y^2): even prefactor, positive.
    assert_eq!(torus_sign(&p("x^4*y^4+x^2*y^6")), SignVerdict::Positive);
    // x + y: no monomial factor, but (x, y) ↦ (−x, −y) negates it (F_2 flip).
    assert!(is_neg(&torus_sign(&p("x+y"))));
    // x^3 + x y^2 = x (x^2 + y^2): prefactor x.
    assert!(is_neg(&torus_sign(&p("x^3+x*y^2"))));
    // x y^2 + x^3 z^2: all exponents ≡ (1, 0, 0) mod 2 (flip x).
    assert!(is_neg(&torus_sign(&p("x*y^2+x^3*z^2"))));
}

#[test]
fn sign_higher_rank() {
    assert_eq!(
        torus_sign(&p("x^2*y^2+y^2*z^2+z^2*x^2")),
        SignVerdict::Positive
    );
    // (x + y^2)^2 + z^2: disjoint sum of a face with a zero and a positive part.
    assert_eq!(torus_sign(&p("x^2+2*x*y^2+y^4+z^2")), SignVerdict::Positive);
    // AM–GM: x^2 + y^2 + z^2 − x y.
    assert_eq!(torus_sign(&p("x^2+y^2+z^2-x*y")), SignVerdict::Positive);
    // Disjoint sum (x − y)^2 + z^2(z^2 − 2): the second summand is negative at z = 1.
    assert!(is_neg(&torus_sign(&p("(x-y)^2+z^4-2*z^2"))));
    // Disjoint sum of two summands with zeros: (x − y)^2 + z^2 (z − 1)^2 ≥ 0, zero at
    // x = y, z = 1 (not a face polynomial; the rules hold for any polynomial).
    assert!(is_nonneg_zero(&torus_sign(&p("(x-y)^2+z^2*(z-1)^2"))));
    // Even monomial factor: (x − y)^2 · z^2.
    assert!(is_nonneg_zero(&torus_sign(&p("(x-y)^2*z^2"))));
    // Disjoint sum with a negative part: (x^2 − y^2) + z^2 takes negative values.
    assert!(is_neg(&torus_sign(&p("x^2-y^2+z^2"))));
    // Trap 1: (x^2 + y^2 − z^2)^2 ≥ 0 with torus zero (3, 4, 5).
    let v = torus_sign(&p("(x^2+y^2-z^2)^2"));
    assert!(is_nonneg_zero(&v), "{v:?}");
    // Perfect square without torus zero: (x^2 + y^2 + z^2)^2 (also even positive).
    assert_eq!(torus_sign(&p("(x^2+y^2+z^2)^2")), SignVerdict::Positive);
    // Perfect square of a rank-1 edge times nothing: (x^2 + x y + y^2 + z^2 ... ) positive.
    assert_eq!(torus_sign(&p("(x^2+x*y+y^2+z^2)^2")), SignVerdict::Positive);
    // Product of variable-disjoint factors: (x − y)^2 (z^2 + 1)… needs a face: (x-y)^2*(z^2 - z + 1)
    // is not quasi-homogeneous but the rules are sound for any polynomial.
    assert!(is_nonneg_zero(&torus_sign(&p("(x-y)^2*(z^2-z+1)"))));
    // (x^2 + y^2)(z^2 − 3z + 2): product, second factor takes both signs.
    assert!(is_neg(&torus_sign(&p("(x^2+y^2)*(z^2-3*z+2)"))));
    // Slice search: x^2 y^2 − x y z^2 ... a rank-2 face taking negative values:
    // x^4 + y^4 + z^4 − 4 x y z^2 (AM–GM equality case shifted): at x = y = z = 1 it is −1.
    assert!(is_neg(&torus_sign(&p("x^4+y^4+z^4-4*x*y*z^2"))));
    // Motzkin-type form x^4 y^2 + x^2 y^4 + z^6 − 3 x^2 y^2 z^2 ≥ 0 with zero at (1,1,1):
    // must not be claimed Positive.
    let m = torus_sign(&p("x^4*y^2+x^2*y^4+z^6-3*x^2*y^2*z^2"));
    assert!(
        matches!(
            m,
            SignVerdict::Undecided(_) | SignVerdict::NonNegativeWithZero(_)
        ),
        "{m:?}"
    );
}

#[test]
fn sign_descriptions_are_readable() {
    match torus_sign(&p("(x-y)^2")) {
        SignVerdict::NonNegativeWithZero(s) => assert!(s.contains("= 1"), "{s}"),
        v => panic!("{v:?}"),
    }
    match torus_sign(&p("x^2-4*y^2")) {
        SignVerdict::TakesNegative(s) => assert!(s.contains("negative where"), "{s}"),
        v => panic!("{v:?}"),
    }
}

// ---------------------------------------------------------------- torus_zero

fn tz(gens: &[&str]) -> TorusVerdict {
    let g: Vec<Poly> = gens.iter().map(|s| p(s)).collect();
    torus_zero(&g)
}

fn is_zero(v: &TorusVerdict) -> bool {
    matches!(v, TorusVerdict::Zero(_))
}

#[test]
fn zero_rank1() {
    assert!(is_zero(&tz(&["x-y"])));
    assert!(is_zero(&tz(&["x+y"])));
    assert_eq!(tz(&["x^2+y^2"]), TorusVerdict::NoZero);
    assert_eq!(tz(&["x*y"]), TorusVerdict::NoZero);
    assert_eq!(tz(&["x-y", "x-2*y"]), TorusVerdict::NoZero);
    assert!(is_zero(&tz(&["x^2-y^2", "x-y"])));
    assert!(is_zero(&tz(&["x^2-y^2", "x+y"])));
    assert_eq!(tz(&["x^2-y^2", "x-2*y"]), TorusVerdict::NoZero);
    assert!(is_zero(&tz(&["y-x^2"])));
    assert!(is_zero(&tz(&["y+x^2"])));
    // x^2 + y^2 with u = x^2/y^2 > 0: no zero even though u = −1 is a root.
    assert_eq!(tz(&["x^2+y^2", "x^4-y^4"]), TorusVerdict::NoZero);
    // x^2 − 2 y^2: zero at u = x/y = ±√2 (irrational).
    assert!(is_zero(&tz(&["x^2-2*y^2"])));
    // A constant generator: no zero.
    assert_eq!(tz(&["3", "x-y"]), TorusVerdict::NoZero);
    // Zero generators are ignored.
    assert!(is_zero(&tz(&["0", "x-y"])));
    match tz(&["x-y"]) {
        TorusVerdict::Zero(s) => assert!(s.contains("= 1"), "{s}"),
        v => panic!("{v:?}"),
    }
}

#[test]
fn zero_split_and_higher_rank() {
    // Variable-disjoint groups: both have zeros.
    assert!(is_zero(&tz(&["x-y", "z^2-z^4"])));
    // One group without zero.
    assert_eq!(tz(&["x-y", "z^2+z^4"]), TorusVerdict::NoZero);
    // Rank 2, a positive generator.
    assert_eq!(tz(&["x^2+y^2+z^2-x*y", "x*y-z^2"]), TorusVerdict::NoZero);
    // Rank 2, single generator with a zero found on a slice: x^2 + y^2 − z^2.
    assert!(is_zero(&tz(&["x^2+y^2-z^2"])));
    // Rank 2 (tanh-like): ⟨x y + z w⟩ in 3 variables: x y + z^2 has zeros (x = 1, y = −1, z = 1).
    assert!(is_zero(&tz(&["x*y+z^2"])));
    // Two generators, rank 2, common zero on the line x = y = z.
    assert!(is_zero(&tz(&["x-y", "y-z"])));
    // Two generators, rank 2, no common zero: x − y, x + y − ... x^2 + y^2 + z^2 ... by Σ g².
    assert_eq!(tz(&["x^2+y^2", "x*y+z^2"]), TorusVerdict::NoZero);
}

#[test]
fn zero_never_wrong_on_random_rank1_products() {
    // (x − a y)(x − b y) with a, b ∈ {−2, …, 2}: zero iff a or b ≠ 0 (then x = a y).
    for a in -2i64..=2 {
        for b in -2i64..=2 {
            let s = format!("(x-({a})*y)*(x-({b})*y)");
            let v = tz(&[s.as_str()]);
            if a != 0 || b != 0 {
                assert!(is_zero(&v), "{s}: {v:?}");
            } else {
                assert_eq!(v, TorusVerdict::NoZero, "{s}");
            }
        }
    }
}

proptest! {
    #[test]
    fn sign_agrees_with_sampling(
        cs in proptest::collection::vec(-3i64..=3, 3),
        e in 1u32..=3,
    ) {
        // c0 x^{2e} + c1 x^e y^e + c2 y^{2e}: rank 1. Compare with values on a grid.
        let s = format!("({})*x^{}+({})*x^{}*y^{}+({})*y^{}", cs[0], 2*e, cs[1], e, e, cs[2], 2*e);
        let q = p(&s);
        prop_assume!(!q.is_zero());
        let v = torus_sign(&q);
        prop_assert!(!matches!(v, SignVerdict::Undecided(_)), "{}: {:?}", s, v);
        let grid: Vec<Rational> = [-3i64, -2, -1, 1, 2, 3]
            .iter()
            .flat_map(|&n| [ratio(n, 1), ratio(n, 7)])
            .collect();
        let mut min_neg = false;
        let mut has_zero = false;
        for a in &grid {
            for b in &grid {
                let val = q.eval(&[a.clone(), b.clone(), rat(1)]);
                if val < rat(0) { min_neg = true; }
                if val == rat(0) { has_zero = true; }
            }
        }
        match &v {
            SignVerdict::Positive => prop_assert!(!min_neg && !has_zero, "{}", s),
            SignVerdict::NonNegativeWithZero(_) => prop_assert!(!min_neg, "{}", s),
            SignVerdict::TakesNegative(_) => {}
            SignVerdict::Undecided(_) => {}
        }
        if min_neg {
            prop_assert!(matches!(v, SignVerdict::TakesNegative(_)), "{}: {:?}", s, v);
        }
    }
}

#[test]
fn simplest_rational() {
    use super::uni::simplest_between;
    assert_eq!(simplest_between(&ratio(1, 3), &ratio(1, 2)), ratio(2, 5));
    assert_eq!(simplest_between(&ratio(-1, 3), &ratio(1, 2)), rat(0));
    assert_eq!(
        simplest_between(&ratio(-7, 2), &ratio(-3, 1)),
        ratio(-10, 3)
    );
    assert_eq!(simplest_between(&rat(2), &rat(3)), ratio(5, 2));
    assert_eq!(simplest_between(&ratio(255, 128), &ratio(513, 256)), rat(2));
    assert_eq!(simplest_between(&rat(0), &ratio(1, 10)), ratio(1, 11));
}

/// A random sparse polynomial in x, y, z with small exponents and coefficients.
fn random_poly() -> impl Strategy<Value = Poly> {
    proptest::collection::vec(((0u32..=2, 0u32..=2, 0u32..=2), -3i64..=3), 1..5).prop_map(|terms| {
        Poly::from_terms(
            3,
            terms
                .into_iter()
                .map(|((a, b, c), k)| (vec![a, b, c], rat(k))),
        )
    })
}

fn grid_values(q: &Poly) -> Vec<Rational> {
    let vals: Vec<Rational> = [-2i64, -1, 1, 2]
        .iter()
        .flat_map(|&n| [ratio(n, 1), ratio(n, 3)])
        .collect();
    let mut out = Vec::new();
    for a in &vals {
        for b in &vals {
            for c in &vals {
                out.push(q.eval(&[a.clone(), b.clone(), c.clone()]));
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn sign_verdicts_are_sound_on_random_polynomials(q in random_poly(), r in random_poly()) {
        for f in [q.clone(), &q * &r, &(&q * &q) - &(&r * &r)] {
            prop_assume!(!f.is_zero());
            let v = torus_sign(&f);
            let vals = grid_values(&f);
            match &v {
                SignVerdict::Positive => {
                    prop_assert!(vals.iter().all(|x| *x > rat(0)), "{}: {:?}", f, v)
                }
                SignVerdict::NonNegativeWithZero(_) => {
                    prop_assert!(vals.iter().all(|x| *x >= rat(0)), "{}: {:?}", f, v)
                }
                _ => {}
            }
            if vals.iter().any(|x| *x < rat(0)) {
                prop_assert!(matches!(v, SignVerdict::TakesNegative(_) | SignVerdict::Undecided(_)));
            }
        }
    }

    #[test]
    fn sums_of_squares_never_take_negative(q in random_poly(), r in random_poly()) {
        let f = &(&q * &q) + &(&r * &r);
        prop_assume!(!f.is_zero());
        let v = torus_sign(&f);
        prop_assert!(!matches!(v, SignVerdict::TakesNegative(_)), "{}: {:?}", f, v);
        if grid_values(&f).iter().any(|x| *x == rat(0)) {
            prop_assert!(!matches!(v, SignVerdict::Positive), "{}: {:?}", f, v);
        }
    }

    #[test]
    fn zero_verdicts_are_sound_on_random_systems(q in random_poly(), r in random_poly()) {
        for gens in [vec![q.clone()], vec![q.clone(), r.clone()], vec![&q * &r]] {
            let v = torus_zero(&gens);
            let common = {
                let a = grid_values(&gens[0]);
                let mut z: Vec<bool> = a.iter().map(|x| *x == rat(0)).collect();
                for g in &gens[1..] {
                    for (zi, x) in z.iter_mut().zip(grid_values(g)) {
                        *zi = *zi && x == rat(0);
                    }
                }
                z.into_iter().any(|b| b)
            };
            if common {
                prop_assert!(!matches!(v, TorusVerdict::NoZero), "{:?}: {:?}", gens, v);
            }
            // A generator with a sign change on the grid inside one orthant has a zero.
        }
    }
}

#[test]
fn zero_rank1_with_different_prefactors() {
    // x(x − y)(x + y) and y(x − y)(x + y): common zeros x = ±y.
    assert!(is_zero(&tz(&["x^3-x*y^2", "x^2*y-y^3"])));
    // x(x^2 − 2y^2) and y(x^2 − 3y^2): x^2/y^2 = 2 and = 3 are incompatible.
    assert_eq!(tz(&["x^3-2*x*y^2", "x^2*y-3*y^3"]), TorusVerdict::NoZero);
    // No generators: every torus point is a common zero.
    assert!(is_zero(&torus_zero(&[])));
    assert!(is_zero(&tz(&["0"])));
}

#[test]
fn gap_points_on_half_lines() {
    // t^2 (t − 1): on (0, ∞) the root 0 is an endpoint; pieces (0, 1) and (1, ∞).
    let q = UPoly::from_roots(&[rat(0), rat(0), rat(1)]);
    let g = q.gap_points(&fin(0, 1), &Bound::PosInf).unwrap_or_default();
    assert_eq!(g.len(), 2);
    assert!(g[0] > rat(0) && g[0] < rat(1) && g[1] > rat(1));
    assert!(q.eval(&g[0]) < rat(0) && q.eval(&g[1]) > rat(0));
    // On (−∞, 0): no roots, one point, where t^2 (t − 1) < 0.
    let g = q.gap_points(&Bound::NegInf, &fin(0, 1)).unwrap_or_default();
    assert_eq!(g.len(), 1);
    assert!(g[0] < rat(0));
    assert!(Bound::NegInf.lt(&fin(0, 1)) && !Bound::PosInf.lt(&Bound::PosInf));
}
