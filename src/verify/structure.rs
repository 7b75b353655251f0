//! Check 1 of the module doc: the chart tree, its steps, substitutions and ranges; and
//! the composite maps and Jacobian determinants (chain rule) every leaf needs.
//!
//! Soundness of the cover (FORMAT.md *Steps*): a complete blow-up family of a centre S of
//! small coordinates covers a neighbourhood of C_parent, because near C_parent every point
//! with y_S ≠ 0 lies in the chart i ∈ S of largest |y_i|, where every y_j/y_i is in
//! [−1, 1] (and y_S = 0 has measure zero); a triangular change y_j ↦ (y_j − r)/c with
//! c ≠ 0 and r free of y_j is a polynomial automorphism, and r = 0 on C keeps C fixed;
//! a translate moves a leaf's excepted hyperplane {y_j = c}, c in the bounded range of
//! y_j, to the origin of a child responsible for a neighbourhood of it.

use super::format::{CertificateJson, ChartJson, CoverJson, StepJson};
use super::{degree, duplicate, max_degree, parse_poly, parse_rational, VerifyError};
use super::{MAX_DEGREE, MAX_STRING_DEGREE};
use crate::poly::{Poly, Rational, Ring};
use num_traits::{One, Zero};

/// A bounded range `[lo, hi]`, or `None` for a small coordinate.
pub(super) type Range = Option<(Rational, Rational)>;

/// A chart after parsing.
pub(super) struct Chart {
    /// Names of the coordinates, for parsing the chart's strings.
    pub ring: Ring,
    /// The parent id; `None` for the root.
    pub parent: Option<usize>,
    /// The step from the parent.
    pub step: Step,
    /// Parent coordinate k = `substitution[k]`; empty for the root.
    pub substitution: Vec<Poly>,
    /// Per coordinate.
    pub ranges: Vec<Range>,
    /// Split children, or a leaf with its excepted (translate) children.
    pub cover: Cover,
}

impl Chart {
    /// Whether coordinate `j` is small.
    pub fn is_small(&self, j: usize) -> bool {
        matches!(self.ranges.get(j), Some(None))
    }
}

/// A parsed step.
#[derive(Clone, Debug)]
pub(super) enum Step {
    Root,
    Blowup {
        centre: Vec<usize>,
        chart: usize,
    },
    Translate {
        coordinate: usize,
        to: Rational,
    },
    Coordinate {
        coordinate: usize,
    },
    Shift {
        coordinate: usize,
    },
    /// Addendum 12 (its data is checked by `super::forward`). `rebased`: the changed
    /// coordinates that are bounded in the parent (Addendum 13): the child does not
    /// inherit the parent's avoided hyperplanes of those.
    Forward {
        rebased: Vec<usize>,
    },
}

/// A parsed cover.
#[derive(Clone, Debug)]
pub(super) enum Cover {
    /// Split into these children, with translate children at excluded hyperplanes.
    Split(Vec<usize>, Vec<usize>),
    /// A leaf; these are its translate children.
    Leaf(Vec<usize>),
}

impl Cover {
    fn listed(&self) -> Vec<usize> {
        match self {
            Cover::Split(c, e) => c.iter().chain(e).copied().collect(),
            Cover::Leaf(c) => c.clone(),
        }
    }

    /// The translate children: a leaf's excepted hyperplanes, or a split chart's excluded
    /// ones (Addendum 4), in order.
    fn except(&self) -> &[usize] {
        match self {
            Cover::Split(_, e) | Cover::Leaf(e) => e,
        }
    }
}

/// The composite map w = map(y) of a chart and det(D map).
pub(super) struct Geometry {
    /// One polynomial per original variable, in the chart's coordinates.
    pub map: Vec<Poly>,
    /// The Jacobian determinant of `map`.
    pub det: Poly,
    /// The chart whose inputs and weight `map` starts from: the root, or the nearest
    /// forward-step ancestor (Addendum 12), itself included.
    pub base: usize,
}

