//! The catalogue's messages about access, accounts and input limits (the security
//! rules of docs/security.md), Swedish first.

use trappa_i18n::catalogue;

catalogue! {
    struct S;
    OIDC_FAILED: "Inloggningen gick inte att slutföra", "The sign-in could not be completed";
    OIDC_FAILED_DETAIL: "Inloggningen hos e-legitimationen avbröts eller tog för lång tid. Börja om från inloggningssidan.", "The sign-in with the e-ID was interrupted or took too long. Start again from the sign-in page.";
    LOGIN_SITHS: "Logga in med SITHS-kort", "Sign in with a SITHS card";
    LOGIN_BANKID: "Logga in med BankID", "Sign in with BankID";
    LOGIN_STAFF_H: "Personal", "Staff";
    LOGIN_PATIENT_H: "Patient", "Patient";
    LOGIN_PASSWORD_H: "Med användarnamn och lösenord", "With username and password";
    ERR_TOO_LARGE: "Det som skickades är för stort", "What was sent is too large";
    ERR_TOO_LARGE_DETAIL: "Förfrågan är större än Trappa tar emot (2 MiB). Inget har sparats.", "The request is larger than Trappa accepts (2 MiB). Nothing was saved.";
    ERR_UNAVAILABLE: "Trappa når inte sin databas just nu", "Trappa cannot reach its database just now";
    ERR_UNAVAILABLE_DETAIL: "Försök igen om en stund. Om du just skickade något: se efter att det finns med när sidan går att nå igen.", "Try again in a moment. If you had just sent something, check that it is there once the page can be reached again.";
    ERR_DISK_FULL: "Trappa kan inte spara just nu", "Trappa cannot save just now";
    ERR_DISK_FULL_DETAIL: "Servern har inte plats kvar att spara på, så det du skickade sparades inte. Journalen visas inte heller, eftersom varje läsning måste loggas. Driften behöver frigöra utrymme; inget som redan sparats går förlorat.", "The server has no space left to save to, so what you sent was not saved. The record is not shown either, since every read must be logged. Operations need to free space; nothing already saved is lost.";
    ERR_MEDIA_TYPE: "Fel format på det som skickades", "Wrong format of what was sent";
    ERR_MEDIA_TYPE_DETAIL: "API:t tar emot JSON (Content-Type: application/json) och sidorna formulär. Inget har sparats.", "The API accepts JSON (Content-Type: application/json) and the pages accept forms. Nothing was saved.";
    SETUP_ERR_TOO_MANY: "Det finns redan {max} sådana rader. Ta bort gamla innan du lägger till nya.", "There are already {max} such rows. Remove old ones before adding new ones.";
    TAPER_ERR_UNSAFE: "Motorn kunde inte ta fram en plan som håller säkerhetsreglerna, så ingen plan visas. Ändra uppgifterna, eller kontakta support och ange incident-id {id}.", "The engine could not make a plan that keeps the safety rules, so no plan is shown. Change the input, or contact support quoting incident id {id}.";
    ERR_TOO_MANY: "Högst {max} får skickas.", "At most {max} may be sent.";
    ADDRESS_WITHHELD_HINT: "Patienten har skyddad identitet: adressen visas inte. Lämna adressfälten tomma så behålls den, eller skriv en ny adress.", "The patient has protected identity: the address is not shown. Leave the address fields empty to keep it, or write a new address.";
    LETTER_FORWARDING: "Skyddad identitet – skickas via Skatteverkets postförmedling", "Protected identity – sent through the Swedish Tax Agency's mail forwarding";
    LETTER_FORWARDING_HOW: "Lägg brevet i ett förslutet kuvert märkt med mottagarens namn och personnummer och med enhetens adress på baksidan, och skicka det i ett ytterkuvert till: Skatteverket, Box 2820, 403 20 Göteborg.", "Put the letter in a sealed envelope marked with the recipient's name and personal identity number and the unit's address on the back, and send it in an outer envelope to: Skatteverket, Box 2820, 403 20 Göteborg.";
    BASIS_COORDINATION: "Samordning (vårdteamets bemanning)", "Coordination (staffing the care team)";
    BASIS_PARTNER_CONSENT: "Samtycke (samordnad individuell plan med samverkanspartner)", "Consent (coordinated individual plan with a partner)";
    DECISION_SAVED: "Beslutet är sparat och svaret skickat till remittenten. Patienten står nu på väntelistan.", "The decision is saved and the reply sent to the referrer. The patient is now on the waiting list.";
    STAFF_LOCKED_TITLE: "Inloggningen är spärrad", "Sign-in is locked";
    STAFF_LOCKED_TEXT: "För många misslyckade inloggningar med det här användarnamnet. Spärren släpper av sig själv efter {duration}. Lås upp den nu bara om du vet att det är personen själv som har försökt, till exempel för att hen har ringt dig.", "Too many failed sign-ins with this username. The lock lifts by itself after {duration}. Unlock it now only if you know it was the person themselves who tried, for instance because they called you.";
    STAFF_UNLOCK: "Lås upp inloggningen", "Unlock sign-in";
    FLASH_SIGN_IN_UNLOCKED: "Spärren är hävd. Användarnamnet kan logga in igen.", "The lock is lifted. The username can sign in again.";
    FLASH_SIGN_IN_NOT_LOCKED: "Inloggningen var inte längre spärrad. Inget har ändrats.", "Sign-in was no longer locked. Nothing has changed.";
    STAFF_OWN_ROLES_HINT: "Det här är ditt eget konto: dina roller kan bara ändras av en annan administratör.", "This is your own account: only another administrator can change your roles.";
    ACTION_ROLE_SWITCH: "Rollbyte", "Role switch";
    NAV_ROLE_REVIEW: "Granska rolländringar", "Review role changes";
    START_ROLES_PENDING: "{n} rolländringar väntar på granskning.", "{n} role changes await review.";
    ROLE_REVIEW_TITLE: "Granska rolländringar", "Review role changes";
    ROLE_REVIEW_INTRO: "Varje roll som en administratör ger eller tar bort visas här, ogranskade först. Ingen kan ändra sina egna roller. All åtkomst under det första dygnet i en ny roll flaggas i loggen.", "Every role an administrator gives or takes away is shown here, unreviewed first. Nobody can change their own roles. All access during the first day in a new role is flagged in the log.";
    ROLE_REVIEW_EMPTY: "Inga rolländringar att visa.", "No role changes to show.";
    ROLE_GRANTED: "fick rollen", "was given the role";
    ROLE_REVOKED: "miste rollen", "lost the role";
    ROLE_CHANGED_BY: "Ändrad av", "Changed by";
    ROLE_CLINICAL: "Klinisk roll", "Clinical role";
    ROLE_CLINICAL_NOTE: "Ger åtkomst till patientuppgifter enligt vårdrelationen. Kontrollera att det finns ett beslut om medarbetaruppdraget.", "Gives access to patient data under the care relationship. Check that there is a decision on the assignment.";
    ROLE_WHAT_DONE: "Vad kontot har gjort", "What the account has done";
    ALERT_REFERRAL_IN_CARE: "Ny remiss {date} från {who}, fast patienten redan är aktuell hos enheten. Remittenten har fått samma mottagningsbekräftelse som för andra remisser – kontakta remittenten.", "A new referral on {date} from {who}, although the patient is already with the unit. The referrer got the same receipt as for any referral – contact the referrer.";
    ERR_SELF_REFERRAL_LIMIT_DETAIL: "Många egenremisser har skickats den senaste timmen. Vänta en timme och försök igen, eller ring din vårdcentral.", "Many self-referrals have been sent in the last hour. Wait an hour and try again, or call your health centre.";
}
