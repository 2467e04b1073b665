// Every row of tests/fixtures/agents/README.md against the real binary and a real
// repository: the hook payload on stdin, then the journal's lines checked.
#include "agent_fixture.h"
#include "journal/sessions.h"

#include <doctest/doctest.h>

using namespace provenant;
using namespace provenant::test;

namespace {

const char* kSession = "3f2c9a1e-7b4d-4c2a-9e1f-5a6b7c8d9e01";
const char* kSonnet = "claude-sonnet-4-5-20250929";
const char* kOpus = "claude-opus-4-6";

void check_ai(const std::vector<LineInfo>& lines, size_t line, const std::string& tool,
              const std::string& model) {
    REQUIRE(lines.size() >= line);
    const LineInfo& li = lines[line - 1];
    INFO("line " << line);
    CHECK(li.cls == "ai");
    CHECK(li.tool == tool);
    CHECK(li.model == model);
}

const char* kUtilAfterWrite = "def clamp(x, lo, hi):\n    \"\"\"Clamp x into [lo, hi].\"\"\"\n    "
                              "return max(lo, min(x, hi))\n";
const char* kUtilAfterMulti =
    "def clamp(x: float, lo: float, hi: float) -> float:\n    \"\"\"Clamp x into [lo, hi].\"\"\"\n"
    "    if lo > hi:\n        raise ValueError(\"lo > hi\")\n    return max(lo, min(x, hi))\n";

} // namespace

TEST_CASE(
    "claude-code: PreToolUse then PostToolUse Edit -> lines 2-4 ai, model from the transcript") {
    AgentRepo r;
    std::string t = r.transcript("claude-code/transcript.jsonl");
    r.hook("claude-code", agent_fixture("claude-code/pre_tool_use_edit.json", r.path(), t));
    r.write("src/app.py", "def greet(name):\n    if not name:\n        raise ValueError(\"name is "
                          "required\")\n    return f\"Hello, {name}!\"\n");
    auto res =
        r.hook("claude-code", agent_fixture("claude-code/post_tool_use_edit.json", r.path(), t));
    CHECK(res.err.find("malformed") != std::string::npos); // the transcript's last line
    auto lines = journal_lines(r, "src/app.py");
    REQUIRE(lines.size() == 4);
    CHECK(lines[0].cls != "ai");
    for (size_t l = 2; l <= 4; ++l) {
        check_ai(lines, l, "claude-code", kSonnet);
        CHECK(lines[l - 1].session == kSession);
        CHECK(lines[l - 1].kind == "agent");
        CHECK(lines[l - 1].request == "toolu_01Edit0000000000000000001");
    }
    // The snapshot was consumed.
    CHECK_FALSE(std::filesystem::exists(
        r.path() + "/.git/provenant/agents/pre/claude-code-toolu_01Edit0000000000000000001.json"));
}

TEST_CASE("claude-code: Write creates src/util.py, then MultiEdit keeps unchanged lines' model") {
    AgentRepo r;
    std::string t = r.transcript("claude-code/transcript.jsonl");
    r.write("src/util.py", kUtilAfterWrite);
    r.hook("claude-code",
           agent_fixture("claude-code/post_tool_use_write_create.json", r.path(), t));
    auto lines = journal_lines(r, "src/util.py");
    REQUIRE(lines.size() == 3);
    for (size_t l = 1; l <= 3; ++l)
        check_ai(lines, l, "claude-code", kSonnet);

    r.write("src/util.py", kUtilAfterMulti);
    r.hook("claude-code", agent_fixture("claude-code/post_tool_use_multiedit.json", r.path(), t));
    lines = journal_lines(r, "src/util.py");
    REQUIRE(lines.size() == 5);
    check_ai(lines, 1, "claude-code", kOpus);
    check_ai(lines, 2, "claude-code", kSonnet);
    check_ai(lines, 3, "claude-code", kOpus);
    check_ai(lines, 4, "claude-code", kOpus);
    check_ai(lines, 5, "claude-code", kSonnet);
}

TEST_CASE("claude-code: Bash through before/after snapshots") {
    AgentRepo r;
    std::string t = r.transcript("claude-code/transcript.jsonl");
    r.write("notes.txt", "a person's uncommitted change\n"); // changed before: not the agent's
    nlohmann::json post =
        nlohmann::json::parse(agent_fixture("claude-code/post_tool_use_bash.json", r.path(), t));
    nlohmann::json pre = post;
    pre["hook_event_name"] = "PreToolUse";
    pre.erase("tool_response");
    auto res = r.hook("claude-code", pre.dump());
    CHECK(res.err.empty());
    r.write("src/version.py", "VERSION = \"1.2.0\"\n"); // what the command does
    r.hook("claude-code", post.dump());
    auto lines = journal_lines(r, "src/version.py");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].cls == "ai");
    CHECK(lines[0].tool == "claude-code");
    CHECK_FALSE(has_journal_entry(r, "notes.txt"));
    CHECK_FALSE(has_journal_entry(r, "src/app.py"));
}

