//! The Newton route (DESIGN §2.2): λ = 1/t* (1/(2t*) for an ideal) and m = θ when every
//! compact face is nondegenerate over ℝ, and the upper bound λ ≤ 1/t* always.
//!
//! # References
//! - Lin 2017, "Ideal-theoretic strategies for asymptotic approximation of marginal
//!   likelihood integrals", J. Alg. Stat.: Thm 1.3 (upper bound, m ≥ θ on equality),
//!   Prop. 4.5 (sos-nondegenerate ideals).
//! - Varchenko 1976, "Newton polyhedra and estimation of oscillating integrals".

use crate::newton::{face_part, Distance, Face, NewtonError, NewtonPolyhedron};
use crate::poly::{ratio, Poly, Rational};
use crate::problem::Target;
use crate::realroots::{torus_sign, torus_zero, SignVerdict, TorusVerdict};
use num_bigint::BigInt;
use num_traits::One;

/// What the real-torus test says about one compact face.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaceVerdict {
    /// Proved: no zero on the real torus (K_γ > 0, or the face ideal has no common zero).
    Nondegenerate,
    /// Proved: a zero on the real torus — the Newton route does not apply.
    Degenerate(String),
    /// The face polynomial takes negative values: K itself is negative near 0.
    Negative(String),
    /// Not decided: counts as "not proved nondegenerate".
    Undecided(String),
}

impl FaceVerdict {
    /// Short name for reports.
    pub fn label(&self) -> &'static str {
        match self {
            FaceVerdict::Nondegenerate => "nondegenerate",
            FaceVerdict::Degenerate(_) => "degenerate",
            FaceVerdict::Negative(_) => "negative",
            FaceVerdict::Undecided(_) => "undecided",
        }
    }

    /// The explanation, if any.
    pub fn detail(&self) -> Option<&str> {
        match self {
            FaceVerdict::Nondegenerate => None,
            FaceVerdict::Degenerate(s) | FaceVerdict::Negative(s) | FaceVerdict::Undecided(s) => {
                Some(s)
            }
        }
    }
}

/// A compact face with its face polynomial (or face ideal) and verdict.
#[derive(Clone, Debug)]
pub struct FaceCheck {
    /// The face.
    pub face: Face,
    /// K_γ for a polynomial; the nonzero f_{i,γ} for an ideal.
    pub parts: Vec<Poly>,
    /// The verdict of the real-torus test.
    pub verdict: FaceVerdict,
}

/// The Newton polyhedron of K (or of the ideal) with the prior ray, the distance and
/// the verdicts on the compact faces: everything the route and `rlct newton` need.
#[derive(Clone, Debug)]
pub struct NewtonAnalysis {
    /// Γ.
    pub polyhedron: NewtonPolyhedron,
    /// τ = h + 1.
    pub tau: Vec<u32>,
    /// t*, the tight facets, θ and the principal face.
    pub distance: Distance,
    /// Compact faces with verdicts, or why they could not be enumerated.
    pub faces: Result<Vec<FaceCheck>, NewtonError>,
    /// Whether the input is an ideal (then λ = 1/(2t*)).
    pub is_ideal: bool,
}

/// The most compact faces the analysis enumerates before it gives up.
pub const FACE_LIMIT: usize = 20_000;

impl NewtonAnalysis {
    /// Compute the polyhedron, the distance along τ = h+1 and check every compact face.
    ///
    /// # Errors
    /// [`NewtonError`] if the polyhedron itself cannot be computed (empty or too large).
    pub fn new(target: &Target, weight: &[u32]) -> Result<Self, NewtonError> {
        Self::within(target, weight, None)
    }

    /// As [`NewtonAnalysis::new`], but faces not yet checked when `deadline` passes are
    /// left [`FaceVerdict::Undecided`]: a face check is a real-zero search on the torus
    /// (`realroots::torus`) that can take seconds on a dense input, and `--timeout` must
    /// hold. An undecided face only means "not proved nondegenerate", so the Newton
    /// route then claims no exact answer; the Newton bound itself needs no face check.
    ///
    /// # Errors
    /// As [`NewtonAnalysis::new`].
    pub fn within(
        target: &Target,
        weight: &[u32],
        deadline: Option<std::time::Instant>,
    ) -> Result<Self, NewtonError> {
        let (polyhedron, is_ideal) = match target {
            Target::Poly(p) => (NewtonPolyhedron::of_poly(p)?, false),
            Target::Ideal(i) => (NewtonPolyhedron::of_ideal(i)?, true),
        };
        let tau: Vec<u32> = weight.iter().map(|h| h + 1).collect();
        let distance = polyhedron.distance(&tau);
        let faces = polyhedron.compact_faces(FACE_LIMIT).map(|faces| {
            faces
                .into_iter()
                .map(|face| {
                    let decide = deadline.is_none_or(|d| std::time::Instant::now() < d);
                    check_face(target, face, decide)
                })
                .collect()
        });
        Ok(NewtonAnalysis {
            polyhedron,
            tau,
            distance,
            faces,
            is_ideal,
        })
    }

