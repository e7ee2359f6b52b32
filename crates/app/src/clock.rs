//! The clock as the unit lives it: Swedish local time (Europe/Stockholm) for every date and
//! clock time shown or typed, whatever the server's own time zone. Stored times are UTC
//! timestamps; days ("today", a visit's date, the vårdgaranti clock) are local dates.

use jiff::Timestamp;
use jiff::civil::{Date, Time};

/// The unit's time zone.
pub fn stockholm() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/Stockholm").unwrap_or(jiff::tz::TimeZone::UTC)
}

/// Today's local date.
pub fn today() -> Date {
    Timestamp::now().to_zoned(stockholm()).date()
}

/// The local date of a timestamp.
pub fn local_date(t: Timestamp) -> Date {
    t.to_zoned(stockholm()).date()
}

/// A time as Swedish clinicians read it: local time, minutes.
pub fn format_time(t: Timestamp) -> String {
    t.to_zoned(stockholm())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// A date in local time.
pub fn format_date(t: Timestamp) -> String {
    t.to_zoned(stockholm()).strftime("%Y-%m-%d").to_string()
}

/// The local clock time of a timestamp, "HH:MM".
pub fn format_clock(t: Timestamp) -> String {
    t.to_zoned(stockholm()).strftime("%H:%M").to_string()
}

/// A local date and clock time ("2026-12-01", "09:30") as a timestamp; `None` if either
/// does not parse or the time does not exist that day.
pub fn parse_local(date: &str, time: &str) -> Option<Timestamp> {
    let d: Date = trappa_input::date::parse(date).ok()?;
    let t: Time = time.trim().parse().ok()?;
    d.to_datetime(t)
        .to_zoned(stockholm())
        .ok()
        .map(|z| z.timestamp())
}

/// The start of a local day as a timestamp.
pub fn start_of(d: Date) -> Timestamp {
    d.to_zoned(stockholm())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_round_trip() {
        let t = parse_local("2026-07-01", "09:30").unwrap();
        assert_eq!(format_time(t), "2026-07-01 09:30");
        assert_eq!(t.to_string(), "2026-07-01T07:30:00Z");
        let w = parse_local("2026-01-15", "09:30").unwrap();
        assert_eq!(w.to_string(), "2026-01-15T08:30:00Z");
        assert_eq!(parse_local("2026-02-30", "09:00"), None);
        assert_eq!(parse_local("2026-02-01", "25:00"), None);
        assert_eq!(
            local_date(parse_local("2026-03-01", "00:30").unwrap()).to_string(),
            "2026-03-01"
        );
    }
}
