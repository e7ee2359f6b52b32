//! The catalogue's messages for the patient's own pages, in plain words, Swedish first.

use trappa_i18n::catalogue;

catalogue! {
    struct P;
    MY_PLAN_TITLE: "Min plan", "My plan";
    MY_PLAN_NONE: "Du har ingen färdig nedtrappningsplan ännu. Din vårdkontakt berättar när den är klar.", "You have no finished tapering plan yet. Your care contact will tell you when it is ready.";
    MY_PLAN_TODAY: "Idag, {date}", "Today, {date}";
    MY_PLAN_STOPPED: "{drug}: ingen dos – du har slutat.", "{drug}: no dose – you have stopped.";
    MY_PLAN_NEXT: "Nästa ändring, {date}", "Next change, {date}";
    MY_PLAN_NO_NEXT: "Inga fler ändringar: fortsätt som idag.", "No more changes: go on as today.";
    MY_PLAN_SIGNED: "Planen signerades av {who} den {when}.", "The plan was signed by {who} on {when}.";
    MY_PLAN_PRINT: "Skriv ut planen", "Print the plan";
    MY_PLAN_PDF: "Ladda ner planen (PDF)", "Download the plan (PDF)";
    MY_PLAN_QUESTIONS_NO_PHONE: "Frågor om planen? Kontakta din vårdkontakt. Om det inte kan vänta: ring 1177, vid fara för liv ring 112.", "Questions about the plan? Contact your care contact. If it cannot wait: call 1177; if a life is in danger, call 112.";
    MY_PLAN_QUESTIONS: "Frågor om planen? Ring din vårdkontakt: {phone}. Om det inte kan vänta: ring 1177, vid fara för liv ring 112.", "Questions about the plan? Call your care contact: {phone}. If it cannot wait: call 1177; if a life is in danger, call 112.";
}
