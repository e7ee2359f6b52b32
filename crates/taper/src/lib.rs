//! The taper engine: turns a patient's current use into a slow taper the patient can
//! actually take, and adapts it to how the patient is doing. Pure: no I/O, no clock.
//!
//! Modules (no circle between its files):
//!
//! - [`kinds`]: a value with its source and V/M/U status; drug class, unit, route,
//!   form, release, divisibility — the ground floor.
//! - [`rules`]: the engine's clinical defaults (portions of a switch, diazepam limits),
//!   each with its source and status, from `data/taper/rules.csv`; the dose-time rules;
//!   the adaptation `Policy`.
//! - `reference`: substances, Swedish products, DDD and equivalence tables, each
//!   value with its source and V/M/U status, from `data/taper/`; `UnitSettings`;
//!   `load`: the `data/taper` files parsed and validated, a unit's settings applied.
//! - [`regimen`].
//! - [`convert`]: a regimen → mg, DE/MME and DDD per day, with warnings.
//! - [`achievable`]: the doses one dose time can be made of with a product set
//!   (`Menu`).
//! - [`plan`]: request and plan types; `Step.phase`.
//! - [`generate`]: a [`plan::PlanRequest`] → a [`plan::Plan`] (`propose`). Below it,
//!   each file reaching only downwards: `track` (a drug's state and the pace's
//!   arithmetic), `curve` (the curve every step aims at, opening phases first), `cut`
//!   (which dose time a step changes, by `DoseTimeRule`), `steps` (the step loop),
//!   `finish` (the fewest products, step lengths, the plan's notes, the ideal line),
//!   `setup`, `switch` (the switch to diazepam in portions), `products`, `limit` (a
//!   product limit), `timeline` (holds, step lengths), `validate`, `defaults`.
//! - [`check`]: the invariants every plan must keep, checked independently of
//!   `generate`: the timeline, `doses`, the `changes` between steps.
//! - [`adapt`]: symptom scores and flags → a proposed next action.
//! - [`edit`]: changes by hand, holds and signed steps back.
//! - [`schedule`]: the plan day by day — the one truth every output is built from.
//! - [`output`]: prescription quantities, the patient handout, ICS and the SVG chart:
//!   `quantities`, `handout` (the handout's weeks and calendar as data), `ics`,
//!   `table`.
//! - [`flags`]: a request stated as flags — the `taper` command's and the calculator
//!   form's — read into a `PlanRequest`, every fault naming its flag in Swedish.
//! - [`text`]: its catalogue.
//!
//! No clap, maud or plotters: outputs that need a renderer live beside it (the web
//! crate's `chart` and `handout`). See docs/taper.md.

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
