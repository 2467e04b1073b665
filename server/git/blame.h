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

/// Blames `path` (repository-relative) at `rev` as `git blame` does, so every line names the
/// commit `git blame` names: backwards from `rev`, newest commit first, each commit passes its
/// lines to its parents (all of them to a parent whose blob is the same; otherwise, parent by
/// parent, the lines that parent's version keeps unchanged by git's line diff, git/line_map.h)
/// and keeps the rest. As in git, the path is looked up in every parent first; only a parent
/// without it, and only when no parent has the same blob, gets the name git's rename detection
/// finds (a deleted file with the same blob first, as diffcore's exact renames, then libgit2's
/// similarity). The walk ends when no commit holds a line, so history older than
/// the file's oldest surviving line is never read. A line's class and origin come from its
/// commit's note (provenant's, else git-ai's) when the note's blob matches, else `unknown`;
/// blank lines are `blank`. Lives in the git layer because attach (git/attach_kept.h) needs
/// the parent's classes too.
Result<std::vector<BlameLine>> blame_file(const Repo& repo, const std::string& path,
                                          const std::string& rev = "HEAD");

} // namespace provenant::git
