// `provenant report` on a generated history with known ground truth: every expected number
// is counted here from what the test wrote (see the comments on each step), never by the
// engine.
#include "report_support.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sys/stat.h>

using namespace provenant::test;
using nlohmann::json;

namespace {

/// The history every test here reports on (days after 2026-01-01):
///  d0  main  base.txt, 4 lines nobody watched                 -> 4 unknown
///  d1  main  aider writes src/a.py (6 lines)                   -> 6 ai (born, merged d1)
///  d2  feat  aider writes src/b.py (5 lines)                   -> 5 ai (merged d5)
///  d3  feat  unwatched: b.py line 2 replaced, line 5 deleted   -> 1 unknown; 2 ai rewritten before
///  merge d4  wip   aider writes src/c.py (3 lines), never merged     -> 3 ai d5  main  merge feat
///  (tag v1 here)                          -> no line born d6  main  notes.md, 3 lines, its note
///  (written here) human  -> 3 human d8  main  unwatched: a.py line 6 replaced                   ->
///  1 unknown; ai->unknown rework (7 days) d20 main  unwatched: notes.md line 3 deleted ->
///  human->deleted rework (14 days) d40 main  unwatched: a.py lines 1-2 deleted                 ->
///  39 days after merge: not rework d50 main  src/d.py with a git-ai note: 1-2 cursor, 3 human  ->
///  2 ai, 1 human, 1 unknown
struct History {
    ReportRepo repo;
    std::string c0, c1, c2, c3, c4, c5, ch, c8, c20, c40, c50;
};

const std::string kAi6 = numbered("a", 1, 6);

void build(History& h) {
    ReportRepo& r = h.repo;
    r.write("base.txt", numbered("base", 1, 4));
    h.c0 = r.commit_on(0, "base");
    r.agent_write("src/a.py", "", kAi6, "aider", "gpt-5.4", 100, 20);
    h.c1 = r.commit_on(1, "a");
    r.git({"checkout", "-q", "-b", "feat"});
    const std::string b5 = numbered("b", 1, 5);
    r.agent_write("src/b.py", "", b5, "aider", "gpt-5.4", 200, 40);
    h.c2 = r.commit_on(2, "b");
    r.write("src/b.py", "b 1\nB TWO\nb 3\nb 4\n");
    h.c3 = r.commit_on(3, "b edited");
    r.git({"checkout", "-q", "-b", "wip", h.c1});
    r.agent_write("src/c.py", "", numbered("c", 1, 3), "aider", "gpt-5.4", 50, 10);
    h.c4 = r.commit_on(4, "c");
    r.git({"checkout", "-q", "main"});
    h.c5 = r.merge_on(5, "feat");
    r.git({"tag", "v1"});
    r.write("notes.md", "one\ntwo\nthree\n");
    h.ch = r.commit_on(6, "notes");
    // The person's lines, as a sidecar would have recorded them.
    const std::string blob = r.git({"rev-parse", "HEAD:notes.md"}).out.substr(0, 40);
    json note = {{"schema", "provenant/1"},
                 {"commit", h.ch},
                 {"parent", h.c5},
                 {"files", {{"notes.md", {{"blob", blob}, {"lines", {{"human", "1-3"}}}}}}},
                 {"origins", json::object()}};
    r.git({"notes", "--ref=provenant", "add", "-f", "-m", note.dump(), h.ch});
    r.write("src/a.py", numbered("a", 1, 5) + "A SIX\n");
    h.c8 = r.commit_on(8, "a6");
    r.write("notes.md", "one\ntwo\n");
    h.c20 = r.commit_on(20, "notes 3");
    r.write("src/a.py", numbered("a", 3, 5) + "A SIX\n");
    h.c40 = r.commit_on(40, "a12");
    r.write("src/d.py", "d 1\nd 2\nd 3\nd 4\n");
    h.c50 = r.commit_on(50, "d");
    r.git({"notes", "--ref=provenant", "remove", h.c50}, true);
    const std::string gitai =
        "src/d.py\n  s_0123456789abcd::t_00000000000001 1-2\n  h_0123456789abcd 3\n---\n" +
        json{{"schema_version", "authorship/3.0.0"},
             {"base_commit_sha", h.c50},
             {"prompts", json::object()},
             {"sessions",
              {{"s_0123456789abcd",
                {{"agent_id", {{"tool", "cursor"}, {"id", "conv-1"}, {"model", "gpt-5"}}}}}}},
             {"humans", {{"h_0123456789abcd", {{"author", "Ana <ana@example.com>"}}}}}}
            .dump(2) +
        "\n";
    r.git({"notes", "--ref=ai", "add", "-f", "-m", gitai, h.c50});
}

/// The commits that have a note, asked of git.
size_t commits_with_notes(const ReportRepo& r, const std::vector<std::string>& commits) {
    size_t n = 0;
    for (const auto& c : commits) {
        bool mine = r.git({"notes", "--ref=provenant", "show", c}, true).exit_code == 0;
        bool theirs = r.git({"notes", "--ref=ai", "show", c}, true).exit_code == 0;
        n += (mine || theirs) ? 1 : 0;
    }
    return n;
}

const json* group_with(const json& report, const std::string& key, const json& value) {
    for (const auto& g : report["groups"])
        if (g["key"][key] == value) return &g;
    return nullptr;
}

} // namespace

