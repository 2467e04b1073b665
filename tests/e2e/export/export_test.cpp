// `provenant export --format ndjson|csv` and `--to sqlite:FILE`: the rows sum to exactly the
// numbers `provenant report --format json` gives for the same repository and options.
#include "export_support.h"

#include <filesystem>
#include <sys/stat.h>

using namespace provenant::test;
using nlohmann::json;

namespace {

/// RFC 4180 records (fields may be quoted and hold commas, quotes and line breaks).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false, was_quoted = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = was_quoted = true;
        } else if (c == ',') {
            rows.back().push_back(field);
            field.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            rows.back().push_back(field);
            field.clear();
            rows.emplace_back();
            ++i;
        } else {
            field += c;
        }
    }
    (void)was_quoted;
    if (rows.back().empty()) rows.pop_back();
    return rows;
}

} // namespace

TEST_CASE("export: commit rows sum to the report's totals, funnel, survival and spend") {
    ReportRepo r;
    build_history(r);
    const json rep = r.report({"--release", "v*"});
    const auto rows = export_rows(r, {"--release", "v*", "--repo", "acme/web"});
    REQUIRE(!rows.empty());
    for (const auto& row : rows) {
        CHECK(row["repo"] == "acme/web");
        CHECK(row["commit"].get<std::string>().size() == 40);
        CHECK(row["author"] == "author@example.com");
    }
    Sums s = sum_rows(rows);
    // The worked example's numbers (docs/report.md) without d.py: independent of the engine.
    CHECK(s.committed == 14);
    CHECK(s.merged == 9);
    CHECK(s.released == 9);
    CHECK(s.alive == 6);
    CHECK(s.rbm == 2);
    CHECK(s.input == 350);
    CHECK(s.output == 70);
    // And every number the report gives.
    const json& t = rep["totals"]["lines_added"];
    for (const char* cls : {"ai", "ai_modified", "human", "paste", "unknown"})
        CHECK_MESSAGE(s.added[cls] == t[cls].get<uint64_t>(), cls);
    CHECK(s.generated == rep["funnel"]["generated"].get<uint64_t>());
    CHECK(s.committed == rep["funnel"]["committed"].get<uint64_t>());
    CHECK(s.merged == rep["funnel"]["merged"].get<uint64_t>());
    CHECK(s.released == rep["funnel"]["released"].get<uint64_t>());
    CHECK(s.alive == rep["funnel"]["alive"].get<uint64_t>());
    CHECK(s.rbm == rep["funnel"]["rewritten_before_merge"].get<uint64_t>());
    CHECK(s.eligible == rep["survival"]["eligible"].get<uint64_t>());
    CHECK(s.survived == rep["survival"]["alive"].get<uint64_t>());
    CHECK(s.human_eligible == rep["survival"]["human"]["eligible"].get<uint64_t>());
    CHECK(s.human_survived == rep["survival"]["human"]["alive"].get<uint64_t>());
    CHECK(s.input == rep["spend"]["tokens"]["input"].get<uint64_t>());
    CHECK(s.cost == doctest::Approx(rep["spend"]["cost_usd"].get<double>()));
    // When: a.py's lines reached main with their own commit (day 1), b.py's with the merge
    // (day 5); v1 (day 5) released both.
    for (const auto& row : rows) {
        if (row["path"] == "src/a.py" && row["class"] == "ai") {
            CHECK(row["merged_at"] == "2026-01-02T00:00:00Z");
            CHECK(row["released_at"] == "2026-01-06T00:00:00Z");
        }
        if (row["path"] == "src/b.py" && row["class"] == "ai")
            CHECK(row["merged_at"] == "2026-01-06T00:00:00Z");
        if (row["path"] == "src/c.py") CHECK(row["merged_at"].is_null());
    }
}

TEST_CASE("export: fate rows are runs of lines with their ends, and give the report's rework") {
    ReportRepo r;
    build_history(r);
    const json rep = r.report({});
    const auto fates = export_rows(r, {"--rows", "fates"});
    uint64_t lines = 0;
    std::map<std::string, std::map<std::string, uint64_t>> rework;
    for (const auto& f : fates) {
        lines += f["lines"].get<uint64_t>();
        if (f["reworked"].get<bool>())
            rework[f["class"].get<std::string>()][f["end_by"].get<std::string>()] +=
                f["lines"].get<uint64_t>();
        // Alive lines have no end on the way to --at; ended ones are not alive (lines of a
        // branch --at does not contain are neither).
        if (f["alive"].get<bool>()) CHECK(f["ended_commit"].is_null());
        if (!f["ended_commit"].is_null()) CHECK_FALSE(f["alive"].get<bool>());
    }
    // 4 base + 6 a + 5 b + 1 b edit + 3 c + 3 notes + 1 a6: every non-blank line born.
    CHECK(lines == 23);
    const json expect = {{"ai", {{"unknown", 1}}}, {"human", {{"deleted", 1}}}};
    CHECK(json(rework) == expect);
    CHECK(json(rework) == rep["rework"]["matrix"]);
    // a.py lines 1-2 were deleted on day 40 by the same commit: one run, with its end.
    bool found = false;
    for (const auto& f : fates)
        if (f["path"] == "src/a.py" && f["ended_at"] == "2026-02-10T00:00:00Z") {
            found = true;
            CHECK(f["lines"] == 2);
            CHECK(f["end_by"] == "deleted");
            CHECK(f["ended_by"] == "author@example.com");
            CHECK(f["born_at"] == "2026-01-02T00:00:00Z");
            CHECK_FALSE(f["reworked"].get<bool>()); // 39 days after its merge
        }
    CHECK(found);
}

