//! Nothing acknowledged is lost: writes of every kind go through the JSON API of a real
//! `trappa serve` while the process is killed with SIGKILL at random moments. After each
//! restart, every write the server acknowledged is there with its access-log entry, and
//! nothing is half-written: each kind of record has exactly as many rows as the log has
//! successful writes of it. On SQLite and on a PostgreSQL cluster with fsync on, which is
//! then itself crashed and restarted under the running server (503 with a Swedish page
//! meanwhile, then service again without a restart of Trappa).

mod support;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::RngExt;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Api, Postgres, TempDir, Trappa, days_from_today, identity, sign_a_plan};

/// How long the kill rounds run per backend (the demo load and the checks come on top).
const KILL_SECONDS: u64 = 20;

/// One write the server acknowledged (2xx).
#[derive(Debug, Clone)]
struct Ack {
    kind: Kind,
    request_id: String,
    /// The created record's id, or the signed plan version.
    id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Note,
    Score,
    Booking,
    Referral,
    Signature,
}

const KINDS: [Kind; 5] = [
    Kind::Note,
    Kind::Score,
    Kind::Booking,
    Kind::Referral,
    Kind::Signature,
];

/// The signed-in staff.
#[derive(Clone)]
struct Staff {
    nurse: Api,
    physician: Api,
    coordinator: Api,
    referrer: Api,
    auditor: Api,
    nurse_id: String,
}

impl Staff {
    async fn sign_in(base: &str) -> Staff {
        let nurse = Api::login(base, "sjukskoterska").await.unwrap();
        let nurse_id = nurse.get("/api/v1/me").await["account_id"]
            .as_str()
            .unwrap()
            .to_owned();
        Staff {
            nurse,
            physician: Api::login(base, "lakare").await.unwrap(),
            coordinator: Api::login(base, "koordinator").await.unwrap(),
            referrer: Api::login(base, "remittent").await.unwrap(),
            auditor: Api::login(base, "granskare").await.unwrap(),
            nurse_id,
        }
    }
}

/// The test's own patients: one for notes, scores and bookings, one for plan signatures
/// (a score arriving between reading and signing a plan refuses the signature).
struct Patients {
    record: String,
    plan: String,
}

async fn set_up_patients(staff: &Staff) -> Patients {
    let physician_id = staff.physician.get("/api/v1/me").await["account_id"].clone();
    let mut ids = Vec::new();
    for (n, family) in [(1, "Kraschsson"), (2, "Kraschdotter")] {
        let a = staff
            .coordinator
            .send(
                Method::POST,
                "/api/v1/patients",
                &json!({ "personal_identity": identity(n), "given_name": "Test", "family_name": family, "protected_identity": false }),
            )
            .await
            .unwrap();
        assert_eq!(a.status, StatusCode::CREATED, "patient: {}", a.body);
        let id = a.body["id"].as_str().unwrap().to_owned();
        for (account, function) in [
            (json!(staff.nurse_id), "fast_vardkontakt"),
            (physician_id.clone(), "prescriber"),
        ] {
            let a = staff
                .coordinator
                .send(
                    Method::POST,
                    &format!("/api/v1/patients/{id}/care-team"),
                    &json!({ "account_id": account, "function": function }),
                )
                .await
                .unwrap();
            assert_eq!(a.status, StatusCode::CREATED, "care team: {}", a.body);
        }
        ids.push(id);
    }
    Patients {
        plan: ids.pop().unwrap(),
        record: ids.pop().unwrap(),
    }
}

/// Writes of one kind until the server stops answering, or answers that its database
/// does (503); each acknowledged write is kept.
async fn write_until_killed(
    kind: Kind,
    staff: Staff,
    patient: String,
    first: u32,
    acks: Arc<Mutex<Vec<Ack>>>,
) {
    let mut n = first;
    loop {
        n += 1;
        let done = match kind {
            Kind::Note => {
                let path = format!("/api/v1/patients/{patient}/journal");
                let body = json!({ "kind": "note", "fields": { "note": format!("Krasch {n}") } });
                staff.nurse.send(Method::POST, &path, &body).await
            }
            Kind::Score => {
                let path = format!("/api/v1/patients/{patient}/scores");
                let total = f64::from(n % 40);
                let body = json!({ "instrument": "ciwa-b", "observed_on": days_from_today(0), "answers": { "kind": "total", "total": total } });
                staff.nurse.send(Method::POST, &path, &body).await
            }
            Kind::Booking => {
                let path = format!("/api/v1/patients/{patient}/appointments");
                let date = days_from_today(1 + i64::from(n % 300));
                let time = format!("{:02}:{:02}", 8 + n % 8, (n % 4) * 15);
                let body = json!({ "kind": "follow_up", "place": "base", "date": date, "time": time, "minutes": 15, "clinician": staff.nurse_id });
                staff.coordinator.send(Method::POST, &path, &body).await
            }
            Kind::Referral => {
                let body = json!({
                    "personal_identity": identity(100 + (n % 800) as u16), "given_name": "Remiss", "family_name": format!("Krasch{n}"),
                    "drugs": [{ "substance": "oxazepam", "daily_dose": 30.0, "months": 48 }], "comorbidities": "Inga"
                });
                staff
                    .referrer
                    .send(Method::POST, "/api/v1/referrals", &body)
                    .await
            }
            Kind::Signature => sign_a_plan(&staff.physician, &patient, n).await,
        };
        let Ok(answer) = done else { return };
        if answer.status.is_success() {
            let id = match kind {
                Kind::Signature => answer.body["version"].to_string(),
                _ => answer.body["id"].as_str().unwrap_or_default().to_owned(),
            };
            acks.lock().unwrap().push(Ack {
                kind,
                request_id: answer.request_id,
                id,
            });
        } else if answer.status == StatusCode::SERVICE_UNAVAILABLE {
            return;
        } else if answer.status.is_server_error() {
            panic!("{kind:?}: {} {}", answer.status, answer.body);
        }
    }
}

