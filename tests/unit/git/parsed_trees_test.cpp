// Trees parsed once (git/path_diff.h, ParsedTrees): changed_entries gives the same entries with
// and without it, reuses a commit's new trees as the next commit's old ones, drops what was
// superseded, and stays within its budget.
#include "git/path_diff.h"
#include "git/repository.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace provenant;
using provenant::test::TempRepo;

namespace {

git_oid tree_of(const git::Repo& repo, const std::string& commit) {
    auto id = repo.resolve(commit);
    REQUIRE(id);
    auto c = repo.lookup_commit(*id);
    REQUIRE(c);
    return *git_commit_tree_id(c->get());
}

std::vector<std::string> shown(const std::vector<git::EntryChange>& changes) {
    std::vector<std::string> out;
    for (const auto& c : changes)
        out.push_back(c.path + " " + git::to_hex(c.old_id) + " " + git::to_hex(c.new_id) + " " +
                      std::to_string(c.old_mode) + " " + std::to_string(c.new_mode));
    return out;
}

} // namespace

TEST_CASE("ParsedTrees: the same changed entries, each tree version parsed once, within budget") {
    TempRepo tmp;
    std::vector<std::string> commits;
    for (int i = 0; i < 12; ++i) {
        for (int d = 0; d < 4; ++d) // one file per directory changes, one is added each time
            if ((i + d) % 3 == 0) tmp.write("d" + std::to_string(d) + "/f.txt", std::to_string(i));
        tmp.write("d" + std::to_string(i % 4) + "/n" + std::to_string(i) + ".txt", "new\n");
        if (i == 6) tmp.git({"rm", "-q", "d1/n1.txt"});
        commits.push_back(tmp.commit_all("c" + std::to_string(i)));
    }
    auto repo = git::Repo::open(tmp.path());
    REQUIRE(repo);
    git::Odb odb;
    REQUIRE(git_repository_odb(git::Setter(odb), repo->get()) == 0);
    git::ObjectCache plain_cache, cache, small_cache;
    git::ParsedTrees parsed, small(1); // small: keeps nothing
    for (size_t i = 0; i < commits.size(); ++i) {
        CAPTURE(i);
        const git_oid now = tree_of(*repo, commits[i]);
        const git_oid before = i > 0 ? tree_of(*repo, commits[i - 1]) : git_oid{};
        const git_oid* old = i > 0 ? &before : nullptr;
        if (i > 0) CHECK(parsed.find(before) != nullptr); // the last new side, kept
        std::vector<git::EntryChange> want, got, got_small;
        REQUIRE(git::changed_entries(odb.get(), plain_cache, old, &now, "", want));
        REQUIRE(git::changed_entries(odb.get(), cache, old, &now, "", got, &parsed));
        REQUIRE(git::changed_entries(odb.get(), small_cache, old, &now, "", got_small, &small));
        CHECK(!want.empty());
        CHECK(shown(got) == shown(want));
        CHECK(shown(got_small) == shown(want));
        CHECK(parsed.find(now) != nullptr);
        if (i > 0) CHECK(parsed.find(before) == nullptr); // superseded: dropped
        CHECK(small.size() == 0);
        // The root and at most one version of each of the 4 directories.
        CHECK(parsed.size() <= 5);
        CHECK(parsed.bytes() > 0);
    }
    // The object caches saw the same reads either way.
    CHECK(cache.reads() == plain_cache.reads());
    CHECK(cache.hits() == plain_cache.hits());
}
