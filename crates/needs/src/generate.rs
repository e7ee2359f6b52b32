//! A synthetic dispensing file for the demo and the benchmarks, calibrated to the public
//! figures the project holds (docs and `data/needs/calibration.csv`): per 1,000
//! inhabitants a year, about 60 patients dispensed a benzodiazepine or Z-drug of whom
//! about 35 are long-term users (VGR 2013: 39.5 regular users per 1,000; later "close to
//! 35"), about 80 dispensed an opioid (national, flat 2006–2016) of whom a small share
//! long-term, and about 5 pregabalin (≈ 50,000 patients in Sweden, 2018). The shares of
//! long-term opioid and pregabalin use are Trappa's assumptions (status U). Seeded: the
//! same file every time for the same arguments.

use std::io::Write;

use jiff::ToSpan;
use jiff::civil::Date;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::dispensing::HEADER;

/// A product the generator dispenses.
struct Product {
    atc: &'static str,
    name: &'static str,
    strength: &'static str,
    /// DDD per tablet (strength ÷ the WHO DDD, status M in the reference files).
    ddd_per_unit: f64,
}

const BENZODIAZEPINES: [Product; 5] = [
    Product {
        atc: "N05BA04",
        name: "Oxascand",
        strength: "10 mg",
        ddd_per_unit: 0.2,
    },
    Product {
        atc: "N05BA01",
        name: "Stesolid",
        strength: "5 mg",
        ddd_per_unit: 0.5,
    },
    Product {
        atc: "N05BA12",
        name: "Xanor",
        strength: "0.5 mg",
        ddd_per_unit: 0.5,
    },
    Product {
        atc: "N05CF01",
        name: "Imovane",
        strength: "7.5 mg",
        ddd_per_unit: 1.0,
    },
    Product {
        atc: "N05CF02",
        name: "Stilnoct",
        strength: "10 mg",
        ddd_per_unit: 1.0,
    },
];
const OPIOIDS: [Product; 4] = [
    Product {
        atc: "N02AA05",
        name: "OxyContin",
        strength: "10 mg",
        ddd_per_unit: 10.0 / 75.0,
    },
    Product {
        atc: "N02AX02",
        name: "Tramadol",
        strength: "50 mg",
        ddd_per_unit: 50.0 / 300.0,
    },
    Product {
        atc: "N02AJ06",
        name: "Citodon",
        strength: "500/30 mg",
        ddd_per_unit: 0.125,
    },
    Product {
        atc: "N02AA01",
        name: "Dolcontin",
        strength: "30 mg",
        ddd_per_unit: 0.3,
    },
];
const PREGABALIN: [Product; 1] = [Product {
    atc: "N03AX16",
    name: "Lyrica",
    strength: "75 mg",
    ddd_per_unit: 0.25,
}];
/// Products outside the unit's groups, so the analysis has rows to pass over.
const OTHERS: [Product; 2] = [
    Product {
        atc: "N02BE01",
        name: "Alvedon",
        strength: "500 mg",
        ddd_per_unit: 0.167,
    },
    Product {
        atc: "N05CH01",
        name: "Melatonin",
        strength: "2 mg",
        ddd_per_unit: 1.0,
    },
];

