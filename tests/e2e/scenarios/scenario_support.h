// Support for the ported scenarios (git operations and edit patterns another provenance
// tool's integration suite checks, asserted with provenant's rules): evidence put in the
// journal as a hook or the sidecar writes it, the real provenant hooks installed, notes read
// back line by line. One thread.
#pragma once

#include "core/provenance.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <string>
#include <utility>
#include <vector>

namespace provenant::test {

OriginRecord claude();
OriginRecord codex();
OriginRecord person(); ///< human, as the sidecar infers it

/// A repository with `provenant install` done.
class ScenarioRepo : public TempRepo {
public:
    ScenarioRepo();
    /// Writes `text` to `rel` and records it in the journal as one edit by `who`, as a hook or
    /// the sidecar does: the entry (else HEAD's text, unknown and not fresh) carried onto
    /// `text` by diff, the inserted characters `who`'s (fresh; recorded for an agent, inferred
    /// for a person). Keep each call one insertion or one deletion, as an editor reports them.
    void edit(const std::string& rel, const std::string& text, const OriginRecord& who) const;
    /// edit(rel, base + added, who): `added` appended after `base`.
    void record(const std::string& rel, const std::string& base, const std::string& added,
                const OriginRecord& who) const {
        edit(rel, base + added, who);
    }
    /// Writes `text` to `rel` with no evidence at all (a script, an unwatched editor).
    void unwatched(const std::string& rel, const std::string& text) const { write(rel, text); }
};

/// A line of a commit's note: its class and, for ai lines, the tool. {Blank, "not added"}
/// when the commit does not add the line, {Blank, "no note"} without a note.
using NoteLine = std::pair<LineClass, std::string>;
NoteLine note_line(const TempRepo& repo, const std::string& rev, const std::string& path,
                   uint32_t line);
/// Every added line of `path` in `rev`'s note, 1-based (index 0 unused; lines the commit does
/// not add are {Blank, "not added"}), up to `count` lines.
std::vector<NoteLine> note_lines(const TempRepo& repo, const std::string& rev,
                                 const std::string& path, uint32_t count);

inline const NoteLine kClaudeLine{LineClass::Ai, "claude-code"};
inline const NoteLine kCodexLine{LineClass::Ai, "codex"};
inline const NoteLine kHumanLine{LineClass::Human, ""};
inline const NoteLine kUnknownLine{LineClass::Unknown, ""};
inline const NoteLine kNotAdded{LineClass::Blank, "not added"};

std::string describe(const NoteLine& l);

} // namespace provenant::test

namespace doctest {
template <> struct StringMaker<provenant::test::NoteLine> {
    static String convert(const provenant::test::NoteLine& l) {
        return provenant::test::describe(l).c_str();
    }
};
} // namespace doctest
