// git/notes_tree read through a PackReader: a notes ref written by `git fast-import` (each note
// a delta on the one before, in chains) reads as libgit2 alone reads it, with a cache too small
// to hold a chain (every version evicted as soon as it is resolved) and with a note's object
// damaged in the pack (an error either way, never another note's text).
#include "git/notes_tree.h"
#include "git/pack_reader.h"
#include "protocol/note.h"
#include "support/git_ids.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace provenant;
using provenant::test::oid_of;
using provenant::test::TempRepo;

namespace {

/// Each commit's note text as a NotesTree of a fresh repository handle reads it (through a
/// PackReader of `budget` bytes when `budget` is set), "(error)" or "(none)" otherwise.
std::vector<std::string> read_all(const TempRepo& r, const std::vector<std::string>& commits,
                                  std::optional<size_t> budget, size_t* deltas = nullptr) {
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    git::NotesTree notes(*repo, provenant::kNotesRef);
    std::unique_ptr<git::PackReader> packs;
    if (budget) {
        packs = git::PackReader::open(r.path() + "/.git", *budget);
        notes.use_packs(packs.get());
    }
    std::vector<std::string> out;
    for (const std::string& c : commits) {
        auto text = notes.read(oid_of(c));
        out.push_back(!text ? "(error)" : *text ? **text : "(none)");
    }
    if (deltas != nullptr && packs) *deltas = packs->deltas_applied();
    return out;
}

} // namespace

TEST_CASE("NotesTree through a PackReader: fast-import's delta chains read as libgit2 reads "
          "them, with a cache that evicts, and a damaged note is an error either way") {
    TempRepo r;
    std::vector<std::string> commits;
    for (int c = 0; c < 120; ++c) {
        r.write("f.txt", "version " + std::to_string(c) + "\n");
        commits.push_back(r.commit_all("c" + std::to_string(c)));
    }
    // Notes alike enough for fast-import to store each as a delta on the previous one.
    std::string stream = "commit refs/notes/provenant\n"
                         "committer T <t@example.com> 1767225600 +0000\ndata 5\nnotes\n";
    for (size_t c = 0; c + 10 < commits.size(); ++c) { // the last ten have none
        std::string note = "{\"schema\":\"provenant/1\",\"commit\":\"" + commits[c] + "\"";
        for (int k = 0; k < 12; ++k)
            note += ",\"field" + std::to_string(k) + "\":\"value " + std::to_string(c * k) + "\"";
        note += "}\n";
        stream +=
            "N inline " + commits[c] + "\ndata " + std::to_string(note.size()) + "\n" + note + "\n";
    }
    r.git({"fast-import", "--quiet"}, false, stream);

    const std::vector<std::string> plain = read_all(r, commits, std::nullopt);
    CHECK(plain[0].find(commits[0]) != std::string::npos);
    CHECK(plain.back() == "(none)");
    size_t deltas = 0;
    CHECK(read_all(r, commits, size_t{64} << 20, &deltas) == plain);
    CHECK(deltas > 50);                       // the notes came from the pack, resolved as deltas
    CHECK(read_all(r, commits, 64) == plain); // nothing fits: every version evicted

    // Damage the compressed bytes of a note in the middle of a chain (its header kept).
    std::filesystem::path pack;
    for (const auto& e : std::filesystem::directory_iterator(r.path() + "/.git/objects/pack"))
        if (e.path().extension() == ".pack") pack = e.path();
    REQUIRE(!pack.empty());
    std::string idx = pack.string();
    idx.replace(idx.size() - 5, 5, ".idx");
    const std::string victim =
        r.git({"notes", "--ref=refs/notes/provenant", "list", commits[60]}).out.substr(0, 40);
    std::istringstream listing(r.git({"verify-pack", "-v", idx}).out);
    uint64_t offset = 0, packed_size = 0;
    for (std::string line; std::getline(listing, line);) {
        std::istringstream f(line);
        std::string id, type;
        uint64_t size = 0;
        if (f >> id >> type >> size >> packed_size >> offset && id == victim) break;
        offset = 0;
    }
    REQUIRE(offset > 0);
    std::filesystem::permissions(pack, std::filesystem::perms::owner_write,
                                 std::filesystem::perm_options::add);
    {
        std::fstream io(pack, std::ios::binary | std::ios::in | std::ios::out);
        for (uint64_t k = packed_size / 2; k < packed_size; ++k) {
            io.seekg(std::streamoff(offset + k));
            const char b = char(io.get());
            io.seekp(std::streamoff(offset + k));
            io.put(char(b ^ 0x5a));
        }
    }
    const std::vector<std::string> damaged = read_all(r, commits, std::nullopt);
    CHECK(damaged[60] == "(error)");
    CHECK(damaged[0] == plain[0]);
    CHECK(read_all(r, commits, size_t{64} << 20) == damaged);
    CHECK(read_all(r, commits, 64) == damaged);
}
