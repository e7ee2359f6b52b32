//! The `trappa taper` command line as clap reads it. Each request flag goes to the
//! engine as text ([`trappa_taper::flags::RequestFlags`]), which reads it and names a
//! fault by its flag in Swedish; the rest says what to print and write.

use clap::{Args, ValueEnum};
use trappa_taper::flags::{MultiArg, RequestFlags, StrategyArg};

/// Strategies by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrategyCli {
    /// A share of the current dose per step (default; the TUB model's slow taper).
    Slow,
    /// Equal steps in modelled receptor occupancy.
    Hyperbolic,
    /// A fixed share of the starting dose per step.
    Linear,
    /// Switch benzodiazepines and Z-drugs to diazepam, then the slow taper.
    Substitution,
}

impl StrategyCli {
    fn flag(self) -> StrategyArg {
        match self {
            StrategyCli::Slow => StrategyArg::Slow,
            StrategyCli::Hyperbolic => StrategyArg::Hyperbolic,
            StrategyCli::Linear => StrategyArg::Linear,
            StrategyCli::Substitution => StrategyArg::Substitution,
        }
    }
}

/// Several drugs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MultiCli {
    /// One at a time.
    Staggered,
    /// All at once.
    Parallel,
}

impl MultiCli {
    fn flag(self) -> MultiArg {
        match self {
            MultiCli::Staggered => MultiArg::Staggered,
            MultiCli::Parallel => MultiArg::Parallel,
        }
    }
}

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LangArg {
    /// Svenska.
    #[default]
    Sv,
    /// English.
    En,
}

/// The request's flags, as clap reads them (each value is read by the engine).
#[derive(Debug, Clone, Args, Default)]
pub struct RequestCli {
    /// A substance (id or Swedish name); repeat for several drugs.
    #[arg(long = "drug")]
    pub drugs: Vec<String>,
    /// Its doses, morning+noon+evening+night in mg ("10+10+0+25"), or µg/h for a patch;
    /// one --dose per --drug, in the same order.
    #[arg(long = "dose", allow_hyphen_values = true)]
    pub doses: Vec<String>,
    /// Products to use (ids, see --list); each goes with the drug of its substance.
    #[arg(long = "product")]
    pub products: Vec<String>,
    /// Also use the enabled liquids, licence and extemporaneous products (small steps at
    /// low doses).
    #[arg(long)]
    pub special: bool,
    /// Strategy.
    #[arg(long, value_enum)]
    pub strategy: Option<StrategyCli>,
    /// Percent per step: of the current dose (slow), of the starting dose (linear), of
    /// the starting occupancy (hyperbolic).
    #[arg(long, allow_hyphen_values = true)]
    pub percent: Option<String>,
    /// Weeks between steps.
    #[arg(long, allow_hyphen_values = true)]
    pub interval: Option<String>,
    /// Slow taper: below this percent of the starting dose, go slower (default 25).
    #[arg(long, allow_hyphen_values = true)]
    pub low_dose_below: Option<String>,
    /// Slow taper: weeks between steps at low doses (default twice the interval).
    #[arg(long, allow_hyphen_values = true)]
    pub low_dose_interval: Option<String>,
    /// Slow taper: percent per step at low doses (default as above).
    #[arg(long, allow_hyphen_values = true)]
    pub low_dose_percent: Option<String>,
    /// Weeks between switching dose times to diazepam (substitution; default 1).
    #[arg(long, allow_hyphen_values = true)]
    pub switch_interval: Option<String>,
    /// Diazepam equivalents switched per portion (substitution; default: the reference
    /// data's rule, 10).
    #[arg(long, allow_hyphen_values = true)]
    pub switch_portion: Option<String>,
    /// Largest cut per step, percent of the current dose (default 10, at most 25).
    #[arg(long, allow_hyphen_values = true)]
    pub max_step: Option<String>,
    /// Weeks the last dose is kept before stopping (default 4).
    #[arg(long, allow_hyphen_values = true)]
    pub final_hold: Option<String>,
    /// Stop once the dose is at or below this percent of the starting dose (default: only
    /// from the smallest dose the products make).
    #[arg(long, allow_hyphen_values = true)]
    pub stop_below: Option<String>,
    /// At most this many products per drug through the whole plan (1–6).
    #[arg(long, allow_hyphen_values = true)]
    pub max_products: Option<String>,
    /// Most pieces in one dose (default 4).
    #[arg(long, allow_hyphen_values = true)]
    pub max_pieces: Option<String>,
    /// Several drugs: one at a time (default) or all at once.
    #[arg(long, value_enum)]
    pub multi: Option<MultiCli>,
    /// Order for one-at-a-time tapering, comma-separated substances.
    #[arg(long)]
    pub order: Option<String>,
    /// A target instead of stopping: substance=daily dose ("oxazepam=10").
    #[arg(long = "goal")]
    pub goals: Vec<String>,
    /// Which dose time a step changes, other than the class's rule: substance=rule, the
    /// rule one of even, night-last, keep-interval ("oxycodone=keep-interval").
    #[arg(long = "dose-time")]
    pub dose_times: Vec<String>,
    /// A hold: step:weeks ("3:2" keeps step 3 two weeks longer).
    #[arg(long = "hold")]
    pub holds: Vec<String>,
    /// An opening phase with its own pace, before the plan's: steps:percent:weeks
    /// ("2:25:2" is two steps of 25 % two weeks apart). Repeat for several, in order.
    #[arg(long = "phase")]
    pub phases: Vec<String>,
    /// A step with its own length: step:weeks ("3:4" makes step 3 last four weeks).
    #[arg(long = "step-length")]
    pub step_lengths: Vec<String>,
    /// The first day (YYYY-MM-DD; default today).
    #[arg(long)]
    pub start: Option<String>,
    /// DE table id (default: the unit's).
    #[arg(long)]
    pub table_de: Option<String>,
    /// MME table id (default: the unit's).
    #[arg(long)]
    pub table_mme: Option<String>,
}

