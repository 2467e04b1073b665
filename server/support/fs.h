// File helpers: whole-file reads, atomic replacement, and inter-process locks.
#pragma once

#include "support/result.h"

#include <filesystem>
#include <optional>
#include <string>

namespace provenant {

/// Opens `path` read-only only if it is a regular file, without ever blocking in open(): a
/// FIFO or device planted where a file is expected (`.git/provenant` is writable by anything
/// the user runs) would otherwise hang the opener, often while it holds a lock. Opens with
/// O_NONBLOCK | O_CLOEXEC (and O_NOFOLLOW unless `follow_symlinks`), checks fstat's S_ISREG,
/// then clears O_NONBLOCK. Returns the descriptor (the caller closes it), or -1 with errno
/// set as open() sets it (ENOENT, ELOOP for a symlink refused) or EINVAL for a file that is
/// not regular (EISDIR for a directory). POSIX-style so that a caller that tests errno (the
/// journal's ENOENT) needs a one-word change. Thread-safe.
int open_regular_file(const std::filesystem::path& path, bool follow_symlinks = false);

/// Read a whole file. Errors name the path. Follows symlinks; refuses (never blocks on) what
/// is not a regular file.
Result<std::string> read_file(const std::filesystem::path& path);

/// Creates `dir` and its missing parents with mode 0700 (existing directories are left as
/// they are). Provenant's directories hold source text: private to the user by default,
/// whatever the umask.
Status create_private_directories(const std::filesystem::path& dir);

struct WriteOptions {
    /// fsync the file and its directory (false for transient files on a hot path).
    bool sync = true;
};

/// Replace `path` with `data` atomically: write a unique temp file in the same directory,
/// fsync it, rename it over `path`, fsync the directory. Readers see the old or the new
/// content, never a mix; a crash at any point leaves one of the two. Creates missing parent
/// directories 0700. A new file is created 0600; a replaced file keeps the mode it had
/// (a user's settings file or an executable hook stays as the user made it). Safe to call
/// from several threads and processes at once (last rename wins: callers that
/// read-modify-write must hold a FileLock).
Status atomic_write_file(const std::filesystem::path& path, const std::string& data,
                         WriteOptions options = {});

/// Appends `data` to `path`, creating it 0600 (and its directories 0700) when missing.
/// O_APPEND: concurrent appenders interleave whole writes. Thread-safe.
Status append_private_file(const std::filesystem::path& path, const std::string& data);

/// An exclusive advisory lock (flock) on a lock file, held until destruction. Serialises
/// read-modify-write cycles between threads and processes. Not copyable; movable.
class FileLock {
public:
    /// Blocks until the lock is held. Creates the lock file 0600 (and its directories 0700) if
    /// needed; refuses a lock path that is not a regular file (a FIFO, a symlink).
    static Result<FileLock> acquire(const std::filesystem::path& lock_path);
    /// Takes the lock only if no one holds it; nullopt when another holder has it.
    static Result<std::optional<FileLock>> try_acquire(const std::filesystem::path& lock_path);
    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock();

private:
    explicit FileLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

/// Milliseconds since the Unix epoch (wall clock).
long long now_ms();

/// strerror(errno) as a string, for messages that say what failed ("opening X: <this>").
/// Read errno before anything else can change it. Thread-safe on glibc.
std::string errno_text();

/// The running executable (/proc/self/exe); empty when it cannot be read. Hooks and agent
/// settings are written with this path so they run the same binary. Thread-safe.
std::filesystem::path self_path();

} // namespace provenant
