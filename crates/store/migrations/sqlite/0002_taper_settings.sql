-- A unit's choices over the taper engine's reference data (products disabled or added,
-- default equivalence tables, ED50 overrides) as JSON, in append-only versions: who
-- changed what, when and why is never lost.
CREATE TABLE taper_settings (
    unit_id BLOB NOT NULL REFERENCES units(id),
    version BIGINT NOT NULL,
    settings TEXT NOT NULL,
    authored_by BLOB NOT NULL REFERENCES accounts(id),
    authored_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (unit_id, version)
);
CREATE TRIGGER taper_settings_no_update BEFORE UPDATE ON taper_settings
BEGIN
    SELECT RAISE(ABORT, 'taper_settings is append-only');
END;
CREATE TRIGGER taper_settings_no_delete BEFORE DELETE ON taper_settings
BEGIN
    SELECT RAISE(ABORT, 'taper_settings is append-only');
END;
