//! Resolution of singularities over ℝ (DESIGN §2.1, §4 *Resolution*): a tree of charts,
//! each either split by a move into children that cover it, or a leaf where the ideal is
//! monomial near every point of its set C (see [`leaf`]).
//!
//! The [`Resolver`] works depth first on one chart at a time:
//! 1. if the chart is a leaf, record its pole and recentre at each excepted hyperplane
//!    (translate children);
//! 2. else if a generator is linear in a small coordinate, make it a coordinate (with a
//!    constant coefficient by substitution, with a unit coefficient by pseudo-division; if
//!    the pseudo-division's subtree gets stuck, a generator y^β·(c·y_j + r) with a monomial
//!    factor and a constant c becomes y^β·y_j by substitution instead);
//! 3. else simplify in place: monomial generators make the terms they divide redundant
//!    elsewhere, generators are reduced by each other (equal initial forms; rows over the
//!    ring of the bounded coordinates with a constant pivot, [`moves::reduce_over_bounded`]:
//!    the Gaussian elimination of a blown-up block of W_3·W_2·W_1), and generators
//!    y^β·(y_j − t) of a bounded coordinate are recentred at {y_j = t} at once (translate
//!    children);
//! 4. else if a generator has a factor linear in a *bounded* coordinate with coefficient
//!    1 (or is linear with a constant coefficient; the factor may be a determinant of
//!    bounded coordinates times a strict part that vanishes on C), shift that coordinate so that the
//!    factor's zero set on C — a hypersurface of the box — becomes a hyperplane
//!    (FORMAT.md Addendum 5; the elimination steps of a reduced-rank regression);
//! 5. else try a forward coordinate change z = ψ(y) (FORMAT.md Addendum 12,
//!    [`forward`]): absorb a common unit factor of a small coordinate's coefficients into
//!    it, or replace a small coordinate that enters only through y² + b·y by that
//!    polynomial (the merged hidden units of tanh and Vandermonde networks); then, when
//!    the generators lose terms, a rescaling by a common unit factor that is no product of
//!    univariate ones, or a coefficient ∂G/∂y_v affine in a small coordinate with a unit
//!    slope made that coordinate ([`coefficient`]: a product B·M·A of coordinate blocks
//!    through a matrix M of units becomes B'·A);
//! 6. else blow up a coordinate subspace on which the non-monomial generators vanish,
//!    trying a few minimal centres (found by a bounded hitting-set search) and
//!    backtracking when a subtree gets stuck; when there is no centre, make a generator
//!    that is affine in one coordinate with a non-constant unit slope that coordinate
//!    (FORMAT.md Addendum 13, [`forward::find_unit_affine`]);
//! 7. stop with [`Stop`] when a budget (charts, depth, time) runs out.
//!
//! Setting the environment variable `RLCT_TRACE=1` prints every chart visited (step, α, J,
//! small/bounded pattern, generators) and every dead end to stderr: the way to see why a
//! resolution stops.
//!
//! λ = min over leaves of their poles, m = the largest multiplicity among the leaves
//! attaining it (Watanabe 2009, Thm 6.x; DESIGN §2.1). Every chart carries the data of
//! its chart identities, so the tree is a certificate ([`crate::certificate`]).
//!
//! # Example
//! The blow-up of the origin resolves (x − y)² (DESIGN §3 trap 3): the zero (1:1) on the
//! exceptional divisor is found and recentred, giving λ = 1/2, m = 1.
//! ```
//! use rlct::poly::{Poly, rat};
//! use rlct::resolve::{resolve, ResolveBudget};
//! let x = Poly::var(2, 0);
//! let y = Poly::var(2, 1);
//! let r = resolve(&[&x - &y], 2, &[0, 0], &ResolveBudget::default()).unwrap();
//! assert_eq!((r.lambda, r.multiplicity), (rlct::poly::ratio(1, 2), 1));
//! ```

pub mod chart;
pub mod coefficient;
pub mod forward;
pub mod leaf;
pub mod moves;

pub use chart::{Chart, Range, Step};
pub use leaf::{LeafAnalysis, Pole, Transverse, ZeroWitness};

