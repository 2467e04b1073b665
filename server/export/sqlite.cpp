// The export into an SQLite file: the same schema and rows as PostgreSQL, one transaction.
#include "export/columns.h"
#include "export/database.h"
#include "export/schema_sql.h"
#include "support/fs.h"

#include <fcntl.h>
#include <memory>
#include <sqlite3.h>
#include <unistd.h>

namespace provenant::exporting {

namespace {

struct DbClose {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalize {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbClose>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalize>;

Error db_error(sqlite3* db, const std::string& what) {
    return make_error(ErrorKind::io, what + ": " + sqlite3_errmsg(db));
}

Status exec(sqlite3* db, const std::string& sql, const std::string& what) {
    char* msg = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
        std::string m = msg != nullptr ? msg : "unknown error";
        sqlite3_free(msg);
        return make_error(ErrorKind::io, what + ": " + m);
    }
    return {};
}

Result<Stmt> prepare(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
        return db_error(db, "preparing '" + sql + "'");
    return Stmt(raw);
}

void bind_value(sqlite3_stmt* s, int i, const Value& v) {
    switch (v.index()) {
    case 0:
        sqlite3_bind_null(s, i);
        break;
    case 1: {
        const auto& t = std::get<std::string>(v);
        sqlite3_bind_text(s, i, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
        break;
    }
    case 2:
        sqlite3_bind_int64(s, i, std::get<int64_t>(v));
        break;
    case 3:
        sqlite3_bind_double(s, i, std::get<double>(v));
        break;
    default:
        sqlite3_bind_int(s, i, std::get<bool>(v) ? 1 : 0);
        break;
    }
}

Status step(sqlite3* db, sqlite3_stmt* s, const std::string& what) {
    if (sqlite3_step(s) != SQLITE_DONE) return db_error(db, what);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return {};
}

template <class Row>
Status insert_rows(sqlite3* db, RowKind kind, const std::string& repo, const std::vector<Row>& rows,
                   uint64_t& written, uint64_t pause_at) {
    std::string sql = "INSERT INTO " + std::string(table_name(kind)) + " (";
    std::string marks;
    for (std::string_view c : columns(kind)) {
        if (!marks.empty()) {
            sql += ", ";
            marks += ", ";
        }
        sql += c == "commit" ? "\"commit\"" : std::string(c);
        marks += "?";
    }
    sql += ") VALUES (" + marks + ")";
    auto st = prepare(db, sql);
    if (!st) return st.error();
    for (const Row& r : rows) {
        const std::vector<Value> v = values(repo, r);
        for (size_t i = 0; i < v.size(); ++i)
            bind_value(st->get(), static_cast<int>(i + 1), v[i]);
        if (auto s = step(db, st->get(), "writing a row of " + std::string(table_name(kind))); !s)
            return s;
        if (++written == pause_at) pause_for_test(written);
    }
    return {};
}

Status run(sqlite3* db, const ExportData& d) {
    sqlite3_busy_timeout(db, 10000);
    if (auto s = exec(db, "BEGIN IMMEDIATE", "starting the transaction"); !s) return s;
    auto has = prepare(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND "
                           "name = 'provenant_schema'");
    if (!has) return has.error();
    const bool exists =
        sqlite3_step(has->get()) == SQLITE_ROW && sqlite3_column_int(has->get(), 0) > 0;
    has->reset();
    int version = 0;
    if (!exists) {
        if (auto s = exec(db, std::string(kSchemaV1), "creating the schema"); !s) return s;
        version = 1;
    } else {
        auto v = prepare(db, "SELECT MAX(version) FROM provenant_schema");
        if (!v) return v.error();
        version = sqlite3_step(v->get()) == SQLITE_ROW ? sqlite3_column_int(v->get(), 0) : 0;
    }
    // Version 1 gains the deployment columns (v2.sql), inside this transaction: a failed
    // export leaves the database at version 1.
    if (version == 1) {
        if (auto s = exec(db, std::string(kSchemaV2), "upgrading the schema to version 2"); !s)
            return s;
        version = 2;
    }
    if (version != kSchemaVersion)
        return make_error(ErrorKind::invalid_input,
                          "the database has provenant schema version " + std::to_string(version) +
                              "; this provenant writes version " + std::to_string(kSchemaVersion));
    for (const char* table : {"provenant_commit_rows", "provenant_fate_rows", "provenant_repos"}) {
        auto del = prepare(db, std::string("DELETE FROM ") + table + " WHERE repo = ?");
        if (!del) return del.error();
        bind_value(del->get(), 1, d.meta.repo);
        if (auto s = step(db, del->get(), std::string("clearing ") + table); !s) return s;
    }
    auto ins = prepare(db, "INSERT INTO provenant_repos (repo, exported_at, main_commit, "
                           "at_commit, survival_days, rework_days, prices) VALUES "
                           "(?, ?, ?, ?, ?, ?, ?)");
    if (!ins) return ins.error();
    auto text = [](const Text& t) { return t ? Value(*t) : Value(std::monostate{}); };
    bind_value(ins->get(), 1, d.meta.repo);
    bind_value(ins->get(), 2, d.meta.exported_at);
    bind_value(ins->get(), 3, text(d.meta.main_commit));
    bind_value(ins->get(), 4, text(d.meta.at_commit));
    bind_value(ins->get(), 5, int64_t(d.meta.survival_days));
    bind_value(ins->get(), 6, int64_t(d.meta.rework_days));
    bind_value(ins->get(), 7, text(d.meta.prices));
    if (auto s = step(db, ins->get(), "writing provenant_repos"); !s) return s;
    uint64_t written = 0;
    const uint64_t pause_at = pause_after_rows();
    if (auto s = insert_rows(db, RowKind::Commits, d.meta.repo, *d.commits, written, pause_at); !s)
        return s;
    if (auto s = insert_rows(db, RowKind::Fates, d.meta.repo, *d.fates, written, pause_at); !s)
        return s;
    return exec(db, "COMMIT", "committing");
}

} // namespace

Status export_to_sqlite(const std::string& file, const ExportData& d) {
    // Created 0600 before SQLite opens it: the rows list authors and paths.
    const int fd = ::open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) return make_error(ErrorKind::io, "opening " + file + ": " + errno_text());
    ::close(fd);
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
    Db db(raw);
    if (rc != SQLITE_OK) return db_error(raw, "opening " + file);
    Status st = run(db.get(), d);
    if (!st) {
        sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        return st.error().context(file + " (nothing was written)");
    }
    return {};
}

} // namespace provenant::exporting
