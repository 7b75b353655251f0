//! Hand-written certificates (DESIGN §1 anchors, trap 3 and trap 7) and rejections.

use super::lp::{minimise, newton_distance, rank, LpOutcome, NewtonValue};
use super::sturm::count_roots_closed;
use super::{verify_file, verify_str, Verified, VerifyError};
use crate::poly::{rat, ratio, Rational};
use serde_json::{json, Value};

pub(super) fn verify(v: &Value) -> Result<Verified, VerifyError> {
    verify_str(&v.to_string())
}

pub(super) fn assert_verifies(v: &Value, lambda: Rational, m: u32) -> Verified {
    match verify(v) {
        Ok(got) => {
            assert_eq!((got.lambda.clone(), got.multiplicity), (lambda, m));
            got
        }
        Err(e) => panic!("certificate rejected: {e}"),
    }
}

/// The error, which must be local to `chart` and mention `needle`.
pub(super) fn assert_rejected_at(v: &Value, chart: usize, needle: &str) -> VerifyError {
    match verify(v) {
        Ok(got) => panic!("certificate accepted: {got:?}"),
        Err(e) => {
            assert_eq!(e.chart(), Some(chart), "wrong chart in: {e}");
            let text = e.to_string();
            assert!(text.contains(&format!("chart {chart}")), "{text}");
            assert!(text.contains(needle), "'{needle}' not in: {text}");
            e
        }
    }
}

fn charts_mut(v: &mut Value) -> &mut Vec<Value> {
    match v["charts"].as_array_mut() {
        Some(a) => a,
        None => panic!("no charts array"),
    }
}

/// A certificate whose root chart is a leaf.
#[allow(clippy::too_many_arguments)]
pub(super) fn root_leaf(
    vars: &[&str],
    kind: &str,
    gens: &[&str],
    weight: &[u32],
    leaf: Value,
    lambda: &str,
    m: u32,
) -> Value {
    json!({
        "format": "rlct-certificate/1",
        "variables": vars,
        "kind": kind,
        "generators": gens,
        "weight": weight,
        "lambda": lambda,
        "multiplicity": m,
        "charts": [{
            "id": 0, "parent": null, "coordinates": vars, "step": "root",
            "substitution": null, "ranges": vars.iter().map(|_| Value::Null).collect::<Vec<_>>(),
            "cover": {"kind": "leaf"}, "leaf": leaf
        }]
    })
}

fn xy_squared() -> Value {
    root_leaf(
        &["x", "y"],
        "ideal",
        &["x*y"],
        &[0, 0],
        json!({
            "generators": ["x*y"], "monomial": [0, 0], "unit": "1",
            "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0, 0],
            "jacobian_unit": "1", "except": [], "lambda": "1/2", "multiplicity": 2
        }),
        "1/2",
        2,
    )
}

