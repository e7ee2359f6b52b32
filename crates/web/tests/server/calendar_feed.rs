//! The patient's calendar subscription: a link the patient makes, replaces and removes,
//! which a calendar app reads without signing in.

use crate::support;
use reqwest::StatusCode;
use trappa_data::demo::DEMO_PATIENT_USERNAME;

/// The address on the plan page, as a path.
fn feed_path(page: &str) -> Option<String> {
    let url = page
        .split("id=\"feed-url\"")
        .nth(1)?
        .split("value=\"")
        .nth(1)?
        .split('"')
        .next()?;
    Some(format!("/kalender/{}", url.split("/kalender/").nth(1)?))
}

/// The demo patient makes a link; a calendar app with no session reads the signed
/// plan's dose changes and the visit the prescriber booked (with its video link), and
/// that read is logged against the record as the patient's own. A new link ends the
/// old one, removing it ends the new one, and a link with its tag changed, or another
/// feed's tag, finds nothing. The care team cannot make a patient's link.
#[tokio::test]
async fn the_patient_subscribes_to_the_plan_and_can_end_it() {
    for (backend, store) in trappa_store::testing::fresh_stores().await {
        let mut config = trappa_web::WebConfig::local();
        config.video_url_template = Some("https://video.example.se/mote/{visit}".into());
        let s = support::start_with(backend, store, config).await;
        let b = s.backend;
        let own = s
            .store
            .credentials(DEMO_PATIENT_USERNAME)
            .await
            .unwrap()
            .unwrap();
        let patient = own.account.patient_id.unwrap();
        let doc = s.login("lakare").await;
        let doctor = s.account_id("lakare").await.to_string();
        let day = trappa_app::clock::today()
            .saturating_add(jiff::ToSpan::days(5))
            .to_string();
        let booked = doc
            .post(
                &format!("/patienter/{patient}/besok"),
                &[
                    ("kind", "medical_review"),
                    ("place", "video"),
                    ("date", &day),
                    ("time", "10:00"),
                    ("minutes", "30"),
                    ("clinician", &doctor),
                    ("reason", ""),
                ],
            )
            .await;
        assert_eq!(booked.status(), StatusCode::SEE_OTHER, "[{b}] booked");

        let c = s.login(DEMO_PATIENT_USERNAME).await;
        let page = c.get("/mina-sidor/plan").await.text().await.unwrap();
        assert!(page.contains("Du har ingen kalenderlänk."), "[{b}]");
        assert!(
            feed_path(&page).is_none(),
            "[{b}] no link before one is made"
        );
        let made = c
            .post("/mina-sidor/plan/kalender", &[("action", "new")])
            .await;
        assert_eq!(made.status(), StatusCode::SEE_OTHER, "[{b}]");
        let page = c.get("/mina-sidor/plan").await.text().await.unwrap();
        assert!(
            page.contains("Kalenderlänken är skapad."),
            "[{b}] confirmed"
        );
        let first = feed_path(&page).expect("the link on the page");
        assert!(page.contains("webcal://"), "[{b}] the calendar opens it");

        let app = s.anonymous();
        let res = app.get(&first).await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}] {first}");
        assert_eq!(
            res.headers()["content-type"],
            "text/calendar; charset=utf-8",
            "[{b}]"
        );
        assert_eq!(res.headers()["cache-control"], "no-store", "[{b}]");
        let ics = res.text().await.unwrap();
        let unfolded = icalendar::parser::unfold(&ics);
        let cal = icalendar::parser::read_calendar(&unfolded).expect("the ICS parses");
        let events = cal.components.iter().filter(|c| c.name == "VEVENT").count();
        let uids: Vec<&str> = unfolded
            .lines()
            .filter_map(|l| l.strip_prefix("UID:"))
            .collect();
        assert!(
            uids.iter()
                .any(|u| u.starts_with(&format!("trappa-{patient}-"))),
            "[{b}] the plan's dose changes: {uids:?}"
        );
        assert!(
            uids.iter().any(|u| u.starts_with("visit-")),
            "[{b}] the booked visit"
        );
        assert!(events >= 2, "[{b}]");
        assert!(
            unfolded.contains("https://video.example.se/mote/"),
            "[{b}] the video link"
        );
        let log = support::patient_log(&s, patient).await;
        assert!(
            log.iter().any(|e| e.username == DEMO_PATIENT_USERNAME
                && e.resource == "own.calendar_feed.ics"
                && e.action == "export"),
            "[{b}] the calendar's read is logged as the patient's own"
        );
        assert!(
            log.iter()
                .any(|e| e.resource == "own.calendar_feed" && e.action == "create"),
            "[{b}] making the link is logged"
        );

        // A changed tag, or a tag taken to another id, finds nothing.
        let (id, tag) = first
            .trim_start_matches("/kalender/")
            .trim_end_matches("/trappa.ics")
            .split_once('.')
            .unwrap();
        let mut flipped = tag.to_owned();
        let last = if flipped.ends_with('A') { "B" } else { "A" };
        flipped.replace_range(flipped.len() - 1.., last);
        for forged in [
            format!("/kalender/{id}.{flipped}/trappa.ics"),
            format!(
                "/kalender/{}.{tag}/trappa.ics",
                trappa_store::Uuid::now_v7().simple()
            ),
            format!("/kalender/{id}/trappa.ics"),
        ] {
            assert_eq!(
                app.get(&forged).await.status(),
                StatusCode::NOT_FOUND,
                "[{b}] {forged}"
            );
        }

        // A new link ends the old one.
        c.post("/mina-sidor/plan/kalender", &[("action", "new")])
            .await;
        let page = c.get("/mina-sidor/plan").await.text().await.unwrap();
        let second = feed_path(&page).unwrap();
        assert_ne!(first, second, "[{b}]");
        assert_eq!(
            app.get(&first).await.status(),
            StatusCode::NOT_FOUND,
            "[{b}]"
        );
        assert_eq!(app.get(&second).await.status(), StatusCode::OK, "[{b}]");
        // Removing it ends it.
        let ended = c
            .post("/mina-sidor/plan/kalender", &[("action", "end")])
            .await;
        assert_eq!(ended.status(), StatusCode::SEE_OTHER, "[{b}]");
        let page = c.get("/mina-sidor/plan").await.text().await.unwrap();
        assert!(page.contains("Kalenderlänken är borttagen"), "[{b}]");
        assert!(feed_path(&page).is_none(), "[{b}]");
        assert_eq!(
            app.get(&second).await.status(),
            StatusCode::NOT_FOUND,
            "[{b}]"
        );
        // Anything but the two buttons is refused and changes nothing.
        let odd = c
            .post("/mina-sidor/plan/kalender", &[("action", "share")])
            .await;
        assert_eq!(odd.status(), StatusCode::BAD_REQUEST, "[{b}]");
        let page = c.get("/mina-sidor/plan").await.text().await.unwrap();
        assert!(feed_path(&page).is_none(), "[{b}] nothing made");
        // The care team has no way to make the patient's link.
        assert_eq!(
            doc.post("/mina-sidor/plan/kalender", &[("action", "new")])
                .await
                .status(),
            StatusCode::FORBIDDEN,
            "[{b}]"
        );
    }
}