/// Parse every chart and check the tree, the steps, the substitutions and the ranges.
///
/// # Errors
/// The first violated rule, naming the chart.
pub(super) fn check(cert: &CertificateJson, n: usize) -> Result<Vec<Chart>, VerifyError> {
    if cert.charts.is_empty() {
        return Err(VerifyError::Header("no charts".into()));
    }
    let mut charts = cert
        .charts
        .iter()
        .enumerate()
        .map(|(k, c)| parse_chart(k, c, n))
        .collect::<Result<Vec<_>, _>>()?;
    check_links(&charts)?;
    // Addendum 13: which coordinates a forward step changes that are bounded in the
    // parent (the image is in the parent's names; `super::forward` re-checks it all).
    for (id, c) in cert.charts.iter().enumerate() {
        let (StepJson::Forward(json), Some(p)) = (&c.step, charts[id].parent) else {
            continue;
        };
        let parent = &charts[p];
        let mut rebased = Vec::new();
        for (k, s) in json.image.iter().enumerate() {
            let Ok(image) = parse_poly(&parent.ring, s) else {
                continue;
            };
            if k < n && !parent.is_small(k) && image != Poly::var(n, k) {
                rebased.push(k);
            }
        }
        charts[id].step = Step::Forward { rebased };
    }
    for (id, chart) in charts.iter().enumerate() {
        check_cover(id, chart, &charts)?;
        if let Some(p) = chart.parent {
            // `check_links` made sure the parent index is valid.
            if let Some(parent) = charts.get(p) {
                check_step(id, chart, parent)?;
                if let Step::Shift { coordinate } = chart.step {
                    // The shift changes what coordinate j means: a hyperplane {y_j = c}
                    // the parent does not answer for would not be one in the child.
                    if let Some((_, c)) = avoided_hyperplanes(p, &charts)
                        .into_iter()
                        .find(|(k, _)| *k == coordinate)
                    {
                        return Err(VerifyError::Step {
                            chart: id,
                            message: format!(
                                "shift of coordinate {coordinate}, but the parent avoids the hyperplane {{y_{coordinate} = {}}}",
                                crate::poly::format_rational(&c)
                            ),
                        });
                    }
                }
            }
        }
    }
    Ok(charts)
}

