// provenant attach through the real post-commit hook: journal -> note, partial commits,
// renames, binary files, no journal; show and blame on the result.
#include "git_support.h"
#include "support/line_ranges.h"

#include <doctest/doctest.h>
#include <filesystem>

using namespace provenant;
using namespace provenant::test;

namespace {

std::vector<uint32_t> L(const std::string& ranges) {
    return *parse_line_ranges(ranges);
}

void install(const TempRepo& repo) {
    auto r = repo.provenant({"install"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

} // namespace

TEST_CASE("root commit with no journal: every added line is unknown") {
    TempRepo repo;
    install(repo);
    repo.write("a.txt", "one\n\ntwo\nthree");
    const std::string c = repo.commit_all("root");
    Note n = read_note(repo);
    CHECK(n.commit == c);
    CHECK(n.parent.empty());
    REQUIRE(n.files.count("a.txt"));
    const NoteFile& f = n.files["a.txt"];
    CHECK(f.unknown == L("1,3-4")); // line 2 is blank
    CHECK(f.ai.empty());
    CHECK(f.human.empty());
    CHECK(f.chars.unknown == 11);
    auto blob = repo.git({"rev-parse", "HEAD:a.txt"}).out;
    CHECK(f.blob + "\n" == blob);
}

TEST_CASE("journal evidence classifies the committed lines and is retired") {
    TempRepo repo;
    install(repo);
    repo.write("base.txt", "base\n");
    const std::string root = repo.commit_all("root");

    put_journal(repo, "src/a.py",
                {{"def f():\n    return 1\n", ai_origin()},
                 {"# typed by a person\n", human_origin()},
                 {"x = 1\n", OriginRecord{}}});
    const std::string c = repo.commit_all("add a.py");
    Note n = read_note(repo);
    CHECK(n.parent == root);
    REQUIRE(n.files.count("src/a.py"));
    const NoteFile& f = n.files["src/a.py"];
    CHECK(f.ai == L("1-2"));
    CHECK(f.human == L("3"));
    CHECK(f.unknown == L("4"));
    REQUIRE(f.by_origin.size() == 1);
    const std::string& id = f.by_origin.begin()->first;
    CHECK(f.by_origin.at(id) == L("1-2"));
    const OriginRecord& rec = n.origins.at(id).record;
    CHECK(rec.tool == "claude-code");
    CHECK(rec.model == "claude-sonnet-4");
    CHECK(rec.session == "s1");
    CHECK(rec.request.empty()); // per-call ids are not kept in notes
    CHECK(f.chars.ai == std::string("deff():return1").size());
    CHECK(n.line_totals().ai == 2);
    // No source text in the note.
    auto raw = repo.git({"notes", "--ref=provenant", "show", c}).out;
    CHECK(raw.find("return") == std::string::npos);
    CHECK(raw.find("typed") == std::string::npos);
    // Committed evidence is base now.
    CHECK(journal_fresh(repo, "src/a.py") == 0);

    // A later commit that only appends: only the new line is recorded, old lines are not.
    put_journal(repo, "src/a.py",
                {{"def f():\n    return 1\n", ai_origin(), false},
                 {"# typed by a person\n", human_origin(), false},
                 {"x = 1\n", OriginRecord{}, false},
                 {"y = f()\n", human_origin()}});
    repo.commit_all("append");
    Note n2 = read_note(repo);
    REQUIRE(n2.files.count("src/a.py"));
    CHECK(n2.files["src/a.py"].human == L("5"));
    CHECK(n2.line_totals().total() == 1);
}

TEST_CASE("no journal entry for a file: its lines are unknown, others are classified") {
    TempRepo repo;
    install(repo);
    put_journal(repo, "ai.txt", {{"generated\n", ai_origin("codex", "gpt-5", "c1")}});
    repo.write("script.txt", "written by a script\n");
    repo.commit_all("two files");
    Note n = read_note(repo);
    CHECK(n.files["ai.txt"].ai == L("1"));
    CHECK(n.files["script.txt"].unknown == L("1"));
}

TEST_CASE("partial commits take only the committed lines; the rest stays pending") {
    TempRepo repo;
    install(repo);
    repo.write("a.txt", "keep\n");
    repo.commit_all("root");

    // Two files edited by an agent; only one is committed.
    put_journal(repo, "a.txt", {{"keep\n", OriginRecord{}, false}, {"agent line\n", ai_origin()}});
    put_journal(repo, "b.txt", {{"other agent file\n", ai_origin()}});
    repo.git({"add", "a.txt"});
    repo.git({"commit", "-q", "-m", "only a"});
    Note n = read_note(repo);
    CHECK(n.files.count("b.txt") == 0);
    CHECK(n.files["a.txt"].ai == L("2"));
    CHECK(journal_fresh(repo, "b.txt") == 1);
    CHECK(journal_fresh(repo, "a.txt") == 0);

    // Within one file: stage a hunk with `git apply --cached`, keep the other in the worktree.
    put_journal(repo, "a.txt",
                {{"keep\nagent line\n", ai_origin(), false},
                 {"staged ai\n", ai_origin()},
                 {"unstaged person\n", human_origin()}});
    const std::string patch = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n"
                              "@@ -1,2 +1,3 @@\n keep\n agent line\n+staged ai\n";
    repo.git({"apply", "--cached", "-"}, false, patch);
    repo.git({"commit", "-q", "-m", "one hunk"});
    Note n2 = read_note(repo);
    CHECK(n2.files["a.txt"].ai == L("3"));
    CHECK(n2.files["a.txt"].human.empty());
    CHECK(journal_fresh(repo, "a.txt") == 1); // the unstaged line is still pending

    // The rest, committed later, is classified then.
    repo.commit_all("the rest");
    Note n3 = read_note(repo);
    CHECK(n3.files["a.txt"].human == L("4"));
    CHECK(n3.files["b.txt"].ai == L("1"));
    CHECK(n3.line_totals().total() == 2);
}

TEST_CASE("renames are followed: only changed lines are recorded") {
    TempRepo repo;
    install(repo);
    std::string text;
    for (int i = 1; i <= 20; ++i)
        text += "line " + std::to_string(i) + "\n";
    repo.write("old.txt", text);
    repo.commit_all("root");
    repo.git({"mv", "old.txt", "new.txt"});
    std::string changed = text;
    changed.replace(changed.find("line 5\n"), 7, "AI five\n");
    put_journal(repo, "new.txt",
                {{changed.substr(0, changed.find("AI five")), OriginRecord{}, false},
                 {"AI five\n", ai_origin()},
                 {changed.substr(changed.find("AI five") + 8), OriginRecord{}, false}});
    repo.commit_all("rename and edit");
    Note n = read_note(repo);
    REQUIRE(n.files.count("new.txt"));
    CHECK(n.files["new.txt"].ai == L("5"));
    CHECK(n.line_totals().total() == 1);
}

TEST_CASE("binary files are skipped with a reason") {
    TempRepo repo;
    install(repo);
    repo.write("img.bin", std::string("PNG\0\1\2\3\n", 8));
    repo.write("a.txt", "text\n");
    repo.commit_all("binary");
    Note n = read_note(repo);
    REQUIRE(n.files.count("img.bin"));
    CHECK(n.files["img.bin"].skipped == "binary");
    CHECK(n.files["img.bin"].unknown.empty());
    CHECK(n.files["a.txt"].unknown == L("1"));
}

TEST_CASE("attach by hand: existing notes are kept unless --force") {
    TempRepo repo;
    repo.write("a.txt", "x\n");
    const std::string c = repo.commit_all("no hooks");
    CHECK_FALSE(has_note(repo, c));
    auto r = repo.provenant({"attach"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find("note written") != std::string::npos);
    CHECK(read_note(repo).files["a.txt"].unknown == L("1"));
    r = repo.provenant({"attach", c});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("already has a note") != std::string::npos);
    r = repo.provenant({"attach", "--force", c});
    CHECK(r.out.find("note written") != std::string::npos);
    r = repo.provenant({"attach", "no-such-rev"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("no-such-rev") != std::string::npos);
}

TEST_CASE("show prints a summary, the validated JSON, or a clear error") {
    TempRepo repo;
    install(repo);
    put_journal(repo, "a.txt", {{"ai line\n", ai_origin()}, {"person\n", human_origin()}});
    const std::string c = repo.commit_all("one");
    auto r = repo.provenant({"show"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out.find("commit " + c) != std::string::npos);
    CHECK(r.out.find("a.txt") != std::string::npos);
    CHECK(r.out.find("claude-code") != std::string::npos);
    CHECK(r.out.find("50.0%") != std::string::npos);
    r = repo.provenant({"show", "--json", c});
    REQUIRE(r.exit_code == 0);
    CHECK(schema_errors(r.out).empty());
    CHECK(nlohmann::json::parse(r.out)["files"]["a.txt"]["lines"]["ai"] == "1");

    // A hostile note: a clear error, no crash.
    repo.git({"notes", "--ref=provenant", "add", "-f", "-m",
              R"({"schema":"provenant/1","commit":")" + c + R"(","files":{"a.txt":{"blob":")" + c +
                  R"(","lines":{"ai":"1-99999999999"}}}})",
              c});
    r = repo.provenant({"show"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("lines.ai") != std::string::npos);
    repo.git({"notes", "--ref=provenant", "add", "-f", "-m", R"({"schema":"provenant/9"})", c});
    r = repo.provenant({"show"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("unsupported note schema") != std::string::npos);

    repo.write("b.txt", "b\n");
    repo.git({"add", "-A"});
    repo.git({"-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "no hook"});
    r = repo.provenant({"show"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("has no provenant note") != std::string::npos);
}

TEST_CASE("blame gives every line its last commit and that commit's class") {
    TempRepo repo;
    install(repo);
    repo.write("f.txt", "alpha\nbeta\n");
    const std::string c1 = repo.commit_all("one"); // unknown
    put_journal(repo, "f.txt",
                {{"alpha\n", OriginRecord{}, false},
                 {"ai inserted\n", ai_origin("cursor", "gpt-4.1", "sess-9")},
                 {"beta\n", OriginRecord{}, false}});
    const std::string c2 = repo.commit_all("two");
    put_journal(repo, "f.txt",
                {{"alpha\nai inserted\n", OriginRecord{}, false},
                 {"BETA by hand\n", human_origin()},
                 {"\n", human_origin()}});
    const std::string c3 = repo.commit_all("three");

    auto r = repo.provenant({"blame", "f.txt", "--json"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.size() == 4);
    CHECK(j[0] == nlohmann::json({{"line", 1},
                                  {"commit", c1},
                                  {"class", "unknown"},
                                  {"tool", nullptr},
                                  {"model", nullptr},
                                  {"session", nullptr}}));
    CHECK(j[1] == nlohmann::json({{"line", 2},
                                  {"commit", c2},
                                  {"class", "ai"},
                                  {"tool", "cursor"},
                                  {"model", "gpt-4.1"},
                                  {"session", "sess-9"}}));
    CHECK(j[2]["commit"] == c3);
    CHECK(j[2]["class"] == "human");
    CHECK(j[3]["class"] == "blank");

    // The same commits as git blame.
    auto gb = repo.git({"blame", "--porcelain", "f.txt"}).out;
    CHECK(gb.find(c1 + " 1 1") != std::string::npos);
    CHECK(gb.find(c2 + " 2 2") != std::string::npos);
    CHECK(gb.find(c3 + " 3 3") != std::string::npos);

    // Human output, an older revision, and a subdirectory path.
    r = repo.provenant({"blame", "f.txt"});
    CHECK(r.out.find(c2.substr(0, 10) + "  ai ") != std::string::npos);
    CHECK(r.out.find("ai inserted") != std::string::npos);
    r = repo.provenant({"blame", "f.txt", "--rev", c1, "--json"});
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out).size() == 2);
    r = repo.provenant({"blame", "missing.txt"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("missing.txt") != std::string::npos);
}

TEST_CASE("blame through a merge keeps the side branch's commits") {
    TempRepo repo;
    install(repo);
    repo.write("m.txt", "1\n2\n3\n");
    repo.commit_all("base");
    repo.git({"checkout", "-q", "-b", "side"});
    put_journal(repo, "m.txt", {{"1\n2\n3\n", OriginRecord{}, false}, {"side ai\n", ai_origin()}});
    const std::string side = repo.commit_all("side");
    repo.git({"checkout", "-q", "main"});
    repo.write("m.txt", "main first\n1\n2\n3\n");
    const std::string main_c = repo.commit_all("main");
    repo.git({"merge", "-q", "--no-edit", "side"});
    auto r = repo.provenant({"blame", "m.txt", "--json"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j.size() == 5);
    CHECK(j[0]["commit"] == main_c);
    CHECK(j[4]["commit"] == side);
    CHECK(j[4]["class"] == "ai");
}
