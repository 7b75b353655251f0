//! Signs and zeros of polynomials on the real torus `(ℝ∖0)^d`, decided exactly where a
//! proof is available and `Undecided` otherwise.
//!
//! Every rule below is sound for an arbitrary polynomial (not only for face
//! polynomials); each conclusion is either a proof or backed by an exactly verified
//! witness (a rational point, or a Sturm-isolated real root).
//!
//! # References
//! - Sturm's theorem: S. Basu, R. Pollack, M.-F. Roy, *Algorithms in Real Algebraic
//!   Geometry*, 2006, Thm 2.50.
//! - Hermite normal form: H. Cohen, *A Course in Computational Algebraic Number Theory*,
//!   1993, Alg. 2.4.5.
//! - AM–GM certificates: B. Reznick, "Forms derived from the arithmetic-geometric
//!   inequality", Math. Ann. 283 (1989).
//! - Sos-nondegeneracy: S. Lin, "Ideal-theoretic strategies for asymptotic approximation of
//!   marginal likelihood integrals", J. Alg. Stat. 8 (2017), Prop. 4.5.

use super::lattice::{self, format_laurent, SignStructure};
use super::uni::{Bound, IsolatedRoot, UPoly};
use super::{SignVerdict, TorusVerdict};
use crate::poly::{format_rational, Exponent, Poly, Rational};
use num_traits::{One, Signed, Zero};
use std::collections::BTreeMap;

/// Number of univariate slices tried when searching witnesses in dimension ≥ 2.
const SLICE_TRIALS: usize = 48;
/// Largest number of variables for which variable-disjoint factorizations are searched.
const PRODUCT_SPLIT_MAX_VARS: usize = 10;
/// Largest degree of a reduced univariate polynomial handled exactly.
const MAX_UNI_DEGREE: u32 = 4096;
/// Iteration cap of the square-root algorithm.
const SQRT_MAX_STEPS: usize = 2000;

/// Sign of `p` on the torus (see [`super::torus_sign`]).
pub fn sign(p: &Poly) -> SignVerdict {
    sign_rec(p, true)
}

/// Common torus zeros of `gens` (see [`super::torus_zero`]).
pub fn zeros(gens: &[Poly]) -> TorusVerdict {
    zero_rec(gens)
}

fn var_name(i: usize) -> String {
    format!("w{i}")
}

fn describe_point(pt: &[Rational], free: Option<(usize, &str)>) -> String {
    let names: Vec<String> = (0..pt.len()).map(var_name).collect();
    let vals: Vec<String> = pt
        .iter()
        .enumerate()
        .map(|(i, v)| match free {
            Some((f, t)) if f == i => t.to_string(),
            _ => format_rational(v),
        })
        .collect();
    format!("({}) = ({})", names.join(", "), vals.join(", "))
}

fn describe_root(p: &UPoly, r: &IsolatedRoot) -> String {
    let w = Rational::new(1.into(), 64.into());
    p.refine_root(r, &w).describe()
}

/// `sign_rec(p, search)`: `search` allows the (costly) slice search for a negative value.
fn sign_rec(p: &Poly, search: bool) -> SignVerdict {
    if p.is_zero() {
        return SignVerdict::NonNegativeWithZero("identically zero".into());
    }
    // A monomial factor: an odd power of w_i flips the sign across w_i = 0 (the cofactor
    // is not divisible by w_i, so it is nonzero near some point of {w_i = 0}); an even
    // monomial factor is positive on the torus and can be dropped.
    let beta = p.monomial_gcd();
    if let Some(i) = beta.iter().position(|b| b % 2 == 1) {
        return SignVerdict::TakesNegative(format!(
            "odd power of {} divides it: the sign flips as {} crosses 0",
            var_name(i),
            var_name(i)
        ));
    }
    if beta.iter().any(|&b| b > 0) {
        if let Some(q) = p.div_monomial(&beta) {
            return sign_rec(&q, search);
        }
    }
    let red = match lattice::reduce(p) {
        Ok(r) => r,
        Err(e) => return SignVerdict::Undecided(e.to_string()),
    };
    let ss = SignStructure::new(&red.beta, &red.basis);
    if let SignStructure::Flip(f) = &ss {
        let names: Vec<String> = f.iter().map(|&i| var_name(i)).collect();
        return SignVerdict::TakesNegative(format!(
            "changing the signs of {} negates it",
            names.join(", ")
        ));
    }
    match red.rank() {
        0 => {
            let positive = p.terms().all(|(_, c)| c.is_positive());
            if positive {
                SignVerdict::Positive
            } else {
                SignVerdict::TakesNegative(
                    "negative everywhere (a negative term times an even monomial)".into(),
                )
            }
        }
        1 => sign_rank1(&red, &ss),
        k => sign_higher(p, k, search),
    }
}

