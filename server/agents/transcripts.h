// Agent transcripts read incrementally for models and token usage: Claude Code JSONL, Codex
// rollout JSONL, Gemini CLI chat recordings.
#pragma once

#include "journal/sessions.h"
#include "support/result.h"

#include <string>
#include <string_view>

namespace provenant::agents {

/// Most bytes one call reads; the rest waits for the next hook (long sessions stay fast).
inline constexpr size_t kMaxTranscriptReadBytes = 32u << 20;

/// Reads what was appended to `path` since `rec.transcript` (a different path or a shrunk
/// file starts over; the reader's dedupe state prevents counting twice) and adds its token
/// usage to `rec.tokens`, its models to `rec.models`, and tool-use ids to `rec.tool_models`.
/// `tool` picks the format: claude-code, codex, gemini; other tools are ignored (Ok).
/// Malformed lines are skipped (counted in the returned note), never fatal. Only complete
/// lines are consumed. Returns a note for stderr ("" when nothing to say).
Result<std::string> read_transcript(std::string_view tool, const std::string& path,
                                    SessionRecord& rec);

/// The format readers, exposed for tests. Each consumes complete lines of `chunk` (text read
/// at the cursor) and returns how many bytes it consumed and how many lines it skipped.
struct ChunkResult {
    size_t consumed = 0;
    size_t skipped = 0;
};
ChunkResult read_claude_chunk(std::string_view chunk, SessionRecord& rec);
ChunkResult read_codex_chunk(std::string_view chunk, SessionRecord& rec);
/// Gemini's recording is one JSON document rewritten as the chat grows (or JSONL in newer
/// versions): totals are recomputed from the whole text and the difference is added.
ChunkResult read_gemini_document(std::string_view text, SessionRecord& rec);

} // namespace provenant::agents
