// Line classes from character attribution (docs/model.md §2 "Lines").
#pragma once

#include "core/provenance.h"
#include "protocol/note.h"

#include <optional>
#include <vector>

namespace provenant {

/// The class of one line and, for ai / ai_modified lines, the origin id of most of its AI
/// characters (in the snapshot's table).
struct LineVerdict {
    LineClass cls = LineClass::Blank;
    std::optional<uint32_t> origin;
};

/// Accumulates one line's characters and decides its class. Rules, in order:
/// 1. no fresh non-whitespace characters: the class of all its characters (what it had),
///    i.e. rules 2-3 applied to all of its characters, so a moved AI line that a person
///    once edited stays `ai_modified`;
/// 2. `ai` is the most common class of all its characters and a person typed some of its
///    fresh characters: `ai_modified`;
/// 3. otherwise the most common class of its fresh characters.
/// Ties go to ai, then human, paste, unknown. Whitespace never counts. Not thread-safe.
class LineAccumulator {
public:
    /// Adds `count` non-whitespace characters with this attr (class from `cls`).
    void add(OriginClass cls, uint32_t origin, bool fresh, uint64_t count);
    LineVerdict verdict() const;
    void reset();

private:
    CharCounts all_, fresh_;
    std::vector<std::pair<uint32_t, uint64_t>> ai_origins_; // origin id -> AI char count
};

/// Classifies every line of a snapshot (lines split on \n; a \r before \n is whitespace;
/// a final line without \n counts when non-empty). Also fills per-class character totals
/// (non-whitespace) when `chars` is given. `lone_cr_breaks`: a \r not followed by \n also
/// ends a line (LSP's lines, for editor gutters; git's lines split on \n only).
/// Characters are code points; an invalid UTF-8 byte counts as one. O(n).
std::vector<LineVerdict> classify_lines(const Snapshot& s, CharCounts* chars = nullptr,
                                        bool lone_cr_breaks = false);

} // namespace provenant
