// Issue 9 §6: `provenant status` right after a commit, with the buffer still open in a watched
// editor, shows only what is not committed (the real sidecar, the real git, the real binary).
#include "e2e/lsp/lsp_test_util.h"
#include "scenario_support.h"

#include <nlohmann/json.hpp>

using namespace provenant;
using namespace provenant::test;
using nlohmann::json;

namespace {

json status_json(const TempRepo& repo) {
    auto r = repo.provenant({"status", "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

} // namespace

TEST_CASE("status after a commit with the buffer open lists only the uncommitted lines") {
    ScenarioRepo repo;
    repo.unwatched("notes.py", "first = 1\n");
    repo.commit_all("base");
    std::string uri = file_uri(repo.file("notes.py"));
    LspClient c(LspClient::Options{{}, repo.path()});
    c.initialize();
    std::string text = "first = 1\n";
    c.did_open(uri, text, 1);
    int64_t v = 1;
    type_text(c, uri, v, 1, 0, "typed = 2\n");
    text += "typed = 2\n";
    repo.write("notes.py", text); // the editor saves
    c.did_save(uri);
    c.sync();
    {
        json f = status_json(repo)["files"]["notes.py"];
        CHECK(f["lines"] == json({"committed", "human"}));
    }
    repo.commit_all("typed");
    c.sync(); // the buffer stays open; the sidecar may write the journal again
    CHECK(status_json(repo)["files"] == json::object());
    auto human = repo.provenant({"status"});
    CHECK(human.out.find("No pending provenance") != std::string::npos);

    // New typing after the commit: only that line is pending.
    type_text(c, uri, v, 2, 0, "later = 3\n");
    text += "later = 3\n";
    repo.write("notes.py", text);
    c.did_save(uri);
    c.sync();
    json f = status_json(repo)["files"]["notes.py"];
    CHECK(f["lines"] == json({"committed", "committed", "human"}));
    CHECK(f["lineOrigins"] == json({nullptr, nullptr, nullptr}));
    CHECK(f["chars"]["human"] == 7); // later=3
    auto lines = repo.provenant({"status", "--lines"});
    CHECK(lines.out.find("later = 3") != std::string::npos);
    CHECK(lines.out.find("typed = 2") == std::string::npos);
    CHECK(lines.out.find("2 committed, not shown") != std::string::npos);
    CHECK(c.shutdown_and_exit() == 0);
}