use crate::poly::{Poly, Rational};
use std::time::Instant;

/// Limits on a resolution.
#[derive(Clone, Debug)]
pub struct ResolveBudget {
    /// Most charts examined (including abandoned ones).
    pub max_charts: usize,
    /// Deepest chain of moves.
    pub max_depth: usize,
    /// Blow-up centres tried per chart before giving up on it.
    pub centres_per_chart: usize,
    /// Wall-clock deadline.
    pub deadline: Option<Instant>,
    /// Print the number of charts examined to stderr now and then (the CLI sets this
    /// when stderr is a terminal).
    pub progress: bool,
}

impl Default for ResolveBudget {
    fn default() -> Self {
        ResolveBudget {
            max_charts: 30_000,
            max_depth: 24,
            centres_per_chart: 3,
            deadline: None,
            progress: false,
        }
    }
}

/// Why a resolution stopped without an answer.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Stop {
    /// A budget ran out.
    #[error("resolution budget exhausted: {0}")]
    Budget(String),
    /// No move applies to some chart.
    #[error("resolution stuck: {0}")]
    Stuck(String),
}

/// A resolution that did not finish, with the best upper bound its finished leaves give.
///
/// Every leaf, even of an abandoned branch, is a chart of a proper birational map whose
/// set C lies over the true point; its pole is the local threshold at a point of C, and
/// the threshold of a neighbourhood of the origin is at most that (the integrands are
/// positive). So the smallest leaf pole seen is a proved upper bound for λ.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{stop}")]
pub struct Unresolved {
    /// Why it stopped.
    pub stop: Stop,
    /// The smallest pole of a finished leaf, if any.
    pub upper: Option<Rational>,
}

/// What a chart of the tree is.
#[derive(Clone, Debug)]
pub enum Body {
    /// Covered by its children.
    Split(Vec<ChartNode>),
    /// A leaf with its pole.
    Leaf {
        /// Why it is a leaf.
        analysis: Box<LeafAnalysis>,
        /// Its pole (λ, m), `None` if K is a unit on it.
        pole: Pole,
    },
}

/// A chart in the tree.
#[derive(Clone, Debug)]
pub struct ChartNode {
    /// The chart.
    pub chart: Chart,
    /// How it arises from its parent.
    pub step: Step,
    /// Parent coordinate k = `substitution[k]` (in this chart's coordinates); `None` at
    /// the root.
    pub substitution: Option<Vec<Poly>>,
    /// Split or leaf.
    pub body: Body,
    /// Translate children covering neighbourhoods of the hyperplanes this chart excludes
    /// (a leaf's excepted hyperplanes, or the zeros of a unit coefficient).
    pub except: Vec<ChartNode>,
}

impl ChartNode {
    /// A chart covered by one child (a coordinate change or a shift).
    fn split_into(
        chart: Chart,
        step: Step,
        substitution: Option<Vec<Poly>>,
        kid: ChartNode,
    ) -> Self {
        ChartNode {
            chart,
            step,
            substitution,
            body: Body::Split(vec![kid]),
            except: Vec::new(),
        }
    }

    /// Visit this node and its descendants, depth first.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a ChartNode)) {
        f(self);
        if let Body::Split(kids) = &self.body {
            for k in kids {
                k.walk(f);
            }
        }
        for k in &self.except {
            k.walk(f);
        }
    }
}

/// A finished resolution.
#[derive(Clone, Debug)]
pub struct Resolution {
    /// The tree.
    pub root: ChartNode,
    /// λ.
    pub lambda: Rational,
    /// m.
    pub multiplicity: u32,
    /// Number of charts in the tree.
    pub charts: usize,
    /// Distinct candidate poles with the largest order seen for each, ascending.
    pub poles: Vec<(Rational, u32)>,
    /// 2 for an ideal (K = Σ f²), 1 for K itself.
    pub power: u32,
}

