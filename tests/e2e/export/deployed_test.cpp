// `deployed` and `deployed_at` (issue 13: "whether and when it reached main, a release and
// production"): production deployments apart from releases, while `released` stays the
// report's funnel stage (a release or a production deployment).
#include "export_support.h"

using namespace provenant::test;
using nlohmann::json;

namespace {

std::string deployed_history(ReportRepo& r) {
    build_history(r);
    return write_deployments(r);
}

struct Deployed {
    uint64_t ai = 0, human = 0, unknown = 0;
};

Deployed sum_deployed(const std::vector<json>& rows) {
    Deployed d;
    for (const auto& row : rows) {
        if (row["class"].is_null()) {
            CHECK(row["deployed"].is_null()); // spend rows have no lines
            continue;
        }
        REQUIRE(row["deployed"].is_number_unsigned());
        const uint64_t n = row["deployed"].get<uint64_t>();
        CHECK(n <= row["lines"].get<uint64_t>());
        CHECK(row["deployed_at"].is_null() == (n == 0));
        if (n != 0) CHECK(row["deployed_at"] == "2026-01-10T00:00:00Z");
        if (is_ai_class(row["class"])) d.ai += n;
        if (row["class"] == "human") d.human += n;
        if (row["class"] == "unknown") d.unknown += n;
    }
    return d;
}

} // namespace

TEST_CASE("export: deployed counts production deployments apart; released stays the report's") {
    ReportRepo r;
    const std::string deploys = deployed_history(r);

    // Without --deployments nothing is known of production: null, never 0.
    for (const auto& row : export_rows(r, {"--release", "v*"})) {
        REQUIRE(row.contains("deployed"));
        CHECK(row["deployed"].is_null());
        CHECK(row["deployed_at"].is_null());
    }

    const std::vector<std::string> opts = {"--release", "v*", "--deployments", deploys};
    const json rep = r.report(opts);
    const auto rows = export_rows(r, opts);
    // released: the report's number, releases and deployments together.
    CHECK(sum_rows(rows).released == rep["funnel"]["released"].get<uint64_t>());
    // deployed: a.py's lines 1-5 (line 6 was replaced in the deployed commit itself), b.py's
    // 3 merged lines; c.py never reached main. notes.md's 3 human lines. Unknown (no note):
    // base.txt's 4, b.py's new line 2 (day 3) and a.py's new line 6 (day 8).
    const Deployed d = sum_deployed(rows);
    CHECK(d.ai == 8);
    CHECK(d.human == 3);
    CHECK(d.unknown == 6);
    for (const auto& row : rows)
        if (row["path"] == "src/c.py") CHECK(row["deployed"] == 0);

    // With deployments alone, released and deployed are one stage, row by row.
    for (const auto& row : export_rows(r, {"--deployments", deploys})) {
        if (row["class"].is_null()) continue;
        CHECK(row["deployed"] == row["released"]);
        CHECK(row["deployed_at"] == row["released_at"]);
    }

    // CSV has the two columns, next to released; an unknown deployed is an empty field.
    auto csv = r.provenant({"export", "--format", "csv", "--release", "v*"});
    REQUIRE_MESSAGE(csv.exit_code == 0, csv.err);
    const std::string header = csv.out.substr(0, csv.out.find("\r\n"));
    CHECK(header.find(",released,released_at,deployed,deployed_at,alive,") != std::string::npos);
}

TEST_CASE("export: a version 1 SQLite database is upgraded to version 2 in the export") {
    ReportRepo r;
    const std::string deploys = deployed_history(r);
    const std::string db = r.path() + "/.git/v1.sqlite";
    // A database an older provenant made: schema version 1, one repository's rows.
    auto made = run({"sqlite3", "-batch", db,
                     ".read " + std::string(PROVENANT_SOURCE_DIR) + "/server/export/sql/v1.sql"});
    REQUIRE_MESSAGE(made.exit_code == 0, made.err);
    REQUIRE(sqlite(db, "SELECT version FROM provenant_schema") == "1\n");

    auto res = r.provenant({"export", "--release", "v*", "--deployments", deploys, "--repo", "web",
                            "--to", "sqlite:" + db});
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
    CHECK(sqlite(db, "SELECT version FROM provenant_schema") == "2\n");
    CHECK(sqlite(db, "SELECT SUM(deployed) FROM provenant_commit_rows WHERE class IN ('ai', "
                     "'ai_modified')") == "8\n");
    CHECK(sqlite(db, "SELECT COUNT(*) FROM provenant_commit_rows WHERE path IS NULL AND "
                     "deployed IS NOT NULL") == "0\n");
    // The views still give the report's funnel.
    const json f = r.report({"--release", "v*", "--deployments", deploys})["funnel"];
    CHECK(sqlite(db, "SELECT SUM(released) FROM provenant_funnel") ==
          std::to_string(f["released"].get<uint64_t>()) + "\n");

    // A new database is the same: version 1 then version 2, so the tables agree.
    const std::string fresh = r.path() + "/.git/fresh.sqlite";
    res = r.provenant({"export", "--repo", "web", "--to", "sqlite:" + fresh});
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
    const std::string columns = "SELECT group_concat(name, ',') FROM pragma_table_info("
                                "'provenant_commit_rows')";
    CHECK(sqlite(fresh, columns) == sqlite(db, columns));
    CHECK(sqlite(fresh, "SELECT version FROM provenant_schema") == "2\n");
    CHECK(sqlite(fresh, "SELECT COUNT(*) FROM provenant_commit_rows WHERE deployed IS NOT NULL") ==
          "0\n"); // no --deployments: unknown

    // A database of a version this provenant does not know is refused, and left alone.
    run({"sqlite3", "-batch", fresh, "UPDATE provenant_schema SET version = 3"});
    res = r.provenant({"export", "--repo", "web", "--to", "sqlite:" + fresh});
    CHECK(res.exit_code != 0);
    CHECK_MESSAGE(res.err.find("schema version 3") != std::string::npos, res.err);
}
