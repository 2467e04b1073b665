// The deterministic merge of two provenant notes written for the same commit (sync).
#pragma once

#include "support/result.h"

#include <string>
#include <string_view>

namespace provenant::git {

/// Merges two notes for the same commit into one, the same whichever is `ours`. The rule is
/// documented in docs/rewrites.md ("Sync: merging two notes for one commit"). Fails only when
/// neither side is a note provenant can read. Any thread.
Result<std::string> merge_note_texts(std::string_view ours, std::string_view theirs);

} // namespace provenant::git
