//! The board's follow-up and the needs page over HTTP on both databases: what the
//! analyst sees is aggregates only (no name, every shown count zero or at least five),
//! the read is logged once with basis statistics, a count grows with the referrals that
//! arrive and stays hidden while under five, the CSV and the PDF download, and bad
//! periods are refused in Swedish and as problem+json.

use crate::support;

use trappa_reporting::publish::Measure;

use std::collections::HashMap;

use reqwest::StatusCode;
use support::{Client, referral_from, servers};
use trappa_store::access_log::LogQuery;

fn today() -> String {
    trappa_app::clock::today().to_string()
}

/// A measure's name as the CSV writes it.
fn m(measure: trappa_reporting::publish::Measure) -> String {
    trappa_reporting::text::measure_text(measure)
        .0
        .sv
        .to_owned()
}

/// The CSV's rows as (table, key, measure) → value. The file is for Swedish Excel:
/// a BOM, `;` between cells, Swedish headings, "dold" for a hidden value.
async fn csv_rows(c: &Client, query: &str) -> HashMap<(String, String, String), String> {
    let res = c.get(&format!("/rapport.csv?{query}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"),
    );
    let body = res.text().await.unwrap();
    let body = body.strip_prefix('\u{feff}').expect("a BOM for Excel");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(body.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec!["Tabell", "Nyckel", "Namn", "Mått", "Värde"]
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                (r[0].to_owned(), r[1].to_owned(), r[3].to_owned()),
                r[4].to_owned(),
            )
        })
        .collect()
}

/// Measures that are counts of people or events (the rest are rates, days, money).
fn counts() -> Vec<String> {
    use trappa_reporting::publish::{Kind, Measure};
    Measure::ALL
        .iter()
        .filter(|x| x.kind() == Kind::Count)
        .map(|x| m(*x))
        .chain(["Patienter".to_owned()])
        .collect()
}

#[tokio::test]
async fn the_analyst_sees_suppressed_aggregates_and_downloads_them() {
    for s in servers().await {
        let b = s.backend;
        let analyst = s.login("analytiker").await;
        let before = s.store.access_log_len().await.unwrap();
        let res = analyst.get("/rapport").await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
        let html = res.text().await.unwrap();
        for heading in [
            "Nyckeltal",
            "Utveckling per kvartal",
            "Räckvidd per kommun",
            "Kostnad och resor",
            "Definitioner",
        ] {
            assert!(html.contains(heading), "[{b}] {heading}");
        }
        assert!(html.contains("<svg"), "[{b}] the charts");
        // Reach, lowest first: nobody reached, then hidden counts, then rising rates —
        // numbers in Swedish (decimal comma, thousands apart).
        let table = &html[html
            .find("<table class=\"reach\">")
            .expect("the reach table")..];
        let table = &table[..table.find("</table>").unwrap()];
        let mut ranks = Vec::new();
        for row in table.split("<tr>").skip(2) {
            let cells: Vec<&str> = row
                .split("<td class=\"num\">")
                .skip(1)
                .map(|c| c.split("</td>").next().unwrap())
                .collect();
            assert_eq!(cells.len(), 3, "[{b}] {row}");
            let longest_digit_run = cells[0]
                .split(|c: char| !c.is_ascii_digit())
                .map(str::len)
                .max()
                .unwrap_or(0);
            assert!(
                longest_digit_run <= 3,
                "[{b}] population with its thousands apart: {}",
                cells[0]
            );
            ranks.push(match cells[2] {
                c if c.contains("dolt") => (1, 0.0),
                c => {
                    assert!(!c.contains('.'), "[{b}] a decimal comma: {c}");
                    let v: f64 = c.replace(',', ".").parse().unwrap();
                    (if v == 0.0 { 0 } else { 2 }, v)
                }
            });
        }
        assert_eq!(ranks.len(), 49, "[{b}] every municipality");
        assert!(
            ranks
                .windows(2)
                .all(|w| w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 <= w[1].1)),
            "[{b}] lowest first: {ranks:?}"
        );
        // No demo patient's name or identity number reaches the page.
        for p in trappa_data::demo::synthetic_patients(&[], trappa_data::demo::DEMO_PATIENTS) {
            let name = format!("{} {}", p.data.given_name, p.data.family_name);
            assert!(!html.contains(&name), "[{b}] {name}");
            let pnr = p.data.personal_identity.to_string();
            assert!(!html.contains(&pnr), "[{b}] an identity number");
        }
        // One log entry for the read, with basis statistics and no patient.
        let entries = s
            .store
            .search_access_log(&LogQuery {
                limit: 1_000,
                ..Default::default()
            })
            .await
            .unwrap();
        let new: Vec<_> = entries
            .iter()
            .filter(|e| e.id > before && e.resource == "report")
            .collect();
        assert_eq!(new.len(), 1, "[{b}] one entry for the report");
        assert_eq!(new[0].basis.as_deref(), Some("statistics"), "[{b}]");
        assert_eq!(new[0].patient_id, None, "[{b}]");

        // Every count in every table is zero, at least five, or hidden.
        let rows = csv_rows(&analyst, "").await;
        assert!(rows.len() > 500, "[{b}] every table: {}", rows.len());
        let counts = counts();
        for ((table, key, measure), value) in &rows {
            if counts.contains(measure) {
                match value.as_str() {
                    "dold" | "" => {}
                    v => {
                        let n: u64 = v
                            .parse()
                            .unwrap_or_else(|_| panic!("{table} {key} {measure} {v}"));
                        assert!(n == 0 || n >= 5, "[{b}] {table} {key} {measure} = {n}");
                    }
                }
            }
        }
        let total = &rows[&("Totalt".into(), String::new(), m(Measure::Received))];
        assert!(
            total.parse::<u64>().unwrap() >= 5,
            "[{b}] the demo's referrals"
        );

        let pdf = analyst.get("/rapport.pdf").await;
        assert_eq!(pdf.status(), StatusCode::OK, "[{b}]");
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let bytes = pdf.bytes().await.unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "[{b}]");
        assert!(bytes.len() > 10_000, "[{b}] tables, charts and definitions");
    }
}

