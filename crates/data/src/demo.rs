//! The synthetic demo data set: staff of every role and about two hundred patients.
//!
//! Every patient is a synthetic test person (`synthetic = true`, shown with a
//! "Testperson" tag): identity numbers have valid check digits and real dates but are
//! generated, not taken from anyone. The age and sex mix follows the patient group
//! (long-term users of benzodiazepines and similar drugs are mostly women, mostly in
//! middle and older age; Läkartidningen 2024 in the reference collection). Generation is
//! seeded, so every run makes the same people, and loading twice adds nothing.

use jiff::civil::Date;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use trappa_ident::{IdKind, PersonalIdentity};
use trappa_policy::{AccessBasis, Role};
use trappa_store::access_log::{Action, Actor, NewEntry};
use trappa_store::accounts::NewAccount;
use trappa_store::patients::{Address, PatientData, PostalAddress};
use trappa_store::units::UnitKind;
use trappa_store::{Store, Uuid};

use crate::demo_path::{DemoStage, stage_of};

/// The password of every demo account (documented in the README).
pub const DEMO_PASSWORD: &str = "trappa-demo-2026";

/// The authenticator-app key (base32, 160 bits) of every demo account whose role acts
/// only with two factors ([`trappa_policy::needs_second_factor`]: the administrator),
/// documented in the README. A demo key is public like the demo password: no real
/// installation loads the demo.
pub const DEMO_TOTP_SECRET: &str = "TRAPPADEMOADMINTOTPSECRETTWOZERO";

/// How many synthetic patients the demo holds: every stage of the path today.
pub const DEMO_PATIENTS: usize = 200;

/// How many more the full demo (`serve --demo`) holds: patients who went through the
/// whole path over the last two and a half years, so the board's follow-up shows two
/// years of history. The test servers load the compact demo (fast to start); the load
/// test loads the full one.
pub const DEMO_HISTORY_PATIENTS: usize = 150;

/// How much of the demo to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoSize {
    /// [`DEMO_PATIENTS`]: every stage of the path as it is today.
    Compact,
    /// Those and [`DEMO_HISTORY_PATIENTS`] more with two years of history.
    WithHistory,
    /// Those and this many more with a history, for a benchmark at scale: their
    /// histories repeat the timing of the [`DEMO_HISTORY_PATIENTS`] in turn.
    Histories(usize),
}

impl DemoSize {
    /// The number of patients.
    pub fn patients(self) -> usize {
        match self {
            DemoSize::Compact => DEMO_PATIENTS,
            DemoSize::WithHistory => DEMO_PATIENTS + DEMO_HISTORY_PATIENTS,
            DemoSize::Histories(n) => DEMO_PATIENTS + n,
        }
    }
}

/// A demo account.
pub struct DemoAccount {
    /// Login name.
    pub username: &'static str,
    /// Display name.
    pub display_name: &'static str,
    /// Profession.
    pub profession: &'static str,
    /// Roles, the first one active at sign-in.
    pub roles: &'static [Role],
    /// For partners' staff: their organisation's code (the account has no unit).
    pub partner: Option<&'static str>,
}

