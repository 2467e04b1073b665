// End-to-end, issue 12 §13, §14: control bytes from notes never reach the terminal raw, and
// what provenant writes under .git/provenant is private to the user whatever the umask.
#include "support/lsp_client.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

using namespace provenant::test;
namespace fs = std::filesystem;

namespace {

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE_MESSAGE(::lstat(p.c_str(), &st) == 0, p.string());
    return st.st_mode & 0777u;
}

bool has_raw_control(const std::string& s) {
    for (size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
        if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
            static_cast<unsigned char>(s[i + 1]) <= 0x9f)
            return true; // a C1 control (U+009B is CSI)
    }
    return false;
}

} // namespace

TEST_CASE("show and blame escape ESC, BEL and CSI from a note's tool, model, session, path") {
    TempRepo repo;
    repo.write("a.txt", "one\n");
    std::string head = repo.commit_all("a");
    const std::string esc = "\x1b]0;owned\x07\x1b[2J\xc2\x9b"
                            "31m";
    nlohmann::json note = {
        {"schema", "provenant/1"},
        {"commit", head},
        {"parent", nullptr},
        {"tool", {{"name", "evil" + esc}, {"version", "1" + esc}}},
        {"files",
         {{"a.txt",
           {{"blob", repo.git({"rev-parse", "HEAD:a.txt"}).out.substr(0, 40)},
            {"lines", {{"ai", "1"}}},
            {"by_origin", {{"o1", "1"}}}}}}},
        {"origins",
         {{"o1",
           {{"class", "ai"}, {"tool", "t" + esc}, {"model", "m" + esc}, {"session", "s" + esc}}}}}};
    auto add = repo.git({"notes", "--ref=provenant", "add", "-f", "-m", note.dump(), head});
    REQUIRE(add.exit_code == 0);
    auto show = repo.provenant({"show", head});
    REQUIRE_MESSAGE(show.exit_code == 0, show.err);
    CHECK_FALSE(has_raw_control(show.out));
    CHECK(show.out.find("m\\x1b]0;owned\\x07") != std::string::npos);
    CHECK(show.out.find("\\u009b31m") != std::string::npos);
    auto blame = repo.provenant({"blame", "a.txt"});
    REQUIRE_MESSAGE(blame.exit_code == 0, blame.err);
    CHECK_FALSE(has_raw_control(blame.out));
    CHECK(blame.out.find("\\x1b") != std::string::npos);
}

TEST_CASE("journal entries are 0600 in 0700 directories under umask 022") {
    mode_t old = ::umask(022); // the default umask; children inherit it
    TempRepo repo;
    repo.write("a.txt", "one\n");
    repo.commit_all("a");
    {
        LspClient c(LspClient::Options{{}, repo.path()});
        c.initialize();
        std::string uri = file_uri(repo.file("a.txt"));
        c.did_open(uri, "one\n");
        c.did_change(uri, 2, lsp_range(0, 3, 0, 3), " two");
        c.sync();
        CHECK(c.shutdown_and_exit() == 0);
    }
    ::umask(old);
    const fs::path dir = fs::path(repo.path()) / ".git" / "provenant";
    CHECK(mode_of(dir) == 0700u);
    CHECK(mode_of(dir / "journal") == 0700u);
    int entries = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir / "journal")) {
        if (e.is_directory()) {
            CHECK_MESSAGE(mode_of(e.path()) == 0700u, e.path().string());
        } else if (e.path().extension() == ".json") {
            CHECK_MESSAGE(mode_of(e.path()) == 0600u, e.path().string());
            ++entries;
        }
    }
    CHECK(entries >= 1);
}
