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
inline constexpr int kStoreVersion = 1;

/// The store file of a repository.
std::filesystem::path store_path(const git::Repo& repo);

/// What the store is keyed by: the walked tips and the tips of refs/notes/provenant and
/// refs/notes/ai, as one string.
Result<std::string> store_key(const git::Repo& repo, const std::vector<git_oid>& tips);

/// Reads the fates stored under `key` from `file`; an Error says why they cannot be used
/// (missing, another key, corrupt, another version, inconsistent).
Result<Fates> read_store(const std::filesystem::path& file, const std::string& key);
/// Replaces `file` with a store of `fates` under `key` (written to a temporary file, then
/// renamed: readers never see half a store).
Status write_store(const std::filesystem::path& file, const std::string& key, const Fates& fates);

/// The fates of the history reachable from `tips`: from the store when it matches, else by
/// walking (and then storing, when `use_store`). Store problems are logged, never fatal.
Result<Fates> load_fates(const git::Repo& repo, std::vector<git_oid> tips,
                         const Progress& progress, bool use_store = true);

} // namespace provenant::analysis
