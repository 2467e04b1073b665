// One agent hook payload, normalised: who edited, which files, and what is known of their text.
#pragma once

#include "protocol/origin.h"
#include "support/json_fields.h"
#include "support/result.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provenant::agents {

/// A string replacement the agent made: `old_text` became `new_text`. Applied in order they
/// turn the file's text before the edit into the text after it.
struct Replacement {
    std::string old_text;
    std::string new_text;
    bool replace_all = false;
    /// 1-based line and column (in characters) where the replacement starts, when the payload
    /// says (Cursor's tab edits); 0 when unknown.
    size_t line = 0;
    size_t column = 0;
};

/// One file an agent wrote.
struct FileChange {
    std::string path;                      ///< as the payload gave it: absolute, or relative to cwd
    std::optional<std::string> before;     ///< the whole text before the edit, when known
    std::optional<std::string> after;      ///< the whole text the agent wrote (else read from disk)
    std::vector<Replacement> replacements; ///< the edit as replacements (to derive `before`)
    bool created = false;                  ///< the payload says the file did not exist before
    bool deleted = false;                  ///< the agent deleted the file (nothing to attribute)
    std::string moved_from;                ///< Codex "*** Move to": the path before the move
};

/// When in the tool's life the hook fires.
enum class HookPhase { Pre, Post, Other };

/// A payload, normalised. Holds text only transiently (never stored outside the journal).
struct HookEvent {
    std::string tool;           ///< claude-code, cursor, codex, gemini, copilot, or generic's agent
    std::string kind = "agent"; ///< agent | completion | chat
    std::string model;          ///< from the payload; "" until a transcript says
    std::string session;        ///< the agent's session / conversation id
    std::string request;        ///< tool-use id (or generation id)
    std::string cwd;            ///< the agent's working directory
    std::string transcript;     ///< transcript path, "" when none
    std::string event_name;     ///< the hook's own name (PostToolUse, afterFileEdit, ...)
    std::string tool_name;      ///< the agent tool that ran (Edit, apply_patch, ...)
    HookPhase phase = HookPhase::Post;
    /// Pre: snapshot every file git sees changed (Bash-like tools). Post: compare with that
    /// snapshot to find the files the tool changed.
    bool snapshot_repo = false;
    std::vector<FileChange> files;
    /// Token usage the payload itself reports (generic), per model ("" when unknown).
    std::map<std::string, TokenUsage> tokens;
    /// What the payload carried that could not be used, for stderr and the log.
    std::vector<std::string> notes;
};

/// Parses one agent's payload. Errors say what is malformed ("tool_input.file_path: expected a
/// string"). A payload that is well formed but has nothing to record (a Read tool, an
/// unrelated event) is returned with no files and a note saying why.
Result<HookEvent> parse_claude_code(const nlohmann::json& j);
Result<HookEvent> parse_cursor(const nlohmann::json& j);
Result<HookEvent> parse_codex(const nlohmann::json& j);
Result<HookEvent> parse_gemini(const nlohmann::json& j);
Result<HookEvent> parse_copilot(const nlohmann::json& j);
Result<HookEvent> parse_generic(const nlohmann::json& j);

/// The agents `provenant hook` accepts.
const std::vector<std::string>& known_agents();
/// Dispatches on `agent` (one of known_agents()).
Result<HookEvent> parse_payload(std::string_view agent, const nlohmann::json& j);

// The payload parsers read fields with support/json_fields.h (typed access with JSON-path
// errors, thrown as json_fields::PathError and caught by `guarded`).
namespace field = json_fields;

/// Runs `fn` (which parses with the field helpers) and turns a thrown exception into an Error
/// prefixed with `what`.
template <typename Fn> Result<HookEvent> guarded(std::string_view what, Fn&& fn) {
    try {
        return fn();
    } catch (const std::exception& e) {
        return make_error(ErrorKind::invalid_input, std::string(what) + ": " + e.what());
    }
}

} // namespace provenant::agents
