// Benchmark: the LSP edit path (framing, JSON, dispatch, edit, origin update) per keystroke,
// against JSON parsing alone, for documents of 1k, 100k and 1M lines; and memory vs text size.
//
// Everything runs in-process on one thread, fed from buffers (no pipes), so the figures are
// CPU cost. Usage: bench_lsp_edits [edits-per-size]   (default 20000)
#include "lsp/framing.h"
#include "lsp/jsonrpc.h"
#include "lsp/server.h"

#include <algorithm>
#include <asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <spdlog/spdlog.h>
#include <string>
#include <sys/resource.h>
#include <vector>

using namespace provenant;
using namespace provenant::lsp;
using Clock = std::chrono::steady_clock;

namespace {

struct Stats {
    double median_us = 0, p99_us = 0, mean_us = 0;
};

Stats stats_of(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    Stats s;
    if (v.empty()) return s;
    s.median_us = v[v.size() / 2];
    s.p99_us = v[std::min(v.size() - 1, v.size() * 99 / 100)];
    double sum = 0;
    for (double x : v)
        sum += x;
    s.mean_us = sum / static_cast<double>(v.size());
    return s;
}

long status_kb(const char* field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
    return -1;
}

// Resets the peak-RSS watermark (VmHWM), Linux >= 4.0; false when not permitted.
bool reset_peak() {
    std::ofstream out("/proc/self/clear_refs");
    out << "5";
    return static_cast<bool>(out.flush());
}

long peak_rss_kb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

// The framed didOpen of a document of `lines` lines, built without intermediate copies of the
// text (the harness should not dominate the peak RSS it reports).
std::string open_message(const std::string& uri, size_t lines, size_t* text_bytes) {
    std::string prefix = "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":"
                         "{\"textDocument\":{\"uri\":\"" +
                         uri + "\",\"languageId\":\"plaintext\",\"version\":1,\"text\":\"";
    std::string suffix = "\"}}}";
    auto line_at = [](size_t i, char* buf, size_t n) {
        return static_cast<size_t>(
            std::snprintf(buf, n, "    value_%zu = compute(value_%zu) + 1;", i, i / 2));
    };
    char buf[96];
    size_t escaped = 0, raw = 0;
    for (size_t i = 0; i < lines; ++i) {
        size_t n = line_at(i, buf, sizeof buf);
        escaped += n + 2; // "\n" escaped
        raw += n + 1;
    }
    *text_bytes = raw;
    size_t body = prefix.size() + escaped + suffix.size();
    std::string out = "Content-Length: " + std::to_string(body) + "\r\n\r\n";
    out.reserve(out.size() + body);
    out += prefix;
    for (size_t i = 0; i < lines; ++i) {
        out.append(buf, line_at(i, buf, sizeof buf));
        out += "\\n";
    }
    out += suffix;
    return out;
}

// A didChange inserting one character, as VS Code sends it.
std::string did_change(const std::string& uri, int64_t version, uint32_t line, uint32_t col,
                       char c) {
    char buf[512];
    int n = std::snprintf(
        buf, sizeof buf,
        "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":"
        "{\"uri\":\"%s\",\"version\":%lld},\"contentChanges\":[{\"range\":{\"start\":{\"line\":%u,"
        "\"character\":%u},\"end\":{\"line\":%u,\"character\":%u}},\"rangeLength\":0,\"text\":"
        "\"%c\"}]}}",
        uri.c_str(), static_cast<long long>(version), line, col, line, col, c);
    return std::string(buf, static_cast<size_t>(n));
}

// Feeds one framed message through the whole path: framing, JSON parse, dispatch, edit.
void whole_path(FrameReader& reader, Server& server, const std::string& framed) {
    reader.feed(framed);
    while (auto ev = reader.next()) {
        if (ev->kind != FrameEvent::Body) continue;
        auto msg = parse_body(ev->text, nullptr);
        ev->text = std::string(); // the transport frees the body once parsed, too
        if (msg) server.handle(*msg);
    }
}

} // namespace

