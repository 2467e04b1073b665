// analysis/commit_diff: a commit's patches, made by libgit2's xdiff directly where the build
// allows it, are the ones git_patch_from_buffers gives the same blobs (the walk's answer before
// the direct call): hunks, added lines, blank lines, binary files by content; and a walk reads
// each object once, a commit's new side found again in the cache as its child's old side.
#include "analysis/commit_diff.h"
#include "git/line_map.h"
#include "git/raii.h"
#include "git/repository.h"
#include "support/git_ids.h"
#include "support/temp_repo.h"

#include <doctest/doctest.h>
#include <random>
#include <string>
#include <vector>

using namespace provenant;
using provenant::test::oid_of;
using provenant::test::TempRepo;
using provenant::test::trimmed;

namespace {

/// A patch as text: "binary", or each hunk's old side and its added lines (number, blank).
std::string describe(const analysis::CommitDiff& d, const analysis::ChangedFile& f) {
    if (!f.text) return "binary";
    std::string s;
    for (uint32_t h = f.first_hunk; h < f.first_hunk + f.hunks; ++h) {
        const auto& hunk = d.hunks[h];
        s += "@" + std::to_string(hunk.old_start) + "," + std::to_string(hunk.old_lines) + ":";
        for (uint32_t l = hunk.first_added; l < hunk.first_added + hunk.added; ++l)
            s += " " + std::to_string(d.added[l].new_no) + (d.added[l].blank ? "b" : "");
        s += "\n";
    }
    return s;
}

/// The same for git_patch_from_buffers of the two texts (the walk's options).
std::string expected(const std::string& old_text, const std::string& new_text, bool had_old) {
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.context_lines = 0;
    opts.interhunk_lines = 0;
    opts.flags |= GIT_DIFF_IGNORE_SUBMODULES | git::kGitDiffFlags;
    git::Patch patch;
    REQUIRE(git_patch_from_buffers(git::Setter(patch), had_old ? old_text.data() : nullptr,
                                   old_text.size(), nullptr, new_text.data(), new_text.size(),
                                   nullptr, &opts) == 0);
    if ((git_patch_get_delta(patch.get())->flags & GIT_DIFF_FLAG_BINARY) != 0) return "binary";
    std::string s;
    for (size_t h = 0; h < git_patch_num_hunks(patch.get()); ++h) {
        const git_diff_hunk* hunk = nullptr;
        size_t n = 0;
        REQUIRE(git_patch_get_hunk(&hunk, &n, patch.get(), h) == 0);
        s += "@" + std::to_string(hunk->old_start) + "," + std::to_string(hunk->old_lines) + ":";
        for (size_t l = 0; l < n; ++l) {
            const git_diff_line* line = nullptr;
            REQUIRE(git_patch_get_line_in_hunk(&line, patch.get(), h, l) == 0);
            if (line->origin != GIT_DIFF_LINE_ADDITION) continue;
            bool blank = true;
            for (size_t k = 0; k < line->content_len; ++k)
                blank &= std::string_view(" \t\r\n\f\v").find(line->content[k]) !=
                         std::string_view::npos;
            s += " " + std::to_string(line->new_lineno) + (blank ? "b" : "");
        }
        s += "\n";
    }
    return s;
}

/// `at` bytes of text, a NUL, a newline and `tail`.
std::string with_nul_at(size_t at, const char* tail) {
    std::string s(at, 'a');
    s.push_back('\0');
    s.push_back('\n');
    s.append(tail);
    return s;
}

} // namespace

TEST_CASE("commit_diff: patches equal git_patch_from_buffers' on random ambiguous texts, blank "
          "and whitespace lines, no final newline, CRLF, NUL bytes before and after 8000 bytes, "
          "empty files") {
    TempRepo r;
    std::mt19937 rng(7);
    const std::vector<std::string> pool = {"{\n",      "}\n",      "\n",        "  \n",
                                           "\t\r\n",   "x = 1;\n", "return;\n", "if (a)\n",
                                           "  b();\n", "// c\n"};
    auto random_text = [&] {
        std::string s;
        const int n = int(rng() % 40);
        for (int k = 0; k < n; ++k)
            s += pool[rng() % pool.size()];
        if (rng() % 5 == 0 && !s.empty()) s.pop_back(); // no final newline
        return s;
    };
    std::vector<std::vector<std::string>> versions; // per commit: the texts of f0..f3
    std::vector<std::string> files(4);
    for (int c = 0; c < 40; ++c) {
        for (size_t f = 0; f < files.size(); ++f)
            if (c == 0 || rng() % 2 == 0) files[f] = random_text();
        if (c == 10) files[1] = with_nul_at(7999, "binary by its head\n");
        if (c == 11) files[1] = with_nul_at(8000, "text: the NUL is late\n");
        if (c == 12) files[2] = "";
        if (c == 13) files[2] = "after empty\r\nline two\r\n";
        for (size_t f = 0; f < files.size(); ++f)
            r.write("f" + std::to_string(f), files[f]);
        r.write("n", std::to_string(c) + "\n"); // every commit changes something
        r.commit_all("c" + std::to_string(c));
        versions.push_back(files);
    }
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    analysis::CommitDiffer differ(repo->get());
    analysis::CommitDiff d;
    size_t compared = 0;
    for (int c = 39; c >= 0; --c) { // HEAD~39 (the root) first
        const std::string rev = "HEAD~" + std::to_string(c);
        const git_oid tree = oid_of(trimmed(r.git({"rev-parse", rev + "^{tree}"}).out));
        git_oid parent{};
        if (c < 39) parent = oid_of(trimmed(r.git({"rev-parse", rev + "~1^{tree}"}).out));
        REQUIRE(differ.diff(c < 39 ? &parent : nullptr, tree, rev, d));
        const size_t k = size_t(39 - c);
        for (const auto& f : d.files) {
            if (f.new_path == "n") continue;
            const size_t idx = size_t(f.new_path[1] - '0');
            const std::string old_text = k > 0 ? versions[k - 1][idx] : std::string();
            CHECK_MESSAGE(describe(d, f) == expected(old_text, versions[k][idx], k > 0),
                          rev << " " << f.new_path);
            ++compared;
        }
    }
    CHECK(compared > 60);
}

TEST_CASE("commit_diff: a walk parents first reads each tree and blob once: a commit's new side "
          "is its child's old side, from the cache") {
    TempRepo r;
    for (int c = 0; c < 6; ++c) {
        r.write("d/f" + std::to_string(c % 3), "version " + std::to_string(c) + "\n");
        r.commit_all("c" + std::to_string(c));
    }
    auto repo = git::Repo::open(r.path());
    REQUIRE(repo);
    analysis::CommitDiffer differ(repo->get());
    analysis::CommitDiff d;
    git_oid parent{};
    for (int c = 5; c >= 0; --c) {
        const std::string rev = "HEAD~" + std::to_string(c);
        const git_oid tree = oid_of(trimmed(r.git({"rev-parse", rev + "^{tree}"}).out));
        REQUIRE(differ.diff(c < 5 ? &parent : nullptr, tree, rev, d));
        parent = tree;
    }
    // Each commit has one new root tree, one new d/ tree and one new blob: 18 objects, none
    // read twice (the old side of every diff after the first was read as a new side before).
    CHECK(differ.objects().reads() == 18);
    // c1..c5: the parent's root and d/ trees; c3..c5: the old version of the file.
    CHECK(differ.objects().hits() == 13);
}
