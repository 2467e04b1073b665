// The journal thread: coalesced snapshot writes, merge with other writers, change polling.
#include "lsp/journal_worker.h"

#include "core/carry.h"
#include "support/fs.h"

#include <asio/post.hpp>
#include <future>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

namespace provenant::lsp {
namespace {

EntryStamp stamp_of(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return {};
    return EntryStamp{static_cast<uint64_t>(st.st_ino),
                      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                      static_cast<uint64_t>(st.st_size), true};
}

} // namespace

bool same_attribution(const Snapshot& a, const Snapshot& b) {
    if (a.text != b.text || a.runs.size() != b.runs.size()) return false;
    for (size_t i = 0; i < a.runs.size(); ++i) {
        const Run& x = a.runs[i];
        const Run& y = b.runs[i];
        if (x.length != y.length || x.attr.evidence != y.attr.evidence ||
            x.attr.fresh != y.attr.fresh || x.attr.seen != y.attr.seen ||
            !(a.origins.at(x.attr.origin) == b.origins.at(y.attr.origin)))
            return false;
    }
    return true;
}

JournalWorker::JournalWorker(Deliver deliver, Absorb absorb,
                             std::chrono::milliseconds poll_interval, BeforeWrite before_write)
    : deliver_(std::move(deliver)), absorb_(std::move(absorb)), poll_interval_(poll_interval),
      before_write_(std::move(before_write)), work_(io_.get_executor()), timer_(io_) {
    arm_timer();
    thread_ = std::thread([this] {
        // Each task catches its own errors; this is the last line against a lost exception.
        for (;;) {
            try {
                io_.run();
                return;
            } catch (const std::exception& e) {
                spdlog::error("journal worker: {}", e.what());
            }
        }
    });
}

JournalWorker::~JournalWorker() {
    stop();
}

void JournalWorker::stop() {
    if (stopped_) return;
    stopped_ = true;
    asio::post(io_, [this] {
        timer_.cancel();
        work_.reset();
    });
    if (thread_.joinable()) thread_.join();
}

Journal& JournalWorker::journal_for(const std::filesystem::path& gitdir) {
    auto& j = journals_[gitdir];
    if (!j) j = std::make_unique<Journal>(gitdir);
    return *j;
}

Result<std::optional<JournalEntry>> JournalWorker::load(const JournalTarget& target) {
    std::promise<Result<std::optional<JournalEntry>>> done;
    auto future = done.get_future();
    asio::post(io_, [this, &target, &done] {
        try {
            done.set_value(journal_for(target.gitdir).load(target.path));
        } catch (const std::exception& e) {
            done.set_value(make_error(e.what()));
        }
    });
    return future.get();
}

void JournalWorker::track(uint64_t doc_id, const JournalTarget& target) {
    asio::post(io_, [this, doc_id, target] {
        tracked_[doc_id] =
            Tracked{target, stamp_of(journal_for(target.gitdir).entry_file(target.path))};
    });
}

void JournalWorker::untrack(uint64_t doc_id) {
    asio::post(io_, [this, doc_id] { tracked_.erase(doc_id); });
}

void JournalWorker::save(uint64_t doc_id, const JournalTarget& target, Snapshot snapshot,
                         bool on_disk) {
    // The typing the file holds: typing observed later never reached it.
    std::optional<SavedTyping> saved;
    if (on_disk) saved = saved_typing(snapshot);
    bool queued;
    {
        std::lock_guard lock(mutex_);
        auto it = pending_.find(doc_id);
        queued = it != pending_.end(); // a task for this document is waiting: it takes the latest
        if (queued && !saved) saved = it->second.saved; // the last save still describes the file
        pending_.insert_or_assign(doc_id, PendingSave{target, std::move(snapshot), saved});
    }
    if (!queued) asio::post(io_, [this, doc_id] { do_save(doc_id); });
}

void JournalWorker::do_save(uint64_t doc_id) {
    std::optional<PendingSave> job;
    {
        std::lock_guard lock(mutex_);
        auto it = pending_.find(doc_id);
        if (it == pending_.end()) return;
        job.emplace(std::move(it->second));
        pending_.erase(it);
    }
    try {
        if (before_write_) before_write_(job->target.gitdir);
        Journal& journal = journal_for(job->target.gitdir);
        const Snapshot& ours = job->snapshot;
        auto stored = journal.update(job->target.path, [&](std::optional<JournalEntry> current) {
            JournalEntry e;
            e.path = job->target.path;
            e.writer = "lsp";
            e.saved = job->saved; // none: update() keeps the stored one
            // Keep what others recorded (agent hooks' explicit records) by merging by content.
            e.snapshot = current ? merge_evidence(ours, current->snapshot) : ours;
            return std::optional<JournalEntry>(std::move(e));
        });
        if (!stored.ok()) {
            spdlog::warn("journal: saving {}: {}", job->target.path, stored.error().message);
            return;
        }
        auto t = tracked_.find(doc_id);
        if (t != tracked_.end()) t->second.stamp = stamp_of(journal.entry_file(job->target.path));
        if (*stored && !same_attribution((*stored)->snapshot, ours)) {
            auto evidence = std::make_shared<const Snapshot>(std::move((*stored)->snapshot));
            deliver_([this, doc_id, evidence] { absorb_(doc_id, evidence); });
        }
    } catch (const std::exception& e) {
        spdlog::error("journal: saving {}: {}", job->target.path, e.what());
    }
}

void JournalWorker::poll_now() {
    asio::post(io_, [this] { do_poll(); });
}

void JournalWorker::do_poll() {
    for (auto& [doc_id, t] : tracked_) {
        try {
            Journal& journal = journal_for(t.target.gitdir);
            EntryStamp now = stamp_of(journal.entry_file(t.target.path));
            if (now == t.stamp) continue;
            t.stamp = now;
            if (!now.exists) continue;
            auto entry = journal.load(t.target.path);
            if (!entry.ok()) {
                spdlog::warn("journal: reading {}: {}", t.target.path, entry.error().message);
                continue;
            }
            if (!*entry) continue;
            spdlog::debug("journal: {} changed (writer {}); merging its evidence", t.target.path,
                          (*entry)->writer);
            auto evidence = std::make_shared<const Snapshot>(std::move((*entry)->snapshot));
            deliver_([this, id = doc_id, evidence] { absorb_(id, evidence); });
        } catch (const std::exception& e) {
            spdlog::error("journal: polling {}: {}", t.target.path, e.what());
        }
    }
}

void JournalWorker::barrier(std::function<void()> fn) {
    asio::post(io_, [fn = std::move(fn)] {
        try {
            fn();
        } catch (const std::exception& e) {
            spdlog::error("journal worker: barrier: {}", e.what());
        }
    });
}

// Worker thread (and the constructor, before the thread starts). `work_` is reset by the
// stop task on this thread, so `!work_` means stopping: a wait that expired while a long task
// ran has its completion queued already, cancel() cannot abort it, and re-arming from it kept
// io_.run() (and so stop()'s join and the process's exit) alive forever.
void JournalWorker::arm_timer() {
    if (poll_interval_.count() <= 0 || !work_) return;
    timer_.expires_after(poll_interval_);
    timer_.async_wait([this](const asio::error_code& ec) {
        if (ec || !work_) return;
        do_poll();
        arm_timer();
    });
}

} // namespace provenant::lsp
