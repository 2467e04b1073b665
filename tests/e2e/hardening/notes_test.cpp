// End-to-end, issue 12 §1, §2, §4, §5: nothing keeps a commit's note from being written for
// good: a stale notes-ref lock, a file name that is not UTF-8, a journal lock that cannot be
// opened, FIFOs where provenant expects files.
#include "journal/journal.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <sys/stat.h>

using namespace provenant;
using namespace provenant::test;
namespace fs = std::filesystem;

namespace {

void install(const TempRepo& repo) {
    auto r = repo.provenant({"install"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

bool has_note(const TempRepo& repo, const std::string& rev) {
    return repo.git({"notes", "--ref=provenant", "show", rev}, true).exit_code == 0;
}

fs::path gitdir(const TempRepo& repo) {
    return fs::path(repo.path()) / ".git";
}

/// A commit made with provenant's hooks switched off; the test queues it itself, as the
/// post-commit hook would, so no background writer races the test.
std::string commit_and_queue(const TempRepo& repo, const std::string& file,
                             const std::string& text) {
    const std::string empty = repo.path() + "/.git/no-hooks";
    fs::create_directories(empty);
    repo.write(file, text);
    repo.git({"add", "-A"});
    repo.git({"-c", "core.hooksPath=" + empty, "commit", "-q", "-m", "c " + file});
    std::string head = repo.head();
    fs::create_directories(gitdir(repo) / "provenant" / "pending");
    write_text((gitdir(repo) / "provenant" / "pending" / head).string(), "");
    return head;
}

bool queued(const TempRepo& repo, const std::string& commit) {
    return fs::exists(gitdir(repo) / "provenant" / "pending" / commit);
}

} // namespace

TEST_CASE("a notes-ref lock left by a killed note writer is recovered: the note is written") {
    TempRepo repo;
    install(repo);
    repo.set_wait_for_notes(false);
    commit_and_queue(repo, "a.txt", "one\n");
    REQUIRE(repo.provenant({"attach", "--pending"}).exit_code == 0);
    // What a writer killed by SIGKILL during its ref update leaves (libgit2's lock has no pid).
    const fs::path lock = gitdir(repo) / "refs" / "notes" / "provenant.lock";
    write_text(lock.string(), std::string(40, '0') + "\n");
    const std::string second = commit_and_queue(repo, "b.txt", "two\n");
    auto r = repo.provenant({"attach", "--pending"});
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(has_note(repo, second));
    CHECK_FALSE(queued(repo, second));
    CHECK_FALSE(fs::exists(lock));
    CHECK(r.err.find("provenant.lock") != std::string::npos); // the recovery is said
    // And through the real hooks: the next commit gets its note too.
    repo.set_wait_for_notes(true);
    repo.write("c.txt", "three\n");
    std::string third = repo.commit_all("third");
    CHECK(has_note(repo, third));
}

TEST_CASE("a note that cannot be written is said on stderr and stays queued for retry") {
    TempRepo repo;
    install(repo);
    repo.set_wait_for_notes(false);
    // The journal's lock cannot be opened (here: a directory where the lock file goes).
    const fs::path journal_lock = gitdir(repo) / "provenant" / "journal" / ".lock";
    fs::create_directories(journal_lock);
    const std::string commit = commit_and_queue(repo, "a.txt", "one\n");
    auto st = repo.provenant({"status"});
    CHECK(st.err.find("not written") != std::string::npos);
    CHECK(st.err.find(commit.substr(0, 12)) != std::string::npos);
    CHECK(queued(repo, commit));
    CHECK_FALSE(has_note(repo, commit));
    // Once the cause is gone, the next reader writes it.
    fs::remove(journal_lock);
    auto show = repo.provenant({"show", commit});
    CHECK_MESSAGE(show.exit_code == 0, show.err);
    CHECK(has_note(repo, commit));
    CHECK_FALSE(queued(repo, commit));
}

TEST_CASE("FIFOs as a journal entry and in the pending queue never hang a command") {
    TempRepo repo;
    install(repo);
    repo.set_wait_for_notes(false);
    repo.write("a.txt", "one\n");
    repo.git({"add", "-A"});
    repo.git({"-c", "core.hooksPath=" + repo.path() + "/.git/none", "commit", "-q", "-m", "a"});
    const fs::path gd = fs::canonical(gitdir(repo));
    Journal journal(gd);
    const fs::path entry = journal.entry_file("a.txt");
    fs::create_directories(entry.parent_path());
    REQUIRE(::mkfifo(entry.c_str(), 0600) == 0);
    fs::create_directories(gd / "provenant" / "pending");
    const std::string head = repo.head();
    REQUIRE(::mkfifo((gd / "provenant" / "pending" / head).c_str(), 0600) == 0);
    // Each would block forever in open() before; the test's runner kills after 120 s.
    auto st = repo.provenant({"status"});
    CHECK(st.exit_code < 128);
    auto show = repo.provenant({"show", head});
    CHECK(show.exit_code < 128);
    auto r =
        run({PROVENANT_BINARY, "blame", "a.txt"}, repo.path(), {}, {}, std::chrono::seconds(60));
    CHECK(r.exit_code < 128);
}

TEST_CASE("a committed file name that is not UTF-8 stops no note, and show prints it") {
    TempRepo repo;
    install(repo);
    const std::string name = "caf\xff.txt";
    repo.write(name, "bytes\n");
    const std::string first = repo.commit_all("non-UTF-8 name");
    repo.write("b.txt", "two\n");
    const std::string second = repo.commit_all("second");
    repo.write(name, "bytes\nmore\n");
    const std::string third = repo.commit_all("third");
    for (const auto& c : {first, second, third}) {
        CHECK_MESSAGE(has_note(repo, c), c);
        auto show = repo.provenant({"show", c});
        CHECK_MESSAGE(show.exit_code == 0, show.err);
    }
    auto show = repo.provenant({"show", first});
    CHECK(show.out.find("caf\\xff.txt") != std::string::npos); // escaped on the terminal
    CHECK(show.out.find('\xff') == std::string::npos);
    // The note itself quotes the path as git does, and reads back.
    auto raw = repo.git({"notes", "--ref=provenant", "show", first});
    CHECK(raw.out.find("\"\\\"caf\\\\377.txt\\\"\"") != std::string::npos);
    auto blame = repo.provenant({"blame", name});
    CHECK_MESSAGE(blame.exit_code == 0, blame.err);
}