/// The demo staff: every role at least once.
pub const DEMO_STAFF: &[DemoAccount] = &[
    DemoAccount {
        username: "sjukskoterska",
        display_name: "Sara Lindqvist",
        profession: "Sjuksköterska",
        roles: &[Role::Nurse],
        partner: None,
    },
    DemoAccount {
        username: "sjukskoterska2",
        display_name: "Johan Berg",
        profession: "Sjuksköterska",
        roles: &[Role::Nurse],
        partner: None,
    },
    DemoAccount {
        username: "lakare",
        display_name: "Maria Ek",
        profession: "Specialistläkare i psykiatri",
        roles: &[Role::Physician],
        partner: None,
    },
    DemoAccount {
        username: "kurator",
        display_name: "Emma Holm",
        profession: "Kurator",
        roles: &[Role::Psychologist],
        partner: None,
    },
    DemoAccount {
        username: "fysioterapeut",
        display_name: "Ali Hassan",
        profession: "Fysioterapeut",
        roles: &[Role::Physiotherapist],
        partner: None,
    },
    DemoAccount {
        username: "koordinator",
        display_name: "Karin Nyström",
        profession: "Vårdadministratör",
        roles: &[Role::Coordinator],
        partner: None,
    },
    DemoAccount {
        username: "chef",
        display_name: "Peter Sandberg",
        profession: "Verksamhetschef",
        roles: &[Role::Coordinator, Role::UnitManager],
        partner: None,
    },
    DemoAccount {
        username: "analytiker",
        display_name: "Lena Ström",
        profession: "Verksamhetsutvecklare",
        roles: &[Role::Analyst],
        partner: None,
    },
    DemoAccount {
        username: "granskare",
        display_name: "Anders Wik",
        profession: "Informationssäkerhetssamordnare",
        roles: &[Role::Auditor],
        partner: None,
    },
    DemoAccount {
        username: "admin",
        display_name: "Systemadministratör",
        profession: "IT",
        roles: &[Role::Admin],
        partner: None,
    },
    DemoAccount {
        username: "remittent",
        display_name: "Eva Dahl",
        profession: "Distriktsläkare",
        roles: &[Role::ExternalReferrer],
        partner: None,
    },
    DemoAccount {
        username: "socialsekreterare",
        display_name: "Lina Sjöberg",
        profession: "Socialsekreterare",
        roles: &[Role::Partner],
        partner: Some(LILLA_EDET_SOCIAL_SERVICES),
    },
    DemoAccount {
        username: "smartteam",
        display_name: "Omar Khalil",
        profession: "Fysioterapeut, smärtteam",
        roles: &[Role::Partner],
        partner: Some(DEMO_PAIN_TEAM),
    },
    DemoAccount {
        username: "psykiatri",
        display_name: "Helena Roos",
        profession: "Sjuksköterska, psykiatrisk mottagning",
        roles: &[Role::Partner],
        partner: Some(DEMO_PSYCHIATRY),
    },
];

/// Lilla Edet's social services (reference data: every municipality has one).
pub const LILLA_EDET_SOCIAL_SERVICES: &str = "partner:social_services:1462";
/// The demo's level-2 pain team (made up, hosted by a vårdcentral in the data).
pub const DEMO_PAIN_TEAM: &str = "partner:demo:pain_team";
/// The demo's psychiatric clinic (made up).
pub const DEMO_PSYCHIATRY: &str = "partner:demo:psychiatry";

/// The demo's made-up partner organisations besides the municipalities' social
/// services (which are reference data): a level-2 pain team at the first vårdcentral in
/// Trollhättan and a psychiatric clinic.
async fn demo_partner_organisations(
    store: &Store,
    health_centres: &[(Uuid, String)],
) -> anyhow::Result<()> {
    use trappa_store::partners::{NewPartnerOrganisation, PartnerKind};
    let host = health_centres
        .iter()
        .find(|(_, m)| m == "Trollhättan")
        .map(|(id, _)| *id);
    for (kind, code, name, level) in [
        (
            PartnerKind::PainTeam,
            DEMO_PAIN_TEAM,
            "Smärtteamet i primärvården, Trollhättan",
            Some(2),
        ),
        (
            PartnerKind::Psychiatry,
            DEMO_PSYCHIATRY,
            "Vuxenpsykiatriska mottagningen, Trollhättan",
            None,
        ),
    ] {
        store
            .ensure_partner_organisation(&NewPartnerOrganisation {
                kind,
                code: code.into(),
                name: name.into(),
                pain_level: level,
                kommunkod: Some("1488".into()),
                host_unit_id: if level.is_some() { host } else { None },
                phone: None,
                source: "Demodata: påhittad organisation".into(),
            })
            .await?;
    }
    Ok(())
}

/// The username of the demo patient account: the one tapering, which the tests use.
pub const DEMO_PATIENT_USERNAME: &str = "patient";

