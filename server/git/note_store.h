// Reading and writing provenant notes under refs/notes/provenant with libgit2.
#pragma once

#include "git/repository.h"
#include "protocol/note.h"
#include "support/fs.h"

#include <optional>
#include <string>
#include <vector>

namespace provenant::git {

/// The committer for notes commits: $GIT_COMMITTER_NAME/$GIT_COMMITTER_EMAIL, else the
/// repository's user.name/user.email, else "provenant <provenant@localhost>" (a machine
/// with no git identity must still get notes).
Result<Signature> note_signature(git_repository* repo);

/// Provenant's own flock that every writer of a notes ref holds around its update
/// (`<commondir>/provenant/notes.lock`, see note_store.cpp): attach, rewrites and sync. A ref
/// lock seen while holding it was left by a writer that died. Blocks until held; not
/// reentrant (a second acquire in the same process waits for the first). Any thread.
Result<FileLock> lock_notes_writers(git_repository* repo);

/// The notes of one notes ref. Uses the Repo's handle: same thread rules as Repo.
/// Concurrent writers in other processes are handled by retrying when the ref moved.
class NoteStore {
public:
    explicit NoteStore(const Repo& repo, std::string ref = std::string(kNotesRef))
        : repo_(repo.get()), ref_(std::move(ref)) {}

    const std::string& ref() const { return ref_; }

    /// The note text of `commit`, nullopt when it has none.
    Result<std::optional<std::string>> read_raw(const git_oid& commit) const;
    /// The parsed note; a note that does not parse is an Error (naming the commit).
    Result<std::optional<Note>> read(const git_oid& commit) const;
    /// Sets the note of `commit` (replacing any), as serialize_note(note).
    Status write(const git_oid& commit, const Note& note);
    Status write_raw(const git_oid& commit, const std::string& text);
    /// Removes the note of `commit`; false when there was none.
    Result<bool> remove(const git_oid& commit);

    struct Entry {
        git_oid commit;
        git_oid blob; ///< the note blob
    };
    /// Every (annotated commit, note blob) pair of the ref; empty when the ref does not exist.
    Result<std::vector<Entry>> list() const;

private:
    git_repository* repo_;
    std::string ref_;
};

} // namespace provenant::git
