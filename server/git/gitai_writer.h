// git-ai's notes (refs/notes/ai, authorship/3.0.0) written beside provenant's, when a
// repository asks for them (`git config provenant.gitAiNotes true`), so that tools that read
// only git-ai's notes see provenant's data.
#pragma once

#include "git/repository.h"
#include "protocol/note.h"
#include "support/result.h"

namespace provenant::git {

/// `provenant.gitAiNotes` as a git boolean (true/yes/on/1); false when unset or not a
/// boolean. Same thread rules as Repo.
bool gitai_notes_enabled(const Repo& repo);

/// When enabled, sets git-ai's note of `commit` (replacing any) from provenant's `note`, as
/// note_to_gitai_note gives it (only AI lines are attested; base_commit_sha is the commit).
/// A note with no AI line writes nothing (and removes nothing). Does nothing when disabled.
/// Same thread rules as Repo.
Status write_gitai_note_if_enabled(const Repo& repo, const git_oid& commit, const Note& note);

} // namespace provenant::git
