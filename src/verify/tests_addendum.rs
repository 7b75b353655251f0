//! Hand-written certificates for FORMAT.md Addendum 1: transverse leaves and squared
//! inputs. Every chart below was derived by hand; the derivations are in the comments.

use super::tests::{assert_rejected_at, assert_verifies, root_leaf, verify};
use super::transverse::solve;
use super::VerifyError;
use crate::poly::{rat, ratio, Rational};
use serde_json::{json, Value};

/// The transverse error of chart `chart` for condition `condition`, mentioning `needle`.
fn assert_transverse(v: &Value, chart: usize, condition: u8, needle: &str) {
    let e = assert_rejected_at(v, chart, needle);
    assert!(
        matches!(e, VerifyError::Transverse { condition: c, .. } if c == condition),
        "expected transverse condition {condition}, got: {e}"
    );
}

/// A blow-up chart of `parent` with the given leaf.
fn blowup_leaf(
    id: usize,
    parent: usize,
    vars: &[&str],
    centre: &[usize],
    i: usize,
    leaf: Value,
) -> Value {
    let substitution: Vec<String> = (0..vars.len())
        .map(|k| {
            if k != i && centre.contains(&k) {
                format!("{}*{}", vars[i], vars[k])
            } else {
                vars[k].to_string()
            }
        })
        .collect();
    let ranges: Vec<Value> = (0..vars.len())
        .map(|k| {
            if k != i && centre.contains(&k) {
                json!(["-1", "1"])
            } else {
                Value::Null
            }
        })
        .collect();
    json!({
        "id": id, "parent": parent, "coordinates": vars,
        "step": {"blowup": {"centre": centre, "chart": i}},
        "substitution": substitution, "ranges": ranges,
        "cover": {"kind": "leaf"}, "leaf": leaf
    })
}

/// Root split by a point blow-up into the given leaf charts 1..=n.
fn point_blowup(
    vars: &[&str],
    kind: &str,
    gens: &[&str],
    lambda: &str,
    m: u32,
    leaves: Vec<Value>,
) -> Value {
    let centre: Vec<usize> = (0..vars.len()).collect();
    let mut charts = vec![json!({
        "id": 0, "parent": null, "coordinates": vars, "step": "root",
        "substitution": null, "ranges": vars.iter().map(|_| Value::Null).collect::<Vec<_>>(),
        "cover": {"kind": "split", "children": (1..=vars.len()).collect::<Vec<_>>()}
    })];
    for (i, leaf) in leaves.into_iter().enumerate() {
        charts.push(blowup_leaf(i + 1, 0, vars, &centre, i, leaf));
    }
    json!({
        "format": "rlct-certificate/1", "variables": vars, "kind": kind,
        "generators": gens, "weight": vars.iter().map(|_| 0).collect::<Vec<_>>(),
        "lambda": lambda, "multiplicity": m, "charts": charts
    })
}

// ----- the cone ⟨x² + y² − z²⟩ -----

/// ⟨x² + y² − z²⟩ (K = (x² + y² − z²)², the real quadric cone; λ = 1/2, m = 1), blown up
/// at the origin. In chart i (y_i small, the other two in [−1, 1]):
/// F = y_i² · U_i with U_0 = 1 + y² − z², U_1 = x² + 1 − z², U_2 = x² + y² − 1, so
/// α = 2e_i, G = U_i (β = 0), det(D map) = y_i², J = 2e_i.
///
/// U_i|_C = U_i vanishes on the box: chart 0 at (y, z) = (0, ±1) only (z² = 1 + y² ≤ 1
/// forces y = 0: a zero on the boundary of the box, where |z| = |x|), chart 1 at
/// (x, z) = (0, ±1), chart 2 on the circle x² + y² = 1, e.g. (1, 0). Each is quadratic
/// with ∇U = 0 only at the centre of the quadric, where U = 1, 1, −1 ≠ 0: "quadratic".
/// No U-coordinate is a divisor (only y_i is).
///
/// Leaf value, coordinates (x, y, z, w'): the point α + e_{w'} = 2e_i + e_{w'} and
/// τ = J + 1 = (1, 1, 1) + 2e_i, then τ_{w'} = 1. t* = max(2/3, 1/1) = 1: λ = 1/(2t*) =
/// 1/2; at t*τ only the w' inequality is tight (2 < 3 in y_i), θ = 1. So every chart
/// gives (1/2, 1), and so does the answer.
fn cone() -> Value {
    let vars = ["x", "y", "z"];
    let us = ["1 + y^2 - z^2", "x^2 + 1 - z^2", "x^2 + y^2 - 1"];
    let zeros = [["0", "0", "1"], ["0", "0", "1"], ["1", "0", "0"]];
    let leaves = (0..3)
        .map(|i| {
            let mut alpha = [0u32; 3];
            alpha[i] = 2;
            json!({
                "generators": [us[i]], "monomial": alpha, "unit": "1",
                "to_input": [["1"]], "to_chart": [["1"]], "jacobian": alpha,
                "jacobian_unit": "1", "except": [],
                "transverse": {"factor": us[i], "generators": [0],
                               "witness": {"zero": zeros[i]}, "nonsingular": "quadratic"},
                "lambda": "1/2", "multiplicity": 1
            })
        })
        .collect();
    point_blowup(&vars, "ideal", &["x^2 + y^2 - z^2"], "1/2", 1, leaves)
}

