// Hostile and malformed payloads: the hook always exits 0, says what it could not use on
// stderr, and leaves the journal untouched.
#include "agent_fixture.h"

#include <doctest/doctest.h>
#include <filesystem>

using namespace provenant::test;

namespace {
bool journal_empty(const AgentRepo& r) {
    std::filesystem::path dir = std::filesystem::path(r.path()) / ".git/provenant/journal";
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) return true;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().extension() == ".json") return false;
    return true;
}
} // namespace

TEST_CASE("malformed payloads: exit 0, a clear message, nothing recorded") {
    AgentRepo r;
    r.write("src/app.py", "changed\n");
    struct Case {
        std::string agent, payload, expect;
    };
    std::string repo = r.path();
    std::vector<Case> cases = {
        {"claude-code", "", "not valid JSON"},
        {"claude-code", "{\"session_id\":", "not valid JSON"},
        {"claude-code", "[1,2]", "expected a JSON object"},
        {"claude-code", R"({"hook_event_name":"PostToolUse"})", "session_id: missing"},
        {"claude-code",
         R"({"session_id":"s","hook_event_name":"PostToolUse","tool_name":"Write","tool_input":{"file_path":5}})",
         "tool_input.file_path: expected a string"},
        {"claude-code",
         R"({"session_id":"s","hook_event_name":"PostToolUse","tool_name":"MultiEdit","tool_input":{"file_path":"x","edits":{}}})",
         "tool_input.edits: expected an array"},
        {"cursor", R"({"hook_event_name":"afterFileEdit"})", "file_path: missing"},
        {"codex",
         R"({"session_id":"s","hook_event_name":"PostToolUse","tool_name":"apply_patch","tool_input":{"command":7}})",
         "tool_input.command"},
        {"gemini",
         R"({"session_id":"s","hook_event_name":"AfterTool","tool_name":"write_file","tool_input":"x"})",
         "tool_input: expected an object"},
        {"copilot", R"({"toolName":"create","toolArgs":"{not json"})", "toolArgs"},
        {"generic", R"({"agent":"Bad Name!"})", "agent:"},
        {"generic", R"({"agent":"x","files":[{"after":"a"}]})", "files[0].path: missing"},
        {"generic", R"({"agent":"x","kind":"robot","files":[]})", "kind"},
        {"generic", R"({"agent":"x","tokens":{"input":-3}})", "tokens.input"},
        // Every field is read by the one reader: a wrong type is refused, never ignored.
        {"generic", R"({"agent":"x","files":[{"path":"a","after":"a","created":"yes"}]})",
         "files[0].created: expected a boolean, got string"},
        {"generic",
         R"({"agent":"x","files":[{"path":"a","edits":[{"old":"a","new":"b","all":1}]}]})",
         "files[0].edits[0].all: expected a boolean, got number"},
        {"cursor",
         R"({"hook_event_name":"afterTabFileEdit","file_path":"a","edits":[{"old_string":"",
         "new_string":"x","range":{"start_line_number":-1}}]})",
         "edits[0].range.start_line_number: expected a non-negative integer, got -1"},
        {"cursor", R"({"hook_event_name":"afterFileEdit","file_path":"a","workspace_roots":[3]})",
         "workspace_roots[0]: expected a string, got number"},
        {"no-such-agent", "{}", "unknown agent"},
        // A path outside the repository is refused, not written.
        {"generic",
         R"({"agent":"x","cwd":")" + repo + R"(","files":[{"path":"/etc/passwd","after":"x"}]})",
         "not recorded"},
        {"generic",
         R"({"agent":"x","cwd":")" + repo + R"(","files":[{"path":"../outside.py","after":"x"}]})",
         "not recorded"},
    };
    for (const auto& c : cases) {
        INFO(c.agent << " " << c.payload);
        auto res = r.provenant({"hook", c.agent}, c.payload);
        CHECK(res.exit_code == 0);
        CHECK(res.err.find(c.expect) != std::string::npos);
        CHECK(res.err.find("provenant hook") != std::string::npos);
    }
    CHECK(journal_empty(r));
}

TEST_CASE("a hook outside any repository exits 0 and says so") {
    TempDir dir;
    auto res =
        provenant::test::provenant({"hook", "generic"}, dir.path(),
                                   R"({"agent":"x","files":[{"path":"a.py","after":"x\n"}]})");
    CHECK(res.exit_code == 0);
    CHECK(res.err.find("not in a git repository") != std::string::npos);
}

TEST_CASE("an oversized line count or binary content is refused, the hook still exits 0") {
    AgentRepo r;
    std::string bin("a\0b", 3);
    r.write("blob.bin", bin);
    nlohmann::json j = {{"agent", "x"}, {"cwd", r.path()}, {"files", {{{"path", "blob.bin"}}}}};
    auto res = r.provenant({"hook", "generic"}, j.dump());
    CHECK(res.exit_code == 0);
    CHECK(res.err.find("binary") != std::string::npos);
    CHECK(journal_empty(r));
}
