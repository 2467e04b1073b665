// From agent hooks to the commit's note: model, tokens and the funnel reach
// `provenant show --json` after a commit through the git CLI.
#include "agent_fixture.h"

#include <doctest/doctest.h>

using namespace provenant::test;
using nlohmann::json;

namespace {

json show(const AgentRepo& r) {
    auto res = r.provenant({"show", "--json"});
    REQUIRE_MESSAGE(res.exit_code == 0, res.err);
    return json::parse(res.out);
}

uint64_t field(const json& tokens, const char* key) {
    return tokens.contains(key) ? tokens[key].get<uint64_t>() : 0;
}

} // namespace

TEST_CASE("claude-code edits -> commit -> the note carries models, tokens and the funnel") {
    AgentRepo r;
    auto inst = r.provenant({"install"});
    REQUIRE_MESSAGE(inst.exit_code == 0, inst.err);
    std::string t = r.transcript("claude-code/transcript.jsonl");
    r.write("src/util.py", "def clamp(x, lo, hi):\n    \"\"\"Clamp x into [lo, hi].\"\"\"\n    "
                           "return max(lo, min(x, hi))\n");
    r.hook("claude-code",
           agent_fixture("claude-code/post_tool_use_write_create.json", r.path(), t));
    r.write(
        "src/util.py",
        "def clamp(x: float, lo: float, hi: float) -> float:\n    \"\"\"Clamp x into [lo, "
        "hi].\"\"\"\n"
        "    if lo > hi:\n        raise ValueError(\"lo > hi\")\n    return max(lo, min(x, hi))\n");
    r.hook("claude-code", agent_fixture("claude-code/post_tool_use_multiedit.json", r.path(), t));
    r.git({"add", "src/util.py"});
    r.git({"commit", "-q", "-m", "clamp"});

    json note = show(r);
    INFO(note.dump(2));
    const json& file = note["files"]["src/util.py"];
    CHECK(file["lines"]["ai"] == "1-5");
    std::map<std::string, std::string> model_of_line;
    for (const auto& [id, ranges] : file["by_origin"].items())
        model_of_line[ranges.get<std::string>()] = note["origins"][id]["model"].get<std::string>();
    CHECK(model_of_line["1,3-4"] == "claude-opus-4-6");
    CHECK(model_of_line["2,5"] == "claude-sonnet-4-5-20250929");

    // Tokens of the session, per model, over its origins; the funnel once per session.
    std::map<std::string, json> tokens;
    uint64_t generated = 0, committed = 0, pending = 0;
    for (const auto& [id, o] : note["origins"].items()) {
        if (o["tool"] != "claude-code") continue;
        CHECK(o["session"] == "3f2c9a1e-7b4d-4c2a-9e1f-5a6b7c8d9e01");
        if (o.contains("tokens")) {
            std::string m = o["model"];
            for (const auto& [k, v] : o["tokens"].items())
                tokens[m][k] = field(tokens[m], k.c_str()) + v.get<uint64_t>();
        }
        if (o.contains("funnel")) {
            generated += o["funnel"]["generated"].get<uint64_t>();
            committed += o["funnel"]["committed"].get<uint64_t>();
            pending += o["funnel"]["pending"].get<uint64_t>();
        }
    }
    const json& sonnet = tokens["claude-sonnet-4-5-20250929"];
    CHECK(field(sonnet, "input") == 1250);
    CHECK(field(sonnet, "output") == 500);
    CHECK(field(sonnet, "cache_read") == 4200);
    const json& opus = tokens["claude-opus-4-6"];
    CHECK(field(opus, "input") == 10);
    CHECK(field(opus, "output") == 95);
    CHECK(committed == 5);
    CHECK(generated == 6); // 3 written, then 3 lines changed or added by MultiEdit
    CHECK(pending == 0);
    CHECK_FALSE(note["totals"].contains("tokens_uncommitted"));
}

TEST_CASE("a session that spent tokens and committed nothing is reported in the next note") {
    AgentRepo r;
    REQUIRE(r.provenant({"install"}).exit_code == 0);
    std::string t = r.transcript("codex/rollout.jsonl");
    r.write("src/app.py",
            "def greet(name):\n    greeting = \"Hello \" + name\n    return greeting\n");
    r.write("src/constants.py", "MAX_NAME = 64\nMIN_NAME = 1\n");
    r.hook("codex", agent_fixture("codex/post_tool_use_apply_patch.json", r.path(), t));
    // A person throws the agent's work away and commits something else.
    r.git({"checkout", "--", "src/app.py"});
    std::filesystem::remove(r.file("src/constants.py"));
    r.write("README.md", "hello\n");
    r.git({"add", "README.md"});
    r.git({"commit", "-q", "-m", "readme"});
    json note = show(r);
    INFO(note.dump(2));
    bool found = false;
    for (const auto& [id, o] : note["origins"].items()) {
        if (o["tool"] != "codex") continue;
        found = true;
        CHECK(o["model"] == "gpt-5.4");
        REQUIRE(o.contains("tokens"));
        CHECK(field(o["tokens"], "input") == 3000);
        CHECK(field(o["tokens"], "cache_read") == 14000);
        CHECK(field(o["tokens"], "output") == 1000);
        REQUIRE(o.contains("funnel"));
        CHECK(o["funnel"]["generated"] == 4);
        CHECK(o["funnel"]["committed"] == 0);
    }
    CHECK(found);
    REQUIRE(note["totals"].contains("tokens_uncommitted"));
    CHECK(field(note["totals"]["tokens_uncommitted"], "output") == 1000);
}
