// compute_report on hand-built line fates, every expectation computed by hand in the comments
// (not by the engine): the funnel, AI share, survival, rework, spend and cost per line.
#include "analysis/metrics.h"
#include "analysis/report_format.h"

#include <doctest/doctest.h>

using namespace provenant;
using namespace provenant::analysis;
using nlohmann::json;

namespace {

constexpr int64_t kT0 = 1767225600; // 2026-01-01
constexpr int64_t kDay = 86400;

CommitRow commit(char id, std::vector<uint32_t> parents, int day, NoteState note, uint32_t first,
                 uint32_t end) {
    CommitRow c;
    c.id = std::string(40, id);
    c.parents = std::move(parents);
    c.author_email = "ana@example.com";
    c.author_time = c.commit_time = kT0 + day * kDay;
    c.note = note;
    c.first_line = first;
    c.line_end = end;
    return c;
}

CommitOrigin spend(uint32_t origin, uint64_t input, uint64_t output, uint64_t generated,
                   bool has_lines) {
    CommitOrigin o;
    o.origin = origin;
    o.tokens.input = input;
    o.tokens.output = output;
    o.generated = generated;
    o.has_lines = has_lines;
    return o;
}

/// The history (days after 2026-01-01; main is 0 - 1 - 3 - 4, first parents):
///   0 main d0   L0 ai, L1 ai (claude), L2 human, L3 unknown, L4 blank;
///               claude spent 1M input tokens and generated 4 lines
///   1 main d10  L5 ai (claude), L6 paste; ends L0 (replaced by a person: human)
///   2 side d5   L7 ai (aider), never merged; aider spent 2M input tokens, generated 1
///   3 main d50  L8 unknown (no note); ends L1 (replaced by unknown lines) and L2 (deleted)
///   4 main d60  no lines; claude spent 1M output tokens that committed nothing, generated 3
/// Released: commit 1 (d12). --main and --at: commit 4.
Fates history() {
    Fates f;
    f.origins.push_back({"claude-code", "agent", "m1", "s1"});
    f.origins.push_back({"aider", "agent", "m2", "s2"});
    f.paths = {"src/a.py", "docs/b.md"};
    f.commits.push_back(commit('0', {}, 0, NoteState::Provenant, 0, 5));
    f.commits.push_back(commit('1', {0}, 10, NoteState::Provenant, 5, 7));
    f.commits.push_back(commit('2', {0}, 5, NoteState::Provenant, 7, 8));
    f.commits.push_back(commit('3', {1}, 50, NoteState::None, 8, 9));
    f.commits.push_back(commit('4', {3}, 60, NoteState::Provenant, 9, 9));
    f.commits[0].origins.push_back(spend(1, 1000000, 0, 4, true));
    f.commits[2].origins.push_back(spend(2, 2000000, 0, 1, true));
    f.commits[4].origins.push_back(spend(1, 0, 1000000, 3, false));
    f.lines = {
        {0, 0, LineClass::Ai, 1},      {0, 0, LineClass::Ai, 1},    {0, 0, LineClass::Human, 0},
        {0, 1, LineClass::Unknown, 0}, {0, 0, LineClass::Blank, 0}, {1, 0, LineClass::Ai, 1},
        {1, 1, LineClass::Paste, 0},   {2, 0, LineClass::Ai, 2},    {3, 0, LineClass::Unknown, 0},
    };
    f.ends = {{0, 1, EndBy::Human}, {1, 3, EndBy::Unknown}, {2, 3, EndBy::Deleted}};
    return f;
}

PriceTable prices() {
    auto p = PriceTable::from_json(json::parse(R"({"schema": "provenant-prices/1",
        "as_of": "2026-01-01", "models": {
          "m1": {"vendor": "x", "input": 1, "output": 2},
          "m2": {"vendor": "y", "input": 3, "output": 4}}})"));
    REQUIRE_MESSAGE(p, (p ? "" : p.error().message));
    return std::move(*p);
}

MetricsOptions options(const PriceTable& table) {
    MetricsOptions o;
    o.main_tip = 4;
    o.at = 4;
    o.releases = {{1, kT0 + 12 * kDay}};
    o.prices = &table;
    return o;
}

const json* group(const json& report, const json& tool) {
    for (const auto& g : report["groups"])
        if (g["key"]["tool"] == tool) return &g;
    return nullptr;
}

} // namespace

