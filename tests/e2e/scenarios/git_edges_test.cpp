// Issue 9 §6: where git leaves a trace, evidence follows it. A cherry-pick finished after a
// conflict, a revert of a commit that deleted AI lines, a stash popped with a conflict, a file
// moved with `git mv` while it has pending work. Real git, the real provenant hooks.
#include "git/note_store.h"
#include "git/repository.h"
#include "journal/journal.h"
#include "scenario_support.h"

#include <doctest/doctest.h>
#include <filesystem>

using namespace provenant;
using namespace provenant::test;

namespace {

/// Drops the pending journal (as on another clone, or once its entries are gone), so that only
/// the notes and git's traces can give the lines back their attribution.
void forget_journal(const TempRepo& r) {
    wait_for_pending_notes(r.path());
    std::filesystem::remove_all(r.path() + "/.git/provenant/journal");
}

const char* kBase = "a = 1\nb = 2\nc = 3\n";

/// main: kBase plus a person's unwatched line 4; side (picked from): Claude's lines 4-5 at the
/// same place, so the pick conflicts. Returns the side commit.
std::string side_commit(ScenarioRepo& r) {
    r.unwatched("f.py", kBase);
    r.commit_all("base");
    r.git({"checkout", "-q", "-b", "side"});
    r.record("f.py", kBase, "d = helper(c)\ne = finish(d)\n", claude());
    std::string side = r.commit_all("side: helpers");
    CHECK(note_line(r, side, "f.py", 4) == kClaudeLine);
    forget_journal(r); // the picked commit's note is the only evidence
    r.git({"checkout", "-q", "main"});
    // A person's unwatched change at the same place: the pick conflicts.
    r.unwatched("f.py", std::string(kBase) + "d = 4\n");
    r.commit_all("main: d");
    return side;
}

const std::string kResolved = std::string(kBase) + "d = helper(c)\ne = finish(d)\n";

} // namespace

TEST_CASE("cherry-pick stopped on a conflict, then --continue: the picked lines keep their "
          "attribution") {
    ScenarioRepo r;
    std::string side = side_commit(r);
    auto pick = r.git({"cherry-pick", side}, true);
    REQUIRE(pick.exit_code != 0); // the conflict
    r.write("f.py", kResolved);   // taken from the picked side, no evidence of its own
    r.git({"add", "f.py"});
    r.git({"-c", "core.editor=true", "cherry-pick", "--continue"});
    CHECK(note_line(r, "HEAD", "f.py", 4) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "f.py", 5) == kClaudeLine);
    Note n = [&] {
        auto repo = git::Repo::open(r.path());
        REQUIRE(repo.ok());
        auto id = repo->resolve("HEAD");
        REQUIRE(id.ok());
        auto note = git::NoteStore(*repo).read(*id);
        REQUIRE(note.ok());
        REQUIRE(note->has_value());
        return **note;
    }();
    REQUIRE(n.rewrite);
    CHECK(n.rewrite->kind == "cherry-pick");
    CHECK(n.rewrite->from == std::vector<std::string>{side});
}

TEST_CASE("cherry-pick stopped on a conflict, then committed with git commit: the same") {
    ScenarioRepo r;
    std::string side = side_commit(r);
    REQUIRE(r.git({"cherry-pick", side}, true).exit_code != 0);
    r.write("f.py", kResolved);
    r.git({"add", "f.py"});
    r.git({"commit", "-q", "--no-edit"});
    CHECK(note_line(r, "HEAD", "f.py", 4) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "f.py", 5) == kClaudeLine);
}

TEST_CASE("cherry-pick after a conflict: a resolution line nobody recorded stays unknown, a "
          "typed one is human") {
    ScenarioRepo r;
    std::string side = side_commit(r);
    REQUIRE(r.git({"cherry-pick", side}, true).exit_code != 0);
    // The person keeps the agent's first line, writes their own second line in a watched
    // editor, and a third by a script.
    r.record("f.py", std::string(kBase) + "d = helper(c)\n", "e = finish_by_hand(d)\n", person());
    r.write("f.py", std::string(kBase) + "d = helper(c)\ne = finish_by_hand(d)\nf = 6\n");
    r.git({"add", "f.py"});
    r.git({"-c", "core.editor=true", "cherry-pick", "--continue"});
    CHECK(note_line(r, "HEAD", "f.py", 4) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "f.py", 5).first == LineClass::Human);
    CHECK(note_line(r, "HEAD", "f.py", 6) == kUnknownLine);
}

