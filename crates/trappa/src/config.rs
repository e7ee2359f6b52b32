//! Configuration: command-line flags, then `TRAPPA_*` environment variables, then an
//! optional TOML file, then defaults — first one set wins.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use serde::Deserialize;
use trappa_store::DatabaseUrl;
use trappa_web::secret::Secret;
use trappa_web::{SecretKey, WebConfig};

/// Settings shared by every subcommand (flags and environment).
#[derive(Debug, Args, Default, Clone)]
pub struct Settings {
    /// TOML configuration file.
    #[arg(long, env = "TRAPPA_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://FILE or postgres://USER:PASS@HOST/DB [default: sqlite://trappa.db]
    #[arg(
        long,
        env = "TRAPPA_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<Secret>,
    /// Directory for the secret key and other local state [default: trappa-data]
    #[arg(long, env = "TRAPPA_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Log filter, e.g. info or trappa_web=debug [default: info]
    #[arg(long, env = "TRAPPA_LOG_LEVEL", global = true)]
    pub log_level: Option<String>,
    /// Log format: text or json [default: text]
    #[arg(long, env = "TRAPPA_LOG_FORMAT", global = true)]
    pub log_format: Option<String>,
}

/// Settings of `trappa serve`.
#[derive(Debug, Args, Default, Clone)]
pub struct ServeSettings {
    /// Address to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "TRAPPA_LISTEN")]
    pub listen: Option<String>,
    /// Load the demo data set (idempotent).
    #[arg(long, env = "TRAPPA_DEMO")]
    pub demo: bool,
    /// Secret key for signing (at least 32 characters). Default: generated once and kept
    /// in DATA_DIR/secret.key.
    #[arg(long, env = "TRAPPA_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<Secret>,
    /// Mark cookies Secure (set when served over HTTPS, e.g. behind a TLS proxy).
    #[arg(long, env = "TRAPPA_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Trust X-Forwarded-For for the client address (only behind your own proxy).
    #[arg(long, env = "TRAPPA_TRUST_PROXY_HEADERS")]
    pub trust_proxy_headers: bool,
    /// Idle minutes before a session ends [default: 30]
    #[arg(long, env = "TRAPPA_SESSION_IDLE_MINUTES")]
    pub session_idle_minutes: Option<i64>,
    /// Years the access log is kept; at least 5 [default: 5]
    #[arg(long, env = "TRAPPA_ACCESS_LOG_RETENTION_YEARS")]
    pub access_log_retention_years: Option<u32>,
    /// Name of the tapering unit [default: Regionala nedtrappningsenheten]
    #[arg(long, env = "TRAPPA_UNIT_NAME")]
    pub unit_name: Option<String>,
    /// Seconds the week planner searches per proposal [default: 10]
    #[arg(long, env = "TRAPPA_PLANNER_SECONDS")]
    pub planner_seconds: Option<f64>,
    /// An OSRM server (http://host:port) for road km and minutes [default: none, the
    /// great-circle model]
    #[arg(long, env = "TRAPPA_OSRM_URL")]
    pub osrm_url: Option<String>,
    /// The unit's annual budget in SEK, for the board's cost per patient [default:
    /// 10200000]
    #[arg(long, env = "TRAPPA_ANNUAL_BUDGET_SEK")]
    pub annual_budget_sek: Option<f64>,
    /// The unit's phone number for patients, printed on every handout [default: none]
    #[arg(long, env = "TRAPPA_UNIT_PHONE")]
    pub unit_phone: Option<String>,
    /// Weekdays within which the care team answers a patient's message, as the
    /// automatic reply promises (1–10) [default: 2]
    #[arg(long, env = "TRAPPA_MESSAGE_REPLY_DAYS")]
    pub message_reply_days: Option<u8>,
    /// The unit's video service for digital visits, with {visit} for the visit's id,
    /// e.g. `https://video.example.se/mote/{visit}` [default: none]
    #[arg(long, env = "TRAPPA_VIDEO_URL_TEMPLATE")]
    pub video_url_template: Option<String>,
    /// Sign-in through identity providers.
    #[command(flatten)]
    pub oidc: crate::config_oidc::OidcSettings,
    /// Notices by e-mail.
    #[command(flatten)]
    pub smtp: crate::config_smtp::SmtpSettings,
}

/// The optional file, with the same keys.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    database_url: Option<Secret>,
    data_dir: Option<PathBuf>,
    log_level: Option<String>,
    log_format: Option<String>,
    listen: Option<String>,
    demo: Option<bool>,
    secret_key: Option<Secret>,
    secure_cookies: Option<bool>,
    trust_proxy_headers: Option<bool>,
    session_idle_minutes: Option<i64>,
    access_log_retention_years: Option<u32>,
    unit_name: Option<String>,
    planner_seconds: Option<f64>,
    osrm_url: Option<String>,
    annual_budget_sek: Option<f64>,
    unit_phone: Option<String>,
    message_reply_days: Option<u8>,
    oidc: Option<crate::config_oidc::OidcFile>,
    smtp: Option<crate::config_smtp::SmtpFile>,
    video_url_template: Option<String>,
}

