// Text and JSON renderings of notes and blame for `provenant show` and `provenant blame`.
#pragma once

#include "git/blame.h"
#include "protocol/note.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace provenant::git {

/// A readable summary of a note: totals with shares, files with their ranges, origins with
/// tokens and funnel, and where a rewritten commit's attribution came from.
std::string render_note(const Note& note);

/// Aligned columns: short commit, class, tool, model, line number, the line's text.
std::string render_blame(const std::vector<BlameLine>& lines);

/// [{"line", "commit", "class", "tool", "model", "session"}, ...] (empty strings as null).
nlohmann::json blame_json(const std::vector<BlameLine>& lines);

/// json_text_quoted(blame_json(lines)), byte for byte, written directly: building a JSON value
/// per line and printing it was a twentieth of `provenant blame --json`'s time on a large file.
std::string blame_json_text(const std::vector<BlameLine>& lines);

} // namespace provenant::git
