// A repository handle of its own for listing a walk's commits, whose object cache keeps the
// commits libgit2's revwalk reads for the rows read right after.
#pragma once

#include "git/repository.h"

#include <cstddef>

namespace provenant::analysis {

/// A second handle of `repo`'s repository, for one listing: libgit2's revwalk reads (inflates)
/// every commit to order them, and the walk then reads every commit again for its row, a
/// tenth of a cold walk's instructions. Through this handle the revwalk's raw commits stay in
/// the handle's object cache, so the rows parse them from there; they are freed with the
/// handle. Order: walk with get(), then stop_keeping(), then read the rows with get() (a
/// commit parsed then is not kept a second time), then let it go.
///
/// libgit2's cache settings are process-wide: from construction to stop_keeping() the
/// process keeps raw commits of up to kMaxCommit bytes, within kBudget bytes of cache (older
/// entries evicted past it, the cache's own rule), and afterwards keeps none, as the walk
/// sets it (walk.cpp). get() is `repo`'s own handle when a second one cannot be opened, and
/// then nothing is kept. One thread.
class ListingCache {
public:
    static constexpr size_t kMaxCommit = size_t{64} << 10;
    static constexpr size_t kBudget = size_t{64} << 20;

    explicit ListingCache(const git::Repo& repo);
    ~ListingCache();
    ListingCache(const ListingCache&) = delete;
    ListingCache& operator=(const ListingCache&) = delete;

    git_repository* get() const { return own_ ? own_.get() : fallback_; }
    /// No more commits kept (those kept stay until the handle goes).
    void stop_keeping();

private:
    git::Repository own_;
    git_repository* fallback_;
    bool keeping_ = false;
    ssize_t max_before_ = 0; // the process's cache budget before, restored after
};

} // namespace provenant::analysis
