// Whole lines that left a file when a change made it HEAD's text again (`git stash`, a branch
// switch, `git checkout -- FILE`), kept with their attribution so that the same lines, coming
// back exactly (`git stash pop`, switching back) after the sidecar forgot them (the file was
// closed, the sidecar restarted), get it back (docs/journal.md, "The merge rule" 5).
#pragma once

#include "core/provenance.h"

#include <string_view>
#include <vector>

namespace provenant {

/// Bounds of the lines kept (a journal entry's "left"): this many blocks, this many bytes of
/// text in all; the newest are kept.
inline constexpr size_t kLeftMaxBlocks = 64;
inline constexpr size_t kLeftMaxBytes = 64u << 10;
/// A block with fewer non-whitespace bytes than this is not kept: short lines ("}", "x = 1")
/// coincide too easily to be taken for the same text.
inline constexpr size_t kLeftMinBytes = 12;

/// The blocks of whole lines of `before` that a line diff removes on the way to `after` (each
/// with its line break), with their attribution, keeping only blocks that hold uncommitted
/// evidence (fresh characters with evidence) and at least kLeftMinBytes of non-whitespace.
/// O(n) plus a diff: for the journal thread.
std::vector<Snapshot> lines_that_left(const Snapshot& before, std::string_view after);

/// `newer` then `older`, without repeated texts, without blocks that `text` holds again
/// (they are back: the text's own attribution describes them now) and without blocks holding
/// a line that a newer block holds with another attribution (that text was observed again
/// since: the newer observation wins), bounded by kLeftMaxBlocks and kLeftMaxBytes (the oldest
/// go first). Each list is newest first.
std::vector<Snapshot> merge_left(std::vector<Snapshot> newer, const std::vector<Snapshot>& older,
                                 std::string_view text);

/// Gives `s` the attribution of each block of `left` that it holds exactly, as whole lines,
/// where no evidence explains its text (fresh, Evidence::None: text neither HEAD nor the
/// journal explains); what was observed, recorded or inferred keeps its own. Each block at its
/// first such place only. Returns how many blocks were given back.
size_t give_back_left(Snapshot& s, const std::vector<Snapshot>& left);

} // namespace provenant
