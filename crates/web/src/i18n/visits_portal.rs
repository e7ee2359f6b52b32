//! The catalogue's messages for the patient's visits and their wishes to move or cancel
//! one, and the coordinator's answer, Swedish first.

use trappa_i18n::catalogue;

catalogue! {
    struct B;
    TITLE: "Besök", "Visits";
    INTRO: "Dina besök hos nedtrappningsenheten. Passar en tid inte kan du be om en ny eller avboka: koordinatorn svarar, och inget ändras förrän hen har gjort det.", "Your visits with the tapering unit. If a time does not suit you, you can ask for another or cancel: the coordinator answers, and nothing changes until they have.";
    AHEAD: "Kommande besök", "Visits to come";
    PAST: "Tidigare besök", "Past visits";
    NONE_AHEAD: "Du har inga bokade besök.", "You have no booked visits.";
    NONE_PAST: "Inga tidigare besök.", "No past visits.";
    WHAT: "Vad", "What";
    WHERE: "Var", "Where";
    WHO: "Med", "With";
    JOIN_VIDEO: "Anslut till videobesöket", "Join the video visit";
    CHANGE: "Passar tiden inte?", "Does the time not suit you?";
    WHICH: "Vad vill du?", "What do you want?";
    KIND_MOVE: "Byta tid", "Change the time";
    KIND_CANCEL: "Avboka", "Cancel";
    WISH: "När passar det, eller varför?", "When does it suit you, or why?";
    WISH_HINT: "Till exempel: eftermiddagar nästa vecka. Behövs när du vill byta tid.", "For example: afternoons next week. Needed when you want to change the time.";
    SEND: "Skicka önskemålet", "Send the wish";
    WAITING: "Du har bett oss {kind}. Vi svarar så snart vi kan; tiden gäller tills dess.", "You have asked us to {kind}. We answer as soon as we can; the time stands until then.";
    WAITING_MOVE: "byta tid", "change the time";
    WAITING_CANCEL: "avboka besöket", "cancel the visit";
    WISHES: "Dina önskemål", "Your wishes";
    OPEN: "Väntar på svar", "Waiting for an answer";
    APPROVED: "Godkänt av {who} {when}: {note}", "Approved by {who} {when}: {note}";
    DECLINED: "Inte godkänt av {who} {when}: {note}", "Not approved by {who} {when}: {note}";
    STAFF_TITLE: "Önskemål från patienten", "Wishes from the patient";
    SENT: "skickat", "sent";
    NEW_DATE: "Ny dag", "New date";
    NEW_TIME: "Ny tid", "New time";
    NOTE: "Meddelande till patienten", "Note to the patient";
    APPROVE: "Godkänn", "Approve";
    DECLINE: "Avslå", "Decline";
    LIST_INTRO: "Patienternas önskemål om att byta tid eller avboka, äldst först. Inget ändras förrän du svarar; patienten ser svaret och ditt meddelande.", "The patients' wishes to change a time or cancel, oldest first. Nothing changes until you answer; the patient sees the answer and your note.";
    LIST_NONE: "Inga önskemål väntar.", "No wishes are waiting.";
    WORK_TITLE: "Önskemål om besök", "Wishes about visits";
    WORK_ITEM: "{name} – {kind}, skickat {when}", "{name} – {kind}, sent {when}";
}
