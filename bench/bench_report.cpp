// `provenant report` on a generated history (git fast-import, a note on every commit written
// directly), side by side with git's own walks over the same commits:
//   cold report vs `git log --numstat`, warm report, report after one new commit,
//   the report's "alive" (all of HEAD) vs `git blame` of every file at HEAD,
//   peak memory of the cold run, the store's size.
// Usage: bench_report [commits=10000] [files=2000] [blame_files=all] [rounds=3]
// (PROVENANT_BENCH_KEEP=<dir>: the repository is generated there, or reused from there)
#include "git_bench_util.h"

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <git2.h>
#include <iterator>
#include <random>
#include <spawn.h>
#include <string>
#include <vector>

namespace {

/// CPU time (user + system) of the last `timed` run, in ms: on a shared machine the wall
/// time says how many others were running, the CPU time what the run itself cost.
double g_cpu_ms = 0;

/// Runs argv in cwd (output to /dev/null); returns wall ms and sets `maxrss_kb` and g_cpu_ms.
double timed(const std::vector<std::string>& argv, const std::string& cwd,
             long* maxrss_kb = nullptr) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 0x1, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 0x1, 0);
    posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    auto t0 = std::chrono::steady_clock::now();
    pid_t pid = 0;
    if (posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ) != 0) std::exit(127);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    rusage ru{};
    wait4(pid, &status, 0, &ru);
    auto t1 = std::chrono::steady_clock::now();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "bench: %s %s failed\n", argv[0].c_str(),
                     argv.size() > 1 ? argv[1].c_str() : "");
        std::exit(1);
    }
    if (maxrss_kb != nullptr) *maxrss_kb = ru.ru_maxrss;
    g_cpu_ms = double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
               double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
    return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

std::string blob_hex(const std::string& content) {
    git_oid oid;
    git_odb_hash(&oid, content.data(), content.size(), GIT_OBJECT_BLOB);
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, &oid);
    return buf;
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines)
        s += l + "\n";
    return s;
}

void data(FILE* out, const std::string& s) {
    std::fprintf(out, "data %zu\n", s.size());
    std::fwrite(s.data(), 1, s.size(), out);
    std::fputc('\n', out);
}

/// Generates `commits` commits over `files` files on main, each touching 1-3 files (a line
/// replaced, or lines appended), every one with a provenant note (odd commits' lines ai with
/// an origin and tokens, even commits' human), one commit an hour.
void generate(const std::string& dir, int commits, int files) {
    std::string cmd = "git -C '" + dir + "' fast-import --quiet";
    FILE* out = popen(cmd.c_str(), "w");
    if (out == nullptr) std::exit(1);
    std::mt19937 rng(42);
    std::vector<std::vector<std::string>> content(static_cast<size_t>(files));
    std::vector<std::string> marks_notes;
    const int64_t t0 = 1735689600; // 2025-01-01
    int line_no = 0;
    for (int c = 1; c <= commits; ++c) {
        std::vector<int> touched;
        const int count = c == 1 ? std::min(files, 50) : 1 + static_cast<int>(rng() % 3);
        for (int k = 0; k < count; ++k)
            touched.push_back(c == 1 ? k : static_cast<int>(rng() % static_cast<unsigned>(files)));
        std::sort(touched.begin(), touched.end());
        touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
        std::string note_files;
        std::fprintf(out, "commit refs/heads/main\nmark :%d\n", c);
        std::fprintf(out, "committer Bench <bench@example.com> %" PRId64 " +0000\n",
                     t0 + int64_t(c) * 3600);
        data(out, "commit " + std::to_string(c));
        if (c > 1) std::fprintf(out, "from :%d\n", c - 1);
        for (int f : touched) {
            auto& lines = content[static_cast<size_t>(f)];
            std::vector<uint32_t> added;
            if (lines.size() > 5 && rng() % 2 == 0) {
                size_t at = rng() % lines.size();
                lines[at] = "line " + std::to_string(++line_no) + " of commit " + std::to_string(c);
                added.push_back(static_cast<uint32_t>(at + 1));
            } else {
                const int n = 1 + static_cast<int>(rng() % 8);
                for (int k = 0; k < n; ++k) {
                    lines.push_back("line " + std::to_string(++line_no) + " of commit " +
                                    std::to_string(c));
                    added.push_back(static_cast<uint32_t>(lines.size()));
                }
            }
            const std::string text = join_lines(lines);
            const std::string path =
                "dir" + std::to_string(f % 100) + "/file" + std::to_string(f) + ".txt";
            std::fprintf(out, "M 100644 inline %s\n", path.c_str());
            data(out, text);
            std::string ranges;
            for (uint32_t l : added)
                ranges += (ranges.empty() ? "" : ",") + std::to_string(l);
            const bool ai = c % 2 == 1;
            if (!note_files.empty()) note_files += ",";
            note_files += "\"" + path + "\":{\"blob\":\"" + blob_hex(text) + "\",\"lines\":{\"" +
                          (ai ? "ai" : "human") + "\":\"" + ranges + "\"}" +
                          (ai ? ",\"by_origin\":{\"o1\":\"" + ranges + "\"}" : "") + "}";
        }
        const bool ai = c % 2 == 1;
        std::string note =
            "{\"schema\":\"provenant/"
            "1\",\"commit\":\"0000000000000000000000000000000000000000\",\"files\":{" +
            note_files + "},\"origins\":{" +
            (ai ? "\"o1\":{\"class\":\"ai\",\"tool\":\"claude-code\",\"kind\":\"agent\",\"model\":"
                  "\"claude-sonnet-4-5\",\"tokens\":{\"input\":1000,\"output\":200}}"
                : "") +
            "}}\n";
        marks_notes.push_back(note);
    }
    // The notes, in one notes commit.
    std::fprintf(
        out, "commit refs/notes/provenant\ncommitter Bench <bench@example.com> %" PRId64 " +0000\n",
        t0 + int64_t(commits + 1) * 3600);
    data(out, "notes");
    for (int c = 1; c <= commits; ++c) {
        std::fprintf(out, "N inline :%d\n", c);
        data(out, marks_notes[static_cast<size_t>(c - 1)]);
    }
    if (pclose(out) != 0) {
        std::fprintf(stderr, "bench: fast-import failed\n");
        std::exit(1);
    }
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

void remove_store(const std::string& dir) {
    std::error_code ec;
    std::filesystem::remove(std::filesystem::path(dir) / ".git/provenant/analysis.sqlite", ec);
}

} // namespace