/// Yearly patients per 1,000 inhabitants, and the share of them who are long-term users.
/// `(products, patients per 1,000, long-term share)`.
fn profiles() -> [(&'static [Product], f64, f64); 4] {
    [
        (&BENZODIAZEPINES, 60.0, 35.0 / 60.0),
        (&OPIOIDS, 80.0, 0.15),
        (&PREGABALIN, 5.0, 0.6),
        (&OTHERS, 60.0, 0.0),
    ]
}

const AGE_BANDS: [&str; 5] = ["20-44", "45-64", "65-79", "80+", "0-19"];

/// Where the synthetic patients live and are prescribed.
#[derive(Debug, Clone)]
pub struct Region {
    /// Municipalities: kommunkod and population.
    pub municipalities: Vec<(String, u64)>,
    /// Vårdcentraler: code and kommunkod.
    pub health_centres: Vec<(String, String)>,
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Rows to write (the file stops there).
    pub rows: u64,
    /// The last day of the data.
    pub last_day: Date,
    /// Seed.
    pub seed: u64,
}

/// The share of long-term opioid users who also take a benzodiazepine long-term.
const CONCURRENT: f64 = 0.2;

/// Dispensings a year a long-term user collects (one every 30–90 days).
const LONG_TERM_PER_YEAR: f64 = 365.0 / 60.0;
/// Dispensings an occasional user collects in their year (one to three).
const OCCASIONAL: f64 = 2.0;

/// Writes the header and exactly `options.rows` rows (fewer only if the region is empty);
/// returns the rows written.
///
/// The history reaches back as many years as the rows need. The long-term users of each
/// group — a calibrated cohort — collect throughout it; each year has its own occasional
/// users. The cohort and the latest year are written first, then older years, so the
/// last twelve months are complete whatever the cut.
pub fn generate<W: Write>(out: W, region: &Region, options: Options) -> std::io::Result<u64> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, out);
    writeln!(out, "{}", HEADER.join(","))?;
    let total: u64 = region.municipalities.iter().map(|m| m.1).sum();
    if total == 0 || options.rows == 0 {
        out.flush()?;
        return Ok(0);
    }
    let per_year: f64 = profiles()
        .iter()
        .map(|(_, per_1000, long)| {
            total as f64 * per_1000 / 1000.0
                * (long * LONG_TERM_PER_YEAR + (1.0 - long) * OCCASIONAL)
        })
        .sum();
    let years = ((options.rows as f64 / per_year).ceil() as i64).max(1);
    let mut w = Writer {
        out,
        rng: StdRng::seed_from_u64(options.seed),
        region,
        cumulative: region
            .municipalities
            .iter()
            .scan(0, |acc, (_, p)| {
                *acc += p;
                Some(*acc)
            })
            .collect(),
        total,
        patient: 0,
        written: 0,
        limit: options.rows,
        line: String::with_capacity(128),
    };
    let first_day = options
        .last_day
        .checked_sub((365 * years - 1).days())
        .unwrap_or(options.last_day);
    // The long-term cohort, collecting from the start to the last day. A fifth of the
    // long-term opioid users also take a benzodiazepine long-term (Trappa's assumption,
    // status U), counted within the benzodiazepine rate.
    for (i, (products, per_1000, long)) in profiles().into_iter().enumerate() {
        let mut n = (total as f64 * per_1000 / 1000.0 * long) as u64;
        // Profiles 0 and 1 are the benzodiazepines and the opioids.
        let opioids = i == 1;
        if i == 0 {
            n -= (total as f64 * 80.0 / 1000.0 * 0.15 * CONCURRENT) as u64;
        }
        for _ in 0..n {
            let also = (opioids && w.rng.random_bool(CONCURRENT)).then_some(&BENZODIAZEPINES[..]);
            if !w.patient(products, also, first_day, options.last_day, true)? {
                return w.done();
            }
        }
    }
    // Occasional users, year by year from the latest.
    for y in 0..years {
        let last = options
            .last_day
            .checked_sub((365 * y).days())
            .unwrap_or(first_day);
        let first = last.checked_sub(364.days()).unwrap_or(first_day);
        for (products, per_1000, long) in profiles() {
            let n = (total as f64 * per_1000 / 1000.0 * (1.0 - long)) as u64;
            for _ in 0..n {
                if !w.patient(products, None, first, last, false)? {
                    return w.done();
                }
            }
        }
    }
    w.done()
}

struct Writer<'a, W: Write> {
    out: std::io::BufWriter<W>,
    rng: StdRng,
    region: &'a Region,
    cumulative: Vec<u64>,
    total: u64,
    patient: u64,
    written: u64,
    limit: u64,
    line: String,
}

