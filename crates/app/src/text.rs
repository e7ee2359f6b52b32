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
        VISIT_WISH_OPEN: "Du har redan ett önskemål om det här besöket. Vänta på svaret.", "You already have a wish about this visit. Wait for the answer.";
        VISIT_WISH_PAST: "Besöket går inte att ändra längre: det har redan varit eller är avbokat.", "The visit can no longer be changed: it has taken place or is cancelled.";
        VISIT_WISH_APPROVED: "Ditt önskemål är godkänt.", "Your wish is approved.";
        WEEKDAY: "vardag", "weekday";
        WEEKDAYS: "vardagar", "weekdays";
        MESSAGE_AUTO_REPLY: "Tack för ditt meddelande. Ditt vårdteam svarar inom {days}. Om det inte kan vänta: ring 1177, vid fara för liv ring 112.", "Thank you for your message. Your care team answers within {days}. If it cannot wait: call 1177; if a life is in danger, call 112.";
        MESSAGE_AUTO_PHONE: "Vardagar når du vårdteamet på {phone}.", "On weekdays you reach the care team at {phone}.";
        DIARY_ERR_DAY: "Välj en dag den senaste veckan, senast i dag.", "Choose a day in the last week, today at the latest.";
        DIARY_ERR_SCALE: "Välj ett värde från 0 till 10.", "Choose a value from 0 to 10.";
        REQUEST_KEY_BAD: "Formuläret gick inte att känna igen. Ladda om sidan och skicka igen.", "The form could not be recognised. Reload the page and send it again.";
        ASSIGN_ERR_INSTRUMENT: "Välj ett instrument som patienten fyller i själv.", "Choose an instrument the patient fills in themself.";
        ASSIGN_ERR_EVERY: "Ange hur ofta i dagar, från 1 till {n}.", "Give how often in days, from 1 to {n}.";
        ASSIGN_ERR_ALREADY: "Instrumentet är redan tilldelat. Avsluta det först om du vill ändra det.", "The instrument is already assigned. End it first to change it.";
        ASSIGN_ERR_CUTOFFS: "Instrumentet saknar officiella gränser: ange gränser för måttlig och svår mellan {min} och {max}, måttlig lägre än svår.", "The instrument has no official cut-offs: give the moderate and severe cut-offs between {min} and {max}, moderate below severe.";
        ASSIGN_ERR_NO_CUTOFFS: "Instrumentet har officiella gränser: lämna gränserna tomma.", "The instrument has official cut-offs: leave the cut-offs empty.";
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
        PLAN_BREAKS_INVARIANT: "Utkastet uppfyller inte säkerhetsreglerna med dagens referensdata. Föreslå en ny plan.", "The draft does not keep the safety rules with today's reference data. Propose a new plan.";
        PROPOSAL_CHANGED: "Förslaget har ändrats sedan sidan visades (nya skattningar). Läs det nya förslaget innan du signerar.", "The proposal has changed since the page was shown (new scores). Read the new proposal before signing.";
        PLAN_NEW_REPORTS: "Patienten har rapporterat något nytt (en skattning eller i dagboken) sedan sidan visades. Läs det innan du signerar.", "The patient has reported something new (a score or in the diary) since the page was shown. Read it before you sign.";
        PLAN_REPORTS_TOKEN: "Ange vilka rapporter från patienten du har sett, som planen anger dem (reports_seen).", "State which of the patient's reports you have seen, as the plan gives them (reports_seen).";
        SIGN_ERR_CONFIRM_HIGH: "Bekräfta särskilt dosen över gränsen innan du signerar.", "Confirm separately the dose over the limit before signing.";
        PROPOSAL_REFUSED: "Förslaget kan inte signeras: {message}", "The proposal cannot be signed: {message}";
        FN_FAST_VARDKONTAKT: "Fast vårdkontakt", "Named care contact";
        FN_PRESCRIBER: "Förskrivande läkare", "Prescriber";
        FN_PSYCHOSOCIAL: "Kurator/psykolog", "Social worker/psychologist";
        FN_PHYSIOTHERAPIST: "Fysioterapeut", "Physiotherapist";
        FN_OTHER: "Övrig", "Other";
        CARE_TEAM_UNFIT: "{name} kan inte vara {function} i vårdteamet: {rule}", "{name} cannot be {function} in the care team: {rule}";
        FIT_PRESCRIBER: "förskrivaren är läkare.", "the prescriber is a physician.";
        FIT_CONTACT: "fast vårdkontakt är legitimerad vårdpersonal som träffar patienten (sjuksköterska, läkare, kurator/psykolog eller fysioterapeut).", "the named contact is a licensed clinician who meets the patient (nurse, physician, social worker/psychologist or physiotherapist).";
        FIT_PSYCHOSOCIAL: "funktionen är för kurator eller psykolog.", "the function is for a social worker or psychologist.";
        FIT_PHYSIOTHERAPIST: "funktionen är för fysioterapeut.", "the function is for a physiotherapist.";
        FIT_OTHER: "bara vårdpersonal ingår i vårdteamet.", "only clinical staff belong to the care team.";
        CARE_TEAM_ALREADY: "Den personen har redan den funktionen.", "That person already has that function.";
        EMERGENCY_REASON_SHORT: "Ange ett skäl med minst {n} tecken.", "Give a reason of at least {n} characters.";
        LOGIN_FAILED: "Fel användarnamn eller lösenord.", "Wrong username or password.";
        LOGIN_NO_ACCOUNT: "Inget konto i Trappa", "No account in Trappa";
        LOGIN_NO_ACCOUNT_DETAIL: "Inloggningen lyckades, men det finns inget konto i Trappa för dig. Personal vänder sig till enhetens administratör, patienter till sin vårdkontakt.", "The sign-in worked, but there is no account in Trappa for you. Staff turn to the unit's administrator, patients to their care contact.";
        TOTP_WRONG: "Koden stämmer inte. Försök igen.", "The code is not correct. Try again.";
        TOTP_ALREADY_ON: "Tvåfaktorsinloggning är redan påslagen. Stäng av den först för att byta nyckel.", "Two-factor sign-in is already on. Turn it off first to change the key.";
        TOTP_REQUIRED_FOR_ROLE: "Som administratör måste du ha tvåfaktorsinloggning. Den kan stängas av först när en annan administratör har tagit bort rollen.", "As an administrator you must have two-factor sign-in. It can be turned off only once another administrator has removed the role.";
        PASSWORD_WRONG: "Lösenordet stämmer inte.", "The password is not correct.";
        PASSWORD_TOO_SHORT: "Lösenordet måste ha minst {n} tecken.", "The password must have at least {n} characters.";
        PASSWORD_MISMATCH: "Lösenorden är inte lika.", "The passwords do not match.";
        STAFF_HSA_BAD: "HSA-id ska ha formen SE + tio siffror + bindestreck + tecken.", "An HSA id has the form SE + ten digits + hyphen + characters.";
        STAFF_ROLES_REQUIRED: "Välj minst en roll.", "Choose at least one role.";
        STAFF_PARTNER_ONLY: "En samverkanspartner har bara den rollen.", "A partner holds that role only.";
        STAFF_PARTNER_WORKPLACE: "Välj en samverkanspartners organisation för rollen samverkanspartner, och en enhet för alla andra roller.", "Choose a partner's organisation for the partner role, and a unit for every other role.";
        STAFF_HSA_TAKEN: "HSA-id eller användarnamn används redan.", "The HSA id or username is already in use.";
        STAFF_USERNAME_BAD: "Användarnamnet får ha 1–{n} tecken: bokstäverna a–z, siffror, punkt, bindestreck och understreck.", "A username has 1–{n} characters: the letters a–z, digits, full stop, hyphen and underscore.";
        ERR_OWN_ROLES: "Du kan inte ändra dina egna roller", "You cannot change your own roles";
        ERR_OWN_ROLES_DETAIL: "En annan administratör måste ändra dina roller. Inget har sparats. Försöket har loggats och granskas.", "Another administrator must change your roles. Nothing was saved. The attempt has been logged and is reviewed.";
        ROLE_NURSE: "Sjuksköterska", "Nurse";
        ROLE_PHYSICIAN: "Läkare", "Physician";
        ROLE_PSYCHOLOGIST: "Psykolog/kurator", "Psychologist/social worker";
        ROLE_PHYSIOTHERAPIST: "Fysioterapeut", "Physiotherapist";
        ROLE_COORDINATOR: "Koordinator", "Coordinator";
        ROLE_UNIT_MANAGER: "Verksamhetschef", "Unit manager";
        ROLE_ANALYST: "Analytiker", "Analyst";
        ROLE_AUDITOR: "Logggranskare", "Auditor";
        ROLE_ADMIN: "Administratör", "Administrator";
        ROLE_EXTERNAL_REFERRER: "Remittent", "Referrer";
        ROLE_PATIENT: "Patient", "Patient";
        ROLE_PARTNER: "Samverkanspartner", "Partner";
        CONSENT_ERR_IN_FORCE: "Patienten har redan ett samtycke i kraft för den organisationen.", "The patient already has a consent in force for that organisation.";
        BAD_DATE: "Ange ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-12-01.", "Give a date as YYYY-MM-DD, for example 2026-12-01.";
        CONSENT_ERR_FUTURE: "Datumet kan inte ligga i framtiden.", "The date cannot be in the future.";
        CONSENT_ERR_WITHDRAWN: "Samtycket är redan återkallat.", "The consent is already withdrawn.";
        CONSENT_WITHDRAWN_BY_PATIENT: "Återkallat av patienten på Mina sidor", "Withdrawn by the patient in My pages";
        SIP_ERR_PARTNER: "Välj en av samverkanspartnerna.", "Choose one of the partners.";
        SIP_ERR_RESPONSIBLE: "Den ansvariga organisationen måste vara med i planen.", "The responsible organisation must take part in the plan.";
        SIP_ERR_PARTICIPANT: "En deltagare kan bara företräda en organisation som är med i planen.", "A participant can only speak for an organisation taking part in the plan.";
        SIP_ERR_LEAD: "Välj vilken av organisationerna i planen som har huvudansvaret.", "Choose which of the plan's organisations holds the overall responsibility.";
        SIP_ERR_INTERVENTIONS: "Ange minst en insats och vem som ansvarar för den.", "Give at least one intervention and who is responsible for it.";
        SIP_ERR_NO_PARTNER: "En samordnad individuell plan görs med minst en organisation utanför enheten.", "A coordinated individual plan is made with at least one organisation outside the unit.";
        SIP_ERR_CLOSED: "Planen är avslutad", "The plan is closed";
        SIP_ERR_CLOSED_DETAIL: "En avslutad plan ändras inte och får inga nya uppgifter. Starta en ny plan om det behövs.", "A closed plan is not changed and gets no new tasks. Start a new plan if one is needed.";
        SIP_ERR_NO_CONSENT: "Samtycke saknas", "Consent is missing";
        SIP_ERR_NO_CONSENT_DETAIL: "Planen kan inte undertecknas förrän patientens samtycke är registrerat för varje organisation i den. Registrera samtycket först.", "The plan cannot be signed until the patient's consent is recorded for every organisation in it. Record the consent first.";
        SIP_ERR_SIGNED: "Redan undertecknad", "Already signed";
        SIP_ERR_SIGNED_DETAIL: "Din organisation har redan undertecknat den här versionen av planen.", "Your organisation has already signed this version of the plan.";
        WEEK_ERR_NO_PLAN: "Det finns ingen sparad plan för veckan att ändra.", "There is no saved plan for the week to change.";
        WEEK_ERR_NO_VISIT: "Besöket finns inte i veckans plan.", "The visit is not in the week's plan.";
        WEEK_REASON_UNPIN: "Nål borttagen från {visit}", "Unpinned {visit}";
        WEEK_REASON_PIN: "Nål satt på {visit}", "Pinned {visit}";
        WEEK_ERR_NO_DAY: "Välj en arbetsdag för någon i teamet med rätt yrke.", "Choose a working day of a team member of the right profession.";
        WEEK_REASON_UNLOCK: "Dag upplåst: {staff} {day}", "Day unlocked: {staff} {day}";
        WEEK_REASON_LOCK: "Dag låst: {staff} {day}", "Day locked: {staff} {day}";
        WEEK_REASON_REQUEST_REMOVED: "Begärt besök borttaget", "Requested visit removed";
        WEEK_ERR_TOO_MANY_REQUESTS: "Veckan har redan {max} begärda besök. Ta bort något innan du lägger till fler.", "The week already holds {max} requested visits. Remove one before adding more.";
        WEEK_ERR_PATIENT: "Välj en patient som har ett vårdteam.", "Choose a patient with a care team.";
        WEEK_ERR_PROFESSION: "Välj ett yrke.", "Choose a profession.";
        WEEK_ERR_MINUTES: "Ange längden i minuter, 15–240.", "Give the length in minutes, 15–240.";
        WEEK_ERR_MODES: "Välj minst en form.", "Choose at least one mode.";
        WEEK_REASON_REQUEST: "Besök begärt: {profession}, {minutes} min", "Visit requested: {profession}, {minutes} min";
        WEEK_ERR_REASON: "Ange ett skäl till ändringen.", "Give a reason for the change.";
        WEEK_ERR_BROKEN: "Planen bryter mot {n} villkor (till exempel en tid utanför arbetstiden eller ett rum som inte är lånat) och sparas inte. Gör ett nytt förslag.", "The plan breaks {n} constraints (for example a time outside working hours or a room not lent) and is not saved. Make a new proposal.";
        SETUP_ERR_HOURS: "Tiderna för {what} går inte ihop (slut före start?).", "The hours for {what} do not add up (end before start?).";
        SETUP_ERR_LUNCH: "Lunchen för {what} ryms inte i arbetstiden.", "Lunch for {what} does not fit the working hours.";
        SETUP_ERR_DATES: "Ange giltiga datum, slut samma dag eller senare.", "Give valid dates, ending the same day or later.";
        SETUP_ERR_WEEKDAY: "En arbetsdag för {what} har en veckodag som inte finns.", "A working day for {what} has a weekday that does not exist.";
        SETUP_ERR_DUPLICATE: "{what} finns med två gånger, eller har samma veckodag två gånger.", "{what} is listed twice, or has the same weekday twice.";
        REVIEW_ERR_OUTCOME: "Välj om nödåtkomsten var motiverad.", "Choose whether the emergency access was justified.";
        REF_ERR_NO_UNIT: "Ditt konto hör inte till någon enhet, så enhetens val kan inte sparas.", "Your account belongs to no unit, so the unit's choices cannot be saved.";
        SEARCH_TOO_LONG: "Sökningen är för lång. Ange ett personnummer eller några ord av namnet.", "The search is too long. Give an identity number or a few words of the name.";
        SEARCH_TOO_SHORT: "Ange minst två tecken.", "Enter at least two characters.";
        NOT_IN_TRIAGE: "Remissen är redan bedömd", "The referral has already been decided";
        RELEASE_ERR_DELAY: "Ange ett antal dagar från 0 till {max}.", "Give a number of days from 0 to {max}.";
        NOTICE_SUBJECT: "Nytt i Trappa", "New in Trappa";
        NOTICE_MESSAGE: "Du har ett nytt meddelande i Trappa.", "You have a new message in Trappa.";
        NOTICE_VISIT_ANSWER: "Du har fått svar om ett besök i Trappa.", "You have an answer about a visit in Trappa.";
        NOTICE_PLAN: "Det finns en ny version av din plan i Trappa.", "There is a new version of your plan in Trappa.";
        NOTICE_QUESTIONNAIRE: "Ditt vårdteam har bett dig fylla i ett formulär i Trappa.", "Your care team has asked you to fill in a form in Trappa.";
        NOTICE_READ_AT: "Logga in för att läsa: {link}", "Sign in to read it: {link}";
        NOTICE_FOOTER: "Det här meddelandet går inte att svara på. Du ändrar eller stänger av aviseringarna under Mina sidor.", "This message cannot be answered. You change or turn off notifications in My pages.";
        NOTICE_BAD_EMAIL_OFF: "Ange en e-postadress om du vill ha aviseringar med e-post.", "Give an email address if you want notifications by email.";
        NOT_IN_TRIAGE_DETAIL: "Patienten står inte längre i kön för bedömning, så remissen kan inte beslutas igen. Försöket har loggats.", "The patient is no longer in the triage queue, so the referral cannot be decided again. The attempt has been logged.";
    }
}

