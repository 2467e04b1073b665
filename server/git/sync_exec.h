// Runs the git CLI for the network half of `provenant sync` (fetch, push, ls-remote).
#pragma once

#include "support/result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace provenant::git {

/// What a finished git process said.
struct GitRun {
    int exit_code = -1; ///< exit status, or 128+signal
    std::string out;
    std::string err;
};

/// Runs `git <args>` in `cwd` with stdin closed and LC_ALL=C (so porcelain and error text are
/// stable), waiting for it to exit. The git CLI does the transport because it honours the
/// user's credentials, ssh setup and url rewrites, which libgit2 would not. An Error only when
/// git could not be started; a failing git is a GitRun with a non-zero exit code.
/// Any thread may call it (no shared state; the child gets its own pipes).
Result<GitRun> run_git(const std::filesystem::path& cwd, const std::vector<std::string>& args);

} // namespace provenant::git
