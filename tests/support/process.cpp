// Test support: fork/exec with pipes, an isolated environment, temp dirs.
#include "support/process.h"

#include <doctest/doctest.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace provenant::test {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const std::string& isolated_home() {
    static const std::string home = [] {
        std::string tmpl = (fs::temp_directory_path() / "provenant-home-XXXXXX").string();
        if (!::mkdtemp(tmpl.data()))
            throw std::runtime_error("mkdtemp failed");
        return tmpl;
    }();
    return home;
}

std::vector<std::string> build_env(const EnvOverrides& overrides) {
    std::map<std::string, std::string> env;
    for (char** e = environ; *e; ++e) {
        std::string kv(*e);
        auto eq = kv.find('=');
        if (eq != std::string::npos)
            env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    for (auto& [k, v] : isolated_env())
        env[k] = v;
    for (auto& [k, v] : overrides) {
        if (v)
            env[k] = *v;
        else
            env.erase(k);
    }
    std::vector<std::string> out;
    out.reserve(env.size());
    for (auto& [k, v] : env)
        out.push_back(k + "=" + v);
    return out;
}

struct Spawned {
    int pid;
    int in_fd;
    int out_fd;
    int err_fd;
};

Spawned spawn(const std::vector<std::string>& argv, const std::string& cwd,
              const EnvOverrides& env, bool capture_err, const std::string& stderr_path) {
    int in[2], out[2], err[2] = {-1, -1};
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || (capture_err && ::pipe2(err, O_CLOEXEC)))
        throw std::runtime_error("pipe failed");
    std::vector<std::string> envs = build_env(env);
    std::vector<char*> envp;
    for (auto& s : envs) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char*> argp;
    for (auto& s : args) argp.push_back(s.data());
    argp.push_back(nullptr);
    int pid = ::fork();
    if (pid < 0)
        throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::dup2(in[0], 0);
        ::dup2(out[1], 1);
        if (capture_err)
            ::dup2(err[1], 2);
        else if (!stderr_path.empty()) {
            int fd = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
            if (fd >= 0) ::dup2(fd, 2);
        }
        if (!cwd.empty() && ::chdir(cwd.c_str()) != 0)
            ::_exit(126);
        ::execvpe(argp[0], argp.data(), envp.data());
        ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    if (capture_err) ::close(err[1]);
    return {pid, in[1], out[0], err[0]};
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

} // namespace

std::map<std::string, std::string> isolated_env() {
    const std::string& home = isolated_home();
    return {{"HOME", home},
            {"XDG_CONFIG_HOME", home + "/.config"},
            {"XDG_DATA_HOME", home + "/.local/share"},
            {"XDG_STATE_HOME", home + "/.local/state"},
            {"XDG_CACHE_HOME", home + "/.cache"},
            {"GIT_CONFIG_NOSYSTEM", "1"},
            {"GIT_CONFIG_GLOBAL", "/dev/null"},
            {"GIT_AUTHOR_NAME", "Test Author"},
            {"GIT_AUTHOR_EMAIL", "author@example.com"},
            {"GIT_COMMITTER_NAME", "Test Committer"},
            {"GIT_COMMITTER_EMAIL", "committer@example.com"},
            {"GIT_TERMINAL_PROMPT", "0"},
            {"EDITOR", "true"},
            {"GIT_EDITOR", "true"},
            {"GIT_SEQUENCE_EDITOR", "true"},
            {"LC_ALL", "C.UTF-8"},
            {"TZ", "UTC"}};
}