/// A demo patient who signs in to Mina sidor.
#[derive(Debug, Clone, Copy)]
pub struct PortalLogin {
    /// Login name.
    pub username: &'static str,
    /// Where on the path: the first demo patient at this stage gets the login.
    pub stage: DemoStage,
}

/// The demo's patient logins, one per stage a patient lives through with the portal:
/// tapering (with a fortnight of diary and a message waiting), assessed and waiting
/// for a plan, and in aftercare after stopping. The README lists them.
pub const DEMO_PORTAL_LOGINS: &[PortalLogin] = &[
    PortalLogin {
        username: DEMO_PATIENT_USERNAME,
        stage: DemoStage::Taper,
    },
    PortalLogin {
        username: "patient-bedomd",
        stage: DemoStage::Assessment,
    },
    PortalLogin {
        username: "patient-eftervard",
        stage: DemoStage::Aftercare,
    },
];

const WOMEN: &[&str] = &[
    "Anna",
    "Eva",
    "Maria",
    "Karin",
    "Kristina",
    "Lena",
    "Kerstin",
    "Ingrid",
    "Marie",
    "Birgitta",
    "Elisabeth",
    "Margareta",
    "Inger",
    "Sara",
    "Linnéa",
    "Åsa",
    "Ulla",
    "Gunilla",
    "Annika",
    "Monica",
    "Susanne",
    "Helena",
    "Camilla",
    "Malin",
    "Jenny",
    "Ylva",
    "Britt",
    "Gun",
    "Agneta",
    "Maj-Britt",
];
const MEN: &[&str] = &[
    "Lars", "Anders", "Johan", "Per", "Karl", "Erik", "Mikael", "Peter", "Jan", "Hans", "Bengt",
    "Bo", "Göran", "Stefan", "Thomas", "Mats", "Åke", "Leif", "Kjell", "Sven", "Ali", "Mohammed",
    "Björn", "Jörgen", "Ulf",
];
const FAMILY: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Jakobsson",
    "Magnusson",
    "Olofsson",
    "Lindström",
    "Lindqvist",
    "Lindgren",
    "Berg",
    "Axelsson",
    "Bergström",
    "Lundberg",
    "Lind",
    "Lundgren",
    "Lundqvist",
    "Mattsson",
    "Berglund",
    "Fredriksson",
    "Sandberg",
    "Henriksson",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Eklund",
    "Danielsson",
    "Håkansson",
    "Öberg",
    "Åberg",
    "Ali",
    "Hussein",
];
const STREETS: &[&str] = &[
    "Storgatan",
    "Kyrkogatan",
    "Skolgatan",
    "Järnvägsgatan",
    "Södra vägen",
    "Björkvägen",
    "Ekvägen",
    "Tallstigen",
    "Ängsvägen",
    "Älvgatan",
    "Hamngatan",
    "Drottninggatan",
    "Parkvägen",
    "Solrosvägen",
];

/// Age bands with weights (per cent), tilted to middle and older age.
const AGE_BANDS: &[(i16, i16, u32)] = &[
    (20, 34, 10),
    (35, 49, 20),
    (50, 64, 32),
    (65, 79, 28),
    (80, 92, 10),
];

fn pick<'a, T>(rng: &mut StdRng, list: &'a [T]) -> &'a T {
    &list[rng.random_range(0..list.len())]
}

fn age(rng: &mut StdRng) -> i16 {
    let mut roll = rng.random_range(0..100u32);
    for &(lo, hi, w) in AGE_BANDS {
        if roll < w {
            return rng.random_range(lo..=hi);
        }
        roll -= w;
    }
    55
}

/// One generated person.
pub struct SyntheticPerson {
    /// The identity data.
    pub data: PatientData,
    /// Index in the generated list.
    pub index: usize,
}

/// The date ages are counted from, fixed so the same people are made on every day.
pub const DEMO_EPOCH: Date = jiff::civil::date(2026, 1, 1);

