//! Visits and their journal notes: the kinds of appointment the unit books, where they
//! take place, and the headings each kind's note asks for. Templates are data here, so a
//! unit changes a heading in one place and every form, note and API follows.

use serde::{Deserialize, Serialize};
use trappa_i18n::{Locale, Msg, catalogue};

catalogue! {
    K_ASSESSMENT: "Nybesök (bedömning)", "First assessment";
    K_MEDICAL_REVIEW: "Läkarbesök", "Medical review";
    K_NURSE_REVIEW: "Sjuksköterskebesök", "Nurse review";
    K_MI: "MI-samtal", "MI session";
    K_CBT: "KBT-session", "CBT session";
    K_PHYSIO: "Fysioterapi", "Physiotherapy";
    K_FOLLOW_UP: "Uppföljning i eftervården", "Aftercare follow-up";
    K_NOTE: "Anteckning", "Note";
    P_OWN_VC: "Patientens vårdcentral", "The patient's vårdcentral";
    P_BASE: "Enhetens mottagning", "The unit's base";
    P_VIDEO: "Video", "Video";
    P_PHONE: "Telefon", "Phone";
    S_BOOKED: "Bokad", "Booked";
    S_DONE: "Genomförd", "Held";
    S_CANCELLED: "Avbokad", "Cancelled";
    S_NO_SHOW: "Uteblev", "Did not attend";
    H_HISTORY: "Anamnes och tidigare nedtrappningsförsök", "History and earlier tapering attempts";
    H_USE: "Aktuell användning (läkemedel, dos, tidpunkter, vid behov)", "Current use (drugs, doses, times, as needed)";
    H_WITHDRAWAL_RISK: "Abstinensrisk och tidigare abstinens (kramper, delirium)", "Withdrawal risk and past withdrawal (seizures, delirium)";
    H_OTHER_SUBSTANCES: "Alkohol och andra substanser", "Alcohol and other substances";
    H_GOALS: "Patientens mål", "The patient's goals";
    H_ASSESSMENT: "Bedömning", "Assessment";
    H_PLAN: "Planering", "Plan";
    H_SYMPTOMS: "Symtom sedan förra besöket", "Symptoms since the last visit";
    H_ADHERENCE: "Följsamhet till planen", "Adherence to the plan";
    H_MEDICATION: "Läkemedelsförändringar", "Medication changes";
    H_MOTIVATION: "Motivation och ambivalens", "Motivation and ambivalence";
    H_AGREED: "Överenskomna steg", "Agreed steps";
    H_SESSION: "Sessionsnummer i KBT-programmet", "Session number in the CBT programme";
    H_MODULE: "Innehåll (modul)", "Content (module)";
    H_HOMEWORK: "Hemuppgift", "Homework";
    H_FINDINGS: "Status och fynd", "Status and findings";
    H_EXERCISES: "Övningar och råd", "Exercises and advice";
    H_STATUS: "Läkemedelsfri? Återfall? Behov av stöd", "Drug-free? Relapse? Support needed";
    H_NOTE: "Anteckning", "Note";
}

/// The messages above, for the web layer's catalogue.
pub use self::M as T;

/// A kind of appointment, and of journal note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The first visit: history, use, withdrawal risk, goals.
    Assessment,
    /// A physician's review (start, signed changes).
    MedicalReview,
    /// A nurse's review before a step change.
    NurseReview,
    /// Motivational interviewing.
    MiSession,
    /// A session of the CBT programme.
    CbtSession,
    /// Physiotherapy.
    Physiotherapy,
    /// An aftercare follow-up.
    FollowUp,
    /// A note without an appointment (a phone call, a message).
    Note,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 8] = [
        Kind::Assessment,
        Kind::MedicalReview,
        Kind::NurseReview,
        Kind::MiSession,
        Kind::CbtSession,
        Kind::Physiotherapy,
        Kind::FollowUp,
        Kind::Note,
    ];

    /// Kinds that can be booked (a note is written, not booked).
    pub fn bookable() -> impl Iterator<Item = Kind> {
        Self::ALL.into_iter().filter(|k| *k != Kind::Note)
    }

    /// Stable code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Assessment => "assessment",
            Kind::MedicalReview => "medical_review",
            Kind::NurseReview => "nurse_review",
            Kind::MiSession => "mi_session",
            Kind::CbtSession => "cbt_session",
            Kind::Physiotherapy => "physiotherapy",
            Kind::FollowUp => "follow_up",
            Kind::Note => "note",
        }
    }

    /// Parses [`Kind::code`].
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    /// The name shown.
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Kind::Assessment => M::K_ASSESSMENT,
            Kind::MedicalReview => M::K_MEDICAL_REVIEW,
            Kind::NurseReview => M::K_NURSE_REVIEW,
            Kind::MiSession => M::K_MI,
            Kind::CbtSession => M::K_CBT,
            Kind::Physiotherapy => M::K_PHYSIO,
            Kind::FollowUp => M::K_FOLLOW_UP,
            Kind::Note => M::K_NOTE,
        }
        .get(l)
    }

    /// The usual length in minutes, the booking form's default.
    pub fn default_minutes(self) -> u32 {
        match self {
            Kind::Assessment => 90,
            Kind::MedicalReview | Kind::MiSession | Kind::CbtSession | Kind::Physiotherapy => 45,
            Kind::NurseReview | Kind::FollowUp => 30,
            Kind::Note => 15,
        }
    }

    /// The headings of this kind's journal note, in order.
    pub fn template(self) -> &'static [Heading] {
        use Heading as H;
        match self {
            Kind::Assessment => &[
                H::History,
                H::Use,
                H::WithdrawalRisk,
                H::OtherSubstances,
                H::Goals,
                H::Assessment,
                H::Plan,
            ],
            Kind::MedicalReview => &[H::Symptoms, H::Assessment, H::Medication, H::Plan],
            Kind::NurseReview => &[H::Symptoms, H::Adherence, H::Plan],
            Kind::MiSession => &[H::Motivation, H::Agreed],
            Kind::CbtSession => &[H::Session, H::Module, H::Homework],
            Kind::Physiotherapy => &[H::Findings, H::Exercises],
            Kind::FollowUp => &[H::Status, H::Plan],
            Kind::Note => &[H::Note],
        }
    }
}

