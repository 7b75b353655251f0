//! Sparsification: an invertible change of coordinates fixing the origin, chosen to make
//! the input simpler before the routes run (issue 3: disguised inputs give the same
//! answer).
//!
//! (λ, m) are unchanged by an analytic change of coordinates fixing the true point with
//! an invertible Jacobian (DESIGN §2.4: change of variables in the zeta function
//! ζ(z) = ∫ K^z φ dw; here |det| = 1, so a uniform prior stays uniform), and by another
//! generating set of the same ideal. The moves are elementary triangular changes
//!
//!   w_i = y_i + c·y^μ   (μ a monomial free of y_i, |μ| ≥ 1, c ∈ ℚ ∖ {0}),
//!
//! each with Jacobian determinant 1 and the polynomial inverse y_i = w_i − c·w^μ. For
//! |μ| = 1 they generate the unimodular linear maps (with permutations, which change
//! nothing here), for |μ| ≥ 2 the triangular polynomial shifts.
//!
//! The search is greedy and deterministic: a move is a candidate when it cancels a term
//! of some generator to first order in c (the coefficient of y^b in f(y_i + c·y^μ) is
//! f_b + c·(b_i + 1)·f_{b + e_i − μ} + O(c²), so c = −f_b / ((b_i+1)·f_{b+e_i−μ}) cancels
//! it); candidates cancelling most terms at once are tried exactly, and the best one is
//! taken when it strictly lowers the total number of terms of the generators. Nothing
//! here recognises a model: any input whose terms can be cancelled this way triggers it.
//!
//! Only inputs with a uniform prior use it (a weight monomial is not invariant under a
//! linear map; DESIGN §3.6 regions are not engine inputs).

use crate::poly::{Poly, Rational, Ring};
use crate::problem::Target;
use num_traits::{One, Zero};
use std::collections::HashMap;
use std::time::Instant;

/// Most moves in one sparsification.
const MAX_MOVES: usize = 24;
/// Inputs with more terms than this (all generators together) are left alone: the
/// candidate search is quadratic in the number of terms of a generator.
const MAX_TERMS: usize = 1500;
/// Directions (i, μ) examined per move (the most frequent first).
const MAX_DIRECTIONS: usize = 400;
/// Largest degree of the monomial μ of a move.
const MAX_SHIFT_DEGREE: u32 = 2;

/// A matrix of polynomials, by rows.
pub type PolyMatrix = Vec<Vec<Poly>>;

/// One elementary change of coordinates w_coord = y_coord + c·y^monomial (the other
/// coordinates unchanged). `monomial` does not involve `coord` and has degree ≥ 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shift {
    /// The coordinate that changes.
    pub coord: usize,
    /// μ.
    pub monomial: Vec<u32>,
    /// c.
    pub c: Rational,
}

impl Shift {
    fn images(&self, n: usize, c: &Rational) -> Vec<Poly> {
        (0..n)
            .map(|k| {
                let v = Poly::var(n, k);
                if k == self.coord {
                    &v + &Poly::monomial(n, self.monomial.clone(), c.clone())
                } else {
                    v
                }
            })
            .collect()
    }

    /// The old coordinates in terms of the new: w_k = images[k](y).
    pub fn forward(&self, n: usize) -> Vec<Poly> {
        self.images(n, &self.c)
    }

    /// The new coordinates in terms of the old: y_coord = w_coord − c·w^μ (μ is free of
    /// the coordinate, so w^μ = y^μ).
    pub fn inverse(&self, n: usize) -> Vec<Poly> {
        self.images(n, &-self.c.clone())
    }

    /// The same move with coordinates renumbered: old index k becomes `pos[k]`
    /// (every index the move uses must be mapped).
    pub fn remap(&self, pos: &[Option<usize>], n: usize) -> Option<Shift> {
        let coord = pos[self.coord]?;
        let mut monomial = vec![0; n];
        for (k, &e) in self.monomial.iter().enumerate() {
            if e > 0 {
                monomial[pos[k]?] = e;
            }
        }
        Some(Shift {
            coord,
            monomial,
            c: self.c.clone(),
        })
    }

    /// `x ↦ x + c·y·z` in the ring's names.
    pub fn show(&self, ring: &Ring) -> String {
        let n = ring.nvars();
        let name = &ring.names()[self.coord];
        let rhs =
            &Poly::var(n, self.coord) + &Poly::monomial(n, self.monomial.clone(), self.c.clone());
        format!("{name} ↦ {}", ring.show(&rhs))
    }
}

