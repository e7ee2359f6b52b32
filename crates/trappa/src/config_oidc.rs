//! The identity providers' settings: flags, `TRAPPA_OIDC_*` variables, or the
//! configuration file's `[oidc]` table — first one set wins, as for every setting.

use clap::Args;
use serde::Deserialize;
use trappa_web::oidc::{OidcConfig, Provider};
use trappa_web::secret::Secret;

/// The claim Sweden's OpenID Connect profile carries the personnummer in.
pub const DEFAULT_PATIENT_CLAIM: &str = "https://id.oidc.se/claim/personalIdentityNumber";
/// The claim the HSA-id is read from unless the provider names another.
pub const DEFAULT_STAFF_CLAIM: &str = "hsa_id";

/// Flags and environment.
#[derive(Debug, Args, Default, Clone)]
pub struct OidcSettings {
    /// Trappa's public URL (https://…), which the identity providers send people back to
    #[arg(long, env = "TRAPPA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Staff's identity provider (SITHS): its issuer URL [default: none, passwords only]
    #[arg(long, env = "TRAPPA_OIDC_STAFF_ISSUER")]
    pub oidc_staff_issuer: Option<String>,
    /// Trappa's client id at the staff provider
    #[arg(long, env = "TRAPPA_OIDC_STAFF_CLIENT_ID")]
    pub oidc_staff_client_id: Option<String>,
    /// Trappa's client secret at the staff provider
    #[arg(long, env = "TRAPPA_OIDC_STAFF_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_staff_client_secret: Option<Secret>,
    /// The ID-token claim with the HSA-id [default: hsa_id]
    #[arg(long, env = "TRAPPA_OIDC_STAFF_CLAIM")]
    pub oidc_staff_claim: Option<String>,
    /// Patients' identity provider (BankID): its issuer URL [default: none]
    #[arg(long, env = "TRAPPA_OIDC_PATIENT_ISSUER")]
    pub oidc_patient_issuer: Option<String>,
    /// Trappa's client id at the patient provider
    #[arg(long, env = "TRAPPA_OIDC_PATIENT_CLIENT_ID")]
    pub oidc_patient_client_id: Option<String>,
    /// Trappa's client secret at the patient provider
    #[arg(
        long,
        env = "TRAPPA_OIDC_PATIENT_CLIENT_SECRET",
        hide_env_values = true
    )]
    pub oidc_patient_client_secret: Option<Secret>,
    /// The ID-token claim with the personnummer [default: `https://id.oidc.se/claim/personalIdentityNumber`]
    #[arg(long, env = "TRAPPA_OIDC_PATIENT_CLAIM")]
    pub oidc_patient_claim: Option<String>,
}

/// The configuration file's `[oidc]` table, keys as the flags without `oidc-`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct OidcFile {
    public_url: Option<String>,
    staff_issuer: Option<String>,
    staff_client_id: Option<String>,
    staff_client_secret: Option<Secret>,
    staff_claim: Option<String>,
    patient_issuer: Option<String>,
    patient_client_id: Option<String>,
    patient_client_secret: Option<Secret>,
    patient_claim: Option<String>,
}

fn provider(
    who: &str,
    issuer: Option<String>,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    claim: String,
) -> anyhow::Result<Option<Provider>> {
    let Some(issuer) = issuer.filter(|s| !s.trim().is_empty()) else {
        return Ok(None);
    };
    let loopback = issuer
        .strip_prefix("http://127.0.0.1")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(':') || rest.starts_with('/'));
    anyhow::ensure!(
        issuer.starts_with("https://") || loopback,
        "the {who} identity provider's issuer must be https:// (or a loopback address for tests), not {issuer}"
    );
    let client_id = client_id
        .filter(|s| !s.is_empty())
        .ok_or_else(|| anyhow::anyhow!("the {who} identity provider needs a client id"))?;
    let client_secret = client_secret
        .filter(|s| !s.is_blank())
        .ok_or_else(|| anyhow::anyhow!("the {who} identity provider needs a client secret"))?;
    Ok(Some(Provider {
        issuer: issuer.trim_end_matches('/').to_owned(),
        client_id,
        client_secret,
        claim,
    }))
}

impl OidcSettings {
    /// The providers, checked: each needs its client id and secret, and either needs
    /// Trappa's public URL.
    pub fn resolve(&self, file: Option<&OidcFile>) -> anyhow::Result<OidcConfig> {
        let empty = OidcFile::default();
        let f = file.unwrap_or(&empty);
        fn pick<T: Clone>(a: &Option<T>, b: &Option<T>) -> Option<T> {
            a.clone().or(b.clone())
        }
        let staff = provider(
            "staff",
            pick(&self.oidc_staff_issuer, &f.staff_issuer),
            pick(&self.oidc_staff_client_id, &f.staff_client_id),
            pick(&self.oidc_staff_client_secret, &f.staff_client_secret),
            pick(&self.oidc_staff_claim, &f.staff_claim)
                .unwrap_or_else(|| DEFAULT_STAFF_CLAIM.to_owned()),
        )?;
        let patient = provider(
            "patient",
            pick(&self.oidc_patient_issuer, &f.patient_issuer),
            pick(&self.oidc_patient_client_id, &f.patient_client_id),
            pick(&self.oidc_patient_client_secret, &f.patient_client_secret),
            pick(&self.oidc_patient_claim, &f.patient_claim)
                .unwrap_or_else(|| DEFAULT_PATIENT_CLAIM.to_owned()),
        )?;
        let public_url =
            pick(&self.public_url, &f.public_url).map(|u| u.trim_end_matches('/').to_owned());
        anyhow::ensure!(
            (staff.is_none() && patient.is_none()) || public_url.is_some(),
            "sign-in through an identity provider needs Trappa's public URL (--public-url)"
        );
        Ok(OidcConfig {
            staff,
            patient,
            public_url,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_provider_needs_its_client_and_the_public_url() {
        let mut s = OidcSettings {
            oidc_patient_issuer: Some("https://idp.example.se".into()),
            ..Default::default()
        };
        assert!(s.resolve(None).is_err(), "no client id");
        s.oidc_patient_client_id = Some("trappa".into());
        s.oidc_patient_client_secret = Some("hemligt".into());
        assert!(s.resolve(None).is_err(), "no public URL");
        s.public_url = Some("https://trappa.example.se/".into());
        let c = s.resolve(None).unwrap();
        let p = c.patient.unwrap();
        assert_eq!(p.claim, DEFAULT_PATIENT_CLAIM);
        assert_eq!(c.public_url.as_deref(), Some("https://trappa.example.se"));
        assert!(c.staff.is_none());
        assert_eq!(p.client_secret.expose(), "hemligt");
        for shown in [format!("{s:?}"), format!("{p:?}")] {
            assert!(!shown.contains("hemligt"), "the secret printed: {shown}");
        }
        for remote in ["http://idp.example.se", "http://127.0.0.1.evil.example"] {
            s.oidc_patient_issuer = Some(remote.into());
            assert!(s.resolve(None).is_err(), "plain http to {remote}");
        }
        s.oidc_patient_issuer = Some("http://127.0.0.1:8081".into());
        assert!(s.resolve(None).is_ok(), "a loopback provider for tests");
    }
}