#[test]
fn cone_transverse_in_all_three_charts() {
    let got = assert_verifies(&cone(), ratio(1, 2), 1);
    assert_eq!((got.charts, got.leaves), (4, 3));
}

#[test]
fn cone_accepts_other_witnesses_and_scaled_factors() {
    // Chart 3 (z): signs at (0, 0, 0) (U = −1) and (1, 1, 0) (U = 1).
    let mut v = cone();
    v["charts"][3]["leaf"]["transverse"]["witness"] =
        json!({"signs": [["0", "0", "0"], ["1", "1", "0"]]});
    assert_verifies(&v, ratio(1, 2), 1);
    // The order of the two sign points does not matter.
    v["charts"][3]["leaf"]["transverse"]["witness"] =
        json!({"signs": [["1", "1", "0"], ["0", "0", "0"]]});
    assert_verifies(&v, ratio(1, 2), 1);
    // U may be any nonzero multiple of G / y^β: G = (1/2)·U.
    let mut v = cone();
    v["charts"][3]["leaf"]["transverse"]["factor"] = json!("2*x^2 + 2*y^2 - 2");
    assert_verifies(&v, ratio(1, 2), 1);
    // A rational zero on the circle: (3/5, 4/5).
    let mut v = cone();
    v["charts"][3]["leaf"]["transverse"]["witness"] = json!({"zero": ["3/5", "4/5", "0"]});
    assert_verifies(&v, ratio(1, 2), 1);
}

#[test]
fn cone_without_transverse_is_rejected() {
    // Without the transverse object, U = x² + y² − 1 is neither a unit nor redundant.
    let mut v = cone();
    v["charts"][3]["leaf"]["transverse"] = Value::Null;
    let e = assert_rejected_at(&v, 3, "generator 0");
    assert!(matches!(e, VerifyError::Generator { .. }));
}

#[test]
fn cone_rejects_bad_witnesses_and_proofs() {
    let set = |field: &str, value: Value| {
        let mut v = cone();
        v["charts"][3]["leaf"]["transverse"][field] = value;
        v
    };
    // U(1, 1) = 1: not a zero.
    assert_transverse(
        &set("witness", json!({"zero": ["1", "1", "0"]})),
        3,
        3,
        "not 0",
    );
    // The small coordinate z must be 0 on C.
    assert_transverse(
        &set("witness", json!({"zero": ["0", "0", "1"]})),
        3,
        3,
        "small coordinate z",
    );
    // Outside the box: U(2, 0) ≠ 0 anyway, but the range is checked first.
    assert_transverse(
        &set("witness", json!({"zero": ["2", "0", "0"]})),
        3,
        3,
        "outside its range",
    );
    // Wrong number of entries.
    assert_transverse(
        &set("witness", json!({"zero": ["1", "0"]})),
        3,
        3,
        "entries",
    );
    // Three sign points.
    assert_transverse(
        &set(
            "witness",
            json!({"signs": [["0", "0", "0"], ["1", "1", "0"], ["1", "0", "0"]]}),
        ),
        3,
        3,
        "2 points",
    );
    // No partial derivative of x² + y² − 1 is constant.
    assert_transverse(
        &set("nonsingular", json!("constant_derivative")),
        3,
        4,
        "nonzero constant",
    );
    // Two variables are not univariate.
    assert_transverse(
        &set("nonsingular", json!("univariate")),
        3,
        4,
        "2 coordinates",
    );
    assert_transverse(&set("nonsingular", json!("smooth")), 3, 4, "unknown proof");
    // The listed generator is not c · y^β · U.
    assert_transverse(
        &set("factor", json!("x^2 + 2*y^2 - 1")),
        3,
        1,
        "constant multiple of U",
    );
    assert_transverse(&set("generators", json!([1])), 3, 1, "lists generator 1");
    assert_transverse(&set("generators", json!([])), 3, 1, "no generator");
    assert_transverse(&set("generators", json!([0, 0])), 3, 1, "twice");
    // A factor with an extra small-coordinate term is not G / y^β either.
    let mut v = cone();
    v["charts"][3]["leaf"]["transverse"]["factor"] = json!("x^2 + y^2 - 1 + z");
    // G / y^β = x² + y² − 1 ≠ c·(x² + y² − 1 + z).
    assert_transverse(&v, 3, 1, "constant multiple of U");
}