fn to_upoly(p: &Poly) -> Result<UPoly, String> {
    let deg = p.degree_in(0).unwrap_or(0);
    if deg > MAX_UNI_DEGREE {
        return Err(format!("reduced degree {deg} too large"));
    }
    let mut c = vec![Rational::zero(); deg as usize + 1];
    for (e, k) in p.terms() {
        c[e[0] as usize] += k;
    }
    Ok(UPoly::new(c))
}

fn half_lines(neg_allowed: bool) -> Vec<(Bound, Bound)> {
    let zero = Bound::at(Rational::zero());
    let mut v = vec![(zero.clone(), Bound::PosInf)];
    if neg_allowed {
        v.push((Bound::NegInf, zero));
    }
    v
}

/// Rank 1: `p = x^β P(u)`, `u = x^v`, `sign x^β = sign(u)^λ`; decide the sign of
/// `u^λ P(u)` on the achievable `u` exactly.
fn sign_rank1(red: &lattice::Reduction, ss: &SignStructure) -> SignVerdict {
    let SignStructure::Coupled { lambda, .. } = ss else {
        return SignVerdict::Undecided("inconsistent sign structure".into());
    };
    let neg_allowed = ss.allows(&[true]);
    let pu = match to_upoly(&red.reduced) {
        Ok(u) => u,
        Err(e) => return SignVerdict::Undecided(e),
    };
    let q = if lambda.first().copied().unwrap_or(false) {
        pu.shift(1)
    } else {
        pu
    };
    let u = format_laurent(&red.basis[0]);
    let ranges = half_lines(neg_allowed);
    for (a, b) in &ranges {
        let Some(pts) = q.gap_points(a, b) else {
            return SignVerdict::Undecided("zero univariate reduction".into());
        };
        if let Some(t) = pts.iter().find(|t| q.eval(t).is_negative()) {
            return SignVerdict::TakesNegative(format!(
                "negative where {u} = {}",
                format_rational(t)
            ));
        }
    }
    for (a, b) in &ranges {
        if let Some(r) = q.isolate_roots_in(a, b).and_then(|v| v.into_iter().next()) {
            return SignVerdict::NonNegativeWithZero(format!(
                "zero where {u} {}",
                describe_root(&q, &r)
            ));
        }
    }
    SignVerdict::Positive
}

/// Rank ≥ 2: sufficient criteria only.
fn sign_higher(p: &Poly, k: usize, search: bool) -> SignVerdict {
    if p.is_even_positive() || amgm_positive(p) {
        return SignVerdict::Positive;
    }
    if let Some(v) = sum_split(p, search) {
        return v;
    }
    if let Some(v) = product_split(p, search) {
        return v;
    }
    let mut search = search;
    if let Some((c, q)) = square_root(p) {
        if c.is_negative() {
            return SignVerdict::TakesNegative("a negative multiple of a nonzero square".into());
        }
        match zero_rec(std::slice::from_ref(&q)) {
            TorusVerdict::NoZero => return SignVerdict::Positive,
            TorusVerdict::Zero(z) => return SignVerdict::NonNegativeWithZero(z),
            TorusVerdict::Undecided(_) => search = false,
        }
    }
    if search {
        if let Some(w) = slice_negative(p) {
            return SignVerdict::TakesNegative(w);
        }
    }
    SignVerdict::Undecided(format!(
        "support of rank {k}: no sufficient criterion applies"
    ))
}

