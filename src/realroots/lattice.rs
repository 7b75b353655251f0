//! Monomial changes of coordinates: reduce a polynomial whose support lies in an affine
//! lattice of rank `k` to a polynomial in `k` variables, and track signs on the torus.
//!
//! For a support `S ⊂ ℕ^d`, let `L` be the lattice spanned by the differences `α − α_0`
//! (`α ∈ S`) and `v_1, …, v_k` a basis of `L` (Hermite normal form). Then
//!
//! ```text
//!     p(x) = x^{β} · P(x^{v_1}, …, x^{v_k})
//! ```
//!
//! with `β ∈ ℤ^d` (possibly negative entries: a Laurent monomial, nonzero on the torus)
//! and `P` a polynomial with nonnegative exponents and no monomial factor.
//!
//! **Signs on the torus.** Write a torus point as `x = (−1)^σ · e^y` with `σ ∈ F_2^d`,
//! `y ∈ ℝ^d`. Then `x^{a} = (−1)^{⟨a, σ⟩} e^{⟨a, y⟩}`. Because `v_1, …, v_k` are linearly
//! independent, `y ↦ (⟨v_j, y⟩)_j` is onto `ℝ^k`, and `σ`, `y` are independent, so the image
//! of `x ↦ (sign x^β, u = (x^{v_j})_j)` is exactly
//! `{(ε_0, u) : |u_j| > 0 arbitrary, (ε_0, sign u) ∈ image of σ ↦ M σ}` where `M` is the
//! matrix with rows `β, v_1, …, v_k` mod 2. [`SignStructure`] records that image.
//!
//! # References
//! H. Cohen, *A Course in Computational Algebraic Number Theory*, Springer 1993,
//! Alg. 2.4.5 (Hermite normal form; here applied to rows, i.e. to the transpose).

use crate::poly::{Exponent, Poly, Rational};
use std::fmt;

/// Why a lattice computation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LatticeError {
    /// An intermediate integer left the `i64` range.
    Overflow,
    /// A reduced exponent does not fit the exponent type.
    ExponentTooLarge,
    /// The polynomial has no terms.
    Empty,
    /// An exponent difference is not in the given lattice.
    NotInLattice,
}

impl fmt::Display for LatticeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LatticeError::Overflow => "integer overflow in the lattice computation",
            LatticeError::ExponentTooLarge => "reduced exponent too large",
            LatticeError::Empty => "zero polynomial",
            LatticeError::NotInLattice => "exponent difference outside the lattice",
        })
    }
}

impl std::error::Error for LatticeError {}

fn ck(x: Option<i64>) -> Result<i64, LatticeError> {
    x.ok_or(LatticeError::Overflow)
}

/// Row Hermite normal form of an integer matrix: returns the nonzero rows `b_1, …, b_k`
/// of the HNF, a basis of the lattice spanned by the input rows. Row `b_j` has its first
/// nonzero entry (the pivot, positive) in column `p_j` with `p_1 < p_2 < …`, and the
/// entries above each pivot are reduced into `[0, pivot)`.
///
/// # References
/// H. Cohen, *A Course in Computational Algebraic Number Theory*, Alg. 2.4.5 (stated for
/// columns; this is the same algorithm on the transpose), with `i64` arithmetic checked
/// for overflow.
pub fn hermite_normal_form(rows: &[Vec<i64>]) -> Result<Vec<Vec<i64>>, LatticeError> {
    let mut m: Vec<Vec<i64>> = rows
        .iter()
        .filter(|r| r.iter().any(|&x| x != 0))
        .cloned()
        .collect();
    let ncols = m.first().map_or(0, Vec::len);
    let mut r = 0;
    for col in 0..ncols {
        if r == m.len() {
            break;
        }
        // Euclid on column `col` among rows r.. until one nonzero entry remains.
        loop {
            let pivot = (r..m.len())
                .filter(|&i| m[i][col] != 0)
                .min_by_key(|&i| m[i][col].unsigned_abs());
            let Some(pi) = pivot else { break };
            m.swap(r, pi);
            let mut done = true;
            for i in r + 1..m.len() {
                if m[i][col] == 0 {
                    continue;
                }
                let q = m[i][col].div_euclid(m[r][col]);
                let pivot_row = m[r].clone();
                sub_row(&mut m[i], &pivot_row, q, col)?;
                if m[i][col] != 0 {
                    done = false;
                }
            }
            if done {
                break;
            }
        }
        if m[r][col] == 0 {
            continue;
        }
        if m[r][col] < 0 {
            for x in m[r].iter_mut().skip(col) {
                *x = ck(x.checked_neg())?;
            }
        }
        let pivot_row = m[r].clone();
        for row in m.iter_mut().take(r) {
            let q = row[col].div_euclid(pivot_row[col]);
            if q != 0 {
                sub_row(row, &pivot_row, q, col)?;
            }
        }
        r += 1;
    }
    m.truncate(r);
    m.retain(|row| row.iter().any(|&x| x != 0));
    Ok(m)
}

