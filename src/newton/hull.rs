//! Facets of Γ = conv(points) + ℝ^d_{≥0} by the double description method
//! (Motzkin et al. 1953; Fukuda & Prodon 1996, "Double description method revisited").
//!
//! Homogenise: C = cone{(α, 1) : α ∈ points} + cone{(e_i, 0)} ⊂ ℝ^{d+1}. C is
//! full-dimensional and pointed, so its facets are the extreme rays of the dual cone
//! D = {y : ⟨y, g⟩ ≥ 0 for every generator g}. We compute those rays incrementally: the
//! d+1 constraints (e_1,0), …, (e_d,0), (α_0,1) are independent, so their cone is
//! simplicial with known rays; the other point constraints are added one at a time, and
//! a positive and a negative ray are combined only when they are adjacent. Adjacency is
//! decided on the zero sets (bitsets of tight constraints): first the cardinality
//! condition |Z(p) ∩ Z(n)| ≥ dim − 2, on contiguous word arrays, then the combinatorial
//! test "no third ray is tight on Z(p) ∩ Z(n)", scanning only the rays tight on the
//! least-shared constraint of Z(p) ∩ Z(n). A ray y = (a, −b) ≠ (0, …, 0, 1) is the facet
//! ⟨a, x⟩ ≥ b of Γ; (0, …, 0, 1) is the face at infinity t ≥ 0. Every facet of C other
//! than t ≥ 0 meets t = 1, so b = ⟨a, α⟩ ≥ 0 for a point α on it, and a ≥ 0 because
//! (e_i, 0) is a generator.
//!
//! The insertion order is the caller's; [`super::NewtonPolyhedron::new`] uses graded
//! lexicographic order, which was markedly faster than lexicographic or reverse orders
//! on dense random examples. Budgets on the number of rays, of examined ray pairs and
//! of adjacency comparisons bound the running time (a few seconds in release builds).
//!
//! Everything is exact (`BigInt`); rays are kept primitive, so a facet normal is
//! primitive (b is an integer combination of the entries of a).

use super::bitset::BitSet;
use super::linalg::make_primitive;
use super::{Facet, NewtonError};
use crate::poly::Exponent;
use num_bigint::BigInt;
use num_traits::{Signed, Zero};

/// Largest number of rays the intermediate cone may have before we give up.
pub(crate) const MAX_RAYS: usize = 200_000;

/// Largest number of (positive, negative) ray pairs examined (each by one cheap
/// cardinality test on the zero sets) before we give up; bounds the running time.
pub(crate) const MAX_PAIRS: u64 = 4_000_000_000;

/// Largest number of zero-set inclusion tests in the combinatorial adjacency tests
/// before we give up; bounds the running time.
pub(crate) const MAX_WORK: u64 = 2_000_000_000;

/// One ray of the intermediate cone with its zero set (the processed constraints it is
/// tight on).
struct Ray {
    v: Vec<BigInt>,
    zeros: BitSet,
}

/// The value of constraint `c` on the ray `v`: constraints `0..d` are (e_i, 0), constraint
/// `d + j` is (points[j], 1).
fn eval(d: usize, points: &[Exponent], c: usize, v: &[BigInt]) -> BigInt {
    if c < d {
        v[c].clone()
    } else {
        let p = &points[c - d];
        let mut s = v[d].clone();
        for (k, &e) in p.iter().enumerate() {
            if e != 0 && !v[k].is_zero() {
                s += &v[k] * e;
            }
        }
        s
    }
}

/// Indices `k < count` (into the chunks of `nw` words of `neg_words`, one chunk per
/// negative ray) whose zero set shares at least `need` constraints with `p_words`;
/// written to `out`.
fn sharing_candidates(
    p_words: &[u64],
    neg_words: &[u64],
    nw: usize,
    count: usize,
    need: u32,
    out: &mut Vec<usize>,
) {
    out.clear();
    match nw {
        0 => {
            if need == 0 {
                out.extend(0..count);
            }
        }
        1 => {
            let a = p_words[0];
            out.extend(
                neg_words
                    .iter()
                    .enumerate()
                    .filter(|(_, &b)| (a & b).count_ones() >= need)
                    .map(|(k, _)| k),
            );
        }
        _ => out.extend(
            neg_words
                .chunks_exact(nw)
                .enumerate()
                .filter(|(_, b)| {
                    p_words
                        .iter()
                        .zip(b.iter())
                        .map(|(x, y)| (x & y).count_ones())
                        .sum::<u32>()
                        >= need
                })
                .map(|(k, _)| k),
        ),
    }
}

