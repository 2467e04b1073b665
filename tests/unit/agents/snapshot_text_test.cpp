// Unit tests: pre-edit snapshots whose text JSON cannot carry are refused with an error.
#include "agents/snapshots.h"
#include "support/fs.h"
#include "support/process.h"

#include <doctest/doctest.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <utility>

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

TEST_CASE("a pre-edit snapshot with fields of the wrong type is ignored, never a throw") {
    test::TempDir dir;
    agents::SnapshotStore store(std::filesystem::path(dir.path()) / "gitdir");
    agents::PreSnapshot snap;
    snap.id = "edit-2";
    snap.files["a.txt"].exists = true;
    snap.files["a.txt"].text = "x\n";
    const std::pair<const char*, nlohmann::json> bad_fields[] = {
        {"created_ms", 3.3e57}, {"created_ms", "1"}, {"id", 5}};
    for (const auto& bad : bad_fields) {
        CAPTURE(bad.first);
        REQUIRE(store.save(snap).ok());
        const auto file = store.file_of("edit-2");
        auto text = read_file(file);
        REQUIRE(text.ok());
        auto j = nlohmann::json::parse(*text);
        j[bad.first] = bad.second;
        REQUIRE(atomic_write_file(file, j.dump()).ok());
        Result<std::optional<agents::PreSnapshot>> back = std::optional<agents::PreSnapshot>();
        CHECK_NOTHROW(back = store.take("edit-2"));
        REQUIRE(back.ok());
        CHECK_FALSE(back->has_value());
    }
}
