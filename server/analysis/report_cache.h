// The report cache: computed report JSON kept beside the analysis store, one file per set of
// inputs, so a report whose history, notes and options did not change reads one small file
// instead of every stored line (docs/report.md, "The store"). An entry is keyed by everything
// the report is computed from: the store's key (the walked tips, the notes refs' tips) and the
// resolved options (report_inputs), so no entry can be stale; one whose bytes do not check out
// (truncated, corrupt, of another version) is a miss, never trusted.
#pragma once

#include "analysis/store.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace provenant::analysis {

/// The format of an entry; bump it, or the tool's version, when compute_report's output for
/// the same inputs changes (an entry of another version is a miss).
inline constexpr int kReportCacheVersion = 1;

/// The directory of the report cache of the store `store_file`.
std::filesystem::path report_cache_dir(const std::filesystem::path& store_file);

/// The whole key of an entry: the versions, the store key and `inputs` (the report's
/// resolved options, in one line of text: cli::Selection::inputs).
std::string report_cache_key(const StoreKey& store, const std::string& inputs);

/// The entry for `key` in `dir`, or nullopt: no entry, another key (two keys of one file
/// name), a body whose SHA-1 is not the recorded one, JSON that does not parse. Reads one
/// file; any thread.
std::optional<nlohmann::json> read_cached_report(const std::filesystem::path& dir,
                                                 const std::string& key);

/// Stores `report` under `key` (written to a temporary file and renamed: a reader sees the
/// old entry or the new one; not fsynced, a torn entry fails its check). Keeps the newest
/// kReportCacheEntries entries of `dir`. Files 0600, the directory 0700. Any thread.
inline constexpr size_t kReportCacheEntries = 32;
Status write_cached_report(const std::filesystem::path& dir, const std::string& key,
                           const nlohmann::json& report);

} // namespace provenant::analysis
