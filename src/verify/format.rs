//! The checker's own mirror of the JSON format `rlct-certificate/1`
//! (`src/certificate/FORMAT.md`).
//!
//! These structs are deliberately separate from whatever the resolver serialises: the
//! checker reads the file as the format describes it, not as the writer happens to lay it
//! out. Unknown fields are ignored (a later writer may add diagnostics); missing or
//! ill-typed fields are errors.

use serde::Deserialize;

/// The top level of a certificate.
#[derive(Debug, Deserialize)]
pub(super) struct CertificateJson {
    /// Must be `"rlct-certificate/1"`.
    pub format: String,
    /// The original variables w.
    pub variables: Vec<String>,
    /// `"ideal"` (K = Σ f_i²) or `"poly"` (K = f_1).
    pub kind: String,
    /// The input generators f_i.
    pub generators: Vec<String>,
    /// The prior exponent h; all zeros when absent.
    #[serde(default)]
    pub weight: Option<Vec<u32>>,
    /// The claimed λ.
    pub lambda: RationalJson,
    /// The claimed multiplicity m.
    pub multiplicity: u32,
    /// The chart tree; `charts[k].id == k`.
    pub charts: Vec<ChartJson>,
    /// Addendum 1: the user's polynomial K = scale · g², when the certificate resolves
    /// the ideal ⟨g⟩ instead.
    #[serde(default)]
    pub source: Option<SourceJson>,
    /// Addendum 8: the input's single generator g = scale · h^exponent, when the
    /// certificate resolves h instead.
    #[serde(default)]
    pub root_of: Option<RootOfJson>,
}

/// Addendum 8, *Powers*: g = `scale` · h^`exponent` with h the single certificate
/// generator.
#[derive(Debug, Deserialize)]
pub(super) struct RootOfJson {
    /// g, in `variables`.
    pub generator: String,
    /// A nonzero rational (positive for kind `"poly"`).
    pub scale: RationalJson,
    /// k ≥ 2 (odd for kind `"poly"`).
    pub exponent: u32,
}

/// Addendum 1, *Squared input*: K = `scale` · g² with g the single input generator.
#[derive(Debug, Deserialize)]
pub(super) struct SourceJson {
    /// K, in `variables`.
    pub poly: String,
    /// A positive rational.
    pub scale: RationalJson,
}

/// A rational number: a string `"p"` / `"p/q"`, or (leniently) a JSON integer.
#[derive(Debug, Deserialize, Clone)]
#[serde(untagged)]
pub(super) enum RationalJson {
    /// `"p"` or `"p/q"`.
    Text(String),
    /// A bare integer.
    Integer(i64),
}

/// One chart of the tree.
#[derive(Debug, Deserialize)]
pub(super) struct ChartJson {
    /// Its index in `charts`.
    pub id: usize,
    /// The parent chart; `None` for the root.
    pub parent: Option<usize>,
    /// The names of this chart's coordinates y.
    pub coordinates: Vec<String>,
    /// How the parent's coordinates are expressed in this chart's.
    pub step: StepJson,
    /// Parent coordinate k = `substitution[k]`; `None` for the root.
    #[serde(default)]
    pub substitution: Option<Vec<String>>,
    /// Per coordinate: `None` = small, `[lo, hi]` = bounded.
    pub ranges: Vec<Option<Vec<RationalJson>>>,
    /// How this chart's set C is accounted for.
    pub cover: CoverJson,
    /// Present iff `cover.kind == "leaf"`.
    #[serde(default)]
    pub leaf: Option<LeafJson>,
}

/// The step from the parent chart.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum StepJson {
    /// Only chart 0.
    Root,
    /// Blow-up of the coordinate subspace `{y_S = 0}`, chart `chart ∈ S`.
    Blowup {
        /// S.
        centre: Vec<usize>,
        /// The chart index i ∈ S.
        chart: usize,
    },
    /// Parent `y_j = c + y_j`.
    Translate {
        /// j.
        coordinate: usize,
        /// c.
        to: RationalJson,
    },
    /// A triangular change of the coordinate j.
    Coordinate {
        /// j.
        coordinate: usize,
    },
    /// A triangular change of the bounded coordinate j (Addendum 5).
    Shift {
        /// j.
        coordinate: usize,
    },
    /// Addendum 12: child coordinates z = ψ(y), a new base of the chart identities.
    Forward(ForwardJson),
}

/// Addendum 12, *Forward coordinate changes*.
#[derive(Debug, Deserialize)]
pub(super) struct ForwardJson {
    /// ψ: child coordinate k = `image[k]`, in the parent's coordinates.
    pub image: Vec<String>,
    /// The new base inputs B_j, in the child's coordinates.
    pub inputs: Vec<String>,
    /// The new base prior exponent.
    pub weight: Vec<u32>,
    /// T' (parent coordinates): U'·F_i = Σ_j T'_ij·B_j∘ψ.
    pub to_input: Vec<Vec<String>>,
    /// S' (parent coordinates): B_j∘ψ = Σ_i S'_ji·F_i.
    pub to_chart: Vec<Vec<String>>,
    /// U' (parent coordinates), a unit.
    pub input_unit: String,
    /// V (parent coordinates): prior × det(D map) = ± y^weight·V at the parent.
    pub jacobian_unit: String,
}

