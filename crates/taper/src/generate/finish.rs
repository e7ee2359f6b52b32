//! The plan finished from its steps: the fewest products, each step's length, the
//! notes on the whole plan (the catch-up's share, a drug behind its curve) and the
//! ideal line.

use crate::amount::Amount;
use crate::error::InputError;
use crate::notice::Notice;
use crate::plan::*;
use crate::rules::RuleId;

use super::curve;
use super::products::{drug_step, keep_to_fewest_products, products_in, totals};
use super::setup::Setup;
use super::steps::Made;

impl Setup<'_> {
    /// The plan from the steps `made`, with the notes on the whole plan after
    /// `warnings`.
    pub(super) fn finish(
        self,
        request: &PlanRequest,
        made: Made,
        mut warnings: Vec<Notice>,
    ) -> Result<Plan, InputError> {
        let Made {
            mut steps,
            caught_up,
            ..
        } = made;
        self.keep_to_fewest_products(&mut steps, &mut warnings);
        // Days per step.
        for k in 0..steps.len() {
            steps[k].days = steps
                .get(k + 1)
                .map(|n| (n.start - steps[k].start).get_days() as u32);
        }
        // The catch-up's share is named when it is the rule's and unverified.
        let rule = self.data.rule(RuleId::CatchUpPercent).value.value;
        if caught_up && (self.catch_up * 100.0 - rule).abs() < 1e-9 {
            super::defaults::rule_or(self.data, RuleId::CatchUpPercent, None, &mut warnings);
        }
        self.note_behind_curve(request, &steps, &mut warnings);
        let ideal: Vec<Vec<IdealPoint>> =
            self.tracks.iter().map(|t| curve::ideal(&t.curve)).collect();
        for step in &mut steps {
            let day = (step.start - request.start).get_days();
            for (i, ds) in step.drugs.iter_mut().enumerate() {
                if matches!(ds.change, Change::CrossOverIn | Change::CrossOverOut) {
                    continue;
                }
                ds.ideal = ideal[i]
                    .iter()
                    .rev()
                    .find(|p| i64::from(p.day) <= i64::from(day))
                    .map(|p| p.dose);
            }
        }
        let baseline: Vec<DrugStep> = self
            .baseline
            .iter()
            .enumerate()
            .map(|(i, s)| drug_step(&self.tracks[i].menu, s, Change::Same, None, &[]))
            .collect();
        let baseline_totals = totals(&self.drugs, &baseline);
        Ok(Plan {
            schema: PLAN_SCHEMA,
            data_version: self.data.version.clone(),
            de_table: self.de_table.clone(),
            mme_table: self.mme_table.clone(),
            request: request.clone(),
            drugs: self.drugs,
            baseline,
            baseline_totals,
            steps,
            ideal,
            warnings,
        })
    }

    /// The fewest products that make every dose of the plan, those the patient takes
    /// now first: strengths do not change from step to step.
    fn keep_to_fewest_products(&self, steps: &mut [Step], warnings: &mut Vec<Notice>) {
        for i in 0..self.tracks.len() {
            let now = products_in(&drug_step(
                &self.tracks[i].menu,
                &self.baseline[i],
                Change::Same,
                None,
                &[],
            ));
            let used = keep_to_fewest_products(&self.tracks[i].menu, steps, i, &now);
            if !used.is_empty() {
                warnings.push(Notice::ProductsUsed {
                    substance: self.drugs[i].name.clone(),
                    products: used
                        .iter()
                        .map(|p| self.drugs[i].products[usize::from(*p)].name.clone())
                        .collect(),
                });
            }
        }
    }

    /// A drug whose reductions lag its curve by an interval (at least two weeks) is
    /// named, with a finer product if one exists.
    fn note_behind_curve(&self, request: &PlanRequest, steps: &[Step], warnings: &mut Vec<Notice>) {
        let interval_days = i64::from(request.pace().interval_weeks()) * 7;
        for (i, t) in self.tracks.iter().enumerate() {
            let reduced: Vec<(i64, Amount)> = steps
                .iter()
                .filter(|s| matches!(s.drugs[i].change, Change::Reduced | Change::Granular))
                .map(|s| {
                    (
                        (s.start - request.start).get_days().into(),
                        s.drugs[i].per_day,
                    )
                })
                .collect();
            let lag = curve::largest_lag(&t.curve, &reduced);
            if lag >= interval_days.max(14) {
                warnings.push(Notice::BehindCurve {
                    substance: self.drugs[i].name.clone(),
                    weeks: (lag / 7) as u32,
                    finer: t.finer.clone(),
                });
            }
        }
    }
}
