// Before/after snapshots around an agent tool call: what the files were when the tool started,
// so the hook that follows can tell which changes the tool made.
#pragma once

#include "journal/journal.h"
#include "support/result.h"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace provenant::agents {

/// What a file was when the tool started.
struct SnapFile {
    bool exists = false;
    std::string blob;                ///< git blob id of the content ("" when absent)
    std::optional<std::string> text; ///< the content, unless too large to keep
};

/// A PreToolUse snapshot, stored at `<gitdir>/provenant/agents/pre/<id>.json`.
struct PreSnapshot {
    std::string id;
    long long created_ms = 0;
    /// true: `files` holds every file git saw changed (and untracked); any other file was
    /// as in HEAD. false: only the named files were recorded.
    bool repo_wide = false;
    std::map<std::string, SnapFile> files; ///< by repository-relative path
};

/// A file that changed between a snapshot and now.
struct ChangedFile {
    std::string path;                  ///< repository-relative
    std::optional<std::string> before; ///< nullopt when unknown (not kept)
    std::string after;                 ///< current content ("" when deleted)
    bool deleted = false;
};

/// The snapshot store of one repository. Any thread or process; ids are sanitised into
/// file names. Bounded: snapshots older than a day are dropped when new ones are saved.
class SnapshotStore {
public:
    static constexpr size_t kMaxFileText = 2u << 20; ///< larger files keep their blob id only
    static constexpr size_t kMaxTotalText = 32u << 20;
    static constexpr long long kMaxAgeMs = 24LL * 3600 * 1000;

    explicit SnapshotStore(const std::filesystem::path& gitdir);
    Status save(const PreSnapshot& snap);
    /// Loads and removes the snapshot `id`; nullopt when there is none (or it is unreadable).
    Result<std::optional<PreSnapshot>> take(const std::string& id);
    std::filesystem::path file_of(const std::string& id) const;

private:
    void prune();
    std::filesystem::path dir_;
};

/// A snapshot of the named repository-relative files as they are now.
PreSnapshot snapshot_files(const RepoLocation& repo, const std::vector<std::string>& paths);
/// A snapshot of every file `git status` reports (modified, staged, untracked; not ignored).
Result<PreSnapshot> snapshot_changed(const RepoLocation& repo);
/// The files that differ now from `snap`: for a repo-wide snapshot, every file git reports
/// now or reported then whose content changed (a file clean then had HEAD's content).
Result<std::vector<ChangedFile>> changed_since(const RepoLocation& repo, const PreSnapshot& snap);

/// The git blob id (hex) of `content`.
std::string blob_id(std::string_view content);

} // namespace provenant::agents
