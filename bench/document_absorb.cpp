// Benchmark: Document::absorb, the merge by content of the journal's evidence into an open
// document, on the documents thread (session::JournalSync hands it the stored entry after a
// write that merged something in, and after a poll found another writer: an agent's hook). For
// documents of 1k, 10k and 100k lines: the median and p99 milliseconds of one absorb that
// brings an agent's record for one line in 50, of one that brings nothing new (the evidence the
// document holds already), of a keystroke (apply_change of one character, the O(log n) path),
// and of the text copy a look for a reload makes (Document::text, session/reloads.cpp).
// Usage: bench_document_absorb [rounds]
#include "core/document.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace provenant;

namespace {

const OriginRecord kAgent{OriginClass::Ai, "claude-code", "agent", "claude-sonnet-4-5", "s", ""};

std::string make_text(size_t lines) {
    std::string s;
    s.reserve(lines * 48);
    for (size_t i = 0; i < lines; ++i)
        s += "    int value_" + std::to_string(i) + " = compute(" + std::to_string(i % 97) +
             ", other);\n";
    return s;
}

/// `text` with the agent's record on one line in 50 (what a hook wrote), the rest unknown.
Snapshot agent_evidence(const std::string& text, uint32_t seen) {
    Snapshot s;
    s.text = text;
    const uint32_t ai = s.origins.intern(kAgent);
    size_t line = 0;
    for (size_t a = 0; a < text.size(); ++line) {
        const size_t b = text.find('\n', a) + 1;
        if (line % 50 == 7)
            s.push_run(static_cast<uint32_t>(b - a), Attr{ai, Evidence::Recorded, true, seen});
        else
            s.push_run(static_cast<uint32_t>(b - a), Attr{});
        a = b;
    }
    return s;
}

double pct(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<size_t>(static_cast<double>(v.size() - 1) * p)];
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main(int argc, char** argv) {
    const size_t rounds = argc > 1 ? std::stoul(argv[1]) : 20;
    std::printf("%-9s %11s %12s %8s %12s %8s %14s %8s %10s\n", "lines", "doc bytes", "new ms",
                "p99", "nothing ms", "p99", "keystroke ms", "p99", "text() ms");
    for (const size_t lines : {size_t{1000}, size_t{10000}, size_t{100000}}) {
        const std::string text = make_text(lines);
        const Snapshot evidence = agent_evidence(text, 1'800'000'000);
        std::vector<double> new_ms, same_ms, key_ms, copy_ms;
        for (size_t r = 0; r < rounds; ++r) {
            Document doc(text, 1, PositionEncoding::Utf16);
            auto t0 = std::chrono::steady_clock::now();
            const bool changed = doc.absorb(evidence);
            new_ms.push_back(ms_since(t0));
            t0 = std::chrono::steady_clock::now();
            const bool again = doc.absorb(evidence);
            same_ms.push_back(ms_since(t0));
            if (!changed || again) std::fprintf(stderr, "unexpected absorb result\n");
            // Keystrokes in the middle of the file.
            const Position at{static_cast<uint32_t>(lines / 2), 4};
            for (int k = 0; k < 50; ++k) {
                t0 = std::chrono::steady_clock::now();
                Position p = at;
                p.character += static_cast<uint32_t>(k);
                (void)doc.apply_change(2 + k, TextRange{p, p}, "x");
                key_ms.push_back(ms_since(t0));
            }
            t0 = std::chrono::steady_clock::now();
            const std::string copy = doc.text();
            copy_ms.push_back(ms_since(t0));
            if (copy.size() != text.size() + 50) std::fprintf(stderr, "unexpected size\n");
        }
        std::printf("%-9zu %11zu %12.2f %8.2f %12.2f %8.2f %14.4f %8.4f %10.2f\n", lines,
                    text.size(), pct(new_ms, 0.5), pct(new_ms, 0.99), pct(same_ms, 0.5),
                    pct(same_ms, 0.99), pct(key_ms, 0.5), pct(key_ms, 0.99), pct(copy_ms, 0.5));
    }
    std::printf("(%zu documents per size; evidence: an agent's record on one line in 50)\n",
                rounds);
    return 0;
}