#[test]
fn quadratic_proof_rejects_a_singular_zero() {
    // The double line ⟨(x − 2y)²⟩, chart x: F = x²(1 − 2y)², U = (1 − 2y)² = 1 − 4y + 4y² vanishes doubly at y = 1/2.
    // As "quadratic": ∇U = −4 + 8y = 0 at y = 1/2, where U = 0 — rejected. (The leaf
    // rule would otherwise claim (1/2, 2) from the point (2, 0, 1), τ = (2, 1, 1), but
    // K∘map ≍ x⁴w'⁴ there: the true λ of (x − 2y)⁴ is 1/4.)
    let v = tangent_double_line("quadratic");
    assert_transverse(&v, 1, 4, "gradient vanish at (y = 1/2)");
    let v = tangent_double_line("univariate");
    assert_transverse(&v, 1, 4, "multiple zero");
    let v = tangent_double_line("constant_derivative");
    assert_transverse(&v, 1, 4, "nonzero constant");
}

fn tangent_double_line(proof: &str) -> Value {
    point_blowup(
        &["x", "y"],
        "ideal",
        &["(x - 2*y)^2"],
        "1/2",
        2,
        vec![
            json!({
                "generators": ["(1 - 2*y)^2"], "monomial": [2, 0], "unit": "1",
                "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [1, 0],
                "jacobian_unit": "1", "except": [],
                "transverse": {"factor": "(1 - 2*y)^2", "generators": [0],
                               "witness": {"zero": ["0", "1/2"]}, "nonsingular": proof},
                "lambda": "1/2", "multiplicity": 2
            }),
            json!({
                "generators": ["(x - 2)^2"], "monomial": [0, 2], "unit": "1",
                "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0, 1],
                "jacobian_unit": "1", "except": [], "lambda": "1/2", "multiplicity": 1
            }),
        ],
    )
}

// ----- two real lines ⟨x² − 2y²⟩ -----

