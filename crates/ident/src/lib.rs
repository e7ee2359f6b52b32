//! Swedish identifiers: personnummer, samordningsnummer and HSA-id.
//!
//! Pure functions, no I/O. The rules come from Skatteverket (folkbokföringslagen 18 §
//! and 18 a §) as summarised in `data/reference/swedish-context.md`:
//! a Luhn check digit over `YYMMDDNNN`, a real calendar date, the `-`/`+` century rule
//! for ten-digit input, and day + 60 for samordningsnummer. We always store twelve
//! digits (`YYYYMMDDNNNK`) because the ten-digit form loses the century.
//!
//! Types: `PersonalIdentity` (personnummer and samordningsnummer, with the rules above
//! and a redacted `Debug`) and `HsaId`.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Which kind of national identity number this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// A personnummer: the person is or has been folkbokförd.
    Personnummer,
    /// A samordningsnummer: day of birth plus 60.
    Samordningsnummer,
}

/// Legal sex as encoded in the identity number (odd ninth digit = man).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Odd ninth digit.
    Male,
    /// Even ninth digit.
    Female,
}

/// Why an identity number was refused. Each variant maps to a Swedish field message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Not 10 or 12 digits with an optional separator.
    #[error("wrong format: expected YYYYMMDD-NNNN or YYMMDD-NNNN")]
    Format,
    /// The date part is not a real calendar date (after removing 60 for samordningsnummer).
    #[error("the date part is not a real date")]
    Date,
    /// The date lies in the future relative to the reference date.
    #[error("the date of birth lies in the future")]
    Future,
    /// The Luhn check digit does not match.
    #[error("the check digit does not match")]
    CheckDigit,
    /// The individual number 000 is never assigned.
    #[error("the individual number 000 is never assigned")]
    IndividualNumber,
    /// A twelve-digit number whose century disagrees with a `+` separator.
    #[error("the separator does not agree with the age")]
    Separator,
}

/// A validated personnummer or samordningsnummer, stored as twelve digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonalIdentity {
    digits: [u8; 12],
}

