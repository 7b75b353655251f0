//! Splitting K into variable-disjoint pieces, for the sum and product rules
//! (DESIGN §2.3; Lin 2017 Prop. 3.7).

use crate::poly::{rat, Exponent, Ideal, Poly, Rational};
use crate::problem::Target;
use num_traits::{Signed, Zero};

/// Union–find over variable indices.
struct Dsu(Vec<usize>);

impl Dsu {
    fn new(n: usize) -> Self {
        Dsu((0..n).collect())
    }
    fn find(&mut self, i: usize) -> usize {
        let p = self.0[i];
        if p == i {
            return i;
        }
        let r = self.find(p);
        self.0[i] = r;
        r
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// Group items (terms or generators) by the connected components of the "shares a
/// variable" relation. Returns the groups of item indices, ordered by their least
/// variable. Items without variables are not expected (K vanishes at the origin).
fn components(nvars: usize, item_vars: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut dsu = Dsu::new(nvars);
    for vars in item_vars {
        for w in vars.windows(2) {
            dsu.union(w[0], w[1]);
        }
    }
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    for (k, vars) in item_vars.iter().enumerate() {
        let root = vars.first().map_or(usize::MAX, |&v| dsu.find(v));
        match groups.iter_mut().find(|g| g.0 == root) {
            Some(g) => g.1.push(k),
            None => groups.push((root, vec![k])),
        }
    }
    groups.sort_by_key(|g| g.0);
    groups.into_iter().map(|g| g.1).collect()
}

fn exp_vars(e: &Exponent) -> Vec<usize> {
    (0..e.len()).filter(|&i| e[i] > 0).collect()
}

/// The summands of K in pairwise disjoint sets of variables: K = K_1 + … + K_c with
/// each K_j in its own variables (for an ideal, the generators grouped likewise:
/// I = I_1 + … + I_c). One piece means no split.
pub fn sum_components(target: &Target) -> Vec<Target> {
    match target {
        Target::Poly(p) => {
            let terms: Vec<(&Exponent, &Rational)> = p.terms().collect();
            let vars: Vec<Vec<usize>> = terms.iter().map(|(e, _)| exp_vars(e)).collect();
            components(p.nvars(), &vars)
                .into_iter()
                .map(|g| {
                    Target::Poly(Poly::from_terms(
                        p.nvars(),
                        g.into_iter()
                            .map(|k| (terms[k].0.clone(), terms[k].1.clone())),
                    ))
                })
                .collect()
        }
        Target::Ideal(i) => {
            let vars: Vec<Vec<usize>> = i.generators().iter().map(Poly::used_vars).collect();
            components(i.nvars(), &vars)
                .into_iter()
                .map(|g| {
                    Target::Ideal(Ideal::new(
                        i.nvars(),
                        g.into_iter().map(|k| i.generators()[k].clone()).collect(),
                    ))
                })
                .collect()
        }
    }
}

/// Factors of K in pairwise disjoint sets of variables, each vanishing at the origin:
/// K = unit · F_1 ⋯ F_r. Factors that do not vanish at the origin are units near it and
/// are dropped (DESIGN §2.4: a positive unit does not change (λ, m)); each factor is
/// normalised to be nonnegative near the origin if K is.
///
/// Separability test: for a polynomial Q, variables x and y lie in different factors
/// iff Q·∂²Q/∂x∂y = ∂Q/∂x·∂Q/∂y (∂x∂y log Q = 0). The components of the graph of
/// inseparable pairs are the finest factorisation into disjoint variable sets; the
/// factors are then read off by specialisation and the product is re-checked exactly,
/// so a failure only means "no split".
pub fn product_factors(p: &Poly) -> Vec<Poly> {
    let n = p.nvars();
    let beta = p.monomial_gcd();
    let Some(q) = p.div_monomial(&beta) else {
        return vec![p.clone()];
    };
    // Factors of q (the part without a monomial factor), in disjoint variable sets.
    let pieces = if q.constant_term().is_zero() {
        disjoint_factors(&q)
    } else {
        Vec::new()
    };
    // Drop units (factors that do not vanish at 0); then put each monomial factor
    // w_i^β_i into the piece that involves w_i, or make it a factor of its own.
    let mut factors: Vec<Poly> = pieces
        .into_iter()
        .filter(|f| f.constant_term().is_zero())
        .collect();
    for (i, &b) in beta.iter().enumerate() {
        if b == 0 {
            continue;
        }
        let mut e = vec![0; n];
        e[i] = b;
        match factors.iter_mut().find(|f| f.degree_in(i).unwrap_or(0) > 0) {
            Some(f) => *f = f.mul_monomial(&e),
            None => factors.push(Poly::monomial(n, e, rat(1))),
        }
    }
    factors.sort_by_key(|f| f.used_vars().first().copied());
    normalise(factors)
}

/// Factors of `q` in pairwise disjoint sets of variables whose product is a constant
/// multiple of `q` (the finest such factorisation that the separability test finds;
/// `[q]` when there is none). Units are kept.
pub fn disjoint_factors(q: &Poly) -> Vec<Poly> {
    let var_sets = separable_sets(q);
    if var_sets.len() > 1 {
        if let Some(fs) = specialise_factors(q, &var_sets) {
            return fs;
        }
    }
    vec![q.clone()]
}

/// The finest partition of the variables of `q` into sets along which `q` separates.
fn separable_sets(q: &Poly) -> Vec<Vec<usize>> {
    let n = q.nvars();
    let vars = q.used_vars();
    let mut dsu = Dsu::new(n);
    let derivs: Vec<Poly> = (0..n).map(|i| q.derivative(i)).collect();
    // Two fixed integer points with distinct coordinates (integers keep the evaluation
    // cheap; any point where the sides differ is a disproof).
    let probe: Vec<Vec<Rational>> = [(2i64, 3i64), (-3, 2)]
        .iter()
        .map(|(a, b)| (0..n as i64).map(|i| rat(a + b * i)).collect())
        .collect();
    // q and its first derivatives at the probe points, once (they do not depend on the pair).
    let at_probe: Vec<(Rational, Vec<Rational>)> = probe
        .iter()
        .map(|point| {
            (
                q.eval(point),
                derivs.iter().map(|d| d.eval(point)).collect(),
            )
        })
        .collect();
    for (a, &x) in vars.iter().enumerate() {
        for &y in &vars[a + 1..] {
            if dsu.find(x) == dsu.find(y) {
                continue;
            }
            // q·∂²q/∂x∂y = ∂q/∂x·∂q/∂y is an identity to test; a point where the two
            // sides differ disproves it without expanding the products (which dominate the
            // cost for large q), and only an agreement at the point is settled exactly.
            let dxy = derivs[x].derivative(y);
            let differs_at_point = probe
                .iter()
                .zip(&at_probe)
                .any(|(point, (qv, dv))| qv * dxy.eval(point) != &dv[x] * &dv[y]);
            if differs_at_point || q * &dxy != &derivs[x] * &derivs[y] {
                dsu.union(x, y);
            }
        }
    }
    let mut sets: Vec<(usize, Vec<usize>)> = Vec::new();
    for &v in &vars {
        let root = dsu.find(v);
        match sets.iter_mut().find(|s| s.0 == root) {
            Some(s) => s.1.push(v),
            None => sets.push((root, vec![v])),
        }
    }
    sets.into_iter().map(|s| s.1).collect()
}

/// Make each factor's lexicographically least term positive: that term is a vertex of
/// the Newton polyhedron (it minimises a strictly positive weight (1, ε, ε², …)), so a
/// factor of constant sign near 0 has the sign of that coefficient.
fn normalise(factors: Vec<Poly>) -> Vec<Poly> {
    factors
        .into_iter()
        .map(|f| {
            let negative = f.terms().next().is_some_and(|(_, c)| c.is_negative());
            if negative {
                -f
            } else {
                f
            }
        })
        .collect()
}

/// Read the factors of `q` on the variable sets by setting the other variables to a
/// point where the rest does not vanish; `None` unless the product is re-verified.
fn specialise_factors(q: &Poly, var_sets: &[Vec<usize>]) -> Option<Vec<Poly>> {
    let n = q.nvars();
    // Candidate specialisation points: the origin, then points with distinct small
    // coordinates (a common value could sit on a factor's zero set, like y = z for
    // (y − z)²). The product is re-verified, so a bad point only costs an attempt.
    for attempt in 0..8i64 {
        let point: Vec<Rational> = (0..n as i64)
            .map(|i| {
                rat(if attempt == 0 {
                    0
                } else {
                    (attempt * 7 + i * 5) % 13 - 6
                })
            })
            .collect();
        let mut fs = Vec::new();
        for set in var_sets {
            let images: Vec<Poly> = (0..n)
                .map(|i| {
                    if set.contains(&i) {
                        Poly::var(n, i)
                    } else {
                        Poly::constant(n, point[i].clone())
                    }
                })
                .collect();
            fs.push(q.compose(&images));
        }
        if fs.iter().any(Poly::is_zero) {
            continue;
        }
        let prod = fs.iter().skip(1).fold(fs[0].clone(), |acc, f| &acc * f);
        // q = c · prod for a constant c: compare one coefficient, then check exactly.
        let (e, qc) = q.terms().next()?;
        let pc = prod.coeff(e);
        if pc.is_zero() {
            continue;
        }
        let c = qc / &pc;
        if prod.scale(&c) == *q {
            return Some(fs);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn poly(src: &str, names: &[&str]) -> Poly {
        crate::poly::parse_in(names, src)
    }

    #[test]
    fn sum_split() {
        let k = poly("x^2*y^2 + z^2 + z*w", &["x", "y", "z", "w"]);
        let parts = sum_components(&Target::Poly(k));
        assert_eq!(parts.len(), 2);
    }

    #[test]
    fn product_split() {
        let k = poly(
            "x^2*(y - z)^2*(1 + x)*(w^2 + v^4)",
            &["x", "y", "z", "w", "v"],
        );
        let fs = product_factors(&k);
        // x^2 (monomial), (y - z)^2, (w^2 + v^4); the unit (1 + x) dropped.
        assert_eq!(fs.len(), 3, "{fs:?}");
        let k = poly("(x*y + z^2)^2", &["x", "y", "z"]);
        assert_eq!(product_factors(&k).len(), 1);
        // The monomial factor x^2 shares x with (x^2 + y^2): one factor.
        let k = poly("x^2*(x^2 + y^2)*z^4", &["x", "y", "z"]);
        assert_eq!(product_factors(&k).len(), 2);
    }

    #[test]
    fn negative_factors_are_flipped() {
        let k = poly("(-x^2)*(-y^2 - y^4)", &["x", "y"]);
        let fs = product_factors(&k);
        assert_eq!(fs.len(), 2);
        assert!(fs.iter().all(|f| f.terms().all(|(_, c)| c.is_positive())));
    }
}
