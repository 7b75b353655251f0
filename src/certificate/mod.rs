//! Writing a resolution as a certificate (format `rlct-certificate/1`, specified in
//! `src/certificate/FORMAT.md`). The independent checker is [`crate::verify`].

use crate::engine::ResolutionRecord;
use crate::poly::{format_rational, Poly, Ring};
use crate::resolve::{Body, ChartNode, Range, Step, ZeroWitness};
use serde_json::{json, Value};

/// The certificate of a resolution, as a JSON value.
pub fn certificate(record: &ResolutionRecord) -> Value {
    let ring = Ring::new(record.names.clone());
    let r = &record.resolution;
    let mut charts: Vec<Value> = Vec::new();
    // A change of coordinates made before the resolution (engine::sparsify): the root,
    // then one `coordinate` chart per elementary change w_i = y_i + c·y^μ (FORMAT.md
    // "coordinate" step with c = 1, r = −c·y^μ; every coordinate is small there), the
    // last of which is the resolution's own root.
    let n = record.names.len();
    let mut parent = None;
    let previous = std::iter::once(None).chain(record.root_change.iter().map(Some));
    for prev in previous.take(record.root_change.len()) {
        let id = charts.len();
        let step = match prev {
            None => json!("root"),
            Some(s) => json!({"coordinate": {"coordinate": s.coord}}),
        };
        let substitution = prev.map(|s| show_all(&ring, &s.forward(n)));
        charts.push(json!({
            "id": id,
            "parent": parent,
            "coordinates": ring.names(),
            "step": step,
            "substitution": substitution,
            "ranges": vec![Value::Null; n],
            "cover": {"kind": "split", "children": [id + 1]},
            "leaf": Value::Null,
        }));
        parent = Some(id);
    }
    let top = write_chart(&r.root, parent, &ring, &mut charts);
    if let Some(last) = record.root_change.last() {
        charts[top]["step"] = json!({"coordinate": {"coordinate": last.coord}});
        charts[top]["substitution"] = json!(show_all(&ring, &last.forward(n)));
    }
    let mut top = json!({
        "format": "rlct-certificate/1",
        "variables": record.names,
        "kind": if r.power == 1 { "poly" } else { "ideal" },
        "generators": record.generators.iter().map(|g| ring.show(g)).collect::<Vec<_>>(),
        "weight": record.weight,
        "lambda": format_rational(&r.lambda),
        "multiplicity": r.multiplicity,
        "charts": charts,
    });
    if let Some((k, c)) = &record.source {
        top["source"] = json!({"poly": ring.show(k), "scale": format_rational(c)});
    }
    if let Some((g, c, k)) = &record.root_of {
        top["root_of"] =
            json!({"generator": ring.show(g), "scale": format_rational(c), "exponent": k});
    }
    top
}

fn show_all(ring: &Ring, ps: &[Poly]) -> Vec<String> {
    ps.iter().map(|p| ring.show(p)).collect()
}

