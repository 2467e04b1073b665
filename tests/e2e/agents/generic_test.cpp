// The generic JSON form (docs/agents.md): before/after texts, edits, pre/post snapshots, tokens.
#include "agent_fixture.h"
#include "journal/sessions.h"

#include <doctest/doctest.h>

using namespace provenant;
using namespace provenant::test;

TEST_CASE("generic: before/after texts; unchanged text keeps its origin") {
    AgentRepo r;
    r.write("src/app.py", "def greet(name):\n    log(name)\n    return \"Hello \" + name\n");
    nlohmann::json j = {
        {"agent", "aider"},
        {"model", "gpt-5.4"},
        {"session", "s-1"},
        {"cwd", r.path()},
        {"tokens", {{"input", 100}, {"output", 20}}},
        {"files",
         {{{"path", "src/app.py"},
           {"before", provenant::test::kAppPy},
           {"after", "def greet(name):\n    log(name)\n    return \"Hello \" + name\n"}}}}};
    auto res = r.hook("generic", j.dump());
    CHECK(res.err.empty());
    auto lines = journal_lines(r, "src/app.py");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].cls != "ai");
    CHECK(lines[1].cls == "ai");
    CHECK(lines[1].tool == "aider");
    CHECK(lines[1].model == "gpt-5.4");
    CHECK(lines[2].cls != "ai");
    SessionStore store(std::filesystem::path(r.path()) / ".git");
    auto rec = store.load({"aider", "s-1"});
    REQUIRE(rec);
    REQUIRE(*rec);
    CHECK((*rec)->tokens.at("gpt-5.4").input == 100);
    CHECK((*rec)->generated == 1);
}

TEST_CASE("generic: a person's unwatched change before the agent's edit stays unknown") {
    AgentRepo r;
    // A person edits line 2 with no editor watching; then the agent adds a line.
    std::string person = "def greet(name):\n    return \"Hi \" + name\n";
    std::string agent = person + "\n\ndef bye():\n    pass\n";
    r.write("src/app.py", agent);
    nlohmann::json j = {
        {"agent", "script"},
        {"cwd", r.path()},
        {"files",
         {{{"path", "src/app.py"},
           {"edits",
            {{{"old", "    return \"Hi \" + name\n"},
              {"new", "    return \"Hi \" + name\n\n\ndef bye():\n    pass\n"}}}}}}}};
    r.hook("generic", j.dump());
    auto lines = journal_lines(r, "src/app.py");
    REQUIRE(lines.size() == 6);
    CHECK(lines[1].cls == "unknown"); // the person's change, seen by nobody
    CHECK(lines[4].cls == "ai");
    CHECK(lines[5].cls == "ai");
}

TEST_CASE("generic: pre/post without files compares snapshots of the whole repository") {
    AgentRepo r;
    nlohmann::json pre = {{"agent", "gen"}, {"event", "pre"}, {"request", "r1"}, {"cwd", r.path()}};
    r.hook("generic", pre.dump());
    r.write("gen/out.py", "X = 1\nY = 2\n");
    r.write("src/app.py", std::string(provenant::test::kAppPy) + "Z = 3\n");
    nlohmann::json post = pre;
    post["event"] = "post";
    r.hook("generic", post.dump());
    auto out = journal_lines(r, "gen/out.py");
    REQUIRE(out.size() == 2);
    CHECK(out[0].cls == "ai");
    CHECK(out[1].cls == "ai");
    auto app = journal_lines(r, "src/app.py");
    REQUIRE(app.size() == 3);
    CHECK(app[0].cls != "ai");
    CHECK(app[1].cls != "ai");
    CHECK(app[2].cls == "ai");
}

TEST_CASE("codex: a Move to carries the entry to the new path") {
    AgentRepo r;
    r.write("src/main.py", "def greet(name):\n    return \"Hi \" + name\n");
    std::filesystem::remove(r.path() + "/src/app.py");
    nlohmann::json j = {
        {"session_id", "c1"},
        {"cwd", r.path()},
        {"hook_event_name", "PostToolUse"},
        {"model", "gpt-5.4"},
        {"tool_name", "apply_patch"},
        {"tool_input",
         {{"command",
           "*** Begin Patch\n*** Update File: src/app.py\n*** Move to: src/main.py\n@@\n-    "
           "return \"Hello \" + name\n+    return \"Hi \" + name\n*** End Patch"}}}};
    r.hook("codex", j.dump());
    auto lines = journal_lines(r, "src/main.py");
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].cls != "ai");
    CHECK(lines[1].cls == "ai");
    CHECK(lines[1].model == "gpt-5.4");
}
