//! Every input that sizes work is bounded where it is parsed, over HTTP on both
//! databases: dates outside 1900–2199 in queries, forms and JSON bodies; counts of
//! holds, products, observations and requests; search strings; bodies over the limit
//! and bodies that are not what they say — each refused quickly, in Swedish or as
//! problem+json, changing nothing.

use crate::support;

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::{Client, patient_with_team, servers};

/// The answer must come fast: a bound that is checked late is no bound.
const QUICK: Duration = Duration::from_secs(10);

async fn timed_get(c: &Client, path: &str) -> reqwest::Response {
    let started = Instant::now();
    let res = c
        .http
        .get(c.url(path))
        .timeout(QUICK)
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    assert!(
        started.elapsed() < QUICK,
        "GET {path} took {:?}",
        started.elapsed()
    );
    res
}

fn plan_request(start: &str) -> serde_json::Value {
    json!({
        "regimen": { "drugs": [ { "substance": "oxazepam", "doses": [10, 10, 0, 25] } ] },
        "start": start
    })
}

/// (who, query path, the field the page marks) — every date in a query string.
const DATE_QUERIES: &[(&str, &str, &str)] = &[
    ("analytiker", "/rapport?till=9999-12-31", "till"),
    (
        "analytiker",
        "/rapport?fran=-009999-01-01&till=2026-12-01",
        "fran",
    ),
    ("analytiker", "/rapport.csv?till=9999-12-31", "till"),
    (
        "analytiker",
        "/rapport.pdf?fran=1899-12-31&till=1900-06-30",
        "fran",
    ),
    ("analytiker", "/rapport?till=2200-01-01", "till"),
    ("granskare", "/granskning/logg?from=9999-12-31", "from"),
    ("granskare", "/granskning/logg?to=-009999-01-01", "to"),
    (
        "lakare",
        "/nedtrappning?drug1=oxazepam&dose1=10&start=9999-12-31",
        "start",
    ),
    (
        "lakare",
        "/nedtrappning?drug1=oxazepam&dose1=10&start=-009999-01-01",
        "start",
    ),
];

#[tokio::test]
async fn dates_outside_the_range_are_refused_wherever_they_are_read() {
    for s in servers().await {
        let b = s.backend;
        for (who, path, field) in DATE_QUERIES {
            let c = s.login(who).await;
            let before = s.store.access_log_len().await.unwrap();
            let res = timed_get(&c, path).await;
            assert_eq!(
                res.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{b}] {path}"
            );
            let html = res.text().await.unwrap();
            assert!(
                html.contains(&format!("href=\"#{field}\"")),
                "[{b}] {path}: #{field}"
            );
            assert!(
                html.contains("mellan 1900-01-01 och 2199-12-31") || html.contains("ÅÅÅÅ-MM-DD"),
                "[{b}] {path}: the range in Swedish"
            );
            // Refused before anything was read: at most the refusal itself is logged.
            assert!(
                s.store.access_log_len().await.unwrap() <= before + 1,
                "[{b}] {path}"
            );
        }

        let koordinator = s.login("koordinator").await;
        for week in ["9999-12-31", "-009999-01-01", "1899-12-25"] {
            let res = timed_get(&koordinator, &format!("/planering?vecka={week}")).await;
            assert_eq!(
                res.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{b}] vecka={week}"
            );
        }

        // JSON bodies: the engine's request, a proposal's day, a score's day.
        let lakare = s.login("lakare").await;
        for start in ["9999-12-31", "-009999-01-01", "2200-01-01", "1899-12-31"] {
            let res = lakare
                .send_json(Method::POST, "/api/v1/taper/plans", &plan_request(start))
                .await;
            assert_eq!(
                res.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "[{b}] start {start}"
            );
            assert_eq!(res.headers()["content-type"], "application/problem+json");
            let p: serde_json::Value = res.json().await.unwrap();
            assert_eq!(p["title"], "Uppgifterna behöver rättas", "[{b}] {p}");
        }
        let plan: serde_json::Value = lakare
            .send_json(
                Method::POST,
                "/api/v1/taper/plans",
                &plan_request("2026-12-01"),
            )
            .await
            .json()
            .await
            .unwrap();
        let res = lakare
            .send_json(
                Method::POST,
                "/api/v1/taper/proposals",
                &json!({ "plan": plan, "today": "9999-12-31" }),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] proposal today"
        );
        let patient = patient_with_team(&s, 901, &["lakare"]).await;
        let res = lakare
            .send_json(
                Method::POST,
                &format!("/api/v1/patients/{patient}/scores"),
                &json!({ "instrument": "phq-9", "observed_on": "1800-01-01", "total": 3 }),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] score day"
        );
    }
}

