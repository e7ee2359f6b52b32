//! Working with partners in the browser: a nurse proposes a SIP and records the
//! patient's consent; the social worker signs in, sees only the plan and her task and
//! marks it done; the patient withdraws the consent in Mina sidor, and the social
//! worker's next request is refused. Every page state passes axe-core at 1280 and 375 px.

use fantoccini::Locator;

use super::*;

/// Opens the `<details>` whose summary contains `text`.
async fn open_details(c: &Client, text: &str) {
    c.find(Locator::XPath(&format!("//summary[contains(., '{text}')]")))
        .await
        .unwrap_or_else(|_| panic!("a summary with {text}"))
        .click()
        .await
        .unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn a_sip_is_shared_worked_and_withdrawn() {
    let driver = start_chromedriver();
    let axe_source = axe_source();
    let s = support::start("sqlite", trappa_store::testing::fresh_sqlite().await).await;
    // A patient of the nurse's with an account of their own for Mina sidor (the
    // demo's portal patients have SIPs of their own already).
    let patient = support::patient_with_team(&s, 950, &["sjukskoterska"]).await;
    let password_hash = s
        .store
        .credentials(trappa_data::demo::DEMO_PATIENT_USERNAME)
        .await
        .unwrap()
        .unwrap()
        .password_hash;
    s.store
        .create_account(&trappa_store::accounts::NewAccount {
            username: "patient950".into(),
            display_name: "Testa Testsson950".into(),
            profession: None,
            hsa_id: None,
            unit_id: None,
            patient_id: Some(patient),
            partner_organisation_id: None,
            roles: vec![trappa_policy::Role::Patient],
            password_hash,
            created_by: None,
        })
        .await
        .unwrap();
    let social = s
        .store
        .partner_organisations()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.code == trappa_data::demo::LILLA_EDET_SOCIAL_SERVICES)
        .unwrap()
        .id
        .to_string();
    let c = connect(&driver).await;
    let base = format!("/patienter/{patient}/sip");

    // The nurse proposes the plan: first without a follow-up date (refused, kept).
    sign_in(&c, &s, "sjukskoterska").await;
    goto(&c, &s, &base).await;
    axe(&c, &axe_source, "SIP page, no plan").await;
    fill(&c, "skal", "Behöver stöd i hemmet under nedtrappningen").await;
    choose(&c, "partner", &social).await;
    fill(&c, "deltagare_namn", "Sara Lindqvist").await;
    fill(&c, "insats", "Boendestöd två gånger i veckan").await;
    choose(&c, "ansvarig", "p1").await;
    submit(&c, "form.sip-form").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("error-summary") && text.contains("value=\"Boendestöd två gånger i veckan\""),
        "refused and kept"
    );
    axe(&c, &axe_source, "SIP plan refused").await;
    set_in(&c, "form.sip-form", "uppfoljning", "2027-02-01").await;
    submit(&c, "form.sip-form").await;
    assert!(body_text(&c).await.contains("Planen är sparad"));
    // The consent, then a task for social services and the unit's signature.
    open_details(&c, "Registrera samtycke").await;
    choose(&c, "organisation", &social).await;
    submit(&c, "form.consent-form").await;
    assert!(body_text(&c).await.contains("Samtycket är registrerat"));
    open_details(&c, "Lägg till uppgift").await;
    fill(&c, "uppgift", "Ansök om boendestöd").await;
    choose(&c, "vem", &social).await;
    submit(&c, "form.task-form").await;
    submit(&c, "article.sip form[action$='/signera']").await;
    let text = body_text(&c).await;
    assert!(text.contains("Planen är undertecknad"), "signed");
    axe(&c, &axe_source, "SIP page, plan shared and signed").await;
    sign_out(&c).await;

    // The social worker: her list, the plan and her task — and nothing else.
    sign_in(&c, &s, "socialsekreterare").await;
    follow(&c, "Delade planer").await;
    axe(&c, &axe_source, "partner's shared plans").await;
    follow(&c, "Testsson950").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Ansök om boendestöd") && text.contains("Boendestöd två gånger i veckan"),
        "the plan and her task"
    );
    assert!(
        !text.contains("Samtycken</h2>"),
        "no consents for a partner"
    );
    axe(&c, &axe_source, "SIP page as a partner").await;
    choose_in(&c, "form.row-form", "status", "done").await;
    fill(&c, "kommentar", "Beviljat").await;
    submit(&c, "form.row-form").await;
    let text = body_text(&c).await;
    assert!(text.contains("Uppgiften är sparad") && text.contains("Beviljat"));
    goto(&c, &s, &format!("/patienter/{patient}")).await;
    assert!(
        body_text(&c).await.contains("Du har inte behörighet"),
        "the record stays closed"
    );
    sign_out(&c).await;

    // The patient withdraws the consent in Mina sidor.
    sign_in(&c, &s, "patient950").await;
    goto(&c, &s, "/mina-sidor/samtycken").await;
    assert!(
        body_text(&c)
            .await
            .contains("Socialtjänsten, Lilla Edets kommun")
    );
    axe(&c, &axe_source, "patient's consents").await;
    submit(&c, "main form[action$='/aterkalla']").await;
    assert!(body_text(&c).await.contains("Samtycket är återkallat"));
    sign_out(&c).await;

    // The social worker's next request is refused.
    sign_in(&c, &s, "socialsekreterare").await;
    goto(&c, &s, &base).await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Du har inte behörighet") && !text.contains("Ansök om boendestöd"),
        "refused after withdrawal"
    );
    axe(&c, &axe_source, "SIP refused after withdrawal").await;
    c.close().await.ok();
}
