// attach puts session spend and the funnel into the note, once (the session store settles).
#include "git_support.h"
#include "journal/sessions.h"

#include <doctest/doctest.h>
#include <filesystem>

using namespace provenant;
using namespace provenant::test;

namespace {
void add_session(const TempRepo& repo, const std::string& tool, const std::string& session,
                 const std::string& model, uint64_t input, uint64_t output, uint64_t generated,
                 const std::string& path) {
    SessionStore store(std::filesystem::canonical(repo.path() + "/.git"));
    auto r = store.update(SessionKey{tool, session}, [&](SessionRecord& rec) {
        rec.kind = "agent";
        rec.note_model(model);
        rec.tokens[model].input += input;
        rec.tokens[model].output += output;
        if (generated) rec.add_generated(path, generated);
    });
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
}
} // namespace

TEST_CASE("tokens and the funnel of agent sessions go into the note once") {
    TempRepo repo;
    REQUIRE(repo.provenant({"install"}).exit_code == 0);
    repo.write("base.txt", "base\n");
    repo.commit_all("root");

    // Session s1 generated 4 lines: 2 committed now, 1 left pending in b.txt, 1 deleted.
    add_session(repo, "claude-code", "s1", "claude-sonnet-4", 100, 50, 4, "a.txt");
    // Session c9 spent tokens and produced nothing.
    add_session(repo, "codex", "c9", "gpt-5", 500, 20, 0, "");
    put_journal(repo, "a.txt", {{"one\ntwo\n", ai_origin("claude-code", "claude-sonnet-4", "s1")}});
    put_journal(repo, "b.txt", {{"pending\n", ai_origin("claude-code", "claude-sonnet-4", "s1")}});
    repo.git({"add", "a.txt"});
    repo.git({"commit", "-q", "-m", "a only"});

    Note n = read_note(repo);
    const NoteOrigin* s1 = nullptr;
    const NoteOrigin* c9 = nullptr;
    for (const auto& [id, o] : n.origins) {
        if (o.record.session == "s1") s1 = &o;
        if (o.record.session == "c9") c9 = &o;
    }
    REQUIRE(s1);
    REQUIRE(c9);
    CHECK(s1->tokens.input == 100);
    CHECK(s1->tokens.output == 50);
    REQUIRE(s1->funnel);
    CHECK(s1->funnel->generated == 4);
    CHECK(s1->funnel->committed == 2);
    CHECK(s1->funnel->pending == 1);
    CHECK(s1->funnel->discarded == 1);
    CHECK(c9->tokens.input == 500);
    CHECK(c9->record.tool == "codex");
    CHECK(c9->record.model == "gpt-5");
    CHECK(n.token_totals(true).input == 500); // spend that produced nothing committed
    auto raw = nlohmann::json::parse(repo.git({"notes", "--ref=provenant", "show", "HEAD"}).out);
    CHECK(raw["totals"]["tokens_uncommitted"]["input"] == 500);

    // Nothing new since: the next note carries no spend again.
    repo.write("c.txt", "later\n");
    repo.git({"add", "c.txt"});
    repo.git({"commit", "-q", "-m", "c"});
    Note n2 = read_note(repo);
    CHECK(n2.token_totals().input == 0);
}