/// ⟨x² − 2y²⟩: K = (x² − 2y²)² = (x − √2y)²(x + √2y)², two transversal real lines; the
/// true answer is λ = 1/2, m = 2 (K ≍ u²v² in the coordinates u, v = x ∓ √2y).
///
/// Blow-up of the origin.
/// - Chart 1 (x small, y ∈ [−1, 1]; x = x, y = xy): F = x²(1 − 2y²), α = (2, 0),
///   G = 1 − 2y², det = x, J = (1, 0). U = 1 − 2y² has the simple irrational roots
///   y = ±1/√2 — the strict transforms of the two lines, each meeting the exceptional
///   divisor {x = 0} transversally. Witness: signs U(0, 0) = 1, U(0, 1) = −1; proof
///   "univariate": gcd(U, U′) = gcd(1 − 2y², −4y) = 1. y is no divisor (α_y = J_y = 0).
///   Leaf value on (x, y, w'): point α + e_{w'} = (2, 0, 1), τ = (J_x + 1, J_y + 1, 1) =
///   (2, 1, 1). t* = max(2/2, 0/1, 1/1) = 1, so λ = 1/(2t*) = 1/2; at t*τ = (2, 1, 1)
///   the inequalities in x (2 = 2) and w' (1 = 1) are both tight: θ = 2. Directly: near
///   (x, y) = (0, 1/√2), K∘map ≍ x⁴w'² with Jacobian |x|: ∫|x|^{4z+1}|w'|^{2z} has the
///   poles −2/4 and −1/2, coinciding: a double pole at −1/2, m = 2.
/// - Chart 2 (y small, x ∈ [−1, 1]; x = yx, y = y): F = y²(x² − 2), x² − 2 has no root in
///   [−1, 1] (monomial type, β = 0), α = (0, 2), J = (0, 1): point (0, 2), τ = (1, 2),
///   t* = 1, λ = 1/2, only y tight: θ = 1.
///
/// Answer: λ = min = 1/2, m = max(2, 1) = 2 — the true value. The multiplicity 2 sits
/// at the two points (0, ±1/√2) of chart 1, where the divisor x = 0 crosses a line.
fn two_lines() -> Value {
    point_blowup(
        &["x", "y"],
        "ideal",
        &["x^2 - 2*y^2"],
        "1/2",
        2,
        vec![
            json!({
                "generators": ["1 - 2*y^2"], "monomial": [2, 0], "unit": "1",
                "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [1, 0],
                "jacobian_unit": "1", "except": [],
                "transverse": {"factor": "1 - 2*y^2", "generators": [0],
                               "witness": {"signs": [["0", "0"], ["0", "1"]]},
                               "nonsingular": "univariate"},
                "lambda": "1/2", "multiplicity": 2
            }),
            json!({
                "generators": ["x^2 - 2"], "monomial": [0, 2], "unit": "1",
                "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0, 1],
                "jacobian_unit": "1", "except": [], "lambda": "1/2", "multiplicity": 1
            }),
        ],
    )
}

#[test]
fn two_lines_univariate_transverse_gives_multiplicity_two() {
    let got = assert_verifies(&two_lines(), ratio(1, 2), 2);
    assert_eq!((got.charts, got.leaves), (3, 2));
    // The same factor proved "quadratic": ∇U = −4y = 0 at y = 0, where U = 1 ≠ 0.
    let mut v = two_lines();
    v["charts"][1]["leaf"]["transverse"]["nonsingular"] = json!("quadratic");
    assert_verifies(&v, ratio(1, 2), 2);
    // A wrong leaf claim (the multiplicity without w' would be 1) is caught.
    let mut v = two_lines();
    v["charts"][1]["leaf"]["multiplicity"] = json!(1);
    assert_rejected_at(&v, 1, "recomputed (λ, m) = (1/2, 2)");
}

#[test]
fn two_lines_rejects_equal_signs() {
    // U(0, 0) = 1 and U(0, 1/2) = 1/2: no sign change.
    let mut v = two_lines();
    v["charts"][1]["leaf"]["transverse"]["witness"] = json!({"signs": [["0", "0"], ["0", "1/2"]]});
    assert_transverse(&v, 1, 3, "no strict sign change");
    // A zero value is not a strict sign.
    let mut v = two_lines();
    v["charts"][1]["leaf"]["transverse"]["witness"] = json!({"signs": [["0", "0"], ["0", "1/2"]]});
    v["charts"][1]["leaf"]["transverse"]["witness"]["signs"][1] = json!(["0", "-1"]);
    assert_verifies(&v, ratio(1, 2), 2);
    v["charts"][1]["leaf"]["transverse"]["witness"]["signs"][1] = json!(["0", "0"]);
    assert_transverse(&v, 1, 3, "no strict sign change");
}

