//! Long-term users from a dispensing file, in one pass and bounded memory: one small
//! aggregate per patient, never the rows.
//!
//! A long-term user of a group is a patient dispensed more than 0.5 DDD per day of it,
//! summed over the 365 days ending on the reference date — VGR's indicator for N05BA,
//! N05CD and N05CF together, and the same idea for opioids (N02A) and pregabalin
//! (N03AX16). A patient counts for the vårdcentral that prescribed them the most of the
//! group in the window, and for the municipality of their latest dispensing. Concurrent
//! use is long-term use of benzodiazepines and of opioids both.

use std::collections::HashMap;
use std::io::Read;

use rustc_hash::FxHashMap;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::dispensing::{GROUPS, Group, HEADER, RowError, parse, parse_fields};

/// What the analysis counts against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// The last day of the 12-month window.
    pub reference: Date,
    /// DDD per day above which use is long-term (VGR: 0.5).
    pub ddd_per_day: f64,
}

impl Settings {
    /// VGR's indicator for the 365 days ending on `reference`.
    pub fn vgr(reference: Date) -> Self {
        Settings {
            reference,
            ddd_per_day: 0.5,
        }
    }

    /// The window's first day.
    pub fn first_day(&self) -> Date {
        self.reference.checked_sub(364.days()).unwrap_or(Date::MIN)
    }
}

/// A refused row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Malformed {
    /// Its line in the file (the header is line 1).
    pub line: u64,
    /// Why.
    pub reason: RowError,
}

/// Rows refused: the first ones by line, and how many in all, by reason.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Refused {
    /// The first [`Refused::KEPT`] refused rows.
    pub first: Vec<Malformed>,
    /// Refused rows in all.
    pub total: u64,
    /// Per reason.
    pub by_reason: Vec<(RowError, u64)>,
}

impl Refused {
    /// How many refused rows are listed by line.
    pub const KEPT: usize = 1000;

    fn add(&mut self, line: u64, reason: RowError) {
        self.total += 1;
        if self.first.len() < Self::KEPT {
            self.first.push(Malformed { line, reason });
        }
        match self.by_reason.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, n)) => *n += 1,
            None => self.by_reason.push((reason, 1)),
        }
    }
}

/// Long-term users of a municipality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    /// Kommunkod (or a unit's code, for vårdcentraler).
    pub code: String,
    /// Long-term users.
    pub users: u64,
    /// Per 1,000 inhabitants, where the population is known.
    pub per_1000: Option<f64>,
}

/// One group's long-term users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupNeeds {
    /// The group.
    pub group: Group,
    /// Patients with any dispensing of the group in the window.
    pub users: u64,
    /// Long-term users.
    pub long_term: u64,
    /// Per prescribing unit, most first (the outreach ranking).
    pub per_unit: Vec<Area>,
    /// Per municipality, by code.
    pub per_municipality: Vec<Area>,
}

/// The analysis of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Needs {
    /// The window, first and last day.
    pub window: (Date, Date),
    /// Rows read (refused ones included).
    pub rows: u64,
    /// Rows of the unit's groups inside the window.
    pub rows_counted: u64,
    /// Distinct patients dispensed anything in the window.
    pub patients: u64,
    /// Rows refused.
    pub refused: Refused,
    /// Per group.
    pub groups: Vec<GroupNeeds>,
    /// Long-term users of benzodiazepines and opioids both.
    pub concurrent: u64,
    /// The same, per municipality.
    pub concurrent_per_municipality: Vec<Area>,
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The header is not the one expected.
    #[error("the first line is not the header {expected}", expected = HEADER.join(","))]
    Header,
    /// Reading failed.
    #[error("the file could not be read: {0}")]
    Read(String),
}

/// Interned strings (patients, units, municipalities): each stored once, the last one
/// remembered — files come sorted by patient more often than not, and a patient keeps
/// a unit and a municipality for many rows.
#[derive(Default)]
struct Names {
    index: FxHashMap<Box<[u8]>, u32>,
    names: Vec<Box<[u8]>>,
    last: Option<u32>,
}

