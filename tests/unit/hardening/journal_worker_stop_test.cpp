// The journal worker stops within a bounded time even when its poll timer expired during a
// long task (issue 12 §7: the timer was re-armed after stop() cancelled it, forever).
#include "lsp/journal_worker.h"
#include "support/temp_repo.h"

#include <cstdio>
#include <cstdlib>
#include <doctest/doctest.h>
#include <future>
#include <thread>

using namespace provenant;
using namespace provenant::lsp;

TEST_CASE("stop() returns when the poll timer expired while the worker was busy") {
    test::TempRepo repo;
    std::promise<void> entered;
    auto entered_future = entered.get_future();
    bool first = true;
    // The first journal write stands for a long task (a slow disk, a long note write): it
    // outlasts many 1 ms poll intervals, so the timer's completion is queued behind it.
    auto busy = [&](const std::filesystem::path&) {
        if (!first) return;
        first = false;
        entered.set_value();
        std::this_thread::sleep_for(std::chrono::milliseconds(300)); // work, not a wait
    };
    auto worker = std::make_unique<JournalWorker>([](std::function<void()>) {},
                                                  [](uint64_t, std::shared_ptr<const Snapshot>) {},
                                                  std::chrono::milliseconds(1), busy);
    worker->save(1, JournalTarget{std::filesystem::path(repo.path()) / ".git", "a.txt"},
                 Snapshot{});
    entered_future.wait();
    // stop() posts its cancel while the task runs; it must then return once the task ends.
    std::promise<void> done;
    auto done_future = done.get_future();
    std::thread stopper([&] {
        worker->stop();
        done.set_value();
    });
    if (done_future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
        // The worker thread polls forever: joining it would hang the test binary instead of
        // failing it.
        std::fprintf(stderr, "FAILED: JournalWorker::stop() did not return within 30 s\n");
        std::fflush(nullptr);
        std::_Exit(1);
    }
    stopper.join();
}
