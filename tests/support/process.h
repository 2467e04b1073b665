// Test support: run real programs (the provenant binary, git) with pipes, no shell.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace provenant::test {

struct ProcessResult {
    int exit_code = -1; ///< exit status, or 128+signal
    std::string out;
    std::string err;
};

/// Environment overrides: a value sets the variable, nullopt unsets it.
using EnvOverrides = std::map<std::string, std::optional<std::string>>;

/// Runs `argv` in `cwd` with `input` on stdin, waits, returns its output. Kills it after
/// `timeout` (exit_code then reports the signal). The environment is the test's isolated one
/// (see isolated_env) plus `env`.
ProcessResult run(const std::vector<std::string>& argv, const std::string& cwd = {},
                  const std::string& input = {}, const EnvOverrides& env = {},
                  std::chrono::seconds timeout = std::chrono::seconds(120));

/// Runs `provenant <args...>`.
ProcessResult provenant(const std::vector<std::string>& args, const std::string& cwd = {},
                        const std::string& input = {}, const EnvOverrides& env = {});

/// A running child with pipes to its stdin and stdout (stderr goes to a file or inherits).
/// One thread only.
class Child {
public:
    Child(const std::vector<std::string>& argv, const std::string& cwd = {},
          const EnvOverrides& env = {}, const std::string& stderr_path = {});
    ~Child(); // kills (SIGKILL) and reaps if still running
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;

    int pid() const { return pid_; }
    /// Writes all bytes to the child's stdin; false if the pipe is closed.
    bool write(const std::string& bytes);
    void close_stdin();
    /// Reads what is available within `timeout`; empty on timeout or EOF.
    std::string read_some(std::chrono::milliseconds timeout);
    /// Reads exactly n bytes (or fewer on EOF/timeout).
    std::string read_exact(size_t n, std::chrono::milliseconds timeout);
    /// Reads up to and including `delim`; returns nullopt on EOF or timeout.
    std::optional<std::string> read_until(const std::string& delim, std::chrono::milliseconds timeout);
    /// Sends a signal.
    void kill(int sig);
    /// Waits for exit within timeout; returns exit code (or 128+signal), nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);

private:
    int pid_ = -1;
    int in_fd_ = -1;
    int out_fd_ = -1;
    std::string buffer_;
    bool reaped_ = false;
};

/// The environment every test child gets: HOME and XDG dirs in a per-process temp dir, git
/// configured to ignore the machine's ~/.gitconfig and /etc/gitconfig, a fixed identity.
std::map<std::string, std::string> isolated_env();

/// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

/// Reads / writes a file (creating parent directories).
std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

} // namespace provenant::test
