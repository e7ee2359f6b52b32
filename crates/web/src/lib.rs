//! The Trappa HTTP server: server-rendered Swedish pages, the JSON API under `/api/v1`,
//! sessions, CSRF protection, authorisation and access logging.
//!
//! Request flow (outermost first): metrics → error rendering → request context
//! (request id, client address, locale, CSRF cookie, session) → CSRF check → the
//! route's handler. Handlers ask for what they may do with extractors
//! ([`access::Can`]) and open patients only through [`access::open_patient`], which
//! applies the care-relationship rule and writes the access log.

pub mod access;
mod api;
mod api_path;
mod assets;
mod auth;
pub mod chart;
mod cookies;
mod csrf;
pub mod ctx;
mod download;
pub mod error;
mod extract;
pub mod flash;
pub mod handout;
mod headers;
pub mod i18n;
mod jobs;
pub mod list;
mod metrics;
pub mod openapi;
mod operations;
mod pages;
pub mod pdf;
mod respond;
pub mod route_spec;
pub mod routes;
mod state;

mod work;

pub use auth::hash_password;
pub use routes::{RouteSpec, Touches, route_specs};
pub use state::{AppState, DEFAULT_ABANDON_AFTER_SECONDS, SecretKey, WebConfig, random_bytes};

/// The whole application as an axum router (with state applied).
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}
