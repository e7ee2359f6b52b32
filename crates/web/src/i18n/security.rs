//! The catalogue's messages about access, accounts and input limits (the security
//! rules of docs/security.md), Swedish first.

use trappa_i18n::catalogue;

catalogue! {
    struct S;
    ERR_TOO_LARGE: "Det som skickades är för stort", "What was sent is too large";
    ERR_TOO_LARGE_DETAIL: "Förfrågan är större än Trappa tar emot (2 MiB). Inget har sparats.", "The request is larger than Trappa accepts (2 MiB). Nothing was saved.";
    ERR_MEDIA_TYPE: "Fel format på det som skickades", "Wrong format of what was sent";
    ERR_MEDIA_TYPE_DETAIL: "API:t tar emot JSON (Content-Type: application/json) och sidorna formulär. Inget har sparats.", "The API accepts JSON (Content-Type: application/json) and the pages accept forms. Nothing was saved.";
    WEEK_ERR_TOO_MANY_REQUESTS: "Veckan har redan {max} begärda besök. Ta bort något innan du lägger till fler.", "The week already holds {max} requested visits. Remove one before adding more.";
    SETUP_ERR_TOO_MANY: "Det finns redan {max} sådana rader. Ta bort gamla innan du lägger till nya.", "There are already {max} such rows. Remove old ones before adding new ones.";
    SEARCH_TOO_LONG: "Sökningen är för lång. Ange ett personnummer eller några ord av namnet.", "The search is too long. Give an identity number or a few words of the name.";
    TAPER_ERR_UNSAFE: "Motorn kunde inte ta fram en plan som håller säkerhetsreglerna, så ingen plan visas. Ändra uppgifterna, eller kontakta support och ange incident-id {id}.", "The engine could not make a plan that keeps the safety rules, so no plan is shown. Change the input, or contact support quoting incident id {id}.";
    ERR_TOO_MANY: "Högst {max} får skickas.", "At most {max} may be sent.";
    ADDRESS_WITHHELD_HINT: "Patienten har skyddad identitet: adressen visas inte. Lämna adressfälten tomma så behålls den, eller skriv en ny adress.", "The patient has protected identity: the address is not shown. Leave the address fields empty to keep it, or write a new address.";
    LETTER_FORWARDING: "Skyddad identitet – skickas via Skatteverkets postförmedling", "Protected identity – sent through the Swedish Tax Agency's mail forwarding";
    LETTER_FORWARDING_HOW: "Lägg brevet i ett förslutet kuvert märkt med mottagarens namn och personnummer och med enhetens adress på baksidan, och skicka det i ett ytterkuvert till: Skatteverket, Box 2820, 403 20 Göteborg.", "Put the letter in a sealed envelope marked with the recipient's name and personal identity number and the unit's address on the back, and send it in an outer envelope to: Skatteverket, Box 2820, 403 20 Göteborg.";
    ERR_SELF_REFERRAL_LIMIT_DETAIL: "Många egenremisser har skickats den senaste timmen. Vänta en timme och försök igen, eller ring din vårdcentral.", "Many self-referrals have been sent in the last hour. Wait an hour and try again, or call your health centre.";
}
