// Repo: added lines per commit (root, renames, binary, deletions) and line maps.
#include "git/note_store.h"
#include "git/repository.h"
#include "support/temp_repo.h"

#include <algorithm>
#include <doctest/doctest.h>
#include <random>

using namespace provenant;
using provenant::test::TempRepo;

namespace {
std::string numbered(int from, int to) {
    std::string s;
    for (int i = from; i <= to; ++i)
        s += "line " + std::to_string(i) + "\n";
    return s;
}
const git::FileDiff* find(const std::vector<git::FileDiff>& v, const std::string& path) {
    for (const auto& f : v)
        if (f.path == path) return &f;
    return nullptr;
}
} // namespace

TEST_CASE("map_unchanged_lines maps kept lines and drops changed ones") {
    auto m = git::map_unchanged_lines("a\nb\nc\nd\n", "a\nX\nc\nd\ne\n");
    REQUIRE(m.ok());
    CHECK(*m == std::vector<uint32_t>{0, 1, 0, 3, 4});
    m = git::map_unchanged_lines("a\nb\n", "new\na\nb\n");
    REQUIRE(m.ok());
    CHECK(*m == std::vector<uint32_t>{0, 2, 3});
    m = git::map_unchanged_lines("a\nb\nc\n", "a\nc\n");
    REQUIRE(m.ok());
    CHECK(*m == std::vector<uint32_t>{0, 1, 0, 2});
    m = git::map_unchanged_lines("", "x\n");
    REQUIRE(m.ok());
    CHECK(*m == std::vector<uint32_t>{0});
    m = git::map_unchanged_lines("x\ny", "x\ny");
    REQUIRE(m.ok());
    CHECK(*m == std::vector<uint32_t>{0, 1, 2});
    CHECK(git::count_lines("") == 0);
    CHECK(git::count_lines("a") == 1);
    CHECK(git::count_lines("a\n") == 1);
    CHECK(git::count_lines("a\nb") == 2);
}

TEST_CASE("added_lines: root, modify, rename, binary, delete") {
    TempRepo repo;
    repo.write("a.txt", numbered(1, 10));
    repo.write("bin.dat", std::string("\0\1\2\3", 4));
    std::string root = repo.commit_all("root");

    auto r = git::Repo::open(repo.path());
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    auto root_id = r->resolve(root);
    REQUIRE(root_id.ok());
    auto changes = r->added_lines(*root_id);
    REQUIRE_MESSAGE(changes.ok(), changes.error().message);
    REQUIRE(changes->size() == 2);
    const auto* a = find(*changes, "a.txt");
    REQUIRE(a);
    CHECK(a->status == git::FileDiff::Status::Added);
    CHECK(a->added.size() == 10);
    CHECK(a->line_count == 10);
    const auto* bin = find(*changes, "bin.dat");
    REQUIRE(bin);
    CHECK(bin->skipped == "binary");
    CHECK(bin->added.empty());

    // Modify lines 3 and 11, rename with changes, delete the binary.
    std::string text = numbered(1, 10);
    text.replace(text.find("line 3\n"), 7, "LINE three\n");
    text += "line 11\n";
    repo.write("a.txt", text);
    repo.git({"mv", "a.txt", "b.txt"});
    repo.git({"rm", "-q", "bin.dat"});
    std::string second = repo.commit_all("second");
    auto id2 = r->resolve("HEAD");
    REQUIRE(id2.ok());
    CHECK(git::to_hex(*id2) == second);
    changes = r->added_lines(*id2);
    REQUIRE(changes.ok());
    REQUIRE(changes->size() == 1);
    const auto& b = changes->front();
    CHECK(b.path == "b.txt");
    CHECK(b.old_path == "a.txt");
    CHECK(b.status == git::FileDiff::Status::Renamed);
    CHECK(b.added == std::vector<uint32_t>{3, 11});

    auto parent = r->first_parent(*id2);
    REQUIRE(parent.ok());
    CHECK(git::to_hex(**parent) == root);
    auto none = r->first_parent(*root_id);
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
    auto t = r->text_at(*id2, "b.txt");
    REQUIRE(t.ok());
    CHECK(**t == text);
    auto missing = r->text_at(*id2, "a.txt");
    REQUIRE(missing.ok());
    CHECK_FALSE(missing->has_value());
}

