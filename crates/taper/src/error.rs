//! Errors: a broken data file, or bad input naming the field it is about.

use schemars::JsonSchema;
use serde::Serialize;
use trappa_i18n::{Locale, fill};

use crate::text::T;

/// A reference-data file that does not parse or validate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("reference data {file}, line {line}: {message}")]
pub struct DataError {
    /// The file.
    pub file: &'static str,
    /// The line (1 is the header; 0 when the problem is not on one line).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl DataError {
    pub(crate) fn new(file: &'static str, line: usize, message: impl Into<String>) -> DataError {
        DataError {
            file,
            line,
            message: message.into(),
        }
    }
}

/// The forms of the command line's compound options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    /// `--hold`: step:weeks.
    Hold,
    /// `--phase`: steps:percent:weeks.
    Phase,
    /// `--step-length`: step:weeks.
    StepLength,
}

impl Form {
    /// The form with an example, for messages.
    pub fn example(self) -> trappa_i18n::Msg {
        match self {
            Form::Hold => T::FORM_HOLD,
            Form::Phase => T::FORM_PHASE,
            Form::StepLength => T::FORM_STEP_LENGTH,
        }
    }
}

/// What is wrong with an input value.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum Problem {
    /// Required and missing.
    Missing,
    /// No such substance.
    UnknownSubstance {
        /// As given.
        name: String,
    },
    /// No such product, or disabled.
    UnknownProduct {
        /// As given.
        id: String,
    },
    /// The product is of another substance or route.
    WrongProduct {
        /// The product.
        id: String,
        /// The substance.
        substance: String,
    },
    /// Not a dose: text that is no number, or a wrong number of dose times.
    DoseFormat {
        /// As given.
        given: String,
    },
    /// Zero or negative.
    NotPositive,
    /// Above what anyone could take.
    Impossible {
        /// The limit, in DDDs or equivalents as stated.
        limit: String,
    },
    /// The products cannot make this dose.
    CannotMake {
        /// The dose.
        dose: String,
        /// The products tried.
        products: String,
    },
    /// A number outside its allowed range.
    OutOfRange {
        /// Lowest allowed, as machine text ("0.5", "1900-01-01").
        min: String,
        /// Highest allowed, likewise.
        max: String,
    },
    /// No such equivalence table, or one for the other unit.
    UnknownTable {
        /// As given.
        id: String,
    },
    /// The table has no factor for the substance.
    NoFactor {
        /// Substance.
        substance: String,
        /// Table.
        table: String,
    },
    /// The substance has no ED50 for a hyperbolic taper.
    NoEd50 {
        /// Substance.
        substance: String,
    },
    /// Not a date (YYYY-MM-DD).
    DateFormat {
        /// As given.
        given: String,
    },
    /// Options that cannot be used together.
    Conflict {
        /// Which other field.
        with: String,
    },
    /// The same substance twice.
    Duplicate {
        /// Substance.
        substance: String,
    },
    /// Substitution to diazepam applies only to benzodiazepines and Z-drugs.
    NotSubstitutable {
        /// Substance.
        substance: String,
    },
    /// A step that does not exist.
    NoSuchStep {
        /// As given.
        step: usize,
    },
    /// No set of so few products makes today's doses.
    TooFewProducts {
        /// The limit.
        limit: u32,
        /// The substance's name.
        substance: String,
    },
    /// The plan's last step, which has no end to set.
    LastStep {
        /// As given.
        step: usize,
    },
    /// A step made so short that the plan would break an invariant it kept.
    TooShort {
        /// As given.
        step: usize,
    },
    /// The plan would last longer than the engine plans ahead.
    TooLong {
        /// Years.
        years: u32,
    },
    /// A value that does not have the form an option asks for.
    Pattern {
        /// As given.
        given: String,
        /// The form asked for.
        form: Form,
    },
    /// None of the choices.
    Choice {
        /// As given.
        given: String,
        /// The choices.
        known: String,
    },
    /// A file that could not be read.
    FileRead {
        /// The path as given.
        path: String,
        /// Why.
        fault: FileFault,
    },
    /// A file that could not be written.
    FileWrite {
        /// The path as given.
        path: String,
        /// Why.
        fault: FileFault,
    },
    /// The number of values does not match another option's ("--dose" per "--drug").
    Count {
        /// How many were given.
        given: usize,
        /// How many the other option asks for.
        wanted: usize,
        /// The other option.
        per: String,
    },
    /// JSON that does not fit the request: the field is its path.
    Json {
        /// What is wrong.
        #[serde(flatten)]
        fault: trappa_input::json::JsonFault,
    },
}

/// Why a file named on the command line could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileFault {
    /// No such file, or no such folder to write it in.
    NotFound,
    /// Not allowed.
    PermissionDenied,
    /// A folder, not a file.
    IsDirectory,
    /// Anything else the system says.
    Other,
}

impl FileFault {
    /// The fault of an I/O error.
    pub fn of(e: &std::io::Error) -> FileFault {
        match e.kind() {
            std::io::ErrorKind::NotFound => FileFault::NotFound,
            std::io::ErrorKind::PermissionDenied => FileFault::PermissionDenied,
            std::io::ErrorKind::IsADirectory => FileFault::IsDirectory,
            _ => FileFault::Other,
        }
    }