/// AM–GM certificate: every term `c·x^α` that is not an even square with a positive
/// coefficient is dominated by two even positive terms `a·x^β`, `b·x^γ` with
/// `β + γ = 2α`, via `a'x^β + b'x^γ ≥ 2√(a'b')|x^α|` where `a', b'` are equal shares of
/// `a, b` among the terms using them: `c² ≤ 4a'b'`. Strict positivity needs a strict
/// inequality everywhere or an unused even positive term.
fn amgm_positive(p: &Poly) -> bool {
    let even = |e: &Exponent| e.iter().all(|k| k % 2 == 0);
    let good: BTreeMap<&Exponent, &Rational> = p
        .terms()
        .filter(|(e, c)| c.is_positive() && even(e))
        .collect();
    let bad: Vec<(&Exponent, &Rational)> = p
        .terms()
        .filter(|(e, c)| !(c.is_positive() && even(e)))
        .collect();
    if bad.is_empty() || good.len() < 2 {
        return bad.is_empty() && !good.is_empty();
    }
    let mut pairs = Vec::with_capacity(bad.len());
    let mut uses: BTreeMap<&Exponent, usize> = BTreeMap::new();
    for (alpha, _) in &bad {
        let found = good.keys().find_map(|beta| {
            let gamma: Option<Exponent> = alpha
                .iter()
                .zip(beta.iter())
                .map(|(a, b)| (2 * u64::from(*a)).checked_sub(u64::from(*b)))
                .map(|x| x.and_then(|x| u32::try_from(x).ok()))
                .collect();
            let gamma = gamma?;
            let (gk, _) = good.get_key_value(&gamma)?;
            (*gk != *beta).then_some((*beta, *gk))
        });
        let Some((b, g)) = found else { return false };
        *uses.entry(b).or_insert(0) += 1;
        *uses.entry(g).or_insert(0) += 1;
        pairs.push((b, g));
    }
    let mut strict = true;
    let share = |e: &Exponent| -> Rational {
        let n = uses.get(e).copied().unwrap_or(1).max(1);
        good.get(e).map_or_else(Rational::zero, |c| {
            (*c).clone() / Rational::from_integer(n.into())
        })
    };
    for ((_, c), (b, g)) in bad.iter().zip(&pairs) {
        let lhs = (*c).clone() * (*c).clone();
        let rhs = share(b) * share(g) * Rational::from_integer(4.into());
        if lhs > rhs {
            return false;
        }
        if lhs == rhs {
            strict = false;
        }
    }
    strict || good.keys().any(|e| !uses.contains_key(e))
}

/// Union–find over variables: the connected components of the terms (two terms are
/// connected when they share a variable). Returns the constant term and the
/// components (each in the full ring).
fn components(p: &Poly) -> (Rational, Vec<Poly>) {
    let n = p.nvars();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for e in p.support() {
        let vs: Vec<usize> = (0..n).filter(|&i| e[i] > 0).collect();
        for w in vs.windows(2) {
            let (a, b) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
            parent[a] = b;
        }
    }
    let mut constant = Rational::zero();
    let mut comps: BTreeMap<usize, Poly> = BTreeMap::new();
    for (e, c) in p.terms() {
        match (0..n).find(|&i| e[i] > 0) {
            None => constant += c,
            Some(i) => {
                let r = find(&mut parent, i);
                comps
                    .entry(r)
                    .or_insert_with(|| Poly::zero(n))
                    .add_term(e.clone(), c.clone());
            }
        }
    }
    (constant, comps.into_values().collect())
}

