// Kaplan–Meier over whole days (conventions in survival.h).
#include "analysis/survival.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>

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
    // Per day: lines that ended on it, lines censored on it.
    struct Day {
        uint64_t events = 0, censored = 0;
    };
    std::map<int, Day> days;
    for (const SurvivalObservation& o : observations) {
        double d = clean(o.days);
        if (o.ended)
            days[std::max(1, static_cast<int>(std::ceil(d)))].events++;
        else
            days[static_cast<int>(std::floor(d))].censored++;
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
