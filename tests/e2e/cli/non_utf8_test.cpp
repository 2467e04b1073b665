// Names from git are bytes: a file or directory name that is not UTF-8 goes through every JSON
// output without a throw, quoted as git quotes paths (support/json_text.h json_text_quoted), so
// it reads back to its bytes and two such names never become one.
#include "protocol/note.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

using namespace provenant;
using namespace provenant::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// Whether `text` holds the JSON string whose value is `value`.
bool holds_string(const std::string& text, const std::string& value) {
    return text.find(json(value).dump()) != std::string::npos;
}

} // namespace

TEST_CASE("non-UTF-8 names: show, blame, status, report and export say them quoted") {
    TempRepo repo;
    REQUIRE(repo.provenant({"install"}).exit_code == 0);
    const std::string ff = "d\xff", fe = "d\xfe";
    fs::create_directories(repo.file(ff));
    fs::create_directories(repo.file(fe));
    repo.write(ff + "/a.txt", "one\ntwo\n");
    repo.write(fe + "/a.txt", "three\n");
    repo.write("\xff.txt", "four\n");
    const std::string head = repo.commit_all("names that are not UTF-8");

    auto show = repo.provenant({"show", head, "--json"});
    REQUIRE_MESSAGE(show.exit_code == 0, show.err);
    json note = json::parse(show.out); // valid JSON: nothing was written half
    CHECK(note["files"].contains(note_path_key(ff + "/a.txt")));
    CHECK(note["files"].contains("\"\\377.txt\""));

    auto blame = repo.provenant({"blame", "\xff.txt", "--json"});
    CHECK_MESSAGE(blame.exit_code == 0, blame.err);
    CHECK(json::accept(blame.out));

    // Two directories that differ only in a byte that is not UTF-8 stay two groups (the old
    // code threw on the group key and the report failed).
    auto report = repo.provenant({"report", "--by", "path", "--format", "json"});
    REQUIRE_MESSAGE(report.exit_code == 0, report.err);
    json r = json::parse(report.out);
    std::set<std::string> paths;
    for (const json& g : r["groups"])
        paths.insert(g["key"]["path"].get<std::string>());
    CHECK(paths.count("\"d\\377\"") == 1);
    CHECK(paths.count("\"d\\376\"") == 1);
    CHECK(paths.count(".") == 1);                                // \xff.txt, at the root
    CHECK(report.out.find("\xef\xbf\xbd") == std::string::npos); // nothing replaced
    // Every rendering orders those groups (tied at 0 AI lines) by their key without throwing
    // (the old table, CSV and Markdown sorts dumped the raw key).
    for (const char* format : {"table", "csv", "markdown", "html"}) {
        CAPTURE(format);
        auto rendered = repo.provenant({"report", "--by", "path", "--format", format});
        CHECK_MESSAGE(rendered.exit_code == 0, rendered.err);
    }

    auto rows = repo.provenant({"export", "--rows", "fates"});
    REQUIRE_MESSAGE(rows.exit_code == 0, rows.err);
    CHECK(holds_string(rows.out, "\"d\\377/a.txt\""));
    CHECK(holds_string(rows.out, "\"d\\376/a.txt\""));
    CHECK(rows.out.find("\xef\xbf\xbd") == std::string::npos);
    for (size_t pos = 0, nl; (nl = rows.out.find('\n', pos)) != std::string::npos; pos = nl + 1)
        CHECK(json::accept(rows.out.substr(pos, nl - pos)));
    // The quoted form reads back to the bytes git has.
    CHECK(path_from_note_key("\"d\\377/a.txt\"") == ff + "/a.txt");
}

TEST_CASE("non-UTF-8 names: status --json in a repository whose directory is not UTF-8") {
    TempDir dir;
    const std::string root = dir.path() + "/r\xff";
    fs::create_directories(root);
    auto init = run({"git", "init", "-q", "-b", "main", root});
    REQUIRE_MESSAGE(init.exit_code == 0, init.err);
    auto st = provenant::test::provenant({"status", "--json"}, root);
    REQUIRE_MESSAGE(st.exit_code == 0, st.err);
    json j = json::parse(st.out);
    CHECK(j["repository"] == note_path_key(fs::canonical(root).string()));
    CHECK(st.out.find("\xef\xbf\xbd") == std::string::npos);
}