/// `target[c] -= q·src[c]` for `c ≥ from`, with overflow checks.
fn sub_row(target: &mut [i64], src: &[i64], q: i64, from: usize) -> Result<(), LatticeError> {
    for (t, s) in target.iter_mut().zip(src).skip(from) {
        *t = ck(t.checked_sub(ck(q.checked_mul(*s))?))?;
    }
    Ok(())
}

/// Integer coordinates of `w` in a basis in row Hermite normal form; `None` if `w` is not
/// in the lattice.
pub fn coordinates(basis: &[Vec<i64>], w: &[i64]) -> Option<Vec<i64>> {
    let mut w = w.to_vec();
    let mut c = Vec::with_capacity(basis.len());
    for b in basis {
        let p = b.iter().position(|&x| x != 0)?;
        if w[p] % b[p] != 0 {
            return None;
        }
        let q = w[p] / b[p];
        for (wi, bi) in w.iter_mut().zip(b) {
            *wi = wi.checked_sub(q.checked_mul(*bi)?)?;
        }
        c.push(q);
    }
    w.iter().all(|&x| x == 0).then_some(c)
}

/// Exponent vector as `i64`s.
pub fn to_i64(e: &[u32]) -> Vec<i64> {
    e.iter().map(|&x| i64::from(x)).collect()
}

/// A basis (row HNF) of the lattice spanned by the differences of the exponents in each
/// group: `span{α − α' : α, α' in the same group}`. Groups are e.g. the supports of
/// several generators that should be reduced in common coordinates.
pub fn difference_lattice(groups: &[Vec<Exponent>]) -> Result<Vec<Vec<i64>>, LatticeError> {
    let mut rows = Vec::new();
    for g in groups {
        if let Some(first) = g.first() {
            let a0 = to_i64(first);
            for e in &g[1..] {
                let mut r = Vec::with_capacity(e.len());
                for (x, y) in to_i64(e).iter().zip(&a0) {
                    r.push(ck(x.checked_sub(*y))?);
                }
                rows.push(r);
            }
        }
    }
    hermite_normal_form(&rows)
}

/// `p = x^{β} · P(x^{v_1}, …, x^{v_k})`; see the module documentation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reduction {
    /// The Laurent monomial prefactor `β ∈ ℤ^d`.
    pub beta: Vec<i64>,
    /// The lattice basis `v_1, …, v_k` (each in `ℤ^d`).
    pub basis: Vec<Vec<i64>>,
    /// `P`, a polynomial in `k` variables with nonnegative exponents; for each `j`, some
    /// term has exponent 0 in `u_j` (no monomial factor).
    pub reduced: Poly,
}

impl Reduction {
    /// The rank `k` of the lattice.
    pub fn rank(&self) -> usize {
        self.basis.len()
    }
}

