//! The patient reports from home on a phone-sized screen; the care team finds it.

use fantoccini::Locator;

use trappa_data::demo_path::DemoStage;

use super::*;

/// The demo patient signs in with BankID and reads today's dose, fills in the PHQ-9 the
/// care team assigned (first refused, then sent) and a BWSQ over the nurse's severe
/// cut-off, writes in the diary that they want to pause and lands on the crisis text,
/// and writes to the care team; the prescriber finds the reports and the message on the
/// worklist, answers, marks the reports read (a refused assignment keeps what was
/// typed) and signs the engine's proposal; the patient sees the new plan. Every page state passes axe-core at 1280 and
/// 375 px with no sideways scroll. Long by design: one story told in order.
#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn the_patient_reports_from_home_and_the_care_team_reads_it() {
    let driver = start_chromedriver();
    let axe_source = axe_source();
    let store = trappa_store::testing::fresh_sqlite().await;
    let mut config = trappa_web::WebConfig::local();
    let oidc = support::test_oidc();
    config.oidc = oidc.clone().unwrap_or_default();
    let smtp = match support::test_smtp() {
        Some((smtp, _)) => {
            config.smtp = Some(smtp);
            true
        }
        None => false,
    };
    let s = support::start_with("sqlite", store, config).await;
    let patient = support::patient_of_login(&s, trappa_data::demo::DEMO_PATIENT_USERNAME).await;
    let c = connect(&driver).await;

    if oidc.is_some() {
        // With BankID, through the identity provider, to today's dose.
        let pnr = demo_patient_identity(&s, patient).await;
        goto(&c, &s, "/logga-in?next=/mina-sidor/plan").await;
        axe(&c, &axe_source, "sign-in with the identity providers").await;
        follow(&c, "Logga in med BankID").await;
        at_the_provider(&c, &format!("pnr:{pnr}")).await;
        let text = body_text(&c).await;
        assert!(
            text.contains("Min plan") && text.contains("I dag, "),
            "{text}"
        );
        axe(&c, &axe_source, "today's dose after BankID").await;
    } else {
        sign_in(&c, &s, trappa_data::demo::DEMO_PATIENT_USERNAME).await;
    }
    goto(&c, &s, "/mina-sidor/skattningar").await;
    axe(&c, &axe_source, "patient's questionnaires").await;
    follow(&c, "Fyll i Nedstämdhet (PHQ-9)").await;
    c.wait()
        .for_element(Locator::Css("form.report-form"))
        .await
        .unwrap();
    axe(&c, &axe_source, "PHQ-9 form").await;
    submit(&c, "form.report-form").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .unwrap();
    axe(&c, &axe_source, "PHQ-9 refused").await;
    for i in 1..=9 {
        let answer = if i == 9 { 0 } else { 1 };
        c.find(Locator::Css(&format!("#item_q{i}-{answer}")))
            .await
            .unwrap_or_else(|_| panic!("answer {answer} to question {i}"))
            .click()
            .await
            .unwrap();
    }
    submit(&c, "form.report-form").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Tack!") && text.contains("Senast ifyllt"),
        "{text}"
    );
    axe(&c, &axe_source, "questionnaires after sending").await;
    // BWSQ, before the next step: a total over the nurse's severe cut-off (21).
    goto(&c, &s, "/mina-sidor/skattningar/bwsq").await;
    fill(&c, "total", "28").await;
    submit(&c, "form.report-form").await;
    assert!(body_text(&c).await.contains("Tack!"));

    goto(&c, &s, "/mina-sidor/dagbok").await;
    axe(&c, &axe_source, "diary").await;
    tick(&c, "#dose-as_planned").await;
    choose(&c, "sleep", "3").await;
    choose(&c, "anxiety", "7").await;
    tick(&c, "#flag-patient_asks_pause").await;
    fill(
        &c,
        "note",
        "Vill vänta med nästa steg tills sömnen är bättre.",
    )
    .await;
    submit(&c, "form.report-form").await;
    // A wish to pause is not an emergency: thanked, and on the care team's worklist.
    let text = body_text(&c).await;
    assert!(
        text.contains("Tack!") && text.contains("Det du har skrivit"),
        "{text}"
    );
    // A seizure or thoughts of self-harm lead straight to what to do now, with advice
    // that fits (the server tests send those answers).
    goto(&c, &s, "/mina-sidor/hjalp?om=seizure,suicidal_thoughts").await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Om du mår dåligt nu")
            && text.contains("112")
            && text.contains("krampanfall: sök akut vård i dag")
            && text.contains("Självmordslinjen"),
        "the crisis text: {text}"
    );
    axe(&c, &axe_source, "crisis text").await;

    // A message to the care team: refused while empty, then sent, answered at once by
    // Trappa with when to expect the care team's answer.
    goto(&c, &s, "/mina-sidor/meddelanden").await;
    axe(&c, &axe_source, "patient's messages").await;
    set_in(&c, "form.message-form", "subject", "Sömnen").await;
    submit(&c, "form.message-form").await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .unwrap();
    axe(&c, &axe_source, "patient's message refused").await;
    fill(
        &c,
        "body",
        "Kan jag få prata med någon om sömnen innan nästa steg?",
    )
    .await;
    submit(&c, "form.message-form").await;
    let text = body_text(&c).await;
    assert!(text.contains("Trappa (automatiskt svar)"), "{text}");
    axe(&c, &axe_source, "patient's thread").await;
    sign_out(&c).await;

    // The prescriber: the reports on the worklist, read and marked read.
    sign_in(&c, &s, "lakare").await;
    let text = body_text(&c).await;
    assert!(text.contains("Nya rapporter från patienter"), "{text}");
    assert!(text.contains("Obesvarade meddelanden"), "{text}");
    goto(&c, &s, "/meddelanden").await;
    axe(&c, &axe_source, "the care team's inbox").await;
    follow(&c, "Sömnen").await;
    c.wait()
        .for_element(Locator::Css("form.message-form"))
        .await
        .unwrap();
    fill(&c, "body", "Ja, jag ringer dig i morgon förmiddag.").await;
    submit(&c, "form.message-form").await;
    assert!(body_text(&c).await.contains("besvarat av Maria Ek"));
    axe(&c, &axe_source, "the care team's answer").await;
    goto(&c, &s, &format!("/patienter/{patient}/dagbok")).await;
    let text = body_text(&c).await;
    assert!(text.contains("Vill vänta med nästa steg"), "{text}");
    axe(&c, &axe_source, "the patient's reports (staff)").await;
    submit(&c, "form[action$='/dagbok/last']").await;
    assert!(!body_text(&c).await.contains("error-summary"));
    // An assignment with cut-offs the instrument does not take is refused, kept.
    let assign = "form[action$='/skattningar/tilldelning']";
    choose_in(&c, assign, "instrument", "gad-7").await;
    set_in(&c, assign, "moderate_from", "5").await;
    set_in(&c, assign, "severe_from", "9").await;
    set_in(&c, assign, "reason", "Följa oron").await;
    submit(&c, assign).await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .unwrap();
    let kept = c
        .find(Locator::Css(&format!("{assign} [name='reason']")))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(kept.as_deref(), Some("Följa oron"));
    axe(&c, &axe_source, "assignment refused").await;

    // The patient's answers moved the engine: the prescriber signs its proposal.
    goto(&c, &s, &format!("/patienter/{patient}/plan")).await;
    c.wait()
        .for_element(Locator::Css("section.proposal form.sign-form"))
        .await
        .expect("the engine's proposal from the patient's reports");
    assert!(
        body_text(&c).await.contains("BWSQ"),
        "the patient's BWSQ is a reason"
    );
    // What the patient reported since the plan was signed stands above the forms.
    goto(&c, &s, &format!("/patienter/{patient}/plan#reports")).await;
    let text = body_text(&c).await;
    assert!(
        text.contains("Nytt från patienten") && text.contains("Sedan planen signerades:"),
        "{text}"
    );
    axe(
        &c,
        &axe_source,
        "the patient's new reports above the signature",
    )
    .await;
    fill(&c, "adopt_reason", "Svår abstinens enligt patientens BWSQ").await;
    tick(&c, "#confirm").await;
    submit(&c, "section.proposal form.sign-form").await;
    c.wait()
        .for_element(Locator::Css("section.plan-active"))
        .await
        .unwrap();
    sign_out(&c).await;

    // The patient sees the new plan, signed today by the prescriber.
    sign_in(&c, &s, trappa_data::demo::DEMO_PATIENT_USERNAME).await;
    goto(&c, &s, "/mina-sidor/plan").await;
    let today =
        trappa_taper::output::date_text(trappa_app::clock::today(), trappa_i18n::Locale::Sv);
    let text = body_text(&c).await;
    assert!(
        text.contains(&format!("Planen signerades av Maria Ek den {today}")),
        "the new plan: {text}"
    );
    axe(&c, &axe_source, "the patient's new plan").await;
    goto(&c, &s, "/mina-sidor/journal").await;
    assert!(
        body_text(&c)
            .await
            .contains("Din plan, version för version")
    );
    axe(&c, &axe_source, "the patient's records").await;
    goto(&c, &s, "/mina-sidor/journal#letters-h").await;
    axe(
        &c,
        &axe_source,
        "the patient's reply letters and plan versions",
    )
    .await;

    // A calendar link for the phone, made on the plan page.
    goto(&c, &s, "/mina-sidor/plan").await;
    submit(&c, "form[action='/mina-sidor/plan/kalender']").await;
    c.wait()
        .for_element(Locator::Css("#feed-url"))
        .await
        .expect("the calendar link");
    assert!(body_text(&c).await.contains("Kalenderlänken är skapad."));
    axe(&c, &axe_source, "the patient's calendar link").await;
    // Notices by e-mail: an address mail cannot reach is refused and kept.
    goto(&c, &s, "/mina-sidor/aviseringar").await;
    axe(&c, &axe_source, "the patient's notification choices").await;
    if smtp {
        set_in(
            &c,
            "form[action='/mina-sidor/aviseringar']",
            "email",
            "inte en adress",
        )
        .await;
        submit(&c, "form[action='/mina-sidor/aviseringar']").await;
        c.wait()
            .for_element(Locator::Css(".error-summary"))
            .await
            .unwrap();
        axe(&c, &axe_source, "notification choices refused").await;
    }
    goto(&c, &s, "/mina-sidor/besok").await;
    axe(&c, &axe_source, "the patient's visits").await;
    // A wish to move the next visit, sent with the form closed by default opened.
    c.find(Locator::Css("form.wish-form"))
        .await
        .expect("a visit to come, with its wish form");
    c.find(Locator::Css("details summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    set_in(
        &c,
        "form.wish-form",
        "wish",
        "Helst en eftermiddag samma vecka",
    )
    .await;
    submit(&c, "form.wish-form").await;
    assert!(
        body_text(&c).await.contains("Vi svarar så snart vi kan"),
        "the wish is waiting"
    );
    axe(&c, &axe_source, "the patient's wish waiting").await;
    sign_out(&c).await;
    sign_in(&c, &s, "koordinator").await;
    goto(&c, &s, "/besok/onskemal").await;
    assert!(
        body_text(&c)
            .await
            .contains("Helst en eftermiddag samma vecka")
    );
    axe(&c, &axe_source, "the coordinator's visit wishes").await;
    sign_out(&c).await;

    // The head of the unit chooses what patients read; an impossible delay is refused
    // with what was typed kept.
    sign_in(&c, &s, "chef").await;
    choose_in(&c, "form[action='/roll']", "role", "unit_manager").await;
    submit(&c, "form[action='/roll']").await;
    goto(&c, &s, "/enhet/journal-till-patienter").await;
    axe(&c, &axe_source, "the unit's record release").await;
    let form = "form[action='/enhet/journal-till-patienter']";
    set_in(&c, form, "delay_days", "120").await;
    set_in(&c, form, "reason", "Längre betänketid").await;
    submit(&c, form).await;
    c.wait()
        .for_element(Locator::Css(".error-summary"))
        .await
        .unwrap();
    axe(&c, &axe_source, "the unit's record release refused").await;

    c.close().await.unwrap();
}

