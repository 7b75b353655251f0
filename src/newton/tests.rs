//! Unit and property tests of the Newton polyhedron module.

use super::*;
use crate::poly::{rat, ratio};
use num_traits::One;
use proptest::prelude::*;

fn big(v: &[i64]) -> Vec<BigInt> {
    v.iter().map(|&x| BigInt::from(x)).collect()
}

fn facet(normal: &[i64], rhs: i64) -> Facet {
    Facet {
        normal: big(normal),
        rhs: BigInt::from(rhs),
    }
}

fn pts(v: &[&[u32]]) -> Vec<Exponent> {
    v.iter().map(|p| p.to_vec()).collect()
}

fn poly(nvars: usize, terms: &[(&[u32], i64)]) -> Poly {
    Poly::from_terms(nvars, terms.iter().map(|(e, c)| (e.to_vec(), rat(*c))))
}

fn np(nvars: usize, points: &[&[u32]]) -> NewtonPolyhedron {
    NewtonPolyhedron::new(nvars, &pts(points)).expect("test polyhedron")
}

fn face_sets(faces: &[Face], dim: usize) -> Vec<Vec<usize>> {
    faces
        .iter()
        .filter(|f| f.dim == dim)
        .map(|f| f.vertices.clone())
        .collect()
}

// ---------------------------------------------------------------------------
// Independent brute force: membership in Γ by Carathéodory on the homogenised cone.
// ---------------------------------------------------------------------------

/// Solve the square system `m · x = b` over ℚ; `None` if singular.
fn solve(mut m: Vec<Vec<Rational>>, mut b: Vec<Rational>) -> Option<Vec<Rational>> {
    let n = b.len();
    for c in 0..n {
        let p = (c..n).find(|&i| !m[i][c].is_zero())?;
        m.swap(c, p);
        b.swap(c, p);
        for i in 0..n {
            if i != c && !m[i][c].is_zero() {
                let f = &m[i][c] / &m[c][c];
                let pivot = m[c].clone();
                for (x, p) in m[i][c..].iter_mut().zip(&pivot[c..]) {
                    *x -= p * &f;
                }
                let t = &b[c] * &f;
                b[i] -= t;
            }
        }
    }
    Some((0..n).map(|i| &b[i] / &m[i][i]).collect())
}

/// All k-subsets of 0..n.
fn subsets(n: usize, k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    fn rec(start: usize, n: usize, k: usize, cur: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if cur.len() == k {
            out.push(cur.clone());
            return;
        }
        for i in start..n {
            cur.push(i);
            rec(i + 1, n, k, cur, out);
            cur.pop();
        }
    }
    rec(0, n, k, &mut cur, &mut out);
    out
}

/// Whether x ∈ conv(points) + cone{e_i : i ∈ dirs}, i.e. (x, 1) is a nonnegative
/// combination of the generators (α, 1), (e_i, 0). By Carathéodory some linearly
/// independent subset of generators does it, and that subset extends (with zero
/// coefficients) to a basis S of their span, of size r = rank. So we try every r-subset
/// S, solve on r rows where S is nonsingular, and verify the whole system exactly.
fn brute_member(d: usize, points: &[Exponent], dirs: &[usize], x: &[Rational]) -> bool {
    let mut gens: Vec<Vec<Rational>> = Vec::new();
    for p in points {
        let mut g: Vec<Rational> = p.iter().map(|&e| rat(i64::from(e))).collect();
        g.push(Rational::one());
        gens.push(g);
    }
    for &i in dirs {
        let mut g = vec![Rational::zero(); d + 1];
        g[i] = Rational::one();
        gens.push(g);
    }
    let mut target: Vec<Rational> = x.to_vec();
    target.push(Rational::one());
    let r = rat_rank(gens.clone());
    for s in subsets(gens.len(), r) {
        for rows in subsets(d + 1, r) {
            let m: Vec<Vec<Rational>> = rows
                .iter()
                .map(|&row| s.iter().map(|&g| gens[g][row].clone()).collect())
                .collect();
            let b: Vec<Rational> = rows.iter().map(|&row| target[row].clone()).collect();
            let Some(lam) = solve(m, b) else { continue };
            // A nonsingular r×r block determines the only candidate for this S.
            let ok = !lam.iter().any(Signed::is_negative)
                && (0..=d).all(|row| {
                    let mut v = Rational::zero();
                    for (l, &g) in lam.iter().zip(&s) {
                        v += l * &gens[g][row];
                    }
                    v == target[row]
                });
            if ok {
                return true;
            }
            break;
        }
    }
    false
}

