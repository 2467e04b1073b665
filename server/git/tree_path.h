// The blob at a path of a tree, found by scanning the raw tree objects up to the entry, as
// git's own tree walk does, rather than parsing each tree read in full (blame looks up one
// path in every parent of every commit it visits).
#pragma once

#include "git/raw_tree.h"
#include "support/result.h"

#include <cstring>
#include <git2.h>
#include <optional>
#include <string_view>

namespace provenant::git {

/// The id of the blob at `path` ('/'-separated, relative, its bytes as they are: a path need
/// not be UTF-8) under the tree `tree`, read through `odb` (and its object cache); nullopt when
/// there is no such entry, or it is not a blob (a tree, a submodule), as with
/// git_tree_entry_bypath. A malformed tree object is an Error, never read past its end. Any
/// thread, one at a time per repository (libgit2's rule for an odb).
Result<std::optional<git_oid>> blob_at_path(git_odb* odb, const git_oid& tree,
                                            std::string_view path);

class ObjectCache;

/// The same, the trees read through `objects` (its packs and cache; `odb` for what they do not
/// hold). One thread (the cache's rule).
Result<std::optional<git_oid>> blob_at_path(ObjectCache& objects, git_odb* odb, const git_oid& tree,
                                            std::string_view path);

/// The entry named exactly `name` in `data`, the raw object of the tree `tree` (named in
/// errors); nullopt when absent. A tree malformed before the entry is an Error, never read past
/// its end. The entry's name and id point into `data`. Any thread.
Result<std::optional<RawTreeEntry>> raw_tree_entry(std::string_view data, std::string_view name,
                                                   const git_oid& tree);

} // namespace provenant::git
