// Git command families registered by register_git: notes (git_commands.cpp) and rewrites,
// sync and CI (git_rewrite_commands.cpp, owned by the rewrites work).
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>

namespace provenant::cli {

/// Adds `rewritten`, `sync`, `ci` and related subcommands. Called by register_git.
void register_git_rewrites(CLI::App& app);

/// Writes the notes the post-commit hook queued in the repository containing `dir`, if any
/// (one directory read when there are none: no libgit2). For commands that read or change
/// provenance outside the git layer: status, agent hooks, the sidecar's journal writes.
/// Never fails; problems are logged.
void finish_pending_attaches_at(const std::filesystem::path& dir);
/// The same, given the (per-worktree) git directory.
void finish_pending_attaches_in(const std::filesystem::path& gitdir);

} // namespace provenant::cli