fn all_dirs(d: usize) -> Vec<usize> {
    (0..d).collect()
}

fn exp_to_rat(e: &[u32]) -> Vec<Rational> {
    e.iter().map(|&x| rat(i64::from(x))).collect()
}

/// Rank of a rational matrix (rows), by elimination.
fn rat_rank(mut m: Vec<Vec<Rational>>) -> usize {
    let ncols = m.first().map_or(0, Vec::len);
    let mut r = 0;
    for c in 0..ncols {
        let Some(p) = (r..m.len()).find(|&i| !m[i][c].is_zero()) else {
            continue;
        };
        m.swap(r, p);
        for i in r + 1..m.len() {
            if !m[i][c].is_zero() {
                let f = &m[i][c] / &m[r][c];
                let pivot = m[r].clone();
                for (x, p) in m[i][c..].iter_mut().zip(&pivot[c..]) {
                    *x -= p * &f;
                }
            }
        }
        r += 1;
    }
    r
}

/// Dimension of the affine hull of some exponents.
fn affine_dim(points: &[&Exponent]) -> usize {
    let Some(first) = points.first() else {
        return 0;
    };
    let rows: Vec<Vec<Rational>> = points[1..]
        .iter()
        .map(|p| {
            p.iter()
                .zip(first.iter())
                .map(|(&a, &b)| rat(i64::from(a) - i64::from(b)))
                .collect()
        })
        .collect();
    rat_rank(rows)
}

// ---------------------------------------------------------------------------
// Worked examples.
// ---------------------------------------------------------------------------

#[test]
fn monomial_x2y2() {
    let g = np(2, &[&[2, 2]]);
    assert_eq!(g.nvars(), 2);
    assert_eq!(g.vertices(), &pts(&[&[2, 2]])[..]);
    assert_eq!(g.facets(), &[facet(&[0, 1], 2), facet(&[1, 0], 2)]);
    let dist = g.distance(&[1, 1]);
    assert_eq!(dist.t_star, rat(2));
    assert_eq!(dist.theta, 2);
    assert_eq!(dist.tight_facets, vec![0, 1]);
    assert_eq!(dist.principal_face.vertices, vec![0]);
    assert_eq!(dist.principal_face.dim, 0);
    assert_eq!(dist.principal_face.weight, big(&[1, 1]));
    assert_eq!(dist.principal_face.value, BigInt::from(4));
    let faces = g.compact_faces(100).unwrap();
    assert_eq!(faces.len(), 1);
    assert_eq!(faces[0].vertices, vec![0]);
    assert_eq!(faces[0].weight, big(&[1, 1]));
}

#[test]
fn x2_plus_y2() {
    let g = NewtonPolyhedron::of_poly(&poly(2, &[(&[2, 0], 1), (&[0, 2], 1)])).unwrap();
    assert_eq!(g.vertices(), &pts(&[&[0, 2], &[2, 0]])[..]);
    assert_eq!(
        g.facets(),
        &[facet(&[0, 1], 0), facet(&[1, 0], 0), facet(&[1, 1], 2)]
    );
    let dist = g.distance(&[1, 1]);
    assert_eq!(dist.t_star, rat(1));
    assert_eq!(dist.theta, 1);
    assert_eq!(dist.tight_facets, vec![2]);
    assert_eq!(dist.principal_face.vertices, vec![0, 1]);
    assert_eq!(dist.principal_face.dim, 1);
    // Prior x^3·y: τ = (4, 2).
    let dist = g.distance(&[4, 2]);
    assert_eq!(dist.t_star, ratio(1, 3));
    assert_eq!(dist.theta, 1);
    let faces = g.compact_faces(100).unwrap();
    assert_eq!(face_sets(&faces, 0), vec![vec![0], vec![1]]);
    assert_eq!(face_sets(&faces, 1), vec![vec![0, 1]]);
    assert_eq!(faces[2].weight, big(&[1, 1]));
    assert_eq!(faces[2].value, BigInt::from(2));
    // Vertex (0, 2): facets x ≥ 0 and x + y ≥ 2, weight (2, 1), value 2.
    assert_eq!(faces[0].weight, big(&[2, 1]));
    assert_eq!(faces[0].value, BigInt::from(2));
    assert!(g.contains(&[rat(1), rat(1)]));
    assert!(!g.contains(&[ratio(1, 2), rat(1)]));
}

