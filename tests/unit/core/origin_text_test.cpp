// Unit tests: OriginText against a naive one-Attr-per-byte model over many random edits.
#include "core/origin_text.h"
#include "core/utf8.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <doctest/doctest.h>
#include <random>
#include <string>
#include <vector>

using namespace provenant;

namespace {

/// One byte per attr, so the naive model edits with memmove even in a Debug build.
char code(Attr a) {
    return static_cast<char>(a.origin * 6 + static_cast<unsigned>(a.evidence) * 2 +
                             (a.fresh ? 1 : 0));
}

/// The naive model: the text and one attr (as its code) per byte.
struct Naive {
    std::string text;
    std::string attrs;

    void replace(size_t off, size_t len, const std::string& s, Attr a) {
        text.replace(off, len, s);
        attrs.replace(off, len, s.size(), code(a));
    }
};

std::string expand(const std::vector<Run>& runs) {
    std::string out;
    for (const Run& r : runs)
        out.append(r.length, code(r.attr));
    return out;
}

/// Pieces that stress counting: multi-byte characters, surrogate pairs, line breaks.
const std::vector<std::string> kPieces = {"a",
                                          "b",
                                          "x",
                                          " ",
                                          "\t",
                                          "\n",
                                          "\r\n",
                                          "\r",
                                          "é",
                                          "ß",
                                          "中",
                                          "文",
                                          "😀",
                                          "🎉",
                                          "𝄞",
                                          "int x = 1;",
                                          "\r\r\n\n",
                                          "€",
                                          "\xE4",
                                          "\xB8",
                                          "\xAD",
                                          "\xF0\x9F",
                                          "\x80\x80\x80\x80"};

std::string random_text(std::mt19937_64& rng, size_t pieces) {
    std::string s;
    std::uniform_int_distribution<size_t> pick(0, kPieces.size() - 1);
    for (size_t i = 0; i < pieces; ++i)
        s += kPieces[pick(rng)];
    return s;
}

struct Token {
    size_t offset, len;
    uint64_t u16, u32; // units before the token
};

/// Records the first failed expectation (one doctest assertion per step keeps a sanitizer
/// build of 100,000 steps fast).
#define EXPECT(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) return "line " + std::to_string(__LINE__) + ": " #cond;                       \
    } while (0)

