//! Newton polyhedra over ℚ (DESIGN §2.2, §4 *Newton polyhedra*).
//!
//! Γ = conv(supp) + ℝ^d_{≥0}, computed exactly: vertices, facets as inequalities
//! ⟨a, x⟩ ≥ b with a ≥ 0 primitive integer normals, compact faces, and the distance t*
//! along the prior ray τ = h + 1 with the principal face and its codimension θ
//! (Lin 2017, Thm 1.3). No floating point.

mod bitset;
mod hull;
mod linalg;

use crate::poly::{Exponent, Ideal, Poly, Rational};
use bitset::BitSet;
use num_bigint::BigInt;
use num_traits::{Signed, Zero};
use std::collections::{HashSet, VecDeque};

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
    /// For each facet, the set of vertices (indices into `vertices`) it is tight on.
    facet_vertices: Vec<BitSet>,
}

/// Largest number of word-level set operations in [`NewtonPolyhedron::compact_faces`]
/// before it gives up (roughly ten seconds of work).
const MAX_FACE_WORK: u64 = 2_000_000_000;

/// The minimal points of `points` under the componentwise order, deduplicated, in
/// graded lexicographic order (total degree, then lexicographic). A point dominated by
/// another (β ≥ α componentwise, β ≠ α) lies in α + ℝ^d_{≥0} and is never a vertex of Γ.
fn minimal_points(points: &[Exponent]) -> Vec<Exponent> {
    let mut pts: Vec<Exponent> = points.to_vec();
    // A dominating point has a larger total degree than the points it dominates, so
    // after this sort one pass against the kept points suffices.
    pts.sort_by_cached_key(|p| (p.iter().map(|&x| u64::from(x)).sum::<u64>(), p.clone()));
    pts.dedup();
    let mut kept: Vec<Exponent> = Vec::new();
    for p in pts {
        let dominated = kept
            .iter()
            .any(|q| q.iter().zip(&p).all(|(qi, pi)| qi <= pi));
        if !dominated {
            kept.push(p);
        }
    }
    kept
}

/// Whether ⟨a, x⟩ = b, in machine integers when the normal fits (facet normals are
/// small in practice).
fn on_hyperplane(a: &[BigInt], b: &BigInt, x: &[u32]) -> bool {
    let mut s: i128 = 0;
    for (ai, &xi) in a.iter().zip(x) {
        if xi == 0 {
            continue;
        }
        match i64::try_from(ai) {
            Ok(v) => match s.checked_add(i128::from(v) * i128::from(xi)) {
                Some(t) => s = t,
                None => return dot_exp(a, x) == *b,
            },
            Err(_) => return dot_exp(a, x) == *b,
        }
    }
    i128::try_from(b).is_ok_and(|b| b == s)
}

/// ⟨a, x⟩ for an integer vector and an exponent.
fn dot_exp(a: &[BigInt], x: &[u32]) -> BigInt {
    let mut s = BigInt::zero();
    for (ai, &xi) in a.iter().zip(x) {
        if xi != 0 && !ai.is_zero() {
            s += ai * xi;
        }
    }
    s
}

/// Sum of the normals and of the right-hand sides of the given facets, divided by the
/// gcd of all the entries (the minimum of ⟨w, ·⟩ over Γ is still attained exactly on the
/// intersection of the facets).
fn summed_weight(nvars: usize, facets: &[&Facet]) -> (Vec<BigInt>, BigInt) {
    linalg::primitive_sum(nvars, facets.iter().map(|f| (f.normal.as_slice(), &f.rhs)))
}

