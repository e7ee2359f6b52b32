//! Map labels that do not collide. Each label goes beside its point on the first side
//! (right, left, above, below, then the corners) where its box overlaps no label already
//! placed and no other point's marker, inside the map. A label with no free side is
//! left out of the drawing: its name stays in the marker's tooltip and in the table
//! beside the map, which is better than two names printed over each other.

/// Where a label's text starts and how it is anchored (SVG `text-anchor`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Label {
    /// The text's x.
    pub x: f64,
    /// The text's baseline.
    pub y: f64,
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
}

/// A point to label: where, how large its marker is (radius) and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Point<'a> {
    /// Centre x.
    pub x: f64,
    /// Centre y.
    pub y: f64,
    /// The marker's radius.
    pub r: f64,
    /// The label.
    pub text: &'a str,
}

/// The box `(left, top, right, bottom)` a label's text covers at `size` (an average
/// glyph is taken as 0.6 of the size, generous for a sans-serif face).
fn text_box(l: &Label, text: &str, size: f64) -> (f64, f64, f64, f64) {
    let w = text.chars().count() as f64 * size * 0.6;
    let left = match l.anchor {
        "end" => l.x - w,
        "middle" => l.x - w / 2.0,
        _ => l.x,
    };
    (left, l.y - size * 0.8, left + w, l.y + size * 0.25)
}

fn overlaps(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Places every point's label at text `size` on a map `width` × `height`, in the
/// points' order (put the most important first). `None` where no side is free.
pub fn place(points: &[Point<'_>], size: f64, width: f64, height: f64) -> Vec<Option<Label>> {
    let markers: Vec<(f64, f64, f64, f64)> = points
        .iter()
        .map(|p| (p.x - p.r, p.y - p.r, p.x + p.r, p.y + p.r))
        .collect();
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let gap = p.r + 3.0;
            let (mid, diag) = (size * 0.35, gap * 0.75);
            let candidates = [
                Label {
                    x: p.x + gap,
                    y: p.y + mid,
                    anchor: "start",
                },
                Label {
                    x: p.x - gap,
                    y: p.y + mid,
                    anchor: "end",
                },
                Label {
                    x: p.x,
                    y: p.y - gap - size * 0.25,
                    anchor: "middle",
                },
                Label {
                    x: p.x,
                    y: p.y + gap + size * 0.8,
                    anchor: "middle",
                },
                Label {
                    x: p.x + diag,
                    y: p.y - diag,
                    anchor: "start",
                },
                Label {
                    x: p.x + diag,
                    y: p.y + diag + size * 0.8,
                    anchor: "start",
                },
                Label {
                    x: p.x - diag,
                    y: p.y - diag,
                    anchor: "end",
                },
                Label {
                    x: p.x - diag,
                    y: p.y + diag + size * 0.8,
                    anchor: "end",
                },
            ];
            let free = candidates.into_iter().find(|c| {
                let b = text_box(c, p.text, size);
                b.0 >= 0.0
                    && b.1 >= 0.0
                    && b.2 <= width
                    && b.3 <= height
                    && !placed.iter().any(|q| overlaps(b, *q))
                    && !markers
                        .iter()
                        .enumerate()
                        .any(|(j, m)| j != i && overlaps(b, *m))
            });
            if let Some(c) = &free {
                placed.push(text_box(c, p.text, size));
            }
            free
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// However crowded the map, no two placed labels overlap, none covers another
        /// point's marker, and every placed label stays inside the map.
        #[test]
        fn placed_labels_never_collide(
            raw in prop::collection::vec((0.0..400.0f64, 0.0..300.0f64, 2.0..12.0f64, 3usize..20), 1..40)
        ) {
            let texts: Vec<String> = raw.iter().map(|r| "x".repeat(r.3)).collect();
            let points: Vec<Point> = raw
                .iter()
                .zip(&texts)
                .map(|(r, t)| Point { x: r.0, y: r.1, r: r.2, text: t })
                .collect();
            let labels = place(&points, 11.0, 400.0, 300.0);
            let boxes: Vec<(usize, (f64, f64, f64, f64))> = labels
                .iter()
                .enumerate()
                .filter_map(|(i, l)| l.map(|l| (i, text_box(&l, points[i].text, 11.0))))
                .collect();
            for (n, (i, a)) in boxes.iter().enumerate() {
                prop_assert!(a.0 >= 0.0 && a.1 >= 0.0 && a.2 <= 400.0 && a.3 <= 300.0);
                for (_, b) in &boxes[n + 1..] {
                    prop_assert!(!overlaps(*a, *b));
                }
                for (j, p) in points.iter().enumerate() {
                    if j != *i {
                        prop_assert!(!overlaps(*a, (p.x - p.r, p.y - p.r, p.x + p.r, p.y + p.r)));
                    }
                }
            }
        }
    }

    #[test]
    fn a_lone_point_is_labelled_to_its_right_and_a_crowded_one_elsewhere() {
        let a = Point {
            x: 100.0,
            y: 100.0,
            r: 5.0,
            text: "Alingsås",
        };
        let b = Point {
            x: 130.0,
            y: 100.0,
            r: 5.0,
            text: "Borås",
        };
        let labels = place(std::slice::from_ref(&a), 11.0, 400.0, 300.0);
        assert_eq!(labels[0].unwrap().anchor, "start");
        let labels = place(&[a, b], 11.0, 400.0, 300.0);
        assert!(
            labels[0].is_some() && labels[0].unwrap().anchor != "start",
            "{labels:?}"
        );
        assert!(labels[1].is_some());
    }
}