/// Checks line/unit conversions at sampled positions against the naive text; returns the
/// first mismatch, or empty.
std::string check_conversions(const OriginText& t, const std::string& s, std::mt19937_64& rng) {
    // One pass over the naive text (no allocation: this runs 100,000 times under ASan):
    // break ends, and the units before four sampled character boundaries.
    static std::vector<size_t> break_ends;
    break_ends.clear();
    std::array<size_t, 2> want{};
    for (size_t& w : want)
        w = std::uniform_int_distribution<size_t>(0, s.size())(rng);
    std::sort(want.begin(), want.end());
    std::array<Token, 2> sample{};
    size_t next = 0;
    uint64_t u16 = 0, u32 = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    for (size_t i = 0;;) {
        while (next < want.size() && want[next] <= i) // the first boundary at or after want
            sample[next++] =
                Token{i, i < s.size() ? utf8::token_length(p + i, s.size() - i) : 0, u16, u32};
        if (i >= s.size()) break;
        const size_t len = utf8::token_length(p + i, s.size() - i);
        if (p[i] == '\n' || (p[i] == '\r' && (i + 1 >= s.size() || p[i + 1] != '\n')))
            break_ends.push_back(i + 1);
        u16 += utf8::utf16_units(len);
        u32 += 1;
        i += len;
    }
    EXPECT(t.line_count() == break_ends.size() + 1);
    for (const Token& tk : sample) {
        const size_t off = tk.offset;
        EXPECT(t.units_before(off, Units::Utf16) == tk.u16);
        EXPECT(t.units_before(off, Units::CodePoints) == tk.u32);
        EXPECT(t.units_before(off, Units::Bytes) == off);
        EXPECT(t.offset_at_units(tk.u16, Units::Utf16) == std::optional<size_t>(off));
        EXPECT(t.offset_at_units(tk.u32, Units::CodePoints) == std::optional<size_t>(off));
        EXPECT(t.offset_at_units(off, Units::Bytes) == std::optional<size_t>(off));
        if (tk.len == 4) EXPECT(!t.offset_at_units(tk.u16 + 1, Units::Utf16).has_value());
        if (tk.len > 1) EXPECT(!t.offset_at_units(off + 1, Units::Bytes).has_value());
        const size_t line = static_cast<size_t>(
            std::upper_bound(break_ends.begin(), break_ends.end(), off) - break_ends.begin());
        EXPECT(t.line_of(off) == line);
    }
    EXPECT(!t.offset_at_units(t.total_units(Units::Utf16) + 1, Units::Utf16).has_value());
    // locate (the keystroke path) against a walk of the naive text, in every encoding.
    std::uniform_int_distribution<size_t> any_line_or_past(0, break_ends.size() + 1);
    for (int k = 0; k < 1; ++k) {
        const size_t line = any_line_or_past(rng);
        for (Units u : {Units::Bytes, Units::Utf16, Units::CodePoints}) {
            size_t off = 0;
            if (line > break_ends.size()) {
                EXPECT(t.locate(line, 0, u, off) == OriginText::Locate::LinePastEnd);
                continue;
            }
            const size_t start = line == 0 ? 0 : break_ends[line - 1];
            size_t end = start;
            while (end < s.size() && s[end] != '\n' && s[end] != '\r')
                ++end;
            // Units of the line, then a target inside, at the end, or past it.
            std::vector<std::pair<uint64_t, size_t>> stops{{0, start}}; // units -> offset
            std::vector<uint64_t> inside;
            for (size_t i = start; i < end;) {
                const size_t len = std::min(utf8::token_length(s, i), end - i);
                const uint64_t w = u == Units::Bytes   ? len
                                   : u == Units::Utf16 ? utf8::utf16_units(len)
                                                       : 1;
                for (uint64_t q = 1; q < w; ++q)
                    inside.push_back(stops.back().first + q);
                i += len;
                stops.emplace_back(stops.back().first + w, i);
            }
            const auto& pick =
                stops[std::uniform_int_distribution<size_t>(0, stops.size() - 1)(rng)];
            EXPECT(t.locate(line, pick.first, u, off) == OriginText::Locate::Ok);
            EXPECT(off == pick.second);
            EXPECT(t.locate(line, stops.back().first + 1, u, off) ==
                   OriginText::Locate::PastLineEnd);
            if (!inside.empty())
                EXPECT(t.locate(line, inside[inside.size() / 2], u, off) ==
                       OriginText::Locate::InsideCharacter);
        }
    }
    std::uniform_int_distribution<size_t> any_line(0, break_ends.size());
    for (int k = 0; k < 2; ++k) {
        const size_t line = any_line(rng);
        const size_t start = line == 0 ? 0 : break_ends[line - 1];
        EXPECT(t.line_start(line) == start);
        size_t end = line < break_ends.size() ? break_ends[line] - 1 : s.size();
        if (line < break_ends.size() && s[end] == '\n' && end > 0 && s[end - 1] == '\r') --end;
        EXPECT(t.line_content_end(line) == end);
    }
    return {};
}

size_t fuzz_edits() {
    if (const char* e = std::getenv("PROVENANT_FUZZ_EDITS")) return std::strtoull(e, nullptr, 10);
    return 100000;
}

} // namespace

