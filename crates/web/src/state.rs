//! The server's state and configuration: the store, the secret key, the settings an
//! operator gives, and what the process keeps in memory (the reference data per unit,
//! the instruments, the road times, the flags of the planner's jobs running here, the
//! metrics).

use std::fmt;
use std::sync::Arc;
use trappa_store::Store;

use crate::{jobs, metrics};

/// A secret key (for signing CSRF tokens). `Debug` never shows it.
#[derive(Clone)]
pub struct SecretKey(Arc<Vec<u8>>);

impl SecretKey {
    /// Wraps key bytes; at least 32 are required.
    pub fn new(bytes: Vec<u8>) -> Result<Self, &'static str> {
        if bytes.len() < 32 {
            return Err("the secret key must be at least 32 bytes");
        }
        Ok(Self(Arc::new(bytes)))
    }

    /// A fresh random key.
    pub fn generate() -> Self {
        Self(Arc::new(random_bytes(32)))
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// `n` bytes from the operating system's secure generator (through `rand`).
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    rand::fill(&mut bytes[..]);
    bytes
}

/// A job's page looks every second with JavaScript; without, the user reloads it. Half
/// a minute without a look means nobody is waiting (the planner's default search is ten
/// seconds, so a proposal is done long before).
pub const DEFAULT_ABANDON_AFTER_SECONDS: f64 = 30.0;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when served over TLS, e.g. behind a proxy).
    pub secure_cookies: bool,
    /// Sessions end after this many idle minutes.
    pub session_idle_minutes: i64,
    /// Signs CSRF tokens.
    pub secret_key: SecretKey,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy_headers: bool,
    /// How long access-log rows are kept, in years (never under 5).
    pub access_log_retention_years: u32,
    /// Seconds the week planner searches per proposal.
    pub planner_seconds: f64,
    /// Seconds without a look at its page after which a job (a proposal being searched
    /// for) is stopped: nobody is waiting for it ([`DEFAULT_ABANDON_AFTER_SECONDS`]).
    pub abandon_after_seconds: f64,
    /// An OSRM server whose `table` service gives road km and minutes (none: the
    /// great-circle model).
    pub osrm_url: Option<String>,
    /// The unit's annual budget, SEK (the board's cost per patient).
    pub annual_budget_sek: f64,
    /// The unit's phone number for patients, printed on every handout.
    pub unit_phone: Option<String>,
    /// Weekdays within which the care team answers a patient's message (the automatic
    /// reply says so).
    pub message_reply_days: u8,
    /// The identity providers staff and patients sign in through, if any.
    pub oidc: crate::oidc::OidcConfig,
    /// The unit's video service: a digital visit's link, with `{visit}` for the visit's
    /// id (none: no link is shown).
    pub video_url_template: Option<String>,
    /// The SMTP server notices are sent by e-mail through (none: no e-mail notices).
    pub smtp: Option<crate::smtp::SmtpConfig>,
    /// How often the notice queue is delivered.
    pub notify_every: std::time::Duration,
}

impl WebConfig {
    /// Defaults for tests and local use: insecure cookies, a fresh secret.
    pub fn local() -> Self {
        Self {
            secure_cookies: false,
            session_idle_minutes: 30,
            secret_key: SecretKey::generate(),
            trust_proxy_headers: false,
            access_log_retention_years: 5,
            planner_seconds: 3.0,
            abandon_after_seconds: DEFAULT_ABANDON_AFTER_SECONDS,
            osrm_url: None,
            annual_budget_sek: 10_200_000.0,
            unit_phone: None,
            message_reply_days: 2,
            oidc: crate::oidc::OidcConfig::default(),
            video_url_template: None,
            smtp: None,
            notify_every: std::time::Duration::from_secs(15),
        }
    }
}

struct Inner {
    store: Store,
    config: WebConfig,
    metrics: metrics::Metrics,
    reference: Arc<trappa_taper::ReferenceData>,
    /// A unit's reference data per settings version (versions are append-only, so an
    /// entry never goes stale).
    unit_reference: std::sync::Mutex<
        std::collections::HashMap<(uuid::Uuid, i64), Arc<trappa_taper::ReferenceData>>,
    >,
    instruments: Arc<trappa_scales::Instruments>,
    /// One sender per channel set up (e-mail through SMTP).
    senders: Vec<Arc<dyn trappa_app::notify::Sender>>,
    road_times: trappa_app::planning::RoadTimes,
    jobs: jobs::Jobs,
}

