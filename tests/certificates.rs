//! Every exact answer the suite produces is re-checked through its certificate by the
//! independent checker (`rlct::verify`), and corrupted certificates are rejected.

mod common;
use common::*;
use rlct::certificate::certificate;
use rlct::engine::solve_with_certificate;
use rlct::verify::verify_str;
use rlct::{Answer, Budget, Problem};
use serde_json::Value;

fn certified(kind: &str, input: &str, weight: Option<&str>) -> Option<(Value, Answer)> {
    let p = Problem::parse(&spec(kind, input, weight)).expect("valid input");
    let sol = solve_with_certificate(&p, &Budget::default()).expect("solve");
    sol.resolution
        .as_ref()
        .map(|r| (certificate(r), sol.answer.clone()))
}

#[test]
fn reference_certificates_verify() {
    let mut certified_rows = 0;
    let mut failures = Vec::new();
    for c in cases() {
        let Some((cert, answer)) = certified(&c.kind, &c.input, c.weight.as_deref()) else {
            failures.push(format!("{}: no certificate", c.id));
            continue;
        };
        certified_rows += 1;
        let Answer::Exact(r) = answer else {
            failures.push(format!("{}: a certificate for a non-exact answer", c.id));
            continue;
        };
        match verify_str(&cert.to_string()) {
            Ok(v) if v.lambda == r.lambda && v.multiplicity == r.multiplicity => {}
            Ok(v) => failures.push(format!(
                "{}: checker says {} m={}",
                c.id, v.lambda, v.multiplicity
            )),
            Err(e) => failures.push(format!("{}: rejected: {e}", c.id)),
        }
    }
    eprintln!("{certified_rows} reference rows certified and re-checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        certified_rows,
        cases().len(),
        "every reference row is certified"
    );
}

/// The degenerate rows that only the resolution proves must all come with certificates.
#[test]
fn degenerate_rows_have_certificates() {
    for id in [
        "cusp-squared",
        "degen-x2-y2",
        "degen-cone",
        "ideal-ab+cd",
        "rrr-M2-N2-H2-r0",
        "rrr-M2-N3-H2-r0",
        "tanh-H2",
        "tanh-H3",
        "vandermonde-M1-N1-H2-Q1",
        "vandermonde-M1-N1-H3-Q1",
    ] {
        let c = cases()
            .into_iter()
            .find(|c| c.id == id)
            .expect("row exists");
        assert!(
            certified(&c.kind, &c.input, c.weight.as_deref()).is_some(),
            "{id}"
        );
    }
}

fn cusp() -> Value {
    certified("poly", "(x^2 - y^3)^2", None)
        .expect("the cusp resolves")
        .0
}

