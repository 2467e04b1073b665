// Deferred attach: the post-commit hook queues the commit and returns at once; a background
// `provenant attach --pending` (or the next command that reads or writes provenance) writes
// the notes, in history order, one process at a time.
//
// The queue is a directory, `<gitdir>/provenant/pending/`, holding one empty file per commit,
// named by the commit id (or `HEAD.<pid>` when the hook could not resolve HEAD with shell
// builtins). The hook creates the file with a shell redirection (no process start), so a
// commit costs git one `sh`; files are removed only after their commit's note is written or
// found impossible, so a killed worker loses nothing: the next drain finds the file again.
#pragma once

#include "git/repository.h"

#include <filesystem>
#include <string>
#include <vector>

namespace provenant::git {

/// `<gitdir>/provenant/pending`.
std::filesystem::path pending_dir(const std::filesystem::path& gitdir);

/// Whether commits wait for their note (one directory read; no lock, no libgit2). Cheap enough
/// for every journal write to ask.
bool has_pending_attaches(const std::filesystem::path& gitdir);

/// Creates the queue directory (install, and every attach), so the hook can use it.
Status ensure_pending_dir(const std::filesystem::path& gitdir);

struct DrainReport {
    size_t written = 0;                ///< notes written
    size_t skipped = 0;                ///< commits that already had a note
    std::vector<std::string> problems; ///< commits whose note could not be written, and why
};

/// Attaches every queued commit of this worktree, ancestors before descendants (a commit's
/// evidence is retired before its child's attach reads the journal), then removes its queue
/// file. Holds `<gitdir>/provenant/pending.lock` throughout, so concurrent drains (a rebase
/// starts one per pick) serialise and each commit is attached once; commits queued while it
/// runs are attached too. Returns at once, without locking, when nothing is queued.
/// Same thread rules as Repo.
Result<DrainReport> drain_pending_attaches(const Repo& repo);

/// For readers (show, blame, status, sync, …): drains the queue so they see every note git's
/// hooks have promised. Problems are logged, never returned: a reader still works on what
/// is there.
void finish_pending_attaches(const Repo& repo);

} // namespace provenant::git