fn parse_chart(k: usize, c: &ChartJson, n: usize) -> Result<Chart, VerifyError> {
    let structure = |message: String| VerifyError::Structure { chart: k, message };
    if c.id != k {
        return Err(structure(format!("chart at position {k} has id {}", c.id)));
    }
    if c.coordinates.len() != n {
        return Err(structure(format!(
            "{} coordinates, expected {n}",
            c.coordinates.len()
        )));
    }
    if let Some(dup) = duplicate(&c.coordinates) {
        return Err(structure(format!("coordinate '{dup}' is repeated")));
    }
    if c.ranges.len() != n {
        return Err(structure(format!(
            "{} ranges, expected {n}",
            c.ranges.len()
        )));
    }
    let parse_err = |what: String, message: String| VerifyError::Parse {
        chart: k,
        what,
        message,
    };
    let mut ranges = Vec::with_capacity(n);
    for (j, r) in c.ranges.iter().enumerate() {
        ranges.push(match r {
            None => None,
            Some(v) => {
                if v.len() != 2 {
                    return Err(structure(format!(
                        "range {j} has {} entries, expected 2",
                        v.len()
                    )));
                }
                let lo = parse_rational(&v[0]).map_err(|m| parse_err(format!("range {j}"), m))?;
                let hi = parse_rational(&v[1]).map_err(|m| parse_err(format!("range {j}"), m))?;
                if lo > hi {
                    return Err(structure(format!("range {j} is empty (lo > hi)")));
                }
                Some((lo, hi))
            }
        });
    }
    let ring = Ring::new(c.coordinates.clone());
    let substitution = match &c.substitution {
        None => Vec::new(),
        Some(s) => {
            if s.len() != n {
                return Err(structure(format!(
                    "substitution has {} entries, expected {n}",
                    s.len()
                )));
            }
            s.iter()
                .enumerate()
                .map(|(j, p)| {
                    parse_poly(&ring, p).map_err(|m| parse_err(format!("substitution {j}"), m))
                })
                .collect::<Result<Vec<_>, _>>()?
        }
    };
    // A forward step (Addendum 12) has no polynomial substitution parent = φ(child).
    let forward = matches!(c.step, StepJson::Forward(_));
    if c.substitution.is_none() != (c.parent.is_none() || forward) {
        return Err(structure(
            "substitution must be null exactly for the root (parent null) and forward steps".into(),
        ));
    }
    let step = match &c.step {
        StepJson::Root => Step::Root,
        StepJson::Blowup { centre, chart } => Step::Blowup {
            centre: centre.clone(),
            chart: *chart,
        },
        StepJson::Translate { coordinate, to } => Step::Translate {
            coordinate: *coordinate,
            to: parse_rational(to).map_err(|m| parse_err("translate target".into(), m))?,
        },
        StepJson::Coordinate { coordinate } => Step::Coordinate {
            coordinate: *coordinate,
        },
        StepJson::Shift { coordinate } => Step::Shift {
            coordinate: *coordinate,
        },
        StepJson::Forward(_) => Step::Forward {
            rebased: Vec::new(),
        },
    };
    let cover = match (&c.cover, &c.leaf) {
        (CoverJson::Split { children, except }, None) => {
            Cover::Split(children.clone(), except.clone())
        }
        (CoverJson::Split { .. }, Some(_)) => {
            return Err(structure("a split chart must not have a leaf".into()))
        }
        (CoverJson::Leaf, Some(leaf)) => Cover::Leaf(leaf.except.clone()),
        (CoverJson::Leaf, None) => {
            return Err(structure("cover kind 'leaf' but no leaf data".into()))
        }
    };
    Ok(Chart {
        ring,
        parent: c.parent,
        step,
        substitution,
        ranges,
        cover,
    })
}

/// The root is chart 0 and alone; every other chart is listed exactly once, by its
/// parent; everything is reachable from the root (so there is no cycle).
fn check_links(charts: &[Chart]) -> Result<(), VerifyError> {
    let structure = |chart: usize, message: String| VerifyError::Structure { chart, message };
    let root = &charts[0];
    if root.parent.is_some() || !matches!(root.step, Step::Root) {
        return Err(structure(
            0,
            "chart 0 must be the root: parent null, step 'root'".into(),
        ));
    }
    if root.ranges.iter().any(Option::is_some) {
        return Err(structure(
            0,
            "the root's ranges must all be null (small)".into(),
        ));
    }
    let mut listed_by: Vec<Vec<usize>> = vec![Vec::new(); charts.len()];
    for (id, c) in charts.iter().enumerate() {
        if id > 0 {
            match c.parent {
                None => return Err(structure(id, "only chart 0 may have no parent".into())),
                Some(p) if p >= charts.len() || p == id => {
                    return Err(structure(id, format!("invalid parent {p}")))
                }
                Some(_) => {}
            }
            if matches!(c.step, Step::Root) {
                return Err(structure(id, "step 'root' on a non-root chart".into()));
            }
        }
        for child in c.cover.listed() {
            if child >= charts.len() {
                return Err(structure(
                    id,
                    format!("lists chart {child}, which does not exist"),
                ));
            }
            if child == 0 {
                return Err(structure(id, "lists the root chart 0 as a child".into()));
            }
            listed_by[child].push(id);
        }
    }
    for (id, c) in charts.iter().enumerate().skip(1) {
        let Some(p) = c.parent else { continue };
        if listed_by[id] != [p] {
            return Err(structure(
                id,
                format!(
                    "must be listed exactly once, by its parent {p} (cover.children or \
                     leaf.except); listed by {:?}",
                    listed_by[id]
                ),
            ));
        }
    }
    // Breadth-first from the root: with one parent per chart, reaching every chart means
    // the parent links form a tree.
    let mut seen = vec![false; charts.len()];
    seen[0] = true;
    let mut queue = vec![0usize];
    while let Some(id) = queue.pop() {
        for child in charts[id].cover.listed() {
            if !seen[child] {
                seen[child] = true;
                queue.push(child);
            }
        }
    }
    if let Some(id) = seen.iter().position(|s| !s) {
        return Err(structure(
            id,
            "not reachable from the root (a cycle of parents)".into(),
        ));
    }
    Ok(())
}

