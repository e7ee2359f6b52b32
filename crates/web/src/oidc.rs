//! Sign-in through OpenID Connect: staff through the region's SITHS provider (mapped
//! to accounts by HSA-id), patients through BankID (mapped by personnummer). The
//! authorization-code flow with PKCE (S256), a state and a nonce, as the `openidconnect`
//! crate implements it; its HTTP calls go through our own reqwest client.
//!
//! The flow's secrets (state, nonce, PKCE verifier) ride in a short-lived cookie signed
//! with the server key, so any instance behind a load balancer can finish a sign-in
//! another began. Each door leads only to its own kind of account
//! (`trappa_app::sessions::sign_in_with_identity`): a staff identity can never sign in to
//! the portal, nor a patient to the staff pages.

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, HttpRequest,
    HttpResponse, IdTokenFields, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier,
    RedirectUrl, Scope, StandardErrorResponse, StandardTokenResponse, TokenResponse as _,
};
use serde::{Deserialize, Serialize};
use trappa_app::sessions::Identity;

use crate::auth::{safe_next, session_response};
use crate::cookies::{cookie, set_cookie};
use crate::ctx::{Ctx, ForUser};
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::state::AppState;

/// The cookie the flow's secrets ride in between the two redirects.
pub const FLOW_COOKIE: &str = "trappa_oidc";
/// How long a sign-in at the provider may take, in seconds.
const FLOW_SECONDS: i64 = 600;
/// The callback's path: the redirect URI is the public URL with this.
pub const CALLBACK_PATH: &str = "/logga-in/oidc/svar";

/// One identity provider, as configured.
#[derive(Debug, Clone)]
pub struct Provider {
    /// The issuer URL (its discovery document is under it).
    pub issuer: String,
    /// Trappa's client id at the provider.
    pub client_id: String,
    /// Trappa's client secret at the provider.
    pub client_secret: crate::secret::Secret,
    /// The ID-token claim that carries the HSA-id (staff) or the personnummer (patients).
    pub claim: String,
}

/// The identity providers Trappa signs in through, if any.
#[derive(Debug, Clone, Default)]
pub struct OidcConfig {
    /// Staff (SITHS), mapped by HSA-id.
    pub staff: Option<Provider>,
    /// Patients (BankID), mapped by personnummer.
    pub patient: Option<Provider>,
    /// Trappa's public URL, which the redirect URI is made from.
    pub public_url: Option<String>,
}

/// Which door: staff or patients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Door {
    /// `/logga-in/oidc/personal`
    Staff,
    /// `/logga-in/oidc/patient`
    Patient,
}

impl Door {
    fn from_path(segment: &str) -> Option<Door> {
        match segment {
            "personal" => Some(Door::Staff),
            "patient" => Some(Door::Patient),
            _ => None,
        }
    }

    fn provider(self, config: &OidcConfig) -> Option<&Provider> {
        match self {
            Door::Staff => config.staff.as_ref(),
            Door::Patient => config.patient.as_ref(),
        }
    }

    /// The scopes asked for: what carries the identifier at the providers we test with
    /// and at Sweden's (the claim itself is configured).
    fn scopes(self) -> [&'static str; 2] {
        match self {
            Door::Staff => ["profile", "hsa"],
            Door::Patient => ["profile", "pnr"],
        }
    }
}

/// Every claim of the ID token beyond the standard ones, by name: the identifier's
/// claim is configured, not compiled in.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OtherClaims(HashMap<String, serde_json::Value>);

impl AdditionalClaims for OtherClaims {}

type Fields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<Fields, CoreTokenType>;
type OidcClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A failed call to the provider.
#[derive(Debug, thiserror::Error)]
#[error("identity provider: {0}")]
pub struct HttpError(String);

/// Makes rustls's ring provider the process's TLS provider, once: reqwest is built
/// without one of its own. Called before the first https request.
pub fn install_tls() {
    // ring, not aws-lc-rs: aws-lc builds a large C library (minutes on two cores); the
    // cost is post-quantum key exchange, which rustls 0.23.48 deprecates ring for and
    // which the identity providers do not require today. Revisit when they do.
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    // An error means one is installed already, which is as good.
    let _ = provider.install_default();
}