/// The input after the change, and the moves (in order: the user's f equals the
/// returned generators composed with the inverses of the moves, last move first).
#[derive(Clone, Debug)]
pub struct Sparsified {
    /// K or the generators in the new coordinates: f ∘ φ_1 ∘ … ∘ φ_k.
    pub target: Target,
    /// φ_1, …, φ_k.
    pub shifts: Vec<Shift>,
    /// For an ideal whose generating set was changed too: (M, M⁻¹), matrices of
    /// polynomials in the new coordinates with `target` = M·(f ∘ φ) and
    /// f ∘ φ = M⁻¹·`target`.
    pub mix: Option<(PolyMatrix, PolyMatrix)>,
}

/// Apply the moves: p ∘ φ_1 ∘ … ∘ φ_k.
pub fn forward(p: &Poly, shifts: &[Shift]) -> Poly {
    let n = p.nvars();
    shifts
        .iter()
        .fold(p.clone(), |q, s| q.compose(&s.forward(n)))
}

/// Undo the moves: q ∘ φ_k⁻¹ ∘ … ∘ φ_1⁻¹ (so `backward(forward(p)) == p`).
pub fn backward(q: &Poly, shifts: &[Shift]) -> Poly {
    let n = q.nvars();
    shifts
        .iter()
        .rev()
        .fold(q.clone(), |p, s| p.compose(&s.inverse(n)))
}

fn generators(target: &Target) -> Vec<Poly> {
    match target {
        Target::Poly(p) => vec![p.clone()],
        Target::Ideal(i) => i.generators().to_vec(),
    }
}

fn with_generators(target: &Target, gens: Vec<Poly>) -> Target {
    match target {
        Target::Poly(_) => Target::Poly(gens.into_iter().next().unwrap_or_else(|| Poly::zero(0))),
        Target::Ideal(i) => Target::Ideal(crate::poly::Ideal::new(i.nvars(), gens)),
    }
}

fn cost(gens: &[Poly]) -> usize {
    gens.iter().map(Poly::num_terms).sum()
}

