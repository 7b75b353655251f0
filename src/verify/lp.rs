//! The checker's own exact linear programming: a dense two-phase simplex over ℚ with
//! Bland's rule, and the Newton distance t* and face codimension θ of a monomial ideal
//! (Lin 2017 Thm 1.3; for monomial ideals (λ, m) = (1/(2t*), θ), Howald 2001).
//!
//! With points p_i (the exponents of the monomial ideal) and the prior ray τ:
//! - t* = min t subject to t·τ − Σ λ_i p_i − s = 0, Σ λ_i = 1, t, λ, s ≥ 0;
//! - with p* = t*·τ, a point p_i lies in the smallest face of Γ containing p* iff some
//!   representation p* = Σ λ p + s (Σλ = 1, λ, s ≥ 0) has λ_i > 0, and a recession
//!   direction e_j lies in it iff some representation has s_j > 0 (p* is in the relative
//!   interior of that face, which is conv(its points) + cone(its directions));
//! - θ = n − rank({p_i − p_first} ∪ {e_j}) over the face's points and directions.

use crate::poly::Rational;
use num_traits::{One, Signed, Zero};

/// The result of [`minimise`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum LpOutcome {
    /// An optimal vertex and its value.
    Optimal { value: Rational, x: Vec<Rational> },
    /// The constraints have no solution.
    Infeasible,
    /// The objective is unbounded below.
    Unbounded,
}

/// A simplex tableau in canonical form for the basis.
struct Tableau {
    rows: Vec<Vec<Rational>>,
    rhs: Vec<Rational>,
    basis: Vec<usize>,
}

impl Tableau {
    fn pivot(&mut self, r: usize, col: usize) {
        let p = self.rows[r][col].clone();
        for v in self.rows[r].iter_mut() {
            *v /= &p;
        }
        self.rhs[r] /= &p;
        let pivot_row = self.rows[r].clone();
        let pivot_rhs = self.rhs[r].clone();
        for i in 0..self.rows.len() {
            if i == r || self.rows[i][col].is_zero() {
                continue;
            }
            let f = self.rows[i][col].clone();
            for (v, w) in self.rows[i].iter_mut().zip(&pivot_row) {
                *v -= &f * w;
            }
            self.rhs[i] -= &f * &pivot_rhs;
        }
        self.basis[r] = col;
    }

    fn reduced_cost(&self, cost: &[Rational], j: usize) -> Rational {
        let mut d = cost[j].clone();
        for (r, &b) in self.basis.iter().enumerate() {
            d -= &cost[b] * &self.rows[r][j];
        }
        d
    }

    fn value(&self, cost: &[Rational]) -> Rational {
        self.basis
            .iter()
            .zip(&self.rhs)
            .map(|(&b, v)| &cost[b] * v)
            .fold(Rational::zero(), |a, b| a + b)
    }

    /// Minimise `cost` over the columns `< allowed` with Bland's rule (smallest entering
    /// index; ties in the ratio test to the smallest basic index), which cannot cycle.
    /// Returns `false` if unbounded.
    fn optimise(&mut self, cost: &[Rational], allowed: usize) -> bool {
        loop {
            let entering = (0..allowed)
                .find(|&j| !self.basis.contains(&j) && self.reduced_cost(cost, j).is_negative());
            let Some(j) = entering else {
                return true;
            };
            let mut leave: Option<(Rational, usize, usize)> = None;
            for r in 0..self.rows.len() {
                let a = &self.rows[r][j];
                if !a.is_positive() {
                    continue;
                }
                let ratio = &self.rhs[r] / a;
                let better = match &leave {
                    None => true,
                    Some((best, b, _)) => ratio < *best || (ratio == *best && self.basis[r] < *b),
                };
                if better {
                    leave = Some((ratio, self.basis[r], r));
                }
            }
            let Some((_, _, r)) = leave else {
                return false;
            };
            self.pivot(r, j);
        }
    }
}

/// Minimise c·x subject to A x = b, x ≥ 0, exactly (two-phase simplex).
pub(super) fn minimise(a: &[Vec<Rational>], b: &[Rational], c: &[Rational]) -> LpOutcome {
    let m = a.len();
    let n = c.len();
    let mut rows = Vec::with_capacity(m);
    let mut rhs = Vec::with_capacity(m);
    for (i, (row, bi)) in a.iter().zip(b).enumerate() {
        let flip = bi.is_negative();
        let mut full: Vec<Rational> = (0..n)
            .map(|j| {
                let v = row.get(j).cloned().unwrap_or_else(Rational::zero);
                if flip {
                    -v
                } else {
                    v
                }
            })
            .collect();
        full.extend((0..m).map(|k| {
            if k == i {
                Rational::one()
            } else {
                Rational::zero()
            }
        }));
        rows.push(full);
        rhs.push(if flip { -bi.clone() } else { bi.clone() });
    }
    let mut t = Tableau {
        rows,
        rhs,
        basis: (n..n + m).collect(),
    };
    // Phase 1: minimise the sum of the artificial variables.
    let phase1: Vec<Rational> = (0..n + m)
        .map(|j| {
            if j < n {
                Rational::zero()
            } else {
                Rational::one()
            }
        })
        .collect();
    t.optimise(&phase1, n + m);
    if t.value(&phase1).is_positive() {
        return LpOutcome::Infeasible;
    }
    // Drive the (zero-valued) artificial variables out of the basis; a row where that is
    // impossible is a redundant equation and is dropped.
    let mut r = 0;
    while r < t.rows.len() {
        if t.basis[r] >= n {
            match (0..n).find(|&j| !t.rows[r][j].is_zero()) {
                Some(j) => t.pivot(r, j),
                None => {
                    t.rows.remove(r);
                    t.rhs.remove(r);
                    t.basis.remove(r);
                    continue;
                }
            }
        }
        r += 1;
    }
    let phase2: Vec<Rational> = c
        .iter()
        .cloned()
        .chain((0..m).map(|_| Rational::zero()))
        .collect();
    if !t.optimise(&phase2, n) {
        return LpOutcome::Unbounded;
    }
    let mut x = vec![Rational::zero(); n];
    for (&bv, v) in t.basis.iter().zip(&t.rhs) {
        if bv < n {
            x[bv] = v.clone();
        }
    }
    LpOutcome::Optimal {
        value: t.value(&phase2),
        x,
    }
}