impl PersonalIdentity {
    /// Parses any accepted written form, relative to `today` for the century rule.
    ///
    /// Accepted: `YYYYMMDDNNNK`, `YYYYMMDD-NNNK`, `YYMMDD-NNNK`, `YYMMDD+NNNK`, `YYMMDDNNNK`
    /// (spaces around the input are ignored). Ten-digit input takes the most recent
    /// century that puts the birth date on or before `today`; `+` adds a hundred years.
    pub fn parse(input: &str, today: Date) -> Result<Self, IdError> {
        let s = input.trim();
        let (body, plus) = split_separator(s)?;
        if !body.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Format);
        }
        let digits: Vec<u8> = body.bytes().map(|b| b - b'0').collect();
        let full: [u8; 12] = match digits.len() {
            12 => {
                let d: [u8; 12] = digits.try_into().map_err(|_| IdError::Format)?;
                if plus {
                    // A `+` with a full year must agree: the person is at least 100.
                    let year = i16::from(d[0]) * 1000
                        + i16::from(d[1]) * 100
                        + i16::from(d[2]) * 10
                        + i16::from(d[3]);
                    if i32::from(today.year()) - i32::from(year) < 100 {
                        return Err(IdError::Separator);
                    }
                }
                d
            }
            10 => {
                let yy = i16::from(digits[0]) * 10 + i16::from(digits[1]);
                let month = digits[2] * 10 + digits[3];
                let day = real_day(digits[4] * 10 + digits[5]);
                let mut century = (today.year() / 100) * 100;
                let mut year = century + yy;
                // Most recent year with this YY that is not after today.
                let not_after_today = |year: i16| match Date::new(year, month as i8, day as i8) {
                    Ok(d) => d <= today,
                    Err(_) => year < today.year(),
                };
                if !not_after_today(year) {
                    century -= 100;
                    year = century + yy;
                }
                if plus {
                    year -= 100;
                }
                let mut d = [0u8; 12];
                d[0] = (year / 1000) as u8;
                d[1] = ((year / 100) % 10) as u8;
                d[2..12].copy_from_slice(&digits);
                d
            }
            _ => return Err(IdError::Format),
        };
        Self::from_digits(full, today)
    }

    fn from_digits(d: [u8; 12], today: Date) -> Result<Self, IdError> {
        let year =
            i16::from(d[0]) * 1000 + i16::from(d[1]) * 100 + i16::from(d[2]) * 10 + i16::from(d[3]);
        let month = d[4] * 10 + d[5];
        let day = real_day(d[6] * 10 + d[7]);
        let birth = Date::new(year, month as i8, day as i8).map_err(|_| IdError::Date)?;
        if birth > today {
            return Err(IdError::Future);
        }
        if d[8] == 0 && d[9] == 0 && d[10] == 0 {
            return Err(IdError::IndividualNumber);
        }
        let first_nine: [u8; 9] = d[2..11].try_into().map_err(|_| IdError::Format)?;
        if luhn_check_digit(&first_nine) != d[11] {
            return Err(IdError::CheckDigit);
        }
        Ok(Self { digits: d })
    }

    /// Builds a valid number from a birth date and a three-digit individual number
    /// (1–999), computing the check digit. Used to make synthetic test persons.
    pub fn from_parts(birth: Date, individual: u16, kind: IdKind) -> Option<Self> {
        if !(1..=999).contains(&individual) {
            return None;
        }
        let year = birth.year();
        if year < 0 {
            return None;
        }
        let day = birth.day() as u8
            + if kind == IdKind::Samordningsnummer {
                60
            } else {
                0
            };
        let mut d = [0u8; 12];
        let year = year as u16;
        d[0] = (year / 1000) as u8;
        d[1] = ((year / 100) % 10) as u8;
        d[2] = ((year / 10) % 10) as u8;
        d[3] = (year % 10) as u8;
        d[4] = birth.month() as u8 / 10;
        d[5] = birth.month() as u8 % 10;
        d[6] = day / 10;
        d[7] = day % 10;
        d[8] = (individual / 100) as u8;
        d[9] = ((individual / 10) % 10) as u8;
        d[10] = (individual % 10) as u8;
        let first_nine: [u8; 9] = d[2..11].try_into().ok()?;
        d[11] = luhn_check_digit(&first_nine);
        Some(Self { digits: d })
    }

    /// The twelve digits, `YYYYMMDDNNNK`: the canonical stored form.
    pub fn canonical(&self) -> String {
        self.digits.iter().map(|d| char::from(b'0' + d)).collect()
    }

    /// Personnummer or samordningsnummer.
    pub fn kind(&self) -> IdKind {
        if self.digits[6] >= 6 {
            IdKind::Samordningsnummer
        } else {
            IdKind::Personnummer
        }
    }

    /// The date of birth (for samordningsnummer, with 60 taken off the day).
    pub fn birth_date(&self) -> Date {
        let d = &self.digits;
        let year =
            i16::from(d[0]) * 1000 + i16::from(d[1]) * 100 + i16::from(d[2]) * 10 + i16::from(d[3]);
        let month = (d[4] * 10 + d[5]) as i8;
        let day = real_day(d[6] * 10 + d[7]) as i8;
        // Validated at construction, so the date exists.
        Date::new(year, month, day).unwrap_or(Date::MIN)
    }

    /// Sex from the ninth digit: odd for men, even for women.
    pub fn sex(&self) -> Sex {
        if self.digits[10] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Age in whole years on `on`.
    pub fn age_on(&self, on: Date) -> i16 {
        let birth = self.birth_date();
        let mut age = on.year() - birth.year();
        if (on.month(), on.day()) < (birth.month(), birth.day()) {
            age -= 1;
        }
        age
    }
}

impl fmt::Display for PersonalIdentity {
    /// `YYYYMMDD-NNNK`, the form Swedish care systems show.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.canonical();
        write!(f, "{}-{}", &c[..8], &c[8..])
    }
}

impl fmt::Debug for PersonalIdentity {
    /// Redacted: identity numbers are personal data and must not reach logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonalIdentity(<redacted>)")
    }
}

impl TryFrom<String> for PersonalIdentity {
    type Error = IdError;
    /// Parses the stored twelve-digit form; the century is explicit so no reference date
    /// is needed beyond "not in the future", checked against the far future.
    fn try_from(s: String) -> Result<Self, IdError> {
        let max = Date::new(9999, 12, 31).unwrap_or(Date::MAX);
        let (body, _) = split_separator(s.trim())?;
        if body.len() != 12 {
            return Err(IdError::Format);
        }
        PersonalIdentity::parse(&body, max)
    }
}

