//! The whole path in the browser, from the referral to the discharge.

use fantoccini::Locator;

use super::*;

/// The whole path in the browser, from a vårdcentral's referral to discharge, each page
/// checked with axe-core. Long by design: a journey whose every step reads what the steps
/// before it left, so it is kept as one story told in order.
#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn the_whole_path_from_referral_to_discharge() {
    let driver = start_chromedriver();
    let axe_source = axe_source();
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
