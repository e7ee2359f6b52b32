//! Guard: every page about a patient says whose it is. Signed in as the prescriber, the
//! test opens every HTML page under `/patienter/{id}` in the route table for a patient
//! in taper and finds the patient's identity number on it — a clinician never acts on
//! a page that leaves them to guess which patient it is about. On both databases.

use crate::support;

use reqwest::{Method, StatusCode};
use support::servers;

#[tokio::test]
async fn every_page_about_a_patient_names_the_patient() {
    let pages: Vec<String> = trappa_web::routes::route_specs()
        .into_iter()
        .filter(|r| r.method == Method::GET)
        .map(|r| r.path.to_owned())
        .filter(|p| {
            p.starts_with("/patienter/{id}")
                // One parameter only: the pages a patient's own links reach.
                && p.matches('{').count() == 1
                // Files, the emergency-access form shown before any access, and the
                // handout printed for the patient (it names them by name).
                && ![".pdf", ".ics", ".csv"].iter().any(|e| p.ends_with(e))
                && !p.ends_with("/nodatkomst")
                && !p.ends_with("/patientinformation")
        })
        .collect();
    assert!(
        pages.len() >= 8,
        "the walk finds the patient's pages: {pages:?}"
    );
    for s in servers().await {
        let b = s.backend;
        let patient = support::patient_of_login(&s, trappa_data::demo::DEMO_PATIENT_USERNAME).await;
        let doctor = s.login("lakare").await;
        let overview = doctor
            .get(&format!("/patienter/{patient}"))
            .await
            .text()
            .await
            .unwrap();
        let pnr = overview
            .split("class=\"pnr\">")
            .nth(1)
            .and_then(|r| r.split('<').next())
            .expect("the overview's identity number")
            .to_owned();
        let mut nameless = Vec::new();
        for page in &pages {
            let mut url = page.replace("{id}", &patient.to_string());
            // Pages that open for one thing named in the query.
            if page.ends_with("/skattningar/ny") {
                url.push_str("?instrument=ciwa-b");
            } else if page.ends_with("/plan/jamfor") {
                url.push_str("?a=1&b=2");
            }
            let res = doctor.get(&url).await;
            assert_eq!(res.status(), StatusCode::OK, "[{b}] {url}");
            let html = res.text().await.unwrap();
            if !html.contains(&pnr) {
                nameless.push(page.clone());
            }
        }
        assert!(
            nameless.is_empty(),
            "[{b}] pages that do not say whose they are: {nameless:?}"
        );
    }
}
