// Test harness for rewrites: a repository with the rewrite hooks, lines whose true origin an
// independent model knows (by unique content), notes written from that truth, and a check
// that every line of HEAD is attributed either truly or `unknown`.
#pragma once

#include "git/replay.h"
#include "git/repository.h"
#include "protocol/note.h"
#include "support/process.h"
#include "support/temp_repo.h"

#include <map>
#include <random>
#include <string>
#include <vector>

namespace provenant::test {

/// What really wrote a line: its class, and for AI classes the tool.
struct Truth {
    LineClass cls = LineClass::Unknown;
    std::string tool;
    bool operator==(const Truth&) const = default;
};

/// The result of checking HEAD against the model.
struct CheckResult {
    size_t lines = 0;
    size_t known = 0;                  ///< lines the notes attribute (not unknown)
    std::vector<std::string> wrong;    ///< misattributions, described
    std::map<std::string, Truth> seen; ///< line content -> what the notes said (known only)
};

/// A repository, the model and a random source. One thread.
class Harness {
public:
    explicit Harness(uint64_t seed);
    TempRepo& repo() { return repo_; }
    std::mt19937_64& rng() { return rng_; }
    int uniform(int lo, int hi); ///< inclusive

    /// Installs post-commit (rewritten --post-commit), post-rewrite and post-merge (as install
    /// does, but attaching in the foreground).
    void install_hooks();

    /// A fresh line (unique content) with `truth`, registered in the model.
    std::string new_line(const Truth& truth);
    Truth random_truth();
    /// Random edits to 1..3 files of the working tree: inserted lines with random truths,
    /// deleted and replaced lines. Returns false if nothing changed.
    bool random_edits();
    std::vector<std::string> files() const { return {"a.txt", "b.txt", "c.txt"}; }

    /// git add -A && git commit -m, then writes the note the perfect `attach` would write
    /// (every added line with its true class). Returns the commit id.
    std::string commit_with_truth(const std::string& message);
    /// Writes the true note of `commit` (replacing any).
    void write_true_note(const std::string& commit);

    /// Runs git with extra environment; returns the result (no CHECK).
    ProcessResult git_env(const std::vector<std::string>& args, const EnvOverrides& env = {}) const;

    /// Every line of every file in HEAD's tree, attributed by replaying the notes from the root.
    CheckResult check_head();

    const std::map<std::string, Truth>& model() const { return truth_; }

private:
    TempRepo repo_;
    std::mt19937_64 rng_;
    uint64_t next_line_ = 0;
    std::map<std::string, Truth> truth_;
};

std::string trim(std::string s);

} // namespace provenant::test