/// Split children form a complete blow-up family or one coordinate change; a leaf's
/// excepted children are all translates.
fn check_cover(id: usize, chart: &Chart, charts: &[Chart]) -> Result<(), VerifyError> {
    let structure = |message: String| VerifyError::Structure { chart: id, message };
    for &c in chart.cover.except() {
        if !matches!(charts[c].step, Step::Translate { .. }) {
            return Err(structure(format!(
                "except lists chart {c}, whose step is not a translate"
            )));
        }
    }
    match &chart.cover {
        Cover::Leaf(_) => Ok(()),
        Cover::Split(children, _) => {
            let Some(&first) = children.first() else {
                return Err(structure("split with no children".into()));
            };
            match &charts[first].step {
                Step::Coordinate { .. } | Step::Shift { .. } => {
                    if children.len() != 1 {
                        return Err(structure(
                            "a coordinate change must be the only child of its parent".into(),
                        ));
                    }
                    Ok(())
                }
                // Addendum 12: the only child (excluded hyperplanes of the parent are
                // inherited by it, as by a coordinate child).
                Step::Forward { .. } => {
                    if children.len() != 1 {
                        return Err(structure(
                            "a forward change must be the only child of its parent".into(),
                        ));
                    }
                    Ok(())
                }
                Step::Blowup { centre, .. } => {
                    let mut indices = Vec::with_capacity(children.len());
                    for &c in children {
                        match &charts[c].step {
                            Step::Blowup {
                                centre: s,
                                chart: i,
                            } if s == centre => indices.push(*i),
                            _ => {
                                return Err(structure(format!(
                                    "child {c} is not a blow-up chart of the centre {centre:?}"
                                )))
                            }
                        }
                    }
                    let mut want = centre.clone();
                    want.sort_unstable();
                    indices.sort_unstable();
                    if indices != want {
                        return Err(structure(format!(
                            "blow-up family of centre {centre:?} is incomplete: charts {indices:?}"
                        )));
                    }
                    Ok(())
                }
                _ => Err(structure(format!(
                    "split child {first} must be a blow-up chart or a coordinate change"
                ))),
            }
        }
    }
}

