// An agent's hook and the real sidecar reloading the same file (full-text didChange), in
// both orders: the same attribution, the edit counted once.
#include "agent_fixture.h"
#include "support/lsp_client.h"

#include <chrono>
#include <doctest/doctest.h>
#include <thread>

using namespace provenant::test;

namespace {

const char* kAfter = "def greet(name):\n    if not name:\n        raise ValueError(\"name is "
                     "required\")\n    return f\"Hello, {name}!\"\n";

/// Asks the sidecar until its lines 2-4 are ai (it polls the journal about once a second).
std::vector<std::string> wait_for_ai(LspClient& lsp, const std::string& uri) {
    std::vector<std::string> classes;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        lsp.sync();
        classes = lsp.line_classes(uri);
        if (classes.size() >= 4 && classes[1] == "ai" && classes[2] == "ai" && classes[3] == "ai")
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50)); // the sidecar's poll timer
    }
    return classes;
}

struct Outcome {
    std::vector<std::string> sidecar;
    std::vector<LineInfo> journal;
};

Outcome run(bool hook_first) {
    AgentRepo r;
    std::string t = r.transcript("claude-code/transcript.jsonl");
    LspClient::Options o;
    o.cwd = r.path();
    LspClient lsp(o);
    lsp.initialize();
    std::string uri = file_uri(r.file("src/app.py"));
    lsp.did_open(uri, kAppPy, 1, "python");
    lsp.sync();
    r.hook("claude-code", agent_fixture("claude-code/pre_tool_use_edit.json", r.path(), t));
    r.write("src/app.py", kAfter); // the agent writes the file
    std::string post = agent_fixture("claude-code/post_tool_use_edit.json", r.path(), t);
    if (hook_first) {
        r.hook("claude-code", post);
        lsp.did_change_full(uri, 2, kAfter); // the editor reloads the file
        lsp.sync();
    } else {
        lsp.did_change_full(uri, 2, kAfter);
        lsp.sync();
        r.hook("claude-code", post);
    }
    Outcome out;
    out.sidecar = wait_for_ai(lsp, uri);
    CHECK(lsp.shutdown_and_exit() == 0);
    out.journal = journal_lines(r, "src/app.py");
    return out;
}

} // namespace

TEST_CASE("agent hook racing the sidecar's reload: same result in both orders") {
    Outcome a = run(true);
    Outcome b = run(false);
    REQUIRE(a.sidecar.size() >= 4);
    CHECK(a.sidecar == b.sidecar);
    for (size_t l = 2; l <= 4; ++l) {
        INFO("line " << l);
        CHECK(a.sidecar[l - 1] == "ai");
    }
    REQUIRE(a.journal.size() == 4);
    REQUIRE(b.journal.size() == 4);
    for (size_t i = 0; i < 4; ++i) {
        INFO("line " << i + 1);
        CHECK(a.journal[i].cls == b.journal[i].cls);
        CHECK(a.journal[i].model == b.journal[i].model);
        CHECK(a.journal[i].request == b.journal[i].request);
    }
    for (size_t l = 2; l <= 4; ++l) {
        CHECK(a.journal[l - 1].cls == "ai");
        CHECK(a.journal[l - 1].tool == "claude-code");
        CHECK(a.journal[l - 1].model == "claude-sonnet-4-5-20250929");
    }
    CHECK(a.journal[0].cls != "ai");
}
