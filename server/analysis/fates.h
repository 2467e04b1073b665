// The line fates of a history: every line ever born in the walked commits, where and how it
// was born, and every commit that ended it. The walk (walk.h) produces it, the store
// (store.h) keeps it, the metrics (metrics.h) read it. Independent of any report option.
#pragma once

#include "git/note_reader.h"
#include "protocol/note.h"
#include "protocol/origin.h"

#include <cstdint>
#include <string>
#include <vector>

namespace provenant::analysis {

inline constexpr uint32_t kNone = 0xffffffffu;

/// What a commit's note said (git/note_reader.h): `Unreadable` notes are gaps.
using git::NoteState;

/// One origin a commit's note lists, with what the note attributes to it in that commit.
struct CommitOrigin {
    uint32_t origin = 0; ///< index into Fates::origins
    TokenUsage tokens;
    uint64_t generated = 0; ///< the note's funnel: lines generated (0 when absent)
    bool has_lines = false; ///< the origin has committed lines in this commit's note
};

/// One walked commit, in walk order (parents before children).
struct CommitRow {
    std::string id;                ///< 40 hex
    std::vector<uint32_t> parents; ///< indices of walked parents, first parent first
    std::string author_email;
    int64_t author_time = 0, commit_time = 0; ///< seconds since the epoch
    NoteState note = NoteState::None;
    std::vector<std::string> rewritten_from; ///< the note's rewrite.from (40 hex)
    std::vector<CommitOrigin> origins;
    uint32_t first_line = 0, line_end = 0; ///< lines born here: [first_line, line_end)
};

/// One origin record (AI tool, model, session); index 0 is "no origin".
struct OriginRow {
    std::string tool, kind, model, session;
    bool operator==(const OriginRow&) const = default;
};

/// One line, from its birth.
struct LineRow {
    uint32_t birth = 0;                 ///< commit index
    uint32_t path = 0;                  ///< index into Fates::paths (its path at birth)
    LineClass cls = LineClass::Unknown; ///< Blank for whitespace-only lines
    uint32_t origin = 0;                ///< index into Fates::origins (0: none)
};

/// The class of what replaced an ended line in the ending commit's hunk.
enum class EndBy : uint8_t { Deleted = 0, Human = 1, Ai = 2, Paste = 3, Unknown = 4 };
std::string_view to_string(EndBy b);

/// A commit that changed or deleted a line (a line can end on several branches).
struct EndRow {
    uint32_t line = 0;
    uint32_t commit = 0;
    EndBy by = EndBy::Deleted;
};

/// The line ids of one file at a frontier commit (a walked commit with no walked child):
/// what a later walk needs to go on from there.
struct FrontierFile {
    std::string path;
    std::string blob; ///< 40 hex
    std::vector<uint32_t> ids;
};
struct FrontierState {
    uint32_t commit = 0;
    std::vector<FrontierFile> files; ///< sorted by path
};

/// What a walk did (not stored): the proof, for the tests and the log, of how much of a
/// history a report diffed.
struct WalkStats {
    size_t walked = 0;   ///< new commits diffed
    size_t replayed = 0; ///< stored commits diffed again to rebuild a state a new commit needs
    bool checkpoints_loaded = false; ///< extend_history read the stored checkpoints
};

/// A whole history's line fates. A value type; thread-compatible.
struct Fates {
    std::vector<CommitRow> commits;
    std::vector<LineRow> lines;
    std::vector<EndRow> ends; ///< in walk order of the ending commit
    std::vector<std::string> paths;
    std::vector<OriginRow> origins{OriginRow{}};
    std::vector<std::string> warnings;   ///< unreadable notes, once each
    std::vector<FrontierState> frontier; ///< the walk's tips' file states
    /// File states of some walked commits (one every few hundred, walk order): a later walk
    /// rebuilds the state of an old commit a new branch starts from by diffing again only
    /// the commits since the nearest of these. Stored; read back only to go on walking.
    std::vector<FrontierState> checkpoints;
    WalkStats stats;
};

} // namespace provenant::analysis
