// The sidecar's session core, beneath the LSP binding (as clangd has ClangdServer beneath
// ClangdLSPServer): the open documents, their restore from the journal, the flush policy,
// absorbing other writers' journal changes, the base after a commit, and renames. lsp::Server
// decodes messages, calls it and encodes its answers; a test calls it directly, on one thread
// (tests/unit/session).
#pragma once

#include "core/document.h"
#include "protocol/line_attribution.h"
#include "session/journal_sync.h"
#include "session/runtime.h"
#include "support/result.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace provenant::session {

struct Options {
    /// Write pending provenance to repository journals and watch them (false: memory only).
    bool journal = true;
    /// Unsaved edits reach the journal within this delay (docs/model.md §6: at most 1 s lost).
    std::chrono::milliseconds flush_delay{400};
    /// How often the journal entries of open documents are checked for other writers.
    std::chrono::milliseconds poll_interval{1000};
    /// Runs on the journal thread before each write to a repository's journal (given its git
    /// directory). The CLI passes the git layer's deferred-attach drain, so a commit's note is
    /// written before edits made after it reach the journal; empty: nothing.
    std::function<void(const std::filesystem::path& gitdir)> before_journal_write;
    /// A change the sidecar took for typing that made the document the file's text on disk, as
    /// written after the document last knew it, is an editor's reload unless a didSave comes
    /// within this time (the editor wrote it: editors send the save right after the write).
    std::chrono::milliseconds reload_grace{300};
};

/// One change of an edit batch (LSP's TextDocumentContentChangeEvent). `text` is a view: valid
/// during the call that passes it.
struct TextChange {
    std::optional<TextRange> range; ///< absent: the whole text is replaced
    std::string_view text;
    EditReason reason = EditReason::None;
};

/// An open document's attribution by line (provenant/documentProvenance).
struct DocumentProvenance {
    std::string uri;
    int64_t version = 0;
    LineAttribution attribution;
};

/// The open documents of one editor session, each known by its URI. Every public method is
/// for the documents thread (the Runtime's): Documents are touched there only. Journal and git
/// work runs on the Runtime's journal thread (session::JournalSync), and its results come back
/// as tasks posted to the documents thread, so no call here waits for the journal: open()
/// returns at once and the restore arrives later. Malformed or out-of-order requests (a
/// document not open, an old version) are logged and ignored, as LSP notifications are.
class Session {
public:
    /// `runtime` must outlive the Session.
    Session(Runtime& runtime, Options options = {});
    ~Session(); ///< finish()
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// The encoding of positions in documents opened from now on (LSP negotiates it once).
    void set_encoding(PositionEncoding encoding) { encoding_ = encoding; }
    PositionEncoding encoding() const { return encoding_; }

    /// didOpen: the document is open at once; its pending provenance is restored from its
    /// journal entry (a file in a git repository) when the journal thread has read it. A URI
    /// already open is replaced.
    void open(const std::string& uri, int64_t version, std::string_view text);
    /// didChange: `changes` are applied in order; `version` must be after the document's.
    void change(const std::string& uri, int64_t version, const std::vector<TextChange>& changes);
    /// didSave: the file holds the document's text (`text`: the client's copy, for a check).
    void save(const std::string& uri, std::optional<std::string_view> text);
    /// didClose: unsaved edits go to the journal, and the document is forgotten.
    void close(const std::string& uri);
    /// provenant/annotate: the characters of `ranges` (at `version`) come from `origin`.
    void annotate(const std::string& uri, int64_t version, const OriginRecord& origin,
                  const std::vector<TextRange>& ranges);
    /// workspace/didRenameFiles: a file or folder moved; its pending provenance follows.
    void rename(const std::string& old_uri, const std::string& new_uri);

    /// The document's attribution by line; `done` runs once its restore has arrived (at once
    /// when it has), or with a not_found Error when it is not open.
    void provenance(const std::string& uri, std::function<void(Result<DocumentProvenance>)> done);
    /// Hands every unsaved edit to the journal, checks the entries for other writers now, and
    /// runs `done` once the journal thread has done all of it and its results are back here.
    void sync(std::function<void()> done);
    /// Hands every unsaved edit to the journal (after the restores on their way), then `done`.
    void shutdown(std::function<void()> done);
    /// Flushes every document to its journal and stops the journal thread. Idempotent.
    void finish();