#[test]
fn two_lines_rejects_factor_in_a_divisor_coordinate() {
    // A second listed generator y·(1 − 2y²) (S row: y^α·G_2 = y·F) makes y a divisor
    // (β_1 = (0, 1)): U|_C = 1 − 2y² then involves a divisor coordinate.
    let mut v = two_lines();
    let leaf = &mut v["charts"][1]["leaf"];
    leaf["generators"] = json!(["1 - 2*y^2", "y - 2*y^3"]);
    leaf["to_input"] = json!([["1", "0"]]);
    leaf["to_chart"] = json!([["1"], ["y"]]);
    leaf["transverse"]["generators"] = json!([0, 1]);
    assert_transverse(&v, 1, 2, "divisor coordinate y");

    // The prior |y| makes J = (2, 1) in chart 1 (y∘map · det = xy · x): y is a divisor.
    let mut v = two_lines();
    v["weight"] = json!([0, 1]);
    v["charts"][1]["leaf"]["jacobian"] = json!([2, 1]);
    v["charts"][2]["leaf"]["jacobian"] = json!([0, 2]);
    assert_transverse(&v, 1, 2, "divisor coordinate y");

    // A factor that only involves small coordinates: the root leaf ⟨x + y⟩ written as
    // transverse with U = x + y, whose U|_C is 0 (the root's C is the origin).
    let cert = root_leaf(
        &["x", "y"],
        "ideal",
        &["x + y"],
        &[0, 0],
        json!({
            "generators": ["x + y"], "monomial": [0, 0], "unit": "1",
            "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0, 0],
            "jacobian_unit": "1", "except": [],
            "transverse": {"factor": "x + y", "generators": [0],
                           "witness": {"zero": ["0", "0"]}, "nonsingular": "constant_derivative"},
            "lambda": "1/2", "multiplicity": 1
        }),
        "1/2",
        1,
    );
    assert_transverse(&cert, 0, 2, "involves no coordinate");
}

// ----- a line ⟨x − 2y⟩, a constant derivative, and excepted hyperplanes -----

/// ⟨x − 2y⟩ (smooth: λ = 1/2, m = 1), blown up at the origin.
/// - Chart 1 (x = x, y = xy): F = x(1 − 2y), α = (1, 0), J = (1, 0), U = 1 − 2y, zero
///   y = 1/2, ∂U/∂y = −2: "constant_derivative". Point (1, 0, 1), τ = (2, 1, 1):
///   t* = max(1/2, 1) = 1, λ = 1/2, only w' tight: θ = 1.
/// - Chart 2 (x = yx, y = y): F = y(x − 2), x − 2 ≠ 0 on [−1, 1]; point (0, 1),
///   τ = (1, 2): t* = 1/2, λ = 1/(2t*) = 1.
fn line() -> Value {
    point_blowup(
        &["x", "y"],
        "ideal",
        &["x - 2*y"],
        "1/2",
        1,
        vec![
            json!({
                "generators": ["1 - 2*y"], "monomial": [1, 0], "unit": "1",
                "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [1, 0],
                "jacobian_unit": "1", "except": [],
                "transverse": {"factor": "1 - 2*y", "generators": [0],
                               "witness": {"zero": ["0", "1/2"]},
                               "nonsingular": "constant_derivative"},
                "lambda": "1/2", "multiplicity": 1
            }),
            json!({
                "generators": ["x - 2"], "monomial": [0, 1], "unit": "1",
                "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0, 1],
                "jacobian_unit": "1", "except": [], "lambda": "1", "multiplicity": 1
            }),
        ],
    )
}

/// Chart 3: the translate of chart 1 at y = 1/2 (x = x, y = 1/2 + y): F = −2xy,
/// α = (1, 1), G = −2, det = x, J = (1, 0); point (1, 1), τ = (2, 1): t* = 1, λ = 1/2,
/// only y tight: θ = 1.
fn line_with_translate(transverse: bool) -> Value {
    let mut v = line();
    v["charts"][1]["leaf"]["except"] = json!([3]);
    if !transverse {
        // 1 − 2y = −2(y − 1/2) is a unit off the excepted hyperplane; y counted (0 is not
        // excepted): point (1, 0), τ = (2, 1), t* = 1/2, λ = 1.
        v["charts"][1]["leaf"]["transverse"] = Value::Null;
        v["charts"][1]["leaf"]["lambda"] = json!("1");
    }
    let charts = v["charts"].as_array_mut().map(|c| {
        c.push(json!({
            "id": 3, "parent": 1, "coordinates": ["x", "y"],
            "step": {"translate": {"coordinate": 1, "to": "1/2"}},
            "substitution": ["x", "1/2 + y"], "ranges": [null, null],
            "cover": {"kind": "leaf"},
            "leaf": {"generators": ["-2"], "monomial": [1, 1], "unit": "1",
                     "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [1, 0],
                     "jacobian_unit": "1", "except": [], "lambda": "1/2", "multiplicity": 1}
        }))
    });
    assert!(charts.is_some());
    v
}

