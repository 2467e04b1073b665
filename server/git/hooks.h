// `provenant install` / `uninstall`: git hooks that chain the user's own, and notes config.
#pragma once

#include "git/repository.h"

#include <filesystem>
#include <string>
#include <vector>

namespace provenant::git {

/// The hooks provenant installs and what each runs.
inline constexpr const char* kManagedHooks[] = {"post-commit", "post-rewrite", "post-merge"};
/// The suffix an existing hook is renamed with; ours calls it with the same args and stdin.
inline constexpr const char* kChainedSuffix = ".provenant-chained";
/// The marker line that identifies a hook file as ours.
inline constexpr const char* kHookMarker = "# provenant-managed-hook v1";

/// Where git runs hooks from: core.hooksPath (relative = to the worktree root, ~ expanded),
/// else <common git dir>/hooks.
Result<std::filesystem::path> hooks_dir(const Repo& repo);

/// The text of our hook `name`, calling `binary` by absolute path (safely quoted).
std::string hook_script(const std::string& name, const std::filesystem::path& binary);

struct InstallReport {
    std::filesystem::path hooks_dir;
    std::vector<std::string> lines; ///< what was done, one line each ("post-commit: installed")
    bool changed = false;
};

/// Installs the hooks (chaining existing ones), adds notes.displayRef=refs/notes/provenant
/// unless already shown, and records what it did in <common dir>/provenant/install.json so
/// uninstall can restore exactly that. Idempotent. `binary`: the provenant executable.
/// `sync_remote` non-empty: also configures that remote's fetch/push refspecs for the notes
/// (git/sync.h), which uninstall removes again.
Result<InstallReport> install(const Repo& repo, const std::filesystem::path& binary,
                              const std::string& sync_remote = {});

/// Removes our hooks, restores chained ones, removes the displayRef value and the notes
/// refspecs install added.
Result<InstallReport> uninstall(const Repo& repo);


} // namespace provenant::git