TEST_CASE("metrics: lines, the funnel and AI share") {
    const PriceTable table = prices();
    const json r = compute_report(history(), options(table));
    INFO(r.dump(2));
    CHECK(r["totals"]["commits"] == 5);
    CHECK(r["totals"]["commits_with_notes"] == 4); // commit 3 has none
    const json& la = r["totals"]["lines_added"];
    CHECK(la["ai"] == 4); // L0 L1 L5 L7 (the blank L4 is no class)
    CHECK(la["ai_modified"] == 0);
    CHECK(la["human"] == 1);
    CHECK(la["paste"] == 1);
    CHECK(la["unknown"] == 2);
    const json& f = r["funnel"];
    CHECK(f["generated"] == 4 + 1 + 3);
    CHECK(f["committed"] == 4);
    // Merged: L0 (ended after its merge, at commit 1), L1, L5; L7 is on the unmerged side.
    CHECK(f["merged"] == 3);
    CHECK(f["rewritten_before_merge"] == 0);
    // Released at commit 1: L1 and L5; L0 was replaced in commit 1 itself.
    CHECK(f["released"] == 2);
    CHECK(f["alive"] == 1); // L5
    CHECK(f["retention"].get<double>() == doctest::Approx(4.0 / 8.0));
    CHECK(f["production_rate"].get<double>() == doctest::Approx(1.0 / 4.0));
    // AI share as the table prints it: 4 AI lines of 8 added.
    const std::string table_text = render_report(r, ReportFormat::Table);
    CHECK(table_text.find("AI share 50.0%") != std::string::npos);
    // Shapes: 0 and 1 mixed, 2 AI only, 3 unknown only; 4 adds nothing.
    CHECK(r["shapes"] ==
          json{{"ai_only", 1}, {"human_only", 0}, {"mixed", 2}, {"unknown_only", 1}});
}

TEST_CASE("metrics: a line ended before its merge is rewritten before merge, not merged") {
    Fates f = history();
    // Side gets commit 5 (d8) that replaces L7, and commit 4 becomes the merge of side into
    // main (parents 3 and 5): L7 ended on its branch before it reached main.
    f.commits.push_back(commit('5', {2}, 8, NoteState::None, 9, 9));
    f.commits[4].parents = {3, 5};
    f.ends.push_back({7, 5, EndBy::Human});
    const PriceTable table = prices();
    const json r = compute_report(f, options(table));
    INFO(r.dump(2));
    CHECK(r["funnel"]["rewritten_before_merge"] == 1);
    CHECK(r["funnel"]["merged"] == 3);
    CHECK(r["funnel"]["alive"] == 1);
}

TEST_CASE("metrics: survival and rework") {
    const PriceTable table = prices();
    const json r = compute_report(history(), options(table));
    INFO(r.dump(2));
    const json& s = r["survival"];
    // Merged AI lines and their merge dates: L0, L1 at d0, L5 at d10; at d60 all are at least
    // 30 days past their merge: eligible 3. L0 ended 10 days after its merge (dead at 30),
    // L1 after 50 (alive at 30), L5 never: 2 alive.
    CHECK(s["days"] == 30);
    CHECK(s["eligible"] == 3);
    CHECK(s["alive"] == 2);
    CHECK(s["rate"].get<double>() == doctest::Approx(2.0 / 3.0));
    // Kaplan-Meier: day 10, 1 of 3 ends (2/3); day 50, 1 of the 2 at risk (L5 censored on
    // day 50 is still at risk that day): 1/3.
    REQUIRE(s["curve"].size() == 3);
    CHECK(s["curve"][1]["day"] == 10);
    CHECK(s["curve"][1]["share"].get<double>() == doctest::Approx(2.0 / 3.0));
    CHECK(s["curve"][2]["day"] == 50);
    CHECK(s["curve"][2]["share"].get<double>() == doctest::Approx(1.0 / 3.0));
    // Human family: L2 (human, ended after 50 days) and L6 (paste, alive): both alive at 30.
    CHECK(s["human"]["eligible"] == 2);
    CHECK(s["human"]["alive"] == 2);
    // Rework within 21 days of the merge: only L0 (ai, replaced by a person after 10 days);
    // L1 and L2 ended 50 days after theirs.
    CHECK(r["rework"]["days"] == 21);
    CHECK(r["rework"]["matrix"] == json{{"ai", {{"human", 1}}}});
    // A 60-day window takes L1 (ai -> unknown) and L2 (human -> deleted) too.
    MetricsOptions wide = options(table);
    wide.rework_days = 60;
    const json w = compute_report(history(), wide);
    CHECK(w["rework"]["matrix"] ==
          json{{"ai", {{"human", 1}, {"unknown", 1}}}, {"human", {{"deleted", 1}}}});
    // And a survival window of 55 days leaves L5 (merged d10, 50 days before d60) out.
    MetricsOptions late = options(table);
    late.survival_days = 55;
    const json l = compute_report(history(), late);
    CHECK(l["survival"]["eligible"] == 2); // L0 (dead), L1 (ended at 50 < 55: dead)
    CHECK(l["survival"]["alive"] == 0);
}

