//! Declined and redirected referrals reach the referrer; a self-referral arrives.

use fantoccini::Locator;

use super::*;

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn declined_and_redirected_referrals_reach_the_referrer_and_a_self_referral_arrives() {
    let driver = start_chromedriver();
    let axe_source = axe_source();
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
