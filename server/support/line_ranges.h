// Compressed 1-based line ranges as notes write them: "1-4,9,12-20".
#pragma once

#include "support/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace provenant {

/// Format sorted-or-not 1-based line numbers as "1-4,9,12-20" (sorted, deduplicated).
std::string format_line_ranges(std::vector<uint32_t> lines);

/// Parse "1-4,9,12-20" into sorted line numbers. Rejects zero, reversed ranges, junk, and
/// expansions beyond `max_lines` (a hostile note must not allocate gigabytes).
Result<std::vector<uint32_t>> parse_line_ranges(std::string_view text, uint32_t max_lines = 10'000'000);

} // namespace provenant