fn used(gens: &[Poly]) -> Vec<usize> {
    let mut v: Vec<usize> = gens.iter().flat_map(Poly::used_vars).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The pairs (i, μ) for which a move w_i = y_i + c·y^μ can cancel a term: some term
/// y^b is reached from another term y^a by replacing one y_i with y^μ (μ = b − a + e_i,
/// free of y_i, degree 1..=[`MAX_SHIFT_DEGREE`]). In a fixed order, most pairs first.
fn directions(gens: &[Poly]) -> Vec<(usize, Vec<u32>)> {
    let mut count: HashMap<(usize, Vec<u32>), usize> = HashMap::new();
    for g in gens {
        let terms: Vec<&Vec<u32>> = g.support().collect();
        for a in &terms {
            for (i, &ai) in a.iter().enumerate() {
                if ai == 0 {
                    continue;
                }
                for b in &terms {
                    if b[i] + 1 != ai {
                        continue;
                    }
                    let mut mu = Vec::with_capacity(a.len());
                    let mut deg = 0u32;
                    for (k, (&ak, &bk)) in a.iter().zip(b.iter()).enumerate() {
                        let m = i64::from(bk) - i64::from(ak) + i64::from(k == i);
                        let Ok(m) = u32::try_from(m) else { break };
                        deg += m;
                        mu.push(m);
                    }
                    if mu.len() == a.len() && (1..=MAX_SHIFT_DEGREE).contains(&deg) {
                        *count.entry((i, mu)).or_insert(0) += 1;
                    }
                }
            }
        }
    }
    let mut list: Vec<((usize, Vec<u32>), usize)> = count.into_iter().collect();
    list.sort_by(|((i, m), k), ((j, n), l)| {
        l.cmp(k)
            .then_with(|| m.iter().sum::<u32>().cmp(&n.iter().sum::<u32>()))
            .then_with(|| i.cmp(j))
            .then_with(|| n.cmp(m))
    });
    list.into_iter().map(|(d, _)| d).collect()
}

/// Coefficients of f(y_i + t·y^μ) as polynomials in t: for every monomial y^b, the
/// coefficients of t^0, t^1, … (exact: one substitution with t as an extra variable).
fn coefficient_polys(g: &Poly, i: usize, mu: &[u32]) -> Vec<Vec<Rational>> {
    let n = g.nvars();
    let images: Vec<Poly> = (0..n)
        .map(|k| {
            let v = Poly::var(n + 1, k);
            if k == i {
                let mut e = mu.to_vec();
                e.push(1);
                &v + &Poly::monomial(n + 1, e, Rational::one())
            } else {
                v
            }
        })
        .collect();
    let mut by_b: std::collections::BTreeMap<Vec<u32>, Vec<Rational>> = Default::default();
    for (e, c) in g.compose(&images).terms() {
        let d = e[n] as usize;
        let p = by_b.entry(e[..n].to_vec()).or_default();
        if p.len() <= d {
            p.resize(d + 1, Rational::zero());
        }
        p[d] = c.clone();
    }
    by_b.into_values().collect()
}

fn eval(p: &[Rational], t: &Rational) -> Rational {
    p.iter().rev().fold(Rational::zero(), |acc, c| acc * t + c)
}

/// Nonzero rational roots of a polynomial of degree 1 or 2 (coefficients from t^0 up);
/// higher degrees give none (their roots are usually found through other monomials).
fn small_roots(p: &[Rational]) -> Vec<Rational> {
    let deg = p.iter().rposition(|c| !c.is_zero()).unwrap_or(0);
    match deg {
        1 if !p[0].is_zero() => vec![-p[0].clone() / p[1].clone()],
        2 => {
            // a t² + b t + c: rational roots iff b² − 4ac is the square of a rational.
            let (c, b, a) = (&p[0], &p[1], &p[2]);
            let disc: Rational = b * b - Rational::from_integer(4.into()) * a * c;
            if disc < Rational::zero() {
                return Vec::new();
            }
            let (num, den) = (disc.numer().sqrt(), disc.denom().sqrt());
            let root = Rational::new(num.clone(), den.clone());
            if &root * &root != disc {
                return Vec::new();
            }
            let two_a = a * Rational::from_integer(2.into());
            let mut r = vec![(-b + &root) / &two_a, (-b - &root) / &two_a];
            r.retain(|x| !x.is_zero());
            r.dedup();
            r
        }
        _ => Vec::new(),
    }
}

/// The best single move: the (i, μ, c) with the fewest terms after it, when that is
/// fewer than now. For each direction (i, μ) the count of terms after the move is an
/// exact function of c (the number of coefficient polynomials not vanishing at c), and
/// it can only drop at a root of one of them.
fn best_move(
    gens: &[Poly],
    vars: &[usize],
    deadline: Option<Instant>,
) -> Option<(Shift, Vec<Poly>)> {
    let now = cost(gens);
    let mut best: Option<(usize, Shift)> = None;
    for (tried, (i, mu)) in directions(gens).into_iter().enumerate() {
        if tried >= MAX_DIRECTIONS || deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let polys: Vec<Vec<Vec<Rational>>> =
            gens.iter().map(|g| coefficient_polys(g, i, &mu)).collect();
        let mut roots: Vec<Rational> = polys
            .iter()
            .flatten()
            .flat_map(|p| small_roots(p))
            .collect();
        roots.sort();
        roots.dedup();
        for c in roots {
            let k: usize = polys
                .iter()
                .flatten()
                .filter(|p| !eval(p, &c).is_zero())
                .count();
            if k < now && best.as_ref().is_none_or(|(b, _)| k < *b) {
                best = Some((
                    k,
                    Shift {
                        coord: i,
                        monomial: mu.clone(),
                        c,
                    },
                ));
            }
        }
    }
    let (_, shift) = best?;
    let images = shift.forward(gens.first()?.nvars());
    let new: Vec<Poly> = gens.iter().map(|g| g.compose(&images)).collect();
    // A move that removes a variable from the input altogether is not taken: the
    // certificate keeps the input's variables.
    (used(&new) == vars).then_some((shift, new))
}

/// An ideal-preserving generator mix g_a ← g_a + c·y^ν·g_b (a ≠ b, |ν| ≤ 1): the
/// matrix I + c·y^ν·E_ab is unipotent, so the two generating sets span the same ideal
/// (DESIGN §2.4) and the inverse mix subtracts.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Mix {
    a: usize,
    b: usize,
    nu: Vec<u32>,
    c: Rational,
}

