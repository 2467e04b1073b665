// End-to-end: a file renamed in the editor keeps its pending provenance under the new name and
// leaves no entry under the old one: through workspace/didRenameFiles (LSP file operations),
// and through didClose + didOpen of the same text when the client sends nothing else.
#include "lsp_test_util.h"

#include <filesystem>

using namespace provenant;
using namespace provenant::test;

namespace {

const json kCopilot = {{"class", "ai"}, {"tool", "copilot"}, {"kind", "completion"}};
const std::string kBase = "def total(items):\n";
const std::string kAi = "    return sum(i.price for i in items)\n";
const std::string kTyped = "# checked\n";

/// Opens `rel` (committed as kBase), types a line, accepts an AI completion, saves: the
/// pending work that a rename must keep. Returns the text.
std::string pending_work(TempRepo& repo, LspClient& c, const std::string& rel) {
    std::string uri = file_uri(repo.file(rel));
    c.did_open(uri, kBase, 1);
    int64_t v = 1;
    c.did_change(uri, ++v, lsp_range(1, 0, 1, 0), kAi);
    c.annotate(uri, v, kCopilot, json::array({lsp_range(1, 0, 2, 0)}));
    type_text(c, uri, v, 2, 0, kTyped);
    std::string text = kBase + kAi + kTyped;
    repo.write(rel, text);
    c.did_save(uri);
    c.sync();
    REQUIRE(c.provenance(uri)["lines"] == json::array({"unknown", "ai", "human"}));
    return text;
}

std::optional<JournalEntry> entry_or_none(const TempRepo& repo, const std::string& rel) {
    wait_for_pending_notes(repo.path());
    auto loc = find_repository(repo.path());
    REQUIRE(loc.has_value());
    auto entry = Journal(loc->gitdir).load(rel);
    REQUIRE_MESSAGE(entry.ok(), entry.error().message);
    return *entry;
}

void rename_on_disk(const TempRepo& repo, const std::string& from, const std::string& to) {
    std::filesystem::create_directories(std::filesystem::path(repo.file(to)).parent_path());
    std::filesystem::rename(repo.file(from), repo.file(to));
}

json did_rename(const std::string& old_uri, const std::string& new_uri) {
    return json{{"files", json::array({{{"oldUri", old_uri}, {"newUri", new_uri}}})}};
}

const json kWantLines = json::array({"unknown", "ai", "human"});

} // namespace