    fn message(self) -> trappa_i18n::Msg {
        match self {
            FileFault::NotFound => T::FILE_NOT_FOUND,
            FileFault::PermissionDenied => T::FILE_DENIED,
            FileFault::IsDirectory => T::FILE_DIRECTORY,
            FileFault::Other => T::FILE_OTHER,
        }
    }
}

/// Bad input: which field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema, thiserror::Error)]
#[error("{field}: {}", self.message(Locale::En))]
pub struct InputError {
    /// The field, as a path (`drugs[1].dose`, `--percent`).
    pub field: String,
    /// What is wrong.
    #[serde(flatten)]
    pub problem: Problem,
}

impl InputError {
    /// An error for a field.
    pub fn new(field: impl Into<String>, problem: Problem) -> InputError {
        InputError {
            field: field.into(),
            problem,
        }
    }

    /// A JSON document that does not fit: the field is the fault's path, or `whole`
    /// (`--input`, `body`) when the fault is the document's.
    pub fn from_json(e: trappa_input::json::JsonError, whole: &str) -> InputError {
        InputError::new(
            if e.path.is_empty() {
                whole.to_owned()
            } else {
                e.path
            },
            Problem::Json { fault: e.fault },
        )
    }

    /// The message in a language, naming the field.
    pub fn message(&self, locale: Locale) -> String {
        let f = |msg: trappa_i18n::Msg, args: &[(&str, &str)]| {
            let mut all = vec![("field", self.field.as_str())];
            all.extend_from_slice(args);
            fill(msg.get(locale), &all)
        };
        match &self.problem {
            Problem::Missing => f(T::ERR_MISSING, &[]),
            Problem::UnknownSubstance { name } => f(T::ERR_UNKNOWN_SUBSTANCE, &[("name", name)]),
            Problem::UnknownProduct { id } => f(T::ERR_UNKNOWN_PRODUCT, &[("id", id)]),
            Problem::WrongProduct { id, substance } => f(
                T::ERR_WRONG_PRODUCT,
                &[("id", id), ("substance", substance)],
            ),
            Problem::DoseFormat { given } => f(T::ERR_DOSE_FORMAT, &[("given", given)]),
            Problem::TooFewProducts { limit, substance } => f(
                T::ERR_TOO_FEW_PRODUCTS,
                &[
                    (
                        "limit",
                        &trappa_i18n::format::count(
                            i64::from(*limit),
                            &T::PRODUCT,
                            &T::PRODUCTS,
                            locale,
                        ),
                    ),
                    ("substance", substance),
                ],
            ),
            Problem::LastStep { step } => f(T::ERR_LAST_STEP, &[("step", &step.to_string())]),
            Problem::TooShort { step } => f(T::ERR_TOO_SHORT, &[("step", &step.to_string())]),
            Problem::Pattern { given, form } => f(
                T::ERR_PATTERN,
                &[("given", given), ("form", form.example().get(locale))],
            ),
            Problem::NotPositive => f(T::ERR_NOT_POSITIVE, &[]),
            Problem::Impossible { limit } => f(T::ERR_IMPOSSIBLE, &[("limit", limit)]),
            Problem::CannotMake { dose, products } => f(
                T::ERR_CANNOT_MAKE,
                &[("dose", dose), ("products", products)],
            ),
            Problem::OutOfRange { min, max } => {
                // Bounds are machine text ("0.5", a date); a number is shown in the
                // language's own format.
                let shown = |v: &str| match v.parse::<f64>() {
                    Ok(x) if x.is_finite() => trappa_i18n::format::exact(x, 3, locale),
                    _ => v.to_owned(),
                };
                f(
                    T::ERR_OUT_OF_RANGE,
                    &[("min", &shown(min)), ("max", &shown(max))],
                )
            }
            Problem::UnknownTable { id } => f(T::ERR_UNKNOWN_TABLE, &[("id", id)]),
            Problem::NoFactor { substance, table } => f(
                T::ERR_NO_FACTOR,
                &[("substance", substance), ("table", table)],
            ),
            Problem::NoEd50 { substance } => f(T::ERR_NO_ED50, &[("substance", substance)]),
            Problem::DateFormat { given } => f(T::ERR_DATE_FORMAT, &[("given", given)]),
            Problem::Conflict { with } => f(T::ERR_CONFLICT, &[("with", with)]),
            Problem::Duplicate { substance } => f(T::ERR_DUPLICATE, &[("substance", substance)]),
            Problem::NotSubstitutable { substance } => {
                f(T::ERR_NOT_SUBSTITUTABLE, &[("substance", substance)])
            }
            Problem::NoSuchStep { step } => f(T::ERR_NO_SUCH_STEP, &[("step", &step.to_string())]),
            Problem::TooLong { years } => f(T::ERR_TOO_LONG, &[("years", &years.to_string())]),
            Problem::Choice { given, known } => {
                f(T::ERR_CHOICE, &[("given", given), ("known", known)])
            }
            Problem::FileRead { path, fault } => f(
                T::ERR_FILE_READ,
                &[("path", path), ("reason", fault.message().get(locale))],
            ),
            Problem::FileWrite { path, fault } => f(
                T::ERR_FILE_WRITE,
                &[("path", path), ("reason", fault.message().get(locale))],
            ),
            Problem::Count { given, wanted, per } => f(
                T::ERR_COUNT,
                &[
                    ("given", &given.to_string()),
                    ("wanted", &wanted.to_string()),
                    ("per", per),
                ],
            ),
            Problem::Json { fault } => f(T::ERR_JSON, &[("detail", &fault.message(locale))]),
        }
    }
}
