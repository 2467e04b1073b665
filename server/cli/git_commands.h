// Git command families registered by register_git: notes (git_commands.cpp) and rewrites,
// sync and CI (git_rewrite_commands.cpp, owned by the rewrites work).
#pragma once

#include <CLI/CLI.hpp>

namespace provenant::cli {

/// Adds `rewritten`, `sync`, `ci` and related subcommands. Called by register_git.
void register_git_rewrites(CLI::App& app);

} // namespace provenant::cli
