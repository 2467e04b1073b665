// Journal entries that a commit moved to another path: `git mv` of a file whose pending work
// the journal holds under its old name.
#pragma once

#include "git/repository.h"
#include "journal/journal.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace provenant::git {

using EntryLoader = std::function<Result<std::optional<JournalEntry>>(const std::string&)>;

/// For the files `changes` adds (status Added) that have no journal entry under their path:
/// the journal path, among `journal_paths`, of an entry left behind by a move. Such a path is
/// gone from the commit's tree and from the working tree, and its entry's text and the
/// committed text share at least half of the non-blank lines of each (by git's line diff):
/// a file moved before its first commit, or a rename git paired with nothing. Each journal
/// path is given to at most one file, the one sharing the most lines. Returns committed
/// path -> journal path. Git renames of committed files need none of this: attach follows
/// them through the diff's old path. Same threads as attach (one at a time per Repo).
Result<std::map<std::string, std::string>>
find_moved_entries(const Repo& repo, const git_oid& commit, const std::vector<FileDiff>& changes,
                   const std::vector<std::string>& journal_paths, const EntryLoader& load);

} // namespace provenant::git