impl From<RequestCli> for RequestFlags {
    fn from(c: RequestCli) -> Self {
        RequestFlags {
            drugs: c.drugs,
            doses: c.doses,
            products: c.products,
            special: c.special,
            strategy: c.strategy.map(StrategyCli::flag),
            percent: c.percent,
            interval: c.interval,
            low_dose_below: c.low_dose_below,
            low_dose_interval: c.low_dose_interval,
            low_dose_percent: c.low_dose_percent,
            switch_interval: c.switch_interval,
            switch_portion: c.switch_portion,
            max_step: c.max_step,
            final_hold: c.final_hold,
            stop_below: c.stop_below,
            max_products: c.max_products,
            max_pieces: c.max_pieces,
            multi: c.multi.map(MultiCli::flag),
            order: c.order,
            goals: c.goals,
            dose_times: c.dose_times,
            holds: c.holds,
            phases: c.phases,
            step_lengths: c.step_lengths,
            start: c.start,
            table_de: c.table_de,
            table_mme: c.table_mme,
        }
    }
}

/// `trappa taper`: propose a taper plan without the server.
#[derive(Debug, Clone, Args, Default)]
pub struct TaperArgs {
    /// The request.
    #[command(flatten)]
    pub request: RequestCli,
    /// Read the request as JSON from a file ("-" for standard input) instead.
    #[arg(long)]
    pub input: Option<String>,
    /// Print the plan as JSON (see --schema).
    #[arg(long)]
    pub json: bool,
    /// Print the JSON Schema of the request and the plan, and exit.
    #[arg(long)]
    pub schema: bool,
    /// List substances, products and tables with their sources and status, and exit.
    #[arg(long)]
    pub list: bool,
    /// Write the patient handout as HTML.
    #[arg(long)]
    pub html: Option<std::path::PathBuf>,
    /// Write the patient handout as PDF.
    #[arg(long)]
    pub pdf: Option<std::path::PathBuf>,
    /// Write the dose changes as an ICS calendar.
    #[arg(long)]
    pub ics: Option<std::path::PathBuf>,
    /// Write the dose chart as SVG.
    #[arg(long)]
    pub svg: Option<std::path::PathBuf>,
    /// Print prescription quantities per period of this many weeks.
    #[arg(long)]
    pub quantities: Option<u32>,
    /// Language of the output.
    #[arg(long, value_enum, default_value_t = LangArg::Sv)]
    pub lang: LangArg,
}
