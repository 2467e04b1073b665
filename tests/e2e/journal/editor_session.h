// Helpers for the journal's end-to-end tests: an agent's hook write, an aged journal entry, an
// editor's reload from disk in the ways editors send one, and the note of HEAD.
#pragma once

#include "support/line_hunks.h"
#include "support/lsp_client.h"
#include "support/temp_repo.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace provenant::test {

nlohmann::json pos(int line, int character);
nlohmann::json range(int l0, int c0, int l1, int c1);

/// `provenant hook generic` writing `before` -> `after` for `path` as `agent`.
void agent_writes(const TempRepo& r, const std::string& agent, const std::string& path,
                  const std::string& before, const std::string& after);

/// Moves every observation in `path`'s entry `seconds` into the past: the agent's write then
/// happened outside the agent-write / reload race window (kRaceWindowSeconds) of what follows.
void age_entry(const TempRepo& r, const std::string& path, uint32_t seconds);

/// Types `text` into `uri` one key at a time from (line, 0), on one line (a final "\n" ends it).
void type_line(LspClient& lsp, const std::string& uri, int64_t& v, int line,
               const std::string& text);

/// How an editor sends a reload from disk.
enum class Reload {
    Full,  ///< the whole text
    Range, ///< one change over the lines that differ (VS Code)
    Hunks, ///< one didChange per hunk of a line diff, last first (an incremental client)
};

/// The editor reloads `uri` from disk after git changed it from `from` to `to`, then syncs.
void reload_from_disk(LspClient& lsp, const std::string& uri, int64_t& v, Reload how,
                      const std::string& from, const std::string& to);

/// HEAD's note for `path` (`provenant show --json`).
nlohmann::json note_file(const TempRepo& r, const std::string& path);

} // namespace provenant::test