impl Names {
    fn id(&mut self, name: &[u8]) -> u32 {
        if let Some(i) = self.last
            && *self.names[i as usize] == *name
        {
            return i;
        }
        let i = match self.index.get(name) {
            Some(&i) => i,
            None => {
                let i = self.names.len() as u32;
                self.names.push(name.into());
                self.index.insert(name.into(), i);
                i
            }
        };
        self.last = Some(i);
        i
    }

    fn len(&self) -> usize {
        self.names.len()
    }

    fn name(&self, i: u32) -> String {
        String::from_utf8_lossy(&self.names[i as usize]).into_owned()
    }
}

/// One patient, as small as the answer needs.
#[derive(Default)]
struct Patient {
    /// DDD per group in the window.
    ddd: [f64; 3],
    /// DDD per group and prescribing unit in the window.
    units: Vec<(u32, [f64; 3])>,
    /// The municipality of the latest dispensing, and its date.
    municipality: u32,
    latest: Option<Date>,
}

/// The pass over the rows.
pub struct Analyzer {
    settings: Settings,
    first_day: Date,
    patient_ids: Names,
    patients: Vec<Patient>,
    units: Names,
    municipalities: Names,
    rows: u64,
    rows_counted: u64,
    refused: Refused,
}

impl Analyzer {
    /// An empty pass.
    pub fn new(settings: Settings) -> Self {
        Analyzer {
            first_day: settings.first_day(),
            settings,
            patient_ids: Names::default(),
            patients: Vec::new(),
            units: Names::default(),
            municipalities: Names::default(),
            rows: 0,
            rows_counted: 0,
            refused: Refused::default(),
        }
    }

    /// Takes one record found on `line`.
    pub fn add(&mut self, line: u64, record: &csv::ByteRecord) {
        self.take(line, parse(record));
    }

    /// Takes one row found on `line`, read or refused.
    pub fn take(&mut self, line: u64, row: Result<crate::dispensing::Row<'_>, RowError>) {
        self.rows += 1;
        let row = match row {
            Ok(r) => r,
            Err(reason) => {
                self.refused.add(line, reason);
                return;
            }
        };
        // Only the window counts: rows before or after it are checked, not kept.
        if row.date < self.first_day || row.date > self.settings.reference {
            return;
        }
        let municipality = self.municipalities.id(row.municipality);
        let id = self.patient_ids.id(row.patient) as usize;
        if id == self.patients.len() {
            self.patients.push(Patient::default());
        }
        let p = &mut self.patients[id];
        if p.latest.is_none_or(|d| row.date >= d) {
            p.latest = Some(row.date);
            p.municipality = municipality;
        }
        let Some(group) = Group::of(row.atc) else {
            return;
        };
        self.rows_counted += 1;
        let g = group.index();
        p.ddd[g] += row.ddd;
        let unit = self.units.id(row.unit);
        match p.units.iter_mut().find(|(u, _)| *u == unit) {
            Some((_, d)) => d[g] += row.ddd,
            None => {
                let mut d = [0.0; 3];
                d[g] = row.ddd;
                p.units.push((unit, d));
            }
        }
    }