/// Reduce `p` in a given lattice basis (which must contain all differences of the
/// support of `p`, e.g. from [`difference_lattice`]).
pub fn reduce_in_basis(p: &Poly, basis: &[Vec<i64>]) -> Result<Reduction, LatticeError> {
    let first = p.support().next().ok_or(LatticeError::Empty)?;
    let a0 = to_i64(first);
    let k = basis.len();
    let mut coords: Vec<(Vec<i64>, Rational)> = Vec::with_capacity(p.num_terms());
    for (e, c) in p.terms() {
        let mut w = Vec::with_capacity(e.len());
        for (x, y) in to_i64(e).iter().zip(&a0) {
            w.push(ck(x.checked_sub(*y))?);
        }
        let c_e = coordinates(basis, &w).ok_or(LatticeError::NotInLattice)?;
        coords.push((c_e, c.clone()));
    }
    let mut mins = vec![0i64; k];
    for (j, m) in mins.iter_mut().enumerate() {
        *m = coords.iter().map(|(c, _)| c[j]).min().unwrap_or(0);
    }
    let mut beta = a0;
    for (j, b) in basis.iter().enumerate() {
        for (bi, vi) in beta.iter_mut().zip(b) {
            *bi = ck(bi.checked_add(ck(mins[j].checked_mul(*vi))?))?;
        }
    }
    let mut reduced = Poly::zero(k);
    for (c_e, c) in coords {
        let mut ex = Vec::with_capacity(k);
        for (x, m) in c_e.iter().zip(&mins) {
            let d = ck(x.checked_sub(*m))?;
            ex.push(u32::try_from(d).map_err(|_| LatticeError::ExponentTooLarge)?);
        }
        reduced.add_term(ex, c);
    }
    Ok(Reduction {
        beta,
        basis: basis.to_vec(),
        reduced,
    })
}

/// Reduce `p` in the lattice of its own support differences.
pub fn reduce(p: &Poly) -> Result<Reduction, LatticeError> {
    let supp: Vec<Exponent> = p.support().cloned().collect();
    if supp.is_empty() {
        return Err(LatticeError::Empty);
    }
    let basis = difference_lattice(&[supp])?;
    reduce_in_basis(p, &basis)
}

/// Vectors over F_2.
type F2 = Vec<bool>;

fn parity(v: &[i64]) -> F2 {
    v.iter().map(|x| x.rem_euclid(2) == 1).collect()
}

fn dot(a: &[bool], b: &[bool]) -> bool {
    a.iter().zip(b).filter(|(x, y)| **x && **y).count() % 2 == 1
}

/// Express `target` as an F_2 combination of `rows`: `Some(λ)` with `Σ λ_j rows_j =
/// target`, or `None`.
fn solve_f2(rows: &[F2], target: &[bool]) -> Option<F2> {
    // Gaussian elimination on the augmented system, tracking combinations.
    let n = rows.len();
    let mut work: Vec<(F2, F2)> = rows
        .iter()
        .enumerate()
        .map(|(j, r)| {
            let mut comb = vec![false; n];
            comb[j] = true;
            (r.clone(), comb)
        })
        .collect();
    let mut t = target.to_vec();
    let mut tc = vec![false; n];
    let ncols = t.len();
    let mut row = 0;
    for col in 0..ncols {
        let Some(p) = (row..work.len()).find(|&i| work[i].0[col]) else {
            continue;
        };
        work.swap(row, p);
        let (pr, pc) = work[row].clone();
        for (i, w) in work.iter_mut().enumerate() {
            if i != row && w.0[col] {
                xor_into(&mut w.0, &pr);
                xor_into(&mut w.1, &pc);
            }
        }
        if t[col] {
            xor_into(&mut t, &pr);
            xor_into(&mut tc, &pc);
        }
        row += 1;
    }
    t.iter().all(|&b| !b).then_some(tc)
}

fn xor_into(a: &mut [bool], b: &[bool]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x ^= *y;
    }
}