TEST_CASE("export: csv is RFC 4180 and safe in a spreadsheet") {
    ReportRepo r;
    r.write("=cmd|' /C calc'!A0,\"x\".py", "one\ntwo\n");
    r.commit_on(0, "odd name");
    auto res = r.provenant({"export", "--format", "csv", "--repo", "a,\"b\""});
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
    const auto rows = parse_csv(res.out);
    REQUIRE(rows.size() == 2); // header and one (commit, file, class) row
    CHECK(rows[0][0] == "repo");
    CHECK(rows[0][1] == "commit");
    REQUIRE(rows[1].size() == rows[0].size());
    CHECK(rows[1][0] == "a,\"b\"");
    size_t path = std::find(rows[0].begin(), rows[0].end(), "path") - rows[0].begin();
    CHECK(rows[1][path] == "'=cmd|' /C calc'!A0,\"x\".py");
    size_t lines = std::find(rows[0].begin(), rows[0].end(), "lines") - rows[0].begin();
    CHECK(rows[1][lines] == "2");
    size_t team = std::find(rows[0].begin(), rows[0].end(), "team") - rows[0].begin();
    CHECK(rows[1][team].empty()); // null
}

TEST_CASE("export: --repo defaults to the origin remote's path, else the directory's name") {
    ReportRepo r;
    r.write("a.txt", "a\n");
    r.commit_on(0, "a");
    auto rows = export_rows(r, {});
    REQUIRE(!rows.empty());
    CHECK(rows[0]["repo"] == std::filesystem::path(r.path()).filename().string());
    r.git({"remote", "add", "origin", "git@github.com:acme/api.git"});
    rows = export_rows(r, {});
    CHECK(rows[0]["repo"] == "acme/api");
    r.git({"remote", "set-url", "origin", "https://gitlab.example.com/group/sub/api.git/"});
    rows = export_rows(r, {});
    CHECK(rows[0]["repo"] == "group/sub/api");
}

TEST_CASE("export: bad options get a clear message and a non-zero exit") {
    ReportRepo r;
    r.write("a.txt", "a\n");
    r.commit_on(0, "a");
    auto bad = [&](std::vector<std::string> args, const std::string& says) {
        args.insert(args.begin(), "export");
        auto res = r.provenant(args);
        CHECK(res.exit_code == 1);
        CHECK_MESSAGE(res.err.find(says) != std::string::npos, res.err);
        CHECK(res.out.empty());
    };
    bad({"--format", "xml"}, "--format");
    bad({"--rows", "lines"}, "--rows");
    bad({"--to", "mysql://x"}, "postgresql://");
    bad({"--to", "sqlite:"}, "sqlite:FILE");
    bad({"--to", "sqlite:x.db", "--format", "csv"}, "leave out --format");
    bad({"--main", "nope"}, "--main: unknown ref 'nope'");
    bad({"--since", "yesterday"}, "not a date");
    bad({"--to", "postgresql://nobody@/none?host=" + r.path() + "/no-socket"},
        "nothing was written");
}

TEST_CASE("export: --to sqlite gives the report's numbers in its views, and re-exports replace") {
    ReportRepo r;
    build_history(r);
    const json rep = r.report({"--release", "v*"});
    const std::string db = r.path() + "/.git/export.sqlite";
    for (int round = 0; round < 2; ++round) {
        auto res =
            r.provenant({"export", "--release", "v*", "--repo", "web", "--to", "sqlite:" + db});
        REQUIRE_MESSAGE(res.exit_code == 0, res.err);
    }
    struct stat st {};
    REQUIRE(::stat(db.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const json& f = rep["funnel"];
    CHECK(sqlite(db, "SELECT SUM(generated), SUM(committed), SUM(merged), SUM(released), "
                     "SUM(alive), SUM(rewritten_before_merge) FROM provenant_funnel") ==
          std::to_string(f["generated"].get<uint64_t>()) + "|" +
              std::to_string(f["committed"].get<uint64_t>()) + "|" +
              std::to_string(f["merged"].get<uint64_t>()) + "|" +
              std::to_string(f["released"].get<uint64_t>()) + "|" +
              std::to_string(f["alive"].get<uint64_t>()) + "|" +
              std::to_string(f["rewritten_before_merge"].get<uint64_t>()) + "\n");
    const json& sv = rep["survival"];
    CHECK(sqlite(db, "SELECT SUM(eligible), SUM(alive), SUM(human_eligible), SUM(human_alive), "
                     "MIN(days) FROM provenant_survival") ==
          std::to_string(sv["eligible"].get<uint64_t>()) + "|" +
              std::to_string(sv["alive"].get<uint64_t>()) + "|" +
              std::to_string(sv["human"]["eligible"].get<uint64_t>()) + "|" +
              std::to_string(sv["human"]["alive"].get<uint64_t>()) + "|30\n");
    CHECK(sqlite(db,
                 "SELECT from_class, to_class, SUM(lines) FROM provenant_rework GROUP BY "
                 "from_class, to_class ORDER BY from_class") == "ai|unknown|1\nhuman|deleted|1\n");
    CHECK(sqlite(db, "SELECT SUM(input), SUM(output) FROM provenant_spend") == "350|70\n");
    // Twice exported, once counted.
    CHECK(sqlite(db, "SELECT COUNT(*) FROM provenant_repos") == "1\n");
}
