// End-to-end, issue 12 §12: notes from a remote are untrusted. `provenant sync` validates a
// note only the remote changed before taking it (an invalid one never replaces a valid local
// note, nor arrives where there was none), and skips and reports entries of the remote notes
// tree that are not notes (a gitlink, a tree) instead of failing every sync.
#include "support/process.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

using namespace provenant::test;

namespace {

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s;
}

/// A clone of a bare remote in its own temp dir (no provenant hooks: notes are added by hand).
class Clone {
public:
    explicit Clone(const std::string& remote) {
        auto r = run({"git", "clone", "-q", remote, dir_.path() + "/w"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    }
    std::string path() const { return dir_.path() + "/w"; }
    ProcessResult git(const std::vector<std::string>& args, const std::string& input = {}) const {
        std::vector<std::string> argv{"git"};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run(argv, path(), input);
        CHECK_MESSAGE(r.exit_code == 0, "git failed: " << r.err);
        return r;
    }
    std::string commit(const std::string& file, const std::string& text) const {
        write_text(path() + "/" + file, text);
        git({"add", "-A"});
        git({"commit", "-q", "-m", "edit " + file});
        return trim(git({"rev-parse", "HEAD"}).out);
    }
    void add_note(const std::string& commit, const std::string& text) const {
        git({"notes", "--ref=provenant", "add", "-f", "-m", text, commit});
    }
    std::string note(const std::string& commit) const {
        auto r = run({"git", "notes", "--ref=provenant", "show", commit}, path());
        return r.exit_code == 0 ? trim(r.out) : std::string();
    }
    /// Pushes this clone's notes ref as it is (what a hostile or buggy peer does).
    void push_notes() const {
        git({"push", "-q", "-f", "origin", "refs/notes/provenant:refs/notes/provenant"});
    }
    void fetch_notes() const {
        git({"fetch", "-q", "origin", "+refs/notes/provenant:refs/notes/provenant"});
    }

private:
    TempDir dir_;
};

std::string valid_note(const std::string& commit, const std::string& tool) {
    return "{\"schema\":\"provenant/1\",\"commit\":\"" + commit +
           "\",\"parent\":null,\"files\":{},\"origins\":{\"o1\":{\"class\":\"ai\",\"tool\":\"" +
           tool + "\",\"kind\":\"agent\"}}}";
}

} // namespace

TEST_CASE("sync: an invalid note changed only on the remote never replaces a valid one") {
    TempRepo remote(true);
    Clone a(remote.path());
    const std::string c1 = a.commit("a.txt", "1\n");
    const std::string c2 = a.commit("b.txt", "2\n");
    a.git({"push", "-q", "origin", "HEAD:main"});
    const std::string good = valid_note(c1, "claude-code");
    a.add_note(c1, good);
    auto r = run({PROVENANT_BINARY, "sync"}, a.path());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);

    // A peer replaces c1's note with junk, gives c2 a note written for another commit, and
    // adds a valid note for c3: pushed as a fast-forward of what a pushed.
    Clone b(remote.path());
    b.fetch_notes();
    const std::string c3 = b.commit("c.txt", "3\n");
    b.git({"push", "-q", "origin", "HEAD:main"});
    b.add_note(c1, "not a note \x1b[31m");
    b.add_note(c2, valid_note(c1, "copied"));
    b.add_note(c3, valid_note(c3, "codex"));
    b.push_notes();

    SUBCASE("a has nothing new: once a fast-forward") {}
    SUBCASE("a has a note of its own: a three-way merge") {
        a.git({"pull", "-q", "origin", "main"});
        const std::string c4 = a.commit("d.txt", "4\n");
        a.add_note(c4, valid_note(c4, "cursor"));
    }
    r = run({PROVENANT_BINARY, "sync", "--json"}, a.path());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(a.note(c1) == good);                    // the valid local note stays
    CHECK(a.note(c2).empty());                    // a note for another commit is not taken
    CHECK(a.note(c3) == valid_note(c3, "codex")); // a valid one is
    CHECK(r.err.find("not taken") != std::string::npos);
    // What a pushed back holds the valid note again, and a second sync changes nothing.
    auto on_remote = run({"git", "notes", "--ref=provenant", "show", c1}, remote.path());
    CHECK(trim(on_remote.out) == good);
    r = run({PROVENANT_BINARY, "sync", "--json"}, a.path());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(nlohmann::json::parse(r.out)["merge"] == "up-to-date");
    CHECK(r.err.find("not taken") == std::string::npos);
}

TEST_CASE("sync: a gitlink or a tree in the remote notes tree is skipped and said") {
    TempRepo remote(true);
    Clone a(remote.path());
    const std::string c1 = a.commit("a.txt", "1\n");
    const std::string c2 = a.commit("b.txt", "2\n");
    a.git({"push", "-q", "origin", "HEAD:main"});
    a.add_note(c1, valid_note(c1, "claude-code"));
    REQUIRE(run({PROVENANT_BINARY, "sync"}, a.path()).exit_code == 0);

    // A peer adds a valid note for c2 and, beside it, a gitlink and a subtree that are no
    // notes (a tree named by a whole commit id, a gitlink named like a fanout level).
    Clone b(remote.path());
    b.fetch_notes();
    b.add_note(c2, valid_note(c2, "codex"));
    const std::string empty_tree = trim(b.git({"mktree"}, "").out);
    std::string listing = b.git({"ls-tree", "refs/notes/provenant"}).out;
    listing += "160000 commit " + c1 + "\t" + "ab\n";
    listing += "040000 tree " + empty_tree + "\t" + c2.substr(0, 38) + "zz\n";
    listing += "040000 tree " + empty_tree + "\t" + std::string(40, 'e') + "\n";
    const std::string tree = trim(b.git({"mktree"}, listing).out);
    const std::string commit =
        trim(b.git({"commit-tree", tree, "-p", "refs/notes/provenant", "-m", "odd"}).out);
    b.git({"update-ref", "refs/notes/provenant", commit});
    b.push_notes();

    SUBCASE("fast-forward") {}
    SUBCASE("three-way merge") {
        a.git({"pull", "-q", "origin", "main"});
        const std::string c3 = a.commit("c.txt", "3\n");
        a.add_note(c3, valid_note(c3, "cursor"));
    }
    auto r = run({PROVENANT_BINARY, "sync"}, a.path());
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(a.note(c2) == valid_note(c2, "codex"));
    CHECK(a.note(c1) == valid_note(c1, "claude-code"));
    CHECK(r.err.find("a gitlink") != std::string::npos);
    CHECK(r.err.find("not named by a commit id") != std::string::npos);
    CHECK(r.err.find("a tree") != std::string::npos);
    // The odd entries are not kept: the local notes tree has notes only.
    auto entries = a.git({"ls-tree", "-r", "refs/notes/provenant"}).out;
    CHECK(entries.find("160000") == std::string::npos);
    CHECK(entries.find(std::string(40, 'e')) == std::string::npos);
}
