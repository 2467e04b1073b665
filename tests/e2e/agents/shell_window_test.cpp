// Two agents at once: Claude Code's Bash tool is open (its PreToolUse snapshot taken) while
// Codex edits files through its own hook. Claude's PostToolUse sees those files changed
// between its snapshots, but another recorded edit explains the change: Codex keeps its lines,
// and only what nothing explains goes to the shell tool (issue 9 §4).
#include "agent_fixture.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace provenant::test;

namespace {

const char* kCodexApp = "def greet(name):\n    greeting = \"Hello \" + name\n    return greeting\n";
const char* kCodexConstants = "MAX_NAME = 64\nMIN_NAME = 1\n";

/// Claude's Bash pre- and post-tool payloads (the fixture's post, its pre derived from it).
std::pair<std::string, std::string> claude_bash(const AgentRepo& r, const std::string& t) {
    nlohmann::json post =
        nlohmann::json::parse(agent_fixture("claude-code/post_tool_use_bash.json", r.path(), t));
    nlohmann::json pre = post;
    pre["hook_event_name"] = "PreToolUse";
    pre.erase("tool_response");
    return {pre.dump(), post.dump()};
}

/// Codex's apply_patch, written to disk and reported through its hook.
void codex_edits(const AgentRepo& r) {
    std::string rollout = r.transcript("codex/rollout.jsonl");
    r.write("src/app.py", kCodexApp);
    r.write("src/constants.py", kCodexConstants);
    r.hook("codex", agent_fixture("codex/post_tool_use_apply_patch.json", r.path(), rollout));
}

void check_tool(const std::vector<LineInfo>& lines, size_t line, const std::string& tool) {
    INFO("line " << line << " should be " << tool);
    REQUIRE(lines.size() >= line);
    CHECK(lines[line - 1].cls == "ai");
    CHECK(lines[line - 1].tool == tool);
}

} // namespace

TEST_CASE("two agents: Codex's hooked edit inside Claude's Bash window stays Codex's") {
    AgentRepo r;
    std::string t = r.transcript("claude-code/transcript.jsonl");
    auto [pre, post] = claude_bash(r, t);
    r.hook("claude-code", pre);
    codex_edits(r);
    r.write("src/version.py", "VERSION = \"1.2.0\"\n"); // what Claude's command does
    r.hook("claude-code", post);

    auto app = journal_lines(r, "src/app.py");
    REQUIRE(app.size() == 3);
    CHECK(app[0].cls != "ai"); // committed, untouched
    check_tool(app, 2, "codex");
    check_tool(app, 3, "codex");
    auto constants = journal_lines(r, "src/constants.py");
    REQUIRE(constants.size() == 2);
    check_tool(constants, 1, "codex");
    check_tool(constants, 2, "codex");
    auto version = journal_lines(r, "src/version.py");
    REQUIRE(version.size() == 1);
    check_tool(version, 1, "claude-code");
}

TEST_CASE("two agents: the shell tool gets only the unexplained remainder of a file") {
    AgentRepo r;
    std::string t = r.transcript("claude-code/transcript.jsonl");
    auto [pre, post] = claude_bash(r, t);
    r.hook("claude-code", pre);
    codex_edits(r);
    // Claude's command then appends to the files Codex edited.
    r.write("src/app.py", std::string(kCodexApp) + "print(greet(\"shell\"))\n");
    r.write("src/constants.py", std::string(kCodexConstants) + "DEFAULT_NAME = \"world\"\n");
    r.hook("claude-code", post);

    auto app = journal_lines(r, "src/app.py");
    REQUIRE(app.size() == 4);
    check_tool(app, 2, "codex");
    check_tool(app, 3, "codex");
    check_tool(app, 4, "claude-code");
    auto constants = journal_lines(r, "src/constants.py");
    REQUIRE(constants.size() == 3);
    check_tool(constants, 1, "codex");
    check_tool(constants, 2, "codex");
    check_tool(constants, 3, "claude-code");
}

TEST_CASE("two agents: a person's change before the window is not the shell tool's") {
    // The old rule still holds: a file already changed when the snapshot was taken gives the
    // shell tool only what changed inside the window, even when another hook wrote meanwhile.
    AgentRepo r;
    std::string t = r.transcript("claude-code/transcript.jsonl");
    r.write("notes.txt", "a person's uncommitted line\n");
    auto [pre, post] = claude_bash(r, t);
    r.hook("claude-code", pre);
    codex_edits(r);
    r.write("notes.txt", "a person's uncommitted line\nthe shell's line\n");
    r.hook("claude-code", post);
    auto notes = journal_lines(r, "notes.txt");
    REQUIRE(notes.size() == 2);
    CHECK(notes[0].cls == "unknown");
    check_tool(notes, 2, "claude-code");
    check_tool(journal_lines(r, "src/app.py"), 2, "codex");
}

