// The interface of provenant's PostgreSQL module (provenant-postgresql.so): plain C, so the
// module can link libpqxx and libpq (and their ~20 shared libraries, ~30 ms to load) while
// the provenant binary, which every git and agent hook starts, does not. export/postgresql.cpp
// loads it with dlopen only for `provenant export --to postgresql://…`.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

/// One export: the rows as text cells in the tables' column order (a null pointer is SQL
/// NULL), `rows * columns` cells per table.
struct ProvenantPgExport {
    const char* url;
    const char* schema_sql;  ///< server/export/sql/v1.sql: a new database's tables
    const char* upgrade_sql; ///< server/export/sql/v2.sql: version 1 to version 2
    int schema_version;      ///< 2
    const char* repo;
    const char* exported_at;
    const char* main_commit; ///< may be null
    const char* at_commit;   ///< may be null
    const char* prices;      ///< may be null
    int survival_days, rework_days;
    const char* const* commit_columns;
    size_t commit_ncolumns, commit_rows;
    const char* const* commit_cells;
    const char* const* fate_columns;
    size_t fate_ncolumns, fate_rows;
    const char* const* fate_cells;
    uint64_t pause_after_rows;    ///< the test hook (export/database.h); 0: none
    void (*pause)(uint64_t rows); ///< called once after that many rows
};

/// Writes one export in one transaction. Returns 0, or non-zero with a message in `error`
/// (NUL-terminated, at most `error_size` bytes). Never throws.
int provenant_pg_export(const ProvenantPgExport* in, char* error, size_t error_size);

} // extern "C"
