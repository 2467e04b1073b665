// The line-fates walk: one pass over a history, oldest first, following every line of every
// file through git's own line diff (libgit2's patches, renames found as git finds them).
#pragma once

#include "analysis/fates.h"
#include "git/repository.h"

#include <functional>
#include <vector>

namespace provenant::analysis {

/// The commits a report walks by default: every local branch, remote-tracking branch and
/// tag (peeled to its commit), and HEAD. Sorted, without duplicates.
Result<std::vector<git_oid>> default_tips(const git::Repo& repo);

/// Called now and then with (commits walked, commits in all).
using Progress = std::function<void(size_t, size_t)>;

/// walk_history's `checkpoint_every` for a walk that is not stored (a report that neither
/// reads nor writes the store): no checkpoints, which only a later walk on from the store
/// reads. At 100,000 commits of 20,000 files each was a copy of every file's path, blob and
/// line ids, 16 of them held to the end of the report.
inline constexpr uint32_t kNoCheckpoints = 0xffffffffu;

/// Walks every commit reachable from `tips`, parents before children, and returns every
/// line born in them with its class and origin (from the commit's provenant note, else its
/// git-ai note, else `unknown`) and every commit that ended it. Memory: the file states
/// (line ids per file) of a commit are kept only while a child still needs them, plus a
/// checkpoint copy every `checkpoint_every` commits (0: about 16 per walk, at least 256
/// apart; kNoCheckpoints: none). Errors name the commit. One thread (the Repo's).
Result<Fates> walk_history(const git::Repo& repo, const std::vector<git_oid>& tips,
                           const Progress& progress = {}, uint32_t checkpoint_every = 0);

/// Reads the stored checkpoints (Fates::checkpoints) of the walk being extended.
using CheckpointLoader = std::function<Result<std::vector<FrontierState>>()>;

/// Goes on from `old` (a walk of an earlier state of the history, with its frontier and
/// checkpoints) to the history reachable from `tips`: only the new commits are diffed, and,
/// when a new commit's parent is an old commit that is not on the frontier (a branch started
/// from an old commit), the old commits from the nearest checkpoint to it again (without new
/// rows: Fates::stats counts both). An Error when a full walk is needed: a frontier commit is
/// no longer reachable (a rewritten history), or diffing again disagrees with the store.
/// With `load_checkpoints`, `old` holds no checkpoints and they are read through it only if a
/// state must be rebuilt (then they come first in the result's checkpoints, and
/// stats.checkpoints_loaded says so): a walk on from the frontier never reads them.
Result<Fates> extend_history(const git::Repo& repo, Fates old, const std::vector<git_oid>& tips,
                             const Progress& progress = {}, uint32_t checkpoint_every = 0,
                             const CheckpointLoader& load_checkpoints = {});

} // namespace provenant::analysis
