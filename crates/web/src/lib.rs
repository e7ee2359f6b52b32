//! The Trappa HTTP server: server-rendered Swedish pages, the JSON API under `/api/v1`,
//! sessions, CSRF protection, authorisation and access logging.
//!
//! Request flow (outermost first): metrics → error rendering → request context
//! (request id, client address, locale, CSRF cookie, session) → CSRF check → the
//! route's gate ([`access::gate`]: what the route's row in the route table needs of the
//! caller) → the route's handler. Handlers open patients only through
//! [`access::open_patient`], which applies the care-relationship rule and writes the
//! access log.
//!
//! Modules of the axum application:
//!
//! - `routes`: the one route table; each route carries what it touches as a request
//!   extension; `route_spec`: a row's types.
//! - `state`: `AppState`: the store, the configuration, what the process keeps in
//!   memory.
//! - `cookies`.
//! - `ctx`: per-request context; `ForUser`.
//! - `csrf`.
//! - `extract`: our `Form`, `HtmlForm`, `Query`, `JsonBody`, `Path`: every value
//!   normalised by `trappa_input::text`, bodies at most 2 MiB (413) and of the route's
//!   media type (415), refusals in Swedish.
//! - `work`: heavy work — reports, the planner, long PDFs and CSVs — on the blocking
//!   pool, at most two at once, stopped when the client goes.
//! - `jobs`: work a user starts and follows on a page of its own — the planner's search
//!   for a week's proposal: the POST answers at once, the search's page shows its
//!   progress and is followed by `app.js` without a timed reload, the result is written
//!   to the database; a second ask joins the running search, at most three per unit,
//!   stopped by its user or when nobody has looked at its page for half a minute; kept
//!   in the database, so every instance shows and stops the same search.
//! - `auth`: the session cookie and where a sign-in goes next.
//! - `oidc`: sign-in through OpenID Connect (staff by HSA-id, patients by personnummer):
//!   PKCE, state and nonce in a signed cookie, the ID token verified, then
//!   `trappa_app::sessions::sign_in_with_identity`; the process's TLS provider.
//! - `access`: `gate`: each route's row's `Needs` enforced before its handler;
//!   `Authed`; `PatientRoute` for a route naming a patient; `open_patient` and
//!   `open_for_care_team_change` call `trappa_app::access` and hand a write's held-back
//!   log entry to the request.
//! - `error`: `AppError`, `FieldError`.
//! - `respond`: an error as problem+json or an HTML page.
//! - `i18n`: the message catalogue.
//! - `pages/*`:
//!   - `patients/`: `search`, `identity` (register, correct, versions), `team` (the
//!     care team's changes), `emergency` (the reason, then the access), and the
//!     overview in `mod`;
//!   - `taper`: the calculator and the unit's reference data as the engine uses it;
//!   - `taper_settings`: the reference-data page and the unit's choices over it as
//!     versions;
//!   - `taper_rules`: the engine's defaults on that page;
//!   - `patient_plan`: a patient's plan drafted, signed by a prescriber, versioned, and
//!     the engine's proposal from the scores signed as a new plan;
//!   - `scores`: scores recorded per instrument;
//!   - `referrals/`: `form` (a vårdcentral's referral), `inbox` (one's own referrals or
//!     the triage inbox with the rules' proposal), `decision`, `complement` (the
//!     referrer's view and the complement loop), `letters` (the reply letters);
//!   - `self_referral`: the public form;
//!   - `waiting`: the waiting list with the clock;
//!   - `visits`: booking, the journal by template, corrections;
//!   - `aftercare`: aftercare, follow-ups, outcomes, discharge;
//!   - `path_overview`: the overview's stage, alerts, tasks, visits, chart, scores and
//!     journal;
//!   - `start`: the worklists per role;
//!   - `planning/`: `mod` (the week board, pins and locks), `proposal` (the planner's
//!     latest proposal as a diff, saving it, moving a visit), `search` (the search for
//!     a proposal as a job, its page, stopping it), `day` (the day route with its SVG
//!     map), `calendar` (staff and patient ICS), `setup` (availability), `requests`
//!     (visits asked for by hand);
//!   - `report/`: the board's follow-up — `facts` (every referred or treated patient's
//!     facts read without identities), `build` (the period, the measures published
//!     through `trappa_reporting`), `page` (SVG charts and tables), `files` (the long
//!     CSV and the annual report PDF);
//!   - `needs`: the saved needs analysis with the outreach ranking;
//!   - `portal`: the patient's own pages — the signed plan as it is lived today, with
//!     its handout, and who has read the record; `portal_home`: the patient's start
//!     page (what to do now);
//!   - `my_reports`: the patient's diary, assigned questionnaires and the crisis text;
//!     `patient_reports`: the care team's view of them, assignments, the read mark;
//!   - `messages`: threads between the patient and the care team, both sides and the
//!     care team's inbox;
//!   - `role_review`: the auditor's review of role changes.
//! - `api`: including `/api/v1/taper`.
//! - `api_path`: the path's JSON API: referrals, waiting list, care team, appointments,
//!   journal, path events.
//! - `pdf`: tables, the patient handout, letters, and flowing reports with bar charts;
//!   `pdf::text` measures text with the font's own glyph advances and wraps every cell,
//!   heading and paragraph — nothing is cut; a table row taller than a page goes on
//!   over rows that fit; `pdf::report` lays a flowing report out as drawing operations
//!   before drawing, asking room for what it has measured.
//! - `openapi`: the API document for the route table's rows.
//! - `metrics`: the counters.
//! - `operations`: liveness, readiness, Prometheus, the request-metrics middleware, a
//!   panic's page.
//! - `assets`.
//! - `chart`: the plan's dose chart as SVG with plotters, from the schedule.
//! - `handout`: the patient handout as HTML with maud: a page fragment and the
//!   standalone printable document.

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
pub mod oidc;
pub mod openapi;
mod operations;
mod pages;
pub mod pdf;
mod respond;
pub mod route_spec;
pub mod routes;
pub mod secret;
pub mod smtp;
mod state;

mod work;

pub use auth::hash_password;
pub use routes::{RouteSpec, Touches, route_specs};
pub use state::{AppState, DEFAULT_ABANDON_AFTER_SECONDS, SecretKey, WebConfig, random_bytes};

/// The whole application as an axum router (with state applied).
pub fn app(state: AppState) -> axum::Router {
    routes::router(state)
}
