//! Newton polyhedra over ℚ (DESIGN §2.2, §4 *Newton polyhedra*).
//!
//! Γ = conv(supp) + ℝ^d_{≥0}, computed exactly: vertices, facets as inequalities
//! ⟨a, x⟩ ≥ b with a ≥ 0 primitive integer normals, compact faces, and the distance t*
//! along the prior ray τ = h + 1 with the principal face and its codimension θ
//! (Lin 2017, Thm 1.3). No floating point.

use crate::poly::{Exponent, Ideal, Poly, Rational};
use num_bigint::BigInt;

/// Why a polyhedron could not be computed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NewtonError {
    /// No points: the polynomial or ideal is zero.
    #[error("the Newton polyhedron of the zero polynomial is empty")]
    Empty,
    /// The hull or face enumeration exceeded its budget.
    #[error("Newton polyhedron too large: {0}")]
    Budget(String),
}

/// A facet inequality ⟨normal, x⟩ ≥ rhs of Γ; `normal` is a nonnegative primitive
/// integer vector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facet {
    /// Inner normal a ≥ 0.
    pub normal: Vec<BigInt>,
    /// Right-hand side b ≥ 0.
    pub rhs: BigInt,
}

/// A face of Γ, given by the vertices it contains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Face {
    /// Indices into [`NewtonPolyhedron::vertices`].
    pub vertices: Vec<usize>,
    /// Dimension of the face.
    pub dim: usize,
    /// A weight vector w whose minimum over Γ is attained exactly on this face (strictly
    /// positive for a compact face).
    pub weight: Vec<BigInt>,
    /// That minimum value min_{x∈Γ} ⟨w, x⟩.
    pub value: BigInt,
}

/// The distance of Γ along τ: t* = min{t : t·τ ∈ Γ} (Lin 2017 Thm 1.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distance {
    /// t*.
    pub t_star: Rational,
    /// Indices of the facets containing t*·τ.
    pub tight_facets: Vec<usize>,
    /// θ: codimension of the smallest face containing t*·τ (the rank of the tight
    /// facets' normals).
    pub theta: usize,
    /// The principal face: the smallest face containing t*·τ.
    pub principal_face: Face,
}

/// The Newton polyhedron Γ = conv(points) + ℝ^d_{≥0}.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewtonPolyhedron {
    nvars: usize,
    vertices: Vec<Exponent>,
    facets: Vec<Facet>,
}
