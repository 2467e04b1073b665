// provenant install / uninstall: hooks, chaining, core.hooksPath, idempotence, restoration.
#include "git_support.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <sys/stat.h>
#include <thread>

using namespace provenant::test;
namespace fs = std::filesystem;

namespace {

/// Every file under `dir` with its content and mode, for before/after comparisons.
std::map<std::string, std::pair<std::string, unsigned>> snapshot_dir(const std::string& dir) {
    std::map<std::string, std::pair<std::string, unsigned>> out;
    if (!fs::exists(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir)) {
        struct stat st {};
        ::lstat(e.path().c_str(), &st);
        out[e.path().filename().string()] = {read_text(e.path().string()), st.st_mode};
    }
    return out;
}

std::string config_all(const TempRepo& repo, const std::string& key) {
    return repo.git({"config", "--get-all", key}, true).out;
}

std::string local_config(const TempRepo& repo) {
    return read_text(repo.path() + "/.git/config");
}

} // namespace

TEST_CASE("install writes the hooks and displayRef; twice changes nothing; uninstall restores") {
    TempRepo repo;
    const auto hooks_before = snapshot_dir(repo.file(".git/hooks"));
    const auto config_before = local_config(repo);

    auto r = repo.provenant({"install"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    // No hook on every commit but post-commit: prepare-commit-msg is not ours to slow down.
    CHECK_FALSE(fs::exists(repo.file(".git/hooks/prepare-commit-msg")));
    for (const char* hook : {"post-commit", "post-rewrite", "post-merge"}) {
        const std::string p = repo.file(std::string(".git/hooks/") + hook);
        REQUIRE(fs::exists(p));
        CHECK((fs::status(p).permissions() & fs::perms::owner_exec) != fs::perms::none);
        const std::string text = read_text(p);
        CHECK(text.find("provenant-managed-hook") != std::string::npos);
        CHECK(text.find(std::string("'") + PROVENANT_BINARY + "'") != std::string::npos);
    }
    CHECK(config_all(repo, "notes.displayRef") == "refs/notes/provenant\n");
    CHECK(config_all(repo, "notes.rewriteRef").empty());

    const auto hooks_once = snapshot_dir(repo.file(".git/hooks"));
    const auto config_once = local_config(repo);
    r = repo.provenant({"install"});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("nothing changed") != std::string::npos);
    CHECK(snapshot_dir(repo.file(".git/hooks")) == hooks_once);
    CHECK(local_config(repo) == config_once);

    r = repo.provenant({"uninstall"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(snapshot_dir(repo.file(".git/hooks")) == hooks_before);
    CHECK(config_all(repo, "notes.displayRef").empty());
}

TEST_CASE("an existing hook is chained: it still runs with its args and stdin, and its exit code "
          "counts") {
    TempRepo repo;
    const std::string log = repo.path() + "/hook.log";
    // A user post-commit hook, a post-rewrite hook that records its stdin, and a
    // prepare-commit-msg hook that refuses commits whose message says "forbidden".
    write_text(repo.file(".git/hooks/post-commit"),
               "#!/bin/sh\necho user-post-commit >> '" + log + "'\nexit 3\n");
    write_text(repo.file(".git/hooks/post-rewrite"),
               "#!/bin/sh\necho \"user-post-rewrite $1\" >> '" + log + "'\ncat >> '" + log + "'\n");
    write_text(repo.file(".git/hooks/prepare-commit-msg"),
               "#!/bin/sh\nif grep -q forbidden \"$1\"; then echo refused >&2; exit 1; fi\n");
    for (const char* h : {"post-commit", "post-rewrite", "prepare-commit-msg"})
        fs::permissions(repo.file(std::string(".git/hooks/") + h),
                        fs::perms::owner_all | fs::perms::group_read, fs::perm_options::replace);
    const auto before = snapshot_dir(repo.file(".git/hooks"));

    auto r = repo.provenant({"install"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find("post-commit.provenant-chained") != std::string::npos);
    CHECK(fs::exists(repo.file(".git/hooks/post-commit.provenant-chained")));

    repo.write("a.txt", "one\n");
    const std::string first = repo.commit_all("first");
    CHECK(read_text(log) == "user-post-commit\n");
    CHECK(has_note(repo, first)); // ours ran too

    // The user's prepare-commit-msg hook (not ours: left in place) still refuses the commit.
    repo.write("a.txt", "two\n");
    repo.git({"add", "-A"});
    auto refused = repo.git({"commit", "-q", "-m", "forbidden"}, true);
    CHECK(refused.exit_code != 0);
    CHECK(refused.err.find("refused") != std::string::npos);
    CHECK(repo.head() == first);

    // post-rewrite: the user's hook gets the same argument and the old/new pairs on stdin.
    repo.git({"commit", "-q", "--amend", "-m", "amended"});
    const std::string amended = repo.head();
    CHECK(read_text(log).find("user-post-rewrite amend\n" + first + " " + amended) !=
          std::string::npos);

    // Twice: nothing changes; uninstall restores the user's hooks byte for byte, mode too.
    const auto installed = snapshot_dir(repo.file(".git/hooks"));
    r = repo.provenant({"install"});
    CHECK(r.exit_code == 0);
    CHECK(snapshot_dir(repo.file(".git/hooks")) == installed);
    r = repo.provenant({"uninstall"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(snapshot_dir(repo.file(".git/hooks")) == before);
}

TEST_CASE("install retires the prepare-commit-msg hook of earlier versions, restoring the user's") {
    TempRepo repo;
    const std::string user = "#!/bin/sh\necho user hook\n";
    write_text(repo.file(".git/hooks/prepare-commit-msg.provenant-chained"), user);
    write_text(repo.file(".git/hooks/prepare-commit-msg"),
               "#!/bin/sh\n# provenant-managed-hook v1\nexit 0\n"); // what 0.1's install wrote
    auto r = repo.provenant({"install"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find("prepare-commit-msg: removed, previous hook restored") != std::string::npos);
    CHECK(read_text(repo.file(".git/hooks/prepare-commit-msg")) == user);
    CHECK_FALSE(fs::exists(repo.file(".git/hooks/prepare-commit-msg.provenant-chained")));
    // A prepare-commit-msg that is not ours is never touched, by install or uninstall.
    r = repo.provenant({"uninstall"});
    REQUIRE(r.exit_code == 0);
    CHECK(read_text(repo.file(".git/hooks/prepare-commit-msg")) == user);
}

TEST_CASE("core.hooksPath relative to the worktree (husky style) is respected") {
    TempRepo repo;
    repo.git({"config", "core.hooksPath", ".husky"});
    const std::string log = repo.path() + "/husky.log";
    write_text(repo.file(".husky/post-commit"), "#!/bin/sh\necho husky >> '" + log + "'\n");
    fs::permissions(repo.file(".husky/post-commit"), fs::perms::owner_all,
                    fs::perm_options::replace);
    const auto before = snapshot_dir(repo.file(".husky"));

    // Run from a subdirectory: the relative path is still the worktree root's.
    fs::create_directories(repo.file("sub/dir"));
    auto r = provenant::test::provenant({"install"}, repo.file("sub/dir"));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find(fs::canonical(repo.path()).string() + "/.husky") != std::string::npos);
    CHECK(fs::exists(repo.file(".husky/post-commit.provenant-chained")));
    CHECK_FALSE(fs::exists(repo.file(".git/hooks/post-commit")));

    repo.write("a.txt", "x\n");
    const std::string c = repo.commit_all("with husky");
    CHECK(read_text(log) == "husky\n");
    CHECK(has_note(repo, c));

    r = repo.provenant({"uninstall"});
    REQUIRE(r.exit_code == 0);
    CHECK(snapshot_dir(repo.file(".husky")) == before);
}

TEST_CASE("a hooksPath that does not exist yet is created and removed again") {
    TempRepo repo;
    repo.git({"config", "core.hooksPath", "githooks"});
    auto r = repo.provenant({"install"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(fs::exists(repo.file("githooks/post-commit")));
    r = repo.provenant({"uninstall"});
    REQUIRE(r.exit_code == 0);
    CHECK_FALSE(fs::exists(repo.file("githooks")));
}

TEST_CASE("displayRef values the user had are kept") {
    TempRepo repo;
    repo.git({"config", "--add", "notes.displayRef", "refs/notes/review"});
    auto r = repo.provenant({"install", "-C", repo.path()});
    REQUIRE(r.exit_code == 0);
    CHECK(config_all(repo, "notes.displayRef") == "refs/notes/review\nrefs/notes/provenant\n");
    r = repo.provenant({"uninstall", "-C", repo.path()});
    REQUIRE(r.exit_code == 0);
    CHECK(config_all(repo, "notes.displayRef") == "refs/notes/review\n");

    // Already shown (by a glob): nothing added, and uninstall leaves it.
    repo.git({"config", "--add", "notes.displayRef", "refs/notes/*"});
    r = repo.provenant({"install"});
    CHECK(config_all(repo, "notes.displayRef") == "refs/notes/review\nrefs/notes/*\n");
    r = repo.provenant({"uninstall"});
    CHECK(config_all(repo, "notes.displayRef") == "refs/notes/review\nrefs/notes/*\n");
}

TEST_CASE("install outside a repository or in a bare one says so") {
    TempDir dir;
    auto r = provenant::test::provenant({"install"}, dir.path());
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("not in a git repository") != std::string::npos);
    TempRepo bare(true);
    r = provenant::test::provenant({"install"}, bare.path());
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("bare repository") != std::string::npos);
}

TEST_CASE("a hook never fails the git command when provenant fails") {
    TempRepo repo;
    REQUIRE(repo.provenant({"install"}).exit_code == 0);
    // A corrupt notes ref makes writing the note fail.
    repo.write("a.txt", "x\n");
    repo.commit_all("one");
    fs::create_directories(repo.file(".git/refs/notes"));
    write_text(repo.file(".git/refs/notes/provenant"), "not an object id\n");
    repo.write("a.txt", "y\n");
    repo.git({"add", "-A"});
    repo.set_wait_for_notes(false); // the failed commit stays queued (issue 12 §2, §4)
    auto r = repo.git({"commit", "-q", "-m", "two"}, true);
    CHECK(r.exit_code == 0);
    // The note is written after git returns: the background writer logs why it could not,
    // and keeps the commit queued so that a later drain retries it.
    const std::string two = repo.head();
    const std::string want = "attach: " + two.substr(0, 12);
    const fs::path log_file = repo.file(".git/provenant/attach.log");
    std::string log;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) { // polls for the log line itself
        std::error_code ec;
        if (fs::exists(log_file, ec)) log = read_text(log_file.string());
        if (log.find(want) != std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    CHECK(log.find(want) != std::string::npos);
    CHECK(fs::exists(repo.file(".git/provenant/pending/" + two)));
}
