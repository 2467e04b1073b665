// Crash consistency (issue 12): kill -9 of agent hooks and of the background note writer at
// random points, trial after trial, while files are written and committed. After every trial
// the journal is readable (nothing moved aside as corrupt, `status` succeeds); at the end every
// commit gets its note once the queue is drained, and every hook that finished before its
// kill has its lines attributed to the agent in that note. Labelled slow (tests/slow.txt);
// bounded to about 40 s of trials. The sidecar's own kill -9 trials are e2e_lsp's.
#include "support/temp_repo.h"

#include <chrono>
#include <csignal>
#include <doctest/doctest.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

using namespace provenant::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Trial {
    std::string file;
    std::string commit;
    bool hook_finished = false; ///< the hook exited 0 before its kill came
};

} // namespace

TEST_CASE("crash consistency: kill -9 of hooks and the note writer at random points") {
    TempRepo repo;
    REQUIRE(repo.provenant({"install"}).exit_code == 0);
    repo.set_wait_for_notes(false);
    const fs::path gitdir = fs::path(repo.path()) / ".git";
    const std::string no_hooks = (gitdir / "no-hooks").string();
    fs::create_directories(no_hooks);
    std::mt19937 rng(20261201); // fixed: the same kill points on every run
    std::uniform_int_distribution<int> delay_us(0, 120000); // up to 120 ms: many hooks finish
    const auto budget = std::chrono::seconds(40);
    const auto start = std::chrono::steady_clock::now();
    std::vector<Trial> trials;
    for (int i = 0; i < 300 && std::chrono::steady_clock::now() - start < budget; ++i) {
        Trial t;
        t.file = "f" + std::to_string(i) + ".txt";
        const std::string text = "line one of " + t.file + "\nline two of " + t.file + "\n";
        repo.write(t.file, text);
        // An agent's hook, killed at a random point (often before it is done).
        json payload = {
            {"agent", "crash-agent"},
            {"session", "s1"},
            {"cwd", repo.path()},
            {"files", json::array({{{"path", t.file}, {"after", text}, {"created", true}}})}};
        {
            Child hook({PROVENANT_BINARY, "hook", "generic"}, repo.path());
            hook.write(payload.dump());
            hook.close_stdin();
            std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
            hook.kill(SIGKILL);
            auto code = hook.wait(std::chrono::seconds(30));
            REQUIRE(code.has_value());
            t.hook_finished = *code == 0;
        }
        // The commit, queued as post-commit queues it, and the note writer killed at random.
        repo.git({"add", "-A"});
        repo.git({"-c", "core.hooksPath=" + no_hooks, "commit", "-q", "-m", t.file});
        t.commit = repo.head();
        fs::create_directories(gitdir / "provenant" / "pending");
        write_text((gitdir / "provenant" / "pending" / t.commit).string(), "");
        {
            Child writer({PROVENANT_BINARY, "attach", "--pending"}, repo.path());
            writer.close_stdin();
            std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
            writer.kill(SIGKILL);
            REQUIRE(writer.wait(std::chrono::seconds(30)).has_value());
        }
        // After every crash: the journal reads cleanly.
        CHECK_FALSE(fs::exists(gitdir / "provenant" / "journal" / "corrupt"));
        trials.push_back(t);
    }
    MESSAGE(trials.size() << " trials (two kill -9 each) in the time budget");
    CHECK(trials.size() >= 10);
    auto st = repo.provenant({"status", "--json"});
    CHECK_MESSAGE(st.exit_code == 0, st.err);
    // Every commit eventually gets its note: the next reader drains the queue.
    auto drain = repo.provenant({"attach", "--pending"});
    CHECK_MESSAGE(drain.exit_code == 0, drain.err);
    size_t finished = 0;
    for (const Trial& t : trials) {
        CAPTURE(t.file);
        auto note = repo.git({"notes", "--ref=provenant", "show", t.commit}, true);
        REQUIRE_MESSAGE(note.exit_code == 0, "no note for " << t.commit);
        json j = json::parse(note.out);
        REQUIRE(j["files"].contains(t.file));
        if (t.hook_finished) {
            ++finished;
            // Nothing saved is lost: the hook finished, so its two lines are the agent's.
            CHECK(j["files"][t.file]["lines"].value("ai", "") == "1-2");
        }
    }
    MESSAGE(finished << " hooks finished before their kill");
    CHECK(fs::is_empty(gitdir / "provenant" / "pending"));
    CHECK_FALSE(fs::exists(gitdir / "provenant" / "journal" / "corrupt"));
}