#[test]
fn line_constant_derivative() {
    assert_verifies(&line(), ratio(1, 2), 1);
    assert_verifies(&line_with_translate(false), ratio(1, 2), 1);
    // The zero witness y = 1/3 is not a zero.
    let mut v = line();
    v["charts"][1]["leaf"]["transverse"]["witness"] = json!({"zero": ["0", "1/3"]});
    assert_transverse(&v, 1, 3, "is 1/3 at the zero witness");
}

#[test]
fn rejects_transverse_zeros_inside_an_excepted_hyperplane() {
    // With the hyperplane y = 1/2 excepted, every zero of U = 1 − 2y lies in it: the
    // transverse claim would describe points the leaf is not responsible for. Since
    // Addendum 4 the avoided factor (y − 1/2) is divided out first, leaving a constant.
    let v = line_with_translate(true);
    assert_transverse(&v, 1, 2, "involves no coordinate");
}

#[test]
fn poly_kind_transverse_line() {
    // K = x − 2y as kind "poly": chart 1 gives 1/t* = 1 (point (1, 0, 1), τ = (2, 1, 1)),
    // chart 2 gives 1/t* = 2: the RLCT of |x − 2y|, (1, 1).
    let mut v = line();
    v["kind"] = json!("poly");
    v["lambda"] = json!("1");
    v["charts"][1]["leaf"]["lambda"] = json!("1");
    v["charts"][2]["leaf"]["lambda"] = json!("2");
    assert_verifies(&v, rat(1), 1);
}

// ----- squared inputs -----

/// ⟨x⟩ with K = 4x² = 4·x²: the root is a leaf, (1/2, 1).
fn four_x_squared(poly: &str, scale: &str) -> Value {
    let mut v = root_leaf(
        &["x"],
        "ideal",
        &["x"],
        &[0],
        json!({
            "generators": ["x"], "monomial": [0], "unit": "1",
            "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0],
            "jacobian_unit": "1", "except": [], "lambda": "1/2", "multiplicity": 1
        }),
        "1/2",
        1,
    );
    v["source"] = json!({"poly": poly, "scale": scale});
    v
}

fn assert_header_error(v: &Value, needle: &str) {
    match verify(v) {
        Err(VerifyError::Header(m)) => assert!(m.contains(needle), "'{needle}' not in: {m}"),
        other => panic!("expected a header error, got {other:?}"),
    }
}

#[test]
fn source_four_x_squared() {
    assert_verifies(&four_x_squared("4*x^2", "4"), ratio(1, 2), 1);
    assert_header_error(&four_x_squared("4*x^2", "2"), "is not 2 · (x)²");
    assert_header_error(&four_x_squared("-4*x^2", "-4"), "not positive");
    assert_header_error(&four_x_squared("0", "0"), "not positive");
    assert_header_error(&four_x_squared("4*x^2 + x^3", "4"), "is not 4");
    let mut v = four_x_squared("4*x^2", "4");
    v["kind"] = json!("poly");
    v["charts"][0]["leaf"]["lambda"] = json!("1");
    assert_header_error(&v, "kind 'ideal'");
    let mut v = four_x_squared("4*x^2", "4");
    v["source"]["poly"] = json!("4*z^2");
    assert_header_error(&v, "source poly");
}