/// Resolve the ideal ⟨inputs⟩ (`power` 2: K = Σ f_i²) or the function K = inputs[0]
/// (`power` 1) near the origin, with prior |w^h|.
///
/// # Errors
/// [`Unresolved`] when a budget runs out or no move applies.
pub fn resolve(
    inputs: &[Poly],
    power: u32,
    weight: &[u32],
    budget: &ResolveBudget,
) -> Result<Resolution, Unresolved> {
    let mut r = Resolver {
        power,
        budget: budget.clone(),
        work: 0,
        best_leaf: None,
        trace: std::env::var("RLCT_TRACE").is_ok_and(|v| !v.is_empty()),
    };
    let result = r.node(Chart::root(inputs, weight), Step::Root, None, 0);
    if r.budget.progress {
        eprintln!("\rresolution: {} charts examined", r.work);
    }
    let root = result.map_err(|stop| Unresolved {
        stop,
        upper: r.best_leaf.clone(),
    })?;
    let mut poles: Vec<(Rational, u32)> = Vec::new();
    let mut charts = 0;
    root.walk(&mut |n| {
        charts += 1;
        if let Body::Leaf {
            pole: Some((l, m)), ..
        } = &n.body
        {
            match poles.iter_mut().find(|p| p.0 == *l) {
                Some(p) => p.1 = p.1.max(*m),
                None => poles.push((l.clone(), *m)),
            }
        }
    });
    poles.sort();
    let Some((lambda, multiplicity)) = poles.first().cloned() else {
        return Err(Unresolved {
            stop: Stop::Stuck("no leaf has a pole".into()),
            upper: None,
        });
    };
    Ok(Resolution {
        root,
        lambda,
        multiplicity,
        charts,
        poles,
        power,
    })
}

/// The depth-first resolver (see the module doc).
pub struct Resolver {
    power: u32,
    budget: ResolveBudget,
    work: usize,
    best_leaf: Option<Rational>,
    /// `RLCT_TRACE` is set: print the chart walk to stderr (read once, not per chart).
    trace: bool,
}

/// Charts an elimination's subtree may use before its fallback is tried instead.
const FALLBACK_TRIAL_CHARTS: usize = 2000;

/// Whether a child costs a level of the depth budget.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cost {
    Depth,
    Free,
}

impl Resolver {
    /// Translate children for new excluded hyperplanes, in order: child i inherits the
    /// chart's exclusions and the new ones before it (on other coordinates), so that
    /// every intersection of two hyperplanes is covered by exactly the earlier child.
    fn translate_children(
        &mut self,
        chart: &Chart,
        hyperplanes: &[(usize, Rational)],
        depth: usize,
        cost: Cost,
    ) -> Result<Vec<ChartNode>, Stop> {
        let mut out = Vec::new();
        for (i, (j, c)) in hyperplanes.iter().enumerate() {
            let (mut child, subst) = moves::translate(chart, *j, c);
            child
                .excluded
                .extend(hyperplanes[..i].iter().filter(|(k, _)| k != j).cloned());
            let step = Step::Translate {
                coord: *j,
                to: c.clone(),
            };
            // Recentring at the zero set of a coordinate generator y^β·(y_j − t) costs no
            // depth (`Cost::Free`): it turns a bounded coordinate into a small one, and no
            // move that costs nothing turns a small one back (blow-ups, shifts and
            // coordinate changes cost depth), so a chain of such translates between two
            // costly moves has at most n links and the depth limit still bounds the tree.
            // Charged, they exhausted the depth of the reduced-rank regression
            // M = N = 4, H = 3 on chains {y_a = 0}, {y_b = 0}, … of coordinate
            // generators. The other translates (zeros of leaf factors and of unit
            // coefficients, y_j = ±1 where tanh units merge) recentre where the
            // singularity may be as bad as at the start, so they are charged: free, they
            // let tanh H = 4 search for 75 s (30 000 charts) instead of stopping in 5 s.
            let cost = usize::from(cost == Cost::Depth);
            out.push(self.node(child, step, Some(subst), depth + cost)?);
        }
        Ok(out)
    }