#[tokio::test]
async fn counts_that_size_work_are_bounded() {
    for s in servers().await {
        let b = s.backend;
        let lakare = s.login("lakare").await;
        // 53 holds, 21 products: more than any prescriber writes.
        let mut holds = plan_request("2026-12-01");
        holds["holds"] = json!(
            (0..53)
                .map(|_| json!({ "step": 1, "weeks": 52 }))
                .collect::<Vec<_>>()
        );
        let res = lakare
            .send_json(Method::POST, "/api/v1/taper/plans", &holds)
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] holds"
        );
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "holds", "[{b}] {p}");
        // A few long holds make the plan longer than fifteen years: refused, not cut.
        let mut long = plan_request("2026-12-01");
        long["holds"] = json!(
            (1..=20)
                .map(|i| json!({ "step": i, "weeks": 52 }))
                .collect::<Vec<_>>()
        );
        let res = lakare
            .send_json(Method::POST, "/api/v1/taper/plans", &long)
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] 20 years of holds"
        );
        let mut products = plan_request("2026-12-01");
        products["regimen"]["drugs"][0]["products"] = json!(vec!["oxascand-10"; 21]);
        let res = lakare
            .send_json(Method::POST, "/api/v1/taper/plans", &products)
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] products"
        );

        let plan: serde_json::Value = lakare
            .send_json(
                Method::POST,
                "/api/v1/taper/plans",
                &plan_request("2026-12-01"),
            )
            .await
            .json()
            .await
            .unwrap();
        let observation = json!({ "date": "2027-01-19", "scores": [] });
        let res = lakare
            .send_json(
                Method::POST,
                "/api/v1/taper/proposals",
                &json!({ "plan": plan, "today": "2027-01-20", "observations": vec![observation; 2_001] }),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] observations"
        );
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "observations", "[{b}] {p}");

        // A search string longer than any name or number.
        let long_q = "a".repeat(101);
        let res = timed_get(&lakare, &format!("/patienter?q={long_q}")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}] q");
        let res = timed_get(&lakare, &format!("/api/v1/patients?q={long_q}")).await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] api q"
        );
    }
}

#[tokio::test]
async fn bodies_over_the_limit_or_of_the_wrong_kind_are_refused_in_swedish() {
    for s in servers().await {
        let b = s.backend;
        let lakare = s.login("lakare").await;
        let csrf = lakare.csrf().await;
        let huge = format!("{{\"start\":\"{}\"}}", "x".repeat(3 << 20));
        let res = lakare
            .http
            .post(lakare.url("/api/v1/taper/plans"))
            .header("x-csrf-token", &csrf)
            .header("content-type", "application/json")
            .body(huge)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "[{b}]");
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!(p["title"], "Det som skickades är för stort", "[{b}] {p}");

        // A form over the limit gets a Swedish page.
        let res = lakare
            .http
            .post(lakare.url("/patienter"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("csrf={csrf}&given_name={}", "x".repeat(3 << 20)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "[{b}] form");
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("Det som skickades är för stort")
        );

        // JSON sent as text/plain, or without saying what it is: 415, nothing stored.
        let body = plan_request("2026-12-01").to_string();
        for content_type in [Some("text/plain"), None] {
            let mut req = lakare
                .http
                .post(lakare.url("/api/v1/taper/plans"))
                .header("x-csrf-token", &csrf)
                .body(body.clone());
            if let Some(t) = content_type {
                req = req.header("content-type", t);
            }
            let res = req.send().await.unwrap();
            assert_eq!(
                res.status(),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "[{b}] {content_type:?}"
            );
            assert_eq!(res.headers()["content-type"], "application/problem+json");
            let p: serde_json::Value = res.json().await.unwrap();
            assert_eq!(p["title"], "Fel format på det som skickades", "[{b}] {p}");
        }
        // With `application/json; charset=utf-8` it is read.
        let res = lakare
            .http
            .post(lakare.url("/api/v1/taper/plans"))
            .header("x-csrf-token", &csrf)
            .header("content-type", "application/json; charset=utf-8")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
    }
}

