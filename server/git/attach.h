// attach: map the pending journal provenance onto the lines a commit adds and write its note.
#pragma once

#include "git/repository.h"
#include "git/rewrite.h"
#include "protocol/note.h"

#include <string>

namespace provenant::git {

struct AttachOptions {
    std::string rev = "HEAD";
    /// Replace a note the commit already has (default: keep it and do nothing).
    bool force = false;
    /// What the post-commit hook saw (a deferred attach); none: read git's live state.
    std::optional<HookContext> context;
};

struct AttachResult {
    std::string commit; ///< 40 hex
    bool written = false;
    std::string skipped; ///< why no note was written ("already has a note", ...)
    Note note;           ///< the note written (when written)
};

/// Writes the note of `opts.rev` from the journal: for every file the commit adds lines to
/// (against its first parent), the journal's snapshot is carried onto the committed blob
/// (unmatched text is `unknown`), the lines are classified, and only the added lines are
/// recorded. Then, under the journal lock, committed evidence is retired (it becomes base:
/// not fresh) and what was not committed stays pending; session spend and the funnel are read
/// from and settled in the session store. Rewrites (cherry-pick, squash, merges) are refined
/// by the rewrites code before the note is written. Same thread rules as Repo.
Result<AttachResult> attach(const Repo& repo, const AttachOptions& opts);

/// Builds the note of `commit` without writing anything or touching the journal (tests,
/// dry runs). Uses the journal's current content.
Result<Note> build_note(const Repo& repo, const git_oid& commit);

} // namespace provenant::git