/// A basis of the kernel `{σ : ⟨r, σ⟩ = 0 for all rows r}` of an F_2 matrix with `ncols`
/// columns.
fn kernel_f2(rows: &[F2], ncols: usize) -> Vec<F2> {
    let mut m: Vec<F2> = rows.to_vec();
    let mut pivots = Vec::new();
    let mut row = 0;
    for col in 0..ncols {
        let Some(p) = (row..m.len()).find(|&i| m[i][col]) else {
            continue;
        };
        m.swap(row, p);
        let pr = m[row].clone();
        for (i, r) in m.iter_mut().enumerate() {
            if i != row && r[col] {
                xor_into(r, &pr);
            }
        }
        pivots.push(col);
        row += 1;
    }
    let mut ker = Vec::new();
    for free in (0..ncols).filter(|c| !pivots.contains(c)) {
        let mut v = vec![false; ncols];
        v[free] = true;
        for (i, &pc) in pivots.iter().enumerate() {
            if m[i][free] {
                v[pc] = true;
            }
        }
        ker.push(v);
    }
    ker
}

/// How the sign of the prefactor `x^β` and the signs of `u_j = x^{v_j}` are coupled on the
/// torus (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignStructure {
    /// Some sign flip `σ` (a set of coordinates `x_i ↦ −x_i`) changes the sign of `x^β`
    /// but of no `u_j`: then `p(σ·x) = −p(x)` for all torus points `x`.
    Flip(Vec<usize>),
    /// `sign x^β = Π_j (sign u_j)^{λ_j}` everywhere on the torus.
    Coupled {
        /// The exponents `λ ∈ F_2^k`.
        lambda: Vec<bool>,
        /// A spanning set of the achievable sign patterns of `u` (`true` = negative): a
        /// pattern `ε ∈ F_2^k` occurs iff it is an F_2 combination of these.
        patterns: Vec<Vec<bool>>,
    },
}

impl SignStructure {
    /// Analyse `β` and the basis (`d` = their common length).
    pub fn new(beta: &[i64], basis: &[Vec<i64>]) -> SignStructure {
        let d = beta.len();
        let rows: Vec<F2> = basis.iter().map(|v| parity(v)).collect();
        let b = parity(beta);
        match solve_f2(&rows, &b) {
            Some(lambda) => {
                // Image of σ ↦ (⟨v_j, σ⟩)_j: spanned by the images of unit vectors.
                let patterns = (0..d)
                    .map(|i| rows.iter().map(|r| r[i]).collect::<F2>())
                    .filter(|col: &F2| col.iter().any(|&x| x))
                    .collect();
                SignStructure::Coupled { lambda, patterns }
            }
            None => {
                // β ∉ rowspace = ker^⊥, so some kernel vector σ has ⟨β, σ⟩ = 1.
                let flip = kernel_f2(&rows, d)
                    .into_iter()
                    .find(|s| dot(s, &b))
                    .map(|s| (0..d).filter(|&i| s[i]).collect())
                    .unwrap_or_default();
                SignStructure::Flip(flip)
            }
        }
    }

    /// Whether the sign pattern `eps` of `u` (`true` = negative) occurs on the torus.
    pub fn allows(&self, eps: &[bool]) -> bool {
        match self {
            SignStructure::Flip(_) => true,
            SignStructure::Coupled { patterns, .. } => {
                eps.iter().all(|&e| !e) || {
                    let rows: Vec<F2> = patterns.clone();
                    solve_f2(&rows, eps).is_some()
                }
            }
        }
    }
}