#[test]
fn three_pairwise_products() {
    // x²y² + y²z² + z²x²
    let g = np(3, &[&[2, 2, 0], &[0, 2, 2], &[2, 0, 2]]);
    assert_eq!(g.vertices().len(), 3);
    assert!(g.facets().contains(&facet(&[1, 1, 1], 4)));
    let dist = g.distance(&[1, 1, 1]);
    assert_eq!(dist.t_star, ratio(4, 3));
    assert_eq!(dist.theta, 1);
    assert_eq!(dist.principal_face.dim, 2);
    assert_eq!(dist.principal_face.vertices, vec![0, 1, 2]);
    let faces = g.compact_faces(100).unwrap();
    assert_eq!(face_sets(&faces, 0).len(), 3);
    assert_eq!(face_sets(&faces, 1).len(), 3);
    assert_eq!(face_sets(&faces, 2), vec![vec![0, 1, 2]]);
    assert_eq!(faces.len(), 7);
    for f in &faces {
        assert!(f.weight.iter().all(Signed::is_positive));
    }
}

#[test]
fn degenerate_x_plus_y2_squared_plus_z2() {
    // (x + y²)² + z² = x² + 2xy² + y⁴ + z².
    let k = poly(
        3,
        &[
            (&[2, 0, 0], 1),
            (&[1, 2, 0], 2),
            (&[0, 4, 0], 1),
            (&[0, 0, 2], 1),
        ],
    );
    let g = NewtonPolyhedron::of_poly(&k).unwrap();
    // (1,2,0) is the midpoint of the edge (2,0,0)–(0,4,0): not a vertex.
    assert_eq!(
        g.vertices(),
        &pts(&[&[0, 0, 2], &[0, 4, 0], &[2, 0, 0]])[..]
    );
    assert_eq!(
        g.facets(),
        &[
            facet(&[0, 0, 1], 0),
            facet(&[0, 1, 0], 0),
            facet(&[1, 0, 0], 0),
            facet(&[2, 1, 2], 4)
        ]
    );
    // t*·(2+1+2) = 4.
    let dist = g.distance(&[1, 1, 1]);
    assert_eq!(dist.t_star, ratio(4, 5));
    assert_eq!(dist.theta, 1);
    assert_eq!(dist.tight_facets, vec![3]);
    let faces = g.compact_faces(100).unwrap();
    assert_eq!(faces.len(), 7);
    assert_eq!(face_sets(&faces, 2), vec![vec![0, 1, 2]]);
    let edge = faces
        .iter()
        .find(|f| f.vertices == vec![1, 2])
        .expect("edge (0,4,0)–(2,0,0)");
    assert_eq!(edge.dim, 1);
    // Facets 2x+y+2z ≥ 4 and z ≥ 0: weight (2, 1, 3), value 4.
    assert_eq!(edge.weight, big(&[2, 1, 3]));
    assert_eq!(edge.value, BigInt::from(4));
    // The face polynomial on that edge is (x + y²)², with a real torus zero.
    let fp = face_part(&k, &edge.weight, &edge.value);
    assert_eq!(
        fp,
        poly(3, &[(&[2, 0, 0], 1), (&[1, 2, 0], 2), (&[0, 4, 0], 1)])
    );
    // The triangle's face polynomial is all of K.
    let tri = &face_sets(&faces, 2)[0];
    let tri = faces.iter().find(|f| &f.vertices == tri).unwrap();
    assert_eq!(face_part(&k, &tri.weight, &tri.value), k);
    // A value below the minimum gives zero.
    assert!(face_part(&k, &tri.weight, &BigInt::from(3)).is_zero());
}

#[test]
fn x4_plus_y6() {
    let g = np(2, &[&[4, 0], &[0, 6]]);
    assert!(g.facets().contains(&facet(&[3, 2], 12)));
    let dist = g.distance(&[1, 1]);
    assert_eq!(dist.t_star, ratio(12, 5));
    assert_eq!(dist.theta, 1);
}