    /// A chart split into its one coordinate-change child (FORMAT.md `coordinate`).
    #[allow(clippy::too_many_arguments)]
    fn coordinate_child(
        &mut self,
        chart: Chart,
        step: Step,
        substitution: Option<Vec<Poly>>,
        child: Chart,
        subst: Vec<Poly>,
        coord: usize,
        depth: usize,
    ) -> Result<ChartNode, Stop> {
        let kid = self.node(child, Step::Coordinate { coord }, Some(subst), depth + 1)?;
        Ok(ChartNode::split_into(chart, step, substitution, kid))
    }

    /// Eliminate y_j from the other generators by the generator l = y^β·(c·y_j + r) with c a
    /// unit on C off the hyperplanes `new_excluded` (which translate children take), in
    /// place ([`moves::eliminate`]), and go on with the same chart.
    fn unit_linear(
        &mut self,
        chart: Chart,
        step: Step,
        substitution: Option<Vec<Poly>>,
        (l, j, c, new_excluded): moves::CoordinateGenerator,
        depth: usize,
    ) -> Result<ChartNode, Stop> {
        if self.trace {
            eprintln!("{}unit-linear: generator {l} in y{j}, coefficient {c}, new exclusions {new_excluded:?}", "  ".repeat(depth));
        }
        // The coefficient may vanish on some hyperplanes of C: translate children take
        // neighbourhoods of those, and this chart excludes them.
        let except = self.translate_children(&chart, &new_excluded, depth, Cost::Depth)?;
        // In place: the generators change, the coordinates do not.
        let mut chart = chart;
        chart.excluded.extend(new_excluded);
        let deadline = self.budget.deadline;
        let expired = move || deadline.is_some_and(|d| Instant::now() >= d);
        let finished = moves::eliminate(&mut chart, l, j, &c, &expired);
        if self.trace {
            eprintln!(
                "{}  T has {} terms, the generators {}",
                "  ".repeat(depth),
                chart
                    .to_input
                    .iter()
                    .flatten()
                    .map(Poly::num_terms)
                    .sum::<usize>(),
                chart.gens.iter().map(Poly::num_terms).sum::<usize>()
            );
        }
        if !finished {
            return Err(if expired() {
                Stop::Budget("timeout".into())
            } else {
                Stop::Budget(format!(
                    "pseudo-division coefficients grew past {} terms (or the generators past {})",
                    moves::MAX_TRANSFORM_TERMS,
                    moves::MAX_GENERATOR_TERMS
                ))
            });
        }
        // The same chart again, not a new one: it does not count as work.
        self.work -= 1;
        let mut node = self.node(chart, step, substitution, depth + 1)?;
        // These exclusions come first: translate children created later at this chart
        // inherit them (the checker reads the order).
        let later = std::mem::replace(&mut node.except, except);
        node.except.extend(later);
        Ok(node)
    }

    /// The change of [`coefficient::find_coefficient_change`] and the rescaling its child
    /// admits (if any), as a chain parent → change → rescaling → the rest of the search.
    /// Free of depth when the chain lowers the number of generator terms (the move is
    /// offered only then; the child's common monomial factor may differ from the
    /// look-ahead's, so it is re-counted): a chain of such changes is then finite.
    fn coefficient_change(
        &mut self,
        chart: &Chart,
        step: &Step,
        substitution: &Option<Vec<Poly>>,
        mv: &forward::ForwardMove,
        depth: usize,
    ) -> Result<ChartNode, Stop> {
        let terms = |c: &Chart| c.gens.iter().map(Poly::num_terms).sum::<usize>();
        let (child, data) = forward::apply(chart, mv);
        let rescaling = coefficient::find_unit_rescaling(&child);
        let (last, rescaled) = match &rescaling {
            Some(rs) => {
                let (grand, gdata) = forward::apply(&child, rs);
                (grand, Some(gdata))
            }
            None => (child.clone(), None),
        };
        let cost = usize::from(terms(&last) >= terms(chart));
        if self.trace {
            let i = mv.changed[0];
            eprintln!(
                "{}coefficient change y{i} ↦ {}{}",
                "  ".repeat(depth),
                mv.image[i],
                rescaling.as_ref().map_or(String::new(), |rs| {
                    let shown: Vec<String> = rs
                        .changed
                        .iter()
                        .map(|&k| format!("y{k} ↦ {}", rs.image[k]))
                        .collect();
                    format!(", then {}", shown.join(", "))
                })
            );
        }
        let kid = match rescaled {
            Some(gdata) => {
                let grand = self.node(last, Step::Forward(Box::new(gdata)), None, depth + cost)?;
                ChartNode::split_into(child, Step::Forward(Box::new(data)), None, grand)
            }
            None => self.node(last, Step::Forward(Box::new(data)), None, depth + cost)?,
        };
        Ok(ChartNode::split_into(
            chart.clone(),
            step.clone(),
            substitution.clone(),
            kid,
        ))
    }

