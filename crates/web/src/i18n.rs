//! The message catalogue: every UI string, Swedish first, English second.
//!
//! Messages are typed constants (`M::LOGIN_TITLE`), so a missing message is a compile
//! error, not a blank on a page. Placeholders are `{name}` and filled by [`fill`].

use trappa_i18n::catalogue;
pub use trappa_i18n::{Locale, Msg, fill};

mod calendar;
mod clinical;
mod jobs;
mod log;
mod messages;
mod notices;
mod own_record;
mod planning;
mod portal;
mod release;
mod reports;
mod security;
mod sip;
mod visits_portal;
mod work;
pub use calendar::K;
pub use clinical::C;
pub use jobs::J;
pub use log::{L, resource_label};
pub use messages::G;
pub use notices::N;
pub use own_record::U;
pub use planning::Y;
pub use portal::P;
pub use release::E;
pub use reports::R;
pub use security::S;
pub use sip::Q;
pub use trappa_app::text::V;
pub use visits_portal::B;
pub use work::W;

catalogue! {
    APP_NAME: "Trappa", "Trappa";
    APP_TAGLINE: "Regional nedtrappning av beroendeframkallande läkemedel", "Regional tapering of dependence-forming medicines";
    SKIP_TO_CONTENT: "Hoppa till innehållet", "Skip to content";
    NAV_START: "Start", "Home";
    NAV_PATIENTS: "Patienter", "Patients";
    NAV_NEW_PATIENT: "Registrera patient", "Register patient";
    NAV_AUDIT_LOG: "Åtkomstlogg", "Access log";
    NAV_EMERGENCY_REVIEW: "Granska nödåtkomst", "Review emergency access";
    NAV_STAFF: "Personal", "Staff";
    NAV_ACCOUNT: "Mitt konto", "My account";
    NAV_MY_LOG: "Vem har läst min journal", "Who read my record";
    NAV_MAIN: "Huvudmeny", "Main menu";
    LOGOUT: "Logga ut", "Sign out";
    ACTING_AS: "Roll", "Role";
    SWITCH_ROLE: "Byt roll", "Switch role";
    LANG_SWITCH: "English", "Svenska";
    FOOTER_NOTE: "Trappa är fri programvara (Apache-2.0). All åtkomst till patientuppgifter loggas enligt patientdatalagen.", "Trappa is free software (Apache-2.0). Every access to patient data is logged under the Swedish Patient Data Act.";
    SYNTHETIC: "Testperson", "Test person";
    SYNTHETIC_NOTE: "Syntetisk testperson (demodata) – inte en verklig patient.", "Synthetic test person (demo data) – not a real patient.";

    ERR_NOT_FOUND: "Sidan finns inte", "Page not found";
    ERR_NOT_FOUND_DETAIL: "Kontrollera adressen eller gå tillbaka till startsidan.", "Check the address or go back to the home page.";
    ERR_UNAUTHENTICATED: "Du är inte inloggad", "You are not signed in";
    ERR_UNAUTHENTICATED_DETAIL: "Logga in för att fortsätta.", "Sign in to continue.";
    ERR_FORBIDDEN: "Du har inte behörighet", "You are not allowed";
    ERR_FORBIDDEN_DETAIL: "Din roll ger inte åtkomst till den här sidan. Försöket har loggats.", "Your role does not give access to this page. The attempt has been logged.";
    ERR_SECOND_FACTOR_REQUIRED: "Tvåfaktorsinloggning krävs", "Two-factor sign-in required";
    ERR_SECOND_FACTOR_REQUIRED_DETAIL: "Administratörens sidor nås bara med tvåfaktorsinloggning. Slå på den under Mitt konto, eller logga in igen med din kod om den redan är påslagen.", "The administrator's pages are reached only with two-factor sign-in. Turn it on under My account, or sign in again with your code if it is already on.";
    ERR_NO_CARE_RELATION: "Ingen vårdrelation", "No care relationship";
    ERR_NO_CARE_RELATION_DETAIL: "Du ingår inte i patientens vårdteam. Nödåtkomst kräver ett skäl och granskas i efterhand.", "You are not in the patient's care team. Emergency access needs a reason and is reviewed afterwards.";
    ERR_CSRF: "Formuläret kunde inte skickas", "The form could not be sent";
    ERR_CSRF_DETAIL: "Säkerhetstoken saknas eller är ogiltig. Ladda om sidan och försök igen.", "The security token is missing or invalid. Reload the page and try again.";
    ERR_STALE: "Uppgifterna har ändrats av någon annan", "Someone else has changed the record";
    ERR_STALE_DETAIL: "Någon annan har sparat en ny version sedan du öppnade formuläret. Inget har skrivits över. Öppna formuläret igen och gör om ändringen.", "Someone saved a new version after you opened the form. Nothing was overwritten. Open the form again and redo the change.";
    ERR_THROTTLED: "För många försök", "Too many attempts";
    ERR_THROTTLED_DETAIL: "För många misslyckade försök. Vänta 15 minuter och försök igen.", "Too many failed attempts. Wait 15 minutes and try again.";
    ERR_INVALID: "Uppgifterna behöver rättas", "The input needs correcting";
    ERR_INVALID_DETAIL: "Några fält är inte korrekt ifyllda. Inget har sparats.", "Some fields are not filled in correctly. Nothing was saved.";
    ERR_UNREADABLE: "Uppgifterna kunde inte läsas", "The input could not be read";
    ERR_DATE_RANGE: "Ange ett datum mellan {from} och {to}.", "Give a date between {from} and {to}.";
    ERR_INTERNAL: "Något gick fel", "Something went wrong";
    ERR_INTERNAL_DETAIL: "Ett tekniskt fel inträffade. Inget har sparats. Ange incident-id om du kontaktar support.", "A technical error occurred. Nothing was saved. Quote the incident id if you contact support.";
    INCIDENT_ID: "Incident-id", "Incident id";
    BACK_TO_START: "Till startsidan", "Go to the home page";
    ERROR_SUMMARY: "Det finns fel i formuläret", "There is a problem";

    LOGIN_TITLE: "Logga in", "Sign in";
    LOGIN_USERNAME: "Användarnamn", "Username";
    LOGIN_PASSWORD: "Lösenord", "Password";
    LOGIN_SUBMIT: "Logga in", "Sign in";
    LOGIN_IDP_NOTE: "Inloggning med SITHS-kort eller BankID är inte påslagen på den här installationen.", "Sign-in with a SITHS card or BankID is not switched on in this installation.";
    LOGIN_LOGGED_OUT: "Du är utloggad.", "You are signed out.";
    TOTP_TITLE: "Engångskod", "One-time code";
    TOTP_HINT: "Ange den sexsiffriga koden från din autentiseringsapp.", "Enter the six-digit code from your authenticator app.";
    TOTP_CODE: "Kod", "Code";
    CONTINUE: "Fortsätt", "Continue";

    START_TITLE: "Start", "Home";
    START_WELCOME: "Välkommen, {name}", "Welcome, {name}";
    START_CASELOAD: "Mina patienter", "My patients";
    START_CASELOAD_EMPTY: "Du ingår inte i något vårdteam ännu.", "You are not in any care team yet.";
    START_SEARCH_HINT: "Sök patient på personnummer eller namn.", "Search for a patient by personal identity number or name.";
    START_AUDIT_INTRO: "Granska åtkomst till patientuppgifter och nödåtkomster.", "Review access to patient data and emergency accesses.";
    START_AUDIT_PENDING: "{n} nödåtkomster väntar på granskning.", "{n} emergency accesses await review.";
    START_ADMIN_INTRO: "Hantera konton och roller. Administratörer har ingen åtkomst till patientuppgifter.", "Manage accounts and roles. Administrators have no access to patient data.";
    START_ANALYST_INTRO: "Analytiker ser endast sammanställda uppgifter, aldrig enskilda patienter: uppföljningen för nämnden och behovsanalysen, där små tal döljs.", "Analysts see aggregates only, never a single patient: the follow-up for the board and the needs analysis, where small numbers are hidden.";
    START_REFERRER_INTRO: "Här följer du dina egna remisser: status, svar, brev och kompletteringar att besvara.", "Follow your own referrals here: status, replies, letters and complements to answer.";
    START_PATIENT_INTRO: "Här följer du din nedtrappning: planen, dagboken, formulär från ditt vårdteam, meddelanden och vem som har tagit del av din journal.", "Here you follow your taper: the plan, the diary, questionnaires from your care team, messages and who has accessed your record.";
    FUNCTION: "Funktion", "Function";

    SEARCH_TITLE: "Sök patient", "Find a patient";
    SEARCH_LABEL: "Personnummer eller namn", "Personal identity number or name";
    SEARCH_HINT: "Till exempel 19640823-3234 eller Anna Lind. Alla sökningar loggas.", "For example 19640823-3234 or Anna Lind. Every search is logged.";
    SEARCH_SUBMIT: "Sök", "Search";
    SEARCH_NO_HITS: "Ingen patient matchar sökningen.", "No patient matches the search.";
    SEARCH_HITS: "{n} träffar", "{n} results";
    SEARCH_BAD_ID: "Personnumret är inte giltigt: {reason}", "The identity number is not valid: {reason}";

    PNR: "Personnummer", "Personal identity number";
    PNR_HINT: "ÅÅÅÅMMDD-NNNN", "YYYYMMDD-NNNN";
    SAMNR: "Samordningsnummer", "Coordination number";
    NAME: "Namn", "Name";
    GIVEN_NAME: "Förnamn", "Given name";
    FAMILY_NAME: "Efternamn", "Family name";
    PHONE: "Telefon", "Phone";
    EMAIL: "E-post", "Email";
    ADDRESS: "Adress", "Address";
    STREET: "Gatuadress", "Street address";
    POSTAL_CODE: "Postnummer", "Postal code";
    CITY: "Postort", "Town";
    HOME_UNIT: "Vårdcentral", "Health centre";
    HOME_UNIT_NONE: "Ingen vald", "None chosen";
    PROTECTED_IDENTITY: "Skyddad identitet", "Protected identity";
    PROTECTED_IDENTITY_HINT: "Adressen döljs och varje åtkomst flaggas för granskning.", "The address is hidden and every access is flagged for review.";
    PROTECTED_ADDRESS_HIDDEN: "Adressen är skyddad och visas inte.", "The address is protected and not shown.";
    AGE_SEX: "Ålder och kön", "Age and sex";
    AGE_YEARS: "{n} år", "{n} years";
    SEX_MALE: "man", "male";
    SEX_FEMALE: "kvinna", "female";
    QUEUE: "Kö", "Queue";
    QUEUE_TRIAGE: "Remiss för bedömning", "Referral for triage";
    QUEUE_WAITING: "Väntelista", "Waiting list";
    NONE: "–", "–";
    VERSION: "Version", "Version";
    REASON: "Skäl", "Reason";
    REASON_HINT: "Varför ändras uppgifterna? Skälet sparas med versionen.", "Why are you changing the record? The reason is kept with the version.";
    AUTHOR: "Signerad av", "Signed by";
    WHEN: "Tidpunkt", "Time";
    SAVE: "Spara", "Save";
    CANCEL: "Avbryt", "Cancel";

    OVERVIEW_TITLE: "Patientöversikt", "Patient overview";
    IDENTITY: "Identitet och kontakt", "Identity and contact";
    EDIT_IDENTITY: "Ändra uppgifter", "Edit details";
    HISTORY: "Versionshistorik", "Version history";
    HISTORY_INTRO: "Alla versioner sparas. Inget skrivs över eller raderas.", "Every version is kept. Nothing is overwritten or deleted.";
    CARE_TEAM: "Vårdteam", "Care team";
    CARE_TEAM_EMPTY: "Inget vårdteam är utsett.", "No care team assigned.";
    CARE_TEAM_ADD: "Lägg till i vårdteamet", "Add to care team";
    CARE_TEAM_END: "Avsluta", "End";
    CARE_TEAM_MEMBER: "Medarbetare", "Staff member";
    CARE_TEAM_SINCE: "Sedan", "Since";
    CARE_TEAM_ENDED: "Avslutad", "Ended";
    ACCESS_BASIS: "Åtkomst", "Access";
    BASIS_CARE_TEAM: "Vårdteam", "Care team";
    BASIS_QUEUE: "Kö som du hanterar", "A queue you handle";
    BASIS_EMERGENCY: "Nödåtkomst", "Emergency access";
    BASIS_OWN: "Egen journal", "Own record";
    BASIS_OWN_REFERRAL: "Egen remiss", "Own referral";
    BASIS_TRIAGE: "Remissbedömning", "Referral triage";
    BASIS_PLANNING: "Reseplanering", "Trip planning";
    BASIS_STATISTICS: "Uppföljning (statistik utan identitet)", "Follow-up (statistics without identities)";
    EMERGENCY_BANNER: "Du har nödåtkomst till den här patienten. Åtkomsten är tidsbegränsad och granskas.", "You have emergency access to this patient. It is time-limited and will be reviewed.";
    PROTECTED_BANNER: "Patienten har skyddad identitet. Lämna inte ut uppgifter. Din åtkomst är flaggad.", "The patient has a protected identity. Do not disclose details. Your access is flagged.";

    EMERGENCY_TITLE: "Nödåtkomst", "Emergency access";
    EMERGENCY_INTRO: "Du ingår inte i patientens vårdteam och patienten finns inte i en kö som du hanterar. Du kan öppna journalen vid nödåtkomst om det behövs för vården av patienten. Ange skälet; åtkomsten gäller i {minutes}, loggas och granskas.", "You are not in the patient's care team and the patient is not in a queue you handle. You may open the record through emergency access if the patient's care requires it. Give the reason; access lasts {minutes}, is logged and reviewed.";
    EMERGENCY_REASON: "Skäl till nödåtkomst", "Reason for emergency access";
    EMERGENCY_SUBMIT: "Öppna med nödåtkomst", "Open with emergency access";
    EMERGENCY_NOT_ALLOWED: "Din roll kan inte ta nödåtkomst.", "Your role cannot take emergency access.";

    NEW_PATIENT_TITLE: "Registrera patient", "Register a patient";
    SAVED: "Sparat.", "Saved.";

    AUDIT_TITLE: "Åtkomstlogg", "Access log";
    AUDIT_INTRO: "Sök i loggen över åtkomst till patientuppgifter (HSLF-FS 2016:40 4 kap. 9 §). Loggen kan inte ändras och sparas i minst {years} år.", "Search the log of access to patient data (HSLF-FS 2016:40 ch. 4 § 9). The log cannot be changed and is kept for at least {years} years.";
    AUDIT_PATIENT: "Patientens personnummer", "Patient's identity number";
    AUDIT_USER: "Användarnamn", "Username";
    AUDIT_FROM: "Från datum", "From date";
    AUDIT_TO: "Till och med datum", "To date";
    AUDIT_FLAGGED_ONLY: "Endast flaggade", "Flagged only";
    AUDIT_DATE_HINT: "ÅÅÅÅ-MM-DD", "YYYY-MM-DD";
    AUDIT_BAD_DATE: "Ange datum som ÅÅÅÅ-MM-DD.", "Enter a date as YYYY-MM-DD.";
    AUDIT_UNKNOWN_USER: "Det finns inget konto med det användarnamnet.", "There is no account with that username.";
    AUDIT_UNKNOWN_PATIENT: "Ingen patient har det numret.", "No patient has that number.";
    AUDIT_NO_ROWS: "Inga loggposter matchar.", "No log entries match.";
    AUDIT_SHOWING: "Visar de {n} senaste posterna.", "Showing the {n} latest entries.";
    AUDIT_OLDER: "Äldre poster", "Older entries";
    AUDIT_EXTRACT: "Logguttag till patienten", "Log extract for the patient";
    AUDIT_EXTRACT_INTRO: "Patienten har rätt att få veta vem som har tagit del av uppgifterna (PDL 8 kap. 1 §).", "The patient has the right to know who has accessed their data (Patient Data Act ch. 8 § 1).";
    COL_TIME: "Tid", "Time";
    COL_USER: "Användare", "User";
    COL_ROLE: "Roll", "Role";
    COL_UNIT: "Enhet", "Unit";
    COL_PATIENT: "Patient", "Patient";
    COL_ACTION: "Händelse", "Action";
    COL_WHAT: "Vad", "What";
    COL_HOW: "Hur", "How";
    COL_FROM: "Varifrån", "From";
    COL_OUTCOME: "Utfall", "Outcome";
    OUTCOME_ALLOWED: "Tillåten", "Allowed";
    OUTCOME_DENIED: "Nekad", "Denied";
    FLAGGED: "Flaggad", "Flagged";
    DOWNLOAD_PDF: "Ladda ner PDF", "Download PDF";
    DOWNLOAD_CSV: "Ladda ner CSV", "Download CSV";

    REVIEW_TITLE: "Granska nödåtkomst", "Review emergency access";
    REVIEW_INTRO: "Varje nödåtkomst ska granskas och signeras. Ogranskade visas först.", "Every emergency access is reviewed and signed off. Unreviewed ones come first.";
    REVIEW_EMPTY: "Det finns inga nödåtkomster.", "There are no emergency accesses.";
    REVIEW_NOTE: "Granskningsanteckning", "Review note";
    REVIEW_SUBMIT: "Signera granskning", "Sign off review";
    REVIEW_DONE: "Granskad", "Reviewed";
    REVIEW_PENDING: "Ej granskad", "Not reviewed";
    REVIEW_EXPIRES: "Gäller till", "Valid until";

    STAFF_TITLE: "Personal och konton", "Staff and accounts";
    STAFF_NEW: "Nytt konto", "New account";
    STAFF_EDIT: "Ändra konto", "Edit account";
    STAFF_DISPLAY_NAME: "Namn", "Name";
    STAFF_PROFESSION: "Yrke", "Profession";
    STAFF_HSA: "HSA-id", "HSA id";
    STAFF_HSA_HINT: "Till exempel SE2321000131-E000000012345", "For example SE2321000131-E000000012345";
    STAFF_ROLES: "Roller", "Roles";
    STAFF_UNIT: "Enhet", "Unit";
    STAFF_ACTIVE: "Aktivt konto", "Active account";
    STAFF_INITIAL_PASSWORD: "Första lösenord", "Initial password";
    STAFF_TOTP: "Tvåfaktor", "Two-factor";
    STAFF_RESET_PASSWORD: "Nytt lösenord (återställning)", "New password (reset)";
    STAFF_RESET_PASSWORD_HINT: "Lämna tomt för att behålla lösenordet. Ett nytt lösenord avslutar kontots alla inloggningar.", "Leave empty to keep the password. A new password ends all of the account's sessions.";
    NAV_TAPER: "Nedtrappningsplan", "Taper plan";
    NAV_REFERENCE: "Referensdata", "Reference data";
    TAPER_TITLE: "Beräkna nedtrappningsplan", "Calculate a taper plan";
    TAPER_LEAD: "Beräkningsmotorn föreslår en plan avrundad till svenska produkter. Den gäller först när förskrivande läkare har signerat den. Inga patientuppgifter sparas här.", "The engine proposes a plan rounded to Swedish products. It applies only once the prescribing physician has signed it. No patient data is stored here.";
    TAPER_DRUG_N: "Läkemedel {n}", "Medicine {n}";
    TAPER_SUBSTANCE: "Substans", "Substance";
    TAPER_NONE: "– inget –", "– none –";
    TAPER_DOSE: "Dos", "Dose";
    TAPER_DOSE_HINT: "mg morgon+middag+kväll+natt, t.ex. 10+10+0+25; plåster: µg/h, t.ex. 25", "mg morning+noon+evening+night, e.g. 10+10+0+25; patch: µg/h, e.g. 25";
    TAPER_STRATEGY: "Strategi", "Strategy";
    STRAT_SLOW: "Långsam, andel av aktuell dos (standard)", "Slow, share of the current dose (default)";
    STRAT_HYPERBOLIC: "Hyperbol (lika steg i receptorbeläggning)", "Hyperbolic (equal steps in receptor occupancy)";
    STRAT_LINEAR: "Linjär, andel av startdosen", "Linear, share of the starting dose";
    STRAT_SUBSTITUTION: "Byte till diazepam, sedan långsam", "Switch to diazepam, then slow";
    TAPER_PERCENT: "Procent per steg", "Percent per step";
    TAPER_PERCENT_HINT: "Tomt med långsam nedtrappning: läkemedelsklassens standard, med källa (bensodiazepiner 10 % varannan vecka, opioider 10 % i månaden). Långsam: av aktuell dos. Linjär: av startdosen (10). Hyperbol: av receptorbeläggningen (5).", "Empty with the slow taper: the drug class's default, with its source (benzodiazepines 10 % every other week, opioids 10 % a month). Slow: of the current dose. Linear: of the starting dose (10). Hyperbolic: of the receptor occupancy (5).";
    TAPER_INTERVAL: "Veckor mellan stegen", "Weeks between steps";
    TAPER_MAX_STEP: "Största sänkning per steg, procent", "Largest cut per step, percent";
    TAPER_MAX_STEP_HINT: "Standard 10; högst 25 (ASAM 2025).", "Default 10; at most 25 (ASAM 2025).";
    TAPER_START: "Startdatum", "Start date";
    TAPER_START_HINT: "ÅÅÅÅ-MM-DD; tomt = i dag", "YYYY-MM-DD; empty = today";
    TAPER_GOAL: "Mål i stället för utsättning", "Target instead of stopping";
    TAPER_GOAL_HINT: "substans=dygnsdos, t.ex. oxazepam=10; tomt = sätt ut", "substance=daily dose, e.g. oxazepam=10; empty = stop";
    TAPER_PHASE: "Inledande fas med egen takt (valfri)", "Opening phase at its own pace (optional)";
    TAPER_PHASE_HINT: "T.ex. Terveyskylä: 2 steg om 25 % med 2 veckors mellanrum, sedan takten ovan. Taket 25 % på två veckor gäller alltid.", "E.g. Terveyskylä: 2 steps of 25 % two weeks apart, then the pace above. The ceiling of 25 % in two weeks always holds.";
    TAPER_PHASE_STEPS: "Antal steg", "Steps";
    TAPER_PHASE_PERCENT: "Procent per steg", "Percent per step";
    TAPER_PHASE_WEEKS: "Veckor mellan stegen", "Weeks between steps";
    TAPER_MULTI: "Flera läkemedel", "Several medicines";
    REF_RULES_EDIT: "Enhetens standardvärden", "The unit's defaults";
    REF_RULES_EDIT_HINT: "Gäller planer som inte anger egna värden. Ett värde som enheten sätter är enhetens beslut och visas som ej verifierat (U). Tomt fält = motorns värde.", "Apply to plans that set no values of their own. A value the unit sets is the unit's decision and is shown as unverified (U). Empty field = the engine's value.";
    REF_RULE_HINT: "Motorns värde: {value} ({source}).", "The engine's value: {value} ({source}).";
    REF_DOSE_TIMES: "Vilken dostid som minskas först", "Which dose time is reduced first";
    REF_DOSE_TIMES_HINT: "Per läkemedelsgrupp; en plan kan välja annat för ett läkemedel.", "Per group of medicines; a plan may choose otherwise for one medicine.";
    REF_ERR_RULE: "Skriv ett tal mellan {min} och {max}, eller lämna fältet tomt för motorns värde.", "Enter a number between {min} and {max}, or leave the field empty for the engine's value.";
    REF_ERR_DOSE_TIME: "Välj en av reglerna i listan.", "Choose one of the rules in the list.";
    MULTI_STAGGERED: "Ett i taget", "One at a time";
    MULTI_PARALLEL: "Samtidigt", "At the same time";
    TAPER_TABLE_DE: "Ekvivalenstabell för bensodiazepiner (DE)", "Equivalence table for benzodiazepines (DE)";
    TAPER_TABLE_MME: "Ekvivalenstabell för opioider (MME)", "Equivalence table for opioids (MME)";
    TAPER_DEFAULT_TABLE: "enhetens standard", "the unit's default";
    TAPER_SPECIAL: "Använd även flytande beredningar, licens- och extemporeläkemedel som enheten har (mindre steg vid låga doser)", "Also use the unit's liquids, licence and extemporaneous products (smaller steps at low doses)";
    TAPER_SUBMIT: "Beräkna", "Calculate";
    TAPER_RESULT: "Förslag", "Proposal";
    TAPER_WARNINGS: "Att granska innan signering", "To review before signing";
    TAPER_UNVERIFIED: "Ej verifierat värde", "Unverified value";
    TAPER_SUMMARY: "{steps} steg över {weeks}; sista steget {end}. Referensdata {version}, tabeller {de} och {mme}.", "{steps} steps over {weeks}; last step {end}. Reference data {version}, tables {de} and {mme}.";
    TAPER_CHANGE: "Ändra underlaget", "Change the input";
    TAPER_ROUNDING: "mål {aim}, ideal {ideal}; avrundat {pct}", "aim {aim}, ideal {ideal}; rounded {pct}";
    TAPER_QUANTITIES: "Att förskriva per fyra veckor", "To prescribe per four weeks";
    SCORES_TITLE: "Skattningar", "Scores";
    SCORES_NEW: "Ny skattning", "New score";
    SCORES_RECORDED: "Registrerade skattningar", "Recorded scores";
    SCORES_NONE: "Inga skattningar ännu.", "No scores yet.";
    SCORES_DATE: "Datum", "Date";
    SCORES_INSTRUMENT: "Instrument", "Instrument";
    SCORES_TOTAL: "Poäng", "Score";
    SCORES_TOTAL_RANGE: "Totalpoäng ({min}–{max})", "Total score ({min}–{max})";
    SCORES_BAND: "Nivå", "Level";
    SCORES_BAND_JUDGED: "Nivå enligt din bedömning (instrumentet har inga officiella gränser)", "Level as you judge it (the instrument has no official cut-offs)";
    SCORES_FLAGS: "Rapporterat", "Reported";
    SCORES_NOTE: "Anteckning", "Note";
    SCORES_SAVE: "Spara skattningen", "Save the score";
    SCORES_LICENCE: "Licens", "Licence";
    SCORES_CORRECTED: "rättad", "corrected";
    SCORES_CORRECTION: "rättelse", "correction";
    PROPOSAL_TITLE: "Motorns förslag utifrån skattningarna", "The engine's proposal from the scores";
    PROPOSAL_URGENT: "Kontakta läkare i dag", "Contact a physician today";
    PROPOSAL_CONTINUE: "Fortsätt enligt planen.", "Continue as planned.";
    PROPOSAL_HOLD: "Behåll nuvarande dos {weeks} till.", "Keep the current dose {weeks} more.";
    PROPOSAL_SLOW: "Gå långsammare: {weeks} mellan stegen resten av planen.", "Go slower: {weeks} between steps for the rest of the plan.";
    PROPOSAL_STEP_BACK: "Gå tillbaka till dosen i steg {step} (senast tolererade), håll den {hold}, sedan {weeks} mellan stegen.", "Go back to the dose of step {step} (the last tolerated), keep it {hold}, then {weeks} between steps.";
    PROPOSAL_SIGN: "Signera förslaget som ny plan", "Sign the proposal as the new plan";
    PROPOSAL_DRAFT_FIRST: "Ett utkast väntar på signering; signera eller ersätt det först.", "A draft awaits signing; sign or replace it first.";
    START_PLANS_TO_SIGN: "Planer att signera", "Plans to sign";
    NAV_REFERRALS: "Remisser", "Referrals";
    REFERRALS_TITLE: "Remisser", "Referrals";
    REFERRALS_NONE: "Inga remisser.", "No referrals.";
    REFERRAL_TITLE: "Remiss", "Referral";
    REFERRAL_NEW: "Ny remiss", "New referral";
    REFERRAL_LEAD: "Remiss till den regionala nedtrappningsenheten för vuxna med beroende av förskrivna läkemedel. Ett nedtrappningsförsök ska redan ha gjorts på vårdcentralen.", "Referral to the regional tapering unit for adults dependent on prescribed medicines. A tapering attempt must already have been made at the vårdcentral.";
    REFERRAL_PATIENT: "Patient", "Patient";
    REFERRAL_DAILY_DOSE: "Dygnsdos (mg, plåster µg/h)", "Daily dose (mg, patch µg/h)";
    REFERRAL_MONTHS: "Använt i antal månader", "Used for months";
    REFERRAL_ATTEMPT: "Tidigare nedtrappningsförsök", "Earlier tapering attempt";
    REFERRAL_NO_ATTEMPT: "Inget nedtrappningsförsök angivet.", "No tapering attempt given.";
    REFERRAL_ATTEMPT_DRUG: "Läkemedel", "Drug";
    REFERRAL_ATTEMPT_PERIOD: "Period", "Period";
    REFERRAL_ATTEMPT_LOWEST: "Lägsta uppnådda dos", "Lowest dose reached";
    REFERRAL_ATTEMPT_WHY: "Varför försöket avbröts", "Why it stopped";
    REFERRAL_CIRCUMSTANCES: "Omständigheter", "Circumstances";
    REFERRAL_MIXED: "Annan substansanvändning (alkohol, narkotika, bruk utöver förskrivning)", "Other substance use (alcohol, illicit drugs, use beyond the prescription)";
    REFERRAL_PSYCHIATRIC: "Primär psykiatrisk sjukdom står i förgrunden", "A primary psychiatric illness is in the foreground";
    REFERRAL_PAIN: "Komplex smärtproblematik", "Complex pain";
    REFERRAL_PREGNANT: "Graviditet", "Pregnancy";
    REFERRAL_COMORBIDITIES: "Andra sjukdomar", "Other illnesses";
    REFERRAL_PRESCRIBER: "Nuvarande förskrivare", "Current prescriber";
    REFERRAL_FREE_TEXT: "Övrigt", "Other";
    REFERRAL_SEND: "Skicka remissen", "Send the referral";
    REFERRAL_FROM: "Från", "From";
    REFERRAL_RECEIVED: "Mottagen", "Received";
    REFERRAL_STATUS: "Status", "Status";
    REFERRAL_REPLY: "Svar till remittenten", "Reply to the referrer";
    REFERRAL_PROPOSAL: "Reglernas förslag", "The rules' proposal";
    REFERRAL_AWAITING: "Väntar på bedömning", "Awaiting triage";
    REFERRAL_ACCEPTED: "Antagen, väntelista", "Accepted, waiting list";
    REFERRAL_ACCEPTED_HIGH: "Antagen, väntelista med förtur", "Accepted, waiting list with priority";
    REFERRAL_COMPLEMENT: "Komplettering begärd", "Complement requested";
    REFERRAL_DECLINED: "Avböjd med råd", "Declined with advice";
    REFERRAL_REDIRECTED: "Hänvisad", "Redirected";
    REFERRAL_FACTS: "Uppgifter i remissen", "In the referral";
    REFERRAL_ASK_FOR: "Be om", "Ask for";
    REFERRAL_DECISIONS: "Beslut", "Decisions";
    REFERRAL_DECIDE: "Besluta", "Decide";
    REFERRAL_DECISION: "Beslut", "Decision";
    TARGET_ADDICTION: "beroendevården", "addiction care";
    TARGET_PSYCHIATRY: "psykiatrin", "psychiatry";
    TARGET_PAIN: "smärtteam (nivå 2–4)", "pain team (level 2–4)";
    TARGET_SOCIAL: "kommunens socialtjänst", "the municipality's social services";
    REFERRAL_COMPLEMENTED: "Komplettering inkommen", "Complement received";
    REFERRAL_QUESTIONS: "Vi behöver veta", "We need to know";
    REFERRAL_COMPLEMENTS: "Kompletteringar", "Complements";
    REFERRAL_ANSWER: "Komplettera remissen", "Complete the referral";
    REFERRAL_ANSWER_TEXT: "Svar på frågorna", "Answer to the questions";
    REFERRAL_ANSWER_SEND: "Skicka kompletteringen", "Send the complement";
    REFERRAL_PHONE_ANSWER: "Svar per telefon", "Answer by phone";
    REFERRAL_PHONE_ANSWER_HINT: "Har patienten eller remittenten svarat per telefon? Skriv svaret här; det sparas i ditt namn och väntetiden räknas igen.", "Did the patient or the referrer answer by phone? Write the answer here; it is kept under your name and the waiting time counts again.";
    REFERRAL_SELF: "Egenremiss", "Self-referral";
    REFERRAL_SELF_CONTACT: "Egenremiss: frågor ställs till patienten per telefon, inte till någon remittent.", "Self-referral: questions go to the patient by phone, not to a referrer.";
    LETTER_TITLE: "Svar på remiss", "Reply to referral";
    LETTER_SHOW: "Svarsbrev", "Reply letter";
    LETTER_PDF: "Svarsbrev (PDF)", "Reply letter (PDF)";
    LETTER_DATE: "Datum", "Date";
    LETTER_ABOUT: "Remiss för {name}, {pnr}, mottagen {date}.", "Referral for {name}, {pnr}, received {date}.";
    LETTER_COMPLEMENT_HOW: "Svara genom att komplettera remissen i Trappa. Väntetiden räknas inte medan vi väntar på kompletteringen.", "Answer by completing the referral in Trappa. The waiting time does not count while we wait for the complement.";
    LETTER_ACCEPTED_NEXT: "Patienten står nu på vår väntelista och kallas till ett första besök inom vårdgarantins 90 dagar.", "The patient is now on our waiting list and will be called to a first visit within the care guarantee's 90 days.";
    YES: "Ja", "Yes";
    NO: "Nej", "No";
    NOTE_TEXT: "Anteckning", "Note";
    CLOCK_TITLE: "Vårdgaranti", "Care guarantee";
    CLOCK_DAYS: "dag {n}", "day {n}";
    CLOCK_RUNNING: "inom 90 dagar", "within 90 days";
    CLOCK_WARNING_60: "60 dagar passerade", "60 days passed";
    CLOCK_WARNING_80: "80 dagar passerade – boka nu", "80 days passed – book now";
    CLOCK_BREACHED: "vårdgarantin bruten", "guarantee breached";
    CLOCK_BOOKED: "nybesök bokat {date}", "first visit booked {date}";
    CLOCK_PAUSED: "pausad i väntan på komplettering", "paused awaiting a complement";
    CLOCK_MET: "första besök inom 90 dagar", "first visit within 90 days";
    CLOCK_MET_LATE: "första besök efter 90 dagar", "first visit after 90 days";
    CLOCK_DEADLINE: "Senast", "By";
    CLOCK_BOOKED_LATE: "Det bokade nybesöket ligger efter vårdgarantins sista dag. Boka en tidigare tid eller dokumentera patientens val.", "The booked first visit falls after the guarantee's last day. Book an earlier time or document the patient's choice.";
    WAITING_TITLE: "Väntelista", "Waiting list";
    WAITING_LEAD: "Antagna patienter i prioritetsordning och efter vårdgarantins sista dag. Boka nybesöket härifrån.", "Accepted patients by priority and the guarantee's last day. Book the first visit from here.";
    WAITING_COUNT: "{n} väntar", "{n} waiting";
    WAITING_WARN: "{n} har passerat 60 eller 80 dagar", "{n} past 60 or 80 days";
    WAITING_BREACHED: "{n} med bruten vårdgaranti", "{n} with the guarantee breached";
    WAITING_BOOKED_LATE: "{n} bokade efter sista dag", "{n} booked after the last day";
    WAITING_NONE: "Ingen står på väntelistan.", "No one is on the waiting list.";
    WAITING_PRIORITY: "Prioritet", "Priority";
    WAITING_HIGH: "Förtur", "Priority";
    WAITING_NORMAL: "Normal", "Normal";
    WAITING_FIRST_VISIT: "Nybesök", "First visit";
    WAITING_BOOK: "Boka nybesök", "Book first visit";
    WAITING_LATE: "för sent", "too late";
    NAV_WAITING: "Väntelista", "Waiting list";
    NAV_PLANNING: "Reseplanering", "Trip planning";
    NAV_REPORT: "Uppföljning", "Follow-up";
    NAV_NEEDS: "Behovsanalys", "Needs analysis";
    NEEDS_TITLE: "Behovsanalys ur läkemedelsutlämningar", "Needs analysis from dispensing data";
    NEEDS_LEAD: "Långtidsanvändare i regionen enligt VGR:s indikator (mer än 0,5 DDD per dag under tolv månader), per kommun och förskrivande enhet, samtidig användning av bensodiazepiner och opioider, och vad det innebär för enhetens storlek.", "Long-term users in the region by VGR's indicator (more than 0.5 DDD a day over twelve months), per municipality and prescribing unit, concurrent use of benzodiazepines and opioids, and what it means for the unit's size.";
    NEEDS_NONE: "Ingen analys är importerad ännu. En analytiker importerar en utlämningsfil från kommandoraden:", "No analysis has been imported yet. An analyst imports a dispensing file from the command line:";
    NEEDS_SOURCE: "Underlag: {source}, importerat av {who} {when}", "Data: {source}, imported by {who} {when}";
    NEEDS_WINDOW: "Tolv månader: {from} – {to}", "Twelve months: {from} – {to}";
    NEEDS_ROWS: "{rows} rader lästa, {counted} inom grupperna och perioden, {refused} avvisade", "{rows} rows read, {counted} within the groups and the period, {refused} refused";
    NEEDS_GROUPS: "Långtidsanvändare i regionen", "Long-term users in the region";
    NEEDS_USERS: "Fick utlämnat", "Dispensed";
    NEEDS_LONG_TERM: "Långtidsanvändare", "Long-term users";
    NEEDS_PER_1000: "Per 1 000 invånare", "Per 1,000 inhabitants";
    NEEDS_CONCURRENT: "Bensodiazepin och opioid samtidigt", "Benzodiazepine and opioid together";
    NEEDS_PREGABALIN: "Pregabalin", "Pregabalin";
    NEEDS_DEFINITION: "Långtidsanvändare: mer än 0,5 DDD per dag i genomsnitt under de tolv månaderna, per grupp (N05BA, N05CD, N05CF; N02A; N03AX16). Samtidig: långtidsanvändare av både bensodiazepiner och opioider.", "Long-term user: more than 0.5 DDD a day on average over the twelve months, per group (N05BA, N05CD, N05CF; N02A; N03AX16). Concurrent: a long-term user of both benzodiazepines and opioids.";
    NEEDS_ESTIMATE: "Behov och kapacitet", "Demand and capacity";
    NEEDS_ASSUMPTIONS_U: "Antagandena nedan är Trappas förval och inte verifierade: regionen sätter sina egna.", "The assumptions below are Trappa's defaults and not verified: the region sets its own.";
    NEEDS_EST_USERS: "Långtidsanvändare, var och en en gång", "Long-term users, each once";
    NEEDS_EST_PATIENTS: "Patienter per år ({uptake} % av dem)", "Patients a year ({uptake} % of them)";
    NEEDS_EST_CLINICIANS: "Behandlare ({n} patienter per behandlare och år)", "Clinicians ({n} patients per clinician a year)";
    NEEDS_EST_TEAMS: "Team ({n} behandlare per team)", "Teams ({n} clinicians per team)";
    NEEDS_EST_PER_250K: "Team per 250 000 invånare", "Teams per 250,000 inhabitants";
    NEEDS_MUNICIPALITIES: "Per kommun", "By municipality";
    NEEDS_CHART: "Långtidsanvändare av bensodiazepiner per 1 000 invånare, de 15 högsta kommunerna", "Long-term benzodiazepine users per 1,000 inhabitants, the 15 highest municipalities";
    NEEDS_OUTREACH: "Vårdcentraler att nå ut till", "Vårdcentraler to reach out to";
    NEEDS_OUTREACH_LEAD: "Vårdcentraler efter antalet långtidsanvändare som ännu inte remitterats till enheten under samma tolv månader, flest först; vårdcentraler med dolt antal står sist. En patient i två grupper räknas i båda. Antalet långtidsanvändare visas inte här, eftersom det skulle kunna avslöja dolda uppgifter.", "Vårdcentraler by long-term users not yet referred to the unit in the same twelve months, most first; vårdcentraler with a hidden number come last. A patient in two groups counts in both. The number of long-term users is not shown here, since it could give hidden figures away.";
    NEEDS_PRESCRIBER: "Förskrivande enhet", "Prescribing unit";
    NEEDS_REFERRED: "Remitterade till enheten", "Referred to the unit";
    NEEDS_GAP: "Ej remitterade", "Not referred";
    NEEDS_OTHER_PRESCRIBERS: "Förskrivare som inte är vårdcentraler (sjukhusmottagningar m.fl.): {n} långtidsanvändare som inte remitterats, inte rangordnade.", "Prescribers that are not vårdcentraler (hospital clinics and others): {n} long-term users not referred, not ranked.";
    NEEDS_REFUSED: "Avvisade rader", "Refused rows";
    NEEDS_REFUSED_NONE: "Inga rader avvisades.", "No rows were refused.";
    NEEDS_REFUSED_COUNT: "{n} rader avvisades och räknades inte. De första visas med radnummer (rubrikraden är rad 1).", "{n} rows were refused and not counted. The first are shown by line number (the header is line 1).";
    NEEDS_LINE: "Rad", "Line";
    NEEDS_ERR_COLUMNS: "fel antal kolumner (ska vara elva)", "wrong number of columns (should be eleven)";
    NEEDS_ERR_PATIENT: "patient-id saknas", "no patient id";
    NEEDS_ERR_DATE: "datumet är inte ÅÅÅÅ-MM-DD", "the date is not YYYY-MM-DD";
    NEEDS_ERR_ATC: "ATC-kod saknas", "no ATC code";
    NEEDS_ERR_QUANTITY: "mängden är inte ett tal på noll eller mer", "the quantity is not a number of zero or more";
    NEEDS_ERR_DDD: "DDD är inte ett tal på noll eller mer", "the DDD is not a number of zero or more";
    NEEDS_ERR_MUNICIPALITY: "kommunkod saknas", "no municipality code";
    NEEDS_ERR_SEX: "kön är varken F eller M", "sex is neither F nor M";
    NEEDS_VERSIONS: "Importerade analyser", "Imported analyses";
    NEEDS_VERSION: "Version", "Version";
    NEEDS_IMPORTED: "Importerad", "Imported";
    NEEDS_BY: "Av", "By";
    NEEDS_REASON: "Anledning", "Reason";
    NEEDS_IMPORT_HOW: "En ny fil importeras hel eller inte alls:", "A new file is imported whole or not at all:";

    REPORT_TITLE: "Uppföljning för hälso- och sjukvårdsnämnden", "Follow-up for the health board";
    REPORT_LEAD: "Enhetens resultat för en period ur journalens egna uppgifter: remisser, väntetider, behandling, utfall, eftervård, besök, räckvidd per kommun och kostnad.", "The unit's results for a period from the record's own data: referrals, waiting times, treatment, outcomes, aftercare, visits, reach per municipality and cost.";
    REPORT_FROM: "Från", "From";
    REPORT_TO: "Till", "To";
    REPORT_SPLIT: "Fördelning", "Split by";
    REPORT_SHOW: "Visa", "Show";
    REPORT_CSV: "Ladda ner CSV", "Download CSV";
    REPORT_PDF: "Ladda ner årsrapport (PDF)", "Download annual report (PDF)";
    REPORT_SUPPRESSION_NOTE: "– betyder att värdet döljs: färre än fem personer, eller en cell som tillsammans med en summa skulle avslöja en sådan. · betyder att det inte finns något att mäta.", "– means the value is hidden: fewer than five people, or a cell that with a total would give such a one away. · means there is nothing to measure.";
    REPORT_KEY_FIGURES: "Nyckeltal", "Key figures";
    REPORT_PERIOD: "Period {from} – {to}", "Period {from} – {to}";
    REPORT_MEASURE: "Mått", "Measure";
    REPORT_VALUE: "Värde", "Value";
    REPORT_TRENDS: "Utveckling per kvartal", "Trend by quarter";
    REPORT_TREND_RECEIVED: "Remisser mottagna per kvartal", "Referrals received per quarter";
    REPORT_TREND_ACTIVE: "Aktiva patienter per kvartal", "Active patients per quarter";
    REPORT_QUARTER: "{year} K{q}", "{year} Q{q}";
    REPORT_QUARTER_HEADING: "Kvartal", "Quarter";
    REPORT_COUNT: "Antal", "Number";
    REPORT_HIDDEN: "dolt", "hidden";
    REPORT_BY: "Per {split}", "By {split}";
    REPORT_ACTIVE_BY: "Aktiva patienter per {split}", "Active patients by {split}";
    REPORT_TOTAL: "Totalt", "Total";
    REPORT_NOT_RECORDED: "Ej registrerat", "Not recorded";
    REPORT_DIM_VARDCENTRAL: "Vårdcentral", "Vårdcentral";
    REPORT_DIM_MUNICIPALITY: "Kommun", "Municipality";
    REPORT_DIM_GROUP: "Substansgrupp", "Substance group";
    REPORT_DIM_SEX: "Kön", "Sex";
    REPORT_DIM_AGE_BAND: "Åldersgrupp", "Age band";
    REPORT_GROUP_BENZODIAZEPINES: "Bensodiazepiner och z-läkemedel", "Benzodiazepines and Z-drugs";
    REPORT_GROUP_OPIOIDS: "Opioider", "Opioids";
    REPORT_GROUP_GABAPENTINOIDS: "Gabapentinoider", "Gabapentinoids";
    REPORT_REASONS: "Avböjda och hänvisade remisser", "Declined and redirected referrals";
    REPORT_DECLINED_BY_REASON: "Avböjda per skäl", "Declined by reason";
    REPORT_REDIRECTED_TO: "Hänvisade till", "Redirected to";
    REPORT_REASON: "Skäl", "Reason";
    REPORT_NONE: "Inga under perioden.", "None in the period.";
    REPORT_CLINICAL_JUDGEMENT: "Klinisk bedömning (annat än reglernas förslag)", "Clinical judgement (other than the rules' proposal)";
    REPORT_REACH: "Räckvidd per kommun", "Reach per municipality";
    REPORT_REACH_LEAD: "Patienter som enheten nådde under perioden per 100 000 invånare, lägst först: där når tjänsten inte ut. Först kommunerna där ingen nåddes, sedan de där antalet döljs (oftast färre än fem), sedan resten från lägst.", "Patients the unit reached in the period per 100,000 inhabitants, lowest first: where the service does not reach. First the municipalities where nobody was reached, then those whose count is hidden (mostly fewer than five), then the rest from the lowest.";
    REPORT_REACH_MAP: "Karta: nådda patienter per 100 000 invånare", "Map: patients reached per 100,000 inhabitants";
    REPORT_REACH_MAP_DESC: "Varje kommuns centralort; cirkelns yta följer antalet nådda per 100 000 invånare. Ett kryss: ingen nådd. En streckad ring: antalet döljs.", "Each municipality's main town; the circle's area follows those reached per 100,000 inhabitants. A cross: nobody reached. A dashed ring: the number is hidden.";
    REPORT_POPULATION: "Invånare", "Inhabitants";
    REPORT_REACHED: "Nådda patienter", "Patients reached";
    REPORT_PER_100K: "Per 100 000", "Per 100,000";
    REPORT_REACH_DEF: "Patienter med ett första besök under perioden, eller i behandling eller eftervård någon dag under perioden (från planens start till sex månader efter sista dosen), per kommun där de är skrivna enligt sin vårdcentral.", "Patients with a first visit in the period, or in treatment or aftercare on some day of it (from the plan's start to six months after the last dose), by the municipality of their vårdcentral.";
    REPORT_COSTS: "Kostnad och resor", "Cost and travel";
    REPORT_BUDGET_YEAR: "Årsbudget", "Annual budget";
    REPORT_BUDGET_PERIOD: "Budget för perioden", "Budget for the period";
    REPORT_COST_PER_PATIENT: "Kostnad per aktiv patient", "Cost per active patient";
    REPORT_COST_PER_COMPLETED: "Kostnad per avslutad patient (läkemedelsfri eller minskad)", "Cost per completed patient (drug-free or reduced)";
    REPORT_KM: "Körda km (sparade veckoplaner)", "Km driven (saved week plans)";
    REPORT_COSTS_DEF: "Årsbudgeten fördelad på periodens dagar, delad med antalet aktiva patienter respektive patienter utskrivna läkemedelsfria eller med minskad dos; visas bara för minst fem patienter.", "The annual budget spread over the period's days, divided by the active patients or by those discharged drug-free or reduced; shown only for at least five patients.";
    REPORT_SUPPRESSION: "Dolda värden", "Hidden values";
    REPORT_SUPPRESSION_DEF: "Antal mellan ett och fyra döljs. Där en rad eller kolumn med sin summa då döljer exakt ett värde döljs också det minsta andra, tills ingen summa ger tillbaka ett dolt värde. Andelar, medianer och kostnader visas bara över minst fem personer.", "Counts from one to four are hidden. Where a row or column with its total then hides exactly one value, the smallest other is hidden too, until no total gives a hidden value back. Shares, medians and costs are shown only over at least five people.";
    REPORT_DEFINITIONS: "Definitioner", "Definitions";
    REPORT_PDF_TITLE: "Årsrapport: regionala nedtrappningsenheten", "Annual report: the regional tapering unit";
    REPORT_MADE: "Framtagen {date} av {who} ur Trappa", "Made on {date} by {who} from Trappa";
    REPORT_PDF_FOOTER: "Trappa – uppföljning utan personuppgifter; små tal dolda. Sida {page} av {pages}", "Trappa – follow-up without personal data; small numbers hidden. Page {page} of {pages}";
    REPORT_BAD_DATE: "Ange ett datum som ÅÅÅÅ-MM-DD.", "Give a date as YYYY-MM-DD.";
    REPORT_BAD_DIMENSION: "Välj en fördelning ur listan.", "Choose a split from the list.";
    REPORT_FROM_AFTER_TO: "Periodens första dag ligger efter dess sista.", "The period's first day is after its last.";
    REPORT_TOO_LONG: "En rapport kan omfatta högst fem år.", "A report can cover at most five years.";
    MAP_SOURCES: "Kartunderlag: kommungränser från SCB, grannländer från Natural Earth.", "Base map: municipal borders from Statistics Sweden (SCB), neighbouring countries from Natural Earth.";
    REASON_NO_PROFESSION: "ingen med rätt yrke arbetar de dagarna", "no one of the profession works those days";
    REASON_OUTSIDE_WINDOWS: "ingen arbetsdag inom besökets tidsfönster", "no working day inside the visit's windows";
    REASON_NO_ROOM: "inget lånat rum på vårdcentralen när besöket kan ske", "no lent room at the vårdcentral when the visit could be";
    REASON_NO_CAPACITY: "dagarna är fulla", "the days are full";
    MODE_OWN_VC: "På vårdcentralen", "At the vårdcentral";
    MODE_BASE: "På basen", "At the base";
    MODE_VIDEO: "Video", "Video";
    MODE_PHONE: "Telefon", "Phone";
    KIND_NURSE_REVIEW: "Sjuksköterskeuppföljning före stegändring", "Nurse's review before a step";
    KIND_MEDICAL_REVIEW: "Läkarbedömning", "Physician's review";
    KIND_FOLLOW_UP: "Eftervårdsuppföljning", "Aftercare follow-up";
    KIND_SESSION: "Samtal", "Session";
    SETUP_TITLE: "Tillgänglighet", "Availability";
    SETUP_LEAD: "Arbetstider, dagar på basen, frånvaro och rum som vårdcentraler lånar ut. Varje ändring sparas som en ny version.", "Working hours, days at the base, leave, and rooms lent by vårdcentraler. Every change is saved as a new version.";
    SETUP_VERSION: "Version {version}", "Version {version}";
    SETUP_WEEKS: "Arbetsveckor", "Working weeks";
    SETUP_WORKS: "Arbetar", "Works";
    SETUP_AT_BASE: "På basen", "At the base";
    SETUP_FROM: "Från", "From";
    SETUP_TO: "Till", "To";
    SETUP_LUNCH: "Lunch (30 min mellan 11:30 och 13:00)", "Lunch (30 min between 11:30 and 13:00)";
    SETUP_SAVE_WEEK: "Spara {name}s vecka", "Save {name}'s week";
    SETUP_NOT_PLANNED: "Inte med i planeringen", "Not in the planning";
    SETUP_LEAVE: "Frånvaro", "Leave";
    SETUP_LEAVE_NONE: "Ingen frånvaro inlagd.", "No leave entered.";
    SETUP_ADD_LEAVE: "Lägg till frånvaro", "Add leave";
    SETUP_ROOMS: "Lånade rum", "Lent rooms";
    SETUP_ROOMS_NONE: "Inga rum inlagda.", "No rooms entered.";
    SETUP_ADD_ROOM: "Lägg till rum", "Add a room";
    SETUP_SITE: "Vårdcentral", "Vårdcentral";
    SETUP_WEEKDAY: "Veckodag", "Weekday";
    SETUP_REMOVE: "Ta bort", "Remove";
    SETUP_REMOVE_LABEL: "Ta bort {what}", "Remove {what}";
    SETUP_ERR_SITE: "Välj en vårdcentral.", "Choose a vårdcentral.";
    SETUP_ERR_STAFF: "Välj en person i teamet.", "Choose a team member.";
    SETUP_REASON_WEEK: "Arbetsvecka: {name}", "Working week: {name}";
    SETUP_REASON_LEAVE: "Frånvaro: {name} {from}–{to}", "Leave: {name} {from}–{to}";
    SETUP_REASON_ROOM: "Rum: {site}, {weekday}", "Room: {site}, {weekday}";
    SETUP_REASON_REMOVE: "Borttaget: {what}", "Removed: {what}";
    KIND_REQUEST: "Begärt besök", "Requested visit";
    WEEKDAY_1: "måndag", "Monday";
    WEEKDAY_2: "tisdag", "Tuesday";
    WEEKDAY_3: "onsdag", "Wednesday";
    WEEKDAY_4: "torsdag", "Thursday";
    WEEKDAY_5: "fredag", "Friday";
    WEEKDAY_6: "lördag", "Saturday";
    WEEKDAY_7: "söndag", "Sunday";
    WHEN_LONG: "{weekday} {date} kl. {time}", "{weekday} {date} at {time}";
    VISITS_TITLE: "Besök", "Visits";
    VISITS_UPCOMING: "Kommande besök", "Upcoming visits";
    VISITS_PAST: "Tidigare besök", "Past visits";
    VISITS_NONE: "Inga besök.", "No visits.";
    VISIT_BOOK: "Boka besök", "Book a visit";
    VISIT_KIND: "Besökstyp", "Kind of visit";
    VISIT_PLACE: "Plats", "Place";
    VISIT_DATE: "Datum", "Date";
    VISIT_TIME: "Klockslag", "Time";
    VISIT_MINUTES: "Längd (minuter)", "Length (minutes)";
    VISIT_CLINICIAN: "Vem träffar patienten", "Who sees the patient";
    VISIT_REASON: "Anledning eller kommentar", "Reason or comment";
    VISIT_WHEN: "Tid", "When";
    VISIT_ACTIONS: "Åtgärder", "Actions";
    VISIT_DOCUMENT: "Dokumentera besöket", "Document the visit";
    VISIT_CHANGE: "Flytta eller avboka", "Move or cancel";
    VISIT_NEW_STATUS: "Ändring", "Change";
    VISIT_MOVE: "Flytta till ny tid", "Move to a new time";
    VISIT_NEEDS_TEAM: "Patienten har inget vårdteam ännu. Besök bokas med någon i vårdteamet, så fast vårdkontakt och förskrivare behöver tilldelas först.", "The patient has no care team yet. Visits are booked with someone in the care team, so a named contact and a prescriber must be assigned first.";
    VISIT_ASSIGN_TEAM: "Tilldela vårdteam", "Assign a care team";
    VISIT_ASK_FOR_TEAM: "Be koordinatorn eller verksamhetschefen att tilldela ett vårdteam.", "Ask the coordinator or the unit manager to assign a care team.";
    JOURNAL_TITLE: "Journal", "Record";
    JOURNAL_EMPTY: "Inga anteckningar ännu.", "No notes yet.";
    NOTE_NEW: "Ny anteckning", "New note";
    NOTE_SAVE: "Spara anteckningen", "Save the note";
    NOTE_CORRECTED: "rättad", "corrected";
    NOTE_VERSIONS: "Versioner", "Versions";
    NOTE_VERSION_N: "Version {n}", "Version {n}";
    NOTE_CORRECT: "Rätta", "Correct";
    NOTE_CORRECT_HINT: "En rättelse sparas som en ny version med skäl; den tidigare versionen finns kvar.", "A correction is kept as a new version with its reason; the earlier version stays.";
    NOTE_FOR_VISIT: "Besöket", "The visit";
    NOTE_HOLDS_VISIT: "När anteckningen sparas markeras besöket som genomfört.", "Saving the note marks the visit as held.";
    NOTE_ADD_SCORE: "Registrera en skattning", "Record a score";
    CBT_PROGRESS: "KBT-programmet", "CBT programme";
    CBT_HELD: "{held} av {of} sessioner genomförda", "{held} of {of} sessions held";
    AFTERCARE_TITLE: "Eftervård och utskrivning", "Aftercare and discharge";
    AFTERCARE_NOT_STARTED: "Eftervården har inte börjat. Den börjar med sista dosen.", "Aftercare has not started. It starts with the last dose.";
    AFTERCARE_START: "Registrera sista dos och starta eftervården", "Record the last dose and start aftercare";
    AFTERCARE_LAST_DOSE: "Sista dos", "Last dose";
    AFTERCARE_MONTHS: "Uppföljningar (månader efter sista dos)", "Follow-ups (months after the last dose)";
    AFTERCARE_MONTHS_HINT: "Till exempel 1, 3, 6. Eftervården pågår minst sex månader.", "For example 1, 3, 6. Aftercare lasts at least six months.";
    AFTERCARE_SINCE: "Eftervård sedan sista dosen {date}.", "Aftercare since the last dose on {date}.";
    AFTERCARE_SCHEDULE: "Uppföljningar efter {months}.", "Follow-ups after {months}.";
    AFTERCARE_HISTORY: "Uppföljningar, återfall och utfall", "Follow-ups, relapses and outcomes";
    AFTERCARE_EVENTS: "Alla händelser", "All events";
    FOLLOW_UP: "Uppföljning", "Follow-up";
    FOLLOW_UP_MONTH: "Uppföljning efter {n}", "Follow-up after {n}";
    FOLLOW_UP_DATE: "Datum", "Date";
    FOLLOW_UP_DONE: "genomförd", "done";
    FOLLOW_UP_UPCOMING: "kommande", "upcoming";
    FOLLOW_UP_DUE: "dags nu", "due now";
    FOLLOW_UP_OVERDUE: "försenad", "overdue";
    FOLLOW_UP_BOOK: "Boka uppföljningsbesök", "Book a follow-up visit";
    FOLLOW_UP_RECORD: "Registrera uppföljning", "Record a follow-up";
    RELAPSE: "återfall", "relapse";
    RELAPSE_QUESTION: "Återfall?", "Relapse?";
    RELAPSE_RECORD: "Registrera återfall", "Record a relapse";
    OUTCOME: "Utfall", "Outcome";
    OUTCOME_Q: "Utfallsuppföljning", "Outcome questionnaire";
    OUTCOME_Q_MONTHS: "utfall efter {n}", "outcome after {n}";
    OUTCOME_Q_RECORD: "Registrera utfall efter 6 eller 12 månader", "Record the outcome at 6 or 12 months";
    OUTCOME_DRUG_FREE_Q: "Läkemedelsfri?", "Drug-free?";
    OUTCOME_DRUG_FREE: "Läkemedelsfri", "Drug-free";
    OUTCOME_NOT_DRUG_FREE: "inte läkemedelsfri", "not drug-free";
    OUTCOME_REDUCED: "Reducerad dos", "Reduced dose";
    OUTCOME_REDUCED_BY: "Reducerad dos (−{p} % DE/MME)", "Reduced dose (−{p} % DE/MME)";
    OUTCOME_DROPPED_OUT: "Avbrutit", "Dropped out";
    OUTCOME_REDIRECTED: "Hänvisad", "Redirected";
    OUTCOME_REDIRECTED_TO: "Hänvisad till (vid hänvisning)", "Redirected to (when redirected)";
    OUTCOME_DECEASED: "Avliden", "Deceased";
    OUTCOME_PERCENT: "Minskning i procent av DE/MME (vid reducerad dos)", "Reduction in per cent of DE/MME (when reduced)";
    OUTCOME_PERCENT_HINT: "Jämför dygnsdosen i DE eller MME vid start och vid utskrivning.", "Compare the daily DE or MME at the start and at discharge.";
    DISCHARGE: "Skriv ut patienten", "Discharge the patient";
    DISCHARGE_DATE: "Utskrivningsdatum", "Discharge date";
    DISCHARGE_HINT: "Läkemedelsfri eller reducerad dos kräver sex månaders eftervård. Avbrutit, hänvisad och avliden kan registreras när som helst.", "Drug-free or reduced needs six months of aftercare. Dropped out, redirected and deceased can be recorded at any time.";
    DISCHARGED_ON: "Utskriven", "Discharged";
    STAGE: "Skede", "Stage";
    STAGE_TRIAGE: "Remiss under bedömning", "Referral in triage";
    STAGE_WAITING: "Väntelista", "Waiting list";
    STAGE_ASSESSMENT: "Bedömning", "Assessment";
    STAGE_TAPER: "Nedtrappning", "Tapering";
    STAGE_AFTERCARE: "Eftervård", "Aftercare";
    STAGE_DISCHARGED: "Utskriven", "Discharged";
    ALERTS: "Varningar", "Alerts";
    ALERT_OPIOID_BZD: "Opioid tillsammans med bensodiazepin eller z-läkemedel: ökad risk för andningsdepression.", "An opioid with a benzodiazepine or Z-drug: higher risk of respiratory depression.";
    ALERT_PROTECTED: "Skyddad identitet: lämna inte ut adress eller vårdenhet.", "Protected identity: do not disclose address or care unit.";
    ALERT_FLAGGED_SCORE: "Skattning {date} med flaggor: {flags}.", "Score on {date} with flags: {flags}.";
    ALERT_GUARANTEE: "Vårdgarantin är bruten.", "The care guarantee is breached.";
    ALERT_RELAPSE: "Återfall registrerat.", "Relapse recorded.";
    TASKS: "Att göra", "To do";
    TASKS_NONE: "Inget att göra just nu.", "Nothing to do right now.";
    TASK_TRIAGE: "Bedöm remissen", "Triage the referral";
    TASK_BOOK_ASSESSMENT: "Boka nybesök", "Book the first visit";
    TASK_DRAFT_PLAN: "Upprätta nedtrappningsplan", "Draft the taper plan";
    TASK_SIGN_PLAN: "Plan väntar på signering", "A plan awaits signature";
    TASK_REVIEW_BEFORE_STEP: "Kontakt före nästa steg ({date})", "Contact before the next step ({date})";
    TASK_START_AFTERCARE: "Sista steget nått ({date}): registrera sista dos och starta eftervården", "Last step reached ({date}): record the last dose and start aftercare";
    TASK_SCORE_DUE: "Skattning saknas de senaste två veckorna", "No score in the last two weeks";
    TASK_FOLLOW_UP: "Uppföljning efter {n} ({date})", "Follow-up at {n} ({date})";
    TASK_OUTCOME: "Utfallsuppföljning efter {n}", "Outcome questionnaire at {n}";
    VISITS_ALL: "Alla besök", "All visits";
    DOSE_CHART: "Dosförlopp", "Dose over time";
    SCORES_LATEST: "Senaste skattningar", "Latest scores";
    SCORES_NONE_YET: "Inga skattningar ännu.", "No scores yet.";
    SCORES_TREND: "Jämfört med förra", "Compared with the last";
    SCORES_ALL: "Alla skattningar", "All scores";
    TREND_UP: "högre", "higher";
    TREND_DOWN: "lägre", "lower";
    TREND_SAME: "oförändrad", "unchanged";
    JOURNAL_ALL: "Hela journalen", "The whole record";
    CARE_TEAM_HAND_OVER: "Lämna över", "Hand over";
    CARE_TEAM_HAND_OVER_TO: "Till", "To";
    CARE_TEAM_MEMBER_HINT: "Förskrivaren är läkare; fast vårdkontakt är sjuksköterska, läkare, kurator/psykolog eller fysioterapeut.", "The prescriber is a physician; the named contact is a nurse, physician, social worker/psychologist or physiotherapist.";
    PLAN_COMPARE: "Jämför versioner", "Compare versions";
    PLAN_COMPARE_A: "Version", "Version";
    PLAN_COMPARE_B: "med version", "with version";
    PLAN_LAST_DOSE: "Sista dos", "Last dose";
    PLAN_STEP_COUNT: "{n} steg", "{n} steps";
    MEDICINES_REFERRED: "Läkemedel enligt remissen", "Medicines in the referral";
    MEDICINES_TOTAL: "Totalt per dygn", "Total a day";
    PER_DAY: "dygn", "day";
    WORK_TRIAGE: "{n} remisser att bedöma", "{n} referrals to triage";
    WORK_COMPLEMENTED: "{n} med komplettering inkommen", "{n} with a complement received";
    WORK_UNBOOKED: "{n} utan bokat nybesök", "{n} without a booked first visit";
    WORK_SCORES_DUE: "Skattning saknas (två veckor)", "Scores due (two weeks)";
    WORK_FOLLOW_UPS: "Uppföljningar att göra", "Follow-ups due";
    WORK_VISITS: "Mina besök närmaste veckan", "My visits this coming week";
    WORK_COMPLEMENTS: "Remisser att komplettera", "Referrals to complete";
    SELF_REFERRAL_INVITE_TITLE: "Vill du ha hjälp att trappa ned?", "Want help to taper?";
    SELF_REFERRAL_INVITE: "Skicka en egenremiss – ingen inloggning behövs", "Send a self-referral – no sign-in needed";
    SELF_REFERRAL_TITLE: "Egenremiss – hjälp att trappa ned läkemedel", "Self-referral – help to taper medicines";
    SELF_REFERRAL_LEAD: "Här kan du som är vuxen och vill sluta med eller minska lugnande läkemedel, sömnmedel, opioider mot smärta eller gabapentin/pregabalin be oss om hjälp. Du behöver inte logga in.", "Here, as an adult who wants to stop or reduce sedatives, sleeping pills, opioid painkillers or gabapentin/pregabalin, you can ask us for help. You do not need to sign in.";
    SELF_REFERRAL_URGENT: "Mår du mycket dåligt just nu? Ring 1177 för råd, eller 112 vid fara för liv.", "Feeling very unwell right now? Call 1177 for advice, or 112 if a life is in danger.";
    SELF_REFERRAL_ABOUT_YOU: "Om dig", "About you";
    SELF_REFERRAL_PHONE_HINT: "Vi ringer dig på det här numret.", "We will call you on this number.";
    SELF_REFERRAL_ATTEMPT: "Har du försökt trappa ned tidigare? Skriv vad du minns.", "Have you tried to taper before? Write what you remember.";
    SELF_REFERRAL_PRESCRIBER: "Vem skriver ut läkemedlet till dig? (vårdcentral eller läkare)", "Who prescribes the medicine for you? (vårdcentral or doctor)";
    SELF_REFERRAL_FREE_TEXT: "Något annat du vill att vi ska veta?", "Anything else you want us to know?";
    SELF_REFERRAL_CONSENT: "När du skickar blir uppgifterna en remiss i enhetens journal. Bara personal som bedömer remisser kan läsa den, och varje läsning loggas.", "When you send this, it becomes a referral in the unit's record. Only staff who assess referrals can read it, and every reading is logged.";
    SELF_REFERRAL_THANKS: "Tack – vi har tagit emot det du skickade", "Thank you – we have received what you sent";
    SELF_REFERRAL_NEXT_TITLE: "Vad händer nu?", "What happens next?";
    SELF_REFERRAL_NEXT_1: "En sjuksköterska eller läkare läser det du skrivit, oftast inom två veckor.", "A nurse or doctor reads what you wrote, usually within two weeks.";
    SELF_REFERRAL_NEXT_2: "Vi ringer dig. Behöver vi veta mer frågar vi då.", "We will call you. If we need to know more, we ask then.";
    SELF_REFERRAL_NEXT_3: "Om vi inte är rätt ställe för dig får du råd om vart du kan vända dig. Har du redan kontakt med oss: ring din fasta vårdkontakt i stället.", "If we are not the right place for you, you get advice on where to turn. Already in contact with us: call your named contact instead.";
    SELF_REFERRAL_KEEP_TAKING: "Fortsätt ta dina läkemedel som vanligt tills vi har pratat. Att sluta tvärt kan vara farligt.", "Keep taking your medicines as usual until we have talked. Stopping abruptly can be dangerous.";
    PLAN_TODAY: "Dos enligt signerad plan i dag", "Today's dose under the signed plan";
    PLAN_NEXT_CHANGE: "Nästa ändring {date} (steg {step}).", "Next change {date} (step {step}).";
    PLAN_NO_MORE_CHANGES: "Inga fler ändringar i planen.", "No more changes in the plan.";
    PLAN_DRAFT_PENDING: "Ett utkast väntar på signering", "A draft awaits signing";
    PLAN_OPEN: "Öppna nedtrappningsplanen", "Open the taper plan";
    PLAN_TITLE: "Nedtrappningsplan", "Taper plan";
    PLAN_NONE: "Patienten har ingen nedtrappningsplan ännu.", "The patient has no taper plan yet.";
    PLAN_NEW: "Föreslå ny plan", "Propose a new plan";
    PLAN_NEW_LEAD: "Planen sparas som ett utkast. Den gäller först när förskrivande läkare har signerat den.", "The plan is saved as a draft. It applies only once the prescribing physician has signed it.";
    PLAN_SAVE_DRAFT: "Spara som utkast", "Save as draft";
    PLAN_DRAFT: "Utkast", "Draft";
    PLAN_NOT_ACTIVE: "Utkastet är inte signerat och gäller inte.", "The draft is not signed and does not apply.";
    PLAN_SIGN: "Signera planen", "Sign the plan";
    PLAN_ONLY_PRESCRIBER: "Endast förskrivande läkare kan signera planen.", "Only the prescribing physician can sign the plan.";
    PLAN_ACTIVE: "Gällande plan", "Plan in effect";
    PLAN_SIGNED_BY: "Signerad av {who} {when}: {why}", "Signed by {who} {when}: {why}";
    PLAN_VERSIONS: "Versioner", "Versions";
    PLAN_BY: "Av", "By";
    PLAN_WHEN: "När", "When";
    PLAN_STATUS_DRAFT: "utkast", "draft";
    PLAN_STATUS_ACTIVE: "signerad", "signed";
    TAPER_COL_NOTES: "Anmärkning", "Notes";
    TAPER_PRINT: "Patientinformation för utskrift", "Patient handout to print";
    TAPER_PDF: "Patientinformation som PDF", "Patient handout as PDF";
    TAPER_ICS: "Doseringsändringar som kalender (ICS)", "Dose changes as a calendar (ICS)";
    REF_TITLE: "Referensdata för nedtrappning", "Reference data for tapering";
    REF_LEAD: "Varje värde med källa och status: V = verifierat mot källan, M = ur minnet och ej kontrollerat, U = osäkert. Ej verifierade värden flaggas varje gång de används i en plan.", "Every value with its source and status: V = verified against the source, M = from memory and not checked, U = uncertain. Unverified values are flagged whenever a plan uses them.";
    REF_VERSION: "Version", "Version";
    REF_TABLES: "Ekvivalenstabeller", "Equivalence tables";
    REF_SUBSTANCES: "Substanser", "Substances";
    REF_PRODUCTS: "Produkter", "Products";
    REF_SOURCES: "Källor", "Sources";
    REF_RULES: "Standardvärden i beräkningsmotorn", "The engine's defaults";
    REF_RULES_LEAD: "En plan använder dessa värden när den inte anger egna: takten per läkemedelsklass, portionerna vid byte till diazepam och gränserna för diazepam som förskrivaren bekräftar särskilt.", "A plan uses these values when it sets none of its own: the pace per drug class, the portions of a switch to diazepam and the diazepam limits the prescriber confirms separately.";
    REF_COL_RULE: "Standardvärde", "Default";
    REF_COL_VALUE: "Värde", "Value";
    REF_COL_TABLE: "Tabell", "Table";
    REF_COL_SUBSTANCE: "Substans", "Substance";
    REF_COL_FACTOR: "Faktor", "Factor";
    REF_COL_STATUS: "Status", "Status";
    REF_COL_SOURCE: "Källa", "Source";
    REF_COL_NOTE: "Anmärkning", "Note";
    REF_COL_ATC: "ATC", "ATC";
    REF_COL_CLASS: "Grupp", "Group";
    REF_COL_HALF_LIFE: "Halveringstid", "Half-life";
    REF_COL_DDD: "DDD (mg)", "DDD (mg)";
    REF_COL_PRODUCT: "Produkt", "Product";
    REF_COL_FORM: "Form", "Form";
    REF_COL_SPLIT: "Delbarhet", "Divisibility";
    REF_COL_KIND: "Typ", "Kind";
    REF_COL_IN_USE: "Används", "In use";
    REF_DEFAULT: "standard", "default";
    REF_SETTINGS: "Enhetens val", "The unit's choices";
    REF_SETTINGS_LEAD: "Välj vilka produkter enheten använder och vilka tabeller som gäller som standard. Varje ändring sparas som en ny version med vem, när och varför.", "Choose which products the unit uses and which tables are the defaults. Every change is saved as a new version with who, when and why.";
    REF_REASON: "Skäl till ändringen", "Reason for the change";
    REF_SAVE: "Spara enhetens val", "Save the unit's choices";
    REF_SAVED: "Enhetens val är sparade (version {v}).", "The unit's choices are saved (version {v}).";
    REF_HISTORY: "Tidigare versioner", "Earlier versions";
    REF_NO_SETTINGS: "Enheten använder referensdatans standardval.", "The unit uses the reference data's defaults.";
    REF_CURRENT: "Gällande version {v}, av {who} {when}: {why}", "Current version {v}, by {who} {when}: {why}";
    REF_ERR_TABLE: "Välj en tabell i listan.", "Choose a table from the list.";
    REF_ADD: "Lägg till en produkt (t.ex. licens- eller extemporeberedning)", "Add a product (e.g. a licence or extemporaneous preparation)";
    REF_ADD_HINT: "Lämna namnet tomt om du inte lägger till någon produkt. Enhetens egna värden räknas alltid som ej verifierade.", "Leave the name empty unless you add a product. The unit's own values always count as unverified.";
    REF_ADD_NAME: "Produktnamn", "Product name";
    REF_ADD_STRENGTH: "Styrka (mg per enhet, eller mg/ml)", "Strength (mg per unit, or mg/ml)";
    REF_ADD_MEASURE: "Minsta mätbara volym för vätskor, ml (en droppe ≈ 0,04)", "Smallest measurable volume for liquids, ml (one drop ≈ 0.04)";
    REF_ERR_ADD_SUBSTANCE: "Välj substans för produkten.", "Choose the product's substance.";
    REF_ERR_ADD_STRENGTH: "Ange styrkan som ett tal större än noll.", "Give the strength as a number above zero.";
    REF_ERR_ADD_MEASURE: "Ange minsta mätbara volym i ml, högst 5.", "Give the smallest measurable volume in ml, at most 5.";
    REF_ERR_ADD_EXISTS: "Produkten finns redan.", "The product already exists.";
    REF_STEP_BACK: "Vid svåra symtom eller kramper föreslår motorn", "On severe symptoms or seizures the engine proposes";
    REF_STEP_BACK_SEVERE: "att gå tillbaka till senast tolererade dos (svåra symtom)", "going back to the last tolerated dose (severe symptoms)";
    REF_STEP_BACK_MODERATE: "att gå tillbaka redan vid måttliga symtom", "going back already on moderate symptoms";
    REF_STEP_BACK_NEVER: "att aldrig gå tillbaka, utan hålla dosen längre", "never going back, holding the dose longer instead";
    REF_ERR_NONE_LEFT: "Minst en produkt per substans måste användas.", "At least one product per substance must be in use.";
    EDIT: "Ändra", "Edit";


    ACCOUNT_TITLE: "Mitt konto", "My account";
    PASSWORD_CHANGE: "Byt lösenord", "Change password";
    PASSWORD_CURRENT: "Nuvarande lösenord", "Current password";
    PASSWORD_NEW: "Nytt lösenord", "New password";
    PASSWORD_REPEAT: "Upprepa nytt lösenord", "Repeat new password";
    PASSWORD_CHANGED: "Lösenordet är bytt. Dina andra inloggningar har avslutats.", "Password changed. Your other sessions have been ended.";
    TOTP_SECTION: "Tvåfaktorsinloggning (TOTP)", "Two-factor sign-in (TOTP)";
    TOTP_ON: "Tvåfaktorsinloggning är påslagen.", "Two-factor sign-in is on.";
    TOTP_OFF: "Tvåfaktorsinloggning är avslagen.", "Two-factor sign-in is off.";
    TOTP_START: "Slå på tvåfaktorsinloggning", "Turn on two-factor sign-in";
    TOTP_SETUP_HINT: "Lägg in nyckeln i din autentiseringsapp och ange koden som visas för att bekräfta.", "Add the key to your authenticator app and enter the code it shows to confirm.";
    TOTP_KEY: "Nyckel", "Key";
    TOTP_CONFIRM: "Bekräfta", "Confirm";
    TOTP_DISABLE: "Stäng av tvåfaktorsinloggning", "Turn off two-factor sign-in";
    TOTP_ENABLED: "Tvåfaktorsinloggning är påslagen.", "Two-factor sign-in is now on.";
    TOTP_DISABLED: "Tvåfaktorsinloggning är avstängd.", "Two-factor sign-in is now off.";
    TOTP_REQUIRED_ENROL: "Administratörens sidor kräver tvåfaktorsinloggning. Slå på den här med en autentiseringsapp; sedan kan du fortsätta.", "The administrator's pages need two-factor sign-in. Turn it on here with an authenticator app; then you can go on.";
    TOTP_REQUIRED_SIGN_IN_AGAIN: "Administratörens sidor kräver att du har loggat in med din kod. Logga ut och logga in igen.", "The administrator's pages need a sign-in with your code. Sign out and sign in again.";

    MY_LOG_TITLE: "Vem har läst min journal", "Who has read my record";
    ACTION_READ: "Läst", "Read";
    ACTION_CREATE: "Skapat", "Created";
    ACTION_UPDATE: "Ändrat", "Changed";
    ACTION_SEARCH: "Sökning", "Search";
    ACTION_LISTED: "Visad i sökresultat", "Shown in search results";
    ACTION_EXPORT: "Utskrift/export", "Printed/exported";
    ACTION_EMERGENCY_ACCESS: "Nödåtkomst", "Emergency access";
    ACTION_REVIEW: "Granskning", "Review";
    ACTION_LOGIN: "Inloggning", "Sign-in";
    ACTION_LOGIN_FAILED: "Misslyckad inloggning", "Failed sign-in";
    ACTION_LOGOUT: "Utloggning", "Sign-out";
    ACTION_ACCOUNT_CHANGE: "Kontoändring", "Account change";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(s: &str) -> Vec<&str> {
        let mut out: Vec<&str> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(k, _)| k))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_message_is_complete_and_consistent() {
        // A name twice in one catalogue does not compile; across catalogues it may recur.
        for (_, messages) in web_catalogues() {
            for (name, m) in messages {
                assert!(
                    !m.sv.trim().is_empty() && !m.en.trim().is_empty(),
                    "{name} empty"
                );
                assert_eq!(
                    placeholders(m.sv),
                    placeholders(m.en),
                    "{name}: placeholders differ"
                );
            }
        }
    }

    /// The web crate's catalogues, each by its module: every one the pages use.
    fn web_catalogues() -> [(&'static str, &'static [(&'static str, Msg)]); 18] {
        [
            ("", ALL),
            ("calendar", calendar::ALL),
            ("clinical", clinical::ALL),
            ("jobs", jobs::ALL),
            ("log", log::ALL),
            ("messages", messages::ALL),
            ("notices", notices::ALL),
            ("own_record", own_record::ALL),
            ("planning", planning::ALL),
            ("portal", portal::ALL),
            ("release", release::ALL),
            ("reports", reports::ALL),
            ("security", security::ALL),
            ("sip", sip::ALL),
            ("visits_portal", visits_portal::ALL),
            ("work", work::ALL),
            ("app", trappa_app::text::v::ALL),
            ("format", trappa_i18n::format::ALL),
        ]
    }

    #[test]
    fn every_catalogue_is_listed() {
        // A new catalogue module must join `web_catalogues`, or the guards skip it.
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/i18n");
        let listed: Vec<&str> = web_catalogues().iter().map(|(c, _)| *c).collect();
        for entry in std::fs::read_dir(here).unwrap() {
            let name = entry
                .unwrap()
                .file_name()
                .to_string_lossy()
                .replace(".rs", "");
            assert!(
                listed.contains(&name.as_str()),
                "catalogue {name} is not in web_catalogues"
            );
        }
    }

    /// Every catalogue a page can show, from every crate.
    fn every_catalogue() -> Vec<(&'static str, Msg)> {
        let others: [&[(&str, Msg)]; 4] = [
            trappa_taper::text::ALL,
            trappa_reporting::text::ALL,
            trappa_pathway::visits::ALL,
            trappa_triage::ALL,
        ];
        web_catalogues()
            .iter()
            .map(|(_, c)| *c)
            .chain(others)
            .flat_map(|c| c.iter().copied())
            .collect()
    }

    /// Guard: a count is never written beside a fixed plural noun ("{n} veckor" reads
    /// "1 veckor"): counts of time go through `trappa_i18n::format` (`weeks`, `months`,
    /// `days`), which writes "1 vecka".
    #[test]
    fn counts_are_never_followed_by_a_fixed_plural() {
        let plurals = [
            "veckor", "månader", "dagar", "timmar", "minuter", "weeks", "months", "days", "hours",
            "minutes",
        ];
        let mut found = Vec::new();
        for (name, m) in every_catalogue() {
            for text in [m.sv, m.en] {
                for (i, _) in text.match_indices("} ") {
                    let after = &text[i + 2..];
                    let word: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
                    if plurals.contains(&word.as_str()) {
                        found.push(format!("{name}: {text}"));
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "use trappa_i18n::format for these counts:\n{}",
            found.join("\n")
        );
    }

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(fill(M::SEARCH_HITS.sv, &[("n", "3")]), "3 träffar");
        assert_eq!(fill("{a}{a}", &[("a", "x")]), "xx");
    }
}
