//! The catalogue's messages for secure messages between the patient and the care team,
//! Swedish first.

use trappa_i18n::catalogue;

catalogue! {
    struct G;
    TITLE: "Meddelanden", "Messages";
    INTRO: "Skriv till ditt vårdteam om sådant som kan vänta några dagar: frågor om planen, besök eller hur det går.", "Write to your care team about things that can wait a few days: questions about the plan, visits or how it is going.";
    NOT_URGENT: "Skriv inte här om det är bråttom. Om det inte kan vänta: ring 1177, vid fara för liv ring 112.", "Do not write here if it is urgent. If it cannot wait: call 1177; if a life is in danger, call 112.";
    THREADS: "Konversationer", "Conversations";
    NO_THREADS: "Inga meddelanden ännu.", "No messages yet.";
    NEW: "Nytt meddelande", "New message";
    NEW_TO_PATIENT: "Nytt meddelande till patienten", "New message to the patient";
    TO_CONTACT: "Meddelandet går till din fasta vårdkontakt {name} och ditt vårdteam.", "The message goes to your named contact {name} and your care team.";
    TO_TEAM: "Meddelandet går till ditt vårdteam.", "The message goes to your care team.";
    SUBJECT: "Ämne", "Subject";
    BODY: "Meddelande", "Message";
    REPLY: "Svara", "Reply";
    SEND: "Skicka", "Send";
    UNREAD_ONE: "oläst", "unread";
    UNREAD_MANY: "olästa", "unread";
    WAITING: "har väntat på svar i {age}", "has waited for an answer for {age}";
    WAITING_PATIENT: "väntar på svar från ditt vårdteam", "waiting for an answer from your care team";
    ANSWERED_BY: "besvarat av {who} {when}", "answered by {who} {when}";
    NOT_ANSWERED: "skickat av vårdteamet", "sent by the care team";
    AUTOMATIC: "Trappa (automatiskt svar)", "Trappa (automatic reply)";
    INBOX_TITLE: "Meddelanden från patienter", "Messages from patients";
    INBOX_INTRO: "Konversationer med patienterna i dina vårdteam. De som väntat längst på svar står först.", "Conversations with the patients in your care teams. Those who have waited longest for an answer come first.";
    FILTER: "Filtrera på namn, personnummer eller ämne", "Filter by name, identity number or subject";
    COL_PATIENT: "Patient", "Patient";
    COL_STATE: "Läge", "State";
    COL_LAST: "Senaste", "Latest";
    PATIENT_TITLE: "Meddelanden med patienten", "Messages with the patient";
    WORK_UNANSWERED: "Obesvarade meddelanden", "Unanswered messages";
    WORK_UNANSWERED_ITEM: "{name} – {subject}, väntat {age}", "{name} – {subject}, waited {age}";
    FLASH_SENT: "Meddelandet är skickat.", "The message is sent.";
}
