// The report's renderings (table, JSON, CSV, Markdown) and its JSON Schema.
#include "analysis/report_format.h"
#include "support/process.h"

#include <doctest/doctest.h>
#include <sstream>

using namespace provenant::analysis;
using nlohmann::json;

namespace {

json lines(int ai, int ai_modified, int human, int paste, int unknown) {
    return {{"ai", ai},
            {"ai_modified", ai_modified},
            {"human", human},
            {"paste", paste},
            {"unknown", unknown}};
}

json funnel(int generated, int committed, int merged, int released, int alive, int rewritten) {
    return {{"generated", generated},
            {"committed", committed},
            {"merged", merged},
            {"released", released},
            {"alive", alive},
            {"rewritten_before_merge", rewritten},
            {"retention", generated ? json(double(committed) / generated) : json(nullptr)},
            {"production_rate", committed ? json(double(alive) / committed) : json(nullptr)}};
}

json survival(int eligible, int alive) {
    json s = {{"days", 30},
              {"eligible", eligible},
              {"alive", alive},
              {"rate", eligible ? json(double(alive) / eligible) : json(nullptr)},
              {"curve", json::array({{{"day", 0}, {"share", 1.0}}, {{"day", 3}, {"share", 0.9}}})}};
    s["human"] = {{"eligible", 10},
                  {"alive", 9},
                  {"rate", 0.9},
                  {"curve", json::array({{{"day", 0}, {"share", 1.0}}})}};
    return s;
}

json spend(double cost, double uncommitted, json per_committed) {
    return {{"tokens",
             {{"input", 1200000},
              {"output", 30000},
              {"cache_read", 5},
              {"cache_write_5m", 1},
              {"cache_write_1h", 2}}},
            {"cost_usd", cost},
            {"uncommitted_cost_usd", uncommitted},
            {"cost_per_committed_ai_line", per_committed},
            {"cost_per_merged_ai_line", nullptr},
            {"cost_per_alive_ai_line", nullptr}};
}

json shapes(int a, int h, int m, int u) {
    return {{"ai_only", a}, {"human_only", h}, {"mixed", m}, {"unknown_only", u}};
}

json rework() {
    return {{"days", 21},
            {"matrix", {{"ai", {{"human", 7}, {"deleted", 2}}}, {"human", {{"ai", 3}}}}}};
}

json group(json key, int commits, json la, json fu, double cost) {
    return {{"key", key},
            {"commits", commits},
            {"lines_added", la},
            {"funnel", fu},
            {"survival", survival(4, 3)},
            {"rework", rework()},
            {"spend", spend(cost, 0, nullptr)},
            {"shapes", shapes(1, 0, 0, 0)}};
}

json sample_report() {
    json r;
    r["schema"] = "provenant-report/1";
    r["totals"] = {
        {"commits", 12}, {"commits_with_notes", 11}, {"lines_added", lines(400, 26, 500, 24, 50)}};
    r["funnel"] = funnel(900, 426, 380, 300, 350, 30);
    r["survival"] = survival(300, 270);
    r["rework"] = rework();
    r["spend"] = spend(12.5, 1.25, 12.5 / 426);
    r["shapes"] = shapes(3, 5, 3, 1);
    r["groups"] = json::array({
        group({{"tool", "codex"}, {"model", "gpt-5"}}, 2, lines(26, 0, 0, 0, 0),
              funnel(40, 26, 20, 20, 20, 0), 0.5),
        group({{"tool", "claude-code"}, {"model", "claude-opus-4-5"}}, 6, lines(374, 26, 0, 0, 0),
              funnel(860, 400, 360, 280, 330, 30), 12.0),
        group({{"tool", nullptr}, {"model", nullptr}}, 9, lines(0, 0, 500, 24, 50),
              funnel(0, 0, 0, 0, 0, 0), 0),
    });
    // The engine may nest a group's counts under "totals" as the report does: same rendering.
    json& last = r["groups"][2];
    last["totals"] = {{"commits", last["commits"]},
                      {"commits_with_notes", 8},
                      {"lines_added", last["lines_added"]}};
    last.erase("commits");
    last.erase("lines_added");
    return r;
}

std::vector<std::string> split_lines(const std::string& s, const std::string& sep = "\n") {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < s.size()) {
        size_t e = s.find(sep, pos);
        if (e == std::string::npos) e = s.size();
        out.push_back(s.substr(pos, e - pos));
        pos = e + sep.size();
    }
    return out;
}

// Minimal RFC 4180 reader for checking the renderer (quoted fields, "" escapes).
std::vector<std::vector<std::string>> read_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
    bool q = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (q) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
                rows.back().back() += '"', ++i;
            else if (c == '"')
                q = false;
            else
                rows.back().back() += c;
        } else if (c == '"')
            q = true;
        else if (c == ',')
            rows.back().emplace_back();
        else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            ++i;
            if (i + 1 < text.size()) rows.emplace_back(1);
        } else
            rows.back().back() += c;
    }
    return rows;
}

