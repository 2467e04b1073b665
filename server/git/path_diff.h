// A tree-to-tree diff over a given set of exact paths, with renames found as git finds them:
// the one libgit2 call the history walk and blame both make after comparing trees themselves.
#pragma once

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

/// Hashing and equality of object ids, for maps keyed by them (no string per key).
struct OidHash {
    size_t operator()(const git_oid& id) const noexcept;
};
struct OidEq {
    bool operator()(const git_oid& a, const git_oid& b) const noexcept {
        return git_oid_equal(&a, &b) != 0;
    }
};

/// The trees read by the last two calls of a sequence of tree comparisons, by id. A walk
/// compares each commit with its parent, so the parent's trees are the ones the previous
/// comparison read for its new side; libgit2's object cache keeps no tree over 4 KiB (a
/// directory of a hundred files), and reading them again from the pack (deltas resolved)
/// was half of a cold walk at 100,000 commits. Bounded: two comparisons' trees. One thread.
class TreeCache {
public:
    /// Starts the next comparison: trees not read since the one before are dropped.
    void next();
    /// The tree `id`, read once per two comparisons; owned by the cache until next() drops it.
    Result<const git_tree*> get(git_repository* repo, const git_oid& id);

private:
    std::unordered_map<git_oid, Tree, OidHash, OidEq> current_, previous_;
};

/// Adds to `out` every entry (blob, link or submodule) that is not the same in `a` and `b`
/// (either may be null), in git's path order, descending only into subtrees whose ids differ.
/// Both trees' entries are walked side by side (a merge of two sorted lists, no name
/// look-ups). An entry that is a tree on one side and not on the other is listed as removed
/// and added (with the tree's files). Any thread, with its own repository handle.
Status changed_entries(git_repository* repo, const git_tree* a, const git_tree* b,
                       const std::string& prefix, std::vector<EntryChange>& out,
                       TreeCache* cache = nullptr);

/// git_diff_tree_to_tree of `old_tree` and `new_tree` restricted to exactly `paths` (no glob
/// matching; `paths` must not be empty: an empty pathspec would mean every path), then
/// git_diff_find_similar with renames. `base` gives the other diff options; `what` names the
/// diff in errors ("diffing <what>"). Any thread, with its own repository handle.
Result<Diff> diff_paths_with_renames(git_repository* repo, git_tree* old_tree, git_tree* new_tree,
                                     std::vector<std::string>& paths, const git_diff_options& base,
                                     std::string_view what);

} // namespace provenant::git