/// Generates the demo patients, the same ones on every run. Home units are drawn from
/// `health_centres`.
pub fn synthetic_patients(health_centres: &[(Uuid, String)], n: usize) -> Vec<SyntheticPerson> {
    let today = DEMO_EPOCH;
    let mut rng = StdRng::seed_from_u64(0x7472_6170_7061);
    let mut taken = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let index = out.len();
        let female = rng.random_range(0..100) < 65;
        let years = age(&mut rng);
        let birth = today
            .checked_sub(
                jiff::Span::new()
                    .years(years)
                    .days(rng.random_range(0..365)),
            )
            .unwrap_or(today);
        let individual: u16 = {
            let base = rng.random_range(1..500u16) * 2;
            if female { base } else { base - 1 }
        };
        // A few people have a samordningsnummer (never folkbokförda).
        let kind = if index % 67 == 5 {
            IdKind::Samordningsnummer
        } else {
            IdKind::Personnummer
        };
        let Some(pid) = PersonalIdentity::from_parts(birth, individual, kind) else {
            continue;
        };
        if !taken.insert(pid.canonical()) {
            continue;
        }
        let given = if female {
            *pick(&mut rng, WOMEN)
        } else {
            *pick(&mut rng, MEN)
        };
        let family = *pick(&mut rng, FAMILY);
        let (home_unit_id, city) = if health_centres.is_empty() {
            (None, "Lilla Edet".to_owned())
        } else {
            let (id, municipality) = pick(&mut rng, health_centres);
            (Some(*id), municipality.clone())
        };
        let phone = format!(
            "07{}-{:03} {:02} {:02}",
            rng.random_range(0..10),
            rng.random_range(0..1000),
            rng.random_range(0..100),
            rng.random_range(0..100)
        );
        let postal = rng.random_range(40000..55000u32);
        out.push(SyntheticPerson {
            index,
            data: PatientData {
                personal_identity: pid,
                given_name: given.to_owned(),
                family_name: family.to_owned(),
                phone: Some(phone),
                email: None,
                address: Address::Known(PostalAddress {
                    street: Some(format!(
                        "{} {}",
                        pick(&mut rng, STREETS),
                        rng.random_range(1..80)
                    )),
                    postal_code: Some(format!("{} {:02}", postal / 100, postal % 100)),
                    city: Some(city),
                }),
                home_unit_id,
                protected_identity: index % 97 == 13,
                synthetic: true,
            },
        });
    }
    out
}

/// What a demo load did.
#[derive(Debug, Default, Clone, Copy)]
pub struct DemoCounts {
    /// Accounts created.
    pub accounts: usize,
    /// Patients created.
    pub patients: usize,
    /// Taper plans created.
    pub plans: usize,
}

fn seed_actor(id: Uuid, username: &str, role: Role, unit: Uuid) -> Actor {
    Actor {
        account_id: Some(id),
        username: username.to_owned(),
        role: Some(role.code().to_owned()),
        unit_id: Some(unit),
        request_id: "demo-load".to_owned(),
        client_ip: None,
        new_role: false,
    }
}

