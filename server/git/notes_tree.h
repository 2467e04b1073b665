// One commit's note found in the raw objects of a notes ref's tree, as git's notes.c finds it,
// rather than through libgit2's note API (which resolves the ref, reads its commit and parses
// every fan-out tree in full again for each commit asked about).
#pragma once

#include "git/object_cache.h"
#include "git/raii.h"
#include "git/raw_tree.h"
#include "git/repository.h"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provenant::git {

/// The notes of one notes ref, its tree resolved once, at construction. A note is found the
/// way git's notes.c finds it: the blob (a regular file) named by the commit's id in hex digits
/// of either case (git reads a name with hex_to_bytes), flat (`abcdef…`) or fanned out in
/// two-digit directories (`ab/cdef…`, `AB/cd/ef…`); other entries are not notes. Where a commit
/// has several (a flat and a fanned-out name, or the same digits in another case), their texts
/// are joined as git joins them (combine_notes_concatenate, in the order git loads them: each
/// level in tree order, a directory's notes where it stands; a blank line between; the same
/// blob twice in a row once), so the text is the one `git notes show` prints. A damaged tree
/// is an Error, never read past its end; a tree that names one commit's note in more than
/// kMaxNoteParts places, or whose texts pass kMaxNoteText bytes, too. Same thread rules as the
/// Repo.
class PackReader;

class NotesTree {
public:
    /// Bounds on what one read collects (trees visited, notes joined; the joined text).
    static constexpr size_t kMaxNoteParts = 256;
    static constexpr size_t kMaxNoteText = size_t{64} << 20;

    /// A missing ref has no notes; a ref that cannot be resolved makes every read an Error.
    NotesTree(const Repo& repo, std::string_view ref);
    NotesTree(const NotesTree&) = delete; // the index points into root_
    NotesTree& operator=(const NotesTree&) = delete;

    /// The note text of `commit` (up to its first NUL byte, as git_note_message gives it),
    /// nullopt when it has none.
    Result<std::optional<std::string>> read(const git_oid& commit) const;

    /// Reads the fan-out trees and note blobs through `packs` first (not owned; null: libgit2
    /// only; the same thread as this reader). A notes ref written by `git fast-import` stores
    /// each note as a delta on the one written before it, in chains of up to 50: libgit2
    /// resolves every note's chain from its base again, the PackReader keeps each version it
    /// resolved on the way, so notes of one chain are resolved once.
    void use_packs(PackReader* packs) { packs_ = packs; }

private:
    /// The object `id` from the packs, or an empty one when they do not hold it (or cannot read
    /// it: libgit2 then decides).
    RawObject from_packs(const git_oid& id) const;
    /// The object `id`, from the packs when they hold it, else from libgit2 (its Error says
    /// `what` was being done).
    Result<RawObject> object(const git_oid& id, const std::string& what) const;
    /// The note blobs for `rest` (the commit's lowercase hex digits below this level) among
    /// `level`, the level's entries whose names may hold them, in tree order; appended to
    /// `out`. `parts` counts the trees and blobs taken so far.
    Status collect(const std::vector<RawTreeEntry>& level, std::string_view rest,
                   std::vector<git_oid>& out, size_t& parts) const;

    Odb odb_;
    std::optional<git_oid> tree_; ///< the notes commit's tree; nullopt: no notes
    /// The root tree's raw object, read once and indexed: libgit2 caches no tree over 4 KiB,
    /// and a notes root is larger (256 fan-out directories, or one entry per note where
    /// libgit2 wrote them flat); the subtrees of a fanned-out tree are small and cached.
    std::string root_;
    /// The root's entries with a two-digit hex name, by its value, in tree order (each with its
    /// position in the tree), and those with a full-length hex name, sorted by (value,
    /// position): where a note can be.
    struct Indexed {
        git_oid key{}; ///< the name's value (flat names only)
        uint32_t pos = 0;
        RawTreeEntry entry;
    };
    std::array<std::vector<Indexed>, 256> fanout_;
    std::vector<Indexed> flat_;
    std::optional<Error> error_; ///< why the ref could not be resolved
    PackReader* packs_ = nullptr;
};

} // namespace provenant::git
