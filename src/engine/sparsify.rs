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

use crate::poly::linalg::reduced_row_echelon;
use crate::poly::{Poly, Rational, Ring};
use crate::problem::Target;
use crate::resolve::chart::identity_matrix;
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
    keep_initial: bool,
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
    // certificate keeps the input's variables. With `keep_initial`, neither is one that
    // makes the initial forms denser (it would undo the linear normalisation).
    let denser = keep_initial && initial_cost(&new).0 > initial_cost(gens).0;
    (used(&new) == vars && !denser).then_some((shift, new))
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

/// Most rounds of the linear normalisation of the initial forms.
const MAX_LINEAR_ROUNDS: usize = 4;
/// Quadratic forms in at most this many variables try every pivot order of the
/// symmetric elimination; larger ones try the order of the variables and its reverse.
const MAX_PERMUTED_PIVOTS: usize = 4;

/// The initial form (lowest homogeneous part) of a generator.
fn initial_form(g: &Poly) -> Poly {
    g.order()
        .map_or_else(|| g.clone(), |d| g.homogeneous_part(d))
}

/// (terms of the initial forms, all terms): the cost of the linear normalisation. A
/// linear change maps each homogeneous part to itself, so it acts on the initial forms
/// alone, and a sparse initial form is what the Newton route and the blow-ups read.
fn initial_cost(gens: &[Poly]) -> (usize, usize) {
    (
        gens.iter().map(|g| initial_form(g).num_terms()).sum(),
        cost(gens),
    )
}

/// Moves y_p ↦ y_p + Σ_j v_p·y_j that make a form q independent of as many coordinates
/// as possible. q(y + t·v) = q(y) for all t exactly when the derivative along v,
/// Σ v_i ∂_i q, is zero, a linear system in v (one equation per monomial of degree
/// deg q − 1). For each free column j of its reduced row echelon form the kernel vector
/// v⁽ʲ⁾ has v_j = 1; substituting y = M·u with M e_j = v⁽ʲ⁾ (identity on the pivot
/// columns) makes q ∘ M free of every u_j. M is unipotent (pivot rows take multiples of
/// free columns only), a product of commuting elementary shears with Jacobian 1.
fn essential_variables(q: &Poly) -> Vec<Shift> {
    let n = q.nvars();
    let vars = q.used_vars();
    if vars.len() < 2 {
        return Vec::new();
    }
    // Rows: monomials of the derivatives; columns: the used variables.
    let derivs: Vec<Poly> = vars.iter().map(|&i| q.derivative(i)).collect();
    let mut monos: Vec<Vec<u32>> = derivs.iter().flat_map(|d| d.support().cloned()).collect();
    monos.sort();
    monos.dedup();
    let mut rows: Vec<Vec<Rational>> = monos
        .iter()
        .map(|m| derivs.iter().map(|d| d.coeff(m)).collect())
        .collect();
    let pivots = reduced_row_echelon(&mut rows, vars.len());
    let mut shifts = Vec::new();
    for j in (0..vars.len()).filter(|j| !pivots.contains(j)) {
        for (r, &p) in pivots.iter().enumerate() {
            let c = -rows[r][j].clone();
            if !c.is_zero() {
                let mut mu = vec![0; n];
                mu[vars[j]] = 1;
                shifts.push(Shift {
                    coord: vars[p],
                    monomial: mu,
                    c,
                });
            }
        }
    }
    shifts
}