impl NewtonPolyhedron {
    /// The Newton polyhedron Γ = conv(points) + ℝ^d_{≥0} of a finite set of exponent
    /// vectors in `nvars` variables.
    ///
    /// Dominated points are dropped first; the facets are computed exactly by the
    /// double description method on the homogenised cone (see the module `hull`), and
    /// the vertices are the remaining points at which the tight facet normals have
    /// rank `nvars`.
    ///
    /// # Errors
    /// [`NewtonError::Empty`] if `points` is empty; [`NewtonError::Budget`] if the
    /// double description needs more than 200 000 intermediate rays or too many
    /// adjacency tests (it never runs unbounded).
    ///
    /// # Panics
    /// If some point does not have exactly `nvars` entries (a programming error).
    ///
    /// # References
    /// - Lin 2017, "Ideal-theoretic strategies for asymptotic approximation of marginal
    ///   likelihood integrals", Thm 1.3 (the role of Γ).
    /// - Fukuda & Prodon 1996, "Double description method revisited".
    pub fn new(nvars: usize, points: &[Exponent]) -> Result<Self, NewtonError> {
        assert!(
            points.iter().all(|p| p.len() == nvars),
            "NewtonPolyhedron::new: every point must have {nvars} coordinates"
        );
        let pts = minimal_points(points);
        if pts.is_empty() {
            return Err(NewtonError::Empty);
        }
        // Insertion order of the double description: graded lexicographic (the order
        // `minimal_points` returns). Low-degree points first keeps the intermediate
        // cones small in practice, and the first point is then a vertex.
        let mut facets = hull::facets(nvars, &pts)?;
        facets.sort_by(|a, b| (&a.normal, &a.rhs).cmp(&(&b.normal, &b.rhs)));
        facets.dedup();

        // Vertices: points whose tight facet normals have full rank.
        let mut vertices: Vec<Exponent> = Vec::new();
        let mut pts = pts;
        pts.sort();
        for p in pts {
            let tight: Vec<&[BigInt]> = facets
                .iter()
                .filter(|f| on_hyperplane(&f.normal, &f.rhs, &p))
                .map(|f| f.normal.as_slice())
                .collect();
            if tight.len() >= nvars && linalg::rank(&tight) == nvars {
                vertices.push(p);
            }
        }
        let facet_vertices = facets
            .iter()
            .map(|f| {
                let mut s = BitSet::new(vertices.len());
                for (k, v) in vertices.iter().enumerate() {
                    if on_hyperplane(&f.normal, &f.rhs, v) {
                        s.insert(k);
                    }
                }
                s
            })
            .collect();
        Ok(NewtonPolyhedron {
            nvars,
            vertices,
            facets,
            facet_vertices,
        })
    }

    /// The Newton polyhedron of a polynomial: Γ of its support.
    ///
    /// # Errors
    /// [`NewtonError::Empty`] for the zero polynomial; [`NewtonError::Budget`] as in
    /// [`NewtonPolyhedron::new`].
    ///
    /// # References
    /// Lin 2017, Thm 1.3.
    pub fn of_poly(p: &Poly) -> Result<Self, NewtonError> {
        let pts: Vec<Exponent> = p.support().cloned().collect();
        Self::new(p.nvars(), &pts)
    }

    /// The Newton polyhedron of an ideal: Γ of the union of the generators' supports
    /// (which is also the Newton polyhedron of Σ f_i² scaled by 1/2).
    ///
    /// # Errors
    /// [`NewtonError::Empty`] for the zero ideal; [`NewtonError::Budget`] as in
    /// [`NewtonPolyhedron::new`].
    ///
    /// # References
    /// Lin 2017, Thm 1.3 and §4.
    pub fn of_ideal(i: &Ideal) -> Result<Self, NewtonError> {
        Self::new(i.nvars(), &i.support())
    }

    /// Number of variables d.
    pub fn nvars(&self) -> usize {
        self.nvars
    }

    /// The vertices of Γ (its minimal points that are extreme), sorted lexicographically.
    pub fn vertices(&self) -> &[Exponent] {
        &self.vertices
    }

    /// All facets of Γ, compact or not, including the coordinate facets x_i ≥ 0 when
    /// they are facets; each as ⟨a, x⟩ ≥ b with a ≥ 0 primitive. Sorted by
    /// (normal, rhs) lexicographically.
    ///
    /// # References
    /// Fukuda & Prodon 1996, "Double description method revisited".
    pub fn facets(&self) -> &[Facet] {
        &self.facets
    }

    /// The face of Γ cut out by the given facets (all of Γ when the list is empty).
    fn face_of_facets(&self, facet_ids: &[usize]) -> Face {
        let nv = self.vertices.len();
        let mut set = BitSet::full(nv, nv);
        for &f in facet_ids {
            set = set.intersection(&self.facet_vertices[f]);
        }
        let fs: Vec<&Facet> = facet_ids.iter().map(|&f| &self.facets[f]).collect();
        let normals: Vec<&[BigInt]> = fs.iter().map(|f| f.normal.as_slice()).collect();
        let (weight, value) = summed_weight(self.nvars, &fs);
        Face {
            vertices: set.iter().collect(),
            dim: self.nvars - linalg::rank(&normals),
            weight,
            value,
        }
    }

