// Test support for `provenant export`: a generated history with AI, human and unknown lines,
// merges, a release, rework and spend (the report's worked example, docs/report.md), and
// helpers that read the exported rows back.
#pragma once

#include "e2e/analysis/report_support.h"

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace provenant::test {

/// The history (days after 2026-01-01): d0 base.txt 4 unknown; d1 aider a.py 6 ai; d2 (feat)
/// aider b.py 5 ai; d3 (feat) b.py line 2 replaced, line 5 deleted; d4 (wip) aider c.py 3 ai,
/// never merged; d5 merge feat, tag v1; d6 notes.md 3 human; d8 a.py line 6 replaced; d20
/// notes.md line 3 deleted; d40 a.py lines 1-2 deleted. `tool` names the agent, so two
/// repositories can differ.
inline void build_history(ReportRepo& r, const std::string& tool = "aider") {
    r.write("base.txt", numbered("base", 1, 4));
    const std::string c0 = r.commit_on(0, "base");
    r.agent_write("src/a.py", "", numbered("a", 1, 6), tool, "gpt-5.4", 100, 20);
    const std::string c1 = r.commit_on(1, "a");
    r.git({"checkout", "-q", "-b", "feat"});
    r.agent_write("src/b.py", "", numbered("b", 1, 5), tool, "gpt-5.4", 200, 40);
    r.commit_on(2, "b");
    r.write("src/b.py", "b 1\nB TWO\nb 3\nb 4\n");
    r.commit_on(3, "b edited");
    r.git({"checkout", "-q", "-b", "wip", c1});
    r.agent_write("src/c.py", "", numbered("c", 1, 3), tool, "gpt-5.4", 50, 10);
    r.commit_on(4, "c");
    r.git({"checkout", "-q", "main"});
    const std::string c5 = r.merge_on(5, "feat");
    r.git({"tag", "v1"});
    r.write("notes.md", "one\ntwo\nthree\n");
    const std::string ch = r.commit_on(6, "notes");
    const std::string blob = r.git({"rev-parse", "HEAD:notes.md"}).out.substr(0, 40);
    nlohmann::json note = {
        {"schema", "provenant/1"},
        {"commit", ch},
        {"parent", c5},
        {"files", {{"notes.md", {{"blob", blob}, {"lines", {{"human", "1-3"}}}}}}},
        {"origins", nlohmann::json::object()}};
    r.git({"notes", "--ref=provenant", "add", "-f", "-m", note.dump(), ch});
    r.write("src/a.py", numbered("a", 1, 5) + "A SIX\n");
    r.commit_on(8, "a6");
    r.write("notes.md", "one\ntwo\n");
    r.commit_on(20, "notes 3");
    r.write("src/a.py", numbered("a", 3, 5) + "A SIX\n");
    r.commit_on(40, "a12");
}

/// A deployments file for build_history's repository: production got the "a6" commit (day 8)
/// on day 9, after the v1 tag (day 5); staging got HEAD (day 40), which counts for nothing.
inline std::string write_deployments(const ReportRepo& r) {
    const std::string a6 = r.git({"rev-parse", "HEAD~2"}).out.substr(0, 40);
    REQUIRE(r.git({"log", "-1", "--format=%s", a6}).out == "a6\n");
    const std::string file = r.path() + "/.git/deploys.csv";
    write_text(file, "commit,environment,deployed_at\r\n" + a6 +
                         ",Production,2026-01-10T00:00:00Z\r\n" + r.head() +
                         ",staging,2026-02-11T00:00:00Z\r\n");
    return file;
}

/// NDJSON lines, parsed.
inline std::vector<nlohmann::json> parse_ndjson(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    return out;
}

/// `provenant export ARGS…`'s NDJSON rows; the export must succeed.
inline std::vector<nlohmann::json> export_rows(const ReportRepo& r, std::vector<std::string> args) {
    args.insert(args.begin(), "export");
    auto res = r.provenant(args);
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
    return parse_ndjson(res.out);
}

/// sqlite3's answer to one query, `|`-separated.
inline std::string sqlite(const std::string& file, const std::string& sql) {
    auto r = run({"sqlite3", "-batch", file, sql});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return r.out;
}

inline bool is_ai_class(const nlohmann::json& cls) {
    return cls == "ai" || cls == "ai_modified";
}

/// The report's numbers summed from commit rows (what the SQL views must give too).
struct Sums {
    uint64_t generated = 0, committed = 0, merged = 0, released = 0, alive = 0, rbm = 0;
    uint64_t eligible = 0, survived = 0, human_eligible = 0, human_survived = 0;
    uint64_t input = 0, output = 0;
    double cost = 0;
    std::map<std::string, uint64_t> added; ///< class -> lines
};

inline Sums sum_rows(const std::vector<nlohmann::json>& rows) {
    Sums s;
    for (const auto& r : rows) {
        s.generated += r["generated"].get<uint64_t>();
        s.input += r["input"].get<uint64_t>();
        s.output += r["output"].get<uint64_t>();
        s.cost += r["cost_usd"].get<double>();
        if (r["class"].is_null()) continue;
        s.added[r["class"].get<std::string>()] += r["lines"].get<uint64_t>();
        if (is_ai_class(r["class"])) {
            s.committed += r["lines"].get<uint64_t>();
            s.merged += r["merged"].get<uint64_t>();
            s.released += r["released"].get<uint64_t>();
            s.alive += r["alive"].get<uint64_t>();
            s.rbm += r["rewritten_before_merge"].get<uint64_t>();
            s.eligible += r["survival_eligible"].get<uint64_t>();
            s.survived += r["survival_alive"].get<uint64_t>();
        } else if (r["class"] == "human" || r["class"] == "paste") {
            s.human_eligible += r["survival_eligible"].get<uint64_t>();
            s.human_survived += r["survival_alive"].get<uint64_t>();
        }
    }
    return s;
}

} // namespace provenant::test
