//! One row of a dispensing file, read without copying, and why a row is refused.
//!
//! The file is CSV with a header: `patient,date,atc,product,strength,quantity,ddd,
//! prescriber_unit,municipality,sex,age_band` — a pseudonymised patient id, the
//! dispensing date (`YYYY-MM-DD`), the ATC code, product and strength, the quantity, the
//! DDD dispensed, the prescribing unit's code, the patient's municipality (kommunkod),
//! sex (`F`/`M`) and age band (e.g. `65-79`).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The columns, in order.
pub const HEADER: [&str; 11] = [
    "patient",
    "date",
    "atc",
    "product",
    "strength",
    "quantity",
    "ddd",
    "prescriber_unit",
    "municipality",
    "sex",
    "age_band",
];

/// The drug groups the unit treats, by ATC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Benzodiazepines and Z-drugs: N05BA, N05CD, N05CF (VGR's indicator).
    Benzodiazepines,
    /// Opioids: N02A.
    Opioids,
    /// Pregabalin: N03AX16.
    Pregabalin,
}

/// Every group, in report order.
pub const GROUPS: [Group; 3] = [Group::Benzodiazepines, Group::Opioids, Group::Pregabalin];

impl Group {
    /// The group of an ATC code, if the unit treats it.
    pub fn of(atc: &[u8]) -> Option<Group> {
        if atc.starts_with(b"N05BA") || atc.starts_with(b"N05CD") || atc.starts_with(b"N05CF") {
            Some(Group::Benzodiazepines)
        } else if atc.starts_with(b"N02A") {
            Some(Group::Opioids)
        } else if atc.starts_with(b"N03AX16") {
            Some(Group::Pregabalin)
        } else {
            None
        }
    }

    /// Its index in [`GROUPS`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Sex as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    /// Female.
    F,
    /// Male.
    M,
}

/// Why a row was refused (counted, and reported by line number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum RowError {
    /// Not eleven columns.
    #[error("wrong number of columns")]
    Columns,
    /// No patient id.
    #[error("no patient id")]
    Patient,
    /// Not a date `YYYY-MM-DD`.
    #[error("the date is not YYYY-MM-DD")]
    Date,
    /// No ATC code.
    #[error("no ATC code")]
    Atc,
    /// The quantity is not a number of zero or more.
    #[error("the quantity is not a number of zero or more")]
    Quantity,
    /// The DDD is not a number of zero or more.
    #[error("the DDD is not a number of zero or more")]
    Ddd,
    /// No municipality code.
    #[error("no municipality code")]
    Municipality,
    /// Sex is neither F nor M.
    #[error("sex is neither F nor M")]
    Sex,
}

/// A row, borrowing the record's bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    /// The pseudonymised patient.
    pub patient: &'a [u8],
    /// Dispensed on.
    pub date: Date,
    /// ATC code.
    pub atc: &'a [u8],
    /// DDD dispensed.
    pub ddd: f64,
    /// Prescribing unit (may be empty).
    pub unit: &'a [u8],
    /// The patient's municipality.
    pub municipality: &'a [u8],
    /// Sex.
    pub sex: Sex,
    /// Age band.
    pub age_band: &'a [u8],
}

fn digits(b: &[u8]) -> Option<i32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0i32, |n, d| n * 10 + i32::from(d - b'0')))
}

