// The stored form of one journal entry (schema provenant-journal/1): parse, validate, and
// read just the path from the start of a file.
#pragma once

#include "journal/journal.h"

#include <optional>
#include <string>
#include <string_view>

namespace provenant {

/// The outcome of parsing a stored entry. `Unsupported`: a well-formed file of another
/// provenant-journal version (left in place); `Corrupt`: anything else that is not a valid
/// entry (moved aside).
struct ParsedEntry {
    enum Kind { Ok, Corrupt, Unsupported } kind = Corrupt;
    JournalEntry entry;
    std::string error;
};
ParsedEntry parse_entry(std::string_view text);

/// How much of a file entry_path_from_prefix needs: "path" is the first key as stored, and a
/// path is at most Journal::kMaxPathBytes (x6 when every byte is \u-escaped).
inline constexpr size_t kPathPrefixBytes = 64u << 10;

/// The "path" member of an entry, read from the start of its file without parsing the rest;
/// nullopt when it cannot be found.
std::optional<std::string> entry_path_from_prefix(std::string_view prefix);

} // namespace provenant