TEST_CASE("cherry-pick --abort, then an ordinary commit of similar text carries nothing") {
    ScenarioRepo r;
    std::string side = side_commit(r);
    REQUIRE(r.git({"cherry-pick", side}, true).exit_code != 0);
    r.git({"cherry-pick", "--abort"});
    r.unwatched("f.py", std::string(kBase) + "d = 4\nprint(d)\n");
    r.git({"commit", "-q", "-am", "side: helpers"}); // even the same subject
    CHECK(note_line(r, "HEAD", "f.py", 5) == kUnknownLine);
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo.ok());
    auto id = repo->resolve("HEAD");
    REQUIRE(id.ok());
    auto note = git::NoteStore(*repo).read(*id);
    REQUIRE(note.ok());
    REQUIRE(note->has_value());
    CHECK_FALSE((*note)->rewrite); // not taken for a pick: its reflog entry is a plain commit
}

namespace {

/// c1: Claude's three lines; c2: a person deletes two of them (unwatched); then a commit that
/// shifts the file. Returns c2.
std::string deleting_commit(ScenarioRepo& r) {
    r.unwatched("f.py", "import sys\n");
    r.commit_all("base");
    r.record("f.py", "import sys\n", "x = load()\ny = transform(x)\nsave(y)\n", claude());
    r.commit_all("agent pipeline");
    r.unwatched("f.py", "import sys\nx = load()\nsave(x)\n");
    std::string c2 = r.commit_all("drop the transform");
    r.unwatched("g.py", "other = True\n");
    r.commit_all("unrelated");
    forget_journal(r); // only the notes remember the deleted lines
    return c2;
}

} // namespace

TEST_CASE("git revert of a commit that deleted AI lines gives them back their attribution") {
    ScenarioRepo r;
    std::string c2 = deleting_commit(r);
    r.git({"revert", "--no-edit", c2});
    CHECK(r.read("f.py") == "import sys\nx = load()\ny = transform(x)\nsave(y)\n");
    CHECK(note_line(r, "HEAD", "f.py", 3) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "f.py", 4) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "f.py", 2) == kNotAdded);
}

TEST_CASE("git revert after later commits shifted the lines, and with a conflict resolved") {
    ScenarioRepo r;
    std::string c2 = deleting_commit(r);
    // Lines above move everything down; a change next to the deleted lines makes the revert
    // conflict.
    r.unwatched("f.py", "#!/usr/bin/env python3\nimport os\nimport sys\nx = load()\nsave(x)\n"
                        "print('done')\n");
    r.commit_all("shift");
    auto rev = r.git({"revert", "--no-edit", c2}, true);
    if (rev.exit_code != 0) { // resolved as the person wants: the agent's lines back
        r.write("f.py", "#!/usr/bin/env python3\nimport os\nimport sys\nx = load()\n"
                        "y = transform(x)\nsave(y)\nprint('done')\n");
        r.git({"add", "f.py"});
        r.git({"-c", "core.editor=true", "revert", "--continue"});
    }
    CHECK(r.read("f.py").find("y = transform(x)\nsave(y)\n") != std::string::npos);
    CHECK(note_line(r, "HEAD", "f.py", 5) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "f.py", 6) == kClaudeLine);
}

TEST_CASE("git revert of an AI commit restores the person's lines it replaced") {
    ScenarioRepo r;
    r.unwatched("f.py", "start()\n");
    r.commit_all("base");
    r.record("f.py", "start()\n", "careful_step()\n", person());
    r.commit_all("by hand");
    CHECK(note_line(r, "HEAD", "f.py", 2).first == LineClass::Human);
    r.record("f.py", "start()\n", "fast_step()\n", claude());
    std::string ai = r.commit_all("agent rewrite");
    CHECK(note_line(r, "HEAD", "f.py", 2) == kClaudeLine);
    forget_journal(r);
    r.git({"revert", "--no-edit", ai});
    CHECK(r.read("f.py") == "start()\ncareful_step()\n");
    CHECK(note_line(r, "HEAD", "f.py", 2).first == LineClass::Human);
}

