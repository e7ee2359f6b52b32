//! The catalogue's messages for worklists and long lists (search, sort, paging), and
//! the ways forward from a dead end, Swedish first.

use trappa_i18n::catalogue;

catalogue! {
    struct W;
    WORK_FLAGGED: "Rapporterade händelser att bedöma", "Reported events to assess";
    WORK_FLAGGED_ITEM: "{name} – {instrument} {date}: {flags}", "{name} – {instrument} {date}: {flags}";
    WORK_PROPOSALS: "Förslag som väntar på beslut", "Proposals awaiting a decision";
    WORK_PROPOSAL_ITEM: "{name} – förslag: {action}", "{name} – proposal: {action}";
}