/// The cover of a chart.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(super) enum CoverJson {
    /// Covered by these children (a complete blow-up family or one coordinate change).
    Split {
        /// Child ids.
        children: Vec<usize>,
        /// Addendum 4: translate children at hyperplanes this chart excludes.
        #[serde(default)]
        except: Vec<usize>,
    },
    /// A leaf.
    Leaf,
}

/// The normal-crossing data of a leaf.
#[derive(Debug, Deserialize)]
pub(super) struct LeafJson {
    /// G_1..G_r, in chart coordinates.
    pub generators: Vec<String>,
    /// α.
    pub monomial: Vec<u32>,
    /// W.
    pub unit: String,
    /// Addendum 3: U_F, a unit multiplying the pulled-back inputs in identity 1
    /// (absent: 1).
    #[serde(default)]
    pub input_unit: Option<String>,
    /// T: one row per input generator, one column per chart generator.
    pub to_input: Vec<Vec<String>>,
    /// S: one row per chart generator, one column per input generator.
    pub to_chart: Vec<Vec<String>>,
    /// J.
    pub jacobian: Vec<u32>,
    /// V.
    pub jacobian_unit: String,
    /// The translate children (excepted hyperplanes).
    #[serde(default)]
    pub except: Vec<usize>,
    /// The leaf's claimed λ; `null`/absent for a leaf without a pole.
    #[serde(default)]
    pub lambda: Option<RationalJson>,
    /// The leaf's claimed multiplicity; `null`/absent/0 for a leaf without a pole.
    #[serde(default)]
    pub multiplicity: Option<u32>,
    /// Addendum 1: a transverse factor U (a smooth hypersurface crossing the divisors);
    /// Addendum 2: or an array of them.
    #[serde(default)]
    pub transverse: Option<TransverseField>,
}

/// One transverse factor object, or an array of them (Addendum 2).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum TransverseField {
    /// One factor.
    One(TransverseJson),
    /// Several factors.
    Many(Vec<TransverseJson>),
}

impl TransverseField {
    /// The factors, as a list.
    pub fn list(&self) -> Vec<&TransverseJson> {
        match self {
            TransverseField::One(t) => vec![t],
            TransverseField::Many(ts) => ts.iter().collect(),
        }
    }
}

/// Addendum 1, *Transverse factor*.
#[derive(Debug, Deserialize)]
pub(super) struct TransverseJson {
    /// U, in chart coordinates.
    pub factor: String,
    /// The chart generators G_k = c_k · y^{β_k} · U.
    pub generators: Vec<usize>,
    /// Why U|_C has a zero on the box.
    pub witness: WitnessJson,
    /// Why no zero of U|_C on the box is singular: `"constant_derivative"`,
    /// `"univariate"`, `"quadratic"` or (Addendum 6) `"gradient"`.
    pub nonsingular: String,
    /// Addendum 6: the multipliers of the gradient identity (with `"gradient"` only).
    #[serde(default)]
    pub gradient: Option<GradientJson>,
    /// Addendum 9: the powers e_k of G_k = c_k · y^{β_k} · U^{e_k}, one per listed
    /// generator (absent: all 1).
    #[serde(default)]
    pub powers: Option<Vec<u32>>,
    /// Addendum 14: generators y^β·Q coprime to U on C, each with multipliers (a, b) of
    /// a·U|_C + b·Q|_C = R, R nonzero on C off the avoided hyperplanes.
    #[serde(default)]
    pub coprime: Vec<CoprimeJson>,
}

/// Addendum 14: a generator G_k = y^{β_k}·Q_k whose Q_k is nonzero at the zeros of U.
#[derive(Debug, Deserialize)]
pub(super) struct CoprimeJson {
    /// k.
    pub generator: usize,
    /// [a, b], in chart coordinates.
    pub multipliers: Vec<String>,
}

/// Addendum 6: Σ_j q_j·∂U|_C/∂y_j + q₀·U|_C = r with r nonzero on the leaf.
#[derive(Debug, Deserialize)]
pub(super) struct GradientJson {
    /// q_j, one per chart coordinate, in chart coordinates.
    pub multipliers: Vec<String>,
    /// q₀.
    pub cofactor: String,
}

/// A zero of U|_C on the box, or a sign change of U|_C on it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum WitnessJson {
    /// Addendum 2: U vanishes on C and ∂U/∂y_j is a nonzero constant on C for this small,
    /// non-divisor coordinate j.
    Coordinate(usize),
    /// A rational point p of the box with U|_C(p) = 0.
    Zero(Vec<RationalJson>),
    /// Two points p, q of the box with U|_C(p) < 0 < U|_C(q).
    Signs(Vec<Vec<RationalJson>>),
    /// Addendum 15: the factor replaces the coordinate y_j jointly with the leaf's other
    /// factors, and every factor vanishes at the point `zero`.
    Joint(JointJson),
}

/// Addendum 15: a joint factor's coordinate and the common zero of the leaf's factors.
#[derive(Debug, Deserialize)]
pub(super) struct JointJson {
    /// j.
    pub coordinate: usize,
    /// A point of the box (one entry per coordinate).
    pub zero: Vec<RationalJson>,
}
