// The LSP binding: lifecycle, dispatch of LSP and provenant methods onto Documents, replies.
#pragma once

#include "core/document.h"
#include "lsp/journal_worker.h"
#include "lsp/jsonrpc.h"
#include "lsp/protocol.h"

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace provenant::lsp {

/// Ids of requests the client cancelled before the server reached them. The transport's
/// thread adds (on `$/cancelRequest`), the core thread takes. Thread-safe. Bounded: ids of
/// requests that were already answered would otherwise pile up.
class CancelRegistry {
public:
    void cancel(const json& id);
    /// Whether `id` was cancelled; forgets it.
    bool take(const json& id);

private:
    static constexpr size_t kMax = 1024;
    std::mutex mutex_;
    std::unordered_set<std::string> ids_;
    std::deque<std::string> order_;
};

/// Sends exactly one reply for one request: the first result()/error() wins, later calls are
/// logged and dropped, and a request dropped without a reply gets an InternalError when the
/// last copy dies. Copies share one state. May be called from any thread (sending is
/// thread-safe).
class Reply {
public:
    using Send = std::function<void(const json&)>;
    Reply(json id, std::string method, Send send);
    void result(json value) const;
    void error(ErrorCode code, std::string message) const;
    /// Replies with `e`, its code mapped from its kind (error_code in jsonrpc.h).
    void error(const Error& e) const;

private:
    struct State;
    std::shared_ptr<State> state_;
};

struct ServerOptions {
    /// Write pending provenance to repository journals and watch them (false: memory only).
    bool journal = true;
    /// Unsaved edits reach the journal within this delay (docs/model.md §6: at most 1 s lost).
    std::chrono::milliseconds flush_delay{400};
    /// How often the journal entries of open documents are checked for other writers.
    std::chrono::milliseconds poll_interval{1000};
    /// Runs on the journal thread before each write to a repository's journal (given its git
    /// directory). The CLI passes the git layer's deferred-attach drain, so a commit's note is
    /// written before edits made after it reach the journal; empty: nothing.
    std::function<void(const std::filesystem::path& gitdir)> before_journal_write;
};

/// The server. Owns the open Documents and calls them from one thread, the "core" thread
/// that runs `core` (all public methods are for that thread, except as noted). Sends through
/// `send`, which must be thread-safe. Journal I/O goes to a JournalWorker thread; its results
/// come back as tasks posted onto `core`.
class Server {
public:
    using Send = std::function<void(const json&)>;
    Server(asio::io_context& core, Send send, ServerOptions options = {});
    ~Server(); ///< stops the journal worker (after it has written what is queued)
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Handles one message from the client (any JSON value: shapes are checked here).
    void handle(const json& message);
    /// Ends the session without `exit` (the input closed, or a signal): exit code 0 after
    /// `shutdown`, 1 otherwise.
    void stop(std::string_view why);
    /// Flushes every document to its journal and stops the journal worker. Idempotent.
    void finish();

    /// Set once `exit` was received or the input closed; the process should end with
    /// exit_code() after finish().
    bool done() const { return done_; }
    int exit_code() const { return exit_code_; }
    /// Called (on the core thread) when done() becomes true.
    void on_done(std::function<void()> fn) { on_done_ = std::move(fn); }
    /// Cancellations recorded by the transport thread. Thread-safe.
    CancelRegistry& cancellations() { return cancel_; }

    PositionEncoding encoding() const { return encoding_; }

private:
    struct OpenDocument;
    using RequestHandler = void (Server::*)(const json* params, const Reply& reply);
    using NotificationHandler = void (Server::*)(const json* params);

    void handle_request(const Incoming& in);
    void handle_notification(const Incoming& in);
    void mark_done(int code);

    // lifecycle.cpp
    void initialize(const json* params, const Reply& reply);
    void shutdown(const json* params, const Reply& reply);
    void initialized(const json* params);
    void exit(const json* params);
    // text_document.cpp
    void textDocument_didOpen(const json* params);
    void textDocument_didChange(const json* params);
    void textDocument_didSave(const json* params);
    void textDocument_didClose(const json* params);
    // workspace.cpp: renames (workspace/didRenameFiles, and didClose + didOpen of the same text)
    void workspace_didRenameFiles(const json* params);
    struct RecentDoc;
    void rename_journal(const std::string& old_uri, const std::string& new_uri);
    void follow_rename_on_open(const std::string& uri, std::string_view text,
                               const std::optional<JournalTarget>& target);
    void remember_open(const OpenDocument& doc, std::string_view text, bool restored);
    void forget_open(uint64_t doc_id);
    void follow_rename_on_close(const OpenDocument& closed);
    // provenant_methods.cpp
    void provenant_annotate(const json* params);
    void provenant_documentProvenance(const json* params, const Reply& reply);
    void reply_provenance(const std::string& uri, const Reply& reply);
    void provenant_sync(const json* params, const Reply& reply);

    // Journal plumbing (text_document.cpp).
    OpenDocument* find(const std::string& uri, const char* method);
    void mark_dirty(OpenDocument& doc);
    /// Hands the document's snapshot to the journal thread if it changed; `saved`: the client
    /// just saved it (didSave), so the file holds this text (JournalEntry::saved). A document
    /// whose restore has not arrived waits for it (OpenDocument::restoring) unless `force`
    /// (it is closed, the server exits): then it is written as it is, and the merge by
    /// content keeps only whole lines of the entry's evidence (a gap, never a misattribution).
    void flush(OpenDocument& doc, bool saved = false, bool force = false);
    void flush_all(bool force = false);
    /// Runs `fn` once no document waits for its restore (at once if none does): a sync or a
    /// shutdown answers after the writes those restores release.
    void after_restores(std::function<void()> fn);
    void absorb(uint64_t doc_id, const std::shared_ptr<const Snapshot>& evidence);
    /// The journal's restore of document `doc_id`, opened at `version`.
    void restored(uint64_t doc_id, int64_t version, Result<session::Reopened> result);
    void log_dropped(OpenDocument& doc);

    asio::io_context& core_;
    Send send_;
    ServerOptions options_;
    CancelRegistry cancel_;

    enum class Phase { Uninitialized, Running, ShutDown } phase_ = Phase::Uninitialized;
    bool done_ = false;
    int exit_code_ = 1;
    std::function<void()> on_done_;
    PositionEncoding encoding_ = PositionEncoding::Utf16;

    std::unordered_map<std::string, RequestHandler> requests_;
    std::unordered_map<std::string, NotificationHandler> notifications_;

    std::unordered_map<std::string, std::unique_ptr<OpenDocument>> documents_; ///< by URI
    std::unordered_map<uint64_t, OpenDocument*> by_id_;
    uint64_t next_doc_id_ = 1;
    asio::steady_timer flush_timer_;
    bool flush_armed_ = false;
    bool finished_ = false;
    std::unique_ptr<JournalWorker> worker_; ///< null when journaling is off
    /// Recently closed and recently opened documents, for a rename the client reports as
    /// didClose + didOpen of the same text (workspace.cpp). Bounded.
    std::deque<RecentDoc> recent_closed_;
    std::deque<RecentDoc> recent_opened_;
};

} // namespace provenant::lsp
