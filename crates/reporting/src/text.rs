//! The measures' names and definitions, Swedish first: the report page, the CSV's
//! labels and the annual report's definitions all read them from here.

use trappa_i18n::{Msg, catalogue};

use crate::publish::Measure;

/// The catalogue, as `T::NAME`.
pub use self::M as T;

catalogue! {
    RECEIVED: "Remisser mottagna", "Referrals received";
    RECEIVED_DEF: "Remisser (även egenremisser) som kom in under perioden.", "Referrals (self-referrals included) that arrived in the period.";
    ACCEPTED: "Antagna", "Accepted";
    ACCEPTED_DEF: "Remisser som antogs till väntelistan under perioden (beslutsdatum).", "Referrals accepted onto the waiting list in the period (date of decision).";
    DECLINED: "Avböjda", "Declined";
    DECLINED_DEF: "Remisser som avböjdes under perioden, per skäl i tabellen över skäl.", "Referrals declined in the period, by reason in the table of reasons.";
    REDIRECTED: "Hänvisade", "Redirected";
    REDIRECTED_DEF: "Remisser som hänvisades till annan vårdnivå under perioden, per mottagare.", "Referrals redirected to another level of care in the period, by receiver.";
    FIRST_VISITS: "Första besök", "First visits";
    FIRST_VISITS_DEF: "Första bedömningsbesök som hölls under perioden.", "First assessments held in the period.";
    WAITING_MEDIAN: "Väntetid, median (dagar)", "Waiting time, median (days)";
    WAITING_MEDIAN_DEF: "Dagar på vårdgarantins klocka från remiss till första besök (pauser för komplettering räknas inte), för första besök under perioden; median enligt närmaste rang.", "Days on the care-guarantee clock from referral to first visit (complement pauses not counted), for first visits in the period; nearest-rank median.";
    WAITING_P90: "Väntetid, 90:e percentil (dagar)", "Waiting time, 90th percentile (days)";
    WAITING_P90_DEF: "Samma dagar som medianen; den 90:e percentilen enligt närmaste rang.", "The same days as the median; the nearest-rank 90th percentile.";
    WITHIN_GUARANTEE: "Inom vårdgarantin", "Within the care guarantee";
    WITHIN_GUARANTEE_DEF: "Andel av första besöken under perioden som skedde inom 90 dagar.", "Share of the period's first visits held within 90 days.";
    ACTIVE: "Aktiva patienter", "Active patients";
    ACTIVE_DEF: "Patienter med en signerad plan som startat senast periodens sista dag och inget utfall före periodens första dag.", "Patients with a signed plan started by the period's last day and no outcome before its first day.";
    STARTED: "Planer startade", "Plans started";
    STARTED_DEF: "Signerade planer vars första steg ligger i perioden.", "Signed plans whose first step falls in the period.";
    DRUG_FREE: "Läkemedelsfria", "Drug-free";
    DRUG_FREE_DEF: "Utskrivna under perioden utan något läkemedel i uppdraget.", "Discharged in the period off every drug in scope.";
    REDUCED: "Minskad dos", "Reduced";
    REDUCED_DEF: "Utskrivna under perioden på lägre dos.", "Discharged in the period on a lower dose.";
    REDUCED_MEDIAN: "Minskning, median (%)", "Reduction, median (%)";
    REDUCED_MEDIAN_DEF: "Median av minskningen i DE/MME, procent av startdosen, bland dem med minskad dos.", "Median reduction in DE/MME, per cent of the starting dose, among the reduced.";
    DROPPED_OUT: "Avbrutna", "Dropped out";
    DROPPED_OUT_DEF: "Patienter som lämnade programmet under perioden.", "Patients who left the programme in the period.";
    AFTERCARE_COMPLETED: "Eftervård genomförd", "Aftercare completed";
    AFTERCARE_COMPLETED_DEF: "Sexmånadersuppföljningar som hölls under perioden.", "Six-month follow-ups held in the period.";
    RELAPSE_6: "Återfall vid 6 månader", "Relapse at 6 months";
    RELAPSE_6_DEF: "Andel med återfall bland dem vars 6-månadersutfall registrerades under perioden.", "Share relapsed among those whose 6-month outcome was recorded in the period.";
    RELAPSE_12: "Återfall vid 12 månader", "Relapse at 12 months";
    RELAPSE_12_DEF: "Andel med återfall bland dem vars 12-månadersutfall registrerades under perioden.", "Share relapsed among those whose 12-month outcome was recorded in the period.";
    COMPLETENESS_6: "Fullständighet 6 månader", "Completeness at 6 months";
    COMPLETENESS_6_DEF: "Andel med registrerat 6-månadersutfall bland dem vars sista dos låg sex månader före en dag i perioden.", "Share with a 6-month outcome recorded among those whose last dose was six months before a day in the period.";
    COMPLETENESS_12: "Fullständighet 12 månader", "Completeness at 12 months";
    COMPLETENESS_12_DEF: "Samma för 12-månadersutfallet.", "The same for the 12-month outcome.";
    VISITS_IN_PERSON: "Besök på plats", "Visits in person";
    VISITS_IN_PERSON_DEF: "Hållna besök på vårdcentralen eller basen under perioden.", "Visits held at the vårdcentral or the base in the period.";
    VISITS_DIGITAL: "Digitala besök", "Digital visits";
    VISITS_DIGITAL_DEF: "Hållna besök per video eller telefon under perioden.", "Visits held by video or phone in the period.";
}

