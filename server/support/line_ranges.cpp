// Compressed 1-based line ranges: formatting and strict parsing.
#include "support/line_ranges.h"

#include <algorithm>
#include <charconv>

namespace provenant {

void sort_line_runs(std::vector<uint32_t>& lines) {
    std::vector<size_t> starts{0}; // where each ascending run begins
    for (size_t i = 1; i < lines.size(); ++i)
        if (lines[i] < lines[i - 1]) {
            starts.push_back(i);
            if (starts.size() > 64) { // many short runs: a plain sort is as good
                std::sort(lines.begin(), lines.end());
                return;
            }
        }
    // Merge neighbouring runs pairwise until one is left: O(n log runs).
    while (starts.size() > 1) {
        std::vector<size_t> merged;
        for (size_t r = 0; r < starts.size(); r += 2) {
            merged.push_back(starts[r]);
            if (r + 1 == starts.size()) break;
            const size_t end = r + 2 < starts.size() ? starts[r + 2] : lines.size();
            std::inplace_merge(lines.begin() + static_cast<std::ptrdiff_t>(starts[r]),
                               lines.begin() + static_cast<std::ptrdiff_t>(starts[r + 1]),
                               lines.begin() + static_cast<std::ptrdiff_t>(end));
        }
        starts = std::move(merged);
    }
}

std::string format_line_ranges(std::vector<uint32_t> lines) {
    sort_line_runs(lines);
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    std::string out;
    for (size_t i = 0; i < lines.size();) {
        size_t j = i;
        while (j + 1 < lines.size() && lines[j + 1] == lines[j] + 1)
            ++j;
        if (!out.empty()) out += ',';
        out += std::to_string(lines[i]);
        if (j > i) out += '-' + std::to_string(lines[j]);
        i = j + 1;
    }
    return out;
}

namespace {
bool parse_number(std::string_view s, uint32_t& out) {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && out > 0;
}
} // namespace

Result<std::vector<uint32_t>> parse_line_ranges(std::string_view text, uint32_t max_lines,
                                                uint64_t* expanded) {
    std::vector<uint32_t> out;
    if (expanded) *expanded = 0;
    if (text.empty()) return out;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t comma = text.find(',', pos);
        std::string_view part =
            text.substr(pos, comma == std::string_view::npos ? text.npos : comma - pos);
        size_t dash = part.find('-');
        uint32_t a = 0;
        uint32_t b = 0;
        bool ok = dash == std::string_view::npos ? (parse_number(part, a) && (b = a, true))
                                                 : (parse_number(part.substr(0, dash), a) &&
                                                    parse_number(part.substr(dash + 1), b));
        if (!ok || b < a)
            return make_error(ErrorKind::invalid_input, "bad line range '" + std::string(part) +
                                                            "' in '" + std::string(text) + "'");
        if (out.size() + (b - a + 1ULL) > max_lines)
            return make_error(ErrorKind::invalid_input,
                              "line ranges expand beyond " + std::to_string(max_lines) + " lines");
        for (uint64_t l = a; l <= b; ++l)
            out.push_back(static_cast<uint32_t>(l));
        if (comma == std::string_view::npos) break;
        pos = comma + 1;
    }
    if (expanded) *expanded = out.size();
    sort_line_runs(out);
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

} // namespace provenant
