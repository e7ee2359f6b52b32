//! The coordinator plans a week, pins a visit, replans and exports the calendar.

use fantoccini::Locator;

use super::*;

/// The coordinator enters the team's availability, has the planner propose the week,
/// saves it, pins a visit, re-plans the rest (the pinned visit stays put), opens a day's
/// route with its map, and exports a staff member's week as ICS that parses.
///
/// Long by design: a journey whose every step reads what the steps before it left, so it is
/// kept as one story told in order.
#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core: scripts/test.sh installs them and runs it"]
async fn the_coordinator_plans_a_week_pins_a_visit_replans_and_exports_ics() {
    let driver = start_chromedriver();
    let axe_source = axe_source();
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
