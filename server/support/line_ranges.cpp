// Compressed 1-based line ranges: formatting and strict parsing.
#include "support/line_ranges.h"

#include <algorithm>
#include <charconv>

namespace provenant {

std::string format_line_ranges(std::vector<uint32_t> lines) {
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    std::string out;
    for (size_t i = 0; i < lines.size();) {
        size_t j = i;
        while (j + 1 < lines.size() && lines[j + 1] == lines[j] + 1)
            ++j;
        if (!out.empty())
            out += ',';
        out += std::to_string(lines[i]);
        if (j > i)
            out += '-' + std::to_string(lines[j]);
        i = j + 1;
    }
    return out;
}

namespace {
bool parse_number(std::string_view s, uint32_t& out) {
    if (s.empty())
        return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && out > 0;
}
} // namespace

Result<std::vector<uint32_t>> parse_line_ranges(std::string_view text, uint32_t max_lines) {
    std::vector<uint32_t> out;
    if (text.empty())
        return out;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t comma = text.find(',', pos);
        std::string_view part = text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos);
        size_t dash = part.find('-');
        uint32_t a = 0;
        uint32_t b = 0;
        bool ok = dash == std::string_view::npos
                      ? (parse_number(part, a) && (b = a, true))
                      : (parse_number(part.substr(0, dash), a) && parse_number(part.substr(dash + 1), b));
        if (!ok || b < a)
            return make_error("bad line range '" + std::string(part) + "' in '" + std::string(text) + "'");
        if (out.size() + (b - a + 1ULL) > max_lines)
            return make_error("line ranges expand beyond " + std::to_string(max_lines) + " lines");
        for (uint64_t l = a; l <= b; ++l)
            out.push_back(static_cast<uint32_t>(l));
        if (comma == std::string_view::npos)
            break;
        pos = comma + 1;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace provenant
