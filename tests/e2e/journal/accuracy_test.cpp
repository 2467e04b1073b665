// Issue 9 end to end, through the real binary and real git: a person's typing over an agent's
// deleted line is the person's in the note (the sidecar's journal merge), agent B rewriting
// agent A's line is B's, and an entry that survived `git checkout -f` credits no similar text.
#include "editor_session.h"
#include "journal/journal.h"
#include "support/lsp_client.h"
#include "support/temp_repo.h"

#include <algorithm>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace provenant::test;
using nlohmann::json;

namespace {

/// In the sidecar: replace line `line` (0-based) of the open file with `typed`, key by key,
/// then save (the editor writes the file, then didSave).
void retype_line(LspClient& lsp, const TempRepo& r, const std::string& uri, const std::string& path,
                 int line, const std::string& typed, const std::string& saved_text,
                 int64_t& version) {
    lsp.did_change(uri, ++version, range(line, 0, line + 1, 0), "");
    int col = 0;
    for (char c : typed) {
        lsp.did_change(uri, ++version, range(line, col, line, col), std::string(1, c));
        ++col;
    }
    lsp.did_change(uri, ++version, range(line, col, line, col), "\n");
    r.write(path, saved_text);
    lsp.did_save(uri);
    lsp.sync();
}

void typed_over_agent_line(const std::string& agent_line, const std::string& typed) {
    TempRepo r;
    r.write("c.py", "x = 1\n");
    r.commit_all("initial");
    REQUIRE(r.provenant({"install"}).exit_code == 0);
    const std::string with_agent = "x = 1\n" + agent_line + "\n";
    agent_writes(r, "claude-code", "c.py", "x = 1\n", with_agent);

    LspClient::Options o;
    o.cwd = r.path();
    LspClient lsp(o);
    lsp.initialize();
    const std::string uri = file_uri(r.file("c.py"));
    lsp.did_open(uri, with_agent, 1, "python");
    lsp.sync();
    REQUIRE(lsp.line_classes(uri).size() >= 2);
    CHECK(lsp.line_classes(uri)[1] == "ai"); // restored from the journal
    int64_t v = 1;
    const std::string saved = "x = 1\n" + typed + "\n";
    retype_line(lsp, r, uri, "c.py", 1, typed, saved, v);
    CHECK(lsp.line_classes(uri)[1] == "human");
    CHECK(lsp.shutdown_and_exit() == 0);

    r.git({"add", "c.py"});
    r.git({"commit", "-q", "-m", "typed"});
    const json f = note_file(r, "c.py");
    CHECK(f["lines"].value("human", "") == "2");
    CHECK(!f["lines"].contains("ai"));
    CHECK(!f["lines"].contains("ai_modified"));
}

} // namespace

TEST_CASE("a person's line typed over an agent's deleted line is human in the note") {
    typed_over_agent_line("CONFLICT FEATURE VERSION", "CONFLICT MAIN VERSION");
    typed_over_agent_line("    return sum(item.price for item in items)",
                          "    return sum(i.price for i in items)");
}

TEST_CASE("agent B rewriting agent A's line into a similar one: the line is B's") {
    TempRepo r;
    const std::string v0 = "def total(items):\n    pass\n";
    r.write("t.py", v0);
    r.commit_all("initial");
    REQUIRE(r.provenant({"install"}).exit_code == 0);
    const std::string v1 = "def total(items):\n    return sum(item.price for item in items)\n";
    const std::string v2 = "def total(items):\n    return sum(i.price for i in items)\n";
    agent_writes(r, "alpha", "t.py", v0, v1);
    agent_writes(r, "beta", "t.py", v1, v2);
    r.git({"add", "t.py"});
    r.git({"commit", "-q", "-m", "agents"});
    auto res = r.provenant({"show", "--json"});
    REQUIRE(res.exit_code == 0);
    const json note = json::parse(res.out);
    INFO(note.dump(2));
    const json& f = note["files"]["t.py"];
    CHECK(f["lines"].value("ai", "") == "2");
    REQUIRE(f["by_origin"].size() == 1);
    const std::string id = f["by_origin"].begin().key();
    CHECK(note["origins"][id]["tool"] == "beta");
}