/// DESIGN §3 trap 3: ⟨x − y⟩, blown up at the origin, with the strict transform meeting
/// the exceptional divisor at (1:1) in both charts, re-centred by translate children.
fn x_minus_y() -> Value {
    json!({
        "format": "rlct-certificate/1",
        "variables": ["x", "y"],
        "kind": "ideal",
        "generators": ["x - y"],
        "weight": [0, 0],
        "lambda": "1/2",
        "multiplicity": 1,
        "charts": [
            {"id": 0, "parent": null, "coordinates": ["x", "y"], "step": "root",
             "substitution": null, "ranges": [null, null],
             "cover": {"kind": "split", "children": [1, 2]}, "leaf": null},
            {"id": 1, "parent": 0, "coordinates": ["x", "y"],
             "step": {"blowup": {"centre": [0, 1], "chart": 0}},
             "substitution": ["x", "x*y"], "ranges": [null, ["-1", "1"]],
             "cover": {"kind": "leaf"},
             "leaf": {"generators": ["1 - y"], "monomial": [1, 0], "unit": "1",
                      "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [1, 0],
                      "jacobian_unit": "1", "except": [3], "lambda": "1", "multiplicity": 1}},
            {"id": 2, "parent": 0, "coordinates": ["x", "y"],
             "step": {"blowup": {"centre": [0, 1], "chart": 1}},
             "substitution": ["y*x", "y"], "ranges": [["-1", "1"], null],
             "cover": {"kind": "leaf"},
             "leaf": {"generators": ["x - 1"], "monomial": [0, 1], "unit": "1",
                      "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0, 1],
                      "jacobian_unit": "1", "except": [4], "lambda": "1", "multiplicity": 1}},
            {"id": 3, "parent": 1, "coordinates": ["x", "y"],
             "step": {"translate": {"coordinate": 1, "to": "1"}},
             "substitution": ["x", "1 + y"], "ranges": [null, null],
             "cover": {"kind": "leaf"},
             "leaf": {"generators": ["-y"], "monomial": [1, 0], "unit": "1",
                      "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [1, 0],
                      "jacobian_unit": "1", "except": [], "lambda": "1/2", "multiplicity": 1}},
            {"id": 4, "parent": 2, "coordinates": ["x", "y"],
             "step": {"translate": {"coordinate": 0, "to": "1"}},
             "substitution": ["1 + x", "y"], "ranges": [null, null],
             "cover": {"kind": "leaf"},
             "leaf": {"generators": ["x"], "monomial": [0, 1], "unit": "1",
                      "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0, 1],
                      "jacobian_unit": "1", "except": [], "lambda": "1/2", "multiplicity": 1}}
        ]
    })
}

// ----- accepted certificates -----

#[test]
fn trivial_root_leaf_xy_squared() {
    let got = assert_verifies(&xy_squared(), ratio(1, 2), 2);
    assert_eq!((got.charts, got.leaves), (1, 1));
}

#[test]
fn ideal_x_with_prior_x_squared() {
    let cert = root_leaf(
        &["x"],
        "ideal",
        &["x"],
        &[2],
        json!({
            "generators": ["x"], "monomial": [0], "unit": "1",
            "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [2],
            "jacobian_unit": "1", "except": [], "lambda": "3/2", "multiplicity": 1
        }),
        "3/2",
        1,
    );
    assert_verifies(&cert, ratio(3, 2), 1);
}

#[test]
fn poly_x2_y4() {
    let cert = root_leaf(
        &["x", "y"],
        "poly",
        &["x^2*y^4"],
        &[0, 0],
        json!({
            "generators": ["x^2*y^4"], "monomial": [0, 0], "unit": "1",
            "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0, 0],
            "jacobian_unit": "1", "except": [], "lambda": "1/4", "multiplicity": 1
        }),
        "1/4",
        1,
    );
    assert_verifies(&cert, ratio(1, 4), 1);
}

#[test]
fn poly_x2_y4_with_prior_y_squared_trap_7() {
    // φ = y²: τ = (1, 3), t* = max(2/1, 4/3) = 2, λ = 1/2 (not 1/4).
    let cert = root_leaf(
        &["x", "y"],
        "poly",
        &["x^2*y^4"],
        &[0, 2],
        json!({
            "generators": ["x^2*y^4"], "monomial": [0, 0], "unit": "1",
            "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0, 2],
            "jacobian_unit": "1", "except": [], "lambda": "1/2", "multiplicity": 1
        }),
        "1/2",
        1,
    );
    assert_verifies(&cert, ratio(1, 2), 1);
}

#[test]
fn monomial_ideal_x2_y3() {
    let cert = root_leaf(
        &["x", "y"],
        "ideal",
        &["x^2", "y^3"],
        &[0, 0],
        json!({
            "generators": ["x^2", "y^3"], "monomial": [0, 0], "unit": "1",
            "to_input": [["1", "0"], ["0", "1"]], "to_chart": [["1", "0"], ["0", "1"]],
            "jacobian": [0, 0], "jacobian_unit": "1", "except": [],
            "lambda": "5/12", "multiplicity": 1
        }),
        "5/12",
        1,
    );
    assert_verifies(&cert, ratio(5, 12), 1);
}

