// UTF-8 decoding shared by the core: one definition of a "character" for every count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace provenant::utf8 {

/// A continuation byte (10xxxxxx).
inline bool is_cont(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

/// ASCII whitespace as the classifier sees it: space, tab, \r, \n, \v, \f.
inline bool is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/// Length of the character starting at `p` (at most `n` bytes available): the length of a
/// well-formed UTF-8 sequence, else 1 (each invalid byte is one character, consistently,
/// so counts never depend on where the text is cut at a character boundary).
inline size_t token_length(const unsigned char* p, size_t n) {
    const unsigned char c = p[0];
    if (c < 0x80) return 1;
    if (c < 0xC2 || c > 0xF4) return 1;
    if (c < 0xE0) return n >= 2 && is_cont(p[1]) ? 2 : 1;
    if (c < 0xF0) {
        if (n < 3 || !is_cont(p[2])) return 1;
        const unsigned char d = p[1];
        const bool ok = c == 0xE0   ? (d >= 0xA0 && d <= 0xBF)
                        : c == 0xED ? (d >= 0x80 && d <= 0x9F)
                                    : is_cont(d);
        return ok ? 3 : 1;
    }
    if (n < 4 || !is_cont(p[2]) || !is_cont(p[3])) return 1;
    const unsigned char d = p[1];
    const bool ok = c == 0xF0   ? (d >= 0x90 && d <= 0xBF)
                    : c == 0xF4 ? (d >= 0x80 && d <= 0x8F)
                                : is_cont(d);
    return ok ? 4 : 1;
}

inline size_t token_length(std::string_view s, size_t pos) {
    return token_length(reinterpret_cast<const unsigned char*>(s.data()) + pos, s.size() - pos);
}

/// UTF-16 code units of a character of `len` bytes (as returned by token_length).
inline uint32_t utf16_units(size_t len) {
    return len == 4 ? 2 : 1;
}

/// Counts of a piece of text.
struct Counts {
    uint64_t cps = 0;    ///< characters (code points; invalid bytes count one each)
    uint64_t utf16 = 0;  ///< UTF-16 code units
    uint64_t breaks = 0; ///< line breaks: \n, \r\n (once), lone \r
};

/// Counts `s` on its own (a trailing \r counts as a break: callers never cut a \r\n pair).
inline Counts count(std::string_view s) {
    Counts c;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const size_t n = s.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char b = p[i];
        if (b < 0x80) {
            if (b == '\n' || (b == '\r' && (i + 1 >= n || p[i + 1] != '\n'))) ++c.breaks;
            ++c.cps;
            ++c.utf16;
            ++i;
            continue;
        }
        const size_t len = token_length(p + i, n - i);
        ++c.cps;
        c.utf16 += utf16_units(len);
        i += len;
    }
    return c;
}

/// Non-whitespace characters (as token_length cuts them) of each line of `text`, split on
/// \n; index 0 is unused, so `out[l]` is line l. A final line without \n is counted.
/// The definition every count of the note's `chars` uses (docs/note-format.md). O(n).
inline std::vector<uint64_t> visible_per_line(std::string_view text) {
    std::vector<uint64_t> out(1, 0);
    uint64_t n = 0;
    size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n') {
            out.push_back(n);
            n = 0;
            ++i;
        } else if (is_space(c)) {
            ++i;
        } else {
            ++n;
            i += token_length(text, i);
        }
    }
    if (!text.empty() && text.back() != '\n') out.push_back(n);
    return out;
}

} // namespace provenant::utf8
