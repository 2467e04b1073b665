// blame: every line of a file at a revision, with the commit that last changed it and the
// class and origin that commit's note gives the line.
#pragma once

#include "git/repository.h"
#include "protocol/origin.h"

#include <string>
#include <vector>

namespace provenant::git {

struct BlameLine {
    uint32_t line = 0;        ///< 1-based, in the file at the revision
    std::string commit;       ///< 40 hex: the commit that last changed the line
    uint32_t origin_line = 0; ///< the line's number in that commit's version of the file
    LineClass cls = LineClass::Unknown;
    std::string tool, model, session;
    std::string text; ///< the line, without its newline (for people; never in notes)
};

/// Blames `path` (repository-relative) at `rev`. History is replayed oldest first over the
/// whole DAG reachable from `rev` (merges: a line unchanged from a parent keeps that parent's
/// commit, like git blame); only commits whose blob of `path` differs from their parents' are
/// diffed, and per-commit line states are freed once all children are processed. A line's
/// class comes from its commit's note when the note's blob id for `path` matches that
/// commit's blob (else `unknown`). Renames are not followed: lines from before a rename are
/// attributed to the renaming commit. Blank lines report `blank`.
Result<std::vector<BlameLine>> blame_file(const Repo& repo, const std::string& path,
                                          const std::string& rev = "HEAD");

} // namespace provenant::git