#[test]
fn redundant_generator_and_nontrivial_unit() {
    // ⟨x² + 2x²y, x²y + x³, y³⟩ on the root: W = 1, G = the generators; the second is
    // redundant (each term divisible by x²; its U = y + x vanishes on C), the first has the unit 1 + 2y (y small: constant 1 on C).
    let cert = root_leaf(
        &["x", "y"],
        "ideal",
        &["x^2 + 2*x^2*y", "x^2*y + x^3", "y^3"],
        &[0, 0],
        json!({
            "generators": ["x^2 + 2*x^2*y", "x^2*y + x^3", "y^3"], "monomial": [0, 0], "unit": "1",
            "to_input": [["1", "0", "0"], ["0", "1", "0"], ["0", "0", "1"]],
            "to_chart": [["1", "0", "0"], ["0", "1", "0"], ["0", "0", "1"]],
            "jacobian": [0, 0], "jacobian_unit": "1", "except": [],
            "lambda": "5/12", "multiplicity": 1
        }),
        "5/12",
        1,
    );
    assert_verifies(&cert, ratio(5, 12), 1);
}

#[test]
fn x_minus_y_blowup_trap_3() {
    let got = assert_verifies(&x_minus_y(), ratio(1, 2), 1);
    assert_eq!((got.charts, got.leaves), (5, 4));
}

#[test]
fn x_minus_y_other_normal_form_in_translate_child() {
    // In chart 3, F = −x·y may also be written α = (1, 1), G = (−1).
    let mut v = x_minus_y();
    v["charts"][3]["leaf"]["monomial"] = json!([1, 1]);
    v["charts"][3]["leaf"]["generators"] = json!(["-1"]);
    assert_verifies(&v, ratio(1, 2), 1);
}

#[test]
fn x_minus_y_unit_carrying_the_root() {
    // Chart 1 with W = 1 − y (the unit vanishing on the excepted hyperplane y = 1).
    let mut v = x_minus_y();
    v["charts"][1]["leaf"]["unit"] = json!("1 - y");
    v["charts"][1]["leaf"]["generators"] = json!(["1"]);
    v["charts"][1]["leaf"]["to_input"] = json!([["1"]]);
    v["charts"][1]["leaf"]["to_chart"] = json!([["1"]]);
    assert_verifies(&v, ratio(1, 2), 1);
}

#[test]
fn coordinate_change_x_plus_y_squared() {
    // ⟨x + y²⟩: parent x = x − y² (r = y², c = 1) makes the generator a coordinate.
    let cert = json!({
        "format": "rlct-certificate/1", "variables": ["x", "y"], "kind": "ideal",
        "generators": ["x + y^2"], "weight": [0, 0], "lambda": "1/2", "multiplicity": 1,
        "charts": [
            {"id": 0, "parent": null, "coordinates": ["x", "y"], "step": "root",
             "substitution": null, "ranges": [null, null],
             "cover": {"kind": "split", "children": [1]}},
            {"id": 1, "parent": 0, "coordinates": ["u", "v"],
             "step": {"coordinate": {"coordinate": 0}},
             "substitution": ["u - v^2", "v"], "ranges": [null, null],
             "cover": {"kind": "leaf"},
             "leaf": {"generators": ["u"], "monomial": [0, 0], "unit": "1",
                      "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0, 0],
                      "jacobian_unit": "1", "except": [], "lambda": "1/2", "multiplicity": 1}}
        ]
    });
    assert_verifies(&cert, ratio(1, 2), 1);

    // A remainder with a constant term does not vanish on C.
    let mut bad = cert.clone();
    bad["charts"][1]["substitution"] = json!(["u - 1", "v"]);
    assert_rejected_at(&bad, 1, "no small coordinate");
    // A nonconstant coefficient of the new coordinate.
    let mut bad = cert;
    bad["charts"][1]["substitution"] = json!(["u + u*v", "v"]);
    assert_rejected_at(&bad, 1, "nonzero constant coefficient");
}

