// `provenant ci squash-merge`: after a server-side squash or rebase merge, move attribution
// from a pull request's commits onto the commits that landed, and check the result.
#pragma once

#include "git/repository.h"
#include "git/rewrite.h"

#include <string>
#include <vector>

namespace provenant::git {

/// Input of `ci_squash_merge`, all revisions as git understands them.
struct CiMergeOptions {
    std::string base;   ///< the target branch before the merge (its PR commits are excluded)
    std::string head;   ///< the pull request's head commit
    std::string merged; ///< the commit that landed, or a range A..B of rebased commits
    bool dry_run = false;
};

/// What happened to one landed commit.
struct CiMergedCommit {
    std::string commit;
    std::vector<std::string> sources; ///< the pull request commits carried from
    std::string match;                ///< "patch-id" (rebase merge, 1:1) or "squash" (all)
    CarryStats lines;
    bool written = false;
    std::vector<std::string> rejected; ///< lines the content check refused (never written)
};

struct CiMergeReport {
    std::vector<std::string> pr_commits; ///< oldest first
    std::vector<CiMergedCommit> merged;
};

/// For each landed commit: its source is the pull request commit with the same patch id
/// (a rebase merge), else all the pull request's commits (a squash merge). Carries their
/// notes (carry_note), then checks every line the carry attributed against the sources by
/// content: the same text must carry the same class and origin in some source note,
/// otherwise nothing is written for that commit and the line is reported (git-ai once
/// copied notes to the wrong commits: this is the guard). Token usage moves once: with the
/// matching commit, or onto the squash commit.
Result<CiMergeReport> ci_squash_merge(const Repo& repo, const CiMergeOptions& options);

} // namespace provenant::git