TEST_CASE("report: every number of a generated history, counted independently") {
    History h;
    build(h);
    ReportRepo& r = h.repo;
    const std::string prices = r.path() + "/../prices.json";
    {
        std::ofstream p(prices);
        p << R"({"schema": "provenant-prices/1", "as_of": "2026-01-01", "models":
                 {"gpt-5.4": {"vendor": "openai", "input": 1, "output": 2}}})";
    }
    json rep = r.report({"--release", "v*", "--prices", prices, "--by", "tool"});
    INFO(rep.dump(2));
    CHECK(rep["schema"] == "provenant-report/1");

    // 11 commits, the merge included.
    const std::vector<std::string> all{h.c0, h.c1, h.c2,  h.c3,  h.c4, h.c5,
                                       h.ch, h.c8, h.c20, h.c40, h.c50};
    CHECK(rep["totals"]["commits"] == all.size());
    CHECK(rep["totals"]["commits_with_notes"] == commits_with_notes(r, all));
    const json& added = rep["totals"]["lines_added"];
    CHECK(added["ai"] == 6 + 5 + 3 + 2);
    CHECK(added["ai_modified"] == 0);
    CHECK(added["human"] == 3 + 1);
    CHECK(added["paste"] == 0);
    CHECK(added["unknown"] == 4 + 1 + 1 + 1);

    const json& f = rep["funnel"];
    CHECK(f["committed"] == 16);
    // a.py's 6 (merged at d1), b.py's 3 survivors (merged at d5), d.py's 2 (d50).
    CHECK(f["merged"] == 6 + 3 + 2);
    CHECK(f["rewritten_before_merge"] == 2);
    // In v1 (d5): a.py's 6 and b.py's 3.
    CHECK(f["released"] == 6 + 3);
    // At main: a.py lines 3-5, b.py's 3, d.py's 2.
    CHECK(f["alive"] == 3 + 3 + 2);
    CHECK(f["production_rate"].get<double>() == doctest::Approx(8.0 / 16.0));
    // What the agent generated, as its notes say.
    uint64_t generated = 0;
    for (const auto& c : all) {
        auto shown = r.git({"notes", "--ref=provenant", "show", c}, true);
        if (shown.exit_code != 0) continue;
        const json shown_note = json::parse(shown.out);
        for (const auto& [id, o] : shown_note["origins"].items())
            if (o.contains("funnel")) generated += o["funnel"]["generated"].get<uint64_t>();
    }
    CHECK(generated == 14);
    CHECK(f["generated"] == generated);
    CHECK(f["retention"].get<double>() == doctest::Approx(16.0 / 14.0));

    // Survival at 30 days, measured at d50: merged by d20 -> a.py (d1) and b.py (d5):
    // 9 eligible; a.py line 6 ended 7 days after its merge; lines 1-2 after 39 (alive at 30).
    // d.py (merged d50) is too young: left out.
    const json& s = rep["survival"];
    CHECK(s["days"] == 30);
    CHECK(s["eligible"] == 9);
    CHECK(s["alive"] == 8);
    CHECK(s["rate"].get<double>() == doctest::Approx(8.0 / 9.0));
    // Human: notes.md (merged d6): line 3 ended 14 days later; d.py's line too young.
    CHECK(s["human"]["eligible"] == 3);
    CHECK(s["human"]["alive"] == 2);
    REQUIRE(s["curve"].is_array());
    CHECK(s["curve"][0]["day"] == 0);
    CHECK(s["curve"][0]["share"] == 1.0);

    // Rework within 21 days of the merge: a.py line 6 (ai -> unknown, 7 days), notes.md line 3
    // (human -> deleted, 14 days). a.py lines 1-2 (39 days) are outside the window.
    const json& m = rep["rework"]["matrix"];
    CHECK(rep["rework"]["days"] == 21);
    CHECK(m["ai"]["unknown"] == 1);
    CHECK(m["human"]["deleted"] == 1);
    CHECK(m.size() == 2);
    CHECK(m["ai"].size() == 1);

    // Spend: 350 input and 70 output tokens of gpt-5.4 at $1 and $2 per million.
    const json& sp = rep["spend"];
    CHECK(sp["tokens"]["input"] == 350);
    CHECK(sp["tokens"]["output"] == 70);
    const double cost = (350 * 1.0 + 70 * 2.0) / 1e6;
    CHECK(sp["cost_usd"].get<double>() == doctest::Approx(cost));
    CHECK(sp["cost_per_committed_ai_line"].get<double>() == doctest::Approx(cost / 16));
    CHECK(sp["cost_per_alive_ai_line"].get<double>() == doctest::Approx(cost / 8));

    // Shapes over non-merge commits adding non-blank lines.
    const json& sh = rep["shapes"];
    CHECK(sh["ai_only"] == 3);      // a, b, c
    CHECK(sh["human_only"] == 1);   // notes
    CHECK(sh["unknown_only"] == 3); // base, b edited, a6
    CHECK(sh["mixed"] == 1);        // d

    // By tool: aider's lines are a, b, c; cursor's d.py's two.
    const json* aider = group_with(rep, "tool", "aider");
    REQUIRE(aider != nullptr);
    CHECK((*aider)["totals"]["lines_added"]["ai"] == 14);
    CHECK((*aider)["funnel"]["merged"] == 9);
    CHECK((*aider)["funnel"]["alive"] == 6);
    CHECK((*aider)["spend"]["cost_usd"].get<double>() == doctest::Approx(cost));
    const json* cursor = group_with(rep, "tool", "cursor");
    REQUIRE(cursor != nullptr);
    CHECK((*cursor)["totals"]["lines_added"]["ai"] == 2);
    CHECK((*cursor)["funnel"]["alive"] == 2);
    const json* none = group_with(rep, "tool", nullptr);
    REQUIRE(none != nullptr);
    CHECK((*none)["totals"]["lines_added"]["unknown"] == 7);
    CHECK((*none)["totals"]["lines_added"]["human"] == 4);
    // The groups are sorted by committed AI lines.
    CHECK(rep["groups"][0]["key"]["tool"] == "aider");
}