TEST_CASE("origin text matches a naive per-byte model over random edits") {
    std::mt19937_64 rng(20240611);
    Naive naive;
    OriginText t;
    const size_t edits = fuzz_edits();
    std::uniform_int_distribution<int> pct(0, 99);
    for (size_t step = 0; step < edits; ++step) {
        const size_t n = naive.text.size();
        // Mostly character boundaries, sometimes any byte (the tree works on bytes).
        auto offset = [&]() -> size_t {
            size_t o = std::uniform_int_distribution<size_t>(0, n)(rng);
            if (pct(rng) < 80)
                while (o > 0 && o < n && utf8::is_cont(static_cast<unsigned char>(naive.text[o])))
                    --o;
            return o;
        };
        const Attr attr{static_cast<uint32_t>(pct(rng) % 5), static_cast<Evidence>(pct(rng) % 3),
                        pct(rng) % 2 == 0};
        const int kind = pct(rng);
        // Keep the document between empty and ~6 KB, so edits cross chunk boundaries.
        const bool grow = n < 6000;
        if (kind < 40 && grow) {
            const size_t pieces =
                pct(rng) < 97 ? 1 + pct(rng) % 4 : 50 + static_cast<size_t>(pct(rng)) * 20;
            const std::string s = random_text(rng, pieces);
            const size_t o = offset();
            naive.replace(o, 0, s, attr);
            t.replace(o, 0, s, attr);
        } else if (kind < 70 || (kind < 40 && !grow)) {
            const size_t o = offset();
            const size_t len = std::min(n - o, pct(rng) < 95 ? static_cast<size_t>(pct(rng) % 6)
                                                             : static_cast<size_t>(pct(rng)) * 40);
            naive.replace(o, len, "", attr);
            t.replace(o, len, "", attr);
        } else if (kind < 90) {
            const size_t o = offset();
            const size_t len = std::min(n - o, static_cast<size_t>(pct(rng) % 8));
            const std::string s = random_text(rng, 1 + pct(rng) % 3);
            naive.replace(o, len, s, attr);
            t.replace(o, len, s, attr);
        } else {
            const size_t o = offset();
            const size_t len = std::min(n - o, static_cast<size_t>(pct(rng)) * 3);
            naive.attrs.replace(o, len, len, code(attr));
            t.set_attr(o, len, attr);
        }
        REQUIRE(t.size() == naive.text.size());
        if (step % 16 == 0 || edits <= 20000) {
            REQUIRE(t.substr(0, t.size()) == naive.text);
            REQUIRE(expand(t.runs(0, t.size())) == naive.attrs);
        }
        if (!naive.text.empty()) {
            const size_t o = std::uniform_int_distribution<size_t>(0, naive.text.size() - 1)(rng);
            const size_t len = std::min<size_t>(naive.text.size() - o, 300);
            const bool same = t.substr(o, len) == naive.text.substr(o, len) &&
                              expand(t.runs(o, len)) == naive.attrs.substr(o, len) &&
                              t.byte_at(o) == naive.text[o];
            REQUIRE_MESSAGE(same, "step " << step << ": substring or runs at " << o);
        }
        const std::string wrong = check_conversions(t, naive.text, rng);
        REQUIRE_MESSAGE(wrong.empty(), "step " << step << ": " << wrong);
        if (step % 1000 == 0) {
            const std::string problem = t.check();
            REQUIRE_MESSAGE(problem.empty(), "step " << step << ": " << problem);
        }
    }
    CHECK(t.check().empty());
}

TEST_CASE("origin text builds large texts into balanced chunks") {
    std::string big;
    for (int i = 0; i < 20000; ++i)
        big += "line " + std::to_string(i) + " 😀 中文\r\n";
    OriginText t(big, Attr{1, Evidence::Inferred, true});
    CHECK(t.check().empty());
    CHECK(t.size() == big.size());
    CHECK(t.line_count() == 20001);
    CHECK(t.line_start(12345) == big.find("line 12345 "));
    CHECK(t.line_content_end(0) == big.find('\r'));
    // Insert in the middle of a \r\n pair, then delete it again.
    const size_t cr = big.find('\r');
    t.replace(cr + 1, 0, "x", Attr{});
    CHECK(t.line_count() == 20002);
    t.replace(cr + 1, 1, "", Attr{});
    CHECK(t.line_count() == 20001);
    CHECK(t.check().empty());
    CHECK(t.substr(0, t.size()) == big);
    CHECK(t.memory_bytes() < big.size() * 3 / 2);
}

TEST_CASE("positions on a line longer than many chunks") {
    std::string line;
    for (int i = 0; i < 5000; ++i)
        line += "ab😀中";
    const std::string text = "first\n" + line + "\r\nlast";
    OriginText t(text, Attr{});
    REQUIRE(t.check().empty());
    for (uint64_t k : {uint64_t{0}, uint64_t{1}, uint64_t{4999}, uint64_t{2500}}) {
        size_t off = 0;
        // Each group is 4 code points, 5 UTF-16 units, 2 + 4 + 3 = 9 bytes.
        REQUIRE(t.locate(1, k * 5, Units::Utf16, off) == OriginText::Locate::Ok);
        CHECK(off == 6 + k * 9);
        REQUIRE(t.locate(1, k * 4 + 3, Units::CodePoints, off) == OriginText::Locate::Ok);
        CHECK(off == 6 + k * 9 + 6);
        CHECK(t.locate(1, k * 5 + 3, Units::Utf16, off) == OriginText::Locate::InsideCharacter);
        CHECK(t.locate(1, k * 9 + 3, Units::Bytes, off) == OriginText::Locate::InsideCharacter);
    }
    size_t off = 0;
    CHECK(t.locate(1, 25000, Units::Utf16, off) == OriginText::Locate::Ok);
    CHECK(off == 6 + line.size());
    CHECK(t.locate(1, 25001, Units::Utf16, off) == OriginText::Locate::PastLineEnd);
    CHECK(t.locate(2, 4, Units::Utf16, off) == OriginText::Locate::Ok);
    CHECK(off == text.size());
    CHECK(t.locate(3, 0, Units::Utf16, off) == OriginText::Locate::LinePastEnd);
}
