// A commit's diff for the walk: the trees compared entry by entry, patches from the blobs'
// contents where no rename is possible, libgit2's tree diff with rename detection elsewhere.
#include "analysis/commit_diff.h"

#include "git/libgit2_xdiff.h"
#include "git/line_map.h"
#include "git/pack_reader.h"
#include "git/repository.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace provenant::analysis {

namespace {

using git::Setter;

bool is_regular(uint32_t mode) {
    return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

bool is_blank(const char* s, size_t n) {
    return std::all_of(s, s + n, [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
    });
}

git_diff_options base_options() {
    git_diff_options opts;
    git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
    opts.context_lines = 0;
    opts.interhunk_lines = 0;
    opts.flags |= GIT_DIFF_IGNORE_SUBMODULES | git::kGitDiffFlags;
    return opts;
}

/// Whether libgit2's rename detection could pair anything in `entries`: only a removed file
/// and an added one can be paired (renames only: no copies, no rewrites broken up), and a
/// change of type is listed by libgit2 as a removal and an addition. Submodules go the same
/// way (libgit2 ignores their changes).
bool renames_possible(const std::vector<git::EntryChange>& entries) {
    bool removed = false, added = false;
    for (const git::EntryChange& e : entries) {
        if (e.old_mode == GIT_FILEMODE_COMMIT || e.new_mode == GIT_FILEMODE_COMMIT) return true;
        if (e.old_mode != 0 && e.new_mode != 0 && is_regular(e.old_mode) != is_regular(e.new_mode))
            return true;
        removed |= e.new_mode == 0;
        added |= e.old_mode == 0;
    }
    return removed && added;
}

#if PROVENANT_LIBGIT2_XDIFF
/// Whether libgit2 calls `text` binary with no driver: a NUL in its first 8000 bytes
/// (git_diff_driver_content_is_binary, GIT_FILTER_BYTES_TO_CHECK_NUL).
bool nul_in_head(std::string_view text) {
    return !text.empty() &&
           std::memchr(text.data(), 0, std::min<size_t>(text.size(), 8000)) != nullptr;
}

/// Texts up to this size are diffed by xdiff directly; larger ones by libgit2's patch, which
/// has its own limits (binary by size from 512 MiB, no diff past 1 GiB).
constexpr size_t kDirectMax = size_t{64} << 20;

int on_hunk(long start_a, long count_a, long start_b, long count_b, void* priv) {
    static_cast<std::vector<std::array<long, 4>>*>(priv)->push_back(
        {start_a, count_a, start_b, count_b});
    return 0;
}
#endif

} // namespace

Result<CommitDiffer::Driver> CommitDiffer::driver_of(const std::string& path) {
    if (auto it = drivers_.find(path); it != drivers_.end()) return it->second;
    // The look-up git_diff_driver_lookup makes (flags 0: the work tree's files, then the
    // index), once per path: the attribute files do not change during a walk.
    const char* value = nullptr;
    if (int rc = git_attr_get(&value, repo_, 0, path.c_str(), "diff"); rc != 0)
        return git::git_error(rc, "reading the diff attribute of " + path);
    Driver d = Driver::Named;
    switch (git_attr_value(value)) {
    case GIT_ATTR_VALUE_UNSPECIFIED:
        d = Driver::Auto;
        break;
    case GIT_ATTR_VALUE_FALSE:
        d = Driver::Binary;
        break;
    case GIT_ATTR_VALUE_TRUE:
        d = Driver::Text;
        break;
    case GIT_ATTR_VALUE_STRING:
        break; // a driver from the config: libgit2 reads it (the patch is made with the path)
    }
    drivers_.emplace(path, d);
    return d;
}

Status CommitDiffer::add_patch(git_patch* patch, const std::string& path, ChangedFile& file,
                               CommitDiff& out) {
    const git_diff_delta* pd = git_patch_get_delta(patch);
    if (pd != nullptr && (pd->flags & GIT_DIFF_FLAG_BINARY) != 0) return {}; // not followed
    file.text = true;
    file.first_hunk = static_cast<uint32_t>(out.hunks.size());
    const size_t hunks = git_patch_num_hunks(patch);
    for (size_t h = 0; h < hunks; ++h) {
        const git_diff_hunk* hunk = nullptr;
        size_t nlines = 0;
        if (int rc = git_patch_get_hunk(&hunk, &nlines, patch, h); rc != 0)
            return git::git_error(rc, "reading a hunk of " + path);
        DiffHunk dh;
        dh.old_start = static_cast<uint32_t>(hunk->old_start);
        dh.old_lines = static_cast<uint32_t>(hunk->old_lines);
        dh.first_added = static_cast<uint32_t>(out.added.size());
        for (size_t l = 0; l < nlines; ++l) {
            const git_diff_line* line = nullptr;
            if (int rc = git_patch_get_line_in_hunk(&line, patch, h, l); rc != 0)
                return git::git_error(rc, "reading a line of " + path);
            if (line->origin != GIT_DIFF_LINE_ADDITION) continue;
            out.added.push_back({static_cast<uint32_t>(line->new_lineno),
                                 is_blank(line->content, line->content_len)});
        }
        dh.added = static_cast<uint32_t>(out.added.size()) - dh.first_added;
        out.hunks.push_back(dh);
    }
    file.hunks = static_cast<uint32_t>(out.hunks.size()) - file.first_hunk;
    return {};
}

#if PROVENANT_LIBGIT2_XDIFF
bool CommitDiffer::add_direct(std::string_view old_text, std::string_view new_text, Driver driver,
                              ChangedFile& file, CommitDiff& out) {
    if (old_text.size() > kDirectMax || new_text.size() > kDirectMax) return false;
    if (driver == Driver::Binary) return true; // forced binary: not followed, as libgit2 has it
    if (driver != Driver::Text && (nul_in_head(old_text) || nul_in_head(new_text))) return false;
    // The xdiff call libgit2's git_xdiff makes for git_patch_from_buffers, with hunks only.
    xdl_hunks_.clear();
    if (git::xdiff_hunks(old_text, new_text, on_hunk, &xdl_hunks_) < 0)
        return false; // out of memory: libgit2's way
    file.text = true;
    file.first_hunk = static_cast<uint32_t>(out.hunks.size());
    // The new text's lines, walked once forwards (hunks come in order).
    long line = 0;
    size_t pos = 0;
    auto line_end = [&](size_t from) {
        const void* nl = std::memchr(new_text.data() + from, '\n', new_text.size() - from);
        return nl == nullptr ? new_text.size()
                             : size_t(static_cast<const char*>(nl) - new_text.data()) + 1;
    };
    for (const auto& [start_a, count_a, start_b, count_b] : xdl_hunks_) {
        DiffHunk dh;
        // git's numbering: an empty old side is numbered by the line before it.
        dh.old_start = static_cast<uint32_t>(count_a > 0 ? start_a + 1 : start_a);
        dh.old_lines = static_cast<uint32_t>(count_a);
        dh.first_added = static_cast<uint32_t>(out.added.size());
        for (; line < start_b; ++line)
            pos = line_end(pos);
        for (long k = 0; k < count_b; ++k, ++line) {
            const size_t end = line_end(pos);
            out.added.push_back(
                {static_cast<uint32_t>(line + 1), is_blank(new_text.data() + pos, end - pos)});
            pos = end;
        }
        dh.added = static_cast<uint32_t>(count_b);
        out.hunks.push_back(dh);
    }
    file.hunks = static_cast<uint32_t>(out.hunks.size()) - file.first_hunk;
    return true;
}
#endif

Status CommitDiffer::diff(const git_oid* old_id, const git_oid& new_id, const std::string& what,
                          CommitDiff& out) {
    out.clear();
    entries_.clear();
    if (!odb_) {
        if (int rc = git_repository_odb(Setter(odb_), repo_); rc != 0)
            return git::git_error(rc, "opening the object database for " + what);
        // The packs read directly, libgit2 for the rest (git/pack_reader.h says why).
        if (!packs_) packs_ = git::PackReader::open(git_repository_commondir(repo_));
        objects_.use_packs(packs_.get());
    }
    if (auto st = git::changed_entries(odb_.get(), objects_, old_id, &new_id, "", entries_); !st)
        return st.error().context("comparing the trees of " + what);
    if (entries_.empty()) return {};
    if (renames_possible(entries_)) {
        git::Tree old_tree, new_tree;
        if (int rc = old_id != nullptr ? git_tree_lookup(Setter(old_tree), repo_, old_id) : 0;
            rc != 0)
            return git::git_error(rc, "reading the parent tree of " + what);
        if (int rc = git_tree_lookup(Setter(new_tree), repo_, &new_id); rc != 0)
            return git::git_error(rc, "reading the tree of " + what);
        return diff_with_libgit2(old_tree.get(), new_tree.get(), what, out);
    }
    const git_diff_options base = base_options();
    for (git::EntryChange& e : entries_) {
        ChangedFile file;
        file.status = e.new_mode == 0   ? GIT_DELTA_DELETED
                      : e.old_mode == 0 ? GIT_DELTA_ADDED
                                        : GIT_DELTA_MODIFIED;
        file.new_blob = e.new_id;
        file.new_mode = e.new_mode;
        if (file.status != GIT_DELTA_DELETED && is_regular(e.new_mode)) {
            auto driver = driver_of(e.path);
            if (!driver) return driver.error();
            git::Patch patch;
            int rc = 0;
            if (*driver == Driver::Named) {
                git::Blob old_blob, new_blob;
                rc = e.old_mode != 0 ? git_blob_lookup(Setter(old_blob), repo_, &e.old_id) : 0;
                if (rc != 0)
                    return git::git_error(rc, "reading " + e.path + " in the parent of " + what);
                rc = git_blob_lookup(Setter(new_blob), repo_, &e.new_id);
                if (rc != 0) return git::git_error(rc, "reading " + e.path + " in " + what);
                rc = git_patch_from_blobs(Setter(patch), old_blob.get(), e.path.c_str(),
                                          new_blob.get(), e.path.c_str(), &base);
            } else {
                // The blobs' contents, raw and kept (the new one is the old side of a later
                // diff); from the contents, libgit2 looks no driver up (the attribute is the
                // one looked up above).
                git::ObjectCache::Object old_blob, new_blob;
                if (e.old_mode != 0) {
                    auto got = objects_.get(odb_.get(), e.old_id, GIT_OBJECT_BLOB);
                    if (!got)
                        return got.error().context("reading " + e.path + " in the parent of " +
                                                   what);
                    old_blob = std::move(*got);
                }
                auto got = objects_.get(odb_.get(), e.new_id, GIT_OBJECT_BLOB);
                if (!got) return got.error().context("reading " + e.path + " in " + what);
                new_blob = std::move(*got);
                const std::string_view od = git::data_of(old_blob);
                const std::string_view nd = git::data_of(new_blob);
#if PROVENANT_LIBGIT2_XDIFF
                if (add_direct(od, nd, *driver, file, out)) {
                    if (e.old_mode != 0) objects_.drop(e.old_id); // superseded
                    file.old_path = e.path;
                    file.new_path = std::move(e.path);
                    out.files.push_back(std::move(file));
                    continue;
                }
#endif
                git_diff_options opts = base;
                if (*driver == Driver::Binary) opts.flags |= GIT_DIFF_FORCE_BINARY;
                if (*driver == Driver::Text) opts.flags |= GIT_DIFF_FORCE_TEXT;
                rc = git_patch_from_buffers(Setter(patch), od.data(), od.size(), nullptr, nd.data(),
                                            nd.size(), nullptr, &opts);
            }
            if (rc != 0) return git::git_error(rc, "diffing " + e.path + " in " + what);
            if (auto st = add_patch(patch.get(), e.path, file, out); !st) return st;
        }
        if (e.old_mode != 0) objects_.drop(e.old_id); // superseded: the new blob stays
        file.old_path = e.path;
        file.new_path = std::move(e.path);
        out.files.push_back(std::move(file));
    }
    return {};
}

Status CommitDiffer::diff_with_libgit2(const git_tree* old_tree, const git_tree* new_tree,
                                       const std::string& what, CommitDiff& out) {
    std::vector<std::string> paths;
    paths.reserve(entries_.size());
    for (git::EntryChange& e : entries_)
        paths.push_back(std::move(e.path));
    // A path whose type changed between a tree and a file is listed twice.
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    const git_diff_options base = base_options();
    // libgit2 takes the trees as non-const; it does not change them.
    auto diffed = git::diff_paths_with_renames(repo_, const_cast<git_tree*>(old_tree),
                                               const_cast<git_tree*>(new_tree), paths, base,
                                               what + " against its parent");
    if (!diffed) return diffed.error();
    git_diff* diff = diffed->get();
    const size_t n = git_diff_num_deltas(diff);
    for (size_t d = 0; d < n; ++d) {
        const git_diff_delta* delta = git_diff_get_delta(diff, d);
        if (delta->status != GIT_DELTA_DELETED && delta->status != GIT_DELTA_ADDED &&
            delta->status != GIT_DELTA_MODIFIED && delta->status != GIT_DELTA_RENAMED &&
            delta->status != GIT_DELTA_TYPECHANGE)
            continue;
        ChangedFile file;
        file.status = delta->status;
        file.old_path = delta->old_file.path;
        file.new_path = delta->new_file.path;
        file.new_blob = delta->new_file.id;
        file.new_mode = delta->new_file.mode;
        if (delta->status != GIT_DELTA_DELETED && delta->new_file.mode != GIT_FILEMODE_COMMIT &&
            is_regular(delta->new_file.mode)) {
            git::Patch patch;
            if (int rc = git_patch_from_diff(Setter(patch), diff, d); rc != 0)
                return git::git_error(rc, "diffing " + file.new_path + " in " + what);
            if (auto st = add_patch(patch.get(), file.new_path, file, out); !st) return st;
        }
        out.files.push_back(std::move(file));
    }
    return {};
}

} // namespace provenant::analysis
