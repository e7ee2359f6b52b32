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

/// The unit's choices of products and tables are versions, and they change the plans it
/// proposes. Long by design: a journey whose every step reads what the steps before it
/// left, so it is kept as one story told in order.
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
