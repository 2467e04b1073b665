// provenant's PostgreSQL module: one repository's export in one transaction through libpqxx,
// rows by COPY. Built as a shared module (CMakeLists.txt) that export/postgresql.cpp loads
// only when exporting; it sees no provenant layer, only export/pg_module.h.
#include "pg_module.h"

#include <array>
#include <cstdio>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace {

std::optional<std::string> opt(const char* s) {
    return s != nullptr ? std::optional<std::string>(s) : std::nullopt;
}

template <size_t N>
void copy_rows(pqxx::work& w, const char* table, const char* const* columns, size_t rows,
               const char* const* cells, uint64_t& streamed, const ProvenantPgExport& in) {
    std::vector<std::string> cols;
    for (size_t i = 0; i < N; ++i) {
        const std::string c = columns[i];
        cols.push_back(c == "commit" ? "\"commit\"" : c);
    }
    pqxx::stream_to stream{w, table, cols};
    std::array<std::optional<std::string>, N> row;
    for (size_t r = 0; r < rows; ++r) {
        for (size_t i = 0; i < N; ++i)
            row[i] = opt(cells[r * N + i]);
        stream << row;
        if (++streamed == in.pause_after_rows && in.pause != nullptr) in.pause(streamed);
    }
    stream.complete();
}

/// Empty on success, else what went wrong.
std::string run(const ProvenantPgExport& in) {
    if (in.commit_ncolumns != 31 || in.fate_ncolumns != 19)
        return "internal: the export columns do not match the module's COPY width";
    pqxx::connection conn{in.url};
    {
        // The schema, created once: one creator at a time, in its own short transaction so
        // that exports of different repositories do not wait for each other.
        pqxx::work w{conn};
        w.exec("SELECT pg_advisory_xact_lock(7023, 0)");
        int version = 1;
        if (!w.exec("SELECT to_regclass('provenant_schema') IS NOT NULL")[0][0].as<bool>()) {
            w.exec(in.schema_sql);
        } else {
            auto v = w.exec("SELECT MAX(version) FROM provenant_schema");
            version = v[0][0].is_null() ? 0 : v[0][0].as<int>();
        }
        // A version 1 database (or the one just created) gains the deployment columns in the
        // same transaction: it is at version 1 or 2, never between.
        if (version == 1 && in.schema_version == 2) {
            w.exec(in.upgrade_sql);
            version = 2;
        }
        if (version != in.schema_version)
            return "the database has provenant schema version " + std::to_string(version) +
                   "; this provenant writes version " + std::to_string(in.schema_version);
        w.commit();
    }
    pqxx::work w{conn};
    // One export of a repository at a time: two would each delete only the rows they saw.
    const std::string repo = in.repo;
    w.exec_params("SELECT pg_advisory_xact_lock(7024, hashtext($1))", repo);
    w.exec_params("DELETE FROM provenant_commit_rows WHERE repo = $1", repo);
    w.exec_params("DELETE FROM provenant_fate_rows WHERE repo = $1", repo);
    w.exec_params("DELETE FROM provenant_repos WHERE repo = $1", repo);
    w.exec_params("INSERT INTO provenant_repos (repo, exported_at, main_commit, at_commit, "
                  "survival_days, rework_days, prices) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                  repo, std::string(in.exported_at), opt(in.main_commit), opt(in.at_commit),
                  in.survival_days, in.rework_days, opt(in.prices));
    uint64_t streamed = 0;
    copy_rows<31>(w, "provenant_commit_rows", in.commit_columns, in.commit_rows, in.commit_cells,
                  streamed, in);
    copy_rows<19>(w, "provenant_fate_rows", in.fate_columns, in.fate_rows, in.fate_cells, streamed,
                  in);
    w.commit();
    return {};
}

} // namespace

extern "C" int provenant_pg_export(const ProvenantPgExport* in, char* error, size_t error_size) {
    std::string msg;
    try {
        msg = run(*in);
    } catch (const pqxx::broken_connection& e) {
        msg = std::string("PostgreSQL: the connection failed: ") + e.what();
    } catch (const std::exception& e) {
        msg = std::string("PostgreSQL: ") + e.what();
    }
    if (msg.empty()) return 0;
    if (error != nullptr && error_size > 0) std::snprintf(error, error_size, "%s", msg.c_str());
    return 1;
}