    /// A leaf chart: its pole, the translate children of its new exceptions.
    fn leaf_node(
        &mut self,
        chart: Chart,
        step: Step,
        substitution: Option<Vec<Poly>>,
        analysis: LeafAnalysis,
        depth: usize,
    ) -> Result<ChartNode, Stop> {
        let pole = leaf::pole(&chart, &analysis, self.power);
        if self.trace {
            // FORMAT.md Addenda 14 and 15 (the leaf rules that are easy to miss).
            let coprime = analysis.transverse.iter().any(|t| !t.coprime.is_empty());
            let joint = analysis
                .transverse
                .iter()
                .any(|t| matches!(t.witness, leaf::ZeroWitness::Joint(..)));
            if coprime || joint {
                eprintln!(
                    "{}leaf with {} factors, pole {:?}",
                    "  ".repeat(depth),
                    if joint { "joint" } else { "coprime" },
                    pole
                );
            }
        }
        if let Some((l, _)) = &pole {
            if self.best_leaf.as_ref().is_none_or(|b| l < b) {
                self.best_leaf = Some(l.clone());
            }
        }
        let except = self.translate_children(&chart, &analysis.exceptions, depth, Cost::Depth)?;
        Ok(ChartNode {
            chart,
            step,
            substitution,
            body: Body::Leaf {
                analysis: Box::new(analysis),
                pole,
            },
            except,
        })
    }

