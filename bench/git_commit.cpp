// Benchmark: `git commit` wall time with provenant's hooks installed against without, pair
// by pair in one run: a 10-file commit in a 10,000-file repository, and a 1,000-file commit.
#include "git_bench_util.h"

#include <fstream>

namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
}

std::string file_text(int file, int version) {
    std::string s;
    for (int l = 0; l < 40; ++l)
        s += "line " + std::to_string(l) + " of file " + std::to_string(file) + " v" +
             std::to_string(l == 7 ? version : 0) + "\n";
    return s;
}

struct Figures {
    double without = 0, with = 0, overhead = 0;
};

/// Alternates commits without hooks (an empty hooks dir) and with them; each commit changes
/// `files` files. Returns medians.
Figures measure(const fs::path& repo, const std::string& no_hooks, int files, int pairs,
                int total_files, int& version) {
    std::vector<double> without, with, diff;
    int next = 0;
    auto stage = [&] {
        ++version;
        for (int i = 0; i < files; ++i) {
            int f = (next++) % total_files;
            write(repo / ("src/d" + std::to_string(f % 100) + "/f" + std::to_string(f) + ".txt"),
                  file_text(f, version));
        }
        bench::must({"git", "add", "-A"}, repo.string());
    };
    for (int i = 0; i < pairs; ++i) {
        stage();
        double a =
            bench::time_ms({"git", "-c", "core.hooksPath=" + no_hooks, "commit", "-q", "-m", "w/o"},
                           repo.string());
        stage();
        double b = bench::time_ms({"git", "commit", "-q", "-m", "with"}, repo.string());
        without.push_back(a);
        with.push_back(b);
        diff.push_back(b - a);
    }
    return {bench::median(without), bench::median(with), bench::median(diff)};
}

} // namespace

int main(int argc, char** argv) {
    bench::isolate_git();
    const int pairs = argc > 1 ? std::atoi(argv[1]) : 30;
    const int total = 10'000;
    bench::TempDir dir;
    const fs::path repo = dir.path / "repo";
    const std::string no_hooks = (dir.path / "no-hooks").string();
    fs::create_directories(no_hooks);
    bench::must({"git", "init", "-q", "-b", "main", repo.string()}, dir.path.string());
    for (int f = 0; f < total; ++f)
        write(repo / ("src/d" + std::to_string(f % 100) + "/f" + std::to_string(f) + ".txt"),
              file_text(f, 0));
    bench::must({"git", "add", "-A"}, repo.string());
    bench::must({"git", "commit", "-q", "-m", "initial"}, repo.string());
    bench::must({PROVENANT_BINARY, "install"}, repo.string());

    int version = 0;
    // Warm up caches (the index, the object store, the page cache).
    measure(repo, no_hooks, 10, 3, total, version);
    Figures small = measure(repo, no_hooks, 10, pairs, total, version);
    Figures large = measure(repo, no_hooks, 1000, std::max(3, pairs / 6), total, version);

    auto print = [](const char* what, const Figures& f) {
        std::printf("%-40s without %8.2f ms   with %8.2f ms   added %7.2f ms (%+.1f%%)\n", what,
                    f.without, f.with, f.overhead, 100.0 * f.overhead / f.without);
    };
    std::printf(
        "git commit, hooks installed vs not (medians of pairs, %d files in the repository)\n",
        total);
    print("10-file commit", small);
    print("1,000-file commit", large);
    const bool ok = small.overhead <= 30.0 && small.overhead <= 0.05 * small.without;
    std::printf("target for the 10-file commit (<= 5%% and <= 30 ms): %s\n",
                ok ? "met" : "NOT met");
    return 0;
}
