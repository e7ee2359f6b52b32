//! Symptom and outcome instruments as data (`data/scales/instruments.toml`): items with
//! their allowed values, the scoring rule (sum, mean, or a total entered as such), the
//! bands, and the licence. Where an instrument's text is copyrighted or its licence is
//! unclear, only its total is stored. A scored answer becomes a [`Band`] (and flags, such
//! as PHQ-9 item 9) that the taper engine's adaptation takes.
//!
//! `Scored::observation` gives the engine's band and flags for a scored answer. This
//! crate is the first piece of the patient path (issue 4).
//!
//! Modules: [`assigned`] — instruments the care team assigns the patient between
//! visits: when each is due, and the clinician's cut-offs where no official bands exist.

pub mod assigned;

use serde::{Deserialize, Serialize};
use trappa_taper::adapt::{Band, Flag, Observation, Score};
use trappa_taper::reference::Status;

const INSTRUMENTS: &str = include_str!("../../../data/scales/instruments.toml");

/// Who rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rater {
    /// The patient.
    #[serde(rename = "self")]
    Patient,
    /// A clinician.
    Clinician,
    /// Some items each.
    Mixed,
}

/// How the score is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scoring {
    /// The sum of the items.
    Sum,
    /// The mean of the items (PEG).
    Mean,
    /// Only the total is entered (items not stored).
    Total,
}

/// One item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable id.
    pub id: String,
    /// A short label (not the copyrighted item text).
    pub name: String,
    /// Lowest value.
    pub min: i32,
    /// Highest value.
    pub max: i32,
    /// The only values allowed, when not every whole number between (AUDIT 9–10).
    #[serde(default)]
    pub values: Vec<i32>,
    /// An answer above this raises `flag`.
    #[serde(default)]
    pub flag_above: Option<i32>,
    /// The flag raised.
    #[serde(default)]
    pub flag: Option<Flag>,
}

impl Item {
    fn allows(&self, v: i32) -> bool {
        if self.values.is_empty() {
            (self.min..=self.max).contains(&v)
        } else {
            self.values.contains(&v)
        }
    }
}

/// A band of the total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandRange {
    /// From (inclusive).
    pub from: f64,
    /// To (inclusive).
    pub to: f64,
    /// The engine's band.
    pub band: Band,
    /// The instrument's own name for it, in Swedish.
    pub label: String,
}

/// An instrument.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instrument {
    /// Stable id ("cows", "phq-9").
    pub id: String,
    /// Name.
    pub name: String,
    /// What it is used for.
    #[serde(rename = "use")]
    pub purpose: String,
    /// What a patient reads (a self-rated instrument's subject in plain Swedish, its
    /// short name after: "Sömn (ISI)"); required for self-rated instruments.
    #[serde(default)]
    pub patient_name: Option<String>,
    /// Who rates.
    pub rater: Rater,
    /// How it is scored.
    pub scoring: Scoring,
    /// Lowest total.
    pub min: f64,
    /// Highest total.
    pub max: f64,
    /// False where only the total may be stored.
    pub store_items: bool,
    /// False where the items' names are only numbers ("Fråga 1") because the item
    /// texts are not shipped: the patient answers from the paper form.
    #[serde(default = "shipped")]
    pub item_texts: bool,
    /// The licence as known, in the source's words.
    pub licence: String,
    /// The licence in Swedish, as the pages show it.
    pub licence_sv: String,
    /// Its status.
    pub licence_status: Status,
    /// Where the scoring comes from.
    pub source: String,
    /// Its status.
    pub status: Status,
    /// Items (empty when only the total is stored).
    #[serde(default)]
    pub items: Vec<Item>,
    /// Bands (empty: no official cut-offs; the clinician judges).
    #[serde(default)]
    pub bands: Vec<BandRange>,
    /// The bands' status.
    pub bands_status: Status,
}

fn shipped() -> bool {
    true
}

#[derive(Deserialize)]
struct File {
    version: String,
    instrument: Vec<Instrument>,
}

/// Every instrument, validated.
#[derive(Debug, Clone)]
pub struct Instruments {
    /// The data version.
    pub version: String,
    /// The instruments.
    pub all: Vec<Instrument>,
}

/// A broken instruments file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("instruments: {0}")]
pub struct DataError(String);

