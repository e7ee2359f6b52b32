//! A nurse signs in, searches and opens a record; the auditor finds the access.

use fantoccini::Locator;
use support::patient_with_team;

use super::*;

/// A nurse signs in, searches and opens a record; the auditor finds that access in the log
/// and the extract. Long by design: a journey whose every step reads what the steps before
/// it left, so it is kept as one story told in order.
#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn sign_in_search_open_then_auditor_finds_the_access() {
    let driver = start_chromedriver();
    let axe_source = axe_source();
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
    // The patient's own plan: today's doses in words, the next change, the handout.
    c.goto(&s.url("/mina-sidor/plan")).await.unwrap();
    let text = body_text(&c).await;
    assert!(
        text.contains("Min plan") && text.contains("I dag, "),
        "{text}"
    );
    axe(&c, &axe_source, "patient's own plan").await;

    c.close().await.unwrap();
}
