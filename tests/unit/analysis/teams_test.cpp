// Team maps: TOML reading, precedence of exact entries and globs, errors with line numbers.
#include "analysis/teams.h"

#include "support/process.h"

#include <doctest/doctest.h>

using namespace provenant::analysis;

namespace {

TeamMap parse_ok(const std::string& text) {
    auto r = parse_team_map(text, "teams.toml");
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    return *r;
}

std::string parse_err(const std::string& text) {
    auto r = parse_team_map(text, "teams.toml");
    REQUIRE_FALSE(r.ok());
    return r.error().message;
}

} // namespace

TEST_CASE("teams: exact emails and globs, case-insensitive") {
    TeamMap m = parse_ok(R"(
# who is who
[teams.infra]
members = ["ana@example.com", "*@infra.example.com"]
lead = "ana"   # other keys are ignored

[teams.web]
members = ["Bo@Example.com", "web-*@example.com"]

[teams]
data = ["*@*.example.com", "carla@infra.example.com"]
)");
    CHECK(m.team_of("ana@example.com") == std::optional<std::string>("infra"));
    CHECK(m.team_of("ANA@EXAMPLE.COM") == std::optional<std::string>("infra"));
    CHECK(m.team_of("bo@example.com") == std::optional<std::string>("web"));
    CHECK(m.team_of("web-ci@example.com") == std::optional<std::string>("web"));
    // The more specific glob wins over the broader one.
    CHECK(m.team_of("dan@infra.example.com") == std::optional<std::string>("infra"));
    CHECK(m.team_of("eve@ml.example.com") == std::optional<std::string>("data"));
    // An exact entry wins over every glob.
    CHECK(m.team_of("carla@infra.example.com") == std::optional<std::string>("data"));
    CHECK_FALSE(m.team_of("zed@elsewhere.org").has_value());
    CHECK_FALSE(m.team_of("").has_value());
    CHECK(m.teams() == std::vector<std::string>{"data", "infra", "web"});
}

TEST_CASE("teams: glob ties go to the team that sorts first, whatever the file order") {
    TeamMap a = parse_ok("[teams]\nzeta = [\"*@x.com\"]\nalpha = [\"?*@x.com\"]\n");
    TeamMap b = parse_ok("[teams]\nalpha = [\"?*@x.com\"]\nzeta = [\"*@x.com\"]\n");
    // Both patterns have 6 literal characters: the tie goes to "alpha".
    CHECK(a.team_of("q@x.com") == std::optional<std::string>("alpha"));
    CHECK(b.team_of("q@x.com") == std::optional<std::string>("alpha"));
    // "?*" needs one character: an empty local part only matches "*".
    CHECK(a.team_of("@x.com") == std::optional<std::string>("zeta"));
}

TEST_CASE("teams: glob matching") {
    CHECK(glob_match("*", ""));
    CHECK(glob_match("*@x.com", "a@x.com"));
    CHECK_FALSE(glob_match("*@x.com", "a@x.com.evil"));
    CHECK(glob_match("a?c", "abc"));
    CHECK_FALSE(glob_match("a?c", "ac"));
    CHECK(glob_match("a*b*c", "a-b-b-c"));
    CHECK_FALSE(glob_match("a*b*c", "a-b-b-"));
    CHECK(glob_match("[x]", "[x]")); // brackets are literal
    // A hostile pattern finishes quickly (no exponential backtracking).
    std::string pat, text(4000, 'a');
    for (int i = 0; i < 200; ++i) pat += "*a";
    pat += "b";
    CHECK_FALSE(glob_match(pat, text));
}

TEST_CASE("teams: errors name the file and the line") {
    CHECK(parse_err("[teams.infra\nmembers = []\n").find("teams.toml:1:") == 0);
    CHECK(parse_err("title = 'x'\n").find("teams.toml: no [teams] table") == 0);
    CHECK(parse_err("teams = 3\n").find("teams.toml:1:") == 0);
    std::string e = parse_err("[teams.infra]\nmembers = [\"a@x.com\",\n  42]\n");
    CHECK(e.find("teams.toml:3:") == 0);
    CHECK(e.find("members must be strings") != std::string::npos);
    CHECK(parse_err("[teams.infra]\nlead = 'x'\n").find("teams.toml:1:") == 0);
    CHECK(parse_err("[teams.infra]\nmembers = 'a@x.com'\n").find("teams.toml:2:") == 0);
    e = parse_err("[teams]\na = [\"x@y.com\"]\nb = [\"X@Y.com\"]\n");
    CHECK(e.find("teams.toml:3:") == 0);
    CHECK(e.find("listed under both 'a' and 'b'") != std::string::npos);
    CHECK(parse_err("[teams]\na = [\"*@y.com\"]\nb = [\"*@Y.COM\"]\n").find("pattern '*@y.com'") != std::string::npos);
    CHECK(parse_err("[teams]\na = [\"\"]\n").find("teams.toml:2:") == 0);
    CHECK(parse_err("[teams]\n\"\" = [\"a@b.c\"]\n").find("empty team name") != std::string::npos);
}

TEST_CASE("teams: load_team_map reads a file and reports unreadable ones") {
    provenant::test::TempDir dir;
    provenant::test::write_text(dir.path() + "/teams.toml", "[teams.infra]\nmembers = [\"*@infra.example.com\"]\n");
    auto m = load_team_map(dir.path() + "/teams.toml");
    REQUIRE_MESSAGE(m.ok(), (m.ok() ? std::string() : m.error().message));
    CHECK(m->team_of("x@infra.example.com") == std::optional<std::string>("infra"));
    auto missing = load_team_map(dir.path() + "/nope.toml");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message.find("nope.toml") != std::string::npos);
    CHECK_FALSE(load_team_map(dir.path()).ok()); // a directory
    provenant::test::write_text(dir.path() + "/bad.toml", "[teams]\nx = [1]\n");
    auto bad = load_team_map(dir.path() + "/bad.toml");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find(dir.path() + "/bad.toml:2:") == 0);
}
