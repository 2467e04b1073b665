// `provenant export --to postgresql://… | sqlite:FILE`: the export rows into a database with
// the versioned schema (server/export/sql/v1.sql, created when absent). One repository's
// rows are replaced in one transaction: a re-export never doubles a row, and an export that
// dies half-way (a dropped connection, a killed process) leaves the previous rows as they were.
#pragma once

#include "export/rows.h"
#include "support/result.h"

#include <string>
#include <vector>

namespace provenant::exporting {

/// What was exported, and how its numbers were counted (the provenant_repos row).
struct ExportMeta {
    std::string repo, exported_at;
    Text main_commit, at_commit, prices;
    int survival_days = 30, rework_days = 21;
};

struct ExportData {
    ExportMeta meta;
    const std::vector<CommitRowOut>* commits = nullptr;
    const std::vector<FateRowOut>* fates = nullptr;
};

/// Test hook (docs/export.md): with PROVENANT_TEST_EXPORT_PAUSE_AFTER_ROWS=N in the
/// environment, the writer prints "paused after N rows" on stdout after streaming N rows
/// (inside the open transaction) and waits until stdin closes, so a test can kill it in the
/// middle of its copy. 0 when unset.
uint64_t pause_after_rows();
void pause_for_test(uint64_t rows);

/// `url` is a libpq connection URI (postgresql://… or postgres://…). Uses COPY. Errors say
/// what failed (connecting, the schema version, a row).
Status export_to_postgresql(const std::string& url, const ExportData& data);
/// `file` is created 0600 when absent.
Status export_to_sqlite(const std::string& file, const ExportData& data);

} // namespace provenant::exporting
