// Helpers for the git e2e tests: journal entries, notes read back, JSON Schema validation.
#pragma once

#include "protocol/note.h"
#include "support/temp_repo.h"

#include <string>
#include <utility>
#include <vector>

namespace provenant::test {

/// One span of a journal snapshot: text and who wrote it.
struct Span {
    std::string text;
    OriginRecord origin; ///< cls Unknown / Human / Paste / Ai
    bool fresh = true;
};
OriginRecord ai_origin(const std::string& tool = "claude-code",
                       const std::string& model = "claude-sonnet-4",
                       const std::string& session = "s1");
OriginRecord human_origin();

/// Stores a journal entry for `path` whose text is the concatenation of the spans, through
/// the Journal API. Also writes the text to the working tree when `write_file`.
void put_journal(const TempRepo& repo, const std::string& path, const std::vector<Span>& spans,
                 bool write_file = true);

/// The note of `rev` (FAILs when absent or invalid), validated against the JSON Schema too.
Note read_note(const TempRepo& repo, const std::string& rev = "HEAD");
/// Whether `rev` has a provenant note.
bool has_note(const TempRepo& repo, const std::string& rev = "HEAD");
/// Validates `json_text` against protocol/schema/note-v1.schema.json with Debian's
/// python3-jsonschema; returns "" when valid, else the validator's message.
std::string schema_errors(const std::string& json_text);

/// Whether the journal entry of `path` has any fresh byte; -1 when there is no entry.
int journal_fresh(const TempRepo& repo, const std::string& path);

} // namespace provenant::test
