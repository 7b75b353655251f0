//! The input stage: from the strings of the command line (or any caller) to a
//! [`Problem`] — a ring, K as a polynomial or an ideal of generators (K = Σ f_i²),
//! and a monomial prior weight — centred at the true point.
//!
//! Validation that needs no geometry happens here: syntax, variables, the weight being a
//! monomial, the true point, K vanishing there. Nonnegativity of a `--poly` K needs the
//! Newton polyhedron and lives in [`crate::engine`].

use crate::error::{Error, Result};
use crate::poly::{format_rational, parse_expr, parse_list, Exponent, Ideal, Poly, Rational, Ring};
use num_traits::{One, Zero};

/// K, either as one polynomial or as the generators of an ideal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// K itself (`--poly`).
    Poly(Poly),
    /// An ideal ⟨f_1, …, f_k⟩ with K = Σ f_i² (`--ideal`).
    Ideal(Ideal),
}

impl Target {
    /// Number of variables.
    pub fn nvars(&self) -> usize {
        match self {
            Target::Poly(p) => p.nvars(),
            Target::Ideal(i) => i.nvars(),
        }
    }

    /// The variables that occur.
    pub fn used_vars(&self) -> Vec<usize> {
        match self {
            Target::Poly(p) => p.used_vars(),
            Target::Ideal(i) => {
                let mut v: Vec<usize> = i.generators().iter().flat_map(Poly::used_vars).collect();
                v.sort_unstable();
                v.dedup();
                v
            }
        }
    }

    /// Keep the variables `keep` (which must contain every used variable), in order.
    pub fn restrict(&self, keep: &[usize]) -> Target {
        match self {
            Target::Poly(p) => Target::Poly(p.restrict(keep)),
            Target::Ideal(i) => Target::Ideal(i.map(keep.len(), |g| g.restrict(keep))),
        }
    }
}

/// A problem for the engine: K near the origin (the true point has been moved there)
/// with the prior |w^h|·(positive smooth).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Variable names and order.
    pub ring: Ring,
    /// K.
    pub target: Target,
    /// The prior exponent h.
    pub weight: Exponent,
}

/// The raw inputs, as strings (INTERFACE.md `rlct exact`).
#[derive(Clone, Debug, Default)]
pub struct InputSpec {
    /// `--poly EXPR`.
    pub poly: Option<String>,
    /// `--ideal EXPR[,EXPR…]`.
    pub ideal: Option<String>,
    /// `--vars a,b,c`: fixes the order and may add variables.
    pub vars: Option<String>,
    /// `--weight MONOMIAL`.
    pub weight: Option<String>,
    /// `--at a=1,b=0`.
    pub at: Option<String>,
}

fn parse_err(what: &str) -> impl Fn(crate::poly::ParseError) -> Error + '_ {
    move |source| Error::Parse {
        what: what.to_string(),
        source,
    }
}

fn is_identifier(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(ch) if ch.is_ascii_alphabetic() || ch == '_')
        && c.all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
}

impl Problem {
    /// Parse and validate the inputs.
    ///
    /// # Errors
    /// [`Error::Parse`] for syntax errors (with the column), [`Error::Input`] for: none or
    /// both of `--poly`/`--ideal`, `--vars` missing a variable or naming one twice, a
    /// weight that is not a monomial or names an unknown variable, an `--at` naming an
    /// unknown variable, K (or a generator) that does not vanish at the point, K ≡ 0.
    pub fn parse(spec: &InputSpec) -> Result<Problem> {
        let (exprs, what, is_ideal) = match (&spec.poly, &spec.ideal) {
            (Some(p), None) => (
                vec![parse_expr(p).map_err(parse_err("--poly"))?],
                "--poly",
                false,
            ),
            (None, Some(i)) => (
                parse_list(i).map_err(parse_err("--ideal"))?,
                "--ideal",
                true,
            ),
            (Some(_), Some(_)) => {
                return Err(Error::Input(
                    "give either --poly or --ideal, not both".into(),
                ))
            }
            (None, None) => {
                return Err(Error::Input(
                    "no input: give --poly EXPR, --ideal EXPR[,EXPR…] or a model file".into(),
                ))
            }
        };
        let mut seen = Vec::new();
        for e in &exprs {
            e.variables(&mut seen);
        }
        let ring = match &spec.vars {
            None => Ring::new(seen),
            Some(list) => {
                let names: Vec<String> = list
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                for n in &names {
                    if !is_identifier(n) {
                        return Err(Error::Input(format!(
                            "--vars: '{n}' is not a variable name"
                        )));
                    }
                    if names.iter().filter(|m| *m == n).count() > 1 {
                        return Err(Error::Input(format!("--vars: '{n}' is named twice")));
                    }
                }
                if let Some(missing) = seen.iter().find(|v| !names.contains(v)) {
                    return Err(Error::Input(format!(
                        "--vars: variable '{missing}' occurs in {what} but is not listed"
                    )));
                }
                Ring::new(names)
            }
        };
        let n = ring.nvars();
        let mut gens = Vec::with_capacity(exprs.len());
        for e in &exprs {
            gens.push(ring.eval(e).map_err(parse_err(what))?);
        }
        let weight = match &spec.weight {
            None => vec![0; n],
            Some(w) => parse_weight(&ring, w)?,
        };
        let point = match &spec.at {
            None => vec![Rational::zero(); n],
            Some(a) => parse_point(&ring, a)?,
        };
        let mut gens: Vec<Poly> = gens.iter().map(|g| g.translate(&point)).collect();
        let at_text = if spec.at.is_some() {
            " at the true point"
        } else {
            " at the origin"
        };
        for (i, g) in gens.iter().enumerate() {
            let c = g.constant_term();
            if !c.is_zero() {
                let which = if is_ideal {
                    format!("generator {} of --ideal", i + 1)
                } else {
                    "K".to_string()
                };
                return Err(Error::Input(format!(
                    "{which} does not vanish{at_text} (its value there is {}); λ is defined at zeros of K",
                    format_rational(&c)
                )));
            }
        }
        let target = if is_ideal {
            let ideal = Ideal::new(n, gens);
            if ideal.generators().is_empty() {
                return Err(Error::Input(
                    "the ideal is zero (every generator is 0): K ≡ 0 has no learning coefficient"
                        .into(),
                ));
            }
            Target::Ideal(ideal)
        } else {
            let k = gens.remove(0);
            if k.is_zero() {
                return Err(Error::Input(
                    "K is identically zero: it has no learning coefficient".into(),
                ));
            }
            Target::Poly(k)
        };
        Ok(Problem {
            ring,
            target,
            weight,
        })
    }
}

