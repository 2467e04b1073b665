// Where a path's repository is, and a path's repository-relative form: found by walking up to
// `.git`, without libgit2 (the journal, the hooks and the sidecar need it before any git work).
#pragma once

#include "support/result.h"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace provenant {

/// Where a path's repository is, found without libgit2 by walking up to a `.git` directory or
/// `.git` file (worktrees, submodules). `gitdir` is the per-worktree git directory. Both paths
/// are canonical (symlinks resolved), so they can be compared and prefixed.
struct RepoLocation {
    std::filesystem::path workdir;
    std::filesystem::path gitdir;
};
/// nullopt when `path` is in no repository (or in a bare one). `path` may be a file or a
/// directory, and need not exist (the walk starts from its nearest existing ancestor).
/// Thread-safe.
std::optional<RepoLocation> find_repository(const std::filesystem::path& path);
/// As find_repository, with a message saying why there is none: "not in a git repository",
/// "<dir> is a bare repository (or a git directory); provenant needs a working tree", or a
/// `.git` file that does not name a git directory. Thread-safe.
Result<RepoLocation> locate_repository(const std::filesystem::path& path);

/// `path` relative to `repo.workdir`, '/'-separated, after resolving symlinks in its existing
/// part; an error when it lies outside the working tree (or is the working tree itself), or
/// when validate_repo_path refuses it. Thread-safe.
Result<std::string> repo_relative_path(const RepoLocation& repo, const std::filesystem::path& path);

/// The longest repository-relative path accepted (the journal's key, a hook's file).
inline constexpr size_t kMaxRepoPathBytes = 4096;

/// Checks a repository-relative path taken from outside (a journal key, a hook payload, a
/// stored snapshot): non-empty, relative, '/'-separated components that are not empty, "." or
/// "..", no NUL, at most kMaxRepoPathBytes bytes. Thread-safe.
Status validate_repo_path(std::string_view path);

} // namespace provenant
