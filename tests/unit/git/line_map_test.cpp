// git/line_map: the unchanged-lines map of git's own blame diff.
#include "git/line_map.h"

#include <doctest/doctest.h>
#include <string>

using namespace provenant;

namespace {

std::string repeat(const std::string& line, int n) {
    std::string s;
    for (int i = 0; i < n; ++i)
        s += line;
    return s;
}

} // namespace

TEST_CASE("unchanged_lines leaves the common tail out of the diff in 1 KiB blocks, as git does") {
    // One of 700 equal lines deleted. A diff of the whole texts deletes the last of the run
    // (old line 700); git's blame diff first sets aside the common tail in whole 1 KiB blocks
    // (1,022 bytes here once cut back to a line start), so the run it diffs ends at old line
    // 190 and that is the line it deletes (`git diff -U0` says "@@ -190 +189,0 @@").
    const std::string old_text = repeat("r\n", 700) + "z\n";
    const std::string new_text = repeat("r\n", 699) + "z\n";
    auto map = git::unchanged_lines(old_text, new_text);
    REQUIRE(map);
    REQUIRE(map->size() == 702);
    CHECK((*map)[1] == 1);
    CHECK((*map)[189] == 189);
    CHECK((*map)[190] == 0);
    CHECK((*map)[191] == 190);
    CHECK((*map)[700] == 699);
    CHECK((*map)[701] == 700);
}

TEST_CASE("unchanged_lines: texts shorter than a block, and a tail without a final newline") {
    auto map = git::unchanged_lines("a\nb\nc\n", "a\nc\n");
    REQUIRE(map);
    CHECK(*map == std::vector<uint32_t>{0, 1, 0, 2});
    // 1,100 bytes in common at the end, the last line without a newline.
    const std::string tail = repeat("tail line\n", 109) + "end";
    map = git::unchanged_lines("first\n" + tail, "other\nsecond\n" + tail);
    REQUIRE(map);
    REQUIRE(map->size() == 112);
    CHECK((*map)[1] == 0);
    for (uint32_t l = 2; l <= 111; ++l)
        CHECK((*map)[l] == l + 1);
}