/// ⟨x² − y³⟩ (the cusp; λ = 5/12, m = 1), resolved by three point blow-ups with
/// translates. Maps and Jacobians by hand (chart: map (x, y) of the original variables,
/// det, F = (x² − y³)∘map):
/// - 1, x-chart of the root: (x, xy), det x, F = x²(1 − xy³): α = (2, 0), J = (1, 0),
///   point (2, 0), τ = (2, 1): t* = 1, (1/2, 1).
/// - 2, y-chart of the root: (xy, y), det y, F = y²(x² − y), G = x² − y is x² on C:
///   a unit off {x = 0}, excepted (chart 3); x not counted; (1/2, 1).
/// - 3, translate x = 0 + x of chart 2, split by a blow-up:
///   - 4, x-chart: (x²y, xy), det x²y, F = x³y²(x − y): α = (3, 2), G = x − y (−y on C,
///     a unit off {y = 0}, excepted: chart 6), J = (2, 1); y not counted: point (3),
///     τ (3): (1/2, 1).
///   - 5, y-chart: (xy², y), det y², F = y³(x²y − 1): point (0, 3), τ (1, 3): (1/2, 1).
/// - 6, translate y = 0 + y of chart 4, split by a blow-up:
///   - 7, x-chart: (x³y, x²y), det x⁴y, F = x⁶y²(1 − y): α = (6, 2), G = 1 − y (except
///     y = 1: chart 9), J = (4, 1): point (6, 2), τ = (5, 2): t* = 6/5, λ = 5/12, θ = 1.
///   - 8, y-chart: (x²y³, xy²), det x²y⁴, F = x³y⁶(x − 1): α = (3, 6), G = x − 1 (except
///     x = 1: chart 10), J = (2, 4): point (3, 6), τ = (3, 5): t* = 6/5, (5/12, 1).
/// - 9, translate y = 1 + y of chart 7: (x³(1 + y), x²(1 + y)), det x⁴(1 + y),
///   F = −x⁶(1 + y)²y: α = (6, 0), W = −(1 + y)², G = y, J = (4, 0), V = 1 + y:
///   point (6, 1), τ = (5, 1): t* = 6/5, (5/12, 1).
/// - 10, translate x = 1 + x of chart 8: ((1 + x)²y³, (1 + x)y²), det (1 + x)²y⁴,
///   F = (1 + x)³y⁶x: α = (0, 6), W = (1 + x)³, G = x, J = (0, 4), V = (1 + x)²:
///   point (1, 6), τ = (1, 5): t* = 6/5, (5/12, 1).
fn cusp() -> Value {
    let leaf = |g: &str,
                alpha: [u32; 2],
                w: &str,
                jac: [u32; 2],
                v: &str,
                except: &[usize],
                lambda: &str| {
        json!({
            "generators": [g], "monomial": alpha, "unit": w,
            "to_input": [["1"]], "to_chart": [["1"]], "jacobian": jac,
            "jacobian_unit": v, "except": except, "lambda": lambda, "multiplicity": 1
        })
    };
    let xy = ["x", "y"];
    let split = |id: usize, parent: usize, coordinate: usize, children: [usize; 2]| {
        json!({
            "id": id, "parent": parent, "coordinates": xy,
            "step": {"translate": {"coordinate": coordinate, "to": "0"}},
            "substitution": xy, "ranges": [null, null],
            "cover": {"kind": "split", "children": children}
        })
    };
    let translate =
        |id: usize, parent: usize, coordinate: usize, substitution: [&str; 2], leaf: Value| {
            json!({
                "id": id, "parent": parent, "coordinates": xy,
                "step": {"translate": {"coordinate": coordinate, "to": "1"}},
                "substitution": substitution, "ranges": [null, null],
                "cover": {"kind": "leaf"}, "leaf": leaf
            })
        };
    let charts = vec![
        json!({"id": 0, "parent": null, "coordinates": xy, "step": "root",
               "substitution": null, "ranges": [null, null],
               "cover": {"kind": "split", "children": [1, 2]}}),
        blowup_leaf(
            1,
            0,
            &xy,
            &[0, 1],
            0,
            leaf("1 - x*y^3", [2, 0], "1", [1, 0], "1", &[], "1/2"),
        ),
        blowup_leaf(
            2,
            0,
            &xy,
            &[0, 1],
            1,
            leaf("x^2 - y", [0, 2], "1", [0, 1], "1", &[3], "1/2"),
        ),
        split(3, 2, 0, [4, 5]),
        blowup_leaf(
            4,
            3,
            &xy,
            &[0, 1],
            0,
            leaf("x - y", [3, 2], "1", [2, 1], "1", &[6], "1/2"),
        ),
        blowup_leaf(
            5,
            3,
            &xy,
            &[0, 1],
            1,
            leaf("x^2*y - 1", [0, 3], "1", [0, 2], "1", &[], "1/2"),
        ),
        split(6, 4, 1, [7, 8]),
        blowup_leaf(
            7,
            6,
            &xy,
            &[0, 1],
            0,
            leaf("1 - y", [6, 2], "1", [4, 1], "1", &[9], "5/12"),
        ),
        blowup_leaf(
            8,
            6,
            &xy,
            &[0, 1],
            1,
            leaf("x - 1", [3, 6], "1", [2, 4], "1", &[10], "5/12"),
        ),
        translate(
            9,
            7,
            1,
            ["x", "1 + y"],
            leaf("y", [6, 0], "-(1 + y)^2", [4, 0], "1 + y", &[], "5/12"),
        ),
        translate(
            10,
            8,
            0,
            ["1 + x", "y"],
            leaf("x", [0, 6], "(1 + x)^3", [0, 4], "(1 + x)^2", &[], "5/12"),
        ),
    ];
    json!({
        "format": "rlct-certificate/1", "variables": xy, "kind": "ideal",
        "generators": ["x^2 - y^3"], "weight": [0, 0], "lambda": "5/12", "multiplicity": 1,
        "charts": charts
    })
}

