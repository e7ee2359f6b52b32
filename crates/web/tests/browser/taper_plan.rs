//! The physician sets the unit's products, proposes a plan and prints the handout.

use fantoccini::Locator;
use support::patient_with_team;

use super::*;

/// The physician sets the unit's products, then proposes a plan and prints its handout.
/// Long by design: a journey whose every step reads what the steps before it left, so it is
/// kept as one story told in order.
#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn physician_sets_the_units_products_then_proposes_and_prints_a_plan() {
    let driver = start_chromedriver();
    let axe_source = axe_source();
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
