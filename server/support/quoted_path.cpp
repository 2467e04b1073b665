// Git's path quoting: bytes <-> a JSON-safe string, losslessly.
#include "support/quoted_path.h"

#include <cstdint>

namespace provenant {

bool valid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80                 ? 1
                   : c >= 0xc2 && c <= 0xdf ? 2
                   : c >= 0xe0 && c <= 0xef ? 3
                   : c >= 0xf0 && c <= 0xf4 ? 4
                                            : 0;
        if (n == 0 || i + n > s.size()) return false;
        uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1fu) : n == 3 ? (c & 0x0fu) : (c & 0x07u);
        for (size_t k = 1; k < n; ++k) {
            auto b = static_cast<unsigned char>(s[i + k]);
            if ((b & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (b & 0x3fu);
        }
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += n;
    }
    return true;
}

std::string quote_path(std::string_view path) {
    if (valid_utf8(path) && (path.empty() || path.front() != '"')) return std::string(path);
    std::string out = "\"";
    for (char ch : path) {
        auto c = static_cast<unsigned char>(ch);
        if (c == '\\' || c == '"') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c >= 0x7f) {
            out += '\\';
            out += static_cast<char>('0' + ((c >> 6) & 7));
            out += static_cast<char>('0' + ((c >> 3) & 7));
            out += static_cast<char>('0' + (c & 7));
        } else {
            out += ch;
        }
    }
    out += '"';
    return out;
}

std::optional<std::string> unquote_path(std::string_view key) {
    if (key.empty() || key.front() != '"') return std::string(key);
    if (key.size() < 2 || key.back() != '"') return std::nullopt;
    std::string out;
    for (size_t i = 1; i + 1 < key.size(); ++i) {
        char c = key[i];
        if (c == '"') return std::nullopt; // unescaped quote inside
        if (c != '\\') {
            out += c;
            continue;
        }
        if (i + 2 >= key.size()) return std::nullopt;
        char e = key[++i];
        if (e == '\\' || e == '"') {
            out += e;
        } else if (e >= '0' && e <= '3' && i + 3 < key.size() && key[i + 1] >= '0' &&
                   key[i + 1] <= '7' && key[i + 2] >= '0' && key[i + 2] <= '7') {
            out += static_cast<char>(((e - '0') << 6) | ((key[i + 1] - '0') << 3) |
                                     (key[i + 2] - '0'));
            i += 2;
        } else {
            return std::nullopt;
        }
    }
    // One key per path: a quoted key must be the canonical quoting of its path.
    if (quote_path(out) != key) return std::nullopt;
    return out;
}

} // namespace provenant
