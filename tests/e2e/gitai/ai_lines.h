// Test helper of the git-ai suites: the AI lines of a provenant note, the shape a git-ai note's
// attestations are compared in.
#pragma once

#include "protocol/note.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace provenant::test {

/// Per path, the AI lines (ai and ai_modified) of a provenant note, sorted; paths with none left
/// out.
inline std::map<std::string, std::vector<uint32_t>> ai_lines(const Note& note) {
    std::map<std::string, std::vector<uint32_t>> out;
    for (const auto& [path, f] : note.files) {
        std::vector<uint32_t> lines = f.ai;
        lines.insert(lines.end(), f.ai_modified.begin(), f.ai_modified.end());
        std::sort(lines.begin(), lines.end());
        if (!lines.empty()) out[path] = lines;
    }
    return out;
}

} // namespace provenant::test