/// `next` after signing in and changing language: only a clean local path is followed.
#[tokio::test]
async fn redirects_stay_on_the_site() {
    for s in servers().await {
        let b = s.backend;
        for (next, expect) in [
            ("/\t/evil.example", "/start"),
            ("//evil.example", "/start"),
            ("/\\evil.example", "/start"),
            ("https://evil.example", "/start"),
            ("/a\r\nSet-Cookie: x=1", "/start"),
            ("/patienter?q=Anna", "/patienter?q=Anna"),
        ] {
            let c = s.anonymous();
            let csrf = c.csrf().await;
            let res = c
                .http
                .post(c.url("/logga-in"))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("username", "sjukskoterska"),
                    ("password", trappa_data::demo::DEMO_PASSWORD),
                    ("next", next),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] {next:?}");
            assert_eq!(res.headers()["location"], expect, "[{b}] {next:?}");

            let res = c.post("/sprak", &[("lang", "en"), ("next", next)]).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] /sprak {next:?}");
            let back = if expect == "/start" { "/" } else { expect };
            assert_eq!(res.headers()["location"], back, "[{b}] /sprak {next:?}");
        }
        // The sign-in page never echoes an unclean target into its form.
        let page = s
            .anonymous()
            .get("/logga-in?next=/%09/evil.example")
            .await
            .text()
            .await
            .unwrap();
        assert!(!page.contains("evil.example"), "[{b}]");
    }
}

/// The week's lists that grow one entry per form post are bounded: visit requests and
/// leave periods past their maxima are refused with a Swedish message, saving nothing.
#[tokio::test]
async fn the_planning_lists_are_bounded() {
    use trappa_app::planning::{SETUP, VisitRequest, requests_kind};
    use trappa_planning::availability::{Leave, Setup};
    for s in servers().await {
        let b = s.backend;
        let author = s.account_id("koordinator").await;
        let monday = trappa_app::planning::monday_of(trappa_app::clock::today());
        let patient = patient_with_team(&s, 870, &["sjukskoterska"]).await;
        let full: Vec<VisitRequest> = (0..300)
            .map(|_| VisitRequest {
                id: trappa_store::Uuid::now_v7(),
                patient,
                profession: "nurse".into(),
                minutes: 30,
                modes: vec![trappa_planning::model::Mode::Video],
                days: vec![],
            })
            .collect();
        s.store
            .save_document(
                s.tapering_unit,
                &requests_kind(monday),
                0,
                &serde_json::to_string(&full).unwrap(),
                author,
                "test",
            )
            .await
            .unwrap();
        let c = s.login("koordinator").await;
        let week = monday.to_string();
        let res = c
            .post(
                "/planering/besok",
                &[
                    ("vecka", week.as_str()),
                    ("version", "1"),
                    ("atgard", "lagg_till"),
                    ("patient", &patient.to_string()),
                    ("yrke", "nurse"),
                    ("minuter", "30"),
                    ("form", "video"),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] request 301"
        );
        assert!(
            res.text().await.unwrap().contains("Veckan har redan 300"),
            "[{b}]"
        );

        let staff = "sjukskoterska".to_owned();
        let setup = Setup {
            staff: vec![],
            leave: (0..500)
                .map(|_| Leave {
                    staff: staff.clone(),
                    from: monday,
                    to: monday,
                })
                .collect(),
            rooms: vec![],
        };
        s.store
            .save_document(
                s.tapering_unit,
                SETUP,
                0,
                &serde_json::to_string(&setup).unwrap(),
                author,
                "test",
            )
            .await
            .unwrap();
        let page = c
            .get("/planering/tillganglighet")
            .await
            .text()
            .await
            .unwrap();
        let marker = "name=\"personal\" value=\"";
        let at = page.find(marker).expect("a staff member to choose") + marker.len();
        let person = &page[at..at + page[at..].find('"').unwrap()];
        let res = c
            .post(
                "/planering/tillganglighet",
                &[
                    ("atgard", "franvaro"),
                    ("version", "1"),
                    ("personal", person),
                    ("fran_datum", week.as_str()),
                    ("till_datum", week.as_str()),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] leave 501"
        );
        assert!(
            res.text().await.unwrap().contains("Det finns redan 500"),
            "[{b}]"
        );
    }
}

#[tokio::test]
async fn a_posted_plan_and_its_goals_are_bounded() {
    for s in servers().await {
        let b = s.backend;
        let lakare = s.login("lakare").await;
        let mut goals = plan_request("2026-12-01");
        goals["goals"] = json!(
            (0..7)
                .map(|_| json!({ "substance": "oxazepam", "target": 0 }))
                .collect::<Vec<_>>()
        );
        let res = lakare
            .send_json(Method::POST, "/api/v1/taper/plans", &goals)
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] goals"
        );
        let mut plan: serde_json::Value = lakare
            .send_json(
                Method::POST,
                "/api/v1/taper/plans",
                &plan_request("2026-12-01"),
            )
            .await
            .json()
            .await
            .unwrap();
        let step = plan["steps"][0].clone();
        plan["steps"] = json!(vec![step; 1_001]);
        let res = lakare
            .send_json(
                Method::POST,
                "/api/v1/taper/proposals",
                &json!({ "plan": plan, "today": "2027-01-20" }),
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] steps"
        );
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "plan.steps", "[{b}] {p}");
    }
}