fn leaves(cert: &Value) -> Vec<usize> {
    cert["charts"]
        .as_array()
        .map(|cs| {
            cs.iter()
                .enumerate()
                .filter(|(_, c)| !c["leaf"].is_null())
                .map(|(i, _)| i)
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn corrupted_certificates_are_rejected() {
    let good = cusp();
    assert!(verify_str(&good.to_string()).is_ok());
    let leaf = *leaves(&good).last().expect("a leaf");

    // Flip an exponent of a leaf's monomial factor.
    let mut bad = good.clone();
    let m = &mut bad["charts"][leaf]["leaf"]["monomial"][0];
    *m = Value::from(m.as_u64().unwrap_or(0) + 1);
    assert!(
        verify_str(&bad.to_string()).is_err(),
        "flipped exponent accepted"
    );

    // Flip a Jacobian exponent.
    let mut bad = good.clone();
    let j = &mut bad["charts"][leaf]["leaf"]["jacobian"][1];
    *j = Value::from(j.as_u64().unwrap_or(0) + 1);
    assert!(
        verify_str(&bad.to_string()).is_err(),
        "flipped Jacobian accepted"
    );

    // Drop a chart: remove the last chart and its mention in the parent.
    let mut bad = good.clone();
    if let Some(cs) = bad["charts"].as_array_mut() {
        cs.pop();
    }
    assert!(
        verify_str(&bad.to_string()).is_err(),
        "dropped chart accepted"
    );

    // Drop a unit root: forget a translate child (an excepted hyperplane).
    let with_except = leaves(&good).into_iter().find(|&i| {
        good["charts"][i]["leaf"]["except"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    });
    let i = with_except.expect("the cusp has a leaf with an exception");
    let mut bad = good.clone();
    bad["charts"][i]["leaf"]["except"] = Value::Array(vec![]);
    assert!(
        verify_str(&bad.to_string()).is_err(),
        "dropped exception accepted"
    );

    // Replace a unit by something that vanishes on C.
    let mut bad = good.clone();
    bad["charts"][leaf]["leaf"]["unit"] = Value::from("0");
    assert!(verify_str(&bad.to_string()).is_err(), "zero unit accepted");

    // A wrong claim.
    let mut bad = good.clone();
    bad["lambda"] = Value::from("1/2");
    assert!(verify_str(&bad.to_string()).is_err(), "wrong λ accepted");
}

/// Shifts of bounded coordinates (FORMAT.md Addendum 5): a reduced-rank regression with
/// three hidden units needs them; the checker accepts the real certificate and rejects a
/// shifted range too small for the image of C, and a shift of a small coordinate.
#[test]
fn shift_certificates_are_checked() {
    let ideal = "b1*a1 + b2*a2 + b3*a3, b1*c1 + b2*c2 + b3*c3, \
                 a1*d1 + a2*d2 + a3*d3, c1*d1 + c2*d2 + c3*d3";
    let (cert, answer) = certified("ideal", ideal, None).expect("resolved");
    let r = answer.exact().expect("exact").clone();
    // M = N = 2, H = 3 (Aoyagi–Watanabe): λ = 2, m = 2.
    assert_eq!((r.lambda.to_string(), r.multiplicity), ("2".to_string(), 2));
    let v = verify_str(&cert.to_string()).expect("valid certificate");
    assert_eq!(
        (v.lambda, v.multiplicity),
        (r.lambda.clone(), r.multiplicity)
    );
    let charts = cert["charts"].as_array().expect("charts").clone();
    let (id, coord) = charts
        .iter()
        .enumerate()
        .find_map(|(i, c)| {
            c["step"]["shift"]["coordinate"]
                .as_u64()
                .map(|j| (i, j as usize))
        })
        .expect("a shift chart");
    // A range that cannot contain the image of the parent's C.
    let mut small_range = cert.clone();
    small_range["charts"][id]["ranges"][coord] = serde_json::json!(["0", "0"]);
    let e = verify_str(&small_range.to_string()).expect_err("too small a range");
    assert!(e.to_string().contains("shifted coordinate"), "{e}");
    // A shift must change a bounded coordinate: make it small in the parent.
    let parent = charts[id]["parent"].as_u64().expect("parent") as usize;
    let mut small_parent = cert.clone();
    small_parent["charts"][parent]["ranges"][coord] = Value::Null;
    assert!(verify_str(&small_parent.to_string()).is_err());
}

/// Gradient identities for transverse factors (FORMAT.md Addendum 6). ⟨x³ + 2·y·z·w, x⁴⟩:
/// after the blow-up of the origin the strict transform 1 + 2·y·z·w of x³ + 2·y·z·w
/// vanishes on the surface y·z·w = −1/2 of the box, which meets the planes where its
/// partial derivatives vanish; the Euler identity y·∂(1 + 2yzw)/∂y − (1 + 2yzw) = −1 shows
/// every zero nonsingular. (With the coefficient 1, 1 + yzw is zero only at corners of the
/// box and is a unit off {y = ±1} by Addendum 11, so that input no longer needs the
/// identity.) (λ, m) = (5/8, 3), by hand (y ↦ y/2 is a linear change of coordinates, so
/// the value is that of x³ + yzw): a weighted blow-up with weights (a, b, c, d),
/// 3a = b + c + d, gives near a smooth point of the strict transform s of x³ + yzw the
/// ideal t^{3a}·⟨s, t^a⟩ with Jacobian t^{4a−1}, so t* = 4/5 and λ = 1/(2t*) = 5/8 for
/// every weight of that 3-dimensional cone (m = 3); below the 2/3 of the monomial ideal
/// ⟨x³, yzw⟩ ⊇ the input.
/// The checker accepts the real certificate and rejects corrupted identities.
#[test]
fn gradient_certificates_are_checked() {
    let (cert, answer) = certified("ideal", "x^3 + 2*y*z*w, x^4", None).expect("resolved");
    let r = answer.exact().expect("exact").clone();
    assert_eq!(
        (r.lambda.to_string(), r.multiplicity),
        ("5/8".to_string(), 3)
    );
    let v = verify_str(&cert.to_string()).expect("valid certificate");
    assert_eq!((v.lambda, v.multiplicity), (r.lambda.clone(), 3));
    // Every transverse factor with a gradient proof, as a JSON pointer.
    let mut found = Vec::new();
    for (id, c) in cert["charts"]
        .as_array()
        .expect("charts")
        .iter()
        .enumerate()
    {
        match &c["leaf"]["transverse"] {
            Value::Array(fs) => {
                for (k, f) in fs.iter().enumerate() {
                    if f["nonsingular"] == "gradient" {
                        found.push(format!("/charts/{id}/leaf/transverse/{k}"));
                    }
                }
            }
            f if f["nonsingular"] == "gradient" => {
                found.push(format!("/charts/{id}/leaf/transverse"))
            }
            _ => {}
        }
    }
    assert!(!found.is_empty(), "no gradient proof in the certificate");
    // An Euler identity (cofactor −1) and a unit partial derivative (cofactor 0).
    let cofactor = |p: &String| cert.pointer(p).expect("factor")["gradient"]["cofactor"].clone();
    let euler = found
        .iter()
        .find(|p| cofactor(p) == "-1")
        .expect("an Euler identity");
    let rejected = |edit: &dyn Fn(&mut Value), needle: &str| {
        let mut bad = cert.clone();
        edit(bad.pointer_mut(euler).expect("factor"));
        let e = verify_str(&bad.to_string()).expect_err("corrupted gradient identity");
        assert!(e.to_string().contains(needle), "{needle}: {e}");
    };
    // Without the cofactor r = 2·y·z·w, which vanishes on the box.
    rejected(
        &|f| f["gradient"]["cofactor"] = serde_json::json!("0"),
        "not shown nonzero",
    );
    // All multipliers 0: r = −(1 + 2yzw), zero on the box.
    rejected(
        &|f| {
            let n = f["gradient"]["multipliers"].as_array().expect("list").len();
            f["gradient"]["multipliers"] = serde_json::json!(vec!["0"; n]);
        },
        "not shown nonzero",
    );
    // One multiplier per coordinate.
    rejected(
        &|f| {
            f["gradient"]["multipliers"]
                .as_array_mut()
                .expect("list")
                .pop();
        },
        "multipliers",
    );
    // The proof needs its identity.
    rejected(
        &|f| {
            f.as_object_mut().expect("object").remove("gradient");
        },
        "no 'gradient'",
    );
}

/// Addendum 8 (powers): a single generator or K that is c·h^k is resolved as h, and the
/// certificate's `root_of` identity g = c·h^k is re-checked; λ(h^k) = λ(h)/k, same m
/// (ζ_g(z) = |c|^{2z}·ζ_h(kz)).
#[test]
fn power_certificates_are_checked() {
    // (kind, input, λ, m) with the value derived by hand:
    // - (x + y + z)^4 = u^4 in the coordinate u = x + y + z: λ = 1/4;
    // - (x·y − z²)^6 = ((xy − z²)³)²: ⟨xy − z²⟩ is the cone (λ = 1/2, the degen-cone row
    //   up to a linear change), divided by 3;
    // - ⟨(x² − y³)³⟩: the cusp ⟨x² − y³⟩ has λ = 5/12 (cusp-squared row), divided by 3;
    // - (x² + y²)³, an odd power of the regular x² + y² (λ = 1): λ = 1/3.
    for (kind, input, lambda, m) in [
        ("poly", "(x + y + z)^4", "1/4", 1),
        ("poly", "(x*y - z^2)^6", "1/6", 1),
        ("ideal", "(x^2 - y^3)^3", "5/36", 1),
        ("poly", "(x^2 + y^2)^3", "1/3", 1),
    ] {
        let Some((cert, Answer::Exact(r))) = certified(kind, input, None) else {
            panic!("{input}: no exact certified answer");
        };
        assert_eq!(
            (r.lambda.clone(), r.multiplicity),
            (parse_rational(lambda), m),
            "{input}"
        );
        assert!(
            cert.get("root_of").is_some(),
            "{input}: resolved as a power"
        );
        let v = verify_str(&cert.to_string()).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!((v.lambda, v.multiplicity), (r.lambda, r.multiplicity));
    }
    let Some((cert, _)) = certified("poly", "(x + y + z)^4", None) else {
        panic!("no certificate");
    };
    let rejects = |edit: &dyn Fn(&mut Value), needle: &str| {
        let mut bad = cert.clone();
        edit(&mut bad);
        let err = verify_str(&bad.to_string()).expect_err(needle).to_string();
        assert!(err.contains(needle), "expected '{needle}' in: {err}");
    };
    // The identity g = c·h^k with the wrong exponent, scale or generator.
    rejects(&|v| v["root_of"]["exponent"] = 3.into(), "root_of");
    rejects(&|v| v["root_of"]["exponent"] = 1.into(), "root_of");
    rejects(&|v| v["root_of"]["scale"] = "2".into(), "root_of");
    rejects(
        &|v| v["root_of"]["generator"] = "(x + y - z)^2".into(),
        "root_of",
    );
    // Without root_of the squared source K = (h²)² is not c·h².
    rejects(
        &|v| {
            v.as_object_mut().map(|o| o.remove("root_of"));
        },
        "source",
    );
    // Without root_of (and no source) the leaves give λ(h) = 5/12, not the claimed 5/36.
    let Some((cert, _)) = certified("ideal", "(x^2 - y^3)^3", None) else {
        panic!("no certificate");
    };
    let mut bad = cert.clone();
    bad.as_object_mut().map(|o| o.remove("root_of"));
    let err = verify_str(&bad.to_string())
        .expect_err("no root_of")
        .to_string();
    assert!(err.contains("5/12"), "{err}");
    // A poly certificate needs an odd exponent and a positive scale.
    let Some((cert, _)) = certified("poly", "(x^2 + y^2)^3", None) else {
        panic!("no certificate");
    };
    let mut bad = cert.clone();
    bad["root_of"]["scale"] = "-1".into();
    assert!(verify_str(&bad.to_string()).is_err());
}

/// Addendum 9: a transverse factor may enter a generator with a power, G = c·y^β·U^e;
/// near a zero of U it is the monomial y^β·w'^e. Values by hand: in the coordinates
/// u = x + y + z (or x − y, x + y), the ideals are monomial.
#[test]
fn transverse_power_certificates_are_checked() {
    for (input, lambda) in [
        // ⟨u²·z⟩: min(1/(2·2), 1/2).
        ("(x + y + z)^2*z", "1/4"),
        // ⟨u³·z²⟩: min(1/6, 1/4).
        ("(x + y + z)^3*z^2", "1/6"),
    ] {
        let Some((cert, Answer::Exact(r))) = certified("ideal", input, None) else {
            panic!("{input}: no exact certified answer");
        };
        assert_eq!(
            (r.lambda.clone(), r.multiplicity),
            (parse_rational(lambda), 1),
            "{input}"
        );
        assert!(
            cert.to_string().contains("\"powers\""),
            "{input}: a transverse power is used"
        );
        let v = verify_str(&cert.to_string()).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!((v.lambda, v.multiplicity), (r.lambda, r.multiplicity));
    }
    // Corrupted powers: the identity G = c·y^β·U^e fails, or the pole changes.
    let Some((cert, _)) = certified("ideal", "(x + y + z)^2*z", None) else {
        panic!("no certificate");
    };
    let text = cert.to_string();
    for (from, to, needle) in [
        ("\"powers\":[2]", "\"powers\":[1]", "condition 1"),
        ("\"powers\":[2]", "\"powers\":[3]", "condition 1"),
        ("\"powers\":[2]", "\"powers\":[0]", "condition 1"),
        ("\"powers\":[2]", "\"powers\":[2,2]", "condition 1"),
        ("\"powers\":[2],", "", "condition 1"),
    ] {
        assert!(text.contains(from), "{text}");
        let err = verify_str(&text.replacen(from, to, 1))
            .expect_err(to)
            .to_string();
        assert!(err.contains(needle), "{to}: {err}");
    }
}

/// Addendum 9: several coordinate factors need an invertible Jacobian along their
/// coordinates, not a diagonal one. ⟨(x+y+z)²·z, (x−y)³⟩ is the monomial ideal ⟨u²z, v³⟩
/// in the coordinates (u, v, z) = (x+y+z, x−y, z): by hand, t·(1,1,1) ∈ conv{(2,1,0),
/// (0,0,3)} + ℝ³₊ first at t = 6/5 (a = 3/5 on the segment), so λ = 1/(2t) = 5/12, m = 1.
/// With x − y replaced by x + y everywhere, u − v = z: the factors are dependent and the
/// certificate must be rejected.
#[test]
fn dependent_coordinate_factors_are_rejected() {
    // In the input's own coordinates (a sparser system would make the factors monomial).
    let p = Problem::parse(&spec("ideal", "(x + y + z)^2*z, (x - y)^3", None)).expect("valid");
    let budget = Budget {
        keep_coordinates: true,
        ..Budget::default()
    };
    let sol = solve_with_certificate(&p, &budget).expect("solve");
    let (Some(record), Answer::Exact(r)) = (&sol.resolution, &sol.answer) else {
        panic!("no exact certified answer");
    };
    let cert = certificate(record);
    assert_eq!(
        (r.lambda.clone(), r.multiplicity),
        (parse_rational("5/12"), 1)
    );
    let v = verify_str(&cert.to_string()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (v.lambda, v.multiplicity),
        (r.lambda.clone(), r.multiplicity)
    );
    let forged = cert
        .to_string()
        .replace("\"x - y\"", "\"x + y\"")
        .replace("(x - y)", "(x + y)")
        .replace(
            "x^3 - 3*x^2*y + 3*x*y^2 - y^3",
            "x^3 + 3*x^2*y + 3*x*y^2 + y^3",
        );
    assert!(forged.contains("\"x + y\""), "{forged}");
    let err = verify_str(&forged)
        .expect_err("dependent factors")
        .to_string();
    assert!(err.contains("determinant"), "{err}");
}

/// Weak dominance off the extreme hyperplanes (FORMAT.md Addendum 11). ⟨x³ + x·y·z⟩: the
/// blow-ups x = x, y = x·y, then x = x, z = x·z give x³·(1 + y·z) with y, z ∈ [−1, 1]; the
/// strict transform 1 + y·z vanishes on the box only at the corners (1, −1) and (−1, 1),
/// so it is a unit off {y = ±1}, and the translate children y = ±1 + y' recentre there
/// (1 + (±1 + y')·z has the root z = ∓1, one more translate, and y·z ± y ∓ z is then a
/// coordinate). λ = 1/2, m = 3 by hand: x·(x² + y·z) is Newton nondegenerate (x² + yz
/// has the gradient (2x, z, y), nonzero on the torus), its polyhedron has the vertex
/// (1, 1, 1) on the diagonal: t* = 1, λ = 1/(2t*) = 1/2, and that vertex is a face of
/// codimension 3.
#[test]
fn corner_zeros_are_excepted_and_checked() {
    let (cert, answer) = certified("ideal", "x^3 + x*y*z", None).expect("resolved");
    let r = answer.exact().expect("exact").clone();
    assert_eq!(
        (r.lambda.to_string(), r.multiplicity),
        ("1/2".to_string(), 3)
    );
    let v = verify_str(&cert.to_string()).expect("valid certificate");
    assert_eq!((v.lambda, v.multiplicity), (r.lambda.clone(), 3));
    let charts = cert["charts"].as_array().expect("charts").clone();
    // The leaf whose only generator is the unit 1 + y·z, excepting y = −1 and y = 1.
    let (leaf, except) = charts
        .iter()
        .enumerate()
        .find_map(|(i, c)| {
            (c["leaf"]["generators"] == serde_json::json!(["y*z + 1"]))
                .then(|| (i, c["leaf"]["except"].as_array().expect("except").clone()))
        })
        .expect("the corner leaf");
    assert_eq!(except.len(), 2, "{except:?}");
    let to = |id: &Value| {
        charts[id.as_u64().expect("id") as usize]["step"]["translate"]["to"]
            .as_str()
            .expect("translate")
            .to_string()
    };
    let mut ends: Vec<String> = except.iter().map(to).collect();
    ends.sort();
    assert_eq!(ends, ["-1", "1"]);
    // Forged: one corner hyperplane moved inside the box. 1 + y·z is then not proved a
    // unit at the leaf (its zero at y = 1, z = −1 is no longer excepted).
    for id in &except {
        let k = id.as_u64().expect("id") as usize;
        let mut bad = cert.clone();
        let coord = charts[k]["step"]["translate"]["coordinate"]
            .as_u64()
            .expect("coordinate") as usize;
        bad["charts"][k]["step"]["translate"]["to"] = serde_json::json!("1/2");
        bad["charts"][k]["substitution"][coord] = serde_json::json!("y + 1/2");
        let e = verify_str(&bad.to_string()).expect_err("a corner is not excepted");
        assert!(
            e.to_string().contains(&format!("chart {leaf}")),
            "expected the corner leaf {leaf} to fail: {e}"
        );
    }
    // A flipped exponent of the leaf's monomial breaks identity 1.
    let mut flipped = cert.clone();
    flipped["charts"][leaf]["leaf"]["monomial"][0] = serde_json::json!(2);
    assert!(verify_str(&flipped.to_string()).is_err());
}

/// The merged-unit local model with tanh powers, ⟨a_1 + Σ_{h=2}^4 a_h·(1 + d_h)^{2k−1} :
/// k = 1..4⟩ (BENCHMARKS, where tanh H = 4 stops): the rescalings a_h' = a_h·(1 + d_h) and
/// the reparametrisations e_h = d_h² + 2·d_h (FORMAT.md Addendum 12) make it ⟨a_1'⟩ ⊕
/// Vandermonde H = 3: λ = 1/2 + 1, m = 1 + 2 − 1 (zeta functions of disjoint variables
/// multiply; Vandermonde H = 3 = 1, m = 2 from cases.tsv).
fn merged_units_certificate() -> Value {
    let gens: Vec<String> = (1..=4)
        .map(|k| {
            let mut g = vec!["a1".to_string()];
            g.extend((2..=4).map(|h| format!("a{h}*(1 + d{h})^{}", 2 * k - 1)));
            g.join(" + ")
        })
        .collect();
    let (cert, answer) = certified("ideal", &gens.join(", "), None).expect("resolved");
    let r = answer.exact().expect("exact").clone();
    assert_eq!(
        (r.lambda.to_string(), r.multiplicity),
        ("3/2".to_string(), 2)
    );
    cert
}

/// The first forward chart whose image changes coordinate `name` to `image`.
fn forward_chart(cert: &Value, name: &str, image: &str) -> usize {
    let charts = cert["charts"].as_array().expect("charts");
    charts
        .iter()
        .position(|c| {
            let names = c["coordinates"].as_array().expect("names");
            let k = names.iter().position(|n| n == name).expect("coordinate");
            c["step"]["forward"]["image"][k] == serde_json::json!(image)
        })
        .unwrap_or_else(|| panic!("no forward chart with {name} ↦ {image}"))
}

/// Addendum 12: forward coordinate changes are re-checked, and forged ones rejected.
#[test]
fn forward_changes_are_checked() {
    let cert = merged_units_certificate();
    let v = verify_str(&cert.to_string()).expect("valid certificate");
    assert_eq!(
        (v.lambda.to_string(), v.multiplicity),
        ("3/2".to_string(), 2)
    );
    let rescale = forward_chart(&cert, "a2", "a2*d2 + a2");
    let repar = forward_chart(&cert, "d2", "d2^2 + 2*d2");
    let k_of = |id: usize, name: &str| {
        cert["charts"][id]["coordinates"]
            .as_array()
            .expect("names")
            .iter()
            .position(|n| n == name)
            .expect("coordinate")
    };
    let rejected = |bad: &Value, chart: usize, needle: &str| {
        let e = verify_str(&bad.to_string()).expect_err("forged certificate accepted");
        let text = e.to_string();
        assert!(text.contains(&format!("chart {chart}")), "{text}");
        assert!(text.contains(needle), "'{needle}' not in: {text}");
    };
    // A non-unit derivative: e = d² is no coordinate change near d = 0.
    let mut bad = cert.clone();
    bad["charts"][repar]["step"]["forward"]["image"][k_of(repar, "d2")] = serde_json::json!("d2^2");
    rejected(&bad, repar, "∂ψ");
    // Not triangular: the image of a2 involves a3, which the same step changes.
    let mut bad = cert.clone();
    bad["charts"][rescale]["step"]["forward"]["image"][k_of(rescale, "a2")] =
        serde_json::json!("a2*d2 + a2 + a2*a3");
    rejected(&bad, rescale, "not triangular");
    // A changed coordinate that is not divisible by itself (ψ would move C): read as an
    // affine step (Addendum 13), which changes exactly one coordinate; this one changes three.
    let mut bad = cert.clone();
    bad["charts"][rescale]["step"]["forward"]["image"][k_of(rescale, "a2")] =
        serde_json::json!("a2 + d2");
    rejected(&bad, rescale, "exactly one coordinate");
    // A wrong child generator: identity (B) fails.
    let mut bad = cert.clone();
    let g = bad["charts"][rescale]["step"]["forward"]["inputs"][1]
        .as_str()
        .expect("input")
        .to_string();
    bad["charts"][rescale]["step"]["forward"]["inputs"][1] =
        serde_json::json!(format!("{g} + a2*d2^2"));
    rejected(&bad, rescale, "forward step");
    // A flipped exponent of the new base weight: the parent's identity 3 fails.
    let mut bad = cert.clone();
    bad["charts"][rescale]["step"]["forward"]["weight"][0] = serde_json::json!(1);
    rejected(&bad, rescale, "identity 3");
    // A range that is not the parent's.
    let mut bad = cert.clone();
    bad["charts"][rescale]["ranges"][k_of(rescale, "a2")] = serde_json::json!(["-1", "1"]);
    rejected(&bad, rescale, "ranges");
    // The identity map is no forward step; a substitution is not allowed on one.
    let mut bad = cert.clone();
    for k in 0..7 {
        let name = cert["charts"][rescale]["coordinates"][k].clone();
        bad["charts"][rescale]["step"]["forward"]["image"][k] = name;
    }
    rejected(&bad, rescale, "must change a coordinate");
    let mut bad = cert.clone();
    bad["charts"][rescale]["substitution"] = cert["charts"][rescale]["coordinates"].clone();
    rejected(&bad, rescale, "substitution");
    // A leaf below a forward step is checked against the new base: a changed generator
    // breaks its identities (with F = B∘map).
    let leaf = (repar..cert["charts"].as_array().expect("charts").len())
        .find(|&i| cert["charts"][i]["leaf"].is_object())
        .expect("a leaf below the reparametrisation");
    let mut bad = cert.clone();
    let g = bad["charts"][leaf]["leaf"]["generators"][0]
        .as_str()
        .expect("generator")
        .to_string();
    let x = cert["charts"][leaf]["coordinates"][0]
        .as_str()
        .expect("name")
        .to_string();
    bad["charts"][leaf]["leaf"]["generators"][0] = serde_json::json!(format!("{g} + {x}^5"));
    rejected(&bad, leaf, "identity");
}

/// The first forward chart that changes a coordinate bounded in its parent (Addendum 13).
fn affine_forward_chart(cert: &Value) -> (usize, usize) {
    let charts = cert["charts"].as_array().expect("charts");
    charts
        .iter()
        .enumerate()
        .find_map(|(id, c)| {
            let image = c["step"]["forward"]["image"].as_array()?;
            let parent = &charts[c["parent"].as_u64()? as usize];
            let names = c["coordinates"].as_array()?;
            (0..names.len())
                .find(|&k| image[k] != names[k] && !parent["ranges"][k].is_null())
                .map(|k| (id, k))
        })
        .expect("a forward step on a bounded coordinate")
}

/// Addendum 13, bounded case. ⟨y·(2x + z) + x² + t², x³⟩: after the blow-up of {z, t}
/// (chart t) the strict transform y·z + x² + 1 of the first generator is affine in the
/// bounded y with the slope z, a unit off {z = 0}, and not constant: it becomes the
/// coordinate. The value: z ↦ z − 2x gives ⟨x² + y·z + t², x³⟩; near the smooth points of
/// {x = 0, y·z + t² = 0} the ideal is ⟨u, x³⟩ (u = x² + y·z + t² a coordinate), so
/// λ = 1/2 + 1/6 = 2/3, m = 1 (sum rule for disjoint variables); the Monte Carlo witness
/// (`rlct mc --ideal "x^2 + y*z + t^2, x^3" --seed 1`) gives λ̂ = 0.668 ± 0.003.
#[test]
fn unit_affine_forward_changes_are_checked() {
    let (cert, answer) = certified("ideal", "y*(2*x+z) + x^2 + t^2, x^3", None).expect("resolved");
    let r = answer.exact().expect("exact").clone();
    assert_eq!(
        (r.lambda.to_string(), r.multiplicity),
        ("2/3".to_string(), 1)
    );
    let v = verify_str(&cert.to_string()).expect("valid certificate");
    assert_eq!(
        (v.lambda.to_string(), v.multiplicity),
        ("2/3".to_string(), 1)
    );
    let (id, i) = affine_forward_chart(&cert);
    let y = cert["charts"][id]["coordinates"][i]
        .as_str()
        .expect("name")
        .to_string();
    let image = cert["charts"][id]["step"]["forward"]["image"][i]
        .as_str()
        .expect("image")
        .to_string();
    let rejected = |bad: &Value, needle: &str| {
        let e = verify_str(&bad.to_string()).expect_err("forged certificate accepted");
        let text = e.to_string();
        assert!(text.contains(&format!("chart {id}")), "{text}");
        assert!(text.contains(needle), "'{needle}' not in: {text}");
    };
    let forged = |f: &dyn Fn(&mut Value)| {
        let mut bad = cert.clone();
        f(&mut bad["charts"][id]);
        bad
    };
    // The slope involves y_i: ψ_i is no longer affine in y_i.
    rejected(
        &forged(&|c| c["step"]["forward"]["image"][i] = format!("{y}*({image})").into()),
        "not affine",
    );
    // A slope that vanishes on the box: x + 1/2 at x = −1/2 ∈ [−1, 1] (the image's
    // enclosure [0, 3] still fits the range).
    let kx = cert["charts"][id]["coordinates"]
        .as_array()
        .expect("names")
        .iter()
        .position(|n| n == "x")
        .expect("x");
    assert!(cert["charts"][id]["ranges"][kx].is_array(), "x bounded");
    rejected(
        &forged(&|c| c["step"]["forward"]["image"][i] = format!("{y}*(x + 1/2) + 3/2").into()),
        "slope",
    );
    // A range that does not contain the image of C.
    rejected(
        &forged(&|c| c["ranges"][i] = serde_json::json!(["0", "1"])),
        "must contain",
    );
    // y_i a divisor of the prior × Jacobian: J_i > 0.
    rejected(
        &forged(&|c| c["step"]["forward"]["weight"][i] = serde_json::json!(1)),
        "must be 0",
    );
    // U' involving y_i on C (identity (A) kept exact by scaling T' too): at the extra
    // points of the child's C it might vanish.
    rejected(
        &forged(&|c| {
            let unit = format!("1 + {y}^2");
            c["step"]["forward"]["input_unit"] = unit.clone().into();
            let t = c["step"]["forward"]["to_input"].clone();
            for (a, row) in t.as_array().expect("T'").iter().enumerate() {
                for (b, e) in row.as_array().expect("row").iter().enumerate() {
                    let e = e.as_str().expect("entry");
                    c["step"]["forward"]["to_input"][a][b] = format!("({e})*({unit})").into();
                }
            }
        }),
        "involves the changed bounded coordinate",
    );
    // Two changed coordinates, one of them bounded.
    let other = (0..4)
        .find(|&k| k != i && cert["charts"][id]["ranges"][k].is_null())
        .expect("a small coordinate");
    let name = cert["charts"][id]["coordinates"][other]
        .as_str()
        .expect("name")
        .to_string();
    rejected(
        &forged(&|c| c["step"]["forward"]["image"][other] = format!("{name} + {name}^2").into()),
        "exactly one coordinate",
    );
    // A corrupted leaf below the step: its identities are checked against the new base.
    let leaf = (id..cert["charts"].as_array().expect("charts").len())
        .find(|&k| {
            cert["charts"][k]["leaf"].is_object() && {
                // below the forward chart
                let mut at = k;
                loop {
                    if at == id {
                        break true;
                    }
                    match cert["charts"][at]["parent"].as_u64() {
                        Some(p) => at = p as usize,
                        None => break false,
                    }
                }
            }
        })
        .expect("a leaf below the step");
    let mut bad = cert.clone();
    bad["charts"][leaf]["leaf"]["monomial"][other] = serde_json::json!(7);
    let e = verify_str(&bad.to_string()).expect_err("corrupted leaf accepted");
    assert!(e.to_string().contains(&format!("chart {leaf}")), "{e}");
}

/// Addendum 13, small case, by hand: x ↦ x·(1 + y) + y² makes the smooth generator
/// f = x + x·y + y² the coordinate (slope 1 + y, a unit at the origin; r = y² vanishes
/// there): λ = 1/2, m = 1. Forged: r not vanishing on C, J_x > 0.
#[test]
fn unit_affine_small_coordinate_by_hand() {
    let cert = serde_json::json!({
        "format": "rlct-certificate/1", "variables": ["x", "y"], "kind": "ideal",
        "generators": ["x + x*y + y^2"], "weight": [0, 0], "lambda": "1/2", "multiplicity": 1,
        "charts": [
            {"id": 0, "parent": null, "coordinates": ["x", "y"], "step": "root",
             "substitution": null, "ranges": [null, null],
             "cover": {"kind": "split", "children": [1]}, "leaf": null},
            {"id": 1, "parent": 0, "coordinates": ["x", "y"],
             "step": {"forward": {"image": ["x*y + x + y^2", "y"], "inputs": ["x"],
                 "weight": [0, 0], "to_input": [["1"]], "to_chart": [["1"]],
                 "input_unit": "1", "jacobian_unit": "1"}},
             "substitution": null, "ranges": [null, null], "cover": {"kind": "leaf"},
             "leaf": {"generators": ["x"], "monomial": [0, 0], "unit": "1",
                 "to_input": [["1"]], "to_chart": [["1"]], "jacobian": [0, 0],
                 "jacobian_unit": "1", "except": [], "lambda": "1/2", "multiplicity": 1}}
        ]
    });
    let v = verify_str(&cert.to_string()).expect("valid certificate");
    assert_eq!(
        (v.lambda.to_string(), v.multiplicity),
        ("1/2".to_string(), 1)
    );
    let mut bad = cert.clone();
    bad["charts"][1]["step"]["forward"]["image"][0] = "x*y + x + y^2 + y*0 + 1".into();
    let e = verify_str(&bad.to_string()).expect_err("r ≠ 0 on C accepted");
    assert!(e.to_string().contains("does not vanish on C"), "{e}");
    let mut bad = cert.clone();
    bad["charts"][1]["step"]["forward"]["weight"][0] = serde_json::json!(1);
    let e = verify_str(&bad.to_string()).expect_err("J_x > 0 accepted");
    assert!(e.to_string().contains("must be 0"), "{e}");
}

/// Free coordinates (FORMAT.md Addendum 13), by hand: ⟨x⟩ blown up at the origin; in the
/// chart (x, x·y) a forward rescaling x ↦ x·s (Addendum 12), then a change of the bounded y
/// (an affine forward step y ↦ 2y, or a shift y ↦ y/2). With s = 2 the rescaling's units do
/// not involve y, y stays free, and both are accepted (λ = 1/2 from the other chart, m = 1).
/// With s = 2 + y its units involve y: outside y's range nothing is known, so neither step
/// may enlarge y's range.
#[test]
fn free_coordinates_are_checked() {
    let build = |scale: &str, last: &str| -> Value {
        let leaf = |gens: &str, jac: [u32; 2], v: &str, lambda: &str| {
            serde_json::json!({"generators": [gens], "monomial": [0, 0], "unit": "1",
                "to_input": [["1"]], "to_chart": [["1"]], "jacobian": jac,
                "jacobian_unit": v, "except": [], "lambda": lambda, "multiplicity": 1})
        };
        let (step, substitution, v) = if last == "forward" {
            (
                serde_json::json!({"forward": {"image": ["x", "2*y"], "inputs": ["x"],
                    "weight": [1, 0], "to_input": [["1"]], "to_chart": [["1"]],
                    "input_unit": "1", "jacobian_unit": "1"}}),
                Value::Null,
                "1",
            )
        } else {
            (
                serde_json::json!({"shift": {"coordinate": 1}}),
                serde_json::json!(["x", "1/2*y"]),
                "1/2",
            )
        };
        serde_json::json!({
            "format": "rlct-certificate/1", "variables": ["x", "y"], "kind": "ideal",
            "generators": ["x"], "weight": [0, 0], "lambda": "1/2", "multiplicity": 1,
            "charts": [
                {"id": 0, "parent": null, "coordinates": ["x", "y"], "step": "root",
                 "substitution": null, "ranges": [null, null],
                 "cover": {"kind": "split", "children": [1, 2]}, "leaf": null},
                {"id": 1, "parent": 0, "coordinates": ["x", "y"],
                 "step": {"blowup": {"centre": [0, 1], "chart": 0}},
                 "substitution": ["x", "x*y"], "ranges": [null, ["-1", "1"]],
                 "cover": {"kind": "split", "children": [3]}, "leaf": null},
                {"id": 2, "parent": 0, "coordinates": ["x", "y"],
                 "step": {"blowup": {"centre": [0, 1], "chart": 1}},
                 "substitution": ["x*y", "y"], "ranges": [["-1", "1"], null],
                 "cover": {"kind": "leaf"}, "leaf": leaf("x*y", [0, 1], "1", "1/2")},
                {"id": 3, "parent": 1, "coordinates": ["x", "y"],
                 "step": {"forward": {"image": [format!("x*({scale})"), "y"], "inputs": ["x"],
                     "weight": [1, 0], "to_input": [["1"]], "to_chart": [[scale]],
                     "input_unit": scale, "jacobian_unit": "1"}},
                 "substitution": null, "ranges": [null, ["-1", "1"]],
                 "cover": {"kind": "split", "children": [4]}, "leaf": null},
                {"id": 4, "parent": 3, "coordinates": ["x", "y"], "step": step,
                 "substitution": substitution, "ranges": [null, ["-2", "2"]],
                 "cover": {"kind": "leaf"}, "leaf": leaf("x", [1, 0], v, "1")}
            ]
        })
    };
    for last in ["forward", "shift"] {
        let v = verify_str(&build("2", last).to_string())
            .unwrap_or_else(|e| panic!("{last} of a free coordinate rejected: {e}"));
        assert_eq!(
            (v.lambda.to_string(), v.multiplicity),
            ("1/2".to_string(), 1)
        );
        let e = verify_str(&build("2 + y", last).to_string())
            .expect_err("a bound coordinate's range enlarged");
        let text = e.to_string();
        assert!(
            text.contains("chart 4") && text.contains("not free"),
            "{last}: {text}"
        );
    }
}

/// A change of coordinates found by the engine before the resolution (sparsification)
/// is written as `coordinate` charts between the root and the tree, and a change of
/// generating set is folded into the leaves' T and S: the checker re-verifies both with
/// its existing rules. Values: x²y² + (z − y²)⁴ is x²y² + z⁴ after z ↦ z + y² (sum rule:
/// 1/2 + 1/4, m = 2); the second input is ⟨ab + cd, ab³ + cd³⟩ (the tanh-H2 row, λ = 2/3,
/// m = 1) after b ↦ b + 2d and f₂ += a·f₁.
#[test]
fn sparsified_certificates_are_checked() {
    let poly = "x^2*y^2 + (z - y^2)^4";
    let ideal = "a*(b + 2*d) + c*d, a*(b + 2*d)^3 + c*d^3 + a*(a*(b + 2*d) + c*d)";
    for (kind, input, lambda, m) in [("poly", poly, "3/4", 2), ("ideal", ideal, "2/3", 1)] {
        let Some((cert, Answer::Exact(r))) = certified(kind, input, None) else {
            panic!("{input}: no exact certified answer");
        };
        assert_eq!(
            (r.lambda.clone(), r.multiplicity),
            (parse_rational(lambda), m),
            "{input}"
        );
        // The root is followed by the change of coordinates.
        assert!(
            cert["charts"][1]["step"].get("coordinate").is_some(),
            "{input}: {}",
            cert["charts"][1]
        );
        let v = verify_str(&cert.to_string()).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!((v.lambda, v.multiplicity), (r.lambda, r.multiplicity));
    }
    let Some((cert, _)) = certified("poly", poly, None) else {
        panic!("no certificate");
    };
    let sub = cert["charts"][1]["substitution"].clone();
    let changed = sub
        .as_array()
        .and_then(|s| {
            s.iter()
                .position(|p| p.as_str().is_some_and(|p| p.contains('^')))
        })
        .expect("a polynomial shift");
    let rejects = |edit: &dyn Fn(&mut Value)| {
        let mut bad = cert.clone();
        edit(&mut bad);
        assert!(verify_str(&bad.to_string()).is_err(), "accepted: {bad}");
    };
    // A forged change (another shift), a change that is not triangular, one that does
    // not fix the origin, and a dropped change chart all break the leaf identities or
    // the step rules.
    rejects(&|v| v["charts"][1]["substitution"][changed] = "2*y^2 + z".into());
    rejects(&|v| v["charts"][1]["substitution"][changed] = "y^2 + z + z^2".into());
    rejects(&|v| v["charts"][1]["substitution"][changed] = "y^2 + z + 1".into());
    rejects(&|v| v["charts"][1]["substitution"][changed] = "y^2 + 2*z".into());
    // The change written as the identity: the tree no longer matches the input.
    rejects(&|v| {
        v["charts"][1]["substitution"][changed] = ["x", "y", "z"][changed].into();
    });
    // The generator mix: the input generators must be the user's, and T must carry the
    // mix (here: a leaf's T replaced by the identity rows of the unmixed tree).
    let Some((cert, _)) = certified("ideal", ideal, None) else {
        panic!("no certificate");
    };
    let mut bad = cert.clone();
    bad["generators"][1] = "a*b^3 + c*d^3".into();
    assert!(verify_str(&bad.to_string()).is_err());
    let leaf = leaves(&cert)[0];
    let mut bad = cert.clone();
    let rows = bad["charts"][leaf]["leaf"]["to_input"].clone();
    bad["charts"][leaf]["leaf"]["to_input"][1] = rows[0].clone();
    assert!(verify_str(&bad.to_string()).is_err());
}

/// A product B·M·A of two 2×2 blocks through a matrix of units M = [[1 + p, q], [q, 1]]
/// (no new rule: `src/resolve/coefficient.rs`). The coefficient of a_1j in the entries of
/// row i, (1 + p)·b_i1 + q·b_i2, is affine in b_i1 with the unit slope 1 + p: it becomes
/// the coordinate (FORMAT.md Addendum 13, small case), and the coefficients of b_i2 then
/// share the unit det M/(1 + p) (a rescaling, Addendum 12). Two such pairs leave ⟨B'·A⟩,
/// the 2×2×2 reduced-rank regression of true rank 0: λ = 3/2, m = 1 (Aoyagi & Watanabe
/// 2005), with p and q free. Both steps are ordinary forward steps for the checker, which
/// rejects forged ones.
#[test]
fn coefficient_changes_are_checked() {
    let ideal = "(1 + p)*b11*a11 + q*b11*a21 + q*b12*a11 + b12*a21, \
                 (1 + p)*b11*a12 + q*b11*a22 + q*b12*a12 + b12*a22, \
                 (1 + p)*b21*a11 + q*b21*a21 + q*b22*a11 + b22*a21, \
                 (1 + p)*b21*a12 + q*b21*a22 + q*b22*a12 + b22*a22";
    let Some((cert, Answer::Exact(r))) = certified("ideal", ideal, None) else {
        panic!("no exact certified answer");
    };
    assert_eq!(
        (r.lambda.to_string(), r.multiplicity),
        ("3/2".to_string(), 1)
    );
    let v = verify_str(&cert.to_string()).expect("valid certificate");
    assert_eq!(
        (v.lambda.to_string(), v.multiplicity),
        ("3/2".to_string(), 1)
    );
    // The first forward step changes one coordinate to an image that is not divisible by
    // it (an affine change), the next one rescales.
    let charts = cert["charts"].as_array().expect("charts");
    let changed = |id: usize| -> Vec<usize> {
        let names = charts[id]["coordinates"].as_array().expect("names");
        (0..names.len())
            .filter(|&k| charts[id]["step"]["forward"]["image"][k] != names[k])
            .collect()
    };
    let affine = (0..charts.len())
        .find(|&id| charts[id]["step"].get("forward").is_some())
        .expect("a forward step");
    let [i] = changed(affine)[..] else {
        panic!("one changed coordinate")
    };
    let rescaling = charts[affine]["cover"]["children"][0]
        .as_u64()
        .expect("a child") as usize;
    assert!(
        charts[rescaling]["step"].get("forward").is_some(),
        "{}",
        charts[rescaling]["step"]
    );
    let k = changed(rescaling)[0];
    let rejected = |bad: &Value, chart: usize| {
        let e = verify_str(&bad.to_string()).expect_err("forged certificate accepted");
        assert!(e.to_string().contains(&format!("chart {chart}")), "{e}");
    };
    let image = charts[affine]["step"]["forward"]["image"][i]
        .as_str()
        .expect("image")
        .to_string();
    // A rest that does not vanish on C: ψ moves the true point.
    let mut bad = cert.clone();
    bad["charts"][affine]["step"]["forward"]["image"][i] = format!("{image} + 1").into();
    rejected(&bad, affine);
    // A slope that vanishes at the true point: y_i·(image) is no change of coordinates.
    let y = charts[affine]["coordinates"][i]
        .as_str()
        .expect("name")
        .to_string();
    let mut bad = cert.clone();
    bad["charts"][affine]["step"]["forward"]["image"][i] = format!("{y}*({image})").into();
    rejected(&bad, affine);
    // A forged new generator: identity (A)/(B) of the step fails.
    let mut bad = cert.clone();
    let g = charts[affine]["step"]["forward"]["inputs"][0]
        .as_str()
        .expect("input")
        .to_string();
    bad["charts"][affine]["step"]["forward"]["inputs"][0] = format!("{g} + {y}^3").into();
    rejected(&bad, affine);
    // The rescaling by a non-unit: y_k·y_k is no coordinate.
    let z = charts[rescaling]["coordinates"][k]
        .as_str()
        .expect("name")
        .to_string();
    let mut bad = cert.clone();
    bad["charts"][rescaling]["step"]["forward"]["image"][k] = format!("{z}^2").into();
    rejected(&bad, rescaling);
    // A rescaled generator doubled: identity (A) of the rescaling fails (T' is unchanged).
    let mut bad = cert.clone();
    let g = charts[rescaling]["step"]["forward"]["inputs"][1]
        .as_str()
        .expect("input")
        .to_string();
    bad["charts"][rescaling]["step"]["forward"]["inputs"][1] = format!("2*({g})").into();
    rejected(&bad, rescaling);
}

/// Generators coprime to a transverse factor (FORMAT.md Addendum 14), by hand.
/// The point blow-up of ⟨x^{2+e} − 2x^e·y², x² − 3y²⟩. In the chart
/// x (y = x·y, y ∈ [−1, 1], J = x), α = x²: G_1 = x^e·(1 − 2y²), listed by the transverse
/// factor U = 1 − 2y² (zeros ±1/√2), and G_2 = 1 − 3y² (zeros ±1/√3: neither a unit nor a
/// multiple of U). 3·U − 2·(1 − 3y²) = 1, so 1 − 3y² is a unit near the zeros of U; where
/// U ≠ 0, G_1 is x^e·unit. With e = 0 (the ideal ⟨x², y²⟩, λ = 1/2, m = 1) G_1's monomial
/// 1 divides G_2's, the local ideal is ⟨x²⟩ at every point, and the leaf is accepted. With
/// e = 1 it is not: at y = 1/√3 the ideal is x²·⟨x, 1 − 3y²⟩, a crossing of two
/// coordinates (λ = 1/2 with m = 2 there), which counting G_2 as monomial type (m = 1)
/// would hide; the checker rejects it because x^1 does not divide G_2's monomial 1.
fn coprime_by_hand(e: u32, coprime: Value) -> Value {
    let g1 = if e == 0 {
        "x^2 - 2*y^2".to_string()
    } else {
        format!("x^{} - 2*x^{e}*y^2", 2 + e)
    };
    let (c1, c2) = (
        format!("x^{e} - 2*x^{e}*y^2"),
        format!("x^{}*y^{e} - 2*x^{e}*y^{e}", 2 + e),
    );
    serde_json::json!({
        "format": "rlct-certificate/1", "variables": ["x", "y"], "kind": "ideal",
        "generators": [g1, "x^2 - 3*y^2"], "weight": [0, 0], "lambda": "1/2",
        "multiplicity": 1,
        "charts": [
            {"id": 0, "parent": null, "coordinates": ["x", "y"], "step": "root",
             "substitution": null, "ranges": [null, null],
             "cover": {"kind": "split", "children": [1, 2]}, "leaf": null},
            {"id": 1, "parent": 0, "coordinates": ["x", "y"],
             "step": {"blowup": {"centre": [0, 1], "chart": 0}},
             "substitution": ["x", "x*y"], "ranges": [null, ["-1", "1"]],
             "cover": {"kind": "leaf"},
             "leaf": {"generators": [c1, "1 - 3*y^2"], "monomial": [2, 0], "unit": "1",
                 "to_input": [["1", "0"], ["0", "1"]], "to_chart": [["1", "0"], ["0", "1"]],
                 "jacobian": [1, 0], "jacobian_unit": "1", "except": [],
                 "transverse": {"factor": "1 - 2*y^2", "generators": [0],
                     "witness": {"signs": [["0", "0"], ["0", "1"]]},
                     "nonsingular": "univariate", "coprime": coprime},
                 "lambda": "1/2", "multiplicity": 1}},
            {"id": 2, "parent": 0, "coordinates": ["x", "y"],
             "step": {"blowup": {"centre": [0, 1], "chart": 1}},
             "substitution": ["x*y", "y"], "ranges": [["-1", "1"], null],
             "cover": {"kind": "leaf"},
             "leaf": {"generators": [c2, "x^2 - 3"], "monomial": [0, 2], "unit": "1",
                 "to_input": [["1", "0"], ["0", "1"]], "to_chart": [["1", "0"], ["0", "1"]],
                 "jacobian": [0, 1], "jacobian_unit": "1", "except": [],
                 "lambda": "1/2", "multiplicity": 1}}
        ]
    })
}

#[test]
fn coprime_generators_are_checked() {
    let good = serde_json::json!([{"generator": 1, "multipliers": ["3", "-2"]}]);
    let v = verify_str(&coprime_by_hand(0, good.clone()).to_string())
        .expect("coprime generator accepted");
    assert_eq!((v.lambda.to_string(), v.multiplicity), ("1/2".into(), 1));
    let rejected = |cert: Value, needle: &str| {
        let e = verify_str(&cert.to_string()).expect_err("forgery accepted");
        let text = e.to_string();
        assert!(
            text.contains("chart 1") && text.contains(needle),
            "{needle}: {text}"
        );
    };
    // Without the proof, 1 − 3y² is neither a unit nor redundant.
    rejected(coprime_by_hand(0, serde_json::json!([])), "generator 1");
    // U − (1 − 3y²) = y² vanishes at y = 0: not a proof.
    rejected(
        coprime_by_hand(
            0,
            serde_json::json!([{"generator": 1, "multipliers": ["1", "-1"]}]),
        ),
        "not shown nonzero",
    );
    // A listed generator cannot also be coprime, and the index must exist.
    rejected(
        coprime_by_hand(
            0,
            serde_json::json!([{"generator": 0, "multipliers": ["1", "0"]}]),
        ),
        "coprime generator 0",
    );
    rejected(
        coprime_by_hand(
            0,
            serde_json::json!([{"generator": 2, "multipliers": ["1", "0"]}]),
        ),
        "coprime generator 2",
    );
    rejected(
        coprime_by_hand(
            0,
            serde_json::json!([{"generator": 1, "multipliers": ["3"]}]),
        ),
        "two multipliers",
    );
    // The identity holds with e = 1 too, but the listed generator's monomial x does not
    // divide the coprime one's: rejected (the claimed m = 1 would be wrong at y = 1/√3).
    rejected(coprime_by_hand(1, good), "counted coordinates");
}

/// Joint factors (FORMAT.md Addendum 15) and coprime generators (Addendum 14), by hand:
/// the point blow-up of the smooth curve ⟨y − z, y + z − x⟩ (λ = 1, m = 1).
/// - Chart x (y = x·y, z = x·z; α = x, J = x²): ⟨y − z, y + z − 1⟩, two lines of the box
///   crossing at (1/2, 1/2). They share their variables, so Addendum 2 does not apply; as
///   joint factors replacing (y, z) (Jacobian determinant 2) the leaf is ⟨w'_1, w'_2⟩·x:
///   τ = (3, 1, 1, 1, 1), t* = 1/2, λ = 1, m = 1.
/// - Chart y (x = y·x, z = y·z; α = y, J = y²): ⟨1 − z, 1 + z − x⟩. 1 + z − x is a
///   transverse line; 1 − z vanishes only at z = 1, where 1 + z − x = 2 − x ≠ 0:
///   (1 + z − x) + (1 − z) = 2 − x, so 1 − z is coprime to it (λ = 3/2). Chart z alike.
fn joint_by_hand() -> Value {
    let leaf = |gens: [&str; 2], alpha: [u32; 3], jac: [u32; 3], t: Value, lambda: &str| {
        serde_json::json!({"generators": gens, "monomial": alpha, "unit": "1",
            "to_input": [["1", "0"], ["0", "1"]], "to_chart": [["1", "0"], ["0", "1"]],
            "jacobian": jac, "jacobian_unit": "1", "except": [], "transverse": t,
            "lambda": lambda, "multiplicity": 1})
    };
    let joint = |f: &str, j: usize| {
        serde_json::json!({"factor": f, "generators": [j], "nonsingular": "joint",
            "witness": {"joint": {"coordinate": j + 1, "zero": ["0", "1/2", "1/2"]}}})
    };
    let chart = |id: usize, i: usize, subst: [&str; 3], leaf: Value| {
        let ranges: Vec<Value> = (0..3)
            .map(|k| {
                if k == i {
                    Value::Null
                } else {
                    serde_json::json!(["-1", "1"])
                }
            })
            .collect();
        serde_json::json!({"id": id, "parent": 0, "coordinates": ["x", "y", "z"],
            "step": {"blowup": {"centre": [0, 1, 2], "chart": i}},
            "substitution": subst, "ranges": ranges, "cover": {"kind": "leaf"}, "leaf": leaf})
    };
    serde_json::json!({
        "format": "rlct-certificate/1", "variables": ["x", "y", "z"], "kind": "ideal",
        "generators": ["y - z", "y + z - x"], "weight": [0, 0, 0], "lambda": "1",
        "multiplicity": 1,
        "charts": [
            {"id": 0, "parent": null, "coordinates": ["x", "y", "z"], "step": "root",
             "substitution": null, "ranges": [null, null, null],
             "cover": {"kind": "split", "children": [1, 2, 3]}, "leaf": null},
            chart(1, 0, ["x", "x*y", "x*z"], leaf(["y - z", "y + z - 1"], [1, 0, 0], [2, 0, 0],
                serde_json::json!([joint("y - z", 0), joint("y + z - 1", 1)]), "1")),
            chart(2, 1, ["x*y", "y", "y*z"], leaf(["1 - z", "1 + z - x"], [0, 1, 0], [0, 2, 0],
                serde_json::json!({"factor": "1 + z - x", "generators": [1],
                    "witness": {"zero": ["1/2", "0", "-1/2"]}, "nonsingular": "constant_derivative",
                    "coprime": [{"generator": 0, "multipliers": ["1", "1"]}]}), "3/2")),
            chart(3, 2, ["x*z", "y*z", "z"], leaf(["y - 1", "y + 1 - x"], [0, 0, 1], [0, 0, 2],
                serde_json::json!({"factor": "y + 1 - x", "generators": [1],
                    "witness": {"zero": ["1/2", "-1/2", "0"]}, "nonsingular": "constant_derivative",
                    "coprime": [{"generator": 0, "multipliers": ["1", "-1"]}]}), "3/2"))
        ]
    })
}

#[test]
fn joint_factors_are_checked() {
    let cert = joint_by_hand();
    let v = verify_str(&cert.to_string()).expect("joint factors accepted");
    assert_eq!((v.lambda.to_string(), v.multiplicity), ("1".into(), 1));
    let rejected = |edit: &dyn Fn(&mut Value), needle: &str| {
        let mut bad = cert.clone();
        edit(&mut bad);
        let e = verify_str(&bad.to_string()).expect_err("forgery accepted");
        let text = e.to_string();
        assert!(
            text.contains("chart 1") && text.contains(needle),
            "{needle}: {text}"
        );
    };
    let t = |c: &mut Value, k: usize| c["charts"][1]["leaf"]["transverse"][k].clone();
    // Not a common zero: y − z = 1/4 at (0, 1/2, 1/4).
    rejected(
        &|c| {
            for k in 0..2 {
                c["charts"][1]["leaf"]["transverse"][k]["witness"]["joint"]["zero"] =
                    serde_json::json!(["0", "1/2", "1/4"]);
            }
        },
        "not 0",
    );
    // The zeros must agree.
    rejected(
        &|c| {
            c["charts"][1]["leaf"]["transverse"][1]["witness"]["joint"]["zero"] =
                serde_json::json!(["0", "1/4", "3/4"])
        },
        "different zeros",
    );
    // x is a divisor (α, J): it cannot be replaced; nor can y twice.
    rejected(
        &|c| c["charts"][1]["leaf"]["transverse"][0]["witness"]["joint"]["coordinate"] = 0.into(),
        "divisor",
    );
    rejected(
        &|c| c["charts"][1]["leaf"]["transverse"][1]["witness"]["joint"]["coordinate"] = 1.into(),
        "used twice",
    );
    // The small coordinate x must be 0 at the zero.
    rejected(
        &|c| {
            for k in 0..2 {
                c["charts"][1]["leaf"]["transverse"][k]["witness"]["joint"]["zero"] =
                    serde_json::json!(["1", "1/2", "1/2"]);
            }
        },
        "outside the box",
    );
    // No mixing with an Addendum 1 factor, and the proof kind must be "joint".
    rejected(
        &|c| {
            let mut f = t(c, 1);
            f["witness"] = serde_json::json!({"zero": ["0", "1/2", "1/2"]});
            f["nonsingular"] = "constant_derivative".into();
            c["charts"][1]["leaf"]["transverse"][1] = f;
        },
        "joint",
    );
    rejected(
        &|c| c["charts"][1]["leaf"]["transverse"][0]["nonsingular"] = "quadratic".into(),
        "nonsingular",
    );
    // The leaf's value is recomputed: m = 2 is not what the two factors give.
    rejected(
        &|c| c["charts"][1]["leaf"]["multiplicity"] = 2.into(),
        "recomputed",
    );
    // A coprime proof in chart y whose R vanishes (a = 0, b = 1: R = 1 − z, zero at z = 1).
    let mut bad = cert.clone();
    bad["charts"][2]["leaf"]["transverse"]["coprime"][0]["multipliers"] =
        serde_json::json!(["0", "1"]);
    let e = verify_str(&bad.to_string()).expect_err("coprime forgery accepted");
    assert!(e.to_string().contains("not shown nonzero"), "{e}");
}

/// The engine writes coprime generators (Addendum 14): the deep linear network with three
/// 2×2 layers (λ = 3/2, m = 3, tests/models.rs) has leaves ⟨…, y^β·U, y^β'·Q⟩ where Q
/// (e.g. w3_2_1 − w3_1_1·w3_2_2) vanishes on a hypersurface of C but not at the zeros of the
/// transverse factor U. The checker accepts the certificate and rejects it when a coprime
/// identity is emptied (R = Q, not a unit) or names a listed generator.
#[test]
fn engine_coprime_certificates_are_checked() {
    let path = std::env::temp_dir().join(format!("rlct-coprime-{}.json", std::process::id()));
    let out = rlct(&[
        "exact",
        "models/deep-linear-2-2-2-2.toml",
        "--certificate",
        path.to_str().expect("path"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&path).expect("certificate");
    let _ = std::fs::remove_file(&path);
    let v = verify_str(&text).expect("engine certificate accepted");
    assert_eq!((v.lambda.to_string(), v.multiplicity), ("3/2".into(), 3));
    let cert: Value = serde_json::from_str(&text).expect("json");
    // The first factor with a coprime generator, as a JSON pointer.
    let found = cert["charts"]
        .as_array()
        .expect("charts")
        .iter()
        .enumerate()
        .find_map(|(id, c)| match &c["leaf"]["transverse"] {
            Value::Array(fs) => fs
                .iter()
                .position(|f| f.get("coprime").is_some())
                .map(|k| (id, format!("/charts/{id}/leaf/transverse/{k}"))),
            f if f.get("coprime").is_some() => Some((id, format!("/charts/{id}/leaf/transverse"))),
            _ => None,
        });
    let (id, pointer) = found.expect("a coprime generator in the certificate");
    let rejected = |edit: &dyn Fn(&mut Value), needle: &str| {
        let mut bad = cert.clone();
        edit(bad.pointer_mut(&pointer).expect("factor"));
        let e = verify_str(&bad.to_string()).expect_err("forgery accepted");
        let text = e.to_string();
        assert!(
            text.contains(&format!("chart {id}")) && text.contains(needle),
            "{needle}: {text}"
        );
    };
    rejected(
        &|f| f["coprime"][0]["multipliers"] = serde_json::json!(["0", "1"]),
        "not shown nonzero",
    );
    // A listed generator cannot be coprime to its own factor. (Removing the entry is no
    // forgery here: the resolver decides redundancy before the transverse stage adds its
    // exceptions at {y_j = 0}, so the checker may find the generator redundant anyway.)
    rejected(
        &|f| {
            let listed = f["generators"][0].clone();
            f["coprime"][0]["generator"] = listed;
        },
        "coprime generator",
    );
}