    /// The open document at `uri`, or null (for a test, or a look without a copy).
    const Document* document(const std::string& uri) const;

private:
    struct OpenDocument;
    struct RecentDoc;

    OpenDocument* find(const std::string& uri, const char* method);
    void mark_dirty(OpenDocument& doc);
    /// Hands the document's snapshot to the journal thread if it changed; `saved`: the client
    /// just saved it (didSave), so the file holds this text (JournalEntry::saved). A document
    /// whose restore has not arrived waits for it (OpenDocument::restoring) unless `force`
    /// (it is closed, the server exits): then it is written as it is, and the merge by
    /// content keeps only whole lines of the entry's evidence (a gap, never a misattribution).
    void flush(OpenDocument& doc, bool saved = false, bool force = false);
    void flush_all(bool force = false);
    /// Runs `fn` once no document waits for its restore (at once if none does): a sync or a
    /// shutdown answers after the writes those restores release.
    void after_restores(std::function<void()> fn);
    /// Merges journal evidence into document `doc_id`; whether it now holds that entry exactly
    /// (JournalSync::Absorb).
    bool absorb(uint64_t doc_id, const std::shared_ptr<const Snapshot>& evidence);
    /// The journal's restore of document `doc_id`, opened at `version`.
    void restored(uint64_t doc_id, int64_t version, Result<Reopened> result);
    void log_dropped(OpenDocument& doc);
    void arm_poll();

    // reloads.cpp: an editor's reload from disk sent as edits the size of typing.
    /// After an applied didChange (`typed`: it inserted text inferred typed).
    void note_change(OpenDocument& doc, bool typed);
    /// Asks the journal thread to look at the file, unless a look is on its way.
    void look_for_reload(OpenDocument& doc);
    /// The look of document `doc_id` at `version`, whose typing arrived at `typed_ns`
    /// (`with_text`: compared with its text). Typing may have overtaken it: it is still about
    /// `version`.
    void looked(uint64_t doc_id, int64_t version, int64_t typed_ns, bool with_text,
                const FileLook& look);
    /// A look found no reload at `version`: the document may have moved on to one (the
    /// next hunk of a reload), else nothing waits for a look any more.
    void look_again_or_end(OpenDocument& doc, int64_t version);
    /// The grace period of a reload found at `version` of a file written at `mtime_ns`, when
    /// the document was at version `after`, is over.
    void reload_confirmed(uint64_t doc_id, int64_t version, int64_t after, int64_t mtime_ns);
    /// A didOpen or a didSave: the file holds the document's text (the editor read or wrote
    /// it); a reload found and not yet confirmed is none.
    void note_on_disk(OpenDocument& doc);
    /// No look is on its way any more: what waited for it goes on.
    void end_look(OpenDocument& doc);
    /// Runs `fn` once no document is looking at its file, and what those looks flushed is
    /// written (sync).
    void after_looks(std::function<void()> fn);

    // renames.cpp: workspace/didRenameFiles, and didClose + didOpen of the same text.
    void follow_rename_on_open(const std::string& uri, std::string_view text,
                               const std::optional<JournalTarget>& target);
    void remember_open(const OpenDocument& doc, std::string_view text, bool restored);
    void forget_open(uint64_t doc_id);
    void follow_rename_on_close(const OpenDocument& closed);

    Runtime& runtime_;
    Options options_;
    PositionEncoding encoding_ = PositionEncoding::Utf16;

    std::unordered_map<std::string, std::unique_ptr<OpenDocument>> documents_; ///< by URI
    std::unordered_map<uint64_t, OpenDocument*> by_id_;
    uint64_t next_doc_id_ = 1;
    std::unique_ptr<Timer> flush_timer_;
    bool flush_armed_ = false;
    std::unique_ptr<Timer> poll_timer_;
    bool finished_ = false;
    std::unique_ptr<JournalSync> sync_; ///< null when journaling is off
    /// Recently closed and recently opened documents, for a rename the client reports as
    /// didClose + didOpen of the same text (renames.cpp). Bounded.
    std::deque<RecentDoc> recent_closed_;
    std::deque<RecentDoc> recent_opened_;
};

} // namespace provenant::session
