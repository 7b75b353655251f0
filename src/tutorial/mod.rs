//! A short tutorial, as runnable documentation. Each example is a doc-test that asserts a
//! row of the reference table (tests/data/cases.tsv), so the tutorial cannot drift from
//! the engine.
//!
//! # 1. λ is the real threshold, not the complex lct
//!
//! For a regular model K = x² + y² + z² the learning coefficient is d/2 = 3/2. Computer
//! algebra systems report the complex log canonical threshold of the same polynomial,
//! which is 1: over ℂ the cone x² + y² + z² = 0 is singular, over ℝ it is the origin
//! alone (M. Saito 2007). rlct works over ℝ.
//!
//! ```
//! use rlct::{solve, Budget, InputSpec, Problem};
//! let spec = InputSpec { poly: Some("x^2 + y^2 + z^2".into()), ..Default::default() };
//! let answer = solve(&Problem::parse(&spec).unwrap(), &Budget::default()).unwrap().answer;
//! let r = answer.exact().unwrap();
//! assert_eq!((r.lambda.to_string(), r.multiplicity), ("3/2".to_string(), 1));
//! ```
//!
//! # 2. Units: an ideal's λ is half of Lin's RLCT
//!
//! `--ideal f1,f2` means K = f1² + f2². Papers in the ideal-theoretic tradition (Lin 2011,
//! 2017) report RLCT(I) = 2λ. The reduced-rank regression ideal ⟨b1·a1, b1·a2, b2·a1,
//! b2·a2⟩ has RLCT 2 there and λ = 1 here, with multiplicity 2.
//!
//! ```
//! use rlct::{solve, Budget, InputSpec, Problem};
//! let spec = InputSpec { ideal: Some("b1*a1, b1*a2, b2*a1, b2*a2".into()), ..Default::default() };
//! let answer = solve(&Problem::parse(&spec).unwrap(), &Budget::default()).unwrap().answer;
//! let r = answer.exact().unwrap();
//! assert_eq!((r.lambda.to_string(), r.multiplicity), ("1".to_string(), 2));
//! ```
//!
//! # 3. The Newton polyhedron can be wrong: (x² − y³)²
//!
//! The Newton polyhedron of the cusp has the single compact edge x² − y³, which vanishes
//! on the real torus, so its bound 5/12 is not proved by the polyhedron. Resolution of
//! singularities settles it: three blow-ups of points, with recentring at the zeros of
//! the strict transform on the exceptional divisors. The largest pole is −5/12.
//!
//! ```
//! use rlct::{engine, InputSpec, Problem};
//! let spec = InputSpec { poly: Some("(x^2 - y^3)^2".into()), ..Default::default() };
//! let sol = engine::solve(&Problem::parse(&spec).unwrap(), &engine::Budget::default()).unwrap();
//! assert_eq!(sol.method.to_string(), "resolution");
//! let r = sol.answer.exact().unwrap();
//! assert_eq!((r.lambda.to_string(), r.multiplicity), ("5/12".to_string(), 1));
//! // Every chart carries exact identities: the certificate re-checks independently.
//! let cert = rlct::certificate::certificate(sol.resolution.as_ref().unwrap());
//! let v = rlct::verify::verify_str(&cert.to_string()).unwrap();
//! assert_eq!(v.lambda, r.lambda);
//! ```
//!
//! # 4. Priors that vanish change λ
//!
//! With the prior |y|² the integrand of ∫ K^z φ is less singular along y = 0:
//! x²y⁴ has λ = 1/4 under a uniform prior and 1/2 under φ = y² (DESIGN §3, trap 7).
//!
//! ```
//! use rlct::{solve, Budget, InputSpec, Problem};
//! let spec = InputSpec { poly: Some("x^2*y^4".into()), weight: Some("y^2".into()), ..Default::default() };
//! let answer = solve(&Problem::parse(&spec).unwrap(), &Budget::default()).unwrap().answer;
//! assert_eq!(answer.exact().unwrap().lambda.to_string(), "1/2");
//! ```
//!
//! # 5. When rlct cannot prove it, it says so
//!
//! The tanh network with three hidden units has λ = 5/6 (Aoyagi & Watanabe); rlct proves
//! it by resolution. Whatever the engine cannot prove comes back as a pair of proved
//! bounds with the reason — never as a guess — so this example accepts either form.
//!
//! ```
//! use rlct::{solve, Answer, Budget, InputSpec, Problem};
//! let spec = InputSpec {
//!     ideal: Some("a1*b1 + a2*b2 + a3*b3, a1*b1^3 + a2*b2^3 + a3*b3^3, a1*b1^5 + a2*b2^5 + a3*b3^5".into()),
//!     ..Default::default()
//! };
//! match solve(&Problem::parse(&spec).unwrap(), &Budget::default()).unwrap().answer {
//!     Answer::Exact(r) => assert_eq!(r.lambda.to_string(), "5/6"),
//!     Answer::Bounds { lower, upper, .. } => {
//!         assert!(lower <= rlct::poly::ratio(5, 6) && rlct::poly::ratio(5, 6) <= upper)
//!     }
//! }
//! ```
