// The session's runtime in the LSP server (session/runtime.h), with asio: the documents thread
// is the one running the server's core io_context; the journal thread is this class's own.
#pragma once

#include "session/runtime.h"

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

namespace provenant::lsp {

/// Posts documents-thread tasks and runs timers on `core`; owns the journal thread, started
/// at construction (unless `journal` is false: a session with no journal posts nothing to
/// it), which runs its own io_context until stop_journal(). post() and
/// post_journal() may be called from any thread; make_timer() and stop_journal() from the
/// documents thread (or before `core` runs).
class AsioRuntime : public session::Runtime {
public:
    AsioRuntime(asio::io_context& core, bool journal);
    ~AsioRuntime() override; ///< stop_journal()
    AsioRuntime(const AsioRuntime&) = delete;
    AsioRuntime& operator=(const AsioRuntime&) = delete;

    void post(std::function<void()> fn) override;
    void post_journal(std::function<void()> fn) override;
    /// Finishes every queued journal task and joins the thread. Idempotent; not from the
    /// journal thread.
    void stop_journal() override;
    std::unique_ptr<session::Timer> make_timer() override;

private:
    asio::io_context& core_;
    asio::io_context journal_;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
    std::thread thread_;
    bool stopped_ = false; ///< touched by the thread calling stop_journal() only
};

} // namespace provenant::lsp
