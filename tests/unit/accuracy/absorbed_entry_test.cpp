// Unit test: issue 9 §1 through the real session::JournalSync: an entry the document absorbed
// exactly is not carried by content again at its next save (property test seed 12011).
#include "accuracy_support.h"
#include "support/temp_repo.h"
#include "synced_sidecar.h"

#include <doctest/doctest.h>

using namespace provenant;
using namespace provenant::accuracy;

TEST_CASE("a line typed to spell an absorbed agent line is not the agent's at the save") {
    test::TempRepo repo;
    const std::string head = "def f(items):\n    total = compute_total(order.items)\n";
    repo.write("f.py", head);
    repo.commit_all("initial");
    auto loc = find_repository(repo.path());
    REQUIRE(loc);
    Journal journal(loc->gitdir);
    SyncedSidecar side(session::JournalTarget{loc->gitdir, "f.py", loc->workdir});
    uint32_t now = kT0;
    Document& d = side.open(head, [&] { return now; });
    // The agent inserts a line; the editor reloads, saves; the hook records it; the poll
    // absorbs the entry (of exactly the document's text).
    const std::string agent_line = "    total = compute_total(order.items, tax=rate)\n";
    const std::string after =
        "def f(items):\n" + agent_line + "    total = compute_total(order.items)\n";
    REQUIRE(d.apply_change(2, std::nullopt, after));
    side.save();
    now += 100;
    record(journal, "f.py", head, after, kAgentB, now);
    side.poll();
    now += 100;
    // The person edits the agent's line, then types ", tax=rate" into the old line, which now
    // spells the agent's line exactly.
    REQUIRE(d.apply_change(3, TextRange{{1, 4}, {1, 4}}, "x"));
    int64_t v = 3;
    uint32_t col = 37; // before the closing parenthesis
    for (char c : std::string(", tax=rate")) {
        REQUIRE(d.apply_change(++v, TextRange{{2, col}, {2, col}}, std::string(1, c)));
        ++col;
    }
    side.save();
    auto e = journal.load("f.py");
    REQUIRE(e.ok());
    REQUIRE(*e);
    const std::vector<std::string> tools = line_tools((**e).snapshot);
    REQUIRE(tools.size() == 3);
    CHECK(tools[1] == "codex"); // the agent's line, edited: still the agent's (ai_modified)
    CHECK(tools[2] != "codex"); // the old line the person typed into: never the agent's
}
