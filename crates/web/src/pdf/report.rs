//! Flowing reports over A4 portrait pages (the board's annual report): headings, text,
//! tables and bar charts, laid out as drawing operations first so every page's footer
//! can count the pages, and so tests can see where everything lands.

use krilla::Document;
use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::text::TextDirection;

use super::text::{Fonts, fonts};
use super::{BODY_SIZE, LINE_H, MARGIN, ROW_H, draw_footer, row_height};

/// A part of a flowing report.
pub enum Block {
    /// A section heading.
    Heading(String),
    /// A paragraph, wrapped to the page.
    Text(String),
    /// A table: headings with relative widths, then rows.
    Table {
        /// Column headings and their share of the width.
        columns: Vec<(String, f32)>,
        /// Rows.
        rows: Vec<Vec<String>>,
    },
    /// A bar chart: a title and labelled values (none: hidden, drawn as a dash).
    Bars {
        /// Title.
        title: String,
        /// Bars.
        bars: Vec<(String, Option<f64>)>,
    },
}

/// A report: a title, lines under it, blocks flowing over A4 portrait pages, and a
/// footer (`{page}` filled in).
pub struct Report<'a> {
    /// Title.
    pub title: &'a str,
    /// Lines under the title.
    pub preamble: Vec<String>,
    /// The content.
    pub blocks: Vec<Block>,
    /// Footer on every page.
    pub footer: &'a str,
}

const PORTRAIT_W: f32 = 595.0;
const PORTRAIT_H: f32 = 842.0;

/// One drawing operation on a page, laid out before drawing so the footer can count
/// the pages.
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        grey: bool,
    },
}

/// Renders a report as a PDF.
pub fn report_pdf(r: &Report<'_>) -> anyhow::Result<Vec<u8>> {
    let f = fonts()?;
    let pages = layout_report(f, r);
    draw_report(f, r, pages)
}

/// Where the report's bottom margin begins: nothing is drawn below it but the footer.
const REPORT_BOTTOM: f32 = PORTRAIT_H - MARGIN - 24.0;

/// The report's pages as drawing operations.
fn layout_report(f: &Fonts, r: &Report<'_>) -> Vec<Vec<Op>> {
    let usable = PORTRAIT_W - 2.0 * MARGIN;
    let mut l = Layout {
        f,
        usable,
        pages: vec![Vec::new()],
        y: MARGIN + 18.0,
    };
    for (k, line) in f.lines(r.title, usable, 18.0, true).iter().enumerate() {
        if k > 0 {
            l.y += 22.0;
        }
        l.text(MARGIN, l.y, 18.0, true, line);
    }
    l.y += 8.0;
    for line in r
        .preamble
        .iter()
        .flat_map(|t| f.lines(t, usable, 10.0, false))
    {
        l.y += 14.0;
        l.text(MARGIN, l.y, 10.0, false, &line);
    }
    l.y += 10.0;
    for block in &r.blocks {
        match block {
            Block::Heading(h) => l.heading(h),
            Block::Text(t) => l.paragraph(t),
            Block::Table { columns, rows } => l.table(columns, rows),
            Block::Bars { title, bars } => l.bars(title, bars),
        }
    }
    l.pages
}

/// A report being laid out: the pages so far and where the next line goes.
struct Layout<'a> {
    f: &'a Fonts,
    /// The width between the margins.
    usable: f32,
    pages: Vec<Vec<Op>>,
    /// The baseline of the last line drawn on the last page.
    y: f32,
}