/// A measure's name and definition.
pub fn measure_text(m: Measure) -> (&'static Msg, &'static Msg) {
    match m {
        Measure::Received => (&T::RECEIVED, &T::RECEIVED_DEF),
        Measure::Accepted => (&T::ACCEPTED, &T::ACCEPTED_DEF),
        Measure::Declined => (&T::DECLINED, &T::DECLINED_DEF),
        Measure::Redirected => (&T::REDIRECTED, &T::REDIRECTED_DEF),
        Measure::FirstVisits => (&T::FIRST_VISITS, &T::FIRST_VISITS_DEF),
        Measure::WaitingMedian => (&T::WAITING_MEDIAN, &T::WAITING_MEDIAN_DEF),
        Measure::WaitingP90 => (&T::WAITING_P90, &T::WAITING_P90_DEF),
        Measure::WithinGuarantee => (&T::WITHIN_GUARANTEE, &T::WITHIN_GUARANTEE_DEF),
        Measure::Active => (&T::ACTIVE, &T::ACTIVE_DEF),
        Measure::Started => (&T::STARTED, &T::STARTED_DEF),
        Measure::DrugFree => (&T::DRUG_FREE, &T::DRUG_FREE_DEF),
        Measure::Reduced => (&T::REDUCED, &T::REDUCED_DEF),
        Measure::ReducedMedian => (&T::REDUCED_MEDIAN, &T::REDUCED_MEDIAN_DEF),
        Measure::DroppedOut => (&T::DROPPED_OUT, &T::DROPPED_OUT_DEF),
        Measure::AftercareCompleted => (&T::AFTERCARE_COMPLETED, &T::AFTERCARE_COMPLETED_DEF),
        Measure::Relapse6 => (&T::RELAPSE_6, &T::RELAPSE_6_DEF),
        Measure::Relapse12 => (&T::RELAPSE_12, &T::RELAPSE_12_DEF),
        Measure::Completeness6 => (&T::COMPLETENESS_6, &T::COMPLETENESS_6_DEF),
        Measure::Completeness12 => (&T::COMPLETENESS_12, &T::COMPLETENESS_12_DEF),
        Measure::VisitsInPerson => (&T::VISITS_IN_PERSON, &T::VISITS_IN_PERSON_DEF),
        Measure::VisitsDigital => (&T::VISITS_DIGITAL, &T::VISITS_DIGITAL_DEF),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every measure has a name and a definition of its own, in both languages.
    #[test]
    fn every_measure_is_named_and_defined() {
        let mut seen = std::collections::HashSet::new();
        for m in Measure::ALL {
            let (name, def) = measure_text(m);
            assert!(seen.insert(name.sv), "{m:?} shares a name");
            assert!(def.sv.len() > 20 && def.en.len() > 20, "{m:?}");
        }
        assert_eq!(ALL.len(), 2 * Measure::ALL.len());
    }
}
