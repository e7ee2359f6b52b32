//! The catalogue's messages for the patient's own record ("Min journal"), Swedish
//! first.

use trappa_i18n::catalogue;

catalogue! {
    struct U;
    TITLE: "Min journal", "My record";
    INTRO: "Här finns det din vårdenhet har skrivit om dig: journalanteckningar, svar på remissen och din plan version för version. Undrar du över något du läser, skicka ett meddelande till ditt vårdteam.", "Here is what your care unit has written about you: record notes, replies to the referral and your plan version by version. If you wonder about anything you read, send a message to your care team.";
    NOTES: "Journalanteckningar", "Record notes";
    RULE_DELAY: "En anteckning visas här {days} efter att den skrivits, så att ditt vårdteam hinner prata med dig först.", "A note is shown here {days} after it was written, so that your care team can talk with you first.";
    RULE_NOW: "En anteckning visas här så snart den är skriven.", "A note is shown here as soon as it is written.";
    RULE_WITHHELD: "Dessa slags anteckningar visas inte här: {kinds}. Du har rätt att läsa dem – be din vårdenhet om en kopia.", "These kinds of notes are not shown here: {kinds}. You have the right to read them – ask your care unit for a copy.";
    NOTES_NONE: "Det finns inga anteckningar att visa ännu.", "There are no notes to show yet.";
    WAITING_ONE: "nyare anteckning visas senare.", "newer note is shown later.";
    WAITING_MANY: "nyare anteckningar visas senare.", "newer notes are shown later.";
    WRITTEN_BY: "Skriven av {who}.", "Written by {who}.";
    CORRECTED: "Rättad av {who} den {date}.", "Corrected by {who} on {date}.";
    LETTERS: "Svar på remissen", "Replies to the referral";
    LETTERS_NONE: "Det finns inga svar på någon remiss om dig.", "There are no replies to a referral about you.";
    PLANS: "Din plan, version för version", "Your plan, version by version";
    PLANS_NONE: "Ingen plan är signerad ännu.", "No plan has been signed yet.";
    PLAN_SIGNED: "Signerad {date} av {who}", "Signed on {date} by {who}";
    PLAN_IN_FORCE: "gäller nu", "in force";
    PLAN_WHY: "Skäl: {reason}", "Reason: {reason}";
}
