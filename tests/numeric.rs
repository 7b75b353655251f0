//! The numeric cross-check (issue 5): `rlct check` on every reference case at a reduced
//! budget (the full-accuracy run is `bench/mc_table.sh`, see BENCHMARKS.md), determinism
//! for a seed, nested sampling, the data-based estimators on model files, and bad input.

mod common;
use common::{json, rlct};

/// A small budget: 4 replicates of 512 particles (the ladder to the default β = 10⁴⁰, the
/// default 12 sweeps per rung).
const SMALL: [&str; 6] = ["--particles", "512", "--replicates", "4", "--seed", "7"];

/// The reduced budget of the reference-file check below: 8 replicates of 1024 particles
/// with the default 12 sweeps per rung (the work of 2048 particles at the former six
/// sweeps: a fifth to a half of what `--budget 20` gives the small cases), the default
/// ladder to β = 10⁴⁰, seed fixed. Eight replicates rather than four, so that the
/// jackknife standard error in the tolerance has 7 degrees of freedom. With fewer particles
/// per replicate the tanh and Vandermonde networks' populations collapse onto one
/// arrangement of the hidden units and the log factor of m = 2 goes unresolved more often
/// (λ̂ then low by about 1/log β_max): at 1024 particles and six sweeps (ladder to 10²⁴),
/// seed 1 failed on x²y² + z² (m̂ = 1, −2.6%); at 683 particles and 18 sweeps three network
/// rows took the wrong m̂ (BENCHMARKS.md). The cusp (x² − y³)², whose next pole is 1/12
/// above λ, needs the ladder to 10⁴⁰ and the fit's lower δ floor there (fit.rs): with the
/// ladder to 10²⁴ it took m̂ = 2 and was 3.6% high at seeds 3 and 9 of 1–10, outside the
/// tolerance at seed 9 (BENCHMARKS.md).
const REFERENCE_BUDGET: [&str; 6] = ["--particles", "1024", "--replicates", "8", "--seed", "1"];

/// Reference cases beyond this many variables are left out, as in issue 5's scope and the
/// accuracy table: the cost of a sweep grows with d, and the exact side of the larger
/// families is covered by tests/families.rs. (Every row of tests/data/cases.tsv has at most
/// 10 variables today, so none is left out; the filter keeps the test's cost bounded if
/// larger rows are added.)
const MAX_VARIABLES: usize = 12;

