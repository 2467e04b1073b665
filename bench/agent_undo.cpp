// Undoing an agent's replace_all edit of a large file (issue 12 §11): undo_replacements and
// count_generated_lines alone, then a whole in-process claude-code PostToolUse hook whose
// payload carries no original text (so the hook rebuilds it by undoing the edit).
// Usage: bench_agent_undo [megabytes=4] [iterations=3]
#include "agents/hook_runner.h"
#include "agents/text_edits.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace provenant;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

/// `before` with every "old_name" replaced by "new_name_longer".
std::string replace_all(const std::string& before, const std::string& from, const std::string& to) {
    std::string out;
    for (size_t pos = 0;;) {
        size_t hit = before.find(from, pos);
        out.append(before, pos, hit == std::string::npos ? std::string::npos : hit - pos);
        if (hit == std::string::npos) return out;
        out += to;
        pos = hit + from.size();
    }
}

} // namespace

int main(int argc, char** argv) {
    const size_t mb = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 4;
    const int iterations = argc > 2 ? std::atoi(argv[2]) : 3;
    std::string before;
    for (size_t i = 0; before.size() < (mb << 20); ++i)
        before += "x" + std::to_string(i) + " = old_name(a, b);\n";
    const std::string after = replace_all(before, "old_name", "new_name_longer");
    size_t occurrences = 0;
    for (size_t p = 0; (p = after.find("new_name_longer", p)) != std::string::npos; ++p)
        ++occurrences;
    std::printf("file: %.1f MB, %zu occurrences replaced\n", before.size() / 1048576.0,
                occurrences);

    agents::Replacement r{"old_name", "new_name_longer", true, 0, 0};
    double best_undo = 1e18, best_count = 1e18;
    for (int i = 0; i < iterations; ++i) {
        auto t = Clock::now();
        auto undone = agents::undo_replacements(after, {r});
        best_undo = std::min(best_undo, ms_since(t));
        if (!undone || *undone != before) {
            std::fprintf(stderr, "undo_replacements gave the wrong text\n");
            return 1;
        }
        t = Clock::now();
        volatile uint64_t n = agents::count_generated_lines(before, after);
        (void)n;
        best_count = std::min(best_count, ms_since(t));
    }
    std::printf("undo_replacements:     %8.1f ms (best of %d)\n", best_undo, iterations);
    std::printf("count_generated_lines: %8.1f ms (best of %d)\n", best_count, iterations);

    // The whole hook, in process, in a fresh repository.
    fs::path dir =
        fs::temp_directory_path() / ("provenant-bench-undo-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    if (std::system(("git init -q " + dir.string()).c_str()) != 0) return 1;
    const fs::path file = dir / "big.py";
    {
        FILE* f = std::fopen(file.c_str(), "wb");
        std::fwrite(after.data(), 1, after.size(), f);
        std::fclose(f);
    }
    nlohmann::json payload = {{"session_id", "bench"},
                              {"cwd", dir.string()},
                              {"hook_event_name", "PostToolUse"},
                              {"tool_name", "Edit"},
                              {"tool_input",
                               {{"file_path", file.string()},
                                {"old_string", "old_name"},
                                {"new_string", "new_name_longer"},
                                {"replace_all", true}}}};
    auto t = Clock::now();
    auto report = agents::run_hook("claude-code", payload.dump(), dir);
    std::printf("hook (PostToolUse Edit replace_all, no original text): %8.1f ms, %zu file(s) "
                "recorded\n",
                ms_since(t), report.files_recorded);
    for (const auto& m : report.messages)
        std::printf("  hook said: %s\n", m.c_str());
    std::error_code ec;
    fs::remove_all(dir, ec);
    return 0;
}
