// A libgit2 repository handle with the few reads provenant needs: revisions, blobs, the
// lines a commit adds, and line diffs between two texts.
#pragma once

#include "git/raii.h"
#include "support/result.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provenant::git {

/// Files larger than this are not diffed line by line: attach caps them with a reason.
inline constexpr uint64_t kMaxDiffBytes = 8u << 20;
/// Files with more lines than this are capped the same way.
inline constexpr uint32_t kMaxDiffLines = 200'000;

/// One file of a commit's diff against its first parent (renames followed): the lines it adds.
/// (Not agents::FileChange, one file an agent wrote.)
struct FileDiff {
    enum class Status { Added, Modified, Renamed, Copied };
    Status status = Status::Modified;
    std::string path; ///< repository-relative path in the commit, '/'-separated
    std::string
        old_path;   ///< path in the parent (same as `path` unless renamed/copied; empty when added)
    git_oid blob{}; ///< the committed blob
    git_oid old_blob{}; ///< the parent's blob (zero when added)
    /// Why the lines were not listed: "binary", "too large", "too many lines",
    /// "not a regular file"; empty when `added` is complete.
    std::string skipped;
    std::vector<uint32_t> added; ///< 1-based line numbers in the committed blob, sorted
    uint32_t line_count = 0;     ///< lines in the committed blob (0 when skipped)
};

/// One hunk of a line diff with git's numbering: lines [old_start, old_start+old_lines) of
/// the old text are replaced by [new_start, new_start+new_lines) of the new one (1-based;
/// a start is the line *before* the hunk when its count is 0, as in unified diffs).
struct LineHunk {
    uint32_t old_start = 0, old_lines = 0, new_start = 0, new_lines = 0;
};

/// Calls `fn` for every changed hunk of the line diff from `old_text` to `new_text` (no
/// context lines, Myers diff as git computes it, always treated as text). Lines between
/// hunks are unchanged. Exceptions from `fn` are caught and returned as an Error.
Status for_each_hunk(std::string_view old_text, std::string_view new_text,
                     const std::function<void(const LineHunk&)>& fn);

/// For each 1-based line i of `old_text`, result[i] is its 1-based line in `new_text` when
/// the diff keeps it unchanged, else 0. result[0] is unused (0). Size: old line count + 1.
Result<std::vector<uint32_t>> map_unchanged_lines(std::string_view old_text,
                                                  std::string_view new_text);

/// Number of lines of `text` as git counts them (a last line without '\n' counts).
uint32_t count_lines(std::string_view text);

/// An open repository. One thread at a time (libgit2's rule: one handle per thread).
class Repo {
public:
    /// Opens the repository containing `path` (searching upwards, like git). Errors name the
    /// path; `allow_bare` false refuses bare repositories with a clear message.
    static Result<Repo> open(const std::filesystem::path& path, bool allow_bare = false);

    git_repository* get() const { return repo_.get(); }
    bool bare() const;
    /// The worktree root (empty for bare repositories), without a trailing slash.
    std::filesystem::path workdir() const;
    /// This worktree's git directory (`.git`, or `.git/worktrees/<name>`).
    std::filesystem::path gitdir() const;
    /// The common git directory shared by all worktrees (hooks, config, refs live here).
    std::filesystem::path commondir() const;

    /// Resolves a revision ("HEAD", "main~2", an id) to a commit id.
    Result<git_oid> resolve(const std::string& rev) const;
    Result<Commit> lookup_commit(const git_oid& id) const;
    /// The first parent, nullopt for a root commit.
    Result<std::optional<git_oid>> first_parent(const git_oid& commit) const;
    /// The blob id of `path` in `commit`, nullopt when the path is not a blob there.
    Result<std::optional<git_oid>> blob_id_at(const git_oid& commit, const std::string& path) const;
    /// The content of a blob.
    Result<std::string> blob_text(const git_oid& blob) const;
    /// The content of `path` at `commit`, nullopt when absent.
    Result<std::optional<std::string>> text_at(const git_oid& commit,
                                               const std::string& path) const;

    /// The files `commit` adds lines to, against its first parent (a root commit against the
    /// empty tree), renames and copies followed, deletions omitted, binary/huge files listed
    /// with `skipped` set. Files whose change only removes lines are listed with empty
    /// `added` (their blob changed). Sorted by path.
    Result<std::vector<FileDiff>> added_lines(const git_oid& commit) const;
    /// The same between two arbitrary trees (`old_tree` null = empty tree).
    Result<std::vector<FileDiff>> added_lines(git_tree* old_tree, git_tree* new_tree) const;

private:
    explicit Repo(Repository r) : repo_(std::move(r)) {}
    Repository repo_;
};

} // namespace provenant::git
