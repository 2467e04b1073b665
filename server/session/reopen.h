// Restoring a document's pending provenance from its journal entry when it is opened.
#pragma once

#include "core/restore.h"
#include "journal/journal.h"
#include "support/result.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace provenant::session {

/// A document's attribution when it is opened.
struct Reopened {
    /// Of the opened text, from the journal entry (nullopt: no entry, or one that does not
    /// validate: the text is base `unknown`).
    std::optional<Snapshot> snapshot;
    /// HEAD's text of the file with HEAD's meaning (core/base.h head_meaning; null: HEAD not
    /// known), for Document::set_base.
    std::shared_ptr<const Snapshot> base;
    /// `snapshot` is the entry's attribution exactly (the file is its text less lost typing,
    /// Restore::exact): the document holds all the entry says of its text.
    bool exact = false;
    /// The entry's lines that left the file on a reset to HEAD and are not back
    /// (JournalEntry::left): for Document::remember_left, should a reload bring them back.
    std::vector<Snapshot> left;
};

/// The attribution of `path` opened with `text`, from its journal entry and `head`, the
/// file's text in HEAD (nullptr: not known; core/base.h restore_reopened). When the entry is stale
/// and the file is HEAD's text (a checkout threw the pending work away), the entry is replaced by
/// the restored attribution under the journal's lock, unless another writer changed it since it
/// was read: its evidence for text that is gone must not come back at the next merge by content
/// (docs/model.md §3). Journal I/O: for the journal thread, never the editing one.
Result<Reopened> reopen(Journal& journal, const std::string& path, std::string_view text,
                        const std::string* head);

/// `entry` without the uncommitted evidence observed before `second` (fresh characters seen
/// earlier become base `unknown`): what a document that a change made HEAD's again
/// (Document::take_base_reset) merges with, so the evidence of the text that change threw away
/// does not come back by content. Evidence observed since (an agent's write racing the
/// editor) is kept.
Snapshot drop_older_evidence(const Snapshot& entry, uint32_t second);

/// `entry` without the typing inferred (Evidence::Inferred, observed) in `second` or later:
/// fresh `unknown` instead. What a document merges with once it found that what it took for
/// typing since then was an editor's reload from disk (Document::reloaded_from_disk), so the
/// inference it wrote before it knew does not come back as an observation.
Snapshot drop_typing_since(const Snapshot& entry, uint32_t second);

/// Whether two snapshots attribute the same text identically (origins compared by record).
bool same_attribution(const Snapshot& a, const Snapshot& b);

} // namespace provenant::session
