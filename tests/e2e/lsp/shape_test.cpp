// End-to-end: `provenant/documentProvenance` and `provenant status --json` describe the same
// state in one shape (protocol/line_attribution.h): lines, lineOrigins indexing an origins
// array, chars.
#include "lsp_test_util.h"

using namespace provenant::test;

TEST_CASE("documentProvenance and status --json give the same attribution in one shape") {
    const json claude = {{"class", "ai"}, {"tool", "claude-code"}, {"kind", "agent"}};
    const json copilot = {{"class", "ai"}, {"tool", "copilot"}, {"kind", "completion"}};
    TempRepo repo;
    repo.write("README", "r\n");
    repo.commit_all("initial");
    // A new file (nothing of it in HEAD, so status has no committed lines).
    repo.write("src/new.c", "");
    const std::string uri = file_uri(repo.file("src/new.c"));
    LspClient c(LspClient::Options{{}, repo.path()});
    c.initialize();
    c.did_open(uri, "", 1);
    int64_t v = 1;
    type_text(c, uri, v, 0, 0, "int a;\n");
    // Copilot's line comes first in the file, Claude's is annotated first: origins are listed
    // by the first line that names them.
    c.did_change(uri, ++v, lsp_range(1, 0, 1, 0), "int b = claude();\n");
    c.annotate(uri, v, claude, json::array({lsp_range(1, 0, 2, 0)}));
    c.did_change(uri, ++v, lsp_range(1, 0, 1, 0), "int c = copilot();\n");
    c.annotate(uri, v, copilot, json::array({lsp_range(1, 0, 2, 0)}));
    type_text(c, uri, v, 3, 0, "\nint d;\n");
    const std::string text = "int a;\nint c = copilot();\nint b = claude();\n\nint d;\n";
    repo.write("src/new.c", text);
    c.did_save(uri);
    c.sync();

    json doc = c.provenance(uri);
    CHECK(doc["lines"] == json::array({"human", "ai", "ai", "blank", "human"}));
    CHECK(doc["lineOrigins"] == json::array({nullptr, 0, 1, nullptr, nullptr}));
    REQUIRE(doc["origins"].is_array());
    REQUIRE(doc["origins"].size() == 2);
    CHECK(doc["origins"][0]["tool"] == "copilot");
    CHECK(doc["origins"][1]["tool"] == "claude-code");

    auto status = repo.provenant({"status", "--json", "src/new.c"});
    REQUIRE_MESSAGE(status.exit_code == 0, status.err);
    json file = json::parse(status.out)["files"]["src/new.c"];
    for (const char* key : {"lines", "lineOrigins", "origins", "chars"})
        CHECK_MESSAGE(file[key] == doc[key], key << ": status " << file[key].dump()
                                                 << " vs documentProvenance " << doc[key].dump());
    CHECK(c.shutdown_and_exit() == 0);
}
