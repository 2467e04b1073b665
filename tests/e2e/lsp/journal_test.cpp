// End-to-end: the sidecar writes the pending journal, restores from it, and merges evidence
// that other processes (agent hooks) wrote to it.
#include "core/provenance.h"
#include "lsp_test_util.h"

#include <filesystem>
#include <sys/stat.h>
#include <thread>

using namespace provenant;
using namespace provenant::test;

namespace {

const json kClaude = {{"class", "ai"},
                      {"tool", "claude-code"},
                      {"kind", "agent"},
                      {"model", "claude-sonnet-4"},
                      {"session", "sess-9"}};

} // namespace

TEST_CASE("the journal is written on save and restored on reopen; outside edits are unknown") {
    TempRepo repo;
    repo.write("src/main.c", "int main(void) {\n    return 0;\n}\n");
    repo.commit_all("initial");
    std::string uri = file_uri(repo.file("src/main.c"));
    std::string text = "int main(void) {\n    return 0;\n}\n";
    {
        LspClient c(LspClient::Options{{}, repo.path()});
        c.initialize();
        c.did_open(uri, text, 1);
        int64_t v = 1;
        type_text(c, uri, v, 1, 0, "    int y = 2;\n"); // a person types line 1
        std::string ai = "    y = y * 21;\n    return y;\n";
        c.did_change(uri, ++v, lsp_range(2, 0, 3, 0), ai); // an AI completion replaces line 2
        c.annotate(uri, v, kClaude, json::array({lsp_range(2, 0, 4, 0)}));
        text = "int main(void) {\n    int y = 2;\n" + ai + "}\n";
        repo.write("src/main.c", text); // the editor saves
        c.did_save(uri);
        c.sync();
        JournalEntry e = journal_entry(repo, "src/main.c");
        CHECK(e.snapshot.text == text);
        CHECK(e.writer == "lsp");
        CHECK(c.provenance(uri)["lines"] ==
              json::array({"unknown", "human", "ai", "ai", "unknown"}));
        CHECK(c.shutdown_and_exit() == 0);
    }
    // A script edits the file while no editor is watching.
    text = "// generated header\n" + text;
    repo.write("src/main.c", text);
    {
        LspClient c(LspClient::Options{{}, repo.path()});
        c.initialize();
        c.did_open(uri, text, 1);
        json p = c.provenance(uri);
        CHECK(p["lines"] == json::array({"unknown", "unknown", "human", "ai", "ai", "unknown"}));
        REQUIRE(p["lineOrigins"][3].is_number_unsigned());
        CHECK(p["origins"][p["lineOrigins"][3].get<size_t>()]["tool"] == "claude-code");
        CHECK(c.shutdown_and_exit() == 0);
    }
}

TEST_CASE("unsaved edits reach the journal without a save or a sync") {
    TempRepo repo;
    repo.write("notes.md", "# Notes\n");
    std::string uri = file_uri(repo.file("notes.md"));
    LspClient c(LspClient::Options{{}, repo.path()});
    c.initialize();
    c.did_open(uri, "# Notes\n", 1);
    int64_t v = 1;
    type_text(c, uri, v, 1, 0, "todo\n");
    // The client sends nothing more: the server's own flush timer must write the edit. How
    // soon is the crash test's concern (slow); here the deadline only stops a hang.
    auto loc = find_repository(repo.path());
    REQUIRE(loc);
    Journal journal(loc->gitdir);
    auto start = std::chrono::steady_clock::now();
    std::string seen;
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(60)) {
        auto e = journal.load("notes.md");
        if (e.ok() && *e && (**e).snapshot.text == "# Notes\ntodo\n") {
            seen = (**e).snapshot.text;
            break;
        }
        std::this_thread::sleep_for(
            std::chrono::milliseconds(20)); // polling a file: no event to wait on
    }
    CHECK(seen == "# Notes\ntodo\n");
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("files outside any repository are tracked in memory only") {
    TempDir dir;
    write_text(dir.path() + "/loose.txt", "abc\n");
    std::string uri = file_uri(dir.path() + "/loose.txt");
    LspClient c(LspClient::Options{{}, dir.path()});
    c.initialize();
    c.did_open(uri, "abc\n", 1);
    int64_t v = 1;
    type_text(c, uri, v, 1, 0, "def\n");
    c.did_save(uri);
    c.sync();
    CHECK(c.provenance(uri)["lines"] == json::array({"unknown", "human"}));
    CHECK(c.shutdown_and_exit() == 0);
    struct stat st {};
    CHECK(::stat((dir.path() + "/.git").c_str(), &st) != 0);
}

