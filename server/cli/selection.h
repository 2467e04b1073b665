// The selection options `provenant report` and `provenant export` share (range, dates,
// --main, --release, --deployments, --at, windows, teams, prices) and what they resolve to:
// the history's line fates and the MetricsOptions that count them.
#pragma once

#include "analysis/fates.h"
#include "analysis/metrics.h"
#include "analysis/store.h"
#include "analysis/teams.h"
#include "git/repository.h"
#include "protocol/prices.h"

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace provenant::cli {

/// The options as given on the command line.
struct SelectionOptions {
    std::string dir, range, since, until, by, main_ref, release, deployments, at, teams, prices;
    int survival_days = 30, rework_days = 21;
    bool no_cache = false;
};

/// Adds the selection options to `cmd` (`with_by`: also --by, which only report groups by).
void add_selection_options(CLI::App& cmd, SelectionOptions& o, bool with_by);

/// What the options resolve to. Not copyable (MetricsOptions points into it); one thread.
struct Selection {
    std::optional<git::Repo> repo;
    /// The commits to walk: every branch and tag, HEAD, the range's tip, --main, --at and
    /// the releases.
    std::vector<git_oid> tips;
    /// Every input of compute_report but the fates and --by, resolved (commit ids, dates,
    /// the teams' and prices' content), in one line: with the store key of the fates, the
    /// report cache's key (analysis/report_cache.h).
    std::string inputs;
    /// The key of the store the fates came from (set by load_selection).
    analysis::StoreKey store_key;
    analysis::Fates fates;
    analysis::MetricsOptions metrics;
    std::set<std::string> in_range;                    ///< the range's commits (40 hex)
    std::vector<std::pair<git_oid, int64_t>> releases; ///< tags, then deployments
    size_t tagged = 0;                                 ///< how many of `releases` are tags
    bool dated = false;                                ///< --since or --until given
    int64_t since = INT64_MIN, until = INT64_MAX;
    /// The production deployments of --deployments (also in metrics.releases, which the
    /// report counts as releases); nullopt without --deployments. Export's `deployed`.
    std::optional<std::vector<analysis::ReleasePoint>> deployments;
    std::optional<git_oid> main_id, at_id;
    std::optional<analysis::TeamMap> teams;
    std::optional<PriceTable> prices;
};

/// Opens the repository, walks (or reads) the history and resolves every option. A bad
/// option stops the command with a clear message: `fail(command, ...)`.
std::unique_ptr<Selection> resolve_selection(const SelectionOptions& o, const std::string& command);

/// The first half of resolve_selection: the repository and every option, not the fates
/// (a report found in the report cache needs no more).
std::unique_ptr<Selection> resolve_options(const SelectionOptions& o, const std::string& command);
/// The second half: the fates (walked, or read from the store) and the MetricsOptions.
void load_selection(Selection& sel, const SelectionOptions& o, const std::string& command);

} // namespace provenant::cli