    /// Takes in what `later` read from the lines after this one's.
    pub fn merge(&mut self, later: Analyzer) {
        self.rows += later.rows;
        self.rows_counted += later.rows_counted;
        self.refused.total += later.refused.total;
        for m in later.refused.first {
            if self.refused.first.len() < Refused::KEPT {
                self.refused.first.push(m);
            }
        }
        self.refused.first.sort_by_key(|m| m.line);
        for (reason, n) in later.refused.by_reason {
            match self
                .refused
                .by_reason
                .iter_mut()
                .find(|(r, _)| *r == reason)
            {
                Some((_, k)) => *k += n,
                None => self.refused.by_reason.push((reason, n)),
            }
        }
        for (i, p) in later.patients.into_iter().enumerate() {
            let id = self.patient_ids.id(&later.patient_ids.names[i]) as usize;
            if id == self.patients.len() {
                self.patients.push(Patient::default());
            }
            let q = &mut self.patients[id];
            for g in 0..GROUPS.len() {
                q.ddd[g] += p.ddd[g];
            }
            for (u, d) in p.units {
                let unit = self.units.id(&later.units.names[u as usize]);
                match q.units.iter_mut().find(|(v, _)| *v == unit) {
                    Some((_, e)) => (0..GROUPS.len()).for_each(|g| e[g] += d[g]),
                    None => q.units.push((unit, d)),
                }
            }
            // The later lines win a tie, as they would read in order.
            if p.latest.is_some() && p.latest >= q.latest {
                q.latest = p.latest;
                q.municipality = self
                    .municipalities
                    .id(&later.municipalities.names[p.municipality as usize]);
            }
        }
    }

    /// The counts, per 1,000 inhabitants where `populations` (by kommunkod) knows the
    /// municipality.
    pub fn finish(self, populations: &HashMap<String, u64>) -> Needs {
        let threshold = self.settings.ddd_per_day * 365.0;
        let per_1000 = |code: &str, n: u64| {
            populations
                .get(code)
                .filter(|p| **p > 0)
                .map(|p| n as f64 * 1000.0 / *p as f64)
        };
        let areas = |counts: HashMap<u32, u64>, names: &Names, with_population: bool| {
            let mut out: Vec<Area> = counts
                .into_iter()
                .map(|(i, users)| {
                    let code = names.name(i);
                    Area {
                        per_1000: if with_population {
                            per_1000(&code, users)
                        } else {
                            None
                        },
                        code,
                        users,
                    }
                })
                .collect();
            out.sort_by(|a, b| b.users.cmp(&a.users).then_with(|| a.code.cmp(&b.code)));
            out
        };
        let mut groups = Vec::new();
        for group in GROUPS {
            let g = group.index();
            let (mut users, mut long_term) = (0, 0);
            let mut per_unit: HashMap<u32, u64> = HashMap::new();
            let mut per_municipality: HashMap<u32, u64> = HashMap::new();
            for p in &self.patients {
                if p.ddd[g] > 0.0 || p.units.iter().any(|(_, d)| d[g] > 0.0) {
                    users += 1;
                }
                if p.ddd[g] <= threshold {
                    continue;
                }
                long_term += 1;
                // The unit that prescribed the most of the group; the first code on a tie.
                let main = p
                    .units
                    .iter()
                    .filter(|(_, d)| d[g] > 0.0)
                    .max_by(|a, b| {
                        a.1[g].total_cmp(&b.1[g]).then_with(|| {
                            self.units.names[b.0 as usize].cmp(&self.units.names[a.0 as usize])
                        })
                    })
                    .map(|(u, _)| *u);
                if let Some(u) = main {
                    *per_unit.entry(u).or_default() += 1;
                }
                *per_municipality.entry(p.municipality).or_default() += 1;
            }
            let mut per_municipality = areas(per_municipality, &self.municipalities, true);
            per_municipality.sort_by(|a, b| a.code.cmp(&b.code));
            groups.push(GroupNeeds {
                group,
                users,
                long_term,
                per_unit: areas(per_unit, &self.units, false),
                per_municipality,
            });
        }
        let (b, o) = (Group::Benzodiazepines.index(), Group::Opioids.index());
        let mut concurrent_areas: HashMap<u32, u64> = HashMap::new();
        let mut concurrent = 0;
        for p in &self.patients {
            if p.ddd[b] > threshold && p.ddd[o] > threshold {
                concurrent += 1;
                *concurrent_areas.entry(p.municipality).or_default() += 1;
            }
        }
        let mut concurrent_per_municipality = areas(concurrent_areas, &self.municipalities, true);
        concurrent_per_municipality.sort_by(|a, b| a.code.cmp(&b.code));
        Needs {
            window: (self.first_day, self.settings.reference),
            rows: self.rows,
            rows_counted: self.rows_counted,
            patients: self.patient_ids.len() as u64,
            refused: self.refused,
            groups,
            concurrent,
            concurrent_per_municipality,
        }
    }
}

