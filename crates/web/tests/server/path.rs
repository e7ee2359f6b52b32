//! The patient's path after triage over HTTP on both databases: the waiting list with
//! its clock, the care team, booking and holding the first assessment, the journal with
//! templates and corrections, moving and cancelling visits, aftercare and discharge.
//! Bad input changes nothing.

use crate::support;

use reqwest::StatusCode;
use support::{Client, TestServer, servers};
use trappa_store::Uuid;

fn days_from_today(n: i64) -> String {
    let t = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * n);
    trappa_app::clock::local_date(t).to_string()
}

async fn text(c: &Client, path: &str) -> String {
    let res = c.get(path).await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "GET {path} → {:?}",
        res.headers().get("location")
    );
    res.text().await.unwrap()
}

/// A referral accepted onto the waiting list; returns the patient.
async fn accepted(s: &TestServer, n: u16, coordinator: &Client) -> Uuid {
    let (referral, patient) = support::referral_from(s, n, "remittent").await;
    let res = coordinator
        .post(
            &format!("/patienter/{patient}/remiss/beslut"),
            &[
                ("referral", &referral.to_string()),
                ("expected", "0"),
                ("decision", "accept"),
                ("reply", "Välkommen."),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "[{}] accept",
        s.backend
    );
    patient
}

fn appointment_ids(html: &str) -> Vec<String> {
    html.match_indices("/journal/ny?besok=")
        .map(|(at, m)| html[at + m.len()..at + m.len() + 36].to_owned())
        .collect()
}

/// The path over the pages, from the waiting list to discharge: booking, the journal,
/// scores, a signed plan, aftercare, follow-ups and the outcome, each step logged. Long by
/// design: a journey whose every step reads what the steps before it left, so it is kept as
/// one story told in order.
#[tokio::test]
async fn from_the_waiting_list_to_discharge() {
    for s in servers().await {
        let b = s.backend;
        let coordinator = s.login("koordinator").await;
        let patient = accepted(&s, 980, &coordinator).await;
        let start = text(&coordinator, "/start").await;
        assert!(
            start.contains("utan bokat nybesök"),
            "[{b}] the waiting list on the start page"
        );
        let list = text(&coordinator, "/vantelista").await;
        assert!(
            list.contains("Remissdotter980")
                && list.contains("dag 0")
                && list.contains("Boka nybesök"),
            "[{b}] on the waiting list with its clock"
        );
        // No care team yet: booking is explained, not offered.
        let visits = text(
            &coordinator,
            &format!("/patienter/{patient}/besok?typ=assessment"),
        )
        .await;
        assert!(visits.contains("inget vårdteam"), "[{b}]");
        // …with the way forward: to the overview's team form, open.
        assert!(
            visits.contains(&format!("href=\"/patienter/{patient}#vardteam-ny\"")),
            "[{b}] a link to assign the team"
        );
        let overview = text(&coordinator, &format!("/patienter/{patient}")).await;
        assert!(
            overview.contains("<details id=\"vardteam-ny\" open"),
            "[{b}] the team form open when there is no team"
        );
        let nurse_id = s.account_id("sjukskoterska").await;
        let physician_id = s.account_id("lakare").await;
        let coordinator_id = s.account_id("koordinator").await;
        // The picker marks which functions each person may hold: the coordinator only
        // "other", the physician prescriber among them.
        let option = |account: Uuid| {
            let at = overview
                .find(&format!("<option value=\"{account}\" data-functions=\""))
                .expect("each clinician offered once");
            let rest = &overview[at..];
            rest[..rest.find('>').unwrap()].to_owned()
        };
        assert!(
            option(coordinator_id).ends_with("data-functions=\"other\""),
            "[{b}]"
        );
        assert!(option(physician_id).contains("prescriber"), "[{b}]");
        assert!(!option(nurse_id).contains("prescriber"), "[{b}]");
        // A coordinator as prescriber is refused, on the page and in the API, naming the
        // field; the team stays empty.
        let misfit = coordinator
            .post(
                &format!("/patienter/{patient}/vardteam"),
                &[
                    ("account_id", &coordinator_id.to_string()),
                    ("function", "prescriber"),
                ],
            )
            .await;
        assert_eq!(misfit.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            misfit
                .text()
                .await
                .unwrap()
                .contains("kan inte vara förskrivande läkare"),
            "[{b}] why, in Swedish"
        );
        let api = coordinator
            .send_json(
                reqwest::Method::POST,
                &format!("/api/v1/patients/{patient}/care-team"),
                &serde_json::json!({ "account_id": coordinator_id, "function": "prescriber" }),
            )
            .await;
        assert_eq!(api.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}] API");
        let problem: serde_json::Value = api.json().await.unwrap();
        assert_eq!(
            problem["errors"][0]["field"], "account_id",
            "[{b}] {problem}"
        );
        let team = text(&coordinator, &format!("/patienter/{patient}")).await;
        assert!(
            team.contains("Inget vårdteam är utsett."),
            "[{b}] nothing stored"
        );
        // The coordinator stays in the team to coordinate once the patient leaves the list.
        for (account, function) in [
            (nurse_id, "fast_vardkontakt"),
            (physician_id, "prescriber"),
            (coordinator_id, "other"),
        ] {
            let res = coordinator
                .post(
                    &format!("/patienter/{patient}/vardteam"),
                    &[("account_id", &account.to_string()), ("function", function)],
                )
                .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] team");
        }
        let overview = text(&coordinator, &format!("/patienter/{patient}")).await;
        let medicines = &overview[overview
            .find("Läkemedel enligt remissen")
            .expect("the referral's medicines")..];
        assert!(
            medicines[..medicines.find("</section>").unwrap()].contains(" DE"),
            "[{b}] the referred dose in diazepam equivalents"
        );
        // A booking in the past, or with someone outside the team, stores nothing.
        let book = |date: String, clinician: Uuid| {
            let c = &coordinator;
            async move {
                c.post(
                    &format!("/patienter/{patient}/besok"),
                    &[
                        ("kind", "assessment"),
                        ("place", "own_vardcentral"),
                        ("date", &date),
                        ("time", "09:30"),
                        ("minutes", "90"),
                        ("clinician", &clinician.to_string()),
                    ],
                )
                .await
            }
        };
        let res = book(days_from_today(-3), nurse_id).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            res.text().await.unwrap().contains("redan passerat"),
            "[{b}]"
        );
        let outsider = s.account_id("kurator").await;
        let res = book(days_from_today(10), outsider).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let res = book(days_from_today(10), nurse_id).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] booked");
        let list = text(&coordinator, "/vantelista").await;
        let row = &list[list.find("Remissdotter980").unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(!row.contains("Boka nybesök"), "[{b}] booked on the list");
        // The clock says the visit is booked, and when; never "book now" for it.
        assert!(
            row.contains(&format!("nybesök bokat {}", days_from_today(10)))
                && !row.contains("boka nu"),
            "[{b}] the clock of a booked patient: {row}"
        );

        // The nurse holds the assessment by writing its note: off the waiting list.
        let nurse = s.login("sjukskoterska").await;
        let visits = text(&nurse, &format!("/patienter/{patient}/besok")).await;
        let ids = appointment_ids(&visits);
        assert_eq!(ids.len(), 1, "[{b}]");
        let form = text(
            &nurse,
            &format!("/patienter/{patient}/journal/ny?besok={}", ids[0]),
        )
        .await;
        assert!(
            form.contains("Abstinensrisk") && form.contains("Patientens mål"),
            "[{b}] the template"
        );
        let res = nurse
            .post(
                &format!("/patienter/{patient}/journal"),
                &[("appointment", &ids[0]), ("version", "1"), ("history", " ")],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] an empty note"
        );
        let res = nurse
            .post(
                &format!("/patienter/{patient}/journal"),
                &[
                    ("appointment", &ids[0]),
                    ("version", "1"),
                    ("history", "Oxazepam i fem år."),
                    ("withdrawal_risk", "Inga kramper."),
                    ("goals", "Läkemedelsfri till sommaren."),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "[{b}] the assessment note"
        );
        // Twice is refused: the visit is held already.
        let res = nurse
            .post(
                &format!("/patienter/{patient}/journal"),
                &[
                    ("appointment", &ids[0]),
                    ("version", "1"),
                    ("history", "igen"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::CONFLICT, "[{b}]");
        let list = text(&coordinator, "/vantelista").await;
        assert!(
            !list.contains("Remissdotter980"),
            "[{b}] off the waiting list"
        );
        let overview = text(&nurse, &format!("/patienter/{patient}")).await;
        assert!(
            overview.contains("Bedömning")
                && overview.contains("Upprätta nedtrappningsplan")
                && overview.contains("Oxazepam i fem år."),
            "[{b}] stage, task and journal on the overview"
        );

        // CBT progress; a session outside the programme is refused.
        for (session, status) in [
            ("9", StatusCode::UNPROCESSABLE_ENTITY),
            ("1", StatusCode::SEE_OTHER),
            ("2", StatusCode::SEE_OTHER),
        ] {
            let res = nurse
                .post(
                    &format!("/patienter/{patient}/journal"),
                    &[
                        ("kind", "cbt_session"),
                        ("session", session),
                        ("module", "Sömn"),
                    ],
                )
                .await;
            assert_eq!(res.status(), status, "[{b}] CBT session {session}");
        }
        let journal = text(&nurse, &format!("/patienter/{patient}/journal")).await;
        assert!(journal.contains("2 av 8 sessioner"), "[{b}] CBT progress");
        assert!(
            journal.contains("Anteckningen är sparad."),
            "[{b}] the save is confirmed"
        );

        // Nothing typed is lost when the visit type changes: "Byt mall" shows the new
        // template with the text kept; saving text under a heading the new template
        // lacks is refused with the text still there; an unknown heading is refused.
        let typed = "Patienten sover bättre, vill fortsätta.";
        let res = nurse
            .post(
                &format!("/patienter/{patient}/journal"),
                &[
                    ("kind", "nurse_review"),
                    ("note", typed),
                    ("action", "switch"),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::OK,
            "[{b}] switching saves nothing"
        );
        let page = res.text().await.unwrap();
        assert!(
            page.contains(typed) && page.contains("name=\"symptoms\""),
            "[{b}] the new template, the text kept"
        );
        let res = nurse
            .post(
                &format!("/patienter/{patient}/journal"),
                &[
                    ("kind", "nurse_review"),
                    ("note", typed),
                    ("symptoms", "Lätt oro"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let page = res.text().await.unwrap();
        assert!(
            page.contains(typed) && page.contains("Lätt oro") && page.contains("href=\"#note\""),
            "[{b}] refused, everything kept"
        );
        let res = nurse
            .post(
                &format!("/patienter/{patient}/journal"),
                &[("kind", "note"), ("note", "x"), ("bogus", "y")],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] unknown heading"
        );
        // A correction needs a reason, and keeps the original.
        let at = journal.find("/rattelse").unwrap();
        let note = &journal[at - 36..at];
        let res = nurse
            .post(
                &format!("/patienter/{patient}/journal/{note}/rattelse"),
                &[
                    ("version", "1"),
                    ("session", "2"),
                    ("module", "Oro"),
                    ("reason", ""),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let res = nurse
            .post(
                &format!("/patienter/{patient}/journal/{note}/rattelse"),
                &[
                    ("version", "1"),
                    ("session", "2"),
                    ("module", "Oro"),
                    ("reason", "Fel modul"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let versions = text(&nurse, &format!("/patienter/{patient}/journal/{note}")).await;
        assert!(
            versions.contains("Sömn") && versions.contains("Oro") && versions.contains("Fel modul"),
            "[{b}] both versions"
        );
        let res = nurse
            .post(
                &format!("/patienter/{patient}/journal/{note}/rattelse"),
                &[
                    ("version", "1"),
                    ("session", "2"),
                    ("module", "X"),
                    ("reason", "Stale"),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::CONFLICT,
            "[{b}] a stale correction"
        );

        // Move a visit, then cancel it; a stale change is refused.
        let res = nurse
            .post(
                &format!("/patienter/{patient}/besok"),
                &[
                    ("kind", "mi_session"),
                    ("place", "video"),
                    ("date", &days_from_today(5)),
                    ("time", "13:00"),
                    ("minutes", "45"),
                    ("clinician", &nurse_id.to_string()),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let visits = text(&nurse, &format!("/patienter/{patient}/besok")).await;
        let mi = appointment_ids(&visits)[0].clone();
        let start = text(&nurse, "/start").await;
        assert!(
            start.contains("Mina besök närmaste veckan") && start.contains("MI-samtal"),
            "[{b}] the week's visits on the start page"
        );
        let change =
            |version: &'static str, status: &'static str, date: String, reason: &'static str| {
                let c = &nurse;
                let path = format!("/patienter/{patient}/besok/{mi}");
                async move {
                    c.post(
                        &path,
                        &[
                            ("version", version),
                            ("status", status),
                            ("date", &date),
                            ("time", "14:00"),
                            ("reason", reason),
                        ],
                    )
                    .await
                }
            };
        assert_eq!(
            change("1", "booked", days_from_today(6), "Patientens önskan")
                .await
                .status(),
            StatusCode::SEE_OTHER,
            "[{b}]"
        );
        assert_eq!(
            change("1", "cancelled", days_from_today(6), "Sjuk")
                .await
                .status(),
            StatusCode::CONFLICT,
            "[{b}]"
        );
        assert_eq!(
            change("2", "cancelled", days_from_today(6), "")
                .await
                .status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}]"
        );
        assert_eq!(
            change("2", "cancelled", days_from_today(6), "Sjuk")
                .await
                .status(),
            StatusCode::SEE_OTHER,
            "[{b}]"
        );
        let visits = text(&nurse, &format!("/patienter/{patient}/besok")).await;
        assert!(
            visits.contains("Avbokad") && visits.contains("Sjuk"),
            "[{b}]"
        );

        // Aftercare: a schedule ending before six months is refused.
        let start = |months: &'static str| {
            let c = &nurse;
            let date = days_from_today(-200);
            async move {
                c.post(
                    &format!("/patienter/{patient}/eftervard"),
                    &[("form", "start"), ("date", &date), ("months", months)],
                )
                .await
            }
        };
        assert_eq!(
            start("1, 3").await.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}]"
        );
        assert_eq!(
            start("1, 3, 6").await.status(),
            StatusCode::SEE_OTHER,
            "[{b}]"
        );
        assert_eq!(
            start("1, 3, 6").await.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] once"
        );
        let after = text(&nurse, &format!("/patienter/{patient}/eftervard")).await;
        assert_eq!(
            after.matches("försenad").count(),
            3,
            "[{b}] three overdue follow-ups"
        );
        for month in ["1", "3", "6"] {
            let res = nurse
                .post(
                    &format!("/patienter/{patient}/eftervard"),
                    &[
                        ("form", "follow_up"),
                        ("month", month),
                        ("date", &days_from_today(-1)),
                        ("relapse", "no"),
                        ("note", "Mår bra"),
                    ],
                )
                .await;
            assert_eq!(
                res.status(),
                StatusCode::SEE_OTHER,
                "[{b}] follow-up {month}"
            );
        }
        let res = nurse
            .post(
                &format!("/patienter/{patient}/eftervard"),
                &[
                    ("form", "follow_up"),
                    ("month", "1"),
                    ("date", &days_from_today(-1)),
                ],
            )
            .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] a follow-up twice"
        );
        // A reduction outside 0–100 % is refused; drug-free after six months is accepted.
        let discharge = |outcome: &'static str, percent: &'static str| {
            let c = &nurse;
            async move {
                c.post(
                    &format!("/patienter/{patient}/eftervard"),
                    &[
                        ("form", "discharge"),
                        ("outcome", outcome),
                        ("percent", percent),
                        ("date", &days_from_today(0)),
                        ("note", "Avslutad"),
                    ],
                )
                .await
            }
        };
        assert_eq!(
            discharge("reduced", "120").await.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}]"
        );
        assert_eq!(
            discharge("drug_free", "").await.status(),
            StatusCode::SEE_OTHER,
            "[{b}]"
        );
        let overview = text(&nurse, &format!("/patienter/{patient}")).await;
        assert!(
            overview.contains("Utskriven") && overview.contains("Läkemedelsfri"),
            "[{b}]"
        );

        // Hand-over: the nurse's function moves to another nurse in one step.
        let nurse2 = s.account_id("sjukskoterska2").await;
        let team = text(&coordinator, &format!("/patienter/{patient}")).await;
        let nurse_row = team.find("Fast vårdkontakt").unwrap();
        let at = nurse_row + team[nurse_row..].find("/overlamna").unwrap();
        let member = &team[at - 36..at];
        let res = coordinator
            .post(
                &format!("/patienter/{patient}/vardteam/{member}/overlamna"),
                &[("account_id", &nurse2.to_string())],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}] hand-over");
        let overview = text(&coordinator, &format!("/patienter/{patient}")).await;
        let team = &overview[overview.find("id=\"team-h\"").unwrap()..];
        let team = &team[..team.find("</table>").unwrap()];
        assert_eq!(
            team.matches("Fast vårdkontakt").count(),
            2,
            "[{b}] the old and the new membership"
        );
        assert_eq!(
            team.matches("/overlamna").count(),
            3,
            "[{b}] only current members can be handed over: the new nurse, the prescriber, the coordinator"
        );
    }
}

