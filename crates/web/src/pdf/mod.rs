//! PDF documents with an embedded font (å, ä, ö): a titled, paginated table, used for
//! the access-log extract. The font is Libertinus Serif from the `typst-assets` crate
//! (SIL Open Font License), subset into each document by krilla.

use krilla::Document;
use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::text::TextDirection;

const PAGE_W: f32 = 842.0; // A4 landscape, points
const PAGE_H: f32 = 595.0;
const MARGIN: f32 = 40.0;
const BODY_SIZE: f32 = 8.5;
const ROW_H: f32 = 12.5;

mod report;
mod text;

pub use report::{Block, Report, report_pdf};

use text::{Fonts, fonts};

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

/// Renders the table as a PDF.
pub fn table_pdf(t: &Table<'_>) -> anyhow::Result<Vec<u8>> {
    let mut doc = Document::new();
    let layout = layout_table(fonts()?, t);
    draw_table(&mut doc, t, &layout, layout.pages.len())?;
    doc.finish().map_err(|e| anyhow::anyhow!("pdf: {e:?}"))
}

/// One more line of a wrapped 16 pt title.
const TITLE_LINE_H: f32 = 20.0;

/// One more line of body text in a table row or heading.
const LINE_H: f32 = 10.5;

/// A table laid out for its pages: column widths, the heading's lines, each row's lines
/// (every cell wrapped to its column, never cut) and which rows go on each page.
struct TableLayout {
    /// The title's lines (16 pt) and the preamble's (10 pt), wrapped to the page.
    title: Vec<String>,
    preamble: Vec<String>,
    widths: Vec<f32>,
    head: Vec<Vec<String>>,
    rows: Vec<Vec<Vec<String>>>,
    pages: Vec<std::ops::Range<usize>>,
}

/// The height of a row (or heading) whose tallest cell has the most lines.
fn row_height(cells: &[Vec<String>]) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
    ROW_H + (lines - 1) as f32 * LINE_H
}