TEST_CASE("git stash pop with a conflict, then resolved: the stash's lines keep their "
          "attribution") {
    ScenarioRepo r;
    r.unwatched("f.py", "one\ntwo\nthree\n");
    r.commit_all("base");
    r.record("f.py", "one\ntwo\nthree\n", "four = agent()\nfive = agent()\n", claude());
    r.git({"stash", "-q"});
    r.unwatched("f.py", "one\ntwo\nthree\nfour = 4\n");
    r.commit_all("meanwhile");
    REQUIRE(r.git({"stash", "pop"}, true).exit_code != 0); // the conflict
    r.write("f.py", "one\ntwo\nthree\nfour = 4\nfour = agent()\nfive = agent()\n");
    r.git({"add", "f.py"});
    r.git({"stash", "drop", "-q"});
    r.commit_all("popped");
    CHECK(note_line(r, "HEAD", "f.py", 4) == kNotAdded);
    CHECK(note_line(r, "HEAD", "f.py", 5) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "f.py", 6) == kClaudeLine);
}

namespace {

bool journal_has(const TempRepo& r, const std::string& path) {
    wait_for_pending_notes(r.path());
    Journal j(std::filesystem::canonical(r.path() + "/.git"));
    auto e = j.load(path);
    REQUIRE(e.ok());
    return e->has_value();
}

} // namespace

TEST_CASE("git mv of a tracked file with pending work keeps it, under the new name") {
    ScenarioRepo r;
    r.unwatched("app.py", "def main():\n    pass\n");
    r.commit_all("base");
    r.record("app.py", "def main():\n    pass\n", "def helper():\n    return 42\n", claude());
    r.git({"mv", "app.py", "main.py"});
    // git mv moves the index's (committed) content: the commit is a pure rename, and the
    // agent's work stays pending in the moved file.
    r.git({"commit", "-q", "-m", "move"});
    CHECK(journal_has(r, "main.py"));
    CHECK_FALSE(journal_has(r, "app.py")); // no stale entry under the old name
    // Later work in the moved file builds on the entry that followed it.
    r.record("main.py", "def main():\n    pass\ndef helper():\n    return 42\n",
             "print(helper())\n", codex());
    r.commit_all("use it");
    CHECK(note_line(r, "HEAD", "main.py", 3) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "main.py", 4) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "main.py", 5) == kCodexLine);
}

TEST_CASE("git mv of a tracked file with its pending work staged: committed under the new "
          "name") {
    ScenarioRepo r;
    r.unwatched("app.py", "def main():\n    pass\n");
    r.commit_all("base");
    r.record("app.py", "def main():\n    pass\n", "def helper():\n    return 42\n", claude());
    r.git({"mv", "app.py", "main.py"});
    r.git({"add", "main.py"});
    r.git({"commit", "-q", "-m", "move and helper"});
    CHECK(note_line(r, "HEAD", "main.py", 3) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "main.py", 4) == kClaudeLine);
    CHECK_FALSE(journal_has(r, "app.py"));
}

TEST_CASE("git mv of a new file before its first commit keeps the pending work") {
    ScenarioRepo r;
    r.unwatched("README", "readme\n");
    r.commit_all("base");
    r.record("draft.py", "", "def f():\n    return compute()\n", claude());
    r.git({"add", "draft.py"});
    r.git({"mv", "draft.py", "lib.py"});
    r.git({"commit", "-q", "-m", "lib"});
    CHECK(note_line(r, "HEAD", "lib.py", 1) == kClaudeLine);
    CHECK(note_line(r, "HEAD", "lib.py", 2) == kClaudeLine);
    CHECK_FALSE(journal_has(r, "draft.py"));
}

TEST_CASE("a journal entry of a deleted file is not taken by an unrelated new file") {
    ScenarioRepo r;
    r.unwatched("README", "readme\n");
    r.commit_all("base");
    r.record("draft.py", "", "def f():\n    return compute()\n", claude());
    std::filesystem::remove(r.file("draft.py"));
    r.unwatched("other.py", "value = 1\nprint(value)\n");
    r.commit_all("other");
    CHECK(note_line(r, "HEAD", "other.py", 1) == kUnknownLine);
    CHECK(note_line(r, "HEAD", "other.py", 2) == kUnknownLine);
}