#[tokio::test]
async fn a_drug_free_discharge_waits_six_months() {
    for s in servers().await {
        let b = s.backend;
        let coordinator = s.login("koordinator").await;
        let patient = accepted(&s, 981, &coordinator).await;
        let nurse_id = s.account_id("sjukskoterska").await;
        coordinator
            .post(
                &format!("/patienter/{patient}/vardteam"),
                &[
                    ("account_id", &nurse_id.to_string()),
                    ("function", "fast_vardkontakt"),
                ],
            )
            .await;
        let nurse = s.login("sjukskoterska").await;
        // Without aftercare, no drug-free discharge; dropping out is possible any time.
        let post = |fields: Vec<(&'static str, String)>| {
            let c = &nurse;
            async move {
                let f: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                c.post(&format!("/patienter/{patient}/eftervard"), &f).await
            }
        };
        let res = post(vec![
            ("form", "discharge".into()),
            ("outcome", "drug_free".into()),
            ("date", days_from_today(0)),
        ])
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        let res = post(vec![
            ("form", "start".into()),
            ("date", days_from_today(-30)),
            ("months", "1, 3, 6".into()),
        ])
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let res = post(vec![
            ("form", "discharge".into()),
            ("outcome", "drug_free".into()),
            ("date", days_from_today(0)),
        ])
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            res.text().await.unwrap().contains("tidigast"),
            "[{b}] the earliest date named"
        );
        let res = post(vec![
            ("form", "discharge".into()),
            ("outcome", "dropped_out".into()),
            ("date", days_from_today(0)),
        ])
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "[{b}]");
        let res = post(vec![
            ("form", "discharge".into()),
            ("outcome", "deceased".into()),
            ("date", days_from_today(0)),
        ])
        .await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}] discharged once"
        );
    }
}
