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
    let mut caps = serde_json::Map::new();
    let profile = std::env::temp_dir().join(format!("trappa-chromium-{}", uuid_like()));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": std::env::var("TRAPPA_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1024",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
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
/// With `TRAPPA_SCREENSHOTS=DIR` it also saves a screenshot of each page checked.
async fn axe(c: &Client, axe_source: &str, page: &str) {
    if let Ok(dir) = std::env::var("TRAPPA_SCREENSHOTS") {
        let png = c.screenshot().await.expect("screenshot");
        std::fs::create_dir_all(&dir).ok();
        std::fs::write(
            format!("{dir}/{}.png", page.replace([' ', '(', ')', '\''], "_")),
            png,
        )
        .ok();
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

async fn submit(c: &Client, form_selector: &str) {
    c.find(Locator::Css(&format!(
        "{form_selector} button[type='submit']"
    )))
    .await
    .expect("submit button")
    .click()
    .await
    .expect("click");
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
        text.contains("Sara Lindqvist") && text.contains("patient.overview"),
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
    c.goto(&s.url("/remisser")).await.unwrap();
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
    sign_out(&c).await;
    sign_in(&c, &s, trappa_data::demo::DEMO_PATIENT_USERNAME).await;
    c.goto(&s.url("/mina-sidor/logg")).await.unwrap();
    assert!(body_text(&c).await.contains("Vem har läst min journal"));
    axe(&c, &axe_source, "patient's own log").await;

    c.close().await.unwrap();
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
    c.find(Locator::Css("#product-oxascand-15"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
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
    fill(&c, "reason", "Genomgånget med patienten").await;
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