    /// The Newton bound: 1/t* for K, 1/(2t*) for an ideal. Always an upper bound for λ
    /// (Lin 2017 Thm 1.3).
    pub fn bound(&self) -> Rational {
        let t = if self.is_ideal {
            &self.distance.t_star * ratio(2, 1)
        } else {
            self.distance.t_star.clone()
        };
        Rational::one() / t
    }

    /// θ, the codimension of the principal face.
    pub fn theta(&self) -> usize {
        self.distance.theta
    }

    /// Whether every compact face is proved nondegenerate.
    pub fn nondegenerate(&self) -> bool {
        matches!(&self.faces, Ok(fs) if fs.iter().all(|f| f.verdict == FaceVerdict::Nondegenerate))
    }

    /// The first face that is not proved nondegenerate (a `Negative` one first).
    pub fn first_failure(&self) -> Option<&FaceCheck> {
        let fs = self.faces.as_ref().ok()?;
        fs.iter()
            .find(|f| matches!(f.verdict, FaceVerdict::Negative(_)))
            .or_else(|| fs.iter().find(|f| f.verdict != FaceVerdict::Nondegenerate))
    }
}

/// The face's parts and, when `decide`, the real-torus test of them (else `Undecided`).
fn check_face(target: &Target, face: Face, decide: bool) -> FaceCheck {
    let w: &[BigInt] = &face.weight;
    let skipped = || FaceVerdict::Undecided("not checked: time limit".into());
    match target {
        Target::Poly(p) => {
            let part = face_part(p, w, &face.value);
            let verdict = match decide.then(|| torus_sign(&part)) {
                None => skipped(),
                Some(SignVerdict::Positive) => FaceVerdict::Nondegenerate,
                Some(SignVerdict::NonNegativeWithZero(s)) => FaceVerdict::Degenerate(s),
                Some(SignVerdict::TakesNegative(s)) => FaceVerdict::Negative(s),
                Some(SignVerdict::Undecided(s)) => FaceVerdict::Undecided(s),
            };
            FaceCheck {
                face,
                parts: vec![part],
                verdict,
            }
        }
        Target::Ideal(i) => {
            let parts: Vec<Poly> = i
                .generators()
                .iter()
                .map(|g| face_part(g, w, &face.value))
                .filter(|g| !g.is_zero())
                .collect();
            let verdict = match decide.then(|| torus_zero(&parts)) {
                None => skipped(),
                Some(TorusVerdict::NoZero) => FaceVerdict::Nondegenerate,
                Some(TorusVerdict::Zero(s)) => FaceVerdict::Degenerate(s),
                Some(TorusVerdict::Undecided(s)) => FaceVerdict::Undecided(s),
            };
            FaceCheck {
                face,
                parts,
                verdict,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::Ring;

    /// Faces left unchecked at the deadline count as "not proved nondegenerate": the
    /// route then claims nothing exact, while the Newton bound stays what it is.
    #[test]
    fn faces_past_the_deadline_are_undecided() {
        let ring = Ring::new(vec!["x".into(), "y".into()]);
        let k = ring.parse("x^2*y^2 + x^6 + y^6").expect("valid");
        let target = Target::Poly(k);
        let checked = NewtonAnalysis::new(&target, &[0, 0]).expect("polyhedron");
        assert!(checked.nondegenerate());
        let passed = std::time::Instant::now();
        let late = NewtonAnalysis::within(&target, &[0, 0], Some(passed)).expect("polyhedron");
        assert!(!late.nondegenerate());
        assert!(matches!(
            late.first_failure().map(|f| &f.verdict),
            Some(FaceVerdict::Undecided(_))
        ));
        assert_eq!(late.bound(), checked.bound());
        assert_eq!(late.bound(), ratio(1, 2));
    }
}
