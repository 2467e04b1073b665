// Per-character attribution and the Snapshot: text plus origin runs, the type every layer
// exchanges (documents produce it, the journal stores it, attach and status read it).
#pragma once

#include "protocol/origin.h"
#include "support/result.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace provenant {

/// How strong the evidence for a character's origin is. Stronger evidence wins when two
/// reports of the same text are merged (docs/model.md §3): an explicit record (client
/// annotation, agent hook) over the sidecar's size inference, anything over none.
enum class Evidence : uint8_t {
    None = 0,     ///< no evidence: the origin is unknown (or carried from a weaker source)
    Inferred = 1, ///< the sidecar inferred it (a small insert is a person typing)
    Recorded = 2, ///< an explicit record: a client annotation or an agent hook
};

/// Origin ids 0..2 are fixed in every OriginTable.
inline constexpr uint32_t kUnknownOrigin = 0;
inline constexpr uint32_t kHumanOrigin = 1;
inline constexpr uint32_t kPasteOrigin = 2;

/// The attribution of one character. Runs of equal Attr are stored together.
struct Attr {
    uint32_t origin = kUnknownOrigin; ///< id in the owning OriginTable
    Evidence evidence = Evidence::None;
    /// Added since the base: the parent commit for a note; for pending work the text that
    /// was there when tracking began. Lines with no fresh characters keep their class.
    bool fresh = false;
    /// When this character's insertion was observed directly, in seconds since the Unix
    /// epoch: typed, pasted or annotated in a watched document, or written by an agent whose
    /// hook recorded it. 0: never observed (loaded, reloaded without evidence, or an entry
    /// written before this field existed). Carrying by content keeps it (the same character);
    /// the merge rule in core/carry.h never lets unobserved evidence overrule an observation.
    uint32_t seen = 0;
    bool operator==(const Attr&) const = default;
};

/// Whether `a` (of class `cls`) is typing the sidecar inferred (Evidence::Inferred, a
/// person's, observed) in second `second` or later.
inline bool typed_since(const Attr& a, OriginClass cls, uint32_t second) {
    return a.evidence == Evidence::Inferred && a.seen != 0 && a.seen >= second &&
           cls == OriginClass::Human;
}

/// Interns origin records to small ids. Ids 0, 1, 2 are unknown, human, paste.
/// Not thread-safe: owned by one Document / Snapshot at a time.
class OriginTable {
public:
    OriginTable();
    /// The id of `record`, adding it if new.
    uint32_t intern(const OriginRecord& record);
    const OriginRecord& at(uint32_t id) const { return records_.at(id); }
    OriginClass class_of(uint32_t id) const { return records_.at(id).cls; }
    size_t size() const { return records_.size(); }
    const std::vector<OriginRecord>& records() const { return records_; }

private:
    std::vector<OriginRecord> records_;
    std::unordered_map<std::string, uint32_t> ids_;
};

/// A run of `length` bytes of UTF-8 text with one attribution.
struct Run {
    uint32_t length = 0;
    Attr attr;
    bool operator==(const Run&) const = default;
};

/// Text with its per-character attribution. Invariant: the run lengths sum to text.size(),
/// runs are non-empty, adjacent runs differ, and every attr.origin indexes `origins`.
/// A value type; thread-compatible.
struct Snapshot {
    std::string text;
    std::vector<Run> runs;
    OriginTable origins;

    /// A snapshot of `text` where every byte has `attr` (origin interned from `record`).
    static Snapshot uniform(std::string text, const OriginRecord& record, Evidence evidence,
                            bool fresh);
    /// Checks the invariant; used after deserialising untrusted data.
    Status validate() const;
    /// Appends a run, merging with the last when equal. Zero length is ignored.
    void push_run(uint32_t length, Attr attr);
    /// Per-byte attrs, expanded (tests and small files only).
    std::vector<Attr> expand() const;
};

/// `s` with an origin table that holds only the fixed three records and those its runs name,
/// in their old order, the runs renumbered. The text and every character's record are
/// unchanged. A table only grows while a document is open (30,000 completions with their own
/// request ids made a journal entry pass its cap although few survived in the text), so the
/// journal prunes each entry it writes: an entry is bounded by its text (issue 12 §10).
Snapshot prune_origins(Snapshot s);

/// JSON form used by the journal: {"text", "runs": [[len, origin, evidence, fresh], ...],
/// "origins": [OriginRecord, ...], "seen": [s, ...]}. "seen" (one Attr::seen per run) is
/// written only when some run was observed, and may be absent on reading (entries written
/// before it existed, or by an older provenant, which ignores it). from_json validates and
/// returns a clear error.
nlohmann::json snapshot_to_json(const Snapshot& s);
Result<Snapshot> snapshot_from_json(const nlohmann::json& j);

/// Orders two attributions of the same character from possibly different tables: stronger
/// evidence wins; on a tie, a deterministic order on the records (ai, human, paste, unknown,
/// then by key) so that merging is commutative.
bool stronger(const Attr& a, const OriginRecord& ra, const Attr& b, const OriginRecord& rb);

} // namespace provenant