/// What was answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Answers {
    /// One value per item, in item order.
    Items {
        /// The values.
        values: Vec<i32>,
        /// The clinician's band, for instruments without official bands.
        #[serde(default)]
        band: Option<Band>,
    },
    /// The total only.
    Total {
        /// The total.
        total: f64,
        /// The clinician's band, for instruments without official bands.
        #[serde(default)]
        band: Option<Band>,
    },
}

/// Why answers were refused; `field` names the item or "total".
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct ScoreError {
    /// The item id, "total", "band" or "items".
    pub field: String,
    /// What is wrong (English; the web layer words it in Swedish).
    pub problem: ScoreProblem,
}

/// What is wrong with answers.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum ScoreProblem {
    /// Outside the allowed values.
    #[error("not an allowed value")]
    NotAllowed,
    /// Items given where only the total may be stored, or the wrong number of them.
    #[error("items not accepted here")]
    Items,
    /// No official bands: the clinician's band is needed.
    #[error("a band is needed")]
    BandNeeded,
}

/// A scored answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    /// The total (a mean for mean-scored instruments).
    pub total: f64,
    /// The band.
    pub band: Band,
    /// The instrument's own label for it, when it has bands.
    pub label: Option<String>,
    /// Flags raised by items.
    pub flags: Vec<Flag>,
    /// The item values, only where they may be stored.
    pub items: Option<Vec<i32>>,
}

impl Scored {
    /// The score as one day's observation for the taper engine's adaptation
    /// (`trappa_taper::adapt::propose_next`), with the flags its items raised.
    pub fn observation(&self, instrument: &Instrument, date: jiff::civil::Date) -> Observation {
        Observation {
            date,
            scores: vec![Score {
                instrument: instrument.name.clone(),
                value: self.total,
                band: self.band,
            }],
            flags: self.flags.clone(),
            acted_on: false,
        }
    }
}

impl Instruments {
    /// The shipped instruments, parsed and validated.
    pub fn builtin() -> Result<Instruments, DataError> {
        let file: File = toml::from_str(INSTRUMENTS).map_err(|e| DataError(e.to_string()))?;
        for i in &file.instrument {
            validate(i).map_err(|m| DataError(format!("{}: {m}", i.id)))?;
        }
        Ok(Instruments {
            version: file.version,
            all: file.instrument,
        })
    }

    /// An instrument by id.
    pub fn get(&self, id: &str) -> Option<&Instrument> {
        self.all.iter().find(|i| i.id == id)
    }
}

fn validate(i: &Instrument) -> Result<(), String> {
    if i.min.partial_cmp(&i.max) != Some(std::cmp::Ordering::Less) {
        return Err("min must be below max".into());
    }
    if i.rater == Rater::Patient
        && i.patient_name
            .as_deref()
            .is_none_or(|n| n.trim().is_empty())
    {
        return Err("a self-rated instrument needs the name a patient reads (patient_name)".into());
    }
    match i.scoring {
        Scoring::Total if !i.items.is_empty() || i.store_items => {
            return Err("a total-only instrument has no stored items".into());
        }
        Scoring::Sum | Scoring::Mean if i.items.is_empty() || !i.store_items => {
            return Err("an item-scored instrument needs items it may store".into());
        }
        _ => {}
    }
    for item in &i.items {
        if item.min > item.max || item.values.iter().any(|v| *v < item.min || *v > item.max) {
            return Err(format!(
                "item {} has an empty or inconsistent range",
                item.id
            ));
        }
        if item.flag_above.is_some() != item.flag.is_some() {
            return Err(format!("item {} needs both flag_above and flag", item.id));
        }
    }
    if matches!(i.scoring, Scoring::Sum) {
        let lo: i32 = i.items.iter().map(|it| it.min).sum();
        let hi: i32 = i.items.iter().map(|it| it.max).sum();
        if f64::from(lo) != i.min || f64::from(hi) != i.max {
            return Err(format!(
                "items sum to {lo}–{hi}, the instrument says {}–{}",
                i.min, i.max
            ));
        }
    }
    // Bands cover the whole range without gaps or overlaps, in order, never milder
    // at a higher score.
    if !i.bands.is_empty() {
        if i.bands[0].from != i.min || i.bands.last().map(|b| b.to) != Some(i.max) {
            return Err("bands must cover the whole range".into());
        }
        for w in i.bands.windows(2) {
            if w[1].from != w[0].to + 1.0 && !matches!(i.scoring, Scoring::Mean) {
                return Err("bands leave a gap or overlap".into());
            }
            if w[1].band < w[0].band {
                return Err("a higher score may not be a milder band".into());
            }
        }
    }
    Ok(())
}

