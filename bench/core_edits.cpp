// Benchmark: single-character edits at random positions into documents of 1k, 100k and 1M
// lines (the core alone: position conversion, edit, origin update). Prints median and p99
// nanoseconds per edit and memory per document byte. Usage: bench_core_edits [edits]
#include "core/document.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

using namespace provenant;

namespace {

/// Resident set size of this process in bytes (Linux), 0 if unknown.
size_t rss_bytes() {
    std::ifstream f("/proc/self/statm");
    size_t pages = 0, resident = 0;
    f >> pages >> resident;
    return resident * 4096;
}

std::string make_text(size_t lines) {
    std::string s;
    s.reserve(lines * 44);
    for (size_t i = 0; i < lines; ++i)
        s += "    int value_" + std::to_string(i) + " = compute(" + std::to_string(i % 97) +
             ", other);\n";
    return s;
}

struct Subject {
    size_t lines = 0, bytes = 0, rss = 0;
    std::unique_ptr<Document> doc;
    std::mt19937_64 rng;
    int64_t version = 1;
    std::vector<double> edit_ns, conv_ns, burst_ns;
};

double pct(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(static_cast<double>(v.size() - 1) * p)];
}

} // namespace

int main(int argc, char** argv) {
    const size_t edits = argc > 1 ? std::stoul(argv[1]) : 30000;
    std::vector<Subject> subjects;
    for (size_t lines : {size_t{1000}, size_t{100000}, size_t{1000000}}) {
        Subject s;
        s.lines = lines;
        s.rng.seed(lines);
        const size_t rss0 = rss_bytes();
        {
            const std::string text = make_text(lines);
            s.bytes = text.size();
            s.doc = std::make_unique<Document>(text, 1, PositionEncoding::Utf16);
        }
        s.rss = rss_bytes() - std::min(rss0, rss_bytes());
        subjects.push_back(std::move(s));
    }
    // Round-robin in small rounds so that load from other processes hits every size alike.
    const size_t round = 500;
    for (size_t done = 0; done < edits; done += round) {
        for (Subject& s : subjects) {
            for (size_t i = 0; i < round; ++i) {
                const Position p{static_cast<uint32_t>(s.rng() % s.lines),
                                 static_cast<uint32_t>(s.rng() % 20)};
                const auto t0 = std::chrono::steady_clock::now();
                const Status st = s.doc->apply_change(++s.version, TextRange{p, p}, "x");
                const auto t1 = std::chrono::steady_clock::now();
                const Result<size_t> off = s.doc->offset_of(p);
                const auto t2 = std::chrono::steady_clock::now();
                if (!st || !off) {
                    std::fprintf(stderr, "edit failed\n");
                    return 1;
                }
                s.edit_ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
                s.conv_ns.push_back(std::chrono::duration<double, std::nano>(t2 - t1).count());
            }
            // Typing: a burst of 20 characters at one random place (the realistic pattern).
            for (size_t b = 0; b < round / 20; ++b) {
                Position p{static_cast<uint32_t>(s.rng() % s.lines), 4};
                for (int k = 0; k < 20; ++k, ++p.character) {
                    const auto t0 = std::chrono::steady_clock::now();
                    const Status st = s.doc->apply_change(++s.version, TextRange{p, p}, "y");
                    const auto t1 = std::chrono::steady_clock::now();
                    if (!st) {
                        std::fprintf(stderr, "edit failed\n");
                        return 1;
                    }
                    s.burst_ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
                }
            }
        }
    }
    std::printf("%-9s %11s %10s %10s %13s %13s %15s %14s\n", "lines", "doc bytes", "median ns",
                "p99 ns", "offset_of ns", "typing med ns", "mem B/doc byte", "RSS B/doc byte");
    for (const Subject& s : subjects)
        std::printf("%-9zu %11zu %10.0f %10.0f %13.0f %13.0f %15.2f %14.2f\n", s.lines, s.bytes,
                    pct(s.edit_ns, 0.5), pct(s.edit_ns, 0.99), pct(s.conv_ns, 0.5),
                    pct(s.burst_ns, 0.5),
                    static_cast<double>(s.doc->memory_bytes()) / static_cast<double>(s.bytes),
                    static_cast<double>(s.rss) / static_cast<double>(s.bytes));
    std::printf("(%zu single-character inserts at random places per document, as many again "
                "typed in bursts of 20; mem after the edits, RSS after opening)\n",
                edits);
    return 0;
}
