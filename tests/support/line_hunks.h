// The hunks of a line diff, as an incremental editor sends a reload from disk (test support).
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace provenant::test {

/// The lines of `text`, each with its line break (the last may have none).
inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    for (size_t a = 0; a < text.size();) {
        const size_t nl = text.find('\n', a);
        const size_t b = nl == std::string::npos ? text.size() : nl + 1;
        out.push_back(text.substr(a, b - a));
        a = b;
    }
    return out;
}

/// One hunk: lines [a0, a1) of the old text replaced with `text`.
struct LineHunk {
    size_t a0 = 0, a1 = 0;
    std::string text;
};

/// The hunks of a longest-common-subsequence line diff from `from` to `to`, first to last
/// (the texts are a few lines long: O(lines²)).
inline std::vector<LineHunk> line_hunks(const std::string& from, const std::string& to) {
    const auto a = lines_of(from), b = lines_of(to);
    std::vector<std::vector<size_t>> lcs(a.size() + 1, std::vector<size_t>(b.size() + 1));
    for (size_t i = a.size(); i-- > 0;)
        for (size_t j = b.size(); j-- > 0;)
            lcs[i][j] =
                a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    std::vector<LineHunk> hunks;
    for (size_t i = 0, j = 0; i < a.size() || j < b.size();) {
        if (i < a.size() && j < b.size() && a[i] == b[j]) {
            ++i, ++j;
            continue;
        }
        LineHunk h{i, i, {}};
        while ((i < a.size() || j < b.size()) && !(i < a.size() && j < b.size() && a[i] == b[j])) {
            if (j < b.size() && (i == a.size() || lcs[i][j + 1] >= lcs[i + 1][j]))
                h.text += b[j++];
            else
                ++i;
        }
        h.a1 = i;
        hunks.push_back(std::move(h));
    }
    return hunks;
}

} // namespace provenant::test
