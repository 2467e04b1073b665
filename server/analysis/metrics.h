// The report's numbers from a history's line fates: lines added by class, the funnel,
// survival, rework, spend and commit shapes, per group and in total (docs/report.md).
#pragma once

#include "analysis/fates.h"
#include "protocol/prices.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace provenant::analysis {

/// A release point: a commit that was released (a tag, a release ref, a production
/// deployment) and when.
struct ReleasePoint {
    uint32_t commit = kNone; ///< index into Fates::commits
    int64_t date = 0;
};

/// The group keys `--by` accepts.
inline constexpr std::array<std::string_view, 9> kGroupKeys = {
    "tool", "model", "session", "author", "team", "path", "ext", "month", "week"};

struct MetricsOptions {
    std::vector<uint8_t> selected; ///< per commit: its lines are counted (empty = all)
    uint32_t main_tip = kNone;     ///< --main's commit (kNone: nothing is merged)
    uint32_t at = kNone;           ///< --at's commit (kNone: nothing is alive)
    std::vector<ReleasePoint> releases;
    int survival_days = 30;
    int rework_days = 21;
    std::vector<std::string> by; ///< group keys, in nesting order
    std::function<std::optional<std::string>(std::string_view email)> team_of;
    const PriceTable* prices = nullptr;
};

/// The report JSON (schema provenant-report/1) without the `selection` block the command
/// adds. Pure; any thread.
nlohmann::json compute_report(const Fates& fates, const MetricsOptions& options);

} // namespace provenant::analysis
