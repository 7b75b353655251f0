//! The exact engine: routes from a [`Problem`] to an [`Answer`].
//!
//! Routes, tried in this order on every piece (each is a theorem, cited where used):
//! 1. **sum rule** — K = K_1 + K_2 in disjoint variables: λ = λ_1 + λ_2,
//!    m = m_1 + m_2 − 1 (Lin 2017 Prop. 3.7);
//! 2. **product rule** (`--poly` only) — K = K_1·K_2 in disjoint variables: λ = min,
//!    multiplicities added on ties (the zeta function factorises);
//! 3. **monomial** — K = c·w^α in normal crossing: λ = min_j (h_j+1)/α_j, m = the number
//!    of j attaining it (Watanabe 2009 Thm 6.1 / DESIGN §2.1);
//! 4. **regular** — a positive definite Hessian (K ≍ |w|²), or an ideal whose
//!    generators have independent linear parts (they are coordinates);
//! 5. **square** — a `--poly` K = c·g² is worked on as the ideal ⟨g⟩ (DESIGN §3 trap 4);
//! 6. **Newton** — every compact face nondegenerate over ℝ: λ = 1/t*, m = θ
//!    ([`newton_route`]).
//!
//! 7. **resolution** — when the routes above leave bounds, the whole problem goes to
//!    [`crate::resolve`] (blow-ups over ℝ with a certificate).
//!
//! Whatever no route proves becomes [`Answer::Bounds`] with a reason: the Newton bound
//! (and `d/2` for a uniform prior) above, `1/ord K` below (DESIGN §2.5). An answer that
//! is not proved is never `Exact`.

pub mod newton_route;
mod regular;
pub mod sparsify;
mod split;

pub use newton_route::{FaceCheck, FaceVerdict, NewtonAnalysis};
pub use split::{disjoint_factors, product_factors, sum_components};

use crate::error::{Error, Result};
use crate::poly::{format_rational, ratio, Poly, Rational, Ring};
use crate::problem::{Problem, Target};
use crate::resolve::{resolve, Resolution, ResolveBudget, Unresolved};
use num_traits::{One, Zero};
use std::fmt;
use std::time::Instant;

/// A proved real log canonical threshold and its multiplicity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rlct {
    /// λ, in Watanabe's units for K.
    pub lambda: Rational,
    /// m ≥ 1.
    pub multiplicity: u32,
}

impl fmt::Display for Rlct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "λ = {}, m = {}",
            format_rational(&self.lambda),
            self.multiplicity
        )
    }
}

/// The engine's answer: proved, or bounded with the reason it stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// (λ, m) proved.
    Exact(Rlct),
    /// lower ≤ λ ≤ upper, proved; `reason` says why it is not exact.
    Bounds {
        /// Proved lower bound.
        lower: Rational,
        /// Proved upper bound.
        upper: Rational,
        /// Why no exact answer.
        reason: String,
    },
}

impl Answer {
    /// The proved lower bound (λ itself when exact).
    pub fn lower(&self) -> &Rational {
        match self {
            Answer::Exact(r) => &r.lambda,
            Answer::Bounds { lower, .. } => lower,
        }
    }
    /// The proved upper bound (λ itself when exact).
    pub fn upper(&self) -> &Rational {
        match self {
            Answer::Exact(r) => &r.lambda,
            Answer::Bounds { upper, .. } => upper,
        }
    }
    /// The exact value, if proved.
    pub fn exact(&self) -> Option<&Rlct> {
        match self {
            Answer::Exact(r) => Some(r),
            Answer::Bounds { .. } => None,
        }
    }
}

/// Which route proved (or bounded) an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Method {
    /// Monomial K in normal crossing.
    Monomial,
    /// Smooth or Morse at the origin: independent linear parts, or a positive
    /// definite Hessian.
    Regular,
    /// The Newton polyhedron with nondegenerate faces.
    Newton,
    /// Sum rule over variable-disjoint pieces.
    Sum(Vec<Method>),
    /// Product rule over variable-disjoint factors.
    Product(Vec<Method>),
    /// Resolution of singularities (a chart tree with a certificate).
    Resolution,
    /// Only bounds.
    Bounds,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, name: &str, ms: &[Method]| {
            write!(f, "{name}(")?;
            for (i, m) in ms.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{m}")?;
            }
            f.write_str(")")
        };
        match self {
            Method::Monomial => f.write_str("monomial"),
            Method::Regular => f.write_str("regular"),
            Method::Newton => f.write_str("newton"),
            Method::Sum(ms) => list(f, "sum", ms),
            Method::Product(ms) => list(f, "product", ms),
            Method::Resolution => f.write_str("resolution"),
            Method::Bounds => f.write_str("bounds"),
        }
    }
}