#[test]
fn verify_file_reads_and_reports_missing_files() {
    let path = std::env::temp_dir().join(format!("rlct-verify-test-{}.json", std::process::id()));
    let written = std::fs::write(&path, xy_squared().to_string());
    assert!(written.is_ok());
    let got = verify_file(&path);
    let _ = std::fs::remove_file(&path);
    assert_eq!(got.map(|v| v.lambda), Ok(ratio(1, 2)));
    let missing = verify_file(std::path::Path::new("/nonexistent/rlct/cert.json"));
    assert!(matches!(missing, Err(VerifyError::Io { .. })));
}

// ----- rejections -----

#[test]
fn rejects_flipped_monomial_exponent() {
    let mut v = x_minus_y();
    v["charts"][1]["leaf"]["monomial"] = json!([0, 1]);
    let e = assert_rejected_at(&v, 1, "identity 1");
    assert!(matches!(e, VerifyError::Identity { identity: 1, .. }));
}

#[test]
fn rejects_incomplete_blowup_family() {
    // Drop chart 2 (and its translate child 4); chart 3 becomes chart 2.
    let mut v = x_minus_y();
    let charts = charts_mut(&mut v);
    charts.remove(4);
    charts.remove(2);
    charts[2]["id"] = json!(2);
    charts[1]["leaf"]["except"] = json!([2]);
    charts[0]["cover"]["children"] = json!([1]);
    assert_rejected_at(&v, 0, "incomplete");
}

#[test]
fn rejects_unlisted_chart() {
    // Chart 2 still names parent 0, but the parent no longer lists it.
    let mut v = x_minus_y();
    v["charts"][0]["cover"]["children"] = json!([1]);
    assert_rejected_at(&v, 2, "listed exactly once");
}

#[test]
fn rejects_dropped_unit_root_exception() {
    // Without the translate child at y = 1, U = 1 − y has a root in the box.
    let mut v = x_minus_y();
    let charts = charts_mut(&mut v);
    charts.remove(3);
    charts[3]["id"] = json!(3);
    charts[2]["leaf"]["except"] = json!([3]);
    charts[1]["leaf"]["except"] = json!([]);
    let e = assert_rejected_at(&v, 1, "root");
    assert!(matches!(e, VerifyError::Generator { index: 0, .. }));

    // The same with the root carried by the unit W.
    let mut v = x_minus_y();
    v["charts"][1]["leaf"]["unit"] = json!("1 - y");
    v["charts"][1]["leaf"]["generators"] = json!(["1"]);
    let charts = charts_mut(&mut v);
    charts.remove(3);
    charts[3]["id"] = json!(3);
    charts[2]["leaf"]["except"] = json!([3]);
    charts[1]["leaf"]["except"] = json!([]);
    let e = assert_rejected_at(&v, 1, "unit proof");
    assert!(matches!(e, VerifyError::Unit { .. }));
}

#[test]
fn rejects_wrong_top_level_claim() {
    let mut v = x_minus_y();
    v["lambda"] = json!("1");
    assert!(matches!(verify(&v), Err(VerifyError::Answer { .. })));
    let mut v = x_minus_y();
    v["multiplicity"] = json!(2);
    assert!(matches!(verify(&v), Err(VerifyError::Answer { .. })));
    let mut v = xy_squared();
    v["multiplicity"] = json!(1);
    assert!(matches!(verify(&v), Err(VerifyError::Answer { .. })));
}

#[test]
fn rejects_wrong_leaf_claim() {
    let mut v = x_minus_y();
    v["charts"][1]["leaf"]["lambda"] = json!("1/2");
    assert_rejected_at(&v, 1, "recomputed");
    let mut v = x_minus_y();
    v["charts"][4]["leaf"]["multiplicity"] = json!(2);
    assert_rejected_at(&v, 4, "recomputed");
}

#[test]
fn rejects_wrong_jacobian_exponent() {
    let mut v = x_minus_y();
    v["charts"][3]["leaf"]["jacobian"] = json!([0, 0]);
    let e = assert_rejected_at(&v, 3, "identity 3");
    assert!(matches!(e, VerifyError::Identity { identity: 3, .. }));
}

