//! Answering for a model: the engine on the derived problem, then what the model adds —
//! a sub-ideal gives only a lower bound (DESIGN §2.5), an active constraint changes the
//! integration region (DESIGN §3 trap 6).

use super::{Claim, Model};
use crate::engine::{self, Answer, Budget, Method, Solution};
use crate::error::Result;
use crate::newton::NewtonPolyhedron;
use crate::poly::{format_rational, Poly, Rational};
use crate::problem::Target;
use num_traits::One;

/// Solve a model: the engine on its problem, then what the model adds — a sub-ideal
/// gives only a lower bound, an active constraint changes the region.
///
/// # Errors
/// As [`engine::solve`].
pub fn solve_model(model: &Model, budget: &Budget, certificate: bool) -> Result<Solution> {
    let mut sol = if certificate {
        engine::solve_with_certificate(&model.problem, budget)?
    } else {
        engine::solve(&model.problem, budget)?
    };
    let mut steps = model.derivation.clone();
    steps.append(&mut sol.steps);
    sol.steps = steps;
    let d = model.problem.ring.nvars();
    let h: u32 = model.problem.weight.iter().sum();
    // K ≤ C·|w − w0|² near w0 (K is analytic, ≥ 0 and vanishes at w0), so λ ≤ λ(|w|², h)
    // = (d + |h|)/2, on the whole neighbourhood and on any cone region (DESIGN §2.5).
    let regular_bound = Rational::new((d as i64 + h as i64).into(), 2.into());
    if let Claim::SubIdeal { reason } = &model.claim {
        sol.steps.push(format!(
            "The generators span only a sub-ideal of K's ideal ({reason}): K ≥ c·Σ f_i², so their λ is a lower bound; λ ≤ (d + |h|)/2 = {} because K ≤ C·|w − w0|².",
            format_rational(&regular_bound)
        ));
        let lower = sol.answer.lower().clone().min(regular_bound.clone());
        sol.answer = Answer::Bounds {
            lower,
            upper: regular_bound,
            reason: format!("generation of the ideal not proved: {reason}"),
        };
        sol.method = Method::Bounds;
        sol.resolution = None;
        return Ok(sol);
    }
    if model.constraints.active.is_empty() {
        return Ok(sol);
    }
    let names = model.problem.ring.names();
    let active: Vec<&str> = model
        .constraints
        .active
        .iter()
        .map(|&i| names[i].as_str())
        .collect();
    if symmetric_in(&model.problem.target, &model.constraints.active) {
        sol.steps.push(format!(
            "Active constraint(s) {} ≥ 0 at w0, but K is even in {}: the region is one of the sign-symmetric pieces of the neighbourhood, so (λ, m) do not change.",
            active.join(", "),
            active.join(", ")
        ));
        return Ok(sol);
    }
    // A smaller region can only raise λ: the full neighbourhood's lower bound stays.
    // The region contains an orthant, on which K ≤ C·Σ_vertices |w^v| gives the Newton
    // bound (the monomial sum is sign-symmetric, so its λ on an orthant is its λ).
    let newton = match &model.problem.target {
        Target::Poly(p) => NewtonPolyhedron::of_poly(p).ok().map(|g| (g, false)),
        Target::Ideal(i) => NewtonPolyhedron::of_ideal(i).ok().map(|g| (g, true)),
    };
    let tau: Vec<u32> = model.problem.weight.iter().map(|x| x + 1).collect();
    let upper = newton
        .map(|(g, is_ideal)| {
            let t = g.distance(&tau).t_star;
            let t = if is_ideal {
                t * Rational::from_integer(2.into())
            } else {
                t
            };
            Rational::one() / t
        })
        .map_or(regular_bound.clone(), |u| u.min(regular_bound));
    let lower = sol.answer.lower().clone();
    sol.steps.push(format!(
        "Active constraint(s) {} ≥ 0 at w0: the region is smaller than a neighbourhood, so λ ≥ {} (the neighbourhood's bound) and λ ≤ {} (the Newton bound on an orthant inside the region).",
        active.join(", "),
        format_rational(&lower),
        format_rational(&upper)
    ));
    sol.answer = Answer::Bounds {
        lower,
        upper,
        reason: format!(
            "active constraint {} ≥ 0 changes the integration region; regions are not resolved yet",
            active.join(", ")
        ),
    };
    sol.method = Method::Bounds;
    sol.resolution = None;
    Ok(sol)
}

/// Whether K is unchanged by w_i ↦ −w_i for every i in `vars`: each generator even or odd
/// in each of them, or else K = Σ f² itself even.
fn symmetric_in(target: &Target, vars: &[usize]) -> bool {
    let flip = |p: &Poly, i: usize| p.substitute(i, &-&Poly::var(p.nvars(), i));
    vars.iter().all(|&i| match target {
        Target::Poly(k) => flip(k, i) == *k,
        Target::Ideal(id) => {
            id.generators().iter().all(|g| {
                let f = flip(g, i);
                f == *g || f == -g
            }) || {
                let k = id.sum_of_squares();
                flip(&k, i) == k
            }
        }
    })
}
