// A throwaway PostgreSQL server for the export tests.
#include "pg_server.h"

#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace provenant::test {

namespace fs = std::filesystem;

std::optional<std::string> PgServer::bindir() {
    auto r = run({"pg_config", "--bindir"});
    if (r.exit_code == 0) {
        std::string dir = r.out.substr(0, r.out.find('\n'));
        if (fs::exists(dir + "/initdb") && fs::exists(dir + "/pg_ctl")) return dir;
    }
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec)) {
        const std::string dir = e.path().string() + "/bin";
        if (fs::exists(dir + "/initdb") && fs::exists(dir + "/pg_ctl")) return dir;
    }
    return std::nullopt;
}

std::vector<std::string> PgServer::as_user(std::vector<std::string> argv) const {
    if (as_nobody_) argv.insert(argv.begin(), {"runuser", "-u", "nobody", "--"});
    return argv;
}

PgServer::PgServer(const std::string& bindir) : bindir_(bindir) {
    // PostgreSQL refuses to run as root: the server runs as `nobody` then, so its directory
    // must be reachable by it (mkdtemp makes 0700 directories).
    as_nobody_ = ::geteuid() == 0;
    char tmpl[] = "/tmp/provenant-pg-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    root_ = tmpl;
    data_ = root_ + "/data";
    socket_ = root_ + "/socket";
    fs::create_directories(data_);
    fs::create_directories(socket_);
    if (as_nobody_) {
        ::chmod(root_.c_str(), 0711);
        REQUIRE(::chown(data_.c_str(), 65534, 65534) == 0);
        REQUIRE(::chown(socket_.c_str(), 65534, 65534) == 0);
    }
    ::chmod(data_.c_str(), 0700);
    auto init = run(as_user({bindir_ + "/initdb", "-D", data_, "-A", "trust", "-U", "postgres",
                             "-E", "UTF8", "--locale=C", "--no-sync"}),
                    root_);
    REQUIRE_MESSAGE(init.exit_code == 0, std::string(init.out + init.err));
    // No TCP at all (listen_addresses empty): the socket file is the only way in.
    auto start =
        run(as_user({bindir_ + "/pg_ctl", "-D", data_, "-l", data_ + "/server.log", "-w", "-o",
                     "-c listen_addresses='' -k " + socket_ +
                         " -c fsync=off -c full_page_writes=off "
                         "-c synchronous_commit=off",
                     "start"}),
            root_);
    REQUIRE_MESSAGE(start.exit_code == 0,
                    std::string(start.out + start.err + read_text(data_ + "/server.log")));
}

PgServer::~PgServer() {
    run(as_user({bindir_ + "/pg_ctl", "-D", data_, "-m", "immediate", "-w", "stop"}), root_);
    std::error_code ec;
    fs::remove_all(root_, ec);
}

std::string PgServer::url(const std::string& db) const {
    return "postgresql://postgres@/" + db + "?host=" + socket_;
}

void PgServer::create_database(const std::string& db) const {
    auto r = run({bindir_ + "/createdb", "-h", socket_, "-U", "postgres", db}, root_);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

std::string PgServer::query(const std::string& sql, const std::string& db) const {
    auto r = run({bindir_ + "/psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", socket_,
                  "-U", "postgres", "-d", db, "-c", sql},
                 root_);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    return r.out;
}

} // namespace provenant::test
