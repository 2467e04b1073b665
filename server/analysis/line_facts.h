// What happened to each line after its birth, under one set of report options: merged into
// --main (and when), released, alive at --at, and the end on the way to --at. The report
// (metrics.cpp) and `provenant export` (server/export) both count from these, so a number
// exported to a database is the number the report shows.
#pragma once

#include "analysis/metrics.h"

#include <cstdint>
#include <limits>
#include <vector>

namespace provenant::analysis {

inline constexpr int64_t kNever = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kDaySeconds = 86400;

/// Per-commit marks and per-line ends for one history and one MetricsOptions. A value type;
/// thread-compatible.
struct LineFacts {
    /// --main's first-parent chain, oldest first.
    std::vector<uint32_t> chain;
    /// Per commit: the index in `chain` of the first main commit containing it (kNone: never).
    std::vector<uint32_t> main_idx;
    /// Per commit: the index in `releases` (by date) of the first release containing it.
    std::vector<uint32_t> rel_idx;
    std::vector<ReleasePoint> releases; ///< the options' releases, sorted by date
    /// Per commit: an ancestor of --at (itself included).
    std::vector<uint8_t> at_anc;
    int64_t at_time = 0; ///< --at's committer date (0 without --at)
    /// Per commit: its lines are counted (selected, and not rewritten away).
    std::vector<uint8_t> counted;
    /// Per line: the smallest main / release index among its ending commits.
    std::vector<uint32_t> end_main, end_rel;
    /// Per line: the earliest end among --at's ancestors (kNever: none), its commit and what
    /// replaced the line there.
    std::vector<int64_t> end_time;
    std::vector<uint32_t> end_commit;
    std::vector<EndBy> end_by;

    /// Per line (by index into Fates::lines): the derived facts the report counts. Inline:
    /// called for every line of a history.
    bool merged(const Fates& f, uint32_t l) const {
        const uint32_t mb = main_idx[f.lines[l].birth];
        return mb != kNone && end_main[l] != mb;
    }
    bool rewritten_before_merge(const Fates& f, uint32_t l) const {
        const uint32_t mb = main_idx[f.lines[l].birth];
        return mb != kNone && end_main[l] == mb;
    }
    bool released(const Fates& f, uint32_t l) const {
        const uint32_t rb = rel_idx[f.lines[l].birth];
        return rb != kNone && end_rel[l] != rb;
    }
    bool alive(const Fates& f, uint32_t l) const {
        return at_anc[f.lines[l].birth] != 0 && end_time[l] == kNever;
    }
    /// The committer date of the main commit that merged the line (only when merged()).
    int64_t merge_date(const Fates& f, uint32_t l) const {
        return f.commits[chain[main_idx[f.lines[l].birth]]].commit_time;
    }
    /// The date of the first release that holds the line (only when released()).
    int64_t release_date(const Fates& f, uint32_t l) const {
        return releases[rel_idx[f.lines[l].birth]].date;
    }
};

/// Computes the marks: O(commits + ends). Pure; any thread.
LineFacts compute_line_facts(const Fates& fates, const MetricsOptions& options);

} // namespace provenant::analysis
