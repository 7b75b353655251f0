//! Real algebra (DESIGN §4 *Real algebra*): decide exactly whether face polynomials and
//! face ideals have zeros on the real torus (ℝ∖0)^d.
//!
//! - [`uni`]: dense univariate polynomials over ℚ, square-free decomposition, Sturm
//!   sequences, root counting and isolation;
//! - [`lattice`]: the monomial change of coordinates reducing a polynomial supported on an
//!   affine lattice of rank `k` to `k` variables (Hermite normal form), with the F_2
//!   bookkeeping of signs on the torus;
//! - [`torus_sign`] / [`torus_zero`]: the decisions used by the Newton-polyhedron route.
//!
//! Undecided is an answer: it counts as "not proved nondegenerate". Every other answer is
//! a proof (or carries an exactly verified witness); there is no floating point.
//!
//! # References
//! - Sturm's theorem: S. Basu, R. Pollack, M.-F. Roy, *Algorithms in Real Algebraic
//!   Geometry*, 2nd ed., 2006, Thm 2.50.
//! - Hermite normal form: H. Cohen, *A Course in Computational Algebraic Number Theory*,
//!   Springer 1993, Alg. 2.4.5.
//! - Sos-nondegeneracy of face ideals: S. Lin, "Ideal-theoretic strategies for asymptotic
//!   approximation of marginal likelihood integrals", J. Alg. Stat. 8 (2017), Prop. 4.5.

pub mod lattice;
mod torus;
pub mod uni;

pub use uni::{Bound, IsolatedRoot, SquareFreeDecomposition, UPoly};

use crate::poly::Poly;

/// Whether a system of polynomials has a common zero on the real torus (ℝ∖0)^d.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TorusVerdict {
    /// Proved: no common zero on the torus.
    NoZero,
    /// Proved: a common zero exists; the string describes it.
    Zero(String),
    /// Not decided; the string says why.
    Undecided(String),
}

/// The sign of one polynomial on the real torus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignVerdict {
    /// Proved strictly positive everywhere on the torus.
    Positive,
    /// Proved ≥ 0 on the torus with a zero there (described).
    NonNegativeWithZero(String),
    /// Proved to take a negative value on the torus (described).
    TakesNegative(String),
    /// Not decided.
    Undecided(String),
}

/// Decide whether the face ideal ⟨gens⟩ has a common zero on the real torus.
///
/// Zero generators are ignored (no generator at all: every point is a zero). Rules, in
/// order:
/// 1. a monomial generator (nonzero constants included) ⇒ `NoZero`;
/// 2. generators in pairwise disjoint groups of variables are decided group by group
///    (the torus is a product): some group without zero ⇒ `NoZero`, all with ⇒ `Zero`;
/// 3. if all differences of exponents (within each generator) span a lattice of rank 1,
///    `ℤ·v`, then `g_i = x^{β_i}·P_i(u)` with `u = x^v` and a common zero exists iff
///    `gcd(P_i)` has a real root with `u > 0`, or `u < 0` when `v` has an odd entry —
///    decided exactly by Sturm sequences;
/// 4. a generator proved `> 0` or `< 0` by [`torus_sign`] ⇒ `NoZero`; a single generator
///    proved `≥ 0` or `≤ 0` with a zero ⇒ `Zero`; several generators: the sign of
///    `Σ g_i²` by [`torus_sign`];
/// 5. a common real root of the sliced generators on one of a fixed set of rational
///    lines (Sturm-isolated) ⇒ `Zero`;
/// 6. otherwise `Undecided`.
///
/// # References
/// Lin 2017, Prop. 4.5 (a face ideal without torus zeros on every compact face makes the
/// ideal sos-nondegenerate); Sturm's theorem (Basu–Pollack–Roy 2006, Thm 2.50); Cohen
/// 1993, Alg. 2.4.5 (Hermite normal form).
pub fn torus_zero(gens: &[Poly]) -> TorusVerdict {
    torus::zeros(gens)
}

/// Decide the sign of a polynomial (typically a face polynomial `K_γ`) on the real torus.
///
/// Exact when the support spans an affine lattice of rank ≤ 1; sufficient criteria
/// otherwise. Rules, in order:
/// 1. monomial factor `x^β`: an odd `β_i` ⇒ `TakesNegative` (the sign flips across
///    `x_i = 0`, the cofactor not being divisible by `x_i`); an even one is dropped;
/// 2. lattice reduction `p = x^β P(x^{v_1}, …, x^{v_k})` ([`lattice`]); if some sign
///    change of coordinates flips `x^β` but no `x^{v_j}` (F_2 linear algebra), `p`
///    takes both signs ⇒ `TakesNegative`;
/// 3. `k = 0`: the sign of the coefficient;
/// 4. `k = 1`: `sign p = sign(u^λ P(u))` on `u > 0` (and `u < 0` when `v` has an odd
///    entry): decided exactly by root isolation and sample points between roots;
/// 5. `k ≥ 2`, sufficient criteria: even exponents and positive coefficients; an AM–GM
///    certificate (each other term dominated by two even positive terms at the ends of a
///    segment through it); a variable-disjoint sum split `c + Σ A_i` (each `A_i → 0` as
///    its variables tend to 0, so a negative summand makes the sum negative); a
///    variable-disjoint product split `A·B` (signs multiply); a perfect square `c·q²`
///    (`Positive` iff `q` has no torus zero, by [`torus_zero`]); a rational point with a
///    negative value found on univariate slices (exact); otherwise `Undecided`.
///
/// # References
/// Sturm's theorem (Basu–Pollack–Roy 2006, Thm 2.50); Cohen 1993, Alg. 2.4.5 (Hermite
/// normal form); B. Reznick, "Forms derived from the arithmetic-geometric inequality",
/// Math. Ann. 283 (1989) (AM–GM certificates); Lin 2017, Prop. 4.5 and DESIGN §2.2
/// (strictly positive compact face polynomials certify the Newton route).
pub fn torus_sign(p: &Poly) -> SignVerdict {
    torus::sign(p)
}

#[cfg(test)]
mod tests;