    /// The distance of Γ along τ: t* = min{t : t·τ ∈ Γ}, the facets tight at t*·τ, their
    /// rank θ, and the principal face (the smallest face containing t*·τ, i.e. the
    /// intersection of the tight facets).
    ///
    /// t* is the maximum of b/⟨a, τ⟩ over the facets ⟨a, x⟩ ≥ b with b > 0 (0 when
    /// the origin lies in Γ). The principal face's weight is the (primitive) sum of the
    /// tight normals and may have zero entries when the face is unbounded.
    ///
    /// `tau` must have `nvars` entries, all ≥ 1 (τ = h + 1 for a prior w^h); this is
    /// checked in debug builds. (With a zero entry the ray might never enter Γ; facets
    /// with ⟨a, τ⟩ = 0 are then ignored.)
    ///
    /// # References
    /// Lin 2017, "Ideal-theoretic strategies for asymptotic approximation of marginal
    /// likelihood integrals", Thm 1.3.
    pub fn distance(&self, tau: &[u32]) -> Distance {
        debug_assert_eq!(tau.len(), self.nvars);
        debug_assert!(tau.iter().all(|&t| t >= 1));
        let at: Vec<BigInt> = self
            .facets
            .iter()
            .map(|f| dot_exp(&f.normal, tau))
            .collect();
        let mut t_star = Rational::zero();
        for (f, a) in self.facets.iter().zip(&at) {
            if f.rhs.is_positive() && a.is_positive() {
                let t = Rational::new(f.rhs.clone(), a.clone());
                if t > t_star {
                    t_star = t;
                }
            }
        }
        let tight_facets: Vec<usize> = (0..self.facets.len())
            .filter(|&k| {
                Rational::from_integer(at[k].clone()) * &t_star
                    == Rational::from_integer(self.facets[k].rhs.clone())
            })
            .collect();
        let principal_face = self.face_of_facets(&tight_facets);
        Distance {
            t_star,
            theta: self.nvars - principal_face.dim,
            tight_facets,
            principal_face,
        }
    }

