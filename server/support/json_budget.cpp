// A linear scan of JSON text that counts values and nesting without parsing, and picks out one
// top-level string member on the way (the LSP's "method"), so a message is scanned once.
#include "support/json_budget.h"

#include <algorithm>

namespace provenant {

JsonShape measure_json(std::string_view text, int max_depth, std::string_view member) {
    JsonShape out;
    int depth = 0;
    bool expect_key = false;   // at depth 1 in an object, the next string is a member name
    bool member_value = false; // at depth 1, the next value is `member`'s
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            const size_t start = ++i;
            bool escaped = false;
            for (; i < text.size() && text[i] != '"'; ++i)
                if (text[i] == '\\') {
                    escaped = true;
                    ++i;
                }
            if (depth != 1 || member.empty()) continue;
            const std::string_view s = text.substr(start, std::min(i, text.size()) - start);
            if (expect_key) {
                member_value = !escaped && s == member;
                expect_key = false;
            } else if (member_value) {
                if (!escaped && s.size() <= kMaxMemberText) out.member = std::string(s);
                member_value = false;
            }
        } else if (c == '[' || c == '{') {
            ++out.values;
            if (++depth > max_depth) {
                out.too_deep = true;
                return out;
            }
            if (depth == 1) expect_key = c == '{';
            if (depth == 2) member_value = false; // the member's value is not a string
        } else if (c == ']' || c == '}') {
            --depth;
        } else if (c == ',') {
            ++out.values;
            if (depth == 1) {
                expect_key = true;
                member_value = false;
            }
        }
    }
    ++out.values;
    return out;
}

} // namespace provenant
