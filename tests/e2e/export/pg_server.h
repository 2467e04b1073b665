// Test support: a PostgreSQL server of the test's own (Debian's `postgresql` binaries):
// initdb into a temp directory, run as an unprivileged user (`nobody` when the tests run as
// root, as CI does), listening on a unix socket in that directory only (no TCP port).
#pragma once

#include "support/process.h"

#include <optional>
#include <string>

namespace provenant::test {

/// One server for the lifetime of the object (stopped and removed by the destructor). One
/// thread.
class PgServer {
public:
    /// The directory of initdb/pg_ctl/postgres/psql, nullopt when PostgreSQL is not installed.
    static std::optional<std::string> bindir();

    explicit PgServer(const std::string& bindir);
    ~PgServer();
    PgServer(const PgServer&) = delete;
    PgServer& operator=(const PgServer&) = delete;

    /// A libpq URI for database `db` (created by create_database).
    std::string url(const std::string& db = "postgres") const;
    void create_database(const std::string& db) const;
    /// psql's unaligned answer (`|` between fields, one line per row).
    std::string query(const std::string& sql, const std::string& db = "postgres") const;

private:
    std::string bindir_, root_, data_, socket_;
    bool as_nobody_ = false;
    std::vector<std::string> as_user(std::vector<std::string> argv) const;
};

} // namespace provenant::test