/// The step rules of FORMAT.md: the substitution agrees with the step, the child's ranges
/// follow from the parent's.
fn check_step(id: usize, chart: &Chart, parent: &Chart) -> Result<(), VerifyError> {
    let fail = |message: String| Err(VerifyError::Step { chart: id, message });
    let n = chart.ranges.len();
    let ring_n = chart.ring.nvars();
    let var = |k: usize| Poly::var(ring_n, k);
    let mut expected_ranges = parent.ranges.clone();
    match &chart.step {
        Step::Root => return fail("step 'root' on a non-root chart".into()),
        Step::Blowup { centre, chart: i } => {
            if centre.len() < 2 {
                return fail(format!(
                    "blow-up centre {centre:?} has fewer than 2 indices"
                ));
            }
            if let Some(&bad) = centre.iter().find(|&&j| j >= n) {
                return fail(format!("blow-up centre index {bad} out of range"));
            }
            if centre
                .iter()
                .enumerate()
                .any(|(a, j)| centre[..a].contains(j))
            {
                return fail(format!("blow-up centre {centre:?} repeats an index"));
            }
            if !centre.contains(i) {
                return fail(format!("blow-up chart {i} is not in the centre {centre:?}"));
            }
            if let Some(&j) = centre.iter().find(|&&j| !parent.is_small(j)) {
                return fail(format!(
                    "blow-up centre coordinate {j} is not small in the parent"
                ));
            }
            let expected: Vec<Poly> = (0..n)
                .map(|k| {
                    if k != *i && centre.contains(&k) {
                        &var(*i) * &var(k)
                    } else {
                        var(k)
                    }
                })
                .collect();
            compare_substitution(id, chart, &expected)?;
            let unit_interval = Some((-Rational::one(), Rational::one()));
            for &j in centre {
                if j != *i {
                    expected_ranges[j] = unit_interval.clone();
                }
            }
        }
        Step::Translate { coordinate: j, to } => {
            let j = *j;
            if j >= n {
                return fail(format!("translate coordinate {j} out of range"));
            }
            match &parent.ranges[j] {
                None => return fail(format!("translate coordinate {j} is small in the parent")),
                Some((lo, hi)) => {
                    if to < lo || to > hi {
                        return fail(format!(
                            "translate target {} outside the parent's range [{}, {}]",
                            crate::poly::format_rational(to),
                            crate::poly::format_rational(lo),
                            crate::poly::format_rational(hi)
                        ));
                    }
                }
            }
            let expected: Vec<Poly> = (0..n)
                .map(|k| {
                    if k == j {
                        &var(j) + &Poly::constant(ring_n, to.clone())
                    } else {
                        var(k)
                    }
                })
                .collect();
            compare_substitution(id, chart, &expected)?;
            expected_ranges[j] = None;
        }
        Step::Coordinate { coordinate: j } => {
            let j = *j;
            if j >= n {
                return fail(format!("coordinate change index {j} out of range"));
            }
            if !parent.is_small(j) {
                return fail(format!(
                    "coordinate {j} changed but not small in the parent"
                ));
            }
            check_triangular(id, chart, j)?;
        }
        // Addendum 12: ψ fixes C, so the ranges are the parent's (checked below); ψ itself
        // is checked by `super::forward`, which knows both rings. Addendum 13 may give the
        // one changed bounded coordinate a new interval: that range is checked there
        // against the image of C (here only: bounded stays bounded).
        Step::Forward { .. } => {
            for (j, r) in chart.ranges.iter().enumerate() {
                if r.is_some() && parent.ranges[j].is_some() {
                    expected_ranges[j] = r.clone();
                }
            }
        }
        Step::Shift { coordinate: j } => {
            let j = *j;
            if j >= n {
                return fail(format!("shift index {j} out of range"));
            }
            let Some((lo, hi)) = parent.ranges[j].clone() else {
                return fail(format!(
                    "shift of coordinate {j}, which is small in the parent"
                ));
            };
            let Some((a, b)) = affine_in(chart, j) else {
                return fail(format!(
                    "substitution of a shift must change only coordinate {j}, to a·y_{j} + b with a a nonzero constant and b free of y_{j}"
                ));
            };
            // Parent y_j = a·v + b, so v = (y_j − b)/a ranges over ([lo, hi] − b(C))/a on
            // the parent's C; the child's interval must contain that (Addendum 5).
            let (blo, bhi) = interval_of(&b, &parent.ranges);
            let ends = [
                (&lo - &blo) / &a,
                (&lo - &bhi) / &a,
                (&hi - &blo) / &a,
                (&hi - &bhi) / &a,
            ];
            let need_lo = ends.iter().min().cloned().unwrap_or_default();
            let need_hi = ends.iter().max().cloned().unwrap_or_default();
            match &chart.ranges[j] {
                Some((clo, chi)) if *clo <= need_lo && need_hi <= *chi => {
                    expected_ranges[j] = Some((clo.clone(), chi.clone()));
                }
                _ => {
                    return fail(format!(
                    "the shifted coordinate {j} must range over an interval containing [{}, {}]",
                    crate::poly::format_rational(&need_lo),
                    crate::poly::format_rational(&need_hi)
                ))
                }
            }
        }
    }
    if chart.ranges != expected_ranges {
        return fail(format!(
            "ranges do not follow the step (expected {})",
            show_ranges(&expected_ranges)
        ));
    }
    Ok(())
}