TEST_CASE("claude-code: a PostToolUse Bash without its PreToolUse records nothing, says why") {
    AgentRepo r;
    r.write("src/version.py", "VERSION = \"1.2.0\"\n");
    auto res =
        r.hook("claude-code", agent_fixture("claude-code/post_tool_use_bash.json", r.path()));
    CHECK(res.err.find("snapshot") != std::string::npos);
    CHECK_FALSE(has_journal_entry(r, "src/version.py"));
}

TEST_CASE("claude-code: transcript token usage reaches the session store, deduplicated") {
    AgentRepo r;
    std::string t = r.transcript("claude-code/transcript.jsonl");
    r.write("src/util.py", kUtilAfterWrite);
    r.hook("claude-code",
           agent_fixture("claude-code/post_tool_use_write_create.json", r.path(), t));
    // A second hook reads nothing twice.
    r.hook("claude-code",
           agent_fixture("claude-code/post_tool_use_write_create.json", r.path(), t));
    SessionStore store(std::filesystem::path(r.path()) / ".git");
    auto rec = store.load({"claude-code", kSession});
    REQUIRE(rec);
    REQUIRE(*rec);
    const TokenUsage& s = (*rec)->tokens.at(kSonnet);
    CHECK(s.input == 1250);
    CHECK(s.output == 500);
    CHECK(s.cache_write_5m == 3000);
    CHECK(s.cache_read == 4200);
    const TokenUsage& o = (*rec)->tokens.at(kOpus);
    CHECK(o.input == 10);
    CHECK(o.output == 95);
    CHECK(o.cache_write_5m == 500);
    CHECK(o.cache_read == 4700);
    CHECK((*rec)->generated == 3);
}

TEST_CASE("claude-code: a model the transcript has not written yet is filled in later") {
    AgentRepo r;
    std::string full = agent_fixture("claude-code/transcript.jsonl", r.path());
    // The transcript lags: only the first user message so far.
    TempDir side;
    std::string t = side.path() + "/lagging-transcript.jsonl";
    write_text(t, full.substr(0, full.find('\n') + 1));
    r.write("src/util.py", kUtilAfterWrite);
    auto res = r.hook("claude-code",
                      agent_fixture("claude-code/post_tool_use_write_create.json", r.path(), t));
    CHECK(res.err.find("model") != std::string::npos);
    auto lines = journal_lines(r, "src/util.py");
    REQUIRE(lines.size() == 3);
    CHECK(lines[0].cls == "ai");
    CHECK(lines[0].model == "");
    write_text(t, full); // the transcript catches up; the next hook (end of turn) fills it in
    nlohmann::json stop = {{"session_id", kSession},
                           {"transcript_path", t},
                           {"cwd", r.path()},
                           {"hook_event_name", "Stop"}};
    r.hook("claude-code", stop.dump());
    lines = journal_lines(r, "src/util.py");
    for (size_t l = 1; l <= 3; ++l)
        check_ai(lines, l, "claude-code", kSonnet);
}

TEST_CASE("cursor: afterFileEdit -> line 2 ai, kind agent, model from the payload") {
    AgentRepo r;
    r.write("src/app.py", "def greet(name):\n    return \"Hello \" + name.strip()\n");
    r.hook("cursor", agent_fixture("cursor/after_file_edit.json", r.path()));
    auto lines = journal_lines(r, "src/app.py");
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].cls != "ai");
    check_ai(lines, 2, "cursor", "claude-4.5-sonnet");
    CHECK(lines[1].kind == "agent");
    CHECK(lines[1].session == "c0nv-6ef2299e-8f1a-4b33-9d2c-7a1b2c3d4e5f");
}

TEST_CASE("cursor: afterTabFileEdit -> the inserted line 2 ai, kind completion") {
    AgentRepo r;
    r.write("src/app.py",
            "def greet(name):\n    # greet the caller politely\n    return \"Hello \" + name\n");
    auto res = r.hook("cursor", agent_fixture("cursor/after_tab_file_edit.json", r.path()));
    CHECK(res.out == "{}\n");
    auto lines = journal_lines(r, "src/app.py");
    REQUIRE(lines.size() == 3);
    check_ai(lines, 2, "cursor", "cursor-tab");
    CHECK(lines[1].kind == "completion");
    CHECK(lines[0].cls != "ai");
    CHECK(lines[2].cls != "ai");
}

