// End-to-end, issue 12 §3: one bad journal entry stops nothing. An entry that is a directory,
// a FIFO, unreadable or of a newer schema is reported on stderr and set aside (moved to
// corrupt/, or left in place when a newer provenant wrote it); `status` succeeds and the commit
// still gets its note, with the intact files' provenance.
#include "journal/journal.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

using namespace provenant;
using namespace provenant::test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path gitdir_of(const TempRepo& repo) {
    auto loc = find_repository(repo.path());
    REQUIRE(loc);
    return loc->gitdir;
}

/// The AI-written entry of `path` (what an agent hook records).
void put_ai(Journal& j, const std::string& path, const std::string& text) {
    OriginRecord rec;
    rec.cls = OriginClass::Ai;
    rec.tool = "claude-code";
    rec.kind = "agent";
    rec.session = "s1";
    auto r = j.update(path, [&](auto) {
        JournalEntry e;
        e.path = path;
        e.snapshot = Snapshot::uniform(text, rec, Evidence::Recorded, true);
        e.writer = "test";
        return std::optional<JournalEntry>(std::move(e));
    });
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
}

size_t files_in(const fs::path& dir) {
    std::error_code ec;
    size_t n = 0;
    for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
        ++n;
    return n;
}

} // namespace

TEST_CASE("a bad journal entry (directory, FIFO, unreadable, newer schema) stops nothing") {
    enum Kind { Directory, Fifo, Unreadable, Newer };
    Kind kind = Directory;
    std::string name;
    SUBCASE("a directory") {
        kind = Directory;
        name = "directory";
    }
    SUBCASE("a FIFO") {
        kind = Fifo;
        name = "FIFO";
    }
    SUBCASE("an unreadable file") {
        kind = Unreadable;
        name = "unreadable";
    }
    SUBCASE("a newer schema") {
        kind = Newer;
        name = "newer";
    }
    CAPTURE(name);
    if (kind == Unreadable && ::geteuid() == 0) {
        MESSAGE("skipped as root: mode 000 does not stop root reading");
        return;
    }
    TempRepo repo;
    REQUIRE(repo.provenant({"install"}).exit_code == 0);
    repo.write("a.txt", "alpha\n");
    repo.write("b.txt", "beta\n");
    Journal j(gitdir_of(repo));
    put_ai(j, "a.txt", "alpha\n");
    put_ai(j, "b.txt", "beta\n");
    const fs::path bad = j.entry_file("a.txt");
    switch (kind) {
    case Directory:
        fs::remove(bad);
        fs::create_directories(bad / "inside");
        break;
    case Fifo:
        fs::remove(bad);
        REQUIRE(::mkfifo(bad.c_str(), 0600) == 0);
        break;
    case Unreadable:
        REQUIRE(::chmod(bad.c_str(), 0) == 0);
        break;
    case Newer: {
        json e = json::parse(read_text(bad.string()));
        e["schema"] = "provenant-journal/9";
        write_text(bad.string(), e.dump());
        break;
    }
    }

    auto st = repo.provenant({"status", "--json"});
    CHECK_MESSAGE(st.exit_code == 0, st.err);
    const bool said = st.err.find(bad.filename().string()) != std::string::npos ||
                      st.err.find("a.txt") != std::string::npos;
    CHECK_MESSAGE(said, st.err); // the bad one is said
    json out = json::parse(st.out);
    CHECK(out["files"].contains("b.txt"));
    CHECK_FALSE(out["files"].contains("a.txt"));
    if (kind == Newer)
        CHECK(fs::exists(bad)); // a newer provenant's entry is left in place
    else
        CHECK(files_in(j.dir() / "corrupt") == 1); // set aside as corrupt entries are

    // The commit gets its note: b.txt's line is the agent's, a.txt's is unknown.
    const std::string head = repo.commit_all("both");
    auto raw = repo.git({"notes", "--ref=provenant", "show", head}, true);
    REQUIRE_MESSAGE(raw.exit_code == 0, raw.err);
    json note = json::parse(raw.out);
    CHECK(note["files"].contains("b.txt"));
    CHECK(note["files"].contains("a.txt"));
    CHECK(note["totals"]["lines"]["ai"] == 1);
    CHECK(note["totals"]["lines"]["unknown"] == 1);
    CHECK(!fs::exists(gitdir_of(repo) / "provenant" / "pending" / head));
    auto show = repo.provenant({"show", head});
    CHECK_MESSAGE(show.exit_code == 0, show.err);
}