/// `--weight x^2*y`: a monomial with coefficient 1 in known variables.
fn parse_weight(ring: &Ring, src: &str) -> Result<Exponent> {
    let e = parse_expr(src).map_err(parse_err("--weight"))?;
    let mut names = Vec::new();
    e.variables(&mut names);
    if let Some(v) = names.iter().find(|v| ring.index(v).is_none()) {
        return Err(Error::Input(format!(
            "--weight names variable '{v}', which is not a variable of the input (add it with --vars)"
        )));
    }
    let p = ring.eval(&e).map_err(parse_err("--weight"))?;
    let mut terms = p.terms();
    match (terms.next(), terms.next()) {
        (Some((exp, c)), None) if c.is_one() => Ok(exp.clone()),
        _ => Err(Error::Input(format!(
            "--weight must be a monomial such as x^2*y (the prior is |x|^2*|y|), got '{}'",
            src.trim()
        ))),
    }
}

/// `--at a=1,b=-1/2`: values of named variables; the others are 0.
fn parse_point(ring: &Ring, src: &str) -> Result<Vec<Rational>> {
    let mut point = vec![Rational::zero(); ring.nvars()];
    let mut given = vec![false; ring.nvars()];
    for item in src.split(',') {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let Some((name, value)) = item.split_once('=') else {
            return Err(Error::Input(format!(
                "--at: expected VAR=VALUE, got '{item}'"
            )));
        };
        let name = name.trim();
        let Some(i) = ring.index(name) else {
            return Err(Error::Input(format!(
                "--at names unknown variable '{name}' (variables: {})",
                ring.names().join(", ")
            )));
        };
        if given[i] {
            return Err(Error::Input(format!("--at gives '{name}' twice")));
        }
        given[i] = true;
        let e = parse_expr(value).map_err(parse_err("--at value"))?;
        let v = Ring::new(vec![]).eval(&e).map_err(|_| {
            Error::Input(format!(
                "--at: the value of '{name}' must be a rational number, got '{}'",
                value.trim()
            ))
        })?;
        point[i] = v.constant_term();
    }
    Ok(point)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_poly(p: &str) -> InputSpec {
        InputSpec {
            poly: Some(p.into()),
            ..Default::default()
        }
    }

    #[test]
    fn translation_to_the_true_point() {
        let mut s = spec_poly("(a*b - 1)^2");
        s.at = Some("a=1,b=1".into());
        let p = Problem::parse(&s);
        let Ok(Problem {
            target: Target::Poly(k),
            ..
        }) = p
        else {
            panic!("parse failed: {p:?}");
        };
        assert_eq!(k.constant_term(), Rational::zero());
        assert_eq!(k.order(), Some(2));
    }

    #[test]
    fn input_errors() {
        let bad = |s: InputSpec| Problem::parse(&s).is_err();
        assert!(bad(spec_poly("x^2 + 1")));
        assert!(bad(spec_poly("x - x")));
        let mut s = spec_poly("x^2");
        s.weight = Some("x + y".into());
        assert!(bad(s));
        let mut s = spec_poly("x^2");
        s.weight = Some("2*x".into());
        assert!(bad(s));
        let mut s = spec_poly("x^2");
        s.at = Some("z=1".into());
        assert!(bad(s));
        let mut s = spec_poly("x^2");
        s.vars = Some("y".into());
        assert!(bad(s));
        assert!(bad(InputSpec::default()));
    }

    #[test]
    fn vars_fix_order_and_add_variables() {
        let mut s = spec_poly("x^2*y^4");
        s.vars = Some("y,x,z".into());
        s.weight = Some("z".into());
        let p = Problem::parse(&s);
        let Ok(p) = p else { panic!("{p:?}") };
        assert_eq!(p.ring.names(), ["y", "x", "z"]);
        assert_eq!(p.weight, vec![0, 0, 1]);
    }
}
