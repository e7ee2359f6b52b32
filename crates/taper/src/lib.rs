//! The taper engine: turns a patient's current use into a slow taper the patient can
//! actually take, and adapts it to how the patient is doing. Pure: no I/O, no clock.
//!
//! - [`reference`]: substances, Swedish products, DDD and equivalence tables, each value
//!   with its source and V/M/U status, from `data/taper/`.
//! - [`rules`]: the engine's clinical defaults (portions of a switch, diazepam limits),
//!   each with its source and status, from `data/taper/rules.csv`.
//! - [`convert`]: a regimen → mg, DE/MME and DDD per day, with warnings.
//! - [`achievable`]: the doses one dose time can be made of with a product set.
//! - [`generate`]: a [`plan::PlanRequest`] → a [`plan::Plan`].
//! - [`check`]: the invariants every plan must keep, checked independently.
//! - [`adapt`]: symptom scores and flags → a proposed next action.
//! - [`edit`]: changes by hand, holds and signed steps back.
//! - [`schedule`]: the plan day by day — the one truth every output is built from.
//! - [`output`]: prescription quantities, the patient handout, ICS and the SVG chart.

pub mod achievable;
pub mod adapt;
pub mod amount;
pub mod check;
pub mod convert;
pub mod edit;
pub mod error;
pub mod flags;
pub mod generate;
pub mod kinds;
pub mod notice;
pub mod output;
pub mod plan;
pub mod reference;
pub mod regimen;
pub mod rules;
pub mod schedule;
pub mod text;

pub use amount::Amount;
pub use error::{DataError, InputError, Problem};
pub use generate::propose;
pub use plan::{Plan, PlanRequest};
pub use reference::ReferenceData;