TEST_CASE("after git checkout -f, an agent's stale entry credits no similar typing") {
    TempRepo r;
    const std::string head = "def total(items):\n    pass\n";
    r.write("t.py", head);
    r.commit_all("initial");
    REQUIRE(r.provenant({"install"}).exit_code == 0);
    agent_writes(r, "claude-code", "t.py", head,
                 "def total(items):\n    return sum(item.price for item in items)\n");
    r.git({"checkout", "-f", "--", "t.py"}); // the agent's work thrown away; the entry stays
    CHECK(r.read("t.py") == head);

    LspClient::Options o;
    o.cwd = r.path();
    LspClient lsp(o);
    lsp.initialize();
    const std::string uri = file_uri(r.file("t.py"));
    lsp.did_open(uri, head, 1, "python");
    int64_t v = 1;
    const std::string typed = "    return sum(i.price for i in items)";
    retype_line(lsp, r, uri, "t.py", 1, typed, "def total(items):\n" + typed + "\n", v);
    CHECK(lsp.line_classes(uri)[1] == "human");
    CHECK(lsp.shutdown_and_exit() == 0);
    r.git({"add", "t.py"});
    r.git({"commit", "-q", "-m", "typed"});
    const json f = note_file(r, "t.py");
    CHECK(f["lines"].value("human", "") == "2");
    CHECK(!f["lines"].contains("ai"));
    CHECK(!f["lines"].contains("ai_modified"));
}

TEST_CASE("git checkout of saved typing: the reopened agent's line is not the person's") {
    // A committed agent line; a person retypes it, key by key, into a longer line that
    // contains every character of it, and saves. `git checkout -- FILE` brings back the agent's
    // line, and the file is reopened. The entry's typing was saved (didSave): it is not typing a
    // crash lost, and the letters it shares with the agent's line are not the agent's line. Old
    // rule: a hunk that only removes typed characters keeps the rest, so the line was `human`.
    TempRepo r;
    const std::string head = "def total(items):\n    pass\n";
    r.write("t.py", head);
    r.commit_all("initial");
    REQUIRE(r.provenant({"install"}).exit_code == 0);
    const std::string agent = "def total(items):\n    if not items: return 0\n";
    agent_writes(r, "claude-code", "t.py", head, agent);
    r.git({"add", "t.py"});
    r.git({"commit", "-q", "-m", "agent"});
    CHECK(note_file(r, "t.py")["lines"].value("ai", "") == "2");

    const std::string uri = file_uri(r.file("t.py"));
    {
        LspClient::Options o;
        o.cwd = r.path();
        LspClient lsp(o);
        lsp.initialize();
        lsp.did_open(uri, agent, 1, "python");
        int64_t v = 1;
        const std::string typed = "    if not items or not cart: return 0";
        retype_line(lsp, r, uri, "t.py", 1, typed, "def total(items):\n" + typed + "\n", v);
        CHECK(lsp.line_classes(uri)[1] == "human");
        lsp.did_close(uri);
        lsp.sync();
        CHECK(lsp.shutdown_and_exit() == 0);
    }
    r.git({"checkout", "--", "t.py"});
    REQUIRE(r.read("t.py") == agent);

    LspClient::Options o;
    o.cwd = r.path();
    LspClient lsp(o);
    lsp.initialize();
    lsp.did_open(uri, agent, 1, "python");
    lsp.sync();
    const auto lines = lsp.line_classes(uri);
    REQUIRE(lines.size() >= 2);
    CHECK(lines[1] != "human");
    CHECK(lsp.shutdown_and_exit() == 0);
}

