// `provenant export --to postgresql://…` against a real PostgreSQL server the test starts
// (pg_server.h): the views give the report's numbers, two repositories give the sums, and an
// export killed in the middle of its COPY leaves the previous rows as they were.
#include "export_support.h"
#include "pg_server.h"

#include <csignal>

using namespace provenant::test;
using nlohmann::json;

namespace {

std::string n(const json& v) {
    return std::to_string(v.get<uint64_t>());
}

/// The server, or nullopt with a message when PostgreSQL is not installed (CI installs it:
/// scripts/packages/postgresql.txt).
std::unique_ptr<PgServer> server() {
    auto dir = PgServer::bindir();
    if (!dir) {
        MESSAGE("SKIPPED: PostgreSQL's server binaries (initdb, pg_ctl) are not installed; "
                "scripts/setup.sh installs them");
        return nullptr;
    }
    return std::make_unique<PgServer>(*dir);
}

void export_to(const ReportRepo& r, const PgServer& pg, const std::string& repo,
               std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"export", "--release", "v*", "--repo", repo, "--to", pg.url()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto res = r.provenant(args);
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
}

/// The funnel, survival and spend totals as the views give them, in a fixed shape.
std::string view_totals(const PgServer& pg, const std::string& where = "") {
    return pg.query("SELECT SUM(generated), SUM(committed), SUM(merged), SUM(released), "
                    "SUM(alive), SUM(rewritten_before_merge) FROM provenant_funnel " +
                    where) +
           pg.query("SELECT SUM(eligible), SUM(alive), SUM(human_eligible), SUM(human_alive) "
                    "FROM provenant_survival " +
                    where) +
           pg.query("SELECT SUM(input), SUM(output) FROM provenant_spend " + where);
}

/// The same from a report JSON (or the sum of two).
std::string report_totals(const std::vector<json>& reps) {
    uint64_t v[12] = {};
    for (const json& rep : reps) {
        const json& f = rep["funnel"];
        const json& s = rep["survival"];
        const uint64_t x[12] = {f["generated"].get<uint64_t>(),
                                f["committed"].get<uint64_t>(),
                                f["merged"].get<uint64_t>(),
                                f["released"].get<uint64_t>(),
                                f["alive"].get<uint64_t>(),
                                f["rewritten_before_merge"].get<uint64_t>(),
                                s["eligible"].get<uint64_t>(),
                                s["alive"].get<uint64_t>(),
                                s["human"]["eligible"].get<uint64_t>(),
                                s["human"]["alive"].get<uint64_t>(),
                                rep["spend"]["tokens"]["input"].get<uint64_t>(),
                                rep["spend"]["tokens"]["output"].get<uint64_t>()};
        for (int i = 0; i < 12; ++i)
            v[i] += x[i];
    }
    auto row = [&](int from, int to) {
        std::string s;
        for (int i = from; i < to; ++i)
            s += (i == from ? "" : "|") + std::to_string(v[i]);
        return s + "\n";
    };
    return row(0, 6) + row(6, 10) + row(10, 12);
}

} // namespace

TEST_CASE("export postgresql: the views give exactly the report's numbers, by group too") {
    auto pg = server();
    if (!pg) return;
    ReportRepo r;
    build_history(r);
    const json rep = r.report({"--release", "v*"});
    export_to(r, *pg, "acme/web");
    CHECK(view_totals(*pg) == report_totals({rep}));
    CHECK(pg->query("SELECT version FROM provenant_schema") == "2\n");
    // Rework, as the report's matrix.
    CHECK(pg->query("SELECT from_class, to_class, SUM(lines) FROM provenant_rework "
                    "GROUP BY from_class, to_class ORDER BY from_class") ==
          "ai|unknown|" + n(rep["rework"]["matrix"]["ai"]["unknown"]) + "\nhuman|deleted|" +
              n(rep["rework"]["matrix"]["human"]["deleted"]) + "\n");
    // Cost, to the last bit a double sum can differ by.
    const double cost = std::stod(pg->query("SELECT SUM(cost_usd) FROM provenant_spend"));
    CHECK(cost == doctest::Approx(rep["spend"]["cost_usd"].get<double>()).epsilon(1e-12));
    // By month: the report's groups.
    const json by_month = r.report({"--release", "v*", "--by", "month"});
    for (const json& g : by_month["groups"]) {
        const std::string month = g["key"]["month"].get<std::string>();
        CAPTURE(month);
        CHECK(pg->query("SELECT COALESCE(SUM(committed), 0), COALESCE(SUM(merged), 0), "
                        "COALESCE(SUM(alive), 0) FROM provenant_funnel "
                        "WHERE month = '" +
                        month + "'") == n(g["funnel"]["committed"]) + "|" +
                                            n(g["funnel"]["merged"]) + "|" +
                                            n(g["funnel"]["alive"]) + "\n");
    }
    // Re-exporting replaces: nothing doubled.
    const std::string rows = pg->query("SELECT COUNT(*) FROM provenant_commit_rows");
    export_to(r, *pg, "acme/web");
    CHECK(pg->query("SELECT COUNT(*) FROM provenant_commit_rows") == rows);
    CHECK(view_totals(*pg) == report_totals({rep}));
}

