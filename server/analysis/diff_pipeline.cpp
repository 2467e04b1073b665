// The producer diffs job k into slot k % kAhead once the consumer has taken job k - kAhead;
// the consumer takes slot k once the producer has filled it.
#include "analysis/diff_pipeline.h"

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
            consumed_cv_.wait(lock, [&] { return stop_ || k - consumed_ < kAhead; });
            if (stop_) return;
        }
        // Slot k % kAhead is the producer's until produced_ passes k: no lock while diffing.
        Slot& slot = slots_[k % kAhead];
        const DiffJob& job = jobs_[k];
        slot.status = differ.diff(job.has_parent ? &job.parent_tree : nullptr, job.tree,
                                  git::to_hex(job.commit), slot.diff);
        // Read before the slot is handed over: from ++produced_ on, the consumer moves from it.
        const bool failed = !slot.status;
        {
            std::lock_guard lock(mu_);
            ++produced_;
        }
        produced_cv_.notify_one();
        if (failed) return; // the consumer stops at this error
    }
}

Status DiffPipeline::next(CommitDiff& out) {
    const size_t k = consumed_;
    {
        std::unique_lock lock(mu_);
        produced_cv_.wait(lock, [&] { return produced_ > k; });
    }
    Slot& slot = slots_[k % kAhead];
    Status st = std::move(slot.status);
    std::swap(out, slot.diff);
    {
        std::lock_guard lock(mu_);
        ++consumed_;
    }
    consumed_cv_.notify_one();
    return st;
}

} // namespace provenant::analysis
