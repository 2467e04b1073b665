// Text arithmetic for payloads: undoing string replacements, Codex patches, counting lines.
#pragma once

#include "agents/hook_event.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provenant::agents {

/// The text before `replacements` were applied to give `after`: each replacement is undone in
/// reverse order by finding its `new_text` in the text (at its line/column when given, else
/// the only occurrence; with replace_all, every occurrence). nullopt when a replacement cannot
/// be located unambiguously (its new text is missing, empty, or found more than once): the
/// caller then falls back to a weaker source of the text before.
std::optional<std::string> undo_replacements(std::string_view after,
                                             const std::vector<Replacement>& replacements);

/// Byte ranges [begin, end) of `after` that hold the new text of the replacements (each found
/// as in undo_replacements; ranges not found are skipped). Used when the text before cannot
/// be rebuilt: only these ranges are then attributed to the agent.
std::vector<std::pair<size_t, size_t>>
locate_new_text(std::string_view after, const std::vector<Replacement>& replacements);

/// One file operation of a Codex `apply_patch` envelope.
struct PatchOp {
    enum class Kind { Add, Update, Delete } kind = Kind::Update;
    std::string path;
    std::string move_to;                   ///< Update with "*** Move to:"
    std::string added_text;                ///< Add: the file's content
    std::vector<Replacement> replacements; ///< Update: one per hunk (context + -/+ lines)
};

/// Parses a `*** Begin Patch` ... `*** End Patch` envelope (Codex's apply_patch format; a
/// heredoc wrapper such as `apply_patch <<'EOF'` around it is tolerated). Errors name the line.
Result<std::vector<PatchOp>> parse_apply_patch(std::string_view patch);

/// Non-blank lines of `after` that hold inserted text according to the diff from `before`
/// (the lines an edit "generated"). Whitespace-only insertions do not count.
uint64_t count_generated_lines(std::string_view before, std::string_view after);

/// Whether `text` looks binary (a NUL byte in its first 8000 bytes, as git decides).
bool looks_binary(std::string_view text);

} // namespace provenant::agents