/// Loads the demo data of `size`. `password_hash` is the argon2id hash of
/// [`DEMO_PASSWORD`]. The people are the same whatever the size (the larger demo adds
/// to the smaller), and a second load adds nothing.
pub async fn load(
    store: &Store,
    tapering_unit: Uuid,
    password_hash: &str,
    size: DemoSize,
) -> anyhow::Result<DemoCounts> {
    let mut counts = DemoCounts::default();
    let health_centres: Vec<(Uuid, String)> = store
        .units(UnitKind::Vardcentral)
        .await?
        .into_iter()
        .map(|u| (u.id, u.municipality_name.unwrap_or_default()))
        .collect();
    demo_partner_organisations(store, &health_centres).await?;
    let partners = store.partner_organisations().await?;
    let mut ids = std::collections::HashMap::new();
    for (i, s) in DEMO_STAFF.iter().enumerate() {
        let id = match store.credentials(s.username).await? {
            Some(c) => c.account.id,
            None => {
                counts.accounts += 1;
                let partner_organisation_id = match s.partner {
                    Some(code) => Some(
                        partners
                            .iter()
                            .find(|o| o.code == code)
                            .map(|o| o.id)
                            .ok_or_else(|| anyhow::anyhow!("no partner organisation {code}"))?,
                    ),
                    None => None,
                };
                let unit_id = if s.roles == [Role::ExternalReferrer] {
                    health_centres.first().map(|(id, _)| *id)
                } else if partner_organisation_id.is_some() {
                    None
                } else {
                    Some(tapering_unit)
                };
                let id = store
                    .create_account(&NewAccount {
                        username: s.username.to_owned(),
                        display_name: s.display_name.to_owned(),
                        profession: Some(s.profession.to_owned()),
                        hsa_id: Some(format!("SE2321000131-E{:09}", 100 + i)),
                        unit_id,
                        patient_id: None,
                        partner_organisation_id,
                        roles: s.roles.to_vec(),
                        password_hash: password_hash.to_owned(),
                        created_by: None,
                    })
                    .await?;
                if s.roles
                    .iter()
                    .any(|&r| trappa_policy::needs_second_factor(r))
                {
                    store.set_totp_secret(id, Some(DEMO_TOTP_SECRET)).await?;
                }
                id
            }
        };
        ids.insert(s.username, id);
    }
    let id_of = |u: &str| {
        ids.get(u)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("demo account {u} missing"))
    };
    let coordinator = id_of("koordinator")?;
    let nurses = [id_of("sjukskoterska")?, id_of("sjukskoterska2")?];
    let physician = id_of("lakare")?;
    let kurator = id_of("kurator")?;
    let physio = id_of("fysioterapeut")?;

    let people = synthetic_patients(&health_centres, size.patients());
    // The engine's data and the instruments, parsed once for all the histories.
    let reference = trappa_taper::ReferenceData::builtin()?;
    let instruments = trappa_scales::Instruments::builtin()?;
    let referrer = id_of("remittent")?;
    let cast = crate::demo_path::Cast {
        store,
        reference: &reference,
        instruments: &instruments,
        coordinator,
        nurses,
        physician,
        kurator,
        physio,
        referrer: (referrer, health_centres.first().map(|(id, _)| *id)),
        unit: tapering_unit,
        // The unit's date, in Sweden, whatever the server's own zone.
        today: jiff::Timestamp::now()
            .to_zoned(
                jiff::tz::TimeZone::get("Europe/Stockholm").unwrap_or(jiff::tz::TimeZone::UTC),
            )
            .date(),
    };
    // The first patient of each stage that has a portal login: (stage, index, id, name).
    let mut portal_patients: Vec<(DemoStage, usize, Uuid, String)> = Vec::new();
    for p in &people {
        if store.identity_registered(&p.data.personal_identity).await? {
            continue;
        }
        let written = cast.history(&p.data, p.index).await?;
        counts.patients += 1;
        counts.plans += written.plans;
        let stage = stage_of(p.index);
        if DEMO_PORTAL_LOGINS.iter().any(|l| l.stage == stage)
            && !portal_patients.iter().any(|(s, ..)| *s == stage)
            && let Some(id) = store
                .patient_ids_by_identity(&p.data.personal_identity)
                .await?
                .first()
        {
            let name = format!("{} {}", p.data.given_name, p.data.family_name);
            portal_patients.push((stage, p.index, *id, name));
        }
    }
    // The portal logins with what each patient reported, and two emergency accesses
    // for the review queue — made only on the first load.
    for login in DEMO_PORTAL_LOGINS {
        let Some((stage, index, patient_id, name)) =
            portal_patients.iter().find(|(s, ..)| *s == login.stage)
        else {
            continue;
        };
        if store.credentials(login.username).await?.is_some() {
            continue;
        }
        let account = store
            .create_account(&NewAccount {
                username: login.username.to_owned(),
                display_name: name.clone(),
                profession: None,
                hsa_id: None,
                unit_id: None,
                patient_id: Some(*patient_id),
                partner_organisation_id: None,
                roles: vec![Role::Patient],
                password_hash: password_hash.to_owned(),
                created_by: None,
            })
            .await?;
        counts.accounts += 1;
        cast.portal_history(*stage, *index, *patient_id, (account, login.username))
            .await?;
        if *stage == DemoStage::Taper {
            emergency_access(store, nurses[1], tapering_unit, *patient_id).await?;
        }
    }
    // The portal patients' work with partners: a SIP at a different stage for each.
    let partner =
        |code: &str, username: &'static str| -> anyhow::Result<crate::demo_path::DemoPartner> {
            Ok(crate::demo_path::DemoPartner {
                organisation: partners
                    .iter()
                    .find(|o| o.code == code)
                    .map(|o| o.id)
                    .ok_or_else(|| anyhow::anyhow!("no partner organisation {code}"))?,
                staff: (id_of(username)?, username),
            })
        };
    let demo_partners = crate::demo_path::DemoPartners {
        social: partner(LILLA_EDET_SOCIAL_SERVICES, "socialsekreterare")?,
        pain: partner(DEMO_PAIN_TEAM, "smartteam")?,
        psychiatry: partner(DEMO_PSYCHIATRY, "psykiatri")?,
    };
    for (stage, index, patient_id, _) in &portal_patients {
        cast.partner_history(*stage, *index, *patient_id, &demo_partners)
            .await?;
    }
    Ok(counts)
}

