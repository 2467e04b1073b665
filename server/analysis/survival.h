// The Kaplan–Meier estimate of line survival: the share of lines still alive by age in days.
#pragma once

#include <vector>

namespace provenant::analysis {

/// One line's observation.
struct SurvivalObservation {
    double days = 0;    ///< time from its merge to its end (ended) or to the measuring point
    bool ended = false; ///< true: the line was changed or deleted `days` after its merge;
                        ///< false: still alive when last seen (right-censored at `days`)
};

/// One step of the curve: the estimated share of lines alive at age `day` days.
struct CurvePoint {
    int day = 0;
    double share = 1.0;
    bool operator==(const CurvePoint&) const = default;
};

/// The Kaplan–Meier product-limit estimate S(d) = Π over event days t_i ≤ d of (1 − e_i / n_i),
/// with e_i the lines ended on day t_i and n_i the lines at risk on that day. S(d) is the share
/// of lines alive at age d days (alive: not changed or deleted within d days of the merge).
///
/// Whole days, chosen so that S(N) agrees with "alive if nothing changed it within N days":
///  - a line that ended `days` after its merge is dead from day max(1, ceil(days)) on (ended
///    after 3.2 days: alive at day 3, dead at day 4; after exactly 3.0 days: dead at day 3;
///    the same day as its merge: dead at day 1, since every line is alive at its merge);
///  - a censored line was seen alive through day floor(days) and is at risk up to that day.
/// Ties: on one day, events come before censorings (the standard convention): a line censored
/// on day t is still at risk for the events of day t.
/// Negative or NaN days count as 0 (a clock skew must not crash the report).
/// Returns {0, 1.0} first, then one point per day on which the estimate changes (a day with
/// events; the share reaches 0 when a day's events end every line at risk, and stops there).
/// Empty input gives {{0, 1.0}}. O(n log n). Pure; any thread.
std::vector<CurvePoint> kaplan_meier(std::vector<SurvivalObservation> observations);

} // namespace provenant::analysis