    /// All compact faces of Γ (vertices, edges, …, compact facets), sorted by
    /// (dimension, vertex indices). Each comes with a primitive, strictly positive
    /// weight w whose minimum over Γ (`value`) is attained exactly on the face.
    ///
    /// Method: a face is the intersection of the facets containing it, and a face
    /// containing an unbounded face is unbounded. Starting from the vertices, we add one
    /// vertex u at a time to a compact face F with facet set S and take the smallest face
    /// containing F ∪ {u}: its facets are S' = {f ∈ S : u ∈ f}, it is compact iff the
    /// sum of the normals in S' is strictly positive (its recession cone
    /// {r ≥ 0 : ⟨a, r⟩ = 0, a ∈ S'} is then zero), and its vertices are the vertices on
    /// every facet of S'. Every compact face G is reached this way (the chain from one
    /// of its vertices stays inside G), and only compact faces are stored. The weight is
    /// the sum of the normals of S' (made primitive), the value the sum of their
    /// right-hand sides, and the dimension is that of the affine hull of the vertices
    /// (equal to d − rank(normals of S') for a compact face).
    ///
    /// # Errors
    /// [`NewtonError::Budget`] if Γ has more than `limit` compact faces, or if the
    /// enumeration needs more than an internal number of set operations (a few seconds'
    /// work), so it never runs unbounded.
    ///
    /// # References
    /// Lin 2017, "Ideal-theoretic strategies for asymptotic approximation of marginal
    /// likelihood integrals", Thm 1.3 and Prop. 4.5 (compact faces carry the
    /// non-degeneracy condition).
    pub fn compact_faces(&self, limit: usize) -> Result<Vec<Face>, NewtonError> {
        let nv = self.vertices.len();
        let nf = self.facets.len();
        // Supports of the normals: the sum of normals (all ≥ 0) is strictly positive iff
        // their supports cover every coordinate.
        let supports: Vec<BitSet> = self
            .facets
            .iter()
            .map(|f| {
                let mut s = BitSet::new(self.nvars);
                for (i, a) in f.normal.iter().enumerate() {
                    if a.is_positive() {
                        s.insert(i);
                    }
                }
                s
            })
            .collect();
        let all_coords = BitSet::full(self.nvars, self.nvars);
        let vertex_facets: Vec<BitSet> = (0..nv)
            .map(|v| {
                let mut s = BitSet::new(nf);
                for (k, fv) in self.facet_vertices.iter().enumerate() {
                    if fv.contains(v) {
                        s.insert(k);
                    }
                }
                s
            })
            .collect();
        let budget = || {
            NewtonError::Budget(format!(
                "more than {limit} compact faces of the Newton polyhedron"
            ))
        };

        let mut seen: HashSet<BitSet> = HashSet::new();
        let mut queue: VecDeque<(BitSet, BitSet)> = VecDeque::new();
        for (v, vf) in vertex_facets.iter().enumerate() {
            let mut single = BitSet::new(nv);
            single.insert(v);
            if seen.len() >= limit {
                return Err(budget());
            }
            seen.insert(single.clone());
            queue.push_back((single, vf.clone()));
        }
        let mut faces: Vec<Face> = Vec::new();
        // Scratch sets, reused to avoid allocating in the inner loop.
        let mut fs2 = BitSet::new(nf);
        let mut covered = BitSet::new(self.nvars);
        let mut closure = BitSet::new(nv);
        let mut work: u64 = 0;
        while let Some((set, fs)) = queue.pop_front() {
            for (u, uf) in vertex_facets.iter().enumerate() {
                if set.contains(u) {
                    continue;
                }
                fs2.assign_intersection(&fs, uf);
                let nfs2 = fs2.len();
                work += (fs2.words().len() + 2 * nfs2) as u64;
                if work > MAX_FACE_WORK {
                    return Err(NewtonError::Budget(format!(
                        "compact face enumeration exceeded {MAX_FACE_WORK} set operations \
                         ({} facets, {nv} vertices)",
                        nf
                    )));
                }
                covered.clear();
                for k in fs2.iter() {
                    covered.union_with(&supports[k]);
                }
                if covered != all_coords {
                    continue; // the smallest face containing set ∪ {u} is unbounded
                }
                closure.set_prefix(nv);
                for k in fs2.iter() {
                    closure.intersect_with(&self.facet_vertices[k]);
                }
                if seen.contains(&closure) {
                    continue;
                }
                if seen.len() >= limit {
                    return Err(budget());
                }
                seen.insert(closure.clone());
                queue.push_back((closure.clone(), fs2.clone()));
            }
            let facets: Vec<&Facet> = fs.iter().map(|k| &self.facets[k]).collect();
            let (weight, value) = summed_weight(self.nvars, &facets);
            let vertices: Vec<usize> = set.iter().collect();
            // A compact face is the convex hull of its vertices.
            let points: Vec<&[u32]> = vertices
                .iter()
                .map(|&k| self.vertices[k].as_slice())
                .collect();
            faces.push(Face {
                dim: linalg::affine_rank(&points),
                vertices,
                weight,
                value,
            });
        }
        faces.sort_by(|a, b| (a.dim, &a.vertices).cmp(&(b.dim, &b.vertices)));
        Ok(faces)
    }

    /// Whether the rational point `x` lies in Γ, i.e. satisfies every facet inequality.
    ///
    /// # Panics
    /// If `x` does not have `nvars` entries (a programming error).
    pub fn contains(&self, x: &[Rational]) -> bool {
        assert_eq!(x.len(), self.nvars, "NewtonPolyhedron::contains: dimension");
        self.facets.iter().all(|f| {
            let mut s = Rational::zero();
            for (a, xi) in f.normal.iter().zip(x) {
                if !a.is_zero() {
                    s += Rational::from_integer(a.clone()) * xi;
                }
            }
            s >= Rational::from_integer(f.rhs.clone())
        })
    }
}

/// The face part of `p` for the weight `w` and the value `value`: the terms c·w^α of `p`
/// with ⟨w, α⟩ = `value`. When `value` = min_{α ∈ supp p} ⟨w, α⟩ (e.g. the `value` of a
/// [`Face`] of Γ(p)) this is the face polynomial p_γ; it may be zero (e.g. for a
/// generator of an ideal whose support misses the face).
///
/// # References
/// Lin 2017, Thm 1.3 and Prop. 4.5 (face polynomials and sos-nondegeneracy).
pub fn face_part(p: &Poly, weight: &[BigInt], value: &BigInt) -> Poly {
    debug_assert_eq!(weight.len(), p.nvars());
    p.filter_terms(|e| dot_exp(weight, e) == *value)
}

#[cfg(test)]
mod tests;
