//! The catalogue's messages for the patient's calendar subscription, Swedish first.

use trappa_i18n::catalogue;

catalogue! {
    struct K;
    FEED_TITLE: "Planen i din kalender", "The plan in your calendar";
    FEED_INTRO: "Med en kalenderlänk visar kalendern i din telefon eller dator de dagar då dosen ändras, och dina besök. Kalendern hämtar ändringar själv.", "With a calendar link, the calendar on your phone or computer shows the days your dose changes, and your visits. The calendar fetches changes itself.";
    FEED_WARNING: "Den som har länken kan se dina doser och besök. Dela den inte. Om någon annan kan ha fått den: skapa en ny länk, så slutar den gamla fungera.", "Anyone who has the link can see your doses and visits. Do not share it. If someone else may have it: make a new link, and the old one stops working.";
    FEED_NONE: "Du har ingen kalenderlänk.", "You have no calendar link.";
    FEED_CREATE: "Skapa en kalenderlänk", "Make a calendar link";
    FEED_ADDRESS: "Din kalenderlänk", "Your calendar link";
    FEED_ADDRESS_HINT: "Kopiera länken och lägg till den i din kalender som en prenumeration (\"Lägg till kalender från webbadress\").", "Copy the link and add it to your calendar as a subscription (\"Add calendar from URL\").";
    FEED_OPEN: "Öppna i kalendern", "Open in your calendar";
    FEED_MADE: "Länken skapades {date}.", "The link was made on {date}.";
    FEED_REPLACE: "Skapa en ny länk", "Make a new link";
    FEED_END: "Ta bort kalenderlänken", "Remove the calendar link";
    FLASH_FEED_MADE: "Kalenderlänken är skapad. En tidigare länk fungerar inte längre.", "The calendar link is made. An earlier link no longer works.";
    FLASH_FEED_ENDED: "Kalenderlänken är borttagen och fungerar inte längre.", "The calendar link is removed and no longer works.";
    FEED_FROM_VISITS: "Dina besök i kalendern i din telefon", "Your visits in your phone's calendar";
    ICS_NAME: "Trappa – min plan och mina besök", "Trappa – my plan and my visits";
    ICS_VISIT: "Besök: {kind}", "Visit: {kind}";
    ICS_VIDEO: "Länk till videobesöket: {link}", "Link to the video visit: {link}";
    ICS_WHO: "Du träffar {who}.", "You will meet {who}.";
}
