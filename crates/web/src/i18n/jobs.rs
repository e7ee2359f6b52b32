//! The catalogue's messages for work a user starts and follows on its own page (the
//! planner's search for a week's proposal), Swedish first.

use trappa_i18n::catalogue;

catalogue! {
    struct J;
    JOB_TITLE: "Förslag tas fram", "A proposal is being made";
    JOB_WORKING: "Planeraren prövar olika sätt att lägga veckans besök och behåller det bästa. Det tar högst {limit} sekunder. Förslaget visas här när det är klart, och inget sparas förrän du har sett det.", "The planner tries different ways of placing the week's visits and keeps the best. It takes at most {limit} seconds. The proposal is shown here when it is ready, and nothing is saved until you have seen it.";
    JOB_WAITING: "Planeraren är upptagen med annat tungt arbete. Sökningen börjar så snart den är ledig.", "The planner is busy with other heavy work. The search starts as soon as it is free.";
    JOB_WAITING_SHORT: "Väntar på sin tur", "Waiting for its turn";
    JOB_PROGRESS: "Hur långt sökningen har kommit", "How far the search has come";
    JOB_ELAPSED: "{elapsed} av högst {limit} sekunder", "{elapsed} of at most {limit} seconds";
    JOB_RELOAD: "Visa läget nu", "Show the progress now";
    JOB_RELOAD_HINT: "(sidan uppdateras av sig själv om JavaScript är på)", "(the page updates itself when JavaScript is on)";
    JOB_STOP: "Stoppa sökningen", "Stop the search";
    JOB_BACK: "Tillbaka till veckans planering", "Back to the week's plan";
    JOB_BACK_HINT: "Sökningen fortsätter medan du är borta, men stoppas om ingen har tittat på den här sidan på {seconds} sekunder.", "The search goes on while you are away, but stops if nobody has looked at this page for {seconds} seconds.";
    JOB_ENDED_TITLE: "Inget nytt förslag", "No new proposal";
    JOB_STOPPED: "Sökningen stoppades innan den var klar. Inget har ändrats.", "The search was stopped before it was done. Nothing has changed.";
    JOB_ABANDONED: "Sökningen stoppades eftersom ingen följde den. Inget har ändrats.", "The search was stopped because nobody was following it. Nothing has changed.";
    JOB_FAILED: "Planeraren kunde inte ta fram ett förslag. Felet är loggat. Inget har ändrats; försök igen om en stund.", "The planner could not make a proposal. The error is logged. Nothing has changed; try again in a while.";
    JOB_GONE_TITLE: "Sökningen finns inte längre", "The search no longer exists";
    JOB_GONE: "Den här sökningen är avslutad sedan länge, eller hör till en annan enhet. Ett förslag som blev klart finns kvar under veckans planering.", "This search ended long ago, or belongs to another unit. A proposal that was finished is still under the week's plan.";
    JOB_BUSY_DETAIL: "Planeraren söker redan förslag för flera veckor åt enheten. Vänta tills någon av sökningarna är klar och försök igen.", "The planner is already searching proposals for several weeks for the unit. Wait until one of them is done and try again.";
    JOB_RUNNING_NOTICE: "Ett förslag för veckan tas fram just nu.", "A proposal for the week is being made right now.";
    JOB_FOLLOW: "Följ sökningen", "Follow the search";
    JOB_UNSAVED_NOTICE: "Planerarens senaste förslag för veckan ({at}) är inte sparat.", "The planner's latest proposal for the week ({at}) is not saved.";
    JOB_SHOW_PROPOSAL: "Visa förslaget", "Show the proposal";
    FLASH_PLANNING_STOPPED: "Sökningen efter ett förslag stoppades. Inget har ändrats.", "The search for a proposal was stopped. Nothing has changed.";
}
