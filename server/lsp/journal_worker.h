// The LSP server's journal thread: writes document snapshots to repository journals and
// watches them for evidence written by other processes, off the reading and editing threads.
#pragma once

#include "core/provenance.h"
#include "core/restore.h"
#include "journal/journal.h"
#include "support/result.h"

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

namespace provenant::lsp {

/// Where one document's pending provenance lives.
struct JournalTarget {
    std::filesystem::path gitdir;
    std::string path; ///< repository-relative
};

/// A cheap identity of an entry file's current version (changes on every atomic replace).
struct EntryStamp {
    uint64_t inode = 0;
    int64_t mtime_ns = 0;
    uint64_t size = 0;
    bool exists = false;
    bool operator==(const EntryStamp&) const = default;
};

/// Owns one thread running its own io_context. Every public method may be called from any
/// thread; they queue tasks that run in order on the worker thread, so a save queued before
/// a load is visible to that load. Results that concern a document go back through `deliver`,
/// which the server binds to a post onto its core thread: the worker never touches a
/// Document. Journal errors are logged, never thrown.
class JournalWorker {
public:
    /// Runs `fn` on the core thread (asio::post onto the core context).
    using Deliver = std::function<void(std::function<void()>)>;
    /// Evidence for document `doc_id` found in its journal entry (stronger than, or written
    /// after, what this process last stored). Invoked on the core thread.
    using Absorb = std::function<void(uint64_t doc_id, std::shared_ptr<const Snapshot>)>;

    /// Runs on the worker thread before each journal write (see ServerOptions).
    using BeforeWrite = std::function<void(const std::filesystem::path& gitdir)>;

    JournalWorker(Deliver deliver, Absorb absorb, std::chrono::milliseconds poll_interval,
                  BeforeWrite before_write = {});
    ~JournalWorker(); ///< stop()
    JournalWorker(const JournalWorker&) = delete;
    JournalWorker& operator=(const JournalWorker&) = delete;

    /// Loads `target`'s entry after every task queued before, blocking the caller. Used on
    /// didOpen to restore a document; never call it from the worker thread.
    Result<std::optional<JournalEntry>> load(const JournalTarget& target);

    /// Starts / stops watching `target` for writes by other processes on behalf of `doc_id`.
    void track(uint64_t doc_id, const JournalTarget& target);
    void untrack(uint64_t doc_id);

    /// Merges `snapshot` into `target`'s entry (Journal::update + merge_evidence, so stronger
    /// evidence already there survives). When the merge brought evidence the document lacks,
    /// it is delivered back through Absorb. Saves queued for the same document coalesce: only
    /// the latest snapshot is written. `on_disk`: the file holds this text (the editor saved
    /// it): the entry's `saved` describes its typing (core/restore.h), also when a later
    /// snapshot coalesces with it.
    void save(uint64_t doc_id, const JournalTarget& target, Snapshot snapshot,
              bool on_disk = false);

    /// Checks every tracked entry now (the timer does it every poll interval).
    void poll_now();

    /// Runs `fn` on the worker thread after every task queued before it.
    void barrier(std::function<void()> fn);

    /// Finishes every queued task and joins the thread. Idempotent; not from the worker.
    void stop();

private:
    struct Tracked {
        JournalTarget target;
        EntryStamp stamp; ///< of the entry as this process last wrote or read it
    };
    Journal& journal_for(const std::filesystem::path& gitdir);
    void do_save(uint64_t doc_id);
    void do_poll();
    void arm_timer();

    Deliver deliver_;
    Absorb absorb_;
    std::chrono::milliseconds poll_interval_;
    BeforeWrite before_write_;

    asio::io_context io_;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
    asio::steady_timer timer_;
    std::thread thread_;
    bool stopped_ = false; ///< touched by the thread calling stop() only

    // Worker-thread state.
    std::map<std::filesystem::path, std::unique_ptr<Journal>> journals_;
    std::unordered_map<uint64_t, Tracked> tracked_;

    // Saves waiting for the worker: the latest snapshot per document (guarded by mutex_).
    struct PendingSave {
        JournalTarget target;
        Snapshot snapshot;
        std::optional<SavedTyping> saved; ///< JournalEntry::saved to store (none: keep it)
    };
    std::mutex mutex_;
    std::unordered_map<uint64_t, PendingSave> pending_;
};

/// Whether two snapshots attribute the same text identically (origins compared by record).
bool same_attribution(const Snapshot& a, const Snapshot& b);

} // namespace provenant::lsp
