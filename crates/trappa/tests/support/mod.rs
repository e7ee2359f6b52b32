//! The `trappa` binary as an operator runs it: a child process serving on a free port,
//! killed and started again by the test; a private PostgreSQL cluster the test may crash;
//! and an HTTP client that signs in as a demo user.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::Value;

/// The demo users' password.
pub const PASSWORD: &str = "trappa-demo-2026";

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A directory for one test's files, removed when dropped. Under the test script's run
/// directory when there is one. Traversable by others, so PostgreSQL (another user when
/// the tests run as root) can reach a cluster inside it.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let base = trappa_store::testing::test_dir();
        // The test script's run directory is made private (mktemp -d): open it for
        // traversal. Never the system's temporary directory, whose mode is not ours.
        if std::env::var_os("TRAPPA_TEST_TMP").is_some() {
            set_mode(&base, 0o711);
        }
        let dir = base.join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        set_mode(&dir, 0o755);
        TempDir(dir)
    }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A free TCP port on loopback.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Runs `trappa` with `args` against `database_url` to the end: whether it succeeded, and
/// what it printed.
pub fn trappa(database_url: &str, data_dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_trappa"))
        .arg("--database-url")
        .arg(database_url)
        .arg("--log-level")
        .arg("warn")
        .args(args)
        .env("TRAPPA_DATA_DIR", data_dir)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// [`trappa`], which must succeed.
pub fn run_trappa(database_url: &str, data_dir: &Path, args: &[&str]) -> String {
    let (ok, text) = trappa(database_url, data_dir, args);
    assert!(ok, "trappa {args:?} failed: {text}");
    text
}

/// `trappa serve` as a child process.
pub struct Trappa {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    log: PathBuf,
}

impl Trappa {
    /// Starts the server on `port` and waits until it answers `/readyz`.
    pub async fn start(database_url: &str, data_dir: &Path, port: u16) -> Trappa {
        let log = data_dir.join(format!("serve-{port}.log"));
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_trappa"))
            .arg("--database-url")
            .arg(database_url)
            .arg("--log-level")
            .arg("warn")
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .env("TRAPPA_DATA_DIR", data_dir)
            // Sessions signed with one key survive a restart, as in production.
            .env(
                "TRAPPA_SECRET_KEY",
                "crash-test-key-0123456789abcdef0123456789",
            )
            .stdout(Stdio::null())
            .stderr(out)
            .spawn()
            .unwrap();
        let mut server = Trappa {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        server.wait_ready().await;
        server
    }

    async fn wait_ready(&mut self) {
        trappa_web::oidc::install_tls();
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("trappa serve exited ({status}): {}", self.log_text());
            }
            if let Ok(res) = http.get(format!("{}/readyz", self.base)).send().await
                && res.status() == StatusCode::OK
            {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "trappa serve not ready: {}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The server process's id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// What the server wrote to standard error.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Kills the process with SIGKILL: no shutdown, no flush.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Trappa {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A private PostgreSQL cluster with fsync on (`scripts/pg-test-cluster.sh` with
/// `TRAPPA_TEST_PG_DURABLE=1`), stopped and removed when dropped.
pub struct Postgres {
    dir: PathBuf,
    /// Its URL.
    pub url: String,
}

impl Postgres {
    /// A new cluster, or `None` when this machine has no PostgreSQL and the test script
    /// did not ask for it.
    pub fn start(dir: &Path) -> Option<Postgres> {
        let have = std::fs::read_dir("/usr/lib/postgresql").is_ok_and(|mut d| d.next().is_some());
        if !have {
            assert!(
                std::env::var_os("TRAPPA_REQUIRE_POSTGRES").is_none(),
                "PostgreSQL is required but not installed"
            );
            return None;
        }
        let dir = dir.join("pg");
        let url = Self::script(&dir, "start");
        Some(Postgres { dir, url })
    }

    fn script(dir: &Path, what: &str) -> String {
        let out = Command::new(repo_root().join("scripts/pg-test-cluster.sh"))
            .arg(dir)
            .arg(what)
            .env("TRAPPA_TEST_PG_DURABLE", "1")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg-test-cluster.sh {what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Stops the cluster as a power cut would: no checkpoint, recovery at the next start.
    pub fn crash(&self) {
        Self::script(&self.dir, "crash");
    }

    /// Starts it again on the same port.
    pub fn restart(&self) {
        let url = Self::script(&self.dir, "start");
        assert_eq!(url, self.url, "the cluster came back on another port");
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = Command::new(repo_root().join("scripts/pg-test-cluster.sh"))
            .arg(&self.dir)
            .arg("stop")
            .output();
    }
}

/// An answer: status, JSON body (or `Null`) and the server's request id.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub request_id: String,
}

/// A signed-in client with its cookies and CSRF token.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    base: String,
    csrf: String,
}

impl Api {
    /// A client that has not signed in (a member of the public), keeping cookies. Its
    /// requests time out after two minutes: the soak saturates a debug build on two
    /// cores, where a plan signature took 20 s, and a slow answer is a number, not an
    /// error.
    pub fn anonymous(base: &str) -> Api {
        trappa_web::oidc::install_tls();
        Api {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(120))
                .build()
                .unwrap(),
            base: base.to_owned(),
            csrf: String::new(),
        }
    }

    /// The CSRF token of the form on the page at `path`.
    pub async fn form_csrf(&self, path: &str) -> reqwest::Result<String> {
        let page = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await?
            .text()
            .await?;
        Ok(page
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_else(|| panic!("no CSRF field on {path}"))
            .to_owned())
    }

    /// Posts a form (its fields as given: the CSRF token among them where one is owed).
    pub async fn post_form(
        &self,
        path: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Result<reqwest::Response> {
        self.http
            .post(format!("{}{path}", self.base))
            .form(fields)
            .send()
            .await
    }

    /// Signs in as a demo user.
    pub async fn login(base: &str, username: &str) -> Result<Api, reqwest::Error> {
        let mut api = Api::anonymous(base);
        let csrf = api.form_csrf("/logga-in").await?;
        let fields = [
            ("csrf", csrf.as_str()),
            ("username", username),
            ("password", PASSWORD),
            ("next", "/start"),
        ];
        let res = api.post_form("/logga-in", &fields).await?;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "sign-in as {username}");
        let me: Value = api
            .http
            .get(format!("{base}/api/v1/me"))
            .send()
            .await?
            .json()
            .await?;
        api.csrf = me["csrf_token"].as_str().unwrap().to_owned();
        Ok(api)
    }

    /// The same session against another address (another instance, or this one restarted).
    pub fn at(&self, base: &str) -> Api {
        Api {
            base: base.to_owned(),
            ..self.clone()
        }
    }

    /// Sends a request with JSON (or none, for `Null`).
    pub async fn send(&self, method: Method, path: &str, body: &Value) -> reqwest::Result<Answer> {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf);
        if !body.is_null() {
            req = req.json(body);
        }
        let res = req.send().await?;
        let status = res.status();
        let request_id = res
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let bytes = res.bytes().await?;
        Ok(Answer {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            request_id,
        })
    }

    /// `GET path`, which must answer 200 with JSON.
    pub async fn get(&self, path: &str) -> Value {
        let a = self.send(Method::GET, path, &Value::Null).await.unwrap();
        assert_eq!(a.status, StatusCode::OK, "GET {path}: {}", a.body);
        a.body
    }

    /// The raw response to a GET, for pages.
    pub async fn get_page(&self, path: &str) -> reqwest::Result<reqwest::Response> {
        self.http
            .get(format!("{}{path}", self.base))
            .header("accept", "text/html")
            .send()
            .await
    }
}

/// The personnummer of test patient `n` (born 1961-05-20, serial `n`).
pub fn identity(n: u16) -> String {
    identity_born(jiff::civil::date(1961, 5, 20), n)
}

/// The personnummer of someone born on `born` with serial `n`.
pub fn identity_born(born: jiff::civil::Date, n: u16) -> String {
    trappa_ident::PersonalIdentity::from_parts(born, n, trappa_ident::IdKind::Personnummer)
        .unwrap()
        .to_string()
}

/// The date `n` days from today in Trappa's time zone, `YYYY-MM-DD`.
pub fn days_from_today(n: i64) -> String {
    let t = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * n);
    trappa_app::clock::local_date(t).to_string()
}

/// Reads the patient's plan, drafts a new version (oxazepam, a dose that varies with
/// `n`) and signs it, showing the reports the reading showed; the signature's answer,
/// or the draft's when the draft is refused.
pub async fn sign_a_plan(physician: &Api, patient: &str, n: u32) -> reqwest::Result<Answer> {
    let path = format!("/api/v1/patients/{patient}/taper-plan");
    let shown = physician.send(Method::GET, &path, &Value::Null).await?;
    let current = shown.body["versions"][0]["version"].as_i64().unwrap_or(0);
    let dose = 10 + (n % 3) * 5;
    let draft = serde_json::json!({
        "version": current, "reason": format!("Version {n}"),
        "request": { "regimen": { "drugs": [ { "substance": "oxazepam", "doses": [dose, dose, 0, 25] } ] }, "start": days_from_today(0) }
    });
    let drafted = physician.send(Method::POST, &path, &draft).await?;
    if !drafted.status.is_success() {
        return Ok(drafted);
    }
    let sign = serde_json::json!({ "version": drafted.body["version"], "reason": "Genomgången", "reports_seen": shown.body["reports_seen"] });
    physician
        .send(Method::POST, &format!("{path}/sign"), &sign)
        .await
}

/// A small filesystem of its own (tmpfs with a size limit), to fill up. Needs the right
/// to mount (root in the test script); `None` where that is missing and the script did
/// not ask for it (`TRAPPA_REQUIRE_MOUNT`).
pub struct SmallDisk {
    /// Where it is mounted.
    pub path: PathBuf,
}

impl SmallDisk {
    pub fn mount(path: &Path, megabytes: u32) -> Option<SmallDisk> {
        std::fs::create_dir_all(path).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m,mode=0755")])
            .arg("tmpfs")
            .arg(path)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(SmallDisk {
                path: path.to_owned(),
            }),
            other => {
                assert!(
                    std::env::var_os("TRAPPA_REQUIRE_MOUNT").is_none(),
                    "mounting a small disk failed: {other:?}"
                );
                eprintln!("skipped: mounting a small disk needs root ({other:?})");
                None
            }
        }
    }

    /// Fills what is left with a file, down to the last block.
    pub fn fill(&self) {
        use std::io::Write;
        let mut f = std::fs::File::create(self.filler()).unwrap();
        for size in [1 << 20, 4096, 512] {
            let block = vec![0u8; size];
            while f.write_all(&block).is_ok() {}
        }
        let _ = f.sync_all();
    }

    /// Frees the space [`SmallDisk::fill`] took.
    pub fn free(&self) {
        std::fs::remove_file(self.filler()).unwrap();
    }

    fn filler(&self) -> PathBuf {
        self.path.join("filler")
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).output();
    }
}