/// Symmetric Gaussian elimination (the LDLᵀ decomposition) of a quadratic form q, with
/// the pivots taken in `order`, written as elementary shears: when the pivot's diagonal
/// entry is nonzero, y_k ↦ y_k − (H_kj/H_kk)·y_j clears the cross terms y_k·y_j; when
/// it is zero but some H_kj is not, y_j ↦ y_j ± y_k first makes it nonzero
/// (H_kk + 2c·H_kj + c²·H_jj ≠ 0 for c = 1 or c = −1). Over ℚ every quadratic form is
/// diagonal after such a unipotent change (Sylvester; here exactly, no square roots).
fn diagonalise(q: &Poly, order: &[usize]) -> Vec<Shift> {
    let n = q.nvars();
    let mut q = q.clone();
    let mut shifts: Vec<Shift> = Vec::new();
    let push = |q: &mut Poly, s: Shift, shifts: &mut Vec<Shift>| {
        *q = q.compose(&s.forward(n));
        shifts.push(s);
    };
    for (pos, &k) in order.iter().enumerate() {
        let rest = &order[pos + 1..];
        let h = q.hessian_at_origin();
        if h[k][k].is_zero() {
            let Some(&j) = rest.iter().find(|&&j| !h[k][j].is_zero()) else {
                continue;
            };
            let two = Rational::from_integer(2.into());
            let c = if (&two * &h[k][j] + &h[j][j]).is_zero() {
                -Rational::one()
            } else {
                Rational::one()
            };
            let mut mu = vec![0; n];
            mu[k] = 1;
            push(
                &mut q,
                Shift {
                    coord: j,
                    monomial: mu,
                    c,
                },
                &mut shifts,
            );
        }
        let h = q.hessian_at_origin();
        for &j in rest {
            if !h[k][j].is_zero() {
                let mut mu = vec![0; n];
                mu[j] = 1;
                push(
                    &mut q,
                    Shift {
                        coord: k,
                        monomial: mu,
                        c: -(&h[k][j] / &h[k][k]),
                    },
                    &mut shifts,
                );
            }
        }
    }
    shifts
}

/// All orderings of `v` (for short lists).
fn permutations(v: &[usize]) -> Vec<Vec<usize>> {
    if v.len() <= 1 {
        return vec![v.to_vec()];
    }
    let mut out = Vec::new();
    for (i, &x) in v.iter().enumerate() {
        let mut rest = v.to_vec();
        rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, x);
            out.push(p);
        }
    }
    out
}

/// Linear changes read off the initial forms (and off the base h of an initial form
/// c·h^k): the change that makes a form depend on its essential variables only, and the
/// diagonalisations of a quadratic form. Each is a product of elementary shears.
fn linear_candidates(gens: &[Poly]) -> Vec<Vec<Shift>> {
    let mut forms: Vec<Poly> = Vec::new();
    for g in gens {
        let f = initial_form(g);
        if f.order().unwrap_or(0) == 0 {
            continue;
        }
        if let Some((_, h, _)) = f.perfect_power() {
            forms.push(h);
        }
        forms.push(f);
    }
    let mut out: Vec<Vec<Shift>> = Vec::new();
    for f in &forms {
        out.push(essential_variables(f));
        if f.total_degree() == Some(2) && f.order() == Some(2) {
            let vars = f.used_vars();
            let orders = if vars.len() <= MAX_PERMUTED_PIVOTS {
                permutations(&vars)
            } else {
                vec![vars.clone(), vars.iter().rev().copied().collect()]
            };
            out.extend(orders.iter().map(|o| diagonalise(f, o)));
        }
    }
    out.retain(|s| !s.is_empty());
    out.sort_by_key(Vec::len);
    out.dedup();
    out
}

/// A linear change with its cost and the generators after it.
type Candidate = ((usize, usize), Vec<Shift>, Vec<Poly>);

/// The linear normalisation: the candidate of [`linear_candidates`] with the lowest
/// [`initial_cost`], when it is lower than now, repeated while it helps.
fn normalise_linear(gens: &mut Vec<Poly>, vars: &[usize], deadline: Option<Instant>) -> Vec<Shift> {
    let mut taken = Vec::new();
    for _ in 0..MAX_LINEAR_ROUNDS {
        let now = initial_cost(gens);
        let mut best: Option<Candidate> = None;
        for cand in linear_candidates(gens) {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                break;
            }
            let new: Vec<Poly> = gens.iter().map(|g| forward(g, &cand)).collect();
            let c = initial_cost(&new);
            if c < now && used(&new) == vars && best.as_ref().is_none_or(|(b, _, _)| c < *b) {
                best = Some((c, cand, new));
            }
        }
        let Some((_, cand, new)) = best else { break };
        *gens = new;
        taken.extend(cand);
    }
    taken
}

