// Test support: a real git repository in a temp dir, driven by the git CLI.
#pragma once

#include "support/process.h"

#include <string>
#include <vector>

namespace provenant::test {

/// Waits (up to 30 s, then FAILs) until the notes provenant's post-commit hook queued in the
/// repository at `worktree` are written by its background process (see
/// server/git/pending_attach.h): tests then observe what a user sees a moment after a commit,
/// in a deterministic order. Returns at once when nothing is queued.
void wait_for_pending_notes(const std::string& worktree);

/// A git repository (branch `main`, isolated identity) in a fresh temp directory.
/// One thread only.
class TempRepo {
public:
    /// `bare` creates a bare repository.
    explicit TempRepo(bool bare = false);
    const std::string& path() const { return dir_.path(); }
    std::string file(const std::string& rel) const { return path() + "/" + rel; }

    /// Runs `git <args>` in the repository; FAILs the test (doctest CHECK) on non-zero
    /// unless `allow_fail`. Like `provenant`, first waits for queued notes
    /// (wait_for_pending_notes) unless `set_wait_for_notes(false)`.
    ProcessResult git(const std::vector<std::string>& args, bool allow_fail = false,
                      const std::string& input = {}) const;
    /// Runs `provenant <args>` in the repository.
    ProcessResult provenant(const std::vector<std::string>& args, const std::string& input = {},
                            const EnvOverrides& env = {}) const;
    void write(const std::string& rel, const std::string& text) const;
    std::string read(const std::string& rel) const;
    /// git add -A && git commit -m message; returns the new HEAD id.
    std::string commit_all(const std::string& message) const;
    std::string head() const;
    /// Whether git() and provenant() wait for queued notes first (default true). Tests of the
    /// deferred attach itself turn it off to see the queue.
    void set_wait_for_notes(bool wait) { wait_for_notes_ = wait; }

private:
    TempDir dir_;
    bool wait_for_notes_ = true;
};

} // namespace provenant::test