TEST_CASE("report: a range and dates select whose lines are counted") {
    History h;
    build(h);
    ReportRepo& r = h.repo;
    // feat's own commits: b.py's 5 ai lines and the 1 unknown replacement.
    json rep = r.report({h.c1 + "..feat"});
    CHECK(rep["totals"]["commits"] == 2);
    CHECK(rep["totals"]["lines_added"]["ai"] == 5);
    CHECK(rep["totals"]["lines_added"]["unknown"] == 1);
    CHECK(rep["funnel"]["merged"] == 3);
    CHECK(rep["funnel"]["rewritten_before_merge"] == 2);
    // February onwards: d40 and d50 (d.py).
    json feb = r.report({"--since", "2026-02-01"});
    CHECK(feb["totals"]["commits"] == 2);
    CHECK(feb["totals"]["lines_added"]["ai"] == 2);
    // By month: January holds all of aider's lines.
    json months = r.report({"--by", "month"});
    const json* jan = group_with(months, "month", "2026-01");
    REQUIRE(jan != nullptr);
    CHECK((*jan)["totals"]["lines_added"]["ai"] == 14);
    CHECK((*jan)["totals"]["commits"] == 9); // d0 to d20 (Jan 21)
}

TEST_CASE("report: deployments mark what was released") {
    History h;
    build(h);
    ReportRepo& r = h.repo;
    const std::string file = r.path() + "/../deploys.csv";
    {
        std::ofstream d(file);
        d << "commit,environment,deployed_at\n"
          << h.c1 << ",production,2026-01-02T00:00:00Z\n"
          << h.c50 << ",staging,2026-02-21T00:00:00Z\n";
    }
    json rep = r.report({"--deployments", file});
    // Deployed: c1 and its ancestors: a.py's 6 lines. Staging does not count.
    CHECK(rep["funnel"]["released"] == 6);
    std::ofstream(file, std::ios::app) << "zzz,production\n";
    auto bad = r.provenant({"report", "--deployments", file});
    CHECK(bad.exit_code != 0);
    CHECK(bad.err.find(":4") != std::string::npos);
}

TEST_CASE("report: bad input gets a clear message and exit code 1 (docs/report.md)") {
    ReportRepo r;
    r.write("x.txt", "x\n");
    r.commit_on(0, "x");
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"report", "--main", "nope"},
          {"report", "--at", "nope"},
          {"report", "--release", "nope"},
          {"report", "nope..HEAD"},
          {"report", "HEAD..nope"},
          {"report", "nope"}}) {
        const std::string shown = args[1] + (args.size() > 2 ? " " + args[2] : "");
        CAPTURE(shown);
        auto unknown_ref = r.provenant(args);
        CHECK(unknown_ref.exit_code == 1);
        CHECK(unknown_ref.err.find("'nope'") != std::string::npos);
    }
    auto empty = r.provenant({"report", "HEAD..HEAD"});
    CHECK(empty.exit_code == 1);
    CHECK(empty.err.find("no commits") != std::string::npos);
    auto by = r.provenant({"report", "--by", "colour"});
    CHECK(by.exit_code == 1);
    CHECK(by.err.find("colour") != std::string::npos);
    const std::string teams = r.path() + "/../teams.toml";
    std::ofstream(teams) << "[teams.a]\nmembers = [\"x@y\"\n";
    auto bad_teams = r.provenant({"report", "--teams", teams});
    CHECK(bad_teams.exit_code == 1);
    CHECK(bad_teams.err.find("teams.toml") != std::string::npos);
    // A note that cannot be read: its commit is untracked, said once, no crash.
    r.git({"notes", "--ref=provenant", "add", "-f", "-m", "{not json", "HEAD"});
    auto broken = r.provenant({"report", "--format", "json"});
    REQUIRE(broken.exit_code == 0);
    json rep = json::parse(broken.out);
    CHECK(rep["totals"]["commits_with_notes"] == 0);
    CHECK(rep["totals"]["lines_added"]["unknown"] == 1);
    size_t said = 0;
    for (size_t p = broken.err.find("cannot be read"); p != std::string::npos;
         p = broken.err.find("cannot be read", p + 1))
        ++said;
    CHECK(said == 1);
}

namespace {

std::string store_file(const ReportRepo& r) {
    return r.path() + "/.git/provenant/analysis.sqlite";
}

/// The report with nothing stored (the independent reference for the cache).
json uncached(const ReportRepo& r) {
    return r.report({"--release", "v*", "--no-cache"});
}

} // namespace

