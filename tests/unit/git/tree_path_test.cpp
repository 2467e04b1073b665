// git/tree_path: blob_at_path finds the blob git finds (`git rev-parse <tree>:<path>`), and
// nothing where git finds no blob; a malformed tree is an error, never read past its end.
#include "git/raii.h"
#include "git/repository.h"
#include "git/tree_path.h"
#include "support/git_ids.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <string>
#include <unistd.h>
#include <vector>

using namespace provenant;
using provenant::test::oid_of;
using provenant::test::TempRepo;
using provenant::test::trimmed;

namespace {

/// What blob_at_path says for `path` in the tree `tree_hex`: a blob's hex id, "" for none, or
/// "error".
std::string lookup(const git::Repo& repo, const std::string& tree_hex, const std::string& path) {
    git::Odb odb;
    REQUIRE(git_repository_odb(git::Setter(odb), repo.get()) == 0);
    auto found = git::blob_at_path(odb.get(), oid_of(tree_hex), path);
    if (!found) return "error";
    return *found ? git::to_hex(**found) : std::string();
}

} // namespace

TEST_CASE("blob_at_path: the blob git names for a path, nested, not UTF-8, a symlink") {
    TempRepo r;
    const std::string latin1 = "caf\xe9.txt"; // é in Latin-1: not UTF-8
    r.write("a.txt", "a\n");
    r.write("dir.txt", "next to dir, sorted after it by git\n");
    r.write("dir-x", "before dir/ in git's order\n");
    r.write("dir/sub/b.txt", "b\n");
    r.write("dir/" + latin1, "latin-1 name\n");
    REQUIRE(symlink("a.txt", r.file("link").c_str()) == 0);
    r.commit_all("tree");
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    const std::string tree = trimmed(r.git({"rev-parse", "HEAD^{tree}"}).out);
    for (const std::string& path : std::vector<std::string>{
             "a.txt", "dir.txt", "dir-x", "dir/sub/b.txt", "dir/" + latin1, "link"}) {
        CAPTURE(path);
        const std::string want = trimmed(r.git({"rev-parse", "HEAD:" + path}).out);
        REQUIRE(want.size() == 40);
        CHECK(lookup(*repo, tree, path) == want);
    }
}

TEST_CASE("blob_at_path: a missing path, a tree, a submodule and malformed paths find nothing") {
    TempRepo r;
    r.write("a.txt", "a\n");
    r.write("dir/b.txt", "b\n");
    r.commit_all("tree");
    // A submodule entry (mode 160000) points at a commit, not a blob.
    r.git({"update-index", "--add", "--cacheinfo", "160000," + r.head() + ",mod"});
    r.git({"commit", "-q", "-m", "submodule"});
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    const std::string tree = trimmed(r.git({"rev-parse", "HEAD^{tree}"}).out);
    for (const std::string path :
         {"missing.txt", "dir/missing.txt", "nodir/b.txt", "dir", "mod", "a.txt/x", "", "/a.txt",
          "dir//b.txt", "dir/", "a", "a.txt\xff"}) {
        CAPTURE(path);
        CHECK(lookup(*repo, tree, path).empty());
    }
    CHECK(lookup(*repo, tree, "dir/b.txt") == trimmed(r.git({"rev-parse", "HEAD:dir/b.txt"}).out));
}

TEST_CASE("blob_at_path: a malformed or truncated tree object is an error") {
    TempRepo r;
    r.write("a.txt", "a\n");
    r.commit_all("one");
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    const std::string blob = trimmed(r.git({"rev-parse", "HEAD:a.txt"}).out);
    // A whole entry, then one cut short in its id; a mode that is not octal; no NUL at all.
    std::string good = "100644 a.txt";
    good.push_back('\0');
    const git_oid id = oid_of(blob);
    good.append(reinterpret_cast<const char*>(id.id), GIT_OID_RAWSZ);
    std::string short_id = good + "100644 b.txt";
    short_id.push_back('\0');
    short_id.append("0123456789");
    for (const std::string& raw :
         {short_id, std::string("10x644 b.txt") + '\0' + good, std::string("100644 b.txt")}) {
        const std::string tree = trimmed(
            r.git({"hash-object", "-t", "tree", "--literally", "-w", "--stdin"}, false, raw).out);
        REQUIRE(tree.size() == 40);
        CHECK(lookup(*repo, tree, "b.txt") == "error");
    }
    // The entry before the damage is still found (the scan stops at the entry, as git's does).
    const std::string tree = trimmed(
        r.git({"hash-object", "-t", "tree", "--literally", "-w", "--stdin"}, false, short_id).out);
    CHECK(lookup(*repo, tree, "a.txt") == blob);
    // An id that is not a tree.
    CHECK(lookup(*repo, blob, "a.txt") == "error");
}
