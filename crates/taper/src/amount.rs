//! Exact dose amounts.
//!
//! Doses are sums of tablet pieces and measured volumes; adding them up in floating point
//! would make "is this dose achievable?" a question of tolerance. An [`Amount`] is an
//! integer count of millionths of the dose unit (mg, or µg/h for patches), so a quarter of
//! a 0.25 mg tablet (62.5 µg) or a drop of 2.5 mg/ml (0.1 mg) is exact.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Millionths of the dose unit per unit.
pub const MICRO: i64 = 1_000_000;

/// A dose in millionths of its unit. Serialised as a decimal number of the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(pub i64);

impl Amount {
    /// Nothing.
    pub const ZERO: Amount = Amount(0);

    /// From a decimal number of the unit, rounded to the nearest millionth; `None` for
    /// NaN, infinities and values beyond ±9 × 10¹² units.
    pub fn from_f64(value: f64) -> Option<Amount> {
        if !value.is_finite() || value.abs() > 9.0e12 {
            return None;
        }
        Some(Amount((value * MICRO as f64).round() as i64))
    }

    /// The amount as a decimal number of the unit.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / MICRO as f64
    }

    /// True when zero.
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The amount times a whole number.
    pub fn times(self, n: i64) -> Amount {
        Amount(self.0 * n)
    }

    /// Formats with up to three decimals and a decimal comma, as Swedish text does
    /// ("2,5", "0,125", "10").
    pub fn sv(self) -> String {
        self.format(',')
    }

    fn format(self, decimal: char) -> String {
        let negative = self.0 < 0;
        let abs = self.0.unsigned_abs();
        // Round to thousandths for display.
        let thousandths = (abs + 500) / 1000;
        let whole = thousandths / 1000;
        let frac = thousandths % 1000;
        let mut s = String::new();
        if negative && thousandths != 0 {
            s.push('-');
        }
        s.push_str(&whole.to_string());
        if frac != 0 {
            let digits = format!("{frac:03}");
            s.push(decimal);
            s.push_str(digits.trim_end_matches('0'));
        }
        s
    }
}

impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, rhs: Amount) -> Amount {
        Amount(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Amount {
    type Output = Amount;
    fn sub(self, rhs: Amount) -> Amount {
        Amount(self.0 - rhs.0)
    }
}

impl std::ops::AddAssign for Amount {
    fn add_assign(&mut self, rhs: Amount) {
        self.0 += rhs.0;
    }
}

impl std::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        Amount(iter.map(|a| a.0).sum())
    }
}

impl fmt::Display for Amount {
    /// With a decimal point, for logs and English text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format('.'))
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
        let v = f64::deserialize(d)?;
        Amount::from_f64(v).ok_or_else(|| serde::de::Error::custom("not a finite dose"))
    }
}

impl JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Amount".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "description": "A dose in the drug's unit (mg, or µg/h for patches), exact to a millionth."
        })
    }
}

/// Parses a decimal number written with a point or a Swedish decimal comma.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let t = text.trim().replace(',', ".");
    if t.is_empty() || t.starts_with('+') {
        return None;
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_swedish_text() {
        let check = |mg: f64, expect: &str| assert_eq!(Amount::from_f64(mg).unwrap().sv(), expect);
        check(10.0, "10");
        check(2.5, "2,5");
        check(0.125, "0,125");
        check(0.0625, "0,063");
        check(0.0, "0");
        check(1234.5, "1234,5");
    }

    #[test]
    fn parses_point_and_comma() {
        assert_eq!(parse_decimal("2,5"), Some(2.5));
        assert_eq!(parse_decimal(" 7.5 "), Some(7.5));
        assert_eq!(parse_decimal(""), None);
        assert_eq!(parse_decimal("abc"), None);
        assert_eq!(parse_decimal("NaN"), None);
        assert_eq!(parse_decimal("inf"), None);
    }

    #[test]
    fn refuses_non_finite() {
        assert_eq!(Amount::from_f64(f64::NAN), None);
        assert_eq!(Amount::from_f64(f64::INFINITY), None);
        assert_eq!(Amount::from_f64(1e13), None);
    }
}
