// The binary's exit codes are what README ("Exit codes") and the man page say: 0 success, 1 a
// failed command, 2 a command line that cannot be used (server/cli/exit_code.h).
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <filesystem>

using namespace provenant::test;
namespace fs = std::filesystem;

TEST_CASE("exit codes: a usage error is 2") {
    TempRepo repo;
    for (const std::vector<std::string>& args : {std::vector<std::string>{"--no-such-option"},
                                                 {"no-such-command"},
                                                 {"show", "--bogus"},
                                                 {"blame"},
                                                 {"report", "--survival-days", "many"},
                                                 {"rewritten", "frobnicate"}}) {
        auto r = repo.provenant(args);
        CHECK_MESSAGE(r.exit_code == 2, args[0] << ": " << r.err);
        CHECK_MESSAGE(!r.err.empty(), args[0]);
    }
    CHECK(repo.provenant({"--help"}).exit_code == 0);
    CHECK(repo.provenant({"--version"}).exit_code == 0);
}

TEST_CASE("exit codes: a missing repository is 1, with the reason on stderr") {
    TempDir dir; // the tests' temporary directory is in no repository
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"show"}, {"status"}, {"report"}, {"blame", "a.txt"}}) {
        auto r = provenant::test::provenant(args, dir.path());
        CHECK_MESSAGE(r.exit_code == 1, args[0] << ": " << r.err);
        CHECK_MESSAGE(r.err.find("not in a git repository") != std::string::npos,
                      args[0] << ": " << r.err);
    }
    TempRepo repo;
    auto r = repo.provenant({"show", "HEAD"}); // a repository with no commit
    CHECK(r.exit_code == 1);
}

TEST_CASE("exit codes: an I/O failure is 1, naming the file") {
    TempRepo repo;
    repo.write("a.txt", "one\n");
    repo.commit_all("one");
    // The output's directory cannot be made: a file is in its place.
    const std::string out = repo.path() + "/a.txt/rows.ndjson";
    auto r = repo.provenant({"export", "--output", out});
    CHECK(r.exit_code == 1);
    CHECK_MESSAGE(r.err.find("a.txt: exists and is not a directory") != std::string::npos, r.err);
    CHECK(repo.read("a.txt") == "one\n");
    auto teams = repo.provenant({"report", "--teams", repo.path() + "/none.toml"});
    CHECK(teams.exit_code == 1);
    CHECK_MESSAGE(teams.err.find("none.toml") != std::string::npos, teams.err);
}
