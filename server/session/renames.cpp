// Renamed files keep their pending provenance: workspace/didRenameFiles (LSP file operations),
// and a rename the client reports only as didClose of the old name + didOpen of the new one.
#include "journal/journal.h"
#include "session/open_document.h"
#include "session/session.h"
#include "session/uri.h"

#include <algorithm>
#include <functional>
#include <spdlog/spdlog.h>

namespace provenant::session {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// How far back a didClose + didOpen pair may be recognised as a rename: a few documents and a
// minute. The match itself is whole-text equality with the old file gone from disk; the bounds
// only keep a coincidence much later (the same text written elsewhere) from moving anything.
constexpr size_t kRecentDocs = 16;
constexpr auto kRecentWindow = std::chrono::seconds(60);

struct Located {
    fs::path file;
    JournalTarget target;
};

/// The journal target of a `file:` URI; nullopt outside a repository (memory-only documents).
std::optional<Located> locate(const std::string& uri) {
    auto path = file_uri_to_path(uri);
    if (!path) return std::nullopt;
    auto repo = find_repository(*path);
    if (!repo) return std::nullopt;
    auto rel = repo_relative_path(*repo, *path);
    if (!rel.ok()) return std::nullopt;
    return Located{*path, JournalTarget{repo->gitdir, *rel, repo->workdir}};
}

size_t text_hash(std::string_view text) {
    return std::hash<std::string_view>{}(text);
}

template <typename Docs> void prune(Docs& docs) { // a deque of Session::RecentDoc
    auto now = Clock::now();
    while (!docs.empty() && (docs.size() > kRecentDocs || now - docs.front().when > kRecentWindow))
        docs.pop_front();
}

/// `rel` moved from `from` to `to` when it is `from` or lies under it (a renamed folder).
std::optional<std::string> moved_path(const std::string& rel, const std::string& from,
                                      const std::string& to) {
    if (rel == from) return to;
    if (rel.size() > from.size() && rel.compare(0, from.size(), from) == 0 &&
        rel[from.size()] == '/')
        return to + rel.substr(from.size());
    return std::nullopt;
}

} // namespace

void Session::rename(const std::string& old_uri, const std::string& new_uri) {
    if (old_uri == new_uri) return;
    auto from = locate(old_uri);
    auto to = locate(new_uri);
    if (!from || !to) return; // memory-only on either side: nothing on disk to move
    if (from->target.gitdir != to->target.gitdir) {
        spdlog::info("session: {} renamed to {} in another repository: its pending provenance "
                     "stays behind",
                     old_uri, new_uri);
        return;
    }
    // Documents still open under the old name (a client that renames before closing) follow
    // the file: their unsaved edits go to the journal first, under the old name, and move.
    std::vector<std::pair<std::string, std::string>> rekey; // old uri -> new uri
    for (auto& [uri, d] : documents_)
        if (auto moved = moved_path(uri, old_uri, new_uri)) rekey.emplace_back(uri, *moved);
    for (const auto& [old_doc_uri, new_doc_uri] : rekey) {
        if (documents_.count(new_doc_uri)) continue; // the client has reopened it already
        auto node = documents_.extract(old_doc_uri);
        OpenDocument& d = *node.mapped();
        flush(d);
        d.uri = new_doc_uri;
        if (auto l = locate(new_doc_uri); l && d.journal) {
            d.journal = l->target;
            if (sync_) {
                sync_->untrack(d.id);
                sync_->track(d.id, l->target);
            }
        }
        node.key() = new_doc_uri;
        documents_.insert(std::move(node));
    }
    // Every document open under the new name takes the moved evidence once it has moved.
    std::vector<std::pair<uint64_t, std::string>> open_at_new;
    for (auto& [uri, d] : documents_)
        if (d->journal && moved_path(uri, new_uri, new_uri))
            open_at_new.emplace_back(d->id, d->journal->path);
    if (!sync_) return;
    spdlog::info("session: {} renamed to {}: moving its pending provenance", old_uri, new_uri);
    sync_->barrier([this, gitdir = from->target.gitdir, old_rel = from->target.path,
                    new_rel = to->target.path, open_at_new = std::move(open_at_new)] {
        if (options_.before_journal_write) options_.before_journal_write(gitdir);
        Journal journal(gitdir);
        auto moved = journal.rename(old_rel, new_rel);
        if (!moved.ok())
            return spdlog::warn("journal: renaming {} to {}: {}", old_rel, new_rel,
                                moved.error().message);
        if (!*moved) {
            // A folder: every entry under it moves.
            auto paths = journal.list();
            if (!paths.ok())
                return spdlog::warn("journal: renaming {} to {}: {}", old_rel, new_rel,
                                    paths.error().message);
            for (const std::string& rel : *paths)
                if (auto dest = moved_path(rel, old_rel, new_rel); dest && rel != old_rel)
                    if (auto r = journal.rename(rel, *dest); !r.ok())
                        spdlog::warn("journal: renaming {} to {}: {}", rel, *dest,
                                     r.error().message);
        }
        for (const auto& [doc_id, rel] : open_at_new) {
            auto entry = journal.load(rel);
            if (!entry.ok() || !*entry) continue;
            auto evidence = std::make_shared<const Snapshot>(std::move((*entry)->snapshot));
            runtime_.post([this, id = doc_id, evidence] {
                absorb(id, evidence);
                // What the document saw under its new name merges with the moved entry.
                if (auto it = by_id_.find(id); it != by_id_.end()) {
                    it->second->dirty = true;
                    flush(*it->second);
                }
            });
        }
    });
}

