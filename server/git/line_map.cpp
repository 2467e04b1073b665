// git's line diff over two texts, as a map of unchanged lines.
#include "git/line_map.h"

#include "git/libgit2_xdiff.h"
#include "git/raii.h"
#include "git/repository.h"

#include <algorithm>
#include <optional>

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

#if !PROVENANT_LIBGIT2_XDIFF
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
#endif

#if PROVENANT_LIBGIT2_XDIFF
int on_xdl_hunk(long start_a, long count_a, long start_b, long count_b, void* payload) {
    auto* m = static_cast<Mapper*>(payload);
    // 0-based starts: the first changed line, or the line after which an empty side sits.
    const auto os = uint32_t(start_a) + 1, ns = uint32_t(start_b) + 1;
    m->copy_until(os);
    m->old_line = os + uint32_t(count_a);
    m->new_line = ns + uint32_t(count_b);
    return 0;
}
#endif

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

/// One side of a diff: its text, the blob holding exactly that text when there is one, and
/// its line count when known.
struct Side {
    std::string_view text;
    const git_blob* blob = nullptr;
    std::optional<uint32_t> lines;
};

/// git refuses to diff texts over 1 GiB (MAX_XDIFF_SIZE), and so does libgit2.
constexpr size_t kMaxDiffBytes = size_t{1} << 30;

Result<std::vector<uint32_t>> map_lines(Side old_side, Side new_side) {
    git::ensure_libgit2();
    const std::string_view old_text = old_side.text, new_text = new_side.text;
    // The common tail is left out of the diff, as git does, and maps line for line. (Each
    // text is counted once: the head ends on a line boundary, so the counts add up.)
    const size_t tail = common_tail(old_text, new_text);
    const std::string_view old_head = old_text.substr(0, old_text.size() - tail);
    const std::string_view new_head = new_text.substr(0, new_text.size() - tail);
    // With both counts known, only the tail (the same bytes on both sides) is counted.
    uint32_t old_head_count = 0, new_head_count = 0, old_count = 0;
    if (old_side.lines && new_side.lines) {
        const uint32_t tail_lines = git::count_lines(old_text.substr(old_head.size()));
        old_count = *old_side.lines;
        old_head_count = old_count - tail_lines;
        new_head_count = *new_side.lines - tail_lines;
    } else {
        old_head_count = git::count_lines(old_head);
        new_head_count = git::count_lines(new_head);
        old_count = old_head_count + git::count_lines(old_text.substr(old_head.size()));
    }
    std::vector<uint32_t> map(size_t(old_count) + 1, 0);
    for (uint32_t l = old_head_count + 1; l <= old_count; ++l)
        map[l] = new_head_count + (l - old_head_count);
    Mapper m{&map, old_head_count, new_head_count};
    if (old_head.size() > kMaxDiffBytes || new_head.size() > kMaxDiffBytes)
        return Error(ErrorKind::invalid_input, "a text over 1 GiB: not diffed");
#if PROVENANT_LIBGIT2_XDIFF
    // libgit2's xdiff itself, as git blame calls it (hunks only): no ids, no patch object.
    if (xdiff_hunks(old_head, new_head, on_xdl_hunk, &m) < 0)
        return Error(ErrorKind::io, "diffing texts: out of memory");
    (void)old_side.blob; // (only the libgit2 API below needs the blobs)
#else
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.context_lines = 0;
    opts.interhunk_lines = 0;
    opts.flags |= GIT_DIFF_FORCE_TEXT | kGitDiffFlags;
    // Whole blobs are diffed as blobs: libgit2 then takes their ids rather than hashing the
    // texts (a head is not an object, so it is a buffer and gets hashed).
    const int rc = tail == 0 && old_side.blob != nullptr && new_side.blob != nullptr
                       ? git_diff_blobs(old_side.blob, nullptr, new_side.blob, nullptr, &opts,
                                        nullptr, nullptr, on_hunk, nullptr, &m)
                       : git_diff_buffers(old_head.data(), old_head.size(), nullptr,
                                          new_head.data(), new_head.size(), nullptr, &opts, nullptr,
                                          nullptr, on_hunk, nullptr, &m);
    if (rc != 0) return git::git_error(rc, "diffing texts");
#endif
    m.copy_until(old_count + 1);
    return map;
}

std::string_view text_of(const git_blob* blob) {
    return {static_cast<const char*>(git_blob_rawcontent(blob)),
            static_cast<size_t>(git_blob_rawsize(blob))};
}

} // namespace

Result<std::vector<uint32_t>> unchanged_lines(std::string_view old_text,
                                              std::string_view new_text) {
    return map_lines(Side{old_text}, Side{new_text});
}

Result<std::vector<uint32_t>> unchanged_lines(CountedBlob old_blob, CountedBlob new_blob) {
    return map_lines(Side{text_of(old_blob.blob), old_blob.blob, old_blob.lines},
                     Side{text_of(new_blob.blob), new_blob.blob, new_blob.lines});
}

Result<std::vector<uint32_t>> unchanged_lines(CountedText old_text, CountedText new_text) {
    return map_lines(Side{old_text.text, nullptr, old_text.lines},
                     Side{new_text.text, nullptr, new_text.lines});
}

} // namespace provenant::git
