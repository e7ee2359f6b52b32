//! What the access log names: every resource code Trappa logs, in words a patient and
//! an auditor read ("Nedtrappningsplan", not `patient.taper_plan`). A code without a
//! label here falls back to its group's word, never to the code itself.

use trappa_i18n::{Msg, catalogue};

catalogue! {
    struct L;
    RES_OVERVIEW: "Översikt", "Overview";
    RES_IDENTITY_DATA: "Personuppgifter", "Personal details";
    RES_IDENTITY_EDIT: "Ändring av personuppgifter", "Change of personal details";
    RES_IDENTITY_HISTORY: "Personuppgifternas historik", "History of personal details";
    RES_SEARCH: "Sökning efter patient", "Patient search";
    RES_CARE_TEAM: "Vårdteam", "Care team";
    RES_JOURNAL: "Journal", "Record";
    RES_VISITS: "Besök", "Visits";
    RES_VISITS_ICS: "Besök som kalenderfil", "Visits as a calendar file";
    RES_SCORES: "Skattningar", "Scores";
    RES_REPORTS: "Dagbok och egna skattningar", "Diary and own questionnaires";
    RES_MESSAGES: "Meddelanden", "Messages";
    RES_OWN_START: "Startsidan i Mina sidor", "The start page of My pages";
    RES_VISIT_WISHES: "Önskemål om besök", "Wishes about visits";
    RES_MESSAGES_INBOX: "Vårdteamets meddelandeinkorg", "The care team's message inbox";
    RES_SIP: "Samordnad individuell plan (SIP)", "Coordinated individual plan (SIP)";
    RES_CONSENT: "Samtycken till delning", "Consents to share";
    RES_SIP_SHARED: "Delade planer (samverkanspartner)", "Shared plans (partner)";
    RES_PLAN: "Nedtrappningsplan", "Tapering plan";
    RES_PLAN_HANDOUT: "Patientinformation om planen", "Plan handout";
    RES_PLAN_PDF: "Nedtrappningsplan som PDF", "Tapering plan as PDF";
    RES_PLAN_ICS: "Nedtrappningsplan som kalenderfil", "Tapering plan as a calendar file";
    RES_CALENDAR_FEED: "Kalenderprenumeration", "Calendar subscription";
    RES_NOTIFICATIONS: "Val för aviseringar", "Notification choices";
    RES_OWN_RECORD: "Journal, remissvar och planversioner i Mina sidor", "Record, referral replies and plan versions in My pages";
    RES_RELEASE_RULES: "Enhetens val av vad patienter läser i journalen", "The unit's choice of what patients read in the record";
    RES_CALENDAR_FEED_READ: "Plan och besök hämtade av din kalender", "Plan and visits fetched by your calendar";
    RES_REMINDERS: "Dina formulär, kontrollerade för påminnelserna du valt", "Your forms, checked for the reminders you chose";
    RES_AFTERCARE: "Eftervård", "Aftercare";
    RES_PATH: "Vårdförlopp", "Care path";
    RES_REFERRAL: "Remiss", "Referral";
    RES_REFERRAL_DECISION: "Beslut om remiss", "Referral decision";
    RES_REFERRAL_LETTER: "Remissvar", "Referral reply";
    RES_REFERRALS_LIST: "Remisslista", "Referral list";
    RES_WAITING_LIST: "Väntelista", "Waiting list";
    RES_START_CASELOAD: "Startsidans patientlista", "Start page caseload";
    RES_START_REFERRALS: "Startsidans remisser", "Start page referrals";
    RES_START_VISITS: "Startsidans besök", "Start page visits";
    RES_WEEK_PLAN: "Veckoplanering", "Week planning";
    RES_WEEK_PLAN_ICS: "Veckoplanering som kalenderfil", "Week planning as a calendar file";
    RES_OWN_LOG: "Din logg", "Your log";
    RES_OWN_LOG_FILE: "Din logg som fil", "Your log as a file";
    RES_LOG_EXTRACT: "Logguttag", "Log extract";
    RES_API_LOG: "Logg via API", "Log through the API";
    RES_EMERGENCY: "Nödåtkomst", "Emergency access";
    RES_EMERGENCY_QUEUE: "Nödåtkomster att granska", "Emergency accesses to review";
    RES_REPORT: "Uppföljningsrapport", "Follow-up report";
    RES_REPORT_FILE: "Uppföljningsrapport som fil", "Follow-up report as a file";
    RES_NEEDS: "Behovsanalys", "Needs analysis";
    RES_STAFF: "Personal", "Staff";
    RES_STAFF_ROLES: "Roller", "Roles";
    RES_STAFF_SIGN_IN: "Inloggningsspärr", "Sign-in lock";
    RES_ACCOUNT: "Konto", "Account";
    RES_SESSION: "Inloggning", "Session";
    RES_SESSION_ROLE: "Byte av roll", "Change of role";
    RES_TAPER_REFERENCE: "Referensdata för nedtrappning", "Tapering reference data";
    RES_PATIENT: "Patientuppgifter", "Patient data";
    RES_OTHER: "Annan uppgift", "Other";
}

