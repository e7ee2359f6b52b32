//! The catalogue's messages for the care team's view of what a patient reports between
//! visits (assigned questionnaires, the diary), Swedish first.

use trappa_i18n::catalogue;

catalogue! {
    struct R;
    PATIENT_REPORTED: "patientrapporterad", "reported by the patient";
    TITLE: "Rapporter från patienten", "Reports from the patient";
    INTRO: "Det patienten själv skickar mellan besöken: tilldelade skattningar och dagboken. Skattningarna väger in i nedtrappningsförslaget precis som skattningar vid besök, märkta som patientrapporterade.", "What the patient sends between visits: assigned questionnaires and the diary. The questionnaires count in the tapering proposal just as scores recorded at visits, marked as reported by the patient.";
    MARK_READ: "Markera rapporterna som lästa", "Mark the reports as read";
    SEE_SCORES: "Alla skattningar", "All scores";
    ASSIGNED: "Tilldelade skattningar", "Assigned questionnaires";
    ASSIGNED_NONE: "Inga skattningar är tilldelade.", "No questionnaires are assigned.";
    RHYTHM: "Hur ofta", "How often";
    FROM: "Från", "From";
    BANDS: "Nivåer", "Levels";
    CUTOFFS: "måttlig från {moderate}, svår från {severe} (vårdteamets bedömning)", "moderate from {moderate}, severe from {severe} (the care team's judgement)";
    CUTOFFS_OFFICIAL: "instrumentets egna gränser", "the instrument's own cut-offs";
    LAST: "Senast ifylld", "Last filled in";
    NEVER: "aldrig", "never";
    DUE_NOW: "Att fylla i nu", "Due now";
    YES: "ja", "yes";
    NO: "nej", "no";
    ASSIGNED_BY: "Tilldelad av", "Assigned by";
    END_REASON: "Skäl att avsluta", "Reason to end";
    END: "Avsluta", "End";
    ASSIGN_TITLE: "Tilldela en skattning", "Assign a questionnaire";
    INSTRUMENT: "Instrument", "Instrument";
    CHOOSE: "Välj", "Choose";
    NEEDS_CUTOFFS: "ange gränser", "give cut-offs";
    EVERY_N_DAYS: "med jämna mellanrum", "at regular intervals";
    EVERY_DAYS: "Antal dagar mellan gångerna", "Days between times";
    EVERY_DAYS_HINT: "Bara för jämna mellanrum, till exempel 14 eller 28.", "Only for regular intervals, for example 14 or 28.";
    STARTS_ON: "Från datum", "From date";
    MODERATE_FROM: "Måttlig från (summa)", "Moderate from (total)";
    SEVERE_FROM: "Svår från (summa)", "Severe from (total)";
    CUTOFFS_HINT: "Bara för instrument utan officiella gränser (till exempel BWSQ): din bedömning för den här patienten.", "Only for instruments without official cut-offs (for example BWSQ): your judgement for this patient.";
    ASSIGN_REASON: "Skäl (frivilligt)", "Reason (optional)";
    ASSIGN: "Tilldela", "Assign";
    ERR_STARTS_ON: "Ange ett datum (ÅÅÅÅ-MM-DD).", "Give a date (YYYY-MM-DD).";
    DIARY: "Dagbok", "Diary";
    DIARY_NONE: "Patienten har inte skrivit i dagboken.", "The patient has not written in the diary.";
    DOSE_AS_PLANNED: "som planerat", "as planned";
    DOSE_LESS: "mindre", "less";
    DOSE_MORE: "mer", "more";
    DOSE_UNSURE: "vet inte", "not sure";
    COL_DAY: "Dag", "Day";
    COL_DOSE: "Dos", "Dose";
    COL_SLEEP: "Sömn", "Sleep";
    COL_ANXIETY: "Oro", "Anxiety";
    COL_PAIN: "Smärta", "Pain";
    COL_FLAGS: "Att bedöma", "To assess";
    COL_NOTE: "Patientens text", "The patient's text";
}
