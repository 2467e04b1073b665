// provenant sync against a real bare remote on disk: merging, same-commit notes, removals,
// refspecs, and two clones committing and syncing at the same time.
#include "git/repository.h"
#include "git/sync.h"
#include "protocol/note.h"
#include "support/process.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <set>
#include <sstream>

namespace provenant::test {
namespace {

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s;
}

/// A clone of a bare remote in its own temp dir.
class Clone {
public:
    explicit Clone(const std::string& remote) {
        auto r = run({"git", "clone", "-q", remote, dir_.path() + "/w"});
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    }
    std::string path() const { return dir_.path() + "/w"; }
    ProcessResult git(const std::vector<std::string>& args, bool allow_fail = false) const {
        wait_for_pending_notes(path());
        std::vector<std::string> argv{"git"};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run(argv, path());
        if (!allow_fail) CHECK_MESSAGE(r.exit_code == 0, "git failed: " << r.err);
        return r;
    }
    ProcessResult provenant(const std::vector<std::string>& args) const {
        wait_for_pending_notes(path());
        return test::provenant(args, path());
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
        auto r = git({"notes", "--ref=provenant", "show", commit}, true);
        return r.exit_code == 0 ? trim(r.out) : std::string();
    }
    std::set<std::string> noted_commits() const {
        auto r = git({"notes", "--ref=provenant", "list"}, true);
        std::set<std::string> out;
        std::istringstream in(r.out);
        std::string blob, commit;
        while (in >> blob >> commit)
            out.insert(commit);
        return out;
    }

private:
    TempDir dir_;
};

/// A valid provenant/1 note for `commit` with one file whose lines have the given classes.
std::string make_note(const std::string& commit, const std::string& blob,
                      const std::vector<std::pair<uint32_t, LineClass>>& lines,
                      const std::string& tool = "claude-code") {
    Note n;
    n.commit = commit;
    NoteFile f;
    f.blob = blob;
    NoteOrigin o;
    o.record.cls = OriginClass::Ai;
    o.record.tool = tool;
    o.record.kind = "agent";
    for (auto [l, c] : lines) {
        f.lines(c).push_back(l);
        if (c == LineClass::Ai) {
            n.origins["o1"] = o;
            f.by_origin["o1"].push_back(l);
        }
    }
    n.files["a.txt"] = f;
    return trim(serialize_note(n));
}

/// The smallest valid provenant/1 note for `commit` (sync takes only valid notes from the
/// remote: issue 12 §12).
std::string min_note(const std::string& commit) {
    return "{\"schema\":\"provenant/1\",\"commit\":\"" + commit +
           "\",\"parent\":null,\"files\":{},\"origins\":{}}";
}

std::string blob_of(const Clone& c, const std::string& commit, const std::string& path) {
    return trim(c.git({"rev-parse", commit + ":" + path}).out);
}

} // namespace