TEST_CASE("after git checkout -f, a line typed like the agent's lost line is human, nothing ai") {
    // docs/model.md §3: the agent's uncommitted lines are thrown away by `git checkout -f`; the
    // person reopens the file and, seconds later, types a line that shares a long span with one
    // of them (a race-window's distance from the hook). The reopen measures the file against
    // HEAD's text: HEAD explains all of it, so the entry's evidence is stale and is retired,
    // and nothing brings it back at the save's merge. Old code: the entry survived the reopen
    // and the save's merge carried the agent's span onto the typed line: `ai`.
    TempRepo r;
    const std::string head = "def total(order, rate):\n    return 0\n";
    r.write("t.py", head);
    r.commit_all("initial");
    REQUIRE(r.provenant({"install"}).exit_code == 0);
    const std::string agent_line =
        "    total = compute_total(order.items, tax=rate, discount=coupon.value, shipping=ship)";
    agent_writes(r, "claude-code", "t.py", head,
                 "def total(order, rate):\n" + agent_line + "\n    return total\n");
    r.git({"checkout", "-f", "--", "t.py"});
    REQUIRE(r.read("t.py") == head);

    LspClient::Options o;
    o.cwd = r.path();
    LspClient lsp(o);
    lsp.initialize();
    const std::string uri = file_uri(r.file("t.py"));
    lsp.did_open(uri, head, 1, "python");
    lsp.sync();
    CHECK(lsp.line_classes(uri) == std::vector<std::string>{"unknown", "unknown"});
    int64_t v = 1;
    const std::string typed =
        "    total = compute_total(order.items, tax=rate, discount=coupon.value, shipping=0)";
    const std::string saved = "def total(order, rate):\n" + typed + "\n";
    retype_line(lsp, r, uri, "t.py", 1, typed, saved, v);
    CHECK(lsp.line_classes(uri)[1] == "human");
    CHECK(lsp.shutdown_and_exit() == 0);

    r.git({"add", "t.py"});
    r.git({"commit", "-q", "-m", "typed"});
    const json f = note_file(r, "t.py");
    CHECK(f["lines"].value("human", "") == "2");
    CHECK(!f["lines"].contains("ai"));
    CHECK(!f["lines"].contains("ai_modified"));
}

TEST_CASE("a reload that brings back HEAD's text is not typing: an agent's later edit is ai") {
    // docs/model.md §3, the reverse half: with the file open, an agent rewrites part of a line
    // (hook, then the editor's reload); `git checkout -- FILE` restores HEAD's text and the
    // editor reloads it (a full-text change, or one change over the changed lines as VS Code
    // sends a reload); then the agent edits that line again. The reload made the buffer HEAD's
    // text: it keeps HEAD's class (unknown here), so the agent's edit is the line's only new
    // text and the line is the agent's. Old code: after the reload HEAD's line was still
    // `ai` (the agent's earlier characters that the reload's character diff kept: HEAD's text
    // credited to the agent), and the reload's text was new, not HEAD's.
    for (const bool full : {true, false}) {
        CAPTURE(full);
        TempRepo r;
        const std::string l0 = "def total(order, rate):\n";
        const std::string l1 = "    subtotal = sum(item.price for item in order.items)\n";
        // Longer than kMinCarrySpan: the agent's hook keeps the span it leaves unchanged.
        const std::string l2 =
            "    return subtotal * (1 + rate) - discount_for(order.customer, order.items, rate)";
        const std::string head = l0 + l1 + l2 + "\n";
        r.write("t.py", head);
        r.commit_all("initial");
        REQUIRE(r.provenant({"install"}).exit_code == 0);

        LspClient::Options o;
        o.cwd = r.path();
        LspClient lsp(o);
        lsp.initialize();
        const std::string uri = file_uri(r.file("t.py"));
        lsp.did_open(uri, head, 1, "python");
        lsp.sync();
        int64_t v = 1;
        // The editor reloads the file from disk: line 2 (0-based) replaced, or the whole text.
        auto reload = [&](const std::string& text, const std::string& line2) {
            if (full)
                lsp.did_change_full(uri, ++v, text);
            else
                lsp.did_change(uri, ++v, range(2, 0, 3, 0), line2);
            lsp.sync();
        };
        const std::string v1 = l0 + l1 + "    return amount\n";
        agent_writes(r, "claude-code", "t.py", head, v1);
        reload(v1, "    return amount\n");
        CHECK(lsp.line_classes(uri) == std::vector<std::string>{"unknown", "unknown", "ai"});

        r.git({"checkout", "--", "t.py"});
        REQUIRE(r.read("t.py") == head);
        reload(head, l2 + "\n");
        CHECK(lsp.line_classes(uri) == std::vector<std::string>{"unknown", "unknown", "unknown"});

        const std::string v2 = l0 + l1 + l2 + " + shipping\n";
        agent_writes(r, "claude-code", "t.py", head, v2);
        reload(v2, l2 + " + shipping\n");
        CHECK(lsp.line_classes(uri) == std::vector<std::string>{"unknown", "unknown", "ai"});
        lsp.did_save(uri);
        lsp.sync();
        CHECK(lsp.shutdown_and_exit() == 0);

        r.git({"add", "t.py"});
        r.git({"commit", "-q", "-m", "agent"});
        const json f = note_file(r, "t.py");
        CHECK(f["lines"].value("ai", "") == "3");
        CHECK(!f["lines"].contains("human"));
        CHECK(!f["lines"].contains("unknown"));
    }
}