fn layout_table(f: &Fonts, t: &Table<'_>) -> TableLayout {
    let usable_w = PAGE_W - 2.0 * MARGIN;
    let total: f32 = t.columns.iter().map(|(_, w)| w).sum::<f32>().max(0.01);
    // Each column at least as wide as its widest word (so "Vecka" or a date never
    // breaks inside), the rest of the page shared by the columns' weights; only when
    // the words alone are wider than the page do the weights decide alone.
    let widest = |c: usize| -> f32 {
        let word = |s: &str, bold: bool| {
            s.split_whitespace()
                .map(|w| f.width(w, BODY_SIZE, bold))
                .fold(0.0_f32, f32::max)
        };
        let cells = t
            .rows
            .iter()
            .filter_map(|r| r.get(c))
            .map(|s| word(s, false))
            .fold(0.0_f32, f32::max);
        word(t.columns[c].0, true).max(cells) + 4.5
    };
    let minimum: Vec<f32> = (0..t.columns.len()).map(widest).collect();
    let spare = usable_w - minimum.iter().sum::<f32>();
    let widths: Vec<f32> = if spare >= 0.0 {
        t.columns
            .iter()
            .zip(&minimum)
            .map(|((_, w), m)| m + spare * w / total)
            .collect()
    } else {
        t.columns
            .iter()
            .map(|(_, w)| w / total * usable_w)
            .collect()
    };
    // Four points between columns.
    let cell = |s: &str, w: f32, bold: bool| f.lines(s, w - 4.0, BODY_SIZE, bold);
    let head: Vec<Vec<String>> = t
        .columns
        .iter()
        .zip(&widths)
        .map(|((name, _), w)| cell(name, *w, true))
        .collect();
    let rows: Vec<Vec<Vec<String>>> = t
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .zip(&widths)
                .map(|(c, w)| cell(c, *w, false))
                .collect()
        })
        .collect();
    let head_extra = row_height(&head) - ROW_H;
    let title = f.lines(t.title, usable_w, 16.0, true);
    let preamble: Vec<String> = t
        .preamble
        .iter()
        .flat_map(|l| f.lines(l, usable_w, 10.0, false))
        .collect();
    let first_top = MARGIN
        + 30.0
        + (title.len() - 1) as f32 * TITLE_LINE_H
        + preamble.len() as f32 * 14.0
        + 16.0
        + head_extra;
    let later_top = MARGIN + 16.0 + head_extra;
    let bottom = PAGE_H - MARGIN - 20.0;
    // A row taller than a page goes on over as many rows as it needs (each cell's
    // lines in order), so nothing runs past the footer.
    let room = (bottom - first_top.max(later_top)).max(ROW_H + 4.0 * LINE_H);
    let most = 1 + ((room - ROW_H) / LINE_H).floor() as usize;
    let rows: Vec<Vec<Vec<String>>> = rows
        .into_iter()
        .flat_map(|row| {
            let lines = row.iter().map(Vec::len).max().unwrap_or(1);
            (0..lines.div_ceil(most).max(1))
                .map(|part| {
                    row.iter()
                        .map(|cell| cell.iter().skip(part * most).take(most).cloned().collect())
                        .collect::<Vec<Vec<String>>>()
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let mut pages = Vec::new();
    let (mut start, mut y) = (0, first_top);
    for (i, row) in rows.iter().enumerate() {
        let h = row_height(row);
        if y + h > bottom && i > start {
            pages.push(start..i);
            (start, y) = (i, later_top);
        }
        y += h;
    }
    pages.push(start..rows.len());
    TableLayout {
        title,
        preamble,
        widths,
        head,
        rows,
        pages,
    }
}

/// Draws a page's footer (`{page}` and `{pages}` filled in) at the bottom margin of a
/// page `page_h` high.
fn draw_footer(
    s: &mut krilla::surface::Surface<'_>,
    f: &Fonts,
    footer: &str,
    page: usize,
    pages: usize,
    page_h: f32,
) {
    let footer = footer
        .replace("{page}", &page.to_string())
        .replace("{pages}", &pages.to_string());
    s.draw_text(
        Point::from_xy(MARGIN, page_h - MARGIN + 10.0),
        f.regular.clone(),
        8.0,
        &footer,
        false,
        TextDirection::Auto,
    );
}

/// Draws the table's pages into `doc`; footers count `total_pages`.
fn draw_table(
    doc: &mut Document,
    t: &Table<'_>,
    layout: &TableLayout,
    total_pages: usize,
) -> anyhow::Result<()> {
    let f = fonts()?;
    for (index, range) in layout.pages.iter().enumerate() {
        let page_no = index + 1;
        let settings =
            PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| anyhow::anyhow!("page size"))?;
        let mut page = doc.start_page_with(settings);
        let mut s = page.surface();
        let mut y = MARGIN;
        if page_no == 1 {
            y += 18.0 - TITLE_LINE_H;
            for line in &layout.title {
                y += TITLE_LINE_H;
                s.draw_text(
                    Point::from_xy(MARGIN, y),
                    f.bold.clone(),
                    16.0,
                    line,
                    false,
                    TextDirection::Auto,
                );
            }
            y += 12.0;
            for line in &layout.preamble {
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
        let draw_cells =
            |s: &mut krilla::surface::Surface<'_>, y: f32, cells: &[Vec<String>], bold: bool| {
                let mut x = MARGIN;
                for (lines, w) in cells.iter().zip(&layout.widths) {
                    for (k, line) in lines.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
                        s.draw_text(
                            Point::from_xy(x, y + k as f32 * LINE_H),
                            if bold {
                                f.bold.clone()
                            } else {
                                f.regular.clone()
                            },
                            BODY_SIZE,
                            line,
                            false,
                            TextDirection::Auto,
                        );
                    }
                    x += w;
                }
            };
        draw_cells(&mut s, y, &layout.head, true);
        y += row_height(&layout.head) - ROW_H;
        for row in &layout.rows[range.clone()] {
            y += ROW_H;
            draw_cells(&mut s, y, row, false);
            y += row_height(row) - ROW_H;
        }
        draw_footer(&mut s, f, t.footer, page_no, total_pages, PAGE_H);
        s.finish();
        page.finish();
    }
    Ok(())
}

/// Draws month calendars, six to a page, after `first_page - 1` pages: each day's
/// number, the days a new dose starts in bold with their step.
#[allow(clippy::too_many_arguments)]
fn draw_calendar(
    doc: &mut Document,
    title: &str,
    weekdays: &[&str],
    months: &[trappa_taper::output::handout::Month],
    legend: &str,
    footer: &str,
    first_page: usize,
    total_pages: usize,
) -> anyhow::Result<()> {
    let f = fonts()?;
    let box_w = (PAGE_W - 2.0 * MARGIN) / 3.0;
    let box_h = (PAGE_H - 2.0 * MARGIN - 50.0) / 2.0;
    let cell_w = (box_w - 16.0) / 7.0;
    for (page_index, chunk) in months.chunks(6).enumerate() {
        let settings =
            PageSettings::from_wh(PAGE_W, PAGE_H).ok_or_else(|| anyhow::anyhow!("page size"))?;
        let mut page = doc.start_page_with(settings);
        let mut s = page.surface();
        let mut text = |x: f32, y: f32, bold: bool, size: f32, t: &str| {
            let font = if bold {
                f.bold.clone()
            } else {
                f.regular.clone()
            };
            s.draw_text(
                Point::from_xy(x, y),
                font,
                size,
                t,
                false,
                TextDirection::Auto,
            );
        };
        text(MARGIN, MARGIN + 14.0, true, 14.0, title);
        text(MARGIN, MARGIN + 30.0, false, 9.0, legend);
        for (k, m) in chunk.iter().enumerate() {
            let x0 = MARGIN + (k % 3) as f32 * box_w;
            let y0 = MARGIN + 50.0 + (k / 3) as f32 * box_h;
            text(x0, y0 + 14.0, true, 11.0, &m.title);
            for (c, w) in weekdays.iter().enumerate() {
                text(x0 + c as f32 * cell_w, y0 + 32.0, true, 8.0, w);
            }
            for (r, week) in m.weeks.iter().enumerate() {
                let y = y0 + 50.0 + r as f32 * 26.0;
                for (c, cell) in week.iter().enumerate() {
                    let Some(d) = cell else { continue };
                    let x = x0 + c as f32 * cell_w;
                    match d.change {
                        Some(step) => {
                            text(x, y, true, 10.0, &format!("{}*", d.day));
                            text(x, y + 9.0, false, 6.5, &format!("({step})"));
                        }
                        None => text(
                            x,
                            y,
                            false,
                            if d.in_plan { 10.0 } else { 8.0 },
                            &d.day.to_string(),
                        ),
                    }
                }
            }
        }
        let footer = footer
            .replace("{page}", &(first_page + page_index).to_string())
            .replace("{pages}", &total_pages.to_string());
        text(MARGIN, PAGE_H - MARGIN + 10.0, false, 8.0, &footer);
        s.finish();
        page.finish();
    }
    Ok(())
}

/// The patient handout as a PDF: the advice, the current dose and the week-by-week table
/// (the same rows as the HTML handout).
pub fn handout_pdf(
    plan: &trappa_taper::Plan,
    locale: trappa_i18n::Locale,
    today: jiff::civil::Date,
    who: Option<&trappa_taper::output::handout::Recipient>,
) -> anyhow::Result<Vec<u8>> {
    use trappa_taper::output::{handout, time_heading};
    use trappa_taper::reference::Route;
    use trappa_taper::regimen::DoseTime;
    use trappa_taper::text::T;

    let mut preamble = Vec::new();
    if let Some(w) = who {
        preamble.push(trappa_i18n::fill(
            T::H_FOR.get(locale),
            &[("name", &w.name)],
        ));
    }
    preamble.extend([
        T::H_INTRO.get(locale).to_owned(),
        T::H_CONTACT.get(locale).to_owned(),
    ]);
    if let Some(phone) = who.and_then(|w| w.phone.as_deref()) {
        preamble.push(trappa_i18n::fill(
            T::H_PHONE.get(locale),
            &[("phone", phone)],
        ));
    }
    preamble.push(T::H_URGENT.get(locale).to_owned());
    let current = plan.doses_on(today);
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
    let week_rows = handout::weeks(plan, locale);
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (k, r) in week_rows.iter().enumerate() {
        // A switch to diazepam is its own phase: a row names it where it begins.
        if plan.has_phases() && (k == 0 || week_rows[k - 1].phase != r.phase) {
            let mut heading = vec![String::new(); columns.len()];
            heading[1] = trappa_taper::output::phase_name(plan, r.phase, locale);
            rows.push(heading);
        }
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
        rows.push(row);
    }
    let footer = format!(
        "* {} · {} · {{page}}/{{pages}}",
        T::H_CHANGE_DAY.get(locale),
        T::H_PLAN_VERSION.get(locale)
    );
    let table = Table {
        title: T::H_TITLE.get(locale),
        preamble,
        columns: columns.iter().map(|(n, w)| (n.as_str(), *w)).collect(),
        rows,
        footer: &footer,
    };
    let months = handout::calendar_months(plan, locale);
    let layout = layout_table(fonts()?, &table);
    let table_pages = layout.pages.len();
    let total = table_pages + months.len().div_ceil(6);
    let mut doc = Document::new();
    draw_table(&mut doc, &table, &layout, total)?;
    let weekdays: Vec<&str> = T::WEEKDAYS.get(locale).split(' ').collect();
    let legend = format!(
        "* {} ({})",
        T::H_CHANGE_DAY.get(locale),
        T::H_STEP.get(locale).to_lowercase()
    );
    draw_calendar(
        &mut doc,
        T::H_CALENDAR.get(locale),
        &weekdays,
        &months,
        &legend,
        &footer,
        table_pages + 1,
        total,
    )?;
    doc.finish().map_err(|e| anyhow::anyhow!("pdf: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_and_headings_wrap_whole_and_rows_fit_their_pages() {
        let f = fonts().unwrap();
        let dose = "4 tabletter Stesolid 5 mg och 1 tablett Oxascand 10 mg på morgonen";
        let rows: Vec<Vec<String>> = (0..60)
            .map(|i| vec![format!("Vecka {i}"), dose.to_owned(), "–".into()])
            .collect();
        let t = Table {
            title: "Plan",
            preamble: vec![],
            columns: vec![
                ("Vecka", 0.3),
                (
                    "Stesolid 5 mg tablett och Oxascand 10 mg tablett, morgon",
                    0.4,
                ),
                ("Kväll", 2.0),
            ],
            rows,
            footer: "{page}/{pages}",
        };
        let layout = layout_table(f, &t);
        let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        for (c, ((name, _), w)) in t.columns.iter().zip(&layout.widths).enumerate() {
            assert_eq!(
                words(&layout.head[c].join(" ")),
                words(name),
                "heading whole"
            );
            assert!(
                layout.head[c]
                    .iter()
                    .all(|l| f.width(l, BODY_SIZE, true) <= w - 4.0)
            );
        }
        assert!(layout.head[1].len() > 1, "a long heading wraps");
        let long_title = "Nedtrappningsplan för Testa Testsson med två läkemedel: alprazolam och zolpidem byts till diazepam och trappas sedan ned långsamt";
        let titled = layout_table(
            f,
            &Table {
                title: long_title,
                preamble: vec![],
                columns: t.columns.clone(),
                rows: t.rows.clone(),
                footer: t.footer,
            },
        );
        assert!(titled.title.len() > 1, "a long title wraps");
        assert_eq!(
            words(&titled.title.join(" ")),
            words(long_title),
            "title whole"
        );
        assert!(
            titled.pages[0].len() <= layout.pages[0].len(),
            "less room on page one"
        );
        assert!(layout.rows[0][1].len() > 1, "a long cell wraps");
        for (r, row) in layout.rows.iter().enumerate() {
            for (c, lines) in row.iter().enumerate() {
                assert_eq!(words(&lines.join(" ")), words(&t.rows[r][c]), "cell whole");
                let w = layout.widths[c] - 4.0;
                assert!(lines.iter().all(|l| f.width(l, BODY_SIZE, false) <= w));
            }
        }
        // Every row on exactly one page, in order, and no page overfull.
        let on_pages: Vec<usize> = layout.pages.iter().flat_map(|p| p.clone()).collect();
        assert_eq!(on_pages, (0..60).collect::<Vec<_>>());
        assert!(layout.pages.len() > 1);
        let head = row_height(&layout.head);
        for p in &layout.pages {
            let used: f32 = layout.rows[p.clone()].iter().map(|r| row_height(r)).sum();
            assert!(
                used + head + 2.0 * MARGIN < PAGE_H,
                "page {p:?} holds {used} pt"
            );
        }
    }

    #[test]
    fn a_row_taller_than_a_page_goes_on_over_rows_that_fit() {
        let f = fonts().unwrap();
        let note = "Anteckning om dosen och hur den tas. ".repeat(400);
        let t = Table {
            title: "Plan",
            preamble: vec!["En rad om planen.".into()],
            columns: vec![("Vecka", 0.2), ("Anteckning", 0.8)],
            rows: vec![
                vec!["1".into(), "Kort".into()],
                vec!["2".into(), note.clone()],
                vec!["3".into(), "Kort".into()],
            ],
            footer: "{page}/{pages}",
        };
        let layout = layout_table(f, &t);
        assert!(layout.rows.len() > 3, "the long row went on over rows");
        let words = |s: &str| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        let rejoined: Vec<String> = layout.rows[1..layout.rows.len() - 1]
            .iter()
            .flat_map(|r| r[1].clone())
            .collect();
        assert_eq!(
            words(&rejoined.join(" ")),
            words(&note),
            "every word, in order"
        );
        let head = row_height(&layout.head);
        for p in &layout.pages {
            let used: f32 = layout.rows[p.clone()].iter().map(|r| row_height(r)).sum();
            assert!(
                used + head + 2.0 * MARGIN + 30.0 < PAGE_H,
                "page {p:?} holds {used} pt"
            );
        }
        // The PDF opens and holds the whole note.
        let pdf = table_pdf(&t).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
    }

    /// The text `pdftotext` reads from a PDF in drawing order, whitespace collapsed.
    fn extracted(pdf: &[u8]) -> String {
        let dir = std::env::temp_dir().join(format!("trappa-pdf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("handout.pdf");
        std::fs::write(&path, pdf).unwrap();
        let out = std::process::Command::new("pdftotext")
            .args(["-raw", "-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) runs; scripts/test.sh installs it");
        assert!(out.status.success(), "pdftotext read the PDF");
        let text = String::from_utf8(out.stdout).unwrap();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn a_two_drug_substitution_handout_holds_every_dose_line_whole() {
        use trappa_taper::plan::*;
        use trappa_taper::regimen::{DrugUse, Regimen};
        let data = trappa_taper::ReferenceData::builtin().unwrap();
        let drug = |substance: &str, doses: &[f64]| DrugUse {
            substance: substance.into(),
            route: None,
            doses: doses.to_vec(),
            products: vec![],
            as_needed: None,
            special_products: false,
        };
        let request = PlanRequest {
            regimen: Regimen {
                drugs: vec![
                    drug("alprazolam", &[2.0, 2.0, 2.0]),
                    drug("zolpidem", &[0.0, 0.0, 0.0, 10.0]),
                ],
            },
            start: "2026-12-01".parse().unwrap(),
            tables: Default::default(),
            reduction: Some(Reduction::default()),
            substitution: Some(Substitution::every(1)),
            multi: MultiDrug::Staggered {},
            goals: vec![],
            limits: Limits::default(),
            holds: vec![],
            dose_times: vec![],
            phases: Vec::new(),
            step_lengths: Vec::new(),
        };
        let plan = trappa_taper::propose(&data, &request).unwrap();
        let locale = trappa_i18n::Locale::Sv;
        let today = plan.request.start;
        let pdf = handout_pdf(&plan, locale, today, None).unwrap();
        let text = extracted(&pdf);
        let rows = trappa_taper::output::handout::weeks(&plan, locale);
        assert!(rows.len() > 20, "a long plan: {} weeks", rows.len());
        let mut checked = 0;
        for row in &rows {
            for cell in row.cells.iter().flatten().filter(|c| c.len() > 1) {
                let whole = cell.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(text.contains(&whole), "week {}: «{whole}» is cut", row.week);
                checked += 1;
            }
        }
        assert!(checked > 40, "{checked} dose lines");
        // The switch to diazepam is its own phase, named where it begins.
        let switch = text.find("Byte till diazepam").expect("the switch named");
        let taper = text.find("Nedtrappning").expect("the taper named");
        assert!(switch < taper);
        for (i, d) in plan.drugs.iter().enumerate() {
            for line in trappa_taper::output::day_lines(d, &plan.doses_on(today)[i].doses, locale) {
                let whole = line.split_whitespace().collect::<Vec<_>>().join(" ");
                assert!(text.contains(&whole), "today's dose «{whole}» is cut");
            }
        }
    }

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
    }
}

/// A letter: sender and recipient blocks, a title, paragraphs (each may hold lines
/// separated by `\n`), a signature. A4 portrait, wrapped to the page, more pages as
/// needed.
pub struct Letter<'a> {
    /// The sending unit and date.
    pub from: Vec<String>,
    /// The recipient's address block.
    pub to: Vec<String>,
    /// The subject line.
    pub title: &'a str,
    /// Body paragraphs.
    pub paragraphs: Vec<String>,
    /// Who signs, with title.
    pub signature: Vec<String>,
    /// A note for whoever posts the letter (shown on screen, never printed in it): how
    /// post reaches a patient with protected identity.
    pub sender_note: Option<String>,
}

/// Renders a letter as a PDF.
pub fn letter_pdf(l: &Letter<'_>) -> anyhow::Result<Vec<u8>> {
    const W: f32 = 595.0;
    const H: f32 = 842.0;
    const SIZE: f32 = 11.0;
    const LINE: f32 = 15.0;
    let f = fonts()?;
    let text_width = W - 2.0 * MARGIN;
    // (text, bold, size, space before)
    let mut items: Vec<(String, bool, f32, f32)> = Vec::new();
    for line in &l.from {
        items.push((line.clone(), false, 9.0, 0.0));
    }
    let mut first = true;
    for line in &l.to {
        items.push((line.clone(), false, SIZE, if first { 24.0 } else { 0.0 }));
        first = false;
    }
    let mut gap = 30.0;
    for line in f.lines(l.title, text_width, 13.0, true) {
        items.push((line, true, 13.0, gap));
        gap = 0.0;
    }
    for p in &l.paragraphs {
        let mut gap = 10.0;
        for line in f.lines(p, text_width, SIZE, false) {
            items.push((line, false, SIZE, gap));
            gap = 0.0;
        }
    }
    let mut gap = 24.0;
    for line in &l.signature {
        items.push((line.clone(), false, SIZE, gap));
        gap = 0.0;
    }
    let mut doc = Document::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        let settings = PageSettings::from_wh(W, H).ok_or_else(|| anyhow::anyhow!("page size"))?;
        let mut page = doc.start_page_with(settings);
        let mut s = page.surface();
        let mut y = MARGIN + 10.0;
        while let Some((text, bold, size, before)) = items.next_if(|_| y < H - MARGIN - LINE) {
            y += before + LINE.max(size + 4.0);
            let font = if bold {
                f.bold.clone()
            } else {
                f.regular.clone()
            };
            if !text.is_empty() {
                s.draw_text(
                    Point::from_xy(MARGIN, y),
                    font,
                    size,
                    &text,
                    false,
                    TextDirection::Auto,
                );
            }
        }
        s.finish();
        page.finish();
    }
    doc.finish().map_err(|e| anyhow::anyhow!("pdf: {e:?}"))
}

#[cfg(test)]
mod letter_tests {
    use super::*;

    #[test]
    fn a_long_letter_runs_onto_more_pages() {
        let letter = Letter {
            from: vec!["Nedtrappningsenheten".into()],
            to: vec!["Vårdcentralen Åsen".into()],
            title: "Svar på remiss",
            paragraphs: vec!["Många ord om väntetid och råd. ".repeat(400)],
            signature: vec!["Läkare".into()],
            sender_note: None,
        };
        let pdf = letter_pdf(&letter).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let pages = String::from_utf8_lossy(&pdf).matches("/Type/Page/").count();
        assert!(pages >= 2, "a long letter on {pages} page(s)");
    }
}
