// Diffs a walk's commits ahead of it, on a thread of its own: reading trees and blobs and
// making patches is most of a cold walk's time and needs nothing of the walk's state, so on
// a machine with a second core the walk applies line fates while the next commits are being
// diffed (`git log` uses one core; this uses two for the same diffs).
#pragma once

#include "analysis/commit_diff.h"
#include "git/repository.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace provenant::analysis {

/// One commit to diff: its tree against its first parent's (none: a root commit).
struct DiffJob {
    git_oid commit{}, tree{}, parent_tree{};
    bool has_parent = false;
};

/// Diffs `jobs` in order on a producer thread with its own repository handle (libgit2 objects
/// are not shared between threads), at most kAhead commits ahead of the consumer: memory is
/// bounded, not grown with the history. The consumer is one thread (the walk's) calling
/// next() once per job, in order; the destructor stops the producer and joins it.
class DiffPipeline {
public:
    static constexpr size_t kAhead = 64;
    /// A side that must wait sleeps until the other is this many jobs on (the last jobs and an
    /// error excepted): one wake per batch rather than per commit.
    static constexpr size_t kBatch = 16;
    /// Opens a second handle on `repo` and starts the producer, which reads the packs through
    /// `packs` when given (a reader of the same repository's packs, PackReader::share); an
    /// Error when it cannot be opened (the walk then diffs on its own thread).
    static Result<std::unique_ptr<DiffPipeline>>
    start(const git::Repo& repo, std::vector<DiffJob> jobs,
          std::unique_ptr<git::PackReader> packs = nullptr);
    ~DiffPipeline();
    DiffPipeline(const DiffPipeline&) = delete;
    DiffPipeline& operator=(const DiffPipeline&) = delete;
    /// The diff of the next job, swapped into `out` (its old buffers go back for reuse), or
    /// the error diffing it met.
    Status next(CommitDiff& out);

private:
    DiffPipeline(git::Repository repo, std::vector<DiffJob> jobs);
    void run();

    struct Slot {
        CommitDiff diff;
        Status status;
    };
    git::Repository repo_;                   // the producer's own handle
    std::unique_ptr<git::PackReader> packs_; // handed to the producer's differ
    std::vector<DiffJob> jobs_;
    std::vector<Slot> slots_; // a ring of kAhead
    std::mutex mu_;
    std::condition_variable produced_cv_, consumed_cv_;
    size_t produced_ = 0, consumed_ = 0; // guarded by mu_
    // What a waiting side waits for (0: not waiting): the consumer for produced_ to reach
    // consumer_wants_, the producer for consumed_ to reach producer_wants_. Guarded by mu_.
    size_t consumer_wants_ = 0, producer_wants_ = 0;
    bool ended_ = false; // guarded by mu_: the producer stopped at an error
    bool stop_ = false;  // guarded by mu_
    std::thread thread_;
};

} // namespace provenant::analysis
