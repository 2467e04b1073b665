// The session's documents (open/change/save/close) and the journal plumbing: restore at open,
// the flush policy, absorbing evidence. Construction, the poll and the answers: session.cpp.
#include "journal/journal.h"
#include "session/open_document.h"
#include "session/session.h"
#include "session/uri.h"

#include <spdlog/spdlog.h>

namespace provenant::session {

namespace {

/// The SavedTyping of a file whose typing is known in two parts: what the document itself
/// observed when it was saved (`own`) and the typing its restore brought back (`restored`),
/// which the file held when it was opened. The later second; the bytes of both when they
/// are of one second (restored typing deleted before the save would count too much: the
/// exact restore after a crash then falls back to the carry, a gap).
SavedTyping combine(const SavedTyping& own, const SavedTyping& restored) {
    if (own.seen != restored.seen) return own.seen > restored.seen ? own : restored;
    return SavedTyping{own.seen, own.bytes + restored.bytes};
}

} // namespace

Session::OpenDocument* Session::find(const std::string& uri, const char* method) {
    auto it = documents_.find(uri);
    if (it == documents_.end()) {
        spdlog::warn("session: {}: {} is not open; ignored", method, uri);
        return nullptr;
    }
    return it->second.get();
}

void Session::open(const std::string& uri, int64_t version, std::string_view text) {
    std::vector<std::function<void()>> waiting; // on a replaced copy's restore
    if (auto old = documents_.find(uri); old != documents_.end()) {
        spdlog::warn("session: textDocument/didOpen: {} was already open; replacing it", uri);
        flush(*old->second, false, /*force=*/true);
        if (sync_) sync_->untrack(old->second->id);
        by_id_.erase(old->second->id);
        // What waited for its restore or a look at its file goes on once the new copy is open.
        waiting = std::exchange(old->second->after_restore, {});
        for (auto& fn : std::exchange(old->second->after_look, {}))
            waiting.push_back(std::move(fn));
        documents_.erase(old);
    }

    // A file in a git repository has a journal: its pending provenance is restored from there.
    std::optional<JournalTarget> target;
    if (sync_) {
        if (auto path = file_uri_to_path(uri)) {
            if (auto repo = find_repository(*path)) {
                auto rel = repo_relative_path(*repo, *path);
                if (rel.ok())
                    target = JournalTarget{repo->gitdir, *rel, repo->workdir};
                else
                    spdlog::info("session: {} not journaled: {}", uri, rel.error().message);
            }
        }
        follow_rename_on_open(uri, text, target); // a rename reported as close + open
    }

    // Open at once; the journal's restore (its entry carried onto this text against HEAD's)
    // arrives later on this thread, and edits made meanwhile keep what they observed
    // (Document::apply_restored). The worker runs it before any save or poll queued after.
    const uint64_t id = next_doc_id_++;
    auto doc = std::make_unique<OpenDocument>(
        OpenDocument{id, uri, Document(text, version, encoding_), target, false, false, {}});
    spdlog::debug("session: opened {} (version {}, {} bytes{})", uri, version, text.size(),
                  target ? ", journal " + target->path : std::string(", memory only"));
    if (sync_ && target) {
        doc->restoring = true;
        doc->doc.expect_restore(); // the edits made meanwhile are kept to map it through
        sync_->restore(id, *target, std::string(text), [this, id, version](Result<Reopened> r) {
            restored(id, version, std::move(r));
        });
        sync_->track(id, *target);
    }
    note_on_disk(*doc);
    // A rename reported as open + close; forgotten if the restore finds an entry of its own.
    remember_open(*doc, text, false);
    by_id_[id] = doc.get();
    documents_[uri] = std::move(doc);
    for (auto& fn : waiting)
        fn();
}

void Session::restored(uint64_t doc_id, int64_t version, Result<Reopened> result) {
    auto it = by_id_.find(doc_id);
    if (it == by_id_.end()) return; // closed (or opened again) meanwhile
    OpenDocument& d = *it->second;
    bool from_journal = false;
    if (!result.ok()) {
        spdlog::warn("session: restoring {} from the journal: {}", d.uri, result.error().message);
    } else {
        if (result->snapshot) {
            from_journal = true;
            const Document::Restored applied = d.doc.apply_restored(version, *result->snapshot);
            if (applied == Document::Restored::Misfit)
                spdlog::warn("session: restoring {} from the journal: it does not fit version {}",
                             d.uri, version);
            else
                spdlog::debug("session: {} restored from the journal{}", d.uri,
                              applied == Document::Restored::Merged ? " (merged by content)" : "");
            // Only a restore mapped exactly through the edits since leaves the document holding
            // its entry: after a merge by content its saves still merge the entry.
            if (applied == Document::Restored::Exact && result->exact && sync_) sync_->hold(doc_id);
        }
        d.doc.set_base(std::move(result->base));
        d.doc.remember_left(result->left); // should a reload bring them back
    }
    // A document with pending provenance of its own under this name is no rename's target.
    if (from_journal) forget_open(doc_id);
    d.restoring = false;
    // The writes held back meanwhile: a save's typing is what the document observed then
    // plus the restored typing the opened file held.
    if (d.saved_while_restoring && result.ok() && result->snapshot)
        d.saved_while_restoring =
            combine(*d.saved_while_restoring, saved_typing(*result->snapshot));
    flush(d);
    for (auto& fn : std::exchange(d.after_restore, {}))
        fn();
}

void Session::change(const std::string& uri, int64_t version,
                     const std::vector<TextChange>& changes) {
    OpenDocument* d = find(uri, "textDocument/didChange");
    if (!d) return;
    if (version <= d->doc.version())
        return spdlog::warn(
            "session: textDocument/didChange for {} ignored: version {} is not after "
            "the document's version {}",
            uri, version, d->doc.version());
    for (size_t i = 0; i < changes.size(); ++i) {
        const TextChange& c = changes[i];
        Status s = d->doc.apply_change(version, c.range, c.text, c.reason);
        if (!s.ok()) {
            // The first bad change leaves the document as it was; a bad change after good
            // ones leaves the good ones applied (they cannot be validated before applying).
            spdlog::warn("session: textDocument/didChange for {}: change {} rejected: {}{}", uri, i,
                         s.error().message,
                         i > 0 ? "; earlier changes of this batch were applied" : "");
            break;
        }
        mark_dirty(*d);
    }
    note_change(*d, d->doc.last_typed_version() == version); // typing, or a reload from disk?
    log_dropped(*d);
}

void Session::save(const std::string& uri, std::optional<std::string_view> text) {
    OpenDocument* d = find(uri, "textDocument/didSave");
    if (!d) return;
    if (text && d->doc.size_bytes() != text->size())
        spdlog::warn("session: textDocument/didSave for {}: the saved text ({} bytes) differs from "
                     "the synchronised text ({} bytes)",
                     uri, text->size(), d->doc.size_bytes());
    d->dirty = true;
    note_on_disk(*d);
    // Saved work reaches the journal now, not after the unsaved-edit delay; the entry learns
    // the file holds it (a reopen after a crash tells lost typing from a checkout by it).
    flush(*d, /*saved=*/true);
}

void Session::close(const std::string& uri) {
    auto it = documents_.find(uri);
    if (it == documents_.end())
        return spdlog::warn("session: textDocument/didClose: {} is not open; ignored", uri);
    flush(*it->second, false, /*force=*/true);
    follow_rename_on_close(*it->second); // a rename reported as open + close
    if (sync_) sync_->untrack(it->second->id);
    by_id_.erase(it->second->id);
    // What waited for its restore or a look goes on now (a sync; a request: "not open").
    auto waiting = std::exchange(it->second->after_restore, {});
    for (auto& fn : std::exchange(it->second->after_look, {}))
        waiting.push_back(std::move(fn));
    documents_.erase(it);
    for (auto& fn : waiting)
        fn();
}

void Session::mark_dirty(OpenDocument& d) {
    d.dirty = true;
    if (!sync_ || !d.journal || flush_armed_ || finished_) return;
    flush_armed_ = true;
    flush_timer_->start(options_.flush_delay, [this] {
        flush_armed_ = false;
        flush_all();
    });
}

void Session::flush(OpenDocument& d, bool saved, bool force) {
    if (!d.dirty || finished_) return;
    if (d.restoring && !force) {
        // Written once the restore is here (restored()); a save's typing is noted now.
        if (saved && sync_ && d.journal) d.saved_while_restoring = saved_typing(d.doc.snapshot());
        return;
    }
    d.dirty = false;
    auto generated = d.doc.take_generated();
    if (!sync_ || !d.journal) return;
    // Completions: what the client's annotation attributed is what the completion generated
    // (agents' and chats' lines are counted by their hooks, from their own edits).
    std::vector<JournalSync::GeneratedLines> completions;
    for (auto& [origin, lines] : generated)
        if (origin.kind == "completion") completions.push_back({std::move(origin), lines});
    sync_->add_generated(*d.journal, std::move(completions));
    Snapshot snapshot = d.doc.snapshot();
    std::optional<SavedTyping> on_disk;
    if (saved)
        on_disk = saved_typing(snapshot); // the file holds exactly this text
    else
        on_disk = std::exchange(d.saved_while_restoring, std::nullopt);
    d.saved_while_restoring.reset();
    sync_->save_as(d.id, *d.journal, std::move(snapshot), on_disk, d.doc.take_base_reset(),
                   std::exchange(d.reloaded, std::nullopt));
}

void Session::flush_all(bool force) {
    for (auto& [uri, d] : documents_)
        flush(*d, false, force);
}

void Session::after_restores(std::function<void()> fn) {
    for (auto& [uri, d] : documents_)
        if (d->restoring) {
            // Checked again then: another document may still be restoring.
            d->after_restore.emplace_back([this, fn = std::move(fn)] { after_restores(fn); });
            return;
        }
    fn();
}

bool Session::absorb(uint64_t doc_id, const std::shared_ptr<const Snapshot>& evidence) {
    auto it = by_id_.find(doc_id);
    if (it == by_id_.end() || !evidence) return false; // closed meanwhile
    bool held = false;
    if (it->second->doc.absorb(*evidence, &held))
        spdlog::debug("session: {}: merged evidence from the journal", it->second->uri);
    return held;
}

void Session::log_dropped(OpenDocument& d) {
    for (const std::string& m : d.doc.take_dropped_annotations())
        spdlog::warn("session: {}: {}", d.uri, m);
}

void Session::finish() {
    if (finished_) return;
    flush_all(/*force=*/true);
    finished_ = true;
    flush_timer_->cancel();
    flush_armed_ = false;
    poll_timer_->cancel();
    if (sync_) runtime_.stop_journal();
}

} // namespace provenant::session
