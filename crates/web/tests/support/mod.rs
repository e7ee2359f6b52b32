//! A real server on a free port over a fresh database (SQLite, and PostgreSQL when the
//! test script provides one), loaded with the reference units and the demo data, and
//! an HTTP client that signs in and carries cookies and the CSRF token.
//!
//! On PostgreSQL, [`servers`] starts two instances sharing the database, each with its
//! own pools and memory, and every client sends its requests to them in turn — as a
//! load balancer without session affinity would. Whatever an instance keeps only in
//! memory (a session, a CSRF token, a throttle, a job) fails the suite there.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::OnceLock;

use reqwest::StatusCode;
use trappa_store::{Store, Uuid};

/// The demo password hash, computed once per test binary.
pub fn demo_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| trappa_web::hash_password(trappa_data::demo::DEMO_PASSWORD).unwrap())
}

/// A running server.
pub struct TestServer {
    pub backend: &'static str,
    /// The first instance's address.
    pub addr: SocketAddr,
    /// Every instance's address: one, or two sharing PostgreSQL.
    pub addrs: Vec<SocketAddr>,
    pub store: Store,
    pub tapering_unit: Uuid,
    /// The settings every instance runs with.
    pub config: trappa_web::WebConfig,
    /// The last one-time-code step each username has spent here ([`Self::next_code`]).
    spent_steps: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, u64>>>,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A client that is not signed in.
    pub fn anonymous(&self) -> Client {
        Client::new(self)
    }

    /// A client signed in as a demo user, with the demo one-time code when the account
    /// has one (the administrator).
    pub async fn login(&self, username: &str) -> Client {
        let c = Client::new(self);
        let res = c.sign_in(username, trappa_data::demo::DEMO_PASSWORD).await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "[{}] login {username}",
            self.backend
        );
        let to = res.headers()["location"].to_str().unwrap();
        if to.starts_with("/logga-in/totp") {
            let page = c.get("/logga-in/totp").await.text().await.unwrap();
            let csrf = extract_csrf(&page).expect("csrf on the one-time-code page");
            let code = self.next_code(username).await;
            let res = c
                .http
                .post(c.url("/logga-in/totp"))
                .form(&[("csrf", csrf.as_str()), ("code", &code), ("next", "/start")])
                .send()
                .await
                .unwrap();
            assert_eq!(
                res.status(),
                StatusCode::SEE_OTHER,
                "[{}] one-time code of {username}",
                self.backend
            );
        }
        c
    }

    /// A one-time code from the demo key ([`trappa_data::demo::DEMO_TOTP_SECRET`]) that
    /// `username` has not spent here. Each 30-second step's code signs in once; the
    /// server takes the next step's too (a clock a little ahead), so two sign-ins a step
    /// need no wait, and a third waits for the next step.
    pub async fn next_code(&self, username: &str) -> String {
        let totp = totp_rs::Builder::new()
            .with_secret(
                totp_rs::Secret::try_from_base32(trappa_data::demo::DEMO_TOTP_SECRET).unwrap(),
            )
            .build()
            .unwrap();
        loop {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs();
            let current = now / 30;
            let wait = {
                let mut spent = self.spent_steps.lock().unwrap();
                let step = spent.get(username).map_or(current, |&s| current.max(s + 1));
                if step <= current + 1 {
                    spent.insert(username.to_owned(), step);
                    return totp.generate(step * 30).to_string();
                }
                (current + 1) * 30 - now
            };
            tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
        }
    }

    /// The id of a demo account.
    pub async fn account_id(&self, username: &str) -> Uuid {
        self.store
            .credentials(username)
            .await
            .unwrap()
            .unwrap()
            .account
            .id
    }
}

/// Starts one server per available backend, each with the demo data: on SQLite one
/// instance, on PostgreSQL two sharing the database.
pub async fn servers() -> Vec<TestServer> {
    let mut out = vec![start("sqlite", trappa_store::testing::fresh_sqlite().await).await];
    if let Some((first, second)) = trappa_store::testing::fresh_postgres_pair().await {
        let mut server = start("postgres", first).await;
        let config = server.config.clone();
        server.addrs.push(serve(second, config).await);
        out.push(server);
    }
    out
}

/// Starts a server over `store`.
pub async fn start(backend: &'static str, store: Store) -> TestServer {
    start_with(backend, store, trappa_web::WebConfig::local()).await
}

