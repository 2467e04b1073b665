// git's line diff over two texts, as a map of unchanged lines.
#include "git/line_map.h"

#include "git/raii.h"
#include "git/repository.h"

#include <algorithm>

namespace provenant::git {

namespace {

struct Mapper {
    std::vector<uint32_t>* map;
    uint32_t old_count, new_count;
    uint32_t old_line = 1, new_line = 1;
    void copy_until(uint32_t old_end) { // maps old lines [old_line, old_end)
        while (old_line < old_end && old_line <= old_count && new_line <= new_count)
            (*map)[old_line++] = new_line++;
    }
};

int on_hunk(const git_diff_delta*, const git_diff_hunk* h, void* payload) {
    auto* m = static_cast<Mapper*>(payload);
    // git numbers an empty side by the line before it.
    const uint32_t os = h->old_lines == 0 ? uint32_t(h->old_start) + 1 : uint32_t(h->old_start);
    const uint32_t ns = h->new_lines == 0 ? uint32_t(h->new_start) + 1 : uint32_t(h->new_start);
    m->copy_until(os);
    m->old_line = os + uint32_t(h->old_lines);
    m->new_line = ns + uint32_t(h->new_lines);
    return 0;
}

/// How many bytes at the end of both texts git leaves out of a context-free diff (xdiff's
/// xdi_diff, which `git blame` runs): the common tail in whole 1 KiB blocks, less the part up to
/// the first newline in it so both texts still end on a line boundary. The choice matters:
/// where the diff is ambiguous (repeated lines), it decides which copy is kept, as in git.
size_t common_tail(std::string_view a, std::string_view b) {
    constexpr size_t kBlock = 1024;
    const size_t smaller = std::min(a.size(), b.size());
    size_t trimmed = 0;
    while (trimmed + kBlock <= smaller && a.substr(a.size() - trimmed - kBlock, kBlock) ==
                                              b.substr(b.size() - trimmed - kBlock, kBlock))
        trimmed += kBlock;
    size_t recovered = 0;
    const size_t cut = a.size() - trimmed;
    while (recovered < trimmed)
        if (a[cut + recovered++] == '\n') break;
    return trimmed - recovered;
}

} // namespace

Result<std::vector<uint32_t>> unchanged_lines(std::string_view old_text,
                                              std::string_view new_text) {
    git::ensure_libgit2();
    // The common tail is left out of the diff, as git does, and maps line for line. (Each
    // text is counted once: the head ends on a line boundary, so the counts add up.)
    const size_t tail = common_tail(old_text, new_text);
    const std::string_view old_head = old_text.substr(0, old_text.size() - tail);
    const std::string_view new_head = new_text.substr(0, new_text.size() - tail);
    const uint32_t old_head_count = git::count_lines(old_head);
    const uint32_t new_head_count = git::count_lines(new_head);
    const uint32_t old_count = old_head_count + git::count_lines(old_text.substr(old_head.size()));
    std::vector<uint32_t> map(size_t(old_count) + 1, 0);
    for (uint32_t l = old_head_count + 1; l <= old_count; ++l)
        map[l] = new_head_count + (l - old_head_count);
    old_text = old_head;
    new_text = new_head;
    Mapper m{&map, old_head_count, new_head_count};
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.context_lines = 0;
    opts.interhunk_lines = 0;
    opts.flags |= GIT_DIFF_FORCE_TEXT | kGitDiffFlags;
    if (int rc = git_diff_buffers(old_text.data(), old_text.size(), nullptr, new_text.data(),
                                  new_text.size(), nullptr, &opts, nullptr, nullptr, on_hunk,
                                  nullptr, &m);
        rc != 0)
        return git::git_error(rc, "diffing texts");
    m.copy_until(old_count + 1);
    return map;
}

} // namespace provenant::git
