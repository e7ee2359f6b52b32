//! What people type, made safe in one place.
//!
//! Every value that reaches Trappa from a form, a query string or a JSON body passes
//! through here before any rule of the path sees it:
//!
//! - [`date`]: dates are read strictly (`YYYY-MM-DD`) and only inside one range
//!   ([`date::EARLIEST`]..=[`date::LATEST`]), so no computation ever meets the edges of
//!   the calendar (where date arithmetic saturates or loops).
//! - [`text`]: text is normalised (NFC, line breaks, control characters and
//!   direction overrides removed, whitespace and invisible characters trimmed), and
//!   emptiness means "nothing visible".
//! - [`redirect`]: a `next` target is a clean local path or nothing.
//! - [`csv`]: a text cell that a spreadsheet would run as a formula is neutralised.
//! - [`json`]: a JSON body or file that does not fit its type is refused with the path
//!   of the field and the fault in Swedish (unknown fields named, never ignored).
//!
//! The crate is pure (no I/O), so each rule is tested exhaustively here.

pub mod csv;
pub mod date;
pub mod json;
pub mod redirect;
pub mod text;
