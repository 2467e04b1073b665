// git/notes_tree: a commit's note read from the raw notes tree is the text `git notes show`
// prints: flat and fanned-out names, both at once, entries that are not notes, no notes ref;
// and NoteReader, which reads through it, treats a note blob that is not a note as a gap.
#include "git/note_reader.h"
#include "git/notes_tree.h"
#include "support/temp_repo.h"

#include <algorithm>
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

namespace {

std::string upper(std::string s) {
    for (char& c : s)
        if (c >= 'a' && c <= 'f') c = char(c - 'a' + 'A');
    return s;
}

/// Commits of `r` whose ids begin with two hex letters, so their names have an uppercase
/// spelling at every level.
/// `distinct_fanout`: no two share their first two digits (their fan-out directory), so a
/// test's damaged directory holds one commit's note only (36 such prefixes: without it, two
/// commits share one in 1 run of 36).
std::vector<std::string> letter_commits(const TempRepo& r, size_t n, bool distinct_fanout = false) {
    std::vector<std::string> out;
    auto taken = [&](const std::string& c) {
        return std::any_of(out.begin(), out.end(),
                           [&](const std::string& o) { return o.compare(0, 2, c, 0, 2) == 0; });
    };
    for (int i = 0; out.size() < n && i < 2000; ++i) {
        r.write("f.txt", std::to_string(i) + "\n");
        const std::string c = r.commit_all("c" + std::to_string(i));
        if (c[0] >= 'a' && c[1] >= 'a' && !(distinct_fanout && taken(c))) out.push_back(c);
    }
    REQUIRE(out.size() == n);
    return out;
}

/// A tree object written as it is (`git hash-object --literally`): damaged ones too.
std::string literal_tree(const TempRepo& r, const std::string& raw) {
    const std::string id =
        id_out(r.git({"hash-object", "-t", "tree", "--literally", "-w", "--stdin"}, false, raw));
    REQUIRE(id.size() == 40);
    return id;
}

/// One raw tree entry: "<mode> <name>\0<20-byte id>".
std::string raw_entry(const std::string& mode, const std::string& name, const std::string& hex) {
    git_oid id{};
    REQUIRE(git_oid_fromstr(&id, hex.c_str()) == 0);
    std::string out = mode + " " + name;
    out.push_back('\0');
    out.append(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
    return out;
}

} // namespace

TEST_CASE("NotesTree: notes named in uppercase and mixed-case hex are read, joined as git joins "
          "them") {
    TempRepo r;
    const std::vector<std::string> c = letter_commits(r, 6);
    const std::string a = blob(r, "note A\n"), b = blob(r, "note B\n"), x = blob(r, "note X\n"),
                      y = blob(r, "note Y\n");
    std::vector<std::string> root;
    std::map<std::string, std::vector<std::string>> dirs; // root directory name -> entries
    // c0: flat, all uppercase. c1: an uppercase directory, the rest lowercase. c2: a lowercase
    // directory, then a mixed-case one two levels deep, the rest uppercase.
    root.push_back(file_entry(a, upper(c[0])));
    dirs[upper(c[1].substr(0, 2))].push_back(file_entry(b, c[1].substr(2)));
    const std::string mixed = std::string(1, c[2][0]) + upper(c[2].substr(1, 1));
    dirs[mixed].push_back(
        dir_entry(mktree(r, {file_entry(y, upper(c[2].substr(4)))}), upper(c[2].substr(2, 2))));
    // c3: at all four of "AB/…", "AB…", "ab/…" and "ab…", each another note: git loads them in
    // tree order (uppercase sorts first), a directory before the flat name it prefixes.
    root.push_back(file_entry(a, upper(c[3])));
    root.push_back(file_entry(b, c[3]));
    dirs[upper(c[3].substr(0, 2))].push_back(file_entry(x, upper(c[3].substr(2))));
    dirs[c[3].substr(0, 2)].push_back(file_entry(y, c[3].substr(2)));
    // c4: the same note under two names: git shows it once. c5: A, B, then A again: after the
    // join the value is another blob, so the second A is joined too.
    root.push_back(file_entry(a, upper(c[4])));
    root.push_back(file_entry(a, c[4]));
    root.push_back(file_entry(a, upper(c[5])));
    dirs[c[5].substr(0, 2)].push_back(file_entry(b, c[5].substr(2)));
    root.push_back(file_entry(a, c[5]));
    for (auto& [digits, entries] : dirs)
        root.push_back(dir_entry(mktree(r, entries), digits));
    set_notes_tree(r, mktree(r, root));
    CHECK(git_shows(r, c[0]) == "note A\n");
    CHECK(git_shows(r, c[1]) == "note B\n");
    CHECK(git_shows(r, c[2]) == "note Y\n");
    CHECK(git_shows(r, c[3]) == "note X\n\nnote A\n\nnote Y\n\nnote B\n");
    CHECK(git_shows(r, c[4]) == "note A\n");
    CHECK(git_shows(r, c[5]) == "note A\n\nnote B\n\nnote A\n");
    for (const auto& commit : c) {
        CAPTURE(commit);
        CHECK(our_note(r, commit) == git_shows(r, commit));
    }
}

TEST_CASE("NotesTree: damaged notes trees are errors, never read past their end") {
    TempRepo r;
    const std::vector<std::string> c = letter_commits(r, 2, /*distinct_fanout=*/true);
    const std::string note = blob(r, "a note\n");
    const std::string sub = raw_entry("100644", c[0].substr(2), note);
    const std::string flat = raw_entry("100644", c[1], note);
    const std::string good_sub = literal_tree(r, sub);
    // Every cut of the subtree, and of a root holding it and a flat note: an error or no note,
    // never a crash (ASan checks the bounds in CI), and the same answer on every read.
    for (size_t cut = 0; cut < sub.size(); cut += 3) {
        CAPTURE(cut);
        const std::string damaged = literal_tree(r, sub.substr(0, cut));
        set_notes_tree(r, literal_tree(r, raw_entry("40000", c[0].substr(0, 2), damaged) + flat));
        CHECK(our_note(r, c[0]) != "a note\n");
        CHECK(our_note(r, c[1]) == "a note\n"); // a damaged subtree spoils only its notes
    }
    const std::string root = raw_entry("40000", c[0].substr(0, 2), good_sub) + flat;
    for (size_t cut = 1; cut < root.size(); cut += 5) {
        CAPTURE(cut);
        set_notes_tree(r, literal_tree(r, root.substr(0, cut)));
        for (const auto& commit : c) {
            const std::string got = our_note(r, commit);
            CHECK((got == "(error)" || got == "(none)" || got == "a note\n"));
        }
    }
    // A whole root reads both; a damaged root makes every read an error (and NoteReader a gap).
    set_notes_tree(r, literal_tree(r, root));
    CHECK(our_note(r, c[0]) == "a note\n");
    CHECK(our_note(r, c[1]) == "a note\n");
    set_notes_tree(r, literal_tree(r, root + "100644 x"));
    CHECK(our_note(r, c[0]) == "(error)");
    {
        auto repo = git::Repo::open(r.path());
        REQUIRE(repo);
        CHECK(git::NoteReader(*repo).read(commit_id(*repo, c[1])).state ==
              git::NoteState::Unreadable);
    }
    // A fan-out directory that is a blob, and a note that is a tree: errors.
    set_notes_tree(r, literal_tree(r, raw_entry("40000", c[0].substr(0, 2), note) +
                                          raw_entry("100644", c[1], good_sub)));
    CHECK(our_note(r, c[0]) == "(error)");
    CHECK(our_note(r, c[1]) == "(error)");
    // The same directory named 300 times, each holding it again: a read is bounded (git would
    // join 300 x 300 copies), an error rather than a hang.
    std::string many_raw;
    for (int k = 0; k < 300; ++k)
        many_raw += raw_entry("40000", c[0].substr(2, 2), good_sub);
    const std::string many = literal_tree(r, many_raw);
    std::string root_raw;
    for (int k = 0; k < 300; ++k)
        root_raw += raw_entry("40000", c[0].substr(0, 2), many);
    set_notes_tree(r, literal_tree(r, root_raw));
    CHECK(our_note(r, c[0]) == "(error)");
}