impl Layout<'_> {
    /// Draws a line of text on the last page.
    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, t: &str) {
        self.push(Op::Text {
            x,
            y,
            size,
            bold,
            text: t.to_owned(),
        });
    }

    /// Draws an operation on the last page.
    fn push(&mut self, op: Op) {
        if let Some(p) = self.pages.last_mut() {
            p.push(op);
        }
    }

    /// Starts a new page when `need` points do not fit.
    fn room(&mut self, need: f32) {
        if self.y + need > REPORT_BOTTOM {
            self.new_page();
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN + 12.0;
    }

    /// A heading, kept with room for what follows it.
    fn heading(&mut self, h: &str) {
        self.room(60.0);
        self.y += 10.0;
        for line in self.f.lines(h, self.usable, 13.0, true) {
            self.y += 16.0;
            self.text(MARGIN, self.y, 13.0, true, &line);
        }
        self.y += 4.0;
    }

    /// A paragraph, wrapped, going on over pages.
    fn paragraph(&mut self, t: &str) {
        for line in self.f.lines(t, self.usable, 9.5, false) {
            self.room(13.0);
            self.y += 13.0;
            self.text(MARGIN, self.y, 9.5, false, &line);
        }
    }

    /// One row of wrapped cells at `y`, each cell's lines under each other.
    fn row(&mut self, y: f32, widths: &[f32], cells: &[Vec<String>], bold: bool) {
        let mut x = MARGIN;
        for (lines, w) in cells.iter().zip(widths) {
            for (k, line) in lines.iter().enumerate() {
                self.text(x, y + k as f32 * LINE_H, BODY_SIZE, bold, line);
            }
            x += w;
        }
    }

    /// A table: columns sized by their weights, every cell wrapped, the heading again
    /// on each page the table goes on to.
    fn table(&mut self, columns: &[(String, f32)], rows: &[Vec<String>]) {
        let f = self.f;
        let total: f32 = columns.iter().map(|c| c.1).sum::<f32>().max(0.01);
        let widths: Vec<f32> = columns.iter().map(|c| c.1 / total * self.usable).collect();
        let wrapped = |cells: &mut dyn Iterator<Item = &str>, bold: bool| -> Vec<Vec<String>> {
            cells
                .zip(&widths)
                .map(|(c, w)| f.lines(c, w - 4.0, BODY_SIZE, bold))
                .collect()
        };
        let heading = wrapped(&mut columns.iter().map(|(n, _)| n.as_str()), true);
        self.room(3.0 * ROW_H + row_height(&heading));
        self.y += ROW_H + 4.0;
        self.row(self.y, &widths, &heading, true);
        self.y += row_height(&heading) - ROW_H;
        for row in rows {
            let cells = wrapped(&mut row.iter().map(String::as_str), false);
            let h = row_height(&cells);
            if self.y + h > REPORT_BOTTOM {
                self.new_page();
                self.row(self.y, &widths, &heading, true);
                self.y += row_height(&heading) - ROW_H;
            }
            self.y += ROW_H;
            self.row(self.y, &widths, &cells, false);
            self.y += h - ROW_H;
        }
    }

    /// A bar chart with its title, values over the bars and labels wrapped under them;
    /// a hidden value drawn as a dash.
    fn bars(&mut self, title: &str, bars: &[(String, Option<f64>)]) {
        let f = self.f;
        let usable = self.usable;
        let chart_h = 120.0;
        // Measured first, so the room asked for holds the wrapped title and the
        // tallest wrapped label, not a guess.
        let title_lines = f.lines(title, usable, 10.0, true);
        let slot = usable / bars.len().max(1) as f32;
        let labels: Vec<Vec<String>> = bars
            .iter()
            .map(|(label, _)| f.lines(label, slot * 0.9, 7.0, false))
            .collect();
        let label_lines = labels.iter().map(Vec::len).max().unwrap_or(1).max(1);
        self.room(
            18.0 + (title_lines.len().max(1) - 1) as f32 * 13.0
                + 14.0
                + chart_h
                + 8.0
                + label_lines as f32 * 8.5,
        );
        self.y += 18.0;
        for (k, line) in title_lines.iter().enumerate() {
            if k > 0 {
                self.y += 13.0;
            }
            self.text(MARGIN, self.y, 10.0, true, line);
        }
        let top = bars
            .iter()
            .filter_map(|b| b.1)
            .fold(0.0_f64, f64::max)
            .max(1.0);
        let base = self.y + 14.0 + chart_h;
        for (i, ((_, value), lines)) in bars.iter().zip(&labels).enumerate() {
            let x = MARGIN + i as f32 * slot;
            match value {
                Some(v) => {
                    let h = (*v / top) as f32 * chart_h;
                    self.push(Op::Rect {
                        x: x + slot * 0.15,
                        y: base - h,
                        w: slot * 0.7,
                        h: h.max(0.5),
                        grey: false,
                    });
                    let shown = trappa_i18n::format::exact(*v, 1, trappa_i18n::Locale::Sv);
                    self.text(x + slot * 0.2, base - h - 3.0, 7.5, false, &shown);
                }
                None => self.text(x + slot * 0.4, base - 3.0, 9.0, false, "–"),
            }
            // Labels wrap under their bar, whole.
            for (k, line) in lines.iter().enumerate() {
                self.text(
                    x + slot * 0.05,
                    base + 11.0 + k as f32 * 8.5,
                    7.0,
                    false,
                    line,
                );
            }
        }
        self.push(Op::Rect {
            x: MARGIN,
            y: base,
            w: usable,
            h: 0.6,
            grey: true,
        });
        self.y = base + 8.0 + label_lines as f32 * 8.5;
    }
}

