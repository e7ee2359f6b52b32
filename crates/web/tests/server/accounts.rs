//! Accounts over real HTTP, on every backend: sign-in with safe cookies and its limits,
//! the second factor, the administrator's accounts, the auditor's search and extract,
//! and the patient's own view of who read their record.

use crate::support;
use reqwest::StatusCode;
use support::{is_login_redirect, patient_with_team, servers};
use trappa_data::demo::DEMO_PASSWORD as PASSWORD;

#[tokio::test]
async fn sign_in_sets_safe_cookies_and_wrong_passwords_are_throttled() {
    for s in servers().await {
        let c = s.anonymous();
        let wrong = c.sign_in("sjukskoterska", "fel lösenord").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "[{}]", s.backend);
        let body = wrong.text().await.unwrap();
        assert!(
            body.contains("Fel användarnamn eller lösenord."),
            "[{}] Swedish message",
            s.backend
        );

        let ok = c
            .sign_in("sjukskoterska", trappa_data::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        let cookie = ok
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|v| v.starts_with("trappa_session="))
            .expect("session cookie");
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
        assert_eq!(c.get("/start").await.status(), StatusCode::OK);

        // Five failures lock the username for a while, even with the right password.
        let other = s.anonymous();
        for _ in 0..5 {
            assert_eq!(
                other.sign_in("lakare", "nej").await.status(),
                StatusCode::UNAUTHORIZED
            );
        }
        let locked = other
            .sign_in("lakare", trappa_data::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(
            locked.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "[{}]",
            s.backend
        );
        assert_eq!(locked.headers()["retry-after"], "900");
        assert!(
            locked
                .text()
                .await
                .unwrap()
                .contains("För många misslyckade försök")
        );

        // An administrator sees the lock on the account and lifts it (logged, confirmed);
        // the right password works again at once.
        let id = s
            .store
            .credentials("lakare")
            .await
            .unwrap()
            .unwrap()
            .account
            .id;
        let admin = s.login("admin").await;
        let edit = format!("/admin/personal/{id}");
        let page = admin.get(&edit).await.text().await.unwrap();
        assert!(
            page.contains("Inloggningen är spärrad"),
            "[{}] {page}",
            s.backend
        );
        let unlock = format!("{edit}/las-upp");
        assert!(page.contains(&format!("action=\"{unlock}\"")), "{page}");
        let lifted = admin.post(&unlock, &[]).await;
        assert_eq!(lifted.status(), StatusCode::SEE_OTHER, "[{}]", s.backend);
        assert_eq!(lifted.headers()["location"], edit.as_str());
        let page = admin.get(&edit).await.text().await.unwrap();
        assert!(page.contains("Spärren är hävd"), "{page}");
        assert!(!page.contains("Inloggningen är spärrad"), "{page}");
        let again = other
            .sign_in("lakare", trappa_data::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(again.status(), StatusCode::SEE_OTHER, "[{}]", s.backend);
        let admin_id = s
            .store
            .credentials("admin")
            .await
            .unwrap()
            .unwrap()
            .account
            .id;
        let logged = s
            .store
            .search_access_log(&trappa_store::access_log::LogQuery {
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap()
            .into_iter()
            .any(|e| {
                e.resource == "staff.sign_in"
                    && e.account_id == Some(admin_id)
                    && e.detail.as_deref() == Some(&format!("unlocked {id}"))
            });
        assert!(
            logged,
            "[{}] the unlock is in the log, by the administrator",
            s.backend
        );
        // A second lift finds nothing to lift, says so and writes nothing.
        let again = admin.post(&unlock, &[]).await;
        assert_eq!(again.status(), StatusCode::SEE_OTHER);
        let page = admin.get(&edit).await.text().await.unwrap();
        assert!(page.contains("inte längre spärrad"), "{page}");

        // Logout ends the session server-side.
        let out = c.post("/logga-ut", &[]).await;
        assert_eq!(out.status(), StatusCode::SEE_OTHER);
        assert!(is_login_redirect(&c.get("/start").await));
    }
}

/// Begins turning TOTP on from *Mitt konto*: the secret the page shows, and its codes.
async fn begin_totp(c: &support::Client) -> (String, totp_rs::Totp) {
    let setup = c.post("/konto/totp/ny", &[]).await.text().await.unwrap();
    let secret = setup
        .split("name=\"secret\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let totp = totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(&secret).unwrap())
        .build()
        .unwrap();
    (secret, totp)
}

#[tokio::test]
async fn totp_second_factor_guards_the_session() {
    for s in servers().await {
        let c = s.login("kurator").await;
        let (secret, totp) = begin_totp(&c).await;
        let wrong = c
            .post(
                "/konto/totp",
                &[
                    ("secret", &secret),
                    ("password", PASSWORD),
                    ("code", "000000"),
                ],
            )
            .await;
        let expected_wrong = if totp.generate_current().to_string() == "000000" {
            StatusCode::SEE_OTHER
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        assert_eq!(wrong.status(), expected_wrong);
        // Enrolled with the previous step's code (a clock a little behind), which is
        // spent by it: the sign-in below takes this step's.
        let previous_step = jiff::Timestamp::now().as_second() as u64 - 30;
        let code = totp.generate(previous_step).to_string();
        assert_eq!(
            c.post(
                "/konto/totp",
                &[("secret", &secret), ("password", PASSWORD), ("code", &code)]
            )
            .await
            .status(),
            StatusCode::SEE_OTHER
        );

        // A new sign-in now stops at the code.
        let fresh = s.anonymous();
        let r = fresh
            .sign_in("kurator", trappa_data::demo::DEMO_PASSWORD)
            .await;
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/logga-in/totp"),
            "[{}]",
            s.backend
        );
        assert!(
            is_login_redirect(&fresh.get("/start").await),
            "no access before the code"
        );
        let page = fresh.get("/logga-in/totp").await.text().await.unwrap();
        let csrf = support::extract_csrf(&page).unwrap();
        let code = totp.generate_current().to_string();
        let done = fresh
            .http
            .post(fresh.url("/logga-in/totp"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("code", code.as_str()),
                ("next", "/start"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), StatusCode::SEE_OTHER);
        assert_eq!(fresh.get("/start").await.status(), StatusCode::OK);

        // The same code cannot be used again (RFC 6238 5.2): a replay is refused.
        let replay = s.anonymous();
        replay
            .sign_in("kurator", trappa_data::demo::DEMO_PASSWORD)
            .await;
        let page = replay.get("/logga-in/totp").await.text().await.unwrap();
        let csrf = support::extract_csrf(&page).unwrap();
        let again = replay
            .http
            .post(replay.url("/logga-in/totp"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("code", code.as_str()),
                ("next", "/start"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            again.status(),
            StatusCode::UNAUTHORIZED,
            "[{}] replayed code accepted",
            s.backend
        );
        assert!(is_login_redirect(&replay.get("/start").await));
    }
}

#[tokio::test]
async fn auditor_finds_accesses_and_exports_the_patients_log() {
    for s in servers().await {
        let patient = patient_with_team(&s, 703, &["lakare"]).await;
        let doctor = s.login("lakare").await;
        assert_eq!(
            doctor.get(&format!("/patienter/{patient}")).await.status(),
            StatusCode::OK
        );
        let auditor = s.login("granskare").await;
        let pnr = support::test_identity(703).to_string();
        let page = auditor
            .get(&format!("/granskning/logg?patient={pnr}"))
            .await;
        assert_eq!(page.status(), StatusCode::OK, "[{}]", s.backend);
        let html = page.text().await.unwrap();
        assert!(
            html.contains("Maria Ek") && html.contains("<td>Översikt</td>"),
            "the doctor's read is listed"
        );
        let csv = auditor
            .get(&format!("/granskning/patienter/{patient}/logg.csv"))
            .await;
        assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
        let text = csv.text().await.unwrap();
        assert!(text.starts_with('\u{feff}') && text.contains("Maria Ek") && text.contains("Läst"));
        let pdf = auditor
            .get(&format!("/granskning/patienter/{patient}/logg.pdf"))
            .await;
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
        // The export is itself logged.
        let log = support::patient_log(&s, patient).await;
        assert!(
            log.iter()
                .any(|e| e.username == "granskare" && e.action == "export")
        );
        // Bad dates are field errors.
        let bad = auditor.get("/granskning/logg?from=2026-13-01").await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.text()
                .await
                .unwrap()
                .contains("Ange datum som ÅÅÅÅ-MM-DD.")
        );
    }
}

#[tokio::test]
async fn the_patient_sees_who_read_their_record() {
    for s in servers().await {
        let c = s.login(trappa_data::demo::DEMO_PATIENT_USERNAME).await;
        let page = c.get("/mina-sidor/logg").await;
        assert_eq!(page.status(), StatusCode::OK, "[{}]", s.backend);
        let html = page.text().await.unwrap();
        // The demo's emergency access by Johan Berg is shown to the patient.
        assert!(html.contains("Johan Berg") && html.contains("Nödåtkomst"));
        let pdf = c.get("/mina-sidor/logg.pdf").await;
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
        // The patient cannot open anyone's record through the staff pages.
        assert_eq!(
            c.get("/patienter?q=anna").await.status(),
            StatusCode::FORBIDDEN
        );
    }
}

#[tokio::test]
async fn admin_manages_accounts_with_stale_edits_refused_and_password_reset() {
    for s in servers().await {
        let admin = s.login("admin").await;
        let bad = admin
            .post(
                "/admin/personal",
                &[
                    ("username", "nyanstalld"),
                    ("display_name", "Ny Anställd"),
                    ("hsa_id", "XX1"),
                    ("password", "kort"),
                    ("role", "nurse"),
                ],
            )
            .await;
        assert_eq!(
            bad.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{}]",
            s.backend
        );
        let html = bad.text().await.unwrap();
        assert!(html.contains("HSA-id ska ha formen") && html.contains("minst 12 tecken"));
        assert!(
            s.store.credentials("nyanstalld").await.unwrap().is_none(),
            "nothing stored"
        );

        let ok = admin
            .post(
                "/admin/personal",
                &[
                    ("username", "nyanstalld"),
                    ("display_name", "Ny Anställd"),
                    ("hsa_id", "SE2321000131-E000000999"),
                    ("password", "ett långt lösenord"),
                    ("role", "nurse"),
                    ("role", "coordinator"),
                ],
            )
            .await;
        assert_eq!(ok.status(), StatusCode::SEE_OTHER);
        let account = s
            .store
            .credentials("nyanstalld")
            .await
            .unwrap()
            .unwrap()
            .account;
        assert_eq!(
            account.roles,
            vec![trappa_policy::Role::Nurse, trappa_policy::Role::Coordinator]
        );
        let user = s.anonymous();
        assert_eq!(
            user.sign_in("nyanstalld", "ett långt lösenord")
                .await
                .status(),
            StatusCode::SEE_OTHER
        );

        // Two administrators edit from the same version: the second is refused.
        let path = format!("/admin/personal/{}", account.id);
        let v = account.version.to_string();
        let edit = |name: &'static str, password: &'static str| {
            vec![
                ("display_name", name),
                ("version", v.as_str()),
                ("role", "nurse"),
                ("active", "on"),
                ("password", password),
            ]
        };
        let first = admin
            .post(&path, &edit("Ny Anställd-Berg", "ett nytt långt lösenord"))
            .await;
        assert_eq!(first.status(), StatusCode::SEE_OTHER, "[{}]", s.backend);
        let second = admin.post(&path, &edit("Fel Namn", "")).await;
        assert_eq!(second.status(), StatusCode::CONFLICT);
        let now = s
            .store
            .credentials("nyanstalld")
            .await
            .unwrap()
            .unwrap()
            .account;
        assert_eq!(now.display_name, "Ny Anställd-Berg");
        assert_eq!(now.roles, vec![trappa_policy::Role::Nurse]);
        // The reset ended the user's session; only the new password works.
        assert!(is_login_redirect(&user.get("/start").await));
        assert_eq!(
            s.anonymous()
                .sign_in("nyanstalld", "ett långt lösenord")
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            s.anonymous()
                .sign_in("nyanstalld", "ett nytt långt lösenord")
                .await
                .status(),
            StatusCode::SEE_OTHER
        );
        // The admin sees no clinical data.
        assert_eq!(
            admin.get("/patienter?q=anna").await.status(),
            StatusCode::FORBIDDEN
        );
    }
}

/// An administrator acts only in a session with two factors (ASVS 4.3.1). The first
/// administrator, made by `trappa create-admin`, has a password alone: the
/// administrator's pages send them to turn a one-time code on, the API refuses with a
/// problem, and once the code is on they can neither act without it nor turn it off.
#[tokio::test]
async fn an_administrator_acts_only_with_two_factors() {
    for s in servers().await {
        let b = s.backend;
        s.store
            .create_account(&trappa_store::accounts::NewAccount {
                username: "ny.admin".into(),
                display_name: "Ny Administratör".into(),
                profession: Some("IT".into()),
                hsa_id: None,
                unit_id: Some(s.tapering_unit),
                patient_id: None,
                partner_organisation_id: None,
                roles: vec![trappa_policy::Role::Admin],
                password_hash: support::demo_hash().to_owned(),
                created_by: None,
            })
            .await
            .unwrap();
        let c = s.anonymous();
        let signed_in = c
            .sign_in("ny.admin", trappa_data::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(signed_in.headers()["location"], "/start", "[{b}]");
        // Every page of the role sends the administrator to their own account, which
        // says why; nothing of the role is shown or done first.
        for path in ["/admin/personal", "/admin/personal/ny"] {
            let page = c.get(path).await;
            assert_eq!(page.status(), StatusCode::SEE_OTHER, "[{b}] {path}");
            assert_eq!(page.headers()["location"], "/konto", "[{b}] {path}");
        }
        let refused = c.post("/admin/personal", &[("username", "smyg")]).await;
        assert_eq!(refused.status(), StatusCode::SEE_OTHER, "[{b}] a save");
        assert_eq!(refused.headers()["location"], "/konto", "[{b}] a save");
        assert!(
            s.store.credentials("smyg").await.unwrap().is_none(),
            "[{b}]"
        );
        let account = c.get("/konto").await.text().await.unwrap();
        assert!(
            account.contains("Administratörens sidor kräver tvåfaktorsinloggning"),
            "[{b}] the account page says why"
        );
        let problem = c
            .http
            .get(c.url("/admin/personal"))
            .header("accept", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(problem.status(), StatusCode::FORBIDDEN, "[{b}]");
        let problem: serde_json::Value = problem.json().await.unwrap();
        // A route the role does not reach is refused as ever, not sent to the code.
        assert_eq!(
            c.get("/patienter").await.status(),
            StatusCode::FORBIDDEN,
            "[{b}]"
        );
        assert_eq!(
            problem["type"], "urn:trappa:problem:second-factor-required",
            "[{b}]"
        );

        // Turning the code on in this session is its second factor: the pages open.
        let (secret, totp) = begin_totp(&c).await;
        let code = totp.generate_current().to_string();
        // The password is asked again: a session alone does not choose the key.
        let no_password = c
            .post("/konto/totp", &[("secret", &secret), ("code", &code)])
            .await;
        assert_eq!(
            no_password.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "[{b}]"
        );
        let enrolled = c
            .post(
                "/konto/totp",
                &[("secret", &secret), ("password", PASSWORD), ("code", &code)],
            )
            .await;
        assert_eq!(enrolled.status(), StatusCode::SEE_OTHER, "[{b}]");
        assert_eq!(
            c.get("/admin/personal").await.status(),
            StatusCode::OK,
            "[{b}]"
        );
        let account = c.get("/konto").await.text().await.unwrap();
        assert!(!account.contains("Administratörens sidor kräver"), "[{b}]");
        assert!(
            !account.contains("action=\"/konto/totp/av\""),
            "[{b}] no form to turn the code off"
        );

        // The code cannot be turned off while the account is an administrator's.
        let off = c
            .post(
                "/konto/totp/av",
                &[("password", trappa_data::demo::DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(off.status(), StatusCode::UNPROCESSABLE_ENTITY, "[{b}]");
        assert!(
            off.text()
                .await
                .unwrap()
                .contains("Som administratör måste du ha tvåfaktorsinloggning"),
            "[{b}]"
        );
        let creds = s.store.credentials("ny.admin").await.unwrap().unwrap();
        assert!(creds.totp_secret.is_some(), "[{b}] still on");

        // And the next sign-in owes the code.
        let next = s.anonymous();
        let owed = next
            .sign_in("ny.admin", trappa_data::demo::DEMO_PASSWORD)
            .await;
        assert!(
            owed.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/logga-in/totp"),
            "[{b}]"
        );
        assert!(
            is_login_redirect(&next.get("/admin/personal").await),
            "[{b}]"
        );
    }
}