impl<W: Write> Writer<'_, W> {
    fn done(mut self) -> std::io::Result<u64> {
        self.out.flush()?;
        Ok(self.written)
    }

    /// One patient's dispensings in `[first, last]` — of one of `products`, and of one of
    /// `also` if given; false once the rows are written.
    fn patient(
        &mut self,
        products: &[Product],
        also: Option<&[Product]>,
        first: Date,
        last: Date,
        long_term: bool,
    ) -> std::io::Result<bool> {
        self.patient += 1;
        let rng = &mut self.rng;
        let at = rng.random_range(0..self.total);
        let m = self.cumulative.partition_point(|c| *c <= at);
        let municipality = self.region.municipalities[m].0.clone();
        let local: Vec<&String> = self
            .region
            .health_centres
            .iter()
            .filter(|(_, k)| *k == municipality)
            .map(|(c, _)| c)
            .collect();
        let unit = if local.is_empty() || rng.random_bool(0.1) {
            // A hospital clinic, not a vårdcentral.
            format!("SJH-{:02}", rng.random_range(1..=12))
        } else {
            local[rng.random_range(0..local.len())].clone()
        };
        let who = Who {
            sex: if rng.random_bool(0.6) { "F" } else { "M" },
            age: AGE_BANDS[rng.random_range(0..4)],
            unit,
            municipality,
        };
        for list in std::iter::once(products).chain(also) {
            let product = &list[self.rng.random_range(0..list.len())];
            if !self.series(product, &who, first, last, long_term)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// One product's dispensings to one patient.
    fn series(
        &mut self,
        product: &Product,
        who: &Who,
        first: Date,
        last: Date,
        long_term: bool,
    ) -> std::io::Result<bool> {
        use std::fmt::Write as _;
        let rng = &mut self.rng;
        let span = (last - first).get_days().max(1);
        // A long-term user collects every 30–90 days, 0.6–1.5 DDD a day; an occasional
        // one one to three small packs in the year.
        let (mut day, mut packs) = if long_term {
            (
                first
                    .checked_add(rng.random_range(0..60).days())
                    .unwrap_or(first),
                u32::MAX,
            )
        } else {
            (
                first
                    .checked_add(rng.random_range(0..span).days())
                    .unwrap_or(first),
                rng.random_range(1..=3),
            )
        };
        while day <= last && packs > 0 {
            packs -= 1;
            let gap: i64 = if long_term {
                self.rng.random_range(30..=90)
            } else {
                self.rng.random_range(14..=120)
            };
            let per_day = if long_term {
                self.rng.random_range(0.6..1.5)
            } else {
                self.rng.random_range(0.1..0.5)
            };
            let units = ((per_day * gap as f64) / product.ddd_per_unit)
                .round()
                .max(1.0);
            let ddd = units * product.ddd_per_unit;
            self.line.clear();
            let _ = write!(
                self.line,
                "P{:08x},{day},{},{},{},{units},{ddd:.3},{},{},{},{}",
                self.patient,
                product.atc,
                product.name,
                product.strength,
                who.unit,
                who.municipality,
                who.sex,
                who.age
            );
            writeln!(self.out, "{}", self.line)?;
            self.written += 1;
            if self.written >= self.limit {
                return Ok(false);
            }
            match day.checked_add(gap.days()) {
                Ok(d) => day = d,
                Err(_) => break,
            }
        }
        Ok(true)
    }
}

/// A synthetic patient's fixed facts.
struct Who {
    sex: &'static str,
    age: &'static str,
    unit: String,
    municipality: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Settings, analyse};
    use jiff::civil::date;
    use std::collections::HashMap;

    fn region() -> Region {
        Region {
            municipalities: vec![("1401".into(), 40_000), ("1402".into(), 41_000)],
            health_centres: vec![("VC1".into(), "1401".into()), ("VC2".into(), "1402".into())],
        }
    }

    #[test]
    fn the_generated_file_reads_back_clean_and_near_its_calibration() {
        let mut buf = Vec::new();
        let options = Options {
            rows: 300_000,
            last_day: date(2026, 10, 31),
            seed: 7,
        };
        let rows = generate(&mut buf, &region(), options).unwrap();
        let population: HashMap<String, u64> = region().municipalities.into_iter().collect();
        let n = analyse(
            buf.as_slice(),
            Settings::vgr(options.last_day),
            &population,
            &mut |_| {},
        )
        .unwrap();
        assert_eq!((rows, n.rows, n.refused.total), (options.rows, rows, 0));
        // Calibrated per 1,000 inhabitants in the last twelve months, however many years
        // of history the rows need: benzodiazepines about 35 long-term users, opioids
        // 80 × 0.15 = 12, pregabalin 5 × 0.6 = 3.
        let per_1000 = |g: usize| n.groups[g].long_term as f64 / 81.0;
        assert!((30.0..40.0).contains(&per_1000(0)), "{}", per_1000(0));
        assert!((9.0..15.0).contains(&per_1000(1)), "{}", per_1000(1));
        assert!((2.0..4.0).contains(&per_1000(2)), "{}", per_1000(2));
        // A fifth of the long-term opioid users: about 2.4 per 1,000.
        let concurrent = n.concurrent as f64 / 81.0;
        assert!((1.5..3.5).contains(&concurrent), "{concurrent}");
        let same = generate(&mut Vec::new(), &region(), options).unwrap();
        assert_eq!(same, rows, "seeded");
    }
}
