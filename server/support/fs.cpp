// File helpers: whole-file reads, atomic replacement (tmp + fsync + rename), flock locks.
#include "support/fs.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace provenant {
namespace fs = std::filesystem;

namespace {
std::string errno_text() { return std::strerror(errno); }

Status write_all(int fd, const char* p, size_t n) {
    while (n > 0) {
        ssize_t w = ::write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return make_error(errno_text());
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

Result<std::string> read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return make_error("reading " + path.string() + ": " + errno_text());
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        return make_error("reading " + path.string() + ": read error");
    return ss.str();
}

Status atomic_write_file(const fs::path& path, const std::string& data) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    if (ec)
        return make_error("creating " + path.parent_path().string() + ": " + ec.message());
    fs::path tmp = path;
    tmp += unique_suffix();
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return make_error("creating " + tmp.string() + ": " + errno_text());
    Status st = write_all(fd, data.data(), data.size());
    if (st && ::fsync(fd) != 0)
        st = make_error(errno_text());
    ::close(fd);
    if (st && ::rename(tmp.c_str(), path.c_str()) != 0)
        st = make_error(errno_text());
    if (!st) {
        ::unlink(tmp.c_str());
        return st.error().context("writing " + path.string());
    }
    int dfd = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

Result<FileLock> FileLock::acquire(const fs::path& lock_path) {
    std::error_code ec;
    fs::create_directories(lock_path.parent_path(), ec);
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return make_error("opening lock " + lock_path.string() + ": " + errno_text());
    while (::flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        std::string msg = "locking " + lock_path.string() + ": " + errno_text();
        ::close(fd);
        return make_error(msg);
    }
    return FileLock(fd);
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