#[test]
fn monomial_with_prior() {
    // a²b² with τ = (2, 4) (prior a·b³): a ≥ 2 gives 1, b ≥ 2 gives 1/2.
    let g = np(2, &[&[2, 2]]);
    let dist = g.distance(&[2, 4]);
    assert_eq!(dist.t_star, rat(1));
    assert_eq!(dist.theta, 1);
    assert_eq!(dist.tight_facets.len(), 1);
    assert_eq!(g.facets()[dist.tight_facets[0]], facet(&[1, 0], 2));
    // The principal face is the unbounded edge (2,2) + ℝ_{≥0}·e_b.
    assert_eq!(dist.principal_face.dim, 1);
    assert_eq!(dist.principal_face.vertices, vec![0]);
    assert_eq!(dist.principal_face.weight, big(&[1, 0]));
    assert_eq!(dist.principal_face.value, BigInt::from(2));
}

#[test]
fn reduced_rank_regression_2x2_rank1() {
    // variables (b1, b2, a1, a2), points b_i a_j.
    let g = np(
        4,
        &[&[1, 0, 1, 0], &[1, 0, 0, 1], &[0, 1, 1, 0], &[0, 1, 0, 1]],
    );
    assert_eq!(g.vertices().len(), 4);
    assert_eq!(
        g.facets(),
        &[
            facet(&[0, 0, 0, 1], 0),
            facet(&[0, 0, 1, 0], 0),
            facet(&[0, 0, 1, 1], 1),
            facet(&[0, 1, 0, 0], 0),
            facet(&[1, 0, 0, 0], 0),
            facet(&[1, 1, 0, 0], 1),
        ]
    );
    let dist = g.distance(&[1, 1, 1, 1]);
    assert_eq!(dist.t_star, ratio(1, 2));
    assert_eq!(dist.theta, 2);
    assert_eq!(dist.tight_facets, vec![2, 5]);
    assert_eq!(dist.principal_face.dim, 2);
    assert_eq!(dist.principal_face.vertices, vec![0, 1, 2, 3]);
    let faces = g.compact_faces(100).unwrap();
    // The square: 4 vertices, 4 edges, 1 square.
    assert_eq!(face_sets(&faces, 0).len(), 4);
    assert_eq!(face_sets(&faces, 1).len(), 4);
    assert_eq!(face_sets(&faces, 2), vec![vec![0, 1, 2, 3]]);
    // Via the ideal.
    let ideal = Ideal::new(
        4,
        vec![
            poly(4, &[(&[1, 0, 1, 0], 1)]),
            poly(4, &[(&[1, 0, 0, 1], 1), (&[0, 1, 1, 0], 1)]),
            poly(4, &[(&[0, 1, 0, 1], 1)]),
        ],
    );
    assert_eq!(NewtonPolyhedron::of_ideal(&ideal).unwrap(), g);
}

#[test]
fn one_variable() {
    let g = np(1, &[&[5], &[3], &[7]]);
    assert_eq!(g.vertices(), &pts(&[&[3]])[..]);
    assert_eq!(g.facets(), &[facet(&[1], 3)]);
    let dist = g.distance(&[2]);
    assert_eq!(dist.t_star, ratio(3, 2));
    assert_eq!(dist.theta, 1);
    let faces = g.compact_faces(10).unwrap();
    assert_eq!(faces.len(), 1);
    assert_eq!(faces[0].weight, big(&[1]));
    assert_eq!(faces[0].value, BigInt::from(3));
}

#[test]
fn variable_that_never_occurs() {
    // x² in the ring Q[x, y, z].
    let g = np(3, &[&[2, 0, 0]]);
    assert_eq!(
        g.facets(),
        &[
            facet(&[0, 0, 1], 0),
            facet(&[0, 1, 0], 0),
            facet(&[1, 0, 0], 2)
        ]
    );
    let dist = g.distance(&[1, 1, 1]);
    assert_eq!(dist.t_star, rat(2));
    assert_eq!(dist.theta, 1);
    assert_eq!(dist.tight_facets, vec![2]);
    assert_eq!(dist.principal_face.dim, 2);
    assert_eq!(dist.principal_face.weight, big(&[1, 0, 0]));
    let faces = g.compact_faces(10).unwrap();
    assert_eq!(faces.len(), 1);
    assert_eq!(faces[0].weight, big(&[1, 1, 1]));
    assert_eq!(faces[0].value, BigInt::from(2));
}

