//! Exact integer linear algebra for the Newton module: ranks by fraction-free Gaussian
//! elimination and primitive normalisation. No floating point.

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Zero};

/// The gcd of the absolute values of `v` (zero for the zero vector).
pub(crate) fn content(v: &[BigInt]) -> BigInt {
    let mut g = BigInt::zero();
    for x in v {
        if !x.is_zero() {
            g = g.gcd(x);
            if g.is_one() {
                break;
            }
        }
    }
    g
}

/// Divide `v` by the gcd of its entries (no-op for the zero vector).
pub(crate) fn make_primitive(v: &mut [BigInt]) {
    let g = content(v);
    if !g.is_zero() && !g.is_one() {
        for x in v.iter_mut() {
            *x = &*x / &g;
        }
    }
}

/// The rank of the integer matrix with the given rows (all of the same length).
///
/// Fraction-free Gaussian elimination; each eliminated row is divided by its content so
/// entries stay small.
pub(crate) fn rank<R: AsRef<[BigInt]>>(rows: &[R]) -> usize {
    let small: Option<Vec<Vec<i64>>> = rows
        .iter()
        .map(|r| {
            r.as_ref()
                .iter()
                .map(i64::try_from)
                .collect::<Result<Vec<i64>, _>>()
                .ok()
        })
        .collect();
    if let Some(m) = small {
        if let Some(r) = rank_i64(m) {
            return r;
        }
    }
    rank_big(rows)
}

/// The dimension of the affine hull of some exponent vectors (0 for none or one).
pub(crate) fn affine_rank(points: &[&[u32]]) -> usize {
    let Some((first, rest)) = points.split_first() else {
        return 0;
    };
    let diff = |p: &[u32]| -> Vec<i64> {
        p.iter()
            .zip(first.iter())
            .map(|(&a, &b)| i64::from(a) - i64::from(b))
            .collect()
    };
    let rows: Vec<Vec<i64>> = rest.iter().map(|p| diff(p)).collect();
    if let Some(r) = rank_i64(rows.clone()) {
        return r;
    }
    let big: Vec<Vec<BigInt>> = rows
        .into_iter()
        .map(|r| r.into_iter().map(BigInt::from).collect())
        .collect();
    rank_big(&big)
}

/// gcd of two nonnegative machine integers.
fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// [`rank`] in machine integers; `None` on overflow (the caller then uses `BigInt`).
fn rank_i64(mut m: Vec<Vec<i64>>) -> Option<usize> {
    m.retain(|r| r.iter().any(|&x| x != 0));
    let ncols = m.first().map_or(0, Vec::len);
    let mut r = 0;
    for c in 0..ncols {
        if r == m.len() {
            break;
        }
        let Some(p) = (r..m.len()).find(|&i| m[i][c] != 0) else {
            continue;
        };
        m.swap(r, p);
        let (head, tail) = m.split_at_mut(r + 1);
        let pivot_row = &head[r];
        let pv = pivot_row[c];
        for row in tail.iter_mut() {
            let f = row[c];
            if f == 0 {
                continue;
            }
            let mut g: u64 = 0;
            for k in c..ncols {
                let x = row[k]
                    .checked_mul(pv)?
                    .checked_sub(pivot_row[k].checked_mul(f)?)?;
                row[k] = x;
                g = gcd_u64(g, x.unsigned_abs());
            }
            if g > 1 {
                let g = i64::try_from(g).ok()?;
                for x in &mut row[c..] {
                    *x /= g;
                }
            }
        }
        r += 1;
    }
    Some(r)
}

/// [`rank`] in `BigInt`.
fn rank_big<R: AsRef<[BigInt]>>(rows: &[R]) -> usize {
    let mut m: Vec<Vec<BigInt>> = rows
        .iter()
        .map(AsRef::as_ref)
        .filter(|r| r.iter().any(|x| !x.is_zero()))
        .map(<[BigInt]>::to_vec)
        .collect();
    m.sort();
    m.dedup();
    let ncols = m.first().map_or(0, Vec::len);
    let mut r = 0;
    for c in 0..ncols {
        if r == m.len() {
            break;
        }
        let Some(p) = (r..m.len()).find(|&i| !m[i][c].is_zero()) else {
            continue;
        };
        m.swap(r, p);
        let (head, tail) = m.split_at_mut(r + 1);
        let pivot_row = &head[r];
        let pv = &pivot_row[c];
        for row in tail.iter_mut() {
            if row[c].is_zero() {
                continue;
            }
            let f = row[c].clone();
            for k in c..ncols {
                row[k] = &row[k] * pv - &pivot_row[k] * &f;
            }
            make_primitive(row);
        }
        r += 1;
    }
    r
}

/// Σ of the given vectors and of the given scalars, divided by the gcd of all the
/// resulting entries (left alone when that gcd is 0 or 1).
pub(crate) fn primitive_sum<'a>(
    len: usize,
    items: impl Iterator<Item = (&'a [BigInt], &'a BigInt)> + Clone,
) -> (Vec<BigInt>, BigInt) {
    if let Some(r) = primitive_sum_small(len, items.clone()) {
        return r;
    }
    let mut w = vec![BigInt::zero(); len];
    let mut value = BigInt::zero();
    for (v, b) in items {
        for (wi, ai) in w.iter_mut().zip(v) {
            *wi += ai;
        }
        value += b;
    }
    w.push(value);
    make_primitive(&mut w);
    let value = w.pop().unwrap_or_default();
    (w, value)
}

