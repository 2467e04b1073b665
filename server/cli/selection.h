// The selection options `provenant report` and `provenant export` share (range, dates,
// --main, --release, --deployments, --at, windows, teams, prices) and what they resolve to:
// the history's line fates and the MetricsOptions that count them.
#pragma once

#include "analysis/fates.h"
#include "analysis/metrics.h"
#include "analysis/teams.h"
#include "git/repository.h"
#include "protocol/prices.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

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
    analysis::Fates fates;
    analysis::MetricsOptions metrics;
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

} // namespace provenant::cli