TEST_CASE("after a commit, committed text reopened or reloaded keeps its committed class") {
    // Issue 9 §3: the open document kept its "new since base" flags across a commit, wrote them
    // back into the journal at its next save, and HEAD's text reopened after `git checkout --
    // FILE` then came back `unknown` (HEAD's meaning ignores the entry's uncommitted evidence)
    // instead of the agent's committed class. (This passes on the old binary too: its reload
    // and reopen take the entry the commit's attach retired; it guards the path end to end.
    // The rule itself is tested in tests/unit/core/base_test.cpp, Document::rebase.)
    for (const bool reopen : {true, false}) {
        CAPTURE(reopen);
        TempRepo r;
        const std::string l0 = "x = 1\n";
        const std::string l1 = "total = compute_total(order.items, order.customer.discount)\n";
        r.write("t.py", l0);
        r.commit_all("initial");
        REQUIRE(r.provenant({"install"}).exit_code == 0);

        LspClient::Options o;
        o.cwd = r.path();
        LspClient lsp(o);
        lsp.initialize();
        const std::string uri = file_uri(r.file("t.py"));
        lsp.did_open(uri, l0, 1, "python");
        lsp.sync();
        int64_t v = 1;
        // The agent writes line 1 (its hook), the editor reloads the file.
        const std::string head = l0 + l1;
        agent_writes(r, "claude-code", "t.py", l0, head);
        lsp.did_change_full(uri, ++v, head);
        lsp.did_save(uri);
        lsp.sync();
        REQUIRE(lsp.line_classes(uri) == std::vector<std::string>{"unknown", "ai"});

        // Committed: the note says the agent's; the sidecar sees the commit's journal change.
        r.git({"add", "t.py"});
        r.git({"commit", "-q", "-m", "agent"});
        wait_for_pending_notes(r.path());
        CHECK(note_file(r, "t.py")["lines"].value("ai", "") == "2");
        lsp.sync();

        // The person types a line and saves: the document's next journal write.
        int col = 0;
        for (char c : std::string("y = 2")) {
            lsp.did_change(uri, ++v, range(2, col, 2, col), std::string(1, c));
            ++col;
        }
        r.write("t.py", head + "y = 2");
        lsp.did_save(uri);
        lsp.sync();

        // `git checkout -- t.py` throws the typing away.
        r.git({"checkout", "--", "t.py"});
        REQUIRE(r.read("t.py") == head);
        if (reopen) { // the editor closed the file and opens it again
            lsp.did_close(uri);
            lsp.sync();
            lsp.did_open(uri, head, 1, "python");
        } else { // the editor reloads it
            lsp.did_change_full(uri, ++v, head);
        }
        lsp.sync();
        CHECK(lsp.line_classes(uri) == std::vector<std::string>{"unknown", "ai"});
        CHECK(lsp.shutdown_and_exit() == 0);
    }
}

