// docs/ci's pull-request examples: the report part of each (the lines between its "begin:
// provenant pr report" and "end: provenant pr report" markers) is read from the YAML and run
// as it is, in a fresh clone of a repository whose notes live only on the remote, as the CI
// job would. The comment it writes must be the report of the pull request's commits.
#include "e2e/analysis/report_support.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>

using namespace provenant::test;
namespace fs = std::filesystem;

namespace {

/// The marked block of a docs/ci example, its indentation removed.
std::string marked_script(const std::string& file) {
    std::istringstream in(read_text(std::string(PROVENANT_SOURCE_DIR) + "/docs/ci/" + file));
    std::string line, script;
    size_t indent = std::string::npos;
    while (std::getline(in, line)) {
        if (indent == std::string::npos) {
            const size_t at = line.find("# begin: provenant pr report");
            if (at != std::string::npos) indent = at;
            continue;
        }
        if (line.find("# end: provenant pr report") != std::string::npos) return script;
        script += (line.size() >= indent ? line.substr(indent) : std::string()) + "\n";
    }
    FAIL("docs/ci/" << file << " has no complete 'provenant pr report' block");
    return {};
}

/// A pull request: main has a base commit; `feat` adds 6 AI lines and 2 nobody watched.
struct PullRequest {
    ReportRepo upstream;
    std::string base, head;
    PullRequest() {
        upstream.write("README", "hello\n");
        base = upstream.commit_on(0, "base");
        upstream.git({"checkout", "-q", "-b", "feat"});
        upstream.agent_write("src/a.py", "", numbered("a", 1, 6), "aider", "gpt-5.4", 100, 20);
        upstream.commit_on(1, "a");
        upstream.write("src/b.py", "b 1\nb 2\n");
        head = upstream.commit_on(2, "b");
        upstream.git({"checkout", "-q", "main"});
    }
    /// A clone as CI makes one: the branches, no notes.
    std::string clone(const TempDir& into) const {
        const std::string dir = into.path() + "/clone";
        auto r = run({"git", "clone", "-q", upstream.path(), dir});
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        return dir;
    }
};

EnvOverrides ci_env(const PullRequest& pr) {
    const char* path = std::getenv("PATH");
    return {{"BASE_SHA", pr.base},
            {"HEAD_SHA", pr.head},
            {"PATH", fs::path(PROVENANT_BINARY).parent_path().string() + ":" +
                         (path != nullptr ? path : "/usr/bin:/bin")}};
}

void check_example(const std::string& file) {
    CAPTURE(file);
    const std::string script = marked_script(file);
    const std::string command =
        "provenant report \"$BASE_SHA..$HEAD_SHA\" --by tool,model --format markdown";
    REQUIRE(script.find(command) != std::string::npos);
    PullRequest pr;
    // What the comment must say: the report of base..head where the notes are.
    auto expected = pr.upstream.provenant(
        {"report", pr.base + ".." + pr.head, "--by", "tool,model", "--format", "markdown"});
    REQUIRE_MESSAGE(expected.exit_code == 0, expected.err);
    CHECK(expected.out.find("**75.0%** of 8 added lines are AI-written") != std::string::npos);
    CHECK(expected.out.find("| aider / gpt-5.4 | 6 | 75.0% |") != std::string::npos);

    TempDir ci;
    const std::string clone = pr.clone(ci);
    // Without the examples' fetch, a clone has no notes: the report would say nothing is AI.
    auto bare = run({"bash", "-c", command}, clone, {}, ci_env(pr));
    REQUIRE_MESSAGE(bare.exit_code == 0, bare.err);
    CHECK(bare.out != expected.out);
    CHECK(bare.out.find("0 with provenance notes") != std::string::npos);

    auto job = run({"bash", "-e", "-c", script}, clone, {}, ci_env(pr));
    REQUIRE_MESSAGE(job.exit_code == 0, job.err);
    const std::string comment = read_text(clone + "/provenant-report.md");
    CHECK(comment == expected.out);
    // The fetched notes are the remote's, ready for the next step (e.g. an export).
    CHECK(run({"git", "notes", "--ref=provenant", "list"}, clone).out ==
          pr.upstream.git({"notes", "--ref=provenant", "list"}).out);
}

} // namespace

TEST_CASE("docs/ci/github-pr-report.yml: its report step, run in a fresh clone, comments the "
          "pull request's report") {
    check_example("github-pr-report.yml");
}

TEST_CASE("docs/ci/gitlab-mr-report.yml: its report step, run in a fresh clone, comments the "
          "merge request's report") {
    check_example("gitlab-mr-report.yml");
}