/// Referrals arriving today: three are hidden, six are shown as six.
#[tokio::test]
async fn a_count_is_hidden_under_five_and_shown_from_five() {
    for s in servers().await {
        let b = s.backend;
        let analyst = s.login("analytiker").await;
        let today = today();
        let query = format!("fran={today}&till={today}");
        let received = |rows: &HashMap<(String, String, String), String>| {
            rows[&("Totalt".into(), String::new(), m(Measure::Received))].clone()
        };
        assert_eq!(received(&csv_rows(&analyst, &query).await), "0", "[{b}]");
        for n in 0..3 {
            referral_from(&s, 600 + n, "remittent").await;
        }
        assert_eq!(
            received(&csv_rows(&analyst, &query).await),
            "dold",
            "[{b}] three referrals"
        );
        for n in 3..6 {
            referral_from(&s, 600 + n, "remittent").await;
        }
        let rows = csv_rows(&analyst, &query).await;
        assert_eq!(received(&rows), "6", "[{b}] six referrals");
        // By quarter, the one quarter holds them all.
        assert_eq!(
            rows.iter()
                .filter(|((t, _, x), v)| {
                    t == "Per kvartal" && *x == m(Measure::Received) && *v == "6"
                })
                .count(),
            1,
            "[{b}]"
        );
    }
}

#[tokio::test]
async fn a_bad_period_is_refused_in_swedish_and_as_problem_json() {
    for s in servers().await {
        let b = s.backend;
        let analyst = s.login("analytiker").await;
        for (query, message) in [
            ("fran=2026-13-40", "Ange ett datum som ÅÅÅÅ-MM-DD."),
            (
                "fran=2026-06-01&till=2026-01-01",
                "Periodens första dag ligger efter dess sista.",
            ),
            (
                "fran=2015-01-01&till=2026-01-01",
                "En rapport kan omfatta högst fem år.",
            ),
            ("fordelning=stjarntecken", "Välj en fördelning ur listan."),
        ] {
            let res = analyst.get(&format!("/rapport?{query}")).await;
            assert_eq!(
                res.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{b}] {query}"
            );
            assert!(res.text().await.unwrap().contains(message), "[{b}] {query}");
            let res = analyst.get(&format!("/rapport.csv?{query}")).await;
            assert_eq!(
                res.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{b}] {query}"
            );
        }
        let res = analyst
            .http
            .get(analyst.url("/rapport?fran=2026-06-01&till=2026-01-01"))
            .header("accept", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/problem+json"),
            "[{b}]"
        );
        let problem: serde_json::Value = res.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], "fran", "[{b}]");
    }
}