void Session::follow_rename_on_open(const std::string& uri, std::string_view text,
                                    const std::optional<JournalTarget>& target) {
    if (!sync_ || !target) return;
    prune(recent_closed_);
    size_t hash = text_hash(text);
    auto it = std::find_if(recent_closed_.rbegin(), recent_closed_.rend(), [&](const RecentDoc& r) {
        return r.journal.gitdir == target->gitdir && r.journal.path != target->path &&
               r.size == text.size() && r.hash == hash;
    });
    if (it == recent_closed_.rend()) return;
    RecentDoc closed = *it;
    recent_closed_.erase(std::next(it).base());
    // Queued before didOpen's load, so the load restores what moved. The old file must be gone
    // (a copy keeps both names, and the original keeps its provenance) and the old entry's
    // text must be exactly the new text.
    sync_->barrier([this, closed, to = *target, text = std::string(text), uri] {
        std::error_code ec;
        if (fs::exists(closed.file, ec) || ec) return;
        if (options_.before_journal_write) options_.before_journal_write(to.gitdir);
        auto moved =
            Journal(to.gitdir).rename(closed.journal.path, to.path, [&](const JournalEntry& e) {
                return e.snapshot.text == text;
            });
        if (!moved.ok())
            spdlog::warn("journal: renaming {} to {}: {}", closed.journal.path, to.path,
                         moved.error().message);
        else if (*moved)
            spdlog::info("session: {} was {} (closed, gone from disk, same text): its pending "
                         "provenance moved",
                         uri, closed.journal.path);
    });
}

void Session::remember_open(const OpenDocument& doc, std::string_view text, bool restored) {
    if (!sync_ || !doc.journal || restored) return;
    auto file = file_uri_to_path(doc.uri);
    if (!file) return;
    prune(recent_opened_);
    recent_opened_.push_back(RecentDoc{doc.id, *file, *doc.journal, text_hash(text), text.size(),
                                       doc.doc.version(), Clock::now()});
    prune(recent_opened_);
}

void Session::forget_open(uint64_t doc_id) {
    std::erase_if(recent_opened_, [doc_id](const RecentDoc& r) { return r.doc_id == doc_id; });
}

void Session::follow_rename_on_close(const OpenDocument& closed) {
    if (!sync_ || !closed.journal) return;
    auto file = file_uri_to_path(closed.uri);
    if (!file) return;
    prune(recent_opened_);
    std::string text = closed.doc.text(); // once per close, off the keystroke path
    size_t hash = text_hash(text);
    // The client opened the new name before closing the old one: find that document.
    auto it = std::find_if(recent_opened_.rbegin(), recent_opened_.rend(), [&](const RecentDoc& r) {
        if (r.doc_id == closed.id || r.journal.gitdir != closed.journal->gitdir ||
            r.journal.path == closed.journal->path || r.size != text.size() || r.hash != hash)
            return false;
        auto d = by_id_.find(r.doc_id);
        return d != by_id_.end() && d->second->doc.version() == r.version &&
               d->second->doc.text() == text;
    });
    if (it == recent_opened_.rend()) {
        prune(recent_closed_);
        recent_closed_.push_back(RecentDoc{closed.id, *file, *closed.journal, hash, text.size(),
                                           closed.doc.version(), Clock::now()});
        prune(recent_closed_);
        return;
    }
    RecentDoc opened = *it;
    recent_opened_.erase(std::next(it).base());
    // Queued after didClose's flush of the old name: the entry moved holds all it saw.
    sync_->barrier([this, opened, from = *closed.journal, file = *file, text = std::move(text)] {
        std::error_code ec;
        if (fs::exists(file, ec) || ec) return;
        if (options_.before_journal_write) options_.before_journal_write(from.gitdir);
        Journal journal(from.gitdir);
        // The new name's own pending provenance (found by its restore, which ran before this)
        // makes it no plain rename.
        if (auto there = journal.load(opened.journal.path); !there.ok() || *there) return;
        auto moved = journal.rename(from.path, opened.journal.path,
                                    [&](const JournalEntry& e) { return e.snapshot.text == text; });
        if (!moved.ok())
            return spdlog::warn("journal: renaming {} to {}: {}", from.path, opened.journal.path,
                                moved.error().message);
        if (!*moved) return;
        spdlog::info("session: {} was {} (same text, old name closed and gone): its pending "
                     "provenance moved",
                     opened.journal.path, from.path);
        auto entry = journal.load(opened.journal.path);
        if (!entry.ok() || !*entry) return;
        auto evidence = std::make_shared<const Snapshot>(std::move((*entry)->snapshot));
        runtime_.post([this, id = opened.doc_id, evidence] {
            absorb(id, evidence);
            if (auto d = by_id_.find(id); d != by_id_.end()) {
                d->second->dirty = true;
                flush(*d->second);
            }
        });
    });
}

} // namespace provenant::session