TEST_CASE("two agents: Codex's own shell command nested inside Claude's Bash window stays "
          "Codex's") {
    // Claude pre, Codex pre, Codex's command writes, Codex post claims it, Claude post.
    AgentRepo r;
    std::string t = r.transcript("claude-code/transcript.jsonl");
    std::string rollout = r.transcript("codex/rollout.jsonl");
    auto [pre, post] = claude_bash(r, t);
    nlohmann::json codex_post = nlohmann::json::parse(
        agent_fixture("codex/post_tool_use_apply_patch.json", r.path(), rollout));
    codex_post["tool_name"] = "exec_command";
    codex_post["tool_use_id"] = "call_shell_0001";
    codex_post["tool_input"] = {{"command", "python3 gen.py"}};
    codex_post["tool_response"] = "";
    nlohmann::json codex_pre = codex_post;
    codex_pre["hook_event_name"] = "PreToolUse";
    codex_pre.erase("tool_response");

    r.hook("claude-code", pre);
    r.hook("codex", codex_pre.dump());
    r.write("src/generated.py", "TABLE = [1, 2, 3]\n");
    r.hook("codex", codex_post.dump());
    r.hook("claude-code", post);
    auto lines = journal_lines(r, "src/generated.py");
    REQUIRE(lines.size() == 1);
    check_tool(lines, 1, "codex");
}

TEST_CASE("two agents, the other order: Claude's hooked edit inside Codex's shell window stays "
          "Claude's") {
    AgentRepo r;
    std::string t = r.transcript("claude-code/transcript.jsonl");
    std::string rollout = r.transcript("codex/rollout.jsonl");
    nlohmann::json codex_post = nlohmann::json::parse(
        agent_fixture("codex/post_tool_use_apply_patch.json", r.path(), rollout));
    codex_post["tool_name"] = "exec_command";
    codex_post["tool_use_id"] = "call_shell_0002";
    codex_post["tool_input"] = {{"command", "make"}};
    codex_post["tool_response"] = "";
    nlohmann::json codex_pre = codex_post;
    codex_pre["hook_event_name"] = "PreToolUse";
    codex_pre.erase("tool_response");

    r.hook("codex", codex_pre.dump());
    r.hook("claude-code", agent_fixture("claude-code/pre_tool_use_edit.json", r.path(), t));
    r.write("src/app.py", "def greet(name):\n    if not name:\n        raise ValueError(\"name is "
                          "required\")\n    return f\"Hello, {name}!\"\n");
    r.hook("claude-code", agent_fixture("claude-code/post_tool_use_edit.json", r.path(), t));
    r.hook("codex", codex_post.dump());
    auto lines = journal_lines(r, "src/app.py");
    REQUIRE(lines.size() == 4);
    for (size_t l = 2; l <= 4; ++l)
        check_tool(lines, l, "claude-code");
}

TEST_CASE("two agents: Codex's hook arriving after Claude's Bash post-hook still wins its lines") {
    // Claude pre, Codex writes its files, Claude post (it sees them changed and, with no other
    // record yet, takes them), then Codex's own hook: its explicit record of the same lines,
    // within the race window, takes them back. What only the shell wrote stays the shell's.
    AgentRepo r;
    std::string t = r.transcript("claude-code/transcript.jsonl");
    std::string rollout = r.transcript("codex/rollout.jsonl");
    auto [pre, post] = claude_bash(r, t);
    r.hook("claude-code", pre);
    r.write("src/app.py", kCodexApp);
    r.write("src/constants.py", kCodexConstants);
    r.write("src/version.py", "VERSION = \"1.2.0\"\n"); // what Claude's command does
    r.hook("claude-code", post);
    r.hook("codex", agent_fixture("codex/post_tool_use_apply_patch.json", r.path(), rollout));

    auto app = journal_lines(r, "src/app.py");
    REQUIRE(app.size() == 3);
    CHECK(app[0].cls != "ai");
    check_tool(app, 2, "codex");
    check_tool(app, 3, "codex");
    auto constants = journal_lines(r, "src/constants.py");
    REQUIRE(constants.size() == 2);
    check_tool(constants, 1, "codex");
    check_tool(constants, 2, "codex");
    check_tool(journal_lines(r, "src/version.py"), 1, "claude-code");
}
