//! The main journeys in a real headless Chromium (through chromedriver), with an
//! axe-core accessibility check on every page type that fails on serious or critical
//! violations.
//!
//! Needs `chromedriver` and Chromium, and axe-core from npm (the test script installs
//! all three, sets `TRAPPA_AXE_PATH` and runs ignored tests). It is marked ignored so a
//! plain `cargo test` reports it as not run rather than passed; when it runs, a missing
//! browser or axe-core is a failure.

#[path = "../support/mod.rs"]
mod support;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use support::TestServer;

mod audit;
mod partners;
mod planning;
mod portal;
mod referrals;
mod report;
mod taper_plan;
mod whole_path;

struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// axe-core's source, from the file the test script installs (`TRAPPA_AXE_PATH`).
fn axe_source() -> String {
    let axe_path = std::env::var("TRAPPA_AXE_PATH")
        .expect("TRAPPA_AXE_PATH names axe.min.js; scripts/test.sh sets it");
    std::fs::read_to_string(&axe_path).expect("read axe-core")
}

fn start_chromedriver() -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("chromedriver could not start ({e}); run scripts/test.sh, which installs it")
        });
    Driver { child, port }
}

async fn connect(driver: &Driver) -> Client {
    connect_with(driver, None).await
}

/// A session whose downloads, if `downloads` is given, are saved there without asking.
async fn connect_with(driver: &Driver, downloads: Option<&std::path::Path>) -> Client {
    let mut caps = serde_json::Map::new();
    let profile =
        trappa_store::testing::test_dir().join(format!("trappa-chromium-{}", uuid_like()));
    let mut options = json!({
        "binary": std::env::var("TRAPPA_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        "args": [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--window-size=1280,1024",
            // A Swedish browser, as the users have: date and time fields in Swedish form.
            "--lang=sv-SE",
            format!("--user-data-dir={}", profile.display()),
        ],
        "prefs": { "intl.accept_languages": "sv-SE,sv" }
    });
    if let Some(dir) = downloads {
        options["prefs"] = json!({
            "intl.accept_languages": "sv-SE,sv",
            "download.default_directory": dir.display().to_string(),
            "download.prompt_for_download": false,
            "download.directory_upgrade": true,
            "safebrowsing.enabled": false,
        });
    }
    caps.insert("goog:chromeOptions".into(), options);
    let url = format!("http://127.0.0.1:{}", driver.port);
    let mut last = None;
    for _ in 0..50 {
        match ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => return c,
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("could not start a Chromium session: {last:?}");
}

fn uuid_like() -> String {
    trappa_store::Uuid::new_v4().simple().to_string()
}

/// Runs axe-core on the current page; panics on serious or critical violations.
/// With `TRAPPA_SCREENSHOTS=DIR` it also saves screenshots of each page checked, at
/// 1280 px and at a phone's 375 px.
/// Checks a page state as a person meets it: its visible text holds no internal code
/// and no English fallback (`support::codes`), axe-core finds nothing serious at desktop
/// width and at 375 px, and at 375 px the document is no wider than the screen.
async fn axe(c: &Client, axe_source: &str, page: &str) {
    let text = c
        .execute("return document.body.innerText;", vec![])
        .await
        .expect("the visible text")
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut findings: Vec<String> = support::codes(&text);
    findings.extend(
        support::ENGLISH
            .iter()
            .filter(|e| text.contains(*e))
            .map(|e| format!("\"{e}\"")),
    );
    assert!(
        findings.is_empty(),
        "internal codes or English on {page}: {findings:?}"
    );
    svg_text_readable(c, page).await;
    axe_at(c, axe_source, page).await;
    c.set_window_size(375, 900).await.expect("a phone's width");
    // On failure: what reaches past the right edge (positioned elements inside a
    // scrolling table escape it unless the table is positioned).
    let widths = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth, \
             Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > window.innerWidth + 1) \
               .slice(0, 10).map(e => e.tagName + '.' + e.className + ' ' + getComputedStyle(e).position + ' ' + Math.round(e.getBoundingClientRect().left) + '–' + Math.round(e.getBoundingClientRect().right))];",
            vec![],
        )
        .await
        .expect("measure the page");
    let (scroll, inner) = (
        widths[0].as_f64().unwrap_or(0.0),
        widths[1].as_f64().unwrap_or(0.0),
    );
    let result = if scroll <= inner + 1.0 {
        svg_text_readable(c, &format!("{page} at 375 px")).await;
        axe_at(c, axe_source, &format!("{page} at 375 px")).await;
        Ok(())
    } else {
        Err(format!(
            "{page} is {scroll} px wide at {inner} px: {}",
            widths[2]
        ))
    };
    c.set_window_size(1280, 1024)
        .await
        .expect("back to the desktop width");
    if let Err(e) = result {
        panic!("sideways scroll: {e}");
    }
}

