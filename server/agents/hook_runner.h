// `provenant hook <agent>`: turns one payload into journal evidence, session usage and
// snapshots. Never throws; everything it could not use is reported, nothing blocks the agent.
#pragma once

#include "agents/hook_event.h"
#include "core/provenance.h"
#include "journal/journal.h"
#include "support/json_budget.h"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provenant::agents {

/// Payloads larger than this are refused (an agent never sends anything near it).
inline constexpr size_t kMaxPayloadBytes = 64u << 20;
/// The most JSON values (containers and elements) a payload may hold, and its deepest
/// nesting: counted before the parse, so a payload's parse costs at most ~26 MB beyond its
/// strings whatever its shape (a 60 MB `[{},{},...]` payload peaked at 2 GB: issue 12 §8).
/// A payload is a handful of fields, file text in strings, at most a few thousand edits. The
/// budget of every JSON text from outside, the LSP's too (support/json_budget.h).
inline constexpr size_t kMaxPayloadValues = kJsonBudget.max_values;
inline constexpr int kMaxPayloadDepth = kJsonBudget.max_depth;

/// What one hook run did, for stderr and the tests.
struct HookReport {
    std::vector<std::string> messages; ///< what could not be used, one line each
    size_t files_recorded = 0;         ///< journal entries written
    size_t snapshots_saved = 0;        ///< pre-tool snapshots written
};

/// Runs the hook for `agent` on `payload` (the raw stdin). `cwd` is used when the payload
/// names no working directory. Never throws. Safe to run in many processes at once (the
/// journal and the session store serialise their own updates).
HookReport run_hook(std::string_view agent, std::string_view payload,
                    const std::filesystem::path& cwd);

/// Records one file edit in the journal (the core of every post-tool hook): starting from the
/// entry's snapshot (else `head_text` as not-fresh `unknown`, else empty), carried to `before`
/// with `unknown` for unwatched changes, then to `after` with `agent` (recorded, fresh) —
/// or, when `before` is nullopt, only the `marks` byte ranges of `after` that are new text are
/// the agent's — then to `disk` (when it differs) as `unknown`; finally merged by content with
/// what the journal holds, so an editor's report of the same edit counts once in either order.
struct EditEvidence {
    std::string path; ///< repository-relative
    /// The file's text in HEAD (nullopt when absent); called only when the journal has no entry.
    std::function<std::optional<std::string>()> head_text;
    std::optional<std::string> before;
    std::string after;
    std::optional<std::string> disk;
    std::vector<std::pair<size_t, size_t>> marks;
    OriginRecord agent;
    /// When the agent wrote (seconds since the Unix epoch; 0: now): the observation time of
    /// its characters (Attr::seen), compared with the editor's reload by merge_evidence.
    uint32_t seen = 0;
    /// The edit was inferred from a shell tool's window (what changed between its pre- and
    /// post-tool snapshots), not reported by the tool that made it. Stored in the entry's
    /// writer ("hook:<agent> shell") so that a file-edit hook of another agent arriving later
    /// inside the race window takes back the characters it wrote (issue 9 §4).
    bool shell_window = false;
};
Result<std::optional<JournalEntry>> record_edit(Journal& journal, const EditEvidence& edit);

/// The snapshot with every AI record of (tool, session, request) whose model is empty given
/// `model`. Text and runs are unchanged.
Snapshot fill_model(const Snapshot& s, const std::string& tool, const std::string& session,
                    const std::string& request, const std::string& model);

} // namespace provenant::agents
