// `provenant export` on a generated history: the export into PostgreSQL (time, rows per
// second) and SQLite, and the views' query times. The PostgreSQL server is the benchmark's
// own (initdb into a temp dir, unix socket only; as `nobody` when run as root).
// Usage: bench_export [commits=20000] [files=2000]
// (PROVENANT_BENCH_REPO=<dir>: an existing repository instead of a generated one, e.g. the
// report bench's, kept with PROVENANT_BENCH_KEEP; commits and files are then ignored. The bench
// writes only its store, .git/provenant/analysis.sqlite: with a store already there the first
// report is warm, so run it on a copy once to measure the walk, then again for the export.)
#include "git_bench_util.h"

#include <cinttypes>
#include <cstdio>
#include <git2.h>
#include <random>
#include <string>
#include <sys/stat.h>
#include <vector>

namespace {

void data(FILE* out, const std::string& s) {
    std::fprintf(out, "data %zu\n", s.size());
    std::fwrite(s.data(), 1, s.size(), out);
    std::fputc('\n', out);
}

std::string blob_hex(const std::string& content) {
    git_oid oid;
    git_odb_hash(&oid, content.data(), content.size(), GIT_OBJECT_BLOB);
    char buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(buf, sizeof buf, &oid);
    return buf;
}

/// `commits` commits on main, one an hour, each appending 1-8 lines to or replacing a line
/// of 1-3 of `files` files, with a note: odd commits' lines ai (two tools, two models, tokens),
/// even commits' human; authors rotate over 20 emails (for teams and groups).
void generate(const std::string& dir, int commits, int files) {
    const std::string cmd = "git -C '" + dir + "' fast-import --quiet";
    FILE* out = popen(cmd.c_str(), "w");
    if (out == nullptr) std::exit(1);
    std::mt19937 rng(7);
    std::vector<std::vector<std::string>> content(static_cast<size_t>(files));
    std::vector<std::string> notes;
    const int64_t t0 = 1735689600; // 2025-01-01
    int line_no = 0;
    for (int c = 1; c <= commits; ++c) {
        const int count = 1 + static_cast<int>(rng() % 3);
        std::vector<int> touched;
        for (int k = 0; k < count; ++k)
            touched.push_back(static_cast<int>(rng() % static_cast<unsigned>(files)));
        std::sort(touched.begin(), touched.end());
        touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
        const int64_t when = t0 + int64_t(c) * 3600;
        std::fprintf(out, "commit refs/heads/main\nmark :%d\n", c);
        std::fprintf(out, "author Dev%d <dev%d@example.com> %" PRId64 " +0000\n", c % 20, c % 20,
                     when);
        std::fprintf(out, "committer Bench <bench@example.com> %" PRId64 " +0000\n", when);
        data(out, "commit " + std::to_string(c));
        if (c > 1) std::fprintf(out, "from :%d\n", c - 1);
        const bool ai = c % 2 == 1;
        std::string note_files;
        for (int f : touched) {
            auto& lines = content[static_cast<size_t>(f)];
            std::string ranges;
            auto add = [&](size_t l) { ranges += (ranges.empty() ? "" : ",") + std::to_string(l); };
            if (lines.size() > 5 && rng() % 2 == 0) {
                const size_t at = rng() % lines.size();
                lines[at] = "line " + std::to_string(++line_no);
                add(at + 1);
            } else {
                const int n = 1 + static_cast<int>(rng() % 8);
                for (int k = 0; k < n; ++k) {
                    lines.push_back("line " + std::to_string(++line_no));
                    add(lines.size());
                }
            }
            std::string text;
            for (const auto& l : lines)
                text += l + "\n";
            const std::string path =
                "dir" + std::to_string(f % 50) + "/file" + std::to_string(f) + ".txt";
            std::fprintf(out, "M 100644 inline %s\n", path.c_str());
            data(out, text);
            if (!note_files.empty()) note_files += ",";
            note_files += "\"" + path + "\":{\"blob\":\"" + blob_hex(text) + "\",\"lines\":{\"" +
                          (ai ? "ai" : "human") + "\":\"" + ranges + "\"}" +
                          (ai ? ",\"by_origin\":{\"o1\":\"" + ranges + "\"}" : "") + "}";
        }
        const bool claude = c % 4 == 1;
        const std::string origin =
            std::string("\"o1\":{\"class\":\"ai\",\"tool\":\"") +
            (claude ? "claude-code\",\"kind\":\"agent\",\"model\":\"claude-sonnet-4-5\""
                    : "copilot\",\"kind\":\"completion\",\"model\":\"gpt-5\"") +
            ",\"session\":\"s" + std::to_string(c / 10) +
            "\",\"tokens\":{\"input\":1000,\"output\":200}}";
        notes.push_back("{\"schema\":\"provenant/1\",\"commit\":\"" + std::string(40, '0') +
                        "\",\"files\":{" + note_files + "},\"origins\":{" + (ai ? origin : "") +
                        "}}\n");
    }
    std::fprintf(
        out, "commit refs/notes/provenant\ncommitter Bench <bench@example.com> %" PRId64 " +0000\n",
        t0 + int64_t(commits + 1) * 3600);
    data(out, "notes");
    for (int c = 1; c <= commits; ++c) {
        std::fprintf(out, "N inline :%d\n", c);
        data(out, notes[static_cast<size_t>(c - 1)]);
    }
    if (pclose(out) != 0) {
        std::fprintf(stderr, "bench: fast-import failed\n");
        std::exit(1);
    }
}

/// The first line a command prints.
std::string first_line(const std::string& cmd) {
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return {};
    char buf[4096] = {};
    std::string s = std::fgets(buf, sizeof buf, p) != nullptr ? buf : "";
    pclose(p);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s;
}

} // namespace