/// `rlct check` on every reference case in `part` of `parts` (split so that the test
/// harness runs the parts on both cores; each `rlct check` also runs its replicates in
/// parallel). Each case must agree by check's own rule, recomputed here:
/// |λ̂ − λ| ≤ 3·stderr + 2%·λ̂, λ the file's value (the exact engine's λ for these rows
/// equals the file's, tests/cases.rs), stderr the jackknife over replicates, 2% the
/// allowance for the extrapolation model (report.rs). The tolerance must stay below 10% of
/// λ, so that a wide scatter cannot pass for agreement. m̂ is reported, not asserted: at
/// this budget the log factor of m > 1 is not always resolved (BENCHMARKS.md).
fn check_reference_part(part: usize, parts: usize) {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (i, case) in common::cases().iter().enumerate() {
        if i % parts != part {
            continue;
        }
        let spec = common::spec(&case.kind, &case.input, case.weight.as_deref());
        let problem = rlct::Problem::parse(&spec).expect("reference case parses");
        if problem.ring.nvars() > MAX_VARIABLES {
            continue;
        }
        let flag = if case.kind == "ideal" {
            "--ideal"
        } else {
            "--poly"
        };
        let mut args = vec!["check", flag, case.input.as_str()];
        if let Some(w) = &case.weight {
            args.extend_from_slice(&["--weight", w.as_str()]);
        }
        args.extend_from_slice(&REFERENCE_BUDGET);
        args.push("--json");
        let v = json(&args);
        checked += 1;
        let lambda = fraction(&rlct::poly::format_rational(&case.lambda));
        let hat = v["mc"]["lambda_hat"].as_f64().expect("lambda_hat");
        let stderr = v["mc"]["stderr"].as_f64().expect("stderr");
        let tol = v["tolerance"].as_f64().expect("tolerance");
        let m_hat = v["mc"]["multiplicity_hat"].as_u64().unwrap_or(0);
        let what = format!(
            "{}: λ̂ = {hat:.4} ± {stderr:.4} (tolerance {tol:.4}) vs λ = {lambda:.4}; m̂ = {m_hat}, m = {}",
            case.id, case.m
        );
        assert_eq!(v["exact"]["status"], "exact", "{what}");
        // Every reference case has its worst zero at w0 = 0, the centre of the box: the
        // pilot runs keep the radius-1 box (numeric::localize).
        assert_eq!(v["mc"]["radius"], 1.0, "{what}: the box was shrunk");
        assert!(
            (tol - (3.0 * stderr + 0.02 * hat.abs())).abs() < 1e-12,
            "{what}: tolerance is not check's rule"
        );
        if m_hat != u64::from(case.m) {
            eprintln!("m̂ ≠ m (reported, not asserted): {what}");
        }
        if (hat - lambda).abs() > tol || v["lambda_agrees"] != true {
            failures.push(format!("disagree: {what}"));
        }
        if tol >= 0.1 * lambda {
            failures.push(format!("tolerance over 10% of λ: {what}"));
        }
    }
    assert!(checked > 0);
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Issue 5: `rlct check` agrees with the exact engine on every reference case (at most
/// 12 variables) of tests/data/cases.tsv, at a reduced budget; four parts.
#[test]
fn check_agrees_on_reference_cases_part_1() {
    check_reference_part(0, 4);
}

/// See [`check_agrees_on_reference_cases_part_1`].
#[test]
fn check_agrees_on_reference_cases_part_2() {
    check_reference_part(1, 4);
}

/// See [`check_agrees_on_reference_cases_part_1`].
#[test]
fn check_agrees_on_reference_cases_part_3() {
    check_reference_part(2, 4);
}

/// See [`check_agrees_on_reference_cases_part_1`].
#[test]
fn check_agrees_on_reference_cases_part_4() {
    check_reference_part(3, 4);
}

/// Bounds from the exact engine: λ̂ is checked against the interval.
/// Issue 5: at the true point (a₁, b₁, a₂, b₂) = (1, 1, 0, 0) of a two-unit tanh network
/// (λ = 3/2, m = 2), the box of radius 1 reaches |a₂| = 1, where the units can merge
/// (a₁ = a₂ = 1, b₁ + b₂ = 1), a worse singularity: at radius 1 λ̂ was 1.29 (−13.7%). The
/// pilot runs see the posterior mass leave the inner boxes (radii 1/2 … 1/16) and shrink the
/// radius to the largest emptied one, 1/2
/// (at radius 1 this budget gives λ̂ = 1.297 ± 0.010, DISAGREE); `--radius` still fixes
/// the box.
#[test]
fn check_shrinks_the_box_that_reaches_worse_zeros() {
    let budget = ["--particles", "512", "--replicates", "8", "--seed", "1"];
    let mut args = vec!["check", "models/tanh-H2-true1.toml"];
    args.extend_from_slice(&budget);
    args.push("--json");
    let v = json(&args);
    let mc = &v["mc"];
    assert_eq!(mc["radius"], 0.5, "{v}");
    let pilots = mc["localization"]["pilots"].as_array().expect("pilots");
    assert_eq!(pilots.len(), 2, "{v}");
    let half = &pilots[0]["inner"][0];
    let (peak, trough) = (
        half["peak"].as_f64().expect("peak"),
        half["trough"].as_f64().expect("trough"),
    );
    assert!(pilots[0]["radius"] == 1.0 && trough < 0.1 * peak, "{v}");
    assert!(pilots[1]["radius"] == 0.5, "{v}");
    let hat = mc["lambda_hat"].as_f64().expect("lambda_hat");
    let tol = v["tolerance"].as_f64().expect("tolerance");
    assert_eq!(v["exact"]["lambda"], "3/2");
    assert!(
        v["lambda_agrees"] == true && (hat - 1.5).abs() <= tol,
        "{v}"
    );
}

/// The same rule where the worse zero lies inside the inner half of the box: x²(x − 3/10)⁴
/// has λ = 1/2 at w0 = 0 and 1/4 at x = 3/10. The pilot at radius 1 sees the boxes of
/// radius 1/4 and smaller empty (not the one of radius 1/2, which holds x = 3/10) and the
/// box shrinks to radius 1/4; `--radius 1` fixes the box, and the integral then measures
/// the worse zero.
#[test]
fn mc_shrinks_the_box_past_a_worse_zero_inside_it() {
    let run = |radius: Option<&str>| {
        let mut args = vec!["mc", "--poly", "x^2*(x - 3/10)^4"];
        args.extend_from_slice(&["--particles", "512", "--replicates", "4", "--seed", "1"]);
        if let Some(r) = radius {
            args.extend_from_slice(&["--radius", r]);
        }
        args.push("--json");
        json(&args)
    };
    let v = run(None);
    assert_eq!(v["radius"], 0.25, "{v}");
    let first = &v["localization"]["pilots"][0]["inner"];
    assert!(
        first[0]["trough"].as_f64().expect("trough") > 0.5
            && first[1]["trough"].as_f64().expect("trough") < 0.01,
        "{v}"
    );
    let hat = v["lambda_hat"].as_f64().expect("lambda_hat");
    let se = v["stderr"].as_f64().expect("stderr");
    assert!((hat - 0.5).abs() <= 3.0 * se + 0.02 * hat, "{v}");

    let w = run(Some("1"));
    assert!(w["localization"].is_null(), "{w}");
    assert_eq!(w["radius"], 1.0);
    let hat = w["lambda_hat"].as_f64().expect("lambda_hat");
    assert!((hat - 0.25).abs() < 0.01, "{w}");
}

/// λ̂, its standard error and m̂ of `rlct mc MODEL --particles N --replicates 4 --seed 1
/// --radius 1`.
fn mc_model(model: &str, particles: &str) -> (f64, f64, u64, serde_json::Value) {
    let v = json(&[
        "mc",
        model,
        "--particles",
        particles,
        "--replicates",
        "4",
        "--seed",
        "1",
        "--radius",
        "1",
        "--json",
    ]);
    let hat = v["lambda_hat"].as_f64().expect("lambda_hat");
    let se = v["stderr"].as_f64().expect("stderr");
    let m = v["multiplicity_hat"].as_u64().expect("multiplicity_hat");
    (hat, se, m, v)
}

/// Issue 5: the populations of a network must follow the valley where all hidden units
/// move together (a_h ↦ s·a_h, b_h ↦ b_h/s keeps every moment Σ_h b_h a_h^k's
/// cancellation). Before the scalings along the zero set's torus (smc.rs), the tanh H = 4
/// network's β·E[K] settled at 1.16–1.18 from β = 10¹⁹ on and λ̂ was 1.215 ± 0.023 at the
/// default budget, above the upper bound 1 that the exact engine proves
/// (models/ground-truth); now 0.986 ± 0.002 here (the literature value, used only as the
/// yardstick, is λ = 1 with m = 2, so an m = 1 fit sits a little low). The upper bound is
/// what the test holds it to, with check's allowance (3 standard errors + 2%), and the
/// 5% of issue 5 for m > 1 from below.
#[test]
fn mc_follows_the_zero_set_of_four_tanh_units() {
    let (hat, se, _, v) = mc_model("models/tanh-H4.toml", "256");
    assert!(hat <= 1.0 + 3.0 * se + 0.02 * hat, "{v}");
    assert!(hat >= 0.95, "{v}");
}

/// The tanh H = 2 model file (λ = 2/3, m = 1): β·E[K] lay at 0.672–0.678 from 10¹³ on and
/// λ̂ was 0.692 (+3.8%, m̂ = 2) at the default budget; the same moves keep the two units'
/// populations in equilibrium (0.672 ± 0.003 here, m̂ = 1).
/// The Vandermonde regression model file (⟨a₁b₁ + a₂b₂, a₁b₁² + a₂b₂²⟩ with the x-moments
/// of the file, λ = 3/4 and m = 1 by the exact engine; Aoyagi 2019 as the yardstick only):
/// with six sweeps per rung its populations lagged behind the tempered posterior from
/// β ≈ 10¹⁴ on, β·E[K] sat 1–2% above λ, the log-factor model fitted the step, and at
/// this seed and the default budget λ̂ was 0.7845 ± 0.0108 with m̂ = 2 (+4.6%, outside
/// issue 5's 3%). Twelve sweeps per rung with half the particles (smc::DEFAULT_SWEEPS)
/// keep it in equilibrium: 0.7504 ± 0.0022, m̂ = 1.
#[test]
fn mc_on_the_vandermonde_regression_is_within_three_percent() {
    let v = json(&[
        "mc",
        "models/regression-vandermonde.toml",
        "--seed",
        "3",
        "--radius",
        "1",
        "--json",
    ]);
    let hat = v["lambda_hat"].as_f64().expect("lambda_hat");
    assert!((hat - 0.75).abs() <= 0.03 * 0.75, "{v}");
    assert_eq!(v["multiplicity_hat"], 1, "{v}");
}

#[test]
fn mc_on_two_tanh_units_is_within_three_percent() {
    let (hat, _, m, v) = mc_model("models/tanh-H2.toml", "512");
    assert!((hat - 2.0 / 3.0).abs() <= 0.03 * 2.0 / 3.0, "{v}");
    assert_eq!(m, 1, "{v}");
}

/// Every Metropolis–Hastings kernel of the sampler must leave the tempered posterior
/// p_β ∝ e^{−βK}φ invariant, Hastings ratios and Jacobians included. K = x²y⁴ with the
/// uniform prior on [−1, 1]² has its free energy in closed form, and a single monomial is
/// quasi-homogeneous for every weight, so the scalings along the torus (smc.rs) run on the
/// whole plane here alongside the other kernels. Integrating x first,
/// Z(β) = ∫₀¹ √π·erf(√β y²)/(2√β y²) dy, and t = √β y² gives
/// Z(β) = ½β^{−1/4}(Γ(1/4) − √π β^{−1/4}) up to O(e^{−β}) (∫₀^∞ erf(t) t^{−3/2} dt =
/// 2Γ(1/4)/√π by parts), hence β·E_β[K] = 1/4 − (√π/4)β^{−1/4}/(Γ(1/4) − √π β^{−1/4}).
/// The SMC curve must follow both at every grid point from β = 10³ to 10¹².
#[test]
fn mc_matches_the_closed_form_free_energy_of_x2y4() {
    let dir = std::env::temp_dir().join(format!("rlct-closed-form-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let curve = dir.join("curve.csv");
    let v = json(&[
        "mc",
        "--poly",
        "x^2*y^4",
        "--particles",
        "512",
        "--replicates",
        "8",
        "--beta-max",
        "1e12",
        "--seed",
        "1",
        "--curve",
        curve.to_str().expect("utf-8 path"),
        "--json",
    ]);
    assert_eq!(v["radius"], 1.0, "{v}");
    let csv = std::fs::read_to_string(&curve).expect("curve written");
    let _ = std::fs::remove_dir_all(&dir);
    // Γ(1/4) and √π.
    let (gamma, sqrt_pi) = (3.625_609_908_221_908_f64, std::f64::consts::PI.sqrt());
    let mut points = 0;
    for line in csv.lines().skip(1) {
        let row: Vec<f64> = line
            .split(',')
            .map(|x| x.parse().expect("number"))
            .collect();
        let (beta, log_z, y, se) = (row[0], row[1], row[2], row[3]);
        let q = beta.powf(-0.25);
        let y_exact = 0.25 - sqrt_pi / 4.0 * q / (gamma - sqrt_pi * q);
        let log_z_exact = (0.5 * q * (gamma - sqrt_pi * q)).ln();
        assert!(
            (y - y_exact).abs() <= 4.0 * se + 0.001,
            "β = {beta:.3e}: β·E[K] = {y:.5} ± {se:.5}, closed form {y_exact:.5}"
        );
        assert!(
            (log_z - log_z_exact).abs() <= 0.04,
            "β = {beta:.3e}: log Z = {log_z:.4}, closed form {log_z_exact:.4}"
        );
        points += 1;
    }
    assert!(points >= 40, "{points} points");
}

#[test]
fn check_against_bounds() {
    let mut args = vec!["check", "--poly", "(x^2 - y^3)^2", "--timeout", "1e-9"];
    args.extend_from_slice(&SMALL);
    args.push("--json");
    let v = json(&args);
    if v["exact"]["status"] == "bounds" {
        assert!(v["multiplicity_agrees"].is_null());
        assert_eq!(v["lambda_agrees"], true, "{v}");
    } else {
        // The engine finished before the deadline was looked at: still an exact check.
        assert_eq!(v["exact"]["lambda"], "5/12");
    }
}

#[test]
fn same_seed_same_numbers_and_the_curve_file() {
    let dir = std::env::temp_dir().join(format!("rlct-numeric-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let curve = dir.join("curve.csv");
    let curve_s = curve.to_str().expect("utf-8 path");
    let run = |seed: &str, curve: Option<&str>| {
        let mut args = vec![
            "mc",
            "--poly",
            "x^2*y^4",
            "--particles",
            "128",
            "--replicates",
            "2",
            "--beta-max",
            "1e8",
            "--seed",
            seed,
            "--json",
        ];
        if let Some(c) = curve {
            args.extend_from_slice(&["--curve", c]);
        }
        json(&args)
    };
    let a = run("3", Some(curve_s));
    let b = run("3", None);
    let c = run("4", None);
    for key in [
        "lambda_hat",
        "stderr",
        "multiplicity_hat",
        "evaluations",
        "beta_max",
        "radius",
    ] {
        assert_eq!(a[key], b[key], "{key}");
    }
    assert_ne!(a["lambda_hat"], c["lambda_hat"]);
    assert_eq!(a["method"], "smc");
    assert_eq!(a["seed"], 3);
    assert!(a["seconds"].as_f64().is_some());
    let csv = std::fs::read_to_string(&curve).expect("curve written");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("beta,log_z,beta_mean_k,stderr,inner_mass")
    );
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|x| x.parse().expect("number")).collect())
        .collect();
    assert!(rows.len() >= 8);
    // β increases, log Z decreases (Z(β) = ∫ e^{−βK}φ is decreasing).
    for w in rows.windows(2) {
        assert!(w[1][0] > w[0][0] && w[1][1] < w[0][1], "{w:?}");
    }
    // At β = 10⁸ with 2 × 128 particles: within three standard errors (plus the β^{−1/4}
    // power-law approach, under 0.02 there) of λ = 1/4.
    let last = &rows[rows.len() - 1];
    assert!((last[2] - 0.25).abs() < 3.0 * last[3] + 0.02, "{last:?}");
    assert!(last[3] < 0.05, "{last:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_exits_2_with_one_line() {
    for args in [
        &[
            "mc",
            "--poly",
            "x^2 - y^2",
            "--particles",
            "64",
            "--replicates",
            "2",
        ][..],
        &["mc", "--poly", "x^2", "--budget", "0"],
        &["mc", "--poly", "x^2", "--replicates", "1"],
        &["mc", "--poly", "x^2", "--radius", "0"],
        &["mc", "--poly", "x^2", "--beta-max", "10"],
        &["mc", "--poly", "x^2", "--nested", "0"],
        &["mc", "--poly", "x^2 +"],
        &["check", "--poly", "x^2 + 1"],
        &["estimators", "--family", "resnet"],
        &["estimators", "--family", "dln", "--widths", "2,x,2"],
        &["estimators", "--family", "tanh", "--hidden", "0"],
        &["estimators", "--family", "rrr", "--step", "0"],
    ] {
        assert_one_line_error(args);
    }
}

/// `--nested`: nested sampling's slope of log V against log t, in the JSON.
#[test]
fn nested_sampling_slope() {
    let v = json(&[
        "mc",
        "--poly",
        "x^2 + y^4",
        "--particles",
        "64",
        "--replicates",
        "2",
        "--beta-max",
        "1e6",
        "--nested",
        "6",
        "--json",
    ]);
    let slope = v["nested"]["slope"].as_f64().expect("slope");
    // λ = 1/2 + 1/4.
    assert!((slope - 0.75).abs() < 0.1, "{v}");
}

/// "p/q" or "p" as f64.
fn fraction(s: &str) -> f64 {
    let (n, d) = s.split_once('/').unwrap_or((s, "1"));
    n.parse::<f64>().expect("numerator") / d.parse::<f64>().expect("denominator")
}

/// Small settings for `rlct estimators` (the wiring, not the accuracy: the bias table
/// in BENCHMARKS.md is the full run).
const EST_SMALL: [&str; 14] = [
    "--n",
    "300",
    "--particles",
    "64",
    "--replicates",
    "2",
    "--chains",
    "2",
    "--draws",
    "100",
    "--burn-in",
    "20",
    "--seed",
    "1",
];

/// `rlct estimators MODEL.toml` on regression and network model files: data are drawn at
/// the file's true parameter from its input distribution (normal, uniform on a box, design
/// points), the exact λ and m come from the engine on the file's model, and the three
/// estimators are reported with their bias against that λ.
#[test]
fn estimators_on_model_files() {
    let cases: [(&str, &str, u64, usize); 6] = [
        ("models/rrr-M2-N2-H1-r0.toml", "1", 2, 4),
        ("models/tanh-H2.toml", "2/3", 1, 4),
        ("models/deep-linear-1-1-1-1.toml", "1/2", 3, 3),
        ("models/regression-vandermonde.toml", "3/4", 1, 4),
        ("models/regression-points.toml", "1/2", 2, 2),
        ("models/tanh-H2-true1.toml", "3/2", 2, 4),
    ];
    for (file, lambda, m, params) in cases {
        let mut args = vec!["estimators", file];
        args.extend_from_slice(&EST_SMALL);
        args.push("--json");
        let v = json(&args);
        assert_eq!(v["exact"]["lambda"], lambda, "{file}");
        assert_eq!(v["exact"]["multiplicity"], m, "{file}");
        assert_eq!(v["parameters"], params, "{file}");
        assert_eq!(v["n"], 300);
        let exact = fraction(lambda);
        let rows = v["estimators"].as_array().expect("rows");
        assert_eq!(rows.len(), 3, "{file}");
        for r in rows {
            let hat = r["lambda_hat"].as_f64().expect("λ̂");
            let bias = r["relative_bias"].as_f64().expect("bias");
            assert!(
                hat.is_finite() && r["stderr"].as_f64().is_some(),
                "{file}: {r}"
            );
            assert!(((hat - exact) / exact - bias).abs() < 1e-9, "{file}: {r}");
        }
    }
    // σ of the file is used (regression-points has σ = 1/2).
    let mut args = vec!["estimators", "models/regression-points.toml"];
    args.extend_from_slice(&EST_SMALL);
    args.push("--json");
    assert_eq!(json(&args)["sigma"], 0.5);
}

/// On a regular model (y = a + b·x + N(0, 1), d = 2) WBIC with a perfect sampler estimates
/// d/2 up to the finite-n term: λ̂ = d/2 − χ²_d/(2 log n) + o(1) (Watanabe 2013, the
/// χ² being 2n(L_n(w0) − L_n(ŵ))), so it lies below 1 by an Exp(1)/log n amount. At
/// n = 500 (log n = 6.2) that is under 0.5 with probability 1 − e^{−3.1} ≈ 0.95; the
/// seed is fixed.
#[test]
fn estimators_wbic_on_a_regular_model_file() {
    let v = json(&[
        "estimators",
        "models/regression-regular.toml",
        "--n",
        "500",
        "--particles",
        "128",
        "--replicates",
        "2",
        "--chains",
        "2",
        "--draws",
        "50",
        "--burn-in",
        "20",
        "--seed",
        "2",
        "--json",
    ]);
    assert_eq!(v["exact"]["lambda"], "1");
    let wbic = v["estimators"][2]["lambda_hat"].as_f64().expect("WBIC λ̂");
    assert!(wbic > 0.5 && wbic < 1.1, "{v}");
}

/// Model files the data-based estimators cannot run: one `error:` line, exit status 2.
#[test]
fn estimators_refuse_other_kinds() {
    for args in [
        &["estimators", "models/naive-bayes-2.toml"][..],
        &["estimators", "models/toy-x2y2.toml"],
        &["estimators", "models/gaussian-mixture-2.toml"],
        &["estimators", "models/tanh-H1-jeffreys.toml"],
        &["estimators", "models/tanh-H1.toml", "--family", "tanh"],
        &["estimators", "models/tanh-H1.toml", "--hidden", "3"],
        &["estimators"],
        &["estimators", "models/no-such-model.toml"],
    ] {
        assert_one_line_error(args);
    }
}

/// Bad input: exit status 2 and one `error:` line on stderr.
fn assert_one_line_error(args: &[&str]) {
    let out = rlct(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: ") && err.trim_end().lines().count() == 1,
        "{args:?}: {err}"
    );
}