TEST_CASE("cursor: postToolUse Write -> src/config.py lines 1-2 ai, model gpt-5") {
    AgentRepo r;
    r.write("src/config.py", "DEBUG = False\nTIMEOUT_S = 30\n");
    r.hook("cursor", agent_fixture("cursor/post_tool_use_write.json", r.path()));
    auto lines = journal_lines(r, "src/config.py");
    REQUIRE(lines.size() == 2);
    check_ai(lines, 1, "cursor", "gpt-5");
    check_ai(lines, 2, "cursor", "gpt-5");
}

TEST_CASE("codex: apply_patch -> app.py 2-3 and constants.py 1-2 ai; tokens from the rollout") {
    AgentRepo r;
    std::string t = r.transcript("codex/rollout.jsonl");
    r.write("src/app.py",
            "def greet(name):\n    greeting = \"Hello \" + name\n    return greeting\n");
    r.write("src/constants.py", "MAX_NAME = 64\nMIN_NAME = 1\n");
    r.hook("codex", agent_fixture("codex/post_tool_use_apply_patch.json", r.path(), t));
    auto app = journal_lines(r, "src/app.py");
    REQUIRE(app.size() == 3);
    CHECK(app[0].cls != "ai");
    check_ai(app, 2, "codex", "gpt-5.4");
    check_ai(app, 3, "codex", "gpt-5.4");
    auto constants = journal_lines(r, "src/constants.py");
    REQUIRE(constants.size() == 2);
    check_ai(constants, 1, "codex", "gpt-5.4");
    check_ai(constants, 2, "codex", "gpt-5.4");
    SessionStore store(std::filesystem::path(r.path()) / ".git");
    auto rec = store.load({"codex", "019a7c1e-5d2f-7a30-b1c4-3e5f6a7b8c9d"});
    REQUIRE(rec);
    REQUIRE(*rec);
    const TokenUsage& u = (*rec)->tokens.at("gpt-5.4");
    CHECK(u.input == 3000); // 17000 of which 14000 cached
    CHECK(u.cache_read == 14000);
    CHECK(u.output == 1000);
    CHECK(u.reasoning == 300);
}

TEST_CASE("gemini: AfterTool replace -> line 2 ai, model unknown without a transcript") {
    AgentRepo r;
    r.write("src/app.py", "def greet(name):\n    return \"Hello \" + name.title()\n");
    r.hook("gemini", agent_fixture("gemini/after_tool_replace.json", r.path()));
    auto lines = journal_lines(r, "src/app.py");
    REQUIRE(lines.size() == 2);
    check_ai(lines, 2, "gemini", "");
    CHECK(lines[0].cls != "ai");
}

TEST_CASE("gemini: AfterTool write_file -> src/io_helpers.py lines 1-3 ai") {
    AgentRepo r;
    std::string text = "def read_text(path):\n    with open(path, encoding=\"utf-8\") as f:\n      "
                       "  return f.read()\n";
    r.write("src/io_helpers.py", text);
    r.hook("gemini", agent_fixture("gemini/after_tool_write_file.json", r.path()));
    auto lines = journal_lines(r, "src/io_helpers.py");
    REQUIRE(lines.size() == 3);
    for (size_t l = 1; l <= 3; ++l)
        check_ai(lines, l, "gemini", "");
}

TEST_CASE("copilot: VS Code replace_string_in_file -> only line 2 is new ai text") {
    AgentRepo r;
    r.write("src/app.py",
            "def greet(name):\n    name = name or \"world\"\n    return \"Hello \" + name\n");
    r.hook("copilot", agent_fixture("copilot/vscode_post_tool_use_replace.json", r.path()));
    auto lines = journal_lines(r, "src/app.py");
    REQUIRE(lines.size() == 3);
    check_ai(lines, 2, "copilot", "");
    CHECK(lines[1].session == "vscode-chat-7c8d9e0f-0001");
    CHECK(lines[2].cls != "ai"); // the old line, unchanged, keeps its origin
    CHECK(lines[0].cls != "ai");
}

TEST_CASE("copilot: CLI create (toolArgs is a JSON string) -> src/retry.py lines 1-7 ai") {
    AgentRepo r;
    r.write("src/retry.py",
            "def retry(fn, times=3):\n    for _ in range(times - 1):\n        try:\n"
            "            return fn()\n        except Exception:\n            pass\n"
            "    return fn()\n");
    r.hook("copilot", agent_fixture("copilot/cli_post_tool_use_create.json", r.path()));
    auto lines = journal_lines(r, "src/retry.py");
    REQUIRE(lines.size() == 7);
    for (size_t l = 1; l <= 7; ++l)
        check_ai(lines, l, "copilot", "");
}
