//! Model families built in Rust (for sweeps and tests): the same derivations as the
//! model files, without a file. They construct models; they never look up an answer —
//! the closed forms of DESIGN §6 are test oracles only.

use super::network::{Activation, NetworkModel};
use super::{assemble, network, Constraints, Model};
use crate::poly::{rat, Rational};
use num_traits::One;

/// diag(1, …, 1, 0, …) with `rank` ones, `rows` × `cols`.
fn diagonal(rows: usize, cols: usize, rank: usize) -> Vec<Vec<Rational>> {
    (0..rows)
        .map(|i| {
            (0..cols)
                .map(|j| {
                    if i == j && i < rank {
                        Rational::one()
                    } else {
                        rat(0)
                    }
                })
                .collect()
        })
        .collect()
}

fn build(net: NetworkModel, name: String) -> Result<Model, String> {
    let d = network::derive(net)?;
    let n = d.ring.nvars();
    let derivation = d.derivation.clone();
    assemble(
        d,
        vec![0; n],
        Constraints::default(),
        derivation,
        name,
        "network".into(),
        None,
        None,
    )
    .map_err(|(_, m)| m)
}

/// Deep linear network x ↦ W_L⋯W_1·x with widths [M, h_1, …, N] and true point
/// W_l = diag(1^r, 0) in every layer (so the true product has rank r).
///
/// # Errors
/// Fewer than two widths, a zero width, or r above the smallest width.
pub fn deep_linear(widths: &[usize], rank: usize) -> Result<Model, String> {
    if widths.len() < 2 || widths.contains(&0) {
        return Err("give at least two positive widths".into());
    }
    if widths.iter().any(|&w| w < rank) {
        return Err(format!("the true rank {rank} exceeds a width"));
    }
    let nl = widths.len() - 1;
    let mut net = NetworkModel::new(widths, &vec![Activation::Linear; nl], &vec![false; nl]);
    for (l, layer) in net.layers.iter_mut().enumerate() {
        layer.true_weights = diagonal(widths[l + 1], widths[l], rank);
    }
    let name = format!(
        "deep-linear-{}-r{rank}",
        widths
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("-")
    );
    build(net, name)
}

/// Reduced-rank regression: M inputs, N outputs, H hidden units, true rank r
/// (Aoyagi & Watanabe 2005): the deep linear network [M, H, N].
///
/// # Errors
/// As [`deep_linear`].
pub fn reduced_rank(m: usize, n: usize, h: usize, r: usize) -> Result<Model, String> {
    let mut model = deep_linear(&[m, h, n], r)?;
    model.name = format!("reduced-rank-M{m}-N{n}-H{h}-r{r}");
    Ok(model)
}

/// One-hidden-layer tanh network x ↦ Σ_h b_h tanh(a_h x) with H units and a truth made
/// of the first `true_units` units with a_h = h, b_h = 1 (distinct, so none cancel).
///
/// # Errors
/// H = 0 or more true units than units.
pub fn tanh_one_hidden(h: usize, true_units: usize) -> Result<Model, String> {
    if h == 0 || true_units > h {
        return Err("need 1 ≤ H and true units ≤ H".into());
    }
    let mut net = NetworkModel::new(
        &[1, h, 1],
        &[Activation::Tanh, Activation::Linear],
        &[false, false],
    );
    for k in 0..true_units {
        net.layers[0].true_weights[k][0] = rat(k as i64 + 1);
        net.layers[1].true_weights[0][k] = Rational::one();
    }
    build(net, format!("tanh-H{h}-true{true_units}"))
}