#[test]
fn constant_term_gives_orthant() {
    let g = np(2, &[&[0, 0], &[1, 3]]);
    assert_eq!(g.vertices(), &pts(&[&[0, 0]])[..]);
    assert_eq!(g.facets(), &[facet(&[0, 1], 0), facet(&[1, 0], 0)]);
    let dist = g.distance(&[1, 1]);
    assert_eq!(dist.t_star, rat(0));
    assert_eq!(dist.theta, 2);
    assert_eq!(dist.principal_face.vertices, vec![0]);
}

#[test]
fn zero_variables() {
    let g = NewtonPolyhedron::new(0, &[vec![]]).unwrap();
    assert_eq!(g.vertices().len(), 1);
    assert!(g.facets().is_empty());
    let dist = g.distance(&[]);
    assert_eq!(dist.t_star, rat(0));
    assert_eq!(dist.theta, 0);
    let faces = g.compact_faces(10).unwrap();
    assert_eq!(faces.len(), 1);
    assert_eq!(faces[0].dim, 0);
    assert!(g.contains(&[]));
}

#[test]
fn empty_inputs() {
    assert_eq!(NewtonPolyhedron::new(2, &[]), Err(NewtonError::Empty));
    assert_eq!(
        NewtonPolyhedron::of_poly(&Poly::zero(3)),
        Err(NewtonError::Empty)
    );
    assert_eq!(
        NewtonPolyhedron::of_ideal(&Ideal::new(2, vec![Poly::zero(2)])),
        Err(NewtonError::Empty)
    );
}

#[test]
fn dominated_points_and_duplicates_are_dropped() {
    let g = np(2, &[&[2, 0], &[3, 1], &[2, 0], &[0, 2], &[1, 1], &[5, 5]]);
    // (1,1) lies on the segment (2,0)–(0,2): not a vertex.
    assert_eq!(g.vertices(), &pts(&[&[0, 2], &[2, 0]])[..]);
    assert_eq!(g, np(2, &[&[0, 2], &[2, 0]]));
}

#[test]
fn budgets() {
    let g = np(3, &[&[2, 2, 0], &[0, 2, 2], &[2, 0, 2]]);
    assert!(matches!(g.compact_faces(3), Err(NewtonError::Budget(_))));
    assert!(g.compact_faces(8).is_ok());
    let points = pts(&[&[2, 2, 0], &[0, 2, 2], &[2, 0, 2], &[1, 1, 1]]);
    assert!(matches!(
        hull::facets_with_budget(3, &points, 4, u64::MAX, u64::MAX),
        Err(NewtonError::Budget(_))
    ));
    assert!(matches!(
        hull::facets_with_budget(3, &points, usize::MAX, u64::MAX, 1),
        Err(NewtonError::Budget(_))
    ));
    assert!(matches!(
        hull::facets_with_budget(3, &points, usize::MAX, 1, u64::MAX),
        Err(NewtonError::Budget(_))
    ));
    assert!(hull::facets_with_budget(3, &points, 100, 1000, 1000).is_ok());
}

#[test]
fn insertion_order_does_not_matter() {
    let a = pts(&[&[4, 0, 1], &[0, 3, 0], &[1, 1, 1], &[0, 0, 5], &[2, 2, 0]]);
    let mut b = a.clone();
    b.reverse();
    let ga = NewtonPolyhedron::new(3, &a).unwrap();
    let mut facets_b = hull::facets(3, &minimal_points(&b)).unwrap();
    facets_b.sort_by(|x, y| (&x.normal, &x.rhs).cmp(&(&y.normal, &y.rhs)));
    assert_eq!(ga.facets(), &facets_b[..]);
    // Reversed insertion through the raw hull (not the sorted front end).
    let mut rev = minimal_points(&a);
    rev.reverse();
    let mut facets_r = hull::facets(3, &rev).unwrap();
    facets_r.sort_by(|x, y| (&x.normal, &x.rhs).cmp(&(&y.normal, &y.rhs)));
    assert_eq!(ga.facets(), &facets_r[..]);
}

