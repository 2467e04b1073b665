// The diff of one commit against its first parent, in the form the line-fates walk reads:
// per changed file its status, paths, new blob and mode, and its zero-context hunks with the
// new side's added lines. The same deltas and hunks as git_diff_tree_to_tree with renames
// and git_patch_from_diff, made more cheaply where that cannot change them.
#pragma once

#include "git/pack_reader.h"
#include "git/path_diff.h"
#include "support/result.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace provenant::analysis {

/// One added line of a hunk: its 1-based line number in the new file, and whether it holds
/// only whitespace.
struct AddedLine {
    uint32_t new_no = 0;
    bool blank = false;
};

/// A hunk's old side (git's numbering: an empty side is numbered by the line before it) and
/// its added lines, [first_added, first_added + added) of CommitDiff::added.
struct DiffHunk {
    uint32_t old_start = 0, old_lines = 0;
    uint32_t first_added = 0, added = 0;
};

/// One changed file. `text` is set when its lines are followed (a regular file that is not
/// binary): then its hunks are [first_hunk, first_hunk + hunks) of CommitDiff::hunks.
struct ChangedFile {
    git_delta_t status = GIT_DELTA_MODIFIED;
    std::string old_path, new_path;
    git_oid new_blob{};
    uint32_t new_mode = 0;
    bool text = false;
    uint32_t first_hunk = 0, hunks = 0;
};

/// A commit's changed files in git's delta order (by path, renames paired).
struct CommitDiff {
    std::vector<ChangedFile> files;
    std::vector<DiffHunk> hunks;
    std::vector<AddedLine> added;
    void clear() {
        files.clear();
        hunks.clear();
        added.clear();
    }
};

/// Diffs trees as the walk needs. A commit whose changes cannot hold a rename (no file both
/// removed and added, no type change, no submodule) skips libgit2's tree diff and its
/// per-file diff-driver look-ups (a config snapshot per diff and an attributes search of
/// the work tree per file side, a third of a walk's time): the files come from comparing
/// the trees, the patches from the blobs' contents, with the `diff` attribute looked up once
/// per path. Anything else goes through git_diff_tree_to_tree and git_diff_find_similar.
/// Keeps a per-path attribute cache (bounded by the paths of the history). One thread.
class CommitDiffer {
public:
    explicit CommitDiffer(git_repository* repo) : repo_(repo) {}
    /// Reads the packs through `packs` (a reader of this repository's packs, see
    /// PackReader::share) rather than mapping them again; before the first diff.
    void use_packs(std::unique_ptr<git::PackReader> packs) { packs_ = std::move(packs); }
    /// The diff of the tree `new_tree` against the tree `old_tree` (null: the empty tree) into
    /// `out` (cleared first). `what` names the commit in errors. The trees and blobs read are
    /// kept (git::ObjectCache, bounded): diffing commits parents first, a version read as a
    /// commit's new side is found again as a later commit's old side.
    Status diff(const git_oid* old_tree, const git_oid& new_tree, const std::string& what,
                CommitDiff& out);
    /// The trees and blobs kept between diffs (for tests: how many were read, how many found).
    const git::ObjectCache& objects() const { return objects_; }

private:
    /// How the `diff` attribute has a path diffed.
    enum class Driver : uint8_t { Auto, Binary, Text, Named };
    Result<Driver> driver_of(const std::string& path);
    Status add_patch(git_patch* patch, const std::string& path, ChangedFile& file, CommitDiff& out);
    /// The patch git_patch_from_buffers would give `file` with `driver` (not Named), made by
    /// libgit2's xdiff directly (static libgit2 1.5 only: git/libgit2_xdiff.h); false when
    /// libgit2 must make it (a NUL in a text's first 8000 bytes, a text over 64 MiB).
    bool add_direct(std::string_view old_text, std::string_view new_text, Driver driver,
                    ChangedFile& file, CommitDiff& out);
    Status diff_with_libgit2(const git_tree* old_tree, const git_tree* new_tree,
                             const std::string& what, CommitDiff& out);

    git_repository* repo_;
    std::unordered_map<std::string, Driver> drivers_;
    std::vector<git::EntryChange> entries_;
    git::Odb odb_; // opened on the first diff, with packs_
    std::unique_ptr<git::PackReader> packs_;
    git::ObjectCache objects_;
    std::vector<std::array<long, 4>> xdl_hunks_; // add_direct's (reused)
};

} // namespace provenant::analysis
