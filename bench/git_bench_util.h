// Helpers for the git benchmark programs: run commands, time them, temp dirs, statistics.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <spawn.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace bench {

/// Runs argv in `cwd` (stdout/stderr to /dev/null unless `quiet` is false); returns the exit
/// code. No shell.
inline int run(const std::vector<std::string>& argv, const std::string& cwd, bool quiet = true) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (quiet) {
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 0x1 /*O_WRONLY*/, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 0x1, 0);
    }
    // posix_spawn has no chdir before glibc 2.29's addchdir_np; Debian 12 has it.
    posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) return 127;
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline void must(const std::vector<std::string>& argv, const std::string& cwd) {
    if (run(argv, cwd, false) != 0) {
        std::fprintf(stderr, "bench: command failed: %s\n", argv[0].c_str());
        std::exit(1);
    }
}

/// Wall time of one run, in milliseconds.
inline double time_ms(const std::vector<std::string>& argv, const std::string& cwd) {
    auto t0 = std::chrono::steady_clock::now();
    int rc = run(argv, cwd);
    auto t1 = std::chrono::steady_clock::now();
    if (rc != 0) {
        std::fprintf(stderr, "bench: command failed (%d): %s %s\n", rc, argv[0].c_str(),
                     argv.size() > 1 ? argv[1].c_str() : "");
        std::exit(1);
    }
    return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

/// CPU time (user + system) used so far by waited-for children, in milliseconds: unlike wall
/// time, it does not grow when other programs load the machine.
inline double children_cpu_ms() {
    rusage ru{};
    getrusage(RUSAGE_CHILDREN, &ru);
    auto ms = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3;
    };
    return ms(ru.ru_utime) + ms(ru.ru_stime);
}

inline double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

/// A git environment independent of the machine's configuration and identity.
inline void isolate_git() {
    setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
    setenv("GIT_CONFIG_GLOBAL", "/dev/null", 1);
    setenv("GIT_AUTHOR_NAME", "Bench", 1);
    setenv("GIT_AUTHOR_EMAIL", "bench@example.com", 1);
    setenv("GIT_COMMITTER_NAME", "Bench", 1);
    setenv("GIT_COMMITTER_EMAIL", "bench@example.com", 1);
}

/// A temp directory removed at exit of scope.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::string tmpl =
            (std::filesystem::temp_directory_path() / "provenant-bench-XXXXXX").string();
        path = mkdtemp(tmpl.data());
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

} // namespace bench
