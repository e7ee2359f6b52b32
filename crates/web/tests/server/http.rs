//! End-to-end behaviour over real HTTP, on every backend: the care-relationship rule
//! and emergency access, corrections with version history, bad input, CSRF, errors and
//! the API.

use crate::support;

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::{patient_with_team, servers};

#[tokio::test]
async fn care_team_opens_the_record_and_others_need_emergency_access() {
    for s in servers().await {
        let patient = patient_with_team(&s, 701, &["sjukskoterska"]).await;
        let nurse = s.login("sjukskoterska").await;
        let res = nurse.get(&format!("/patienter/{patient}")).await;
        assert_eq!(res.status(), StatusCode::OK, "[{}]", s.backend);
        let html = res.text().await.unwrap();
        assert!(html.contains("Testsson701") && html.contains("Hemliga vägen 1"));

        // Another nurse is outside the care relationship: sent to emergency access.
        let other = s.login("sjukskoterska2").await;
        let res = other.get(&format!("/patienter/{patient}")).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            res.headers()["location"],
            format!("/patienter/{patient}/nodatkomst").as_str()
        );
        let form = other
            .get(&format!("/patienter/{patient}/nodatkomst"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !form.contains("Testsson701"),
            "the reason form shows no patient data"
        );

        // A reason that is too short is refused and opens nothing.
        let short = other
            .post(
                &format!("/patienter/{patient}/nodatkomst"),
                &[("reason", "akut")],
            )
            .await;
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(short.text().await.unwrap().contains("minst 10 tecken"));
        assert_eq!(
            other.get(&format!("/patienter/{patient}")).await.status(),
            StatusCode::SEE_OTHER
        );

        let ok = other
            .post(
                &format!("/patienter/{patient}/nodatkomst"),
                &[(
                    "reason",
                    "Patienten ringer med kramper, ordinarie team ej nåbart",
                )],
            )
            .await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        let html = other
            .get(&format!("/patienter/{patient}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Du har nödåtkomst"),
            "[{}] emergency banner",
            s.backend
        );

        // The log holds the denied attempt and the flagged emergency reads.
        let log = support::patient_log(&s, patient).await;
        assert!(
            log.iter()
                .any(|e| e.username == "sjukskoterska2" && e.outcome == "denied")
        );
        assert!(log.iter().any(|e| e.username == "sjukskoterska2"
            && e.action == "emergency_access"
            && e.flagged));
        assert!(log.iter().any(|e| e.username == "sjukskoterska2"
            && e.action == "read"
            && e.basis.as_deref() == Some("emergency")
            && e.flagged));

        // The auditor reviews it once; a second sign-off is refused.
        let auditor = s.login("granskare").await;
        let queue = auditor
            .get("/granskning/nodatkomst")
            .await
            .text()
            .await
            .unwrap();
        assert!(queue.contains("Patienten ringer med kramper"));
        let ea = s
            .store
            .emergency_accesses(true, 10)
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.patient_id == patient)
            .unwrap();
        // A review records a judgement: without one nothing is signed.
        let r = auditor
            .post(
                &format!("/granskning/nodatkomst/{}", ea.id),
                &[("note", "Befogad, kontrollerad med patientens sjuksköterska")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let r = auditor
            .post(
                &format!("/granskning/nodatkomst/{}", ea.id),
                &[
                    ("outcome", "not_justified"),
                    (
                        "note",
                        "Ingen vårdrelation, patienten hade ingen kontakt den dagen",
                    ),
                ],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let queue = auditor
            .get("/granskning/nodatkomst")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            queue.contains("Inte motiverad") && queue.contains("Granskningen är sparad."),
            "the judgement shown and the save confirmed"
        );
        let reviewed = s.store.emergency_access(ea.id).await.unwrap().unwrap();
        assert_eq!(reviewed.review_justified, Some(false));
        let again = auditor
            .post(
                &format!("/granskning/nodatkomst/{}", ea.id),
                &[("outcome", "justified"), ("note", "igen")],
            )
            .await;
        assert_eq!(again.status(), StatusCode::CONFLICT);
    }
}

#[tokio::test]
async fn corrections_make_versions_and_stale_forms_are_refused() {
    for s in servers().await {
        let patient = patient_with_team(&s, 702, &["sjukskoterska"]).await;
        let nurse = s.login("sjukskoterska").await;
        let pnr = support::test_identity(702).to_string();
        let edit = |family: &'static str, version: &'static str| {
            vec![
                ("personal_identity", pnr.clone()),
                ("given_name", "Testa".to_owned()),
                ("family_name", family.to_owned()),
                ("reason", "Namnbyte enligt Skatteverket".to_owned()),
                ("version", version.to_owned()),
            ]
        };
        let to_refs = |v: &Vec<(&'static str, String)>| {
            v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>()
        };
        let f1 = to_refs(&edit("Nyberg", "1"));
        let f1: Vec<(&str, &str)> = f1.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = nurse
            .post(&format!("/patienter/{patient}/andra"), &f1)
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "[{}]", s.backend);
        // The same stale form again (version 1) is refused; nothing is overwritten.
        let f2 = to_refs(&edit("Fel", "1"));
        let f2: Vec<(&str, &str)> = f2.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let stale = nurse
            .post(&format!("/patienter/{patient}/andra"), &f2)
            .await;
        assert_eq!(stale.status(), StatusCode::CONFLICT);
        assert!(
            stale
                .text()
                .await
                .unwrap()
                .contains("Inget har skrivits över")
        );
        let history = nurse
            .get(&format!("/patienter/{patient}/historik"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            history.contains("Nyberg")
                && history.contains("Testsson702")
                && !history.contains(">Fel,")
        );
        assert!(history.contains("Namnbyte enligt Skatteverket"));

        // A correction without a reason changes nothing.
        let mut f3 = to_refs(&edit("Utan", "2"));
        f3.retain(|(k, _)| *k != "reason");
        let f3: Vec<(&str, &str)> = f3.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = nurse
            .post(&format!("/patienter/{patient}/andra"), &f3)
            .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = nurse
            .get(&format!("/patienter/{patient}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(html.contains("Nyberg") && !html.contains("Utan"));
    }
}

#[tokio::test]
async fn bad_input_is_refused_with_swedish_messages_and_nothing_is_stored() {
    for s in servers().await {
        let nurse = s.login("koordinator").await;
        let before = s.store.patient_count().await.unwrap();
        let bad_check = nurse
            .post(
                "/patienter",
                &[
                    ("personal_identity", "640823-3235"),
                    ("given_name", "A"),
                    ("family_name", "B"),
                    ("queue", "triage"),
                ],
            )
            .await;
        assert_eq!(
            bad_check.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}]",
            s.backend
        );
        assert!(
            bad_check
                .text()
                .await
                .unwrap()
                .contains("Kontrollsiffran stämmer inte")
        );
        let bad_date = nurse
            .post(
                "/patienter",
                &[
                    ("personal_identity", "19640230-3236"),
                    ("given_name", "A"),
                    ("family_name", "B"),
                ],
            )
            .await;
        assert!(
            bad_date
                .text()
                .await
                .unwrap()
                .contains("Datumdelen är inget verkligt datum")
        );
        let missing = nurse
            .post(
                "/patienter",
                &[
                    ("personal_identity", "640823-3234"),
                    ("email", "inte-en-adress"),
                ],
            )
            .await;
        let html = missing.text().await.unwrap();
        assert!(html.contains("Fältet måste fyllas i.") && html.contains("Ange en e-postadress"));
        assert_eq!(
            s.store.patient_count().await.unwrap(),
            before,
            "nothing stored"
        );

        // Markup in names is escaped wherever it is shown.
        let ok = nurse
            .post(
                "/patienter",
                &[
                    ("personal_identity", "640823-3234"),
                    ("given_name", "<script>alert(1)</script>"),
                    ("family_name", "O'Brien \"x\""),
                    ("queue", "triage"),
                ],
            )
            .await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        let loc = ok.headers()["location"].to_str().unwrap().to_owned();
        let page = nurse.get(&loc).await.text().await.unwrap();
        assert!(
            !page.contains("<script>alert(1)</script>")
                && page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        );
        // The same number twice is refused.
        let dup = nurse
            .post(
                "/patienter",
                &[
                    ("personal_identity", "196408233234"),
                    ("given_name", "A"),
                    ("family_name", "B"),
                ],
            )
            .await;
        assert!(
            dup.text()
                .await
                .unwrap()
                .contains("Det finns redan en patient med det här numret.")
        );

        // SQL in the search box is just text.
        let res = nurse
            .get("/patienter?q=%27%3B%20DROP%20TABLE%20patients%3B--")
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(s.store.patient_count().await.unwrap(), before + 1);
        let res = nurse.get("/patienter?q=19640823-3235").await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}

#[tokio::test]
async fn csrf_is_required_for_every_change() {
    for s in servers().await {
        let c = s.login("koordinator").await;
        let no_token = c
            .http
            .post(c.url("/patienter"))
            .form(&[("given_name", "X")])
            .send()
            .await
            .unwrap();
        assert_eq!(no_token.status(), StatusCode::FORBIDDEN, "[{}]", s.backend);
        assert!(
            no_token
                .text()
                .await
                .unwrap()
                .contains("Säkerhetstoken saknas")
        );
        let forged = c
            .http
            .post(c.url("/logga-ut"))
            .form(&[("csrf", "forged")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            c.get("/start").await.status(),
            StatusCode::OK,
            "still signed in"
        );
        let api = c
            .http
            .post(c.url("/api/v1/patients"))
            .header("x-csrf-token", "nope")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(api.status(), StatusCode::FORBIDDEN);
        assert_eq!(api.headers()["content-type"], "application/problem+json");
        // A token from another browser (another cookie) does not work either.
        let other = s.anonymous();
        let foreign = other.csrf().await;
        let res = c
            .http
            .post(c.url("/logga-ut"))
            .form(&[("csrf", foreign.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn errors_are_pages_for_people_and_problems_for_the_api() {
    for s in servers().await {
        let c = s.login("sjukskoterska").await;
        let page = c.get("/finns-inte").await;
        assert_eq!(page.status(), StatusCode::NOT_FOUND);
        assert!(
            page.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(page.text().await.unwrap().contains("Sidan finns inte"));
        let api = c.get("/api/v1/finns-inte").await;
        assert_eq!(api.status(), StatusCode::NOT_FOUND);
        assert_eq!(api.headers()["content-type"], "application/problem+json");
        let p: serde_json::Value = api.json().await.unwrap();
        assert_eq!(p["status"], 404);
        assert!(p["type"].as_str().unwrap().ends_with(":not-found"));
        assert!(
            p["instance"]
                .as_str()
                .unwrap()
                .starts_with("urn:trappa:request:")
        );
        let unknown_patient = c
            .get(&format!("/patienter/{}", trappa_store::Uuid::now_v7()))
            .await;
        assert_eq!(unknown_patient.status(), StatusCode::NOT_FOUND);
        let anon = s.anonymous().get("/api/v1/me").await;
        assert_eq!(anon.status(), StatusCode::UNAUTHORIZED);
        let forbidden = c.get("/admin/personal").await;
        assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
        assert!(forbidden.text().await.unwrap().contains("Incident-id"));
    }
}

#[tokio::test]
async fn api_creates_reads_and_versions_patients() {
    for s in servers().await {
        let c = s.login("koordinator").await;
        let bad = c
            .send_json(
                Method::POST,
                "/api/v1/patients",
                &json!({ "personal_identity": "811218-9875", "given_name": "" }),
            )
            .await;
        assert_eq!(
            bad.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}]",
            s.backend
        );
        assert_eq!(bad.headers()["content-type"], "application/problem+json");
        let p: serde_json::Value = bad.json().await.unwrap();
        let fields: Vec<&str> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert!(
            fields.contains(&"personal_identity")
                && fields.contains(&"given_name")
                && fields.contains(&"family_name")
        );

        let created = c
            .send_json(Method::POST, "/api/v1/patients", &json!({ "personal_identity": "811218-9876", "given_name": "Åke", "family_name": "Öst", "protected_identity": true, "street_address": "Dold 1" }))
            .await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let id = created.json::<serde_json::Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        // New API patients enter the triage queue, which the coordinator handles.
        let got = c.get(&format!("/api/v1/patients/{id}")).await;
        assert_eq!(got.status(), StatusCode::OK);
        assert_eq!(got.headers()["etag"], "\"1\"");
        let v: serde_json::Value = got.json().await.unwrap();
        assert_eq!(v["personal_identity"], "19811218-9876");
        assert_eq!(v["access_basis"], "queue");
        assert_eq!(
            v["street_address"],
            serde_json::Value::Null,
            "protected address withheld"
        );

        let update = json!({ "personal_identity": "811218-9876", "given_name": "Åke", "family_name": "Väst", "reason": "Rättat efternamn" });
        let stale = c
            .http
            .put(c.url(&format!("/api/v1/patients/{id}")))
            .header("x-csrf-token", c.csrf().await)
            .header("if-match", "\"7\"")
            .json(&update)
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), StatusCode::CONFLICT);
        let ok = c
            .http
            .put(c.url(&format!("/api/v1/patients/{id}")))
            .header("x-csrf-token", c.csrf().await)
            .header("if-match", "\"1\"")
            .json(&update)
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), StatusCode::OK);
        let h: serde_json::Value = c
            .get(&format!("/api/v1/patients/{id}/history"))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(h["versions"].as_array().unwrap().len(), 2);
        assert_eq!(h["versions"][0]["data"]["family_name"], "Väst");
        assert_eq!(h["versions"][1]["data"]["family_name"], "Öst");

        let search: serde_json::Value = c
            .get("/api/v1/patients?q=%C3%B6st")
            .await
            .json()
            .await
            .unwrap();
        assert!(
            search["patients"].as_array().unwrap().is_empty(),
            "the current name is Väst"
        );
        let search: serde_json::Value = c
            .get("/api/v1/patients?q=v%C3%A4st")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(search["patients"].as_array().unwrap().len(), 1);

        // The analyst never sees a patient, even by id.
        let analyst = s.login("analytiker").await;
        assert_eq!(
            analyst
                .get(&format!("/api/v1/patients/{id}"))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
    }
}

#[tokio::test]
async fn operations_endpoints_answer() {
    for s in servers().await {
        let c = s.anonymous();
        assert_eq!(c.get("/healthz").await.text().await.unwrap(), "ok");
        assert_eq!(c.get("/readyz").await.status(), StatusCode::OK);
        // Metrics are each instance's own (Prometheus scrapes every instance): both
        // requests go to the first.
        let on_first = |path: &str| c.http.get(s.url(path)).send();
        on_first("/logga-in").await.unwrap();
        let metrics = on_first("/metrics").await.unwrap().text().await.unwrap();
        assert!(
            metrics.contains("trappa_http_requests_total")
                && metrics.contains("route=\"/logga-in\""),
            "{metrics}"
        );
        assert!(!metrics.contains("/patienter/0"), "no ids in labels");
        let page = c.get("/logga-in").await;
        let h = page.headers();
        assert!(
            h["content-security-policy"]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'")
        );
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(
            h["cache-control"], "no-store",
            "pages with patient data are never cached"
        );
        assert_eq!(
            c.get("/static/app.css").await.headers()["cache-control"],
            "public, max-age=3600"
        );
    }
}

#[tokio::test]
async fn a_server_error_shows_an_incident_id_and_no_details() {
    for s in servers().await {
        let patient = patient_with_team(&s, 704, &["sjukskoterska"]).await;
        let nurse = s.login("sjukskoterska").await;
        // Break the database under the running server.
        trappa_store::testing::raw_execute(
            &s.store,
            "ALTER TABLE care_team_members RENAME TO care_team_members_gone",
        )
        .await
        .unwrap();
        let res = nurse.get(&format!("/patienter/{patient}")).await;
        assert_eq!(
            res.status(),
            StatusCode::INTERNAL_SERVER_ERROR,
            "[{}]",
            s.backend
        );
        let request_id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
        let html = res.text().await.unwrap();
        assert!(
            html.contains("Något gick fel") && html.contains(&request_id),
            "the page names the incident"
        );
        assert!(
            !html.contains("care_team_members") && !html.to_lowercase().contains("sql"),
            "no internals on the page"
        );
        let api = nurse.get(&format!("/api/v1/patients/{patient}")).await;
        assert_eq!(api.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let p: serde_json::Value = api.json().await.unwrap();
        assert!(p["type"].as_str().unwrap().ends_with(":internal"));
        assert!(!p.to_string().contains("care_team"));
    }
}

#[tokio::test]
async fn protected_identity_hides_the_address_and_flags_every_access() {
    for s in servers().await {
        let patient = patient_with_team(&s, 705, &["sjukskoterska"]).await;
        let nurse = s.login("sjukskoterska").await;
        let pnr = support::test_identity(705).to_string();
        let form = [
            ("personal_identity", pnr.as_str()),
            ("given_name", "Testa"),
            ("family_name", "Testsson705"),
            ("street_address", "Hemliga vägen 1"),
            ("protected_identity", "on"),
            ("reason", "Skyddad identitet enligt Skatteverket"),
            ("version", "1"),
        ];
        assert_eq!(
            nurse
                .post(&format!("/patienter/{patient}/andra"), &form)
                .await
                .status(),
            StatusCode::SEE_OTHER,
            "[{}]",
            s.backend
        );
        let html = nurse
            .get(&format!("/patienter/{patient}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Adressen är skyddad och visas inte.")
                && !html.contains("Hemliga vägen 1"),
            "[{}] address hidden",
            s.backend
        );
        assert!(html.contains("skyddad identitet"), "banner");
        let history = nurse
            .get(&format!("/patienter/{patient}/historik"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !history.contains("Hemliga vägen 1"),
            "hidden in the history too"
        );
        let api: serde_json::Value = nurse
            .get(&format!("/api/v1/patients/{patient}"))
            .await
            .json()
            .await
            .unwrap();
        assert!(api["street_address"].is_null());
        let log = support::patient_log(&s, patient).await;
        let reads: Vec<_> = log
            .iter()
            .filter(|e| e.action == "read" && e.username == "sjukskoterska")
            .collect();
        assert!(
            reads.len() >= 3 && reads.iter().all(|e| e.flagged),
            "[{}] every read flagged",
            s.backend
        );
        // The auditor filters on flagged entries and by user.
        let auditor = s.login("granskare").await;
        let page = auditor
            .get("/granskning/logg?flagged=on&user=sjukskoterska")
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("<td>Översikt</td>") && page.contains("Flaggad"));
        let none = auditor
            .get("/granskning/logg?user=finns-inte")
            .await
            .text()
            .await
            .unwrap();
        assert!(none.contains("Inga loggposter matchar."));
    }
}

#[tokio::test]
async fn the_interface_switches_to_english() {
    for s in servers().await {
        let c = s.anonymous();
        assert!(
            c.get("/logga-in")
                .await
                .text()
                .await
                .unwrap()
                .contains("<html lang=\"sv\">")
        );
        let r = c
            .post("/sprak", &[("lang", "en"), ("next", "/logga-in")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let page = c.get("/logga-in").await.text().await.unwrap();
        assert!(
            page.contains("<html lang=\"en\">")
                && page.contains("Sign in")
                && page.contains("Password"),
            "[{}]",
            s.backend
        );
        // An off-site `next` is not followed.
        let r = c
            .post("/sprak", &[("lang", "sv"), ("next", "//evil.example/")])
            .await;
        assert_eq!(r.headers()["location"], "/");
    }
}