impl FileConfig {
    /// Reads the file named by `--config`, or nothing.
    pub fn read(path: Option<&Path>) -> anyhow::Result<Self> {
        match path {
            None => Ok(Self::default()),
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("reading {}", p.display()))?;
                toml::from_str(&text).with_context(|| format!("parsing {}", p.display()))
            }
        }
    }
}

/// The resolved configuration.
#[derive(Debug)]
pub struct Resolved {
    /// Database.
    pub database_url: DatabaseUrl,
    /// Local state directory.
    pub data_dir: PathBuf,
    /// Log filter.
    pub log_level: String,
    /// Log as JSON.
    pub log_json: bool,
    /// Listen address.
    pub listen: String,
    /// Load demo data.
    pub demo: bool,
    /// The tapering unit's name.
    pub unit_name: String,
    /// Web settings.
    pub web: WebConfig,
}

/// Defaults.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://trappa.db";
/// Default listen address.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// Resolves the common settings (for commands that do not serve).
pub fn resolve_common(
    s: &Settings,
    file: &FileConfig,
) -> anyhow::Result<(DatabaseUrl, PathBuf, String, bool)> {
    let url = s
        .database_url
        .clone()
        .or(file.database_url.clone())
        .unwrap_or_else(|| Secret::new(DEFAULT_DATABASE_URL));
    let database_url = DatabaseUrl::parse(url.expose())?;
    let data_dir = s
        .data_dir
        .clone()
        .or(file.data_dir.clone())
        .unwrap_or_else(|| PathBuf::from("trappa-data"));
    let log_level = s
        .log_level
        .clone()
        .or(file.log_level.clone())
        .unwrap_or_else(|| "info".to_owned());
    let log_json = match s.log_format.clone().or(file.log_format.clone()).as_deref() {
        None | Some("text") => false,
        Some("json") => true,
        Some(other) => anyhow::bail!("log format must be text or json, not {other:?}"),
    };
    Ok((database_url, data_dir, log_level, log_json))
}

/// Resolves everything `serve` needs.
pub fn resolve(s: &Settings, serve: &ServeSettings, file: &FileConfig) -> anyhow::Result<Resolved> {
    let (database_url, data_dir, log_level, log_json) = resolve_common(s, file)?;
    let planner_seconds = serve
        .planner_seconds
        .or(file.planner_seconds)
        .unwrap_or(10.0);
    anyhow::ensure!(
        (0.5..=120.0).contains(&planner_seconds),
        "the planner's search time must be between 0.5 and 120 seconds, not {planner_seconds}"
    );
    let osrm_url = serve.osrm_url.clone().or(file.osrm_url.clone());
    if let Some(url) = &osrm_url {
        // reqwest is built without TLS: a routing server on the unit's own network.
        anyhow::ensure!(
            url.starts_with("http://") && url.len() > "http://".len(),
            "the OSRM URL must be http://host:port (a routing server on the unit's network), not {url}"
        );
    }
    let annual_budget_sek = serve
        .annual_budget_sek
        .or(file.annual_budget_sek)
        .unwrap_or(10_200_000.0);
    anyhow::ensure!(
        annual_budget_sek.is_finite() && annual_budget_sek > 0.0,
        "the annual budget must be a positive number of SEK, not {annual_budget_sek}"
    );
    let message_reply_days = serve
        .message_reply_days
        .or(file.message_reply_days)
        .unwrap_or(2);
    anyhow::ensure!(
        (1..=10).contains(&message_reply_days),
        "the message reply days must be 1 to 10 weekdays, not {message_reply_days}"
    );
    let retention = serve
        .access_log_retention_years
        .or(file.access_log_retention_years)
        .unwrap_or(5);
    anyhow::ensure!(
        retention >= 5,
        "access-log retention must be at least 5 years (HSLF-FS 2016:40 4 kap 9 §), not {retention}"
    );
    let idle = serve
        .session_idle_minutes
        .or(file.session_idle_minutes)
        .unwrap_or(30);
    anyhow::ensure!(
        (1..=720).contains(&idle),
        "session idle minutes must be 1–720, not {idle}"
    );
    let secret = match serve.secret_key.clone().or(file.secret_key.clone()) {
        Some(k) => SecretKey::new(k.expose().as_bytes().to_vec()).map_err(anyhow::Error::msg)?,
        None => load_or_create_secret(&data_dir)?,
    };
    let oidc = serve.oidc.resolve(file.oidc.as_ref())?;
    Ok(Resolved {
        database_url,
        data_dir,
        log_level,
        log_json,
        listen: serve
            .listen
            .clone()
            .or(file.listen.clone())
            .unwrap_or_else(|| DEFAULT_LISTEN.to_owned()),
        demo: serve.demo || file.demo.unwrap_or(false),
        unit_name: serve
            .unit_name
            .clone()
            .or(file.unit_name.clone())
            .unwrap_or_else(|| "Regionala nedtrappningsenheten".to_owned()),
        web: WebConfig {
            secure_cookies: serve.secure_cookies || file.secure_cookies.unwrap_or(false),
            session_idle_minutes: idle,
            secret_key: secret,
            trust_proxy_headers: serve.trust_proxy_headers
                || file.trust_proxy_headers.unwrap_or(false),
            access_log_retention_years: retention,
            planner_seconds,
            abandon_after_seconds: trappa_web::DEFAULT_ABANDON_AFTER_SECONDS,
            osrm_url,
            annual_budget_sek,
            unit_phone: serve
                .unit_phone
                .clone()
                .or(file.unit_phone.clone())
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty()),
            message_reply_days,
            smtp: serve
                .smtp
                .resolve(file.smtp.as_ref(), oidc.public_url.as_deref())?,
            oidc,
            video_url_template: video_url_template(serve, file)?,
            notify_every: std::time::Duration::from_secs(15),
        },
    })
}