size_t column(const std::vector<std::string>& header, const std::string& name) {
    for (size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) return i;
    FAIL("no column " << name);
    return 0;
}

std::string schema_errors(const json& report) {
    provenant::test::TempDir dir;
    provenant::test::write_text(dir.path() + "/report.json", report.dump());
    const std::string script =
        "import json, sys, jsonschema\n"
        "schema = json.load(open(sys.argv[1]))\n"
        "jsonschema.Draft202012Validator.check_schema(schema)\n"
        "doc = json.load(open(sys.argv[2]))\n"
        "errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]\n"
        "print('\\n'.join(errors)); sys.exit(1 if errors else 0)\n";
    auto r = provenant::test::run(
        {"/usr/bin/python3", "-c", script,
         std::string(PROVENANT_SOURCE_DIR) + "/protocol/schema/report-v1.schema.json",
         dir.path() + "/report.json"});
    if (r.exit_code == 0) return {};
    return "exit " + std::to_string(r.exit_code) + ": " + r.out + r.err;
}

} // namespace

TEST_CASE("report format names") {
    CHECK(*parse_report_format("table") == ReportFormat::Table);
    CHECK(*parse_report_format("JSON") == ReportFormat::Json);
    CHECK(*parse_report_format("csv") == ReportFormat::Csv);
    CHECK(*parse_report_format("markdown") == ReportFormat::Markdown);
    CHECK(*parse_report_format("md") == ReportFormat::Markdown);
    auto bad = parse_report_format("html\x1b[31m");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("expected table, json, csv, markdown or html") !=
          std::string::npos);
    CHECK(bad.error().message.find('\x1b') == std::string::npos);
    for (auto f :
         {ReportFormat::Table, ReportFormat::Json, ReportFormat::Csv, ReportFormat::Markdown})
        CHECK(*parse_report_format(to_string(f)) == f);
}

TEST_CASE("report schema: the sample report is valid, broken ones are not") {
    json r = sample_report();
    std::string errors = schema_errors(r);
    CHECK_MESSAGE(errors.empty(), errors);
    json wrong_schema = r;
    wrong_schema["schema"] = "provenant-report/2";
    CHECK_FALSE(schema_errors(wrong_schema).empty());
    json negative = r;
    negative["funnel"]["merged"] = -1;
    CHECK_FALSE(schema_errors(negative).empty());
    json no_groups = r;
    no_groups.erase("groups");
    CHECK_FALSE(schema_errors(no_groups).empty());
    json bad_matrix = r;
    bad_matrix["rework"]["matrix"]["ai"]["rewritten"] = 1;
    CHECK_FALSE(schema_errors(bad_matrix).empty());
}

TEST_CASE("report table: fits 80 columns, shows the figures, groups by committed AI lines") {
    std::string t = render_report(sample_report(), ReportFormat::Table);
    for (const std::string& l : split_lines(t)) {
        CAPTURE(l);
        CHECK(l.size() <= 80);
    }
    CHECK(t.find("12 (11 with notes, 91.7%)") != std::string::npos);
    CHECK(t.find("1,000, AI share 42.6%") != std::string::npos);
    CHECK(t.find("retention 47.3%") != std::string::npos);       // 426 / 900
    CHECK(t.find("production rate 82.2%") != std::string::npos); // 350 / 426
    CHECK(t.find("90.0%") != std::string::npos);                 // survival 270 / 300
    CHECK(t.find("$12.50 list price, of which $1.25") != std::string::npos);
    CHECK(t.find("input 1.2M, output 30.0k") != std::string::npos);
    CHECK(t.find("committed $0.0293, merged -, alive -") != std::string::npos);
    CHECK(t.find("AI-only 3, human-only 5, mixed 3, unknown-only 1") != std::string::npos);
    size_t claude = t.find("claude-code / claude-opus-4-5");
    size_t codex = t.find("codex / gpt-5");
    size_t none = t.find("(none) / (none)");
    REQUIRE(claude != std::string::npos);
    REQUIRE(codex != std::string::npos);
    REQUIRE(none != std::string::npos);
    CHECK(claude < codex);
    CHECK(codex < none);
}

TEST_CASE("report table: hostile keys cannot drive the terminal or break the layout") {
    json r = sample_report();
    r["groups"][0]["key"]["model"] = "\x1b]0;pwned\x07" + std::string(200, 'x');
    std::string t = render_report(r, ReportFormat::Table);
    CHECK(t.find('\x1b') == std::string::npos);
    CHECK(t.find('\x07') == std::string::npos);
    for (const std::string& l : split_lines(t))
        CHECK(l.size() <= 80);
    // A report with nothing in it renders gaps, not a crash.
    std::string empty = render_report(json::object(), ReportFormat::Table);
    CHECK(empty.find("Commits         - (- with notes, -)") != std::string::npos);
    CHECK_NOTHROW(render_report(json::array(), ReportFormat::Csv));
    CHECK_NOTHROW(render_report(json("x"), ReportFormat::Markdown));
}

