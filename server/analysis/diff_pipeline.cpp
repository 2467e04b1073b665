// The producer diffs job k into slot k % kAhead once the consumer has taken job k - kAhead;
// the consumer takes slot k once the producer has filled it. A side that has to wait sleeps
// until the other has moved a batch (kBatch jobs) on, not one: the diff thread is the slower
// side of a cold walk, and a wake per commit was two futex calls and a context switch per
// commit for the walk thread (100,000 at 100,000 commits).
#include "analysis/diff_pipeline.h"

#include <algorithm>

namespace provenant::analysis {

Result<std::unique_ptr<DiffPipeline>> DiffPipeline::start(const git::Repo& repo,
                                                          std::vector<DiffJob> jobs,
                                                          std::unique_ptr<git::PackReader> packs) {
    // The work tree when there is one: the producer reads the same attribute files.
    const char* where = git_repository_workdir(repo.get());
    if (where == nullptr) where = git_repository_path(repo.get());
    git::Repository own;
    if (int rc = git_repository_open(git::Setter(own), where); rc != 0)
        return git::git_error(rc, "opening the repository for the diff thread");
    std::unique_ptr<DiffPipeline> p(new DiffPipeline(std::move(own), std::move(jobs)));
    p->packs_ = std::move(packs);
    p->thread_ = std::thread([raw = p.get()] { raw->run(); });
    return p;
}

DiffPipeline::DiffPipeline(git::Repository repo, std::vector<DiffJob> jobs)
    : repo_(std::move(repo)), jobs_(std::move(jobs)), slots_(kAhead) {}

DiffPipeline::~DiffPipeline() {
    {
        std::lock_guard lock(mu_);
        stop_ = true;
    }
    consumed_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void DiffPipeline::run() {
    CommitDiffer differ(repo_.get());
    if (packs_) differ.use_packs(std::move(packs_));
    for (size_t k = 0; k < jobs_.size(); ++k) {
        {
            std::unique_lock lock(mu_);
            if (k - consumed_ >= kAhead) { // the ring is full: wait for a batch of free slots
                producer_wants_ = k + kBatch - kAhead;
                consumed_cv_.wait(lock, [&] { return stop_ || consumed_ >= producer_wants_; });
                producer_wants_ = 0;
            }
            if (stop_) return;
        }
        // Slot k % kAhead is the producer's until produced_ passes k: no lock while diffing.
        Slot& slot = slots_[k % kAhead];
        const DiffJob& job = jobs_[k];
        slot.status = differ.diff(job.has_parent ? &job.parent_tree : nullptr, job.tree,
                                  git::to_hex(job.commit), slot.diff);
        // Read before the slot is handed over: from ++produced_ on, the consumer moves from it.
        const bool failed = !slot.status;
        bool wake = false;
        {
            std::lock_guard lock(mu_);
            ++produced_;
            if (failed) ended_ = true;
            // The consumer asked for produced_ to reach consumer_wants_; the last job and an
            // error (after which nothing more comes) wake it whatever it asked for.
            wake = consumer_wants_ != 0 &&
                   (produced_ >= consumer_wants_ || failed || produced_ == jobs_.size());
        }
        if (wake) produced_cv_.notify_one();
        if (failed) return; // the consumer stops at this error
    }
}

Status DiffPipeline::next(CommitDiff& out) {
    const size_t k = consumed_;
    {
        std::unique_lock lock(mu_);
        if (produced_ <= k) { // nothing ready: sleep until a batch is (or the last jobs are)
            consumer_wants_ = std::min(k + kBatch, jobs_.size());
            produced_cv_.wait(
                lock, [&] { return produced_ >= consumer_wants_ || (ended_ && produced_ > k); });
            consumer_wants_ = 0;
        }
    }
    Slot& slot = slots_[k % kAhead];
    Status st = std::move(slot.status);
    std::swap(out, slot.diff);
    bool wake = false;
    {
        std::lock_guard lock(mu_);
        ++consumed_;
        wake = producer_wants_ != 0 && consumed_ >= producer_wants_;
    }
    if (wake) consumed_cv_.notify_one();
    return st;
}

} // namespace provenant::analysis
