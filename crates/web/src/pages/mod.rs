//! Server-rendered pages, one module per area. Each handler takes the extractor for
//! the permission it needs and renders with [`layout`].

pub mod account;
pub mod admin;
pub mod aftercare;
pub mod audit;
pub mod calendar_feed;
pub mod layout;
pub mod login;
pub mod messages;
pub mod my_reports;
pub mod needs;
pub mod notifications;
pub mod own_record;
pub mod path_overview;
pub mod patient_plan;
pub mod patient_reports;
pub mod patients;
pub mod plan_reports;
pub mod plan_review;
pub mod planning;
pub mod portal;
pub mod portal_home;
pub mod referrals;
pub mod report;
pub mod role_review;
pub mod scores;
pub mod self_referral;
pub mod sip;
pub mod start;
pub mod taper;
pub(crate) mod taper_rules;
pub mod taper_settings;
pub mod visit_requests;
pub mod visits;
pub mod waiting;