/// Every demo patient (tapering, assessed and waiting for a plan, in aftercare) reads
/// every page of Mina sidor with what their stage holds: axe-clean at 1280 and 375 px,
/// no sideways scroll, no code on screen.
#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn every_demo_patient_reads_every_portal_page() {
    let driver = start_chromedriver();
    let axe_source = axe_source();
    let s = support::start("sqlite", trappa_store::testing::fresh_sqlite().await).await;
    let c = connect(&driver).await;
    for login in trappa_data::demo::DEMO_PORTAL_LOGINS {
        let (plan, thread) = match login.stage {
            DemoStage::Taper => ("I dag, ", "Inför nästa steg"),
            DemoStage::Assessment => (
                "Du har ingen färdig nedtrappningsplan ännu",
                "Vad händer nu?",
            ),
            DemoStage::Aftercare => ("Planen är genomförd", "Sömnen"),
            other => panic!("no portal story for {other:?}"),
        };
        sign_in(&c, &s, login.username).await;
        for (path, expect) in [
            ("/mina-sidor", "Att göra"),
            ("/mina-sidor/plan", plan),
            ("/mina-sidor/meddelanden", thread),
            ("/mina-sidor/besok", "Besök"),
            ("/mina-sidor/dagbok", "Dagbok"),
            ("/mina-sidor/skattningar", "Dina svar"),
            ("/mina-sidor/journal", "Min journal"),
            ("/mina-sidor/aviseringar", "Aviseringar"),
            ("/mina-sidor/logg", "Vem har läst min journal"),
        ] {
            goto(&c, &s, path).await;
            let text = body_text(&c).await;
            assert!(
                text.contains(expect),
                "{} on {path}: {text}",
                login.username
            );
            let page = format!(
                "{} {}",
                login.username,
                path.trim_start_matches('/').replace('/', " ")
            );
            axe(&c, &axe_source, &page).await;
        }
        sign_out(&c).await;
    }
    c.close().await.ok();
}

