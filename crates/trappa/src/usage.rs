//! Command-line mistakes in Swedish: clap's own errors (an unknown option, a value that
//! is not one of the choices, a number that does not parse) are English sentences; here
//! each kind is said again in the message catalogue, naming the option, the value and
//! the choices, and the process exits with status 2 as clap's would.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use trappa_i18n::{catalogue, fill};

catalogue! {
    struct U;
    INVALID_VALUE: "{arg}: ”{value}” finns inte. Välj en av: {valid}.", "{arg}: “{value}” does not exist. Choose one of: {valid}.";
    BAD_VALUE: "{arg}: ”{value}” kan inte läsas här.", "{arg}: “{value}” cannot be read here.";
    UNKNOWN_ARGUMENT: "okänt alternativ {arg}.", "unknown option {arg}.";
    UNKNOWN_SUGGEST: "okänt alternativ {arg}. Menade du {suggested}?", "unknown option {arg}. Did you mean {suggested}?";
    MISSING: "uppgift saknas: {arg}.", "required: {arg}.";
    MISSING_VALUE: "{arg}: värde saknas.", "{arg}: a value is missing.";
    CONFLICT: "{arg} kan inte kombineras med {other}.", "{arg} cannot be combined with {other}.";
    SUBCOMMAND: "okänt kommando ”{value}”. Se trappa --help.", "unknown command “{value}”. See trappa --help.";
    NOT_UTF8: "argumenten är inte UTF-8.", "the arguments are not UTF-8.";
    OTHER: "kommandoraden kan inte läsas. Se trappa --help.", "the command line cannot be read. See trappa --help.";
    HELP: "Hjälp: trappa --help, eller trappa KOMMANDO --help.", "Help: trappa --help, or trappa COMMAND --help.";
}

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => v
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(", "),
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The message for a command-line error (in Swedish; Trappa's command line speaks
/// Swedish first), or `None` when clap only shows help or the version.
pub fn message(e: &clap::Error) -> Option<String> {
    let locale = trappa_i18n::Locale::Sv;
    let arg = context(e, ContextKind::InvalidArg);
    let value = context(e, ContextKind::InvalidValue);
    let t = |m: trappa_i18n::Msg, args: &[(&str, &str)]| fill(m.get(locale), args);
    let text = match e.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return None,
        ErrorKind::InvalidValue if value.is_empty() => t(U::MISSING_VALUE, &[("arg", &arg)]),
        ErrorKind::InvalidValue => t(
            U::INVALID_VALUE,
            &[
                ("arg", &arg),
                ("value", &value),
                ("valid", &context(e, ContextKind::ValidValue)),
            ],
        ),
        ErrorKind::ValueValidation => t(U::BAD_VALUE, &[("arg", &arg), ("value", &value)]),
        ErrorKind::UnknownArgument => {
            let suggested = context(e, ContextKind::SuggestedArg);
            if suggested.is_empty() {
                t(U::UNKNOWN_ARGUMENT, &[("arg", &arg)])
            } else {
                t(
                    U::UNKNOWN_SUGGEST,
                    &[("arg", &arg), ("suggested", &suggested)],
                )
            }
        }
        ErrorKind::MissingRequiredArgument => t(U::MISSING, &[("arg", &arg)]),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues | ErrorKind::NoEquals => {
            t(U::MISSING_VALUE, &[("arg", &arg)])
        }
        ErrorKind::ArgumentConflict => t(
            U::CONFLICT,
            &[("arg", &arg), ("other", &context(e, ContextKind::PriorArg))],
        ),
        ErrorKind::InvalidSubcommand => t(U::SUBCOMMAND, &[("value", &value)]),
        ErrorKind::InvalidUtf8 => U::NOT_UTF8.get(locale).to_owned(),
        _ => U::OTHER.get(locale).to_owned(),
    };
    Some(format!("{text}\n{}", U::HELP.get(locale)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct Cmd {
        #[command(flatten)]
        args: crate::taper_args::TaperArgs,
    }

    fn said(argv: &[&str]) -> String {
        let e = Cmd::try_parse_from(argv).expect_err("refused");
        message(&e).expect("a message")
    }

    #[test]
    fn check() {
        let cases: &[(&[&str], &str)] = &[
            (
                &["t", "--strategy", "fast"],
                "--strategy <STRATEGY>: ”fast” finns inte. Välj en av: slow, hyperbolic, linear, substitution.",
            ),
            (
                &["t", "--lang", "xx"],
                "--lang <LANG>: ”xx” finns inte. Välj en av: sv, en.",
            ),
            (
                &["t", "--quantities", "tolv"],
                "--quantities <QUANTITIES>: ”tolv” kan inte läsas här.",
            ),
            (
                &["t", "--dos", "5"],
                "okänt alternativ --dos. Menade du --dose?",
            ),
            (&["t", "--färg"], "okänt alternativ --färg."),
            (&["t", "--drug"], "--drug <DRUGS>: värde saknas."),
        ];
        for (argv, first_line) in cases {
            let m = said(argv);
            assert_eq!(m.lines().next().unwrap(), *first_line, "{argv:?}");
            assert!(m.ends_with(U::HELP.sv));
        }
        let help = Cmd::try_parse_from(["t", "--help"]).unwrap_err();
        assert!(message(&help).is_none(), "help is shown as clap writes it");
    }
}
