//! The input syntax of INTERFACE.md: integers, rationals (`3/4`) and decimals (`0.25`,
//! read exactly), variables `[A-Za-z_][A-Za-z0-9_]*`, `+ - * /` (division by a nonzero
//! constant only), `^` with a nonnegative integer exponent, parentheses; a list of such
//! expressions separated by top-level commas is an ideal.
//!
//! Parsing produces an [`Expr`] tree that remembers columns; [`crate::poly::Ring::eval`]
//! turns it into a [`crate::poly::Poly`] once the variable order is fixed. Every error
//! carries the 1-based column it points at.

use super::Rational;
use num_bigint::BigInt;
use num_traits::Zero;
use std::fmt;

/// A syntax or evaluation error, pointing at a column of the input (1-based, in
/// characters).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct ParseError {
    /// What is wrong.
    pub message: String,
    /// Where: 1-based character column.
    pub column: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at column {}: {}", self.column, self.message)
    }
}

fn err<T>(column: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        message: message.into(),
        column,
    })
}

/// A parsed expression. Columns are 1-based.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// A rational constant.
    Num(Rational),
    /// A variable, by name, with its column.
    Var(String, usize),
    /// `a + b`.
    Add(Box<Expr>, Box<Expr>),
    /// `a - b`.
    Sub(Box<Expr>, Box<Expr>),
    /// `a * b`.
    Mul(Box<Expr>, Box<Expr>),
    /// `a / b`; the column is the divisor's, for errors.
    Div(Box<Expr>, Box<Expr>, usize),
    /// `-a`.
    Neg(Box<Expr>),
    /// `a ^ k`.
    Pow(Box<Expr>, u32),
}