impl From<PersonalIdentity> for String {
    fn from(p: PersonalIdentity) -> String {
        p.canonical()
    }
}

fn split_separator(s: &str) -> Result<(String, bool), IdError> {
    let plus = s.contains('+');
    let minus = s.contains('-');
    if plus && minus {
        return Err(IdError::Format);
    }
    let sep_count = s.matches(['+', '-']).count();
    if sep_count > 1 {
        return Err(IdError::Format);
    }
    if sep_count == 1 {
        let pos = s.find(['+', '-']).ok_or(IdError::Format)?;
        // The separator always stands before the last four digits.
        if s.len() - pos != 5 {
            return Err(IdError::Format);
        }
    }
    Ok((s.replace(['+', '-'], ""), plus))
}

/// Samordningsnummer add 60 to the day.
fn real_day(day: u8) -> u8 {
    if day > 60 { day - 60 } else { day }
}

/// Luhn (modulus 10) check digit with weights 2,1,2,… over `YYMMDDNNN`.
pub fn luhn_check_digit(nine: &[u8; 9]) -> u8 {
    let sum: u32 = nine
        .iter()
        .enumerate()
        .map(|(i, &d)| {
            let p = u32::from(d) * if i % 2 == 0 { 2 } else { 1 };
            p / 10 + p % 10
        })
        .sum();
    ((10 - (sum % 10)) % 10) as u8
}

/// An HSA-id: the national catalogue identifier of staff and care units.
///
/// Treated as an opaque string (issuers vary) but checked for the common shape:
/// `SE`, ten digits of organisation number, `-`, then letters or digits; at most 31
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HsaId(String);

impl HsaId {
    /// Validates the shape and returns the id, upper-cased.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = input.trim().to_ascii_uppercase();
        let ok = s.len() <= 31
            && s.starts_with("SE")
            && s.len() > 13
            && s[2..12].bytes().all(|b| b.is_ascii_digit())
            && s.as_bytes()[12] == b'-'
            && s[13..].bytes().all(|b| b.is_ascii_alphanumeric());
        if ok {
            Ok(Self(s))
        } else {
            Err(IdError::Format)
        }
    }

    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for HsaId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        HsaId::parse(&s)
    }
}

impl From<HsaId> for String {
    fn from(h: HsaId) -> String {
        h.0
    }
}

