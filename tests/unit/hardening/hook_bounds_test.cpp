// Hooks answer within bounds (issue 12 §8, §11): a payload's parse is budgeted before it
// starts, a transcript that is not a regular file is refused without blocking, and undoing a
// replace_all edit is one pass (its speed: bench/agent_undo.cpp; here, that it is right).
#include "agents/hook_runner.h"
#include "agents/text_edits.h"
#include "agents/transcripts.h"
#include "support/json_budget.h"
#include "support/process.h"

#include <doctest/doctest.h>
#include <string>
#include <sys/stat.h>

using namespace provenant;
using namespace provenant::agents;

namespace {

bool said(const HookReport& r, const std::string& what) {
    for (const auto& m : r.messages)
        if (m.find(what) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("a hook payload over the value budget or too deep is refused before any parse") {
    // `[{},{},...]`: 2 bytes a value, ~100 bytes each once parsed.
    std::string wide = "[";
    for (size_t i = 0; i <= kMaxPayloadValues; ++i)
        wide += i ? ",{}" : "{}";
    wide += "]";
    REQUIRE(wide.size() < kMaxPayloadBytes);
    test::TempDir dir;
    auto r = run_hook("claude-code", wide, dir.path());
    CHECK(said(r, "more than " + std::to_string(kMaxPayloadValues) + " JSON values"));

    std::string deep(200, '[');
    deep += std::string(200, ']');
    r = run_hook("claude-code", deep, dir.path());
    CHECK(said(r, "nested deeper than"));

    // Strings count as one value whatever they hold (file text rides in strings).
    std::string text = "{\"a\":\"" + std::string(1 << 20, ',') + "[{\"}";
    auto shape = measure_json(text, kMaxPayloadDepth);
    CHECK(shape.values == 1 + 1);
    CHECK_FALSE(shape.too_deep);
    CHECK(measure_json("{\"a\":\"\\\"[[[[\",\"b\":[1,2]}", 2).values == 5); // {}, "a", [], 1, 2
}

TEST_CASE("a FIFO as transcript_path is refused at once, never read") {
    test::TempDir dir;
    const std::string fifo = dir.path() + "/transcript.jsonl";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    SessionRecord rec;
    // Opened with std::ifstream, this blocked forever (no writer ever comes).
    auto r = read_transcript("claude-code", fifo, rec);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("not a regular file") != std::string::npos);
    r = read_transcript("codex", dir.path(), rec); // a directory
    CHECK_FALSE(r.ok());
}

TEST_CASE("undoing a replace_all edit restores every occurrence, in one pass") {
    std::string before;
    for (int i = 0; i < 2000; ++i)
        before += "value_" + std::to_string(i) + " = old_name(x);\n";
    std::string after;
    for (size_t pos = 0;;) {
        size_t hit = before.find("old_name", pos);
        after.append(before, pos, hit == std::string::npos ? std::string::npos : hit - pos);
        if (hit == std::string::npos) break;
        after += "a_much_longer_new_name";
        pos = hit + 8;
    }
    Replacement r{"old_name", "a_much_longer_new_name", true, 0, 0};
    auto undone = undo_replacements(after, {r});
    REQUIRE(undone);
    CHECK(*undone == before);
    // Shorter new text, and a second replacement undone first (reverse order).
    Replacement shrink{"value_", "v", true, 0, 0};
    std::string twice = *undone;
    for (size_t p = 0; (p = twice.find("value_", p)) != std::string::npos; p += 1)
        twice.replace(p, 6, "v");
    auto back = undo_replacements(twice, {shrink});
    REQUIRE(back);
    CHECK(*back == before);
    CHECK(count_generated_lines(before, after) == 2000);
    CHECK(count_generated_lines("a\nb\n", "a\n  \nb\n") == 0); // blank insertions do not count
    CHECK(count_generated_lines("a\nb\n", "a\nxy\nzz\nb\n") == 2);
}
