// git/object_cache and changed_entries over raw trees: the entries that differ between two
// trees are the ones `git diff-tree -r` lists, in its order, whatever the names and modes; the
// cache stays within its budget and an object it handed out stays valid after it is dropped.
#include "git/object_cache.h"
#include "git/path_diff.h"
#include "git/repository.h"
#include "support/git_ids.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace provenant;
using provenant::test::oid_of;
using provenant::test::TempRepo;
using provenant::test::trimmed;

namespace {

/// One changed entry as text: "<old mode> <new mode> <old id> <new id> <path>", modes in
/// octal (0 and the zero id for a missing side), as `git diff-tree -r --raw` prints them.
std::string line_of(uint32_t old_mode, uint32_t new_mode, const std::string& old_id,
                    const std::string& new_id, const std::string& path) {
    char modes[32];
    std::snprintf(modes, sizeof modes, "%06o %06o ", old_mode, new_mode);
    return modes + old_id + " " + new_id + " " + path;
}

/// `git diff-tree -r -z --raw --no-renames` of two trees, one line_of per entry.
std::vector<std::string> git_changes(const TempRepo& r, const std::string& a,
                                     const std::string& b) {
    const std::string out =
        r.git({"diff-tree", "-r", "-z", "--raw", "--no-renames", "--no-abbrev", a, b}).out;
    std::vector<std::string> fields;
    size_t at = 0;
    while (at < out.size()) {
        const size_t nul = out.find('\0', at);
        fields.push_back(out.substr(at, nul - at));
        at = nul + 1;
    }
    std::vector<std::string> lines;
    for (size_t k = 0; k + 1 < fields.size(); k += 2) {
        // ":<old mode> <new mode> <old id> <new id> <status>"
        const std::string& m = fields[k];
        const uint32_t om = uint32_t(std::stoul(m.substr(1, 6), nullptr, 8));
        const uint32_t nm = uint32_t(std::stoul(m.substr(8, 6), nullptr, 8));
        lines.push_back(line_of(om, nm, m.substr(15, 40), m.substr(56, 40), fields[k + 1]));
    }
    return lines;
}

std::vector<std::string> our_changes(const git::Repo& repo, git::ObjectCache& cache,
                                     const std::string& a, const std::string& b) {
    git::Odb odb;
    REQUIRE(git_repository_odb(git::Setter(odb), repo.get()) == 0);
    std::vector<git::EntryChange> changes;
    const git_oid ia = oid_of(a), ib = oid_of(b);
    REQUIRE(git::changed_entries(odb.get(), cache, &ia, &ib, "", changes));
    std::vector<std::string> lines;
    for (const auto& c : changes)
        lines.push_back(
            line_of(c.old_mode, c.new_mode, git::to_hex(c.old_id), git::to_hex(c.new_id), c.path));
    return lines;
}

} // namespace

TEST_CASE("changed_entries: the entries git diff-tree lists, in its order: a file that becomes "
          "a directory, names that sort around a directory's, modes, a link, a submodule, a "
          "name that is not UTF-8") {
    TempRepo r;
    r.write("a", "a file\n");
    r.write("a.txt", "dot\n");
    r.write("a-b", "dash\n");
    r.write("b/x", "x\n");
    r.write("b/same/y", "unchanged subtree\n");
    r.write("run.sh", "echo\n");
    r.write("link", "a link target\n");
    r.write("n\xe9.txt", "latin-1 name\n");
    r.commit_all("one");
    const std::string t1 = trimmed(r.git({"rev-parse", "HEAD^{tree}"}).out);
    r.git({"rm", "-q", "a", "link"});
    r.write("a/inside", "now a directory\n");
    r.write("a.txt", "dot, changed\n");
    r.write("b/x", "x, changed\n");
    r.write("b/new", "added in b\n");
    r.git({"update-index", "--add", "--chmod=+x", "run.sh"});
    r.git({"update-index", "--add", "--cacheinfo",
           "120000," + trimmed(r.git({"hash-object", "-w", "--stdin"}, false, "target").out) +
               ",link"});
    r.git({"update-index", "--add", "--cacheinfo",
           "160000,0123456789abcdef0123456789abcdef01234567,sub"});
    r.write("n\xe9.txt", "latin-1 name, changed\n");
    r.git({"add", "-A", "a", "a.txt", "b", "n\xe9.txt"});
    r.git({"commit", "-q", "-m", "two"});
    const std::string t2 = trimmed(r.git({"rev-parse", "HEAD^{tree}"}).out);
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    git::ObjectCache cache;
    const auto want = git_changes(r, t1, t2);
    CHECK(want.size() >= 9);
    CHECK(our_changes(*repo, cache, t1, t2) == want);
    // The old side's trees that differ were dropped (superseded), the new side's kept: going
    // back reads t1's root again and finds t2's.
    const size_t reads = cache.reads();
    CHECK(cache.hits() == 0);
    CHECK(our_changes(*repo, cache, t2, t1) == git_changes(r, t2, t1));
    CHECK(cache.hits() > 0);
    CHECK(cache.reads() > reads);
}

TEST_CASE("ObjectCache: within its budget, the least recently used dropped; a held object stays "
          "valid; an object of another type is an error") {
    TempRepo r;
    std::vector<std::string> blobs;
    for (int k = 0; k < 4; ++k) {
        const std::string text(1000, char('a' + k));
        blobs.push_back(trimmed(r.git({"hash-object", "-w", "--stdin"}, false, text).out));
    }
    r.write("f", "f\n");
    r.commit_all("one");
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    git::Odb odb;
    REQUIRE(git_repository_odb(git::Setter(odb), repo->get()) == 0);
    git::ObjectCache cache(2500); // two of the 1000-byte blobs
    auto first = cache.get(odb.get(), oid_of(blobs[0]), GIT_OBJECT_BLOB);
    REQUIRE(first);
    for (int k = 1; k < 4; ++k)
        REQUIRE(cache.get(odb.get(), oid_of(blobs[size_t(k)]), GIT_OBJECT_BLOB));
    CHECK(cache.bytes() == 2000);
    CHECK(cache.reads() == 4);
    // blobs[0] was dropped, and is still readable through the handle kept.
    CHECK(git::data_of(*first) == std::string(1000, 'a'));
    REQUIRE(cache.get(odb.get(), oid_of(blobs[3]), GIT_OBJECT_BLOB));
    CHECK(cache.hits() == 1);
    REQUIRE(cache.get(odb.get(), oid_of(blobs[0]), GIT_OBJECT_BLOB));
    CHECK(cache.reads() == 5);
    // A blob asked for as a tree.
    auto wrong = cache.get(odb.get(), oid_of(blobs[3]), GIT_OBJECT_TREE);
    CHECK_FALSE(wrong);
    // A missing object.
    CHECK_FALSE(cache.get(odb.get(), oid_of(std::string(40, '1')), GIT_OBJECT_BLOB));
}
