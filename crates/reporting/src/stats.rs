//! The statistics the board's measures use.

/// The `p`-th percentile (0–100) of `values` by the nearest-rank method: the smallest
/// value with at least `p` % of the values at or below it. `None` for no values.
pub fn percentile(values: &[i64], p: f64) -> Option<i64> {
    if values.is_empty() || !(0.0..=100.0).contains(&p) {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted.get(rank - 1).copied()
}

/// The median by the nearest-rank method (the lower middle of an even count).
pub fn median(values: &[i64]) -> Option<i64> {
    percentile(values, 50.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Table: values, percentile → nearest rank, worked by hand.
    #[test]
    fn nearest_rank_percentiles() {
        for (values, p, expect) in [
            (vec![], 50.0, None),
            (vec![7], 90.0, Some(7)),
            (vec![15, 20, 35, 40, 50], 50.0, Some(35)),
            (vec![15, 20, 35, 40, 50], 90.0, Some(50)),
            (vec![3, 1, 2, 4], 50.0, Some(2)),
            (
                vec![10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
                90.0,
                Some(90),
            ),
            (vec![1, 2], 101.0, None),
        ] {
            assert_eq!(percentile(&values, p), expect, "{values:?} p{p}");
        }
        assert_eq!(median(&[5, 1, 9]), Some(5));
    }
}
