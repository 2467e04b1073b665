// `provenant install --agents ...` / `uninstall --agents ...`: each agent's settings merged
// without losing anything, idempotent, and removed exactly.
#include "agent_fixture.h"

#include <doctest/doctest.h>
#include <filesystem>

using namespace provenant::test;
using nlohmann::ordered_json;

namespace {

const std::vector<std::pair<std::string, std::string>> kProjectFiles = {
    {"claude-code", ".claude/settings.json"},
    {"cursor", ".cursor/hooks.json"},
    {"codex", ".codex/hooks.json"},
    {"gemini", ".gemini/settings.json"},
    {"copilot", ".github/hooks/provenant.json"}};

const char* kClaudeSettings = R"json({
  "permissions": { "allow": ["Bash(npm test)"] },
  "hooks": {
    "PostToolUse": [
      { "matcher": "Write", "hooks": [ { "type": "command", "command": "prettier --write" } ] }
    ],
    "Notification": [ { "hooks": [ { "type": "command", "command": "notify-send hi" } ] } ]
  },
  "model": "opus"
}
)json";
const char* kCursorHooks =
    R"({"version": 1, "hooks": {"afterFileEdit": [{"command": "./fmt.sh"}]}})";
const char* kGeminiSettings = R"({"theme": "dark", "general": {"vimMode": true}})";

} // namespace

TEST_CASE(
    "install --agents merges into existing configs, twice changes nothing, uninstall restores") {
    AgentRepo r;
    r.write(".claude/settings.json", kClaudeSettings);
    r.write(".cursor/hooks.json", kCursorHooks);
    r.write(".gemini/settings.json", kGeminiSettings);

    auto res = r.provenant({"install", "--agents", "claude-code,cursor,codex,gemini,copilot"});
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
    std::map<std::string, std::string> first;
    for (const auto& [agent, file] : kProjectFiles) {
        INFO(agent);
        REQUIRE(std::filesystem::exists(r.file(file)));
        std::string text = r.read(file);
        first[file] = text;
        std::string expected = PROVENANT_BINARY;
        expected += "' hook ";
        expected += agent;
        CHECK(text.find(expected) != std::string::npos);
    }
    // Existing content kept, in place.
    auto claude = ordered_json::parse(r.read(".claude/settings.json"));
    CHECK(claude["permissions"]["allow"][0] == "Bash(npm test)");
    CHECK(claude["model"] == "opus");
    CHECK(claude["hooks"]["PostToolUse"][0]["hooks"][0]["command"] == "prettier --write");
    CHECK(claude["hooks"]["Notification"][0]["hooks"][0]["command"] == "notify-send hi");
    CHECK(claude["hooks"]["PreToolUse"][0]["matcher"] == "Write|Edit|MultiEdit|NotebookEdit|Bash");
    CHECK(claude.begin().key() == "permissions");
    auto cursor = ordered_json::parse(r.read(".cursor/hooks.json"));
    CHECK(cursor["hooks"]["afterFileEdit"][0]["command"] == "./fmt.sh");
    CHECK(cursor["hooks"]["afterFileEdit"].size() == 2);
    CHECK(cursor["hooks"].contains("afterTabFileEdit"));

    // Twice: byte-identical files.
    res = r.provenant({"install", "--agents", "claude-code,cursor,codex,gemini,copilot"});
    REQUIRE(res.exit_code == 0);
    for (const auto& [agent, file] : kProjectFiles)
        CHECK(r.read(file) == first[file]);

    // Uninstall: what existed is back (as JSON), what install created is gone.
    res = r.provenant({"uninstall", "--agents", "claude-code,cursor,codex,gemini,copilot"});
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
    CHECK(ordered_json::parse(r.read(".claude/settings.json")) ==
          ordered_json::parse(kClaudeSettings));
    CHECK(ordered_json::parse(r.read(".cursor/hooks.json")) == ordered_json::parse(kCursorHooks));
    CHECK(ordered_json::parse(r.read(".gemini/settings.json")) ==
          ordered_json::parse(kGeminiSettings));
    CHECK_FALSE(std::filesystem::exists(r.file(".codex/hooks.json")));
    CHECK_FALSE(std::filesystem::exists(r.file(".github/hooks/provenant.json")));
}

TEST_CASE("install --agents --user writes the user's settings under HOME") {
    AgentRepo r;
    TempDir home;
    auto res = r.provenant({"install", "--agents", "claude-code,copilot", "--user"}, "",
                           {{"HOME", home.path()}});
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
    CHECK(std::filesystem::exists(home.path() + "/.claude/settings.json"));
    CHECK(std::filesystem::exists(home.path() + "/.copilot/hooks/provenant.json"));
    CHECK_FALSE(std::filesystem::exists(r.file(".claude/settings.json")));
    res = r.provenant({"uninstall", "--agents", "claude-code,copilot", "--user"}, "",
                      {{"HOME", home.path()}});
    REQUIRE(res.exit_code == 0);
    CHECK_FALSE(std::filesystem::exists(home.path() + "/.claude/settings.json"));
}

TEST_CASE("install --agents refuses to touch a settings file that is not JSON") {
    AgentRepo r;
    r.write(".claude/settings.json", "{ this is not json");
    auto res = r.provenant({"install", "--agents", "claude-code"});
    CHECK(res.out.find("not valid JSON") != std::string::npos);
    CHECK(r.read(".claude/settings.json") == "{ this is not json");
    res = r.provenant({"install", "--agents", "emacs"});
    CHECK(res.exit_code != 0);
}

TEST_CASE("the installed command runs: a quoted binary path and the agent name") {
    AgentRepo r;
    REQUIRE(r.provenant({"install", "--agents", "claude-code"}).exit_code == 0);
    auto claude = ordered_json::parse(r.read(".claude/settings.json"));
    std::string command = claude["hooks"]["PostToolUse"][0]["hooks"][0]["command"];
    r.write("src/util.py", "X = 1\n");
    nlohmann::json payload = {
        {"session_id", "s"},
        {"cwd", r.path()},
        {"hook_event_name", "PostToolUse"},
        {"tool_name", "Write"},
        {"tool_use_id", "t1"},
        {"tool_input", {{"file_path", r.file("src/util.py")}, {"content", "X = 1\n"}}}};
    auto res = run({"/bin/sh", "-c", command}, r.path(), payload.dump());
    CHECK(res.exit_code == 0);
    auto lines = journal_lines(r, "src/util.py");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].cls == "ai");
}