    fn node(
        &mut self,
        chart: Chart,
        step: Step,
        substitution: Option<Vec<Poly>>,
        depth: usize,
    ) -> Result<ChartNode, Stop> {
        self.work += 1;
        if self.budget.progress && self.work % 200 == 0 {
            eprint!("\rresolution: {} charts examined", self.work);
        }
        if self.work > self.budget.max_charts {
            return Err(Stop::Budget(format!(
                "more than {} charts",
                self.budget.max_charts
            )));
        }
        if self.budget.deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(Stop::Budget("timeout".into()));
        }
        if depth > self.budget.max_depth {
            if self.trace {
                eprintln!("{}TOO DEEP", "  ".repeat(depth));
            }
            return Err(Stop::Stuck(format!(
                "deeper than {} moves",
                self.budget.max_depth
            )));
        }
        if self.trace {
            let gens: Vec<String> = chart.gens.iter().map(ToString::to_string).collect();
            let r: String = chart
                .ranges
                .iter()
                .map(|r| if r.is_small() { 's' } else { 'b' })
                .collect();
            // A forward step's data (matrices of the parent) is too long for a trace line.
            let shown = match &step {
                Step::Forward(_) => "Forward".to_string(),
                s => format!("{s:?}"),
            };
            eprintln!(
                "{}{} α={:?} J={:?} [{r}] ⟨{}⟩",
                "  ".repeat(depth),
                shown,
                chart.alpha,
                chart.jac,
                gens.join(", ")
            );
        }
        if let Some(analysis) = leaf::analyse(&chart, self.power) {
            return self.leaf_node(chart, step, substitution, analysis, depth);
        }
        if let Some(mv) = moves::find_linear(&chart, false) {
            let (child, subst) = moves::apply_linear(&chart, &mv);
            return self.coordinate_child(chart, step, substitution, child, subst, mv.coord, depth);
        }
        if let Some((l, j, c, new_excluded)) = moves::find_unit_linear(&chart) {
            // If that elimination gets stuck and a generator y^β·(c·y_j + r) with a constant
            // c has a monomial factor, make its strict part a coordinate instead (see
            // [`moves::find_linear`]). Tried second, so that the charts this chart resolved
            // before are resolved the same way.
            // (The generator need not be the one eliminated by: in ⟨a_1, Σ a_h·d_h^k⟩ the
            // rescue comes from s·(a_3 + …) while the elimination by a generator with a
            // non-constant coefficient got stuck. Restricting it to the same generator, or to
            // constant coefficients, left that input in bounds.)
            let fallback = moves::find_linear(&chart, true)
                .map(|mv| (mv, chart.clone(), step.clone(), substitution.clone()));
            let info = if self.trace {
                format!("unit-linear was generator {l} in y{j}, coefficient {c}")
            } else {
                String::new()
            };
            // With a fallback at hand, the elimination's subtree gets a share of the chart
            // budget: a subtree that neither finishes nor gets stuck within it (recentring
            // at coordinate hyperplanes is free of depth, so such a search can run long)
            // counts as stuck.
            let global = self.budget.max_charts;
            let local = if fallback.is_some() {
                global.min(self.work + FALLBACK_TRIAL_CHARTS)
            } else {
                global
            };
            self.budget.max_charts = local;
            let first = self.unit_linear(chart, step, substitution, (l, j, c, new_excluded), depth);
            self.budget.max_charts = global;
            let first = match first {
                Err(Stop::Budget(why)) if local < global && self.work > local => {
                    Err(Stop::Stuck(why))
                }
                other => other,
            };
            return match (first, fallback) {
                (Err(Stop::Stuck(why)), Some((mv, chart, step, substitution))) => {
                    if self.trace {
                        eprintln!(
                            "{}stuck ({why}); {info}; generator {} behind its monomial factor as coordinate y{}",
                            "  ".repeat(depth),
                            mv.generator,
                            mv.coord
                        );
                    }
                    let (child, subst) = moves::apply_linear(&chart, &mv);
                    self.coordinate_child(chart, step, substitution, child, subst, mv.coord, depth)
                }
                (result, _) => result,
            };
        }
        // A small coordinate that completes a product (y_j + t)·M: make it one.
        if let Some(mv) = moves::find_coefficient_shift(&chart) {
            let (child, subst) = moves::apply_coefficient_shift(&chart, &mv);
            return self.coordinate_child(chart, step, substitution, child, subst, mv.coord, depth);
        }
        // Monomial generators make the terms they divide redundant elsewhere.
        let mut reduced = chart.clone();
        if moves::reduce_by_monomials(&mut reduced) {
            // (In place and finite — every pass removes terms — so it costs no depth, and
            // it is the same chart, so no work either.)
            self.work -= 1;
            return self.node(reduced, step, substitution, depth);
        }
        // Generators whose initial forms along C agree: cancel them (costs depth, so a
        // chain of these is finite).
        let mut reduced = chart.clone();
        if moves::reduce_initial_forms(&mut reduced) {
            self.work -= 1;
            return self.node(reduced, step, substitution, depth + 1);
        }
        // Row reduction with constant pivots over the bounded coordinates (Gaussian
        // elimination of a blown-up block): costs depth, like the initial-form reduction.
        let mut reduced = chart.clone();
        let deadline = self.budget.deadline;
        let expired = move || deadline.is_some_and(|d| Instant::now() >= d);
        if moves::reduce_over_bounded(&mut reduced, &expired) {
            if self.trace {
                eprintln!("{}reduced over the bounded coordinates", "  ".repeat(depth));
            }
            self.work -= 1;
            return self.node(reduced, step, substitution, depth + 1);
        }
        // Generators y^β·(y_j − t) of a bounded coordinate: recentre at {y_j = t} now.
        let hyperplanes = moves::coordinate_hyperplanes(&chart);
        if !hyperplanes.is_empty() {
            let except = self.translate_children(&chart, &hyperplanes, depth, Cost::Free)?;
            let mut chart = chart;
            chart.excluded.extend(hyperplanes);
            self.work -= 1;
            let mut node = self.node(chart, step, substitution, depth)?;
            let later = std::mem::replace(&mut node.except, except);
            node.except.extend(later);
            return Ok(node);
        }
        // A generator linear in a bounded coordinate with a constant coefficient: shift
        // that coordinate so that the generator's zero set on C becomes a hyperplane.
        let mut last = Stop::Stuck("no centre worked".into());
        if let Some(mv) = moves::find_shift(&chart) {
            let (child, subst) = moves::apply_shift(&chart, &mv);
            match self.node(
                child,
                Step::Shift { coord: mv.coord },
                Some(subst),
                depth + 1,
            ) {
                Ok(kid) => return Ok(ChartNode::split_into(chart, step, substitution, kid)),
                Err(e @ Stop::Budget(_)) => return Err(e),
                Err(e) => last = e,
            }
        }
        // Forward coordinate changes (Addendum 12): a common unit factor of a small
        // coordinate's coefficients is absorbed into it, a coordinate that enters only
        // through y² + b·y is replaced by that polynomial. Cheap checks, before blow-ups.
        if let Some(mv) =
            forward::find_rescaling(&chart).or_else(|| forward::find_reparametrisation(&chart))
        {
            if self.trace {
                let shown: Vec<String> = mv
                    .changed
                    .iter()
                    .map(|&i| format!("y{i} ↦ {}", mv.image[i]))
                    .collect();
                eprintln!("{}forward change {}", "  ".repeat(depth), shown.join(", "));
            }
            let (child, data) = forward::apply(&chart, &mv);
            match self.node(child, Step::Forward(Box::new(data)), None, depth + 1) {
                Ok(kid) => return Ok(ChartNode::split_into(chart, step, substitution, kid)),
                Err(e @ Stop::Budget(_)) => return Err(e),
                Err(e) => last = e,
            }
        }
        // A coefficient affine in a small coordinate with a unit slope becomes that
        // coordinate (Addendum 13, small case), with the rescaling it enables (Addendum 12),
        // when the pair lowers the number of terms ([`coefficient`]): a product B·M·A of
        // coordinate blocks through a matrix M of units becomes B'·A.
        let terms = |gens: &[Poly]| gens.iter().map(Poly::num_terms).sum::<usize>();
        if let Some(mv) = coefficient::find_unit_rescaling(&chart)
            .filter(|mv| terms(&mv.gens) < terms(&chart.gens))
        {
            // A common unit factor of a coordinate's coefficients that the univariate
            // search above does not see (det M = 1 − a·b − c·d): absorbed at no depth, as
            // the generators lose terms.
            if self.trace {
                let shown: Vec<String> = mv
                    .changed
                    .iter()
                    .map(|&k| format!("y{k} ↦ {}", mv.image[k]))
                    .collect();
                eprintln!("{}unit rescaling {}", "  ".repeat(depth), shown.join(", "));
            }
            let (child, data) = forward::apply(&chart, &mv);
            let cost = usize::from(terms(&child.gens) >= terms(&chart.gens));
            match self.node(child, Step::Forward(Box::new(data)), None, depth + cost) {
                Ok(kid) => return Ok(ChartNode::split_into(chart, step, substitution, kid)),
                Err(e @ Stop::Budget(_)) => return Err(e),
                Err(e) => last = e,
            }
        }
        let deadline = self.budget.deadline;
        let expired = move || deadline.is_some_and(|d| Instant::now() >= d);
        if let Some(mv) = coefficient::find_coefficient_change(&chart, &expired) {
            match self.coefficient_change(&chart, &step, &substitution, &mv, depth) {
                Ok(node) => return Ok(node),
                Err(e @ Stop::Budget(_)) => return Err(e),
                Err(e) => last = e,
            }
        }
        // Generators that are already coordinates (c·y_j + r, c a unit) stay out of the
        // centres, and so do their coordinates.
        // (A coordinate generator y^β·x with β ≠ 0 is not done: ⟨y^β·x, y^γ⟩ still needs
        // centres through x to become principal, so it counts as one to resolve.)
        let coordinate: Vec<_> = moves::coordinate_generators(&chart)
            .into_iter()
            .filter(|c| c.3.is_empty() && chart.gens[c.0].monomial_gcd().iter().all(|&b| b == 0))
            .collect();
        let bad: Vec<usize> = (0..chart.gens.len())
            .filter(|&k| {
                let g = &chart.gens[k];
                let beta = g.monomial_gcd();
                g.div_monomial(&beta)
                    .is_none_or(|u| chart.on_c(&u).is_zero())
                    && !coordinate.iter().any(|(l, _, _, _)| *l == k)
            })
            .collect();
        let exclude: Vec<usize> = coordinate.iter().map(|(_, j, _, _)| *j).collect();
        let mut candidates = moves::centres(&chart, &bad, &exclude, self.budget.centres_per_chart);
        if candidates.is_empty() && !bad.is_empty() {
            candidates = moves::centres(&chart, &[], &exclude, self.budget.centres_per_chart);
        }
        if candidates.is_empty() {
            // Addendum 15: factors that are jointly coordinates (only here: elsewhere the
            // blow-ups are preferred, and the trees of resolved inputs stay as they were).
            if let Some(analysis) = leaf::analyse_with(&chart, self.power, true) {
                return self.leaf_node(chart, step, substitution, analysis, depth);
            }
            // Addendum 13: a generator affine in one coordinate with a unit slope that is
            // not constant becomes that coordinate (its zero set on C is a hypersurface
            // no other move makes a hyperplane).
            if let Some((mv, new_excluded)) = forward::find_unit_affine(&chart) {
                if self.trace {
                    let i = mv.changed[0];
                    eprintln!(
                        "{}unit-affine forward change y{i} ↦ {}, new exclusions {new_excluded:?}",
                        "  ".repeat(depth),
                        mv.image[i]
                    );
                }
                // The slope's zeros on C: translate children, excluded here (Addendum 4).
                let except = self.translate_children(&chart, &new_excluded, depth, Cost::Depth)?;
                let mut parent = chart.clone();
                parent.excluded.extend(new_excluded);
                let (child, data) = forward::apply(&parent, &mv);
                match self.node(child, Step::Forward(Box::new(data)), None, depth + 1) {
                    Ok(kid) => {
                        let mut node = ChartNode::split_into(parent, step, substitution, kid);
                        node.except = except;
                        return Ok(node);
                    }
                    Err(e @ Stop::Budget(_)) => return Err(e),
                    Err(_) => {}
                }
            }
            if self.trace {
                eprintln!(
                    "{}STUCK (excluded {:?})",
                    "  ".repeat(depth),
                    chart.excluded
                );
                for g in &chart.gens {
                    let beta = g.monomial_gcd();
                    let u = g.div_monomial(&beta).unwrap_or_else(|| g.clone());
                    eprintln!(
                        "    {g}: zero hyperplanes {:?}",
                        leaf::zero_hyperplanes(&chart.on_c(&u), &chart.ranges)
                    );
                }
                eprintln!("    ranges {:?}", chart.ranges);
                eprintln!(
                    "    fixed {:?}, U_F on C {}, V on C {}",
                    chart.fixed,
                    chart.on_c(&chart.input_unit),
                    chart.on_c(&chart.jac_unit)
                );
            }
            let shown: Vec<String> = chart.gens.iter().map(ToString::to_string).collect();
            return Err(Stop::Stuck(format!(
                "no move applies to a chart with generators ⟨{}⟩ (ranges {:?})",
                shown.join(", "),
                chart
                    .ranges
                    .iter()
                    .map(|r| if r.is_small() { "small" } else { "box" })
                    .collect::<Vec<_>>()
            )));
        }
        for centre in candidates {
            let mut kids = Vec::new();
            let mut failed = None;
            for (i, child, subst) in moves::blowup(&chart, &centre) {
                let step = Step::Blowup {
                    centre: centre.clone(),
                    chart: i,
                };
                match self.node(child, step, Some(subst), depth + 1) {
                    Ok(k) => kids.push(k),
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            match failed {
                None => {
                    return Ok(ChartNode {
                        chart,
                        step,
                        substitution,
                        body: Body::Split(kids),
                        except: Vec::new(),
                    })
                }
                Some(e @ Stop::Budget(_)) => return Err(e),
                Some(e) => last = e,
            }
        }
        Err(last)
    }
}
