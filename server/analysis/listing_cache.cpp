// A repository handle of its own for listing a walk's commits (see listing_cache.h).
#include "analysis/listing_cache.h"

namespace provenant::analysis {

ListingCache::ListingCache(const git::Repo& repo) : fallback_(repo.get()) {
    const char* path = git_repository_path(repo.get());
    if (path == nullptr || git_repository_open_ext(git::Setter(own_), path,
                                                   GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) != 0) {
        own_.reset(); // read through the walk's handle: twice, as before
        return;
    }
    ssize_t used = 0;
    git_libgit2_opts(GIT_OPT_GET_CACHED_MEMORY, &used, &max_before_);
    git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, static_cast<ssize_t>(kBudget));
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, kMaxCommit);
    keeping_ = true;
}

void ListingCache::stop_keeping() {
    if (!keeping_) return;
    git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, size_t{0});
    keeping_ = false;
}

ListingCache::~ListingCache() {
    stop_keeping();
    if (!own_) return;
    own_.reset(); // its cache with it
    git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, max_before_);
}

} // namespace provenant::analysis
