// git-ai's notes ("Git AI Standard", refs/notes/ai, schema authorship/3.0.0): types, a strict
// reader, a writer, and the mapping to and from provenant's Note. Format in docs/report.md
// ("Inputs") and git-ai's specs/git_ai_standard_v3.0.0.md.
#pragma once

#include "protocol/note.h"
#include "support/result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provenant {

/// The notes ref git-ai writes and reads.
inline constexpr std::string_view kGitAiNotesRef = "refs/notes/ai";
/// The only `schema_version` this reader accepts (the standard keeps it for every
/// non-breaking extension: sessions, humans, s_/h_ keys).
inline constexpr std::string_view kGitAiSchemaVersion = "authorship/3.0.0";

/// Limits that keep a hostile note from exhausting memory or time.
inline constexpr size_t kMaxGitAiNoteBytes = 64u << 20;
inline constexpr uint32_t kMaxGitAiNoteLines = 20'000'000; ///< line numbers expanded per note

/// One attestation line: a key and the 1-based lines it covers (sorted, deduplicated).
/// Key forms (routed by prefix, as the standard says):
///   `s_<hex>::t_<hex>`  an AI session (looked up in GitAiNote::sessions by the part before `::`)
///   `h_<hex>`           a known human (looked up in GitAiNote::humans)
///   `<hex>`             a legacy AI prompt (16 hex, 7 before git-ai 1.0; looked up in
///                       GitAiNote::prompts)
/// The standard says the hex lengths (14 today) may change, so 1–32 hex digits are read per
/// part (7–32 for legacy keys); 32 keeps an origin id within provenant's 64 characters.
/// `h_` keys may carry a `::t_<hex>` trace too (the standard announces it).
struct GitAiAttestation {
    std::string key;
    std::vector<uint32_t> lines;
    bool operator==(const GitAiAttestation&) const = default;
};

/// The attestations of one file, in note order.
struct GitAiFile {
    std::string path; ///< repository-relative, as written (quotes removed)
    std::vector<GitAiAttestation> entries;
    bool operator==(const GitAiFile&) const = default;
};

/// `agent_id` of a session or prompt record.
struct GitAiAgent {
    std::string tool;  ///< git-ai's tool names: cursor, claude, codex, copilot, gemini, ...
    std::string id;    ///< the conversation / session id in the tool's domain
    std::string model; ///< may be empty
    bool operator==(const GitAiAgent&) const = default;
};

/// An entry of `sessions` (new form) or `prompts` (legacy form). The legacy counters are kept
/// only for prompts; messages and messages_url are not read (provenant stores no prompts).
struct GitAiSession {
    GitAiAgent agent;
    std::optional<std::string> human_author;
    std::map<std::string, std::string> custom_attributes; ///< string values only
    // Legacy prompt counters (0 for sessions).
    uint64_t total_additions = 0, total_deletions = 0, accepted_lines = 0, overriden_lines = 0;
    bool operator==(const GitAiSession&) const = default;
};

/// One git-ai note. A value type; thread-compatible.
struct GitAiNote {
    std::vector<GitAiFile> files; ///< the attestation section, in note order
    std::string schema_version = std::string(kGitAiSchemaVersion);
    std::optional<std::string> git_ai_version;
    std::string base_commit_sha;
    std::map<std::string, GitAiSession> prompts;  ///< legacy key (bare hex) -> record
    std::map<std::string, GitAiSession> sessions; ///< session id (`s_<hex>`) -> record
    std::map<std::string, std::string> humans;    ///< `h_<hex>` -> author ("Name <email>")
    bool operator==(const GitAiNote&) const = default;
};

/// Strict reading of a note's text: the attestation section, a line that is exactly `---`,
/// then one JSON object. Errors say where ("line 3: ...", "metadata: $.sessions...: ...").
/// Rejected: a missing divider, an entry before any file path, a malformed key or range,
/// a key that names no record of its map, the same line attested twice in one file, a
/// `schema_version` other than authorship/3.x, more than kMaxGitAiNoteBytes of text or
/// kMaxGitAiNoteLines lines. Unknown JSON fields are ignored. CRLF line ends are accepted.
/// Never throws.
Result<GitAiNote> parse_gitai_note(std::string_view text);

/// The text git-ai writes: each file path (double-quoted when it holds a space, tab or
/// newline), its entries indented by two spaces with compressed ranges, `---`, then the
/// metadata as 2-space indented JSON in git-ai's key order (schema_version, git_ai_version
/// when set, base_commit_sha, prompts, humans and sessions when not empty). Ends with "\n".
std::string serialize_gitai_note(const GitAiNote& note);

/// Into provenant's Note (what the report engine reads):
/// - lines under `s_` and legacy keys become `ai` lines of the origin whose id is the session
///   id (`s_<hex>`; several trace ids of one session are one origin) or the legacy key, with
///   record {cls ai, tool (git-ai's `claude` read as `claude-code`), model, session = agent id,
///   kind from the custom attribute `provenant_kind` when valid, else empty (git-ai does not
///   say whether a line came from a completion or an agent: no evidence, no claim)};
/// - lines under `h_` keys become `human`;
/// - lines no key covers are absent (the engine counts them `unknown`), paths whose
///   attestations are all absent are absent; blob ids are empty; commit is base_commit_sha;
///   origins carry no tokens and no funnel (git-ai records neither per commit);
/// - tool = "git-ai", tool_version = git_ai_version.
/// Errors only for a path that is not repository-relative (absolute, `..`, NUL).
Result<Note> gitai_note_to_note(const GitAiNote& note);

/// From provenant's Note, for readers that know only git-ai's notes. Only AI lines are
/// attested (`ai` and `ai_modified`, both as AI: that format has no paste, no unknown and no
/// edited-AI class); human lines are not attested (known-human keys need a committer identity
/// the note does not hold). Each AI origin becomes one session:
///   session id  `s_` + SHA-256("<git-ai tool>:<session>")[0..14], git-ai's own rule, so the
///               same conversation gets the same id from both tools (the origin id stands in
///               for an empty session);
///   trace id    `t_` + SHA-256("provenant:<origin id>")[0..14]: deterministic (git-ai's is
///               random), so writing the same note twice gives the same text;
///   agent_id    {tool (`claude-code` written as `claude`), id = session, model};
///   custom_attributes {"provenant_kind": kind} when the kind is known.
///   custom_attributes {kGitAiWriterAttribute: kGitAiWriterValue} on every session: how
///               provenant tells its own notes from git-ai's (written_by_provenant).
/// AI lines without an origin go under one session of tool "unknown". `prompts` is empty;
/// base_commit_sha is `base_commit`; git_ai_version is unset.
GitAiNote note_to_gitai_note(const Note& note, std::string_view base_commit);

/// The session custom attribute, and its value, that marks a git-ai note as written by
/// provenant. custom_attributes is the standard's own place for a writer's extra strings:
/// git-ai keeps and ignores it.
inline constexpr std::string_view kGitAiWriterAttribute = "provenant_writer";
inline constexpr std::string_view kGitAiWriterValue = "provenant";

/// Whether provenant wrote `note` (note_to_gitai_note's form): it has sessions, no legacy
/// prompts, and every session carries the writer attribute. Anything else is another tool's
/// (git-ai's own, or a note written by a provenant older than the attribute): provenant
/// never replaces or removes it.
bool written_by_provenant(const GitAiNote& note);

} // namespace provenant
