-- A unit's choices over the taper engine's reference data (products disabled or added,
-- default equivalence tables, ED50 overrides) as JSON, in append-only versions: who
-- changed what, when and why is never lost.
CREATE TABLE taper_settings (
    unit_id UUID NOT NULL REFERENCES units(id),
    version BIGINT NOT NULL,
    settings TEXT NOT NULL,
    authored_by UUID NOT NULL REFERENCES accounts(id),
    authored_at TIMESTAMPTZ NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (unit_id, version)
);
CREATE TRIGGER taper_settings_no_change BEFORE UPDATE OR DELETE ON taper_settings
    FOR EACH ROW EXECUTE FUNCTION trappa_refuse_change();
CREATE TRIGGER taper_settings_no_truncate BEFORE TRUNCATE ON taper_settings
    FOR EACH STATEMENT EXECUTE FUNCTION trappa_refuse_change();
