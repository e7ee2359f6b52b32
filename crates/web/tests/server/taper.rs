//! The taper engine over HTTP, on both databases: the calculator with its warnings,
//! chart, handout, PDF and calendar; bad input marked on the field; the JSON API with
//! problem+json; and the unit's choices over the reference data as versions that change
//! the plans the unit gets.

use crate::support;

use reqwest::{Method, StatusCode};
use support::servers;

const QUERY: &str = "drug1=oxazepam&dose1=10%2B10%2B0%2B25&strategy=slow&start=2026-12-01";

#[tokio::test]
async fn the_calculator_proposes_a_plan_with_its_outputs() {
    for s in servers().await {
        let b = s.backend;
        let c = s.login("sjukskoterska").await;
        let form = c.get("/nedtrappning").await;
        assert_eq!(form.status(), StatusCode::OK, "[{b}]");
        let form = form.text().await.unwrap();
        assert!(
            form.contains("Beräkna nedtrappningsplan") && !form.contains("taper-result"),
            "[{b}]"
        );

        let res = c.get(&format!("/nedtrappning?{QUERY}")).await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
        let html = res.text().await.unwrap();
        assert!(html.contains("taper-result"), "[{b}] a result");
        assert!(
            html.contains("<svg") && html.contains("Dos över tid"),
            "[{b}] the chart"
        );
        assert!(
            html.contains("Ej verifierat värde"),
            "[{b}] unverified values flagged"
        );
        assert!(
            html.contains("2026-12-01") && html.contains("oxazepam sätts ut."),
            "[{b}] steps"
        );
        assert!(
            html.contains("1½ tablett Oxascand 5 mg mitt på dagen"),
            "[{b}] doses in words"
        );
        assert!(html.contains("/nedtrappning/plan.pdf?"), "[{b}] links");

        let page = c
            .get(&format!("/nedtrappning/patientinformation?{QUERY}"))
            .await;
        assert_eq!(page.status(), StatusCode::OK);
        let page = page.text().await.unwrap();
        assert!(
            page.contains("Din nedtrappningsplan") && page.contains("Vecka för vecka"),
            "[{b}]"
        );

        let pdf = c.get(&format!("/nedtrappning/plan.pdf?{QUERY}")).await;
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        let pdf = pdf.bytes().await.unwrap();
        assert!(
            pdf.starts_with(b"%PDF-") && String::from_utf8_lossy(&pdf).contains("/FontFile"),
            "[{b}]"
        );
        // The week table, then the month calendars (December 2026 – February 2028: 15
        // months, six to a page).
        let pages = String::from_utf8_lossy(&pdf).matches("/Type/Page/").count();
        assert!(pages >= 4, "[{b}] {pages} pages");

        let ics = c.get(&format!("/nedtrappning/plan.ics?{QUERY}")).await;
        assert!(
            ics.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        let text = ics.text().await.unwrap();
        let unfolded = icalendar::parser::unfold(&text);
        let cal = icalendar::parser::read_calendar(&unfolded).expect("the ICS parses");
        let events = cal.components.iter().filter(|c| c.name == "VEVENT").count();
        assert_eq!(events, 17, "[{b}] one event per step");
    }
}

/// Table-driven: a query → the field marked and a word of its Swedish message.
#[tokio::test]
async fn bad_input_is_marked_on_its_field_and_changes_nothing() {
    for s in servers().await {
        let c = s.login("lakare").await;
        let check = |query: &'static str, field: &'static str, words: &'static str| {
            let c = &c;
            async move {
                let res = c.get(&format!("/nedtrappning?{query}")).await;
                assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
                let html = res.text().await.unwrap();
                assert!(
                    html.contains(&format!("href=\"#{field}\"")),
                    "{query}: no link to #{field}"
                );
                assert!(html.contains(words), "{query}: no “{words}”");
                assert!(!html.contains("taper-result"), "{query}: no plan");
            }
        };
        check("drug1=oxazepam&dose1=10%2Bx", "dose1", "är ingen dos").await;
        check("drug1=oxazepam&dose1=", "dose1", "uppgift saknas").await;
        check(
            "drug1=&dose1=&drug2=diazepam&dose2=0%2B0%2B0%2B0",
            "dose2",
            "större än noll",
        )
        .await;
        check(
            "drug1=oxazepam&dose1=7%2B0%2B0%2B0",
            "dose1",
            "går inte att ge",
        )
        .await;
        check(
            "drug1=oxazepam&dose1=10%2B0%2B0&percent=80",
            "percent",
            "mellan",
        )
        .await;
        check(
            "drug1=oxazepam&dose1=10%2B0%2B0&start=2026-13-01",
            "start",
            "inget datum",
        )
        .await;
        check(
            "drug1=oxycodone&dose1=10%2B0%2B10&strategy=substitution",
            "strategy",
            "diazepam",
        )
        .await;
        check("drug1=okänd&dose1=10", "drug1", "okänd substans").await;
        check(
            "drug1=oxazepam&dose1=10%2B10%2B0&goal=oxazepam%3D50",
            "goal",
            "mellan",
        )
        .await;
        // The opening phase: all three fields or none, whole steps and weeks, and the
        // percent inside the ceiling — each named on its own field.
        check(
            "drug1=diazepam&dose1=10%2B0%2B10&phase_steps=2&phase_percent=25",
            "phase_weeks",
            "uppgift saknas",
        )
        .await;
        check(
            "drug1=diazepam&dose1=10%2B0%2B10&phase_steps=2%2C5&phase_percent=25&phase_weeks=2",
            "phase_steps",
            "mellan 1 och 26",
        )
        .await;
        check(
            "drug1=diazepam&dose1=10%2B0%2B10&phase_steps=2&phase_percent=40&phase_weeks=2",
            "phase_percent",
            "mellan 0,5 och 25",
        )
        .await;
        check(
            "drug1=diazepam&dose1=10%2B0%2B10&phase_steps=2&phase_percent=25%20%25&phase_weeks=2",
            "phase_percent",
            "mellan 0,5 och 25",
        )
        .await;
    }
}

