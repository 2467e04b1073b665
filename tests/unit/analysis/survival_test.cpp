// Kaplan–Meier against hand-computed examples.
#include "analysis/survival.h"

#include <doctest/doctest.h>

#include <cstddef>

#include <limits>

using provenant::analysis::CurvePoint;
using provenant::analysis::kaplan_meier;
using provenant::analysis::SurvivalObservation;

namespace {

void check_curve(const std::vector<CurvePoint>& got, const std::vector<CurvePoint>& want) {
    REQUIRE(got.size() == want.size());
    for (size_t i = 0; i < want.size(); ++i) {
        CAPTURE(i);
        CHECK(got[i].day == want[i].day);
        CHECK(got[i].share == doctest::Approx(want[i].share).epsilon(1e-12));
    }
}

} // namespace

TEST_CASE("kaplan_meier: empty input is a flat curve at 1") {
    check_curve(kaplan_meier({}), {{0, 1.0}});
}

TEST_CASE("kaplan_meier: no events, only censoring, stays at 1") {
    check_curve(kaplan_meier({{5, false}, {10, false}, {40, false}}), {{0, 1.0}});
}

TEST_CASE("kaplan_meier: the textbook example with censoring") {
    // Times 3, 4+, 5, 5, 7+, 8, 9+, 10 (+ = censored). n = 8.
    // day 3: 8 at risk, 1 event -> 7/8 = 0.875
    // day 4: one censored (at risk now 6)
    // day 5: 6 at risk, 2 events -> 0.875 * 4/6 = 0.583333...
    // day 7: censored (at risk 3)
    // day 8: 3 at risk, 1 event -> 0.583333 * 2/3 = 0.388888...
    // day 9: censored (at risk 1)
    // day 10: 1 at risk, 1 event -> 0
    std::vector<SurvivalObservation> obs = {{3, true}, {4, false}, {5, true}, {5, true},
                                            {7, false}, {8, true}, {9, false}, {10, true}};
    check_curve(kaplan_meier(obs), {{0, 1.0},
                                    {3, 7.0 / 8},
                                    {5, 7.0 / 8 * 4 / 6},
                                    {8, 7.0 / 8 * 4 / 6 * 2 / 3},
                                    {10, 0.0}});
}

TEST_CASE("kaplan_meier: ties put events before censorings on the same day") {
    // 4 lines: on day 2 one ends and one is censored; then one ends on day 6, one censored at 9.
    // Events first: day 2 at risk 4 -> 3/4. Then at risk 2; day 6: 1 of 2 -> 3/8.
    // (Censorings first would give 2/3 on day 2.)
    std::vector<SurvivalObservation> obs = {{2, true}, {2, false}, {6, true}, {9, false}};
    check_curve(kaplan_meier(obs), {{0, 1.0}, {2, 0.75}, {6, 0.375}});
}

TEST_CASE("kaplan_meier: whole days: events round up, censorings down, day 0 stays 1") {
    // Ended after 0.2 days -> day 1; after 2.5 -> day 3; censored at 2.9 -> day 2 (not at risk
    // on day 3); after exactly 3.0 -> day 3.
    // day 1: 4 at risk, 1 event -> 3/4. day 2: censor (at risk 2). day 3: 2 events of 2 -> 0.
    std::vector<SurvivalObservation> obs = {{0.2, true}, {2.5, true}, {2.9, false}, {3.0, true}};
    check_curve(kaplan_meier(obs), {{0, 1.0}, {1, 0.75}, {3, 0.0}});
    // Same-day change: dead on day 1, never below 1 on day 0.
    check_curve(kaplan_meier({{0, true}, {5, false}}), {{0, 1.0}, {1, 0.5}});
}

TEST_CASE("kaplan_meier: without censoring it equals the plain surviving share") {
    // 10 lines, ended on days 1,1,4,4,4,30 and 4 never: S(d) = survivors / 10.
    std::vector<SurvivalObservation> obs;
    for (double d : {1, 1, 4, 4, 4, 30}) obs.push_back({d, true});
    for (int i = 0; i < 4; ++i) obs.push_back({100, false});
    check_curve(kaplan_meier(obs), {{0, 1.0}, {1, 0.8}, {4, 0.5}, {30, 0.4}});
}

TEST_CASE("kaplan_meier: hostile days never crash") {
    std::vector<SurvivalObservation> obs = {{-5, true}, {std::numeric_limits<double>::quiet_NaN(), false},
                                            {1e300, true}, {std::numeric_limits<double>::infinity(), false}};
    auto curve = kaplan_meier(obs);
    REQUIRE(curve.size() == 3);
    CHECK(curve[0] == CurvePoint{0, 1.0});
    // NaN censored on day 0 (3 left at risk); -5 ended: dead on day 1 -> 2/3; 1e300 and
    // infinity clamp to day 1,000,000: one event of 2 at risk -> 1/3.
    CHECK(curve[1].day == 1);
    CHECK(curve[1].share == doctest::Approx(2.0 / 3));
    CHECK(curve[2].day == 1'000'000);
    CHECK(curve[2].share == doctest::Approx(1.0 / 3));
}
