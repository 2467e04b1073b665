// The pending journal: provenance of uncommitted work, on disk inside the git directory.
#pragma once

#include "core/provenance.h"
#include "core/restore.h"
#include "support/fs.h"
#include "support/result.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provenant {

/// Where a path's repository is, found without libgit2 by walking up to a `.git` directory or
/// `.git` file (worktrees, submodules). `gitdir` is the per-worktree git directory. Both paths
/// are canonical (symlinks resolved), so they can be compared and prefixed.
struct RepoLocation {
    std::filesystem::path workdir;
    std::filesystem::path gitdir;
};
/// nullopt when `path` is in no repository (or in a bare one). `path` may be a file or a
/// directory, and need not exist (the walk starts from its nearest existing ancestor).
/// Thread-safe.
std::optional<RepoLocation> find_repository(const std::filesystem::path& path);
/// As find_repository, with a message saying why there is none: "not in a git repository",
/// "<dir> is a bare repository (or a git directory); provenant needs a working tree", or a
/// `.git` file that does not name a git directory. Thread-safe.
Result<RepoLocation> locate_repository(const std::filesystem::path& path);

/// `path` relative to `repo.workdir`, '/'-separated, after resolving symlinks in its existing
/// part; an error when it lies outside the working tree (or is the working tree itself).
Result<std::string> repo_relative_path(const RepoLocation& repo, const std::filesystem::path& path);

/// Checks a repository-relative journal path: non-empty, relative, '/'-separated components
/// that are not empty, "." or "..", no NUL, at most kMaxPathBytes bytes.
Status validate_journal_path(std::string_view path);

/// The pending provenance of one file.
struct JournalEntry {
    std::string path;  ///< repository-relative, '/'-separated
    Snapshot snapshot; ///< the text as last known and the origin of every character
    long long updated_ms = 0;
    std::string writer; ///< who wrote it last: "lsp", "hook:<agent>", "attach", ...
    /// The typing the file held when the sidecar last knew it was on disk (the editor saved
    /// it): on a reopen after a crash, typing observed later may never have reached the file
    /// (SavedTyping, core/restore.h). nullopt: not known. update() and store_locked() keep the
    /// stored value when the new entry has none, so writers that do not know it (hooks,
    /// attach, renames) keep it.
    std::optional<SavedTyping> saved;
};

/// A repository's journal, stored under `<gitdir>/provenant/journal/`: one file per tracked
/// path, each replaced atomically, read-modify-write under an flock. Any number of threads
/// and processes may use Journals on the same directory at once (each call is independent;
/// one Journal object may be shared between threads). Each file stands alone: one that cannot
/// be read or parsed (corrupt, a directory, a FIFO, unreadable) is reported and moved aside to
/// `corrupt/`, never overwritten silently; one of a newer schema is reported and left in place
/// (readers go on without it, writers refuse to replace it).
/// Bounded: entries larger than kMaxEntryBytes are not stored, and no new path is added once
/// kMaxEntries paths have entries. The on-disk format is in docs/journal.md.
class Journal {
public:
    static constexpr size_t kMaxEntryBytes = 16u << 20;
    static constexpr size_t kMaxEntries = 10000;
    static constexpr size_t kMaxPathBytes = 4096;
    static constexpr size_t kMaxCorruptFiles = 64; ///< oldest moved-aside files are dropped
    static constexpr std::string_view kSchema = "provenant-journal/1";

    /// `max_entries` lowers the entry cap (tests); it never exceeds kMaxEntries.
    explicit Journal(std::filesystem::path gitdir, size_t max_entries = kMaxEntries);

    /// The entry for `path`, nullopt when there is none (or it was corrupt and moved aside).
    /// An entry written by a newer provenant is reported on stderr and read as nullopt (left
    /// in place). Errors: an invalid path, an I/O error. Takes the lock only to move a corrupt
    /// file aside: never call it while holding lock() in this process (use load_locked).
    Result<std::optional<JournalEntry>> load(const std::string& path) const;

    /// Read-modify-write of one entry under the lock: `fn` receives the current entry (or
    /// nullopt) and returns the new one (nullopt removes it). Returns what was stored.
    /// The stored entry's `path` is `path` and `updated_ms` is now. `fn` runs under the lock:
    /// keep it short. An exception from `fn` is returned as an Error (nothing is stored).
    using Updater = std::function<std::optional<JournalEntry>(std::optional<JournalEntry>)>;
    Result<std::optional<JournalEntry>> update(const std::string& path, const Updater& fn);

    /// Every path with an entry, sorted. Reads only the start of each file, so a listed path
    /// may still turn out corrupt (load then returns nullopt).
    Result<std::vector<std::string>> list() const;
    Status remove(const std::string& path);

    /// A file renamed from `from` to `to` (rename.cpp): moves `from`'s entry to `to`, replacing
    /// any entry there (the file at `to` now holds `from`'s text), when `accept` (if given)
    /// approves it. Returns whether an entry moved. One transaction under the lock.
    using RenameCheck = std::function<bool(const JournalEntry& from_entry)>;
    Result<bool> rename(const std::string& from, const std::string& to,
                        const RenameCheck& accept = {});

    /// The lock every writer of this journal takes; hold it to make several updates one
    /// transaction (attach). Not reentrant: do not call update()/remove()/load() while holding
    /// it — use the *_locked variants.
    Result<FileLock> lock() const;
    Result<std::optional<JournalEntry>> load_locked(const std::string& path) const;
    /// Stores `entry` (stamping updated_ms with now) as update() does, caller holding lock().
    Status store_locked(const JournalEntry& entry);
    Status remove_locked(const std::string& path);
    /// list() for a caller holding lock().
    Result<std::vector<std::string>> list_locked() const;

    const std::filesystem::path& dir() const { return dir_; }
    /// The file that holds `path`'s entry (it may not exist).
    std::filesystem::path entry_file(std::string_view path) const;

private:
    /// `for_write`: an entry of a newer schema is an error (it must not be replaced); for a
    /// reader it is reported and treated as absent.
    Result<std::optional<JournalEntry>> load_impl(const std::string& path, bool locked,
                                                  bool for_write) const;
    Result<std::vector<std::string>> list_impl(bool locked) const;
    Status quarantine_locked(const std::filesystem::path& file, const std::string& why) const;
    Status store_checked_locked(JournalEntry& entry, bool exists);
    Result<size_t> count_entries_locked() const;

    std::filesystem::path gitdir_;
    std::filesystem::path dir_;
    size_t max_entries_ = kMaxEntries;
};

/// The JSON text of an entry as stored (schema provenant-journal/1). Fails when the text is
/// not valid UTF-8 (JSON cannot carry it; such files are not journaled).
Result<std::string> journal_entry_to_text(const JournalEntry& entry);
/// Parses and validates a stored entry. Errors say what is wrong.
Result<JournalEntry> journal_entry_from_text(std::string_view text);

} // namespace provenant