int main(int argc, char** argv) {
    size_t edits = argc > 1 ? std::stoul(argv[1]) : 20000;
    spdlog::set_level(spdlog::level::warn);
    asio::io_context core; // never run: the bench has no journal and no timers fire
    size_t replies = 0;
    ServerOptions options;
    options.journal = false;
    Server server(
        core, [&](const json&) { ++replies; }, options);
    FrameReader reader;
    whole_path(
        reader, server,
        frame(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}})"));

    std::printf("LSP edit path: %zu single-character didChange per document, in-process\n", edits);
    std::printf("%10s %12s %12s %12s %12s %10s %10s\n", "lines", "whole med", "whole p99",
                "json med", "json p99", "ratio med", "open ms");
    std::mt19937 rng(7);
    size_t doc_bytes = 0;
    struct OpenPeak {
        size_t lines;
        long peak_kb, kept_kb; // above the RSS before the didOpen
        size_t text_bytes;
        double open_ms, parse_ms;
    };
    std::vector<OpenPeak> open_peaks;
    double whole_1k = 0, whole_1m = 0;
    for (size_t lines : {size_t(1000), size_t(100000), size_t(1000000)}) {
        std::string uri = "file:///bench/doc" + std::to_string(lines) + ".txt";
        size_t text_bytes = 0;
        std::string open_framed = open_message(uri, lines, &text_bytes);
        doc_bytes += text_bytes;
        long rss_before_open = status_kb("VmRSS:");
        reset_peak();
        auto t0 = Clock::now();
        reader.feed(open_framed);
        open_framed = std::string(); // as the transport's read buffer would be reused
        double open_parse_ms = 0;
        while (auto ev = reader.next()) {
            auto p0 = Clock::now();
            auto msg = parse_body(ev->text, nullptr);
            open_parse_ms += std::chrono::duration<double, std::milli>(Clock::now() - p0).count();
            ev->text = std::string();
            if (msg) server.handle(*msg);
        }
        double open_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        open_peaks.push_back({lines, status_kb("VmHWM:") - rss_before_open,
                              status_kb("VmRSS:") - rss_before_open, text_bytes, open_ms,
                              open_parse_ms});

        // Typing: bursts of 20 keystrokes at a random line, then elsewhere.
        std::vector<std::string> bodies;
        bodies.reserve(edits);
        int64_t version = 1;
        uint32_t line = 0, col = 0;
        for (size_t i = 0; i < edits; ++i) {
            if (i % 20 == 0) {
                line = static_cast<uint32_t>(rng() % lines);
                col = 4;
            }
            bodies.push_back(
                did_change(uri, ++version, line, col++, static_cast<char>('a' + i % 26)));
        }
        std::vector<std::string> framed;
        framed.reserve(edits);
        for (auto& b : bodies)
            framed.push_back(frame(b));

        std::vector<double> whole, parse;
        whole.reserve(edits);
        parse.reserve(edits);
        for (size_t i = 0; i < edits; ++i) {
            auto a = Clock::now();
            whole_path(reader, server, framed[i]);
            auto b = Clock::now();
            whole.push_back(std::chrono::duration<double, std::micro>(b - a).count());
        }
        for (size_t i = 0; i < edits; ++i) {
            auto a = Clock::now();
            auto j = parse_body(bodies[i], nullptr);
            auto b = Clock::now();
            if (!j) return 1;
            parse.push_back(std::chrono::duration<double, std::micro>(b - a).count());
        }
        Stats w = stats_of(whole), p = stats_of(parse);
        if (lines == 1000) whole_1k = w.median_us;
        if (lines == 1000000) whole_1m = w.median_us;
        std::printf("%10zu %10.2fus %10.2fus %10.2fus %10.2fus %10.2f %10.1f\n", lines, w.median_us,
                    w.p99_us, p.median_us, p.p99_us, w.median_us / p.median_us, open_ms);
        doc_bytes += edits; // each edit added one byte
    }
    if (replies != 1) std::printf("warning: %zu replies (expected 1: initialize)\n", replies);
    for (const OpenPeak& o : open_peaks)
        std::printf("didOpen of %zu lines (%.1f MB of text): %.0f ms (JSON parse %.0f ms); "
                    "peak +%.1f MB while opening (message, parse, document), +%.1f MB kept\n",
                    o.lines, static_cast<double>(o.text_bytes) / (1 << 20), o.open_ms, o.parse_ms,
                    o.peak_kb / 1024.0, o.kept_kb / 1024.0);
    long rss = status_kb("VmRSS:");
    long hwm = status_kb("VmHWM:");
    double docs_mb = static_cast<double>(doc_bytes) / (1 << 20);
    std::printf("\n1M-line / 1k-line median cost per edit: %.2fx (target <= 2x)\n",
                whole_1m / whole_1k);
    std::printf("documents' bytes: %.1f MB (3 documents open)\n", docs_mb);
    std::printf("RSS now: %.1f MB; peak RSS (getrusage): %.1f MB, VmHWM %.1f MB\n", rss / 1024.0,
                peak_rss_kb() / 1024.0, hwm / 1024.0);
    std::printf("target: RSS <= 1.5 x documents + 16 MB = %.1f MB\n", 1.5 * docs_mb + 16);
    return 0;
}