/// The access log since `after` (entry id), read by the auditor through the API.
async fn log_since(auditor: &Api, after: i64) -> Vec<Value> {
    let mut out = Vec::new();
    let mut before = i64::MAX;
    loop {
        let page = auditor
            .get(&format!("/api/v1/access-log?limit=1000&before={before}"))
            .await;
        let entries = page["entries"].as_array().cloned().unwrap_or_default();
        let last = entries.last().and_then(|e| e["id"].as_i64());
        let done = entries.len() < 1000 || last.is_none_or(|id| id <= after);
        out.extend(
            entries
                .into_iter()
                .filter(|e| e["id"].as_i64() > Some(after)),
        );
        match last {
            Some(id) if !done => before = id,
            _ => return out,
        }
    }
}

/// The ids present now of one kind for the test's patients.
async fn present(staff: &Staff, kind: Kind, patient: &str, acks: &[Ack]) -> HashSet<String> {
    let list = |v: &Value, key: &str| -> HashSet<String> {
        v[key]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    match kind {
        Kind::Note => {
            let v = staff
                .nurse
                .get(&format!("/api/v1/patients/{patient}/journal"))
                .await;
            list(&v, "notes")
        }
        Kind::Score => {
            let v = staff
                .nurse
                .get(&format!("/api/v1/patients/{patient}/scores"))
                .await;
            list(&v, "scores")
        }
        Kind::Booking => {
            let v = staff
                .coordinator
                .get(&format!("/api/v1/patients/{patient}/appointments"))
                .await;
            list(&v, "appointments")
        }
        Kind::Referral => {
            let mut found = HashSet::new();
            for a in acks.iter().filter(|a| a.kind == Kind::Referral) {
                let path = format!("/api/v1/referrals/{}", a.id);
                let got = staff.referrer.send(Method::GET, &path, &Value::Null).await;
                if got.is_ok_and(|g| g.status == StatusCode::OK) {
                    found.insert(a.id.clone());
                }
            }
            found
        }
        Kind::Signature => {
            let v = staff
                .physician
                .get(&format!("/api/v1/patients/{patient}/taper-plan"))
                .await;
            v["versions"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter(|x| !x["signer"].is_null())
                        .map(|x| x["version"].to_string())
                        .collect()
                })
                .unwrap_or_default()
        }
    }
}

/// The log's successful writes of one kind: its resource and actions.
fn is_write_of(kind: Kind, entry: &Value) -> bool {
    let (resource, actions): (&str, &[&str]) = match kind {
        Kind::Note => ("patient.journal", &["create"]),
        Kind::Score => ("patient.scores", &["create"]),
        Kind::Booking => ("patient.visits", &["create"]),
        Kind::Referral => ("patient.referral", &["create"]),
        // A draft and a signature are both changes of the plan.
        Kind::Signature => ("patient.taper_plan", &["update"]),
    };
    entry["outcome"] == "allowed"
        && entry["resource"] == resource
        && actions.contains(&entry["action"].as_str().unwrap_or(""))
}

