//! The catalogue's messages about signing plans and the confirmations after a save
//! (flash messages), Swedish first.

use trappa_i18n::catalogue;

catalogue! {
    struct C;
    COMPARE_TITLE: "Gällande plan och den nya, sida vid sida", "The plan in force and the new one, side by side";
    COMPARE_FROM: "Från", "From";
    COMPARE_OLD: "Gällande plan", "Plan in force";
    COMPARE_NEW: "Ny plan", "New plan";
    COMPARE_CHANGED: "ändras", "changes";
    COMPARE_NONE: "ingen dos", "no dose";
    SIGN_HEADING: "Signera version {version}", "Sign version {version}";
    SIGN_WHAT: "Du signerar version {version} av planen. Första ändringen av dosen: {date}.", "You are signing version {version} of the plan. First change of dose: {date}.";
    SIGN_WHAT_NO_CHANGE: "Du signerar version {version} av planen. Den ändrar ingen dos.", "You are signing version {version} of the plan. It changes no dose.";
    SIGN_CONFIRM: "Jag har läst hela planen ovan: varningarna, diagrammet och stegtabellen.", "I have read the whole plan above: the warnings, the chart and the step table.";
    SIGN_ERR_CONFIRM: "Bekräfta att du har läst hela planen innan du signerar.", "Confirm that you have read the whole plan before signing.";
    SIGN_BUTTON: "Signera version {version}", "Sign version {version}";
    PROPOSAL_PREVIEW: "Så blir planen om förslaget signeras", "The plan if the proposal is signed";
    PROPOSAL_NOT_APPLICABLE: "Förslaget kan inte göras om till en plan: {why}", "The proposal cannot be made into a plan: {why}";
    PROPOSAL_CHANGED: "Förslaget har ändrats sedan sidan visades (nya skattningar). Läs det nya förslaget innan du signerar.", "The proposal has changed since the page was shown (new scores). Read the new proposal before signing.";
    CSV_TABLE: "Tabell", "Table";
    CSV_KEY: "Nyckel", "Key";
    CSV_NAME: "Namn", "Name";
    CSV_MEASURE: "Mått", "Measure";
    CSV_VALUE: "Värde", "Value";
    CSV_HIDDEN: "dold", "hidden";
    CSV_OVERALL: "Totalt", "Overall";
    CSV_BY: "Per {what}", "By {what}";
    CSV_BY_QUARTER: "Per kvartal", "By quarter";
    CSV_REACH: "Räckvidd per kommun", "Reach by municipality";
    CSV_POPULATION: "Invånare", "Inhabitants";
    CSV_PATIENTS: "Patienter", "Patients";
    CSV_PER_100K: "Per 100 000 invånare", "Per 100,000 inhabitants";
    CSV_DECLINED: "Avböjda per skäl", "Declined by reason";
    CSV_REDIRECTED: "Hänvisade per mottagare", "Redirected by receiver";
    CSV_COSTS: "Kostnader (kr) och resor (km)", "Costs (SEK) and travel (km)";
    EVENT_AFTERCARE_STARTED: "Eftervård påbörjad", "Aftercare started";
    EVENT_FOLLOW_UP: "Uppföljning", "Follow-up";
    EVENT_RELAPSE: "Återfall", "Relapse";
    EVENT_OUTCOME: "Utfallsuppföljning", "Outcome questionnaire";
    EVENT_DISCHARGED: "Utskrivning", "Discharge";
    NOTE_SWITCH: "Byt mall", "Change template";
    NOTE_SWITCH_HINT: "Det du har skrivit följer med till den nya mallen.", "What you have written is kept in the new template.";
    NOTE_KEPT: "Text du skrev under en rubrik som inte finns i den här mallen finns kvar nedan. Flytta den till en rubrik ovan eller töm fältet innan du sparar.", "Text you wrote under a heading this template does not have is kept below. Move it to a heading above or empty the field before saving.";
    NOTE_ERR_OTHER_TEMPLATE: "Rubriken finns inte i mallen {kind}. Flytta texten till en av mallens rubriker eller töm fältet.", "The heading is not in the template {kind}. Move the text to one of the template's headings or empty the field.";
    NOTE_ERR_UNKNOWN: "Okänd rubrik.", "Unknown heading.";
    FLASH_PLAN_SIGNED: "Planen är signerad. Version {arg} gäller nu.", "The plan is signed. Version {arg} is now in force.";
    FLASH_PROPOSAL_SIGNED: "Förslaget är signerat. Version {arg} gäller nu.", "The proposal is signed. Version {arg} is now in force.";
    FLASH_DRAFT_SAVED: "Utkastet är sparat som version {arg}. Det gäller när en läkare har signerat det.", "The draft is saved as version {arg}. It applies once a physician has signed it.";
    FLASH_NOTE_SAVED: "Anteckningen är sparad.", "The note is saved.";
    FLASH_SCORE_SAVED: "Skattningen är sparad.", "The score is saved.";
    FLASH_SAVED: "Ändringen är sparad.", "The change is saved.";
}
