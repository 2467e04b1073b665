-- provenant export schema, version 2 (docs/export.md): version 1 (v1.sql) and this, in that
-- order, make a new database; this alone upgrades a version 1 database in the export's own
-- transaction, so old and new databases have the same tables. Portable SQL, as v1.sql.

-- Production deployments apart from releases: `released` is the report's funnel stage (a
-- release or a production deployment); `deployed` counts only the lines that reached a
-- production deployment (`--deployments`), NULL when the export was given no deployments.
ALTER TABLE provenant_commit_rows ADD COLUMN deployed BIGINT;
ALTER TABLE provenant_commit_rows ADD COLUMN deployed_at TEXT;

UPDATE provenant_schema SET version = 2;