#[test]
fn rejects_substitution_disagreeing_with_step() {
    let mut v = x_minus_y();
    v["charts"][1]["substitution"] = json!(["x", "x*y^2"]);
    assert_rejected_at(&v, 1, "substitution[1]");
    // The blow-up of the other chart written with the roles swapped.
    let mut v = x_minus_y();
    v["charts"][2]["substitution"] = json!(["x", "x*y"]);
    assert_rejected_at(&v, 2, "substitution[0]");
}

#[test]
fn rejects_translate_target_outside_range() {
    let mut v = x_minus_y();
    v["charts"][3]["step"]["translate"]["to"] = json!("2");
    v["charts"][3]["substitution"] = json!(["x", "2 + y"]);
    assert_rejected_at(&v, 3, "outside the parent's range");
}

#[test]
fn rejects_wrong_ranges_and_bad_centres() {
    let mut v = x_minus_y();
    v["charts"][1]["ranges"] = json!([null, ["-2", "2"]]);
    assert_rejected_at(&v, 1, "ranges");
    // A blow-up centre coordinate that is bounded in the parent.
    let mut v = x_minus_y();
    v["charts"][0]["ranges"] = json!([null, ["-1", "1"]]);
    assert_rejected_at(&v, 0, "root");
}

#[test]
fn rejects_identity_2_and_bad_unit() {
    // S = 2 breaks identity 2 only.
    let mut v = x_minus_y();
    v["charts"][4]["leaf"]["to_chart"] = json!([["2"]]);
    let e = assert_rejected_at(&v, 4, "identity 2");
    assert!(matches!(e, VerifyError::Identity { identity: 2, .. }));
    // V = 0 cannot be a unit (and breaks identity 3 first).
    let mut v = x_minus_y();
    v["charts"][4]["leaf"]["jacobian_unit"] = json!("0");
    assert_rejected_at(&v, 4, "identity 3");
}

#[test]
fn malformed_input_is_an_error_not_a_panic() {
    let cases: Vec<String> = vec![
        String::new(),
        "{".into(),
        "[]".into(),
        json!({"format": "rlct-certificate/1"}).to_string(),
        {
            let mut v = xy_squared();
            v["format"] = json!("rlct-certificate/2");
            v.to_string()
        },
        {
            let mut v = xy_squared();
            v["generators"] = json!(["x*"]);
            v.to_string()
        },
        {
            let mut v = xy_squared();
            v["charts"][0]["leaf"]["generators"] = json!(["x*z"]);
            v.to_string()
        },
        {
            let mut v = xy_squared();
            v["charts"][0]["leaf"]["unit"] = json!("1/0");
            v.to_string()
        },
        {
            let mut v = xy_squared();
            v["charts"][0]["leaf"]["monomial"] = json!([0]);
            v.to_string()
        },
        {
            let mut v = xy_squared();
            v["charts"][0]["leaf"]["monomial"] = json!([-1, 0]);
            v.to_string()
        },
        {
            let mut v = xy_squared();
            v["charts"][0]["leaf"]["monomial"] = json!([4_000_000_000u32, 0]);
            v.to_string()
        },
        {
            let mut v = xy_squared();
            v["charts"][0]["leaf"]["generators"] = json!(["((x^9999)^9999)^9999"]);
            v.to_string()
        },
        {
            let mut v = xy_squared();
            v["charts"][0]["leaf"]["to_input"] = json!([["1", "1"]]);
            v.to_string()
        },
        {
            let mut v = xy_squared();
            v["lambda"] = json!("one half");
            v.to_string()
        },
        {
            let mut v = xy_squared();
            v["charts"][0]["id"] = json!(7);
            v.to_string()
        },
        {
            let mut v = xy_squared();
            v["charts"][0]["cover"] = json!({"kind": "split", "children": [0]});
            v["charts"][0]["leaf"] = Value::Null;
            v.to_string()
        },
        {
            let mut v = x_minus_y();
            v["charts"][1]["parent"] = json!(9);
            v.to_string()
        },
        {
            // A cycle: charts 3 and 4 claim each other as parents.
            let mut v = x_minus_y();
            v["charts"][3]["parent"] = json!(4);
            v["charts"][4]["parent"] = json!(3);
            v["charts"][1]["leaf"]["except"] = json!([]);
            v["charts"][2]["leaf"]["except"] = json!([]);
            v["charts"][3]["leaf"]["except"] = json!([4]);
            v["charts"][4]["leaf"]["except"] = json!([3]);
            v.to_string()
        },
        {
            let mut v = x_minus_y();
            v["charts"][1]["step"] = json!({"blowup": {"centre": [0, 7], "chart": 0}});
            v.to_string()
        },
        {
            let mut v = x_minus_y();
            v["charts"][3]["step"] = json!({"translate": {"coordinate": 5, "to": "1"}});
            v.to_string()
        },
        {
            let mut v = x_minus_y();
            v["charts"][3]["ranges"] = json!([null]);
            v.to_string()
        },
    ];
    for (i, c) in cases.iter().enumerate() {
        let got = verify_str(c);
        eprintln!("case {i}: {got:?}");
        assert!(got.is_err(), "case {i} accepted");
    }
}

