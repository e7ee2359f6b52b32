//! The web crate's HTTP tests, as one test binary: each module is one area of behaviour,
//! run against a real server on SQLite and, when the test script provides one,
//! PostgreSQL. One binary instead of one per file: each debug test binary links the whole
//! application (~180 MB), and one link instead of sixteen keeps the test build's disk and
//! time small. `logs` (which installs the process's global log subscriber) and `browser`
//! (Chromium) stay binaries of their own.

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod api_path;
mod asvs;
mod bounds;
mod calendar_feed;
mod http;
mod hygiene;
mod keeps_input;
mod lists;
mod matrix;
mod messages;
mod notices;
mod oidc;
mod openapi;
mod own_record;
mod partners;
mod path;
mod patient_plan;
mod planning;
mod portal;
mod protected;
mod referrals;
mod report;
mod standing;
mod taper;
mod visible_text;
mod whose_page;
mod wishes;
