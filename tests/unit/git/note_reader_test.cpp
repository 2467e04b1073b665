// git/note_reader with the packs read directly (the walk's cold report): every commit's note
// reads as it does through libgit2 alone, packed or loose, a text cut at a NUL, a note that is
// not JSON, a commit with none.
#include "git/note_reader.h"
#include "git/pack_reader.h"
#include "support/git_ids.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace provenant;
using provenant::test::oid_of;
using provenant::test::TempRepo;

namespace {

/// A CommitNote in comparable terms.
std::string describe(const git::CommitNote& n) {
    std::string out = std::to_string(int(n.state)) + "|" + n.error + "|";
    if (n.note) out += serialize_note(*n.note);
    return out;
}

} // namespace

TEST_CASE("NoteReader: notes read through the packs are the notes libgit2 reads, packed or "
          "not, cut at a NUL, unreadable, absent") {
    TempRepo r;
    std::vector<std::string> commits;
    std::string text;
    for (int c = 0; c < 30; ++c) {
        text += "line " + std::to_string(c) + "\n";
        r.write("f.txt", text);
        commits.push_back(r.commit_all("c" + std::to_string(c)));
    }
    auto note_of = [&](int c, int lines) {
        const std::string blob = r.git({"rev-parse", commits[c] + ":f.txt"}).out.substr(0, 40);
        return R"({"schema":"provenant/1","commit":")" + commits[c] +
               R"(","files":{"f.txt":{"blob":")" + blob + R"(","lines":{"human":"1-)" +
               std::to_string(lines) + R"("}}},"origins":{}})";
    };
    auto add_note = [&](const std::string& commit, const std::string& body) {
        const std::string blob =
            r.git({"hash-object", "-w", "--stdin"}, false, body).out.substr(0, 40);
        r.git({"notes", "--ref=refs/notes/provenant", "add", "-f", "-C", blob, commit});
    };
    for (int c = 0; c < 25; ++c) // every fifth commit has none
        if (c % 5 != 4) add_note(commits[c], note_of(c, c + 1));
    add_note(commits[1], note_of(1, 2) + std::string("\0trailing bytes", 15)); // cut at the NUL
    add_note(commits[2], "not a note\n");
    r.git({"gc", "-q", "--aggressive"}); // the notes packed, as deltas of each other
    for (int c = 25; c < 30; ++c)        // and loose ones after the pack
        add_note(commits[c], note_of(c, c + 1));

    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    const git::NoteReader plain(*repo, true);
    git::NoteReader packed(*repo, true);
    auto packs = git::PackReader::open(r.path() + "/.git");
    REQUIRE(packs->packs() == 1);
    packed.use_packs(packs.get());
    size_t provenant = 0;
    for (const std::string& c : commits) {
        const git::CommitNote a = plain.read(oid_of(c)), b = packed.read(oid_of(c));
        CHECK(describe(a) == describe(b));
        provenant += a.state == git::NoteState::Provenant;
    }
    CHECK(provenant == 24); // 20 packed (one of them cut at its NUL), 5 loose, less "not a note"
    CHECK(plain.read(oid_of(commits[2])).state == git::NoteState::Unreadable);
    CHECK(packs->found() >= 20); // the packed notes came from the pack
}
