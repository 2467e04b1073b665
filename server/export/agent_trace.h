// `provenant export --format agent-trace`: Agent Trace records (the open RFC schema,
// https://agent-trace.dev, trace-record.json) from provenant's notes, one per (commit, file).
// The mapping is documented in docs/note-format.md ("Agent Trace").
#pragma once

#include "protocol/note.h"

#include <nlohmann/json.hpp>
#include <string>

namespace provenant::exporting {

/// The Agent Trace spec version written (its schema accepts MAJOR.MINOR).
inline constexpr std::string_view kAgentTraceVersion = "0.1";

/// The record of one file of one commit's note: its added lines as ranges, grouped in one
/// conversation per AI origin (contributor `ai`, or `mixed` for lines a person edited after
/// the AI wrote them, as a per-range override) and one each for `human` and `unknown` lines
/// (paste is `unknown`: where pasted text came from is not known). The record id is a UUID
/// derived from the commit and the path, so exporting twice gives the same ids. Pure.
nlohmann::json agent_trace_record(const Note& note, const std::string& commit, int64_t commit_time,
                                  const std::string& path, const NoteFile& file,
                                  std::string_view note_kind);

/// A version-8 UUID (RFC 9562, custom) from the first 16 bytes of SHA-1 over `text`. Pure.
std::string uuid_of(const std::string& text);

} // namespace provenant::exporting
