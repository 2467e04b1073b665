// Telling an editor's reload from typing. An editor that reloads a file changed on disk
// (`git stash pop`, `git checkout -- FILE`) sends the difference as edits, a hunk at a time
// (Neovim's :checktime, VS Code's reload): each hunk may be the size of a keystroke's line, and
// was taken for a person typing it. The sign of a reload is on disk: after such edits the
// document is exactly the file's text, written after the document last knew the file's
// content (its didOpen, its last didSave) and before the edits came, and no didSave follows
// (an editor that saves writes the file, then sends didSave at once). The journal thread looks
// at the file (a stat, and a read when the sizes agree); the documents thread never touches
// the disk. What was taken for typing since the write is then no one's observation
// (Document::reloaded_from_disk): `unknown`, or what HEAD or the journal explain by content.
#include "session/open_document.h"
#include "session/session.h"

#include <spdlog/spdlog.h>

namespace provenant::session {

namespace {

int64_t wall_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

void Session::note_change(OpenDocument& d, bool typed) {
    const int64_t now = wall_ns();
    d.arrivals.emplace_back(now, d.doc.version());
    if (d.arrivals.size() > OpenDocument::kArrivalsKept) d.arrivals.pop_front();
    if (!typed) return;
    d.typed_ns = now;
    look_for_reload(d);
}

void Session::note_on_disk(OpenDocument& d) {
    d.synced_ns = wall_ns();
    d.synced_version = d.doc.version();
    if (d.reload_timer) {
        d.reload_timer->cancel(); // the editor wrote what it had: its own save, no reload
        end_look(d);
    }
}

void Session::look_for_reload(OpenDocument& d) {
    if (!sync_ || finished_ || d.looking || !d.journal || d.journal->workdir.empty()) return;
    d.looking = true;
    sync_->look_at_file(d.journal->workdir / d.journal->path, nullptr,
                        [this, id = d.id, version = d.doc.version(), typed = d.typed_ns](
                            const FileLook& look) { looked(id, version, typed, false, look); });
}

void Session::look_again_or_end(OpenDocument& d, int64_t version) {
    if (d.doc.version() != version) look_for_reload(d); // at the text it has now
    if (!d.looking) end_look(d);
}

void Session::looked(uint64_t doc_id, int64_t version, int64_t typed_ns, bool with_text,
                     const FileLook& look) {
    auto it = by_id_.find(doc_id);
    if (it == by_id_.end()) return; // closed meanwhile
    OpenDocument& d = *it->second;
    d.looking = false;
    // Typing that arrived while the journal thread looked does not make the look void: it is
    // about `version`, whose text the edit history rebuilds, and a reload found there takes
    // only its own edits (reload_confirmed, by version). A person typing on at once after a
    // reload (or a busy machine) would otherwise leave the reload's hunks taken for typing.
    std::optional<std::string> then; // the text at `version` when the document moved on
    size_t size = d.doc.size_bytes();
    if (!with_text && d.doc.version() != version) {
        then = d.doc.text_at(version);
        if (!then) return look_again_or_end(d, version); // the history no longer reaches it
        size = then->size();
    }
    // Written after the document last knew the file, before the typing at `version`, and of
    // the document's size then: perhaps a reload. Anything else is typing (or not known as a
    // reload). The text look stats the file again: a write in between (the person's save)
    // is after that typing, so it is no candidate.
    const bool candidate = look.exists && (with_text || look.size == size) &&
                           look.mtime_ns > d.synced_ns && typed_ns > look.mtime_ns;
    if (!candidate || (with_text && !look.same_text)) return look_again_or_end(d, version);
    d.looking = true;
    if (!with_text) { // the text, O(n), only for a file that may hold it
        auto text = std::make_shared<const std::string>(then ? std::move(*then) : d.doc.text());
        sync_->look_at_file(d.journal->workdir / d.journal->path, std::move(text),
                            [this, doc_id, version, typed_ns](const FileLook& l) {
                                looked(doc_id, version, typed_ns, true, l);
                            });
        return;
    }
    // The file holds the text: a reload, unless a didSave says the editor wrote it. Its edits
    // came after the write: the document had the version of the last change that arrived
    // before it (or of its last didOpen/didSave, whichever is later). A change that arrived
    // in the kernel tick before the write may count as after it (mtimes are coarse): a gap.
    int64_t after = d.synced_version;
    for (const auto& [ns, v] : d.arrivals)
        if (ns < look.mtime_ns && v <= version) after = std::max(after, v);
    if (!d.reload_timer) d.reload_timer = runtime_.make_timer();
    d.reload_timer->start(options_.reload_grace, [this, doc_id, version, after, m = look.mtime_ns] {
        reload_confirmed(doc_id, version, after, m);
    });
}

void Session::reload_confirmed(uint64_t doc_id, int64_t version, int64_t after, int64_t mtime_ns) {
    auto it = by_id_.find(doc_id);
    if (it == by_id_.end()) return;
    OpenDocument& d = *it->second;
    d.looking = false;
    // The edits of (after, version] made the text the file's, and no didSave followed: they
    // were the reload. Only what they inserted is taken, by the edit history: a person's typing
    // before them (in the write's second too) or after them (typed during the grace period)
    // keeps its own.
    const auto since = static_cast<uint32_t>(mtime_ns / 1000000000);
    if (d.doc.reloaded_from_disk(after, version, since)) {
        spdlog::debug("session: {}: the edits of versions {} to {} were a reload from disk", d.uri,
                      after + 1, version);
        d.reloaded = std::min(d.reloaded.value_or(since), since);
        mark_dirty(d);
    }
    d.synced_version = std::max(d.synced_version, version); // it matched the file there
    if (d.doc.version() != version) {
        look_for_reload(d); // typed meanwhile: perhaps another reload came after
        if (!d.looking) end_look(d);
        return;
    }
    end_look(d);
}

void Session::end_look(OpenDocument& d) {
    d.looking = false;
    for (auto& fn : std::exchange(d.after_look, {}))
        fn();
}

void Session::after_looks(std::function<void()> fn) {
    for (auto& [uri, d] : documents_)
        if (d->looking) {
            // Checked again then: another document may still be looking.
            d->after_look.emplace_back([this, fn = std::move(fn)] { after_looks(fn); });
            return;
        }
    // What a reload found changed is written before the answer.
    flush_all();
    if (!sync_ || finished_) return fn();
    sync_->barrier([this, fn = std::move(fn)] { runtime_.post(fn); });
}

} // namespace provenant::session
