// One file's entry of a note read without the others: the whole text checked for JSON syntax as
// nlohmann's parser checks it, then only the note's own fields and that entry parsed into values.
#include "protocol/note.h"
#include "support/quoted_path.h"

#include <cmath>
#include <cstdlib>

namespace provenant {

namespace {

/// A JSON text scanned for its syntax without building values, as strictly as nlohmann's
/// parser reads it (UTF-8 checked in strings, surrogate escapes paired, no comments, no
/// number that overflows a double). Containers are tracked on a heap stack, not by recursion:
/// a hostile nesting depth costs a byte per level, never the call stack.
class Scanner {
public:
    explicit Scanner(std::string_view text) : t_(text) {
        if (t_.substr(0, 3) == "\xEF\xBB\xBF") at_ = 3; // nlohmann skips a UTF-8 BOM
    }
    size_t at() const { return at_; }
    bool done() const { return at_ >= t_.size(); }
    char peek() const { return at_ < t_.size() ? t_[at_] : '\0'; }
    bool take(char c) {
        if (done() || t_[at_] != c) return false;
        ++at_;
        return true;
    }
    void ws() {
        while (at_ < t_.size() &&
               (t_[at_] == ' ' || t_[at_] == '\t' || t_[at_] == '\n' || t_[at_] == '\r'))
            ++at_;
    }
    /// A string at the cursor, quotes included; `escaped` says whether it had a backslash.
    bool string(bool& escaped);
    /// Any value at the cursor (after whitespace), up to its last byte.
    bool value();
    /// `"key" :` at the cursor, whitespace around; the key's span (quotes included).
    bool key(std::string_view& span, bool& escaped);

private:
    bool scalar();
    bool number();
    bool hex4(uint32_t& v);
    std::string_view t_;
    size_t at_ = 0;
};

bool Scanner::hex4(uint32_t& v) {
    if (t_.size() - at_ < 4) return false;
    v = 0;
    for (int k = 0; k < 4; ++k) {
        const char c = t_[at_++];
        const int d = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
        if (d < 0) return false;
        v = v << 4 | uint32_t(d);
    }
    return true;
}

bool Scanner::string(bool& escaped) {
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

bool Scanner::number() {
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

bool Scanner::scalar() {
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

bool Scanner::key(std::string_view& span, bool& escaped) {
    ws();
    const size_t start = at_;
    if (!string(escaped)) return false;
    span = t_.substr(start, at_ - start);
    ws();
    return take(':');
}

bool Scanner::value() {
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

/// Whether the key token `span` (quotes included) is the string `want`.
bool key_is(std::string_view span, bool escaped, std::string_view want) {
    if (!escaped) return span.substr(1, span.size() - 2) == want;
    const nlohmann::json decoded = nlohmann::json::parse(span, nullptr, false);
    return decoded.is_string() && decoded.get_ref<const std::string&>() == want;
}

} // namespace

Result<Note> parse_note_for(std::string_view text, std::string_view path) {
    // Anything but a well-formed object is left to the whole parse, for its error.
    if (text.size() > kMaxNoteBytes) return parse_note(text);
    Scanner s(text);
    s.ws();
    if (!s.take('{')) return parse_note(text);
    const std::string want = note_path_key(path);
    std::string kept = "{";                // the members other than "files", as they are
    std::optional<std::string_view> files; // the last "files" value
    std::optional<std::string> entry;      // its member for `path`: "key":value
    bool files_object = false;
    s.ws();
    if (!s.take('}')) {
        for (;;) {
            std::string_view key;
            bool escaped = false;
            if (!s.key(key, escaped)) return parse_note(text);
            s.ws();
            const size_t start = s.at();
            if (key_is(key, escaped, "files")) {
                // The last "files" wins, as in nlohmann's parse: it replaces an earlier one.
                entry.reset();
                files_object = s.take('{');
                if (files_object) {
                    s.ws();
                    if (!s.take('}'))
                        for (;;) {
                            std::string_view fkey;
                            bool fescaped = false;
                            if (!s.key(fkey, fescaped)) return parse_note(text);
                            s.ws();
                            const size_t fstart = s.at();
                            if (!s.value()) return parse_note(text);
                            if (key_is(fkey, fescaped, want)) // the last one wins here too
                                entry = std::string(fkey) + ":" +
                                        std::string(text.substr(fstart, s.at() - fstart));
                            s.ws();
                            if (s.take(',')) continue;
                            if (!s.take('}')) return parse_note(text);
                            break;
                        }
                } else if (!s.value()) {
                    return parse_note(text);
                }
                files = text.substr(start, s.at() - start);
            } else {
                if (!s.value()) return parse_note(text);
                kept += key;
                kept += ':';
                kept += text.substr(start, s.at() - start);
                kept += ',';
            }
            s.ws();
            if (s.take(',')) continue;
            if (!s.take('}')) return parse_note(text);
            break;
        }
    }
    s.ws();
    if (!s.done()) return parse_note(text);
    if (files) {
        kept += "\"files\":";
        if (files_object)
            kept += "{" + entry.value_or("") + "}";
        else
            kept += *files; // not an object: the reader says so
    } else if (kept.back() == ',') {
        kept.pop_back();
    }
    kept += '}';
    return parse_note(kept);
}

} // namespace provenant
