//! From long-term users to the unit's demand and capacity: patients a year, clinicians
//! and teams, and teams per 250,000 inhabitants — on stated assumptions (Trappa's
//! defaults, status U: the region sets its own).

use serde::{Deserialize, Serialize};

use crate::analysis::Needs;
use crate::dispensing::Group;

/// What turns long-term users into work.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Assumptions {
    /// The share of long-term users who start a taper with the unit in a year.
    pub uptake_per_year: f64,
    /// Patients one clinician carries through a taper in a year.
    pub patients_per_clinician_year: f64,
    /// Clinicians in a team (nurses, physician, psychologist/kurator, physiotherapist).
    pub clinicians_per_team: f64,
}

impl Default for Assumptions {
    /// 3 % a year, 30 patients per clinician-year, teams of five (status U).
    fn default() -> Self {
        Assumptions {
            uptake_per_year: 0.03,
            patients_per_clinician_year: 30.0,
            clinicians_per_team: 5.0,
        }
    }
}

/// The estimate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Long-term users of any group, counted once (a concurrent benzodiazepine and opioid
    /// user once; pregabalin overlaps are not known and counted apart).
    pub long_term_users: u64,
    /// Patients a year.
    pub patients_a_year: f64,
    /// Clinicians.
    pub clinicians: f64,
    /// Teams.
    pub teams: f64,
    /// Teams per 250,000 inhabitants.
    pub teams_per_250k: f64,
}

/// The estimate for a population of `population`.
pub fn estimate(needs: &Needs, population: u64, a: &Assumptions) -> Estimate {
    let of = |g: Group| {
        needs
            .groups
            .iter()
            .find(|x| x.group == g)
            .map_or(0, |x| x.long_term)
    };
    let users =
        of(Group::Benzodiazepines) + of(Group::Opioids) + of(Group::Pregabalin) - needs.concurrent;
    let patients_a_year = users as f64 * a.uptake_per_year;
    let clinicians = patients_a_year / a.patients_per_clinician_year;
    let teams = clinicians / a.clinicians_per_team;
    Estimate {
        long_term_users: users,
        patients_a_year,
        clinicians,
        teams,
        teams_per_250k: if population == 0 {
            0.0
        } else {
            teams * 250_000.0 / population as f64
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{GroupNeeds, Refused};
    use jiff::civil::date;

    fn group(group: Group, long_term: u64) -> GroupNeeds {
        GroupNeeds {
            group,
            users: long_term,
            long_term,
            per_unit: vec![],
            per_municipality: vec![],
        }
    }

    /// By hand: 60,000 + 20,000 + 5,000 − 4,000 concurrent = 81,000 users; 3 % → 2,430
    /// patients a year; ÷ 30 → 81 clinicians; ÷ 5 → 16.2 teams; for 1,750,000
    /// inhabitants, 16.2 × 250,000 / 1,750,000 ≈ 2.314 teams per 250,000.
    #[test]
    fn an_estimate_by_hand() {
        let needs = Needs {
            window: (date(2025, 11, 1), date(2026, 10, 31)),
            rows: 0,
            rows_counted: 0,
            patients: 0,
            refused: Refused::default(),
            groups: vec![
                group(Group::Benzodiazepines, 60_000),
                group(Group::Opioids, 20_000),
                group(Group::Pregabalin, 5_000),
            ],
            concurrent: 4_000,
            concurrent_per_municipality: vec![],
        };
        let e = estimate(&needs, 1_750_000, &Assumptions::default());
        assert_eq!(e.long_term_users, 81_000);
        assert!((e.patients_a_year - 2_430.0).abs() < 1e-9);
        assert!((e.clinicians - 81.0).abs() < 1e-9);
        assert!((e.teams - 16.2).abs() < 1e-9);
        assert!((e.teams_per_250k - 16.2 / 7.0).abs() < 1e-9);
    }
}
