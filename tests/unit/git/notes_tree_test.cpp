// git/notes_tree: a commit's note read from the raw notes tree is the text `git notes show`
// prints: flat and fanned-out names, both at once, entries that are not notes, no notes ref;
// and NoteReader, which reads through it, treats a note blob that is not a note as a gap.
#include "git/note_reader.h"
#include "git/notes_tree.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <map>
#include <string>
#include <vector>

using namespace provenant;
using provenant::test::TempRepo;

namespace {

/// The object id a git command printed (its first line).
std::string id_out(const provenant::test::ProcessResult& res) {
    return res.out.substr(0, 40);
}

/// The id of the commit `hex` in `repo`, as libgit2 resolves it.
git_oid commit_id(const git::Repo& repo, const std::string& hex) {
    auto id = repo.resolve(hex);
    REQUIRE(id);
    return *id;
}

std::string blob(const TempRepo& r, const std::string& text) {
    return id_out(r.git({"hash-object", "-w", "--stdin"}, false, text));
}

/// `git mktree` of lines "<mode> <type> <id>\t<name>".
std::string mktree(const TempRepo& r, const std::vector<std::string>& entries) {
    std::string in;
    for (const auto& e : entries)
        in += e + "\n";
    return id_out(r.git({"mktree"}, false, in));
}

std::string file_entry(const std::string& id, const std::string& name) {
    return "100644 blob " + id + "\t" + name;
}

std::string dir_entry(const std::string& id, const std::string& name) {
    return "040000 tree " + id + "\t" + name;
}

/// Points refs/notes/provenant at a notes commit whose tree is `tree`.
void set_notes_tree(const TempRepo& r, const std::string& tree) {
    const std::string commit = id_out(r.git({"commit-tree", "-m", "notes", tree}));
    r.git({"update-ref", "refs/notes/provenant", commit});
}

/// What git says: the note text `git notes show` prints, or "(none)".
std::string git_shows(const TempRepo& r, const std::string& commit) {
    auto res = r.git({"notes", "--ref=refs/notes/provenant", "show", commit}, true);
    return res.exit_code == 0 ? res.out : std::string("(none)");
}

/// What NotesTree says, in the same terms ("(error)" for an Error).
std::string our_note(const TempRepo& r, const std::string& commit) {
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    git::NotesTree notes(*repo, kNotesRef);
    auto text = notes.read(commit_id(*repo, commit));
    if (!text) return "(error)";
    return *text ? **text : std::string("(none)");
}

} // namespace

TEST_CASE("NotesTree: flat, fanned out at one and two levels, and both at once, as git shows") {
    TempRepo r;
    std::vector<std::string> c;
    for (int i = 0; i < 6; ++i) {
        r.write("f.txt", std::to_string(i) + "\n");
        c.push_back(r.commit_all("c" + std::to_string(i)));
    }
    const std::string flat = blob(r, "flat note\n"), fan = blob(r, "fanned note\n"),
                      deep = blob(r, "deep note\n"), other = blob(r, "not a note\n");
    // c0 flat; c1 at ab/cdef...; c2 at ab/cd/ef...; c3 flat and at ab/cdef... and ab/cd/ef...;
    // c4 only under names git does not take for notes (a tree at its full name, a symlink, a
    // directory of the wrong length); c5 none. A README beside them is no note.
    auto sub = [&](const std::string& hex, size_t at) { return hex.substr(at); };
    const std::string c2_deep = mktree(r, {file_entry(deep, sub(c[2], 4))});
    const std::string c3_deep = mktree(r, {file_entry(deep, sub(c[3], 4))});
    const std::string c4_leaf = mktree(r, {file_entry(fan, "x")});
    std::map<std::string, std::vector<std::string>> level1; // first two digits -> entries
    level1[c[1].substr(0, 2)].push_back(file_entry(fan, sub(c[1], 2)));
    level1[c[2].substr(0, 2)].push_back(dir_entry(c2_deep, c[2].substr(2, 2)));
    level1[c[3].substr(0, 2)].push_back(file_entry(fan, sub(c[3], 2)));
    level1[c[3].substr(0, 2)].push_back(dir_entry(c3_deep, c[3].substr(2, 2)));
    level1[c[4].substr(0, 2)].push_back("120000 blob " + flat + "\t" + sub(c[4], 2));
    level1[c[4].substr(0, 2)].push_back(dir_entry(c4_leaf, c[4].substr(2, 3)));
    std::vector<std::string> root{file_entry(flat, c[0]), file_entry(flat, c[3]),
                                  file_entry(other, "README"), dir_entry(c4_leaf, c[4])};
    for (auto& [digits, entries] : level1)
        root.push_back(dir_entry(mktree(r, entries), digits));
    set_notes_tree(r, mktree(r, root));
    CHECK(git_shows(r, c[0]) == "flat note\n");
    CHECK(git_shows(r, c[1]) == "fanned note\n");
    CHECK(git_shows(r, c[2]) == "deep note\n");
    CHECK(git_shows(r, c[3]) == "deep note\n\nfanned note\n\nflat note\n");
    CHECK(git_shows(r, c[4]) == "(none)");
    CHECK(git_shows(r, c[5]) == "(none)");
    for (const auto& commit : c)
        CHECK(our_note(r, commit) == git_shows(r, commit));
}

TEST_CASE("NoteReader: a fanned-out note is read, a blob that is not a note is a gap, no ref") {
    TempRepo r;
    r.write("f.txt", "one\n");
    const std::string c0 = r.commit_all("c0");
    r.write("f.txt", "one\ntwo\n");
    const std::string c1 = r.commit_all("c1");
    r.write("f.txt", "one\ntwo\nthree\n");
    const std::string c2 = r.commit_all("c2");
    auto read = [&](const std::string& commit) {
        auto repo = git::Repo::open(r.path());
        REQUIRE(repo);
        return git::NoteReader(*repo).read(commit_id(*repo, commit));
    };
    // No notes ref at all: no note, and no error.
    CHECK(git_shows(r, c0) == "(none)");
    CHECK(our_note(r, c0) == "(none)");
    CHECK(read(c0).state == git::NoteState::None);

    const std::string f_blob = id_out(r.git({"rev-parse", c0 + ":f.txt"}));
    const std::string note = R"({"schema":"provenant/1","commit":")" + c0 +
                             R"(","files":{"f.txt":{"blob":")" + f_blob +
                             R"(","lines":{"human":"1"}}},"origins":{}})";
    std::map<std::string, std::vector<std::string>> level1;
    level1[c0.substr(0, 2)].push_back(file_entry(blob(r, note), c0.substr(2)));
    level1[c1.substr(0, 2)].push_back(file_entry(blob(r, "this is not a note\n"), c1.substr(2)));
    std::vector<std::string> root;
    for (auto& [digits, entries] : level1)
        root.push_back(dir_entry(mktree(r, entries), digits));
    set_notes_tree(r, mktree(r, root));

    CHECK(our_note(r, c0) == git_shows(r, c0));
    const git::CommitNote n0 = read(c0);
    REQUIRE(n0.state == git::NoteState::Provenant);
    REQUIRE(n0.note);
    CHECK(n0.note->files.count("f.txt") == 1);
    CHECK(our_note(r, c1) == "this is not a note\n");
    CHECK(our_note(r, c1) == git_shows(r, c1));
    const git::CommitNote n1 = read(c1);
    CHECK(n1.state == git::NoteState::Unreadable);
    CHECK(n1.error.find(c1) != std::string::npos);
    CHECK(read(c2).state == git::NoteState::None);
}