/// `p = c + Σ A_i` with the `A_i` in pairwise disjoint variables and without constant
/// term. Each `A_i → 0` as its variables tend to 0 inside the torus, so:
/// `c < 0` ⇒ negative; for `c = 0`, some `A_i(x_0) < 0` ⇒ `p < 0` near `x_0` with the other
/// variables small; all `A_i ≥ 0` ⇒ `p ≥ 0`, positive iff `c > 0` or some `A_i > 0`, and
/// otherwise zero at the combination of zeros of the `A_i`.
fn sum_split(p: &Poly, search: bool) -> Option<SignVerdict> {
    let (c, comps) = components(p);
    if comps.len() + usize::from(!c.is_zero()) < 2 {
        return None;
    }
    if c.is_negative() {
        return Some(SignVerdict::TakesNegative(format!(
            "tends to {} as all variables tend to 0",
            format_rational(&c)
        )));
    }
    let verdicts: Vec<SignVerdict> = comps.iter().map(|a| sign_rec(a, search)).collect();
    if c.is_zero() {
        if let Some(w) = verdicts.iter().find_map(|v| match v {
            SignVerdict::TakesNegative(w) => Some(w),
            _ => None,
        }) {
            return Some(SignVerdict::TakesNegative(format!(
                "{w}, with the variables of the other summands near 0"
            )));
        }
    }
    let mut zeros = Vec::new();
    let mut any_positive = c.is_positive();
    for v in &verdicts {
        match v {
            SignVerdict::Positive => any_positive = true,
            SignVerdict::NonNegativeWithZero(z) => zeros.push(z.clone()),
            _ => return None,
        }
    }
    Some(if any_positive {
        SignVerdict::Positive
    } else {
        SignVerdict::NonNegativeWithZero(zeros.join(" and "))
    })
}

/// Three-valued facts with a description for "yes".
#[derive(Clone, Debug)]
enum Tri {
    Yes(String),
    No,
    Unknown,
}

impl Tri {
    fn and(&self, o: &Tri) -> Tri {
        match (self, o) {
            (Tri::No, _) | (_, Tri::No) => Tri::No,
            (Tri::Yes(a), Tri::Yes(b)) => Tri::Yes(format!("{a}; {b}")),
            _ => Tri::Unknown,
        }
    }
    fn or(&self, o: &Tri) -> Tri {
        match (self, o) {
            (Tri::Yes(a), _) | (_, Tri::Yes(a)) => Tri::Yes(a.clone()),
            (Tri::No, Tri::No) => Tri::No,
            _ => Tri::Unknown,
        }
    }
    fn unknown(&self) -> bool {
        matches!(self, Tri::Unknown)
    }
}

/// Which signs a nonzero polynomial takes on the torus.
struct Profile {
    pos: Tri,
    neg: Tri,
    zero: Tri,
}

fn profile(f: &Poly, search: bool) -> Profile {
    let mut pr = Profile {
        pos: Tri::Unknown,
        neg: Tri::Unknown,
        zero: Tri::Unknown,
    };
    match sign_rec(f, search) {
        SignVerdict::Positive => {
            pr.pos = Tri::Yes("positive everywhere".into());
            pr.neg = Tri::No;
            pr.zero = Tri::No;
        }
        SignVerdict::NonNegativeWithZero(z) => {
            pr.pos = Tri::Yes("positive at generic points".into());
            pr.neg = Tri::No;
            pr.zero = Tri::Yes(z);
        }
        SignVerdict::TakesNegative(w) => pr.neg = Tri::Yes(w),
        SignVerdict::Undecided(_) => {}
    }
    match sign_rec(&-f, search) {
        SignVerdict::Positive => {
            if pr.neg.unknown() {
                pr.neg = Tri::Yes("negative everywhere".into());
            }
            pr.pos = Tri::No;
            pr.zero = Tri::No;
        }
        SignVerdict::NonNegativeWithZero(z) => {
            if pr.neg.unknown() {
                pr.neg = Tri::Yes("negative at generic points".into());
            }
            pr.pos = Tri::No;
            pr.zero = Tri::Yes(z);
        }
        SignVerdict::TakesNegative(w) => {
            if pr.pos.unknown() {
                pr.pos = Tri::Yes(format!("its negative: {w}"));
            }
        }
        SignVerdict::Undecided(_) => {}
    }
    pr
}

