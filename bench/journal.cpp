// Journal benchmark: update/load latency by entry size, list() and `provenant status` over
// many entries. Prints figures; usage: bench_journal [entries=2000]
#include "journal/journal.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

using namespace provenant;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

struct Stats {
    double median, p99;
};
Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v[std::min(v.size() - 1, v.size() * 99 / 100)]};
}

/// `lines` lines of ~40 bytes, alternating human and AI runs.
Snapshot make_snapshot(size_t lines) {
    Snapshot s;
    OriginRecord ai;
    ai.cls = OriginClass::Ai;
    ai.tool = "claude-code";
    ai.kind = "agent";
    ai.session = "bench";
    uint32_t id = s.origins.intern(ai);
    for (size_t i = 0; i < lines; ++i) {
        std::string line = "    value_" + std::to_string(i) + " = compute(input, " +
                           std::to_string(i % 97) + ");\n";
        s.text += line;
        s.push_run(static_cast<uint32_t>(line.size()),
                   Attr{(i / 7) % 2 ? id : kHumanOrigin, Evidence::Recorded, true});
    }
    return s;
}

int run(const std::string& cmd) {
    return std::system(cmd.c_str());
}

} // namespace

int main(int argc, char** argv) {
    size_t entries = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2000;
    fs::path root =
        fs::temp_directory_path() / ("provenant-bench-journal-" + std::to_string(::getpid()));
    fs::create_directories(root);
    if (run("git init -q '" + root.string() + "'") != 0) {
        std::fprintf(stderr, "git init failed\n");
        return 1;
    }
    auto loc = find_repository(root);
    if (!loc) return 1;
    Journal journal(loc->gitdir);

    std::printf("entry size      update median/p99 ms   load median/p99 ms\n");
    for (size_t lines : {50u, 2500u, 25000u, 250000u}) {
        Snapshot s = make_snapshot(lines);
        std::vector<double> up, ld;
        int reps = lines >= 250000 ? 5 : 30;
        for (int r = 0; r < reps; ++r) {
            auto t = Clock::now();
            auto res = journal.update("size.txt", [&](std::optional<JournalEntry> cur) {
                JournalEntry e = cur ? std::move(*cur) : JournalEntry{};
                e.snapshot = s;
                e.writer = "bench";
                return std::optional<JournalEntry>(std::move(e));
            });
            up.push_back(ms_since(t));
            if (!res) {
                std::printf("%zu lines: %s\n", lines, res.error().message.c_str());
                break;
            }
            t = Clock::now();
            auto got = journal.load("size.txt");
            ld.push_back(ms_since(t));
        }
        Stats u = stats(up), l = stats(ld);
        std::printf("%7zu lines %6.1f MB   %8.2f / %-8.2f       %8.2f / %-8.2f\n", lines,
                    static_cast<double>(s.text.size()) / 1e6, u.median, u.p99, l.median, l.p99);
    }
    (void)journal.remove("size.txt");

    Snapshot small = make_snapshot(60);
    auto t = Clock::now();
    for (size_t i = 0; i < entries; ++i) {
        std::string path =
            "src/dir" + std::to_string(i % 50) + "/file" + std::to_string(i) + ".cpp";
        auto res = journal.update(path, [&](auto) {
            JournalEntry e;
            e.snapshot = small;
            return std::optional<JournalEntry>(std::move(e));
        });
        if (!res) {
            std::printf("adding %s: %s\n", path.c_str(), res.error().message.c_str());
            return 1;
        }
    }
    double add_ms = ms_since(t);
    std::printf("\nadding %zu new entries of %zu bytes: %.2f ms each\n", entries, small.text.size(),
                add_ms / static_cast<double>(entries));
    t = Clock::now();
    auto listed = journal.list();
    std::printf("list() of %zu entries: %.1f ms\n", listed ? listed->size() : 0, ms_since(t));
    t = Clock::now();
    size_t loaded = 0;
    for (const auto& p : *listed)
        loaded += journal.load(p).ok();
    std::printf("load() of all %zu entries: %.1f ms\n", loaded, ms_since(t));
    t = Clock::now();
    int rc = run(std::string("'") + PROVENANT_BINARY + "' status --json -C '" + root.string() +
                 "' > /dev/null");
    std::printf(
        "provenant status --json over %zu entries (all deleted on disk): %.1f ms (exit %d)\n",
        entries, ms_since(t), rc);
    std::error_code ec;
    fs::remove_all(root, ec);
    return 0;
}
