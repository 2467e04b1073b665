// Unit tests: Error's kind is set where the error is made and kept through context().
#include "support/fs.h"
#include "support/line_ranges.h"
#include "support/repository.h"
#include "support/result.h"

#include <doctest/doctest.h>
#include <filesystem>

using namespace provenant;

TEST_CASE("Error: the kind is set by make_error and kept by context") {
    Error e = make_error(ErrorKind::not_found, "no file 'a.txt' at HEAD");
    CHECK(e.kind == ErrorKind::not_found);
    Error c = e.context("blame");
    CHECK(c.kind == ErrorKind::not_found);
    CHECK(c.message == "blame: no file 'a.txt' at HEAD");
    Status st = c;
    CHECK(st.error().kind == ErrorKind::not_found);
    Result<int> r = make_error(ErrorKind::conflict, "x");
    CHECK(r.error().kind == ErrorKind::conflict);
    CHECK(std::string(to_string(ErrorKind::invalid_input)) == "invalid_input");
    CHECK(std::string(to_string(ErrorKind::usage)) == "usage");
}

TEST_CASE("Error: support's producers say what kind of failure they report") {
    // Malformed input.
    auto ranges = parse_line_ranges("3-x", 100);
    REQUIRE_FALSE(ranges.ok());
    CHECK(ranges.error().kind == ErrorKind::invalid_input);
    auto path = validate_repo_path("../etc/passwd");
    REQUIRE_FALSE(path.ok());
    CHECK(path.error().kind == ErrorKind::invalid_input);
    // Not in a repository.
    auto tmp = std::filesystem::temp_directory_path();
    auto repo = locate_repository(tmp);
    REQUIRE_FALSE(repo.ok()); // the tests' temporary directory is in no repository
    CHECK(repo.error().kind == ErrorKind::not_found);
    // The file system failed.
    auto text = read_file(tmp / "provenant-no-such-dir-result-test" / "x");
    REQUIRE_FALSE(text.ok());
    CHECK(text.error().kind == ErrorKind::io);
}
