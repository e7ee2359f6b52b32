//! PDF documents with an embedded font (å, ä, ö): a titled, paginated table, used for
//! the access-log extract. The font is Libertinus Serif from the `typst-assets` crate
//! (SIL Open Font License), subset into each document by krilla.

use std::sync::OnceLock;

use krilla::Document;
use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};

const PAGE_W: f32 = 842.0; // A4 landscape, points
const PAGE_H: f32 = 595.0;
const MARGIN: f32 = 40.0;
const BODY_SIZE: f32 = 8.5;
const ROW_H: f32 = 12.5;

struct Fonts {
    regular: Font,
    bold: Font,
}

fn fonts() -> anyhow::Result<&'static Fonts> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut all = typst_assets::fonts();
            let regular = Font::new(all.next()?.into(), 0)?;
            let bold = Font::new(all.next()?.into(), 0)?;
            Some(Fonts { regular, bold })
        })
        .as_ref()
        .ok_or_else(|| anyhow::anyhow!("embedded font could not be loaded"))
}

/// A table for a PDF: column headings with relative widths, and rows of cells.
pub struct Table<'a> {
    /// Document title.
    pub title: &'a str,
    /// Lines under the title (who, period, generated when).
    pub preamble: Vec<String>,
    /// Column headings and their share of the width.
    pub columns: Vec<(&'a str, f32)>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
    /// Footer text on every page; `{page}` and `{pages}` are filled in.
    pub footer: &'a str,
}

/// Cuts text to roughly fit a width (an average glyph is about half the font size).
fn fit(text: &str, width: f32, size: f32) -> String {
    let max_chars = ((width - 4.0) / (size * 0.47)).max(1.0) as usize;
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Renders the table as a PDF.
pub fn table_pdf(t: &Table<'_>) -> anyhow::Result<Vec<u8>> {
    let f = fonts()?;
    let usable_w = PAGE_W - 2.0 * MARGIN;
    let total: f32 = t.columns.iter().map(|(_, w)| w).sum();
    let widths: Vec<f32> = t
        .columns
        .iter()
        .map(|(_, w)| w / total * usable_w)
        .collect();
    let first_top = MARGIN + 30.0 + t.preamble.len() as f32 * 14.0 + 16.0;
    let later_top = MARGIN + 16.0;
    let bottom = PAGE_H - MARGIN - 20.0;
    let per_first = (((bottom - first_top) / ROW_H).floor() as usize).max(1);
    let per_later = (((bottom - later_top) / ROW_H).floor() as usize).max(1);
    let pages = if t.rows.len() <= per_first {
        1
    } else {
        1 + (t.rows.len() - per_first).div_ceil(per_later)
    };

    let mut doc = Document::new();
    let mut rows = t.rows.iter();
    for page_no in 1..=pages {
        let settings =
            PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| anyhow::anyhow!("page size"))?;
        let mut page = doc.start_page_with(settings);
        let mut s = page.surface();
        let mut y = MARGIN;
        if page_no == 1 {
            y += 18.0;
            s.draw_text(
                Point::from_xy(MARGIN, y),
                f.bold.clone(),
                16.0,
                t.title,
                false,
                TextDirection::Auto,
            );
            y += 12.0;
            for line in &t.preamble {
                y += 14.0;
                s.draw_text(
                    Point::from_xy(MARGIN, y),
                    f.regular.clone(),
                    10.0,
                    line,
                    false,
                    TextDirection::Auto,
                );
            }
            y += 16.0;
        } else {
            y += 16.0;
        }
        let mut x = MARGIN;
        for ((name, _), w) in t.columns.iter().zip(&widths) {
            s.draw_text(
                Point::from_xy(x, y),
                f.bold.clone(),
                BODY_SIZE,
                &fit(name, *w, BODY_SIZE),
                false,
                TextDirection::Auto,
            );
            x += w;
        }
        let capacity = if page_no == 1 { per_first } else { per_later };
        for row in rows.by_ref().take(capacity) {
            y += ROW_H;
            let mut x = MARGIN;
            for (cell, w) in row.iter().zip(&widths) {
                if !cell.is_empty() {
                    s.draw_text(
                        Point::from_xy(x, y),
                        f.regular.clone(),
                        BODY_SIZE,
                        &fit(cell, *w, BODY_SIZE),
                        false,
                        TextDirection::Auto,
                    );
                }
                x += w;
            }
        }
        let footer = t
            .footer
            .replace("{page}", &page_no.to_string())
            .replace("{pages}", &pages.to_string());
        s.draw_text(
            Point::from_xy(MARGIN, PAGE_H - MARGIN + 10.0),
            f.regular.clone(),
            8.0,
            &footer,
            false,
            TextDirection::Auto,
        );
        s.finish();
        page.finish();
    }
    doc.finish().map_err(|e| anyhow::anyhow!("pdf: {e:?}"))
}

