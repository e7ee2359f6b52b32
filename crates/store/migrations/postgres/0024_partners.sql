-- Working with partners (issue 19). Keep in step with ../sqlite/0024_partners.sql.
--
-- Partner organisations are outside the unit and usually outside its care provider:
-- municipal social services (under SoL, not PDL), psychiatry, addiction care and pain
-- teams at levels 2–4. Their staff sign in with accounts that name their organisation
-- and see only what a patient shared with it.
CREATE TABLE partner_organisations (
    id UUID PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('social_services', 'psychiatry', 'addiction_care', 'pain_team')),
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    pain_level BIGINT CHECK (pain_level IS NULL OR pain_level BETWEEN 2 AND 4),
    kommunkod TEXT,
    host_unit_id UUID REFERENCES units(id),
    phone TEXT,
    source TEXT NOT NULL
);

ALTER TABLE accounts ADD COLUMN partner_organisation_id UUID REFERENCES partner_organisations(id);

-- The patient's consent to share with a partner organisation (PDL 6 kap 3 §; SoL and
-- HSL for a SIP): who, what, from which date, and its withdrawal, as append-only
-- versions. The latest version is the one in force.
CREATE TABLE consents (
    id UUID NOT NULL,
    version BIGINT NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    organisation_id UUID NOT NULL REFERENCES partner_organisations(id),
    scope TEXT NOT NULL CHECK (scope IN ('sip')),
    given_on DATE NOT NULL,
    how TEXT NOT NULL CHECK (how IN ('oral', 'written', 'portal')),
    withdrawn BOOLEAN NOT NULL,
    authored_by UUID NOT NULL REFERENCES accounts(id),
    authored_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (id, version)
);
CREATE INDEX consents_patient ON consents (patient_id, organisation_id);
CREATE TRIGGER consents_no_change BEFORE UPDATE OR DELETE ON consents
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER consents_no_truncate BEFORE TRUNCATE ON consents
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

-- A coordinated individual plan (SIP, SoL 2 kap 7 §, HSL 16 kap 4 §): started when
-- someone sees the need; its content (meeting, participants, interventions and who is
-- responsible, what others do, the organisation holding the overall responsibility,
-- the follow-up date) as append-only versions; each version signed by the parties.
-- Kept apart from the journal: it is a shared document under several laws.
CREATE TABLE sips (
    id UUID PRIMARY KEY NOT NULL,
    patient_id UUID NOT NULL REFERENCES patients(id),
    need TEXT NOT NULL,
    started_by UUID NOT NULL REFERENCES accounts(id),
    started_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sips_patient ON sips (patient_id, started_at);
CREATE TRIGGER sips_no_change BEFORE UPDATE OR DELETE ON sips
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER sips_no_truncate BEFORE TRUNCATE ON sips
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

-- Each version's parties: the unit (organisation_id NULL) and the partner
-- organisations taking part. The content is one JSON document (`SipContent`); the
-- follow-up date is a column for the worklists.
CREATE TABLE sip_versions (
    sip_id UUID NOT NULL REFERENCES sips(id),
    version BIGINT NOT NULL,
    content TEXT NOT NULL,
    follow_up_on DATE,
    closed BOOLEAN NOT NULL,
    authored_by UUID NOT NULL REFERENCES accounts(id),
    authored_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (sip_id, version)
);
CREATE INDEX sip_versions_follow_up ON sip_versions (follow_up_on);
CREATE TRIGGER sip_versions_no_change BEFORE UPDATE OR DELETE ON sip_versions
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER sip_versions_no_truncate BEFORE TRUNCATE ON sip_versions
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

CREATE TABLE sip_parties (
    sip_id UUID NOT NULL REFERENCES sips(id),
    version BIGINT NOT NULL,
    organisation_id UUID REFERENCES partner_organisations(id),
    FOREIGN KEY (sip_id, version) REFERENCES sip_versions(sip_id, version)
);
CREATE UNIQUE INDEX sip_parties_once ON sip_parties (sip_id, version, COALESCE(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid));
CREATE INDEX sip_parties_organisation ON sip_parties (organisation_id, sip_id);
CREATE TRIGGER sip_parties_no_change BEFORE UPDATE OR DELETE ON sip_parties
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER sip_parties_no_truncate BEFORE TRUNCATE ON sip_parties
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

-- A party's signature on one version (organisation_id NULL: the unit).
CREATE TABLE sip_signatures (
    sip_id UUID NOT NULL REFERENCES sips(id),
    version BIGINT NOT NULL,
    organisation_id UUID REFERENCES partner_organisations(id),
    signed_by UUID NOT NULL REFERENCES accounts(id),
    signed_at TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (sip_id, version) REFERENCES sip_versions(sip_id, version)
);
CREATE UNIQUE INDEX sip_signatures_once ON sip_signatures (sip_id, version, COALESCE(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid));
CREATE TRIGGER sip_signatures_no_change BEFORE UPDATE OR DELETE ON sip_signatures
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER sip_signatures_no_truncate BEFORE TRUNCATE ON sip_signatures
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

-- A task of the plan for one organisation (NULL: the unit), and its status as
-- append-only events (the latest is the status).
CREATE TABLE sip_tasks (
    id UUID PRIMARY KEY NOT NULL,
    sip_id UUID NOT NULL REFERENCES sips(id),
    organisation_id UUID REFERENCES partner_organisations(id),
    description TEXT NOT NULL,
    due_on DATE,
    created_by UUID NOT NULL REFERENCES accounts(id),
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sip_tasks_sip ON sip_tasks (sip_id);
CREATE INDEX sip_tasks_organisation ON sip_tasks (organisation_id);
CREATE TRIGGER sip_tasks_no_change BEFORE UPDATE OR DELETE ON sip_tasks
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER sip_tasks_no_truncate BEFORE TRUNCATE ON sip_tasks
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();

CREATE TABLE sip_task_events (
    task_id UUID NOT NULL REFERENCES sip_tasks(id),
    seq BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
    note TEXT NOT NULL,
    authored_by UUID NOT NULL REFERENCES accounts(id),
    authored_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (task_id, seq)
);
CREATE TRIGGER sip_task_events_no_change BEFORE UPDATE OR DELETE ON sip_task_events
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER sip_task_events_no_truncate BEFORE TRUNCATE ON sip_task_events
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
