// End-to-end, issue 12 §11: a FIFO given as transcript_path never hangs the hook (an agent
// waits on it, and the transcript is read under the session store's lock).
#include "support/temp_repo.h"

#include <chrono>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

using namespace provenant::test;

TEST_CASE("a FIFO as transcript_path: the hook answers at once and says why") {
    TempRepo repo;
    TempDir side;
    const std::string fifo = side.path() + "/transcript.jsonl";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    nlohmann::json stop = {{"session_id", "s-fifo"},
                           {"transcript_path", fifo},
                           {"cwd", repo.path()},
                           {"hook_event_name", "Stop"}};
    // Before, open() blocked forever; the runner kills it after 60 s (exit 137).
    auto r = run({PROVENANT_BINARY, "hook", "claude-code"}, repo.path(), stop.dump(), {},
                 std::chrono::seconds(60));
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("not a regular file") != std::string::npos);
    // And the next hook is not blocked by a lock left held.
    r = run({PROVENANT_BINARY, "hook", "claude-code"}, repo.path(), stop.dump(), {},
            std::chrono::seconds(60));
    CHECK(r.exit_code == 0);
}