/// Chart and map text readable at 100 % zoom: at least 11 px as drawn (font size times
/// the SVG's scale on screen; rotated text scales by the matrix's length). At a phone's
/// width a chart or map scrolls inside its figure rather than shrink its text.
async fn svg_text_readable(c: &Client, page: &str) {
    let small = c
        .execute(
            "return Array.from(document.querySelectorAll('svg text'))                .filter(t => t.textContent.trim() && t.getClientRects().length)                .map(t => { const m = t.getScreenCTM();                  return [parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b), t.textContent.trim()]; })                .filter(p => p[0] < 11).slice(0, 10);",
            vec![],
        )
        .await
        .expect("measure the charts' text");
    assert!(
        small.as_array().is_some_and(|a| a.is_empty()),
        "chart text under 11 px on {page}: {small}"
    );
}

async fn axe_at(c: &Client, axe_source: &str, page: &str) {
    if let Ok(dir) = std::env::var("TRAPPA_SCREENSHOTS")
        && !page.ends_with(" at 375 px")
    {
        std::fs::create_dir_all(&dir).ok();
        let name = page.replace([' ', '(', ')', '\''], "_");
        let png = c.screenshot().await.expect("screenshot");
        std::fs::write(format!("{dir}/{name}.png"), png).ok();
        c.set_window_size(375, 900).await.ok();
        let png = c.screenshot().await.expect("screenshot");
        std::fs::write(format!("{dir}/{name}-375.png"), png).ok();
        c.set_window_size(1280, 1024).await.ok();
    }
    c.execute(axe_source, vec![])
        .await
        .expect("inject axe-core");
    let result = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document)
                .then(r => done({ passes: r.passes.length, violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')) })) }))
                .catch(e => done({ passes: 0, violations: [{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }] }));",
            vec![],
        )
        .await
        .expect("run axe-core");
    // axe must really have checked the page: a run that passed no rule checked nothing.
    assert!(
        result["passes"].as_u64().unwrap_or(0) >= 10,
        "axe-core did not run on {page}: {result}"
    );
    let violations = result["violations"].as_array().cloned().unwrap_or_default();
    let serious: Vec<_> = violations
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    for v in &violations {
        eprintln!(
            "axe [{page}] {} ({}): {} {:?}",
            v["id"], v["impact"], v["help"], v["nodes"]
        );
    }
    assert!(
        serious.is_empty(),
        "serious accessibility violations on {page}: {serious:#?}"
    );
}

async fn fill(c: &Client, name: &str, value: &str) {
    let field = c
        .find(Locator::Css(&format!("[name='{name}']")))
        .await
        .unwrap_or_else(|_| panic!("field {name}"));
    field.clear().await.ok();
    field.send_keys(value).await.unwrap();
}

/// Submits a form and waits for the next page: the old document is marked first, so a
/// wait cannot be satisfied by an element of the page the form was on.
async fn submit(c: &Client, form_selector: &str) {
    c.execute("window.__trappaOld = true;", vec![])
        .await
        .expect("mark the page");
    c.find(Locator::Css(&format!(
        "{form_selector} button[type='submit']"
    )))
    .await
    .expect("submit button")
    .click()
    .await
    .expect("click");
    for _ in 0..150 {
        let old = c
            .execute("return window.__trappaOld === true;", vec![])
            .await
            .map(|v| v.as_bool().unwrap_or(false))
            .unwrap_or(true);
        if !old {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("submitting {form_selector} did not load a new page");
}

async fn sign_in(c: &Client, s: &TestServer, username: &str) {
    c.goto(&s.url("/logga-in")).await.unwrap();
    fill(c, "username", username).await;
    fill(c, "password", trappa_data::demo::DEMO_PASSWORD).await;
    submit(c, "main form").await;
    // The administrator's account has a one-time code (the demo key).
    if c.current_url().await.unwrap().path() == "/logga-in/totp" {
        fill(c, "code", &s.next_code(username).await).await;
        submit(c, "main form").await;
    }
    c.wait()
        .for_element(Locator::Css("nav.site-nav"))
        .await
        .expect("signed in");
}

async fn sign_out(c: &Client) {
    submit(c, ".user-box form").await;
    c.wait()
        .for_element(Locator::Css("input[name='username']"))
        .await
        .expect("signed out");
}

/// The page's HTML, once its document is there.
async fn body_text(c: &Client) -> String {
    // Under load, Chromium can answer for a page whose document is not there yet (an
    // empty source between navigations): no page is empty, so wait for the document.
    for _ in 0..50 {
        let source = c.source().await.unwrap();
        if source.contains("<body") {
            return source;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    c.source().await.unwrap()
}

/// Ticks a checkbox.
async fn tick(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("checkbox {css}"))
        .click()
        .await
        .expect("tick");
}

async fn choose(c: &Client, name: &str, value: &str) {
    c.find(Locator::Css(&format!("select[name='{name}']")))
        .await
        .unwrap_or_else(|_| panic!("select {name}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|_| panic!("option {value} of {name}"));
}

/// Chooses an option of a select within a form.
async fn choose_in(c: &Client, form: &str, name: &str, value: &str) {
    c.find(Locator::Css(&format!("{form} select[name='{name}']")))
        .await
        .unwrap_or_else(|_| panic!("select {name} in {form}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|_| panic!("option {value} of {name} in {form}"));
}

/// Sets a field's value by script, within a form (date and time inputs take typed keys
/// in the browser's locale; the value is what the form submits).
async fn set_in(c: &Client, form: &str, name: &str, value: &str) {
    c.execute(
        "const f = document.querySelector(arguments[0]);
         const e = f && f.querySelector(`[name='${arguments[1]}']`);
         if (!e) { throw new Error('no field ' + arguments[1] + ' in ' + arguments[0]); }
         e.value = arguments[2];",
        vec![json!(form), json!(name), json!(value)],
    )
    .await
    .unwrap_or_else(|e| panic!("set {name} in {form}: {e}"));
}

async fn goto(c: &Client, s: &TestServer, path: &str) {
    c.goto(&s.url(path)).await.unwrap();
}

/// Follows the link whose text contains `text`.
async fn follow(c: &Client, text: &str) {
    c.find(Locator::XPath(&format!("//a[contains(., '{text}')]")))
        .await
        .unwrap_or_else(|_| panic!("a link with {text}"))
        .click()
        .await
        .unwrap();
}

fn date_from_today(days: i64) -> String {
    let t = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * days);
    trappa_app::clock::local_date(t).to_string()
}

/// The patient id in the current URL (`/patienter/{id}/…`).
async fn patient_in_url(c: &Client) -> String {
    let url = c.current_url().await.unwrap();
    let path = url.path();
    let rest = path.strip_prefix("/patienter/").expect("a patient page");
    rest[..36].to_owned()
}

async fn book(c: &Client, s: &TestServer, patient: &str, kind: &str, days: i64, clinician: &str) {
    goto(c, s, &format!("/patienter/{patient}/besok?typ={kind}")).await;
    choose_in(c, "form.booking-form", "place", "video").await;
    set_in(c, "form.booking-form", "date", &date_from_today(days)).await;
    set_in(c, "form.booking-form", "time", "09:30").await;
    choose_in(c, "form.booking-form", "clinician", clinician).await;
    submit(c, "form.booking-form").await;
    c.wait()
        .for_element(Locator::Css("table.visits"))
        .await
        .expect("the booked visit");
}

/// Documents the first upcoming visit with its note fields.
async fn document_visit(c: &Client, s: &TestServer, patient: &str, fields: &[(&str, &str)]) {
    goto(c, s, &format!("/patienter/{patient}/besok")).await;
    c.find(Locator::Css("a[href*='/journal/ny?besok=']"))
        .await
        .expect("a visit to document")
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("form.note-form"))
        .await
        .unwrap();
    for (name, value) in fields {
        fill(c, name, value).await;
    }
    submit(c, "form.note-form").await;
    c.wait()
        .for_element(Locator::Css("ol.timeline"))
        .await
        .expect("the journal");
}

async fn score(c: &Client, s: &TestServer, patient: &str, total: &str) {
    goto(
        c,
        s,
        &format!("/patienter/{patient}/skattningar/ny?instrument=ciwa-b"),
    )
    .await;
    fill(c, "observed_on", &date_from_today(0)).await;
    fill(c, "total", total).await;
    submit(c, "form.score-form").await;
    c.wait()
        .for_element(Locator::Css("main table"))
        .await
        .expect("the scores");
}

/// A referral through the form, with the earlier attempt documented.
async fn refer(
    c: &Client,
    s: &TestServer,
    n: u16,
    given: &str,
    family: &str,
    drug: &str,
    dose: &str,
) {
    goto(c, s, "/remisser/ny").await;
    fill(
        c,
        "personal_identity",
        &support::test_identity(n).to_string(),
    )
    .await;
    fill(c, "given_name", given).await;
    fill(c, "family_name", family).await;
    choose(c, "drug1", drug).await;
    fill(c, "dose1", dose).await;
    fill(c, "attempt_drug", drug).await;
    fill(c, "attempt_period", "2025-03 – 2025-09").await;
    fill(c, "attempt_lowest", "halva dosen").await;
    fill(c, "attempt_why", "sömnbesvär").await;
    submit(c, "form.referral-form").await;
    c.wait()
        .for_element(Locator::Css("a[href='/remisser/ny']"))
        .await
        .unwrap();
}

/// Opens the referral list filtered to `name`, as a user types it into the filter.
async fn filter_referrals(c: &Client, s: &TestServer, name: &str) {
    goto(c, s, "/remisser").await;
    fill(c, "q", name).await;
    submit(c, "form.list-filter").await;
}

async fn decide(c: &Client, s: &TestServer, name: &str, decision: &str, reply: &str) {
    filter_referrals(c, s, name).await;
    follow(c, name).await;
    c.wait()
        .for_element(Locator::Css("form.decision-form"))
        .await
        .unwrap();
    choose(c, "decision", decision).await;
    fill(c, "reply", reply).await;
    submit(c, "form.decision-form").await;
    c.wait()
        .for_element(Locator::Css("a[href*='/svar/']"))
        .await
        .unwrap();
}

/// Waits up to 30 s for a finished download whose name starts with `prefix` and ends
/// with `suffix` in `dir`; returns its bytes.
async fn downloaded(dir: &std::path::Path, prefix: &str, suffix: &str) -> Vec<u8> {
    for _ in 0..300 {
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with(prefix)
                    && name.ends_with(suffix)
                    && let Ok(bytes) = std::fs::read(e.path())
                    && !bytes.is_empty()
                {
                    return bytes;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no download {prefix}…{suffix} in {}", dir.display());
}
