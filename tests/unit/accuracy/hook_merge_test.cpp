// Unit tests: issue 9's merge rules where an agent's hook (record_edit) meets the sidecar's
// journal writes: the reload race in both orders, agent B rewriting agent A's line.
#include "accuracy_support.h"

#include <doctest/doctest.h>

using namespace provenant;
using namespace provenant::accuracy;

TEST_CASE("the agent-write / editor-reload race gives the same journal in either order") {
    const std::string before = "def greet(name):\n    return name\n";
    const std::string after =
        "def greet(name):\n    if not name:\n        raise ValueError(\"x\")\n    return name\n";
    auto run = [&](bool hook_first) {
        const auto gitdir = TempGitdir::make();
        Journal journal(gitdir);
        uint32_t now = kT0;
        Document d(before, 1, PositionEncoding::Utf16);
        d.set_clock([&] { return now; });
        Sidecar side(gitdir, "app.py", d);
        side.save();
        if (hook_first) {
            record(journal, "app.py", before, after, kAgentA, now);
            side.poll();
            now += 1;
            REQUIRE(d.apply_change(2, std::nullopt, after));
            side.save();
        } else {
            REQUIRE(d.apply_change(2, std::nullopt, after));
            side.save();
            now += 1;
            record(journal, "app.py", before, after, kAgentA, now);
            side.poll();
        }
        auto entry = journal.load("app.py");
        REQUIRE(entry.ok());
        REQUIRE(*entry);
        return std::pair{line_tools((**entry).snapshot), line_tools(d.snapshot())};
    };
    const auto a = run(true), b = run(false);
    CHECK(a.first == b.first);
    CHECK(a.second == b.second);
    CHECK(a.first == std::vector<std::string>{"unknown", "claude-code", "claude-code", "unknown"});
    CHECK(a.second == a.first);
}

TEST_CASE("agent B rewriting agent A's line into a similar one makes it B's") {
    const auto gitdir = TempGitdir::make();
    Journal journal(gitdir);
    const std::string v0 = "def total(items):\n    pass\n";
    const std::string v1 = "def total(items):\n    return sum(item.price for item in items)\n";
    const std::string v2 = "def total(items):\n    return sum(i.price for i in items)\n";
    record(journal, "t.py", v0, v1, kAgentA, kT0);
    record(journal, "t.py", v1, v2, kAgentB, kT0 + 30);
    auto entry = journal.load("t.py");
    REQUIRE(entry.ok());
    REQUIRE(*entry);
    const Snapshot& s = (**entry).snapshot;
    CHECK(s.text == v2);
    CHECK(line_tools(s) == std::vector<std::string>{"unknown", "codex"});
    // Every non-whitespace character of the rewritten line is B's, none A's.
    const size_t at = v2.find("return");
    const auto attrs = s.expand();
    for (size_t i = at; i < v2.size() - 1; ++i) {
        CAPTURE(i);
        if (v2[i] == ' ') continue;
        CHECK(s.origins.at(attrs[i].origin).tool == "codex");
    }
}

TEST_CASE("a person's typing is never taken by an agent's older record of a similar line") {
    const auto gitdir = TempGitdir::make();
    Journal journal(gitdir);
    const std::string v0 = "x = 1\n";
    const std::string v1 = "x = 1\nCONFLICT FEATURE VERSION\n";
    record(journal, "c.txt", v0, v1, kAgentA, kT0);
    uint32_t now = kT0 + 120;
    auto loaded = journal.load("c.txt");
    REQUIRE(loaded.ok());
    REQUIRE(*loaded);
    Document d(v1, 1, PositionEncoding::Utf16, &(**loaded).snapshot);
    d.set_clock([&] { return now; });
    Sidecar side(gitdir, "c.txt", d);
    int64_t v = 1;
    REQUIRE(d.apply_change(++v, TextRange{{1, 0}, {2, 0}}, ""));
    const std::string typed = "CONFLICT MAIN VERSION\n";
    uint32_t col = 0;
    for (char c : typed) {
        REQUIRE(d.apply_change(++v, TextRange{{1, col}, {1, col}}, std::string(1, c)));
        ++col;
    }
    side.save();
    side.poll();
    auto entry = journal.load("c.txt");
    REQUIRE(entry.ok());
    REQUIRE(*entry);
    CHECK(line_tools((**entry).snapshot) == std::vector<std::string>{"unknown", "human"});
    CHECK(line_tools(d.snapshot()) == std::vector<std::string>{"unknown", "human"});
}