int main(int argc, char** argv) {
    const int commits = argc > 1 ? std::atoi(argv[1]) : 10000;
    const int files = argc > 2 ? std::atoi(argv[2]) : 2000;
    const int blame_files = argc > 3 ? std::atoi(argv[3]) : -1;
    const int rounds = argc > 4 ? std::max(1, std::atoi(argv[4])) : 3;
    bench::isolate_git();
    git_libgit2_init();
    bench::TempDir tmp;
    // PROVENANT_BENCH_KEEP=<dir>: generate the repository there (once; an existing one is
    // reused), so a profiler can run on the same history.
    const char* keep = std::getenv("PROVENANT_BENCH_KEEP");
    const std::string dir = keep != nullptr ? std::string(keep) : (tmp.path / "repo").string();
    if (!std::filesystem::exists(std::filesystem::path(dir) / ".git")) {
        bench::must({"git", "init", "-q", "-b", "main", dir}, tmp.path.string());
        auto g0 = std::chrono::steady_clock::now();
        generate(dir, commits, files);
        bench::must({"git", "checkout", "-q", "main"}, dir);
        bench::must({"git", "gc", "-q"}, dir);
        std::printf("repository: %d commits over %d files (generated in %.1f s)\n", commits, files,
                    ms_since(g0) / 1000.0);
    } else {
        std::printf("repository: %s (reused)\n", dir.c_str());
    }
    std::fflush(stdout);

    // PROVENANT_BENCH_BINARY=<path>: another provenant (an older build, to compare).
    const char* other = std::getenv("PROVENANT_BENCH_BINARY");
    const std::string bin = other != nullptr ? std::string(other) : PROVENANT_BINARY;
    const std::vector<std::string> report{bin, "report", "--format", "json"};
    // Side by side in each round (the machine is shared: ratios of one round, medians over
    // rounds): git's walk over the same diffs, the cold report (no store), the warm one.
    std::vector<double> numstat, cold, warm, ratio, rss_mib, numstat_cpu, cold_cpu, warm_cpu,
        ratio_cpu;
    for (int r = 0; r < rounds; ++r) {
        long rss = 0;
        numstat.push_back(timed({"git", "log", "--numstat", "--format=%H", "main"}, dir));
        numstat_cpu.push_back(g_cpu_ms);
        remove_store(dir);
        cold.push_back(timed(report, dir, &rss));
        cold_cpu.push_back(g_cpu_ms);
        warm.push_back(timed(report, dir));
        warm_cpu.push_back(g_cpu_ms);
        ratio.push_back(cold.back() / numstat.back());
        ratio_cpu.push_back(cold_cpu.back() / numstat_cpu.back());
        rss_mib.push_back(double(rss) / 1024.0);
        std::printf("  round %d: numstat %.0f ms (cpu %.0f), cold %.0f ms (cpu %.0f; %.2fx, cpu "
                    "%.2fx), warm %.0f ms (cpu %.0f)\n",
                    r + 1, numstat.back(), numstat_cpu.back(), cold.back(), cold_cpu.back(),
                    ratio.back(), ratio_cpu.back(), warm.back(), warm_cpu.back());
        std::fflush(stdout);
    }
    std::error_code ec;
    const auto store = std::filesystem::file_size(
        std::filesystem::path(dir) / ".git/provenant/analysis.sqlite", ec);
    std::printf("cold report:          %8.0f ms  (git log --numstat: %.0f ms; median ratio "
                "%.2fx)\n",
                bench::median(cold), bench::median(numstat), bench::median(ratio));
    std::printf("  cpu:                %8.0f ms  (git log --numstat: %.0f ms; median ratio "
                "%.2fx)\n",
                bench::median(cold_cpu), bench::median(numstat_cpu), bench::median(ratio_cpu));
    std::printf("peak memory (cold):   %8.0f MiB\n", bench::median(rss_mib));
    std::printf("store size:           %8.1f MiB\n", double(store) / 1048576.0);
    std::printf("warm report:          %8.0f ms  (cpu %.0f ms)\n", bench::median(warm),
                bench::median(warm_cpu));
    // The note the commit hook would write for the appended line: the file's blob and its
    // last line, human (a note without the blob is unreadable: a gap, not this commit's note).
    auto one_more_note = [&]() {
        std::ifstream in(dir + "/dir0/file0.txt", std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        const auto last = std::count(text.begin(), text.end(), '\n');
        std::string note = R"({"schema":"provenant/1","commit":")";
        note.append(40, '0');
        note += R"(","files":{"dir0/file0.txt":{"blob":")";
        note += blob_hex(text);
        note += R"(","lines":{"human":")";
        note += std::to_string(last);
        note += R"("}}},"origins":{}})";
        return note;
    };
    // One new commit per round, without a note (the notes ref does not move), then one with
    // its note (as the commit hook writes it: the notes ref moves too).
    for (const bool with_note : {false, true}) {
        std::vector<double> after_one, after_one_cpu;
        for (int r = 0; r < rounds; ++r) {
            FILE* f = std::fopen((dir + "/dir0/file0.txt").c_str(), "a");
            std::fputs("one more line\n", f);
            std::fclose(f);
            bench::must({"git", "commit", "-q", "-am", "one more"}, dir);
            if (with_note)
                bench::must({"git", "notes", "--ref=provenant", "add", "-m", one_more_note()}, dir);
            after_one.push_back(timed(report, dir));
            after_one_cpu.push_back(g_cpu_ms);
        }
        std::printf("after one new commit%s: %8.0f ms  (cpu %.0f ms)\n",
                    with_note ? " and its note" : "", bench::median(after_one),
                    bench::median(after_one_cpu));
    }
    if (blame_files == 0) return 0; // no blame comparison asked for
    // git blame of every file at HEAD (or the first N) vs the report that computes "alive".
    // A sample (blame_files) is spread over the files and scaled to all of them.
    std::vector<std::string> all_paths, paths;
    for (int f = 0; f < files; ++f) {
        std::string p = "dir" + std::to_string(f % 100) + "/file" + std::to_string(f) + ".txt";
        if (std::filesystem::exists(std::filesystem::path(dir) / p)) all_paths.push_back(p);
    }
    const size_t want =
        blame_files >= 0 ? std::min(all_paths.size(), size_t(blame_files)) : all_paths.size();
    for (size_t k = 0; k < want; ++k)
        paths.push_back(all_paths[k * all_paths.size() / want]);
    double blame = 0;
    for (const auto& p : paths)
        blame += timed({"git", "blame", "--porcelain", p}, dir);
    if (!paths.empty() && paths.size() < all_paths.size()) {
        std::printf("git blame of a sample of %zu files: %.0f ms; scaled to all %zu files\n",
                    paths.size(), blame, all_paths.size());
        blame = blame * double(all_paths.size()) / double(paths.size());
    }
    std::vector<double> alive;
    for (int r = 0; r < rounds; ++r)
        alive.push_back(timed({bin, "report", "--format", "json", "--no-cache"}, dir));
    std::printf("git blame of %zu files: %8.0f ms; report (alive of all HEAD, no store): %.0f ms "
                "(%.1fx faster)\n",
                paths.size(), blame, bench::median(alive), blame / bench::median(alive));
    return 0;
}