TEST_CASE("report: the store gives the same answer, and is rebuilt when it cannot be trusted") {
    History h;
    build(h);
    ReportRepo& r = h.repo;
    const json cold = r.report({"--release", "v*"});
    REQUIRE(std::filesystem::exists(store_file(r)));
    struct stat st {};
    REQUIRE(::stat(store_file(r).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(uncached(r) == cold);
    // The report cache would answer the same options without reading the store: what follows
    // damages the store, so the report must read it.
    auto drop_report_cache = [&] {
        std::filesystem::remove_all(r.path() + "/.git/provenant/reports");
    };
    SUBCASE("second run") {
        CHECK(r.report({"--release", "v*"}) == cold);
    }
    SUBCASE("corrupt") {
        drop_report_cache();
        std::string bytes = r.read(".git/provenant/analysis.sqlite");
        for (size_t i = 100; i < bytes.size(); i += 512)
            bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
        r.write(".git/provenant/analysis.sqlite", bytes);
        CHECK(r.report({"--release", "v*"}) == cold);
    }
    SUBCASE("truncated") {
        drop_report_cache();
        std::string bytes = r.read(".git/provenant/analysis.sqlite");
        r.write(".git/provenant/analysis.sqlite", bytes.substr(0, bytes.size() / 3));
        CHECK(r.report({"--release", "v*"}) == cold);
    }
    SUBCASE("another version") {
        drop_report_cache();
        auto q =
            run({"sqlite3", store_file(r), "UPDATE meta SET value = '0' WHERE name = 'version'"});
        REQUIRE_MESSAGE(q.exit_code == 0, q.err);
        CHECK(r.report({"--release", "v*"}) == cold);
    }
    SUBCASE("a stored row that points nowhere") {
        drop_report_cache();
        // The first line run's birth (bytes 4-7 of its chunk, little-endian) becomes 99999.
        auto hex =
            run({"sqlite3", store_file(r), "SELECT hex(data) FROM line_chunks WHERE seq = 0"});
        REQUIRE_MESSAGE(hex.exit_code == 0, hex.err);
        std::string data = hex.out.substr(0, hex.out.find_first_of("\r\n"));
        REQUIRE(data.size() >= 34);
        data.replace(8, 8, "9F860100");
        auto q = run({"sqlite3", store_file(r),
                      "UPDATE line_chunks SET data = X'" + data + "' WHERE seq = 0"});
        REQUIRE_MESSAGE(q.exit_code == 0, q.err);
        auto logged =
            r.provenant({"--log-level", "info", "report", "--release", "v*", "--format", "json"});
        REQUIRE_MESSAGE(logged.exit_code == 0, logged.err);
        CHECK(logged.err.find("not used: inconsistent rows in: SELECT seq, runs, data FROM "
                              "line_chunks") != std::string::npos);
        CHECK(json::parse(logged.out) == cold);
    }
    SUBCASE("a new commit") {
        r.agent_write("src/e.py", "", "e 1\ne 2\n", "aider", "gpt-5.4", 1, 1);
        r.commit_on(51, "e");
        // The store goes on from its frontier: one new commit, no full walk.
        auto logged =
            r.provenant({"--log-level", "info", "report", "--release", "v*", "--format", "json"});
        REQUIRE_MESSAGE(logged.exit_code == 0, logged.err);
        CHECK(logged.err.find("full walk") == std::string::npos);
        CHECK(logged.err.find("not used") == std::string::npos);
        // On from the stored tip: the checkpoints stay unread.
        CHECK(logged.err.find("new commits walked 1, stored commits diffed again 0, "
                              "checkpoints read: no") != std::string::npos);
        const json after = json::parse(logged.out);
        CHECK(after["totals"]["lines_added"]["ai"] == 18);
        CHECK(after == uncached(r));
    }
    SUBCASE("a new branch from an old commit") {
        r.git({"checkout", "-q", "-b", "late", h.c1});
        r.agent_write("src/f.py", "", "f 1\nf 2\n", "aider", "gpt-5.4", 1, 1);
        r.commit_on(52, "f");
        r.git({"checkout", "-q", "main"});
        auto logged =
            r.provenant({"--log-level", "info", "report", "--release", "v*", "--format", "json"});
        REQUIRE_MESSAGE(logged.exit_code == 0, logged.err);
        // Walked on, not rebuilt: the one new commit, and c1's state rebuilt by diffing c0
        // and c1 again (a history this short has no checkpoint).
        CHECK(logged.err.find("full walk") == std::string::npos);
        CHECK(logged.err.find("new commits walked 1, stored commits diffed again 2, "
                              "checkpoints read: yes") != std::string::npos);
        const json after = json::parse(logged.out);
        CHECK(after["totals"]["lines_added"]["ai"] == 18);
        CHECK(after == uncached(r));
        // And the store it wrote goes on again (another commit on the new branch).
        r.git({"checkout", "-q", "late"});
        r.write("src/f.py", "f 1\n");
        r.commit_on(53, "f2");
        r.git({"checkout", "-q", "main"});
        auto again =
            r.provenant({"--log-level", "info", "report", "--release", "v*", "--format", "json"});
        REQUIRE_MESSAGE(again.exit_code == 0, again.err);
        CHECK(again.err.find("new commits walked 1, stored commits diffed again 0") !=
              std::string::npos);
        CHECK(json::parse(again.out) == uncached(r));
    }
    SUBCASE("a rebase of a reported branch") {
        r.git({"checkout", "-q", "wip"});
        r.git({"rebase", "-q", "main"});
        r.git({"checkout", "-q", "main"});
        auto logged =
            r.provenant({"--log-level", "info", "report", "--release", "v*", "--format", "json"});
        REQUIRE_MESSAGE(logged.exit_code == 0, logged.err);
        CHECK(logged.err.find("full walk") != std::string::npos); // the old wip tip is gone
        const json after = json::parse(logged.out);
        CHECK(after == uncached(r));
        // The rebased commit replaces the old one: c.py's 3 lines are counted once.
        CHECK(after["totals"]["lines_added"]["ai"] == 16);
    }
    SUBCASE("a changed note") {
        // notes.md's lines become paste.
        const std::string blob = r.git({"rev-parse", h.ch + ":notes.md"}).out.substr(0, 40);
        json note = {{"schema", "provenant/1"},
                     {"commit", h.ch},
                     {"parent", h.c5},
                     {"files", {{"notes.md", {{"blob", blob}, {"lines", {{"paste", "1-3"}}}}}}},
                     {"origins", json::object()}};
        r.git({"notes", "--ref=provenant", "add", "-f", "-m", note.dump(), h.ch});
        const json after = r.report({"--release", "v*"});
        CHECK(after["totals"]["lines_added"]["paste"] == 3);
        CHECK(after["totals"]["lines_added"]["human"] == 1);
        CHECK(after == uncached(r));
    }
}

namespace {

/// `provenant --log-level info report <args> --format json`: its output, byte for byte, and
/// its log.
std::pair<std::string, std::string> raw_report(const ReportRepo& r, std::vector<std::string> args) {
    args.insert(args.begin(), {"--log-level", "info", "report"});
    args.insert(args.end(), {"--format", "json"});
    auto out = r.provenant(args);
    REQUIRE_MESSAGE(out.exit_code == 0, out.err);
    return {out.out, out.err};
}

/// Runs `sql` on the store with the sqlite3 tool; its output.
std::string sql(const ReportRepo& r, const std::string& statement) {
    auto q = run({"sqlite3", store_file(r), statement});
    REQUIRE_MESSAGE(q.exit_code == 0, q.err);
    return q.out.substr(0, q.out.find_first_of("\r\n"));
}

} // namespace

TEST_CASE("report: after each new commit, rebase and changed note, every report equals a cold "
          "computation byte for byte") {
    History h;
    build(h);
    ReportRepo& r = h.repo;
    const std::vector<std::vector<std::string>> options = {{},
                                                           {"--by", "tool,model"},
                                                           {"--by", "author,month"},
                                                           {"--since", "2026-01-05"},
                                                           {"--at", h.c8},
                                                           {"--survival-days", "5"},
                                                           {"--rework-days", "3"},
                                                           {"--release", "v*", "--by", "path"}};
    // Each step, then every report through the store (the first goes on from it, the others
    // read what it appended) against the same report walked cold with nothing stored.
    auto check_all = [&](const std::string& step, bool walked_on) {
        for (size_t k = 0; k < options.size(); ++k) {
            CAPTURE(step);
            CAPTURE(k);
            auto [stored, log] = raw_report(r, options[k]);
            if (k == 0 && walked_on) {
                CHECK(log.find("went on from the stored walk") != std::string::npos);
                CHECK(log.find("full walk") == std::string::npos);
            }
            if (k > 0) CHECK(log.find("not used") == std::string::npos);
            std::vector<std::string> cold = options[k];
            cold.push_back("--no-cache");
            CHECK(stored == raw_report(r, cold).first);
            CHECK(stored == raw_report(r, options[k]).first); // and from the report cache
        }
    };
    check_all("stored", false);
    r.write("src/a.py", numbered("a", 3, 4) + "A FIVE\nA SIX\n");
    r.commit_on(51, "a5, no note");
    check_all("+1 without a note", true);
    r.agent_write("src/a.py", numbered("a", 3, 4) + "A FIVE\nA SIX\n",
                  "a 3\nA FOUR\nA FIVE\nA SIX\nA SEVEN\n", "aider", "gpt-5.4", 30, 5);
    r.commit_on(52, "a4 and a7 by aider");
    check_all("+1 with its note", true);
    r.git({"checkout", "-q", "feat"});
    r.agent_write("src/b.py", "b 1\nB TWO\nb 3\nb 4\n", "b 1\nB TWO\nb 3\nb 4\nb 5\n", "aider",
                  "gpt-5.4", 10, 2);
    r.commit_on(53, "b5 on feat");
    r.git({"checkout", "-q", "main"});
    check_all("+1 on a side branch", true);
    r.merge_on(54, "feat");
    check_all("+1, a merge", true);
    r.git({"checkout", "-q", "wip"});
    r.git({"rebase", "-q", "main"});
    r.git({"checkout", "-q", "main"});
    check_all("a rebase of a reported branch", false);
    const std::string blob = r.git({"rev-parse", h.ch + ":notes.md"}).out.substr(0, 40);
    json note = {{"schema", "provenant/1"},
                 {"commit", h.ch},
                 {"parent", h.c5},
                 {"files", {{"notes.md", {{"blob", blob}, {"lines", {{"paste", "1-3"}}}}}}},
                 {"origins", json::object()}};
    r.git({"notes", "--ref=provenant", "add", "-f", "-m", note.dump(), h.ch});
    check_all("a changed note", false);
    r.write("notes.md", "one\n");
    r.commit_on(55, "notes 2");
    check_all("+1 after the rebuild", true);
}

TEST_CASE("report: a store that lies is rebuilt, never trusted (digests, counts, frontier)") {
    History h;
    build(h);
    ReportRepo& r = h.repo;
    const std::vector<std::string> by_author = {"--by", "author", "--release", "v*"};
    const json cold = r.report(by_author);
    auto drop_report_cache = [&] {
        std::filesystem::remove_all(r.path() + "/.git/provenant/reports");
    };
    auto rebuilt = [&](const std::string& why) {
        drop_report_cache();
        auto [out, log] = raw_report(r, by_author);
        CHECK(log.find(why) != std::string::npos);
        CHECK(json::parse(out) == cold);
    };
    SUBCASE("a changed value (a page check passes it; the table's digest does not)") {
        // Every author's '@' becomes '#' (same length, still a blob): the records still parse.
        sql(r, "UPDATE commit_chunks SET data = CAST(replace(data, CAST('@' AS BLOB), "
               "CAST('#' AS BLOB)) AS BLOB)");
        CHECK(sql(r, "SELECT typeof(data) FROM commit_chunks WHERE seq = 0") == "blob");
        CHECK(
            sql(r, "SELECT instr(data, CAST('#' AS BLOB)) > 0 FROM commit_chunks WHERE seq = 0") ==
            "1");
        CHECK(sql(r, "PRAGMA quick_check") == "ok");
        rebuilt("the store's commit_chunks do not match their digest");
    }
    SUBCASE("a changed frontier id") {
        sql(r, "UPDATE frontier SET ids = X'00000000' || substr(ids, 5) WHERE length(ids) > 4 "
               "AND rowid = (SELECT min(rowid) FROM frontier WHERE length(ids) > 4)");
        r.write("src/a.py", "x\n");
        r.commit_on(51, "x");
        drop_report_cache();
        auto [out, log] = raw_report(r, by_author);
        CHECK(log.find("the store's frontier do not match their digest") != std::string::npos);
        CHECK(out == raw_report(r, {"--by", "author", "--release", "v*", "--no-cache"}).first);
    }
    SUBCASE("counts beyond what the file can hold") {
        // 2^33 lines, and a first line run that claims 2^32 - 1 of them: read as it says, a
        // reader would allocate 128 GiB.
        sql(r, "UPDATE meta SET value = '8589934592' WHERE name = 'lines'");
        const std::string data = sql(r, "SELECT hex(data) FROM line_chunks WHERE seq = 0");
        REQUIRE(data.size() >= 34);
        sql(r, "UPDATE line_chunks SET data = X'FFFFFFFF" + data.substr(8) + "' WHERE seq = 0");
        rebuilt("the store's counts are more than its");
    }
    SUBCASE("a commit count beyond the file") {
        sql(r, "UPDATE meta SET value = '268435455' WHERE name = 'commits'");
        rebuilt("the store's counts are more than its");
    }
    SUBCASE("a line run outside its commit's lines") {
        // The first run's birth (bytes 4-7) becomes commit 1: its lines are not commit 1's.
        const std::string data = sql(r, "SELECT hex(data) FROM line_chunks WHERE seq = 0");
        REQUIRE(data.size() >= 34);
        sql(r, "UPDATE line_chunks SET data = X'" + data.substr(0, 8) + "01000000" +
                   data.substr(16) + "' WHERE seq = 0");
        rebuilt("inconsistent rows in: SELECT seq, runs, data FROM line_chunks");
    }
    SUBCASE("a commit record that claims more parents than its chunk holds") {
        // The first commit's parent count (bytes 21-24 of its record, after the id and the
        // note byte) becomes 2^32 - 1: read as it says, a reader would allocate 16 GiB.
        const std::string data = sql(r, "SELECT hex(data) FROM commit_chunks WHERE seq = 0");
        REQUIRE(data.size() >= 114);
        CHECK(data.substr(42, 8) == "00000000"); // a root commit: no parent
        sql(r, "UPDATE commit_chunks SET data = X'" + data.substr(0, 42) + "FFFFFFFF" +
                   data.substr(50) + "' WHERE seq = 0");
        rebuilt("inconsistent rows in: SELECT seq, commits, data FROM commit_chunks");
    }
    SUBCASE("a commit record whose parent is not an earlier commit") {
        // The second commit's record starts after the first's; its first parent (commit 0)
        // becomes commit 1, itself.
        const std::string data = sql(r, "SELECT hex(data) FROM commit_chunks WHERE seq = 0");
        const std::string first = sql(r, "SELECT hex(substr(data, 1, 20)) FROM commit_chunks");
        REQUIRE(first.size() == 40);
        // The first commit has no origin (a plain commit) and no rewrite: its record is the
        // id, the note, 0 parents, two dates, its line end, its email, 0 rewrites, 0 origins.
        const std::string email_len = data.substr(2 * (20 + 1 + 4 + 8 + 8 + 4), 8);
        const size_t len = std::stoul(email_len.substr(0, 2), nullptr, 16);
        const size_t second = 20 + 1 + 4 + 8 + 8 + 4 + 4 + len + 4 + 4;
        REQUIRE(data.size() > 2 * (second + 29));
        CHECK(data.substr(2 * (second + 21), 16) == "0100000000000000"); // one parent: 0
        sql(r, "UPDATE commit_chunks SET data = X'" + data.substr(0, 2 * (second + 25)) +
                   "01000000" + data.substr(2 * (second + 29)) + "' WHERE seq = 0");
        rebuilt("inconsistent rows in: SELECT seq, commits, data FROM commit_chunks");
    }
    SUBCASE("a store of the previous version") {
        sql(r, "UPDATE meta SET value = '4' WHERE name = 'version'");
        rebuilt("the store is of another version (4)");
    }
}

TEST_CASE("report: a new commit writes only the frontier rows it changed") {
    History h;
    build(h);
    ReportRepo& r = h.repo;
    (void)r.report({});
    // Every write to the frontier's files is logged by a trigger (not a table the store reads).
    sql(r, "CREATE TABLE t_log (op TEXT); "
           "CREATE TRIGGER t_i AFTER INSERT ON frontier BEGIN INSERT INTO t_log VALUES ('i'); END; "
           "CREATE TRIGGER t_u AFTER UPDATE ON frontier BEGIN INSERT INTO t_log VALUES ('u'); END; "
           "CREATE TRIGGER t_d AFTER DELETE ON frontier BEGIN INSERT INTO t_log VALUES ('d'); END; "
           "SELECT 1");
    const std::string files = sql(r, "SELECT count(*) FROM frontier");
    CHECK(std::stoi(files) >= 6); // main's 5 files and wip's 2: a rewrite writes them all
    r.write("src/a.py", numbered("a", 3, 4) + "A FIVE\nA SIX\n");
    r.commit_on(51, "a5");
    auto [out, log] = raw_report(r, {});
    CHECK(log.find("went on from the stored walk") != std::string::npos);
    // One file of main's state changed: one row updated, nothing else written.
    CHECK(sql(r, "SELECT group_concat(op) FROM t_log") == "u");
    CHECK(sql(r, "SELECT count(*) FROM frontier") == files);
    CHECK(out == raw_report(r, {"--no-cache"}).first);
    // A new file is one row more.
    sql(r, "DELETE FROM t_log");
    r.write("src/g.py", "g\n");
    r.commit_on(52, "g");
    (void)raw_report(r, {});
    CHECK(sql(r, "SELECT group_concat(op) FROM t_log") == "i");
    CHECK(raw_report(r, {}).first == raw_report(r, {"--no-cache"}).first);
}

namespace {

/// `provenant --log-level info report <args> --format json`: the report and whether it came
/// from the report cache.
std::pair<json, bool> logged_report(const ReportRepo& r, std::vector<std::string> args) {
    args.insert(args.begin(), {"--log-level", "info", "report"});
    args.insert(args.end(), {"--format", "json"});
    auto out = r.provenant(args);
    REQUIRE_MESSAGE(out.exit_code == 0, out.err);
    return {json::parse(out.out), out.err.find("report cache: read") != std::string::npos};
}

/// The same report with --no-cache (computed from a fresh walk).
json fresh(const ReportRepo& r, std::vector<std::string> args) {
    args.push_back("--no-cache");
    return r.report(args);
}

} // namespace

TEST_CASE("report: the report cache answers only for the inputs it was computed from") {
    History h;
    build(h);
    ReportRepo& r = h.repo;
    const std::string dir = r.path() + "/..";
    const std::string teams = dir + "/teams.toml", prices = dir + "/prices.json",
                      deploys = dir + "/deploys.csv";
    auto set_teams = [&](const std::string& team) {
        std::ofstream(teams) << "[teams." << team << "]\nmembers = [\"author@example.com\"]\n";
    };
    auto set_prices = [&](double input) {
        std::ofstream(prices)
            << json{{"schema", "provenant-prices/1"},
                    {"as_of", "2026-01-01"},
                    {"models",
                     {{"gpt-5.4", {{"vendor", "openai"}, {"input", input}, {"output", 1.0}}}}}}
                   .dump();
    };
    auto set_deploys = [&](const std::string& commit) {
        std::ofstream(deploys) << "commit,environment,deployed_at\n"
                               << commit << ",production,2026-01-02T00:00:00Z\n";
    };
    set_teams("infra");
    set_prices(1.0);
    set_deploys(h.c1);
    const std::vector<std::string> args = {"--by",      "team,tool", "--teams",       teams,
                                           "--prices",  prices,      "--deployments", deploys,
                                           "--release", "v*"};
    auto [cold, cold_hit] = logged_report(r, args);
    CHECK_FALSE(cold_hit);
    CHECK(cold == fresh(r, args));
    auto [warm, warm_hit] = logged_report(r, args);
    CHECK(warm_hit); // the proof that what follows tests the cache's key
    CHECK(warm == cold);

    SUBCASE("a changed teams file") {
        set_teams("web");
        auto [after, hit] = logged_report(r, args);
        CHECK_FALSE(hit);
        CHECK(after == fresh(r, args));
        CHECK(after["groups"][0]["key"]["team"] == "web");
    }
    SUBCASE("a changed price file") {
        set_prices(1000.0);
        auto [after, hit] = logged_report(r, args);
        CHECK_FALSE(hit);
        CHECK(after == fresh(r, args));
        CHECK(after["spend"]["cost_usd"] != cold["spend"]["cost_usd"]);
    }
    SUBCASE("a changed deployments file") {
        set_deploys(h.c50);
        auto [after, hit] = logged_report(r, args);
        CHECK_FALSE(hit);
        CHECK(after == fresh(r, args));
        CHECK(after["funnel"]["released"] != cold["funnel"]["released"]);
    }
    SUBCASE("other options") {
        for (const std::vector<std::string>& extra :
             {std::vector<std::string>{"--since", "2026-02-01"},
              {"--until", "2026-01-10"},
              {"--survival-days", "5"},
              {"--rework-days", "3"},
              {"--at", h.c8},
              {"--main", "feat"},
              {h.c1 + "..feat"}}) {
            std::vector<std::string> a = args;
            a.insert(a.end(), extra.begin(), extra.end());
            auto [once, hit] = logged_report(r, a);
            CHECK_FALSE(hit);
            CHECK(once == fresh(r, a));
            CHECK(once != cold);
            CHECK(logged_report(r, a).second); // now cached, under its own key
        }
        // --by is part of the key too.
        auto [by_model, hit] = logged_report(r, {"--by", "model"});
        CHECK_FALSE(hit);
        CHECK(by_model == fresh(r, {"--by", "model"}));
    }
    SUBCASE("a moved tag") {
        r.git({"tag", "-f", "v1", h.c1});
        auto [after, hit] = logged_report(r, args);
        CHECK_FALSE(hit);
        CHECK(after == fresh(r, args));
    }
    SUBCASE("a new commit, and its note changed") {
        r.agent_write("src/e.py", "", "e 1\ne 2\n", "aider", "gpt-5.4", 1, 1);
        const std::string e = r.commit_on(51, "e");
        auto [after, hit] = logged_report(r, args);
        CHECK_FALSE(hit);
        CHECK(after == fresh(r, args));
        CHECK(after["totals"]["lines_added"]["ai"] == 18);
        r.git({"notes", "--ref=provenant", "remove", e});
        auto [noted, noted_hit] = logged_report(r, args);
        CHECK_FALSE(noted_hit);
        CHECK(noted == fresh(r, args));
        CHECK(noted["totals"]["lines_added"]["ai"] == 16);
    }
    SUBCASE("a damaged entry") {
        const std::string reports = r.path() + "/.git/provenant/reports";
        for (const auto& e : std::filesystem::directory_iterator(reports)) {
            std::string bytes = r.read(".git/provenant/reports/" + e.path().filename().string());
            bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x20);
            std::ofstream(e.path()) << bytes.substr(0, bytes.size() - 1);
        }
        auto [after, hit] = logged_report(r, args);
        CHECK_FALSE(hit);
        CHECK(after == cold);
    }
}

TEST_CASE("report: a branch squash-merged by `provenant ci squash-merge` counts once, as merged") {
    ReportRepo r;
    //  d0  main  base.txt, 4 lines nobody watched                    -> 4 unknown
    //  d1  pr    aider writes src/p.py (5 lines)                      -> rewritten away
    //  d2  pr    aider writes src/q.py (3 lines)                      -> rewritten away
    //  d3  pr    unwatched: p.py line 5 replaced                      -> rewritten away
    //  d4  main  the server's squash of pr (no hooks), then ci squash-merge carries the notes:
    //            p.py 1-4 and q.py 1-3 ai, p.py's "P FIVE" unknown   -> 7 ai, 1 unknown
    //  d40 main  unwatched: q.py line 3 deleted (36 days after the merge)
    r.write("base.txt", numbered("base", 1, 4));
    const std::string c0 = r.commit_on(0, "base");
    r.git({"checkout", "-q", "-b", "pr"});
    r.agent_write("src/p.py", "", numbered("p", 1, 5), "aider", "gpt-5.4", 100, 20);
    const std::string p1 = r.commit_on(1, "p");
    r.agent_write("src/q.py", "", numbered("q", 1, 3), "aider", "gpt-5.4", 50, 10);
    const std::string p2 = r.commit_on(2, "q");
    r.write("src/p.py", numbered("p", 1, 4) + "P FIVE\n");
    const std::string p3 = r.commit_on(3, "p5");
    r.git({"checkout", "-q", "main"});
    // As a server merges: no hooks run, nothing is recorded at merge time.
    const std::string date = "@" + std::to_string(kDay0 + 4 * kDaySeconds) + " +0000";
    const EnvOverrides dated{{"GIT_AUTHOR_DATE", date}, {"GIT_COMMITTER_DATE", date}};
    auto sq = run({"git", "-c", "core.hooksPath=/dev/null", "merge", "-q", "--squash", "pr"},
                  r.path(), {}, dated);
    REQUIRE_MESSAGE(sq.exit_code == 0, sq.err);
    sq = run({"git", "-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "Pull request #1"},
             r.path(), {}, dated);
    REQUIRE_MESSAGE(sq.exit_code == 0, sq.err);
    const std::string squash = r.head();
    CHECK(r.git({"notes", "--ref=provenant", "show", squash}, true).exit_code != 0);
    auto ci = r.provenant({"ci", "squash-merge", "--base", c0, "--head", "pr", "--merged", squash});
    REQUIRE_MESSAGE(ci.exit_code == 0, ci.err);
    // The carried note names the pull request's commits it replaces (so they count once).
    const json note = json::parse(r.git({"notes", "--ref=provenant", "show", squash}).out);
    REQUIRE(note.contains("rewrite"));
    std::set<std::string> from;
    for (const auto& c : note["rewrite"]["from"])
        from.insert(c.get<std::string>());
    CHECK(from == std::set<std::string>{p1, p2, p3});
    r.write("src/q.py", numbered("q", 1, 2));
    const std::string c40 = r.commit_on(40, "q3");

    const json rep = r.report({"--by", "tool"});
    INFO(rep.dump(2));
    // c0, the squash and c40; pr's three commits are still reachable (the branch was kept)
    // but rewritten away.
    CHECK(rep["totals"]["commits"] == 3);
    CHECK(rep["totals"]["commits_with_notes"] == commits_with_notes(r, {c0, squash, c40}));
    const json& added = rep["totals"]["lines_added"];
    CHECK(added["ai"] == 4 + 3);
    CHECK(added["human"] == 0);
    CHECK(added["unknown"] == 4 + 1);
    const json& f = rep["funnel"];
    CHECK(f["committed"] == 7);
    CHECK(f["merged"] == 7); // the squash is on main's first-parent chain
    CHECK(f["rewritten_before_merge"] == 0);
    CHECK(f["alive"] == 6); // q.py line 3 is gone
    // Survival at 30 days (at d40, merged d4): all 7 eligible, the deletion came after 36.
    CHECK(rep["survival"]["eligible"] == 7);
    CHECK(rep["survival"]["alive"] == 7);
    CHECK(rep["rework"]["matrix"].empty());
    // The tokens moved once, onto the squash commit: 150 input, 30 output.
    CHECK(rep["spend"]["tokens"]["input"] == 150);
    CHECK(rep["spend"]["tokens"]["output"] == 30);
    const json* aider = group_with(rep, "tool", "aider");
    REQUIRE(aider != nullptr);
    CHECK((*aider)["funnel"]["committed"] == 7);
    CHECK((*aider)["funnel"]["merged"] == 7);
    CHECK((*aider)["funnel"]["alive"] == 6);
    // The same report without the store.
    CHECK(r.report({"--by", "tool", "--no-cache"}) == rep);
}