impl fmt::Display for HsaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    const TODAY: Date = date(2026, 11, 23);

    /// Table-driven: input → Ok(canonical) or the error.
    fn check(input: &str, expect: Result<&str, IdError>) {
        let got = PersonalIdentity::parse(input, TODAY).map(|p| p.canonical());
        assert_eq!(got, expect.map(str::to_owned), "input {input:?}");
    }

    #[test]
    fn accepted_and_refused_forms() {
        check("640823-3234", Ok("196408233234"));
        check("6408233234", Ok("196408233234"));
        check("19640823-3234", Ok("196408233234"));
        check("196408233234", Ok("196408233234"));
        check(" 811218-9876 ", Ok("198112189876"));
        check("701063-2391", Ok("197010632391"));
        check("640823-3235", Err(IdError::CheckDigit));
        check("640832-3230", Err(IdError::Date));
        check("641323-3231", Err(IdError::Date));
        check("640823-323", Err(IdError::Format));
        check("64O823-3234", Err(IdError::Format));
        check("6408-233234", Err(IdError::Format));
        check("640823+-3234", Err(IdError::Format));
        check("", Err(IdError::Format));
        // The plus sign puts the person a century earlier.
        check("640823+3234", Ok("186408233234"));
        check("19640823+3234", Err(IdError::Separator));
        // Ten digits take the most recent century not in the future.
        check("261231-0000", Err(IdError::IndividualNumber));
    }

    #[test]
    fn leap_day_only_in_leap_years() {
        let leap =
            PersonalIdentity::from_parts(date(2000, 2, 29), 123, IdKind::Personnummer).unwrap();
        check(&leap.canonical(), Ok(&leap.canonical()));
        // 1900 was not a leap year.
        let mut s = leap.canonical();
        s.replace_range(0..4, "1900");
        assert_eq!(PersonalIdentity::parse(&s, TODAY), Err(IdError::Date));
    }

    #[test]
    fn samordningsnummer_kind_sex_and_birth() {
        let p = PersonalIdentity::parse("701063-2391", TODAY).unwrap();
        assert_eq!(p.kind(), IdKind::Samordningsnummer);
        assert_eq!(p.birth_date(), date(1970, 10, 3));
        assert_eq!(p.sex(), Sex::Male);
        assert_eq!(p.to_string(), "19701063-2391");
        assert_eq!(format!("{p:?}"), "PersonalIdentity(<redacted>)");
    }

    #[test]
    fn future_birth_dates_are_refused() {
        let future =
            PersonalIdentity::from_parts(date(2027, 1, 5), 42, IdKind::Personnummer).unwrap();
        assert_eq!(
            PersonalIdentity::parse(&future.canonical(), TODAY),
            Err(IdError::Future)
        );
        // Ten digits for a date later this year in the current century fall back a century.
        let p = PersonalIdentity::parse(&future.canonical()[2..], TODAY).unwrap();
        assert_eq!(p.birth_date(), date(1927, 1, 5));
    }

    #[test]
    fn age_counts_whole_years() {
        let p = PersonalIdentity::parse("640823-3234", TODAY).unwrap();
        assert_eq!(p.age_on(date(2026, 8, 22)), 61);
        assert_eq!(p.age_on(date(2026, 8, 23)), 62);
    }

    #[test]
    fn hsa_id_shape() {
        assert!(HsaId::parse("SE2321000131-E000000012345").is_ok());
        assert_eq!(
            HsaId::parse("se2321000131-e1").unwrap().as_str(),
            "SE2321000131-E1"
        );
        assert!(HsaId::parse("SE2321000131").is_err());
        assert!(HsaId::parse("SE2321000131-E0000000123456789012").is_err());
        assert!(HsaId::parse("XX2321000131-E1").is_err());
        assert!(HsaId::parse("SE2321000131-E 1").is_err());
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (1900i16..=2026, 1i8..=12, 1i8..=31)
            .prop_filter_map("real date", |(y, m, d)| Date::new(y, m, d).ok())
            .prop_filter("not in future", |d| *d <= TODAY)
    }

    proptest! {
        #[test]
        fn built_numbers_round_trip(birth in any_date(), individual in 1u16..=999, samordning in any::<bool>()) {
            let kind = if samordning { IdKind::Samordningsnummer } else { IdKind::Personnummer };
            let p = PersonalIdentity::from_parts(birth, individual, kind).unwrap();
            let parsed = PersonalIdentity::parse(&p.canonical(), TODAY).unwrap();
            prop_assert_eq!(&parsed, &p);
            prop_assert_eq!(parsed.birth_date(), birth);
            prop_assert_eq!(parsed.kind(), kind);
            prop_assert_eq!(parsed.sex() == Sex::Male, individual % 2 == 1);
            // The displayed form parses back to the same number.
            prop_assert_eq!(PersonalIdentity::parse(&p.to_string(), TODAY).unwrap(), p.clone());
            // The ten-digit form, with the separator the age calls for, means the same person.
            let c = p.canonical();
            let sep = if p.age_on(TODAY) >= 100 { '+' } else { '-' };
            let ten = format!("{}{}{}", &c[2..8], sep, &c[8..]);
            prop_assert_eq!(PersonalIdentity::parse(&ten, TODAY).unwrap(), p);
        }

        #[test]
        fn any_single_digit_change_is_caught(birth in any_date(), individual in 1u16..=999, pos in 2usize..12, delta in 1u8..10) {
            let p = PersonalIdentity::from_parts(birth, individual, IdKind::Personnummer).unwrap();
            let mut digits: Vec<u8> = p.canonical().bytes().map(|b| b - b'0').collect();
            digits[pos] = (digits[pos] + delta) % 10;
            let s: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
            // Luhn catches every single-digit error, so the result is never the same person.
            prop_assert!(PersonalIdentity::parse(&s, TODAY).is_err(), "{} accepted", s);
        }
    }
}