/// Find `p = A(x_S)·B(x_T)` with `S ⊔ T` the used variables, both factors non-constant.
fn find_product_split(p: &Poly) -> Option<(Poly, Poly)> {
    let used = p.used_vars();
    if used.len() < 2 || used.len() > PRODUCT_SPLIT_MAX_VARS {
        return None;
    }
    let n = p.nvars();
    let rest = &used[1..];
    for mask in 0u32..(1u32 << rest.len()) - 1 {
        let mut in_s = vec![false; n];
        in_s[used[0]] = true;
        for (j, &v) in rest.iter().enumerate() {
            if mask & (1 << j) != 0 {
                in_s[v] = true;
            }
        }
        let proj = |e: &Exponent, s: bool| -> Exponent {
            e.iter()
                .enumerate()
                .map(|(i, &k)| if in_s[i] == s { k } else { 0 })
                .collect()
        };
        // Coefficient matrix rows α_S, columns α_T; a product iff it has rank 1.
        let mut rows: BTreeMap<Exponent, BTreeMap<Exponent, Rational>> = BTreeMap::new();
        for (e, c) in p.terms() {
            rows.entry(proj(e, true))
                .or_default()
                .insert(proj(e, false), c.clone());
        }
        let mut it = rows.iter();
        let Some((_, row0)) = it.next() else { continue };
        let Some((k0, c0)) = row0.iter().next() else {
            continue;
        };
        let rank1 = it.all(|(_, r)| {
            r.len() == row0.len()
                && r.get(k0).is_some_and(|ck| {
                    let ratio = ck / c0;
                    row0.iter()
                        .all(|(k, c)| r.get(k).is_some_and(|x| *x == c * &ratio))
                })
        });
        if !rank1 {
            continue;
        }
        let a = Poly::from_terms(
            n,
            rows.iter()
                .filter_map(|(s, r)| r.get(k0).map(|c| (s.clone(), c.clone()))),
        );
        let b = Poly::from_terms(n, row0.iter().map(|(t, c)| (t.clone(), c / c0)));
        if a.is_constant() || b.is_constant() || &a * &b != *p {
            continue;
        }
        return Some((a, b));
    }
    None
}

/// `p = A·B` in disjoint variables: the values of `p` are all products `A(x)B(y)`.
fn product_split(p: &Poly, search: bool) -> Option<SignVerdict> {
    let (a, b) = find_product_split(p)?;
    let (pa, pb) = (profile(&a, search), profile(&b, search));
    let neg = pa.pos.and(&pb.neg).or(&pa.neg.and(&pb.pos));
    match neg {
        Tri::Yes(w) => Some(SignVerdict::TakesNegative(format!(
            "product of factors in disjoint variables with opposite signs ({w})"
        ))),
        Tri::No => match pa.zero.or(&pb.zero) {
            Tri::Yes(z) => Some(SignVerdict::NonNegativeWithZero(z)),
            Tri::No => Some(SignVerdict::Positive),
            Tri::Unknown => None,
        },
        Tri::Unknown => None,
    }
}