TEST_CASE("metrics: spend and cost per committed, merged and alive AI line") {
    const PriceTable table = prices();
    MetricsOptions o = options(table);
    o.by = {"tool"};
    const json r = compute_report(history(), o);
    INFO(r.dump(2));
    const json& sp = r["spend"];
    CHECK(sp["tokens"]["input"] == 3000000);
    CHECK(sp["tokens"]["output"] == 1000000);
    // claude 1M input at $1 + 1M output at $2 (commit 4, nothing committed); aider 2M at $3.
    CHECK(sp["cost_usd"].get<double>() == doctest::Approx(1.0 + 2.0 + 6.0));
    CHECK(sp["uncommitted_cost_usd"].get<double>() == doctest::Approx(2.0));
    // The whole spend, waste included, over 4 committed, 3 merged, 1 alive AI lines.
    CHECK(sp["cost_per_committed_ai_line"].get<double>() == doctest::Approx(9.0 / 4));
    CHECK(sp["cost_per_merged_ai_line"].get<double>() == doctest::Approx(9.0 / 3));
    CHECK(sp["cost_per_alive_ai_line"].get<double>() == doctest::Approx(9.0));
    // Per tool: claude's 3 lines and $3; aider's 1 unmerged line and $6 (no alive line:
    // no cost per alive line); the rest, no tool.
    const json* claude = group(r, "claude-code");
    REQUIRE(claude != nullptr);
    CHECK((*claude)["funnel"]["committed"] == 3);
    CHECK((*claude)["funnel"]["generated"] == 7);
    CHECK((*claude)["funnel"]["alive"] == 1);
    CHECK((*claude)["spend"]["cost_usd"].get<double>() == doctest::Approx(3.0));
    CHECK((*claude)["spend"]["cost_per_alive_ai_line"].get<double>() == doctest::Approx(3.0));
    CHECK((*claude)["totals"]["commits"] == 2); // 0 and 1 (4 has no lines)
    const json* aider = group(r, "aider");
    REQUIRE(aider != nullptr);
    CHECK((*aider)["funnel"]["merged"] == 0);
    CHECK((*aider)["spend"]["cost_usd"].get<double>() == doctest::Approx(6.0));
    CHECK((*aider)["spend"]["cost_per_alive_ai_line"].is_null());
    const json* none = group(r, nullptr);
    REQUIRE(none != nullptr);
    CHECK((*none)["funnel"]["committed"] == 0);
    CHECK((*none)["totals"]["commits"] == 4); // 0, 1, 3, and 4 (no lines: its own keys)
    // Sorted by committed AI lines.
    CHECK(r["groups"][0]["key"]["tool"] == "claude-code");
    CHECK(r["groups"][1]["key"]["tool"] == "aider");
}

TEST_CASE("metrics: a commit rewritten away counts through its replacement only") {
    Fates f = history();
    // Commit 3's note says it replaced commit 2 (a squash of side): side's commit is not
    // counted, its AI line L7 neither (commit 3 carries the lines it kept).
    f.commits[3].rewritten_from = {f.commits[2].id};
    const PriceTable table = prices();
    const json r = compute_report(f, options(table));
    CHECK(r["totals"]["commits"] == 4);
    CHECK(r["totals"]["lines_added"]["ai"] == 3);
    CHECK(r["funnel"]["committed"] == 3);
    CHECK(r["spend"]["cost_usd"].get<double>() ==
          doctest::Approx(3.0)); // aider's $6 was commit 2's
}
