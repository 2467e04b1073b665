// One commit's note found in the raw objects of a notes ref's tree, as git's notes.c finds it,
// rather than through libgit2's note API (which resolves the ref, reads its commit and parses
// every fan-out tree in full again for each commit asked about).
#pragma once

#include "git/raii.h"
#include "git/repository.h"
#include "git/tree_path.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace provenant::git {

/// The notes of one notes ref, its tree resolved once, at construction. A note is found the
/// way git finds it: the blob (a regular file) named by the commit's hex id, flat
/// (`abcdef…`) or fanned out in two-character directories (`ab/cdef…`, `ab/cd/ef…`); other
/// entries are not notes. Where a commit has several (a flat and a fanned-out name), their texts
/// are joined as git joins them (the deepest first, a blank line between), so the text is the
/// one `git notes show` prints. Same thread rules as the Repo.
class NotesTree {
public:
    /// A missing ref has no notes; a ref that cannot be resolved makes every read an Error.
    NotesTree(const Repo& repo, std::string_view ref);
    NotesTree(const NotesTree&) = delete; // the index points into root_
    NotesTree& operator=(const NotesTree&) = delete;

    /// The note text of `commit` (up to its first NUL byte, as git_note_message gives it),
    /// nullopt when it has none.
    Result<std::optional<std::string>> read(const git_oid& commit) const;

private:
    Status collect(const git_oid& tree, std::string_view rest, std::vector<git_oid>& out) const;
    /// Given a level's entries named by the next two digits of `rest` and by all of it: the
    /// notes under the first (a fan-out directory), then the second (a note).
    Status collect_found(const std::optional<RawTreeEntry>& dir,
                         const std::optional<RawTreeEntry>& flat, std::string_view rest,
                         std::vector<git_oid>& out) const;

    Odb odb_;
    std::optional<git_oid> tree_; ///< the notes commit's tree; nullopt: no notes
    /// The root tree's raw object, read once and indexed by name: libgit2 caches no tree over
    /// 4 KiB, and a notes root is larger (256 fan-out directories, or one entry per note where
    /// libgit2 wrote them flat); the subtrees of a fanned-out tree are small and cached.
    std::string root_;
    std::unordered_map<std::string_view, RawTreeEntry> root_index_;
    std::optional<Error> error_; ///< why the ref could not be resolved
};

} // namespace provenant::git
