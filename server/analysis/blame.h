// `provenant blame` on the line-fates engine's diff: git's own line diff (libgit2 patches)
// and git's rename detection, so every line names the commit `git blame` names.
#pragma once

#include "git/blame.h"
#include "git/repository.h"

#include <string>
#include <vector>

namespace provenant::analysis {

/// Blames `path` (repository-relative) at `rev`. Two passes over the commits reachable from
/// `rev`: newest first, the file's name in each commit (a parent without the name gets the
/// name the child's rename came from, found as git finds renames); then oldest first, each
/// version's line owners: lines a parent's version keeps unchanged (parents in order, as git
/// blame passes blame) keep that parent's owner, the rest belong to the commit. Only commits
/// whose blob differs from their parents' are diffed; a version's owners are freed once all
/// children are done. A line's class and origin come from its commit's note (provenant's,
/// else git-ai's) when the note's blob matches, else `unknown`; blank lines are `blank`.
Result<std::vector<git::BlameLine>> blame_file(const git::Repo& repo, const std::string& path,
                                               const std::string& rev = "HEAD");

} // namespace provenant::analysis
