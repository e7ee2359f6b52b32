//! Confirmations after a save (post/redirect/get): the handler that saved answers with
//! [`redirect`], which sets a short-lived cookie naming what happened; the next page
//! shows it once at the top (`layout::page`) and the context middleware clears it.
//!
//! The cookie holds only a code from [`Flash`] and a short argument (a version or a
//! reference number), never text: a forged cookie can at most show one of our own
//! sentences to the person who forged it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::i18n::{C, Msg, fill};
use crate::state::AppState;

/// Name of the flash cookie.
pub const FLASH_COOKIE: &str = "trappa_flash";

/// What was saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flash {
    /// A plan was signed; the argument is the version in force.
    PlanSigned,
    /// A proposal was signed as a new plan; the argument is its version.
    ProposalSigned,
    /// A draft was saved; the argument is its version.
    DraftSaved,
    /// A journal note was saved.
    NoteSaved,
    /// A score was saved.
    ScoreSaved,
    /// A referral was sent; the argument is its reference number.
    ReferralSent,
    /// A referral decision was saved.
    DecisionSaved,
    /// A complement was asked for or answered.
    ComplementSaved,
    /// A patient was registered.
    PatientRegistered,
    /// Personal details were saved.
    DetailsSaved,
    /// The care team was changed.
    CareTeamSaved,
    /// A visit was booked.
    VisitBooked,
    /// A visit was moved, cancelled or marked.
    VisitChanged,
    /// A journal note was corrected.
    NoteCorrected,
    /// An aftercare record was saved.
    AftercareSaved,
    /// A review was saved.
    ReviewSaved,
    /// A week plan or planning setting was saved.
    PlanningSaved,
    /// A search for a week's proposal was stopped.
    PlanningStopped,
    /// The patient's report (a diary entry, a questionnaire) was saved.
    ReportSaved,
    /// A message was sent.
    MessageSent,
    /// A SIP was started or changed; the argument is its version.
    SipSaved,
    /// A SIP was signed.
    SipSigned,
    /// A SIP task was added or its status set.
    SipTaskSaved,
    /// A consent was recorded.
    ConsentSaved,
    /// A consent was withdrawn.
    ConsentWithdrawn,
    /// The patient made a calendar link.
    CalendarLinkMade,
    /// The patient removed their calendar link.
    CalendarLinkEnded,
    /// The patient's notification choices were saved.
    NoticesSaved,
    /// An administrator lifted a username's sign-in lock.
    SignInUnlocked,
    /// An administrator asked to lift a lock that had already lapsed.
    SignInNotLocked,
    /// Any other change.
    Saved,
}

const CODES: [(Flash, &str); 31] = [
    (Flash::PlanSigned, "plan-signed"),
    (Flash::ProposalSigned, "proposal-signed"),
    (Flash::DraftSaved, "draft-saved"),
    (Flash::NoteSaved, "note-saved"),
    (Flash::ScoreSaved, "score-saved"),
    (Flash::ReferralSent, "referral-sent"),
    (Flash::DecisionSaved, "decision-saved"),
    (Flash::ComplementSaved, "complement-saved"),
    (Flash::PatientRegistered, "patient-registered"),
    (Flash::DetailsSaved, "details-saved"),
    (Flash::CareTeamSaved, "care-team-saved"),
    (Flash::VisitBooked, "visit-booked"),
    (Flash::VisitChanged, "visit-changed"),
    (Flash::NoteCorrected, "note-corrected"),
    (Flash::AftercareSaved, "aftercare-saved"),
    (Flash::ReviewSaved, "review-saved"),
    (Flash::PlanningSaved, "planning-saved"),
    (Flash::PlanningStopped, "planning-stopped"),
    (Flash::ReportSaved, "report-saved"),
    (Flash::MessageSent, "message-sent"),
    (Flash::SipSaved, "sip-saved"),
    (Flash::SipSigned, "sip-signed"),
    (Flash::SipTaskSaved, "sip-task-saved"),
    (Flash::ConsentSaved, "consent-saved"),
    (Flash::ConsentWithdrawn, "consent-withdrawn"),
    (Flash::CalendarLinkMade, "calendar-link-made"),
    (Flash::CalendarLinkEnded, "calendar-link-ended"),
    (Flash::NoticesSaved, "notices-saved"),
    (Flash::SignInUnlocked, "sign-in-unlocked"),
    (Flash::SignInNotLocked, "sign-in-not-locked"),
    (Flash::Saved, "saved"),
];