/// Reads a whole file in one pass on two threads. `progress` is told the bytes read
/// every 16 MiB (and at the end), for a progress bar.
///
/// The file is read in blocks of whole lines; each block is split at a line in its
/// middle and the halves are read side by side into two aggregates, merged at the end.
/// Lines without a quote are split on commas directly; a line with a quote (a field that
/// holds a comma) goes through the CSV reader.
pub fn analyse<R: Read>(
    mut input: R,
    settings: Settings,
    populations: &HashMap<String, u64>,
    progress: &mut dyn FnMut(u64),
) -> Result<Needs, ImportError> {
    let read = |e: std::io::Error| ImportError::Read(e.to_string());
    let mut first = Analyzer::new(settings);
    let mut second = Analyzer::new(settings);
    const BLOCK: usize = 1 << 24;
    let mut buf: Vec<u8> = Vec::with_capacity(2 * BLOCK);
    let (mut line, mut bytes) = (0u64, 0u64);
    let mut header_seen = false;
    loop {
        // Read straight into the block's free end, a whole block's worth if it comes.
        let kept = buf.len();
        buf.resize(kept + BLOCK, 0);
        let mut n = 0;
        while n < BLOCK {
            match input.read(&mut buf[kept + n..]).map_err(read)? {
                0 => break,
                k => n += k,
            }
        }
        buf.truncate(kept + n);
        let at_end = n == 0;
        bytes += n as u64;
        if !header_seen {
            let Some(nl) = memchr::memchr(b'\n', &buf).or(at_end.then_some(buf.len())) else {
                continue;
            };
            let header: Vec<&[u8]> = trim_cr(&buf[..nl]).split(|b| *b == b',').collect();
            if header.len() != HEADER.len()
                || header.iter().zip(HEADER).any(|(h, e)| *h != e.as_bytes())
            {
                return Err(ImportError::Header);
            }
            header_seen = true;
            line = 1;
            buf.drain(..(nl + 1).min(buf.len()));
        }
        // The block: every whole line (at the end, the rest too).
        let end = if at_end {
            buf.len()
        } else {
            match memchr::memrchr(b'\n', &buf) {
                Some(i) => i + 1,
                None => continue,
            }
        };
        let block = &buf[..end];
        let mid = memchr::memchr(b'\n', &block[block.len() / 2..])
            .map_or(block.len(), |i| block.len() / 2 + i + 1);
        let (left, right) = block.split_at(mid);
        let right_line = line + memchr::memchr_iter(b'\n', left).count() as u64;
        std::thread::scope(|s| {
            let other = s.spawn(|| take_lines(&mut second, right_line, right));
            take_lines(&mut first, line, left);
            let _ = other.join();
        });
        line = right_line + memchr::memchr_iter(b'\n', right).count() as u64;
        buf.drain(..end);
        progress(bytes);
        if at_end {
            break;
        }
    }
    if !header_seen {
        return Err(ImportError::Header);
    }
    first.merge(second);
    Ok(first.finish(populations))
}

fn trim_cr(text: &[u8]) -> &[u8] {
    text.strip_suffix(b"\r").unwrap_or(text)
}

/// Every line of `block`, the first being line `after + 1`.
fn take_lines(analyzer: &mut Analyzer, after: u64, block: &[u8]) {
    let mut line = after;
    for text in block.split(|b| *b == b'\n') {
        line += 1;
        let text = trim_cr(text);
        if !text.is_empty() {
            take_line(analyzer, line, text);
        }
    }
}