TEST_CASE("the server registers for renames: workspace.fileOperations.didRename") {
    TempRepo repo;
    LspClient c(LspClient::Options{{}, repo.path()});
    json init = c.initialize();
    json filters = init["capabilities"]["workspace"]["fileOperations"]["didRename"]["filters"];
    REQUIRE(filters.is_array());
    REQUIRE(filters.size() == 1);
    CHECK(filters[0]["scheme"] == "file");
    CHECK(filters[0]["pattern"]["glob"] == "**");
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("a rename as VS Code's explorer reports it (close, open, didRenameFiles) keeps the "
          "pending provenance, into the note") {
    TempRepo repo;
    REQUIRE(repo.provenant({"install"}).exit_code == 0);
    repo.write("shop.py", kBase);
    repo.commit_all("initial");
    LspClient c(LspClient::Options{{}, repo.path()});
    c.initialize();
    std::string text = pending_work(repo, c, "shop.py");
    std::string old_uri = file_uri(repo.file("shop.py"));
    std::string new_uri = file_uri(repo.file("src/cart.py"));

    rename_on_disk(repo, "shop.py", "src/cart.py");
    c.did_close(old_uri);
    c.did_open(new_uri, text, 1);
    c.notify("workspace/didRenameFiles", did_rename(old_uri, new_uri));
    c.sync();

    CHECK(c.provenance(new_uri)["lines"] == kWantLines);
    auto moved = entry_or_none(repo, "src/cart.py");
    REQUIRE(moved.has_value());
    CHECK(moved->snapshot.text == text);
    CHECK_FALSE(entry_or_none(repo, "shop.py").has_value());

    repo.commit_all("move the shop to the cart");
    auto show = repo.provenant({"show", "--json", "HEAD"});
    REQUIRE(show.exit_code == 0);
    json note = json::parse(show.out);
    json lines = note["files"]["src/cart.py"]["lines"];
    INFO(show.out);
    CHECK(lines["ai"] == "2");
    CHECK(lines["human"] == "3");
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("didRenameFiles before the client closes the old name: the open document follows") {
    TempRepo repo;
    repo.write("shop.py", kBase);
    repo.commit_all("initial");
    LspClient c(LspClient::Options{{}, repo.path()});
    c.initialize();
    std::string old_uri = file_uri(repo.file("shop.py"));
    std::string new_uri = file_uri(repo.file("cart.py"));
    std::string text = pending_work(repo, c, "shop.py");
    // An unsaved keystroke after the save: it must move too.
    c.did_change(old_uri, 20, lsp_range(3, 0, 3, 0), "x");
    text += "x";

    rename_on_disk(repo, "shop.py", "cart.py");
    c.notify("workspace/didRenameFiles", did_rename(old_uri, new_uri));
    c.sync();
    CHECK(c.provenance(new_uri)["lines"] == json::array({"unknown", "ai", "human", "human"}));
    c.did_close(old_uri); // no longer open under that name: ignored
    c.did_open(new_uri, text, 1);
    c.sync();
    CHECK(c.provenance(new_uri)["lines"] == json::array({"unknown", "ai", "human", "human"}));
    auto moved = entry_or_none(repo, "cart.py");
    REQUIRE(moved.has_value());
    CHECK(moved->snapshot.text == text);
    CHECK_FALSE(entry_or_none(repo, "shop.py").has_value());
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("a renamed folder moves the entries of the files under it") {
    TempRepo repo;
    repo.write("lib/shop.py", kBase);
    repo.commit_all("initial");
    LspClient c(LspClient::Options{{}, repo.path()});
    c.initialize();
    std::string text = pending_work(repo, c, "lib/shop.py");
    std::string old_uri = file_uri(repo.file("lib/shop.py"));
    c.did_close(old_uri);
    rename_on_disk(repo, "lib", "pkg");
    c.notify("workspace/didRenameFiles",
             did_rename(file_uri(repo.file("lib")), file_uri(repo.file("pkg"))));
    c.sync();
    CHECK_FALSE(entry_or_none(repo, "lib/shop.py").has_value());
    auto moved = entry_or_none(repo, "pkg/shop.py");
    REQUIRE(moved.has_value());
    CHECK(moved->snapshot.text == text);
    std::string new_uri = file_uri(repo.file("pkg/shop.py"));
    c.did_open(new_uri, text, 1);
    CHECK(c.provenance(new_uri)["lines"] == kWantLines);
    CHECK(c.shutdown_and_exit() == 0);
}

TEST_CASE("a rename reported only as didClose + didOpen of the same text (either order) moves "
          "the entry") {
    for (bool close_first : {true, false}) {
        CAPTURE(close_first);
        TempRepo repo;
        repo.write("shop.py", kBase);
        repo.commit_all("initial");
        LspClient c(LspClient::Options{{}, repo.path()});
        c.initialize();
        std::string text = pending_work(repo, c, "shop.py");
        std::string old_uri = file_uri(repo.file("shop.py"));
        std::string new_uri = file_uri(repo.file("cart.py"));
        rename_on_disk(repo, "shop.py", "cart.py");
        if (close_first) {
            c.did_close(old_uri); // VS Code's explorer without file operations
            c.did_open(new_uri, text, 1);
        } else {
            c.did_open(new_uri, text, 1); // Neovim's vim.lsp.util.rename
            c.did_close(old_uri);
        }
        c.sync();
        CHECK(c.provenance(new_uri)["lines"] == kWantLines);
        auto moved = entry_or_none(repo, "cart.py");
        REQUIRE(moved.has_value());
        CHECK(moved->snapshot.text == text);
        CHECK_FALSE(entry_or_none(repo, "shop.py").has_value());
        CHECK(c.shutdown_and_exit() == 0);
    }
}

TEST_CASE("no rename is guessed: a copy (the old file still there) or a different text moves "
          "nothing") {
    TempRepo repo;
    repo.write("shop.py", kBase);
    repo.commit_all("initial");
    LspClient c(LspClient::Options{{}, repo.path()});
    c.initialize();
    std::string text = pending_work(repo, c, "shop.py");
    std::string old_uri = file_uri(repo.file("shop.py"));

    // Save As / a copy: both names exist on disk.
    repo.write("copy.py", text);
    c.did_close(old_uri);
    std::string copy_uri = file_uri(repo.file("copy.py"));
    c.did_open(copy_uri, text, 1);
    c.sync();
    CHECK(c.provenance(copy_uri)["lines"] == json::array({"unknown", "unknown", "unknown"}));
    CHECK(entry_or_none(repo, "shop.py").has_value());
    CHECK_FALSE(entry_or_none(repo, "copy.py").has_value());
    c.did_close(copy_uri);

    // The old file gone, but the new name opens with other text.
    c.did_open(old_uri, text, 1);
    c.did_close(old_uri);
    std::filesystem::remove(repo.file("shop.py"));
    repo.write("other.py", text + "y = 1\n");
    std::string other_uri = file_uri(repo.file("other.py"));
    c.did_open(other_uri, text + "y = 1\n", 1);
    c.sync();
    CHECK(entry_or_none(repo, "shop.py").has_value());
    CHECK_FALSE(entry_or_none(repo, "other.py").has_value());
    CHECK(c.shutdown_and_exit() == 0);
}
