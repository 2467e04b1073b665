// HEAD's text of a file, read on the journal thread: what a reopened document's text is
// measured against (text HEAD explains is base text, docs/model.md §3).
#pragma once

#include "git/repository.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace provenant::session {

/// Reads files' text in the current HEAD, one libgit2 handle per repository (opened on first
/// use, kept: a few repositories per editor). HEAD is resolved on every call, since a checkout
/// or a commit moves it. Not thread-safe: one thread (libgit2's rule, one handle per thread).
class HeadReader {
public:
    /// `rel`'s text in HEAD of the repository whose worktree is `workdir`; nullopt when there
    /// is no repository, no HEAD (an unborn branch), the file is not a blob in HEAD, or
    /// libgit2 fails (logged): the caller then behaves as without HEAD.
    std::optional<std::string> text(const std::filesystem::path& workdir, const std::string& rel);

private:
    static constexpr size_t kMaxRepos = 16;
    std::map<std::filesystem::path, git::Repo> repos_;
};

} // namespace provenant::session
