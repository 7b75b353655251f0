//! rlct: exact real log canonical thresholds (learning coefficients) λ and their
//! multiplicities m, for the singular models of singular learning theory.
//!
//! The pipeline flows one way (DESIGN §4): input → ideal over ℚ ([`poly`]) → Newton
//! polyhedron ([`newton`]) and real algebra ([`realroots`]) → routes to an answer
//! ([`engine`]) → report.

pub mod newton;
pub mod poly;
pub mod realroots;
pub mod verify;

pub use newton::NewtonPolyhedron;
pub use poly::{Ideal, Poly, Rational, Ring};
