//! Exact linear algebra over ℚ for the engine and the resolver (the checker keeps its own).

use super::Rational;
use num_traits::Zero;

/// Gauss–Jordan elimination in place: the first `cols` columns of `rows` are brought to
/// reduced row echelon form (entries past `cols`, e.g. an augmented right-hand side, are
/// carried along). Returns the pivot columns in order; row r < their number holds the
/// pivot of column pivots[r], and the rows below are zero in the first `cols` columns.
pub fn reduced_row_echelon(rows: &mut [Vec<Rational>], cols: usize) -> Vec<usize> {
    let mut pivots = Vec::new();
    let mut r = 0;
    for c in 0..cols {
        let Some(k) = (r..rows.len()).find(|&k| !rows[k][c].is_zero()) else {
            continue;
        };
        rows.swap(r, k);
        let lead = rows[r][c].clone();
        for x in rows[r].iter_mut() {
            *x /= &lead;
        }
        let pivot_row = rows[r].clone();
        for (k, row) in rows.iter_mut().enumerate() {
            if k != r && !row[c].is_zero() {
                let f = row[c].clone();
                for (x, y) in row.iter_mut().zip(&pivot_row) {
                    *x -= &f * y;
                }
            }
        }
        pivots.push(c);
        r += 1;
    }
    pivots
}