/// How many acknowledged writes are there with their log entries (each one missing is
/// printed); asserts that records and logged writes are as many.
async fn verify(
    backend: &str,
    staff: &Staff,
    patients: &Patients,
    acks: &[Ack],
    after: i64,
) -> usize {
    let log = log_since(&staff.auditor, after).await;
    let logged: HashMap<&str, &Value> = log
        .iter()
        .filter(|e| e["outcome"] == "allowed")
        .filter_map(|e| Some((e["request_id"].as_str()?, e)))
        .collect();
    let mut found = 0;
    for kind in KINDS {
        let patient = if kind == Kind::Signature {
            &patients.plan
        } else {
            &patients.record
        };
        let here = present(staff, kind, patient, acks).await;
        let of_kind: Vec<&Ack> = acks.iter().filter(|a| a.kind == kind).collect();
        // Counted, not asserted one by one: the report says how many of how many.
        for a in &of_kind {
            let entry = logged.get(a.request_id.as_str());
            if !here.contains(&a.id) {
                eprintln!("[{backend}] acknowledged {a:?} is gone");
            } else if !entry.is_some_and(|e| is_write_of(kind, e)) {
                eprintln!(
                    "[{backend}] acknowledged {a:?} has no log entry of its write: {entry:?}"
                );
            } else {
                found += 1;
            }
        }
        // Nothing half-written: as many records as logged writes, counting those whose
        // answer the kill cut off. (A referral names a new patient each, and a plan's
        // draft and signature are logged alike: those are checked by acknowledgement.)
        let writes = log.iter().filter(|e| is_write_of(kind, e)).count();
        if matches!(kind, Kind::Note | Kind::Score | Kind::Booking) {
            assert_eq!(
                here.len(),
                writes,
                "[{backend}] {kind:?}: records and logged writes differ"
            );
        }
        assert!(
            writes >= of_kind.len(),
            "[{backend}] {kind:?}: fewer logged writes than acknowledged"
        );
    }
    found
}

/// The writers of every kind, one task each.
fn writers(
    staff: &Staff,
    patients: &Patients,
    first: u32,
    acks: &Arc<Mutex<Vec<Ack>>>,
) -> Vec<tokio::task::JoinHandle<()>> {
    KINDS
        .iter()
        .map(|&kind| {
            let patient = if kind == Kind::Signature {
                patients.plan.clone()
            } else {
                patients.record.clone()
            };
            tokio::spawn(write_until_killed(
                kind,
                staff.clone(),
                patient,
                first,
                acks.clone(),
            ))
        })
        .collect()
}

/// What a run left to check further.
struct Run {
    server: Trappa,
    staff: Staff,
    patients: Patients,
    acks: Arc<Mutex<Vec<Ack>>>,
    /// The last log entry before the test's writes.
    after: i64,
}

