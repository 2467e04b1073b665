// File helpers: whole-file reads, atomic replacement, and inter-process locks.
#pragma once

#include "support/result.h"

#include <filesystem>
#include <string>

namespace provenant {

/// Read a whole file. Errors name the path.
Result<std::string> read_file(const std::filesystem::path& path);

/// Replace `path` with `data` atomically: write a unique temp file in the same directory,
/// fsync it, rename it over `path`, fsync the directory. Readers see the old or the new
/// content, never a mix; a crash at any point leaves one of the two. Creates parent
/// directories. Safe to call from several threads and processes at once (last rename wins:
/// callers that read-modify-write must hold a FileLock).
Status atomic_write_file(const std::filesystem::path& path, const std::string& data);

/// An exclusive advisory lock (flock) on a lock file, held until destruction. Serialises
/// read-modify-write cycles between threads and processes. Not copyable; movable.
class FileLock {
public:
    /// Blocks until the lock is held. Creates the lock file (and its directory) if needed.
    static Result<FileLock> acquire(const std::filesystem::path& lock_path);
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

} // namespace provenant
