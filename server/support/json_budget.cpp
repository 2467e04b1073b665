// A linear scan of JSON text that counts values and nesting without parsing.
#include "support/json_budget.h"

namespace provenant {

JsonShape measure_json(std::string_view text, int max_depth) {
    JsonShape out;
    int depth = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '"') {
            for (++i; i < text.size() && text[i] != '"'; ++i)
                if (text[i] == '\\') ++i;
        } else if (c == '[' || c == '{') {
            ++out.values;
            if (++depth > max_depth) {
                out.too_deep = true;
                return out;
            }
        } else if (c == ']' || c == '}') {
            --depth;
        } else if (c == ',') {
            ++out.values;
        }
    }
    ++out.values;
    return out;
}

} // namespace provenant