TEST_CASE("git stash, then git stash pop with the file open: the agent's lines keep their class") {
    // Issue 9 §3, a reload to text that is not HEAD's: an agent changed one character of a line
    // and added a line a minute ago; the file is open. `git stash` reloads HEAD's text (HEAD's
    // meaning; the journal entry's older evidence is dropped), `git stash pop` reloads exactly
    // the text the stash threw away. That text is what the document knew, not new typing: the
    // agent's lines keep their class, in the document and in the note. Old code: the pop's one
    // character was a keystroke's size, so the agent's changed line came back `human`.
    for (const bool full : {true, false}) {
        CAPTURE(full);
        TempRepo r;
        const std::string head = "x = 1\ny = 0\n";
        r.write("t.py", head);
        r.commit_all("initial");
        REQUIRE(r.provenant({"install"}).exit_code == 0);
        const std::string agent = "x = 10\ny = 0\nz = compute(x, y)\n";
        agent_writes(r, "claude-code", "t.py", head, agent);
        age_entry(r, "t.py", 60); // a minute ago: outside the agent-write / reload race window

        LspClient::Options o;
        o.cwd = r.path();
        LspClient lsp(o);
        lsp.initialize();
        const std::string uri = file_uri(r.file("t.py"));
        lsp.did_open(uri, agent, 1, "python");
        lsp.sync();
        REQUIRE(lsp.line_classes(uri) == std::vector<std::string>{"ai", "unknown", "ai"});
        int64_t v = 1;
        // The editor reloads the file from disk: the whole text, or one change over its lines
        // (as VS Code sends a reload), and the file is saved.
        const Reload how = full ? Reload::Full : Reload::Range;
        auto reload_saved = [&](const std::string& from, const std::string& to) {
            reload_from_disk(lsp, uri, v, how, from, to);
            lsp.did_save(uri);
            lsp.sync();
        };
        r.git({"stash", "-q"});
        REQUIRE(r.read("t.py") == head);
        reload_saved(agent, head);
        CHECK(lsp.line_classes(uri) == std::vector<std::string>{"unknown", "unknown"});

        r.git({"stash", "pop", "-q"});
        REQUIRE(r.read("t.py") == agent);
        reload_saved(head, agent);
        CHECK(lsp.line_classes(uri) == std::vector<std::string>{"ai", "unknown", "ai"});
        CHECK(lsp.shutdown_and_exit() == 0);

        r.git({"add", "t.py"});
        r.git({"commit", "-q", "-m", "agent"});
        const json f = note_file(r, "t.py");
        CHECK(f["lines"].value("ai", "") == "1,3");
        CHECK(!f["lines"].contains("human"));
    }
}

TEST_CASE("a branch switch there and back with the file open: agent lines never come back human") {
    // Issue 9 §3, outside the agent-write / reload race window: the agent wrote a short line
    // and a person typed one on a branch, both committed a minute after the agent's write.
    // `git checkout main` and back: the editor reloads the file each time (short, one-line
    // inserts, a keystroke's size). The agent's line must come back `ai` (or `unknown`), never
    // `human`; the typed line never `ai`; and the file, HEAD's text again, has nothing pending.
    for (const Reload how : {Reload::Full, Reload::Range, Reload::Hunks}) {
        CAPTURE(static_cast<int>(how));
        TempRepo r;
        const std::string head = "x = 1\n";
        r.write("t.py", head);
        r.commit_all("initial");
        REQUIRE(r.provenant({"install"}).exit_code == 0);
        r.git({"checkout", "-q", "-b", "feat"});
        const std::string agent = head + "z = f(x)\n";
        agent_writes(r, "claude-code", "t.py", head, agent);
        age_entry(r, "t.py", 60);

        LspClient::Options o;
        o.cwd = r.path();
        LspClient lsp(o);
        lsp.initialize();
        const std::string uri = file_uri(r.file("t.py"));
        lsp.did_open(uri, agent, 1, "python");
        lsp.sync();
        int64_t v = 1;
        type_line(lsp, uri, v, 2, "y = 2\n");
        const std::string feat = agent + "y = 2\n";
        r.write("t.py", feat);
        lsp.did_save(uri);
        lsp.sync();
        REQUIRE(lsp.line_classes(uri) == std::vector<std::string>{"unknown", "ai", "human"});
        r.git({"add", "t.py"});
        r.git({"commit", "-q", "-m", "feat"});
        wait_for_pending_notes(r.path());
        CHECK(note_file(r, "t.py")["lines"].value("ai", "") == "2");
        lsp.sync(); // the sidecar sees the commit's journal change

        for (int round = 0; round < 2; ++round) {
            CAPTURE(round);
            r.git({"checkout", "-q", "main"});
            REQUIRE(r.read("t.py") == head);
            reload_from_disk(lsp, uri, v, how, feat, head);
            CHECK(lsp.line_classes(uri) == std::vector<std::string>{"unknown"});
            r.git({"checkout", "-q", "feat"});
            REQUIRE(r.read("t.py") == feat);
            reload_from_disk(lsp, uri, v, how, head, feat);
            const auto lines = lsp.line_classes(uri);
            REQUIRE(lines.size() == 3);
            CHECK((lines[1] == "ai" || lines[1] == "unknown"));
            CHECK(lines[2] == "human");
            lsp.did_save(uri);
            lsp.sync();
        }
        // The agent edits its line again: the line is the agent's, the person's stays theirs.
        const std::string after = head + "z = f(x) + 1\ny = 2\n";
        agent_writes(r, "claude-code", "t.py", feat, after);
        reload_from_disk(lsp, uri, v, how, feat, after);
        // The person's line stays `human`, though this test runs within one second: the reload
        // detection (session/reloads.cpp) takes exactly the reload's edits, by version, not the
        // typing seen in the second of the agent's write.
        const auto final_lines = lsp.line_classes(uri);
        REQUIRE(final_lines.size() == 3);
        CHECK(final_lines[0] == "unknown");
        CHECK(final_lines[1] == "ai");
        CHECK(final_lines[2] == "human");
        lsp.did_save(uri);
        lsp.sync();
        CHECK(lsp.shutdown_and_exit() == 0);
        r.git({"add", "t.py"});
        r.git({"commit", "-q", "-m", "agent again"});
        const json f = note_file(r, "t.py");
        CHECK(f["lines"].value("ai", "") == "2");
        CHECK(!f["lines"].contains("human"));
    }
}

