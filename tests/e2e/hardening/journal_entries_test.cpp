// End-to-end, issue 12 §3: one bad journal entry stops nothing. An entry that is a directory,
// a FIFO, unreadable or of a newer schema is reported on stderr and set aside (moved to
// corrupt/, or left in place when a newer provenant wrote it); `status` succeeds and the commit
// still gets its note, with the intact files' provenance.
//
// As root (CI runs as root), mode 000 does not stop a read: the unreadable case then runs
// provenant and git without the capabilities that bypass file permissions
// (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH dropped from the bounding set with util-linux's
// setpriv, so no program they start gets them back), after checking that such a process
// really cannot read the entry.
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

/// The prefix that runs a command unable to bypass file permissions: none for a normal user;
/// for root, setpriv dropping the DAC capabilities from the bounding set (inherited by every
/// child: the hooks git runs, the background note writer).
std::vector<std::string> without_dac_override() {
    if (::geteuid() != 0) return {};
    return {"setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all", "--"};
}

std::vector<std::string> with_prefix(std::vector<std::string> prefix,
                                     const std::vector<std::string>& argv) {
    prefix.insert(prefix.end(), argv.begin(), argv.end());
    return prefix;
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
    // Only the unreadable case needs the capabilities dropped; the others run as they are.
    const std::vector<std::string> prefix =
        kind == Unreadable ? without_dac_override() : std::vector<std::string>{};
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
    case Unreadable: {
        REQUIRE(::chmod(bad.c_str(), 0) == 0);
        // The precondition: a process started as provenant is started below cannot read the entry
        // (as root, this fails if the capabilities were not really dropped).
        auto probe = run(with_prefix(prefix, {"cat", bad.string()}), repo.path());
        REQUIRE_MESSAGE(probe.exit_code != 0, "the entry is still readable: " << probe.out);
        REQUIRE(probe.err.find("Permission denied") != std::string::npos);
        break;
    }
    case Newer: {
        json e = json::parse(read_text(bad.string()));
        e["schema"] = "provenant-journal/9";
        write_text(bad.string(), e.dump());
        break;
    }
    }

    auto st = run(with_prefix(prefix, {PROVENANT_BINARY, "status", "--json"}), repo.path());
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
    repo.git({"add", "-A"});
    auto commit = run(with_prefix(prefix, {"git", "commit", "-q", "-m", "both"}), repo.path());
    REQUIRE_MESSAGE(commit.exit_code == 0, commit.err);
    wait_for_pending_notes(repo.path());
    const std::string head = repo.head();
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