/// `p = c·q²` with `c` the (lex-)leading coefficient of `p`: the classical square-root
/// algorithm by leading terms (each step the leading term of `p/c − q²` is `2·lt(q)·t`
/// for the next term `t`). Only returns when `p/c − q² = 0` exactly.
fn square_root(p: &Poly) -> Option<(Rational, Poly)> {
    let (le, lc) = p.terms().last()?;
    if le.iter().any(|k| k % 2 == 1) {
        return None;
    }
    let c = lc.clone();
    let target = p.scale(&(Rational::one() / &c));
    let n = p.nvars();
    let half: Exponent = le.iter().map(|k| k / 2).collect();
    let mut q = Poly::monomial(n, half.clone(), Rational::one());
    let mut r = &target - &(&q * &q);
    let mut last = half.clone();
    let two = Rational::from_integer(2.into());
    for _ in 0..SQRT_MAX_STEPS {
        let Some((f, d)) = r.terms().last() else {
            return Some((c, q));
        };
        let g: Option<Exponent> = f
            .iter()
            .zip(&half)
            .map(|(a, b)| a.checked_sub(*b))
            .collect();
        let g = g?;
        if g >= last {
            return None;
        }
        let t = Poly::monomial(n, g.clone(), d / &two);
        let sub = &(&q * &t).scale(&two) + &(&t * &t);
        r = &r - &sub;
        q = &q + &t;
        last = g;
    }
    None
}

/// Deterministic slice points: for each trial, a free variable and rational nonzero
/// values for the other used variables (unused variables are 1).
fn slice_points(used: &[usize], nvars: usize) -> Vec<(usize, Vec<Rational>)> {
    let table: Vec<Rational> = [
        (1, 1),
        (-1, 1),
        (2, 1),
        (-2, 1),
        (1, 2),
        (-1, 2),
        (3, 1),
        (-3, 1),
        (1, 3),
        (-1, 3),
        (3, 2),
        (-2, 3),
    ]
    .iter()
    .map(|&(a, b): &(i64, i64)| Rational::new(a.into(), b.into()))
    .collect();
    let m = used.len();
    if m == 0 {
        return Vec::new();
    }
    let sign_patterns = 1usize << (m - 1).min(4);
    let mut out = Vec::new();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for n in 0..SLICE_TRIALS {
        let free = used[n % m];
        let round = n / m;
        let mut pt = vec![Rational::one(); nvars];
        let mut jj = 0;
        for &v in used {
            if v == free {
                continue;
            }
            pt[v] = if round < sign_patterns {
                if (round >> jj) & 1 == 1 {
                    -Rational::one()
                } else {
                    Rational::one()
                }
            } else {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                table[(state % table.len() as u64) as usize].clone()
            };
            jj += 1;
        }
        if m == 1 && n > 0 {
            break;
        }
        out.push((free, pt));
    }
    out
}

/// The univariate polynomial `t ↦ p(pt with pt[free] = t)`.
fn slice_poly(p: &Poly, free: usize, pt: &[Rational]) -> Option<UPoly> {
    let deg = p.degree_in(free)?;
    if deg > MAX_UNI_DEGREE {
        return None;
    }
    let mut c = vec![Rational::zero(); deg as usize + 1];
    for (e, k) in p.terms() {
        let mut v = k.clone();
        for (i, &x) in e.iter().enumerate() {
            if i != free && x > 0 {
                v *= num_traits::pow(pt[i].clone(), x as usize);
            }
        }
        c[e[free] as usize] += v;
    }
    Some(UPoly::new(c))
}

/// Search a rational torus point where `p < 0`, on univariate slices (exact).
fn slice_negative(p: &Poly) -> Option<String> {
    for (free, mut pt) in slice_points(&p.used_vars(), p.nvars()) {
        let Some(q) = slice_poly(p, free, &pt) else {
            continue;
        };
        if let Some(t) = univariate_negative_point(&q) {
            pt[free] = t;
            if p.eval(&pt).is_negative() {
                return Some(format!("negative at {}", describe_point(&pt, None)));
            }
        }
    }
    None
}

