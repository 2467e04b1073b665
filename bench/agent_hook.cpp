// Agent hook latency: `provenant hook claude-code` (PreToolUse + PostToolUse Edit, and Bash
// through repository snapshots) on a repository of 10,000 files, process start to exit.
// Usage: bench_agent_hook [files=10000] [iterations=200]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <spawn.h>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

int sh(const std::string& cmd) {
    return std::system(cmd.c_str());
}

/// CPU milliseconds (user + system) of the last run_hook child.
double g_last_cpu_ms = 0;

/// Runs `provenant hook <agent>` (or `provenant --version` when agent is empty) with `input` on
/// stdin; returns wall milliseconds (start to exit) and sets g_last_cpu_ms.
double run_hook(const std::string& agent, const std::string& input, const std::string& cwd) {
    int in[2];
    if (pipe(in) != 0) std::abort();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    std::string bin = PROVENANT_BINARY;
    std::vector<char*> argv = {bin.data(), const_cast<char*>("hook"),
                               const_cast<char*>(agent.c_str()), nullptr};
    auto t0 = std::chrono::steady_clock::now();
    fs::path old = fs::current_path();
    fs::current_path(cwd);
    pid_t pid;
    if (posix_spawn(&pid, bin.c_str(), &fa, nullptr, argv.data(), environ) != 0) std::abort();
    fs::current_path(old);
    close(in[0]);
    size_t off = 0;
    while (off < input.size()) {
        ssize_t w = write(in[1], input.data() + off, input.size() - off);
        if (w <= 0) break;
        off += static_cast<size_t>(w);
    }
    close(in[1]);
    int status = 0;
    struct rusage ru {};
    wait4(pid, &status, 0, &ru);
    g_last_cpu_ms = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                    static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
    auto t1 = std::chrono::steady_clock::now();
    posix_spawn_file_actions_destroy(&fa);
    return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

void report(const char* what, std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) {
        return ms[std::min(ms.size() - 1, static_cast<size_t>(p * static_cast<double>(ms.size())))];
    };
    std::printf("%-44s n=%-4zu p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  max %7.2f ms\n", what,
                ms.size(), pct(0.50), pct(0.95), pct(0.99), ms.back());
}

} // namespace

int main(int argc, char** argv) {
    const int files = argc > 1 ? std::atoi(argv[1]) : 10000;
    const int iterations = argc > 2 ? std::atoi(argv[2]) : 200;
    char tmpl[] = "/tmp/provenant-bench-hook-XXXXXX";
    if (!mkdtemp(tmpl)) return 1;
    const std::string repo = tmpl;
    std::printf("repository: %s, %d files, %d iterations per case\n", repo.c_str(), files,
                iterations);
    sh("git -C " + repo + " init -q -b main");
    for (int i = 0; i < files; ++i) {
        fs::path p =
            fs::path(repo) / ("d" + std::to_string(i / 100)) / ("f" + std::to_string(i) + ".py");
        fs::create_directories(p.parent_path());
        std::ofstream(p) << "def f" << i << "():\n    return " << i << "\n";
    }
    sh("cd " + repo + " && git add -A && git -c user.name=b -c user.email=b@b commit -qm init");

    std::vector<double> pre_ms, post_ms, bash_pre_ms, bash_post_ms, version_ms;
    std::vector<double> pre_cpu, post_cpu, bash_pre_cpu, bash_post_cpu, version_cpu;
    for (int i = 0; i < iterations; ++i) {
        version_ms.push_back(run_hook("", "", repo));
        version_cpu.push_back(g_last_cpu_ms);
    }
    for (int i = 0; i < iterations; ++i) {
        const int k = (i * 37) % files; // a different file each time
        std::string rel = "d" + std::to_string(k / 100) + "/f" + std::to_string(k) + ".py";
        fs::path abs = fs::path(repo) / rel;
        std::string before;
        {
            std::ifstream in(abs);
            before.assign(std::istreambuf_iterator<char>(in), {});
        }
        std::string old_line = before.substr(before.find('\n') + 1);
        std::string new_line = "    x = " + std::to_string(i) + "\n" + old_line;
        json base = {
            {"session_id", "bench"},
            {"transcript_path", ""},
            {"cwd", repo},
            {"tool_name", "Edit"},
            {"tool_use_id", "toolu_" + std::to_string(i)},
            {"tool_input",
             {{"file_path", abs.string()}, {"old_string", old_line}, {"new_string", new_line}}}};
        json pre = base;
        pre["hook_event_name"] = "PreToolUse";
        pre_ms.push_back(run_hook("claude-code", pre.dump(), repo));
        pre_cpu.push_back(g_last_cpu_ms);
        std::ofstream(abs) << before.substr(0, before.find('\n') + 1) << new_line;
        json post = base;
        post["hook_event_name"] = "PostToolUse";
        post_ms.push_back(run_hook("claude-code", post.dump(), repo));
        post_cpu.push_back(g_last_cpu_ms);
    }
    for (int i = 0; i < std::max(10, iterations / 5); ++i) {
        json b = {{"session_id", "bench"},
                  {"cwd", repo},
                  {"tool_name", "Bash"},
                  {"tool_use_id", "bash_" + std::to_string(i)},
                  {"tool_input", {{"command", "gen"}}}};
        b["hook_event_name"] = "PreToolUse";
        bash_pre_ms.push_back(run_hook("claude-code", b.dump(), repo));
        bash_pre_cpu.push_back(g_last_cpu_ms);
        std::ofstream(fs::path(repo) / ("gen" + std::to_string(i) + ".py")) << "G = " << i << "\n";
        b["hook_event_name"] = "PostToolUse";
        bash_post_ms.push_back(run_hook("claude-code", b.dump(), repo));
        bash_post_cpu.push_back(g_last_cpu_ms);
    }
    std::printf("wall time, process start to exit:\n");
    report("provenant --version (start-up baseline)", version_ms);
    report("claude-code PreToolUse Edit (snapshot 1 file)", pre_ms);
    report("claude-code PostToolUse Edit (journal+session)", post_ms);
    report("claude-code PreToolUse Bash (git status)", bash_pre_ms);
    report("claude-code PostToolUse Bash (status+compare)", bash_post_ms);
    std::printf("CPU time (user + system) of the process:\n");
    report("provenant --version (start-up baseline)", version_cpu);
    report("claude-code PreToolUse Edit (snapshot 1 file)", pre_cpu);
    report("claude-code PostToolUse Edit (journal+session)", post_cpu);
    report("claude-code PreToolUse Bash (git status)", bash_pre_cpu);
    report("claude-code PostToolUse Bash (status+compare)", bash_post_cpu);
    fs::remove_all(repo);
    return 0;
}
