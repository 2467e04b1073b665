// Splitting text into lines as git counts them: '\n' ends a line, a last line without one
// still counts, and an empty text has no lines.
#pragma once

#include <string_view>
#include <vector>

namespace provenant {

/// The lines of `text`, without their '\n'; views into `text` (keep it alive). With
/// `strip_cr`, a '\r' before the '\n' (CRLF text) is dropped too. Thread-safe.
inline std::vector<std::string_view> split_lines(std::string_view text, bool strip_cr = false) {
    std::vector<std::string_view> out;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        if (strip_cr && !line.empty() && line.back() == '\r') line.remove_suffix(1);
        out.push_back(line);
        start = end + 1;
    }
    return out;
}

} // namespace provenant
