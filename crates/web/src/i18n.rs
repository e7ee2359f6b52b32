//! The message catalogue: every UI string, Swedish first, English second.
//!
//! Messages are typed constants (`M::LOGIN_TITLE`), so a missing message is a compile
//! error, not a blank on a page. Placeholders are `{name}` and filled by [`fill`].

use trappa_i18n::catalogue;
pub use trappa_i18n::{Locale, Msg, fill};

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
    ERR_INTERNAL: "Något gick fel", "Something went wrong";
    ERR_INTERNAL_DETAIL: "Ett tekniskt fel inträffade. Inget har sparats. Ange incident-id om du kontaktar support.", "A technical error occurred. Nothing was saved. Quote the incident id if you contact support.";
    INCIDENT_ID: "Incident-id", "Incident id";
    BACK_TO_START: "Till startsidan", "Go to the home page";
    ERROR_SUMMARY: "Det finns fel i formuläret", "There is a problem";

    LOGIN_TITLE: "Logga in", "Sign in";
    LOGIN_USERNAME: "Användarnamn", "Username";
    LOGIN_PASSWORD: "Lösenord", "Password";
    LOGIN_SUBMIT: "Logga in", "Sign in";
    LOGIN_FAILED: "Fel användarnamn eller lösenord.", "Wrong username or password.";
    LOGIN_IDP_NOTE: "Inloggning med SITHS-kort eller BankID kopplas in via regionens identitetstjänst.", "Sign-in with SITHS card or BankID connects through the region's identity provider.";
    LOGIN_LOGGED_OUT: "Du är utloggad.", "You are signed out.";
    TOTP_TITLE: "Engångskod", "One-time code";
    TOTP_HINT: "Ange den sexsiffriga koden från din autentiseringsapp.", "Enter the six-digit code from your authenticator app.";
    TOTP_CODE: "Kod", "Code";
    TOTP_WRONG: "Koden stämmer inte. Försök igen.", "The code is not correct. Try again.";
    CONTINUE: "Fortsätt", "Continue";

    START_TITLE: "Start", "Home";
    START_WELCOME: "Välkommen, {name}", "Welcome, {name}";
    START_CASELOAD: "Mina patienter", "My patients";
    START_CASELOAD_EMPTY: "Du ingår inte i något vårdteam ännu.", "You are not in any care team yet.";
    START_SEARCH_HINT: "Sök patient på personnummer eller namn.", "Search for a patient by personal identity number or name.";
    START_AUDIT_INTRO: "Granska åtkomst till patientuppgifter och nödåtkomster.", "Review access to patient data and emergency accesses.";
    START_AUDIT_PENDING: "{n} nödåtkomster väntar på granskning.", "{n} emergency accesses await review.";
    START_ADMIN_INTRO: "Hantera konton och roller. Administratörer har ingen åtkomst till patientuppgifter.", "Manage accounts and roles. Administrators have no access to patient data.";
    START_ANALYST_INTRO: "Analytiker ser endast sammanställda uppgifter, aldrig enskilda patienter. Rapporterna byggs ut i kommande versioner.", "Analysts see aggregates only, never a single patient. Reports arrive in coming versions.";
    START_REFERRER_INTRO: "Här följer du dina egna remisser. Remisshanteringen byggs ut i kommande versioner.", "Follow your own referrals here. Referral handling arrives in coming versions.";
    START_PATIENT_INTRO: "Här ser du vem som har tagit del av uppgifterna i din journal hos nedtrappningsenheten.", "Here you can see who has accessed your record at the tapering unit.";
    FUNCTION: "Funktion", "Function";

    SEARCH_TITLE: "Sök patient", "Find a patient";
    SEARCH_LABEL: "Personnummer eller namn", "Personal identity number or name";
    SEARCH_HINT: "Till exempel 19640823-3234 eller Anna Lind. Alla sökningar loggas.", "For example 19640823-3234 or Anna Lind. Every search is logged.";
    SEARCH_SUBMIT: "Sök", "Search";
    SEARCH_NO_HITS: "Ingen patient matchar sökningen.", "No patient matches the search.";
    SEARCH_HITS: "{n} träffar", "{n} results";
    SEARCH_TOO_SHORT: "Ange minst två tecken.", "Enter at least two characters.";
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
    FN_FAST_VARDKONTAKT: "Fast vårdkontakt", "Named care contact";
    FN_PRESCRIBER: "Förskrivande läkare", "Prescriber";
    FN_PSYCHOSOCIAL: "Kurator/psykolog", "Social worker/psychologist";
    FN_PHYSIOTHERAPIST: "Fysioterapeut", "Physiotherapist";
    FN_OTHER: "Övrig", "Other";
    ACCESS_BASIS: "Åtkomst", "Access";
    BASIS_CARE_TEAM: "Vårdteam", "Care team";
    BASIS_QUEUE: "Kö som du hanterar", "A queue you handle";
    BASIS_EMERGENCY: "Nödåtkomst", "Emergency access";
    BASIS_OWN: "Egen journal", "Own record";
    BASIS_OWN_REFERRAL: "Egen remiss", "Own referral";
    EMERGENCY_BANNER: "Du har nödåtkomst till den här patienten. Åtkomsten är tidsbegränsad och granskas.", "You have emergency access to this patient. It is time-limited and will be reviewed.";
    PROTECTED_BANNER: "Patienten har skyddad identitet. Lämna inte ut uppgifter. Din åtkomst är flaggad.", "The patient has a protected identity. Do not disclose details. Your access is flagged.";
    COMING_SECTIONS: "Läkemedel, nedtrappningsplan, skattningar och besök visas här när de är registrerade.", "Medicines, taper plan, scores and visits appear here once recorded.";

    EMERGENCY_TITLE: "Nödåtkomst", "Emergency access";
    EMERGENCY_INTRO: "Du ingår inte i patientens vårdteam och patienten finns inte i en kö som du hanterar. Du kan öppna journalen vid nödåtkomst om det behövs för vården av patienten. Ange skälet; åtkomsten gäller i {minutes} minuter, loggas och granskas.", "You are not in the patient's care team and the patient is not in a queue you handle. You may open the record through emergency access if the patient's care requires it. Give the reason; access lasts {minutes} minutes, is logged and reviewed.";
    EMERGENCY_REASON: "Skäl till nödåtkomst", "Reason for emergency access";
    EMERGENCY_REASON_SHORT: "Ange ett skäl med minst {n} tecken.", "Give a reason of at least {n} characters.";
    EMERGENCY_SUBMIT: "Öppna med nödåtkomst", "Open with emergency access";
    EMERGENCY_NOT_ALLOWED: "Din roll kan inte ta nödåtkomst.", "Your role cannot take emergency access.";

    NEW_PATIENT_TITLE: "Registrera patient", "Register a patient";
    NEW_PATIENT_REASON_DEFAULT: "Ny patient registrerad", "New patient registered";
    ID_INVALID_FORMAT: "Ange personnummer som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN.", "Enter the number as YYYYMMDD-NNNN or YYMMDD-NNNN.";
    ID_INVALID_DATE: "Datumdelen är inget verkligt datum.", "The date part is not a real date.";
    ID_INVALID_FUTURE: "Födelsedatumet ligger i framtiden.", "The date of birth is in the future.";
    ID_INVALID_CHECK: "Kontrollsiffran stämmer inte. Kontrollera numret.", "The check digit does not match. Check the number.";
    ID_INVALID_INDIVIDUAL: "Födelsenumret 000 används aldrig.", "The individual number 000 is never used.";
    ID_INVALID_SEPARATOR: "Skiljetecknet (+ eller -) stämmer inte med åldern.", "The separator (+ or -) does not match the age.";
    ID_TAKEN: "Det finns redan en patient med det här numret.", "A patient with this number already exists.";
    REQUIRED: "Fältet måste fyllas i.", "This field is required.";
    TOO_LONG: "Texten är för lång (högst {n} tecken).", "The text is too long (at most {n} characters).";
    BAD_EMAIL: "Ange en e-postadress som namn@exempel.se.", "Enter an email address like name@example.com.";
    BAD_PHONE: "Ange ett telefonnummer med siffror, till exempel 070-123 45 67.", "Enter a phone number with digits, for example 070-123 45 67.";
    BAD_POSTAL_CODE: "Ange postnummer med fem siffror, till exempel 463 30.", "Enter a five-digit postal code, for example 463 30.";
    UNKNOWN_CHOICE: "Välj ett av alternativen.", "Choose one of the options.";
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
    STAFF_HSA_BAD: "HSA-id ska ha formen SE + tio siffror + bindestreck + tecken.", "An HSA id has the form SE + ten digits + hyphen + characters.";
    STAFF_HSA_TAKEN: "HSA-id eller användarnamn används redan.", "The HSA id or username is already in use.";
    STAFF_ROLES: "Roller", "Roles";
    STAFF_ROLES_REQUIRED: "Välj minst en roll.", "Choose at least one role.";
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
    TAPER_PERCENT_HINT: "Långsam: av aktuell dos (10). Linjär: av startdosen (10). Hyperbol: av receptorbeläggningen (5).", "Slow: of the current dose (10). Linear: of the starting dose (10). Hyperbolic: of the receptor occupancy (5).";
    TAPER_INTERVAL: "Veckor mellan stegen", "Weeks between steps";
    TAPER_MAX_STEP: "Största sänkning per steg, procent", "Largest cut per step, percent";
    TAPER_MAX_STEP_HINT: "Standard 10; högst 25 (ASAM 2025).", "Default 10; at most 25 (ASAM 2025).";
    TAPER_START: "Startdatum", "Start date";
    TAPER_START_HINT: "ÅÅÅÅ-MM-DD; tomt = i dag", "YYYY-MM-DD; empty = today";
    TAPER_GOAL: "Mål i stället för utsättning", "Target instead of stopping";
    TAPER_GOAL_HINT: "substans=dygnsdos, t.ex. oxazepam=10; tomt = sätt ut", "substance=daily dose, e.g. oxazepam=10; empty = stop";
    TAPER_MULTI: "Flera läkemedel", "Several medicines";
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
    TAPER_SUMMARY: "{steps} steg över {weeks} veckor; sista steget {end}. Referensdata {version}, tabeller {de} och {mme}.", "{steps} steps over {weeks} weeks; last step {end}. Reference data {version}, tables {de} and {mme}.";
    TAPER_CHANGE: "Ändra underlaget", "Change the input";
    TAPER_ROUNDING: "mål {aim}, ideal {ideal}; avrundat {pct} %", "aim {aim}, ideal {ideal}; rounded {pct} %";
    TAPER_QUANTITIES: "Att förskriva per fyra veckor", "To prescribe per four weeks";
    BACK_TO_PATIENT: "Till patientöversikten", "To the patient overview";
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
    SCORES_ERR_DATE: "Ange ett datum (ÅÅÅÅ-MM-DD), senast i dag.", "Give a date (YYYY-MM-DD), today at the latest.";
    SCORES_ERR_VALUE: "Ange ett tillåtet värde.", "Give an allowed value.";
    SCORES_ERR_BAND: "Välj nivå: instrumentet har inga officiella gränser.", "Choose the level: the instrument has no official cut-offs.";
    PROPOSAL_TITLE: "Motorns förslag utifrån skattningarna", "The engine's proposal from the scores";
    PROPOSAL_URGENT: "Kontakta läkare i dag", "Contact a physician today";
    PROPOSAL_CONTINUE: "Fortsätt enligt planen.", "Continue as planned.";
    PROPOSAL_HOLD: "Behåll nuvarande dos {weeks} veckor till.", "Keep the current dose {weeks} more weeks.";
    PROPOSAL_SLOW: "Gå långsammare: {weeks} veckor mellan stegen resten av planen.", "Go slower: {weeks} weeks between steps for the rest of the plan.";
    PROPOSAL_STEP_BACK: "Gå tillbaka till dosen i steg {step} (senast tolererade), håll den {hold} veckor, sedan {weeks} veckor mellan stegen.", "Go back to the dose of step {step} (the last tolerated), keep it {hold} weeks, then {weeks} weeks between steps.";
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
    REFERRAL_ALREADY: "Patienten är redan registrerad hos enheten; kontakta enheten.", "The patient is already registered with the unit; contact the unit.";
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
    PLAN_BREAKS_INVARIANT: "Utkastet uppfyller inte säkerhetsreglerna med dagens referensdata. Föreslå en ny plan.", "The draft does not keep the safety rules with today's reference data. Propose a new plan.";
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
    REF_ERR_REASON: "Ange ett skäl till ändringen.", "Give a reason for the change.";
    REF_ERR_TABLE: "Välj en tabell i listan.", "Choose a table from the list.";
    REF_ERR_NO_UNIT: "Ditt konto hör inte till någon enhet, så enhetens val kan inte sparas.", "Your account belongs to no unit, so the unit's choices cannot be saved.";
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
    YES: "Ja", "Yes";
    NO: "Nej", "No";
    EDIT: "Ändra", "Edit";

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

    ACCOUNT_TITLE: "Mitt konto", "My account";
    PASSWORD_CHANGE: "Byt lösenord", "Change password";
    PASSWORD_CURRENT: "Nuvarande lösenord", "Current password";
    PASSWORD_NEW: "Nytt lösenord", "New password";
    PASSWORD_REPEAT: "Upprepa nytt lösenord", "Repeat new password";
    PASSWORD_WRONG: "Lösenordet stämmer inte.", "The password is not correct.";
    PASSWORD_TOO_SHORT: "Lösenordet måste ha minst {n} tecken.", "The password must have at least {n} characters.";
    PASSWORD_MISMATCH: "Lösenorden är inte lika.", "The passwords do not match.";
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
    use std::collections::HashSet;

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
        let mut names = HashSet::new();
        for (name, m) in ALL {
            assert!(names.insert(*name), "{name} twice");
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

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(fill(M::SEARCH_HITS.sv, &[("n", "3")]), "3 träffar");
        assert_eq!(fill("{a}{a}", &[("a", "x")]), "xx");
    }
}