/// The words for a logged resource code.
pub fn resource_label(code: &str) -> &'static Msg {
    match code {
        "patient.overview" => &L::RES_OVERVIEW,
        "patient.identity" | "api.patient" => &L::RES_IDENTITY_DATA,
        "patient.identity.edit" => &L::RES_IDENTITY_EDIT,
        "patient.identity.history" | "api.patient.history" => &L::RES_IDENTITY_HISTORY,
        "patient.search" => &L::RES_SEARCH,
        "patient.care_team" => &L::RES_CARE_TEAM,
        "patient.journal" => &L::RES_JOURNAL,
        "patient.visits" | "own.visits" => &L::RES_VISITS,
        "visit_requests.list" => &L::RES_VISIT_WISHES,
        "patient.planned_visits.ics" => &L::RES_VISITS_ICS,
        "patient.scores" => &L::RES_SCORES,
        "patient.reports" | "own.reports" => &L::RES_REPORTS,
        "patient.messages" | "own.messages" => &L::RES_MESSAGES,
        "messages.inbox" => &L::RES_MESSAGES_INBOX,
        "patient.sip" => &L::RES_SIP,
        "patient.consent" | "own.consent" => &L::RES_CONSENT,
        "sip.shared" => &L::RES_SIP_SHARED,
        "own.start" => &L::RES_OWN_START,
        "patient.taper_plan" | "own.taper_plan" => &L::RES_PLAN,
        "patient.taper_plan.handout" | "own.taper_plan.handout" => &L::RES_PLAN_HANDOUT,
        "patient.taper_plan.pdf" | "own.taper_plan.pdf" => &L::RES_PLAN_PDF,
        "patient.taper_plan.ics" => &L::RES_PLAN_ICS,
        "own.calendar_feed" => &L::RES_CALENDAR_FEED,
        "own.notifications" => &L::RES_NOTIFICATIONS,
        "own.record" => &L::RES_OWN_RECORD,
        "unit.journal_release" => &L::RES_RELEASE_RULES,
        "own.calendar_feed.ics" => &L::RES_CALENDAR_FEED_READ,
        "own.reminders" => &L::RES_REMINDERS,
        "patient.aftercare" => &L::RES_AFTERCARE,
        "patient.path" => &L::RES_PATH,
        "patient.referral" => &L::RES_REFERRAL,
        "patient.referral.decision" => &L::RES_REFERRAL_DECISION,
        "patient.referral.letter" => &L::RES_REFERRAL_LETTER,
        "referrals.list" => &L::RES_REFERRALS_LIST,
        "waiting_list" => &L::RES_WAITING_LIST,
        "start.caseload" => &L::RES_START_CASELOAD,
        "start.referrals" => &L::RES_START_REFERRALS,
        "start.visits" => &L::RES_START_VISITS,
        "week_plan" => &L::RES_WEEK_PLAN,
        "week_plan.ics" => &L::RES_WEEK_PLAN_ICS,
        "own.access_log" => &L::RES_OWN_LOG,
        "own.access_log.csv" | "own.access_log.pdf" => &L::RES_OWN_LOG_FILE,
        "access_log.extract.csv" | "access_log.extract.pdf" => &L::RES_LOG_EXTRACT,
        "api.access_log" => &L::RES_API_LOG,
        "emergency_access" => &L::RES_EMERGENCY,
        "emergency_access.queue" => &L::RES_EMERGENCY_QUEUE,
        "report" => &L::RES_REPORT,
        "report.csv" | "report.pdf" => &L::RES_REPORT_FILE,
        "needs" => &L::RES_NEEDS,
        "staff" => &L::RES_STAFF,
        "staff.roles" | "role_change" | "role_changes" => &L::RES_STAFF_ROLES,
        "staff.sign_in" => &L::RES_STAFF_SIGN_IN,
        "account" => &L::RES_ACCOUNT,
        "session" => &L::RES_SESSION,
        "session.role" => &L::RES_SESSION_ROLE,
        "taper.reference" => &L::RES_TAPER_REFERENCE,
        c if c.starts_with("patient") => &L::RES_PATIENT,
        _ => &L::RES_OTHER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every resource code written anywhere in the web crate's sources has its own label
    /// (not the fallback): read from every source file of the crate, so a new code, or a
    /// new file with one, fails here.
    #[test]
    fn every_logged_resource_has_words() {
        let mut src = String::new();
        // Entries are made by the use cases (trappa-app) and by the web layer.
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![here.join("src"), here.join("../app/src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("the crate's sources") {
                let path = entry.expect("a source entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    src.push_str(&std::fs::read_to_string(&path).expect("a source file"));
                }
            }
        }
        let mut missing = Vec::new();
        // Entries are made with `NewEntry::new(actor, action, "code")` and, for account
        // changes, `log_change(store, caller, "code", …)`: the first quoted text of either.
        let calls = ["NewEntry::new(", "log_change(store"];
        for (i, _) in calls.iter().flat_map(|c| src.match_indices(c)) {
            let call = &src[i..src[i..].find(')').map_or(src.len(), |e| i + e)];
            if let Some(code) = call.split('"').nth(1)
                && std::ptr::eq(resource_label(code), &L::RES_OTHER)
            {
                missing.push(code.to_owned());
            }
        }
        for code in [
            "patient.taper_plan",
            "week_plan",
            "own.access_log",
            "own.taper_plan",
            "own.taper_plan.handout",
            "own.taper_plan.pdf",
            "own.reports",
            "patient.reports",
            "own.messages",
            "patient.messages",
            "messages.inbox",
            "own.start",
            "own.visits",
            "own.calendar_feed",
            "own.notifications",
            "own.record",
            "unit.journal_release",
            "own.calendar_feed.ics",
            "own.reminders",
            "visit_requests.list",
            "start.caseload",
        ] {
            assert!(!std::ptr::eq(resource_label(code), &L::RES_OTHER), "{code}");
        }
        assert!(missing.is_empty(), "no words for {missing:?}");
    }
}
