// Repository access through libgit2: open, resolve, read blobs, list added lines, line diffs.
#include "git/repository.h"

#include <algorithm>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <cstring>
#include <exception>
#include <mutex>

namespace provenant::git {

void ensure_libgit2() {
    static std::once_flag once;
    std::call_once(once, [] { git_libgit2_init(); });
}

uint32_t count_lines(std::string_view text) {
    if (text.empty()) return 0;
    // Eight bytes at a time (blame counts every version of a file it reads; a byte loop was a
    // tenth of its time): a '\n' byte is a zero byte of w ^ kNewlines, and for each byte the
    // high bit of ((x & 0x7f..) + 0x7f..) | x is set exactly when the byte is not zero. The
    // per-byte counts are folded before any of them can overflow (255 rounds).
    constexpr uint64_t kOnes = 0x0101010101010101ULL, kLow7 = kOnes * 0x7f;
    constexpr uint64_t kNewlines = kOnes * '\n';
    const char* p = text.data();
    size_t left = text.size();
    uint64_t n = 0;
#if defined(__SSE2__)
    // Sixteen bytes at a time where SSE2 is there (every x86-64): each '\n' byte of a block
    // compares to 0xff, which subtracted counts one in its byte lane; the lanes are summed
    // (psadbw) before any can pass 255.
    const __m128i newlines = _mm_set1_epi8('\n');
    while (left >= 16) {
        __m128i lanes = _mm_setzero_si128();
        for (int round = 0; round < 255 && left >= 16; ++round, p += 16, left -= 16) {
            const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            lanes = _mm_sub_epi8(lanes, _mm_cmpeq_epi8(block, newlines));
        }
        const __m128i sums = _mm_sad_epu8(lanes, _mm_setzero_si128());
        n += uint64_t(_mm_cvtsi128_si32(sums)) + uint64_t(_mm_extract_epi16(sums, 4));
    }
#endif
    while (left >= 8) {
        uint64_t per_byte = 0;
        for (int round = 0; round < 255 && left >= 8; ++round, p += 8, left -= 8) {
            uint64_t w = 0;
            std::memcpy(&w, p, 8);
            const uint64_t x = w ^ kNewlines;
            per_byte += (~(((x & kLow7) + kLow7) | x) >> 7) & kOnes;
        }
        // The sum of the eight byte counts (up to 8 x 255): pairs into 16-bit lanes, then those.
        constexpr uint64_t kEvenBytes = 0x00ff00ff00ff00ffULL, kLanes = 0x0001000100010001ULL;
        const uint64_t pairs = (per_byte & kEvenBytes) + ((per_byte >> 8) & kEvenBytes);
        n += (pairs * kLanes) >> 48;
    }
    n += static_cast<uint64_t>(std::count(p, p + left, '\n'));
    return text.back() == '\n' ? uint32_t(n) : uint32_t(n) + 1;
}

namespace {

struct HunkPayload {
    const std::function<void(const LineHunk&)>* fn = nullptr;
    std::string error; // an exception thrown by fn, stopped at the C boundary
};

int hunk_cb(const git_diff_delta*, const git_diff_hunk* hunk, void* payload) {
    auto* p = static_cast<HunkPayload*>(payload);
    try {
        LineHunk h;
        h.old_start = static_cast<uint32_t>(hunk->old_start);
        h.old_lines = static_cast<uint32_t>(hunk->old_lines);
        h.new_start = static_cast<uint32_t>(hunk->new_start);
        h.new_lines = static_cast<uint32_t>(hunk->new_lines);
        (*p->fn)(h);
        return 0;
    } catch (const std::exception& e) {
        p->error = e.what();
    } catch (...) {
        p->error = "unknown exception";
    }
    return -1;
}

git_diff_options zero_context_options() {
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.context_lines = 0;
    opts.interhunk_lines = 0;
    return opts;
}

std::string_view blob_view(git_blob* blob) {
    return {static_cast<const char*>(git_blob_rawcontent(blob)),
            static_cast<size_t>(git_blob_rawsize(blob))};
}

bool is_regular(uint16_t mode) {
    return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

} // namespace

Status for_each_hunk(std::string_view old_text, std::string_view new_text,
                     const std::function<void(const LineHunk&)>& fn) {
    ensure_libgit2();
    git_diff_options opts = zero_context_options();
    opts.flags |= GIT_DIFF_FORCE_TEXT;
    HunkPayload payload{&fn, {}};
    int rc = git_diff_buffers(old_text.data(), old_text.size(), nullptr, new_text.data(),
                              new_text.size(), nullptr, &opts, nullptr, nullptr, hunk_cb, nullptr,
                              &payload);
    if (!payload.error.empty())
        return Error(ErrorKind::invalid_input, "diffing texts: " + payload.error);
    if (rc != 0) return git_error(rc, "diffing texts");
    return {};
}

Result<std::vector<uint32_t>> map_unchanged_lines(std::string_view old_text,
                                                  std::string_view new_text) {
    const uint32_t old_count = count_lines(old_text);
    const uint32_t new_count = count_lines(new_text);
    std::vector<uint32_t> map(static_cast<size_t>(old_count) + 1, 0);
    uint32_t old_line = 1, new_line = 1;
    auto copy_until = [&](uint32_t old_end) { // maps old lines [old_line, old_end)
        while (old_line < old_end && old_line <= old_count && new_line <= new_count)
            map[old_line++] = new_line++;
    };
    auto st = for_each_hunk(old_text, new_text, [&](const LineHunk& h) {
        // git numbers an empty side by the line before it.
        uint32_t os = h.old_lines == 0 ? h.old_start + 1 : h.old_start;
        uint32_t ns = h.new_lines == 0 ? h.new_start + 1 : h.new_start;
        copy_until(os);
        old_line = os + h.old_lines;
        new_line = ns + h.new_lines;
    });
    if (!st) return st.error();
    copy_until(old_count + 1);
    return map;
}

Result<Repo> Repo::open(const std::filesystem::path& path, bool allow_bare) {
    ensure_libgit2();
    Repository repo;
    if (git_repository_open_ext(Setter(repo), path.c_str(), 0, nullptr) != 0) {
        const ::git_error* e = git_error_last();
        if (e == nullptr || e->klass == GIT_ERROR_REPOSITORY || e->klass == GIT_ERROR_NONE)
            return Error(ErrorKind::not_found, "not in a git repository: " + path.string());
        return git_error("opening repository " + path.string());
    }
    if (!allow_bare && git_repository_is_bare(repo.get()))
        return Error(ErrorKind::invalid_input, "this is a bare repository (" + path.string() +
                                                   "): provenant needs a working tree");
    return Repo(std::move(repo));
}

bool Repo::bare() const {
    return git_repository_is_bare(repo_.get()) != 0;
}

namespace {
std::filesystem::path strip_slash(const char* p) {
    if (p == nullptr) return {};
    std::string s(p);
    while (s.size() > 1 && s.back() == '/')
        s.pop_back();
    return s;
}
} // namespace

std::filesystem::path Repo::workdir() const {
    return strip_slash(git_repository_workdir(repo_.get()));
}
std::filesystem::path Repo::gitdir() const {
    return strip_slash(git_repository_path(repo_.get()));
}
std::filesystem::path Repo::commondir() const {
    return strip_slash(git_repository_commondir(repo_.get()));
}

Result<git_oid> Repo::resolve(const std::string& rev) const {
    Object obj;
    if (int rc = git_revparse_single(Setter(obj), repo_.get(), rev.c_str()); rc != 0)
        return git_error(rc, "resolving revision '" + rev + "'");
    Object peeled;
    if (int rc = git_object_peel(Setter(peeled), obj.get(), GIT_OBJECT_COMMIT); rc != 0)
        return git_error(rc, "revision '" + rev + "' is not a commit");
    return *git_object_id(peeled.get());
}

Result<Commit> Repo::lookup_commit(const git_oid& id) const {
    Commit c;
    if (int rc = git_commit_lookup(Setter(c), repo_.get(), &id); rc != 0)
        return git_error(rc, "looking up commit " + to_hex(id));
    return c;
}

Result<std::optional<git_oid>> Repo::first_parent(const git_oid& commit) const {
    auto c = lookup_commit(commit);
    if (!c) return c.error();
    if (git_commit_parentcount(c->get()) == 0) return std::optional<git_oid>{};
    const git_oid* p = git_commit_parent_id(c->get(), 0);
    if (p == nullptr) return git_error("reading the parent of " + to_hex(commit));
    return std::optional<git_oid>(*p);
}

Result<std::optional<git_oid>> Repo::blob_id_at(const git_oid& commit,
                                                const std::string& path) const {
    auto c = lookup_commit(commit);
    if (!c) return c.error();
    Tree tree;
    if (int rc = git_commit_tree(Setter(tree), c->get()); rc != 0)
        return git_error(rc, "reading the tree of " + to_hex(commit));
    TreeEntry entry;
    int rc = git_tree_entry_bypath(Setter(entry), tree.get(), path.c_str());
    if (rc == GIT_ENOTFOUND) return std::optional<git_oid>{};
    if (rc != 0) return git_error(rc, "looking up " + path + " in " + to_hex(commit));
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return std::optional<git_oid>{};
    return std::optional<git_oid>(*git_tree_entry_id(entry.get()));
}

Result<std::string> Repo::blob_text(const git_oid& blob) const {
    Blob b;
    if (int rc = git_blob_lookup(Setter(b), repo_.get(), &blob); rc != 0)
        return git_error(rc, "reading blob " + to_hex(blob));
    return std::string(blob_view(b.get()));
}

Result<std::optional<std::string>> Repo::text_at(const git_oid& commit,
                                                 const std::string& path) const {
    auto id = blob_id_at(commit, path);
    if (!id) return id.error();
    if (!*id) return std::optional<std::string>{};
    auto text = blob_text(**id);
    if (!text) return text.error();
    return std::optional<std::string>(std::move(*text));
}

Result<std::vector<FileDiff>> Repo::added_lines(const git_oid& commit) const {
    auto c = lookup_commit(commit);
    if (!c) return c.error();
    Tree new_tree, old_tree;
    if (int rc = git_commit_tree(Setter(new_tree), c->get()); rc != 0)
        return git_error(rc, "reading the tree of " + to_hex(commit));
    if (git_commit_parentcount(c->get()) > 0) {
        Commit parent;
        if (int rc = git_commit_parent(Setter(parent), c->get(), 0); rc != 0)
            return git_error(rc, "reading the parent of " + to_hex(commit));
        if (int rc = git_commit_tree(Setter(old_tree), parent.get()); rc != 0)
            return git_error(rc, "reading the parent tree of " + to_hex(commit));
    }
    auto r = added_lines(old_tree.get(), new_tree.get());
    if (!r) return r.error().context("listing the lines " + to_hex(commit) + " adds");
    return r;
}

Result<std::vector<FileDiff>> Repo::added_lines(git_tree* old_tree, git_tree* new_tree) const {
    git_diff_options opts = zero_context_options();
    opts.flags |= GIT_DIFF_IGNORE_SUBMODULES;
    Diff diff;
    if (int rc = git_diff_tree_to_tree(Setter(diff), repo_.get(), old_tree, new_tree, &opts);
        rc != 0)
        return git_error(rc, "diffing trees");
    git_diff_find_options find;
    git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
    find.flags = GIT_DIFF_FIND_RENAMES;
    if (int rc = git_diff_find_similar(diff.get(), &find); rc != 0)
        return git_error(rc, "finding renames");

    std::vector<FileDiff> out;
    const size_t n = git_diff_num_deltas(diff.get());
    for (size_t i = 0; i < n; ++i) {
        const git_diff_delta* d = git_diff_get_delta(diff.get(), i);
        FileDiff fc;
        switch (d->status) {
        case GIT_DELTA_ADDED:
            fc.status = FileDiff::Status::Added;
            break;
        case GIT_DELTA_MODIFIED:
            fc.status = FileDiff::Status::Modified;
            break;
        case GIT_DELTA_RENAMED:
            fc.status = FileDiff::Status::Renamed;
            break;
        case GIT_DELTA_COPIED:
            fc.status = FileDiff::Status::Copied;
            break;
        default:
            continue; // deleted, unmodified, ignored, ...
        }
        if (d->new_file.mode == GIT_FILEMODE_COMMIT) continue; // submodule
        fc.path = d->new_file.path;
        fc.blob = d->new_file.id;
        if (fc.status != FileDiff::Status::Added) {
            fc.old_path = d->old_file.path;
            fc.old_blob = d->old_file.id;
        }
        if (!is_regular(d->new_file.mode)) {
            fc.skipped = "not a regular file";
            out.push_back(std::move(fc));
            continue;
        }
        Blob blob;
        if (int rc = git_blob_lookup(Setter(blob), repo_.get(), &fc.blob); rc != 0)
            return git_error(rc, "reading blob of " + fc.path);
        if (git_blob_rawsize(blob.get()) > kMaxDiffBytes) {
            fc.skipped = "too large";
        } else if (git_blob_is_binary(blob.get())) {
            fc.skipped = "binary";
        } else if (uint32_t lines = count_lines(blob_view(blob.get())); lines > kMaxDiffLines) {
            fc.skipped = "too many lines";
        } else {
            fc.line_count = lines;
        }
        if (!fc.skipped.empty()) {
            out.push_back(std::move(fc));
            continue;
        }
        Patch patch;
        if (int rc = git_patch_from_diff(Setter(patch), diff.get(), i); rc != 0)
            return git_error(rc, "diffing " + fc.path);
        const git_diff_delta* pd = git_patch_get_delta(patch.get());
        if (pd != nullptr && (pd->flags & GIT_DIFF_FLAG_BINARY) != 0) { // e.g. .gitattributes
            fc.skipped = "binary";
            fc.line_count = 0;
            out.push_back(std::move(fc));
            continue;
        }
        const size_t hunks = git_patch_num_hunks(patch.get());
        for (size_t h = 0; h < hunks; ++h) {
            const git_diff_hunk* hunk = nullptr;
            size_t lines_in_hunk = 0;
            if (int rc = git_patch_get_hunk(&hunk, &lines_in_hunk, patch.get(), h); rc != 0)
                return git_error(rc, "reading a hunk of " + fc.path);
            // With no context lines, a hunk's new side is exactly the added lines.
            for (int l = 0; l < hunk->new_lines; ++l)
                fc.added.push_back(static_cast<uint32_t>(hunk->new_start + l));
        }
        out.push_back(std::move(fc));
    }
    std::sort(out.begin(), out.end(),
              [](const FileDiff& a, const FileDiff& b) { return a.path < b.path; });
    return out;
}

} // namespace provenant::git
