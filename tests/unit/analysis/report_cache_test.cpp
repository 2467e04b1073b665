// The report cache: an entry reads back exactly as written, under its own key only; a torn,
// corrupt or foreign entry is a miss; the directory keeps the newest entries.
#include "analysis/report_cache.h"
#include "support/process.h"

#include <chrono>
#include <doctest/doctest.h>
#include <filesystem>
#include <set>
#include <sys/stat.h>

using namespace provenant;
using namespace provenant::analysis;
using provenant::test::TempDir;
namespace fs = std::filesystem;

namespace {

nlohmann::json sample() {
    nlohmann::json j;
    j["totals"] = {{"commits", 3}, {"lines_added", {{"ai", 7}}}};
    j["funnel"] = {{"retention", 0.1 + 0.2}, {"production_rate", nullptr}};
    j["spend"] = {{"cost_usd", 1e-300}, {"balance", -4}};
    // A path that is not UTF-8 must come back with its bytes, not replaced.
    j["groups"] = nlohmann::json::array({{{"key", {{"path", std::string("a\xff/b")}}}}});
    j["warnings"] = nlohmann::json::array();
    return j;
}

const StoreKey kStore{"aa bb", "cc", "-"};

/// The one entry file in `dir`.
fs::path entry_file(const fs::path& dir) {
    fs::path out;
    for (const auto& e : fs::directory_iterator(dir))
        out = e.path();
    return out;
}

} // namespace

TEST_CASE("report cache: an entry reads back exactly, under its own key only") {
    TempDir tmp;
    const fs::path dir = fs::path(tmp.path()) / "reports";
    const std::string key = report_cache_key(kStore, "main x by tool");
    CHECK_FALSE(read_cached_report(dir, key).has_value()); // nothing yet
    REQUIRE(write_cached_report(dir, key, sample()));
    auto back = read_cached_report(dir, key);
    REQUIRE(back.has_value());
    CHECK(*back == sample());
    CHECK(back->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) ==
          sample().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    CHECK((*back)["groups"][0]["key"]["path"].get<std::string>() == "a\xff/b");
    // Integers stay integers, floats floats (the text above is the same either way).
    CHECK((*back)["totals"]["commits"].is_number_integer());
    CHECK((*back)["spend"]["balance"].get<int64_t>() == -4);
    CHECK((*back)["funnel"]["retention"].is_number_float());
    // Every part of the key is part of the entry's identity.
    CHECK_FALSE(read_cached_report(dir, report_cache_key(kStore, "main x by model")));
    CHECK_FALSE(read_cached_report(dir, report_cache_key({"aa", "cc", "-"}, "main x by tool")));
    CHECK_FALSE(read_cached_report(dir, report_cache_key({"aa bb", "cd", "-"}, "main x by tool")));
    CHECK_FALSE(read_cached_report(dir, report_cache_key({"aa bb", "cc", "e"}, "main x by tool")));
    struct stat st {};
    REQUIRE(::stat(entry_file(dir).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("report cache: a torn, corrupt or foreign entry is a miss") {
    TempDir tmp;
    const fs::path dir = fs::path(tmp.path()) / "reports";
    const std::string key = report_cache_key(kStore, "inputs");
    REQUIRE(write_cached_report(dir, key, sample()));
    const fs::path file = entry_file(dir);
    const std::string bytes = test::read_text(file.string());
    REQUIRE(read_cached_report(dir, key).has_value());
    SUBCASE("truncated") {
        test::write_text(file.string(), bytes.substr(0, bytes.size() - 5));
    }
    SUBCASE("empty") {
        test::write_text(file.string(), "");
    }
    SUBCASE("a flipped byte in the body") {
        std::string b = bytes;
        b[b.size() - 3] = static_cast<char>(b[b.size() - 3] ^ 1);
        test::write_text(file.string(), b);
    }
    SUBCASE("another version") {
        std::string b = bytes;
        b.replace(b.find('\n') - 1, 1, "0");
        test::write_text(file.string(), b);
    }
    SUBCASE("another key in the file") { // two keys of one file name, or a planted file
        const size_t line2 = bytes.find('\n') + 1;
        test::write_text(file.string(),
                         bytes.substr(0, line2) + "other" + bytes.substr(bytes.find('\n', line2)));
    }
    CHECK_FALSE(read_cached_report(dir, key).has_value());
}

TEST_CASE("report cache: the directory keeps the newest entries") {
    TempDir tmp;
    const fs::path dir = fs::path(tmp.path()) / "reports";
    auto key = [](size_t k) { return report_cache_key(kStore, "n " + std::to_string(k)); };
    // Each entry dated a second after the one before (whatever the file system's clock
    // resolution), all in the past.
    const auto base = fs::file_time_type::clock::now() - std::chrono::hours(1);
    std::set<fs::path> dated;
    for (size_t k = 0; k < kReportCacheEntries + 5; ++k) {
        REQUIRE(write_cached_report(dir, key(k), sample()));
        for (const auto& e : fs::directory_iterator(dir))
            if (dated.insert(e.path()).second)
                fs::last_write_time(e.path(), base + std::chrono::seconds(k));
    }
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir))
        n += e.is_regular_file() ? 1 : 0;
    CHECK(n == kReportCacheEntries);
    for (size_t k = 0; k < 5; ++k)
        CHECK_FALSE(read_cached_report(dir, key(k)).has_value());
    for (size_t k = 5; k < kReportCacheEntries + 5; ++k)
        CHECK(read_cached_report(dir, key(k)).has_value());
}
