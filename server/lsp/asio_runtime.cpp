// The session's runtime with asio: posts onto the core io_context, a journal thread, timers.
#include "lsp/asio_runtime.h"

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

namespace provenant::lsp {
namespace {

/// A steady_timer whose callback never runs after cancel(), start() or destruction, also when
/// the wait had expired and its completion was already queued (asio's cancel() cannot abort
/// that one): each wait carries a generation, and only the current one runs.
class AsioTimer : public session::Timer {
public:
    explicit AsioTimer(asio::io_context& core) : timer_(core) {}
    ~AsioTimer() override { cancel(); }
    AsioTimer(const AsioTimer&) = delete;
    AsioTimer& operator=(const AsioTimer&) = delete;

    void start(std::chrono::milliseconds delay, std::function<void()> fn) override {
        const uint64_t wait = ++*generation_;
        timer_.expires_after(delay);
        timer_.async_wait(
            [generation = generation_, wait, fn = std::move(fn)](const asio::error_code& ec) {
                if (!ec && *generation == wait) fn();
            });
    }
    void cancel() override {
        ++*generation_;
        timer_.cancel();
    }

private:
    asio::steady_timer timer_;
    // Shared with the waits' handlers, which may run after the timer is gone.
    std::shared_ptr<uint64_t> generation_ = std::make_shared<uint64_t>(0);
};

} // namespace

AsioRuntime::AsioRuntime(asio::io_context& core, bool journal) : core_(core) {
    if (!journal) return;
    work_.emplace(journal_.get_executor());
    thread_ = std::thread([this] {
        // Each task catches its own errors; this is the last line against a lost exception.
        for (;;) {
            try {
                journal_.run();
                return;
            } catch (const std::exception& e) {
                spdlog::error("journal worker: {}", e.what());
            }
        }
    });
}

AsioRuntime::~AsioRuntime() {
    stop_journal();
}

void AsioRuntime::post(std::function<void()> fn) {
    asio::post(core_, std::move(fn));
}

void AsioRuntime::post_journal(std::function<void()> fn) {
    asio::post(journal_, std::move(fn));
}

void AsioRuntime::stop_journal() {
    if (stopped_) return;
    stopped_ = true;
    asio::post(journal_, [this] { work_.reset(); });
    if (thread_.joinable()) thread_.join();
}

std::unique_ptr<session::Timer> AsioRuntime::make_timer() {
    return std::make_unique<AsioTimer>(core_);
}

} // namespace provenant::lsp