#[test]
fn extra_fields_are_ignored() {
    let mut v = x_minus_y();
    v["resolver"] = json!({"version": "0.1", "seconds": 0.5});
    v["charts"][2]["note"] = json!("chart of y");
    v["charts"][2]["leaf"]["note"] = json!(null);
    v["charts"][3]["cover"]["children"] = json!([]);
    v["charts"][0]["cover"]["note"] = json!("point blow-up");
    assert_verifies(&v, ratio(1, 2), 1);
}

// ----- the exact LP -----

fn newton(points: &[&[u32]], tau: &[u32]) -> Option<NewtonValue> {
    let pts: Vec<Vec<u32>> = points.iter().map(|p| p.to_vec()).collect();
    match newton_distance(&pts, tau) {
        Ok(v) => v,
        Err(e) => panic!("LP failed: {e}"),
    }
}

fn nv(t: Rational, theta: usize) -> Option<NewtonValue> {
    Some(NewtonValue { t_star: t, theta })
}

#[test]
fn lp_x2y2() {
    // ⟨xy⟩: t* = 1, the vertex (1,1) has codimension 2: (λ, m) = (1/2, 2).
    assert_eq!(newton(&[&[1, 1]], &[1, 1]), nv(rat(1), 2));
}

#[test]
fn lp_x2_y3() {
    assert_eq!(newton(&[&[2, 0], &[0, 3]], &[1, 1]), nv(ratio(6, 5), 1));
    // τ = (2, 1): 2t/2 + t/3 = 1, t* = 3/4, still on the compact edge.
    assert_eq!(newton(&[&[2, 0], &[0, 3]], &[2, 1]), nv(ratio(3, 4), 1));
}

#[test]
fn lp_bilinear_ideal() {
    // ⟨b1a1, b1a2, b2a1, b2a2⟩ in (a1, a2, b1, b2): t* = 1/2 (RLCT 2, λ = 1), the face
    // {a1 + a2 = 1, b1 + b2 = 1} has dimension 2: m = 2.
    let pts: [&[u32]; 4] = [&[1, 0, 1, 0], &[0, 1, 1, 0], &[1, 0, 0, 1], &[0, 1, 0, 1]];
    assert_eq!(newton(&pts, &[1, 1, 1, 1]), nv(ratio(1, 2), 2));
}

#[test]
fn lp_with_prior() {
    // x²y⁴ as a polynomial with prior y: τ = (1, 2), t* = 2 at the vertex: m = 2.
    assert_eq!(newton(&[&[2, 4]], &[1, 2]), nv(rat(2), 2));
    // With prior y²: τ = (1, 3), t* = 2 on the ray (2,4) + ℝe_2: m = 1.
    assert_eq!(newton(&[&[2, 4]], &[1, 3]), nv(rat(2), 1));
    // ⟨x⟩ with prior x²: τ = 3, t* = 1/3.
    assert_eq!(newton(&[&[1]], &[3]), nv(ratio(1, 3), 1));
}