TEST_CASE("sync: notes for different commits from two clones combine") {
    TempRepo remote(true);
    Clone a(remote.path()), b(remote.path());
    std::string ca = a.commit("a.txt", "one\n");
    a.add_note(ca, make_note(ca, blob_of(a, ca, "a.txt"), {{1, LineClass::Ai}}));
    a.git({"push", "-q", "origin", "HEAD:main"});
    auto r = a.provenant({"sync"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find("pushed to origin") != std::string::npos);

    b.git({"pull", "-q", "origin", "main"});
    std::string cb = b.commit("b.txt", "two\n");
    b.add_note(cb, min_note(cb));
    // b's notes ref started independently of a's: the histories are unrelated and must merge.
    r = b.provenant({"sync", "--json"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["merge"] == "merged");
    CHECK(j["pushed"] == true);
    CHECK(b.noted_commits() == std::set<std::string>{ca, cb});

    r = a.provenant({"sync"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(a.noted_commits() == std::set<std::string>{ca, cb});
    CHECK(a.note(ca) == b.note(ca));
    // A second sync changes nothing.
    r = a.provenant({"sync", "--json"});
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["merge"] == "up-to-date");
}

TEST_CASE("sync: two notes for the same commit merge line by line, the same on both sides") {
    TempRepo remote(true);
    Clone a(remote.path());
    std::string c = a.commit("a.txt", "x = 1\ny = 2\nz = 3\n");
    a.git({"push", "-q", "origin", "HEAD:main"});
    Clone b(remote.path());
    std::string blob = blob_of(a, c, "a.txt");
    // a knows line 1 (ai), b knows line 2 (human); they disagree on line 3.
    a.add_note(c, make_note(c, blob,
                            {{1, LineClass::Ai}, {2, LineClass::Unknown}, {3, LineClass::Human}}));
    b.add_note(c,
               make_note(c, blob,
                         {{1, LineClass::Unknown}, {2, LineClass::Human}, {3, LineClass::Paste}}));
    REQUIRE(a.provenant({"sync"}).exit_code == 0);
    auto r = b.provenant({"sync"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    REQUIRE(a.provenant({"sync"}).exit_code == 0);
    CHECK(a.note(c) == b.note(c));
    auto merged = parse_note(b.note(c));
    REQUIRE_MESSAGE(merged.ok(), merged.error().message);
    const NoteFile& f = merged->files.at("a.txt");
    CHECK(f.lookup(1)->first == LineClass::Ai);
    CHECK(merged->origins.at(f.lookup(1)->second).record.tool == "claude-code");
    CHECK(f.lookup(2)->first == LineClass::Human);
    CHECK(f.lookup(3)->first == LineClass::Unknown); // conflicting evidence: never a guess
}

TEST_CASE("sync: a note removed on one side is removed on the other") {
    TempRepo remote(true);
    Clone a(remote.path());
    std::string c1 = a.commit("a.txt", "1\n");
    std::string c2 = a.commit("a.txt", "1\n2\n");
    a.add_note(c1, min_note(c1));
    a.add_note(c2, min_note(c2));
    a.git({"push", "-q", "origin", "HEAD:main"});
    REQUIRE(a.provenant({"sync"}).exit_code == 0);
    Clone b(remote.path());
    REQUIRE(b.provenant({"sync"}).exit_code == 0);
    CHECK(b.noted_commits() == std::set<std::string>{c1, c2});
    b.git({"notes", "--ref=provenant", "remove", c1});
    std::string c3 = b.commit("b.txt", "3\n");
    b.add_note(c3, min_note(c3));
    std::string c4 = a.commit("c.txt", "4\n");
    a.add_note(c4, min_note(c4));
    REQUIRE(a.provenant({"sync"}).exit_code == 0);
    REQUIRE(b.provenant({"sync"}).exit_code == 0);
    REQUIRE(a.provenant({"sync"}).exit_code == 0);
    CHECK(a.noted_commits() == std::set<std::string>{c2, c3, c4});
    CHECK(b.noted_commits() == std::set<std::string>{c2, c3, c4});
}

TEST_CASE("sync: refspecs make plain git fetch and git push carry the notes") {
    TempRepo remote(true);
    Clone a(remote.path()), b(remote.path());
    for (const Clone* c : {&a, &b}) {
        auto repo = git::Repo::open(c->path());
        REQUIRE(repo.ok());
        auto added = git::configure_notes_refspecs(repo->get(), "origin");
        REQUIRE_MESSAGE(added.ok(), added.error().message);
        CHECK(added->find("refs/notes/provenant") != std::string::npos);
        auto again = git::configure_notes_refspecs(repo->get(), "origin");
        REQUIRE(again.ok());
        CHECK(again->empty()); // idempotent
    }
    // Before anyone has notes, plain fetch and push still work.
    b.git({"fetch", "-q"});
    std::string c = a.commit("a.txt", "1\n");
    a.git({"push", "-q"});
    a.add_note(c, min_note(c));
    a.git({"push", "-q"}); // plain push: branch and notes
    CHECK(trim(run({"git", "rev-parse", "refs/notes/provenant"}, remote.path()).out).size() == 40);
    CHECK(trim(run({"git", "rev-parse", "refs/heads/main"}, remote.path()).out) == c);

    b.git({"fetch", "-q"}); // plain fetch: into the tracking ref, nothing clobbered
    CHECK(b.noted_commits().empty());
    auto r = b.provenant({"sync", "--no-fetch"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(b.noted_commits() == std::set<std::string>{c});

    auto repo = git::Repo::open(a.path());
    REQUIRE(git::remove_notes_refspecs(repo->get(), "origin").ok());
    CHECK(a.git({"config", "--get-all", "remote.origin.push"}).out == "HEAD\n");
    CHECK(a.git({"config", "--get-all", "remote.origin.fetch"}).out ==
          "+refs/heads/*:refs/remotes/origin/*\n");
}

TEST_CASE("sync: clear errors for a missing remote and outside a repository") {
    TempRepo repo;
    auto r = repo.provenant({"sync", "nowhere"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("no remote named 'nowhere'") != std::string::npos);
    TempDir empty;
    r = provenant({"sync"}, empty.path());
    CHECK(r.exit_code != 0);
    CHECK(!r.err.empty());
}

TEST_CASE("sync: two clones committing and syncing at the same time lose no note") {
    TempRepo remote(true);
    Clone seed(remote.path());
    seed.commit("seed.txt", "seed\n");
    seed.git({"push", "-q", "origin", "HEAD:main"});
    Clone a(remote.path()), b(remote.path());
    const int rounds = 6;
    // Each clone: commit, note, sync; both at once, as two processes.
    auto script = [&](const std::string& name) {
        return "set -e; for i in $(seq 1 " + std::to_string(rounds) + "); do echo " + name +
               "$i > " + name + "$i.txt; git add -A; git commit -q -m " + name +
               "$i; git notes --ref=provenant add -m \"{\\\"schema\\\":\\\"provenant/1\\\","
               "\\\"commit\\\":\\\"$(git rev-parse HEAD)\\\",\\\"parent\\\":null,"
               "\\\"files\\\":{},\\\"origins\\\":{}}\" HEAD; " +
               PROVENANT_BINARY + " sync >/dev/null; done";
    };
    Child ca({"sh", "-c", script("a")}, a.path(), {}, a.path() + "/../a.err");
    Child cb({"sh", "-c", script("b")}, b.path(), {}, b.path() + "/../b.err");
    auto ea = ca.wait(std::chrono::seconds(120));
    auto eb = cb.wait(std::chrono::seconds(120));
    REQUIRE(ea.has_value());
    REQUIRE(eb.has_value());
    CHECK_MESSAGE(*ea == 0, read_text(a.path() + "/../a.err"));
    CHECK_MESSAGE(*eb == 0, read_text(b.path() + "/../b.err"));
    REQUIRE(a.provenant({"sync"}).exit_code == 0);
    REQUIRE(b.provenant({"sync"}).exit_code == 0);
    auto na = a.noted_commits(), nb = b.noted_commits();
    CHECK(na.size() == 2 * rounds);
    CHECK(na == nb);
    // And the remote holds every one of them.
    auto listed = run({"git", "notes", "--ref=provenant", "list"}, remote.path());
    size_t lines = 0;
    for (char ch : listed.out)
        lines += ch == '\n';
    CHECK(lines == 2 * rounds);
}

} // namespace provenant::test