/// The demo patient's identity number, as the prescriber's caseload lists it.
async fn demo_patient_identity(s: &support::TestServer, patient: trappa_store::Uuid) -> String {
    let doctor = s.account_id("lakare").await;
    let actor = trappa_store::access_log::Actor {
        account_id: Some(doctor),
        username: "lakare".into(),
        role: None,
        unit_id: None,
        request_id: "test".into(),
        client_ip: None,
        new_role: false,
    };
    let log = trappa_store::access_log::NewEntry::new(
        &actor,
        trappa_store::access_log::Action::Listed,
        "test.caseload",
    );
    let list = s.store.caseload(doctor, 10_000, &log).await.unwrap();
    list.iter()
        .find(|c| c.patient_id == patient)
        .expect("the demo patient on the prescriber's caseload")
        .personal_identity
        .canonical()
}

/// At the test identity provider: signs in as `login` and consents, as a person would,
/// until the browser is back at Trappa.
async fn at_the_provider(c: &Client, login: &str) {
    c.wait()
        .for_element(Locator::Css("input[name='login']"))
        .await
        .expect("the provider's sign-in form");
    fill(c, "login", login).await;
    fill(c, "password", "test").await;
    submit(c, "form").await;
    // The consent page, if the provider asks.
    if c.find(Locator::Css("form button[type='submit']"))
        .await
        .is_ok()
        && !c
            .current_url()
            .await
            .unwrap()
            .path()
            .starts_with("/mina-sidor")
    {
        submit(c, "form").await;
    }
    c.wait()
        .for_element(Locator::Css("nav.site-nav"))
        .await
        .expect("back at Trappa, signed in");
}