fn compare_substitution(id: usize, chart: &Chart, expected: &[Poly]) -> Result<(), VerifyError> {
    for (k, (got, want)) in chart.substitution.iter().zip(expected).enumerate() {
        if got != want {
            return Err(VerifyError::Step {
                chart: id,
                message: format!(
                    "substitution[{k}] is '{}', the step gives '{}'",
                    chart.ring.show(got),
                    chart.ring.show(want)
                ),
            });
        }
    }
    Ok(())
}

/// Parent y_j = a·y_j + b with a a nonzero constant, b free of y_j and every term of b
/// containing a small coordinate; every other coordinate unchanged.
fn check_triangular(id: usize, chart: &Chart, j: usize) -> Result<(), VerifyError> {
    let fail = |message: String| Err(VerifyError::Step { chart: id, message });
    let n = chart.ring.nvars();
    for (k, s) in chart.substitution.iter().enumerate() {
        if k != j && *s != Poly::var(n, k) {
            return fail(format!(
                "coordinate change of {j} also changes coordinate {k} to '{}'",
                chart.ring.show(s)
            ));
        }
    }
    let Some(s) = chart.substitution.get(j) else {
        return fail("missing substitution".into());
    };
    let a = s.derivative(j);
    if !a.is_constant() || a.is_zero() {
        return fail(format!(
            "substitution[{j}] = '{}' is not linear in the coordinate with a nonzero constant coefficient",
            chart.ring.show(s)
        ));
    }
    let rest = s - &Poly::var(n, j).scale(&a.constant_term());
    for e in rest.support() {
        if !(0..n).any(|k| e[k] > 0 && chart.is_small(k)) {
            return fail(format!(
                "a term of the remainder '{}' contains no small coordinate (it must vanish on C)",
                chart.ring.show(&rest)
            ));
        }
    }
    Ok(())
}

/// For a shift: the substitution changes only coordinate j, to a·y_j + b with a a
/// nonzero constant and b free of y_j; returns (a, b).
fn affine_in(chart: &Chart, j: usize) -> Option<(Rational, Poly)> {
    let n = chart.ring.nvars();
    for (k, s) in chart.substitution.iter().enumerate() {
        if k != j && *s != Poly::var(n, k) {
            return None;
        }
    }
    let s = chart.substitution.get(j)?;
    let a = s.derivative(j);
    if !a.is_constant() || a.is_zero() {
        return None;
    }
    let a = a.constant_term();
    let b = s - &Poly::var(n, j).scale(&a);
    if b.degree_in(j).unwrap_or(0) > 0 {
        return None;
    }
    Some((a, b))
}

