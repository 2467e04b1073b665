// The session finishes within a bounded time even when its poll timer expired many times
// during a long journal task (issue 12 §7: the journal worker's timer was re-armed after
// stop() cancelled it, forever). The poll timer now runs on the documents thread and is not
// re-armed once the session finishes; this drives the real asio runtime.
#include "lsp/asio_runtime.h"
#include "session/session.h"
#include "session/uri.h"
#include "support/temp_repo.h"

#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>
#include <cstdio>
#include <cstdlib>
#include <doctest/doctest.h>
#include <future>
#include <thread>

using namespace provenant;

TEST_CASE("finish() returns when the poll timer expired while the journal thread was busy") {
    test::TempRepo repo;
    repo.write("a.txt", "a\n");
    repo.commit_all("initial");
    std::promise<void> entered;
    auto entered_future = entered.get_future();
    bool first = true;
    session::Options options;
    options.poll_interval = std::chrono::milliseconds(1);
    options.flush_delay = std::chrono::hours(1);
    // The first journal write stands for a long task (a slow disk, a long note write): it
    // outlasts many 1 ms poll intervals, so polls queue behind it.
    options.before_journal_write = [&](const std::filesystem::path&) {
        if (!first) return;
        first = false;
        entered.set_value();
        std::this_thread::sleep_for(std::chrono::milliseconds(300)); // work, not a wait
    };

    asio::io_context core;
    auto work = asio::make_work_guard(core);
    lsp::AsioRuntime runtime(core, /*journal=*/true);
    session::Session session(runtime, options);
    const std::string uri = session::path_to_file_uri(repo.file("a.txt"));
    asio::post(core, [&] {
        session.open(uri, 1, "a\n");
        session.save(uri, std::nullopt); // written once the restore is here
    });
    std::thread documents([&] { core.run(); });
    entered_future.wait();

    // finish() on the documents thread while the write runs: it must return once it ends.
    std::promise<void> done;
    auto done_future = done.get_future();
    asio::post(core, [&] {
        session.finish();
        done.set_value();
    });
    if (done_future.wait_for(std::chrono::seconds(30)) != std::future_status::ready) {
        // The journal thread polls forever: joining it would hang the test binary instead of
        // failing it.
        std::fprintf(stderr, "FAILED: Session::finish() did not return within 30 s\n");
        std::fflush(nullptr);
        std::_Exit(1);
    }
    work.reset();
    documents.join();
}
