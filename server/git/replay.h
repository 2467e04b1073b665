// Line fates through history: replaying notes along commits and carrying per-line attribution
// from one commit's files to another's through git's line diff (docs/model.md §8).
#pragma once

#include "git/note_store.h"
#include "git/repository.h"
#include "protocol/note.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace provenant::git {

/// The attribution of one line, as some commit's note gave it.
struct LineAttr {
    LineClass cls = LineClass::Unknown;
    const NoteOrigin* origin = nullptr;  ///< ai / ai_modified lines; owned by the Replayer
    const std::string* commit = nullptr; ///< the commit whose note said so; owned by the Replayer
};

/// Attribution of every line of one text: index 1..line count (index 0 unused). nullopt: no
/// note says anything about the line (it predates the replayed commits, or has no note).
using FileLines = std::vector<std::optional<LineAttr>>;

/// One file's text and line attribution at some commit.
struct FileState {
    std::string text;
    FileLines lines;
};

/// Files by repository-relative path at the last replayed commit.
using TreeState = std::map<std::string, FileState>;

/// Replays notes through commits and carries the result to other commits. Caches notes and
/// texts for its lifetime; the pointers in LineAttr stay valid as long as the Replayer.
/// Uses the Repo's handle: one thread at a time.
///
/// The rule that makes misattribution impossible: a line keeps an attribution only where
/// git's diff shows it unchanged (same bytes), and a note's lines are used only when the
/// note's blob id matches the committed blob (a note copied to the wrong commit is ignored).
class Replayer {
public:
    Replayer(const Repo& repo, const NoteStore& notes) : repo_(repo), notes_(notes) {}

    /// The note of `commit` (cached); nullptr when it has none or it cannot be read
    /// (logged: a broken note is a gap, never an error for the caller).
    const Note* note_of(const git_oid& commit);

    /// Replays `chain` (oldest first, each commit's first parent being the previous one)
    /// over `state` (the files at the first commit's parent; empty: nothing attributed):
    /// unchanged lines keep their attribution, lines a commit adds take its note's (or none).
    Status replay(const std::vector<git_oid>& chain, TreeState& state);

    /// Carries `state` (the files at commit `from`) onto the files of commit `to`: for each
    /// file that `to` adds lines to (against its first parent), the attribution of every line
    /// of `to`'s text that the diff from the same file at `from` (renames followed) shows
    /// unchanged. Files `state` knows nothing about are absent.
    Result<std::map<std::string, FileLines>> carry(const TreeState& state, const git_oid& from,
                                                   const git_oid& to);

    /// The commits on the first-parent path from `tip` back to (excluding) `stop`, oldest
    /// first; at most `limit` commits (the oldest are dropped beyond that).
    Result<std::vector<git_oid>>
    first_parent_path(const git_oid& tip, const std::optional<git_oid>& stop, size_t limit = 256);

    /// Every line of `path` at `commit`, attributed by replaying up to `depth` first-parent
    /// commits (for tests and diagnostics; `blame` is the fast path for users).
    Result<FileState> attribution_at(const git_oid& commit, const std::string& path,
                                     size_t depth = 4096);

private:
    const std::string* intern_commit(const git_oid& id);
    const Repo& repo_;
    const NoteStore& notes_;
    std::map<std::string, std::unique_ptr<std::optional<Note>>> notes_cache_;
    std::map<std::string, std::unique_ptr<std::string>> commit_ids_;
};

/// Maps `lines` (the attribution of `old_text`) onto `new_text` through the line diff.
Result<FileLines> map_lines(const FileLines& lines, std::string_view old_text,
                            std::string_view new_text);

} // namespace provenant::git