#[test]
fn cusp_certificate_and_its_squared_source() {
    let got = assert_verifies(&cusp(), ratio(5, 12), 1);
    assert_eq!((got.charts, got.leaves), (11, 8));
    // K = x⁴ − 2x²y³ + y⁶ = 1 · (x² − y³)².
    let mut v = cusp();
    v["source"] = json!({"poly": "x^4 - 2*x^2*y^3 + y^6", "scale": "1"});
    assert_verifies(&v, ratio(5, 12), 1);
    v["source"]["scale"] = json!("1/2");
    assert_header_error(&v, "is not 1/2");
    v["source"]["scale"] = json!("-1");
    assert_header_error(&v, "not positive");
    v["source"] = json!({"poly": "x^4 + 2*x^2*y^3 + y^6", "scale": "1"});
    assert_header_error(&v, "is not 1");
    // With a second generator the squared form K = scale · g² is undefined.
    let mut v = cusp();
    v["source"] = json!({"poly": "x^4 - 2*x^2*y^3 + y^6", "scale": "1"});
    v["generators"] = json!(["x^2 - y^3", "0"]);
    assert_header_error(&v, "exactly one generator");
}

// ----- the exact linear solve -----

#[test]
fn linear_solve() {
    let q = |rows: &[&[i64]]| -> Vec<Vec<Rational>> {
        rows.iter()
            .map(|r| r.iter().map(|&k| rat(k)).collect())
            .collect()
    };
    // 2x + y = 3, x − y = 0: (1, 1).
    assert_eq!(
        solve(q(&[&[2, 1], &[1, -1]]), vec![rat(3), rat(0)]),
        Some(vec![rat(1), rat(1)])
    );
    // x + y = 1, 2x + 2y = 3: inconsistent.
    assert_eq!(solve(q(&[&[1, 1], &[2, 2]]), vec![rat(1), rat(3)]), None);
    // x + y = 1, 2x + 2y = 2: a line; the free unknown y is 0.
    assert_eq!(
        solve(q(&[&[1, 1], &[2, 2]]), vec![rat(1), rat(2)]),
        Some(vec![rat(1), rat(0)])
    );
    // 0 = 0 and 0 = 1.
    assert_eq!(solve(q(&[&[0]]), vec![rat(0)]), Some(vec![rat(0)]));
    assert_eq!(solve(q(&[&[0]]), vec![rat(1)]), None);
    // A pivot below a zero: 0x + 3y = 1, 2x + 0y = 1.
    assert_eq!(
        solve(q(&[&[0, 3], &[2, 0]]), vec![rat(1), rat(1)]),
        Some(vec![ratio(1, 2), ratio(1, 3)])
    );
}

#[test]
fn sturm_gcd() {
    use super::sturm::{derivative, gcd};
    let q = |v: &[i64]| -> Vec<Rational> { v.iter().map(|&k| rat(k)).collect() };
    // gcd((1 − 2y)², its derivative) is a multiple of 1 − 2y.
    let p = q(&[1, -4, 4]);
    let g = gcd(&p, &derivative(&p));
    assert_eq!(g.len(), 2);
    assert_eq!(&g[0] * rat(-2), g[1].clone());
    // gcd(1 − 2y², −4y) is a constant.
    let p = q(&[1, 0, -2]);
    assert_eq!(gcd(&p, &derivative(&p)).len(), 1);
}
