// Kaplan–Meier over whole days (conventions in survival.h).
#include "analysis/survival.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace provenant::analysis {

namespace {

// Days beyond this are clamped: a corrupt date must not overflow an int.
constexpr double kMaxDays = 1'000'000;

double clean(double days) {
    if (!(days > 0)) return 0; // negative and NaN
    return std::min(days, kMaxDays);
}

} // namespace

std::vector<CurvePoint> kaplan_meier(std::vector<SurvivalObservation> observations) {
    // Per day: lines that ended on it, lines censored on it. Counted in an array by day when
    // the days are few for the lines (a history's span), else sorted; a map node per line
    // was most of a report's survival at 100,000 commits. Either way the days are visited in
    // order with the same counts: the same curve.
    struct Day {
        uint64_t events = 0, censored = 0;
    };
    std::vector<int> keys(observations.size());
    int max_day = 0;
    for (size_t k = 0; k < observations.size(); ++k) {
        const SurvivalObservation& o = observations[k];
        const double d = clean(o.days);
        const int day =
            o.ended ? std::max(1, static_cast<int>(std::ceil(d))) : static_cast<int>(std::floor(d));
        // Events and censorings of one day apart: the low bit says which.
        keys[k] = day * 2 + (o.ended ? 0 : 1);
        max_day = std::max(max_day, day);
    }
    std::vector<std::pair<int, Day>> days;
    if (size_t(max_day) <= 4 * observations.size() + 1024) {
        std::vector<Day> by_day(size_t(max_day) + 1);
        for (int key : keys)
            ++((key & 1) != 0 ? by_day[size_t(key >> 1)].censored
                              : by_day[size_t(key >> 1)].events);
        for (size_t d = 0; d < by_day.size(); ++d)
            if (by_day[d].events + by_day[d].censored > 0) days.emplace_back(int(d), by_day[d]);
    } else {
        std::sort(keys.begin(), keys.end());
        for (int key : keys) {
            if (days.empty() || days.back().first != key >> 1) days.emplace_back(key >> 1, Day{});
            ++((key & 1) != 0 ? days.back().second.censored : days.back().second.events);
        }
    }

    std::vector<CurvePoint> curve{{0, 1.0}};
    uint64_t at_risk = observations.size();
    double share = 1.0;
    for (const auto& [day, counts] : days) {
        // Events first: the lines censored today are still at risk for today's events.
        if (counts.events > 0 && at_risk > 0) {
            share *= 1.0 - static_cast<double>(counts.events) / static_cast<double>(at_risk);
            if (counts.events == at_risk) share = 0.0; // exact, not 1e-17
            curve.push_back({day, share});
            if (share == 0.0) break;
        }
        at_risk -= counts.events + counts.censored;
    }
    return curve;
}

} // namespace provenant::analysis
