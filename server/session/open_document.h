// The session's per-document state, shared by its files (session.cpp, documents.cpp, renames.cpp).
#pragma once

#include "core/document.h"
#include "session/journal_sync.h"
#include "session/session.h"

#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace provenant::session {

/// One open document. Owned by the Session, touched on the documents thread only.
struct Session::OpenDocument {
    uint64_t id = 0; ///< unique per didOpen, so late journal results find no reopened copy
    std::string uri;
    Document doc;
    std::optional<JournalTarget> journal; ///< none: outside any repository (memory only)
    bool dirty = false;                   ///< edits not yet handed to the journal worker
    /// The journal's restore has not arrived yet (didOpen does not wait for it): requests
    /// that report attribution wait in `after_restore`, run when it arrives.
    /// Nor is the document written to the journal meanwhile: its snapshot would lack the
    /// restored attribution, and the merge by content (whole lines) would lose the entry's
    /// evidence for every line edited since (a kill then brought saved typing back as
    /// `unknown`). It is written when the restore arrives, or when it must be (a close, the
    /// exit).
    bool restoring = false;
    std::vector<std::function<void()>> after_restore;
    /// A didSave while restoring: the typing the file held then, of what the document itself
    /// observed (core/restore.h; the restored characters are added when they arrive).
    std::optional<SavedTyping> saved_while_restoring;

    // Telling an editor's reload from typing (reloads.cpp). Wall-clock nanoseconds.
    int64_t typed_ns = 0;  ///< when a change last inserted text inferred typed
    int64_t synced_ns = 0; ///< when the editor last read or wrote the file (didOpen, didSave)
    int64_t synced_version = 0; ///< the document's version then
    /// When the latest didChanges arrived (wall ns, version), oldest first, at most
    /// kArrivalsKept: the version the document had when the file was written is the last one
    /// that arrived before it (a reload's edits come after the write).
    std::deque<std::pair<int64_t, int64_t>> arrivals;
    static constexpr size_t kArrivalsKept = 64;
    /// A look at the file is on its way, or a reload found waits for its grace period: a sync
    /// answers after it (`after_look`).
    bool looking = false;
    std::unique_ptr<Timer> reload_timer; ///< the grace period of a reload found
    std::vector<std::function<void()>> after_look;
    /// The next journal write says that typing since this second was a reload (save_as).
    std::optional<uint32_t> reloaded;
};

/// A document recently closed, or opened with nothing in its journal, kept to recognise a
/// rename reported as didClose + didOpen of the same text (renames.cpp). Documents thread only.
struct Session::RecentDoc {
    uint64_t doc_id = 0;
    std::filesystem::path file; ///< absolute path
    JournalTarget journal;
    size_t hash = 0; ///< of the whole text
    size_t size = 0;
    int64_t version = 0; ///< the document's version then (an opened one must still be at it)
    std::chrono::steady_clock::time_point when;
};

} // namespace provenant::session