TEST_CASE("an agent hook's journal record is merged into the open document") {
    TempRepo repo;
    repo.write("app.py", "print('hi')\n");
    repo.commit_all("initial");
    std::string uri = file_uri(repo.file("app.py"));
    LspClient c(LspClient::Options{{}, repo.path()});
    c.initialize();
    c.did_open(uri, "print('hi')\n", 1);
    c.sync();

    // The agent writes the file and records what it wrote, as `provenant hook` does.
    std::string agent_text = "def add(a, b):\n    return a + b\n";
    std::string new_text = "print('hi')\n" + agent_text;
    repo.write("app.py", new_text);
    auto loc = find_repository(repo.path());
    REQUIRE(loc);
    Journal journal(loc->gitdir);
    OriginRecord claude;
    claude.cls = OriginClass::Ai;
    claude.tool = "claude-code";
    claude.kind = "agent";
    claude.session = "sess-9";
    auto stored = journal.update("app.py", [&](std::optional<JournalEntry> cur) {
        (void)cur; // nothing there yet: the sidecar writes only after edits
        Snapshot s;
        s.text = new_text;
        uint32_t ai = s.origins.intern(claude);
        s.push_run(12, Attr{kUnknownOrigin, Evidence::None, false});
        s.push_run(static_cast<uint32_t>(agent_text.size()), Attr{ai, Evidence::Recorded, true});
        return std::optional<JournalEntry>(JournalEntry{"app.py", s, 0, "hook:claude-code"});
    });
    REQUIRE_MESSAGE(stored.ok(), stored.error().message);

    // The editor reloads the buffer from disk: a large un-annotated full-text change.
    c.did_change_full(uri, 2, new_text);
    c.sync(); // polls the journal and merges
    json p = c.provenance(uri);
    CHECK(p["lines"] == json::array({"unknown", "ai", "ai"}));
    REQUIRE(p["lineOrigins"][1].is_number_unsigned());
    CHECK(p["origins"][p["lineOrigins"][1].get<size_t>()]["tool"] == "claude-code");

    // And the merged entry keeps the hook's record after the sidecar writes again.
    c.did_save(uri);
    c.sync();
    JournalEntry e = journal_entry(repo, "app.py");
    CHECK(e.snapshot.text == new_text);
    bool has_ai = false;
    for (const Run& r : e.snapshot.runs)
        has_ai |= e.snapshot.origins.at(r.attr.origin).tool == "claude-code";
    CHECK(has_ai);
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("the sidecar writes queued notes before its journal writes") {
    // A commit queued by the post-commit hook (here with no background process at all: the
    // queue file is written by hand) is attached by the sidecar's journal thread before it
    // records edits made after the commit, so the commit's note cannot see them.
    TempRepo repo;
    repo.set_wait_for_notes(false);
    REQUIRE(repo.provenant({"install"}).exit_code == 0);
    repo.write("a.txt", "one\n");
    repo.git({"add", "-A"});
    const std::string no_hooks = repo.path() + "/.git/no-hooks";
    std::filesystem::create_directories(no_hooks);
    repo.git({"-c", "core.hooksPath=" + no_hooks, "commit", "-q", "-m", "first"});
    const std::string c = repo.head();
    const std::string queued = repo.path() + "/.git/provenant/pending/" + c;
    write_text(queued, "v1 - 0\n");
    REQUIRE(repo.git({"notes", "--ref=provenant", "show", c}, true).exit_code != 0);

    std::string uri = file_uri(repo.file("a.txt"));
    LspClient client(LspClient::Options{{}, repo.path()});
    client.initialize();
    client.did_open(uri, "one\n", 1);
    int64_t v = 1;
    type_text(client, uri, v, 1, 0, "two\n");
    client.sync(); // the journal write is done, and so the drain before it
    CHECK_FALSE(std::filesystem::exists(queued));
    CHECK(repo.git({"notes", "--ref=provenant", "show", c}, true).exit_code == 0);
    CHECK(journal_entry(repo, "a.txt").snapshot.text == "one\ntwo\n");
    CHECK(client.shutdown_and_exit() == 0);
}