impl Flash {
    fn code(self) -> &'static str {
        CODES
            .iter()
            .find(|(f, _)| *f == self)
            .map(|(_, c)| *c)
            .unwrap_or("saved")
    }

    fn message(self) -> &'static Msg {
        match self {
            Flash::PlanSigned => &C::FLASH_PLAN_SIGNED,
            Flash::ProposalSigned => &C::FLASH_PROPOSAL_SIGNED,
            Flash::DraftSaved => &C::FLASH_DRAFT_SAVED,
            Flash::NoteSaved => &C::FLASH_NOTE_SAVED,
            Flash::ScoreSaved => &C::FLASH_SCORE_SAVED,
            Flash::ReferralSent => &C::FLASH_REFERRAL_SENT,
            Flash::DecisionSaved => &C::FLASH_DECISION_SAVED,
            Flash::ComplementSaved => &C::FLASH_COMPLEMENT_SAVED,
            Flash::PatientRegistered => &C::FLASH_PATIENT_REGISTERED,
            Flash::DetailsSaved => &C::FLASH_DETAILS_SAVED,
            Flash::CareTeamSaved => &C::FLASH_CARE_TEAM_SAVED,
            Flash::VisitBooked => &C::FLASH_VISIT_BOOKED,
            Flash::VisitChanged => &C::FLASH_VISIT_CHANGED,
            Flash::NoteCorrected => &C::FLASH_NOTE_CORRECTED,
            Flash::AftercareSaved => &C::FLASH_AFTERCARE_SAVED,
            Flash::ReviewSaved => &C::FLASH_REVIEW_SAVED,
            Flash::PlanningSaved => &C::FLASH_PLANNING_SAVED,
            Flash::PlanningStopped => &crate::i18n::J::FLASH_PLANNING_STOPPED,
            Flash::ReportSaved => &crate::i18n::P::FLASH_REPORT_SAVED,
            Flash::MessageSent => &crate::i18n::G::FLASH_SENT,
            Flash::SipSaved => &crate::i18n::Q::FLASH_SIP_SAVED,
            Flash::SipSigned => &crate::i18n::Q::FLASH_SIP_SIGNED,
            Flash::SipTaskSaved => &crate::i18n::Q::FLASH_TASK_SAVED,
            Flash::ConsentSaved => &crate::i18n::Q::FLASH_CONSENT_SAVED,
            Flash::ConsentWithdrawn => &crate::i18n::Q::FLASH_CONSENT_WITHDRAWN,
            Flash::CalendarLinkMade => &crate::i18n::K::FLASH_FEED_MADE,
            Flash::CalendarLinkEnded => &crate::i18n::K::FLASH_FEED_ENDED,
            Flash::NoticesSaved => &crate::i18n::N::FLASH_SAVED,
            Flash::SignInUnlocked => &crate::i18n::S::FLASH_SIGN_IN_UNLOCKED,
            Flash::SignInNotLocked => &crate::i18n::S::FLASH_SIGN_IN_NOT_LOCKED,
            Flash::Saved => &C::FLASH_SAVED,
        }
    }
}

/// A confirmation read back from the cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// What was saved.
    pub flash: Flash,
    /// Its argument (letters, digits and hyphens only).
    pub arg: String,
}

impl Shown {
    /// The sentence in the user's language.
    pub fn text(&self, locale: crate::i18n::Locale) -> String {
        fill(self.flash.message().get(locale), &[("arg", &self.arg)])
    }
}

fn safe_arg(arg: &str) -> bool {
    arg.len() <= 40 && arg.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Parses the cookie's value; anything but one of our codes is ignored.
pub fn parse(value: &str) -> Option<Shown> {
    let (code, arg) = value.split_once('~').unwrap_or((value, ""));
    let flash = CODES.iter().find(|(_, c)| *c == code).map(|(f, _)| *f)?;
    safe_arg(arg).then(|| Shown {
        flash,
        arg: arg.to_owned(),
    })
}

/// A 303 to `to` that shows `flash` (with `arg`) on the page it lands on.
pub fn redirect(state: &AppState, to: &str, flash: Flash, arg: &str) -> Response {
    let arg = if safe_arg(arg) { arg } else { "" };
    let value = if arg.is_empty() {
        flash.code().to_owned()
    } else {
        format!("{}~{arg}", flash.code())
    };
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        crate::cookies::set_cookie(state, FLASH_COOKIE, &value, Some(120), true),
    );
    res
}

/// The header that removes the cookie once its page has been shown.
pub fn clear(state: &AppState) -> HeaderValue {
    crate::cookies::set_cookie(state, FLASH_COOKIE, "", Some(0), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_codes_and_plain_arguments_are_read() {
        assert_eq!(
            parse("plan-signed~3"),
            Some(Shown {
                flash: Flash::PlanSigned,
                arg: "3".into()
            })
        );
        assert_eq!(parse("saved").map(|s| s.flash), Some(Flash::Saved));
        assert_eq!(parse("evil"), None);
        assert_eq!(parse("saved~<script>"), None);
        assert_eq!(parse(&format!("saved~{}", "9".repeat(41))), None);
        for (flash, code) in CODES {
            assert_eq!(parse(code).map(|s| s.flash), Some(flash));
        }
        let shown = parse("plan-signed~4").unwrap();
        assert_eq!(
            shown.text(crate::i18n::Locale::Sv),
            "Planen är signerad. Version 4 gäller nu."
        );
    }
}