/// An opening phase at its own pace is a phase of the plan, named where it begins.
#[tokio::test]
async fn an_opening_phase_is_named_in_the_plan() {
    for s in servers().await {
        let b = s.backend;
        let c = s.login("lakare").await;
        let res = c
            .get("/nedtrappning?drug1=diazepam&dose1=10%2B0%2B10&phase_steps=2&phase_percent=25%2C0&phase_weeks=2&start=2026-12-07")
            .await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
        let html = res.text().await.unwrap();
        assert!(
            html.contains("Fas 1: 25 % per steg, var 2\u{a0}veckor"),
            "[{b}] the phase row"
        );
        assert!(html.contains("Nedtrappning"), "[{b}] then the taper");
        // The form keeps what was typed.
        assert!(html.contains("value=\"25,0\""), "[{b}] the percent kept");
    }
}

#[tokio::test]
async fn the_api_proposes_plans_and_answers_problems() {
    for s in servers().await {
        let b = s.backend;
        let c = s.login("lakare").await;
        let req = serde_json::json!({
            "regimen": { "drugs": [
                { "substance": "alprazolam", "doses": [0.5, 0.5, 0, 1] }
            ] },
            "start": "2026-12-01",
            "substitution": { "interval_weeks": 1 }
        });
        let res = c.send_json(Method::POST, "/api/v1/taper/plans", &req).await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
        let plan: serde_json::Value = res.json().await.unwrap();
        assert_eq!(plan["schema"], 1);
        assert_eq!(plan["drugs"][1]["substance"], "diazepam");
        assert_eq!(plan["steps"][0]["totals"][0]["per_day"], 40.0);

        let bad = serde_json::json!({ "regimen": { "drugs": [ { "substance": "oxazepam", "doses": [-5, 0, 0, 0] } ] }, "start": "2026-12-01" });
        let res = c.send_json(Method::POST, "/api/v1/taper/plans", &bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "drugs[0].doses", "[{b}] {p}");

        let res = c
            .send_json(
                Method::POST,
                "/api/v1/taper/plans",
                &serde_json::json!({ "regimen": 1 }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "regimen");
        assert_eq!(
            p["errors"][0]["message"], "regimen: här ska stå ett objekt, inte ett heltal.",
            "[{b}]"
        );
        // A misspelt field is refused by name, never read as the default (a full stop).
        let mut misspelt = req.clone();
        misspelt["goal"] = serde_json::json!([{ "substance": "alprazolam", "target": 1 }]);
        let res = c
            .send_json(Method::POST, "/api/v1/taper/plans", &misspelt)
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "goal", "[{b}] {p}");
        let message = p["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("okänt fält ”goal”"), "[{b}] {message}");
        assert!(
            message.contains("goals"),
            "[{b}] the allowed fields: {message}"
        );
        // Any JSON body: the path and the fault in Swedish, not serde's English.
        let res = c
            .send_json(
                Method::POST,
                "/api/v1/taper/proposals",
                &serde_json::json!({ "plan": plan, "today": "2027-01-20", "observations": [], "extra": true }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "extra", "[{b}] {p}");
        assert!(
            p["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("okänt fält ”extra”"),
            "[{b}] {p}"
        );

        // The adaptation proposal under the default policy: severe symptoms → step back.
        let ask = serde_json::json!({
            "plan": plan,
            "today": "2027-01-20",
            "observations": [ { "date": "2027-01-19", "scores": [ { "instrument": "BWSQ", "value": 30, "band": "severe" } ] } ]
        });
        let res = c
            .send_json(Method::POST, "/api/v1/taper/proposals", &ask)
            .await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!(p["proposal"]["action"]["kind"], "step_back", "[{b}] {p}");
        assert_eq!(p["messages"][0], "BWSQ: svåra symtom.");
        let res = c
            .send_json(
                Method::POST,
                "/api/v1/taper/proposals",
                &serde_json::json!({ "plan": 1 }),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let refdata: serde_json::Value =
            c.get("/api/v1/taper/reference").await.json().await.unwrap();
        assert!(refdata["data"]["products"].as_array().unwrap().len() > 50);
        assert_eq!(refdata["unit_settings_version"], serde_json::Value::Null);
    }
}

#[tokio::test]
async fn the_units_choices_are_versioned_and_change_its_plans() {
    for s in servers().await {
        let b = s.backend;
        let doctor = s.login("lakare").await;
        let page = doctor.get("/referensdata").await.text().await.unwrap();
        assert!(
            page.contains("Enhetens val") && page.contains("name=\"product\""),
            "[{b}] the form"
        );
        assert!(
            page.contains("Iktorivil 0,5 mg") && page.contains("ASAM Benzodiazepine Tapering"),
            "[{b}] products and sources shown"
        );
        // The engine's defaults, each with its value, status and source.
        let rules_at = page
            .find("Standardvärden i beräkningsmotorn")
            .expect("the defaults");
        let rules = &page[rules_at..];
        for text in [
            "Steg för opioider",
            "4\u{a0}veckor",
            "Högsta diazepamdos om dagen",
            "40 mg",
            "CDC Clinical Practice Guideline for Prescribing Opioids for Pain, 2022",
        ] {
            assert!(rules.contains(text), "[{b}] {text}");
        }
        let data = trappa_taper::ReferenceData::builtin().unwrap();
        let all_but: Vec<(&str, &str)> = data
            .products
            .iter()
            .filter(|p| p.id != "oxascand-15")
            .map(|p| ("product", p.id.as_str()))
            .collect();
        let mut fields = vec![
            ("version", "0"),
            ("default_de_table", "va-dod"),
            ("default_mme_table", "helsedirektoratet"),
        ];

        // No reason: refused, nothing saved.
        let mut no_reason = fields.clone();
        no_reason.extend(all_but.iter().copied());
        let res = doctor.post("/referensdata", &no_reason).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(res.text().await.unwrap().contains("href=\"#reason\""));
        assert_eq!(
            s.store.taper_settings(s.tapering_unit).await.unwrap(),
            None,
            "[{b}] nothing saved"
        );

        fields.push(("reason", "Oxascand 15 mg restnoterad"));
        fields.extend(all_but.iter().copied());
        let res = doctor.post("/referensdata", &fields).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        assert_eq!(res.headers()["location"], "/referensdata?sparad=1");
        let saved = s
            .store
            .taper_settings(s.tapering_unit)
            .await
            .unwrap()
            .expect("saved");
        assert_eq!(
            (saved.version, saved.reason.as_str()),
            (1, "Oxascand 15 mg restnoterad")
        );

        // The same form again is stale.
        let res = doctor.post("/referensdata", &fields).await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "[{b}]");

        // A nurse of the unit now gets plans without the 15 mg tablet, from the VA/DoD table.
        let nurse = s.login("sjukskoterska").await;
        let html = nurse
            .get(&format!("/nedtrappning?{QUERY}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            !html.contains("Oxascand 15 mg"),
            "[{b}] the disabled product is not used"
        );
        assert!(
            html.contains("VA/DoD 2021 (ASAM 2025)"),
            "[{b}] the unit's default table"
        );
        let refdata: serde_json::Value = nurse
            .get("/api/v1/taper/reference")
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(refdata["unit_settings_version"], 1);
        assert!(
            refdata["data"]["version"]
                .as_str()
                .unwrap()
                .contains("+unit.")
        );
        let page = nurse.get("/referensdata").await.text().await.unwrap();
        assert!(
            page.contains("Gällande version 1") && !page.contains("name=\"product\""),
            "[{b}] read only for nurses"
        );

        // The physician adds a licence oral solution; it keeps the earlier choices, counts
        // as unverified, and plans that may use special products use it.
        let mut add = vec![
            ("version", "1"),
            ("default_de_table", "va-dod"),
            ("default_mme_table", "helsedirektoratet"),
            ("reason", "Licenslösning för de sista stegen"),
            ("add_substance", "oxazepam"),
            ("add_name", "Oxazepam licens oral lösning"),
            ("add_form", "oral_solution"),
            ("add_strength", "2"),
            ("add_kind", "licence"),
            ("add_measure_ml", ""),
            ("step_back", "never"),
        ];
        add.extend(all_but.iter().copied());
        let res = doctor.post("/referensdata", &add).await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] a liquid needs its measure"
        );
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("href=\"#add_measure_ml\"")
        );
        let measure = add
            .iter()
            .position(|(k, _)| *k == "add_measure_ml")
            .unwrap();
        add[measure] = ("add_measure_ml", "0,1");
        let res = doctor.post("/referensdata", &add).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let saved = s
            .store
            .taper_settings(s.tapering_unit)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(saved.version, 2);
        assert!(
            saved.settings.contains("oxascand-15")
                && saved.settings.contains("Oxazepam licens oral lösning"),
            "[{b}] {}",
            saved.settings
        );
        let html = nurse
            .get(&format!("/nedtrappning?{QUERY}&special=1"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("ml Oxazepam licens oral lösning"),
            "[{b}] the unit's product in use"
        );
        assert!(
            html.contains("Oxazepam licens oral lösning 2 mg/ml är inte verifierad"),
            "[{b}] flagged as unverified"
        );

        // The unit never steps back: severe symptoms now give a longer hold.
        let req = serde_json::json!({
            "regimen": { "drugs": [ { "substance": "oxazepam", "doses": [10, 10, 0, 25] } ] },
            "start": "2026-12-01"
        });
        let plan: serde_json::Value = nurse
            .send_json(Method::POST, "/api/v1/taper/plans", &req)
            .await
            .json()
            .await
            .unwrap();
        let ask = serde_json::json!({
            "plan": plan,
            "today": "2027-01-20",
            "observations": [ { "date": "2027-01-19", "scores": [ { "instrument": "CIWA-B", "value": 50, "band": "severe" } ] } ]
        });
        let p: serde_json::Value = nurse
            .send_json(Method::POST, "/api/v1/taper/proposals", &ask)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            p["proposal"]["action"],
            serde_json::json!({ "kind": "hold", "weeks": 4 }),
            "[{b}] {p}"
        );
        assert_eq!(p["policy"]["step_back"], "never");
    }
}

#[tokio::test]
async fn a_patients_plan_is_drafted_then_signed_by_the_prescriber_and_kept_in_versions() {
    for s in servers().await {
        let b = s.backend;
        let id = support::patient_with_team(&s, 950, &["sjukskoterska", "lakare"]).await;
        let base = format!("/patienter/{id}/plan");
        let nurse = s.login("sjukskoterska").await;
        let page = nurse.get(&base).await.text().await.unwrap();
        assert!(page.contains("ingen nedtrappningsplan ännu"), "[{b}]");
        let form = nurse.get(&format!("{base}/ny")).await.text().await.unwrap();
        assert!(
            form.contains("name=\"reason\"") && form.contains("Spara som utkast"),
            "[{b}]"
        );

        // Dates relative to today, so the test means the same whenever it runs.
        let start = trappa_app::clock::today()
            .saturating_add(jiff::Span::new().days(8))
            .to_string();
        let start: &'static str = Box::leak(start.into_boxed_str());
        let fields = |version: &'static str, reason: &'static str| {
            vec![
                ("drug1", "oxazepam"),
                ("dose1", "10+10+0+25"),
                ("start", start),
                ("version", version),
                ("reason", reason),
            ]
        };
        // No reason: nothing saved.
        let res = nurse.post(&base, &fields("0", "")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(res.text().await.unwrap().contains("href=\"#reason\""));
        // Bad dose: marked, nothing saved.
        let mut bad = fields("0", "Första förslag");
        bad[1] = ("dose1", "10+x");
        let res = nurse.post(&base, &bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().await.unwrap().contains("href=\"#dose1\""));
        // The draft.
        let res = nurse.post(&base, &fields("0", "Första förslag")).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let page = nurse.get(&base).await.text().await.unwrap();
        assert!(
            page.contains("Utkastet är inte signerat och gäller inte.") && page.contains("<svg"),
            "[{b}]"
        );
        assert!(
            page.contains("Endast förskrivande läkare kan signera planen."),
            "[{b}] no sign form for nurses"
        );
        // A nurse cannot sign.
        let res = nurse
            .post(
                &format!("{base}/signera"),
                &[("version", "1"), ("reason", "ok")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "[{b}]");

        // The physician signs; the same signature again is stale.
        let doctor = s.login("lakare").await;
        let start_page = doctor.get("/start").await.text().await.unwrap();
        assert!(
            start_page.contains("Planer att signera (")
                && start_page.contains(&format!("/patienter/{id}/plan")),
            "[{b}] the worklist"
        );
        let page = doctor.get(&base).await.text().await.unwrap();
        // The whole plan comes before the signing form, which names what is signed.
        assert!(page.contains("Signera version 1"), "[{b}]");
        let form_at = page.find("class=\"sign-form\"").expect("a signing form");
        for part in ["<svg", "class=\"plan\"", "Att förskriva per fyra veckor"] {
            let at = page.find(part).unwrap_or(usize::MAX);
            assert!(at < form_at, "[{b}] {part} stands above the signing form");
        }
        // Oxazepam's first step falls on the plan's first day.
        assert!(
            page.contains(&format!("Första ändringen av dosen: {start}")),
            "[{b}] the first change named"
        );
        // Without the confirmation nothing is signed, and the reason typed is kept.
        let res = doctor
            .post(
                &format!("{base}/signera"),
                &[("version", "1"), ("reason", "Genomgånget med patienten")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let refused = res.text().await.unwrap();
        assert!(
            refused.contains("href=\"#confirm\"")
                && refused.contains("value=\"Genomgånget med patienten\""),
            "[{b}] the confirmation asked for, the reason kept"
        );
        let res = doctor
            .post(
                &format!("{base}/signera"),
                &[
                    ("version", "1"),
                    ("reason", "Genomgånget med patienten"),
                    ("confirm", "on"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let res = doctor
            .post(
                &format!("{base}/signera"),
                &[("version", "1"), ("reason", "igen"), ("confirm", "on")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "[{b}]");
        let page = doctor.get(&base).await.text().await.unwrap();
        assert!(
            page.contains("Gällande plan") && page.contains("Signerad av Maria Ek"),
            "[{b}]"
        );
        // A freshly signed plan does not at once propose to wait.
        assert!(
            !page.contains("Behåll nuvarande dos") && !page.contains("class=\"sign-form\""),
            "[{b}] no proposal to sign right after signing"
        );

        // The signed plan's handout, PDF and calendar.
        let handout = nurse
            .get(&format!("{base}/patientinformation"))
            .await
            .text()
            .await
            .unwrap();
        assert!(handout.contains("Din nedtrappningsplan"), "[{b}]");
        // The handout names the patient and carries no data-version code.
        assert!(
            handout.contains("Plan för Testa Testsson950") && !handout.contains("referensdata 20"),
            "[{b}] the patient's name on the handout"
        );
        let pdf = nurse
            .get(&format!("{base}/plan.pdf"))
            .await
            .bytes()
            .await
            .unwrap();
        assert!(pdf.starts_with(b"%PDF-"), "[{b}]");
        let ics = nurse
            .get(&format!("{base}/plan.ics"))
            .await
            .text()
            .await
            .unwrap();
        let unfolded = icalendar::parser::unfold(&ics);
        let cal = icalendar::parser::read_calendar(&unfolded).expect("the ICS parses");
        assert!(
            cal.components.iter().filter(|c| c.name == "VEVENT").count() > 10,
            "[{b}]"
        );
        // Event ids name the patient's plan and what it prescribes, so a later version
        // never silently overwrites this one in the patient's calendar.
        let uids: Vec<&str> = unfolded
            .lines()
            .filter_map(|l| l.strip_prefix("UID:"))
            .collect();
        assert!(
            uids.iter()
                .all(|u| u.starts_with(&format!("trappa-{id}-")) && u.ends_with("@trappa")),
            "[{b}] ids per patient: {uids:?}"
        );
        let mut unique = uids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), uids.len(), "[{b}] unique ids");

        // The overview shows today's dose under the signed plan and the next change.
        let overview = doctor
            .get(&format!("/patienter/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(overview.contains("Dos enligt signerad plan i dag"), "[{b}]");
        assert!(
            overview.contains(&format!("Nästa ändring {start} (steg 1).")),
            "[{b}]"
        );

        // A stale draft form is refused; a new draft keeps the signed plan in effect.
        let res = nurse.post(&base, &fields("0", "gammalt formulär")).await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "[{b}]");
        let mut slower = fields("2", "Långsammare takt");
        slower.push(("interval", "3"));
        let res = nurse.post(&base, &slower).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let page = nurse.get(&base).await.text().await.unwrap();
        assert!(
            page.contains("Gällande plan") && page.contains("Utkast"),
            "[{b}] both shown"
        );

        let log = s
            .store
            .search_access_log(&trappa_store::access_log::LogQuery {
                patient_id: Some(id),
                limit: 1000,
                ..Default::default()
            })
            .await
            .unwrap();
        let plan_entries = log
            .iter()
            .filter(|e| e.resource == "patient.taper_plan")
            .count();
        assert!(
            plan_entries >= 10,
            "[{b}] every view and write of the plan is logged ({plan_entries})"
        );
    }
}

#[tokio::test]
async fn a_score_feeds_the_engines_proposal_which_the_prescriber_signs_as_the_new_plan() {
    for s in servers().await {
        let b = s.backend;
        let id = support::patient_with_team(&s, 951, &["sjukskoterska", "lakare"]).await;
        let base = format!("/patienter/{id}/plan");
        let today = trappa_app::clock::today();
        let start = today.saturating_sub(jiff::Span::new().days(40)).to_string();
        let nurse = s.login("sjukskoterska").await;
        let doctor = s.login("lakare").await;
        let res = nurse
            .post(
                &base,
                &[
                    ("drug1", "oxazepam"),
                    ("dose1", "10+10+0+25"),
                    ("start", &start),
                    ("version", "0"),
                    ("reason", "Start"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let res = doctor
            .post(
                &format!("{base}/signera"),
                &[("version", "1"), ("reason", "Signerad"), ("confirm", "on")],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let page = doctor.get(&base).await.text().await.unwrap();
        assert!(
            page.contains("Motorns förslag")
                && page.contains("Ingen skattning sedan steget började"),
            "[{b}] no score yet: hold a week"
        );

        // The nurse records a CIWA-B total of 50 (severe) today.
        let form = nurse
            .get(&format!("/patienter/{id}/skattningar/ny?instrument=ciwa-b"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            form.contains("name=\"total\"") && !form.contains("name=\"item_"),
            "[{b}] only the total for CIWA-B"
        );
        let scores = format!("/patienter/{id}/skattningar");
        let res = nurse
            .post(
                &scores,
                &[
                    ("instrument", "ciwa-b"),
                    ("observed_on", "2026-13-01"),
                    ("total", "50"),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] a bad date"
        );
        let today_s = today.to_string();
        let res = nurse
            .post(
                &scores,
                &[
                    ("instrument", "ciwa-b"),
                    ("observed_on", &today_s),
                    ("total", "81"),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] above the range"
        );
        let res = nurse
            .post(
                &scores,
                &[
                    ("instrument", "ciwa-b"),
                    ("observed_on", &today_s),
                    ("total", "50"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let list = nurse.get(&scores).await.text().await.unwrap();
        assert!(list.contains("svåra symtom"), "[{b}] {list}");

        // Severe symptoms under the default policy: step back, which the physician signs.
        let page = doctor.get(&base).await.text().await.unwrap();
        assert!(page.contains("Gå tillbaka till dosen i steg"), "[{b}]");
        // The physician's start page lists the proposal waiting for a decision.
        let start_page = doctor.get("/start").await.text().await.unwrap();
        let waiting = start_page
            .split("id=\"work-proposals\"")
            .nth(1)
            .expect("proposals on the start page");
        assert!(
            waiting.contains("Testsson951, Testa – förslag: Gå tillbaka"),
            "[{b}] {waiting}"
        );
        let res = nurse
            .post(
                &format!("{base}/forslag"),
                &[("version", "2"), ("adopt_reason", "ok"), ("confirm", "on")],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "[{b}] only the prescriber"
        );
        // The proposal's plan is shown in full, old and new side by side, before its form.
        let form_at = page.find("class=\"sign-form\"").expect("a signing form");
        let side_by_side = page
            .find("Gällande plan och den nya, sida vid sida")
            .unwrap();
        assert!(
            side_by_side < form_at && page.contains("Signera version 3"),
            "[{b}]"
        );
        let seen = page
            .split("name=\"seen\" value=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .expect("the form names what was seen")
            .to_owned();
        // A proposal that changed since the page was shown is not signed unseen.
        let res = doctor
            .post(
                &format!("{base}/forslag"),
                &[
                    ("version", "2"),
                    ("adopt_reason", "Svåra symtom"),
                    ("confirm", "on"),
                    ("seen", "0000000000000000"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            res.text().await.unwrap().contains("Förslaget har ändrats"),
            "[{b}]"
        );
        let res = doctor
            .post(
                &format!("{base}/forslag"),
                &[
                    ("version", "2"),
                    ("adopt_reason", "Svåra symtom, tillbaka ett steg"),
                    ("confirm", "on"),
                    ("seen", &seen),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let page = doctor.get(&base).await.text().await.unwrap();
        assert!(
            page.contains("Tillbaka till tidigare dos, signerat av Maria Ek"),
            "[{b}] the signed step back in the plan"
        );
        assert!(
            page.contains("Förslaget är signerat. Version 3 gäller nu."),
            "[{b}] the confirmation"
        );
        // Once signed, the proposal is gone: the same score moves nothing new.
        assert!(
            !page.contains("Gå tillbaka till dosen i steg")
                && !page.contains("class=\"sign-form\""),
            "[{b}] the signed proposal is not proposed again"
        );
        assert!(
            page.contains("Inga nya skattningar sedan planen signerades."),
            "[{b}]"
        );
        let start_page = doctor.get("/start").await.text().await.unwrap();
        assert!(
            !start_page.contains("Testsson951, Testa – förslag"),
            "[{b}] a signed proposal leaves the start page"
        );
        // A reported event no signed plan has seen is on the start page until one is.
        let res = nurse
            .post(
                &scores,
                &[
                    ("instrument", "ciwa-b"),
                    ("observed_on", &today_s),
                    ("total", "10"),
                    ("flag", "patient_asks_pause"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let start_page = nurse.get("/start").await.text().await.unwrap();
        let flagged = start_page
            .split("id=\"work-flagged\"")
            .nth(1)
            .expect("reported events on the start page");
        assert!(
            flagged.contains("Testsson951, Testa – CIWA-B") && flagged.contains("vill pausa"),
            "[{b}] {flagged}"
        );
        // The confirmation is shown once.
        let again = doctor.get(&base).await.text().await.unwrap();
        assert!(
            !again.contains("Förslaget är signerat."),
            "[{b}] shown once"
        );
        // The same form again is stale.
        let res = doctor
            .post(
                &format!("{base}/forslag"),
                &[
                    ("version", "2"),
                    ("adopt_reason", "igen"),
                    ("confirm", "on"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "[{b}]");
    }
}

#[tokio::test]
async fn the_api_covers_the_patients_plan_and_scores() {
    for s in servers().await {
        let b = s.backend;
        let id = support::patient_with_team(&s, 952, &["sjukskoterska", "lakare"]).await;
        let nurse = s.login("sjukskoterska").await;
        let doctor = s.login("lakare").await;
        let plan_url = format!("/api/v1/patients/{id}/taper-plan");
        let start = trappa_app::clock::today()
            .saturating_sub(jiff::Span::new().days(30))
            .to_string();
        let draft = serde_json::json!({
            "version": 0,
            "reason": "Första förslag",
            "request": { "regimen": { "drugs": [ { "substance": "diazepam", "doses": [5, 0, 5] } ] }, "start": start }
        });
        let res = nurse.send_json(Method::POST, &plan_url, &draft).await;
        assert_eq!(res.status(), StatusCode::CREATED, "[{b}]");
        // Bad input names the field; a missing reason too; a stale version is 409.
        let mut bad = draft.clone();
        bad["version"] = 1.into();
        bad["request"]["regimen"]["drugs"][0]["doses"] = serde_json::json!([5, 0]);
        let res = nurse.send_json(Method::POST, &plan_url, &bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!(
            p["errors"][0]["field"], "request.drugs[0].doses",
            "[{b}] {p}"
        );
        let mut no_reason = draft.clone();
        no_reason["version"] = 1.into();
        no_reason["reason"] = "".into();
        let res = nurse.send_json(Method::POST, &plan_url, &no_reason).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let res = nurse.send_json(Method::POST, &plan_url, &draft).await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "[{b}] stale");
        // Only the prescriber signs.
        let sign = serde_json::json!({ "version": 1, "reason": "Signerad" });
        let res = nurse
            .send_json(Method::POST, &format!("{plan_url}/sign"), &sign)
            .await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "[{b}]");
        let res = doctor
            .send_json(Method::POST, &format!("{plan_url}/sign"), &sign)
            .await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
        let plans: serde_json::Value = nurse.get(&plan_url).await.json().await.unwrap();
        assert_eq!(plans["versions"][0]["status"], "active");
        assert_eq!(plans["versions"][0]["signer"], "Maria Ek");
        assert_eq!(
            plans["versions"][0]["plan"]["drugs"][0]["substance"],
            "diazepam"
        );

        // Scores over the API: items scored and banded, a flag from PHQ-9 item 9.
        let scores_url = format!("/api/v1/patients/{id}/scores");
        let today = trappa_app::clock::today().to_string();
        let phq = serde_json::json!({
            "instrument": "phq-9", "observed_on": today,
            "answers": { "kind": "items", "values": [1, 1, 1, 1, 1, 1, 1, 1, 1] }
        });
        let res = nurse.send_json(Method::POST, &scores_url, &phq).await;
        assert_eq!(res.status(), StatusCode::CREATED, "[{b}]");
        let mut bad = phq.clone();
        bad["answers"]["values"][8] = 4.into();
        let res = nurse.send_json(Method::POST, &scores_url, &bad).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "answers.values.q9", "[{b}] {p}");
        let list: serde_json::Value = nurse.get(&scores_url).await.json().await.unwrap();
        assert_eq!(list["scores"][0]["band"], "mild");
        assert_eq!(list["scores"][0]["flags"][0], "suicidal_thoughts");
        // The proposal now carries the urgent flag.
        let page = doctor
            .get(&format!("/patienter/{id}/plan"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Kontakta läkare i dag") && page.contains("suicidtankar"),
            "[{b}]"
        );
    }
}

/// A plan whose diazepam goes above its ceiling (alprazolam 2+2+2 mg switched: 61 mg a
/// day, 31 mg a dose) is signed only with a second, separate confirmation — on the page
/// and over the API — and the draft's warnings say why.
#[tokio::test]
async fn a_dose_above_the_diazepam_ceiling_is_confirmed_separately() {
    for s in servers().await {
        let b = s.backend;
        let id = support::patient_with_team(&s, 953, &["sjukskoterska", "lakare"]).await;
        let nurse = s.login("sjukskoterska").await;
        let doctor = s.login("lakare").await;
        let plan_url = format!("/api/v1/patients/{id}/taper-plan");
        let start = trappa_app::clock::today().to_string();
        let draft = serde_json::json!({
            "version": 0,
            "reason": "Byte till diazepam",
            "request": {
                "regimen": { "drugs": [ { "substance": "alprazolam", "doses": [2, 2, 2] } ] },
                "start": start,
                "substitution": { "interval_weeks": 1 }
            }
        });
        let res = nurse.send_json(Method::POST, &plan_url, &draft).await;
        assert_eq!(res.status(), StatusCode::CREATED, "[{b}]");

        // The page: the warning, and a second checkbox after the first.
        let base = format!("/patienter/{id}/plan");
        let page = doctor.get(&base).await.text().await.unwrap();
        assert!(page.contains("Diazepam når 61 mg om dagen"), "[{b}]");
        let first = page
            .find("name=\"confirm\"")
            .expect("the first confirmation");
        let second = page
            .find("name=\"confirm_high\"")
            .expect("[{b}] the second confirmation");
        assert!(first < second);
        let res = doctor
            .post(
                &format!("{base}/signera"),
                &[
                    ("version", "1"),
                    ("reason", "Genomgånget"),
                    ("confirm", "on"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let refused = res.text().await.unwrap();
        assert!(
            refused.contains("href=\"#confirm_high\"")
                && refused.contains("id=\"confirm_high\"")
                && refused.contains("Bekräfta särskilt dosen över gränsen"),
            "[{b}] the second confirmation asked for"
        );

        // The API: refused without it, naming the field; signed with it.
        let sign = serde_json::json!({ "version": 1, "reason": "Genomgånget" });
        let res = doctor
            .send_json(Method::POST, &format!("{plan_url}/sign"), &sign)
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let p: serde_json::Value = res.json().await.unwrap();
        assert_eq!(p["errors"][0]["field"], "confirm_high", "[{b}] {p}");
        let plans: serde_json::Value = nurse.get(&plan_url).await.json().await.unwrap();
        assert_eq!(
            plans["versions"][0]["status"], "draft",
            "[{b}] nothing signed"
        );
        let mut sign = sign.clone();
        sign["confirm_high_dose"] = true.into();
        let res = doctor
            .send_json(Method::POST, &format!("{plan_url}/sign"), &sign)
            .await;
        assert_eq!(res.status(), StatusCode::OK, "[{b}]");
        let plans: serde_json::Value = nurse.get(&plan_url).await.json().await.unwrap();
        assert_eq!(plans["versions"][0]["status"], "active", "[{b}]");
        assert_eq!(plans["versions"][0]["plan"]["steps"][0]["phase"], "switch");
    }
}

/// The unit sets its own defaults (the pace for opioids) and dose-time rules (night dose
/// last for anxiolytics): refused values are named on their field and everything typed
/// is kept; saved values are shown as the unit's (U) and used by plans that set none.
#[tokio::test]
async fn the_units_defaults_and_dose_time_rules_change_its_plans() {
    for s in servers().await {
        let b = s.backend;
        let doctor = s.login("lakare").await;
        let page = doctor.get("/referensdata").await.text().await.unwrap();
        assert!(
            page.contains("name=\"opioid_percent\"") && page.contains("value=\"10\""),
            "[{b}] the defaults as fields"
        );
        assert!(
            page.contains("name=\"dose_time_anxiolytic\""),
            "[{b}] the dose-time rules"
        );
        let data = trappa_taper::ReferenceData::builtin().unwrap();
        let products: Vec<(&str, &str)> = data
            .products
            .iter()
            .map(|p| ("product", p.id.as_str()))
            .collect();
        let mut fields = vec![
            ("version", "0"),
            ("default_de_table", "ashton"),
            ("default_mme_table", "helsedirektoratet"),
            ("reason", "Enhetens beslut om takt"),
            ("opioid_percent", "30"),
            ("opioid_interval_weeks", "4"),
            ("dose_time_anxiolytic", "night_last"),
        ];
        fields.extend(products.iter().copied());
        let res = doctor.post("/referensdata", &fields).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let html = res.text().await.unwrap();
        assert!(html.contains("href=\"#opioid_percent\""), "[{b}] named");
        assert!(html.contains("mellan 0,5 och 25"), "[{b}] in Swedish");
        assert!(
            html.contains("value=\"30\"") && html.contains("value=\"Enhetens beslut om takt\""),
            "[{b}] what was typed is kept"
        );
        assert!(
            html.contains("<option value=\"night_last\" selected"),
            "[{b}] the chosen rule kept"
        );
        assert_eq!(
            s.store.taper_settings(s.tapering_unit).await.unwrap(),
            None,
            "[{b}] nothing saved"
        );

        fields[4] = ("opioid_percent", "5");
        let res = doctor.post("/referensdata", &fields).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let saved = s
            .store
            .taper_settings(s.tapering_unit)
            .await
            .unwrap()
            .unwrap();
        let settings: trappa_taper::reference::UnitSettings =
            serde_json::from_str(&saved.settings).unwrap();
        assert_eq!(
            settings.rules.into_iter().collect::<Vec<_>>(),
            [(trappa_taper::rules::RuleId::OpioidPercent, 5.0)],
            "[{b}] only what differs from the engine"
        );
        assert_eq!(settings.dose_times.len(), 1, "[{b}]");

        // The rules table shows the unit's value as its own, unverified.
        let page = doctor.get("/referensdata").await.text().await.unwrap();
        let rules = &page[page.find("Standardvärden i beräkningsmotorn").unwrap()..];
        let row = &rules[rules.find("Steg för opioider").unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(
            row.contains("5 %") && row.contains(">U<") && row.contains("Enhetens eget val"),
            "[{b}] {row}"
        );

        // A plan without a pace of its own takes the unit's for opioids.
        let html = doctor
            .get("/nedtrappning?drug1=oxycodone&dose1=20%2B0%2B20&start=2026-12-07")
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Takten är klassens standard: 5\u{a0}% av dosen per 4\u{a0}veckor")
                || html.contains("Takten är klassens standard: 5 % av dosen per 4\u{a0}veckor"),
            "[{b}] the unit's pace"
        );
        // Oxazepam 10+0+0+15: evenly the night's 15 goes first; the unit's rule keeps the
        // night dose last, so the morning's goes first.
        let plan: serde_json::Value = doctor
            .send_json(
                Method::POST,
                "/api/v1/taper/plans",
                &serde_json::json!({
                    "regimen": { "drugs": [ { "substance": "oxazepam", "doses": [10, 0, 0, 15] } ] },
                    "start": "2026-12-07"
                }),
            )
            .await
            .json()
            .await
            .unwrap();
        let first = &plan["steps"][0]["drugs"][0]["doses"];
        assert!(
            first[3]["amount"] == 15.0 && first[0]["amount"].as_f64().unwrap() < 10.0,
            "[{b}] {first}"
        );
    }
}