/// The best mix and the number of terms after it, when it lowers the count. For a
/// fixed (a, b, ν) the coefficient of y^t in g_a + c·y^ν·g_b is linear in c, so the
/// count after the mix is exact: the union of the supports minus the cancellations.
fn best_mix(gens: &[Poly]) -> Option<(usize, Mix)> {
    let now = cost(gens);
    let mut best: Option<(usize, Mix)> = None;
    for (a, ga) in gens.iter().enumerate() {
        for (b, gb) in gens.iter().enumerate() {
            if a == b || gb.is_zero() {
                continue;
            }
            // (ν, c) ↦ cancellations; ν ↦ overlap of supp(g_a) and ν + supp(g_b).
            let mut cancel: HashMap<(Vec<u32>, Rational), usize> = HashMap::new();
            let mut overlap: HashMap<Vec<u32>, usize> = HashMap::new();
            for (t, ct) in ga.terms() {
                for (u, cu) in gb.terms() {
                    let nu: Option<Vec<u32>> =
                        t.iter().zip(u).map(|(&x, &y)| x.checked_sub(y)).collect();
                    let Some(nu) = nu else { continue };
                    if nu.iter().sum::<u32>() > 1 {
                        continue;
                    }
                    *overlap.entry(nu.clone()).or_insert(0) += 1;
                    *cancel.entry((nu, -ct.clone() / cu.clone())).or_insert(0) += 1;
                }
            }
            for ((nu, c), k) in cancel {
                let after = now + gb.num_terms() - overlap[&nu] - k;
                let better = best.as_ref().is_none_or(|(bc, bm)| {
                    after < *bc || (after == *bc && (a, b, &nu, &c) < (bm.a, bm.b, &bm.nu, &bm.c))
                });
                if after < now && better {
                    best = Some((after, Mix { a, b, nu, c }));
                }
            }
        }
    }
    best
}

/// Unit matrices of polynomials (n variables, k × k).
fn identity(k: usize, n: usize) -> Vec<Vec<Poly>> {
    (0..k)
        .map(|i| {
            (0..k)
                .map(|j| if i == j { Poly::one(n) } else { Poly::zero(n) })
                .collect()
        })
        .collect()
}

/// A change of coordinates (and, for an ideal, a change of generating set) that
/// strictly lowers the number of terms of the input, or `None` when no move helps
/// (already sparse inputs: the common case, and cheap).
pub fn sparsify(target: &Target, deadline: Option<Instant>) -> Option<Sparsified> {
    let mut gens = generators(target);
    let n = target.nvars();
    if n < 2 || cost(&gens) > MAX_TERMS {
        return None;
    }
    let is_ideal = matches!(target, Target::Ideal(_));
    let k = gens.len();
    // gens = mix · (f ∘ φ) and f ∘ φ = unmix · gens, in the current coordinates.
    let mut mix = identity(k, n);
    let mut unmix = identity(k, n);
    let mut mixed = false;
    let vars = used(&gens);
    let mut shifts = Vec::new();
    for _ in 0..MAX_MOVES {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let shift = best_move(&gens, &vars, deadline);
        let generator_mix = if is_ideal && k > 1 {
            best_mix(&gens)
        } else {
            None
        };
        match (shift, generator_mix) {
            (Some((_, new)), Some((after, m))) if after <= cost(&new) => {
                if !apply_mix(&mut gens, &mut mix, &mut unmix, &m, &vars) {
                    break;
                }
                mixed = true;
            }
            (None, Some((_, m))) => {
                if !apply_mix(&mut gens, &mut mix, &mut unmix, &m, &vars) {
                    break;
                }
                mixed = true;
            }
            (Some((shift, new)), _) => {
                let images = shift.forward(n);
                for row in mix.iter_mut().chain(unmix.iter_mut()) {
                    for e in row.iter_mut() {
                        *e = e.compose(&images);
                    }
                }
                shifts.push(shift);
                gens = new;
            }
            (None, None) => break,
        }
    }
    if shifts.is_empty() && !mixed {
        return None;
    }
    Some(Sparsified {
        target: with_generators(target, gens),
        shifts,
        mix: mixed.then_some((mix, unmix)),
    })
}

/// g_a ← g_a + c·y^ν·g_b, keeping gens = mix·F and F = unmix·gens; `false` (and no
/// change) when the mix would remove one of the variables `vars` from the input.
fn apply_mix(
    gens: &mut [Poly],
    mix: &mut [Vec<Poly>],
    unmix: &mut [Vec<Poly>],
    m: &Mix,
    vars: &[usize],
) -> bool {
    let n = gens[m.b].nvars();
    let e = Poly::monomial(n, m.nu.clone(), m.c.clone());
    let new = &gens[m.a] + &(&e * &gens[m.b]);
    let old = std::mem::replace(&mut gens[m.a], new);
    if used(gens) != vars {
        gens[m.a] = old;
        return false;
    }
    // E = I + e·E_ab: row a of mix += e·row b; unmix·E⁻¹: column b of unmix −= e·column a.
    let row_b = mix[m.b].clone();
    for (x, y) in mix[m.a].iter_mut().zip(&row_b) {
        *x = &*x + &(&e * y);
    }
    for row in unmix.iter_mut() {
        let col_a = row[m.a].clone();
        row[m.b] = &row[m.b] - &(&e * &col_a);
    }
    true
}