int main(int argc, char** argv) {
    const int commits = argc > 1 ? std::atoi(argv[1]) : 20000;
    const int files = argc > 2 ? std::atoi(argv[2]) : 2000;
    bench::isolate_git();
    git_libgit2_init();
    bench::TempDir tmp;
    const char* existing = std::getenv("PROVENANT_BENCH_REPO");
    const std::string dir =
        existing != nullptr ? std::string(existing) : (tmp.path / "repo").string();
    if (existing == nullptr) {
        bench::must({"git", "init", "-q", "-b", "main", dir}, tmp.path.string());
        auto t0 = std::chrono::steady_clock::now();
        generate(dir, commits, files);
        std::printf("repository: %d commits over %d files (generated in %.1f s)\n", commits, files,
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    } else {
        std::printf("repository: %s (%s commits)\n", dir.c_str(),
                    first_line("git -C '" + dir + "' rev-list --count --all").c_str());
    }
    // The walk is the report's (docs/benchmarks.md): done once here, so the figures below
    // are the export's own (they read the stored fates).
    const bool stored =
        std::filesystem::exists(std::filesystem::path(dir) / ".git/provenant/analysis.sqlite");
    std::printf("report (%s): %.0f ms\n",
                stored ? "a store was there: warm" : "cold walk, stores the fates",
                bench::time_ms({PROVENANT_BINARY, "report", "--format", "json"}, dir));
    std::fflush(stdout);

    const std::string bindir = first_line("pg_config --bindir");
    if (bindir.empty()) {
        std::printf("PostgreSQL not installed (pg_config): skipped\n");
        return 0;
    }
    const std::string root = tmp.path.string(), data_dir = root + "/pg", sock = root + "/sock";
    std::filesystem::create_directories(data_dir);
    std::filesystem::create_directories(sock);
    std::vector<std::string> as;
    if (geteuid() == 0) {
        chmod(root.c_str(), 0711);
        if (chown(data_dir.c_str(), 65534, 65534) != 0 || chown(sock.c_str(), 65534, 65534) != 0)
            return 1;
        as = {"runuser", "-u", "nobody", "--"};
    }
    chmod(data_dir.c_str(), 0700);
    auto with = [&](std::vector<std::string> v) {
        v.insert(v.begin(), as.begin(), as.end());
        return v;
    };
    bench::must(with({bindir + "/initdb", "-D", data_dir, "-A", "trust", "-U", "postgres", "-E",
                      "UTF8", "--locale=C", "--no-sync"}),
                root);
    bench::must(with({bindir + "/pg_ctl", "-D", data_dir, "-l", data_dir + "/log", "-w", "-o",
                      "-c listen_addresses='' -k " + sock, "start"}),
                root);
    const std::string url = "postgresql://postgres@/postgres?host=" + sock;

    for (int round = 1; round <= 2; ++round) {
        const double ms =
            bench::time_ms({PROVENANT_BINARY, "export", "--repo", "bench", "--to", url}, dir);
        const std::string rows =
            first_line(bindir + "/psql -X -A -t -h " + sock +
                       " -U postgres -c 'SELECT (SELECT COUNT(*) FROM provenant_commit_rows) + "
                       "(SELECT COUNT(*) FROM provenant_fate_rows)' postgres");
        const double n = std::atof(rows.c_str());
        std::printf("export --to postgresql (%s): %.0f ms, %s rows, %.0f rows/s\n",
                    round == 1 ? "creates the schema" : "replaces the repository's rows", ms,
                    rows.c_str(), n / (ms / 1000.0));
    }
    const std::string sqlite_file = root + "/export.sqlite";
    std::printf(
        "export --to sqlite: %.0f ms\n",
        bench::time_ms(
            {PROVENANT_BINARY, "export", "--repo", "bench", "--to", "sqlite:" + sqlite_file}, dir));
    std::printf(
        "export --format ndjson: %.0f ms\n",
        bench::time_ms({PROVENANT_BINARY, "export", "--output", root + "/rows.ndjson"}, dir));

    const char* queries[][2] = {
        {"funnel by tool", "SELECT tool, SUM(committed), SUM(merged), SUM(alive) FROM "
                           "provenant_funnel GROUP BY tool"},
        {"funnel by month", "SELECT month, SUM(committed), SUM(alive) FROM provenant_funnel "
                            "GROUP BY month"},
        {"survival by team", "SELECT team, SUM(eligible), SUM(alive) FROM provenant_survival "
                             "GROUP BY team"},
        {"rework matrix", "SELECT from_class, to_class, SUM(lines) FROM provenant_rework GROUP "
                          "BY from_class, to_class"},
        {"spend by model", "SELECT model, SUM(cost_usd) FROM provenant_spend GROUP BY model"},
    };
    // psql's own start-up and connection, measured, so the view's time is what remains.
    std::vector<double> base;
    for (int i = 0; i < 5; ++i)
        base.push_back(bench::time_ms(
            {bindir + "/psql", "-X", "-h", sock, "-U", "postgres", "-c", "SELECT 1", "postgres"},
            root));
    std::printf("psql start-up + SELECT 1: %.0f ms (median of 5)\n", bench::median(base));
    for (const auto& q : queries) {
        std::vector<double> t;
        for (int i = 0; i < 5; ++i)
            t.push_back(bench::time_ms(
                {bindir + "/psql", "-X", "-h", sock, "-U", "postgres", "-c", q[1], "postgres"},
                root));
        std::printf("view %-18s %.0f ms (median of 5, psql start-up included)\n", q[0],
                    bench::median(t));
    }
    bench::run(with({bindir + "/pg_ctl", "-D", data_dir, "-m", "immediate", "-w", "stop"}), root);
    return 0;
}
