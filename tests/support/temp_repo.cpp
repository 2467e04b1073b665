// Test support: real git repositories in temp directories.
#include "support/temp_repo.h"

#include "journal/journal.h"

#include <chrono>
#include <doctest/doctest.h>
#include <filesystem>
#include <thread>

namespace provenant::test {

void wait_for_pending_notes(const std::string& worktree) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto loc = find_repository(worktree); // nullopt for a bare repository
    const fs::path gitdir = loc ? loc->gitdir : fs::path(worktree);
    const fs::path queue = gitdir / "provenant" / "pending";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (fs::is_directory(queue, ec) && !fs::is_empty(queue, ec)) {
        if (std::chrono::steady_clock::now() > deadline) {
            FAIL("queued notes in " << queue.string() << " were not written within 30 s");
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

TempRepo::TempRepo(bool bare) {
    std::vector<std::string> args{"git", "init", "-q", "-b", "main"};
    if (bare) args.push_back("--bare");
    args.push_back(path());
    auto r = run(args);
    REQUIRE_MESSAGE(r.exit_code == 0, "git init failed: " << r.err);
}

ProcessResult TempRepo::git(const std::vector<std::string>& args, bool allow_fail,
                            const std::string& input) const {
    if (wait_for_notes_) wait_for_pending_notes(path());
    std::vector<std::string> argv{"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run(argv, path(), input);
    if (!allow_fail) {
        std::string cmd;
        for (auto& a : args)
            cmd += a + " ";
        CHECK_MESSAGE(r.exit_code == 0, "git " << cmd << "failed: " << r.err << r.out);
    }
    return r;
}

ProcessResult TempRepo::provenant(const std::vector<std::string>& args, const std::string& input,
                                  const EnvOverrides& env) const {
    if (wait_for_notes_) wait_for_pending_notes(path());
    return test::provenant(args, path(), input, env);
}

void TempRepo::write(const std::string& rel, const std::string& text) const {
    write_text(file(rel), text);
}
std::string TempRepo::read(const std::string& rel) const {
    return read_text(file(rel));
}

std::string TempRepo::commit_all(const std::string& message) const {
    git({"add", "-A"});
    git({"commit", "-q", "-m", message});
    return head();
}

std::string TempRepo::head() const {
    auto r = git({"rev-parse", "HEAD"});
    std::string h = r.out;
    while (!h.empty() && (h.back() == '\n' || h.back() == '\r'))
        h.pop_back();
    return h;
}

} // namespace provenant::test
