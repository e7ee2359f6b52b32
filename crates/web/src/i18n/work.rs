//! The catalogue's messages for worklists and long lists (search, sort, paging), and
//! the ways forward from a dead end, Swedish first.

use trappa_i18n::catalogue;

catalogue! {
    struct W;
    WORK_FLAGGED: "Rapporterade händelser att bedöma", "Reported events to assess";
    WORK_FLAGGED_ITEM: "{name} – {instrument} {date}: {flags}", "{name} – {instrument} {date}: {flags}";
    WORK_FLAGGED_DIARY: "{name} – dagbok {date}: {flags}", "{name} – diary {date}: {flags}";
    WORK_UNREAD_REPORTS: "Nya rapporter från patienter", "New reports from patients";
    WORK_UNREAD_REPORTS_ITEM: "{name} – {count}, väntat {age}", "{name} – {count}, waited {age}";
    REPORT_ONE: "rapport", "report";
    REPORT_MANY: "rapporter", "reports";
    WORK_PROPOSALS: "Förslag som väntar på beslut", "Proposals awaiting a decision";
    FILTER_NAME_OR_ID: "Filtrera på namn eller personnummer", "Filter by name or identity number";
    LIST_ALL: "Alla", "All";
    REFERRAL_DECIDED: "Beslutad", "Decided";
    PROPOSE_ACCEPT_HIGH: "Anta med förtur", "Accept with priority";
    PROPOSE_ACCEPT: "Anta till väntelistan", "Accept to the waiting list";
    PROPOSE_COMPLEMENT: "Begär komplettering", "Ask for a complement";
    PROPOSE_DECLINE: "Avböj med råd", "Decline with advice";
    PROPOSE_REDIRECT: "Hänvisa till {to}", "Redirect to {to}";
    PROPOSE_REDIRECT_ANY: "Hänvisa till annan vårdnivå", "Redirect to another level of care";
    FLAG_EMERGENCY: "nödåtkomst", "emergency access";
    FLAG_DENIED: "nekad åtkomst", "access refused";
    FLAG_PROTECTED: "skyddade personuppgifter", "protected identity";
    FLAG_COORDINATION: "samordning utan vårdrelation", "coordination without a care relation";
    FLAG_KNOWN_PERSON: "remiss om en redan registrerad person", "referral of a person already registered";
    FLAG_ROLES: "ändrade behörigheter", "changed roles";
    FLAG_NEW_ROLE: "behörigheten är yngre än ett dygn", "the role is less than a day old";
    AUDIT_NEWEST: "← Nyaste poster", "← Newest entries";
    MY_LOG_GROUPED: "Samma sak gjord flera gånger samma dag av samma person visas på en rad, med antalet gånger.", "The same thing done several times on one day by the same person is shown on one line, with the number of times.";
    COL_TIMES: "Antal", "Times";
    TIME_ONE: "gång", "time";
    TIME_MANY: "gånger", "times";
    LIST_FILTER: "Filtrera", "Filter";
    LIST_NONE: "Inga rader matchar.", "No rows match.";
    LIST_SHOWING: "Visar {from}–{to} av {total}", "Showing {from}–{to} of {total}";
    LIST_PAGES: "Sidor", "Pages";
    LIST_PREV: "Föregående", "Previous";
    LIST_NEXT: "Nästa", "Next";
    LIST_PAGE_OF: "Sida {page} av {pages}", "Page {page} of {pages}";
    WORK_PROPOSAL_ITEM: "{name} – förslag: {action}", "{name} – proposal: {action}";
}
