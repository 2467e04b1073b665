// Benchmark: Document::rebase, which runs on the documents thread once per commit per open
// document (the journal's poll sees the commit's attach; session::JournalSync's Rebase). For
// documents of 1k, 10k and 100k lines with pending edits spread through the file, HEAD moves
// to a commit that took some of them: prints the median and p99 milliseconds of one rebase on
// the documents thread when it diffs itself, when the journal thread made the diff for it
// (HeadShare, the text unchanged since), and of set_base alone (HEAD did not move). Usage:
// bench_document_rebase [rounds]
#include "core/base.h"
#include "core/document.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

using namespace provenant;

namespace {

/// `lines` lines; every `every`th one (from `offset`) marked as edited by `tag`.
std::string make_text(size_t lines, size_t every, size_t offset, const char* tag) {
    std::string s;
    s.reserve(lines * 48);
    for (size_t i = 0; i < lines; ++i) {
        s += "    int value_" + std::to_string(i) + " = compute(" + std::to_string(i % 97) +
             ", other);";
        if (every && i % every == offset) s += tag;
        s += '\n';
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
    const size_t rounds = argc > 1 ? std::stoul(argv[1]) : 40;
    std::printf("%-9s %11s %14s %8s %14s %8s %12s %8s %12s\n", "lines", "doc bytes", "self-diff ms",
                "p99", "shared ms", "p99", "set_base ms", "p99", "share made ms");
    for (const size_t lines : {size_t{1000}, size_t{10000}, size_t{100000}}) {
        // The document: HEAD's text with one line in 20 edited (pending). Two HEADs take turns:
        // a commit that took half of those edits, and one that took the other half, so every
        // rebase moves HEAD and diffs the whole text against it.
        const std::string text = make_text(lines, 20, 0, " // edited");
        const std::array<std::shared_ptr<const Snapshot>, 2> heads = {
            std::make_shared<const Snapshot>(Snapshot::uniform(
                make_text(lines, 40, 0, " // edited"), OriginRecord{}, Evidence::None, false)),
            std::make_shared<const Snapshot>(Snapshot::uniform(
                make_text(lines, 40, 20, " // edited"), OriginRecord{}, Evidence::None, false))};
        Document doc(text, 1, PositionEncoding::Utf16);
        doc.set_base(heads[1]);
        // What the journal thread computes once per HEAD (JournalSync's poll).
        std::vector<double> share_ms;
        std::array<HeadShare, 2> shares;
        for (size_t k = 0; k < 2; ++k) {
            const auto t0 = std::chrono::steady_clock::now();
            shares[k] = HeadShare{text, shared_with_head(text, heads[k]->text)};
            share_ms.push_back(ms_since(t0));
        }
        std::vector<double> rebase_ms, shared_ms, base_ms;
        for (size_t r = 0; r < rounds; ++r) {
            auto t0 = std::chrono::steady_clock::now();
            doc.rebase(heads[r % 2]);
            rebase_ms.push_back(ms_since(t0));
            t0 = std::chrono::steady_clock::now();
            doc.set_base(heads[r % 2]); // HEAD did not move: no diff
            base_ms.push_back(ms_since(t0));
            doc.set_base(heads[(r + 1) % 2]);
            t0 = std::chrono::steady_clock::now();
            doc.rebase(heads[r % 2], &shares[r % 2]);
            shared_ms.push_back(ms_since(t0));
        }
        std::printf("%-9zu %11zu %14.2f %8.2f %14.2f %8.2f %12.2f %8.2f %12.2f\n", lines,
                    text.size(), pct(rebase_ms, 0.5), pct(rebase_ms, 0.99), pct(shared_ms, 0.5),
                    pct(shared_ms, 0.99), pct(base_ms, 0.5), pct(base_ms, 0.99),
                    pct(share_ms, 0.5));
    }
    std::printf("(%zu rebases per size, HEAD moving every time; one line in 20 pending, half of "
                "them committed by each HEAD)\n",
                rounds);
    return 0;
}
