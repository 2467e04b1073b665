// libFuzzer target: the origin structure (core/origin_text.h, the keystroke path's tree)
// against a naive model that keeps one attribution per byte. The input is a program of
// edits: each step picks an operation, an offset and a length from its next bytes, and takes
// the text it inserts from the input itself (any bytes: the tree works on bytes, invalid UTF-8
// included). After every step the two must hold the same text and the same attribution, the
// tree's cached sums must check, and line and unit conversions must agree with a count over
// the naive text.
#include "core/origin_text.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

using namespace provenant;

namespace {

/// Reads the program: bytes in order, zero once they run out.
struct Program {
    const uint8_t* data;
    size_t size;
    size_t at = 0;
    bool done() const { return at >= size; }
    uint8_t byte() { return at < size ? data[at++] : 0; }
    size_t number(size_t bound) { // uniform enough over [0, bound]
        const size_t v = static_cast<size_t>(byte()) << 8 | byte();
        return bound == 0 ? 0 : v % (bound + 1);
    }
    std::string_view text(size_t n) {
        n = std::min(n, size - std::min(at, size));
        std::string_view s(reinterpret_cast<const char*>(data) + at, n);
        at += n;
        return s;
    }
};

Attr attr_of(uint8_t b) {
    return Attr{static_cast<uint32_t>(b % 5), static_cast<Evidence>((b / 5) % 3), (b & 0x80) != 0,
                static_cast<uint32_t>((b / 15) % 2)};
}

/// One char per attr, as the unit test's model does.
char code(const Attr& a) {
    return static_cast<char>(a.origin * 12 + static_cast<unsigned>(a.evidence) * 4 +
                             (a.fresh ? 2 : 0) + (a.seen != 0 ? 1 : 0));
}

std::string expand(const std::vector<Run>& runs) {
    std::string out;
    for (const Run& r : runs)
        out.append(r.length, code(r.attr));
    return out;
}

/// Line breaks as LSP counts them: \n, \r\n once, a lone \r.
size_t breaks_before(const std::string& s, size_t end) {
    size_t n = 0;
    for (size_t i = 0; i < end; ++i)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n'))) ++n;
    return n;
}

void require(bool ok) {
    if (!ok) std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    Program p{data, size};
    OriginText t;
    std::string text, attrs;
    constexpr size_t kMaxText = 1u << 15; // a few dozen chunks: every split and merge path
    while (!p.done()) {
        const uint8_t op = p.byte();
        const size_t n = text.size();
        const size_t off = p.number(n);
        const size_t len = std::min(n - off, static_cast<size_t>(p.byte()) * (op & 0x10 ? 16 : 1));
        const Attr a = attr_of(p.byte());
        switch (op % 4) {
        case 0:
        case 1: { // replace (insert when len is 0): text from the input
            std::string_view s = p.text(p.byte() * (op & 0x20 ? 8u : 1u));
            if (n - len + s.size() > kMaxText) s = s.substr(0, kMaxText - (n - len));
            t.replace(off, len, s, a);
            text.replace(off, len, s);
            attrs.replace(off, len, s.size(), code(a));
            break;
        }
        case 2: // delete
            t.replace(off, len, {}, a);
            text.erase(off, len);
            attrs.erase(off, len);
            break;
        default: // relabel
            t.set_attr(off, len, a);
            attrs.replace(off, len, len, code(a));
            break;
        }
        require(t.size() == text.size());
        require(t.substr(0, t.size()) == text);
        require(expand(t.runs(0, t.size())) == attrs);
        require(t.check().empty());
        require(t.line_count() == breaks_before(text, text.size()) + 1);
        if (!text.empty()) {
            const size_t o = p.number(text.size() - 1);
            require(t.byte_at(o) == text[o]);
            require(t.line_of(o) == breaks_before(text, o));
            require(t.units_before(o, Units::Bytes) == o);
            require(expand(t.runs(o, std::min<size_t>(64, text.size() - o))) ==
                    attrs.substr(o, 64));
        }
    }
    return 0;
}