/// [`primitive_sum`] accumulated in `i128`; `None` if an entry does not fit in `i64`
/// or a sum overflows.
fn primitive_sum_small<'a>(
    len: usize,
    items: impl Iterator<Item = (&'a [BigInt], &'a BigInt)>,
) -> Option<(Vec<BigInt>, BigInt)> {
    let mut w = vec![0i128; len + 1];
    for (v, b) in items {
        for (wi, ai) in w.iter_mut().zip(v.iter().chain(std::iter::once(b))) {
            *wi = wi.checked_add(i128::from(i64::try_from(ai).ok()?))?;
        }
    }
    let mut g: u128 = 0;
    for x in &w {
        let (mut a, mut b) = (g, x.unsigned_abs());
        while b != 0 {
            (a, b) = (b, a % b);
        }
        g = a;
    }
    let g = i128::try_from(g).ok()?;
    let mut out: Vec<BigInt> = w
        .iter()
        .map(|&x| BigInt::from(if g > 1 { x / g } else { x }))
        .collect();
    let value = out.pop()?;
    Some((out, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(rows: &[&[i64]]) -> Vec<Vec<BigInt>> {
        rows.iter()
            .map(|r| r.iter().map(|&x| BigInt::from(x)).collect())
            .collect()
    }

    #[test]
    fn ranks() {
        assert_eq!(rank::<Vec<BigInt>>(&[]), 0);
        assert_eq!(rank(&m(&[&[0, 0]])), 0);
        assert_eq!(rank(&m(&[&[1, 2], &[2, 4]])), 1);
        assert_eq!(rank(&m(&[&[1, 2, 3], &[4, 5, 6], &[7, 8, 9]])), 2);
        assert_eq!(rank(&m(&[&[0, 1, 0], &[1, 0, 0], &[0, 0, 7]])), 3);
        assert_eq!(rank(&m(&[&[0, 0, 1], &[0, 0, 2], &[0, 1, 1]])), 2);
    }

    #[test]
    fn machine_and_big_ranks_agree() {
        let rows = m(&[
            &[3, 5, 7, 11],
            &[2, 4, 6, 8],
            &[1, 1, 1, 1],
            &[5, 9, 13, 19],
        ]);
        assert_eq!(rank(&rows), rank_big(&rows));
        // Row 4 = row 1 + row 2; rows 1–3 are independent.
        assert_eq!(rank(&rows), 3);
        // Entries near i64::MAX overflow the machine path and fall back.
        let huge = i64::MAX / 2;
        let rows = m(&[&[huge, 3], &[3, huge], &[1, 1]]);
        assert_eq!(
            rank_i64(
                rows.iter()
                    .map(|r| r.iter().map(|x| i64::try_from(x).unwrap()).collect())
                    .collect()
            ),
            None
        );
        assert_eq!(rank(&rows), 2);
    }

    #[test]
    fn affine_ranks() {
        let a: [&[u32]; 3] = [&[2, 0, 0], &[1, 2, 0], &[0, 4, 0]];
        assert_eq!(affine_rank(&a), 1);
        let b: [&[u32]; 4] = [&[2, 0, 0], &[0, 4, 0], &[0, 0, 2], &[1, 2, 0]];
        assert_eq!(affine_rank(&b), 2);
        assert_eq!(affine_rank(&[&[1, 1]]), 0);
        assert_eq!(affine_rank(&[]), 0);
    }

    #[test]
    fn primitive_sums() {
        let vs = m(&[&[2, 0, 4], &[0, 2, 2]]);
        let bs = [BigInt::from(4), BigInt::from(2)];
        let items = vs.iter().map(Vec::as_slice).zip(bs.iter());
        assert_eq!(
            primitive_sum(3, items),
            (m(&[&[1, 1, 3]])[0].clone(), BigInt::from(3))
        );
        // Beyond i64: the BigInt path.
        let big: BigInt = BigInt::from(i64::MAX) * BigInt::from(4);
        let vs = [vec![big.clone(), big.clone()]];
        let bs = [big.clone()];
        let items = vs.iter().map(Vec::as_slice).zip(bs.iter());
        assert_eq!(
            primitive_sum(2, items),
            (m(&[&[1, 1]])[0].clone(), BigInt::from(1))
        );
        assert_eq!(
            primitive_sum(2, std::iter::empty()),
            (m(&[&[0, 0]])[0].clone(), BigInt::zero())
        );
    }

    #[test]
    fn primitive() {
        let mut v = m(&[&[4, -6, 0]]).remove(0);
        make_primitive(&mut v);
        assert_eq!(v, m(&[&[2, -3, 0]])[0]);
        assert_eq!(content(&m(&[&[0, 0]])[0]), BigInt::zero());
    }
}
