//! A patient's taper plan over HTTP: drafted, signed by the prescriber and kept in
//! versions; the engine's proposal from the scores signed as a new plan; the plan and
//! scores over the API; a dose above a safety ceiling confirmed separately.

use crate::support;
use reqwest::{Method, StatusCode};
use support::servers;

/// A patient's plan is drafted, signed by the prescriber after seeing it whole, and kept in
/// versions. Long by design: a journey whose every step reads what the steps before it
/// left, so it is kept as one story told in order.
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
                    ("reports_seen", &reports_seen(&page)),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let res = doctor
            .post(
                &format!("{base}/signera"),
                &[
                    ("version", "1"),
                    ("reason", "igen"),
                    ("confirm", "on"),
                    ("reports_seen", &reports_seen(&page)),
                ],
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

/// A score feeds the engine's proposal, which the prescriber signs, as it was shown, as the
/// new plan. Long by design: a journey whose every step reads what the steps before it
/// left, so it is kept as one story told in order.
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
        let page = doctor.get(&base).await.text().await.unwrap();
        let res = doctor
            .post(
                &format!("{base}/signera"),
                &[
                    ("version", "1"),
                    ("reason", "Signerad"),
                    ("confirm", "on"),
                    ("reports_seen", &reports_seen(&page)),
                ],
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
                    ("reports_seen", &reports_seen(&page)),
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
                    ("reports_seen", &reports_seen(&page)),
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
        // Only the prescriber signs, naming the reports the plan showed.
        let shown: serde_json::Value = doctor.get(&plan_url).await.json().await.unwrap();
        let sign = serde_json::json!({
            "version": 1, "reason": "Signerad", "reports_seen": shown["reports_seen"]
        });
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
                    ("reports_seen", &reports_seen(&page)),
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
        let shown: serde_json::Value = doctor.get(&plan_url).await.json().await.unwrap();
        let sign = serde_json::json!({
            "version": 1, "reason": "Genomgånget", "reports_seen": shown["reports_seen"]
        });
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

/// The patient's reports a plan page's signing form says it showed.
fn reports_seen(page: &str) -> String {
    page.split("name=\"reports_seen\" value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .expect("the signing form names the reports shown")
        .to_owned()
}
