//! Backup and restore on both databases: a backup taken while the server writes is
//! restored into an empty database, equal table by table, and the restored database
//! serves; a restore that differs from its backup's manifest is refused, naming the table.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use reqwest::{Method, StatusCode};
use serde_json::json;
use support::{Api, TempDir, Trappa};

fn identity(n: u16) -> String {
    support::identity_born(jiff::civil::date(1958, 9, 2), n)
}

/// Referrals, one after another, until told to stop; how many were acknowledged.
async fn refer_until(referrer: Api, stop: Arc<AtomicBool>, done: Arc<AtomicUsize>) {
    let mut n = 0u16;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let body = json!({
            "personal_identity": identity(n % 900), "given_name": "Backup", "family_name": format!("Under{n}"),
            "drugs": [{ "substance": "zolpidem", "daily_dose": 10.0, "months": 24 }], "comorbidities": "Inga"
        });
        let a = referrer
            .send(Method::POST, "/api/v1/referrals", &body)
            .await
            .unwrap();
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        done.fetch_add(1, Ordering::Relaxed);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_serving_restores_equal_on_both_databases() {
    let dir = TempDir::new("trappa-backup");
    let d = dir.0.display();
    let mut cases = vec![(
        "sqlite",
        format!("sqlite://{d}/source.db"),
        format!("sqlite://{d}/restored.db"),
        format!("sqlite://{d}/tampered.db"),
    )];
    if let Some(source) = trappa_store::testing::fresh_postgres_url().await {
        let empty = || async {
            trappa_store::testing::fresh_postgres_url()
                .await
                .unwrap()
                .expose()
                .to_owned()
        };
        cases.push((
            "postgres",
            source.expose().to_owned(),
            empty().await,
            empty().await,
        ));
    }
    // A mistyped path is an error, not an empty database backed up or checked.
    let missing = format!("sqlite://{d}/no-such.db");
    let to = format!("{d}/never.backup");
    for args in [&["check"][..], &["backup", "--to", &to][..]] {
        let (ok, out) = support::trappa(&missing, &dir.0, args);
        assert!(!ok && out.contains("does not exist"), "{args:?}: {out}");
    }
    assert!(!std::path::Path::new(&format!("{d}/no-such.db")).exists());

    for (backend, source, restored, tampered) in cases {
        support::run_trappa(&source, &dir.0, &["demo"]);
        let server = Trappa::start(&source, &dir.0, support::free_port()).await;
        let referrer = Api::login(&server.base, "remittent").await.unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let written = Arc::new(AtomicUsize::new(0));
        let writing = tokio::spawn(refer_until(referrer, stop.clone(), written.clone()));

        // Taken while referrals arrive.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let file = dir.0.join(format!("{backend}.backup"));
        let file_arg = file.to_str().unwrap().to_owned();
        let (src, data) = (source.clone(), dir.0.clone());
        let before = written.load(Ordering::Relaxed);
        let out = tokio::task::spawn_blocking(move || {
            support::run_trappa(&src, &data, &["backup", "--to", &file_arg])
        })
        .await
        .unwrap();
        let during = written.load(Ordering::Relaxed) - before;
        stop.store(true, Ordering::Relaxed);
        writing.await.unwrap();
        println!("[{backend}] {out}[{backend}] {during} referrals written while the backup ran");
        assert!(out.contains("backup:"), "[{backend}] {out}");

        let from = file.to_str().unwrap();
        let out = support::run_trappa(&restored, &dir.0, &["restore", "--from", from]);
        println!("[{backend}] {out}");
        assert!(out.contains("every digest equal"), "[{backend}] {out}");
        // Restoring over a database that holds data is refused.
        let (ok, out) = support::trappa(&restored, &dir.0, &["restore", "--from", from]);
        assert!(!ok, "[{backend}] restored over itself: {out}");

        // The restored database serves: the same people sign in.
        let again = Trappa::start(&restored, &dir.0, support::free_port()).await;
        let nurse = Api::login(&again.base, "sjukskoterska").await.unwrap();
        assert_eq!(nurse.get("/api/v1/me").await["username"], "sjukskoterska");
        drop(again);

        // A backup whose content differs from its manifest is refused, naming the table.
        let mut manifest: serde_json::Value = serde_json::from_slice(
            &std::fs::read(format!("{}.manifest.json", file.display())).unwrap(),
        )
        .unwrap();
        let tables = manifest["tables"].as_array_mut().unwrap();
        let log = tables
            .iter_mut()
            .find(|t| t["table"] == "access_log")
            .unwrap();
        log["rows"] = json!(log["rows"].as_i64().unwrap() + 1);
        let bad = dir.0.join(format!("{backend}-bad.backup"));
        std::fs::copy(&file, &bad).unwrap();
        std::fs::write(
            format!("{}.manifest.json", bad.display()),
            serde_json::to_vec(&manifest).unwrap(),
        )
        .unwrap();
        let (ok, out) = support::trappa(
            &tampered,
            &dir.0,
            &["restore", "--from", bad.to_str().unwrap()],
        );
        assert!(!ok, "[{backend}] a differing restore passed: {out}");
        assert!(out.contains("access_log:"), "[{backend}] {out}");
        if backend == "sqlite" {
            // Moved out of the way, where Trappa would not open it.
            let path = tampered.trim_start_matches("sqlite://");
            assert!(!std::path::Path::new(path).exists(), "[{backend}] {out}");
            assert!(std::path::Path::new(&format!("{path}.rejected")).exists());
        }
    }
}
