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