/// The library's HTTP calls, made with reqwest: no redirects followed (the library
/// checks what it gets), ten seconds at most.
async fn http(request: HttpRequest) -> Result<HttpResponse, HttpError> {
    install_tls();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| HttpError(e.to_string()))?;
    let (parts, body) = request.into_parts();
    let mut req = client
        .request(parts.method, parts.uri.to_string())
        .body(body);
    for (name, value) in &parts.headers {
        req = req.header(name, value);
    }
    let res = req.send().await.map_err(|e| HttpError(e.to_string()))?;
    let mut out = axum::http::Response::builder().status(res.status());
    for (name, value) in res.headers() {
        out = out.header(name, value);
    }
    let bytes = res.bytes().await.map_err(|e| HttpError(e.to_string()))?;
    out.body(bytes.to_vec())
        .map_err(|e| HttpError(e.to_string()))
}

/// The client for `provider`, from its discovery document.
async fn client(provider: &Provider, redirect: &str) -> anyhow::Result<OidcClient> {
    let issuer = IssuerUrl::new(provider.issuer.clone())?;
    let metadata = CoreProviderMetadata::discover_async(issuer, &http).await?;
    Ok(Client::from_provider_metadata(
        metadata,
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(
            provider.client_secret.expose().to_owned(),
        )),
    )
    .set_redirect_uri(RedirectUrl::new(redirect.to_owned())?))
}

fn redirect_uri(config: &OidcConfig) -> Result<String, AppError> {
    let base = config
        .public_url
        .as_deref()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no public URL for the redirect")))?;
    Ok(format!("{}{CALLBACK_PATH}", base.trim_end_matches('/')))
}

/// What the flow carries from the first redirect to the callback.
#[derive(Debug, Serialize, Deserialize)]
struct Flow {
    door: Door,
    state: String,
    nonce: String,
    verifier: String,
    next: String,
    /// When it began (unix seconds): a flow older than [`FLOW_SECONDS`] is refused.
    at: i64,
}

fn mac(state: &AppState, payload: &str) -> String {
    crate::ctx::purpose_tag(state, "trappa oidc flow key", payload.as_bytes())
}

fn seal(state: &AppState, flow: &Flow) -> Result<String, AppError> {
    let json = serde_json::to_vec(flow).map_err(|e| AppError::Internal(e.into()))?;
    let payload = URL_SAFE_NO_PAD.encode(json);
    Ok(format!("{payload}.{}", mac(state, &payload)))
}

fn open(state: &AppState, headers: &HeaderMap) -> Option<Flow> {
    let (payload, tag) = cookie(headers, FLOW_COOKIE)?.split_once('.')?;
    let expected = mac(state, payload);
    if !bool::from(subtle::ConstantTimeEq::ct_eq(
        expected.as_bytes(),
        tag.as_bytes(),
    )) {
        return None;
    }
    let flow: Flow = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    let age = jiff::Timestamp::now().as_second() - flow.at;
    (0..=FLOW_SECONDS).contains(&age).then_some(flow)
}

/// `?next=…` on the way in.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Start {
    next: String,
}

/// `GET /logga-in/oidc/{door}`: to the identity provider, with PKCE, state and nonce.
pub async fn start(
    State(state): State<AppState>,
    Path(door): Path<String>,
    Query(q): Query<Start>,
) -> Result<Response, AppError> {
    let door = Door::from_path(&door).ok_or(AppError::NotFound)?;
    let config = &state.config().oidc;
    let provider = door.provider(config).ok_or(AppError::NotFound)?;
    let client = client(provider, &redirect_uri(config)?)
        .await
        .map_err(AppError::Internal)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge);
    for scope in door.scopes() {
        request = request.add_scope(Scope::new(scope.to_owned()));
    }
    let (url, csrf, nonce) = request.url();
    let flow = Flow {
        door,
        state: csrf.secret().clone(),
        nonce: nonce.secret().clone(),
        verifier: verifier.secret().clone(),
        next: safe_next(&q.next).to_owned(),
        at: jiff::Timestamp::now().as_second(),
    };
    let mut res = Redirect::to(url.as_str()).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            &state,
            FLOW_COOKIE,
            &seal(&state, &flow)?,
            Some(FLOW_SECONDS),
            false,
        ),
    );
    Ok(res)
}

