// The listing's own repository handle (analysis/listing_cache.h): the revwalk's commits are
// kept for the rows read after it, and go with the handle; the process's settings come back.
#include "analysis/listing_cache.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <string>
#include <utility>
#include <vector>

using namespace provenant;
using provenant::test::TempRepo;

namespace {

/// libgit2's object cache, process-wide: bytes used and the budget.
std::pair<ssize_t, ssize_t> cached() {
    ssize_t used = 0, allowed = 0;
    git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &used, &allowed);
    return {used, allowed};
}

std::vector<git_oid> walk(git_repository* repo, const git_oid& tip) {
    git::Revwalk walk;
    REQUIRE(git_revwalk_new(git::Setter(walk), repo) == 0);
    git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
    REQUIRE(git_revwalk_push(walk.get(), &tip) == 0);
    std::vector<git_oid> ids;
    git_oid id;
    while (git_revwalk_next(&id, walk.get()) == 0)
        ids.push_back(id);
    return ids;
}

} // namespace

TEST_CASE("ListingCache keeps the revwalk's commits for the rows, and frees them with itself") {
    TempRepo tmp;
    for (int i = 0; i < 30; ++i) {
        tmp.write("f.txt", "version " + std::to_string(i) + "\n");
        tmp.commit_all("commit " + std::to_string(i));
    }
    auto repo = git::Repo::open(tmp.path());
    REQUIRE(repo);
    auto head = repo->resolve("HEAD");
    REQUIRE(head);
    // The walk's setting (walk.cpp): no commits kept.
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, size_t{0});
    const auto before = cached();
    std::vector<git_oid> ids;
    {
        analysis::ListingCache listing(*repo);
        CHECK(listing.get() != repo->get()); // a handle of its own
        CHECK(cached().second == ssize_t(analysis::ListingCache::kBudget));
        ids = walk(listing.get(), *head);
        REQUIRE(ids.size() == 30);
        const auto walked = cached();
        // Every commit the revwalk read is kept: 30 commits of well over 100 bytes each.
        CHECK(walked.first - before.first > 30 * 100);
        listing.stop_keeping();
        for (const git_oid& id : ids) { // the rows' reads: found, parsed, not kept again
            git::Commit c;
            REQUIRE(git_commit_lookup(git::Setter(c), listing.get(), &id) == 0);
        }
        CHECK(cached().first == walked.first);
        // Stopped: a commit read now through the walk's own handle is not kept.
        git::Commit c;
        REQUIRE(git_commit_lookup(git::Setter(c), repo->get(), &ids.front()) == 0);
        CHECK(cached().first == walked.first);
    }
    // Gone with the handle; the budget as it was; the walk's own handle keeps no commits.
    CHECK(cached() == before);
    git::Commit c;
    REQUIRE(git_commit_lookup(git::Setter(c), repo->get(), &ids.back()) == 0);
    CHECK(cached() == before);
    // The same commits in the same order as a walk of the walk's own handle.
    CHECK(walk(repo->get(), *head).size() == ids.size());
    const auto again = walk(repo->get(), *head);
    for (size_t k = 0; k < ids.size(); ++k)
        CHECK(git_oid_equal(&again[k], &ids[k]));
}
