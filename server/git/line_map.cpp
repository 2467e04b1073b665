// git's line diff over two texts, as a map of unchanged lines.
#include "git/line_map.h"

#include "git/raii.h"
#include "git/repository.h"

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

} // namespace

Result<std::vector<uint32_t>> unchanged_lines(std::string_view old_text,
                                              std::string_view new_text) {
    git::ensure_libgit2();
    const uint32_t old_count = git::count_lines(old_text);
    std::vector<uint32_t> map(size_t(old_count) + 1, 0);
    Mapper m{&map, old_count, git::count_lines(new_text)};
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.context_lines = 0;
    opts.interhunk_lines = 0;
    opts.flags |= GIT_DIFF_FORCE_TEXT | kGitDiffFlags;
    if (git_diff_buffers(old_text.data(), old_text.size(), nullptr, new_text.data(),
                         new_text.size(), nullptr, &opts, nullptr, nullptr, on_hunk, nullptr,
                         &m) != 0)
        return git::git_error("diffing texts");
    m.copy_until(old_count + 1);
    return map;
}

} // namespace provenant::git