impl Instrument {
    /// The name a patient reads: `patient_name`, else the instrument's own.
    pub fn name_for_patient(&self) -> &str {
        self.patient_name.as_deref().unwrap_or(&self.name)
    }

    /// Scores answers; refuses values outside the items' ranges, items where only the
    /// total may be stored, and totals without a band where there are no official bands.
    pub fn score(&self, answers: &Answers) -> Result<Scored, ScoreError> {
        self.score_with(answers, None)
    }

    /// Scores answers as [`Instrument::score`] does; where the instrument has no
    /// official bands and the answers carry no band, the clinician's `cutoffs` for the
    /// patient band the total (a patient's own answers, which never judge their band).
    pub fn score_with(
        &self,
        answers: &Answers,
        cutoffs: Option<&assigned::Cutoffs>,
    ) -> Result<Scored, ScoreError> {
        let err = |field: &str, problem| ScoreError {
            field: field.to_owned(),
            problem,
        };
        let (total, items, flags, given_band) = match answers {
            Answers::Items { values, band } => {
                if !self.store_items || values.len() != self.items.len() {
                    return Err(err("items", ScoreProblem::Items));
                }
                let mut flags = Vec::new();
                for (item, v) in self.items.iter().zip(values) {
                    if !item.allows(*v) {
                        return Err(err(&item.id, ScoreProblem::NotAllowed));
                    }
                    if let (Some(limit), Some(flag)) = (item.flag_above, item.flag)
                        && *v > limit
                    {
                        flags.push(flag);
                    }
                }
                let sum: i32 = values.iter().sum();
                let total = match self.scoring {
                    Scoring::Mean => f64::from(sum) / values.len() as f64,
                    _ => f64::from(sum),
                };
                (total, Some(values.clone()), flags, *band)
            }
            Answers::Total { total, band } => {
                if !total.is_finite() || *total < self.min || *total > self.max {
                    return Err(err("total", ScoreProblem::NotAllowed));
                }
                if self.store_items && self.scoring == Scoring::Sum && total.fract() != 0.0 {
                    return Err(err("total", ScoreProblem::NotAllowed));
                }
                (*total, None, Vec::new(), *band)
            }
        };
        let found = self
            .bands
            .iter()
            .find(|b| total >= b.from && total <= b.to + 0.999_999);
        let (band, label) = match (found, given_band) {
            (Some(b), _) => (b.band, Some(b.label.clone())),
            (None, Some(b)) => (b, None),
            (None, None) if cutoffs.is_some() => (
                cutoffs.map_or(Band::None, |c| c.band(total, self.min)),
                None,
            ),
            (None, None) => return Err(err("band", ScoreProblem::BandNeeded)),
        };
        Ok(Scored {
            total,
            band,
            label,
            flags,
            items,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn instruments() -> Instruments {
        Instruments::builtin().expect("the instruments file validates")
    }

    /// Table-driven: (instrument, answers) → (total, band, flags).
    #[test]
    fn scores_and_bands() {
        let all = instruments();
        let check = |id: &str, answers: Answers, expect: (f64, Band, &[Flag])| {
            let s = all.get(id).unwrap().score(&answers).unwrap();
            assert_eq!((s.total, s.band, s.flags.as_slice()), expect, "{id}");
        };
        let items = |v: &[i32]| Answers::Items {
            values: v.to_vec(),
            band: None,
        };
        check(
            "cows",
            items(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]),
            (4.0, Band::None, &[]),
        );
        check(
            "cows",
            items(&[1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]),
            (5.0, Band::Mild, &[]),
        );
        check(
            "cows",
            items(&[2, 2, 2, 2, 2, 1, 1, 1, 0, 0, 0]),
            (13.0, Band::Moderate, &[]),
        );
        check(
            "cows",
            items(&[4, 4, 5, 5, 4, 4, 5, 4, 0, 0, 2]),
            (37.0, Band::Severe, &[]),
        );
        check(
            "phq-9",
            items(&[1, 1, 1, 1, 1, 0, 0, 0, 1]),
            (6.0, Band::Mild, &[Flag::SuicidalThoughts]),
        );
        check(
            "phq-9",
            items(&[3, 3, 3, 3, 3, 3, 2, 0, 0]),
            (20.0, Band::Severe, &[]),
        );
        check(
            "peg",
            Answers::Items {
                values: vec![6, 3, 3],
                band: Some(Band::Mild),
            },
            (4.0, Band::Mild, &[]),
        );
        check(
            "audit",
            items(&[2, 2, 2, 2, 0, 0, 0, 0, 0, 0]),
            (8.0, Band::Mild, &[]),
        );
        check(
            "isi",
            Answers::Total {
                total: 15.0,
                band: None,
            },
            (15.0, Band::Moderate, &[]),
        );
        check(
            "bwsq",
            Answers::Total {
                total: 12.0,
                band: Some(Band::Moderate),
            },
            (12.0, Band::Moderate, &[]),
        );
    }

    #[test]
    fn refuses_what_does_not_fit() {
        let all = instruments();
        let cows = all.get("cows").unwrap();
        let e = cows
            .score(&Answers::Items {
                values: vec![5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                band: None,
            })
            .unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.problem),
            ("pulse", ScoreProblem::NotAllowed)
        );
        let e = cows
            .score(&Answers::Items {
                values: vec![0; 3],
                band: None,
            })
            .unwrap_err();
        assert_eq!(e.problem, ScoreProblem::Items);
        // AUDIT 9–10 take 0, 2 or 4.
        let audit = all.get("audit").unwrap();
        let e = audit
            .score(&Answers::Items {
                values: vec![0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
                band: None,
            })
            .unwrap_err();
        assert_eq!(e.field, "q9");
        // Copyrighted texts: only the total.
        let isi = all.get("isi").unwrap();
        assert!(!isi.store_items && isi.items.is_empty());
        assert_eq!(
            isi.score(&Answers::Items {
                values: vec![1; 7],
                band: None
            })
            .unwrap_err()
            .problem,
            ScoreProblem::Items
        );
        assert_eq!(
            isi.score(&Answers::Total {
                total: 29.0,
                band: None
            })
            .unwrap_err()
            .field,
            "total"
        );
        // No official BWSQ cut-offs: the clinician's band is needed.
        let bwsq = all.get("bwsq").unwrap();
        assert_eq!(
            bwsq.score(&Answers::Total {
                total: 12.0,
                band: None
            })
            .unwrap_err()
            .problem,
            ScoreProblem::BandNeeded
        );
    }

    /// A PHQ-9 with item 9 above zero reaches the engine as an urgent flag.
    #[test]
    fn a_score_feeds_the_engines_proposal() {
        let all = instruments();
        let phq = all.get("phq-9").unwrap();
        let s = phq
            .score(&Answers::Items {
                values: vec![1, 1, 0, 0, 0, 0, 0, 0, 1],
                band: None,
            })
            .unwrap();
        let day: jiff::civil::Date = "2027-01-19".parse().unwrap();
        let obs = s.observation(phq, day);
        assert_eq!(
            (obs.scores[0].band, obs.flags.as_slice()),
            (Band::None, &[Flag::SuicidalThoughts][..])
        );
    }

    proptest! {
        /// Any allowed answers score within the range, and a higher total is never a
        /// milder band.
        #[test]
        fn allowed_answers_score_within_range_and_bands_are_monotone(pick in 0usize..64, seed in prop::collection::vec(any::<u16>(), 12), bump in 0usize..12) {
            let all = instruments();
            let scored: Vec<&Instrument> = all.all.iter().filter(|i| i.store_items && !i.bands.is_empty()).collect();
            let inst = scored[pick % scored.len()];
            let pick_value = |item: &Item, r: u16| -> i32 {
                if item.values.is_empty() { item.min + i32::from(r) % (item.max - item.min + 1) } else { item.values[usize::from(r) % item.values.len()] }
            };
            let values: Vec<i32> = inst.items.iter().zip(&seed).map(|(it, r)| pick_value(it, *r)).collect();
            let s = inst.score(&Answers::Items { values: values.clone(), band: None }).unwrap();
            prop_assert!(s.total >= inst.min && s.total <= inst.max);
            // Raise one item to its maximum: the band never gets milder.
            let k = bump % inst.items.len();
            let mut higher = values;
            higher[k] = inst.items[k].values.iter().copied().max().unwrap_or(inst.items[k].max);
            let h = inst.score(&Answers::Items { values: higher, band: None }).unwrap();
            prop_assert!(h.total >= s.total && h.band >= s.band);
        }
    }
}
