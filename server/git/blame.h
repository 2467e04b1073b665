// A blamed line: the commit that last changed it and the class and origin that commit's note
// gives the line (computed by blame_file; rendered by git/show.h).
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

/// Blames `path` (repository-relative) at `rev` on the same line diff as the analysis walk
/// (git/line_map.h: git's own, libgit2's xdiff with git's indent heuristic) and git's rename
/// detection, so every line names the commit `git blame` names. Two passes over the commits
/// reachable from `rev`: newest first, the file's name in each commit (a parent without the
/// name gets the name the child's rename came from); then oldest first, each version's line
/// owners: lines a parent's version keeps unchanged (parents in order, as git blame passes
/// blame) keep that parent's owner, the rest belong to the commit. Only commits whose blob
/// differs from their parents' are diffed; a version's owners are freed once all children are
/// done. A line's class and origin come from its commit's note (provenant's, else git-ai's)
/// when the note's blob matches, else `unknown`; blank lines are `blank`. Lives in the git
/// layer because attach (git/attach_kept.h) needs the parent's classes too.
Result<std::vector<BlameLine>> blame_file(const Repo& repo, const std::string& path,
                                          const std::string& rev = "HEAD");

} // namespace provenant::git