/// A demo emergency access by the second nurse, for the auditor's review queue.
async fn emergency_access(
    store: &Store,
    nurse: Uuid,
    tapering_unit: Uuid,
    patient_id: Uuid,
) -> anyhow::Result<()> {
    let actor = seed_actor(nurse, "sjukskoterska2", Role::Nurse, tapering_unit);
    let expires = trappa_store::now()
        + jiff::SignedDuration::from_mins(trappa_policy::emergency::DURATION_MINUTES);
    let entry = NewEntry::new(&actor, Action::EmergencyAccess, "patient")
        .patient(patient_id)
        .basis(AccessBasis::Emergency)
        .flagged(true)
        .detail("demo data".to_owned());
    store
        .open_emergency_access(
            nurse,
            patient_id,
            Role::Nurse.code(),
            "Patienten ringde med akuta abstinensbesvär när fast vårdkontakt var ledig.",
            expires,
            &entry,
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use trappa_ident::Sex;

    #[test]
    fn synthetic_patients_are_valid_unique_adults_with_a_plausible_mix() {
        let today = date(2026, 11, 23);
        let people = synthetic_patients(&[], DEMO_PATIENTS);
        assert_eq!(people.len(), DEMO_PATIENTS);
        let mut seen = std::collections::HashSet::new();
        let mut women = 0;
        for p in &people {
            let pid = &p.data.personal_identity;
            // Valid by construction, and parses back from its stored form.
            assert_eq!(
                &PersonalIdentity::parse(&pid.canonical(), today).unwrap(),
                pid
            );
            assert!(seen.insert(pid.canonical()));
            assert!(pid.age_on(today) >= 18, "adults only");
            assert!(p.data.synthetic);
            if pid.sex() == Sex::Female {
                women += 1;
            }
        }
        assert!(
            (110..=150).contains(&women),
            "{women} women of {DEMO_PATIENTS}"
        );
        let ages: Vec<i16> = people
            .iter()
            .map(|p| p.data.personal_identity.age_on(today))
            .collect();
        let median = {
            let mut a = ages.clone();
            a.sort();
            a[a.len() / 2]
        };
        assert!((50..=66).contains(&median), "median age {median}");
        assert!(
            people
                .iter()
                .any(|p| p.data.personal_identity.kind() == IdKind::Samordningsnummer)
        );
        assert!(people.iter().any(|p| p.data.protected_identity));
        // Deterministic.
        let again = synthetic_patients(&[], DEMO_PATIENTS);
        assert!(people.iter().zip(&again).all(|(a, b)| a.data == b.data));
    }
}
