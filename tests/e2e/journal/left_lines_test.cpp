// Issue 9 §3 end to end, through the real binary and real git: `git stash` and `git stash pop`
// across a restart. The stash's reload made the file HEAD's text and the journal dropped the
// agent's evidence; the lines it took are kept aside in the entry ("left", core/left_lines.h),
// so when exactly those lines come back, after the file was closed or the sidecar restarted,
// they are the agent's again, not `unknown`.
#include "editor_session.h"
#include "support/lsp_client.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <memory>
#include <nlohmann/json.hpp>

using namespace provenant::test;
using nlohmann::json;

namespace {

const std::string kHead = "x = 1\ny = 0\n";
const std::string kAgent =
    "x = 1\ntotal = compute_total(order)\ny = 0\nreport = render(total, rate)\n";
const std::vector<std::string> kAgentLines{"unknown", "ai", "unknown", "ai"};

/// A repository whose t.py has the agent's two uncommitted lines, written a minute ago, and a
/// sidecar that had the file open when `git stash` reloaded it to HEAD's text (and saved),
/// then closed it and exited.
struct Stashed {
    TempRepo r;
    std::string uri;

    explicit Stashed(Reload how) {
        r.write("t.py", kHead);
        r.commit_all("initial");
        REQUIRE(r.provenant({"install"}).exit_code == 0);
        agent_writes(r, "claude-code", "t.py", kHead, kAgent);
        age_entry(r, "t.py", 60); // outside the agent-write / reload race window
        uri = file_uri(r.file("t.py"));
        auto sidecar = open(kAgent);
        LspClient& lsp = *sidecar;
        REQUIRE(lsp.line_classes(uri) == kAgentLines);
        int64_t v = 1;
        r.git({"stash", "-q"});
        REQUIRE(r.read("t.py") == kHead);
        reload_from_disk(lsp, uri, v, how, kAgent, kHead);
        lsp.did_save(uri);
        lsp.sync();
        CHECK(lsp.line_classes(uri) == std::vector<std::string>{"unknown", "unknown"});
        lsp.did_close(uri);
        lsp.sync();
        CHECK(lsp.shutdown_and_exit() == 0);
    }

    /// A sidecar with t.py open on `text`.
    std::unique_ptr<LspClient> open(const std::string& text) const {
        LspClient::Options o;
        o.cwd = r.path();
        auto lsp = std::make_unique<LspClient>(o);
        lsp->initialize();
        lsp->did_open(uri, text, 1, "python");
        lsp->sync();
        return lsp;
    }

    /// Commits t.py and checks the note: the agent's lines, nothing typed.
    void commit_and_check() {
        r.git({"add", "t.py"});
        r.git({"commit", "-q", "-m", "pending"});
        const json f = note_file(r, "t.py");
        CHECK(f["lines"].value("ai", "") == "2,4");
        CHECK(!f["lines"].contains("human"));
    }
};

} // namespace

TEST_CASE("git stash, file closed, git stash pop, reopened: the agent's lines are ai again") {
    // Old code: the stash's save dropped the agent's evidence, and the reopen after the pop
    // found an entry of HEAD's text: the agent's lines were `unknown`.
    for (const Reload how : {Reload::Full, Reload::Range}) {
        CAPTURE(static_cast<int>(how));
        Stashed s(how);
        s.r.git({"stash", "pop", "-q"});
        REQUIRE(s.r.read("t.py") == kAgent);
        auto sidecar = s.open(kAgent);
        LspClient& lsp = *sidecar;
        CHECK(lsp.line_classes(s.uri) == kAgentLines);
        lsp.did_save(s.uri);
        lsp.sync();
        CHECK(lsp.shutdown_and_exit() == 0);
        s.commit_and_check();
    }
}

TEST_CASE("git stash, sidecar restarted, git stash pop with the file open: the agent's lines") {
    // The sidecar restarted while the file was stashed (it opens HEAD's text); the pop's reload
    // inserts exactly the lines that left. Old code: they were `unknown` (a large insert with
    // no evidence) or, a line at a time, the size of typing.
    for (const Reload how : {Reload::Range, Reload::Hunks}) {
        CAPTURE(static_cast<int>(how));
        Stashed s(how);
        auto sidecar = s.open(kHead);
        LspClient& lsp = *sidecar;
        CHECK(lsp.line_classes(s.uri) == std::vector<std::string>{"unknown", "unknown"});
        int64_t v = 1;
        s.r.git({"stash", "pop", "-q"});
        REQUIRE(s.r.read("t.py") == kAgent);
        reload_from_disk(lsp, s.uri, v, how, kHead, kAgent);
        const auto lines = lsp.line_classes(s.uri);
        CHECK(lines == kAgentLines);
        lsp.did_save(s.uri);
        lsp.sync();
        CHECK(lsp.shutdown_and_exit() == 0);
        s.commit_and_check();
    }
}

TEST_CASE("lines that left come back to no one who typed them: typed text stays typed") {
    // The same stash, then, with the file reopened on HEAD's text, a person types one of the
    // agent's lines back by hand before the pop would have: what the sidecar saw typed is the
    // person's (the kept lines never overrule an observation).
    Stashed s(Reload::Range);
    auto sidecar = s.open(kHead);
    LspClient& lsp = *sidecar;
    int64_t v = 1;
    type_line(lsp, s.uri, v, 1, "total = compute_total(order)\n");
    const std::string typed = "x = 1\ntotal = compute_total(order)\ny = 0\n";
    s.r.write("t.py", typed);
    lsp.did_save(s.uri);
    lsp.sync();
    CHECK(lsp.line_classes(s.uri) == std::vector<std::string>{"unknown", "human", "unknown"});
    lsp.did_close(s.uri);
    lsp.sync();
    lsp.did_open(s.uri, typed, 1, "python");
    lsp.sync();
    CHECK(lsp.line_classes(s.uri) == std::vector<std::string>{"unknown", "human", "unknown"});
    CHECK(lsp.shutdown_and_exit() == 0);
}