ProcessResult run(const std::vector<std::string>& argv, const std::string& cwd,
                  const std::string& input, const EnvOverrides& env, std::chrono::seconds timeout) {
    Spawned s = spawn(argv, cwd, env, true, {});
    ProcessResult r;
    size_t written = 0;
    if (input.empty()) { ::close(s.in_fd); s.in_fd = -1; }
    auto deadline = Clock::now() + timeout;
    bool killed = false;
    while (s.out_fd >= 0 || s.err_fd >= 0) {
        std::vector<pollfd> fds;
        if (s.in_fd >= 0) fds.push_back({s.in_fd, POLLOUT, 0});
        if (s.out_fd >= 0) fds.push_back({s.out_fd, POLLIN, 0});
        if (s.err_fd >= 0) fds.push_back({s.err_fd, POLLIN, 0});
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0 && !killed) { ::kill(s.pid, SIGKILL); killed = true; }
        int n = ::poll(fds.data(), fds.size(), killed ? 1000 : static_cast<int>(std::min<long long>(left, 1000)));
        if (n < 0 && errno != EINTR) break;
        for (auto& p : fds) {
            if (!p.revents) continue;
            if (p.fd == s.in_fd) {
                ssize_t w = ::write(s.in_fd, input.data() + written, input.size() - written);
                if (w > 0) written += static_cast<size_t>(w);
                if (w < 0 || written == input.size()) { ::close(s.in_fd); s.in_fd = -1; }
            } else {
                char buf[65536];
                ssize_t rd = ::read(p.fd, buf, sizeof buf);
                std::string& dst = p.fd == s.out_fd ? r.out : r.err;
                if (rd > 0) dst.append(buf, static_cast<size_t>(rd));
                else if (rd == 0 || errno != EINTR) {
                    ::close(p.fd);
                    (p.fd == s.out_fd ? s.out_fd : s.err_fd) = -1;
                }
            }
        }
    }
    if (s.in_fd >= 0) ::close(s.in_fd);
    int status = 0;
    ::waitpid(s.pid, &status, 0);
    r.exit_code = decode_status(status);
    return r;
}

ProcessResult provenant(const std::vector<std::string>& args, const std::string& cwd,
                        const std::string& input, const EnvOverrides& env) {
    std::vector<std::string> argv{PROVENANT_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, cwd, input, env);
}

Child::Child(const std::vector<std::string>& argv, const std::string& cwd,
             const EnvOverrides& env, const std::string& stderr_path) {
    ::signal(SIGPIPE, SIG_IGN);
    Spawned s = spawn(argv, cwd, env, false, stderr_path);
    pid_ = s.pid;
    in_fd_ = s.in_fd;
    out_fd_ = s.out_fd;
}

Child::~Child() {
    if (in_fd_ >= 0) ::close(in_fd_);
    if (out_fd_ >= 0) ::close(out_fd_);
    if (!reaped_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        int st = 0;
        ::waitpid(pid_, &st, 0);
    }
}

bool Child::write(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t w = ::write(in_fd_, bytes.data() + done, bytes.size() - done);
        if (w < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<size_t>(w);
    }
    return true;
}

void Child::close_stdin() {
    if (in_fd_ >= 0) { ::close(in_fd_); in_fd_ = -1; }
}

std::string Child::read_some(std::chrono::milliseconds timeout) {
    if (!buffer_.empty()) { std::string out; out.swap(buffer_); return out; }
    pollfd p{out_fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
    char buf[65536];
    ssize_t rd = ::read(out_fd_, buf, sizeof buf);
    return rd > 0 ? std::string(buf, static_cast<size_t>(rd)) : std::string();
}

std::string Child::read_exact(size_t n, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (buffer_.size() < n) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) break;
        pollfd p{out_fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        char buf[65536];
        ssize_t rd = ::read(out_fd_, buf, sizeof buf);
        if (rd <= 0) break;
        buffer_.append(buf, static_cast<size_t>(rd));
    }
    std::string out = buffer_.substr(0, std::min(n, buffer_.size()));
    buffer_.erase(0, out.size());
    return out;
}

std::optional<std::string> Child::read_until(const std::string& delim, std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
        auto pos = buffer_.find(delim);
        if (pos != std::string::npos) {
            std::string out = buffer_.substr(0, pos + delim.size());
            buffer_.erase(0, pos + delim.size());
            return out;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd p{out_fd_, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
        char buf[65536];
        ssize_t rd = ::read(out_fd_, buf, sizeof buf);
        if (rd <= 0) return std::nullopt;
        buffer_.append(buf, static_cast<size_t>(rd));
    }
}

void Child::kill(int sig) {
    if (!reaped_ && pid_ > 0) ::kill(pid_, sig);
}

std::optional<int> Child::wait(std::chrono::milliseconds timeout) {
    if (reaped_) return std::nullopt;
    auto deadline = Clock::now() + timeout;
    for (;;) {
        int st = 0;
        int r = ::waitpid(pid_, &st, WNOHANG);
        if (r == pid_) { reaped_ = true; return decode_status(st); }
        if (Clock::now() >= deadline) return std::nullopt;
        ::usleep(2000);
    }
}

TempDir::TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "provenant-test-XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
        throw std::runtime_error("mkdtemp failed");
    path_ = fs::canonical(tmpl).string();
}

TempDir::~TempDir() {
    std::error_code ec;
    if (!std::getenv("PROVENANT_KEEP_TEMP"))
        fs::remove_all(path_, ec);
}

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void write_text(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

} // namespace provenant::test