#[test]
fn lp_interior_points_and_unit_ideal() {
    // (1,1) lies above the segment (2,0)–(0,2): t* = 1, θ = 1, the same as without it.
    assert_eq!(newton(&[&[2, 0], &[0, 2], &[1, 1]], &[1, 1]), nv(rat(1), 1));
    assert_eq!(newton(&[&[2, 0], &[0, 0]], &[1, 1]), None);
    assert_eq!(newton(&[], &[1, 1]), None);
}

#[test]
fn simplex_small_problems() {
    // min −x − y s.t. x + y + s = 4, x − y + u = 2: optimum −4.
    let a = vec![
        vec![rat(1), rat(1), rat(1), rat(0)],
        vec![rat(1), rat(-1), rat(0), rat(1)],
    ];
    let got = minimise(&a, &[rat(4), rat(2)], &[rat(-1), rat(-1), rat(0), rat(0)]);
    assert!(matches!(got, LpOutcome::Optimal { ref value, .. } if *value == rat(-4)));
    // x = −1 with x ≥ 0 is infeasible; min −x s.t. x − y = 0 is unbounded.
    assert_eq!(
        minimise(&[vec![rat(1)]], &[rat(-1)], &[rat(0)]),
        LpOutcome::Infeasible
    );
    assert_eq!(
        minimise(&[vec![rat(1), rat(-1)]], &[rat(0)], &[rat(-1), rat(0)]),
        LpOutcome::Unbounded
    );
    // A redundant equation is dropped.
    let got = minimise(
        &[vec![rat(1), rat(1)], vec![rat(2), rat(2)]],
        &[rat(1), rat(2)],
        &[rat(1), rat(2)],
    );
    assert!(matches!(got, LpOutcome::Optimal { ref value, .. } if *value == rat(1)));
    assert_eq!(rank(vec![vec![rat(1), rat(2)], vec![rat(2), rat(4)]]), 1);
}

// ----- Sturm -----

#[test]
fn sturm_counts_roots_in_closed_intervals() {
    let q = |v: &[i64]| -> Vec<Rational> { v.iter().map(|&k| rat(k)).collect() };
    // y² − 2
    assert_eq!(
        count_roots_closed(&q(&[-2, 0, 1]), &rat(-1), &rat(1)),
        Some(0)
    );
    assert_eq!(
        count_roots_closed(&q(&[-2, 0, 1]), &rat(1), &rat(2)),
        Some(1)
    );
    assert_eq!(
        count_roots_closed(&q(&[-2, 0, 1]), &rat(-2), &rat(2)),
        Some(2)
    );
    // (y − 1)² on [0, 2], [1, 2] and [0, 1]: a double root, inside or at an end.
    assert_eq!(
        count_roots_closed(&q(&[1, -2, 1]), &rat(0), &rat(2)),
        Some(1)
    );
    assert_eq!(
        count_roots_closed(&q(&[1, -2, 1]), &rat(1), &rat(2)),
        Some(1)
    );
    assert_eq!(
        count_roots_closed(&q(&[1, -2, 1]), &rat(0), &rat(1)),
        Some(1)
    );
    // (y − 1)²(y + 1) on [−1, 1]: both roots at the ends.
    assert_eq!(
        count_roots_closed(&q(&[1, -1, -1, 1]), &rat(-1), &rat(1)),
        Some(2)
    );
    // 1 + y² never vanishes; a constant; the zero polynomial.
    assert_eq!(
        count_roots_closed(&q(&[1, 0, 1]), &rat(-5), &rat(5)),
        Some(0)
    );
    assert_eq!(count_roots_closed(&q(&[3]), &rat(-1), &rat(1)), Some(0));
    assert_eq!(count_roots_closed(&q(&[0]), &rat(-1), &rat(1)), None);
    // 4y² − 1 has roots ±1/2.
    assert_eq!(
        count_roots_closed(&q(&[-1, 0, 4]), &ratio(1, 2), &rat(1)),
        Some(1)
    );
    assert_eq!(
        count_roots_closed(&q(&[-1, 0, 4]), &ratio(-1, 3), &ratio(1, 3)),
        Some(0)
    );
}

