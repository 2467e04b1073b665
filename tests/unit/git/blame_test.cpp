// git/blame: blame_file names the commit `git blame --porcelain` names for every line, reads
// no history older than the file's oldest surviving line, and follows merges and renames.
#include "git/blame.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

using namespace provenant;
using provenant::test::TempRepo;

namespace {

std::string repeat(const std::string& line, int n) {
    std::string s;
    for (int i = 0; i < n; ++i)
        s += line;
    return s;
}

/// Final line number -> commit, from `git blame --porcelain`.
std::map<uint32_t, std::string> git_blame(const TempRepo& r, const std::string& file) {
    auto res = r.git({"blame", "--porcelain", "--", file});
    std::map<uint32_t, std::string> out;
    std::istringstream in(res.out);
    for (std::string line; std::getline(in, line);) {
        if (line.size() < 42 || line[40] != ' ') continue;
        if (line.find_first_not_of("0123456789abcdef") < 40) continue;
        std::istringstream fields(line.substr(41));
        uint32_t orig = 0, final_line = 0;
        fields >> orig >> final_line;
        out[final_line] = line.substr(0, 40);
    }
    return out;
}

std::map<uint32_t, std::string> our_blame(const TempRepo& r, const std::string& file) {
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    auto lines = git::blame_file(*repo, file);
    REQUIRE_MESSAGE(lines, (lines ? "" : lines.error().message));
    std::map<uint32_t, std::string> out;
    for (const auto& l : *lines)
        out[l.line] = l.commit;
    return out;
}

void check_same(const TempRepo& r, const std::string& file) {
    const auto theirs = git_blame(r, file);
    const auto ours = our_blame(r, file);
    REQUIRE(theirs.size() == ours.size());
    size_t differ = 0;
    for (const auto& [line, commit] : theirs)
        if (ours.at(line) != commit) ++differ;
    CHECK(differ == 0);
}

} // namespace

TEST_CASE("blame_file: a line deleted from a long run of equal lines, as git blame sees it") {
    // git's blame diff sets the common tail aside in 1 KiB blocks, so of 700 equal lines it
    // deletes the 190th, not the 700th: the lines after it move up by one, and the first
    // line the second commit added (its 351st) is now line 350.
    TempRepo r;
    r.write("f.txt", repeat("r\n", 350));
    const std::string first = r.commit_all("first half");
    r.write("f.txt", repeat("r\n", 700) + "z\n");
    const std::string second = r.commit_all("second half");
    r.write("f.txt", repeat("r\n", 699) + "z\n");
    r.commit_all("one fewer");
    const auto ours = our_blame(r, "f.txt");
    CHECK(ours.at(349) == first);
    CHECK(ours.at(350) == second);
    check_same(r, "f.txt");
}

TEST_CASE("blame_file: merges that change the file on both sides, one merge with its own lines") {
    TempRepo r;
    r.write("f.txt", "top\n" + repeat("a\n", 5) + "middle\n" + repeat("b\n", 5) + "bottom\n");
    r.commit_all("start");
    r.git({"checkout", "-q", "-b", "side"});
    r.write("f.txt",
            "top\nside 1\n" + repeat("a\n", 5) + "middle\n" + repeat("b\n", 5) + "bottom\n");
    r.commit_all("side edits the top");
    r.git({"mv", "f.txt", "g.txt"}); // renamed on the side branch
    r.commit_all("side renames");
    r.git({"checkout", "-q", "main"});
    r.write("f.txt",
            "top\n" + repeat("a\n", 5) + "middle\n" + repeat("b\n", 5) + "main 1\nbottom\n");
    r.commit_all("main edits the bottom");
    r.git({"merge", "-q", "--no-ff", "--no-commit", "side"});
    r.write("g.txt", r.read("g.txt") + "merge 1\n"); // a line born in the merge itself
    r.commit_all("merge side");
    const auto ours = our_blame(r, "g.txt");
    REQUIRE(ours.size() == 16);
    CHECK(ours.at(2) == r.git({"rev-parse", "side~1"}).out.substr(0, 40));
    CHECK(ours.at(16) == r.head());
    check_same(r, "g.txt");
}

TEST_CASE("blame_file stops once every line has its commit: older versions are never read") {
    TempRepo r;
    r.write("f.txt", "old 1\nold 2\n");
    r.commit_all("old");
    r.write("f.txt", "middle 1\nmiddle 2\n");
    r.commit_all("middle");
    r.write("f.txt", "new 1\nnew 2\nnew 3\n"); // nothing kept: blame ends here
    const std::string last = r.commit_all("new");
    // The oldest version's blob is gone: a walk of the whole history would fail reading it.
    const std::string oldest = r.git({"rev-parse", "HEAD~2:f.txt"}).out.substr(0, 40);
    std::filesystem::remove(r.path() + "/.git/objects/" + oldest.substr(0, 2) + "/" +
                            oldest.substr(2));
    const auto ours = our_blame(r, "f.txt");
    REQUIRE(ours.size() == 3);
    for (uint32_t l = 1; l <= 3; ++l)
        CHECK(ours.at(l) == last);
}

TEST_CASE("blame_file: an exact rename takes git's source: the same basename, else the first") {
    // Two deleted files hold the new file's very blob, each with its own history: git's
    // find_exact_renames takes the one with the same basename, else the first in tree order.
    const std::string text = repeat("shared line\n", 3) + "end\n";
    for (const bool same_basename : {true, false}) {
        CAPTURE(same_basename);
        TempRepo r;
        r.write("a/x.txt", text);
        const std::string a = r.commit_all("a");
        r.write(same_basename ? "b/f.txt" : "b/y.txt", text);
        const std::string b = r.commit_all("b");
        r.git({"rm", "-q", "-r", "a", "b"});
        r.write("c/f.txt", text);
        r.commit_all("both become c/f.txt");
        const auto ours = our_blame(r, "c/f.txt");
        REQUIRE(ours.size() == 4);
        for (uint32_t l = 1; l <= 4; ++l)
            CHECK(ours.at(l) == (same_basename ? b : a));
        check_same(r, "c/f.txt");
    }
}

TEST_CASE("blame_file: a parent with the same blob wins over a rename into an earlier parent") {
    // git blame looks the path up in every parent before it searches any parent for renames:
    // the merge's second parent has f.txt as it is, so every line is that side's, although the
    // first parent had the same text as g.txt (which the merge deletes: an exact rename).
    TempRepo r;
    r.write("README", "base\n");
    r.commit_all("base");
    r.git({"checkout", "-q", "-b", "side"});
    const std::string text = "one\ntwo\nthree\n";
    r.write("f.txt", text);
    const std::string side = r.commit_all("side adds f.txt");
    r.git({"checkout", "-q", "main"});
    r.write("g.txt", text);
    const std::string main_g = r.commit_all("main adds g.txt");
    r.git({"merge", "-q", "--no-ff", "--no-commit", "side"});
    r.git({"rm", "-q", "g.txt"});
    r.commit_all("merge side, drop g.txt");
    const auto ours = our_blame(r, "f.txt");
    REQUIRE(ours.size() == 3);
    for (uint32_t l = 1; l <= 3; ++l)
        CHECK(ours.at(l) == side);
    CHECK(side != main_g);
    check_same(r, "f.txt");
}
