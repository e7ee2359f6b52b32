//! The main journeys in a real headless Chromium (through chromedriver), with an
//! axe-core accessibility check on every page type that fails on serious or critical
//! violations.
//!
//! Needs `chromedriver` and Chromium, and axe-core from npm (the test script installs
//! all three, sets `TRAPPA_AXE_PATH` and runs ignored tests). It is marked ignored so a
//! plain `cargo test` reports it as not run rather than passed; when it runs, a missing
//! browser or axe-core is a failure.

mod support;

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use support::{TestServer, patient_with_team};

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

async fn body_text(c: &Client) -> String {
    c.source().await.unwrap()
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn sign_in_search_open_then_auditor_finds_the_access() {
    let driver = start_chromedriver();
    let axe_path = std::env::var("TRAPPA_AXE_PATH")
        .expect("TRAPPA_AXE_PATH names axe.min.js; scripts/test.sh sets it");
    let axe_source = std::fs::read_to_string(&axe_path).expect("read axe-core");
    let store = trappa_store::testing::fresh_sqlite().await;
    let s = support::start("sqlite", store).await;
    let patient = patient_with_team(&s, 901, &["sjukskoterska"]).await;
    let c = connect(&driver).await;

    // The sign-in page, and a failed sign-in with its message.
    c.goto(&s.url("/logga-in")).await.unwrap();
    axe(&c, &axe_source, "sign-in").await;
    fill(&c, "username", "sjukskoterska").await;
    fill(&c, "password", "fel").await;
    submit(&c, "main form").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .unwrap();
    assert!(
        body_text(&c)
            .await
            .contains("Fel användarnamn eller lösenord.")
    );
    axe(&c, &axe_source, "sign-in with error").await;

    // The nurse signs in, searches by name and opens the patient.
    sign_in(&c, &s, "sjukskoterska").await;
    axe(&c, &axe_source, "start (nurse)").await;
    fill(&c, "q", "Testsson901").await;
    submit(&c, "form.search-form").await;
    // The start page lists the same patient, so wait for the results table itself.
    c.wait()
        .for_element(Locator::Css("table caption"))
        .await
        .expect("results");
    let link = c
        .find(Locator::Css(&format!("a[href='/patienter/{patient}']")))
        .await
        .expect("hit");
    axe(&c, &axe_source, "search results").await;
    link.click().await.unwrap();
    c.wait()
        .for_element(Locator::Css(".patient-banner"))
        .await
        .unwrap();
    let text = body_text(&c).await;
    assert!(text.contains("Testsson901") && text.contains("Vårdteam"));
    axe(&c, &axe_source, "patient overview").await;
    c.goto(&s.url(&format!("/patienter/{patient}/historik")))
        .await
        .unwrap();
    axe(&c, &axe_source, "version history").await;
    c.goto(&s.url(&format!("/patienter/{patient}/andra")))
        .await
        .unwrap();
    fill(&c, "personal_identity", "19640823-3235").await;
    submit(&c, "main form").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .unwrap();
    assert!(body_text(&c).await.contains("Kontrollsiffran stämmer inte"));
    axe(&c, &axe_source, "edit form with errors").await;
    c.goto(&s.url("/patienter/ny")).await.unwrap();
    axe(&c, &axe_source, "register patient").await;
    c.goto(&s.url("/konto")).await.unwrap();
    axe(&c, &axe_source, "my account").await;
    c.goto(&s.url("/finns-inte")).await.unwrap();
    assert!(body_text(&c).await.contains("Sidan finns inte"));
    axe(&c, &axe_source, "not found").await;
    sign_out(&c).await;

    // Another nurse meets the emergency-access page.
    sign_in(&c, &s, "sjukskoterska2").await;
    c.goto(&s.url(&format!("/patienter/{patient}")))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("textarea[name='reason']"))
        .await
        .unwrap();
    axe(&c, &axe_source, "emergency access").await;
    sign_out(&c).await;

    // The auditor finds the nurse's access in the log.
    sign_in(&c, &s, "granskare").await;
    axe(&c, &axe_source, "start (auditor)").await;
    c.goto(&s.url("/granskning/logg")).await.unwrap();
    let pnr = support::test_identity(901).to_string();
    fill(&c, "patient", &pnr).await;
    submit(&c, "main form").await;
    c.wait()
        .for_element(Locator::Css("a[href$='logg.pdf']"))
        .await
        .unwrap();
    let text = body_text(&c).await;
    assert!(
        text.contains("Sara Lindqvist")
            && text.contains("Översikt")
            && !text.contains("patient.overview"),
        "the nurse's read is in the log"
    );
    assert!(text.contains("Logguttag till patienten"));
    axe(&c, &axe_source, "access log").await;
    c.goto(&s.url("/granskning/nodatkomst")).await.unwrap();
    axe(&c, &axe_source, "emergency review").await;
    sign_out(&c).await;

    // A referral from a vårdcentral, then the coordinator's inbox and decision page.
    sign_in(&c, &s, "remittent").await;
    c.goto(&s.url("/remisser/ny")).await.unwrap();
    axe(&c, &axe_source, "referral form").await;
    submit(&c, "form.referral-form").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("referral errors");
    axe(&c, &axe_source, "referral form with errors").await;
    fill(
        &c,
        "personal_identity",
        &support::test_identity(902).to_string(),
    )
    .await;
    fill(&c, "given_name", "Rut").await;
    fill(&c, "family_name", "Remissdotter").await;
    choose(&c, "drug1", "zopiclone").await;
    fill(&c, "dose1", "7,5").await;
    submit(&c, "form.referral-form").await;
    c.wait()
        .for_element(Locator::Css("a[href='/remisser/ny']"))
        .await
        .expect("the referrer's list");
    assert!(body_text(&c).await.contains("Väntar på bedömning"));
    axe(&c, &axe_source, "referrer's referrals").await;
    sign_out(&c).await;
    sign_in(&c, &s, "koordinator").await;
    filter_referrals(&c, &s, "Remissdotter").await;
    axe(&c, &axe_source, "triage inbox").await;
    let link = c
        .find(Locator::LinkText("Rut Remissdotter"))
        .await
        .expect("the referral in the inbox");
    link.click().await.unwrap();
    c.wait()
        .for_element(Locator::Css("form.decision-form"))
        .await
        .unwrap();
    assert!(
        body_text(&c).await.contains("Komplettering begärd"),
        "no attempt documented: the rules ask for a complement"
    );
    axe(&c, &axe_source, "referral triage").await;
    sign_out(&c).await;

    // The administrator's and the patient's pages.
    sign_in(&c, &s, "admin").await;
    c.goto(&s.url("/admin/personal")).await.unwrap();
    axe(&c, &axe_source, "staff list").await;
    c.goto(&s.url("/admin/personal/ny")).await.unwrap();
    submit(&c, "main form").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .unwrap();
    axe(&c, &axe_source, "staff form with errors").await;
    // One's own account shows its roles but cannot change them.
    let own = s.account_id("admin").await;
    c.goto(&s.url(&format!("/admin/personal/{own}")))
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("#own-roles"))
        .await
        .unwrap();
    axe(&c, &axe_source, "own account").await;
    // A colleague's new role is recorded for the auditor.
    let colleague = s.account_id("kurator").await;
    c.goto(&s.url(&format!("/admin/personal/{colleague}")))
        .await
        .unwrap();
    c.find(Locator::Css("#role-nurse"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit(&c, "main form").await;
    c.wait()
        .for_element(Locator::Css("a[href='/admin/personal/ny']"))
        .await
        .expect("back on the staff list");
    sign_out(&c).await;
    sign_in(&c, &s, "granskare").await;
    c.goto(&s.url("/granskning/roller")).await.unwrap();
    assert!(
        body_text(&c)
            .await
            .contains("Emma Holm – fick rollen sjuksköterska")
    );
    axe(&c, &axe_source, "role review").await;
    fill(&c, "note", "Beslut om uppdraget finns.").await;
    submit(&c, "main form").await;
    c.wait().for_element(Locator::Css("h1")).await.unwrap();
    assert!(!body_text(&c).await.contains("Ej granskad"), "reviewed");
    sign_out(&c).await;
    sign_in(&c, &s, trappa_data::demo::DEMO_PATIENT_USERNAME).await;
    c.goto(&s.url("/mina-sidor/logg")).await.unwrap();
    assert!(body_text(&c).await.contains("Vem har läst min journal"));
    axe(&c, &axe_source, "patient's own log").await;

    c.close().await.unwrap();
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

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn physician_sets_the_units_products_then_proposes_and_prints_a_plan() {
    let driver = start_chromedriver();
    let axe_path = std::env::var("TRAPPA_AXE_PATH")
        .expect("TRAPPA_AXE_PATH names axe.min.js; scripts/test.sh sets it");
    let axe_source = std::fs::read_to_string(&axe_path).expect("read axe-core");
    let store = trappa_store::testing::fresh_sqlite().await;
    let s = support::start("sqlite", store).await;
    let c = connect(&driver).await;

    // The physician reads the reference data and takes Oxascand 15 mg out of use.
    sign_in(&c, &s, "lakare").await;
    c.find(Locator::Css("nav.site-nav a[href='/referensdata']"))
        .await
        .expect("the reference data in the menu")
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("input[name='reason']"))
        .await
        .unwrap();
    axe(&c, &axe_source, "reference data").await;
    c.find(Locator::Css("#product-oxascand-15"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    submit(&c, "main form[action='/referensdata']").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("a reason is required");
    assert!(
        body_text(&c)
            .await
            .contains("Ange ett skäl till ändringen.")
    );
    axe(&c, &axe_source, "reference data with errors").await;
    // The refused form keeps what was chosen: the 15 mg tablet is still unticked.
    let ticked = c
        .find(Locator::Css("#product-oxascand-15"))
        .await
        .unwrap()
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(ticked.as_deref(), Some("false"), "the choice is kept");
    fill(&c, "reason", "Oxascand 15 mg restnoterad").await;
    submit(&c, "main form[action='/referensdata']").await;
    c.wait()
        .for_element(Locator::Css(".notice"))
        .await
        .expect("saved");
    assert!(body_text(&c).await.contains("Gällande version 1"));

    // A plan: oxazepam 10+10+0+25 mg, the slow default.
    c.find(Locator::Css("nav.site-nav a[href='/nedtrappning']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("form.taper-form"))
        .await
        .unwrap();
    axe(&c, &axe_source, "taper calculator").await;
    choose(&c, "drug1", "oxazepam").await;
    fill(&c, "dose1", "10+10+0+25").await;
    fill(&c, "start", "2026-12-01").await;
    submit(&c, "form.taper-form").await;
    c.wait()
        .for_element(Locator::Css(".taper-result"))
        .await
        .expect("a plan");
    let text = body_text(&c).await;
    assert!(text.contains("oxazepam sätts ut.") && text.contains("Ej verifierat värde"));
    assert!(
        !text.contains("Oxascand 15 mg"),
        "the product taken out of use is not used"
    );
    assert!(
        c.find(Locator::Css("figure.chart svg title")).await.is_ok(),
        "the chart with its title"
    );
    axe(&c, &axe_source, "taper plan").await;

    // The handout to print.
    c.find(Locator::Css("a[href^='/nedtrappning/patientinformation']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("section.handout"))
        .await
        .unwrap();
    assert!(body_text(&c).await.contains("Vecka för vecka"));
    axe(&c, &axe_source, "patient handout").await;

    // A patient's plan: drafted, then signed by the physician.
    let patient = patient_with_team(&s, 960, &["lakare"]).await;
    c.goto(&s.url(&format!("/patienter/{patient}/plan/ny")))
        .await
        .unwrap();
    axe(&c, &axe_source, "patient plan draft form").await;
    choose(&c, "drug1", "diazepam").await;
    fill(&c, "dose1", "5+0+5").await;
    fill(&c, "start", "2026-12-01").await;
    fill(&c, "reason", "Första förslag").await;
    submit(&c, "form.taper-form").await;
    c.wait()
        .for_element(Locator::Css("form.sign-form"))
        .await
        .expect("the draft with its sign form");
    axe(&c, &axe_source, "patient plan draft").await;
    // The signing form comes after the whole plan; without the confirmation it is
    // refused and keeps the reason typed.
    let order: bool = c
        .execute(
            "const f = document.querySelector('form.sign-form'); \
             return ['svg', 'table.plan'].every(s => { const e = document.querySelector(s); \
               return e && (e.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING); });",
            vec![],
        )
        .await
        .unwrap()
        .as_bool()
        .unwrap_or(false);
    assert!(
        order,
        "the chart and the step table stand above the signing form"
    );
    fill(&c, "reason", "Genomgånget med patienten").await;
    submit(&c, "form.sign-form").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("the confirmation is asked for");
    let kept = c
        .find(Locator::Css("[name='reason']"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("Genomgånget med patienten"));
    tick(&c, "#confirm").await;
    submit(&c, "form.sign-form").await;
    c.wait()
        .for_element(Locator::Css("section.plan-active"))
        .await
        .expect("the signed plan");
    assert!(body_text(&c).await.contains("Signerad av Maria Ek"));
    axe(&c, &axe_source, "patient plan signed").await;
    // Scores: the list, a form with items, and its errors.
    c.goto(&s.url(&format!("/patienter/{patient}/skattningar")))
        .await
        .unwrap();
    axe(&c, &axe_source, "scores").await;
    c.goto(&s.url(&format!(
        "/patienter/{patient}/skattningar/ny?instrument=cows"
    )))
    .await
    .unwrap();
    c.wait()
        .for_element(Locator::Css("form.score-form"))
        .await
        .unwrap();
    axe(&c, &axe_source, "score form").await;
    fill(&c, "item_pulse", "9").await;
    submit(&c, "form.score-form").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("item errors");
    axe(&c, &axe_source, "score form with errors").await;

    // Bad input is marked on its field, in Swedish.
    c.goto(&s.url("/nedtrappning")).await.unwrap();
    choose(&c, "drug1", "oxazepam").await;
    fill(&c, "dose1", "10+x").await;
    submit(&c, "form.taper-form").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .unwrap();
    assert!(body_text(&c).await.contains("är ingen dos"));
    axe(&c, &axe_source, "taper calculator with errors").await;

    c.close().await.unwrap();
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

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn the_whole_path_from_referral_to_discharge() {
    let driver = start_chromedriver();
    let axe_path = std::env::var("TRAPPA_AXE_PATH")
        .expect("TRAPPA_AXE_PATH names axe.min.js; scripts/test.sh sets it");
    let axe_source = std::fs::read_to_string(&axe_path).expect("read axe-core");
    let store = trappa_store::testing::fresh_sqlite().await;
    let s = support::start("sqlite", store).await;
    let c = connect(&driver).await;

    // The vårdcentral refers.
    sign_in(&c, &s, "remittent").await;
    refer(&c, &s, 700, "Hanna", "Vägsdotter", "oxazepam", "30").await;
    assert!(body_text(&c).await.contains("Hanna Vägsdotter"));
    sign_out(&c).await;

    // Triage: the coordinator accepts; the patient is on the waiting list.
    sign_in(&c, &s, "koordinator").await;
    axe(&c, &axe_source, "start (coordinator) with worklists").await;
    filter_referrals(&c, &s, "Vägsdotter").await;
    follow(&c, "Hanna Vägsdotter").await;
    c.wait()
        .for_element(Locator::Css("form.decision-form"))
        .await
        .unwrap();
    let patient = patient_in_url(&c).await;
    choose(&c, "decision", "accept").await;
    fill(&c, "reply", "Välkommen, kallelse skickas.").await;
    submit(&c, "form.decision-form").await;
    c.wait()
        .for_element(Locator::Css("a[href*='/svar/1']"))
        .await
        .expect("the decision with its letter");
    goto(&c, &s, "/vantelista").await;
    assert!(body_text(&c).await.contains("Hanna Vägsdotter"));
    axe(&c, &axe_source, "waiting list").await;

    // The care team, then the first assessment booked from the list.
    for (account, function) in [
        ("sjukskoterska", "fast_vardkontakt"),
        ("lakare", "prescriber"),
        ("koordinator", "other"),
    ] {
        goto(&c, &s, &format!("/patienter/{patient}")).await;
        // Open while the patient has no team; closed (one click away) after.
        let form_open = c
            .find(Locator::Css("#vardteam-ny"))
            .await
            .unwrap()
            .attr("open")
            .await
            .unwrap()
            .is_some();
        assert_eq!(
            form_open,
            function == "fast_vardkontakt",
            "the team form's state"
        );
        if !form_open {
            c.find(Locator::Css("#vardteam-ny > summary"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        }
        let id = s.account_id(account).await.to_string();
        let add = "#vardteam-ny form";
        // The function first: the member list then offers only those who fit it.
        choose_in(&c, add, "function", function).await;
        let offered: Vec<String> = c
            .execute(
                "return [...document.querySelectorAll('#account_id option')]
                   .filter(o => !o.disabled).map(o => o.value);",
                vec![],
            )
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        let coordinator = s.account_id("koordinator").await.to_string();
        assert_eq!(
            offered.contains(&coordinator),
            function == "other",
            "the coordinator is offered only as 'other' ({function})"
        );
        choose_in(&c, add, "account_id", &id).await;
        submit(&c, add).await;
        c.wait()
            .for_element(Locator::Css("section[aria-labelledby='team-h'] table"))
            .await
            .unwrap();
    }
    axe(&c, &axe_source, "patient overview (waiting, with team)").await;
    let nurse_id = s.account_id("sjukskoterska").await.to_string();
    goto(
        &c,
        &s,
        &format!("/patienter/{patient}/besok?typ=assessment"),
    )
    .await;
    axe(&c, &axe_source, "visits with the clock").await;
    submit(&c, "form.booking-form").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("date and time required");
    axe(&c, &axe_source, "booking with errors").await;
    book(&c, &s, &patient, "assessment", 2, &nurse_id).await;
    sign_out(&c).await;

    // The nurse sees the visit, holds the assessment with its note, drafts the plan.
    sign_in(&c, &s, "sjukskoterska").await;
    assert!(
        body_text(&c).await.contains("Hanna Vägsdotter"),
        "the week's visits"
    );
    goto(&c, &s, &format!("/patienter/{patient}/besok")).await;
    c.find(Locator::Css("a[href*='/journal/ny?besok=']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .for_element(Locator::Css("form.note-form"))
        .await
        .unwrap();
    axe(&c, &axe_source, "assessment note form").await;
    for (name, value) in [
        ("history", "Oxazepam i fem år."),
        ("withdrawal_risk", "Inga kramper."),
        ("goals", "Läkemedelsfri."),
    ] {
        fill(&c, name, value).await;
    }
    submit(&c, "form.note-form").await;
    c.wait()
        .for_element(Locator::Css("ol.timeline"))
        .await
        .unwrap();
    axe(&c, &axe_source, "journal").await;
    follow(&c, "Rätta").await;
    c.wait()
        .for_element(Locator::Css("form.note-form"))
        .await
        .unwrap();
    axe(&c, &axe_source, "note correction").await;
    fill(&c, "goals", "Läkemedelsfri till sommaren.").await;
    fill(&c, "reason", "Förtydligat mål").await;
    submit(&c, "form.note-form").await;
    c.wait()
        .for_element(Locator::Css("ol.timeline"))
        .await
        .unwrap();
    follow(&c, "Versioner").await;
    c.wait()
        .for_element(Locator::Css("div.versions"))
        .await
        .unwrap();
    assert!(body_text(&c).await.contains("Förtydligat mål"));
    axe(&c, &axe_source, "note versions").await;
    goto(&c, &s, &format!("/patienter/{patient}/plan/ny")).await;
    choose(&c, "drug1", "oxazepam").await;
    fill(&c, "dose1", "10+10+0+10").await;
    fill(&c, "start", &date_from_today(-40)).await;
    fill(&c, "reason", "Efter bedömningen").await;
    submit(&c, "form.taper-form").await;
    c.wait()
        .for_element(Locator::Css("section.plan-draft"))
        .await
        .expect("the draft");
    sign_out(&c).await;

    // The physician signs it from the worklist.
    sign_in(&c, &s, "lakare").await;
    follow(&c, "Vägsdotter").await;
    c.wait()
        .for_element(Locator::Css("form.sign-form"))
        .await
        .unwrap();
    fill(&c, "reason", "Genomgånget med patienten").await;
    tick(&c, "#confirm").await;
    submit(&c, "form.sign-form").await;
    c.wait()
        .for_element(Locator::Css("section.plan-active"))
        .await
        .unwrap();
    sign_out(&c).await;

    // Two visits, each with a score; moderate withdrawal.
    sign_in(&c, &s, "sjukskoterska").await;
    for (days, symptoms) in [(1, "Oro efter sänkningen."), (2, "Sover sämre.")] {
        book(&c, &s, &patient, "nurse_review", days, &nurse_id).await;
        document_visit(
            &c,
            &s,
            &patient,
            &[("symptoms", symptoms), ("adherence", "Följer planen.")],
        )
        .await;
        score(&c, &s, &patient, "28").await;
    }
    // Changing the visit type of a note being written keeps what was typed.
    goto(&c, &s, &format!("/patienter/{patient}/journal/ny?typ=note")).await;
    fill(&c, "note", "Ringde om sömnen.").await;
    c.execute("window.__trappaOld = true;", vec![])
        .await
        .unwrap();
    choose(&c, "kind", "nurse_review").await;
    c.wait()
        .for_element(Locator::Css("textarea[name='symptoms']"))
        .await
        .expect("the nurse review's template");
    let kept = c
        .find(Locator::Css("textarea[name='note']"))
        .await
        .expect("the text typed is still there")
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("Ringde om sömnen."));
    axe(&c, &axe_source, "note form after changing the template").await;
    goto(&c, &s, &format!("/patienter/{patient}")).await;
    let overview = body_text(&c).await;
    assert!(overview.contains("Nedtrappning") && overview.contains("Senaste skattningar"));
    axe(&c, &axe_source, "patient overview (taper)").await;
    sign_out(&c).await;

    // The engine proposes a hold; the physician signs it.
    sign_in(&c, &s, "lakare").await;
    goto(&c, &s, &format!("/patienter/{patient}/plan")).await;
    c.wait()
        .for_element(Locator::Css("section.proposal form.sign-form"))
        .await
        .expect("the engine's proposal to sign");
    assert!(body_text(&c).await.contains("Behåll"), "a hold is proposed");
    axe(&c, &axe_source, "the proposal with its plan side by side").await;
    fill(&c, "adopt_reason", "Måttlig abstinens: paus").await;
    tick(&c, "#confirm").await;
    submit(&c, "section.proposal form.sign-form").await;
    c.wait()
        .for_element(Locator::Css("section.plan-active"))
        .await
        .unwrap();
    let plan = body_text(&c).await;
    assert!(
        plan.contains("Signerad av Maria Ek") && plan.contains("Måttlig abstinens: paus"),
        "the hold signed as the plan in effect"
    );
    assert!(
        plan.contains("Förslaget är signerat.") && !plan.contains("Signera version"),
        "confirmed, and the signed proposal is gone"
    );
    submit(&c, "form.compare-form").await;
    c.wait()
        .for_element(Locator::Css("div.compare section.plan-version"))
        .await
        .expect("two versions side by side");
    axe(&c, &axe_source, "plan versions side by side").await;
    sign_out(&c).await;

    // The last dose, aftercare follow-ups, discharge.
    sign_in(&c, &s, "sjukskoterska").await;
    goto(&c, &s, &format!("/patienter/{patient}/eftervard")).await;
    axe(&c, &axe_source, "aftercare (not started)").await;
    let start = "form:has(input[name='form'][value='start'])";
    set_in(&c, start, "date", &date_from_today(-200)).await;
    fill(&c, "months", "1, 3").await;
    submit(&c, start).await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("at least six months");
    axe(&c, &axe_source, "aftercare with errors").await;
    set_in(&c, start, "date", &date_from_today(-200)).await;
    fill(&c, "months", "1, 3, 6").await;
    submit(&c, start).await;
    let follow_up = "form:has(input[name='form'][value='follow_up'])";
    for month in ["1", "3", "6"] {
        c.wait().for_element(Locator::Css(follow_up)).await.unwrap();
        choose(&c, "month", month).await;
        set_in(&c, follow_up, "date", &date_from_today(-1)).await;
        submit(&c, follow_up).await;
    }
    let discharge = "form:has(input[name='form'][value='discharge'])";
    c.wait().for_element(Locator::Css(discharge)).await.unwrap();
    axe(&c, &axe_source, "aftercare").await;
    choose(&c, "outcome", "drug_free").await;
    set_in(&c, discharge, "date", &date_from_today(0)).await;
    submit(&c, discharge).await;
    c.wait()
        .for_element(Locator::Css("p.notice"))
        .await
        .expect("discharged");
    assert!(body_text(&c).await.contains("Läkemedelsfri"));
    goto(&c, &s, &format!("/patienter/{patient}")).await;
    assert!(body_text(&c).await.contains("Utskriven"));
    axe(&c, &axe_source, "patient overview (discharged)").await;
    sign_out(&c).await;

    // What the others see now: the referrer the acceptance and its letter; the
    // coordinator an empty place on the waiting list.
    sign_in(&c, &s, "remittent").await;
    goto(&c, &s, "/remisser").await;
    assert!(body_text(&c).await.contains("Antagen, väntelista"));
    follow(&c, "Hanna Vägsdotter").await;
    follow(&c, "Svarsbrev").await;
    c.wait()
        .for_element(Locator::Css("article.letter"))
        .await
        .unwrap();
    assert!(body_text(&c).await.contains("Välkommen, kallelse skickas."));
    axe(&c, &axe_source, "reply letter").await;
    sign_out(&c).await;
    sign_in(&c, &s, "koordinator").await;
    goto(&c, &s, "/vantelista").await;
    assert!(!body_text(&c).await.contains("Hanna Vägsdotter"));

    c.close().await.unwrap();
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

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn declined_and_redirected_referrals_reach_the_referrer_and_a_self_referral_arrives() {
    let driver = start_chromedriver();
    let axe_path = std::env::var("TRAPPA_AXE_PATH")
        .expect("TRAPPA_AXE_PATH names axe.min.js; scripts/test.sh sets it");
    let axe_source = std::fs::read_to_string(&axe_path).expect("read axe-core");
    let store = trappa_store::testing::fresh_sqlite().await;
    let s = support::start("sqlite", store).await;
    let c = connect(&driver).await;

    // A person refers themself from the sign-in page, without signing in.
    goto(&c, &s, "/logga-in").await;
    follow(&c, "egenremiss").await;
    c.wait()
        .for_element(Locator::Css("form.referral-form"))
        .await
        .unwrap();
    axe(&c, &axe_source, "self-referral").await;
    submit(&c, "form.referral-form").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("errors in Swedish");
    axe(&c, &axe_source, "self-referral with errors").await;
    fill(
        &c,
        "personal_identity",
        &support::test_identity(701).to_string(),
    )
    .await;
    fill(&c, "given_name", "Siv").await;
    fill(&c, "family_name", "Självsdotter").await;
    fill(&c, "phone", "070-123 45 67").await;
    choose(&c, "drug1", "zopiclone").await;
    fill(&c, "dose1", "7,5").await;
    fill(&c, "months1", "24").await;
    submit(&c, "form.referral-form").await;
    c.wait()
        .for_element(Locator::Css("ol.steps"))
        .await
        .expect("the receipt");
    assert!(body_text(&c).await.contains("Vad händer nu?"));
    axe(&c, &axe_source, "self-referral receipt").await;

    // The vårdcentral sends three.
    sign_in(&c, &s, "remittent").await;
    refer(&c, &s, 702, "Rut", "Avböjsdotter", "zolpidem", "10").await;
    refer(&c, &s, 703, "Rut", "Hänvisdotter", "zolpidem", "10").await;
    refer(&c, &s, 704, "Rut", "Kompletteringsdotter", "zolpidem", "10").await;
    sign_out(&c).await;

    // The coordinator finds the self-referral in the queue and decides the others.
    sign_in(&c, &s, "koordinator").await;
    filter_referrals(&c, &s, "Självsdotter").await;
    let inbox = body_text(&c).await;
    assert!(inbox.contains("Siv Självsdotter") && inbox.contains("Egenremiss"));
    decide(
        &c,
        &s,
        "Avböjsdotter",
        "decline",
        "Fortsätt nedtrappningen på vårdcentralen.",
    )
    .await;
    decide(
        &c,
        &s,
        "Hänvisdotter",
        "redirect:addiction_care",
        "Remittera till beroendevården.",
    )
    .await;
    decide(
        &c,
        &s,
        "Kompletteringsdotter",
        "complement",
        "Vilken var den lägsta dosen?",
    )
    .await;
    follow(&c, "Svarsbrev").await;
    c.wait()
        .for_element(Locator::Css("article.letter"))
        .await
        .unwrap();
    filter_referrals(&c, &s, "Kompletteringsdotter").await;
    follow(&c, "Kompletteringsdotter").await;
    c.wait()
        .for_element(Locator::Css("form.phone-complement-form"))
        .await
        .expect("an answer by phone can be recorded");
    axe(&c, &axe_source, "referral triage awaiting a complement").await;
    sign_out(&c).await;

    // The referrer sees each status with its reply, reads a letter, answers the complement.
    sign_in(&c, &s, "remittent").await;
    axe(
        &c,
        &axe_source,
        "start (referrer) with a complement to answer",
    )
    .await;
    goto(&c, &s, "/remisser").await;
    let mine = body_text(&c).await;
    assert!(
        mine.contains("Avböjd med råd")
            && mine.contains("Fortsätt nedtrappningen på vårdcentralen.")
    );
    assert!(
        mine.contains("Hänvisad: beroendevården")
            && mine.contains("Remittera till beroendevården.")
    );
    assert!(mine.contains("Komplettering begärd"));
    follow(&c, "Hänvisdotter").await;
    c.wait()
        .for_element(Locator::Css("ol.decisions"))
        .await
        .unwrap();
    axe(&c, &axe_source, "referrer's referral").await;
    follow(&c, "Svarsbrev").await;
    c.wait()
        .for_element(Locator::Css("article.letter"))
        .await
        .unwrap();
    assert!(
        body_text(&c)
            .await
            .contains("Remittera till beroendevården.")
    );
    filter_referrals(&c, &s, "Kompletteringsdotter").await;
    follow(&c, "Kompletteringsdotter").await;
    c.wait()
        .for_element(Locator::Css("form.complement-form"))
        .await
        .unwrap();
    axe(&c, &axe_source, "complement form").await;
    fill(&c, "answer", "Lägsta dos 5 mg i mars 2025.").await;
    submit(&c, "form.complement-form").await;
    c.wait()
        .for_element(Locator::Css("ol.decisions"))
        .await
        .unwrap();
    assert!(body_text(&c).await.contains("Komplettering inkommen"));

    c.close().await.unwrap();
}

/// The coordinator enters the team's availability, has the planner propose the week,
/// saves it, pins a visit, re-plans the rest (the pinned visit stays put), opens a day's
/// route with its map, and exports a staff member's week as ICS that parses.
#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn the_coordinator_plans_a_week_pins_a_visit_replans_and_exports_ics() {
    let driver = start_chromedriver();
    let axe_path = std::env::var("TRAPPA_AXE_PATH")
        .expect("TRAPPA_AXE_PATH names axe.min.js; scripts/test.sh sets it");
    let axe_source = std::fs::read_to_string(&axe_path).expect("read axe-core");
    let store = trappa_store::testing::fresh_sqlite().await;
    // Searches long enough to look at the search's page while it works.
    let config = trappa_web::WebConfig {
        planner_seconds: 6.0,
        ..trappa_web::WebConfig::local()
    };
    let s = support::start_with("sqlite", store, config).await;
    let c = connect(&driver).await;
    sign_in(&c, &s, "koordinator").await;

    // Availability: every clinician works Monday to Friday; one room is lent on Tuesdays.
    goto(&c, &s, "/planering/tillganglighet").await;
    axe(&c, &axe_source, "availability").await;
    let forms = c
        .find_all(Locator::Css("form.setup-week"))
        .await
        .unwrap()
        .len();
    assert!(forms >= 4, "the unit's clinicians, each with a week form");
    for i in 0..forms {
        let form = format!("#vecka-{i}");
        c.execute(
            "document.querySelectorAll(arguments[0] + \" input[name='dag']\").forEach(e => e.checked = true);",
            vec![json!(form)],
        )
        .await
        .unwrap();
        submit(&c, &form).await;
    }
    choose_in(&c, "form:has(input[value='rum'])", "veckodag", "2").await;
    submit(&c, "form:has(input[value='rum'])").await;
    let text = body_text(&c).await;
    assert!(text.contains("tisdag"), "the room is listed");
    // A bad entry is refused in Swedish and changes nothing.
    set_in(
        &c,
        "form:has(input[value='franvaro'])",
        "fran_datum",
        "2026-12-10",
    )
    .await;
    set_in(
        &c,
        "form:has(input[value='franvaro'])",
        "till_datum",
        "2026-12-01",
    )
    .await;
    submit(&c, "form:has(input[value='franvaro'])").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("the leave refused");
    assert!(body_text(&c).await.contains("Ange giltiga datum"));
    axe(&c, &axe_source, "availability with errors").await;

    // The week: proposed, shown as changes, saved with a reason.
    goto(&c, &s, "/planering").await;
    axe(&c, &axe_source, "week board, nothing saved").await;
    submit(&c, "form[action='/planering/planera']").await;
    // The search's page: it updates itself in place, then moves on to the proposal.
    c.wait()
        .for_element(Locator::Css("[data-follow] progress[value]"))
        .await
        .expect("the search's progress");
    axe(&c, &axe_source, "search in progress").await;
    let progress = || async {
        c.execute(
            "var p = document.querySelector('[data-follow] progress'); return p ? p.value : -1;",
            vec![],
        )
        .await
        .unwrap()
        .as_f64()
        .unwrap()
    };
    let first = progress().await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let later = progress().await;
    assert!(
        later > first || later < 0.0,
        "the progress moves without a reload: {first} then {later}"
    );
    c.wait()
        .for_element(Locator::Css("table.changes"))
        .await
        .expect("the proposal as changes");
    axe(&c, &axe_source, "proposal").await;
    // Saving without a reason is refused.
    submit(&c, "form[action='/planering/spara']").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("a reason is asked for");
    fill(&c, "skal", "Veckoplanering").await;
    submit(&c, "form[action='/planering/spara']").await;
    c.wait()
        .for_element(Locator::Css("table.week-board ol.stops"))
        .await
        .expect("the saved week on the board");
    axe(&c, &axe_source, "week board").await;

    // Pin the first visit of the board; it keeps its place through a re-plan.
    let first = c.find(Locator::Css("ol.stops li")).await.unwrap();
    let pinned_text = first.text().await.unwrap();
    let pinned_visit = first
        .find(Locator::Css("input[name='nal']"))
        .await
        .unwrap()
        .attr("value")
        .await
        .unwrap()
        .unwrap();
    submit(&c, "ol.stops li form").await;
    c.wait()
        .for_element(Locator::Css("ol.stops li .tag"))
        .await
        .expect("the pin shown");
    submit(&c, "form[action='/planering/planera']").await;
    c.wait()
        .for_element(Locator::Css("form[action='/planering/spara']"))
        .await
        .expect("the re-plan's proposal");
    fill(&c, "skal", "Omplanerat runt nålen").await;
    submit(&c, "form[action='/planering/spara']").await;
    c.wait()
        .for_element(Locator::Css("table.week-board"))
        .await
        .unwrap();
    let still = c
        .find(Locator::XPath(&format!(
            "//li[.//input[@name='nal' and @value='{pinned_visit}']]"
        )))
        .await
        .expect("the pinned visit on the board")
        .text()
        .await
        .unwrap();
    // Same time, same patient, now marked pinned.
    let time = pinned_text.split_whitespace().next().unwrap();
    assert!(still.starts_with(time), "{still} vs {pinned_text}");
    assert!(still.to_lowercase().contains("nålad"), "{still}");

    // A day's route with its map: a day with visits.
    c.find(Locator::XPath(
        "//td[.//ol[contains(@class,'stops')]]//a[contains(., 'Dagens rutt')]",
    ))
    .await
    .expect("a day with visits")
    .click()
    .await
    .unwrap();
    c.wait()
        .for_element(Locator::Css("table.route"))
        .await
        .expect("the route's stops");
    c.wait()
        .for_element(Locator::Css("figure.map svg"))
        .await
        .expect("the map");
    axe(&c, &axe_source, "day route").await;

    // The staff member's week as ICS: fetched in the signed-in session, parsed.
    goto(&c, &s, "/planering").await;
    let href = c
        .find(Locator::XPath("//a[contains(., 'Kalender (ICS)')]"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    let ics = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.text()).then(done).catch(e => done('ERR ' + e));",
            vec![json!(href)],
        )
        .await
        .unwrap();
    let ics = ics.as_str().unwrap_or_default().to_owned();
    let unfolded = icalendar::parser::unfold(&ics);
    let parsed = icalendar::parser::read_calendar(&unfolded)
        .unwrap_or_else(|e| panic!("the calendar parses: {e}\n{ics}"));
    let events = parsed
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .count();
    // One event per visit in that staff member's row of the board.
    let stops = c
        .find_all(Locator::XPath(
            "(//table[contains(@class,'week-board')]/tbody/tr)[1]//ol[contains(@class,'stops')]/li",
        ))
        .await
        .unwrap()
        .len();
    assert_eq!(events, stops, "{ics}");
    sign_out(&c).await;
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

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn the_analyst_opens_the_report_and_downloads_the_csv_and_the_pdf() {
    let driver = start_chromedriver();
    let axe_path = std::env::var("TRAPPA_AXE_PATH")
        .expect("TRAPPA_AXE_PATH names axe.min.js; scripts/test.sh sets it");
    let axe_source = std::fs::read_to_string(&axe_path).expect("read axe-core");
    let store = trappa_store::testing::fresh_sqlite().await;
    let s = support::start("sqlite", store).await;
    let downloads = trappa_store::testing::test_dir().join(format!("downloads-{}", uuid_like()));
    std::fs::create_dir_all(&downloads).unwrap();
    let c = connect_with(&driver, Some(&downloads)).await;
    sign_in(&c, &s, "analytiker").await;

    // From the navigation to the report: key figures, charts, reach, definitions.
    follow(&c, "Uppföljning").await;
    c.wait()
        .for_element(Locator::Css("table.key-figures"))
        .await
        .expect("the key figures");
    let page = body_text(&c).await;
    for part in [
        "Nyckeltal",
        "Räckvidd per kommun",
        "Definitioner",
        "Kostnad per aktiv patient",
    ] {
        assert!(page.contains(part), "{part}");
    }
    assert!(
        c.find_all(Locator::Css("figure.chart svg"))
            .await
            .unwrap()
            .len()
            >= 3,
        "the trend and split charts"
    );
    c.find(Locator::Css("figure.map svg"))
        .await
        .expect("the map of reach");
    axe(&c, &axe_source, "report").await;

    // Two years, by municipality.
    let two_years_ago = trappa_app::clock::today()
        .checked_sub(jiff::Span::new().years(2))
        .unwrap()
        .to_string();
    c.execute(
        "document.getElementById('fran').value = arguments[0];
         document.getElementById('fordelning').value = 'municipality';",
        vec![json!(two_years_ago)],
    )
    .await
    .unwrap();
    submit(&c, "form.search-form").await;
    c.wait()
        .for_element(Locator::XPath("//h2[contains(., 'Per kommun')]"))
        .await
        .expect("the split by municipality");
    assert!(
        c.current_url()
            .await
            .unwrap()
            .as_str()
            .contains("fordelning=municipality")
    );

    // The downloads, as the browser saves them.
    c.find(Locator::Css("#report-csv"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let csv = String::from_utf8(downloaded(&downloads, "uppfoljning-", ".csv").await).unwrap();
    // For Swedish Excel: a BOM, semicolons, Swedish headings and names.
    assert!(
        csv.starts_with("\u{feff}Tabell;Nyckel;Namn;Mått;Värde"),
        "{csv:.200}"
    );
    assert!(
        csv.contains(&format!("Totalt;;{two_years_ago} – ")),
        "the chosen period"
    );
    assert!(csv.contains("Per kommun;"), "every split");
    c.find(Locator::Css("#report-pdf"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let pdf = downloaded(&downloads, "arsrapport-", ".pdf").await;
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.ends_with(b"%%EOF") || pdf.ends_with(b"%%EOF\n"));

    // A bad period: a Swedish message, nothing else.
    goto(&c, &s, "/rapport?fran=2026-06-01&till=2026-01-01").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .expect("the error summary");
    assert!(
        body_text(&c)
            .await
            .contains("Periodens första dag ligger efter dess sista.")
    );
    axe(&c, &axe_source, "report error").await;

    // The needs page, before any analysis is imported.
    follow(&c, "Behovsanalys").await;
    c.wait()
        .for_element(Locator::XPath("//h1[contains(., 'Behovsanalys')]"))
        .await
        .expect("the needs page");
    assert!(body_text(&c).await.contains("--save-as analytiker"));
    axe(&c, &axe_source, "needs").await;
    let _ = std::fs::remove_dir_all(&downloads);
}
