// A tree-to-tree diff over a given set of exact paths, with renames found as git finds them:
// the one libgit2 call the history walk and blame both make after comparing trees themselves.
#pragma once

#include "git/raii.h"
#include "support/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace provenant::git {

/// git_diff_tree_to_tree of `old_tree` and `new_tree` restricted to exactly `paths` (no glob
/// matching; `paths` must not be empty: an empty pathspec would mean every path), then
/// git_diff_find_similar with renames. `base` gives the other diff options; `what` names the
/// diff in errors ("diffing <what>"). Any thread, with its own repository handle.
Result<Diff> diff_paths_with_renames(git_repository* repo, git_tree* old_tree, git_tree* new_tree,
                                     std::vector<std::string>& paths, const git_diff_options& base,
                                     std::string_view what);

} // namespace provenant::git