/// Draws the laid-out pages, each with its footer.
fn draw_report(f: &Fonts, r: &Report<'_>, pages: Vec<Vec<Op>>) -> anyhow::Result<Vec<u8>> {
    let mut doc = Document::new();
    let count = pages.len();
    for (n, ops) in pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(PORTRAIT_W, PORTRAIT_H)
            .ok_or_else(|| anyhow::anyhow!("page size"))?;
        let mut page = doc.start_page_with(settings);
        let mut s = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    bold,
                    text,
                } => s.draw_text(
                    Point::from_xy(x, y),
                    if bold {
                        f.bold.clone()
                    } else {
                        f.regular.clone()
                    },
                    size,
                    &text,
                    false,
                    TextDirection::Auto,
                ),
                Op::Rect { x, y, w, h, grey } => {
                    let colour = if grey {
                        krilla::color::rgb::Color::new(90, 90, 90)
                    } else {
                        krilla::color::rgb::Color::new(0, 90, 156)
                    };
                    s.set_fill(Some(krilla::paint::Fill {
                        paint: colour.into(),
                        ..Default::default()
                    }));
                    let mut path = krilla::geom::PathBuilder::new();
                    if let Some(rect) = krilla::geom::Rect::from_xywh(x, y, w, h) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        s.draw_path(&path);
                    }
                    s.set_fill(None);
                }
            }
        }
        draw_footer(&mut s, f, r.footer, n + 1, count, PORTRAIT_H);
        s.finish();
        page.finish();
    }
    doc.finish().map_err(|e| anyhow::anyhow!("pdf: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_chart_with_wrapped_labels_keeps_above_the_bottom_margin() {
        let f = fonts().unwrap();
        let label = "Västra Götalands läns kommuner utan namn i kort form";
        for filler in 0..60 {
            let r = Report {
                title: "Årsrapport",
                preamble: vec![],
                blocks: (0..filler)
                    .map(|i| Block::Text(format!("Stycke {i} om uppföljningen.")))
                    .chain(std::iter::once(Block::Bars {
                        title: "Nådda per kommun".into(),
                        bars: (0..12)
                            .map(|i| (format!("{label} {i}"), Some(i as f64)))
                            .collect(),
                    }))
                    .collect(),
                footer: "Sida {page} av {pages}",
            };
            for (n, page) in layout_report(f, &r).iter().enumerate() {
                for op in page {
                    if let Op::Text { y, text, .. } = op {
                        assert!(
                            *y <= REPORT_BOTTOM,
                            "{filler} paragraphs first: \"{text}\" at {y} on page {}",
                            n + 1
                        );
                    }
                }
            }
        }
    }
}
