// The per-repository session store: what each agent session generated and spent, for the notes.
#pragma once

#include "protocol/note.h"
#include "protocol/origin.h"
#include "support/fs.h"
#include "support/result.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace provenant {

// The funnel, per session, between two notes (docs/model.md §7).
//
// Hooks add to a session's cumulative counters: `generated` (non-blank lines an agent edit
// added as new `ai` text, counted once per edit) and `tokens` (per model, from transcripts).
// `attach` asks for what is unsettled (the counters minus the baselines of the last settle),
// maps the committed lines to origins itself, and then settles, which moves the baselines
// forward by exactly what it was given (so usage recorded by a hook in between is not lost).
//
// For one session between the previous note and this one:
//   available = pending_before (still pending at the previous note) + generated (since then)
//   committed = lines of this commit whose origin is the session (attach counts them)
//   pending   = lines still attributed to the session in the journal after the commit
//   discarded = max(0, available - committed - pending)   (deleted or rewritten before commit)
// A session with tokens and nothing committed contributes to "spend that produced nothing
// committed" in this note; its tokens are settled all the same (reported once).

/// Identifies a session: the agent tool ("claude-code", "codex", ...) and its own session id
/// (may be empty when the agent sends none, e.g. Copilot CLI).
struct SessionKey {
    std::string tool;
    std::string session;
    auto operator<=>(const SessionKey&) const = default;
    /// "tool/session", for logs and maps.
    std::string str() const { return tool + "/" + session; }
};

/// How far a transcript was read. `state` is owned by the transcript reader (dedupe keys,
/// last cumulative totals); it is kept bounded by the reader.
struct TranscriptCursor {
    std::string path;    ///< absolute path of the transcript ("" when none is known)
    uint64_t offset = 0; ///< bytes consumed, always at a line boundary
    nlohmann::json state = nlohmann::json::object();
};

/// One session's record. Counters are cumulative since the session was first seen; the
/// `*_settled` fields are the baselines at the last settle.
struct SessionRecord {
    SessionKey key;
    std::string kind;                         ///< agent | completion | chat
    std::vector<std::string> models;          ///< models seen, first-seen order
    std::map<std::string, TokenUsage> tokens; ///< per model ("" when unknown), cumulative
    TranscriptCursor transcript;
    uint64_t generated = 0;                            ///< lines generated, cumulative
    std::map<std::string, uint64_t> generated_by_file; ///< per repo-relative path (bounded)
    /// Recent tool-use ids and the model that issued them (bounded, oldest dropped), so a
    /// later hook can resolve a model the transcript had not written yet.
    std::vector<std::pair<std::string, std::string>> tool_models;
    /// Edits recorded before the transcript named their model: (tool-use id, repo-relative
    /// path). A later hook fills the model into the journal entry and drops the pair (bounded).
    std::vector<std::pair<std::string, std::string>> unresolved;
    /// Recent "request|path" keys whose generated lines were counted (bounded), so that a
    /// hook delivered twice does not count its lines twice.
    std::vector<std::string> counted;
    std::map<std::string, TokenUsage> tokens_settled;
    uint64_t generated_settled = 0;
    uint64_t pending_settled = 0;
    long long first_seen_ms = 0;
    long long last_seen_ms = 0;

    static constexpr size_t kMaxFiles = 2000;
    static constexpr size_t kMaxToolModels = 256;
    static constexpr size_t kMaxUnresolved = 64;
    static constexpr size_t kMaxCounted = 256;
    /// Adds `lines` generated in `path` (also to `generated`). With a non-empty `request`,
    /// a (request, path) already counted is not counted again.
    void add_generated(const std::string& path, uint64_t lines, const std::string& request = {});
    /// Adds a model to `models` if new (ignores "").
    void note_model(const std::string& model);
    /// Remembers the model of a tool-use id (bounded).
    void note_tool_model(const std::string& tool_use_id, const std::string& model);
    /// The model of a tool-use id seen before, "" when unknown.
    std::string model_of_tool(const std::string& tool_use_id) const;
};

/// Replaces `path` with `data` atomically (unique temp file + rename) without fsync: readers
/// and a crashed process see the old or the new file, a power failure may keep the old one.
/// For the hook path, where fsync dominates latency and the data is self-consistent (a session
/// record holds its transcript offset next to the usage read up to it). Creates directories.
Status replace_file_no_sync(const std::filesystem::path& path, const std::string& data);

nlohmann::json session_to_json(const SessionRecord& r);
/// Validates untrusted JSON; errors name the bad field.
Result<SessionRecord> session_from_json(const nlohmann::json& j);

/// What one session consumed since the last settle.
struct SessionDelta {
    SessionKey key;
    std::string kind;
    std::vector<std::string> models;
    std::map<std::string, TokenUsage> tokens; ///< since the last settle, per model (non-empty only)
    uint64_t generated = 0;                   ///< lines generated since the last settle
    uint64_t pending_before = 0;              ///< lines pending at the last settle
    TokenUsage total_tokens() const;
};

/// The funnel counters of one session for one note (see the comment at the top), in the
/// note's own type.
Funnel funnel(const SessionDelta& delta, uint64_t committed, uint64_t pending_after);

/// What attach hands back after writing the note: the delta it used, and the lines of the
/// session still pending in the journal after the commit.
struct SessionSettlement {
    SessionDelta delta;
    uint64_t pending_after = 0;
};

/// The store, under `<gitdir>/provenant/sessions/`: one JSON file per session, replaced
/// atomically; read-modify-write under one flock (`sessions/.lock`). Any thread and process
/// may use it at once. Corrupt files are skipped with a warning (never overwritten: moved to
/// `corrupt/`). Bounded: at most kMaxSessions records; settle() drops settled sessions idle for
/// kIdlePruneMs.
class SessionStore {
public:
    static constexpr size_t kMaxSessions = 2000;
    static constexpr long long kIdlePruneMs = 30LL * 24 * 3600 * 1000;
    static constexpr size_t kMaxRecordBytes = 4u << 20;

    explicit SessionStore(std::filesystem::path gitdir);

    /// The record of `key`, nullopt if none.
    Result<std::optional<SessionRecord>> load(const SessionKey& key) const;
    /// Read-modify-write under the lock: `fn` gets the current record (a fresh one with `key`,
    /// first_seen_ms now, if absent) and modifies it; last_seen_ms is set to now. Returns what
    /// was stored. Refused (error) when a new session would exceed kMaxSessions.
    Result<SessionRecord> update(const SessionKey& key,
                                 const std::function<void(SessionRecord&)>& fn);
    /// Every readable record, sorted by key.
    Result<std::vector<SessionRecord>> list() const;

    /// Sessions with tokens or generated lines since the last settle, or lines pending at it.
    Result<std::vector<SessionDelta>> unsettled() const;
    /// Moves each session's baselines forward by its delta and records pending_after.
    Status settle(const std::vector<SessionSettlement>& settlements);

    const std::filesystem::path& dir() const { return dir_; }
    std::filesystem::path file_of(const SessionKey& key) const;

private:
    Result<std::optional<SessionRecord>> load_file(const std::filesystem::path& file) const;
    std::filesystem::path dir_;
};

} // namespace provenant
