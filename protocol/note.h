// The git note provenant attaches to each commit ("schema": "provenant/1"): types and strict
// JSON. Specified in docs/note-format.md and protocol/schema/note-v1.schema.json.
#pragma once

#include "protocol/origin.h"
#include "support/result.h"

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace provenant {

/// The schema string writers put in "schema"; readers accept "provenant/1" and
/// "provenant/1.<minor>" and reject any other major version.
inline constexpr std::string_view kNoteSchema = "provenant/1";
/// The notes ref provenant writes.
inline constexpr std::string_view kNotesRef = "refs/notes/provenant";

/// Limits that keep a hostile note from exhausting memory.
inline constexpr size_t kMaxNoteBytes = 64u << 20;
inline constexpr uint32_t kMaxNoteLines = 20'000'000; ///< line numbers expanded per note

/// The five line classes a note records (blank lines are not recorded).
inline constexpr std::array<LineClass, 5> kNoteLineClasses = {
    LineClass::Ai, LineClass::AiModified, LineClass::Human, LineClass::Paste, LineClass::Unknown};

/// Lines per class (`blank` unused).
struct LineCounts {
    uint64_t ai = 0, ai_modified = 0, human = 0, paste = 0, unknown = 0;
    uint64_t& operator[](LineClass c);
    uint64_t operator[](LineClass c) const;
    uint64_t total() const { return ai + ai_modified + human + paste + unknown; }
    bool operator==(const LineCounts&) const = default;
};

/// Non-whitespace characters per origin class.
struct CharCounts {
    uint64_t ai = 0, human = 0, paste = 0, unknown = 0;
    uint64_t& operator[](OriginClass c);
    uint64_t total() const { return ai + human + paste + unknown; }
    CharCounts& operator+=(const CharCounts& o);
    bool operator==(const CharCounts&) const = default;
};

/// Per origin, what happened to its lines since the previous commit.
struct Funnel {
    uint64_t generated = 0; ///< lines it produced
    uint64_t committed = 0; ///< of those, lines in this commit
    uint64_t discarded = 0; ///< removed before this commit
    uint64_t pending = 0;   ///< still uncommitted in the worktree
    bool operator==(const Funnel&) const = default;
};

/// An origin record with what this commit attributes to it.
struct NoteOrigin {
    OriginRecord record;
    TokenUsage tokens;            ///< token usage attributed to this commit
    std::optional<Funnel> funnel; ///< absent when unknown (no session data)
    bool operator==(const NoteOrigin&) const = default;
};

/// The added lines of one file. Line numbers are 1-based in the committed blob, sorted,
/// and each line is in at most one class.
struct NoteFile {
    std::string blob; ///< committed blob id (40 hex)
    std::vector<uint32_t> ai, ai_modified, human, paste, unknown;
    /// For ai and ai_modified lines: origin id (a key of Note::origins) -> its lines.
    std::map<std::string, std::vector<uint32_t>> by_origin;
    CharCounts chars;      ///< non-whitespace characters this commit added, per class
    std::string skipped;   ///< why no lines are listed ("binary", "too large", ...), else empty
    std::string truncated; ///< why only some lines are listed, else empty

    std::vector<uint32_t>& lines(LineClass c);
    const std::vector<uint32_t>& lines(LineClass c) const;
    /// The class and (for AI lines) origin id of one line; nullopt when not an added line.
    /// O(log n).
    std::optional<std::pair<LineClass, std::string>> lookup(uint32_t line) const;
    bool operator==(const NoteFile&) const = default;
};

/// Where a rewritten commit's attribution was carried from.
struct NoteRewrite {
    std::string kind;              ///< amend, rebase, cherry-pick, squash-merge, reset, ...
    std::vector<std::string> from; ///< the old commit ids (40 hex)
    bool operator==(const NoteRewrite&) const = default;
};

/// One commit's note. A value type; thread-compatible.
struct Note {
    std::string schema = std::string(kNoteSchema); ///< as read (writers always write kNoteSchema)
    std::string commit;                            ///< the commit it was written for (40 hex)
    std::string parent;                            ///< its first parent, empty for a root commit
    std::string tool = "provenant";
    std::string tool_version = PROVENANT_VERSION;
    std::map<std::string, NoteFile> files;     ///< repository-relative path -> added lines
    std::map<std::string, NoteOrigin> origins; ///< origin id -> record
    std::optional<NoteRewrite> rewrite;

    /// Lines per class over all files.
    LineCounts line_totals() const;
    CharCounts char_totals() const;
    /// Tokens over all origins; `uncommitted` counts only origins with no committed line.
    TokenUsage token_totals(bool uncommitted_only = false) const;
    /// Whether origin `id` has lines in any file.
    bool origin_has_lines(const std::string& id) const;
    bool operator==(const Note&) const = default;
};

/// The one allocator of a note's origin ids (attach, rewrites and note merges all use it).
/// Knows the note's origins by record (the ids already there keep their meaning: the first
/// id of a record, in key order, when a note has two); a record not in the note is added, as
/// a NoteOrigin with no usage, under the first free id of "o1", "o2", ... Ids are opaque to
/// readers (docs/note-format.md §6). Holds a reference to the note, which must outlive it;
/// origins added to the note behind its back are not seen. Not thread-safe.
class OriginIds {
public:
    explicit OriginIds(Note& note);
    /// The id of `record`, adding it to the note when absent (`*added` says whether).
    std::string intern(const OriginRecord& record, bool* added = nullptr);

private:
    struct RecordLess {
        bool operator()(const OriginRecord& a, const OriginRecord& b) const;
    };
    Note& note_;
    std::map<OriginRecord, std::string, RecordLess> ids_;
    size_t next_ = 0; ///< the last number tried for a new id
};

/// How a repository path is written as a key of `files` (docs/note-format.md §4). Git paths
/// are bytes; JSON strings are UTF-8. A path that is valid UTF-8 and does not begin with `"`
/// is written as it is; any other is written quoted as git quotes it (core.quotePath): `"`,
/// then the bytes with `\\` for a backslash, `\"` for a quote, `\NNN` (3 octal digits) for
/// every control byte and every byte >= 0x80, then `"`. So every path has exactly one key and
/// every key at most one path. Pure.
std::string note_path_key(std::string_view path);
/// The path a `files` key stands for; nullopt for a malformed quoted key. Pure.
std::optional<std::string> path_from_note_key(std::string_view key);

/// The JSON form (see docs/note-format.md); totals are computed here.
nlohmann::json note_to_json(const Note& note);
/// Compact JSON text as stored in the git note (one line, trailing newline).
std::string serialize_note(const Note& note);

/// Strict reading: wrong types, bad ids, overlapping or hostile ranges, dangling origin ids
/// and unknown major versions are errors naming the JSON path ("$.files[\"a.c\"].lines.ai:
/// ..."). Unknown fields are ignored. Never throws.
Result<Note> note_from_json(const nlohmann::json& j);
Result<Note> parse_note(std::string_view text);
/// parse_note for a reader of one file (blame): the same note with only the entry of `path` in
/// `files` (none when it has none). The whole text is checked for JSON syntax, as parse_note
/// checks it, and everything but the other files' entries is read as strictly; those are not
/// read, so a fault in one of them alone is no error here. Never throws.
Result<Note> parse_note_for(std::string_view text, std::string_view path);

} // namespace provenant
