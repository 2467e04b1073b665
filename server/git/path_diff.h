// A tree-to-tree diff over a given set of exact paths, with renames found as git finds them:
// the one libgit2 call the history walk and blame both make after comparing trees themselves.
#pragma once

#include "git/object_cache.h"
#include "git/raii.h"
#include "support/result.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace provenant::git {

/// Adds to `out` the path (under `prefix`) of every entry (blob, link or submodule) that is
/// not the same in `a` and `b` (either may be null), descending only into subtrees whose ids
/// differ: libgit2's tree diff visits every entry of both trees, identical subtrees included,
/// so on a large tree most of its cost is in entries that did not change. Unsorted; a path
/// whose type changed between a tree and a blob is listed under both. Any thread, with its
/// own repository handle.
Status changed_paths(git_repository* repo, const git_tree* a, const git_tree* b,
                     const std::string& prefix, std::vector<std::string>& out);

/// One entry that differs between two trees: its path, and its id and mode on each side
/// (mode 0: absent on that side).
struct EntryChange {
    std::string path;
    git_oid old_id{}, new_id{};
    uint32_t old_mode = 0, new_mode = 0;
};

/// Adds to `out` every entry (blob, link or submodule) that is not the same in the trees `a`
/// and `b` (ids; either may be null: no tree), in git's path order, descending only into
/// subtrees whose ids differ. The trees are read raw through `odb` and `cache` (no git_tree is
/// built) and their sorted entries walked side by side (a merge of two sorted lists, no name
/// look-ups). An entry that is a tree on one side and not on the other is listed as removed
/// and added (with the tree's files). The old side's trees that differ are dropped from the
/// cache once compared (ObjectCache::drop). A malformed tree is an Error. Any thread, with its
/// own odb and cache.
Status changed_entries(git_odb* odb, ObjectCache& cache, const git_oid* a, const git_oid* b,
                       const std::string& prefix, std::vector<EntryChange>& out);

/// git_diff_tree_to_tree of `old_tree` and `new_tree` restricted to exactly `paths` (no glob
/// matching; `paths` must not be empty: an empty pathspec would mean every path), then
/// git_diff_find_similar with renames. `base` gives the other diff options; `what` names the
/// diff in errors ("diffing <what>"). Any thread, with its own repository handle.
Result<Diff> diff_paths_with_renames(git_repository* repo, git_tree* old_tree, git_tree* new_tree,
                                     std::vector<std::string>& paths, const git_diff_options& base,
                                     std::string_view what);

} // namespace provenant::git