/// Shared state of every handler. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    /// Builds the state around a store.
    pub fn new(store: Store, config: WebConfig) -> Self {
        // Every HTTP client the server builds (identity providers, OSRM) needs it.
        crate::oidc::install_tls();
        let senders = senders(&store, &config);
        Self(Arc::new(Inner {
            senders,
            store,
            config,
            metrics: metrics::Metrics::new(),
            reference: Arc::new(
                trappa_taper::ReferenceData::builtin()
                    .expect("the taper reference data shipped with Trappa validates (tested)"),
            ),
            unit_reference: Default::default(),
            road_times: Default::default(),
            jobs: Default::default(),
            instruments: Arc::new(
                trappa_scales::Instruments::builtin()
                    .expect("the instruments shipped with Trappa validate (tested)"),
            ),
        }))
    }

    /// Whether notices can be sent on `channel`.
    pub fn can_notify(&self, channel: trappa_app::notify::Channel) -> bool {
        self.0.senders.iter().any(|s| s.channel() == channel)
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The settings.
    pub fn config(&self) -> &WebConfig {
        &self.0.config
    }

    /// Road times, fetched from the configured OSRM server and kept.
    pub fn road_times(&self) -> &trappa_app::planning::RoadTimes {
        &self.0.road_times
    }

    /// The jobs users follow (the planner's proposals).
    pub(crate) fn jobs(&self) -> &jobs::Jobs {
        &self.0.jobs
    }

    /// The taper engine's reference data as shipped (a unit's choices are applied per
    /// request).
    pub fn reference(&self) -> &trappa_taper::ReferenceData {
        &self.0.reference
    }

    /// The shipped reference data with a unit's settings version applied, made once.
    pub(crate) fn reference_for(
        &self,
        key: (uuid::Uuid, i64),
        make: impl FnOnce(
            &trappa_taper::ReferenceData,
        ) -> Result<trappa_taper::ReferenceData, trappa_taper::DataError>,
    ) -> Result<Arc<trappa_taper::ReferenceData>, trappa_taper::DataError> {
        let mut cache = self
            .0
            .unit_reference
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(d) = cache.get(&key) {
            return Ok(d.clone());
        }
        let data = Arc::new(make(&self.0.reference)?);
        cache.insert(key, data.clone());
        Ok(data)
    }

    /// The shipped reference data.
    pub(crate) fn reference_arc(&self) -> Arc<trappa_taper::ReferenceData> {
        self.0.reference.clone()
    }

    /// The symptom and outcome instruments.
    pub fn instruments(&self) -> &trappa_scales::Instruments {
        &self.0.instruments
    }

    pub(crate) fn metrics(&self) -> &metrics::Metrics {
        &self.0.metrics
    }
}

impl crate::work::Meters for AppState {
    fn metrics(&self) -> &metrics::Metrics {
        &self.0.metrics
    }

    fn abandon_after(&self) -> std::time::Duration {
        std::time::Duration::from_secs_f64(self.config().abandon_after_seconds)
    }
}

/// The senders the settings set up, with the worker that delivers through them
/// started (notices carry the link to Mina sidor under the public URL). A sender that
/// cannot be made is left out and said in the log: the server still serves.
fn senders(store: &Store, config: &WebConfig) -> Vec<Arc<dyn trappa_app::notify::Sender>> {
    let Some(smtp) = &config.smtp else {
        return Vec::new();
    };
    let sender = match crate::smtp::SmtpSender::new(smtp) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "e-mail notices are off: the SMTP settings do not work");
            return Vec::new();
        }
    };
    let Some(base) = config.oidc.public_url.as_deref() else {
        tracing::error!("e-mail notices are off: they need the public URL to link to");
        return Vec::new();
    };
    let senders: Vec<Arc<dyn trappa_app::notify::Sender>> = vec![Arc::new(sender)];
    let sign_in = format!("{}/mina-sidor", base.trim_end_matches('/'));
    if tokio::runtime::Handle::try_current().is_ok() {
        crate::smtp::spawn_worker(store.clone(), senders.clone(), sign_in, config.notify_every);
    }
    senders
}