/// A heading in a journal note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum Heading {
    History,
    Use,
    WithdrawalRisk,
    OtherSubstances,
    Goals,
    Assessment,
    Plan,
    Symptoms,
    Adherence,
    Medication,
    Motivation,
    Agreed,
    Session,
    Module,
    Homework,
    Findings,
    Exercises,
    Status,
    Note,
}

impl Heading {
    /// Every heading.
    pub const ALL: [Heading; 19] = [
        Heading::History,
        Heading::Use,
        Heading::WithdrawalRisk,
        Heading::OtherSubstances,
        Heading::Goals,
        Heading::Assessment,
        Heading::Plan,
        Heading::Symptoms,
        Heading::Adherence,
        Heading::Medication,
        Heading::Motivation,
        Heading::Agreed,
        Heading::Session,
        Heading::Module,
        Heading::Homework,
        Heading::Findings,
        Heading::Exercises,
        Heading::Status,
        Heading::Note,
    ];

    /// The heading with this code.
    pub fn from_code(code: &str) -> Option<Heading> {
        Heading::ALL.into_iter().find(|h| h.code() == code)
    }

    /// Stable code: the form field's name and the stored key.
    pub fn code(self) -> &'static str {
        match self {
            Heading::History => "history",
            Heading::Use => "use",
            Heading::WithdrawalRisk => "withdrawal_risk",
            Heading::OtherSubstances => "other_substances",
            Heading::Goals => "goals",
            Heading::Assessment => "assessment",
            Heading::Plan => "plan",
            Heading::Symptoms => "symptoms",
            Heading::Adherence => "adherence",
            Heading::Medication => "medication",
            Heading::Motivation => "motivation",
            Heading::Agreed => "agreed",
            Heading::Session => "session",
            Heading::Module => "module",
            Heading::Homework => "homework",
            Heading::Findings => "findings",
            Heading::Exercises => "exercises",
            Heading::Status => "status",
            Heading::Note => "note",
        }
    }

    /// The heading shown.
    pub fn label(self, l: Locale) -> &'static str {
        let m: &Msg = match self {
            Heading::History => &M::H_HISTORY,
            Heading::Use => &M::H_USE,
            Heading::WithdrawalRisk => &M::H_WITHDRAWAL_RISK,
            Heading::OtherSubstances => &M::H_OTHER_SUBSTANCES,
            Heading::Goals => &M::H_GOALS,
            Heading::Assessment => &M::H_ASSESSMENT,
            Heading::Plan => &M::H_PLAN,
            Heading::Symptoms => &M::H_SYMPTOMS,
            Heading::Adherence => &M::H_ADHERENCE,
            Heading::Medication => &M::H_MEDICATION,
            Heading::Motivation => &M::H_MOTIVATION,
            Heading::Agreed => &M::H_AGREED,
            Heading::Session => &M::H_SESSION,
            Heading::Module => &M::H_MODULE,
            Heading::Homework => &M::H_HOMEWORK,
            Heading::Findings => &M::H_FINDINGS,
            Heading::Exercises => &M::H_EXERCISES,
            Heading::Status => &M::H_STATUS,
            Heading::Note => &M::H_NOTE,
        };
        m.get(l)
    }
}