/// The provider's answer.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Answer {
    code: String,
    state: String,
    error: String,
    error_description: String,
    iss: String,
}

/// Why a sign-in through the provider did not complete (for the log; the person sees
/// one Swedish page, 400: the answer is not one to a sign-in begun here).
fn failed(ctx: &Ctx, why: impl std::fmt::Display) -> AppError {
    tracing::warn!(reason = %why, request = %ctx.request_id, "OpenID Connect sign-in failed");
    AppError::BadRequest(
        &crate::i18n::S::OIDC_FAILED,
        &crate::i18n::S::OIDC_FAILED_DETAIL,
    )
}

/// `GET /logga-in/oidc/svar`: the code exchanged (with the PKCE verifier), the ID token
/// verified (signature, issuer, audience, expiry, nonce), its identifier mapped to an
/// account, and the session started as every sign-in starts one.
pub async fn callback(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(answer): Query<Answer>,
) -> Result<Response, AppError> {
    let flow = open(&state, &headers).ok_or_else(|| failed(&ctx, "no valid flow cookie"))?;
    if !answer.error.is_empty() {
        return Err(failed(
            &ctx,
            format!("{}: {}", answer.error, answer.error_description),
        ));
    }
    if !bool::from(subtle::ConstantTimeEq::ct_eq(
        flow.state.as_bytes(),
        answer.state.as_bytes(),
    )) {
        return Err(failed(&ctx, "state does not match"));
    }
    let config = &state.config().oidc;
    let provider = flow
        .door
        .provider(config)
        .ok_or_else(|| failed(&ctx, "provider no longer configured"))?;
    if !answer.iss.is_empty() && answer.iss != provider.issuer {
        return Err(failed(&ctx, "the answer names another issuer"));
    }
    let client = client(provider, &redirect_uri(config)?)
        .await
        .map_err(|e| failed(&ctx, e))?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(answer.code.clone()))
        .map_err(|e| failed(&ctx, e))?
        .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|e| failed(&ctx, e))?;
    let id_token = tokens
        .id_token()
        .ok_or_else(|| failed(&ctx, "no ID token"))?;
    let claims = id_token
        .claims(&client.id_token_verifier(), &Nonce::new(flow.nonce.clone()))
        .map_err(|e| failed(&ctx, e))?;
    let value = claims
        .additional_claims()
        .0
        .get(&provider.claim)
        .and_then(|v| v.as_str())
        .ok_or_else(|| failed(&ctx, format!("no {} claim", provider.claim)))?
        .to_owned();
    let identity = match flow.door {
        Door::Staff => Identity::Staff { hsa_id: value },
        Door::Patient => Identity::Patient {
            personal_identity: value,
        },
    };
    // Not the subject: some brokers put the personnummer in it, and the log holds none.
    let actor = ctx.anonymous_actor(match flow.door {
        Door::Staff => "oidc:staff",
        Door::Patient => "oidc:patient",
    });
    let replacing = ctx.user.as_ref().map(|u| u.session_hash.as_str());
    let idle = state.config().session_idle_minutes;
    let started = trappa_app::sessions::sign_in_with_identity(
        state.store(),
        &actor,
        &identity,
        replacing,
        idle,
    )
    .await
    .for_user(&ctx)?;
    let mut res = session_response(&state, &started, &flow.next);
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, FLOW_COOKIE, "", Some(0), false),
    );
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An https provider is reached over TLS: the request fails at the connection (no
    /// one listens), not for want of TLS in the client.
    #[tokio::test]
    async fn https_providers_are_reached_over_tls() {
        let request =
            axum::http::Request::get("https://127.0.0.1:9/.well-known/openid-configuration")
                .body(Vec::new())
                .unwrap();
        let err = http(request).await.unwrap_err().to_string();
        assert!(!err.contains("scheme"), "{err}");
        assert!(
            !err.to_lowercase().contains("tls") || err.contains("connect"),
            "{err}"
        );
    }
}