TEST_CASE("report json: pretty and unchanged") {
    json r = sample_report();
    std::string s = render_report(r, ReportFormat::Json);
    CHECK(s.find("\n  \"funnel\": {") != std::string::npos);
    CHECK(json::parse(s) == r);
}

TEST_CASE("report csv: a header, one row per group in table order, then the total") {
    json r = sample_report();
    r["groups"][0]["key"]["model"] = "gpt-5, \"mini\"";
    r["groups"][1]["key"]["tool"] = "=HYPERLINK(\"x\")";
    std::string s = render_report(r, ReportFormat::Csv);
    CHECK(s.find("\r\n") != std::string::npos);
    auto rows = read_csv(s);
    REQUIRE(rows.size() == 5);
    const auto& h = rows[0];
    for (const auto& row : rows)
        CHECK(row.size() == h.size());
    CHECK(h[0] == "group");
    CHECK(h[1] == "key.tool");
    CHECK(h[2] == "key.model");
    size_t merged = column(h, "funnel.merged");
    size_t rate = column(h, "survival.rate");
    size_t human_rate = column(h, "survival.human.rate");
    size_t tokens = column(h, "spend.tokens.input");
    size_t cell = column(h, "rework.matrix.ai.human");
    size_t per_merged = column(h, "spend.cost_per_merged_ai_line");
    size_t commits = column(h, "commits");
    CHECK(std::find(h.begin(), h.end(), "survival.curve") == h.end()); // arrays are left out
    // Group order: by committed AI lines (claude 400, codex 26, none 0).
    CHECK(rows[1][1] == "'=HYPERLINK(\"x\")"); // a formula stays text
    CHECK(rows[1][merged] == "360");
    CHECK(rows[2][2] == "gpt-5, \"mini\"");
    CHECK(rows[2][merged] == "20");
    CHECK(rows[3][1] == "");        // null key
    CHECK(rows[3][commits] == "9"); // hoisted from the group's "totals"
    CHECK(rows[3][column(h, "commits_with_notes")] == "8");
    CHECK(rows[3][column(h, "lines_added.human")] == "500");
    CHECK(rows[4][0] == "total");
    CHECK(rows[4][1] == "");
    CHECK(rows[4][merged] == "380");
    CHECK(rows[4][commits] == "12");
    CHECK(std::stod(rows[4][rate]) == doctest::Approx(0.9));
    CHECK(std::stod(rows[4][human_rate]) == doctest::Approx(0.9));
    CHECK(rows[4][tokens] == "1200000");
    CHECK(rows[4][cell] == "7");
    CHECK(rows[4][per_merged] == ""); // null
    CHECK(rows[4][column(h, "commits_with_notes")] == "11");
}

TEST_CASE("report markdown: AI share, by tool and model, with spend; escaped") {
    json r = sample_report();
    r["groups"][0]["key"]["model"] = "<img src=x onerror=alert(1)> | @team";
    std::string md = render_report(r, ReportFormat::Markdown);
    CHECK(md.find("**42.6%** of 1,000 added lines are AI-written") != std::string::npos);
    CHECK(md.find("| tool / model | AI lines | share of added | cost |") != std::string::npos);
    CHECK(md.find("| claude\\-code / claude\\-opus\\-4\\-5 |") ==
          std::string::npos); // '-' is not escaped
    CHECK(md.find("| claude-code / claude-opus-4-5 | 400 | 40.0% | $12.00 |") != std::string::npos);
    CHECK(md.find("&lt;img src=x onerror=alert(1)&gt; \\| \\@team") != std::string::npos);
    CHECK(md.find("<img") == std::string::npos);
    CHECK(md.find("Spend: $12.50 at list price (1.2M input, 30.0k output tokens), $0.0293 per "
                  "committed AI line.") != std::string::npos);
    CHECK(
        md.find(
            "Survival: 90.0% of AI lines still alive 30 days after merge (human lines: 90.0%).") !=
        std::string::npos);
    // Undefined ratios say so instead of dividing by zero.
    json empty = sample_report();
    empty["totals"]["lines_added"] = lines(0, 0, 0, 0, 0);
    empty["survival"]["rate"] = nullptr;
    std::string e = render_report(empty, ReportFormat::Markdown);
    CHECK(e.find("**-** of 0 added lines") != std::string::npos);
    CHECK(e.find("Survival:") == std::string::npos);
}
