// The analysis store: a history's line fates kept in SQLite at
// <gitdir>/provenant/analysis.sqlite (0600), keyed by the walked tips and the notes refs'
// tips, so a second report reads instead of walking. Portable SQL (plain tables, INTEGER,
// BIGINT and TEXT columns, no SQLite-only syntax in the queries) so the same schema and
// queries run on PostgreSQL. A store that does not match (other tips, a moved notes ref),
// is corrupt, truncated, of another schema version or inconsistent is rebuilt, never trusted.
#pragma once

#include "analysis/walk.h"

#include <filesystem>

namespace provenant::analysis {

/// The store's schema version; a store of any other version is rebuilt.
inline constexpr int kStoreVersion = 5;

/// The store file of a repository.
std::filesystem::path store_path(const git::Repo& repo);

/// What the store is keyed by: the walked tips and the tips of refs/notes/provenant and
/// refs/notes/ai ("-" when absent).
struct StoreKey {
    std::string tips, notes, ai;
    bool operator==(const StoreKey&) const = default;
};
StoreKey store_key(const git::Repo& repo, const std::vector<git_oid>& tips);

/// A store's content and the key it was written under.
struct Stored {
    Fates fates;
    StoreKey key;
};

/// Reads `file`; an Error says why it cannot be used (missing, corrupt, truncated, another
/// version, a row that points outside the data). Without the frontier and the checkpoints
/// (read_frontier, read_checkpoints): a report that walks nothing does not need them.
Result<Stored> read_store(const std::filesystem::path& file);
/// The frontier of the store `file` that holds `fates` (checked against its rows): read only
/// to go on walking, like the checkpoints. `slots`, when given, is set to each state's slot
/// in the file (what append_store needs to write only what changed).
Result<std::vector<FrontierState>> read_frontier(const std::filesystem::path& file,
                                                 const Fates& fates,
                                                 std::vector<int64_t>* slots = nullptr);
/// What a store file's frontier holds: its states and their slots (read_frontier).
struct StoredFrontier {
    std::vector<int64_t> slots;
    std::vector<FrontierState> states;
};
/// The checkpoints of the store `file` that holds `fates` (checked against its rows).
Result<std::vector<FrontierState>> read_checkpoints(const std::filesystem::path& file,
                                                    const Fates& fates);
/// Replaces `file` with a store of `fates` under `key` (written to a temporary file, then
/// renamed: readers never see half a store).
Status write_store(const std::filesystem::path& file, const StoreKey& key, const Fates& fates);
/// Adds to `file` (a store of the first `old.commits` commits, `old.lines` lines, and so on,
/// of `fates`) what `fates` holds beyond them, replaces the frontier and the key. One
/// transaction. With `frontier` (what the file's frontier holds), only the frontier rows that
/// changed are written; without, the whole frontier.
struct StoredCounts {
    size_t commits = 0, lines = 0, ends = 0, origins = 0, paths = 0, warnings = 0, checkpoints = 0;
};
StoredCounts counts_of(const Fates& fates);
Status append_store(const std::filesystem::path& file, const StoreKey& key, const Fates& fates,
                    const StoredCounts& old, const StoredFrontier* frontier = nullptr);

/// The commits whose note in `ref` differs between the notes commit `old_tip` (40 hex, or
/// "-" for none) and the ref's current tip.
Result<std::vector<std::string>> changed_notes(const git::Repo& repo, const std::string& ref,
                                               const std::string& old_tip);

/// The fates of the history reachable from `tips`: from the store when it matches, else by
/// walking (and then storing, when `use_store`). Store problems are logged, never fatal.
/// `key`, when given, is set to the store key the fates are of (with `use_store`).
Result<Fates> load_fates(const git::Repo& repo, std::vector<git_oid> tips, const Progress& progress,
                         bool use_store = true, StoreKey* key = nullptr);

} // namespace provenant::analysis
