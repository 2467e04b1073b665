// Unit tests: pre-edit snapshots whose text JSON cannot carry are refused with an error.
#include "agents/snapshots.h"
#include "support/process.h"

#include <doctest/doctest.h>
#include <filesystem>

using namespace provenant;

TEST_CASE("a pre-edit snapshot of text that is not UTF-8 is an error, never a throw") {
    test::TempDir dir;
    agents::SnapshotStore store(std::filesystem::path(dir.path()) / "gitdir");
    agents::PreSnapshot snap;
    snap.id = "edit-1";
    snap.files["latin1.txt"].exists = true;
    snap.files["latin1.txt"].text = std::string("caf\xe9\n");
    Status st;
    CHECK_NOTHROW(st = store.save(snap));
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().message.find("edit-1") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(store.file_of("edit-1")));
    // The same snapshot with UTF-8 text is kept and read back.
    snap.files["latin1.txt"].text = std::string("caf\xc3\xa9\n");
    REQUIRE(store.save(snap).ok());
    auto back = store.take("edit-1");
    REQUIRE(back.ok());
    REQUIRE(back->has_value());
    CHECK((*back)->files.at("latin1.txt").text == std::string("caf\xc3\xa9\n"));
}