/// `YYYY-MM-DD`, strictly.
pub fn parse_date(b: &[u8]) -> Option<Date> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(&b[..4])?, digits(&b[5..7])?, digits(&b[8..])?);
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// A number of zero or more (decimal point or comma).
fn amount(b: &[u8]) -> Option<f64> {
    // Plain digits with at most one decimal point, read by hand (most rows); anything
    // else through the standard parser.
    if !b.is_empty() && b.len() <= 15 {
        let (mut int, mut scale, mut point, mut ok) = (0u64, 1u64, false, true);
        for &c in b {
            match c {
                b'0'..=b'9' => {
                    int = int * 10 + u64::from(c - b'0');
                    if point {
                        scale *= 10;
                    }
                }
                b'.' | b',' if !point => point = true,
                _ => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && b.len() > usize::from(point) {
            return Some(int as f64 / scale as f64);
        }
    }
    let s = std::str::from_utf8(b).ok()?.trim();
    let v: f64 = if s.contains(',') {
        s.replace(',', ".").parse().ok()?
    } else {
        s.parse().ok()?
    };
    (v.is_finite() && v >= 0.0).then_some(v)
}

/// Reads one record.
pub fn parse(r: &csv::ByteRecord) -> Result<Row<'_>, RowError> {
    let fields: Vec<&[u8]> = r.iter().collect();
    parse_fields(&fields)
}

/// Reads one row from its fields.
pub fn parse_fields<'a>(f: &[&'a [u8]]) -> Result<Row<'a>, RowError> {
    if f.len() != HEADER.len() {
        return Err(RowError::Columns);
    }
    let patient = f[0];
    if patient.is_empty() {
        return Err(RowError::Patient);
    }
    let date = parse_date(f[1]).ok_or(RowError::Date)?;
    let atc = f[2];
    if atc.is_empty() {
        return Err(RowError::Atc);
    }
    amount(f[5]).ok_or(RowError::Quantity)?;
    let ddd = amount(f[6]).ok_or(RowError::Ddd)?;
    let municipality = f[8];
    if municipality.is_empty() {
        return Err(RowError::Municipality);
    }
    let sex = match f[9] {
        b"F" | b"K" => Sex::F,
        b"M" => Sex::M,
        _ => return Err(RowError::Sex),
    };
    Ok(Row {
        patient,
        date,
        atc,
        ddd,
        unit: f[7],
        municipality,
        sex,
        age_band: f[10],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::strategy::Strategy;

    fn record(fields: &[&str]) -> csv::ByteRecord {
        csv::ByteRecord::from(fields.to_vec())
    }

    const GOOD: [&str; 11] = [
        "P1",
        "2026-03-04",
        "N05BA04",
        "Oxascand",
        "10 mg",
        "100",
        "20",
        "VC1",
        "1401",
        "F",
        "65-79",
    ];

    /// Table: a field changed → the row read, or the reason it is refused.
    #[test]
    fn rows_are_read_or_refused_with_a_reason() {
        let check = |field: usize, value: &str, expect: Result<(), RowError>| {
            let mut f = GOOD;
            f[field] = value;
            let r = record(&f);
            assert_eq!(parse(&r).map(|_| ()), expect, "{field} = {value:?}");
        };
        check(0, "P1", Ok(()));
        check(0, "", Err(RowError::Patient));
        check(1, "2026-3-04", Err(RowError::Date));
        check(1, "2026-02-30", Err(RowError::Date));
        check(1, "04/03/2026", Err(RowError::Date));
        check(2, "", Err(RowError::Atc));
        check(5, "-1", Err(RowError::Quantity));
        check(6, "abc", Err(RowError::Ddd));
        check(6, "12,5", Ok(()));
        check(6, ".", Err(RowError::Ddd));
        check(6, "1.2.3", Err(RowError::Ddd));
        check(6, " 7 ", Ok(()));
        check(6, "NaN", Err(RowError::Ddd));
        check(8, "", Err(RowError::Municipality));
        check(9, "X", Err(RowError::Sex));
        check(9, "M", Ok(()));
        assert_eq!(parse(&record(&GOOD[..10])), Err(RowError::Columns));
        let r = record(&GOOD);
        let row = parse(&r).unwrap();
        assert_eq!(
            (row.date, row.ddd, row.sex),
            (date(2026, 3, 4), 20.0, Sex::F)
        );
    }

    proptest::proptest! {
        /// Whatever the bytes of a row, it is read or refused with a reason — never a
        /// panic — and what is read is sound: a real date, a finite DDD of zero or more.
        /// Each field is near a valid one or anything at all, so that both happen.
        #[test]
        fn any_row_is_read_or_refused(
            fields in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just(b"2026-03-04".to_vec()),
                proptest::strategy::Just(b"N05BA04".to_vec()),
                proptest::strategy::Just(b"F".to_vec()),
                "[0-9]{1,4}([.,][0-9]{0,3})?".prop_map(String::into_bytes),
                "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(String::into_bytes),
                proptest::collection::vec(proptest::prelude::any::<u8>(), 0..12),
            ], 11),
            columns in 9usize..13,
        ) {
            let mut fields = fields;
            fields.resize(columns, b"P1".to_vec());
            let f: Vec<&[u8]> = fields.iter().map(Vec::as_slice).collect();
            if let Ok(row) = parse_fields(&f) {
                proptest::prop_assert!(row.ddd.is_finite() && row.ddd >= 0.0);
                proptest::prop_assert_eq!(parse_date(row.date.to_string().as_bytes()), Some(row.date));
                proptest::prop_assert!(!row.patient.is_empty() && !row.atc.is_empty());
            }
        }

        /// The hand-written reading of plain decimals is the standard parser's, to the
        /// last bit (both are correctly rounded), with a point or a comma.
        #[test]
        fn the_fast_path_reads_as_the_standard_parser(int in 0u64..10_000_000, frac in proptest::option::of("[0-9]{1,6}"), comma in proptest::prelude::any::<bool>()) {
            let text = match frac {
                Some(f) => format!("{int}{}{f}", if comma { ',' } else { '.' }),
                None => int.to_string(),
            };
            let standard: f64 = text.replace(',', ".").parse().unwrap();
            proptest::prop_assert_eq!(amount(text.as_bytes()), Some(standard), "{}", text);
        }

        /// Dates are read strictly: `YYYY-MM-DD` of a real day, and nothing else.
        #[test]
        fn dates_are_read_strictly(day in -700_000i64..2_900_000, text in "[0-9-]{8,12}") {
            if let Ok(d) = date(1970, 1, 1).checked_add(jiff::Span::new().days(day)) {
                let shown = d.to_string();
                let expect = (shown.len() == 10).then_some(d);
                proptest::prop_assert_eq!(parse_date(shown.as_bytes()), expect);
            }
            if let Some(d) = parse_date(text.as_bytes()) {
                proptest::prop_assert_eq!(d.to_string(), text);
            }
        }
    }

    #[test]
    fn groups_follow_the_atc_codes() {
        for (atc, g) in [
            ("N05BA04", Some(Group::Benzodiazepines)),
            ("N05CD02", Some(Group::Benzodiazepines)),
            ("N05CF01", Some(Group::Benzodiazepines)),
            ("N05CH01", None),
            ("N02AA05", Some(Group::Opioids)),
            ("N02BE01", None),
            ("N03AX16", Some(Group::Pregabalin)),
            ("N03AX12", None),
        ] {
            assert_eq!(Group::of(atc.as_bytes()), g, "{atc}");
        }
    }
}
