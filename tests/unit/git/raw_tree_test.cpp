// Raw tree entries (git/raw_tree.h): every mode spelling read as libgit2 reads it, the modes
// git writes matched whole included.
#include "git/raw_tree.h"

#include <doctest/doctest.h>
#include <optional>
#include <random>
#include <string>

using namespace provenant;

namespace {

const git_oid kTree{};

/// One raw entry: "<mode> <name>\0" and a 20-byte id.
std::string entry(const std::string& mode, const std::string& name) {
    return mode + " " + name + std::string(1, '\0') + std::string(20, '\x5a');
}

/// libgit2 1.5's reading of a mode (git_tree__parse_raw): octal digits up to the space, in 16
/// bits; nullopt where it refuses the entry.
std::optional<uint16_t> reference_mode(const std::string& text) {
    uint32_t mode = 0;
    size_t at = 0;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '7'; ++at) {
        mode = mode * 8 + uint32_t(text[at] - '0');
        if (mode > 0xFFFF) return std::nullopt;
    }
    if (at == 0 || at >= text.size() || text[at] != ' ') return std::nullopt;
    return static_cast<uint16_t>(mode);
}

} // namespace

TEST_CASE("raw tree modes: git's five spellings and any other are read as libgit2 reads them") {
    for (const std::string mode :
         {"100644", "100755", "40000", "120000", "160000", "040000", "644", "0100644", "100664",
          "177777", "200000", "1006440", "400000", "10064", "4000", "0", "00000000000100644"}) {
        CAPTURE(mode);
        const std::string data = entry(mode, "name") + entry("100644", "next");
        git::RawTreeReader reader(data, kTree);
        git::RawTreeEntry e;
        auto got = reader.next(e);
        const auto want = reference_mode(mode + " ");
        if (!want) {
            CHECK_FALSE(got);
            continue;
        }
        REQUIRE(got);
        REQUIRE(*got);
        CHECK(e.mode == *want);
        CHECK(e.name == "name");
        CHECK(e.id == reinterpret_cast<const unsigned char*>(data.data()) + mode.size() + 6);
        REQUIRE(reader.next(e).value());
        CHECK(e.name == "next");
        CHECK(e.mode == 0100644);
        CHECK_FALSE(reader.next(e).value());
    }
    // Random spellings of digits and spaces: the same reading (a mode matched whole must be
    // the mode the digits give, and nothing else may be matched).
    std::mt19937 rng(11);
    const std::string alphabet = "0014567 9";
    int read = 0;
    for (int i = 0; i < 20000; ++i) {
        std::string mode;
        for (int k = int(rng() % 8); k >= 0; --k)
            mode += alphabet[rng() % alphabet.size()];
        if (rng() % 4 == 0)
            mode = std::string(rng() % 2 ? "100644" : "40000").substr(0, rng() % 7) + mode;
        const std::string data = mode + " n" + std::string(1, '\0') + std::string(20, '\x01');
        git::RawTreeReader reader(data, kTree);
        git::RawTreeEntry e;
        auto got = reader.next(e);
        const auto want = reference_mode(data);
        CAPTURE(mode);
        REQUIRE(got.ok() == want.has_value());
        if (want) {
            ++read;
            CHECK(e.mode == *want);
        }
    }
    CHECK(read > 1000);
}

TEST_CASE("raw tree entries: a malformed entry is an Error, never read past the end") {
    for (const std::string& data :
         {std::string(" name") + '\0' + std::string(20, 'x'),       // no mode
          std::string("100644name") + '\0' + std::string(20, 'x'),  // no space
          std::string("100644 name"),                               // no NUL
          std::string("100644 ") + '\0' + std::string(20, 'x'),     // empty name
          std::string("100644 name") + '\0' + std::string(19, 'x'), // short id
          std::string("40000 d") + '\0' + std::string(3, 'x'), std::string("40000"),
          std::string("100644")}) {
        CAPTURE(data);
        git::RawTreeReader reader(data, kTree);
        git::RawTreeEntry e;
        CHECK_FALSE(reader.next(e));
    }
}