fn take_line(analyzer: &mut Analyzer, line: u64, text: &[u8]) {
    if memchr::memchr(b'"', text).is_some() {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut record = csv::ByteRecord::new();
        match reader.read_byte_record(&mut record) {
            Ok(true) => analyzer.add(line, &record),
            _ => analyzer.take(line, Err(RowError::Columns)),
        }
        return;
    }
    // Eleven fields on the stack; a twelfth means the row is wrong.
    let mut fields: [&[u8]; HEADER.len() + 1] = [&[]; HEADER.len() + 1];
    let mut n = 0;
    let mut start = 0;
    for comma in memchr::memchr_iter(b',', text) {
        if n == fields.len() {
            break;
        }
        fields[n] = &text[start..comma];
        n += 1;
        start = comma + 1;
    }
    if n < fields.len() {
        fields[n] = &text[start..];
        n += 1;
    }
    analyzer.take(line, parse_fields(&fields[..n]));
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const HEAD: &str = "patient,date,atc,product,strength,quantity,ddd,prescriber_unit,municipality,sex,age_band\n";

    fn run(body: &str) -> Needs {
        let pop: HashMap<String, u64> =
            [("1401".to_owned(), 2000), ("1402".to_owned(), 1000)].into();
        analyse(
            format!("{HEAD}{body}").as_bytes(),
            Settings::vgr(date(2026, 6, 30)),
            &pop,
            &mut |_| {},
        )
        .unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]
        /// Any file — rows of any text, dates at the ends of the calendar, numbers of any
        /// size — is analysed without a panic, and every line is counted once: read or
        /// refused.
        #[test]
        fn any_file_is_analysed(rows in proptest::collection::vec((
            "[A-C]{0,2}",
            proptest::prop_oneof!["[0-9]{4}-[0-9]{2}-[0-9]{2}", proptest::strategy::Just("9999-12-31".to_owned()), proptest::strategy::Just("0000-01-01".to_owned()), proptest::strategy::Just("2026-02-01".to_owned())],
            proptest::prop_oneof![proptest::strategy::Just("N05BA04"), proptest::strategy::Just("N02AA05"), proptest::strategy::Just("N03AX16"), proptest::strategy::Just("X"), proptest::strategy::Just("")],
            "[0-9.,e-]{0,22}",
            proptest::prop_oneof![proptest::strategy::Just("1401"), proptest::strategy::Just("9999"), proptest::strategy::Just("")],
            "[FMKX]?",
            "[^,\n\r\"]{0,6}",
        ), 0..40)) {
            let body: String = rows
                .iter()
                .map(|(p, d, atc, ddd, m, sex, rest)| format!("{p},{d},{atc},x,1 mg,{ddd},{ddd},{rest},{m},{sex},{rest}\n"))
                .collect();
            let n = run(&body);
            proptest::prop_assert_eq!(n.rows, rows.len() as u64);
            proptest::prop_assert!(n.rows_counted <= n.rows);
            proptest::prop_assert!(n.patients <= 3 * 3 + 3 + 1);
        }
    }

    /// A hand-computed fixture: the window is 2025-07-01 … 2026-06-30, the threshold
    /// 182.5 DDD.
    #[test]
    fn long_term_users_by_hand() {
        let n = run(concat!(
            // A: 100 + 90 DDD oxazepam from VC1, in the window: 190 > 182.5 → long-term.
            "A,2025-08-01,N05BA04,Oxascand,10 mg,100,100,VC1,1401,F,65-79\n",
            "A,2026-02-01,N05BA04,Oxascand,10 mg,90,90,VC1,1401,F,65-79\n",
            // B: 182.5 exactly is not more than half a DDD a day.
            "B,2026-01-10,N05CF01,Imovane,7.5 mg,182.5,182.5,VC2,1402,M,45-64\n",
            // C: 300 DDD but before the window.
            "C,2025-06-30,N05CD02,Nitrazepam,5 mg,300,300,VC1,1401,M,80+\n",
            // D: opioids 200 (VC2) and benzodiazepines 100 (VC1) + 100 (VC2): concurrent;
            // benzodiazepines count for VC1 (tie on 100, VC1 first); moved to 1402 last.
            "D,2025-09-01,N02AA05,OxyContin,10 mg,200,200,VC2,1401,F,45-64\n",
            "D,2025-10-01,N05BA01,Stesolid,5 mg,100,100,VC1,1401,F,45-64\n",
            "D,2026-03-01,N05BA01,Stesolid,5 mg,100,100,VC2,1402,F,45-64\n",
            // E: pregabalin 200 DDD, plus a paracetamol row that counts for nothing.
            "E,2026-04-01,N03AX16,Lyrica,75 mg,200,200,VC3,1402,M,20-44\n",
            "E,2026-04-02,N02BE01,Alvedon,500 mg,100,10,VC3,1402,M,20-44\n",
            // Refused: a bad date on line 11, a sex of X on line 12.
            "F,2026-13-01,N05BA04,Oxascand,10 mg,100,100,VC1,1401,F,65-79\n",
            "G,2026-01-01,N05BA04,Oxascand,10 mg,100,100,VC1,1401,X,65-79\n",
        ));
        assert_eq!(n.window, (date(2025, 7, 1), date(2026, 6, 30)));
        // C's one row is before the window.
        assert_eq!((n.rows, n.patients), (11, 4));
        // A's two, B, D's three, E's pregabalin: C is outside, paracetamol not a group.
        assert_eq!(n.rows_counted, 7);
        assert_eq!(
            n.refused.first,
            vec![
                Malformed {
                    line: 11,
                    reason: RowError::Date
                },
                Malformed {
                    line: 12,
                    reason: RowError::Sex
                },
            ]
        );
        let benzo = &n.groups[0];
        assert_eq!(
            (benzo.users, benzo.long_term),
            (3, 2),
            "A, B, D used; A and D long-term"
        );
        assert_eq!(
            benzo.per_unit,
            vec![Area {
                code: "VC1".into(),
                users: 2,
                per_1000: None
            }]
        );
        assert_eq!(
            benzo.per_municipality,
            vec![
                Area {
                    code: "1401".into(),
                    users: 1,
                    per_1000: Some(0.5)
                },
                Area {
                    code: "1402".into(),
                    users: 1,
                    per_1000: Some(1.0)
                },
            ]
        );
        let opioids = &n.groups[1];
        assert_eq!((opioids.users, opioids.long_term), (1, 1));
        assert_eq!(opioids.per_unit[0].code, "VC2");
        let pregabalin = &n.groups[2];
        assert_eq!((pregabalin.users, pregabalin.long_term), (1, 1));
        assert_eq!(n.concurrent, 1);
        assert_eq!(n.concurrent_per_municipality[0].code, "1402");
    }

    /// A field holding a comma is quoted; such a line is read by the CSV reader, with
    /// the same result. A last line without a newline counts too.
    #[test]
    fn quoted_fields_and_a_last_line_without_newline() {
        let n = run(concat!(
            "A,2026-01-01,N05BA04,\"Oxascand, tablett\",10 mg,100,100,VC1,1401,F,65-79\n",
            "A,2026-02-01,N05BA04,Oxascand,10 mg,100,100,VC1,1401,F,65-79"
        ));
        assert_eq!((n.rows, n.refused.total, n.groups[0].long_term), (2, 0, 1));
    }

    #[test]
    fn a_wrong_header_is_refused_whole() {
        let pop = HashMap::new();
        let bad = "id,date\nA,2026-01-01\n";
        assert!(matches!(
            analyse(
                "".as_bytes(),
                Settings::vgr(date(2026, 6, 30)),
                &pop,
                &mut |_| {}
            ),
            Err(ImportError::Header)
        ));
        assert!(matches!(
            analyse(
                bad.as_bytes(),
                Settings::vgr(date(2026, 6, 30)),
                &pop,
                &mut |_| {}
            ),
            Err(ImportError::Header)
        ));
    }
}
