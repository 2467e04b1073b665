// Issue 9 §3 end to end, through the real binary and real git: text an editor's reload brings
// from disk is not typing. An agent's short lines (too short to be kept aside as lines that
// left, core/left_lines.h) removed by `git stash` while no sidecar ran, then `git stash pop`
// with the file open, the editor reloading it a hunk at a time (Neovim's :checktime, VS Code's
// reload of a changed file): each hunk is the size of typing, yet the file on disk held that
// text before the edits came. It is `unknown`, never `human`.
#include "editor_session.h"
#include "support/lsp_client.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace provenant::test;
using nlohmann::json;

namespace {

const std::string kHead = "x = 1\ny = 0\n";

/// The agent's uncommitted `agent` text stashed with no sidecar running, a sidecar opened on
/// HEAD's text, `git stash pop`, and the editor's reload `how`: no line is `human`, in the
/// document and in the note.
void pop_with_the_file_open(const std::string& agent, Reload how) {
    TempRepo r;
    r.write("t.py", kHead);
    r.commit_all("initial");
    REQUIRE(r.provenant({"install"}).exit_code == 0);
    agent_writes(r, "claude-code", "t.py", kHead, agent);
    age_entry(r, "t.py", 60); // outside the agent-write / reload race window
    r.git({"stash", "-q"});
    REQUIRE(r.read("t.py") == kHead);

    LspClient::Options o;
    o.cwd = r.path();
    LspClient lsp(o);
    lsp.initialize();
    const std::string uri = file_uri(r.file("t.py"));
    lsp.did_open(uri, kHead, 1, "python");
    lsp.sync();
    int64_t v = 1;
    r.git({"stash", "pop", "-q"});
    REQUIRE(r.read("t.py") == agent);
    reload_from_disk(lsp, uri, v, how, kHead, agent);
    const auto lines = lsp.line_classes(uri);
    INFO(json(lines).dump());
    CHECK(std::count(lines.begin(), lines.end(), "human") == 0);
    lsp.did_save(uri);
    lsp.sync();
    CHECK(lsp.shutdown_and_exit() == 0);

    r.git({"add", "t.py"});
    r.git({"commit", "-q", "-m", "popped"});
    const json f = note_file(r, "t.py");
    CHECK(!f["lines"].contains("human"));
}

} // namespace

TEST_CASE("git stash pop reloaded a hunk at a time: short lines from disk are not typing") {
    // Old code: each hunk ("z = 2\n") was an insert the size of a keystroke's line, taken for
    // a person typing it: `human` in the document, the journal and the note.
    for (const Reload how : {Reload::Hunks, Reload::Range, Reload::Full}) {
        CAPTURE(static_cast<int>(how));
        pop_with_the_file_open("x = 1\nz = 2\ny = 0\n", how);
    }
    pop_with_the_file_open("x = 1\nz = 2\ny = 0\nw = 3\n", Reload::Hunks);
}

TEST_CASE("typing saved by the editor stays typed: a reload is the file changing under it") {
    // The editor writes the file, then sends the changes and didSave (Neovim flushes its
    // changes at the save): the disk held the text before the changes arrived, as after a
    // reload, but the didSave says the editor wrote it.
    TempRepo r;
    r.write("t.py", kHead);
    r.commit_all("initial");
    REQUIRE(r.provenant({"install"}).exit_code == 0);
    LspClient::Options o;
    o.cwd = r.path();
    LspClient lsp(o);
    lsp.initialize();
    const std::string uri = file_uri(r.file("t.py"));
    lsp.did_open(uri, kHead, 1, "python");
    lsp.sync();
    int64_t v = 1;
    const std::string typed = "x = 1\nz = 2\ny = 0\n";
    r.write("t.py", typed);
    type_line(lsp, uri, v, 1, "z = 2\n");
    lsp.did_save(uri);
    lsp.sync();
    CHECK(lsp.line_classes(uri) == std::vector<std::string>{"unknown", "human", "unknown"});
    CHECK(lsp.shutdown_and_exit() == 0);
}
