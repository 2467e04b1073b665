-- provenant export schema, version 1 (docs/export.md). Portable SQL: the same text runs on
-- SQLite and PostgreSQL (plain tables of TEXT, INTEGER, BIGINT and DOUBLE PRECISION; views of
-- SUM, CASE and GROUP BY). `commit` is quoted: SQLite reserves the word.
-- Every row carries its repository: many repositories load into one database, and
-- `provenant export --to` replaces one repository's rows in one transaction.

CREATE TABLE provenant_schema (
    version INTEGER NOT NULL
);

-- One row per exported repository: when, and the options its numbers were counted with.
CREATE TABLE provenant_repos (
    repo TEXT NOT NULL PRIMARY KEY,
    exported_at TEXT NOT NULL,
    main_commit TEXT,
    at_commit TEXT,
    survival_days INTEGER NOT NULL,
    rework_days INTEGER NOT NULL,
    prices TEXT
);

-- One row per (commit, path, class, origin) of added lines; and one per (commit, origin)
-- with path and class NULL for the origin's spend (tokens, cost, generated lines).
CREATE TABLE provenant_commit_rows (
    repo TEXT NOT NULL,
    "commit" TEXT NOT NULL,
    time BIGINT NOT NULL,
    date TEXT NOT NULL,
    month TEXT NOT NULL,
    author TEXT NOT NULL,
    team TEXT,
    path TEXT,
    class TEXT,
    tool TEXT,
    model TEXT,
    session TEXT,
    lines BIGINT NOT NULL,
    merged BIGINT NOT NULL,
    merged_at TEXT,
    released BIGINT NOT NULL,
    released_at TEXT,
    alive BIGINT NOT NULL,
    rewritten_before_merge BIGINT NOT NULL,
    survival_eligible BIGINT NOT NULL,
    survival_alive BIGINT NOT NULL,
    generated BIGINT NOT NULL,
    input BIGINT NOT NULL,
    output BIGINT NOT NULL,
    cache_read BIGINT NOT NULL,
    cache_write_5m BIGINT NOT NULL,
    cache_write_1h BIGINT NOT NULL,
    cost_usd DOUBLE PRECISION NOT NULL,
    uncommitted_cost_usd DOUBLE PRECISION NOT NULL
);
CREATE INDEX provenant_commit_rows_repo ON provenant_commit_rows (repo);

-- One row per run of lines with the same birth, path, class, origin and fate.
CREATE TABLE provenant_fate_rows (
    repo TEXT NOT NULL,
    "commit" TEXT NOT NULL,
    born_at TEXT NOT NULL,
    month TEXT NOT NULL,
    author TEXT NOT NULL,
    team TEXT,
    path TEXT,
    class TEXT NOT NULL,
    tool TEXT,
    model TEXT,
    session TEXT,
    lines BIGINT NOT NULL,
    merged_at TEXT,
    ended_commit TEXT,
    ended_at TEXT,
    ended_by TEXT,
    end_by TEXT,
    alive INTEGER NOT NULL,
    reworked INTEGER NOT NULL
);
CREATE INDEX provenant_fate_rows_repo ON provenant_fate_rows (repo);

-- The report's funnel (AI lines), by repository, tool, model, team and month.
CREATE VIEW provenant_funnel AS
SELECT repo, tool, model, team, month,
       SUM(generated) AS generated,
       SUM(CASE WHEN class IN ('ai', 'ai_modified') THEN lines ELSE 0 END) AS committed,
       SUM(CASE WHEN class IN ('ai', 'ai_modified') THEN merged ELSE 0 END) AS merged,
       SUM(CASE WHEN class IN ('ai', 'ai_modified') THEN released ELSE 0 END) AS released,
       SUM(CASE WHEN class IN ('ai', 'ai_modified') THEN alive ELSE 0 END) AS alive,
       SUM(CASE WHEN class IN ('ai', 'ai_modified') THEN rewritten_before_merge ELSE 0 END)
           AS rewritten_before_merge
FROM provenant_commit_rows
GROUP BY repo, tool, model, team, month;

-- Survival at the export's horizon: AI lines (eligible, alive) and human + paste lines.
CREATE VIEW provenant_survival AS
SELECT c.repo, c.tool, c.model, c.team, c.month, r.survival_days AS days,
       SUM(CASE WHEN c.class IN ('ai', 'ai_modified') THEN c.survival_eligible ELSE 0 END)
           AS eligible,
       SUM(CASE WHEN c.class IN ('ai', 'ai_modified') THEN c.survival_alive ELSE 0 END)
           AS alive,
       SUM(CASE WHEN c.class IN ('human', 'paste') THEN c.survival_eligible ELSE 0 END)
           AS human_eligible,
       SUM(CASE WHEN c.class IN ('human', 'paste') THEN c.survival_alive ELSE 0 END)
           AS human_alive
FROM provenant_commit_rows c
JOIN provenant_repos r ON r.repo = c.repo
WHERE c.path IS NOT NULL
GROUP BY c.repo, c.tool, c.model, c.team, c.month, r.survival_days;

-- Rework: lines changed or deleted within the export's window of their merge, by the
-- reworked line's class (from_class) and the class that replaced it (to_class).
CREATE VIEW provenant_rework AS
SELECT f.repo, f.tool, f.model, f.team, f.month, r.rework_days AS days,
       f.class AS from_class, f.end_by AS to_class, SUM(f.lines) AS lines
FROM provenant_fate_rows f
JOIN provenant_repos r ON r.repo = f.repo
WHERE f.reworked = 1
GROUP BY f.repo, f.tool, f.model, f.team, f.month, r.rework_days, f.class, f.end_by;

-- Spend: tokens and list-price cost, and the cost per committed, merged and alive AI line.
CREATE VIEW provenant_spend AS
SELECT repo, tool, model, team, month,
       SUM(input) AS input,
       SUM(output) AS output,
       SUM(cache_read) AS cache_read,
       SUM(cache_write_5m) AS cache_write_5m,
       SUM(cache_write_1h) AS cache_write_1h,
       SUM(cost_usd) AS cost_usd,
       SUM(uncommitted_cost_usd) AS uncommitted_cost_usd,
       CASE WHEN SUM(CASE WHEN class IN ('ai', 'ai_modified') THEN lines ELSE 0 END) > 0
            THEN SUM(cost_usd) / SUM(CASE WHEN class IN ('ai', 'ai_modified') THEN lines ELSE 0 END)
       END AS cost_per_committed_ai_line,
       CASE WHEN SUM(CASE WHEN class IN ('ai', 'ai_modified') THEN merged ELSE 0 END) > 0
            THEN SUM(cost_usd) / SUM(CASE WHEN class IN ('ai', 'ai_modified') THEN merged ELSE 0 END)
       END AS cost_per_merged_ai_line,
       CASE WHEN SUM(CASE WHEN class IN ('ai', 'ai_modified') THEN alive ELSE 0 END) > 0
            THEN SUM(cost_usd) / SUM(CASE WHEN class IN ('ai', 'ai_modified') THEN alive ELSE 0 END)
       END AS cost_per_alive_ai_line
FROM provenant_commit_rows
GROUP BY repo, tool, model, team, month;

INSERT INTO provenant_schema (version) VALUES (1);