/// The error for an exhausted pair budget.
fn pair_budget(max_pairs: u64, d: usize, npoints: usize) -> NewtonError {
    NewtonError::Budget(format!(
        "double description exceeded {max_pairs} candidate ray pairs \
         ({d} variables, {npoints} points)"
    ))
}

/// The error for an exhausted adjacency budget.
fn work_budget(max_work: u64, d: usize, npoints: usize) -> NewtonError {
    NewtonError::Budget(format!(
        "double description exceeded {max_work} adjacency comparisons \
         ({d} variables, {npoints} points)"
    ))
}

/// The error for an exhausted ray budget.
fn ray_budget(max_rays: usize, d: usize, npoints: usize) -> NewtonError {
    NewtonError::Budget(format!(
        "double description exceeded {max_rays} intermediate rays \
         ({d} variables, {npoints} points)"
    ))
}

/// The facets of conv(points) + ℝ^d_{≥0}, unsorted, within the default budget
/// ([`MAX_RAYS`], [`MAX_PAIRS`], [`MAX_WORK`]).
///
/// `points` must be nonempty, of length `d` each, pairwise distinct; the first point is
/// used for the initial simplicial cone and the others are inserted in the given order.
pub(crate) fn facets(d: usize, points: &[Exponent]) -> Result<Vec<Facet>, NewtonError> {
    facets_with_budget(d, points, MAX_RAYS, MAX_PAIRS, MAX_WORK)
}