/// An interval containing p on C (small coordinates 0, bounded ones in their ranges):
/// the sum over terms of coefficient × Π [lo_k, hi_k]^{e_k}, each product of intervals
/// taken by its extreme endpoint products.
pub(super) fn interval_of(p: &Poly, ranges: &[Range]) -> (Rational, Rational) {
    let mut total = (Rational::zero(), Rational::zero());
    'terms: for (e, c) in p.terms() {
        let mut term = (c.clone(), c.clone());
        for (k, &power) in e.iter().enumerate() {
            if power == 0 {
                continue;
            }
            let Some(Some((lo, hi))) = ranges.get(k) else {
                // A small coordinate: the term is 0 on C.
                continue 'terms;
            };
            // [lo, hi]^power: the extreme values are at the ends, or 0 for an even power
            // of an interval around 0.
            let (plo, phi) = {
                let a = num_traits::pow(lo.clone(), power as usize);
                let b = num_traits::pow(hi.clone(), power as usize);
                let (mut l, h) = if a <= b { (a, b) } else { (b, a) };
                if power % 2 == 0 && *lo <= Rational::zero() && Rational::zero() <= *hi {
                    l = Rational::zero();
                }
                (l, h)
            };
            let products = [
                &term.0 * &plo,
                &term.0 * &phi,
                &term.1 * &plo,
                &term.1 * &phi,
            ];
            term = (
                products.iter().min().cloned().unwrap_or_default(),
                products.iter().max().cloned().unwrap_or_default(),
            );
        }
        total = (&total.0 + &term.0, &total.1 + &term.1);
    }
    total
}

fn show_ranges(r: &[Range]) -> String {
    let parts: Vec<String> = r
        .iter()
        .map(|x| match x {
            None => "small".to_string(),
            Some((lo, hi)) => format!(
                "[{}, {}]",
                crate::poly::format_rational(lo),
                crate::poly::format_rational(hi)
            ),
        })
        .collect();
    parts.join(", ")
}

/// The composite map and its Jacobian determinant for every chart, root first.
///
/// The chain rule: map_child = map_parent ∘ subst and det_child = (det_parent ∘ subst) ·
/// det(D subst). The Jacobian matrix of subst is the identity in the rows of unchanged
/// coordinates; expanding along those rows leaves the square minor on the changed
/// coordinates, computed by Laplace expansion.
///
/// # Errors
/// [`VerifyError::TooLarge`] if a composite would exceed the degree limit.
pub(super) fn geometry(charts: &[Chart]) -> Result<Vec<Geometry>, VerifyError> {
    let n = charts[0].ring.nvars();
    let mut out: Vec<Option<Geometry>> = (0..charts.len()).map(|_| None).collect();
    out[0] = Some(Geometry {
        map: (0..n).map(|k| Poly::var(n, k)).collect(),
        det: Poly::one(n),
        base: 0,
    });
    let mut queue = vec![0usize];
    while let Some(id) = queue.pop() {
        for child in charts[id].cover.listed() {
            let Some(parent_geom) = out[id].as_ref() else {
                continue;
            };
            // A forward child starts a new base: its own coordinates are the base's.
            let g = if matches!(charts[child].step, Step::Forward { .. }) {
                Geometry {
                    map: (0..n).map(|k| Poly::var(n, k)).collect(),
                    det: Poly::one(n),
                    base: child,
                }
            } else {
                compose_step(child, parent_geom, &charts[child].substitution)?
            };
            out[child] = Some(g);
            queue.push(child);
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(id, g)| {
            g.ok_or_else(|| VerifyError::Structure {
                chart: id,
                message: "not reachable from the root".into(),
            })
        })
        .collect()
}

fn compose_step(id: usize, parent: &Geometry, sub: &[Poly]) -> Result<Geometry, VerifyError> {
    if sub.len() != parent.map.len() {
        return Err(VerifyError::Structure {
            chart: id,
            message: "substitution length differs from the number of variables".into(),
        });
    }
    let bound = max_degree(&parent.map)
        .max(degree(&parent.det))
        .saturating_mul(max_degree(sub).max(1))
        .saturating_add(max_degree(sub).saturating_mul(sub.len() as u64));
    if bound > MAX_DEGREE {
        return Err(VerifyError::TooLarge {
            chart: id,
            message: format!("composite map degree may exceed {MAX_DEGREE}"),
        });
    }
    debug_assert!(max_degree(sub) <= MAX_STRING_DEGREE);
    let map = parent.map.iter().map(|p| p.compose(sub)).collect();
    let det = &parent.det.compose(sub) * &substitution_det(sub);
    Ok(Geometry {
        map,
        det,
        base: parent.base,
    })
}

/// det(D subst): the minor on the coordinates whose substitution is not the identity.
pub(super) fn substitution_det(sub: &[Poly]) -> Poly {
    let n = sub.len();
    let nv = sub.first().map_or(0, Poly::nvars);
    let changed: Vec<usize> = (0..n).filter(|&k| sub[k] != Poly::var(nv, k)).collect();
    let matrix: Vec<Vec<Poly>> = changed
        .iter()
        .map(|&r| changed.iter().map(|&c| sub[r].derivative(c)).collect())
        .collect();
    laplace_det(&matrix, nv)
}

/// Determinant by Laplace expansion along the first row, skipping zero entries (the
/// minors here are diagonal or tiny).
pub(super) fn laplace_det(m: &[Vec<Poly>], nvars: usize) -> Poly {
    let size = m.len();
    if size == 0 {
        return Poly::one(nvars);
    }
    if size == 1 {
        return m[0].first().cloned().unwrap_or_else(|| Poly::zero(nvars));
    }
    let mut total = Poly::zero(nvars);
    for (col, entry) in m[0].iter().enumerate() {
        if entry.is_zero() {
            continue;
        }
        let minor: Vec<Vec<Poly>> = m[1..]
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .filter(|(c, _)| *c != col)
                    .map(|(_, p)| p.clone())
                    .collect()
            })
            .collect();
        let term = entry * &laplace_det(&minor, nvars);
        total = if col % 2 == 0 {
            &total + &term
        } else {
            &total - &term
        };
    }
    total
}

