// support/fs (issue 12 §5, §14): only regular files are opened, never blocking; what
// provenant writes is private (files 0600, directories 0700) whatever the umask.
#include "agents/snapshots.h"
#include "support/fs.h"

#include <cerrno>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

using namespace provenant;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string t = (fs::temp_directory_path() / "provenant-fs-XXXXXX").string();
        REQUIRE(::mkdtemp(t.data()) != nullptr);
        path = t;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::lstat(p.c_str(), &st) == 0);
    return st.st_mode & 07777u;
}

struct Umask {
    mode_t old;
    explicit Umask(mode_t m) : old(::umask(m)) {}
    ~Umask() { ::umask(old); }
};

} // namespace

TEST_CASE("a FIFO, a directory or a symlink is refused at once, never blocked on") {
    TempDir d;
    const fs::path fifo = d.path / "fifo";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Opened blocking, with no writer, this would never return.
    int fd = open_regular_file(fifo);
    int err = errno;
    CHECK(fd == -1);
    CHECK(err == EINVAL);
    auto r = read_file(fifo);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("not a regular file") != std::string::npos);
    fd = open_regular_file(d.path);
    err = errno;
    CHECK(fd == -1);
    CHECK(err == EISDIR);
    REQUIRE(atomic_write_file(d.path / "real", "x").ok());
    fs::create_symlink(d.path / "real", d.path / "link");
    CHECK(open_regular_file(d.path / "link") == -1); // O_NOFOLLOW by default
    fd = open_regular_file(d.path / "link", /*follow_symlinks=*/true);
    CHECK(fd >= 0);
    if (fd >= 0) {
        CHECK((::fcntl(fd, F_GETFL) & O_NONBLOCK) == 0);
        ::close(fd);
    }
    CHECK(read_file(d.path / "link").ok());
    fd = open_regular_file(d.path / "missing");
    err = errno;
    CHECK(fd == -1);
    CHECK(err == ENOENT);
    // A FIFO planted as a lock file is refused, not opened.
    auto lock = FileLock::acquire(fifo);
    CHECK_FALSE(lock.ok());
}

TEST_CASE("files are created 0600 and directories 0700 under umask 022") {
    Umask mask(022);
    TempDir d;
    const fs::path file = d.path / "a" / "b" / "entry.json";
    REQUIRE(atomic_write_file(file, "{}").ok());
    CHECK(mode_of(file) == 0600u);
    CHECK(mode_of(d.path / "a") == 0700u);
    CHECK(mode_of(d.path / "a" / "b") == 0700u);
    REQUIRE(atomic_write_file(d.path / "c" / "t.json", "{}", WriteOptions{.sync = false}).ok());
    CHECK(mode_of(d.path / "c" / "t.json") == 0600u);
    CHECK(mode_of(d.path / "c") == 0700u);
    REQUIRE(append_private_file(d.path / "log" / "hook.log", "one\n").ok());
    REQUIRE(append_private_file(d.path / "log" / "hook.log", "two\n").ok());
    CHECK(mode_of(d.path / "log" / "hook.log") == 0600u);
    CHECK(mode_of(d.path / "log") == 0700u);
    CHECK(*read_file(d.path / "log" / "hook.log") == "one\ntwo\n");
    auto lock = FileLock::acquire(d.path / "locks" / ".lock");
    REQUIRE(lock.ok());
    CHECK(mode_of(d.path / "locks" / ".lock") == 0600u);
    CHECK(mode_of(d.path / "locks") == 0700u);
}

TEST_CASE("a replaced file keeps the mode it had") {
    Umask mask(022);
    TempDir d;
    const fs::path hook = d.path / "hook";
    REQUIRE(atomic_write_file(hook, "#!/bin/sh\n").ok());
    REQUIRE(::chmod(hook.c_str(), 0755) == 0);
    REQUIRE(atomic_write_file(hook, "#!/bin/sh\necho\n").ok());
    CHECK(mode_of(hook) == 0755u);
}

TEST_CASE("pre-tool snapshots (source text) are 0600 in 0700 directories under umask 022") {
    Umask mask(022);
    TempDir d;
    provenant::agents::SnapshotStore store(d.path / "gitdir");
    provenant::agents::PreSnapshot snap;
    snap.id = "edit-1";
    snap.created_ms = now_ms();
    REQUIRE(store.save(snap).ok());
    CHECK(mode_of(store.file_of("edit-1")) == 0600u);
    CHECK(mode_of(d.path / "gitdir" / "provenant") == 0700u);
    CHECK(mode_of(store.file_of("edit-1").parent_path()) == 0700u);
}
