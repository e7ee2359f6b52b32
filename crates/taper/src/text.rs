//! The engine's message catalogue: errors, notices, the patient handout and the
//! calendar, Swedish first. Placeholders are `{name}`.

use trappa_i18n::catalogue;

/// The catalogue, as `T::NAME`.
pub use self::M as T;

catalogue! {
    ERR_MISSING: "{field}: uppgift saknas.", "{field}: required.";
    ERR_UNKNOWN_SUBSTANCE: "{field}: okänd substans ”{name}”.", "{field}: unknown substance “{name}”.";
    ERR_UNKNOWN_PRODUCT: "{field}: okänd eller avstängd produkt ”{id}”.", "{field}: unknown or disabled product “{id}”.";
    ERR_WRONG_PRODUCT: "{field}: produkten ”{id}” är inte {substance} med rätt administrationsväg.", "{field}: product “{id}” is not {substance} by the right route.";
    ERR_DOSE_FORMAT: "{field}: ”{given}” är ingen dos. Skriv morgon+middag+kväll+natt, t.ex. 10+10+0+25, eller µg/h för plåster.", "{field}: “{given}” is not a dose. Write morning+noon+evening+night, e.g. 10+10+0+25, or µg/h for a patch.";
    ERR_NOT_POSITIVE: "{field}: dosen måste vara större än noll (och ingen del negativ).", "{field}: the dose must be above zero (and no part negative).";
    ERR_IMPOSSIBLE: "{field}: dosen är orimligt hög (över {limit}). Kontrollera enheten.", "{field}: the dose is impossibly high (over {limit}). Check the unit.";
    ERR_CANNOT_MAKE: "{field}: dosen {dose} går inte att ge med {products}.", "{field}: the dose {dose} cannot be made with {products}.";
    ERR_OUT_OF_RANGE: "{field}: värdet måste ligga mellan {min} och {max}.", "{field}: the value must be between {min} and {max}.";
    ERR_UNKNOWN_TABLE: "{field}: okänd ekvivalenstabell ”{id}”.", "{field}: unknown equivalence table “{id}”.";
    ERR_NO_FACTOR: "{field}: tabellen {table} har ingen faktor för {substance}.", "{field}: table {table} has no factor for {substance}.";
    ERR_NO_ED50: "{field}: {substance} saknar parameter för hyperbol nedtrappning.", "{field}: {substance} has no parameter for a hyperbolic taper.";
    ERR_DATE_FORMAT: "{field}: ”{given}” är inget datum (ÅÅÅÅ-MM-DD).", "{field}: “{given}” is not a date (YYYY-MM-DD).";
    ERR_CONFLICT: "{field}: kan inte kombineras med {with}.", "{field}: cannot be combined with {with}.";
    ERR_DUPLICATE: "{field}: {substance} finns redan med.", "{field}: {substance} is already listed.";
    ERR_NOT_SUBSTITUTABLE: "{field}: byte till diazepam gäller bara bensodiazepiner och z-läkemedel, inte {substance}.", "{field}: switching to diazepam applies only to benzodiazepines and Z-drugs, not {substance}.";
    ERR_NO_SUCH_STEP: "{field}: steg {step} finns inte i planen.", "{field}: step {step} is not in the plan.";
    ERR_TOO_LONG: "{field}: planen skulle ta mer än {years} år. Välj större steg eller ett mål.", "{field}: the plan would take more than {years} years. Choose larger steps or a target.";
    ERR_JSON: "{field}: {detail}", "{field}: {detail}";
    ERR_CHOICE: "{field}: ”{given}” finns inte. Välj en av: {known}.", "{field}: “{given}” does not exist. Choose one of: {known}.";
    ERR_FILE_READ: "{field}: filen {path} kunde inte läsas: {reason}.", "{field}: the file {path} could not be read: {reason}.";
    ERR_FILE_WRITE: "{field}: filen {path} kunde inte skrivas: {reason}.", "{field}: the file {path} could not be written: {reason}.";
    ERR_COUNT: "{field}: {given} angivna, men {per} kräver {wanted} (en per läkemedel, i samma ordning).", "{field}: {given} given, but {per} needs {wanted} (one per drug, in the same order).";
    FILE_NOT_FOUND: "den eller mappen finns inte", "it or its folder does not exist";
    FILE_DENIED: "behörighet saknas", "permission denied";
    FILE_DIRECTORY: "det är en mapp", "it is a folder";
    FILE_OTHER: "systemet gav ett fel", "the system reported an error";

    STATUS_V: "verifierat mot källan", "verified against the source";
    STATUS_M: "ur minnet, ej kontrollerat", "from memory, not checked";
    STATUS_U: "osäkert", "uncertain";
    KIND_REGISTERED: "registrerat läkemedel", "registered product";
    KIND_LICENCE: "licensläkemedel", "licence product";
    KIND_EXTEMPORE: "extemporeberedning", "extemporaneous preparation";

    N_OPIOID_BZD: "Opioid tillsammans med bensodiazepin eller z-läkemedel: ökad risk för andningsdepression och överdos.", "Opioid together with a benzodiazepine or Z-drug: higher risk of respiratory depression and overdose.";
    N_HIGH_MME: "{mme} MME per dygn: 50 MME eller mer är en riskfaktor för överdos.", "{mme} MME a day: 50 MME or more is a risk factor for overdose.";
    N_UNVERIFIED_FACTOR: "Ekvivalensfaktorn för {substance} i {table} är inte verifierad ({status}).", "The equivalence factor for {substance} in {table} is not verified ({status}).";
    N_UNVERIFIED_STRENGTH: "Styrkan för {product} är inte verifierad ({status}).", "The strength of {product} is not verified ({status}).";
    N_UNVERIFIED_SPLIT: "Delbarheten för {product} är inte verifierad mot produktresumén ({status}).", "Whether {product} may be split is not verified against the SmPC ({status}).";
    N_UNVERIFIED_DDD: "DDD för {substance} är inte verifierad ({status}).", "The DDD of {substance} is not verified ({status}).";
    N_UNVERIFIED_ED50: "Parametern (ED50) för hyperbol nedtrappning av {substance} saknar publicerat värde; kontrollera den innan planen signeras.", "The hyperbolic taper parameter (ED50) for {substance} has no published value; check it before signing.";
    N_MISSING_FACTOR: "{table} saknar faktor för {substance}; den ingår inte i summan.", "{table} has no factor for {substance}; it is left out of the total.";
    N_NO_DDD: "{substance} saknar enkel DDD.", "{substance} has no simple DDD.";
    N_IMPLAUSIBLE: "{substance}: {ddd} DDD per dygn är ovanligt högt. Kontrollera dosen.", "{substance}: {ddd} DDD a day is unusually high. Check the dose.";
    N_AS_NEEDED: "{substance} tas också vid behov; vid-behovsdoser ingår inte i planen. Gör intaget regelbundet först.", "{substance} is also taken as needed; as-needed doses are not in the plan. Make intake regular first.";
    N_SPECIAL_PRODUCT: "{product} är ett {kind}.", "{product} is a {kind}.";
    N_GRANULAR: "Steget för {substance} är {cut} % eftersom produkterna inte kan ge ett mindre; dosen före hölls därför längre.", "The step for {substance} is {cut} % because the products cannot make a smaller one, so the dose before it was held longer.";
    N_GRANULAR_FINER: "Mindre steg går med {product}.", "Smaller steps are possible with {product}.";
    N_CAPPED: "Steget för {substance} begränsades till högst {max} % av aktuell dos.", "The step for {substance} was limited to at most {max} % of the current dose.";
    N_LOW_DOSE: "Låg dos av {substance}: långsammare takt.", "Low dose of {substance}: slower pace.";
    N_CROSS_OVER: "En dostid byts från {from} till {to} i motsvarande dos.", "One dose time is switched from {from} to {to} at an equivalent dose.";
    N_PORTION: "Byte: {amount} mg {from} {time} ersätts med diazepam; diazepam ökar med {diazepam} mg.", "Switch: {amount} mg {from} {time} is replaced by diazepam; diazepam rises by {diazepam} mg.";
    N_PORTION_REDUCED: "Byte: {amount} mg {from} {time} tas bort; dosen minskar under bytet, diazepam är oförändrat.", "Switch: {amount} mg {from} {time} is taken away; the dose falls during the switch, diazepam is unchanged.";
    N_SWITCH_REDUCES: "Startdosen motsvarar mer än {max} mg diazepam om dagen: bytet minskar samtidigt, i planens takt, från {from} till {to} DE.", "The starting dose is above {max} mg diazepam a day: the switch also reduces, at the plan's pace, from {from} to {to} DE.";
    N_SWITCH_INCOMPLETE: "Bytet av {substance} till diazepam kan inte slutföras: diazepam kan inte ges i högre dos med produkterna och antalet tabletter per dos. Resten av {substance} trappas ned för sig efter diazepam.", "The switch of {substance} to diazepam cannot be completed: diazepam cannot be given at a higher dose with the products and tablets per dose. The rest of {substance} is tapered on its own after diazepam.";
    N_HIGH_DIAZEPAM: "Diazepam når {day} mg om dagen och {dose} mg i en dos, över gränsen {max_day} mg om dagen eller {max_dose} mg per dos. Förskrivaren bekräftar dosen särskilt vid signering.", "Diazepam reaches {day} mg a day and {dose} mg in one dose, above the limit of {max_day} mg a day or {max_dose} mg per dose. The prescriber confirms the dose separately when signing.";
    PHASE_CURRENT: "Nuvarande dos", "Current dose";
    PHASE_SWITCH: "Byte till diazepam", "Switch to diazepam";
    PHASE_TAPER: "Nedtrappning", "Taper";
    N_UNVERIFIED_RULES: "Standardvärden som inte är verifierade mot källan: {rules}.", "Defaults not verified against their source: {rules}.";
    RULE_SWITCH_PORTION: "portion per byte", "portion per switch";
    RULE_DZ_MAX_DAY: "högsta diazepamdos om dagen", "highest diazepam dose a day";
    RULE_DZ_MAX_DOSE: "högsta diazepamdos per tillfälle", "highest diazepam dose at one time";
    RULE_BZD_PERCENT: "steg för bensodiazepiner och z-läkemedel", "step for benzodiazepines and Z-drugs";
    RULE_BZD_WEEKS: "veckor mellan steg för bensodiazepiner och z-läkemedel", "weeks between steps for benzodiazepines and Z-drugs";
    RULE_OPIOID_PERCENT: "steg för opioider", "step for opioids";
    RULE_OPIOID_WEEKS: "veckor mellan steg för opioider", "weeks between steps for opioids";
    RULE_GABA_PERCENT: "steg för gabapentinoider", "step for gabapentinoids";
    RULE_GABA_WEEKS: "veckor mellan steg för gabapentinoider", "weeks between steps for gabapentinoids";
    N_PRODUCTS_USED: "Planen ger {substance} med {products}.", "The plan gives {substance} as {products}.";
    N_CLASS_PACE: "Takten är klassens standard: {percent} % av dosen per {interval} ({source}).", "The pace is the class's default: {percent} % of the dose per {interval} ({source}).";
    RULE_DZ_ONE_DOSE: "diazepam som en enda dos upp till", "diazepam as a single dose up to";
    N_STOPPED: "{substance} sätts ut.", "{substance} is stopped.";
    N_TARGET: "Måldosen för {substance} är nådd och behålls.", "The target dose of {substance} is reached and kept.";
    N_HOLD: "Dosen behålls {weeks} till: {reason}", "The dose is kept {weeks} more: {reason}";
    N_STEP_BACK: "Tillbaka till tidigare dos, signerat av {by}: {reason}", "Back to an earlier dose, signed by {by}: {reason}";
    N_EDITED: "Ändrat för hand av {by}: {reason}", "Changed by hand by {by}: {reason}";
    N_SLOWED: "Resten av planen går långsammare: {reason}", "The rest of the plan is slower: {reason}";

    BAND_NONE: "inga betydande symtom", "no significant symptoms";
    BAND_MILD: "lindriga symtom", "mild symptoms";
    BAND_MODERATE: "måttliga symtom", "moderate symptoms";
    BAND_SEVERE: "svåra symtom", "severe symptoms";
    R_TOLERATED: "Steget tolereras: skattningarna visar inga eller lindriga symtom.", "The step is tolerated: scores show no or mild symptoms.";
    R_SCORE: "{instrument}: {band}.", "{instrument}: {band}.";
    R_PERSISTENT: "Måttliga symtom även vid förra skattningen.", "Moderate symptoms at the previous score too.";
    R_FLAG: "Rapporterat: {flag}.", "Reported: {flag}.";
    R_NOTHING_NEW: "Inga nya skattningar sedan planen signerades.", "No new scores since the plan was signed.";
    R_NO_SCORES: "Ingen skattning sedan steget började; skatta innan nästa sänkning.", "No score since the step began; score before the next reduction.";
    F_SEIZURE: "krampanfall", "seizure";
    F_SUICIDAL: "suicidtankar", "suicidal thoughts";
    F_CONFUSION: "förvirring eller hallucinationer", "confusion or hallucinations";
    F_OVERDOSE: "överdos eller berusning", "overdose or intoxication";
    F_FALL: "fall med skada", "fall with injury";
    F_BEYOND: "intag utöver ordination", "use beyond the prescription";
    F_PAUSE: "patienten vill pausa", "the patient asks to pause";

    TIME_MORNING: "på morgonen", "in the morning";
    TIME_NOON: "mitt på dagen", "at midday";
    TIME_EVENING: "på kvällen", "in the evening";
    TIME_NIGHT: "till natten", "at bedtime";
    COL_MORNING: "Morgon", "Morning";
    COL_NOON: "Middag", "Midday";
    COL_EVENING: "Kväll", "Evening";
    COL_NIGHT: "Natt", "Night";
    UNIT_TABLET: "tablett", "tablet";
    UNIT_TABLETS: "tabletter", "tablets";
    UNIT_CAPSULE: "kapsel", "capsule";
    UNIT_CAPSULES: "kapslar", "capsules";
    UNIT_PATCH: "plåster", "patch";
    UNIT_PATCHES: "plåster", "patches";
    UNIT_DROP: "droppe", "drop";
    UNIT_DROPS: "droppar", "drops";
    UNIT_ML: "ml", "ml";
    PATCH_WORN: "bärs hela tiden och byts efter {hours}", "worn all the time and changed after {hours}";
    NO_DOSE: "ingen dos", "no dose";
    STOPPED: "slutat", "stopped";

    H_TITLE: "Din nedtrappningsplan", "Your tapering plan";
    H_INTRO: "Planen visar hur du steg för steg minskar dosen. Ta din dos varje dag som tabellen visar. Minska aldrig snabbare än planen, och hoppa inte över dagar.", "The plan shows how you reduce your dose step by step. Take your dose every day as the table shows. Never reduce faster than the plan, and do not skip days.";
    H_CONTACT: "Om du mår sämre: hör av dig till din sjuksköterska. Planen kan pausas – det är vanligt och helt i sin ordning.", "If you feel worse: contact your nurse. The plan can be paused – that is common and perfectly fine.";
    H_URGENT: "Ring 112 vid kramper, förvirring eller tankar på att skada dig själv.", "Call 112 for seizures, confusion or thoughts of harming yourself.";
    H_NOW: "Din dos i dag", "Your dose today";
    H_STEPS: "Steg för steg", "Step by step";
    H_WEEKS: "Vecka för vecka", "Week by week";
    H_CALENDAR: "Kalender", "Calendar";
    H_STEP: "Steg", "Step";
    H_FROM: "Från", "From";
    H_TO: "Till", "To";
    H_WEEK: "Vecka", "Week";
    H_DATES: "Datum", "Dates";
    H_DOSE: "Dos", "Dose";
    H_PER_DAY: "Per dygn", "Per day";
    H_CHANGE_DAY: "Ny dos denna dag", "New dose this day";
    H_ONWARDS: "och framåt", "onwards";
    H_FOR: "Plan för {name}", "Plan for {name}";
    H_PHONE: "Telefon till enheten: {phone}", "The unit's phone: {phone}";
    H_UNTIL: "till och med {date}", "until {date}";
    H_PLAN_VERSION: "Planen gäller när den är signerad av förskrivande läkare.", "The plan applies once signed by the prescribing physician.";
    H_STOP_DONE: "Klart – du har slutat med {drug}.", "Done – you have stopped {drug}.";
    H_CURRENT: "Nuvarande dos", "Current dose";
    WEEKDAYS: "mån tis ons tor fre lör sön", "Mon Tue Wed Thu Fri Sat Sun";
    MONTHS: "januari februari mars april maj juni juli augusti september oktober november december", "January February March April May June July August September October November December";

    ICS_NAME: "Nedtrappningsplan", "Tapering plan";
    ICS_SUMMARY: "Ny dos: {drugs}", "New dose: {drugs}";
    ICS_STOP: "Ingen mer {drug} från i dag", "No more {drug} from today";

    C_TITLE: "Dos över tid", "Dose over time";
    C_PLAN: "plan", "plan";
    C_IDEAL: "ideal kurva", "ideal curve";
    C_WEEKS: "veckor", "weeks";

    Q_PERIOD: "Period", "Period";
    Q_PRODUCT: "Produkt", "Product";
    Q_AMOUNT: "Mängd", "Amount";

    TBL_DATA: "Referensdata", "Reference data";
    TBL_START: "start", "start";
    TBL_TABLES: "tabeller", "tables";
    TBL_DAYS: "Dagar", "Days";
    TBL_NOW: "nu", "now";
    TBL_PER_DAY: "dygn", "day";

    LIST_SUBSTANCES: "Substanser (id, namn, ATC, DDD mg [status]):", "Substances (id, name, ATC, DDD mg [status]):";
    LIST_PRODUCTS: "Produkter (id, namn, delbarhet, typ [status styrka/delning]):", "Products (id, name, divisibility, kind [status strength/split]):";
    LIST_TABLES: "Ekvivalenstabeller (* = standard):", "Equivalence tables (* = default):";
    LIST_DISABLED: "avstängd", "disabled";

    CLASS_BENZODIAZEPINE: "bensodiazepin", "benzodiazepine";
    CLASS_Z_DRUG: "z-läkemedel", "Z-drug";
    CLASS_OPIOID: "opioid", "opioid";
    CLASS_GABAPENTINOID: "gabapentinoid", "gabapentinoid";
    HALF_LIFE_SHORT: "kort", "short";
    HALF_LIFE_INTERMEDIATE: "medellång", "intermediate";
    HALF_LIFE_LONG: "lång", "long";
    FORM_TABLET: "tablett", "tablet";
    FORM_CAPSULE: "kapsel", "capsule";
    FORM_SUBLINGUAL: "resoriblett", "sublingual tablet";
    FORM_SOLUTION: "oral lösning", "oral solution";
    FORM_DROPS: "orala droppar", "oral drops";
    FORM_PATCH: "depotplåster", "patch";
    SPLIT_WHOLE: "delas inte", "not split";
    SPLIT_HALF: "halvor", "halves";
    SPLIT_QUARTER: "fjärdedelar", "quarters";
    ROUTE_ORAL: "oralt", "oral";
    ROUTE_SUBLINGUAL: "sublingualt", "sublingual";
    ROUTE_TRANSDERMAL: "plåster", "transdermal";
}