/// [`start`] with settings of the test's own.
pub async fn start_with(
    backend: &'static str,
    store: Store,
    mut config: trappa_web::WebConfig,
) -> TestServer {
    let (unit, _) = trappa_data::reference::load(&store, "Testenheten")
        .await
        .unwrap();
    trappa_data::demo::load(
        &store,
        unit,
        demo_hash(),
        trappa_data::demo::DemoSize::Compact,
    )
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // The identity providers send people back to the address the server listens on.
    config
        .oidc
        .public_url
        .get_or_insert_with(|| format!("http://{addr}"));
    serve_on(listener, store.clone(), config.clone());
    TestServer {
        backend,
        addr,
        addrs: vec![addr],
        store,
        tapering_unit: unit,
        config,
        spent_steps: Default::default(),
    }
}

/// Another instance over `store` with the same settings (the same secret key, as every
/// instance behind one load balancer has); its address.
async fn serve(store: Store, config: trappa_web::WebConfig) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    serve_on(listener, store, config);
    addr
}

fn serve_on(listener: tokio::net::TcpListener, store: Store, config: trappa_web::WebConfig) {
    let app = trappa_web::app(trappa_web::AppState::new(store, config));
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
}

/// An HTTP client with its own cookies; redirects are not followed so tests see them.
/// Each request goes to the next instance in turn (cookies are per host, not port, so
/// the session follows).
pub struct Client {
    bases: Vec<String>,
    next: std::sync::atomic::AtomicUsize,
    pub http: reqwest::Client,
}

impl Client {
    fn new(server: &TestServer) -> Self {
        trappa_web::oidc::install_tls();
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Client {
            bases: server.addrs.iter().map(|a| format!("http://{a}")).collect(),
            next: Default::default(),
            http,
        }
    }

    /// Whether `url` is on one of the instances (not at the identity provider).
    pub fn is_ours(&self, url: &str) -> bool {
        self.bases.iter().any(|b| url.starts_with(b.as_str()))
    }

    /// The address of `path` on the instance whose turn it is.
    pub fn url(&self, path: &str) -> String {
        let turn = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{}{}", self.bases[turn % self.bases.len()], path)
    }

