// git-ai's notes kept consistent with provenant's (`git config provenant.gitAiNotes true`,
// issue 13): when provenant's note of a commit is replaced or removed (here by `provenant
// sync` taking a peer's change, and by `rewritten --post-commit`), refs/notes/ai follows; a
// note git-ai itself left is never replaced or removed, and that is said once on stderr.
#include "e2e/analysis/report_support.h"
#include "e2e/gitai/ai_lines.h"
#include "protocol/gitai_note.h"
#include "protocol/note.h"

using namespace provenant;
using namespace provenant::test;
using nlohmann::json;

namespace {

std::string trim(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
        s.pop_back();
    return s;
}

/// git-ai's note of `commit` in `dir`, nullopt when it has none.
std::optional<std::string> gitai_note(const std::string& dir, const std::string& commit) {
    auto r = run({"git", "notes", "--ref=ai", "show", commit}, dir);
    if (r.exit_code != 0) return std::nullopt;
    return r.out;
}

Note provenant_note(const std::string& dir, const std::string& commit) {
    auto r = run({"git", "notes", "--ref=provenant", "show", commit}, dir);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto note = parse_note(r.out);
    REQUIRE_MESSAGE(note.ok(), note.error().message);
    return *note;
}

/// The git-ai note of `commit` is provenant's, and says what provenant's note says.
void check_follows(const std::string& dir, const std::string& commit) {
    auto text = gitai_note(dir, commit);
    REQUIRE_MESSAGE(text, "no git-ai note on " << commit);
    auto g = parse_gitai_note(*text);
    REQUIRE_MESSAGE(g.ok(), g.error().message);
    CHECK(written_by_provenant(*g));
    CHECK(g->base_commit_sha == commit);
    auto back = gitai_note_to_note(*g);
    REQUIRE(back.ok());
    CHECK(ai_lines(*back) == ai_lines(provenant_note(dir, commit)));
}

/// A note git-ai itself wrote (git-ai 1.4's sessions form: no provenant_writer attribute).
std::string git_ai_own_note(const std::string& commit) {
    return "src/a.py\n  s_c9883b05a2487d::t_9f8e7d6c5b4a32 1-2\n---\n"
           "{\n  \"schema_version\": \"authorship/3.0.0\",\n  \"git_ai_version\": \"1.4.5\",\n"
           "  \"base_commit_sha\": \"" +
           commit +
           "\",\n  \"prompts\": {},\n  \"sessions\": {\n    \"s_c9883b05a2487d\": {\n"
           "      \"agent_id\": {\"tool\": \"cursor\", \"id\": \"conv-1\", \"model\": \"m\"}\n"
           "    }\n  }\n}\n";
}

size_t count(const std::string& haystack, const std::string& needle) {
    size_t n = 0;
    for (size_t at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + 1))
        ++n;
    return n;
}

} // namespace

TEST_CASE("gitAiNotes: git-ai's own note is never replaced, and that is said once") {
    ReportRepo r;
    r.write("base.txt", "base\n");
    r.commit_on(0, "base");
    r.agent_write("src/a.py", "", numbered("a", 1, 4), "claude-code", "claude-opus-4-5", 10, 2);
    const std::string c1 = r.commit_on(1, "a");
    r.agent_write("src/b.py", "", numbered("b", 1, 3), "cursor", "gpt-5", 1, 1);
    const std::string c2 = r.commit_on(2, "b");
    // The setting was off for both commits: no git-ai note yet. git-ai annotates c1 itself.
    REQUIRE_FALSE(gitai_note(r.path(), c1));
    r.git({"notes", "--ref=ai", "add", "-f", "-m", git_ai_own_note(c1), c1});
    const auto theirs = gitai_note(r.path(), c1);
    REQUIRE(theirs);
    REQUIRE(parse_gitai_note(*theirs).ok()); // a valid note: left because it is not ours
    r.git({"config", "provenant.gitAiNotes", "true"});

    auto kept = r.provenant({"rewritten", "--post-commit", "--commit", c1});
    CHECK_MESSAGE(kept.exit_code == 0, kept.err);
    CHECK(gitai_note(r.path(), c1) == theirs);
    CHECK_MESSAGE(count(kept.err, "not written by provenant") == 1, kept.err);
    CHECK(kept.err.find(c1) != std::string::npos);

    // Where git-ai left nothing, the same command writes provenant's, and says nothing.
    auto written = r.provenant({"rewritten", "--post-commit", "--commit", c2});
    CHECK_MESSAGE(written.exit_code == 0, written.err);
    CHECK(written.err.find("not written by provenant") == std::string::npos);
    check_follows(r.path(), c2);

    // A later commit through the hooks: git-ai's note of c1 is still as git-ai wrote it.
    r.agent_write("src/c.py", "", numbered("c", 1, 2), "codex", "gpt-5.1-codex", 1, 1);
    const std::string c3 = r.commit_on(3, "c");
    check_follows(r.path(), c3);
    CHECK(gitai_note(r.path(), c1) == theirs);
}

