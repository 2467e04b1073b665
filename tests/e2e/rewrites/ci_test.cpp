// provenant ci squash-merge: notes of a pull request carried onto commits made by a server.
#include "git/note_store.h"
#include "harness.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace provenant::test {
namespace {

const Truth kClaude{LineClass::Ai, "claude-code"};
const Truth kHuman{LineClass::Human, ""};
const Truth kCopilot{LineClass::AiModified, "copilot"};

std::string block(Harness& h, const Truth& t, int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += h.new_line(t) + "\n";
    return out;
}

/// main with one commit, a pull request branch `pr` with two noted commits, and main moved on.
void make_pull_request(Harness& h) {
    h.repo().write("a.txt", block(h, kHuman, 2));
    h.commit_with_truth("base");
    h.repo().git({"checkout", "-q", "-b", "pr"});
    h.repo().write("b.txt", block(h, kClaude, 3));
    h.commit_with_truth("pr 1");
    h.repo().write("b.txt", h.repo().read("b.txt") + block(h, kCopilot, 2));
    h.repo().write("a.txt", h.repo().read("a.txt") + block(h, kHuman, 1));
    h.commit_with_truth("pr 2");
    h.repo().git({"checkout", "-q", "main"});
    h.repo().write("c.txt", block(h, kHuman, 1));
    h.commit_with_truth("main moves on");
}

} // namespace

TEST_CASE("ci squash-merge: a server-side squash gets the pull request's attribution") {
    Harness h(21); // no hooks: like a server, nothing runs at merge time
    make_pull_request(h);
    std::string base = h.repo().head();
    h.repo().git({"merge", "-q", "--squash", "pr"});
    h.repo().git({"commit", "-q", "-m", "Pull request #1"});
    CHECK(h.check_head().known == 3); // before: only main's own lines

    auto dry = h.repo().provenant(
        {"ci", "squash-merge", "--base", base, "--head", "pr", "--merged", "HEAD", "--dry-run"});
    REQUIRE_MESSAGE(dry.exit_code == 0, dry.err);
    CHECK(h.check_head().known == 3); // a dry run writes nothing

    auto r = h.repo().provenant(
        {"ci", "squash-merge", "--base", base, "--head", "pr", "--merged", "HEAD", "--json"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["merged"].size() == 1);
    CHECK(j["merged"][0]["match"] == "squash");
    CHECK(j["merged"][0]["written"] == true);
    CHECK(j["merged"][0]["carried"] == 6);
    CHECK(j["pr_commits"].size() == 2);
    auto check = h.check_head();
    for (auto& w : check.wrong)
        FAIL_CHECK(w);
    CHECK(check.known == 3 + 6);
}

TEST_CASE("ci squash-merge: a rebase merge matches commits one to one by patch id") {
    Harness h(22);
    make_pull_request(h);
    std::string base = h.repo().head();
    h.repo().git({"checkout", "-q", "-b", "landed", "pr"});
    h.repo().git({"rebase", "-q", "main"});
    CHECK(h.check_head().known == 3);
    auto r = h.repo().provenant({"ci", "squash-merge", "--base", base, "--head", "pr", "--merged",
                                 base + "..landed", "--json"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["merged"].size() == 2);
    for (auto& m : j["merged"]) {
        CHECK(m["match"] == "patch-id");
        CHECK(m["sources"].size() == 1);
        CHECK(m["written"] == true);
    }
    auto check = h.check_head();
    for (auto& w : check.wrong)
        FAIL_CHECK(w);
    CHECK(check.known == 3 + 6);
}

TEST_CASE("ci squash-merge: bad revisions are clear errors") {
    Harness h(23);
    make_pull_request(h);
    auto r = h.repo().provenant(
        {"ci", "squash-merge", "--base", "main", "--head", "nope", "--merged", "HEAD"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("nope") != std::string::npos);
    r = h.repo().provenant(
        {"ci", "squash-merge", "--base", "pr", "--head", "pr", "--merged", "HEAD"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("no commits") != std::string::npos);
}

} // namespace provenant::test
