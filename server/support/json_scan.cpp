// A JSON text read token by token, as strictly as nlohmann's parser reads it.
#include "support/json_scan.h"

#include "support/quoted_path.h"

#include <cmath>
#include <cstdlib>
#include <vector>

namespace provenant {

namespace {

int hex_digit(char c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

void append_utf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

uint32_t hex4_at(std::string_view s, size_t at) {
    uint32_t v = 0;
    for (size_t k = 0; k < 4; ++k)
        v = v << 4 | static_cast<uint32_t>(hex_digit(s[at + k]));
    return v;
}

} // namespace

JsonScanner::JsonScanner(std::string_view text) : t_(text) {
    if (t_.substr(0, 3) == "\xEF\xBB\xBF") at_ = 3; // nlohmann skips a UTF-8 BOM
}

bool JsonScanner::hex4(uint32_t& v) {
    if (t_.size() - at_ < 4) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
        const int d = hex_digit(t_[at_++]);
        if (d < 0) return false;
        v = v << 4 | uint32_t(d);
    }
    return true;
}

bool JsonScanner::string(bool& escaped) {
    escaped = false;
    if (!take('"')) return false;
    auto byte = [&](size_t k) { return static_cast<unsigned char>(t_[k]); };
    while (at_ < t_.size()) {
        const unsigned char c = byte(at_++);
        if (c == '"') return true;
        if (c < 0x20) return false;
        if (c < 0x80 && c != '\\') continue;
        if (c == '\\') {
            escaped = true;
            if (at_ >= t_.size()) return false;
            const char e = t_[at_++];
            if (e == 'u') {
                uint32_t v = 0;
                if (!hex4(v)) return false;
                if (v >= 0xDC00 && v <= 0xDFFF) return false; // a low surrogate alone
                if (v >= 0xD800 && v <= 0xDBFF) {             // must be followed by a low one
                    if (!take('\\') || !take('u') || !hex4(v) || v < 0xDC00 || v > 0xDFFF)
                        return false;
                }
            } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' &&
                       e != 'r' && e != 't') {
                return false;
            }
            continue;
        }
        // A run of non-ASCII bytes: whole UTF-8 sequences (support's RFC 3629 check: no
        // overlong forms, no surrogates, nothing above U+10FFFF), as nlohmann requires.
        const size_t from = at_ - 1;
        while (at_ < t_.size() && byte(at_) >= 0x80)
            ++at_;
        if (!valid_utf8(t_.substr(from, at_ - from))) return false;
    }
    return false;
}

void decode_json_string(std::string_view span, std::string& out) {
    out.clear();
    const std::string_view s = span.substr(1, span.size() - 2);
    for (size_t k = 0; k < s.size(); ++k) {
        if (s[k] != '\\') {
            out += s[k];
            continue;
        }
        const char e = s[++k];
        switch (e) {
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'u': {
            uint32_t cp = hex4_at(s, k + 1);
            k += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) { // a pair (string() checked it is one)
                const uint32_t low = hex4_at(s, k + 3);
                k += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            append_utf8(cp, out);
            break;
        }
        default: // '"', '\\', '/'
            out += e;
        }
    }
}

bool JsonScanner::string_text(std::string_view& out, std::string& scratch) {
    const size_t start = at_;
    bool escaped = false;
    if (!string(escaped)) return false;
    const std::string_view span = t_.substr(start, at_ - start);
    if (!escaped) {
        out = span.substr(1, span.size() - 2);
        return true;
    }
    decode_json_string(span, scratch);
    out = scratch;
    return true;
}

bool JsonScanner::number() {
    const size_t start = at_;
    auto digits = [&] {
        const size_t from = at_;
        while (at_ < t_.size() && t_[at_] >= '0' && t_[at_] <= '9')
            ++at_;
        return at_ > from;
    };
    take('-');
    if (take('0')) {
    } else if (!digits()) {
        return false;
    }
    bool integral = true;
    if (take('.')) {
        integral = false;
        if (!digits()) return false;
    }
    if (peek() == 'e' || peek() == 'E') {
        ++at_;
        integral = false;
        if (!take('+')) take('-');
        if (!digits()) return false;
    }
    // nlohmann refuses a number that overflows a double ("number overflow"); an integer of up
    // to 19 digits fits a 64-bit one and is never a double.
    if (!integral || at_ - start > 19) {
        const std::string token(t_.substr(start, at_ - start));
        if (!std::isfinite(std::strtod(token.c_str(), nullptr))) return false;
    }
    return true;
}

bool JsonScanner::plain_count(uint64_t& out) {
    const size_t start = at_;
    uint64_t v = 0;
    while (at_ < t_.size() && t_[at_] >= '0' && t_[at_] <= '9' && at_ - start < 20)
        v = v * 10 + static_cast<uint64_t>(t_[at_++] - '0');
    const size_t n = at_ - start;
    // "0" alone, or digits not starting with 0 ("01" is no JSON), up to 19 of them, and not
    // the start of a fraction or an exponent.
    if (n == 0 || n > 19 || (n > 1 && t_[start] == '0')) return false;
    if (peek() == '.' || peek() == 'e' || peek() == 'E') return false;
    out = v;
    return true;
}

bool JsonScanner::null() {
    if (t_.substr(at_, 4) != "null") return false;
    at_ += 4;
    return true;
}

bool JsonScanner::scalar() {
    const char c = peek();
    if (c == '"') {
        bool escaped = false;
        return string(escaped);
    }
    for (std::string_view word :
         {std::string_view("true"), std::string_view("false"), std::string_view("null")})
        if (c == word[0]) {
            if (t_.substr(at_, word.size()) != word) return false;
            at_ += word.size();
            return true;
        }
    return number();
}

bool JsonScanner::key(std::string_view& span, bool& escaped) {
    ws();
    const size_t start = at_;
    if (!string(escaped)) return false;
    span = t_.substr(start, at_ - start);
    ws();
    return take(':');
}

bool JsonScanner::key_text(std::string_view& out, std::string& scratch) {
    ws();
    if (!string_text(out, scratch)) return false;
    ws();
    return take(':');
}

bool JsonScanner::value() {
    std::vector<char> open; // '{' or '[' per container still open
    std::string_view span;
    bool escaped = false;
    for (;;) {
        ws();
        const char c = peek();
        if (c == '{' || c == '[') {
            ++at_;
            ws();
            if (!take(c == '{' ? '}' : ']')) {
                open.push_back(c);
                if (c == '{' && !key(span, escaped)) return false;
                continue; // its first value
            }
        } else if (!scalar()) {
            return false;
        }
        // A value ended: close what it ends, or go on to the next element.
        for (;;) {
            if (open.empty()) return true;
            ws();
            if (take(',')) {
                if (open.back() == '{' && !key(span, escaped)) return false;
                break;
            }
            if (!take(open.back() == '{' ? '}' : ']')) return false;
            open.pop_back();
        }
    }
}

} // namespace provenant
