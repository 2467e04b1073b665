// The line diff of blame (and of the walk's merges): git's (libgit2's xdiff, Myers, with
// git's default indent heuristic), with the common tail set aside as `git blame` does.
#pragma once

#include "support/result.h"

#include <cstdint>
#include <git2.h>
#include <string_view>
#include <vector>

namespace provenant::git {

/// The libgit2 diff flags matching git's defaults for blame and diff.
inline constexpr uint32_t kGitDiffFlags = GIT_DIFF_INDENT_HEURISTIC;

/// For each 1-based line i of `old_text`, result[i] is its 1-based line in `new_text` when
/// the diff keeps it unchanged, else 0 (result[0] unused). The diff is the one `git blame`
/// runs: the common tail set aside in whole 1 KiB blocks first (git's xdi_diff does that for
/// every diff without context), which decides where equal lines are ambiguous. Any thread.
Result<std::vector<uint32_t>> unchanged_lines(std::string_view old_text, std::string_view new_text);

/// A blob and the number of lines of its text (git::count_lines).
struct CountedBlob {
    const git_blob* blob = nullptr;
    uint32_t lines = 0;
};

/// The same map for two blobs' whole texts (only the common tail is counted again). Where
/// libgit2's diff API is used (builds without the direct xdiff call, git/libgit2_xdiff.h) and
/// no common tail is set aside, the blobs are diffed as blobs, so libgit2 takes their ids rather
/// than hashing the texts. Any thread (one repository's blobs from one thread at a time).
Result<std::vector<uint32_t>> unchanged_lines(CountedBlob old_blob, CountedBlob new_blob);

/// A text and the number of its lines (git::count_lines).
struct CountedText {
    std::string_view text;
    uint32_t lines = 0;
};

/// The same map for two texts whose lines are counted (only the common tail is counted again).
/// Any thread.
Result<std::vector<uint32_t>> unchanged_lines(CountedText old_text, CountedText new_text);

} // namespace provenant::git
