//! The TOML schema of a model file (models/README.md), as serde reads it, and the
//! locations of errors: every error names the file, the line and the field.
//!
//! Every field that later validation may reject is kept [`Spanned`], so that a semantic
//! error (an unknown variable, a non-positive σ) points at the line where the field is.

use crate::poly::{parse_expr, Rational, Ring};
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// A rational number in a model file: an integer (`2`, `-1`) or a string holding an exact
/// rational (`"1/2"`, `"-3/4"`, `"0.25"`). TOML floats are refused: they are not exact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Num(pub Rational);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a string holding an exact rational such as \"1/2\"")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num(crate::poly::rat(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                i64::try_from(v)
                    .map(|v| Num(crate::poly::rat(v)))
                    .map_err(|_| E::custom("integer too large"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                Err(E::custom(format!(
                    "{v} is a float, which is not exact: write a string such as \"1/2\" or \"0.25\""
                )))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
                parse_rational(v).map(Num).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Parse an exact rational constant such as `1/2`, `-3/4`, `0.25`, `2^-1` is refused.
pub(crate) fn parse_rational(s: &str) -> Result<Rational, String> {
    let e = parse_expr(s).map_err(|e| format!("'{s}' is not a number ({e})"))?;
    let p = Ring::new(vec![])
        .eval(&e)
        .map_err(|_| format!("'{s}' is not a rational number"))?;
    Ok(p.constant_term())
}

/// The whole file. Which fields a kind uses is checked after reading (models/README.md).
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct ModelFile {
    pub kind: Spanned<String>,
    pub name: Option<Spanned<String>>,
    pub description: Option<String>,
    // polynomial / ideal
    #[serde(rename = "K")]
    pub k: Option<Spanned<String>>,
    pub generators: Option<Spanned<Vec<Spanned<String>>>>,
    pub variables: Option<Spanned<Vec<String>>>,
    // regression / discrete / gaussian_mixture
    pub parameters: Option<Spanned<Vec<String>>>,
    pub inputs: Option<Spanned<Vec<String>>>,
    pub f: Option<Spanned<String>>,
    pub outputs: Option<Spanned<Vec<Spanned<String>>>>,
    pub sigma: Option<Spanned<Num>>,
    pub input: Option<Spanned<InputToml>>,
    pub true_parameters: Option<Spanned<BTreeMap<String, Spanned<Num>>>>,
    // network
    pub widths: Option<Spanned<Vec<usize>>>,
    pub activations: Option<Spanned<Vec<Spanned<String>>>>,
    pub biases: Option<Spanned<Vec<bool>>>,
    pub true_weights: Option<Spanned<Vec<Vec<Vec<Num>>>>>,
    pub true_biases: Option<Spanned<Vec<Vec<Num>>>>,
    pub truncation: Option<Spanned<u32>>,
    // discrete
    pub probabilities: Option<Spanned<Vec<Spanned<String>>>>,
    // gaussian_mixture
    pub components: Option<Spanned<Vec<ComponentToml>>>,
    // every kind
    pub prior: Option<Spanned<PriorToml>>,
    pub reference: Option<Spanned<ReferenceToml>>,
}

/// `input = { distribution = "normal" | "uniform" | "points", … }`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct InputToml {
    pub distribution: String,
    pub low: Option<Vec<Num>>,
    pub high: Option<Vec<Num>>,
    pub points: Option<Vec<Vec<Num>>>,
    pub weights: Option<Vec<Num>>,
}

/// One component `{ weight = "a", mean = "b" }` of a Gaussian location mixture.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct ComponentToml {
    pub weight: String,
    pub mean: String,
}

/// `[prior]`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct PriorToml {
    pub weight: Option<Spanned<String>>,
    pub nonnegative: Option<Spanned<Vec<String>>>,
}

/// `[reference]`.
#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReferenceToml {
    pub lambda: Num,
    pub multiplicity: Option<u32>,
    pub source: String,
}

/// An error located in a model file: `FILE:LINE: field X: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    /// 1-based line.
    pub line: usize,
    /// The field (TOML key) the error is about.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl FileError {
    /// An error at byte offset `span.start` of `text`, about `field`.
    pub(crate) fn at(
        text: &str,
        span: Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> Self {
        FileError {
            line: line_of(text, span.start),
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Read the file; a TOML or type error becomes a [`FileError`] with the key of the line.
pub(crate) fn read(text: &str) -> Result<ModelFile, FileError> {
    toml::from_str::<ModelFile>(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().replace('\n', " ");
        let field = field_in_message(&message).unwrap_or_else(|| key_at(text, span.start));
        FileError::at(text, span, &field, message)
    })
}

/// serde names the field in "missing field `x`" and "unknown field `x`".
fn field_in_message(message: &str) -> Option<String> {
    let rest = message.split("field `").nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

/// The key of the line holding `offset`: `key = …` or a table header `[key]`.
fn key_at(text: &str, offset: usize) -> String {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next().unwrap_or("").trim();
    if let Some(h) = line.strip_prefix('[') {
        return h.trim_matches(|c| c == '[' || c == ']').trim().to_string();
    }
    match line.split_once('=') {
        Some((k, _)) => k.trim().trim_matches('"').to_string(),
        None => "(syntax)".to_string(),
    }
}
