//! The command line as users and scripts see it (INTERFACE.md): JSON fields, exit
//! statuses, one-line errors.

mod common;
use common::{json, rlct};

#[test]
fn exact_json_contract() {
    let v = json(&["exact", "--poly", "x^2*y^2", "--json"]);
    assert_eq!(v["lambda"], "1/2");
    assert_eq!(v["multiplicity"], 2);
    assert_eq!(v["status"], "exact");
    assert_eq!(v["lower"], "1/2");
    assert_eq!(v["upper"], "1/2");
    assert!(v["reason"].is_null());
    assert_eq!(v["variables"], serde_json::json!(["x", "y"]));
    assert_eq!(v["charts"], 0);
    assert!(v["seconds"].as_f64().is_some());
    assert!(v["method"].is_string());

    let v = json(&["exact", "--poly", "x^2+y^2+z^2", "--json"]);
    assert_eq!(
        (v["lambda"].as_str(), v["multiplicity"].as_u64()),
        (Some("3/2"), Some(1))
    );
}

#[test]
fn bounds_json_contract() {
    // A resolution budget of one chart cannot finish the cusp: proved bounds remain.
    let v = json(&[
        "exact",
        "--poly",
        "(x^2 - y^3)^2",
        "--max-charts",
        "1",
        "--json",
    ]);
    assert_eq!(v["status"], "bounds");
    assert!(v["lambda"].is_null());
    assert!(v["multiplicity"].is_null());
    assert!(v["reason"].as_str().is_some_and(|r| r.contains("budget")));
    // 1/4 = 1/ord K ≤ λ = 5/12 ≤ Newton bound 5/12.
    assert_eq!(v["lower"], "1/4");
    assert_eq!(v["upper"], "5/12");
    let v = json(&["exact", "--poly", "(x^2 - y^3)^2", "--json"]);
    assert_eq!(
        (v["lambda"].as_str(), v["multiplicity"].as_u64()),
        (Some("5/12"), Some(1))
    );
    assert_eq!(v["method"], "resolution");
    assert!(v["charts"].as_u64().is_some_and(|c| c > 1));
    // The cusp's leaves give the poles 5/12 (the answer) and 1/2.
    assert_eq!(v["poles"][0]["lambda"], "5/12");
    assert_eq!(v["poles"][0]["order"], 1);
    assert_eq!(v["poles"][1]["lambda"], "1/2");
}

#[test]
fn weight_at_and_vars() {
    let v = json(&["exact", "--poly", "x^2*y^4", "--weight", "y^2", "--json"]);
    assert_eq!(v["lambda"], "1/2");
    let v = json(&["exact", "--ideal", "a*b - 1", "--at", "a=1,b=1", "--json"]);
    assert_eq!(v["lambda"], "1/2");
    let v = json(&["exact", "--poly", "x^2", "--vars", "x,y", "--json"]);
    assert_eq!(v["variables"], serde_json::json!(["x", "y"]));
    assert_eq!(v["lambda"], "1/2");
    let v = json(&["exact", "--poly", "-(-x^2)", "--json"]);
    assert_eq!(v["lambda"], "1/2");
    // A timeout too large for the clock means no deadline, not a panic.
    let v = json(&["exact", "--poly", "x^2", "--timeout", "1e20", "--json"]);
    assert_eq!(v["lambda"], "1/2");
}

#[test]
fn text_output_names_the_answer() {
    let out = rlct(&["exact", "--poly", "x^2*y^4"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("λ = 1/4"), "{text}");
    assert!(text.contains("m = 1"), "{text}");
}

#[test]
fn newton_command() {
    let v = json(&["newton", "--poly", "x^2*y^2 + y^2*z^2 + z^2*x^2", "--json"]);
    assert_eq!(v["t_star"], "4/3");
    assert_eq!(v["theta"], 1);
    assert_eq!(v["bound"], "3/4");
    assert_eq!(v["nondegenerate"], true);
    assert_eq!(v["compact_faces"].as_array().map(Vec::len), Some(7));
    let v = json(&["newton", "--poly", "(x + y^2)^2 + z^2", "--json"]);
    assert_eq!(v["nondegenerate"], false);
    let faces = v["compact_faces"].as_array().cloned().unwrap_or_default();
    assert!(
        faces.iter().any(|f| f["verdict"] == "degenerate"),
        "{faces:?}"
    );
    let out = rlct(&["newton", "--ideal", "x - y"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("t* ="));
}

/// Bad input: exit status 2, exactly one line on stderr beginning `error:`, no panic.
#[test]
fn bad_input_is_one_line_and_status_2() {
    let cases: &[&[&str]] = &[
        &["exact", "--poly", ""],
        &["exact", "--poly", "(x + y"],
        &["exact", "--poly", "x + y)"],
        &["exact", "--poly", "x # y"],
        &["exact", "--poly", "x^-2"],
        &["exact", "--poly", "x^(1/2)"],
        &["exact", "--poly", "x^1.5"],
        &["exact", "--poly", "x/y"],
        &["exact", "--poly", "x^2/0"],
        &["exact", "--poly", "x^2 - y^2"],
        &["exact", "--poly", "x^2 + 3*x*y + y^2"],
        &["exact", "--poly", "x^3"],
        &["exact", "--poly", "x^2 + 1"],
        &["exact", "--ideal", "x, y + 1"],
        &["exact", "--poly", "x^2", "--weight", "x + 1"],
        &["exact", "--poly", "x^2", "--weight", "3*x"],
        &["exact", "--poly", "x^2", "--at", "q=1"],
        &["exact", "--poly", "x^2", "--at", "x=one"],
        &["exact", "--poly", "x^2", "--timeout", "-1"],
        // Expansions too large to carry out (4.5 million terms; 1.4 million).
        &["exact", "--poly", "(x + y + z)^3000"],
        &["exact", "--ideal", "(x + y + z + w)^200*(x - y)"],
        &["exact", "--poly", "0"],
        &["exact", "--ideal", "x,,y"],
        &["exact", "--poly", "x", "--ideal", "y"],
        &["exact"],
        &["exact", "--bogus"],
        &["newton", "--poly", "x^2 - y^2"],
        &["frobnicate"],
    ];
    for args in cases {
        let out = rlct(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("error: "), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn parse_errors_point_at_the_column() {
    let out = rlct(&["exact", "--poly", "x^2 + (y"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("column 9"), "{err}");
    assert!(err.contains("--poly"), "{err}");
}