/// Limits on the work (`--timeout`, `--max-charts`, `--max-depth`).
#[derive(Clone, Debug, Default)]
pub struct Budget {
    /// Stop starting new work after this instant.
    pub deadline: Option<Instant>,
    /// Most charts a resolution may examine (default: [`ResolveBudget::default`]).
    pub max_charts: Option<usize>,
    /// Deepest chain of moves in a resolution.
    pub max_depth: Option<usize>,
    /// Show progress on stderr (set by the CLI when stderr is a terminal).
    pub progress: bool,
    /// Work in the input's coordinates only: no [`sparsify`] change first (for tests of
    /// certificate rules that need the input's own chart tree).
    pub keep_coordinates: bool,
}

impl Budget {
    /// Whether the deadline has passed.
    pub fn expired(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

/// The engine's result: the answer, the route and the derivation, step by step.
#[derive(Clone, Debug)]
pub struct Solution {
    /// The answer.
    pub answer: Answer,
    /// The route that produced it.
    pub method: Method,
    /// Human-readable derivation, one step a line.
    pub steps: Vec<String>,
    /// Charts in the resolution tree (0: no resolution was needed).
    pub charts: usize,
    /// The resolution, when that route proved the answer.
    pub resolution: Option<ResolutionRecord>,
}

/// Compute (λ, m) for a problem, exactly where a route proves it.
///
/// # Errors
/// [`Error::Input`] when K (a `--poly`) is proved negative somewhere near the point.
///
/// # Examples
/// ```
/// use rlct::{engine, problem::{InputSpec, Problem}};
/// let spec = InputSpec { poly: Some("x^2*y^2".into()), ..Default::default() };
/// let problem = Problem::parse(&spec).unwrap();
/// let sol = engine::solve(&problem, &engine::Budget::default()).unwrap();
/// let rlct = sol.answer.exact().unwrap();
/// assert_eq!((rlct.lambda.to_string(), rlct.multiplicity), ("1/2".to_string(), 2));
/// ```
pub fn solve(problem: &Problem, budget: &Budget) -> Result<Solution> {
    with_sparsification(problem, budget, false)
}

fn solve_as_given(problem: &Problem, budget: &Budget) -> Result<Solution> {
    check_nonnegative(problem)?;
    let mut steps = Vec::new();
    let keep = problem.target.used_vars();
    if keep.len() < problem.ring.nvars() {
        let dropped: Vec<&str> = (0..problem.ring.nvars())
            .filter(|i| !keep.contains(i))
            .map(|i| problem.ring.names()[i].as_str())
            .collect();
        steps.push(format!(
            "K does not involve {}: integrating them out changes nothing.",
            dropped.join(", ")
        ));
    }
    let piece = Piece::of(problem);
    let (answer, method) = solve_piece(&piece, budget, &mut steps, 0)?;
    if let Answer::Bounds {
        lower,
        upper,
        reason,
    } = &answer
    {
        if !budget.expired() {
            // The resolution may use 9/10 of the time left; the rest is kept for the
            // lower bound from single generators if it does not finish (that step used
            // to find the deadline already passed and bound λ only by 1/ord K).
            let resolution_budget = Budget {
                deadline: budget.deadline.map(|d| {
                    let now = Instant::now();
                    now + d.saturating_duration_since(now).mul_f64(0.9)
                }),
                ..budget.clone()
            };
            match resolution_route(&piece, &resolution_budget) {
                Ok(record) => {
                    let r = &record.resolution;
                    // The resolution is a proof; the bounds of the other routes are proofs
                    // too, so the two must agree (a disagreement is a bug, not an answer).
                    if r.lambda < *lower || r.lambda > *upper {
                        return Err(Error::Internal(format!(
                            "resolution gives λ = {} outside the proved bounds [{}, {}]",
                            format_rational(&r.lambda),
                            format_rational(lower),
                            format_rational(upper)
                        )));
                    }
                    steps.push(format!(
                        "Resolution of singularities: {} chart(s); leaves give the poles {}; the largest is −λ: λ = {}, m = {}.",
                        r.charts,
                        r.poles
                            .iter()
                            .map(|(l, m)| format!("{} (order {m})", format_rational(l)))
                            .collect::<Vec<_>>()
                            .join(", "),
                        format_rational(&r.lambda),
                        r.multiplicity
                    ));
                    let rlct = Rlct {
                        lambda: r.lambda.clone(),
                        multiplicity: r.multiplicity,
                    };
                    return Ok(Solution {
                        answer: Answer::Exact(rlct),
                        method: Method::Resolution,
                        steps,
                        charts: r.charts,
                        resolution: Some(record),
                    });
                }
                Err(unresolved) => {
                    let stop = Ring::new(piece.names.clone())
                        .rename_placeholders(&unresolved.stop.to_string());
                    steps.push(format!(
                        "Resolution of singularities did not finish: {stop}."
                    ));
                    // Finished leaves of the unfinished tree still bound λ from above.
                    let upper = match unresolved.upper {
                        Some(u) if u < *upper => {
                            steps.push(format!(
                                "A finished chart of that resolution has the pole {}, so λ ≤ {}.",
                                format_rational(&u),
                                format_rational(&u)
                            ));
                            u
                        }
                        _ => upper.clone(),
                    };
                    let lower = sub_ideal_lower_bound(&piece, budget, lower, &mut steps);
                    let answer = Answer::Bounds {
                        lower,
                        upper,
                        reason: format!("{reason}; {stop}"),
                    };
                    return Ok(Solution {
                        answer,
                        method,
                        steps,
                        charts: 0,
                        resolution: None,
                    });
                }
            }
        }
    }
    Ok(Solution {
        answer,
        method,
        steps,
        charts: 0,
        resolution: None,
    })
}

/// Like [`solve`], but when the answer is exact and was proved by another route, also
/// resolve the problem so that a certificate exists; the two exact answers must agree.
///
/// # Errors
/// As [`solve`]; [`Error::Internal`] if the resolution contradicts the other route.
pub fn solve_with_certificate(problem: &Problem, budget: &Budget) -> Result<Solution> {
    with_sparsification(problem, budget, true)
}

fn certify_as_given(problem: &Problem, budget: &Budget) -> Result<Solution> {
    let mut sol = solve_as_given(problem, budget)?;
    if sol.resolution.is_some() {
        return Ok(sol);
    }
    let Answer::Exact(r) = &sol.answer else {
        return Ok(sol);
    };
    let piece = Piece::of(problem);
    match resolution_route(&piece, budget) {
        Ok(record) => {
            let res = &record.resolution;
            if res.lambda != r.lambda || res.multiplicity != r.multiplicity {
                return Err(Error::Internal(format!(
                    "the {} route gives {r} but the resolution gives λ = {}, m = {}",
                    sol.method,
                    format_rational(&res.lambda),
                    res.multiplicity
                )));
            }
            sol.steps.push(format!(
                "Certificate: a resolution with {} chart(s) confirms {r}.",
                res.charts
            ));
            sol.charts = res.charts;
            sol.resolution = Some(record);
        }
        Err(stop) => sol.steps.push(format!(
            "No certificate: the resolution did not finish ({stop})."
        )),
    }
    Ok(sol)
}

/// Solve (with a certificate when `certify`): the input as given briefly, then a
/// sparser form of it — an invertible change of coordinates fixing the origin found by
/// [`sparsify`], which changes neither λ nor m (DESIGN §2.4) — and the input as given
/// again only when that is not exact. Both runs prove bounds on the same λ, so bounds
/// are intersected. A prior weight is not invariant under the change, so weighted
/// inputs are solved as given.
fn with_sparsification(problem: &Problem, budget: &Budget, certify: bool) -> Result<Solution> {
    let route = if certify {
        certify_as_given
    } else {
        solve_as_given
    };
    if problem.weight.iter().any(|&h| h != 0) || budget.expired() || budget.keep_coordinates {
        return route(problem, budget);
    }
    let fraction = |f: f64| {
        budget.deadline.map(|d| {
            let now = Instant::now();
            now + d.saturating_duration_since(now).mul_f64(f)
        })
    };
    // The input as given first, briefly (1/8 of the time, few charts): what it proves at
    // once (a regular model, a sparse input) must not wait for the search below.
    if budget.deadline.is_some() {
        let quick = Budget {
            deadline: fraction(0.125),
            max_charts: Some(budget.max_charts.unwrap_or(usize::MAX).min(200)),
            ..budget.clone()
        };
        let sol = route(problem, &quick)?;
        if let Answer::Exact(_) = sol.answer {
            // Exact, but its certificate may need more charts than the quick pass had:
            // then the input as given gets the whole budget (no change is needed).
            if certify && sol.resolution.is_none() {
                return route(problem, budget);
            }
            return Ok(sol);
        }
    }
    // The search itself gets at most a tenth of the time left.
    let Some(sparse) = sparsify::sparsify(&problem.target, fraction(0.1)) else {
        return route(problem, budget);
    };
    // Nonnegativity is a property of the input: report it on the input as given.
    check_nonnegative(problem)?;
    let changed = Problem {
        ring: problem.ring.clone(),
        target: sparse.target.clone(),
        weight: problem.weight.clone(),
    };
    let moves: Vec<String> = sparse
        .shifts
        .iter()
        .map(|s| s.show(&problem.ring))
        .collect();
    let coordinates = if moves.is_empty() {
        String::new()
    } else {
        format!(
            "Change of coordinates fixing the origin, with Jacobian 1: {} (in this order). ",
            moves.join(", ")
        )
    };
    let generators = if sparse.mix.is_some() {
        "Another generating set of the same ideal (unipotent generator mixes). "
    } else {
        ""
    };
    let intro = format!(
        "{coordinates}{generators}λ and m are invariant (DESIGN §2.4); now K is {}.",
        Piece::of(&changed).show()
    );
    // Half of the time left for the sparse form, the rest for the input as given.
    let first = Budget {
        deadline: fraction(0.5),
        ..budget.clone()
    };
    let mut sparse_sol = route(&changed, &first)?;
    sparse_sol.steps.insert(0, intro);
    if let Answer::Exact(_) = sparse_sol.answer {
        if let Some(record) = &mut sparse_sol.resolution {
            back_to_original(record, &sparse, problem)?;
        }
        return Ok(sparse_sol);
    }
    let mut sol = route(problem, budget)?;
    if let (
        Answer::Bounds {
            lower: l1,
            upper: u1,
            ..
        },
        Answer::Bounds {
            lower,
            upper,
            reason,
        },
    ) = (&sparse_sol.answer, &mut sol.answer)
    {
        if *l1 > *upper || *u1 < *lower {
            return Err(Error::Internal(format!(
                "the changed coordinates give bounds [{}, {}] disjoint from [{}, {}]",
                format_rational(l1),
                format_rational(u1),
                format_rational(lower),
                format_rational(upper)
            )));
        }
        if *l1 > *lower || *u1 < *upper {
            sol.steps.extend(sparse_sol.steps);
            sol.steps.push(format!(
                "Both coordinate systems bound λ: {} ≤ λ ≤ {}.",
                format_rational(l1.max(lower)),
                format_rational(u1.min(upper))
            ));
            *lower = l1.max(lower).clone();
            *upper = u1.min(upper).clone();
            reason.push_str("; also after a change of coordinates");
        }
    }
    Ok(sol)
}

/// Express a resolution of f ∘ φ (in the variables `record.names`) as a certificate
/// for f: the input polynomials go back to the original coordinates, the changes are
/// kept for the certificate's root charts.
fn back_to_original(
    record: &mut ResolutionRecord,
    sparse: &sparsify::Sparsified,
    problem: &Problem,
) -> Result<()> {
    let ring = &problem.ring;
    let n = record.names.len();
    let keep: Vec<usize> = record
        .names
        .iter()
        .filter_map(|m| ring.names().iter().position(|name| name == m))
        .collect();
    let mut pos = vec![None; ring.nvars()];
    for (i, &k) in keep.iter().enumerate() {
        pos[k] = Some(i);
    }
    let local: Option<Vec<sparsify::Shift>> =
        sparse.shifts.iter().map(|s| s.remap(&pos, n)).collect();
    let (Some(local), true) = (local, keep.len() == n) else {
        return Err(Error::Internal(
            "a change of coordinates involves a variable the input does not".into(),
        ));
    };
    if let Some((mix, unmix)) = &sparse.mix {
        // The tree resolves M·(f∘φ); rewrite its leaves for f∘φ itself, whose
        // generators are the user's f in the original coordinates.
        let restrict = |m: &[Vec<Poly>]| -> Vec<Vec<Poly>> {
            m.iter()
                .map(|row| row.iter().map(|p| p.restrict(&keep)).collect())
                .collect()
        };
        let identity: Vec<Poly> = (0..n).map(|i| Poly::var(n, i)).collect();
        sparsify::unmix_tree(
            &mut record.resolution.root,
            &identity,
            &restrict(mix),
            &restrict(unmix),
        );
        let Target::Ideal(original) = &Piece::of(problem).target else {
            return Err(Error::Internal("a generator mix of a polynomial".into()));
        };
        record.generators = original.generators().to_vec();
    } else {
        for g in &mut record.generators {
            *g = sparsify::backward(g, &local);
        }
    }
    if let Some((k, _)) = &mut record.source {
        *k = sparsify::backward(k, &local);
    }
    if let Some((g, _, _)) = &mut record.root_of {
        *g = sparsify::backward(g, &local);
    }
    record.root_change = local;
    Ok(())
}

/// λ(I) ≥ λ(⟨f⟩) for every generator f of I, since Σ f_i² ≥ f² (DESIGN §2.5: K ≥ K' ⇒
/// λ(K) ≥ λ(K')). Each single generator gets the routes and a small resolution budget;
/// the best exact value found raises the lower bound.
fn sub_ideal_lower_bound(
    piece: &Piece,
    budget: &Budget,
    lower: &Rational,
    steps: &mut Vec<String>,
) -> Rational {
    let mut best = lower.clone();
    let Target::Ideal(ideal) = &piece.target else {
        return best;
    };
    if ideal.generators().len() < 2 {
        return best;
    }
    let small = Budget {
        max_charts: Some(200),
        progress: false,
        ..budget.clone()
    };
    for g in ideal.generators() {
        let sub = piece.sub(Target::Ideal(crate::poly::Ideal::new(
            g.nvars(),
            vec![g.clone()],
        )));
        let mut ignored = Vec::new();
        let exact = match solve_piece(&sub, &small, &mut ignored, 0) {
            Ok((Answer::Exact(r), _)) => Some(r.lambda),
            Ok(_) => resolution_route(&sub, &small)
                .ok()
                .map(|r| r.resolution.lambda),
            Err(_) => None,
        };
        if let Some(l) = exact {
            if l > best {
                steps.push(format!(
                    "The generator {} alone has λ = {}; K ≥ its square, so λ ≥ {}.",
                    sub.show(),
                    format_rational(&l),
                    format_rational(&l)
                ));
                best = l;
            }
        }
    }
    best
}

/// The input of a resolution and its result: everything a certificate needs.
#[derive(Clone, Debug)]
pub struct ResolutionRecord {
    /// Variable names (the variables K involves).
    pub names: Vec<String>,
    /// The generators resolved: of the ideal (`power` 2) or K itself (`power` 1).
    pub generators: Vec<Poly>,
    /// The prior exponent h.
    pub weight: Vec<u32>,
    /// For a `--poly` K = c·g² resolved as the ideal ⟨g⟩: (K, c).
    pub source: Option<(Poly, Rational)>,
    /// When the single input generator (or K) is g = c·h^k with k ≥ 2 and the
    /// resolution is of h: (g, c, k). `resolution.lambda` and `resolution.poles` are
    /// then those of g (h's divided by k); the leaves are h's.
    pub root_of: Option<(Poly, Rational, u32)>,
    /// The chart tree and its answer.
    pub resolution: Resolution,
    /// Coordinate changes made before the resolution (indices of `names`), in order:
    /// the tree resolves f ∘ φ_1 ∘ … ∘ φ_k, while `generators`, `source` and `root_of`
    /// are in the original coordinates. The certificate puts one `coordinate` chart per
    /// change between its root and the tree ([`sparsify`]).
    pub root_change: Vec<sparsify::Shift>,
}

/// Resolve the whole (restricted) problem: an ideal as it is, a `--poly` K that is a
/// positive multiple of a square c·g² as the ideal ⟨g⟩, any other K as a function.
fn resolution_route(
    piece: &Piece,
    budget: &Budget,
) -> std::result::Result<ResolutionRecord, Unresolved> {
    let rb = ResolveBudget {
        deadline: budget.deadline,
        max_charts: budget
            .max_charts
            .unwrap_or(ResolveBudget::default().max_charts),
        max_depth: budget
            .max_depth
            .unwrap_or(ResolveBudget::default().max_depth),
        ..ResolveBudget::default()
    };
    let (mut generators, power, source) = match &piece.target {
        Target::Ideal(i) => (i.generators().to_vec(), 2, None),
        Target::Poly(p) => match p.sqrt() {
            Some((c, g)) => (vec![g], 2, Some((p.clone(), c))),
            None => (vec![p.clone()], 1, None),
        },
    };
    // A single generator that is a power c·h^k: resolve h (FORMAT.md Addendum 8). For
    // `power` 1 (K itself) only odd k with c > 0, so that h ≥ 0 where K is.
    let mut root_of = None;
    if let [g] = generators.as_slice() {
        if let Some((c, h, k)) = g.perfect_power() {
            if power == 2 || (k % 2 == 1 && num_traits::Signed::is_positive(&c)) {
                root_of = Some((g.clone(), c, k));
                generators = vec![h];
            }
        }
    }
    let mut resolution = resolve(&generators, power, &piece.weight, &rb)?;
    if let Some((_, _, k)) = &root_of {
        let k = Rational::from_integer((*k).into());
        resolution.lambda /= &k;
        for (l, _) in &mut resolution.poles {
            *l /= &k;
        }
    }
    Ok(ResolutionRecord {
        names: piece.names.clone(),
        generators,
        weight: piece.weight.clone(),
        source,
        root_of,
        resolution,
        root_change: Vec::new(),
    })
}

/// A piece of the problem in its own variables (all of which occur).
struct Piece {
    names: Vec<String>,
    target: Target,
    weight: Vec<u32>,
}

impl Piece {
    /// The whole problem, restricted to the variables K involves.
    fn of(problem: &Problem) -> Piece {
        Piece {
            names: problem.ring.names().to_vec(),
            target: problem.target.clone(),
            weight: problem.weight.clone(),
        }
        .sub(problem.target.clone())
    }

    fn sub(&self, target: Target) -> Piece {
        let keep = target.used_vars();
        Piece {
            names: keep.iter().map(|&i| self.names[i].clone()).collect(),
            target: target.restrict(&keep),
            weight: keep.iter().map(|&i| self.weight[i]).collect(),
        }
    }
    fn show(&self) -> String {
        let ring = Ring::new(self.names.clone());
        match &self.target {
            Target::Poly(p) => ring.show(p),
            Target::Ideal(i) => format!(
                "⟨{}⟩",
                i.generators()
                    .iter()
                    .map(|g| ring.show(g))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

fn solve_piece(
    piece: &Piece,
    budget: &Budget,
    steps: &mut Vec<String>,
    depth: usize,
) -> Result<(Answer, Method)> {
    let indent = "  ".repeat(depth);
    if budget.expired() {
        let (lower, upper) = elementary_bounds(piece);
        return Ok((
            Answer::Bounds {
                lower,
                upper,
                reason: "timeout before this piece was analysed".into(),
            },
            Method::Bounds,
        ));
    }
    // 1. Sum rule.
    let parts = sum_components(&piece.target);
    if parts.len() > 1 {
        steps.push(format!(
            "{indent}{} splits into {} summands in disjoint variables (sum rule, Lin 2017 Prop. 3.7: λ adds, m = Σm − (c−1)).",
            piece.show(),
            parts.len()
        ));
        let mut results = Vec::new();
        for part in parts {
            results.push(solve_piece(&piece.sub(part), budget, steps, depth + 1)?);
        }
        return Ok(combine_sum(results));
    }
    if let Target::Poly(p) = &piece.target {
        // 2. Product rule.
        let factors = product_factors(p);
        if factors.len() > 1 {
            steps.push(format!(
                "{indent}{} factors into {} pieces in disjoint variables (product rule: λ = min, m adds on ties).",
                piece.show(),
                factors.len()
            ));
            let mut results = Vec::new();
            for f in factors {
                results.push(solve_piece(
                    &piece.sub(Target::Poly(f)),
                    budget,
                    steps,
                    depth + 1,
                )?);
            }
            return Ok(combine_product(results));
        }
        // 3. Monomial.
        if p.is_monomial() {
            if let Some((exp, _)) = p.terms().next() {
                let rlct = monomial_rlct(exp, &piece.weight);
                steps.push(format!(
                    "{indent}{} is a monomial (normal crossing, Watanabe 2009 Thm 6.1): {rlct}.",
                    piece.show()
                ));
                return Ok((Answer::Exact(rlct), Method::Monomial));
            }
        }
    }
    // 3'. Power rule: a principal ideal ⟨c·h^k⟩, or K = c·h^k with k odd and c > 0 (so
    // h ≥ 0 wherever K is), has the poles of h divided by k.
    if let Some((h, k, target)) = principal_power(&piece.target) {
        steps.push(format!(
            "{indent}{} is a power: K = c·({})^{k} up to the square of an ideal, so ζ_K(z) = ζ_h(kz): λ = λ(h)/{k}, same m.",
            piece.show(),
            Ring::new(piece.names.clone()).show(&h)
        ));
        let (answer, method) = solve_piece(&piece.sub(target), budget, steps, depth + 1)?;
        return Ok((divide_answer(answer, k), method));
    }
    match &piece.target {
        Target::Poly(p) => {
            // 4. Morse: a positive definite Hessian.
            if let Some(lambda) = regular::morse(p, &piece.weight) {
                steps.push(format!(
                    "{indent}{} has a positive definite Hessian at 0, so K ≍ |w|² (Lin 2017 Cor. 3.5): λ = Σ(h_i+1)/2 = {}, m = 1.",
                    piece.show(),
                    format_rational(&lambda)
                ));
                let rlct = Rlct {
                    lambda,
                    multiplicity: 1,
                };
                return Ok((Answer::Exact(rlct), Method::Regular));
            }
            // 5. A square K = c·g² is the ideal ⟨g⟩: carry the generator (DESIGN §3 trap 4).
            if let Some((_, g)) = p.sqrt() {
                let ideal = crate::poly::Ideal::new(g.nvars(), vec![g]);
                let sub = Piece {
                    names: piece.names.clone(),
                    target: Target::Ideal(ideal),
                    weight: piece.weight.clone(),
                };
                steps.push(format!(
                    "{indent}{} is a positive multiple of a square: K = c·g², work with the ideal {}.",
                    piece.show(),
                    sub.show()
                ));
                return solve_piece(&sub, budget, steps, depth + 1);
            }
        }
        Target::Ideal(i) => {
            // 4'. Independent linear parts: the generators are coordinates.
            if let Some(lambda) = regular::regular_ideal(i.generators(), &piece.weight) {
                steps.push(format!(
                    "{indent}{}: the generators have linearly independent linear parts, so they are coordinates (inverse function theorem): K = Σ v_i², λ = k/2 = {}, m = 1.",
                    piece.show(),
                    format_rational(&lambda)
                ));
                let rlct = Rlct {
                    lambda,
                    multiplicity: 1,
                };
                return Ok((Answer::Exact(rlct), Method::Regular));
            }
        }
    }
    // 6. Newton.
    newton_piece(piece, budget, steps, &indent)
}

/// `(h, k, target)` when the piece is a k-th power (k ≥ 2) of h up to a constant: a
/// single generator c·h^k (target ⟨h⟩), K = c·h^k with k odd and c > 0 (target h), or
/// K = c·h^k with k ≥ 4 even and c > 0 (target ⟨h⟩ with exponent k/2: K = c·(h²)^{k/2}).
/// K = c·h² is step 5.
fn principal_power(target: &Target) -> Option<(Poly, u32, Target)> {
    match target {
        Target::Ideal(i) => {
            let [g] = i.generators() else {
                return None;
            };
            let (_, h, k) = g.perfect_power()?;
            let ideal = crate::poly::Ideal::new(h.nvars(), vec![h.clone()]);
            Some((h, k, Target::Ideal(ideal)))
        }
        Target::Poly(p) => {
            let (c, h, k) = p.perfect_power()?;
            if !num_traits::Signed::is_positive(&c) {
                return None;
            }
            match k % 2 {
                1 => Some((h.clone(), k, Target::Poly(h))),
                // K = c·(h^{k/2})²: the ideal ⟨h^{k/2}⟩, a power of ⟨h⟩ (k = 2 is step 5).
                _ if k >= 4 => {
                    let ideal = crate::poly::Ideal::new(h.nvars(), vec![h.clone()]);
                    Some((h, k / 2, Target::Ideal(ideal)))
                }
                _ => None,
            }
        }
    }
}

/// The answer for K^k from the answer for K: every pole divided by k, orders kept.
fn divide_answer(answer: Answer, k: u32) -> Answer {
    let k = Rational::from_integer(k.into());
    match answer {
        Answer::Exact(r) => Answer::Exact(Rlct {
            lambda: r.lambda / &k,
            multiplicity: r.multiplicity,
        }),
        Answer::Bounds {
            lower,
            upper,
            reason,
        } => Answer::Bounds {
            lower: lower / &k,
            upper: upper / &k,
            reason,
        },
    }
}

/// λ and m of |w^α|^… in normal crossing: min_j (h_j+1)/α_j over α_j > 0.
fn monomial_rlct(exp: &[u32], weight: &[u32]) -> Rlct {
    let mut best: Option<Rational> = None;
    let mut count = 0;
    for (a, h) in exp.iter().zip(weight) {
        if *a == 0 {
            continue;
        }
        let q = ratio(i64::from(*h) + 1, i64::from(*a));
        match &best {
            Some(b) if q > *b => {}
            Some(b) if q == *b => count += 1,
            _ => {
                best = Some(q);
                count = 1;
            }
        }
    }
    Rlct {
        lambda: best.unwrap_or_else(Rational::zero),
        multiplicity: count,
    }
}

fn newton_piece(
    piece: &Piece,
    budget: &Budget,
    steps: &mut Vec<String>,
    indent: &str,
) -> Result<(Answer, Method)> {
    let (lower, fallback_upper) = elementary_bounds(piece);
    let analysis = match NewtonAnalysis::within(&piece.target, &piece.weight, budget.deadline) {
        Ok(a) => a,
        Err(e) => {
            return Ok((
                Answer::Bounds {
                    lower,
                    upper: fallback_upper,
                    reason: format!("{}: {e}", piece.show()),
                },
                Method::Bounds,
            ))
        }
    };
    let bound = analysis.bound();
    if analysis.nondegenerate() {
        let rlct = Rlct {
            lambda: bound,
            multiplicity: analysis.theta() as u32,
        };
        steps.push(format!(
            "{indent}{}: every compact face of the Newton polyhedron is nondegenerate over ℝ; t* = {} along τ = {:?}, principal face of codimension θ = {} (Lin 2017 Thm 1.3, Prop. 4.5): {rlct}.",
            piece.show(),
            format_rational(&analysis.distance.t_star),
            analysis.tau,
            analysis.theta()
        ));
        return Ok((Answer::Exact(rlct), Method::Newton));
    }
    let why = match (&analysis.faces, analysis.first_failure()) {
        (Err(e), _) => format!("compact faces not enumerated: {e}"),
        (Ok(_), Some(f)) => {
            let ring = Ring::new(piece.names.clone());
            let shown: Vec<String> = f.parts.iter().map(|p| ring.show(p)).collect();
            format!(
                "face {} is {}{}",
                shown.join(", "),
                f.verdict.label(),
                f.verdict
                    .detail()
                    .map(|d| format!(" ({})", ring.rename_placeholders(d)))
                    .unwrap_or_default()
            )
        }
        (Ok(_), None) => "no face failed, but the route did not certify".into(),
    };
    let upper = if bound < fallback_upper {
        bound
    } else {
        fallback_upper
    };
    steps.push(format!(
        "{indent}{}: Newton polyhedron gives λ ≤ {} but {why}, so the Newton route does not apply.",
        piece.show(),
        format_rational(&analysis.bound()),
    ));
    Ok((
        Answer::Bounds {
            lower,
            upper,
            reason: format!("{}: {why}", piece.show()),
        },
        Method::Bounds,
    ))
}

/// Bounds that need no geometry (DESIGN §2.5): λ ≥ 1/ord K (real λ ≥ complex lct ≥
/// 1/ord; a prior weight only raises λ) and λ ≤ (d + |h|)/ord K, and λ ≤ d/2 for a
/// uniform prior.
fn elementary_bounds(piece: &Piece) -> (Rational, Rational) {
    let ord = match &piece.target {
        Target::Poly(p) => p.order().unwrap_or(1),
        Target::Ideal(i) => 2 * i.order().unwrap_or(1),
    }
    .max(1);
    let d = piece.names.len() as i64;
    let h: i64 = piece.weight.iter().map(|&x| i64::from(x)).sum();
    let lower = ratio(1, i64::from(ord));
    let mut upper = ratio(d + h, i64::from(ord));
    if h == 0 && ratio(d, 2) < upper {
        upper = ratio(d, 2);
    }
    (lower, upper)
}

fn combine_sum(results: Vec<(Answer, Method)>) -> (Answer, Method) {
    let methods: Vec<Method> = results.iter().map(|r| r.1.clone()).collect();
    let all_exact: Option<Vec<&Rlct>> = results.iter().map(|r| r.0.exact()).collect();
    if let Some(rs) = all_exact {
        let lambda = rs.iter().fold(Rational::zero(), |acc, r| acc + &r.lambda);
        let m: u32 = rs.iter().map(|r| r.multiplicity).sum::<u32>() + 1 - rs.len() as u32;
        return (
            Answer::Exact(Rlct {
                lambda,
                multiplicity: m,
            }),
            Method::Sum(methods),
        );
    }
    let lower = results
        .iter()
        .fold(Rational::zero(), |acc, r| acc + r.0.lower());
    let upper = results
        .iter()
        .fold(Rational::zero(), |acc, r| acc + r.0.upper());
    (
        Answer::Bounds {
            lower,
            upper,
            reason: reasons(&results),
        },
        Method::Bounds,
    )
}

fn combine_product(results: Vec<(Answer, Method)>) -> (Answer, Method) {
    let methods: Vec<Method> = results.iter().map(|r| r.1.clone()).collect();
    // λ = min over factors. Exact if some exact factor's λ is strictly below every
    // inexact factor's lower bound; m adds over the exact factors attaining it.
    let best_exact = results
        .iter()
        .filter_map(|r| r.0.exact())
        .map(|r| r.lambda.clone())
        .min();
    if let Some(best) = best_exact {
        let beaten = results
            .iter()
            .filter(|r| r.0.exact().is_none())
            .all(|r| best < *r.0.lower());
        if beaten {
            let m = results
                .iter()
                .filter_map(|r| r.0.exact())
                .filter(|r| r.lambda == best)
                .map(|r| r.multiplicity)
                .sum();
            return (
                Answer::Exact(Rlct {
                    lambda: best,
                    multiplicity: m,
                }),
                Method::Product(methods),
            );
        }
    }
    let lower = results
        .iter()
        .map(|r| r.0.lower().clone())
        .min()
        .unwrap_or_else(Rational::one);
    let upper = results
        .iter()
        .map(|r| r.0.upper().clone())
        .min()
        .unwrap_or_else(Rational::one);
    (
        Answer::Bounds {
            lower,
            upper,
            reason: reasons(&results),
        },
        Method::Bounds,
    )
}

fn reasons(results: &[(Answer, Method)]) -> String {
    results
        .iter()
        .filter_map(|r| match &r.0 {
            Answer::Bounds { reason, .. } => Some(reason.as_str()),
            Answer::Exact(_) => None,
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Reject a `--poly` K that is proved negative somewhere near the origin: the vertex
/// monomials of Γ and the face polynomials of compact faces dominate K along curves
/// w_i = c_i t^{a_i} (a > 0 a weight of the face), so a negative value of a face
/// polynomial on the torus is a negative value of K arbitrarily close to 0.
///
/// # Errors
/// [`Error::Input`] naming the face and where it is negative.
pub fn check_nonnegative(problem: &Problem) -> Result<()> {
    let Target::Poly(k) = &problem.target else {
        return Ok(());
    };
    let Ok(analysis) = NewtonAnalysis::new(&problem.target, &problem.weight) else {
        return Ok(());
    };
    if let Ok(faces) = &analysis.faces {
        for f in faces {
            if let FaceVerdict::Negative(why) = &f.verdict {
                let shown: Vec<String> = f.parts.iter().map(|p| problem.ring.show(p)).collect();
                return Err(Error::Input(format!(
                    "K = {} takes negative values arbitrarily close to the point: its face polynomial {} is negative on the real torus ({}); K must be ≥ 0 (use --ideal f1,f2,… for K = Σ f_i²)",
                    problem.ring.show(k),
                    shown.join(", "),
                    problem.ring.rename_placeholders(why)
                )));
            }
        }
    }
    Ok(())
}