    /// The CSRF token for this client's cookie (read from a page or `/api/v1/me`).
    pub async fn csrf(&self) -> String {
        let me = self.http.get(self.url("/api/v1/me")).send().await.unwrap();
        if me.status() == StatusCode::OK {
            let v: serde_json::Value = me.json().await.unwrap();
            return v["csrf_token"].as_str().unwrap().to_owned();
        }
        let page = self
            .http
            .get(self.url("/logga-in"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        extract_csrf(&page).expect("csrf field on the sign-in page")
    }

    pub async fn sign_in(&self, username: &str, password: &str) -> reqwest::Response {
        let csrf = self.csrf().await;
        self.http
            .post(self.url("/logga-in"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", username),
                ("password", password),
                ("next", "/start"),
            ])
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    /// Posts a form with the CSRF token added.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.http
            .post(self.url(path))
            .form(&all)
            .send()
            .await
            .unwrap()
    }

    /// Sends JSON with the CSRF header.
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        let csrf = self.csrf().await;
        self.http
            .request(method, self.url(path))
            .header("x-csrf-token", csrf)
            .json(body)
            .send()
            .await
            .unwrap()
    }
}

/// The value of the first `name="csrf"` field in a page.
pub fn extract_csrf(html: &str) -> Option<String> {
    html.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(str::to_owned)
}

/// Whether a response sends the browser to sign in.
pub fn is_login_redirect(res: &reqwest::Response) -> bool {
    res.status() == StatusCode::SEE_OTHER
        && res
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/logga-in"))
}

/// Creates a patient (in no queue) whose care team is `members`; returns its id.
pub async fn patient_with_team(server: &TestServer, n: u16, members: &[&str]) -> Uuid {
    patient_named(server, n, &format!("Testsson{n}"), members).await
}

/// [`patient_with_team`] with the family name `family`.
#[allow(dead_code)]
pub async fn patient_named(server: &TestServer, n: u16, family: &str, members: &[&str]) -> Uuid {
    use trappa_store::access_log::{Action, Actor, NewEntry};
    use trappa_store::patients::PatientData;
    let author = server.account_id("koordinator").await;
    let actor = Actor {
        account_id: Some(author),
        username: "koordinator".into(),
        role: Some("coordinator".into()),
        unit_id: None,
        request_id: "test".into(),
        client_ip: None,
        new_role: false,
    };
    let data = PatientData {
        personal_identity: test_identity(n),
        given_name: "Testa".into(),
        family_name: family.to_owned(),
        phone: None,
        email: None,
        address: trappa_store::patients::Address::Known(trappa_store::patients::PostalAddress {
            street: Some("Hemliga vägen 1".into()),
            ..Default::default()
        }),
        home_unit_id: None,
        protected_identity: false,
        synthetic: true,
    };
    let entry = NewEntry::new(&actor, Action::Create, "patient.identity");
    let id = server
        .store
        .create_patient(&data, None, author, "test", &entry)
        .await
        .unwrap();
    for m in members {
        let acc = server.account_id(m).await;
        server
            .store
            .seed_care_team_member(
                id,
                acc,
                trappa_store::care_team::TeamFunction::Other,
                author,
            )
            .await
            .unwrap();
    }
    id
}

/// The access log about one patient, newest first.
pub async fn patient_log(
    server: &TestServer,
    patient: Uuid,
) -> Vec<trappa_store::access_log::Entry> {
    server
        .store
        .search_access_log(&trappa_store::access_log::LogQuery {
            patient_id: Some(patient),
            limit: 10_000,
            ..Default::default()
        })
        .await
        .unwrap()
}

/// The identity number `patient_with_team(_, n, _)` gives its patient.
pub fn test_identity(n: u16) -> trappa_ident::PersonalIdentity {
    trappa_ident::PersonalIdentity::from_parts(
        jiff::civil::date(1955, 3, 14),
        n,
        trappa_ident::IdKind::Personnummer,
    )
    .unwrap()
}

/// A referral from `referrer` for a new patient (identity `test_identity(n)`) in the
/// triage queue, as the referral form would store it. Returns (referral, patient).
pub async fn referral_from(server: &TestServer, n: u16, referrer: &str) -> (Uuid, Uuid) {
    use trappa_store::access_log::{Action, Actor, NewEntry};
    use trappa_store::patients::PatientData;
    use trappa_store::referrals::NewReferral;
    let author = server.account_id(referrer).await;
    let actor = Actor {
        account_id: Some(author),
        username: referrer.into(),
        role: Some("external_referrer".into()),
        unit_id: None,
        request_id: "test".into(),
        client_ip: None,
        new_role: false,
    };
    let data = PatientData {
        personal_identity: test_identity(n),
        given_name: "Remi".into(),
        family_name: format!("Remissdotter{n}"),
        phone: Some("0701234567".into()),
        email: None,
        address: trappa_store::patients::Address::none(),
        home_unit_id: None,
        protected_identity: false,
        synthetic: true,
    };
    let facts = serde_json::to_string(&trappa_triage::Facts {
        age: Some(71),
        drugs: vec![trappa_triage::ReferredDrug {
            substance: "oxazepam".into(),
            daily_dose: Some(30.0),
            months: Some(60),
        }],
        ..Default::default()
    })
    .unwrap();
    let entry = NewEntry::new(&actor, Action::Create, "patient.referral");
    server
        .store
        .create_referral(
            &data,
            &NewReferral {
                facts: &facts,
                details: "{}",
                referrer: author,
                unit: None,
            },
            &entry,
        )
        .await
        .map(|(referral, patient, _)| (referral, patient))
        .unwrap()
}

/// The text of a PDF as `pdftotext` reads it (poppler-utils; `scripts/test.sh` installs
/// it), so a test can check what a reader of the document sees.
pub fn pdf_text(pdf: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("pdftotext")
        .args(["-layout", "-", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("pdftotext (poppler-utils) runs; scripts/test.sh installs it");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext read the PDF");
    String::from_utf8(out.stdout).unwrap()
}

/// English that only a catalogue's fallback or an untranslated reference note would
/// put on a Swedish page.
pub const ENGLISH: [&str; 8] = [
    "no formal licence",
    "not found",
    "statement found",
    " the ",
    " and the ",
    "Unknown",
    "status U",
    "referensdata 20",
];

/// The codes in a text: snake_case words and dotted lower-case codes (web addresses
/// and file names excepted), and numbers in English form (a decimal point, thousands
/// run together).
pub fn codes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in text.split(|c: char| c.is_whitespace() || "()[]{},;:«»\"'!?".contains(c)) {
        let word = raw.trim_end_matches(['.', '…']);
        // Numbers as Swedish writes them: a decimal comma, not a point ("38.5"), and
        // thousands apart ("16 092", not "16092").
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if let Some((whole, fraction)) = word.split_once('.')
            && digits(whole)
            && digits(fraction)
        {
            out.push(format!("{word} (decimal point)"));
            continue;
        }
        if digits(word) && word.len() >= 5 {
            out.push(format!("{word} (thousands not apart)"));
            continue;
        }
        if word.len() < 3 {
            continue;
        }
        let lowerish = word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
        if !lowerish || !word.starts_with(|c: char| c.is_ascii_lowercase()) {
            continue;
        }
        let snake = word.contains('_');
        // Swedish abbreviations ("t.ex", "bl.a", "fr.o.m") are words.
        let abbreviation = word
            .split('.')
            .all(|seg| seg.len() <= 3 && seg.chars().all(char::is_alphabetic));
        let dotted = word.contains('.')
            && !abbreviation
            && !word.starts_with("www.")
            && ![
                ".se", ".nu", ".com", ".org", ".pdf", ".csv", ".ics", ".json",
            ]
            .iter()
            .any(|end| word.ends_with(end));
        if snake || dotted {
            out.push(word.to_owned());
        }
    }
    out
}

/// The names linked in the first table body of a page, in order (a list's rows).
#[allow(dead_code)]
pub fn listed_names(html: &str) -> Vec<String> {
    let body = html.split("<tbody>").nth(1).unwrap_or("");
    let body = body.split("</tbody>").next().unwrap_or("");
    body.split("<tr><td><a href=\"")
        .skip(1)
        .filter_map(|row| {
            let text = row.split_once("\">")?.1;
            Some(text.split_once("</a>")?.0.to_owned())
        })
        .collect()
}

/// The environment variable naming the test identity provider's issuer
/// (`scripts/test.sh` starts npm's oidc-provider and sets it).
pub const OIDC_ENV: &str = "TRAPPA_TEST_OIDC_ISSUER";

/// Settings that sign staff and patients in through the test identity provider, as
/// `scripts/oidc/provider.json` registers Trappa; none when no provider runs (and the
/// test script requires one with `TRAPPA_REQUIRE_OIDC`).
pub fn test_oidc() -> Option<trappa_web::oidc::OidcConfig> {
    let Ok(issuer) = std::env::var(OIDC_ENV) else {
        assert!(
            std::env::var("TRAPPA_REQUIRE_OIDC").is_err(),
            "{OIDC_ENV} is not set, but TRAPPA_REQUIRE_OIDC is"
        );
        return None;
    };
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scripts/oidc/provider.json"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).expect("provider.json")).unwrap();
    let provider = |claim: &str| trappa_web::oidc::Provider {
        issuer: issuer.clone(),
        client_id: v["client"]["client_id"].as_str().unwrap().to_owned(),
        client_secret: v["client"]["client_secret"].as_str().unwrap().into(),
        claim: v[claim].as_str().unwrap().to_owned(),
    };
    Some(trappa_web::oidc::OidcConfig {
        staff: Some(provider("staff_claim")),
        patient: Some(provider("patient_claim")),
        public_url: None,
    })
}

/// Signs in at the test identity provider as `login` (its sign-in and consent forms,
/// submitted as a person would), starting from Trappa's door `path`, and returns
/// Trappa's answer to the provider's redirect back.
pub async fn through_provider(c: &Client, path: &str, login: &str) -> reqwest::Response {
    let mut url = c.url(path);
    let mut form: Option<(String, Vec<(String, String)>)> = None;
    for _ in 0..20 {
        let res = match form.take() {
            Some((action, fields)) => c.http.post(&action).form(&fields).send().await.unwrap(),
            None => c.http.get(&url).send().await.unwrap(),
        };
        let here = res.url().clone();
        if res.status().is_redirection() {
            let to = res.headers()["location"].to_str().unwrap().to_owned();
            let next = here.join(&to).unwrap().to_string();
            if c.is_ours(&next) && next.contains("/logga-in/oidc/svar") {
                return c.http.get(&next).send().await.unwrap();
            }
            url = next;
            continue;
        }
        if c.is_ours(here.as_str()) {
            return res;
        }
        let html = res.text().await.unwrap();
        let action = html
            .split("<form")
            .nth(1)
            .and_then(|f| f.split("action=\"").nth(1))
            .and_then(|a| a.split('"').next())
            .unwrap_or_else(|| panic!("a form at the provider: {html}"));
        let mut fields: Vec<(String, String)> = Vec::new();
        for input in html.split("<input").skip(1) {
            let attr = |name: &str| {
                input
                    .split(&format!("{name}=\""))
                    .nth(1)
                    .and_then(|v| v.split('"').next())
                    .map(str::to_owned)
            };
            if let Some(name) = attr("name") {
                let value = match name.as_str() {
                    "login" => login.to_owned(),
                    "password" => "test".to_owned(),
                    _ => attr("value").unwrap_or_default(),
                };
                fields.push((name, value));
            }
        }
        form = Some((here.join(action).unwrap().to_string(), fields));
    }
    panic!("the provider did not send the browser back to Trappa");
}

/// The test SMTP server's URL, which the test script starts (Python's `aiosmtpd`).
pub const SMTP_ENV: &str = "TRAPPA_TEST_SMTP_URL";
/// The Maildir it delivers into.
pub const SMTP_MAILDIR_ENV: &str = "TRAPPA_TEST_SMTP_MAILDIR";

/// Settings that send e-mail notices through the test SMTP server, and the Maildir it
/// delivers into; none when no server runs (and the test script requires one with
/// `TRAPPA_REQUIRE_SMTP`).
pub fn test_smtp() -> Option<(trappa_web::smtp::SmtpConfig, std::path::PathBuf)> {
    let (Ok(url), Ok(maildir)) = (std::env::var(SMTP_ENV), std::env::var(SMTP_MAILDIR_ENV)) else {
        assert!(
            std::env::var("TRAPPA_REQUIRE_SMTP").is_err(),
            "{SMTP_ENV} is not set, but TRAPPA_REQUIRE_SMTP is"
        );
        return None;
    };
    Some((
        trappa_web::smtp::SmtpConfig {
            url: trappa_web::smtp::SmtpUrl::new(url.as_str().into()),
            from: "Trappa <noreply@trappa.test>".into(),
        },
        maildir.into(),
    ))
}

/// The mails in `maildir` addressed to `to`, as their raw text, waiting up to ten
/// seconds for at least `at_least` of them.
pub async fn mail_to(maildir: &std::path::Path, to: &str, at_least: usize) -> Vec<String> {
    let mut found = Vec::new();
    for _ in 0..100 {
        found = std::fs::read_dir(maildir.join("new"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .filter(|m| m.lines().any(|l| l.starts_with("To: ") && l.contains(to)))
            .collect();
        if found.len() >= at_least {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    found
}

/// The patient record a portal login (`username`) belongs to.
#[allow(dead_code)]
pub async fn patient_of_login(server: &TestServer, username: &str) -> Uuid {
    server
        .store
        .credentials(username)
        .await
        .unwrap()
        .expect("the login exists")
        .account
        .patient_id
        .expect("a patient's login")
}

/// Shares a plan of `patient` with Lilla Edet's social services (the demo's
/// `socialsekreterare` works there): `nurse`, in the care team, starts a SIP naming it
/// and records the patient's consent. Returns the plan's id.
#[allow(dead_code)]
pub async fn share_plan(server: &TestServer, patient: Uuid, nurse: &str) -> Uuid {
    use trappa_app::sip::{self, ConsentInput, PlanInput};
    use trappa_store::access_log::{Action, Actor};
    use trappa_store::sips::{Intervention, Party, SipContent};
    let account = server.account_id(nurse).await;
    let caller = trappa_app::Caller {
        account_id: account,
        role: trappa_policy::Role::Nurse,
        unit_id: Some(server.tapering_unit),
        patient_id: None,
        actor: Actor {
            account_id: Some(account),
            username: nurse.into(),
            role: Some("nurse".into()),
            unit_id: Some(server.tapering_unit),
            request_id: "test".into(),
            client_ip: None,
            new_role: false,
        },
        display_name: nurse.into(),
        locale: trappa_i18n::Locale::Sv,
    };
    let social = server
        .store
        .partner_organisations()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.code == trappa_data::demo::LILLA_EDET_SOCIAL_SERVICES)
        .unwrap()
        .id;
    let sips = sip::open(&server.store, &caller, patient, Action::Create)
        .await
        .unwrap();
    let id = sip::start(
        &server.store,
        &caller,
        &sips,
        &PlanInput {
            partners: vec![social],
            content: SipContent {
                interventions: vec![Intervention {
                    what: "Stöd i hemmet".into(),
                    responsible: Party::Partner(social),
                }],
                lead: Some(Party::Unit),
                ..Default::default()
            },
            meeting_on: String::new(),
            follow_up_on: "2027-03-01".into(),
            reason: "Stöd från socialtjänsten".into(),
        },
    )
    .await
    .unwrap();
    sip::record_consent(
        &server.store,
        &caller,
        &sips,
        &ConsentInput {
            organisation: social,
            given_on: "2026-12-01".into(),
            how: "oral".into(),
            note: String::new(),
        },
    )
    .await
    .unwrap();
    id
}