#[test]
fn point_blowup_of_three_squares() {
    // ⟨x, y, z⟩ (K = x² + y² + z², regular: λ = d/2 = 3/2, m = 1), blown up at the origin:
    // three charts, det(D map) = y_i² from the 2 × 2 diagonal minor.
    let names = ["x", "y", "z"];
    let mut charts = vec![json!({
        "id": 0, "parent": null, "coordinates": names, "step": "root",
        "substitution": null, "ranges": [null, null, null],
        "cover": {"kind": "split", "children": [1, 2, 3]}
    })];
    for i in 0..3 {
        let substitution: Vec<String> = (0..3)
            .map(|k| {
                if k == i {
                    names[k].to_string()
                } else {
                    format!("{}*{}", names[i], names[k])
                }
            })
            .collect();
        let ranges: Vec<Value> = (0..3)
            .map(|k| {
                if k == i {
                    Value::Null
                } else {
                    json!(["-1", "1"])
                }
            })
            .collect();
        let generators: Vec<&str> = (0..3)
            .map(|k| if k == i { "1" } else { names[k] })
            .collect();
        let mut alpha = [0u32; 3];
        alpha[i] = 1;
        let mut jac = [0u32; 3];
        jac[i] = 2;
        charts.push(json!({
            "id": i + 1, "parent": 0, "coordinates": names,
            "step": {"blowup": {"centre": [0, 1, 2], "chart": i}},
            "substitution": substitution, "ranges": ranges,
            "cover": {"kind": "leaf"},
            "leaf": {"generators": generators, "monomial": alpha, "unit": "1",
                     "to_input": [["1", "0", "0"], ["0", "1", "0"], ["0", "0", "1"]],
                     "to_chart": [["1", "0", "0"], ["0", "1", "0"], ["0", "0", "1"]],
                     "jacobian": jac, "jacobian_unit": "1", "except": [],
                     "lambda": "3/2", "multiplicity": 1}
        }));
    }
    let cert = json!({
        "format": "rlct-certificate/1", "variables": names, "kind": "ideal",
        "generators": names, "weight": [0, 0, 0], "lambda": "3/2", "multiplicity": 1,
        "charts": charts
    });
    let got = assert_verifies(&cert, ratio(3, 2), 1);
    assert_eq!((got.charts, got.leaves), (4, 3));

    // The Jacobian exponent 1 (a point blow-up in 3 variables has y_i², not y_i).
    let mut bad = cert;
    bad["charts"][2]["leaf"]["jacobian"] = json!([0, 1, 0]);
    assert_rejected_at(&bad, 2, "identity 3");
}

#[test]
fn rejects_naive_root_leaf_for_x_minus_y() {
    // Treating ⟨x − y⟩ as normal crossing at the root: U = x − y vanishes at the origin.
    let cert = root_leaf(
        &["x", "y"],
        "ideal",
        &["x - y"],
        &[0, 0],
        json!({
            "generators": ["x - y"], "monomial": [0, 0], "unit": "1",
            "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0, 0],
            "jacobian_unit": "1", "except": [], "lambda": "1", "multiplicity": 1
        }),
        "1",
        1,
    );
    let e = assert_rejected_at(&cert, 0, "generator 0");
    assert!(matches!(e, VerifyError::Generator { .. }));
}

#[test]
fn unit_ideal_leaf_has_no_pole() {
    // ⟨1 + x⟩ is the unit ideal: the leaf must claim no pole, and then nothing has one.
    let leaf = json!({
        "generators": ["1 + x"], "monomial": [0], "unit": "1",
        "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0],
        "jacobian_unit": "1", "except": [], "lambda": null, "multiplicity": null
    });
    let cert = root_leaf(&["x"], "ideal", &["1 + x"], &[0], leaf, "1", 1);
    assert_eq!(verify(&cert).err(), Some(VerifyError::NoPole));
    let mut claims_pole = cert;
    claims_pole["charts"][0]["leaf"]["lambda"] = json!("1/2");
    claims_pole["charts"][0]["leaf"]["multiplicity"] = json!(1);
    assert_rejected_at(&claims_pole, 0, "no pole");
}
