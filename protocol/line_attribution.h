// A text's attribution line by line, in the one shape that `provenant status --json` gives per
// file and `provenant/documentProvenance` per open document (docs/editors.md, "The shape of a
// text's attribution"; protocol/schema/line-attribution-v1.schema.json):
//   {"lines": ["human", "ai", ...], "lineOrigins": [null, 0, ...],
//    "origins": [{"class": "ai", "tool": ...}, ...], "chars": {"ai", "human", "paste", "unknown"}}
// lineOrigins[i] is the index in `origins` of line i's origin (null: none). Each origin is
// listed once, in the order of the first line that names it.
#pragma once

#include "protocol/note.h"
#include "protocol/origin.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace provenant {

/// Built line by line, then written as JSON. One thread.
class LineAttribution {
public:
    /// Appends the next line: its class ("ai", "human", ..., or "committed" in status), no
    /// origin.
    void add_line(std::string_view cls);
    /// Appends the next line with its origin: `key` is the caller's id of it (the same key is
    /// listed once), `record` what it is.
    void add_line(std::string_view cls, uint32_t key, const OriginRecord& record);
    void set_chars(const CharCounts& chars) { chars_ = chars; }

    const std::vector<std::string>& lines() const { return lines_; }
    const std::vector<std::optional<uint32_t>>& line_origins() const { return line_origins_; }
    const std::vector<OriginRecord>& origins() const { return origins_; }
    const CharCounts& chars() const { return chars_; }

private:
    std::vector<std::string> lines_;
    std::vector<std::optional<uint32_t>> line_origins_; ///< an index into origins_
    std::vector<OriginRecord> origins_;
    std::unordered_map<uint32_t, uint32_t> index_; ///< the caller's key -> its index in origins_
    CharCounts chars_;
};

/// The four members above ("lines", "lineOrigins", "origins", "chars") added to `j`, which
/// must be an object or null; the caller adds its own (uri and version, or a file's state).
void add_to_json(nlohmann::json& j, const LineAttribution& a);

} // namespace provenant
