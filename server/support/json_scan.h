// A JSON text read token by token, without building values, exactly as strictly as nlohmann's
// parser reads it: the readers that want one member of a document (parse_note_for) or want
// their own structures straight from the text (the note's fast reader) share it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace provenant {

/// A cursor over one JSON text. Its syntax rules are nlohmann's: UTF-8 checked in strings,
/// surrogate escapes paired, no comments, no number that overflows a double, a UTF-8 BOM
/// skipped at the start. Containers skipped by value() are tracked on a heap stack, not by
/// recursion: a hostile nesting depth costs a byte per level, never the call stack. Every
/// method returns false on a syntax fault and leaves the cursor somewhere past it (callers
/// give up on the text). The text must outlive the scanner. A value type; not thread-safe.
class JsonScanner {
public:
    explicit JsonScanner(std::string_view text);
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
    /// A string at the cursor, decoded: `out` views the text when it has no escape, else
    /// `scratch`, which holds it decoded as nlohmann decodes it (\u escapes as UTF-8).
    bool string_text(std::string_view& out, std::string& scratch);
    /// Any value at the cursor (after whitespace), up to its last byte.
    bool value();
    /// `"key" :` at the cursor, whitespace around; the key's span (quotes included).
    bool key(std::string_view& span, bool& escaped);
    /// The same, the key decoded as string_text decodes it.
    bool key_text(std::string_view& out, std::string& scratch);
    /// `null` at the cursor.
    bool null();
    /// A number at the cursor written as 1 to 19 decimal digits (which nlohmann reads as an
    /// unsigned integer). Any other number (a sign, a fraction, an exponent, more digits) is
    /// refused here, though it may be valid JSON: callers that read counts leave those to
    /// nlohmann.
    bool plain_count(uint64_t& out);

private:
    bool scalar();
    bool number();
    bool hex4(uint32_t& v);
    std::string_view t_;
    size_t at_ = 0;
};

/// The string token `span` (quotes included, syntax already checked by JsonScanner::string)
/// decoded into `out`.
void decode_json_string(std::string_view span, std::string& out);

} // namespace provenant