/// A rational `t ≠ 0` with `q(t) < 0`, if one exists (exact). Cheap checks first: values
/// at a few points; then the sign of `q` on each half-line is constant away from the
/// roots of odd multiplicity, so root isolation is only needed when those exist.
fn univariate_negative_point(q: &UPoly) -> Option<Rational> {
    if q.is_zero() {
        return None;
    }
    let probes = [1i64, -1, 2, -2].map(|n| Rational::from_integer(n.into()));
    if let Some(t) = probes.iter().find(|t| q.eval(t).is_negative()) {
        return Some(t.clone());
    }
    // Descartes' rule of signs: no sign variation in the coefficients of q(t) (resp.
    // q(−t)) means no positive (resp. negative) root, so the sign there is that at ±1.
    let variations = |u: &UPoly| {
        let signs: Vec<bool> = u
            .coeffs()
            .iter()
            .filter(|c| !c.is_zero())
            .map(Signed::is_positive)
            .collect();
        signs.windows(2).filter(|w| w[0] != w[1]).count()
    };
    if variations(q) == 0 && variations(&q.reflect()) == 0 {
        return None;
    }
    let dec = q.square_free_decomposition()?;
    let odd = dec
        .factors
        .iter()
        .filter(|(_, m)| m % 2 == 1)
        .fold(UPoly::one(), |acc, (f, _)| &acc * f);
    let probes_nonzero = probes.iter().all(|t| !q.is_root(t));
    if odd.is_constant() && probes_nonzero {
        // No sign change anywhere, and q > 0 at ±1: q ≥ 0 on both half-lines.
        return None;
    }
    for (a, b) in half_lines(true) {
        if odd.count_roots(&a, &b).unwrap_or(0) == 0 && probes_nonzero {
            continue;
        }
        let pts = q.gap_points(&a, &b)?;
        if let Some(t) = pts.into_iter().find(|t| q.eval(t).is_negative()) {
            return Some(t);
        }
    }
    None
}

/// Search a common torus zero of `gens` on univariate slices: a nonzero real root of the
/// gcd of the sliced generators (exact: Sturm-isolated).
fn slice_zero(gens: &[Poly]) -> Option<String> {
    let nvars = gens.first()?.nvars();
    let mut used: Vec<usize> = gens.iter().flat_map(Poly::used_vars).collect();
    used.sort_unstable();
    used.dedup();
    for (free, mut pt) in slice_points(&used, nvars) {
        let mut g = UPoly::zero();
        let mut ok = true;
        for f in gens {
            match slice_poly(f, free, &pt) {
                Some(q) => g = g.gcd(&q),
                None => ok = false,
            }
        }
        if !ok {
            continue;
        }
        if g.is_zero() {
            pt[free] = Rational::one();
            if gens.iter().all(|f| f.eval(&pt).is_zero()) {
                return Some(format!("zero at {}", describe_point(&pt, None)));
            }
            continue;
        }
        for (a, b) in half_lines(true) {
            let Some(r) = g
                .isolate_roots_in(&a, &b)
                .and_then(|v| v.into_iter().next())
            else {
                continue;
            };
            if let Some(x) = &r.exact {
                pt[free] = x.clone();
                if gens.iter().all(|f| f.eval(&pt).is_zero()) {
                    return Some(format!("zero at {}", describe_point(&pt, None)));
                }
                continue;
            }
            let t = format!("t with t {}", describe_root(&g, &r));
            return Some(format!(
                "zero at {}",
                describe_point(&pt, Some((free, t.as_str())))
            ));
        }
    }
    None
}

fn zero_rec(gens: &[Poly]) -> TorusVerdict {
    let gens: Vec<Poly> = gens.iter().filter(|g| !g.is_zero()).cloned().collect();
    if gens.is_empty() {
        return TorusVerdict::Zero("no nonzero generator: every torus point".into());
    }
    if gens.iter().any(Poly::is_monomial) {
        return TorusVerdict::NoZero;
    }
    // Group generators by shared variables: the torus is a product, so a common zero
    // exists iff each group has one.
    let groups = generator_groups(&gens);
    if groups.len() >= 2 {
        let mut zs = Vec::new();
        let mut undecided = None;
        for g in &groups {
            match zero_connected(g) {
                TorusVerdict::NoZero => return TorusVerdict::NoZero,
                TorusVerdict::Zero(z) => zs.push(z),
                TorusVerdict::Undecided(u) => undecided = undecided.or(Some(u)),
            }
        }
        return match undecided {
            Some(u) => TorusVerdict::Undecided(u),
            None => TorusVerdict::Zero(zs.join(" and ")),
        };
    }
    zero_connected(&gens)
}

