// The pending journal: provenance of uncommitted work, on disk inside the git directory.
#pragma once

#include "core/provenance.h"
#include "support/fs.h"
#include "support/result.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace provenant {

/// Where a path's repository is, found without libgit2 by walking up to a `.git` directory or
/// `.git` file (worktrees, submodules). `gitdir` is the per-worktree git directory.
struct RepoLocation {
    std::filesystem::path workdir;
    std::filesystem::path gitdir;
};
/// nullopt when `path` is in no repository (or in a bare one).
std::optional<RepoLocation> find_repository(const std::filesystem::path& path);

/// The pending provenance of one file.
struct JournalEntry {
    std::string path;      ///< repository-relative, '/'-separated
    Snapshot snapshot;     ///< the text as last known and the origin of every character
    long long updated_ms = 0;
    std::string writer;    ///< who wrote it last: "lsp", "hook:<agent>", "attach", ...
};

/// A repository's journal, stored under `<gitdir>/provenant/journal/`: one file per tracked
/// path, each replaced atomically, read-modify-write under an flock. Any number of threads
/// and processes may use Journals on the same directory at once. A file that cannot be read
/// or parsed is reported and skipped, never overwritten silently (it is moved aside).
/// Bounded: entries larger than kMaxEntryBytes are not stored.
class Journal {
public:
    static constexpr size_t kMaxEntryBytes = 16u << 20;

    explicit Journal(std::filesystem::path gitdir);

    /// The entry for `path`, nullopt when there is none.
    Result<std::optional<JournalEntry>> load(const std::string& path) const;

    /// Read-modify-write of one entry under the lock: `fn` receives the current entry (or
    /// nullopt) and returns the new one (nullopt removes it). Returns what was stored.
    using Updater = std::function<std::optional<JournalEntry>(std::optional<JournalEntry>)>;
    Result<std::optional<JournalEntry>> update(const std::string& path, const Updater& fn);

    /// Every path with an entry.
    Result<std::vector<std::string>> list() const;
    Status remove(const std::string& path);

    /// The lock every writer of this journal takes; hold it to make several updates one
    /// transaction (attach). Not reentrant: do not call update() while holding it — use the
    /// *_locked variants.
    Result<FileLock> lock() const;
    Result<std::optional<JournalEntry>> load_locked(const std::string& path) const { return load(path); }
    Status store_locked(const JournalEntry& entry);
    Status remove_locked(const std::string& path);

    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path gitdir_;
    std::filesystem::path dir_;
};

} // namespace provenant