TEST_CASE("gitAiNotes: when sync replaces or removes provenant's note, git-ai's note follows") {
    TempRepo remote(true);
    ReportRepo a;
    a.git({"config", "provenant.gitAiNotes", "true"});
    a.git({"remote", "add", "origin", remote.path()});
    a.write("base.txt", "base\n");
    a.commit_on(0, "base");
    a.agent_write("src/a.py", "", numbered("a", 1, 4), "claude-code", "claude-opus-4-5", 10, 2);
    const std::string c1 = a.commit_on(1, "a");
    a.agent_write("src/b.py", "", numbered("b", 1, 3), "cursor", "gpt-5", 1, 1);
    const std::string c2 = a.commit_on(2, "b");
    a.agent_write("src/c.py", "", numbered("c", 1, 2), "codex", "gpt-5.1-codex", 1, 1);
    const std::string c3 = a.commit_on(3, "c");
    for (const std::string& c : {c1, c2, c3})
        check_follows(a.path(), c);
    a.git({"push", "-q", "origin", "HEAD:main"});
    auto s = a.provenant({"sync"});
    REQUIRE_MESSAGE(s.exit_code == 0, s.err);

    // A peer says c1 has no AI line after all, removes c2's note, and leaves c3's alone.
    TempDir peer_dir;
    const std::string peer = peer_dir.path() + "/w";
    REQUIRE(run({"git", "clone", "-q", remote.path(), peer}).exit_code == 0);
    auto peer_git = [&](const std::vector<std::string>& args) {
        std::vector<std::string> argv{"git"};
        argv.insert(argv.end(), args.begin(), args.end());
        auto r = run(argv, peer);
        CHECK_MESSAGE(r.exit_code == 0, r.err);
        return r;
    };
    peer_git({"fetch", "-q", "origin", "+refs/notes/provenant:refs/notes/provenant"});
    const json no_ai = {{"schema", "provenant/1"},
                        {"commit", c1},
                        {"parent", nullptr},
                        {"files", json::object()},
                        {"origins", json::object()}};
    peer_git({"notes", "--ref=provenant", "add", "-f", "-m", no_ai.dump(), c1});
    peer_git({"notes", "--ref=provenant", "remove", c2});
    peer_git({"push", "-q", "origin", "refs/notes/provenant:refs/notes/provenant"});

    s = a.provenant({"sync", "--json"});
    REQUIRE_MESSAGE(s.exit_code == 0, s.err);
    // Provenant's notes took the peer's change...
    CHECK(ai_lines(provenant_note(a.path(), c1)).empty());
    CHECK(run({"git", "notes", "--ref=provenant", "show", c2}, a.path()).exit_code != 0);
    // ...and git-ai's followed: no AI line, no git-ai note; no provenant note, none either.
    CHECK_FALSE(gitai_note(a.path(), c1));
    CHECK_FALSE(gitai_note(a.path(), c2));
    check_follows(a.path(), c3);
    CHECK(trim(run({"git", "notes", "--ref=ai", "list"}, a.path()).out).find('\n') ==
          std::string::npos); // c3's alone
}
