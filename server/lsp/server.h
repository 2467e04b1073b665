// The LSP binding over the session core (session/session.h): lifecycle, dispatch of LSP and
// provenant methods (decode the params, call the Session, encode its answer), replies.
#pragma once

#include "lsp/asio_runtime.h"
#include "lsp/jsonrpc.h"
#include "lsp/protocol.h"
#include "session/session.h"

#include <asio/io_context.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
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

/// The session's options (journal, flush delay, poll interval, the journal's pre-write hook).
using ServerOptions = session::Options;

/// The server. Owns the session::Session and calls it from one thread, the "core" thread that
/// runs `core`, which is the session's documents thread (all public methods are for that
/// thread, except as noted). Sends through `send`, which must be thread-safe. The session's
/// journal work runs on the AsioRuntime's journal thread; its results come back as tasks
/// posted onto `core`.
class Server {
public:
    using Send = std::function<void(const json&)>;
    Server(asio::io_context& core, Send send, ServerOptions options = {});
    ~Server(); ///< finish()
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Handles one message from the client (any JSON value: shapes are checked here).
    void handle(const json& message);
    /// Ends the session without `exit` (the input closed, or a signal): exit code 0 after
    /// `shutdown`, 1 otherwise.
    void stop(std::string_view why);
    /// Flushes every document to its journal and stops the journal thread. Idempotent.
    void finish();

    /// Set once `exit` was received or the input closed; the process should end with
    /// exit_code() after finish().
    bool done() const { return done_; }
    int exit_code() const { return exit_code_; }
    /// Called (on the core thread) when done() becomes true.
    void on_done(std::function<void()> fn) { on_done_ = std::move(fn); }
    /// Cancellations recorded by the transport thread. Thread-safe.
    CancelRegistry& cancellations() { return cancel_; }

    PositionEncoding encoding() const { return session_.encoding(); }

private:
    using RequestHandler = void (Server::*)(const json* params, const Reply& reply);
    using NotificationHandler = void (Server::*)(const json* params);

    void handle_request(const Incoming& in);
    void handle_notification(const Incoming& in);
    void mark_done(int code);

    // server.cpp: the lifecycle
    void initialize(const json* params, const Reply& reply);
    void shutdown(const json* params, const Reply& reply);
    void initialized(const json* params);
    void exit(const json* params);
    // document_methods.cpp: text synchronisation and renames
    void textDocument_didOpen(const json* params);
    void textDocument_didChange(const json* params);
    void textDocument_didSave(const json* params);
    void textDocument_didClose(const json* params);
    void workspace_didRenameFiles(const json* params);
    // provenant_methods.cpp
    void provenant_annotate(const json* params);
    void provenant_documentProvenance(const json* params, const Reply& reply);
    void provenant_sync(const json* params, const Reply& reply);

    Send send_;
    CancelRegistry cancel_;

    enum class Phase { Uninitialized, Running, ShutDown } phase_ = Phase::Uninitialized;
    bool done_ = false;
    int exit_code_ = 1;
    std::function<void()> on_done_;

    std::unordered_map<std::string, RequestHandler> requests_;
    std::unordered_map<std::string, NotificationHandler> notifications_;

    AsioRuntime runtime_; ///< declared before the session, which uses it until it is gone
    session::Session session_;
};

} // namespace provenant::lsp