/// Kill rounds against one backend: writers of every kind, SIGKILL at a random moment,
/// restart, check; for [`KILL_SECONDS`].
async fn kill_rounds(backend: &str, url: &str, dir: &std::path::Path) -> Run {
    support::run_trappa(url, dir, &["demo"]);
    let port = support::free_port();
    let mut server = Trappa::start(url, dir, port).await;
    let staff = Staff::sign_in(&server.base).await;
    let patients = set_up_patients(&staff).await;
    let after = staff.auditor.get("/api/v1/access-log?limit=1").await["entries"][0]["id"]
        .as_i64()
        .unwrap();
    let acks = Arc::new(Mutex::new(Vec::new()));
    let end = Instant::now() + Duration::from_secs(KILL_SECONDS);
    let mut kills = 0;
    let mut round = 0u32;
    while Instant::now() < end {
        round += 1;
        let writers = writers(&staff, &patients, round * 10_000, &acks);
        let wait = rand::rng().random_range(200..1500);
        tokio::time::sleep(Duration::from_millis(wait)).await;
        server.kill();
        kills += 1;
        for w in writers {
            w.await.unwrap();
        }
        server = Trappa::start(url, dir, port).await;
        let now: Vec<Ack> = acks.lock().unwrap().clone();
        let found = verify(backend, &staff, &patients, &now, after).await;
        println!(
            "[{backend}] kill {kills} after {wait} ms: acknowledged {}, found {found}",
            now.len()
        );
        assert_eq!(found, now.len());
    }
    let all = acks.lock().unwrap().clone();
    for kind in KINDS {
        assert!(
            all.iter().any(|a| a.kind == kind),
            "[{backend}] no {kind:?} was acknowledged in {kills} rounds"
        );
    }
    Run {
        server,
        staff,
        patients,
        acks,
        after,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill_on_sqlite() {
    let dir = TempDir::new("trappa-crash-sqlite");
    let url = format!("sqlite://{}/trappa.db", dir.0.display());
    let run = kill_rounds("sqlite", &url, &dir.0).await;
    println!(
        "[sqlite] all {} acknowledged writes found",
        run.acks.lock().unwrap().len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill_and_a_postgres_crash() {
    let dir = TempDir::new("trappa-crash-pg");
    let Some(pg) = Postgres::start(&dir.0) else {
        return;
    };
    let Run {
        server,
        staff,
        patients,
        acks,
        after,
    } = kill_rounds("postgres", &pg.url, &dir.0).await;

    // PostgreSQL crashes under the running server while it writes: what was acknowledged
    // must survive its recovery (fsync on), and pages say in Swedish, with 503, that the
    // database cannot be reached.
    let running = writers(&staff, &patients, 900_000, &acks);
    let wait = rand::rng().random_range(200..1500);
    tokio::time::sleep(Duration::from_millis(wait)).await;
    pg.crash();
    for w in running {
        w.await.unwrap();
    }
    let res = staff.nurse.get_page("/start").await.unwrap();
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(res.headers().contains_key("retry-after"));
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Trappa når inte sin databas just nu"),
        "{page}"
    );
    let path = format!("/api/v1/patients/{}/journal", patients.record);
    let api = staff
        .nurse
        .send(Method::GET, &path, &Value::Null)
        .await
        .unwrap();
    assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(api.body["status"], 503, "problem+json: {}", api.body);

    // It comes back; Trappa serves again without a restart, and recovery lost nothing.
    pg.restart();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let res = staff.nurse.get_page("/start").await.unwrap();
        if res.status() == StatusCode::OK {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no recovery: {}",
            server.log_text()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let acks = acks.lock().unwrap().clone();
    let found = verify("postgres", &staff, &patients, &acks, after).await;
    println!(
        "[postgres] crashed after {wait} ms of writes, recovered: acknowledged {}, found {found}",
        acks.len()
    );
    assert_eq!(found, acks.len());
}

/// The disk under SQLite fills up: writes are refused with a clear 503 (never a 500),
/// nothing acknowledged is lost, the database stays whole, and once space is freed the
/// server writes and serves again without a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_disk_refuses_writes_then_recovers_on_sqlite() {
    let dir = TempDir::new("trappa-disk-full");
    let Some(disk) = support::SmallDisk::mount(&dir.0.join("disk"), 48) else {
        return;
    };
    let url = format!("sqlite://{}/trappa.db", disk.path.display());
    support::run_trappa(&url, &dir.0, &["demo"]);
    let mut server = Trappa::start(&url, &dir.0, support::free_port()).await;
    let staff = Staff::sign_in(&server.base).await;
    let patients = set_up_patients(&staff).await;
    let after = staff.auditor.get("/api/v1/access-log?limit=1").await["entries"][0]["id"]
        .as_i64()
        .unwrap();
    let note = |n: u32| json!({ "kind": "note", "fields": { "note": format!("Full disk {n}: {}", "x".repeat(3000)) } });
    let path = format!("/api/v1/patients/{}/journal", patients.record);
    let mut acks = Vec::new();
    let mut keep = |a: support::Answer| {
        acks.push(Ack {
            kind: Kind::Note,
            request_id: a.request_id,
            id: a.body["id"].as_str().unwrap().to_owned(),
        })
    };
    for n in 0..5 {
        let a = staff
            .nurse
            .send(Method::POST, &path, &note(n))
            .await
            .unwrap();
        assert_eq!(a.status, StatusCode::CREATED);
        keep(a);
    }

    disk.fill();
    let mut refused = None;
    for n in 5..2000 {
        let a = staff
            .nurse
            .send(Method::POST, &path, &note(n))
            .await
            .unwrap();
        match a.status {
            StatusCode::CREATED => keep(a),
            StatusCode::SERVICE_UNAVAILABLE => {
                refused = Some(a);
                break;
            }
            other => panic!(
                "a write on a full disk answered {other}: {}\n{}",
                a.body,
                server.log_text()
            ),
        }
    }
    let refused = refused.expect("writes were refused once the disk was full");
    assert_eq!(
        refused.body["title"],
        "Trappa kan inte spara just nu",
        "{}\n{}",
        refused.body,
        server.log_text()
    );
    let page = staff.nurse.get_page("/start").await.unwrap();
    assert!(
        matches!(
            page.status(),
            StatusCode::OK | StatusCode::SERVICE_UNAVAILABLE
        ),
        "a page on a full disk: {}",
        page.status()
    );

    disk.free();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let a = staff
            .nurse
            .send(Method::POST, &path, &note(9999))
            .await
            .unwrap();
        if a.status == StatusCode::CREATED {
            keep(a);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no recovery: {} {}",
            a.status,
            server.log_text()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let found = verify("sqlite", &staff, &patients, &acks, after).await;
    println!(
        "[sqlite] disk full after {} notes; after freeing: acknowledged {}, found {found}",
        acks.len() - 1,
        acks.len()
    );
    assert_eq!(found, acks.len());

    server.kill();
    let store = trappa_store::Store::connect(
        &trappa_store::DatabaseUrl::parse(&url).unwrap(),
        &trappa_store::PoolSettings::default(),
    )
    .await
    .unwrap();
    assert_eq!(store.check_integrity().await.unwrap(), Vec::<String>::new());
}
