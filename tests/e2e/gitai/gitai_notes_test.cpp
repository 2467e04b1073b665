// git-ai's notes written by provenant (`git config provenant.gitAiNotes true`): through the
// real hooks, a commit with an agent's lines and a person's gets a refs/notes/ai note in
// git-ai's authorship/3.0.0 form, read back with provenant's own git-ai reader and compared
// with the provenant note; an amend carries it; without the setting nothing is written.
#include "e2e/analysis/report_support.h"
#include "e2e/gitai/ai_lines.h"
#include "protocol/gitai_note.h"
#include "protocol/note.h"

#include <regex>

using namespace provenant;
using namespace provenant::test;

namespace {

Note provenant_note(const ReportRepo& r, const std::string& commit) {
    auto shown = r.git({"notes", "--ref=provenant", "show", commit});
    REQUIRE(shown.exit_code == 0);
    auto note = parse_note(shown.out);
    REQUIRE_MESSAGE(note.ok(), note.error().message);
    return *note;
}

std::string gitai_text(const ReportRepo& r, const std::string& commit) {
    auto shown = r.git({"notes", "--ref=ai", "show", commit});
    REQUIRE_MESSAGE(shown.exit_code == 0, "no git-ai note on " << commit);
    return shown.out;
}

/// The AI lines of git-ai's note (test::ai_lines's shape), read through provenant's reader.
std::map<std::string, std::vector<uint32_t>> ai_lines(const GitAiNote& gitai) {
    auto note = gitai_note_to_note(gitai);
    REQUIRE_MESSAGE(note.ok(), note.error().message);
    for (const auto& [path, f] : note->files) {
        CHECK(f.human.empty()); // only AI lines are attested
        CHECK(f.ai_modified.empty());
    }
    return test::ai_lines(*note);
}

} // namespace

TEST_CASE("gitAiNotes: attach writes git-ai's note, and provenant's git-ai reader gives back the "
          "provenant note's AI lines") {
    ReportRepo r;
    r.git({"config", "provenant.gitAiNotes", "true"});
    r.write("base.txt", "base\n");
    r.commit_on(0, "base");
    r.agent_write("src/a.py", "", numbered("a", 1, 6), "aider", "gpt-5.4", 100, 20);
    r.write("src/b.py", "unwatched 1\nunwatched 2\n");
    const std::string c = r.commit_on(1, "a");

    const Note mine = provenant_note(r, c);
    REQUIRE(ai_lines(mine).size() == 1);
    CHECK(ai_lines(mine).at("src/a.py") == std::vector<uint32_t>{1, 2, 3, 4, 5, 6});

    const std::string text = gitai_text(r, c);
    INFO(text);
    auto parsed = parse_gitai_note(text);
    REQUIRE_MESSAGE(parsed.ok(), parsed.error().message);
    const GitAiNote& g = *parsed;
    CHECK(g.schema_version == "authorship/3.0.0");
    CHECK(g.base_commit_sha == c);
    CHECK(g.prompts.empty());
    CHECK(text.find("\n---\n") != std::string::npos);
    // One file, one attestation s_<14 hex>::t_<14 hex> over lines 1-6.
    REQUIRE(g.files.size() == 1);
    CHECK(g.files[0].path == "src/a.py");
    REQUIRE(g.files[0].entries.size() == 1);
    CHECK(
        std::regex_match(g.files[0].entries[0].key, std::regex("s_[0-9a-f]{14}::t_[0-9a-f]{14}")));
    CHECK(text.find("src/a.py\n  " + g.files[0].entries[0].key + " 1-6\n") != std::string::npos);
    // Its session names the tool, the session id and the model.
    REQUIRE(g.sessions.size() == 1);
    const auto& [sid, session] = *g.sessions.begin();
    CHECK(g.files[0].entries[0].key.rfind(sid + "::", 0) == 0);
    CHECK(session.agent.tool == "aider");
    CHECK(session.agent.id == "aider-session");
    CHECK(session.agent.model == "gpt-5.4");

    CHECK(ai_lines(g) == ai_lines(mine));

    // An amend carries both notes to the new commit.
    r.agent_write("src/a.py", numbered("a", 1, 6), numbered("a", 1, 6) + "a 7\na 8\n", "aider",
                  "gpt-5.4", 10, 2);
    r.git({"add", "-A"});
    auto amend = run({"git", "commit", "-q", "--amend", "--no-edit"}, r.path());
    REQUIRE_MESSAGE(amend.exit_code == 0, amend.err);
    wait_for_pending_notes(r.path());
    const std::string amended = r.head();
    REQUIRE(amended != c);
    const Note after = provenant_note(r, amended);
    auto carried = parse_gitai_note(gitai_text(r, amended));
    REQUIRE(carried.ok());
    CHECK(carried->base_commit_sha == amended);
    CHECK(ai_lines(*carried) == ai_lines(after));
    CHECK(ai_lines(after).at("src/a.py").size() == 8);
}

TEST_CASE("gitAiNotes: not set, false, or a commit without AI lines: no git-ai note") {
    ReportRepo r;
    r.agent_write("a.py", "", numbered("a", 1, 3), "aider", "gpt-5.4", 1, 1);
    r.commit_on(0, "a");
    CHECK(r.git({"notes", "--ref=ai", "list"}, true).out.empty());
    r.git({"config", "provenant.gitAiNotes", "false"});
    r.agent_write("b.py", "", numbered("b", 1, 3), "aider", "gpt-5.4", 1, 1);
    r.commit_on(1, "b");
    CHECK(r.git({"notes", "--ref=ai", "list"}, true).out.empty());
    r.git({"config", "provenant.gitAiNotes", "true"});
    r.write("c.txt", "nobody watched\n");
    const std::string c = r.commit_on(2, "c");
    CHECK(r.git({"notes", "--ref=provenant", "show", c}, true).exit_code == 0);
    CHECK(r.git({"notes", "--ref=ai", "list"}, true).out.empty());
}
