//! A small fixed-capacity bitset used for zero sets (double description) and vertex
//! sets (face enumeration).

/// A set of indices `0..capacity`, stored as 64-bit words.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct BitSet {
    words: Vec<u64>,
}

impl BitSet {
    /// The empty set with room for `capacity` indices.
    pub(crate) fn new(capacity: usize) -> Self {
        BitSet {
            words: vec![0; capacity.div_ceil(64)],
        }
    }

    /// The set `{0, …, n-1}` with room for `capacity ≥ n` indices.
    pub(crate) fn full(capacity: usize, n: usize) -> Self {
        let mut s = BitSet::new(capacity);
        s.set_prefix(n);
        s
    }

    /// Make this the set `{0, …, n-1}` (keeping the capacity, which must be ≥ n).
    pub(crate) fn set_prefix(&mut self, n: usize) {
        for (k, w) in self.words.iter_mut().enumerate() {
            let lo = k * 64;
            *w = if n >= lo + 64 {
                u64::MAX
            } else if n > lo {
                (1u64 << (n - lo)) - 1
            } else {
                0
            };
        }
    }

    /// Make this the empty set (keeping the capacity).
    pub(crate) fn clear(&mut self) {
        self.words.iter_mut().for_each(|w| *w = 0);
    }

    /// `self ← self ∩ other`.
    pub(crate) fn intersect_with(&mut self, other: &BitSet) {
        self.words
            .iter_mut()
            .zip(&other.words)
            .for_each(|(a, b)| *a &= b);
    }

    /// `self ← self ∪ other`.
    pub(crate) fn union_with(&mut self, other: &BitSet) {
        self.words
            .iter_mut()
            .zip(&other.words)
            .for_each(|(a, b)| *a |= b);
    }

    /// `self ← a ∩ b` (all three of the same capacity).
    pub(crate) fn assign_intersection(&mut self, a: &BitSet, b: &BitSet) {
        for ((w, x), y) in self.words.iter_mut().zip(&a.words).zip(&b.words) {
            *w = x & y;
        }
    }

    /// The underlying words (bit `i` is bit `i % 64` of word `i / 64`).
    pub(crate) fn words(&self) -> &[u64] {
        &self.words
    }

    /// Add `i`.
    pub(crate) fn insert(&mut self, i: usize) {
        self.words[i / 64] |= 1u64 << (i % 64);
    }

    /// Whether `i` is in the set.
    pub(crate) fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }

    /// Number of elements.
    pub(crate) fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// `self ∩ other` (both must have the same capacity).
    pub(crate) fn intersection(&self, other: &BitSet) -> BitSet {
        BitSet {
            words: self
                .words
                .iter()
                .zip(&other.words)
                .map(|(a, b)| a & b)
                .collect(),
        }
    }

    /// The elements in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(k, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    None
                } else {
                    let t = w.trailing_zeros() as usize;
                    w &= w - 1;
                    Some(k * 64 + t)
                }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_operations() {
        let mut a = BitSet::new(130);
        a.insert(0);
        a.insert(64);
        a.insert(129);
        assert_eq!(a.iter().count(), 3);
        assert_eq!(a.len(), 3);
        assert!(a.contains(64) && !a.contains(63) && !a.contains(500));
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![0, 64, 129]);
        let b = BitSet::full(130, 65);
        assert_eq!(a.intersection(&b).iter().collect::<Vec<_>>(), vec![0, 64]);
        assert_eq!(BitSet::full(200, 130).iter().count(), 130);
        assert_eq!(BitSet::full(200, 128).iter().last(), Some(127));
        let mut c = BitSet::full(130, 130);
        c.intersect_with(&a);
        assert_eq!(c, a);
        c.union_with(&b);
        assert_eq!(c.iter().count(), 66);
        let mut e = BitSet::new(130);
        e.assign_intersection(&a, &b);
        assert_eq!(e, a.intersection(&b));
        e.clear();
        assert_eq!(e, BitSet::new(130));
    }
}