/// The patient handout as a PDF: the advice, the current dose and the week-by-week table
/// (the same rows as the HTML handout).
pub fn handout_pdf(
    plan: &trappa_taper::Plan,
    locale: trappa_i18n::Locale,
    today: jiff::civil::Date,
) -> anyhow::Result<Vec<u8>> {
    use trappa_taper::output::{handout, time_heading};
    use trappa_taper::reference::Route;
    use trappa_taper::regimen::DoseTime;
    use trappa_taper::text::T;

    let mut preamble = vec![
        T::H_INTRO.get(locale).to_owned(),
        T::H_CONTACT.get(locale).to_owned(),
        T::H_URGENT.get(locale).to_owned(),
    ];
    let current = plan
        .step_on(today)
        .map(|s| s.drugs.as_slice())
        .unwrap_or(&plan.baseline);
    for (i, drug) in plan.drugs.iter().enumerate() {
        let lines = trappa_taper::output::day_lines(drug, &current[i].doses, locale);
        let text = if lines.is_empty() {
            T::NO_DOSE.get(locale).to_owned()
        } else {
            lines.join("; ")
        };
        preamble.push(format!("{} – {}: {text}", T::H_NOW.get(locale), drug.name));
    }
    let several = plan.drugs.len() > 1;
    let mut columns: Vec<(String, f32)> = vec![
        (T::H_WEEK.get(locale).to_owned(), 0.45),
        (T::H_DATES.get(locale).to_owned(), 1.3),
    ];
    for drug in &plan.drugs {
        let prefix = if several {
            format!("{}: ", drug.name)
        } else {
            String::new()
        };
        if drug.route == Route::Transdermal {
            columns.push((format!("{prefix}{}", T::H_DOSE.get(locale)), 2.0));
        } else {
            for t in DoseTime::ALL {
                columns.push((format!("{prefix}{}", time_heading(t, locale)), 2.0));
            }
        }
    }
    let rows: Vec<Vec<String>> = handout::weeks(plan, locale)
        .into_iter()
        .map(|r| {
            let mut row = vec![
                format!("{}{}", r.week, if r.changes { " *" } else { "" }),
                format!("{} – {}", r.from, r.to),
            ];
            for (i, drug) in plan.drugs.iter().enumerate() {
                if drug.route == Route::Transdermal {
                    row.push(r.cells[i][0].clone());
                } else {
                    row.extend(r.cells[i].iter().cloned());
                }
            }
            row
        })
        .collect();
    let footer = format!(
        "* {} · {} · {{page}}/{{pages}}",
        T::H_CHANGE_DAY.get(locale),
        trappa_i18n::fill(
            T::H_PLAN_VERSION.get(locale),
            &[("version", &plan.data_version)]
        )
    );
    table_pdf(&Table {
        title: T::H_TITLE.get(locale),
        preamble,
        columns: columns.iter().map(|(n, w)| (n.as_str(), *w)).collect(),
        rows,
        footer: &footer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_pdf_embeds_font_and_paginates() {
        let rows: Vec<Vec<String>> = (0..120)
            .map(|i| {
                vec![
                    format!("2026-11-{:02}", i % 28 + 1),
                    "Åsa Öberg – läst".into(),
                ]
            })
            .collect();
        let pdf = table_pdf(&Table {
            title: "Logguttag för Åsa Öberg",
            preamble: vec!["Period: allt".into()],
            columns: vec![("Tid", 1.0), ("Händelse", 3.0)],
            rows,
            footer: "Sida {page} av {pages}",
        })
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/FontFile"), "font is embedded");
        std::fs::write(std::env::temp_dir().join("trappa-table-test.pdf"), &pdf).unwrap();
        let pages: usize = text
            .split("/Count ")
            .nth(1)
            .and_then(|t| t.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert!(pages >= 3, "120 rows take several pages, got {pages}");
        assert_eq!(text.matches("/Type/Page/").count(), pages);
        let cut = fit("abcdefghijklmnopqrstuvwxyz", 30.0, 8.5);
        assert!(cut.ends_with('…') && cut.chars().count() < 10, "{cut}");
        assert_eq!(fit("kort", 100.0, 8.5), "kort");
    }
}