/// Append `node` and its descendants (parents before children); returns its id.
fn write_chart(
    node: &ChartNode,
    parent: Option<usize>,
    ring: &Ring,
    out: &mut Vec<Value>,
) -> usize {
    let id = out.len();
    let chart = &node.chart;
    let step = match &node.step {
        Step::Root => json!("root"),
        Step::Blowup { centre, chart } => json!({"blowup": {"centre": centre, "chart": chart}}),
        Step::Translate { coord, to } => {
            json!({"translate": {"coordinate": coord, "to": format_rational(to)}})
        }
        Step::Coordinate { coord } => json!({"coordinate": {"coordinate": coord}}),
        Step::Shift { coord } => json!({"shift": {"coordinate": coord}}),
        // Addendum 12: ψ and the parent's data in the parent's coordinates (the same
        // names: a forward step keeps them), the new base inputs in the child's.
        Step::Forward(f) => {
            let matrix =
                |m: &[Vec<Poly>]| m.iter().map(|row| show_all(ring, row)).collect::<Vec<_>>();
            json!({"forward": {
                "image": show_all(ring, &f.image),
                "inputs": show_all(ring, &f.inputs),
                "weight": f.weight,
                "to_input": matrix(&f.to_input),
                "to_chart": matrix(&f.to_chart),
                "input_unit": ring.show(&f.input_unit),
                "jacobian_unit": ring.show(&f.jac_unit),
            }})
        }
    };
    let ranges: Vec<Value> = chart
        .ranges
        .iter()
        .map(|r| match r {
            Range::Small => Value::Null,
            Range::Interval(lo, hi) => json!([format_rational(lo), format_rational(hi)]),
        })
        .collect();
    out.push(json!({
        "id": id,
        "parent": parent,
        "coordinates": ring.names(),
        "step": step,
        "substitution": node.substitution.as_ref().map(|s| show_all(ring, s)),
        "ranges": ranges,
    }));
    let except_ids: Vec<usize> = node
        .except
        .iter()
        .map(|k| write_chart(k, Some(id), ring, out))
        .collect();
    let (cover, leaf) = match &node.body {
        Body::Split(kids) => {
            let ids: Vec<usize> = kids
                .iter()
                .map(|k| write_chart(k, Some(id), ring, out))
                .collect();
            let mut cover = json!({"kind": "split", "children": ids});
            if !except_ids.is_empty() {
                cover["except"] = json!(except_ids);
            }
            (cover, Value::Null)
        }
        Body::Leaf { analysis, pole } => {
            let ids = except_ids.clone();
            let mut leaf = json!({
                "generators": show_all(ring, &chart.gens),
                "monomial": chart.alpha,
                "unit": ring.show(&chart.unit),
                "input_unit": ring.show(&chart.input_unit),
                "to_input": chart.to_input.iter().map(|row| show_all(ring, row)).collect::<Vec<_>>(),
                "to_chart": chart.to_chart.iter().map(|row| show_all(ring, row)).collect::<Vec<_>>(),
                "jacobian": chart.jac,
                "jacobian_unit": ring.show(&chart.jac_unit),
                "except": ids,
                "lambda": pole.as_ref().map(|p| format_rational(&p.0)),
                "multiplicity": pole.as_ref().map(|p| p.1),
            });
            if !analysis.transverse.is_empty() {
                let point =
                    |p: &[crate::poly::Rational]| p.iter().map(format_rational).collect::<Vec<_>>();
                let factors: Vec<Value> = analysis
                    .transverse
                    .iter()
                    .map(|t| {
                        let witness = match &t.witness {
                            ZeroWitness::Coordinate(j) => json!({"coordinate": j}),
                            ZeroWitness::Zero(p) => json!({"zero": point(p)}),
                            ZeroWitness::Signs(p, q) => json!({"signs": [point(p), point(q)]}),
                            ZeroWitness::Joint(j, p) => {
                                json!({"joint": {"coordinate": j, "zero": point(p)}})
                            }
                        };
                        let mut f = json!({
                            "factor": ring.show(&t.factor),
                            "generators": t.generators.iter().map(|g| g.0).collect::<Vec<_>>(),
                            "witness": witness,
                            "nonsingular": t.nonsingular,
                        });
                        // Addendum 9: the powers e_k of G_k = c_k·y^{β_k}·U^{e_k}.
                        if t.powers.iter().any(|&e| e != 1) {
                            f["powers"] = json!(t.powers);
                        }
                        // Addendum 6: the multipliers of the gradient identity.
                        if let Some((q, q0)) = &t.gradient {
                            f["gradient"] = json!({
                                "multipliers": q.iter().map(|p| ring.show(p)).collect::<Vec<_>>(),
                                "cofactor": ring.show(q0),
                            });
                        }
                        // Addendum 14: generators coprime to U, with the multipliers
                        // (a, b) of a·U|_C + b·Q|_C = R, R a unit.
                        if !t.coprime.is_empty() {
                            f["coprime"] = Value::Array(
                                t.coprime
                                    .iter()
                                    .map(|(k, a, b)| {
                                        json!({"generator": k, "multipliers": [ring.show(a), ring.show(b)]})
                                    })
                                    .collect(),
                            );
                        }
                        f
                    })
                    .collect();
                // One factor: the object of FORMAT.md Addendum 1; several: an array of them.
                leaf["transverse"] = if factors.len() == 1 {
                    factors[0].clone()
                } else {
                    Value::Array(factors)
                };
            }
            (json!({"kind": "leaf"}), leaf)
        }
    };
    out[id]["cover"] = cover;
    out[id]["leaf"] = leaf;
    id
}