/// Format the Laurent monomial `x^v` with variables `w0, w1, …` (e.g. `w0^2*w1^-1`).
pub fn format_laurent(v: &[i64]) -> String {
    let parts: Vec<String> = v
        .iter()
        .enumerate()
        .filter(|(_, &e)| e != 0)
        .map(|(i, &e)| {
            if e == 1 {
                format!("w{i}")
            } else {
                format!("w{i}^{e}")
            }
        })
        .collect();
    if parts.is_empty() {
        "1".into()
    } else {
        parts.join("*")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::rat;

    #[test]
    fn hnf_basic() {
        let h = hermite_normal_form(&[vec![2, -2], vec![-4, 4]]).unwrap_or_default();
        assert_eq!(h, vec![vec![2, -2]]);
        let h = hermite_normal_form(&[vec![4, 6], vec![6, 9], vec![2, 4]]).unwrap_or_default();
        // Lattice spanned by (4,6), (6,9), (2,4): contains (2,3) = (6,9) − (4,6), and
        // (2,4) − (2,3) = (0,1): so it is {(a, b) : a even}.
        assert_eq!(h, vec![vec![2, 0], vec![0, 1]]);
        assert_eq!(coordinates(&h, &[4, 6]), Some(vec![2, 6]));
        assert_eq!(coordinates(&h, &[3, 6]), None);
        let h = hermite_normal_form(&[vec![0, 0, 0]]).unwrap_or_default();
        assert!(h.is_empty());
    }

    #[test]
    fn hnf_overflow_is_reported() {
        let big = i64::MAX / 2 + 7;
        let r = hermite_normal_form(&[vec![big, 1], vec![big - 1, -big]]);
        // Either a correct result or an overflow error, never a panic.
        if let Ok(h) = r {
            assert!(!h.is_empty());
        }
    }

    #[test]
    fn reduction_of_an_edge() {
        // (x + y^2)^2 = x^2 + 2xy^2 + y^4: P(u) = (u + 1)^2 with u = x·y^-2.
        let x = Poly::var(2, 0);
        let y = Poly::var(2, 1);
        let p = (&x + &y.pow(2)).pow(2);
        let r = reduce(&p).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.rank(), 1);
        assert_eq!(r.basis, vec![vec![1, -2]]);
        // Check p = x^β P(x^v) by comparing exponents: each term of P at u^c maps to β + c v.
        for (e, c) in r.reduced.terms() {
            let alpha: Vec<i64> = r
                .beta
                .iter()
                .zip(&r.basis[0])
                .map(|(b, v)| b + i64::from(e[0]) * v)
                .collect();
            let ae: Vec<u32> = alpha.iter().map(|&a| a as u32).collect();
            assert!(alpha.iter().all(|&a| a >= 0));
            assert_eq!(&p.coeff(&ae), c);
        }
        assert_eq!(r.reduced.coeff(&[1]), rat(2));
    }

    #[test]
    fn sign_structure() {
        // u = x/y with prefactor xy: sign(xy) = sign(u).
        let s = SignStructure::new(&[1, 1], &[vec![1, -1]]);
        assert_eq!(
            s,
            SignStructure::Coupled {
                lambda: vec![true],
                patterns: vec![vec![true], vec![true]]
            }
        );
        assert!(s.allows(&[true]));
        // u = x^2/y^2 > 0 and prefactor x: flipping x flips the sign.
        let s = SignStructure::new(&[1, 0], &[vec![2, -2]]);
        assert_eq!(s, SignStructure::Flip(vec![0]));
        // u = x^2 y^-2 only positive.
        let s = SignStructure::new(&[0, 2], &[vec![2, -2]]);
        assert!(!s.allows(&[true]));
        assert!(s.allows(&[false]));
        // Two basis vectors with parities (1,1,0), (0,1,1): patterns span F_2^2.
        let s = SignStructure::new(&[0, 0, 0], &[vec![1, 1, 0], vec![0, 1, 1]]);
        assert!(s.allows(&[true, true]) && s.allows(&[true, false]));
        // Prefactor x0 x2 ≡ v1 + v2: coupled with λ = (1, 1).
        let s = SignStructure::new(&[1, 0, 1], &[vec![1, 1, 0], vec![0, 1, 1]]);
        assert!(
            matches!(s, SignStructure::Coupled { ref lambda, .. } if lambda == &vec![true, true])
        );
        assert_eq!(format_laurent(&[2, 0, -1]), "w0^2*w2^-1");
    }
}
