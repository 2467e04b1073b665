// File helpers: whole-file reads, atomic replacement (tmp + fsync + rename), flock locks.
#include "support/fs.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace provenant {
namespace fs = std::filesystem;

std::string errno_text() {
    return std::strerror(errno);
}

fs::path self_path() {
    std::error_code ec;
    fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : p;
}

namespace {
Status write_all(int fd, const char* p, size_t n) {
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return make_error(ErrorKind::io, errno_text());
        }
        p += w;
        n -= static_cast<size_t>(w);
    }
    return {};
}

std::string unique_suffix() {
    thread_local std::mt19937_64 rng{std::random_device{}() ^
                                     static_cast<uint64_t>(::getpid()) << 20};
    std::ostringstream s;
    s << ".tmp." << ::getpid() << "." << std::hex << rng();
    return s.str();
}
} // namespace

int open_regular_file(const fs::path& path, bool follow_symlinks) {
    int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | (follow_symlinks ? 0 : O_NOFOLLOW);
    int fd = ::open(path.c_str(), flags);
    if (fd < 0) return -1;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
        ::close(fd);
        errno = err;
        return -1;
    }
    // Reads of a regular file never block anyway; clear the flag so callers see plain reads.
    int fl = ::fcntl(fd, F_GETFL);
    if (fl >= 0) (void)::fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

namespace {
std::string open_error_text(int err) {
    if (err == EINVAL) return "not a regular file";
    return std::strerror(err);
}
} // namespace

Result<std::string> read_file(const fs::path& path) {
    int fd = open_regular_file(path, /*follow_symlinks=*/true);
    if (fd < 0)
        return make_error(ErrorKind::io,
                          "reading " + path.string() + ": " + open_error_text(errno));
    std::string out;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
    char buf[64 << 10];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            std::string msg = "reading " + path.string() + ": " + errno_text();
            ::close(fd);
            return make_error(ErrorKind::io, msg);
        }
        if (n == 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    return out;
}

Status create_private_directories(const fs::path& dir) {
    if (dir.empty()) return {};
    struct stat st {};
    if (::stat(dir.c_str(), &st) == 0) {
        if (S_ISDIR(st.st_mode)) return {};
        return make_error(ErrorKind::io,
                          "creating " + dir.string() + ": exists and is not a directory");
    }
    if (dir.has_parent_path() && dir.parent_path() != dir)
        if (auto p = create_private_directories(dir.parent_path()); !p) return p;
    // mkdir's mode is masked by the umask; 0700 masked by any sane umask is still 0700.
    if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
        return make_error(ErrorKind::io, "creating " + dir.string() + ": " + errno_text());
    return {};
}

Status atomic_write_file(const fs::path& path, const std::string& data, WriteOptions options) {
    if (auto d = create_private_directories(path.parent_path()); !d) return d;
    // A replaced file keeps its mode; a new one is private.
    mode_t mode = 0600;
    struct stat old {};
    if (::stat(path.c_str(), &old) == 0 && S_ISREG(old.st_mode)) mode = old.st_mode & 07777;
    fs::path tmp = path;
    tmp += unique_suffix();
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return make_error(ErrorKind::io, "creating " + tmp.string() + ": " + errno_text());
    Status st = write_all(fd, data.data(), data.size());
    // fchmod, not open's mode: the umask must not widen or narrow what the file had.
    if (st && ::fchmod(fd, mode) != 0) st = make_error(ErrorKind::io, errno_text());
    if (st && options.sync && ::fsync(fd) != 0) st = make_error(ErrorKind::io, errno_text());
    ::close(fd);
    if (st && ::rename(tmp.c_str(), path.c_str()) != 0)
        st = make_error(ErrorKind::io, errno_text());
    if (!st) {
        ::unlink(tmp.c_str());
        return st.error().context("writing " + path.string());
    }
    if (!options.sync) return {};
    int dfd = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

Status append_private_file(const fs::path& path, const std::string& data) {
    if (auto d = create_private_directories(path.parent_path()); !d) return d;
    int fd = ::open(path.c_str(),
                    O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    if (fd < 0)
        return make_error(ErrorKind::io, "appending to " + path.string() + ": " + errno_text());
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return make_error(ErrorKind::io, "appending to " + path.string() + ": not a regular file");
    }
    Status w = write_all(fd, data.data(), data.size());
    ::close(fd);
    if (!w) return w.error().context("appending to " + path.string());
    return {};
}

namespace {
// Opens (creating 0600) a lock file that must be a regular file: O_NONBLOCK so a FIFO planted
// as a lock never blocks the open, O_NOFOLLOW so a symlink cannot point the lock elsewhere.
Result<int> open_lock_file(const fs::path& lock_path) {
    if (auto d = create_private_directories(lock_path.parent_path()); !d) return d.error();
    int fd =
        ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    if (fd < 0)
        return make_error(ErrorKind::io,
                          "opening lock " + lock_path.string() + ": " + errno_text());
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        return make_error(ErrorKind::io,
                          "opening lock " + lock_path.string() + ": not a regular file");
    }
    return fd;
}
} // namespace

Result<FileLock> FileLock::acquire(const fs::path& lock_path) {
    auto fd = open_lock_file(lock_path);
    if (!fd) return fd.error();
    while (::flock(*fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        std::string msg = "locking " + lock_path.string() + ": " + errno_text();
        ::close(*fd);
        return make_error(ErrorKind::io, msg);
    }
    return FileLock(*fd);
}

Result<std::optional<FileLock>> FileLock::try_acquire(const fs::path& lock_path) {
    auto fd = open_lock_file(lock_path);
    if (!fd) return fd.error();
    while (::flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno == EINTR) continue;
        int err = errno;
        ::close(*fd);
        if (err == EWOULDBLOCK) return std::optional<FileLock>{};
        return make_error(ErrorKind::io,
                          "locking " + lock_path.string() + ": " + std::strerror(err));
    }
    return std::optional<FileLock>(FileLock(*fd));
}

FileLock::FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
FileLock& FileLock::operator=(FileLock&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0)
            ::close(fd_);
        fd_ = other.fd_;
        other.fd_ = -1;
    }
    return *this;
}
FileLock::~FileLock() {
    if (fd_ >= 0)
        ::close(fd_); // closing releases the flock
}

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace provenant