/// Rewrite a resolution of the mixed generators G = M·F as one of F = M⁻¹·G: at every
/// leaf and at every first forward step on a path, with `map` the composite substitution
/// from the tree's root, T ← (M⁻¹∘map)·T and S ← S·(M∘map) (FORMAT.md identities 1 and 2 are linear in the
/// input generators, so they carry over exactly).
pub fn unmix_tree(
    node: &mut crate::resolve::ChartNode,
    map: &[Poly],
    mix: &[Vec<Poly>],
    unmix: &[Vec<Poly>],
) {
    let map: Vec<Poly> = match &node.substitution {
        Some(sub) => map.iter().map(|p| p.compose(sub)).collect(),
        None => map.to_vec(),
    };
    let compose_all = |m: &[Vec<Poly>]| -> Vec<Vec<Poly>> {
        m.iter()
            .map(|row| row.iter().map(|p| p.compose(&map)).collect())
            .collect()
    };
    // A forward step (FORMAT.md Addendum 12) ties its new base B to the root's inputs by
    // its own T', S' (identities (A), (B), linear in the inputs like identities 1 and 2):
    // they carry the change of generators, and the charts below it refer to B, not to
    // the root's inputs, so they stay as they are.
    if let crate::resolve::Step::Forward(f) = &mut node.step {
        let (m, minv) = (compose_all(mix), compose_all(unmix));
        f.to_input = matmul(&minv, &f.to_input);
        f.to_chart = matmul(&f.to_chart, &m);
        return;
    }
    if let crate::resolve::Body::Leaf { .. } = node.body {
        let (m, minv) = (compose_all(mix), compose_all(unmix));
        let chart = &mut node.chart;
        chart.to_input = matmul(&minv, &chart.to_input);
        chart.to_chart = matmul(&chart.to_chart, &m);
    }
    if let crate::resolve::Body::Split(kids) = &mut node.body {
        for kid in kids {
            unmix_tree(kid, &map, mix, unmix);
        }
    }
    for kid in &mut node.except {
        unmix_tree(kid, &map, mix, unmix);
    }
}

fn matmul(a: &[Vec<Poly>], b: &[Vec<Poly>]) -> Vec<Vec<Poly>> {
    a.iter()
        .map(|row| {
            (0..b.first().map_or(0, Vec::len))
                .map(|j| {
                    row.iter()
                        .zip(b)
                        .fold(None::<Poly>, |acc, (x, brow)| {
                            let t = x * &brow[j];
                            Some(match acc {
                                Some(s) => &s + &t,
                                None => t,
                            })
                        })
                        .unwrap_or_else(|| Poly::zero(0))
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::{parse_list, Ideal};

    fn ideal(src: &str, names: &[&str]) -> (Ring, Target) {
        let ring = Ring::new(names.iter().map(|s| s.to_string()).collect());
        let gens = parse_list(src)
            .unwrap()
            .iter()
            .map(|e| ring.eval(e).unwrap())
            .collect();
        let n = ring.nvars();
        (ring, Target::Ideal(Ideal::new(n, gens)))
    }

    #[test]
    fn a_sheared_product_becomes_a_monomial_again() {
        // x·y under x ↦ x + 2y: x·y + 2y², back to one term by x ↦ x − 2y.
        let (_, t) = ideal("x*y + 2*y^2", &["x", "y"]);
        let s = sparsify(&t, None).unwrap();
        let Target::Ideal(i) = &s.target else {
            panic!()
        };
        assert_eq!(i.generators()[0].num_terms(), 1);
        // The moves are invertible: undoing them gives the input back exactly.
        let Target::Ideal(orig) = &t else { panic!() };
        assert_eq!(
            &backward(&i.generators()[0], &s.shifts),
            &orig.generators()[0]
        );
    }

    #[test]
    fn a_quadratic_shift_is_undone() {
        // x²y² + z⁴ under z ↦ z − y²: a triangular polynomial shift.
        let ring = Ring::new(vec!["x".into(), "y".into(), "z".into()]);
        let e = crate::poly::parse_expr("x^2*y^2 + (z - y^2)^4").unwrap();
        let t = Target::Poly(ring.eval(&e).unwrap());
        let s = sparsify(&t, None).unwrap();
        let Target::Poly(p) = &s.target else { panic!() };
        assert_eq!(p.num_terms(), 2, "{}", ring.show(p));
    }

    #[test]
    fn sparse_inputs_are_left_alone() {
        let (_, t) = ideal("a*b + c*d, a*b^3 + c*d^3", &["a", "b", "c", "d"]);
        assert!(sparsify(&t, None).is_none());
    }
}