TEST_CASE("Repo::open reports outside a repository and bare repositories") {
    provenant::test::TempDir dir;
    auto r = git::Repo::open(dir.path());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("not in a git repository") != std::string::npos);
    TempRepo bare(true);
    r = git::Repo::open(bare.path());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("bare repository") != std::string::npos);
    CHECK(git::Repo::open(bare.path(), true).ok());
}

TEST_CASE("NoteStore writes, reads, lists and removes notes without a git identity") {
    TempRepo repo;
    repo.write("a.txt", "x\n");
    std::string head = repo.commit_all("one");
    auto r = git::Repo::open(repo.path());
    REQUIRE(r.ok());
    auto id = r->resolve("HEAD");
    REQUIRE(id.ok());
    git::NoteStore store(*r);
    auto none = store.read(*id);
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());

    Note n;
    n.commit = head;
    NoteFile f;
    f.blob = "fedcba9876543210fedcba9876543210fedcba98";
    f.unknown = {1};
    n.files["a.txt"] = f;
    auto st = store.write(*id, n);
    REQUIRE_MESSAGE(st.ok(), st.error().message);
    auto back = store.read(*id);
    REQUIRE(back.ok());
    REQUIRE(back->has_value());
    CHECK(**back == n);
    auto shown = repo.git({"notes", "--ref=provenant", "show", "HEAD"});
    CHECK(shown.out.find("\"schema\":\"provenant/1\"") != std::string::npos);
    auto list = store.list();
    REQUIRE(list.ok());
    REQUIRE(list->size() == 1);
    CHECK(git::to_hex(list->front().commit) == head);

    st = store.write_raw(*id, "not json");
    REQUIRE(st.ok());
    auto bad = store.read(*id);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("not valid JSON") != std::string::npos);

    auto removed = store.remove(*id);
    REQUIRE(removed.ok());
    CHECK(*removed);
    removed = store.remove(*id);
    REQUIRE(removed.ok());
    CHECK_FALSE(*removed);
}

TEST_CASE("count_lines counts as git does at every length and alignment, long texts included") {
    CHECK(git::count_lines("") == 0);
    CHECK(git::count_lines("a") == 1);
    CHECK(git::count_lines("\n") == 1);
    CHECK(git::count_lines("a\nb") == 2);
    std::mt19937 rng(5);
    // Bytes near '\n' (0x0a) and with the high bit set, where a word-at-a-time count could
    // carry into a neighbour; lengths past 255 words, where the per-byte counts are folded.
    const char bytes[] = {'\n', '\n', 'a', '\x0b', '\x09', '\x8a', '\xff', '\0', '\x7f'};
    for (int round = 0; round < 300; ++round) {
        std::string s(rng() % (round < 200 ? 64 : 9000), 'x');
        for (auto& c : s)
            c = bytes[rng() % sizeof bytes];
        const size_t from = s.empty() ? 0 : rng() % std::min<size_t>(s.size(), 9);
        const std::string_view v = std::string_view(s).substr(from);
        const auto newlines = uint32_t(std::count(v.begin(), v.end(), '\n'));
        const uint32_t want = v.empty() ? 0 : v.back() == '\n' ? newlines : newlines + 1;
        CAPTURE(round);
        CHECK(git::count_lines(v) == want);
    }
    CHECK(git::count_lines(std::string(100000, '\n')) == 100000);
}

TEST_CASE("libgit2's return codes give the error's kind: a missing ref is not_found") {
    TempRepo repo;
    repo.write("a.txt", "a\n");
    repo.commit_all("initial");
    auto r = git::Repo::open(repo.path());
    REQUIRE(r.ok());
    auto missing = r->resolve("refs/heads/no-such-branch");
    REQUIRE(!missing.ok());
    CHECK(missing.error().kind == ErrorKind::not_found);
    auto malformed = r->resolve("HEAD@{");
    REQUIRE(!malformed.ok());
    CHECK(malformed.error().kind == ErrorKind::invalid_input);
    CHECK(r->resolve("HEAD").ok());
    // The mapping itself, for the codes the call sites above do not reach.
    CHECK(git::git_error_kind(GIT_ELOCKED) == ErrorKind::conflict);
    CHECK(git::git_error_kind(GIT_EMODIFIED) == ErrorKind::conflict);
    CHECK(git::git_error_kind(GIT_EEXISTS) == ErrorKind::conflict);
    CHECK(git::git_error_kind(GIT_EINVALIDSPEC) == ErrorKind::invalid_input);
    CHECK(git::git_error_kind(GIT_ERROR) == ErrorKind::io);
}