#[test]
fn brute_force_membership_sanity() {
    let p = pts(&[&[2, 0], &[0, 2]]);
    assert!(brute_member(2, &p, &all_dirs(2), &[rat(1), rat(1)]));
    assert!(brute_member(2, &p, &all_dirs(2), &[rat(3), rat(0)]));
    assert!(!brute_member(2, &p, &all_dirs(2), &[ratio(1, 2), rat(1)]));
    assert!(!brute_member(2, &p, &[], &[rat(3), rat(0)]));
}

/// The 18-variable point set of 3×3×3 reduced-rank regression: variables b_ik (0..9)
/// and a_kj (9..18), points e_{b_ik} + e_{a_kj}.
fn rrr333_points() -> Vec<Exponent> {
    let mut out = Vec::new();
    for i in 0..3 {
        for j in 0..3 {
            for k in 0..3 {
                let mut e = vec![0u32; 18];
                e[3 * i + k] = 1;
                e[9 + 3 * k + j] = 1;
                out.push(e);
            }
        }
    }
    out
}

#[test]
fn rrr_3x3x3_eighteen_variables() {
    let start = std::time::Instant::now();
    let g = NewtonPolyhedron::new(18, &rrr333_points()).unwrap();
    let t_hull = start.elapsed();
    assert_eq!(g.vertices().len(), 27);
    for p in rrr333_points() {
        assert!(g.contains(&exp_to_rat(&p)));
    }
    // Facets: the 18 coordinate facets and, for each S ⊆ {1,2,3} of inner indices,
    // Σ_{k∈S} Σ_i b_ik + Σ_{k∉S} Σ_j a_kj ≥ 1 (every point uses one inner index k).
    assert_eq!(g.facets().len(), 18 + 8);
    for s in 0..8u32 {
        let mut normal = vec![0i64; 18];
        for k in 0..3 {
            for m in 0..3 {
                if s & (1 << k) != 0 {
                    normal[3 * m + k] = 1; // b_mk
                } else {
                    normal[9 + 3 * k + m] = 1; // a_km
                }
            }
        }
        assert!(g.facets().contains(&facet(&normal, 1)));
    }
    // τ = 1: the barycentre of the 27 points is (1/9, …, 1/9), on all 8 facets, whose
    // normals span u_k − v_k (k = 1, 2, 3) and u_1 + u_2 + u_3: θ = 4.
    let dist = g.distance(&[1; 18]);
    assert_eq!(dist.t_star, ratio(1, 9));
    assert_eq!(dist.theta, 4);
    assert_eq!(dist.tight_facets.len(), 8);
    assert_eq!(dist.principal_face.vertices.len(), 27);
    let t_dist = start.elapsed();
    // The 27 points are the free join of three copies of Δ2 × Δ2 (one per inner index
    // k, in disjoint coordinates), and the whole polytope is a compact face: its faces
    // are joins of faces, (49 + 1)^3 − 1 of them, with Euler characteristic 1.
    let faces = g.compact_faces(1_000_000).unwrap();
    let t_faces = start.elapsed();
    assert_eq!(faces.len(), 50 * 50 * 50 - 1);
    let euler: i64 = faces
        .iter()
        .map(|f| if f.dim % 2 == 0 { 1 } else { -1 })
        .sum();
    assert_eq!(euler, 1);
    assert_eq!(faces.last().map(|f| f.dim), Some(14));
    eprintln!(
        "rrr 3x3x3 (18 variables, 27 points): hull {t_hull:?}, +distance {t_dist:?}, \
         +{} compact faces {t_faces:?}",
        faces.len()
    );
}

// ---------------------------------------------------------------------------
// Property tests on random small point sets.
// ---------------------------------------------------------------------------

