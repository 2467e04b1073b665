// Writing and removing the hook configuration of each agent (Claude Code, Cursor, Codex,
// Gemini CLI, GitHub Copilot), merged into the agent's own JSON settings files.
#pragma once

#include "support/result.h"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace provenant::agents {

/// The agents `install --agents` knows.
const std::vector<std::string>& installable_agents();

struct InstallOptions {
    std::vector<std::string> agents; ///< subset of installable_agents()
    bool user = false;               ///< the user's settings instead of the project's
    std::filesystem::path project;   ///< project root (the repository's working tree)
    std::filesystem::path home;      ///< the user's home directory
    std::string binary;              ///< absolute path of the provenant executable
};

/// What install/uninstall did: one line per file changed, unchanged, or skipped.
struct InstallReport {
    std::vector<std::string> lines;
    std::vector<std::filesystem::path> changed; ///< files written or removed
};

/// Adds provenant's hooks to each agent's configuration. Existing content is kept as it is
/// (order included); a hook already present is left alone, one pointing at another provenant
/// binary is updated. Running it twice changes nothing. A file that is not valid JSON (or
/// whose hooks section has an unexpected shape) is reported and left untouched.
Result<InstallReport> install_agent_hooks(const InstallOptions& opts);
/// Removes exactly the hooks install added (any provenant binary), and containers that
/// become empty; a file install created and that holds nothing else is removed.
Result<InstallReport> uninstall_agent_hooks(const InstallOptions& opts);

/// The configuration file of `agent` for the project or the user.
std::filesystem::path agent_config_file(std::string_view agent, const InstallOptions& opts);
/// The command line an agent runs: '<binary>' hook <agent>.
std::string hook_command(std::string_view binary, std::string_view agent);

} // namespace provenant::agents
