// `provenant status` end to end: journal entries written through the Journal API into real
// repositories, then the real binary's human and --json output checked.
#include "journal/journal.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <nlohmann/json.hpp>

using namespace provenant;
using namespace provenant::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

OriginRecord claude() {
    OriginRecord r;
    r.cls = OriginClass::Ai;
    r.tool = "claude-code";
    r.kind = "agent";
    r.model = "claude-sonnet-4";
    r.session = "sess-1";
    return r;
}

OriginRecord copilot() {
    OriginRecord r;
    r.cls = OriginClass::Ai;
    r.tool = "copilot";
    r.kind = "completion";
    return r;
}

/// Builds a snapshot from (text, origin record, evidence) pieces, all fresh.
struct Builder {
    Snapshot s;
    Builder& add(const std::string& text, const OriginRecord& rec,
                 Evidence ev = Evidence::Recorded) {
        uint32_t id = s.origins.intern(rec);
        s.text += text;
        s.push_run(static_cast<uint32_t>(text.size()), Attr{id, ev, true});
        return *this;
    }
    Builder& human(const std::string& text) {
        return add(text, OriginRecord{OriginClass::Human, {}, {}, {}, {}, {}}, Evidence::Inferred);
    }
    Builder& paste(const std::string& text) {
        return add(text, OriginRecord{OriginClass::Paste, {}, {}, {}, {}, {}});
    }
};

Journal journal_of(const TempRepo& repo) {
    wait_for_pending_notes(repo.path());
    auto loc = find_repository(repo.path());
    REQUIRE(loc);
    return Journal(loc->gitdir);
}

void put(Journal& j, const std::string& path, Snapshot s) {
    auto r = j.update(path, [&](auto) {
        JournalEntry e;
        e.path = path;
        e.snapshot = s;
        e.writer = "test";
        return std::optional<JournalEntry>(std::move(e));
    });
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
}