/// The video service's URL template: https, with `{visit}` where the visit's id goes.
fn video_url_template(serve: &ServeSettings, file: &FileConfig) -> anyhow::Result<Option<String>> {
    let Some(t) = serve
        .video_url_template
        .clone()
        .or(file.video_url_template.clone())
        .filter(|t| !t.trim().is_empty())
    else {
        return Ok(None);
    };
    anyhow::ensure!(
        t.starts_with("https://") && t.contains("{visit}"),
        "the video URL template must be https:// and hold {{visit}}, not {t}"
    );
    Ok(Some(t))
}

/// Reads `DATA_DIR/secret.key`, creating it (mode 0600) with a random key the first time.
fn load_or_create_secret(dir: &Path) -> anyhow::Result<SecretKey> {
    let path = dir.join("secret.key");
    if let Ok(bytes) = std::fs::read(&path) {
        return SecretKey::new(bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()));
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let bytes = trappa_web::random_bytes(32);
    {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options
            .open(&path)
            .with_context(|| format!("creating {}", path.display()))?;
        f.write_all(&bytes)?;
    }
    SecretKey::new(bytes).map_err(anyhow::Error::msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_file_and_defaults_apply() {
        let file: FileConfig = toml::from_str("database_url = \"sqlite://from-file.db\"\nlisten = \"0.0.0.0:9000\"\nsecret_key = \"0123456789abcdef0123456789abcdef\"").unwrap();
        let s = Settings {
            database_url: Some("sqlite://flag.db".into()),
            ..Default::default()
        };
        let r = resolve(&s, &ServeSettings::default(), &file).unwrap();
        assert_eq!(r.database_url.expose(), "sqlite://flag.db");
        // Secrets given are used, never printed.
        let s_pg = Settings {
            database_url: Some("postgres://trappa:dbhemligt@db/trappa".into()),
            ..Default::default()
        };
        let shown = format!("{s_pg:?} {file:?}");
        for secret in ["dbhemligt", "0123456789abcdef"] {
            assert!(!shown.contains(secret), "{secret} printed: {shown}");
        }
        assert_eq!(r.listen, "0.0.0.0:9000");
        assert_eq!(r.web.access_log_retention_years, 5);
        let bad = ServeSettings {
            access_log_retention_years: Some(3),
            ..Default::default()
        };
        assert!(resolve(&s, &bad, &file).is_err());
        assert!(toml::from_str::<FileConfig>("unknown_key = 1").is_err());
        let s = Settings {
            database_url: Some("mysql://x".into()),
            ..Default::default()
        };
        assert!(resolve(&s, &ServeSettings::default(), &file).is_err());
    }

    #[test]
    fn planner_settings_are_checked() {
        let file: FileConfig = toml::from_str(
            "secret_key = \"0123456789abcdef0123456789abcdef\"\nosrm_url = \"http://osrm:5000\"",
        )
        .unwrap();
        let s = Settings {
            database_url: Some("sqlite://x.db".into()),
            ..Default::default()
        };
        let r = resolve(&s, &ServeSettings::default(), &file).unwrap();
        assert_eq!(r.web.osrm_url.as_deref(), Some("http://osrm:5000"));
        assert_eq!(r.web.planner_seconds, 10.0);
        for bad in [
            ServeSettings {
                osrm_url: Some("https://osrm".into()),
                ..Default::default()
            },
            ServeSettings {
                osrm_url: Some("osrm:5000".into()),
                ..Default::default()
            },
            ServeSettings {
                planner_seconds: Some(0.0),
                ..Default::default()
            },
        ] {
            assert!(resolve(&s, &bad, &file).is_err(), "{bad:?}");
        }
    }
}
