//! Variable names: a [`Ring`] turns parsed expressions into polynomials and prints them.

use super::parse::{Expr, ParseError};
use super::{format_rational, Poly, Rational};
use num_traits::{One, Signed, Zero};

/// The polynomial ring ℚ[w_1, …, w_d] with named variables, in a fixed order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ring {
    names: Vec<String>,
}

impl Ring {
    /// A ring with these variable names (order matters: it is the order of exponents).
    pub fn new(names: Vec<String>) -> Self {
        Ring { names }
    }

    /// Number of variables.
    pub fn nvars(&self) -> usize {
        self.names.len()
    }

    /// The variable names.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Index of a variable by name.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Add a variable (if new) and return its index.
    pub fn add_var(&mut self, name: &str) -> usize {
        match self.index(name) {
            Some(i) => i,
            None => {
                self.names.push(name.to_string());
                self.names.len() - 1
            }
        }
    }

    /// Evaluate a parsed expression in this ring.
    ///
    /// # Errors
    /// An unknown variable, a division by a non-constant or by zero.
    pub fn eval(&self, e: &Expr) -> Result<Poly, ParseError> {
        let n = self.nvars();
        Ok(match e {
            Expr::Num(q) => Poly::constant(n, q.clone()),
            Expr::Var(v, col) => match self.index(v) {
                Some(i) => Poly::var(n, i),
                None => {
                    return Err(ParseError {
                        message: format!("unknown variable '{v}'"),
                        column: *col,
                    })
                }
            },
            Expr::Add(a, b) => &self.eval(a)? + &self.eval(b)?,
            Expr::Sub(a, b) => &self.eval(a)? - &self.eval(b)?,
            Expr::Mul(a, b) => {
                let (a, b) = (self.eval(a)?, self.eval(b)?);
                let bound = a
                    .num_terms()
                    .saturating_mul(b.num_terms())
                    .min(monomials_up_to(
                        union_len(&a.used_vars(), &b.used_vars()),
                        a.total_degree().unwrap_or(0) + b.total_degree().unwrap_or(0),
                    ));
                check_size(bound)?;
                &a * &b
            }
            Expr::Div(a, b, col) => {
                let d = self.eval(b)?;
                if !d.is_constant() {
                    return Err(ParseError {
                        message: "division by a non-constant expression (only division by a nonzero number is allowed)".into(),
                        column: *col,
                    });
                }
                let c = d.constant_term();
                if c.is_zero() {
                    return Err(ParseError {
                        message: "division by zero".into(),
                        column: *col,
                    });
                }
                self.eval(a)?.scale(&(Rational::one() / c))
            }
            Expr::Neg(a) => -&self.eval(a)?,
            Expr::Pow(a, k) => {
                let a = self.eval(a)?;
                if a.num_terms() > 1 {
                    let degree = a.total_degree().unwrap_or(0).saturating_mul(*k);
                    // Monomials of bounded degree, or multisets of k of a's terms.
                    let bound = monomials_up_to(a.used_vars().len(), degree)
                        .min(monomials_up_to(a.num_terms() - 1, *k));
                    check_size(bound)?;
                }
                a.pow(*k)
            }
        })
    }

    /// Parse one polynomial in this ring's variables.
    ///
    /// # Errors
    /// A syntax error, an unknown variable, or a division by a non-constant or zero.
    pub fn parse(&self, src: &str) -> Result<Poly, ParseError> {
        self.eval(&super::parse_expr(src)?)
    }

    /// Print a polynomial of this ring with its variable names.
    pub fn show(&self, p: &Poly) -> String {
        format_poly(p, &self.names)
    }