json status_json(const TempRepo& repo, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"status", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = repo.provenant(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

const std::string kMain = "def f():\n"      // human
                          "    return 42\n" // ai (claude)
                          "\n"              // blank
                          "x = [1, 2, 3]\n" // paste
                          "print(x)\n";     // ai (copilot)

Snapshot main_snapshot() {
    return Builder{}
        .human("def f():\n")
        .add("    return 42\n", claude())
        .human("\n")
        .paste("x = [1, 2, 3]\n")
        .add("print(x)\n", copilot())
        .s;
}

} // namespace

TEST_CASE("status: outside a repository and in a bare repository are clear errors") {
    TempDir dir;
    if (!find_repository(dir.path())) {
        auto r = provenant::test::provenant({"status"}, dir.path());
        CHECK(r.exit_code == 1);
        CHECK(r.err.find("not in a git repository") != std::string::npos);
        CHECK(r.out.empty());
    }
    TempRepo bare(true);
    auto r = bare.provenant({"status", "--json"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("bare") != std::string::npos);
    auto missing = provenant::test::provenant({"status", "-C", dir.path() + "/nope"}, dir.path());
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("not a directory") != std::string::npos);
}

TEST_CASE("status: an empty journal") {
    TempRepo repo;
    auto r = repo.provenant({"status"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("No pending provenance") != std::string::npos);
    json j = status_json(repo);
    CHECK(j["files"] == json::object());
}

TEST_CASE("status --json: lines, origins and chars of a file that matches the journal") {
    TempRepo repo;
    repo.write("src/main.py", kMain);
    Journal j = journal_of(repo);
    put(j, "src/main.py", main_snapshot());

    json out = status_json(repo);
    REQUIRE(out["files"].contains("src/main.py"));
    const json& f = out["files"]["src/main.py"];
    CHECK(f["state"] == "same");
    CHECK(f["writer"] == "test");
    CHECK(f["lines"] == json({"human", "ai", "blank", "paste", "ai"}));
    REQUIRE(f["origins"].size() == 2);
    CHECK(f["origins"][0]["tool"] == "claude-code");
    CHECK(f["origins"][0]["model"] == "claude-sonnet-4");
    CHECK(f["origins"][1]["tool"] == "copilot");
    CHECK(f["lineOrigins"] == json({nullptr, 0, nullptr, nullptr, 1}));
    // Non-whitespace characters per class.
    CHECK(f["chars"]["human"] == 7);  // def f():
    CHECK(f["chars"]["ai"] == 8 + 8); // return 42 / print(x)
    CHECK(f["chars"]["paste"] == 9);  // x=[1,2,3]
    CHECK(f["chars"]["unknown"] == 0);
    CHECK(fs::canonical(out["repository"].get<std::string>()) == fs::canonical(repo.path()));
}

TEST_CASE("status: changes made outside the journal are carried as unknown") {
    TempRepo repo;
    repo.write("src/main.py", kMain);
    Journal j = journal_of(repo);
    put(j, "src/main.py", main_snapshot());
    std::string replaced = kMain;
    replaced.replace(replaced.find("x = [1, 2, 3]"), 13, "values = load_everything()");

    SUBCASE("a script rewrites the pasted line; the rest keeps its origins") {
        repo.write("src/main.py", replaced);
        json f = status_json(repo)["files"]["src/main.py"];
        CHECK(f["state"] == "modified");
        CHECK(f["lines"] == json({"human", "ai", "blank", "unknown", "ai"}));
        CHECK(f["chars"]["unknown"] == 24);
        CHECK(f["chars"]["paste"] == 0);
        CHECK(f["origins"].size() == 2);
    }
    SUBCASE("a generator appends lines") {
        repo.write("src/main.py", kMain + "save(x)\nexit()\n");
        json f = status_json(repo)["files"]["src/main.py"];
        CHECK(f["state"] == "modified");
        CHECK(f["lines"] == json({"human", "ai", "blank", "paste", "ai", "unknown", "unknown"}));
    }
    SUBCASE("both at once: the unchanged line between the changes keeps its origin") {
        repo.write("src/main.py", replaced + "save(values)\n");
        json f = status_json(repo)["files"]["src/main.py"];
        CHECK(f["state"] == "modified");
        CHECK(f["lines"] == json({"human", "ai", "blank", "unknown", "ai", "unknown"}));
        CHECK(f["origins"].size() == 2);
    }
    SUBCASE("whitespace-only changes keep every line's class") {
        std::string reindented = kMain;
        reindented.replace(reindented.find("    return"), 4, "\t");
        repo.write("src/main.py", reindented);
        json f = status_json(repo)["files"]["src/main.py"];
        CHECK(f["state"] == "modified");
        CHECK(f["lines"] == json({"human", "ai", "blank", "paste", "ai"}));
    }
    // status never rewrites the journal.
    CHECK(j.load("src/main.py")->value().snapshot.text == kMain);
}

TEST_CASE("status: deleted files, path filters, -C and the human output") {
    TempRepo repo;
    repo.write("src/main.py", kMain);
    repo.write("src/lib/util.py", "u = 1\n");
    repo.write("docs/readme.md", "hello\n");
    Journal j = journal_of(repo);
    put(j, "src/main.py", main_snapshot());
    put(j, "src/lib/util.py", Builder{}.add("u = 1\n", copilot()).s);
    put(j, "docs/readme.md", Builder{}.human("hello\n").s);
    put(j, "gone.txt", Builder{}.human("bye\n").s); // never on disk

    json all = status_json(repo);
    CHECK(all["files"].size() == 4);
    CHECK(all["files"]["gone.txt"]["state"] == "deleted");
    CHECK(all["files"]["gone.txt"]["lines"] == json::array());

    json src = status_json(repo, {"src"});
    CHECK(src["files"].size() == 2);
    CHECK(src["files"].contains("src/lib/util.py"));
    json one = status_json(repo, {"-C", repo.file("src/lib"), "util.py"});
    CHECK(one["files"].size() == 1);
    CHECK(one["files"]["src/lib/util.py"]["lines"] == json({"ai"}));
    json from_sub = status_json(repo, {"-C", repo.file("docs")});
    CHECK(from_sub["files"].size() == 4);             // no paths: the whole repository
    json prefix_only = status_json(repo, {"src/li"}); // a prefix that is not a directory
    CHECK(prefix_only["files"].empty());

    auto outside = repo.provenant({"status", "/"});
    CHECK(outside.exit_code == 1);
    CHECK(outside.err.find("outside the working tree") != std::string::npos);

    auto human = repo.provenant({"status", "--lines"});
    INFO(human.out);
    CHECK(human.exit_code == 0);
    CHECK(human.out.find("src/main.py") != std::string::npos);
    CHECK(human.out.find("lines: 2 ai, 0 ai_modified, 1 human, 1 paste, 0 unknown (1 blank)") !=
          std::string::npos);
    CHECK(human.out.find("claude-code agent claude-sonnet-4 (session sess-1): 1 lines") !=
          std::string::npos);
    CHECK(human.out.find("gone.txt  (deleted on disk") != std::string::npos);
    CHECK(human.out.find("     2  ai          #0   ") != std::string::npos);
    CHECK(human.out.find("    return 42") != std::string::npos);
}

TEST_CASE("status: a corrupt entry is reported, moved aside, and the rest still shown") {
    TempRepo repo;
    repo.write("a.txt", "a\n");
    repo.write("b.txt", "b\n");
    Journal j = journal_of(repo);
    put(j, "a.txt", Builder{}.human("a\n").s);
    put(j, "b.txt", Builder{}.human("b\n").s);
    write_text(j.entry_file("b.txt").string(), "{\"path\": \"b.txt\", \"schema\": ");
    auto r = repo.provenant({"status", "--json"});
    CHECK(r.exit_code == 0);
    CHECK(r.err.find("moved it aside") != std::string::npos);
    json out = json::parse(r.out);
    CHECK(out["files"].size() == 1);
    CHECK(out["files"].contains("a.txt"));
    CHECK(fs::exists(j.dir() / "corrupt"));

    // An entry of a newer format is reported on stderr and left in place; it stops nothing
    // (issue 12 §3): the others are printed and status succeeds.
    auto text = read_text(j.entry_file("a.txt").string());
    auto e = json::parse(text);
    e["schema"] = "provenant-journal/7";
    write_text(j.entry_file("a.txt").string(), e.dump());
    put(j, "c.txt", Builder{}.human("c\n").s);
    repo.write("c.txt", "c\n");
    auto newer = repo.provenant({"status", "--json"});
    CHECK(newer.exit_code == 0);
    CHECK(newer.err.find("provenant-journal/7") != std::string::npos);
    json partial = json::parse(newer.out);
    CHECK(partial["files"].contains("c.txt"));
    CHECK_FALSE(partial["files"].contains("a.txt"));
    CHECK(fs::exists(j.entry_file("a.txt")));
}

TEST_CASE("status: each worktree has its own journal") {
    TempRepo repo;
    repo.write("a.txt", "a\n");
    repo.commit_all("init");
    TempDir outer;
    const std::string wt = outer.path() + "/wt";
    repo.git({"worktree", "add", "-q", "-b", "feature", wt});
    write_text(wt + "/a.txt", "a\nfrom the worktree\n");
    auto loc = find_repository(wt);
    REQUIRE(loc);
    Journal wj(loc->gitdir);
    put(wj, "a.txt", Builder{}.human("a\n").add("from the worktree\n", claude()).s);

    auto r = provenant::test::provenant({"status", "--json"}, wt);
    REQUIRE(r.exit_code == 0);
    json w = json::parse(r.out);
    // "a" is in HEAD unchanged: committed, not pending (issue 9 §6).
    CHECK(w["files"]["a.txt"]["lines"] == json({"committed", "ai"}));
    CHECK(status_json(repo)["files"].empty());
}
