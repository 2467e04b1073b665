// Carrying attribution from one text to another by diff, and merging evidence by content.
#pragma once

#include "core/provenance.h"

#include <string_view>

namespace provenant {

/// The attribution of `new_text`: characters that the diff from `from.text` to `new_text`
/// shows unchanged keep their attr from `from` (with `fresh` kept); inserted characters get
/// `inserted` (its origin interned from `inserted_record`). The diff is line-level, refined to
/// characters inside changed hunks, so a one-character change relabels one character and a
/// re-indent keeps the origins of the non-whitespace characters. Cost: O(n) plus the diff of
/// the changed region (bounded: very large changed regions fall back to line granularity).
Snapshot carry(const Snapshot& from, std::string_view new_text, Attr inserted,
               const OriginRecord& inserted_record);

/// Merge two reports of the same text: `other` is first carried onto `base.text` (unmatched
/// characters count as no evidence), then each character takes the stronger attribution.
/// Commutative in the result's per-character records: merge(a,b) and merge(b,a) agree.
Snapshot merge_evidence(const Snapshot& base, const Snapshot& other);

/// One edit in byte offsets of the old text: replace [offset, offset+removed) with `inserted`
/// bytes. Produced by `diff_edits`.
struct ByteEdit {
    size_t offset = 0;
    size_t removed = 0;
    size_t inserted_offset = 0; ///< where the inserted bytes start in the new text
    size_t inserted = 0;
};

/// The minimal-ish edit script from `a` to `b` (same diff as `carry`), in increasing order.
std::vector<ByteEdit> diff_edits(std::string_view a, std::string_view b);

} // namespace provenant
