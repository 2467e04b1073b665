// The LSP server's journal thread: runs the session's journal work (session::JournalSync) on
// its own thread, off the reading and editing threads, and polls on a timer.
#pragma once

#include "session/journal_sync.h"

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace provenant::lsp {

using session::EntryStamp;
using session::JournalTarget;

/// Owns one thread running its own io_context, on which a session::JournalSync does its work.
/// Every public method may be called from any thread; they queue tasks that run in order on
/// the worker thread. Results that concern a document go back through `deliver`, which the
/// server binds to a post onto its core thread: the worker never touches a Document.
class JournalWorker {
public:
    /// Runs `fn` on the core thread (asio::post onto the core context).
    using Deliver = std::function<void(std::function<void()>)>;
    using Absorb = session::JournalSync::Absorb;
    using Rebase = session::JournalSync::Rebase;
    using BeforeWrite = session::JournalSync::BeforeWrite;
    using Restored = session::JournalSync::Restored;

    JournalWorker(Deliver deliver, Absorb absorb, std::chrono::milliseconds poll_interval,
                  BeforeWrite before_write = {}, Rebase rebase = {});
    ~JournalWorker(); ///< stop()
    JournalWorker(const JournalWorker&) = delete;
    JournalWorker& operator=(const JournalWorker&) = delete;

    /// session::JournalSync's, on the worker thread.
    void restore(uint64_t doc_id, const JournalTarget& target, std::string text, Restored done) {
        sync_.restore(doc_id, target, std::move(text), std::move(done));
    }
    void track(uint64_t doc_id, const JournalTarget& target) { sync_.track(doc_id, target); }
    void untrack(uint64_t doc_id) { sync_.untrack(doc_id); }
    void save(uint64_t doc_id, const JournalTarget& target, Snapshot snapshot, bool on_disk = false,
              std::optional<uint32_t> reset = std::nullopt) {
        sync_.save(doc_id, target, std::move(snapshot), on_disk, reset);
    }
    void save_as(uint64_t doc_id, const JournalTarget& target, Snapshot snapshot,
                 std::optional<SavedTyping> saved, std::optional<uint32_t> reset = std::nullopt) {
        sync_.save_as(doc_id, target, std::move(snapshot), saved, reset);
    }
    /// Checks every tracked entry now (the timer does it every poll interval).
    void poll_now() { sync_.poll_now(); }
    /// Runs `fn` on the worker thread after every task queued before it.
    void barrier(std::function<void()> fn) { sync_.barrier(std::move(fn)); }

    /// Finishes every queued task and joins the thread. Idempotent; not from the worker.
    void stop();

private:
    void arm_timer();

    std::chrono::milliseconds poll_interval_;
    asio::io_context io_;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
    asio::steady_timer timer_;
    session::JournalSync sync_;
    std::thread thread_;
    bool stopped_ = false; ///< touched by the thread calling stop() only
};

} // namespace provenant::lsp
