// Test support: a real git repository in a temp dir, driven by the git CLI.
#pragma once

#include "support/process.h"

#include <string>
#include <vector>

namespace provenant::test {

/// A git repository (branch `main`, isolated identity) in a fresh temp directory.
/// One thread only.
class TempRepo {
public:
    /// `bare` creates a bare repository.
    explicit TempRepo(bool bare = false);
    const std::string& path() const { return dir_.path(); }
    std::string file(const std::string& rel) const { return path() + "/" + rel; }

    /// Runs `git <args>` in the repository; FAILs the test (doctest CHECK) on non-zero
    /// unless `allow_fail`.
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

private:
    TempDir dir_;
};

} // namespace provenant::test