/// Passes of completing the square per coordinate (each removes the part of order
/// ≤ [`MAX_SPLIT_DEGREE`] of the terms linear in the coordinate).
const MAX_SPLIT_PASSES: usize = 2;
/// Largest degree of the monomials of a completing-the-square shift.
const MAX_SPLIT_DEGREE: u32 = 3;

/// Completing the square (the splitting lemma: Arnold, Gusein-Zade, Varchenko,
/// *Singularities of Differentiable Maps* I, §11.4): when K has order 2 and its
/// quadratic part contains d·z² with no cross term z·y_j, write K = d·z² + z·A + …
/// with A = ∂K/∂z at z = 0, a polynomial free of z of order ≥ 2. The triangular shift
/// z ↦ z − A/(2d) (one elementary move per term of A, each with Jacobian 1) removes
/// z·A and leaves terms linear in z of higher order only, so the part of K that does not
/// split off as d·z² is read in the other coordinates. A pass is kept only when the
/// order of the part linear in z rises and the input stays within [`MAX_TERMS`].
fn split_squares(k: &mut Poly, vars: &[usize], deadline: Option<Instant>) -> Vec<Shift> {
    let n = k.nvars();
    let mut taken = Vec::new();
    if k.order() != Some(2) {
        return taken;
    }
    // Each pass may double the degree: all of them together at most double it.
    let max_degree = 2 * k.total_degree().unwrap_or(0);
    for &z in vars {
        let q = k.homogeneous_part(2);
        let h = q.hessian_at_origin();
        let d = &h[z][z] / Rational::from_integer(2.into());
        if d.is_zero() || (0..n).any(|j| j != z && !h[z][j].is_zero()) {
            continue;
        }
        for _ in 0..MAX_SPLIT_PASSES {
            if deadline.is_some_and(|t| Instant::now() >= t) {
                return taken;
            }
            let linear_in_z = |p: &Poly| -> Poly {
                let images: Vec<Poly> = (0..n)
                    .map(|i| {
                        if i == z {
                            Poly::zero(n)
                        } else {
                            Poly::var(n, i)
                        }
                    })
                    .collect();
                p.derivative(z).compose(&images)
            };
            let a = linear_in_z(k);
            let Some(order) = a.order() else { break };
            if order > MAX_SPLIT_DEGREE {
                break;
            }
            let scale = -Rational::one() / (&d * Rational::from_integer(2.into()));
            // Only the terms of degree ≤ MAX_SPLIT_DEGREE: a shift by y^μ multiplies the
            // degree in z by up to |μ|, and a few of them at high degree make the input
            // explode (the terms left over are of higher order anyway).
            let moves: Vec<Shift> = a
                .terms()
                .filter(|(e, _)| e.iter().sum::<u32>() <= MAX_SPLIT_DEGREE)
                .map(|(e, c)| Shift {
                    coord: z,
                    monomial: e.clone(),
                    c: c * &scale,
                })
                .collect();
            let mu = moves.iter().map(|s| s.monomial.iter().sum::<u32>()).max();
            let degree_after = k
                .support()
                .map(|e| e.iter().sum::<u32>() - e[z] + e[z] * mu.unwrap_or(1))
                .max();
            if degree_after.unwrap_or(0) > max_degree {
                break;
            }
            let new = forward(k, &moves);
            let rises = linear_in_z(&new).order().is_none_or(|o| o > order);
            if !rises || new.num_terms() > MAX_TERMS || used(std::slice::from_ref(&new)) != vars {
                break;
            }
            *k = new;
            taken.extend(moves);
        }
    }
    taken
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
    let mut mix = identity_matrix(k, n);
    let mut unmix = identity_matrix(k, n);
    let mut mixed = false;
    let vars = used(&gens);
    // For a single K, the linear part first: the initial form carries it alone (the
    // greedy below takes one shear at a time and stops when no single one lowers the
    // number of terms); the squares that split off come after the greedy. Ideals are left to the greedy
    // and the generator mixes: measured on the disguise audit (BENCHMARKS.md), the
    // initial-form cost moved reduced-rank, tanh and Vandermonde disguises away from
    // forms the resolver finishes.
    let mut shifts = Vec::new();
    if let (Target::Poly(_), [k]) = (target, gens.as_mut_slice()) {
        let mut single = vec![k.clone()];
        shifts = normalise_linear(&mut single, &vars, deadline);
        *k = single.remove(0);
    }
    for _ in 0..MAX_MOVES {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let shift = best_move(&gens, &vars, !is_ideal, deadline);
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
    // Squares split off last, so that the greedy (which counts terms) cannot take the
    // shifts back.
    if let (Target::Poly(_), [k]) = (target, gens.as_mut_slice()) {
        shifts.extend(split_squares(k, &vars, deadline));
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

    fn poly(src: &str, names: &[&str]) -> (Ring, Target) {
        let ring = Ring::new(names.iter().map(|s| s.to_string()).collect());
        let e = crate::poly::parse_expr(src).unwrap();
        let p = ring.eval(&e).unwrap();
        (ring, Target::Poly(p))
    }

    fn sparse_poly(t: &Target) -> (Poly, Vec<Shift>) {
        let s = sparsify(t, None).unwrap();
        let Target::Poly(p) = s.target else { panic!() };
        // The moves are invertible: undoing them gives the input back exactly.
        let Target::Poly(orig) = t else { panic!() };
        assert_eq!(&backward(&p, &s.shifts), orig);
        (p, s.shifts)
    }

    #[test]
    fn a_sheared_quadratic_form_is_diagonalised() {
        // (x² + y² − z²)² under x ↦ x + 2y − z, y ↦ y + z: no single shear lowers the
        // number of terms of the dense quartic, the diagonalisation of the base of its
        // initial form (a square) does.
        let (ring, t) = poly(
            "((x + 2*y - z)^2 + (y + z)^2 - z^2)^2 + x^5",
            &["x", "y", "z"],
        );
        let (p, _) = sparse_poly(&t);
        let q = initial_form(&p).root(2).unwrap().1;
        assert_eq!(q.num_terms(), 3, "{}", ring.show(&p));
        assert!(q.terms().all(|(e, _)| e.contains(&2)));
    }

    #[test]
    fn an_initial_form_in_fewer_variables_loses_the_others() {
        // Initial form (x + 2y − 3z)²: one essential linear form, so after the change
        // it is c·u² in one coordinate.
        let (ring, t) = poly("(x + 2*y - 3*z)^2 + y^4 + z^4", &["x", "y", "z"]);
        let (p, _) = sparse_poly(&t);
        assert_eq!(initial_form(&p).num_terms(), 1, "{}", ring.show(&p));
    }

    #[test]
    fn a_square_splits_off() {
        // z² + 2xyz + x⁴ + y⁴: z ↦ z − xy completes the square (z² − x²y² + x⁴ + y⁴),
        // nothing linear in z is left.
        let (ring, t) = poly("z^2 + 2*x*y*z + 2*x*y*z^3 + x^4 + y^4", &["x", "y", "z"]);
        let (p, shifts) = sparse_poly(&t);
        assert!(shifts.iter().any(|s| s.coord == 2), "{}", ring.show(&p));
        assert!(
            p.terms()
                .all(|(e, _)| e[2] != 1 || e.iter().sum::<u32>() > 4),
            "{}",
            ring.show(&p)
        );
    }

    #[test]
    fn sparse_inputs_are_left_alone() {
        let (_, t) = ideal("a*b + c*d, a*b^3 + c*d^3", &["a", "b", "c", "d"]);
        assert!(sparsify(&t, None).is_none());
    }
}
