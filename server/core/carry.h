// Carrying attribution from one text to another by diff, and merging evidence by content.
#pragma once

#include "core/provenance.h"

#include <functional>
#include <string_view>

namespace provenant {

/// Carrying by content matches whole lines (equal but for whitespace) or common spans of at
/// least this many bytes inside changed lines, never shorter coincidences ("return sum(" of
/// two different lines is not the same text). A long span that runs across lines counts line
/// by line: each part is a whole line on both sides or at least this long itself.
inline constexpr size_t kMinCarrySpan = 64;
/// Two observations of the same characters this close in time (seconds) are one event
/// reported twice: an agent's write and the editor's reload of the file it wrote.
inline constexpr uint32_t kRaceWindowSeconds = 10;

/// How finely `diff_edits` matches inside changed lines.
enum class DiffGranularity : uint8_t {
    /// Refined to characters: a document's own edit (a full-text sync of one keystroke is a
    /// one-character change).
    Characters,
    /// Whole lines and long spans (kMinCarrySpan) only: carrying evidence from another text.
    Spans,
    /// As Spans, but whole lines only when equal byte for byte: carrying an entry's committed
    /// evidence back onto HEAD's text (head_meaning), where a line the entry re-spaced or
    /// edited is not known to be the HEAD line it equals but for spaces (that may be another
    /// line, a person's: issue 9, §3).
    ExactLines,
};

/// The attribution of `new_text`, carried by content from `from`: characters of whole lines
/// that the line diff matches (equal but for whitespace: a re-indent keeps the origins of the
/// non-whitespace characters), or of common spans of at least kMinCarrySpan bytes inside
/// changed lines, keep their attr from `from` (`fresh` and `seen` kept); every other
/// character gets `inserted` (its origin interned from `inserted_record`). A document
/// reopened on its file keeps more (carry_restored in core/restore.h). Cost: O(n) plus the
/// diff of the changed region (bounded: very large changed regions fall back to line
/// granularity).
///
Snapshot carry(const Snapshot& from, std::string_view new_text, Attr inserted,
               const OriginRecord& inserted_record);

/// Whether attribution `a` prevails over `b` for the same character (docs/journal.md, "The
/// merge rule"): an observed character (Attr::seen) is never overruled by unobserved
/// evidence; of two observations within kRaceWindowSeconds the stronger evidence wins (an
/// agent's record over the typing inference: the reload race); otherwise the later
/// observation; between unobserved ones the stronger evidence (`stronger`). A strict order:
/// the outcome does not depend on which report is `a`.
bool prevails(const Attr& a, const OriginRecord& ra, const Attr& b, const OriginRecord& rb);

/// Merge two reports of the same text: `other` is first carried onto `base.text` by content
/// (`carry`; unmatched characters count as no evidence), then each character takes the
/// attribution that `prevails`. `fresh` if either says so.
Snapshot merge_evidence(const Snapshot& base, const Snapshot& other);

/// One edit in byte offsets of the old text: replace [offset, offset+removed) with `inserted`
/// bytes. Produced by `diff_edits`.
struct ByteEdit {
    size_t offset = 0;
    size_t removed = 0;
    size_t inserted_offset = 0; ///< where the inserted bytes start in the new text
    size_t inserted = 0;
};

/// The minimal-ish edit script from `a` to `b`, in increasing order: a line diff of equal lines,
/// then, inside what it leaves changed, of lines equal but for whitespace (aligned by their
/// whitespace: a line's exact copy is its match before a re-spaced one), refined inside changed
/// hunks as `g` says (`carry` uses Spans).
std::vector<ByteEdit> diff_edits(std::string_view a, std::string_view b,
                                 DiffGranularity g = DiffGranularity::Characters);

} // namespace provenant
