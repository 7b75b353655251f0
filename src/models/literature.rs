//! Closed forms from the literature, for *reporting only*: the `reference` and `agrees`
//! fields of a sweep line (and tests). The engine never calls this module — it cannot
//! recognise a family, so a disguised input gets the same treatment as the original —
//! and a sweep attaches these values only after the engine has answered.

use crate::poly::{ratio, Rational};

/// A literature value with its source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// λ.
    pub lambda: Rational,
    /// m.
    pub multiplicity: u32,
    /// Where it comes from.
    pub source: &'static str,
}

/// Aoyagi & Watanabe (2005), Main Theorem: reduced-rank regression with M inputs, N
/// outputs, H hidden units and true rank r.
pub fn reduced_rank(m: usize, n: usize, h: usize, r: usize) -> Reference {
    let [m, n, h, r] = [m, n, h, r].map(|x| i64::try_from(x).unwrap_or(i64::MAX / 8));
    let (lambda, multiplicity) = if n + r <= m + h && m + r <= n + h && h + r <= m + n {
        let base = 2 * (h + r) * (m + n) - (m - n) * (m - n) - (h + r) * (h + r);
        if (m + h + n + r) % 2 == 0 {
            (ratio(base, 8), 1)
        } else {
            (ratio(base + 1, 8), 2)
        }
    } else if m + h < n + r {
        (ratio(h * m - h * r + n * r, 2), 1)
    } else if n + h < m + r {
        (ratio(h * n - h * r + m * r, 2), 1)
    } else {
        (ratio(m * n, 2), 1)
    };
    Reference {
        lambda,
        multiplicity,
        source: "Aoyagi & Watanabe 2005, Main Theorem",
    }
}

/// One hidden layer of H tanh units without biases, true function 0 (Aoyagi & Watanabe
/// 2005; Watanabe 2009 §7): λ = (H + i² + i)/(4i + 2) with i = ⌊√H⌋, m = 2 if i² = H
/// else 1.
pub fn tanh_true_zero(h: usize) -> Reference {
    let h = i64::try_from(h).unwrap_or(i64::MAX / 8);
    let mut i = 0;
    while (i + 1) * (i + 1) <= h {
        i += 1;
    }
    Reference {
        lambda: ratio(h + i * i + i, 4 * i + 2),
        multiplicity: if i * i == h { 2 } else { 1 },
        source:
            "Aoyagi & Watanabe 2005 / Watanabe 2009: (H + i^2 + i)/(4i + 2), i = floor(sqrt(H))",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // M = N = 2, H = 1, r = 0: first case, (2·1·4 − 0 − 1 + 1)/8 = 1 with
        // M + H + N + r odd, so m = 2.
        let r = reduced_rank(2, 2, 1, 0);
        assert_eq!((r.lambda, r.multiplicity), (ratio(1, 1), 2));
        // Regular when the rank is full: MH + NH − H² with H = M = N = 1 gives 1/2.
        let r = reduced_rank(1, 1, 1, 1);
        assert_eq!((r.lambda, r.multiplicity), (ratio(1, 2), 1));
        let t: Vec<(Rational, u32)> = (1..=5)
            .map(|h| {
                let r = tanh_true_zero(h);
                (r.lambda, r.multiplicity)
            })
            .collect();
        assert_eq!(
            t,
            vec![
                (ratio(1, 2), 2),
                (ratio(2, 3), 1),
                (ratio(5, 6), 1),
                (ratio(1, 1), 2),
                (ratio(11, 10), 1)
            ]
        );
    }
}
