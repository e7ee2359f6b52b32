//! Small-cell suppression for tables of people counted by two splits (e.g. municipality
//! × substance group) with row and column totals.
//!
//! A cell of one to four people is hidden (primary suppression). A hidden cell must not
//! come back by subtraction: wherever a row or a column shows its total and hides exactly
//! one cell, the smallest other non-zero cell of that line is hidden too (complementary
//! suppression), and so on until no line gives one back. A total under five is hidden;
//! zeros are shown (they describe no one). The analyst's role sees only the result.

use serde::Serialize;

/// The smallest count shown.
pub const MIN_SHOWN: u64 = 5;

/// A cell as published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shown {
    /// The count.
    Count(u64),
    /// Hidden.
    Suppressed,
}

impl Shown {
    /// The count, if shown.
    pub fn count(self) -> Option<u64> {
        match self {
            Shown::Count(n) => Some(n),
            Shown::Suppressed => None,
        }
    }
}

/// A table as published: cells, row totals, column totals and the grand total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Published {
    /// Cells, row by row.
    pub cells: Vec<Vec<Shown>>,
    /// Each row's total.
    pub row_totals: Vec<Shown>,
    /// Each column's total.
    pub column_totals: Vec<Shown>,
    /// The grand total.
    pub total: Shown,
}

/// Publishes `counts` (rows of equal length).
///
/// The totals are treated as cells of one more row and column, so each line — a row
/// with its total, a column with its total, the row totals with the grand total, the
/// column totals with it — is one equation; no line may hide exactly one entry.
pub fn suppress(counts: &[Vec<u64>]) -> Published {
    let rows = counts.len();
    let cols = counts.first().map_or(0, Vec::len);
    // The table with its totals: row `rows` holds the column totals, column `cols` the
    // row totals, and the corner the grand total.
    let mut m = vec![vec![0u64; cols + 1]; rows + 1];
    for (r, row) in counts.iter().enumerate() {
        for (c, &n) in row.iter().enumerate() {
            m[r][c] = n;
            m[r][cols] += n;
            m[rows][c] += n;
            m[rows][cols] += n;
        }
    }
    let mut hidden: Vec<Vec<bool>> = m
        .iter()
        .map(|row| row.iter().map(|&n| n > 0 && n < MIN_SHOWN).collect())
        .collect();
    // Complementary suppression until no line gives an entry back. Each step hides one
    // more entry, so it ends.
    loop {
        let mut changed = false;
        for r in 0..=rows {
            let line: Vec<(usize, u64, bool)> =
                (0..=cols).map(|c| (c, m[r][c], hidden[r][c])).collect();
            if let Some(c) = complement(&line) {
                hidden[r][c] = true;
                changed = true;
            }
        }
        for c in 0..=cols {
            let line: Vec<(usize, u64, bool)> =
                (0..=rows).map(|r| (r, m[r][c], hidden[r][c])).collect();
            if let Some(r) = complement(&line) {
                hidden[r][c] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let at = |r: usize, c: usize| {
        if hidden[r][c] {
            Shown::Suppressed
        } else {
            Shown::Count(m[r][c])
        }
    };
    Published {
        cells: (0..rows)
            .map(|r| (0..cols).map(|c| at(r, c)).collect())
            .collect(),
        row_totals: (0..rows).map(|r| at(r, cols)).collect(),
        column_totals: (0..cols).map(|c| at(rows, c)).collect(),
        total: at(rows, cols),
    }
}

/// One column of counts published with its total: the table of one column, so a
/// hidden count takes its complement with it. Returns the cells and the total.
pub fn suppress_column(counts: &[u64]) -> (Vec<Shown>, Shown) {
    let p = suppress(&counts.iter().map(|n| vec![*n]).collect::<Vec<_>>());
    (p.cells.into_iter().map(|row| row[0]).collect(), p.total)
}

/// A count published alone, with no total beside it that could give it back: hidden
/// from one to four.
pub fn suppress_alone(n: u64) -> Shown {
    if n > 0 && n < MIN_SHOWN {
        Shown::Suppressed
    } else {
        Shown::Count(n)
    }
}

/// The entry to hide beside a line's only hidden one, if the line has exactly one: the
/// smallest other non-zero entry (one always exists: a line sums to its total).
fn complement(line: &[(usize, u64, bool)]) -> Option<usize> {
    if line.iter().filter(|(_, _, h)| *h).count() != 1 {
        return None;
    }
    line.iter()
        .filter(|(_, n, h)| !*h && *n > 0)
        .min_by_key(|(i, n, _)| (*n, *i))
        .map(|(i, _, _)| *i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Shown::{Count as C, Suppressed as S};
    use proptest::prelude::*;

    /// Hand-worked: municipality × group.
    #[test]
    fn small_cells_and_their_complements_are_hidden() {
        let p = suppress(&[vec![3, 0, 10], vec![12, 7, 20], vec![0, 0, 2]]);
        // Primary: 3, 2, and row 3's total 2. Row 1 hides 3 alone: its smallest other
        // non-zero entry, 10, goes. Row 3 hides 2 and its total: fine. Column 1 hides 3
        // alone: 12 goes. Column 3 hides 10 and 2: fine. Row 2 now hides 12 alone: 7
        // goes. Column 2 hides 7 alone: its total 7 goes. The row totals hide 2 alone:
        // 13 goes. The column totals hide 7 alone: 15 goes. The totals' column then
        // hides 13 and 2, the totals' row 15 and 7: no line gives one back.
        assert_eq!(p.cells[0], vec![S, C(0), S]);
        assert_eq!(p.cells[1], vec![S, S, C(20)]);
        assert_eq!(p.cells[2], vec![C(0), C(0), S]);
        assert_eq!(p.row_totals, vec![S, C(39), S]);
        assert_eq!(p.column_totals, vec![S, S, C(32)]);
        assert_eq!(p.total, C(54));
    }

    #[test]
    fn a_table_without_small_cells_is_shown_whole() {
        let p = suppress(&[vec![5, 6], vec![0, 50]]);
        assert!(
            p.cells
                .iter()
                .flatten()
                .all(|c| matches!(c, Shown::Count(_)))
        );
    }

    proptest! {
        /// Shown entries are the true counts, zero or at least five, and no line of the
        /// table with its totals hides exactly one entry (which the line would give back).
        #[test]
        fn no_hidden_entry_comes_back_from_a_total(
            table in (1usize..6, 1usize..6).prop_flat_map(|(r, c)| {
                proptest::collection::vec(proptest::collection::vec(0u64..30, c), r)
            })
        ) {
            let p = suppress(&table);
            let cols = table[0].len();
            // The published table with its totals, as lines.
            let mut grid: Vec<Vec<Shown>> = p.cells.clone();
            for (r, t) in p.row_totals.iter().enumerate() {
                grid[r].push(*t);
            }
            let mut last = p.column_totals.clone();
            last.push(p.total);
            grid.push(last);
            for (r, row) in table.iter().enumerate() {
                for (c, &n) in row.iter().enumerate() {
                    if let Shown::Count(v) = p.cells[r][c] {
                        prop_assert_eq!(v, n);
                    }
                }
            }
            for row in &grid {
                for cell in row {
                    if let Shown::Count(n) = cell {
                        prop_assert!(*n == 0 || *n >= MIN_SHOWN);
                    }
                }
                prop_assert_ne!(row.iter().filter(|c| **c == Shown::Suppressed).count(), 1);
            }
            for c in 0..=cols {
                let hidden = grid.iter().filter(|row| row[c] == Shown::Suppressed).count();
                prop_assert_ne!(hidden, 1);
            }
        }
    }
}
