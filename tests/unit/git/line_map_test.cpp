// git/line_map: the unchanged-lines map of git's own blame diff.
#include "git/line_map.h"
#include "git/raii.h"
#include "git/repository.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <fstream>
#include <iterator>
#include <random>
#include <regex>
#include <sstream>
#include <string>

using namespace provenant;
using provenant::test::TempRepo;

namespace {

std::string repeat(const std::string& line, int n) {
    std::string s;
    for (int i = 0; i < n; ++i)
        s += line;
    return s;
}

/// The unchanged-lines map of `git diff --no-index -U0` between the files `a` and `b` of `r`
/// (git's own diff: the tail set aside, the indent heuristic on).
std::vector<uint32_t> git_map(const TempRepo& r, uint32_t old_count, uint32_t new_count) {
    auto res =
        r.git({"diff", "--no-index", "--no-color", "--text", "-U0", "--indent-heuristic", "a", "b"},
              true);
    std::vector<uint32_t> map(size_t(old_count) + 1, 0);
    uint32_t old_line = 1, new_line = 1;
    auto copy_until = [&](uint32_t end) {
        while (old_line < end && old_line <= old_count && new_line <= new_count)
            map[old_line++] = new_line++;
    };
    static const std::regex hunk(R"(^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@)");
    std::istringstream in(res.out);
    for (std::string line; std::getline(in, line);) {
        std::smatch m;
        if (!std::regex_search(line, m, hunk)) continue;
        const auto os = uint32_t(std::stoul(m[1])), ns = uint32_t(std::stoul(m[3]));
        const uint32_t oc = m[2].matched ? uint32_t(std::stoul(m[2])) : 1;
        const uint32_t nc = m[4].matched ? uint32_t(std::stoul(m[4])) : 1;
        copy_until(oc == 0 ? os + 1 : os);
        old_line = (oc == 0 ? os + 1 : os) + oc;
        new_line = (nc == 0 ? ns + 1 : ns) + nc;
    }
    copy_until(old_count + 1);
    return map;
}

/// A C-like text of `n` lines from few distinct lines (braces, blank lines, repeats), where a
/// diff has many equally short answers and only git's choices agree with git.
std::vector<std::string> random_lines(std::mt19937& rng, size_t n) {
    static const char* const kLines[] = {
        "{",           "}",   "",           "\treturn 0;",   "\tx++;",
        "int f(void)", "\t}", "\tif (x) {", "/* comment */", "\t\tbreak;"};
    std::vector<std::string> out;
    for (size_t i = 0; i < n; ++i)
        out.push_back(kLines[rng() % std::size(kLines)]);
    return out;
}

std::string joined(const std::vector<std::string>& lines, bool final_newline) {
    std::string s;
    for (size_t i = 0; i < lines.size(); ++i)
        s += lines[i] + (i + 1 < lines.size() || final_newline ? "\n" : "");
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

TEST_CASE("unchanged_lines agrees with git diff -U0 on random ambiguous edits, texts and blobs") {
    TempRepo r;
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    std::mt19937 rng(11);
    for (int round = 0; round < 60; ++round) {
        CAPTURE(round);
        auto old_lines = random_lines(rng, 20 + rng() % 600);
        auto new_lines = old_lines;
        // A few runs inserted, deleted or replaced anywhere, the end included.
        for (int e = 0, edits = 1 + int(rng() % 4); e < edits; ++e) {
            const size_t at = rng() % (new_lines.size() + 1);
            const size_t len = 1 + rng() % 12;
            const auto kind = rng() % 3;
            if (kind != 0) // delete (and maybe replace)
                new_lines.erase(new_lines.begin() + long(at),
                                new_lines.begin() + long(std::min(new_lines.size(), at + len)));
            if (kind != 1) {
                auto ins = random_lines(rng, len);
                new_lines.insert(new_lines.begin() + long(std::min(at, new_lines.size())),
                                 ins.begin(), ins.end());
            }
        }
        const bool old_newline = rng() % 8 != 0, new_newline = rng() % 8 != 0;
        const std::string a = joined(old_lines, old_newline), b = joined(new_lines, new_newline);
        std::ofstream(r.file("a"), std::ios::binary) << a;
        std::ofstream(r.file("b"), std::ios::binary) << b;
        const std::vector<uint32_t> want = git_map(r, git::count_lines(a), git::count_lines(b));
        auto from_text = git::unchanged_lines(a, b);
        REQUIRE(from_text);
        CHECK(*from_text == want);
        git_oid ia, ib;
        REQUIRE(git_blob_create_from_buffer(&ia, repo->get(), a.data(), a.size()) == 0);
        REQUIRE(git_blob_create_from_buffer(&ib, repo->get(), b.data(), b.size()) == 0);
        git::Blob ba, bb;
        REQUIRE(git_blob_lookup(git::Setter(ba), repo->get(), &ia) == 0);
        REQUIRE(git_blob_lookup(git::Setter(bb), repo->get(), &ib) == 0);
        auto from_blobs = git::unchanged_lines(git::CountedBlob{ba.get(), git::count_lines(a)},
                                               git::CountedBlob{bb.get(), git::count_lines(b)});
        REQUIRE(from_blobs);
        CHECK(*from_blobs == want);
    }
}
