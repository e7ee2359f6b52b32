//! What people type, made safe in one place.
//!
//! Every value that reaches Trappa from a form, a query string or a JSON body passes
//! through here before any rule of the path sees it:
//!
//! - [`date`]: dates are read strictly (`YYYY-MM-DD`) and only inside one range
//!   ([`date::EARLIEST`]..=[`date::LATEST`], that is 1900-01-01..=2199-12-31), so no
//!   computation ever meets the edges of the calendar (where date arithmetic saturates
//!   or loops); parse, check, serde `deserialize_with`.
//! - [`text`]: text is normalised (`normalise`: NFC, line breaks, control characters
//!   and direction overrides removed, whitespace and invisible characters trimmed), and
//!   emptiness means "nothing visible" (`is_blank`).
//! - [`redirect`]: a `next` target is a clean local path or nothing (`local_path`: the
//!   one parser for every `next`).
//! - [`csv`]: a text cell that a spreadsheet would run as a formula is neutralised
//!   (`text_cell`).
//! - [`json`]: `from_str`/`from_slice`/`from_value`, the one JSON reader for API bodies
//!   and taper requests: a JSON body or file that does not fit its type is refused — a
//!   syntax error with its line and character, otherwise the field's path and a typed
//!   `JsonFault` with its Swedish message (unknown fields named with the fields allowed
//!   there, never ignored).
//!
//! The crate is pure (no I/O), so each rule is tested exhaustively here.

pub mod csv;
pub mod date;
pub mod json;
pub mod redirect;
pub mod text;
