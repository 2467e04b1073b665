// Unit tests: compressed line ranges and the snapshot's JSON form.
#include "core/provenance.h"
#include "support/line_ranges.h"

#include <algorithm>
#include <doctest/doctest.h>
#include <random>
#include <vector>

using namespace provenant;

TEST_CASE("line ranges round-trip and reject junk") {
    CHECK(format_line_ranges({9, 1, 2, 3, 4, 12, 13, 14, 4}) == "1-4,9,12-14");
    CHECK(format_line_ranges({}) == "");
    auto parsed = parse_line_ranges("1-4,9,12-14");
    REQUIRE(parsed.ok());
    CHECK(*parsed == std::vector<uint32_t>{1, 2, 3, 4, 9, 12, 13, 14});
    for (const char* bad : {"0", "4-1", "a", "1,,2", "1-", "-3", "1-2-3", "99999999999"})
        CHECK_MESSAGE(!parse_line_ranges(bad).ok(), bad);
    CHECK(!parse_line_ranges("1-4000000000").ok());
}

TEST_CASE("snapshot JSON round-trips and rejects inconsistent runs") {
    OriginRecord ai{OriginClass::Ai, "claude-code", "agent", "claude-sonnet-4-5", "s1", ""};
    Snapshot s = Snapshot::uniform("hello\n", ai, Evidence::Recorded, true);
    auto back = snapshot_from_json(snapshot_to_json(s));
    REQUIRE(back.ok());
    CHECK(back->text == s.text);
    CHECK(back->runs == s.runs);
    CHECK(back->origins.at(3) == ai);
    auto j = snapshot_to_json(s);
    j["runs"][0][0] = 3;
    CHECK(!snapshot_from_json(j).ok());
    j = snapshot_to_json(s);
    j["runs"][0][1] = 7;
    CHECK(!snapshot_from_json(j).ok());
    CHECK(!snapshot_from_json(nlohmann::json::array()).ok());
    // Run fields must be non-negative integers: a float is refused before it is converted
    // (out of range, that conversion is undefined: fuzz_journal_entry's 3.3e57).
    for (const nlohmann::json& bad :
         {nlohmann::json(3.3e57), nlohmann::json(1.0), nlohmann::json(-1), nlohmann::json("6")}) {
        for (size_t field = 0; field < 4; ++field) {
            j = snapshot_to_json(s);
            j["runs"][0][field] = bad;
            auto r = snapshot_from_json(j);
            CHECK_MESSAGE(!r.ok(), "field " << field << ": " << bad.dump());
        }
    }
    // Parsed from text, the same entry reads back (integers stay integers).
    auto text = snapshot_from_json(nlohmann::json::parse(snapshot_to_json(s).dump()));
    CHECK(text.ok());
}

TEST_CASE("sort_line_runs sorts what std::sort sorts, runs or not") {
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        std::vector<uint32_t> v;
        const int runs = 1 + round % 80; // past 64 runs: the plain sort
        for (int r = 0; r < runs; ++r) {
            uint32_t at = rng() % 1000;
            for (uint32_t n = rng() % 30; n > 0; --n)
                v.push_back(at += rng() % 3); // ascending, with repeats
        }
        std::vector<uint32_t> want = v;
        std::sort(want.begin(), want.end());
        sort_line_runs(v);
        CHECK(v == want);
    }
    std::vector<uint32_t> none;
    sort_line_runs(none);
    CHECK(none.empty());
    // Overlapping ranges out of order: sorted, each line once.
    auto r = parse_line_ranges("5-7,1-3,2-4,7");
    REQUIRE(r.ok());
    CHECK(*r == std::vector<uint32_t>{1, 2, 3, 4, 5, 6, 7});
}
