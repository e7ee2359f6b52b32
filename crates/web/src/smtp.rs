//! Notices by e-mail: the SMTP [`Sender`] of [`trappa_app::notify`], through `lettre`
//! over the same rustls as the rest of Trappa, and the worker that delivers the queue.
//!
//! The server is named by a URL: `smtps://user:pass@host` (TLS from the start),
//! `smtp://host?tls=required` (STARTTLS, refused if the server cannot), or plain
//! `smtp://host:port` — allowed only to a loopback address, such as a relay on the
//! same machine (and the test script's `aiosmtpd`).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use lettre::message::header::ContentTransferEncoding;
use lettre::message::header::ContentType;
use lettre::message::{Body, Mailbox, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use trappa_app::notify::{Channel, Notice, Sender, Sending};
use trappa_store::Store;
use trappa_store::access_log::Actor;

use crate::secret::Secret;

/// An SMTP server's URL, which may hold a password: a [`Secret`] whose `Debug` shows
/// only where mail goes.
#[derive(Clone)]
pub struct SmtpUrl(Secret);

impl SmtpUrl {
    /// Wraps a URL.
    pub fn new(url: Secret) -> Self {
        Self(url)
    }

    fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match reqwest::Url::parse(self.expose()) {
            // Only the parts that say where mail goes; the password never leaves.
            Ok(u) => write!(
                f,
                "SmtpUrl({}://{}{}{})",
                u.scheme(),
                if u.password().is_some() {
                    "<user:redacted>@"
                } else {
                    ""
                },
                u.host_str().unwrap_or(""),
                u.port().map(|p| format!(":{p}")).unwrap_or_default()
            ),
            Err(_) => f.write_str("SmtpUrl(<unparsable>)"),
        }
    }
}

/// Where and as whom notices are sent by e-mail.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// The server.
    pub url: SmtpUrl,
    /// The sender, e.g. `Trappa <noreply@region.se>`.
    pub from: String,
}

impl SmtpConfig {
    /// Checks the settings: a URL lettre reads, no plain SMTP beyond this machine, a
    /// sender address that parses.
    pub fn check(&self) -> Result<(), String> {
        let url =
            reqwest::Url::parse(self.url.expose()).map_err(|e| format!("the SMTP URL: {e}"))?;
        let encrypted = url.scheme() == "smtps"
            || url
                .query_pairs()
                .any(|(k, v)| k == "tls" && v == "required");
        let host = url.host_str().unwrap_or("");
        let loopback = host == "localhost"
            || host
                .trim_matches(|c| c == '[' || c == ']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|a| a.is_loopback());
        if !encrypted && !loopback {
            return Err(
                "an SMTP server beyond this machine needs smtps:// or ?tls=required".into(),
            );
        }
        self.from
            .parse::<Mailbox>()
            .map_err(|e| format!("the sender address {:?}: {e}", self.from))?;
        AsyncSmtpTransport::<Tokio1Executor>::from_url(self.url.expose())
            .map_err(|e| format!("the SMTP URL: {e}"))?;
        Ok(())
    }
}

/// Sends notices by e-mail.
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpSender {
    /// A sender for checked settings ([`SmtpConfig::check`]).
    pub fn new(config: &SmtpConfig) -> Result<Self, String> {
        config.check()?;
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(config.url.expose())
            .map_err(|e| e.to_string())?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = config.from.parse().map_err(|e| format!("{e}"))?;
        Ok(Self { transport, from })
    }
}

impl Sender for SmtpSender {
    fn channel(&self) -> Channel {
        Channel::Email
    }

    fn send<'a>(&'a self, notice: &'a Notice) -> Sending<'a> {
        Box::pin(async move {
            let to: Mailbox = notice.to.parse().map_err(|e| format!("the address: {e}"))?;
            let message = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(&notice.subject)
                // Quoted-printable always: plain ASCII stays readable in any mail tool.
                .singlepart(
                    SinglePart::builder().header(ContentType::TEXT_PLAIN).body(
                        Body::new_with_encoding(
                            notice.body.clone(),
                            ContentTransferEncoding::QuotedPrintable,
                        )
                        .map_err(|_| "the text cannot be encoded".to_owned())?,
                    ),
                )
                .map_err(|e| e.to_string())?;
            self.transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    }
}

/// Delivers the queue every `every` for as long as the runtime runs: claims what is
/// due, sends it, marks it. Once a day, from [`trappa_app::notify::REMINDER_HOUR`]
/// Swedish time, it first queues the reminders of questionnaires due. `sign_in` is the
/// link the notices carry.
pub fn spawn_worker(store: Store, senders: Vec<Arc<dyn Sender>>, sign_in: String, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut reminded_on: Option<jiff::civil::Date> = None;
        loop {
            tick.tick().await;
            let now = jiff::Timestamp::now().to_zoned(trappa_app::clock::stockholm());
            if trappa_app::notify::reminders_due(&now, reminded_on) {
                let job = Actor::system(format!("reminders-{}", now.date()));
                match trappa_app::notify::remind_due(&store, &job, now.date()).await {
                    // Done for the day only when the run went through; else the next tick
                    // tries again.
                    Ok(n) => {
                        reminded_on = Some(now.date());
                        if n > 0 {
                            tracing::info!(queued = n, "questionnaire reminders");
                        }
                    }
                    Err(e) => tracing::warn!(error = ?e, "the reminders could not be queued"),
                }
            }
            match trappa_app::notify::deliver_due(
                &store,
                &senders,
                &sign_in,
                jiff::Timestamp::now(),
            )
            .await
            {
                Ok(d) if d.sent + d.failed > 0 => {
                    tracing::info!(sent = d.sent, failed = d.failed, "notices delivered");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = ?e, "the notice queue could not be read"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> SmtpConfig {
        SmtpConfig {
            url: SmtpUrl::new(url.into()),
            from: "Trappa <noreply@trappa.example>".into(),
        }
    }

    #[test]
    fn plain_smtp_only_on_this_machine_and_the_password_never_printed() {
        assert!(config("smtp://127.0.0.1:2525").check().is_ok());
        assert!(config("smtp://localhost:25").check().is_ok());
        assert!(config("smtp://mail.region.se:25").check().is_err());
        assert!(config("smtp://mail.region.se?tls=required").check().is_ok());
        assert!(config("smtps://u:hemligt@mail.region.se").check().is_ok());
        assert!(config("http://mail.region.se").check().is_err());
        let shown = format!("{:?}", config("smtps://u:hemligt@mail.region.se"));
        assert!(!shown.contains("hemligt"), "{shown}");
        assert!(
            shown.contains("smtps://<user:redacted>@mail.region.se)"),
            "{shown}"
        );
        let mut bad = config("smtp://127.0.0.1:2525");
        bad.from = "inte en adress".into();
        assert!(bad.check().is_err());
    }
}