    /// Replace the placeholder names `w0, w1, …` that name-free code (such as
    /// [`crate::realroots`]) prints with this ring's variable names.
    pub fn rename_placeholders(&self, text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < chars.len() {
            let boundary = i == 0 || !(chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '_');
            if boundary && chars[i] == 'w' {
                let mut j = i + 1;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
                let ends =
                    j == chars.len() || !(chars[j].is_ascii_alphanumeric() || chars[j] == '_');
                if j > i + 1 && ends {
                    let idx: String = chars[i + 1..j].iter().collect();
                    if let Some(name) = idx.parse::<usize>().ok().and_then(|k| self.names.get(k)) {
                        out.push_str(name);
                        i = j;
                        continue;
                    }
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        out
    }

    /// Print a monomial `w^α` (`1` for α = 0).
    pub fn show_monomial(&self, exp: &[u32]) -> String {
        let s = monomial_string(exp, &self.names);
        if s.is_empty() {
            "1".into()
        } else {
            s
        }
    }
}

fn monomial_string(exp: &[u32], names: &[String]) -> String {
    let mut parts = Vec::new();
    for (i, &k) in exp.iter().enumerate() {
        match k {
            0 => {}
            1 => parts.push(names[i].clone()),
            _ => parts.push(format!("{}^{}", names[i], k)),
        }
    }
    parts.join("*")
}

/// Print in the input syntax, highest total degree first, so the output parses back.
pub(super) fn format_poly(p: &Poly, names: &[String]) -> String {
    if p.is_zero() {
        return "0".into();
    }
    let mut terms: Vec<_> = p.terms().collect();
    terms.sort_by(|a, b| {
        let da: u32 = a.0.iter().sum();
        let db: u32 = b.0.iter().sum();
        db.cmp(&da).then_with(|| b.0.cmp(a.0))
    });
    let mut out = String::new();
    for (i, (e, c)) in terms.into_iter().enumerate() {
        let neg = c.is_negative();
        if i == 0 {
            if neg {
                out.push('-');
            }
        } else {
            out.push_str(if neg { " - " } else { " + " });
        }
        let a = c.abs();
        let m = monomial_string(e, names);
        if m.is_empty() {
            out.push_str(&format_rational(&a));
        } else if a.is_one() {
            out.push_str(&m);
        } else {
            out.push_str(&format_rational(&a));
            out.push('*');
            out.push_str(&m);
        }
    }
    out
}

/// The most terms an input expression may expand to: beyond it, expanding alone takes
/// minutes and gigabytes (e.g. (x + y + z)^3000 has 4.5 million terms), before any
/// `--timeout` could apply.
pub const MAX_EXPANDED_TERMS: usize = 200_000;

fn check_size(bound: usize) -> Result<(), ParseError> {
    if bound > MAX_EXPANDED_TERMS {
        return Err(ParseError {
            message: format!(
                "the expression expands to more than {MAX_EXPANDED_TERMS} terms (a product or power is too large to expand)"
            ),
            column: 1,
        });
    }
    Ok(())
}

/// The number of monomials of degree at most `degree` in `vars` variables,
/// C(vars + degree, vars), saturating at `usize::MAX`.
fn monomials_up_to(vars: usize, degree: u32) -> usize {
    let mut c: u128 = 1;
    for i in 1..=vars as u128 {
        c = c.saturating_mul(u128::from(degree) + i) / i;
        if c > u128::from(u64::MAX) {
            return usize::MAX;
        }
    }
    usize::try_from(c).unwrap_or(usize::MAX)
}

/// The size of the union of two sorted variable lists.
fn union_len(a: &[usize], b: &[usize]) -> usize {
    a.len() + b.iter().filter(|v| !a.contains(v)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poly::parse_expr;

    fn ring_of(src: &str) -> (Ring, Expr) {
        let e = parse_expr(src).unwrap_or(Expr::Num(Rational::zero()));
        let mut names = Vec::new();
        e.variables(&mut names);
        (Ring::new(names), e)
    }

    #[test]
    fn print_parse_round_trip() {
        for src in [
            "(x - y)^2",
            "(a1*b1 + a2*b2)^2 - 3/4*x^2*y",
            "-x^3 + 7/2",
            "(x + y^2)^2 + z^2",
        ] {
            let (r, e) = ring_of(src);
            let p = r.eval(&e).unwrap_or_else(|_| Poly::zero(r.nvars()));
            let printed = r.show(&p);
            let e2 = parse_expr(&printed).unwrap_or(Expr::Num(Rational::zero()));
            assert_eq!(r.eval(&e2).ok(), Some(p), "{src} -> {printed}");
        }
    }

    #[test]
    fn placeholders_become_names() {
        let r = Ring::new(vec!["a".into(), "b".into()]);
        assert_eq!(
            r.rename_placeholders("zero where w0*w1^-1 = -1, w12, aw0"),
            "zero where a*b^-1 = -1, w12, aw0"
        );
    }

    #[test]
    fn division_rules() {
        let (r, e) = ring_of("x/2 + y/(1-1)");
        assert_eq!(r.eval(&e).map_err(|e| e.column).err(), Some(9));
        let (r, e) = ring_of("x/y");
        assert_eq!(r.eval(&e).map_err(|e| e.column).err(), Some(3));
        let (r, e) = ring_of("x/(4/2)");
        assert_eq!(
            r.eval(&e).ok(),
            Some(Poly::var(1, 0).scale(&crate::poly::ratio(1, 2)))
        );
    }
}