pub use v::V;

/// A role's name.
pub fn role_label(role: trappa_policy::Role) -> &'static Msg {
    use trappa_policy::Role;
    match role {
        Role::Nurse => &V::ROLE_NURSE,
        Role::Physician => &V::ROLE_PHYSICIAN,
        Role::Psychologist => &V::ROLE_PSYCHOLOGIST,
        Role::Physiotherapist => &V::ROLE_PHYSIOTHERAPIST,
        Role::Coordinator => &V::ROLE_COORDINATOR,
        Role::UnitManager => &V::ROLE_UNIT_MANAGER,
        Role::Analyst => &V::ROLE_ANALYST,
        Role::Auditor => &V::ROLE_AUDITOR,
        Role::Admin => &V::ROLE_ADMIN,
        Role::ExternalReferrer => &V::ROLE_EXTERNAL_REFERRER,
        Role::Patient => &V::ROLE_PATIENT,
        Role::Partner => &V::ROLE_PARTNER,
    }
}

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
        // Words that are the same in Swedish and English.
        let same_in_both = ["Patient"];
        for (name, m) in super::v::ALL {
            assert!(!m.sv.trim().is_empty() && !m.en.trim().is_empty(), "{name}");
            assert!(
                m.sv != m.en || same_in_both.contains(&m.sv),
                "{name} is not translated"
            );
            assert_eq!(placeholders(m.sv), placeholders(m.en), "{name}");
        }
    }
}
