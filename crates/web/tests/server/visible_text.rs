//! Guard: no internal code reaches a person. Signed in as each role (and anonymously),
//! the test walks the pages a user can reach by following links from the start page, two
//! links deep, and reads each page's visible text (what a browser shows: tags, scripts,
//! styles and attribute values left out). It must hold no snake_case code
//! (`patient_asks_pause`), no dotted code (`own.access_log`, `patient.referral`), no
//! data-version code, no "status U" and no English from a catalogue's fallback. The
//! browser journeys run the same check on every page state they reach (`browser.rs`).
//! On both databases.

use crate::support;

use std::collections::{BTreeSet, VecDeque};

use support::{Client, ENGLISH, codes, servers};

/// The visible text of an HTML page.
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        rest = &rest[open..];
        let lower = rest.get(..8).unwrap_or("").to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            rest.find("</script>").map(|i| i + 9)
        } else if lower.starts_with("<style") {
            rest.find("</style>").map(|i| i + 8)
        } else if lower.starts_with("<svg") {
            // Charts: their labels are checked as text below, their markup is not.
            rest.find('>').map(|i| i + 1)
        } else {
            rest.find('>').map(|i| i + 1)
        };
        rest = &rest[skip_to.unwrap_or(rest.len())..];
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|h| h.split('"').next())
        .map(|h| h.replace("&amp;", "&"))
        .filter(|h| h.starts_with('/') && !h.starts_with("//"))
        .filter(|h| {
            let path = h.split(['?', '#']).next().unwrap_or("");
            !path.starts_with("/static")
                && !path.starts_with("/api")
                && ![".pdf", ".csv", ".ics"].iter().any(|e| path.ends_with(e))
                && !path.ends_with("/nodatkomst")
        })
        .map(|h| h.split('#').next().unwrap_or("").to_owned())
        .collect()
}

/// Walks from `/start` (or `/` for the anonymous) and returns (pages read, findings).
async fn walk(client: &Client, first: &str, limit: usize) -> (usize, Vec<String>) {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([(first.to_owned(), 0)]);
    let mut findings = Vec::new();
    let mut read = 0;
    while let Some((path, depth)) = queue.pop_front() {
        // One page per route shape: /patienter/{a} and /patienter/{b} read the same code.
        let shape: String = path
            .split('/')
            .map(|seg| {
                if seg.len() >= 32 && seg.contains('-') {
                    "{id}"
                } else {
                    seg
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        if !seen.insert(shape) || read >= limit {
            continue;
        }
        let res = client.get(&path).await;
        if !res.status().is_success()
            || !res
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"))
        {
            continue;
        }
        let html = res.text().await.unwrap();
        read += 1;
        let text = visible_text(&html);
        for code in codes(&text) {
            let word = code.split(' ').next().unwrap_or(&code);
            let context: String = text
                .find(word)
                .map(|at| {
                    let from = text[..at]
                        .char_indices()
                        .rev()
                        .nth(40)
                        .map_or(0, |(i, _)| i);
                    text[from..].chars().take(70).collect()
                })
                .unwrap_or_default();
            findings.push(format!(
                "{path}: code {code} in …{}…",
                context.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
        for english in ENGLISH {
            if let Some(at) = text.find(english) {
                let from = text[..at]
                    .char_indices()
                    .rev()
                    .nth(40)
                    .map_or(0, |(i, _)| i);
                let context: String = text[from..].chars().take(90).collect();
                findings.push(format!(
                    "{path}: \"{english}\" in …{}…",
                    context.split_whitespace().collect::<Vec<_>>().join(" ")
                ));
            }
        }
        if depth < 2 {
            for link in links(&html) {
                queue.push_back((link, depth + 1));
            }
        }
    }
    (read, findings)
}

#[test]
fn the_scanner_finds_codes_and_passes_words() {
    assert_eq!(codes("Flagga: patient_asks_pause."), ["patient_asks_pause"]);
    assert_eq!(codes("Resurs own.access_log visad"), ["own.access_log"]);
    assert!(codes("Läs mer på 1177.se eller www.fass.se, filen plan.pdf.").is_empty());
    assert!(codes("Oxascand 10 mg, 21,2 DE. Slut.").is_empty());
    assert_eq!(
        codes("38.5 per 1 000, 16092 invånare; 16 092 och 127.0.0.1"),
        ["38.5 (decimal point)", "16092 (thousands not apart)"]
    );
    assert!(codes("Skriv t.ex. en rad, bl.a. om sömn, fr.o.m. i dag.").is_empty());
    assert_eq!(
        visible_text("<p title=\"a_b\">Hej <script>x_y()</script><b>du</b></p>")
            .split_whitespace()
            .collect::<Vec<_>>(),
        ["Hej", "du"]
    );
}

#[tokio::test]
async fn no_internal_code_reaches_a_person() {
    for s in servers().await {
        let b = s.backend;
        let mut findings = Vec::new();
        let mut read = 0;
        for user in [
            "lakare",
            "sjukskoterska",
            "koordinator",
            "chef",
            "analytiker",
            "granskare",
            "admin",
            "remittent",
            "patient",
        ] {
            let client = s.login(user).await;
            let (n, found) = walk(&client, "/start", 60).await;
            read += n;
            findings.extend(found.into_iter().map(|f| format!("[{user}] {f}")));
        }
        let (n, found) = walk(&s.anonymous(), "/", 10).await;
        read += n;
        findings.extend(found);
        findings.sort();
        findings.dedup();
        assert!(read >= 40, "[{b}] only {read} pages were read");
        assert!(
            findings.is_empty(),
            "[{b}] {} findings over {read} pages:\n{}",
            findings.len(),
            findings.join("\n")
        );
    }
}