/// Where a visit takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// At the patient's own vårdcentral, in a room it lends.
    OwnVardcentral,
    /// At the unit's base.
    Base,
    /// By video.
    Video,
    /// By phone.
    Phone,
}

impl Place {
    /// Every place, in display order.
    pub const ALL: [Place; 4] = [
        Place::OwnVardcentral,
        Place::Base,
        Place::Video,
        Place::Phone,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Place::OwnVardcentral => "own_vardcentral",
            Place::Base => "base",
            Place::Video => "video",
            Place::Phone => "phone",
        }
    }

    /// Parses [`Place::code`].
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == s)
    }

    /// Whether the visit is digital (video or phone).
    pub fn is_digital(self) -> bool {
        matches!(self, Place::Video | Place::Phone)
    }

    /// The name shown.
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Place::OwnVardcentral => M::P_OWN_VC,
            Place::Base => M::P_BASE,
            Place::Video => M::P_VIDEO,
            Place::Phone => M::P_PHONE,
        }
        .get(l)
    }
}

/// An appointment's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Booked, not yet held.
    Booked,
    /// Held.
    Done,
    /// Cancelled.
    Cancelled,
    /// The patient did not come.
    NoShow,
}

impl Status {
    /// Every state.
    pub const ALL: [Status; 4] = [
        Status::Booked,
        Status::Done,
        Status::Cancelled,
        Status::NoShow,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Status::Booked => "booked",
            Status::Done => "done",
            Status::Cancelled => "cancelled",
            Status::NoShow => "no_show",
        }
    }

    /// Parses [`Status::code`].
    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }

    /// The name shown.
    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Status::Booked => M::S_BOOKED,
            Status::Done => M::S_DONE,
            Status::Cancelled => M::S_CANCELLED,
            Status::NoShow => M::S_NO_SHOW,
        }
        .get(l)
    }

    /// Whether an appointment in this state may get a new version in state `next`: a
    /// booked one may be moved, held, cancelled or missed; any other keeps its state
    /// (its details may be corrected).
    pub fn may_become(self, next: Status) -> bool {
        self == Status::Booked || self == next
    }
}

/// Sessions in the unit's CBT programme for tapering (Trappa's default: eight weekly
/// sessions, status U — the unit sets its own; tapering.md recommends CBT as an add-on,
/// evidence grade 2, without fixing a length).
pub const CBT_PROGRAMME_SESSIONS: u32 = 8;

/// How far the patient has come in the CBT programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CbtProgress {
    /// Distinct programme sessions held.
    pub held: u32,
    /// Sessions in the programme.
    pub of: u32,
}

/// Progress from the session numbers written in CBT notes; numbers outside the
/// programme and repeats do not count twice.
pub fn cbt_progress(session_numbers: impl IntoIterator<Item = u32>) -> CbtProgress {
    let mut seen = [false; CBT_PROGRAMME_SESSIONS as usize];
    for n in session_numbers {
        if (1..=CBT_PROGRAMME_SESSIONS).contains(&n) {
            seen[(n - 1) as usize] = true;
        }
    }
    CbtProgress {
        held: seen.iter().filter(|s| **s).count() as u32,
        of: CBT_PROGRAMME_SESSIONS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_round_trip_and_templates_are_whole() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_code(k.code()), Some(k));
            assert!(!k.template().is_empty());
            for l in [Locale::Sv, Locale::En] {
                assert!(!k.label(l).is_empty());
                for h in k.template() {
                    assert!(!h.label(l).is_empty());
                }
            }
        }
        for p in Place::ALL {
            assert_eq!(Place::from_code(p.code()), Some(p));
        }
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        assert_eq!(Kind::from_code("surgery"), None);
        assert!(
            Kind::Assessment
                .template()
                .contains(&Heading::WithdrawalRisk)
        );
        assert!(Kind::Assessment.template().contains(&Heading::Goals));
        assert!(!Kind::bookable().any(|k| k == Kind::Note));
    }

    #[test]
    fn only_a_booked_visit_changes_state() {
        assert!(Status::Booked.may_become(Status::Done));
        assert!(!Status::Done.may_become(Status::Cancelled));
        assert!(!Status::Cancelled.may_become(Status::Booked));
        assert!(Status::Done.may_become(Status::Done));
    }

    #[test]
    fn cbt_progress_counts_distinct_sessions() {
        assert_eq!(cbt_progress([1, 2, 2, 3]).held, 3);
        assert_eq!(cbt_progress([0, 9, 100]).held, 0);
    }

    proptest! {
        #[test]
        fn cbt_progress_is_bounded(ns in proptest::collection::vec(0u32..20, 0..40)) {
            let p = cbt_progress(ns.iter().copied());
            prop_assert!(p.held <= p.of);
            prop_assert!(p.held as usize <= ns.len());
        }
    }
}
