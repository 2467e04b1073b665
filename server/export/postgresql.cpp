// The export into PostgreSQL through libpqxx: one transaction per repository, rows by COPY.
#include "export/columns.h"
#include "export/database.h"
#include "export/schema_sql.h"

#include <array>
#include <pqxx/pqxx>

namespace provenant::exporting {

namespace {

/// COPY's column list: names as in the schema (`commit` quoted, as the schema has it).
std::vector<std::string> copy_columns(RowKind kind) {
    std::vector<std::string> out;
    for (std::string_view c : columns(kind))
        out.push_back(c == "commit" ? "\"commit\"" : std::string(c));
    return out;
}

template <size_t N, class Row>
void copy_rows(pqxx::work& w, RowKind kind, const std::string& repo, const std::vector<Row>& rows,
               uint64_t& streamed, uint64_t pause_at) {
    pqxx::stream_to stream{w, std::string(table_name(kind)), copy_columns(kind)};
    std::array<std::optional<std::string>, N> cells;
    for (const Row& r : rows) {
        const std::vector<Value> v = values(repo, r);
        for (size_t i = 0; i < N; ++i)
            cells[i] = i < v.size() ? as_text(v[i]) : std::nullopt;
        stream << cells;
        if (++streamed == pause_at) pause_for_test(streamed);
    }
    stream.complete();
}

Status run(const std::string& url, const ExportData& d) {
    pqxx::connection conn{url};
    {
        // The schema, created once: one creator at a time, in its own short transaction so
        // that exports of different repositories do not wait for each other.
        pqxx::work w{conn};
        w.exec("SELECT pg_advisory_xact_lock(7023, 0)");
        if (!w.exec("SELECT to_regclass('provenant_schema') IS NOT NULL")[0][0].as<bool>()) {
            w.exec(std::string(kSchemaV1));
        } else {
            auto v = w.exec("SELECT MAX(version) FROM provenant_schema");
            const int version = v[0][0].is_null() ? 0 : v[0][0].as<int>();
            if (version != kSchemaVersion)
                return make_error("the database has provenant schema version " +
                                  std::to_string(version) + "; this provenant writes version " +
                                  std::to_string(kSchemaVersion));
        }
        w.commit();
    }
    pqxx::work w{conn};
    // One export of a repository at a time: two would each delete only the rows they saw.
    w.exec_params("SELECT pg_advisory_xact_lock(7024, hashtext($1))", d.meta.repo);
    w.exec_params("DELETE FROM provenant_commit_rows WHERE repo = $1", d.meta.repo);
    w.exec_params("DELETE FROM provenant_fate_rows WHERE repo = $1", d.meta.repo);
    w.exec_params("DELETE FROM provenant_repos WHERE repo = $1", d.meta.repo);
    w.exec_params("INSERT INTO provenant_repos (repo, exported_at, main_commit, at_commit, "
                  "survival_days, rework_days, prices) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                  d.meta.repo, d.meta.exported_at, d.meta.main_commit, d.meta.at_commit,
                  d.meta.survival_days, d.meta.rework_days, d.meta.prices);
    uint64_t streamed = 0;
    const uint64_t pause_at = pause_after_rows();
    copy_rows<29>(w, RowKind::Commits, d.meta.repo, *d.commits, streamed, pause_at);
    copy_rows<19>(w, RowKind::Fates, d.meta.repo, *d.fates, streamed, pause_at);
    w.commit();
    return {};
}

} // namespace

Status export_to_postgresql(const std::string& url, const ExportData& d) {
    if (columns(RowKind::Commits).size() != 29 || columns(RowKind::Fates).size() != 19)
        return make_error("internal: the export columns do not match the COPY width");
    try {
        return run(url, d);
    } catch (const pqxx::broken_connection& e) {
        return make_error(std::string("PostgreSQL: the connection failed (nothing was written): ") +
                          e.what());
    } catch (const std::exception& e) {
        return make_error(std::string("PostgreSQL (nothing was written): ") + e.what());
    }
}

} // namespace provenant::exporting
