// Carrying notes to rewritten commits: post-rewrite (amend, rebase), and the rewrites attach
// detects (cherry-pick, rebase picks, merge --squash, reset + commit, merge commits).
#pragma once

#include "git/note_store.h"
#include "git/repository.h"
#include "protocol/note.h"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace provenant::git {

/// The commits a new commit was made from, and how.
struct RewriteSources {
    std::string kind;          ///< amend, rebase, cherry-pick, squash-merge, reset, revert
    std::vector<git_oid> olds; ///< in history order when known (oldest first)
    /// Whether the olds' token usage moves to the new commit: yes when the olds are gone
    /// from the branch (amend, rebase, reset, squash-merge), no for a cherry-pick, whose
    /// source still counts where it is.
    bool carry_tokens = true;
    /// A revert: the attribution is carried from every line of this commit (the reverted
    /// commit's parent, its notes replayed along its first-parent history) rather than from
    /// the lines the olds added; the olds (the reverted commits) are only named.
    std::optional<git_oid> state_at;
};

/// What git's state said when the post-commit hook ran for a commit, captured by the hook
/// (shell builtins) for a deferred attach: by the time the note is written, a rebase or a
/// sequence of cherry-picks may have moved on, so the live state would describe another
/// commit.
struct HookContext {
    std::optional<git_oid> cherry_pick_head; ///< CHERRY_PICK_HEAD, when it existed
    bool rebasing = false;                   ///< .git/rebase-merge or rebase-apply existed
};

/// How a carry went, for logs and tests.
struct CarryStats {
    size_t carried = 0; ///< added lines that took an old note's attribution
    size_t kept = 0;    ///< added lines that kept the new commit's own attribution
    size_t unknown = 0; ///< added lines nobody knows
};

/// Builds the note of `target` from the notes of `sources.olds` (replayed along the old
/// history up to the last old commit, then carried through the diff to `target`'s files)
/// and `existing` (the note attach wrote from the journal, if any). Per added line of
/// `target`: the carried attribution when it is known, else `existing`'s, else unknown.
/// Idempotent: running it again with the same sources changes nothing (tokens are added
/// only for olds not already listed in `existing->rewrite`).
/// nullopt when neither the olds nor `existing` say anything (no note to write).
Result<std::optional<Note>> carry_note(const Repo& repo, const NoteStore& notes,
                                       const git_oid& target, const RewriteSources& sources,
                                       const std::optional<Note>& existing,
                                       CarryStats* stats = nullptr);

/// The rewrite `commit` (normally HEAD, just committed) is part of, found without a hook:
/// CHERRY_PICK_HEAD (cherry-pick, or a rebase pick), a "(cherry picked from commit …)"
/// trailer, the commits of a `merge --squash` (recorded by `record_squash_sources`, or listed
/// in the message), a cherry-pick committed after a conflict (HEAD's reflog says "commit
/// (cherry-pick)": the picked commit is found on the branches by author and subject), a
/// revert ("This reverts commit <id>."), or a reset found in HEAD's reflog followed by this
/// commit. nullopt when
/// it is an ordinary commit. Cheap when it is one (a few file and reflog reads).
/// With `context` (a deferred attach), the state the hook saw replaces the live one: the
/// commit counts as the HEAD it was then, and its reflog entry is searched for rather than
/// expected to be the newest.
Result<std::optional<RewriteSources>> find_rewrite_sources(const Repo& repo, const git_oid& commit,
                                                           const HookContext* context = nullptr);

/// For a merge commit: removes from `note` the lines present unchanged in any parent (only
/// conflict resolutions and new lines stay: the rest keep their attribution in the parent
/// they came from). Unchanged for other commits.
Result<Note> restrict_to_new_lines(const Repo& repo, const git_oid& commit, Note note);

/// What attach calls just before writing the note of `commit` (built from the journal):
/// merge commits keep only their new lines; rewrites found by find_rewrite_sources get the
/// carried attribution. Never fails: on any problem it logs and returns `note` unchanged.
Note refine_attached_note(const Repo& repo, const git_oid& commit, Note note,
                          const HookContext* context = nullptr);

/// The post-merge hook's part after `merge --squash`: while .git/SQUASH_MSG exists (git deletes
/// it before post-commit), records the squashed commits, the HEAD they apply to and HEAD's
/// reflog length (the squash commit is the next entry) in <gitdir>/provenant/squash-sources.
/// Fast and harmless when there is no squash.
Status record_squash_sources(const Repo& repo);

/// One line of git's post-rewrite input.
struct RewritePair {
    git_oid old_id;
    git_oid new_id;
};
/// Parses post-rewrite's stdin ("<old> <new> [<extra>]" per line). Bad lines are usage errors
/// (ErrorKind::usage: the hook's input, like its command line) naming the line number.
Result<std::vector<RewritePair>> parse_rewrite_pairs(std::istream& in);

/// Summary of `apply_rewrites`.
struct RewriteReport {
    size_t new_commits = 0; ///< new commits considered
    size_t notes_written = 0;
    CarryStats lines;
    std::vector<std::string> problems; ///< per-commit failures (the others still got notes)
};

/// post-rewrite: for each new commit, combine the notes of the olds that map to it
/// (squash/fixup: several) with its own note, and write the result with `rewrite` set.
/// `kind` is git's argument ("amend" or "rebase").
Result<RewriteReport> apply_rewrites(const Repo& repo, const std::string& kind,
                                     const std::vector<RewritePair>& pairs);

} // namespace provenant::git
