// Deployments files: CSV (RFC 4180) and NDJSON, ISO 8601 and unix timestamps, errors by line.
#include "analysis/deployments.h"

#include "support/process.h"

#include <doctest/doctest.h>

using namespace provenant::analysis;

namespace {

std::vector<Deployment> ok(const std::string& text) {
    auto r = parse_deployments(text, "d.csv");
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    return *r;
}

std::string err(const std::string& text) {
    auto r = parse_deployments(text, "d.csv");
    REQUIRE_FALSE(r.ok());
    return r.error().message;
}

} // namespace

TEST_CASE("deployments: timestamps") {
    // date -u -d 2024-03-10T12:00:00Z +%s = 1710072000
    CHECK(*parse_timestamp("2024-03-10T12:00:00Z") == 1710072000);
    CHECK(*parse_timestamp("2024-03-10T14:00:00+02:00") == 1710072000);
    CHECK(*parse_timestamp("2024-03-10T07:30:00-0430") == 1710072000);
    CHECK(*parse_timestamp("2024-03-10 12:00:00.987654Z") == 1710072000);
    CHECK(*parse_timestamp("2024-03-10T13:00:00+01") == 1710072000);
    CHECK(*parse_timestamp("1710072000") == 1710072000);
    CHECK(*parse_timestamp("1970-01-01T00:00:00Z") == 0);
    CHECK(*parse_timestamp("1969-12-31T23:59:59Z") == -1);
    CHECK(*parse_timestamp("2000-02-29T00:00:00Z") == 951782400);
    CHECK(parse_timestamp("2024-03-10T12:00:00").error().message.find("no time zone") != std::string::npos);
    CHECK_FALSE(parse_timestamp("2023-02-29T00:00:00Z").ok());
    CHECK_FALSE(parse_timestamp("2024-13-01T00:00:00Z").ok());
    CHECK_FALSE(parse_timestamp("2024-03-10T25:00:00Z").ok());
    CHECK_FALSE(parse_timestamp("2024-03-10").ok());
    CHECK_FALSE(parse_timestamp("yesterday").ok());
    CHECK_FALSE(parse_timestamp("2024-03-10T12:00:00+2:00").ok());
    CHECK_FALSE(parse_timestamp("99999999999999999999999").ok());
    CHECK_FALSE(parse_timestamp("").ok());
}

TEST_CASE("deployments: CSV with a header, extra columns, quoted fields") {
    auto d = ok("id,Environment ,commit,deployed_at,notes\r\n"
                "1,production,ABCDEF1234,2024-03-10T12:00:00Z,\"first, \"\"big\"\" one\"\r\n"
                "\r\n"
                "2,\"staging\",0123456789abcdef0123456789abcdef01234567,1710075600,\"two\nlines\"\r\n"
                "3,production,abcd,2024-03-10T14:00:00+02:00,\r\n");
    REQUIRE(d.size() == 3);
    CHECK(d[0] == Deployment{"abcdef1234", "production", 1710072000});
    CHECK(d[1] == Deployment{"0123456789abcdef0123456789abcdef01234567", "staging", 1710075600});
    CHECK(d[2] == Deployment{"abcd", "production", 1710072000});
    // A UTF-8 BOM (spreadsheets write one) and LF endings.
    auto bom = ok("\xEF\xBB\xBF" "commit,environment,deployed_at\nabcd,prod,5\n");
    REQUIRE(bom.size() == 1);
    CHECK(bom[0].deployed_at == 5);
}

TEST_CASE("deployments: CSV errors carry the line number") {
    CHECK(err("").find("d.csv: empty") == 0);
    CHECK(err("sha,env,time\nabcd,prod,5\n").find("d.csv:1: the header row must name") == 0);
    CHECK(err("commit,environment,deployed_at\nabcd,prod,5\nxyz!,prod,5\n").find("d.csv:3: commit:") == 0);
    CHECK(err("commit,environment,deployed_at\nabcd,prod\n").find("d.csv:2: 2 fields where the header has 3") == 0);
    CHECK(err("commit,environment,deployed_at\n\n\nabcd,prod,later\n").find("d.csv:4: deployed_at:") == 0);
    CHECK(err("commit,environment,deployed_at\nabcd,,5\n").find("d.csv:2: environment: empty") == 0);
    // A record spanning lines reports the line it starts on; the next one counts on.
    CHECK(err("commit,environment,deployed_at,n\nabcd,prod,5,\"a\nb\"\nabcd,prod,x,\n").find("d.csv:4:") == 0);
    CHECK(err("commit,environment,deployed_at\nabcd,\"prod,5\n").find("d.csv:2: a quoted field is not closed") == 0);
    CHECK(err("commit,environment,deployed_at\nabcd,\"prod\"x,5\n").find("text after a closing quote") !=
          std::string::npos);
    CHECK(err("commit,environment,deployed_at\nabcd,pr\"od,5\n").find("a quote inside an unquoted field") !=
          std::string::npos);
    CHECK(err("commit,environment,deployed_at\nabcd,prod," + std::string(5000, '1') + "\n").find("longer than") !=
          std::string::npos);
}

TEST_CASE("deployments: NDJSON") {
    auto d = ok("{\"commit\":\"abcd1234\",\"environment\":\"production\",\"deployed_at\":\"2024-03-10T12:00:00Z\",\"x\":1}\n"
                "\n"
                "{\"environment\":\"staging\",\"commit\":\"ABCD\",\"deployed_at\":1710072000}\n");
    REQUIRE(d.size() == 2);
    CHECK(d[0] == Deployment{"abcd1234", "production", 1710072000});
    CHECK(d[1] == Deployment{"abcd", "staging", 1710072000});
    CHECK(err("{\"commit\":\"abcd\",\"environment\":\"p\",\"deployed_at\":1}\n{oops\n").find("d.csv:2: expected one JSON object") == 0);
    CHECK(err("{\"commit\":\"abcd\",\"environment\":\"p\"}\n").find("d.csv:1: deployed_at: missing") == 0);
    CHECK(err("{\"commit\":12,\"environment\":\"p\",\"deployed_at\":1}\n").find("d.csv:1: commit: expected a string") == 0);
    CHECK(err("{\"commit\":\"abcd\",\"environment\":\"p\",\"deployed_at\":1.5}\n").find("whole unix seconds") != std::string::npos);
    CHECK(err("{\"commit\":\"abcd\",\"environment\":[],\"deployed_at\":1}\n").find("environment") != std::string::npos);
    CHECK(err("{\"commit\":\"abcd\",\"environment\":\"p\",\"deployed_at\":\"2024-03-10T12:00:00\"}\n").find("no time zone") !=
          std::string::npos);
}

TEST_CASE("deployments: load_deployments reads files and names them in errors") {
    provenant::test::TempDir dir;
    provenant::test::write_text(dir.path() + "/d.ndjson", "{\"commit\":\"abcd\",\"environment\":\"production\",\"deployed_at\":7}\n");
    auto d = load_deployments(dir.path() + "/d.ndjson");
    REQUIRE_MESSAGE(d.ok(), (d.ok() ? std::string() : d.error().message));
    CHECK(d->at(0).deployed_at == 7);
    auto missing = load_deployments(dir.path() + "/none.csv");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find("none.csv") != std::string::npos);
    provenant::test::write_text(dir.path() + "/bad.csv", "commit,environment,deployed_at\nabcd,prod,soon\n");
    auto bad = load_deployments(dir.path() + "/bad.csv");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find(dir.path() + "/bad.csv:2: deployed_at:") == 0);
}