fn translate_targets(chart: &Chart, charts: &[Chart]) -> Vec<(usize, Rational)> {
    chart
        .cover
        .except()
        .iter()
        .filter_map(|&c| match charts.get(c).map(|c| &c.step) {
            Some(Step::Translate { coordinate, to }) => Some((*coordinate, to.clone())),
            _ => None,
        })
        .collect()
}

/// The hyperplanes a chart inherits as excluded (Addendum 4): a blow-up or coordinate
/// child inherits its parent's and the parent's own excluded hyperplanes; the i-th
/// translate child (on coordinate j) inherits its parent's and the parent's own first
/// i − 1, except those on coordinate j.
fn inherited(id: usize, charts: &[Chart], depth: usize) -> Vec<(usize, Rational)> {
    let Some(p) = charts.get(id).and_then(|c| c.parent) else {
        return Vec::new();
    };
    if depth > charts.len() {
        return Vec::new();
    }
    let parent = &charts[p];
    let own = translate_targets(parent, charts);
    let mut v = inherited(p, charts, depth + 1);
    match &charts[id].step {
        Step::Translate { coordinate, .. } => {
            let i = parent
                .cover
                .except()
                .iter()
                .position(|&c| c == id)
                .unwrap_or(0);
            v.extend(own[..i].iter().cloned());
            v.retain(|(k, _)| k != coordinate);
        }
        Step::Forward { rebased } => {
            // Addendum 13: {y_i = c} is another set in the child's coordinates; the
            // child answers for its neighbourhood too (i is free there).
            v.extend(own);
            v.retain(|(k, _)| !rebased.contains(k));
        }
        _ => v.extend(own),
    }
    v.sort();
    v.dedup();
    v
}

/// Every hyperplane {y_j = c} a chart does not answer for: the ones it inherits and its
/// own translate children's.
pub(super) fn avoided_hyperplanes(id: usize, charts: &[Chart]) -> Vec<(usize, Rational)> {
    let mut v = inherited(id, charts, 0);
    if let Some(c) = charts.get(id) {
        v.extend(translate_targets(c, charts));
    }
    v.sort();
    v.dedup();
    v
}
