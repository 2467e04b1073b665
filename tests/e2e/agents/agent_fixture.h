// Test support for the agent hook e2e tests: fixture payloads with ${REPO}/${TRANSCRIPT}
// substituted, a repository holding src/app.py, and the journal's per-line verdicts.
#pragma once

#include "support/process.h"
#include "support/temp_repo.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace provenant::test {

/// The committed src/app.py every fixture starts from.
inline const char* kAppPy = "def greet(name):\n    return \"Hello \" + name\n";

/// A fixture file of tests/fixtures/agents with ${REPO} and ${TRANSCRIPT} replaced.
std::string agent_fixture(const std::string& rel, const std::string& repo,
                          const std::string& transcript = "");

/// A repository whose last commit holds src/app.py (kAppPy).
class AgentRepo : public TempRepo {
public:
    AgentRepo();
    /// `provenant hook <agent>` with `payload` on stdin; CHECKs exit 0.
    ProcessResult hook(const std::string& agent, const std::string& payload) const;
    /// Copies a transcript fixture into the repository's parent temp dir, substituted.
    std::string transcript(const std::string& rel) const;

private:
    TempDir side_; // transcripts live outside the working tree
};

/// One line of a file as the journal has it.
struct LineInfo {
    std::string cls; ///< ai, ai_modified, human, paste, unknown, blank
    std::string tool, kind, model, session, request;
};
/// The lines of `path`'s journal entry (index 0 is line 1); empty when there is no entry.
std::vector<LineInfo> journal_lines(const TempRepo& repo, const std::string& path);
/// Whether the journal holds an entry for `path`.
bool has_journal_entry(const TempRepo& repo, const std::string& path);

} // namespace provenant::test
