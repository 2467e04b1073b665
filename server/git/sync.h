// `provenant sync`: exchange refs/notes/provenant with a remote without losing anyone's notes.
#pragma once

#include "support/result.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <git2.h>
#include <optional>
#include <string>
#include <string_view>

namespace provenant::git {

/// Where `sync` keeps the last fetched copy of a remote's refs/notes/provenant (kNotesRef):
/// refs/provenant-remote/<remote>/notes/provenant, outside refs/notes/provenant* so that the
/// push refspec's glob never matches it.
std::string tracking_notes_ref(const std::string& remote);

/// Merges two different notes for the same annotated commit into one (deterministic, and the
/// same whichever side is `ours`). The default is `merge_note_texts` (sync_note_merge.cpp).
using NoteTextMerger =
    std::function<Result<std::string>(std::string_view ours, std::string_view theirs)>;

/// What a notes merge did.
struct NotesMergeResult {
    enum class Kind { UpToDate, FastForward, Merged } kind = Kind::UpToDate;
    std::optional<git_oid> result; ///< the notes commit the local ref now points to
    size_t added = 0;              ///< notes taken from theirs that ours did not have
    size_t combined = 0;           ///< notes present on both sides with different content
    size_t removed = 0;            ///< notes removed on one side since the merge base
    size_t rejected = 0; ///< notes changed only on theirs, not taken: invalid (said on stderr)
    size_t skipped = 0;  ///< entries of their notes tree that are not notes (said on stderr)
    /// The annotated commits (hex) whose local note the merge set, replaced or removed: what
    /// git-ai's notes must follow (gitai_writer.h).
    std::vector<std::string> changed;
};

/// Merges the notes commit `theirs_ref` (a full ref name) into `notes_ref` in `repo`:
/// fast-forward when possible, else a three-way merge by annotated commit (a note added,
/// changed or removed on one side only is taken as is; one changed on both sides goes
/// through `merger`), committed with both parents. Their notes are untrusted: a note only
/// they changed is taken only if it is a valid provenant note for its commit (else ours is
/// kept), and an entry of their tree that is not a note (a gitlink, a tree) is skipped; both
/// are reported on stderr and make the result a merge commit (with theirs as a parent).
/// Holds the notes flock (lock_notes_writers) throughout. The local ref is updated only if it
/// still holds the value read at the start (compare-and-swap), so a note written
/// concurrently by `attach` is never overwritten: the merge is redone instead (bounded).
/// One repository handle per thread.
Result<NotesMergeResult> merge_notes_refs(git_repository* repo, const std::string& notes_ref,
                                          const std::string& theirs_ref,
                                          const NoteTextMerger& merger);

/// Options of `sync_notes`.
struct SyncOptions {
    std::string remote = "origin";
    int max_attempts = 8;  ///< fetch-merge-push rounds before giving up on a push race
    bool push = true;      ///< false: fetch and merge only
    bool fetch = true;     ///< false: merge the tracking ref already fetched (no network)
    NoteTextMerger merger; ///< empty: merge_note_texts
};

/// What `sync_notes` did.
struct SyncReport {
    int attempts = 0;
    NotesMergeResult merge;
    bool pushed = false; ///< the remote now holds our notes commit
    bool remote_had_notes = false;
};

/// Fetches the remote's refs/notes/provenant into tracking_notes_ref(remote) (git CLI),
/// merges it into refs/notes/provenant, and pushes the result without force. When the push
/// is rejected because someone else pushed meanwhile, starts over, at most `max_attempts`
/// times with a growing randomised pause. `workdir` is any directory of the repository.
/// One call at a time per repository is not required: the local ref is compare-and-swapped.
Result<SyncReport> sync_notes(const std::filesystem::path& workdir, const SyncOptions& options);

/// Adds to `remote`'s configuration the refspecs that make plain `git fetch` bring the
/// remote's notes into tracking_notes_ref(remote) and plain `git push` send ours, never
/// forced. Both are globs (`refs/notes/provenant*`) so that a side with no notes yet makes
/// neither command fail. Because any push refspec
/// replaces git's default "push the current branch", `HEAD` is added first when the remote
/// has no push refspec yet. Running it twice changes nothing. Returns a description of what
/// was added (empty when nothing was).
Result<std::string> configure_notes_refspecs(git_repository* repo, const std::string& remote);

/// Removes exactly the refspecs `configure_notes_refspecs` adds (HEAD only if it is then the
/// only push refspec left and was added by us, which we cannot know: so HEAD is kept).
Status remove_notes_refspecs(git_repository* repo, const std::string& remote);

} // namespace provenant::git