/// The Newton data of a monomial ideal: t* and θ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct NewtonValue {
    /// t* = min{t : t·τ ∈ Γ}.
    pub t_star: Rational,
    /// The codimension of the smallest face of Γ containing t*·τ.
    pub theta: usize,
}

/// t* and θ for Γ = conv(points) + ℝ≥0^d along τ (all τ_j > 0).
///
/// Returns `Ok(None)` when there is no pole: no points, or some point is 0 (the unit
/// ideal).
///
/// # Errors
/// Inconsistent dimensions or a nonpositive τ_j (never for data built by the checker).
pub(super) fn newton_distance(
    points: &[Vec<u32>],
    tau: &[u32],
) -> Result<Option<NewtonValue>, String> {
    let d = tau.len();
    if points.iter().any(|p| p.len() != d) {
        return Err("point dimension differs from τ".into());
    }
    if tau.contains(&0) {
        return Err("τ must be positive".into());
    }
    if points.is_empty() || points.iter().any(|p| p.iter().all(|&k| k == 0)) {
        return Ok(None);
    }
    let q = |k: u32| Rational::from_integer(k.into());
    let np = points.len();
    // Variables: t, λ_1..λ_np, s_1..s_d.
    let nv = 1 + np + d;
    let mut a = Vec::with_capacity(d + 1);
    for k in 0..d {
        let mut row = vec![Rational::zero(); nv];
        row[0] = q(tau[k]);
        for (i, p) in points.iter().enumerate() {
            row[1 + i] = -q(p[k]);
        }
        row[1 + np + k] = -Rational::one();
        a.push(row);
    }
    let mut sum = vec![Rational::zero(); nv];
    for v in sum.iter_mut().skip(1).take(np) {
        *v = Rational::one();
    }
    a.push(sum);
    let mut b = vec![Rational::zero(); d];
    b.push(Rational::one());
    let mut c = vec![Rational::zero(); nv];
    c[0] = Rational::one();
    let t_star = match minimise(&a, &b, &c) {
        LpOutcome::Optimal { value, .. } => value,
        other => return Err(format!("the Newton LP is {other:?}")),
    };
    if !t_star.is_positive() {
        return Err("t* is not positive".into());
    }
    // The smallest face containing p* = t*·τ: maximise each λ_i and each s_j in turn.
    let target: Vec<Rational> = tau.iter().map(|&t| q(t) * &t_star).collect();
    let nv = np + d;
    let mut a = Vec::with_capacity(d + 1);
    for k in 0..d {
        let mut row = vec![Rational::zero(); nv];
        for (i, p) in points.iter().enumerate() {
            row[i] = q(p[k]);
        }
        row[np + k] = Rational::one();
        a.push(row);
    }
    let mut sum = vec![Rational::zero(); nv];
    for v in sum.iter_mut().take(np) {
        *v = Rational::one();
    }
    a.push(sum);
    let mut b = target;
    b.push(Rational::one());
    let mut in_face = vec![false; nv];
    for (v, flag) in in_face.iter_mut().enumerate() {
        let mut c = vec![Rational::zero(); nv];
        c[v] = -Rational::one();
        match minimise(&a, &b, &c) {
            LpOutcome::Optimal { value, .. } => *flag = value.is_negative(),
            other => return Err(format!("the face LP is {other:?}")),
        }
    }
    let face_points: Vec<&Vec<u32>> = (0..np)
        .filter(|&i| in_face[i])
        .map(|i| &points[i])
        .collect();
    let Some(first) = face_points.first() else {
        return Err("the face of p* contains no point".into());
    };
    let mut vectors: Vec<Vec<Rational>> = face_points[1..]
        .iter()
        .map(|p| {
            p.iter()
                .zip(first.iter())
                .map(|(&x, &y)| q(x) - q(y))
                .collect()
        })
        .collect();
    for k in 0..d {
        if in_face[np + k] {
            let mut e = vec![Rational::zero(); d];
            e[k] = Rational::one();
            vectors.push(e);
        }
    }
    let dim = rank(vectors);
    Ok(Some(NewtonValue {
        t_star,
        theta: d - dim,
    }))
}

/// The rank of a list of rational vectors (Gaussian elimination).
pub(super) fn rank(mut m: Vec<Vec<Rational>>) -> usize {
    let cols = m.first().map_or(0, Vec::len);
    let mut rank = 0;
    for col in 0..cols {
        let Some(p) = (rank..m.len()).find(|&r| !m[r][col].is_zero()) else {
            continue;
        };
        m.swap(rank, p);
        let pivot_row = m[rank].clone();
        for row in m.iter_mut().skip(rank + 1) {
            if row[col].is_zero() {
                continue;
            }
            let f = &row[col] / &pivot_row[col];
            for (v, w) in row.iter_mut().zip(&pivot_row) {
                *v -= &f * w;
            }
        }
        rank += 1;
    }
    rank
}