/// [`facets`] with an explicit budget: at most `max_rays` rays in any intermediate cone,
/// `max_pairs` (positive, negative) ray pairs examined, and `max_work` zero-set
/// comparisons in the adjacency tests.
pub(crate) fn facets_with_budget(
    d: usize,
    points: &[Exponent],
    max_rays: usize,
    max_pairs: u64,
    max_work: u64,
) -> Result<Vec<Facet>, NewtonError> {
    let Some(first) = points.first() else {
        return Err(NewtonError::Empty);
    };
    let ncons = d + points.len();
    let dim = d + 1;

    // Initial simplicial cone: constraints 0..d and d (the first point). Its rays are the
    // columns of the inverse of the constraint matrix:
    //   r_i = (e_i, −α0_i) tight on every initial constraint except (e_i, 0);
    //   r_d = (0, …, 0, 1) tight on every (e_j, 0), positive on (α0, 1).
    let mut rays: Vec<Ray> = Vec::with_capacity(dim);
    for i in 0..d {
        let mut v = vec![BigInt::zero(); dim];
        v[i] = BigInt::from(1);
        v[d] = -BigInt::from(first[i]);
        let mut zeros = BitSet::new(ncons);
        for j in 0..d {
            if j != i {
                zeros.insert(j);
            }
        }
        zeros.insert(d);
        rays.push(Ray { v, zeros });
    }
    {
        let mut v = vec![BigInt::zero(); dim];
        v[d] = BigInt::from(1);
        let mut zeros = BitSet::new(ncons);
        for j in 0..d {
            zeros.insert(j);
        }
        rays.push(Ray { v, zeros });
    }

    let mut work: u64 = 0;
    let mut pairs: u64 = 0;
    for c in (d + 1)..ncons {
        let vals: Vec<BigInt> = rays.iter().map(|r| eval(d, points, c, &r.v)).collect();
        let neg: Vec<usize> = (0..rays.len()).filter(|&i| vals[i].is_negative()).collect();
        if neg.is_empty() {
            // Redundant so far: only record the new constraint in the zero sets.
            for (r, s) in rays.iter_mut().zip(&vals) {
                if s.is_zero() {
                    r.zeros.insert(c);
                }
            }
            continue;
        }
        let pos: Vec<usize> = (0..rays.len()).filter(|&i| vals[i].is_positive()).collect();
        // tight_on[j]: the rays tight on processed constraint j. A third ray tight on all
        // the common constraints of p and n is in tight_on[j] for each common j, so the
        // adjacency test only scans the shortest such list.
        let mut tight_on: Vec<Vec<usize>> = vec![Vec::new(); c];
        for (k, r) in rays.iter().enumerate() {
            for j in r.zeros.iter() {
                tight_on[j].push(k);
            }
        }

        // Zero sets stored contiguously (nw words per ray): of all rays for the
        // adjacency test, of the negative rays for the cardinality prefilter.
        let nw = rays.first().map_or(0, |r| r.zeros.words().len());
        let all_words: Vec<u64> = rays
            .iter()
            .flat_map(|r| r.zeros.words().iter().copied())
            .collect();
        let neg_words: Vec<u64> = neg
            .iter()
            .flat_map(|&n| rays[n].zeros.words().iter().copied())
            .collect();
        // A ray of the new cone is tight on dim − 1 independent constraints, the new one
        // included: p and n must share at least dim − 2 (Fukuda–Prodon Prop. 7(a)).
        let need = u32::try_from(dim.saturating_sub(2)).unwrap_or(u32::MAX);
        let mut candidates: Vec<usize> = Vec::new();

        let mut new_rays: Vec<Ray> = Vec::new();
        for &p in &pos {
            pairs += neg.len() as u64;
            if pairs > max_pairs {
                return Err(pair_budget(max_pairs, d, points.len()));
            }
            sharing_candidates(
                rays[p].zeros.words(),
                &neg_words,
                nw,
                neg.len(),
                need,
                &mut candidates,
            );
            for &ni in &candidates {
                let n = neg[ni];
                let common = rays[p].zeros.intersection(&rays[n].zeros);
                // Combinatorial adjacency test (Fukuda–Prodon Prop. 7): p and n are
                // adjacent iff no third ray is tight on all their common constraints.
                let adjacent = match common.iter().map(|j| &tight_on[j]).min_by_key(|l| l.len()) {
                    Some(shortest) => {
                        work += shortest.len() as u64;
                        let cw = common.words();
                        shortest.iter().all(|&k| {
                            k == p
                                || k == n
                                || cw
                                    .iter()
                                    .zip(&all_words[k * nw..(k + 1) * nw])
                                    .any(|(a, b)| a & !b != 0)
                        })
                    }
                    // No common constraint (only in dimension ≤ 2): every ray qualifies.
                    None => rays.len() == 2,
                };
                if work > max_work {
                    return Err(work_budget(max_work, d, points.len()));
                }
                if !adjacent {
                    continue;
                }
                // vals[p] > 0 > vals[n]: vals[p]·r_n − vals[n]·r_p is a positive
                // combination vanishing on constraint c.
                let sp = &vals[p];
                let sn = &vals[n];
                let mut v: Vec<BigInt> = rays[n]
                    .v
                    .iter()
                    .zip(&rays[p].v)
                    .map(|(xn, xp)| xn * sp - xp * sn)
                    .collect();
                make_primitive(&mut v);
                let mut zeros = common;
                zeros.insert(c);
                new_rays.push(Ray { v, zeros });
                if rays.len() - neg.len() + new_rays.len() > max_rays {
                    return Err(ray_budget(max_rays, d, points.len()));
                }
            }
        }

        let mut next: Vec<Ray> = Vec::with_capacity(rays.len() - neg.len() + new_rays.len());
        for (r, s) in rays.into_iter().zip(&vals) {
            if s.is_positive() {
                next.push(r);
            } else if s.is_zero() {
                let mut r = r;
                r.zeros.insert(c);
                next.push(r);
            }
        }
        next.extend(new_rays);
        rays = next;
    }

    Ok(rays
        .into_iter()
        .filter(|r| r.v[..d].iter().any(|x| !x.is_zero()))
        .map(|mut r| {
            let b = r.v.pop().map_or_else(BigInt::zero, |t| -t);
            Facet {
                normal: r.v,
                rhs: b,
            }
        })
        .collect())
}