impl Expr {
    /// Variable names in order of first appearance (left to right).
    pub fn variables(&self, out: &mut Vec<String>) {
        match self {
            Expr::Num(_) => {}
            Expr::Var(v, _) => {
                if !out.contains(v) {
                    out.push(v.clone());
                }
            }
            Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) | Expr::Div(a, b, _) => {
                a.variables(out);
                b.variables(out);
            }
            Expr::Neg(a) | Expr::Pow(a, _) => a.variables(out),
        }
    }

    /// Evaluate an expression without variables; `None` if a variable occurs or a
    /// division by zero happens.
    fn constant_value(&self) -> Option<Rational> {
        Some(match self {
            Expr::Num(q) => q.clone(),
            Expr::Var(..) => return None,
            Expr::Add(a, b) => a.constant_value()? + b.constant_value()?,
            Expr::Sub(a, b) => a.constant_value()? - b.constant_value()?,
            Expr::Mul(a, b) => a.constant_value()? * b.constant_value()?,
            Expr::Div(a, b, _) => {
                let d = b.constant_value()?;
                if d.is_zero() {
                    return None;
                }
                a.constant_value()? / d
            }
            Expr::Neg(a) => -a.constant_value()?,
            Expr::Pow(a, k) => num_traits::pow(a.constant_value()?, *k as usize),
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Num(Rational),
    Ident(String),
    Sym(char),
}

/// Exponents above this are refused: they would only blow up memory.
const MAX_EXPONENT: u32 = 10_000;

/// Deepest nesting of parentheses, signs and powers: the parser and the evaluator
/// recurse, so this bounds their stack use.
const MAX_NESTING: usize = 256;

/// Most operands in one chain `a + b − c …` or `a * b / c …` (a chain is a left-deep tree).
const MAX_CHAIN: usize = 4096;

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, ParseError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let int: String = chars[start..i].iter().collect();
            let mut value = Rational::from_integer(int.parse::<BigInt>().unwrap_or_default());
            if i < chars.len() && chars[i] == '.' {
                i += 1;
                let fs = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let frac: String = chars[fs..i].iter().collect();
                if !frac.is_empty() {
                    let num = frac.parse::<BigInt>().unwrap_or_default();
                    let den = num_traits::pow(BigInt::from(10), frac.len());
                    value += Rational::new(num, den);
                }
            }
            if i < chars.len() && (chars[i].is_ascii_alphabetic() || chars[i] == '_') {
                return err(
                    i + 1,
                    format!(
                        "a number cannot be followed by a name here; write '*' for a product (e.g. 2*{})",
                        chars[i]
                    ),
                );
            }
            out.push((Tok::Num(value), col));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Tok::Ident(chars[start..i].iter().collect()), col));
        } else if "+-*/^(),".contains(c) {
            out.push((Tok::Sym(c), col));
            i += 1;
        } else {
            return err(col, format!("unexpected character '{c}'"));
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    end_col: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.0)
    }
    fn col(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end_col, |t| t.1)
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(&Tok::Sym(c)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return err(
                self.col(),
                format!("the expression is nested more than {MAX_NESTING} levels deep"),
            );
        }
        Ok(())
    }

    fn chain(&self, n: usize) -> Result<(), ParseError> {
        if n > MAX_CHAIN {
            return err(self.col(), format!("more than {MAX_CHAIN} terms or factors in one sum or product; expand it into an ideal or a shorter form"));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.term()?;
        let mut n = 0;
        loop {
            n += 1;
            self.chain(n)?;
            if self.eat('+') {
                lhs = Expr::Add(Box::new(lhs), Box::new(self.term()?));
            } else if self.eat('-') {
                lhs = Expr::Sub(Box::new(lhs), Box::new(self.term()?));
            } else {
                return Ok(lhs);
            }
        }
    }

    fn term(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.unary()?;
        let mut n = 0;
        loop {
            n += 1;
            self.chain(n)?;
            if self.eat('*') {
                lhs = Expr::Mul(Box::new(lhs), Box::new(self.unary()?));
            } else if self.peek() == Some(&Tok::Sym('/')) {
                self.pos += 1;
                let col = self.col();
                lhs = Expr::Div(Box::new(lhs), Box::new(self.unary()?), col);
            } else {
                return Ok(lhs);
            }
        }
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        self.enter()?;
        let e = if self.eat('-') {
            Expr::Neg(Box::new(self.unary()?))
        } else if self.eat('+') {
            self.unary()?
        } else {
            self.power()?
        };
        self.depth -= 1;
        Ok(e)
    }

    fn power(&mut self) -> Result<Expr, ParseError> {
        let base = self.atom()?;
        if !self.eat('^') {
            return Ok(base);
        }
        let col = self.col();
        // Right-associative: the exponent is itself a unary expression, so that
        // `x^-1` parses and can be refused with a precise message.
        let e = self.unary()?;
        let Some(k) = e.constant_value() else {
            return err(col, "the exponent must be a nonnegative integer constant");
        };
        if k < Rational::zero() {
            return err(
                col,
                format!("negative exponent {k} (only nonnegative integers are allowed)"),
            );
        }
        if !k.is_integer() {
            return err(
                col,
                format!("fractional exponent {k} (only nonnegative integers are allowed)"),
            );
        }
        if k > Rational::from_integer(BigInt::from(MAX_EXPONENT)) {
            return err(
                col,
                format!("exponent {k} is too large (at most {MAX_EXPONENT})"),
            );
        }
        let k: u32 = k.to_integer().try_into().unwrap_or(MAX_EXPONENT);
        Ok(Expr::Pow(Box::new(base), k))
    }

    fn atom(&mut self) -> Result<Expr, ParseError> {
        let col = self.col();
        match self.toks.get(self.pos).map(|t| t.0.clone()) {
            Some(Tok::Num(q)) => {
                self.pos += 1;
                Ok(Expr::Num(q))
            }
            Some(Tok::Ident(v)) => {
                self.pos += 1;
                if self.peek() == Some(&Tok::Sym('(')) {
                    return err(
                        self.col(),
                        format!("'{v}(' looks like a function call; only polynomials are accepted (write '*' for a product)"),
                    );
                }
                Ok(Expr::Var(v, col))
            }
            Some(Tok::Sym('(')) => {
                self.pos += 1;
                let e = self.expr()?;
                if !self.eat(')') {
                    return err(
                        self.col(),
                        format!("unbalanced parentheses: '(' at column {col} is not closed"),
                    );
                }
                Ok(e)
            }
            Some(Tok::Sym(')')) => err(col, "unbalanced parentheses: unexpected ')'"),
            Some(Tok::Sym(c)) => err(
                col,
                format!("expected a number, a variable or '(' but found '{c}'"),
            ),
            None => err(
                col,
                "unexpected end of input: expected a number, a variable or '('",
            ),
        }
    }

    fn finish_item(&mut self) -> Result<(), ParseError> {
        match self.peek() {
            None => Ok(()),
            Some(Tok::Sym(')')) => err(self.col(), "unbalanced parentheses: unexpected ')'"),
            Some(Tok::Sym(',')) => Ok(()),
            Some(Tok::Ident(v)) => err(
                self.col(),
                format!("unexpected name '{v}': write '*' for a product"),
            ),
            Some(Tok::Sym('(')) => err(self.col(), "unexpected '(': write '*' for a product"),
            Some(t) => err(self.col(), format!("unexpected {t:?}")),
        }
    }
}

