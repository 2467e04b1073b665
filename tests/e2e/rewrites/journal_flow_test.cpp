// The product's own flow: `provenant install`, evidence in the journal (as an agent hook or
// the sidecar writes it), attach at commit, then amend, cherry-pick and stash.
#include "git/note_store.h"
#include "git/repository.h"
#include "journal/journal.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>

namespace provenant::test {
namespace {

OriginRecord claude() {
    OriginRecord r;
    r.cls = OriginClass::Ai;
    r.tool = "claude-code";
    r.kind = "agent";
    r.session = "s1";
    return r;
}

/// Writes `base + added` to `rel` and tells the journal that `added` came from `who`
/// (`base` is text that was already there).
void record(const TempRepo& repo, const std::string& rel, const std::string& base,
            const std::string& added, const OriginRecord& who) {
    repo.write(rel, base + added);
    Snapshot s;
    s.text = base + added;
    uint32_t id = s.origins.intern(who);
    s.push_run(static_cast<uint32_t>(base.size()), Attr{kUnknownOrigin, Evidence::None, false});
    s.push_run(static_cast<uint32_t>(added.size()), Attr{id, Evidence::Recorded, true});
    wait_for_pending_notes(repo.path()); // like every journal writer: the last note first
    Journal journal(repo.path() + "/.git");
    auto st = journal.update(rel, [&](std::optional<JournalEntry>) {
        JournalEntry e;
        e.path = rel;
        e.snapshot = s;
        e.writer = "test";
        return std::optional<JournalEntry>(e);
    });
    REQUIRE_MESSAGE(st.ok(), st.error().message);
}

/// The class and tool of line `line` of `path` in the note of `rev`.
std::pair<LineClass, std::string> line_of(const TempRepo& repo, const std::string& rev,
                                          const std::string& path, uint32_t line) {
    wait_for_pending_notes(repo.path());
    auto r = git::Repo::open(repo.path());
    REQUIRE(r.ok());
    auto id = r->resolve(rev);
    REQUIRE(id.ok());
    git::NoteStore store(*r);
    auto n = store.read(*id);
    REQUIRE(n.ok());
    if (!*n) return {LineClass::Blank, "no note"};
    auto f = (*n)->files.find(path);
    if (f == (*n)->files.end()) return {LineClass::Blank, "no file"};
    auto l = f->second.lookup(line);
    if (!l) return {LineClass::Blank, "not added"};
    auto o = (*n)->origins.find(l->second);
    return {l->first, o == (*n)->origins.end() ? "" : o->second.record.tool};
}

void install(const TempRepo& repo) {
    auto r = repo.provenant({"install"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

const std::pair<LineClass, std::string> kClaudeLine{LineClass::Ai, "claude-code"};

} // namespace

TEST_CASE("journal flow: amend with new evidence keeps the old lines and adds the new") {
    TempRepo repo;
    install(repo);
    record(repo, "a.py", "", "def f():\n    return 1\n", claude());
    repo.commit_all("f");
    CHECK(line_of(repo, "HEAD", "a.py", 1) == kClaudeLine);
    OriginRecord human;
    human.cls = OriginClass::Human;
    record(repo, "a.py", "def f():\n    return 1\n", "print(f())\n", human);
    repo.git({"commit", "-q", "-a", "--amend", "-m", "f, used"});
    CHECK(line_of(repo, "HEAD", "a.py", 1) == kClaudeLine);
    CHECK(line_of(repo, "HEAD", "a.py", 2) == kClaudeLine);
    CHECK(line_of(repo, "HEAD", "a.py", 3).first == LineClass::Human);
}

TEST_CASE("journal flow: cherry-pick carries through attach") {
    TempRepo repo;
    install(repo);
    repo.write("base.txt", "base\n");
    repo.commit_all("base");
    repo.git({"checkout", "-q", "-b", "side"});
    record(repo, "a.py", "", "x = 1\ny = 2\n", claude());
    std::string picked = repo.commit_all("side");
    repo.git({"checkout", "-q", "main"});
    repo.git({"cherry-pick", picked});
    CHECK(line_of(repo, "HEAD", "a.py", 1) == kClaudeLine);
    CHECK(line_of(repo, "HEAD", "a.py", 2) == kClaudeLine);
}

TEST_CASE("journal flow: stash and pop (with a commit in between) keep pending provenance") {
    TempRepo repo;
    install(repo);
    repo.write("a.py", "base\n");
    repo.write("b.py", "other\n");
    repo.commit_all("base");
    record(repo, "a.py", "base\n", "agent_line()\n", claude());
    repo.git({"stash", "-q"});
    CHECK(repo.read("a.py") == "base\n");
    repo.write("b.py", "other\nchanged\n");
    repo.commit_all("meanwhile");
    repo.git({"stash", "pop", "-q"});
    CHECK(repo.read("a.py") == "base\nagent_line()\n");
    repo.commit_all("popped");
    CHECK(line_of(repo, "HEAD", "a.py", 2) == kClaudeLine);
}

TEST_CASE("journal flow: reset --soft and commit again reuse the orphaned note") {
    TempRepo repo;
    install(repo);
    repo.write("base.txt", "base\n");
    repo.commit_all("base");
    record(repo, "a.py", "", "one()\ntwo()\n", claude());
    repo.commit_all("agent");
    repo.git({"reset", "-q", "--soft", "HEAD~1"});
    repo.git({"commit", "-q", "-m", "again"});
    CHECK(line_of(repo, "HEAD", "a.py", 1) == kClaudeLine);
    CHECK(line_of(repo, "HEAD", "a.py", 2) == kClaudeLine);
}

} // namespace provenant::test