TEST_CASE("export postgresql: two repositories in one database give the sums") {
    auto pg = server();
    if (!pg) return;
    ReportRepo a, b;
    build_history(a, "aider");
    build_history(b, "codex");
    b.agent_write("src/e.py", "", numbered("e", 1, 4), "codex", "gpt-5.4", 10, 5);
    b.commit_on(41, "e");
    const json ra = a.report({"--release", "v*"}), rb = b.report({"--release", "v*"});
    export_to(a, *pg, "acme/a");
    export_to(b, *pg, "acme/b");
    CHECK(view_totals(*pg) == report_totals({ra, rb}));
    CHECK(view_totals(*pg, "WHERE repo = 'acme/a'") == report_totals({ra}));
    CHECK(view_totals(*pg, "WHERE repo = 'acme/b'") == report_totals({rb}));
    CHECK(view_totals(*pg, "WHERE tool = 'codex'") ==
          view_totals(*pg, "WHERE repo = 'acme/b' AND tool IS NOT NULL"));
    CHECK(pg->query("SELECT repo FROM provenant_repos ORDER BY repo") == "acme/a\nacme/b\n");
}

TEST_CASE("export postgresql: an export killed in the middle of its COPY leaves the old rows") {
    auto pg = server();
    if (!pg) return;
    ReportRepo r;
    build_history(r);
    const json before = r.report({"--release", "v*"});
    export_to(r, *pg, "web");
    const std::string rows = pg->query("SELECT COUNT(*) FROM provenant_commit_rows");
    const std::string totals = view_totals(*pg);
    REQUIRE(totals == report_totals({before}));

    // More history, so the new export's rows differ; it pauses after 3 rows of its COPY.
    r.agent_write("src/e.py", "", numbered("e", 1, 4), "aider", "gpt-5.4", 10, 5);
    r.commit_on(41, "e");
    const EnvOverrides overrides = {{"PROVENANT_TEST_EXPORT_PAUSE_AFTER_ROWS", "3"}};
    Child child({PROVENANT_BINARY, "export", "--release", "v*", "--repo", "web", "--to", pg->url()},
                r.path(), overrides, r.path() + "/.git/export.err");
    auto said = child.read_until("paused after 3 rows\n", std::chrono::seconds(60));
    REQUIRE_MESSAGE(said.has_value(), read_text(r.path() + "/.git/export.err"));
    // The server is in the middle of that COPY, inside the export's transaction.
    CHECK(pg->query("SELECT COUNT(*) FROM pg_stat_progress_copy") == "1\n");
    CHECK(pg->query("SELECT COUNT(*) FROM provenant_commit_rows") == rows);
    child.kill(SIGKILL);
    CHECK(child.wait(std::chrono::seconds(30)) == 128 + SIGKILL);
    // Nothing of it is visible, before or after the server notices: the old rows, whole.
    CHECK(pg->query("SELECT COUNT(*) FROM provenant_commit_rows") == rows);
    CHECK(view_totals(*pg) == totals);
    // And the next export (waiting for the dead one's lock, if the server still holds it)
    // replaces them.
    export_to(r, *pg, "web");
    const json after = r.report({"--release", "v*"});
    CHECK(view_totals(*pg) == report_totals({after}));
    CHECK(view_totals(*pg) != totals);
}

TEST_CASE("export postgresql: a version 1 database is upgraded to version 2 in the export") {
    auto pg = server();
    if (!pg) return;
    ReportRepo r;
    build_history(r);
    const std::string deploys = write_deployments(r);
    // The tables an older provenant made: schema version 1.
    pg->query(read_text(std::string(PROVENANT_SOURCE_DIR) + "/server/export/sql/v1.sql"));
    REQUIRE(pg->query("SELECT version FROM provenant_schema") == "1\n");
    export_to(r, *pg, "web", {"--deployments", deploys});
    CHECK(pg->query("SELECT version FROM provenant_schema") == "2\n");
    // deployed_test.cpp's numbers: 8 AI lines reached production on 2026-01-10.
    CHECK(pg->query("SELECT SUM(deployed), MIN(deployed_at) FROM provenant_commit_rows WHERE "
                    "class IN ('ai', 'ai_modified') AND deployed > 0") ==
          "8|2026-01-10T00:00:00Z\n");
    const json rep = r.report({"--release", "v*", "--deployments", deploys});
    CHECK(view_totals(*pg) == report_totals({rep}));
}
