//! The e-mail notices' settings: flags, `TRAPPA_SMTP_*` variables, or the
//! configuration file's `[smtp]` table — first one set wins, as for every setting.

use clap::Args;
use serde::Deserialize;
use trappa_web::secret::Secret;
use trappa_web::smtp::{SmtpConfig, SmtpUrl};

/// Flags and environment.
#[derive(Debug, Args, Default, Clone)]
pub struct SmtpSettings {
    /// The SMTP server notices are sent through: `smtps://user:password@host`,
    /// `smtp://host?tls=required` (STARTTLS), or plain `smtp://127.0.0.1:25` on this
    /// machine only [default: none, no e-mail notices]
    #[arg(long, env = "TRAPPA_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<Secret>,
    /// The sender of notices, e.g. `Trappa <noreply@region.se>`
    #[arg(long, env = "TRAPPA_SMTP_FROM")]
    pub smtp_from: Option<String>,
}

/// The configuration file's `[smtp]` table, keys as the flags without `smtp-`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SmtpFile {
    url: Option<Secret>,
    from: Option<String>,
}

impl SmtpSettings {
    /// The settings, checked: a URL Trappa can use, a sender, and the public URL the
    /// notices link to.
    pub fn resolve(
        &self,
        file: Option<&SmtpFile>,
        public_url: Option<&str>,
    ) -> anyhow::Result<Option<SmtpConfig>> {
        let url = self
            .smtp_url
            .clone()
            .or(file.and_then(|f| f.url.clone()))
            .filter(|u| !u.is_blank());
        let Some(url) = url else {
            return Ok(None);
        };
        let from = self
            .smtp_from
            .clone()
            .or(file.and_then(|f| f.from.clone()))
            .filter(|f| !f.trim().is_empty())
            .ok_or_else(|| anyhow::anyhow!("e-mail notices need a sender (--smtp-from)"))?;
        anyhow::ensure!(
            public_url.is_some(),
            "e-mail notices link to Trappa: set its public URL (--public-url)"
        );
        let config = SmtpConfig {
            url: SmtpUrl::new(url),
            from,
        };
        config.check().map_err(|e| anyhow::anyhow!(e))?;
        Ok(Some(config))
    }
}
