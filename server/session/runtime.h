// What a session runs on, given by its host: a documents thread to post to, a journal thread
// and timers. The LSP binding implements it with asio (lsp/asio_runtime.h); a unit test with
// queues and timers it runs and fires itself, on one thread (tests/unit/session).
#pragma once

#include <chrono>
#include <functional>
#include <memory>

namespace provenant::session {

/// A one-shot timer whose callback runs on the documents thread. Documents thread only.
class Timer {
public:
    virtual ~Timer() = default;
    /// Runs `fn` on the documents thread once `delay` has passed, unless cancel() (or another
    /// start(), or the timer's destruction) comes first: then `fn` never runs.
    virtual void start(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
    virtual void cancel() = 0;
};

/// The threads of one session. The documents thread is the one that calls the Session (its
/// Documents are touched there only); the journal thread does the journal and git work, one
/// task at a time in the order posted, so that no file I/O or git work ever runs on the
/// documents thread (the keystroke path). Both may be the same thread in a test, as long as
/// a task never runs inside the call that posts it.
class Runtime {
public:
    virtual ~Runtime() = default;
    /// Queues `fn` on the documents thread. Any thread.
    virtual void post(std::function<void()> fn) = 0;
    /// Queues `fn` on the journal thread. Any thread.
    virtual void post_journal(std::function<void()> fn) = 0;
    /// Runs every task queued on the journal thread, then ends it: tasks posted after are
    /// dropped. Called once, by the Session when it finishes (documents thread).
    virtual void stop_journal() = 0;
    /// A timer on the documents thread.
    virtual std::unique_ptr<Timer> make_timer() = 0;
};

} // namespace provenant::session
