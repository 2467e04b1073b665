// The journal thread: session::JournalSync on its own io_context, and the poll timer.
#include "lsp/journal_worker.h"

#include <asio/post.hpp>
#include <spdlog/spdlog.h>

namespace provenant::lsp {

JournalWorker::JournalWorker(Deliver deliver, Absorb absorb,
                             std::chrono::milliseconds poll_interval, BeforeWrite before_write,
                             Rebase rebase)
    : poll_interval_(poll_interval), work_(io_.get_executor()), timer_(io_),
      sync_([this](std::function<void()> fn) { asio::post(io_, std::move(fn)); },
            std::move(deliver),
            session::JournalSync::Callbacks{std::move(absorb), std::move(rebase),
                                            std::move(before_write)}) {
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

// Worker thread (and the constructor, before the thread starts). `work_` is reset by the
// stop task on this thread, so `!work_` means stopping: a wait that expired while a long task
// ran has its completion queued already, cancel() cannot abort it, and re-arming from it kept
// io_.run() (and so stop()'s join and the process's exit) alive forever.
void JournalWorker::arm_timer() {
    if (poll_interval_.count() <= 0 || !work_) return;
    timer_.expires_after(poll_interval_);
    timer_.async_wait([this](const asio::error_code& ec) {
        if (ec || !work_) return;
        sync_.poll_now(); // queued behind what is already waiting; runs before the stop task
        arm_timer();
    });
}

} // namespace provenant::lsp
