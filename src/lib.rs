#![warn(missing_docs)]
//! rlct: exact real log canonical thresholds (learning coefficients) λ and their
//! multiplicities m, for the singular models of singular learning theory.
//!
//! The pipeline flows one way (DESIGN §4):
//! input ([`problem`]) → polynomials and ideals over ℚ ([`poly`]) → Newton polyhedra
//! ([`newton`]) and real algebra ([`realroots`]) → routes to an answer ([`engine`]) →
//! [`report`] → [`cli`]. Start with the [`tutorial`].
//!
//! ```
//! use rlct::{engine, problem::{InputSpec, Problem}};
//! let spec = InputSpec { poly: Some("x^2 + y^2 + z^2".into()), ..Default::default() };
//! let sol = engine::solve(&Problem::parse(&spec).unwrap(), &engine::Budget::default()).unwrap();
//! // A regular model: λ = d/2 (the complex lct would be 1).
//! assert_eq!(sol.answer.exact().unwrap().lambda.to_string(), "3/2");
//! ```

pub mod certificate;
pub mod cli;
pub mod engine;
pub mod error;
pub mod models;
pub mod newton;
pub mod numeric;
pub mod poly;
pub mod problem;
pub mod realroots;
pub mod report;
pub mod resolve;
pub mod tutorial;
pub mod verify;

pub use engine::{solve, Answer, Budget, Method, Rlct, Solution};
pub use error::Error;
pub use newton::NewtonPolyhedron;
pub use poly::{Ideal, Poly, Rational, Ring};
pub use problem::{InputSpec, Problem, Target};
