// libgit2's xdiff (git's own diff code), called directly: the static libgit2 archive defines
// xdl_diff, which libgit2's public API reaches only through git_diff_buffers, and that hashes
// both texts (SHA-1 with collision detection) to give them ids before diffing, about as costly
// as the diff. Declared here as libgit2 1.5's src/libgit2/xdiff/xdiff.h has it (no public
// header ships it); cmake/Dependencies.cmake defines PROVENANT_LIBGIT2_XDIFF only for a static
// libgit2 1.5. The unit tests hold the result to `git diff -U0` (tests/unit/git/line_map_test).
#pragma once

#if PROVENANT_LIBGIT2_XDIFF

extern "C" {

struct provenant_xdl_mmfile {
    char* ptr;
    long size;
};
struct provenant_xdl_mmbuffer {
    char* ptr;
    long size;
};
struct provenant_xdl_param {
    unsigned long flags;
    void** ignore_regex;
    size_t ignore_regex_nr;
    char** anchors;
    size_t anchors_nr;
};
struct provenant_xdl_emitcb {
    void* priv;
    int (*out_hunk)(void*, long, long, long, long, const char*, long);
    int (*out_line)(void*, provenant_xdl_mmbuffer*, int);
};
struct provenant_xdl_emitconf {
    long ctxlen;
    long interhunkctxlen;
    unsigned long flags;
    long (*find_func)(const char*, long, char*, long, void*);
    void* find_func_priv;
    /// Called per hunk with 0-based starts and counts (git blame's way: no text emitted).
    int (*hunk_func)(long start_a, long count_a, long start_b, long count_b, void* cb_data);
};

/// xdiff's XDF_INDENT_HEURISTIC (git's default, diff.indentHeuristic).
inline constexpr unsigned long kXdfIndentHeuristic = 1UL << 23;

int xdl_diff(provenant_xdl_mmfile* mf1, provenant_xdl_mmfile* mf2, const provenant_xdl_param* xpp,
             const provenant_xdl_emitconf* xecfg, provenant_xdl_emitcb* ecb);

} // extern "C"

#include <string_view>

namespace provenant::git {

/// The hunks of `old_text` against `new_text` as git computes them (the whole texts, no
/// context, git's indent heuristic): `hunk(start_a, count_a, start_b, count_b, priv)` for each,
/// and no ids hashed, no lines emitted. Negative when xdiff ran out of memory. Any thread.
inline int xdiff_hunks(std::string_view old_text, std::string_view new_text,
                       int (*hunk)(long, long, long, long, void*), void* priv) {
    provenant_xdl_mmfile a{const_cast<char*>(old_text.data()), long(old_text.size())};
    provenant_xdl_mmfile b{const_cast<char*>(new_text.data()), long(new_text.size())};
    provenant_xdl_param xpp{};
    xpp.flags = kXdfIndentHeuristic;
    provenant_xdl_emitconf xecfg{};
    xecfg.hunk_func = hunk;
    provenant_xdl_emitcb ecb{};
    ecb.priv = priv;
    return xdl_diff(&a, &b, &xpp, &xecfg, &ecb);
}

} // namespace provenant::git

#endif
