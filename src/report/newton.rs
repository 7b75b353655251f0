//! The report of `rlct newton`: the polyhedron, the distance along τ, every compact
//! face with its face polynomial and verdict.

use crate::engine::NewtonAnalysis;
use crate::poly::{format_rational, Ring};
use num_bigint::BigInt;
use serde::Serialize;
use std::fmt::Write as _;

/// One facet ⟨normal, x⟩ ≥ rhs.
#[derive(Clone, Debug, Serialize)]
pub struct FacetReport {
    /// Integer inner normal, as strings for exactness.
    pub normal: Vec<String>,
    /// Right-hand side.
    pub rhs: String,
    /// Human-readable inequality.
    pub inequality: String,
    /// Whether t*·τ lies on it.
    pub tight: bool,
}

/// One compact face.
#[derive(Clone, Debug, Serialize)]
pub struct FaceReport {
    /// Dimension.
    pub dim: usize,
    /// Vertices, as monomials.
    pub vertices: Vec<String>,
    /// Face polynomial (one entry) or face ideal generators.
    pub polynomials: Vec<String>,
    /// `nondegenerate`, `degenerate`, `negative` or `undecided`.
    pub verdict: &'static str,
    /// Why, when not nondegenerate.
    pub detail: Option<String>,
}

/// The result of `rlct newton`.
#[derive(Clone, Debug, Serialize)]
pub struct NewtonReport {
    /// Variable names.
    pub variables: Vec<String>,
    /// `"poly"` or `"ideal"`.
    pub kind: &'static str,
    /// Vertices of Γ as exponent vectors.
    pub vertices: Vec<Vec<u32>>,
    /// Facets of Γ.
    pub facets: Vec<FacetReport>,
    /// τ = h + 1.
    pub tau: Vec<u32>,
    /// t*.
    pub t_star: String,
    /// θ.
    pub theta: usize,
    /// The principal face's vertices, as monomials, and its dimension.
    pub principal_face: Vec<String>,
    /// The Newton bound: 1/t* (1/(2t*) for an ideal).
    pub bound: String,
    /// Every compact face, or the reason they were not enumerated.
    pub compact_faces: Vec<FaceReport>,
    /// Set when the faces could not be enumerated.
    pub faces_error: Option<String>,
    /// Whether every compact face is proved nondegenerate: then λ = bound, m = θ.
    pub nondegenerate: bool,
}

fn show_inequality(ring: &Ring, normal: &[BigInt], rhs: &BigInt) -> String {
    let mut parts = Vec::new();
    for (i, a) in normal.iter().enumerate() {
        if a.sign() == num_bigint::Sign::NoSign {
            continue;
        }
        let name = &ring.names()[i];
        if *a == BigInt::from(1) {
            parts.push(name.clone());
        } else {
            parts.push(format!("{a}*{name}"));
        }
    }
    format!("{} >= {rhs}", parts.join(" + "))
}

impl NewtonReport {
    /// Assemble from an analysis.
    pub fn new(ring: &Ring, a: &NewtonAnalysis) -> Self {
        let poly = &a.polyhedron;
        let facets = poly
            .facets()
            .iter()
            .enumerate()
            .map(|(i, f)| FacetReport {
                normal: f.normal.iter().map(ToString::to_string).collect(),
                rhs: f.rhs.to_string(),
                inequality: show_inequality(ring, &f.normal, &f.rhs),
                tight: a.distance.tight_facets.contains(&i),
            })
            .collect();
        let (compact_faces, faces_error) = match &a.faces {
            Ok(fs) => (
                fs.iter()
                    .map(|f| FaceReport {
                        dim: f.face.dim,
                        vertices: f
                            .face
                            .vertices
                            .iter()
                            .map(|&v| ring.show_monomial(&poly.vertices()[v]))
                            .collect(),
                        polynomials: f.parts.iter().map(|p| ring.show(p)).collect(),
                        verdict: f.verdict.label(),
                        detail: f.verdict.detail().map(|d| ring.rename_placeholders(d)),
                    })
                    .collect(),
                None,
            ),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        NewtonReport {
            variables: ring.names().to_vec(),
            kind: if a.is_ideal { "ideal" } else { "poly" },
            vertices: poly.vertices().to_vec(),
            facets,
            tau: a.tau.clone(),
            t_star: format_rational(&a.distance.t_star),
            theta: a.theta(),
            principal_face: a
                .distance
                .principal_face
                .vertices
                .iter()
                .map(|&v| ring.show_monomial(&poly.vertices()[v]))
                .collect(),
            bound: format_rational(&a.bound()),
            compact_faces,
            faces_error,
            nondegenerate: a.nondegenerate(),
        }
    }

    /// The human-readable form.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Newton polyhedron of {} in ({})",
            if self.kind == "ideal" {
                "the ideal"
            } else {
                "K"
            },
            self.variables.join(", ")
        );
        let _ = writeln!(s, "vertices ({}):", self.vertices.len());
        for v in &self.vertices {
            let _ = writeln!(s, "  {v:?}");
        }
        let _ = writeln!(s, "facets ({}):", self.facets.len());
        for f in &self.facets {
            let _ = writeln!(
                s,
                "  {}{}",
                f.inequality,
                if f.tight { "   <- tight at t*·τ" } else { "" }
            );
        }
        let _ = writeln!(s, "τ = h + 1 = {:?}", self.tau);
        let _ = writeln!(
            s,
            "t* = {}   θ = {}   principal face: {{{}}}",
            self.t_star,
            self.theta,
            self.principal_face.join(", ")
        );
        let unit = if self.kind == "ideal" {
            "1/(2t*)"
        } else {
            "1/t*"
        };
        let _ = writeln!(s, "Newton bound: λ ≤ {unit} = {}", self.bound);
        match &self.faces_error {
            Some(e) => {
                let _ = writeln!(s, "compact faces: not enumerated ({e})");
            }
            None => {
                let _ = writeln!(s, "compact faces ({}):", self.compact_faces.len());
                for f in &self.compact_faces {
                    let _ = writeln!(
                        s,
                        "  dim {}  {{{}}}  {}  -> {}{}",
                        f.dim,
                        f.vertices.join(", "),
                        f.polynomials.join(", "),
                        f.verdict,
                        f.detail
                            .as_ref()
                            .map(|d| format!(" ({d})"))
                            .unwrap_or_default()
                    );
                }
            }
        }
        if self.nondegenerate {
            let _ = writeln!(s, "every compact face is nondegenerate over ℝ: λ = {} and m = θ = {} (Lin 2017 Thm 1.3, Prop. 4.5)", self.bound, self.theta);
        } else {
            let _ = writeln!(
                s,
                "not proved nondegenerate: {} is only an upper bound for λ",
                self.bound
            );
        }
        s
    }
}
