//! The catalogue's messages for the patient's notification settings, Swedish first.

use trappa_i18n::catalogue;

catalogue! {
    struct N;
    TITLE: "Aviseringar", "Notifications";
    INTRO: "Trappa kan säga till när det finns något nytt för dig: ett meddelande från ditt vårdteam, svar om ett besök, en ny version av din plan eller ett formulär att fylla i (en påminnelse på förmiddagen den dag det ska fyllas i).", "Trappa can tell you when there is something new for you: a message from your care team, an answer about a visit, a new version of your plan or a form to fill in (a reminder in the morning of the day it is due).";
    PRIVACY: "Aviseringen säger bara att det finns något nytt, aldrig vad det gäller. Du läser det här, efter inloggning.", "The notification only says that there is something new, never what it is about. You read it here, after signing in.";
    NOT_OFFERED: "Din mottagning skickar inga aviseringar ännu. Titta in här då och då, eller ring om du undrar över något.", "Your clinic does not send notifications yet. Look in here now and then, or call if you wonder about something.";
    EMAIL: "E-postadress", "Email address";
    EMAIL_HINT: "Aviseringen skickas hit. Lämna tomt om du inte vill ha e-post.", "The notification is sent here. Leave empty if you do not want email.";
    BY_EMAIL: "Skicka aviseringar med e-post", "Send notifications by email";
    SAVE: "Spara", "Save";
    FLASH_SAVED: "Dina val för aviseringar är sparade.", "Your notification choices are saved.";
    RECENT: "Senaste aviseringarna", "Latest notifications";
    SENT: "skickad {when}", "sent {when}";
    WAITING: "väntar på att skickas", "waiting to be sent";
    FAILED: "kunde inte skickas, försöker igen", "could not be sent, trying again";
    GAVE_UP: "kunde inte skickas", "could not be sent";
    STATUS: "Aviseringar med e-post: {state}.", "Notifications by email: {state}.";
    ON: "på", "on";
    OFF: "av", "off";
}
