//! The catalogue's messages for the unit's choice of which journal notes patients read,
//! Swedish first.

use trappa_i18n::catalogue;

catalogue! {
    struct E;
    TITLE: "Journal till patienter", "Record for patients";
    INTRO: "Välj vilka slags journalanteckningar patienterna läser under Min journal, och hur många dagar efter att de skrivits. Beslutet är verksamhetschefens. Varje ändring sparas som en ny version med skäl.", "Choose which kinds of record notes patients read under My record, and how many days after they were written. The decision is the head of the unit's. Every change is kept as a new version with its reason.";
    KINDS: "Anteckningar som visas för patienten", "Notes shown to the patient";
    DELAY: "Dagar innan en anteckning visas", "Days before a note is shown";
    DELAY_HINT: "0 betyder så snart den är skriven. Högst {max}.", "0 means as soon as it is written. At most {max}.";
    REASON: "Skäl till ändringen", "Reason for the change";
    SAVE: "Spara", "Save";
    CURRENT: "Version {version}, sparad {when} av {who}. Skäl: {reason}", "Version {version}, saved {when} by {who}. Reason: {reason}";
    DEFAULTS: "Enhetens val är inte gjorda ännu: alla slag visas efter {days}.", "The unit has not chosen yet: every kind is shown after {days}.";
    NO_UNIT: "Det finns ingen nedtrappningsenhet att välja för.", "There is no tapering unit to choose for.";
}
