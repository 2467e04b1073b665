// The rows `provenant export` writes (docs/export.md): one per (commit, file, class, origin)
// with what became of those lines, one per (commit, origin) with its spend, and one per run of
// lines with its fate. Computed from the line fates with the report's own counting
// (analysis/line_facts.h), so every sum over the rows is the report's number.
#pragma once

#include "analysis/fates.h"
#include "analysis/metrics.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace provenant::exporting {

using Text = std::optional<std::string>; ///< nullopt: SQL NULL, JSON null, an empty CSV field

/// One (commit, path, class, origin) of added lines, or (path and class null) one origin's
/// spend in a commit: its tokens, cost and generated lines, once per origin, never per file.
struct CommitRowOut {
    std::string commit;
    int64_t time = 0;        ///< committer date, unix seconds
    std::string date, month; ///< committer date: ISO 8601 UTC, YYYY-MM
    std::string author;      ///< author email
    Text team, path, cls, tool, model, session;
    uint64_t lines = 0;    ///< non-blank lines added
    uint64_t merged = 0;   ///< of those, reached --main unchanged
    Text merged_at;        ///< when (the merging main commit's date)
    uint64_t released = 0; ///< of those, reached a release or production (the report's)
    Text released_at;      ///< when (the first release holding them)
    /// Of those, reached a production deployment: nullopt when no deployments were given
    /// (nothing is known), also on spend rows.
    std::optional<uint64_t> deployed;
    Text deployed_at;      ///< when (the first production deployment holding them)
    uint64_t alive = 0;    ///< present at --at
    uint64_t rewritten_before_merge = 0;
    uint64_t survival_eligible = 0;  ///< merged at least --survival-days before --at
    uint64_t survival_alive = 0;     ///< of those, not ended within the horizon
    uint64_t generated = 0;          ///< spend rows: the note's funnel.generated
    TokenUsage tokens;               ///< spend rows
    double cost_usd = 0;             ///< spend rows: list-price cost
    double uncommitted_cost_usd = 0; ///< spend rows: cost of an origin with no line here
};

/// One run of lines of one commit, path, class and origin with the same fate.
struct FateRowOut {
    std::string commit;
    std::string born_at, month, author;
    Text team, path, cls, tool, model, session;
    uint64_t lines = 0;
    Text merged_at;
    /// The end on the way to --at (the earliest-dated end among --at's ancestors): the
    /// commit that changed or deleted the lines, when, its author, and what replaced them
    /// (`deleted`, `human`, `ai`, `paste`, `unknown`). All null when the lines are alive at
    /// --at, or ended only on branches --at does not contain.
    Text ended_commit, ended_at, ended_by, end_by;
    bool alive = false;
    bool reworked = false; ///< ended within --rework-days of its merge (the report's rework)
};

/// The rows of the selected commits (blank lines count for nothing, as in the report).
/// `deployments`: the production deployments (also among options.releases, as the report
/// counts them), or null when none were given. Pure; any thread.
std::vector<CommitRowOut>
commit_rows(const analysis::Fates& fates, const analysis::MetricsOptions& options,
            const std::vector<analysis::ReleasePoint>* deployments = nullptr);
std::vector<FateRowOut> fate_rows(const analysis::Fates& fates,
                                  const analysis::MetricsOptions& options);

/// ISO 8601 UTC, seconds: 2026-01-02T03:04:05Z.
std::string iso_utc(int64_t t);

} // namespace provenant::exporting