/// The needs page without an analysis says how to import one; with one saved, it shows
/// the groups, the estimate and the ranking, and hides small counts.
#[tokio::test]
async fn the_needs_page_shows_the_saved_analysis() {
    use trappa_needs::analysis::{Settings, analyse};
    use trappa_needs::imported::{DOCUMENT, Imported};
    for s in servers().await {
        let b = s.backend;
        let analyst = s.login("analytiker").await;
        let html = analyst.get("/behov").await.text().await.unwrap();
        assert!(html.contains("--save-as analytiker"), "[{b}] how to import");

        // A small file: ten long-term benzodiazepine users in Ale, three in Alingsås,
        // and one malformed row.
        let reference = jiff::civil::date(2026, 10, 31);
        let mut file = trappa_needs::dispensing::HEADER.join(",") + "\n";
        for (patient, municipality) in (0..10)
            .map(|i| (i, "1440"))
            .chain((10..13).map(|i| (i, "1489")))
        {
            for month in 1..=10 {
                file.push_str(&format!(
                    "p{patient},2026-{month:02}-15,N05BA04,Oxascand,10 mg,100,60,vc:test,{municipality},F,45-64\n"
                ));
            }
        }
        file.push_str("p99,2026-02-30,N05BA04,Oxascand,10 mg,100,60,vc:test,1440,F,45-64\n");
        let populations: HashMap<String, u64> =
            [("1440".to_owned(), 32_000), ("1489".to_owned(), 42_000)].into();
        let needs = analyse(
            file.as_bytes(),
            Settings::vgr(reference),
            &populations,
            &mut |_| {},
        )
        .unwrap();
        let imported = Imported {
            source: "prov.csv".into(),
            reference,
            population: 74_000,
            needs,
        };
        let author = s.account_id("analytiker").await;
        s.store
            .save_document(
                s.tapering_unit,
                DOCUMENT,
                0,
                &serde_json::to_string(&imported).unwrap(),
                author,
                "test",
            )
            .await
            .unwrap();
        let res = analyst.get("/behov").await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
        let html = res.text().await.unwrap();
        assert!(html.contains("prov.csv"), "[{b}]");
        assert!(html.contains("Team per 250 000 invånare"), "[{b}]");
        // The malformed row, by its line (header 1, 130 rows, then it: line 132).
        assert!(html.contains("<td class=\"num\">132</td>"), "[{b}] {html}");
        assert!(html.contains("datumet är inte ÅÅÅÅ-MM-DD"), "[{b}]");
        // Alingsås's three are hidden, and so (being the only other) are Ale's ten in
        // that column: each row reads name, population, then a hidden count and rate.
        assert!(!html.contains(">3<"), "[{b}] three long-term users shown");
        for municipality in ["Ale kommun", "Alingsås kommun"] {
            let row = html
                .split(&format!("{municipality}</th>"))
                .nth(1)
                .unwrap_or_else(|| panic!("[{b}] a row for {municipality}"));
            let cells: Vec<&str> = row
                .split("<td class=\"num\">")
                .skip(1)
                .take(3)
                .map(|c| c.split('<').next().unwrap_or(""))
                .collect();
            assert_eq!(&cells[1..], ["–", "–"], "[{b}] {municipality}: {cells:?}");
        }
        // The coordinator may not see it.
        let coordinator = s.login("koordinator").await;
        assert_eq!(
            coordinator.get("/behov").await.status(),
            StatusCode::FORBIDDEN,
            "[{b}]"
        );
    }
}