fn arb_case() -> impl Strategy<Value = (usize, Vec<Exponent>, Vec<u32>, Vec<Vec<u32>>)> {
    (1usize..=4).prop_flat_map(|d| {
        (
            Just(d),
            prop::collection::vec(prop::collection::vec(0u32..=5, d), 1..=6),
            prop::collection::vec(1u32..=3, d),
            // Test points, in halves: coordinates 0..=12 / 2.
            prop::collection::vec(prop::collection::vec(0u32..=12, d), 3),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn random_polyhedra_are_consistent((d, points, tau, probes) in arb_case()) {
        let g = NewtonPolyhedron::new(d, &points).unwrap();
        let all = all_dirs(d);

        // (1) Every input point satisfies every facet inequality.
        for p in &points {
            prop_assert!(g.contains(&exp_to_rat(p)));
            for f in g.facets() {
                prop_assert!(dot_exp(&f.normal, p) >= f.rhs);
            }
        }

        // Vertices: input points, extreme, and they generate Γ.
        for (k, v) in g.vertices().iter().enumerate() {
            prop_assert!(points.contains(v));
            let others: Vec<Exponent> =
                g.vertices().iter().enumerate().filter(|&(j, _)| j != k).map(|(_, w)| w.clone()).collect();
            prop_assert!(!brute_member(d, &others, &all, &exp_to_rat(v)));
        }
        for p in &points {
            prop_assert!(brute_member(d, g.vertices(), &all, &exp_to_rat(p)));
        }

        // (2) Facets: a ≥ 0 primitive, tight at a vertex, and the tight vertices plus the
        // recession directions e_i with a_i = 0 span a (d−1)-dimensional affine set.
        for f in g.facets() {
            prop_assert!(f.normal.iter().all(|a| !a.is_negative()));
            prop_assert!(linalg::content(&f.normal) == BigInt::one());
            let tight: Vec<&Exponent> =
                g.vertices().iter().filter(|v| dot_exp(&f.normal, v) == f.rhs).collect();
            prop_assert!(!tight.is_empty());
            let mut rows: Vec<Vec<Rational>> = tight[1..]
                .iter()
                .map(|p| p.iter().zip(tight[0].iter()).map(|(&a, &b)| rat(i64::from(a) - i64::from(b))).collect())
                .collect();
            for i in 0..d {
                if f.normal[i].is_zero() {
                    let mut e = vec![Rational::zero(); d];
                    e[i] = Rational::one();
                    rows.push(e);
                }
            }
            prop_assert_eq!(rat_rank(rows), d - 1);
        }

        // Completeness of the facet list: `contains` agrees with brute force.
        for probe in &probes {
            let x: Vec<Rational> = probe.iter().map(|&c| ratio(i64::from(c), 2)).collect();
            prop_assert_eq!(g.contains(&x), brute_member(d, &points, &all, &x));
        }

        // (3) Distance: t*τ ∈ Γ (brute force), (t* − ε)τ ∉ Γ, tight facets are exactly
        // those with equality, and the principal face contains t*τ.
        let dist = g.distance(&tau);
        let on_ray = |t: &Rational| -> Vec<Rational> {
            tau.iter().map(|&c| t * rat(i64::from(c))).collect()
        };
        let x = on_ray(&dist.t_star);
        prop_assert!(brute_member(d, &points, &all, &x));
        if dist.t_star.is_positive() {
            let below = &dist.t_star * ratio(999, 1000);
            prop_assert!(!brute_member(d, &points, &all, &on_ray(&below)));
            prop_assert!(!g.contains(&on_ray(&below)));
        }
        for (k, f) in g.facets().iter().enumerate() {
            let mut s = Rational::zero();
            for (a, xi) in f.normal.iter().zip(&x) {
                s += Rational::from_integer(a.clone()) * xi;
            }
            prop_assert_eq!(dist.tight_facets.contains(&k), s == Rational::from_integer(f.rhs.clone()));
        }
        let pf = &dist.principal_face;
        prop_assert_eq!(dist.theta, d - pf.dim);
        let face_vertices: Vec<Exponent> = pf.vertices.iter().map(|&k| g.vertices()[k].clone()).collect();
        let rec: Vec<usize> = (0..d).filter(|&i| pf.weight[i].is_zero()).collect();
        prop_assert!(brute_member(d, &face_vertices, &rec, &x));
        for v in g.vertices() {
            prop_assert!(dot_exp(&pf.weight, v) >= pf.value);
        }

        // Compact faces: strictly positive weight, minimum attained exactly on the
        // listed vertices, dimension = affine dimension, Euler characteristic 1 (the
        // bounded complex of a pointed polyhedron is contractible).
        let faces = g.compact_faces(10_000).unwrap();
        let mut euler: i64 = 0;
        for f in &faces {
            prop_assert!(f.weight.iter().all(Signed::is_positive));
            let min = points.iter().map(|p| dot_exp(&f.weight, p)).min().unwrap();
            prop_assert_eq!(&min, &f.value);
            let attained: Vec<usize> = (0..g.vertices().len())
                .filter(|&k| dot_exp(&f.weight, &g.vertices()[k]) == f.value)
                .collect();
            prop_assert_eq!(&attained, &f.vertices);
            let vs: Vec<&Exponent> = f.vertices.iter().map(|&k| &g.vertices()[k]).collect();
            prop_assert_eq!(affine_dim(&vs), f.dim);
            let normals: Vec<&[BigInt]> = g
                .facets()
                .iter()
                .filter(|fa| vs.iter().all(|v| dot_exp(&fa.normal, v) == fa.rhs))
                .map(|fa| fa.normal.as_slice())
                .collect();
            prop_assert_eq!(d - linalg::rank(&normals), f.dim);
            euler += if f.dim % 2 == 0 { 1 } else { -1 };
        }
        prop_assert_eq!(euler, 1);
        prop_assert_eq!(faces.iter().filter(|f| f.dim == 0).count(), g.vertices().len());
    }
}

fn sorted_facets(mut f: Vec<Facet>) -> Vec<Facet> {
    f.sort_by(|x, y| (&x.normal, &x.rhs).cmp(&(&y.normal, &y.rhs)));
    f
}

fn arb_larger() -> impl Strategy<Value = (usize, Vec<Exponent>, usize)> {
    (2usize..=6).prop_flat_map(|d| {
        (
            Just(d),
            prop::collection::vec(prop::collection::vec(0u32..=4, d), 1..=14),
            0usize..14,
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Larger random sets: the facet list does not depend on the insertion order of
    /// the double description, every facet is valid and really a facet, and the compact
    /// faces form a complex with Euler characteristic 1.
    #[test]
    fn larger_polyhedra_are_order_independent((d, points, rot) in arb_larger()) {
        let g = NewtonPolyhedron::new(d, &points).unwrap();
        let base = minimal_points(&points);
        let mut rev = base.clone();
        rev.reverse();
        let mut rotated = base.clone();
        let n = rotated.len();
        rotated.rotate_left(rot % n);
        prop_assert_eq!(sorted_facets(hull::facets(d, &rev).unwrap()), g.facets().to_vec());
        prop_assert_eq!(sorted_facets(hull::facets(d, &rotated).unwrap()), g.facets().to_vec());
        for p in &points {
            prop_assert!(g.contains(&exp_to_rat(p)));
        }
        for f in g.facets() {
            let tight: Vec<&Exponent> =
                g.vertices().iter().filter(|v| dot_exp(&f.normal, v) == f.rhs).collect();
            prop_assert!(!tight.is_empty());
            let mut rows: Vec<Vec<Rational>> = tight[1..]
                .iter()
                .map(|p| p.iter().zip(tight[0].iter()).map(|(&a, &b)| rat(i64::from(a) - i64::from(b))).collect())
                .collect();
            for i in 0..d {
                if f.normal[i].is_zero() {
                    let mut e = vec![Rational::zero(); d];
                    e[i] = Rational::one();
                    rows.push(e);
                }
            }
            prop_assert_eq!(rat_rank(rows), d - 1);
        }
        let faces = g.compact_faces(100_000).unwrap();
        let euler: i64 = faces.iter().map(|f| if f.dim % 2 == 0 { 1 } else { -1 }).sum();
        prop_assert_eq!(euler, 1);
        for f in &faces {
            let vs: Vec<&Exponent> = f.vertices.iter().map(|&k| &g.vertices()[k]).collect();
            prop_assert_eq!(affine_dim(&vs), f.dim);
            let normals: Vec<&[BigInt]> = g
                .facets()
                .iter()
                .filter(|fa| vs.iter().all(|v| dot_exp(&fa.normal, v) == fa.rhs))
                .map(|fa| fa.normal.as_slice())
                .collect();
            prop_assert_eq!(d - linalg::rank(&normals), f.dim);
        }
    }
}
