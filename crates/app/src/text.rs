//! The use cases' messages: what a refusal or a field fault says, Swedish first.

pub use trappa_i18n::Msg;

/// Field faults and refusals.
pub mod v {
    trappa_i18n::catalogue! {
        struct V;
        REQUIRED: "Fältet måste fyllas i.", "This field is required.";
        TOO_LONG: "Texten är för lång (högst {n} tecken).", "The text is too long (at most {n} characters).";
        ID_INVALID_FORMAT: "Ange personnummer som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN.", "Enter the number as YYYYMMDD-NNNN or YYMMDD-NNNN.";
        BAD_EMAIL: "Ange en e-postadress som namn@exempel.se.", "Enter an email address like name@example.com.";
        BAD_PHONE: "Ange ett telefonnummer med siffror, till exempel 070-123 45 67.", "Enter a phone number with digits, for example 070-123 45 67.";
        BAD_POSTAL_CODE: "Ange postnummer med fem siffror, till exempel 463 30.", "Enter a five-digit postal code, for example 463 30.";
        UNKNOWN_CHOICE: "Välj ett av alternativen.", "Choose one of the options.";
        BAD_VALUE: "Ange ett tillåtet värde.", "Give an allowed value.";
        NEW_PATIENT_REASON: "Ny patient registrerad", "New patient registered";
        ID_INVALID_DATE: "Datumdelen är inget verkligt datum.", "The date part is not a real date.";
        ID_INVALID_FUTURE: "Födelsedatumet ligger i framtiden.", "The date of birth is in the future.";
        ID_INVALID_CHECK: "Kontrollsiffran stämmer inte. Kontrollera numret.", "The check digit does not match. Check the number.";
        ID_INVALID_INDIVIDUAL: "Födelsenumret 000 används aldrig.", "The individual number 000 is never used.";
        ID_INVALID_SEPARATOR: "Skiljetecknet (+ eller -) stämmer inte med åldern.", "The separator (+ or -) does not match the age.";
        ID_TAKEN: "Det finns redan en patient med det här numret.", "A patient with this number already exists.";
        STALE_FORM: "Uppgifterna har ändrats av någon annan", "Someone else has changed the record";
        ERR_OWN_ACCESS: "Du kan inte ge dig själv en vårdrelation", "You cannot give yourself a care relationship";
        ERR_OWN_ACCESS_DETAIL: "Ingen kan lägga till sig själv i ett vårdteam eller ta över en funktion själv. Be en annan koordinator eller verksamhetschefen. Försöket har loggats.", "Nobody can add themself to a care team or take over a function themself. Ask another coordinator or the unit manager. The attempt has been logged.";
        VISIT_ERR_WHEN: "Ange datum och klockslag, till exempel 2026-12-01 och 09:30.", "Enter a date and time, for example 2026-12-01 and 09:30.";
        VISIT_ERR_PAST: "Tiden har redan passerat.", "The time has already passed.";
        VISIT_ERR_MINUTES: "Ange en längd mellan 5 och 240 minuter.", "Enter a length between 5 and 240 minutes.";
        VISIT_ERR_CLINICIAN: "Välj någon i patientens vårdteam.", "Choose someone in the patient's care team.";
        NOTE_ERR_EMPTY: "Skriv något under minst en rubrik.", "Write something under at least one heading.";
        CBT_ERR_SESSION: "Ange ett sessionsnummer mellan 1 och {n}.", "Enter a session number between 1 and {n}.";
        REF_ERR_REASON: "Ange ett skäl till ändringen.", "Give a reason for the change.";
        NOTE_ERR_OTHER_TEMPLATE: "Rubriken finns inte i mallen {kind}. Flytta texten till en av mallens rubriker eller töm fältet.", "The heading is not in the template {kind}. Move the text to one of the template's headings or empty the field.";
        NOTE_ERR_UNKNOWN: "Okänd rubrik.", "Unknown heading.";
        SCORES_ERR_DATE: "Ange ett datum (ÅÅÅÅ-MM-DD), senast i dag.", "Give a date (YYYY-MM-DD), today at the latest.";
        AFTERCARE_ALREADY: "Eftervården har redan startat.", "Aftercare has already started.";
        AFTERCARE_DISCHARGED: "Patienten är utskriven.", "The patient is discharged.";
        AFTERCARE_ERR_MONTHS: "Ange månader mellan 1 och 24, åtskilda med komma.", "Enter months between 1 and 24, separated by commas.";
        AFTERCARE_ERR_SHORT: "Eftervården ska pågå minst sex månader: sista uppföljningen tidigast vid 6 månader.", "Aftercare lasts at least six months: the last follow-up at 6 months or later.";
        FOLLOW_UP_ALREADY: "Den uppföljningen är redan registrerad.", "That follow-up is already recorded.";
        OUTCOME_ERR_PERCENT: "Ange en minskning mellan 0 och 100 procent.", "Enter a reduction between 0 and 100 per cent.";
        DISCHARGE_ERR_NO_AFTERCARE: "Registrera sista dosen och starta eftervården först.", "Record the last dose and start aftercare first.";
        DISCHARGE_ERR_TOO_EARLY: "Eftervården ska pågå sex månader: tidigast {date}.", "Aftercare lasts six months: {date} at the earliest.";
        SCORES_ERR_BAND: "Välj nivå: instrumentet har inga officiella gränser.", "Choose the level: the instrument has no official cut-offs.";
        BAD_CHARACTERS: "Texten innehåller tecken som inte kan sparas. Skriv den igen utan dem.", "The text contains characters that cannot be saved. Type it again without them.";
        ONE_LINE: "Skriv uppgiften på en rad.", "Write this on one line.";
        NOT_IN_TRIAGE: "Remissen är redan bedömd", "The referral has already been decided";
        NOT_IN_TRIAGE_DETAIL: "Patienten står inte längre i kön för bedömning, så remissen kan inte beslutas igen. Försöket har loggats.", "The patient is no longer in the triage queue, so the referral cannot be decided again. The attempt has been logged.";
    }
}

pub use v::V;

#[cfg(test)]
mod tests {
    /// Every message is said in both languages, with the same placeholders.
    #[test]
    fn every_message_in_both_languages_with_the_same_placeholders() {
        fn placeholders(s: &str) -> Vec<&str> {
            let mut out: Vec<&str> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(k, _)| k))
                .collect();
            out.sort_unstable();
            out
        }
        for (name, m) in super::v::ALL {
            assert!(!m.sv.trim().is_empty() && !m.en.trim().is_empty(), "{name}");
            assert_ne!(m.sv, m.en, "{name} is not translated");
            assert_eq!(placeholders(m.sv), placeholders(m.en), "{name}");
        }
    }
}
