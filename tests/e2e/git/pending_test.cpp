// The deferred attach: post-commit queues the commit and returns; a background
// `provenant attach --pending` writes the note; readers and journal writers drain the queue
// first. The queue's lock, held by the test, keeps the background process waiting so what
// git left behind can be inspected deterministically.
#include "git_support.h"
#include "support/fs.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <optional>

using namespace provenant;
using namespace provenant::test;
namespace fs = std::filesystem;

namespace {

void install(const TempRepo& repo) {
    auto r = repo.provenant({"install"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s;
}

fs::path queue_dir(const TempRepo& repo) {
    return fs::path(repo.path()) / ".git" / "provenant" / "pending";
}

std::vector<std::string> queued(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

/// Holds the queue's lock: a background attach started meanwhile waits for it.
FileLock hold_queue(const fs::path& gitdir) {
    auto lock = FileLock::acquire(gitdir / "provenant" / "pending.lock");
    REQUIRE(lock.ok());
    return std::move(*lock);
}

/// A commit made with provenant's hooks switched off, so nothing is queued or attached.
std::string commit_without_hooks(const TempRepo& repo, const std::string& message) {
    const std::string empty = repo.path() + "/.git/no-hooks";
    fs::create_directories(empty);
    repo.git({"add", "-A"});
    repo.git({"-c", "core.hooksPath=" + empty, "commit", "-q", "-m", message});
    return repo.head();
}

} // namespace

TEST_CASE("git commit returns before the note is written; the background writes it") {
    TempRepo repo;
    install(repo);
    repo.set_wait_for_notes(false);
    repo.write("a.txt", "one\n");
    std::optional<FileLock> lock(hold_queue(fs::path(repo.path()) / ".git"));
    const std::string c = repo.commit_all("first");
    // git is done; the note is not: the commit waits in the queue, with the hook's context.
    CHECK_FALSE(has_note(repo));
    REQUIRE(queued(queue_dir(repo)) == std::vector<std::string>{c});
    CHECK(trim(read_text((queue_dir(repo) / c).string())) == "v1 - 0");
    lock.reset(); // the background attach goes on
    wait_for_pending_notes(repo.path());
    Note n = read_note(repo);
    CHECK(n.commit == c);
    CHECK(queued(queue_dir(repo)).empty());
}

TEST_CASE("readers write queued notes first: show, blame, status, attach") {
    TempRepo repo;
    install(repo);
    repo.set_wait_for_notes(false);
    repo.write("a.txt", "one\ntwo\n");
    const std::string c = commit_without_hooks(repo, "first");
    for (const char* reader : {"show", "blame", "status", "attach"}) {
        CAPTURE(reader);
        if (std::string(reader) != "show")
            repo.git({"notes", "--ref=provenant", "remove", "--ignore-missing", c});
        write_text((queue_dir(repo) / c).string(), "v1 - 0\n");
        std::vector<std::string> args{reader};
        if (std::string(reader) == "blame") args.push_back("a.txt");
        auto r = repo.provenant(args);
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        CHECK(queued(queue_dir(repo)).empty());
        CHECK(has_note(repo));
    }
    // show printed the note it had just written.
    write_text((queue_dir(repo) / c).string(), "");
    repo.git({"notes", "--ref=provenant", "remove", c});
    auto shown = repo.provenant({"show", "--json"});
    CHECK(shown.exit_code == 0);
    CHECK(shown.out.find(c) != std::string::npos);
}

TEST_CASE("an agent edit writes the previous commit's note before touching the journal") {
    TempRepo repo;
    install(repo);
    repo.set_wait_for_notes(false);
    repo.write("a.txt", "base\n");
    std::optional<FileLock> lock(hold_queue(fs::path(repo.path()) / ".git"));
    const std::string c = repo.commit_all("first");
    CHECK_FALSE(has_note(repo));
    lock.reset();
    // The generic hook's payload: the hook drains before recording (whoever wins the lock,
    // the note exists once the hook has returned).
    const std::string payload = R"({"agent":"script","files":[{"path":"b.txt","after":"x\n"}]})";
    repo.write("b.txt", "x\n");
    auto r = repo.provenant({"hook", "generic"}, payload);
    CHECK(r.exit_code == 0);
    CHECK(has_note(repo, c));
}

TEST_CASE("queued commits are attached ancestors first, each once; junk is dropped") {
    TempRepo repo;
    install(repo);
    repo.set_wait_for_notes(false);
    std::vector<std::string> commits;
    for (int i = 0; i < 4; ++i) {
        repo.write("f.txt", std::string(static_cast<size_t>(i + 1), 'x') + "\n");
        commits.push_back(commit_without_hooks(repo, "c" + std::to_string(i)));
    }
    for (const auto& c : commits)
        write_text((queue_dir(repo) / c).string(), "v1 - 0\n");
    write_text((queue_dir(repo) / "HEAD.4242").string(), ""); // the hook's fallback name
    write_text((queue_dir(repo) / "not-a-commit").string(), "");
    auto r = repo.provenant({"attach", "--pending"});
    CHECK(r.exit_code == 1); // the junk file is reported
    CHECK(r.out.find("4 notes written, 0 commits already had one") != std::string::npos);
    CHECK(r.err.find("not-a-commit") != std::string::npos);
    CHECK(queued(queue_dir(repo)).empty());
    for (size_t i = 0; i < commits.size(); ++i) {
        Note n = read_note(repo, commits[i]);
        CHECK(n.parent == (i == 0 ? std::string() : commits[i - 1]));
    }
    // Nothing queued: a second drain is a no-op.
    r = repo.provenant({"attach", "--pending"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("0 notes written") != std::string::npos);
}

TEST_CASE("a cherry-pick's source is taken from what the hook saw, not from later state") {
    TempRepo repo;
    install(repo);
    repo.set_wait_for_notes(false);
    repo.write("a.txt", "base\n");
    repo.commit_all("base");
    repo.git({"checkout", "-q", "-b", "side"});
    put_journal(repo, "b.txt", {{"def f():\n    return 1\n", ai_origin()}});
    const std::string picked = repo.commit_all("side work");
    wait_for_pending_notes(repo.path());
    repo.git({"checkout", "-q", "main"});
    repo.write("a.txt", "base\nmain moved on\n"); // else the pick could be `picked` itself
    repo.commit_all("main");
    wait_for_pending_notes(repo.path());
    std::optional<FileLock> lock(hold_queue(fs::path(repo.path()) / ".git"));
    repo.git({"cherry-pick", picked});
    const std::string c = repo.head();
    const auto ctx = trim(read_text((queue_dir(repo) / c).string()));
    CHECK(ctx == "v1 " + picked + " 0"); // CHERRY_PICK_HEAD as git had it in post-commit
    // Later state that would mislead a live read: another commit moves HEAD on.
    repo.write("c.txt", "later\n");
    repo.git({"add", "-A"});
    repo.git({"commit", "-q", "-m", "later"});
    lock.reset();
    wait_for_pending_notes(repo.path());
    Note n = read_note(repo, c);
    REQUIRE(n.rewrite.has_value());
    CHECK(n.rewrite->kind == "cherry-pick");
    REQUIRE(n.files.count("b.txt"));
    CHECK(n.files["b.txt"].ai.size() == 2);
    CHECK(has_note(repo, "HEAD"));
}

TEST_CASE("without a queue directory the hook attaches in the foreground and creates it") {
    TempRepo repo;
    install(repo);
    repo.set_wait_for_notes(false);
    fs::remove_all(queue_dir(repo));
    repo.write("a.txt", "one\n");
    repo.commit_all("first");
    CHECK(has_note(repo)); // written before git returned
    CHECK(fs::is_directory(queue_dir(repo)));
}

TEST_CASE("commits in a linked worktree are queued in its own git directory") {
    TempRepo repo;
    install(repo);
    repo.write("a.txt", "one\n");
    repo.commit_all("first");
    TempDir other;
    const std::string wt = other.path() + "/wt";
    repo.git({"worktree", "add", "-q", "-b", "topic", wt});
    auto git_in = [&](const std::vector<std::string>& args) {
        std::vector<std::string> argv{"git"};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run(argv, wt);
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        return trim(r.out);
    };
    // The first commit there has no queue yet: foreground, which creates it.
    write_text(wt + "/b.txt", "two\n");
    git_in({"add", "-A"});
    git_in({"commit", "-q", "-m", "wt 1"});
    const fs::path wt_gitdir = fs::path(repo.path()) / ".git" / "worktrees" / "wt";
    CHECK(fs::is_directory(wt_gitdir / "provenant" / "pending"));
    // The second is queued under the worktree's git directory, named by the commit (its
    // branch ref lives in the common directory: the hook reads it there).
    std::optional<FileLock> lock(hold_queue(wt_gitdir));
    write_text(wt + "/b.txt", "two\nthree\n");
    git_in({"commit", "-q", "-am", "wt 2"});
    const std::string c = git_in({"rev-parse", "HEAD"});
    CHECK(queued(wt_gitdir / "provenant" / "pending") == std::vector<std::string>{c});
    lock.reset();
    wait_for_pending_notes(wt);
    CHECK(has_note(repo, c));
    CHECK(has_note(repo, c + "~1"));
}