TEST_CASE("git stash and pop of whole added lines with the file open, outside the race window") {
    // Issue 9 §3: an agent added whole lines and a person typed whole lines, a minute apart;
    // `git stash` and `git stash pop`, with the editor reloading each time. The pop's inserts
    // are keystroke-sized (one short line), so a reload could pass for typing: the agent's
    // lines must come back `ai` (or `unknown`), never `human`, the typed line never `ai`, in the
    // document and in the note.
    for (const Reload how : {Reload::Full, Reload::Range, Reload::Hunks}) {
        CAPTURE(static_cast<int>(how));
        TempRepo r;
        const std::string head = "x = 1\ny = 0\n";
        r.write("t.py", head);
        r.commit_all("initial");
        REQUIRE(r.provenant({"install"}).exit_code == 0);
        const std::string agent = "x = 1\nz = f(x)\ny = 0\nw = g(y)\n";
        agent_writes(r, "claude-code", "t.py", head, agent);
        age_entry(r, "t.py", 60);

        LspClient::Options o;
        o.cwd = r.path();
        LspClient lsp(o);
        lsp.initialize();
        const std::string uri = file_uri(r.file("t.py"));
        lsp.did_open(uri, agent, 1, "python");
        lsp.sync();
        int64_t v = 1;
        type_line(lsp, uri, v, 4, "q = 3\n");
        const std::string pending = agent + "q = 3\n";
        r.write("t.py", pending);
        lsp.did_save(uri);
        lsp.sync();
        const std::vector<std::string> expected{"unknown", "ai", "unknown", "ai", "human"};
        REQUIRE(lsp.line_classes(uri) == expected);
        age_entry(r, "t.py", 60); // the typing, too, a minute before the stash

        r.git({"stash", "-q"});
        REQUIRE(r.read("t.py") == head);
        reload_from_disk(lsp, uri, v, how, pending, head);
        lsp.did_save(uri);
        lsp.sync();
        CHECK(lsp.line_classes(uri) == std::vector<std::string>{"unknown", "unknown"});
        r.git({"stash", "pop", "-q"});
        REQUIRE(r.read("t.py") == pending);
        reload_from_disk(lsp, uri, v, how, head, pending);
        const auto lines = lsp.line_classes(uri);
        REQUIRE(lines.size() == 5);
        for (const size_t agent_line : {1, 3})
            CHECK((lines[agent_line] == "ai" || lines[agent_line] == "unknown"));
        CHECK((lines[4] == "human" || lines[4] == "unknown"));
        lsp.did_save(uri);
        lsp.sync();
        CHECK(lsp.shutdown_and_exit() == 0);

        r.git({"add", "t.py"});
        r.git({"commit", "-q", "-m", "pending"});
        const json f = note_file(r, "t.py");
        const std::string ai = f["lines"].value("ai", "");
        CHECK((ai == "2,4" || ai.empty()));
        const std::string human = f["lines"].value("human", "");
        CHECK((human == "5" || human.empty()));
        CHECK(!f["lines"].contains("ai_modified"));
    }
}
