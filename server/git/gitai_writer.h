// git-ai's notes (refs/notes/ai, authorship/3.0.0) kept beside provenant's, when a repository
// asks for them (`git config provenant.gitAiNotes true`), so that tools that read only git-ai's
// notes see provenant's data. Every path that sets or removes provenant's note of a commit
// (attach, post-rewrite, `rewritten --post-commit`, `ci squash-merge`, sync) calls one of the
// two functions below, so the two refs never disagree about a commit provenant owns. A git-ai
// note provenant did not write (git-ai's own) is never replaced or removed.
#pragma once

#include "git/repository.h"
#include "protocol/note.h"
#include "support/result.h"

namespace provenant::git {

/// `provenant.gitAiNotes` as a git boolean (true/yes/on/1); false when unset or not a
/// boolean. Same thread rules as Repo.
bool gitai_notes_enabled(const Repo& repo);

/// When enabled, makes git-ai's note of `commit` say what provenant's `note` says, as
/// note_to_gitai_note gives it (only AI lines are attested; base_commit_sha is the commit):
/// written when it differs, removed when `note` has no AI line. A git-ai note that provenant
/// did not write (written_by_provenant) is left as it is, and said on stderr once per process.
/// Does nothing when disabled. Same thread rules as Repo.
Status write_gitai_note_if_enabled(const Repo& repo, const git_oid& commit, const Note& note);

/// When enabled, removes git-ai's note of `commit` if provenant wrote it (provenant's own note
/// of the commit is gone); another tool's note is left, as above. Same thread rules as Repo.
Status remove_gitai_note_if_enabled(const Repo& repo, const git_oid& commit);

} // namespace provenant::git
