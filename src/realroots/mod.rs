//! Real algebra (DESIGN §4 *Real algebra*): decide exactly whether face polynomials and
//! face ideals have zeros on the real torus (ℝ∖0)^d.
//!
//! Undecided is an answer: it counts as "not proved nondegenerate".

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
/// Provisional version: a generator that is a monomial or an even positive polynomial
/// has no torus zero.
pub fn torus_zero(gens: &[Poly]) -> TorusVerdict {
    if gens
        .iter()
        .any(|g| g.is_monomial() || g.is_even_positive())
    {
        TorusVerdict::NoZero
    } else {
        TorusVerdict::Undecided("no criterion applies".into())
    }
}

/// Decide the sign of a face polynomial on the real torus.
///
/// Provisional version: even exponents with positive coefficients are positive.
pub fn torus_sign(p: &Poly) -> SignVerdict {
    if p.is_even_positive() {
        SignVerdict::Positive
    } else {
        SignVerdict::Undecided("no criterion applies".into())
    }
}
