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
    WEEK: "vecka", "week";
    WEEKS: "veckor", "weeks";
    FLASH_PLAN_SIGNED: "Planen är signerad. Version {arg} gäller nu.", "The plan is signed. Version {arg} is now in force.";
    FLASH_PROPOSAL_SIGNED: "Förslaget är signerat. Version {arg} gäller nu.", "The proposal is signed. Version {arg} is now in force.";
    FLASH_DRAFT_SAVED: "Utkastet är sparat som version {arg}. Det gäller när en läkare har signerat det.", "The draft is saved as version {arg}. It applies once a physician has signed it.";
    FLASH_NOTE_SAVED: "Anteckningen är sparad.", "The note is saved.";
    FLASH_SCORE_SAVED: "Skattningen är sparad.", "The score is saved.";
    FLASH_SAVED: "Ändringen är sparad.", "The change is saved.";
}