/// Parse one expression (no top-level commas).
///
/// # Errors
/// A [`ParseError`] pointing at the offending column: empty input, unbalanced
/// parentheses, unknown characters, bad exponents, a comma (use [`parse_list`]).
pub fn parse_expr(src: &str) -> Result<Expr, ParseError> {
    let mut items = parse_list(src)?;
    if items.len() != 1 {
        let col = comma_column(src);
        return err(col, "a single polynomial was expected, but the input has a top-level ','; give generators with --ideal");
    }
    Ok(items.remove(0))
}

fn comma_column(src: &str) -> usize {
    let mut depth = 0i32;
    for (i, c) in src.chars().enumerate() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => return i + 1,
            _ => {}
        }
    }
    1
}

/// Parse a comma-separated list of expressions (the generators of an ideal).
///
/// # Errors
/// As [`parse_expr`]; also an empty generator (`a,,b`).
pub fn parse_list(src: &str) -> Result<Vec<Expr>, ParseError> {
    let toks = lex(src)?;
    let end_col = src.chars().count() + 1;
    if toks.is_empty() {
        return err(1, "empty input");
    }
    let mut p = Parser {
        toks,
        pos: 0,
        end_col,
        depth: 0,
    };
    let mut items = Vec::new();
    loop {
        if matches!(p.peek(), None | Some(Tok::Sym(','))) {
            return err(p.col(), "empty generator");
        }
        items.push(p.expr()?);
        p.finish_item()?;
        if !p.eat(',') {
            break;
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col_of(src: &str) -> usize {
        match parse_list(src) {
            Err(e) => e.column,
            Ok(_) => 0,
        }
    }

    #[test]
    fn parses_the_interface_example() {
        let e = parse_expr("(a1*b1 + a2*b2)^2 - 3/4*x^2*y");
        assert!(e.is_ok());
        let mut vars = Vec::new();
        if let Ok(e) = e {
            e.variables(&mut vars);
        }
        assert_eq!(vars, ["a1", "b1", "a2", "b2", "x", "y"]);
    }

    #[test]
    fn errors_point_at_columns() {
        assert_eq!(col_of(""), 1);
        assert_eq!(col_of("x + # y"), 5);
        assert_eq!(col_of("(x + y"), 7);
        assert_eq!(col_of("x + y)"), 6);
        assert_eq!(col_of("x^-1"), 3);
        assert_eq!(col_of("x^(1/2)"), 3);
        assert_eq!(col_of("x^y"), 3);
        assert_eq!(col_of("2x"), 2);
        assert_eq!(col_of("x,,y"), 3);
        assert_eq!(col_of("x y"), 3);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}x{}", "(".repeat(20_000), ")".repeat(20_000));
        assert!(parse_list(&deep).is_err());
        assert!(parse_list(&format!("{}x", "-".repeat(50_000))).is_err());
        let long = vec!["x"; 100_000].join(" + ");
        assert!(parse_list(&long).is_err());
        let ok = format!("{}x{}", "(".repeat(100), ")".repeat(100));
        assert!(parse_list(&ok).is_ok());
    }

    #[test]
    fn decimals_are_exact() {
        let e = parse_expr("0.25").ok().and_then(|e| e.constant_value());
        assert_eq!(e, Some(Rational::new(1.into(), 4.into())));
    }
}
