// HEAD's text as a document's base: what text HEAD explains means (docs/model.md §3).
#pragma once

#include "core/provenance.h"
#include "core/restore.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace provenant {

/// HEAD's text (`head`) with HEAD's meaning, from a journal entry (`entry`, nullptr: none):
/// what the entry knows of the committed text (its characters that are not fresh), carried
/// onto `head` by whole lines and long spans; the entry's uncommitted (fresh) evidence is not
/// HEAD's, so text only it explains is base `unknown`. Every character is not fresh. O(n) plus
/// a diff.
Snapshot head_meaning(const Snapshot* entry, const std::string& head);

/// The ranges of `text` that HEAD's text still holds, [offset, length) in order: all but what
/// the line diff (whole lines and long spans, DiffGranularity::Spans) from `head` inserts.
/// O(n) plus a diff.
std::vector<std::pair<size_t, size_t>> shared_with_head(std::string_view text,
                                                        std::string_view head);

/// shared_with_head of a text, computed on the journal thread for the text a journal entry
/// holds (JournalSync's poll), so Document::rebase need not diff on the documents thread while
/// that is still the document's text.
struct HeadShare {
    std::string text; ///< the text the ranges are of
    std::vector<std::pair<size_t, size_t>> kept;
};

/// A reopened document's attribution (restore_reopened).
struct Restore {
    Snapshot snapshot; ///< of the reopened text
    /// The file is not the entry's text (less lost typing): the entry's evidence for text
    /// gone from the file is stale and must not come back (docs/model.md §3); the journal
    /// should take `snapshot` in its place.
    bool entry_stale = false;
    /// The file is the entry's text less lost typing: every character kept the entry's
    /// attribution exactly (no diff aligned it), so the entry holds nothing else the
    /// document could still take from it.
    bool exact = false;
};

/// The attribution of a document reopened on its file (`new_text`), `from` being its journal
/// entry, `saved` what the entry knows of the last save and `head` the file's text in HEAD
/// (nullptr: no repository, no HEAD, an unborn branch, or a file not in HEAD). When the file
/// is the entry's text less lost typing, or HEAD is not known, this is carry_restored
/// (core/restore.h). When the file is another text (`git checkout -f`, `git restore`, a branch
/// switch threw the pending work away): text HEAD explains (whole lines and long spans of
/// HEAD) is base text, not pending work: it takes head_meaning and never the entry's
/// uncommitted (fresh) evidence; only text HEAD does not explain may take that, by whole
/// lines and long spans (carry). Text neither explains is fresh `unknown`. Not on the
/// keystroke path: a few diffs of the whole text.
Restore restore_reopened(const Snapshot& from, std::string_view new_text, const SavedTyping& saved,
                         const std::string* head);

} // namespace provenant
