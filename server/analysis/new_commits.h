// The commits a walk on from a stored walk must diff: those reachable from the tips that are
// not stored, parents first, found without a walk of the stored history.
#pragma once

#include "git/repository.h"

#include <functional>
#include <vector>

namespace provenant::analysis {

/// Whether a commit is one the store already holds.
using IsStored = std::function<bool(const git_oid&)>;

/// Every commit reachable from `tips` that is not stored, each after all its parents (merges
/// included). The search follows parents from the tips and stops at stored commits, so it
/// reads only the new commits and the stored ones they point at: libgit2's topological
/// revwalk with the stored tips hidden reads on while hidden commits are dated later than the
/// newest new commit it has seen, which on a history dated in the future (or with commits
/// rebased onto old dates) is most of it. Stored commits must be closed under parents (every
/// walk stores whole histories). A parent that is not in the repository (a shallow clone)
/// is left out, as the walk leaves it out. Same thread rules as the Repo.
Result<std::vector<git_oid>> new_commits(const git::Repo& repo, const std::vector<git_oid>& tips,
                                         const IsStored& stored);

} // namespace provenant::analysis
