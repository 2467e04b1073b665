// Test support for `provenant report`: a repository whose commits are dated, made through
// provenant's own capture paths (hooks installed, agents through `provenant hook generic`).
#pragma once

#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <string>

namespace provenant::test {

/// 2026-01-01T00:00:00Z: day 0 of every generated history.
inline constexpr int64_t kDay0 = 1767225600;
inline constexpr int64_t kDaySeconds = 86400;

/// A repository with provenant's hooks installed. One thread.
class ReportRepo : public TempRepo {
public:
    ReportRepo() {
        auto r = provenant({"install"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    }
    /// Commits everything, author and committer dated `day` days after day 0 (plus `sec`).
    std::string commit_on(int day, const std::string& message, int sec = 0) const {
        const std::string date = "@" + std::to_string(kDay0 + day * kDaySeconds + sec) + " +0000";
        git({"add", "-A"});
        auto r = run({"git", "commit", "-q", "--allow-empty", "-m", message}, path(), {},
                     {{"GIT_AUTHOR_DATE", date}, {"GIT_COMMITTER_DATE", date}});
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        wait_for_pending_notes(path());
        return head();
    }
    /// A merge of `branch` into the current branch (no fast-forward), dated `day`.
    std::string merge_on(int day, const std::string& branch) const {
        const std::string date = "@" + std::to_string(kDay0 + day * kDaySeconds) + " +0000";
        auto r = run({"git", "merge", "-q", "--no-ff", "-m", "merge " + branch, branch}, path(), {},
                     {{"GIT_AUTHOR_DATE", date}, {"GIT_COMMITTER_DATE", date}});
        REQUIRE_MESSAGE(r.exit_code == 0, std::string(r.err + r.out));
        wait_for_pending_notes(path());
        return head();
    }
    /// An agent writes `after` over `before` in `rel` (the generic hook), with tokens.
    void agent_write(const std::string& rel, const std::string& before, const std::string& after,
                     const std::string& tool, const std::string& model, int input,
                     int output) const {
        write(rel, after);
        nlohmann::json j = {{"agent", tool},
                            {"model", model},
                            {"session", tool + "-session"},
                            {"cwd", path()},
                            {"tokens", {{"input", input}, {"output", output}}},
                            {"files", {{{"path", rel}, {"before", before}, {"after", after}}}}};
        auto r = provenant({"hook", "generic"}, j.dump());
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    }
    /// `provenant report <args> --format json`, parsed.
    nlohmann::json report(std::vector<std::string> args) const {
        args.insert(args.begin(), "report");
        args.push_back("--format");
        args.push_back("json");
        auto r = provenant(args);
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        return nlohmann::json::parse(r.out);
    }
};

/// Lines 1..n of a file: "<prefix> <i>\n".
inline std::string numbered(const std::string& prefix, int from, int to) {
    std::string s;
    for (int i = from; i <= to; ++i)
        s += prefix + " " + std::to_string(i) + "\n";
    return s;
}

} // namespace provenant::test