fn generator_groups(gens: &[Poly]) -> Vec<Vec<Poly>> {
    let mut groups: Vec<(Vec<usize>, Vec<Poly>)> = Vec::new();
    for g in gens {
        let vs = g.used_vars();
        let (mut hit, rest): (Vec<_>, Vec<_>) = groups
            .into_iter()
            .partition(|(gv, _)| gv.iter().any(|v| vs.contains(v)));
        let mut merged_vars = vs;
        let mut merged = vec![g.clone()];
        for (gv, gp) in hit.drain(..) {
            merged_vars.extend(gv);
            merged.extend(gp);
        }
        merged_vars.sort_unstable();
        merged_vars.dedup();
        groups = rest;
        groups.push((merged_vars, merged));
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// Generators sharing variables, none a monomial.
fn zero_connected(gens: &[Poly]) -> TorusVerdict {
    let supports: Vec<Vec<Exponent>> = gens
        .iter()
        .map(|g| g.support().cloned().collect())
        .collect();
    let basis = match lattice::difference_lattice(&supports) {
        Ok(b) => b,
        Err(e) => return TorusVerdict::Undecided(e.to_string()),
    };
    if basis.len() == 1 {
        return zero_rank1(gens, &basis);
    }
    let mut single_zero = None;
    for g in gens {
        for h in [g.clone(), -g] {
            match sign_rec(&h, false) {
                SignVerdict::Positive => return TorusVerdict::NoZero,
                SignVerdict::NonNegativeWithZero(z) => single_zero = single_zero.or(Some(z)),
                _ => {}
            }
        }
    }
    if gens.len() == 1 {
        // One generator that is ≥ 0 or ≤ 0 with a zero.
        if let Some(z) = single_zero {
            return TorusVerdict::Zero(z);
        }
    } else {
        let s = gens
            .iter()
            .fold(Poly::zero(gens[0].nvars()), |acc, g| &acc + &(g * g));
        match sign_rec(&s, false) {
            SignVerdict::Positive => return TorusVerdict::NoZero,
            SignVerdict::NonNegativeWithZero(z) => return TorusVerdict::Zero(z),
            _ => {}
        }
    }
    if let Some(z) = slice_zero(gens) {
        return TorusVerdict::Zero(z);
    }
    TorusVerdict::Undecided(format!(
        "generators span a face lattice of rank {}: no criterion applies",
        basis.len()
    ))
}

/// All generators are `x^{β_i} P_i(u)` with one `u = x^v`: a common torus zero exists iff
/// `gcd(P_i)` has a real root in the achievable range of `u` (all of ℝ∖0 iff `v` has an
/// odd entry, else `u > 0`).
fn zero_rank1(gens: &[Poly], basis: &[Vec<i64>]) -> TorusVerdict {
    let mut g = UPoly::zero();
    for f in gens {
        let red = match lattice::reduce_in_basis(f, basis) {
            Ok(r) => r,
            Err(e) => return TorusVerdict::Undecided(e.to_string()),
        };
        match to_upoly(&red.reduced) {
            Ok(p) => g = g.gcd(&p),
            Err(e) => return TorusVerdict::Undecided(e),
        }
    }
    if g.is_constant() {
        return TorusVerdict::NoZero;
    }
    let v = &basis[0];
    let neg_allowed = v.iter().any(|x| x.rem_euclid(2) == 1);
    let u = format_laurent(v);
    let what = if gens.len() == 1 {
        "zero"
    } else {
        "common zero"
    };
    for (a, b) in half_lines(neg_allowed) {
        if let Some(r) = g
            .isolate_roots_in(&a, &b)
            .and_then(|v| v.into_iter().next())
        {
            return TorusVerdict::Zero(format!("{what} where {u} {}", describe_root(&g, &r)));
        }
    }
    TorusVerdict::NoZero
}
